// SPDX-License-Identifier: GPL-2.0-only
/*
 * asuser: run a command as an unprivileged user (the guests' busybox has
 * no su, and its setpriv cannot change ids).
 *
 *   asuser UID CMD [ARG...]
 *
 * Drops every supplementary group, sets the real, effective and saved gid
 * and uid to UID, checks that root cannot be regained, and executes CMD.
 * Exit status: CMD's, or 126 if the ids could not be changed, 127 if CMD
 * could not be executed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long id;
	char *end;

	if (argc < 3) {
		fprintf(stderr, "usage: asuser UID CMD [ARG...]\n");
		return 2;
	}
	errno = 0;
	id = strtoul(argv[1], &end, 10);
	if (errno || *end || end == argv[1] || !id || id > 65535) {
		fprintf(stderr, "asuser: bad uid '%s'\n", argv[1]);
		return 2;
	}
	if (setgroups(0, NULL) || setresgid(id, id, id) ||
	    setresuid(id, id, id)) {
		fprintf(stderr, "asuser: changing ids: %s\n", strerror(errno));
		return 126;
	}
	if (setuid(0) == 0) {
		fprintf(stderr, "asuser: could become root again\n");
		return 126;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "asuser: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
