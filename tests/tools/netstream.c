// SPDX-License-Identifier: GPL-2.0-only
/*
 * netstream: a reproducible byte stream over one TCP connection, for the
 * network tests' content checks (busybox here has no nc).
 *
 *   netstream gen BYTES SEED            the stream on stdout
 *   netstream send HOST PORT BYTES SEED connect and send the stream
 *   netstream recv PORT [SECONDS]       accept one connection, copy what
 *                                       arrives to stdout until EOF
 *
 * The stream is xorshift64* output from SEED, so both ends can hash it
 * (sha256sum) without storing it: `netstream gen N S | sha256sum` on the
 * sender, `netstream recv P | sha256sum` on the receiver.  recv reports
 * the bytes it received on stderr, and gives up after SECONDS (default
 * 600) without a connection or without data.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHUNK	65536

static uint64_t state;

static void fill(unsigned char *buf, size_t n)
{
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		uint64_t v;

		state ^= state >> 12;
		state ^= state << 25;
		state ^= state >> 27;
		v = state * 0x2545F4914F6CDD1DULL;
		memcpy(buf + i, &v, 8);
	}
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Write BYTES of the stream of SEED to fd. */
static int gen(int fd, unsigned long long bytes, unsigned long long seed)
{
	static unsigned char buf[CHUNK];

	state = seed * 0x9E3779B97F4A7C15ULL + 1;
	while (bytes) {
		size_t n = bytes < CHUNK ? (size_t)bytes : CHUNK;

		fill(buf, CHUNK);
		if (write_all(fd, buf, n))
			return -1;
		bytes -= n;
	}
	return 0;
}

static int do_send(const char *host, int port, unsigned long long bytes,
		   unsigned long long seed)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int fd, tries;

	sa.sin_port = htons(port);
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		fprintf(stderr, "netstream: bad address %s\n", host);
		return 2;
	}
	/* The receiver may still be starting: retry for 30 s. */
	for (tries = 0;; tries++) {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0) {
			perror("netstream: socket");
			return 1;
		}
		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			break;
		close(fd);
		if (tries == 300) {
			perror("netstream: connect");
			return 1;
		}
		usleep(100000);
	}
	if (gen(fd, bytes, seed)) {
		perror("netstream: send");
		return 1;
	}
	if (shutdown(fd, SHUT_WR) || close(fd)) {
		perror("netstream: close");
		return 1;
	}
	return 0;
}

static int wait_in(int fd, int seconds)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r = poll(&p, 1, seconds * 1000);

	if (r == 0)
		fprintf(stderr, "netstream: nothing for %d s\n", seconds);
	else if (r < 0)
		perror("netstream: poll");
	return r == 1 ? 0 : -1;
}

static int do_recv(int port, int seconds)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	static unsigned char buf[CHUNK];
	unsigned long long total = 0;
	int lfd, fd, one = 1;
	ssize_t n;

	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_ANY);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 1)) {
		perror("netstream: listen");
		return 1;
	}
	if (wait_in(lfd, seconds))
		return 1;
	fd = accept(lfd, NULL, NULL);
	if (fd < 0) {
		perror("netstream: accept");
		return 1;
	}
	close(lfd);
	for (;;) {
		if (wait_in(fd, seconds))
			return 1;
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			perror("netstream: read");
			return 1;
		}
		if (n == 0)
			break;
		if (write_all(1, buf, (size_t)n)) {
			perror("netstream: write");
			return 1;
		}
		total += (unsigned long long)n;
	}
	fprintf(stderr, "netstream: received %llu bytes\n", total);
	return 0;
}

static int help(void)
{
	fprintf(stderr,
		"usage: netstream gen BYTES SEED\n"
		"       netstream send HOST PORT BYTES SEED\n"
		"       netstream recv PORT [SECONDS]\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "gen"))
		return gen(1, strtoull(argv[2], NULL, 0),
			   strtoull(argv[3], NULL, 0)) ? 1 : 0;
	if (argc == 6 && !strcmp(argv[1], "send"))
		return do_send(argv[2], atoi(argv[3]),
			       strtoull(argv[4], NULL, 0),
			       strtoull(argv[5], NULL, 0));
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "recv"))
		return do_recv(atoi(argv[2]), argc == 4 ? atoi(argv[3]) : 600);
	return help();
}
