// SPDX-License-Identifier: GPL-2.0-only
/*
 * fakeback-io: how the test backends reach Xen from dom0: xenstore
 * through /dev/xen/xenbus (xs_wire.h messages), grants through
 * /dev/xen/gntdev, event channels through /dev/xen/evtchn.  The rest of
 * the skeleton is fakeback.c (tests/tools/fakeback.h says what it does).
 *
 * Xen's public headers come from libxen-dev (built with -idirafter
 * /usr/include; the Makefile's TOOL_CFLAGS).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <xen/xen.h>
#include <xen/io/xs_wire.h>
#include <xen/sys/evtchn.h>
#include <xen/sys/gntdev.h>

#include "fakeback.h"

/* ---- time and I/O --------------------------------------------------- */

double fb_now(void)
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

int xs_read(uint32_t tx, const char *path, char *val, size_t cap)
{
	struct iovec v[] = { str_iov(path) };

	return xs_talk(XS_READ, tx, v, ARRAY_SIZE(v), val, cap);
}

int xs_write(uint32_t tx, const char *path, const char *val)
{
	struct iovec v[] = {
		str_iov(path), { .iov_base = (void *)val, .iov_len = strlen(val) },
	};
	int r = xs_talk(XS_WRITE, tx, v, ARRAY_SIZE(v), NULL, 0);

	return r < 0 ? r : 0;
}

int xs_rm(uint32_t tx, const char *path)
{
	struct iovec v[] = { str_iov(path) };
	int r = xs_talk(XS_RM, tx, v, ARRAY_SIZE(v), NULL, 0);

	return r < 0 ? r : 0;
}

/* Children of PATH: 0 if none, > 0 if some, -errno. */
int xs_children(const char *path)
{
	struct iovec v[] = { str_iov(path) };
	char buf[8];

	return xs_talk(XS_DIRECTORY, 0, v, ARRAY_SIZE(v), buf, sizeof(buf));
}

/* Owner OWNER (no access for others), read access for READER. */
int xs_perms(uint32_t tx, const char *path, unsigned int owner,
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

int xs_tx_start(uint32_t *tx)
{
	struct iovec v[] = { str_iov("") };
	char id[32];
	int r = xs_talk(XS_TRANSACTION_START, 0, v, ARRAY_SIZE(v), id, sizeof(id));

	if (r < 0)
		return r;
	*tx = strtoul(id, NULL, 10);
	return 0;
}

int xs_tx_end(uint32_t tx, int commit)
{
	struct iovec v[] = { str_iov(commit ? "T" : "F") };
	int r = xs_talk(XS_TRANSACTION_END, tx, v, ARRAY_SIZE(v), NULL, 0);

	return r < 0 ? r : 0;
}

/* DIR/KEY = printf(FMT), in TX, with perms (OWNER, READER) if OWNER >= 0. */
int xs_printf(uint32_t tx, const char *dir, const char *key,
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
int xs_read_ulong(const char *dir, const char *key, unsigned long *v)
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

/* ---- grants and event channels ------------------------------------------ */

static int gntdev_fd = -1, evtchn_fd = -1;

/**
 * fb_io_open() - Open /dev/xen/{xenbus,gntdev,evtchn}.
 *
 * Return: 0 or -errno (said in the log).
 */
int fb_io_open(void)
{
	xs_fd = open("/dev/xen/xenbus", O_RDWR | O_CLOEXEC);
	gntdev_fd = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);
	evtchn_fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
	if (xs_fd < 0 || gntdev_fd < 0 || evtchn_fd < 0) {
		fb_log("opening /dev/xen/{xenbus,gntdev,evtchn}: %s",
		       strerror(errno));
		return -ENODEV;
	}
	return 0;
}

/* Wait for the events pending on our event channels (up to MS), unmask. */
void fb_wait_event(int ms)
{
	struct pollfd p = { .fd = evtchn_fd, .events = POLLIN };
	uint32_t ports[16];
	ssize_t n;

	if (poll(&p, 1, ms) <= 0)
		return;
	n = read(evtchn_fd, ports, sizeof(ports));
	if (n > 0 && write(evtchn_fd, ports, n) != n)
		fb_log("unmasking event channel: %s", strerror(errno));
}

int gnt_map(const uint32_t *refs, unsigned int count, int writable,
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
		op->refs[i].domid = fb.domid;
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

void gnt_unmap(struct gmap *m)
{
	struct ioctl_gntdev_unmap_grant_ref u = {
		.index = m->index, .count = m->count,
	};

	if (munmap(m->addr, (size_t)m->count * PAGE))
		fb_log("munmap of %u grant(s): %s", m->count, strerror(errno));
	if (ioctl(gntdev_fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u))
		fb_log("gntdev unmap of %u grant(s): %s", m->count,
		       strerror(errno));
	m->addr = NULL;
}

/* Bind REMOTE_PORT of the domU; our port, or -errno. */
int evtchn_bind(unsigned long remote_port)
{
	struct ioctl_evtchn_bind_interdomain bind = {
		.remote_domain = fb.domid, .remote_port = remote_port,
	};
	int port = ioctl(evtchn_fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind);

	return port < 0 ? -errno : port;
}

void evtchn_unbind(unsigned int port)
{
	struct ioctl_evtchn_unbind u = { .port = port };

	if (ioctl(evtchn_fd, IOCTL_EVTCHN_UNBIND, &u))
		fb_log("unbinding port %u: %s", port, strerror(errno));
}

void evtchn_notify(unsigned int port)
{
	struct ioctl_evtchn_notify n = { .port = port };

	if (ioctl(evtchn_fd, IOCTL_EVTCHN_NOTIFY, &n))
		fb_log("evtchn notify %u: %s", port, strerror(errno));
}

