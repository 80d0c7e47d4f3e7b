// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build-time probe PVXEN_HAVE_BUS_REMOVE_VOID (compat/probe):
 * bus_type.remove returns void (5.15 on; int before).
 * Debian's stock arm64 headers: 5.10 no, 6.1 yes, 6.12 yes.
 */
#include <linux/device.h>

static void pvxen_probe(struct device *dev)
{
}

struct bus_type pvxen_probe_bus = {
	.remove = pvxen_probe,
};
