// SPDX-License-Identifier: GPL-2.0-only
/*
 * Event channels: the per-domain port table, linking and closing
 * channels, locking, VIRQ delivery. The hypercall ops are in
 * evtchn_op.c, the bits in guest memory in evtchn_2l.c, the
 * hypervisor's own ports in evtchn_hyp.c.
 */
#include "evtchn_priv.h"

const struct evtchn_ops *evtchn_hooks;

/* Per-vCPU VIRQs; the rest (VIRQ_ARCH_* too, on arm) are global. */
bool evtchn_virq_is_global(u32 virq)
{
	switch (virq) {
	case VIRQ_TIMER:
	case VIRQ_DEBUG:
	case VIRQ_XENOPROF:
	case VIRQ_XENPMU:
		return false;
	default:
		return true;
	}
}

struct evtchn_domain *evtchn_dom_by_id(u16 domid)
{
	if (domid == evtchn_hooks->hyp_domid)
		return &evtchn_hyp_dom;
	return evtchn_hooks->domain(domid);
}

void evtchn_lock2(struct evtchn_domain *a, struct evtchn_domain *b)
{
	if (a == b) {
		spin_lock(&a->lock);
	} else if (a->domid < b->domid) {
		spin_lock(&a->lock);
		spin_lock(&b->lock);
	} else {
		spin_lock(&b->lock);
		spin_lock(&a->lock);
	}
}

void evtchn_unlock2(struct evtchn_domain *a, struct evtchn_domain *b)
{
	if (a != b)
		spin_unlock(&b->lock);
	spin_unlock(&a->lock);
}

int evtchn_free_port(struct evtchn_domain *d)
{
	u32 i;

	for (i = 1; i < EVTCHN_NR_PORTS; i++)
		if (d->port[i].state == ECS_FREE)
			return i;
	return -XEN_ENOSPC;
}

void evtchn_port_take(struct evtchn_domain *d, evtchn_port_t port,
		      enum evtchn_state state, u32 vcpu)
{
	struct evtchn_port *p = &d->port[port];

	p->remote_dom = 0;
	p->remote_port = 0;
	WRITE_ONCE(p->vcpu, vcpu);
	p->state = state;
	d->nr_used++;
}

static void port_free(struct evtchn_domain *d, evtchn_port_t port)
{
	struct evtchn_port *p = &d->port[port];

	/* A port bound again must not start out pending (as Xen). */
	evtchn_2l_clear_pending(d, port);
	if (d->handler) {
		d->handler[port].fn = NULL;
		d->handler[port].arg = NULL;
	}
	p->state = ECS_FREE;
	WRITE_ONCE(p->vcpu, 0);
	p->remote_dom = 0;
	p->remote_port = 0;
	d->nr_used--;
}

void evtchn_link(struct evtchn_domain *ld, evtchn_port_t lport,
		 struct evtchn_domain *rd, evtchn_port_t rport)
{
	struct evtchn_port *lp = &ld->port[lport], *rp = &rd->port[rport];

	lp->state = ECS_INTERDOMAIN;
	lp->remote_dom = rd->domid;
	lp->remote_port = rport;
	rp->state = ECS_INTERDOMAIN;
	rp->remote_dom = ld->domid;
	rp->remote_port = lport;
}

int evtchn_bind_link(struct evtchn_domain *ld, struct evtchn_domain *rd,
		     evtchn_port_t rport, const struct evtchn_handler *h)
{
	struct evtchn_defer df = { 0 };
	struct evtchn_port *rp;
	int lport;

	evtchn_lock2(ld, rd);
	lport = evtchn_free_port(ld);
	if (lport < 0)
		goto out;
	rp = evtchn_port_ok(rport) ? &rd->port[rport] : NULL;
	if (!rp || rp->state != ECS_UNBOUND || rp->remote_dom != ld->domid) {
		lport = -XEN_EINVAL;
		goto out;
	}
	evtchn_port_take(ld, lport, ECS_INTERDOMAIN, 0);
	if (h)
		ld->handler[lport] = *h;
	evtchn_link(ld, lport, rd, rport);
	/* Sends to the unbound port were dropped: assume there was one. */
	evtchn_raise(ld, lport, &df);
out:
	evtchn_unlock2(ld, rd);
	evtchn_defer_run(&df);
	return lport;
}

static void unbind_virq(struct evtchn_domain *d, evtchn_port_t port)
{
	const struct evtchn_port *p = &d->port[port];
	u16 *slot;

	if (evtchn_virq_is_global(p->remote_port))
		slot = &d->global_virq[p->remote_port];
	else
		slot = &d->vcpu[p->vcpu].virq[p->remote_port];
	if (*slot == port)
		*slot = 0;
}

int evtchn_close_port(struct evtchn_domain *d, evtchn_port_t port)
{
	struct evtchn_domain *rd = d;
	struct evtchn_port *p, *rp;
	int rc = 0;
	u16 rdom;

	if (!evtchn_port_ok(port))
		return -XEN_EINVAL;
	p = &d->port[port];
	spin_lock(&d->lock);
	if (p->state == ECS_INTERDOMAIN) {
		rdom = p->remote_dom;
		rd = evtchn_dom_by_id(rdom);
		if (!rd)	/* never: destroy closes all channels first */
			rd = d;
		if (rd != d) {
			spin_unlock(&d->lock);
			evtchn_lock2(d, rd);
			/* Closed (and maybe bound again) meanwhile: as Xen. */
			if (p->state != ECS_INTERDOMAIN ||
			    p->remote_dom != rdom) {
				rc = -XEN_EINVAL;
				goto out;
			}
		}
	}
	switch (p->state) {
	case ECS_FREE:
	case ECS_RESERVED:
		rc = -XEN_EINVAL;
		goto out;
	case ECS_VIRQ:
		unbind_virq(d, port);
		break;
	case ECS_INTERDOMAIN:
		if (rd->domid != p->remote_dom)
			break;
		/* The other end waits for us again, as on Xen. */
		rp = &rd->port[p->remote_port];
		rp->state = ECS_UNBOUND;
		rp->remote_dom = d->domid;
		rp->remote_port = 0;
		break;
	default:
		break;
	}
	port_free(d, port);
out:
	evtchn_unlock2(d, rd);
	return rc;
}

void evtchn_close_all(struct evtchn_domain *d)
{
	u32 i;

	for (i = 1; i < EVTCHN_NR_PORTS; i++)
		evtchn_close_port(d, i);
}

void evtchn_table_init(struct evtchn_domain *d, u16 domid, u32 nr_vcpus)
{
	memset(d, 0, sizeof(*d));
	d->domid = domid;
	d->nr_vcpus = nr_vcpus;
	evtchn_port_take(d, 0, ECS_RESERVED, 0);
}

void evtchn_init(const struct evtchn_ops *ops)
{
	evtchn_2l_check_layout();
	evtchn_hooks = ops;
	evtchn_hyp_init(ops->hyp_domid);
}

int evtchn_domain_init(struct evtchn_domain *d, u16 domid, u32 nr_vcpus,
		       struct shared_info_arm64 *shinfo, bool privileged)
{
	if (!nr_vcpus || nr_vcpus > MAX_VCPUS || !shinfo ||
	    ((uintptr_t)shinfo & 7) || domid >= DOMID_FIRST_RESERVED ||
	    domid == evtchn_hooks->hyp_domid)
		return -XEN_EINVAL;
	evtchn_table_init(d, domid, nr_vcpus);
	d->shinfo = shinfo;
	d->privileged = privileged;
	evtchn_2l_vcpu_init(d);
	return 0;
}

void evtchn_domain_destroy(struct evtchn_domain *d)
{
	evtchn_close_all(d);
}

int evtchn_send_virq(struct evtchn_domain *d, u32 virq, u32 vcpu)
{
	struct evtchn_defer df = { 0 };
	bool global;
	u16 port;

	if (virq >= EVTCHN_NR_VIRQS)
		return -XEN_EINVAL;
	global = evtchn_virq_is_global(virq);
	if (!global && vcpu >= d->nr_vcpus)
		return -XEN_EINVAL;
	spin_lock(&d->lock);
	port = global ? d->global_virq[virq] : d->vcpu[vcpu].virq[virq];
	if (port)
		evtchn_raise(d, port, &df);
	spin_unlock(&d->lock);
	evtchn_defer_run(&df);
	return port ? 0 : -XEN_ENOENT;
}
