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

/**
 * pvxen_evtchn_alloc_unbound() - Open a port that @remote may bind to.
 * @remote: the domain allowed to bind it (DOMID_SELF for a loopback)
 * @port: where the new local port is stored
 *
 * Context: process; no IRQ is involved until pvxen_evtchn_bind_irq().
 * Return: 0 or a negative errno from Xen.
 */
int pvxen_evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port);

/**
 * pvxen_evtchn_bind_interdomain() - Connect to a port @remote opened for us.
 * @remote: the domain owning @remote_port
 * @remote_port: its unbound port
 * @local_port: where the new local end is stored
 *
 * Context: process.
 * Return: 0 or a negative errno from Xen.
 */
int pvxen_evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port,
				  evtchn_port_t *local_port);

/**
 * pvxen_evtchn_close() - Close a port.
 * @port: an open port with no IRQ bound to it
 *
 * Context: process.
 * Return: 0, -EBUSY while an IRQ is still bound, or a negative errno.
 */
int pvxen_evtchn_close(evtchn_port_t port);

/**
 * pvxen_evtchn_send() - Notify the other end of a port.
 * @port: an open local port
 *
 * Context: any.
 * Return: 0 or a negative errno from Xen.
 */
int pvxen_evtchn_send(evtchn_port_t port);

/**
 * pvxen_evtchn_bind_irq() - Bind an open port to a Linux IRQ and request it.
 * @port: an open local port
 * @handler: the IRQ handler
 * @irqflags: request_irq() flags
 * @name: name shown in /proc/interrupts
 * @dev_id: cookie passed to @handler and to pvxen_evtchn_unbind_irq()
 *
 * The port stays open after pvxen_evtchn_unbind_irq(); close it with
 * pvxen_evtchn_close().
 *
 * Context: process.
 * Return: the IRQ number (> 0) or a negative errno.
 */
int pvxen_evtchn_bind_irq(evtchn_port_t port, irq_handler_t handler,
			  unsigned long irqflags, const char *name,
			  void *dev_id);

/**
 * pvxen_evtchn_unbind_irq() - Free the IRQ of a bound port.
 * @irq: the IRQ from pvxen_evtchn_bind_irq*()
 * @dev_id: the cookie given when binding
 *
 * Context: process.
 */
void pvxen_evtchn_unbind_irq(int irq, void *dev_id);

/**
 * pvxen_evtchn_bind_virq() - Open a port for a virtual interrupt.
 * @virq: VIRQ_* number
 * @cpu: the CPU it is delivered to
 * @port: where the new port is stored
 *
 * Per-vCPU VIRQs (timer, debug) can never move to another CPU; global
 * ones can. Bind it with pvxen_evtchn_bind_irq(), close it with
 * pvxen_evtchn_close().
 *
 * Context: process.
 * Return: 0 or a negative errno.
 */
int pvxen_evtchn_bind_virq(unsigned int virq, unsigned int cpu,
			   evtchn_port_t *port);

/**
 * pvxen_evtchn_bind_irq_lateeoi() - Bind a port whose events need an EOI.
 * @port: an open local port
 * @handler: the IRQ handler
 * @irqflags: request_irq() flags
 * @name: name shown in /proc/interrupts
 * @dev_id: cookie passed to @handler and to pvxen_evtchn_unbind_irq()
 *
 * Like pvxen_evtchn_bind_irq(), but the port stays masked after each
 * event until the driver calls pvxen_evtchn_irq_lateeoi_flags() (from its
 * handler, a thread or a work item, once it has processed the event). A
 * peer sending events faster than the driver processes them then costs
 * one upcall per EOI, never a CPU; one sending events that carry no work
 * costs less and less (see pvxen_evtchn_irq_lateeoi_flags()). An event
 * sent while the port waits for its EOI is delivered right after the EOI.
 *
 * Context: process.
 * Return: the IRQ number (> 0) or a negative errno.
 */
int pvxen_evtchn_bind_irq_lateeoi(evtchn_port_t port, irq_handler_t handler,
				  unsigned long irqflags, const char *name,
				  void *dev_id);

/* The event carried no work: the peer may be storming (flag of an EOI). */
#define PVXEN_EOI_SPURIOUS	0x1u

/**
 * pvxen_evtchn_irq_lateeoi_flags() - Signal that a late-EOI event is processed.
 * @irq: the IRQ from pvxen_evtchn_bind_irq_lateeoi()
 * @eoi_flags: 0, or PVXEN_EOI_SPURIOUS if the handler found nothing to do
 *
 * Unmasks the port, at once unless the event was spurious: from the
 * second spurious event in a row on, the port is unmasked only after a
 * back-off that doubles with each further one, from one jiffy up to one
 * second; an EOI without PVXEN_EOI_SPURIOUS ends the back-off.  Events
 * sent meanwhile are delivered, once, when the back-off ends.  An EOI
 * while no event waits for one, or while a back-off runs, does nothing.
 * The counts are in /sys/kernel/debug/pvxen/lateeoi.
 *
 * Context: any; takes only raw spinlocks.
 */
void pvxen_evtchn_irq_lateeoi_flags(int irq, unsigned int eoi_flags);

/**
 * pvxen_evtchn_irq_lateeoi() - Signal that an event with work is processed.
 * @irq: the IRQ from pvxen_evtchn_bind_irq_lateeoi()
 *
 * pvxen_evtchn_irq_lateeoi_flags() with no flags.
 *
 * Context: any.
 */
static inline void pvxen_evtchn_irq_lateeoi(int irq)
{
	pvxen_evtchn_irq_lateeoi_flags(irq, 0);
}

/**
 * pvxen_evtchn_irq_to_port() - The port behind an IRQ.
 * @irq: an IRQ from pvxen_evtchn_bind_irq*()
 *
 * Return: the port, or -EINVAL if @irq is not one of ours.
 */
int pvxen_evtchn_irq_to_port(int irq);

/*
 * Masking and CPU affinity use the ordinary IRQ interfaces on the IRQ:
 * disable_irq()/enable_irq() mask and unmask the port (an event sent while
 * masked is delivered on unmask) and irq_set_affinity() (or
 * /proc/irq/N/smp_affinity) moves the port to another vCPU with
 * EVTCHNOP_bind_vcpu.  Linux CPU n is Xen vCPU n.
 */

#endif /* _PVXEN_EVENTS_H */
