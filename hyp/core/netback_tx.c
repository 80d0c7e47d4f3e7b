// SPDX-License-Identifier: GPL-2.0-only
/*
 * minixen's network backend, TX: packets taken from a queue's TX ring,
 * checked, copied into the queue's buffer, answered and switched (see
 * minixen/netback.h for the rules).
 *
 * A packet's slots are copied out of the ring once and checked on the
 * copies: first the data slot, its extra info slots, the rest of its
 * data slots; each is answered in its own slot, in order, when the
 * packet is done, so the private response producer is the request
 * consumer, and a producer index more than a ring ahead of it can only
 * be a lie.
 */
#include <minixen/guest_atomic.h>
#include <minixen/hypercall.h>	/* arch_now_ns() */
#include "netback_priv.h"

/* The packet being taken: where its slots are, what its extras say */
struct txpkt {
	u32 nr_data;		/* data slots, in q->slot[] */
	u32 nr_extra;		/* extra slots, after the first data slot */
	bool bad;		/* answer NETIF_RSP_ERROR */
	struct netpkt p;
};

static struct netif_tx_request *tx_slot(struct netback_queue *q, u32 idx)
{
	return &q->tx->ring[idx & (NETIF_RING_SLOTS - 1)].req;
}

/* An extra info slot: GSO is taken, multicast and hash are ignored. */
static void take_extra(struct txpkt *t, const struct netif_extra_info *e)
{
	switch (e->type) {
	case XEN_NETIF_EXTRA_TYPE_GSO:
		if (!e->u.gso.size ||
		    (e->u.gso.type != XEN_NETIF_GSO_TYPE_TCPV4 &&
		     e->u.gso.type != XEN_NETIF_GSO_TYPE_TCPV6))
			t->bad = true;
		t->p.gso_type = e->u.gso.type;
		t->p.gso_size = e->u.gso.size;
		break;
	case XEN_NETIF_EXTRA_TYPE_MCAST_ADD:
	case XEN_NETIF_EXTRA_TYPE_MCAST_DEL:
	case XEN_NETIF_EXTRA_TYPE_HASH:
		break;
	default:
		t->bad = true;
	}
}

/*
 * Copy the slots of the packet at tx_cons out of the ring, up to
 * @avail of them. Returns 0, or -1 if the packet fails the interface.
 */
static int take_slots(struct netback_queue *q, u32 avail, struct txpkt *t)
{
	struct netif_extra_info e;
	u32 n = 1, flags;

	memcpy(&q->slot[0], tx_slot(q, q->tx_cons), sizeof(q->slot[0]));
	flags = q->slot[0].flags;
	if (flags & NETTXF_extra_info) {
		do {
			if (n >= avail)
				goto past_prod;
			if (t->nr_extra == NETBACK_MAX_EXTRAS) {
				netback_fail(q->vif, "more than %u extra info slots in a packet",
					     NETBACK_MAX_EXTRAS);
				return -1;
			}
			memcpy(&e, tx_slot(q, q->tx_cons + n++), sizeof(e));
			t->nr_extra++;
			take_extra(t, &e);
		} while (e.flags & XEN_NETIF_EXTRA_FLAG_MORE);
	}
	t->nr_data = 1;
	while (flags & NETTXF_more_data) {
		if (n >= avail)
			goto past_prod;
		if (t->nr_data + 1 == NETBACK_FATAL_SLOTS) {
			netback_fail(q->vif, "a packet of %u slots or more (queue %u)",
				     NETBACK_FATAL_SLOTS, q->idx);
			return -1;
		}
		memcpy(&q->slot[t->nr_data], tx_slot(q, q->tx_cons + n++),
		       sizeof(q->slot[0]));
		flags = q->slot[t->nr_data++].flags;
	}
	return 0;

past_prod:
	netback_fail(q->vif, "a packet runs past the TX request producer (%u slots, queue %u)",
		     n, q->idx);
	return -1;
}

/*
 * Check the sizes of the data slots (the first one's is the packet's)
 * and copy the data into the buffer. Returns 0, or -1 if a slot
 * crosses its frame (fatal); @t->bad for a packet to refuse.
 */
static int take_data(struct netback_queue *q, struct txpkt *t)
{
	struct netif_tx_request *s = q->slot;
	u32 i, rest = 0, len, pos = 0;

	for (i = 1; i < t->nr_data; i++) {
		if (s[i].offset + s[i].size > NETIF_PAGE_SIZE)
			goto cross;
		rest += s[i].size;
	}
	if (rest > s[0].size) {
		t->bad = true;
		return 0;
	}
	if (s[0].offset + s[0].size - rest > NETIF_PAGE_SIZE)
		goto cross;
	if (t->nr_data > XEN_NETIF_NR_SLOTS_MIN ||
	    s[0].size - rest < ETH_HLEN || t->bad) {
		t->bad = true;
		return 0;
	}
	for (i = 0; i < t->nr_data; i++) {
		len = i ? s[i].size : s[0].size - rest;
		if (gnt_copy_hyp(&q->vif->d->xen.gnt, s[i].gref, s[i].offset,
				 q->buf + pos, len, false)) {
			t->bad = true;
			return 0;
		}
		pos += len;
	}
	t->p.data = q->buf;
	t->p.len = pos;
	t->p.flags = (s[0].flags & NETTXF_csum_blank ? NETPKT_CSUM_BLANK : 0) |
		     (s[0].flags & NETTXF_data_validated ? NETPKT_VALIDATED : 0);
	return 0;

cross:
	netback_fail(q->vif, "a TX slot crosses its 4 KiB frame (queue %u)",
		     q->idx);
	return -1;
}

/* Answer the packet's slots in ring order: first, extras, the rest. */
static void answer(struct netback_queue *q, const struct txpkt *t)
{
	s16 st = t->bad ? NETIF_RSP_ERROR : NETIF_RSP_OKAY;
	struct netif_tx_response r;
	u32 i;

	for (i = 0; i < 1 + t->nr_extra + t->nr_data - 1; i++) {
		r.status = st;
		if (!i)
			r.id = q->slot[0].id;
		else if (i <= t->nr_extra)
			r = (struct netif_tx_response){ 0, NETIF_RSP_NULL };
		else
			r.id = q->slot[i - t->nr_extra].id;
		memcpy(&q->tx->ring[(q->tx_cons + i) & (NETIF_RING_SLOTS - 1)].rsp,
		       &r, sizeof(r));
	}
	q->tx_cons += i;
}

/* Send a good packet to where the switch says. */
static void forward(struct netback_queue *q, const struct netpkt *p)
{
	void *to[VSWITCH_PORTS];
	u32 i, n;

	n = vswitch_route(&netback_switch, q->vif->port, p->data,
			  arch_now_ns(), to, ARRAY_SIZE(to));
	for (i = 0; i < n; i++)
		netback_rx_deliver(to[i], p);
}

/* Take, answer and forward the packet at tx_cons: 0, or -1 (fatal). */
static int tx_packet(struct netback_queue *q, u32 avail)
{
	struct txpkt t = { 0 };

	if (take_slots(q, avail, &t) || take_data(q, &t))
		return -1;
	answer(q, &t);
	if (t.bad) {
		q->stats.tx_errors++;
		pr_debug("%s: vif %u: TX packet refused (slot %u, queue %u)",
			 q->vif->d->name, q->vif->handle, q->tx_cons, q->idx);
		return 0;
	}
	q->stats.tx_packets++;
	forward(q, &t.p);
	return 0;
}

/* Publish the TX responses, notify if the frontend asked for it. */
static void push_tx(struct netback_queue *q)
{
	u32 old = q->tx_pushed, new = q->tx_cons;

	if (old == new)
		return;
	guest_wmb();
	WRITE_ONCE(q->tx->rsp_prod, new);
	guest_mb();
	q->tx_pushed = new;
	if ((u32)(new - READ_ONCE(q->tx->rsp_event)) < (u32)(new - old))
		evtchn_hyp_notify(q->tx_hport);
}

/**
 * netback_tx_serve() - serve a queue's TX ring, a budget at a time
 * @q: the queue, TX on, its @tx_lock held
 *
 * Return: whether requests are left (for netback_resume()); false also
 * when the interface failed.
 */
bool netback_tx_serve(struct netback_queue *q)
{
	u32 prod, done = 0;
	bool more = false;

	for (;;) {
		prod = READ_ONCE(q->tx->req_prod);
		guest_rmb();
		if (prod - q->tx_cons > NETIF_RING_SLOTS) {
			netback_fail(q->vif, "TX request producer %u past the responses (%u slots)",
				     prod - q->tx_cons, NETIF_RING_SLOTS);
			break;
		}
		while (q->tx_cons != prod && done < NETBACK_BUDGET &&
		       !READ_ONCE(q->vif->failed)) {
			if (tx_packet(q, prod - q->tx_cons))
				break;
			done++;
		}
		if (READ_ONCE(q->vif->failed))
			break;
		more = q->tx_cons != prod;
		if (more)
			break;
		WRITE_ONCE(q->tx->req_event, q->tx_cons + 1);
		guest_mb();
		more = READ_ONCE(q->tx->req_prod) != q->tx_cons;
		if (!more || done == NETBACK_BUDGET)
			break;
	}
	push_tx(q);
	return more && !READ_ONCE(q->vif->failed);
}
