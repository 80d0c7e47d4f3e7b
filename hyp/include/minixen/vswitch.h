/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A learning Ethernet switch between the network interfaces minixen
 * serves (core/vswitch.c), pure bookkeeping: ports are opaque owners
 * (the backend's interfaces), a frame's route is the owners it goes
 * to. Moving the data is the caller's part, after vswitch_route()
 * returns, so that the switch never calls back into its user.
 *
 * Source addresses are learnt per port in a table of VSWITCH_BUCKETS x
 * VSWITCH_WAYS entries: an entry not seen for VSWITCH_AGE_NS is
 * forgotten, and a full bucket gives its least recently seen entry to
 * a new address (a port flooding made-up addresses costs the others
 * only floods, never a wrong delivery). Unicast to a learnt address
 * goes to its port, to the frame's own port nowhere; broadcast,
 * multicast and unknown unicast go to every other port. A frame whose
 * source is multicast or all-zero goes nowhere and is not learnt.
 *
 * A zeroed struct vswitch is an empty switch. Locking: @lock guards
 * the ports and the table; it is a leaf (nothing is taken under it),
 * and the functions take it themselves.
 */
#ifndef MINIXEN_VSWITCH_H
#define MINIXEN_VSWITCH_H

#include <minixen/bootcfg.h>
#include <minixen/lib.h>

#define VSWITCH_PORTS		(MAX_DOMAINS * MAX_VIFS)
#define VSWITCH_BUCKETS		64
#define VSWITCH_WAYS		4
/* An address not seen for this long is forgotten (Linux bridges' 300 s) */
#define VSWITCH_AGE_NS		(300 * NSEC_PER_SEC)
#define ETH_ALEN		6
#define ETH_HLEN		14

/**
 * struct vswitch_mac - a learnt address
 * @addr: the Ethernet address
 * @port: where it was last seen as a source
 * @used: the entry holds an address
 * @seen: when (ns, the caller's clock)
 */
struct vswitch_mac {
	u8 addr[ETH_ALEN];
	u16 port;
	bool used;
	u64 seen;
};

/**
 * struct vswitch - the switch
 * @lock: guards what follows
 * @owner: each port's owner, NULL for a free port
 * @mac: the address table
 * @learnt: addresses learnt (new, or moved to another port)
 * @evicted: live entries given to another address
 */
struct vswitch {
	struct mx_lock lock;
	void *owner[VSWITCH_PORTS];
	struct vswitch_mac mac[VSWITCH_BUCKETS][VSWITCH_WAYS];
	u64 learnt;
	u64 evicted;
};

int vswitch_port_add(struct vswitch *sw, void *owner);
void vswitch_port_del(struct vswitch *sw, int port);
u32 vswitch_route(struct vswitch *sw, int port, const u8 *frame, u64 now,
		  void **to, u32 max);

#endif
