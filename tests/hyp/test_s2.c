// SPDX-License-Identifier: GPL-2.0-only
/* Host unit tests: stage-2 table builder (hyp/arch/arm64/s2.c). */
#include <stdlib.h>
#include <minixen/s2.h>
#include "tap.h"

static int pages;

static void *alloc_page(void *ctx)
{
	pages++;
	return aligned_alloc(4096, 4096);
}

/* The live-tables flush hook: what the block looked like at the flush. */
static int flushes, flushed_broken;
static u64 watch_ipa;

static void flush(struct s2 *s2)
{
	flushes++;
	if (s2_lookup(s2, watch_ipa, NULL, NULL))
		flushed_broken++;
}

static bool maps(struct s2 *s2, u64 ipa, u64 want)
{
	u64 pa;

	return !s2_lookup(s2, ipa, &pa, NULL) && pa == want;
}

static void free_tables(u64 *t, int level)
{
	int i;

	for (i = 0; level < 3 && i < S2_PTRS; i++)
		if ((t[i] & 3) == 3)
			free_tables((u64 *)(uintptr_t)(t[i] & S2_ADDR_MASK),
				    level + 1);
	free(t);
}

int main(void)
{
	struct s2 s2;
	u64 desc, pa;
	int n;

	ok(!s2_init(&s2, alloc_page, NULL) && s2.root, "init allocates a root table");
	ok(s2_vtcr() == 0x80023559UL, "VTCR: T0SZ 25, SL0 1, WB, inner, 4K, 40-bit PA");

	/* 128 MiB of RAM, 2 MiB aligned: level 2 blocks only. */
	ok(!s2_map(&s2, 0x40000000, 0x78000000, 128 << 20, S2_RAM),
	   "map 128 MiB of RAM");
	ok(s2.nr_tables == 2, "2 MiB blocks: root + one level-2 table (%u)",
	   s2.nr_tables);
	ok(maps(&s2, 0x40000000, 0x78000000) &&
	   maps(&s2, 0x47ffffff, 0x7fffffff) &&
	   maps(&s2, 0x41234567, 0x79234567), "RAM translates at both ends and inside");
	ok(s2_lookup(&s2, 0x48000000, &pa, NULL) && s2_lookup(&s2, 0x3ffff000, &pa, NULL),
	   "just outside the RAM does not translate");
	ok(!s2_lookup(&s2, 0x40000000, NULL, &desc) &&
	   (desc & 3) == 1 && ((desc >> 2) & 0xf) == 0xf && ((desc >> 6) & 3) == 3 &&
	   (desc & S2_DESC_AF), "RAM block: normal WB, read/write, access flag");

	/* Identity, 1 GiB aligned: a level-1 block. */
	ok(!s2_map(&s2, 0x100000000UL, 0x100000000UL, 1UL << 30, S2_RAM) &&
	   s2.nr_tables == 2 && maps(&s2, 0x13fffffffUL, 0x13fffffffUL),
	   "1 GiB aligned identity map uses a level-1 block");

	/* Pages when the PA is not 2 MiB aligned. */
	ok(!s2_map(&s2, 0x60000000, 0x90001000, 0x3000, S2_DEVICE) &&
	   maps(&s2, 0x60002ff8, 0x90003ff8) && s2.nr_tables == 3,
	   "unaligned device range: 4 KiB pages in a new level-3 table");
	ok(!s2_lookup(&s2, 0x60000000, NULL, &desc) && (desc & 3) == 3 &&
	   ((desc >> 2) & 0xf) == 1 && (desc & (2UL << 53)),
	   "device page: nGnRE, execute-never");
	ok(s2_lookup(&s2, 0x60003000, &pa, NULL), "page after the range is unmapped");

	/* Unmapping one page of a block splits it. */
	ok(!s2_unmap(&s2, 0x40201000, 0x1000) && !flushes,
	   "unmap one page inside a block (tables not live: no flush)");
	ok(s2_lookup(&s2, 0x40201000, &pa, NULL) &&
	   maps(&s2, 0x40200000, 0x78200000) && maps(&s2, 0x40202000, 0x78202000),
	   "only that page is gone, neighbours still map");
	ok(maps(&s2, 0x40400000, 0x78400000) && maps(&s2, 0x401ff000, 0x781ff000),
	   "neighbouring blocks untouched");
	/* Live tables: a split is break-before-make. */
	s2.flush = flush;
	watch_ipa = 0x40600000;
	ok(!s2_unmap(&s2, 0x40601000, 0x1000) && flushes == 1 &&
	   flushed_broken == 1,
	   "live split: the block is invalid when the TLBs are flushed");
	ok(maps(&s2, 0x40600000, 0x78600000) && maps(&s2, 0x407ff000, 0x787ff000) &&
	   s2_lookup(&s2, 0x40601000, &pa, NULL),
	   "then the table maps the rest of the block");
	watch_ipa = 0x40800000;
	ok(!s2_map(&s2, 0x40803000, 0x99000000, 0x1000, S2_RAM_RO) &&
	   flushes == 2 && flushed_broken == 2 && maps(&s2, 0x40803000, 0x99000000) &&
	   maps(&s2, 0x40804000, 0x78804000),
	   "live map of a page inside a block: break-before-make too");
	s2.flush = NULL;
	ok(!s2_unmap(&s2, 0x40000000, 128 << 20) &&
	   s2_lookup(&s2, 0x40000000, &pa, NULL) && s2_lookup(&s2, 0x47fff000, &pa, NULL),
	   "unmap the whole RAM range");
	ok(maps(&s2, 0x60000000, 0x90001000), "other mappings survive the unmap");
	ok(s2.nr_free == 3 && s2.nr_tables == 6,
	   "the 3 tables the splits made are free again, the level-2 table that still maps stays (%u free)",
	   s2.nr_free);
	ok(!s2_unmap(&s2, 0x200000000UL, 1UL << 30), "unmapping nothing is fine");

	ok(s2_map(&s2, 0x40000100, 0x0, 0x1000, S2_RAM) &&
	   s2_map(&s2, 0x40000000, 0x100, 0x1000, S2_RAM) &&
	   s2_map(&s2, 0x40000000, 0x0, 0x800, S2_RAM) &&
	   s2_map(&s2, (1UL << 39) - 0x1000, 0, 0x2000, S2_RAM) &&
	   s2_map(&s2, 0x40000000, 0x0, 0, S2_RAM),
	   "unaligned, empty and out-of-range requests are refused");
	ok(s2_lookup(&s2, 1UL << 39, &pa, NULL), "IPA beyond 39 bits never translates");

	/* Remap over pages already there. */
	ok(!s2_map(&s2, 0x60000000, 0xa0000000, 0x200000, S2_RAM_RO) &&
	   maps(&s2, 0x60000000, 0xa0000000) && maps(&s2, 0x601ff000, 0xa01ff000),
	   "remap over an existing level-3 table");
	ok(!s2_lookup(&s2, 0x60000000, NULL, &desc) && ((desc >> 6) & 3) == 1,
	   "read-only mapping has S2AP read-only");

	/* Quota: no more pages than the boot-time ones plus @extra. */
	n = pages;
	s2_set_quota(&s2, 0);
	ok(!s2_map(&s2, 0x200000000UL, 0x90000000, 0x1000, S2_RAM) &&
	   pages == n && s2.nr_free == 1,
	   "quota 0: a map needing 2 tables takes freed ones, allocates none");
	ok(s2_map(&s2, 0x240000000UL, 0x90000000, 0x1000, S2_RAM) &&
	   pages == n && s2_lookup(&s2, 0x240000000UL, &pa, NULL) &&
	   s2.nr_free == 1,
	   "a map needing more than the free tables fails, allocating nothing, keeping no empty table");
	s2.flush = flush;
	flushes = 0;
	ok(!s2_unmap(&s2, 0x200000000UL, 0x1000) && s2.nr_free == 3 &&
	   flushes == 2 && s2_lookup(&s2, 0x200000000UL, &pa, NULL),
	   "live unmap of the last page frees its level-3 and level-2 tables, a flush before each reuse");
	s2.flush = NULL;
	ok(!s2_map(&s2, 0x40000000, 0x78000000, 0x200000, S2_RAM) &&
	   !s2_map(&s2, 0x200000000UL, 0x90000000, 0x1000, S2_RAM) &&
	   !s2_map(&s2, 0x200200000UL, 0x90000000, 0x1000, S2_RAM) &&
	   !s2.nr_free && pages == n, "a block and two pages, on freed tables");
	ok(s2_unmap(&s2, 0x40001000, 0x1000) && maps(&s2, 0x40001000, 0x78001000),
	   "at the quota, an unmap that must split a block fails and changes nothing");
	s2_set_quota(&s2, 1);
	ok(!s2_unmap(&s2, 0x40001000, 0x1000) && pages == n + 1 &&
	   maps(&s2, 0x40002000, 0x78002000) &&
	   s2_lookup(&s2, 0x40001000, &pa, NULL),
	   "one page more: the split is done");

	free_tables(s2.root, 1);
	while (s2.free) {
		u64 *t = s2.free;

		s2.free = (u64 *)(uintptr_t)t[0];
		free(t);
	}
	return tap_done();
}
