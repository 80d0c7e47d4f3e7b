/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen xenbus: the frontend bus pvxen-core exports to frontend drivers.
 *
 * Every xenstore node device/<type>/<id> of this domain that names a
 * backend is a struct pvxen_xenbus_device on the "pvxen" bus
 * (/sys/bus/pvxen/devices/<type>-<id>, attributes nodename, devtype,
 * otherend, otherend_id, state).  Drivers register for device types; a
 * bound device's backend state ("<otherend>/state") is watched and every
 * change is passed to the driver's otherend_changed().
 *
 * When a driver is unbound (driver unregistered, device removed or
 * pvxen-core unloaded) the bus first stops passing backend changes to the
 * driver (waiting for one in progress to finish), then closes the
 * connection: the frontend goes Closing, waits (bounded) for the backend
 * to follow, goes Closed; then the driver's remove() runs.
 *
 * Nothing that waits for a backend runs in the xenstore watch thread,
 * which every device shares: backend changes reach the driver from a
 * work item of the device (one at a time per device, devices in
 * parallel), and probes run asynchronously (the bus prefers asynchronous
 * probing), so a backend that stalls its device stalls no other.
 */
#ifndef _PVXEN_XENBUS_H
#define _PVXEN_XENBUS_H

#include <linux/compiler.h>
#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include <pvxen/xenstore.h>
#include <pvxen/xs_wire.h>

/**
 * struct pvxen_xenbus_device - a frontend device
 * @devicetype: the <type> of device/<type>/<id>, e.g. "vif"
 * @nodename: "device/<type>/<id>" (relative to the domain's home)
 * @otherend: backend path, e.g. "/local/domain/0/backend/vif/1/0"
 * @otherend_id: backend domain
 * @state: this end's XenbusState, as last written by
 *	pvxen_xenbus_switch_state() (or read at discovery)
 * @otherend_watch: watch on "<otherend>/state" while a driver is bound
 * @lock: serialises state switches (protects @state and @closing)
 * @closing: the core is closing the device for its driver's removal:
 *	only Closing and Closed may be switched to
 * @unbinding: the core is unbinding the driver (set before it waits for
 *	a backend change being handled): a driver waiting for its backend
 *	in otherend_changed() should stop waiting
 *	(pvxen_xenbus_unbinding())
 * @otherend_work: passes the backend's state to the driver
 * @dev: the Linux device
 */
struct pvxen_xenbus_device {
	const char *devicetype;
	const char *nodename;
	char *otherend;
	int otherend_id;
	enum pvxen_xenbus_state state;
	struct pvxen_xs_watch otherend_watch;
	struct mutex lock; /* protects state, closing */
	bool closing;
	bool unbinding;
	struct work_struct otherend_work;
	struct device dev;
};

#define to_pvxen_xenbus_device(d) \
	container_of(d, struct pvxen_xenbus_device, dev)

/**
 * struct pvxen_xenbus_device_id - a device type a driver handles
 * @devicetype: e.g. "vbd"; an empty string ends a table
 */
struct pvxen_xenbus_device_id {
	char devicetype[32];
};

/**
 * struct pvxen_xenbus_driver - a frontend driver
 * @name: driver name (defaults to the module name)
 * @ids: device types handled, ended by an empty entry
 * @probe: a device was found; the backend details are read and its state
 *	is watched already.  Return 0 or a negative errno.
 * @otherend_changed: the backend's state changed (process context, from
 *	the device's own work item: it may wait for its backend, bounded,
 *	and should stop waiting once pvxen_xenbus_unbinding())
 * @remove: the device goes away, after the closing handshake
 * @driver: the Linux driver (private)
 */
struct pvxen_xenbus_driver {
	const char *name;
	const struct pvxen_xenbus_device_id *ids;
	int (*probe)(struct pvxen_xenbus_device *dev,
		     const struct pvxen_xenbus_device_id *id);
	void (*otherend_changed)(struct pvxen_xenbus_device *dev,
				 enum pvxen_xenbus_state backend_state);
	void (*remove)(struct pvxen_xenbus_device *dev);
	struct device_driver driver;
};

#define to_pvxen_xenbus_driver(d) \
	container_of(d, struct pvxen_xenbus_driver, driver)

int __pvxen_xenbus_register_driver(struct pvxen_xenbus_driver *drv,
				   struct module *owner, const char *mod_name);
#define pvxen_xenbus_register_driver(drv) \
	__pvxen_xenbus_register_driver(drv, THIS_MODULE, KBUILD_MODNAME)
void pvxen_xenbus_unregister_driver(struct pvxen_xenbus_driver *drv);

int pvxen_xenbus_switch_state(struct pvxen_xenbus_device *dev,
			      enum pvxen_xenbus_state state);
enum pvxen_xenbus_state pvxen_xenbus_read_state(const char *path);
const char *pvxen_xenbus_strstate(enum pvxen_xenbus_state state);
int pvxen_xenbus_read_otherend_details(struct pvxen_xenbus_device *dev,
				       const char *id_node,
				       const char *path_node);
__printf(3, 4)
void pvxen_xenbus_dev_fatal(struct pvxen_xenbus_device *dev, int err,
			    const char *fmt, ...);
__printf(3, 4)
int pvxen_xenbus_printf(struct pvxen_xenbus_device *dev, const char *node,
			const char *fmt, ...);
__scanf(3, 4)
int pvxen_xenbus_scanf(struct pvxen_xenbus_device *dev, const char *node,
		       const char *fmt, ...);

/**
 * pvxen_xenbus_unbinding() - Is the core unbinding the device's driver?
 * @dev: the device
 *
 * A hint, read without the lock, for a driver waiting for its backend in
 * otherend_changed(): once true, the unbind waits for that wait.
 *
 * Return: true from the start of the unbind until remove() returned.
 */
static inline bool pvxen_xenbus_unbinding(struct pvxen_xenbus_device *dev)
{
	return READ_ONCE(dev->unbinding);
}

#endif /* _PVXEN_XENBUS_H */
