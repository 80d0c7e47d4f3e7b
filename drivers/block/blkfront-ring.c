// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen-blkfront: the shared rings, the blk-mq data path and response
 * checking.
 *
 * One ring per blk-mq hardware queue.  A request takes exactly one ring
 * slot (the queue limits guarantee it fits, indirect descriptors carry up
 * to 1 MiB), and the slot is the request's blk-mq tag, so a ring can never
 * overflow.  The id sent to the backend is the tag plus a per-ring
 * generation, so a stale or duplicated response is caught even after the
 * tag was reused.
 *
 * Every response is copied once out of the shared ring and checked before
 * anything acts on it; a backend that breaks the protocol gets its ring
 * marked broken, every request on it failed, and the device closed.
 */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/highmem.h>
#include <linux/interrupt.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include <xen/interface/io/ring.h>

#include <pvxen/compat-blk.h>
#include <pvxen/events.h>
#include <pvxen/grant.h>

#include "blkfront.h"

static struct device *blkf_dev(struct blkf_ring *ring)
{
	return &ring->info->xbdev->dev;
}

/* ---- the page pool ------------------------------------------------------ */

static void blkf_page_free(struct blkf_ring *ring, struct blkf_page *p)
{
	if (p->granted) {
		/* Freed now, or by pvxen-core once the backend unmaps it. */
		if (!pvxen_gnttab_end_access(p->gref, p->page))
			ring->deferred++;
	} else {
		__free_page(p->page);
	}
	if (p->persistent)
		ring->persistent--;
	ring->pool_total--;
	kfree(p);
}

/*
 * A new page for @ring, already counted in pool_total by the caller.
 * With persistent grants it is granted read-write now and stays so: the
 * backend may keep any grant it sees mapped, so none is revoked before
 * the connection ends.
 */
static struct blkf_page *blkf_page_new(struct blkf_ring *ring)
{
	struct blkf_info *info = ring->info;
	struct blkf_page *p;
	unsigned long flags;
	int ref;

	p = kzalloc(sizeof(*p), GFP_ATOMIC | __GFP_NOWARN);
	if (!p)
		return NULL;
	/* Zeroed: the backend never sees what the page held before. */
	p->page = alloc_page(GFP_ATOMIC | __GFP_ZERO | __GFP_NOWARN);
	if (!p->page)
		goto free;
	if (!info->persistent)
		return p;
	ref = pvxen_gnttab_grant_access(info->xbdev->otherend_id,
					pvxen_page_to_gfn(p->page), false);
	if (ref < 0)
		goto free_page;
	p->gref = ref;
	p->granted = true;
	p->persistent = true;
	spin_lock_irqsave(&ring->lock, flags);
	ring->persistent++;
	spin_unlock_irqrestore(&ring->lock, flags);
	return p;
free_page:
	__free_page(p->page);
free:
	kfree(p);
	return NULL;
}

/* Give pages back; @n of them, taken by blkf_get_pages(). */
static void blkf_put_pages(struct blkf_ring *ring, struct blkf_page **pages,
			   unsigned int n)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&ring->lock, flags);
	for (i = 0; i < n; i++) {
		struct blkf_page *p = pages[i];

		if (!p->persistent && p->granted) {
			/* Per-request grant: end it before reuse. */
			if (pvxen_gnttab_try_revoke(p->gref)) {
				blkf_page_free(ring, p);
				continue;
			}
			pvxen_gnttab_free_ref(p->gref);
			p->granted = false;
		}
		if (!p->persistent && ring->pool_free >= BLKF_SPARE_MAX) {
			blkf_page_free(ring, p);
			continue;
		}
		list_add(&p->node, &ring->pool);
		ring->pool_free++;
	}
	spin_unlock_irqrestore(&ring->lock, flags);
}

/*
 * Take @n pages; @ro_from: pages from this index on are granted read-only
 * when granted per request (the data of a write, indirect pages).
 */
static int blkf_get_pages(struct blkf_ring *ring, struct blkf_page **pages,
			  unsigned int n, unsigned int ro_from)
{
	struct blkf_info *info = ring->info;
	unsigned long flags;
	unsigned int i = 0;
	int ref;

	spin_lock_irqsave(&ring->lock, flags);
	while (i < n && !list_empty(&ring->pool)) {
		pages[i] = list_first_entry(&ring->pool, struct blkf_page, node);
		list_del(&pages[i]->node);
		ring->pool_free--;
		i++;
	}
	/*
	 * Persistent pages are never given back before disconnect: beyond
	 * the cap, wait for requests in flight to return theirs.
	 */
	if (info->persistent &&
	    ring->pool_total + (n - i) > BLKF_PERSISTENT_PAGES) {
		spin_unlock_irqrestore(&ring->lock, flags);
		blkf_put_pages(ring, pages, i);
		return -EAGAIN;
	}
	ring->pool_total += n - i;
	spin_unlock_irqrestore(&ring->lock, flags);
	for (; i < n; i++) {
		pages[i] = blkf_page_new(ring);
		if (!pages[i]) {
			spin_lock_irqsave(&ring->lock, flags);
			ring->pool_total -= n - i;
			spin_unlock_irqrestore(&ring->lock, flags);
			goto fail;	/* pages[0..i) are ours */
		}
	}
	for (i = 0; i < n; i++) {
		struct blkf_page *p = pages[i];

		if (p->granted)
			continue;
		ref = pvxen_gnttab_grant_access(info->xbdev->otherend_id,
						pvxen_page_to_gfn(p->page),
						i >= ro_from);
		if (ref < 0) {
			i = n;
			goto fail;
		}
		p->gref = ref;
		p->granted = true;
	}
	return 0;
fail:
	blkf_put_pages(ring, pages, i);
	return -ENOMEM;
}

/* ---- copying between the request and the driver's pages ---------------- */

static void blkf_copy(struct request *rq, struct blkf_req *br, bool to_pages)
{
	struct req_iterator iter;
	struct bio_vec bv;
	size_t pos = 0;

	rq_for_each_segment(bv, rq, iter) {
		unsigned int done = 0;
		char *p = bvec_kmap_local(&bv);

		while (done < bv.bv_len) {
			struct page *pg = br->pages[pos >> PAGE_SHIFT]->page;
			unsigned int off = offset_in_page(pos);
			unsigned int n = min_t(unsigned int, bv.bv_len - done,
					       PAGE_SIZE - off);

			if (to_pages)
				memcpy(page_address(pg) + off, p + done, n);
			else
				memcpy(p + done, page_address(pg) + off, n);
			done += n;
			pos += n;
		}
		kunmap_local(p);
		if (!to_pages)
			flush_dcache_page(bv.bv_page);
	}
}

/* ---- submitting --------------------------------------------------------- */

static blk_status_t blkf_prep_rw(struct blkf_ring *ring, struct request *rq,
				 struct blkif_request *req, u8 op)
{
	struct blkf_info *info = ring->info;
	struct blkf_req *br = blk_mq_rq_to_pdu(rq);
	unsigned int bytes = blk_rq_bytes(rq);
	unsigned int nr = DIV_ROUND_UP(bytes, PAGE_SIZE);
	unsigned int left = bytes >> SECTOR_SHIFT;
	bool write = op != BLKIF_OP_READ;
	struct blkif_request_segment *seg;
	unsigned int nind = 0, i;

	if (!nr || nr > info->max_segs || !IS_ALIGNED(bytes, SECTOR_SIZE)) {
		dev_err_ratelimited(blkf_dev(ring),
				    "%s: request of %u bytes does not fit\n",
				    info->name, bytes);
		return BLK_STS_IOERR;
	}
	if (nr > BLKIF_MAX_SEGMENTS_PER_REQUEST)
		nind = DIV_ROUND_UP(nr, BLKF_SEGS_PER_IND_PAGE);
	if (blkf_get_pages(ring, br->pages, nr + nind, write ? 0 : nr))
		return BLK_STS_RESOURCE;
	br->nr_data = nr;
	br->nr_pages = nr + nind;
	if (write)
		blkf_copy(rq, br, true);

	if (nind) {
		req->operation = BLKIF_OP_INDIRECT;
		req->u.indirect.indirect_op = op;
		req->u.indirect.nr_segments = nr;
		req->u.indirect.sector_number = blk_rq_pos(rq);
		req->u.indirect.handle = info->vdev;
		for (i = 0; i < nind; i++)
			req->u.indirect.indirect_grefs[i] =
				br->pages[nr + i]->gref;
	} else {
		req->operation = op;
		req->u.rw.nr_segments = nr;
		req->u.rw.handle = info->vdev;
		req->u.rw.sector_number = blk_rq_pos(rq);
	}
	for (i = 0; i < nr; i++) {
		unsigned int n = min_t(unsigned int, left, BLKF_SECT_PER_PAGE);

		if (nind)
			seg = (struct blkif_request_segment *)
			      page_address(br->pages[nr + i / BLKF_SEGS_PER_IND_PAGE]->page) +
			      i % BLKF_SEGS_PER_IND_PAGE;
		else
			seg = &req->u.rw.seg[i];
		seg->gref = br->pages[i]->gref;
		seg->first_sect = 0;
		seg->last_sect = n - 1;
		left -= n;
	}
	return BLK_STS_OK;
}

static void blkf_push(struct blkf_ring *ring)
{
	int notify;

	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&ring->front, notify);
	if (notify)
		pvxen_evtchn_send(ring->evtchn.port);
}

static blk_status_t blkf_queue_rq(struct blk_mq_hw_ctx *hctx,
				  const struct blk_mq_queue_data *bd)
{
	struct blkf_info *info = hctx->queue->queuedata;
	struct request *rq = bd->rq;
	struct blkf_req *br = blk_mq_rq_to_pdu(rq);
	struct blkif_request req = {};
	struct blkf_ring *ring;
	struct blkf_slot *slot;
	unsigned long flags;
	blk_status_t st;
	u8 op = 0;

	br->status = BLK_STS_OK;
	br->nr_pages = 0;
	br->nr_data = 0;
	/* Once dead, the rings may be gone: never look at them. */
	if (READ_ONCE(info->front.conn) != PVXEN_FRONT_CONNECTED)
		return BLK_STS_IOERR;
	ring = hctx->driver_data;
	if (READ_ONCE(ring->broken))
		return BLK_STS_IOERR;
	if (rq->tag < 0 || rq->tag >= RING_SIZE(&ring->front))
		return BLK_STS_IOERR;
	blk_mq_start_request(rq);

	switch (req_op(rq)) {
	case REQ_OP_READ:
		op = BLKIF_OP_READ;
		break;
	case REQ_OP_WRITE:
		op = (rq->cmd_flags & REQ_FUA) && info->fua ?
		     BLKIF_OP_WRITE_BARRIER : BLKIF_OP_WRITE;
		break;
	case REQ_OP_FLUSH:
		if (!info->flush_op)
			return BLK_STS_NOTSUPP;
		op = info->flush_op;
		req.operation = op;
		req.u.rw.nr_segments = 0;
		req.u.rw.handle = info->vdev;
		break;
	case REQ_OP_SECURE_ERASE:
	case REQ_OP_DISCARD:
		if (!info->discard)
			return BLK_STS_NOTSUPP;
		op = BLKIF_OP_DISCARD;
		req.operation = op;
		req.u.discard.flag = req_op(rq) == REQ_OP_SECURE_ERASE &&
				     info->discard_secure ?
				     BLKIF_DISCARD_SECURE : 0;
		req.u.discard.sector_number = blk_rq_pos(rq);
		req.u.discard.nr_sectors = blk_rq_sectors(rq);
		break;
	default:
		return BLK_STS_NOTSUPP;
	}
	if (op == BLKIF_OP_READ || op == BLKIF_OP_WRITE ||
	    (op == BLKIF_OP_WRITE_BARRIER && blk_rq_bytes(rq))) {
		st = blkf_prep_rw(ring, rq, &req, op);
		if (st)
			return st;
	}

	spin_lock_irqsave(&ring->lock, flags);
	slot = &ring->slots[rq->tag];
	if (ring->broken || RING_FULL(&ring->front) ||
	    WARN_ON_ONCE(slot->busy)) {
		spin_unlock_irqrestore(&ring->lock, flags);
		blkf_put_pages(ring, br->pages, br->nr_pages);
		br->nr_pages = 0;
		return BLK_STS_IOERR;
	}
	slot->id = (ring->next_gen++ << BLKF_ID_TAG_BITS) | rq->tag;
	slot->rq = rq;
	slot->op = op;
	slot->indirect = req.operation == BLKIF_OP_INDIRECT;
	slot->busy = true;
	/* Every request kind keeps its id at the same offset. */
	req.u.rw.id = slot->id;
	memcpy(RING_GET_REQUEST(&ring->front, ring->front.req_prod_pvt), &req,
	       sizeof(req));
	ring->front.req_prod_pvt++;
	ring->inflight++;
	blkf_stat_inc(ring, &ring->st.requests);
	if (op == BLKIF_OP_READ)
		blkf_stat_inc(ring, &ring->st.reads);
	else if (op == BLKIF_OP_DISCARD)
		blkf_stat_inc(ring, &ring->st.discards);
	else if (req_op(rq) == REQ_OP_FLUSH)
		blkf_stat_inc(ring, &ring->st.flushes);
	else
		blkf_stat_inc(ring, &ring->st.writes);
	if (bd->last)
		blkf_push(ring);
	spin_unlock_irqrestore(&ring->lock, flags);
	return BLK_STS_OK;
}

static void blkf_commit_rqs(struct blk_mq_hw_ctx *hctx)
{
	struct blkf_info *info = hctx->queue->queuedata;
	struct blkf_ring *ring = hctx->driver_data;
	unsigned long flags;

	if (READ_ONCE(info->front.conn) != PVXEN_FRONT_CONNECTED)
		return;
	spin_lock_irqsave(&ring->lock, flags);
	if (!ring->broken)
		blkf_push(ring);
	spin_unlock_irqrestore(&ring->lock, flags);
}

/* ---- completing --------------------------------------------------------- */

/* Count a request that ends with @status (debugfs, blkf_dbg_show()). */
static void blkf_count_done(struct blkf_ring *ring, struct request *rq,
			    blk_status_t status)
{
	unsigned long flags;

	spin_lock_irqsave(&ring->lock, flags);
	if (status != BLK_STS_OK) {
		blkf_stat_inc(ring, &ring->st.errors);
		if (status == BLK_STS_NOTSUPP)
			blkf_stat_inc(ring, &ring->st.not_supported);
	} else if (req_op(rq) == REQ_OP_READ) {
		blkf_stat_inc(ring, &ring->st.done_reads);
	} else if (req_op(rq) == REQ_OP_WRITE) {
		blkf_stat_inc(ring, &ring->st.done_writes);
	} else if (req_op(rq) == REQ_OP_FLUSH) {
		blkf_stat_inc(ring, &ring->st.done_flushes);
	} else {
		blkf_stat_inc(ring, &ring->st.done_discards);
	}
	spin_unlock_irqrestore(&ring->lock, flags);
}

static void blkf_complete_rq(struct request *rq)
{
	struct blkf_ring *ring = rq->mq_hctx->driver_data;
	struct blkf_req *br = blk_mq_rq_to_pdu(rq);
	unsigned int i;

	/*
	 * End per-request grants before looking at the data.  A backend
	 * that still maps a page of a request it answered broke the
	 * protocol: fail the request; the page goes to deferred reclaim.
	 */
	for (i = 0; i < br->nr_pages; i++) {
		struct blkf_page *p = br->pages[i];

		if (!p->granted || p->persistent)
			continue;
		if (pvxen_gnttab_try_revoke(p->gref)) {
			if (br->status == BLK_STS_OK)
				dev_err_ratelimited(blkf_dev(ring),
						    "%s: backend still maps a page of an answered request\n",
						    ring->info->name);
			br->status = BLK_STS_IOERR;
			continue;
		}
		pvxen_gnttab_free_ref(p->gref);
		p->granted = false;
	}
	if (br->status == BLK_STS_OK && br->nr_data &&
	    req_op(rq) == REQ_OP_READ) {
		blkf_copy(rq, br, false);
	}
	blkf_put_pages(ring, br->pages, br->nr_pages);
	br->nr_pages = 0;
	blkf_count_done(ring, rq, br->status);
	blk_mq_end_request(rq, br->status);
}

/*
 * Check one response copied out of the ring.  Returns the slot it
 * answers, or NULL with @why filled in.
 */
static struct blkf_slot *blkf_check_rsp(struct blkf_ring *ring,
					const struct blkif_response *rsp,
					blk_status_t *status,
					char *why, size_t len)
{
	unsigned int tag = rsp->id & BLKF_ID_TAG_MASK;
	struct blkf_slot *slot;

	if (tag >= RING_SIZE(&ring->front)) {
		snprintf(why, len, "response id %#llx: tag %u beyond the ring",
			 rsp->id, tag);
		return NULL;
	}
	slot = &ring->slots[tag];
	if (!slot->busy || slot->id != rsp->id) {
		snprintf(why, len, "response id %#llx is not in flight",
			 rsp->id);
		return NULL;
	}
	if (rsp->operation != slot->op &&
	    !(slot->indirect && rsp->operation == BLKIF_OP_INDIRECT)) {
		snprintf(why, len,
			 "response id %#llx: operation %u, the request was %u",
			 rsp->id, rsp->operation, slot->op);
		return NULL;
	}
	switch (rsp->status) {
	case BLKIF_RSP_OKAY:
		*status = BLK_STS_OK;
		break;
	case BLKIF_RSP_ERROR:
		*status = BLK_STS_IOERR;
		break;
	case BLKIF_RSP_EOPNOTSUPP:
		*status = BLK_STS_NOTSUPP;
		break;
	default:
		snprintf(why, len, "response id %#llx: unknown status %d",
			 rsp->id, rsp->status);
		return NULL;
	}
	return slot;
}

/* Mark the ring broken (ring->lock held); true if it was not before. */
static bool blkf_ring_break_locked(struct blkf_ring *ring, const char *why)
{
	if (ring->broken)
		return false;
	ring->broken = true;
	blkf_stat_inc(ring, &ring->st.bad_responses);
	dev_err(blkf_dev(ring), "%s: ring %u: %s; failing the device\n",
		ring->info->name, ring->index, why);
	return true;
}

/* Fail every request still on the ring (which must be broken). */
static void blkf_fail_busy(struct blkf_ring *ring)
{
	unsigned int i, size = RING_SIZE(&ring->front);
	unsigned long flags;

	for (i = 0; i < size; i++) {
		struct blkf_slot *slot = &ring->slots[i];
		struct request *rq = NULL;

		spin_lock_irqsave(&ring->lock, flags);
		if (slot->busy) {
			slot->busy = false;
			rq = slot->rq;
			slot->rq = NULL;
			ring->inflight--;
		}
		spin_unlock_irqrestore(&ring->lock, flags);
		if (rq) {
			struct blkf_req *br = blk_mq_rq_to_pdu(rq);

			br->status = BLK_STS_IOERR;
			blk_mq_complete_request(rq);
		}
	}
}

/**
 * blkf_ring_fail() - Stop using a ring and fail its requests.
 * @ring: the ring
 * @why: logged once, with the device name
 *
 * Context: any; does not sleep.
 */
void blkf_ring_fail(struct blkf_ring *ring, const char *why)
{
	unsigned long flags;
	bool first;

	spin_lock_irqsave(&ring->lock, flags);
	first = blkf_ring_break_locked(ring, why);
	spin_unlock_irqrestore(&ring->lock, flags);
	blkf_fail_busy(ring);
	if (first)
		pvxen_front_fatal(&ring->info->front);
}

#define BLKF_BATCH 16

static irqreturn_t blkf_interrupt(int irq, void *dev_id)
{
	struct blkf_ring *ring = dev_id;
	struct request *done[BLKF_BATCH];
	unsigned int eoi = PVXEN_EOI_SPURIOUS;	/* until a response is seen */
	struct blkif_response rsp;
	unsigned int nd, k;
	unsigned long flags;
	bool more, bad;
	char why[96];
	RING_IDX i, rp;

again:
	nd = 0;
	more = false;
	bad = false;
	spin_lock_irqsave(&ring->lock, flags);
	if (ring->broken)
		goto unlock;
	rp = READ_ONCE(ring->front.sring->rsp_prod);
	virt_rmb();	/* read responses only after rsp_prod */
	/* Never more responses than requests sent. */
	if (pvxen_ring_rsp_overrun(&ring->front, rp)) {
		snprintf(why, sizeof(why),
			 "backend produced %u responses for %u requests",
			 rp - ring->front.rsp_cons,
			 ring->front.req_prod_pvt - ring->front.rsp_cons);
		bad = blkf_ring_break_locked(ring, why);
		goto unlock;
	}
	for (i = ring->front.rsp_cons; i != rp && nd < BLKF_BATCH; i++) {
		struct blkf_slot *slot;
		blk_status_t st;

		RING_COPY_RESPONSE(&ring->front, i, &rsp);
		slot = blkf_check_rsp(ring, &rsp, &st, why, sizeof(why));
		if (!slot) {
			bad = blkf_ring_break_locked(ring, why);
			break;
		}
		ring->front.rsp_cons = i + 1;
		((struct blkf_req *)blk_mq_rq_to_pdu(slot->rq))->status = st;
		done[nd++] = slot->rq;
		slot->busy = false;
		slot->rq = NULL;
		ring->inflight--;
	}
	if (!ring->broken) {
		if (i != rp)
			more = true;
		else
			RING_FINAL_CHECK_FOR_RESPONSES(&ring->front, more);
	}
unlock:
	spin_unlock_irqrestore(&ring->lock, flags);
	for (k = 0; k < nd; k++)
		blk_mq_complete_request(done[k]);
	if (nd || bad)
		eoi = 0;
	if (bad) {
		blkf_fail_busy(ring);
		pvxen_front_fatal(&ring->info->front);
	}
	if (more)
		goto again;
	pvxen_evtchn_irq_lateeoi_flags(irq, eoi);
	return IRQ_HANDLED;
}

static enum blk_eh_timer_return blkf_timeout(struct request *rq)
{
	struct blkf_ring *ring = rq->mq_hctx->driver_data;
	unsigned long flags;
	char why[64];

	snprintf(why, sizeof(why), "no response in %u s (backend stalled)",
		 ring->info->timeout_s);
	spin_lock_irqsave(&ring->lock, flags);
	blkf_stat_inc(ring, &ring->st.timeouts);
	spin_unlock_irqrestore(&ring->lock, flags);
	blkf_ring_fail(ring, why);
	return BLK_EH_DONE;
}

PVXEN_DEFINE_BLK_TIMEOUT(blkf_timeout)

static int blkf_init_hctx(struct blk_mq_hw_ctx *hctx, void *data,
			  unsigned int index)
{
	struct blkf_info *info = data;

	if (index >= info->nr_rings)
		return -EINVAL;
	hctx->driver_data = &info->rings[index];
	return 0;
}

const struct blk_mq_ops blkf_mq_ops = {
	.queue_rq = blkf_queue_rq,
	.commit_rqs = blkf_commit_rqs,
	.complete = blkf_complete_rq,
	.timeout = blkf_timeout_mq,
	.init_hctx = blkf_init_hctx,
};

/**
 * blkf_pdu_size() - blk-mq per-request data for a segment limit.
 * @max_segs: data segments per request
 *
 * Return: the size of struct blkf_req with its page pointers.
 */
size_t blkf_pdu_size(unsigned int max_segs)
{
	return struct_size((struct blkf_req *)NULL, pages,
			   max_segs + BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST);
}

/**
 * blkf_inflight() - Requests on all rings not answered yet.
 * @info: the device
 *
 * Return: the count.
 */
unsigned int blkf_inflight(struct blkf_info *info)
{
	unsigned int i, n = 0;
	unsigned long flags;

	for (i = 0; i < info->nr_rings; i++) {
		spin_lock_irqsave(&info->rings[i].lock, flags);
		n += info->rings[i].inflight;
		spin_unlock_irqrestore(&info->rings[i].lock, flags);
	}
	return n;
}

/**
 * blkf_fail_all() - Break every ring and fail what is on them.
 * @info: the device
 *
 * Used when the backend goes away with requests unanswered.
 */
void blkf_fail_all(struct blkf_info *info)
{
	unsigned long flags;
	unsigned int i;

	for (i = 0; i < info->nr_rings; i++) {
		struct blkf_ring *ring = &info->rings[i];

		spin_lock_irqsave(&ring->lock, flags);
		ring->broken = true;
		spin_unlock_irqrestore(&ring->lock, flags);
		blkf_fail_busy(ring);
	}
}

/* ---- ring set-up and teardown ------------------------------------------- */

static void blkf_ring_free(struct blkf_ring *ring)
{
	struct blkf_page *p, *tmp;
	unsigned long flags;

	pvxen_xenbus_evtchn_teardown(&ring->evtchn, ring);

	spin_lock_irqsave(&ring->lock, flags);
	list_for_each_entry_safe(p, tmp, &ring->pool, node) {
		list_del(&p->node);
		ring->pool_free--;
		blkf_page_free(ring, p);
	}
	spin_unlock_irqrestore(&ring->lock, flags);
	if (ring->pool_total)
		dev_warn(blkf_dev(ring), "%s: ring %u: %u pages still in use\n",
			 ring->info->name, ring->index, ring->pool_total);

	ring->deferred += pvxen_xenbus_ring_teardown(&ring->shared);
	kfree(ring->slots);
	ring->slots = NULL;
}

static int blkf_ring_alloc(struct blkf_info *info, struct blkf_ring *ring)
{
	struct pvxen_xenbus_device *dev = info->xbdev;
	struct blkif_sring *sring;
	int ret;

	ret = pvxen_xenbus_ring_setup(dev, info->ring_order, &ring->shared);
	if (ret)
		return ret;
	sring = ring->shared.va;
	SHARED_RING_INIT(sring);
	FRONT_RING_INIT(&ring->front, sring, PAGE_SIZE << info->ring_order);
	ring->slots = kcalloc(RING_SIZE(&ring->front), sizeof(*ring->slots),
			      GFP_KERNEL);
	if (!ring->slots) {
		ret = -ENOMEM;
		goto free_ring;
	}
	ret = pvxen_xenbus_evtchn_setup(dev, &ring->evtchn, blkf_interrupt,
					ring, "%s-q%u", info->name,
					ring->index);
	if (ret)
		goto free_ring;
	return 0;
free_ring:
	blkf_ring_free(ring);
	return ret;
}

/**
 * blkf_rings_setup() - Allocate and grant the rings, open their channels.
 * @info: the device, with nr_rings and ring_order chosen
 *
 * Return: 0 or a negative errno (nothing left allocated).
 */
int blkf_rings_setup(struct blkf_info *info)
{
	unsigned int i;
	int ret;

	info->rings = kcalloc(info->nr_rings, sizeof(*info->rings),
			      GFP_KERNEL);
	if (!info->rings)
		return -ENOMEM;
	for (i = 0; i < info->nr_rings; i++) {
		struct blkf_ring *ring = &info->rings[i];

		ring->info = info;
		ring->index = i;
		spin_lock_init(&ring->lock);
		INIT_LIST_HEAD(&ring->pool);
		ret = blkf_ring_alloc(info, ring);
		if (ret)
			goto fail;
	}
	return 0;
fail:
	while (i--)
		blkf_ring_free(&info->rings[i]);
	kfree(info->rings);
	info->rings = NULL;
	return ret;
}

/**
 * blkf_rings_teardown() - Fail what is left on the rings and free them.
 * @info: the device; no request may be submitted any more
 *
 * Grants the backend still maps go to pvxen-core's deferred reclaim.
 */
void blkf_rings_teardown(struct blkf_info *info)
{
	unsigned int i;

	if (!info->rings)
		return;
	blkf_fail_all(info);
	for (i = 0; i < info->nr_rings; i++)
		blkf_ring_free(&info->rings[i]);
	kfree(info->rings);
	info->rings = NULL;
}
