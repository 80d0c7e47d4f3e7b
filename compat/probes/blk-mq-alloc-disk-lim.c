// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build-time probe PVXEN_HAVE_BLK_MQ_ALLOC_DISK_LIM (compat/probe):
 * blk_mq_alloc_disk(set, lim, queuedata): the queue limits given at
 * allocation (6.9 on).
 * Debian's stock arm64 headers: 5.10 no, 6.1 no, 6.12 yes.
 */
#include <linux/blk-mq.h>

static struct gendisk *pvxen_probe(struct blk_mq_tag_set *s,
				   struct queue_limits *l)
{
	return blk_mq_alloc_disk(s, l, NULL);
}

struct gendisk *(*pvxen_probe_fn)(struct blk_mq_tag_set *s,
				  struct queue_limits *l) = pvxen_probe;
