// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests: minixen's netif ABI (hyp/include/minixen/netif.h)
 * against Xen's xen/io/netif.h (netif_abi.c), and the arm64 numbers a
 * frontend relies on.
 */
#include <minixen/netif.h>
#include "tap.h"
#include "abi_cmp.h"
#include "netif_abi_xen.h"

/* Slots of a ring of @bytes, as Xen's __CONST_RING_SIZE counts them */
static long slots(long bytes, long hdr, long entry)
{
	long n = (bytes - hdr) / entry, p = 1;

	while (p * 2 <= n)
		p *= 2;
	return p;
}

#define TX_SLOTS(b)	slots(b, offsetof(struct netif_tx_sring, ring), \
			      sizeof(union netif_tx_sring_entry))
#define RX_SLOTS(b)	slots(b, offsetof(struct netif_rx_sring, ring), \
			      sizeof(union netif_rx_sring_entry))

static size_t our_netif_abi(long *v)
{
#include "netif_abi.h"
}

int main(void)
{
	size_t n;

	ok(abi_same("netif_abi.h", our_netif_abi, xen_netif_abi, &n),
	   "netif.h: %zu sizes, offsets, constants as xen/io/netif.h's", n);
	ok(sizeof(struct netif_tx_request) == 12 &&
	   sizeof(struct netif_extra_info) == 8 &&
	   sizeof(struct netif_tx_response) == 4 &&
	   sizeof(struct netif_rx_request) == 8 &&
	   sizeof(struct netif_rx_response) == 8,
	   "arm64: TX request 12 bytes, extra 8, TX response 4, RX 8 and 8");
	ok(TX_SLOTS(4096) == NETIF_RING_SLOTS && RX_SLOTS(4096) == NETIF_RING_SLOTS &&
	   64 + NETIF_RING_SLOTS * sizeof(union netif_tx_sring_entry) <= 4096 &&
	   64 + NETIF_RING_SLOTS * sizeof(union netif_rx_sring_entry) <= 4096,
	   "one page holds 256 TX slots and 256 RX slots");
	ok(sizeof(struct netif_extra_info) <= sizeof(union netif_tx_sring_entry) &&
	   sizeof(struct netif_extra_info) <= sizeof(union netif_rx_sring_entry),
	   "an extra info fits in a TX request's and an RX response's slot");
	return tap_done();
}
