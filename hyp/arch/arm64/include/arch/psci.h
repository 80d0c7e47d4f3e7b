/* SPDX-License-Identifier: GPL-2.0-only */
/* PSCI: the host firmware's, and the guests' (arch/arm64/psci.c). */
#ifndef MINIXEN_ARCH_PSCI_H
#define MINIXEN_ARCH_PSCI_H

#include <minixen/lib.h>

struct vcpu;

int host_cpu_on(u64 mpidr, u64 entry, u64 ctx);
void host_power_off(bool reboot) __noreturn;
bool psci_call(struct vcpu *v, bool smc);

#endif
