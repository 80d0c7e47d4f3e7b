/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen: grant tables (v1), exported by pvxen-core.ko.
 *
 * Two directions:
 *
 *  - Granting: this domain lets another domain (@domid) map or copy one of
 *    its own frames.  A grant reference ("ref") names an entry of this
 *    domain's grant table; the peer gets the ref (usually via xenstore) and
 *    maps it.  Ending a grant is a try-revoke: the entry is cleared only if
 *    the peer has no mapping in flight.  A page the peer still maps is
 *    never given back to the allocator: pvxen_gnttab_end_access() puts it on
 *    a deferred-reclaim list that a worker retries until the peer lets go.
 *
 *  - Mapping: this domain maps a frame another domain granted it into a
 *    local page (pvxen_gnttab_map_refs()).  The local page must be an
 *    "unpopulated" page (pvxen_alloc_unpopulated_pages()): a kernel page
 *    whose RAM was given back to Xen, so the foreign frame can take its
 *    guest-physical slot.  While mapped, the translation layer knows the
 *    page's machine frame (pvxen_pfn_to_bfn(), include/pvxen/p2m.h).
 *
 * Frames are 4 KiB Xen frames.  Granting works with any kernel page size
 * (grant each 4 KiB frame); mapping needs PAGE_SIZE == 4 KiB.
 *
 * Refs 0 to GNTTAB_NR_RESERVED_ENTRIES - 1 belong to the toolstack (console,
 * xenstore) and are never handed out.
 */
#ifndef _PVXEN_GRANT_H
#define _PVXEN_GRANT_H

#include <linux/list.h>
#include <linux/mm.h>
#include <linux/types.h>

#include <xen/interface/xen.h>
#include <xen/interface/grant_table.h>

#include <pvxen/xlate.h>

/**
 * pvxen_page_to_gfn() - Guest frame of the first 4 KiB of a page.
 * @page: a kernel page
 *
 * Return: the guest frame number, as grants and the p2m override use it.
 */
static inline struct pvxen_pfn pvxen_page_to_gfn(struct page *page)
{
	return pvxen_mk_pfn((u64)page_to_pfn(page) <<
			    (PAGE_SHIFT - PVXEN_XEN_PAGE_SHIFT));
}

/* ---- granting our own frames ---------------------------------------- */

/**
 * pvxen_gnttab_alloc_ref() - Allocate a grant reference.
 *
 * Grows the grant table by one frame when every ref is in use, up to the
 * maximum Xen allows (GNTTABOP_query_size).
 *
 * Context: any; does not sleep.
 * Return: a ref (>= GNTTAB_NR_RESERVED_ENTRIES), or -ENOSPC when the table
 * is full; see pvxen_gnttab_wait_for_refs().
 */
int pvxen_gnttab_alloc_ref(void);

/**
 * pvxen_gnttab_alloc_refs() - Allocate several grant references at once.
 * @count: how many
 * @refs: filled with @count refs
 *
 * All or nothing: grows the table as pvxen_gnttab_alloc_ref() does.
 *
 * Context: any; does not sleep.
 * Return: 0, or -ENOSPC (nothing allocated); see
 * pvxen_gnttab_wait_for_refs() with the same @count.
 */
int pvxen_gnttab_alloc_refs(unsigned int count, grant_ref_t *refs);

/**
 * pvxen_gnttab_free_refs() - pvxen_gnttab_free_ref() of several refs.
 * @count: how many
 * @refs: the refs
 *
 * Context: any; does not sleep.
 */
void pvxen_gnttab_free_refs(unsigned int count, const grant_ref_t *refs);

/**
 * pvxen_gnttab_free_ref() - Give back a ref that grants nothing.
 * @ref: a ref from pvxen_gnttab_alloc_ref() whose entry is not granted
 *	(never granted, or revoked with pvxen_gnttab_try_revoke())
 *
 * Schedules the callbacks of the waiters the freed ref satisfies (they
 * run later, from a work item, never inside this call).
 *
 * Context: any; does not sleep.
 */
void pvxen_gnttab_free_ref(grant_ref_t ref);

/**
 * pvxen_gnttab_grant_access_ref() - Grant a frame through a given ref.
 * @ref: an allocated ref whose entry is not granted
 * @domid: the domain allowed to access the frame
 * @gfn: the guest frame to share
 * @readonly: allow reading only
 *
 * Context: any; does not sleep.
 */
void pvxen_gnttab_grant_access_ref(grant_ref_t ref, domid_t domid,
				   struct pvxen_pfn gfn, bool readonly);

/**
 * pvxen_gnttab_grant_access() - Allocate a ref and grant a frame with it.
 * @domid: the domain allowed to access the frame
 * @gfn: the guest frame to share
 * @readonly: allow reading only
 *
 * Context: any; does not sleep.
 * Return: the ref, or -ENOSPC (table full), -EINVAL (@gfn does not fit a
 * v1 entry).
 */
int pvxen_gnttab_grant_access(domid_t domid, struct pvxen_pfn gfn,
			      bool readonly);

/**
 * pvxen_gnttab_try_revoke() - End a grant if the peer is not using it.
 * @ref: a granted ref
 *
 * Clears the entry atomically, and only if the peer has no mapping or
 * copy in flight (neither GTF_reading nor GTF_writing set).  The ref stays
 * allocated to the caller: free it with pvxen_gnttab_free_ref() or grant
 * it again.
 *
 * Context: any; does not sleep.
 * Return: 0 if the grant is ended (the peer can no longer start an
 * access), -EBUSY if the peer still uses it (nothing changed).
 */
int pvxen_gnttab_try_revoke(grant_ref_t ref);

/**
 * pvxen_gnttab_in_use() - Whether the peer currently maps a granted ref.
 * @ref: a granted ref
 *
 * Return: true if GTF_reading or GTF_writing is set.
 */
bool pvxen_gnttab_in_use(grant_ref_t ref);

/**
 * pvxen_gnttab_end_access() - End a grant and free its ref and page.
 * @ref: a granted ref
 * @page: the granted page, freed with __free_page() once the grant is
 *	ended; NULL if the memory is not the caller's to free (then only the
 *	ref is reclaimed)
 *
 * If the peer still maps the page, neither the ref nor @page is freed now:
 * both go to the deferred-reclaim list, which a worker retries until the
 * peer unmaps.  Either way the caller gives up @ref and @page.  Pages still
 * held by a peer when pvxen-core unloads are deliberately leaked (with a
 * warning) rather than freed under the peer.
 *
 * Context: any; does not sleep.
 * Return: true if ended and freed now, false if deferred.
 */
bool pvxen_gnttab_end_access(grant_ref_t ref, struct page *page);

struct page_pool;

/**
 * pvxen_gnttab_end_access_pool() - End a grant of a page_pool page.
 * @ref: a granted ref
 * @page: the granted page, allocated from @pool
 * @pool: @page's pool
 *
 * As pvxen_gnttab_end_access(), but the page goes back to @pool
 * (page_pool_put_full_page()) once the grant is ended, now or from the
 * deferred reclaim, instead of to the page allocator: it stays the pool's
 * until then (no kernel can take a page out of its pool any more since
 * 6.6).  The pool may be destroyed meanwhile: page_pool_destroy() waits
 * for its pages in flight, this one too (and warns while it waits).  A
 * page still mapped when pvxen-core unloads is leaked, and its pool with
 * it.
 *
 * Only on kernels with CONFIG_PAGE_POOL (pvxen-netfront needs it anyway).
 *
 * Context: process or softirq; does not sleep.
 * Return: true if ended and given back now, false if deferred.
 */
bool pvxen_gnttab_end_access_pool(grant_ref_t ref, struct page *page,
				  struct page_pool *pool);

/**
 * struct pvxen_gnttab_waiter - A request to be told when refs are free.
 * @node: private
 * @fn: called once, when @count refs can be allocated
 * @arg: passed to @fn
 * @count: refs wanted
 * @queued: private
 *
 * Embed it in the caller's structure; see pvxen_gnttab_wait_for_refs().
 */
struct pvxen_gnttab_waiter {
	struct list_head node;
	void (*fn)(void *arg);
	void *arg;
	unsigned int count;
	bool queued;
};

/**
 * pvxen_gnttab_wait_for_refs() - Ask to be called back when refs are free.
 * @w: the waiter, zero-initialised or previously used; not queued
 * @fn: callback
 * @arg: passed to @fn
 * @count: how many refs must be allocatable
 *
 * @fn runs once, when @count refs are available (soon, if they are now),
 * from a work item of pvxen-core: in process context, with no lock of
 * pvxen-core or of whoever freed the refs held, so it may sleep.  Callbacks
 * run one at a time.  It is not a reservation: allocate the refs in @fn,
 * and wait again (from @fn too) if that fails.  Waiting on a waiter that
 * is already queued does nothing.
 *
 * Context: any; does not sleep.
 */
void pvxen_gnttab_wait_for_refs(struct pvxen_gnttab_waiter *w,
				void (*fn)(void *arg), void *arg,
				unsigned int count);

/**
 * pvxen_gnttab_cancel_wait() - Withdraw a waiter, and wait for its callback.
 * @w: the waiter
 *
 * After this returns @fn is not running for @w and will not be called for
 * it (until @w is waited on again): a call already running is waited for,
 * and a wait for @w from that call is ignored.  Called from @w's own @fn,
 * it does not wait (it cannot), but @fn is not called again.
 *
 * Context: process; may sleep.  Do not hold a lock @fn takes.
 */
void pvxen_gnttab_cancel_wait(struct pvxen_gnttab_waiter *w);

/* ---- mapping frames other domains granted us -------------------------- */

/**
 * struct pvxen_gnttab_map - One foreign grant mapped into a local page.
 * @page: in: an unpopulated page (pvxen_alloc_unpopulated_pages())
 * @domid: in: the granting domain
 * @ref: in: its grant reference
 * @readonly: in: map for reading only
 * @status: out: GNTST_okay (0) or a negative GNTST_* code
 * @handle: out: Xen's handle of the mapping (valid when @status is 0)
 * @bfn: out: the machine frame now backing @page, from Xen's dev_bus_addr
 * @dev_handle: out: pvxen_gnttab_map_dma() only: the handle of the device
 *	mapping that pins the grant beside the host mapping
 *
 * After a successful map the page's contents are the foreign frame's, and
 * pvxen_pfn_to_bfn(pvxen_page_to_gfn(@page)) is @bfn until the unmap.
 */
struct pvxen_gnttab_map {
	struct page *page;
	domid_t domid;
	grant_ref_t ref;
	bool readonly;
	int status;
	grant_handle_t handle;
	struct pvxen_bfn bfn;
	grant_handle_t dev_handle;
};

/**
 * pvxen_gnttab_map_refs() - Map foreign grants (GNTTABOP_map_grant_ref).
 * @maps: the grants and where to map them
 * @count: number of entries in @maps
 *
 * Each entry is mapped or fails on its own; see @maps[i].status.  On arm64
 * a mapping goes at the page's guest-physical address (GNTMAP_host_map),
 * and its machine frame is registered in the p2m override.
 *
 * Context: process; may sleep.
 * Return: 0 if every entry is mapped; otherwise a negative errno, and only
 * the entries with status 0 are mapped (unmap those).
 */
int pvxen_gnttab_map_refs(struct pvxen_gnttab_map *maps, unsigned int count);

/**
 * pvxen_gnttab_unmap_refs() - Unmap grants (GNTTABOP_unmap_grant_ref).
 * @maps: entries mapped by pvxen_gnttab_map_refs() (status 0)
 * @count: number of entries in @maps
 *
 * Drops each page's p2m override, then unmaps.  The pages are unpopulated
 * again afterwards, ready for another map or for
 * pvxen_free_unpopulated_pages().  @maps[i].status is the unmap's result.
 *
 * Context: process; may sleep.
 * Return: 0 if every entry is unmapped, otherwise a negative errno.
 */
int pvxen_gnttab_unmap_refs(struct pvxen_gnttab_map *maps,
			    unsigned int count);

/**
 * pvxen_gnttab_map_dma() - Map foreign grants where a device sees them right.
 * @maps: the grants; @page is an output here
 * @count: number of entries in @maps
 *
 * For a direct-mapped domain's own devices on kernels without a dma_ops
 * slot (Documentation/dma.md): each grant is mapped at the guest-physical
 * address equal to the granted frame's machine address, so that the
 * kernel's dma-direct, with the device's dma-ranges, gives a device the
 * right bus address for @page without any translation.  @page is set to
 * the device-memory page at that address (struct pages come from
 * memremap_pages() over the extended regions, 2 MiB at a time); @bfn is
 * its frame, equal to its guest frame.  Each entry is mapped or not on
 * its own, as for pvxen_gnttab_map_refs().
 *
 * Context: process; may sleep.
 * Return: 0 if every entry is mapped; -EOPNOTSUPP if the domain is not
 * direct-mapped or the kernel has no ZONE_DEVICE (nothing mapped);
 * otherwise the first failed entry's error (-ERANGE: its frame is outside
 * every extended region).
 */
int pvxen_gnttab_map_dma(struct pvxen_gnttab_map *maps, unsigned int count);

/**
 * pvxen_gnttab_unmap_dma() - Unmap grants mapped by pvxen_gnttab_map_dma().
 * @maps: the entries that were mapped
 * @count: number of entries in @maps
 *
 * Context: process; may sleep.
 * Return: 0 if every entry is unmapped, otherwise a negative errno (then
 * the page of a failed entry must not be used again).
 */
int pvxen_gnttab_unmap_dma(struct pvxen_gnttab_map *maps, unsigned int count);

/**
 * pvxen_alloc_unpopulated_pages() - Pages to map foreign grants into.
 * @nr: number of pages
 * @pages: filled with @nr pages
 *
 * Allocates kernel pages and gives their RAM back to Xen
 * (XENMEM_decrease_reservation), leaving their guest-physical slots empty.
 * Never touch their contents unless a grant is mapped there.
 *
 * Context: process; may sleep.
 * Return: 0; -ENOMEM, or the hypercall's error (-EIO if it freed nothing
 * without saying why): nothing is allocated then.
 */
int pvxen_alloc_unpopulated_pages(unsigned int nr, struct page **pages);

/**
 * pvxen_unpopulate_pages() - Make pages the caller chose unpopulated.
 * @nr: number of pages
 * @pages: order-0 kernel pages of the caller's, not in use
 *
 * As pvxen_alloc_unpopulated_pages(), for pages the caller allocated
 * itself (e.g. one of two pages side by side, to put a foreign frame next
 * to an own one).  Give them back with pvxen_free_unpopulated_pages().
 *
 * Context: process; may sleep.
 * Return: 0; or the hypercall's error (-EIO if it freed nothing without
 * saying why): then every page has its RAM again and is still the
 * caller's (one Xen cannot repopulate is pinned and leaked, with a
 * warning, never reused without RAM).
 */
int pvxen_unpopulate_pages(unsigned int nr, struct page **pages);

/**
 * pvxen_free_unpopulated_pages() - Give unpopulated pages back.
 * @nr: number of pages
 * @pages: pages from pvxen_alloc_unpopulated_pages(), none mapped
 *
 * Gets RAM for them from Xen again (XENMEM_populate_physmap) and frees
 * them.  A page Xen cannot repopulate is leaked with a warning, never
 * freed while it has no RAM.
 *
 * Context: process; may sleep.
 */
void pvxen_free_unpopulated_pages(unsigned int nr, struct page **pages);

/**
 * pvxen_gnttab_copy() - Copy between frames with GNTTABOP_copy.
 * @ops: the copies, in Xen's own struct gnttab_copy
 * @count: number of entries in @ops
 *
 * Each op copies len bytes from source to dest, each named either by a
 * frame of this domain (DOMID_SELF and gmfn) or by a grant ref of another
 * domain (flags GNTCOPY_source_gref / GNTCOPY_dest_gref).  Neither side
 * may cross a 4 KiB frame.
 *
 * Context: any; does not sleep.
 * Return: 0 if the hypercall ran (check each @ops[i].status), a negative
 * errno if it did not.
 */
int pvxen_gnttab_copy(struct gnttab_copy *ops, unsigned int count);

/**
 * struct pvxen_gnttab_stats - Grant-table accounting (also in debugfs).
 * @frames: grant frames mapped
 * @max_frames: frames the table may grow to
 * @refs_in_use: allocated refs, not counting the reserved ones
 * @refs_free: refs free in the mapped frames
 * @deferred_pages: grants waiting for the peer to unmap (deferred reclaim)
 * @deferred_total: grants ever deferred
 * @deferred_retries: reclaim attempts that found the peer still mapping
 * @deferred_leaked: grants given up on (out of memory, or pvxen-core
 *	unloaded while a peer held them)
 * @maps_active: foreign grants mapped now
 * @unpopulated_pages: pages from pvxen_alloc_unpopulated_pages() not freed
 * @p2m_overrides: p2m overrides registered now
 * @waiters: waiters queued
 */
struct pvxen_gnttab_stats {
	unsigned int frames;
	unsigned int max_frames;
	unsigned int refs_in_use;
	unsigned int refs_free;
	unsigned long deferred_pages;
	unsigned long deferred_total;
	unsigned long deferred_retries;
	unsigned long deferred_leaked;
	unsigned long maps_active;
	unsigned long unpopulated_pages;
	unsigned long p2m_overrides;
	unsigned int waiters;
};

/**
 * pvxen_gnttab_get_stats() - Read the grant-table accounting.
 * @st: filled in
 *
 * Context: any; does not sleep.
 */
void pvxen_gnttab_get_stats(struct pvxen_gnttab_stats *st);

#endif /* _PVXEN_GRANT_H */
