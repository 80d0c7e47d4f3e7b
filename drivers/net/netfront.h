/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen-netfront: internal definitions shared by the xenbus/netdev half
 * (netfront.c) and the ring/data half (netfront-ring.c).
 *
 * Buffers: every TX slot owns one page, granted read-only to the backend
 * for the life of the connection, and a packet to send is copied into
 * them (netfront-tx.c).  RX slots get pages from the queue's page_pool,
 * zeroed before each grant; a large packet's pages go to the stack and
 * come back to the pool when it is done with them (netfront-rx.c).
 *
 * Lock order: the connection's mutex (pvxen-core), then rtnl_lock
 * (netf_connect), then a queue's tx_lock; rx is only touched by the
 * queue's NAPI poll (and by set-up and teardown, when the poll cannot
 * run).  rx_pool_lock only guards the pool pointer against ethtool's
 * reading of its statistics.
 */
#ifndef _PVXEN_NETFRONT_H
#define _PVXEN_NETFRONT_H

#include <linux/netdevice.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>

#include <xen/interface/grant_table.h>
#include <xen/interface/io/netif.h>

#include <pvxen/xenbus-client.h>
#include <pvxen/xenbus-front.h>
#include <pvxen/xenbus.h>

#define NETF_TX_RING_SIZE	__CONST_RING_SIZE(xen_netif_tx, PAGE_SIZE)
#define NETF_RX_RING_SIZE	__CONST_RING_SIZE(xen_netif_rx, PAGE_SIZE)
/* A packet of XEN_NETIF_MAX_TX_SIZE bytes, plus an extra-info slot. */
#define NETF_TX_MAX_SLOTS	(DIV_ROUND_UP(XEN_NETIF_MAX_TX_SIZE, PAGE_SIZE) + 1)
#define NETF_MAX_QUEUES		8
/* Packets up to this size are copied into the skb's linear area. */
#define NETF_RX_COPYBREAK	256
/* Slots of one received packet: data, and extra-info slots. */
#define NETF_RX_MAX_SLOTS	(MAX_SKB_FRAGS + 4)

/* A page lent to the backend for one ring slot. */
struct netf_buf {
	struct page *page;
	grant_ref_t gref;	/* PVXEN_XENBUS_NO_REF if not granted */
};

struct netf_stats {
	u64 packets;
	u64 bytes;
	struct u64_stats_sync syncp;
};

/* The slots of one packet, copied out of the ring and checked. */
struct netf_rx_pkt {
	struct xen_netif_rx_response rsp[NETF_RX_MAX_SLOTS];
	unsigned int nr;	/* data slots in rsp[] */
	unsigned int slots;	/* ring slots taken, extra-info included */
	unsigned int len;
	bool error;		/* a slot has an error status: drop it */
	struct xen_netif_extra_info gso;
};

/* A queue's page_pool statistics (CONFIG_PAGE_POOL_STATS). */
struct netf_pp_stats {
	u64 fast;	/* pages the pool gave from its cache */
	u64 recycled;	/* pages that came back to it for reuse */
};

struct netf_info;
struct page_pool;

struct netf_queue {
	struct netf_info *info;
	unsigned int id;
	char name[IFNAMSIZ + 8];
	/* One channel for both rings, or (split) this one for TX ... */
	struct pvxen_xenbus_evtchn evtchn;
	struct pvxen_xenbus_evtchn evtchn_rx;	/* ... and this for RX */
	bool live;		/* rings set up and the interrupt bound */
	unsigned long broken;	/* bit 0: the backend broke the protocol */

	/* TX: the xmit path and completions, under tx_lock */
	spinlock_t tx_lock;
	struct xen_netif_tx_front_ring tx;
	struct pvxen_xenbus_ring tx_shared;
	struct netf_buf tx_bufs[NETF_TX_RING_SIZE];
	u16 tx_free[NETF_TX_RING_SIZE];	/* stack of free buffer ids */
	unsigned int tx_nfree;
	bool tx_busy[NETF_TX_RING_SIZE];	/* id in flight */
	unsigned int tx_extras;	/* extra-info requests not answered yet */
	struct netf_stats tx_stats;
	u64 tx_errors;		/* the backend answered with an error */
	u64 tx_csum;		/* sent with the checksum left to the backend */
	u64 tx_gso;		/* sent as TSO/TSO6 (a GSO extra-info slot) */

	/* RX: only the NAPI poll (and set-up/teardown) */
	struct napi_struct napi;
	struct xen_netif_rx_front_ring rx;
	struct pvxen_xenbus_ring rx_shared;
	struct netf_buf rx_bufs[NETF_RX_RING_SIZE];
	struct netf_rx_pkt rx_pkt;	/* the packet being gathered */
	struct netf_stats rx_stats;
	u64 rx_errors;		/* error status, or a bad checksum setup */
	u64 rx_dropped;		/* no memory for the skb */
	u64 rx_csum;		/* received with the checksum left to us */
	u64 rx_gso;		/* received with a GSO extra-info slot */
	u64 rx_copied;		/* small packets copied, pages kept */
	u64 rx_refill_short;	/* the pool had no page for the ring */
	struct timer_list rx_refill_timer;
	struct page_pool *rx_pool;
	spinlock_t rx_pool_lock;	/* rx_pool, against ethtool */
	struct netf_pp_stats rx_pp_done;	/* of this queue's past pools */
};

/* What the backend offers, read at each connection. */
struct netf_be_features {
	bool sg;		/* feature-sg: packets of several slots */
	bool gso4;		/* feature-gso-tcpv4 */
	bool gso6;		/* feature-gso-tcpv6 */
	bool csum6;		/* feature-ipv6-csum-offload */
	bool split;		/* feature-split-event-channels */
};

struct netf_info {
	struct pvxen_xenbus_device *xbdev;
	struct net_device *netdev;
	struct pvxen_front front;
	char name[IFNAMSIZ];	/* for messages before and after register */
	bool trusted;
	bool registered;
	struct netf_be_features be;
	bool be_known;		/* be read from a backend at least once */
	unsigned int nr_queues;
	struct netf_queue *queues;
	u64 broken;		/* rings the backend broke */
};

/**
 * netf_break() - The backend broke the protocol on @q.
 * @q: the queue
 * @why: what it did, for the one line that says so
 *
 * Stops the queue for good, says why once, and has pvxen-core close the
 * device.
 *
 * Context: the TX lock held, or the queue's poll.
 */
static inline void netf_break(struct netf_queue *q, const char *why)
{
	struct netf_info *info = q->info;

	if (test_and_set_bit(0, &q->broken))
		return;
	netdev_err(info->netdev, "queue %u: %s; disabled for further use\n",
		   q->id, why);
	info->broken++;
	pvxen_front_fatal(&info->front);
}

/* netfront-ring.c: the queues */
int netf_queues_setup(struct netf_info *info);
void netf_queues_teardown(struct netf_info *info);
void netf_queues_kick(struct netf_info *info);
int netf_queue_publish(struct netf_queue *q, u32 tx, const char *dir);
int netf_poll(struct napi_struct *napi, int budget);

/* netfront-tx.c: sending */
int netf_tx_setup(struct netf_queue *q);
void netf_tx_teardown(struct netf_queue *q);
bool netf_tx_complete(struct netf_queue *q);
netdev_tx_t netf_start_xmit(struct sk_buff *skb, struct net_device *dev);

/* netfront-rx.c: receiving */
int netf_rx_setup(struct netf_queue *q);
void netf_rx_teardown(struct netf_queue *q);
int netf_rx_poll(struct netf_queue *q, int budget);
void netf_rx_pool_stats(struct netf_queue *q, struct netf_pp_stats *st);

#endif /* _PVXEN_NETFRONT_H */
