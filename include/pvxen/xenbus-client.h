/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen xenbus client helpers: what every frontend does to open a
 * connection to its backend, once, in pvxen-core.
 *
 * - Shared rings: pvxen_xenbus_ring_setup() allocates 2^order zeroed
 *   pages, contiguous in the frontend, and grants each to the backend;
 *   pvxen_xenbus_ring_teardown() ends the grants (a page the backend still
 *   maps goes to pvxen-core's deferred reclaim, never back to the
 *   allocator while mapped) and frees the rest.
 * - Event channels: pvxen_xenbus_evtchn_setup() opens an unbound port for
 *   the backend and binds it to a late-EOI interrupt (a backend cannot
 *   storm a handler that has not acknowledged the last event);
 *   pvxen_xenbus_evtchn_teardown() undoes both.
 * - Keys: pvxen_xenbus_write_ring() writes "<node>" for a one-page ring,
 *   "<node>0".."<node>N-1" for more; pvxen_xenbus_write_evtchn() the port;
 *   pvxen_xenbus_queue_dir() names where queue I's keys go (the device
 *   directory itself for one queue, "queue-I" under it for several);
 *   pvxen_xenbus_remove_keys() removes what an earlier connection may
 *   have left with another layout.
 * - Backend features: pvxen_xenbus_read_uint() with a default for a key
 *   that is missing or unreadable.
 *
 * None of these switches the device's state or reports errors to
 * xenstore: the caller says what failed (pvxen_xenbus_dev_fatal()).
 */
#ifndef _PVXEN_XENBUS_CLIENT_H
#define _PVXEN_XENBUS_CLIENT_H

#include <linux/bits.h>
#include <linux/interrupt.h>
#include <linux/types.h>

#include <xen/interface/event_channel.h>
#include <xen/interface/grant_table.h>
#include <xen/interface/io/ring.h>

#include <pvxen/xenbus.h>

/* As Linux's XENBUS_MAX_RING_GRANT_ORDER: 16 pages. */
#define PVXEN_XENBUS_MAX_RING_ORDER	4
#define PVXEN_XENBUS_MAX_RING_PAGES	BIT(PVXEN_XENBUS_MAX_RING_ORDER)
#define PVXEN_XENBUS_NO_REF		((grant_ref_t)~0u)

/**
 * struct pvxen_xenbus_ring - a shared ring's pages, granted to a backend
 * @va: the first page (SHARED_RING_INIT() it), NULL when not set up
 * @nr_pages: 2^order
 * @refs: the grant of each page, PVXEN_XENBUS_NO_REF where none
 */
struct pvxen_xenbus_ring {
	void *va;
	unsigned int nr_pages;
	grant_ref_t refs[PVXEN_XENBUS_MAX_RING_PAGES];
};

/**
 * struct pvxen_xenbus_evtchn - an event channel to a backend, bound
 * @port: the local port, 0 when none
 * @irq: its interrupt, 0 when none
 * @name: the interrupt's name in /proc/interrupts
 */
struct pvxen_xenbus_evtchn {
	evtchn_port_t port;
	int irq;
	char name[32];
};

/**
 * pvxen_ring_rsp_overrun() - Is the backend's response producer a lie?
 * @r: a front ring (struct *_front_ring)
 * @rp: the response producer index the backend wrote, read once
 *
 * True when @rp claims more responses than requests are outstanding, or
 * went backwards (the unsigned distance is then huge): either way the
 * ring is broken and no response may be read.
 */
#define pvxen_ring_rsp_overrun(r, rp)					\
	({								\
		typeof(r) __r = (r);					\
		RING_IDX __rp = (rp);					\
									\
		__rp - __r->rsp_cons > __r->req_prod_pvt - __r->rsp_cons; \
	})

int pvxen_xenbus_ring_setup(struct pvxen_xenbus_device *dev,
			    unsigned int order, struct pvxen_xenbus_ring *ring);
unsigned int pvxen_xenbus_ring_teardown(struct pvxen_xenbus_ring *ring);

__printf(5, 6)
int pvxen_xenbus_evtchn_setup(struct pvxen_xenbus_device *dev,
			      struct pvxen_xenbus_evtchn *ch,
			      irq_handler_t handler, void *dev_id,
			      const char *fmt, ...);
void pvxen_xenbus_evtchn_teardown(struct pvxen_xenbus_evtchn *ch,
				  void *dev_id);

int pvxen_xenbus_write_ring(u32 tx, const char *dir, const char *node,
			    const struct pvxen_xenbus_ring *ring);
int pvxen_xenbus_write_evtchn(u32 tx, const char *dir, const char *node,
			      const struct pvxen_xenbus_evtchn *ch);
char *pvxen_xenbus_queue_dir(struct pvxen_xenbus_device *dev,
			     unsigned int nr_queues, unsigned int i);
int pvxen_xenbus_remove_keys(u32 tx, const char *dir,
			     const char * const *prefixes, unsigned int n);
unsigned int pvxen_xenbus_read_uint(const char *dir, const char *node,
				    unsigned int def);

#endif /* _PVXEN_XENBUS_CLIENT_H */
