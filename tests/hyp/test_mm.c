// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests: minixen's memory (hyp/core/mm.c). Host RAM for the
 * domains: minixen's image and the reserved regions are never handed out,
 * the highest piece that fits comes first, alignment, nothing when nothing
 * fits. The heap: alignment, no overlap, zeroed memory, sizes that wrap,
 * exhaustion (NULL from hyp_try_alloc(), a panic from hyp_alloc()).
 * mm.c's state lasts for the whole process: the steps build on each other.
 */
#include <setjmp.h>
#include <minixen/bootcfg.h>
#include <minixen/mm.h>
#include "fake_machine.h"
#include "tap.h"

#define HEAP_SIZE	(8UL << 20)	/* core/mm.c's */
#define MAX_BLOCKS	1024

struct bootcfg boot_cfg;
static jmp_buf panic_jmp;
static char panic_msg[128];
void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(panic_msg, sizeof(panic_msg), fmt, ap);
	va_end(ap);
	longjmp(panic_jmp, 1);
}

static const struct mem_range image = { 0x40000000, 0x400000 };
static const struct mem_range kept[] = {
	{ 0x48000000, 0x2000 },		/* reserved[0], 4 KiB-aligned out */
	{ 0x110000000, 0x1000 },	/* reserved[1] */
};

static bool overlaps(u64 s, u64 size, const struct mem_range *r)
{
	return s < r->start + r->size && r->start < s + size;
}

/* In a RAM bank, clear of minixen and of what it keeps. */
static bool usable(u64 s, u64 size)
{
	bool in_bank = false;
	int i;

	for (i = 0; i < boot_cfg.nr_ram; i++)
		in_bank |= s >= boot_cfg.ram[i].start &&
			   s + size <= boot_cfg.ram[i].start + boot_cfg.ram[i].size;
	if (!in_bank || overlaps(s, size, &image))
		return false;
	for (i = 0; i < ARRAY_SIZE(kept); i++)
		if (overlaps(s, size, &kept[i]))
			return false;
	return true;
}

static void test_ram(void)
{
	static struct mem_range got[MAX_BLOCKS];
	u64 s;
	int n = 0, i, j;
	bool good = true, apart = true;

	boot_cfg.ram[0] = (struct mem_range){ 0x40000000, SZ_1G };
	boot_cfg.ram[1] = (struct mem_range){ 0x100000000, 512UL << 20 };
	boot_cfg.nr_ram = 2;
	boot_cfg.reserved[0] = (struct mem_range){ 0x48000010, 0x1ff0 };
	boot_cfg.reserved[1] = (struct mem_range){ 0x110000800, 0x100 };
	boot_cfg.nr_reserved = 2;
	mm_init(0x40312345);

	s = mm_alloc_ram(128UL << 20, SZ_2M);
	ok(s == 0x118000000,
	   "first the top of the highest bank, above what is kept (0x%lx)", s);
	s = mm_alloc_ram(128UL << 20, SZ_2M);
	ok(s == 0x108000000,
	   "then the highest piece that fits below the kept region (0x%lx)", s);
	s = mm_alloc_ram(SZ_2M, SZ_1G);
	ok(s == 0x100000000, "1 GiB alignment: the one place it fits (0x%lx)", s);
	ok(mm_alloc_ram(SZ_1G, SZ_2M) == 0,
	   "1 GiB: no free piece that large, 0");
	ok(mm_alloc_ram(1UL << 63, SZ_2M) == 0,
	   "a size that reaches below address 0 from any piece: 0");

	while (n < MAX_BLOCKS && (s = mm_alloc_ram(SZ_2M, SZ_2M))) {
		good &= usable(s, SZ_2M) && !(s & (SZ_2M - 1));
		got[n].start = s;
		got[n++].size = SZ_2M;
	}
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			apart &= !overlaps(got[i].start, SZ_2M, &got[j]);
	/*
	 * Free 2 MiB blocks left: bank 0 less the image and the kept
	 * 0x48000000 page pair, 62 + 447; bank 1 less the allocations,
	 * 63 + 63.
	 */
	ok(n == 635, "all the rest in 2 MiB blocks: %d of 635", n);
	ok(good, "each in RAM, 2 MiB aligned, clear of minixen and what it keeps");
	ok(apart, "no two overlap");
	ok(mm_alloc_ram(1UL << 20, SZ_2M) == 0,
	   "1 MiB, 2 MiB aligned: the rests fit it only below their start, 0");
	s = mm_alloc_ram(SZ_4K, SZ_4K);
	ok(s && usable(s, SZ_4K), "a 4 KiB page from the unaligned rest (0x%lx)", s);
}

static void test_heap(void)
{
	u8 *base, *p, *q, *last = NULL;
	u64 used, n = 0, want;
	bool zero = true, inside = true;
	int i;

	base = hyp_try_alloc(100, 64);
	ok(base && !((unsigned long)base & 63), "100 bytes, 64-byte aligned");
	p = hyp_try_alloc(1, 4096);
	ok(p && !((unsigned long)p & 4095) && p >= base + 100,
	   "then 4 KiB aligned, after the first");
	memset(p + 1, 0xaa, 4096);	/* heap not handed out yet */
	q = hyp_try_alloc(4096, 1);
	for (i = 0; q && i < 4096; i++)
		zero &= !q[i];
	ok(q == p + 1 && zero, "memory is handed out zeroed");
	ok(!hyp_try_alloc(~0UL - 64, 1), "a size that wraps: NULL");
	ok(!hyp_try_alloc(HEAP_SIZE, 1), "more than is left: NULL");
	p = hyp_try_alloc(8, 1);
	ok(p == q + 4096, "a failed allocation takes nothing");
	ok(hyp_alloc(SZ_64K, SZ_4K), "hyp_alloc() that fits");

	/* one byte at a 4 KiB boundary: the blocks start 4 KiB further */
	used = (u8 *)hyp_try_alloc(1, SZ_4K) - base + SZ_4K;
	want = (HEAP_SIZE - used) / SZ_64K;
	while ((p = hyp_try_alloc(SZ_64K, SZ_4K))) {
		inside &= p >= base + used && p + SZ_64K <= base + HEAP_SIZE &&
			  p > last;
		last = p;
		n++;
	}
	ok(n == want, "the heap holds %lu more 64 KiB blocks: %lu", want, n);
	ok(inside, "all within the heap, each after the one before");
	ok(!hyp_try_alloc(SZ_64K, 1), "exhausted: NULL again");
	if (!setjmp(panic_jmp)) {
		hyp_alloc(SZ_64K, 1);
		ok(0, "hyp_alloc() when exhausted panics");
	} else {
		ok(strstr(panic_msg, "heap exhausted"),
		   "hyp_alloc() when exhausted panics: %s", panic_msg);
	}
	ok(!lock_misuse, "the heap lock is released on every path");
}

int main(void)
{
	test_ram();
	test_heap();
	return tap_done();
}
