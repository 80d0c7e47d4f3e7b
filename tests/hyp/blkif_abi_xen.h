/* SPDX-License-Identifier: GPL-2.0-only */
/* blkif_abi.c: the list of blkif_abi.h, from Xen's own xen/io/blkif.h. */
#ifndef BLKIF_ABI_XEN_H
#define BLKIF_ABI_XEN_H

#include <stddef.h>

size_t xen_blkif_abi(long *v);

#endif
