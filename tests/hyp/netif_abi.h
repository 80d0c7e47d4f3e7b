/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The netif ABI of minixen's netif.h, listed for test_netif.c to compare
 * against Xen's own xen/io/netif.h (netif_abi.c), as blkif_abi.h does
 * for blkif: X(struct, field) offsets, S(struct) and U(union) sizes,
 * K(constant) values; each side defines TX_SLOTS(bytes) and
 * RX_SLOTS(bytes), the slots of a ring that size.
 */
	size_t n = 0;

#define X(s, f)	(v[n++] = (long)offsetof(struct s, f))
#define S(s)	(v[n++] = (long)sizeof(struct s))
#define U(u)	(v[n++] = (long)sizeof(union u))
#define K(k)	(v[n++] = (long)(k))
	S(netif_tx_request);
	X(netif_tx_request, gref);
	X(netif_tx_request, offset);
	X(netif_tx_request, flags);
	X(netif_tx_request, id);
	X(netif_tx_request, size);
	S(netif_extra_info);
	X(netif_extra_info, type);
	X(netif_extra_info, flags);
	X(netif_extra_info, u);
	X(netif_extra_info, u.gso.size);
	X(netif_extra_info, u.gso.type);
	X(netif_extra_info, u.gso.pad);
	X(netif_extra_info, u.gso.features);
	X(netif_extra_info, u.mcast.addr);
	X(netif_extra_info, u.hash.type);
	X(netif_extra_info, u.hash.algorithm);
	X(netif_extra_info, u.hash.value);
	X(netif_extra_info, u.pad[2]);
	S(netif_tx_response);
	X(netif_tx_response, id);
	X(netif_tx_response, status);
	S(netif_rx_request);
	X(netif_rx_request, id);
	X(netif_rx_request, pad);
	X(netif_rx_request, gref);
	S(netif_rx_response);
	X(netif_rx_response, id);
	X(netif_rx_response, offset);
	X(netif_rx_response, flags);
	X(netif_rx_response, status);
	U(netif_tx_sring_entry);
	U(netif_rx_sring_entry);
	X(netif_tx_sring, req_prod);
	X(netif_tx_sring, req_event);
	X(netif_tx_sring, rsp_prod);
	X(netif_tx_sring, rsp_event);
	X(netif_tx_sring, pvt);
	X(netif_tx_sring, ring);
	X(netif_rx_sring, req_prod);
	X(netif_rx_sring, req_event);
	X(netif_rx_sring, rsp_prod);
	X(netif_rx_sring, rsp_event);
	X(netif_rx_sring, pvt);
	X(netif_rx_sring, ring);
	K(TX_SLOTS(4096));
	K(RX_SLOTS(4096));
	K(XEN_NETIF_NR_SLOTS_MIN);
	K(XEN_NETIF_MAX_TX_SIZE);
	K(NETTXF_csum_blank);
	K(NETTXF_data_validated);
	K(NETTXF_more_data);
	K(NETTXF_extra_info);
	K(NETRXF_data_validated);
	K(NETRXF_csum_blank);
	K(NETRXF_more_data);
	K(NETRXF_extra_info);
	K(NETRXF_gso_prefix);
	K(XEN_NETIF_EXTRA_TYPE_NONE);
	K(XEN_NETIF_EXTRA_TYPE_GSO);
	K(XEN_NETIF_EXTRA_TYPE_MCAST_ADD);
	K(XEN_NETIF_EXTRA_TYPE_MCAST_DEL);
	K(XEN_NETIF_EXTRA_TYPE_HASH);
	K(XEN_NETIF_EXTRA_TYPE_MAX);
	K(XEN_NETIF_EXTRA_FLAG_MORE);
	K(XEN_NETIF_GSO_TYPE_NONE);
	K(XEN_NETIF_GSO_TYPE_TCPV4);
	K(XEN_NETIF_GSO_TYPE_TCPV6);
	K(NETIF_RSP_DROPPED);
	K(NETIF_RSP_ERROR);
	K(NETIF_RSP_OKAY);
	K(NETIF_RSP_NULL);
#undef X
#undef S
#undef U
#undef K
	return n;
