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
 * at once (xenstored answers them in order).
 *
 * The device allows one request in flight per open file: Linux's xenbus
 * queues a request with a pointer into the file's message buffer, and
 * the next write() to that file overwrites it before the request may
 * have reached the ring (it is then sent with the next one's payload).
 * So through the device each request goes on its own file, WINDOW of
 * them taken in turn, and a file's next request waits for its reply.
 *
 * Prints what it did and how long it took, with the last node's value
 * read back; exits 0 only if every write succeeded and the store holds
 * what was written (the last value, and N nodes with "distinct").  Every
 * tenth of the way it writes how far it got and when to /dev/console
 * (dom0's, so the run's console log shows the flood's pace even if it
 * never ends).
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

static int fds[WINDOW];
static unsigned int nfds;
static const char *via;

/* xenstored's socket if it listens, else the xenbus device. */
static int xs_open(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = XS_SOCKET };

	fds[0] = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fds[0] >= 0 && !connect(fds[0], (struct sockaddr *)&a, sizeof(a))) {
		via = "socket";
		nfds = 1;
		return 0;
	}
	if (fds[0] >= 0)
		close(fds[0]);
	via = "/dev/xen/xenbus";
	for (nfds = 0; nfds < WINDOW; nfds++) {
		fds[nfds] = open(via, O_RDWR | O_CLOEXEC);
		if (fds[nfds] < 0)
			return -errno;
	}
	return 0;
}

/* Read or write exactly LEN bytes on FD. */
static int xfer(int fd, void *buf, size_t len, int out)
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

/* Request TYPE on FD: PATH with its NUL, then VAL without (if any). */
static int send_req(int fd, uint32_t type, uint32_t id, const char *path,
		    const char *val)
{
	char buf[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
	size_t pl = strlen(path) + 1, vl = val ? strlen(val) : 0;
	struct xsd_sockmsg h = {
		.type = type, .req_id = id, .len = pl + vl,
	};

	if (pl + vl > XENSTORE_PAYLOAD_MAX)
		return -E2BIG;
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), path, pl);
	memcpy(buf + sizeof(h) + pl, val, vl);
	/* The device takes one whole message per write. */
	return xfer(fd, buf, sizeof(h) + pl + vl, 1);
}

/*
 * One reply to a request of TYPE on FD into BUF (XENSTORE_PAYLOAD_MAX + 1
 * bytes, NUL-terminated), its length in *LEN; -EIO for an error reply or
 * one of another type.
 */
static int recv_reply(int fd, uint32_t type, char *buf, uint32_t *len)
{
	struct xsd_sockmsg h;
	int r;

	for (;;) {
		r = xfer(fd, &h, sizeof(h), 0);
		if (r)
			return r;
		if (h.len > XENSTORE_PAYLOAD_MAX)
			return -EPROTO;
		r = xfer(fd, buf, h.len, 0);
		if (r)
			return r;
		buf[h.len] = '\0';
		if (h.type == XS_WATCH_EVENT)
			continue;
		if (h.type != type) {
			fprintf(stderr, "xsflood: reply type %u: %s\n", h.type,
				buf);
			return -EIO;
		}
		*len = h.len;
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

/* Listings up to this many nodes fit one reply: they are counted. */
#define LIST_MAX	500

/* Write the path of the I-th node: .../data/NODE, or .../data/NODE/I. */
static void node_path(char *path, size_t size, unsigned long domid,
		      const char *node, int distinct, unsigned long i)
{
	if (distinct)
		snprintf(path, size, "/local/domain/%lu/data/%s/%lu", domid,
			 node, i);
	else
		snprintf(path, size, "/local/domain/%lu/data/%s", domid, node);
}

/* Send request TYPE for PATH on the first file and take its reply. */
static int ask(uint32_t type, const char *path, char *buf, uint32_t *len)
{
	int r = send_req(fds[0], type, 0, path, NULL);

	return r ? r : recv_reply(fds[0], type, buf, len);
}

/*
 * What the store holds after the flood: the last node's value must be N,
 * and with "distinct" (up to LIST_MAX nodes) N nodes are listed under
 * NODE.
 */
static int verify(unsigned long domid, const char *node, int distinct,
		  unsigned long n)
{
	char buf[XENSTORE_PAYLOAD_MAX + 1], path[256], want[24];
	unsigned long nodes = 0;
	uint32_t len, k;
	int r;

	node_path(path, sizeof(path), domid, node, distinct, n);
	r = ask(XS_READ, path, buf, &len);
	if (r)
		return r;
	snprintf(want, sizeof(want), "%lu", n);
	if (strcmp(buf, want)) {
		fprintf(stderr, "xsflood: %s is '%s', not %lu\n", path, buf, n);
		return -EIO;
	}
	if (!distinct || n > LIST_MAX)
		return 0;
	node_path(path, sizeof(path), domid, node, 0, 0);
	r = ask(XS_DIRECTORY, path, buf, &len);
	if (r)
		return r;
	for (k = 0; k < len; k++)
		nodes += !buf[k];
	if (nodes != n) {
		fprintf(stderr, "xsflood: %lu nodes below %s, not %lu\n",
			nodes, path, n);
		return -EIO;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char path[256], val[24], buf[XENSTORE_PAYLOAD_MAX + 1];
	unsigned long domid, n, sent = 0, done = 0;
	struct timespec t0;
	int distinct, con, r = 0;
	uint32_t len;
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
	/* Request k goes on file k % nfds, whose request k - nfds is done. */
	while (done < n && !r) {
		while (sent < n && sent - done < WINDOW && !r) {
			sent++;
			node_path(path, sizeof(path), domid, argv[2], distinct,
				  sent);
			snprintf(val, sizeof(val), "%lu", sent);
			r = send_req(fds[sent % nfds], XS_WRITE, sent, path,
				     val);
		}
		done++;
		if (!r)
			r = recv_reply(fds[done % nfds], XS_WRITE, buf, &len);
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
	r = verify(domid, argv[2], distinct, n);
	if (r) {
		fprintf(stderr, "xsflood: read back: %s\n", strerror(-r));
		return 1;
	}
	printf("wrote %s%s %lu times in %.1f s (%.0f/s, %s), last value %lu read back\n",
	       argv[2], distinct ? "/<i>" : "", n, s, s > 0 ? n / s : 0.0, via,
	       n);
	return 0;
}
