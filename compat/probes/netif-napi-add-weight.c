// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build-time probe PVXEN_HAVE_NETIF_NAPI_ADD_WEIGHT (compat/probe):
 * netif_napi_add_weight() and the three-argument netif_napi_add()
 * (6.1 on; Debian's 6.1 has both).
 * Debian's stock arm64 headers: 5.10 no, 6.1 yes, 6.12 yes.
 */
#include <linux/netdevice.h>

static void pvxen_probe(struct net_device *d, struct napi_struct *n,
			int (*poll)(struct napi_struct *n, int budget))
{
	netif_napi_add(d, n, poll);
	netif_napi_add_weight(d, n, poll, NAPI_POLL_WEIGHT);
}

void (*pvxen_probe_fn)(struct net_device *d, struct napi_struct *n,
		       int (*poll)(struct napi_struct *n, int budget)) = pvxen_probe;
