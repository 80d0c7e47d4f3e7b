// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPU execution at EL2, the arch half of the run loop (core/run.c):
 * world switch, timers and interrupts of the physical CPU, and the
 * decoding of guest exits (interrupts, WFI, HVC/SMC, system register and
 * MMIO traps, faults).
 */
#include <minixen/arch_hooks.h>
#include <minixen/domain.h>
#include <minixen/layout.h>
#include <minixen/run.h>
#include <minixen/vcpu.h>
#include <minixen/vpsci.h>
#include <arch/entry.h>
#include <arch/gic.h>
#include <arch/hypercall.h>
#include <arch/pcpu.h>
#include <arch/sysregs.h>

#define XEN_HVC_IMM	0xea1
#define CNTV_ENABLE	BIT(0)
#define CNTV_IMASK	BIT(1)
#define CNTV_ISTATUS	BIT(2)

struct pcpu pcpus[MAX_PCPUS];

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

void arch_vcpu_load(struct vcpu *v)
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

void arch_vcpu_save(struct vcpu *v)
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

u32 arch_cpu_id(void)
{
	return this_pcpu()->id;
}

void arch_kick_cpu(u32 cpu)
{
	gic_send_sgi(cpu, SGI_KICK);
}

u64 arch_counter(void)
{
	return cntpct();
}

u64 arch_counter_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

void arch_timer_set(u64 deadline)
{
	if (deadline == SCHED_NO_DEADLINE) {
		write_sysreg(cnthp_ctl_el2, 0);
	} else {
		write_sysreg(cnthp_cval_el2, deadline);
		write_sysreg(cnthp_ctl_el2, 1);
	}
	isb();
}

/* Take pending host interrupts; @v is the vCPU that was running. */
static void host_irqs(struct vcpu *v)
{
	for (;;) {
		u32 iar = gic_ack(), irq = iar & 0xffffff;

		if (irq >= 1020)
			break;
		switch (irq) {
		case PPI_HYP_TIMER:
			write_sysreg(cnthp_ctl_el2, 0);
			run_tick();
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
		if (vmmio_access(v, ipa, size, write, &val)) {
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
		if (read)
			return set_reg(v, rt, 0);
		vcpu_send_sgi(v, get_reg(v, rt));
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
		return vpsci_call(v, false) ? RUN_OFF : -1;
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
		if (vpsci_call(v, true))
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

void arch_cpu_idle(u64 deadline)
{
	arch_timer_set(deadline);
	wfi();
	host_irqs(NULL);
}

unsigned long arch_vcpu_enter(struct vcpu *v)
{
	unsigned long code;
	u32 i;

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
	/*
	 * No maintenance interrupt while minixen runs: an LR the guest has
	 * EOIed (level-sensitive SPI, LR_EOI) keeps the EOI maintenance
	 * interrupt asserted until the LRs are rewritten at the next entry,
	 * and host_irqs() would take it forever.
	 */
	write_sysreg(ICH_HCR_EL2, 0);
	return code;
}

int arch_vcpu_exit(struct vcpu *v, unsigned long code)
{
	struct domain *d = v->d;
	int r;

	switch (code) {
	case EXIT_SYNC:
		r = guest_sync(v);
		if (r >= 0)
			return r;
		break;
	case EXIT_IRQ:
	case EXIT_FIQ:
		host_irqs(v);
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
	return -1;
}

void arch_vcpu_reset(struct vcpu *v, u64 entry, u64 x0)
{
	memset(&v->regs, 0, sizeof(v->regs));
	memset(&v->sys, 0, sizeof(v->sys));
	memset(&v->fp, 0, sizeof(v->fp));
	v->regs.x[0] = x0;
	v->pc = entry;
	v->pstate = PSR_DAIF | PSR_MODE_EL1H;
	v->sys.sctlr = 0x30d00800;	/* RES1 bits, MMU and caches off */
}

u64 arch_vcpu_timer(struct vcpu *v)
{
	struct el1_ctx *s = &v->sys;

	if ((s->cntv_ctl & (CNTV_ENABLE | CNTV_IMASK)) != CNTV_ENABLE)
		return SCHED_NO_DEADLINE;
	return s->cntv_cval;
}
