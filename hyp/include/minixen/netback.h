/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The network backend inside minixen: one PV network interface (a
 * "minixen,vif" of the boot configuration) served to its domain over
 * netif rings (netif.h) as Linux's netback speaks the protocol, its
 * frames switched to the other interfaces by a learning switch
 * (vswitch.h). Pure ring logic: core/netback.c (connecting, events,
 * resume), core/netback_tx.c (taking packets), core/netback_rx.c
 * (delivering them). Who connects it when is xenbus's part.
 *
 * An interface has 1..NETBACK_MAX_QUEUES queues, each a TX and an RX
 * ring of one page (256 slots) and either one event channel or a TX
 * and an RX one (feature-split-event-channels). Only copying receive
 * (feature-rx-copy), scatter-gather (NETTXF_more_data, up to
 * XEN_NETIF_NR_SLOTS_MIN slots), GSO extra info (TCPv4, TCPv6) and the
 * checksum flags, passed from the sender's TX to the receiver's RX.
 * All data moves by gnt_copy_hyp(): from the TX frames into the
 * queue's packet buffer (64 KiB, taken from the heap at its first
 * connection and kept), from there into the receivers' posted RX
 * frames. A receiver with too few RX frames posted, or that cannot
 * take the packet (GSO it did not ask for, more than a frame without
 * feature-sg, a blank checksum with feature-no-csum-offload), loses
 * the packet (counted); a sender is never held up.
 *
 * TX is served where the frontend notifies, in its EVTCHNOP_send, at
 * most NETBACK_BUDGET packets; what is left is served by
 * netback_resume() before the next entry into a vCPU of the domain.
 *
 * Hostile frontends: each slot is copied out of the ring once, then
 * checked. A packet that cannot be sent (a grant that cannot be copied,
 * size 0 or under ETH_HLEN in its first slot, slot sizes adding up to
 * more than the first slot's, more than XEN_NETIF_NR_SLOTS_MIN slots, a
 * bad extra info slot) gets NETIF_RSP_ERROR. What no frontend can mean
 * fails the interface: a producer index (TX or RX) more than a ring
 * ahead, a packet running past the TX producer, of NETBACK_FATAL_SLOTS
 * slots or more, with more than 4 extra slots, or a slot crossing its
 * 4 KiB frame. Then one line goes to minixen's log, the interface
 * stops at once (netback_connected() says false) and is disconnected
 * at its domain's next netback_resume(); minixen and the other
 * interfaces go on.
 *
 * Locking: @ctl (connect, disconnect), then a queue's @tx_lock, then
 * @rx_lock of one queue at a time of any interface (delivery holds
 * the sender's @tx_lock), then the switch's lock, the grant locks of
 * one domain at a time (gnt_copy_hyp(), gnt_pin()) and the evtchn
 * locks, then vGIC locks. No @rx_lock is held while a @tx_lock is
 * taken. Call these functions with no lock held.
 */
#ifndef MINIXEN_NETBACK_H
#define MINIXEN_NETBACK_H

#include <minixen/bootcfg.h>
#include <minixen/evtchn.h>
#include <minixen/lib.h>
#include <minixen/netif.h>

struct domain;

#define NETBACK_MAX_QUEUES	4
/* TX packets one event (or one resume) serves at most */
#define NETBACK_BUDGET		32
/* A packet of this many slots fails the interface (Linux's default) */
#define NETBACK_FATAL_SLOTS	20
/* Extra info slots after a packet's first */
#define NETBACK_MAX_EXTRAS	(XEN_NETIF_EXTRA_TYPE_MAX - 1)
#define NETBACK_BUF_SIZE	0x10000

/**
 * struct netback_qconf - a queue's keys, as its frontend wrote them
 * @tx_ref: "tx-ring-ref"
 * @rx_ref: "rx-ring-ref"
 * @tx_port: "event-channel", or "event-channel-tx"
 * @rx_port: "event-channel-rx", or @tx_port
 */
struct netback_qconf {
	u32 tx_ref;
	u32 rx_ref;
	u32 tx_port;
	u32 rx_port;
};

/**
 * struct netback_conf - what a frontend asks for
 * @nr_queues: 1..NETBACK_MAX_QUEUES
 * @split: separate TX and RX event channels
 * @q: each queue's keys
 * @sg: "feature-sg": it takes a packet in several RX frames
 * @gso4: "feature-gso-tcpv4": it takes TCPv4 GSO packets
 * @gso6: "feature-gso-tcpv6"
 * @no_csum: "feature-no-csum-offload": it wants no blank checksum
 */
struct netback_conf {
	u32 nr_queues;
	bool split;
	struct netback_qconf q[NETBACK_MAX_QUEUES];
	bool sg, gso4, gso6, no_csum;
};

/**
 * struct netback_stats - a queue's counters
 * @tx_packets: packets taken from TX and switched
 * @tx_errors: packets answered NETIF_RSP_ERROR
 * @rx_packets: packets delivered into RX
 * @rx_dropped: packets lost for want of RX frames or of a feature
 * @rx_errors: RX frames whose grant could not be written
 */
struct netback_stats {
	u64 tx_packets, tx_errors;
	u64 rx_packets, rx_dropped, rx_errors;
};

struct netback_vif;

/**
 * struct netback_queue - one TX and one RX ring of an interface
 * @vif: its interface
 * @idx: its number
 * @tx_lock: guards the TX fields and @buf
 * @tx_on: the TX ring is pinned, its channel bound
 * @more: TX requests were left after a budget (read without the lock)
 * @tx_ref: grant of the TX ring
 * @tx: the TX ring, pinned
 * @tx_cons: TX slots taken; each is answered with its packet, so it
 *	is also the private response producer
 * @tx_pushed: the TX response producer the frontend last saw
 * @tx_hport: minixen's end of the TX (or only) channel
 * @buf: the packet buffer, NETBACK_BUF_SIZE
 * @slot: copies of the current packet's data slots
 * @rx_lock: guards the RX fields
 * @rx_on: the RX ring is pinned
 * @rx_ref: grant of the RX ring
 * @rx: the RX ring, pinned
 * @rx_cons: RX requests taken, also the private response producer
 * @rx_pushed: the RX response producer the frontend last saw
 * @rx_hport: minixen's end of the RX channel (@tx_hport if not split)
 * @stats: counters (TX ones under @tx_lock, RX ones under @rx_lock)
 */
struct netback_queue {
	struct netback_vif *vif;
	u32 idx;
	struct mx_lock tx_lock;
	bool tx_on;
	bool more;
	u32 tx_ref;
	struct netif_tx_sring *tx;
	u32 tx_cons;
	u32 tx_pushed;
	evtchn_port_t tx_hport;
	u8 *buf;
	struct netif_tx_request slot[NETBACK_FATAL_SLOTS];
	struct mx_lock rx_lock;
	bool rx_on;
	u32 rx_ref;
	struct netif_rx_sring *rx;
	u32 rx_cons;
	u32 rx_pushed;
	evtchn_port_t rx_hport;
	struct netback_stats stats;
};

/**
 * struct netback_vif - one PV network interface of a domain
 * @d: the frontend's domain
 * @handle: its "handle" (device/vif/<handle>)
 * @mac: its address, as configured
 * @ctl: held while connecting or disconnecting
 * @connected: rings pinned, channels bound, plugged into the switch
 *	(written under @ctl and every queue's locks)
 * @failed: a fatal error was seen (atomic): nothing more is served
 * @port: its port on the switch
 * @nr_queues: queues connected
 * @split: separate TX and RX channels
 * @conf: the features the frontend asked for (RX side)
 * @q: the queues
 */
struct netback_vif {
	struct domain *d;
	u32 handle;
	u8 mac[6];
	struct mx_lock ctl;
	bool connected;
	u32 failed;
	int port;
	u32 nr_queues;
	bool split;
	struct netback_conf conf;
	struct netback_queue q[NETBACK_MAX_QUEUES];
};

void netback_init(struct netback_vif *vif, struct domain *d,
		  const struct vifcfg *c);
int netback_connect(struct netback_vif *vif, const struct netback_conf *c);
void netback_disconnect(struct netback_vif *vif);
void netback_resume(struct netback_vif *vif);
bool netback_connected(struct netback_vif *vif);

#endif
