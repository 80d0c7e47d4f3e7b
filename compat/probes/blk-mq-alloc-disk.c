// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build-time probe PVXEN_HAVE_BLK_MQ_ALLOC_DISK (compat/probe):
 * blk_mq_alloc_disk(set, queuedata), the two-argument form (5.14 to
 * 6.8); the three-argument one is BLK_MQ_ALLOC_DISK_LIM.
 * Debian's stock arm64 headers: 5.10 no, 6.1 yes, 6.12 no.
 */
#include <linux/blk-mq.h>

static struct gendisk *pvxen_probe(struct blk_mq_tag_set *s)
{
	return blk_mq_alloc_disk(s, NULL);
}

struct gendisk *(*pvxen_probe_fn)(struct blk_mq_tag_set *s) = pvxen_probe;
