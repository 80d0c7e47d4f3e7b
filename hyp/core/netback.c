// SPDX-License-Identifier: GPL-2.0-only
/*
 * minixen's network backend: an interface's queues connected to their
 * frontend's rings and channels, plugged into the switch, served on
 * its events and before its domain's vCPU entries, let go (see
 * minixen/netback.h; TX in netback_tx.c, RX in netback_rx.c).
 */
#include <minixen/mm.h>
#include "netback_priv.h"

struct vswitch netback_switch;

/**
 * netback_init() - an interface of the boot configuration, not connected
 * @vif: its state, for the whole run (minixen's heap has no free)
 * @d: the domain it is served to
 * @c: the interface (bootcfg_parse() checked it)
 */
void netback_init(struct netback_vif *vif, struct domain *d,
		  const struct vifcfg *c)
{
	u32 i;

	memset(vif, 0, sizeof(*vif));
	vif->d = d;
	vif->handle = c->handle;
	memcpy(vif->mac, c->mac, sizeof(vif->mac));
	vif->port = -1;
	for (i = 0; i < NETBACK_MAX_QUEUES; i++) {
		vif->q[i].vif = vif;
		vif->q[i].idx = i;
	}
}

/* The frontend sent on a TX channel, or on the only one. */
static void tx_event(void *arg, evtchn_port_t port)
{
	struct netback_queue *q = arg;

	spin_lock(&q->tx_lock);
	/* Also called during the bind and once more after a close. */
	if (q->tx_on && q->tx_hport == port && !READ_ONCE(q->vif->failed))
		WRITE_ONCE(q->more, netback_tx_serve(q));
	spin_unlock(&q->tx_lock);
}

/*
 * The frontend sent on an RX channel: it posted frames. Packets are
 * never held for want of them, so there is nothing to do.
 */
static void rx_event(void *arg, evtchn_port_t port)
{
}

/* Under @ctl and the queue's locks, connected: let go of its rings. */
static void drop_queue(struct netback_queue *q)
{
	struct gnt_dom *g = &q->vif->d->xen.gnt;

	q->tx_on = false;
	q->rx_on = false;
	WRITE_ONCE(q->more, false);
	evtchn_hyp_close(q->tx_hport);
	if (q->rx_hport != q->tx_hport)
		evtchn_hyp_close(q->rx_hport);
	gnt_unpin(g, q->tx_ref, false);
	gnt_unpin(g, q->rx_ref, false);
	q->tx = NULL;
	q->rx = NULL;
	q->tx_hport = 0;
	q->rx_hport = 0;
}

/* Under @ctl: take a queue's rings and channels. 0 or a Xen errno. */
static int connect_queue(struct netback_queue *q,
			 const struct netback_qconf *c, bool split)
{
	struct netback_vif *vif = q->vif;
	struct gnt_dom *g = &vif->d->xen.gnt;
	void *tx, *rx;
	int r, tp, rp;

	if (!q->buf)
		q->buf = hyp_try_alloc(NETBACK_BUF_SIZE, 64);
	if (!q->buf) {
		pr_warn("%s: vif %u: queue %u: no memory for its packet buffer: not connected",
			vif->d->name, vif->handle, q->idx);
		return -XEN_ENOMEM;
	}
	r = gnt_pin(g, c->tx_ref, false, &tx);
	if (r) {
		pr_warn("%s: vif %u: queue %u: tx-ring-ref %u: grant refused (GNTST %d): not connected",
			vif->d->name, vif->handle, q->idx, c->tx_ref, r);
		return -XEN_EINVAL;
	}
	r = gnt_pin(g, c->rx_ref, false, &rx);
	if (r) {
		pr_warn("%s: vif %u: queue %u: rx-ring-ref %u: grant refused (GNTST %d): not connected",
			vif->d->name, vif->handle, q->idx, c->rx_ref, r);
		r = -XEN_EINVAL;
		goto out_unpin_tx;
	}
	tp = evtchn_hyp_bind(&vif->d->xen.evtchn, c->tx_port, tx_event, q);
	if (tp < 0) {
		pr_warn("%s: vif %u: queue %u: event channel %u: cannot bind (%d): not connected",
			vif->d->name, vif->handle, q->idx, c->tx_port, tp);
		r = tp;
		goto out_unpin_rx;
	}
	rp = tp;
	if (split) {
		rp = evtchn_hyp_bind(&vif->d->xen.evtchn, c->rx_port,
				     rx_event, q);
		if (rp < 0) {
			pr_warn("%s: vif %u: queue %u: event-channel-rx %u: cannot bind (%d): not connected",
				vif->d->name, vif->handle, q->idx, c->rx_port,
				rp);
			r = rp;
			goto out_close_tx;
		}
	}
	spin_lock(&q->tx_lock);
	spin_lock(&q->rx_lock);
	q->tx_ref = c->tx_ref;
	q->rx_ref = c->rx_ref;
	q->tx = tx;
	q->rx = rx;
	q->tx_hport = tp;
	q->rx_hport = rp;
	q->tx_cons = 0;
	q->tx_pushed = 0;
	q->rx_cons = 0;
	q->rx_pushed = 0;
	q->tx_on = true;
	q->rx_on = true;
	spin_unlock(&q->rx_lock);
	spin_unlock(&q->tx_lock);
	return 0;

out_close_tx:
	evtchn_hyp_close(tp);
out_unpin_rx:
	gnt_unpin(g, c->rx_ref, false);
out_unpin_tx:
	gnt_unpin(g, c->tx_ref, false);
	return r;
}

/* Under @ctl: let go of queues 0..@n-1. */
static void drop_queues(struct netback_vif *vif, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		struct netback_queue *q = &vif->q[i];

		spin_lock(&q->tx_lock);
		spin_lock(&q->rx_lock);
		drop_queue(q);
		spin_unlock(&q->rx_lock);
		spin_unlock(&q->tx_lock);
	}
}

/**
 * netback_connect() - take the frontend's rings and channels
 * @vif: the interface, not connected
 * @c: what its frontend wrote: queues, their rings (pages granted
 *	writable to DOMID_XEN) and ports (unbound for DOMID_XEN), the
 *	features it takes on RX
 *
 * The ring pages stay pinned until netback_disconnect(); the interface
 * is plugged into the switch; packets already on the TX rings are
 * served before this returns.
 *
 * Return: 0; -XEN_EBUSY if connected already; -XEN_EINVAL for a bad
 * queue count or a grant minixen cannot pin; -XEN_ENOMEM without
 * memory for a packet buffer or a free port on the switch; the error
 * of evtchn_hyp_bind(). On error nothing is left taken, with one line
 * in the log naming the domain, the interface and why.
 */
int netback_connect(struct netback_vif *vif, const struct netback_conf *c)
{
	u32 i;
	int r;

	if (!c->nr_queues || c->nr_queues > NETBACK_MAX_QUEUES) {
		pr_warn("%s: vif %u: %u queues asked, 1 to %u offered: not connected",
			vif->d->name, vif->handle, c->nr_queues,
			NETBACK_MAX_QUEUES);
		return -XEN_EINVAL;
	}
	spin_lock(&vif->ctl);
	r = -XEN_EBUSY;
	if (vif->connected)
		goto out_ctl;
	vif->conf = *c;
	WRITE_ONCE(vif->failed, 0);
	for (i = 0; i < c->nr_queues; i++) {
		r = connect_queue(&vif->q[i], &c->q[i], c->split);
		if (r)
			goto out_drop_queues;
	}
	vif->port = vswitch_port_add(&netback_switch, vif);
	if (vif->port < 0) {
		pr_warn("%s: vif %u: no free port on the switch: not connected",
			vif->d->name, vif->handle);
		r = -XEN_ENOMEM;
		goto out_drop_queues;
	}
	vif->split = c->split;
	WRITE_ONCE(vif->nr_queues, c->nr_queues);
	WRITE_ONCE(vif->connected, true);
	spin_unlock(&vif->ctl);
	for (i = 0; i < c->nr_queues; i++)
		tx_event(&vif->q[i], vif->q[i].tx_hport);
	pr_info("%s: vif %u: connected, %u queue%s, %s event channel%s",
		vif->d->name, vif->handle, c->nr_queues,
		c->nr_queues > 1 ? "s" : "", c->split ? "split" : "one",
		c->split ? "s" : " each");
	return 0;

out_drop_queues:
	drop_queues(vif, i);
out_ctl:
	spin_unlock(&vif->ctl);
	return r;
}

/**
 * netback_disconnect() - unplug the interface, let go of its rings
 * @vif: the interface
 *
 * Responses already written stay; requests not taken are dropped; the
 * frontend's ports are unbound again. Nothing happens if @vif is not
 * connected.
 */
void netback_disconnect(struct netback_vif *vif)
{
	spin_lock(&vif->ctl);
	if (vif->connected) {
		vswitch_port_del(&netback_switch, vif->port);
		vif->port = -1;
		drop_queues(vif, vif->nr_queues);
		WRITE_ONCE(vif->nr_queues, 0);
		WRITE_ONCE(vif->connected, false);
	}
	spin_unlock(&vif->ctl);
}

/**
 * netback_resume() - before a vCPU of the interface's domain enters
 * @vif: the interface
 *
 * Disconnects it if it failed; else serves what a budget left on its
 * TX rings. Cheap when there is nothing to do.
 */
void netback_resume(struct netback_vif *vif)
{
	u32 i;

	if (READ_ONCE(vif->failed) && READ_ONCE(vif->connected)) {
		netback_disconnect(vif);
		return;
	}
	for (i = 0; i < NETBACK_MAX_QUEUES; i++) {
		struct netback_queue *q = &vif->q[i];

		if (!READ_ONCE(q->more))
			continue;
		spin_lock(&q->tx_lock);
		if (q->tx_on && q->more && !READ_ONCE(vif->failed))
			WRITE_ONCE(q->more, netback_tx_serve(q));
		spin_unlock(&q->tx_lock);
	}
}

/**
 * netback_connected() - is the interface connected and working?
 * @vif: the interface
 *
 * Return: false before netback_connect(), after netback_disconnect()
 * and as soon as a fatal error of its frontend's is seen.
 */
bool netback_connected(struct netback_vif *vif)
{
	return READ_ONCE(vif->connected) && !READ_ONCE(vif->failed);
}
