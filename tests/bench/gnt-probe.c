// SPDX-License-Identifier: GPL-2.0-only
/*
 * Experiment (Documentation/benchmarks.md): what a store to each page the
 * grant alloc+free writes costs, and how many fresh pages of the domU are
 * slow to write (QEMU TCG keeps translated code per physical page, and a
 * store to a page that still holds some takes its slow path).
 *
 * In the xenref kernel (CONFIG_XEN=y) it reads the state of
 * drivers/xen/grant-table.c through the addresses of its statics
 * (System.map, no KASLR), times plain stores to each word the alloc+free
 * writes, and rewrites those words' pages in place (same values) to see
 * whether the rate follows the pages.  In the test kernel it does the same
 * for pvxen-core's grant table (drivers/core/grant.c's `gt`, found through
 * pvxen-core's .data section), without the rewriting.
 */
#include <linux/module.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sched/task_stack.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#define ITERS 2000

/* ns per store of its own value to @p (ITERS times). */
static u64 store_ns(unsigned long *p)
{
	unsigned int i;
	u64 t0;

	t0 = ktime_get_ns();
	for (i = 0; i < ITERS; i++)
		WRITE_ONCE(*p, READ_ONCE(*p));
	return div_u64(ktime_get_ns() - t0, ITERS);
}

static unsigned long *word(void *p)
{
	return (unsigned long *)((unsigned long)p & ~(sizeof(long) - 1));
}

static unsigned int scan_pages = 2048;
module_param(scan_pages, uint, 0444);

/*
 * How many of @scan_pages fresh pages take slow stores: one load (the
 * TLB miss), then 16 stores to one word of each page, timed; a page
 * counts as slow above 100 ns per store.
 */
static void scan(void)
{
	unsigned int i, j, slow = 0, got = 0;
	struct page **pages;
	u64 t0, ns, worst = 0, sum = 0;

	pages = kcalloc(scan_pages, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return;
	for (i = 0; i < scan_pages; i++) {
		unsigned long *w;

		pages[i] = alloc_page(GFP_KERNEL);
		if (!pages[i])
			break;
		got++;
		w = page_address(pages[i]);
		(void)READ_ONCE(w[64]);
		t0 = ktime_get_ns();
		for (j = 0; j < 16; j++)
			WRITE_ONCE(w[64], j);
		ns = ktime_get_ns() - t0;
		if (ns > 1600)
			slow++;
		sum += ns;
		worst = max(worst, ns);
	}
	for (i = 0; i < got; i++)
		__free_page(pages[i]);
	kfree(pages);
	pr_info("gnt-probe: fresh pages: %u of %u take > 100 ns per store (mean %llu ns, worst %llu ns per store)\n",
		slow, got, div_u64(sum, 16 * (got ?: 1)), div_u64(worst, 16));
}

#ifdef CONFIG_XEN
#include <xen/grant_table.h>

static unsigned long a_check, a_list, a_bitmap, a_head, a_count, a_size,
	a_lock, a_cb, a_last, a_shared;
module_param(a_check, ulong, 0444);
module_param(a_list, ulong, 0444);
module_param(a_bitmap, ulong, 0444);
module_param(a_head, ulong, 0444);
module_param(a_count, ulong, 0444);
module_param(a_size, ulong, 0444);
module_param(a_lock, ulong, 0444);
module_param(a_cb, ulong, 0444);
module_param(a_last, ulong, 0444);
module_param(a_shared, ulong, 0444);
#define RPP (PAGE_SIZE / sizeof(grant_ref_t))
#define GNTTAB_LIST_END 0xffffffff	/* as in grant-table.c */

static grant_ref_t ***glist;
static unsigned long **gbitmap;
static grant_ref_t *ghead, *glast;
static int *gcount;
static unsigned int *gsize;
static spinlock_t *glock;
static void **gcb;
static struct grant_entry_v1 **gshared;

static grant_ref_t *entry(grant_ref_t ref)
{
	return &(*glist)[ref / RPP][ref % RPP];
}

static void state(const char *when)
{
	unsigned int n = 0, down = 0, size;
	grant_ref_t r, prev = 0, head;
	unsigned long flags;
	int count;

	spin_lock_irqsave(glock, flags);
	head = *ghead;
	count = *gcount;
	size = *gsize;
	for (r = head; r != GNTTAB_LIST_END && n < size; r = *entry(r), n++) {
		if (n && r < prev)
			down++;
		prev = r;
	}
	spin_unlock_irqrestore(glock, flags);
	pr_info("gnt-probe: %s: size %u free %d head %u last_free %u walked %u descents %u callbacks %s\n",
		when, size, count, head, *glast, n, down, *gcb ? "queued" : "none");
}

static void rate(const char *when)
{
	grant_ref_t head;
	unsigned int i;
	u64 t0, ns;
	int ref = -1;

	t0 = ktime_get_ns();
	for (i = 0; i < ITERS; i++) {
		if (gnttab_alloc_grant_references(1, &head))
			return;
		ref = gnttab_claim_grant_reference(&head);
		gnttab_free_grant_reference(ref);
	}
	ns = ktime_get_ns() - t0;
	pr_info("gnt-probe: %s: ref alloc+free %llu per_s (ref %d)\n", when,
		div64_u64((u64)ITERS * NSEC_PER_SEC, ns ?: 1), ref);
}

static void stores(const char *when, unsigned long *ctl)
{
	unsigned long flags, local = 0;
	grant_ref_t head;
	u64 e, b, h, c, k, g, st;

	spin_lock_irqsave(glock, flags);
	head = *ghead;
	e = store_ns(word(entry(head)));
	b = store_ns(&(*gbitmap)[BIT_WORD(head)]);
	h = store_ns(word(ghead));
	c = store_ns(word(gcount));
	k = store_ns(ctl);
	g = store_ns(word(&(*gshared)[head]));
	st = store_ns(&local);
	spin_unlock_irqrestore(glock, flags);
	pr_info("gnt-probe: %s: ns per store: list entry %llu bitmap %llu free_head %llu free_count %llu kmalloc %llu shared entry %llu stack %llu\n",
		when, e, b, h, c, k, g, st);
}

/* Store every word of @p's page back, atomically, with its own value. */
static void rewrite_page(void *p)
{
	unsigned long *w = (unsigned long *)((unsigned long)p & PAGE_MASK);
	unsigned int i;

	for (i = 0; i < PAGE_SIZE / sizeof(long); i++) {
		unsigned long v = READ_ONCE(w[i]);

		cmpxchg(&w[i], v, v);
	}
}

static long probe_all(void *unused)
{
	unsigned long flags, *ctl;
	grant_ref_t head;
	unsigned int i;

	ctl = kzalloc(sizeof(*ctl), GFP_KERNEL);
	if (!ctl)
		return -ENOMEM;
	state("before");
	rate("before");
	rate("before");
	stores("before", ctl);

	spin_lock_irqsave(glock, flags);
	head = *ghead;
	rewrite_page(entry(head));
	rewrite_page(&(*gbitmap)[BIT_WORD(head)]);
	rewrite_page(ghead);
	rewrite_page(gcount);
	rewrite_page(&(*gshared)[head]);
	for (i = 0; i < THREAD_SIZE; i += PAGE_SIZE)
		rewrite_page(task_stack_page(current) + i);
	spin_unlock_irqrestore(glock, flags);

	stores("rewritten", ctl);
	rate("rewritten");
	rate("rewritten");
	state("after");
	scan();
	kfree(ctl);
	return 0;
}

static int __init probe_init(void)
{
	if (!a_check || a_check != (unsigned long)gnttab_alloc_grant_references) {
		pr_err("gnt-probe: a_check %#lx is not gnttab_alloc_grant_references: wrong System.map\n",
		       a_check);
		return -EINVAL;
	}
	glist = (void *)a_list;
	gbitmap = (void *)a_bitmap;
	ghead = (void *)a_head;
	glast = (void *)a_last;
	gcount = (void *)a_count;
	gsize = (void *)a_size;
	glock = (void *)a_lock;
	gcb = (void *)a_cb;
	gshared = (void *)a_shared;
	if (!a_shared)
		return -EINVAL;
	return work_on_cpu(0, probe_all, NULL);
}

#else	/* the test kernel: pvxen-core's grant table */
#include <linux/mm.h>

#include <pvxen/grant.h>

/*
 * The head of drivers/core/grant.c's struct pvxen_gnttab (`gt`), as it is
 * in the test kernel (no spinlock debugging): probe_init checks what it
 * reads through it before using it.
 */
struct pv_gt_head {
	spinlock_t lock;		/* pvxen-core's: held while probing */
	u64 *shared;			/* grant_entry_v1: 8 bytes each */
	u64 base_gfn;
	unsigned int nr_frames;
	unsigned int max_frames;
	unsigned long *bitmap;
	unsigned int nr_refs;
	unsigned int free_count;
	unsigned int hint;
};

/*
 * pvxen-core's .data (/sys/module/pvxen_core/sections/.data) and the
 * offset of `gt` in it (readelf -s drivers/core/pvxen-core.ko).
 */
static unsigned long a_data, o_gt;
module_param(a_data, ulong, 0444);
module_param(o_gt, ulong, 0444);

static struct pv_gt_head *gt;

static void rate(const char *when)
{
	unsigned int i;
	u64 t0, ns;
	int ref = -1;

	t0 = ktime_get_ns();
	for (i = 0; i < ITERS; i++) {
		ref = pvxen_gnttab_alloc_ref();
		if (ref < 0)
			return;
		pvxen_gnttab_free_ref(ref);
	}
	ns = ktime_get_ns() - t0;
	pr_info("gnt-probe: pvxen: %s: ref alloc+free %llu per_s (ref %d)\n",
		when, div64_u64((u64)ITERS * NSEC_PER_SEC, ns ?: 1), ref);
}

static long probe_all(void *unused)
{
	unsigned long flags, *ctl, local = 0;
	unsigned int ref, frames, refs, nfree;
	u64 f, b, g, k, st;

	ctl = kzalloc(sizeof(*ctl), GFP_KERNEL);
	if (!ctl)
		return -ENOMEM;
	rate("before");
	rate("before");
	spin_lock_irqsave(&gt->lock, flags);
	ref = find_next_zero_bit(gt->bitmap, gt->nr_refs, gt->hint);
	if (ref >= gt->nr_refs)
		ref = find_next_zero_bit(gt->bitmap, gt->nr_refs, 8);
	frames = gt->nr_frames;
	refs = gt->nr_refs;
	nfree = gt->free_count;
	f = store_ns(word(&gt->free_count));
	b = store_ns(&gt->bitmap[BIT_WORD(ref)]);
	g = ref < refs ? store_ns((unsigned long *)&gt->shared[ref]) : 0;
	k = store_ns(ctl);
	st = store_ns(&local);
	spin_unlock_irqrestore(&gt->lock, flags);
	pr_info("gnt-probe: pvxen: frames %u refs %u free %u; ns per store: free_count %llu bitmap %llu shared entry %llu kmalloc %llu stack %llu\n",
		frames, refs, nfree, f, b, g, k, st);
	rate("after");
	scan();
	kfree(ctl);
	return 0;
}

static int __init probe_init(void)
{
	struct pv_gt_head *h = (void *)(a_data + o_gt);

	if (!a_data || !o_gt || !h->shared || !h->bitmap ||
	    !(virt_addr_valid(h->bitmap) || is_vmalloc_addr(h->bitmap)) ||
	    !h->nr_frames || h->nr_frames > h->max_frames ||
	    h->nr_refs != h->nr_frames * (PVXEN_XEN_PAGE_SIZE / 8) ||
	    h->free_count > h->nr_refs || h->hint > h->nr_refs) {
		pr_err("gnt-probe: pvxen: %#lx + %#lx is not pvxen-core's gt\n",
		       a_data, o_gt);
		return -EINVAL;
	}
	gt = h;
	return work_on_cpu(0, probe_all, NULL);
}
#endif

static void __exit probe_exit(void)
{
}

module_init(probe_init);
module_exit(probe_exit);
MODULE_DESCRIPTION("experiment: Linux grant free list state and store costs");
MODULE_LICENSE("GPL");
