// SPDX-License-Identifier: GPL-2.0-only
/*
 * sched_op: yield, block, poll, shutdown. A shutdown ends the domain:
 * there is no toolstack to restart or resume it, so SHUTDOWN_suspend
 * returns 1 at once ("suspend cancelled", the guest goes on).
 */
#include <minixen/domain.h>
#include <minixen/guest_access.h>
#include <minixen/hypercall.h>
#include <minixen/vcpu.h>

#define POLL_MAX_PORTS	128	/* Xen's bound */
#define PSTATE_I	BIT(7)	/* the vCPU's IRQs are masked */

/* End @d for @reason; returns the value for x0 (or @c->next = HC_OFF). */
static long shutdown(struct vcpu *v, struct hc_call *c, struct domain *d,
		     u32 reason)
{
	switch (reason) {
	case SHUTDOWN_suspend:
		return 1;
	case SHUTDOWN_poweroff:
	case SHUTDOWN_reboot:
	case SHUTDOWN_crash:
	case SHUTDOWN_watchdog:
		break;
	default:
		return -XEN_EINVAL;
	}
	domain_shutdown(d, reason);
	if (d == v->d)
		c->next = HC_OFF;
	return 0;
}

/*
 * Xen's order: the count, the ports (all must be readable), an interrupt
 * the vCPU would take at once (IRQs unmasked, upcall pending: 0 at once),
 * then the ports one by one (pending: 0; out of range: -EINVAL). Else
 * the vCPU blocks until one of its ports becomes pending or the timeout
 * (absolute system time, 0: none); other events and interrupts wait.
 */
static long poll(struct vcpu *v, struct hc_call *c)
{
	u32 ports[POLL_MAX_PORTS];
	struct sched_poll p;
	int r;

	if (copy_from_guest(v, &p, c->a[1], sizeof(p)))
		return -XEN_EFAULT;
	if (p.nr_ports > POLL_MAX_PORTS)
		return -XEN_EINVAL;
	if (p.nr_ports && copy_from_guest(v, ports, p.ports, 4UL * p.nr_ports))
		return -XEN_EFAULT;
	if (!(v->pstate & PSTATE_I) && xen_upcall_pending(v))
		return 0;
	r = xen_poll_start(v, ports, p.nr_ports);
	if (r)
		return r < 0 ? r : 0;
	if (p.timeout && p.timeout <= arch_now_ns()) {
		xen_poll_end(v);
		return 0;
	}
	c->next = HC_POLL;
	c->wake_ns = p.timeout;
	return 0;
}

long do_sched_op(struct vcpu *v, struct hc_call *c)
{
	struct sched_remote_shutdown rs;
	struct sched_shutdown s;
	struct domain *d;

	switch ((u32)c->a[0]) {
	case SCHEDOP_yield:
		c->next = HC_YIELD;
		return 0;
	case SCHEDOP_block:
		c->next = HC_BLOCK;
		return 0;
	case SCHEDOP_shutdown:
		if (copy_from_guest(v, &s, c->a[1], sizeof(s)))
			return -XEN_EFAULT;
		return shutdown(v, c, v->d, s.reason);
	case SCHEDOP_poll:
		return poll(v, c);
	case SCHEDOP_remote_shutdown:
		if (!v->d->xen.privileged)
			return -XEN_EPERM;
		if (copy_from_guest(v, &rs, c->a[1], sizeof(rs)))
			return -XEN_EFAULT;
		d = rs.domain_id == DOMID_SELF ? NULL :
		    domain_by_domid(v->d, rs.domain_id);
		if (!d)
			return -XEN_ESRCH;
		return shutdown(v, c, d, rs.reason);
	case SCHEDOP_shutdown_code:
		if (copy_from_guest(v, &s, c->a[1], sizeof(s)))
			return -XEN_EFAULT;
		WRITE_ONCE(v->d->xen.shutdown_code, s.reason);
		return 0;
	case SCHEDOP_pin_override:
		return -XEN_EPERM;
	default:
		return -XEN_ENOSYS;	/* watchdog too: not offered */
	}
}
