// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grants to minixen itself (DOMID_XEN), for the backends it serves:
 * copies between a frontend's granted frame and minixen's memory, and
 * frames kept pinned for a connection (its shared rings). Both pin the
 * entry through gnt_acquire() as a foreign domain's copy or map does,
 * so the frontend sees GTF_reading/GTF_writing while minixen uses it.
 */
#include "grant_priv.h"

int gnt_copy_hyp(struct gnt_dom *gd, u32 ref, u16 off, void *buf, u16 len,
		 bool to_grant)
{
	u8 *frame;
	u64 pa;
	int rc;

	if ((u32)off + len > SZ_4K)
		return GNTST_bad_copy_arg;
	rc = gnt_acquire(gd, ref, DOMID_XEN, !to_grant, false, &pa);
	if (rc)
		return rc;
	frame = gnt_hooks.map_pa(pa);
	if (to_grant)
		memcpy(frame + off, buf, len);
	else
		memcpy(buf, frame + off, len);
	gnt_release(gd, ref, !to_grant);
	return GNTST_okay;
}

int gnt_pin(struct gnt_dom *gd, u32 ref, bool readonly, void **va)
{
	u64 pa;
	int rc;

	rc = gnt_acquire(gd, ref, DOMID_XEN, readonly, true, &pa);
	if (!rc)
		*va = gnt_hooks.map_pa(pa);
	return rc;
}

void gnt_unpin(struct gnt_dom *gd, u32 ref, bool readonly)
{
	gnt_release(gd, ref, readonly);
}
