/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The machine as host tests of the run loop and domains fake it: locks
 * that notice misuse, one CPU (0) whose kicks of others are recorded, a
 * counter at FAKE_FREQ that the test moves. Included by one file of a
 * test (which may need only the locks).
 */
#ifndef MX_FAKE_MACHINE_H
#define MX_FAKE_MACHINE_H

#include <minixen/arch_hooks.h>

#define FAKE_FREQ	62500000UL	/* QEMU's counter: 62.5 MHz */

static bool lock_misuse;	/* a lock taken twice, or released unheld */
/* CPUs arch_kick_cpu() was asked to kick; arch_counter() */
static u32 kicked __attribute((unused));
static u64 now __attribute((unused)) = 1000 * FAKE_FREQ;

void spin_lock(struct mx_lock *l)
{
	lock_misuse |= l->locked;
	l->locked = 1;
}

void spin_unlock(struct mx_lock *l)
{
	lock_misuse |= !l->locked;
	l->locked = 0;
}

u32 arch_cpu_id(void)
{
	return 0;
}

void arch_kick_cpu(u32 cpu)
{
	kicked |= BIT(cpu);
}

u64 arch_counter(void)
{
	return now;
}

u64 arch_counter_freq(void)
{
	return FAKE_FREQ;
}

#endif
