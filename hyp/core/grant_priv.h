/* SPDX-License-Identifier: GPL-2.0-only */
/* Grant tables: what hyp/core/grant_*.c share. */
#ifndef MINIXEN_GRANT_PRIV_H
#define MINIXEN_GRANT_PRIV_H

#include <minixen/grant.h>

/* Xen's errno values (xen/errno.h), answered negated. */
#define GNT_EPERM	1
#define GNT_ESRCH	3
#define GNT_ENOMEM	12
#define GNT_EFAULT	14
#define GNT_EBUSY	16
#define GNT_EINVAL	22
#define GNT_ENOSYS	38

extern struct gnt_hooks gnt_hooks;

static inline u32 gnt_nr_entries(const struct gnt_dom *d)
{
	return d->nr_frames * GNT_ENTRIES_PER_FRAME;
}

/* Grow @d's table to @nr frames: 0, -EINVAL or -ENOMEM. */
int gnt_grow(struct gnt_dom *d, u32 nr);

/* Entry @ref (< gnt_nr_entries()), in the guest-shared frame. */
struct grant_entry_v1 *gnt_entry(struct gnt_dom *d, u32 ref);

/*
 * The machine address of @d's own RAM frame @gfn, if @d's stage 2 maps it
 * there (writable, unless @readonly): GNTST_okay or GNTST_bad_page.
 * Call with @d->lock held.
 */
int gnt_own_frame(struct gnt_dom *d, u64 gfn, bool readonly, u64 *pa);

/* Stage-2 leaf descriptor bits (the Arm ARM's S2AP and MemAttr fields) */
#define GNT_S2_AP_W		BIT(7)
#define GNT_S2_MEMATTR(d)	(((d) >> 2) & 0xf)

/* The S2_* kind a stage-2 leaf descriptor maps with. */
static inline int gnt_desc_kind(u64 desc)
{
	if (GNT_S2_MEMATTR(desc) != 0xf)
		return S2_DEVICE;
	return (desc & GNT_S2_AP_W) ? S2_RAM : S2_RAM_RO;
}

/* The domain @domid names for @self (DOMID_SELF if @self_ok), or NULL. */
struct gnt_dom *gnt_dom_get(struct gnt_dom *self, u16 domid, bool self_ok);

#endif
