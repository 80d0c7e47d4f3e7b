// SPDX-License-Identifier: GPL-2.0-only
/*
 * PSCI calls to the host firmware (QEMU, SMC conduit with
 * virtualization=on). What guests see is core/vpsci.c.
 */
#include <minixen/arch_hooks.h>
#include <minixen/vpsci.h>
#include <arch/psci.h>
#include <arch/sysregs.h>

static u64 host_smc(u64 fn, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 asm("x0") = fn;
	register u64 x1 asm("x1") = a1;
	register u64 x2 asm("x2") = a2;
	register u64 x3 asm("x3") = a3;

	asm volatile("smc #0" : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3)
		     : : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
		       "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	return x0;
}

int host_cpu_on(u64 mpidr, u64 entry, u64 ctx)
{
	return (int)host_smc(PSCI_CPU_ON | PSCI_64, mpidr, entry, ctx);
}

/* The arch hook: SYSTEM_OFF, or SYSTEM_RESET if @reboot. */
void arch_power_off(bool reboot)
{
	host_smc(reboot ? PSCI_SYSTEM_RESET : PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		wfi();
}
