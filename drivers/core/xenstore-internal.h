/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen-core: what the three layers of the xenstore client share.
 *
 *   xenstore-watch.c  watches, their event queue and thread; brings the
 *                     client up and down and owns debugfs pvxen/xenstore
 *   xenstore.c        the request API and transactions
 *   xenstore-comms.c  the ring, its interrupt, sending a request and
 *                     matching its reply, fault injection
 *
 * Calls go down only (watch -> requests -> comms, and watch -> comms):
 * comms hands watch events up through the handler the watch layer gives
 * pvxen_xs_comms_init().
 */
#ifndef _PVXEN_XENSTORE_INTERNAL_H
#define _PVXEN_XENSTORE_INTERNAL_H

#include <linux/atomic.h>
#include <linux/types.h>

struct pvxen_xs_iov;
struct seq_file;

/**
 * struct pvxen_xs_stats - counters of the whole client (debugfs)
 * @in_flight: requests waiting for their reply
 * @requests: requests sent
 * @replies: replies handed to their waiter
 * @timeouts: requests that got no reply in time, or a ring that stayed full
 * @malformed: replies or events that broke the protocol
 * @discarded: replies nobody waited for (late, dropped by a fault)
 * @watch_events: well-formed watch events received
 */
struct pvxen_xs_stats {
	atomic_t in_flight;
	atomic64_t requests;
	atomic64_t replies;
	atomic64_t timeouts;
	atomic64_t malformed;
	atomic64_t discarded;
	atomic64_t watch_events;
};

/* ---- xenstore-comms.c --------------------------------------------------- */

extern struct pvxen_xs_stats pvxen_xs_stats;

/**
 * typedef pvxen_xs_event_fn - receives each well-formed watch event
 * @path: the path that changed, a valid xenstore path
 * @token: the token it came with, unchecked
 *
 * Called from the receive work, one event at a time, in ring order; both
 * strings live in the receive buffer only until it returns.  It may
 * allocate (GFP_KERNEL) but must never wait for a xenstore reply.
 */
typedef void (*pvxen_xs_event_fn)(const char *path, const char *token);

int pvxen_xs_comms_init(pvxen_xs_event_fn on_event);
void pvxen_xs_comms_exit(void);
int pvxen_xs_talk(u32 type, u32 tx, const struct pvxen_xs_iov *iov,
		  unsigned int n, char **reply, u32 *len);
void pvxen_xs_comms_show(struct seq_file *m);

/* ---- xenstore.c --------------------------------------------------------- */

int pvxen_xs_talk_ack(u32 type, u32 tx, const struct pvxen_xs_iov *iov,
		      unsigned int n);
char *pvxen_xs_join(const char *dir, const char *node);

#endif /* _PVXEN_XENSTORE_INTERNAL_H */
