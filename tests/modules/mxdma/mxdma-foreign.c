// SPDX-License-Identifier: GPL-2.0-only
/*
 * mxdma's foreign-page job: a page another domain granted this one,
 * mapped here with pvxen-core's grant-map API, then handed to the device
 * exactly as any other page, with plain dma_map_page().  The grant map is
 * the only pvxen call; the DMA path is the kernel's.
 *
 *   foreign DOMID REF SEED
 *
 * The granter filled the page with pattern SEED.  The device first reads
 * it (foreign -> own page), then writes it (own page, pattern SEED + 1 ->
 * foreign).  In a 1:1 domain the page's guest-physical address is not its
 * machine address, so without a translation the kernel's DMA API gives the
 * device a bus address of a frame the domain's stage 2 no longer maps as
 * its own (the Raspberry Pi 4 bug of Linux before 5.9): minixen's engine
 * refuses both descriptors.  Verdicts:
 *
 *   refused   both descriptors refused (range or owner), the own page
 *             untouched, the foreign page still pattern SEED as seen here
 *   ok        both done, the own page got SEED, the foreign page SEED + 1
 *   FAIL(...) anything else: a timeout, half of it, wrong data
 *
 * then key=value words: phys, the two DMA addresses and descriptor
 * statuses; on a second line what the CPU sees and bfn (the machine frame
 * the map returned); on a third the engine's counters (mxdma_report()).
 */
#define pr_fmt(fmt) "mxdma: " fmt

#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/mm.h>

#include <pvxen/grant.h>

#include "mxdma.h"

#define POISON_SEED	0xdead

static bool refused(u32 st)
{
	return st == MXDMA_ST_RANGE || st == MXDMA_ST_OWNER;
}

/* What @p holds: pattern @a, pattern @b, or something else. */
static const char *which(const u8 *p, u32 a, const char *an, u32 b,
			 const char *bn)
{
	size_t bad;

	if (mxdma_check(p, PAGE_SIZE, a, 0, &bad))
		return an;
	if (mxdma_check(p, PAGE_SIZE, b, 0, &bad))
		return bn;
	return "other";
}

/*
 * One COPY of @len bytes from @from to @to (pages side by side); its
 * status, or 0 if not run.
 */
static u32 copy_one(struct mxdma *md, struct page *from, struct page *to,
		    size_t len, dma_addr_t *dfrom, dma_addr_t *dto, int *ret)
{
	struct mxdma_job j;
	u32 st = 0;

	*dfrom = dma_map_page(md->dev, from, 0, len, DMA_TO_DEVICE);
	*dto = dma_map_page(md->dev, to, 0, len, DMA_FROM_DEVICE);
	*ret = -EIO;
	if (!dma_mapping_error(md->dev, *dfrom) &&
	    !dma_mapping_error(md->dev, *dto)) {
		mxdma_job_start(&j, md);
		mxdma_job_copy(&j, *dfrom, *dto, len, false);
		*ret = mxdma_job_run(&j);
		st = mxdma_job_status(&j, 0);
		dma_sync_single_for_cpu(md->dev, *dto, len, DMA_FROM_DEVICE);
	}
	if (!dma_mapping_error(md->dev, *dto))
		dma_unmap_page(md->dev, *dto, len, DMA_FROM_DEVICE);
	if (!dma_mapping_error(md->dev, *dfrom))
		dma_unmap_page(md->dev, *dfrom, len, DMA_TO_DEVICE);
	return st;
}

static void foreign_dma(struct mxdma *md, struct page *fp, u32 seed,
			unsigned int domid, u32 ref, u64 bfn)
{
	struct page *src = alloc_page(GFP_KERNEL);
	struct page *dst = alloc_page(GFP_KERNEL);
	const char *own, *after, *cpu;
	struct mxdma_job none = { .md = md };	/* counters only */
	struct mxdma_counters before;
	dma_addr_t rf, rt, wf, wt;
	u32 rst, wst;
	int rret, wret;
	const char *v;
	phys_addr_t pa = page_to_phys(fp);

	if (!src || !dst) {
		mxdma_say(md, "foreign: FAIL(nomem)");
		goto out;
	}
	cpu = which(page_address(fp), seed, "pattern", seed + 1, "other");
	mxdma_fill(page_address(src), PAGE_SIZE, seed + 1, 0);
	mxdma_fill(page_address(dst), PAGE_SIZE, POISON_SEED, 0);
	mxdma_read_counters(md, &before);
	rst = copy_one(md, fp, dst, PAGE_SIZE, &rf, &rt, &rret);
	wst = copy_one(md, src, fp, PAGE_SIZE, &wf, &wt, &wret);
	own = which(page_address(dst), POISON_SEED, "untouched", seed,
		    "pattern");
	after = which(page_address(fp), seed, "intact", seed + 1, "written");
	if (rret || wret)
		v = "FAIL(run)";
	else if (refused(rst) && refused(wst) && !strcmp(own, "untouched") &&
		 !strcmp(after, "intact"))
		v = "refused";
	else if (rst == MXDMA_ST_OK && wst == MXDMA_ST_OK &&
		 !strcmp(own, "pattern") && !strcmp(after, "written"))
		v = "ok";
	else
		v = "FAIL(outcome)";
	mxdma_say(md, "foreign: %s phys=%pa dma_read=%pad dma_write=%pad",
		  v, &pa, &rf, &wt);
	mxdma_say(md, " read_st=%#x write_st=%#x\ncpu_view=%s own=%s foreign_after=%s run=%d/%d",
		  rst, wst, cpu, own, after, rret, wret);
	mxdma_say(md, " domid=%u ref=%u bfn=%#llx", domid, ref, bfn);
	mxdma_report(md, &none, 0, &before);
out:
	if (src)
		__free_page(src);
	if (dst)
		__free_page(dst);
}

/* What a job does with the grant mapped: the job's arguments. */
struct grant_job {
	void (*run)(struct mxdma *md, const struct grant_job *gj, u64 bfn);
	struct page *page;	/* where the grant is mapped (foreign) */
	struct page *pair;	/* the own page before it (pair) */
	unsigned int domid;
	u32 ref;
	u32 seed;
};

/*
 * Map @gj's grant over its unpopulated page, run the job, unmap.  False
 * if the page must be leaked: the unmap failed, so a foreign frame may
 * still back it.
 */
static bool with_grant(struct mxdma *md, const char *job,
		       const struct grant_job *gj)
{
	struct pvxen_gnttab_map m = {
		.domid = gj->domid, .ref = gj->ref, .page = gj->page,
	};
	int ret;

	ret = pvxen_gnttab_map_refs(&m, 1);
	if (ret) {
		mxdma_say(md, "%s: FAIL(map) domid=%u ref=%u ret=%d status=%d",
			  job, gj->domid, gj->ref, ret, m.status);
		return true;
	}
	gj->run(md, gj, pvxen_bfn_val(m.bfn));
	ret = pvxen_gnttab_unmap_refs(&m, 1);
	if (ret) {
		mxdma_say(md, " unmap=%d (page leaked)", ret);
		return false;
	}
	return true;
}

static void foreign_run(struct mxdma *md, const struct grant_job *gj,
			u64 bfn)
{
	foreign_dma(md, gj->page, gj->seed, gj->domid, gj->ref, bfn);
}

int mxdma_job_foreign(struct mxdma *md, unsigned int domid, u32 ref,
		      u32 seed)
{
	struct grant_job gj = {
		.run = foreign_run, .domid = domid, .ref = ref, .seed = seed,
	};
	int ret;

	if (domid >= DOMID_FIRST_RESERVED)
		return -EINVAL;
	ret = pvxen_alloc_unpopulated_pages(1, &gj.page);
	if (ret) {
		mxdma_say(md, "foreign: FAIL(unpopulated %d)", ret);
		return 0;
	}
	if (with_grant(md, "foreign", &gj))
		pvxen_free_unpopulated_pages(1, &gj.page);
	return 0;
}

/*
 * foreign-id DOMID REF SEED: the same, with the grant mapped at its
 * machine address (pvxen_gnttab_map_dma(), for kernels without a dma_ops
 * slot): plain dma-direct must then get it right.
 */
int mxdma_job_foreign_id(struct mxdma *md, unsigned int domid, u32 ref,
			 u32 seed)
{
	struct pvxen_gnttab_map m = { .domid = domid, .ref = ref };
	int ret;

	if (domid >= DOMID_FIRST_RESERVED)
		return -EINVAL;
	ret = pvxen_gnttab_map_dma(&m, 1);
	if (ret) {
		mxdma_say(md, "foreign: FAIL(map_dma) domid=%u ref=%u ret=%d status=%d",
			  domid, ref, ret, m.status);
		return 0;
	}
	foreign_dma(md, m.page, seed, domid, ref, pvxen_bfn_val(m.bfn));
	ret = pvxen_gnttab_unmap_dma(&m, 1);
	if (ret)
		mxdma_say(md, " unmap=%d", ret);
	return 0;
}

/*
 * twice-id DOMID REF SEED: the same grant mapped twice at its machine
 * address (two users of one frame, one address): both give the same
 * page with pattern SEED; after the first unmap the page still reads
 * through the second; then the second unmaps too.  "twice: ok" or
 * "twice: FAIL(...)".
 */
int mxdma_job_twice_id(struct mxdma *md, unsigned int domid, u32 ref,
		       u32 seed)
{
	struct pvxen_gnttab_map m[2] = {
		{ .domid = domid, .ref = ref, .readonly = true },
		{ .domid = domid, .ref = ref, .readonly = true },
	};
	const char *v = "ok";
	size_t bad;
	int ret, un0, un1;

	if (domid >= DOMID_FIRST_RESERVED)
		return -EINVAL;
	ret = pvxen_gnttab_map_dma(m, 2);
	if (ret) {
		mxdma_say(md, "twice: FAIL(map_dma %d) status=%d/%d", ret,
			  m[0].status, m[1].status);
		if (!m[0].status)
			pvxen_gnttab_unmap_dma(&m[0], 1);
		if (!m[1].status)
			pvxen_gnttab_unmap_dma(&m[1], 1);
		return 0;
	}
	if (m[0].page != m[1].page ||
	    !mxdma_check(page_address(m[0].page), PAGE_SIZE, seed, 0, &bad))
		v = "FAIL(first)";
	un0 = pvxen_gnttab_unmap_dma(&m[0], 1);
	if (!un0 && !strcmp(v, "ok") &&
	    !mxdma_check(page_address(m[1].page), PAGE_SIZE, seed, 0, &bad))
		v = "FAIL(after one unmap)";
	un1 = pvxen_gnttab_unmap_dma(&m[1], 1);
	if (un0 || un1)
		v = "FAIL(unmap)";
	mxdma_say(md, "twice: %s bfn=%#llx unmap=%d/%d", v,
		  pvxen_bfn_val(m[0].bfn), un0, un1);
	return 0;
}

/* Two pages side by side, independent (order 1, split), or NULL. */
static struct page *two_pages(void)
{
	struct page *p = alloc_pages(GFP_KERNEL, 1);

	if (p)
		split_page(p, 1);
	return p;
}

static void free_two(struct page *p)
{
	if (p) {
		__free_page(p);
		__free_page(p + 1);
	}
}

/* Verdict of the pair job: see mxdma_job_pair(). */
static const char *pair_verdict(u32 rst, u32 wst, int rret, int wret,
				const u8 *dst, const u8 *own, const u8 *fp,
				u32 seed)
{
	size_t bad;

	if (rret || wret)
		return "FAIL(run)";
	if (refused(rst) && refused(wst) &&
	    mxdma_check(dst, PAGE_SIZE, POISON_SEED, 0, &bad) &&
	    mxdma_check(dst + PAGE_SIZE, PAGE_SIZE, POISON_SEED, 0, &bad) &&
	    mxdma_check(own, PAGE_SIZE, seed + 0x100, 0, &bad) &&
	    mxdma_check(fp, PAGE_SIZE, seed, 0, &bad))
		return "refused";
	if (rst == MXDMA_ST_OK && wst == MXDMA_ST_OK &&
	    mxdma_check(dst, PAGE_SIZE, seed + 0x100, 0, &bad) &&
	    mxdma_check(dst + PAGE_SIZE, PAGE_SIZE, seed, 0, &bad) &&
	    mxdma_check(own, PAGE_SIZE, seed + 0x200, 0, &bad) &&
	    mxdma_check(fp, PAGE_SIZE, seed + 1, 0, &bad))
		return "ok";
	return "FAIL(outcome)";
}

static void pair_dma(struct mxdma *md, struct page *pair, u32 seed)
{
	struct page *src = two_pages(), *dst = two_pages();
	struct mxdma_job none = { .md = md };	/* counters only */
	u8 *own = page_address(pair), *fp = page_address(pair + 1);
	struct mxdma_counters before;
	dma_addr_t rf, rt, wf, wt;
	phys_addr_t pa = page_to_phys(pair);
	int rret, wret;
	u32 rst, wst;

	if (!src || !dst) {
		mxdma_say(md, "pair: FAIL(nomem)");
		goto out;
	}
	mxdma_fill(own, PAGE_SIZE, seed + 0x100, 0);
	mxdma_fill(page_address(src), PAGE_SIZE, seed + 0x200, 0);
	mxdma_fill(page_address(src + 1), PAGE_SIZE, seed + 1, 0);
	mxdma_fill(page_address(dst), PAGE_SIZE, POISON_SEED, 0);
	mxdma_fill(page_address(dst + 1), PAGE_SIZE, POISON_SEED, 0);
	mxdma_read_counters(md, &before);
	rst = copy_one(md, pair, dst, 2 * PAGE_SIZE, &rf, &rt, &rret);
	wst = copy_one(md, src, pair, 2 * PAGE_SIZE, &wf, &wt, &wret);
	mxdma_say(md, "pair: %s phys=%pa dma_read=%pad dma_write=%pad",
		  pair_verdict(rst, wst, rret, wret, page_address(dst), own,
			       fp, seed), &pa, &rf, &wt);
	mxdma_say(md, " read_st=%#x write_st=%#x run=%d/%d", rst, wst, rret,
		  wret);
	mxdma_report(md, &none, 0, &before);
out:
	free_two(src);
	free_two(dst);
}

/*
 * pair DOMID REF SEED: a buffer contiguous in guest-physical memory but
 * not in machine memory: an own page (pattern SEED + 0x100) and, right
 * after it, a page DOMID granted (pattern SEED), mapped in place of the
 * second of two pages side by side.  The device reads the two pages at
 * once into two own pages, then writes two own pages (SEED + 0x200 and
 * SEED + 1) over them.  "ok": everything landed; "refused": both
 * descriptors refused, nothing changed; FAIL(...) otherwise.
 */
static void pair_run(struct mxdma *md, const struct grant_job *gj, u64 bfn)
{
	pair_dma(md, gj->pair, gj->seed);
}

int mxdma_job_pair(struct mxdma *md, unsigned int domid, u32 ref, u32 seed)
{
	struct grant_job gj = {
		.run = pair_run, .domid = domid, .ref = ref, .seed = seed,
	};
	int ret;

	if (domid >= DOMID_FIRST_RESERVED)
		return -EINVAL;
	gj.pair = two_pages();
	if (!gj.pair) {
		mxdma_say(md, "pair: FAIL(nomem)");
		return 0;
	}
	gj.page = gj.pair + 1;
	ret = pvxen_unpopulate_pages(1, &gj.page);
	if (ret) {
		mxdma_say(md, "pair: FAIL(unpopulate %d)", ret);
		free_two(gj.pair);
		return 0;
	}
	if (!with_grant(md, "pair", &gj))
		return 0;	/* both leaked: the second may be foreign */
	pvxen_free_unpopulated_pages(1, &gj.page);
	__free_page(gj.pair);
	return 0;
}
