// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build-time probe PVXEN_HAVE_IS_SWIOTLB_FORCE_BOUNCE (compat/probe):
 * is_swiotlb_force_bounce(dev) (5.16 on); 5.10's swiotlb_force is not
 * exported to modules.
 * Debian's stock arm64 headers: 5.10 no, 6.1 yes, 6.12 yes.
 */
#include <linux/swiotlb.h>

static bool pvxen_probe(struct device *dev)
{
	return is_swiotlb_force_bounce(dev);
}

bool (*pvxen_probe_fn)(struct device *dev) = pvxen_probe;
