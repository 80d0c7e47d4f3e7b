// SPDX-License-Identifier: GPL-2.0-only
/*
 * The block backend: a queue's ring (see minixen/blkback.h). The ring is
 * 1..BLKBACK_MAX_RING_PAGES granted pages, each pinned while connected;
 * minixen sees them one after the other as the frontend does, the
 * indices at the start of the first, then the slots, a slot possibly
 * straddling two pages (they are not contiguous in minixen's memory).
 *
 * Each request is copied out of its slot once, done (blkback_req.c) and
 * answered in its own slot before the next is taken, so the private
 * response producer is the request consumer, and a producer index more
 * than a ring ahead of it can only be a lie.
 */
#include <minixen/guest_atomic.h>
#include "blkback_priv.h"

/* Byte @off of the ring, @len bytes to or from @buf, page by page. */
static void ring_copy(struct blkback_queue *q, u32 off, void *buf, u32 len,
		      bool to_ring)
{
	u8 *p = buf;

	while (len) {
		u32 pg = off / BLKIF_PAGE_SIZE, in = off % BLKIF_PAGE_SIZE;
		u32 n = BLKIF_PAGE_SIZE - in < len ? BLKIF_PAGE_SIZE - in : len;
		u8 *at = (u8 *)q->pages[pg] + in;

		if (to_ring)
			memcpy(at, p, n);
		else
			memcpy(p, at, n);
		off += n;
		p += n;
		len -= n;
	}
}

/* Where slot @idx (a free-running index) starts in the ring */
static u32 slot_off(const struct blkback_queue *q, u32 idx)
{
	return sizeof(struct blkif_sring) +
	       (idx & (q->nr_slots - 1)) * sizeof(union blkif_sring_entry);
}

/**
 * blkback_ring_attach() - pin a queue's ring pages
 * @q: the queue, not live; its disk's @ctl held
 * @refs: the frontend's grants of the pages, in ring order
 * @nr_pages: how many, a power of two up to BLKBACK_MAX_RING_PAGES
 *
 * Return: 0, or the GNTST_* error of the first grant refused, with one
 * line; nothing is left pinned then.
 */
int blkback_ring_attach(struct blkback_queue *q, const u32 *refs,
			u32 nr_pages)
{
	struct blkback *b = q->b;
	u32 i;
	int r;

	for (i = 0; i < nr_pages; i++) {
		r = gnt_pin(&b->d->xen.gnt, refs[i], false, &q->pages[i]);
		if (r)
			goto out_unpin;
		q->refs[i] = refs[i];
	}
	q->nr_pages = nr_pages;
	q->sring = q->pages[0];
	q->nr_slots = blkif_ring_size((u64)nr_pages * BLKIF_PAGE_SIZE);
	q->req_cons = 0;
	q->rsp_pushed = 0;
	return 0;

out_unpin:
	pr_warn("%s: vbd %u: ring-ref %u: grant refused (GNTST %d): not connected",
		b->d->name, b->devid, refs[i], r);
	while (i--)
		gnt_unpin(&b->d->xen.gnt, q->refs[i], false);
	return r;
}

/**
 * blkback_ring_detach() - unpin a queue's ring pages
 * @q: the queue, attached
 */
void blkback_ring_detach(struct blkback_queue *q)
{
	u32 i;

	for (i = 0; i < q->nr_pages; i++)
		gnt_unpin(&q->b->d->xen.gnt, q->refs[i], false);
	q->nr_pages = 0;
	q->sring = NULL;
}

/**
 * blkback_queue_drop() - let go of a live queue's ring and channel
 * @q: the queue, live, its lock held
 */
void blkback_queue_drop(struct blkback_queue *q)
{
	q->live = false;
	WRITE_ONCE(q->more, false);
	evtchn_hyp_close(q->hport);
	q->hport = 0;
	blkback_ring_detach(q);
}

/* Under @lock: take the next request, answer it in its slot. */
static u32 serve_one(struct blkback_queue *q)
{
	struct blkback *b = q->b;
	union blkif_sring_entry req;
	struct blkif_response rsp;
	u32 off = slot_off(q, q->req_cons), cost;

	ring_copy(q, off, &req, sizeof(req), false);
	cost = blkback_request(q, &req, &rsp);
	if (rsp.status != BLKIF_RSP_OKAY)
		pr_debug("%s: vbd %u: queue %u: request %u (operation %u): status %d",
			 b->d->name, b->devid, q->idx, q->req_cons,
			 req.req.operation, rsp.status);
	ring_copy(q, off, &rsp, sizeof(rsp), true);
	q->req_cons++;
	return cost;
}

/*
 * Under @lock: publish the responses written since the last push and
 * notify the frontend if it asked to be told of one of them (rsp_event,
 * the check of Xen's RING_PUSH_RESPONSES_AND_CHECK_NOTIFY).
 */
static void push_responses(struct blkback_queue *q)
{
	u32 old = q->rsp_pushed, new = q->req_cons;

	if (old == new)
		return;
	guest_wmb();
	WRITE_ONCE(q->sring->rsp_prod, new);
	guest_mb();
	q->rsp_pushed = new;
	if ((u32)(new - READ_ONCE(q->sring->rsp_event)) < (u32)(new - old))
		evtchn_hyp_notify(q->hport);
}

/* Under @lock: the frontend lied about its producer; drop the queue. */
static void lying_producer(struct blkback_queue *q, u32 prod)
{
	struct blkback *b = q->b;

	if (b->nr_queues > 1)
		pr_warn("%s: vbd %u: queue %u: request producer %u is %u past the last response, the ring has %u slots: disconnected",
			b->d->name, b->devid, q->idx, prod, prod - q->req_cons,
			q->nr_slots);
	else
		pr_warn("%s: vbd %u: request producer %u is %u past the last response, the ring has %u slots: disconnected",
			b->d->name, b->devid, prod, prod - q->req_cons,
			q->nr_slots);
	push_responses(q);
	blkback_queue_drop(q);
	WRITE_ONCE(b->faulted, true);
}

/**
 * blkback_serve() - serve up to BLKBACK_BUDGET of a queue's requests
 * @q: the queue, live, its lock held
 *
 * Return: whether requests are left (for blkback_resume()); false also
 * when a lying producer index got the queue dropped.
 */
bool blkback_serve(struct blkback_queue *q)
{
	u32 prod, done = 0;
	bool more;

	for (;;) {
		prod = READ_ONCE(q->sring->req_prod);
		guest_rmb();
		if (prod - q->req_cons > q->nr_slots) {
			lying_producer(q, prod);
			return false;
		}
		while (q->req_cons != prod && done < BLKBACK_BUDGET)
			done += serve_one(q);
		more = q->req_cons != prod;
		if (more)
			break;
		/* Ask for an event at the next request, then look again. */
		WRITE_ONCE(q->sring->req_event, q->req_cons + 1);
		guest_mb();
		more = READ_ONCE(q->sring->req_prod) != q->req_cons;
		if (!more || done >= BLKBACK_BUDGET)
			break;
	}
	push_responses(q);
	return more;
}
