/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Xenstore for minixen's domains: what xen_store.c (the domains'
 * connections) takes from xen_store_hyp.c (the store, its lock and
 * minixen's own clients). The calls go one way only.
 */
#ifndef MINIXEN_XEN_STORE_PRIV_H
#define MINIXEN_XEN_STORE_PRIV_H

#include <minixen/xenstore.h>

/*
 * Make the store, once at boot: its arena from minixen's heap, @cfg's
 * quotas and hooks. Returns 0 or a negative Xen errno.
 */
int xen_store_open(const struct xs_config *cfg);
/* Is there a store (xen_store_open() done)? */
bool xen_store_ready(void);

/*
 * Take the store's lock: the store, or NULL (lock not taken) if there is
 * none. xen_store_unlock() drops it and then hands the watch events of
 * minixen's own clients to their callbacks, with no xenstore lock held.
 */
struct xs_store *xen_store_lock(void);
void xen_store_unlock(void);

#endif
