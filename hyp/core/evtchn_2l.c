// SPDX-License-Identifier: GPL-2.0-only
/*
 * Event channels: the 2-level bits in guest memory. shared_info holds a
 * pending and a mask bit per port, each vcpu_info a bit per 64-port word
 * (evtchn_pending_sel) and evtchn_upcall_pending, the level of the event
 * PPI. The guest changes all of them concurrently, so every update is an
 * atomic read-modify-write, bounded (guest_atomic.h: a guest hammering
 * the line gets its domain crashed, it cannot hold a CPU here), followed
 * by a full barrier, the ordering
 * of Linux's test_and_set_bit(), which its upcall handler relies on:
 * the pending bit is visible before the selector bit, the selector bit
 * before upcall_pending, upcall_pending before the PPI is raised.
 */
#include <minixen/guest_atomic.h>
#include "evtchn_priv.h"

/* Layouts as Xen has them for arm64 guests; limits of the 2-level ABI. */
void evtchn_2l_check_layout(void)
{
	EVTCHN_MUST(EVTCHN_NR_PORTS % EVTCHN_WORD_BITS == 0);
	EVTCHN_MUST(EVTCHN_NR_PORTS <= EVTCHN_2L_NR_CHANNELS);
	EVTCHN_MUST(MAX_VCPUS <= 0xffff);
	EVTCHN_MUST(sizeof(struct vcpu_info_arm64) == 48);
	EVTCHN_MUST(offsetof(struct vcpu_info_arm64,
			     evtchn_upcall_pending) == 0);
	EVTCHN_MUST(offsetof(struct vcpu_info_arm64, evtchn_pending_sel) == 8);
	EVTCHN_MUST(offsetof(struct shared_info_arm64, evtchn_pending) == 48);
	EVTCHN_MUST(offsetof(struct shared_info_arm64,
			     evtchn_mask) == 48 + 512);
	/* Where the native layout is arm64's (or, on x86, the same). */
	EVTCHN_MUST(offsetof(struct vcpu_info_arm64, evtchn_pending_sel) ==
		    offsetof(struct vcpu_info, evtchn_pending_sel));
	EVTCHN_MUST(sizeof(((struct shared_info *)0)->evtchn_pending) ==
		    sizeof(((struct shared_info_arm64 *)0)->evtchn_pending));
#ifdef __aarch64__
	EVTCHN_MUST(sizeof(struct vcpu_info_arm64) == sizeof(struct vcpu_info));
	EVTCHN_MUST(sizeof(struct shared_info_arm64) ==
		    sizeof(struct shared_info));
	EVTCHN_MUST(offsetof(struct shared_info_arm64, evtchn_mask) ==
		    offsetof(struct shared_info, evtchn_mask));
#endif
}

/*
 * Test-and-set / test-and-clear of a bit the guest shares: 1 or 0, the
 * bit before; -1 if the guest kept the word busy (guest_atomic.h).
 */
static int guest_test_and_set(u64 *word, u32 bit)
{
	u64 m = 1UL << bit, old;

	if (!guest_or64(word, m, &old))
		return -1;
	return !!(old & m);
}

static int guest_test_and_clear(u64 *word, u32 bit)
{
	u64 m = 1UL << bit, old;

	if (!guest_and64(word, ~m, &old))
		return -1;
	return !!(old & m);
}

/* @d's guest keeps its event words busy: once the locks are dropped. */
static void hostile(struct evtchn_domain *d, struct evtchn_defer *df)
{
	df->hostile = d;
}

static bool guest_test(u64 *word, u32 bit)
{
	return __atomic_load_n(word, __ATOMIC_ACQUIRE) & (1UL << bit);
}

static struct vcpu_info_arm64 *vcpu_info(struct evtchn_domain *d, u32 vcpu)
{
	if (vcpu >= d->nr_vcpus)	/* never: ports keep vcpu in range */
		return &d->dummy;
	return __atomic_load_n(&d->vcpu[vcpu].info, __ATOMIC_ACQUIRE);
}

/* Set upcall_pending; kick on its 0 -> 1 edge. */
static void mark_upcall(struct evtchn_domain *d, u32 vcpu,
			struct evtchn_defer *df)
{
	struct vcpu_info_arm64 *vi = vcpu_info(d, vcpu);
	u8 old;

	if (!guest_xchg8(&vi->evtchn_upcall_pending, 1, &old)) {
		hostile(d, df);
	} else if (!old) {
		df->kick_d = d;
		df->kick_vcpu = vcpu;
	}
}

/* Select the port's word on @vcpu; a first selection raises the upcall. */
static void select_word(struct evtchn_domain *d, evtchn_port_t port,
			u32 vcpu, struct evtchn_defer *df)
{
	struct vcpu_info_arm64 *vi = vcpu_info(d, vcpu);
	int was;

	/* No vcpu_info yet: registering it will select every word. */
	if (vi == &d->dummy)
		return;
	was = guest_test_and_set(&vi->evtchn_pending_sel,
				 port / EVTCHN_WORD_BITS);
	if (was < 0)
		hostile(d, df);
	else if (!was)
		mark_upcall(d, vcpu, df);
}

static void set_pending(struct evtchn_domain *d, evtchn_port_t port,
			u32 vcpu, struct evtchn_defer *df)
{
	u32 w = port / EVTCHN_WORD_BITS, b = port % EVTCHN_WORD_BITS;
	int was = guest_test_and_set(&d->shinfo->evtchn_pending[w], b);

	if (was < 0)
		hostile(d, df);
	if (was)
		return;
	evtchn_poll_check(d, port, df);
	if (!guest_test(&d->shinfo->evtchn_mask[w], b))
		select_word(d, port, vcpu, df);
}

void evtchn_raise(struct evtchn_domain *d, evtchn_port_t port,
		  struct evtchn_defer *df)
{
	const struct evtchn_port *p = &d->port[port];

	if (d->handler) {
		df->fn = d->handler[port].fn;
		df->arg = d->handler[port].arg;
		df->hport = port;
		return;
	}
	set_pending(d, port, READ_ONCE(p->vcpu), df);
}

void evtchn_defer_run(struct evtchn_defer *df)
{
	if (df->kick_d)
		evtchn_hooks->kick(df->kick_d, df->kick_vcpu);
	if (df->fn)
		df->fn(df->arg, df->hport);
	if (df->hostile && evtchn_hooks->hostile)
		evtchn_hooks->hostile(df->hostile);
	evtchn_poll_wake(df);
}

void evtchn_2l_clear_pending(struct evtchn_domain *d, evtchn_port_t port)
{
	/* Bounded; if the guest keeps the word busy, the port stays set. */
	if (d->shinfo)
		guest_test_and_clear(&d->shinfo->evtchn_pending
				     [port / EVTCHN_WORD_BITS],
				     port % EVTCHN_WORD_BITS);
}

/*
 * Unmask, and if the port was masked and is pending, deliver it now:
 * Linux unmasks through this hypercall exactly when an event may have
 * arrived while the port was masked.
 */
void evtchn_2l_unmask(struct evtchn_domain *d, evtchn_port_t port,
		      struct evtchn_defer *df)
{
	u32 w = port / EVTCHN_WORD_BITS, b = port % EVTCHN_WORD_BITS;
	int was = guest_test_and_clear(&d->shinfo->evtchn_mask[w], b);

	if (was < 0)
		hostile(d, df);
	if (was <= 0)
		return;
	if (!guest_test(&d->shinfo->evtchn_pending[w], b))
		return;
	select_word(d, port, d->port[port].vcpu, df);
}

void evtchn_2l_vcpu_init(struct evtchn_domain *d)
{
	u32 i;

	for (i = 0; i < MAX_VCPUS; i++)
		d->vcpu[i].info = &d->dummy;
	for (i = 0; i < XEN_LEGACY_MAX_VCPUS_ARM64 && i < d->nr_vcpus; i++)
		d->vcpu[i].info = &d->shinfo->vcpu_info[i];
}

int evtchn_set_vcpu_info(struct evtchn_domain *d, u32 vcpu,
			 struct vcpu_info_arm64 *info)
{
	struct evtchn_defer df = { 0 };
	struct evtchn_vcpu *v;
	int rc = 0;

	if (!d->shinfo || vcpu >= d->nr_vcpus)
		return -XEN_ENOENT;
	if (!info || ((uintptr_t)info & 7))
		return -XEN_EINVAL;
	v = &d->vcpu[vcpu];
	spin_lock(&d->lock);
	if (v->registered) {
		rc = -XEN_EINVAL;
		goto out;
	}
	memcpy(info, v->info, sizeof(*info));
	__atomic_store_n(&v->info, info, __ATOMIC_RELEASE);
	v->registered = true;
	/* Anything may have been pending: let the guest look at it all. */
	__atomic_store_n(&info->evtchn_pending_sel, ~0UL, __ATOMIC_SEQ_CST);
	__atomic_store_n(&info->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	df.kick_d = d;
	df.kick_vcpu = vcpu;
out:
	spin_unlock(&d->lock);
	evtchn_defer_run(&df);
	return rc;
}

bool evtchn_upcall_pending(struct evtchn_domain *d, u32 vcpu)
{
	struct vcpu_info_arm64 *vi;

	if (!d->shinfo || vcpu >= d->nr_vcpus)
		return false;
	vi = vcpu_info(d, vcpu);
	if (vi == &d->dummy)
		return false;
	return __atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_ACQUIRE);
}
