// SPDX-License-Identifier: GPL-2.0-only
/*
 * minixen's network backend, RX: a switched packet written into the
 * frames a receiving interface posted on one of its RX rings (see
 * minixen/netback.h). The queue is chosen by a hash of the flow, so a
 * flow's packets stay in order; a packet that does not fit in the
 * frames posted is lost, never waited for.
 *
 * Each RX request taken gets its response in its slot: the first with
 * the checksum flags (and NETRXF_extra_info when a GSO slot follows),
 * NETRXF_more_data on all but the last frame, status the bytes written
 * (NETIF_RSP_ERROR for a frame whose grant could not be written).
 */
#include <minixen/guest_atomic.h>
#include "netback_priv.h"

#define ETH_P_IP	0x0800
#define ETH_P_IPV6	0x86dd
#define IPPROTO_TCP	6
#define IPPROTO_UDP	17

static u32 hash_bytes(u32 h, const u8 *p, u32 n)
{
	while (n--)
		h = (h ^ *p++) * 16777619U;
	return h;
}

/* Spread all of @h's bits into its low ones (the queue is h % n). */
static u32 mix(u32 h)
{
	h ^= h >> 16;
	h *= 0x7feb352dU;
	h ^= h >> 15;
	return h;
}

/* FNV-1a of the flow: IP addresses and TCP/UDP ports, else the MACs */
static u32 flow_hash(const u8 *f, u32 len)
{
	u32 h = 2166136261U, type = f[12] << 8 | f[13], ihl;

	if (type == ETH_P_IP && len >= 34) {
		ihl = (f[14] & 15) * 4;
		h = hash_bytes(h, f + 26, 8);
		if ((f[23] == IPPROTO_TCP || f[23] == IPPROTO_UDP) &&
		    !(f[20] & 0x3f) && !f[21] && ihl >= 20 &&
		    len >= ETH_HLEN + ihl + 4)
			h = hash_bytes(h, f + ETH_HLEN + ihl, 4);
		return mix(h);
	}
	if (type == ETH_P_IPV6 && len >= 54) {
		h = hash_bytes(h, f + 22, 32);
		if ((f[20] == IPPROTO_TCP || f[20] == IPPROTO_UDP) && len >= 58)
			h = hash_bytes(h, f + 54, 4);
		return mix(h);
	}
	return mix(hash_bytes(h, f, 2 * ETH_ALEN));
}

/* Can @vif take @p as it is? */
static bool acceptable(const struct netback_vif *vif, const struct netpkt *p)
{
	if (p->gso_type == XEN_NETIF_GSO_TYPE_TCPV4 && !vif->conf.gso4)
		return false;
	if (p->gso_type == XEN_NETIF_GSO_TYPE_TCPV6 && !vif->conf.gso6)
		return false;
	if ((p->flags & NETPKT_CSUM_BLANK) && vif->conf.no_csum)
		return false;
	return p->len <= NETIF_PAGE_SIZE || vif->conf.sg;
}

static u16 rx_flags(const struct netpkt *p)
{
	if (p->flags & NETPKT_CSUM_BLANK)
		return NETRXF_csum_blank | NETRXF_data_validated;
	return p->flags & NETPKT_VALIDATED ? NETRXF_data_validated : 0;
}

/* Under @rx_lock: take the next RX request, answer it with @r. */
static void rx_answer(struct netback_queue *q, struct netif_rx_response *r,
		      const void *data, u32 len)
{
	union netif_rx_sring_entry *e;
	struct netif_rx_request req;

	e = &q->rx->ring[q->rx_cons++ & (NETIF_RING_SLOTS - 1)];
	memcpy(&req, &e->req, sizeof(req));
	r->id = req.id;
	r->offset = 0;
	r->status = len;
	if (gnt_copy_hyp(&q->vif->d->xen.gnt, req.gref, 0, (void *)data, len,
			 true)) {
		r->status = NETIF_RSP_ERROR;
		q->stats.rx_errors++;
	}
	memcpy(&e->rsp, r, sizeof(*r));
}

/* Under @rx_lock: publish the RX responses, notify if asked to. */
static void push_rx(struct netback_queue *q)
{
	u32 old = q->rx_pushed, new = q->rx_cons;

	if (old == new)
		return;
	guest_wmb();
	WRITE_ONCE(q->rx->rsp_prod, new);
	guest_mb();
	q->rx_pushed = new;
	if ((u32)(new - READ_ONCE(q->rx->rsp_event)) < (u32)(new - old))
		evtchn_hyp_notify(q->rx_hport);
}

/* Under @rx_lock, RX on: @p into @q's frames, if there are enough. */
static void rx_packet(struct netback_queue *q, const struct netpkt *p)
{
	u32 need, prod, pos, n;
	struct netif_rx_response r;
	struct netif_extra_info gso = { .type = XEN_NETIF_EXTRA_TYPE_GSO };
	union netif_rx_sring_entry *e;

	need = (p->len + NETIF_PAGE_SIZE - 1) / NETIF_PAGE_SIZE +
	       (p->gso_type != XEN_NETIF_GSO_TYPE_NONE);
	prod = READ_ONCE(q->rx->req_prod);
	guest_rmb();
	if (prod - q->rx_cons > NETIF_RING_SLOTS) {
		netback_fail(q->vif, "RX request producer %u past the responses (%u slots)",
			     prod - q->rx_cons, NETIF_RING_SLOTS);
		return;
	}
	if (prod - q->rx_cons < need) {
		q->stats.rx_dropped++;
		return;
	}
	for (pos = 0; pos < p->len; pos += n) {
		n = MIN(p->len - pos, NETIF_PAGE_SIZE);
		r.flags = pos ? 0 : rx_flags(p);
		if (!pos && p->gso_type != XEN_NETIF_GSO_TYPE_NONE)
			r.flags |= NETRXF_extra_info;
		if (pos + n < p->len)
			r.flags |= NETRXF_more_data;
		rx_answer(q, &r, p->data + pos, n);
		if (pos || p->gso_type == XEN_NETIF_GSO_TYPE_NONE)
			continue;
		gso.u.gso.size = p->gso_size;
		gso.u.gso.type = p->gso_type;
		e = &q->rx->ring[q->rx_cons++ & (NETIF_RING_SLOTS - 1)];
		memcpy(&e->rsp, &gso, sizeof(gso));
	}
	q->stats.rx_packets++;
	push_rx(q);
}

/**
 * netback_rx_deliver() - a switched packet for an interface
 * @vif: the receiver
 * @p: the packet (the sender's @tx_lock held, guarding its buffer)
 *
 * Written into one of @vif's RX rings if it is connected, can take the
 * packet and has posted enough frames; else lost, and counted. An RX
 * producer more than a ring ahead fails @vif.
 */
void netback_rx_deliver(struct netback_vif *vif, const struct netpkt *p)
{
	u32 nq = READ_ONCE(vif->nr_queues);
	struct netback_queue *q;

	if (!nq || nq > NETBACK_MAX_QUEUES)
		return;
	q = &vif->q[flow_hash(p->data, p->len) % nq];
	spin_lock(&q->rx_lock);
	if (!q->rx_on || READ_ONCE(vif->failed))
		goto out;
	if (!acceptable(vif, p))
		q->stats.rx_dropped++;
	else
		rx_packet(q, p);
out:
	spin_unlock(&q->rx_lock);
}
