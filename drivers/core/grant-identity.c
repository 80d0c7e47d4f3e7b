// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen-core: foreign grants mapped at their machine address, for the
 * devices of a direct-mapped domain on kernels without a dma_ops slot
 * (Documentation/dma.md).
 *
 * There pvxen-swiotlb cannot install DMA operations, so the translation
 * is made unnecessary instead: each grant is mapped at the guest-physical
 * address equal to the granted frame's machine address (what Xen once
 * offered as XENFEAT_grant_map_identity), and the kernel's own dma-direct,
 * with the device's dma-ranges, gives the device the right bus address;
 * what it cannot reach, the kernel's swiotlb bounces.  A map takes two
 * calls: a device mapping, which pins the grant and returns the frame's
 * machine address (dev_bus_addr), then a host mapping at that address.
 *
 * Drivers need a struct page there.  For a direct-mapped domain the
 * extended regions cover the machine RAM of the other domains, and the
 * 2 MiB block around a granted frame gets device-memory pages
 * (memremap_pages(), MEMORY_DEVICE_GENERIC) the first time a grant lands
 * in it; the blocks stay until pvxen-core unloads.  A frame granted more
 * than once (two refs, two requests) has one address: its host mapping
 * is shared, made by the first map and undone by the last unmap, while
 * each grant keeps its own device mapping.  pvxen_id_lock (mutex)
 * serialises all of it; it is a leaf.
 */
#define pr_fmt(fmt) "pvxen: " fmt

#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/numa.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include <xen/interface/xen.h>
#include <xen/interface/features.h>
#include <xen/interface/grant_table.h>

#include <pvxen/compat-zonedev.h>
#include <pvxen/grant.h>
#include <pvxen/hypercall.h>

#include "core.h"
#include "grant.h"

#define PVXEN_ID_BLOCK_SHIFT	21	/* 2 MiB: a memory subsection */

struct pvxen_id_block {
	struct dev_pagemap pgmap;
};

/* One machine frame host-mapped at its own address. */
struct pvxen_id_frame {
	grant_handle_t handle;	/* of the host mapping */
	unsigned int users;	/* grants of it mapped here */
	bool readonly;
};

static DEFINE_XARRAY(pvxen_id_blocks);	/* block index -> pvxen_id_block */
static DEFINE_XARRAY(pvxen_id_frames);	/* frame -> pvxen_id_frame */
static DEFINE_MUTEX(pvxen_id_lock);	/* both xarrays' updates */

static bool pvxen_id_available(void)
{
	return PVXEN_HAVE_ZONE_DEVICE &&
	       (pvxen_core.features & BIT(XENFEAT_direct_mapped));
}

/* Is [start, start + size) inside one extended region? */
static bool in_ext_region(u64 start, u64 size)
{
	const struct pvxen_platform *p = &pvxen_core.plat;
	unsigned int i, n = min_t(unsigned int, p->nr_ext_regions,
				  PVXEN_MAX_EXT_REGIONS);

	for (i = 0; i < n; i++)
		if (start >= p->ext_regions[i].start &&
		    start + size - 1 <= p->ext_regions[i].end)
			return true;
	return false;
}

/*
 * Give the 2 MiB block holding @ma struct pages, if it has none yet.
 * Under pvxen_id_lock.
 */
static int id_block_get(u64 ma)
{
	unsigned long idx = ma >> PVXEN_ID_BLOCK_SHIFT;
	u64 start = (u64)idx << PVXEN_ID_BLOCK_SHIFT;
	struct pvxen_id_block *b;
	void *va;
	int ret;

	if (xa_load(&pvxen_id_blocks, idx))
		return 0;
	if (!in_ext_region(start, BIT(PVXEN_ID_BLOCK_SHIFT)))
		return -ERANGE;
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->pgmap.type = MEMORY_DEVICE_GENERIC;
	b->pgmap.range.start = start;
	b->pgmap.range.end = start + BIT(PVXEN_ID_BLOCK_SHIFT) - 1;
	b->pgmap.nr_range = 1;
	va = pvxen_memremap_pages(&b->pgmap, NUMA_NO_NODE);
	if (IS_ERR(va)) {
		ret = PTR_ERR(va);
		pr_warn("no pages for the foreign frames at 0x%llx (%d)\n",
			start, ret);
		goto free_block;
	}
	ret = xa_err(xa_store(&pvxen_id_blocks, idx, b, GFP_KERNEL));
	if (ret)
		goto unmap_pages;
	return 0;

unmap_pages:
	pvxen_memunmap_pages(&b->pgmap);
free_block:
	kfree(b);
	return ret;
}

/* GNTTABOP_map_grant_ref of one entry, retried while the peer pages in. */
static long map_op(struct gnttab_map_grant_ref *op)
{
	unsigned int tries;
	long hret;

	for (tries = 0;; tries++) {
		hret = pvxen_grant_table_op(GNTTABOP_map_grant_ref, op, 1);
		if (hret || op->status != GNTST_eagain ||
		    tries == PVXEN_MAP_EAGAIN_TRIES)
			return hret;
		msleep(tries + 1);
	}
}

/* Undo a device mapping. */
static void unmap_dev(const struct pvxen_gnttab_map *m, u64 ma)
{
	struct gnttab_unmap_grant_ref op = {
		.dev_bus_addr = ma,
		.handle = m->dev_handle,
		.status = GNTST_general_error,
	};
	long hret = pvxen_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1);

	if (hret || op.status != GNTST_okay)
		pr_warn("could not end the device mapping of grant %u of domain %u (%ld/%d)\n",
			m->ref, m->domid, hret, op.status);
}

/*
 * The host mapping of frame @ma, shared by every grant of it mapped here
 * (one frame, one address): made by the first, undone by the last.  Under
 * pvxen_id_lock.
 */
static int host_get(const struct pvxen_gnttab_map *m, u64 ma,
		    grant_handle_t *handle)
{
	struct pvxen_id_frame *f = xa_load(&pvxen_id_frames, PHYS_PFN(ma));
	struct gnttab_map_grant_ref op = {
		.host_addr = ma,
		.flags = GNTMAP_host_map | (m->readonly ? GNTMAP_readonly : 0),
		.ref = m->ref,
		.dom = m->domid,
		.status = GNTST_general_error,
	};
	long hret;
	int ret;

	if (f) {
		if (f->readonly && !m->readonly)
			return -EBUSY;	/* mapped read-only by another grant */
		f->users++;
		*handle = f->handle;
		return 0;
	}
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	hret = map_op(&op);
	if (hret || op.status != GNTST_okay) {
		kfree(f);
		return hret ? pvxen_gnt_errno(hret) : pvxen_gntst_errno(op.status);
	}
	f->handle = op.handle;
	f->users = 1;
	f->readonly = m->readonly;
	ret = xa_err(xa_store(&pvxen_id_frames, PHYS_PFN(ma), f, GFP_KERNEL));
	if (ret) {
		struct gnttab_unmap_grant_ref un = {
			.host_addr = ma, .handle = op.handle,
		};

		pvxen_grant_table_op(GNTTABOP_unmap_grant_ref, &un, 1);
		kfree(f);
		return ret;
	}
	*handle = f->handle;
	return 0;
}

/* Drop one user of frame @ma's host mapping.  Under pvxen_id_lock. */
static int host_put(u64 ma)
{
	struct pvxen_id_frame *f = xa_load(&pvxen_id_frames, PHYS_PFN(ma));
	struct gnttab_unmap_grant_ref op;
	long hret;

	if (!f)
		return -EINVAL;
	if (--f->users)
		return 0;
	op = (struct gnttab_unmap_grant_ref){
		.host_addr = ma,
		.handle = f->handle,
		.status = GNTST_general_error,
	};
	hret = pvxen_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1);
	if (hret || op.status != GNTST_okay) {
		f->users = 1;	/* still mapped: kept, the pages too */
		return hret ? pvxen_gnt_errno(hret) : pvxen_gntst_errno(op.status);
	}
	xa_erase(&pvxen_id_frames, PHYS_PFN(ma));
	kfree(f);
	return 0;
}

static int map_one(struct pvxen_gnttab_map *m)
{
	struct gnttab_map_grant_ref op = {
		.flags = GNTMAP_device_map |
			 (m->readonly ? GNTMAP_readonly : 0),
		.ref = m->ref,
		.dom = m->domid,
		.status = GNTST_general_error,
	};
	long hret;
	u64 ma;
	int ret;

	hret = map_op(&op);
	m->status = hret ? GNTST_general_error : op.status;
	if (m->status != GNTST_okay)
		return hret ? pvxen_gnt_errno(hret) :
			pvxen_gntst_errno(m->status);
	m->dev_handle = op.handle;
	ma = op.dev_bus_addr;

	ret = -EINVAL;
	if (ma & (PVXEN_XEN_PAGE_SIZE - 1))
		goto unmap_dev;
	mutex_lock(&pvxen_id_lock);
	ret = id_block_get(ma);
	if (!ret)
		ret = host_get(m, ma, &m->handle);
	mutex_unlock(&pvxen_id_lock);
	if (ret)
		goto unmap_dev;
	m->bfn = pvxen_baddr_to_bfn(pvxen_mk_baddr(ma));
	m->page = pfn_to_page(PHYS_PFN(ma));
	atomic_long_inc(&pvxen_gnttab_maps_active);
	return 0;

unmap_dev:
	unmap_dev(m, ma);
	m->status = GNTST_general_error;
	return ret;
}

int pvxen_gnttab_map_dma(struct pvxen_gnttab_map *maps, unsigned int count)
{
	unsigned int i;
	int ret = 0, err;

	if (!pvxen_id_available() || PAGE_SIZE != PVXEN_XEN_PAGE_SIZE)
		return -EOPNOTSUPP;
	for (i = 0; i < count; i++) {
		maps[i].page = NULL;
		err = map_one(&maps[i]);
		if (err && !ret)
			ret = err;
	}
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_gnttab_map_dma);

int pvxen_gnttab_unmap_dma(struct pvxen_gnttab_map *maps, unsigned int count)
{
	unsigned int i;
	int ret = 0, err;
	u64 ma;

	for (i = 0; i < count; i++) {
		ma = pvxen_baddr_val(pvxen_bfn_to_baddr(maps[i].bfn));
		mutex_lock(&pvxen_id_lock);
		err = host_put(ma);
		mutex_unlock(&pvxen_id_lock);
		/* the device mapping is ours alone: always undone */
		unmap_dev(&maps[i], ma);
		maps[i].status = err ? GNTST_general_error : GNTST_okay;
		if (err) {
			if (!ret)
				ret = err;
			continue;
		}
		atomic_long_dec(&pvxen_gnttab_maps_active);
	}
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_gnttab_unmap_dma);

void pvxen_gnttab_identity_exit(void)
{
	struct pvxen_id_block *b;
	unsigned long idx;

	if (!xa_empty(&pvxen_id_frames)) {
		/* pages still mapped: their struct pages must stay */
		pr_warn("foreign frames still mapped at their machine address at unload: leaking their pages\n");
		return;
	}
	xa_for_each(&pvxen_id_blocks, idx, b) {
		pvxen_memunmap_pages(&b->pgmap);
		kfree(b);
	}
	xa_destroy(&pvxen_id_blocks);
}
