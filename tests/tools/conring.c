// SPDX-License-Identifier: GPL-2.0-only
/*
 * conring: the hypervisor's console ring, as `xl dmesg` reads it, through
 * XEN_SYSCTL_readconsole (a privileged domain only): from /proc/mxconring
 * where tests/hyp/peermod/mxconring.ko makes that hypercall (a kernel
 * that restricts privcmd, as Linux does outside Xen's initial domain),
 * else on /dev/xen/privcmd.
 *
 *   conring [-f]
 *
 * Prints what the ring holds; with -f, keeps following it (every 100
 * ms), as `tail -f` would. On minixen the ring holds every domain's
 * console lines, "(name) ...": the dom0 agent follows a domU's console
 * there (tests/harness/peer-init). Exits 1 if the hypervisor refuses.
 */
#define __XEN_TOOLS__ 1
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xen/xen.h>
#include <xen/sysctl.h>
#include <xen/sys/privcmd.h>

#define BUFSZ	16384
#define PROC_RING	"/proc/mxconring"

static char *buf;
static struct xen_sysctl *op;

/* One incremental read from *@idx; returns bytes read or -errno. */
static long readcon(int fd, uint32_t *idx)
{
	privcmd_hypercall_t hc = { .op = __HYPERVISOR_sysctl,
				   .arg = { (uintptr_t)op } };
	long r;

	memset(op, 0, sizeof(*op));
	op->cmd = XEN_SYSCTL_readconsole;
	op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	op->u.readconsole.incremental = 1;
	op->u.readconsole.index = *idx;
	set_xen_guest_handle(op->u.readconsole.buffer, buf);
	op->u.readconsole.count = BUFSZ;
	r = ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &hc);
	if (r < 0)
		return -errno;
	*idx = op->u.readconsole.index;
	return op->u.readconsole.count;
}

/* One read of /proc/mxconring (its file position is the ring index). */
static long readproc(int fd, uint32_t *idx)
{
	long n = read(fd, buf, BUFSZ);

	(void)idx;
	return n < 0 ? -errno : n;
}

int main(int argc, char **argv)
{
	int follow = argc > 1 && !strcmp(argv[1], "-f");
	long (*rd)(int, uint32_t *) = readproc;
	uint32_t idx = 0;
	long n;
	int fd;

	buf = aligned_alloc(4096, BUFSZ);
	op = aligned_alloc(4096, 4096);
	if (!buf || !op)
		return 1;
	fd = open(PROC_RING, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rd = readcon;
		fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
	}
	if (fd < 0) {
		perror("conring: /dev/xen/privcmd");
		return 1;
	}
	/* The hypervisor writes these from its side: keep them resident. */
	if (mlock(buf, BUFSZ) || mlock(op, sizeof(*op))) {
		perror("conring: mlock");
		return 1;
	}
	for (;;) {
		n = rd(fd, &idx);
		if (n < 0) {
			fprintf(stderr, "conring: readconsole: %s\n", strerror(-n));
			return 1;
		}
		if (n && fwrite(buf, 1, n, stdout) != (size_t)n)
			return 1;
		fflush(stdout);
		if (n == BUFSZ)
			continue;
		if (!follow)
			return 0;
		usleep(100000);
	}
}
