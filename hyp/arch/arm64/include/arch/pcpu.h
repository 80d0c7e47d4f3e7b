/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Physical CPUs and what runs on them: the global run queue and each
 * CPU's scheduling loop (arch/arm64/vcpu.c).
 */
#ifndef MINIXEN_ARCH_PCPU_H
#define MINIXEN_ARCH_PCPU_H

#include <minixen/config.h>
#include <minixen/lib.h>
#include <minixen/sched.h>

struct gregs;
struct vcpu;

struct pcpu {
	struct gregs *regs;	/* offset 0: head.S */
	u32 id;
	u64 mpidr;
	u64 gicr;		/* this CPU's redistributor */
	struct vcpu *cur;
	bool idle;
	bool resched;
};

extern struct pcpu pcpus[MAX_PCPUS];
extern u32 nr_pcpus;
extern struct sched sched;
extern struct mx_lock sched_lock;

static inline struct pcpu *this_pcpu(void)
{
	struct pcpu *p;

	asm volatile("mrs %0, tpidr_el2" : "=r" (p));
	return p;
}

/* What ends a vCPU's turn on its CPU (vcpu.c). */
enum run_result { RUN_PREEMPT, RUN_WFI, RUN_OFF };

void pcpu_run(void) __noreturn;
void sched_kick_idle(void);

#endif
