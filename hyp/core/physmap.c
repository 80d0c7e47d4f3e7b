// SPDX-License-Identifier: GPL-2.0-only
/*
 * A domain's physmap: which of its guest frames map where, changed by
 * memory_op (shared_info, grant frames, ballooning), and guest physical
 * addresses turned into pointers minixen may use.
 */
#include <minixen/domain.h>
#include <minixen/guest_access.h>
#include <minixen/physmap.h>

#define S2_AP_W		BIT(7)		/* S2AP[1]: writable */

bool physmap_pa_is_ram(const struct domain *d, u64 pa)
{
	return pa >= d->ram_pa && pa - d->ram_pa < d->ram_size;
}

bool physmap_gfn_ok(const struct domain *d, u64 gfn)
{
	u64 gpa = gfn << XEN_PAGE_SHIFT;

	if (gfn > PHYSMAP_MAX_GFN)
		return false;
	if (gpa >= d->ram_ipa && gpa - d->ram_ipa < d->ram_size)
		return true;
	return gpa >= GUEST_GNTTAB_BASE &&
	       gpa - GUEST_GNTTAB_BASE < GUEST_GNTTAB_SIZE;
}

/*
 * May @gfn's mapping go? Not while it holds a grant mapping (only
 * unmap_grant_ref removes those) nor while the frame is granted to and
 * mapped or being copied by another domain (grant.h). Under p2m_lock.
 */
static int clear_ok(struct domain *d, u64 gfn)
{
	if (gnt_ipa_mapped(&d->xen.gnt, gfn << XEN_PAGE_SHIFT) ||
	    gnt_gfn_pinned(&d->xen.gnt, gfn))
		return -XEN_EBUSY;
	return 0;
}

/* Remove what @gfn maps to; caller holds p2m_lock. */
static int clear_locked(struct domain *d, u64 gfn)
{
	u64 gpa = gfn << XEN_PAGE_SHIFT;
	int r;

	if (gfn > PHYSMAP_MAX_GFN || s2_lookup(&d->s2, gpa, NULL, NULL))
		return -XEN_ENOENT;
	r = clear_ok(d, gfn);
	if (r)
		return r;
	if (s2_unmap(&d->s2, gpa, XEN_PAGE_SIZE))
		return -XEN_ENOMEM;
	arch_s2_flush(d);
	return 0;
}

/* Map @gfn to @pa, replacing what was there; caller holds p2m_lock. */
static int set_locked(struct domain *d, u64 gfn, u64 pa, int kind)
{
	int r;

	/* Break before make: the old entry is gone from the TLBs first. */
	r = clear_locked(d, gfn);
	if (r == -XEN_ENOENT)
		r = 0;
	if (!r && s2_map(&d->s2, gfn << XEN_PAGE_SHIFT, pa, XEN_PAGE_SIZE,
			 kind))
		r = -XEN_ENOMEM;
	return r;
}

/* Unmap @gfn if it still maps @pa (a special page moved elsewhere). */
static void clear_if_locked(struct domain *d, u64 gfn, u64 pa)
{
	u64 cur;

	if (gfn <= PHYSMAP_MAX_GFN &&
	    !s2_lookup(&d->s2, gfn << XEN_PAGE_SHIFT, &cur, NULL) &&
	    cur == pa)
		clear_locked(d, gfn);
}

int physmap_set(struct domain *d, u64 gfn, u64 pa, int kind)
{
	int r;

	if (gfn > PHYSMAP_MAX_GFN || (pa & (XEN_PAGE_SIZE - 1)))
		return -XEN_EINVAL;
	spin_lock(p2m_lock(d));
	r = set_locked(d, gfn, pa, kind);
	spin_unlock(p2m_lock(d));
	return r;
}

int physmap_clear(struct domain *d, u64 gfn)
{
	int r;

	spin_lock(p2m_lock(d));
	r = clear_locked(d, gfn);
	spin_unlock(p2m_lock(d));
	return r;
}

void physmap_clear_if(struct domain *d, u64 gfn, u64 pa)
{
	spin_lock(p2m_lock(d));
	clear_if_locked(d, gfn, pa);
	spin_unlock(p2m_lock(d));
}

int physmap_grant_frame(struct domain *d, u64 idx, u64 gfn)
{
	u64 pa = 0, old;
	int r;

	/* Version 1: no status frames (XENMAPIDX_grant_table_status). */
	if (idx >= GNT_MAX_FRAMES || !physmap_gfn_ok(d, gfn))
		return -XEN_EINVAL;
	spin_lock(p2m_lock(d));
	r = gnt_frame_pa(&d->xen.gnt, idx, &pa);
	if (!r)
		r = set_locked(d, gfn, pa, S2_RAM);
	if (!r) {
		/* One place at a time, as in Xen: the old one is a hole. */
		old = gnt_frame_set_gfn(&d->xen.gnt, idx, gfn);
		if (old != GNT_GFN_NONE && old != gfn)
			clear_if_locked(d, old, pa);
	}
	spin_unlock(p2m_lock(d));
	return r;
}

u64 physmap_lookup(struct domain *d, u64 gfn, bool *writable)
{
	u64 pa, desc;
	int r;

	if (gfn > PHYSMAP_MAX_GFN)
		return 0;
	spin_lock(p2m_lock(d));
	r = s2_lookup(&d->s2, gfn << XEN_PAGE_SHIFT, &pa, &desc);
	spin_unlock(p2m_lock(d));
	if (r)
		return 0;
	if (writable)
		*writable = desc & S2_AP_W;
	return pa;
}

void *guest_phys_ptr(struct domain *d, u64 gpa, size_t len, bool write)
{
	u64 off = gpa & (XEN_PAGE_SIZE - 1), pa;
	bool w = false;

	if (!len || len > XEN_PAGE_SIZE - off)
		return NULL;
	pa = physmap_lookup(d, gpa >> XEN_PAGE_SHIFT, &w);
	if (!pa || (write && !w))
		return NULL;
	if (!physmap_pa_is_ram(d, pa) &&
	    pa != (u64)(uintptr_t)d->xen.shared_info)
		return NULL;
	return (void *)(uintptr_t)(pa + off);
}
