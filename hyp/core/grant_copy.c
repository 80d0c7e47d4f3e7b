// SPDX-License-Identifier: GPL-2.0-only
/*
 * GNTTABOP_copy: copy within one page between two frames, each named by a
 * grant reference (pinned for the copy: read-only for the source,
 * writable for the destination, so GTF_reading/GTF_writing are set while
 * it runs) or, for the caller's own memory only, by guest frame number.
 */
#include "grant_priv.h"

struct copy_buf {
	struct gnt_dom *d;
	u64 pa;
	u32 ref;
	bool pinned;
	bool ro;
};

/* The domain one side names: GNTST_okay or its error. */
static int copy_domain(struct gnt_dom *cd, const struct gnttab_copy_ptr *p,
		       bool by_gref, struct copy_buf *b)
{
	if (!by_gref && p->domid != DOMID_SELF)
		return GNTST_permission_denied;
	b->d = gnt_dom_get(cd, p->domid, true);
	return b->d ? GNTST_okay : GNTST_bad_domain;
}

/* The frame one side names, pinned if by reference. */
static int copy_claim(struct gnt_dom *cd, const struct gnttab_copy_ptr *p,
		      bool by_gref, bool ro, struct copy_buf *b)
{
	int rc;

	if (by_gref) {
		rc = gnt_acquire(b->d, p->u.ref, cd->domid, ro, false, &b->pa);
		b->pinned = !rc;
		b->ref = p->u.ref;
		b->ro = ro;
		return rc;
	}
	spin_lock(&cd->lock);
	rc = gnt_own_frame(cd, p->u.gmfn, ro, &b->pa);
	spin_unlock(&cd->lock);
	return rc;
}

static void copy_release(struct copy_buf *b)
{
	if (b->pinned)
		gnt_release(b->d, b->ref, b->ro);
}

void gnt_copy_one(struct gnt_dom *cd, struct gnttab_copy *op)
{
	bool src_gref = op->flags & GNTCOPY_source_gref;
	bool dst_gref = op->flags & GNTCOPY_dest_gref;
	struct copy_buf src = { 0 }, dst = { 0 };
	int rc;

	rc = copy_domain(cd, &op->source, src_gref, &src);
	if (!rc)
		rc = copy_domain(cd, &op->dest, dst_gref, &dst);
	if (!rc)
		rc = copy_claim(cd, &op->source, src_gref, true, &src);
	if (!rc)
		rc = copy_claim(cd, &op->dest, dst_gref, false, &dst);
	if (!rc && (op->source.offset + op->len > SZ_4K ||
		    op->dest.offset + op->len > SZ_4K))
		rc = GNTST_bad_copy_arg;
	if (!rc)
		memmove((u8 *)gnt_hooks.map_pa(dst.pa) + op->dest.offset,
			(u8 *)gnt_hooks.map_pa(src.pa) + op->source.offset,
			op->len);
	copy_release(&dst);
	copy_release(&src);
	op->status = rc;
}
