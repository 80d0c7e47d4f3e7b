/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen-core: what the event-channel files share.
 *
 *   events.c          the API: opening, closing and sending on ports,
 *                     binding them to IRQs and unbinding them; init, exit
 *                     and debugfs pvxen/events
 *   events-lateeoi.c  late EOI and the back-off after spurious events;
 *                     debugfs pvxen/lateeoi
 *   events-upcall.c   the upcall: the scan of selector, pending and mask
 *                     bits for this CPU's ports, the budget, CPU hotplug
 *   events-chip.c     the port table, masking and unmasking, moving a port
 *                     to another vCPU, the pvxen-evtchn irq_chip and domain
 *   events-vcpu.c     where each vCPU's vcpu_info lives, across reloads
 *
 * Calls go down only: events.c -> events-lateeoi.c -> events-chip.c,
 * events.c -> events-upcall.c -> events-chip.c, and events.c and
 * events-upcall.c -> events-vcpu.c.
 */
#ifndef _PVXEN_EVENTS_INTERNAL_H
#define _PVXEN_EVENTS_INTERNAL_H

#include <linux/bitmap.h>
#include <linux/irq.h>
#include <linux/irq_work.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include <xen/interface/xen.h>
#include <xen/interface/event_channel.h>

#include "core.h"

struct irq_domain;
struct pvxen_eoi;

#define PVXEN_WORD_BITS		(sizeof(xen_ulong_t) * BITS_PER_BYTE)
#define PVXEN_NR_WORDS		PVXEN_WORD_BITS
#define PVXEN_NR_PORTS		(PVXEN_NR_WORDS * PVXEN_WORD_BITS)

/* struct pvxen_port.flags bits */
#define PVXEN_PORT_OPEN		0	/* opened through this API */
#define PVXEN_PORT_PERVCPU	1	/* per-vCPU VIRQ: cannot move */
#define PVXEN_PORT_LATEEOI	2	/* masked from ack until EOI */
#define PVXEN_PORT_EOI_WAIT	3	/* acked, waiting for the EOI */

/**
 * struct pvxen_port - what pvxen knows about one port
 * @irq: Linux IRQ while bound with pvxen_evtchn_bind_irq*(), else 0
 * @cpu: CPU (= Xen vCPU) the port notifies
 * @flags: PVXEN_PORT_* bits
 * @eoi: late-EOI state while bound with pvxen_evtchn_bind_irq_lateeoi()
 */
struct pvxen_port {
	unsigned int irq;
	unsigned int cpu;
	unsigned long flags;
	struct pvxen_eoi *eoi;
};

/**
 * struct pvxen_evtchn_cpu - per-CPU event state
 * @vi: this CPU's vcpu_info, set once the CPU was first online
 * @bound: ports that notify this CPU and have an IRQ
 * @rescan: handles events left over by a budget-limited upcall
 * @upcalls: upcalls (and rescans) run
 * @spurious: upcalls that found no event to handle
 * @deferred: upcalls that hit the budget and left work to @rescan
 * @unhandled: pending ports that had no IRQ when handled
 */
struct pvxen_evtchn_cpu {
	struct vcpu_info *vi;
	DECLARE_BITMAP(bound, PVXEN_NR_PORTS);
	struct irq_work rescan;
	u64 upcalls;
	u64 spurious;
	u64 deferred;
	u64 unhandled;
};

/* ---- events-chip.c ------------------------------------------------------ */

extern struct pvxen_port pvxen_ports[PVXEN_NR_PORTS];
extern struct mutex pvxen_evtchn_mutex;
extern raw_spinlock_t pvxen_evtchn_mask_lock;
extern struct pvxen_evtchn_cpu __percpu *pvxen_evtchn_pcpu;
extern struct irq_domain *pvxen_evtchn_domain;

static inline unsigned long *pvxen_pending_bits(void)
{
	return (unsigned long *)pvxen_core.shared_info->evtchn_pending;
}

static inline unsigned long *pvxen_mask_bits(void)
{
	return (unsigned long *)pvxen_core.shared_info->evtchn_mask;
}

static inline bool pvxen_port_valid(evtchn_port_t port)
{
	/* Port 0 is never a valid event channel. */
	return port > 0 && port < PVXEN_NR_PORTS;
}

static inline struct pvxen_port *pvxen_irqd_port(struct irq_data *d)
{
	return &pvxen_ports[irqd_to_hwirq(d)];
}

int pvxen_evtchn_op(int cmd, void *arg);
void pvxen_port_hw_mask(evtchn_port_t port);
void pvxen_port_hw_unmask(evtchn_port_t port);
void pvxen_mask_all(void);
struct irq_data *pvxen_evtchn_irqd(int irq);
int pvxen_evtchn_domain_create(void);
void pvxen_evtchn_domain_remove(void);

/* ---- events-upcall.c ---------------------------------------------------- */

void pvxen_evtchn_rescan(struct irq_work *work);
int pvxen_evtchn_upcall_start(void);
void pvxen_evtchn_upcall_stop(void);

/* ---- events-lateeoi.c --------------------------------------------------- */

struct pvxen_eoi *pvxen_eoi_alloc(evtchn_port_t port);
void pvxen_eoi_attach(struct pvxen_port *p, struct pvxen_eoi *e,
		      unsigned int irq);
void pvxen_port_eoi_free(struct pvxen_port *p);
void pvxen_eoi_totals(u64 *spurious, u64 *delayed);
void pvxen_eoi_debugfs_init(void);
void pvxen_eoi_debugfs_exit(void);

/* ---- events-vcpu.c ------------------------------------------------------ */

int pvxen_vcpu_store_init(void);
int pvxen_vcpu_info_setup(unsigned int cpu, struct vcpu_info **vi);
unsigned int pvxen_vcpu_info_registered(void);

#endif /* _PVXEN_EVENTS_INTERNAL_H */
