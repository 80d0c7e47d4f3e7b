/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The xenbus side of minixen's block backend (core/xenbus_vbd.c): each
 * disk of a domain's boot configuration gets its backend and frontend
 * directories in xenstore as xl makes them, with minixen (DOMID_XEN,
 * 32754) as the backend domain, and follows the frontend's state to
 * connect and disconnect its ring (blkback.h):
 *
 *	frontend			backend
 *	Initialising (1)		InitWait (2), from boot
 *	Initialised (3), Connected (4)	connect: Connected (4), or Closing
 *					(5) if the frontend's queues,
 *					ring-page-order, ring-refs,
 *					event-channels or protocol are
 *					refused
 *	Closing (5)			disconnect: Closed (6)
 *	Closed (6)			disconnect: Closed, then InitWait
 *	Initialising after Closed	InitWait (a reconnection)
 *
 * A frontend the ring logic disconnected (a lying producer index on any
 * of its queues) sees Closing before its next vCPU entry. When the domain ends, its disks
 * disconnect and their backend directories go.
 *
 * Hooks of core/domain.c and core/run.c, called with no lock held.
 * Locking: each disk's lock guards its backend state and is held
 * around blkback_connect() and blkback_disconnect() (so before
 * blkback.h's locks), never around a xenstore call; xenstore watch
 * callbacks run with no lock held (xen_store.h).
 */
#ifndef MINIXEN_XENBUS_VBD_H
#define MINIXEN_XENBUS_VBD_H

#include <minixen/bootcfg.h>
#include <minixen/lib.h>

struct domain;

int xenbus_vbd_domain_init(struct domain *d, const struct domcfg *c);
void xenbus_vbd_resume(struct domain *d);
void xenbus_vbd_domain_release(struct domain *d);

#endif
