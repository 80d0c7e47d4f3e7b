// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPU execution: world switch, scheduling loop of each physical CPU,
 * and the handling of guest exits (interrupts, WFI, HVC/SMC, system
 * register and MMIO traps, faults).
 */
#include <minixen/domain.h>
#include <minixen/hypercall.h>
#include <minixen/layout.h>
#include <minixen/vcpu.h>
#include <minixen/vpl011.h>
#include <minixen/xen_store.h>
#include <arch/entry.h>
#include <arch/gic.h>
#include <arch/hypercall.h>
#include <arch/pcpu.h>
#include <arch/psci.h>
#include <arch/sysregs.h>

#define XEN_HVC_IMM	0xea1
#define CNTV_ENABLE	BIT(0)
#define CNTV_IMASK	BIT(1)
#define CNTV_ISTATUS	BIT(2)

struct pcpu pcpus[MAX_PCPUS];
u32 nr_pcpus;
struct sched sched;
struct mx_lock sched_lock;	/* sched, vCPU states, domain liveness */

/* ICH_LR<n>_EL2 */
static u64 read_lr(int i)
{
	switch (i) {
	case 0:
		return read_sysreg(S3_4_C12_C12_0);
	case 1:
		return read_sysreg(S3_4_C12_C12_1);
	case 2:
		return read_sysreg(S3_4_C12_C12_2);
	case 3:
		return read_sysreg(S3_4_C12_C12_3);
	case 4:
		return read_sysreg(S3_4_C12_C12_4);
	case 5:
		return read_sysreg(S3_4_C12_C12_5);
	case 6:
		return read_sysreg(S3_4_C12_C12_6);
	case 7:
		return read_sysreg(S3_4_C12_C12_7);
	case 8:
		return read_sysreg(S3_4_C12_C13_0);
	case 9:
		return read_sysreg(S3_4_C12_C13_1);
	case 10:
		return read_sysreg(S3_4_C12_C13_2);
	case 11:
		return read_sysreg(S3_4_C12_C13_3);
	case 12:
		return read_sysreg(S3_4_C12_C13_4);
	case 13:
		return read_sysreg(S3_4_C12_C13_5);
	case 14:
		return read_sysreg(S3_4_C12_C13_6);
	case 15:
		return read_sysreg(S3_4_C12_C13_7);
	}
	return 0;
}

static void write_lr(int i, u64 v)
{
	switch (i) {
	case 0:
		write_sysreg(S3_4_C12_C12_0, v);
		break;
	case 1:
		write_sysreg(S3_4_C12_C12_1, v);
		break;
	case 2:
		write_sysreg(S3_4_C12_C12_2, v);
		break;
	case 3:
		write_sysreg(S3_4_C12_C12_3, v);
		break;
	case 4:
		write_sysreg(S3_4_C12_C12_4, v);
		break;
	case 5:
		write_sysreg(S3_4_C12_C12_5, v);
		break;
	case 6:
		write_sysreg(S3_4_C12_C12_6, v);
		break;
	case 7:
		write_sysreg(S3_4_C12_C12_7, v);
		break;
	case 8:
		write_sysreg(S3_4_C12_C13_0, v);
		break;
	case 9:
		write_sysreg(S3_4_C12_C13_1, v);
		break;
	case 10:
		write_sysreg(S3_4_C12_C13_2, v);
		break;
	case 11:
		write_sysreg(S3_4_C12_C13_3, v);
		break;
	case 12:
		write_sysreg(S3_4_C12_C13_4, v);
		break;
	case 13:
		write_sysreg(S3_4_C12_C13_5, v);
		break;
	case 14:
		write_sysreg(S3_4_C12_C13_6, v);
		break;
	case 15:
		write_sysreg(S3_4_C12_C13_7, v);
		break;
	}
}

static void ctx_restore(struct vcpu *v)
{
	struct el1_ctx *s = &v->sys;
	struct domain *d = v->d;

	write_sysreg(vttbr_el2, ((u64)d->vmid << 48) | (u64)d->s2.root);
	write_sysreg(vmpidr_el2, BIT(31) | v->vgic.mpidr);
	isb();
	/* Stage-1 entries another vCPU of this VM left on this CPU. */
	asm volatile("tlbi vmalle1" : : : "memory");
	dsb_nsh();
	write_sysreg(sctlr_el1, s->sctlr);
	write_sysreg(ttbr0_el1, s->ttbr0);
	write_sysreg(ttbr1_el1, s->ttbr1);
	write_sysreg(tcr_el1, s->tcr);
	write_sysreg(mair_el1, s->mair);
	write_sysreg(amair_el1, s->amair);
	write_sysreg(vbar_el1, s->vbar);
	write_sysreg(contextidr_el1, s->contextidr);
	write_sysreg(tpidr_el0, s->tpidr_el0);
	write_sysreg(tpidrro_el0, s->tpidrro_el0);
	write_sysreg(tpidr_el1, s->tpidr_el1);
	write_sysreg(sp_el0, s->sp_el0);
	write_sysreg(sp_el1, s->sp_el1);
	write_sysreg(elr_el1, s->elr);
	write_sysreg(spsr_el1, s->spsr);
	write_sysreg(esr_el1, s->esr);
	write_sysreg(far_el1, s->far);
	write_sysreg(afsr0_el1, s->afsr0);
	write_sysreg(afsr1_el1, s->afsr1);
	write_sysreg(par_el1, s->par);
	write_sysreg(cpacr_el1, s->cpacr);
	write_sysreg(cntkctl_el1, s->cntkctl);
	write_sysreg(csselr_el1, s->csselr);
	write_sysreg(mdscr_el1, s->mdscr);
	write_sysreg(cntv_cval_el0, s->cntv_cval);
	write_sysreg(cntv_ctl_el0, s->cntv_ctl);
	write_sysreg(ICH_VMCR_EL2, v->vgic.vmcr);
	write_sysreg(ICH_AP1R0_EL2, v->vgic.ap1r0);
	fpsimd_restore(&v->fp);
	isb();
}

static void ctx_save(struct vcpu *v)
{
	struct el1_ctx *s = &v->sys;

	s->sctlr = read_sysreg(sctlr_el1);
	s->ttbr0 = read_sysreg(ttbr0_el1);
	s->ttbr1 = read_sysreg(ttbr1_el1);
	s->tcr = read_sysreg(tcr_el1);
	s->mair = read_sysreg(mair_el1);
	s->amair = read_sysreg(amair_el1);
	s->vbar = read_sysreg(vbar_el1);
	s->contextidr = read_sysreg(contextidr_el1);
	s->tpidr_el0 = read_sysreg(tpidr_el0);
	s->tpidrro_el0 = read_sysreg(tpidrro_el0);
	s->tpidr_el1 = read_sysreg(tpidr_el1);
	s->sp_el0 = read_sysreg(sp_el0);
	s->sp_el1 = read_sysreg(sp_el1);
	s->elr = read_sysreg(elr_el1);
	s->spsr = read_sysreg(spsr_el1);
	s->esr = read_sysreg(esr_el1);
	s->far = read_sysreg(far_el1);
	s->afsr0 = read_sysreg(afsr0_el1);
	s->afsr1 = read_sysreg(afsr1_el1);
	s->par = read_sysreg(par_el1);
	s->cpacr = read_sysreg(cpacr_el1);
	s->cntkctl = read_sysreg(cntkctl_el1);
	s->csselr = read_sysreg(csselr_el1);
	s->mdscr = read_sysreg(mdscr_el1);
	s->cntv_ctl = read_sysreg(cntv_ctl_el0);
	s->cntv_cval = read_sysreg(cntv_cval_el0);
	write_sysreg(cntv_ctl_el0, 0);
	v->vgic.vmcr = read_sysreg(ICH_VMCR_EL2);
	v->vgic.ap1r0 = read_sysreg(ICH_AP1R0_EL2);
	fpsimd_save(&v->fp);
	isb();
}

void sched_kick_idle(void)
{
	u32 self = this_pcpu()->id, i;

	for (i = 0; i < nr_pcpus; i++)
		if (i != self && READ_ONCE(pcpus[i].idle))
			gic_send_sgi(i, SGI_KICK);
}

/* Interrupt state of the vCPUs in @mask changed: wake or interrupt them. */
void vcpu_kick_mask(struct domain *d, u32 mask)
{
	u32 self = this_pcpu()->id, i;
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
			gic_send_sgi(e->pcpu, SGI_KICK);
	}
	spin_unlock(&sched_lock);
	if (woke)
		sched_kick_idle();
}

static u64 slice_ticks(void)
{
	return read_sysreg(cntfrq_el0) / 100;	/* 10 ms */
}

static void arm_timer(u64 deadline)
{
	if (deadline == SCHED_NO_DEADLINE) {
		write_sysreg(cnthp_ctl_el2, 0);
	} else {
		write_sysreg(cnthp_cval_el2, deadline);
		write_sysreg(cnthp_ctl_el2, 1);
	}
	isb();
}

static void arm_tick(void)
{
	u64 d;

	spin_lock(&sched_lock);
	d = sched_next_deadline(&sched);
	spin_unlock(&sched_lock);
	arm_timer(MIN(d, cntpct() + slice_ticks()));
}

/* Take pending host interrupts; @v is the vCPU that was running. */
static void host_irqs(struct pcpu *p, struct vcpu *v)
{
	for (;;) {
		u32 iar = gic_ack(), irq = iar & 0xffffff;

		if (irq >= 1020)
			break;
		switch (irq) {
		case PPI_HYP_TIMER:
			write_sysreg(cnthp_ctl_el2, 0);
			p->resched = true;
			break;
		case PPI_VTIMER:
			write_sysreg(cntv_ctl_el0,
				     read_sysreg(cntv_ctl_el0) | CNTV_IMASK);
			if (v) {
				spin_lock(&v->d->lock);
				vgic_inject(&v->d->vgic, v->id, PPI_VTIMER);
				spin_unlock(&v->d->lock);
			}
			break;
		default:
			break;	/* kick, maintenance: the next entry looks */
		}
		gic_eoi(iar);
	}
}

/*
 * A guest stuck in a loop of faults (say a vCPU started at a bad address,
 * whose vector table is not mapped either) must not flood the console:
 * DOM_MAX_WARNS faults of a domain are logged per DOM_WARN_SECS window,
 * then one line; the next window starts with how many went unlogged.
 */
bool dom_warn_ok(struct domain *d)
{
	u64 now = cntpct(), win = DOM_WARN_SECS * read_sysreg(cntfrq_el0);
	u32 n, dropped = 0;

	spin_lock(&d->lock);
	if (!d->warn_since || now - d->warn_since > win) {
		if (d->nr_warns > DOM_MAX_WARNS)
			dropped = d->nr_warns - DOM_MAX_WARNS;
		d->warn_since = now;
		d->nr_warns = 0;
	}
	n = ++d->nr_warns;
	spin_unlock(&d->lock);
	if (dropped)
		pr_warn("%s: %u more faults were not logged", d->name, dropped);
	if (n == DOM_MAX_WARNS + 1)
		pr_warn("%s: more faults, not logged", d->name);
	return n <= DOM_MAX_WARNS;
}

static void inject_exception(struct vcpu *v, u64 esr, u64 far)
{
	u64 mode = v->pstate & 0xf, off;

	/* vector: current EL with SP_EL0/SP_ELx, lower EL AArch64/AArch32 */
	if (v->pstate & PSR_AARCH32)
		off = 0x600;
	else
		off = mode == 0 ? 0x400 : mode == 4 ? 0 : 0x200;
	write_sysreg(esr_el1, esr);
	write_sysreg(far_el1, far);
	write_sysreg(elr_el1, v->pc);
	write_sysreg(spsr_el1, v->pstate);
	v->pc = read_sysreg(vbar_el1) + off;
	v->pstate = PSR_DAIF | PSR_MODE_EL1H;
}

/* Synchronous external abort on a data (or instruction) access. */
static void inject_abort(struct vcpu *v, bool iabt, u64 far)
{
	bool el0 = (v->pstate & PSR_AARCH32) || (v->pstate & 0xf) == 0;
	u64 ec = iabt ? (el0 ? 0x20 : 0x21) : (el0 ? 0x24 : 0x25);

	inject_exception(v, (ec << 26) | BIT(25) | 0x10, far);
}

static void inject_undef(struct vcpu *v)
{
	inject_exception(v, BIT(25), 0);
}

static u64 get_reg(struct vcpu *v, int rt)
{
	return rt == 31 ? 0 : v->regs.x[rt];
}

static void set_reg(struct vcpu *v, int rt, u64 val)
{
	if (rt != 31)
		v->regs.x[rt] = val;
}

static bool mmio(struct vcpu *v, u64 ipa, int size, bool write, u64 *val)
{
	struct domain *d = v->d;
	u32 kick = 0;

	if (ipa >= GUEST_GICD && ipa < GUEST_GICD + VGIC_GICD_SIZE) {
		spin_lock(&d->lock);
		if (write)
			kick = vgic_dist_write(&d->vgic, ipa - GUEST_GICD, size,
					       *val);
		else
			*val = vgic_dist_read(&d->vgic, ipa - GUEST_GICD, size);
		spin_unlock(&d->lock);
	} else if (ipa >= GUEST_GICR &&
		   vgic_redist_valid(&d->vgic, ipa - GUEST_GICR)) {
		spin_lock(&d->lock);
		if (write)
			kick = vgic_redist_write(&d->vgic, ipa - GUEST_GICR,
						 size, *val);
		else
			*val = vgic_redist_read(&d->vgic, ipa - GUEST_GICR,
						size);
		spin_unlock(&d->lock);
	} else if (ipa >= GUEST_UART && ipa < GUEST_UART + 0x1000) {
		spin_lock(&d->lock);
		kick = vpl011_mmio(v, ipa - GUEST_UART, size, write, val);
		spin_unlock(&d->lock);
	} else {
		return false;
	}
	vcpu_kick_mask(d, kick);
	return true;
}

/*
 * A translation fault on an IPA stage 2 maps by now: the access ran into
 * the break-before-make window of a live change (a block split, a page
 * replaced); p2m_lock waits for the change to end. Retry the access.
 */
static bool s2_fault_raced(struct vcpu *v, u64 esr, u64 ipa)
{
	struct domain *d = v->d;
	int r;

	if ((esr & 0x3c) != 0x04)	/* xFSC: translation fault, level n */
		return false;
	spin_lock(p2m_lock(d));
	r = s2_lookup(&d->s2, ipa, NULL, NULL);
	spin_unlock(p2m_lock(d));
	return !r;
}

static u64 fault_ipa(void)
{
	return ((read_sysreg(hpfar_el2) >> 4) << 12) |
	       (read_sysreg(far_el2) & 0xfff);
}

static void data_abort(struct vcpu *v, u64 esr)
{
	u64 far = read_sysreg(far_el2), ipa = fault_ipa();
	int size = 1 << ((esr >> 22) & 3), rt = (esr >> 16) & 0x1f;
	bool write = esr & BIT(6);
	u64 val = 0;

	if ((esr & BIT(24)) && !(esr & BIT(7))) {	/* ISV, not S1PTW */
		if (write)
			val = get_reg(v, rt) & (size == 8 ? ~0UL :
						(1UL << (8 * size)) - 1);
		if (mmio(v, ipa, size, write, &val)) {
			if (!write) {
				if ((esr & BIT(21)) && size < 8 &&
				    (val & (1UL << (8 * size - 1))))
					val |= ~0UL << (8 * size);
				if (!(esr & BIT(15)))
					val = (u32)val;
				set_reg(v, rt, val);
			}
			v->pc += 4;
			return;
		}
	}
	if (s2_fault_raced(v, esr, ipa))
		return;
	dom_warn(v->d, "%s: vCPU%u %s at IPA 0x%lx (pc 0x%lx) outside its memory: abort injected",
		 v->d->name, v->id, write ? "write" : "read", ipa, v->pc);
	inject_abort(v, false, far);
}

static void sysreg_trap(struct vcpu *v, u64 esr)
{
	u32 op0 = (esr >> 20) & 3, op2 = (esr >> 17) & 7, op1 = (esr >> 14) & 7;
	u32 crn = (esr >> 10) & 0xf, crm = (esr >> 1) & 0xf;
	int rt = (esr >> 5) & 0x1f;
	bool read = esr & 1;
	struct domain *d = v->d;

	v->pc += 4;
	if (op0 == 3 && op1 == 0 && crn == 12 && crm == 11 && op2 == 5) {
		u32 kick;

		if (read)
			return set_reg(v, rt, 0);
		spin_lock(&d->lock);
		kick = vgic_sgi(&d->vgic, v->id, get_reg(v, rt));
		spin_unlock(&d->lock);
		vcpu_kick_mask(d, kick);
		return;
	}
	/* Everything else (physical timer, ...): RAZ/WI */
	pr_debug("%s: vCPU%u: sysreg S%u_%u_C%u_C%u_%u %s ignored", d->name,
		 v->id, op0, op1, crn, crm, op2, read ? "read" : "write");
	if (read)
		set_reg(v, rt, 0);
}

/* Returns RUN_* when the vCPU must stop running here, else -1. */
static int guest_hvc(struct vcpu *v, u64 esr)
{
	u32 imm = esr & 0xffff;

	if (imm == 0)
		return psci_call(v, false) ? RUN_OFF : -1;
	if (imm == XEN_HVC_IMM)
		return guest_xen_hypercall(v);
	/* As if HVC were disabled: the exception is on the HVC itself. */
	v->pc -= 4;
	inject_undef(v);
	return -1;
}

static int guest_sync(struct vcpu *v)
{
	u64 esr = read_sysreg(esr_el2);

	switch (ESR_EC(esr)) {
	case EC_WFX:
		v->pc += 4;
		if (!(esr & 1))
			return RUN_WFI;
		break;
	case EC_HVC64:
		return guest_hvc(v, esr);
	case EC_SMC64:
		v->pc += 4;
		if (psci_call(v, true))
			return RUN_OFF;
		break;
	case EC_SYSREG:
		sysreg_trap(v, esr);
		break;
	case EC_DABT_LOW:
		data_abort(v, esr);
		break;
	case EC_IABT_LOW:
		if (s2_fault_raced(v, esr, fault_ipa()))
			break;
		dom_warn(v->d, "%s: vCPU%u instruction fetch at 0x%lx outside its memory: abort injected",
			 v->d->name, v->id, v->pc);
		inject_abort(v, true, read_sysreg(far_el2));
		break;
	default:
		dom_warn(v->d, "%s: vCPU%u: unhandled trap, ESR 0x%lx at pc 0x%lx",
			 v->d->name, v->id, esr, v->pc);
		inject_undef(v);
		break;
	}
	return -1;
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

static int run_vcpu(struct pcpu *p, struct vcpu *v)
{
	struct domain *d = v->d;
	unsigned long code;
	u32 i;
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
			woke = sched_expire(&sched, cntpct());
			waiting = sched_has_waiting(&sched);
			spin_unlock(&sched_lock);
			if (woke)
				sched_kick_idle();
			if (waiting)
				return RUN_PREEMPT;
			arm_tick();
		}
		xen_store_resume(d);
		xen_virq_resume();
		spin_lock(&d->lock);
		evtchn_level(v);
		vgic_flush(&d->vgic, v->id);
		spin_unlock(&d->lock);
		for (i = 0; i < v->vgic.nr_lr; i++)
			write_lr(i, v->vgic.lr[i]);
		write_sysreg(ICH_HCR_EL2, v->vgic.hcr);
		write_sysreg(elr_el2, v->pc);
		write_sysreg(spsr_el2, v->pstate);

		code = guest_enter(&v->regs);

		v->pc = read_sysreg(elr_el2);
		v->pstate = read_sysreg(spsr_el2);
		for (i = 0; i < v->vgic.nr_lr; i++)
			v->vgic.lr[i] = read_lr(i);
		spin_lock(&d->lock);
		vgic_sync(&d->vgic, v->id);
		spin_unlock(&d->lock);

		switch (code) {
		case EXIT_SYNC:
			r = guest_sync(v);
			if (r >= 0)
				return r;
			break;
		case EXIT_IRQ:
		case EXIT_FIQ:
			host_irqs(p, v);
			break;
		case EXIT_SERROR:
			dom_warn(d, "%s: vCPU%u: SError", d->name, v->id);
			break;
		default:
			pr_err("%s: vCPU%u: exception from AArch32, stopping domain",
			       d->name, v->id);
			domain_shutdown(d, SHUTDOWN_crash);
			return RUN_OFF;
		}
	}
}

/* After the vCPU's state is saved: WFI blocks unless it has work. */
static void stop_vcpu(struct vcpu *v, int r)
{
	struct domain *d = v->d;
	struct el1_ctx *s = &v->sys;
	u64 wake = SCHED_NO_DEADLINE;
	bool timer_on, pending, release;

	spin_lock(&sched_lock);
	if (d->dead || r == RUN_OFF) {
		sched_stop(&v->sched, VS_OFF, 0);
	} else if (r == RUN_WFI && v->in_poll) {
		/* Its timer and other interrupts wait for the poll's end. */
		if (!xen_polling(v) || v->block_until <= cntpct())
			sched_stop(&v->sched, VS_RUNNABLE, 0);
		else
			sched_stop(&v->sched, VS_BLOCKED, v->block_until);
	} else if (r == RUN_WFI) {
		timer_on = (s->cntv_ctl & (CNTV_ENABLE | CNTV_IMASK)) ==
			   CNTV_ENABLE;
		spin_lock(&d->lock);
		evtchn_level(v);
		pending = vgic_has_pending(&d->vgic, v->id);
		spin_unlock(&d->lock);
		if (timer_on)
			wake = s->cntv_cval;
		wake = MIN(wake, v->block_until);
		if (pending || wake <= cntpct())
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

static void idle_wait(struct pcpu *p, u64 deadline)
{
	arm_timer(deadline);
	wfi();
	host_irqs(p, NULL);
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
	struct pcpu *p = this_pcpu();
	struct sched_ent *e;
	struct vcpu *v;
	u64 deadline = SCHED_NO_DEADLINE;
	int r;

	for (;;) {
		spin_lock(&sched_lock);
		sched_expire(&sched, cntpct());
		e = sched_pick(&sched, p->id, NULL);
		WRITE_ONCE(p->idle, !e);
		if (!e)
			deadline = sched_next_deadline(&sched);
		v = e ? e->owner : NULL;
		if (v && v->pending_reset) {
			vcpu_reset(v, v->on_entry, v->on_ctx);
			v->pending_reset = false;
		}
		spin_unlock(&sched_lock);
		if (!v) {
			idle_wait(p, deadline);
			continue;
		}
		xen_runstate_set(v, RUNSTATE_running, arch_now_ns());
		ctx_restore(v);
		xen_runstate_publish(v);
		if (v->in_poll) {	/* woken: by its ports or the timeout */
			v->in_poll = false;
			xen_poll_end(v);
		}
		p->cur = v;
		r = run_vcpu(p, v);
		ctx_save(v);
		p->cur = NULL;
		stop_vcpu(v, r);
		xen_runstate_set(v, runstate_of(v), arch_now_ns());
	}
}
