// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests, end to end: a domain's network interfaces published
 * in xenstore and driven by the frontend's state (hyp/core/xenbus_vif.c)
 * over the network backend (hyp/core/netback*.c). Frontends are played
 * in fake domains (fake_xen.h, fake_netfront.h): they read and write
 * xenstore through their own rings and EVTCHNOP_send, as netfront does.
 */
#include <minixen/netback.h>
#include <minixen/xenbus_vif.h>
#include "fake_xen.h"
#include "fake_blkfront.h"
#include "fake_netfront.h"
#include "tap.h"
#include "xs_client.h"

#define FE		"device/vif/0"
#define BE		"/local/domain/32754/backend/vif/1/0"
#define FE2		"device/vif/0"
#define BE2		"/local/domain/32754/backend/vif/2/0"

static struct domain *z, *d1, *d2;
static struct nfront f1, f2;
static const u8 mac1[6] = { 2, 0, 0, 0, 1, 1 }, mac2[6] = { 2, 0, 0, 0, 2, 1 };

/* Fresh rings, and the keys netfront writes for them (@nq > 1: queue-N/) */
static void publish(struct nfront *f, struct domain *d, u32 nq, bool split)
{
	char dir[64];
	u32 i;

	nf_setup(f, d, nq, split);
	rm(d, FE "/multi-queue-num-queues");
	rm(d, FE "/queue-0");
	rm(d, FE "/queue-1");
	rm(d, FE "/event-channel");
	rm(d, FE "/event-channel-tx");
	rm(d, FE "/event-channel-rx");
	wr(d, FE "/state", "1");
	wr(d, FE "/request-rx-copy", "1");
	wr(d, FE "/feature-sg", "1");
	wr(d, FE "/feature-gso-tcpv4", "1");
	if (nq > 1)
		wru(d, FE, "multi-queue-num-queues", nq);
	for (i = 0; i < nq; i++) {
		if (nq > 1)
			snprintf(dir, sizeof(dir), FE "/queue-%u", i);
		else
			snprintf(dir, sizeof(dir), FE);
		wru(d, dir, "tx-ring-ref", NF_TX_REF(i));
		wru(d, dir, "rx-ring-ref", NF_RX_REF(i));
		if (split) {
			wru(d, dir, "event-channel-tx", f->q[i].tx_port);
			wru(d, dir, "event-channel-rx", f->q[i].rx_port);
		} else {
			wru(d, dir, "event-channel", f->q[i].tx_port);
		}
	}
}

/* 1 sends 60 bytes to 2 on queue 0: does 2 get them, on one of its queues? */
static bool talk(void)
{
	struct netif_rx_response r;
	struct netif_tx_request t = { NF_DATA_REF(0), 0, 0, 7, 60 };
	u8 *p = frame(d1, NF_DATA_FRAME(0));
	u32 q;

	memcpy(p, mac2, 6);
	memcpy(p + 6, mac1, 6);
	p[12] = 0x88;
	p[13] = 0xb5;
	for (q = 0; q < f2.nq; q++)
		nf_post(&f2, q, 1);
	nf_slot(&f1, 0, &t);
	nf_kick(&f1, 0);
	for (q = 0; q < f2.nq; q++)
		if (nf_rx_rsp(&f2, q, &r))
			return r.status == 60 &&
			       !memcmp(frame(d2, NF_RXB_FRAME(q, r.id)), p, 60);
	return false;
}

static void test_published(void)
{
	static const char *const fe_keys[] = {
		"backend", BE, "backend-id", "32754", "handle", "0",
		"mac", "02:00:00:00:01:01", "state", "1", NULL };
	static const char *const be_keys[] = {
		"frontend", "/local/domain/1/device/vif/0", "frontend-id", "1",
		"handle", "0", "mac", "02:00:00:00:01:01", "type", "vif",
		"online", "1", "feature-sg", "1", "feature-gso-tcpv4", "1",
		"feature-gso-tcpv6", "1", "feature-ipv6-csum-offload", "1",
		"feature-rx-copy", "1", "feature-rx-flip", "0",
		"feature-split-event-channels", "1",
		"multi-queue-max-queues", "4", "state", "2", NULL };
	const char *why;
	u32 t;

	why = keys_are(d1, FE, fe_keys);
	ok(!*why, "the frontend reads its directory as xl writes it %s", why);
	why = keys_are(d1, BE, be_keys);
	ok(!*why, "and the backend's, as netback writes it, InitWait %s", why);
	ok(!strcmp(rd(d1, "/local/domain/32754/backend/vif/1/3/handle"), "3") &&
	   !strcmp(rd(d1, "device/vif/3/mac"), "02:00:00:00:01:03"),
	   "the second interface, handle 3");
	t = store_req(d1, XS_GET_PERMS, BE, sizeof(BE)) ? 0 : store_rsp(d1, buf, sizeof(buf));
	ok(t == XS_GET_PERMS && !memcmp(buf, "n0\0r1", 6),
	   "backend directory: owner 0, the frontend may read");
	t = store_req(z, XS_GET_PERMS, "/local/domain/1/" FE,
		      sizeof("/local/domain/1/" FE)) ? 0 : store_rsp(z, buf, sizeof(buf));
	ok(t == XS_GET_PERMS && !memcmp(buf, "n1\0r0", 6),
	   "frontend directory: owner the frontend, domain 0 may read");
	ok(!strcmp(wr(d1, BE "/state", "4"), "EACCES") &&
	   !strcmp(wr(d1, BE "/mac", "x"), "EACCES"),
	   "the frontend cannot write the backend's keys");
	ok(!strcmp(rd(d2, BE "/state"), "EACCES") &&
	   !strcmp(rd(d2, "/local/domain/1/" FE "/state"), "EACCES"),
	   "another domU reads neither directory");
}

static void test_connect(void)
{
	publish(&f1, d1, 1, false);
	ok(be_state(BE) == INIT_WAIT && !pinned(d1, NF_TX_REF(0)),
	   "keys written, frontend Initialising: still InitWait");
	wr(d1, FE "/state", "4");
	ok(be_state(BE) == CONNECTED && pinned(d1, NF_TX_REF(0)) && pinned(d1, NF_RX_REF(0)) &&
	   strstr(last_log, "domU1: vif 0: connected, 1 queue"),
	   "frontend Connected: backend Connected, rings pinned (%s)", last_log);
	publish(&f2, d2, 2, true);
	wr(d2, FE2 "/state", "3");
	ok(be_state(BE2) == CONNECTED &&
	   strstr(last_log, "domU2: vif 0: connected, 2 queues, split"),
	   "domU2: 2 queues (queue-0/, queue-1/), split channels: Connected (%s)", last_log);
	ok(talk(), "domU1 sends, domU2 receives through the switch");
}

static void test_close_reconnect(void)
{
	wr(d1, FE "/state", "5");
	ok(be_state(BE) == CLOSED && !pinned(d1, NF_TX_REF(0)), "Closing: disconnected, Closed");
	wr(d1, FE "/state", "6");
	ok(be_state(BE) == CLOSED, "Closed: stays Closed, for the frontend to see");
	wr(d1, FE "/state", "1");
	ok(be_state(BE) == INIT_WAIT, "Initialising: InitWait again");
	publish(&f1, d1, 1, true);
	wr(d1, FE "/state", "4");
	ok(be_state(BE) == CONNECTED && talk(), "it connects again (split now), packets go");
	wr(d1, FE "/state", "6");
	ok(be_state(BE) == CLOSED && !pinned(d1, NF_TX_REF(0)),
	   "Closed straight from Connected: disconnected, Closed");
	publish(&f1, d1, 1, false);
	wr(d1, FE "/state", "4");
	ok(be_state(BE) == CONNECTED && talk(),
	   "and again, from Closed straight to Connected");
	wr(d1, FE "/state", "6");
	publish(&f1, d1, 1, false);
	wr(d1, FE "/multi-queue-num-queues", "1");
	wr(d1, FE "/state", "4");
	ok(be_state(BE) == CONNECTED && talk(),
	   "multi-queue-num-queues 1, the keys in the directory itself (Linux's netfront): connected");
}

/* The frontend's keys are refused: Closing with @log; Closed: Closed */
static bool refused(const char *log)
{
	bool r;

	wr(d1, FE "/state", "4");
	r = be_state(BE) == CLOSING && !pinned(d1, NF_TX_REF(0)) && strstr(last_log, log);
	if (!r)
		printf("#   state %d, log: %s\n", be_state(BE), last_log);
	wr(d1, FE "/state", "6");
	return r && be_state(BE) == CLOSED;
}

static void test_refused(void)
{
	wr(d1, FE "/state", "6");
	publish(&f1, d1, 1, false);
	rm(d1, FE "/request-rx-copy");
	ok(refused("request-rx-copy is not 1"), "no request-rx-copy: Closing (%s)", last_log);
	publish(&f1, d1, 1, false);
	wr(d1, FE "/request-rx-copy", "0");
	ok(refused("request-rx-copy is not 1"), "request-rx-copy 0 (flip): Closing");
	publish(&f1, d1, 1, false);
	wr(d1, FE "/multi-queue-num-queues", "5");
	ok(refused("multi-queue-num-queues out of range"), "5 queues: Closing (%s)", last_log);
	publish(&f1, d1, 2, false);
	rm(d1, FE "/queue-1/event-channel");
	ok(refused("no usable event-channel"), "queue 1 without a channel: Closing");
	publish(&f1, d1, 2, true);
	rm(d1, FE "/queue-1/event-channel-rx");
	wru(d1, FE "/queue-1", "event-channel", f1.q[1].tx_port);
	ok(refused("split and shared event channels mixed"), "split queue 0, shared 1: Closing");
	publish(&f1, d1, 1, false);
	wr(d1, FE "/tx-ring-ref", "12abc");
	ok(refused("no usable tx-ring-ref or rx-ring-ref"), "tx-ring-ref \"12abc\": Closing");
	publish(&f1, d1, 1, false);
	wr(d1, FE "/rx-ring-ref", "99999");
	ok(refused("rx-ring-ref 99999: grant refused"), "an rx-ring-ref beyond the table: Closing");
	publish(&f1, d1, 1, false);
	wr(d1, FE "/state", "4");
	ok(be_state(BE) == CONNECTED && talk(), "then a good frontend connects");
}

static void test_failed(void)
{
	f1.q[0].tx_prod += 300;
	nf_kick(&f1, 0);
	ok(be_state(BE) == CONNECTED && strstr(last_log, "TX request producer"),
	   "a lying TX producer: one line (%s)", last_log);
	xenbus_vif_resume(d1);
	ok(be_state(BE) == CLOSING && !pinned(d1, NF_TX_REF(0)),
	   "before its next entry: disconnected, Closing");
	ok(be_state(BE2) == CONNECTED, "domU2's interface stays connected");
	wr(d1, FE "/state", "5");
	wr(d1, FE "/state", "6");
	publish(&f1, d1, 1, false);
	wr(d1, FE "/state", "4");
	ok(be_state(BE) == CONNECTED && talk(), "it may connect again");
}

static void test_release(void)
{
	char v[8];

	xenbus_vif_domain_release(d1);
	ok(!pinned(d1, NF_TX_REF(0)) && !pinned(d1, NF_RX_REF(0)),
	   "domain released: its interface disconnected");
	ok(xen_store_read("/local/domain/32754/backend/vif/1", v, sizeof(v)) == -XS_ENOENT &&
	   xen_store_unwatch("/local/domain/1/device/vif", "vif") == -XS_ENOENT,
	   "its backend directories and its watch are gone");
	publish(&f1, d1, 1, false);
	wr(d1, FE "/state", "4");
	ok(!pinned(d1, NF_TX_REF(0)) && be_state(BE) < 0, "its frontend cannot connect any more");
	xenbus_vif_resume(d1);
	xenbus_vif_domain_release(d1);
	ok(be_state(BE2) == CONNECTED, "release and resume again: nothing; domU2 unaffected");
}

int main(void)
{
	struct domcfg c1 = { .name = "domU1", .nr_vifs = 2 };
	struct domcfg c2 = { .name = "domU2", .nr_vifs = 1 };
	struct domcfg none = { .name = "dom0" };

	xen_abi_init();
	z = mkdom(0, "dom0", true);
	d1 = mkdom(1, "domU1", false);
	d2 = mkdom(2, "domU2", false);
	if (xen_store_domain_init(z) || xen_store_domain_init(d1) ||
	    xen_store_domain_init(d2))
		abort();
	c1.vif[0] = (struct vifcfg){ .handle = 0 };
	memcpy(c1.vif[0].mac, mac1, 6);
	c1.vif[1] = (struct vifcfg){ .handle = 3, .mac = { 2, 0, 0, 0, 1, 3 } };
	c2.vif[0] = (struct vifcfg){ .handle = 0 };
	memcpy(c2.vif[0].mac, mac2, 6);
	ok(xenbus_vif_domain_init(d1, &c1) == 0 && xenbus_vif_domain_init(d2, &c2) == 0 &&
	   xenbus_vif_domain_init(z, &none) == 0,
	   "domU1's two interfaces and domU2's one published; dom0 has none");
	ok(strstr(last_log, "domU2: vif 0: mac 02:00:00:00:02:01"), "one line each: %s",
	   last_log);
	test_published();
	test_connect();
	test_close_reconnect();
	test_refused();
	test_failed();
	test_release();
	ok(!locks_held, "no lock left held");
	return tap_done();
}
