/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event channels, Xen's 2-level ABI (what Linux uses on arm64 when
 * EVTCHNOP_init_control fails). Pure code: builds on the host.
 *
 * Each domain has a table of EVTCHN_NR_PORTS ports, port 0 reserved. A
 * port is free, unbound (waiting for one remote domain to bind to it),
 * interdomain (linked to a port of another domain, or of the same one),
 * bound to a VIRQ or an IPI. Raising a port sets its bit in the domain's
 * shared_info evtchn_pending; unless it was pending already or is masked
 * in evtchn_mask, the bit of its word in the notified vCPU's vcpu_info
 * evtchn_pending_sel and evtchn_upcall_pending; the 0 -> 1 transition of
 * the latter calls the kick hook (the arch raises the event PPI).
 *
 * Memory: shared_info is the hypervisor's page (as on Xen, where the
 * guest maps Xen's page with XENMAPSPACE_shared_info); it is passed to
 * evtchn_domain_init() and is always there. vCPU 0 delivers into its slot
 * of shared_info until VCPUOP_register_vcpu_info; for other vCPUs only
 * the pending bits in shared_info are set until then (Xen points them at
 * a dummy vcpu_info), neither selector nor upcall nor kick:
 * evtchn_set_vcpu_info() marks every word pending and kicks. The guest
 * may scribble on both pages at any time; they only steer delivery, the
 * port table lives in hypervisor memory.
 *
 * The hypervisor's own services (xenstore, console, backends) own ports
 * in a pseudo-domain with id ops->hyp_domid: an interdomain channel
 * between a guest and that pseudo-domain calls the service's handler
 * instead of setting bits (Xen's "Xen-consumer" channels).
 *
 * Locking: one lock per domain (struct evtchn_domain.lock). Operations
 * that change both ends of a channel take both locks in ascending domid
 * order (the pseudo-domain sorts by its id like any other). Every state
 * change of an interdomain port holds both locks, so holding the local
 * lock alone keeps the remote end of a link stable: send only takes the
 * sender's lock. The kick hook and the service handlers run after every
 * evtchn lock is dropped, so they may take any lock and call back in.
 * Nothing else is taken under an evtchn lock.
 */
#ifndef MINIXEN_EVTCHN_H
#define MINIXEN_EVTCHN_H

#include <minixen/config.h>
#include <minixen/lib.h>
#include <xen/xen.h>
#include <xen/event_channel.h>
#include <xen/errno.h>
#include <xen/foreign/arm64.h>	/* arm64 layouts, on any host */

/* Ports per domain (xl's default max_event_channels is 1023). */
#define EVTCHN_NR_PORTS		1024
#define EVTCHN_WORD_BITS	64
#define EVTCHN_NR_VIRQS		NR_VIRQS

enum evtchn_state {
	ECS_FREE,
	ECS_RESERVED,		/* port 0 */
	ECS_UNBOUND,		/* remote_dom may bind to it */
	ECS_INTERDOMAIN,	/* linked to remote_dom:remote_port */
	ECS_VIRQ,		/* virq in remote_port */
	ECS_IPI,
};

struct evtchn_port {
	u8 state;		/* enum evtchn_state */
	u16 vcpu;		/* vCPU notified */
	u16 remote_dom;		/* unbound, interdomain */
	u32 remote_port;	/* interdomain; the VIRQ number for virq */
};

struct evtchn_domain;

/* A service's handler: the guest end of hyp port @port was sent on. */
typedef void (*evtchn_hyp_fn)(void *arg, evtchn_port_t port);

struct evtchn_handler {
	evtchn_hyp_fn fn;
	void *arg;
};

/* SCHEDOP_poll's bound on its ports (Xen's). */
#define EVTCHN_POLL_MAX		128

struct evtchn_vcpu {
	struct vcpu_info_arm64 *info;	/* where events are delivered */
	bool registered;		/* info set by register_vcpu_info */
	u16 virq[EVTCHN_NR_VIRQS];	/* per-vCPU VIRQs: port, or 0 */
	u32 polling;			/* in SCHEDOP_poll (atomic) */
	u64 poll[EVTCHN_NR_PORTS / EVTCHN_WORD_BITS];	/* its ports */
};

struct evtchn_domain {
	struct mx_lock lock;
	u16 domid;
	bool privileged;	/* may name other domains (control domain) */
	u32 nr_vcpus;
	u32 nr_used;		/* ports not free, port 0 included */
	struct shared_info_arm64 *shinfo;		/* NULL: the pseudo-domain */
	struct evtchn_handler *handler;		/* pseudo-domain only */
	u16 global_virq[EVTCHN_NR_VIRQS];	/* global VIRQs: port, or 0 */
	struct vcpu_info_arm64 dummy;	/* vCPUs with no vcpu_info: unused */
	struct evtchn_vcpu vcpu[MAX_VCPUS];
	struct evtchn_port port[EVTCHN_NR_PORTS];
};

struct evtchn_ops {
	/* Domain @domid, or NULL. A domain's evtchn_domain never moves. */
	struct evtchn_domain *(*domain)(u16 domid);
	/* Raise the event PPI of vCPU @vcpu of @d. No evtchn lock held. */
	void (*kick)(struct evtchn_domain *d, u32 vcpu);
	/*
	 * @d's guest kept a word of its shared_info or vcpu_info busy past
	 * guest_atomic.h's bound: the event was not delivered; the platform
	 * ends the domain. No evtchn lock held. May be NULL.
	 */
	void (*hostile)(struct evtchn_domain *d);
	/*
	 * A port vCPU @vcpu of @d polls (SCHEDOP_poll) became pending: the
	 * poll is over (evtchn_poll_active() is false), wake the vCPU. No
	 * evtchn lock held. May be NULL.
	 */
	void (*poll_wake)(struct evtchn_domain *d, u32 vcpu);
	/* Id of the hypervisor's pseudo-domain, e.g. DOMID_XEN. */
	u16 hyp_domid;
};

/* Once, before any domain: the hooks, and the pseudo-domain's table. */
void evtchn_init(const struct evtchn_ops *ops);
/* @shinfo: a zeroed page of the hypervisor's; nr_vcpus <= MAX_VCPUS. */
int evtchn_domain_init(struct evtchn_domain *d, u16 domid, u32 nr_vcpus,
		       struct shared_info_arm64 *shinfo, bool privileged);
/* Domain gone: close all its ports, the services' ones too. */
void evtchn_domain_destroy(struct evtchn_domain *d);

/*
 * The hypercall: @arg is the hypervisor's copy of the guest's argument,
 * evtchn_op_size(@cmd) bytes, OUT fields are written into it; the caller
 * copies it back when the result is 0 (as Xen does). Returns 0 or a
 * negative Xen errno (-XEN_ENOSYS for unknown and FIFO ops).
 */
size_t evtchn_op_size(u32 cmd);
long evtchn_op(struct evtchn_domain *d, u32 cmd, void *arg);

/* The ops one by one; @d is the calling domain. */
int evtchn_alloc_unbound(struct evtchn_domain *d,
			 struct evtchn_alloc_unbound *a);
int evtchn_bind_interdomain(struct evtchn_domain *d,
			    struct evtchn_bind_interdomain *b);
int evtchn_bind_virq(struct evtchn_domain *d, struct evtchn_bind_virq *b);
int evtchn_bind_ipi(struct evtchn_domain *d, struct evtchn_bind_ipi *b);
int evtchn_close(struct evtchn_domain *d, evtchn_port_t port);
int evtchn_send(struct evtchn_domain *d, evtchn_port_t port);
int evtchn_status(struct evtchn_domain *d, struct evtchn_status *s);
int evtchn_bind_vcpu(struct evtchn_domain *d, evtchn_port_t port, u32 vcpu);
int evtchn_unmask(struct evtchn_domain *d, evtchn_port_t port);
int evtchn_reset(struct evtchn_domain *d, domid_t dom);

/* VCPUOP_register_vcpu_info: deliver @vcpu's events into @info (mapped,
 * 8-byte aligned, not crossing a page: the caller checks). Copies the old
 * contents over, marks all words pending and kicks, as Xen does. Once per
 * vCPU: -XEN_EINVAL after that.
 */
int evtchn_set_vcpu_info(struct evtchn_domain *d, u32 vcpu,
			 struct vcpu_info_arm64 *info);
/* Level of the event PPI: the arch re-raises it after an EOI while set. */
bool evtchn_upcall_pending(struct evtchn_domain *d, u32 vcpu);

/*
 * SCHEDOP_poll. evtchn_poll_start: vCPU @vcpu of @d waits for one of the
 * @nr (<= EVTCHN_POLL_MAX) @ports, looked at in order as Xen does: a
 * port already pending returns 1 (no poll), one >= EVTCHN_NR_PORTS
 * -XEN_EINVAL (no poll); else 0, the vCPU polls until one of them
 * becomes pending (ops->poll_wake, bound or not, masked or not) or
 * evtchn_poll_end(). Events on other ports do not end it.
 * evtchn_poll_active: is it still polling?
 */
int evtchn_poll_start(struct evtchn_domain *d, u32 vcpu, const u32 *ports,
		      u32 nr);
bool evtchn_poll_active(struct evtchn_domain *d, u32 vcpu);
void evtchn_poll_end(struct evtchn_domain *d, u32 vcpu);

/*
 * Raise a VIRQ in @d: per-vCPU VIRQs (VIRQ_TIMER, VIRQ_DEBUG, ...) on
 * @vcpu, global ones (VIRQ_CONSOLE, VIRQ_DOM_EXC, ...) on the vCPU the
 * port is bound to (@vcpu ignored). -XEN_ENOENT if not bound (dropped).
 */
int evtchn_send_virq(struct evtchn_domain *d, u32 virq, u32 vcpu);

/*
 * Hypervisor services. The pseudo-domain's ports are theirs; a guest
 * sees its end as an interdomain channel to ops->hyp_domid. Handlers run
 * without evtchn locks and may be called once more after the channel is
 * closed or rebound (check evtchn_hyp_peer() if that matters).
 *
 * evtchn_hyp_connect: a new channel between a fresh port of @g (returned
 * in @gport, delivered to vCPU 0: HVM_PARAM_STORE_EVTCHN and the like)
 * and a new service port (the return value, > 0).
 * evtchn_hyp_bind: bind a new service port to @g's unbound port @gport
 * (its remote must be hyp_domid: a frontend's alloc_unbound for a
 * backend in the hypervisor). Returns the service port, or -XEN_EINVAL
 * (@gport out of range, not unbound, or unbound for another domain,
 * bound already), -XEN_ENOSPC. Sends to the port while it was unbound
 * were dropped, so the bind raises it: @fn runs once before
 * evtchn_hyp_bind() returns, with the new service port (a handler must
 * not count on its caller having stored that port yet).
 * evtchn_hyp_alloc_unbound: a service port @g may bind_interdomain to.
 * evtchn_hyp_notify: send on service port @hport (to the guest end).
 * evtchn_hyp_close: close it (the guest end goes back to unbound).
 * evtchn_hyp_peer: the guest end of @hport, 0 unless interdomain.
 */
int evtchn_hyp_connect(struct evtchn_domain *g, evtchn_hyp_fn fn, void *arg,
		       evtchn_port_t *gport);
int evtchn_hyp_bind(struct evtchn_domain *g, evtchn_port_t gport,
		    evtchn_hyp_fn fn, void *arg);
int evtchn_hyp_alloc_unbound(struct evtchn_domain *g, evtchn_hyp_fn fn,
			     void *arg);
int evtchn_hyp_notify(evtchn_port_t hport);
int evtchn_hyp_close(evtchn_port_t hport);
evtchn_port_t evtchn_hyp_peer(evtchn_port_t hport, u16 *domid);

#endif
