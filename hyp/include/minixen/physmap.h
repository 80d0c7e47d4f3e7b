/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A domain's physmap: what its guest frames map to, in its stage-2
 * tables. Pure code over s2.h; the arch hook flushes the TLBs.
 */
#ifndef MINIXEN_PHYSMAP_H
#define MINIXEN_PHYSMAP_H

#include <minixen/lib.h>

struct domain;

/* Guest frames outside the IPA space stage 2 covers are refused. */
#define PHYSMAP_MAX_GFN		((1UL << (39 - 12)) - 1)

/*
 * May the guest put a special page (shared_info, grant frame) at @gfn?
 * In its RAM, or in the grant-table window.
 */
bool physmap_gfn_ok(const struct domain *d, u64 gfn);
/* Is host physical @pa part of @d's RAM? */
bool physmap_pa_is_ram(const struct domain *d, u64 pa);

/*
 * Map 4 KiB @gfn of @d to @pa (S2_RAM...), replacing what was there.
 * What @gfn mapped must be free to go: not a grant mapping, nor a frame
 * another domain has mapped by grant (-XEN_EBUSY).
 */
int physmap_set(struct domain *d, u64 gfn, u64 pa, int kind);
/* Unmap @gfn (-XEN_ENOENT if nothing is mapped there; -XEN_EBUSY as above) */
int physmap_clear(struct domain *d, u64 gfn);
/* Unmap @gfn if it maps @pa still (where a special page was before). */
void physmap_clear_if(struct domain *d, u64 gfn, u64 pa);
/*
 * XENMAPSPACE_grant_table: map grant frame @idx of @d (growing the
 * table to it) at @gfn; where it was mapped before becomes a hole.
 * 0, -XEN_EINVAL (no such frame, bad gfn), -XEN_ENOMEM, -XEN_EBUSY.
 */
int physmap_grant_frame(struct domain *d, u64 idx, u64 gfn);
/* Host physical address @gfn maps to; 0 if none. */
u64 physmap_lookup(struct domain *d, u64 gfn, bool *writable);

/* Arch hook: forget @d's cached stage-2 translations (all vCPUs). */
void arch_s2_flush(struct domain *d);

#endif
