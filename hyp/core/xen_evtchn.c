// SPDX-License-Identifier: GPL-2.0-only
/*
 * Event channels for minixen's domains: the hooks core/evtchn*.c runs on
 * (a domain by its domid, the event PPI), the EVTCHNOP_* hypercall with
 * its argument copied in once and back once, vcpu_info registration,
 * SCHEDOP_poll's ports and the level of the event PPI.
 *
 * A domain's Xen domid is its index in the boot configuration (dom0 or
 * the first dom0less domain is 0); minixen's own services own the ports
 * of the pseudo-domain DOMID_XEN.
 */
#include <minixen/conring.h>
#include <minixen/domain.h>
#include <minixen/guest_access.h>
#include <minixen/hypercall.h>
#include <minixen/vcpu.h>

/* The largest EVTCHNOP_* argument (evtchn_status: 24 bytes) fits. */
#define EVTCHN_OP_MAX	64

static struct domain *dom_of(struct evtchn_domain *e)
{
	return container_of(e, struct domain, xen.evtchn);
}

static struct evtchn_domain *ev_domain(u16 domid)
{
	struct domain *d = domain_by_domid(NULL, domid);

	return d ? &d->xen.evtchn : NULL;
}

static void ev_kick(struct evtchn_domain *e, u32 vcpu)
{
	struct domain *d = dom_of(e);

	if (vcpu < d->nr_vcpus)
		arch_evtchn_kick(d->vcpu[vcpu]);
}

static void ev_hostile(struct evtchn_domain *e)
{
	struct domain *d = dom_of(e);

	pr_err("%s: keeps its event-channel words busy: hostile, crashed",
	       d->name);
	domain_shutdown(d, SHUTDOWN_crash);
}

/* A port the vCPU polls became pending: the poll is over. */
static void ev_poll_wake(struct evtchn_domain *e, u32 vcpu)
{
	struct domain *d = dom_of(e);

	if (vcpu < d->nr_vcpus)
		arch_vcpu_wake(d->vcpu[vcpu]);
}

static const struct evtchn_ops ev_ops = {
	.domain = ev_domain,
	.kick = ev_kick,
	.hostile = ev_hostile,
	.poll_wake = ev_poll_wake,
	.hyp_domid = DOMID_XEN,
};

void xen_evtchn_setup(void)
{
	evtchn_init(&ev_ops);
}

/* Ops that write results into their argument (Xen copies those back). */
static bool has_out(u32 cmd)
{
	switch (cmd) {
	case EVTCHNOP_alloc_unbound:
	case EVTCHNOP_bind_interdomain:
	case EVTCHNOP_bind_virq:
	case EVTCHNOP_bind_ipi:
	case EVTCHNOP_status:
		return true;
	default:
		return false;
	}
}

long do_event_channel_op(struct vcpu *v, struct hc_call *c)
{
	u64 arg[EVTCHN_OP_MAX / sizeof(u64)];
	u32 cmd = c->a[0];
	size_t size = evtchn_op_size(cmd);
	long r;

	if (!size || size > sizeof(arg))
		return -XEN_ENOSYS;
	if (copy_from_guest(v, arg, c->a[1], size))
		return -XEN_EFAULT;
	r = evtchn_op(&v->d->xen.evtchn, cmd, arg);
	if (!r && has_out(cmd) && copy_to_guest(v, c->a[1], arg, size))
		r = -XEN_EFAULT;
	return r;
}

int xen_poll_start(struct vcpu *v, const u32 *ports, u32 nr)
{
	return evtchn_poll_start(&v->d->xen.evtchn, v->id, ports, nr);
}

bool xen_polling(struct vcpu *v)
{
	return evtchn_poll_active(&v->d->xen.evtchn, v->id);
}

void xen_poll_end(struct vcpu *v)
{
	evtchn_poll_end(&v->d->xen.evtchn, v->id);
}

int xen_evtchn_vcpu_info(struct vcpu *t, struct xen_vcpu_info *vi)
{
	return evtchn_set_vcpu_info(&t->d->xen.evtchn, t->id,
				    (struct vcpu_info_arm64 *)vi);
}

bool xen_upcall_pending(struct vcpu *v)
{
	return evtchn_upcall_pending(&v->d->xen.evtchn, v->id);
}

/*
 * Xen sends the global VIRQs (VIRQ_DOM_EXC, VIRQ_CON_RING, ...) to the
 * hardware domain unless a toolstack moved them: here the privileged
 * domain, if it bound them. Other domains that bind them get nothing.
 */
void xen_virq_global(u32 virq)
{
	u32 i;

	for (i = 0; i < nr_domains; i++) {
		struct domain *d = domains[i];

		if (d && d->xen.privileged && !READ_ONCE(d->dead))
			evtchn_send_virq(&d->xen.evtchn, virq, 0);
	}
}

void xen_virq_resume(void)
{
	if (conring_take_new())
		xen_virq_global(VIRQ_CON_RING);
}
