// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grant tables: a domain's frames and active entries, and the pin protocol
 * on its guest-shared v1 entries.
 *
 * The granter owns its entries and may rewrite them at any time; it may
 * only revoke an entry (clear its flags) while GTF_reading and GTF_writing
 * are clear, which it checks with a compare-and-swap on the 32-bit
 * flags+domid word. minixen therefore sets those bits with a CAS of the
 * same word against the value it validated, so the check and the pin are
 * one atomic step, and reads the frame number once, after the pin.
 */
#include <minixen/guest_atomic.h>
#include "grant_priv.h"

struct gnt_hooks gnt_hooks;

#define GNT_CACHE_FLAGS		(GTF_PWT | GTF_PCD | GTF_PAT)
#define GNT_CAS_TRIES		5	/* then the entry is unstable */

void gnt_set_hooks(const struct gnt_hooks *h)
{
	gnt_hooks = *h;
}

/* The entry's flags+domid word and frame word. */
static u32 *entry_hdr(struct gnt_dom *d, u32 ref)
{
	return (u32 *)gnt_entry(d, ref);
}

static u32 *entry_frame(struct gnt_dom *d, u32 ref)
{
	return entry_hdr(d, ref) + 1;
}

struct grant_entry_v1 *gnt_entry(struct gnt_dom *d, u32 ref)
{
	u8 *page = gnt_hooks.map_pa(d->frame_pa[ref / GNT_ENTRIES_PER_FRAME]);

	return (struct grant_entry_v1 *)page + ref % GNT_ENTRIES_PER_FRAME;
}

static struct gnt_active *active(struct gnt_dom *d, u32 ref)
{
	return &d->act[ref / GNT_ACT_PER_PAGE][ref % GNT_ACT_PER_PAGE];
}

/*
 * Bounded (guest_atomic.h): a granter that keeps the entry busy keeps its
 * own GTF_reading/GTF_writing set, and so cannot revoke it.
 */
static void clear_flags(struct gnt_dom *d, u32 ref, u32 flags)
{
	guest_and32(entry_hdr(d, ref), ~flags);
}

/*
 * Grow @d's table to @nr frames, under @d->lock. What was allocated stays
 * on failure and is used by the next call.
 */
int gnt_grow(struct gnt_dom *d, u32 nr)
{
	u32 i, a;

	if (nr > d->max_frames)
		return -GNT_EINVAL;
	for (i = d->nr_frames; i < nr; i++) {
		if (!d->frame_pa[i])
			d->frame_pa[i] = gnt_hooks.alloc_page();
		if (!d->frame_pa[i])
			return -GNT_ENOMEM;
		memset(gnt_hooks.map_pa(d->frame_pa[i]), 0, SZ_4K);
		for (a = i * GNT_ENTRIES_PER_FRAME / GNT_ACT_PER_PAGE;
		     a < (i + 1) * GNT_ENTRIES_PER_FRAME / GNT_ACT_PER_PAGE;
		     a++) {
			u64 pa;

			if (!d->act[a]) {
				pa = gnt_hooks.alloc_page();
				if (!pa)
					return -GNT_ENOMEM;
				d->act[a] = gnt_hooks.map_pa(pa);
			}
			memset(d->act[a], 0, SZ_4K);
		}
		d->nr_frames = i + 1;
	}
	return 0;
}

int gnt_dom_init(struct gnt_dom *d, u16 domid, struct s2 *s2, u64 ram_pa,
		 u64 ram_size, u32 max_frames, u32 max_maptrack)
{
	u32 i;

	if (!max_frames || max_frames > GNT_MAX_FRAMES ||
	    max_maptrack > GNT_MAX_MAPTRACK || !s2)
		return -GNT_EINVAL;
	memset(d, 0, sizeof(*d));
	d->domid = domid;
	d->s2 = s2;
	d->ram_pa = ram_pa;
	d->ram_size = ram_size;
	d->version = 1;
	d->max_frames = max_frames;
	d->max_maptrack = max_maptrack;
	d->mt_free = GNT_MT_NONE;
	for (i = 0; i < GNT_MAX_FRAMES; i++)
		d->frame_gfn[i] = GNT_GFN_NONE;
	return gnt_grow(d, GNT_DEFAULT_FRAMES);
}

int gnt_frame_pa(struct gnt_dom *d, u32 idx, u64 *pa)
{
	int rc;

	if (idx >= d->max_frames)
		return -GNT_EINVAL;
	rc = gnt_grow(d, MAX(d->nr_frames, idx + 1));
	if (!rc)
		*pa = d->frame_pa[idx];
	return rc;
}

u64 gnt_frame_set_gfn(struct gnt_dom *d, u32 idx, u64 gfn)
{
	u64 old;

	if (idx >= d->nr_frames)
		return GNT_GFN_NONE;
	old = d->frame_gfn[idx];
	d->frame_gfn[idx] = gfn;
	return old;
}

/* @d's RAM frame at @gfn: its machine address and whether it is writable. */
static int own_frame(struct gnt_dom *d, u64 gfn, u64 *pa, bool *writable)
{
	u64 desc;

	if (gfn >= BIT(S2_IPA_BITS - 12) ||
	    s2_lookup(d->s2, gfn << 12, pa, &desc))
		return GNTST_bad_page;
	if (*pa < d->ram_pa || *pa - d->ram_pa >= d->ram_size ||
	    gnt_desc_kind(desc) == S2_DEVICE)
		return GNTST_bad_page;
	*writable = gnt_desc_kind(desc) == S2_RAM;
	return GNTST_okay;
}

int gnt_own_frame(struct gnt_dom *d, u64 gfn, bool readonly, u64 *pa)
{
	bool writable;
	int rc = own_frame(d, gfn, pa, &writable);

	if (!rc && !readonly && !writable)
		rc = GNTST_bad_page;
	return rc;
}

struct gnt_dom *gnt_dom_get(struct gnt_dom *self, u16 domid, bool self_ok)
{
	if (domid == DOMID_SELF)
		return self_ok ? self : NULL;
	if (domid == self->domid)
		return self;
	return gnt_hooks.dom_by_id(domid);
}

/*
 * Check the shared entry against the pin wanted and, if @set, add
 * GTF_reading (and GTF_writing) to it in the same atomic step.
 */
static int check_and_set(struct gnt_dom *gd, u32 ref, u16 domid,
			 bool readonly, bool map, bool pinned, bool set)
{
	u32 *hdr = entry_hdr(gd, ref);
	u32 type_mask = GTF_type_mask | (map ? GTF_sub_page : 0);
	u32 old = __atomic_load_n(hdr, __ATOMIC_SEQ_CST), new;
	int tries;

	for (tries = 1; ; tries++) {
		u32 flags = old & 0xffff;

		if (!pinned && ((flags & type_mask) != GTF_permit_access ||
				old >> 16 != domid))
			return GNTST_general_error;
		if (!readonly && (flags & GTF_readonly))
			return GNTST_general_error;
		if (map && (flags & GNT_CACHE_FLAGS))
			return GNTST_general_error;
		if (!set)
			return GNTST_okay;
		new = old | GTF_reading | (readonly ? 0 : GTF_writing);
		switch (guest_cmpxchg32(hdr, &old, new)) {
		case 1:
			return GNTST_okay;
		case -1:	/* the granter keeps it busy */
			return GNTST_general_error;
		}
		if (tries == GNT_CAS_TRIES)
			return GNTST_general_error;
	}
}

int gnt_acquire(struct gnt_dom *gd, u32 ref, u16 domid, bool readonly,
		bool map, u64 *pa)
{
	struct gnt_active *a;
	bool pinned, writable;
	int rc;

	spin_lock(&gd->lock);
	rc = GNTST_bad_gntref;
	if (ref >= gnt_nr_entries(gd))
		goto out;
	a = active(gd, ref);
	pinned = a->pin_r || a->pin_w;
	rc = GNTST_general_error;
	if (pinned && (a->domid != domid ||
		       (readonly ? a->pin_r : a->pin_w) == 0xffff))
		goto out;
	rc = GNTST_bad_page;
	if (pinned && !readonly && a->frame_ro)
		goto out;
	rc = check_and_set(gd, ref, domid, readonly, map, pinned,
			   !pinned || (!readonly && !a->pin_w));
	if (rc)
		goto out;
	if (!pinned) {
		u64 gfn = __atomic_load_n(entry_frame(gd, ref),
					  __ATOMIC_SEQ_CST);

		rc = own_frame(gd, gfn, &a->pa, &writable);
		if (!rc && !readonly && !writable)
			rc = GNTST_bad_page;
		if (rc) {
			clear_flags(gd, ref, GTF_reading |
				    (readonly ? 0 : GTF_writing));
			goto out;
		}
		a->domid = domid;
		a->frame_ro = !writable;
	}
	if (readonly)
		a->pin_r++;
	else
		a->pin_w++;
	gd->act_hi = MAX(gd->act_hi, ref + 1);
	*pa = a->pa;
out:
	spin_unlock(&gd->lock);
	return rc;
}

void gnt_release(struct gnt_dom *gd, u32 ref, bool readonly)
{
	struct gnt_active *a;

	spin_lock(&gd->lock);
	if (ref >= gnt_nr_entries(gd))
		goto out;
	a = active(gd, ref);
	if (readonly && a->pin_r) {
		a->pin_r--;
	} else if (!readonly && a->pin_w) {
		if (!--a->pin_w)
			clear_flags(gd, ref, GTF_writing);
	} else {
		goto out;
	}
	if (!a->pin_r && !a->pin_w)
		clear_flags(gd, ref, GTF_reading);
out:
	spin_unlock(&gd->lock);
}

bool gnt_pa_pinned(struct gnt_dom *d, u64 pa)
{
	u32 ref;

	pa = ALIGN_DOWN(pa, SZ_4K);
	for (ref = 0; ref < d->act_hi; ref++) {
		struct gnt_active *a = active(d, ref);

		if ((a->pin_r || a->pin_w) && a->pa == pa)
			return true;
	}
	return false;
}

bool gnt_gfn_pinned(struct gnt_dom *d, u64 gfn)
{
	u64 pa;

	if (gfn >= BIT(S2_IPA_BITS - 12) || s2_lookup(d->s2, gfn << 12, &pa,
						      NULL))
		return false;
	return gnt_pa_pinned(d, pa);
}
