// SPDX-License-Identifier: GPL-2.0-only
/*
 * Event channels: SCHEDOP_poll. A polling vCPU has the ports it waits
 * for in a bitmap and its polling flag set; the first of them to become
 * pending (evtchn_2l.c's set_pending, masked or not) clears the flag and
 * wakes it through ops->poll_wake. An event on another port leaves the
 * poll alone (its upcall waits for the vCPU's next entry).
 *
 * The flag is the only synchronisation: the poller sets it before it
 * looks at the pending bits, a sender sets the pending bit before it
 * looks at the flag, both with sequentially consistent atomics, so that
 * at least one of them sees the other; whoever clears the flag first
 * (poller or sender) ends the poll, exactly once.
 */
#include "evtchn_priv.h"

static bool port_pending(struct evtchn_domain *d, evtchn_port_t port)
{
	return __atomic_load_n(&d->shinfo->evtchn_pending
			       [port / EVTCHN_WORD_BITS], __ATOMIC_SEQ_CST) &
	       BIT(port % EVTCHN_WORD_BITS);
}

/* Take the poll over: true for exactly one caller per poll. */
static bool poll_claim(struct evtchn_vcpu *v)
{
	return __atomic_exchange_n(&v->polling, 0, __ATOMIC_SEQ_CST);
}

int evtchn_poll_start(struct evtchn_domain *d, u32 vcpu, const u32 *ports,
		      u32 nr)
{
	struct evtchn_vcpu *v;
	u32 i;

	if (!d->shinfo || vcpu >= d->nr_vcpus || nr > EVTCHN_POLL_MAX)
		return -XEN_EINVAL;
	v = &d->vcpu[vcpu];
	poll_claim(v);
	memset(v->poll, 0, sizeof(v->poll));
	for (i = 0; i < nr && evtchn_port_ok(ports[i]); i++)
		v->poll[ports[i] / EVTCHN_WORD_BITS] |=
			BIT(ports[i] % EVTCHN_WORD_BITS);
	__atomic_store_n(&v->polling, 1, __ATOMIC_SEQ_CST);
	for (i = 0; i < nr; i++) {
		if (!evtchn_port_ok(ports[i])) {
			poll_claim(v);
			return -XEN_EINVAL;
		}
		if (port_pending(d, ports[i])) {
			poll_claim(v);
			return 1;
		}
	}
	return 0;
}

bool evtchn_poll_active(struct evtchn_domain *d, u32 vcpu)
{
	return vcpu < d->nr_vcpus &&
	       __atomic_load_n(&d->vcpu[vcpu].polling, __ATOMIC_SEQ_CST);
}

void evtchn_poll_end(struct evtchn_domain *d, u32 vcpu)
{
	if (vcpu < d->nr_vcpus)
		poll_claim(&d->vcpu[vcpu]);
}

void evtchn_poll_check(struct evtchn_domain *d, evtchn_port_t port,
		       struct evtchn_defer *df)
{
	u64 bit = BIT(port % EVTCHN_WORD_BITS);
	u32 i;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (i = 0; i < d->nr_vcpus; i++) {
		struct evtchn_vcpu *v = &d->vcpu[i];

		if (!__atomic_load_n(&v->polling, __ATOMIC_SEQ_CST) ||
		    !(READ_ONCE(v->poll[port / EVTCHN_WORD_BITS]) & bit) ||
		    !poll_claim(v))
			continue;
		df->poll_d = d;
		df->poll_vcpus |= BIT(i);
	}
}

void evtchn_poll_wake(struct evtchn_defer *df)
{
	u32 i;

	if (!df->poll_d || !evtchn_hooks->poll_wake)
		return;
	for (i = 0; i < df->poll_d->nr_vcpus; i++)
		if (df->poll_vcpus & BIT(i))
			evtchn_hooks->poll_wake(df->poll_d, i);
}
