// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xenstore for minixen's domains: the store (core/xenstore_*.c, made
 * and locked by xen_store_hyp.c), a ring page and an event channel per
 * Xen-aware domain, the requests served when the domain notifies.
 *
 * The ring page is minixen's (from the heap, never the guest's RAM), so
 * a domain that unmaps it or ends cannot take it from under the store.
 * The store writes responses and watch events into it and kicks the
 * domains that got output, under the store lock (evtchn.h lets the
 * notification take its locks there).
 */
#include <minixen/domain.h>
#include <minixen/hypercall.h>
#include <minixen/mm.h>
#include <minixen/physmap.h>
#include <minixen/xen_store.h>
#include <minixen/xenstore.h>
#include "xen_store_priv.h"

struct store_link {
	struct domain *d;	/* NULL: not connected */
	evtchn_port_t hport;	/* minixen's end of the domain's channel */
	void *ring;		/* its page, kept for a reconnection */
	bool more;		/* requests left after a budget */
};

static struct store_link links[MAX_DOMAINS];

static int store_introduce(void *ctx, struct xs_store *s, u16 caller,
			   u16 domid, u64 gfn, u32 port);
static int store_release(void *ctx, u16 caller, u16 domid);

int xen_store_init(void)
{
	const struct xs_config cfg = {
		.max_domains = MAX_DOMAINS,
		.quota_nodes = XEN_STORE_NODES,
		.quota_entry_size = XEN_STORE_ENTRY,
		.quota_watches = XEN_STORE_WATCHES,
		.quota_transactions = XEN_STORE_TXS,
		.quota_outq = XEN_STORE_OUTQ,
		.introduce = store_introduce,
		.release = store_release,
	};

	return xen_store_open(&cfg);
}

/* The store kicks a domain it wrote output for. Under the store's lock. */
static void store_notify(void *ctx, u16 domid)
{
	struct store_link *l = ctx;

	if (l->hport)
		evtchn_hyp_notify(l->hport);
}

/*
 * Under the store's lock: one budget of @l's requests. With requests
 * left the domain is kicked, so that a vCPU of it enters (and serves on,
 * see xen_store_resume()) instead of blocking on its reply.
 */
static void serve(struct xs_store *s, struct store_link *l)
{
	bool more = xs_domain_process(s, l->d->id) == 1;

	WRITE_ONCE(l->more, more);
	if (more)
		store_notify(l, l->d->id);
}

/* The domain sent on its xenstore channel (from its EVTCHNOP_send). */
static void store_event(void *arg, evtchn_port_t port)
{
	struct store_link *l = arg;
	struct xs_store *s = xen_store_lock();

	if (!s)
		return;
	/* Called once more after a release: nothing to serve then. */
	if (l->d && l->hport == port)
		serve(s, l);
	xen_store_unlock();
}

void xen_store_resume(struct domain *d)
{
	struct store_link *l;
	struct xs_store *s;

	if (d->id >= MAX_DOMAINS || !READ_ONCE(links[d->id].more))
		return;
	l = &links[d->id];
	s = xen_store_lock();
	if (!s)
		return;
	if (l->d == d && l->more)
		serve(s, l);
	xen_store_unlock();
}

static const char *dom_path(const struct domain *d, char *buf, size_t size)
{
	snprintf(buf, size, "/local/domain/%u", d->id);
	return buf;
}

/*
 * Under the store's lock: /local/domain/N as xl makes it, with
 * cpu/I/availability "online" for each vCPU (what Linux's cpu hotplug
 * reads at boot).
 */
static int make_tree(struct xs_store *s, struct domain *d)
{
	char path[48];
	u32 i;
	int r;

	r = xs_domain_create_tree(s, d->id, d->name, d->ram_size >> 10);
	for (i = 0; !r && i < d->nr_vcpus; i++) {
		snprintf(path, sizeof(path), "/local/domain/%u/cpu/%u/availability",
			 d->id, i);
		r = xs_printf_local(s, path, "online");
	}
	if (r)
		xs_rm_local(s, dom_path(d, path, sizeof(path)));
	return r;
}

/* @l's ring page, empty, mapped at XEN_STORE_GFN of @d. */
static void *ring_map(struct store_link *l, struct domain *d)
{
	u64 gpa = XEN_STORE_GFN << XEN_PAGE_SHIFT;

	/* Never over RAM (a 1:1 domain on another board could have it there) */
	if (gpa >= d->ram_ipa && gpa - d->ram_ipa < d->ram_size)
		return NULL;
	if (!l->ring)
		l->ring = hyp_try_alloc(XEN_PAGE_SIZE, XEN_PAGE_SIZE);
	if (!l->ring)
		return NULL;
	memset(l->ring, 0, XEN_PAGE_SIZE);
	if (physmap_set(d, XEN_STORE_GFN, (u64)(uintptr_t)l->ring, S2_RAM))
		return NULL;
	return l->ring;
}

int xen_store_domain_init(struct domain *d)
{
	struct store_link *l;
	struct xs_store *s;
	evtchn_port_t gport;
	char path[32];
	void *ring;
	int r;

	if (!xen_store_ready())
		return -XEN_ENODEV;
	if (d->id >= MAX_DOMAINS || links[d->id].d)
		return -XEN_EINVAL;
	l = &links[d->id];
	ring = ring_map(l, d);
	if (!ring)
		return -XEN_ENOMEM;
	r = evtchn_hyp_connect(&d->xen.evtchn, store_event, l, &gport);
	if (r < 0)
		return r;
	s = xen_store_lock();
	l->hport = r;
	r = make_tree(s, d);
	if (!r) {
		r = xs_domain_introduce(s, d->id, ring, store_notify, l,
					d->id == 0);
		if (r)
			xs_rm_local(s, dom_path(d, path, sizeof(path)));
	}
	if (!r)
		l->d = d;
	xen_store_unlock();
	if (r) {
		/* The store's errors are Xen's errno values. */
		evtchn_hyp_close(l->hport);
		l->hport = 0;
		return r;
	}
	xen_param_set(d, HVM_PARAM_STORE_PFN, XEN_STORE_GFN);
	xen_param_set(d, HVM_PARAM_STORE_EVTCHN, gport);
	return 0;
}

void xen_store_domain_release(struct domain *d)
{
	struct store_link *l;
	struct xs_store *s;
	char path[32];

	if (d->id >= MAX_DOMAINS || !links[d->id].d)
		return;
	l = &links[d->id];
	s = xen_store_lock();
	xs_domain_release(s, d->id);
	xs_rm_local(s, dom_path(d, path, sizeof(path)));
	xs_flush_all(s);
	l->d = NULL;
	l->more = false;
	xen_store_unlock();
	evtchn_hyp_close(l->hport);
	l->hport = 0;
}

/*
 * XS_INTRODUCE and XS_RELEASE come from the store's privileged domain
 * (domain 0); minixen also wants its privileged domain (the control
 * domain of sysctl and remote_shutdown, xen.privileged), as only dom0's
 * toolstack introduces and releases domains on Xen.
 */
static bool may_control(u16 caller)
{
	struct domain *c = domain_by_domid(NULL, caller);

	return c && c->xen.privileged;
}

/*
 * Under store_lock. minixen connects its domains itself at boot, so an
 * introduction can only name what minixen gave the domain: its ring at
 * XEN_STORE_GFN and its end of the channel to the store. Again for a
 * connected domain: OK, nothing changes (xenstored: the same ring
 * again is accepted, another is EINVAL). For a domain an XS_RELEASE
 * disconnected: connected again, @introduceDomain fires. Anything else
 * (no such domain, a domain without xenstore, another frame or port):
 * EINVAL, as oxenstored answers what it cannot introduce.
 */
static int store_introduce(void *ctx, struct xs_store *s, u16 caller,
			   u16 domid, u64 gfn, u32 port)
{
	struct xs_domain_stats st;
	struct store_link *l;
	u16 peer_dom = 0;

	if (!may_control(caller))
		return -XEN_EACCES;
	if (domid >= MAX_DOMAINS || gfn != XEN_STORE_GFN)
		return -XEN_EINVAL;
	l = &links[domid];
	if (!l->d || !l->hport || evtchn_hyp_peer(l->hport, &peer_dom) != port ||
	    peer_dom != domid)
		return -XEN_EINVAL;
	if (!xs_domain_stats(s, domid, &st))
		return 0;
	return xs_domain_introduce(s, domid, l->ring, store_notify, l,
				   domid == 0);
}

/*
 * Under store_lock. The store drops the domain's connection (watches,
 * transactions, queued output) and fires @releaseDomain; its ring and
 * channel stay, so that XS_INTRODUCE can connect it again (xenstored
 * unbinds its end of the channel and unmaps the ring).
 */
static int store_release(void *ctx, u16 caller, u16 domid)
{
	return may_control(caller) ? 0 : -XEN_EACCES;
}
