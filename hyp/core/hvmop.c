// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvm_op get_param / set_param: the per-domain parameter array Linux
 * reads for its xenstore and console rings. The parameters minixen sets
 * up itself (xenstore, console) are read-only to guests: Xen lets a
 * domain set its own, minixen's own parts would then trust them.
 */
#include <minixen/domain.h>
#include <minixen/guest_access.h>
#include <minixen/hypercall.h>
#include <minixen/vcpu.h>

static bool param_readonly(u32 idx)
{
	switch (idx) {
	case HVM_PARAM_STORE_PFN:
	case HVM_PARAM_STORE_EVTCHN:
	case HVM_PARAM_CONSOLE_PFN:
	case HVM_PARAM_CONSOLE_EVTCHN:
		return true;
	default:
		return false;
	}
}

long do_hvm_op(struct vcpu *v, struct hc_call *c)
{
	u64 op = c->a[0], arg = c->a[1];
	struct xen_hvm_param p;
	struct domain *d;

	if (op != HVMOP_set_param && op != HVMOP_get_param)
		return -XEN_ENOSYS;
	if (copy_from_guest(v, &p, arg, sizeof(p)))
		return -XEN_EFAULT;
	if (p.index >= HVM_NR_PARAMS)
		return -XEN_EINVAL;
	d = domain_by_domid(v->d, p.domid);
	if (!d)
		return -XEN_ESRCH;
	if (d != v->d && !v->d->xen.privileged)
		return -XEN_EPERM;
	if (op == HVMOP_set_param) {
		if (param_readonly(p.index))
			return -XEN_EPERM;
		return xen_param_set(d, p.index, p.value);
	}
	p.value = xen_param_get(d, p.index);
	return copy_to_guest(v, arg, &p, sizeof(p)) ? -XEN_EFAULT : 0;
}
