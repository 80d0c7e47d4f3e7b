// SPDX-License-Identifier: GPL-2.0-only
/*
 * mxdma test jobs, through debugfs: /sys/kernel/debug/mxdma-<device>/ctl.
 * Write one job, read its result: a line "<job>: ok|FAIL(<why>)|..."
 * then key=value words, and a last line of the engine's counters for the
 * job as read from its registers (done, bytes, range, owner, bad,
 * mismatch) and the totals of the refusals (total_range, total_owner);
 * lines stay short enough for a console line each.  A job that ran
 * succeeds as a write whatever its verdict; a malformed one fails with
 * -EINVAL.
 *
 *   copy N         N pages (1..256), physically contiguous, own memory
 *   high N         N pages (1..16) and N more, the highest of 256 single
 *                  pages the allocator gives: above a 1 GiB DMA window
 *                  when the domain's RAM reaches beyond it
 *   sg N           scatterlists of N (1..32) pages that are never
 *                  physically adjacent, the source's pieces at offsets
 *                  within their pages, the destination's cut elsewhere:
 *                  one scatter-gather transfer (chains of up to 16)
 *   foreign DOMID REF SEED
 *                  a page DOMID granted this domain (REF, writable),
 *                  filled with pattern SEED: mxdma-foreign.c
 *   foreign-id DOMID REF SEED
 *                  the same page mapped at its machine address
 *                  (pvxen_gnttab_map_dma()): mxdma-foreign.c
 *   twice-id DOMID REF SEED
 *                  that page mapped twice at once (one address, two
 *                  users): mxdma-foreign.c
 *   pair DOMID REF SEED
 *                  an own page and that granted page right after it in
 *                  guest-physical memory, as one buffer: mxdma-foreign.c
 *   counters       the engine's counters
 *
 * Sources hold a pattern, destinations are poisoned first; every byte of
 * every destination is compared with the pattern after the engine ran.
 * Buffers are mapped with dma_map_page() / dma_map_sg() and synced for
 * the CPU before the check: whatever the kernel's DMA API does (direct,
 * bounced through its swiotlb) is what the engine sees.
 */
#define pr_fmt(fmt) "mxdma: " fmt

#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "mxdma.h"
#include "../pvxen-gnt-proto.h"

#define POISON_SEED	0xdead

void mxdma_say(struct mxdma *md, const char *fmt, ...)
{
	size_t n = strlen(md->result);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(md->result + n, sizeof(md->result) - n, fmt, ap);
	va_end(ap);
}

/* The pattern @seed from stream position @pos on. */
void mxdma_fill(u8 *p, size_t len, u32 seed, u32 pos)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = pvxen_pattern_byte(seed, pos + i);
}

/* Every byte is the pattern's; else *@bad = the first that is not. */
bool mxdma_check(const u8 *p, size_t len, u32 seed, u32 pos, size_t *bad)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] != pvxen_pattern_byte(seed, pos + i)) {
			*bad = i;
			return false;
		}
	}
	return true;
}

bool mxdma_job_all_ok(const struct mxdma_job *j)
{
	unsigned int i;

	for (i = 0; i < j->n; i++)
		if (mxdma_job_status(j, i) != MXDMA_ST_OK)
			return false;
	return j->n > 0;
}

static const char *const cnt_names[MXDMA_NR_CNT] = {
	"done", "bytes", "range", "owner", "bad", "mismatch",
};

/* The job's descriptors, its interrupts and the counters it moved. */
void mxdma_report(struct mxdma *md, const struct mxdma_job *j, int ret,
		  const struct mxdma_counters *before)
{
	struct mxdma_counters now;
	unsigned int i, nok = 0;
	u32 first = MXDMA_ST_OK;

	for (i = 0; i < j->n; i++) {
		u32 st = mxdma_job_status(j, i);

		if (st == MXDMA_ST_OK)
			nok++;
		else if (first == MXDMA_ST_OK)
			first = st;
	}
	mxdma_read_counters(md, &now);
	mxdma_say(md, "\nrun=%d descs=%u descs_ok=%u first_bad=%#x irqs=%d",
		  ret, j->n, nok, first == MXDMA_ST_OK ? 0 : first,
		  atomic_read(&md->irqs));
	for (i = 0; i < MXDMA_NR_CNT; i++)
		mxdma_say(md, " %s=%llu", cnt_names[i],
			  now.c[i] - before->c[i]);
	mxdma_say(md, " total_range=%llu total_owner=%llu",
		  now.c[MXDMA_CNT_RANGE], now.c[MXDMA_CNT_OWNER]);
}

static const char *verdict(int ret, const struct mxdma_job *j, bool data)
{
	if (ret)
		return "FAIL(run)";
	if (!mxdma_job_all_ok(j))
		return "FAIL(status)";
	return data ? "ok" : "FAIL(data)";
}

/* Queue copies of [s, s + len) to [d, d + len), in max_len pieces. */
void mxdma_queue_linear(struct mxdma_job *j, dma_addr_t s, dma_addr_t d,
			size_t len)
{
	size_t off, l;

	for (off = 0; off < len; off += l) {
		l = min_t(size_t, len - off, j->md->max_len);
		mxdma_job_copy(j, s + off, d + off, l, false);
	}
}

int mxdma_run_copy(struct mxdma *md, unsigned int n)
{
	size_t len = (size_t)n * PAGE_SIZE, bad = 0;
	unsigned int order = get_order(len);
	struct mxdma_counters before;
	struct page *src, *dst;
	struct mxdma_job j;
	dma_addr_t s, d;
	phys_addr_t pa;
	bool data = false;
	int ret = -ENOMEM;

	src = alloc_pages(GFP_KERNEL, order);
	dst = alloc_pages(GFP_KERNEL, order);
	if (!src || !dst)
		goto out_free;
	mxdma_fill(page_address(src), len, n, 0);
	mxdma_fill(page_address(dst), len, POISON_SEED, 0);
	ret = -EIO;
	s = dma_map_page(md->dev, src, 0, len, DMA_TO_DEVICE);
	if (dma_mapping_error(md->dev, s))
		goto out_free;
	d = dma_map_page(md->dev, dst, 0, len, DMA_FROM_DEVICE);
	if (dma_mapping_error(md->dev, d))
		goto out_unmap_src;
	mxdma_job_start(&j, md);
	mxdma_queue_linear(&j, s, d, len);
	mxdma_read_counters(md, &before);
	ret = mxdma_job_run(&j);
	dma_sync_single_for_cpu(md->dev, d, len, DMA_FROM_DEVICE);
	data = mxdma_check(page_address(dst), len, n, 0, &bad);
	pa = page_to_phys(src);
	mxdma_say(md, "copy: %s pages=%u bytes=%zu phys=%pa dma=%pad",
		  verdict(ret, &j, data), n, len, &pa, &s);
	if (!data)
		mxdma_say(md, " first_wrong=%zu", bad);
	mxdma_report(md, &j, ret, &before);
	ret = 0;
	dma_unmap_page(md->dev, d, len, DMA_FROM_DEVICE);
out_unmap_src:
	dma_unmap_page(md->dev, s, len, DMA_TO_DEVICE);
out_free:
	if (src)
		__free_pages(src, order);
	if (dst)
		__free_pages(dst, order);
	if (ret)
		mxdma_say(md, "copy: FAIL(%s) pages=%u", ret == -EIO ?
			  "map" : "nomem", n);
	return 0;
}

static int cmp_page_desc(const void *a, const void *b)
{
	unsigned long pa = page_to_pfn(*(struct page * const *)a);
	unsigned long pb = page_to_pfn(*(struct page * const *)b);

	return pa < pb ? 1 : pa > pb ? -1 : 0;
}

/*
 * The highest 2 * @n of MXDMA_HIGH_POOL pages, first the sources then the
 * destinations, in @pool[0 .. 2n); the rest freed.  Returns how many
 * pages the pool got.
 */
unsigned int mxdma_high_pages(struct page **pool, unsigned int n)
{
	unsigned int i, got;

	for (got = 0; got < MXDMA_HIGH_POOL; got++) {
		pool[got] = alloc_page(GFP_KERNEL);
		if (!pool[got])
			break;
	}
	sort(pool, got, sizeof(*pool), cmp_page_desc, NULL);
	for (i = 2 * n; i < got; i++)
		__free_page(pool[i]);
	return min(got, 2 * n);
}

int mxdma_run_high(struct mxdma *md, unsigned int n)
{
	struct page **pool;
	dma_addr_t *dma;
	struct mxdma_counters before;
	struct mxdma_job j;
	unsigned int got, i, mapped = 0;
	phys_addr_t lo = PHYS_ADDR_MAX;
	dma_addr_t dlo = DMA_MAPPING_ERROR, dhi = 0;
	bool data = true;
	size_t bad = 0;
	int ret;

	pool = kcalloc(MXDMA_HIGH_POOL, sizeof(*pool), GFP_KERNEL);
	dma = kcalloc(2 * n, sizeof(*dma), GFP_KERNEL);
	if (!pool || !dma) {
		mxdma_say(md, "high: FAIL(nomem) pages=%u", n);
		goto out;
	}
	got = mxdma_high_pages(pool, n);
	if (got < 2 * n) {
		mxdma_say(md, "high: FAIL(nomem) pages=%u", n);
		goto out_free;
	}
	for (i = 0; i < 2 * n; i++) {
		bool to_dev = i < n;

		mxdma_fill(page_address(pool[i]), PAGE_SIZE,
			   to_dev ? n : POISON_SEED, (i % n) * PAGE_SIZE);
		lo = min(lo, page_to_phys(pool[i]));
		dma[i] = dma_map_page(md->dev, pool[i], 0, PAGE_SIZE,
				      to_dev ? DMA_TO_DEVICE :
				      DMA_FROM_DEVICE);
		if (dma_mapping_error(md->dev, dma[i]))
			break;
		dlo = min(dlo, dma[i]);
		dhi = max(dhi, dma[i]);
		mapped++;
	}
	if (mapped < 2 * n) {
		mxdma_say(md, "high: FAIL(map) pages=%u phys_min=%pa mapped=%u",
			  n, &lo, mapped);
		goto out_unmap;
	}
	mxdma_job_start(&j, md);
	for (i = 0; i < n; i++)
		mxdma_job_copy(&j, dma[i], dma[n + i], PAGE_SIZE, false);
	mxdma_read_counters(md, &before);
	ret = mxdma_job_run(&j);
	for (i = 0; i < n && data; i++) {
		dma_sync_single_for_cpu(md->dev, dma[n + i], PAGE_SIZE,
					DMA_FROM_DEVICE);
		data = mxdma_check(page_address(pool[n + i]), PAGE_SIZE, n,
				   i * PAGE_SIZE, &bad);
	}
	mxdma_say(md, "high: %s pages=%u bytes=%lu phys_min=%pa dma_min=%pad dma_max=%pad",
		  verdict(ret, &j, data), n, n * PAGE_SIZE, &lo, &dlo, &dhi);
	mxdma_report(md, &j, ret, &before);
out_unmap:
	for (i = 0; i < mapped; i++)
		dma_unmap_page(md->dev, dma[i], PAGE_SIZE,
			       i < n ? DMA_TO_DEVICE : DMA_FROM_DEVICE);
	for (i = 0; i < 2 * n; i++)
		__free_page(pool[i]);
out_free:
	if (got < 2 * n)
		for (i = 0; i < got; i++)
			__free_page(pool[i]);
out:
	kfree(dma);
	kfree(pool);
	return 0;
}

/* Source piece i starts at (i % 4) * 256 in its page. */
static unsigned int sg_src_off(unsigned int i)
{
	return (i % 4) * 256;
}

/*
 * @n pieces, each the first page of an order-1 block (so no two are
 * adjacent); source lengths PAGE_SIZE - sg_src_off(i), destination
 * lengths the same in reverse order, at offset 0: the same total, cut in
 * other places.
 */
static int sg_build(struct sg_table *t, struct page **blk, unsigned int n,
		    bool src)
{
	struct scatterlist *sg;
	unsigned int i, off;
	int ret;

	ret = sg_alloc_table(t, n, GFP_KERNEL);
	if (ret)
		return ret;
	for_each_sg(t->sgl, sg, n, i) {
		blk[i] = alloc_pages(GFP_KERNEL, 1);
		if (!blk[i])
			return -ENOMEM;
		off = src ? sg_src_off(i) : sg_src_off(n - 1 - i);
		sg_set_page(sg, blk[i], PAGE_SIZE - off, src ? off : 0);
	}
	return 0;
}

static void sg_free(struct sg_table *t, struct page **blk, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (blk[i])
			__free_pages(blk[i], 1);
	sg_free_table(t);
}

/* Fill (@fill) or check the pieces as one stream of pattern @seed. */
static bool sg_stream(struct sg_table *t, unsigned int n, u32 seed,
		      bool fill, size_t *bad)
{
	struct scatterlist *sg;
	unsigned int i;
	u32 pos = 0;

	for_each_sg(t->sgl, sg, n, i) {
		u8 *p = sg_virt(sg);

		if (fill) {
			mxdma_fill(p, sg->length, seed, pos);
		} else if (!mxdma_check(p, sg->length, seed, pos, bad)) {
			*bad += pos;
			return false;
		}
		pos += sg->length;
	}
	return true;
}

static size_t sg_bytes(struct sg_table *t, unsigned int n)
{
	struct scatterlist *sg;
	unsigned int i;
	size_t b = 0;

	for_each_sg(t->sgl, sg, n, i)
		b += sg->length;
	return b;
}

/* One transfer over both mapped lists, cut where either list is. */
static void queue_sg(struct mxdma_job *j, struct scatterlist *a, int na,
		     struct scatterlist *b, int nb)
{
	u32 ao = 0, bo = 0, l;
	dma_addr_t from, to;

	while (na > 0 && nb > 0) {
		l = min3(sg_dma_len(a) - ao, sg_dma_len(b) - bo,
			 j->md->max_len);
		from = sg_dma_address(a) + ao;
		to = sg_dma_address(b) + bo;
		ao += l;
		bo += l;
		if (ao == sg_dma_len(a)) {
			a = sg_next(a);
			na--;
			ao = 0;
		}
		if (bo == sg_dma_len(b)) {
			b = sg_next(b);
			nb--;
			bo = 0;
		}
		mxdma_job_copy(j, from, to, l, na > 0 && nb > 0);
	}
}

/* No two pieces of @t are physically adjacent. */
static bool sg_apart(struct sg_table *t, unsigned int n)
{
	struct scatterlist *sg;
	phys_addr_t end = 0;
	unsigned int i;

	for_each_sg(t->sgl, sg, n, i) {
		if (i && sg_phys(sg) == end)
			return false;
		end = sg_phys(sg) + sg->length;
	}
	return true;
}

int mxdma_run_sg(struct mxdma *md, unsigned int n)
{
	struct page *sblk[32] = { NULL }, *dblk[32] = { NULL };
	struct sg_table st = { 0 }, dt = { 0 };
	struct mxdma_counters before;
	struct mxdma_job j;
	int ns = 0, nd = 0, ret;
	bool data = false;
	size_t bad = 0;

	if (sg_build(&st, sblk, n, true) || sg_build(&dt, dblk, n, false)) {
		mxdma_say(md, "sg: FAIL(nomem) pages=%u", n);
		goto out;
	}
	sg_stream(&st, n, n, true, &bad);
	sg_stream(&dt, n, POISON_SEED, true, &bad);
	ns = dma_map_sg(md->dev, st.sgl, n, DMA_TO_DEVICE);
	nd = dma_map_sg(md->dev, dt.sgl, n, DMA_FROM_DEVICE);
	if (ns <= 0 || nd <= 0) {
		mxdma_say(md, "sg: FAIL(map) pages=%u", n);
		goto out_unmap;
	}
	mxdma_job_start(&j, md);
	queue_sg(&j, st.sgl, ns, dt.sgl, nd);
	mxdma_read_counters(md, &before);
	ret = mxdma_job_run(&j);
	dma_sync_sg_for_cpu(md->dev, dt.sgl, n, DMA_FROM_DEVICE);
	data = sg_stream(&dt, n, n, false, &bad);
	mxdma_say(md, "sg: %s pages=%u bytes=%zu mapped=%d/%d apart=%d dma=%pad",
		  verdict(ret, &j, data), n, sg_bytes(&st, n), ns, nd,
		  sg_apart(&st, n) && sg_apart(&dt, n), &sg_dma_address(st.sgl));
	if (!data)
		mxdma_say(md, " first_wrong=%zu", bad);
	mxdma_report(md, &j, ret, &before);
out_unmap:
	if (nd > 0)
		dma_unmap_sg(md->dev, dt.sgl, n, DMA_FROM_DEVICE);
	if (ns > 0)
		dma_unmap_sg(md->dev, st.sgl, n, DMA_TO_DEVICE);
out:
	sg_free(&dt, dblk, n);
	sg_free(&st, sblk, n);
	return 0;
}

int mxdma_run_counters(struct mxdma *md)
{
	struct mxdma_counters c;
	int i;

	mxdma_read_counters(md, &c);
	mxdma_say(md, "counters:");
	for (i = 0; i < MXDMA_NR_CNT; i++)
		mxdma_say(md, " %s=%llu", cnt_names[i], c.c[i]);
	mxdma_say(md, " irqs=%d", atomic_read(&md->irqs));
	return 0;
}
