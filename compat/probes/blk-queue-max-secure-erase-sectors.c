// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build-time probe PVXEN_HAVE_BLK_QUEUE_MAX_SECURE_ERASE_SECTORS (compat/probe):
 * blk_queue_max_secure_erase_sectors() (5.19 to 6.9); before it
 * secure erase was QUEUE_FLAG_SECERASE on the discard limit.
 * Debian's stock arm64 headers: 5.10 no, 6.1 yes, 6.12 no.
 */
#include <linux/blkdev.h>

static void pvxen_probe(struct request_queue *q)
{
	blk_queue_max_secure_erase_sectors(q, 1);
}

void (*pvxen_probe_fn)(struct request_queue *q) = pvxen_probe;
