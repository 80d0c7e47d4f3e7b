// SPDX-License-Identifier: GPL-2.0-only
/*
 * xsflood: a backend that floods a domU's watch (tests/guest/core-xswatch.sh,
 * through the dom0 agent's "xs-flood" action in tests/harness/dom0-init).
 *
 *   xsflood DOMID NODE N [distinct]
 *
 * Writes /local/domain/DOMID/data/NODE N times, the values 1 to N in
 * order, so the last value is N; with "distinct", writes N different
 * nodes /local/domain/DOMID/data/NODE/<i> = i instead.  It talks to
 * xenstored on its socket (/var/run/xenstored/socket), or through
 * /dev/xen/xenbus when there is none; up to WINDOW requests are in flight
 * at once (xenstored answers them in order).  Prints what it did and how
 * long it took; exits 0 only if every write succeeded.  Every tenth of the
 * way it writes how far it got and when to /dev/console (dom0's, so the
 * run's console log shows the flood's pace even if it never ends).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <xen/io/xs_wire.h>

#define WINDOW	64
#define XS_SOCKET	"/var/run/xenstored/socket"

static int fd;
static const char *via;

/* xenstored's socket if it listens, else the xenbus device. */
static int xs_open(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = XS_SOCKET };

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && !connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		via = "socket";
		return 0;
	}
	if (fd >= 0)
		close(fd);
	via = "/dev/xen/xenbus";
	fd = open(via, O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : 0;
}

/* Read or write exactly LEN bytes. */
static int xfer(void *buf, size_t len, int out)
{
	char *p = buf;

	while (len) {
		ssize_t r = out ? write(fd, p, len) : read(fd, p, len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : -EPIPE;
		p += r;
		len -= r;
	}
	return 0;
}

static int send_write(uint32_t id, const char *path, const char *val)
{
	char buf[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
	size_t pl = strlen(path) + 1, vl = strlen(val);
	struct xsd_sockmsg h = {
		.type = XS_WRITE, .req_id = id, .len = pl + vl,
	};

	if (pl + vl > XENSTORE_PAYLOAD_MAX)
		return -E2BIG;
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), path, pl);
	memcpy(buf + sizeof(h) + pl, val, vl);
	/* The device takes one whole message per write. */
	return xfer(buf, sizeof(h) + pl + vl, 1);
}

/* One reply; -EIO for an error reply or one of another type. */
static int recv_reply(void)
{
	char buf[XENSTORE_PAYLOAD_MAX + 1];
	struct xsd_sockmsg h;
	int r;

	for (;;) {
		r = xfer(&h, sizeof(h), 0);
		if (r)
			return r;
		if (h.len > XENSTORE_PAYLOAD_MAX)
			return -EPROTO;
		r = xfer(buf, h.len, 0);
		if (r)
			return r;
		buf[h.len] = '\0';
		if (h.type == XS_WATCH_EVENT)
			continue;
		if (h.type != XS_WRITE) {
			fprintf(stderr, "xsflood: reply type %u: %s\n", h.type,
				buf);
			return -EIO;
		}
		return 0;
	}
}

static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

static const char node_chars[] = "abcdefghijklmnopqrstuvwxyz0123456789-_";

int main(int argc, char **argv)
{
	unsigned long domid, n, i, sent = 0, done = 0;
	struct timespec t0;
	char path[256], val[24];
	int distinct, con, r = 0;
	double s;

	if (argc < 4 || argc > 5 ||
	    (argc == 5 && strcmp(argv[4], "distinct"))) {
		fprintf(stderr, "usage: xsflood DOMID NODE N [distinct]\n");
		return 2;
	}
	domid = strtoul(argv[1], NULL, 10);
	n = strtoul(argv[3], NULL, 10);
	distinct = argc == 5;
	if (!domid || domid > 0x7fef || !n || n > 10000000 || !*argv[2] ||
	    strlen(argv[2]) > 64 ||
	    strspn(argv[2], node_chars) != strlen(argv[2])) {
		fprintf(stderr, "xsflood: bad arguments\n");
		return 2;
	}
	r = xs_open();
	if (r) {
		fprintf(stderr, "xsflood: no xenstore: %s\n", strerror(-r));
		return 1;
	}
	con = open("/dev/console", O_WRONLY | O_CLOEXEC | O_NOCTTY);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (done < n && !r) {
		while (sent < n && sent - done < WINDOW && !r) {
			i = sent + 1;
			if (distinct)
				snprintf(path, sizeof(path),
					 "/local/domain/%lu/data/%s/%lu", domid,
					 argv[2], i);
			else
				snprintf(path, sizeof(path),
					 "/local/domain/%lu/data/%s", domid,
					 argv[2]);
			snprintf(val, sizeof(val), "%lu", i);
			r = send_write(sent + 1, path, val);
			sent++;
		}
		if (!r)
			r = recv_reply();
		done++;
		if (con >= 0 && n >= 1000 && done % (n / 10) == 0)
			dprintf(con, "xsflood: %lu of %lu written, %.1f s\n",
				done, n, since(&t0));
	}
	s = since(&t0);
	if (con >= 0)
		close(con);
	if (r) {
		fprintf(stderr, "xsflood: write %lu failed: %s\n", done,
			strerror(-r));
		return 1;
	}
	printf("wrote %s%s %lu times in %.1f s (%.0f/s, %s), last value %lu\n",
	       argv[2], distinct ? "/<i>" : "", n, s, s > 0 ? n / s : 0.0, via,
	       n);
	return 0;
}
