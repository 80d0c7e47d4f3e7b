/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the model (core/) asks of the architecture: the arch_*() hooks
 * of the run loop, of domain building and of the machine, implemented by
 * arch/arm64 (tests/hyp fakes those its tests need). The Xen ABI's hooks
 * are in hypercall.h (arch_now_ns(), arch_evtchn_kick(), arch_vcpu_wake())
 * and physmap.h (arch_s2_flush()). The arch also implements whole objects
 * core uses: stage-2 tables (s2.h), the vGIC (vgic.h) and the atomics and
 * barriers on guest-shared memory (guest_atomic.h).
 */
#ifndef MINIXEN_ARCH_HOOKS_H
#define MINIXEN_ARCH_HOOKS_H

#include <minixen/lib.h>

struct domain;
struct domcfg;
struct vcpu;

/* The machine: this CPU's index (0..nr_pcpus - 1), an IPI, power. */
u32 arch_cpu_id(void);
/* Make CPU @cpu look at the run queue again (it idles, or runs a vCPU). */
void arch_kick_cpu(u32 cpu);
/* Power the machine off, or reset it if @reboot. */
void arch_power_off(bool reboot) __noreturn;

/*
 * Time of the run loop: scheduler deadlines (sched.h), vCPUs' block_until
 * are counter values, arch_counter_freq() a second.
 */
u64 arch_counter(void);
u64 arch_counter_freq(void);
/* This CPU's timer interrupt at @deadline; SCHED_NO_DEADLINE: off. */
void arch_timer_set(u64 deadline);
/* Nothing to run here: wait for an interrupt, or until @deadline. */
void arch_cpu_idle(u64 deadline);

/* The vCPU's registers at reset: entered at EL1 at @entry, x0 = @x0. */
void arch_vcpu_reset(struct vcpu *v, u64 entry, u64 x0);
/* World switch: @v's state onto this CPU, and back from it. */
void arch_vcpu_load(struct vcpu *v);
void arch_vcpu_save(struct vcpu *v);
/*
 * Run @v (loaded) with its vGIC list registers (v->vgic) until it exits;
 * returns the exit, which arch_vcpu_exit() then handles (after the core
 * synced the vGIC): RUN_* (run.h) if @v stops running here, else -1.
 */
unsigned long arch_vcpu_enter(struct vcpu *v);
int arch_vcpu_exit(struct vcpu *v, unsigned long exit);
/* Deadline of @v's (saved) virtual timer, SCHED_NO_DEADLINE if none. */
u64 arch_vcpu_timer(struct vcpu *v);

/* List registers per vCPU of the host's GIC (vgic_init()). */
u32 arch_vgic_nr_lrs(void);

/* Where a domain starts: kernel entry, its device tree, its ramdisk. */
struct dom_boot {
	u64 entry, dtb, initrd;
};

/*
 * Put @c's kernel and ramdisk into @d's RAM as the arch's boot protocol
 * wants them (an arm64 Image); bad_config() if they do not fit.
 */
void arch_domain_load(struct domain *d, const struct domcfg *c,
		      struct dom_boot *b);
/* Write @d's device tree at b->dtb (its vCPUs exist); 0 or an error. */
int arch_domain_fdt(struct domain *d, const struct domcfg *c,
		    const struct dom_boot *b);

#endif
