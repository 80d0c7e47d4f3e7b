// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests for include/pvxen/xlate.h: machine contiguity across 4 KiB
 * frames through fake pfn -> bfn lookups, the full pfn -> bfn -> dma chain,
 * and whole-buffer capability in guest-physical terms.
 */
#include <string.h>
#include <pvxen/xlate.h>
#include "tap.h"
#include "tables.h"
#include "model.h"

#define BAD ALL_ONES
#define FMAX 0x000fffffffffffffULL

/* ---- fake lookups ---- */

/* pfn 0-15 shuffled with some runs; everything else has no frame. */
static const u64 shuffled_map[16] = {
	100, 101, 102, 103,	/* run */
	50, 51,			/* run */
	7,
	200, 201, 202,		/* run */
	5, 6,			/* run, but 6 does not follow 202 */
	300, 299, 298,		/* descending: never contiguous */
	400,
};

static struct pvxen_bfn lookup_shuffled(void *ctx, struct pvxen_pfn p)
{
	(void)ctx;
	if (p.pfn >= ARRAY_SIZE(shuffled_map))
		return pvxen_bfn_invalid();
	return pvxen_mk_bfn(shuffled_map[p.pfn]);
}

/* Identity with a hole at pfn 10 and a bogus, too-large bfn at pfn 20. */
static struct pvxen_bfn lookup_hole(void *ctx, struct pvxen_pfn p)
{
	(void)ctx;
	if (p.pfn == 10)
		return pvxen_bfn_invalid();
	if (p.pfn == 20)
		return pvxen_mk_bfn(FMAX + 1);
	return pvxen_mk_bfn(p.pfn);
}

/* Every frame moved up by 512 MiB. */
static struct pvxen_bfn lookup_far(void *ctx, struct pvxen_pfn p)
{
	(void)ctx;
	return pvxen_mk_bfn(p.pfn + 0x20000);
}

/* pfn 0 -> FMAX - 1, pfn 1 -> FMAX: the top of machine space. */
static struct pvxen_bfn lookup_top(void *ctx, struct pvxen_pfn p)
{
	(void)ctx;
	return pvxen_mk_bfn(FMAX - 1 + p.pfn);
}

/* Records the calls made through it. */
struct counting {
	pvxen_bfn_lookup_fn inner;
	unsigned int calls;
	u64 pfns[16];
};

static struct pvxen_bfn lookup_counting(void *ctx, struct pvxen_pfn p)
{
	struct counting *c = ctx;

	if (c->calls < ARRAY_SIZE(c->pfns))
		c->pfns[c->calls] = p.pfn;
	c->calls++;
	return c->inner(NULL, p);
}

/* ---- concrete contiguity vectors ---- */

struct mvec {
	const char *lname;
	pvxen_bfn_lookup_fn lookup;
	u64 paddr, len;
	bool want;
	const char *why;
};

#define MC(fn, a, l, w, why) { #fn, fn, a, l, w, why }
#define lookup_identity pvxen_bfn_lookup_identity

static const struct mvec mvecs[] = {
	MC(lookup_identity, 0x0, 1, true, "one byte"),
	MC(lookup_identity, 0x1000, 0x1000, true, "exactly one frame"),
	MC(lookup_identity, 0x1fff, 2, true, "crossing a frame by one byte"),
	MC(lookup_identity, 0x1000, 0x1001, true, "one frame and a byte"),
	MC(lookup_identity, 0x0, 0x40000000, true, "1 GiB"),
	MC(lookup_identity, 0x1000, 0, false, "zero length"),
	MC(lookup_identity, 0xfffffffffffff000ULL, 0xfff, true,
	   "top frame up to 2^64-2"),
	MC(lookup_identity, 0xfffffffffffff000ULL, 0x1000, false,
	   "top frame including the all-ones byte"),
	MC(lookup_identity, BAD - 1, 3, false, "wrapping buffer"),
	MC(lookup_identity, BAD, 1, false, "the all-ones byte"),
	MC(lookup_shuffled, 0x0, 0x4000, true, "run of four frames"),
	MC(lookup_shuffled, 0x0, 0x4001, false, "run plus one byte"),
	MC(lookup_shuffled, 0x3fff, 1, true, "last byte of the run"),
	MC(lookup_shuffled, 0x3fff, 2, false,
	   "crossing out of the run by one byte"),
	MC(lookup_shuffled, 0x4000, 0x2000, true, "second run"),
	MC(lookup_shuffled, 0x4fff, 2, true, "one byte each side, in a run"),
	MC(lookup_shuffled, 0x5fff, 2, false, "one byte each side, no run"),
	MC(lookup_shuffled, 0x7000, 0x3000, true, "third run"),
	MC(lookup_shuffled, 0x7000, 0x5000, false, "third run and more"),
	MC(lookup_shuffled, 0xa000, 0x2000, true, "low run"),
	MC(lookup_shuffled, 0xc000, 0x2000, false, "descending frames"),
	MC(lookup_shuffled, 0xd000, 0x1000, true, "any single frame"),
	MC(lookup_shuffled, 0x6abc, 0x544, true, "inside one frame"),
	MC(lookup_shuffled, 0xf000, 0x1001, false, "into a missing frame"),
	MC(lookup_shuffled, 0x10000, 1, false, "missing frame"),
	MC(lookup_hole, 0x0, 0xa000, true, "up to the hole"),
	MC(lookup_hole, 0x0, 0xa001, false, "one byte into the hole"),
	MC(lookup_hole, 0x9fff, 2, false, "crossing into the hole"),
	MC(lookup_hole, 0xa000, 1, false, "inside the hole"),
	MC(lookup_hole, 0xafff, 2, false, "crossing out of the hole"),
	MC(lookup_hole, 0xb000, 0x9000, true, "after the hole"),
	MC(lookup_hole, 0x14000, 1, false, "frame with a too-large bfn"),
	MC(lookup_hole, 0x13fff, 2, false, "crossing into it"),
	MC(lookup_top, 0x0, 0x1fff, true, "machine frames up to 2^64-2"),
	MC(lookup_top, 0x0, 0x2000, false, "machine last byte all-ones"),
	MC(lookup_top, 0x1ffe, 2, false, "machine last byte all-ones"),
	MC(lookup_top, 0x1000, 0x1001, false, "machine frame beyond 2^52"),
};

static void run_mvec(const struct mvec *v)
{
	bool got = pvxen_paddr_machine_contiguous(pvxen_mk_paddr(v->paddr),
						  v->len, v->lookup, NULL);

	tap_result(got == v->want, "%s: [0x%llx +0x%llx] %s (%s)", v->lname,
		   (unsigned long long)v->paddr, (unsigned long long)v->len,
		   v->want ? "machine-contiguous" : "not machine-contiguous",
		   v->why);
}

/* ---- cases ---- */

static void t_lookup_calls(void)
{
	struct counting c = { .inner = pvxen_bfn_lookup_identity };

	TAP_CHECK(pvxen_paddr_machine_contiguous(pvxen_mk_paddr(0x5800),
						 0x2001, lookup_counting, &c));
	TAP_CHECK_EQ(c.calls, 3);
	TAP_CHECK_EQ(c.pfns[0], 5);
	TAP_CHECK_EQ(c.pfns[1], 6);
	TAP_CHECK_EQ(c.pfns[2], 7);

	memset(&c, 0, sizeof(c));
	c.inner = pvxen_bfn_lookup_identity;
	TAP_CHECK(!pvxen_paddr_machine_contiguous(pvxen_mk_paddr(0x5000), 0,
						  lookup_counting, &c));
	TAP_CHECK(!pvxen_paddr_machine_contiguous(pvxen_mk_paddr(BAD - 1), 3,
						  lookup_counting, &c));
	TAP_CHECK_EQ(c.calls, 0);

	memset(&c, 0, sizeof(c));
	c.inner = lookup_shuffled;
	TAP_CHECK(!pvxen_paddr_machine_contiguous(pvxen_mk_paddr(0x3000),
						  0x8000, lookup_counting, &c));
	TAP_CHECK(c.calls >= 2 && c.calls <= 8);
	TAP_CHECK_EQ(c.pfns[0], 3);

	/* The error address never reaches the lookup. */
	memset(&c, 0, sizeof(c));
	c.inner = lookup_far;
	TAP_CHECK_EQ(pvxen_paddr_to_baddr(pvxen_paddr_error(),
					  lookup_counting, &c).baddr, BAD);
	TAP_CHECK_EQ(pvxen_paddr_to_dma(&identity64, pvxen_paddr_error(),
					lookup_counting, &c).dma, BAD);
	TAP_CHECK_EQ(c.calls, 0);
	/* A valid address: exactly one call. */
	TAP_CHECK_EQ(pvxen_paddr_to_dma(&identity64, pvxen_mk_paddr(0x1234),
					lookup_counting, &c).dma, 0x20001234);
	TAP_CHECK_EQ(c.calls, 1);

	/* Capability of a guest buffer: one pass over its frames. */
	memset(&c, 0, sizeof(c));
	c.inner = pvxen_bfn_lookup_identity;
	TAP_CHECK(pvxen_paddr_dma_capable(&rpi4_soc, pvxen_mk_paddr(0x5800),
					  0x2001, lookup_counting, &c));
	TAP_CHECK_EQ(c.calls, 3);
}

#define BUF2B(a, l, fn) \
	pvxen_paddr_buf_to_baddr(pvxen_mk_paddr(a), l, fn, NULL).baddr

static void t_buf_to_baddr(void)
{
	TAP_CHECK_EQ(BUF2B(0x1234, 0x2000, lookup_identity), 0x1234);
	TAP_CHECK_EQ(BUF2B(0x1234, 0, lookup_identity), BAD);
	TAP_CHECK_EQ(BUF2B(0x4abc, 0x1000, lookup_shuffled), 0x32abc);
	TAP_CHECK_EQ(BUF2B(0x4abc, 0x1544, lookup_shuffled), 0x32abc);
	TAP_CHECK_EQ(BUF2B(0x4abc, 0x1545, lookup_shuffled), BAD);
	TAP_CHECK_EQ(BUF2B(0x3fff, 1, lookup_shuffled), 0x67fff);
	TAP_CHECK_EQ(BUF2B(0x3fff, 2, lookup_shuffled), BAD);
	TAP_CHECK_EQ(BUF2B(0x9000, 0x1000, lookup_hole), 0x9000);
	TAP_CHECK_EQ(BUF2B(0x9000, 0x1001, lookup_hole), BAD);
	TAP_CHECK_EQ(BUF2B(0x0, 0x1fff, lookup_top), 0xffffffffffffe000ULL);
	TAP_CHECK_EQ(BUF2B(0x1ffe, 1, lookup_top), BAD - 1);
	TAP_CHECK_EQ(BUF2B(0x1fff, 1, lookup_top), BAD);
	TAP_CHECK_EQ(BUF2B(0x1ffe, 2, lookup_top), BAD);
}

static void t_paddr_to_baddr(void)
{
	TAP_CHECK_EQ(pvxen_paddr_to_baddr(pvxen_mk_paddr(0x1234),
					  pvxen_bfn_lookup_identity,
					  NULL).baddr, 0x1234);
	TAP_CHECK_EQ(pvxen_paddr_to_baddr(pvxen_mk_paddr(0x4abc),
					  lookup_shuffled, NULL).baddr,
		     0x32abc);
	TAP_CHECK_EQ(pvxen_paddr_to_baddr(pvxen_mk_paddr(0x0),
					  lookup_shuffled, NULL).baddr,
		     0x64000);
	TAP_CHECK_EQ(pvxen_paddr_to_baddr(pvxen_mk_paddr(0xffff),
					  lookup_shuffled, NULL).baddr,
		     0x190fff);
	TAP_CHECK_EQ(pvxen_paddr_to_baddr(pvxen_mk_paddr(0x10000),
					  lookup_shuffled, NULL).baddr, BAD);
	TAP_CHECK_EQ(pvxen_paddr_to_baddr(pvxen_mk_paddr(0xa123),
					  lookup_hole, NULL).baddr, BAD);
	TAP_CHECK_EQ(pvxen_paddr_to_baddr(pvxen_mk_paddr(0x14000),
					  lookup_hole, NULL).baddr, BAD);
	TAP_CHECK_EQ(pvxen_paddr_to_baddr(pvxen_paddr_error(),
					  pvxen_bfn_lookup_identity,
					  NULL).baddr, BAD);
	TAP_CHECK_EQ(pvxen_paddr_to_baddr(pvxen_mk_paddr(BAD - 1),
					  pvxen_bfn_lookup_identity,
					  NULL).baddr, BAD - 1);
}

#define P2D(t, a, fn) \
	pvxen_paddr_to_dma(&(t), pvxen_mk_paddr(a), fn, NULL).dma

static void t_paddr_to_dma(void)
{
	TAP_CHECK_EQ(P2D(rpi4_soc, 0x0, lookup_identity), 0xc0000000);
	TAP_CHECK_EQ(P2D(rpi4_soc, 0x3fffffff, lookup_identity), 0xffffffff);
	TAP_CHECK_EQ(P2D(rpi4_soc, 0x40000000, lookup_identity), BAD);
	TAP_CHECK_EQ(P2D(rpi4_soc, BAD, lookup_identity), BAD);
	TAP_CHECK_EQ(P2D(rpi4_soc, 0x123, lookup_shuffled), 0xc0064123);
	TAP_CHECK_EQ(P2D(rpi4_soc, 0x7fff, lookup_shuffled), 0xc00c8fff);
	TAP_CHECK_EQ(P2D(rpi4_soc, 0x10000, lookup_shuffled), BAD);
	TAP_CHECK_EQ(P2D(rpi4_soc, 0xa000, lookup_hole), BAD);
	TAP_CHECK_EQ(P2D(rpi4_soc, 0x9fff, lookup_hole), 0xc0009fff);
	TAP_CHECK_EQ(P2D(rpi4_soc, 0x1ffff000, lookup_far), 0xfffff000);
	TAP_CHECK_EQ(P2D(rpi4_soc, 0x20000000, lookup_far), BAD);
	TAP_CHECK_EQ(P2D(rpi4_soc_512m, 0x0, lookup_far), BAD);
	TAP_CHECK_EQ(P2D(rpi4_soc_mask30, 0x0, lookup_identity), BAD);
	TAP_CHECK_EQ(P2D(multi64, 0x600000123, lookup_identity), 0x80000123);
	TAP_CHECK_EQ(P2D(identity32, 0x123, lookup_shuffled), 0x64123);
	TAP_CHECK_EQ(P2D(identity32, 0xffffffff, lookup_far), BAD);
}

#define PCAP(t, a, l, fn) \
	pvxen_paddr_dma_capable(&(t), pvxen_mk_paddr(a), l, fn, NULL)

static void t_paddr_dma_capable(void)
{
	TAP_CHECK(PCAP(rpi4_soc, 0x0, 0x40000000, lookup_identity));
	TAP_CHECK(!PCAP(rpi4_soc, 0x3ffff000, 0x2000, lookup_identity));
	TAP_CHECK(!PCAP(rpi4_soc, 0x0, 0, lookup_identity));
	TAP_CHECK(PCAP(rpi4_soc, 0x0, 0x4000, lookup_shuffled));
	/* Both frames reachable, but not machine-contiguous. */
	TAP_CHECK(!PCAP(rpi4_soc, 0x3000, 0x2000, lookup_shuffled));
	TAP_CHECK(PCAP(rpi4_soc, 0x0, 0x1000, lookup_far));
	TAP_CHECK(!PCAP(rpi4_soc_512m, 0x0, 0x1000, lookup_far));
	TAP_CHECK(!PCAP(rpi4_soc, 0x9000, 0x2000, lookup_hole));
	/* Machine-contiguous, but DMA-discontiguous (multi R0 -> R1). */
	TAP_CHECK(pvxen_paddr_machine_contiguous(pvxen_mk_paddr(0x3ffff000),
						 0x2000, lookup_identity,
						 NULL));
	TAP_CHECK(!PCAP(multi64, 0x3ffff000, 0x2000, lookup_identity));
	/* Crossing R3 -> R4, adjacent on both sides. */
	TAP_CHECK(PCAP(multi64, 0x1fffff000, 0x2000, lookup_identity));
	TAP_CHECK(!PCAP(multi32, 0x1fffff000, 0x2000, lookup_identity));
}

/* ---- property: random mappings with runs, against brute force ---- */

#define NR_PFNS 512
static u64 rmap[NR_PFNS];

static struct pvxen_bfn lookup_random(void *ctx, struct pvxen_pfn p)
{
	(void)ctx;
	if (p.pfn >= NR_PFNS)
		return pvxen_bfn_invalid();
	return pvxen_mk_bfn(rmap[p.pfn]);
}

static u64 rnd_bfn(void)
{
	switch (tap_rng_below(4)) {
	case 0:
		return 0x600000 + tap_rng_below(0x40000);	/* multi R2 */
	case 1:
		return 0x1ffff0 + tap_rng_below(0x20);	/* multi R3/R4 */
	default:
		return tap_rng_below(0x40000);		/* first GiB */
	}
}

static void fill_rmap(void)
{
	unsigned int i;

	for (i = 0; i < NR_PFNS; i++) {
		unsigned int r = tap_rng_below(10);

		if (i && r < 7 && rmap[i - 1] < FMAX)
			rmap[i] = rmap[i - 1] + 1;
		else if (r < 9)
			rmap[i] = rnd_bfn();
		else
			rmap[i] = tap_rng_below(2) ? BAD : FMAX + 1;
	}
}

static bool brute_contig(u64 a, u64 len)
{
	__uint128_t last = (__uint128_t)a + len - 1;
	u64 p, first = a >> 12;

	if (!len || last >= BAD)
		return false;
	for (p = first; p <= (u64)(last >> 12); p++) {
		u64 b = p < NR_PFNS ? rmap[p] : BAD;

		if (b > FMAX || b != rmap[first] + (p - first))
			return false;
	}
	return true;
}

static u64 brute_baddr(u64 a)
{
	u64 p = a >> 12;

	if (a == BAD || p >= NR_PFNS || rmap[p] > FMAX ||
	    ((rmap[p] << 12) | (a & 0xfff)) == BAD)
		return BAD;
	return (rmap[p] << 12) | (a & 0xfff);
}

static void t_random_mappings(void)
{
	static const struct pvxen_dma_table *tabs[] = {
		&rpi4_soc, &rpi4_soc_512m, &multi64, &multi32, &identity32,
	};
	unsigned int m, i, nr_contig = 0, nr_cap = 0, n = 0;

	for (m = 0; m < 200; m++) {
		fill_rmap();
		for (i = 0; i < 500; i++, n++) {
			u64 a = tap_rng_below((NR_PFNS + 2) << 12);
			u64 len = tap_rng_below(5) << 12;
			const struct pvxen_dma_table *t =
				tabs[tap_rng_below(ARRAY_SIZE(tabs))];
			bool c, want_c, cap, want_cap;
			u64 b;

			len += tap_rng_below(3) ? tap_rng_below(0x1000) :
			       tap_rng_below(3) - 1;
			c = pvxen_paddr_machine_contiguous(pvxen_mk_paddr(a),
							   len, lookup_random,
							   NULL);
			want_c = brute_contig(a, len);
			if (c != want_c)
				tap_fail(__FILE__, __LINE__,
					 "contig(0x%llx, 0x%llx) = %d",
					 (unsigned long long)a,
					 (unsigned long long)len, c);
			b = pvxen_paddr_to_baddr(pvxen_mk_paddr(a),
						 lookup_random, NULL).baddr;
			TAP_CHECK_EQ(b, brute_baddr(a));
			TAP_CHECK_EQ(pvxen_paddr_buf_to_baddr(pvxen_mk_paddr(a),
							      len,
							      lookup_random,
							      NULL).baddr,
				     want_c ? b : BAD);
			TAP_CHECK_EQ(pvxen_paddr_to_dma(t, pvxen_mk_paddr(a),
							lookup_random,
							NULL).dma,
				     b == BAD ? BAD : m_to_dma(t, b));
			cap = pvxen_paddr_dma_capable(t, pvxen_mk_paddr(a),
						      len, lookup_random,
						      NULL);
			want_cap = want_c && m_capable(t, b, len);
			if (cap != want_cap)
				tap_fail(__FILE__, __LINE__,
					 "paddr_dma_capable(0x%llx, 0x%llx) = %d",
					 (unsigned long long)a,
					 (unsigned long long)len, cap);
			nr_contig += want_c;
			nr_cap += want_cap;
		}
	}
	tap_diag("%u buffers: %u machine-contiguous, %u DMA-capable", n,
		 nr_contig, nr_cap);
	TAP_CHECK(nr_contig > n / 10 && nr_contig < n * 9 / 10);
	TAP_CHECK(nr_cap > n / 20 && nr_cap < nr_contig);
}

static const struct tap_case cases[] = {
	{ "lookup: once per frame, in order, never for bad input",
	  t_lookup_calls },
	{ "machine address of whole guest buffers", t_buf_to_baddr },
	{ "guest-physical -> machine through identity, shuffled, holes",
	  t_paddr_to_baddr },
	{ "full chain pfn -> bfn -> dma on rpi4 and multi-range tables",
	  t_paddr_to_dma },
	{ "guest buffer DMA capability: contiguity and reach combined",
	  t_paddr_dma_capable },
	{ "100000 random buffers on 200 random mappings match brute force",
	  t_random_mappings },
};

int main(void)
{
	unsigned int i;

	tap_plan(ARRAY_SIZE(mvecs) + ARRAY_SIZE(cases));
	tap_rng_seed(0x7078656e636f6e74ULL);
	for (i = 0; i < ARRAY_SIZE(mvecs); i++)
		run_mvec(&mvecs[i]);
	tap_run_cases(cases, ARRAY_SIZE(cases));
	return tap_exit();
}
