// SPDX-License-Identifier: GPL-2.0-only
/*
 * insmod1: load a module with exactly one finit_module() call.
 *
 * busybox insmod retries a failed finit_module() with init_module(), so a
 * module that refuses to load runs its init twice; tests that count what
 * one load attempt prints use this instead. Exit status 0 on success,
 * otherwise the errno of the failure (and its name on stderr).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *params = argc > 2 ? argv[2] : "";
	int fd, err;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: insmod1 MODULE.ko [PARAMS]\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "insmod1: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	if (syscall(SYS_finit_module, fd, params, 0) == 0) {
		close(fd);
		return 0;
	}
	err = errno;
	close(fd);
	fprintf(stderr, "insmod1: %s: %s\n", argv[1], strerror(err));
	return err & 0xff ? err & 0xff : 1;
}
