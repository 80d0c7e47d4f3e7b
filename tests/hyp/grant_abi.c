// SPDX-License-Identifier: GPL-2.0-only
/* Xen's own grant-table ABI, for test_grant.c to compare grant.h with. */
#include <stddef.h>
#include <stdint.h>
#define __XEN_TOOLS__	1	/* the latest interface version */
#include <xen/grant_table.h>
#include "grant_abi_xen.h"

size_t xen_grant_abi(long *v)
{
#include "grant_abi.h"
}
