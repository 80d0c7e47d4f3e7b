// SPDX-License-Identifier: GPL-2.0-only
/*
 * Virtual PSCI: the PSCI 1.1 that guests see over HVC and SMC (CPU_ON,
 * CPU_OFF, AFFINITY_INFO, SYSTEM_OFF, SYSTEM_RESET, ...), on their vCPUs
 * and domain. The arch decodes the call and gives its registers here.
 */
#include <minixen/domain.h>
#include <minixen/run.h>
#include <minixen/vcpu.h>
#include <minixen/vpsci.h>

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
bool vpsci_call(struct vcpu *v, bool smc_conduit)
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
