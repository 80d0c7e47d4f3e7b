// SPDX-License-Identifier: GPL-2.0-only
/*
 * The block backend inside minixen: a PV disk's queues, connected and
 * disconnected, and their events (see minixen/blkback.h for what is
 * served, the budget and the locks; blkback_ring.c for a queue's ring,
 * blkback_req.c for a request).
 *
 * A connection is what the frontend wrote (struct blkback_conn): 1 to
 * BLKBACK_MAX_QUEUES queues, each a ring of 2^ring-page-order pages
 * (all queues alike) and an event channel. Every page is pinned and
 * every channel bound before any queue is served; if one is refused,
 * nothing is left taken.
 */
#include <minixen/mm.h>
#include <xen/io/protocols.h>
#include "blkback_priv.h"

/**
 * blkback_init() - a disk of the boot configuration, not connected
 * @b: its state, for the whole run (minixen's heap has no free); zeroed
 *	before the first call, reused as it is by later ones
 * @d: the domain it is served to
 * @c: the disk (bootcfg_parse() checked it)
 * @image: minixen's pointer to @c's image
 *
 * Allocates what the largest connection needs (each queue's buffer of
 * indirect segment descriptors) the first time only.
 *
 * Return: 0, or -XEN_ENOMEM if minixen's heap is exhausted.
 */
int blkback_init(struct blkback *b, struct domain *d,
		 const struct vbdcfg *c, void *image)
{
	u32 i;

	b->d = d;
	b->devid = c->devid;
	b->image = image;
	b->sectors = c->image.size / BLKIF_SECTOR_SIZE;
	b->sector_size = c->sector_size;
	b->readonly = c->readonly;
	b->active = false;
	b->faulted = false;
	b->nr_queues = 0;
	for (i = 0; i < BLKBACK_MAX_QUEUES; i++) {
		struct blkback_queue *q = &b->q[i];

		q->b = b;
		q->idx = i;
		q->live = false;
		q->more = false;
		if (!q->segs)
			q->segs = hyp_try_alloc(BLKBACK_MAX_INDIRECT_SEGS *
						sizeof(*q->segs), 8);
		if (!q->segs)
			return -XEN_ENOMEM;
	}
	return 0;
}

/* The frontend sent on a queue's channel (its EVTCHNOP_send). */
static void blkback_event(void *arg, evtchn_port_t port)
{
	struct blkback_queue *q = arg;

	spin_lock(&q->lock);
	/* Also called during the bind and once more after a close. */
	if (q->live && q->hport == port)
		WRITE_ONCE(q->more, blkback_serve(q));
	spin_unlock(&q->lock);
}

/**
 * blkback_resume() - serve what a budget left, before the domain runs
 * @b: the disk
 *
 * Each queue with requests left is served a budget's worth. Cheap when
 * nothing is left: call it before every entry into a vCPU of the
 * frontend's domain.
 */
void blkback_resume(struct blkback *b)
{
	u32 i;

	for (i = 0; i < BLKBACK_MAX_QUEUES; i++) {
		struct blkback_queue *q = &b->q[i];

		if (!READ_ONCE(q->more))
			continue;
		spin_lock(&q->lock);
		if (q->live && q->more)
			WRITE_ONCE(q->more, blkback_serve(q));
		spin_unlock(&q->lock);
	}
}

/* @ctl held: pin a queue's ring, bind its channel; not live yet. */
static int queue_attach(struct blkback_queue *q,
			const struct blkback_ring_cfg *rc, u32 nr_pages)
{
	struct blkback *b = q->b;
	int r;

	if (blkback_ring_attach(q, rc->refs, nr_pages))
		return -XEN_EINVAL;
	/* Its handler runs once in there: not live yet, it does nothing. */
	r = evtchn_hyp_bind(&b->d->xen.evtchn, rc->port, blkback_event, q);
	if (r < 0) {
		pr_warn("%s: vbd %u: event-channel %u: cannot bind (%d): not connected",
			b->d->name, b->devid, rc->port, r);
		goto out_detach;
	}
	spin_lock(&q->lock);
	q->hport = r;
	spin_unlock(&q->lock);
	return 0;

out_detach:
	blkback_ring_detach(q);
	return r;
}

/* @ctl held: undo queue_attach() of a queue that never went live. */
static void queue_release(struct blkback_queue *q)
{
	spin_lock(&q->lock);
	evtchn_hyp_close(q->hport);
	q->hport = 0;
	blkback_ring_detach(q);
	spin_unlock(&q->lock);
}

/* @ctl held: drop the queues still live, the disk is not connected. */
static void disconnect_locked(struct blkback *b)
{
	u32 i;

	for (i = 0; b->active && i < b->nr_queues; i++) {
		struct blkback_queue *q = &b->q[i];

		spin_lock(&q->lock);
		if (q->live)
			blkback_queue_drop(q);
		spin_unlock(&q->lock);
	}
	WRITE_ONCE(b->active, false);
}

/* What the frontend asks that minixen does not offer: one line, false. */
static bool conn_ok(const struct blkback *b, const struct blkback_conn *c)
{
	const char *name = b->d->name;

	if (c->protocol && strcmp(c->protocol, XEN_IO_PROTO_ABI_ARM)) {
		pr_warn("%s: vbd %u: protocol \"%s\", not arm-abi: not connected",
			name, b->devid, c->protocol);
		return false;
	}
	if (!c->nr_queues || c->nr_queues > BLKBACK_MAX_QUEUES) {
		pr_warn("%s: vbd %u: multi-queue-num-queues %u, not 1..%u: not connected",
			name, b->devid, c->nr_queues, BLKBACK_MAX_QUEUES);
		return false;
	}
	if (c->ring_order > BLKBACK_MAX_RING_ORDER) {
		pr_warn("%s: vbd %u: ring-page-order %u, above %u: not connected",
			name, b->devid, c->ring_order, BLKBACK_MAX_RING_ORDER);
		return false;
	}
	return true;
}

/**
 * blkback_connect_rings() - take the frontend's rings and event channels
 * @b: the disk, not connected
 * @c: what the frontend wrote: queues, ring pages (granted to DOMID_XEN,
 *	writable), ports (unbound for DOMID_XEN), protocol, persistence
 *
 * The ring pages stay pinned (the frontend can neither revoke them nor
 * give their frames away) until blkback_disconnect(). Requests already
 * in the rings are served before this returns.
 *
 * Return: 0; -XEN_EBUSY if connected already; -XEN_EINVAL for another
 * protocol, a queue count or ring order not offered, or a grant minixen
 * cannot pin; the error of evtchn_hyp_bind(). On error nothing is left
 * taken, with one line in the log naming the domain, the disk and why.
 */
int blkback_connect_rings(struct blkback *b, const struct blkback_conn *c)
{
	u32 i, nr_pages = 1U << (c->ring_order & 31);
	int r;

	if (!conn_ok(b, c))
		return -XEN_EINVAL;
	spin_lock(&b->ctl);
	/* A lie ended the last connection: what is left of it goes. */
	if (b->active && READ_ONCE(b->faulted))
		disconnect_locked(b);
	r = -XEN_EBUSY;
	if (b->active)
		goto out_ctl;
	for (i = 0; i < c->nr_queues; i++) {
		r = queue_attach(&b->q[i], &c->q[i], nr_pages);
		if (r)
			goto out_release;
	}
	b->nr_queues = c->nr_queues;
	b->persistent = c->persistent;
	WRITE_ONCE(b->faulted, false);
	WRITE_ONCE(b->active, true);
	for (i = 0; i < b->nr_queues; i++) {
		struct blkback_queue *q = &b->q[i];

		spin_lock(&q->lock);
		q->live = true;
		WRITE_ONCE(q->more, blkback_serve(q));
		spin_unlock(&q->lock);
	}
	spin_unlock(&b->ctl);
	pr_info("%s: vbd %u: connected, ring-ref %u, event channel %u; %u queue(s) of %u-page rings, %s grants",
		b->d->name, b->devid, c->q[0].refs[0], c->q[0].port,
		c->nr_queues, nr_pages,
		c->persistent ? "persistent (copied)" : "copied");
	return 0;

out_release:
	while (i--)
		queue_release(&b->q[i]);
out_ctl:
	spin_unlock(&b->ctl);
	return r;
}

/**
 * blkback_connect() - take a frontend's one ring of one page
 * @b: the disk, not connected
 * @ring_ref: the frontend's "ring-ref"
 * @port: its "event-channel"
 * @protocol: its "protocol", NULL if it wrote none
 *
 * blkback_connect_rings() of one queue, one page, no persistent grants.
 *
 * Return: as blkback_connect_rings().
 */
int blkback_connect(struct blkback *b, u32 ring_ref, evtchn_port_t port,
		    const char *protocol)
{
	struct blkback_conn c = { .nr_queues = 1, .protocol = protocol };

	c.q[0].refs[0] = ring_ref;
	c.q[0].port = port;
	return blkback_connect_rings(b, &c);
}

/**
 * blkback_disconnect() - let go of the frontend's rings and channels
 * @b: the disk
 *
 * Responses already written stay; requests not taken are dropped. The
 * frontend's ends of the channels are unbound again. Nothing happens
 * to a queue that is not live (never connected, or dropped for a lie).
 */
void blkback_disconnect(struct blkback *b)
{
	spin_lock(&b->ctl);
	disconnect_locked(b);
	spin_unlock(&b->ctl);
}

/**
 * blkback_connected() - is the disk connected?
 * @b: the disk
 *
 * Return: false before blkback_connect_rings(), after
 * blkback_disconnect() and after a lying frontend got a queue dropped.
 */
bool blkback_connected(struct blkback *b)
{
	return READ_ONCE(b->active) && !READ_ONCE(b->faulted);
}
