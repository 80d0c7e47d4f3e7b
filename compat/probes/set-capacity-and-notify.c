// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build-time probe PVXEN_HAVE_SET_CAPACITY_AND_NOTIFY (compat/probe):
 * set_capacity_and_notify() (5.11 on, backported to Debian's 5.10
 * after 5.10.223; before it set_capacity_revalidate_and_notify()).
 * Debian's stock arm64 headers: 5.10 no, 6.1 yes, 6.12 yes.
 */
#include <linux/blkdev.h>

static bool pvxen_probe(struct gendisk *d)
{
	return set_capacity_and_notify(d, 1);
}

bool (*pvxen_probe_fn)(struct gendisk *d) = pvxen_probe;
