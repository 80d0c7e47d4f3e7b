/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The block backend inside minixen: one PV disk (a "minixen,vbd" of the
 * boot configuration, its image in RAM) served to its domain over blkif
 * rings (blkif.h), as Linux's blkback speaks the protocol. Who connects
 * it when is xenbus's part (xenbus_vbd.h). Three files:
 * core/blkback.c (connecting the queues, events, resume),
 * core/blkback_ring.c (a queue's ring: taking requests, pushing
 * responses, the budget, lying producers), core/blkback_req.c (checking
 * a request and moving its data).
 *
 * What is offered, as Linux's blkback offers it:
 * - up to BLKBACK_MAX_QUEUES queues ("multi-queue-max-queues"), each its
 *   own ring, event channel, lock and budget;
 * - rings of up to 2^BLKBACK_MAX_RING_ORDER pages ("max-ring-page-order"),
 *   the slot count the largest power of two that fits (Xen's
 *   __CONST_RING_SIZE), every page pinned while connected;
 * - indirect requests of up to BLKBACK_MAX_INDIRECT_SEGS segments
 *   ("feature-max-indirect-segments"), their descriptors copied out of
 *   the indirect pages once into the queue's own buffer;
 * - "feature-persistent": every segment's data moves with gnt_copy_hyp()
 *   between the frontend's granted page and the image, so nothing is
 *   ever mapped; a frontend that keeps its grants and reuses them (what
 *   persistent means to it) is served the same way as one that grants
 *   afresh for each request;
 * - flush and barrier ("feature-flush-cache", "feature-barrier"): the
 *   image is RAM and requests complete in ring order, so both are done
 *   when taken; with segments they are writes, as blkback treats them;
 * - discard ("feature-discard"): the range is zeroed in the image.
 *
 * Requests are served where the frontend notifies, in its EVTCHNOP_send,
 * at most BLKBACK_BUDGET of that queue; what is left is served by
 * blkback_resume() before the next entry into any vCPU of the domain, a
 * budget per queue at a time.
 *
 * Hostile frontends: each request is copied out of the ring once, then
 * checked; a bad one gets an error response. A producer index more than
 * a ring ahead of a queue's responses disconnects that queue at once
 * and marks the disk faulted (blkback_connected() says false), with one
 * line in minixen's log; minixen, the disk's other queues until xenbus
 * disconnects it, and the other disks and domains go on.
 *
 * Memory: everything a disk may need is allocated by blkback_init()
 * (minixen's heap has no free) and reused across reconnections.
 *
 * Locking: @ctl serialises connect and disconnect; each queue's @lock
 * guards its ring. Lock order: @ctl, then one queue's @lock (never two
 * at once), then the frontend's grant lock (gnt_copy_hyp(), gnt_pin())
 * or evtchn locks (binding, notifying), then vGIC locks (the
 * notification's kick). Call these functions with no lock held.
 */
#ifndef MINIXEN_BLKBACK_H
#define MINIXEN_BLKBACK_H

#include <minixen/blkif.h>
#include <minixen/bootcfg.h>
#include <minixen/evtchn.h>
#include <minixen/lib.h>

struct domain;

/* Requests one event (or one resume) serves at most, per queue */
#define BLKBACK_BUDGET			16
/* "multi-queue-max-queues" */
#define BLKBACK_MAX_QUEUES		4
/* "max-ring-page-order": 16 pages, 512 slots */
#define BLKBACK_MAX_RING_ORDER		4
#define BLKBACK_MAX_RING_PAGES		BIT(BLKBACK_MAX_RING_ORDER)
/* "feature-max-indirect-segments", Linux blkback's MAX_INDIRECT_SEGMENTS */
#define BLKBACK_MAX_INDIRECT_SEGS	256

struct blkback;

/**
 * struct blkback_queue - one ring of a disk
 * @b: its disk
 * @idx: its index, N of the frontend's "queue-N"
 * @lock: guards what follows
 * @live: its pages are pinned and its channel bound
 * @more: requests were left after a budget (read without @lock too)
 * @nr_pages: pages of the ring
 * @refs: their grants
 * @pages: the pages, pinned; @pages[0] starts with the indices
 * @sring: @pages[0]
 * @nr_slots: slots of the ring
 * @req_cons: requests taken; each is answered at once, so it is also
 *	the private response producer
 * @rsp_pushed: the response producer the frontend last saw
 * @hport: minixen's end of the event channel
 * @segs: the segment descriptors of the indirect request being served
 *	(BLKBACK_MAX_INDIRECT_SEGS of them, allocated once)
 */
struct blkback_queue {
	struct blkback *b;
	u32 idx;
	struct mx_lock lock;
	bool live;
	bool more;
	u32 nr_pages;
	u32 refs[BLKBACK_MAX_RING_PAGES];
	void *pages[BLKBACK_MAX_RING_PAGES];
	struct blkif_sring *sring;
	u32 nr_slots;
	u32 req_cons;
	u32 rsp_pushed;
	evtchn_port_t hport;
	struct blkif_request_segment *segs;
};

/**
 * struct blkback_ring_cfg - what the frontend wrote for one queue
 * @refs: "ring-ref" (one page) or "ring-ref0".."ring-refN"
 * @port: "event-channel": a port unbound for DOMID_XEN
 */
struct blkback_ring_cfg {
	u32 refs[BLKBACK_MAX_RING_PAGES];
	evtchn_port_t port;
};

/**
 * struct blkback_conn - what the frontend wrote for a connection
 * @nr_queues: "multi-queue-num-queues", 1 if absent
 * @ring_order: "ring-page-order", 0 if absent
 * @protocol: "protocol", NULL if absent; only "arm-abi"
 * @persistent: its "feature-persistent"
 * @q: each queue's ring and channel
 */
struct blkback_conn {
	u32 nr_queues;
	u32 ring_order;
	const char *protocol;
	bool persistent;
	struct blkback_ring_cfg q[BLKBACK_MAX_QUEUES];
};

/**
 * struct blkback - one PV disk of a domain
 * @d: the frontend's domain
 * @devid: its "virtual-device"
 * @image: minixen's pointer to the image
 * @sectors: the image's size in 512-byte sectors (blkif's unit)
 * @sector_size: the disk's logical sector size, 512 or 4096
 * @readonly: writes, flushes and discards get BLKIF_RSP_ERROR
 * @ctl: held while connecting or disconnecting; guards what follows
 * @active: the queues are set up (some may have been dropped since)
 * @faulted: a queue was dropped for a lie (written under its lock)
 * @nr_queues: queues of the connection
 * @persistent: the frontend offered persistent grants (nothing changes)
 * @q: the queues, BLKBACK_MAX_QUEUES of them for the whole run
 */
struct blkback {
	struct domain *d;
	u32 devid;
	u8 *image;
	u64 sectors;
	u32 sector_size;
	bool readonly;
	struct mx_lock ctl;
	bool active;
	bool faulted;
	u32 nr_queues;
	bool persistent;
	struct blkback_queue q[BLKBACK_MAX_QUEUES];
};

int blkback_init(struct blkback *b, struct domain *d,
		 const struct vbdcfg *c, void *image);
int blkback_connect_rings(struct blkback *b, const struct blkback_conn *c);
int blkback_connect(struct blkback *b, u32 ring_ref, evtchn_port_t port,
		    const char *protocol);
void blkback_disconnect(struct blkback *b);
void blkback_resume(struct blkback *b);
bool blkback_connected(struct blkback *b);

#endif
