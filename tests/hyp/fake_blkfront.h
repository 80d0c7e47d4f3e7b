/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A blkif frontend as the host tests of minixen's block backend play it
 * (test_blkback.c, test_xenbus_vbd.c), in a domain of fake_xen.h: its
 * RAM holds the ring (frame RING_FRAME, grant RING_REF) and the data
 * pages (frame DATA_FRAME + i, grant DATA_REF + i), its grant table the
 * entries, its event channel a port unbound for DOMID_XEN; it sends
 * through EVTCHNOP_send as the guest does. Included by one file of a
 * test, after fake_xen.h.
 */
#ifndef MX_FAKE_BLKFRONT_H
#define MX_FAKE_BLKFRONT_H

#include <minixen/blkif.h>
#include <minixen/grant.h>

#define XVDA		51712
#define RING_REF	8
#define RING_FRAME	1		/* frames of the frontend's RAM */
#define DATA_REF	10		/* DATA_REF + i grants data frame i */
#define DATA_FRAME	16
#define NR_DATA		12

/* The frontend: its ring as blkfront keeps it (up to 16 pages) */
struct front {
	struct domain *d;
	struct blkif_sring *s;
	u8 *pg[16];
	u32 nr_slots;
	u32 req_prod_pvt;
	u32 rsp_cons;
	u32 port;
};

static __maybe_unused u8 *frame(struct domain *d, u32 n)
{
	return (u8 *)(uintptr_t)(d->ram_pa + (u64)n * SZ_4K);
}

static __maybe_unused struct grant_entry_v1 *gntent(struct domain *d, u32 ref)
{
	u64 pa = 0;

	if (gnt_frame_pa(&d->xen.gnt, 0, &pa))
		abort();
	return (struct grant_entry_v1 *)(uintptr_t)pa + ref;
}

/* @d grants its RAM frame @n to @domid as entry @ref. */
static __maybe_unused void grant(struct domain *d, u32 ref, u32 n, u16 domid, bool ro)
{
	struct grant_entry_v1 *e = gntent(d, ref);

	e->domid = domid;
	e->frame = (RAM_IPA >> 12) + n;
	e->flags = GTF_permit_access | (ro ? GTF_readonly : 0);
}

/*
 * Does minixen hold entry @ref (its flags, or its pin count: the guest
 * may have rewritten the flags since)?
 */
static __maybe_unused bool pinned(struct domain *d, u32 ref)
{
	struct grant_entry_v1 *e = gntent(d, ref);
	u64 pa = d->ram_pa + (((u64)e->frame - (RAM_IPA >> 12)) << 12);

	return (e->flags & (GTF_reading | GTF_writing)) ||
	       gnt_pa_pinned(&d->xen.gnt, pa);
}

/*
 * SHARED_RING_INIT, FRONT_RING_INIT of a ring of @nr pages: page i is
 * granted as @ref + i and lives in frame @n + @nr - 1 - i (backwards, so
 * that a slot straddling two pages is not contiguous in memory); and a
 * port for DOMID_XEN.
 */
static __maybe_unused void fe_setup_ring(struct front *f, struct domain *d,
					 u32 ref, u32 n, u32 nr)
{
	struct evtchn_alloc_unbound au = { .dom = DOMID_SELF,
					   .remote_dom = DOMID_XEN };
	u32 i;

	f->d = d;
	for (i = 0; i < nr; i++) {
		f->pg[i] = frame(d, n + nr - 1 - i);
		memset(f->pg[i], 0, SZ_4K);
		grant(d, ref + i, n + nr - 1 - i, DOMID_XEN, false);
	}
	f->s = (struct blkif_sring *)f->pg[0];
	f->nr_slots = blkif_ring_size((u64)nr * SZ_4K);
	f->s->req_event = 1;
	f->s->rsp_event = 1;
	f->req_prod_pvt = 0;
	f->rsp_cons = 0;
	if (evtchn_alloc_unbound(&d->xen.evtchn, &au))
		abort();
	f->port = au.port;
}

/* One page in frame @n granted as @ref */
static __maybe_unused void fe_setup_at(struct front *f, struct domain *d,
				       u32 ref, u32 n)
{
	fe_setup_ring(f, d, ref, n, 1);
}

/* Slot @idx of the ring, @len bytes to or from @buf, page by page */
static __maybe_unused void fe_slot(struct front *f, u32 idx, void *buf,
				   u32 len, bool to_ring)
{
	u32 off = sizeof(struct blkif_sring) +
		  (idx % f->nr_slots) * sizeof(union blkif_sring_entry);
	u8 *p = buf;

	while (len) {
		u32 in = off % SZ_4K, n = SZ_4K - in < len ? SZ_4K - in : len;
		u8 *at = f->pg[off / SZ_4K] + in;

		if (to_ring)
			memcpy(at, p, n);
		else
			memcpy(p, at, n);
		off += n;
		p += n;
		len -= n;
	}
}

/* The ring in frame RING_FRAME, granted as RING_REF */
static __maybe_unused void fe_setup(struct front *f, struct domain *d)
{
	fe_setup_at(f, d, RING_REF, RING_FRAME);
}

static __maybe_unused void fe_queue(struct front *f, const struct blkif_request *r)
{
	union blkif_sring_entry e;

	memcpy(&e, r, sizeof(e));
	fe_slot(f, f->req_prod_pvt++, &e, sizeof(e), true);
}

/* A discard or indirect request (its slot's other fields zero) */
static __maybe_unused void fe_queue_any(struct front *f, const void *r,
					size_t len)
{
	union blkif_sring_entry e = { 0 };

	memcpy(&e, r, len);
	fe_slot(f, f->req_prod_pvt++, &e, sizeof(e), true);
}

/* Publish the queued requests and send on the channel, as the guest. */
static __maybe_unused long fe_kick(struct front *f)
{
	struct evtchn_send *sd = AT(struct evtchn_send, 64);

	WRITE_ONCE(f->s->req_prod, f->req_prod_pvt);
	sd->port = f->port;
	return EVTCHN(f->d->vcpu[0], EVTCHNOP_send, 64);
}

/* The next response, or false; rsp_event set as blkfront does. */
static __maybe_unused bool fe_rsp(struct front *f, struct blkif_response *r)
{
	if (f->rsp_cons == READ_ONCE(f->s->rsp_prod))
		return false;
	fe_slot(f, f->rsp_cons++, r, sizeof(*r), false);
	f->s->rsp_event = f->rsp_cons + 1;
	return true;
}

static __maybe_unused struct blkif_request rw(u8 op, u64 sector, u32 nseg,
					      u32 first, u32 last)
{
	static u64 id = 0x1000;
	struct blkif_request r = { .operation = op, .nr_segments = nseg,
				   .handle = XVDA, .id = id++,
				   .sector_number = sector };
	u32 i;

	for (i = 0; i < nseg && i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++)
		r.seg[i] = (struct blkif_request_segment){ .gref = DATA_REF + i,
			.first_sect = first, .last_sect = last };
	return r;
}

static __maybe_unused void fill(u8 *p, size_t n, u8 seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (u8)(seed + i * 7 + i / 512);
}

#endif
