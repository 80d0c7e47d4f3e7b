// SPDX-License-Identifier: GPL-2.0-only
/*
 * vcpu_op, as Xen 4.17 offers it on arm: register_vcpu_info and
 * register_runstate_memory_area; every other op answers -EINVAL (CPU
 * hotplug goes through PSCI on arm). And the runstate kept per vCPU.
 */
#include <minixen/domain.h>
#include <minixen/guest_access.h>
#include <minixen/hypercall.h>
#include <minixen/physmap.h>
#include <minixen/vcpu.h>

void xen_runstate_set(struct vcpu *v, int state, u64 now)
{
	struct vcpu_runstate_info *rs = &v->xen.runstate;

	if (rs->state >= 0 && rs->state <= RUNSTATE_offline &&
	    now > rs->state_entry_time)
		rs->time[rs->state] += now - rs->state_entry_time;
	rs->state = state;
	rs->state_entry_time = now;
}

void xen_runstate_publish(struct vcpu *v)
{
	u64 gva = READ_ONCE(v->xen.runstate_gva);

	/* A bad area is the guest's problem, as in Xen: no error. */
	if (gva)
		copy_to_guest(v, gva, &v->xen.runstate,
			      sizeof(v->xen.runstate));
}

static long register_vcpu_info(struct vcpu *v, struct vcpu *t, u64 arg)
{
	struct vcpu_register_vcpu_info r;
	struct xen_vcpu_info *vi;
	long ret;

	if (copy_from_guest(v, &r, arg, sizeof(r)))
		return -XEN_EFAULT;
	if (r.offset > XEN_PAGE_SIZE - XEN_VCPU_INFO_SIZE ||
	    r.mfn > PHYSMAP_MAX_GFN)
		return -XEN_EINVAL;
	/* On itself, or on a vCPU that is not running yet. */
	if (t != v && READ_ONCE(t->sched.state) != VS_OFF)
		return -XEN_EINVAL;
	vi = guest_phys_ptr(v->d, (r.mfn << XEN_PAGE_SHIFT) + r.offset,
			    XEN_VCPU_INFO_SIZE, true);
	if (!vi)
		return -XEN_EINVAL;
	/*
	 * Once only, as in Xen. The event channels copy the old contents
	 * over, make the guest look at every event (some may have been
	 * missed) and raise the PPI.
	 */
	ret = xen_evtchn_vcpu_info(t, vi);
	if (ret)
		return ret;
	WRITE_ONCE(t->xen.vcpu_info_gpa, (r.mfn << XEN_PAGE_SHIFT) + r.offset);
	WRITE_ONCE(t->xen.vcpu_info, vi);
	return 0;
}

static long register_runstate(struct vcpu *v, struct vcpu *t, u64 arg)
{
	u64 gva;

	if (copy_from_guest(v, &gva, arg, sizeof(gva)))
		return -XEN_EFAULT;
	WRITE_ONCE(t->xen.runstate_gva, gva);
	/* Written through the caller's page tables, as Xen does. */
	if (gva)
		copy_to_guest(v, gva, &t->xen.runstate,
			      sizeof(t->xen.runstate));
	return 0;
}

long do_vcpu_op(struct vcpu *v, struct hc_call *c)
{
	struct domain *d = v->d;
	u32 cmd = c->a[0], id = c->a[1];	/* Xen: int, unsigned int */

	if (cmd != VCPUOP_register_vcpu_info &&
	    cmd != VCPUOP_register_runstate_memory_area)
		return -XEN_EINVAL;
	if (id >= d->nr_vcpus)
		return -XEN_ENOENT;
	if (cmd == VCPUOP_register_vcpu_info)
		return register_vcpu_info(v, d->vcpu[id], c->a[2]);
	return register_runstate(v, d->vcpu[id], c->a[2]);
}
