// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen's own blkif ABI, for test_blkif.c to compare blkif.h with. Its own
 * translation unit: xen/io/blkif.h brings xen/grant_table.h, whose names
 * minixen's grant.h also defines.
 */
#include <stddef.h>
#include <stdint.h>
#include <xen/io/blkif.h>
#include "blkif_abi_xen.h"

/* Not in Xen's header: its text gives the formula. */
#define BLKIF_SEGS_PER_INDIRECT_FRAME \
	(4096 / sizeof(struct blkif_request_segment))
#define RING_SLOTS(bytes)	__CONST_RING_SIZE(blkif, bytes)

size_t xen_blkif_abi(long *v)
{
#include "blkif_abi.h"
}
