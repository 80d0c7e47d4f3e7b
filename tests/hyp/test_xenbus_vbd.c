// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests, end to end: a domain's disks published in xenstore
 * and driven by the frontend's state (hyp/core/xenbus_vbd.c) over the
 * block backend (hyp/core/blkback.c). The frontend is played in a fake
 * domain (fake_xen.h, fake_blkfront.h): it reads and writes xenstore
 * through its own ring and EVTCHNOP_send, as Linux's xenbus does.
 */
#include <minixen/blkback.h>
#include <minixen/xenbus_vbd.h>
#include "fake_xen.h"
#include "fake_blkfront.h"
#include "tap.h"
#include "xs_client.h"

#define XVDB		51728
#define SIZE_A		0x100000UL	/* xvda: 1 MiB, 512-byte sectors */
#define SIZE_B		0x10000UL	/* xvdb: 64 KiB, read-only, 4096 */
#define FE		"device/vbd/51712"
#define BE		"/local/domain/32754/backend/vbd/1/51712"
#define BE_B		"/local/domain/32754/backend/vbd/1/51728"

/*
 * XenbusState values, from Xen's io/xenbus.h, written out here so that
 * what minixen writes (enum pvxen_xenbus_state) is checked against them.
 */
static struct domain *z, *fd, *od;
static struct front fe;
static u8 *img_a, *img_b;

/* The frontend switches its state (device/vbd/51712/state). */
static void fe_state(const char *s)
{
	wr(fd, FE "/state", s);
}

/* A fresh ring and port, published as blkfront does before Initialised. */
static void fe_publish(const char *ring_ref, const char *protocol)
{
	char port[12];

	fe_setup(&fe, fd);
	snprintf(port, sizeof(port), "%u", fe.port);
	wr(fd, FE "/ring-ref", ring_ref);
	wr(fd, FE "/event-channel", port);
	if (protocol)
		wr(fd, FE "/protocol", protocol);
	else if (!store_req(fd, XS_RM, FE "/protocol", sizeof(FE "/protocol")))
		store_rsp(fd, buf, sizeof(buf));
}

/* Write and read back 8 sectors at @sector through the ring. */
static bool io_ok(u64 sector)
{
	struct blkif_request r = rw(BLKIF_OP_WRITE, sector, 1, 0, 7);
	struct blkif_response w = { 0 }, rd_rsp = { 0 };
	u8 *pg = frame(fd, DATA_FRAME);
	u8 saved[SZ_4K];

	grant(fd, DATA_REF, DATA_FRAME, DOMID_XEN, false);
	fill(pg, SZ_4K, (u8)sector);
	memcpy(saved, pg, SZ_4K);
	fe_queue(&fe, &r);
	if (fe_kick(&fe) || !fe_rsp(&fe, &w))
		return false;
	memset(pg, 0, SZ_4K);
	r = rw(BLKIF_OP_READ, sector, 1, 0, 7);
	fe_queue(&fe, &r);
	if (fe_kick(&fe) || !fe_rsp(&fe, &rd_rsp))
		return false;
	return w.status == BLKIF_RSP_OKAY && rd_rsp.status == BLKIF_RSP_OKAY &&
	       !memcmp(pg, saved, SZ_4K) &&
	       !memcmp(img_a + sector * 512, saved, SZ_4K);
}

static bool port_unbound(void)
{
	struct evtchn_status st = { .dom = DOMID_SELF, .port = fe.port };

	return !evtchn_status(&fd->xen.evtchn, &st) &&
	       st.status == EVTCHNSTAT_unbound;
}

static void test_published(void)
{
	static const char *const fe_keys[] = {
		"backend", BE, "backend-id", "32754", "virtual-device", "51712",
		"device-type", "disk", "state", "1", NULL };
	static const char *const be_keys[] = {
		"frontend", "/local/domain/1/device/vbd/51712",
		"frontend-id", "1", "dev", "xvda", "mode", "w", "type", "phy",
		"online", "1", "removable", "0", "device-type", "disk",
		"feature-flush-cache", "1", "feature-barrier", "1",
		"feature-discard", "1", "discard-granularity", "512",
		"discard-alignment", "0", "discard-secure", "0",
		"feature-persistent", "1", "feature-max-indirect-segments", "256",
		"multi-queue-max-queues", "4", "max-ring-page-order", "4",
		"sectors", "2048", "info", "0",
		"sector-size", "512", "physical-sector-size", "512",
		"state", "2", NULL };
	static const char *const be_b_keys[] = {
		"dev", "xvdb", "mode", "r", "info", "4", "sector-size", "4096",
		"physical-sector-size", "4096", "sectors", "128", "state", "2",
		"discard-granularity", "4096", "feature-discard", "1", NULL };
	const char *why;
	u32 t;

	why = keys_are(fd, FE, fe_keys);
	ok(!*why, "the frontend reads its directory as xl writes it %s", why);
	why = keys_are(fd, BE, be_keys);
	ok(!*why, "and the backend's, state InitWait %s", why);
	why = keys_are(fd, BE_B, be_b_keys);
	ok(!*why, "xvdb: read-only (info 4), 4096-byte sectors, sectors in 512s %s",
	   why);
	t = store_req(fd, XS_GET_PERMS, BE, sizeof(BE)) ? 0 : store_rsp(fd, buf, sizeof(buf));
	ok(t == XS_GET_PERMS && !memcmp(buf, "n0\0r1", 6),
	   "backend directory: owner 0, the frontend may read");
	t = store_req(z, XS_GET_PERMS, "/local/domain/1/" FE,
		      sizeof("/local/domain/1/" FE)) ? 0 : store_rsp(z, buf, sizeof(buf));
	ok(t == XS_GET_PERMS && !memcmp(buf, "n1\0r0", 6),
	   "frontend directory: owner the frontend, domain 0 may read");
	ok(!strcmp(wr(fd, BE "/state", "4"), "EACCES") &&
	   !strcmp(wr(fd, BE "/sectors", "99999"), "EACCES") &&
	   !strcmp(wr(fd, FE "/x", "1"), "OK"),
	   "the frontend cannot write the backend's keys, may write its own");
	ok(!strcmp(rd(od, BE "/state"), "EACCES") &&
	   !strcmp(rd(od, "/local/domain/1/" FE "/state"), "EACCES"),
	   "another domU reads neither directory");
}

static void test_connect(void)
{
	fe_publish("8", "arm-abi");
	ok(be_state(BE) == INIT_WAIT && !pinned(fd, RING_REF),
	   "ring-ref, event-channel, protocol written: still InitWait");
	fe_state("3");
	ok(be_state(BE) == CONNECTED && pinned(fd, RING_REF) &&
	   strstr(last_log, "domU1: vbd 51712: connected"),
	   "frontend Initialised: backend Connected, ring pinned (%s)", last_log);
	ok(io_ok(100), "a write and a read through the ring");
	fe_state("4");
	ok(be_state(BE) == CONNECTED && io_ok(200),
	   "frontend Connected: nothing changes");
	ok(be_state(BE_B) == INIT_WAIT, "xvdb still waits for its frontend");
}

static void test_close_reconnect(void)
{
	fe_state("5");
	ok(be_state(BE) == CLOSED && !pinned(fd, RING_REF) && port_unbound(),
	   "frontend Closing: disconnected, backend Closed");
	fe_state("6");
	ok(be_state(BE) == CLOSED,
	   "frontend Closed: backend stays Closed, for the frontend to see");
	fe_state("1");
	ok(be_state(BE) == INIT_WAIT, "frontend Initialising: InitWait again");
	fe_publish("8", NULL);
	fe_state("3");
	ok(be_state(BE) == CONNECTED && io_ok(300) &&
	   !strcmp(rd(fd, FE "/protocol"), "ENOENT"),
	   "it connects again (no protocol: native), I/O works");
	fe_state("5");
	fe_state("1");
	ok(be_state(BE) == INIT_WAIT,
	   "Closing, then Initialising after Closed: InitWait");
	fe_publish("8", "arm-abi");
	fe_state("3");
	ok(be_state(BE) == CONNECTED && io_ok(400), "and connects again");
	fe_state("6");
	ok(be_state(BE) == CLOSED && !pinned(fd, RING_REF) && port_unbound(),
	   "Closed straight from Connected: disconnected, Closed");
	fe_publish("8", "arm-abi");
	fe_state("4");
	ok(be_state(BE) == CONNECTED && io_ok(450),
	   "a frontend that goes from Closed straight to Connected: connected");
}

/* xvdb, read-only, on a ring of its own beside xvda's */
static void test_second_disk(void)
{
	struct blkif_request r = rw(BLKIF_OP_READ, 8, 1, 0, 7);
	struct blkif_response rsp_r = { 0 }, rsp_w = { 0 };
	struct front fb;
	char port[12];

	fe_setup_at(&fb, fd, RING_REF + 1, RING_FRAME + 1);
	snprintf(port, sizeof(port), "%u", fb.port);
	wr(fd, "device/vbd/51728/ring-ref", "9");
	wr(fd, "device/vbd/51728/event-channel", port);
	wr(fd, "device/vbd/51728/state", "3");
	ok(be_state(BE_B) == CONNECTED && be_state(BE) == CONNECTED &&
	   pinned(fd, RING_REF + 1),
	   "xvdb connects on its own ring, xvda stays connected");
	grant(fd, DATA_REF, DATA_FRAME, DOMID_XEN, false);
	fill(img_b, SIZE_B, 17);
	fe_queue(&fb, &r);
	fe_kick(&fb);
	fe_rsp(&fb, &rsp_r);
	r = rw(BLKIF_OP_WRITE, 8, 1, 0, 7);
	fe_queue(&fb, &r);
	fe_kick(&fb);
	fe_rsp(&fb, &rsp_w);
	ok(rsp_r.status == BLKIF_RSP_OKAY && rsp_w.status == BLKIF_RSP_ERROR &&
	   !memcmp(frame(fd, DATA_FRAME), img_b + SZ_4K, SZ_4K) && io_ok(700),
	   "xvdb reads, refuses writes; xvda's I/O goes on");
	wr(fd, "device/vbd/51728/state", "5");
	ok(be_state(BE_B) == CLOSED && be_state(BE) == CONNECTED &&
	   !pinned(fd, RING_REF + 1),
	   "xvdb closes; xvda still connected");
	wr(fd, "device/vbd/51728/state", "6");
	store_req(z, XS_WATCH, BE_B "/state\0b", sizeof(BE_B "/state\0b"));
	while (store_rsp(z, buf, sizeof(buf)) != ~0U)
		;	/* the reply and the watch's first event */
	fe_state("4");
	ok(be_state(BE_B) == CLOSED && store_rsp(z, buf, sizeof(buf)) == ~0U,
	   "xvda's frontend switching state does not touch xvdb's backend");
	store_req(z, XS_UNWATCH, BE_B "/state\0b", sizeof(BE_B "/state\0b"));
	store_rsp(z, buf, sizeof(buf));
}

/* What one event's budget leaves is served by the domain's resume hook. */
static void test_budget(void)
{
	struct blkif_request r = rw(BLKIF_OP_FLUSH_DISKCACHE, 0, 0, 0, 0);
	u32 i, base = fe.rsp_cons;

	for (i = 0; i < 32; i++)
		fe_queue(&fe, &r);
	fe_kick(&fe);
	ok(READ_ONCE(fe.s->rsp_prod) == base + BLKBACK_BUDGET,
	   "32 requests, one send: %d answered", BLKBACK_BUDGET);
	xenbus_vbd_resume(fd);
	ok(READ_ONCE(fe.s->rsp_prod) == base + 32 && be_state(BE) == CONNECTED,
	   "the domain's resume hook answers the rest; still Connected");
	fe.rsp_cons = base + 32;
	fe_state("6");
}

/* Queue @q's keys (2^@order pages, refs from @ref), its ring set up */
static void fe_queue_keys(struct front *f, u32 q, u32 ref, u32 order)
{
	char key[64], val[12];
	u32 i;

	fe_setup_ring(f, fd, ref, ref, 1U << order);
	for (i = 0; i < 1U << order; i++) {
		snprintf(key, sizeof(key), FE "/queue-%u/ring-ref%u", q, i);
		snprintf(val, sizeof(val), "%u", ref + i);
		wr(fd, key, val);
	}
	snprintf(key, sizeof(key), FE "/queue-%u/event-channel", q);
	snprintf(val, sizeof(val), "%u", f->port);
	wr(fd, key, val);
}

/* Refused: Closing with @log; then Closed: InitWait */
static bool multi_refused(const char *log)
{
	bool r;

	fe_state("3");
	r = be_state(BE) == CLOSING && strstr(last_log, log) &&
	    !pinned(fd, 100) && !pinned(fd, 116);
	fe_state("6");
	return r && be_state(BE) == CLOSED;
}

/* Two queues of two pages, as Linux's blkfront writes them */
static void test_multi(void)
{
	struct blkif_request r = rw(BLKIF_OP_FLUSH_DISKCACHE, 0, 0, 0, 0);
	struct blkif_response rsp = { 0 };
	struct front q0, q1;

	wr(fd, FE "/multi-queue-num-queues", "2");
	wr(fd, FE "/ring-page-order", "1");
	wr(fd, FE "/feature-persistent", "1");
	fe_queue_keys(&q0, 0, 100, 1);
	fe_queue_keys(&q1, 1, 116, 1);
	fe_state("3");
	ok(be_state(BE) == CONNECTED && pinned(fd, 100) && pinned(fd, 101) &&
	   pinned(fd, 116) && pinned(fd, 117) &&
	   strstr(last_log, "2 queue(s) of 2-page rings, persistent (copied) grants"),
	   "2 queues of 2 pages, persistent: Connected, all 4 pages pinned (%s)",
	   last_log);
	fe_queue(&q1, &r);
	fe_kick(&q1);
	ok(fe_rsp(&q1, &rsp) && rsp.id == r.id && rsp.status == BLKIF_RSP_OKAY &&
	   q0.s->rsp_prod == 0, "queue 1 answers on its own ring");
	fe_state("5");
	ok(be_state(BE) == CLOSED && !pinned(fd, 101) && !pinned(fd, 117),
	   "Closing: every page of both queues unpinned");
	fe_state("6");

	wr(fd, FE "/multi-queue-num-queues", "5");
	ok(multi_refused("multi-queue-num-queues 5, not 1..4"),
	   "5 queues asked: Closing, one line (%s)", last_log);
	wr(fd, FE "/multi-queue-num-queues", "2");
	wr(fd, FE "/ring-page-order", "7");
	ok(multi_refused("ring-page-order 7, above 4"),
	   "ring-page-order 7: Closing (%s)", last_log);
	wr(fd, FE "/ring-page-order", "1");
	fe_queue_keys(&q0, 0, 100, 1);
	fe_queue_keys(&q1, 1, 116, 1);
	rm(fd, FE "/queue-1/ring-ref1");
	ok(multi_refused("no usable queue-1/ring-ref1: not connected"),
	   "queue-1/ring-ref1 missing: Closing (%s)", last_log);
	rm(fd, FE "/multi-queue-num-queues");
	rm(fd, FE "/queue-0");
	rm(fd, FE "/queue-1");
	wr(fd, FE "/ring-page-order", "0");
	fe_setup_ring(&fe, fd, 100, 100, 1);
	wr(fd, FE "/ring-ref0", "100");
	snprintf(buf, sizeof(buf), "%u", fe.port);
	wr(fd, FE "/event-channel", buf);
	fe_state("3");
	ok(be_state(BE) == CONNECTED && pinned(fd, 100) && io_ok(800),
	   "ring-page-order 0 written: ring-ref0 read, as blkback does; I/O works");
	fe_state("6");
	rm(fd, FE "/ring-page-order");
	rm(fd, FE "/ring-ref0");
	rm(fd, FE "/feature-persistent");
}

/* The frontend publishes @ref and @protocol and switches to Initialised. */
static bool refused(const char *ref, const char *protocol, const char *log)
{
	bool r;

	fe_publish(ref, protocol);
	fe_state("3");
	r = be_state(BE) == CLOSING && !pinned(fd, RING_REF) &&
	    strstr(last_log, log);
	fe_state("6");
	wr(fd, FE "/protocol", "arm-abi");
	return r && be_state(BE) == CLOSED;
}

static void test_bad_frontends(void)
{
	ok(refused("99999", NULL, "ring-ref 99999: grant refused"),
	   "a ring-ref beyond its table: Closing, one line; Closed: Closed (%s)",
	   last_log);
	ok(refused("12abc", NULL, "no usable ring-ref: not connected"),
	   "ring-ref \"12abc\": Closing");
	ok(refused("4294967304", NULL, "no usable ring-ref"),
	   "ring-ref 2^32 + 8: Closing");
	ok(refused("", NULL, "no usable ring-ref"), "an empty ring-ref: Closing");
	ok(refused("8", "x86_64-abi", "protocol \"x86_64-abi\", not arm-abi"),
	   "protocol x86_64-abi: Closing (%s)", last_log);
	ok(refused("8", "arm-abi-and-then-some", "protocol \"?\""),
	   "a protocol too long to be arm-abi: Closing");
	fe_setup(&fe, fd);
	wr(fd, FE "/ring-ref", "8");
	store_req(fd, XS_RM, FE "/event-channel", sizeof(FE "/event-channel"));
	store_rsp(fd, buf, sizeof(buf));
	fe_state("3");
	ok(be_state(BE) == CLOSING && !pinned(fd, RING_REF),
	   "no event-channel: Closing");
	fe_state("6");

	fe_publish("8", "arm-abi");
	fe_state("3");
	fe.req_prod_pvt = fe.s->rsp_prod + 40;
	fe_kick(&fe);
	ok(be_state(BE) == CONNECTED && !pinned(fd, RING_REF) &&
	   strstr(last_log, "request producer"),
	   "a lying producer: the ring is let go at once (%s)", last_log);
	xenbus_vbd_resume(fd);
	ok(be_state(BE) == CLOSING,
	   "and before its next entry the frontend sees Closing");
	xenbus_vbd_resume(fd);
	fe_state("5");
	ok(be_state(BE) == CLOSED, "it closes: Closed");
	fe_state("6");
	fe_publish("8", "arm-abi");
	fe_state("3");
	ok(be_state(BE) == CONNECTED && io_ok(500),
	   "and may connect again, I/O works");
	fe_state("7x");
	fe_state("99");
	ok(be_state(BE) == CONNECTED && io_ok(600),
	   "a state of garbage or out of range: ignored");
}

static void test_release(void)
{
	char v[8];

	xenbus_vbd_domain_release(fd);
	ok(!pinned(fd, RING_REF) && port_unbound(),
	   "domain released: its disk disconnected");
	ok(xen_store_read("/local/domain/32754/backend/vbd/1", v, sizeof(v)) ==
	   -XS_ENOENT, "its backend directories are gone");
	ok(xen_store_unwatch("/local/domain/1/device/vbd", "vbd") == -XS_ENOENT,
	   "its watch is gone");
	fe_setup(&fe, fd);
	wr(fd, FE "/ring-ref", "8");
	fe_state("3");
	ok(!pinned(fd, RING_REF) && be_state(BE) < 0,
	   "its frontend cannot connect any more");
	xenbus_vbd_resume(fd);
	xenbus_vbd_domain_release(fd);
	xen_store_domain_release(fd);
	ok(xen_store_read("/local/domain/1", v, sizeof(v)) == -XS_ENOENT,
	   "resume and release again: nothing; then xenstore lets it go");
}

int main(void)
{
	struct domcfg c = { .name = "domU1", .nr_vbds = 2 };
	struct domcfg none = { .name = "domU2" };

	xen_abi_init();
	z = mkdom(0, "dom0", true);
	fd = mkdom(1, "domU1", false);
	od = mkdom(2, "domU2", false);
	if (xen_store_domain_init(z) || xen_store_domain_init(fd) ||
	    xen_store_domain_init(od))
		abort();
	img_a = aligned_alloc(SZ_4K, SIZE_A);
	img_b = aligned_alloc(SZ_4K, SIZE_B);
	c.vbd[0] = (struct vbdcfg){ .devid = XVDA, .sector_size = 512,
		.image = { (u64)(uintptr_t)img_a, SIZE_A } };
	c.vbd[1] = (struct vbdcfg){ .devid = XVDB, .sector_size = 4096,
		.readonly = true, .image = { (u64)(uintptr_t)img_b, SIZE_B } };
	ok(xenbus_vbd_domain_init(fd, &c) == 0 && xenbus_vbd_domain_init(od, &none) == 0,
	   "domU1's two disks published; domU2 has none");
	ok(strstr(last_log, "domU1: vbd 51728: 64 KiB at") &&
	   strstr(last_log, "read-only, 4096-byte sectors"), "one line per disk: %s",
	   last_log);
	test_published();
	test_connect();
	test_close_reconnect();
	test_second_disk();
	test_budget();
	test_multi();
	test_bad_frontends();
	test_release();
	ok(!locks_held, "no lock left held");
	return tap_done();
}
