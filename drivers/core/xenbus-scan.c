// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen: the xenbus frontend bus: discovery.
 *
 * One watch on this domain's "device" directory.  It fires once when
 * registered (a full scan) and then for every change below it; an event
 * for device/<type>/<id> or deeper re-checks that one device, an event
 * for device/<type> or device re-scans that level.  A device exists
 * while its node exists and names a backend ("backend" and "backend-id");
 * it goes away when the node does.
 *
 * Everything that adds or removes devices runs under xenbus_lock: the
 * watch thread, and module init/exit.
 */
#define pr_fmt(fmt) "pvxen: " fmt

#include <linux/async.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include <pvxen/xenbus.h>
#include <pvxen/xenstore.h>

#include "core.h"
#include "xenbus-internal.h"

#define PVXEN_XENBUS_ROOT	"device"

static DEFINE_MUTEX(xenbus_lock);
static struct pvxen_xs_watch xenbus_watch;

static void pvxen_xenbus_release(struct device *d)
{
	struct pvxen_xenbus_device *dev = to_pvxen_xenbus_device(d);

	kfree(dev->otherend);
	kfree(dev->devicetype);
	kfree(dev->nodename);
	kfree(dev);
}

static int pvxen_xenbus_match_node(struct device *d, const void *data)
{
	return !strcmp(to_pvxen_xenbus_device(d)->nodename, data);
}

static struct pvxen_xenbus_device *pvxen_xenbus_find(const char *nodename)
{
	struct device *d = bus_find_device(&pvxen_xenbus_type, NULL, nodename,
					   pvxen_xenbus_match_node);

	return d ? to_pvxen_xenbus_device(d) : NULL;
}

/* Add device/<type>/<id> if it is complete and new. */
static void pvxen_xenbus_add(const char *type, const char *id)
{
	struct pvxen_xenbus_device *dev, *old;
	unsigned int st;
	char *nodename;
	int ret;

	nodename = kasprintf(GFP_KERNEL, PVXEN_XENBUS_ROOT "/%s/%s", type, id);
	if (!nodename)
		return;
	old = pvxen_xenbus_find(nodename);
	if (old) {
		put_device(&old->dev);
		kfree(nodename);
		return;
	}
	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev) {
		kfree(nodename);
		return;
	}
	dev->nodename = nodename;
	mutex_init(&dev->lock);
	INIT_WORK(&dev->otherend_work, pvxen_xenbus_otherend_work);
	/* Not there yet (being written): a later event brings it. */
	if (pvxen_xenbus_read_otherend_details(dev, "backend-id", "backend")) {
		kfree(nodename);
		kfree(dev);
		return;
	}
	dev->devicetype = kstrdup(type, GFP_KERNEL);
	if (!dev->devicetype) {
		kfree(dev->otherend);
		kfree(nodename);
		kfree(dev);
		return;
	}
	ret = pvxen_xs_scanf(PVXEN_XS_NO_TX, nodename, "state", "%u", &st);
	dev->state = ret == 1 && st <= PVXEN_XENBUS_RECONFIGURED ?
		     st : PVXEN_XENBUS_INITIALISING;
	dev->dev.bus = &pvxen_xenbus_type;
	dev->dev.release = pvxen_xenbus_release;
	dev_set_name(&dev->dev, "%s-%s", type, id);
	ret = device_register(&dev->dev);
	if (ret) {
		pr_warn("xenbus: could not add %s (%d)\n", nodename, ret);
		put_device(&dev->dev);
	}
}

static void pvxen_xenbus_del(struct pvxen_xenbus_device *dev)
{
	device_unregister(&dev->dev);
}

/* Remove device/<type>/<id> if its node is gone. */
static void pvxen_xenbus_check(const char *type, const char *id)
{
	struct pvxen_xenbus_device *dev;
	char *nodename;

	nodename = kasprintf(GFP_KERNEL, PVXEN_XENBUS_ROOT "/%s/%s", type, id);
	if (!nodename)
		return;
	if (pvxen_xs_exists(PVXEN_XS_NO_TX, nodename, NULL)) {
		pvxen_xenbus_add(type, id);
	} else {
		dev = pvxen_xenbus_find(nodename);
		if (dev) {
			pvxen_xenbus_del(dev);
			put_device(&dev->dev);
		}
	}
	kfree(nodename);
}

static void pvxen_xenbus_scan_type(const char *type)
{
	unsigned int n, i;
	char **ids;

	ids = pvxen_xs_directory(PVXEN_XS_NO_TX, PVXEN_XENBUS_ROOT, type, &n);
	if (IS_ERR(ids))
		return;
	for (i = 0; i < n; i++)
		pvxen_xenbus_add(type, ids[i]);
	kfree(ids);
}

struct pvxen_xenbus_gone {
	const char *type;	/* only devices of this type, or NULL */
	struct pvxen_xenbus_device *found;
};

static int pvxen_xenbus_find_gone(struct device *d, void *data)
{
	struct pvxen_xenbus_device *dev = to_pvxen_xenbus_device(d);
	struct pvxen_xenbus_gone *g = data;

	if (g->type && strcmp(g->type, dev->devicetype))
		return 0;
	if (pvxen_xs_exists(PVXEN_XS_NO_TX, dev->nodename, NULL))
		return 0;
	get_device(d);
	g->found = dev;
	return 1;
}

/* Remove every device (of @type) whose node is gone. */
static void pvxen_xenbus_reap(const char *type)
{
	struct pvxen_xenbus_gone g = { .type = type };

	for (;;) {
		g.found = NULL;
		bus_for_each_dev(&pvxen_xenbus_type, NULL, &g,
				 pvxen_xenbus_find_gone);
		if (!g.found)
			break;
		pvxen_xenbus_del(g.found);
		put_device(&g.found->dev);
	}
}

static void pvxen_xenbus_scan(void)
{
	unsigned int n, i;
	char **types;

	types = pvxen_xs_directory(PVXEN_XS_NO_TX, PVXEN_XENBUS_ROOT, NULL, &n);
	if (!IS_ERR(types)) {
		for (i = 0; i < n; i++)
			pvxen_xenbus_scan_type(types[i]);
		kfree(types);
	}
	pvxen_xenbus_reap(NULL);
}

/*
 * Event on ".../device[/<type>[/<id>[/...]]]": the watched path is
 * absolute or relative as xenstored reports it; find "device" in it by
 * the watch's own path length.
 */
static void pvxen_xenbus_watch_cb(struct pvxen_xs_watch *w, const char *path)
{
	size_t root = strlen(w->path);
	char *rel, *rest, *type, *id = NULL;

	if (strncmp(path, w->path, root) || (path[root] && path[root] != '/'))
		return;
	rel = kstrdup(path + root, GFP_KERNEL);
	if (!rel)
		return;
	mutex_lock(&xenbus_lock);
	/* rel is "" or "/<type>[/<id>[/...]]" */
	rest = rel;
	strsep(&rest, "/");
	type = rest ? strsep(&rest, "/") : NULL;
	if (rest)
		id = strsep(&rest, "/");
	if (!type || !*type) {
		pvxen_xenbus_scan();
	} else if (!id || !*id) {
		pvxen_xenbus_scan_type(type);
		pvxen_xenbus_reap(type);
	} else {
		pvxen_xenbus_check(type, id);
	}
	mutex_unlock(&xenbus_lock);
	kfree(rel);
}

static int pvxen_xenbus_unregister_one(struct device *d, void *data)
{
	get_device(d);
	*(struct device **)data = d;
	return 1;
}

int pvxen_xenbus_init(void)
{
	int ret;

	if (!pvxen_xs_available())
		return 0;
	ret = pvxen_xenbus_bus_register();
	if (ret)
		return ret;
	ret = pvxen_xs_watch(&xenbus_watch, PVXEN_XENBUS_ROOT, NULL,
			     pvxen_xenbus_watch_cb);
	if (ret) {
		pr_err("xenbus: could not watch %s (%d)\n", PVXEN_XENBUS_ROOT,
		       ret);
		pvxen_xenbus_bus_unregister();
	}
	return ret;
}

void pvxen_xenbus_exit(void)
{
	struct device *d;

	if (!pvxen_xenbus_up)
		return;
	pvxen_xs_unwatch(&xenbus_watch);
	mutex_lock(&xenbus_lock);
	for (;;) {
		d = NULL;
		bus_for_each_dev(&pvxen_xenbus_type, NULL, &d,
				 pvxen_xenbus_unregister_one);
		if (!d)
			break;
		device_unregister(d);
		put_device(d);
	}
	mutex_unlock(&xenbus_lock);
	/* Asynchronous probes still queued end before the bus goes. */
	async_synchronize_full();
	pvxen_xenbus_bus_unregister();
}
