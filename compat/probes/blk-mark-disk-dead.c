// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build-time probe PVXEN_HAVE_BLK_MARK_DISK_DEAD (compat/probe):
 * blk_mark_disk_dead() (5.18 on).
 * Debian's stock arm64 headers: 5.10 no, 6.1 yes, 6.12 yes.
 */
#include <linux/blkdev.h>

static void pvxen_probe(struct gendisk *d)
{
	blk_mark_disk_dead(d);
}

void (*pvxen_probe_fn)(struct gendisk *d) = pvxen_probe;
