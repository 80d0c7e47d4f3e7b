/* SPDX-License-Identifier: GPL-2.0-only */
/* grant_abi.c: the list of grant_abi.h, from Xen's own xen/grant_table.h. */
#ifndef GRANT_ABI_XEN_H
#define GRANT_ABI_XEN_H

#include <stddef.h>

size_t xen_grant_abi(long *v);

#endif
