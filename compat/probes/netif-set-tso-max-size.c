// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build-time probe PVXEN_HAVE_NETIF_SET_TSO_MAX_SIZE (compat/probe):
 * netif_set_tso_max_size() (6.0 on; netif_set_gso_max_size() before).
 * Debian's stock arm64 headers: 5.10 no, 6.1 yes, 6.12 yes.
 */
#include <linux/netdevice.h>

static void pvxen_probe(struct net_device *d)
{
	netif_set_tso_max_size(d, 1);
}

void (*pvxen_probe_fn)(struct net_device *d) = pvxen_probe;
