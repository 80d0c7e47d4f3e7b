// SPDX-License-Identifier: GPL-2.0-only
/*
 * The xenbus side of minixen's network backend: xenstore directories
 * of each interface as xl writes them, and the backend's state machine
 * driven by a watch of the frontend's (see minixen/xenbus_vif.h).
 *
 * Per interface, with minixen as backend domain DOMID_XEN (32754):
 *
 *   /local/domain/32754/backend/vif/<fe-domid>/<handle>  owner 0, the
 *	frontend may read: frontend, frontend-id, handle, mac, type,
 *	online, feature-sg, feature-gso-tcpv4, feature-gso-tcpv6,
 *	feature-ipv6-csum-offload, feature-rx-copy, feature-rx-flip,
 *	feature-split-event-channels, multi-queue-max-queues, state
 *   /local/domain/<fe-domid>/device/vif/<handle>  owner the frontend,
 *	domain 0 may read: backend, backend-id, handle, mac, state
 *
 * The frontend's keys, as Linux's netfront writes them: request-rx-copy
 * (must be 1), multi-queue-num-queues (absent: one queue, its keys in
 * the directory itself; else queue-<n>/ for each), per queue
 * tx-ring-ref, rx-ring-ref and event-channel or event-channel-tx and
 * event-channel-rx; feature-sg, feature-gso-tcpv4, feature-gso-tcpv6,
 * feature-no-csum-offload (absent: 0).
 */
#include <minixen/domain.h>
#include <minixen/netback.h>
#include <minixen/xen_store.h>
#include <minixen/xenbus_back.h>
#include <minixen/xenbus_vif.h>
#define PVXEN_HAVE_U32
#include <pvxen/xs_wire.h>	/* enum pvxen_xenbus_state, pvxen-core's */

#define VIF_PATH	64
#define VIF_TOKEN	"vif"

/* One interface: its queues, and its state machine (xenbus_back.h). */
struct vif {
	struct netback_vif nb;
	struct xenbus_back xb;
};

struct vif_dom {
	struct domain *d;
	u32 nr;
	bool watching;
	char watch[VIF_PATH];	/* /local/domain/<domid>/device/vif */
	struct vif vif[MAX_VIFS];
};

/* For the whole run: minixen's heap has no free. */
static struct vif_dom vif_doms[MAX_DOMAINS];

/* Both directories of @v, as xl writes them. */
static int write_dirs(struct vif *v, const struct domain *d,
		      const struct vifcfg *c)
{
	char fe_id[12], handle[12], mac[18], init_wait[4], initialising[4];
	char be_id[8], max_q[4];
	const char *const be_kv[] = {
		"frontend", v->xb.fe, "frontend-id", fe_id, "handle", handle,
		"mac", mac, "type", "vif", "online", "1",
		"feature-sg", "1", "feature-gso-tcpv4", "1",
		"feature-gso-tcpv6", "1", "feature-ipv6-csum-offload", "1",
		"feature-rx-copy", "1", "feature-rx-flip", "0",
		"feature-split-event-channels", "1",
		"multi-queue-max-queues", max_q, "state", init_wait, NULL,
	};
	const char *const fe_kv[] = {
		"backend", v->xb.be, "backend-id", be_id, "handle", handle,
		"mac", mac, "state", initialising, NULL,
	};
	int r;

	snprintf(fe_id, sizeof(fe_id), "%u", d->id);
	snprintf(handle, sizeof(handle), "%u", c->handle);
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x",
		 c->mac[0], c->mac[1], c->mac[2], c->mac[3], c->mac[4],
		 c->mac[5]);
	snprintf(max_q, sizeof(max_q), "%u", NETBACK_MAX_QUEUES);
	snprintf(init_wait, sizeof(init_wait), "%d", PVXEN_XENBUS_INIT_WAIT);
	snprintf(initialising, sizeof(initialising), "%d",
		 PVXEN_XENBUS_INITIALISING);
	snprintf(be_id, sizeof(be_id), "%u", DOMID_XEN);
	r = xenbus_back_put_dir(v->xb.be, 0, d->id, be_kv);
	if (!r)
		r = xenbus_back_put_dir(v->xb.fe, d->id, 0, fe_kv);
	return r;
}

/* A frontend's feature flag: absent or not a number reads as 0. */
static bool get_flag(const char *dir, const char *key)
{
	u32 n;

	return !xenbus_back_get_u32(dir, key, &n) && n;
}

/* One queue's keys in @dir. Returns 0, or a reason for the log. */
static const char *get_queue(const char *dir, struct netback_qconf *q,
			     bool *split, bool first)
{
	bool s;

	if (xenbus_back_get_u32(dir, "tx-ring-ref", &q->tx_ref) ||
	    xenbus_back_get_u32(dir, "rx-ring-ref", &q->rx_ref))
		return "no usable tx-ring-ref or rx-ring-ref";
	s = !xenbus_back_get_u32(dir, "event-channel-tx", &q->tx_port) &&
	    !xenbus_back_get_u32(dir, "event-channel-rx", &q->rx_port);
	if (!s) {
		if (xenbus_back_get_u32(dir, "event-channel", &q->tx_port))
			return "no usable event-channel";
		q->rx_port = q->tx_port;
	}
	if (!first && s != *split)
		return "split and shared event channels mixed";
	*split = s;
	return NULL;
}

/* What the frontend wrote. Returns 0, or -1 with one line in the log. */
static int get_conf(const struct vif *v, struct netback_conf *c)
{
	char dir[XENBUS_BACK_DIR + 24];
	const char *why = NULL;
	bool multi;
	u32 i, n;

	memset(c, 0, sizeof(*c));
	if (xenbus_back_get_u32(v->xb.fe, "request-rx-copy", &n) || n != 1)
		why = "request-rx-copy is not 1 (only copying receive is offered)";
	/*
	 * One queue's keys are in the directory itself, whether or not
	 * multi-queue-num-queues says 1 (Linux's netfront writes it
	 * whenever the backend offers queues), as netback reads them.
	 */
	if (why || xenbus_back_get_u32(v->xb.fe, "multi-queue-num-queues", &n))
		n = 1;
	if (!n || n > NETBACK_MAX_QUEUES)
		why = "multi-queue-num-queues out of range";
	multi = n > 1;
	c->nr_queues = n;
	for (i = 0; !why && i < c->nr_queues; i++) {
		if (multi)
			snprintf(dir, sizeof(dir), "%s/queue-%u", v->xb.fe, i);
		else
			snprintf(dir, sizeof(dir), "%s", v->xb.fe);
		why = get_queue(dir, &c->q[i], &c->split, !i);
	}
	if (why) {
		pr_warn("%s: vif %u: %s: not connected", v->nb.d->name,
			v->nb.handle, why);
		return -1;
	}
	c->sg = get_flag(v->xb.fe, "feature-sg");
	c->gso4 = get_flag(v->xb.fe, "feature-gso-tcpv4");
	c->gso6 = get_flag(v->xb.fe, "feature-gso-tcpv6");
	c->no_csum = get_flag(v->xb.fe, "feature-no-csum-offload");
	return 0;
}

static int vif_read(struct xenbus_back *xb, void *conf)
{
	return get_conf(container_of(xb, struct vif, xb), conf);
}

static int vif_connect(struct xenbus_back *xb, const void *conf)
{
	struct vif *v = container_of(xb, struct vif, xb);

	return netback_connect(&v->nb, conf) ? -1 : 0;
}

static void vif_disconnect(struct xenbus_back *xb)
{
	netback_disconnect(&container_of(xb, struct vif, xb)->nb);
}

static bool vif_connected(struct xenbus_back *xb)
{
	return netback_connected(&container_of(xb, struct vif, xb)->nb);
}

static const struct xenbus_back_ops vif_ops = {
	.read = vif_read,
	.connect = vif_connect,
	.disconnect = vif_disconnect,
	.connected = vif_connected,
};

/*
 * The watch of a domain's device/vif fired: the interface whose
 * frontend's state it is looks at it. No lock held.
 */
static void vif_watch(void *ctx, const char *path, const char *token)
{
	struct vif_dom *vd = ctx;
	struct netback_conf conf;
	u32 i;

	for (i = 0; i < vd->nr; i++)
		if (xenbus_back_is_state(vd->vif[i].xb.fe, path))
			xenbus_back_changed(&vd->vif[i].xb, &conf);
}

/**
 * xenbus_vif_domain_init() - publish a domain's network interfaces
 * @d: the domain, connected to xenstore (xen_store_domain_init())
 * @c: its boot configuration, whose interfaces bootcfg_parse() checked
 *
 * Each interface's state is set up for the whole run, its backend and
 * frontend directories are written (backend InitWait, frontend
 * Initialising), and one watch of the domain's device/vif follows its
 * frontends. Before the domain first runs.
 *
 * Return: 0 or a negative Xen errno (the store's).
 */
int xenbus_vif_domain_init(struct domain *d, const struct domcfg *c)
{
	struct vif_dom *vd;
	u32 i;
	int r;

	if (!c->nr_vifs)
		return 0;
	if (d->id >= MAX_DOMAINS || c->nr_vifs > MAX_VIFS)
		return -XEN_EINVAL;
	vd = &vif_doms[d->id];
	memset(vd, 0, sizeof(*vd));
	vd->d = d;
	for (i = 0; i < c->nr_vifs; i++) {
		const struct vifcfg *vc = &c->vif[i];
		struct vif *v = &vd->vif[i];

		netback_init(&v->nb, d, vc);
		xenbus_back_init(&v->xb, &vif_ops);
		snprintf(v->xb.be, sizeof(v->xb.be),
			 "/local/domain/%u/backend/vif/%u/%u", DOMID_XEN, d->id,
			 vc->handle);
		snprintf(v->xb.fe, sizeof(v->xb.fe),
			 "/local/domain/%u/device/vif/%u", d->id, vc->handle);
		r = write_dirs(v, d, vc);
		if (r)
			return r;
		vd->nr++;
	}
	snprintf(vd->watch, sizeof(vd->watch), "/local/domain/%u/device/vif",
		 d->id);
	r = xen_store_watch(vd->watch, VIF_TOKEN, vif_watch, vd);
	if (r)
		return r;
	vd->watching = true;
	for (i = 0; i < vd->nr; i++)
		pr_info("%s: vif %u: mac %02x:%02x:%02x:%02x:%02x:%02x, up to %u queues",
			d->name, c->vif[i].handle, c->vif[i].mac[0],
			c->vif[i].mac[1], c->vif[i].mac[2], c->vif[i].mac[3],
			c->vif[i].mac[4], c->vif[i].mac[5], NETBACK_MAX_QUEUES);
	return 0;
}

/**
 * xenbus_vif_resume() - before a vCPU of @d enters
 * @d: the domain
 *
 * Serves what a budget left on its interfaces' TX rings, disconnects
 * an interface its frontend failed (netback_resume()) and tells that
 * frontend by switching to Closing. Cheap when there is nothing to do.
 */
void xenbus_vif_resume(struct domain *d)
{
	struct vif_dom *vd;
	u32 i;

	if (d->id >= MAX_DOMAINS)
		return;
	vd = &vif_doms[d->id];
	for (i = 0; i < READ_ONCE(vd->nr); i++) {
		netback_resume(&vd->vif[i].nb);
		xenbus_back_check(&vd->vif[i].xb);
	}
}

/**
 * xenbus_vif_domain_release() - @d has ended: let go of its interfaces
 * @d: the domain, none of its vCPUs running
 *
 * The watch goes, each interface disconnects for good (unplugged from
 * the switch; a watch callback already running on another CPU cannot
 * connect it again), and the backend directories are removed
 * (xenstore removes the frontend's with the domain's tree). Call it
 * before the domain's event channels are destroyed.
 */
void xenbus_vif_domain_release(struct domain *d)
{
	char path[VIF_PATH];
	struct vif_dom *vd;
	u32 i;

	if (d->id >= MAX_DOMAINS || !vif_doms[d->id].nr)
		return;
	vd = &vif_doms[d->id];
	if (vd->watching)
		xen_store_unwatch(vd->watch, VIF_TOKEN);
	vd->watching = false;
	for (i = 0; i < vd->nr; i++)
		xenbus_back_kill(&vd->vif[i].xb);
	snprintf(path, sizeof(path), "/local/domain/%u/backend/vif/%u",
		 DOMID_XEN, d->id);
	xen_store_rm(path);
}
