// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests: grant tables (hyp/core/grant_*.c) on fake domains
 * whose "RAM" is malloc'd memory mapped through real stage-2 tables
 * (arch/arm64/s2.c).
 */
#include <pthread.h>
#include <stdlib.h>
#include <minixen/config.h>
#include <minixen/grant.h>
#include "../../hyp/core/grant_priv.h"
#include "tap.h"
#include "abi_cmp.h"
#include "grant_abi_xen.h"

static size_t our_grant_abi(long *v)
{
#include "grant_abi.h"
}

#define RAM_IPA		0x40000000UL
#define HOLE_IPA	0x80000000UL	/* nothing mapped here */
#define GVA_BASE	0x10000000UL	/* the test "guest's" hypercall memory */
#define NR_DOMS		6

struct tdom {
	struct gnt_dom g;
	struct s2 s2;
	u8 *ram;
	u64 size;
};

static struct tdom doms[NR_DOMS];
static struct tdom *A = &doms[0], *B = &doms[1], *C = &doms[2], *D = &doms[3];
/* test_quota()'s: all of maptrack, stage-2 quotas as minixen sets them */
static struct tdom *E = &doms[4], *F = &doms[5];

/* ---- platform hooks ---- */

static void **pages;
static size_t nr_pages, max_pages;
static int fail_allocs;		/* the next allocations that fail */
static long heap_left = -1;	/* pages the "heap" has left; -1: no end */
static unsigned int nr_flushes;
static struct tdom *watch_dom;	/* map_pa records this entry's flags */
static u32 watch_ref;
static u16 watch_flags;
static int locks_held;

void spin_lock(struct mx_lock *l)
{
	if (l->locked || locks_held)
		abort();	/* grant code never holds two locks */
	l->locked = 1;
	locks_held++;
}

void spin_unlock(struct mx_lock *l)
{
	if (!l->locked)
		abort();
	l->locked = 0;
	locks_held--;
}

static void *track(void *p)
{
	if (nr_pages == max_pages) {
		max_pages = max_pages ? 2 * max_pages : 256;
		pages = realloc(pages, max_pages * sizeof(*pages));
	}
	pages[nr_pages++] = p;
	return p;
}

static u64 alloc_page(void)
{
	void *p;

	if (fail_allocs > 0) {
		fail_allocs--;
		return 0;
	}
	if (!heap_left)
		return 0;
	if (heap_left > 0)
		heap_left--;
	p = aligned_alloc(4096, 4096);
	memset(p, 0, 4096);
	return (u64)(uintptr_t)track(p);
}

static void *table_page(void *ctx)
{
	return (void *)(uintptr_t)alloc_page();
}

/* The watched entry's flags when the copy maps its RAM pages. */
static void *map_pa(u64 pa)
{
	struct grant_entry_v1 *e;
	int i;

	for (i = 0; watch_dom && i < NR_DOMS; i++) {
		if (pa - (u64)(uintptr_t)doms[i].ram >= doms[i].size)
			continue;
		e = (void *)(uintptr_t)watch_dom->g.frame_pa[0];
		watch_flags = e[watch_ref].flags;
	}
	return (void *)(uintptr_t)pa;
}

static struct gnt_dom *dom_by_id(u16 domid)
{
	int i;

	for (i = 0; i < NR_DOMS; i++)
		if (doms[i].g.domid == domid)
			return &doms[i].g;
	return NULL;
}

static void s2_flush(struct gnt_dom *d, u64 ipa)
{
	nr_flushes++;
}

/* ---- the calling guest's memory: gva GVA_BASE + [0, sizeof(gmem)) ---- */

static u8 gmem[65536];

static int gcopy_from(void *ctx, void *dst, u64 gva, size_t len)
{
	if (gva < GVA_BASE || gva - GVA_BASE + len > sizeof(gmem))
		return -GNT_EFAULT;
	memcpy(dst, gmem + (gva - GVA_BASE), len);
	return 0;
}

static int gcopy_to(void *ctx, u64 gva, const void *src, size_t len)
{
	if (gva < GVA_BASE || gva - GVA_BASE + len > sizeof(gmem))
		return -GNT_EFAULT;
	memcpy(gmem + (gva - GVA_BASE), src, len);
	return 0;
}

static const struct gnt_guest guest = { gcopy_from, gcopy_to, NULL };

static void *gptr(u64 off)
{
	return gmem + off;
}

/* ---- helpers ---- */

static u64 gfn(u32 page)
{
	return (RAM_IPA >> 12) + page;
}

static u64 ipa(u32 page)
{
	return RAM_IPA + page * SZ_4K;
}

static u64 pa_of(struct tdom *d, u32 page)
{
	return (u64)(uintptr_t)d->ram + page * SZ_4K;
}

static void make_dom(struct tdom *d, u16 domid, u64 size, u64 align,
		     u32 maptrack)
{
	d->size = size;
	d->ram = aligned_alloc(align, size);
	memset(d->ram, 0, size);
	if (s2_init(&d->s2, table_page, NULL) ||
	    s2_map(&d->s2, RAM_IPA, (u64)(uintptr_t)d->ram, size, S2_RAM) ||
	    gnt_dom_init(&d->g, domid, &d->s2, (u64)(uintptr_t)d->ram, size,
			 8, maptrack))
		abort();
}

static void grant(struct tdom *d, u32 ref, u16 to, u64 frame, u16 flags)
{
	struct grant_entry_v1 *e = gnt_entry(&d->g, ref);

	e->domid = to;
	e->frame = frame;
	e->flags = flags;
}

static u16 gflags(struct tdom *d, u32 ref)
{
	return gnt_entry(&d->g, ref)->flags;
}

/* The granter's revoke, as Linux does it: only if nobody uses the entry. */
static bool revoke(struct tdom *d, u32 ref)
{
	u16 *f = &gnt_entry(&d->g, ref)->flags;
	u16 old = __atomic_load_n(f, __ATOMIC_SEQ_CST);

	if (old & (GTF_reading | GTF_writing))
		return false;
	return __atomic_compare_exchange_n(f, &old, 0, false, __ATOMIC_SEQ_CST,
					   __ATOMIC_SEQ_CST);
}

static struct gnttab_map_grant_ref map(struct tdom *md, struct tdom *gd,
				       u32 ref, u64 addr, u32 flags)
{
	struct gnttab_map_grant_ref op = {
		.host_addr = addr, .flags = flags, .ref = ref,
		.dom = gd ? gd->g.domid : 99,
	};

	gnt_map_one(&md->g, &op);
	return op;
}

static int unmap(struct tdom *md, u32 handle, u64 addr, u64 dev)
{
	struct gnttab_unmap_grant_ref op = {
		.host_addr = addr, .dev_bus_addr = dev, .handle = handle,
	};

	gnt_unmap_one(&md->g, &op);
	return op.status;
}

static int copy(struct tdom *cd, u16 sdom, u64 s, u16 soff, u16 ddom, u64 t,
		u16 doff, u16 len, u16 flags)
{
	struct gnttab_copy op = {
		.source = { .domid = sdom, .offset = soff },
		.dest = { .domid = ddom, .offset = doff },
		.len = len, .flags = flags,
	};

	if (flags & GNTCOPY_source_gref)
		op.source.u.ref = s;
	else
		op.source.u.gmfn = s;
	if (flags & GNTCOPY_dest_gref)
		op.dest.u.ref = t;
	else
		op.dest.u.gmfn = t;
	gnt_copy_one(&cd->g, &op);
	return op.status;
}

/* @d's stage 2 maps @addr to @pa with @kind. */
static bool s2_is(struct tdom *d, u64 addr, u64 pa, int kind)
{
	u64 p, desc;

	return !s2_lookup(&d->s2, addr, &p, &desc) && p == pa &&
	       gnt_desc_kind(desc) == kind;
}

static bool unmapped(struct tdom *d, u64 addr)
{
	return s2_lookup(&d->s2, addr, NULL, NULL) != 0;
}

static void test_abi(void)
{
	size_t n;

	ok(abi_same("grant_abi.h", our_grant_abi, xen_grant_abi, &n),
	   "grant.h: %zu sizes, offsets, constants as xen/grant_table.h's", n);
}

static void test_table(void)
{
	struct gnt_dom tmp;
	u64 pa = 0;

	ok(A->g.nr_frames == GNT_DEFAULT_FRAMES && A->g.version == 1,
	   "a new table has %d frame, version 1", GNT_DEFAULT_FRAMES);
	ok(!gnt_frame_pa(&A->g, 3, &pa) && A->g.nr_frames == 4 &&
	   pa == A->g.frame_pa[3] && pa && !(pa & 0xfff),
	   "frame_pa(3) grows the table to 4 frames and gives frame 3");
	ok(gnt_frame_pa(&A->g, 8, &pa) == -GNT_EINVAL &&
	   gnt_frame_pa(&A->g, 0xffffffff, &pa) == -GNT_EINVAL &&
	   A->g.nr_frames == 4, "frame_pa(max_frames), frame_pa(~0): -EINVAL");
	fail_allocs = 1;
	ok(gnt_frame_pa(&A->g, 5, &pa) == -GNT_ENOMEM && A->g.nr_frames == 4,
	   "frame_pa when out of pages: -ENOMEM, table unchanged");
	fail_allocs = 0;
	ok(gnt_frame_set_gfn(&A->g, 0, 0x38000) == GNT_GFN_NONE &&
	   gnt_frame_set_gfn(&A->g, 0, 0x38000) == 0x38000,
	   "frame_set_gfn returns the frame's previous gfn");
	ok(gnt_frame_set_gfn(&A->g, 4, 0x38004) == GNT_GFN_NONE &&
	   A->g.frame_gfn[4] == GNT_GFN_NONE,
	   "frame_set_gfn beyond the table does nothing");
	ok(gnt_dom_init(&tmp, 9, &A->s2, 0, 0, 0, 1) == -GNT_EINVAL &&
	   gnt_dom_init(&tmp, 9, &A->s2, 0, 0, GNT_MAX_FRAMES + 1, 1) ==
	   -GNT_EINVAL &&
	   gnt_dom_init(&tmp, 9, &A->s2, 0, 0, 1, GNT_MAX_MAPTRACK + 1) ==
	   -GNT_EINVAL, "dom_init refuses 0 or too many frames, maptrack");
}

static long op(u32 cmd, void *arg, size_t len, u32 count)
{
	memcpy(gmem, arg, len);
	return gnttab_op(&A->g, cmd, GVA_BASE, count, &guest);
}

static void test_ops(void)
{
	struct gnttab_query_size qs = { .dom = DOMID_SELF };
	struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 6,
					 .frame_list = GVA_BASE + 1024 };
	struct gnttab_set_version sv = { .version = 1 };
	struct gnttab_get_version gv = { .dom = DOMID_SELF };
	struct gnttab_get_status_frames sf = { .dom = DOMID_SELF };
	struct gnttab_query_size *qr = gptr(0);
	struct gnttab_setup_table *sr = gptr(0);
	struct gnttab_get_version *gr = gptr(0);
	struct gnttab_get_status_frames *fr = gptr(0);
	u64 *list = gptr(1024);

	ok(!op(GNTTABOP_query_size, &qs, sizeof(qs), 1) && !qr->status &&
	   qr->nr_frames == 4 && qr->max_nr_frames == 8,
	   "query_size: 4 frames of at most 8");
	qs.dom = 2;
	ok(!op(GNTTABOP_query_size, &qs, sizeof(qs), 1) &&
	   qr->status == GNTST_permission_denied,
	   "query_size of another domain: permission_denied");
	A->g.priv = true;
	ok(!op(GNTTABOP_query_size, &qs, sizeof(qs), 1) && !qr->status &&
	   qr->nr_frames == 1, "query_size of another domain when privileged");
	A->g.priv = false;
	qs.dom = 99;
	ok(!op(GNTTABOP_query_size, &qs, sizeof(qs), 1) &&
	   qr->status == GNTST_bad_domain, "query_size of no domain: bad_domain");
	ok(op(GNTTABOP_query_size, &qs, sizeof(qs), 2) == -GNT_EINVAL,
	   "query_size with count 2: -EINVAL");
	ok(gnttab_op(&A->g, GNTTABOP_query_size, 8, 1, &guest) == -GNT_EFAULT,
	   "query_size at a bad pointer: -EFAULT");

	memset(list, 0x5a, 16 * 8);
	ok(!op(GNTTABOP_setup_table, &st, sizeof(st), 1) && !sr->status &&
	   A->g.nr_frames == 6 && list[0] == 0x38000 &&
	   list[5] == GNT_GFN_NONE && list[6] == 0x5a5a5a5a5a5a5a5aUL,
	   "setup_table(6): grows to 6, lists 6 gfns (unmapped: ~0)");
	st.nr_frames = 9;
	ok(!op(GNTTABOP_setup_table, &st, sizeof(st), 1) &&
	   sr->status == GNTST_general_error && A->g.nr_frames == 6,
	   "setup_table beyond the domain's max: general_error");
	st.nr_frames = 0x80000000;
	ok(!op(GNTTABOP_setup_table, &st, sizeof(st), 1) &&
	   sr->status == GNTST_general_error, "setup_table(2^31): general_error");
	st.nr_frames = 2;
	st.frame_list = 16;
	ok(!op(GNTTABOP_setup_table, &st, sizeof(st), 1) &&
	   sr->status == GNTST_bad_virt_addr,
	   "setup_table with a bad frame list: bad_virt_addr");
	st.dom = 3;
	ok(!op(GNTTABOP_setup_table, &st, sizeof(st), 1) &&
	   sr->status == GNTST_permission_denied && C->g.nr_frames == 1,
	   "setup_table of another domain: permission_denied");
	ok(op(GNTTABOP_setup_table, &st, sizeof(st), 0) == -GNT_EINVAL,
	   "setup_table with count 0: -EINVAL");

	ok(!op(GNTTABOP_set_version, &sv, sizeof(sv), 1) &&
	   *(u32 *)gptr(0) == 1, "set_version(1): 0");
	sv.version = 2;
	ok(op(GNTTABOP_set_version, &sv, sizeof(sv), 1) == -GNT_ENOSYS &&
	   *(u32 *)gptr(0) == 1, "set_version(2): -ENOSYS, version stays 1");
	sv.version = 0;
	ok(op(GNTTABOP_set_version, &sv, sizeof(sv), 1) == -GNT_EINVAL,
	   "set_version(0): -EINVAL");
	ok(!op(GNTTABOP_get_version, &gv, sizeof(gv), 1) && gr->version == 1,
	   "get_version: 1");
	gv.dom = 99;
	ok(op(GNTTABOP_get_version, &gv, sizeof(gv), 1) == -GNT_ESRCH,
	   "get_version of no domain: -ESRCH");
	gv.dom = 2;
	ok(op(GNTTABOP_get_version, &gv, sizeof(gv), 1) == -GNT_EPERM,
	   "get_version of another domain: -EPERM");

	ok(!op(GNTTABOP_get_status_frames, &sf, sizeof(sf), 1) && !fr->status,
	   "get_status_frames(0) with v1: okay");
	sf.nr_frames = 1;
	ok(!op(GNTTABOP_get_status_frames, &sf, sizeof(sf), 1) &&
	   fr->status == GNTST_general_error,
	   "get_status_frames(1) with v1: general_error");
	ok(op(GNTTABOP_get_status_frames, &sf, sizeof(sf), 2) == -GNT_EINVAL,
	   "get_status_frames with count 2: -EINVAL");

	ok(gnttab_op(&A->g, 13, GVA_BASE, 1, &guest) == -GNT_ENOSYS &&
	   gnttab_op(&A->g, GNTTABOP_transfer, GVA_BASE, 1, &guest) ==
	   -GNT_ENOSYS &&
	   gnttab_op(&A->g, GNTTABOP_unmap_and_replace, GVA_BASE, 1, &guest) ==
	   -GNT_ENOSYS, "unknown, transfer, unmap_and_replace: -ENOSYS");
	ok(gnttab_op(&A->g, GNTTABOP_copy | 0x1000, GVA_BASE, 1, &guest) ==
	   -GNT_EINVAL &&
	   gnttab_op(&A->g, GNTTABOP_copy, GVA_BASE, 0x80000000U, &guest) ==
	   -GNT_EINVAL, "continuation bits in cmd, negative count: -EINVAL");
}

static void fill(struct tdom *d, u32 page, u8 v)
{
	memset(d->ram + page * SZ_4K, v, SZ_4K);
}

static u8 *via(struct tdom *d, u64 addr)
{
	u64 pa;

	if (s2_lookup(&d->s2, addr, &pa, NULL))
		return NULL;
	return (u8 *)(uintptr_t)pa;
}

static void test_map(void)
{
	struct gnttab_map_grant_ref m, m2;
	unsigned int flushes;
	u8 *p;

	fill(A, 5, 0xaa);
	fill(B, 7, 0x77);
	grant(B, 10, 1, gfn(7), GTF_permit_access);
	flushes = nr_flushes;
	m = map(A, B, 10, ipa(5), GNTMAP_host_map);
	ok(!m.status && m.dev_bus_addr == pa_of(B, 7),
	   "map: okay, dev_bus_addr is the granted frame's machine address");
	ok(s2_is(A, ipa(5), pa_of(B, 7), S2_RAM),
	   "the mapper's stage 2 maps the granter's frame, writable");
	ok(nr_flushes > flushes, "replacing a live mapping flushes the TLB");
	ok(gflags(B, 10) == (GTF_permit_access | GTF_reading | GTF_writing),
	   "the entry shows GTF_reading and GTF_writing");
	p = via(A, ipa(5));
	ok(p && p[0] == 0x77 && (p[100] = 0x55, B->ram[7 * SZ_4K + 100] == 0x55),
	   "the mapper reads and writes the granter's page");
	ok(gnt_ipa_mapped(&A->g, ipa(5)) && gnt_pa_pinned(&B->g, pa_of(B, 7)) &&
	   gnt_gfn_pinned(&B->g, gfn(7)) && !gnt_gfn_pinned(&B->g, gfn(8)),
	   "ipa_mapped, pa_pinned and gfn_pinned see the mapping");
	ok(!revoke(B, 10), "the granter cannot revoke the entry while mapped");
	m2 = map(A, B, 10, ipa(5), GNTMAP_host_map);
	ok(m2.status == GNTST_bad_virt_addr &&
	   s2_is(A, ipa(5), pa_of(B, 7), S2_RAM),
	   "a second map at the same IPA: bad_virt_addr");
	ok(unmap(A, m.handle, ipa(6), 0) == GNTST_general_error &&
	   unmap(A, m.handle, ipa(5), pa_of(B, 8)) == GNTST_general_error &&
	   s2_is(A, ipa(5), pa_of(B, 7), S2_RAM),
	   "unmap with the wrong host_addr or dev_bus_addr: general_error");
	ok(!unmap(A, m.handle, ipa(5), 0) &&
	   s2_is(A, ipa(5), pa_of(A, 5), S2_RAM) && A->ram[5 * SZ_4K] == 0xaa,
	   "unmap restores the mapper's own page at that IPA");
	ok(gflags(B, 10) == GTF_permit_access && !gnt_ipa_mapped(&A->g, ipa(5)) &&
	   !gnt_pa_pinned(&B->g, pa_of(B, 7)),
	   "after the unmap the entry's flags and pins are clear");
	ok(revoke(B, 10), "and the granter can revoke it");
	ok(unmap(A, m.handle, ipa(5), 0) == GNTST_bad_handle &&
	   unmap(A, 5000, ipa(5), 0) == GNTST_bad_handle &&
	   unmap(A, 0xffffffff, 0, 0) == GNTST_bad_handle,
	   "unmapping a free or out-of-range handle: bad_handle");

	grant(B, 10, 1, gfn(7), GTF_permit_access);
	m = map(A, B, 10, HOLE_IPA, GNTMAP_host_map);
	ok(!m.status && s2_is(A, HOLE_IPA, pa_of(B, 7), S2_RAM) &&
	   !unmap(A, m.handle, HOLE_IPA, 0) && unmapped(A, HOLE_IPA),
	   "a map where nothing was mapped leaves nothing after the unmap");

	grant(A, 3, 2, gfn(2), GTF_permit_access);
	m = map(B, A, 3, ipa(100), GNTMAP_host_map);
	ok(!m.status && s2_is(B, ipa(100), pa_of(A, 2), S2_RAM) &&
	   s2_is(B, ipa(101), pa_of(B, 101), S2_RAM) &&
	   s2_is(B, ipa(99), pa_of(B, 99), S2_RAM),
	   "a map inside a 2 MiB block splits it, neighbours unchanged");
	ok(!unmap(B, m.handle, ipa(100), 0) &&
	   s2_is(B, ipa(100), pa_of(B, 100), S2_RAM),
	   "the unmap puts the block's page back");

	m = map(A, B, 10, 0, GNTMAP_device_map);
	ok(!m.status && m.dev_bus_addr == pa_of(B, 7) &&
	   gflags(B, 10) == (GTF_permit_access | GTF_reading | GTF_writing),
	   "device_map alone: pinned, dev_bus_addr set");
	ok(!unmap(A, m.handle, 0, 0) && gflags(B, 10) & GTF_reading,
	   "unmap with neither address does nothing (as Xen)");
	ok(!unmap(A, m.handle, 0, m.dev_bus_addr) &&
	   gflags(B, 10) == GTF_permit_access,
	   "unmap by dev_bus_addr drops the device pin");

	m = map(A, B, 10, ipa(6), GNTMAP_host_map | GNTMAP_device_map);
	ok(!m.status && !unmap(A, m.handle, ipa(6), 0) &&
	   s2_is(A, ipa(6), pa_of(A, 6), S2_RAM) &&
	   gflags(B, 10) == (GTF_permit_access | GTF_reading | GTF_writing),
	   "host+device map: unmapping the host part keeps the device pin");
	ok(!unmap(A, m.handle, 0, m.dev_bus_addr) &&
	   gflags(B, 10) == GTF_permit_access &&
	   unmap(A, m.handle, 0, m.dev_bus_addr) == GNTST_bad_handle,
	   "then the device part: pins clear, handle freed");

	grant(B, 11, 1, gfn(8), GTF_permit_access);
	grant(C, 11, 1, gfn(8), GTF_permit_access | GTF_readonly);
	map(A, B, 10, ipa(10), GNTMAP_host_map);
	map(A, B, 11, ipa(11), GNTMAP_host_map | GNTMAP_readonly);
	map(A, C, 11, ipa(12), GNTMAP_host_map | GNTMAP_readonly);
	gnt_unmap_all(&A->g);
	ok(s2_is(A, ipa(10), pa_of(A, 10), S2_RAM) &&
	   s2_is(A, ipa(11), pa_of(A, 11), S2_RAM) &&
	   s2_is(A, ipa(12), pa_of(A, 12), S2_RAM) && !A->g.mt_used &&
	   gflags(B, 10) == GTF_permit_access &&
	   gflags(B, 11) == GTF_permit_access &&
	   gflags(C, 11) == (GTF_permit_access | GTF_readonly),
	   "unmap_all restores every IPA and drops every pin");
}

/* A map of @gd's @ref by A is refused with @want and leaves no pin. */
static bool refused(struct tdom *gd, u32 ref, u64 addr, u32 flags, int want)
{
	u16 before = gd ? gflags(gd, ref % gnt_nr_entries(&gd->g)) : 0;
	struct gnttab_map_grant_ref m = map(A, gd, ref, addr, flags);

	if (m.status != want)
		printf("#   status %d, want %d\n", m.status, want);
	return m.status == want && A->g.mt_used == 0 &&
	       (!gd || gflags(gd, ref % gnt_nr_entries(&gd->g)) == before) &&
	       s2_is(A, ipa(5), pa_of(A, 5), S2_RAM);
}

static void test_refused(void)
{
	struct gnttab_map_grant_ref m, m2;
	u32 h[5];
	int i, n;

	grant(B, 20, 1, gfn(8), GTF_permit_access | GTF_readonly);
	ok(refused(B, 20, ipa(5), GNTMAP_host_map, GNTST_general_error),
	   "writable map of a read-only grant: general_error, no flags left");
	m = map(A, B, 20, ipa(5), GNTMAP_host_map | GNTMAP_readonly);
	ok(!m.status && s2_is(A, ipa(5), pa_of(B, 8), S2_RAM_RO) &&
	   gflags(B, 20) == (GTF_permit_access | GTF_readonly | GTF_reading),
	   "read-only map of it: a read-only stage-2 page, GTF_reading only");
	ok(!unmap(A, m.handle, ipa(5), 0) &&
	   gflags(B, 20) == (GTF_permit_access | GTF_readonly),
	   "its unmap clears GTF_reading");
	m = map(A, B, 10, ipa(5), GNTMAP_host_map | GNTMAP_readonly);
	ok(!m.status && s2_is(A, ipa(5), pa_of(B, 7), S2_RAM_RO) &&
	   gflags(B, 10) == (GTF_permit_access | GTF_reading) &&
	   !unmap(A, m.handle, ipa(5), 0),
	   "read-only map of a writable grant: read-only page, no GTF_writing");

	grant(B, 21, 3, gfn(8), GTF_permit_access);
	ok(refused(B, 21, ipa(5), GNTMAP_host_map, GNTST_general_error),
	   "a grant to another domain: general_error");
	ok(refused(B, gnt_nr_entries(&B->g), ipa(5), GNTMAP_host_map,
		   GNTST_bad_gntref) &&
	   refused(B, 0xffffffff, ipa(5), GNTMAP_host_map, GNTST_bad_gntref),
	   "a ref beyond the table: bad_gntref");
	grant(B, 22, 0, 0, 0);
	ok(refused(B, 22, ipa(5), GNTMAP_host_map, GNTST_general_error),
	   "an entry never granted: general_error");
	grant(B, 23, 1, gfn(8), GTF_permit_access);
	ok(revoke(B, 23) &&
	   refused(B, 23, ipa(5), GNTMAP_host_map, GNTST_general_error),
	   "a revoked entry: general_error");
	grant(B, 24, 1, gfn(8), GTF_accept_transfer);
	grant(B, 25, 1, gfn(8), GTF_transitive);
	grant(B, 26, 1, gfn(8), GTF_permit_access | GTF_sub_page);
	grant(B, 27, 1, gfn(8), GTF_permit_access | GTF_PAT);
	ok(refused(B, 24, ipa(5), GNTMAP_host_map, GNTST_general_error) &&
	   refused(B, 25, ipa(5), GNTMAP_host_map, GNTST_general_error) &&
	   refused(B, 26, ipa(5), GNTMAP_host_map, GNTST_general_error) &&
	   refused(B, 27, ipa(5), GNTMAP_host_map, GNTST_general_error),
	   "transfer, transitive, sub-page, cache-attribute entries: refused");
	ok(refused(NULL, 10, ipa(5), GNTMAP_host_map, GNTST_bad_domain),
	   "no such domain: bad_domain");
	m = (struct gnttab_map_grant_ref){ .host_addr = ipa(5), .ref = 10,
		.flags = GNTMAP_host_map, .dom = DOMID_SELF };
	gnt_map_one(&A->g, &m);
	ok(m.status == GNTST_bad_domain, "DOMID_SELF: bad_domain (as Xen)");
	ok(refused(B, 10, ipa(5), 0, GNTST_bad_gntref) &&
	   refused(B, 10, ipa(5), GNTMAP_readonly, GNTST_bad_gntref),
	   "neither host_map nor device_map: bad_gntref");
	ok(refused(B, 10, ipa(5), GNTMAP_host_map | GNTMAP_contains_pte,
		   GNTST_general_error) &&
	   refused(B, 10, ipa(5), GNTMAP_host_map | GNTMAP_application_map,
		   GNTST_general_error),
	   "contains_pte, application_map: general_error");
	ok(refused(B, 10, ipa(5) + 8, GNTMAP_host_map, GNTST_bad_virt_addr) &&
	   refused(B, 10, BIT(S2_IPA_BITS), GNTMAP_host_map,
		   GNTST_bad_virt_addr) &&
	   refused(B, 10, ~0UL & ~0xfffUL, GNTMAP_host_map, GNTST_bad_virt_addr),
	   "an unaligned or out-of-range host_addr: bad_virt_addr");

	grant(B, 28, 1, 0x10, GTF_permit_access);
	grant(B, 29, 1, 0xffffffff, GTF_permit_access);
	grant(B, 30, 1, gfn(SZ_2M / SZ_4K), GTF_permit_access);
	ok(refused(B, 28, ipa(5), GNTMAP_host_map, GNTST_bad_page) &&
	   refused(B, 29, ipa(5), GNTMAP_host_map, GNTST_bad_page) &&
	   refused(B, 30, ipa(5), GNTMAP_host_map, GNTST_bad_page),
	   "a frame that is not the granter's RAM: bad_page, flags rolled back");
	m = map(B, A, 3, ipa(20), GNTMAP_host_map);
	grant(B, 31, 1, gfn(20), GTF_permit_access);
	ok(!m.status && refused(B, 31, ipa(5), GNTMAP_host_map |
				GNTMAP_readonly, GNTST_bad_page),
	   "a frame the granter itself has mapped from elsewhere: bad_page");
	ok(!unmap(B, m.handle, ipa(20), 0), "(unmapped)");

	for (i = 0; i < 5; i++)
		grant(B, 40 + i, 4, gfn(40 + i), GTF_permit_access);
	for (i = 0, n = 0; i < 4; i++) {
		m2 = map(D, B, 40 + i, ipa(i), GNTMAP_host_map);
		h[i] = m2.handle;
		n += !m2.status;
	}
	m2 = map(D, B, 44, ipa(4), GNTMAP_host_map);
	ok(n == 4 && m2.status == GNTST_no_device_space &&
	   gflags(B, 44) == GTF_permit_access &&
	   s2_is(D, ipa(4), pa_of(D, 4), S2_RAM),
	   "a full maptrack: no_device_space, nothing pinned or mapped");
	ok(!unmap(D, h[2], ipa(2), 0) &&
	   !(m2 = map(D, B, 44, ipa(4), GNTMAP_host_map)).status &&
	   m2.handle == h[2], "an unmap frees a handle for the next map");
	h[2] = m2.handle;
	for (i = 0, n = 0; i < 4; i++)
		n += !unmap(D, h[i], ipa(i == 2 ? 4 : i), 0);
	ok(n == 4 && !D->g.mt_used, "(all unmapped)");

	fail_allocs = 1;
	m = map(C, B, 10, ipa(5), GNTMAP_host_map);
	fail_allocs = 0;
	ok(m.status == GNTST_no_device_space &&
	   gflags(B, 10) == GTF_permit_access,
	   "no page for the maptrack: no_device_space");
}

static void test_pins(void)
{
	struct gnttab_map_grant_ref rw, ro, m;

	rw = map(A, B, 10, ipa(30), GNTMAP_host_map);
	ro = map(A, B, 10, ipa(31), GNTMAP_host_map | GNTMAP_readonly);
	ok(!rw.status && !ro.status &&
	   gflags(B, 10) == (GTF_permit_access | GTF_reading | GTF_writing),
	   "two maps of one entry, writable and read-only");
	m = map(C, B, 10, ipa(5), GNTMAP_host_map | GNTMAP_readonly);
	ok(m.status == GNTST_general_error,
	   "a third domain cannot map the entry pinned for another");
	ok(!unmap(A, rw.handle, ipa(30), 0) &&
	   gflags(B, 10) == (GTF_permit_access | GTF_reading),
	   "unmapping the writable one clears GTF_writing only");

	grant(B, 10, 3, gfn(9), GTF_permit_access);
	m = map(A, B, 10, ipa(32), GNTMAP_host_map);
	ok(!m.status && m.dev_bus_addr == pa_of(B, 7) &&
	   s2_is(A, ipa(32), pa_of(B, 7), S2_RAM),
	   "a granter rewriting a pinned entry changes nothing pinned");
	ok(!unmap(A, m.handle, ipa(32), 0), "(unmapped)");
	gnt_entry(&B->g, 10)->flags |= GTF_readonly;
	m = map(A, B, 10, ipa(32), GNTMAP_host_map);
	ok(m.status == GNTST_general_error,
	   "GTF_readonly set on a pinned entry refuses new writable maps");
	ok(!unmap(A, ro.handle, ipa(31), 0) &&
	   gflags(B, 10) == (GTF_permit_access | GTF_readonly) &&
	   s2_is(A, ipa(31), pa_of(A, 31), S2_RAM),
	   "the last unmap clears GTF_reading");
	grant(B, 10, 1, gfn(7), GTF_permit_access);
}

static void test_copy(void)
{
	u8 *src = B->ram + 9 * SZ_4K, *a3 = A->ram + 3 * SZ_4K;
	int i, rc;

	for (i = 0; i < SZ_4K; i++)
		src[i] = i * 7;
	grant(B, 50, 1, gfn(9), GTF_permit_access | GTF_readonly);
	grant(B, 51, 1, gfn(10), GTF_permit_access);
	watch_dom = B;
	watch_ref = 50;
	rc = copy(A, 2, 50, 100, DOMID_SELF, gfn(3), 200, 300,
		  GNTCOPY_source_gref);
	ok(!rc && !memcmp(a3 + 200, src + 100, 300) && a3[199] == 0 &&
	   a3[500] == 0, "copy from a gref to my frame");
	ok(watch_flags == (GTF_permit_access | GTF_readonly | GTF_reading) &&
	   gflags(B, 50) == (GTF_permit_access | GTF_readonly),
	   "the source is GTF_reading during the copy only");
	watch_ref = 51;
	rc = copy(A, DOMID_SELF, gfn(3), 200, 2, 51, 4000, 96,
		  GNTCOPY_dest_gref);
	ok(!rc && !memcmp(B->ram + 10 * SZ_4K + 4000, src + 100, 96),
	   "copy from my frame to a gref, up to the page's end");
	ok(watch_flags == (GTF_permit_access | GTF_reading | GTF_writing) &&
	   gflags(B, 51) == GTF_permit_access,
	   "the destination is GTF_reading|GTF_writing during the copy only");
	watch_dom = NULL;

	ok(copy(A, DOMID_SELF, gfn(3), 0, 2, 50, 0, 16, GNTCOPY_dest_gref) ==
	   GNTST_general_error && src[0] == 0 && src[1] == 7 &&
	   gflags(B, 50) == (GTF_permit_access | GTF_readonly),
	   "copy to a read-only grant: general_error, nothing written");
	ok(copy(A, 2, 50, 4000, DOMID_SELF, gfn(3), 0, 97,
		GNTCOPY_source_gref) == GNTST_bad_copy_arg &&
	   copy(A, 2, 50, 0, DOMID_SELF, gfn(3), 4095, 2,
		GNTCOPY_source_gref) == GNTST_bad_copy_arg &&
	   copy(A, 2, 50, 0, DOMID_SELF, gfn(3), 0, 0xffff,
		GNTCOPY_source_gref) == GNTST_bad_copy_arg &&
	   gflags(B, 50) == (GTF_permit_access | GTF_readonly),
	   "a copy crossing the page's end: bad_copy_arg, pins dropped");
	ok(!copy(A, 2, 50, 4096, DOMID_SELF, gfn(3), 0, 0,
		 GNTCOPY_source_gref), "an empty copy at the page's end: okay");
	ok(copy(A, 2, gfn(9), 0, DOMID_SELF, gfn(3), 0, 8, 0) ==
	   GNTST_permission_denied &&
	   copy(A, DOMID_SELF, gfn(3), 0, 2, gfn(9), 0, 8, 0) ==
	   GNTST_permission_denied,
	   "copy by frame of another domain's memory: permission_denied");
	ok(copy(A, 99, 50, 0, DOMID_SELF, gfn(3), 0, 8, GNTCOPY_source_gref) ==
	   GNTST_bad_domain, "copy from no domain: bad_domain");
	ok(copy(A, DOMID_SELF, 0x10, 0, DOMID_SELF, gfn(3), 0, 8, 0) ==
	   GNTST_bad_page &&
	   copy(A, DOMID_SELF, gfn(3), 0, DOMID_SELF, gfn(64), 0, 8, 0) ==
	   GNTST_bad_page, "copy by a frame that is not my RAM: bad_page");
	ok(copy(C, 2, 50, 0, DOMID_SELF, gfn(3), 0, 8, GNTCOPY_source_gref) ==
	   GNTST_general_error &&
	   copy(A, 2, 5000, 0, DOMID_SELF, gfn(3), 0, 8, GNTCOPY_source_gref) ==
	   GNTST_bad_gntref, "copy of a grant to another / bad ref: refused");

	grant(C, 60, 1, gfn(1), GTF_permit_access);
	ok(!copy(A, 2, 50, 10, 3, 60, 20, 30,
		 GNTCOPY_source_gref | GNTCOPY_dest_gref) &&
	   !memcmp(C->ram + SZ_4K + 20, src + 10, 30) &&
	   gflags(C, 60) == GTF_permit_access,
	   "copy from a gref to a gref of two other domains");
	grant(A, 70, 1, gfn(4), GTF_permit_access);
	memset(A->ram + 4 * SZ_4K, 0, SZ_4K);
	ok(!copy(A, DOMID_SELF, gfn(3), 200, DOMID_SELF, 70, 0, 10,
		 GNTCOPY_dest_gref) &&
	   !memcmp(A->ram + 4 * SZ_4K, src + 100, 10),
	   "copy to my own grant by DOMID_SELF and gref");
	for (i = 0; i < 64; i++)
		a3[i] = i;
	ok(!copy(A, DOMID_SELF, gfn(3), 0, DOMID_SELF, gfn(3), 1, 63, 0) &&
	   a3[1] == 0 && a3[63] == 62, "an overlapping copy within a page");
}

/* Grants to minixen's own backends (core/grant_hyp.c), granted by C. */
static void test_hyp_copy(void)
{
	u8 *f40 = C->ram + 40 * SZ_4K, *f41 = C->ram + 41 * SZ_4K;
	const u16 rw = GTF_permit_access, ro = GTF_permit_access | GTF_readonly;
	u8 buf[SZ_4K];
	int i;

	for (i = 0; i < SZ_4K; i++)
		f40[i] = i * 3;
	memset(f41, 0, SZ_4K);
	grant(C, 480, DOMID_XEN, gfn(40), ro);
	grant(C, 481, DOMID_XEN, gfn(41), rw);
	watch_dom = C;
	watch_ref = 480;
	memset(buf, 0, sizeof(buf));
	ok(gnt_copy_hyp(&C->g, 480, 100, buf, 300, false) == GNTST_okay &&
	   !memcmp(buf, f40 + 100, 300) && buf[300] == 0,
	   "hyp: copy from a read-only grant to DOMID_XEN");
	ok(watch_flags == (ro | GTF_reading) && gflags(C, 480) == ro,
	   "hyp: GTF_reading during the copy, cleared after");
	watch_ref = 481;
	ok(gnt_copy_hyp(&C->g, 481, 4000, buf, 96, true) == GNTST_okay &&
	   !memcmp(f41 + 4000, buf, 96) && f41[3999] == 0,
	   "hyp: copy into a writable grant, up to the frame's end");
	ok(watch_flags == (rw | GTF_reading | GTF_writing) &&
	   gflags(C, 481) == rw,
	   "hyp: GTF_reading|GTF_writing during the copy, cleared after");
	watch_dom = NULL;

	ok(gnt_copy_hyp(&C->g, 480, 0, buf, 16, true) == GNTST_general_error &&
	   f40[1] == 3 && gflags(C, 480) == ro,
	   "hyp: a write into a read-only grant: general_error, nothing written");
	ok(gnt_copy_hyp(&C->g, 481, 4000, buf, 97, false) == GNTST_bad_copy_arg &&
	   gnt_copy_hyp(&C->g, 481, 4095, buf, 2, true) == GNTST_bad_copy_arg &&
	   gnt_copy_hyp(&C->g, 481, 0xffff, buf, 0xffff, true) ==
	   GNTST_bad_copy_arg && gflags(C, 481) == rw && f41[4095] == buf[95],
	   "hyp: past the frame's end: bad_copy_arg, the entry untouched");
	ok(gnt_copy_hyp(&C->g, 481, 4096, buf, 0, true) == GNTST_okay &&
	   gflags(C, 481) == rw, "hyp: an empty copy at the frame's end: okay");
	ok(gnt_copy_hyp(&C->g, gnt_nr_entries(&C->g), 0, buf, 8, false) ==
	   GNTST_bad_gntref &&
	   gnt_copy_hyp(&C->g, 0xffffffffU, 0, buf, 8, false) ==
	   GNTST_bad_gntref, "hyp: a ref outside the table: bad_gntref");
	grant(C, 482, 1, gfn(41), rw);
	ok(gnt_copy_hyp(&C->g, 482, 0, buf, 8, false) == GNTST_general_error &&
	   gflags(C, 482) == rw,
	   "hyp: a grant to domain 1, not DOMID_XEN: general_error");
	grant(C, 482, DOMID_XEN, gfn(64), rw);
	ok(gnt_copy_hyp(&C->g, 482, 0, buf, 8, false) == GNTST_bad_page &&
	   gflags(C, 482) == rw,
	   "hyp: a grant of a frame outside the granter's RAM: bad_page");
	grant(C, 482, DOMID_XEN, gfn(41), 0);
	ok(gnt_copy_hyp(&C->g, 482, 0, buf, 8, false) == GNTST_general_error,
	   "hyp: a revoked entry: general_error");
}

static void test_hyp_pin(void)
{
	const u16 rw = GTF_permit_access, ro = GTF_permit_access | GTF_readonly;
	void *va = NULL, *va2 = NULL;
	u32 ref;

	ok(gnt_pin(&C->g, 481, false, &va) == GNTST_okay &&
	   va == C->ram + 41 * SZ_4K &&
	   gflags(C, 481) == (rw | GTF_reading | GTF_writing),
	   "hyp: pin a ring page: minixen's pointer, GTF_reading|GTF_writing");
	ok(!revoke(C, 481) && gnt_gfn_pinned(&C->g, gfn(41)) &&
	   gnt_pa_pinned(&C->g, pa_of(C, 41) + 123),
	   "hyp: pinned, the granter cannot revoke it nor give the frame up");
	memcpy(va, "ring", 4);
	ok(!memcmp(C->ram + 41 * SZ_4K, "ring", 4),
	   "hyp: writes through the pointer land in the granted frame");
	ok(gnt_copy_hyp(&C->g, 481, 0, "copy", 4, true) == GNTST_okay &&
	   gnt_pin(&C->g, 481, false, &va2) == GNTST_okay && va2 == va &&
	   gflags(C, 481) == (rw | GTF_reading | GTF_writing),
	   "hyp: copies and a second pin of the pinned entry work");
	gnt_unpin(&C->g, 481, false);
	ok(gflags(C, 481) == (rw | GTF_reading | GTF_writing) &&
	   gnt_gfn_pinned(&C->g, gfn(41)),
	   "hyp: one unpin of two: still pinned");
	gnt_unpin(&C->g, 481, false);
	ok(gflags(C, 481) == rw && !gnt_gfn_pinned(&C->g, gfn(41)) &&
	   revoke(C, 481),
	   "hyp: the last unpin clears the flags; the granter may revoke");

	ok(gnt_pin(&C->g, 480, true, &va) == GNTST_okay &&
	   gflags(C, 480) == (ro | GTF_reading) &&
	   gnt_pin(&C->g, 480, false, &va2) == GNTST_general_error,
	   "hyp: a read-only grant pins read-only only");
	gnt_unpin(&C->g, 480, true);
	ok(gflags(C, 480) == ro && !gnt_gfn_pinned(&C->g, gfn(40)),
	   "hyp: read-only unpin clears GTF_reading");
	grant(C, 483, DOMID_XEN, gfn(42), rw | GTF_sub_page);
	grant(C, 484, DOMID_XEN, gfn(42), rw | GTF_PCD);
	grant(C, 485, 2, gfn(42), rw);
	ok(gnt_pin(&C->g, 483, false, &va) == GNTST_general_error &&
	   gnt_pin(&C->g, 484, false, &va) == GNTST_general_error &&
	   gnt_pin(&C->g, 485, false, &va) == GNTST_general_error &&
	   gnt_pin(&C->g, gnt_nr_entries(&C->g), false, &va) ==
	   GNTST_bad_gntref && !gnt_gfn_pinned(&C->g, gfn(42)),
	   "hyp: sub-page, cache-attribute, foreign and bad refs not pinned");
	grant(C, 485, DOMID_XEN, gfn(42), rw);
	ok(!gnt_pin(&C->g, 485, false, &va) &&
	   map(B, C, 485, ipa(50), GNTMAP_host_map).status ==
	   GNTST_general_error,
	   "hyp: another domain cannot map an entry minixen holds");
	gnt_unpin(&C->g, 485, false);
	for (ref = 480; ref <= 485; ref++)
		grant(C, ref, 0, 0, 0);
}

static void test_batch(void)
{
	struct gnttab_map_grant_ref *m = gptr(0);
	struct gnttab_unmap_grant_ref *u = gptr(4096);
	struct gnttab_copy *c = gptr(8192);
	long rc, total = 0;
	int calls = 0, good = 0;
	u64 uop = GVA_BASE + 8192;
	u32 i, count = 200;

	memset(gmem, 0, sizeof(gmem));
	m[0] = (struct gnttab_map_grant_ref){ .host_addr = ipa(40),
		.flags = GNTMAP_host_map, .ref = 10, .dom = 2 };
	m[1] = m[0];
	m[1].ref = 100000;
	m[2] = m[0];
	m[2].host_addr = ipa(41);
	m[2].flags |= GNTMAP_readonly;
	ok(!gnttab_op(&A->g, GNTTABOP_map_grant_ref, GVA_BASE, 3, &guest) &&
	   !m[0].status && m[1].status == GNTST_bad_gntref && !m[2].status &&
	   m[0].dev_bus_addr == pa_of(B, 7) &&
	   s2_is(A, ipa(41), pa_of(B, 7), S2_RAM_RO),
	   "a batch of 3 maps: each has its status");
	u[0] = (struct gnttab_unmap_grant_ref){ .host_addr = ipa(40),
		.handle = m[0].handle, .status = 77 };
	u[1] = (struct gnttab_unmap_grant_ref){ .host_addr = ipa(41),
		.handle = m[2].handle, .status = 77 };
	ok(!gnttab_op(&A->g, GNTTABOP_unmap_grant_ref, GVA_BASE + 4096, 2,
		      &guest) && !u[0].status && !u[1].status &&
	   u[1].handle == m[2].handle && gflags(B, 10) == GTF_permit_access &&
	   s2_is(A, ipa(41), pa_of(A, 41), S2_RAM),
	   "a batch of 2 unmaps");

	for (i = 0; i < count; i++)
		c[i] = (struct gnttab_copy){
			.source = { .u.gmfn = gfn(3), .domid = DOMID_SELF,
				    .offset = i },
			.dest = { .u.ref = 51, .domid = 2, .offset = i },
			.len = 1, .flags = GNTCOPY_dest_gref, .status = 77 };
	memset(B->ram + 10 * SZ_4K, 0, SZ_4K);
	/* The dispatcher's continuation: advance, call again. */
	do {
		rc = gnttab_op(&A->g, GNTTABOP_copy, uop, count, &guest);
		calls++;
		if (rc > 0) {
			total += rc;
			uop += rc * gnttab_op_size(GNTTABOP_copy);
			count -= rc;
		}
	} while (rc > 0 && calls < 100);
	for (i = 0; i < 200; i++)
		good += !c[i].status &&
			B->ram[10 * SZ_4K + i] == A->ram[3 * SZ_4K + i];
	ok(rc == 0 && calls == 4 && total == 3 * GNT_BATCH && good == 200,
	   "200 copies: %d calls of at most %d, all done", calls, GNT_BATCH);
	ok(gnttab_op(&A->g, GNTTABOP_copy, GVA_BASE + 8192, 0x7fffffff,
		     &guest) == GNT_BATCH,
	   "a huge count: one call does %d entries", GNT_BATCH);
	ok(gnttab_op(&A->g, GNTTABOP_copy, GVA_BASE + sizeof(gmem) - 80, 3,
		     &guest) == -GNT_EFAULT,
	   "a batch running off the guest's memory: -EFAULT");
	ok(!gnttab_op(&A->g, GNTTABOP_map_grant_ref, 0, 0, &guest),
	   "count 0: nothing read, 0");
}

struct flipper {
	struct tdom *d;
	u32 ref;
	int stop;		/* __atomic */
	unsigned long flips, lost;
};

#define FLIP_BITS	(GTF_PCD | (2U << 16))	/* domid 1 <-> 3 */
#define FLIP_OWN	(GTF_PCD | 0xffff0000U)	/* only the guest writes */

/*
 * A guest vCPU flipping an entry's domid and a cache bit, atomically; it
 * sees any of its updates that the hypervisor overwrote.
 */
static void *flip(void *arg)
{
	struct flipper *f = arg;
	u32 *hdr = (u32 *)gnt_entry(&f->d->g, f->ref);
	u32 mine = __atomic_load_n(hdr, __ATOMIC_SEQ_CST) & FLIP_OWN, old;

	while (!__atomic_load_n(&f->stop, __ATOMIC_RELAXED)) {
		old = __atomic_fetch_xor(hdr, FLIP_BITS, __ATOMIC_SEQ_CST);
		f->lost += (old & FLIP_OWN) != mine;
		mine = (old ^ FLIP_BITS) & FLIP_OWN;
		f->flips++;
	}
	f->lost += (__atomic_load_n(hdr, __ATOMIC_SEQ_CST) & FLIP_OWN) != mine;
	return NULL;
}

static void test_concurrent(void)
{
	struct flipper f = { .d = B, .ref = 52 };
	int i, good = 0, bad = 0, other = 0;
	pthread_t t;
	u32 hdr;

	grant(B, 52, 1, gfn(11), GTF_permit_access);	/* to 1, or 3 */
	pthread_create(&t, NULL, flip, &f);
	/* Until both outcomes are common: the threads overlapped. */
	for (i = 0; i < 2000000 && (good < 5000 || bad < 5000); i++) {
		int rc = copy(A, 2, 52, 0, DOMID_SELF, gfn(3), 0, 64,
			      GNTCOPY_source_gref);

		good += rc == GNTST_okay;
		bad += rc == GNTST_general_error;
		other += rc != GNTST_okay && rc != GNTST_general_error;
	}
	__atomic_store_n(&f.stop, 1, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
	hdr = *(u32 *)gnt_entry(&B->g, 52);
	ok(good >= 5000 && bad >= 5000 && !other,
	   "copies racing a guest rewriting the entry: okay or general_error (%d, %d)",
	   good, bad);
	ok(!(hdr & (GTF_reading | GTF_writing)),
	   "no GTF_reading/GTF_writing left behind");
	ok(!f.lost && f.flips, "none of the guest's %lu updates lost (%lu)",
	   f.flips, f.lost);
}

/* ---- random operations against a model ---- */

#define S_DOMS		3		/* A, B, C map and grant */
#define S_REF0		100		/* refs 100..131 */
#define S_REFS		32
#define S_SLOTS		20		/* 16 RAM pages, 4 holes */
#define S_MAX		192

struct smap {
	int m, g;			/* mapper, granter */
	u32 ref, handle, kinds;
	u64 addr, pa;
	bool ro;
};

static struct smap live[S_MAX];
static int nr_live;
static int pin_r[S_DOMS][S_REFS], pin_w[S_DOMS][S_REFS];
static u64 pin_pa[S_DOMS][S_REFS];
static unsigned long seed = 12;
static int fails;
static int nr_maps, nr_copies, peak;	/* the work done */

static u32 rnd(u32 n)
{
	seed = seed * 6364136223846793005UL + 1442695040888963407UL;
	return (seed >> 33) % n;
}

static u64 slot_addr(int s)
{
	return s < 16 ? ipa(s) : HOLE_IPA + (s - 16) * SZ_4K;
}

static void fail(int n, const char *what)
{
	if (fails++ < 5)
		printf("#   op %d: %s\n", n, what);
}

static int npins(int k)
{
	return !!(k & GNTMAP_host_map) + !!(k & GNTMAP_device_map);
}

static void model_pin(struct smap *s, int sign)
{
	int *p = s->ro ? &pin_r[s->g][s->ref - S_REF0] :
			 &pin_w[s->g][s->ref - S_REF0];

	*p += sign * npins(s->kinds);
}

/* A guest writing its entries: well-behaved, or lying (10%). */
static void s_guest(int g)
{
	u32 ref = S_REF0 + rnd(S_REFS);
	struct grant_entry_v1 *e = gnt_entry(&doms[g].g, ref);
	u16 to = rnd(8) ? 1 + rnd(S_DOMS) : 9;
	u32 frame = rnd(10) ? gfn(32 + rnd(32)) : 0x1234;

	if (!rnd(10)) {			/* lie: rewrite an entry in use */
		__atomic_store_n(&e->domid, to, __ATOMIC_SEQ_CST);
		__atomic_store_n(&e->frame, frame, __ATOMIC_SEQ_CST);
		return;
	}
	if (!rnd(3)) {
		revoke(&doms[g], ref);
		return;
	}
	if (!revoke(&doms[g], ref))
		return;
	e->domid = to;
	e->frame = frame;
	__atomic_store_n(&e->flags, GTF_permit_access |
			 (rnd(3) ? 0 : GTF_readonly) |
			 (rnd(20) ? 0 : GTF_transitive), __ATOMIC_SEQ_CST);
}

static void s_map(int n)
{
	int m = rnd(S_DOMS), g = rnd(S_DOMS), s = rnd(S_SLOTS), i;
	u32 ref = S_REF0 + rnd(S_REFS), r = rnd(10);
	u32 kinds = r < 7 ? GNTMAP_host_map : r < 9 ?
		    GNTMAP_host_map | GNTMAP_device_map : GNTMAP_device_map;
	bool ro = rnd(2), taken = false;
	struct gnt_dom *gd = &doms[g].g;
	struct grant_entry_v1 before = *gnt_entry(gd, ref);
	bool pinned = pin_r[g][ref - S_REF0] || pin_w[g][ref - S_REF0];
	struct gnttab_map_grant_ref op;
	u64 want, desc;

	/* Mostly the domain the entry names, else maps would rarely work. */
	if (rnd(4) && before.domid >= 1 && before.domid <= S_DOMS)
		m = before.domid - 1;

	for (i = 0; i < nr_live; i++)
		taken |= live[i].m == m && (live[i].kinds & GNTMAP_host_map) &&
			 live[i].addr == slot_addr(s);
	op = map(&doms[m], &doms[g], ref, slot_addr(s), kinds |
		 (ro ? GNTMAP_readonly : 0));
	if (op.status)
		return;		/* s_check: nothing changed */
	if (taken && (kinds & GNTMAP_host_map))
		fail(n, "two grant mappings at one IPA");
	if (nr_live == S_MAX) {
		fail(n, "more mappings than maptrack allows");
		return;
	}
	/* It must have been allowed: granted to m, writable if not ro. */
	if (!pinned && ((before.flags & GTF_type_mask) != GTF_permit_access ||
			before.domid != doms[m].g.domid))
		fail(n, "mapped an entry not granted to the mapper");
	if (!ro && (before.flags & GTF_readonly))
		fail(n, "writable map of a read-only grant");
	want = pinned ? pin_pa[g][ref - S_REF0] :
	       s2_lookup(&doms[g].s2, (u64)before.frame << 12, &want, &desc) ?
	       0 : want;
	if (op.dev_bus_addr != want || want < doms[g].g.ram_pa ||
	    want - doms[g].g.ram_pa >= doms[g].size)
		fail(n, "mapped a frame other than the granter's RAM frame");
	pin_pa[g][ref - S_REF0] = op.dev_bus_addr;
	live[nr_live] = (struct smap){ m, g, ref, op.handle, kinds,
		(kinds & GNTMAP_host_map) ? slot_addr(s) : 0, op.dev_bus_addr,
		ro };
	model_pin(&live[nr_live++], 1);
	nr_maps++;
	peak = MAX(peak, nr_live);
}

static void s_unmap(int n)
{
	struct smap *s;
	int i, rc;

	if (!nr_live)
		return;
	i = rnd(nr_live);
	s = &live[i];
	if (!rnd(8)) {			/* wrong address: refused */
		rc = unmap(&doms[s->m], s->handle, s->addr + SZ_4K * 50,
			   s->pa + SZ_4K);
		if (rc != GNTST_general_error)
			fail(n, "unmap with wrong addresses not refused");
		return;
	}
	rc = unmap(&doms[s->m], s->handle, s->addr ? s->addr : 0,
		   (s->kinds & GNTMAP_device_map) ? s->pa : 0);
	if (rc) {
		fail(n, "unmap of a live mapping failed");
		return;
	}
	model_pin(s, -1);
	live[i] = live[--nr_live];
}

static void s_copy(int n)
{
	int c = rnd(S_DOMS), g = rnd(S_DOMS);
	u32 ref = S_REF0 + rnd(S_REFS);
	bool to_grant = rnd(2);
	u16 off = rnd(4096), len = rnd(200);
	int rc;

	if (to_grant)
		rc = copy(&doms[c], DOMID_SELF, gfn(rnd(16)), off, g + 1, ref, 0,
			  len, GNTCOPY_dest_gref);
	else
		rc = copy(&doms[c], g + 1, ref, 0, DOMID_SELF, gfn(rnd(16)),
			  off, len, GNTCOPY_source_gref);
	if (rc && rc != GNTST_general_error && rc != GNTST_bad_page &&
	    rc != GNTST_bad_copy_arg)
		fail(n, "copy answered an unexpected status");
	if (!rc && off + len > SZ_4K)
		fail(n, "copy across the page's end done");
	nr_copies += !rc;
}

/* Every invariant, from the model. */
static void s_check(int n)
{
	int d, s, i, r;

	for (d = 0; d < S_DOMS; d++) {
		int used = 0;

		for (i = 0; i < nr_live; i++)
			used += live[i].m == d;
		if (doms[d].g.mt_used != used)
			fail(n, "maptrack count differs from the mappings");
		for (s = 0; s < S_SLOTS; s++) {
			u64 a = slot_addr(s);
			bool ok2, in;

			for (i = 0; i < nr_live; i++)
				if (live[i].m == d && live[i].addr == a &&
				    (live[i].kinds & GNTMAP_host_map))
					break;
			in = i < nr_live;
			if (in)
				ok2 = s2_is(&doms[d], a, live[i].pa,
					    live[i].ro ? S2_RAM_RO : S2_RAM);
			else if (s < 16)
				ok2 = s2_is(&doms[d], a, pa_of(&doms[d], s),
					    S2_RAM);
			else
				ok2 = unmapped(&doms[d], a);
			if (!ok2)
				fail(n, "stage 2 differs from the mappings");
			if (gnt_ipa_mapped(&doms[d].g, a) != in)
				fail(n, "ipa_mapped differs from the mappings");
		}
		for (r = 0; r < S_REFS; r++) {
			u16 f = gflags(&doms[d], S_REF0 + r);
			bool rd = pin_r[d][r] + pin_w[d][r] > 0;
			bool wr = pin_w[d][r] > 0;

			if (!!(f & GTF_reading) != rd ||
			    !!(f & GTF_writing) != wr)
				fail(n, "GTF_reading/writing differ from pins");
			if (rd && !gnt_pa_pinned(&doms[d].g, pin_pa[d][r]))
				fail(n, "a pinned frame is not pa_pinned");
		}
	}
}

static void test_stress(void)
{
	int n, d, r;

	for (d = 0; d < S_DOMS; d++) {
		gnt_unmap_all(&doms[d].g);
		for (r = 0; r < S_REFS; r++)
			grant(&doms[d], S_REF0 + r, 0, 0, 0);
	}
	for (n = 0; n < 100000; n++) {
		u32 what = rnd(20);

		if (what < 6)
			s_guest(rnd(S_DOMS));
		else if (what < 14 && nr_live < 150)
			s_map(n);
		else if (what < 17 || nr_live >= 150)
			s_unmap(n);
		else
			s_copy(n);
		s_check(n);
	}
	ok(!fails,
	   "100000 random ops (%d maps, %d copies, up to %d mapped): stage 2, pins, flags, maptrack agree with the model",
	   nr_maps, nr_copies, peak);
	ok(!locks_held, "no lock held after the ops");
	while (nr_live)
		s_unmap(-1);
	s_check(-1);
	for (d = 0, n = 0; d < S_DOMS; d++)
		for (r = 0; r < S_REFS; r++)
			n += !!(gflags(&doms[d], S_REF0 + r) &
				(GTF_reading | GTF_writing));
	ok(!fails && !n && !A->g.mt_used && !B->g.mt_used && !C->g.mt_used,
	   "after unmapping all: every stage 2 restored, no flags, no handles");
}

/*
 * A hostile mapper: grant maps at 10^4 distinct 2 MiB-aligned IPAs outside
 * its RAM, each needing a stage-2 table, in a heap smaller than that. The
 * mapper stops at its stage-2 quota with GNTST_general_error (Xen on Arm,
 * when the p2m cannot grow), the heap keeps room for the other domains,
 * and unmapping frees the tables for reuse: map+unmap never runs out.
 */
#define Q_BASE		0x100000000UL	/* 4 GiB: a hole, 1 GiB aligned */
#define Q_TRIES		10000

static void test_quota(void)
{
	unsigned int boot = E->s2.nr_tables, n, i, fails = 0, stray = 0;
	struct gnttab_map_grant_ref op;
	u32 handles[Q_TRIES];

	grant(F, 20, E->g.domid, gfn(2), GTF_permit_access | GTF_readonly);
	grant(E, 20, F->g.domid, gfn(2), GTF_permit_access | GTF_readonly);
	heap_left = 4 * S2_GUEST_TABLES;
	for (n = 0; n < Q_TRIES; n++) {
		op = map(E, F, 20, Q_BASE + n * (u64)SZ_2M,
			 GNTMAP_host_map | GNTMAP_readonly);
		if (op.status)
			break;
		handles[n] = op.handle;
	}
	/* the 1 GiB region's level-2 table, then one level-3 table each */
	ok(n == S2_GUEST_TABLES - 1 && op.status == GNTST_general_error,
	   "hostile mapper: %u of %u maps at distinct 2 MiB IPAs, then GNTST_general_error (%d): the stage-2 quota",
	   n, Q_TRIES, op.status);
	ok(E->s2.nr_tables == boot + S2_GUEST_TABLES &&
	   heap_left == 3 * S2_GUEST_TABLES - 1,
	   "its tables stop at the quota (%u beyond boot; and a maptrack page), the heap keeps %ld pages",
	   E->s2.nr_tables - boot, heap_left);
	ok(unmapped(E, Q_BASE + n * (u64)SZ_2M) && E->g.mt_used == n,
	   "the refused map left no mapping and no maptrack entry");
	op = map(F, E, 20, Q_BASE, GNTMAP_host_map | GNTMAP_readonly);
	ok(!op.status && s2_is(F, Q_BASE, pa_of(E, 2), S2_RAM_RO),
	   "another domain still maps (its tables come from the heap left)");
	ok(!unmap(F, op.handle, Q_BASE, 0), "and unmaps");

	for (i = 0; i < n; i++)
		stray += !!unmap(E, handles[i], Q_BASE + i * (u64)SZ_2M, 0);
	ok(!stray && E->s2.nr_free == S2_GUEST_TABLES,
	   "unmapping all %u frees every table they needed (%u free)", n,
	   E->s2.nr_free);
	for (i = 0; i < Q_TRIES; i++) {
		u64 a = Q_BASE + i * (u64)SZ_2M;

		op = map(E, F, 20, a, GNTMAP_host_map | GNTMAP_readonly);
		fails += op.status || !s2_is(E, a, pa_of(F, 2), S2_RAM_RO) ||
			 unmap(E, op.handle, a, 0) || !unmapped(E, a);
	}
	ok(!fails && E->s2.nr_tables == boot + S2_GUEST_TABLES &&
	   !E->g.mt_used,
	   "map+unmap at %u distinct 2 MiB IPAs: all pass, freed tables reused (%u failed)",
	   Q_TRIES, fails);
	ok(s2_is(E, RAM_IPA, pa_of(E, 0), S2_RAM) && gflags(F, 20) ==
	   (GTF_permit_access | GTF_readonly),
	   "the mapper's RAM is untouched, the grant unpinned");
	heap_left = -1;
}

int main(void)
{
	struct gnt_hooks h = { alloc_page, map_pa, dom_by_id, s2_flush };
	size_t i;
	int d;

	gnt_set_hooks(&h);
	make_dom(A, 1, 64 * SZ_4K, SZ_4K, 64);
	make_dom(B, 2, SZ_2M, SZ_2M, 64);	/* a 2 MiB block */
	make_dom(C, 3, 64 * SZ_4K, SZ_4K, 64);
	make_dom(D, 4, 64 * SZ_4K, SZ_4K, 4);
	make_dom(E, 5, 64 * SZ_4K, SZ_4K, GNT_MAX_MAPTRACK);
	make_dom(F, 6, 64 * SZ_4K, SZ_4K, GNT_MAX_MAPTRACK);
	s2_set_quota(&E->s2, S2_GUEST_TABLES);
	s2_set_quota(&F->s2, S2_GUEST_TABLES);

	test_abi();
	test_table();
	test_ops();
	test_map();
	test_refused();
	test_pins();
	test_copy();
	test_hyp_copy();
	test_hyp_pin();
	test_batch();
	test_concurrent();
	test_stress();
	test_quota();

	for (d = 0; d < NR_DOMS; d++)
		free(doms[d].ram);
	for (i = 0; i < nr_pages; i++)
		free(pages[i]);
	free(pages);
	return tap_done();
}
