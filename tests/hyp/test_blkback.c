// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests: minixen's block backend (hyp/core/blkback.c) against
 * a frontend this test plays in a fake domain (fake_xen.h): its grant
 * table, its RAM holding the ring and the data pages, its event channel
 * to DOMID_XEN, EVTCHNOP_send through the hypercall.
 */
#include <minixen/blkback.h>
#include <minixen/guest_atomic.h>
#include "../../hyp/core/grant_priv.h"
#include "fake_xen.h"
#include "fake_blkfront.h"
#include "tap.h"

#define DISK_SIZE	0x100000UL	/* 1 MiB: 2048 sectors */
#define DISK_SECTORS	(DISK_SIZE / 512)

static struct domain *fd, *other;
static struct front fe;
static struct blkback bb;

/* One request through the ring: its status (99: no response, or not its). */
static int one(const struct blkif_request *req)
{
	struct blkif_response r;

	fe_queue(&fe, req);
	if (fe_kick(&fe) || !fe_rsp(&fe, &r) || r.id != req->id ||
	    r.operation != req->operation)
		return 99;
	return r.status;
}

static u8 *image;

static void test_connect_bad(void)
{
	ok(blkback_connect(&bb, 5000, fe.port, NULL) == -XEN_EINVAL &&
	   strstr(last_log, "domU1: vbd 51712: ring-ref 5000: grant refused") &&
	   !blkback_connected(&bb),
	   "ring-ref beyond the grant table: -EINVAL, one line (%s)", last_log);
	grant(fd, RING_REF, RING_FRAME, other->id, false);
	ok(blkback_connect(&bb, RING_REF, fe.port, NULL) == -XEN_EINVAL &&
	   !pinned(fd, RING_REF) && !blkback_connected(&bb),
	   "ring granted to another domain: -EINVAL, nothing pinned");
	grant(fd, RING_REF, RING_FRAME, DOMID_XEN, true);
	ok(blkback_connect(&bb, RING_REF, fe.port, NULL) == -XEN_EINVAL &&
	   !pinned(fd, RING_REF),
	   "ring granted read-only: -EINVAL, nothing pinned");
	grant(fd, RING_REF, RING_FRAME, DOMID_XEN, false);
	ok(blkback_connect(&bb, RING_REF, fe.port, "x86_64-abi") == -XEN_EINVAL &&
	   strstr(last_log, "protocol \"x86_64-abi\", not arm-abi") && !pinned(fd, RING_REF),
	   "protocol x86_64-abi: -EINVAL, one line (%s)", last_log);
	ok(blkback_connect(&bb, RING_REF, 999, NULL) == -XEN_EINVAL &&
	   strstr(last_log, "event-channel 999: cannot bind") && !pinned(fd, RING_REF) &&
	   !blkback_connected(&bb) && fd->xen.evtchn.port[fe.port].state == ECS_UNBOUND,
	   "a port that is not unbound for DOMID_XEN: -EINVAL, the ring unpinned (%s)",
	   last_log);
}

static void test_connect(void)
{
	struct blkif_request r = rw(BLKIF_OP_READ, 0, 1, 0, 7);
	struct blkif_response rsp;

	/* A request waiting before the connection is served by it. */
	grant(fd, DATA_REF, DATA_FRAME, DOMID_XEN, false);
	fe_queue(&fe, &r);
	WRITE_ONCE(fe.s->req_prod, fe.req_prod_pvt);
	ok(blkback_connect(&bb, RING_REF, fe.port, "arm-abi") == 0 &&
	   blkback_connected(&bb) && pinned(fd, RING_REF) &&
	   fd->xen.evtchn.port[fe.port].state == ECS_INTERDOMAIN &&
	   fd->xen.evtchn.port[fe.port].remote_dom == DOMID_XEN,
	   "connect: ring pinned, the frontend's port bound to DOMID_XEN");
	ok(strstr(last_log, "domU1: vbd 51712: connected, ring-ref 8"),
	   "one line: %s", last_log);
	ok(fe_rsp(&fe, &rsp) && rsp.id == r.id && rsp.status == BLKIF_RSP_OKAY &&
	   port_pending(fd, fe.port),
	   "a request queued before the connection is answered, the frontend notified");
	ok(blkback_connect(&bb, RING_REF, fe.port, NULL) == -XEN_EBUSY,
	   "connecting twice: -EBUSY");
}

static void test_io(void)
{
	u8 *pg = frame(fd, DATA_FRAME), *pg2 = frame(fd, DATA_FRAME + 1);
	struct blkif_request r;
	u32 i;
	bool same = true;

	fill(image, DISK_SIZE, 1);
	fill(pg, SZ_4K, 42);
	grant(fd, DATA_REF, DATA_FRAME, DOMID_XEN, true);
	r = rw(BLKIF_OP_WRITE, 10, 1, 0, 7);
	ok(one(&r) == BLKIF_RSP_OKAY && !memcmp(image + 10 * 512, pg, SZ_4K),
	   "write of a page (a read-only grant): the image holds it at sector 10");
	ok(image[10 * 512 - 1] == (u8)(1 + (10 * 512 - 1) * 7 + 9) &&
	   image[18 * 512] == (u8)(1 + 18 * 512 * 7 + 18) && !pinned(fd, DATA_REF),
	   "nothing before or after it written; the data grant not left pinned");
	grant(fd, DATA_REF, DATA_FRAME, DOMID_XEN, false);
	memset(pg, 0, SZ_4K);
	r = rw(BLKIF_OP_READ, 200, 1, 2, 5);
	ok(one(&r) == BLKIF_RSP_OKAY && !memcmp(pg + 2 * 512, image + 200 * 512, 4 * 512) &&
	   pg[2 * 512 - 1] == 0 && pg[6 * 512] == 0,
	   "read of sectors 2..5 of a frame: sectors 200..203 land there, nothing else");
	for (i = 0; i < NR_DATA; i++) {
		grant(fd, DATA_REF + i, DATA_FRAME + i, DOMID_XEN, false);
		fill(frame(fd, DATA_FRAME + i), SZ_4K, 100 + i);
	}
	r = rw(BLKIF_OP_WRITE, 1000, BLKIF_MAX_SEGMENTS_PER_REQUEST, 0, 7);
	ok(one(&r) == BLKIF_RSP_OKAY, "write of 11 segments");
	for (i = 0; i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++)
		same &= !memcmp(image + (1000 + 8 * i) * 512, frame(fd, DATA_FRAME + i), SZ_4K);
	for (i = 0; i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++)
		memset(frame(fd, DATA_FRAME + i), 0, SZ_4K);
	r = rw(BLKIF_OP_READ, 1000, BLKIF_MAX_SEGMENTS_PER_REQUEST, 0, 7);
	ok(same && one(&r) == BLKIF_RSP_OKAY &&
	   !memcmp(image + 1000 * 512, pg, SZ_4K) &&
	   !memcmp(image + 1080 * 512, frame(fd, DATA_FRAME + 10), SZ_4K),
	   "11 segments land one after the other, and read back");
	r = rw(BLKIF_OP_READ, DISK_SECTORS - 8, 1, 0, 7);
	ok(one(&r) == BLKIF_RSP_OKAY && !memcmp(pg, image + DISK_SIZE - SZ_4K, SZ_4K),
	   "the last 8 sectors of the disk");
	r = rw(BLKIF_OP_FLUSH_DISKCACHE, 0, 0, 0, 0);
	ok(one(&r) == BLKIF_RSP_OKAY, "flush: OK (the image is RAM)");
	r = rw(BLKIF_OP_WRITE, 4, 2, 0, 7);
	r.seg[1] = r.seg[0];
	fill(pg, SZ_4K, 9);
	ok(one(&r) == BLKIF_RSP_OKAY && !memcmp(image + 4 * 512, pg, SZ_4K) &&
	   !memcmp(image + 12 * 512, pg, SZ_4K),
	   "one grant twice in a request: written twice");
	memcpy(pg2, image, 512);
	ok(!memcmp(pg2, image, 512), "and the frontend's other pages untouched");
}

static void test_notify(void)
{
	struct blkif_request r = rw(BLKIF_OP_FLUSH_DISKCACHE, 0, 0, 0, 0);
	struct blkif_response rsp;

	port_clear(fd, fe.port);
	fe.s->rsp_event = fe.rsp_cons + 100;
	fe_queue(&fe, &r);
	ok(fe_kick(&fe) == 0 && READ_ONCE(fe.s->rsp_prod) == fe.rsp_cons + 1 &&
	   !port_pending(fd, fe.port),
	   "response pushed; rsp_event far ahead: no notification");
	fe_rsp(&fe, &rsp);
	ok(fe.s->req_event == fe.req_prod_pvt + 1,
	   "req_event: the backend wants an event at the next request");
	fe_queue(&fe, &r);
	ok(fe_kick(&fe) == 0 && fe_rsp(&fe, &rsp) && port_pending(fd, fe.port),
	   "rsp_event at the next response: notified");
}

/* Requests refused on their own, before any grant is looked at */
static const struct bad_req {
	u8 op;
	u64 sector;
	u32 nseg, first, last;
	s16 status;
	const char *what;
} bad_reqs[] = {
	{ BLKIF_OP_READ, 0, 0, 0, 7, BLKIF_RSP_ERROR, "read of 0 segments: error" },
	{ BLKIF_OP_WRITE, 0, 12, 0, 7, BLKIF_RSP_ERROR, "write of 12 segments: error" },
	{ BLKIF_OP_READ, 0, 255, 0, 7, BLKIF_RSP_ERROR, "255 segments: error" },
	{ BLKIF_OP_READ, 0, 1, 5, 4, BLKIF_RSP_ERROR, "first_sect 5 > last_sect 4: error" },
	{ BLKIF_OP_READ, 0, 1, 0, 8, BLKIF_RSP_ERROR, "last_sect 8, beyond the frame: error" },
	{ BLKIF_OP_READ, DISK_SECTORS - 7, 1, 0, 7, BLKIF_RSP_ERROR,
	  "8 sectors from 7 before the end: error" },
	{ BLKIF_OP_READ, DISK_SECTORS, 1, 0, 0, BLKIF_RSP_ERROR, "a sector at the end: error" },
	{ BLKIF_OP_READ, ~0UL - 3, 1, 0, 7, BLKIF_RSP_ERROR,
	  "sector_number 2^64 - 4 (the sum wraps): error" },
	{ BLKIF_OP_FLUSH_DISKCACHE, 0, 12, 0, 7, BLKIF_RSP_ERROR,
	  "flush with 12 segments: error" },
	{ BLKIF_OP_WRITE_BARRIER, 0, 12, 0, 7, BLKIF_RSP_ERROR,
	  "write barrier with 12 segments: error" },
	{ BLKIF_OP_WRITE_BARRIER, DISK_SECTORS, 1, 0, 0, BLKIF_RSP_ERROR,
	  "write barrier with a sector at the end: error" },
	{ BLKIF_OP_RESERVED_1, 0, 1, 0, 7, BLKIF_RSP_EOPNOTSUPP, "reserved 1: EOPNOTSUPP" },
	{ 7, 0, 0, 0, 0, BLKIF_RSP_EOPNOTSUPP, "operation 7: EOPNOTSUPP" },
	{ 99, 0, 1, 0, 7, BLKIF_RSP_EOPNOTSUPP, "operation 99: EOPNOTSUPP" },
	{ 255, 0, 1, 0, 7, BLKIF_RSP_EOPNOTSUPP, "operation 255: EOPNOTSUPP" },
};

static void test_bad_requests(void)
{
	struct blkif_request r;
	u8 *pg = frame(fd, DATA_FRAME);
	u8 before[512];
	u32 i;

	for (i = 0; i < ARRAY_SIZE(bad_reqs); i++) {
		const struct bad_req *b = &bad_reqs[i];

		r = rw(b->op, b->sector, b->nseg, b->first, b->last);
		ok(one(&r) == b->status, "%s", b->what);
	}
	memcpy(before, image, sizeof(before));
	fill(pg, SZ_4K, 55);
	grant(fd, DATA_REF + 1, DATA_FRAME, DOMID_XEN, false);
	r = rw(BLKIF_OP_WRITE, 0, 2, 0, 0);
	r.seg[1].last_sect = 8;
	ok(one(&r) == BLKIF_RSP_ERROR && !memcmp(image, before, sizeof(before)),
	   "a write whose second segment ends beyond its frame: error, nothing written");
	grant(fd, DATA_REF, DATA_FRAME, DOMID_XEN, true);
	fill(pg, SZ_4K, 77);
	r = rw(BLKIF_OP_READ, 0, 1, 0, 0);
	ok(one(&r) == BLKIF_RSP_ERROR && pg[0] == 77 && pg[1] == 84,
	   "read into a read-only grant: error, the page untouched");
	grant(fd, DATA_REF, DATA_FRAME, other->id, false);
	r = rw(BLKIF_OP_WRITE, 0, 1, 0, 0);
	ok(one(&r) == BLKIF_RSP_ERROR && !memcmp(image, before, sizeof(before)),
	   "a grant to another domain: error, the image untouched");
	r.seg[0].gref = 100000;
	ok(one(&r) == BLKIF_RSP_ERROR, "a grant beyond the table: error");
	gntent(fd, DATA_REF)->flags = 0;
	r = rw(BLKIF_OP_READ, 0, 1, 0, 0);
	ok(one(&r) == BLKIF_RSP_ERROR, "a revoked grant: error");
	grant(fd, DATA_REF, DATA_FRAME, DOMID_XEN, false);
	r = rw(BLKIF_OP_READ, 0, 1, 0, 7);
	ok(one(&r) == BLKIF_RSP_OKAY && !memcmp(pg, image, SZ_4K) && blkback_connected(&bb),
	   "still connected after all of these, and a good request works");
}

/*
 * The frontend rewrites a request while the backend works on it: the
 * grants' map_pa hook (called for each segment's copy) scribbles over
 * the slot of request @scribble_slot once.
 */
static void *(*real_map_pa)(u64 pa);
static int scribble_slot = -1;

static void *scribbling_map_pa(u64 pa)
{
	if (scribble_slot >= 0) {
		struct blkif_request *r = &fe.s->ring[scribble_slot % 32].req;

		r->operation = BLKIF_OP_READ;
		r->nr_segments = 200;
		r->id = 1;
		r->sector_number = 0;
		r->seg[0].gref = 100000;
		scribble_slot = -1;
	}
	return real_map_pa(pa);
}

static void test_toctou(void)
{
	struct blkif_request r = rw(BLKIF_OP_WRITE, 20, 1, 0, 7);
	struct blkif_response rsp;
	u8 *pg = frame(fd, DATA_FRAME);
	u8 before[512];

	grant(fd, DATA_REF, DATA_FRAME, DOMID_XEN, false);
	fill(pg, SZ_4K, 201);
	memcpy(before, image, sizeof(before));
	real_map_pa = gnt_hooks.map_pa;
	gnt_hooks.map_pa = scribbling_map_pa;
	scribble_slot = fe.req_prod_pvt;
	fe_queue(&fe, &r);
	ok(fe_kick(&fe) == 0 && scribble_slot < 0 && fe_rsp(&fe, &rsp) &&
	   rsp.id == r.id && rsp.operation == BLKIF_OP_WRITE &&
	   rsp.status == BLKIF_RSP_OKAY,
	   "a request rewritten while it is served: answered as it was taken");
	ok(!memcmp(image + 20 * 512, pg, SZ_4K) && !memcmp(image, before, sizeof(before)),
	   "its data went where the copy taken said, nowhere else");
	gnt_hooks.map_pa = real_map_pa;
}

/* A read-only disk and a 4096-byte one, on the same ring in turn */
static void test_disk_kinds(void)
{
	struct vbdcfg c = { .devid = XVDA, .sector_size = 512, .readonly = true,
			    .image = { (u64)(uintptr_t)image, DISK_SIZE } };
	u8 *pg = frame(fd, DATA_FRAME);
	struct blkif_request r;
	u8 before[SZ_4K];

	blkback_disconnect(&bb);
	blkback_init(&bb, fd, &c, image);
	fe_setup(&fe, fd);
	ok(blkback_connect(&bb, RING_REF, fe.port, NULL) == 0, "a read-only disk connects");
	memcpy(before, image, SZ_4K);
	fill(pg, SZ_4K, 3);
	r = rw(BLKIF_OP_WRITE, 0, 1, 0, 7);
	ok(one(&r) == BLKIF_RSP_ERROR && !memcmp(image, before, SZ_4K),
	   "write to a read-only disk: error, the image untouched");
	r = rw(BLKIF_OP_READ, 0, 1, 0, 7);
	ok(one(&r) == BLKIF_RSP_OKAY && !memcmp(pg, image, SZ_4K),
	   "read from it: OK");
	blkback_disconnect(&bb);

	c.readonly = false;
	c.sector_size = 4096;
	blkback_init(&bb, fd, &c, image);
	fe_setup(&fe, fd);
	ok(blkback_connect(&bb, RING_REF, fe.port, NULL) == 0, "a 4096-byte-sector disk connects");
	r = rw(BLKIF_OP_READ, 8, 1, 0, 7);
	ok(one(&r) == BLKIF_RSP_OKAY && !memcmp(pg, image + SZ_4K, SZ_4K),
	   "4096: a whole block at sector 8: OK");
	r = rw(BLKIF_OP_READ, 4, 1, 0, 7);
	ok(one(&r) == BLKIF_RSP_ERROR, "4096: sector_number 4, not a block: error");
	r = rw(BLKIF_OP_READ, 8, 1, 0, 3);
	ok(one(&r) == BLKIF_RSP_ERROR, "4096: half a block: error");
	r = rw(BLKIF_OP_READ, 8, 1, 4, 7);
	ok(one(&r) == BLKIF_RSP_ERROR, "4096: the second half of a block: error");
	blkback_disconnect(&bb);
	c.sector_size = 512;
	blkback_init(&bb, fd, &c, image);
	fe_setup(&fe, fd);
	blkback_connect(&bb, RING_REF, fe.port, NULL);
}

static void test_budget(void)
{
	struct blkif_request r = rw(BLKIF_OP_READ, 0, 1, 0, 0);
	struct blkif_response rsp;
	u32 i, base = fe.rsp_cons, n = 0;

	for (i = 0; i < 32; i++) {
		r.id = 5000 + i;
		fe_queue(&fe, &r);
	}
	ok(fe_kick(&fe) == 0 && READ_ONCE(fe.s->rsp_prod) == base + BLKBACK_BUDGET &&
	   READ_ONCE(bb.q[0].more),
	   "32 requests, one send: %d answered, more left", BLKBACK_BUDGET);
	blkback_resume(&bb);
	ok(READ_ONCE(fe.s->rsp_prod) == base + 32 && !READ_ONCE(bb.q[0].more),
	   "the resume before the next entry answers the rest");
	while (fe_rsp(&fe, &rsp))
		n += rsp.id == 5000 + n && rsp.status == BLKIF_RSP_OKAY;
	ok(n == 32, "all 32 in order, each in its own slot, OK");
	blkback_resume(&bb);
	ok(READ_ONCE(fe.s->rsp_prod) == base + 32, "resume with nothing left: nothing");
}

static void test_lying_producer(void)
{
	struct evtchn_status st = { .dom = DOMID_SELF };
	u32 prod = fe.s->rsp_prod;

	fe.req_prod_pvt = prod + 33;
	ok(fe_kick(&fe) == 0 && !blkback_connected(&bb) && fe.s->rsp_prod == prod,
	   "req_prod 33 ahead of a 32-slot ring: disconnected, nothing answered");
	ok(strstr(last_log, "domU1: vbd 51712: request producer") &&
	   strstr(last_log, "disconnected"), "one line: %s", last_log);
	st.port = fe.port;
	ok(!pinned(fd, RING_REF) && evtchn_status(&fd->xen.evtchn, &st) == 0 &&
	   st.status == EVTCHNSTAT_unbound,
	   "the ring unpinned, the frontend's port unbound again");
	ok(fe_kick(&fe) == 0 && !blkback_connected(&bb), "it sends again: nothing happens");
	blkback_resume(&bb);
	blkback_disconnect(&bb);
	ok(!blkback_connected(&bb), "resume and disconnect after that: nothing to do");

	fe_setup(&fe, fd);
	ok(blkback_connect(&bb, RING_REF, fe.port, NULL) == 0, "the frontend connects again");
	fe.req_prod_pvt = 0x80000000U;
	fe_kick(&fe);
	ok(!blkback_connected(&bb), "req_prod 2^31: disconnected");
	fe_setup(&fe, fd);
	blkback_connect(&bb, RING_REF, fe.port, NULL);
	fe.req_prod_pvt = 32;
	memset(fe.s->ring, 0, 32 * sizeof(fe.s->ring[0]));
	ok(fe_kick(&fe) == 0 && blkback_connected(&bb) && READ_ONCE(bb.q[0].more),
	   "req_prod exactly a ring ahead is no lie");
	blkback_resume(&bb);
	ok(fe.s->rsp_prod == 32 && blkback_connected(&bb),
	   "its 32 requests (read, 0 segments) get their errors");
}

static void test_disconnect(void)
{
	struct evtchn_status st = { .dom = DOMID_SELF, .port = fe.port };

	blkback_disconnect(&bb);
	ok(!blkback_connected(&bb) && !pinned(fd, RING_REF) &&
	   evtchn_status(&fd->xen.evtchn, &st) == 0 && st.status == EVTCHNSTAT_unbound,
	   "disconnect: ring unpinned, the frontend's port unbound");
	blkback_disconnect(&bb);
	ok(!blkback_connected(&bb), "disconnect twice: nothing");
	ok(fe_kick(&fe) == 0, "the frontend sends on its unbound port: nothing");
}

int main(void)
{
	struct vbdcfg c = { .devid = XVDA, .sector_size = 512 };

	xen_abi_init();
	fd = mkdom(1, "domU1", false);
	other = mkdom(2, "domU2", false);
	image = aligned_alloc(SZ_4K, DISK_SIZE);
	c.image = (struct mem_range){ (u64)(uintptr_t)image, DISK_SIZE };
	blkback_init(&bb, fd, &c, image);
	fe_setup(&fe, fd);

	test_connect_bad();
	test_connect();
	test_io();
	test_notify();
	test_bad_requests();
	test_toctou();
	test_disk_kinds();
	test_budget();
	test_lying_producer();
	test_disconnect();
	ok(!locks_held && !bb.q[0].lock.locked && !bb.ctl.locked, "no lock left held");
	return tap_done();
}
