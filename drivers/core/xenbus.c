// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen: the xenbus frontend bus ("pvxen").
 *
 * Discovery: one watch on this domain's "device" directory.  It fires
 * once when registered (a full scan) and then for every change below it;
 * an event for device/<type>/<id> or deeper re-checks that one device, an
 * event for device/<type> or device re-scans that level.  A device exists
 * while its node exists and names a backend ("backend" and "backend-id");
 * it goes away when the node does.
 *
 * Everything that adds or removes devices runs under xenbus_lock: the
 * watch thread, and module init/exit.
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
#define pr_fmt(fmt) "pvxen: " fmt

#include <linux/async.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include <pvxen/xenbus.h>
#include <pvxen/xenstore.h>

#include "core.h"

#define PVXEN_XENBUS_ROOT	"device"

/* Bound on the whole closing handshake. */
#define PVXEN_XENBUS_CLOSE_MS	5000

static DEFINE_MUTEX(xenbus_lock);
static struct pvxen_xs_watch xenbus_watch;
static bool xenbus_up;
static struct workqueue_struct *xenbus_wq;	/* otherend_work */

static const char *const xenbus_states[] = {
	[PVXEN_XENBUS_UNKNOWN] = "Unknown",
	[PVXEN_XENBUS_INITIALISING] = "Initialising",
	[PVXEN_XENBUS_INIT_WAIT] = "InitWait",
	[PVXEN_XENBUS_INITIALISED] = "Initialised",
	[PVXEN_XENBUS_CONNECTED] = "Connected",
	[PVXEN_XENBUS_CLOSING] = "Closing",
	[PVXEN_XENBUS_CLOSED] = "Closed",
	[PVXEN_XENBUS_RECONFIGURING] = "Reconfiguring",
	[PVXEN_XENBUS_RECONFIGURED] = "Reconfigured",
};

/**
 * pvxen_xenbus_strstate() - Name of a XenbusState.
 * @state: the state
 *
 * Return: e.g. "Connected", or "Invalid".
 */
const char *pvxen_xenbus_strstate(enum pvxen_xenbus_state state)
{
	if ((unsigned int)state < ARRAY_SIZE(xenbus_states))
		return xenbus_states[state];
	return "Invalid";
}
EXPORT_SYMBOL_GPL(pvxen_xenbus_strstate);

/**
 * pvxen_xenbus_read_state() - Read the "state" node of a device directory.
 * @path: the directory, e.g. a device's otherend
 *
 * Return: the state; PVXEN_XENBUS_UNKNOWN if the node is missing or holds
 * no valid state, PVXEN_XENBUS_CLOSED if it is missing because the other
 * end went away.
 */
enum pvxen_xenbus_state pvxen_xenbus_read_state(const char *path)
{
	unsigned int s;
	int ret;

	ret = pvxen_xs_scanf(PVXEN_XS_NO_TX, path, "state", "%u", &s);
	if (ret == -ENOENT)
		return PVXEN_XENBUS_CLOSED;
	if (ret != 1 || s > PVXEN_XENBUS_RECONFIGURED)
		return PVXEN_XENBUS_UNKNOWN;
	return s;
}
EXPORT_SYMBOL_GPL(pvxen_xenbus_read_state);

/**
 * pvxen_xenbus_switch_state() - Publish this end's state.
 * @dev: the device
 * @state: new state
 *
 * Writes "<nodename>/state" unless it already holds @state.  While the
 * core closes the device for its driver's removal only Closing and Closed
 * are accepted: anything else would tell the backend to use rings the
 * driver is about to free.
 *
 * Return: 0 or a negative errno (-EBUSY: refused during the close).
 */
int pvxen_xenbus_switch_state(struct pvxen_xenbus_device *dev,
			      enum pvxen_xenbus_state state)
{
	int ret = 0;

	mutex_lock(&dev->lock);
	if (dev->closing && state != PVXEN_XENBUS_CLOSING &&
	    state != PVXEN_XENBUS_CLOSED) {
		mutex_unlock(&dev->lock);
		dev_err(&dev->dev, "refusing to switch to %s while closing (from %pS)\n",
			pvxen_xenbus_strstate(state),
			__builtin_return_address(0));
		return -EBUSY;
	}
	if (dev->state != state) {
		ret = pvxen_xs_printf(PVXEN_XS_NO_TX, dev->nodename, "state",
				      "%d", state);
		if (!ret)
			dev->state = state;
	}
	mutex_unlock(&dev->lock);
	if (ret)
		dev_warn(&dev->dev, "could not switch to %s (%d)\n",
			 pvxen_xenbus_strstate(state), ret);
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_xenbus_switch_state);

/**
 * pvxen_xenbus_read_otherend_details() - Read who the backend is.
 * @dev: the device
 * @id_node: node under @dev's nodename holding the backend domid
 * @path_node: node holding the backend path
 *
 * Sets @dev->otherend_id and @dev->otherend (replacing an earlier one).
 *
 * Return: 0 or a negative errno (-ENOENT if either node is missing).
 */
int pvxen_xenbus_read_otherend_details(struct pvxen_xenbus_device *dev,
				       const char *id_node,
				       const char *path_node)
{
	unsigned int id;
	char *path;
	int ret;

	ret = pvxen_xs_scanf(PVXEN_XS_NO_TX, dev->nodename, id_node, "%u",
			     &id);
	if (ret < 0)
		return ret;
	if (id > 0xffff)
		return -EINVAL;
	path = pvxen_xs_read(PVXEN_XS_NO_TX, dev->nodename, path_node, NULL);
	if (IS_ERR(path))
		return PTR_ERR(path);
	if (!*path) {
		kfree(path);
		return -ENOENT;
	}
	kfree(dev->otherend);
	dev->otherend = path;
	dev->otherend_id = id;
	return 0;
}
EXPORT_SYMBOL_GPL(pvxen_xenbus_read_otherend_details);

struct pvxen_xenbus_error {
	const char *nodename;
	const char *text;
};

/* The device node's own "error", only while the node exists. */
static int pvxen_xenbus_write_own_error(u32 tx, void *data)
{
	const struct pvxen_xenbus_error *e = data;

	if (!pvxen_xs_exists(tx, e->nodename, NULL))
		return 0;
	return pvxen_xs_write(tx, e->nodename, "error", e->text);
}

/**
 * pvxen_xenbus_dev_fatal() - Report that a device failed, and close it.
 * @dev: the device
 * @err: the failure's negative errno
 * @fmt: printf() format: what failed
 *
 * As upstream's xenbus_dev_fatal(): the text "<errno> <what failed>" is
 * logged and written to "error/<nodename>/error" under the domain's home
 * (where toolstacks look for it; libxl makes "error" the domain's), then
 * the device switches to Closing.  The text also goes to the device
 * node's own "error", if the node still exists (never re-creating it).
 *
 * Context: process context, may sleep.
 */
void pvxen_xenbus_dev_fatal(struct pvxen_xenbus_device *dev, int err,
			    const char *fmt, ...)
{
	struct pvxen_xenbus_error e = { .nodename = dev->nodename };
	char text[256], *dir;
	va_list ap;
	int n, ret;

	n = scnprintf(text, sizeof(text), "%d ", -err);
	va_start(ap, fmt);
	vscnprintf(text + n, sizeof(text) - n, fmt, ap);
	va_end(ap);
	e.text = text;
	dev_err(&dev->dev, "fatal: %s\n", text);

	dir = kasprintf(GFP_KERNEL, "error/%s", dev->nodename);
	ret = dir ? pvxen_xs_write(PVXEN_XS_NO_TX, dir, "error", text) :
		    -ENOMEM;
	if (ret)
		dev_warn(&dev->dev, "could not write error/%s/error (%d)\n",
			 dev->nodename, ret);
	kfree(dir);
	ret = pvxen_xs_transaction_run(pvxen_xenbus_write_own_error, &e, NULL);
	if (ret)
		dev_warn(&dev->dev, "could not write %s/error (%d)\n",
			 dev->nodename, ret);
	pvxen_xenbus_switch_state(dev, PVXEN_XENBUS_CLOSING);
}
EXPORT_SYMBOL_GPL(pvxen_xenbus_dev_fatal);

/**
 * pvxen_xenbus_printf() - Write a formatted node under the device's node.
 * @dev: the device
 * @node: node name under @dev->nodename
 * @fmt: printf() format
 *
 * Return: 0 or a negative errno.
 */
int pvxen_xenbus_printf(struct pvxen_xenbus_device *dev, const char *node,
			const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = pvxen_xs_vprintf(PVXEN_XS_NO_TX, dev->nodename, node, fmt, ap);
	va_end(ap);
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_xenbus_printf);

/**
 * pvxen_xenbus_scanf() - Parse a node under the device's node.
 * @dev: the device
 * @node: node name under @dev->nodename
 * @fmt: scanf() format
 *
 * Return: number of items converted, or a negative errno.
 */
int pvxen_xenbus_scanf(struct pvxen_xenbus_device *dev, const char *node,
		       const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = pvxen_xs_vscanf(PVXEN_XS_NO_TX, dev->nodename, node, fmt, ap);
	va_end(ap);
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_xenbus_scanf);

/* ---- the bus ----------------------------------------------------------- */

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

static int pvxen_xenbus_match(struct device *d, struct device_driver *drv)
{
	return !!pvxen_xenbus_match_id(to_pvxen_xenbus_driver(drv),
				       to_pvxen_xenbus_device(d));
}

/*
 * The backend's state changed: tell the driver, out of the watch thread.
 * Queued again while it runs, it runs again and reads the state then;
 * the driver sees the latest state, as it would from the watch.
 */
static void pvxen_xenbus_otherend_work(struct work_struct *work)
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

static void pvxen_xenbus_set_closing(struct pvxen_xenbus_device *dev,
				     bool closing)
{
	mutex_lock(&dev->lock);
	dev->closing = closing;
	mutex_unlock(&dev->lock);
}

static bool pvxen_xenbus_reached(enum pvxen_xenbus_state s,
				 enum pvxen_xenbus_state want)
{
	return s >= want || s == PVXEN_XENBUS_UNKNOWN;
}

/*
 * Wait until the backend reaches at least @state, is gone, or @deadline.
 * The otherend watch is already gone (or cannot run, when we are the
 * watch thread): poll the node.  Linux's blkback answers within a few
 * milliseconds, so a short period keeps unloads quick.  Returns the last
 * state read; below @state (and not Unknown) means the deadline passed.
 */
static enum pvxen_xenbus_state
pvxen_xenbus_wait_otherend(struct pvxen_xenbus_device *dev,
			   enum pvxen_xenbus_state state,
			   unsigned long deadline)
{
	for (;;) {
		enum pvxen_xenbus_state s = pvxen_xenbus_read_state(dev->otherend);

		if (pvxen_xenbus_reached(s, state) ||
		    !time_before(jiffies, deadline))
			return s;
		usleep_range(5000, 10000);
	}
}

/*
 * One step of a close: switch to @state, then wait for the backend to
 * reach it.  *@seen is the backend's last state read.  Returns 0, the
 * switch's errno, or -ETIMEDOUT if @deadline passed first.
 */
static int pvxen_xenbus_step(struct pvxen_xenbus_device *dev,
			     enum pvxen_xenbus_state state,
			     unsigned long deadline,
			     enum pvxen_xenbus_state *seen)
{
	int ret = pvxen_xenbus_switch_state(dev, state);

	if (ret)
		return ret;
	*seen = pvxen_xenbus_wait_otherend(dev, state, deadline);
	return pvxen_xenbus_reached(*seen, state) ? 0 : -ETIMEDOUT;
}

/*
 * Orderly close: Closing, the backend follows, Closed, the backend is
 * Closed; the whole handshake is bounded by PVXEN_XENBUS_CLOSE_MS.
 */
static void pvxen_xenbus_close(struct pvxen_xenbus_device *dev)
{
	unsigned long deadline = jiffies +
				 msecs_to_jiffies(PVXEN_XENBUS_CLOSE_MS);
	enum pvxen_xenbus_state s;
	int ret;

	if (!pvxen_xs_exists(PVXEN_XS_NO_TX, dev->nodename, NULL))
		return;		/* hot-unplugged: nobody to talk to */
	if (dev->state == PVXEN_XENBUS_CLOSED ||
	    dev->state == PVXEN_XENBUS_UNKNOWN)
		return;
	ret = pvxen_xenbus_step(dev, PVXEN_XENBUS_CLOSING, deadline, &s);
	if (ret == -ETIMEDOUT)
		dev_warn(&dev->dev, "backend did not follow to Closing in %d ms (it is %s)\n",
			 PVXEN_XENBUS_CLOSE_MS, pvxen_xenbus_strstate(s));
	else if (ret)
		return;
	if (pvxen_xenbus_step(dev, PVXEN_XENBUS_CLOSED, deadline, &s) ==
	    -ETIMEDOUT)
		dev_warn(&dev->dev, "backend not Closed after %d ms (it is %s)\n",
			 PVXEN_XENBUS_CLOSE_MS, pvxen_xenbus_strstate(s));
}

/*
 * A frontend was here before (our state is not the fresh Initialising)
 * and the backend is still Connected or Closing: that frontend was
 * unloaded or crashed, or the backend has not caught up with its close
 * yet.  The backend would not answer a new Initialising (blkback only
 * reconnects from Closed), so take it down to Closed first, bounded like
 * a close.
 */
static void pvxen_xenbus_reset_otherend(struct pvxen_xenbus_device *dev)
{
	unsigned long deadline = jiffies +
				 msecs_to_jiffies(PVXEN_XENBUS_CLOSE_MS);
	enum pvxen_xenbus_state s;

	if (dev->state == PVXEN_XENBUS_INITIALISING ||
	    dev->state == PVXEN_XENBUS_UNKNOWN)
		return;
	s = pvxen_xenbus_read_state(dev->otherend);
	if (s != PVXEN_XENBUS_CONNECTED && s != PVXEN_XENBUS_CLOSING)
		return;
	dev_info(&dev->dev, "backend is still %s from an earlier connection: closing it first\n",
		 pvxen_xenbus_strstate(s));
	if (s == PVXEN_XENBUS_CONNECTED &&
	    pvxen_xenbus_step(dev, PVXEN_XENBUS_CLOSING, deadline, &s))
		goto late;
	if (pvxen_xenbus_step(dev, PVXEN_XENBUS_CLOSED, deadline, &s))
		goto late;
	return;
late:
	dev_warn(&dev->dev, "backend not Closed after %d ms (it is %s); going on\n",
		 PVXEN_XENBUS_CLOSE_MS, pvxen_xenbus_strstate(s));
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

static struct bus_type pvxen_xenbus_type = {
	.name = "pvxen",
	.match = pvxen_xenbus_match,
	.probe = pvxen_xenbus_probe,
	.remove = pvxen_xenbus_remove,
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
	if (!xenbus_up)
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

/* ---- discovery --------------------------------------------------------- */

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
	xenbus_wq = alloc_workqueue("pvxen-xenbus", WQ_UNBOUND, 0);
	if (!xenbus_wq)
		return -ENOMEM;
	ret = bus_register(&pvxen_xenbus_type);
	if (ret)
		goto destroy_wq;
	xenbus_up = true;
	ret = pvxen_xs_watch(&xenbus_watch, PVXEN_XENBUS_ROOT, NULL,
			     pvxen_xenbus_watch_cb);
	if (ret) {
		pr_err("xenbus: could not watch %s (%d)\n", PVXEN_XENBUS_ROOT,
		       ret);
		goto unregister_bus;
	}
	return 0;
unregister_bus:
	xenbus_up = false;
	bus_unregister(&pvxen_xenbus_type);
destroy_wq:
	destroy_workqueue(xenbus_wq);
	xenbus_wq = NULL;
	return ret;
}

void pvxen_xenbus_exit(void)
{
	struct device *d;

	if (!xenbus_up)
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
	xenbus_up = false;
	bus_unregister(&pvxen_xenbus_type);
	destroy_workqueue(xenbus_wq);
	xenbus_wq = NULL;
}
