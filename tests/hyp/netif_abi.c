// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen's own netif ABI, for test_netif.c to compare netif.h with. Its own
 * translation unit: xen/io/netif.h brings xen/grant_table.h, whose names
 * minixen's grant.h also defines.
 */
#include <stddef.h>
#include <stdint.h>
#include <xen/io/netif.h>
#include "netif_abi_xen.h"

#define TX_SLOTS(bytes)		__CONST_RING_SIZE(netif_tx, bytes)
#define RX_SLOTS(bytes)		__CONST_RING_SIZE(netif_rx, bytes)

size_t xen_netif_abi(long *v)
{
#include "netif_abi.h"
}
