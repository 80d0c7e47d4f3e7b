/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Xenstore for minixen's domains: the one store (core/xenstore_*.c,
 * xenstore.h) connected to each Xen-aware domain through a ring page and
 * an event channel to minixen's xenstore service, as Xen's dom0less
 * gives its domains (Documentation/minixen.md, "Xenstore").
 *
 * Requests are served where the domain notifies: in its EVTCHNOP_send,
 * one budget of the store (64 requests) at a time; what is left is
 * served before the next entry into any of the domain's vCPUs. One lock
 * guards the store; it is taken with no other lock held and is held
 * while evtchn and vGIC locks are taken to notify the domains.
 */
#ifndef MINIXEN_XEN_STORE_H
#define MINIXEN_XEN_STORE_H

#include <minixen/lib.h>
#include <minixen/xen_abi.h>

struct domain;

/*
 * The ring page's guest frame: in Xen's "magic" pages (GUEST_MAGIC_BASE,
 * outside guest RAM), at the offset libxl and dom0less give xenstore.
 */
#define XEN_STORE_GFN		((GUEST_MAGIC_BASE >> XEN_PAGE_SHIFT) + 1)

/* The store's memory, from minixen's heap, and what each domain may use. */
#define XEN_STORE_ARENA		0x100000UL	/* 1 MiB */
#define XEN_STORE_NODES		256	/* nodes a domain may own */
#define XEN_STORE_ENTRY		2048	/* bytes of one node */
#define XEN_STORE_WATCHES	64
#define XEN_STORE_TXS		10
#define XEN_STORE_OUTQ		16384	/* queued watch events, bytes */

/* Once at boot, before any domain: the store. 0 or a negative Xen errno. */
int xen_store_init(void);

/*
 * Connect Xen-aware @d: its ring page mapped at XEN_STORE_GFN, a channel
 * to the service (its end in HVM_PARAM_STORE_EVTCHN, the frame in
 * HVM_PARAM_STORE_PFN), /local/domain/<domid> as xl makes it. Domain 0
 * is privileged in the store (dom0's role there). Before @d first runs.
 * Returns 0 or a negative Xen errno.
 */
int xen_store_domain_init(struct domain *d);

/*
 * Before entering a vCPU of @d: serve the requests an event left
 * (cheap when there are none).
 */
void xen_store_resume(struct domain *d);

/*
 * @d has ended: its connection goes (its watches, transactions, queued
 * output), /local/domain/<domid> is removed (others' watches fire).
 */
void xen_store_domain_release(struct domain *d);

#endif
