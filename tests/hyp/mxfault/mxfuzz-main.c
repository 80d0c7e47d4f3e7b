// SPDX-License-Identifier: GPL-2.0-only
/*
 * minixen hypercall fuzzer, from inside a Xen-aware guest. mode= says
 * what to do:
 *
 * fuzz    count= hypercalls (default 100000) with random and boundary
 *         arguments from a seeded PRNG (seed=, printed): every hypercall
 *         number 0..63 and beyond, every sub-op of the ones minixen
 *         implements and random ones, pointers that are NULL, unmapped
 *         kernel VAs, user addresses, MMIO, read-only data and kernel
 *         text, and structures running into unmapped space; huge counts
 *         and lengths, wrong ports, refs, domids (DOMID_SELF, the other
 *         domains, 0x7FF0-0x7FFF) and flags. self= is this domain's id,
 *         victim= another domain's. foreign_base= and foreign_size= name
 *         machine memory (the host's RAM): pages of it that are not this
 *         domain's (other domains', minixen's own) are mapped as normal
 *         memory in this kernel's stage 1, which minixen's stage 2 for
 *         the domain does not map, and passed as pointers. Reports
 *         "mxfuzz: hc N: C calls" per hypercall number, "mxfuzz: result
 *         R: C" per result and "mxfuzz: foreign pointers P on N pages",
 *         then "mxfuzz: done seed=S calls=N".
 * canary  fill canary_pages= pages (default 1) with a known pattern and
 *         stay loaded: reading /sys/module/mxfuzz/parameters/canary
 *         checks them ("canary=ok sum=0x... pages=N pa=... bad=0" or
 *         "canary=BAD ... bad=<words>").
 *
 * What the fuzzer never does, because it would legitimately end or
 * wedge its own domain (minixen answering correctly is not the point
 * there, the guest's own kernel would die):
 * - SCHEDOP_shutdown with poweroff, reboot, crash or watchdog (only
 *   suspend, which returns at once, and invalid reasons), and
 *   remote_shutdown of itself (remote_shutdown is refused unprivileged;
 *   with priv=1 it is not issued at all).
 * - SCHEDOP_block, and SCHEDOP_poll with a timeout later than 1 ms or
 *   none: they would sleep until an event that never comes.
 * - SCHEDOP_watchdog with a timeout: it would arm a domain watchdog.
 * - Any guest frame number that minixen may unmap, replace or write
 *   (decrease_reservation, add_to_physmap, remove_from_physmap,
 *   register_vcpu_info, map/unmap_grant_ref host_addr, the destination
 *   of GNTTABOP_copy by frame) is one of a pool of pages allocated for
 *   this and never touched by the CPU again, a frame in the grant-table
 *   window, or no RAM at all; never a page the kernel uses, nor the
 *   emulated GIC or UART it drives (a grant mapped there hides them).
 * - Pointers whose contents are read as frame numbers, pointers,
 *   shutdown reasons or timeouts point only at buffers the fuzzer fills
 *   (or fault); read-only data, kernel text and MMIO are passed to the
 *   other ops only. The runstate area is its own buffer (minixen writes
 *   it whenever the vCPU is scheduled in), unregistered at the end.
 * - console_io writes of real text are rare and short (the log).
 */
#include <linux/io.h>
#include <linux/gfp.h>
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/vmalloc.h>

#include "mxfuzz.h"

#include <xen/interface/xen.h>
#include <xen/interface/version.h>
#include <xen/interface/event_channel.h>
#include <xen/interface/grant_table.h>
#include <xen/interface/memory.h>
#include <xen/interface/sched.h>
#include <xen/interface/vcpu.h>
#include <xen/interface/hvm/hvm_op.h>

static char *mode = "fuzz";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "fuzz | canary");

static ulong seed = 1;
module_param(seed, ulong, 0444);
MODULE_PARM_DESC(seed, "PRNG seed (mode=fuzz)");

static ulong count = 100000;
module_param(count, ulong, 0444);
MODULE_PARM_DESC(count, "hypercalls to issue in all (mode=fuzz)");

static uint threads = 1;
module_param(threads, uint, 0444);
MODULE_PARM_DESC(threads, "fuzzing threads, one per CPU (mode=fuzz)");

static uint self;
module_param(self, uint, 0444);
MODULE_PARM_DESC(self, "this domain's id");

static uint victim = 1;
module_param(victim, uint, 0444);
MODULE_PARM_DESC(victim, "another domain's id");

static bool priv;
module_param(priv, bool, 0444);
MODULE_PARM_DESC(priv, "the domain is the privileged one");

static ulong foreign_base;
module_param(foreign_base, ulong, 0444);
MODULE_PARM_DESC(foreign_base, "machine memory to point into: start");

static ulong foreign_size;
module_param(foreign_size, ulong, 0444);
MODULE_PARM_DESC(foreign_size, "machine memory to point into: bytes");

#define GUEST_GICD	0x03001000UL
#define GUEST_UART	0x22000000UL
#define GNT_WINDOW_GFN	0x38000UL	/* GUEST_GNTTAB_BASE, 4096 frames */
#define RAM_GFN_MIN	0x40000UL	/* no guest RAM below 1 GiB */

#define AREA_PAGES	2
#define AREA_SIZE	(AREA_PAGES * PAGE_SIZE)
#define POOL_PAGES	16
#define FOREIGN_PAGES	64
#define NR_HC		65	/* 0..63, 64: everything beyond */
#define NR_RES		131	/* 0..127: -errno; 128: 0; 129: > 0; more */

enum area { A_ARG, A_GFN, A_ARR, A_RUNSTATE, A_TEXT, NR_AREAS };

#define MAX_THREADS	8

/* Shared by the threads: what minixen may map over, and MMIO. */
static struct {
	void __iomem *uart, *gicd;
	unsigned long pool_gfn[POOL_PAGES];
	unsigned long src_gfn;
	u8 *foreign[FOREIGN_PAGES];	/* not ours: stage 1 only */
	int nr_foreign;
} fz;

/* One fuzzing thread per CPU, bound to it: its own buffers and counts. */
struct fz_thread {
	u64 rng;
	u8 *area[NR_AREAS];		/* each followed by a guard page */
	unsigned long calls[NR_HC];
	unsigned long res[NR_RES];
	unsigned long foreign_ptrs;
	ulong count;
	struct completion done;
};

static struct fz_thread fzt[MAX_THREADS];
#define T	(&fzt[raw_smp_processor_id()])

static const char ro_blob[256] = "MX-FUZZ read-only data";

static long hvc5(u64 nr, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4)
{
	register u64 x0 asm("x0") = a0;
	register u64 x1 asm("x1") = a1;
	register u64 x2 asm("x2") = a2;
	register u64 x3 asm("x3") = a3;
	register u64 x4 asm("x4") = a4;
	register u64 x16 asm("x16") = nr;

	asm volatile("hvc #0xea1" : "+r" (x0), "+r" (x1), "+r" (x2),
		     "+r" (x3), "+r" (x4), "+r" (x16) : : "memory");
	return x0;
}

/* xorshift64* */
static u64 xorshift(u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static u64 rnd(void)
{
	return xorshift(&T->rng);
}

static u64 below(u64 n)
{
	return rnd() % n;
}

/* A value for a count, length, index or flag word. */
static u64 bval(void)
{
	static const u64 v[] = {
		0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 127, 128, 255,
		256, 511, 512, 513, 1023, 1024, 4095, 4096, 4097, 0x7fff,
		0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff,
		0x100000000ULL, 0x7fffffffffffffffULL, 1ULL << 63, ~0ULL,
		~0ULL - 1,
	};

	switch (below(4)) {
	case 0:
		return rnd();
	case 1:
		return rnd() & 0xff;
	default:
		return v[below(ARRAY_SIZE(v))];
	}
}

static u16 dval(void)
{
	switch (below(8)) {
	case 0:
		return DOMID_SELF;
	case 1:
		return DOMID_FIRST_RESERVED + below(16);
	case 2:
		return self;
	case 3:
		return victim;
	case 4:
		return below(9);
	case 5:
		return rnd();
	default:
		return bval();
	}
}

static u32 pval(void)
{
	return below(2) ? below(16) : (below(2) ? below(1100) : bval());
}

/*
 * A guest frame minixen may unmap, replace or write without harm: a
 * pool page, one in the grant-table window, or no RAM at all.
 */
static u64 safe_gfn(void)
{
	u64 g;

	switch (below(8)) {
	case 0:
		return GNT_WINDOW_GFN + below(4097);
	case 1:		/* no RAM; not the GIC or UART this kernel uses */
		g = below(RAM_GFN_MIN);
		return g >> 8 == GUEST_GICD >> 20 ||
		       g == GUEST_UART >> PAGE_SHIFT ? g + 0x100 : g;
	case 2:
		return below(2) ? ~0ULL - below(2) : (1ULL << 27) - below(2);
	default:
		return fz.pool_gfn[below(POOL_PAGES)];
	}
}

/*
 * A pointer that faults: NULL, user, unmapped, tagged, wrapping, or
 * into another domain's memory (or minixen's) by its machine address.
 */
static u64 bad_ptr(enum area a)
{
	switch (below(8)) {
	case 7:
		if (!fz.nr_foreign)
			return 0;
		T->foreign_ptrs++;
		return (u64)fz.foreign[below(fz.nr_foreign)] +
		       below(PAGE_SIZE);
	case 0:
		return 0;
	case 1:
		return below(4096);
	case 2:		/* the guard page after the area */
		return (u64)T->area[a] + AREA_SIZE + below(PAGE_SIZE);
	case 3:		/* user VA past TASK_SIZE */
		return (1ULL << 39) + below(1 << 20);
	case 4:
		return 1ULL << 48;
	case 5:		/* a kernel VA with a tag */
		return (u64)T->area[a] ^ (0x5aULL << 56);
	default:
		return ~0ULL - below(16);
	}
}

/*
 * A pointer for @len bytes in area @a (copying @data there, if any), or
 * a bad one. @trusted: the contents are read as frame numbers, pointers
 * and the like, so only our own buffers (or faults), and aligned: an
 * array filled beforehand is never read across its elements.
 */
static u64 place(enum area a, const void *data, size_t len, bool trusted)
{
	u8 *base = T->area[a], *end = base + AREA_SIZE, *p;
	size_t k;

	switch (below(16)) {
	case 10:	/* running into the guard page */
		k = len > 8 ? 8 * (1 + below((len - 1) / 8)) : 1;
		if (!trusted && len > 1)
			k = 1 + below(len - 1);
		if (data)
			memcpy(end - k, data, k);
		return (u64)(end - k);
	case 11 ... 14:
		return bad_ptr(a);
	case 15:
		if (trusted)
			break;
		switch (below(4)) {
		case 0:
			return (u64)ro_blob + below(sizeof(ro_blob));
		case 1:
			return (u64)&hvc5;
		case 2:
			return (u64)fz.uart + below(PAGE_SIZE);
		default:
			return (u64)fz.gicd + below(PAGE_SIZE);
		}
	default:
		break;
	}
	len = min(len, AREA_SIZE);
	p = base + below((AREA_SIZE - len) / 8 + 1) * 8;
	if (!trusted && p > base && !below(8))
		p -= 1 + below(7);
	if (data)
		memcpy(p, data, len);
	return (u64)p;
}

/* Where minixen may write (or refuse to): any pointer. */
static u64 out_ptr(void)
{
	u8 junk[16];

	memset(junk, 0xa5, sizeof(junk));
	return place(A_ARG, junk, sizeof(junk), false);
}

/* Fill area A_GFN with safe frame numbers (any of them may be read). */
static u64 gfn_array(void)
{
	u64 *g = (u64 *)T->area[A_GFN];
	size_t i;

	for (i = 0; i < AREA_SIZE / 8; i++)
		g[i] = safe_gfn();
	return place(A_GFN, NULL, 8 * (1 + below(8)), true);
}

static long hc(u64 nr, u64 a0, u64 a1, u64 a2)
{
	return hvc5(nr, a0, a1, a2, bval(), bval());
}

static long fz_xen_version(u64 nr)
{
	u32 fi[2] = { below(2) ? 0 : bval(), 0 };
	u64 cmd = below(4) ? below(12) : bval();

	if (cmd == XENVER_get_features && below(2))
		return hc(nr, cmd, place(A_ARG, fi, sizeof(fi), false), 0);
	return hc(nr, cmd, out_ptr(), 0);
}

static long fz_memory_op(u64 nr)
{
	static const u8 ops[] = { 0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13,
				  15, 23, 28 };
	u64 cmd = below(8) ? ops[below(ARRAY_SIZE(ops))] : bval();
	union {
		struct xen_memory_reservation res;
		struct xen_add_to_physmap x;
		struct xen_remove_from_physmap r;
		struct xen_add_to_physmap_range b;
		u16 domid;
	} u;
	u64 *idx = (u64 *)T->area[A_ARR];
	size_t i;

	memset(&u, 0, sizeof(u));
	switch (cmd & 0x3f) {
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
		u.domid = dval();
		break;
	case XENMEM_add_to_physmap:
		u.x.domid = dval();
		u.x.size = bval();
		u.x.space = below(4) ? below(6) : bval();
		u.x.idx = below(2) ? below(34) : safe_gfn();
		u.x.gpfn = safe_gfn();
		break;
	case XENMEM_remove_from_physmap:
		u.r.domid = dval();
		u.r.gpfn = safe_gfn();
		break;
	case XENMEM_add_to_physmap_range:
		u.b.domid = dval();
		u.b.space = below(4) ? below(6) : bval();
		u.b.size = below(2) ? below(4) : bval();
		u.b.foreign_domid = dval();
		for (i = 0; i < AREA_SIZE / 8; i++)
			idx[i] = below(2) ? below(34) : safe_gfn();
		u.b.idxs.q = place(A_ARR, NULL, 8 * (1 + below(4)), true);
		u.b.gpfns.q = gfn_array();
		u.b.errs.q = out_ptr();
		break;
	default:	/* the reservations, and the rest as if */
		u.res.extent_start.q = gfn_array();
		u.res.nr_extents = below(2) ? below(8) : bval();
		u.res.extent_order = below(4) ? 0 : bval();
		u.res.address_bits = bval();
		u.res.domid = dval();
		break;
	}
	return hc(nr, cmd, place(A_ARG, &u, sizeof(u), true), 0);
}

static long fz_vcpu_op(u64 nr)
{
	u64 cmd = below(4) ? (below(2) ? VCPUOP_register_vcpu_info :
			      VCPUOP_register_runstate_memory_area) : bval();
	u64 id = below(4) ? below(3) : bval();
	struct vcpu_register_vcpu_info vi = {
		.mfn = safe_gfn(),
		.offset = below(2) ? below(4097) : bval(),
	};
	u64 rs;

	if ((u32)cmd == VCPUOP_register_runstate_memory_area) {
		u8 zero[sizeof(struct vcpu_runstate_info)] = { 0 };

		/* the runstate area only, or bad pointers */
		rs = place(A_RUNSTATE, zero, sizeof(zero), true);
		return hc(nr, cmd, id, place(A_ARG, &rs, sizeof(rs), true));
	}
	return hc(nr, cmd, id, place(A_ARG, &vi, sizeof(vi), true));
}

static long fz_hvm_op(u64 nr)
{
	struct xen_hvm_param p = {
		.domid = dval(), .index = below(2) ? below(48) : bval(),
		.value = bval(),
	};
	u64 op = below(4) ? below(2) : bval();

	return hc(nr, op, place(A_ARG, &p, sizeof(p), false), 0);
}

/* Xen system time in ns: the virtual counter (CNTVOFF is 0). */
static u64 now_ns(void)
{
	u64 f = read_sysreg(cntfrq_el0), t = read_sysreg(cntvct_el0);

	return (t / f) * NSEC_PER_SEC + (t % f) * NSEC_PER_SEC / f;
}

static long fz_sched_op(u64 nr)
{
	static const u8 ops[] = { 0, 2, 3, 4, 5, 6, 7, 8 };
	u64 cmd = below(8) ? ops[below(ARRAY_SIZE(ops))] : bval();
	u32 *ports = (u32 *)T->area[A_ARR];
	struct sched_poll poll;
	u32 w[2] = { bval(), 0 };
	size_t i;

	switch ((u32)cmd) {
	case SCHEDOP_block:	/* never: see the top */
		return hc(nr, cmd ^ 1, 0, 0);
	case SCHEDOP_shutdown:	/* suspend, soft_reset or invalid only */
		w[0] = below(2) ? SHUTDOWN_suspend : 5 + below(1000);
		if (!below(8))
			w[0] = ~0U - below(2);
		break;
	case SCHEDOP_remote_shutdown:
		if (priv)
			return hc(nr, SCHEDOP_yield, 0, 0);
		w[0] = dval();
		if (w[0] == self || w[0] == DOMID_SELF)
			w[0] = victim;
		w[1] = below(6);
		break;
	case SCHEDOP_watchdog:	/* never armed */
		w[1] = 0;
		break;
	case SCHEDOP_poll:
		for (i = 0; i < AREA_SIZE / 4; i++)
			ports[i] = pval();
		poll.ports.q = place(A_ARR, NULL, 4 * (1 + below(8)), true);
		poll.nr_ports = below(2) ? below(4) : bval();
		poll.timeout = below(2) ? 1 : now_ns() + below(1000000);
		return hc(nr, cmd, place(A_ARG, &poll, sizeof(poll), true), 0);
	default:
		break;
	}
	return hc(nr, cmd, place(A_ARG, w, sizeof(w), true), 0);
}

static long fz_console_io(u64 nr)
{
	u8 *end = T->area[A_TEXT] + AREA_SIZE;
	u64 cmd = below(8) ? below(2) : bval();
	u64 len = bval(), p;

	/* Text rarely and short (to the guard page), else bad pointers. */
	if (!below(32))
		p = (u64)(end - 1 - below(48));
	else
		p = below(2) ? below(4096) : (u64)end + below(PAGE_SIZE);
	if (!below(8))
		p = below(2) ? (u64)fz.uart : ~0ULL;
	return hc(nr, cmd, len, p);
}

static long fz_evtchn_op(u64 nr)
{
	u64 cmd = below(8) ? below(15) : bval();
	u32 w[16];
	u16 *h = (u16 *)w;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(w); i++)
		w[i] = pval();
	switch ((u32)cmd) {
	case EVTCHNOP_bind_interdomain:
	case EVTCHNOP_status:
	case EVTCHNOP_reset:
		h[0] = dval();
		break;
	case EVTCHNOP_alloc_unbound:
		h[0] = dval();
		h[1] = dval();
		break;
	case EVTCHNOP_bind_virq:
		w[0] = below(2) ? below(24) : bval();
		w[1] = below(2) ? below(3) : bval();
		break;
	}
	return hc(nr, cmd, place(A_ARG, w, sizeof(w), false), 0);
}

/*
 * A batch entry for grant op @cmd: map and copy entries as such, every
 * other op gets unmap entries (host_addr and, but for unmap itself,
 * dev_bus_addr a safe frame's address: unmap_and_replace's new_addr,
 * transfer's mfn).
 */
static void gnt_entry(u32 cmd, void *e, size_t sz)
{
	struct gnttab_map_grant_ref *m = e;
	struct gnttab_unmap_grant_ref *u = e;
	struct gnttab_copy *c = e;
	u32 ref = below(2) ? 8 + below(8) : (below(2) ? below(16384) : bval());

	memset(e, 0, sz);
	switch (cmd) {
	case GNTTABOP_copy:
		c->flags = below(4) ? below(4) : bval();
		c->source.domid = below(2) ? DOMID_SELF : dval();
		c->dest.domid = below(2) ? DOMID_SELF : dval();
		c->source.u.gmfn = below(2) ? fz.src_gfn : safe_gfn();
		c->dest.u.gmfn = safe_gfn();
		if (c->flags & GNTCOPY_source_gref)
			c->source.u.ref = ref;
		if (c->flags & GNTCOPY_dest_gref)
			c->dest.u.ref = 8 + below(16);
		c->source.offset = below(2) ? below(4097) : bval();
		c->dest.offset = below(2) ? below(4097) : bval();
		c->len = below(2) ? below(4097) : bval();
		break;
	case GNTTABOP_map_grant_ref:
		m->host_addr = safe_gfn() << PAGE_SHIFT |
			      (below(8) ? 0 : below(PAGE_SIZE));
		m->flags = below(2) ? GNTMAP_host_map | (below(2) ?
				      GNTMAP_readonly : 0) : bval();
		m->ref = ref;
		m->dom = below(2) ? self : dval();
		break;
	default:
		u->host_addr = safe_gfn() << PAGE_SHIFT |
			      (below(8) ? 0 : below(PAGE_SIZE));
		u->dev_bus_addr = cmd == GNTTABOP_unmap_grant_ref ? bval() :
				  safe_gfn() << PAGE_SHIFT;
		u->handle = below(2) ? below(8) : bval();
		break;
	}
}

static long fz_grant_op(u64 nr)
{
	u64 cmd = below(8) ? below(14) : bval();
	u32 n = below(2) ? below(4) : bval(), op = cmd & 0xfff;
	u8 *base = T->area[A_ARG];
	union {
		struct gnttab_setup_table st;
		struct gnttab_get_status_frames gs;
	} u;
	size_t i, sz;

	if (op == GNTTABOP_setup_table || op == GNTTABOP_get_status_frames) {
		memset(&u, 0, sizeof(u));
		u.st.dom = dval();
		u.st.nr_frames = below(2) ? below(34) : bval();
		u.st.frame_list.q = out_ptr();
		if (op == GNTTABOP_get_status_frames) {
			u.gs.frame_list.q = u.st.frame_list.q;
			u.gs.nr_frames = u.st.nr_frames;
			u.gs.dom = u.st.dom;
		}
		return hc(nr, cmd, place(A_ARG, &u, sizeof(u), true), n);
	}
	/* The whole area, whatever the count says, is entries. */
	sz = op == GNTTABOP_copy ? sizeof(struct gnttab_copy) :
	     sizeof(struct gnttab_map_grant_ref);
	for (i = 0; i + sz <= AREA_SIZE; i += sz)
		gnt_entry(op, base + i, sz);
	if (below(4))
		return hc(nr, cmd, (u64)base + sz * below(AREA_SIZE / sz), n);
	if (below(2))	/* the first entry runs into the guard page */
		return hc(nr, cmd, (u64)base + AREA_SIZE -
			  8 * (1 + below(sz / 8 - 1)), n);
	return hc(nr, cmd, bad_ptr(A_ARG), n);
}

static long fz_random(u64 nr)
{
	return hvc5(nr, bval(), out_ptr(), bval(), bval(), bval());
}

static long (*const families[])(u64 nr) = {
	[__HYPERVISOR_memory_op] = fz_memory_op,
	[__HYPERVISOR_xen_version] = fz_xen_version,
	[__HYPERVISOR_console_io] = fz_console_io,
	[__HYPERVISOR_grant_table_op] = fz_grant_op,
	[__HYPERVISOR_vcpu_op] = fz_vcpu_op,
	[__HYPERVISOR_sched_op] = fz_sched_op,
	[__HYPERVISOR_event_channel_op] = fz_evtchn_op,
	[__HYPERVISOR_hvm_op] = fz_hvm_op,
};

static void one(void)
{
	static const u64 beyond[] = { 64, 65, 127, 128, 255, 256, 4096, 9999,
				      0x7fffffff, 0x80000000, 0xffffffff,
				      0x100000000ULL | __HYPERVISOR_sched_op,
				      ~0ULL };
	u64 nr;
	long r;

	if (below(10) < 7) {
		do
			nr = below(ARRAY_SIZE(families));
		while (!families[nr]);
	} else if (below(4)) {
		nr = below(64);
	} else {
		nr = below(2) ? beyond[below(ARRAY_SIZE(beyond))] : rnd();
	}
	if (nr < ARRAY_SIZE(families) && families[nr])
		r = families[nr](nr);
	else if (nr == __HYPERVISOR_vm_assist)
		r = hc(nr, bval(), bval(), 0);
	else
		r = fz_random(nr);
	T->calls[min_t(u64, nr, NR_HC - 1)]++;
	if (r < 0 && r >= -127)
		T->res[-r]++;
	else
		T->res[r == 0 ? 128 : r > 0 ? 129 : 130]++;
}

/*
 * Machine pages in [foreign_base, +foreign_size) that are not this
 * domain's RAM, mapped write-back (normal memory, as a kernel buffer
 * would be): only the stage-2 walk refuses them. Never unmapped.
 */
static void fz_setup_foreign(void)
{
	unsigned long pages = foreign_size >> PAGE_SHIFT;
	u64 s = seed * 2 + 1;
	phys_addr_t pa;
	void *va;
	int tries;

	for (tries = 0; pages && tries < 4 * FOREIGN_PAGES &&
	     fz.nr_foreign < FOREIGN_PAGES; tries++) {
		pa = (foreign_base & PAGE_MASK) +
		     ((phys_addr_t)(xorshift(&s) % pages) << PAGE_SHIFT);
		if (pfn_valid(PHYS_PFN(pa)))
			continue;
		va = memremap(pa, PAGE_SIZE, MEMREMAP_WB);
		if (va)
			fz.foreign[fz.nr_foreign++] = va;
	}
}

static int fz_setup(void)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_grant_table,
	};
	struct grant_entry_v1 *e;
	struct page *p;
	int i;

	fz.uart = ioremap(GUEST_UART, PAGE_SIZE);
	fz.gicd = ioremap(GUEST_GICD, PAGE_SIZE);
	if (!fz.uart || !fz.gicd)
		return -ENOMEM;
	fz_setup_foreign();
	/* Never freed (nor touched once minixen may map over them). */
	for (i = 0; i <= POOL_PAGES; i++) {
		p = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!p)
			return -ENOMEM;
		if (i == POOL_PAGES) {
			get_random_bytes(page_address(p), PAGE_SIZE);
			fz.src_gfn = page_to_pfn(p);
		} else {
			fz.pool_gfn[i] = page_to_pfn(p);
		}
	}
	/*
	 * Grant frame 0 over pool page 0, refs 8..15 granting this domain
	 * the source page and pool pages: maps and copies by reference get
	 * past the checks. Written once, through the kernel's mapping of
	 * pool page 0, before any fuzzing moves the frame.
	 */
	xatp.gpfn = fz.pool_gfn[0];
	if (hvc5(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, (u64)&xatp, 0,
		 0, 0))
		return -EIO;
	e = page_address(pfn_to_page(fz.pool_gfn[0]));
	for (i = 8; i < 16; i++) {
		e[i].domid = self;
		e[i].frame = i == 8 ? fz.src_gfn : fz.pool_gfn[i];
		wmb();	/* the entry before its flags make it valid */
		e[i].flags = GTF_permit_access | (i & 1 ? GTF_readonly : 0);
	}
	return 0;
}

static int fz_thread_init(struct fz_thread *t, u64 rng, ulong n)
{
	int i;

	t->rng = rng;
	t->count = n;
	init_completion(&t->done);
	for (i = 0; i < NR_AREAS; i++) {
		/* vmalloc leaves a guard page after each area */
		t->area[i] = vzalloc(AREA_SIZE);
		if (!t->area[i])
			return -ENOMEM;
	}
	memset(t->area[A_TEXT], 'z', AREA_SIZE);
	return 0;
}

static int fz_thread_fn(void *arg)
{
	struct fz_thread *t = arg;
	ulong n;

	for (n = 0; n < t->count; n++) {
		one();
		if (n % 64 == 63)
			cond_resched();
		if (n % 50000 == 49999)
			pr_info("mxfuzz: cpu%td: %lu calls\n", t - fzt, n + 1);
	}
	complete(&t->done);
	return 0;
}

static void fz_report(int nr)
{
	static const char * const names[NR_HC] = {
		[__HYPERVISOR_memory_op] = " memory_op",
		[__HYPERVISOR_xen_version] = " xen_version",
		[__HYPERVISOR_console_io] = " console_io",
		[__HYPERVISOR_grant_table_op] = " grant_table_op",
		[__HYPERVISOR_vm_assist] = " vm_assist",
		[__HYPERVISOR_vcpu_op] = " vcpu_op",
		[__HYPERVISOR_sched_op] = " sched_op",
		[__HYPERVISOR_event_channel_op] = " event_channel_op",
		[__HYPERVISOR_hvm_op] = " hvm_op",
		[NR_HC - 1] = " (64 and beyond)",
	};
	unsigned long sum;
	int i, c;

	for (i = 0; i < NR_HC + NR_RES; i++) {
		for (sum = 0, c = 0; c < nr; c++)
			sum += i < NR_HC ? fzt[c].calls[i] :
			       fzt[c].res[i - NR_HC];
		if (!sum)
			continue;
		if (i < NR_HC)
			pr_info("mxfuzz: hc %d%s: %lu calls\n", i,
				names[i] ?: "", sum);
		else if (i - NR_HC < 128)
			pr_info("mxfuzz: result -%d: %lu\n", i - NR_HC, sum);
		else
			pr_info("mxfuzz: result %s: %lu\n", i - NR_HC == 128 ?
				"0" : i - NR_HC == 129 ? "> 0" : "other", sum);
	}
	for (sum = 0, c = 0; c < nr; c++)
		sum += fzt[c].foreign_ptrs;
	pr_info("mxfuzz: foreign pointers %lu on %d pages\n", sum,
		fz.nr_foreign);
}

static int fuzz(void)
{
	struct task_struct *task;
	u64 rs = 0;
	int i, nr, r;

	nr = clamp_t(int, threads, 1, min(num_online_cpus(), MAX_THREADS));
	pr_info("mxfuzz: seed=%lu count=%lu threads=%d self=%u victim=%u\n",
		seed, count, nr, self, victim);
	r = fz_setup();
	for (i = 0; !r && i < nr; i++)
		r = fz_thread_init(&fzt[i], (seed + i) * 2 + 1,
				   count / nr + (i < count % nr));
	if (r) {
		pr_info("mxfuzz: setup failed: %d\n", r);
		return r;
	}
	for (i = 0; i < nr; i++) {
		task = kthread_create(fz_thread_fn, &fzt[i], "mxfuzz/%d", i);
		if (IS_ERR(task)) {
			complete(&fzt[i].done);
			continue;
		}
		kthread_bind(task, i);
		wake_up_process(task);
	}
	for (i = 0; i < nr; i++)
		wait_for_completion(&fzt[i].done);
	/* The runstate areas go: nothing of ours is written any more. */
	for (i = 0; i < 8; i++)
		hvc5(__HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area,
		     i, (u64)&rs, 0, 0);
	fz_report(nr);
	for (rs = 0, i = 0; i < nr; i++)
		for (r = 0; r < NR_HC; r++)
			rs += fzt[i].calls[r];
	pr_info("mxfuzz: done seed=%lu calls=%llu\n", seed, rs);
	return 0;
}

static int __init mxfuzz_init(void)
{
	if (!strcmp(mode, "fuzz"))
		return fuzz();
	if (!strcmp(mode, "canary"))
		return canary_init();
	return -EINVAL;
}
module_init(mxfuzz_init);

/* Never unloaded in the tests: minixen may still map pool pages. */
static void __exit mxfuzz_exit(void)
{
}
module_exit(mxfuzz_exit);

MODULE_DESCRIPTION("minixen hypercall fuzzer and canary");
MODULE_LICENSE("GPL");
