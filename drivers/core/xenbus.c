// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen: the xenbus frontend bus ("pvxen"): matching, probe, remove.
 *
 * The watch thread serves every watch of the domain, so nothing here
 * waits for a backend in it: the otherend watch only queues the device's
 * otherend_work (on xenbus_wq: devices in parallel, each device's changes
 * one at a time), and drivers are probed asynchronously (the probe may
 * take a stale backend down to Closed first, bounded).  The close on
 * removal runs from the watch thread only for a device whose node is
 * gone, and then does not wait.
 *
 * Lock order: device_lock (driver core: probe, remove) -> flushing
 * otherend_work -> what the driver takes in otherend_changed() ->
 * dev->lock (state switches) -> xenstore.  otherend_work never takes
 * device_lock or xenbus_lock.
 */
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include <pvxen/xenbus.h>
#include <pvxen/xenstore.h>

#include "xenbus-internal.h"

bool pvxen_xenbus_up;
static struct workqueue_struct *xenbus_wq;	/* otherend_work */

static const struct pvxen_xenbus_device_id *
pvxen_xenbus_match_id(const struct pvxen_xenbus_driver *drv,
		      const struct pvxen_xenbus_device *dev)
{
	const struct pvxen_xenbus_device_id *id;

	for (id = drv->ids; id && id->devicetype[0]; id++)
		if (!strcmp(id->devicetype, dev->devicetype))
			return id;
	return NULL;
}

static int pvxen_xenbus_match(struct device *d,
			      const struct device_driver *drv)
{
	return !!pvxen_xenbus_match_id(to_pvxen_xenbus_driver(drv),
				       to_pvxen_xenbus_device(d));
}

PVXEN_DEFINE_BUS_MATCH(pvxen_xenbus_match)

/*
 * The backend's state changed: tell the driver, out of the watch thread.
 * Queued again while it runs, it runs again and reads the state then;
 * the driver sees the latest state, as it would from the watch.
 */
void pvxen_xenbus_otherend_work(struct work_struct *work)
{
	struct pvxen_xenbus_device *dev =
		container_of(work, struct pvxen_xenbus_device, otherend_work);
	struct pvxen_xenbus_driver *drv;
	enum pvxen_xenbus_state state;

	/* Bound: the unbind cancels this work before the driver goes. */
	if (!dev->dev.driver)
		return;
	drv = to_pvxen_xenbus_driver(dev->dev.driver);
	state = pvxen_xenbus_read_state(dev->otherend);
	dev_dbg(&dev->dev, "backend %s\n", pvxen_xenbus_strstate(state));
	if (drv->otherend_changed)
		drv->otherend_changed(dev, state);
}

static void pvxen_xenbus_otherend_cb(struct pvxen_xs_watch *w,
				     const char *path)
{
	struct pvxen_xenbus_device *dev =
		container_of(w, struct pvxen_xenbus_device, otherend_watch);

	queue_work(xenbus_wq, &dev->otherend_work);
}

static int pvxen_xenbus_probe(struct device *d)
{
	struct pvxen_xenbus_device *dev = to_pvxen_xenbus_device(d);
	struct pvxen_xenbus_driver *drv = to_pvxen_xenbus_driver(d->driver);
	const struct pvxen_xenbus_device_id *id;
	int ret;

	id = pvxen_xenbus_match_id(drv, dev);
	if (!id)
		return -ENODEV;
	ret = pvxen_xenbus_read_otherend_details(dev, "backend-id", "backend");
	if (ret)
		return ret;
	pvxen_xenbus_reset_otherend(dev);
	ret = drv->probe(dev, id);
	if (ret)
		return ret;
	/* Fires once at once: the driver sees the backend's current state. */
	ret = pvxen_xs_watch(&dev->otherend_watch, dev->otherend, "state",
			     pvxen_xenbus_otherend_cb);
	if (ret) {
		if (drv->remove)
			drv->remove(dev);
		return ret;
	}
	return 0;
}

static void pvxen_xenbus_remove(struct device *d)
{
	struct pvxen_xenbus_device *dev = to_pvxen_xenbus_device(d);
	struct pvxen_xenbus_driver *drv = to_pvxen_xenbus_driver(d->driver);

	/*
	 * The driver stops hearing from the backend first: a state change
	 * it is handling now (a connect, say) finishes, a wait for the
	 * backend in it stops early (unbinding), and none starts during the
	 * close, so nothing switches the state back from Closing behind our
	 * back.  The close polls the backend's state.
	 */
	WRITE_ONCE(dev->unbinding, true);
	pvxen_xs_unwatch(&dev->otherend_watch);
	cancel_work_sync(&dev->otherend_work);
	pvxen_xenbus_set_closing(dev, true);
	pvxen_xenbus_close(dev);
	if (drv->remove)
		drv->remove(dev);
	pvxen_xenbus_set_closing(dev, false);
	WRITE_ONCE(dev->unbinding, false);
}

PVXEN_DEFINE_BUS_REMOVE(pvxen_xenbus_remove)

static ssize_t nodename_show(struct device *d, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%s\n", to_pvxen_xenbus_device(d)->nodename);
}
static DEVICE_ATTR_RO(nodename);

static ssize_t devtype_show(struct device *d, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", to_pvxen_xenbus_device(d)->devicetype);
}
static DEVICE_ATTR_RO(devtype);

static ssize_t modalias_show(struct device *d, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "pvxen:%s\n",
			  to_pvxen_xenbus_device(d)->devicetype);
}
static DEVICE_ATTR_RO(modalias);

static ssize_t otherend_show(struct device *d, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%s\n", to_pvxen_xenbus_device(d)->otherend);
}
static DEVICE_ATTR_RO(otherend);

static ssize_t otherend_id_show(struct device *d,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", to_pvxen_xenbus_device(d)->otherend_id);
}
static DEVICE_ATTR_RO(otherend_id);

static ssize_t state_show(struct device *d, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  pvxen_xenbus_strstate(to_pvxen_xenbus_device(d)->state));
}
static DEVICE_ATTR_RO(state);

static struct attribute *pvxen_xenbus_dev_attrs[] = {
	&dev_attr_nodename.attr,
	&dev_attr_devtype.attr,
	&dev_attr_modalias.attr,
	&dev_attr_otherend.attr,
	&dev_attr_otherend_id.attr,
	&dev_attr_state.attr,
	NULL,
};
ATTRIBUTE_GROUPS(pvxen_xenbus_dev);

struct bus_type pvxen_xenbus_type = {
	.name = "pvxen",
	.match = pvxen_xenbus_match_bus,
	.probe = pvxen_xenbus_probe,
	.remove = pvxen_xenbus_remove_bus,
	.dev_groups = pvxen_xenbus_dev_groups,
};

/**
 * __pvxen_xenbus_register_driver() - Register a frontend driver.
 * @drv: the driver, with @ids and @probe set
 * @owner: its module
 * @mod_name: its module's name
 *
 * Use pvxen_xenbus_register_driver().  Existing devices of its types are
 * probed at once.
 *
 * Return: 0 or a negative errno (-ENODEV without xenstore).
 */
int __pvxen_xenbus_register_driver(struct pvxen_xenbus_driver *drv,
				   struct module *owner, const char *mod_name)
{
	if (!pvxen_xenbus_up)
		return -ENODEV;
	if (!drv->ids || !drv->probe)
		return -EINVAL;
	drv->driver.name = drv->name ? drv->name : mod_name;
	drv->driver.bus = &pvxen_xenbus_type;
	drv->driver.owner = owner;
	drv->driver.mod_name = mod_name;
	/* Off the watch thread: a probe may wait for a stale backend. */
	drv->driver.probe_type = PROBE_PREFER_ASYNCHRONOUS;
	return driver_register(&drv->driver);
}
EXPORT_SYMBOL_GPL(__pvxen_xenbus_register_driver);

/**
 * pvxen_xenbus_unregister_driver() - Unregister a frontend driver.
 * @drv: the driver
 *
 * Every bound device is closed (bounded handshake) and removed first.
 */
void pvxen_xenbus_unregister_driver(struct pvxen_xenbus_driver *drv)
{
	driver_unregister(&drv->driver);
}
EXPORT_SYMBOL_GPL(pvxen_xenbus_unregister_driver);

int pvxen_xenbus_bus_register(void)
{
	int ret;

	xenbus_wq = alloc_workqueue("pvxen-xenbus", WQ_UNBOUND, 0);
	if (!xenbus_wq)
		return -ENOMEM;
	ret = bus_register(&pvxen_xenbus_type);
	if (ret) {
		destroy_workqueue(xenbus_wq);
		xenbus_wq = NULL;
		return ret;
	}
	pvxen_xenbus_up = true;
	return 0;
}

void pvxen_xenbus_bus_unregister(void)
{
	pvxen_xenbus_up = false;
	bus_unregister(&pvxen_xenbus_type);
	destroy_workqueue(xenbus_wq);
	xenbus_wq = NULL;
}
