// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen-netfront: sending.  Every TX slot owns one page, zeroed at
 * allocation and granted read-only to the backend for the life of the
 * connection; a packet is copied into the pages of the slots it takes
 * (so the backend never sees other memory, and a packet never needs
 * linearizing), its first slot carrying the whole size and its GSO
 * extra-info slot following.  Responses are copied once and checked:
 * ids in flight, null responses only for extra-info requests, and the
 * producer index against what was asked for.
 */
#include <linux/gfp.h>
#include <linux/if_ether.h>
#include <linux/if_vlan.h>
#include <linux/mm.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include <xen/interface/io/ring.h>

#include <pvxen/events.h>
#include <pvxen/grant.h>

#include "netfront.h"

/* ---- the TX pages ---------------------------------------------------------- */

static void netf_tx_bufs_free(struct netf_buf *bufs, unsigned int n)
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

static int netf_tx_bufs_alloc(struct netf_info *info, struct netf_buf *bufs,
			      unsigned int n)
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
						true);
		if (ret < 0)
			return ret;
		bufs[i].gref = ret;
	}
	return 0;
}

/* ---- sending ---------------------------------------------------------------- */

static unsigned int netf_tx_space(struct netf_queue *q)
{
	return min_t(unsigned int, q->tx_nfree,
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

/**
 * netf_tx_complete() - Consume a queue's TX responses.
 * @q: the queue
 *
 * Context: any; takes the queue's TX lock.
 * Return: whether any response was seen (or the ring broke).
 */
bool netf_tx_complete(struct netf_queue *q)
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

/**
 * netf_tx_setup() - Give a queue's TX slots their pages, granted.
 * @q: the queue, its TX ring initialised
 *
 * Return: 0 or -ENOMEM/-ENOSPC (undo with netf_tx_teardown()).
 */
int netf_tx_setup(struct netf_queue *q)
{
	unsigned int i;

	q->tx_extras = 0;
	for (i = 0; i < NETF_TX_RING_SIZE; i++) {
		q->tx_free[i] = NETF_TX_RING_SIZE - 1 - i;
		q->tx_busy[i] = false;
	}
	q->tx_nfree = NETF_TX_RING_SIZE;
	return netf_tx_bufs_alloc(q->info, q->tx_bufs, NETF_TX_RING_SIZE);
}

/**
 * netf_tx_teardown() - End the TX pages' grants and free them.
 * @q: the queue, no longer live
 *
 * A page the backend still maps goes to pvxen-core's deferred reclaim.
 */
void netf_tx_teardown(struct netf_queue *q)
{
	netf_tx_bufs_free(q->tx_bufs, NETF_TX_RING_SIZE);
}
