// SPDX-License-Identifier: GPL-2.0-only
/*
 * The block backend inside minixen: a PV disk's blkif ring, pure ring
 * logic (see minixen/blkback.h for what it serves, the budget and the
 * locks).
 *
 * Each request is copied out of its slot once and checked on that copy,
 * as Linux's blkback does: read and write need 1..11 segments, each
 * within one 4 KiB frame (first_sect <= last_sect < 8, in 512-byte
 * sectors), whole sectors of the disk (a 4096-byte disk wants requests
 * aligned to 8 of them), and the request within the disk; a write to a
 * read-only disk, a read into a read-only grant, a grant that cannot be
 * copied get BLKIF_RSP_ERROR. FLUSH_DISKCACHE with no segment is OK at
 * once: the image is RAM, nothing is cached. Barriers, discard and
 * indirect requests are not offered: BLKIF_RSP_EOPNOTSUPP, as for any
 * other operation.
 *
 * A request is answered in its own slot before the next is taken, so
 * the private response producer is the request consumer, and a producer
 * index more than a ring ahead of it can only be a lie.
 */
#include <minixen/blkback.h>
#include <minixen/domain.h>
#include <minixen/guest_atomic.h>
#include <xen/io/protocols.h>

/* 512-byte sectors of a disk sector: 1 or 8 */
static u32 sect_per_block(const struct blkback *b)
{
	return b->sector_size / BLKIF_SECTOR_SIZE;
}

/**
 * blkback_init() - a disk of the boot configuration, not connected
 * @b: its state, for the whole run (minixen's heap has no free)
 * @d: the domain it is served to
 * @c: the disk (bootcfg_parse() checked it)
 * @image: minixen's pointer to @c's image
 */
void blkback_init(struct blkback *b, struct domain *d,
		  const struct vbdcfg *c, void *image)
{
	memset(b, 0, sizeof(*b));
	b->d = d;
	b->devid = c->devid;
	b->image = image;
	b->sectors = c->image.size / BLKIF_SECTOR_SIZE;
	b->sector_size = c->sector_size;
	b->readonly = c->readonly;
}

/*
 * Check a read or write request (a copy, minixen's) and move its data.
 * A grant failing half-way leaves the segments before it done, as a
 * failed write on a real disk may: the frontend gets an error.
 */
static s16 do_rw(struct blkback *b, const struct blkif_request *r)
{
	bool write = r->operation == BLKIF_OP_WRITE;
	u32 i, align = sect_per_block(b) - 1;
	u64 sector = r->sector_number, n = 0;

	if (!r->nr_segments || r->nr_segments > BLKIF_MAX_SEGMENTS_PER_REQUEST)
		return BLKIF_RSP_ERROR;
	if (write && b->readonly)
		return BLKIF_RSP_ERROR;
	if (sector & align)
		return BLKIF_RSP_ERROR;
	for (i = 0; i < r->nr_segments; i++) {
		const struct blkif_request_segment *s = &r->seg[i];

		if (s->first_sect > s->last_sect ||
		    s->last_sect >= BLKIF_SECTORS_PER_PAGE ||
		    (s->first_sect & align) || ((s->last_sect + 1) & align))
			return BLKIF_RSP_ERROR;
		n += s->last_sect - s->first_sect + 1;
	}
	if (sector > b->sectors || n > b->sectors - sector)
		return BLKIF_RSP_ERROR;
	for (i = 0; i < r->nr_segments; i++) {
		const struct blkif_request_segment *s = &r->seg[i];
		u32 len = (s->last_sect - s->first_sect + 1) * BLKIF_SECTOR_SIZE;

		if (gnt_copy_hyp(&b->d->xen.gnt, s->gref,
				 s->first_sect * BLKIF_SECTOR_SIZE,
				 b->image + sector * BLKIF_SECTOR_SIZE, len,
				 !write))
			return BLKIF_RSP_ERROR;
		sector += len / BLKIF_SECTOR_SIZE;
	}
	return BLKIF_RSP_OKAY;
}

static s16 do_request(struct blkback *b, const union blkif_sring_entry *e)
{
	switch (e->req.operation) {
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
		return do_rw(b, &e->req);
	case BLKIF_OP_FLUSH_DISKCACHE:
		return e->req.nr_segments ? BLKIF_RSP_ERROR : BLKIF_RSP_OKAY;
	default:
		return BLKIF_RSP_EOPNOTSUPP;
	}
}

/* Under @lock: take the next request, answer it in its slot. */
static void serve_one(struct blkback *b)
{
	union blkif_sring_entry *slot;
	union blkif_sring_entry req;
	struct blkif_response rsp = { 0 };

	slot = &b->sring->ring[b->req_cons & (b->nr_slots - 1)];
	memcpy(&req, slot, sizeof(req));
	rsp.status = do_request(b, &req);
	rsp.id = req.req.id;
	rsp.operation = req.req.operation;
	if (rsp.status != BLKIF_RSP_OKAY)
		pr_debug("%s: vbd %u: request %u (operation %u): status %d",
			 b->d->name, b->devid, b->req_cons, rsp.operation,
			 rsp.status);
	memcpy(&slot->rsp, &rsp, sizeof(rsp));
	b->req_cons++;
}

/*
 * Under @lock: publish the responses written since the last push and
 * notify the frontend if it asked to be told of one of them (rsp_event,
 * the check of Xen's RING_PUSH_RESPONSES_AND_CHECK_NOTIFY).
 */
static void push_responses(struct blkback *b)
{
	u32 old = b->rsp_pushed, new = b->req_cons;

	if (old == new)
		return;
	guest_wmb();
	WRITE_ONCE(b->sring->rsp_prod, new);
	guest_mb();
	b->rsp_pushed = new;
	if ((u32)(new - READ_ONCE(b->sring->rsp_event)) < (u32)(new - old))
		evtchn_hyp_notify(b->hport);
}

/* Under @lock, connected: unpin the ring, close the channel. */
static void drop(struct blkback *b)
{
	b->connected = false;
	WRITE_ONCE(b->more, false);
	evtchn_hyp_close(b->hport);
	gnt_unpin(&b->d->xen.gnt, b->ring_ref, false);
	b->sring = NULL;
	b->hport = 0;
}

/*
 * Under @lock, connected: serve up to BLKBACK_BUDGET requests. Returns
 * whether requests are left (for blkback_resume()); false also when a
 * lying producer index disconnected the disk.
 */
static bool serve(struct blkback *b)
{
	u32 prod, done = 0;
	bool more;

	for (;;) {
		prod = READ_ONCE(b->sring->req_prod);
		guest_rmb();
		if (prod - b->req_cons > b->nr_slots) {
			pr_warn("%s: vbd %u: request producer %u is %u past the last response, the ring has %u slots: disconnected",
				b->d->name, b->devid, prod, prod - b->req_cons,
				b->nr_slots);
			push_responses(b);
			drop(b);
			return false;
		}
		while (b->req_cons != prod && done < BLKBACK_BUDGET) {
			serve_one(b);
			done++;
		}
		more = b->req_cons != prod;
		if (more)
			break;
		/* Ask for an event at the next request, then look again. */
		WRITE_ONCE(b->sring->req_event, b->req_cons + 1);
		guest_mb();
		more = READ_ONCE(b->sring->req_prod) != b->req_cons;
		if (!more || done == BLKBACK_BUDGET)
			break;
	}
	push_responses(b);
	return more;
}

/* The frontend sent on the disk's channel (its EVTCHNOP_send). */
static void blkback_event(void *arg, evtchn_port_t port)
{
	struct blkback *b = arg;

	spin_lock(&b->lock);
	/* Also called during the bind and once more after a close. */
	if (b->connected && b->hport == port)
		WRITE_ONCE(b->more, serve(b));
	spin_unlock(&b->lock);
}

/**
 * blkback_resume() - serve what a budget left, before the domain runs
 * @b: the disk
 *
 * Cheap when nothing is left: call it before every entry into a vCPU
 * of the frontend's domain.
 */
void blkback_resume(struct blkback *b)
{
	if (!READ_ONCE(b->more))
		return;
	spin_lock(&b->lock);
	if (b->connected && b->more)
		WRITE_ONCE(b->more, serve(b));
	spin_unlock(&b->lock);
}

/**
 * blkback_connect() - take the frontend's ring and event channel
 * @b: the disk, not connected
 * @ring_ref: the frontend's "ring-ref": a page granted to DOMID_XEN,
 *	writable
 * @port: its "event-channel": a port unbound for DOMID_XEN
 * @protocol: its "protocol", NULL if it wrote none; only "arm-abi"
 *
 * The ring page stays pinned (the frontend cannot revoke it, nor give
 * its frame away) until blkback_disconnect(). Requests already in the
 * ring are served before this returns.
 *
 * Return: 0; -XEN_EBUSY if connected already; -XEN_EINVAL for another
 * protocol or a grant minixen cannot pin; the error of
 * evtchn_hyp_bind(). On error nothing is left taken, with one line in
 * the log naming the domain, the disk and why.
 */
int blkback_connect(struct blkback *b, u32 ring_ref, evtchn_port_t port,
		    const char *protocol)
{
	void *ring;
	int r;

	if (protocol && strcmp(protocol, XEN_IO_PROTO_ABI_ARM)) {
		pr_warn("%s: vbd %u: protocol \"%s\", not arm-abi: not connected",
			b->d->name, b->devid, protocol);
		return -XEN_EINVAL;
	}
	spin_lock(&b->ctl);
	r = -XEN_EBUSY;
	if (READ_ONCE(b->connected))
		goto out_ctl;
	r = gnt_pin(&b->d->xen.gnt, ring_ref, false, &ring);
	if (r) {
		pr_warn("%s: vbd %u: ring-ref %u: grant refused (GNTST %d): not connected",
			b->d->name, b->devid, ring_ref, r);
		r = -XEN_EINVAL;
		goto out_ctl;
	}
	/* Its handler runs once in there: not connected yet, it does nothing. */
	r = evtchn_hyp_bind(&b->d->xen.evtchn, port, blkback_event, b);
	if (r < 0) {
		pr_warn("%s: vbd %u: event-channel %u: cannot bind (%d): not connected",
			b->d->name, b->devid, port, r);
		goto out_unpin;
	}
	spin_lock(&b->lock);
	b->hport = r;
	b->ring_ref = ring_ref;
	b->sring = ring;
	b->nr_slots = blkif_ring_size(BLKIF_PAGE_SIZE);
	b->req_cons = 0;
	b->rsp_pushed = 0;
	b->connected = true;
	WRITE_ONCE(b->more, serve(b));
	spin_unlock(&b->lock);
	spin_unlock(&b->ctl);
	pr_info("%s: vbd %u: connected, ring-ref %u, event channel %u",
		b->d->name, b->devid, ring_ref, port);
	return 0;

out_unpin:
	gnt_unpin(&b->d->xen.gnt, ring_ref, false);
out_ctl:
	spin_unlock(&b->ctl);
	return r;
}

/**
 * blkback_disconnect() - let go of the frontend's ring and channel
 * @b: the disk
 *
 * Responses already written stay; requests not taken are dropped. The
 * frontend's end of the channel is unbound again. Nothing happens if
 * @b is not connected (never, or a fault disconnected it).
 */
void blkback_disconnect(struct blkback *b)
{
	spin_lock(&b->ctl);
	spin_lock(&b->lock);
	if (b->connected)
		drop(b);
	spin_unlock(&b->lock);
	spin_unlock(&b->ctl);
}

/**
 * blkback_connected() - is the disk connected?
 * @b: the disk
 *
 * Return: false before blkback_connect(), after blkback_disconnect() and
 * after a lying frontend got it disconnected.
 */
bool blkback_connected(struct blkback *b)
{
	return READ_ONCE(b->connected);
}
