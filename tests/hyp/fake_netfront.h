/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A netif frontend as the host tests of minixen's network backend play
 * it (test_netback.c, test_xenbus_vif.c), in a domain of fake_xen.h:
 * per queue a TX and an RX ring in its RAM (frames and grants below),
 * TX data frames, RX frames it posts, its ports unbound for DOMID_XEN;
 * it sends through EVTCHNOP_send as the guest does. Included by one
 * file of a test, after fake_xen.h and fake_blkfront.h (frame(),
 * grant(), pinned()).
 */
#ifndef MX_FAKE_NETFRONT_H
#define MX_FAKE_NETFRONT_H

#include <minixen/netback.h>

/* Queue @q's rings: TX in frame 100 + 2q (grant 20 + 2q), RX next */
#define NF_TX_REF(q)		(20 + 2 * (q))
#define NF_RX_REF(q)		(21 + 2 * (q))
#define NF_TX_FRAME(q)		(100 + 2 * (q))
#define NF_RX_FRAME(q)		(101 + 2 * (q))
/* TX slot @s's data: frame 200 + s, grant 40 + s */
#define NF_DATA_REF(s)		(40 + (s))
#define NF_DATA_FRAME(s)	(200 + (s))
#define NF_MAX_DATA		24
/* RX frames of queue @q: 64 of them, request id i in the i % 64th */
#define NF_RX_BUFS		64
#define NF_RXB_REF(q, i)	(100 + NF_RX_BUFS * (q) + (i) % NF_RX_BUFS)
#define NF_RXB_FRAME(q, i)	(300 + NF_RX_BUFS * (q) + (i) % NF_RX_BUFS)

struct nfq {
	struct netif_tx_sring *tx;
	struct netif_rx_sring *rx;
	u32 tx_prod, tx_cons, rx_prod, rx_cons;
	u32 tx_port, rx_port;
};

struct nfront {
	struct domain *d;
	u32 nq;
	bool split;
	struct nfq q[NETBACK_MAX_QUEUES];
};

static u32 nf_port(struct domain *d)
{
	struct evtchn_alloc_unbound au = { .dom = DOMID_SELF,
					   .remote_dom = DOMID_XEN };

	if (evtchn_alloc_unbound(&d->xen.evtchn, &au))
		abort();
	return au.port;
}

/* Fresh rings and ports for @nq queues (@split: two ports each) */
static __maybe_unused void nf_setup(struct nfront *f, struct domain *d,
				    u32 nq, bool split)
{
	u32 i;

	memset(f, 0, sizeof(*f));
	f->d = d;
	f->nq = nq;
	f->split = split;
	for (i = 0; i < nq; i++) {
		struct nfq *q = &f->q[i];

		q->tx = (struct netif_tx_sring *)frame(d, NF_TX_FRAME(i));
		q->rx = (struct netif_rx_sring *)frame(d, NF_RX_FRAME(i));
		memset(q->tx, 0, SZ_4K);
		memset(q->rx, 0, SZ_4K);
		q->tx->req_event = 1;
		q->tx->rsp_event = 1;
		q->rx->req_event = 1;
		q->rx->rsp_event = 1;
		grant(d, NF_TX_REF(i), NF_TX_FRAME(i), DOMID_XEN, false);
		grant(d, NF_RX_REF(i), NF_RX_FRAME(i), DOMID_XEN, false);
		q->tx_port = nf_port(d);
		q->rx_port = split ? nf_port(d) : q->tx_port;
	}
	for (i = 0; i < NF_MAX_DATA; i++)
		grant(d, NF_DATA_REF(i), NF_DATA_FRAME(i), DOMID_XEN, true);
}

/* What netfront would write: every feature, no checksum refusal */
static __maybe_unused void nf_conf(const struct nfront *f,
				   struct netback_conf *c)
{
	u32 i;

	memset(c, 0, sizeof(*c));
	c->nr_queues = f->nq;
	c->split = f->split;
	for (i = 0; i < f->nq; i++)
		c->q[i] = (struct netback_qconf){ NF_TX_REF(i), NF_RX_REF(i),
			f->q[i].tx_port, f->q[i].rx_port };
	c->sg = true;
	c->gso4 = true;
	c->gso6 = true;
}

static __maybe_unused void nf_slot(struct nfront *f, u32 q,
				   const struct netif_tx_request *r)
{
	struct nfq *fq = &f->q[q];

	memcpy(&fq->tx->ring[fq->tx_prod++ % NETIF_RING_SLOTS].req, r,
	       sizeof(*r));
}

static __maybe_unused void nf_extra(struct nfront *f, u32 q,
				    const struct netif_extra_info *e)
{
	struct nfq *fq = &f->q[q];

	memcpy(&fq->tx->ring[fq->tx_prod++ % NETIF_RING_SLOTS].req, e,
	       sizeof(*e));
}

/* Publish the queued TX slots, send on the TX channel */
static __maybe_unused long nf_kick(struct nfront *f, u32 q)
{
	struct evtchn_send *sd = AT(struct evtchn_send, 64);

	WRITE_ONCE(f->q[q].tx->req_prod, f->q[q].tx_prod);
	sd->port = f->q[q].tx_port;
	return EVTCHN(f->d->vcpu[0], EVTCHNOP_send, 64);
}

/* Post @n RX frames (granted writable) on queue @q */
static __maybe_unused void nf_post(struct nfront *f, u32 q, u32 n)
{
	struct nfq *fq = &f->q[q];
	struct netif_rx_request r;

	while (n--) {
		r = (struct netif_rx_request){ .id = fq->rx_prod,
			.gref = NF_RXB_REF(q, fq->rx_prod) };
		grant(f->d, r.gref, NF_RXB_FRAME(q, fq->rx_prod), DOMID_XEN,
		      false);
		memcpy(&fq->rx->ring[fq->rx_prod++ % NETIF_RING_SLOTS].req, &r,
		       sizeof(r));
	}
	WRITE_ONCE(fq->rx->req_prod, fq->rx_prod);
}

static __maybe_unused bool nf_tx_rsp(struct nfront *f, u32 q,
				     struct netif_tx_response *r)
{
	struct nfq *fq = &f->q[q];

	if (fq->tx_cons == READ_ONCE(fq->tx->rsp_prod))
		return false;
	memcpy(r, &fq->tx->ring[fq->tx_cons++ % NETIF_RING_SLOTS].rsp,
	       sizeof(*r));
	fq->tx->rsp_event = fq->tx_cons + 1;
	return true;
}

/* The next RX slot's response (or extra info, cast), or false */
static __maybe_unused bool nf_rx_rsp(struct nfront *f, u32 q,
				     struct netif_rx_response *r)
{
	struct nfq *fq = &f->q[q];

	if (fq->rx_cons == READ_ONCE(fq->rx->rsp_prod))
		return false;
	memcpy(r, &fq->rx->ring[fq->rx_cons++ % NETIF_RING_SLOTS].rsp,
	       sizeof(*r));
	fq->rx->rsp_event = fq->rx_cons + 1;
	return true;
}

#endif
