// SPDX-License-Identifier: GPL-2.0-only
/* Xen's own grant-table ABI, for test_grant.c to compare grant.h with. */
#include <stddef.h>
#include <stdint.h>
#define __XEN_TOOLS__	1	/* the latest interface version */
#include <xen/grant_table.h>
#include "grant_abi.h"

const long xen_grant_abi[] = { GRANT_ABI };
const size_t xen_grant_abi_len = sizeof(xen_grant_abi) / sizeof(long);
