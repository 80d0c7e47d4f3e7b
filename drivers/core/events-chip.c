// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen: event channels, 2-level ABI: the port table and the irq_chip.
 *
 * Every port bound to a Linux IRQ is an interrupt of the "pvxen-evtchn"
 * irq_domain (hwirq = port), handled by handle_edge_irq: the chip's ack
 * clears the pending bit before the handler runs, so an event sent while
 * the handler runs raises a new upcall and the last event is never lost.
 * Masking is the port's mask bit; unmasking clears it and, only if the
 * port became pending while masked, goes through EVTCHNOP_unmask, which
 * re-notifies the vCPU.  Affinity is EVTCHNOP_bind_vcpu.
 *
 * A late-EOI port is masked by the ack and stays masked until its driver's
 * EOI (events-lateeoi.c); the unmask here leaves such a port alone.
 */
#include <linux/bitops.h>
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>

#include <xen/interface/xen.h>
#include <xen/interface/event_channel.h>

#include <pvxen/hypercall.h>

#include "core.h"
#include "events-internal.h"

struct pvxen_port pvxen_ports[PVXEN_NR_PORTS];
/* Serialises opening, closing, binding and unbinding ports. */
DEFINE_MUTEX(pvxen_evtchn_mutex);
/* Serialises unmasking against the late-EOI state. */
DEFINE_RAW_SPINLOCK(pvxen_evtchn_mask_lock);

struct pvxen_evtchn_cpu __percpu *pvxen_evtchn_pcpu;
struct irq_domain *pvxen_evtchn_domain;
static struct fwnode_handle *pvxen_evtchn_fwnode;

int pvxen_evtchn_op(int cmd, void *arg)
{
	long ret = pvxen_event_channel_op(cmd, arg);

	if (ret > 0 || ret < -MAX_ERRNO)
		return -EIO;
	return ret;
}

void pvxen_port_hw_mask(evtchn_port_t port)
{
	set_bit(port, pvxen_mask_bits());
}

/*
 * Unmask without a hypercall in the common case: clear the mask bit, then
 * look at the pending bit.  An event sent after the clear is delivered by
 * Xen as usual.  One sent while the port was masked raised no upcall:
 * then mask again and let EVTCHNOP_unmask, which re-notifies the port's
 * vCPU when the port is pending, do the unmasking.  (Clearing the bit
 * after a pending check instead would lose an event sent in between.)
 */
void pvxen_port_hw_unmask(evtchn_port_t port)
{
	struct evtchn_unmask op = { .port = port };

	clear_bit(port, pvxen_mask_bits());
	/* The pending bit is read only after the mask bit is clear. */
	smp_mb__after_atomic();
	if (!test_bit(port, pvxen_pending_bits()))
		return;
	set_bit(port, pvxen_mask_bits());
	if (pvxen_evtchn_op(EVTCHNOP_unmask, &op))
		clear_bit(port, pvxen_mask_bits());
}

/* Move @port to notify @cpu.  Called with the IRQ's descriptor locked. */
static int pvxen_port_bind_cpu(evtchn_port_t port, unsigned int cpu)
{
	struct pvxen_port *p = &pvxen_ports[port];
	struct evtchn_bind_vcpu op = { .port = port, .vcpu = cpu };
	unsigned int old = p->cpu;
	bool masked;
	int ret;

	if (old == cpu)
		return 0;
	if (test_bit(PVXEN_PORT_PERVCPU, &p->flags))
		return -EINVAL;

	/* Masked while moving, so neither CPU handles it half-moved. */
	masked = test_and_set_bit(port, pvxen_mask_bits());
	ret = pvxen_evtchn_op(EVTCHNOP_bind_vcpu, &op);
	if (!ret) {
		set_bit(port, per_cpu_ptr(pvxen_evtchn_pcpu, cpu)->bound);
		clear_bit(port, per_cpu_ptr(pvxen_evtchn_pcpu, old)->bound);
		WRITE_ONCE(p->cpu, cpu);
	}
	if (!masked)
		pvxen_port_hw_unmask(port);
	return ret;
}

/* irq_chip */

static void pvxen_evtchn_irq_ack(struct irq_data *d)
{
	struct pvxen_port *p = pvxen_irqd_port(d);
	evtchn_port_t port = irqd_to_hwirq(d);

	if (test_bit(PVXEN_PORT_LATEEOI, &p->flags)) {
		set_bit(PVXEN_PORT_EOI_WAIT, &p->flags);
		pvxen_port_hw_mask(port);
	}
	clear_bit(port, pvxen_pending_bits());
	/* The pending bit is clear before the handler looks at its data. */
	smp_mb__after_atomic();
}

static void pvxen_evtchn_irq_mask(struct irq_data *d)
{
	pvxen_port_hw_mask(irqd_to_hwirq(d));
}

static void pvxen_evtchn_irq_unmask(struct irq_data *d)
{
	struct pvxen_port *p = pvxen_irqd_port(d);
	unsigned long flags;

	raw_spin_lock_irqsave(&pvxen_evtchn_mask_lock, flags);
	if (!test_bit(PVXEN_PORT_EOI_WAIT, &p->flags))
		pvxen_port_hw_unmask(irqd_to_hwirq(d));
	raw_spin_unlock_irqrestore(&pvxen_evtchn_mask_lock, flags);
}

static int pvxen_evtchn_irq_set_affinity(struct irq_data *d,
					 const struct cpumask *dest, bool force)
{
	struct pvxen_port *p = pvxen_irqd_port(d);
	unsigned int cpu = READ_ONCE(p->cpu);
	int ret;

	if (!cpumask_test_cpu(cpu, dest) || !cpu_online(cpu)) {
		if (force)
			cpu = cpumask_first(dest);
		else
			cpu = cpumask_first_and(dest, cpu_online_mask);
	}
	if (cpu >= nr_cpu_ids)
		return -EINVAL;
	ret = pvxen_port_bind_cpu(irqd_to_hwirq(d), cpu);
	if (ret)
		return ret;
	irq_data_update_effective_affinity(d, cpumask_of(cpu));
	return IRQ_SET_MASK_OK_DONE;
}

static struct irq_chip pvxen_evtchn_chip = {
	.name			= "pvxen-evtchn",
	.irq_ack		= pvxen_evtchn_irq_ack,
	.irq_mask		= pvxen_evtchn_irq_mask,
	.irq_unmask		= pvxen_evtchn_irq_unmask,
	.irq_set_affinity	= pvxen_evtchn_irq_set_affinity,
	.flags			= IRQCHIP_SKIP_SET_WAKE,
};

static int pvxen_evtchn_domain_map(struct irq_domain *dom, unsigned int irq,
				   irq_hw_number_t hw)
{
	irq_set_chip_and_handler_name(irq, &pvxen_evtchn_chip, handle_edge_irq,
				      "edge");
	/* disable_irq() masks the port at once: the test of masking relies on it. */
	irq_set_status_flags(irq, IRQ_DISABLE_UNLAZY);
	return 0;
}

static const struct irq_domain_ops pvxen_evtchn_domain_ops = {
	.map	= pvxen_evtchn_domain_map,
	.xlate	= irq_domain_xlate_onecell,
};

struct irq_data *pvxen_evtchn_irqd(int irq)
{
	struct irq_data *d = irq_get_irq_data(irq);

	if (!d || irq_data_get_irq_chip(d) != &pvxen_evtchn_chip)
		return NULL;
	return d;
}

void pvxen_mask_all(void)
{
	unsigned long *mask = pvxen_mask_bits();
	unsigned int w;

	for (w = 0; w < PVXEN_NR_WORDS; w++)
		WRITE_ONCE(mask[w], ~0UL);
}

int pvxen_evtchn_domain_create(void)
{
	pvxen_evtchn_fwnode = irq_domain_alloc_named_fwnode("pvxen-evtchn");
	if (!pvxen_evtchn_fwnode)
		return -ENOMEM;
	pvxen_evtchn_domain = irq_domain_create_linear(pvxen_evtchn_fwnode,
						       PVXEN_NR_PORTS,
						       &pvxen_evtchn_domain_ops,
						       NULL);
	if (!pvxen_evtchn_domain) {
		irq_domain_free_fwnode(pvxen_evtchn_fwnode);
		return -ENOMEM;
	}
	return 0;
}

void pvxen_evtchn_domain_remove(void)
{
	irq_domain_remove(pvxen_evtchn_domain);
	irq_domain_free_fwnode(pvxen_evtchn_fwnode);
}
