/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen event channels: the interface pvxen-core exports to its own parts
 * (xenstore, grant tables) and to the frontend modules.
 *
 * A bound port is an ordinary Linux IRQ from pvxen's irq_domain: drivers
 * get it with pvxen_evtchn_bind_irq() and see it in /proc/interrupts.
 * All functions return 0 or a negative errno unless stated otherwise.
 */
#ifndef _PVXEN_EVENTS_H
#define _PVXEN_EVENTS_H

#include <linux/interrupt.h>
#include <linux/types.h>

#include <xen/interface/event_channel.h>

/* Port management (hypercalls; no IRQ involved). */
int pvxen_evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port);
int pvxen_evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port,
				  evtchn_port_t *local_port);
int pvxen_evtchn_close(evtchn_port_t port);
int pvxen_evtchn_send(evtchn_port_t port);

/*
 * Bind an open port to a Linux IRQ and request it with @handler.
 * Returns the IRQ number (> 0) or a negative errno. The port stays open
 * after pvxen_evtchn_unbind_irq(); close it with pvxen_evtchn_close().
 */
int pvxen_evtchn_bind_irq(evtchn_port_t port, irq_handler_t handler,
			  unsigned long irqflags, const char *name,
			  void *dev_id);
void pvxen_evtchn_unbind_irq(int irq, void *dev_id);

/*
 * Open a port for virtual interrupt @virq (VIRQ_*) delivered to @cpu.
 * Per-vCPU VIRQs (timer, debug) can never move to another CPU; global
 * ones can.  Bind it with pvxen_evtchn_bind_irq(), close it with
 * pvxen_evtchn_close().
 */
int pvxen_evtchn_bind_virq(unsigned int virq, unsigned int cpu,
			   evtchn_port_t *port);

/*
 * Late EOI: like pvxen_evtchn_bind_irq(), but the port stays masked after
 * each event until the driver calls pvxen_evtchn_irq_lateeoi() (from its
 * handler, a thread or a work item, once it has processed the event).  A
 * peer sending events faster than the driver processes them then costs
 * one upcall per EOI, never a CPU.  An event sent while the port waits
 * for its EOI is delivered right after the EOI.
 */
int pvxen_evtchn_bind_irq_lateeoi(evtchn_port_t port, irq_handler_t handler,
				  unsigned long irqflags, const char *name,
				  void *dev_id);
void pvxen_evtchn_irq_lateeoi(int irq);

/* The port behind an IRQ from pvxen_evtchn_bind_irq*(), or -EINVAL. */
int pvxen_evtchn_irq_to_port(int irq);

/*
 * Masking and CPU affinity use the ordinary IRQ interfaces on the IRQ:
 * disable_irq()/enable_irq() mask and unmask the port (an event sent while
 * masked is delivered on unmask) and irq_set_affinity() (or
 * /proc/irq/N/smp_affinity) moves the port to another vCPU with
 * EVTCHNOP_bind_vcpu.  Linux CPU n is Xen vCPU n.
 */

#endif /* _PVXEN_EVENTS_H */
