/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen-core: what the three files of the xenbus frontend bus share.
 *
 *   xenbus-scan.c   discovery: the watch on "device", adding and removing
 *                   devices; brings the bus up and down
 *   xenbus.c        the bus: matching, probe, remove, sysfs attributes,
 *                   driver registration, telling the driver about the
 *                   backend's state changes
 *   xenbus-state.c  the state of both ends: names, reading and switching
 *                   them, the fatal-error report, the bounded close and
 *                   reset handshakes; helpers for a device's nodes
 *
 * Calls go down only: xenbus-scan.c -> xenbus.c -> xenbus-state.c, and
 * xenbus-scan.c -> xenbus-state.c.
 */
#ifndef _PVXEN_XENBUS_INTERNAL_H
#define _PVXEN_XENBUS_INTERNAL_H

#include <linux/device.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include <pvxen/xenbus.h>

/* ---- xenbus-state.c ----------------------------------------------------- */

void pvxen_xenbus_set_closing(struct pvxen_xenbus_device *dev, bool closing);
void pvxen_xenbus_close(struct pvxen_xenbus_device *dev);
void pvxen_xenbus_reset_otherend(struct pvxen_xenbus_device *dev);

/* ---- xenbus.c ----------------------------------------------------------- */

extern struct bus_type pvxen_xenbus_type;
extern bool pvxen_xenbus_up;

void pvxen_xenbus_otherend_work(struct work_struct *work);
int pvxen_xenbus_bus_register(void);
void pvxen_xenbus_bus_unregister(void);

#endif /* _PVXEN_XENBUS_INTERNAL_H */
