/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A domain: its RAM and stage 2, its vCPUs, its emulated devices (vGIC,
 * UART) and its Xen ABI state. Built, ended and released by
 * core/domain.c.
 */
#ifndef MINIXEN_DOMAIN_H
#define MINIXEN_DOMAIN_H

#include <minixen/bootcfg.h>
#include <minixen/config.h>
#include <minixen/lib.h>
#include <minixen/s2.h>
#include <minixen/vgic.h>
#include <minixen/vpl011.h>
#include <minixen/xen_dom.h>

struct vcpu;
struct dmae;

struct domain {
	u32 id;
	char name[NAME_LEN];
	u32 vmid;
	struct s2 s2;
	u64 ram_ipa, ram_pa, ram_size;
	u32 nr_vcpus;
	struct vcpu *vcpu[MAX_VCPUS];
	struct mx_lock lock;	/* vgic, vpl011, PSCI state */
	struct vgic vgic;
	struct vpl011 uart;
	struct dmae *dmae;	/* its DMA engine (1:1 domains): vdma.h */
	bool dead;
	bool reboot;		/* shut down by SYSTEM_RESET */
	bool released;		/* dead, and let go of others: domain.c */
	u32 nr_warns;		/* guest faults in this window: dom_warn() */
	u64 warn_since;		/* counter value the window started at */
	struct xen_dom xen;	/* Xen ABI state: xen_dom.h */
};

/*
 * The stage-2 lock: held while @d's stage-2 tables change and while guest
 * memory is copied through them (guest_access.h), so that a page unmapped
 * from the domain is never written after it is gone. It is the grant
 * table's lock (grant.h: a domain's grant lock guards its stage 2), so
 * that grant maps, memory_op and guest copies serialise on one lock.
 */
static inline struct mx_lock *p2m_lock(struct domain *d)
{
	return &d->xen.gnt.lock;
}

/* core/domain.c */
void domains_build(void);
extern struct domain *domains[MAX_DOMAINS];
extern u32 nr_domains;
/* End @d for @reason (SHUTDOWN_poweroff, _reboot, _crash, _watchdog). */
void domain_shutdown(struct domain *d, u32 reason);
/*
 * Under sched_lock: is @d dead with none of its vCPUs running any more,
 * and not released yet? Then it is marked released, and the caller calls
 * domain_release() once sched_lock is dropped: its grant mappings of
 * other domains' pages go, its event channels close (the peers' ends
 * wait unbound again).
 */
bool domain_release_due(struct domain *d);
void domain_release(struct domain *d);

/* Guest faults logged: DOM_MAX_WARNS per DOM_WARN_SECS (core/domain.c). */
#define DOM_MAX_WARNS	16
#define DOM_WARN_SECS	10
bool dom_warn_ok(struct domain *d);
#define dom_warn(d, fmt, ...) do {					\
	if (dom_warn_ok(d))						\
		pr_warn(fmt, ##__VA_ARGS__);				\
} while (0)

#endif
