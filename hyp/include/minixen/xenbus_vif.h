/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The xenbus side of minixen's network backend (core/xenbus_vif.c):
 * each network interface of a domain's boot configuration gets its
 * backend and frontend directories in xenstore as xl makes them, with
 * minixen (DOMID_XEN, 32754) as the backend domain, and follows the
 * frontend's state as Linux's netback does to connect and disconnect
 * its queues (netback.h):
 *
 *	frontend			backend
 *	Initialising (1)		InitWait (2), from boot
 *	Initialised (3), Connected (4)	connect: Connected (4), or Closing
 *					(5) if the frontend's keys are
 *					refused
 *	Closing (5)			disconnect: Closed (6)
 *	Closed (6)			disconnect: Closed, then InitWait
 *	Initialising after Closed	InitWait (a reconnection)
 *
 * An interface whose frontend failed it (netback.h) is disconnected and
 * sees Closing before its domain's next vCPU entry. When the domain
 * ends, its interfaces disconnect and their backend directories go.
 *
 * Hooks of core/domain.c and core/run.c, called with no lock held.
 * Locking: each interface's lock guards its backend state and is held
 * around netback_connect() and netback_disconnect() (so before
 * netback.h's locks), never around a xenstore call.
 */
#ifndef MINIXEN_XENBUS_VIF_H
#define MINIXEN_XENBUS_VIF_H

#include <minixen/bootcfg.h>
#include <minixen/lib.h>

struct domain;

int xenbus_vif_domain_init(struct domain *d, const struct domcfg *c);
void xenbus_vif_resume(struct domain *d);
void xenbus_vif_domain_release(struct domain *d);

#endif
