// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen-netfront: the queues.  Each has a TX and an RX ring
 * (netfront-tx.c, netfront-rx.c), one event channel for both or one for
 * each (feature-split-event-channels), and a NAPI poll that completes
 * sends and receives.  Here: the poll, the interrupts, a queue's set-up
 * and teardown and the keys it publishes.
 */
#include <linux/interrupt.h>
#include <linux/netdevice.h>

#include <xen/interface/io/ring.h>

#include <pvxen/compat-irq.h>
#include <pvxen/events.h>

#include "netfront.h"

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
	bool more;
	int done;

	if (!READ_ONCE(q->live) || test_bit(0, &q->broken)) {
		napi_complete_done(napi, 0);
		return 0;
	}
	netf_tx_complete(q);
	done = netf_rx_poll(q, budget);
	if (test_bit(0, &q->broken)) {
		napi_complete_done(napi, done);
		return done;
	}
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
	netf_tx_teardown(q);
	netf_rx_teardown(q);
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
	int ret;

	q->broken = 0;
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

	ret = netf_tx_setup(q);
	if (ret)
		goto undo;
	ret = netf_rx_setup(q);
	if (ret)
		goto undo;

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
