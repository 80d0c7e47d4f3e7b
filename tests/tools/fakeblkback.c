// SPDX-License-Identifier: GPL-2.0-only
/*
 * fakeblkback: a blkif backend for tests, run in dom0, that can lie.
 *
 * It plays both the toolstack and blkback for one virtual disk of a
 * domU: it creates the frontend node device/vbd/VDEV of DOMID and its own
 * backend node backend/vbd/DOMID/VDEV, connects like blkback (single ring
 * page, single queue: it advertises neither max-ring-page-order nor
 * multi-queue-max-queues) and serves the ring from a disk held in memory.
 * In MODE good it is a correct backend; every other MODE injects one
 * fault (see below) after the disk has come up, so a frontend's handling
 * of a hostile backend can be tested.
 *
 *   fakeblkback DOMID WORD [KEY:VALUE...]
 *	the form the dom0 agent runs for a domU's "pvxen_do fakeblk WORD
 *	..." (tests/harness/dom0-init); prints one line:
 *	MODE    start an instance in the background; returns once the
 *	        xenstore nodes are written: "fakeblkback: started pid P ..."
 *	stop    SIGTERM the instance (it closes the device and removes the
 *	        nodes), wait for it, print its summary; exit status is the
 *	        instance's
 *	wait    wait (up to timeout:S, default 30) for the instance to end
 *	        by itself (the frontend closed), print its summary; exit
 *	        status 2 if it is still running
 *	log     print the tail of the instance's log
 *	Instances are told apart by DOMID and vdev; their pid, log and
 *	summary are in /run/fakeblkback/DOMID-VDEV.{pid,log,sum}.  A
 *	background instance writes its log there only: a copy on dom0's
 *	console was cut into the domU's lines relayed there (a TAP line
 *	split in two was lost).
 *   fakeblkback -f DOMID MODE [KEY:VALUE...]
 *	run in the foreground until the frontend closes (or the timeout,
 *	SIGTERM, SIGINT); log and the summary line on stdout
 *
 * MODEs (the fault is injected once, at the trigger request):
 *   good         no fault
 *   bad-id       answer with id = ring size (just out of range; badid:N)
 *   dup-id       answer the trigger request, then answer the next request
 *                with the trigger's id again (no longer in flight); that
 *                next request is never answered
 *   bad-op       answer with the operation's low bit flipped (read<->write)
 *   bad-status   answer with status 7
 *   rsp-overrun  answer, then push rsp_prod overrun:N (default 1000)
 *                entries further than the responses written; stop serving
 *   bad-sectors  publish sector-size 3 (ssize:N, sectors:N override the
 *                published values; the disk in memory keeps its size);
 *                no I/O fault
 *   close        leave the trigger request unanswered and switch the
 *                backend to Closing while it is in flight
 *   silent       from the trigger request on, answer nothing
 *   storm        answer the trigger request, then send storm:N events
 *                (default 1000000) on the event channel as fast as they
 *                go, with no response behind any of them; requests are
 *                still served meanwhile; the log says "storm done: N
 *                events in S s" at the end
 *   close-bad    no fault while the disk is up; when the frontend closes,
 *                follow it to Closing and Closed with the ring still
 *                mapped, then (delay:MS later, default 300) answer with a
 *                bad id (badid:N) and notify: a response arriving while
 *                the frontend tears the device down
 *   ro-key       the toolstack's lie: the frontend's "protocol" node is
 *                created owned by dom0, read-only for the domU, so the
 *                frontend cannot publish its rings; the backend then never
 *                leaves InitWait, so the state the frontend switched to
 *                (and its error node) stay for the test to read
 *
 * The trigger is the first read/write touching sectors [trap, trap+2048)
 * (trap:S, default half the disk: away from the partition tables at both
 * ends), or with after:N the request after the first N.
 *
 * KEYs (KEY:VALUE or KEY=VALUE, decimal values): vdev (default 51952 =
 * xvdp, 202:240), mib (disk size, default 8), trap, after, indirect
 * (advertise feature-max-indirect-segments N and serve BLKIF_OP_INDIRECT),
 * badid, overrun, ssize, sectors, timeout (lifetime in seconds, default
 * 600; for wait/stop: how long to wait), info (the VDISK_* bits published
 * in "info", default 0), trusted (written as the frontend's "trusted",
 * as a toolstack does for a backend it does not trust; default: absent),
 * storm (events mode storm sends), persistent (1: offer
 * feature-persistent; default 0), delay (close-bad: milliseconds from our
 * Closed to the bad response), follow (0: never follow the frontend to
 * Closing, stay in the state we are in; default 1, ro-key 0).
 *
 * Exit status: 0 the frontend closed (or SIGTERM), 1 an error, 2 timeout.
 * The last line is the summary:
 *   fakeblkback: summary domid=D vbd=V mode=M requests=N read=N write=N
 *   flush=N discard=N indirect=N errors=N faults=N storm=N end=REASON rc=N
 * (storm: the events mode storm sent).
 *
 * The skeleton it shares with fakenetback (xenstore, grants, event
 * channels, the device's nodes, following the frontend, the agent's
 * interface) is tests/tools/fakeback.c.
 */
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xen/io/blkif.h>
#include <xen/io/protocols.h>

#include "fakeback.h"

#define SECTOR		512
#define RING_HDR	offsetof(struct blkif_sring, ring)
/* One ring page: (4096 - 64) / 112 = 36 entries, rounded down to 2^n. */
#define BLK_SLOTS	32
#define TRAP_WINDOW	2048		/* sectors */
#define MAX_INDIRECT	(BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST * PAGE / \
			 sizeof(struct blkif_request_segment))

static_assert(sizeof(struct blkif_request) == 112, "blkif request ABI");
static_assert(sizeof(struct blkif_response) == 16, "blkif response ABI");
static_assert(sizeof(union blkif_sring_entry) == 112, "blkif ring entry");
static_assert(offsetof(struct blkif_sring, ring) == 64, "sring header");
#define RING_BYTES(n)	(RING_HDR + (n) * sizeof(union blkif_sring_entry))
static_assert(RING_BYTES(BLK_SLOTS) <= PAGE, "ring fits its page");
static_assert(RING_BYTES(2 * BLK_SLOTS) > PAGE, "ring uses its page");
static_assert(sizeof(struct blkif_request_discard) <= 112, "discard request");
static_assert(sizeof(struct blkif_request_indirect) <= 112, "indirect request");

enum mode {
	M_GOOD, M_BAD_ID, M_DUP_ID, M_BAD_OP, M_BAD_STATUS, M_RSP_OVERRUN,
	M_BAD_SECTORS, M_CLOSE, M_SILENT, M_STORM, M_CLOSE_BAD, M_RO_KEY,
};

static const char *const mode_names[] = {
	[M_GOOD] = "good", [M_BAD_ID] = "bad-id", [M_DUP_ID] = "dup-id",
	[M_BAD_OP] = "bad-op", [M_BAD_STATUS] = "bad-status",
	[M_RSP_OVERRUN] = "rsp-overrun", [M_BAD_SECTORS] = "bad-sectors",
	[M_CLOSE] = "close", [M_SILENT] = "silent", [M_STORM] = "storm",
	[M_CLOSE_BAD] = "close-bad", [M_RO_KEY] = "ro-key",
};

/* Settings (KEY=VALUE); -1: not given. */
static struct {
	unsigned long mib;
	long long trap;
	long long after;
	unsigned long indirect;
	long long badid;
	unsigned long overrun;
	const char *ssize;	/* published verbatim, digits only */
	const char *sectors;
	unsigned long info;
	unsigned long persistent;
	unsigned long delay_ms;
	unsigned long vdev;
} cfg = {
	.vdev = 51952, .mib = 8, .trap = -1, .after = -1, .badid = -1,
	.overrun = 1000, .delay_ms = 300,
};

static struct {
	unsigned long requests, read, write, flush, discard, indirect;
	unsigned long errors;
} st;

static unsigned char *disk;
static uint64_t disk_sectors;

static struct {
	struct gmap ring_map;
	struct blkif_sring *sring;
	unsigned int port;		/* local, bound */
	RING_IDX req_cons, rsp_prod_pvt;
	int fault_armed_dup;		/* dup-id: next request gets this id */
	uint64_t dup_id;
	uint8_t dup_op;
} ring;

static const char *op_name(unsigned int op)
{
	switch (op) {
	case BLKIF_OP_READ: return "read";
	case BLKIF_OP_WRITE: return "write";
	case BLKIF_OP_WRITE_BARRIER: return "barrier";
	case BLKIF_OP_FLUSH_DISKCACHE: return "flush";
	case BLKIF_OP_DISCARD: return "discard";
	case BLKIF_OP_INDIRECT: return "indirect";
	default: return "unknown";
	}
}

/* ro-key: the frontend's "protocol" node, dom0's and read-only for it. */
static int ro_key(uint32_t tx)
{
	char path[192];
	int err;

	snprintf(path, sizeof(path), "%s/protocol", fb.fe);
	err = xs_write(tx, path, XEN_IO_PROTO_ABI_NATIVE);
	if (!err)
		err = xs_perms(tx, path, 0, fb.domid);
	if (err)
		fb_log("writing %s read-only: %s", path, strerror(-err));
	return err;
}

/* The disk's two nodes, the backend already in InitWait. */
static int create_nodes(void)
{
	struct fb_kv bk[20], fk[8];
	int nb = 0, nf = 0;

	fb_kv_add(bk, &nb, "removable", "0");
	fb_kv_add(bk, &nb, "mode", "w");
	fb_kv_add(bk, &nb, "type", "fakeblkback");
	fb_kv_add(bk, &nb, "feature-flush-cache", "1");
	fb_kv_add(bk, &nb, "feature-barrier", "0");
	fb_kv_add(bk, &nb, "feature-discard", "1");
	fb_kv_add(bk, &nb, "discard-granularity", "%d", SECTOR);
	fb_kv_add(bk, &nb, "discard-alignment", "0");
	fb_kv_add(bk, &nb, "discard-secure", "0");
	fb_kv_add(bk, &nb, "feature-persistent", "%lu", cfg.persistent);
	if (cfg.indirect)
		fb_kv_add(bk, &nb, "feature-max-indirect-segments", "%lu",
			  cfg.indirect);
	fb_kv_add(fk, &nf, "virtual-device", "%lu", fb.id);
	fb_kv_add(fk, &nf, "device-type", "disk");
	static_assert(ARRAY_SIZE(bk) >= 11 + FB_KV_GENERIC &&
		      ARRAY_SIZE(fk) >= 2 + FB_KV_GENERIC, "key tables");
	return fb_create_nodes(bk, nb, fk, nf,
			       fb.mode == M_RO_KEY ? ro_key : NULL);
}

/* Map the ring and bind the event channel the frontend published. */
static int connect_ring(void)
{
	unsigned long ref, evtchn, v;
	char proto[64], path[192];
	uint32_t ref32;
	int err, port;

	if (!xs_read_ulong(fb.fe, "ring-page-order", &v) && v) {
		fb_log("frontend wrote ring-page-order %lu, never offered", v);
		return -EINVAL;
	}
	if (!xs_read_ulong(fb.fe, "multi-queue-num-queues", &v) && v != 1) {
		fb_log("frontend wrote multi-queue-num-queues %lu, never offered",
		       v);
		return -EINVAL;
	}
	err = xs_read_ulong(fb.fe, "ring-ref", &ref);
	if (!err)
		err = xs_read_ulong(fb.fe, "event-channel", &evtchn);
	if (err || ref > UINT32_MAX || evtchn > UINT32_MAX) {
		fb_log("frontend ring-ref/event-channel missing or invalid (%s)",
		       err ? strerror(-err) : "out of range");
		return err ? err : -EINVAL;
	}
	snprintf(path, sizeof(path), "%s/protocol", fb.fe);
	err = xs_read(0, path, proto, sizeof(proto));
	if (err >= 0 && strcmp(proto, XEN_IO_PROTO_ABI_NATIVE)) {
		fb_log("frontend protocol \"%s\", only \"%s\" served", proto,
		       XEN_IO_PROTO_ABI_NATIVE);
		return -EINVAL;
	}
	ref32 = ref;
	err = gnt_map(&ref32, 1, 1, &ring.ring_map);
	if (err) {
		fb_log("mapping ring-ref %lu: %s", ref, strerror(-err));
		return err;
	}
	ring.sring = ring.ring_map.addr;
	port = evtchn_bind(evtchn);
	if (port < 0) {
		err = port;
		fb_log("binding event channel %lu: %s", evtchn, strerror(-err));
		gnt_unmap(&ring.ring_map);
		ring.sring = NULL;
		return err;
	}
	ring.port = port;
	/* The frontend initialised the ring; start where it is. */
	ring.req_cons = __atomic_load_n(&ring.sring->rsp_prod, __ATOMIC_ACQUIRE);
	ring.rsp_prod_pvt = ring.req_cons;
	fb.connected = true;
	fb_log("ring-ref %lu mapped, event channel %lu bound to port %d, protocol %s",
	       ref, evtchn, port, err >= 0 ? proto : "(none)");
	return 0;
}

static void disconnect_ring(void)
{
	if (!fb.connected)
		return;
	evtchn_unbind(ring.port);
	gnt_unmap(&ring.ring_map);
	ring.sring = NULL;
	fb.connected = false;
	fb_log("ring unmapped, event channel unbound");
}

/* Publish the disk's geometry (the lies of bad-sectors too), go Connected. */
static int publish_disk(void)
{
	char ss[32], sec[32];
	int err;

	snprintf(ss, sizeof(ss), "%d", SECTOR);
	snprintf(sec, sizeof(sec), "%llu", (unsigned long long)disk_sectors);
	if (fb.mode == M_BAD_SECTORS && !cfg.ssize && !cfg.sectors)
		cfg.ssize = "3";
	if (cfg.ssize)
		snprintf(ss, sizeof(ss), "%s", cfg.ssize);
	if (cfg.sectors)
		snprintf(sec, sizeof(sec), "%s", cfg.sectors);
	err = xs_printf(0, fb.be, "sectors", "%s", sec);
	if (!err)
		err = xs_printf(0, fb.be, "info", "%lu", cfg.info);
	if (!err)
		err = xs_printf(0, fb.be, "sector-size", "%s", ss);
	if (!err)
		err = xs_printf(0, fb.be, "physical-sector-size", "%s", ss);
	if (err) {
		fb_log("publishing the disk: %s", strerror(-err));
		return err;
	}
	if (fb.mode == M_BAD_SECTORS) {
		fb.faults++;
		fb_log("FAULT bad-sectors: published sectors=%s sector-size=%s",
		       sec, ss);
	} else {
		fb_log("disk: %s sectors of %s bytes", sec, ss);
	}
	return fb_set_be_state(ST_CONNECTED);
}

/* ---- requests ----------------------------------------------------------- */

static void put_response(uint64_t id, uint8_t op, int16_t status)
{
	struct blkif_response r = { .id = id, .operation = op, .status = status };
	union blkif_sring_entry *e =
		&ring.sring->ring[ring.rsp_prod_pvt & (BLK_SLOTS - 1)];

	memcpy(&e->rsp, &r, sizeof(r));
	ring.rsp_prod_pvt++;
}

static void push_responses(void)
{
	RING_IDX old = __atomic_load_n(&ring.sring->rsp_prod, __ATOMIC_RELAXED);

	if (old == ring.rsp_prod_pvt)
		return;
	__atomic_store_n(&ring.sring->rsp_prod, ring.rsp_prod_pvt,
			 __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	evtchn_notify(ring.port);	/* always: a test tool, not a fast one */
}

static int errors_logged;

static void req_error(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	st.errors++;
	if (++errors_logged > 20)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fb_log("request error: %s", msg);
}

/* Copy between the disk and NSEG granted pages. */
static int do_rw(int is_read, uint64_t sector,
		 const struct blkif_request_segment *seg, unsigned int nseg)
{
	uint32_t refs[MAX_INDIRECT];
	uint64_t total = 0;
	struct gmap m;
	int err;

	for (unsigned int i = 0; i < nseg; i++) {
		if (seg[i].last_sect >= PAGE / SECTOR ||
		    seg[i].first_sect > seg[i].last_sect) {
			req_error("segment %u sectors %u..%u", i,
				  seg[i].first_sect, seg[i].last_sect);
			return -EINVAL;
		}
		total += seg[i].last_sect - seg[i].first_sect + 1;
		refs[i] = seg[i].gref;
	}
	if (!nseg)
		return 0;	/* an empty flush: its sector_number is not used */
	if (sector > disk_sectors || total > disk_sectors - sector) {
		req_error("sectors %llu+%llu beyond the disk (%llu)",
			  (unsigned long long)sector, (unsigned long long)total,
			  (unsigned long long)disk_sectors);
		return -EINVAL;
	}
	err = gnt_map(refs, nseg, is_read, &m);
	if (err) {
		req_error("mapping %u grant(s): %s", nseg, strerror(-err));
		return err;
	}
	for (unsigned int i = 0; i < nseg; i++) {
		unsigned char *page = (unsigned char *)m.addr + (size_t)i * PAGE +
				      seg[i].first_sect * SECTOR;
		unsigned char *d = disk + sector * SECTOR;
		size_t n = (size_t)(seg[i].last_sect - seg[i].first_sect + 1) *
			   SECTOR;

		if (is_read)
			memcpy(page, d, n);
		else
			memcpy(d, page, n);
		sector += n / SECTOR;
	}
	gnt_unmap(&m);
	return 0;
}

/* Segments of an indirect request, read once from its indirect pages. */
static int do_indirect(const struct blkif_request_indirect *r)
{
	static struct blkif_request_segment seg[MAX_INDIRECT];
	unsigned int nseg = r->nr_segments, pages;
	uint32_t refs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	const unsigned int per_page = PAGE / sizeof(seg[0]);
	struct gmap m;
	int err;

	if (!cfg.indirect) {
		req_error("indirect request, never offered");
		return -EINVAL;
	}
	if (!nseg || nseg > cfg.indirect) {
		req_error("indirect request with %u segments (max %lu)", nseg,
			  cfg.indirect);
		return -EINVAL;
	}
	if (r->indirect_op != BLKIF_OP_READ && r->indirect_op != BLKIF_OP_WRITE &&
	    r->indirect_op != BLKIF_OP_FLUSH_DISKCACHE) {
		req_error("indirect request for %s", op_name(r->indirect_op));
		return -EINVAL;
	}
	pages = (nseg + per_page - 1) / per_page;
	for (unsigned int i = 0; i < pages; i++)
		refs[i] = r->indirect_grefs[i];
	err = gnt_map(refs, pages, 0, &m);
	if (err) {
		req_error("mapping %u indirect page(s): %s", pages, strerror(-err));
		return err;
	}
	memcpy(seg, m.addr, nseg * sizeof(seg[0]));
	gnt_unmap(&m);
	return do_rw(r->indirect_op == BLKIF_OP_READ, r->sector_number, seg, nseg);
}

/* Does request R (a private copy) hit the trigger? */
static int is_trigger(const struct blkif_request *r, uint64_t nsect)
{
	uint64_t trap = cfg.trap >= 0 ? (uint64_t)cfg.trap : disk_sectors / 2;

	if (fb.mode == M_GOOD || fb.mode == M_BAD_SECTORS ||
	    fb.mode == M_CLOSE_BAD || fb.mode == M_RO_KEY || fb.faults)
		return 0;
	if (cfg.after >= 0)
		return st.requests > (unsigned long long)cfg.after;
	if (r->operation != BLKIF_OP_READ && r->operation != BLKIF_OP_WRITE &&
	    r->operation != BLKIF_OP_INDIRECT)
		return 0;
	return r->sector_number < trap + TRAP_WINDOW &&
	       r->sector_number + nsect > trap;
}

static void handle_request(const struct blkif_request *r)
{
	const struct blkif_request_indirect *ind = (const void *)r;
	const struct blkif_request_discard *dis = (const void *)r;
	uint8_t rop = r->operation;	/* the op the response must carry */
	uint64_t nsect = 0;
	int16_t status = BLKIF_RSP_OKAY;
	int err = 0;

	st.requests++;
	if (r->operation == BLKIF_OP_INDIRECT) {
		rop = ind->indirect_op;
		nsect = (uint64_t)ind->nr_segments * (PAGE / SECTOR);
	} else if (r->nr_segments <= BLKIF_MAX_SEGMENTS_PER_REQUEST) {
		for (unsigned int i = 0; i < r->nr_segments; i++)
			nsect += r->seg[i].last_sect - r->seg[i].first_sect + 1;
	}

	if (ring.fault_armed_dup) {
		/* dup-id, second half: answer this one with the old id. */
		ring.fault_armed_dup = 0;
		fb.faults++;
		fb_log("FAULT dup-id: request id %llu (%s) answered with id %llu (%s) again",
		       ULL(r->id), op_name(rop), ULL(ring.dup_id),
		       op_name(ring.dup_op));
		put_response(ring.dup_id, ring.dup_op, BLKIF_RSP_OKAY);
		return;
	}
	if (is_trigger(r, nsect)) {
		switch (fb.mode) {
		case M_SILENT:
			fb.faults++;
			fb.stalled = true;
			fb_log("FAULT silent: request id %llu (%s sector %llu) on: no answer",
			       ULL(r->id), op_name(rop), ULL(r->sector_number));
			return;
		case M_CLOSE:
			fb.faults++;
			fb.stalled = true;
			fb_log("FAULT close: request id %llu (%s sector %llu) in flight; Closing",
			       ULL(r->id), op_name(rop), ULL(r->sector_number));
			fb_set_be_state(ST_CLOSING);
			return;
		default:
			break;
		}
	}

	switch (r->operation) {
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
	case BLKIF_OP_FLUSH_DISKCACHE:
		if (r->operation == BLKIF_OP_READ)
			st.read++;
		else if (r->operation == BLKIF_OP_WRITE)
			st.write++;
		else
			st.flush++;
		if (r->nr_segments > BLKIF_MAX_SEGMENTS_PER_REQUEST) {
			req_error("%s with %u segments", op_name(r->operation),
				  r->nr_segments);
			err = -EINVAL;
			break;
		}
		err = do_rw(r->operation == BLKIF_OP_READ, r->sector_number,
			    r->seg, r->nr_segments);
		break;
	case BLKIF_OP_DISCARD:
		st.discard++;
		if (dis->sector_number > disk_sectors ||
		    dis->nr_sectors > disk_sectors - dis->sector_number) {
			req_error("discard %llu+%llu beyond the disk",
				  (unsigned long long)dis->sector_number,
				  (unsigned long long)dis->nr_sectors);
			err = -EINVAL;
			break;
		}
		memset(disk + dis->sector_number * SECTOR, 0,
		       dis->nr_sectors * SECTOR);
		break;
	case BLKIF_OP_INDIRECT:
		st.indirect++;
		if (ind->indirect_op == BLKIF_OP_READ)
			st.read++;
		else
			st.write++;
		err = do_indirect(ind);
		break;
	default:
		req_error("operation %u not supported", r->operation);
		status = BLKIF_RSP_EOPNOTSUPP;
		break;
	}
	if (err)
		status = BLKIF_RSP_ERROR;

	if (!is_trigger(r, nsect)) {
		put_response(r->id, rop, status);
		return;
	}
	fb.faults++;
	switch (fb.mode) {
	case M_BAD_ID: {
		uint64_t id = cfg.badid >= 0 ? (uint64_t)cfg.badid : BLK_SLOTS;

		fb_log("FAULT bad-id: request id %llu (%s sector %llu) answered with id %llu",
		       ULL(r->id), op_name(rop), ULL(r->sector_number), ULL(id));
		put_response(id, rop, status);
		break;
	}
	case M_DUP_ID:
		/* Counted when the second answer goes out. */
		fb.faults--;
		ring.fault_armed_dup = 1;
		ring.dup_id = r->id;
		ring.dup_op = rop;
		fb_log("dup-id: request id %llu (%s sector %llu) answered; the next gets its id",
		       ULL(r->id), op_name(rop), ULL(r->sector_number));
		put_response(r->id, rop, status);
		break;
	case M_BAD_OP:
		fb_log("FAULT bad-op: request id %llu (%s) answered with operation %u (%s)",
		       ULL(r->id), op_name(rop), rop ^ 1, op_name(rop ^ 1));
		put_response(r->id, rop ^ 1, status);
		break;
	case M_STORM:
		put_response(r->id, rop, status);
		fb_storm_start(ring.port);
		fb_log("FAULT storm: request id %llu (%s sector %llu) answered; %lu empty events",
		       ULL(r->id), op_name(rop), ULL(r->sector_number), fb.storm_n);
		break;
	case M_BAD_STATUS:
		fb_log("FAULT bad-status: request id %llu (%s) answered with status 7",
		       ULL(r->id), op_name(rop));
		put_response(r->id, rop, 7);
		break;
	case M_RSP_OVERRUN:
		put_response(r->id, rop, status);
		fb_log("FAULT rsp-overrun: request id %llu (%s) answered, rsp_prod %u + %lu",
		       ULL(r->id), op_name(rop), ring.rsp_prod_pvt, cfg.overrun);
		ring.rsp_prod_pvt += cfg.overrun;
		fb.stalled = true;
		break;
	default:
		put_response(r->id, rop, status);
		break;
	}
}

/* Consume what the frontend produced; answer; re-arm req_event. */
static void serve_ring(void)
{
	struct blkif_sring *s = ring.sring;
	RING_IDX rp;

	if (!fb.connected || fb.stalled)
		return;
	for (;;) {
		rp = __atomic_load_n(&s->req_prod, __ATOMIC_ACQUIRE);
		if (rp - ring.req_cons > BLK_SLOTS) {
			fb_log("frontend req_prod %u is %u ahead of us (ring of %d): stopped",
			       rp, rp - ring.req_cons, BLK_SLOTS);
			fb.stalled = true;
			break;
		}
		while (ring.req_cons != rp && !fb.stalled) {
			struct blkif_request r;

			memcpy(&r, (const void *)&s->ring[ring.req_cons &
						     (BLK_SLOTS - 1)].req,
			       sizeof(r));
			ring.req_cons++;
			handle_request(&r);
		}
		push_responses();
		if (fb.stalled || !fb.connected)
			break;
		__atomic_store_n(&s->req_event, ring.req_cons + 1,
				 __ATOMIC_RELEASE);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (__atomic_load_n(&s->req_prod, __ATOMIC_ACQUIRE) == ring.req_cons)
			break;
	}
}

/*
 * close-bad: the frontend is Closed; say Closed too, then, while it
 * tears the device down, answer with an id that was never sent.
 */
static void late_bad_response(void)
{
	uint64_t id = cfg.badid >= 0 ? (uint64_t)cfg.badid : BLK_SLOTS;

	fb_set_be_state(ST_CLOSED);
	if (!fb.connected)
		return;
	usleep(cfg.delay_ms * 1000);
	put_response(id, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	push_responses();
	fb.faults++;
	fb_log("FAULT close-bad: %lu ms after Closed, a response with id %llu",
	       cfg.delay_ms, ULL(id));
}

/* ---- the tool ---------------------------------------------------------- */

/* One setting KEY with the value V (VAL as text); -1 if unknown or bad. */
static int set_key(const char *key, const char *val, unsigned long v)
{
	if (!strcmp(key, "vdev") && v > 0 && v < (1UL << 28))
		cfg.vdev = v;
	else if (!strcmp(key, "mib") && v > 0 && v <= 256)
		cfg.mib = v;
	else if (!strcmp(key, "trap"))
		cfg.trap = v;
	else if (!strcmp(key, "after"))
		cfg.after = v;
	else if (!strcmp(key, "indirect") && v <= MAX_INDIRECT)
		cfg.indirect = v;
	else if (!strcmp(key, "badid"))
		cfg.badid = v;
	else if (!strcmp(key, "overrun") && v < (1UL << 31))
		cfg.overrun = v;
	else if (!strcmp(key, "ssize"))
		cfg.ssize = val;
	else if (!strcmp(key, "sectors"))
		cfg.sectors = val;
	else if (!strcmp(key, "info") && v <= 0xffff)
		cfg.info = v;
	else if (!strcmp(key, "persistent") && v <= 1)
		cfg.persistent = v;
	else if (!strcmp(key, "delay") && v <= 60000)
		cfg.delay_ms = v;
	else
		return -1;
	return 0;
}

static void configure(void)
{
	fb.id = cfg.vdev;
	if (!fb.storm_n)
		fb.storm_n = 1000000;
	if (fb.follow < 0)
		fb.follow = fb.mode != M_RO_KEY;
}

/* Make the disk and its nodes. */
static int setup(void)
{
	int err;

	disk_sectors = (uint64_t)cfg.mib << 11;
	disk = calloc(disk_sectors, SECTOR);
	if (!disk) {
		fb_log("no memory for a %lu MiB disk", cfg.mib);
		return -ENOMEM;
	}
	err = create_nodes();
	if (err)
		return err;
	if (fb.mode == M_RO_KEY) {
		fb.faults++;
		fb_log("FAULT ro-key: %s/protocol is dom0's, read-only for the frontend",
		       fb.fe);
	}
	fb_log("domid %u vdev %lu mode %s: %llu sectors, %s; waiting for the frontend",
	       fb.domid, fb.id, mode_names[fb.mode], ULL(disk_sectors),
	       cfg.indirect ? "indirect segments offered" : "no indirect");
	return 0;
}

static int connect(void)
{
	return connect_ring() || publish_disk() ? -1 : 0;
}

/* close-bad keeps the ring mapped through the frontend's Closing. */
static bool fe_closing(void)
{
	return fb.mode != M_CLOSE_BAD;
}

static bool fe_closed(void)
{
	if (fb.mode == M_CLOSE_BAD)
		late_bad_response();
	return false;
}

static void summary(char *buf, size_t len)
{
	snprintf(buf, len,
		 "requests=%lu read=%lu write=%lu flush=%lu discard=%lu indirect=%lu errors=%lu faults=%lu storm=%lu",
		 st.requests, st.read, st.write, st.flush, st.discard,
		 st.indirect, st.errors, fb.faults, fb.storm_sent);
}

static const struct fb_ops blk_ops = {
	.tool = "fakeblkback",
	.type = "vbd",
	.usage = "MODE: good bad-id dup-id bad-op bad-status rsp-overrun\n"
		 "      bad-sectors close silent storm close-bad ro-key\n"
		 "KEY: vdev mib trap after indirect badid overrun ssize sectors\n"
		 "     info persistent delay\n",
	.modes = mode_names,
	.nr_modes = ARRAY_SIZE(mode_names),
	.set_key = set_key,
	.configure = configure,
	.setup = setup,
	.connect = connect,
	.disconnect = disconnect_ring,
	.serve = serve_ring,
	.fe_closing = fe_closing,
	.fe_closed = fe_closed,
	.summary = summary,
};

int main(int argc, char **argv)
{
	return fb_main(argc, argv, &blk_ops);
}
