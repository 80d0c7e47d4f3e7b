// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen-swiotlb: the bounce pool.
 *
 * One block of the domain's own RAM, allocated at load from the DMA zone
 * (which the kernel sizes to the lowest DMA limit it saw in the device
 * tree), in page-sized slots.  The domain is direct-mapped, so its own
 * frames are their machine frames and one block is machine-contiguous;
 * the load checks that through the p2m anyway.  A bounced mapping takes
 * enough consecutive slots for its length plus its offset in the first
 * page, so the device sees the buffer's alignment within a page.
 *
 * Every slot records the first slot of its mapping (@head) so that a sync
 * of part of a mapping finds the original buffer; the first slot records
 * the original address and length.  The pool's lock is a leaf (irqsave:
 * mappings are made from any context).
 */
#define pr_fmt(fmt) "pvxen-swiotlb: " fmt

#include <linux/bitmap.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include <pvxen/p2m.h>

#include "swiotlb.h"

#define PVXS_NO_HEAD	UINT_MAX

struct pvxs_slot {
	unsigned int head;	/* first slot of the mapping, or PVXS_NO_HEAD */
	unsigned int nslots;	/* on the first slot: slots of the mapping */
	phys_addr_t orig;	/* on the first slot: the original buffer */
	size_t len;		/* on the first slot: its length */
};

static struct {
	spinlock_t lock;	/* bitmap, slots, used, high */
	struct page *pages;
	unsigned int order;
	phys_addr_t start;
	unsigned int nslots;
	unsigned int max_slots;	/* longest bounce, in slots */
	unsigned long *bitmap;
	struct pvxs_slot *slots;
	unsigned int used;
	unsigned int high;
	unsigned long full;	/* refusals: no room */
} pool;

int pvxs_pool_init(unsigned int pool_kb, unsigned int max_bounce_kb)
{
	size_t size = (size_t)pool_kb << 10;
	unsigned int i;

	pool.order = get_order(size);
	pool.nslots = (PAGE_SIZE << pool.order) >> PAGE_SHIFT;
	pool.max_slots = clamp_t(unsigned int,
				 ((size_t)max_bounce_kb << 10) >> PAGE_SHIFT, 1,
				 pool.nslots);
	spin_lock_init(&pool.lock);

	pool.pages = alloc_pages(GFP_KERNEL | GFP_DMA | __GFP_NOWARN,
				 pool.order);
	if (!pool.pages) {
		pr_err("no %u KiB block in the DMA zone for the bounce pool\n",
		       pool_kb);
		return -ENOMEM;
	}
	pool.start = page_to_phys(pool.pages);
	if (!pvxen_paddr_machine_contiguous(pvxen_mk_paddr(pool.start),
					    (u64)pool.nslots << PAGE_SHIFT,
					    pvxen_p2m_lookup, NULL)) {
		pr_err("bounce pool at %pa is not machine-contiguous\n",
		       &pool.start);
		goto free_pages;
	}
	pool.bitmap = bitmap_zalloc(pool.nslots, GFP_KERNEL);
	if (!pool.bitmap)
		goto free_pages;
	pool.slots = kcalloc(pool.nslots, sizeof(*pool.slots), GFP_KERNEL);
	if (!pool.slots)
		goto free_bitmap;
	for (i = 0; i < pool.nslots; i++)
		pool.slots[i].head = PVXS_NO_HEAD;
	return 0;

free_bitmap:
	bitmap_free(pool.bitmap);
free_pages:
	__free_pages(pool.pages, pool.order);
	pool.pages = NULL;
	return -ENOMEM;
}

void pvxs_pool_exit(void)
{
	if (pool.used)
		pr_warn("%u bounce slots still mapped at unload; the pool is leaked\n",
			pool.used);
	else
		__free_pages(pool.pages, pool.order);
	kfree(pool.slots);
	bitmap_free(pool.bitmap);
	pool.pages = NULL;
}

phys_addr_t pvxs_pool_start(void)
{
	return pool.start;
}

size_t pvxs_pool_size(void)
{
	return (size_t)pool.nslots << PAGE_SHIFT;
}

size_t pvxs_pool_max_bounce(void)
{
	return (size_t)pool.max_slots << PAGE_SHIFT;
}

dma_addr_t pvxs_pool_dma(const struct pvxen_dma_table *t)
{
	struct pvxen_dma_table all = *t;

	all.dma_limit = PVXEN_XLATE_ERROR - 1;
	if (!pvxen_dma_capable(&all, pvxen_mk_baddr(pool.start),
			       pvxs_pool_size()))
		return DMA_MAPPING_ERROR;
	return pvxen_dma_val(pvxen_baddr_to_dma(&all,
						pvxen_mk_baddr(pool.start)));
}

bool pvxs_pool_contains(phys_addr_t pa, size_t len)
{
	return len && pa >= pool.start && len <= pvxs_pool_size() &&
	       pa - pool.start <= pvxs_pool_size() - len;
}

/* The slot holding @pa, which the pool contains. */
static unsigned int slot_of(phys_addr_t pa)
{
	return (pa - pool.start) >> PAGE_SHIFT;
}

static phys_addr_t slot_pa(unsigned int i)
{
	return pool.start + ((phys_addr_t)i << PAGE_SHIFT);
}

/* Copy between the original buffer and the pool, page by page. */
static void bounce_copy(phys_addr_t orig, phys_addr_t pa, size_t len,
			bool to_pool)
{
	pvxs_count(PVXS_BOUNCE_BYTES, len);
	while (len) {
		size_t off = offset_in_page(orig);
		size_t n = min_t(size_t, len, PAGE_SIZE - off);
		void *o = phys_to_virt(orig);
		void *p = phys_to_virt(pa);

		if (to_pool)
			memcpy(p, o, n);
		else
			memcpy(o, p, n);
		orig += n;
		pa += n;
		len -= n;
	}
}

phys_addr_t pvxs_pool_map(phys_addr_t orig, size_t len)
{
	size_t off = offset_in_page(orig);
	unsigned int n, i, j;
	unsigned long flags;
	phys_addr_t pa;

	/* up to max_bounce bytes at any offset: one slot more if need be */
	if (!len || len > pvxs_pool_max_bounce())
		return PVXS_POOL_ERROR;
	n = DIV_ROUND_UP(off + len, PAGE_SIZE);
	if (n > pool.nslots)
		return PVXS_POOL_ERROR;

	spin_lock_irqsave(&pool.lock, flags);
	i = bitmap_find_next_zero_area(pool.bitmap, pool.nslots, 0, n, 0);
	if (i >= pool.nslots) {
		pool.full++;
		spin_unlock_irqrestore(&pool.lock, flags);
		return PVXS_POOL_ERROR;
	}
	bitmap_set(pool.bitmap, i, n);
	for (j = i; j < i + n; j++)
		pool.slots[j].head = i;
	pool.slots[i].nslots = n;
	pool.slots[i].orig = orig;
	pool.slots[i].len = len;
	pool.used += n;
	pool.high = max(pool.high, pool.used);
	spin_unlock_irqrestore(&pool.lock, flags);

	/*
	 * Always fill the slots from the buffer, whatever the direction and
	 * DMA_ATTR_SKIP_CPU_SYNC: a device that writes only part of it must
	 * not leave an earlier bounce's bytes (another domain's, perhaps) to
	 * be copied back over the rest.
	 */
	pa = slot_pa(i) + off;
	bounce_copy(orig, pa, len, true);
	return pa;
}

/*
 * The original buffer behind pool bytes [@pa, @pa + @len) in *@orig;
 * false if they are not within one live mapping.  Called with the pool's
 * lock held.
 */
static bool orig_of(phys_addr_t pa, size_t len, phys_addr_t *orig)
{
	unsigned int h = pool.slots[slot_of(pa)].head;
	phys_addr_t first;

	if (h == PVXS_NO_HEAD)
		return false;
	first = slot_pa(h) + offset_in_page(pool.slots[h].orig);
	if (pa < first || pa - first > pool.slots[h].len ||
	    len > pool.slots[h].len - (pa - first))
		return false;
	*orig = pool.slots[h].orig + (pa - first);
	return true;
}

void pvxs_pool_sync(phys_addr_t pa, size_t len, enum dma_data_direction dir,
		    bool for_cpu)
{
	unsigned long flags;
	phys_addr_t orig;
	bool live;

	if (!pvxs_pool_contains(pa, len))
		return;
	spin_lock_irqsave(&pool.lock, flags);
	live = orig_of(pa, len, &orig);
	spin_unlock_irqrestore(&pool.lock, flags);
	if (!live) {
		pr_warn_ratelimited("sync of %zu bytes at %pa: not a live bounce mapping\n",
				    len, &pa);
		return;
	}
	if (for_cpu && (dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL))
		bounce_copy(orig, pa, len, false);
	else if (!for_cpu && (dir == DMA_TO_DEVICE || dir == DMA_BIDIRECTIONAL))
		bounce_copy(orig, pa, len, true);
}

void pvxs_pool_unmap(phys_addr_t pa, size_t len, enum dma_data_direction dir,
		     bool sync)
{
	unsigned int h, j;
	unsigned long flags;
	phys_addr_t orig;
	size_t mlen;

	if (!pvxs_pool_contains(pa, len))
		return;
	spin_lock_irqsave(&pool.lock, flags);
	h = pool.slots[slot_of(pa)].head;
	if (!orig_of(pa, len, &orig) ||
	    pa != slot_pa(h) + offset_in_page(pool.slots[h].orig)) {
		spin_unlock_irqrestore(&pool.lock, flags);
		pr_warn_ratelimited("unmap of %zu bytes at %pa: not the start of a bounce mapping\n",
				    len, &pa);
		return;
	}
	mlen = pool.slots[h].len;
	pool.slots[h].len = 0;		/* released: a second unmap fails */
	spin_unlock_irqrestore(&pool.lock, flags);

	/* The slots are still ours: copy back before they are reused. */
	if (sync && (dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL))
		bounce_copy(orig, pa, min(len, mlen), false);

	spin_lock_irqsave(&pool.lock, flags);
	for (j = h; j < h + pool.slots[h].nslots; j++)
		pool.slots[j].head = PVXS_NO_HEAD;
	bitmap_clear(pool.bitmap, h, pool.slots[h].nslots);
	pool.used -= pool.slots[h].nslots;
	pool.slots[h].nslots = 0;
	spin_unlock_irqrestore(&pool.lock, flags);
}

void pvxs_pool_show(struct seq_file *m)
{
	unsigned long flags;
	unsigned int used, high;
	unsigned long full;

	spin_lock_irqsave(&pool.lock, flags);
	used = pool.used;
	high = pool.high;
	full = pool.full;
	spin_unlock_irqrestore(&pool.lock, flags);
	seq_printf(m, "pool_start %pa\npool_slots %u\npool_used %u\npool_high %u\npool_full %lu\nmax_bounce %zu\n",
		   &pool.start, pool.nslots, used, high, full,
		   pvxs_pool_max_bounce());
}
