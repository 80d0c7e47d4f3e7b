/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The block backend's parts (minixen/blkback.h): what core/blkback.c,
 * core/blkback_ring.c and core/blkback_req.c call of each other.
 */
#ifndef MINIXEN_BLKBACK_PRIV_H
#define MINIXEN_BLKBACK_PRIV_H

#include <minixen/blkback.h>
#include <minixen/domain.h>

/* blkback_ring.c: a queue's ring */
int blkback_ring_attach(struct blkback_queue *q, const u32 *refs,
			u32 nr_pages);
void blkback_ring_detach(struct blkback_queue *q);
void blkback_queue_drop(struct blkback_queue *q);
bool blkback_serve(struct blkback_queue *q);

/* blkback_req.c: one request */
u32 blkback_request(struct blkback_queue *q, const union blkif_sring_entry *e,
		    struct blkif_response *rsp);

#endif
