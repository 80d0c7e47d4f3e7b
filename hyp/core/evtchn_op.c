// SPDX-License-Identifier: GPL-2.0-only
/*
 * Event channels: the EVTCHNOP_* hypercall operations, with the checks,
 * their order and the errno values of Xen's event_channel.c. Every
 * field here comes from the guest: ports, vCPUs, VIRQs and domids are
 * bounded before they index anything.
 */
#include "evtchn_priv.h"

/*
 * The domain a caller names in @dom (Xen: rcu_lock_domain_by_any_id()).
 * The pseudo-domain is not one a guest may name.
 */
static int dom_lookup(struct evtchn_domain *cur, domid_t dom,
		      struct evtchn_domain **out)
{
	struct evtchn_domain *d = cur;

	if (dom != DOMID_SELF && dom != cur->domid) {
		if (dom == evtchn_hooks->hyp_domid)
			return -XEN_ESRCH;
		d = evtchn_hooks->domain(dom);
		if (!d)
			return -XEN_ESRCH;
	}
	*out = d;
	return 0;
}

/* Xen's XSM_TARGET: oneself, or anyone for the control domain. */
static int dom_allowed(struct evtchn_domain *cur, struct evtchn_domain *d)
{
	return d == cur || cur->privileged ? 0 : -XEN_EPERM;
}

int evtchn_alloc_unbound(struct evtchn_domain *cur,
			 struct evtchn_alloc_unbound *a)
{
	struct evtchn_domain *d;
	int port, rc;

	rc = dom_lookup(cur, a->dom, &d);
	if (rc)
		return rc;
	spin_lock(&d->lock);
	port = evtchn_free_port(d);
	if (port < 0) {
		rc = port;
		goto out;
	}
	rc = dom_allowed(cur, d);
	if (rc)
		goto out;
	evtchn_port_take(d, port, ECS_UNBOUND, 0);
	/* Any remote is fine, even one that does not exist (yet). */
	d->port[port].remote_dom = a->remote_dom == DOMID_SELF ?
				   cur->domid : a->remote_dom;
	a->port = port;
out:
	spin_unlock(&d->lock);
	return rc;
}

int evtchn_bind_interdomain(struct evtchn_domain *cur,
			    struct evtchn_bind_interdomain *b)
{
	struct evtchn_domain *rd;
	domid_t rdom = b->remote_dom;
	int port;

	if (rdom == DOMID_SELF)
		rdom = cur->domid;
	/* The pseudo-domain's unbound ports are open to their guest. */
	rd = evtchn_dom_by_id(rdom);
	if (!rd)
		return -XEN_ESRCH;
	port = evtchn_bind_link(cur, rd, b->remote_port, NULL);
	if (port < 0)
		return port;
	b->local_port = port;
	return 0;
}

int evtchn_bind_virq(struct evtchn_domain *d, struct evtchn_bind_virq *b)
{
	u32 virq = b->virq, vcpu = b->vcpu;
	int port, rc = 0;
	u16 *slot;

	if (virq >= EVTCHN_NR_VIRQS)
		return -XEN_EINVAL;
	if (evtchn_virq_is_global(virq) && vcpu != 0)
		return -XEN_EINVAL;
	if (vcpu >= d->nr_vcpus)
		return -XEN_ENOENT;
	spin_lock(&d->lock);
	slot = evtchn_virq_is_global(virq) ? &d->global_virq[virq] :
					     &d->vcpu[vcpu].virq[virq];
	if (*slot) {
		rc = -XEN_EEXIST;
		goto out;
	}
	port = evtchn_free_port(d);
	if (port < 0) {
		rc = port;
		goto out;
	}
	evtchn_port_take(d, port, ECS_VIRQ, vcpu);
	d->port[port].remote_port = virq;
	*slot = port;
	b->port = port;
out:
	spin_unlock(&d->lock);
	return rc;
}

int evtchn_bind_ipi(struct evtchn_domain *d, struct evtchn_bind_ipi *b)
{
	int port;

	if (b->vcpu >= d->nr_vcpus)
		return -XEN_ENOENT;
	spin_lock(&d->lock);
	port = evtchn_free_port(d);
	if (port >= 0)
		evtchn_port_take(d, port, ECS_IPI, b->vcpu);
	spin_unlock(&d->lock);
	if (port < 0)
		return port;
	b->port = port;
	return 0;
}

int evtchn_close(struct evtchn_domain *d, evtchn_port_t port)
{
	return evtchn_close_port(d, port);
}

int evtchn_send(struct evtchn_domain *d, evtchn_port_t port)
{
	struct evtchn_defer df = { 0 };
	struct evtchn_domain *rd;
	struct evtchn_port *p;
	int rc = 0;

	if (!evtchn_port_ok(port))
		return -XEN_EINVAL;
	p = &d->port[port];
	spin_lock(&d->lock);
	switch (p->state) {
	case ECS_INTERDOMAIN:
		/* Our lock keeps the other end linked to us (evtchn.h). */
		rd = evtchn_dom_by_id(p->remote_dom);
		if (rd)
			evtchn_raise(rd, p->remote_port, &df);
		break;
	case ECS_IPI:
		evtchn_raise(d, port, &df);
		break;
	case ECS_UNBOUND:
		break;		/* dropped, as on Xen */
	default:
		rc = -XEN_EINVAL;	/* free, reserved, VIRQ */
		break;
	}
	spin_unlock(&d->lock);
	evtchn_defer_run(&df);
	return rc;
}

int evtchn_status(struct evtchn_domain *cur, struct evtchn_status *s)
{
	static const u32 stat[] = {
		[ECS_FREE] = EVTCHNSTAT_closed,
		[ECS_RESERVED] = EVTCHNSTAT_closed,
		[ECS_UNBOUND] = EVTCHNSTAT_unbound,
		[ECS_INTERDOMAIN] = EVTCHNSTAT_interdomain,
		[ECS_VIRQ] = EVTCHNSTAT_virq,
		[ECS_IPI] = EVTCHNSTAT_ipi,
	};
	struct evtchn_domain *d;
	struct evtchn_port *p;
	int rc;

	rc = dom_lookup(cur, s->dom, &d);
	if (rc)
		return rc;
	if (!evtchn_port_ok(s->port))
		return -XEN_EINVAL;
	rc = dom_allowed(cur, d);
	if (rc)
		return rc;
	p = &d->port[s->port];
	memset(&s->u, 0, sizeof(s->u));
	spin_lock(&d->lock);
	s->status = stat[p->state];
	s->vcpu = p->vcpu;
	switch (p->state) {
	case ECS_UNBOUND:
		s->u.unbound.dom = p->remote_dom;
		break;
	case ECS_INTERDOMAIN:
		s->u.interdomain.dom = p->remote_dom;
		s->u.interdomain.port = p->remote_port;
		break;
	case ECS_VIRQ:
		s->u.virq = p->remote_port;
		break;
	default:
		break;
	}
	spin_unlock(&d->lock);
	return 0;
}

int evtchn_bind_vcpu(struct evtchn_domain *d, evtchn_port_t port, u32 vcpu)
{
	struct evtchn_port *p;
	int rc = 0;

	if (vcpu >= d->nr_vcpus)
		return -XEN_ENOENT;
	if (!evtchn_port_ok(port))
		return -XEN_EINVAL;
	p = &d->port[port];
	spin_lock(&d->lock);
	switch (p->state) {
	case ECS_VIRQ:
		if (!evtchn_virq_is_global(p->remote_port)) {
			rc = -XEN_EINVAL;
			break;
		}
		fallthrough;
	case ECS_UNBOUND:
	case ECS_INTERDOMAIN:
		WRITE_ONCE(p->vcpu, vcpu);
		break;
	default:
		rc = -XEN_EINVAL;
		break;
	}
	spin_unlock(&d->lock);
	return rc;
}

int evtchn_unmask(struct evtchn_domain *d, evtchn_port_t port)
{
	struct evtchn_defer df = { 0 };

	if (!evtchn_port_ok(port))
		return -XEN_EINVAL;
	spin_lock(&d->lock);
	if (d->shinfo)
		evtchn_2l_unmask(d, port, &df);
	spin_unlock(&d->lock);
	evtchn_defer_run(&df);
	return 0;
}

int evtchn_reset(struct evtchn_domain *cur, domid_t dom)
{
	struct evtchn_domain *d;
	int rc;

	rc = dom_lookup(cur, dom, &d);
	if (rc)
		return rc;
	rc = dom_allowed(cur, d);
	if (rc)
		return rc;
	/* Xen resets another domain only while it is paused: never here. */
	if (d != cur)
		return -XEN_EINVAL;
	evtchn_close_all(d);
	return 0;
}

size_t evtchn_op_size(u32 cmd)
{
	switch (cmd) {
	case EVTCHNOP_bind_interdomain:
		return sizeof(struct evtchn_bind_interdomain);
	case EVTCHNOP_bind_virq:
		return sizeof(struct evtchn_bind_virq);
	case EVTCHNOP_bind_pirq:
		return sizeof(struct evtchn_bind_pirq);
	case EVTCHNOP_close:
		return sizeof(struct evtchn_close);
	case EVTCHNOP_send:
		return sizeof(struct evtchn_send);
	case EVTCHNOP_status:
		return sizeof(struct evtchn_status);
	case EVTCHNOP_alloc_unbound:
		return sizeof(struct evtchn_alloc_unbound);
	case EVTCHNOP_bind_ipi:
		return sizeof(struct evtchn_bind_ipi);
	case EVTCHNOP_bind_vcpu:
		return sizeof(struct evtchn_bind_vcpu);
	case EVTCHNOP_unmask:
		return sizeof(struct evtchn_unmask);
	case EVTCHNOP_reset:
		return sizeof(struct evtchn_reset);
	case EVTCHNOP_init_control:
		return sizeof(struct evtchn_init_control);
	case EVTCHNOP_expand_array:
		return sizeof(struct evtchn_expand_array);
	case EVTCHNOP_set_priority:
		return sizeof(struct evtchn_set_priority);
	default:
		return 0;
	}
}

long evtchn_op(struct evtchn_domain *d, u32 cmd, void *arg)
{
	switch (cmd) {
	case EVTCHNOP_alloc_unbound:
		return evtchn_alloc_unbound(d, arg);
	case EVTCHNOP_bind_interdomain:
		return evtchn_bind_interdomain(d, arg);
	case EVTCHNOP_bind_virq:
		return evtchn_bind_virq(d, arg);
	case EVTCHNOP_bind_ipi:
		return evtchn_bind_ipi(d, arg);
	case EVTCHNOP_close:
		return evtchn_close(d, ((struct evtchn_close *)arg)->port);
	case EVTCHNOP_send:
		return evtchn_send(d, ((struct evtchn_send *)arg)->port);
	case EVTCHNOP_status:
		return evtchn_status(d, arg);
	case EVTCHNOP_bind_vcpu:
		return evtchn_bind_vcpu(d, ((struct evtchn_bind_vcpu *)arg)->port,
					((struct evtchn_bind_vcpu *)arg)->vcpu);
	case EVTCHNOP_unmask:
		return evtchn_unmask(d, ((struct evtchn_unmask *)arg)->port);
	case EVTCHNOP_reset:
		return evtchn_reset(d, ((struct evtchn_reset *)arg)->dom);
	case EVTCHNOP_bind_pirq:
		return -XEN_EINVAL;	/* no physical IRQs: pirq >= nr_pirqs */
	default:
		return -XEN_ENOSYS;	/* FIFO ABI: Linux falls back to 2L */
	}
}
