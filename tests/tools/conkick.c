// SPDX-License-Identifier: GPL-2.0-only
/*
 * conkick: restart a console whose output stalls (the domU side of the
 * harness, called by tests/harness/run-tests.sh's watchdog every 10 s).
 *
 *   conkick TTY STATE
 *   conkick --stop TTY      (the harness self-test: stop TTY's output)
 *
 * Xen 4.17's emulated SBSA UART raises its interrupt only when a status
 * bit becomes newly set, so a transmit interrupt can be lost, and Linux's
 * serial driver then waits for it with output queued: the console says
 * nothing more until something else touches the UART.  conkick reads the
 * TTY's output queue (TIOCOUTQ); if it holds the same number of bytes,
 * more than zero, as at the last call (kept in the file STATE), the queue
 * did not move for a whole period: it stops and restarts the output
 * (TCOOFF, TCOON), which masks and unmasks the transmit interrupt, and
 * prints one line saying so.  Exits 0, or 1 if the TTY cannot be used.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd, outq, last = 0;
	FILE *f;

	if (argc != 3) {
		fprintf(stderr, "usage: conkick TTY STATE | --stop TTY\n");
		return 2;
	}
	if (!strcmp(argv[1], "--stop")) {
		fd = open(argv[2], O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0 || tcflow(fd, TCOOFF)) {
			perror("conkick");
			return 1;
		}
		close(fd);
		return 0;
	}
	fd = open(argv[1], O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, TIOCOUTQ, &outq)) {
		perror("conkick");
		return 1;
	}
	f = fopen(argv[2], "r");
	if (f) {
		if (fscanf(f, "%d", &last) != 1)
			last = 0;
		fclose(f);
	}
	if (outq > 0 && outq == last) {
		tcflow(fd, TCOOFF);
		tcflow(fd, TCOON);
		printf("console output stalled with %d bytes queued: restarted\n",
		       outq);
	}
	f = fopen(argv[2], "w");
	if (f) {
		fprintf(f, "%d\n", outq);
		fclose(f);
	}
	close(fd);
	return 0;
}
