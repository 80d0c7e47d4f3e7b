/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A virtual CPU: its saved registers, vGIC and scheduler state, and its
 * Xen ABI state. Run by core/run.c, on arch/arm64/vcpu.c's world switch.
 */
#ifndef MINIXEN_VCPU_H
#define MINIXEN_VCPU_H

#include <minixen/lib.h>
#include <minixen/sched.h>
#include <minixen/vgic.h>
#include <minixen/xen_dom.h>

struct domain;

struct gregs {
	u64 x[31];		/* layout known to head.S */
};

struct fpregs {
	u64 q[64];
	u64 fpsr;
	u64 fpcr;
} __aligned(16);

struct el1_ctx {
	u64 sctlr, ttbr0, ttbr1, tcr, mair, amair, vbar, contextidr;
	u64 tpidr_el0, tpidrro_el0, tpidr_el1, sp_el0, sp_el1, elr, spsr;
	u64 esr, far, afsr0, afsr1, par, cpacr, cntkctl, csselr, mdscr;
	u64 cntv_ctl, cntv_cval;
};

struct vcpu {
	struct gregs regs;
	u64 pc, pstate;
	struct el1_ctx sys;
	struct fpregs fp;
	struct vgic_vcpu vgic;
	struct sched_ent sched;
	struct domain *d;
	u32 id;
	bool pending_reset;	/* PSCI CPU_ON: start at entry/ctx */
	u64 on_entry, on_ctx;
	u64 block_until;	/* RUN_WFI from a hypercall: deadline */
	bool in_poll;		/* RUN_WFI from SCHEDOP_poll, until it runs */
	struct xen_vcpu xen;	/* Xen ABI state: xen_dom.h */
};

/* Interrupt state of the vCPUs in @mask changed: wake or interrupt them. */
void vcpu_kick_mask(struct domain *d, u32 mask);
/*
 * Interrupts minixen raises in a guest's vGIC (core/vmmio.c), under the
 * domain's lock, then the vCPUs concerned kicked: SGI/PPI @intid on @v;
 * the SGIs @v sends by writing @sgi1r to ICC_SGI1R_EL1.
 */
void vcpu_inject(struct vcpu *v, u32 intid);
void vcpu_send_sgi(struct vcpu *v, u64 sgi1r);

#endif
