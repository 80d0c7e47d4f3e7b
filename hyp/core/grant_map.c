// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grant mappings: GNTTABOP_map_grant_ref and unmap_grant_ref, and the
 * mapping domain's maptrack table.
 *
 * A host mapping puts the granted frame at the mapper's IPA host_addr,
 * read-only unless the grant and the request are both writable. Whatever
 * that IPA mapped before is remembered in the maptrack entry and put back
 * by the unmap, after the grant's mapping is gone from the TLBs and before
 * the pin is dropped: the granter can revoke the entry only once nothing
 * can reach the frame through it any more.
 *
 * A map takes the mapper's lock to reserve a handle, the granter's to pin
 * the entry, then the mapper's again to change its stage 2; an unmap the
 * same way round. One lock at a time: no lock order to get wrong.
 */
#include "grant_priv.h"

#define GNT_MAP_KINDS	(GNTMAP_host_map | GNTMAP_device_map)

static struct gnt_maptrack *mt_entry(struct gnt_dom *d, u32 h)
{
	return &d->mt[h / GNT_MT_PER_PAGE][h % GNT_MT_PER_PAGE];
}

/* A free handle, marked busy, or GNT_MT_NONE. Under @d->lock. */
static u32 mt_get(struct gnt_dom *d)
{
	u32 h = d->mt_free;

	if (h != GNT_MT_NONE) {
		d->mt_free = mt_entry(d, h)->ref;
	} else {
		u32 page = d->mt_limit / GNT_MT_PER_PAGE;

		if (d->mt_limit >= d->max_maptrack)
			return GNT_MT_NONE;
		if (!d->mt[page]) {
			u64 pa = gnt_hooks.alloc_page();

			if (!pa)
				return GNT_MT_NONE;
			d->mt[page] = gnt_hooks.map_pa(pa);
		}
		h = d->mt_limit++;
	}
	memset(mt_entry(d, h), 0, sizeof(struct gnt_maptrack));
	mt_entry(d, h)->flags = GNT_MT_BUSY;
	d->mt_used++;
	return h;
}

static void mt_put(struct gnt_dom *d, u32 h)
{
	struct gnt_maptrack *e = mt_entry(d, h);

	e->flags = 0;
	e->ref = d->mt_free;
	d->mt_free = h;
	d->mt_used--;
}

bool gnt_ipa_mapped(struct gnt_dom *d, u64 ipa)
{
	u32 h;

	ipa = ALIGN_DOWN(ipa, SZ_4K);
	for (h = 0; h < d->mt_host_hi; h++) {
		struct gnt_maptrack *e = mt_entry(d, h);

		if ((e->flags & GNTMAP_host_map) && e->host_addr == ipa)
			return true;
	}
	return false;
}

bool gnt_pa_mapped(struct gnt_dom *d, u64 pa, bool write)
{
	u32 h;

	pa = ALIGN_DOWN(pa, SZ_4K);
	for (h = 0; h < d->mt_limit; h++) {
		struct gnt_maptrack *e = mt_entry(d, h);

		if (!(e->flags & GNT_MAP_KINDS) || (e->flags & GNT_MT_BUSY) ||
		    e->pa != pa)
			continue;
		if (!write || !(e->flags & GNTMAP_readonly))
			return true;
	}
	return false;
}

/* Put back what @ipa mapped before a grant was mapped there. */
static int restore(struct gnt_dom *md, u64 ipa, u64 prev)
{
	if (!(prev & GNT_PREV_VALID))
		return 0;
	return s2_map(md->s2, ipa, ALIGN_DOWN(prev, SZ_4K), SZ_4K,
		      GNT_PREV_KIND(prev));
}

/* Map machine frame @pa at the mapper's @ipa. Under @md->lock. */
static int host_map(struct gnt_dom *md, u64 ipa, u64 pa, bool readonly,
		    u64 *prev)
{
	u64 old, desc;

	if (gnt_ipa_mapped(md, ipa))
		return GNTST_bad_virt_addr;
	*prev = 0;
	if (!s2_lookup(md->s2, ipa, &old, &desc)) {
		*prev = ALIGN_DOWN(old, SZ_4K) | GNT_PREV_VALID |
			(u64)gnt_desc_kind(desc) << 1;
		/* Break before make: the old translation goes first. */
		if (s2_unmap(md->s2, ipa, SZ_4K))
			return GNTST_general_error;
		gnt_hooks.s2_flush(md, ipa);
	}
	if (s2_map(md->s2, ipa, pa, SZ_4K, readonly ? S2_RAM_RO : S2_RAM)) {
		restore(md, ipa, *prev);
		return GNTST_general_error;
	}
	return GNTST_okay;
}

/* Take the grant's mapping out of @md's stage 2. Under @md->lock. */
static void host_unmap(struct gnt_dom *md, struct gnt_maptrack *e)
{
	s2_unmap(md->s2, e->host_addr, SZ_4K);
	gnt_hooks.s2_flush(md, e->host_addr);
	/* Tables down to the page stay after an unmap: cannot fail. */
	restore(md, e->host_addr, e->prev);
}

/* The pins a mapping holds: one per GNTMAP_host_map, GNTMAP_device_map. */
static void release_pins(struct gnt_dom *md, u16 dom, u32 ref, u32 kinds,
			 bool readonly)
{
	struct gnt_dom *gd = gnt_dom_get(md, dom, false);

	if (!gd)
		return;
	if (kinds & GNTMAP_host_map)
		gnt_release(gd, ref, readonly);
	if (kinds & GNTMAP_device_map)
		gnt_release(gd, ref, readonly);
}

static int acquire_pins(struct gnt_dom *gd, struct gnt_dom *md, u32 ref,
			u32 kinds, bool readonly, u64 *pa)
{
	int rc = GNTST_okay;

	if (kinds & GNTMAP_host_map)
		rc = gnt_acquire(gd, ref, md->domid, readonly, true, pa);
	if (!rc && (kinds & GNTMAP_device_map)) {
		rc = gnt_acquire(gd, ref, md->domid, readonly, true, pa);
		if (rc && (kinds & GNTMAP_host_map))
			gnt_release(gd, ref, readonly);
	}
	return rc;
}

void gnt_map_one(struct gnt_dom *md, struct gnttab_map_grant_ref *op)
{
	u32 kinds = op->flags & GNT_MAP_KINDS;
	bool ro = op->flags & GNTMAP_readonly;
	u64 ipa = op->host_addr, pa, prev = 0;
	struct gnt_maptrack *e;
	struct gnt_dom *gd;
	bool pinned;
	u32 h;
	int rc;

	rc = GNTST_bad_gntref;
	if (!kinds)
		goto out;
	rc = GNTST_general_error;
	if (op->flags & (GNTMAP_application_map | GNTMAP_contains_pte))
		goto out;
	rc = GNTST_bad_virt_addr;
	if ((kinds & GNTMAP_host_map) &&
	    ((ipa & (SZ_4K - 1)) || ipa >= BIT(S2_IPA_BITS)))
		goto out;
	rc = GNTST_bad_domain;
	gd = gnt_dom_get(md, op->dom, false);
	if (!gd)
		goto out;

	spin_lock(&md->lock);
	h = mt_get(md);
	spin_unlock(&md->lock);
	rc = GNTST_no_device_space;
	if (h == GNT_MT_NONE)
		goto out;

	rc = acquire_pins(gd, md, op->ref, kinds, ro, &pa);
	pinned = !rc;

	spin_lock(&md->lock);
	if (!rc && (kinds & GNTMAP_host_map))
		rc = host_map(md, ipa, pa, ro, &prev);
	if (rc) {
		mt_put(md, h);
	} else {
		e = mt_entry(md, h);
		e->host_addr = (kinds & GNTMAP_host_map) ? ipa : 0;
		e->pa = pa;
		e->prev = prev;
		e->ref = op->ref;
		e->dom = gd->domid;
		e->flags = kinds | (ro ? GNTMAP_readonly : 0);
		if (kinds & GNTMAP_host_map)
			md->mt_host_hi = MAX(md->mt_host_hi, h + 1);
	}
	spin_unlock(&md->lock);
	if (rc && pinned)
		release_pins(md, gd->domid, op->ref, kinds, ro);
	if (!rc) {
		op->handle = h;
		op->dev_bus_addr = pa;
	}
out:
	op->status = rc;
}

void gnt_unmap_one(struct gnt_dom *md, struct gnttab_unmap_grant_ref *op)
{
	u32 h = op->handle, done = 0, ref = 0;
	struct gnt_maptrack *e;
	bool ro = false;
	u16 dom = 0;
	int rc;

	spin_lock(&md->lock);
	rc = GNTST_bad_handle;
	if (h >= md->mt_limit)
		goto unlock;
	e = mt_entry(md, h);
	if (!(e->flags & GNT_MAP_KINDS) || (e->flags & GNT_MT_BUSY))
		goto unlock;
	rc = GNTST_general_error;
	if (op->dev_bus_addr && op->dev_bus_addr != e->pa)
		goto unlock;
	if (op->host_addr && (e->flags & GNTMAP_host_map) &&
	    ALIGN_DOWN(op->host_addr, SZ_4K) != e->host_addr)
		goto unlock;
	if (op->host_addr && (e->flags & GNTMAP_host_map)) {
		host_unmap(md, e);
		done |= GNTMAP_host_map;
	}
	if (op->dev_bus_addr && (e->flags & GNTMAP_device_map))
		done |= GNTMAP_device_map;
	dom = e->dom;
	ref = e->ref;
	ro = e->flags & GNTMAP_readonly;
	e->flags &= ~done;
	if (!(e->flags & GNT_MAP_KINDS))
		mt_put(md, h);
	rc = GNTST_okay;
unlock:
	spin_unlock(&md->lock);
	release_pins(md, dom, ref, done, ro);
	op->status = rc;
}

void gnt_unmap_all(struct gnt_dom *md)
{
	u32 h, kinds, ref;
	struct gnt_maptrack *e;
	bool ro;
	u16 dom;

	for (h = 0; h < md->mt_limit; h++) {
		spin_lock(&md->lock);
		e = mt_entry(md, h);
		kinds = e->flags & GNT_MAP_KINDS;
		if (!kinds || (e->flags & GNT_MT_BUSY)) {
			spin_unlock(&md->lock);
			continue;
		}
		if (kinds & GNTMAP_host_map)
			host_unmap(md, e);
		dom = e->dom;
		ref = e->ref;
		ro = e->flags & GNTMAP_readonly;
		mt_put(md, h);
		spin_unlock(&md->lock);
		release_pins(md, dom, ref, kinds, ro);
	}
}
