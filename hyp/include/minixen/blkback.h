/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The block backend inside minixen: one PV disk (a "minixen,vbd" of the
 * boot configuration, its image in RAM) served to its domain over a
 * blkif ring (blkif.h), as Linux's blkback speaks the protocol, pure
 * ring logic (core/blkback.c). Who connects it when is xenbus's part.
 *
 * One page of ring (32 slots), one queue, no indirect segments, no
 * persistent grants: every segment's data moves with gnt_copy_hyp()
 * between the frontend's granted page and the image. Requests are
 * served where the frontend notifies, in its EVTCHNOP_send, at most
 * BLKBACK_BUDGET of them; what is left is served by blkback_resume()
 * before the next entry into any vCPU of the domain, a budget at a time.
 *
 * Hostile frontends: each request is copied out of the ring once, then
 * checked; a bad one gets an error response. A producer index more than
 * a ring ahead of the responses disconnects the disk with one line in
 * minixen's log (blkback_connected() says false then); minixen and the
 * other domains go on.
 *
 * Locking: @ctl serialises connect and disconnect, @lock guards the
 * ring. Lock order: @ctl, then @lock, then the frontend's grant lock
 * (gnt_copy_hyp(), gnt_pin()) or evtchn locks (binding, notifying),
 * then vGIC locks (the notification's kick). Call these functions with
 * no lock held.
 */
#ifndef MINIXEN_BLKBACK_H
#define MINIXEN_BLKBACK_H

#include <minixen/blkif.h>
#include <minixen/bootcfg.h>
#include <minixen/evtchn.h>
#include <minixen/lib.h>

struct domain;

/* Requests one event (or one resume) serves at most: half a ring */
#define BLKBACK_BUDGET		16

/**
 * struct blkback - one PV disk of a domain
 * @d: the frontend's domain
 * @devid: its "virtual-device"
 * @image: minixen's pointer to the image
 * @sectors: the image's size in 512-byte sectors (blkif's unit)
 * @sector_size: the disk's logical sector size, 512 or 4096
 * @readonly: writes get BLKIF_RSP_ERROR
 * @ctl: held while connecting or disconnecting
 * @lock: guards what follows
 * @connected: the ring is pinned and the channel bound
 * @more: requests were left after a budget (read without @lock too)
 * @ring_ref: the grant of the ring page
 * @sring: the ring page, pinned
 * @nr_slots: slots of the ring
 * @req_cons: requests taken; each is answered at once, so it is also
 *	the private response producer
 * @rsp_pushed: the response producer the frontend last saw
 * @hport: minixen's end of the event channel
 */
struct blkback {
	struct domain *d;
	u32 devid;
	u8 *image;
	u64 sectors;
	u32 sector_size;
	bool readonly;
	struct mx_lock ctl;
	struct mx_lock lock;
	bool connected;
	bool more;
	u32 ring_ref;
	struct blkif_sring *sring;
	u32 nr_slots;
	u32 req_cons;
	u32 rsp_pushed;
	evtchn_port_t hport;
};

void blkback_init(struct blkback *b, struct domain *d,
		  const struct vbdcfg *c, void *image);
int blkback_connect(struct blkback *b, u32 ring_ref, evtchn_port_t port,
		    const char *protocol);
void blkback_disconnect(struct blkback *b);
void blkback_resume(struct blkback *b);
bool blkback_connected(struct blkback *b);

#endif
