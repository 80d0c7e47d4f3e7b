// SPDX-License-Identifier: GPL-2.0-only
/*
 * The xenbus side of minixen's block backend: xenstore directories of
 * each disk as xl writes them, and the backend's state machine driven
 * by a watch of the frontend's (see minixen/xenbus_vbd.h).
 *
 * Per disk, with minixen as backend domain DOMID_XEN (32754):
 *
 *   /local/domain/32754/backend/vbd/<fe-domid>/<devid>  owner 0, the
 *	frontend may read: frontend, frontend-id, dev, mode, type, online,
 *	removable, device-type, feature-flush-cache, feature-barrier,
 *	feature-discard, discard-granularity (the sector size),
 *	discard-alignment, discard-secure (0), feature-persistent,
 *	feature-max-indirect-segments, multi-queue-max-queues,
 *	max-ring-page-order, sectors (512-byte units, as Linux's blkback
 *	writes it whatever the sector size), info, sector-size,
 *	physical-sector-size, state
 *   /local/domain/<fe-domid>/device/vbd/<devid>  owner the frontend,
 *	domain 0 may read: backend, backend-id, virtual-device,
 *	device-type, state
 *
 * Keys are written after their directory's permissions, so they take
 * them. One watch per domain, on its device/vbd, serves all its disks.
 * On connection the frontend's keys are read as Linux's blkback reads
 * them (read_conn()).
 */
#include <minixen/blkback.h>
#include <minixen/domain.h>
#include <minixen/xen_store.h>
#include <minixen/xenbus_back.h>
#include <minixen/xenbus_vbd.h>
#define PVXEN_HAVE_U32
#include <pvxen/xs_wire.h>	/* enum pvxen_xenbus_state, pvxen-core's */

#define VBD_PATH	64
#define VBD_TOKEN	"vbd"

/* One disk: its rings, and its state machine (xenbus_back.h). */
struct vbd {
	struct blkback bb;
	struct xenbus_back xb;
};

/* What the frontend wrote, read before connecting */
struct vbd_conf {
	struct blkback_conn c;
	char proto[16];
};

struct vbd_dom {
	struct domain *d;
	u32 nr;
	bool watching;
	char watch[VBD_PATH];	/* /local/domain/<domid>/device/vbd */
	struct vbd vbd[MAX_VBDS];
};

/* For the whole run: minixen's heap has no free. */
static struct vbd_dom vbd_doms[MAX_DOMAINS];

/*
 * Its "protocol": NULL if none, else a C string in @buf; a value that
 * does not fit or holds a NUL reads as "?" (no such protocol).
 */
static const char *get_protocol(const struct vbd *v, char *buf, u32 size)
{
	char path[VBD_PATH + 16];
	int len;

	snprintf(path, sizeof(path), "%s/protocol", v->xb.fe);
	len = xen_store_read(path, buf, size - 1);
	if (len < 0)
		return NULL;
	if (len >= size || memchr(buf, 0, len))
		return "?";
	buf[len] = '\0';
	return buf;
}

/* xl's name of the disk: xvda for 51712 (202 << 8), xvdb1 for 51729... */
static void vdev_name(u32 devid, char *buf, size_t size)
{
	char l[8];
	u32 disk, part, n, i = 0;

	if (devid >> 8 == 202) {
		disk = (devid & 0xff) >> 4;
		part = devid & 0xf;
	} else if (devid & BIT(28)) {
		disk = (devid >> 8) & 0xfffff;
		part = devid & 0xff;
	} else {
		snprintf(buf, size, "%u", devid);
		return;
	}
	/* a..z, aa..zz, aaa...: bijective base 26, least letter first */
	for (n = disk + 1; n && i < sizeof(l); n = (n - 1) / 26)
		l[i++] = 'a' + (n - 1) % 26;
	n = snprintf(buf, size, "xvd");
	while (i && n + 1 < size)
		buf[n++] = l[--i];
	buf[n] = '\0';
	if (part)
		snprintf(buf + n, size - n, "%u", part);
}

/* Both directories of @v, as xl writes them. */
static int write_dirs(struct vbd *v, const struct domain *d,
		      const struct vbdcfg *c)
{
	char dev[16], fe_id[12], devid[12], sectors[24], info[4], ss[8];
	char init_wait[4], initialising[4], be_id[8];
	char max_segs[8], max_queues[8], max_order[8];
	const char *const be_kv[] = {
		"frontend", v->xb.fe, "frontend-id", fe_id, "dev", dev,
		"mode", c->readonly ? "r" : "w", "type", "phy", "online", "1",
		"removable", "0", "device-type", "disk",
		"feature-flush-cache", "1", "feature-barrier", "1",
		"feature-discard", "1", "discard-granularity", ss,
		"discard-alignment", "0", "discard-secure", "0",
		"feature-persistent", "1",
		"feature-max-indirect-segments", max_segs,
		"multi-queue-max-queues", max_queues,
		"max-ring-page-order", max_order,
		"sectors", sectors, "info", info,
		"sector-size", ss, "physical-sector-size", ss,
		"state", init_wait, NULL,
	};
	const char *const fe_kv[] = {
		"backend", v->xb.be, "backend-id", be_id, "virtual-device", devid,
		"device-type", "disk", "state", initialising, NULL,
	};
	int r;

	vdev_name(c->devid, dev, sizeof(dev));
	snprintf(fe_id, sizeof(fe_id), "%u", d->id);
	snprintf(devid, sizeof(devid), "%u", c->devid);
	snprintf(sectors, sizeof(sectors), "%lu",
		 c->image.size / BLKIF_SECTOR_SIZE);
	snprintf(info, sizeof(info), "%u", c->readonly ? VDISK_READONLY : 0);
	snprintf(ss, sizeof(ss), "%u", c->sector_size);
	snprintf(init_wait, sizeof(init_wait), "%d", PVXEN_XENBUS_INIT_WAIT);
	snprintf(initialising, sizeof(initialising), "%d",
		 PVXEN_XENBUS_INITIALISING);
	snprintf(be_id, sizeof(be_id), "%u", DOMID_XEN);
	snprintf(max_segs, sizeof(max_segs), "%u", BLKBACK_MAX_INDIRECT_SEGS);
	snprintf(max_queues, sizeof(max_queues), "%u", BLKBACK_MAX_QUEUES);
	snprintf(max_order, sizeof(max_order), "%u", BLKBACK_MAX_RING_ORDER);
	r = xenbus_back_put_dir(v->xb.be, 0, d->id, be_kv);
	if (!r)
		r = xenbus_back_put_dir(v->xb.fe, d->id, 0, fe_kv);
	return r;
}

/*
 * What the frontend wrote for its rings, as Linux's blkback reads it:
 * "multi-queue-num-queues" (1 if absent), "ring-page-order" (if absent,
 * one page named "ring-ref"; if present, "ring-ref0".."ring-refN"), per
 * queue (in "queue-N/" if more than one) the refs and "event-channel";
 * "feature-persistent". Counts minixen does not offer are left for
 * blkback_connect_rings() to refuse. Returns the first key missing or
 * unreadable, or NULL; @key is its buffer.
 */
static const char *read_conn(const struct vbd *v, struct blkback_conn *c,
			     char *key, u32 size)
{
	bool multi_ref;
	u32 i, j, val;

	if (xenbus_back_get_u32(v->xb.fe, "multi-queue-num-queues", &c->nr_queues))
		c->nr_queues = 1;
	multi_ref = !xenbus_back_get_u32(v->xb.fe, "ring-page-order", &c->ring_order);
	if (!multi_ref)
		c->ring_order = 0;
	c->persistent = !xenbus_back_get_u32(v->xb.fe, "feature-persistent", &val) && val;
	if (!c->nr_queues || c->nr_queues > BLKBACK_MAX_QUEUES ||
	    c->ring_order > BLKBACK_MAX_RING_ORDER)
		return NULL;
	for (i = 0; i < c->nr_queues; i++) {
		char dir[20] = "";

		if (c->nr_queues > 1)
			snprintf(dir, sizeof(dir), "queue-%u/", i);
		snprintf(key, size, "%sevent-channel", dir);
		if (xenbus_back_get_u32(v->xb.fe, key, &c->q[i].port))
			return key;
		for (j = 0; j < 1U << c->ring_order; j++) {
			if (multi_ref)
				snprintf(key, size, "%sring-ref%u", dir, j);
			else
				snprintf(key, size, "%sring-ref", dir);
			if (xenbus_back_get_u32(v->xb.fe, key, &c->q[i].refs[j]))
				return key;
		}
	}
	return NULL;
}

static int vbd_read(struct xenbus_back *xb, void *conf)
{
	struct vbd *v = container_of(xb, struct vbd, xb);
	struct vbd_conf *vc = conf;
	const char *missing;
	char key[48];

	memset(vc, 0, sizeof(*vc));
	missing = read_conn(v, &vc->c, key, sizeof(key));
	vc->c.protocol = get_protocol(v, vc->proto, sizeof(vc->proto));
	if (missing) {
		pr_warn("%s: vbd %u: no usable %s: not connected",
			v->bb.d->name, v->bb.devid, missing);
		return -1;
	}
	return 0;
}

static int vbd_connect(struct xenbus_back *xb, const void *conf)
{
	struct vbd *v = container_of(xb, struct vbd, xb);
	const struct vbd_conf *vc = conf;

	return blkback_connect_rings(&v->bb, &vc->c) ? -1 : 0;
}

static void vbd_disconnect(struct xenbus_back *xb)
{
	blkback_disconnect(&container_of(xb, struct vbd, xb)->bb);
}

static bool vbd_connected(struct xenbus_back *xb)
{
	return blkback_connected(&container_of(xb, struct vbd, xb)->bb);
}

static const struct xenbus_back_ops vbd_ops = {
	.read = vbd_read,
	.connect = vbd_connect,
	.disconnect = vbd_disconnect,
	.connected = vbd_connected,
};

/*
 * The watch of a domain's device/vbd fired: the disk whose frontend's
 * state it is looks at it. Other events (the watch's first, at boot;
 * other keys; the tree removed) leave nothing to do. No lock held.
 */
static void vbd_watch(void *ctx, const char *path, const char *token)
{
	struct vbd_dom *vd = ctx;
	u32 i;

	struct vbd_conf conf;

	for (i = 0; i < vd->nr; i++)
		if (xenbus_back_is_state(vd->vbd[i].xb.fe, path))
			xenbus_back_changed(&vd->vbd[i].xb, &conf);
}

/**
 * xenbus_vbd_domain_init() - publish a domain's disks in xenstore
 * @d: the domain, connected to xenstore (xen_store_domain_init())
 * @c: its boot configuration, whose disks bootcfg_parse() checked
 *
 * Each disk's state is set up for the whole run, its backend and
 * frontend directories are written (backend InitWait, frontend
 * Initialising), and one watch of the domain's device/vbd follows its
 * frontends. Before the domain first runs.
 *
 * Return: 0 or a negative Xen errno (the store's).
 */
int xenbus_vbd_domain_init(struct domain *d, const struct domcfg *c)
{
	struct vbd_dom *vd;
	u32 i;
	int r;

	if (!c->nr_vbds)
		return 0;
	if (d->id >= MAX_DOMAINS || c->nr_vbds > MAX_VBDS)
		return -XEN_EINVAL;
	vd = &vbd_doms[d->id];
	memset(vd, 0, sizeof(*vd));
	vd->d = d;
	for (i = 0; i < c->nr_vbds; i++) {
		const struct vbdcfg *vc = &c->vbd[i];
		struct vbd *v = &vd->vbd[i];

		/* minixen runs with VA == PA: the image is where it was put */
		r = blkback_init(&v->bb, d, vc,
				 (void *)(uintptr_t)vc->image.start);
		if (r)
			return r;
		xenbus_back_init(&v->xb, &vbd_ops);
		snprintf(v->xb.be, sizeof(v->xb.be),
			 "/local/domain/%u/backend/vbd/%u/%u", DOMID_XEN, d->id,
			 vc->devid);
		snprintf(v->xb.fe, sizeof(v->xb.fe),
			 "/local/domain/%u/device/vbd/%u", d->id, vc->devid);
		r = write_dirs(v, d, vc);
		if (r)
			return r;
		vd->nr++;
	}
	snprintf(vd->watch, sizeof(vd->watch), "/local/domain/%u/device/vbd",
		 d->id);
	r = xen_store_watch(vd->watch, VBD_TOKEN, vbd_watch, vd);
	if (r)
		return r;
	vd->watching = true;
	for (i = 0; i < vd->nr; i++)
		pr_info("%s: vbd %u: %lu KiB at 0x%lx, %s, %u-byte sectors",
			d->name, c->vbd[i].devid, c->vbd[i].image.size >> 10,
			c->vbd[i].image.start,
			c->vbd[i].readonly ? "read-only" : "read-write",
			c->vbd[i].sector_size);
	return 0;
}

/**
 * xenbus_vbd_resume() - before a vCPU of @d enters
 * @d: the domain
 *
 * Serves what a budget left on its disks' rings (blkback_resume()) and
 * tells a frontend whose disk the ring logic disconnected (a lying
 * producer index) by switching to Closing. Cheap when there is nothing
 * to do.
 */
void xenbus_vbd_resume(struct domain *d)
{
	struct vbd_dom *vd;
	u32 i;

	if (d->id >= MAX_DOMAINS)
		return;
	vd = &vbd_doms[d->id];
	for (i = 0; i < READ_ONCE(vd->nr); i++) {
		blkback_resume(&vd->vbd[i].bb);
		xenbus_back_check(&vd->vbd[i].xb);
	}
}

/**
 * xenbus_vbd_domain_release() - @d has ended: let go of its disks
 * @d: the domain, none of its vCPUs running
 *
 * The watch goes, each disk disconnects for good (a watch callback
 * already running on another CPU cannot connect it again), and the
 * backend directories are removed (xenstore removes the frontend's with
 * the domain's tree). Call it before the domain's event channels are
 * destroyed.
 */
void xenbus_vbd_domain_release(struct domain *d)
{
	char path[VBD_PATH];
	struct vbd_dom *vd;
	u32 i;

	if (d->id >= MAX_DOMAINS || !vbd_doms[d->id].nr)
		return;
	vd = &vbd_doms[d->id];
	if (vd->watching)
		xen_store_unwatch(vd->watch, VBD_TOKEN);
	vd->watching = false;
	for (i = 0; i < vd->nr; i++)
		xenbus_back_kill(&vd->vbd[i].xb);
	snprintf(path, sizeof(path), "/local/domain/%u/backend/vbd/%u",
		 DOMID_XEN, d->id);
	xen_store_rm(path);
}
