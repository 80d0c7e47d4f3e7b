// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests for include/pvxen/xlate.h: concrete translations on real
 * Raspberry Pi 4 tables and synthetic ones, capability of whole buffers,
 * and range table validation.
 */
#include <pvxen/xlate.h>
#include "tap.h"
#include "tables.h"

#define BAD ALL_ONES

struct xvec {
	const char *tname;
	const struct pvxen_dma_table *t;
	bool to_dma;		/* baddr -> dma, else dma -> baddr */
	u64 in;
	u64 want;		/* BAD: must be rejected */
};

#define B2D(tbl, a, d) { #tbl, &(tbl), true, a, d }
#define D2B(tbl, d, a) { #tbl, &(tbl), false, d, a }

static const struct xvec xvecs[] = {
	/* Raspberry Pi 4 /soc: CPU 0x0-0x3fffffff at bus 0xc0000000. */
	B2D(rpi4_soc, 0x0, 0xc0000000),
	B2D(rpi4_soc, 0x1, 0xc0000001),
	B2D(rpi4_soc, 0x1000, 0xc0001000),
	B2D(rpi4_soc, 0x3ffff000, 0xfffff000),
	B2D(rpi4_soc, 0x3fffffff, 0xffffffff),
	B2D(rpi4_soc, 0x40000000, BAD),
	B2D(rpi4_soc, 0xc0000000, BAD),	/* a bus address fed back in */
	B2D(rpi4_soc, 0xfe000000, BAD),
	B2D(rpi4_soc, 0x100000000, BAD),
	B2D(rpi4_soc, BAD, BAD),
	D2B(rpi4_soc, 0xc0000000, 0x0),
	D2B(rpi4_soc, 0xc0001234, 0x1234),
	D2B(rpi4_soc, 0xffffffff, 0x3fffffff),
	D2B(rpi4_soc, 0xbfffffff, BAD),
	D2B(rpi4_soc, 0x0, BAD),
	D2B(rpi4_soc, 0x3fffffff, BAD),
	D2B(rpi4_soc, 0x100000000, BAD),
	D2B(rpi4_soc, BAD, BAD),
	/* 30-bit device on /soc: the window is out of its reach. */
	B2D(rpi4_soc_mask30, 0x0, BAD),
	B2D(rpi4_soc_mask30, 0x3fffffff, BAD),
	D2B(rpi4_soc_mask30, 0xc0000000, BAD),
	D2B(rpi4_soc_mask30, 0x0, BAD),
	/* Window cut at 512 MiB. */
	B2D(rpi4_soc_512m, 0x1fffffff, 0xdfffffff),
	B2D(rpi4_soc_512m, 0x20000000, BAD),
	D2B(rpi4_soc_512m, 0xdfffffff, 0x1fffffff),
	D2B(rpi4_soc_512m, 0xe0000000, BAD),
	/* emmc2 (C0) and pcie0: identity windows of 4 GiB - 64 MiB, 3 GiB. */
	B2D(rpi4_emmc2_c0, 0x0, 0x0),
	B2D(rpi4_emmc2_c0, 0xfbffffff, 0xfbffffff),
	B2D(rpi4_emmc2_c0, 0xfc000000, BAD),
	D2B(rpi4_emmc2_c0, 0xfc000000, BAD),
	B2D(rpi4_pcie, 0xbfffffff, 0xbfffffff),
	B2D(rpi4_pcie, 0xc0000000, BAD),
	B2D(rpi4_pcie, 0x100000000, BAD),
	D2B(rpi4_pcie, 0xc0000000, BAD),
	/* Several ranges. */
	B2D(multi64, 0x0, 0xc0000000),
	B2D(multi64, 0x3fffffff, 0xffffffff),
	B2D(multi64, 0x40000000, 0x40000000),
	B2D(multi64, 0x7fffffff, 0x7fffffff),
	B2D(multi64, 0x80000000, BAD),
	B2D(multi64, 0xffffffff, BAD),
	B2D(multi64, 0x100000000, 0x100000000),
	B2D(multi64, 0x1ffffffff, 0x1ffffffff),
	B2D(multi64, 0x200000000, 0x200000000),
	B2D(multi64, 0x20fffffff, 0x20fffffff),
	B2D(multi64, 0x210000000, BAD),
	B2D(multi64, 0x5ffffffff, BAD),
	B2D(multi64, 0x600000000, 0x80000000),
	B2D(multi64, 0x63fffffff, 0xbfffffff),
	B2D(multi64, 0x640000000, BAD),
	D2B(multi64, 0x3fffffff, BAD),
	D2B(multi64, 0x40000000, 0x40000000),
	D2B(multi64, 0x7fffffff, 0x7fffffff),
	D2B(multi64, 0x80000000, 0x600000000),
	D2B(multi64, 0xbfffffff, 0x63fffffff),
	D2B(multi64, 0xc0000000, 0x0),
	D2B(multi64, 0x210000000, BAD),
	B2D(multi32, 0x0, 0xc0000000),
	B2D(multi32, 0x600000000, 0x80000000),
	B2D(multi32, 0x100000000, BAD),
	D2B(multi32, 0x100000000, BAD),
	/* Identity. */
	B2D(identity32, 0x0, 0x0),
	B2D(identity32, 0xffffffff, 0xffffffff),
	B2D(identity32, 0x100000000, BAD),
	B2D(identity32, BAD, BAD),
	D2B(identity32, 0xffffffff, 0xffffffff),
	D2B(identity32, 0x100000000, BAD),
	B2D(identity64, 0x0, 0x0),
	B2D(identity64, 0x123456789abcULL, 0x123456789abcULL),
	B2D(identity64, BAD - 1, BAD - 1),
	B2D(identity64, BAD, BAD),
	D2B(identity64, BAD - 1, BAD - 1),
	D2B(identity64, BAD, BAD),
	B2D(identity_explicit, 0x0, 0x0),
	B2D(identity_explicit, BAD - 1, BAD - 1),
	B2D(identity_explicit, BAD, BAD),
	D2B(identity_explicit, BAD - 1, BAD - 1),
	/* Ranges ending at 2^64 - 1. */
	B2D(top, 0xffffffff00000000ULL, 0x0),
	B2D(top, BAD - 1, 0xfffffffe),
	B2D(top, BAD, BAD),
	B2D(top, 0x0, 0xffffffff00000000ULL),
	B2D(top, 0xfffffffe, BAD - 1),
	B2D(top, 0xffffffff, BAD),	/* would be the all-ones address */
	B2D(top, 0x100000000, BAD),
	D2B(top, 0x0, 0xffffffff00000000ULL),
	D2B(top, 0xfffffffe, BAD - 1),
	D2B(top, 0xffffffff, BAD),	/* would be the all-ones address */
	D2B(top, 0xffffffff00000000ULL, 0x0),
	D2B(top, BAD - 1, 0xfffffffe),
	D2B(top, BAD, BAD),
};

struct cvec {
	const char *tname;
	const struct pvxen_dma_table *t;
	u64 baddr, len;
	bool want;
	const char *why;
};

#define CAP(tbl, a, l, w, why) { #tbl, &(tbl), a, l, w, why }

static const struct cvec cvecs[] = {
	CAP(rpi4_soc, 0x0, 0x40000000, true, "the whole 1 GiB window"),
	CAP(rpi4_soc, 0x0, 0x40000001, false, "window plus one byte"),
	CAP(rpi4_soc, 0x3fffffff, 1, true, "last byte of the window"),
	CAP(rpi4_soc, 0x3fffffff, 2, false, "last byte and the next"),
	CAP(rpi4_soc, 0x40000000, 1, false, "first byte past the window"),
	CAP(rpi4_soc, 0x1000, 0x1000, true, "one 4 KiB frame"),
	CAP(rpi4_soc, 0x1000, 0, false, "zero length"),
	CAP(rpi4_soc_mask30, 0x0, 1, false, "nothing reachable"),
	CAP(rpi4_soc_512m, 0x0, 0x20000000, true, "the reachable 512 MiB"),
	CAP(rpi4_soc_512m, 0x0, 0x20000001, false, "one byte too far"),
	CAP(rpi4_soc_512m, 0x1ffff000, 0x2000, false, "crossing the limit"),
	CAP(rpi4_pcie, 0xbffff000, 0x1000, true, "last frame below 3 GiB"),
	CAP(rpi4_pcie, 0xbffff000, 0x1001, false, "into the 4th GiB"),
	CAP(multi64, 0x3ffff000, 0x2000, false,
	    "R0 -> R1: CPU-adjacent, DMA discontiguous"),
	CAP(multi64, 0x1fffff000, 0x2000, true,
	    "R3 -> R4: adjacent on both sides"),
	CAP(multi64, 0x100000000, 0x110000000, true, "all of R3 and R4"),
	CAP(multi64, 0x100000000, 0x110000001, false, "R3, R4 and a byte"),
	CAP(multi64, 0x7ffff000, 0x2000, false, "R1 into the hole"),
	CAP(multi64, 0x600000000, 0x40000000, true, "all of R2"),
	CAP(multi64, 0x5fffffff0, 0x20, false, "hole into R2"),
	CAP(multi32, 0x1fffff000, 0x2000, false, "beyond a 32-bit bus"),
	CAP(multi32, 0x0, 0x40000000, true, "all of R0"),
	CAP(identity32, 0x0, 0x100000000, true, "all 4 GiB"),
	CAP(identity32, 0x0, 0x100000001, false, "4 GiB plus one byte"),
	CAP(identity32, 0xffffffff, 1, true, "last byte below 4 GiB"),
	CAP(identity32, 0xffffffff, 2, false, "crossing 4 GiB"),
	CAP(identity32, 0x0, 0, false, "zero length"),
	CAP(identity64, 0x0, BAD, true, "0 .. 2^64-2"),
	CAP(identity64, 0x1, BAD, false, "last byte is all-ones"),
	CAP(identity64, 0x2, BAD, false, "wraps past 2^64"),
	CAP(identity64, BAD, 1, false, "the all-ones byte alone"),
	CAP(identity64, BAD - 1, 1, true, "byte 2^64-2"),
	CAP(identity_explicit, 0x0, BAD, true, "0 .. 2^64-2"),
	CAP(identity_explicit, BAD - 1, 2, false, "wraps past 2^64"),
	CAP(top, 0xffffffff00000000ULL, 0xffffffff, true,
	    "top range up to 2^64-2"),
	CAP(top, 0xffffffff00000000ULL, 0x100000000, false,
	    "top range including the all-ones byte"),
	CAP(top, 0x0, 0xffffffff, true, "DMA side up to 2^64-2"),
	CAP(top, 0x0, 0x100000000, false, "DMA side reaching all-ones"),
};

struct tvec {
	const char *name;
	struct pvxen_dma_range r[3];
	unsigned int nr;
	u64 limit;
	enum pvxen_dma_table_err want;
};

static const struct tvec tvecs[] = {
	{ "one range", { { 0x0, 0xc0000000, 0x40000000 } }, 1, 0xffffffff,
	  PVXEN_DMA_TABLE_OK },
	{ "touching on both sides", { { 0x0, 0x0, 0x1000 },
	  { 0x1000, 0x1000, 0x1000 } }, 2, BAD, PVXEN_DMA_TABLE_OK },
	{ "range ending at 2^64-1 on both sides",
	  { { BAD - 0xfff, BAD - 0xfff, 0x1000 } }, 1, BAD,
	  PVXEN_DMA_TABLE_OK },
	{ "largest range", { { 0x0, 0x0, BAD } }, 1, BAD,
	  PVXEN_DMA_TABLE_OK },
	{ "one byte at 2^64-1", { { BAD, BAD, 1 } }, 1, BAD,
	  PVXEN_DMA_TABLE_OK },
	{ "dma_limit 0 is accepted", { { 0x0, 0x1000, 0x1000 } }, 1, 0,
	  PVXEN_DMA_TABLE_OK },
	{ "zero size", { { 0x0, 0x0, 0x0 } }, 1, BAD,
	  PVXEN_DMA_TABLE_EZEROSIZE },
	{ "zero size after a good range", { { 0x0, 0x0, 0x1000 },
	  { 0x10000, 0x10000, 0 } }, 2, BAD, PVXEN_DMA_TABLE_EZEROSIZE },
	{ "CPU side wraps by one byte", { { BAD - 0xfff, 0x0, 0x1001 } }, 1,
	  BAD, PVXEN_DMA_TABLE_ECPUWRAP },
	{ "size 2^64-1 from 1 ends at 2^64-1", { { 0x1, 0x0, BAD } }, 1,
	  BAD, PVXEN_DMA_TABLE_OK },
	{ "CPU side wraps, size 2^64-1 from 2", { { 0x2, 0x0, BAD } }, 1,
	  BAD, PVXEN_DMA_TABLE_ECPUWRAP },
	{ "CPU side starts at all-ones, size 2", { { BAD, 0x0, 2 } }, 1, BAD,
	  PVXEN_DMA_TABLE_ECPUWRAP },
	{ "DMA side wraps", { { 0x0, BAD - 0xfff, 0x2000 } }, 1, BAD,
	  PVXEN_DMA_TABLE_EBUSWRAP },
	{ "CPU overlap by one byte", { { 0x0, 0x1000, 0x2000 },
	  { 0x1fff, 0x10000, 0x1000 } }, 2, BAD,
	  PVXEN_DMA_TABLE_ECPUOVERLAP },
	{ "CPU overlap, reversed order", { { 0x1fff, 0x10000, 0x1000 },
	  { 0x0, 0x1000, 0x2000 } }, 2, BAD, PVXEN_DMA_TABLE_ECPUOVERLAP },
	{ "CPU containment", { { 0x0, 0x0, 0x10000 },
	  { 0x1000, 0x100000, 0x10 } }, 2, BAD,
	  PVXEN_DMA_TABLE_ECPUOVERLAP },
	{ "same range twice", { { 0x0, 0xc0000000, 0x40000000 },
	  { 0x0, 0xc0000000, 0x40000000 } }, 2, BAD,
	  PVXEN_DMA_TABLE_ECPUOVERLAP },
	{ "DMA overlap by one byte", { { 0x0, 0x0, 0x1000 },
	  { 0x10000, 0xfff, 0x10 } }, 2, BAD, PVXEN_DMA_TABLE_EBUSOVERLAP },
	{ "DMA overlap between 1st and 3rd", { { 0x0, 0x0, 0x1000 },
	  { 0x1000, 0x8000, 0x1000 }, { 0x2000, 0x800, 0x1000 } }, 3, BAD,
	  PVXEN_DMA_TABLE_EBUSOVERLAP },
	{ "DMA overlap at the very top", { { 0x0, BAD - 1, 2 },
	  { 0x10, BAD, 1 } }, 2, BAD, PVXEN_DMA_TABLE_EBUSOVERLAP },
};

static void run_xvec(const struct xvec *v)
{
	u64 got;

	if (v->to_dma)
		got = pvxen_baddr_to_dma(v->t, pvxen_mk_baddr(v->in)).dma;
	else
		got = pvxen_dma_to_baddr(v->t, pvxen_mk_dma(v->in)).baddr;
	if (got != v->want)
		tap_diag("got 0x%llx", (unsigned long long)got);
	if (v->want == BAD)
		tap_result(got == v->want, "%s: %s 0x%llx is rejected",
			   v->tname, v->to_dma ? "baddr" : "dma",
			   (unsigned long long)v->in);
	else
		tap_result(got == v->want, "%s: %s 0x%llx -> %s 0x%llx",
			   v->tname, v->to_dma ? "baddr" : "dma",
			   (unsigned long long)v->in,
			   v->to_dma ? "dma" : "baddr",
			   (unsigned long long)v->want);
}

static void run_cvec(const struct cvec *v)
{
	bool got = pvxen_dma_capable(v->t, pvxen_mk_baddr(v->baddr), v->len);

	tap_result(got == v->want, "%s: [0x%llx +0x%llx] %s (%s)", v->tname,
		   (unsigned long long)v->baddr, (unsigned long long)v->len,
		   v->want ? "reachable" : "not reachable", v->why);
}

static void run_tvec(const struct tvec *v)
{
	struct pvxen_dma_table t = {
		.ranges = v->r, .nr = v->nr, .dma_limit = v->limit,
	};
	enum pvxen_dma_table_err got = pvxen_dma_table_validate(&t);

	if (got != v->want)
		tap_diag("got %d (%s)", got, pvxen_dma_table_err_str(got));
	tap_result(got == v->want, "validate: %s -> %s", v->name,
		   pvxen_dma_table_err_str(v->want));
}

static void t_all_tables_valid(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(all_tables); i++) {
		enum pvxen_dma_table_err e =
			pvxen_dma_table_validate(all_tables[i].t);

		if (e)
			tap_fail(__FILE__, __LINE__, "%s: %s",
				 all_tables[i].name,
				 pvxen_dma_table_err_str(e));
	}
}

static void t_missing_ranges(void)
{
	struct pvxen_dma_table t = { .ranges = NULL, .nr = 1 };

	TAP_CHECK_EQ(pvxen_dma_table_validate(NULL),
		     PVXEN_DMA_TABLE_ENORANGES);
	TAP_CHECK_EQ(pvxen_dma_table_validate(&t), PVXEN_DMA_TABLE_ENORANGES);
	t.nr = 0;
	TAP_CHECK_EQ(pvxen_dma_table_validate(&t), PVXEN_DMA_TABLE_OK);
}

static void t_max_ranges(void)
{
	struct pvxen_dma_range r[PVXEN_DMA_TABLE_MAX_RANGES + 1];
	struct pvxen_dma_table t = { .ranges = r, .dma_limit = BAD };
	struct pvxen_baddr a;
	unsigned int i;

	/* Interleaved, unsorted on the DMA side, all disjoint. */
	for (i = 0; i < ARRAY_SIZE(r); i++) {
		r[i].cpu_start = (u64)i << 32;
		r[i].bus_start = (u64)(ARRAY_SIZE(r) - i) << 20;
		r[i].size = 0x1000;
	}
	t.nr = PVXEN_DMA_TABLE_MAX_RANGES;
	TAP_CHECK_EQ(pvxen_dma_table_validate(&t), PVXEN_DMA_TABLE_OK);
	a = pvxen_mk_baddr(((u64)63 << 32) + 5);
	TAP_CHECK_EQ(pvxen_baddr_to_dma(&t, a).dma, ((u64)2 << 20) + 5);
	t.nr = PVXEN_DMA_TABLE_MAX_RANGES + 1;
	TAP_CHECK_EQ(pvxen_dma_table_validate(&t), PVXEN_DMA_TABLE_ETOOMANY);
	/* Overlap in the last pair of a full table is still found. */
	t.nr = PVXEN_DMA_TABLE_MAX_RANGES;
	r[63].bus_start = r[62].bus_start + 0xfff;
	TAP_CHECK_EQ(pvxen_dma_table_validate(&t),
		     PVXEN_DMA_TABLE_EBUSOVERLAP);
}

static void t_identity_equivalence(void)
{
	struct pvxen_dma_table t = pvxen_dma_table_identity(0xffffffff);
	static const u64 a[] = { 0, 1, 0xfff, 0x1000, 0x3fffffff,
				 0xfffffffe, 0xffffffff, 0x100000000,
				 BAD - 1, BAD };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(a); i++) {
		TAP_CHECK_EQ(pvxen_baddr_to_dma(&t, pvxen_mk_baddr(a[i])).dma,
			     pvxen_baddr_to_dma(&identity32,
						pvxen_mk_baddr(a[i])).dma);
		TAP_CHECK_EQ(pvxen_baddr_to_dma(&identity64,
						pvxen_mk_baddr(a[i])).dma,
			     pvxen_baddr_to_dma(&identity_explicit,
						pvxen_mk_baddr(a[i])).dma);
		TAP_CHECK_EQ(pvxen_dma_to_baddr(&identity64,
						pvxen_mk_dma(a[i])).baddr,
			     pvxen_dma_to_baddr(&identity_explicit,
						pvxen_mk_dma(a[i])).baddr);
	}
}

/*
 * Conversions stay safe on tables that fail validation: an address that
 * would wrap past 2^64 - 1 is an error, never a small wrong address.
 */
static void t_invalid_tables_never_wrap(void)
{
	static const struct pvxen_dma_range busw[] = {
		{ .cpu_start = 0x1000, .bus_start = BAD - 0xfff,
		  .size = 0x2000 },
	};
	static const struct pvxen_dma_range cpuw[] = {
		{ .cpu_start = BAD - 0xfff, .bus_start = 0x1000,
		  .size = 0x2000 },
	};
	struct pvxen_dma_table t = { .ranges = busw, .nr = 1,
				     .dma_limit = BAD };

	TAP_CHECK_EQ(pvxen_dma_table_validate(&t), PVXEN_DMA_TABLE_EBUSWRAP);
	TAP_CHECK_EQ(pvxen_baddr_to_dma(&t, pvxen_mk_baddr(0x1000)).dma,
		     BAD - 0xfff);
	TAP_CHECK_EQ(pvxen_baddr_to_dma(&t, pvxen_mk_baddr(0x1fff)).dma,
		     BAD);
	TAP_CHECK_EQ(pvxen_baddr_to_dma(&t, pvxen_mk_baddr(0x2000)).dma,
		     BAD);
	TAP_CHECK_EQ(pvxen_baddr_to_dma(&t, pvxen_mk_baddr(0x2fff)).dma,
		     BAD);
	TAP_CHECK(pvxen_dma_capable(&t, pvxen_mk_baddr(0x1000), 0xfff));
	TAP_CHECK(!pvxen_dma_capable(&t, pvxen_mk_baddr(0x1000), 0x1000));
	TAP_CHECK(!pvxen_dma_capable(&t, pvxen_mk_baddr(0x1000), 0x2000));
	TAP_CHECK(!pvxen_dma_capable(&t, pvxen_mk_baddr(0x2000), 1));

	t.ranges = cpuw;
	TAP_CHECK_EQ(pvxen_dma_table_validate(&t), PVXEN_DMA_TABLE_ECPUWRAP);
	TAP_CHECK_EQ(pvxen_dma_to_baddr(&t, pvxen_mk_dma(0x1000)).baddr,
		     BAD - 0xfff);
	TAP_CHECK_EQ(pvxen_dma_to_baddr(&t, pvxen_mk_dma(0x1fff)).baddr,
		     BAD);
	TAP_CHECK_EQ(pvxen_dma_to_baddr(&t, pvxen_mk_dma(0x2000)).baddr,
		     BAD);
	TAP_CHECK_EQ(pvxen_baddr_to_dma(&t, pvxen_mk_baddr(BAD - 1)).dma,
		     0x1ffe);
	TAP_CHECK(pvxen_dma_capable(&t, pvxen_mk_baddr(BAD - 0xfff), 0xfff));
	TAP_CHECK(!pvxen_dma_capable(&t, pvxen_mk_baddr(BAD - 0xfff),
				     0x1000));
}

static const struct tap_case cases[] = {
	{ "invalid (wrapping) tables: conversions never wrap",
	  t_invalid_tables_never_wrap },
	{ "every table in tables.h validates", t_all_tables_valid },
	{ "validate: NULL table or NULL ranges with nr > 0",
	  t_missing_ranges },
	{ "validate: 64 ranges accepted, 65 rejected", t_max_ranges },
	{ "identity helper, nr == 0 and one 0->0 range agree",
	  t_identity_equivalence },
};

int main(void)
{
	unsigned int i;

	tap_plan(ARRAY_SIZE(xvecs) + ARRAY_SIZE(cvecs) + ARRAY_SIZE(tvecs) +
		 ARRAY_SIZE(cases));
	for (i = 0; i < ARRAY_SIZE(xvecs); i++)
		run_xvec(&xvecs[i]);
	for (i = 0; i < ARRAY_SIZE(cvecs); i++)
		run_cvec(&cvecs[i]);
	for (i = 0; i < ARRAY_SIZE(tvecs); i++)
		run_tvec(&tvecs[i]);
	tap_run_cases(cases, ARRAY_SIZE(cases));
	return tap_exit();
}
