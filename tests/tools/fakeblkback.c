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
 *   fakeblkback: summary domid=D vdev=V mode=M requests=N read=N write=N
 *   flush=N discard=N indirect=N errors=N faults=N storm=N end=REASON rc=N
 * (storm: the events mode storm sent).
 *
 * Xenstore is reached through /dev/xen/xenbus (xs_wire.h messages), grants
 * through /dev/xen/gntdev, the event channel through /dev/xen/evtchn.
 * Xen's public headers come from libxen-dev (built with -idirafter
 * /usr/include; the Makefile's TOOL_CFLAGS).
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xen/io/blkif.h>
#include <xen/io/protocols.h>
#include <xen/io/xs_wire.h>
#include <xen/sys/evtchn.h>
#include <xen/sys/gntdev.h>

#define PAGE		4096
#define SECTOR		512
#define RING_HDR	offsetof(struct blkif_sring, ring)
/* One ring page: (4096 - 64) / 112 = 36 entries, rounded down to 2^n. */
#define BLK_SLOTS	32
#define TRAP_WINDOW	2048		/* sectors */
#define MAX_INDIRECT	(BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST * PAGE / \
			 sizeof(struct blkif_request_segment))
#define RUN_DIR		"/run/fakeblkback"
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ULL(x)		((unsigned long long)(x))

/* The values of enum xenbus_state (xen/io/xenbus.h). */
enum {
	ST_INITIALISING = 1, ST_INITWAIT, ST_INITIALISED, ST_CONNECTED,
	ST_CLOSING, ST_CLOSED,
};

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
	unsigned int domid;
	enum mode mode;
	unsigned long vdev;
	unsigned long mib;
	long long trap;
	long long after;
	unsigned long indirect;
	long long badid;
	unsigned long overrun;
	const char *ssize;	/* published verbatim, digits only */
	const char *sectors;
	long timeout;
	unsigned long info;
	long trusted;
	unsigned long storm;
	unsigned long persistent;
	unsigned long delay_ms;
	long follow;
} cfg = {
	.vdev = 51952, .mib = 8, .trap = -1, .after = -1, .badid = -1,
	.overrun = 1000, .timeout = -1, .trusted = -1, .storm = 1000000,
	.delay_ms = 300, .follow = -1,
};

static struct {
	unsigned long requests, read, write, flush, discard, indirect;
	unsigned long errors, faults, storm;
} st;

static void logmsg(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	n = snprintf(line, sizeof(line), "fakeblkback: ");
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	n = strlen(line);
	line[n++] = '\n';
	if (write(STDOUT_FILENO, line, n) < 0)
		return;		/* nowhere to say it */
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* All of @len bytes, read (@out false) or written; 0 or a negative errno. */
static int xfer_full(int fd, void *buf, size_t len, bool out)
{
	char *p = buf;

	while (len) {
		ssize_t n = out ? write(fd, p, len) : read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n ? -errno : -EPIPE;
		p += n;
		len -= n;
	}
	return 0;
}

/* ---- xenstore, through /dev/xen/xenbus ---------------------------------- */

static int xs_fd = -1;
static uint32_t xs_req_id;

/* -errno for xenstore's error name NAME. */
static int xs_errno(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(xsd_errors); i++)
		if (!strcmp(name, xsd_errors[i].errstring))
			return -xsd_errors[i].errnum;
	return -EIO;
}

/* String S with its NUL, as one piece of a payload. */
static struct iovec str_iov(const char *s)
{
	return (struct iovec){ .iov_base = (void *)s, .iov_len = strlen(s) + 1 };
}

/*
 * One request, one reply.  The payload is the concatenation of IOV[0..N).
 * The reply payload goes to REPLY (NUL terminated, truncated to CAP - 1)
 * if given.  Returns the reply's payload length or -errno (xenstore's
 * error, or the transport's).
 */
static int xs_talk(uint32_t type, uint32_t tx, const struct iovec *iov, int n,
		   char *reply, size_t cap)
{
	static char buf[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX + 1];
	struct xsd_sockmsg h = { .type = type, .req_id = ++xs_req_id, .tx_id = tx };
	size_t len = 0;
	int err;

	for (int i = 0; i < n; i++) {
		if (len + iov[i].iov_len > XENSTORE_PAYLOAD_MAX)
			return -E2BIG;
		memcpy(buf + sizeof(h) + len, iov[i].iov_base, iov[i].iov_len);
		len += iov[i].iov_len;
	}
	h.len = len;
	memcpy(buf, &h, sizeof(h));
	err = xfer_full(xs_fd, buf, sizeof(h) + len, true);
	if (err)
		return err;
	for (;;) {
		err = xfer_full(xs_fd, &h, sizeof(h), false);
		if (err)
			return err;
		if (h.len > XENSTORE_PAYLOAD_MAX)
			return -EPROTO;
		err = xfer_full(xs_fd, buf, h.len, false);
		if (err)
			return err;
		buf[h.len] = 0;
		if (h.type == XS_WATCH_EVENT)
			continue;	/* we set none; be tolerant */
		if (h.type == XS_ERROR)
			return xs_errno(buf);
		if (h.type != type)
			return -EPROTO;
		if (reply && cap) {
			size_t k = h.len < cap - 1 ? h.len : cap - 1;

			memcpy(reply, buf, k);
			reply[k] = 0;
		}
		return h.len;
	}
}

static int xs_read(uint32_t tx, const char *path, char *val, size_t cap)
{
	struct iovec v[] = { str_iov(path) };

	return xs_talk(XS_READ, tx, v, ARRAY_SIZE(v), val, cap);
}

static int xs_write(uint32_t tx, const char *path, const char *val)
{
	struct iovec v[] = {
		str_iov(path), { .iov_base = (void *)val, .iov_len = strlen(val) },
	};
	int r = xs_talk(XS_WRITE, tx, v, ARRAY_SIZE(v), NULL, 0);

	return r < 0 ? r : 0;
}

static int xs_rm(uint32_t tx, const char *path)
{
	struct iovec v[] = { str_iov(path) };
	int r = xs_talk(XS_RM, tx, v, ARRAY_SIZE(v), NULL, 0);

	return r < 0 ? r : 0;
}

/* Children of PATH: 0 if none, > 0 if some, -errno. */
static int xs_children(const char *path)
{
	struct iovec v[] = { str_iov(path) };
	char buf[8];

	return xs_talk(XS_DIRECTORY, 0, v, ARRAY_SIZE(v), buf, sizeof(buf));
}

/* Owner OWNER (no access for others), read access for READER. */
static int xs_perms(uint32_t tx, const char *path, unsigned int owner,
		    unsigned int reader)
{
	char p0[16], p1[16];
	struct iovec v[3];
	int r;

	snprintf(p0, sizeof(p0), "n%u", owner);
	snprintf(p1, sizeof(p1), "r%u", reader);
	v[0] = str_iov(path);
	v[1] = str_iov(p0);
	v[2] = str_iov(p1);
	r = xs_talk(XS_SET_PERMS, tx, v, ARRAY_SIZE(v), NULL, 0);
	return r < 0 ? r : 0;
}

static int xs_tx_start(uint32_t *tx)
{
	struct iovec v[] = { str_iov("") };
	char id[32];
	int r = xs_talk(XS_TRANSACTION_START, 0, v, ARRAY_SIZE(v), id, sizeof(id));

	if (r < 0)
		return r;
	*tx = strtoul(id, NULL, 10);
	return 0;
}

static int xs_tx_end(uint32_t tx, int commit)
{
	struct iovec v[] = { str_iov(commit ? "T" : "F") };
	int r = xs_talk(XS_TRANSACTION_END, tx, v, ARRAY_SIZE(v), NULL, 0);

	return r < 0 ? r : 0;
}

/* DIR/KEY = printf(FMT), in TX, with perms (OWNER, READER) if OWNER >= 0. */
static int xs_printf(uint32_t tx, const char *dir, const char *key,
		     const char *fmt, ...)
{
	char path[256], val[256];
	va_list ap;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	return xs_write(tx, path, val);
}

/* Unsigned DIR/KEY; -ENOENT if absent, -EINVAL if not a number. */
static int xs_read_ulong(const char *dir, const char *key, unsigned long *v)
{
	char path[256], val[64], *end;
	int r;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	r = xs_read(0, path, val, sizeof(val));
	if (r < 0)
		return r;
	errno = 0;
	*v = strtoul(val, &end, 10);
	if (!val[0] || *end || errno || val[0] == '-')
		return -EINVAL;
	return 0;
}

/* ---- grants and the event channel -------------------------------------- */

static int gntdev_fd = -1, evtchn_fd = -1;

struct gmap {
	void *addr;
	uint64_t index;
	unsigned int count;
};

static int gnt_map(const uint32_t *refs, unsigned int count, int writable,
		   struct gmap *m)
{
	size_t sz = sizeof(struct ioctl_gntdev_map_grant_ref) +
		    count * sizeof(struct ioctl_gntdev_grant_ref);
	struct ioctl_gntdev_map_grant_ref *op = calloc(1, sz);
	int prot = PROT_READ | (writable ? PROT_WRITE : 0);
	int err = 0;

	if (!op)
		return -ENOMEM;
	op->count = count;
	for (unsigned int i = 0; i < count; i++) {
		op->refs[i].domid = cfg.domid;
		op->refs[i].ref = refs[i];
	}
	if (ioctl(gntdev_fd, IOCTL_GNTDEV_MAP_GRANT_REF, op)) {
		err = -errno;
		goto out;
	}
	m->index = op->index;
	m->count = count;
	m->addr = mmap(NULL, (size_t)count * PAGE, prot, MAP_SHARED, gntdev_fd,
		       op->index);
	if (m->addr == MAP_FAILED) {
		struct ioctl_gntdev_unmap_grant_ref u = {
			.index = op->index, .count = count,
		};

		err = -errno;
		ioctl(gntdev_fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
	}
out:
	free(op);
	return err;
}

static void gnt_unmap(struct gmap *m)
{
	struct ioctl_gntdev_unmap_grant_ref u = {
		.index = m->index, .count = m->count,
	};

	if (munmap(m->addr, (size_t)m->count * PAGE))
		logmsg("munmap of %u grant(s): %s", m->count, strerror(errno));
	if (ioctl(gntdev_fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u))
		logmsg("gntdev unmap of %u grant(s): %s", m->count,
		       strerror(errno));
	m->addr = NULL;
}

static void evtchn_notify(unsigned int port)
{
	struct ioctl_evtchn_notify n = { .port = port };

	if (ioctl(evtchn_fd, IOCTL_EVTCHN_NOTIFY, &n))
		logmsg("evtchn notify %u: %s", port, strerror(errno));
}

/* ---- the device --------------------------------------------------------- */

static char fe[96], be[128], be_parent[96];
static int be_parent_made;	/* we created backend/vbd/DOMID */
static unsigned char *disk;
static uint64_t disk_sectors;

static struct {
	int connected;
	struct gmap ring_map;
	struct blkif_sring *sring;
	unsigned int port;		/* local, bound */
	RING_IDX req_cons, rsp_prod_pvt;
	int stalled;			/* silent/close/overrun: serve nothing */
	unsigned long storm_left;	/* storm: events still to send */
	double storm_start;
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

static const char *state_name(unsigned long s)
{
	static const char *const n[] = {
		"Unknown", "Initialising", "InitWait", "Initialised",
		"Connected", "Closing", "Closed", "Reconfiguring", "Reconfigured",
	};

	return s < ARRAY_SIZE(n) ? n[s] : "invalid";
}

static int set_be_state(int s)
{
	int err = xs_printf(0, be, "state", "%d", s);

	if (err)
		logmsg("writing %s/state: %s", be, strerror(-err));
	else
		logmsg("backend state %d (%s)", s, state_name(s));
	return err;
}

/* Error text the frontend left with xenbus_dev_fatal/error, if any. */
static void log_fe_error(void)
{
	char path[256], val[512];

	snprintf(path, sizeof(path), "/local/domain/%u/error/device/vbd/%lu/error",
		 cfg.domid, cfg.vdev);
	if (xs_read(0, path, val, sizeof(val)) >= 0)
		logmsg("frontend error node: %s", val);
}

struct kv {
	const char *key;
	char val[160];
};

static void kv_add(struct kv *kv, int *n, const char *key, const char *fmt,
		   ...)
{
	va_list ap;

	kv[*n].key = key;
	va_start(ap, fmt);
	vsnprintf(kv[*n].val, sizeof(kv[*n].val), fmt, ap);
	va_end(ap);
	(*n)++;
}

/* DIR, owned by OWNER and readable by READER, with its N keys, in TX. */
static int write_dir(uint32_t tx, const char *dir, unsigned int owner,
		     unsigned int reader, const struct kv *kv, int n)
{
	char path[256];
	int err, i;

	err = xs_write(tx, dir, "");
	if (!err)
		err = xs_perms(tx, dir, owner, reader);
	/* The keys inherit the directory's permissions. */
	for (i = 0; !err && i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, kv[i].key);
		err = xs_write(tx, path, kv[i].val);
	}
	if (err)
		logmsg("writing %s%s%s: %s", dir, i ? "/" : "",
		       i ? kv[i - 1].key : "", strerror(-err));
	return err;
}

/* ro-key: the frontend's "protocol" node, dom0's and read-only for it. */
static int ro_key(uint32_t tx)
{
	char path[192];
	int err;

	snprintf(path, sizeof(path), "%s/protocol", fe);
	err = xs_write(tx, path, XEN_IO_PROTO_ABI_NATIVE);
	if (!err)
		err = xs_perms(tx, path, 0, cfg.domid);
	if (err)
		logmsg("writing %s read-only: %s", path, strerror(-err));
	return err;
}

/*
 * Create both nodes in one transaction: the frontend sees a complete
 * device, with the backend already in InitWait.  The backend's is dom0's,
 * readable by the domU; the frontend's is the domU's (it writes its state
 * and keys there), readable by dom0.
 */
static int create_nodes(void)
{
	struct kv bk[20], fk[8];
	int err, tries = 0, nb = 0, nf = 0;
	char probe[8];
	uint32_t tx;

	if (xs_read(0, fe, probe, sizeof(probe)) >= 0) {
		logmsg("%s exists already: another disk uses vdev %lu", fe,
		       cfg.vdev);
		return -EEXIST;
	}
	if (xs_read(0, be, probe, sizeof(probe)) >= 0) {
		logmsg("%s exists already", be);
		return -EEXIST;
	}
	kv_add(bk, &nb, "frontend", "%s", fe);
	kv_add(bk, &nb, "frontend-id", "%u", cfg.domid);
	kv_add(bk, &nb, "online", "1");
	kv_add(bk, &nb, "removable", "0");
	kv_add(bk, &nb, "mode", "w");
	kv_add(bk, &nb, "type", "fakeblkback");
	kv_add(bk, &nb, "feature-flush-cache", "1");
	kv_add(bk, &nb, "feature-barrier", "0");
	kv_add(bk, &nb, "feature-discard", "1");
	kv_add(bk, &nb, "discard-granularity", "%d", SECTOR);
	kv_add(bk, &nb, "discard-alignment", "0");
	kv_add(bk, &nb, "discard-secure", "0");
	kv_add(bk, &nb, "feature-persistent", "%lu", cfg.persistent);
	if (cfg.indirect)
		kv_add(bk, &nb, "feature-max-indirect-segments", "%lu",
		       cfg.indirect);
	kv_add(bk, &nb, "state", "%d", ST_INITWAIT);
	kv_add(fk, &nf, "backend", "%s", be);
	kv_add(fk, &nf, "backend-id", "0");
	kv_add(fk, &nf, "virtual-device", "%lu", cfg.vdev);
	kv_add(fk, &nf, "device-type", "disk");
	if (cfg.trusted >= 0)
		kv_add(fk, &nf, "trusted", "%ld", cfg.trusted);
	kv_add(fk, &nf, "state", "%d", ST_INITIALISING);
	static_assert(ARRAY_SIZE(bk) >= 15 && ARRAY_SIZE(fk) >= 5, "key tables");

	do {
		be_parent_made = xs_read(0, be_parent, probe,
					 sizeof(probe)) == -ENOENT;
		err = xs_tx_start(&tx);
		if (err)
			return err;
		err = write_dir(tx, be, 0, cfg.domid, bk, nb);
		if (!err)
			err = write_dir(tx, fe, cfg.domid, 0, fk, nf);
		if (!err && cfg.mode == M_RO_KEY)
			err = ro_key(tx);
		if (err) {
			xs_tx_end(tx, 0);
			return err;
		}
		err = xs_tx_end(tx, 1);
	} while (err == -EAGAIN && ++tries < 10);
	if (err)
		logmsg("committing the device nodes: %s", strerror(-err));
	return err;
}

static void remove_nodes(void)
{
	char path[128];
	int err;

	err = xs_rm(0, fe);
	if (err && err != -ENOENT)
		logmsg("removing %s: %s", fe, strerror(-err));
	err = xs_rm(0, be);
	if (err && err != -ENOENT)
		logmsg("removing %s: %s", be, strerror(-err));
	/* The frontend's error node, as a toolstack removes it. */
	snprintf(path, sizeof(path), "/local/domain/%u/error/device/vbd/%lu",
		 cfg.domid, cfg.vdev);
	err = xs_rm(0, path);
	if (err && err != -ENOENT)
		logmsg("removing %s: %s", path, strerror(-err));
	/* backend/vbd/DOMID, if we made it and it is empty now. */
	if (be_parent_made && xs_children(be_parent) == 0)
		xs_rm(0, be_parent);
}

/* Map the ring and bind the event channel the frontend published. */
static int connect_ring(void)
{
	unsigned long ref, evtchn, v;
	char proto[64], path[192];
	struct ioctl_evtchn_bind_interdomain bind;
	uint32_t ref32;
	int err, port;

	if (!xs_read_ulong(fe, "ring-page-order", &v) && v) {
		logmsg("frontend wrote ring-page-order %lu, never offered", v);
		return -EINVAL;
	}
	if (!xs_read_ulong(fe, "multi-queue-num-queues", &v) && v != 1) {
		logmsg("frontend wrote multi-queue-num-queues %lu, never offered",
		       v);
		return -EINVAL;
	}
	err = xs_read_ulong(fe, "ring-ref", &ref);
	if (!err)
		err = xs_read_ulong(fe, "event-channel", &evtchn);
	if (err || ref > UINT32_MAX || evtchn > UINT32_MAX) {
		logmsg("frontend ring-ref/event-channel missing or invalid (%s)",
		       err ? strerror(-err) : "out of range");
		return err ? err : -EINVAL;
	}
	snprintf(path, sizeof(path), "%s/protocol", fe);
	err = xs_read(0, path, proto, sizeof(proto));
	if (err >= 0 && strcmp(proto, XEN_IO_PROTO_ABI_NATIVE)) {
		logmsg("frontend protocol \"%s\", only \"%s\" served", proto,
		       XEN_IO_PROTO_ABI_NATIVE);
		return -EINVAL;
	}
	ref32 = ref;
	err = gnt_map(&ref32, 1, 1, &ring.ring_map);
	if (err) {
		logmsg("mapping ring-ref %lu: %s", ref, strerror(-err));
		return err;
	}
	ring.sring = ring.ring_map.addr;
	bind.remote_domain = cfg.domid;
	bind.remote_port = evtchn;
	port = ioctl(evtchn_fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind);
	if (port < 0) {
		err = -errno;
		logmsg("binding event channel %lu: %s", evtchn, strerror(errno));
		gnt_unmap(&ring.ring_map);
		ring.sring = NULL;
		return err;
	}
	ring.port = port;
	/* The frontend initialised the ring; start where it is. */
	ring.req_cons = __atomic_load_n(&ring.sring->rsp_prod, __ATOMIC_ACQUIRE);
	ring.rsp_prod_pvt = ring.req_cons;
	ring.connected = 1;
	logmsg("ring-ref %lu mapped, event channel %lu bound to port %d, protocol %s",
	       ref, evtchn, port, err >= 0 ? proto : "(none)");
	return 0;
}

static void disconnect_ring(void)
{
	struct ioctl_evtchn_unbind u = { .port = ring.port };

	if (!ring.connected)
		return;
	if (ioctl(evtchn_fd, IOCTL_EVTCHN_UNBIND, &u))
		logmsg("unbinding port %u: %s", ring.port, strerror(errno));
	gnt_unmap(&ring.ring_map);
	ring.sring = NULL;
	ring.connected = 0;
	logmsg("ring unmapped, event channel unbound");
}

/* Publish the disk's geometry (the lies of bad-sectors too), go Connected. */
static int publish_disk(void)
{
	char ss[32], sec[32];
	int err;

	snprintf(ss, sizeof(ss), "%d", SECTOR);
	snprintf(sec, sizeof(sec), "%llu", (unsigned long long)disk_sectors);
	if (cfg.mode == M_BAD_SECTORS && !cfg.ssize && !cfg.sectors)
		cfg.ssize = "3";
	if (cfg.ssize)
		snprintf(ss, sizeof(ss), "%s", cfg.ssize);
	if (cfg.sectors)
		snprintf(sec, sizeof(sec), "%s", cfg.sectors);
	err = xs_printf(0, be, "sectors", "%s", sec);
	if (!err)
		err = xs_printf(0, be, "info", "%lu", cfg.info);
	if (!err)
		err = xs_printf(0, be, "sector-size", "%s", ss);
	if (!err)
		err = xs_printf(0, be, "physical-sector-size", "%s", ss);
	if (err) {
		logmsg("publishing the disk: %s", strerror(-err));
		return err;
	}
	if (cfg.mode == M_BAD_SECTORS) {
		st.faults++;
		logmsg("FAULT bad-sectors: published sectors=%s sector-size=%s",
		       sec, ss);
	} else {
		logmsg("disk: %s sectors of %s bytes", sec, ss);
	}
	return set_be_state(ST_CONNECTED);
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
	logmsg("request error: %s", msg);
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

	if (cfg.mode == M_GOOD || cfg.mode == M_BAD_SECTORS ||
	    cfg.mode == M_CLOSE_BAD || cfg.mode == M_RO_KEY || st.faults)
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
		st.faults++;
		logmsg("FAULT dup-id: request id %llu (%s) answered with id %llu (%s) again",
		       ULL(r->id), op_name(rop), ULL(ring.dup_id),
		       op_name(ring.dup_op));
		put_response(ring.dup_id, ring.dup_op, BLKIF_RSP_OKAY);
		return;
	}
	if (is_trigger(r, nsect)) {
		switch (cfg.mode) {
		case M_SILENT:
			st.faults++;
			ring.stalled = 1;
			logmsg("FAULT silent: request id %llu (%s sector %llu) on: no answer",
			       ULL(r->id), op_name(rop), ULL(r->sector_number));
			return;
		case M_CLOSE:
			st.faults++;
			ring.stalled = 1;
			logmsg("FAULT close: request id %llu (%s sector %llu) in flight; Closing",
			       ULL(r->id), op_name(rop), ULL(r->sector_number));
			set_be_state(ST_CLOSING);
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
	st.faults++;
	switch (cfg.mode) {
	case M_BAD_ID: {
		uint64_t id = cfg.badid >= 0 ? (uint64_t)cfg.badid : BLK_SLOTS;

		logmsg("FAULT bad-id: request id %llu (%s sector %llu) answered with id %llu",
		       ULL(r->id), op_name(rop), ULL(r->sector_number), ULL(id));
		put_response(id, rop, status);
		break;
	}
	case M_DUP_ID:
		/* Counted when the second answer goes out. */
		st.faults--;
		ring.fault_armed_dup = 1;
		ring.dup_id = r->id;
		ring.dup_op = rop;
		logmsg("dup-id: request id %llu (%s sector %llu) answered; the next gets its id",
		       ULL(r->id), op_name(rop), ULL(r->sector_number));
		put_response(r->id, rop, status);
		break;
	case M_BAD_OP:
		logmsg("FAULT bad-op: request id %llu (%s) answered with operation %u (%s)",
		       ULL(r->id), op_name(rop), rop ^ 1, op_name(rop ^ 1));
		put_response(r->id, rop ^ 1, status);
		break;
	case M_STORM:
		put_response(r->id, rop, status);
		ring.storm_left = cfg.storm;
		ring.storm_start = now();
		logmsg("FAULT storm: request id %llu (%s sector %llu) answered; %lu empty events",
		       ULL(r->id), op_name(rop), ULL(r->sector_number), cfg.storm);
		break;
	case M_BAD_STATUS:
		logmsg("FAULT bad-status: request id %llu (%s) answered with status 7",
		       ULL(r->id), op_name(rop));
		put_response(r->id, rop, 7);
		break;
	case M_RSP_OVERRUN:
		put_response(r->id, rop, status);
		logmsg("FAULT rsp-overrun: request id %llu (%s) answered, rsp_prod %u + %lu",
		       ULL(r->id), op_name(rop), ring.rsp_prod_pvt, cfg.overrun);
		ring.rsp_prod_pvt += cfg.overrun;
		ring.stalled = 1;
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

	if (!ring.connected || ring.stalled)
		return;
	for (;;) {
		rp = __atomic_load_n(&s->req_prod, __ATOMIC_ACQUIRE);
		if (rp - ring.req_cons > BLK_SLOTS) {
			logmsg("frontend req_prod %u is %u ahead of us (ring of %d): stopped",
			       rp, rp - ring.req_cons, BLK_SLOTS);
			ring.stalled = 1;
			break;
		}
		while (ring.req_cons != rp && !ring.stalled) {
			struct blkif_request r;

			memcpy(&r, (const void *)&s->ring[ring.req_cons &
						     (BLK_SLOTS - 1)].req,
			       sizeof(r));
			ring.req_cons++;
			handle_request(&r);
		}
		push_responses();
		if (ring.stalled || !ring.connected)
			break;
		__atomic_store_n(&s->req_event, ring.req_cons + 1,
				 __ATOMIC_RELEASE);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (__atomic_load_n(&s->req_prod, __ATOMIC_ACQUIRE) == ring.req_cons)
			break;
	}
}

/* Mode storm: the next batch of events, none with a response behind it. */
static void storm_step(void)
{
	unsigned int n = ring.storm_left < 1000 ? ring.storm_left : 1000;

	if (!ring.storm_left || !ring.connected)
		return;
	for (unsigned int i = 0; i < n; i++)
		evtchn_notify(ring.port);
	st.storm += n;
	ring.storm_left -= n;
	if (!ring.storm_left)
		logmsg("storm done: %lu events in %.1f s", st.storm,
		       now() - ring.storm_start);
}

/*
 * close-bad: the frontend is Closed; say Closed too, then, while it
 * tears the device down, answer with an id that was never sent.
 */
static void late_bad_response(void)
{
	uint64_t id = cfg.badid >= 0 ? (uint64_t)cfg.badid : BLK_SLOTS;

	set_be_state(ST_CLOSED);
	if (!ring.connected)
		return;
	usleep(cfg.delay_ms * 1000);
	put_response(id, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	push_responses();
	st.faults++;
	logmsg("FAULT close-bad: %lu ms after Closed, a response with id %llu",
	       cfg.delay_ms, ULL(id));
}

/* ---- main loop ---------------------------------------------------------- */

static int stop_signal;		/* __atomic: set by the handler */

static void on_signal(int sig)
{
	__atomic_store_n(&stop_signal, sig, __ATOMIC_RELAXED);
}

/* Wait for the events pending on the event channel (up to MS), unmask. */
static void wait_event(int ms)
{
	struct pollfd p = { .fd = evtchn_fd, .events = POLLIN };
	uint32_t ports[16];
	ssize_t n;

	if (poll(&p, 1, ms) <= 0)
		return;
	n = read(evtchn_fd, ports, sizeof(ports));
	if (n > 0 && write(evtchn_fd, ports, n) != n)
		logmsg("unmasking event channel: %s", strerror(errno));
}

/*
 * Serve until the frontend is gone or Closed.  Returns the end reason;
 * *RC is set on errors and timeouts.  When we close first (signal,
 * timeout, failed connect), the frontend has 5 s to follow.
 */
static const char *run(int *rc)
{
	long lifetime = cfg.timeout > 0 ? cfg.timeout : 600;
	double deadline = now() + lifetime, closing_since = 0, next_check = 0;
	const char *reason = NULL;	/* why we are closing */
	unsigned long fs, last_fs = ~0UL, last_logged_fs = ~0UL;
	int be_closing = 0, err;

	for (;;) {
		if (!reason && __atomic_load_n(&stop_signal, __ATOMIC_RELAXED)) {
			logmsg("signal %d: closing", stop_signal);
			reason = "signal";
		}
		if (!reason && now() > deadline) {
			logmsg("timeout (%lds): closing", lifetime);
			reason = "timeout";
			*rc = 2;
		}
		if (reason && !closing_since) {
			closing_since = now();
			disconnect_ring();
			set_be_state(ST_CLOSING);
			be_closing = 1;
		}
		if (closing_since && now() > closing_since + 5) {
			logmsg("frontend did not close within 5s");
			return reason;
		}

		wait_event(ring.storm_left && ring.connected ? 0 : 50);
		serve_ring();
		storm_step();
		if (now() < next_check)
			continue;
		next_check = now() + 0.1;

		err = xs_read_ulong(fe, "state", &fs);
		if (err == -ENOENT) {
			logmsg("frontend node gone");
			return reason ? reason : "frontend-gone";
		}
		if (err) {
			logmsg("reading frontend state: %s", strerror(-err));
			*rc = 1;
			return "xenstore-error";
		}
		if (fs != last_fs)
			logmsg("frontend state %lu (%s)", fs, state_name(fs));
		last_fs = fs;
		switch (fs) {
		case ST_INITIALISED:
		case ST_CONNECTED:
			if (ring.connected || be_closing || ring.stalled)
				break;
			if (connect_ring() || publish_disk()) {
				*rc = 1;
				log_fe_error();
				reason = "connect-failed";
			}
			break;
		case ST_CLOSING:
			if (!cfg.follow && !be_closing) {
				/* Stay: the test reads what the frontend did. */
				if (fs != last_logged_fs)
					log_fe_error();
				last_logged_fs = fs;
				break;
			}
			if (!be_closing) {
				log_fe_error();
				if (cfg.mode != M_CLOSE_BAD)
					disconnect_ring();
				set_be_state(ST_CLOSING);
				be_closing = 1;
			}
			break;
		case ST_CLOSED:
			log_fe_error();
			if (cfg.mode == M_CLOSE_BAD)
				late_bad_response();
			disconnect_ring();
			return reason ? reason : "frontend-closed";
		default:
			break;
		}
	}
}

static int parse_ulong(const char *s, unsigned long *v)
{
	char *end;

	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 19)
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return errno ? -1 : 0;
}

static int parse_mode(const char *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(mode_names); i++)
		if (!strcmp(s, mode_names[i]))
			return i;
	return -1;
}

/* KEY:VALUE (or KEY=VALUE) settings; every value is a decimal number. */
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
	else if (!strcmp(key, "timeout") && v > 0 && v <= 86400)
		cfg.timeout = v;
	else if (!strcmp(key, "info") && v <= 0xffff)
		cfg.info = v;
	else if (!strcmp(key, "trusted") && v <= 1)
		cfg.trusted = v;
	else if (!strcmp(key, "storm") && v > 0 && v <= 100000000)
		cfg.storm = v;
	else if (!strcmp(key, "persistent") && v <= 1)
		cfg.persistent = v;
	else if (!strcmp(key, "delay") && v <= 60000)
		cfg.delay_ms = v;
	else if (!strcmp(key, "follow") && v <= 1)
		cfg.follow = v;
	else
		return -1;
	return 0;
}

static int parse_keys(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		char *eq = strpbrk(argv[i], ":=");
		unsigned long v;
		char sep = 0;
		int err = -1;

		if (eq && !parse_ulong(eq + 1, &v)) {
			sep = *eq;
			*eq = 0;
			err = set_key(argv[i], eq + 1, v);
			*eq = sep;
		}
		if (err) {
			fprintf(stderr, "fakeblkback: bad setting \"%s\"\n", argv[i]);
			return -1;
		}
	}
	return 0;
}

/* Open the devices, make the disk, create the nodes. */
static int setup(void)
{
	int err;

	snprintf(fe, sizeof(fe), "/local/domain/%u/device/vbd/%lu", cfg.domid,
		 cfg.vdev);
	snprintf(be_parent, sizeof(be_parent), "/local/domain/0/backend/vbd/%u",
		 cfg.domid);
	snprintf(be, sizeof(be), "%s/%lu", be_parent, cfg.vdev);
	disk_sectors = (uint64_t)cfg.mib << 11;
	disk = calloc(disk_sectors, SECTOR);
	if (!disk) {
		logmsg("no memory for a %lu MiB disk", cfg.mib);
		return -ENOMEM;
	}
	xs_fd = open("/dev/xen/xenbus", O_RDWR | O_CLOEXEC);
	gntdev_fd = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);
	evtchn_fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
	if (xs_fd < 0 || gntdev_fd < 0 || evtchn_fd < 0) {
		logmsg("opening /dev/xen/{xenbus,gntdev,evtchn}: %s",
		       strerror(errno));
		return -ENODEV;
	}
	err = create_nodes();
	if (err)
		return err;
	if (cfg.mode == M_RO_KEY) {
		st.faults++;
		logmsg("FAULT ro-key: %s/protocol is dom0's, read-only for the frontend",
		       fe);
	}
	logmsg("domid %u vdev %lu mode %s: %llu sectors, %s; waiting for the frontend",
	       cfg.domid, cfg.vdev, mode_names[cfg.mode], ULL(disk_sectors),
	       cfg.indirect ? "indirect segments offered" : "no indirect");
	return 0;
}

/* After setup(): serve, clean up, summary.  Returns the exit status. */
static int serve_and_finish(const char *sumfile)
{
	struct sigaction sa = { .sa_handler = on_signal };
	const char *end;
	char line[400];
	int rc = 0, n;

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	end = run(&rc);
	disconnect_ring();
	if (strcmp(end, "frontend-gone"))
		set_be_state(ST_CLOSED);
	remove_nodes();
	n = snprintf(line, sizeof(line),
		     "summary domid=%u vdev=%lu mode=%s requests=%lu read=%lu write=%lu ",
		     cfg.domid, cfg.vdev, mode_names[cfg.mode], st.requests,
		     st.read, st.write);
	snprintf(line + n, sizeof(line) - n,
		 "flush=%lu discard=%lu indirect=%lu errors=%lu faults=%lu storm=%lu end=%s rc=%d",
		 st.flush, st.discard, st.indirect, st.errors, st.faults,
		 st.storm, end, rc);
	logmsg("%s", line);
	if (sumfile) {
		char tmp[300];
		FILE *f;

		snprintf(tmp, sizeof(tmp), "%s.tmp", sumfile);
		f = fopen(tmp, "w");
		if (f) {
			fprintf(f, "fakeblkback: %s\n", line);
			if (fclose(f) == 0)
				rename(tmp, sumfile);
		}
	}
	return rc;
}

/* ---- the agent's interface ---------------------------------------- */

static char pidfile[200], logfile[200], sumfile[200];

static int print_summary(void)
{
	char line[512];
	FILE *f = fopen(sumfile, "r");
	const char *p;

	if (!f || !fgets(line, sizeof(line), f)) {
		if (f)
			fclose(f);
		printf("fakeblkback: no summary in %s\n", sumfile);
		return 1;
	}
	fclose(f);
	fputs(line, stdout);
	p = strstr(line, " rc=");
	return p ? atoi(p + 4) : 1;
}

static int wait_summary(double secs)
{
	double until = now() + secs;
	struct stat sb;

	while (stat(sumfile, &sb)) {
		if (now() > until)
			return -1;
		usleep(100000);
	}
	return 0;
}

static long read_pid(void)
{
	char buf[32] = "";
	FILE *f = fopen(pidfile, "r");

	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return atol(buf) > 0 ? atol(buf) : -1;
}

static int do_start(void)
{
	int pfd[2], fd;
	char msg[256];
	ssize_t n;
	pid_t pid;
	long old = read_pid();
	struct stat sb;

	if (old > 0 && stat(sumfile, &sb) && kill(old, 0) == 0) {
		printf("fakeblkback: pid %ld already serves domid %u vdev %lu\n",
		       old, cfg.domid, cfg.vdev);
		return 1;
	}
	unlink(sumfile);
	unlink(pidfile);
	if (pipe(pfd))
		return 1;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid) {
		/* The first child forks the daemon and exits at once. */
		close(pfd[1]);
		waitpid(pid, NULL, 0);
		n = read(pfd[0], msg, sizeof(msg) - 1);
		msg[n > 0 ? n : 0] = 0;
		if (strncmp(msg, "OK", 2)) {
			printf("fakeblkback: failed to start: %s\n",
			       n > 0 ? msg : "(no word from it)");
			return 1;
		}
		printf("fakeblkback: started pid %s domid %u vdev %lu mode %s, log %s\n",
		       msg + 3, cfg.domid, cfg.vdev, mode_names[cfg.mode],
		       logfile);
		return 0;
	}
	close(pfd[0]);
	setsid();
	if (fork())
		_exit(0);
	/* The daemon: nothing of the caller's stays open. */
	fd = open("/dev/null", O_RDWR);
	dup2(fd, STDIN_FILENO);
	fd = open(logfile, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
	if (fd < 0)
		fd = open("/dev/null", O_WRONLY);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
	if (setup()) {
		snprintf(msg, sizeof(msg), "setup failed, see %s", logfile);
		if (write(pfd[1], msg, strlen(msg)) < 0)
			_exit(1);
		_exit(1);
	}
	fd = open(pidfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		n = snprintf(msg, sizeof(msg), "%d\n", (int)getpid());
		if (write(fd, msg, n) != n)
			logmsg("writing %s failed", pidfile);
		close(fd);
	}
	n = snprintf(msg, sizeof(msg), "OK %d", (int)getpid());
	if (write(pfd[1], msg, n) != n)
		logmsg("could not tell the caller we started");
	close(pfd[1]);
	n = serve_and_finish(sumfile);
	unlink(pidfile);
	_exit(n);
}

static int do_log(void)
{
	char buf[3001];
	int fd = open(logfile, O_RDONLY);
	off_t size;
	ssize_t n;

	if (fd < 0) {
		printf("fakeblkback: no log %s\n", logfile);
		return 1;
	}
	size = lseek(fd, 0, SEEK_END);
	lseek(fd, size > 3000 ? size - 3000 : 0, SEEK_SET);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n > 0)
		fwrite(buf, 1, n, stdout);
	return 0;
}

static int do_word(const char *word)
{
	long pid;

	mkdir(RUN_DIR, 0755);
	snprintf(pidfile, sizeof(pidfile), RUN_DIR "/%u-%lu.pid", cfg.domid,
		 cfg.vdev);
	snprintf(logfile, sizeof(logfile), RUN_DIR "/%u-%lu.log", cfg.domid,
		 cfg.vdev);
	snprintf(sumfile, sizeof(sumfile), RUN_DIR "/%u-%lu.sum", cfg.domid,
		 cfg.vdev);
	if (!strcmp(word, "wait")) {
		if (wait_summary(cfg.timeout > 0 ? cfg.timeout : 30)) {
			printf("fakeblkback: domid %u vdev %lu still running\n",
			       cfg.domid, cfg.vdev);
			return 2;
		}
		return print_summary();
	}
	if (!strcmp(word, "stop")) {
		struct stat sb;

		if (stat(sumfile, &sb)) {
			pid = read_pid();
			if (pid <= 0 || kill(pid, SIGTERM)) {
				printf("fakeblkback: no instance for domid %u vdev %lu\n",
				       cfg.domid, cfg.vdev);
				return 1;
			}
			if (wait_summary(cfg.timeout > 0 ? cfg.timeout : 20)) {
				printf("fakeblkback: pid %ld did not stop\n", pid);
				return 2;
			}
		}
		return print_summary();
	}
	if (!strcmp(word, "log"))
		return do_log();
	return do_start();
}

static void print_help(void)
{
	fprintf(stderr,
		"usage: fakeblkback DOMID {MODE|stop|wait|log} [KEY:VALUE...]\n"
		"       fakeblkback -f DOMID MODE [KEY:VALUE...]   (foreground)\n"
		"MODE: good bad-id dup-id bad-op bad-status rsp-overrun\n"
		"      bad-sectors close silent storm close-bad ro-key\n"
		"KEY: vdev mib trap after indirect badid overrun ssize sectors timeout\n"
		"     info trusted storm persistent delay follow\n");
	exit(1);
}

int main(int argc, char **argv)
{
	int fg = argc > 1 && !strcmp(argv[1], "-f");
	unsigned long domid;
	int m = -1;

	if (fg) {
		argv++;
		argc--;
	}
	if (argc < 3 || parse_ulong(argv[1], &domid) || !domid ||
	    domid >= 0x7ff0)
		print_help();
	cfg.domid = domid;
	if (!fg && (!strcmp(argv[2], "stop") || !strcmp(argv[2], "wait") ||
		    !strcmp(argv[2], "log")))
		m = M_GOOD;
	else
		m = parse_mode(argv[2]);
	if (m < 0)
		print_help();
	cfg.mode = m;
	if (parse_keys(argc - 3, argv + 3))
		return 1;
	if (cfg.follow < 0)
		cfg.follow = cfg.mode != M_RO_KEY;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!fg)
		return do_word(argv[2]);
	if (setup())
		return 1;	/* nodes are made in one transaction: none left */
	return serve_and_finish(NULL);
}
