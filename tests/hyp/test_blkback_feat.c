// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests: the features of minixen's block backend
 * (hyp/core/blkback*.c) beyond one ring of one page, and what a hostile
 * frontend does with them: multi-page rings, several queues, indirect
 * segments, discard, flush and barrier with data, persistent grants,
 * read-only and 4096-byte disks, event storms. The frontend is played
 * in a fake domain (fake_xen.h, fake_blkfront.h).
 */
#include <minixen/blkback.h>
#include <minixen/guest_atomic.h>
#include "../../hyp/core/grant_priv.h"
#include "fake_xen.h"
#include "fake_blkfront.h"
#include "tap.h"

#define DISK_SIZE	0x100000UL	/* 1 MiB: 2048 sectors */
#define DISK_SECTORS	(DISK_SIZE / 512)
#define QRING_REF	100		/* queue q, page i: ref and frame */
#define QRING_FRAME	100		/* QRING_* + 16 * q + i */
#define IND_REF		170		/* indirect pages */
#define IND_FRAME	300
#define SEG_REF		200		/* data of indirect requests */
#define SEG_FRAME	310		/* 256 frames */

static struct domain *fd, *other;
static struct front fq[BLKBACK_MAX_QUEUES];
static struct blkback bb, bb2;
static u8 *image, *image2;
static u8 orig[DISK_SIZE];

static struct vbdcfg cfg(void *img, u32 ss, bool ro)
{
	return (struct vbdcfg){ .devid = XVDA, .sector_size = ss,
				.readonly = ro,
				.image = { (u64)(uintptr_t)img, DISK_SIZE } };
}

/* Fresh rings for @nq queues of 2^@order pages, and their connection */
static struct blkback_conn setup(u32 nq, u32 order)
{
	struct blkback_conn c = { .nr_queues = nq, .ring_order = order };
	u32 q, i, pages = order > 4 ? 16 : 1U << order;

	for (q = 0; q < nq; q++) {
		fe_setup_ring(&fq[q], fd, QRING_REF + 16 * q,
			      QRING_FRAME + 16 * q, pages);
		for (i = 0; i < pages; i++)
			c.q[q].refs[i] = QRING_REF + 16 * q + i;
		c.q[q].port = fq[q].port;
	}
	return c;
}

static bool ring_pinned(u32 q, u32 pages)
{
	u32 i;

	for (i = 0; i < pages; i++)
		if (!pinned(fd, QRING_REF + 16 * q + i))
			return false;
	return true;
}

static bool ring_free(u32 q, u32 pages)
{
	u32 i;

	for (i = 0; i < pages; i++)
		if (pinned(fd, QRING_REF + 16 * q + i))
			return false;
	return true;
}

static bool port_unbound(struct front *f)
{
	struct evtchn_status st = { .dom = DOMID_SELF, .port = f->port };

	return !evtchn_status(&fd->xen.evtchn, &st) &&
	       st.status == EVTCHNSTAT_unbound;
}

/*
 * One request (@len bytes of @req: id at offset 8) through queue @f:
 * its status if the response is its (id, operation @op), else 99.
 */
static int one_any(struct front *f, const void *req, size_t len, u8 op)
{
	struct blkif_response r;
	u64 id;

	memcpy(&id, (const u8 *)req + 8, sizeof(id));
	fe_queue_any(f, req, len);
	if (fe_kick(f) || !fe_rsp(f, &r) || r.id != id || r.operation != op)
		return 99;
	return r.status;
}

static int one(struct front *f, const struct blkif_request *r)
{
	return one_any(f, r, sizeof(*r), r->operation);
}

static struct blkif_request_discard discard(u64 sector, u64 n, u8 flag)
{
	static u64 id = 0x9000;

	return (struct blkif_request_discard){ .operation = BLKIF_OP_DISCARD,
		.flag = flag, .handle = XVDA, .id = id++,
		.sector_number = sector, .nr_sectors = n };
}

/* Indirect pages describe @nseg whole-page segments SEG_REF + i. */
static struct blkif_request_indirect indirect(u8 op, u64 sector, u32 nseg)
{
	static u64 id = 0xa000;
	struct blkif_request_indirect r = { .operation = BLKIF_OP_INDIRECT,
		.indirect_op = op, .nr_segments = nseg, .id = id++,
		.sector_number = sector, .handle = XVDA };
	struct blkif_request_segment *s;
	u32 i;

	for (i = 0; i < BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST; i++) {
		r.indirect_grefs[i] = IND_REF + i;
		grant(fd, IND_REF + i, IND_FRAME + i, DOMID_XEN, true);
	}
	for (i = 0; i < nseg && i < 256; i++) {
		s = (struct blkif_request_segment *)frame(fd, IND_FRAME) + i;
		*s = (struct blkif_request_segment){ .gref = SEG_REF + i,
			.first_sect = 0, .last_sect = 7 };
		grant(fd, SEG_REF + i, SEG_FRAME + i, DOMID_XEN, false);
	}
	return r;
}

static struct blkif_request_segment *ind_seg(u32 i)
{
	return (struct blkif_request_segment *)frame(fd, IND_FRAME) + i;
}

static void test_multipage(void)
{
	struct blkback_conn c = setup(1, 2);
	struct blkif_request r;
	struct blkif_response rsp;
	u32 i, n = 0, step, worst = 0, prev;

	ok(blkback_connect_rings(&bb, &c) == 0 && ring_pinned(0, 4) &&
	   bb.q[0].nr_slots == 128 && strstr(last_log, "1 queue(s) of 4-page rings"),
	   "a ring of 4 pages: all pinned, 128 slots (%s)", last_log);
	for (i = 0; i < NR_DATA; i++)
		grant(fd, DATA_REF + i, DATA_FRAME + i, DOMID_XEN, false);
	for (i = 0; i < 128; i++) {
		r = rw(BLKIF_OP_READ, (i * 8) % DISK_SECTORS, 1, 0, 0);
		r.seg[0].gref = DATA_REF + i % NR_DATA;
		r.id = 7000 + i;
		fe_queue(&fq[0], &r);
	}
	fe_kick(&fq[0]);
	ok(READ_ONCE(fq[0].s->rsp_prod) == BLKBACK_BUDGET,
	   "128 requests, one send: %d answered", BLKBACK_BUDGET);
	for (prev = BLKBACK_BUDGET, i = 0; i < 20; i++) {
		blkback_resume(&bb);
		step = READ_ONCE(fq[0].s->rsp_prod) - prev;
		worst = step > worst ? step : worst;
		prev += step;
	}
	while (fe_rsp(&fq[0], &rsp))
		n += rsp.id == 7000 + n && rsp.status == BLKIF_RSP_OKAY &&
		     rsp.operation == BLKIF_OP_READ;
	ok(n == 128 && worst == BLKBACK_BUDGET,
	   "resumes answer the rest, %u at most each; all 128 in order, OK, slots straddling pages too (%u)",
	   worst, n);
	fq[0].req_prod_pvt = fq[0].rsp_cons + 129;
	fe_kick(&fq[0]);
	ok(!blkback_connected(&bb) && ring_free(0, 4) && port_unbound(&fq[0]) &&
	   strstr(last_log, "request producer 257 is 129 past the last response") &&
	   strstr(last_log, "the ring has 128 slots: disconnected"),
	   "a producer 129 ahead of a 128-slot ring: every page unpinned, one line (%s)",
	   last_log);
	blkback_disconnect(&bb);
	fq[0].req_prod_pvt = 0;
	c = setup(1, 4);
	ok(blkback_connect_rings(&bb, &c) == 0 && ring_pinned(0, 16) &&
	   bb.q[0].nr_slots == 512, "order 4: 16 pages, 512 slots");
	blkback_disconnect(&bb);
	ok(ring_free(0, 16) && port_unbound(&fq[0]), "disconnect unpins all 16");
}

static void test_multipage_bad(void)
{
	struct blkback_conn c = setup(1, 5);

	ok(blkback_connect_rings(&bb, &c) == -XEN_EINVAL &&
	   strstr(last_log, "ring-page-order 5, above 4") && ring_free(0, 16),
	   "ring-page-order 5: refused, one line (%s)", last_log);
	c = setup(1, 2);
	c.q[0].refs[3] = 99999;
	ok(blkback_connect_rings(&bb, &c) == -XEN_EINVAL &&
	   strstr(last_log, "ring-ref 99999: grant refused") && ring_free(0, 4) &&
	   port_unbound(&fq[0]),
	   "the 4th page's ref beyond the table: refused, the first three unpinned");
	c = setup(1, 1);
	grant(fd, QRING_REF + 1, QRING_FRAME, other->id, false);
	ok(blkback_connect_rings(&bb, &c) == -XEN_EINVAL && ring_free(0, 2),
	   "the 2nd page granted to another domain: refused, nothing pinned");
	c = setup(1, 1);
	c.q[0].refs[1] = c.q[0].refs[0];
	ok(blkback_connect_rings(&bb, &c) == 0 && blkback_connected(&bb),
	   "one page given twice: the frontend's own trouble, served");
	blkback_disconnect(&bb);
	ok(ring_free(0, 2), "and both pins undone");
}

static void test_queues(void)
{
	struct blkback_conn c = setup(4, 1);
	struct blkif_request r = rw(BLKIF_OP_FLUSH_DISKCACHE, 0, 0, 0, 0);
	struct blkif_response rsp;
	u32 q, i, good = 0;

	ok(blkback_connect_rings(&bb, &c) == 0 && ring_pinned(0, 2) &&
	   ring_pinned(3, 2) && strstr(last_log, "4 queue(s) of 2-page rings"),
	   "4 queues of 2 pages: connected (%s)", last_log);
	for (q = 0; q < 4; q++) {
		port_clear(fd, fq[q].port);
		good += one(&fq[q], &r) == BLKIF_RSP_OKAY &&
			port_pending(fd, fq[q].port);
		for (i = 0; i < 4; i++)
			good += i == q || !port_pending(fd, fq[i].port);
		port_clear(fd, fq[q].port);
	}
	ok(good == 20, "each queue answers on its own ring and channel (%u/20)", good);
	for (i = 0; i < 40; i++) {
		fe_queue(&fq[1], &r);
		fe_queue(&fq[2], &r);
	}
	fe_kick(&fq[1]);
	ok(fq[1].s->rsp_prod - fq[1].rsp_cons == BLKBACK_BUDGET &&
	   fq[2].s->rsp_prod == fq[2].rsp_cons,
	   "queue 1's send serves queue 1 only, a budget of it");
	WRITE_ONCE(fq[2].s->req_prod, fq[2].req_prod_pvt);
	blkback_resume(&bb);
	ok(fq[1].s->rsp_prod - fq[1].rsp_cons == 2 * BLKBACK_BUDGET &&
	   fq[2].s->rsp_prod == fq[2].rsp_cons,
	   "a resume serves queue 1's rest, a budget; queue 2 was never sent to");
	fe_kick(&fq[2]);
	blkback_resume(&bb);
	blkback_resume(&bb);
	ok(fq[1].s->rsp_prod - fq[1].rsp_cons == 40 &&
	   fq[2].s->rsp_prod - fq[2].rsp_cons == 40,
	   "each queue's budget is its own: all 80 answered");
	for (q = 1; q < 3; q++)
		while (fe_rsp(&fq[q], &rsp))
			;
	fq[2].req_prod_pvt = fq[2].rsp_cons + 65;
	fe_kick(&fq[2]);
	ok(!blkback_connected(&bb) && ring_free(2, 2) && port_unbound(&fq[2]) &&
	   ring_pinned(0, 2) && strstr(last_log, "vbd 51712: queue 2: request producer"),
	   "a lie on queue 2: that queue dropped, one line (%s)", last_log);
	ok(one(&fq[0], &r) == BLKIF_RSP_OKAY && one(&fq[3], &r) == BLKIF_RSP_OKAY,
	   "the other queues serve until the disk is disconnected");
	blkback_disconnect(&bb);
	ok(ring_free(0, 2) && ring_free(1, 2) && ring_free(3, 2) &&
	   port_unbound(&fq[0]) && port_unbound(&fq[3]),
	   "disconnect lets go of the rest");
}

static void test_queues_bad(void)
{
	struct blkback_conn c = setup(2, 0);

	c.nr_queues = 5;
	ok(blkback_connect_rings(&bb, &c) == -XEN_EINVAL &&
	   strstr(last_log, "multi-queue-num-queues 5, not 1..4"),
	   "5 queues: refused (%s)", last_log);
	c.nr_queues = 0;
	ok(blkback_connect_rings(&bb, &c) == -XEN_EINVAL, "0 queues: refused");
	c = setup(3, 0);
	c.q[2].port = c.q[0].port;
	ok(blkback_connect_rings(&bb, &c) < 0 && strstr(last_log, "cannot bind") &&
	   ring_free(0, 1) && ring_free(1, 1) && ring_free(2, 1) &&
	   port_unbound(&fq[0]) && port_unbound(&fq[1]),
	   "queue 2 naming queue 0's port: refused, queues 0 and 1 undone (%s)",
	   last_log);
	c = setup(2, 0);
	c.q[1].refs[0] = 70000;
	ok(blkback_connect_rings(&bb, &c) == -XEN_EINVAL && ring_free(0, 1) &&
	   port_unbound(&fq[0]) && !blkback_connected(&bb),
	   "queue 1's ring-ref beyond the table: queue 0 undone");
}

static void test_indirect(void)
{
	struct blkback_conn c = setup(1, 0);
	struct blkif_request_indirect r;
	u8 before[SZ_4K];
	u32 i;
	bool same = true;

	blkback_connect_rings(&bb, &c);
	r = indirect(BLKIF_OP_WRITE, 0, 256);
	for (i = 0; i < 256; i++)
		fill(frame(fd, SEG_FRAME + i), SZ_4K, i);
	ok(one_any(&fq[0], &r, sizeof(r), BLKIF_OP_WRITE) == BLKIF_RSP_OKAY,
	   "indirect write of 256 segments: OK, the response says WRITE");
	for (i = 0; i < 256; i++) {
		same &= !memcmp(image + 8 * i * 512, frame(fd, SEG_FRAME + i), SZ_4K);
		memset(frame(fd, SEG_FRAME + i), 0, SZ_4K);
	}
	r = indirect(BLKIF_OP_READ, 0, 256);
	ok(same && one_any(&fq[0], &r, sizeof(r), BLKIF_OP_READ) == BLKIF_RSP_OKAY &&
	   !memcmp(frame(fd, SEG_FRAME + 255), image + 8 * 255 * 512, SZ_4K),
	   "the 256 pages (the whole disk) land one after the other, and read back");
	r = indirect(BLKIF_OP_READ, 0, 12);
	ind_seg(3)->first_sect = 2;
	ind_seg(3)->last_sect = 5;
	ok(one_any(&fq[0], &r, sizeof(r), BLKIF_OP_READ) == BLKIF_RSP_OKAY &&
	   !memcmp(frame(fd, SEG_FRAME + 3) + 1024, image + 24 * 512, 2048),
	   "12 segments, one of sectors 2..5: OK");

	memcpy(before, image, sizeof(before));
	r = indirect(BLKIF_OP_WRITE, 0, 3);
	for (i = 0; i < 3; i++)
		fill(frame(fd, SEG_FRAME + i), SZ_4K, 99);
	ind_seg(2)->last_sect = 8;
	ok(one_any(&fq[0], &r, sizeof(r), BLKIF_OP_WRITE) == BLKIF_RSP_ERROR &&
	   !memcmp(image, before, sizeof(before)),
	   "a descriptor with last_sect 8: error, nothing written");
	r = indirect(BLKIF_OP_WRITE, 0, 3);
	ind_seg(1)->first_sect = 6;
	ind_seg(1)->last_sect = 5;
	ok(one_any(&fq[0], &r, sizeof(r), BLKIF_OP_WRITE) == BLKIF_RSP_ERROR &&
	   !memcmp(image, before, sizeof(before)),
	   "a descriptor with first_sect 6 > last_sect 5: error, nothing written");
	r = indirect(BLKIF_OP_WRITE, DISK_SECTORS - 16, 3);
	ok(one_any(&fq[0], &r, sizeof(r), BLKIF_OP_WRITE) == BLKIF_RSP_ERROR,
	   "3 pages from 2 before the end: error");
	r = indirect(BLKIF_OP_READ, ~0UL - 7, 2);
	ok(one_any(&fq[0], &r, sizeof(r), BLKIF_OP_READ) == BLKIF_RSP_ERROR,
	   "sector_number 2^64 - 8 (the sum wraps): error");
	r = indirect(BLKIF_OP_READ, 0, 0);
	ok(one_any(&fq[0], &r, sizeof(r), BLKIF_OP_READ) == BLKIF_RSP_ERROR,
	   "0 segments: error");
	r = indirect(BLKIF_OP_READ, 0, 257);
	ok(one_any(&fq[0], &r, sizeof(r), BLKIF_OP_READ) == BLKIF_RSP_ERROR,
	   "257 segments, above feature-max-indirect-segments: error");
	r = indirect(BLKIF_OP_READ, 0, 65535);
	ok(one_any(&fq[0], &r, sizeof(r), BLKIF_OP_READ) == BLKIF_RSP_ERROR,
	   "65535 segments: error");
	r = indirect(BLKIF_OP_WRITE_BARRIER, 0, 12);
	ok(one_any(&fq[0], &r, sizeof(r), BLKIF_OP_WRITE_BARRIER) == BLKIF_RSP_ERROR,
	   "indirect_op WRITE_BARRIER: error, as blkback answers it");
	r = indirect(BLKIF_OP_INDIRECT, 0, 12);
	ok(one_any(&fq[0], &r, sizeof(r), BLKIF_OP_INDIRECT) == BLKIF_RSP_ERROR,
	   "indirect_op INDIRECT: error");
	r = indirect(BLKIF_OP_READ, 0, 12);
	r.indirect_grefs[0] = 100000;
	ok(one_any(&fq[0], &r, sizeof(r), BLKIF_OP_READ) == BLKIF_RSP_ERROR,
	   "an indirect page's ref beyond the table: error");
	r = indirect(BLKIF_OP_READ, 0, 12);
	grant(fd, IND_REF, IND_FRAME, other->id, true);
	ok(one_any(&fq[0], &r, sizeof(r), BLKIF_OP_READ) == BLKIF_RSP_ERROR,
	   "an indirect page granted to another domain: error");
	r = indirect(BLKIF_OP_READ, 0, 12);
	gntent(fd, IND_REF)->flags = 0;
	ok(one_any(&fq[0], &r, sizeof(r), BLKIF_OP_READ) == BLKIF_RSP_ERROR,
	   "an indirect page not granted: error");
	r = indirect(BLKIF_OP_READ, 0, 12);
	ind_seg(11)->gref = 100000;
	ok(one_any(&fq[0], &r, sizeof(r), BLKIF_OP_READ) == BLKIF_RSP_ERROR &&
	   blkback_connected(&bb),
	   "a data ref beyond the table in the 12th descriptor: error, still connected");
	r = indirect(BLKIF_OP_READ, 0, 2);
	ok(one_any(&fq[0], &r, sizeof(r), BLKIF_OP_READ) == BLKIF_RSP_OKAY,
	   "and a good one works");
	blkback_disconnect(&bb);
}

/*
 * The frontend rewrites its indirect page while the data moves: the
 * grants' map_pa hook scribbles once over the page's descriptors.
 */
static void *(*real_map_pa)(u64 pa);
static int scribble;		/* at the first data page's copy */

static void *scribbling_map_pa(u64 pa)
{
	u32 i;

	if (scribble && pa == (u64)(uintptr_t)frame(fd, SEG_FRAME) && !--scribble)
		for (i = 0; i < 12; i++)
			*ind_seg(i) = (struct blkif_request_segment){
				.gref = 100000, .first_sect = 9, .last_sect = 1 };
	return real_map_pa(pa);
}

static void test_indirect_toctou(void)
{
	struct blkback_conn c = setup(1, 0);
	struct blkif_request_indirect r;
	u32 i;
	bool same = true;

	blkback_connect_rings(&bb, &c);
	r = indirect(BLKIF_OP_WRITE, 64, 12);
	for (i = 0; i < 12; i++)
		fill(frame(fd, SEG_FRAME + i), SZ_4K, 3 * i);
	real_map_pa = gnt_hooks.map_pa;
	gnt_hooks.map_pa = scribbling_map_pa;
	scribble = 1;
	ok(one_any(&fq[0], &r, sizeof(r), BLKIF_OP_WRITE) == BLKIF_RSP_OKAY &&
	   !scribble && ind_seg(0)->gref == 100000,
	   "descriptors rewritten while the data moves: served as copied");
	gnt_hooks.map_pa = real_map_pa;
	for (i = 0; i < 12; i++)
		same &= !memcmp(image + (64 + 8 * i) * 512, frame(fd, SEG_FRAME + i), SZ_4K);
	ok(same, "every page went where the copy said");
	blkback_disconnect(&bb);
}

static void test_discard_flush(void)
{
	struct blkback_conn c = setup(1, 0);
	struct blkif_request_discard d;
	struct blkif_request r;
	u8 *pg = frame(fd, DATA_FRAME);
	u32 i, zero = 0;

	blkback_connect_rings(&bb, &c);
	fill(image, DISK_SIZE, 5);
	memcpy(orig, image, DISK_SIZE);
	d = discard(100, 20, 0);
	ok(one_any(&fq[0], &d, sizeof(d), BLKIF_OP_DISCARD) == BLKIF_RSP_OKAY,
	   "discard of sectors 100..119: OK");
	for (i = 0; i < 20 * 512; i++)
		zero += !image[100 * 512 + i];
	ok(zero == 20 * 512 && !memcmp(image, orig, 100 * 512) &&
	   !memcmp(image + 120 * 512, orig + 120 * 512, DISK_SIZE - 120 * 512),
	   "they read as zeroes, nothing else touched");
	d = discard(200, 8, BLKIF_DISCARD_SECURE);
	ok(one_any(&fq[0], &d, sizeof(d), BLKIF_OP_DISCARD) == BLKIF_RSP_OKAY &&
	   !image[200 * 512] && !image[208 * 512 - 1] &&
	   !memcmp(image + 208 * 512, orig + 208 * 512, 512),
	   "a secure discard: zeroed too");
	memcpy(orig, image, DISK_SIZE);
	d = discard(0, 0, 0);
	ok(one_any(&fq[0], &d, sizeof(d), BLKIF_OP_DISCARD) == BLKIF_RSP_OKAY,
	   "a discard of nothing: OK");
	d = discard(DISK_SECTORS - 4, 5, 0);
	ok(one_any(&fq[0], &d, sizeof(d), BLKIF_OP_DISCARD) == BLKIF_RSP_ERROR,
	   "5 sectors from 4 before the end: error");
	d = discard(8, ~0UL - 3, 0);
	ok(one_any(&fq[0], &d, sizeof(d), BLKIF_OP_DISCARD) == BLKIF_RSP_ERROR,
	   "a length that wraps: error");
	d = discard(DISK_SECTORS + 1, 0, 0);
	ok(one_any(&fq[0], &d, sizeof(d), BLKIF_OP_DISCARD) == BLKIF_RSP_ERROR &&
	   !memcmp(image, orig, DISK_SIZE),
	   "an empty discard past the end: error; none of these zeroed anything");

	r = rw(BLKIF_OP_FLUSH_DISKCACHE, 0, 0, 0, 0);
	ok(one(&fq[0], &r) == BLKIF_RSP_OKAY, "flush: OK");
	r = rw(BLKIF_OP_WRITE_BARRIER, 0, 0, 0, 0);
	ok(one(&fq[0], &r) == BLKIF_RSP_OKAY, "an empty barrier: OK");
	grant(fd, DATA_REF, DATA_FRAME, DOMID_XEN, true);
	fill(pg, SZ_4K, 61);
	r = rw(BLKIF_OP_FLUSH_DISKCACHE, 40, 1, 0, 7);
	ok(one(&fq[0], &r) == BLKIF_RSP_OKAY && !memcmp(image + 40 * 512, pg, SZ_4K),
	   "a flush with a segment: a write (blkback's pre-flush write)");
	fill(pg, SZ_4K, 62);
	r = rw(BLKIF_OP_WRITE_BARRIER, 48, 1, 0, 7);
	ok(one(&fq[0], &r) == BLKIF_RSP_OKAY && !memcmp(image + 48 * 512, pg, SZ_4K),
	   "a barrier with a segment (pvxen-blkfront's FUA write): written");
	r = rw(BLKIF_OP_READ, 48, 1, 0, 7);
	ok(one(&fq[0], &r) == BLKIF_RSP_ERROR, "a read into a read-only grant: error");

	/* Zeroing is the one unbounded work: a MiB counts as a request. */
	for (i = 0; i < 16; i++) {
		d = discard(0, DISK_SECTORS, 0);
		fe_queue_any(&fq[0], &d, sizeof(d));
	}
	fe_kick(&fq[0]);
	ok(fq[0].s->rsp_prod - fq[0].rsp_cons == 8,
	   "16 discards of the whole MiB disk, one send: 8 answered (%u)",
	   fq[0].s->rsp_prod - fq[0].rsp_cons);
	blkback_resume(&bb);
	fq[0].rsp_cons = fq[0].s->rsp_prod;
	blkback_disconnect(&bb);
}

/* A read-only disk and a 4096-byte one */
static void test_disk_kinds(void)
{
	struct vbdcfg ro = cfg(image, 512, true), big = cfg(image, 4096, false);
	struct blkback_conn c;
	struct blkif_request_discard d;
	struct blkif_request_indirect ind;
	struct blkif_request r;
	u8 before[SZ_4K];

	blkback_init(&bb, fd, &ro, image);
	c = setup(1, 0);
	blkback_connect_rings(&bb, &c);
	grant(fd, DATA_REF, DATA_FRAME, DOMID_XEN, false);
	fill(image, DISK_SIZE, 8);
	memcpy(before, image, sizeof(before));
	r = rw(BLKIF_OP_FLUSH_DISKCACHE, 0, 0, 0, 0);
	ok(one(&fq[0], &r) == BLKIF_RSP_ERROR, "read-only: flush: error (blkback's write check)");
	r = rw(BLKIF_OP_WRITE_BARRIER, 0, 1, 0, 7);
	ok(one(&fq[0], &r) == BLKIF_RSP_ERROR && !memcmp(image, before, SZ_4K),
	   "read-only: barrier with data: error, nothing written");
	d = discard(0, 8, 0);
	ok(one_any(&fq[0], &d, sizeof(d), BLKIF_OP_DISCARD) == BLKIF_RSP_ERROR &&
	   !memcmp(image, before, SZ_4K), "read-only: discard: error, nothing zeroed");
	ind = indirect(BLKIF_OP_WRITE, 0, 12);
	ok(one_any(&fq[0], &ind, sizeof(ind), BLKIF_OP_WRITE) == BLKIF_RSP_ERROR &&
	   !memcmp(image, before, SZ_4K), "read-only: indirect write: error");
	ind = indirect(BLKIF_OP_READ, 0, 12);
	ok(one_any(&fq[0], &ind, sizeof(ind), BLKIF_OP_READ) == BLKIF_RSP_OKAY,
	   "read-only: indirect read: OK");
	blkback_disconnect(&bb);

	blkback_init(&bb, fd, &big, image);
	c = setup(1, 0);
	blkback_connect_rings(&bb, &c);
	d = discard(8, 16, 0);
	ok(one_any(&fq[0], &d, sizeof(d), BLKIF_OP_DISCARD) == BLKIF_RSP_OKAY,
	   "4096: a discard of two blocks: OK");
	d = discard(4, 8, 0);
	ok(one_any(&fq[0], &d, sizeof(d), BLKIF_OP_DISCARD) == BLKIF_RSP_ERROR,
	   "4096: a discard from sector 4: error");
	d = discard(8, 4, 0);
	ok(one_any(&fq[0], &d, sizeof(d), BLKIF_OP_DISCARD) == BLKIF_RSP_ERROR,
	   "4096: a discard of half a block: error");
	ind = indirect(BLKIF_OP_READ, 8, 12);
	ok(one_any(&fq[0], &ind, sizeof(ind), BLKIF_OP_READ) == BLKIF_RSP_OKAY,
	   "4096: an indirect read of whole blocks: OK");
	ind = indirect(BLKIF_OP_READ, 8, 12);
	ind_seg(5)->last_sect = 3;
	ok(one_any(&fq[0], &ind, sizeof(ind), BLKIF_OP_READ) == BLKIF_RSP_ERROR,
	   "4096: an indirect segment of half a block: error");
	ind = indirect(BLKIF_OP_READ, 12, 2);
	ok(one_any(&fq[0], &ind, sizeof(ind), BLKIF_OP_READ) == BLKIF_RSP_ERROR,
	   "4096: an indirect read from sector 12: error");
	blkback_disconnect(&bb);
	ro = cfg(image, 512, false);
	blkback_init(&bb, fd, &ro, image);
}

/* Persistent grants: kept by the frontend, reused, never held by minixen */
static void test_persistent(void)
{
	struct blkback_conn c = setup(1, 0);
	u8 *pg = frame(fd, DATA_FRAME);
	struct blkif_request r;
	u32 i, good = 0;

	c.persistent = true;
	ok(blkback_connect_rings(&bb, &c) == 0 && bb.persistent &&
	   strstr(last_log, "persistent (copied) grants"),
	   "the frontend offers persistent grants: noted (%s)", last_log);
	grant(fd, DATA_REF, DATA_FRAME, DOMID_XEN, false);
	for (i = 0; i < 20; i++) {
		fill(pg, SZ_4K, i);
		r = rw(BLKIF_OP_WRITE, 8 * i, 1, 0, 7);
		good += one(&fq[0], &r) == BLKIF_RSP_OKAY && !pinned(fd, DATA_REF);
		memset(pg, 0, SZ_4K);
		r = rw(BLKIF_OP_READ, 8 * i, 1, 0, 7);
		good += one(&fq[0], &r) == BLKIF_RSP_OKAY &&
			!memcmp(pg, image + 8 * i * 512, SZ_4K) && !pinned(fd, DATA_REF);
	}
	ok(good == 40, "one grant reused for 40 requests: each served, never left pinned");
	blkback_disconnect(&bb);
}

/* Event storms: many sends, never more than a budget per send */
static void test_storm(void)
{
	struct blkback_conn c = setup(1, 4);
	struct blkif_request r = rw(BLKIF_OP_FLUSH_DISKCACHE, 0, 0, 0, 0);
	struct blkif_request_discard d = discard(0, DISK_SECTORS, 0);
	u32 i, prev = 0, worst = 0, step;

	blkback_connect_rings(&bb, &c);
	for (i = 0; i < 1000; i++)
		fe_kick(&fq[0]);
	ok(fq[0].s->rsp_prod == 0 && blkback_connected(&bb),
	   "1000 sends with nothing queued: nothing answered, still connected");
	for (i = 0; i < 512; i++)
		fe_queue(&fq[0], &r);
	for (i = 0; i < 40; i++) {
		fe_kick(&fq[0]);
		step = fq[0].s->rsp_prod - prev;
		worst = step > worst ? step : worst;
		prev += step;
	}
	ok(prev == 512 && worst == BLKBACK_BUDGET,
	   "512 requests, 40 sends: all answered, %u at most per send", worst);
	fq[0].rsp_cons = prev;
	for (i = 0; i < 64; i++)
		fe_queue_any(&fq[0], &d, sizeof(d));
	fe_kick(&fq[0]);
	ok(fq[0].s->rsp_prod - prev <= BLKBACK_BUDGET / 2,
	   "64 discards of the disk: half a budget of them per send");
	blkback_disconnect(&bb);
	fq[0].req_prod_pvt = 0;
}

/* A disk faulted by its frontend: another disk of the domain goes on */
static void test_other_disk(void)
{
	struct vbdcfg c2 = cfg(image2, 512, false);
	struct blkback_conn c = setup(2, 0);
	struct blkif_request r = rw(BLKIF_OP_READ, 0, 1, 0, 7);

	blkback_init(&bb2, fd, &c2, image2);
	ok(blkback_connect(&bb, c.q[0].refs[0], c.q[0].port, NULL) == 0 &&
	   blkback_connect(&bb2, c.q[1].refs[0], c.q[1].port, "arm-abi") == 0,
	   "two disks of one domain connected");
	fq[0].req_prod_pvt = 1000;
	fe_kick(&fq[0]);
	grant(fd, DATA_REF, DATA_FRAME, DOMID_XEN, false);
	fill(image2, SZ_4K, 44);
	ok(!blkback_connected(&bb) && blkback_connected(&bb2) &&
	   one(&fq[1], &r) == BLKIF_RSP_OKAY &&
	   !memcmp(frame(fd, DATA_FRAME), image2, SZ_4K),
	   "the first lies and is dropped; the second serves on");
	fq[0].req_prod_pvt = 0;
	c = setup(1, 0);
	ok(blkback_connect_rings(&bb, &c) == 0 && blkback_connected(&bb),
	   "the faulted disk connects again, what was left of it let go");
	blkback_disconnect(&bb);
	blkback_disconnect(&bb2);
}

int main(void)
{
	struct vbdcfg c;
	u32 i;

	xen_abi_init();
	fd = mkdom(1, "domU1", false);
	other = mkdom(2, "domU2", false);
	image = aligned_alloc(SZ_4K, DISK_SIZE);
	image2 = aligned_alloc(SZ_4K, DISK_SIZE);
	c = cfg(image, 512, false);
	ok(blkback_init(&bb, fd, &c, image) == 0 && bb.q[3].segs,
	   "init: each queue's descriptor buffer allocated");
	for (i = 0; i < BLKBACK_MAX_QUEUES; i++)
		bb.q[i].segs[0].gref = 1234 + i;
	blkback_init(&bb, fd, &c, image);
	ok(bb.q[0].segs[0].gref == 1234 && bb.q[3].segs[0].gref == 1237,
	   "init again: the same buffers, nothing allocated");

	test_multipage();
	test_multipage_bad();
	test_queues();
	test_queues_bad();
	test_indirect();
	test_indirect_toctou();
	test_discard_flush();
	test_disk_kinds();
	test_persistent();
	test_storm();
	test_other_disk();
	ok(!locks_held && !bb.ctl.locked && !bb.q[0].lock.locked, "no lock left held");
	return tap_done();
}
