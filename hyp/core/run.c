// SPDX-License-Identifier: GPL-2.0-only
/*
 * The run loop of each physical CPU: pick a vCPU from the run queue, run
 * it until it stops (preempted, WFI, off), then block or requeue it; and
 * the kicks that wake or interrupt vCPUs; what a Xen hypercall's end
 * (hc_call.next) means for the vCPU. The world switch and the decoding of
 * a guest exit are the arch's (arch_vcpu_*(), arch_hooks.h).
 */
#include <minixen/arch_hooks.h>
#include <minixen/domain.h>
#include <minixen/hypercall.h>
#include <minixen/run.h>
#include <minixen/vcpu.h>
#include <minixen/xen_store.h>
#include <minixen/xenbus_vbd.h>
#include <minixen/xenbus_vif.h>

struct run_cpu run_cpus[MAX_PCPUS];
u32 nr_pcpus;
struct sched sched;
struct mx_lock sched_lock;

void sched_kick_idle(void)
{
	u32 self = arch_cpu_id(), i;

	for (i = 0; i < nr_pcpus; i++)
		if (i != self && READ_ONCE(run_cpus[i].idle))
			arch_kick_cpu(i);
}

/* Interrupt state of the vCPUs in @mask changed: wake or interrupt them. */
void vcpu_kick_mask(struct domain *d, u32 mask)
{
	u32 self = arch_cpu_id(), i;
	bool woke = false;

	if (!mask)
		return;
	spin_lock(&sched_lock);
	for (i = 0; i < d->nr_vcpus; i++) {
		struct sched_ent *e = &d->vcpu[i]->sched;

		if (!(mask & BIT(i)))
			continue;
		/* A poll ends on its own ports only (arch_vcpu_wake). */
		if (e->state == VS_BLOCKED && !xen_polling(d->vcpu[i]))
			woke |= sched_wake(e);
		else if (e->state == VS_RUNNING && e->pcpu != (int)self)
			arch_kick_cpu(e->pcpu);
	}
	spin_unlock(&sched_lock);
	if (woke)
		sched_kick_idle();
}

void run_tick(void)
{
	run_cpus[arch_cpu_id()].resched = true;
}

static u64 slice_ticks(void)
{
	return arch_counter_freq() / 100;	/* 10 ms */
}

static void arm_tick(void)
{
	u64 d;

	spin_lock(&sched_lock);
	d = sched_next_deadline(&sched);
	spin_unlock(&sched_lock);
	arch_timer_set(MIN(d, arch_counter() + slice_ticks()));
}

/*
 * The event PPI is level-sensitive: pending while the vCPU's
 * upcall_pending is set, raised again on each entry after the guest's
 * EOI (as Xen on Arm does). Under d->lock.
 */
static void evtchn_level(struct vcpu *v)
{
	if (v->d->xen.aware && xen_upcall_pending(v))
		vgic_ppi_level(&v->d->vgic, v->id, GUEST_EVTCHN_PPI);
}

static int run_vcpu(struct run_cpu *p, struct vcpu *v)
{
	struct domain *d = v->d;
	unsigned long code;
	int r;

	arm_tick();
	for (;;) {
		if (READ_ONCE(d->dead))
			return RUN_OFF;
		if (p->resched) {
			bool waiting;
			int woke;

			p->resched = false;
			spin_lock(&sched_lock);
			woke = sched_expire(&sched, arch_counter());
			waiting = sched_has_waiting(&sched);
			spin_unlock(&sched_lock);
			if (woke)
				sched_kick_idle();
			if (waiting)
				return RUN_PREEMPT;
			arm_tick();
		}
		xen_store_resume(d);
		xenbus_vbd_resume(d);
		xenbus_vif_resume(d);
		xen_virq_resume();
		spin_lock(&d->lock);
		evtchn_level(v);
		vgic_flush(&d->vgic, v->id);
		spin_unlock(&d->lock);
		code = arch_vcpu_enter(v);
		spin_lock(&d->lock);
		vgic_sync(&d->vgic, v->id);
		spin_unlock(&d->lock);
		r = arch_vcpu_exit(v, code);
		if (r >= 0)
			return r;
	}
}

/* After the vCPU's state is saved: WFI blocks unless it has work. */
static void stop_vcpu(struct vcpu *v, int r)
{
	struct domain *d = v->d;
	u64 wake;
	bool pending, release;

	spin_lock(&sched_lock);
	if (d->dead || r == RUN_OFF) {
		sched_stop(&v->sched, VS_OFF, 0);
	} else if (r == RUN_WFI && v->in_poll) {
		/* Its timer and other interrupts wait for the poll's end. */
		if (!xen_polling(v) || v->block_until <= arch_counter())
			sched_stop(&v->sched, VS_RUNNABLE, 0);
		else
			sched_stop(&v->sched, VS_BLOCKED, v->block_until);
	} else if (r == RUN_WFI) {
		spin_lock(&d->lock);
		evtchn_level(v);
		pending = vgic_has_pending(&d->vgic, v->id);
		spin_unlock(&d->lock);
		wake = MIN(arch_vcpu_timer(v), v->block_until);
		if (pending || wake <= arch_counter())
			sched_stop(&v->sched, VS_RUNNABLE, 0);
		else
			sched_stop(&v->sched, VS_BLOCKED, wake);
	} else {
		sched_stop(&v->sched, VS_RUNNABLE, 0);
	}
	v->block_until = SCHED_NO_DEADLINE;
	release = domain_release_due(d);
	spin_unlock(&sched_lock);
	if (release)
		domain_release(d);
}

/* Xen system time (ns, arch_now_ns()) to a counter value. */
static u64 ns_to_ticks(u64 ns)
{
	u64 f = arch_counter_freq();

	return (ns / NSEC_PER_SEC) * f + (ns % NSEC_PER_SEC) * f / NSEC_PER_SEC;
}

static u64 hc_deadline(const struct hc_call *c)
{
	return c->wake_ns ? ns_to_ticks(c->wake_ns) : SCHED_NO_DEADLINE;
}

int run_hypercall_next(struct vcpu *v, const struct hc_call *c)
{
	switch (c->next) {
	case HC_YIELD:
		return RUN_PREEMPT;
	case HC_BLOCK:
		if (xen_upcall_pending(v))
			return -1;
		v->block_until = hc_deadline(c);
		return RUN_WFI;
	case HC_POLL:
		/* Only its ports end it (arch_vcpu_wake), or wake_ns. */
		v->block_until = hc_deadline(c);
		v->in_poll = true;
		return RUN_WFI;
	case HC_OFF:
		return RUN_OFF;
	default:
		return -1;
	}
}

static int runstate_of(struct vcpu *v)
{
	switch (READ_ONCE(v->sched.state)) {
	case VS_OFF:
		return RUNSTATE_offline;
	case VS_BLOCKED:
		return RUNSTATE_blocked;
	default:
		return RUNSTATE_runnable;
	}
}

void pcpu_run(void)
{
	u32 id = arch_cpu_id();
	struct run_cpu *p = &run_cpus[id];
	struct sched_ent *e;
	struct vcpu *v;
	u64 deadline = SCHED_NO_DEADLINE;
	int r;

	for (;;) {
		spin_lock(&sched_lock);
		sched_expire(&sched, arch_counter());
		e = sched_pick(&sched, id, NULL);
		WRITE_ONCE(p->idle, !e);
		if (!e)
			deadline = sched_next_deadline(&sched);
		v = e ? e->owner : NULL;
		if (v && v->pending_reset) {
			arch_vcpu_reset(v, v->on_entry, v->on_ctx);
			v->pending_reset = false;
		}
		spin_unlock(&sched_lock);
		if (!v) {
			arch_cpu_idle(deadline);
			continue;
		}
		xen_runstate_set(v, RUNSTATE_running, arch_now_ns());
		arch_vcpu_load(v);
		xen_runstate_publish(v);
		if (v->in_poll) {	/* woken: by its ports or the timeout */
			v->in_poll = false;
			xen_poll_end(v);
		}
		p->cur = v;
		r = run_vcpu(p, v);
		arch_vcpu_save(v);
		p->cur = NULL;
		stop_vcpu(v, r);
		xen_runstate_set(v, runstate_of(v), arch_now_ns());
	}
}
