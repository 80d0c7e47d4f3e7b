// SPDX-License-Identifier: GPL-2.0-only
/*
 * memory_op: the physmap operations an arm64 guest uses. shared_info and
 * grant frames go where the guest asks (in its RAM or the grant-table
 * window); ballooning hands the domain's own RAM pages back to the
 * hypervisor and takes them again (never anyone else's memory: a guest
 * frame is only ever repopulated with the page it had at boot).
 */
#include <minixen/domain.h>
#include <minixen/guest_access.h>
#include <minixen/hypercall.h>
#include <minixen/physmap.h>
#include <minixen/vcpu.h>

#define MEMOP_MAX_EXTENTS	512	/* per call; Linux's balloon: 512 */
#define MEMOP_MAX_BATCH		1024	/* add_to_physmap_batch entries */

/* Target domain of an op on @domid: -ESRCH, -EPERM, or 0 with *@out. */
static int target(struct vcpu *v, u32 domid, struct domain **out)
{
	struct domain *d = domain_by_domid(v->d, domid);

	if (!d)
		return -XEN_ESRCH;
	if (d != v->d && !v->d->xen.privileged)
		return -XEN_EPERM;
	*out = d;
	return 0;
}

/* Host page a RAM frame @gfn of @d had at boot; 0 if not RAM. */
static u64 ram_pa_of(const struct domain *d, u64 gfn)
{
	u64 gpa = gfn << XEN_PAGE_SHIFT;

	if (gfn > PHYSMAP_MAX_GFN || gpa < d->ram_ipa ||
	    gpa - d->ram_ipa >= d->ram_size)
		return 0;
	return d->ram_pa + (gpa - d->ram_ipa);
}

static int unmap_gfn(struct domain *d, u64 gfn)
{
	int r = physmap_clear(d, gfn);

	if (!r && gfn == d->xen.shinfo_gfn)
		d->xen.shinfo_gfn = XEN_NO_GFN;
	return r;
}

static int add_one(struct domain *d, u32 space, u64 idx, u64 gfn)
{
	u64 pa;
	int r;

	switch (space) {
	case XENMAPSPACE_shared_info:
		if (idx)
			return -XEN_EINVAL;
		pa = (u64)(uintptr_t)d->xen.shared_info;
		break;
	case XENMAPSPACE_grant_table:
		return physmap_grant_frame(d, idx, gfn);
	default:
		return -XEN_ENOSYS;
	}
	if (!physmap_gfn_ok(d, gfn))
		return -XEN_EINVAL;
	r = physmap_set(d, gfn, pa, S2_RAM);
	if (r || space != XENMAPSPACE_shared_info)
		return r;
	/* One place at a time: the old one becomes a hole. */
	if (d->xen.shinfo_gfn != XEN_NO_GFN && d->xen.shinfo_gfn != gfn)
		physmap_clear_if(d, d->xen.shinfo_gfn, pa);
	d->xen.shinfo_gfn = gfn;
	return 0;
}

static long add_to_physmap(struct vcpu *v, u64 arg)
{
	struct xen_add_to_physmap x;
	struct domain *d;
	int r;

	if (copy_from_guest(v, &x, arg, sizeof(x)))
		return -XEN_EFAULT;
	/* Foreign mappings only through the batch op, as in Xen. */
	if (x.space == XENMAPSPACE_gmfn_foreign)
		return -XEN_ENOSYS;
	r = target(v, x.domid, &d);
	return r ? r : add_one(d, x.space, x.idx, x.gpfn);
}

static long add_to_physmap_batch(struct vcpu *v, u64 arg)
{
	struct xen_add_to_physmap_batch b;
	struct domain *d;
	u64 idx, gfn;
	s32 err;
	u32 i;
	int r;

	if (copy_from_guest(v, &b, arg, sizeof(b)))
		return -XEN_EFAULT;
	r = target(v, b.domid, &d);
	if (r)
		return r;
	if (b.space == XENMAPSPACE_gmfn_foreign)
		return v->d->xen.privileged ? -XEN_ENOSYS : -XEN_EPERM;
	if (b.size > MEMOP_MAX_BATCH)
		return -XEN_EINVAL;
	for (i = 0; i < b.size; i++) {
		if (copy_from_guest(v, &idx, b.idxs + 8UL * i, 8) ||
		    copy_from_guest(v, &gfn, b.gpfns + 8UL * i, 8))
			return -XEN_EFAULT;
		err = add_one(d, b.space, idx, gfn);
		if (copy_to_guest(v, b.errs + 4UL * i, &err, 4))
			return -XEN_EFAULT;
	}
	return 0;
}

static long remove_from_physmap(struct vcpu *v, u64 arg)
{
	struct xen_remove_from_physmap x;
	struct domain *d;
	int r;

	if (copy_from_guest(v, &x, arg, sizeof(x)))
		return -XEN_EFAULT;
	r = target(v, x.domid, &d);
	return r ? r : unmap_gfn(d, x.gpfn);
}

/*
 * decrease_reservation / populate_physmap: returns how many extents were
 * done, stopping at the first that cannot be (as Xen).
 */
static long reservation(struct vcpu *v, u64 arg, bool populate)
{
	struct xen_memory_reservation res;
	struct domain *d;
	u64 i, n, gfn, pa;
	int r;

	if (copy_from_guest(v, &res, arg, sizeof(res)))
		return -XEN_EFAULT;
	r = target(v, res.domid, &d);
	if (r)
		return r;
	if (res.extent_order)
		return 0;	/* 4 KiB pages only */
	n = MIN(res.nr_extents, MEMOP_MAX_EXTENTS);
	for (i = 0; i < n; i++) {
		if (copy_from_guest(v, &gfn, res.extent_start + 8 * i, 8))
			break;
		pa = ram_pa_of(d, gfn);
		if (!pa)
			break;
		if (populate) {
			if (physmap_lookup(d, gfn, NULL) ||
			    physmap_set(d, gfn, pa, S2_RAM))
				break;
		} else if (unmap_gfn(d, gfn)) {
			break;
		}
	}
	return i;
}

/* current/maximum_reservation: the domain's RAM in pages. */
static long reservation_size(struct vcpu *v, u64 arg)
{
	struct domain *d;
	u16 domid;
	int r;

	if (copy_from_guest(v, &domid, arg, sizeof(domid)))
		return -XEN_EFAULT;
	r = target(v, domid, &d);
	return r ? r : (long)(d->ram_size >> XEN_PAGE_SHIFT);
}

long do_memory_op(struct vcpu *v, struct hc_call *c)
{
	u64 arg = c->a[1];

	switch (c->a[0]) {
	case XENMEM_add_to_physmap:
		return add_to_physmap(v, arg);
	case XENMEM_add_to_physmap_batch:
		return add_to_physmap_batch(v, arg);
	case XENMEM_remove_from_physmap:
		return remove_from_physmap(v, arg);
	case XENMEM_decrease_reservation:
		return reservation(v, arg, false);
	case XENMEM_populate_physmap:
		return reservation(v, arg, true);
	case XENMEM_increase_reservation:
		return 0;	/* no memory beyond the domain's own */
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
		return reservation_size(v, arg);
	default:
		return -XEN_ENOSYS;
	}
}
