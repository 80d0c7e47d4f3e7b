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

static long poll(struct vcpu *v, struct hc_call *c)
{
	struct sched_poll p;
	u32 i, port;
	int r, pending = 0;

	if (copy_from_guest(v, &p, c->a[1], sizeof(p)))
		return -XEN_EFAULT;
	if (p.nr_ports > POLL_MAX_PORTS)
		return -XEN_EINVAL;
	for (i = 0; i < p.nr_ports; i++) {
		if (copy_from_guest(v, &port, p.ports + 4UL * i, 4))
			return -XEN_EFAULT;
		r = evtchn_poll_port(v->d, port);
		if (r < 0)
			return r;
		pending |= r;
	}
	if (pending || (p.timeout && p.timeout <= arch_now_ns()))
		return 0;
	c->next = HC_BLOCK;
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
