/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Physical CPUs as EL2 sees them: TPIDR_EL2 points at this CPU's struct
 * pcpu (arch/arm64/vcpu.c). What runs on them is core/run.c (run.h).
 */
#ifndef MINIXEN_ARCH_PCPU_H
#define MINIXEN_ARCH_PCPU_H

#include <minixen/config.h>
#include <minixen/lib.h>

struct gregs;

struct pcpu {
	struct gregs *regs;	/* offset 0: head.S */
	u32 id;
	u64 mpidr;
	u64 gicr;		/* this CPU's redistributor */
};

extern struct pcpu pcpus[MAX_PCPUS];

static inline struct pcpu *this_pcpu(void)
{
	struct pcpu *p;

	asm volatile("mrs %0, tpidr_el2" : "=r" (p));
	return p;
}

#endif
