// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests for include/pvxen/xlate.h: constants, typed values, error
 * values, frame <-> address helpers.
 */
#include <string.h>
#include <pvxen/xlate.h>
#include "tap.h"

#define ALL_ONES (~0ULL)
#define FMAX 0x000fffffffffffffULL

static void t_constants(void)
{
	TAP_CHECK_EQ(PVXEN_XEN_PAGE_SHIFT, 12);
	TAP_CHECK_EQ(PVXEN_XEN_PAGE_SIZE, 4096);
	TAP_CHECK_EQ(PVXEN_XEN_PAGE_MASK, 0xfffffffffffff000ULL);
	TAP_CHECK_EQ(PVXEN_XEN_FRAME_MAX, FMAX);
	TAP_CHECK_EQ(PVXEN_XLATE_ERROR, ALL_ONES);
	TAP_CHECK_EQ(PVXEN_PFN_INVALID, ALL_ONES);
	TAP_CHECK_EQ(PVXEN_BFN_INVALID, ALL_ONES);
	TAP_CHECK_EQ(PVXEN_PADDR_ERROR, ALL_ONES);
	TAP_CHECK_EQ(PVXEN_BADDR_ERROR, ALL_ONES);
	TAP_CHECK_EQ(PVXEN_DMA_ERROR, ALL_ONES);
	TAP_CHECK(sizeof(u64) == 8 && (u64)-1 > 0);
	/* The wrappers cost nothing: same size as the raw value. */
	TAP_CHECK(sizeof(struct pvxen_pfn) == 8);
	TAP_CHECK(sizeof(struct pvxen_dma_addr) == 8);
}

static void t_wrappers(void)
{
	TAP_CHECK_EQ(pvxen_pfn_val(pvxen_mk_pfn(0x1234)), 0x1234);
	TAP_CHECK_EQ(pvxen_bfn_val(pvxen_mk_bfn(0x5678)), 0x5678);
	TAP_CHECK_EQ(pvxen_paddr_val(pvxen_mk_paddr(0x9abc)), 0x9abc);
	TAP_CHECK_EQ(pvxen_baddr_val(pvxen_mk_baddr(0xdef0)), 0xdef0);
	TAP_CHECK_EQ(pvxen_dma_val(pvxen_mk_dma(0xc0000000)), 0xc0000000);
	TAP_CHECK_EQ(pvxen_pfn_val(pvxen_pfn_invalid()), ALL_ONES);
	TAP_CHECK_EQ(pvxen_bfn_val(pvxen_bfn_invalid()), ALL_ONES);
	TAP_CHECK_EQ(pvxen_paddr_val(pvxen_paddr_error()), ALL_ONES);
	TAP_CHECK_EQ(pvxen_baddr_val(pvxen_baddr_error()), ALL_ONES);
	TAP_CHECK_EQ(pvxen_dma_val(pvxen_dma_error()), ALL_ONES);
}

static void t_address_predicates(void)
{
	static const u64 ok[] = { 0, 1, 0xfff, 0x1000, 0xffffffff,
				  0x8000000000000000ULL, ALL_ONES - 1 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		TAP_CHECK(!pvxen_paddr_is_error(pvxen_mk_paddr(ok[i])));
		TAP_CHECK(!pvxen_baddr_is_error(pvxen_mk_baddr(ok[i])));
		TAP_CHECK(!pvxen_dma_is_error(pvxen_mk_dma(ok[i])));
	}
	TAP_CHECK(pvxen_paddr_is_error(pvxen_mk_paddr(ALL_ONES)));
	TAP_CHECK(pvxen_baddr_is_error(pvxen_mk_baddr(ALL_ONES)));
	TAP_CHECK(pvxen_dma_is_error(pvxen_mk_dma(ALL_ONES)));
	TAP_CHECK(pvxen_paddr_is_error(pvxen_paddr_error()));
	TAP_CHECK(pvxen_baddr_is_error(pvxen_baddr_error()));
	TAP_CHECK(pvxen_dma_is_error(pvxen_dma_error()));
}

static void t_frame_predicates(void)
{
	TAP_CHECK(!pvxen_pfn_is_invalid(pvxen_mk_pfn(0)));
	TAP_CHECK(!pvxen_pfn_is_invalid(pvxen_mk_pfn(FMAX)));
	TAP_CHECK(pvxen_pfn_is_invalid(pvxen_mk_pfn(FMAX + 1)));
	TAP_CHECK(pvxen_pfn_is_invalid(pvxen_mk_pfn(ALL_ONES)));
	TAP_CHECK(pvxen_pfn_is_invalid(pvxen_pfn_invalid()));
	TAP_CHECK(!pvxen_bfn_is_invalid(pvxen_mk_bfn(0)));
	TAP_CHECK(!pvxen_bfn_is_invalid(pvxen_mk_bfn(FMAX)));
	TAP_CHECK(pvxen_bfn_is_invalid(pvxen_mk_bfn(FMAX + 1)));
	TAP_CHECK(pvxen_bfn_is_invalid(pvxen_mk_bfn(ALL_ONES - 1)));
	TAP_CHECK(pvxen_bfn_is_invalid(pvxen_bfn_invalid()));
}

/* Raw-value shorthands for the checks below. */
static u64 pfn2pa(u64 pfn)
{
	return pvxen_paddr_val(pvxen_pfn_to_paddr(pvxen_mk_pfn(pfn)));
}

static u64 pa2pfn(u64 a)
{
	return pvxen_pfn_val(pvxen_paddr_to_pfn(pvxen_mk_paddr(a)));
}

static u64 pa_off(u64 a)
{
	return pvxen_paddr_page_offset(pvxen_mk_paddr(a));
}

static u64 bfn2ba(u64 bfn)
{
	return pvxen_baddr_val(pvxen_bfn_to_baddr(pvxen_mk_bfn(bfn)));
}

static u64 bfnoff2ba(u64 bfn, u64 off)
{
	return pvxen_baddr_val(pvxen_bfn_to_baddr_off(pvxen_mk_bfn(bfn), off));
}

static u64 ba2bfn(u64 a)
{
	return pvxen_bfn_val(pvxen_baddr_to_bfn(pvxen_mk_baddr(a)));
}

static u64 ba_off(u64 a)
{
	return pvxen_baddr_page_offset(pvxen_mk_baddr(a));
}

static u64 idlookup(u64 pfn)
{
	return pvxen_bfn_val(pvxen_bfn_lookup_identity(NULL,
						       pvxen_mk_pfn(pfn)));
}

static void t_pfn_paddr(void)
{
	struct pvxen_paddr a = pvxen_pfn_to_paddr(pvxen_pfn_invalid());

	TAP_CHECK(pvxen_paddr_is_error(a));
	TAP_CHECK(pvxen_pfn_is_invalid(pvxen_paddr_to_pfn(a)));
	TAP_CHECK_EQ(pfn2pa(0), 0);
	TAP_CHECK_EQ(pfn2pa(1), 0x1000);
	TAP_CHECK_EQ(pfn2pa(0x3ffff), 0x3ffff000);
	TAP_CHECK_EQ(pfn2pa(FMAX), 0xfffffffffffff000ULL);
	TAP_CHECK_EQ(pfn2pa(FMAX + 1), ALL_ONES);
	TAP_CHECK_EQ(pfn2pa(ALL_ONES), ALL_ONES);

	TAP_CHECK_EQ(pa2pfn(0), 0);
	TAP_CHECK_EQ(pa2pfn(0xfff), 0);
	TAP_CHECK_EQ(pa2pfn(0x1000), 1);
	TAP_CHECK_EQ(pa2pfn(0x3fffffff), 0x3ffff);
	TAP_CHECK_EQ(pa2pfn(ALL_ONES - 1), FMAX);
	TAP_CHECK_EQ(pa2pfn(ALL_ONES), PVXEN_PFN_INVALID);

	TAP_CHECK_EQ(pa_off(0x12345), 0x345);
	TAP_CHECK_EQ(pa_off(0x1000), 0);
	TAP_CHECK_EQ(pa_off(ALL_ONES - 1), 0xffe);
}

static void t_bfn_baddr(void)
{
	struct pvxen_baddr a = pvxen_bfn_to_baddr(pvxen_bfn_invalid());

	TAP_CHECK(pvxen_baddr_is_error(a));
	TAP_CHECK(pvxen_bfn_is_invalid(pvxen_baddr_to_bfn(a)));
	TAP_CHECK_EQ(bfn2ba(0), 0);
	TAP_CHECK_EQ(bfn2ba(0xc0000), 0xc0000000);
	TAP_CHECK_EQ(bfn2ba(FMAX), 0xfffffffffffff000ULL);
	TAP_CHECK_EQ(bfn2ba(FMAX + 1), ALL_ONES);

	TAP_CHECK_EQ(bfnoff2ba(5, 0x123), 0x5123);
	TAP_CHECK_EQ(bfnoff2ba(5, 0), 0x5000);
	TAP_CHECK_EQ(bfnoff2ba(5, 0xfff), 0x5fff);
	TAP_CHECK_EQ(bfnoff2ba(5, 0x1000), ALL_ONES);
	TAP_CHECK_EQ(bfnoff2ba(5, ALL_ONES), ALL_ONES);
	TAP_CHECK_EQ(bfnoff2ba(ALL_ONES, 0), ALL_ONES);
	TAP_CHECK_EQ(bfnoff2ba(FMAX + 1, 0), ALL_ONES);
	TAP_CHECK_EQ(bfnoff2ba(FMAX, 0xffe), ALL_ONES - 1);
	/* The very last byte is the error address itself. */
	TAP_CHECK_EQ(bfnoff2ba(FMAX, 0xfff), ALL_ONES);

	TAP_CHECK_EQ(ba2bfn(0xc0000fff), 0xc0000);
	TAP_CHECK_EQ(ba2bfn(ALL_ONES - 1), FMAX);
	TAP_CHECK_EQ(ba2bfn(ALL_ONES), PVXEN_BFN_INVALID);
	TAP_CHECK_EQ(ba_off(0xc0000fff), 0xfff);
}

static void t_frame_roundtrip(void)
{
	unsigned int i;

	for (i = 0; i < 20000; i++) {
		u64 pfn = tap_rng() >> (12 + (tap_rng() & 31));
		u64 off = tap_rng() & 0xfff;
		u64 a = (pfn << 12) | off;

		TAP_CHECK(!pvxen_pfn_is_invalid(pvxen_mk_pfn(pfn)));
		TAP_CHECK_EQ(pa2pfn(pfn2pa(pfn)), pfn);
		TAP_CHECK_EQ(pa_off(pfn2pa(pfn)), 0);
		TAP_CHECK_EQ(ba2bfn(bfn2ba(pfn)), pfn);
		if (a == ALL_ONES) {
			TAP_CHECK_EQ(bfnoff2ba(pfn, off), ALL_ONES);
			continue;
		}
		TAP_CHECK_EQ(bfnoff2ba(pfn, off), a);
		TAP_CHECK_EQ(ba2bfn(a), pfn);
		TAP_CHECK_EQ(ba_off(a), off);
		TAP_CHECK_EQ(pa2pfn(a), pfn);
		TAP_CHECK_EQ(pa_off(a), off);
	}
}

static void t_identity_lookup(void)
{
	TAP_CHECK_EQ(idlookup(0), 0);
	TAP_CHECK_EQ(idlookup(0x3ffff), 0x3ffff);
	TAP_CHECK_EQ(idlookup(FMAX), FMAX);
	TAP_CHECK_EQ(idlookup(FMAX + 1), PVXEN_BFN_INVALID);
	TAP_CHECK_EQ(idlookup(ALL_ONES), PVXEN_BFN_INVALID);
}

static void t_identity_table(void)
{
	struct pvxen_dma_table t = pvxen_dma_table_identity(0xffffffff);

	TAP_CHECK(!t.ranges);
	TAP_CHECK_EQ(t.nr, 0);
	TAP_CHECK_EQ(t.dma_limit, 0xffffffff);
	TAP_CHECK_EQ(pvxen_dma_table_validate(&t), PVXEN_DMA_TABLE_OK);
	t = pvxen_dma_table_identity(ALL_ONES);
	TAP_CHECK_EQ(t.dma_limit, ALL_ONES);
	TAP_CHECK_EQ(pvxen_dma_table_validate(&t), PVXEN_DMA_TABLE_OK);
}

static void t_err_str(void)
{
	const char *seen[PVXEN_DMA_TABLE_EBUSOVERLAP + 1];
	enum pvxen_dma_table_err bogus = (enum pvxen_dma_table_err)99;
	unsigned int i, j;

	for (i = 0; i <= PVXEN_DMA_TABLE_EBUSOVERLAP; i++) {
		seen[i] = pvxen_dma_table_err_str(i);
		TAP_CHECK(seen[i] && seen[i][0]);
		for (j = 0; j < i; j++)
			TAP_CHECK(strcmp(seen[i], seen[j]) != 0);
	}
	TAP_CHECK(strcmp(seen[PVXEN_DMA_TABLE_OK], "ok") == 0);
	TAP_CHECK(strcmp(pvxen_dma_table_err_str(bogus), "unknown error") == 0);
}

static const struct tap_case cases[] = {
	{ "page and error constants", t_constants },
	{ "typed value constructors and accessors", t_wrappers },
	{ "address error predicates (only all-ones is an error)",
	  t_address_predicates },
	{ "frame predicates (valid up to 2^52-1)", t_frame_predicates },
	{ "pfn <-> guest-physical address", t_pfn_paddr },
	{ "bfn <-> machine address, with offsets", t_bfn_baddr },
	{ "20000 random frames round-trip frame <-> address",
	  t_frame_roundtrip },
	{ "identity pfn -> bfn lookup", t_identity_lookup },
	{ "pvxen_dma_table_identity() builds a valid nr == 0 table",
	  t_identity_table },
	{ "validation error strings are distinct", t_err_str },
};

int main(void)
{
	tap_plan(ARRAY_SIZE(cases));
	tap_rng_seed(0x7078656e62617331ULL);
	tap_run_cases(cases, ARRAY_SIZE(cases));
	return tap_exit();
}
