// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen-core: mapping grants of other domains (include/pvxen/grant.h).
 *
 * On arm64 a grant is mapped at a guest-physical address (GNTMAP_host_map,
 * host_addr = that address): Xen points the guest frame at the foreign
 * machine frame.  The frame must not be RAM at that moment, or its RAM
 * would be lost to the domain (Xen would drop the mapping but keep the page
 * accounted to us), and after the unmap the frame is empty.  So mappings go
 * into "unpopulated" pages: kernel pages whose RAM was handed back to Xen
 * with XENMEM_decrease_reservation, and which get RAM again with
 * XENMEM_populate_physmap before they return to the page allocator.
 */
#define pr_fmt(fmt) "pvxen: " fmt

#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include <xen/interface/xen.h>
#include <xen/interface/grant_table.h>
#include <xen/interface/memory.h>

#include <pvxen/grant.h>
#include <pvxen/hypercall.h>
#include <pvxen/p2m.h>

#include "core.h"
#include "grant.h"

/* Change the reservation of one page: XENMEM_decrease/populate. */
static long reservation_op(unsigned int cmd, struct page *page)
{
	xen_pfn_t gfn = pvxen_pfn_val(pvxen_page_to_gfn(page));
	struct xen_memory_reservation r = {
		.nr_extents = 1,
		.extent_order = 0,
		.domid = DOMID_SELF,
	};

	set_xen_guest_handle(r.extent_start, &gfn);
	return pvxen_memory_op(cmd, &r);
}

/* Give the RAM of @pages[0..nr) back; on failure repopulate those done. */
static int unpopulate(unsigned int nr, struct page **pages)
{
	unsigned int i;
	long ret;

	for (i = 0; i < nr; i++) {
		ret = reservation_op(XENMEM_decrease_reservation, pages[i]);
		if (ret != 1) {
			pr_warn("XENMEM_decrease_reservation failed (%ld)\n", ret);
			goto repopulate;
		}
		atomic_long_inc(&pvxen_gnttab_unpopulated);
	}
	return 0;

repopulate:
	while (i--) {
		if (reservation_op(XENMEM_populate_physmap, pages[i]) != 1) {
			/* no RAM behind it: never give it back to the kernel */
			pr_warn("cannot get RAM back for gfn 0x%llx: leaking the page\n",
				pvxen_pfn_val(pvxen_page_to_gfn(pages[i])));
			get_page(pages[i]);
		}
		atomic_long_dec(&pvxen_gnttab_unpopulated);
	}
	return ret < 0 ? pvxen_gnt_errno(ret) : -EIO;
}

int pvxen_unpopulate_pages(unsigned int nr, struct page **pages)
{
	if (PAGE_SIZE != PVXEN_XEN_PAGE_SIZE)
		return -EOPNOTSUPP;
	return unpopulate(nr, pages);
}
EXPORT_SYMBOL_GPL(pvxen_unpopulate_pages);

int pvxen_alloc_unpopulated_pages(unsigned int nr, struct page **pages)
{
	unsigned int i;
	int err;

	if (PAGE_SIZE != PVXEN_XEN_PAGE_SIZE)
		return -EOPNOTSUPP;
	for (i = 0; i < nr; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		if (!pages[i]) {
			err = -ENOMEM;
			goto err;
		}
		err = unpopulate(1, &pages[i]);
		if (err) {
			__free_page(pages[i]);
			pages[i] = NULL;
			goto err;
		}
	}
	return 0;

err:
	pvxen_free_unpopulated_pages(i, pages);
	return err;
}
EXPORT_SYMBOL_GPL(pvxen_alloc_unpopulated_pages);

void pvxen_free_unpopulated_pages(unsigned int nr, struct page **pages)
{
	unsigned int i;
	long ret;

	for (i = 0; i < nr; i++) {
		if (!pages[i])
			continue;
		ret = reservation_op(XENMEM_populate_physmap, pages[i]);
		if (ret != 1) {
			pr_warn("cannot get RAM back for gfn 0x%llx (%ld): leaking the page\n",
				pvxen_pfn_val(pvxen_page_to_gfn(pages[i])), ret);
		} else {
			__free_page(pages[i]);
		}
		atomic_long_dec(&pvxen_gnttab_unpopulated);
		pages[i] = NULL;
	}
}
EXPORT_SYMBOL_GPL(pvxen_free_unpopulated_pages);

static void unmap_one(struct gnttab_unmap_grant_ref *op,
		      const struct pvxen_gnttab_map *m)
{
	op->host_addr = (u64)page_to_phys(m->page);
	op->dev_bus_addr = 0;
	op->handle = m->handle;
	op->status = GNTST_general_error;
}

int pvxen_gnttab_map_refs(struct pvxen_gnttab_map *maps, unsigned int count)
{
	struct gnttab_map_grant_ref *ops;
	struct gnttab_unmap_grant_ref undo;
	unsigned int i, tries;
	int ret = 0, err;
	long hret;

	if (PAGE_SIZE != PVXEN_XEN_PAGE_SIZE)
		return -EOPNOTSUPP;
	if (!count)
		return 0;
	ops = kcalloc(count, sizeof(*ops), GFP_KERNEL);
	if (!ops)
		return -ENOMEM;

	for (i = 0; i < count; i++) {
		ops[i].host_addr = (u64)page_to_phys(maps[i].page);
		ops[i].flags = GNTMAP_host_map |
			(maps[i].readonly ? GNTMAP_readonly : 0);
		ops[i].ref = maps[i].ref;
		ops[i].dom = maps[i].domid;
		ops[i].status = GNTST_general_error;
	}
	hret = pvxen_grant_table_op(GNTTABOP_map_grant_ref, ops, count);
	if (hret) {
		for (i = 0; i < count; i++)
			maps[i].status = GNTST_general_error;
		kfree(ops);
		return pvxen_gnt_errno(hret);
	}
	/* A frame being paged in on the peer's side: retry it alone. */
	for (i = 0; i < count; i++) {
		for (tries = 0; ops[i].status == GNTST_eagain &&
		     tries < PVXEN_MAP_EAGAIN_TRIES; tries++) {
			msleep(tries + 1);
			hret = pvxen_grant_table_op(GNTTABOP_map_grant_ref,
						    &ops[i], 1);
			if (hret)
				break;
		}
	}

	for (i = 0; i < count; i++) {
		struct pvxen_gnttab_map *m = &maps[i];

		m->status = ops[i].status;
		if (m->status != GNTST_okay) {
			if (!ret)
				ret = pvxen_gntst_errno(m->status);
			continue;
		}
		m->handle = ops[i].handle;
		m->bfn = pvxen_baddr_to_bfn(pvxen_mk_baddr(ops[i].dev_bus_addr));
		err = pvxen_p2m_set(pvxen_page_to_gfn(m->page), m->bfn);
		if (err) {
			/* Without its override the mapping must not stay. */
			unmap_one(&undo, m);
			hret = pvxen_grant_table_op(GNTTABOP_unmap_grant_ref,
						    &undo, 1);
			if (hret || undo.status != GNTST_okay)
				pr_warn("could not undo the map of grant %u of domain %u (%ld/%d)\n",
					m->ref, m->domid, hret, undo.status);
			m->status = GNTST_general_error;
			if (!ret)
				ret = err;
			continue;
		}
		atomic_long_inc(&pvxen_gnttab_maps_active);
	}
	kfree(ops);
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_gnttab_map_refs);

int pvxen_gnttab_unmap_refs(struct pvxen_gnttab_map *maps, unsigned int count)
{
	struct gnttab_unmap_grant_ref *ops;
	unsigned int i;
	int ret = 0;
	long hret;

	if (!count)
		return 0;
	ops = kcalloc(count, sizeof(*ops), GFP_KERNEL);
	if (!ops)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		/* The override goes first: it never outlives the mapping. */
		pvxen_p2m_clear(pvxen_page_to_gfn(maps[i].page));
		unmap_one(&ops[i], &maps[i]);
	}
	hret = pvxen_grant_table_op(GNTTABOP_unmap_grant_ref, ops, count);
	for (i = 0; i < count; i++) {
		maps[i].status = hret ? GNTST_general_error : ops[i].status;
		if (maps[i].status == GNTST_okay) {
			atomic_long_dec(&pvxen_gnttab_maps_active);
			continue;
		}
		pr_warn("could not unmap grant %u of domain %u (%ld/%d)\n",
			maps[i].ref, maps[i].domid, hret, maps[i].status);
		if (!ret)
			ret = hret ? pvxen_gnt_errno(hret) : pvxen_gntst_errno(maps[i].status);
	}
	kfree(ops);
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_gnttab_unmap_refs);
