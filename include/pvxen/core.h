/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen: what pvxen-core.ko exports to the other pvxen modules.
 *
 * Lock order of pvxen-core and pvxen-blkfront, outermost first.  A lock
 * may be taken while holding only locks above it; lockdep checks this on
 * the debug kernel (the xen-debug and xen-blk-debug suites).
 *
 *   xenbus_lock (mutex)            bus scan in the watch thread, init/exit
 *                                  (xenbus-scan.c)
 *     device_lock(&xbdev->dev)     driver core: probe (async), remove
 *       blkf_info->mutex           connection state; otherend_work,
 *                                  resize_work, fail_work, debugfs, remove;
 *                                  the blk-mq queue freeze happens under it
 *         xbdev->lock (mutex)      state switches, dev_fatal
 *                                  (xenbus-state.c)
 *           xenstore requests      see below
 *         blkf_ring->lock (spin, irqsave)
 *           gt.lock (spin)         grant refs, waiters list, deferred list
 *                                  (sending an event is a hypercall under
 *                                  no pvxen lock; the late EOI comes after
 *                                  blkf_ring->lock is dropped)
 *
 * xenstore: xs.write_mutex (xenstore-comms.c: one request into the ring
 * at a time) -> xs.lock (spin: pending replies, ids, dead);
 * xs_watch.lock (xenstore-watch.c, spin, irq: watches, queued events,
 * which callback runs) is a leaf.  No xenstore lock is held while a
 * watch callback runs or while a request sleeps for its reply.
 *
 * Event channels (both locks in events-chip.c): pvxen_evtchn_mutex
 * (events.c: open, close, bind, unbind) -> the irq_desc lock (genirq) ->
 * pvxen_evtchn_mask_lock (raw spin, innermost: mask, unmask, late-EOI
 * state in events-lateeoi.c; queues the delayed unmask work under it).
 * Unbind and exit wait for that work while holding pvxen_evtchn_mutex;
 * the work takes only the mask lock.
 *
 * Leaves, taken with no other pvxen lock held: blkf_info->fail_lock
 * (spin, irqsave); the p2m xarray's lock.
 *
 * Never held across a sleep for the other end: xbdev->lock is dropped
 * before waiting for a backend; work items never take device_lock or
 * xenbus_lock; grant waiter callbacks run from a work item with no pvxen
 * lock held, and pvxen_gnttab_cancel_wait() may sleep, so it is called
 * with none held either.
 */
#ifndef _PVXEN_CORE_H
#define _PVXEN_CORE_H

#include <pvxen/xlate.h>

struct device;

int pvxen_dma_table_from_dev(struct device *dev, struct pvxen_dma_range *buf,
			     unsigned int max, struct pvxen_dma_table *out);

#endif /* _PVXEN_CORE_H */
