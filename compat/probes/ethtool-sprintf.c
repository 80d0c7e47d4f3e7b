// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build-time probe PVXEN_HAVE_ETHTOOL_SPRINTF (compat/probe):
 * ethtool_sprintf() (5.13 on).
 * Debian's stock arm64 headers: 5.10 no, 6.1 yes, 6.12 yes.
 */
#include <linux/ethtool.h>

static void pvxen_probe(u8 **data)
{
	ethtool_sprintf(data, "%s", "x");
}

void (*pvxen_probe_fn)(u8 **data) = pvxen_probe;
