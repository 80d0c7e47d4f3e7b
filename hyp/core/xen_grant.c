// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grant tables for minixen's domains: the hooks core/grant*.c runs on
 * (pages from minixen's heap, VA == PA, a domain by its domid, the
 * stage-2 TLB flush) and GNTTABOP_* hypercalls, whose batches go on as
 * Xen's continuations do: after GNT_BATCH entries the vCPU re-issues the
 * HVC with the rest (uop advanced, count reduced), so that no count a
 * guest passes keeps a CPU in minixen for long, and its interrupts and
 * the scheduler get their turn in between.
 */
#include <minixen/domain.h>
#include <minixen/guest_access.h>
#include <minixen/hypercall.h>
#include <minixen/mm.h>
#include <minixen/physmap.h>
#include <minixen/vcpu.h>

static struct domain *dom_of(struct gnt_dom *g)
{
	return container_of(g, struct domain, xen.gnt);
}

static u64 gt_alloc_page(void)
{
	/* A guest grows its table and maptrack: never panic for it. */
	return (u64)(uintptr_t)hyp_try_alloc(SZ_4K, SZ_4K);
}

static void *gt_map_pa(u64 pa)
{
	return (void *)(uintptr_t)pa;
}

static struct gnt_dom *gt_dom_by_id(u16 domid)
{
	struct domain *d = domain_by_domid(NULL, domid);

	return d ? &d->xen.gnt : NULL;
}

static void gt_s2_flush(struct gnt_dom *g, u64 ipa)
{
	arch_s2_flush(dom_of(g));
}

static const struct gnt_hooks gt_hooks = {
	.alloc_page = gt_alloc_page,
	.map_pa = gt_map_pa,
	.dom_by_id = gt_dom_by_id,
	.s2_flush = gt_s2_flush,
};

void xen_grant_setup(void)
{
	gnt_set_hooks(&gt_hooks);
}

static int gt_copy_from(void *v, void *dst, u64 gva, size_t len)
{
	return copy_from_guest(v, dst, gva, len);
}

static int gt_copy_to(void *v, u64 gva, const void *src, size_t len)
{
	return copy_to_guest(v, gva, src, len);
}

long do_grant_table_op(struct vcpu *v, struct hc_call *c)
{
	const struct gnt_guest g = { gt_copy_from, gt_copy_to, v };
	u32 cmd = c->a[0], count = c->a[2];	/* Xen: unsigned int */
	long r = gnttab_op(&v->d->xen.gnt, cmd, c->a[1], count, &g);

	if (r <= 0)
		return r;
	c->a[1] += r * gnttab_op_size(cmd);
	c->a[2] = count - r;
	c->next = HC_CONTINUE;
	return 0;
}
