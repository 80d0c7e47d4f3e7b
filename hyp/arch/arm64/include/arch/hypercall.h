/* SPDX-License-Identifier: GPL-2.0-only */
/* The EL2 side of Xen hypercalls (arch/arm64/hypercall.c). */
#ifndef MINIXEN_ARCH_HYPERCALL_H
#define MINIXEN_ARCH_HYPERCALL_H

struct vcpu;

/* HVC #0xEA1; RUN_*, or -1 to go on running */
int guest_xen_hypercall(struct vcpu *v);

#endif
