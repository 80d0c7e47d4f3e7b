// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen-swiotlb: the DMA operations.
 *
 * A buffer is given to the device at its machine address through the
 * device's range table (pfn -> bfn through the p2m override, bfn -> dma
 * through the dma-ranges) when that is right: the buffer is contiguous in
 * machine memory, the device reaches all of it, and it is not a foreign
 * page on a device that does not snoop the caches.  Otherwise it is
 * bounced through the pool, which is the domain's own memory, below every
 * limit.  A foreign page is one whose frame has a p2m override (a grant
 * mapped into this domain).
 *
 * Cache maintenance for a non-coherent device goes through the kernel's
 * own DMA API, on a private device that has no operations, no offsets and
 * no coherence: dma_sync_single_for_{device,cpu}() on it clean and
 * invalidate exactly the given physical range.  In a direct-mapped domain
 * a buffer that is not foreign has the same guest-physical and machine
 * address, so that range is the buffer itself.
 */
#define pr_fmt(fmt) "pvxen-swiotlb: " fmt

#include <linux/dma-map-ops.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <pvxen/p2m.h>

#include "swiotlb.h"

static struct device *pvxs_cache_dev;

/* The device's DMA limit now (its driver may have changed the mask). */
static u64 pvxs_limit(struct device *dev)
{
	u64 mask = dev->coherent_dma_mask;

	if (dev->dma_mask && *dev->dma_mask)
		mask = *dev->dma_mask;
	return min_not_zero(mask, dev->bus_dma_limit);
}

/*
 * The device's table with today's limit, under rcu_read_lock(); false
 * (and a warning) if the device is not one of ours.
 */
static bool pvxs_table(struct device *dev, struct pvxen_dma_table *t,
		       bool *coherent)
{
	struct pvxs_dev *pd = pvxs_dev_find(dev);

	if (!pd) {
		dev_WARN_ONCE(dev, 1, "pvxen-swiotlb: operations without state\n");
		return false;
	}
	*t = pd->table;
	t->dma_limit = pvxs_limit(dev);
	*coherent = pd->coherent;
	return true;
}

static void pvxs_cache(phys_addr_t pa, size_t len,
		       enum dma_data_direction dir, bool for_cpu)
{
	if (for_cpu)
		dma_sync_single_for_cpu(pvxs_cache_dev, pa, len, dir);
	else
		dma_sync_single_for_device(pvxs_cache_dev, pa, len, dir);
}

/* pfn -> bfn that notes whether any frame was foreign. */
static struct pvxen_bfn pvxs_lookup(void *ctx, struct pvxen_pfn pfn)
{
	struct pvxen_bfn b = pvxen_pfn_to_bfn(pfn);
	bool *foreign = ctx;

	if (pvxen_bfn_val(b) != pvxen_pfn_val(pfn))
		*foreign = true;
	return b;
}

/*
 * Machine address of [@pa, @pa + @len), or the error address if that is
 * not one machine range; *@foreign set if a frame has a p2m override.  A
 * buffer within one 4 KiB frame (the common case: a page) takes one
 * lookup; longer ones go through the translation core frame by frame.
 */
static struct pvxen_baddr pvxs_machine(phys_addr_t pa, size_t len,
				       bool *foreign)
{
	struct pvxen_paddr p = pvxen_mk_paddr(pa);
	struct pvxen_pfn pfn = pvxen_paddr_to_pfn(p);
	struct pvxen_bfn bfn;

	if (!len || pfn.pfn != pvxen_paddr_to_pfn(pvxen_mk_paddr(pa + len - 1)).pfn)
		return pvxen_paddr_buf_to_baddr(p, len, pvxs_lookup, foreign);
	bfn = pvxen_pfn_to_bfn(pfn);
	*foreign = pvxen_bfn_val(bfn) != pvxen_pfn_val(pfn);
	return pvxen_bfn_to_baddr_off(bfn, pvxen_paddr_page_offset(p));
}

static dma_addr_t pvxs_map(struct device *dev, phys_addr_t pa, size_t len,
			   enum dma_data_direction dir, unsigned long attrs)
{
	bool sync = !(attrs & DMA_ATTR_SKIP_CPU_SYNC);
	struct pvxen_dma_addr d = pvxen_dma_error();
	bool coherent, foreign = false;
	struct pvxen_dma_table t;
	struct pvxen_baddr b;
	int why;
	phys_addr_t bpa;

	rcu_read_lock();
	if (!pvxs_table(dev, &t, &coherent))
		goto fail;
	b = pvxs_machine(pa, len, &foreign);
	if (pvxen_baddr_is_error(b))
		why = PVXS_BOUNCE_DISCONTIG;
	else if (foreign && !coherent)
		why = PVXS_BOUNCE_FOREIGN;
	else if (!pvxen_dma_capable(&t, b, len))
		why = PVXS_BOUNCE_REACH;
	else
		why = -1;
	/* A frame that claims to be in the pool is a lie: never give it. */
	if (why < 0 && pvxs_pool_contains(pvxen_baddr_val(b), len))
		goto fail;

	if (why < 0) {
		d = pvxen_baddr_to_dma(&t, b);
		if (!coherent && sync)
			pvxs_cache(pa, len, dir, false);
		pvxs_count(PVXS_MAP_DIRECT, 1);
		goto out;
	}

	bpa = pvxs_pool_map(pa, len);
	if (bpa == PVXS_POOL_ERROR)
		goto fail;
	if (!pvxen_dma_capable(&t, pvxen_mk_baddr(bpa), len)) {
		pvxs_pool_unmap(bpa, len, dir, false);
		goto fail;
	}
	d = pvxen_baddr_to_dma(&t, pvxen_mk_baddr(bpa));
	if (!coherent && sync)
		pvxs_cache(bpa, len, dir, false);
	pvxs_count(why, 1);
	pvxs_count(PVXS_MAP_BOUNCED, 1);
out:
	rcu_read_unlock();
	return pvxen_dma_val(d);
fail:
	rcu_read_unlock();
	pvxs_count(PVXS_MAP_FAILED, 1);
	dev_warn_ratelimited(dev, "pvxen-swiotlb: cannot map %zu bytes at %pa for DMA (bounce pool full or out of reach)\n",
			     len, &pa);
	return DMA_MAPPING_ERROR;
}

/*
 * Where @dma, an address @dev was given for @len bytes, points: into the
 * bounce pool (*@bounced, *@pa its pool address) or not.  A direct one's
 * machine address is worked out only if @need_pa (a coherent device's
 * unmap needs nothing).  One lookup of the device; -EINVAL if it is not
 * ours or @dma is none of its addresses.
 */
static int pvxs_back(struct device *dev, dma_addr_t dma, size_t len,
		     bool need_pa, phys_addr_t *pa, bool *coherent,
		     bool *bounced)
{
	struct pvxen_dma_table t;
	struct pvxen_baddr b;
	struct pvxs_dev *pd;
	int ret = -EINVAL;

	rcu_read_lock();
	pd = pvxs_dev_find(dev);
	if (!pd)
		goto out;
	*coherent = pd->coherent;
	*bounced = pd->pool_dma != DMA_MAPPING_ERROR && dma >= pd->pool_dma &&
		   dma - pd->pool_dma < pvxs_pool_size();
	if (*bounced) {
		*pa = pvxs_pool_start() + (dma - pd->pool_dma);
		ret = 0;
	} else if (!need_pa && *coherent) {
		ret = 0;
	} else {
		t = pd->table;
		t.dma_limit = pvxs_limit(dev);
		b = pvxen_dma_to_baddr(&t, pvxen_mk_dma(dma));
		if (!pvxen_baddr_is_error(b)) {
			*pa = pvxen_baddr_val(b);
			ret = 0;
		}
	}
out:
	rcu_read_unlock();
	return ret;
}

static void pvxs_unmap(struct device *dev, dma_addr_t dma, size_t len,
		       enum dma_data_direction dir, unsigned long attrs)
{
	bool sync = !(attrs & DMA_ATTR_SKIP_CPU_SYNC);
	bool coherent, bounced;
	phys_addr_t pa;

	if (pvxs_back(dev, dma, len, false, &pa, &coherent, &bounced)) {
		dev_warn_ratelimited(dev, "pvxen-swiotlb: unmap of %pad: not an address this device was given\n",
				     &dma);
		return;
	}
	if (!bounced && coherent)
		return;		/* a direct mapping: nothing to undo */
	if (!coherent && sync)
		pvxs_cache(pa, len, dir, true);
	if (bounced)
		pvxs_pool_unmap(pa, len, dir, sync);
}

static void pvxs_sync(struct device *dev, dma_addr_t dma, size_t len,
		      enum dma_data_direction dir, bool for_cpu)
{
	bool coherent, bounced;
	phys_addr_t pa;

	if (pvxs_back(dev, dma, len, false, &pa, &coherent, &bounced))
		return;
	if (!bounced && coherent)
		return;
	if (for_cpu && !coherent)
		pvxs_cache(pa, len, dir, true);
	if (bounced)
		pvxs_pool_sync(pa, len, dir, for_cpu);
	if (!for_cpu && !coherent)
		pvxs_cache(pa, len, dir, false);
}

static dma_addr_t pvxs_map_page(struct device *dev, struct page *page,
				unsigned long offset, size_t size,
				enum dma_data_direction dir,
				unsigned long attrs)
{
	return pvxs_map(dev, page_to_phys(page) + offset, size, dir, attrs);
}

static void pvxs_unmap_sg(struct device *dev, struct scatterlist *sgl,
			  int nents, enum dma_data_direction dir,
			  unsigned long attrs)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i)
		pvxs_unmap(dev, sg_dma_address(sg), sg_dma_len(sg), dir, attrs);
}

static int pvxs_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
		       enum dma_data_direction dir, unsigned long attrs)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i) {
		sg_dma_address(sg) = pvxs_map(dev, sg_phys(sg), sg->length,
					      dir, attrs);
		if (sg_dma_address(sg) == DMA_MAPPING_ERROR)
			goto unmap;
		sg_dma_len(sg) = sg->length;
	}
	return nents;

unmap:
	pvxs_unmap_sg(dev, sgl, i, dir, attrs | DMA_ATTR_SKIP_CPU_SYNC);
	return -EIO;
}

static void pvxs_sync_single_for_cpu(struct device *dev, dma_addr_t dma,
				     size_t size, enum dma_data_direction dir)
{
	pvxs_sync(dev, dma, size, dir, true);
}

static void pvxs_sync_single_for_device(struct device *dev, dma_addr_t dma,
					size_t size,
					enum dma_data_direction dir)
{
	pvxs_sync(dev, dma, size, dir, false);
}

static void pvxs_sync_sg_for_cpu(struct device *dev, struct scatterlist *sgl,
				 int nents, enum dma_data_direction dir)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i)
		pvxs_sync(dev, sg_dma_address(sg), sg_dma_len(sg), dir, true);
}

static void pvxs_sync_sg_for_device(struct device *dev,
				    struct scatterlist *sgl, int nents,
				    enum dma_data_direction dir)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i)
		pvxs_sync(dev, sg_dma_address(sg), sg_dma_len(sg), dir, false);
}

/* A CPU mapping without caching of @count pages from @page, for the CPU
 * side of a coherent buffer of a non-coherent device.
 */
static void *pvxs_remap(struct page *page, unsigned int count)
{
	struct page **pages;
	unsigned int i;
	void *va;

	pages = kmalloc_array(count, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return NULL;
	for (i = 0; i < count; i++)
		pages[i] = page + i;
	va = vmap(pages, count, VM_MAP, pgprot_dmacoherent(PAGE_KERNEL));
	kfree(pages);
	return va;
}

/*
 * The DMA address the device sees for own memory at @pa (@size bytes),
 * against its coherent mask; DMA_MAPPING_ERROR if it cannot reach it all.
 */
static dma_addr_t pvxs_coherent_dma(struct device *dev, phys_addr_t pa,
				    size_t size, bool *coherent)
{
	struct pvxen_dma_addr d = pvxen_dma_error();
	struct pvxen_dma_table t;

	rcu_read_lock();
	if (pvxs_table(dev, &t, coherent)) {
		t.dma_limit = min_not_zero(dev->coherent_dma_mask,
					   dev->bus_dma_limit);
		if (pvxen_dma_capable(&t, pvxen_mk_baddr(pa), size))
			d = pvxen_baddr_to_dma(&t, pvxen_mk_baddr(pa));
	}
	rcu_read_unlock();
	return pvxen_dma_val(d);
}

static void *pvxs_alloc(struct device *dev, size_t size, dma_addr_t *dma,
			gfp_t gfp, unsigned long attrs)
{
	unsigned int order = get_order(size);
	struct page *page;
	dma_addr_t d;
	bool coherent;
	phys_addr_t pa;
	void *va;

	gfp &= ~(__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM);
	page = alloc_pages(gfp | __GFP_NOWARN, order);
	for (;;) {
		if (!page)
			return NULL;
		pa = page_to_phys(page);
		d = pvxs_coherent_dma(dev, pa, size, &coherent);
		if (d != DMA_MAPPING_ERROR)
			break;
		__free_pages(page, order);
		if (gfp & __GFP_DMA)
			return NULL;
		gfp |= __GFP_DMA;
		page = alloc_pages(gfp | __GFP_NOWARN, order);
	}

	memset(page_address(page), 0, PAGE_SIZE << order);
	va = page_address(page);
	if (!coherent) {
		/* clean and invalidate: no line of the cached alias stays */
		pvxs_cache(pa, PAGE_SIZE << order, DMA_BIDIRECTIONAL, false);
		pvxs_cache(pa, PAGE_SIZE << order, DMA_FROM_DEVICE, true);
		va = gfpflags_allow_blocking(gfp) ?
			pvxs_remap(page, 1U << order) : NULL;
		if (!va) {
			__free_pages(page, order);
			return NULL;
		}
	}
	*dma = d;
	pvxs_count(PVXS_ALLOC_COHERENT, 1);
	return va;
}

static void pvxs_free(struct device *dev, size_t size, void *va,
		      dma_addr_t dma, unsigned long attrs)
{
	bool coherent, bounced;
	phys_addr_t pa;

	if (pvxs_back(dev, dma, size, true, &pa, &coherent, &bounced) ||
	    bounced) {
		dev_warn(dev, "pvxen-swiotlb: free of %pad: not a buffer of this device; leaked\n",
			 &dma);
		return;
	}
	if (is_vmalloc_addr(va))
		vunmap(va);
	__free_pages(phys_to_page(pa), get_order(size));
	pvxs_count(PVXS_ALLOC_COHERENT, -1);
}

static dma_addr_t pvxs_map_resource(struct device *dev, phys_addr_t pa,
				    size_t size, enum dma_data_direction dir,
				    unsigned long attrs)
{
	struct pvxen_dma_addr d = pvxen_dma_error();
	struct pvxen_dma_table t;
	bool coherent;

	/* MMIO: its guest-physical address is its machine address. */
	rcu_read_lock();
	if (pvxs_table(dev, &t, &coherent) &&
	    pvxen_dma_capable(&t, pvxen_mk_baddr(pa), size))
		d = pvxen_baddr_to_dma(&t, pvxen_mk_baddr(pa));
	rcu_read_unlock();
	return pvxen_dma_val(d);
}

static int pvxs_dma_supported(struct device *dev, u64 mask)
{
	struct pvxen_dma_table t;
	bool coherent, ok;

	rcu_read_lock();
	ok = pvxs_table(dev, &t, &coherent);
	if (ok) {
		t.dma_limit = min_not_zero(mask, dev->bus_dma_limit);
		ok = pvxen_dma_capable(&t, pvxen_mk_baddr(pvxs_pool_start()),
				       pvxs_pool_size());
	}
	rcu_read_unlock();
	return ok;
}

static size_t pvxs_max_mapping_size(struct device *dev)
{
	return pvxs_pool_max_bounce();
}

const struct dma_map_ops pvxs_dma_ops = {
	.alloc = pvxs_alloc,
	.free = pvxs_free,
	.map_page = pvxs_map_page,
	.unmap_page = pvxs_unmap,
	.map_sg = pvxs_map_sg,
	.unmap_sg = pvxs_unmap_sg,
	.map_resource = pvxs_map_resource,
	.sync_single_for_cpu = pvxs_sync_single_for_cpu,
	.sync_single_for_device = pvxs_sync_single_for_device,
	.sync_sg_for_cpu = pvxs_sync_sg_for_cpu,
	.sync_sg_for_device = pvxs_sync_sg_for_device,
	.dma_supported = pvxs_dma_supported,
	.max_mapping_size = pvxs_max_mapping_size,
};

static void pvxs_cache_dev_release(struct device *dev)
{
	kfree(dev);
}

int pvxs_ops_init(void)
{
	struct device *d = kzalloc(sizeof(*d), GFP_KERNEL);

	if (!d)
		return -ENOMEM;
	device_initialize(d);
	d->release = pvxs_cache_dev_release;
	d->coherent_dma_mask = DMA_BIT_MASK(64);
	d->dma_mask = &d->coherent_dma_mask;
	d->dma_coherent = false;
	dev_set_name(d, "pvxen-swiotlb-cache");
	pvxs_cache_dev = d;
	return 0;
}

void pvxs_ops_exit(void)
{
	put_device(pvxs_cache_dev);
	pvxs_cache_dev = NULL;
}
