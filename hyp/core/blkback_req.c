// SPDX-License-Identifier: GPL-2.0-only
/*
 * The block backend: one request, checked and done (see
 * minixen/blkback.h). The request is minixen's copy, taken out of the
 * ring once; an indirect request's segment descriptors are copied out of
 * its indirect pages once, into the queue's buffer, and checked there.
 * What Linux's blkback answers, this answers:
 *
 * - READ, WRITE: 1..11 segments; INDIRECT (indirect_op READ or WRITE):
 *   1..BLKBACK_MAX_INDIRECT_SEGS segments in ceil(n / 512) indirect
 *   pages. Each segment within its 4 KiB frame (first_sect <= last_sect
 *   < 8, in 512-byte sectors whatever the disk's sector size), on a
 *   4096-byte disk whole blocks only (sector number and every segment
 *   aligned to 8), the request within the disk, no write to a read-only
 *   disk, grants that can be copied (a read needs writable ones): else
 *   BLKIF_RSP_ERROR. A write whose later segment's grant fails has its
 *   earlier segments written (the status says error).
 * - FLUSH_DISKCACHE, WRITE_BARRIER: done at once (the image is RAM, and
 *   every earlier request is complete); with segments, a write first.
 *   On a read-only disk: error, as blkback's write check says.
 * - DISCARD: the range (aligned to the sector size, within the disk) is
 *   zeroed; read-only: error. BLKIF_DISCARD_SECURE needs nothing more.
 * - RESERVED_1 and anything else: BLKIF_RSP_EOPNOTSUPP.
 *
 * The response of an indirect request carries its indirect_op, as
 * blkback's does and Linux's blkfront checks.
 */
#include "blkback_priv.h"

/* Bytes of zeroing that count as one request against the budget */
#define DISCARD_BYTES_PER_REQ	0x100000UL

/* 512-byte sectors of a disk sector, less one: the alignment mask */
static u32 align_mask(const struct blkback *b)
{
	return b->sector_size / BLKIF_SECTOR_SIZE - 1;
}

/* Is [@sector, @sector + @n) on the disk? No sum that may wrap. */
static bool in_disk(const struct blkback *b, u64 sector, u64 n)
{
	return sector <= b->sectors && n <= b->sectors - sector;
}

/*
 * Check @nseg segments (minixen's copy) of a read or write starting at
 * @sector, then move their data.
 */
static s16 do_segs(struct blkback *b, bool write, u64 sector,
		   const struct blkif_request_segment *seg, u32 nseg)
{
	u32 i, mask = align_mask(b);
	u64 n = 0;

	if (write && b->readonly)
		return BLKIF_RSP_ERROR;
	if (sector & mask)
		return BLKIF_RSP_ERROR;
	for (i = 0; i < nseg; i++) {
		u32 first = seg[i].first_sect, last = seg[i].last_sect;

		if (first > last || last >= BLKIF_SECTORS_PER_PAGE ||
		    (first & mask) || ((last + 1) & mask))
			return BLKIF_RSP_ERROR;
		n += last - first + 1;
	}
	if (!in_disk(b, sector, n))
		return BLKIF_RSP_ERROR;
	for (i = 0; i < nseg; i++) {
		u32 first = seg[i].first_sect;
		u32 len = (seg[i].last_sect - first + 1) * BLKIF_SECTOR_SIZE;

		if (gnt_copy_hyp(&b->d->xen.gnt, seg[i].gref,
				 first * BLKIF_SECTOR_SIZE,
				 b->image + sector * BLKIF_SECTOR_SIZE, len,
				 !write))
			return BLKIF_RSP_ERROR;
		sector += len / BLKIF_SECTOR_SIZE;
	}
	return BLKIF_RSP_OKAY;
}

static s16 do_direct(struct blkback *b, const struct blkif_request *r,
		     bool write)
{
	if (!r->nr_segments || r->nr_segments > BLKIF_MAX_SEGMENTS_PER_REQUEST)
		return BLKIF_RSP_ERROR;
	return do_segs(b, write, r->sector_number, r->seg, r->nr_segments);
}

/* FLUSH_DISKCACHE or WRITE_BARRIER: blkback's write with a pre-flush */
static s16 do_flush(struct blkback *b, const struct blkif_request *r)
{
	if (b->readonly)
		return BLKIF_RSP_ERROR;
	if (!r->nr_segments)
		return BLKIF_RSP_OKAY;
	return do_direct(b, r, true);
}

/* Copy the descriptors out of the indirect pages once, then as above. */
static s16 do_indirect(struct blkback_queue *q,
		       const struct blkif_request_indirect *r)
{
	const u32 per_page = BLKIF_SEGS_PER_INDIRECT_FRAME;
	u32 nseg = r->nr_segments, done, n, i;
	struct blkback *b = q->b;

	BUILD_BUG_ON(BLKBACK_MAX_INDIRECT_SEGS >
		     BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST *
		     BLKIF_SEGS_PER_INDIRECT_FRAME);
	if (r->indirect_op != BLKIF_OP_READ && r->indirect_op != BLKIF_OP_WRITE)
		return BLKIF_RSP_ERROR;
	if (!nseg || nseg > BLKBACK_MAX_INDIRECT_SEGS)
		return BLKIF_RSP_ERROR;
	for (i = 0, done = 0; done < nseg; i++, done += n) {
		n = nseg - done < per_page ? nseg - done : per_page;
		if (gnt_copy_hyp(&b->d->xen.gnt, r->indirect_grefs[i], 0,
				 &q->segs[done], n * sizeof(*q->segs), false))
			return BLKIF_RSP_ERROR;
	}
	return do_segs(b, r->indirect_op == BLKIF_OP_WRITE, r->sector_number,
		       q->segs, nseg);
}

/* Zero the range; *@cost: how much of a budget it is worth. */
static s16 do_discard(struct blkback *b, const struct blkif_request_discard *r,
		      u32 *cost)
{
	u64 sector = r->sector_number, n = r->nr_sectors;

	if (b->readonly || ((sector | n) & align_mask(b)) ||
	    !in_disk(b, sector, n))
		return BLKIF_RSP_ERROR;
	memset(b->image + sector * BLKIF_SECTOR_SIZE, 0,
	       n * BLKIF_SECTOR_SIZE);
	*cost += n * BLKIF_SECTOR_SIZE / DISCARD_BYTES_PER_REQ;
	return BLKIF_RSP_OKAY;
}

/**
 * blkback_request() - do one request of a queue
 * @q: the queue, its lock held
 * @e: minixen's copy of the request
 * @rsp: the response to write in its slot
 *
 * Return: what it costs of a budget: 1, more for a discard of more than
 * a MiB (zeroing is the one request whose work is not bounded by its
 * slot).
 */
u32 blkback_request(struct blkback_queue *q, const union blkif_sring_entry *e,
		    struct blkif_response *rsp)
{
	struct blkback *b = q->b;
	u32 cost = 1;
	s16 st;

	memset(rsp, 0, sizeof(*rsp));
	rsp->id = e->req.id;
	rsp->operation = e->req.operation;
	switch (e->req.operation) {
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
		st = do_direct(b, &e->req, e->req.operation == BLKIF_OP_WRITE);
		break;
	case BLKIF_OP_FLUSH_DISKCACHE:
	case BLKIF_OP_WRITE_BARRIER:
		st = do_flush(b, &e->req);
		break;
	case BLKIF_OP_DISCARD:
		st = do_discard(b, &e->discard, &cost);
		break;
	case BLKIF_OP_INDIRECT:
		rsp->operation = e->indirect.indirect_op;
		st = do_indirect(q, &e->indirect);
		break;
	default:
		st = BLKIF_RSP_EOPNOTSUPP;
		break;
	}
	rsp->status = st;
	return cost;
}
