// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests: the vCPU run loop (hyp/core/run.c) on the real run
 * queue and vGIC, the arch faked: what a hypercall's end means for the
 * vCPU (run_hypercall_next()), how a turn ends (WFI with or without work,
 * a vCPU timer or a hypercall deadline, a poll, off, preemption), the
 * event PPI's level, vCPU kicks; and the interrupts core/vmmio.c raises
 * (vcpu_inject(), vcpu_send_sgi()).
 *
 * One turn: pcpu_run() picks a vCPU, runs it until arch_vcpu_exit() (the
 * test's script) stops it, and the runstate update after stop_vcpu() jumps
 * back to the test; a CPU with nothing to run jumps back from its idle.
 */
#include <setjmp.h>
#include <minixen/domain.h>
#include <minixen/hypercall.h>
#include <minixen/run.h>
#include <minixen/vcpu.h>
#include <minixen/xen_store.h>
#include "fake_machine.h"
#include "tap.h"

#define NR_VCPUS	2
#define PPI_VTIMER	27
#define TURN_RAN	1
#define TURN_IDLE	2

static struct domain dom;
static struct vcpu vc[NR_VCPUS];
static jmp_buf turn_jmp;
static u64 vtimer, idle_deadline, timer_deadline;
static bool upcall[NR_VCPUS], polling[NR_VCPUS], upcall_in_guest;
static int script[4], nr_script, at_script, last_runstate;
static const struct hc_call *exit_hc;	/* the next exit is this hypercall */
static bool tick_in_guest;		/* run_tick() while the guest runs */
static u32 enters, poll_ends, releases, resets;
/* The disks' resume before each entry (core/xenbus_vbd.c) */
static u32 vbd_resumes;
/* The network interfaces' (core/xenbus_vif.c) */
static u32 vif_resumes;
static bool entered_unresumed;
static u64 entry_lr[VGIC_MAX_LR];	/* list registers at the last entry */

void mx_log(int level, const char *fmt, ...)
{
}

void console_write_line(const char *prefix, const char *s, size_t len)
{
}

u64 arch_now_ns(void)
{
	return now / FAKE_FREQ * NSEC_PER_SEC;
}

void arch_timer_set(u64 deadline)
{
	timer_deadline = deadline;
}

void arch_cpu_idle(u64 deadline)
{
	idle_deadline = deadline;
	longjmp(turn_jmp, TURN_IDLE);
}

void arch_vcpu_reset(struct vcpu *v, u64 entry, u64 x0)
{
	v->pc = entry;
	v->regs.x[0] = x0;
	resets++;
}

void arch_vcpu_load(struct vcpu *v)
{
}

void arch_vcpu_save(struct vcpu *v)
{
}

unsigned long arch_vcpu_enter(struct vcpu *v)
{
	memcpy(entry_lr, v->vgic.lr, sizeof(entry_lr));
	entered_unresumed |= vbd_resumes != enters + 1 ||
			     vif_resumes != enters + 1;
	enters++;
	if (upcall_in_guest) {
		/* It took and ended its interrupts; then an event came. */
		memset(v->vgic.lr, 0, sizeof(v->vgic.lr));
		upcall[v->id] = true;
	}
	return 0;
}

int arch_vcpu_exit(struct vcpu *v, unsigned long exit)
{
	const struct hc_call *c = exit_hc;

	if (tick_in_guest) {
		tick_in_guest = false;
		run_tick();
	}
	if (c) {
		exit_hc = NULL;
		return run_hypercall_next(v, c);
	}
	return at_script < nr_script ? script[at_script++] : RUN_PREEMPT;
}

u64 arch_vcpu_timer(struct vcpu *v)
{
	return vtimer;
}

/* No DMA engine here (test_dmaengine.c) */
bool vdma_mmio(struct vcpu *v, u64 ipa, int size, bool write, u64 *val)
{
	return false;
}

bool xen_upcall_pending(struct vcpu *v)
{
	return upcall[v->id];
}

bool xen_polling(struct vcpu *v)
{
	return polling[v->id];
}

void xen_poll_end(struct vcpu *v)
{
	poll_ends++;
}

void xen_runstate_publish(struct vcpu *v)
{
}

/* After stop_vcpu(): the turn is over. */
void xen_runstate_set(struct vcpu *v, int state, u64 t)
{
	if (state == RUNSTATE_running)
		return;
	last_runstate = state;
	longjmp(turn_jmp, TURN_RAN);
}

void xen_store_resume(struct domain *d)
{
}

void xenbus_vbd_resume(struct domain *d)
{
	vbd_resumes++;
}

void xenbus_vif_resume(struct domain *d)
{
	vif_resumes++;
}

void xen_virq_resume(void)
{
}

bool domain_release_due(struct domain *d)
{
	if (!d->dead || d->released)
		return false;
	d->released = true;
	return true;
}

void domain_release(struct domain *d)
{
	releases++;
}

/* vCPU 0 runnable, the others off; nothing pending anywhere. */
static void setup(bool aware)
{
	struct vgic_vcpu *vv[NR_VCPUS];
	u32 i;

	memset(&sched, 0, sizeof(sched));
	memset(run_cpus, 0, sizeof(run_cpus));
	memset(&dom, 0, sizeof(dom));
	memset(vc, 0, sizeof(vc));
	nr_pcpus = 2;
	dom.nr_vcpus = NR_VCPUS;
	dom.xen.aware = aware;
	for (i = 0; i < NR_VCPUS; i++) {
		vc[i].d = &dom;
		vc[i].id = i;
		vc[i].block_until = SCHED_NO_DEADLINE;
		dom.vcpu[i] = &vc[i];
		vv[i] = &vc[i].vgic;
		sched_add(&sched, &vc[i].sched, &vc[i]);
		upcall[i] = false;
		polling[i] = false;
	}
	vgic_init(&dom.vgic, NR_VCPUS, vv, 4);
	vc[0].sched.state = VS_RUNNABLE;
	now = 1000 * FAKE_FREQ;
	vtimer = SCHED_NO_DEADLINE;
	idle_deadline = 0;
	timer_deadline = 0;
	nr_script = 0;
	at_script = 0;
	exit_hc = NULL;
	tick_in_guest = false;
	upcall_in_guest = false;
	kicked = 0;
	enters = 0;
	vbd_resumes = 0;
	vif_resumes = 0;
	entered_unresumed = false;
	poll_ends = 0;
	releases = 0;
	resets = 0;
	last_runstate = -1;
}

/* One turn of CPU 0; the vCPU's exits are @r..., then RUN_PREEMPT. */
static int turn(int n, ...)
{
	va_list ap;
	int i, how;

	va_start(ap, n);
	for (i = 0; i < n; i++)
		script[i] = va_arg(ap, int);
	va_end(ap);
	nr_script = n;
	at_script = 0;
	how = setjmp(turn_jmp);
	if (!how)
		pcpu_run();
	return how;
}

static bool unlocked(void)
{
	return !dom.lock.locked && !sched_lock.locked && !lock_misuse;
}

static bool blocked_until(struct vcpu *v, u64 t)
{
	return v->sched.state == VS_BLOCKED && v->sched.wake_at == t;
}

static int next(struct vcpu *v, enum hc_next n, u64 wake_ns)
{
	struct hc_call c = { .next = n, .wake_ns = wake_ns };

	return run_hypercall_next(v, &c);
}

static void test_hypercall_next(void)
{
	struct vcpu *v = &vc[0];

	setup(true);
	ok(next(v, HC_RETURN, 5) == -1 && v->block_until == SCHED_NO_DEADLINE &&
	   !v->in_poll, "HC_RETURN: goes on, no deadline set");
	ok(next(v, HC_CONTINUE, 5) == -1 && v->block_until == SCHED_NO_DEADLINE,
	   "HC_CONTINUE: goes on (the arch re-issues it)");
	ok(next(v, HC_YIELD, 0) == RUN_PREEMPT, "HC_YIELD: RUN_PREEMPT");
	ok(next(v, HC_OFF, 0) == RUN_OFF, "HC_OFF: RUN_OFF");
	ok(next(v, HC_BLOCK, 0) == RUN_WFI && v->block_until == SCHED_NO_DEADLINE &&
	   !v->in_poll, "HC_BLOCK without deadline: RUN_WFI, no deadline");
	ok(next(v, HC_BLOCK, 1500000016) == RUN_WFI &&
	   v->block_until == 93750001,
	   "HC_BLOCK until 1.5 s + 16 ns: counter 93750001 at 62.5 MHz");
	ok(next(v, HC_BLOCK, 1000000000000UL) == RUN_WFI &&
	   v->block_until == 1000 * FAKE_FREQ,
	   "HC_BLOCK until 1000 s: no overflow in the conversion");
	v->block_until = SCHED_NO_DEADLINE;
	upcall[0] = true;
	ok(next(v, HC_BLOCK, 7 * NSEC_PER_SEC) == -1 &&
	   v->block_until == SCHED_NO_DEADLINE,
	   "HC_BLOCK with an upcall pending: returns at once, no deadline");
	ok(next(v, HC_POLL, 0) == RUN_WFI && v->in_poll &&
	   v->block_until == SCHED_NO_DEADLINE,
	   "HC_POLL with an upcall pending: still polls (its ports end it)");
	upcall[0] = false;
	v->in_poll = false;
	ok(next(v, HC_POLL, 2 * NSEC_PER_SEC) == RUN_WFI && v->in_poll &&
	   v->block_until == 2 * FAKE_FREQ, "HC_POLL with a timeout: in_poll, deadline");
}

static void test_wfi(void)
{
	struct vcpu *v = &vc[0];

	setup(false);
	ok(turn(1, RUN_WFI) == TURN_RAN && blocked_until(v, SCHED_NO_DEADLINE) &&
	   last_runstate == RUNSTATE_blocked && unlocked(),
	   "WFI with nothing to wait for: blocked, no deadline");
	ok(timer_deadline == now + FAKE_FREQ / 100,
	   "the CPU's slice timer was 10 ms away while it ran");
	ok(turn(0) == TURN_IDLE && idle_deadline == SCHED_NO_DEADLINE,
	   "then the CPU idles without deadline");

	setup(false);
	vtimer = now + 100;
	ok(turn(1, RUN_WFI) == TURN_RAN && blocked_until(v, now + 100),
	   "WFI with its timer armed: blocked until the timer");
	ok(turn(0) == TURN_IDLE && idle_deadline == now + 100,
	   "the CPU idles until that deadline");
	now += 100;
	ok(turn(1, RUN_PREEMPT) == TURN_RAN && enters == 2,
	   "at the deadline the vCPU runs again");

	setup(false);
	vtimer = now - 1;
	ok(turn(1, RUN_WFI) == TURN_RAN && v->sched.state == VS_RUNNABLE &&
	   last_runstate == RUNSTATE_runnable,
	   "WFI with its timer expired: stays runnable");

	setup(false);
	v->vgic.priv[PPI_VTIMER].enabled = true;
	vgic_inject(&dom.vgic, 0, PPI_VTIMER);
	ok(turn(1, RUN_WFI) == TURN_RAN && v->sched.state == VS_RUNNABLE,
	   "WFI with an interrupt pending: stays runnable");

	setup(false);
	v->vgic.priv[PPI_VTIMER].pending = true;
	ok(turn(1, RUN_WFI) == TURN_RAN && blocked_until(v, SCHED_NO_DEADLINE),
	   "WFI with a disabled interrupt pending: blocked");
}

static void test_block(void)
{
	struct hc_call c = { .next = HC_BLOCK, .wake_ns = 1001 * NSEC_PER_SEC };
	struct vcpu *v = &vc[0];

	setup(true);
	vtimer = now + 2 * FAKE_FREQ;
	exit_hc = &c;
	ok(turn(0) == TURN_RAN && blocked_until(v, now + FAKE_FREQ) &&
	   v->block_until == SCHED_NO_DEADLINE,
	   "block until 1 s from now, timer at 2 s: blocked 1 s, deadline spent");

	setup(true);
	vtimer = now + FAKE_FREQ / 2;
	exit_hc = &c;
	ok(turn(0) == TURN_RAN && blocked_until(v, now + FAKE_FREQ / 2),
	   "timer before the block's deadline: blocked until the timer");

	setup(true);
	c.wake_ns = 999 * NSEC_PER_SEC;
	exit_hc = &c;
	ok(turn(0) == TURN_RAN && v->sched.state == VS_RUNNABLE &&
	   v->block_until == SCHED_NO_DEADLINE,
	   "a block deadline already passed: stays runnable");

	setup(true);
	upcall[0] = true;
	c.wake_ns = 0;
	exit_hc = &c;
	ok(turn(1, RUN_OFF) == TURN_RAN && enters == 2 &&
	   v->sched.state == VS_OFF,
	   "a block with an upcall pending returns to the guest at once");

	setup(true);
	upcall_in_guest = true;
	v->vgic.priv[GUEST_EVTCHN_PPI].enabled = true;
	ok(turn(1, RUN_WFI) == TURN_RAN && v->sched.state == VS_RUNNABLE,
	   "WFI with an event that came while it ran: stays runnable");

	setup(false);
	upcall_in_guest = true;
	v->vgic.priv[GUEST_EVTCHN_PPI].enabled = true;
	ok(turn(1, RUN_WFI) == TURN_RAN && v->sched.state == VS_BLOCKED,
	   "not Xen-aware: no event PPI, blocked");
}

static void test_poll(void)
{
	struct hc_call c = { .next = HC_POLL, .wake_ns = 1002 * NSEC_PER_SEC };
	struct vcpu *v = &vc[0];

	setup(true);
	polling[0] = true;
	vtimer = now + 1;
	v->vgic.priv[PPI_VTIMER].enabled = true;
	vgic_inject(&dom.vgic, 0, PPI_VTIMER);
	exit_hc = &c;
	ok(turn(0) == TURN_RAN && blocked_until(v, now + 2 * FAKE_FREQ) && v->in_poll,
	   "poll with a timeout: blocked until it, not its timer nor its interrupts");
	vcpu_kick_mask(&dom, BIT(0));
	ok(v->sched.state == VS_BLOCKED,
	   "an interrupt kick does not end a poll");
	now += 2 * FAKE_FREQ;
	ok(turn(0) == TURN_RAN && !v->in_poll && poll_ends == 1,
	   "at the timeout it runs again: the poll ended");

	setup(true);
	polling[0] = false;
	exit_hc = &c;
	ok(turn(0) == TURN_RAN && v->sched.state == VS_RUNNABLE && v->in_poll,
	   "poll already over when it stops: stays runnable");
	ok(turn(0) == TURN_RAN && !v->in_poll && poll_ends == 1,
	   "its next run ends the poll once");
	ok(turn(0) == TURN_RAN && poll_ends == 1,
	   "and not again on the run after");

	setup(true);
	polling[0] = true;
	c.wake_ns = 999 * NSEC_PER_SEC;
	exit_hc = &c;
	ok(turn(0) == TURN_RAN && v->sched.state == VS_RUNNABLE,
	   "poll timeout already passed: stays runnable");

	setup(true);
	polling[0] = true;
	c.wake_ns = 0;
	exit_hc = &c;
	ok(turn(0) == TURN_RAN && blocked_until(v, SCHED_NO_DEADLINE),
	   "poll without timeout: blocked without deadline");
}

static void test_turn_ends(void)
{
	struct vcpu *v = &vc[0];

	setup(false);
	ok(turn(1, RUN_OFF) == TURN_RAN && v->sched.state == VS_OFF &&
	   last_runstate == RUNSTATE_offline, "RUN_OFF: off");

	setup(false);
	ok(turn(1, RUN_PREEMPT) == TURN_RAN && v->sched.state == VS_RUNNABLE &&
	   last_runstate == RUNSTATE_runnable, "RUN_PREEMPT: runnable");

	setup(false);
	ok(turn(3, -1, -1, RUN_WFI) == TURN_RAN && enters == 3,
	   "exits that go on enter the guest again");
	ok(vbd_resumes == 3 && vif_resumes == 3 && !entered_unresumed,
	   "the disks' and interfaces' leftover requests are served before each entry");

	setup(false);
	dom.dead = true;
	ok(turn(0) == TURN_RAN && !enters && v->sched.state == VS_OFF &&
	   releases == 1, "a dead domain's vCPU: off, not entered, released");

	setup(false);
	vc[1].sched.state = VS_RUNNABLE;
	tick_in_guest = true;
	ok(turn(2, -1, RUN_WFI) == TURN_RAN && enters == 1 &&
	   v->sched.state == VS_RUNNABLE,
	   "slice over, another vCPU waits: preempted");

	setup(false);
	tick_in_guest = true;
	ok(turn(2, -1, RUN_WFI) == TURN_RAN && enters == 2 &&
	   v->sched.state == VS_BLOCKED,
	   "slice over, none waits: it goes on");

	setup(false);
	v->pending_reset = true;
	v->on_entry = 0x40080000;
	v->on_ctx = 0x1234;
	ok(turn(0) == TURN_RAN && resets == 1 && !v->pending_reset &&
	   v->pc == 0x40080000 && v->regs.x[0] == 0x1234,
	   "CPU_ON: reset at its entry with its context when first picked");
}

static bool lr_holds(u32 intid)
{
	u32 i;

	for (i = 0; i < VGIC_MAX_LR; i++)
		if ((entry_lr[i] & LR_STATE) &&
		    (entry_lr[i] & LR_INTID_MASK) == intid)
			return true;
	return false;
}

static void test_event_ppi(void)
{
	setup(true);
	upcall[0] = true;
	vc[0].vgic.priv[GUEST_EVTCHN_PPI].enabled = true;
	turn(1, RUN_PREEMPT);
	ok(lr_holds(GUEST_EVTCHN_PPI),
	   "upcall pending: the guest enters with the event PPI");

	setup(true);
	vc[0].vgic.priv[GUEST_EVTCHN_PPI].enabled = true;
	turn(1, RUN_PREEMPT);
	ok(!lr_holds(GUEST_EVTCHN_PPI), "no upcall pending: no event PPI");

	setup(false);
	upcall[0] = true;
	vc[0].vgic.priv[GUEST_EVTCHN_PPI].enabled = true;
	turn(1, RUN_PREEMPT);
	ok(!lr_holds(GUEST_EVTCHN_PPI), "not Xen-aware: no event PPI");
}

static void test_kick(void)
{
	setup(false);
	vc[0].sched.state = VS_BLOCKED;
	vc[1].sched.state = VS_BLOCKED;
	run_cpus[1].idle = true;
	vcpu_kick_mask(&dom, 0);
	ok(vc[0].sched.state == VS_BLOCKED && !kicked, "empty mask: nothing");
	polling[1] = true;
	vcpu_kick_mask(&dom, BIT(0) | BIT(1));
	ok(vc[0].sched.state == VS_RUNNABLE && vc[1].sched.state == VS_BLOCKED,
	   "blocked vCPU woken, a polling one not");
	ok(kicked == BIT(1) && unlocked(), "the idle CPU kicked");

	setup(false);
	vc[0].sched.state = VS_RUNNING;
	vc[0].sched.pcpu = 0;
	vc[1].sched.state = VS_RUNNING;
	vc[1].sched.pcpu = 1;
	vcpu_kick_mask(&dom, BIT(0) | BIT(1));
	ok(kicked == BIT(1), "running vCPUs: only the other CPU is kicked");
}

static void test_inject(void)
{
	setup(false);
	vc[0].sched.state = VS_BLOCKED;
	vc[1].sched.state = VS_BLOCKED;
	vcpu_inject(&vc[1], GUEST_EVTCHN_PPI);
	ok(vc[1].vgic.priv[GUEST_EVTCHN_PPI].pending &&
	   !vc[0].vgic.priv[GUEST_EVTCHN_PPI].pending,
	   "vcpu_inject: the PPI is pending on that vCPU only");
	ok(vc[1].sched.state == VS_RUNNABLE && vc[0].sched.state == VS_BLOCKED &&
	   unlocked(), "vcpu_inject: that vCPU is woken");
	vcpu_inject(&vc[0], VGIC_NR_IRQS);
	ok(vc[0].sched.state == VS_BLOCKED, "an INTID out of range: nothing");

	setup(false);
	vc[1].sched.state = VS_BLOCKED;
	/* SGI 3 to Aff0 1 (target list bit 1), from vCPU 0 */
	vcpu_send_sgi(&vc[0], (3UL << 24) | BIT(1));
	ok(vc[1].vgic.priv[3].pending && !vc[0].vgic.priv[3].pending &&
	   vc[1].sched.state == VS_RUNNABLE && unlocked(),
	   "vcpu_send_sgi: the target has the SGI and is woken");

	setup(false);
	vc[0].sched.state = VS_BLOCKED;
	vc[1].sched.state = VS_RUNNING;
	vc[1].sched.pcpu = 1;
	/* IRM: to all but itself */
	vcpu_send_sgi(&vc[1], (5UL << 24) | BIT(40));
	ok(vc[0].vgic.priv[5].pending && !vc[1].vgic.priv[5].pending &&
	   vc[0].sched.state == VS_RUNNABLE,
	   "vcpu_send_sgi to all but self: the other vCPU only");
}

int main(void)
{
	test_hypercall_next();
	test_wfi();
	test_block();
	test_poll();
	test_turn_ends();
	test_event_ppi();
	test_kick();
	test_inject();
	return tap_done();
}
