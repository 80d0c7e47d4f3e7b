/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The netif protocol: the shared rings of Xen's PV network interfaces,
 * as a backend inside minixen reads them (the layouts of Xen's
 * io/netif.h and io/ring.h for arm64, written out with their padding;
 * tests/hyp/test_netif.c compares them with Xen's own header).
 *
 * Each queue of an interface has two rings of one granted page each:
 * TX (the frontend sends: requests name granted frames holding packet
 * data, responses say which were taken) and RX (the frontend posts
 * empty granted frames as requests; responses say what was written
 * into them). Both share blkif's ring header: four free-running
 * indices masked by the slot count (256 for one page), 48 bytes of
 * padding, then the slots.
 *
 * A packet on TX is one or more request slots: the first one's @size is
 * the whole packet's length, NETTXF_more_data on a slot says another
 * data slot follows; NETTXF_extra_info on the first slot says the next
 * slot is a struct netif_extra_info (XEN_NETIF_EXTRA_FLAG_MORE there:
 * one more extra slot). Every slot gets a response in order; extra
 * slots get NETIF_RSP_NULL. On RX a response's @status is the bytes
 * written into its frame (or a negative NETIF_RSP_*), NETRXF_more_data
 * chains the frames of one packet, NETRXF_extra_info says the next
 * slot holds a struct netif_extra_info instead of a response.
 */
#ifndef MINIXEN_NETIF_H
#define MINIXEN_NETIF_H

#include <minixen/lib.h>

/* Slots a backend must accept in one packet (older MAX_SKB_FRAGS) */
#define XEN_NETIF_NR_SLOTS_MIN	18
/* The largest packet a TX request chain may describe */
#define XEN_NETIF_MAX_TX_SIZE	0xffff

/* netif_tx_request.flags */
#define NETTXF_csum_blank	BIT(0)	/* checksum to be filled in */
#define NETTXF_data_validated	BIT(1)	/* checksum known good */
#define NETTXF_more_data	BIT(2)	/* another data slot follows */
#define NETTXF_extra_info	BIT(3)	/* an extra info slot follows */

/* netif_rx_response.flags */
#define NETRXF_data_validated	BIT(0)
#define NETRXF_csum_blank	BIT(1)
#define NETRXF_more_data	BIT(2)
#define NETRXF_extra_info	BIT(3)
#define NETRXF_gso_prefix	BIT(4)

/* netif_extra_info.type */
#define XEN_NETIF_EXTRA_TYPE_NONE	0
#define XEN_NETIF_EXTRA_TYPE_GSO	1
#define XEN_NETIF_EXTRA_TYPE_MCAST_ADD	2
#define XEN_NETIF_EXTRA_TYPE_MCAST_DEL	3
#define XEN_NETIF_EXTRA_TYPE_HASH	4
#define XEN_NETIF_EXTRA_TYPE_MAX	5

/* netif_extra_info.flags */
#define XEN_NETIF_EXTRA_FLAG_MORE	BIT(0)

/* netif_extra_info.u.gso.type */
#define XEN_NETIF_GSO_TYPE_NONE		0
#define XEN_NETIF_GSO_TYPE_TCPV4	1
#define XEN_NETIF_GSO_TYPE_TCPV6	2

/* Response status */
#define NETIF_RSP_DROPPED	(-2)
#define NETIF_RSP_ERROR		(-1)
#define NETIF_RSP_OKAY		0
#define NETIF_RSP_NULL		1	/* the response of an extra slot */

/**
 * struct netif_tx_request - one slot of a packet to send
 * @gref: grant of the frame holding the slot's data
 * @offset: where the data starts in the frame
 * @flags: NETTXF_*
 * @id: echoed in the response
 * @size: bytes in this slot; in a packet's first slot, the packet's
 *	whole length
 */
struct netif_tx_request {
	u32 gref;
	u16 offset;
	u16 flags;
	u16 id;
	u16 size;
};

/**
 * struct netif_extra_info - an extra slot, in a TX request's or an RX
 *	response's place
 * @type: XEN_NETIF_EXTRA_TYPE_*
 * @flags: XEN_NETIF_EXTRA_FLAG_*
 * @u: what @type says
 * @u.gso: segmentation offload: @size the segment payload (the MSS),
 *	@type XEN_NETIF_GSO_TYPE_*, @features XEN_NETIF_GSO_FEAT_*
 * @u.mcast: the address a multicast filter adds or removes
 * @u.hash: a flow's hash: @type, @algorithm, @value (little-endian)
 * @u.pad: the union's size
 */
struct netif_extra_info {
	u8 type;
	u8 flags;
	union {
		struct {
			u16 size;
			u8 type;
			u8 pad;
			u16 features;
		} gso;
		struct {
			u8 addr[6];
		} mcast;
		struct {
			u8 type;
			u8 algorithm;
			u8 value[4];
		} hash;
		u16 pad[3];
	} u;
};

/**
 * struct netif_tx_response - the answer to one TX slot
 * @id: the slot's @id
 * @status: NETIF_RSP_*
 */
struct netif_tx_response {
	u16 id;
	s16 status;
};

/**
 * struct netif_rx_request - an empty frame the frontend posts
 * @id: echoed in the response
 * @pad: unused
 * @gref: grant of the frame, writable
 */
struct netif_rx_request {
	u16 id;
	u16 pad;
	u32 gref;
};

/**
 * struct netif_rx_response - what was written into a posted frame
 * @id: the request's @id
 * @offset: where the data starts in the frame
 * @flags: NETRXF_*
 * @status: bytes of data (> 0), or a negative NETIF_RSP_*
 */
struct netif_rx_response {
	u16 id;
	u16 offset;
	u16 flags;
	s16 status;
};

/**
 * union netif_tx_sring_entry - one slot of a TX ring
 * @req: a request, or a struct netif_extra_info in its place
 * @rsp: the response written over it
 */
union netif_tx_sring_entry {
	struct netif_tx_request req;
	struct netif_tx_response rsp;
};

/**
 * union netif_rx_sring_entry - one slot of an RX ring
 * @req: a posted frame
 * @rsp: the response written over it, or a struct netif_extra_info
 */
union netif_rx_sring_entry {
	struct netif_rx_request req;
	struct netif_rx_response rsp;
};

/**
 * struct netif_tx_sring - a TX ring, at the start of its page
 * @req_prod: requests produced (frontend)
 * @req_event: notify the backend when @req_prod passes this (backend)
 * @rsp_prod: responses produced (backend)
 * @rsp_event: notify the frontend when @rsp_prod passes this (frontend)
 * @pvt: private bytes, unused
 * @_pad: unused
 * @ring: the slots, NETIF_RING_SLOTS of them in one page
 */
struct netif_tx_sring {
	u32 req_prod;
	u32 req_event;
	u32 rsp_prod;
	u32 rsp_event;
	u8 pvt[4];
	u8 _pad[44];
	union netif_tx_sring_entry ring[];
};

/**
 * struct netif_rx_sring - an RX ring, at the start of its page
 * @req_prod: requests (empty frames) produced (frontend)
 * @req_event: notify the backend when @req_prod passes this (backend)
 * @rsp_prod: responses produced (backend)
 * @rsp_event: notify the frontend when @rsp_prod passes this (frontend)
 * @pvt: private bytes, unused
 * @_pad: unused
 * @ring: the slots, NETIF_RING_SLOTS of them in one page
 */
struct netif_rx_sring {
	u32 req_prod;
	u32 req_event;
	u32 rsp_prod;
	u32 rsp_event;
	u8 pvt[4];
	u8 _pad[44];
	union netif_rx_sring_entry ring[];
};

#define NETIF_PAGE_SIZE		4096
/* Slots of a one-page ring, TX or RX: the power of two that fits */
#define NETIF_RING_SLOTS	256

#endif
