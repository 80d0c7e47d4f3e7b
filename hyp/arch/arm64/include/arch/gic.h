/* SPDX-License-Identifier: GPL-2.0-only */
/* The host GICv3 (arch/arm64/gic.c). */
#ifndef MINIXEN_ARCH_GIC_H
#define MINIXEN_ARCH_GIC_H

#include <minixen/lib.h>

struct pcpu;

void gic_init(void);
void gic_cpu_init(struct pcpu *p);
void gic_send_sgi(u32 pcpu, u32 intid);
u32 gic_ack(void);
void gic_eoi(u32 iar);

#endif
