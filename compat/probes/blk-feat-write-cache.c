// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build-time probe PVXEN_HAVE_BLK_FEAT_WRITE_CACHE (compat/probe):
 * queue features in struct queue_limits (BLK_FEAT_WRITE_CACHE,
 * BLK_FEAT_FUA, BLK_FEAT_ROTATIONAL; 6.11 on), which replaced
 * blk_queue_write_cache() and QUEUE_FLAG_NONROT.
 * Debian's stock arm64 headers: 5.10 no, 6.1 no, 6.12 yes.
 */
#include <linux/blkdev.h>

struct queue_limits pvxen_probe_lim = {
	.features = BLK_FEAT_WRITE_CACHE | BLK_FEAT_FUA,
};
