// SPDX-License-Identifier: GPL-2.0-only
/*
 * mxdma's benchmark jobs, for make bench (tests/bench/dma-run): whatever
 * DMA operations the device has (the kernel's dma-direct and swiotlb, or
 * pvxen-swiotlb's) are what is timed.
 *
 *   bench map N    5 rounds of N dma_map_page() + dma_unmap_page() of one
 *                  4 KiB page (DMA_TO_DEVICE), for a page in the DMA zone
 *                  ("low": given to the device as is) and for the highest
 *                  of 256 pages ("high": bounced when beyond the device's
 *                  reach); "bench map: low_ns=A,B,... high_ns=..." in ns
 *                  per map+unmap, with each page's phys and DMA address
 *   bench copy R   R rounds of: map 1 MiB of own pages each way, the
 *                  engine copies it, unmap; "bench copy: mbs=A,B,..." in
 *                  MB/s (10^6 bytes), then "data=ok" if the last copy
 *                  landed every byte
 */
#define pr_fmt(fmt) "mxdma: " fmt

#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "mxdma.h"

#define BENCH_ROUNDS	5
#define BENCH_COPY	SZ_1M

/* ns per map+unmap of @page, @n times; 0 if a mapping failed. */
static u64 map_round(struct mxdma *md, struct page *page, unsigned int n,
		     dma_addr_t *seen)
{
	u64 t0 = ktime_get_ns();
	unsigned int i;
	dma_addr_t d;

	for (i = 0; i < n; i++) {
		d = dma_map_page(md->dev, page, 0, PAGE_SIZE, DMA_TO_DEVICE);
		if (dma_mapping_error(md->dev, d))
			return 0;
		*seen = d;
		dma_unmap_page(md->dev, d, PAGE_SIZE, DMA_TO_DEVICE);
	}
	return div_u64(ktime_get_ns() - t0, n);
}

static void map_rows(struct mxdma *md, const char *name, struct page *page,
		     unsigned int n)
{
	dma_addr_t d = DMA_MAPPING_ERROR;
	phys_addr_t pa = page_to_phys(page);
	unsigned int r;

	mxdma_say(md, " %s_ns=", name);
	for (r = 0; r < BENCH_ROUNDS; r++)
		mxdma_say(md, "%s%llu", r ? "," : "", map_round(md, page, n, &d));
	mxdma_say(md, " %s_phys=%pa %s_dma=%pad", name, &pa, name, &d);
}

int mxdma_bench_map(struct mxdma *md, unsigned int n)
{
	struct page *low = alloc_page(GFP_KERNEL | GFP_DMA);
	struct page **pool = kcalloc(MXDMA_HIGH_POOL, sizeof(*pool),
				     GFP_KERNEL);
	unsigned int got = 0;

	if (!low || !pool) {
		mxdma_say(md, "bench map: FAIL(nomem)");
		goto out;
	}
	got = mxdma_high_pages(pool, 1);
	if (!got) {
		mxdma_say(md, "bench map: FAIL(nomem)");
		goto out;
	}
	mxdma_say(md, "bench map: n=%u", n);
	map_rows(md, "low", low, n);
	map_rows(md, "high", pool[0], n);
out:
	while (got--)
		__free_page(pool[got]);
	kfree(pool);
	if (low)
		__free_page(low);
	return 0;
}

/* One round: map both, copy, unmap; ns taken, or 0 on a failure. */
static u64 copy_round(struct mxdma *md, struct page *src, struct page *dst)
{
	u64 t0 = ktime_get_ns();
	struct mxdma_job j;
	dma_addr_t s, d;
	bool ok = false;

	s = dma_map_page(md->dev, src, 0, BENCH_COPY, DMA_TO_DEVICE);
	if (dma_mapping_error(md->dev, s))
		return 0;
	d = dma_map_page(md->dev, dst, 0, BENCH_COPY, DMA_FROM_DEVICE);
	if (dma_mapping_error(md->dev, d))
		goto unmap_src;
	mxdma_job_start(&j, md);
	mxdma_queue_linear(&j, s, d, BENCH_COPY);
	ok = !mxdma_job_run(&j) && mxdma_job_all_ok(&j);
	dma_unmap_page(md->dev, d, BENCH_COPY, DMA_FROM_DEVICE);
unmap_src:
	dma_unmap_page(md->dev, s, BENCH_COPY, DMA_TO_DEVICE);
	return ok ? ktime_get_ns() - t0 : 0;
}

int mxdma_bench_copy(struct mxdma *md, unsigned int rounds)
{
	unsigned int order = get_order(BENCH_COPY), r;
	struct page *src = alloc_pages(GFP_KERNEL, order);
	struct page *dst = alloc_pages(GFP_KERNEL, order);
	bool data;
	size_t bad;
	u64 ns;

	if (!src || !dst) {
		mxdma_say(md, "bench copy: FAIL(nomem)");
		goto out;
	}
	mxdma_fill(page_address(src), BENCH_COPY, rounds, 0);
	mxdma_say(md, "bench copy: bytes=%u mbs=", BENCH_COPY);
	for (r = 0; r < rounds; r++) {
		if (r == rounds - 1)
			memset(page_address(dst), 0, BENCH_COPY);
		ns = copy_round(md, src, dst);
		mxdma_say(md, "%s%llu", r ? "," : "",
			  ns ? div64_u64((u64)BENCH_COPY * 1000, ns) : 0);
	}
	data = mxdma_check(page_address(dst), BENCH_COPY, rounds, 0, &bad);
	mxdma_say(md, " data=%s", data ? "ok" : "FAIL");
out:
	if (src)
		__free_pages(src, order);
	if (dst)
		__free_pages(dst, order);
	return 0;
}
