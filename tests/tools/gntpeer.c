// SPDX-License-Identifier: GPL-2.0-only
/*
 * gntpeer: the dom0 side of the domU grant tests (tests/guest/core-grant.sh).
 *
 *   gntpeer DOMID MBOXREF read REF    map DOMID's grant REF read-only
 *                                     (gntdev), unmap, answer its checksum
 *   gntpeer DOMID MBOXREF hold REF    the same, but keep REF mapped until
 *                                     the domU asks for release
 *   gntpeer DOMID MBOXREF share SEED  grant DOMID a writable page holding
 *                                     pattern SEED (gntalloc), answer its
 *                                     ref; on release answer the page's
 *                                     checksum then, and free it
 *   gntpeer DOMID MBOXREF release 0   release what the gntpeer answering
 *                                     in MBOXREF holds, without the
 *                                     mailbox (for a domU that can no
 *                                     longer write it: it unloaded)
 *
 * Answers go to the mailbox page the domU granted as MBOXREF (protocol in
 * tests/modules/pvxen-gnt-proto.h); the dom0 agent in
 * tests/harness/dom0-init starts this tool when the domU asks.  Also
 * prints what it did on stdout.  Exit status 0 on success.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "../modules/pvxen-gnt-proto.h"

#define PAGE		4096
#define RELEASE_TIMEOUT	120	/* seconds the domU has to ask for release */

/* include/uapi/xen/gntdev.h and gntalloc.h, as the kernel defines them. */
struct gntdev_grant_ref {
	uint32_t domid;
	uint32_t ref;
};

struct gntdev_map_grant_ref {
	uint32_t count;
	uint32_t pad;
	uint64_t index;
	struct gntdev_grant_ref refs[1];
};

struct gntdev_unmap_grant_ref {
	uint64_t index;
	uint32_t count;
	uint32_t pad;
};

#define IOCTL_GNTDEV_MAP_GRANT_REF \
	_IOC(_IOC_NONE, 'G', 0, sizeof(struct gntdev_map_grant_ref))
#define IOCTL_GNTDEV_UNMAP_GRANT_REF \
	_IOC(_IOC_NONE, 'G', 1, sizeof(struct gntdev_unmap_grant_ref))

struct gntalloc_alloc_gref {
	uint16_t domid;
	uint16_t flags;
	uint32_t count;
	uint64_t index;
	uint32_t gref_ids[1];
};

struct gntalloc_dealloc_gref {
	uint64_t index;
	uint32_t count;
	uint32_t pad;
};

#define GNTALLOC_FLAG_WRITABLE 1
#define IOCTL_GNTALLOC_ALLOC_GREF \
	_IOC(_IOC_NONE, 'G', 5, sizeof(struct gntalloc_alloc_gref))
#define IOCTL_GNTALLOC_DEALLOC_GREF \
	_IOC(_IOC_NONE, 'G', 6, sizeof(struct gntalloc_dealloc_gref))

struct gmap {
	void *addr;
	uint64_t index;
};

static int gntdev = -1;
static struct pvxen_mbox *mbox;	/* state: only through the helpers */
static char release_file[64];	/* exists: release, as if the domU asked */

/* The domU writes the state concurrently: atomic accesses, acquire/release. */
static uint32_t state_get(void)
{
	return __atomic_load_n(&mbox->state, __ATOMIC_ACQUIRE);
}

static void state_set(uint32_t state)
{
	__atomic_store_n(&mbox->state, state, __ATOMIC_RELEASE);
}

static int gnt_map(uint32_t domid, uint32_t ref, int writable, struct gmap *m)
{
	struct gntdev_map_grant_ref op = { .count = 1 };
	int prot = PROT_READ | (writable ? PROT_WRITE : 0);

	op.refs[0].domid = domid;
	op.refs[0].ref = ref;
	if (ioctl(gntdev, IOCTL_GNTDEV_MAP_GRANT_REF, &op))
		return -errno;
	m->index = op.index;
	m->addr = mmap(NULL, PAGE, prot, MAP_SHARED, gntdev, op.index);
	if (m->addr == MAP_FAILED) {
		int err = -errno;
		struct gntdev_unmap_grant_ref u = { .index = op.index, .count = 1 };

		ioctl(gntdev, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
		return err;
	}
	return 0;
}

static int gnt_unmap(struct gmap *m)
{
	struct gntdev_unmap_grant_ref u = { .index = m->index, .count = 1 };

	if (munmap(m->addr, PAGE))
		return -errno;
	if (ioctl(gntdev, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u))
		return -errno;
	return 0;
}

/* Write an answer: text and status, then the state. */
static void answer(uint32_t state, int status, const char *fmt, ...)
{
	char text[PVXEN_MBOX_TEXT];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	printf("gntpeer: state %u status %d: %s\n", state, status, text);
	fflush(stdout);
	memcpy(mbox->text, text, sizeof(text));
	mbox->status = status;
	state_set(state);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int wait_release(void)
{
	long waited;

	for (waited = 0; waited < RELEASE_TIMEOUT * 1000L; waited += 10) {
		if (state_get() == PVXEN_MBOX_RELEASE ||
		    !access(release_file, F_OK))
			return 0;
		sleep_ms(10);
	}
	fprintf(stderr, "gntpeer: no release request in %d s\n", RELEASE_TIMEOUT);
	return -ETIMEDOUT;
}

static int do_read(uint32_t domid, uint32_t ref, int hold)
{
	struct gmap m;
	uint64_t fnv;
	int ret;

	ret = gnt_map(domid, ref, 0, &m);
	if (ret) {
		answer(PVXEN_MBOX_ANSWERED, ret, "error=map ref=%u", ref);
		return ret;
	}
	fnv = pvxen_fnv64(m.addr, PAGE);
	if (hold) {
		answer(PVXEN_MBOX_ANSWERED, 0, "ref=%u fnv=%016llx", ref,
		       (unsigned long long)fnv);
		wait_release();
	}
	ret = gnt_unmap(&m);
	answer(PVXEN_MBOX_DONE, ret, "ref=%u fnv=%016llx unmapped=%d", ref,
	       (unsigned long long)fnv, !ret);
	return ret;
}

static int do_share(uint32_t domid, uint32_t seed)
{
	struct gntalloc_alloc_gref op = { .domid = domid,
					  .flags = GNTALLOC_FLAG_WRITABLE,
					  .count = 1 };
	struct gntalloc_dealloc_gref d = { .count = 1 };
	uint64_t fnv;
	void *page;
	int fd, ret;

	fd = open("/dev/xen/gntalloc", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		answer(PVXEN_MBOX_ANSWERED, ret, "error=open-gntalloc");
		return ret;
	}
	if (ioctl(fd, IOCTL_GNTALLOC_ALLOC_GREF, &op)) {
		ret = -errno;
		answer(PVXEN_MBOX_ANSWERED, ret, "error=alloc");
		close(fd);
		return ret;
	}
	page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		    op.index);
	if (page == MAP_FAILED) {
		ret = -errno;
		answer(PVXEN_MBOX_ANSWERED, ret, "error=mmap");
		close(fd);
		return ret;
	}
	pvxen_pattern_fill(page, PAGE, seed);
	fnv = pvxen_fnv64(page, PAGE);
	answer(PVXEN_MBOX_ANSWERED, 0, "ref=%u fnv=%016llx", op.gref_ids[0],
	       (unsigned long long)fnv);
	ret = wait_release();
	fnv = pvxen_fnv64(page, PAGE);
	munmap(page, PAGE);
	d.index = op.index;
	if (ioctl(fd, IOCTL_GNTALLOC_DEALLOC_GREF, &d) && !ret)
		ret = -errno;
	close(fd);
	answer(PVXEN_MBOX_DONE, ret, "ref=%u final=%016llx", op.gref_ids[0],
	       (unsigned long long)fnv);
	return ret;
}

int main(int argc, char **argv)
{
	uint32_t domid, mref, arg;
	struct gmap mm;
	int ret;

	if (argc != 5) {
		fprintf(stderr, "usage: gntpeer DOMID MBOXREF read|hold REF\n"
			"       gntpeer DOMID MBOXREF share SEED\n"
			"       gntpeer DOMID MBOXREF release 0\n");
		return 2;
	}
	domid = strtoul(argv[1], NULL, 0);
	mref = strtoul(argv[2], NULL, 0);
	arg = strtoul(argv[4], NULL, 0);
	snprintf(release_file, sizeof(release_file),
		 "/tmp/gntpeer-release-%u-%u", domid, mref);
	if (!strcmp(argv[3], "release")) {
		int fd = open(release_file, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

		if (fd < 0) {
			perror(release_file);
			return 1;
		}
		close(fd);
		printf("gntpeer: release of mailbox %u requested\n", mref);
		return 0;
	}

	gntdev = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);
	if (gntdev < 0) {
		perror("gntpeer: /dev/xen/gntdev");
		return 1;
	}
	ret = gnt_map(domid, mref, 1, &mm);
	if (ret) {
		fprintf(stderr, "gntpeer: cannot map mailbox ref %u of domain %u: %s\n",
			mref, domid, strerror(-ret));
		return 1;
	}
	mbox = mm.addr;
	if (mbox->magic != PVXEN_MBOX_MAGIC) {
		fprintf(stderr, "gntpeer: ref %u is not a mailbox\n", mref);
		gnt_unmap(&mm);
		return 1;
	}

	if (!strcmp(argv[3], "read")) {
		ret = do_read(domid, arg, 0);
	} else if (!strcmp(argv[3], "hold")) {
		ret = do_read(domid, arg, 1);
	} else if (!strcmp(argv[3], "share")) {
		ret = do_share(domid, arg);
	} else {
		answer(PVXEN_MBOX_ANSWERED, -EINVAL, "error=command");
		answer(PVXEN_MBOX_DONE, -EINVAL, "error=command");
		ret = -EINVAL;
	}
	mbox = NULL;
	gnt_unmap(&mm);
	close(gntdev);
	return ret ? 1 : 0;
}
