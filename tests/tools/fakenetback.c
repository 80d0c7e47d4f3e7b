// SPDX-License-Identifier: GPL-2.0-only
/*
 * fakenetback: a netif backend for tests, run in dom0, that can lie.
 *
 * It plays both the toolstack and netback for one vif of a domU: it
 * creates the frontend node device/vif/DEVID of DOMID and its own backend
 * node backend/vif/DOMID/DEVID (MAC 00:16:3e:fb:00:DEVID), offers
 * feature-rx-copy and feature-sg, one queue and one event channel, and
 * connects when the frontend is Connected (netif's order).  It carries no
 * traffic anywhere: each packet the frontend sends is answered, and
 * answered with one received packet of its own (60 bytes, broadcast,
 * ethertype 0x88b5, from the vif's MAC), while the frontend has receive
 * buffers posted.  In MODE good nothing else happens; every other MODE
 * injects one fault at the trigger packet, the first packet sent (after:N:
 * the one after the first N):
 *
 *   tx-bad-id     the trigger's TX response carries id 256 (out of range)
 *   tx-dup        the trigger (a packet of one slot) is kept in flight;
 *                 the next packet is answered with the trigger's id
 *                 twice: the second is no longer in flight
 *   tx-null       the trigger is answered with status NULL, which only
 *                 an extra-info slot may have
 *   tx-overrun    answered, then rsp_prod pushed overrun:N (default 1000)
 *                 entries further; nothing more is served
 *   tx-backwards  answered, then rsp_prod moved back 2 entries
 *   tx-hold       from the trigger on no TX slot is answered, and the
 *                 first pages sent (up to 64) stay mapped until it is
 *                 stopped, even once the frontend is Closed
 *   rx-bad-id     the received packet's response has another slot's id
 *   rx-offset     ... offset 4000 and size 200 (beyond the page)
 *   rx-size       ... offset 0 and size 5000 (beyond the page)
 *   rx-extra      ... an extra-info slot behind it, of type 7 (unknown)
 *   rx-overrun    ... then rx rsp_prod pushed overrun:N entries further
 *   rx-hold       ... 1000 bytes long (too long to be copied), its buffer
 *                 kept mapped until it is stopped, even once the frontend
 *                 is Closed
 *   silent        from the trigger on, answer nothing
 *   storm         answer, then send storm:N events (default 100000) on
 *                 the event channel as fast as they go, no response
 *                 behind any of them
 *
 *   fakenetback DOMID WORD [KEY:VALUE...]   (the dom0 agent's form: WORD
 *       a MODE, or stop, wait, log; tests/tools/fakeback.h)
 *   fakenetback -f DOMID MODE [KEY:VALUE...]
 *
 * KEYs: devid (default 9), after, overrun, storm, trusted (written as the
 * frontend's "trusted"), timeout, follow.  The summary line:
 *   fakenetback: summary domid=D vif=N mode=M tx_packets=N tx_slots=N
 *   rx_packets=N held=N errors=N faults=N storm=N end=REASON rc=N
 */
#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xen/io/netif.h>

#include "fakeback.h"

#define TX_SLOTS	256
#define RX_SLOTS	256
#define MAX_HELD	64
#define FRAME_LEN	60
#define ETHERTYPE_TEST	0x88b5

static_assert(offsetof(struct netif_tx_sring, ring) == 64, "sring header");
static_assert(sizeof(union netif_tx_sring_entry) == 12, "netif TX entry");
static_assert(sizeof(union netif_rx_sring_entry) == 8, "netif RX entry");
static_assert(64 + TX_SLOTS * 12 <= PAGE && 64 + 2 * TX_SLOTS * 12 > PAGE,
	      "TX ring of one page");
static_assert(64 + RX_SLOTS * 8 <= PAGE && 64 + 2 * RX_SLOTS * 8 > PAGE,
	      "RX ring of one page");
static_assert(sizeof(struct netif_extra_info) == 8, "extra-info slot");

enum mode {
	M_GOOD, M_TX_BAD_ID, M_TX_DUP, M_TX_NULL, M_TX_OVERRUN,
	M_TX_BACKWARDS, M_TX_HOLD, M_RX_BAD_ID, M_RX_OFFSET, M_RX_SIZE,
	M_RX_EXTRA, M_RX_OVERRUN, M_RX_HOLD, M_SILENT, M_STORM,
};

static const char *const mode_names[] = {
	[M_GOOD] = "good", [M_TX_BAD_ID] = "tx-bad-id", [M_TX_DUP] = "tx-dup",
	[M_TX_NULL] = "tx-null", [M_TX_OVERRUN] = "tx-overrun",
	[M_TX_BACKWARDS] = "tx-backwards", [M_TX_HOLD] = "tx-hold",
	[M_RX_BAD_ID] = "rx-bad-id", [M_RX_OFFSET] = "rx-offset",
	[M_RX_SIZE] = "rx-size", [M_RX_EXTRA] = "rx-extra",
	[M_RX_OVERRUN] = "rx-overrun", [M_RX_HOLD] = "rx-hold",
	[M_SILENT] = "silent",
	[M_STORM] = "storm",
};

static struct {
	unsigned long devid;
	unsigned long after;
	unsigned long overrun;
} cfg = { .devid = 9, .overrun = 1000 };

static struct {
	unsigned long tx_packets, tx_slots, rx_packets, held, errors;
} st;

static struct {
	struct gmap tx_map, rx_map;
	struct netif_tx_sring *tx;
	struct netif_rx_sring *rx;
	unsigned int port;
	RING_IDX tx_cons, tx_rsp, rx_cons, rx_rsp;
	bool tx_hold;			/* answer no TX slot any more */
	struct gmap held[MAX_HELD];
	unsigned int nr_held;
	bool dup_armed;			/* tx-dup: the next packet gets dup_id */
	uint16_t dup_id;
} ring;

static void mac_of(uint8_t *mac)
{
	static const uint8_t base[5] = { 0x00, 0x16, 0x3e, 0xfb, 0x00 };

	memcpy(mac, base, sizeof(base));
	mac[5] = fb.id & 0xff;
}

/* ---- the device --------------------------------------------------------- */

static int create_nodes(void)
{
	struct fb_kv bk[16], fk[8];
	int nb = 0, nf = 0;
	uint8_t m[6];
	char mac[24];

	mac_of(m);
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1],
		 m[2], m[3], m[4], m[5]);
	fb_kv_add(bk, &nb, "handle", "%lu", fb.id);
	fb_kv_add(bk, &nb, "mac", "%s", mac);
	fb_kv_add(bk, &nb, "type", "fakenetback");
	fb_kv_add(bk, &nb, "feature-rx-copy", "1");
	fb_kv_add(bk, &nb, "feature-rx-flip", "0");
	fb_kv_add(bk, &nb, "feature-sg", "1");
	fb_kv_add(bk, &nb, "feature-gso-tcpv4", "0");
	fb_kv_add(bk, &nb, "feature-gso-tcpv6", "0");
	fb_kv_add(bk, &nb, "feature-ipv6-csum-offload", "0");
	fb_kv_add(bk, &nb, "feature-split-event-channels", "0");
	fb_kv_add(fk, &nf, "handle", "%lu", fb.id);
	fb_kv_add(fk, &nf, "mac", "%s", mac);
	static_assert(ARRAY_SIZE(bk) >= 10 + FB_KV_GENERIC &&
		      ARRAY_SIZE(fk) >= 2 + FB_KV_GENERIC, "key tables");
	return fb_create_nodes(bk, nb, fk, nf, NULL);
}

static void disconnect_rings(void)
{
	if (!fb.connected)
		return;
	evtchn_unbind(ring.port);
	gnt_unmap(&ring.tx_map);
	gnt_unmap(&ring.rx_map);
	ring.tx = NULL;
	ring.rx = NULL;
	while (ring.nr_held)
		gnt_unmap(&ring.held[--ring.nr_held]);
	fb.connected = false;
	fb_log("rings unmapped, event channel unbound, held pages given back");
}

/* The frontend is Connected: map its rings, bind its channel, connect. */
static int connect_rings(void)
{
	unsigned long txref, rxref, evtchn, v;
	uint32_t ref;
	int err, port;

	if (!xs_read_ulong(fb.fe, "multi-queue-num-queues", &v) && v != 1) {
		fb_log("frontend wrote multi-queue-num-queues %lu, never offered",
		       v);
		return -EINVAL;
	}
	if (xs_read_ulong(fb.fe, "request-rx-copy", &v) || v != 1) {
		fb_log("frontend did not request rx-copy");
		return -EINVAL;
	}
	err = xs_read_ulong(fb.fe, "tx-ring-ref", &txref);
	if (!err)
		err = xs_read_ulong(fb.fe, "rx-ring-ref", &rxref);
	if (!err)
		err = xs_read_ulong(fb.fe, "event-channel", &evtchn);
	if (err || txref > UINT32_MAX || rxref > UINT32_MAX ||
	    evtchn > UINT32_MAX) {
		fb_log("frontend tx-ring-ref/rx-ring-ref/event-channel missing or invalid (%s)",
		       err ? strerror(-err) : "out of range");
		return err ? err : -EINVAL;
	}
	ref = txref;
	err = gnt_map(&ref, 1, 1, &ring.tx_map);
	if (err) {
		fb_log("mapping tx-ring-ref %lu: %s", txref, strerror(-err));
		return err;
	}
	ref = rxref;
	err = gnt_map(&ref, 1, 1, &ring.rx_map);
	if (err) {
		fb_log("mapping rx-ring-ref %lu: %s", rxref, strerror(-err));
		goto unmap_tx;
	}
	port = evtchn_bind(evtchn);
	if (port < 0) {
		err = port;
		fb_log("binding event channel %lu: %s", evtchn, strerror(-err));
		goto unmap_rx;
	}
	ring.port = port;
	ring.tx = ring.tx_map.addr;
	ring.rx = ring.rx_map.addr;
	/* The frontend initialised the rings; start where they are. */
	ring.tx_cons = __atomic_load_n(&ring.tx->rsp_prod, __ATOMIC_ACQUIRE);
	ring.tx_rsp = ring.tx_cons;
	ring.rx_cons = __atomic_load_n(&ring.rx->rsp_prod, __ATOMIC_ACQUIRE);
	ring.rx_rsp = ring.rx_cons;
	fb.connected = true;
	fb_log("tx-ring-ref %lu, rx-ring-ref %lu mapped, event channel %lu bound to port %d",
	       txref, rxref, evtchn, port);
	return fb_set_be_state(ST_CONNECTED);
unmap_rx:
	gnt_unmap(&ring.rx_map);
unmap_tx:
	gnt_unmap(&ring.tx_map);
	return err;
}

/* ---- responses ---------------------------------------------------------- */

static void put_tx(uint16_t id, int16_t status)
{
	struct netif_tx_response r = { .id = id, .status = status };

	memcpy(&ring.tx->ring[ring.tx_rsp++ & (TX_SLOTS - 1)].rsp, &r, sizeof(r));
}

static void put_rx(const struct netif_rx_response *r)
{
	memcpy(&ring.rx->ring[ring.rx_rsp++ & (RX_SLOTS - 1)].rsp, r, sizeof(*r));
}

/* Make the responses visible (at @prod) and tell the frontend. */
static void push(RING_IDX *shared, RING_IDX prod)
{
	if (__atomic_load_n(shared, __ATOMIC_RELAXED) == prod)
		return;
	__atomic_store_n(shared, prod, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	evtchn_notify(ring.port);	/* always: a test tool, not a fast one */
}

/* The next receive buffer the frontend posted, if any. */
static bool take_rx(struct netif_rx_request *req)
{
	RING_IDX rp = __atomic_load_n(&ring.rx->req_prod, __ATOMIC_ACQUIRE);

	if (rp == ring.rx_cons || rp - ring.rx_cons > RX_SLOTS)
		return false;
	memcpy(req, (const void *)&ring.rx->ring[ring.rx_cons++ &
						 (RX_SLOTS - 1)].req,
	       sizeof(*req));
	return true;
}

/* Write our frame into the frontend's buffer @gref. */
static int fill_frame(uint32_t gref)
{
	struct gmap m;
	uint8_t *p;
	int err;

	err = gnt_map(&gref, 1, 1, &m);
	if (err) {
		st.errors++;
		fb_log("mapping RX buffer gref %u: %s", gref, strerror(-err));
		return err;
	}
	p = m.addr;
	memset(p, 0, FRAME_LEN);
	memset(p, 0xff, 6);
	mac_of(p + 6);
	p[12] = ETHERTYPE_TEST >> 8;
	p[13] = ETHERTYPE_TEST & 0xff;
	gnt_unmap(&m);
	return 0;
}

/* One received packet for the frontend, with @fault's lie if not good. */
static void send_rx(enum mode fault)
{
	struct netif_rx_request req, req2;
	struct netif_rx_response r;
	struct netif_extra_info ex = { .type = 7 };

	if (!take_rx(&req))
		return;		/* no buffer posted: nothing received */
	if (fill_frame(req.gref)) {
		r = (struct netif_rx_response){ .id = req.id, .status = -1 };
		put_rx(&r);
		goto push;
	}
	r = (struct netif_rx_response){
		.id = req.id, .offset = 0, .flags = NETRXF_data_validated,
		.status = FRAME_LEN,
	};
	switch (fault) {
	case M_RX_BAD_ID:
		r.id = (req.id + 1) & (RX_SLOTS - 1);
		fb_log("FAULT rx-bad-id: buffer id %u answered with id %u",
		       req.id, r.id);
		break;
	case M_RX_OFFSET:
		r.offset = 4000;
		r.status = 200;
		fb_log("FAULT rx-offset: offset 4000, size 200 in buffer id %u",
		       req.id);
		break;
	case M_RX_SIZE:
		r.status = 5000;
		fb_log("FAULT rx-size: offset 0, size 5000 in buffer id %u",
		       req.id);
		break;
	case M_RX_HOLD:
		r.status = 1000;
		if (ring.nr_held == MAX_HELD ||
		    gnt_map(&req.gref, 1, 1, &ring.held[ring.nr_held])) {
			st.errors++;
			fb_log("rx-hold: could not map buffer id %u", req.id);
			break;
		}
		ring.nr_held++;
		st.held++;
		fb_log("FAULT rx-hold: 1000 bytes in buffer id %u, kept mapped",
		       req.id);
		break;
	case M_RX_EXTRA:
		if (!take_rx(&req2)) {
			fb_log("rx-extra: only one buffer posted");
			break;
		}
		r.flags |= NETRXF_extra_info;
		put_rx(&r);
		memcpy(&r, &ex, sizeof(ex));
		fb_log("FAULT rx-extra: extra-info type 7 behind buffer id %u",
		       req.id);
		break;
	default:
		break;
	}
	if (fault != M_GOOD && fault != M_RX_OVERRUN)
		fb.faults++;
	put_rx(&r);
	st.rx_packets++;
push:
	push(&ring.rx->rsp_prod, ring.rx_rsp);
	if (fault == M_RX_OVERRUN) {
		fb.faults++;
		fb_log("FAULT rx-overrun: rx rsp_prod %u + %lu", ring.rx_rsp,
		       cfg.overrun);
		ring.rx_rsp += cfg.overrun;
		push(&ring.rx->rsp_prod, ring.rx_rsp);
		fb.stalled = true;
	}
}

/* tx-hold: keep the packet's first page mapped, answer nothing. */
static void hold(const struct netif_tx_request *first)
{
	uint32_t gref = first->gref;

	if (ring.nr_held == MAX_HELD)
		return;
	if (gnt_map(&gref, 1, 0, &ring.held[ring.nr_held])) {
		st.errors++;
		return;
	}
	ring.nr_held++;
	st.held++;
}

/* Answer one packet of @slots slots at @first (its first request). */
static void answer_packet(const struct netif_tx_request *first, RING_IDX at,
			  unsigned int slots)
{
	bool trigger = fb.mode != M_GOOD && !fb.faults &&
		       st.tx_packets >= cfg.after;
	RING_IDX i;

	st.tx_packets++;
	st.tx_slots += slots;
	if (ring.tx_hold) {
		hold(first);
		return;
	}
	if (ring.dup_armed) {
		/* The trigger's answer, then this packet's with its id too. */
		ring.dup_armed = false;
		fb.faults++;
		fb_log("FAULT tx-dup: packet id %u answered, then packet id %u answered with id %u",
		       ring.dup_id, first->id, ring.dup_id);
		put_tx(ring.dup_id, NETIF_RSP_OKAY);
		put_tx(ring.dup_id, NETIF_RSP_OKAY);
		for (i = 1; i < slots; i++)
			put_tx(0, NETIF_RSP_NULL);
		return;
	}
	if (trigger && fb.mode == M_TX_DUP && slots == 1) {
		/* Kept in flight, so that the next packet has another id. */
		ring.dup_armed = true;
		ring.dup_id = first->id;
		fb_log("tx-dup: packet id %u kept; the next one's answer repeats it",
		       first->id);
		return;
	}
	if (trigger && fb.mode == M_SILENT) {
		fb.faults++;
		fb.stalled = true;
		fb_log("FAULT silent: packet id %u on: no answer", first->id);
		return;
	}
	if (trigger && fb.mode == M_TX_HOLD) {
		fb.faults++;
		ring.tx_hold = true;
		fb_log("FAULT tx-hold: packet id %u on: no answer, pages held",
		       first->id);
		hold(first);
		return;
	}
	for (i = 0; i < slots; i++) {
		struct netif_tx_request r;
		int16_t status = NETIF_RSP_OKAY;
		uint16_t id;

		memcpy(&r, (const void *)&ring.tx->ring[(at + i) &
						       (TX_SLOTS - 1)].req,
		       sizeof(r));
		id = r.id;
		/* An extra-info slot (behind a first with extra_info). */
		if (i == 1 && (first->flags & NETTXF_extra_info))
			status = NETIF_RSP_NULL;
		if (!i && trigger && fb.mode == M_TX_BAD_ID) {
			fb.faults++;
			fb_log("FAULT tx-bad-id: packet id %u answered with id %d",
			       id, TX_SLOTS);
			id = TX_SLOTS;
		}
		if (!i && trigger && fb.mode == M_TX_NULL) {
			fb.faults++;
			fb_log("FAULT tx-null: packet id %u answered with status NULL",
			       id);
			status = NETIF_RSP_NULL;
		}
		put_tx(id, status);
	}
	if (!trigger) {
		send_rx(M_GOOD);
		return;
	}
	switch (fb.mode) {
	case M_TX_OVERRUN:
		fb.faults++;
		fb_log("FAULT tx-overrun: tx rsp_prod %u + %lu", ring.tx_rsp,
		       cfg.overrun);
		ring.tx_rsp += cfg.overrun;
		fb.stalled = true;
		break;
	case M_TX_BACKWARDS:
		fb.faults++;
		push(&ring.tx->rsp_prod, ring.tx_rsp);
		usleep(300000);	/* the frontend takes them first */
		fb_log("FAULT tx-backwards: tx rsp_prod %u, then %u", ring.tx_rsp,
		       ring.tx_rsp - 2);
		ring.tx_rsp -= 2;
		fb.stalled = true;
		break;
	case M_STORM:
		fb.faults++;
		fb_storm_start(ring.port);
		fb_log("FAULT storm: packet id %u answered; %lu empty events",
		       first->id, fb.storm_n);
		break;
	case M_RX_BAD_ID:
	case M_RX_OFFSET:
	case M_RX_SIZE:
	case M_RX_EXTRA:
	case M_RX_OVERRUN:
	case M_RX_HOLD:
		send_rx(fb.mode);
		break;
	default:
		send_rx(M_GOOD);
		break;
	}
}

/* Slots of the packet at @at: its requests, extra-info included. */
static unsigned int packet_slots(RING_IDX at, RING_IDX rp)
{
	struct netif_tx_request r;
	unsigned int n = 0;
	bool more = true, extra;

	memcpy(&r, (const void *)&ring.tx->ring[at & (TX_SLOTS - 1)].req,
	       sizeof(r));
	extra = r.flags & NETTXF_extra_info;
	while (more || extra) {
		if (at + n == rp || n == 32)
			return 0;	/* not all there yet (or absurd) */
		memcpy(&r, (const void *)&ring.tx->ring[(at + n) &
						       (TX_SLOTS - 1)].req,
		       sizeof(r));
		if (extra && n == 1) {
			struct netif_extra_info ex;

			memcpy(&ex, &r, sizeof(ex));
			extra = ex.flags & XEN_NETIF_EXTRA_FLAG_MORE;
			n++;
			continue;
		}
		more = r.flags & NETTXF_more_data;
		n++;
	}
	return n;
}

static void serve_tx(void)
{
	struct netif_tx_request first;
	unsigned int slots;
	RING_IDX rp;

	for (;;) {
		rp = __atomic_load_n(&ring.tx->req_prod, __ATOMIC_ACQUIRE);
		if (rp - ring.tx_cons > TX_SLOTS) {
			fb_log("frontend tx req_prod %u is %u ahead of us: stopped",
			       rp, rp - ring.tx_cons);
			fb.stalled = true;
			return;
		}
		while (ring.tx_cons != rp && !fb.stalled) {
			slots = packet_slots(ring.tx_cons, rp);
			if (!slots)
				break;
			memcpy(&first, (const void *)&ring.tx->ring[ring.tx_cons &
								  (TX_SLOTS - 1)].req,
			       sizeof(first));
			answer_packet(&first, ring.tx_cons, slots);
			ring.tx_cons += slots;
		}
		push(&ring.tx->rsp_prod, ring.tx_rsp);
		if (fb.stalled)
			return;
		__atomic_store_n(&ring.tx->req_event, ring.tx_cons + 1,
				 __ATOMIC_RELEASE);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (__atomic_load_n(&ring.tx->req_prod, __ATOMIC_ACQUIRE) ==
		    ring.tx_cons)
			return;
	}
}

/* ---- the tool ---------------------------------------------------------- */

/* One setting KEY with the value V (VAL as text); -1 if unknown or bad. */
static int set_key(const char *key, const char *val, unsigned long v)
{
	(void)val;
	if (!strcmp(key, "devid") && v < 256)
		cfg.devid = v;
	else if (!strcmp(key, "after") && v < 1000000)
		cfg.after = v;
	else if (!strcmp(key, "overrun") && v < (1UL << 31))
		cfg.overrun = v;
	else
		return -1;
	return 0;
}

static void configure(void)
{
	fb.id = cfg.devid;
	if (!fb.storm_n)
		fb.storm_n = 100000;
	if (fb.follow < 0)
		fb.follow = 1;
}

static int setup(void)
{
	int err = create_nodes();

	if (!err)
		fb_log("domid %u vif %lu mode %s: waiting for the frontend",
		       fb.domid, fb.id, mode_names[fb.mode]);
	return err;
}

static bool fe_closing(void)
{
	return true;
}

/* tx-hold and rx-hold keep the pages they hold until stopped. */
static bool fe_closed(void)
{
	return fb.mode == M_TX_HOLD || fb.mode == M_RX_HOLD;
}

static void summary(char *buf, size_t len)
{
	snprintf(buf, len,
		 "tx_packets=%lu tx_slots=%lu rx_packets=%lu held=%lu errors=%lu faults=%lu storm=%lu",
		 st.tx_packets, st.tx_slots, st.rx_packets, st.held,
		 st.errors, fb.faults, fb.storm_sent);
}

static const struct fb_ops net_ops = {
	.tool = "fakenetback",
	.type = "vif",
	.usage = "MODE: good tx-bad-id tx-dup tx-null tx-overrun tx-backwards\n"
		 "      tx-hold rx-bad-id rx-offset rx-size rx-extra rx-overrun\n"
		 "      rx-hold silent storm\n"
		 "KEY: devid after overrun\n",
	.modes = mode_names,
	.nr_modes = ARRAY_SIZE(mode_names),
	.set_key = set_key,
	.configure = configure,
	.setup = setup,
	.connect = connect_rings,
	.disconnect = disconnect_rings,
	.serve = serve_tx,
	.fe_closing = fe_closing,
	.fe_closed = fe_closed,
	.summary = summary,
};

int main(int argc, char **argv)
{
	return fb_main(argc, argv, &net_ops);
}
