// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build-time probe PVXEN_HAVE_BUS_MATCH_CONST_DRV (compat/probe):
 * bus_type.match takes a const struct device_driver (6.11 on).
 * Debian's stock arm64 headers: 5.10 no, 6.1 no, 6.12 yes.
 */
#include <linux/device.h>

static int pvxen_probe(struct device *dev, const struct device_driver *drv)
{
	return 0;
}

struct bus_type pvxen_probe_bus = {
	.match = pvxen_probe,
};
