// SPDX-License-Identifier: GPL-2.0-only
/* Host unit tests: event channels (hyp/core/evtchn*.c). */
#include <minixen/evtchn.h>
#include "../../hyp/core/evtchn_priv.h"
#include "tap.h"

#define NR_DOMS		3
#define NR_VCPUS	2
#define HYP		DOMID_XEN
#define BAD_PORT	EVTCHN_NR_PORTS
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static struct evtchn_domain dom[NR_DOMS];
static struct shared_info_arm64 *shinfo[NR_DOMS];
static struct vcpu_info_arm64 *vinfo[NR_DOMS][NR_VCPUS];
static int kicks[NR_DOMS][NR_VCPUS];
static int bad_kicks, reg_kicks;

/* Locks: none taken twice, pairs in domid order, none held in hooks. */
static struct evtchn_domain *held[4];
static int nr_held, lock_errors;

void spin_lock(struct mx_lock *l)
{
	struct evtchn_domain *d = (struct evtchn_domain *)l;
	int i;

	for (i = 0; i < nr_held; i++)
		if (held[i] == d || held[i]->domid > d->domid)
			lock_errors++;
	if (nr_held >= 2)
		lock_errors++;
	else
		held[nr_held++] = d;
}

void spin_unlock(struct mx_lock *l)
{
	struct evtchn_domain *d = (struct evtchn_domain *)l;
	int i;

	for (i = 0; i < nr_held; i++)
		if (held[i] == d)
			break;
	if (i == nr_held) {
		lock_errors++;
		return;
	}
	held[i] = held[--nr_held];
}

static struct evtchn_domain *lookup(u16 domid)
{
	return domid < NR_DOMS ? &dom[domid] : NULL;
}

static void kick(struct evtchn_domain *d, u32 vcpu)
{
	if (nr_held || d < dom || d >= dom + NR_DOMS || vcpu >= NR_VCPUS)
		bad_kicks++;
	else
		kicks[d - dom][vcpu]++;
}

static int poll_wakes[NR_DOMS][NR_VCPUS];

static void poll_wake(struct evtchn_domain *d, u32 vcpu)
{
	if (nr_held || d < dom || d >= dom + NR_DOMS || vcpu >= NR_VCPUS ||
	    evtchn_poll_active(d, vcpu))
		bad_kicks++;
	else
		poll_wakes[d - dom][vcpu]++;
}

static const struct evtchn_ops ops = {
	.domain = lookup,
	.kick = kick,
	.poll_wake = poll_wake,
	.hyp_domid = HYP,
};

/* A service's handler. */
static int hyp_calls, hyp_bad;
static evtchn_port_t hyp_last;

static void hyp_fn(void *arg, evtchn_port_t port)
{
	if (nr_held || arg != &hyp_calls)
		hyp_bad++;
	hyp_calls++;
	hyp_last = port;
}

static int nr_kicks(void)
{
	int i, j, n = 0;

	for (i = 0; i < NR_DOMS; i++)
		for (j = 0; j < NR_VCPUS; j++)
			n += kicks[i][j];
	return n;
}

/* Fresh domains, d0 privileged; vcpu_info registered for every vCPU. */
static void fresh(bool reg)
{
	int i, j;

	evtchn_init(&ops);
	for (i = 0; i < NR_DOMS; i++) {
		memset(shinfo[i], 0, SZ_4K);
		evtchn_domain_init(&dom[i], i, NR_VCPUS, shinfo[i], i == 0);
		for (j = 0; j < NR_VCPUS; j++) {
			memset(vinfo[i][j], 0, SZ_4K);
			if (reg)
				evtchn_set_vcpu_info(&dom[i], j, vinfo[i][j]);
			vinfo[i][j]->evtchn_upcall_pending = 0;
			vinfo[i][j]->evtchn_pending_sel = 0;
		}
	}
	reg_kicks = nr_kicks();
	memset(kicks, 0, sizeof(kicks));
	hyp_calls = 0;
}

static bool bit(const u64 *a, u32 n)
{
	return a[n / 64] & (1UL << (n % 64));
}

static bool pending(int d, u32 port)
{
	return bit(shinfo[d]->evtchn_pending, port);
}

static void set_mask(int d, u32 port, bool on)
{
	if (on)
		shinfo[d]->evtchn_mask[port / 64] |= 1UL << (port % 64);
	else
		shinfo[d]->evtchn_mask[port / 64] &= ~(1UL << (port % 64));
}

/* What the guest's upcall handler does: consume everything. */
static void guest_handle(int d)
{
	int j;

	for (j = 0; j < NR_VCPUS; j++) {
		vinfo[d][j]->evtchn_upcall_pending = 0;
		vinfo[d][j]->evtchn_pending_sel = 0;
	}
	memset(shinfo[d]->evtchn_pending, 0,
	       sizeof(shinfo[d]->evtchn_pending));
}

static int status(int as, domid_t d, evtchn_port_t port,
		  struct evtchn_status *s)
{
	memset(s, 0, sizeof(*s));
	s->dom = d;
	s->port = port;
	return evtchn_status(&dom[as], s);
}

static u32 state_of(int d, evtchn_port_t port)
{
	struct evtchn_status s;

	return status(d, DOMID_SELF, port, &s) ? ~0U : s.status;
}

static int alloc_unbound(int d, domid_t in, domid_t remote)
{
	struct evtchn_alloc_unbound a = { .dom = in, .remote_dom = remote };
	int rc = evtchn_alloc_unbound(&dom[d], &a);

	return rc ? rc : (int)a.port;
}

static int bind_inter(int d, domid_t rdom, evtchn_port_t rport)
{
	struct evtchn_bind_interdomain b = {
		.remote_dom = rdom, .remote_port = rport,
	};
	int rc = evtchn_bind_interdomain(&dom[d], &b);

	return rc ? rc : (int)b.local_port;
}

static int bind_virq(int d, u32 virq, u32 vcpu)
{
	struct evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu };
	int rc = evtchn_bind_virq(&dom[d], &b);

	return rc ? rc : (int)b.port;
}

static int bind_ipi(int d, u32 vcpu)
{
	struct evtchn_bind_ipi b = { .vcpu = vcpu };
	int rc = evtchn_bind_ipi(&dom[d], &b);

	return rc ? rc : (int)b.port;
}

static void test_init(void)
{
	struct evtchn_domain x;
	struct evtchn_status s;

	ok(evtchn_domain_init(&x, 5, 0, shinfo[0], false) == -XEN_EINVAL,
	   "init: 0 vCPUs");
	ok(evtchn_domain_init(&x, 5, MAX_VCPUS + 1, shinfo[0], false) ==
	   -XEN_EINVAL, "init: too many vCPUs");
	ok(evtchn_domain_init(&x, 5, 1, NULL, false) == -XEN_EINVAL,
	   "init: no shared_info");
	ok(evtchn_domain_init(&x, DOMID_SELF, 1, shinfo[0], false) ==
	   -XEN_EINVAL, "init: reserved domid");
	fresh(true);
	ok(status(1, DOMID_SELF, 0, &s) == 0 && s.status == EVTCHNSTAT_closed,
	   "port 0 is reserved: closed");
	ok(dom[1].nr_used == 1, "only port 0 used");
	ok(reg_kicks == NR_DOMS * NR_VCPUS,
	   "registering vcpu_info kicked each vCPU once");
}

static void test_interdomain(void)
{
	struct evtchn_status s;
	int p1, p2, before, k20;

	fresh(true);
	p1 = alloc_unbound(1, DOMID_SELF, 2);
	ok(p1 > 0, "alloc_unbound in d1 for d2: port %d", p1);
	ok(status(1, DOMID_SELF, p1, &s) == 0 &&
	   s.status == EVTCHNSTAT_unbound && s.u.unbound.dom == 2,
	   "status: unbound for d2");
	p2 = bind_inter(2, 1, p1);
	ok(p2 > 0, "d2 binds to it: port %d", p2);
	ok(status(1, DOMID_SELF, p1, &s) == 0 &&
	   s.status == EVTCHNSTAT_interdomain && s.u.interdomain.dom == 2 &&
	   s.u.interdomain.port == (u32)p2, "d1's end links to d2:%d", p2);
	ok(status(2, DOMID_SELF, p2, &s) == 0 &&
	   s.status == EVTCHNSTAT_interdomain && s.u.interdomain.dom == 1 &&
	   s.u.interdomain.port == (u32)p1, "d2's end links to d1:%d", p1);
	ok(pending(2, p2) && kicks[2][0] == 1,
	   "binding raises the new local port once (as Xen)");
	guest_handle(2);

	before = nr_kicks();
	k20 = kicks[2][0];
	ok(evtchn_send(&dom[1], p1) == 0, "d1 sends");
	ok(pending(2, p2), "d2's port pending");
	ok(!pending(1, p1), "d1's port not pending");
	ok(vinfo[2][0]->evtchn_pending_sel == 1UL << (p2 / 64),
	   "d2 vCPU 0 selects the port's word");
	ok(vinfo[2][0]->evtchn_upcall_pending == 1, "upcall pending");
	ok(evtchn_upcall_pending(&dom[2], 0), "PPI level high");
	ok(kicks[2][0] == k20 + 1 && nr_kicks() == before + 1,
	   "kicked vCPU 0 once");
	ok(vinfo[2][1]->evtchn_upcall_pending == 0, "vCPU 1 untouched");
	evtchn_send(&dom[1], p1);
	ok(nr_kicks() == before + 1, "sending again while pending: no kick");
	shinfo[2]->evtchn_pending[0] = 0;
	evtchn_send(&dom[1], p1);
	ok(pending(2, p2) && nr_kicks() == before + 1,
	   "pending again, upcall still set: no kick");
	guest_handle(2);
	ok(!evtchn_upcall_pending(&dom[2], 0), "PPI level low");
	ok(evtchn_send(&dom[2], p2) == 0 && pending(1, p1) &&
	   kicks[1][0] == 1, "and back: d2 -> d1");

	/* bind_vcpu: delivery moves to vCPU 1. */
	guest_handle(2);
	ok(evtchn_bind_vcpu(&dom[2], p2, 1) == 0, "bind_vcpu to vCPU 1");
	ok(status(2, DOMID_SELF, p2, &s) == 0 && s.vcpu == 1, "status: vCPU 1");
	evtchn_send(&dom[1], p1);
	ok(kicks[2][1] == 1 && vinfo[2][1]->evtchn_upcall_pending &&
	   !vinfo[2][0]->evtchn_upcall_pending, "delivered on vCPU 1");

	/* close: the peer is unbound for us again. */
	ok(evtchn_close(&dom[2], p2) == 0, "d2 closes");
	ok(!pending(2, p2), "closing clears the pending bit");
	ok(status(1, DOMID_SELF, p1, &s) == 0 &&
	   s.status == EVTCHNSTAT_unbound && s.u.unbound.dom == 2,
	   "d1's end is unbound for d2 again");
	ok(state_of(2, p2) == EVTCHNSTAT_closed, "d2's end closed");
	ok(dom[2].nr_used == 1, "d2 has only port 0");
	before = nr_kicks();
	ok(evtchn_send(&dom[1], p1) == 0 && nr_kicks() == before,
	   "send on unbound: dropped");
	ok(evtchn_close(&dom[2], p2) == -XEN_EINVAL, "close twice: EINVAL");
	p2 = bind_inter(2, 1, p1);
	ok(p2 > 0, "d2 binds again");
	ok(evtchn_close(&dom[1], p1) == 0 &&
	   status(2, DOMID_SELF, p2, &s) == 0 &&
	   s.status == EVTCHNSTAT_unbound && s.u.unbound.dom == 1,
	   "d1 closes its end: d2's end unbound for d1");
	ok(bind_inter(1, 2, p2) > 0, "d1 binds to it");

	/* Loopback within one domain. */
	p1 = alloc_unbound(1, DOMID_SELF, DOMID_SELF);
	ok(p1 > 0 && status(1, DOMID_SELF, p1, &s) == 0 &&
	   s.u.unbound.dom == 1, "alloc_unbound for DOMID_SELF: ourselves");
	p2 = bind_inter(1, DOMID_SELF, p1);
	ok(p2 > 0 && p2 != p1, "bind to our own port");
	guest_handle(1);
	ok(evtchn_send(&dom[1], p2) == 0 && pending(1, p1) && !pending(1, p2),
	   "loopback send raises the other end");
	ok(evtchn_close(&dom[1], p1) == 0 && state_of(1, p2) ==
	   EVTCHNSTAT_unbound, "loopback close: the other end unbound");
	ok(lock_errors == 0 && nr_held == 0 && bad_kicks == 0,
	   "locks: balanced, in order; no kick under a lock");
}

static void test_mask(void)
{
	int p1, p2, before, k20;

	fresh(true);
	p1 = alloc_unbound(1, DOMID_SELF, 2);
	p2 = bind_inter(2, 1, p1);
	guest_handle(2);
	set_mask(2, p2, true);
	k20 = kicks[2][0];
	before = nr_kicks();
	evtchn_send(&dom[1], p1);
	ok(pending(2, p2), "masked: pending set");
	ok(vinfo[2][0]->evtchn_pending_sel == 0, "masked: word not selected");
	ok(vinfo[2][0]->evtchn_upcall_pending == 0, "masked: no upcall");
	ok(nr_kicks() == before, "masked: no kick");
	ok(evtchn_unmask(&dom[2], p2) == 0, "unmask");
	ok(!bit(shinfo[2]->evtchn_mask, p2), "mask bit cleared");
	ok(vinfo[2][0]->evtchn_pending_sel == 1UL << (p2 / 64) &&
	   vinfo[2][0]->evtchn_upcall_pending == 1,
	   "unmask of a pending port raises the upcall");
	ok(kicks[2][0] == k20 + 1 && nr_kicks() == before + 1,
	   "and kicks vCPU 0 once");

	guest_handle(2);
	set_mask(2, p2, true);
	before = nr_kicks();
	ok(evtchn_unmask(&dom[2], p2) == 0 && nr_kicks() == before &&
	   vinfo[2][0]->evtchn_upcall_pending == 0,
	   "unmask of a masked port not pending: nothing raised");
	shinfo[2]->evtchn_pending[p2 / 64] |= 1UL << (p2 % 64);
	ok(evtchn_unmask(&dom[2], p2) == 0 && nr_kicks() == before,
	   "unmask of a port not masked: nothing raised (as Xen)");
	set_mask(2, p2, true);
	vinfo[2][0]->evtchn_upcall_pending = 1;
	ok(evtchn_unmask(&dom[2], p2) == 0 && nr_kicks() == before &&
	   vinfo[2][0]->evtchn_pending_sel,
	   "upcall already pending: word selected, no second kick");
	ok(evtchn_unmask(&dom[2], 0) == 0, "unmask port 0: allowed");
	ok(evtchn_unmask(&dom[2], BAD_PORT) == -XEN_EINVAL,
	   "unmask past the table: EINVAL");
}

static void test_ipi_virq(void)
{
	struct evtchn_status s;
	int ipi, dbg, con, before;

	fresh(true);
	ipi = bind_ipi(1, 1);
	ok(ipi > 0 && status(1, DOMID_SELF, ipi, &s) == 0 &&
	   s.status == EVTCHNSTAT_ipi && s.vcpu == 1, "bind_ipi on vCPU 1");
	before = kicks[1][1];
	ok(evtchn_send(&dom[1], ipi) == 0 && pending(1, ipi) &&
	   kicks[1][1] == before + 1, "IPI raised on vCPU 1");
	ok(evtchn_bind_vcpu(&dom[1], ipi, 0) == -XEN_EINVAL,
	   "bind_vcpu of an IPI: EINVAL");

	dbg = bind_virq(1, VIRQ_DEBUG, 1);
	ok(dbg > 0 && status(1, DOMID_SELF, dbg, &s) == 0 &&
	   s.status == EVTCHNSTAT_virq && s.u.virq == VIRQ_DEBUG &&
	   s.vcpu == 1, "bind per-vCPU VIRQ_DEBUG on vCPU 1");
	ok(bind_virq(1, VIRQ_DEBUG, 1) == -XEN_EEXIST, "again: EEXIST");
	ok(bind_virq(1, VIRQ_DEBUG, 0) > 0, "on vCPU 0 too");
	con = bind_virq(1, VIRQ_CONSOLE, 0);
	ok(con > 0, "bind global VIRQ_CONSOLE");
	ok(bind_virq(1, VIRQ_CONSOLE, 0) == -XEN_EEXIST, "again: EEXIST");
	guest_handle(1);
	before = kicks[1][1];
	ok(evtchn_send_virq(&dom[1], VIRQ_DEBUG, 1) == 0 && pending(1, dbg) &&
	   kicks[1][1] == before + 1, "VIRQ_DEBUG on vCPU 1 delivered");
	ok(evtchn_send(&dom[1], dbg) == -XEN_EINVAL,
	   "send on a VIRQ port: EINVAL (as Xen)");
	ok(evtchn_bind_vcpu(&dom[1], dbg, 0) == -XEN_EINVAL,
	   "bind_vcpu of a per-vCPU VIRQ: EINVAL");
	ok(evtchn_bind_vcpu(&dom[1], con, 1) == 0, "bind_vcpu of a global one");
	guest_handle(1);
	before = kicks[1][1];
	ok(evtchn_send_virq(&dom[1], VIRQ_CONSOLE, 0) == 0 &&
	   pending(1, con) && kicks[1][1] == before + 1,
	   "global VIRQ follows its port's vCPU");
	ok(evtchn_send_virq(&dom[2], VIRQ_CONSOLE, 0) == -XEN_ENOENT,
	   "VIRQ not bound: ENOENT");
	ok(evtchn_send_virq(&dom[1], NR_VIRQS, 0) == -XEN_EINVAL,
	   "VIRQ out of range: EINVAL");
	ok(evtchn_send_virq(&dom[1], VIRQ_DEBUG, NR_VCPUS) == -XEN_EINVAL,
	   "vCPU out of range: EINVAL");
	ok(evtchn_close(&dom[1], dbg) == 0 &&
	   evtchn_send_virq(&dom[1], VIRQ_DEBUG, 1) == -XEN_ENOENT,
	   "closed VIRQ: ENOENT");
	ok(bind_virq(1, VIRQ_DEBUG, 1) > 0, "and can be bound again");
}

/* SCHEDOP_poll: only the polled ports end a poll, masked or not. */
static void test_poll(void)
{
	u32 ports[EVTCHN_POLL_MAX + 1] = { 0 };
	int p1, p2, p3, k, i;

	fresh(true);
	memset(poll_wakes, 0, sizeof(poll_wakes));
	p1 = bind_ipi(1, 0);
	p2 = bind_ipi(1, 0);
	p3 = bind_ipi(1, 0);
	ports[0] = p1;
	ports[1] = p2;
	ports[2] = 500;	/* free: any port in range may be polled */
	ok(evtchn_poll_start(&dom[1], 0, ports, 3) == 0 &&
	   evtchn_poll_active(&dom[1], 0) && !evtchn_poll_active(&dom[1], 1),
	   "poll on two ports and a free one, none pending: vCPU 0 polls");
	k = kicks[1][0];
	ok(evtchn_send(&dom[1], p3) == 0 && pending(1, p3) && kicks[1][0] == k + 1 &&
	   evtchn_poll_active(&dom[1], 0) && !poll_wakes[1][0],
	   "an event on another port: its upcall is raised, the poll goes on");
	guest_handle(1);
	set_mask(1, p2, true);
	ok(evtchn_send(&dom[1], p2) == 0 && pending(1, p2) && kicks[1][0] == k + 1 &&
	   !evtchn_poll_active(&dom[1], 0) && poll_wakes[1][0] == 1,
	   "a polled port, masked: no upcall, the poll ends, vCPU 0 woken once");
	ok(evtchn_send(&dom[1], p1) == 0 && poll_wakes[1][0] == 1,
	   "another polled port after the end: no second wake");
	ok(evtchn_poll_start(&dom[1], 0, ports, 3) == 1 &&
	   !evtchn_poll_active(&dom[1], 0), "a polled port already pending: 1, no poll");
	guest_handle(1);
	ports[0] = p3;
	ports[1] = BAD_PORT;
	ok(evtchn_poll_start(&dom[1], 0, ports, 2) == -XEN_EINVAL &&
	   !evtchn_poll_active(&dom[1], 0), "port %u in the list: EINVAL, no poll",
	   BAD_PORT);
	ok(evtchn_send(&dom[1], p3) == 0 && poll_wakes[1][0] == 1,
	   "a port of the refused poll: no wake");
	ok(evtchn_poll_start(&dom[1], 0, ports, 2) == 1,
	   "a pending port before a bad one: 1 (Xen looks at them in order)");
	guest_handle(1);
	for (i = 0; i < EVTCHN_POLL_MAX + 1; i++)
		ports[i] = p1;
	ok(evtchn_poll_start(&dom[1], 0, ports, EVTCHN_POLL_MAX + 1) == -XEN_EINVAL &&
	   evtchn_poll_start(&dom[1], NR_VCPUS, ports, 1) == -XEN_EINVAL &&
	   !evtchn_poll_active(&dom[1], 0),
	   "%d ports, a vCPU out of range: EINVAL", EVTCHN_POLL_MAX + 1);
	ok(evtchn_poll_start(&dom[1], 0, ports, EVTCHN_POLL_MAX) == 0 &&
	   evtchn_poll_start(&dom[1], 1, ports, 1) == 0 &&
	   evtchn_send(&dom[1], p1) == 0 && poll_wakes[1][0] == 2 &&
	   poll_wakes[1][1] == 1, "two vCPUs polling one port: both woken by one event");
	guest_handle(1);
	ok(evtchn_poll_start(&dom[1], 0, ports, 0) == 0 && evtchn_send(&dom[1], p1) == 0 &&
	   evtchn_poll_active(&dom[1], 0), "no ports: no event ends it");
	evtchn_poll_end(&dom[1], 0);
	ok(!evtchn_poll_active(&dom[1], 0) && poll_wakes[1][0] == 2,
	   "poll_end (its timeout): over, no wake");
	ok(!lock_errors && !bad_kicks, "hooks ran with no lock held, after the poll ended");
}

static void test_vcpu_info(void)
{
	int ipi, before;

	fresh(false);
	ipi = bind_ipi(1, 1);
	before = nr_kicks();
	evtchn_send(&dom[1], ipi);
	ok(pending(1, ipi), "vCPU 1 without vcpu_info: pending recorded");
	ok(nr_kicks() == before && vinfo[1][1]->evtchn_upcall_pending == 0,
	   "but nothing raised");
	ok(!evtchn_upcall_pending(&dom[1], 1), "PPI level low");
	ok(evtchn_set_vcpu_info(&dom[1], 1, (void *)((char *)vinfo[1][1] + 4))
	   == -XEN_EINVAL, "misaligned vcpu_info: EINVAL");
	ok(evtchn_set_vcpu_info(&dom[1], NR_VCPUS, vinfo[1][1]) ==
	   -XEN_ENOENT, "vcpu_info for a vCPU past the last: ENOENT");
	ok(evtchn_set_vcpu_info(&dom[1], 1, vinfo[1][1]) == 0,
	   "register vcpu_info");
	ok(vinfo[1][1]->evtchn_pending_sel == ~0UL &&
	   vinfo[1][1]->evtchn_upcall_pending == 1 && kicks[1][1] == 1,
	   "registering marks every word pending and kicks");
	ok(evtchn_set_vcpu_info(&dom[1], 1, vinfo[1][0]) == -XEN_EINVAL,
	   "registering twice: EINVAL");
	guest_handle(1);
	evtchn_send(&dom[1], ipi);
	ok(vinfo[1][1]->evtchn_upcall_pending == 1 && kicks[1][1] == 2,
	   "then delivers there");
	ipi = bind_ipi(1, 0);
	evtchn_send(&dom[1], ipi);
	ok(shinfo[1]->vcpu_info[0].evtchn_upcall_pending == 1 &&
	   kicks[1][0] == 1, "vCPU 0 starts in shared_info's slot");
}

static void test_privilege(void)
{
	struct evtchn_status s;
	int p;

	fresh(true);
	p = alloc_unbound(0, 1, DOMID_SELF);
	ok(p > 0, "control domain allocates in d1");
	ok(status(1, DOMID_SELF, p, &s) == 0 && s.u.unbound.dom == 0,
	   "remote DOMID_SELF is the caller, d0");
	ok(status(0, 1, p, &s) == 0 && s.status == EVTCHNSTAT_unbound,
	   "control domain reads d1's status");
	ok(alloc_unbound(1, 2, 1) == -XEN_EPERM, "d1 in d2: EPERM");
	ok(status(1, 2, 1, &s) == -XEN_EPERM, "d1 reads d2: EPERM");
	ok(status(1, 2, BAD_PORT, &s) == -XEN_EINVAL,
	   "bad port before permission: EINVAL (Xen's order)");
	ok(evtchn_reset(&dom[1], 2) == -XEN_EPERM, "d1 resets d2: EPERM");
	ok(evtchn_reset(&dom[0], 1) == -XEN_EINVAL,
	   "d0 resets unpaused d1: EINVAL");
	ok(status(1, 1, p, &s) == 0, "own domid works like DOMID_SELF");
	ok(alloc_unbound(1, 7, 0) == -XEN_ESRCH, "no such domain: ESRCH");
	ok(alloc_unbound(1, HYP, 0) == -XEN_ESRCH,
	   "the hypervisor's pseudo-domain is not nameable: ESRCH");
	ok(alloc_unbound(1, DOMID_SELF, 0x7ff5) > 0,
	   "any remote domid may be allowed (as Xen)");
}

static void test_reset(void)
{
	int p1, p2, ipi;

	fresh(true);
	p1 = alloc_unbound(1, DOMID_SELF, 2);
	p2 = bind_inter(2, 1, p1);
	ipi = bind_ipi(2, 0);
	bind_virq(2, VIRQ_DEBUG, 0);
	ok(evtchn_reset(&dom[2], DOMID_SELF) == 0, "d2 resets itself");
	ok(dom[2].nr_used == 1 && state_of(2, ipi) == EVTCHNSTAT_closed &&
	   state_of(2, p2) == EVTCHNSTAT_closed, "all of d2's ports closed");
	ok(state_of(1, p1) == EVTCHNSTAT_unbound, "d1's end unbound");
	ok(bind_virq(2, VIRQ_DEBUG, 0) > 0, "VIRQ free to bind again");
	evtchn_domain_destroy(&dom[1]);
	ok(dom[1].nr_used == 1, "destroy closes everything");
}

/* @d's port @gp and service port @hp: the two ends of one channel. */
static bool hyp_linked(int d, evtchn_port_t gp, int hp)
{
	struct evtchn_status s;
	u16 peer_dom = 0;

	return status(d, DOMID_SELF, gp, &s) == 0 &&
	       s.status == EVTCHNSTAT_interdomain &&
	       s.u.interdomain.dom == HYP && s.u.interdomain.port == (u32)hp &&
	       evtchn_hyp_peer(hp, &peer_dom) == gp && peer_dom == d;
}

/* @d sends on @gp: @hp's handler is called once, no bit of @d is set. */
static bool hyp_send_ok(int d, evtchn_port_t gp, int hp)
{
	int calls = hyp_calls;

	return evtchn_send(&dom[d], gp) == 0 && hyp_calls == calls + 1 &&
	       hyp_last == (u32)hp && !pending(d, gp);
}

/* The service notifies on @hp: @d's @gp is pending, its vCPU 0 kicked. */
static bool hyp_notify_ok(int d, evtchn_port_t gp, int hp)
{
	int before = kicks[d][0];

	return evtchn_hyp_notify(hp) == 0 && pending(d, gp) &&
	       kicks[d][0] == before + 1;
}

static void test_hyp(void)
{
	evtchn_port_t gp;
	u16 peer_dom = 0;
	int hp, hp2, q, before;

	fresh(true);
	before = nr_kicks();
	hp = evtchn_hyp_connect(&dom[1], hyp_fn, &hyp_calls, &gp);
	ok(hp > 0 && gp > 0, "connect d1 to a service: %d <-> %d", gp, hp);
	ok(hyp_linked(1, gp, hp), "guest sees interdomain to DOMID_XEN");
	ok(hyp_calls == 0 && nr_kicks() == before,
	   "connecting raises nothing");
	ok(hyp_send_ok(1, gp, hp), "guest send calls the handler, sets no bit");
	ok(hyp_notify_ok(1, gp, hp), "service notify raises the guest port");
	ok(evtchn_hyp_peer(hp, &peer_dom) == gp && peer_dom == 1,
	   "peer of the service port");
	ok(evtchn_close(&dom[1], gp) == 0 && evtchn_hyp_peer(hp, &peer_dom) == 0,
	   "guest closes its end: service port unbound");
	ok(evtchn_hyp_notify(hp) == 0, "notify on unbound: dropped");
	ok(bind_inter(2, HYP, hp) == -XEN_EINVAL,
	   "another domain cannot take it: EINVAL");
	q = bind_inter(1, HYP, hp);
	ok(q > 0, "the guest binds back to the service port");
	ok(evtchn_send(&dom[1], q) == 0 && hyp_calls == 2, "and it works");

	q = alloc_unbound(2, DOMID_SELF, HYP);
	hp2 = evtchn_hyp_bind(&dom[2], q, hyp_fn, &hyp_calls);
	ok(hp2 > 0 && hyp_calls == 3 && hyp_last == (u32)hp2,
	   "service binds to a frontend's port (one conservative call)");
	ok(evtchn_hyp_bind(&dom[2], q, hyp_fn, &hyp_calls) == -XEN_EINVAL,
	   "binding a bound port: EINVAL");
	ok(evtchn_hyp_bind(&dom[1], alloc_unbound(1, DOMID_SELF, 2), hyp_fn,
			   &hyp_calls) == -XEN_EINVAL,
	   "binding a port meant for another domain: EINVAL");
	hp = evtchn_hyp_alloc_unbound(&dom[1], hyp_fn, &hyp_calls);
	ok(hp > 0 && bind_inter(2, HYP, hp) == -XEN_EINVAL,
	   "service's unbound port: not for d2");
	ok(bind_inter(1, HYP, hp) > 0, "but for d1");
	ok(evtchn_hyp_close(hp2) == 0 && state_of(2, q) == EVTCHNSTAT_unbound,
	   "service closes: frontend's port unbound");
	ok(evtchn_hyp_close(hp2) == -XEN_EINVAL, "closing twice: EINVAL");
	ok(evtchn_hyp_notify(BAD_PORT) == -XEN_EINVAL &&
	   evtchn_hyp_close(BAD_PORT) == -XEN_EINVAL &&
	   evtchn_hyp_peer(BAD_PORT, &peer_dom) == 0, "bad service port");
	ok(hyp_bad == 0 && lock_errors == 0 && nr_held == 0,
	   "handlers ran with no lock held");
}

/* A handler that answers at once: notifies the guest end of its port. */
static int echo_calls, echo_rc;

static void echo_fn(void *arg, evtchn_port_t port)
{
	if (nr_held || arg != &echo_calls)
		hyp_bad++;
	echo_calls++;
	echo_rc = evtchn_hyp_notify(port);
}

/*
 * A backend inside minixen on its frontend's port: the frontend makes an
 * unbound port for DOMID_XEN, the backend binds to it (evtchn_hyp_bind).
 */
static void test_hyp_bind(void)
{
	struct evtchn_status s;
	u16 peer_dom = 0;
	int gp, hp, before;
	u32 used;

	fresh(true);
	used = evtchn_hyp_dom.nr_used;
	gp = alloc_unbound(2, DOMID_SELF, HYP);
	ok(gp > 0 && status(2, DOMID_SELF, gp, &s) == 0 &&
	   s.status == EVTCHNSTAT_unbound && s.u.unbound.dom == HYP,
	   "hyp bind: the frontend's port, unbound for DOMID_XEN");
	before = nr_kicks();
	hp = evtchn_hyp_bind(&dom[2], gp, hyp_fn, &hyp_calls);
	ok(hp > 0 && hyp_calls == 1 && hyp_last == (u32)hp &&
	   !pending(2, gp) && nr_kicks() == before,
	   "hyp bind: the handler runs once during the bind, on its port");
	ok(hyp_linked(2, gp, hp), "hyp bind: each end names the other");
	ok(hyp_send_ok(2, gp, hp) && hyp_calls == 2,
	   "hyp bind: the frontend's EVTCHNOP_send calls the handler");
	ok(hyp_notify_ok(2, gp, hp),
	   "hyp bind: notify sets the frontend's pending bit, kicks its vCPU");
	guest_handle(2);
	ok(evtchn_close(&dom[2], gp) == 0 &&
	   evtchn_hyp_peer(hp, &peer_dom) == 0 &&
	   evtchn_hyp_notify(hp) == 0 && !pending(2, gp) && hyp_calls == 2,
	   "hyp bind: the frontend closes: no peer, notify dropped");
	ok(evtchn_hyp_close(hp) == 0 &&
	   evtchn_hyp_dom.port[hp].state == ECS_FREE &&
	   evtchn_hyp_dom.nr_used == used,
	   "hyp bind: the backend closes: its port is free");

	gp = alloc_unbound(2, DOMID_SELF, HYP);
	hp = evtchn_hyp_bind(&dom[2], gp, hyp_fn, &hyp_calls);
	ok(hp > 0 && evtchn_hyp_close(hp) == 0 &&
	   state_of(2, gp) == EVTCHNSTAT_unbound &&
	   evtchn_hyp_dom.nr_used == used,
	   "hyp bind: the backend closes first: the frontend's port unbound");
	hp = evtchn_hyp_bind(&dom[2], gp, echo_fn, &echo_calls);
	ok(hp > 0 && echo_calls == 1 && echo_rc == 0 && pending(2, gp),
	   "hyp bind: bound again; a handler notifying from the bind works");
	evtchn_domain_destroy(&dom[2]);
	ok(evtchn_hyp_peer(hp, &peer_dom) == 0 && evtchn_hyp_close(hp) == 0 &&
	   evtchn_hyp_dom.nr_used == used,
	   "hyp bind: the frontend's domain destroyed: no peer; closed");
	ok(hyp_bad == 0 && lock_errors == 0 && nr_held == 0,
	   "hyp bind: handlers ran with no lock held");
}

static void test_hyp_bind_bad(void)
{
	int gp, ipi, virq, q, hp;
	u32 used;

	fresh(true);
	used = evtchn_hyp_dom.nr_used;
	ok(evtchn_hyp_bind(&dom[1], BAD_PORT, hyp_fn, &hyp_calls) ==
	   -XEN_EINVAL &&
	   evtchn_hyp_bind(&dom[1], ~0U, hyp_fn, &hyp_calls) == -XEN_EINVAL,
	   "hyp bind: ports out of range: EINVAL");
	ok(evtchn_hyp_bind(&dom[1], 0, hyp_fn, &hyp_calls) == -XEN_EINVAL &&
	   evtchn_hyp_bind(&dom[1], 7, hyp_fn, &hyp_calls) == -XEN_EINVAL,
	   "hyp bind: the reserved port 0, a free port: EINVAL");
	gp = alloc_unbound(1, DOMID_SELF, 2);
	q = alloc_unbound(1, DOMID_SELF, DOMID_SELF);
	ok(gp > 0 && q > 0 &&
	   evtchn_hyp_bind(&dom[1], gp, hyp_fn, &hyp_calls) == -XEN_EINVAL &&
	   evtchn_hyp_bind(&dom[1], q, hyp_fn, &hyp_calls) == -XEN_EINVAL &&
	   state_of(1, gp) == EVTCHNSTAT_unbound,
	   "hyp bind: unbound for domain 2 or for itself, not DOMID_XEN: EINVAL");
	ipi = bind_ipi(1, 0);
	virq = bind_virq(1, VIRQ_DEBUG, 0);
	q = bind_inter(2, 1, gp);
	ok(ipi > 0 && virq > 0 && q > 0 &&
	   evtchn_hyp_bind(&dom[1], ipi, hyp_fn, &hyp_calls) == -XEN_EINVAL &&
	   evtchn_hyp_bind(&dom[1], virq, hyp_fn, &hyp_calls) == -XEN_EINVAL &&
	   evtchn_hyp_bind(&dom[1], gp, hyp_fn, &hyp_calls) == -XEN_EINVAL,
	   "hyp bind: IPI, VIRQ and interdomain ports: EINVAL");
	gp = alloc_unbound(1, DOMID_SELF, HYP);
	hp = evtchn_hyp_bind(&dom[1], gp, hyp_fn, &hyp_calls);
	ok(hp > 0 && evtchn_hyp_bind(&dom[1], gp, hyp_fn, &hyp_calls) ==
	   -XEN_EINVAL && hyp_calls == 1 && evtchn_hyp_dom.nr_used == used + 1,
	   "hyp bind: binding twice: EINVAL, the first binding stands");
	gp = alloc_unbound(2, DOMID_SELF, HYP);
	ok(evtchn_hyp_bind(&dom[1], gp, hyp_fn, &hyp_calls) == -XEN_EINVAL &&
	   state_of(2, gp) == EVTCHNSTAT_unbound,
	   "hyp bind: naming another domain's port number: EINVAL");
	ok(hyp_calls == 1 && evtchn_hyp_dom.nr_used == used + 1 &&
	   lock_errors == 0 && nr_held == 0,
	   "hyp bind: refusals take no service port and call no handler");
}

struct bad_case {
	const char *what;
	u32 cmd;
	int as;
	union {
		struct evtchn_alloc_unbound alloc;
		struct evtchn_bind_interdomain inter;
		struct evtchn_bind_virq virq;
		struct evtchn_bind_ipi ipi;
		struct evtchn_close close;
		struct evtchn_send send;
		struct evtchn_status status;
		struct evtchn_bind_vcpu vcpu;
		struct evtchn_unmask unmask;
		struct evtchn_reset reset;
		struct evtchn_init_control init;
		u64 raw[4];
	} u;
	int rc;
};

/* Ports set up by test_bad(): in d1 unless said otherwise. */
#define P_UNB_D2	1	/* unbound for d2 */
#define P_IPI		2
#define P_VIRQ		3	/* per-vCPU VIRQ_DEBUG */
#define P_FREE		10
#define BIG		0xffffffffU

static const struct bad_case bad[] = {
	{ "alloc_unbound: no such domain", EVTCHNOP_alloc_unbound, 1,
	  { .alloc = { .dom = 9 } }, -XEN_ESRCH },
	{ "alloc_unbound: DOMID_XEN", EVTCHNOP_alloc_unbound, 1,
	  { .alloc = { .dom = DOMID_XEN } }, -XEN_ESRCH },
	{ "alloc_unbound: other domain", EVTCHNOP_alloc_unbound, 1,
	  { .alloc = { .dom = 2 } }, -XEN_EPERM },
	{ "bind_interdomain: no such domain", EVTCHNOP_bind_interdomain, 2,
	  { .inter = { .remote_dom = 9, .remote_port = P_UNB_D2 } },
	  -XEN_ESRCH },
	{ "bind_interdomain: port 0", EVTCHNOP_bind_interdomain, 2,
	  { .inter = { .remote_dom = 1, .remote_port = 0 } }, -XEN_EINVAL },
	{ "bind_interdomain: port past table", EVTCHNOP_bind_interdomain, 2,
	  { .inter = { .remote_dom = 1, .remote_port = BAD_PORT } },
	  -XEN_EINVAL },
	{ "bind_interdomain: port ~0", EVTCHNOP_bind_interdomain, 2,
	  { .inter = { .remote_dom = 1, .remote_port = BIG } }, -XEN_EINVAL },
	{ "bind_interdomain: free port", EVTCHNOP_bind_interdomain, 2,
	  { .inter = { .remote_dom = 1, .remote_port = P_FREE } },
	  -XEN_EINVAL },
	{ "bind_interdomain: IPI port", EVTCHNOP_bind_interdomain, 2,
	  { .inter = { .remote_dom = 1, .remote_port = P_IPI } },
	  -XEN_EINVAL },
	{ "bind_interdomain: not for us", EVTCHNOP_bind_interdomain, 0,
	  { .inter = { .remote_dom = 1, .remote_port = P_UNB_D2 } },
	  -XEN_EINVAL },
	{ "bind_interdomain: DOMID_XEN, nothing there",
	  EVTCHNOP_bind_interdomain, 2,
	  { .inter = { .remote_dom = DOMID_XEN, .remote_port = 5 } },
	  -XEN_EINVAL },
	{ "bind_virq: NR_VIRQS", EVTCHNOP_bind_virq, 1,
	  { .virq = { .virq = NR_VIRQS } }, -XEN_EINVAL },
	{ "bind_virq: ~0", EVTCHNOP_bind_virq, 1,
	  { .virq = { .virq = BIG } }, -XEN_EINVAL },
	{ "bind_virq: global on vCPU 1", EVTCHNOP_bind_virq, 1,
	  { .virq = { .virq = VIRQ_CONSOLE, .vcpu = 1 } }, -XEN_EINVAL },
	{ "bind_virq: global on vCPU ~0", EVTCHNOP_bind_virq, 1,
	  { .virq = { .virq = VIRQ_DOM_EXC, .vcpu = BIG } }, -XEN_EINVAL },
	{ "bind_virq: per-vCPU on missing vCPU", EVTCHNOP_bind_virq, 1,
	  { .virq = { .virq = VIRQ_TIMER, .vcpu = NR_VCPUS } }, -XEN_ENOENT },
	{ "bind_virq: per-vCPU on vCPU ~0", EVTCHNOP_bind_virq, 1,
	  { .virq = { .virq = VIRQ_TIMER, .vcpu = BIG } }, -XEN_ENOENT },
	{ "bind_virq: bound already", EVTCHNOP_bind_virq, 1,
	  { .virq = { .virq = VIRQ_DEBUG, .vcpu = 0 } }, -XEN_EEXIST },
	{ "bind_ipi: missing vCPU", EVTCHNOP_bind_ipi, 1,
	  { .ipi = { .vcpu = NR_VCPUS } }, -XEN_ENOENT },
	{ "bind_ipi: vCPU ~0", EVTCHNOP_bind_ipi, 1,
	  { .ipi = { .vcpu = BIG } }, -XEN_ENOENT },
	{ "close: port 0", EVTCHNOP_close, 1,
	  { .close = { .port = 0 } }, -XEN_EINVAL },
	{ "close: free port", EVTCHNOP_close, 1,
	  { .close = { .port = P_FREE } }, -XEN_EINVAL },
	{ "close: port past table", EVTCHNOP_close, 1,
	  { .close = { .port = BAD_PORT } }, -XEN_EINVAL },
	{ "close: port ~0", EVTCHNOP_close, 1,
	  { .close = { .port = BIG } }, -XEN_EINVAL },
	{ "send: port 0", EVTCHNOP_send, 1,
	  { .send = { .port = 0 } }, -XEN_EINVAL },
	{ "send: free port", EVTCHNOP_send, 1,
	  { .send = { .port = P_FREE } }, -XEN_EINVAL },
	{ "send: VIRQ port", EVTCHNOP_send, 1,
	  { .send = { .port = P_VIRQ } }, -XEN_EINVAL },
	{ "send: port ~0", EVTCHNOP_send, 1,
	  { .send = { .port = BIG } }, -XEN_EINVAL },
	{ "status: port past table", EVTCHNOP_status, 1,
	  { .status = { .dom = DOMID_SELF, .port = BAD_PORT } },
	  -XEN_EINVAL },
	{ "status: no such domain", EVTCHNOP_status, 1,
	  { .status = { .dom = 9, .port = 1 } }, -XEN_ESRCH },
	{ "status: DOMID_XEN", EVTCHNOP_status, 1,
	  { .status = { .dom = DOMID_XEN, .port = 1 } }, -XEN_ESRCH },
	{ "status: other domain", EVTCHNOP_status, 1,
	  { .status = { .dom = 2, .port = 1 } }, -XEN_EPERM },
	{ "bind_vcpu: missing vCPU", EVTCHNOP_bind_vcpu, 1,
	  { .vcpu = { .port = P_UNB_D2, .vcpu = NR_VCPUS } }, -XEN_ENOENT },
	{ "bind_vcpu: vCPU ~0", EVTCHNOP_bind_vcpu, 1,
	  { .vcpu = { .port = BIG, .vcpu = BIG } }, -XEN_ENOENT },
	{ "bind_vcpu: port past table", EVTCHNOP_bind_vcpu, 1,
	  { .vcpu = { .port = BAD_PORT, .vcpu = 0 } }, -XEN_EINVAL },
	{ "bind_vcpu: port 0", EVTCHNOP_bind_vcpu, 1,
	  { .vcpu = { .port = 0, .vcpu = 1 } }, -XEN_EINVAL },
	{ "bind_vcpu: free port", EVTCHNOP_bind_vcpu, 1,
	  { .vcpu = { .port = P_FREE, .vcpu = 1 } }, -XEN_EINVAL },
	{ "bind_vcpu: IPI", EVTCHNOP_bind_vcpu, 1,
	  { .vcpu = { .port = P_IPI, .vcpu = 1 } }, -XEN_EINVAL },
	{ "bind_vcpu: per-vCPU VIRQ", EVTCHNOP_bind_vcpu, 1,
	  { .vcpu = { .port = P_VIRQ, .vcpu = 1 } }, -XEN_EINVAL },
	{ "unmask: port past table", EVTCHNOP_unmask, 1,
	  { .unmask = { .port = BAD_PORT } }, -XEN_EINVAL },
	{ "unmask: port ~0", EVTCHNOP_unmask, 1,
	  { .unmask = { .port = BIG } }, -XEN_EINVAL },
	{ "reset: no such domain", EVTCHNOP_reset, 1,
	  { .reset = { .dom = 9 } }, -XEN_ESRCH },
	{ "reset: DOMID_XEN", EVTCHNOP_reset, 0,
	  { .reset = { .dom = DOMID_XEN } }, -XEN_ESRCH },
	{ "reset: other domain", EVTCHNOP_reset, 1,
	  { .reset = { .dom = 2 } }, -XEN_EPERM },
	{ "bind_pirq: no physical IRQs", EVTCHNOP_bind_pirq, 1,
	  { .raw = { 0 } }, -XEN_EINVAL },
	{ "init_control: FIFO not offered", EVTCHNOP_init_control, 1,
	  { .init = { .control_gfn = 0x40000 } }, -XEN_ENOSYS },
	{ "expand_array", EVTCHNOP_expand_array, 1, { .raw = { 0 } },
	  -XEN_ENOSYS },
	{ "set_priority", EVTCHNOP_set_priority, 1, { .raw = { 1, 0 } },
	  -XEN_ENOSYS },
	{ "unknown op 14", 14, 1, { .raw = { 0 } }, -XEN_ENOSYS },
	{ "unknown op ~0", BIG, 1, { .raw = { 0 } }, -XEN_ENOSYS },
};

static void test_bad(void)
{
	u32 i, used[NR_DOMS];
	int d;

	fresh(true);
	ok(alloc_unbound(1, DOMID_SELF, 2) == P_UNB_D2 &&
	   bind_ipi(1, 0) == P_IPI &&
	   bind_virq(1, VIRQ_DEBUG, 0) == P_VIRQ, "set up d1's ports");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		const struct bad_case *c = &bad[i];
		u64 arg[4];
		bool same = true;
		long rc;

		for (d = 0; d < NR_DOMS; d++)
			used[d] = dom[d].nr_used;
		memcpy(arg, &c->u, sizeof(arg));
		rc = evtchn_op(&dom[c->as], c->cmd, arg);
		for (d = 0; d < NR_DOMS; d++)
			same &= used[d] == dom[d].nr_used;
		ok(rc == c->rc && same, "%s: %ld (want %d), tables unchanged",
		   c->what, rc, c->rc);
	}
	ok(evtchn_op_size(EVTCHNOP_status) == sizeof(struct evtchn_status) &&
	   evtchn_op_size(EVTCHNOP_init_control) == 24 &&
	   evtchn_op_size(14) == 0 && evtchn_op_size(BIG) == 0,
	   "evtchn_op_size");
}

static void test_full(void)
{
	struct evtchn_bind_interdomain b;
	evtchn_port_t gp;
	int n = 0, p;

	fresh(true);
	p = alloc_unbound(2, DOMID_SELF, 1);
	while (bind_ipi(1, 0) > 0)
		n++;
	ok(n == EVTCHN_NR_PORTS - 1, "d1 fills up after %d ports", n);
	ok(bind_ipi(1, 0) == -XEN_ENOSPC, "bind_ipi: ENOSPC");
	ok(alloc_unbound(1, DOMID_SELF, 2) == -XEN_ENOSPC,
	   "alloc_unbound: ENOSPC");
	ok(bind_virq(1, VIRQ_DEBUG, 0) == -XEN_ENOSPC, "bind_virq: ENOSPC");
	b.remote_dom = 2;
	b.remote_port = p;
	ok(evtchn_bind_interdomain(&dom[1], &b) == -XEN_ENOSPC &&
	   state_of(2, p) == EVTCHNSTAT_unbound,
	   "bind_interdomain: ENOSPC, remote untouched");
	ok(evtchn_hyp_connect(&dom[1], hyp_fn, &hyp_calls, &gp) ==
	   -XEN_ENOSPC, "service connect: ENOSPC");
	ok(alloc_unbound(0, 1, 2) == -XEN_ENOSPC,
	   "control domain allocating in full d1: ENOSPC");
	ok(alloc_unbound(2, 1, 2) == -XEN_ENOSPC,
	   "d2 in full d1: ENOSPC (Xen checks space before permission)");
	ok(evtchn_close(&dom[1], EVTCHN_NR_PORTS - 1) == 0 &&
	   bind_ipi(1, 0) == EVTCHN_NR_PORTS - 1, "last port reusable");
}

/* ---- random operations, table invariants ---- */

static u64 rng = 0x9e3779b97f4a7c15UL;

static u32 rnd(u32 n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (u32)(rng >> 11) % n;
}

static struct evtchn_domain *any_dom(u16 domid)
{
	return domid == HYP ? &evtchn_hyp_dom : lookup(domid);
}

/* Returns the number of violations found in @d's table. */
static int check_dom(struct evtchn_domain *d)
{
	int bad_n = 0;
	u32 i, v, used = 0;

	bad_n += d->port[0].state != ECS_RESERVED;
	for (i = 0; i < EVTCHN_NR_PORTS; i++) {
		struct evtchn_port *p = &d->port[i];
		struct evtchn_domain *rd;

		used += p->state != ECS_FREE;
		bad_n += p->state > ECS_IPI;
		bad_n += p->vcpu >= d->nr_vcpus;
		bad_n += i && p->state == ECS_RESERVED;
		if (p->state == ECS_FREE && d->shinfo)
			bad_n += bit(d->shinfo->evtchn_pending, i);
		if (p->state == ECS_INTERDOMAIN) {
			rd = any_dom(p->remote_dom);
			if (!rd || p->remote_port >= EVTCHN_NR_PORTS ||
			    p->remote_port == 0) {
				bad_n++;
				continue;
			}
			bad_n += rd->port[p->remote_port].state !=
				 ECS_INTERDOMAIN;
			bad_n += rd->port[p->remote_port].remote_dom != d->domid;
			bad_n += rd->port[p->remote_port].remote_port != i;
		}
		if (p->state == ECS_VIRQ) {
			u16 slot;

			if (p->remote_port >= NR_VIRQS) {
				bad_n++;
				continue;
			}
			slot = evtchn_virq_is_global(p->remote_port) ?
			       d->global_virq[p->remote_port] :
			       d->vcpu[p->vcpu].virq[p->remote_port];
			bad_n += slot != i;
		}
		if (d->handler && p->state == ECS_FREE)
			bad_n += !!d->handler[i].fn;
	}
	bad_n += used != d->nr_used;
	for (i = 0; i < NR_VIRQS; i++) {
		u16 g = d->global_virq[i];

		bad_n += g && (d->port[g].state != ECS_VIRQ ||
			       d->port[g].remote_port != i);
		for (v = 0; v < d->nr_vcpus; v++) {
			u16 q = d->vcpu[v].virq[i];

			bad_n += q && (d->port[q].state != ECS_VIRQ ||
				       d->port[q].remote_port != i ||
				       d->port[q].vcpu != v);
		}
	}
	return bad_n;
}

/* Pending and not masked: some vCPU has the word selected and upcall. */
static int check_delivery(int d)
{
	int bad_n = 0, j;
	u32 i;

	for (i = 1; i < EVTCHN_NR_PORTS; i++) {
		bool seen = false;

		if (!pending(d, i) || bit(shinfo[d]->evtchn_mask, i))
			continue;
		for (j = 0; j < NR_VCPUS; j++)
			seen |= (vinfo[d][j]->evtchn_pending_sel &
				 (1UL << (i / 64))) &&
				vinfo[d][j]->evtchn_upcall_pending;
		bad_n += !seen;
	}
	return bad_n;
}

static evtchn_port_t pick_port(struct evtchn_domain *d)
{
	static const u32 odd[] = { 0, EVTCHN_NR_PORTS - 1, EVTCHN_NR_PORTS,
				   0xffffffffU, 0x80000000U };
	u32 r = rnd(10);

	if (r < 7)
		return rnd(d->nr_used + 8);
	if (r < 9)
		return rnd(EVTCHN_NR_PORTS + 64);
	return odd[rnd(5)];
}

static domid_t pick_dom(void)
{
	static const domid_t ids[] = { 0, 1, 2, DOMID_SELF, DOMID_SELF,
				       DOMID_SELF, 7, HYP };

	return ids[rnd(8)];
}

static int hyp_ports[64], nr_hyp_ports;

static void random_hyp_op(struct evtchn_domain *d)
{
	evtchn_port_t gp;
	int r = rnd(6), hp = 0, i;

	switch (r) {
	case 0:
		hp = evtchn_hyp_connect(d, hyp_fn, &hyp_calls, &gp);
		break;
	case 1:
		hp = evtchn_hyp_bind(d, pick_port(d), hyp_fn, &hyp_calls);
		break;
	case 2:
		hp = evtchn_hyp_alloc_unbound(d, hyp_fn, &hyp_calls);
		break;
	case 3:
		if (nr_hyp_ports)
			evtchn_hyp_notify(hyp_ports[rnd(nr_hyp_ports)]);
		break;
	default:
		if (!nr_hyp_ports)
			break;
		i = rnd(nr_hyp_ports);
		evtchn_hyp_close(hyp_ports[i]);
		hyp_ports[i] = hyp_ports[--nr_hyp_ports];
		break;
	}
	if (hp > 0 && nr_hyp_ports < 64)
		hyp_ports[nr_hyp_ports++] = hp;
}

static long random_op(struct evtchn_domain *d, int *op)
{
	u64 raw[4] = { 0 };
	u32 cmd = rnd(14);

	*op = cmd;
	switch (cmd) {
	case EVTCHNOP_alloc_unbound: {
		struct evtchn_alloc_unbound *a = (void *)raw;

		a->dom = rnd(4) ? DOMID_SELF : pick_dom();
		a->remote_dom = pick_dom();
		break;
	}
	case EVTCHNOP_bind_interdomain: {
		struct evtchn_bind_interdomain *b = (void *)raw;

		b->remote_dom = pick_dom();
		b->remote_port = pick_port(d);
		break;
	}
	case EVTCHNOP_bind_virq: {
		struct evtchn_bind_virq *b = (void *)raw;

		b->virq = rnd(NR_VIRQS + 2);
		b->vcpu = rnd(NR_VCPUS + 1);
		break;
	}
	case EVTCHNOP_bind_ipi:
		((struct evtchn_bind_ipi *)raw)->vcpu = rnd(NR_VCPUS + 1);
		break;
	case EVTCHNOP_status: {
		struct evtchn_status *s = (void *)raw;

		s->dom = pick_dom();
		s->port = pick_port(d);
		break;
	}
	case EVTCHNOP_bind_vcpu: {
		struct evtchn_bind_vcpu *b = (void *)raw;

		b->port = pick_port(d);
		b->vcpu = rnd(NR_VCPUS + 1);
		break;
	}
	case EVTCHNOP_reset:
		if (rnd(20))	/* rarely: it empties the table */
			return 0;
		((struct evtchn_reset *)raw)->dom = pick_dom();
		break;
	case 11:
		random_hyp_op(d);
		return 0;
	case 12:	/* guest masks / handles its events */
		if (rnd(2))
			set_mask(d - dom, pick_port(d) % EVTCHN_NR_PORTS, true);
		else
			guest_handle(d - dom);
		return 0;
	case 13:
		return evtchn_send_virq(d, rnd(NR_VIRQS + 1), rnd(NR_VCPUS + 1));
	default:	/* close, send, unmask: a port */
		raw[0] = pick_port(d);
		break;
	}
	return evtchn_op(d, cmd, raw);
}

static const char *const op_name[] = {
	"bind_interdomain", "bind_virq", "bind_pirq", "close", "send",
	"status", "alloc_unbound", "bind_ipi", "bind_vcpu", "unmask",
};

static void test_stress(void)
{
	int n, i, j, op, inv = 0, deliv = 0, kick_bad = 0, locks = 0;
	int results[14][2] = { { 0 } };

	fresh(true);
	for (i = 0; i < NR_DOMS; i++)
		guest_handle(i);
	memset(kicks, 0, sizeof(kicks));
	nr_hyp_ports = 0;
	for (n = 0; n < 100000; n++) {
		u8 up[NR_DOMS][NR_VCPUS];
		int k[NR_DOMS][NR_VCPUS];
		long rc;

		for (i = 0; i < NR_DOMS; i++)
			for (j = 0; j < NR_VCPUS; j++) {
				up[i][j] = vinfo[i][j]->evtchn_upcall_pending;
				k[i][j] = kicks[i][j];
			}
		rc = random_op(&dom[rnd(NR_DOMS)], &op);
		results[op][rc == 0]++;
		locks += nr_held != 0;
		/* A kick exactly for each upcall_pending 0 -> 1. */
		for (i = 0; i < NR_DOMS; i++)
			for (j = 0; j < NR_VCPUS; j++)
				kick_bad += kicks[i][j] - k[i][j] !=
					    (!up[i][j] &&
					     vinfo[i][j]->evtchn_upcall_pending);
		if (n % 1000 == 999) {
			for (i = 0; i < NR_DOMS; i++) {
				inv += check_dom(&dom[i]);
				deliv += check_delivery(i);
			}
			inv += check_dom(&evtchn_hyp_dom);
		}
	}
	ok(inv == 0, "stress: table invariants held (%d violations)", inv);
	ok(deliv == 0, "stress: every unmasked pending port was delivered");
	ok(kick_bad == 0, "stress: one kick per upcall_pending 0 -> 1");
	ok(locks == 0 && lock_errors == 0 && bad_kicks == 0 && hyp_bad == 0,
	   "stress: locks balanced and ordered, hooks unlocked");
	for (i = 0; i <= EVTCHNOP_unmask; i++)
		if (i != EVTCHNOP_bind_pirq)
			ok(results[i][1] > 100 && results[i][0] > 100,
			   "stress: %s: %d succeeded, %d failed", op_name[i],
			   results[i][1], results[i][0]);
	ok(hyp_calls > 100, "stress: %d service handler calls", hyp_calls);
}

int main(void)
{
	int i, j;

	for (i = 0; i < NR_DOMS; i++) {
		shinfo[i] = aligned_alloc(SZ_4K, SZ_4K);
		for (j = 0; j < NR_VCPUS; j++)
			vinfo[i][j] = aligned_alloc(SZ_4K, SZ_4K);
	}
	test_init();
	test_interdomain();
	test_mask();
	test_ipi_virq();
	test_poll();
	test_vcpu_info();
	test_privilege();
	test_reset();
	test_hyp();
	test_hyp_bind();
	test_hyp_bind_bad();
	test_bad();
	test_full();
	test_stress();
	for (i = 0; i < NR_DOMS; i++) {
		free(shinfo[i]);
		for (j = 0; j < NR_VCPUS; j++)
			free(vinfo[i][j]);
	}
	return tap_done();
}
