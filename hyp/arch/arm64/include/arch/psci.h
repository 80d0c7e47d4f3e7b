/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PSCI calls to the host firmware (arch/arm64/psci.c); powering off is
 * arch_power_off() (minixen/arch_hooks.h), the guests' PSCI vpsci.h.
 */
#ifndef MINIXEN_ARCH_PSCI_H
#define MINIXEN_ARCH_PSCI_H

#include <minixen/lib.h>

int host_cpu_on(u64 mpidr, u64 entry, u64 ctx);

#endif
