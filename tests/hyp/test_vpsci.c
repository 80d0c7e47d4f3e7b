// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests: the PSCI guests see (hyp/core/vpsci.c): function IDs,
 * CPU_ON's checks of a guest's target MPIDR and entry point, a vCPU
 * already on, AFFINITY_INFO, CPU_OFF and the domain-wide calls.
 */
#include <minixen/domain.h>
#include <minixen/run.h>
#include <minixen/vcpu.h>
#include <minixen/vpsci.h>
#include "tap.h"

#define RAM_IPA		0x40000000UL
#define RAM_SIZE	(128UL << 20)
#define NR_VCPUS	3

struct mx_lock sched_lock;
static int kicks, shutdowns;
static u32 last_reason;
static struct domain dom;
static struct vcpu vc[NR_VCPUS];

void spin_lock(struct mx_lock *l)
{
	l->locked++;
}

void spin_unlock(struct mx_lock *l)
{
	l->locked--;
}

void mx_log(int level, const char *fmt, ...)
{
}

void sched_kick_idle(void)
{
	kicks++;
}

void domain_shutdown(struct domain *d, u32 reason)
{
	d->dead = true;
	last_reason = reason;
	shutdowns++;
}

/* @v calls @fn(a1, a2, a3) over HVC; returns x0 after, *@off: gave up. */
static s64 call(struct vcpu *v, u64 fn, u64 a1, u64 a2, u64 a3, bool *off)
{
	bool r;

	v->regs.x[0] = fn;
	v->regs.x[1] = a1;
	v->regs.x[2] = a2;
	v->regs.x[3] = a3;
	r = vpsci_call(v, false);
	if (off)
		*off = r;
	return (s64)v->regs.x[0];
}

static s64 cpu_on(u64 mpidr, u64 entry, u64 ctx)
{
	return call(&vc[0], PSCI_CPU_ON | PSCI_64, mpidr, entry, ctx, NULL);
}

static bool untouched(struct vcpu *t)
{
	return t->sched.state == VS_OFF && !t->pending_reset && !t->on_entry;
}

static void setup(void)
{
	struct vgic_vcpu *vv[NR_VCPUS];
	u32 i;

	memset(&dom, 0, sizeof(dom));
	memset(vc, 0, sizeof(vc));
	snprintf(dom.name, sizeof(dom.name), "domU");
	dom.ram_ipa = RAM_IPA;
	dom.ram_size = RAM_SIZE;
	dom.nr_vcpus = NR_VCPUS;
	for (i = 0; i < NR_VCPUS; i++) {
		vc[i].d = &dom;
		vc[i].id = i;
		vc[i].sched.state = VS_OFF;
		dom.vcpu[i] = &vc[i];
		vv[i] = &vc[i].vgic;
	}
	vgic_init(&dom.vgic, NR_VCPUS, vv, 4);
	vc[0].sched.state = VS_RUNNING;	/* the caller */
	kicks = 0;
	shutdowns = 0;
}

static void test_ids(void)
{
	bool off = true;

	setup();
	ok(call(&vc[0], PSCI_VERSION, 0, 0, 0, &off) == 0x10001 && !off,
	   "PSCI_VERSION: 1.1, the vCPU goes on");
	vc[0].regs.x[0] = PSCI_VERSION;
	ok(vpsci_call(&vc[0], true) == false && vc[0].regs.x[0] == 0x10001,
	   "over SMC too");
	ok(call(&vc[0], 0xffffffff00000000UL | PSCI_VERSION, 0, 0, 0, NULL) ==
	   0x10001, "the function ID is w0: x0's upper half is ignored");
	ok(call(&vc[0], PSCI_FEATURES, PSCI_CPU_ON | PSCI_64, 0, 0, NULL) == 0,
	   "PSCI_FEATURES(CPU_ON64): supported");
	ok(call(&vc[0], PSCI_FEATURES, PSCI_CPU_SUSPEND, 0, 0, NULL) ==
	   PSCI_NOT_SUPPORTED, "PSCI_FEATURES(CPU_SUSPEND): NOT_SUPPORTED");
	ok(call(&vc[0], PSCI_FEATURES, SMCCC_VERSION, 0, 0, NULL) ==
	   PSCI_NOT_SUPPORTED, "PSCI_FEATURES(SMCCC_VERSION): NOT_SUPPORTED");
	ok(call(&vc[0], PSCI_MIGRATE_INFO_TYPE, 0, 0, 0, NULL) == 2,
	   "MIGRATE_INFO_TYPE: no trusted OS");
	ok(call(&vc[0], PSCI_CPU_SUSPEND, 0, 0, 0, &off) == PSCI_NOT_SUPPORTED &&
	   !off, "CPU_SUSPEND: NOT_SUPPORTED");
	ok(call(&vc[0], 0xc4000099, 1, 2, 3, NULL) == PSCI_NOT_SUPPORTED,
	   "unknown function: NOT_SUPPORTED");
}

static void test_cpu_on_bad(void)
{
	u64 e = RAM_IPA + 0x1000;

	setup();
	ok(cpu_on(vgic_vcpu_mpidr(1) | BIT(24), e, 0) == PSCI_INVALID_PARAMS,
	   "CPU_ON: MPIDR with bits outside Aff3..0: INVALID_PARAMETERS");
	ok(cpu_on(vgic_vcpu_mpidr(1) | BIT(63), e, 0) == PSCI_INVALID_PARAMS,
	   "CPU_ON: MPIDR bit 63: INVALID_PARAMETERS");
	ok(cpu_on(vgic_vcpu_mpidr(NR_VCPUS), e, 0) == PSCI_INVALID_PARAMS,
	   "CPU_ON: no such vCPU: INVALID_PARAMETERS");
	ok(cpu_on(BIT(32) | vgic_vcpu_mpidr(1), e, 0) == PSCI_INVALID_PARAMS,
	   "CPU_ON: Aff3 of no vCPU: INVALID_PARAMETERS");
	ok(cpu_on(vgic_vcpu_mpidr(1), RAM_IPA - 4, 0) == PSCI_INVALID_ADDRESS,
	   "CPU_ON: entry below RAM: INVALID_ADDRESS");
	ok(cpu_on(vgic_vcpu_mpidr(1), RAM_IPA + RAM_SIZE, 0) ==
	   PSCI_INVALID_ADDRESS, "CPU_ON: entry at RAM's end: INVALID_ADDRESS");
	ok(cpu_on(vgic_vcpu_mpidr(1), RAM_IPA + RAM_SIZE - 2, 0) ==
	   PSCI_INVALID_ADDRESS, "CPU_ON: entry 2 bytes before the end: INVALID_ADDRESS");
	ok(cpu_on(vgic_vcpu_mpidr(1), RAM_IPA + 0x1002, 0) ==
	   PSCI_INVALID_ADDRESS, "CPU_ON: unaligned entry: INVALID_ADDRESS");
	ok(cpu_on(vgic_vcpu_mpidr(1), ~3UL, 0) == PSCI_INVALID_ADDRESS,
	   "CPU_ON: entry at the top of the address space: INVALID_ADDRESS");
	ok(cpu_on(vgic_vcpu_mpidr(0), e, 0) == PSCI_ALREADY_ON,
	   "CPU_ON of the running caller: ALREADY_ON");
	ok(untouched(&vc[1]) && untouched(&vc[2]) && !kicks,
	   "rejected CPU_ONs start nothing, kick no CPU");
	ok(!sched_lock.locked && !dom.lock.locked, "locks are released");
}

static void test_cpu_on(void)
{
	u64 ram_end = RAM_IPA + RAM_SIZE;
	bool off = true;

	setup();
	ok(cpu_on(vgic_vcpu_mpidr(1), RAM_IPA + 0x1000, 0xdeadbeefcafeUL) ==
	   PSCI_SUCCESS, "CPU_ON64 of vCPU 1: SUCCESS");
	ok(vc[1].pending_reset && vc[1].on_entry == RAM_IPA + 0x1000 &&
	   vc[1].on_ctx == 0xdeadbeefcafeUL && vc[1].sched.state == VS_RUNNABLE,
	   "vCPU 1 runnable, reset to entry and context id when it runs");
	ok(kicks == 1, "idle CPUs kicked");
	ok(cpu_on(vgic_vcpu_mpidr(1), RAM_IPA, 0) == PSCI_ALREADY_ON &&
	   vc[1].on_entry == RAM_IPA + 0x1000, "CPU_ON again: ALREADY_ON, entry kept");
	ok(call(&vc[0], PSCI_AFFINITY_INFO | PSCI_64, vgic_vcpu_mpidr(1), 0, 0,
		NULL) == 2, "AFFINITY_INFO of vCPU 1: ON_PENDING");
	vc[1].pending_reset = false;	/* it ran (pcpu_run) */
	vc[1].sched.state = VS_BLOCKED;
	ok(cpu_on(vgic_vcpu_mpidr(1), RAM_IPA, 0) == PSCI_ALREADY_ON,
	   "CPU_ON of a blocked vCPU: ALREADY_ON");
	ok(call(&vc[0], PSCI_AFFINITY_INFO, vgic_vcpu_mpidr(1), 0, 0, NULL) ==
	   0, "AFFINITY_INFO of it: ON");
	ok(call(&vc[0], PSCI_AFFINITY_INFO, vgic_vcpu_mpidr(2), 0, 0, NULL) ==
	   1, "AFFINITY_INFO of vCPU 2: OFF");
	ok(call(&vc[0], PSCI_AFFINITY_INFO, vgic_vcpu_mpidr(2), 1, 0, NULL) ==
	   PSCI_INVALID_PARAMS, "AFFINITY_INFO at level 1: INVALID_PARAMETERS");
	ok(call(&vc[0], PSCI_AFFINITY_INFO, vgic_vcpu_mpidr(5), 0, 0, NULL) ==
	   PSCI_INVALID_PARAMS, "AFFINITY_INFO of no vCPU: INVALID_PARAMETERS");
	/* SMC32 CPU_ON: the arguments are w1..w3 */
	ok(call(&vc[0], PSCI_CPU_ON, BIT(32) | vgic_vcpu_mpidr(2),
		0xffffffff00000000UL | (ram_end - 4), 0x1234567887654321UL,
		&off) == PSCI_SUCCESS && !off,
	   "CPU_ON (32-bit) of vCPU 2, last word of RAM: SUCCESS");
	ok(vc[2].on_entry == ram_end - 4 && vc[2].on_ctx == 0x87654321,
	   "32-bit CPU_ON: entry and context id truncated to 32 bits");
}

static void test_off(void)
{
	bool off = false;

	setup();
	call(&vc[0], PSCI_CPU_OFF, 7, 0, 0, &off);
	ok(off && !shutdowns, "CPU_OFF: the vCPU gives up its CPU, domain lives");
	off = false;
	call(&vc[0], PSCI_SYSTEM_OFF, 0, 0, 0, &off);
	ok(off && shutdowns == 1 && last_reason == SHUTDOWN_poweroff,
	   "SYSTEM_OFF: domain shut down, poweroff");
	setup();
	off = false;
	call(&vc[0], PSCI_SYSTEM_RESET, 0, 0, 0, &off);
	ok(off && shutdowns == 1 && last_reason == SHUTDOWN_reboot,
	   "SYSTEM_RESET: domain shut down, reboot");
}

int main(void)
{
	test_ids();
	test_cpu_on_bad();
	test_cpu_on();
	test_off();
	return tap_done();
}
