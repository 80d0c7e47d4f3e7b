// SPDX-License-Identifier: GPL-2.0-only
/*
 * Event channels: ports of the hypervisor's own services. They live in
 * a pseudo-domain (id ops->hyp_domid, no shared_info, one vCPU) whose
 * ports carry a handler: raising one calls the handler, after the locks
 * are dropped, instead of setting bits. Guests see their end of such a
 * channel as an ordinary interdomain port; they cannot name the
 * pseudo-domain in any op but bind_interdomain to a port a service left
 * unbound for them.
 */
#include "evtchn_priv.h"

struct evtchn_domain evtchn_hyp_dom;
static struct evtchn_handler hyp_handlers[EVTCHN_NR_PORTS];

void evtchn_hyp_init(u16 domid)
{
	evtchn_table_init(&evtchn_hyp_dom, domid, 1);
	memset(hyp_handlers, 0, sizeof(hyp_handlers));
	evtchn_hyp_dom.handler = hyp_handlers;
}

int evtchn_hyp_connect(struct evtchn_domain *g, evtchn_hyp_fn fn, void *arg,
		       evtchn_port_t *gport)
{
	struct evtchn_domain *h = &evtchn_hyp_dom;
	int gp, hp;

	evtchn_lock2(g, h);
	gp = evtchn_free_port(g);
	hp = evtchn_free_port(h);
	if (gp < 0 || hp < 0) {
		hp = -XEN_ENOSPC;
		goto out;
	}
	evtchn_port_take(g, gp, ECS_INTERDOMAIN, 0);
	evtchn_port_take(h, hp, ECS_INTERDOMAIN, 0);
	hyp_handlers[hp].fn = fn;
	hyp_handlers[hp].arg = arg;
	evtchn_link(h, hp, g, gp);
	*gport = gp;
out:
	evtchn_unlock2(g, h);
	return hp;
}

int evtchn_hyp_bind(struct evtchn_domain *g, evtchn_port_t gport,
		    evtchn_hyp_fn fn, void *arg)
{
	const struct evtchn_handler h = { .fn = fn, .arg = arg };

	return evtchn_bind_link(&evtchn_hyp_dom, g, gport, &h);
}

int evtchn_hyp_alloc_unbound(struct evtchn_domain *g, evtchn_hyp_fn fn,
			     void *arg)
{
	struct evtchn_domain *h = &evtchn_hyp_dom;
	int hp;

	spin_lock(&h->lock);
	hp = evtchn_free_port(h);
	if (hp > 0) {
		evtchn_port_take(h, hp, ECS_UNBOUND, 0);
		h->port[hp].remote_dom = g->domid;
		hyp_handlers[hp].fn = fn;
		hyp_handlers[hp].arg = arg;
	}
	spin_unlock(&h->lock);
	return hp;
}

int evtchn_hyp_notify(evtchn_port_t hport)
{
	return evtchn_send(&evtchn_hyp_dom, hport);
}

int evtchn_hyp_close(evtchn_port_t hport)
{
	return evtchn_close_port(&evtchn_hyp_dom, hport);
}

evtchn_port_t evtchn_hyp_peer(evtchn_port_t hport, u16 *domid)
{
	struct evtchn_domain *h = &evtchn_hyp_dom;
	evtchn_port_t peer = 0;

	if (!evtchn_port_ok(hport))
		return 0;
	spin_lock(&h->lock);
	if (h->port[hport].state == ECS_INTERDOMAIN) {
		peer = h->port[hport].remote_port;
		*domid = h->port[hport].remote_dom;
	}
	spin_unlock(&h->lock);
	return peer;
}
