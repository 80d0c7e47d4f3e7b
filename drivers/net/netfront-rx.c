// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen-netfront: receiving.
 *
 * RX buffers are pages from the queue's page_pool, zeroed and granted
 * writable to the backend one per ring slot.  A response is copied out
 * of the ring once and checked (the id is its slot, offset + size within
 * the page, extra-info types, the producer index) before anything is
 * used.  A packet of up to NETF_RX_COPYBREAK bytes is copied into the
 * skb's linear area and its pages stay on the ring, granted.  A larger
 * one takes its pages: each grant is ended first (so the backend can no
 * longer write what the stack reads), the pages go into the skb as
 * fragments, marked for recycling (freeing the skb gives them back to
 * the pool, not to the page allocator), and the slots get fresh pages.
 * When the pool cannot give a page, the ring is posted as far as it can
 * be and a timer tries again.
 */
#include <linux/etherdevice.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/timer.h>

#include <xen/interface/io/ring.h>

#include <pvxen/compat-net.h>
#include <pvxen/events.h>
#include <pvxen/grant.h>

#include "netfront.h"

#define NETF_RX_MASK	(NETF_RX_RING_SIZE - 1)
/* A ring short of pages tries again this much later. */
#define NETF_RX_REFILL_DELAY	(HZ / 10)

/* ---- the RX pages ---------------------------------------------------------- */

/* Give RX slot @id a zeroed page from the pool, granted to the backend. */
static bool netf_rx_fill_slot(struct netf_queue *q, unsigned int id, gfp_t gfp)
{
	struct netf_buf *b = &q->rx_bufs[id];
	struct page *pg;

	if (b->page)
		return true;
	pg = page_pool_alloc_pages(q->rx_pool, gfp | __GFP_NOWARN);
	if (!pg)
		return false;
	/* Nothing of an earlier packet is shown to the backend. */
	clear_page(page_address(pg));
	b->page = pg;
	pvxen_gnttab_grant_access_ref(b->gref, q->info->xbdev->otherend_id,
				      pvxen_page_to_gfn(pg), false);
	return true;
}

/* Take RX slot @id's page back from the backend.  Return: the page, or
 * NULL if the backend still maps it (the slot keeps it).
 */
static struct page *netf_rx_take_slot(struct netf_queue *q, unsigned int id)
{
	struct netf_buf *b = &q->rx_bufs[id];
	struct page *pg = b->page;

	if (pvxen_gnttab_try_revoke(b->gref))
		return NULL;
	b->page = NULL;
	return pg;
}

/* Post every free slot of the RX ring that has (or gets) a page. */
static void netf_rx_refill(struct netf_queue *q)
{
	RING_IDX i, end = q->rx.rsp_cons + NETF_RX_RING_SIZE;
	bool notify;

	for (i = q->rx.req_prod_pvt; i != end; i++) {
		struct xen_netif_rx_request *req;
		unsigned int id = i & NETF_RX_MASK;

		if (!netf_rx_fill_slot(q, id, GFP_ATOMIC)) {
			q->rx_refill_short++;
			mod_timer(&q->rx_refill_timer,
				  jiffies + NETF_RX_REFILL_DELAY);
			break;
		}
		req = RING_GET_REQUEST(&q->rx, i);
		req->id = id;
		req->gref = q->rx_bufs[id].gref;
	}
	if (i == q->rx.req_prod_pvt)
		return;
	q->rx.req_prod_pvt = i;
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&q->rx, notify);
	if (notify)
		pvxen_evtchn_send(q->evtchn_rx.port ?: q->evtchn.port);
}

/* The ring ran short of pages: the poll refills it. */
static void netf_rx_refill_timeout(struct timer_list *t)
{
	struct netf_queue *q = from_timer(q, t, rx_refill_timer);

	if (READ_ONCE(q->live))
		napi_schedule(&q->napi);
}

/* Add @pool's statistics to @st. */
static void netf_rx_pool_stats_fold(struct page_pool *pool,
				    struct netf_pp_stats *st)
{
#ifdef CONFIG_PAGE_POOL_STATS
	struct page_pool_stats ps = {};

	if (!page_pool_get_stats(pool, &ps))
		return;
	st->fast += ps.alloc_stats.fast;
	st->recycled += ps.recycle_stats.cached + ps.recycle_stats.ring;
#endif
}

/**
 * netf_rx_pool_stats() - A queue's page_pool statistics, past pools
 * included.
 * @q: the queue
 * @st: filled in (zeros without CONFIG_PAGE_POOL_STATS)
 *
 * Context: process or softirq.
 */
void netf_rx_pool_stats(struct netf_queue *q, struct netf_pp_stats *st)
{
	spin_lock_bh(&q->rx_pool_lock);
	*st = q->rx_pp_done;
	if (q->rx_pool)
		netf_rx_pool_stats_fold(q->rx_pool, st);
	spin_unlock_bh(&q->rx_pool_lock);
}

/* ---- packets ------------------------------------------------------------- */

/* Append @len bytes at @src to @skb: the linear area first, then pages
 * of the pool.
 */
static int netf_rx_append(struct netf_queue *q, struct sk_buff *skb,
			  const u8 *src, unsigned int len,
			  unsigned int *linear_left)
{
	struct skb_shared_info *sh = skb_shinfo(skb);
	unsigned int n;

	n = min(len, *linear_left);
	if (n) {
		skb_put_data(skb, src, n);
		*linear_left -= n;
		src += n;
		len -= n;
	}
	while (len) {
		skb_frag_t *f = sh->nr_frags ? &sh->frags[sh->nr_frags - 1] : NULL;
		unsigned int used = f ? skb_frag_off(f) + skb_frag_size(f) : 0;
		struct page *pg;

		if (!f || used == PAGE_SIZE) {
			if (sh->nr_frags == MAX_SKB_FRAGS)
				return -EMSGSIZE;
			pg = page_pool_dev_alloc_pages(q->rx_pool);
			if (!pg)
				return -ENOMEM;
			pvxen_skb_add_pool_frag(skb, q->rx_pool, pg, 0, 0,
						PAGE_SIZE);
			continue;
		}
		n = min_t(unsigned int, len, PAGE_SIZE - used);
		memcpy(page_address(skb_frag_page(f)) + used, src, n);
		skb_frag_size_add(f, n);
		skb->len += n;
		skb->data_len += n;
		src += n;
		len -= n;
	}
	return 0;
}

/* Gather the packet at the ring's consumer index from the responses up
 * to @rp.  Return: 0, -EAGAIN if its last slot has not come yet, or
 * -EPROTO with @why filled in.
 */
static int netf_rx_gather(struct netf_queue *q, RING_IDX rp,
			  struct netf_rx_pkt *p, char *why, size_t wlen)
{
	RING_IDX i = q->rx.rsp_cons;
	struct xen_netif_extra_info ex;
	bool more = true, extra = false;

	memset(p, 0, sizeof(*p));
	while (more || extra) {
		if (i == rp)
			return -EAGAIN;
		if (p->slots == NETF_RX_MAX_SLOTS) {
			snprintf(why, wlen, "RX packet of more than %u slots",
				 (unsigned int)NETF_RX_MAX_SLOTS);
			return -EPROTO;
		}
		if (extra) {
			/* An extra-info slot overlays the response. */
			RING_COPY_RESPONSE(&q->rx, i, (struct xen_netif_rx_response *)&ex);
			i++;
			p->slots++;
			if (ex.type == XEN_NETIF_EXTRA_TYPE_NONE ||
			    ex.type >= XEN_NETIF_EXTRA_TYPE_MAX) {
				snprintf(why, wlen, "RX extra-info type %u",
					 ex.type);
				return -EPROTO;
			}
			if (ex.type == XEN_NETIF_EXTRA_TYPE_GSO) {
				if (ex.u.gso.type != XEN_NETIF_GSO_TYPE_TCPV4 &&
				    ex.u.gso.type != XEN_NETIF_GSO_TYPE_TCPV6) {
					snprintf(why, wlen, "RX GSO type %u",
						 ex.u.gso.type);
					return -EPROTO;
				}
				p->gso = ex;
			}
			extra = ex.flags & XEN_NETIF_EXTRA_FLAG_MORE;
			continue;
		}
		RING_COPY_RESPONSE(&q->rx, i, &p->rsp[p->nr]);
		if (p->rsp[p->nr].id != (i & NETF_RX_MASK)) {
			snprintf(why, wlen, "RX response id %u in slot %u",
				 p->rsp[p->nr].id,
				 (unsigned int)(i & NETF_RX_MASK));
			return -EPROTO;
		}
		if (p->rsp[p->nr].status < 0) {
			p->error = true;
		} else if (p->rsp[p->nr].offset + p->rsp[p->nr].status >
			   PAGE_SIZE) {
			snprintf(why, wlen,
				 "RX offset %u + size %d beyond the page",
				 p->rsp[p->nr].offset, p->rsp[p->nr].status);
			return -EPROTO;
		}
		if (p->rsp[p->nr].status >= 0)
			p->len += p->rsp[p->nr].status;
		more = p->rsp[p->nr].flags & XEN_NETRXF_more_data;
		extra = !p->nr && (p->rsp[0].flags & XEN_NETRXF_extra_info);
		p->nr++;
		p->slots++;
		i++;
	}
	return 0;
}

/* Copy a small packet (or one of more slots than an skb has fragments)
 * out of its slots' pages, which stay on the ring.
 */
static struct sk_buff *netf_rx_copy(struct netf_queue *q,
				    const struct netf_rx_pkt *p)
{
	unsigned int i, linear = min_t(unsigned int, p->len, NETF_RX_COPYBREAK);
	struct sk_buff *skb;

	skb = napi_alloc_skb(&q->napi, linear);
	if (!skb)
		return NULL;
	skb_mark_for_recycle(skb);
	for (i = 0; i < p->nr; i++) {
		const struct xen_netif_rx_response *r = &p->rsp[i];
		const u8 *src = page_address(q->rx_bufs[r->id].page);

		if (netf_rx_append(q, skb, src + r->offset, r->status,
				   &linear)) {
			dev_kfree_skb_any(skb);
			return NULL;
		}
	}
	q->rx_copied++;
	return skb;
}

/* Hand a large packet's pages to the stack, the headers pulled into the
 * linear area.  Return: the skb, NULL (no memory), or ERR_PTR(-EPROTO)
 * if the backend would not give a page back.
 */
static struct sk_buff *netf_rx_frags(struct netf_queue *q,
				     const struct netf_rx_pkt *p)
{
	struct sk_buff *skb;
	struct page *pg;
	unsigned int i;

	skb = napi_alloc_skb(&q->napi, NETF_RX_COPYBREAK);
	if (!skb)
		return NULL;
	/* Freeing the skb gives its pages back to the pool. */
	skb_mark_for_recycle(skb);
	for (i = 0; i < p->nr; i++) {
		const struct xen_netif_rx_response *r = &p->rsp[i];

		if (!r->status)
			continue;	/* the page stays on the ring */
		pg = netf_rx_take_slot(q, r->id);
		if (!pg) {
			dev_kfree_skb_any(skb);
			return ERR_PTR(-EPROTO);
		}
		pvxen_skb_add_pool_frag(skb, q->rx_pool, pg, r->offset,
					r->status, PAGE_SIZE);
	}
	if (!__pskb_pull_tail(skb, min_t(unsigned int, p->len,
					 NETF_RX_COPYBREAK))) {
		dev_kfree_skb_any(skb);
		return NULL;
	}
	return skb;
}

/* Build the skb of a gathered packet.  Return: the skb, NULL if it is
 * dropped (counted), or ERR_PTR(-EPROTO) with @why filled in.
 */
static struct sk_buff *netf_rx_skb(struct netf_queue *q,
				   const struct netf_rx_pkt *p,
				   char *why, size_t wlen)
{
	struct net_device *dev = q->info->netdev;
	struct sk_buff *skb;

	if (p->error || p->len < ETH_HLEN) {
		q->rx_errors++;
		return NULL;
	}
	if (p->len <= NETF_RX_COPYBREAK || p->nr > MAX_SKB_FRAGS)
		skb = netf_rx_copy(q, p);
	else
		skb = netf_rx_frags(q, p);
	if (IS_ERR(skb)) {
		snprintf(why, wlen, "the backend keeps an RX page mapped");
		return skb;
	}
	if (!skb) {
		q->rx_dropped++;
		return NULL;
	}
	skb->protocol = eth_type_trans(skb, dev);
	/* skb_checksum_setup() finds the IP header here. */
	skb_reset_network_header(skb);
	if (p->rsp[0].flags & XEN_NETRXF_csum_blank) {
		/* Sets csum_start/offset: CHECKSUM_PARTIAL, as a local
		 * sender would have it.
		 */
		if (skb_checksum_setup(skb, true)) {
			q->rx_errors++;
			dev_kfree_skb_any(skb);
			return NULL;
		}
		q->rx_csum++;
	} else if (p->rsp[0].flags & XEN_NETRXF_data_validated) {
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	}
	if (p->gso.type == XEN_NETIF_EXTRA_TYPE_GSO && p->gso.u.gso.size) {
		skb_shinfo(skb)->gso_size = p->gso.u.gso.size;
		skb_shinfo(skb)->gso_type =
			(p->gso.u.gso.type == XEN_NETIF_GSO_TYPE_TCPV6 ?
			 SKB_GSO_TCPV6 : SKB_GSO_TCPV4) | SKB_GSO_DODGY;
		skb_shinfo(skb)->gso_segs = 0;
		q->rx_gso++;
	}
	return skb;
}

/**
 * netf_rx_poll() - Receive up to @budget packets of a queue.
 * @q: the queue, live
 * @budget: at most this many packets
 *
 * Refills the ring with what was consumed.  A backend that broke the
 * protocol has the queue broken (netf_break()).
 *
 * Context: the queue's NAPI poll.
 * Return: the packets consumed (received or dropped).
 */
int netf_rx_poll(struct netf_queue *q, int budget)
{
	struct netf_rx_pkt *p = &q->rx_pkt;
	struct sk_buff *skb;
	int done = 0, ret;
	char why[80];
	RING_IDX rp;

	rp = READ_ONCE(q->rx.sring->rsp_prod);
	virt_rmb();	/* responses only after rsp_prod */
	if (pvxen_ring_rsp_overrun(&q->rx, rp)) {
		snprintf(why, sizeof(why),
			 "backend produced %u RX responses for %u requests",
			 rp - q->rx.rsp_cons,
			 q->rx.req_prod_pvt - q->rx.rsp_cons);
		netf_break(q, why);
		return 0;
	}
	while (done < budget && q->rx.rsp_cons != rp) {
		ret = netf_rx_gather(q, rp, p, why, sizeof(why));
		if (ret == -EAGAIN)
			break;
		if (ret) {
			netf_break(q, why);
			return done;
		}
		skb = netf_rx_skb(q, p, why, sizeof(why));
		if (IS_ERR(skb)) {
			netf_break(q, why);
			return done;
		}
		q->rx.rsp_cons += p->slots;
		if (skb) {
			u64_stats_update_begin(&q->rx_stats.syncp);
			q->rx_stats.packets++;
			q->rx_stats.bytes += p->len;
			u64_stats_update_end(&q->rx_stats.syncp);
			napi_gro_receive(&q->napi, skb);
		}
		done++;
	}
	netf_rx_refill(q);
	return done;
}

/* ---- set-up and teardown ------------------------------------------------- */

/**
 * netf_rx_setup() - A queue's page pool, its RX slots filled and posted.
 * @q: the queue, its RX ring initialised
 *
 * Context: process.
 * Return: 0 or a negative errno (undo with netf_rx_teardown()).
 */
int netf_rx_setup(struct netf_queue *q)
{
	struct page_pool_params pp = {
		.order = 0,
		.pool_size = NETF_RX_RING_SIZE * 2,
		.nid = NUMA_NO_NODE,
	};
	struct page_pool *pool;
	unsigned int i;
	int ret;

	for (i = 0; i < NETF_RX_RING_SIZE; i++) {
		q->rx_bufs[i].page = NULL;
		q->rx_bufs[i].gref = PVXEN_XENBUS_NO_REF;
	}
	timer_setup(&q->rx_refill_timer, netf_rx_refill_timeout, 0);
	pool = page_pool_create(&pp);
	if (IS_ERR(pool))
		return PTR_ERR(pool);
	spin_lock_bh(&q->rx_pool_lock);
	q->rx_pool = pool;
	spin_unlock_bh(&q->rx_pool_lock);
	for (i = 0; i < NETF_RX_RING_SIZE; i++) {
		ret = pvxen_gnttab_alloc_ref();
		if (ret < 0)
			return ret;
		q->rx_bufs[i].gref = ret;
		if (!netf_rx_fill_slot(q, i, GFP_KERNEL))
			return -ENOMEM;
	}
	/* Every RX slot posted before the backend looks. */
	netf_rx_refill(q);
	return 0;
}

/**
 * netf_rx_teardown() - Give back the RX slots' pages and grants, and the
 * pool.
 * @q: the queue, no longer live, its poll ended
 *
 * A page the backend still maps goes to pvxen-core's deferred reclaim
 * with its grant, still the pool's, and back to the pool when the backend
 * lets go; pages the stack still holds go back to the pool when their
 * skbs are freed.  The pool goes when the last of its pages is back.
 */
void netf_rx_teardown(struct netf_queue *q)
{
	struct page_pool *pool = q->rx_pool;
	unsigned int i;

	if (!pool)
		return;	/* netf_rx_setup() did not get this far */
	timer_delete_sync(&q->rx_refill_timer);
	for (i = 0; i < NETF_RX_RING_SIZE; i++) {
		struct netf_buf *b = &q->rx_bufs[i];

		if (b->gref == PVXEN_XENBUS_NO_REF)
			continue;
		if (!b->page) {
			pvxen_gnttab_free_ref(b->gref);
		} else if (!pvxen_gnttab_try_revoke(b->gref)) {
			page_pool_put_full_page(pool, b->page, false);
			pvxen_gnttab_free_ref(b->gref);
		} else {
			pvxen_gnttab_end_access_pool(b->gref, b->page, pool);
		}
		b->page = NULL;
		b->gref = PVXEN_XENBUS_NO_REF;
	}
	spin_lock_bh(&q->rx_pool_lock);
	netf_rx_pool_stats_fold(pool, &q->rx_pp_done);
	q->rx_pool = NULL;
	spin_unlock_bh(&q->rx_pool_lock);
	page_pool_destroy(pool);
}
