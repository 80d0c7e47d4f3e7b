/* SPDX-License-Identifier: GPL-2.0-only */
/* netif_abi.c: the list of netif_abi.h, from Xen's own xen/io/netif.h. */
#ifndef NETIF_ABI_XEN_H
#define NETIF_ABI_XEN_H

#include <stddef.h>

size_t xen_netif_abi(long *v);

#endif
