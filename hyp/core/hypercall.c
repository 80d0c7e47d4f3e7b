// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen hypercall dispatch: a table by hypercall number, the handlers in
 * one file per family. Numbers without a handler answer -ENOSYS, as Xen
 * does for hypercalls it does not offer on arm.
 */
#include <minixen/domain.h>
#include <minixen/hypercall.h>
#include <minixen/vcpu.h>
#include <minixen/xen_store.h>

/*
 * VMASST: Xen 4.17 on arm offers none of the assists to HVM-like guests
 * (runstate_update_flag is x86 and PV only): -EINVAL, as Xen answers
 * for a type it does not allow. Linux then reads runstates locally only.
 */
static long do_vm_assist(struct vcpu *v, struct hc_call *c)
{
	if (c->a[0] != VMASST_CMD_enable && c->a[0] != VMASST_CMD_disable)
		return -XEN_ENOSYS;
	return -XEN_EINVAL;
}

static const hc_fn hc_table[HC_NR] = {
	[HC_memory_op] = do_memory_op,
	[HC_xen_version] = do_xen_version,
	[HC_console_io] = do_console_io,
	[HC_grant_table_op] = do_grant_table_op,
	[HC_vm_assist] = do_vm_assist,
	[HC_vcpu_op] = do_vcpu_op,
	[HC_sched_op] = do_sched_op,
	[HC_event_channel_op] = do_event_channel_op,
	[HC_hvm_op] = do_hvm_op,
	[HC_sysctl] = do_sysctl,
};

long hypercall(struct vcpu *v, struct hc_call *c)
{
	c->next = HC_RETURN;
	c->wake_ns = 0;
	if (c->nr >= HC_NR || !hc_table[c->nr])
		return -XEN_ENOSYS;
	return hc_table[c->nr](v, c);
}

struct domain *domain_by_domid(struct domain *self, u32 domid)
{
	u32 i;

	if (domid == DOMID_SELF)
		return self;
	for (i = 0; i < nr_domains; i++)
		if (domains[i] && domains[i]->id == domid)
			return domains[i];
	return NULL;
}

/* Wall time at system time 0, ns since the epoch (0: unknown). */
static u64 wallclock_ns;

void xen_wallclock_set(u64 ns)
{
	wallclock_ns = ns;
}

/* shared_info's wallclock, set before the domain first runs. */
static void wallclock_put(struct shared_info_arm64 *s)
{
	u64 sec = wallclock_ns / 1000000000UL;

	s->wc_sec = (u32)sec;
	s->wc_sec_hi = sec >> 32;
	s->wc_nsec = wallclock_ns % 1000000000UL;
}

void xen_abi_init(void)
{
	int r;

	xen_evtchn_setup();
	xen_grant_setup();
	r = xen_store_init();
	if (r)
		pr_err("xenstore: cannot set up the store (%d): none", r);
}

int xen_domain_init(struct domain *d, void *shared_info, bool aware,
		    bool privileged)
{
	struct xen_dom *x = &d->xen;
	u32 i;
	int r;

	x->aware = aware;
	x->privileged = privileged;
	x->shared_info = shared_info;
	x->shinfo_gfn = XEN_NO_GFN;
	/* Only vCPU 0 has a slot in shared_info on arm (XEN_LEGACY_MAX_VCPUS). */
	for (i = 0; i < d->nr_vcpus; i++) {
		struct xen_vcpu *xv = &d->vcpu[i]->xen;

		xv->vcpu_info = i < GUEST_LEGACY_MAX_VCPUS ?
			(struct xen_vcpu_info *)shared_info + i : NULL;
		xv->runstate.state = i ? RUNSTATE_offline : RUNSTATE_runnable;
	}
	wallclock_put(shared_info);
	r = evtchn_domain_init(&x->evtchn, d->id, d->nr_vcpus, shared_info,
			       privileged);
	if (r)
		return r;
	return gnt_dom_init(&x->gnt, d->id, &d->s2, d->ram_pa, d->ram_size,
			    GNT_MAX_FRAMES, GNT_MAX_MAPTRACK);
}

int xen_param_set(struct domain *d, u32 idx, u64 val)
{
	if (idx >= HVM_NR_PARAMS)
		return -XEN_EINVAL;
	WRITE_ONCE(d->xen.params[idx], val);
	return 0;
}

u64 xen_param_get(const struct domain *d, u32 idx)
{
	return idx < HVM_NR_PARAMS ? READ_ONCE(d->xen.params[idx]) : 0;
}
