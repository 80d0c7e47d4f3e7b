// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests: minixen's network backend (hyp/core/netback*.c) and
 * its switch, against frontends this test plays in fake domains
 * (fake_xen.h, fake_netfront.h): packets between interfaces, SG, GSO,
 * checksum flags, multi-queue, split channels, the budget, and every
 * hostile frontend's case, each failing only its own interface.
 */
#include <minixen/netback.h>
#include "fake_xen.h"
#include "fake_blkfront.h"
#include "fake_netfront.h"
#include "tap.h"

static struct domain *da, *db, *dc;
static struct nfront fa, fb, fc;
static struct netback_vif va, vb, vc;
static const u8 mac_a[6] = { 2, 0, 0, 0, 0, 0xa }, mac_b[6] = { 2, 0, 0, 0, 0, 0xb },
	mac_c[6] = { 2, 0, 0, 0, 0, 0xc };
static u8 pkt[0x10000], got[0x10000];

/* A frame from @src to @dst of @len bytes, IPv4 from 10.0.0.@flow */
static void mkpkt(const u8 *dst, const u8 *src, u32 len, u8 flow)
{
	u32 i;

	for (i = 0; i < len; i++)
		pkt[i] = (u8)(i * 13 + flow + len);
	memcpy(pkt, dst, 6);
	memcpy(pkt + 6, src, 6);
	pkt[12] = 0x08;
	pkt[13] = 0x00;
	if (len >= 34) {
		pkt[14] = 0x45;
		pkt[20] = 0;
		pkt[21] = 0;
		pkt[23] = 17;
		pkt[29] = flow;
	}
}

/* Queue pkt[0..len) in @n data slots (slot 0 at offset 64), @flags first */
static void put_pkt(struct nfront *f, u32 q, u32 len, u32 n, u16 flags,
		    const struct netif_extra_info *gso)
{
	u32 chunk = n > 1 ? len / n : 0, first = len - chunk * (n - 1), i, pos;
	struct netif_tx_request r;

	memcpy(frame(f->d, NF_DATA_FRAME(0)) + 64, pkt, first);
	r = (struct netif_tx_request){ NF_DATA_REF(0), 64,
		flags | (n > 1 ? NETTXF_more_data : 0) |
		(gso ? NETTXF_extra_info : 0), 100, len };
	nf_slot(f, q, &r);
	if (gso)
		nf_extra(f, q, gso);
	for (i = 1, pos = first; i < n; i++, pos += chunk) {
		memcpy(frame(f->d, NF_DATA_FRAME(i)), pkt + pos, chunk);
		r = (struct netif_tx_request){ NF_DATA_REF(i), 0,
			i + 1 < n ? NETTXF_more_data : 0, 100 + i, chunk };
		nf_slot(f, q, &r);
	}
}

/* Send pkt in @n slots; true if every TX response is @status (NULL for extras) */
static bool send(struct nfront *f, u32 q, u32 len, u32 n, u16 flags,
		 const struct netif_extra_info *gso, s16 status)
{
	struct netif_tx_response r;
	u32 i, want = n + !!gso, seen = 0;
	bool good = true;

	put_pkt(f, q, len, n, flags, gso);
	if (nf_kick(f, q))
		return false;
	for (i = 0; nf_tx_rsp(f, q, &r); i++, seen++)
		good &= r.status == ((gso && i == 1) ? NETIF_RSP_NULL : status) &&
			(i == 1 && gso ? true : r.id == 100 + (i > 1 && gso ? i - 1 : i));
	return good && seen == want;
}

/*
 * The next packet on @f's RX queue @q: its bytes into got[], the first
 * response's flags, its GSO extra if any. Returns its length, -1 if
 * none, -2 if malformed.
 */
static int recv(struct nfront *f, u32 q, u16 *flags, struct netif_extra_info *gso)
{
	struct netif_rx_response r;
	u32 len = 0;
	bool first = true;

	memset(gso, 0, sizeof(*gso));
	for (;;) {
		if (!nf_rx_rsp(f, q, &r))
			return first ? -1 : -2;
		if (r.status < 0 || r.offset + r.status > SZ_4K)
			return -2;
		memcpy(got + len, frame(f->d, NF_RXB_FRAME(q, r.id)) + r.offset,
		       r.status);
		len += r.status;
		if (first) {
			*flags = r.flags;
			if ((r.flags & NETRXF_extra_info) &&
			    !nf_rx_rsp(f, q, (struct netif_rx_response *)gso))
				return -2;
		}
		first = false;
		if (!(r.flags & NETRXF_more_data))
			return len;
	}
}

static u64 rx_dropped(struct netback_vif *v)
{
	u64 n = 0;
	u32 i;

	for (i = 0; i < NETBACK_MAX_QUEUES; i++)
		n += v->q[i].stats.rx_dropped;
	return n;
}

static bool port_is_unbound(struct domain *d, u32 port)
{
	struct evtchn_status st = { .dom = DOMID_SELF, .port = port };

	return !evtchn_status(&d->xen.evtchn, &st) &&
	       st.status == EVTCHNSTAT_unbound;
}

static int connect(struct netback_vif *v, struct nfront *f, struct domain *d,
		   u32 nq, bool split)
{
	struct netback_conf c;

	nf_setup(f, d, nq, split);
	nf_conf(f, &c);
	return netback_connect(v, &c);
}

static void test_connect_bad(void)
{
	struct netback_conf c;

	nf_setup(&fa, da, 1, false);
	nf_conf(&fa, &c);
	c.q[0].rx_ref = 5000;
	ok(netback_connect(&va, &c) == -XEN_EINVAL && !netback_connected(&va) &&
	   strstr(last_log, "domA: vif 0: queue 0: rx-ring-ref 5000: grant refused") &&
	   !pinned(da, NF_TX_REF(0)),
	   "rx-ring-ref beyond the table: -EINVAL, one line, the TX ring let go (%s)",
	   last_log);
	nf_conf(&fa, &c);
	c.q[0].tx_port = 999;
	ok(netback_connect(&va, &c) == -XEN_EINVAL && !pinned(da, NF_TX_REF(0)) &&
	   !pinned(da, NF_RX_REF(0)) && strstr(last_log, "event channel 999: cannot bind"),
	   "a port that is not unbound for DOMID_XEN: refused, rings let go (%s)", last_log);
	nf_conf(&fa, &c);
	c.nr_queues = NETBACK_MAX_QUEUES + 1;
	ok(netback_connect(&va, &c) == -XEN_EINVAL && strstr(last_log, "5 queues asked"),
	   "5 queues: refused (%s)", last_log);
	c.nr_queues = 0;
	ok(netback_connect(&va, &c) == -XEN_EINVAL, "0 queues: refused");
	nf_setup(&fa, da, 2, true);
	nf_conf(&fa, &c);
	c.q[1].rx_port = 998;
	ok(netback_connect(&va, &c) == -XEN_EINVAL && !pinned(da, NF_TX_REF(0)) &&
	   !pinned(da, NF_TX_REF(1)) && port_is_unbound(da, fa.q[0].tx_port) &&
	   port_is_unbound(da, fa.q[0].rx_port) && port_is_unbound(da, fa.q[1].tx_port),
	   "queue 1's RX port refused: queue 0 and queue 1's TX let go too");
}

static void test_connect(void)
{
	ok(connect(&va, &fa, da, 1, false) == 0 && netback_connected(&va) &&
	   pinned(da, NF_TX_REF(0)) && pinned(da, NF_RX_REF(0)) &&
	   !port_is_unbound(da, fa.q[0].tx_port),
	   "A connects: one queue, one channel; rings pinned, port bound");
	ok(strstr(last_log, "domA: vif 0: connected, 1 queue, one event channel each"),
	   "one line: %s", last_log);
	ok(connect(&vb, &fb, db, 1, true) == 0 && netback_connected(&vb) &&
	   !port_is_unbound(db, fb.q[0].rx_port),
	   "B connects with split channels");
	ok(connect(&vc, &fc, dc, 2, true) == 0 && netback_connected(&vc),
	   "C connects with 2 queues, split channels");
	ok(netback_connect(&va, &(struct netback_conf){ .nr_queues = 1 }) == -XEN_EBUSY,
	   "connecting twice: -EBUSY");
}

static void test_switching(void)
{
	struct netif_extra_info x;
	u64 c_dropped = rx_dropped(&vc);
	u16 fl;

	nf_post(&fb, 0, 8);
	nf_post(&fa, 0, 8);
	port_clear(da, fa.q[0].tx_port);
	mkpkt(mac_b, mac_a, 60, 1);
	ok(send(&fa, 0, 60, 1, 0, NULL, NETIF_RSP_OKAY) && port_pending(da, fa.q[0].tx_port),
	   "A sends 60 bytes to B (unknown yet): TX answered OK, A notified");
	ok(recv(&fb, 0, &fl, &x) == 60 && !memcmp(got, pkt, 60) && fl == 0 &&
	   port_pending(db, fb.q[0].rx_port),
	   "B receives them, no flags, notified on its RX channel");
	ok(rx_dropped(&vc) == c_dropped + 1,
	   "the flood reached C, which had no frames posted: dropped");
	mkpkt(mac_a, mac_b, 100, 2);
	ok(send(&fb, 0, 100, 1, NETTXF_data_validated, NULL, NETIF_RSP_OKAY) &&
	   recv(&fa, 0, &fl, &x) == 100 && !memcmp(got, pkt, 100) &&
	   fl == NETRXF_data_validated,
	   "B answers A: data_validated passes through");
	mkpkt(mac_b, mac_a, 1514, 3);
	ok(send(&fa, 0, 1514, 1, 0, NULL, NETIF_RSP_OKAY) &&
	   recv(&fb, 0, &fl, &x) == 1514 && !memcmp(got, pkt, 1514) &&
	   rx_dropped(&vc) == c_dropped + 1,
	   "A to B again: both learnt, unicast, C sees nothing");
	mkpkt((const u8 *)"\xff\xff\xff\xff\xff\xff", mac_a, 42, 4);
	nf_post(&fc, 0, 4);
	nf_post(&fc, 1, 4);
	ok(send(&fa, 0, 42, 1, 0, NULL, NETIF_RSP_OKAY) && recv(&fb, 0, &fl, &x) == 42 &&
	   (recv(&fc, 0, &fl, &x) == 42 || recv(&fc, 1, &fl, &x) == 42) &&
	   !memcmp(got, pkt, 42),
	   "a broadcast reaches B and C");
}

static void test_sg_gso_csum(void)
{
	struct netif_extra_info gso = { .type = XEN_NETIF_EXTRA_TYPE_GSO,
		.u.gso = { .size = 1448, .type = XEN_NETIF_GSO_TYPE_TCPV4 } }, x;
	u16 fl;

	mkpkt(mac_b, mac_a, 5000, 5);
	ok(send(&fa, 0, 5000, 3, 0, NULL, NETIF_RSP_OKAY) &&
	   recv(&fb, 0, &fl, &x) == 5000 && !memcmp(got, pkt, 5000) &&
	   (fl & NETRXF_more_data),
	   "5000 bytes in 3 TX slots: B gets them in 2 frames (more_data)");
	nf_post(&fb, 0, 32);
	mkpkt(mac_b, mac_a, 60000, 6);
	ok(send(&fa, 0, 60000, 18, NETTXF_csum_blank, &gso, NETIF_RSP_OKAY),
	   "a 60000-byte TCPv4 GSO packet in 18 slots + a GSO extra: OK, the extra NULL");
	ok(recv(&fb, 0, &fl, &x) == 60000 && !memcmp(got, pkt, 60000) &&
	   fl == (NETRXF_csum_blank | NETRXF_data_validated | NETRXF_extra_info |
		  NETRXF_more_data) &&
	   x.type == XEN_NETIF_EXTRA_TYPE_GSO && x.u.gso.size == 1448 &&
	   x.u.gso.type == XEN_NETIF_GSO_TYPE_TCPV4 && x.flags == 0,
	   "B gets it in 15 frames, csum_blank + data_validated, the GSO extra after the first");
	vb.conf.gso6 = false;
	gso.u.gso.type = XEN_NETIF_GSO_TYPE_TCPV6;
	mkpkt(mac_b, mac_a, 9000, 7);
	ok(send(&fa, 0, 9000, 3, NETTXF_csum_blank, &gso, NETIF_RSP_OKAY) &&
	   recv(&fb, 0, &fl, &x) == -1 && vb.q[0].stats.rx_dropped == 1,
	   "a TCPv6 GSO packet to B, which did not ask for feature-gso-tcpv6: dropped");
	vb.conf.gso6 = true;
	ok(send(&fa, 0, 9000, 3, NETTXF_csum_blank, &gso, NETIF_RSP_OKAY) &&
	   recv(&fb, 0, &fl, &x) == 9000 && x.u.gso.type == XEN_NETIF_GSO_TYPE_TCPV6,
	   "with it: delivered, GSO TCPv6");
	vb.conf.no_csum = true;
	mkpkt(mac_b, mac_a, 200, 8);
	ok(send(&fa, 0, 200, 1, NETTXF_csum_blank, NULL, NETIF_RSP_OKAY) &&
	   recv(&fb, 0, &fl, &x) == -1 && vb.q[0].stats.rx_dropped == 2,
	   "a blank checksum to B with feature-no-csum-offload: dropped");
	ok(send(&fa, 0, 200, 1, NETTXF_data_validated, NULL, NETIF_RSP_OKAY) &&
	   recv(&fb, 0, &fl, &x) == 200 && fl == NETRXF_data_validated,
	   "a validated one: delivered");
	vb.conf.no_csum = false;
	vb.conf.sg = false;
	mkpkt(mac_b, mac_a, 4097, 9);
	ok(send(&fa, 0, 4097, 2, 0, NULL, NETIF_RSP_OKAY) && recv(&fb, 0, &fl, &x) == -1,
	   "4097 bytes to B without feature-sg: dropped");
	mkpkt(mac_b, mac_a, 4096, 9);
	ok(send(&fa, 0, 4096, 2, 0, NULL, NETIF_RSP_OKAY) && recv(&fb, 0, &fl, &x) == 4096,
	   "4096 bytes: one frame, delivered");
	vb.conf.sg = true;
}

static void test_multi_queue(void)
{
	struct netif_extra_info x;
	u32 flow, n0 = 0, n1 = 0;
	u16 fl;
	int r;

	mkpkt(mac_a, mac_c, 80, 0);
	ok(send(&fc, 1, 80, 1, 0, NULL, NETIF_RSP_OKAY) && recv(&fa, 0, &fl, &x) == 80 &&
	   !memcmp(got, pkt, 80),
	   "C sends on its queue 1's TX ring: A receives");
	for (flow = 10; flow < 30; flow++) {
		nf_post(&fc, 0, 1);
		nf_post(&fc, 1, 1);
		mkpkt(mac_c, mac_a, 300, flow);
		send(&fa, 0, 300, 1, 0, NULL, NETIF_RSP_OKAY);
		r = recv(&fc, 0, &fl, &x);
		n0 += r == 300 && !memcmp(got, pkt, 300);
		r = recv(&fc, 1, &fl, &x);
		n1 += r == 300 && !memcmp(got, pkt, 300);
		fc.q[0].rx_prod = fc.q[0].rx_cons;
		fc.q[1].rx_prod = fc.q[1].rx_cons;
	}
	ok(n0 + n1 == 20 && n0 && n1,
	   "20 flows to C: each lands whole on one queue, both used (%u, %u)", n0, n1);
	nf_post(&fc, 0, 2);
	nf_post(&fc, 1, 2);
	mkpkt(mac_c, mac_a, 300, 12);
	send(&fa, 0, 300, 1, 0, NULL, NETIF_RSP_OKAY);
	send(&fa, 0, 300, 1, 0, NULL, NETIF_RSP_OKAY);
	r = recv(&fc, 0, &fl, &x) == 300;
	r += recv(&fc, 0, &fl, &x) == 300;
	n0 = r;
	r = recv(&fc, 1, &fl, &x) == 300;
	r += recv(&fc, 1, &fl, &x) == 300;
	ok((n0 == 2 && r == 0) || (n0 == 0 && r == 2), "one flow's packets stay on one queue");
}

static void test_budget_storm(void)
{
	struct netif_tx_response r;
	struct netif_extra_info x;
	u32 i, n = 0;
	u16 fl;

	nf_post(&fb, 0, 48);
	mkpkt(mac_b, mac_a, 64, 1);
	for (i = 0; i < 40; i++)
		put_pkt(&fa, 0, 64, 1, 0, NULL);
	nf_kick(&fa, 0);
	while (recv(&fb, 0, &fl, &x) == 64)
		n++;
	ok(n == NETBACK_BUDGET && READ_ONCE(va.q[0].more),
	   "40 packets, one send: %d switched, more left", NETBACK_BUDGET);
	netback_resume(&va);
	while (recv(&fb, 0, &fl, &x) == 64)
		n++;
	ok(n == 40 && !READ_ONCE(va.q[0].more),
	   "the resume before A's next entry switches the rest");
	n = 0;
	while (nf_tx_rsp(&fa, 0, &r))
		n += r.status == NETIF_RSP_OKAY;
	ok(n == 40, "40 OK TX responses");
	for (i = 0; i < 1000; i++)
		nf_kick(&fa, 0);
	ok(netback_connected(&va) && !READ_ONCE(va.q[0].more) && !nf_tx_rsp(&fa, 0, &r),
	   "1000 sends with nothing queued: nothing happens");
	for (i = 0; i < 256; i++)
		put_pkt(&fa, 0, 64, 1, 0, NULL);
	for (i = 0; i < 4; i++)
		nf_kick(&fa, 0);
	ok(fa.q[0].tx->rsp_prod - fa.q[0].tx_cons == 4 * NETBACK_BUDGET && va.q[0].more,
	   "a full ring and 4 sends: 4 budgets served, no more");
	for (i = 0; i < 8; i++)
		netback_resume(&va);
	ok(fa.q[0].tx->rsp_prod - fa.q[0].tx_cons == 256 && !va.q[0].more,
	   "the resumes serve the rest");
	while (nf_tx_rsp(&fa, 0, &r))
		;
}

/* A fresh connection of A with B and C up; B has RX frames posted */
static void reset_a(void)
{
	struct netif_extra_info x;
	u16 fl;

	netback_disconnect(&va);
	connect(&va, &fa, da, 1, false);
	fb.q[0].rx_prod = fb.q[0].rx_cons;
	while (recv(&fb, 0, &fl, &x) >= 0)
		;
	nf_post(&fb, 0, 32);
	mkpkt(mac_b, mac_a, 60, 1);
}

/* A's queued slots are answered with errors; A stays, B gets nothing */
static bool refused(void)
{
	struct netif_tx_response r;
	struct netif_extra_info x;
	u32 n = 0, errs = 0;
	u16 fl;

	nf_kick(&fa, 0);
	while (nf_tx_rsp(&fa, 0, &r)) {
		n++;
		errs += r.status == NETIF_RSP_ERROR || r.status == NETIF_RSP_NULL;
	}
	return n && n == errs && n == fa.q[0].tx_prod - (fa.q[0].tx_cons - n) &&
	       netback_connected(&va) && recv(&fb, 0, &fl, &x) == -1 &&
	       va.q[0].stats.tx_errors;
}

/* A fails with one line saying @why; its resume lets everything go */
static bool failed(const char *why)
{
	bool line, quiet;

	last_log[0] = '\0';
	nf_kick(&fa, 0);
	line = strstr(last_log, "domA: vif 0: ") && strstr(last_log, why) &&
	       strstr(last_log, "disconnected");
	if (!line)
		printf("#   log: %s\n", last_log);
	last_log[0] = '\0';
	nf_kick(&fa, 0);
	nf_kick(&fa, 0);
	quiet = !last_log[0];
	if (netback_connected(&va))
		return false;
	/* a good packet after the failure is not served any more */
	fa.q[0].tx_prod = fa.q[0].tx->rsp_prod;
	mkpkt(mac_b, mac_a, 60, 1);
	put_pkt(&fa, 0, 60, 1, 0, NULL);
	nf_kick(&fa, 0);
	quiet &= fa.q[0].tx->rsp_prod == fa.q[0].tx_prod - 1;
	netback_resume(&va);
	return line && quiet && !pinned(da, NF_TX_REF(0)) && !pinned(da, NF_RX_REF(0)) &&
	       port_is_unbound(da, fa.q[0].tx_port) && !va.connected;
}

/* B and C still talk */
static bool others_work(void)
{
	struct netif_extra_info x;
	u16 fl;

	nf_post(&fc, 0, 1);
	nf_post(&fc, 1, 1);
	mkpkt(mac_c, mac_b, 70, 3);
	if (!send(&fb, 0, 70, 1, 0, NULL, NETIF_RSP_OKAY))
		return false;
	return recv(&fc, 0, &fl, &x) == 70 || recv(&fc, 1, &fl, &x) == 70;
}

static void test_hostile_tx(void)
{
	struct netif_extra_info gso = { .type = XEN_NETIF_EXTRA_TYPE_GSO,
		.u.gso = { .size = 0, .type = XEN_NETIF_GSO_TYPE_TCPV4 } };
	struct netif_tx_request r;
	u32 i;

	reset_a();
	put_pkt(&fa, 0, 60, 1, 0, NULL);
	fa.q[0].tx->ring[(fa.q[0].tx_prod - 1) % 256].req.gref = 100000;
	ok(refused(), "a grant beyond the table: NETIF_RSP_ERROR, A stays connected");
	grant(da, NF_DATA_REF(1), NF_DATA_FRAME(1), 3, true);
	put_pkt(&fa, 0, 600, 2, 0, NULL);
	ok(refused(), "the second slot's grant is another domain's: error");
	grant(da, NF_DATA_REF(1), NF_DATA_FRAME(1), DOMID_XEN, true);
	put_pkt(&fa, 0, 19 * 100, 19, 0, NULL);
	ok(refused(), "19 slots (more than 18): error responses for all");
	put_pkt(&fa, 0, 60, 1, 0, NULL);
	fa.q[0].tx->ring[(fa.q[0].tx_prod - 1) % 256].req.size = 0;
	ok(refused(), "size 0: error");
	put_pkt(&fa, 0, 13, 1, 0, NULL);
	ok(refused(), "13 bytes, under an Ethernet header: error");
	put_pkt(&fa, 0, 600, 2, 0, NULL);
	fa.q[0].tx->ring[(fa.q[0].tx_prod - 2) % 256].req.size = 200;
	ok(refused(), "the second slot (300) larger than the packet (200): error");
	put_pkt(&fa, 0, 60, 1, 0, &gso);
	ok(refused(), "a GSO extra of size 0: error, its extra NULL");
	gso.type = 9;
	put_pkt(&fa, 0, 60, 1, 0, &gso);
	ok(refused(), "an extra of unknown type: error");
	ok(others_work(), "B and C still talk");
	mkpkt(mac_b, mac_a, 60, 1);
	ok(send(&fa, 0, 60, 1, 0, NULL, NETIF_RSP_OKAY), "and A's good packets still go");

	reset_a();
	put_pkt(&fa, 0, 20 * 100, 20, 0, NULL);
	ok(failed("a packet of 20 slots or more"), "20 slots: A fails, one line, let go");
	ok(others_work(), "B and C still talk");

	reset_a();
	put_pkt(&fa, 0, 600, 2, 0, NULL);
	fa.q[0].tx->ring[(fa.q[0].tx_prod - 1) % 256].req.offset = 3900;
	ok(failed("crosses its 4 KiB frame"), "a slot at offset 3900 of 300 bytes: A fails");
	reset_a();
	put_pkt(&fa, 0, 4040, 1, 0, NULL);
	ok(failed("crosses its 4 KiB frame"), "a first slot of 4040 at offset 64: A fails");
	reset_a();
	put_pkt(&fa, 0, 60, 1, 0, NULL);
	fa.q[0].tx_prod += 256;
	ok(failed("TX request producer 257 past the responses"),
	   "a TX producer a ring and one ahead: A fails");
	reset_a();
	put_pkt(&fa, 0, 600, 2, 0, NULL);
	fa.q[0].tx_prod--;
	ok(failed("runs past the TX request producer"),
	   "more_data on the last slot published: A fails");
	reset_a();
	gso.type = XEN_NETIF_EXTRA_TYPE_HASH;
	gso.flags = XEN_NETIF_EXTRA_FLAG_MORE;
	put_pkt(&fa, 0, 60, 1, 0, &gso);
	for (i = 0; i < 4; i++)
		nf_extra(&fa, 0, &gso);
	ok(failed("more than 4 extra info slots"), "5 extra slots: A fails");
	ok(others_work(), "B and C still talk");

	/* more_data on every slot, as far as the ring goes */
	reset_a();
	r = (struct netif_tx_request){ NF_DATA_REF(0), 0, NETTXF_more_data, 1, 60 };
	nf_slot(&fa, 0, &r);
	r.size = 0;
	for (i = 0; i < 40; i++)
		nf_slot(&fa, 0, &r);
	ok(failed("a packet of 20 slots or more"), "more_data on 41 slots: fails at 20");
}

static void test_hostile_rx(void)
{
	struct netif_extra_info x;
	u16 fl;

	reset_a();
	fb.q[0].rx->req_prod = fb.q[0].rx_cons + 257;
	last_log[0] = '\0';
	mkpkt(mac_b, mac_a, 60, 1);
	ok(send(&fa, 0, 60, 1, 0, NULL, NETIF_RSP_OKAY) && !netback_connected(&vb) &&
	   strstr(last_log, "domB: vif 0: RX request producer 257 past the responses"),
	   "B's RX producer a ring and one ahead: B fails, A's packet still answered (%s)",
	   last_log);
	last_log[0] = '\0';
	send(&fa, 0, 60, 1, 0, NULL, NETIF_RSP_OKAY);
	ok(!last_log[0] && netback_connected(&va), "no second line; A goes on");
	fb.q[0].rx_prod = fb.q[0].rx_cons;
	nf_post(&fb, 0, 2);
	ok(send(&fa, 0, 60, 1, 0, NULL, NETIF_RSP_OKAY) && recv(&fb, 0, &fl, &x) == -1,
	   "B, failed, posts frames properly: still nothing for it");
	netback_resume(&vb);
	ok(!vb.connected && !pinned(db, NF_RX_REF(0)) && port_is_unbound(db, fb.q[0].rx_port),
	   "B's resume lets its rings and ports go");
	nf_post(&fc, 0, 1);
	nf_post(&fc, 1, 1);
	mkpkt(mac_c, mac_a, 70, 3);
	ok(send(&fa, 0, 70, 1, 0, NULL, NETIF_RSP_OKAY) &&
	   (recv(&fc, 0, &fl, &x) == 70 || recv(&fc, 1, &fl, &x) == 70),
	   "A and C still talk");
	ok(connect(&vb, &fb, db, 1, true) == 0, "B connects again");
	nf_post(&fb, 0, 4);
	mkpkt(mac_b, mac_a, 60, 1);
	ok(send(&fa, 0, 60, 1, 0, NULL, NETIF_RSP_OKAY) && recv(&fb, 0, &fl, &x) == 60,
	   "and receives again");
	grant(db, NF_RXB_REF(0, fb.q[0].rx_cons), NF_RXB_FRAME(0, 0), DOMID_XEN, true);
	ok(send(&fa, 0, 60, 1, 0, NULL, NETIF_RSP_OKAY) && recv(&fb, 0, &fl, &x) == -2 &&
	   vb.q[0].stats.rx_errors == 1 && netback_connected(&vb),
	   "a read-only RX frame: its response says NETIF_RSP_ERROR, B stays");
}

static void test_disconnect(void)
{
	netback_disconnect(&va);
	ok(!netback_connected(&va) && !pinned(da, NF_TX_REF(0)) &&
	   port_is_unbound(da, fa.q[0].tx_port), "disconnect: rings let go, port unbound");
	netback_disconnect(&va);
	ok(nf_kick(&fa, 0) == 0, "twice: nothing; A sends on its unbound port: nothing");
	netback_disconnect(&vc);
	ok(!pinned(dc, NF_TX_REF(1)) && !pinned(dc, NF_RX_REF(1)) &&
	   port_is_unbound(dc, fc.q[1].rx_port), "C's two queues let go");
}

int main(void)
{
	struct vifcfg ca = { .handle = 0 }, cb = { .handle = 0 }, cc = { .handle = 0 };

	xen_abi_init();
	da = mkdom(1, "domA", false);
	db = mkdom(2, "domB", false);
	dc = mkdom(3, "domC", false);
	memcpy(ca.mac, mac_a, 6);
	memcpy(cb.mac, mac_b, 6);
	memcpy(cc.mac, mac_c, 6);
	netback_init(&va, da, &ca);
	netback_init(&vb, db, &cb);
	netback_init(&vc, dc, &cc);

	test_connect_bad();
	test_connect();
	test_switching();
	test_sg_gso_csum();
	test_multi_queue();
	test_budget_storm();
	test_hostile_tx();
	test_hostile_rx();
	test_disconnect();
	ok(!locks_held, "no lock left held");
	return tap_done();
}
