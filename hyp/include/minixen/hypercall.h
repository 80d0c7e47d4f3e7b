/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Xen hypercalls: HVC #0xEA1, number in x16, arguments in x0-x4, result
 * in x0. The dispatcher and the handlers are pure code (core/), calling
 * the arch hooks below; arch/arm64 decodes the trap, the run loop acts on
 * .next (run_hypercall_next(), run.h).
 */
#ifndef MINIXEN_HYPERCALL_H
#define MINIXEN_HYPERCALL_H

#include <minixen/lib.h>
#include <minixen/xen_abi.h>

struct vcpu;
struct domain;

/* What the vCPU does once the hypercall returned. */
enum hc_next {
	HC_RETURN,		/* goes on */
	HC_YIELD,		/* gives its CPU up, stays runnable */
	HC_BLOCK,		/* blocks until an interrupt, or wake_ns */
	HC_POLL,		/* blocks until its poll ends, or wake_ns */
	HC_OFF,			/* stops: its domain ended */
	HC_CONTINUE,		/* re-issued with the arguments in .a[] */
};

struct hc_call {
	u64 nr;
	u64 a[5];
	enum hc_next next;
	u64 wake_ns;		/* HC_BLOCK, _POLL: system time deadline, 0: none */
};

typedef long (*hc_fn)(struct vcpu *v, struct hc_call *c);

/* Run hypercall @c for @v; returns the value for x0. */
long hypercall(struct vcpu *v, struct hc_call *c);

/* One handler per family, core/<family>.c */
long do_xen_version(struct vcpu *v, struct hc_call *c);
long do_memory_op(struct vcpu *v, struct hc_call *c);
long do_vcpu_op(struct vcpu *v, struct hc_call *c);
long do_sched_op(struct vcpu *v, struct hc_call *c);
long do_hvm_op(struct vcpu *v, struct hc_call *c);
long do_console_io(struct vcpu *v, struct hc_call *c);
/* XEN_SYSCTL_readconsole of minixen's console ring, privileged */
long do_sysctl(struct vcpu *v, struct hc_call *c);
/* core/xen_evtchn.c and core/xen_grant.c: onto core/evtchn*, grant* */
long do_event_channel_op(struct vcpu *v, struct hc_call *c);
long do_grant_table_op(struct vcpu *v, struct hc_call *c);

/* Domain by Xen domid as @self names it (DOMID_SELF too), or NULL. */
struct domain *domain_by_domid(struct domain *self, u32 domid);

/*
 * Xen features of @d (XENVER_get_features, submap 0), as Xen 4.17 gives
 * an arm64 guest.
 */
u32 xen_features(const struct domain *d);

/*
 * Once at boot, before any domain: the event-channel and grant-table
 * hooks (core/xen_evtchn.c, core/xen_grant.c).
 */
void xen_abi_init(void);
/* shared_info's wallclock: wall time at system time 0, ns since 1970. */
void xen_wallclock_set(u64 ns);
void xen_evtchn_setup(void);
void xen_grant_setup(void);

/*
 * The per-domain Xen state at domain creation: shared_info page, vCPU
 * 0's vcpu_info in it, parameters, event channels, grant table (its
 * stage 2 is @d->s2, its RAM @d->ram_*). @shared_info: a zeroed 4 KiB
 * page. Returns 0 or a negative Xen errno.
 */
int xen_domain_init(struct domain *d, void *shared_info, bool aware,
		    bool privileged);

/* HVM parameters for minixen's own parts (xenstore, console). */
int xen_param_set(struct domain *d, u32 idx, u64 val);
u64 xen_param_get(const struct domain *d, u32 idx);

/* Runstate: @v enters @state at system time @now (ns). */
void xen_runstate_set(struct vcpu *v, int state, u64 now);
/* Write @v's runstate to its registered area; @v is running here. */
void xen_runstate_publish(struct vcpu *v);

/*
 * SCHEDOP_poll of @v on @nr (<= 128) @ports (core/xen_evtchn.c, see
 * evtchn_poll_start()): 1 if one is pending (no poll), -XEN_EINVAL for a
 * port out of range, 0: polling until one becomes pending (then
 * arch_vcpu_wake()) or xen_poll_end().
 */
int xen_poll_start(struct vcpu *v, const u32 *ports, u32 nr);
bool xen_polling(struct vcpu *v);
void xen_poll_end(struct vcpu *v);

/*
 * VCPUOP_register_vcpu_info, once the pointer is checked: events of
 * vCPU @t go to @vi from now on (core/xen_evtchn.c). 0 or -XEN_EINVAL.
 */
int xen_evtchn_vcpu_info(struct vcpu *t, struct xen_vcpu_info *vi);

/*
 * Level of @v's event PPI: upcall_pending in its vcpu_info. The arch
 * raises the PPI again on the way into the guest while it is set.
 */
bool xen_upcall_pending(struct vcpu *v);

/*
 * Raise global VIRQ @virq (VIRQ_DOM_EXC when a domain ended, ...) in the
 * privileged domain, if it bound it (core/xen_evtchn.c).
 */
void xen_virq_global(u32 virq);
/*
 * Before entering a guest, where no lock is held: VIRQ_CON_RING if the
 * console ring got lines since the last time (Xen raises it from a
 * tasklet for the same reason: lines are printed under any lock).
 */
void xen_virq_resume(void);

/* Arch hooks, arch/arm64 (tests/hyp fakes them). */
u64 arch_now_ns(void);			/* Xen system time */
void arch_evtchn_kick(struct vcpu *v);	/* raise the event PPI on @v */
void arch_vcpu_wake(struct vcpu *v);	/* @v's poll ended: wake it */

#endif
