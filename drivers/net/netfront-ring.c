// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen-netfront: the queues: TX and RX rings with their pages, the
 * interrupt, sending, and the NAPI poll that completes sends and
 * receives.
 *
 * Everything the backend writes into a ring is copied out once
 * (RING_COPY_RESPONSE) and checked before use: response ids, statuses,
 * offsets and sizes against the page, extra-info types, and the producer
 * index against what was asked for.  A backend that breaks any of these
 * rules gets its queue stopped and the device closed (pvxen-core's fail
 * work), never an oops or a write outside our pages.
 */
#include <linux/etherdevice.h>
#include <linux/gfp.h>
#include <linux/if_ether.h>
#include <linux/if_vlan.h>
#include <linux/interrupt.h>
#include <linux/mm.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/slab.h>

#include <xen/interface/io/ring.h>

#include <pvxen/events.h>
#include <pvxen/grant.h>

#include "netfront.h"

#define NETF_RX_MASK	(NETF_RX_RING_SIZE - 1)

/* ---- pages lent to the backend ------------------------------------------- */

static void netf_bufs_free(struct netf_buf *bufs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct netf_buf *b = &bufs[i];

		if (!b->page)
			continue;
		/* A page the backend still maps goes to deferred reclaim. */
		if (b->gref != PVXEN_XENBUS_NO_REF)
			pvxen_gnttab_end_access(b->gref, b->page);
		else
			__free_page(b->page);
		b->page = NULL;
		b->gref = PVXEN_XENBUS_NO_REF;
	}
}

static int netf_bufs_alloc(struct netf_info *info, struct netf_buf *bufs,
			   unsigned int n, bool readonly)
{
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		bufs[i].gref = PVXEN_XENBUS_NO_REF;
		bufs[i].page = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!bufs[i].page)
			return -ENOMEM;
		ret = pvxen_gnttab_grant_access(info->xbdev->otherend_id,
						pvxen_page_to_gfn(bufs[i].page),
						readonly);
		if (ret < 0)
			return ret;
		bufs[i].gref = ret;
	}
	return 0;
}

/* ---- breaking a queue -------------------------------------------------- */

/* The backend broke the protocol on @q: stop the queue for good, say why
 * once, and have pvxen-core close the device.  Called with the TX lock
 * held or from the queue's poll.
 */
static void netf_break(struct netf_queue *q, const char *why)
{
	struct netf_info *info = q->info;

	if (test_and_set_bit(0, &q->broken))
		return;
	netdev_err(info->netdev, "queue %u: %s; disabled for further use\n",
		   q->id, why);
	info->broken++;
	pvxen_front_fatal(&info->front);
}

/* ---- sending ---------------------------------------------------------------- */

static unsigned int netf_tx_space(struct netf_queue *q)
{
	return min(q->tx_nfree,
		   NETF_TX_RING_SIZE - (q->tx.req_prod_pvt - q->tx.rsp_cons));
}

/* Consume the TX responses: give back their buffers, count errors.  With
 * the TX lock held.  Return: whether any response was seen (or the ring
 * broke).
 */
static bool netf_tx_complete_locked(struct netf_queue *q)
{
	struct xen_netif_tx_response rsp;
	bool seen = false, more;
	char why[80];
	RING_IDX i, rp;

	if (!q->live || test_bit(0, &q->broken))
		return false;
	do {
		rp = READ_ONCE(q->tx.sring->rsp_prod);
		virt_rmb();	/* responses only after rsp_prod */
		if (pvxen_ring_rsp_overrun(&q->tx, rp)) {
			snprintf(why, sizeof(why),
				 "backend produced %u TX responses for %u requests",
				 rp - q->tx.rsp_cons,
				 q->tx.req_prod_pvt - q->tx.rsp_cons);
			netf_break(q, why);
			return true;
		}
		for (i = q->tx.rsp_cons; i != rp; i++) {
			RING_COPY_RESPONSE(&q->tx, i, &rsp);
			seen = true;
			if (rsp.status == XEN_NETIF_RSP_NULL) {
				/* the slot of an extra-info request */
				if (!q->tx_extras) {
					netf_break(q,
						   "TX null response without an extra-info request");
					return true;
				}
				q->tx_extras--;
				continue;
			}
			if (rsp.id >= NETF_TX_RING_SIZE || !q->tx_busy[rsp.id]) {
				snprintf(why, sizeof(why),
					 "TX response id %u is not in flight",
					 rsp.id);
				netf_break(q, why);
				return true;
			}
			q->tx_busy[rsp.id] = false;
			q->tx_free[q->tx_nfree++] = rsp.id;
			if (rsp.status != XEN_NETIF_RSP_OKAY)
				q->tx_errors++;
		}
		q->tx.rsp_cons = rp;
		RING_FINAL_CHECK_FOR_RESPONSES(&q->tx, more);
	} while (more);

	if (netf_tx_space(q) >= NETF_TX_MAX_SLOTS &&
	    netif_tx_queue_stopped(netdev_get_tx_queue(q->info->netdev, q->id)) &&
	    READ_ONCE(q->info->front.conn) == PVXEN_FRONT_CONNECTED)
		netif_tx_wake_queue(netdev_get_tx_queue(q->info->netdev, q->id));
	return seen;
}

static bool netf_tx_complete(struct netf_queue *q)
{
	unsigned long flags;
	bool seen;

	spin_lock_irqsave(&q->tx_lock, flags);
	seen = netf_tx_complete_locked(q);
	spin_unlock_irqrestore(&q->tx_lock, flags);
	return seen;
}

/* The GSO extra-info request of @skb, if it has one. */
static bool netf_tx_gso(struct sk_buff *skb, struct xen_netif_extra_info *gso)
{
	if (!skb_is_gso(skb))
		return false;
	memset(gso, 0, sizeof(*gso));
	gso->type = XEN_NETIF_EXTRA_TYPE_GSO;
	gso->u.gso.size = skb_shinfo(skb)->gso_size;
	gso->u.gso.type = skb_shinfo(skb)->gso_type & SKB_GSO_TCPV6 ?
			  XEN_NETIF_GSO_TYPE_TCPV6 : XEN_NETIF_GSO_TYPE_TCPV4;
	return true;
}

/* Can the backend take @skb as it is (@nslots data slots, @gso)?  The
 * interface's features follow the backend's, but a packet may have been
 * built before a reconnection to a backend that offers less.  Return: 0,
 * or a negative errno to drop it.
 */
static int netf_tx_fits(const struct netf_be_features *be,
			struct sk_buff *skb, unsigned int nslots,
			const struct xen_netif_extra_info *gso)
{
	if (nslots > 1 && !be->sg)
		return -EMSGSIZE;
	if (gso) {
		if (!(skb_shinfo(skb)->gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6)))
			return -EPROTONOSUPPORT;
		if (gso->u.gso.type == XEN_NETIF_GSO_TYPE_TCPV6 ?
		    !be->gso6 : !be->gso4)
			return -EPROTONOSUPPORT;
		return 0;
	}
	/* The backend fills in IPv4 checksums always, IPv6 if it offers. */
	if (skb->ip_summed == CHECKSUM_PARTIAL && !be->csum6 &&
	    vlan_get_protocol(skb) == htons(ETH_P_IPV6))
		return skb_checksum_help(skb);
	return 0;
}

/**
 * netf_start_xmit() - Send a packet: copy it into the pages of its slots.
 * @skb: the packet
 * @dev: the interface
 *
 * Context: softirq or process, the stack's TX lock of the queue held.
 * Return: NETDEV_TX_OK (the packet is sent or dropped and counted).
 */
netdev_tx_t netf_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct netf_info *info = netdev_priv(dev);
	u16 qi = skb_get_queue_mapping(skb);
	struct netf_queue *q = &info->queues[min_t(u16, qi, info->nr_queues - 1)];
	struct xen_netif_extra_info gso;
	struct netdev_queue *txq;
	unsigned int len = skb->len, nslots, s, off, n;
	u16 ids[NETF_TX_MAX_SLOTS];
	unsigned long flags;
	bool has_gso, notify;
	u16 first_flags = 0;

	if (len < ETH_HLEN || len > XEN_NETIF_MAX_TX_SIZE)
		goto drop;
	has_gso = netf_tx_gso(skb, &gso);
	nslots = DIV_ROUND_UP(len, PAGE_SIZE);
	if (netf_tx_fits(&info->be, skb, nslots, has_gso ? &gso : NULL))
		goto drop;
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		first_flags |= XEN_NETTXF_csum_blank | XEN_NETTXF_data_validated;
	else if (skb->ip_summed == CHECKSUM_UNNECESSARY)
		first_flags |= XEN_NETTXF_data_validated;
	txq = netdev_get_tx_queue(dev, q->id);

	/* Reserve the buffers: only the completions race with us. */
	spin_lock_irqsave(&q->tx_lock, flags);
	if (!q->live || test_bit(0, &q->broken) ||
	    READ_ONCE(info->front.conn) != PVXEN_FRONT_CONNECTED) {
		spin_unlock_irqrestore(&q->tx_lock, flags);
		goto drop;
	}
	if (netf_tx_space(q) < nslots + has_gso) {
		netif_tx_stop_queue(txq);
		spin_unlock_irqrestore(&q->tx_lock, flags);
		return NETDEV_TX_BUSY;
	}
	for (s = 0; s < nslots; s++) {
		ids[s] = q->tx_free[--q->tx_nfree];
		q->tx_busy[ids[s]] = true;
	}
	spin_unlock_irqrestore(&q->tx_lock, flags);

	/* The pages are ours until the requests are pushed. */
	for (s = 0, off = 0; s < nslots; s++, off += n) {
		n = min_t(unsigned int, PAGE_SIZE, len - off);
		if (skb_copy_bits(skb, off, page_address(q->tx_bufs[ids[s]].page),
				  n))
			WARN_ON_ONCE(1);	/* off + n <= skb->len */
	}

	spin_lock_irqsave(&q->tx_lock, flags);
	for (s = 0, off = 0; s < nslots; s++, off += n) {
		struct xen_netif_tx_request *req;

		n = min_t(unsigned int, PAGE_SIZE, len - off);
		req = RING_GET_REQUEST(&q->tx, q->tx.req_prod_pvt++);
		req->gref = q->tx_bufs[ids[s]].gref;
		req->offset = 0;
		req->id = ids[s];
		/* The first request carries the whole packet's size. */
		req->size = s ? n : len;
		req->flags = s ? 0 : first_flags;
		if (off + n < len)
			req->flags |= XEN_NETTXF_more_data;
		if (!s && has_gso) {
			req->flags |= XEN_NETTXF_extra_info;
			*(struct xen_netif_extra_info *)
				RING_GET_REQUEST(&q->tx, q->tx.req_prod_pvt++) = gso;
			q->tx_extras++;
		}
	}
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&q->tx, notify);
	if (notify)
		pvxen_evtchn_send(q->evtchn.port);
	u64_stats_update_begin(&q->tx_stats.syncp);
	q->tx_stats.packets++;
	q->tx_stats.bytes += len;
	u64_stats_update_end(&q->tx_stats.syncp);
	q->tx_csum += !!(first_flags & XEN_NETTXF_csum_blank);
	q->tx_gso += has_gso;
	/* Room for the largest packet, or wait for completions. */
	netf_tx_complete_locked(q);
	if (netf_tx_space(q) < NETF_TX_MAX_SLOTS)
		netif_tx_stop_queue(txq);
	spin_unlock_irqrestore(&q->tx_lock, flags);
	dev_consume_skb_any(skb);
	return NETDEV_TX_OK;
drop:
	dev->stats.tx_dropped++;
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

/* ---- receiving ----------------------------------------------------------- */

/* Append @len bytes at @src to @skb: the linear area first, then pages. */
static int netf_rx_append(struct sk_buff *skb, const u8 *src, unsigned int len,
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
			pg = alloc_page(GFP_ATOMIC);
			if (!pg)
				return -ENOMEM;
			skb_add_rx_frag(skb, sh->nr_frags, pg, 0, 0, PAGE_SIZE);
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

/* Build the skb of a gathered packet; NULL if it is dropped (counted). */
static struct sk_buff *netf_rx_skb(struct netf_queue *q,
				   const struct netf_rx_pkt *p)
{
	struct net_device *dev = q->info->netdev;
	unsigned int i, linear;
	struct sk_buff *skb;

	if (p->error || p->len < ETH_HLEN) {
		q->rx_errors++;
		return NULL;
	}
	linear = min_t(unsigned int, p->len, NETF_RX_COPYBREAK);
	skb = napi_alloc_skb(&q->napi, linear);
	if (!skb)
		goto nomem;
	for (i = 0; i < p->nr; i++) {
		const struct xen_netif_rx_response *r = &p->rsp[i];
		const u8 *src = page_address(q->rx_bufs[r->id].page);

		if (netf_rx_append(skb, src + r->offset, r->status, &linear))
			goto free;
	}
	skb->truesize += skb->data_len;
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
free:
	dev_kfree_skb_any(skb);
nomem:
	q->rx_dropped++;
	return NULL;
}

/* Give the consumed slots back to the backend, same page, same grant. */
static void netf_rx_refill(struct netf_queue *q)
{
	bool notify;
	RING_IDX i;

	for (i = q->rx.req_prod_pvt; i != q->rx.rsp_cons + NETF_RX_RING_SIZE;
	     i++) {
		struct xen_netif_rx_request *req = RING_GET_REQUEST(&q->rx, i);

		req->id = i & NETF_RX_MASK;
		req->gref = q->rx_bufs[i & NETF_RX_MASK].gref;
	}
	if (i == q->rx.req_prod_pvt)
		return;
	q->rx.req_prod_pvt = i;
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&q->rx, notify);
	if (notify)
		pvxen_evtchn_send(q->evtchn_rx.port ?: q->evtchn.port);
}

/**
 * netf_poll() - NAPI: complete sends, receive up to @budget packets.
 * @napi: the queue's
 * @budget: at most this many packets
 *
 * Context: softirq.
 * Return: the packets received.
 */
int netf_poll(struct napi_struct *napi, int budget)
{
	struct netf_queue *q = container_of(napi, struct netf_queue, napi);
	struct netf_rx_pkt *p = &q->rx_pkt;
	struct sk_buff *skb;
	int done = 0, ret;
	char why[80];
	bool more;
	RING_IDX rp;

	if (!READ_ONCE(q->live) || test_bit(0, &q->broken)) {
		napi_complete_done(napi, 0);
		return 0;
	}
	netf_tx_complete(q);
	rp = READ_ONCE(q->rx.sring->rsp_prod);
	virt_rmb();	/* responses only after rsp_prod */
	if (pvxen_ring_rsp_overrun(&q->rx, rp)) {
		snprintf(why, sizeof(why),
			 "backend produced %u RX responses for %u requests",
			 rp - q->rx.rsp_cons,
			 q->rx.req_prod_pvt - q->rx.rsp_cons);
		netf_break(q, why);
		napi_complete_done(napi, 0);
		return 0;
	}
	while (done < budget && q->rx.rsp_cons != rp) {
		ret = netf_rx_gather(q, rp, p, why, sizeof(why));
		if (ret == -EAGAIN)
			break;
		if (ret) {
			netf_break(q, why);
			napi_complete_done(napi, done);
			return done;
		}
		skb = netf_rx_skb(q, p);
		q->rx.rsp_cons += p->slots;
		if (skb) {
			u64_stats_update_begin(&q->rx_stats.syncp);
			q->rx_stats.packets++;
			q->rx_stats.bytes += p->len;
			u64_stats_update_end(&q->rx_stats.syncp);
			napi_gro_receive(napi, skb);
		}
		done++;
	}
	netf_rx_refill(q);
	if (done < budget && napi_complete_done(napi, done)) {
		RING_FINAL_CHECK_FOR_RESPONSES(&q->rx, more);
		if (more)
			napi_schedule(napi);
	}
	return done;
}

/* Events of a queue's TX ring (or of both, on one channel). */
static unsigned int netf_tx_event(struct netf_queue *q)
{
	return netf_tx_complete(q) ? 0 : PVXEN_EOI_SPURIOUS;
}

static unsigned int netf_rx_event(struct netf_queue *q)
{
	if (!READ_ONCE(q->live) || !RING_HAS_UNCONSUMED_RESPONSES(&q->rx))
		return PVXEN_EOI_SPURIOUS;
	napi_schedule(&q->napi);
	return 0;
}

/* One channel for both rings: spurious only if neither had news. */
static irqreturn_t netf_interrupt(int irq, void *dev_id)
{
	struct netf_queue *q = dev_id;
	unsigned int eoi = netf_tx_event(q) & netf_rx_event(q);

	pvxen_evtchn_irq_lateeoi_flags(irq, eoi);
	return IRQ_HANDLED;
}

static irqreturn_t netf_tx_interrupt(int irq, void *dev_id)
{
	pvxen_evtchn_irq_lateeoi_flags(irq, netf_tx_event(dev_id));
	return IRQ_HANDLED;
}

static irqreturn_t netf_rx_interrupt(int irq, void *dev_id)
{
	pvxen_evtchn_irq_lateeoi_flags(irq, netf_rx_event(dev_id));
	return IRQ_HANDLED;
}

/* ---- set-up and teardown ------------------------------------------------- */

static void netf_queue_teardown(struct netf_queue *q)
{
	unsigned long flags;

	spin_lock_irqsave(&q->tx_lock, flags);
	WRITE_ONCE(q->live, false);
	spin_unlock_irqrestore(&q->tx_lock, flags);
	pvxen_xenbus_evtchn_teardown(&q->evtchn_rx, q);
	pvxen_xenbus_evtchn_teardown(&q->evtchn, q);
	/* A poll that saw the queue live has ended (polls run under RCU). */
	synchronize_net();
	pvxen_xenbus_ring_teardown(&q->tx_shared);
	pvxen_xenbus_ring_teardown(&q->rx_shared);
	netf_bufs_free(q->tx_bufs, NETF_TX_RING_SIZE);
	netf_bufs_free(q->rx_bufs, NETF_RX_RING_SIZE);
}

/* The queue's channels: one, or one per ring (feature-split-event-
 * channels); their interrupts spread over the CPUs, a queue to each.
 */
static int netf_queue_evtchns(struct netf_info *info, struct netf_queue *q)
{
	const struct cpumask *cpu = cpumask_of(cpumask_local_spread(q->id,
								 NUMA_NO_NODE));
	struct pvxen_xenbus_device *dev = info->xbdev;
	int ret;

	if (!info->be.split) {
		ret = pvxen_xenbus_evtchn_setup(dev, &q->evtchn, netf_interrupt,
						q, "%s-q%u", info->name, q->id);
		if (!ret)
			irq_set_affinity(q->evtchn.irq, cpu);
		return ret;
	}
	ret = pvxen_xenbus_evtchn_setup(dev, &q->evtchn, netf_tx_interrupt, q,
					"%s-q%u-tx", info->name, q->id);
	if (ret)
		return ret;
	irq_set_affinity(q->evtchn.irq, cpu);
	ret = pvxen_xenbus_evtchn_setup(dev, &q->evtchn_rx, netf_rx_interrupt,
					q, "%s-q%u-rx", info->name, q->id);
	if (ret)
		return ret;	/* the caller tears down the TX channel */
	irq_set_affinity(q->evtchn_rx.irq, cpu);
	return 0;
}

static int netf_queue_setup(struct netf_info *info, struct netf_queue *q)
{
	struct pvxen_xenbus_device *dev = info->xbdev;
	struct xen_netif_tx_sring *txs;
	struct xen_netif_rx_sring *rxs;
	unsigned int i;
	int ret;

	q->broken = 0;
	q->tx_extras = 0;
	ret = pvxen_xenbus_ring_setup(dev, 0, &q->tx_shared);
	if (ret)
		return ret;
	ret = pvxen_xenbus_ring_setup(dev, 0, &q->rx_shared);
	if (ret)
		goto undo;
	txs = q->tx_shared.va;
	SHARED_RING_INIT(txs);
	FRONT_RING_INIT(&q->tx, txs, PAGE_SIZE);
	rxs = q->rx_shared.va;
	SHARED_RING_INIT(rxs);
	FRONT_RING_INIT(&q->rx, rxs, PAGE_SIZE);

	ret = netf_bufs_alloc(info, q->tx_bufs, NETF_TX_RING_SIZE, true);
	if (ret)
		goto undo;
	ret = netf_bufs_alloc(info, q->rx_bufs, NETF_RX_RING_SIZE, false);
	if (ret)
		goto undo;
	for (i = 0; i < NETF_TX_RING_SIZE; i++) {
		q->tx_free[i] = NETF_TX_RING_SIZE - 1 - i;
		q->tx_busy[i] = false;
	}
	q->tx_nfree = NETF_TX_RING_SIZE;
	/* Every RX slot posted before the backend looks. */
	netf_rx_refill(q);

	ret = netf_queue_evtchns(info, q);
	if (ret)
		goto undo;
	WRITE_ONCE(q->live, true);
	return 0;
undo:
	netf_queue_teardown(q);
	return ret;
}

/**
 * netf_queues_setup() - Set up info->nr_queues queues.
 * @info: the device, nr_queues chosen
 *
 * Return: 0 or a negative errno (nothing left set up).
 */
int netf_queues_setup(struct netf_info *info)
{
	unsigned int i;
	int ret;

	for (i = 0; i < info->nr_queues; i++) {
		ret = netf_queue_setup(info, &info->queues[i]);
		if (ret)
			goto undo;
	}
	return 0;
undo:
	while (i--)
		netf_queue_teardown(&info->queues[i]);
	return ret;
}

/**
 * netf_queues_teardown() - Stop the queues and give back their pages.
 * @info: the device; the interface is stopped (no xmit in progress)
 */
void netf_queues_teardown(struct netf_info *info)
{
	unsigned int i;

	for (i = 0; i < info->nr_queues; i++)
		netf_queue_teardown(&info->queues[i]);
}

/**
 * netf_queues_kick() - Notify the backend on every live queue's channels.
 * @info: the device, connected
 *
 * For a backend that re-attached to the rings: it looks at them again.
 * Context: process, the connection's mutex held.
 */
void netf_queues_kick(struct netf_info *info)
{
	unsigned int i;

	for (i = 0; i < info->nr_queues; i++) {
		struct netf_queue *q = &info->queues[i];

		if (!READ_ONCE(q->live))
			continue;
		pvxen_evtchn_send(q->evtchn.port);
		if (q->evtchn_rx.port)
			pvxen_evtchn_send(q->evtchn_rx.port);
		napi_schedule(&q->napi);
	}
}

/**
 * netf_queue_publish() - Write a queue's keys.
 * @q: the queue, set up
 * @tx: xenstore transaction
 * @dir: the device's directory, or its queue-N
 *
 * Return: 0 or a negative errno.
 */
int netf_queue_publish(struct netf_queue *q, u32 tx, const char *dir)
{
	int ret;

	ret = pvxen_xenbus_write_ring(tx, dir, "tx-ring-ref", &q->tx_shared);
	if (!ret)
		ret = pvxen_xenbus_write_ring(tx, dir, "rx-ring-ref",
					      &q->rx_shared);
	if (ret)
		return ret;
	if (!q->evtchn_rx.port)
		return pvxen_xenbus_write_evtchn(tx, dir, "event-channel",
						 &q->evtchn);
	ret = pvxen_xenbus_write_evtchn(tx, dir, "event-channel-tx", &q->evtchn);
	if (!ret)
		ret = pvxen_xenbus_write_evtchn(tx, dir, "event-channel-rx",
						&q->evtchn_rx);
	return ret;
}
