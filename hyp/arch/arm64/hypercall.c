// SPDX-License-Identifier: GPL-2.0-only
/*
 * The EL2 side of Xen hypercalls: HVC #0xEA1 from a guest runs the core
 * dispatcher with x16 and x0-x4, the result goes back in x0 (or the HVC
 * is re-issued: HC_CONTINUE), the core's run_hypercall_next() says what
 * the vCPU does next; then the hooks the core calls (system time,
 * stage-2 TLB flush, event PPI).
 */
#include <minixen/domain.h>
#include <minixen/hypercall.h>
#include <minixen/physmap.h>
#include <minixen/run.h>
#include <minixen/vcpu.h>
#include <arch/hypercall.h>
#include <arch/sysregs.h>

/* Xen system time: the counter in ns (the guest's CNTVOFF is 0). */
u64 arch_now_ns(void)
{
	u64 f = read_sysreg(cntfrq_el0), t = cntpct();

	return (t / f) * NSEC_PER_SEC + (t % f) * NSEC_PER_SEC / f;
}

/*
 * All of @d's stage-1+2 and stage-2 TLB entries, on every CPU: by VMID,
 * so @d's VTTBR is loaded for the TLBI if it is not the current one.
 */
void arch_s2_flush(struct domain *d)
{
	u64 vttbr = ((u64)d->vmid << 48) | (u64)d->s2.root;
	u64 cur = read_sysreg(vttbr_el2);

	dsb_ish();
	if (cur != vttbr) {
		write_sysreg(vttbr_el2, vttbr);
		isb();
	}
	asm volatile("tlbi vmalls12e1is" : : : "memory");
	dsb_ish();
	if (cur != vttbr) {
		write_sysreg(vttbr_el2, cur);
		isb();
	}
}

/* Raise the event-channel PPI on @v and make sure it sees it. */
void arch_evtchn_kick(struct vcpu *v)
{
	vcpu_inject(v, GUEST_EVTCHN_PPI);
}

void arch_vcpu_wake(struct vcpu *v)
{
	vcpu_kick_mask(v->d, BIT(v->id));
}

/* HVC #0xEA1: returns RUN_* for the run loop, or -1 to go on. */
int guest_xen_hypercall(struct vcpu *v)
{
	struct hc_call c = { .nr = v->regs.x[16] };
	long r;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(c.a); i++)
		c.a[i] = v->regs.x[i];
	r = hypercall(v, &c);
	if (c.next == HC_CONTINUE) {
		/* Back onto the HVC, with the arguments of what is left. */
		for (i = 0; i < ARRAY_SIZE(c.a); i++)
			v->regs.x[i] = c.a[i];
		v->pc -= 4;
		return -1;
	}
	v->regs.x[0] = r;
	return run_hypercall_next(v, &c);
}
