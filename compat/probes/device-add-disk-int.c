// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build-time probe PVXEN_HAVE_DEVICE_ADD_DISK_INT (compat/probe):
 * device_add_disk() returns an error (5.15 on; void before).
 * Debian's stock arm64 headers: 5.10 no, 6.1 yes, 6.12 yes.
 */
#include <linux/blkdev.h>

static int pvxen_probe(struct gendisk *d)
{
	return device_add_disk(NULL, d, NULL);
}

int (*pvxen_probe_fn)(struct gendisk *d) = pvxen_probe;
