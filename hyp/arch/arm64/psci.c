// SPDX-License-Identifier: GPL-2.0-only
/*
 * PSCI: calls to the host firmware (QEMU, SMC conduit with
 * virtualization=on) and the PSCI 1.1 that guests see over HVC and SMC.
 */
#include <minixen/domain.h>
#include <minixen/vcpu.h>
#include <arch/pcpu.h>
#include <arch/psci.h>
#include <arch/sysregs.h>

#define PSCI_VERSION		0x84000000
#define PSCI_CPU_SUSPEND	0x84000001
#define PSCI_CPU_OFF		0x84000002
#define PSCI_CPU_ON		0x84000003
#define PSCI_AFFINITY_INFO	0x84000004
#define PSCI_MIGRATE_INFO_TYPE	0x84000006
#define PSCI_SYSTEM_OFF		0x84000008
#define PSCI_SYSTEM_RESET	0x84000009
#define PSCI_FEATURES		0x8400000a
#define PSCI_64			0x40000000
#define SMCCC_VERSION		0x80000000

#define PSCI_SUCCESS		0
#define PSCI_NOT_SUPPORTED	-1
#define PSCI_INVALID_PARAMS	-2
#define PSCI_ALREADY_ON		-4
#define PSCI_INVALID_ADDRESS	-9
/* target_cpu: Aff3 in [39:32], Aff2..0 in [23:0], other bits zero */
#define PSCI_AFF_MASK		0xff00ffffffUL

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

void host_power_off(bool reboot)
{
	host_smc(reboot ? PSCI_SYSTEM_RESET : PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		wfi();
}

static s64 guest_cpu_on(struct vcpu *v, u64 mpidr, u64 entry, u64 ctx)
{
	struct domain *d = v->d;
	struct vcpu *t;
	s64 ret = PSCI_SUCCESS;
	int id;

	if (mpidr & ~PSCI_AFF_MASK)
		return PSCI_INVALID_PARAMS;
	spin_lock(&d->lock);
	id = vgic_vcpu_by_mpidr(&d->vgic, mpidr);
	spin_unlock(&d->lock);
	if (id < 0)
		return PSCI_INVALID_PARAMS;
	/* The vCPU starts with its MMU off: @entry is an IPA in its RAM. */
	if (entry < d->ram_ipa || entry - d->ram_ipa > d->ram_size - 4 ||
	    (entry & 3))
		return PSCI_INVALID_ADDRESS;
	t = d->vcpu[id];
	spin_lock(&sched_lock);
	if (t->sched.state != VS_OFF || t->pending_reset) {
		ret = PSCI_ALREADY_ON;
	} else {
		t->pending_reset = true;
		t->on_entry = entry;
		t->on_ctx = ctx;
		t->sched.state = VS_RUNNABLE;
	}
	spin_unlock(&sched_lock);
	if (ret == PSCI_SUCCESS) {
		pr_debug("%s: vCPU%d on at 0x%lx", d->name, id, entry);
		sched_kick_idle();
	}
	return ret;
}

static s64 guest_affinity_info(struct vcpu *v, u64 mpidr, u64 level)
{
	struct domain *d = v->d;
	int id;

	/* Affinity levels above 0 are optional from PSCI 1.0 on. */
	if (level || (mpidr & ~PSCI_AFF_MASK))
		return PSCI_INVALID_PARAMS;
	id = vgic_vcpu_by_mpidr(&d->vgic, mpidr);
	if (id < 0)
		return PSCI_INVALID_PARAMS;
	if (d->vcpu[id]->pending_reset)
		return 2;	/* ON_PENDING */
	return READ_ONCE(d->vcpu[id]->sched.state) == VS_OFF ? 1 : 0;
}

static s64 features(u32 fn)
{
	switch (fn) {
	case PSCI_VERSION:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON:
	case PSCI_CPU_ON | PSCI_64:
	case PSCI_AFFINITY_INFO:
	case PSCI_AFFINITY_INFO | PSCI_64:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
		return 0;
	}
	return PSCI_NOT_SUPPORTED;
}

/*
 * Guest PSCI/SMCCC call in x0..x3. Returns true if the vCPU must give up
 * its physical CPU (it went off, or its domain did).
 */
bool psci_call(struct vcpu *v, bool smc_conduit)
{
	u64 *x = v->regs.x;
	u32 fn = x[0];
	s64 ret;

	switch (fn) {
	case PSCI_VERSION:
		ret = 0x10001;	/* 1.1 */
		break;
	case PSCI_FEATURES:
		ret = features(x[1]);
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		ret = 2;	/* no trusted OS */
		break;
	case PSCI_CPU_ON:
		ret = guest_cpu_on(v, (u32)x[1], (u32)x[2], (u32)x[3]);
		break;
	case PSCI_CPU_ON | PSCI_64:
		ret = guest_cpu_on(v, x[1], x[2], x[3]);
		break;
	case PSCI_AFFINITY_INFO:
	case PSCI_AFFINITY_INFO | PSCI_64:
		ret = guest_affinity_info(v, x[1], x[2]);
		break;
	case PSCI_CPU_OFF:
		pr_debug("%s: vCPU%d off", v->d->name, v->id);
		return true;
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		domain_shutdown(v->d, fn == PSCI_SYSTEM_RESET ? SHUTDOWN_reboot :
						      SHUTDOWN_poweroff);
		return true;
	default:
		ret = PSCI_NOT_SUPPORTED;
		break;
	}
	x[0] = ret;
	return false;
}
