/* SPDX-License-Identifier: GPL-2.0-only */
/* Event channels: what core/evtchn*.c share among themselves. */
#ifndef MINIXEN_EVTCHN_PRIV_H
#define MINIXEN_EVTCHN_PRIV_H

#include <minixen/evtchn.h>

/* A build-time check: fails to compile unless @c holds. */
#define EVTCHN_MUST(c)	((void)sizeof(char[(c) ? 1 : -1]))

extern const struct evtchn_ops *evtchn_hooks;
extern struct evtchn_domain evtchn_hyp_dom;

/*
 * Work found under an evtchn lock and done after it is dropped: at most
 * one vCPU to kick and one service handler to call per operation.
 */
struct evtchn_defer {
	struct evtchn_domain *kick_d;
	u32 kick_vcpu;
	evtchn_hyp_fn fn;
	void *arg;
	evtchn_port_t hport;
	struct evtchn_domain *hostile;	/* kept its words busy: ops->hostile */
	struct evtchn_domain *poll_d;	/* ops->poll_wake for these vCPUs */
	u32 poll_vcpus;
};

static inline bool evtchn_port_ok(evtchn_port_t port)
{
	return port < EVTCHN_NR_PORTS;
}

/* evtchn.c */
bool evtchn_virq_is_global(u32 virq);
void evtchn_table_init(struct evtchn_domain *d, u16 domid, u32 nr_vcpus);
/* evtchn_hyp.c: the pseudo-domain's table. */
void evtchn_hyp_init(u16 domid);

/* Domain @domid, the pseudo-domain included; NULL if none. */
struct evtchn_domain *evtchn_dom_by_id(u16 domid);

/* Both locks, in domid order; @b may be @a. */
void evtchn_lock2(struct evtchn_domain *a, struct evtchn_domain *b);
void evtchn_unlock2(struct evtchn_domain *a, struct evtchn_domain *b);

/* A free port of @d (locked), or -XEN_ENOSPC. */
int evtchn_free_port(struct evtchn_domain *d);
/* Mark port @port of @d (locked) used / free. */
void evtchn_port_take(struct evtchn_domain *d, evtchn_port_t port,
		      enum evtchn_state state, u32 vcpu);
/* Link two ports as an interdomain channel (both domains locked). */
void evtchn_link(struct evtchn_domain *ld, evtchn_port_t lport,
		 struct evtchn_domain *rd, evtchn_port_t rport);
/*
 * Bind a new port of @ld to @rd's unbound port @rport (whose remote must
 * be @ld), the service handler @h on it if @ld is the pseudo-domain, and
 * raise it. Returns the new port or a negative errno.
 */
int evtchn_bind_link(struct evtchn_domain *ld, struct evtchn_domain *rd,
		     evtchn_port_t rport, const struct evtchn_handler *h);
/* Close @port of @d, taking the locks it needs. */
int evtchn_close_port(struct evtchn_domain *d, evtchn_port_t port);
void evtchn_close_all(struct evtchn_domain *d);

/* Raise @port of @d: the port's lock (or its peer's, see evtchn.h) held. */
void evtchn_raise(struct evtchn_domain *d, evtchn_port_t port,
		  struct evtchn_defer *df);
/* Run what evtchn_raise() deferred; no evtchn lock held. */
void evtchn_defer_run(struct evtchn_defer *df);

/* 2-level bits (core/evtchn_2l.c), @d's lock held. */
void evtchn_2l_clear_pending(struct evtchn_domain *d, evtchn_port_t port);
void evtchn_2l_unmask(struct evtchn_domain *d, evtchn_port_t port,
		      struct evtchn_defer *df);
void evtchn_2l_vcpu_init(struct evtchn_domain *d);
/* evtchn_poll.c: @port of @d became pending; wake its pollers. */
void evtchn_poll_check(struct evtchn_domain *d, evtchn_port_t port,
		       struct evtchn_defer *df);
/* Run the poll wake-ups evtchn_poll_check() found; no evtchn lock held. */
void evtchn_poll_wake(struct evtchn_defer *df);
void evtchn_2l_check_layout(void);

#endif
