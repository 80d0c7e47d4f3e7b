// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen: event channels, 2-level ABI.
 *
 * Xen signals an event by setting the port's bit in shared_info's
 * evtchn_pending[], and, unless the port is masked in evtchn_mask[], the
 * bit of that word in the notified vCPU's vcpu_info evtchn_pending_sel and
 * its evtchn_upcall_pending flag; the 0 -> 1 transition of the flag raises
 * the upcall PPI on that vCPU.  Ports are 64 words of 64 bits: 4096.
 *
 * Every port bound to a Linux IRQ is an interrupt of the "pvxen-evtchn"
 * irq_domain (hwirq = port), handled by handle_edge_irq: the chip's ack
 * clears the pending bit before the handler runs, so an event sent while
 * the handler runs raises a new upcall and the last event is never lost.
 * Masking is the port's mask bit; unmasking clears it and, only if the
 * port became pending while masked, goes through EVTCHNOP_unmask, which
 * re-notifies the vCPU.  Affinity is EVTCHNOP_bind_vcpu.  Each CPU only handles the
 * ports bound to it (pending bits are global, the selector is per vCPU).
 *
 * Storms: a late-EOI port is masked by the ack and stays masked until its
 * driver calls pvxen_evtchn_irq_lateeoi_flags(); and one upcall handles at
 * most PVXEN_UPCALL_BUDGET events, leaving the rest to an irq_work on the
 * same CPU, so other interrupts get in between.
 *
 * Spurious events (the XSA-332/391 class): a peer can send events that
 * carry no work as fast as it likes.  The driver says so in its EOI
 * (PVXEN_EOI_SPURIOUS); from the second spurious EOI in a row on, the
 * port is unmasked only after a back-off, a delayed work that doubles from
 * one jiffy up to PVXEN_EOI_BACKOFF_MAX, and the events sent meanwhile
 * cost one upcall when it runs.  An EOI for real work ends the back-off.
 * /sys/kernel/debug/pvxen/lateeoi lists each late-EOI port's counts.
 */
#define pr_fmt(fmt) "pvxen: " fmt

#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/errno.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irq_work.h>
#include <linux/irqdomain.h>
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include <xen/interface/xen.h>
#include <xen/interface/event_channel.h>

#include <pvxen/arch.h>
#include <pvxen/events.h>
#include <pvxen/hypercall.h>

#include "core.h"
#include "events-internal.h"

#define PVXEN_WORD_BITS		(sizeof(xen_ulong_t) * BITS_PER_BYTE)
#define PVXEN_NR_WORDS		PVXEN_WORD_BITS
#define PVXEN_NR_PORTS		(PVXEN_NR_WORDS * PVXEN_WORD_BITS)

/* Events handled by one upcall before the rest is left to an irq_work. */
#define PVXEN_UPCALL_BUDGET	256

/* Longest delay before a port with spurious events is unmasked again. */
#define PVXEN_EOI_BACKOFF_MAX	HZ

/* struct pvxen_port.flags bits */
#define PVXEN_PORT_OPEN		0	/* opened through this API */
#define PVXEN_PORT_PERVCPU	1	/* per-vCPU VIRQ: cannot move */
#define PVXEN_PORT_LATEEOI	2	/* masked from ack until EOI */
#define PVXEN_PORT_EOI_WAIT	3	/* acked, waiting for the EOI */

/**
 * struct pvxen_eoi - late-EOI state of a bound port
 * @unmask: unmasks the port when a back-off ends
 * @port: the port
 * @irq: its IRQ
 * @streak: spurious EOIs in a row
 * @backoff: the last back-off, in jiffies (0: none since the last real event)
 * @eois: EOIs
 * @spurious: EOIs with PVXEN_EOI_SPURIOUS
 * @delayed: EOIs whose unmask was delayed
 *
 * Allocated when the port is bound with pvxen_evtchn_bind_irq_lateeoi();
 * everything but @unmask, @port and @irq under pvxen_evtchn_mask_lock.
 */
struct pvxen_eoi {
	struct delayed_work unmask;
	evtchn_port_t port;
	unsigned int irq;
	unsigned int streak;
	unsigned long backoff;
	u64 eois;
	u64 spurious;
	u64 delayed;
};

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

static struct pvxen_port pvxen_ports[PVXEN_NR_PORTS];
/* Serialises opening, closing, binding and unbinding ports. */
static DEFINE_MUTEX(pvxen_evtchn_mutex);
/* Serialises unmasking against the late-EOI state. */
static DEFINE_RAW_SPINLOCK(pvxen_evtchn_mask_lock);
static unsigned int pvxen_open_ports;
static unsigned int pvxen_bound_ports;
/* Totals over all late-EOI ports, unbound ones too (pvxen_evtchn_mask_lock). */
static u64 pvxen_eoi_spurious;
static u64 pvxen_eoi_delayed;

static struct pvxen_evtchn_cpu __percpu *pvxen_evtchn_pcpu;
static struct fwnode_handle *pvxen_evtchn_fwnode;
static struct irq_domain *pvxen_evtchn_domain;
static int pvxen_upcall_irq;
static int pvxen_evtchn_hp_state;
static struct dentry *pvxen_evtchn_debugfs;
static struct dentry *pvxen_eoi_debugfs;

static unsigned long *pvxen_pending_bits(void)
{
	return (unsigned long *)pvxen_core.shared_info->evtchn_pending;
}

static unsigned long *pvxen_mask_bits(void)
{
	return (unsigned long *)pvxen_core.shared_info->evtchn_mask;
}

static int pvxen_evtchn_op(int cmd, void *arg)
{
	long ret = pvxen_event_channel_op(cmd, arg);

	if (ret > 0 || ret < -MAX_ERRNO)
		return -EIO;
	return ret;
}

static bool pvxen_port_valid(evtchn_port_t port)
{
	/* Port 0 is never a valid event channel. */
	return port > 0 && port < PVXEN_NR_PORTS;
}

static void pvxen_port_hw_mask(evtchn_port_t port)
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
static void pvxen_port_hw_unmask(evtchn_port_t port)
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

static struct pvxen_port *pvxen_irqd_port(struct irq_data *d)
{
	return &pvxen_ports[irqd_to_hwirq(d)];
}

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

/* Upcall */

static void pvxen_evtchn_defer(struct pvxen_evtchn_cpu *pc, unsigned long sel)
{
	unsigned long *vsel = (unsigned long *)&pc->vi->evtchn_pending_sel;
	unsigned int w;

	for_each_set_bit(w, &sel, PVXEN_NR_WORDS)
		set_bit(w, vsel);
	/* Xen does not raise the PPI while the flag is set; the irq_work runs. */
	WRITE_ONCE(pc->vi->evtchn_upcall_pending, 1);
	pc->deferred++;
	irq_work_queue(&pc->rescan);
}

static void pvxen_evtchn_scan(struct pvxen_evtchn_cpu *pc)
{
	unsigned long *pending = pvxen_pending_bits();
	unsigned long *mask = pvxen_mask_bits();
	struct vcpu_info *vi = pc->vi;
	unsigned int budget = PVXEN_UPCALL_BUDGET;
	unsigned int handled = 0;

	pc->upcalls++;
	while (READ_ONCE(vi->evtchn_upcall_pending)) {
		unsigned long sel;

		/* Flag first, then selector: Xen sets them the other way round. */
		WRITE_ONCE(vi->evtchn_upcall_pending, 0);
		sel = xchg((unsigned long *)&vi->evtchn_pending_sel, 0);

		while (sel) {
			unsigned int w = __ffs(sel);
			unsigned long bits;

			bits = READ_ONCE(pending[w]) & ~READ_ONCE(mask[w]) &
			       pc->bound[w];
			while (bits) {
				evtchn_port_t port = w * PVXEN_WORD_BITS + __ffs(bits);
				unsigned int irq;

				if (!budget) {
					pvxen_evtchn_defer(pc, sel);
					return;
				}
				budget--;
				bits &= bits - 1;
				/* Not generic_handle_domain_irq(): 5.10 lacks it. */
				irq = irq_find_mapping(pvxen_evtchn_domain, port);
				if (!irq || generic_handle_irq(irq))
					pc->unhandled++;
				handled++;
			}
			sel &= sel - 1;
		}
	}
	if (!handled)
		pc->spurious++;
}

static irqreturn_t pvxen_upcall(int irq, void *dev_id)
{
	struct pvxen_evtchn_cpu *pc = dev_id;

	if (!pc->vi)
		return IRQ_NONE;
	pvxen_evtchn_scan(pc);
	return IRQ_HANDLED;
}

static void pvxen_evtchn_rescan(struct irq_work *work)
{
	struct pvxen_evtchn_cpu *pc =
		container_of(work, struct pvxen_evtchn_cpu, rescan);

	if (pc->vi)
		pvxen_evtchn_scan(pc);
}

/* CPU hotplug: runs on the CPU coming up or going down. */

static int pvxen_evtchn_cpu_online(unsigned int cpu)
{
	struct pvxen_evtchn_cpu *pc = per_cpu_ptr(pvxen_evtchn_pcpu, cpu);
	int ret;

	if (!pc->vi) {
		struct vcpu_info *vi;

		ret = pvxen_vcpu_info_setup(cpu, &vi);
		if (ret)
			return ret;
		pc->vi = vi;
	}
	enable_percpu_irq(pvxen_upcall_irq, IRQ_TYPE_NONE);
	/*
	 * The upcall flag may have been set while nobody listened (before
	 * this load, or while the CPU was down); Xen raises the PPI only
	 * when it sets the flag, so look once now.
	 */
	irq_work_queue(&pc->rescan);
	return 0;
}

static int pvxen_evtchn_cpu_offline(unsigned int cpu)
{
	struct pvxen_evtchn_cpu *pc = per_cpu_ptr(pvxen_evtchn_pcpu, cpu);

	disable_percpu_irq(pvxen_upcall_irq);
	irq_work_sync(&pc->rescan);
	return 0;
}

/* Port management */

static int pvxen_port_opened(evtchn_port_t port, unsigned int cpu,
			     bool pervcpu)
{
	struct pvxen_port *p;

	if (!pvxen_port_valid(port))
		return -EIO;
	p = &pvxen_ports[port];
	pvxen_port_hw_mask(port);
	mutex_lock(&pvxen_evtchn_mutex);
	p->cpu = cpu;
	p->flags = BIT(PVXEN_PORT_OPEN);
	if (pervcpu)
		p->flags |= BIT(PVXEN_PORT_PERVCPU);
	pvxen_open_ports++;
	mutex_unlock(&pvxen_evtchn_mutex);
	return 0;
}

int pvxen_evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port)
{
	struct evtchn_alloc_unbound op = {
		.dom = DOMID_SELF,
		.remote_dom = remote,
	};
	int ret;

	ret = pvxen_evtchn_op(EVTCHNOP_alloc_unbound, &op);
	if (ret)
		return ret;
	ret = pvxen_port_opened(op.port, 0, false);
	if (ret)
		return ret;
	*port = op.port;
	return 0;
}
EXPORT_SYMBOL_GPL(pvxen_evtchn_alloc_unbound);

int pvxen_evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port,
				  evtchn_port_t *local_port)
{
	struct evtchn_bind_interdomain op = {
		.remote_dom = remote,
		.remote_port = remote_port,
	};
	int ret;

	ret = pvxen_evtchn_op(EVTCHNOP_bind_interdomain, &op);
	if (ret)
		return ret;
	ret = pvxen_port_opened(op.local_port, 0, false);
	if (ret)
		return ret;
	*local_port = op.local_port;
	return 0;
}
EXPORT_SYMBOL_GPL(pvxen_evtchn_bind_interdomain);

static bool pvxen_virq_is_pervcpu(unsigned int virq)
{
	return virq == VIRQ_TIMER || virq == VIRQ_DEBUG ||
	       virq == VIRQ_XENOPROF || virq == VIRQ_XENPMU;
}

int pvxen_evtchn_bind_virq(unsigned int virq, unsigned int cpu,
			   evtchn_port_t *port)
{
	struct evtchn_bind_virq op = { .virq = virq, .vcpu = cpu };
	int ret;

	if (cpu >= nr_cpu_ids)
		return -EINVAL;
	ret = pvxen_evtchn_op(EVTCHNOP_bind_virq, &op);
	if (ret)
		return ret;
	ret = pvxen_port_opened(op.port, cpu, pvxen_virq_is_pervcpu(virq));
	if (ret)
		return ret;
	*port = op.port;
	return 0;
}
EXPORT_SYMBOL_GPL(pvxen_evtchn_bind_virq);

int pvxen_evtchn_close(evtchn_port_t port)
{
	struct evtchn_close op = { .port = port };
	struct pvxen_port *p;
	int ret;

	if (!pvxen_port_valid(port))
		return -EINVAL;
	p = &pvxen_ports[port];
	mutex_lock(&pvxen_evtchn_mutex);
	if (p->irq) {
		ret = -EBUSY;
		goto out;
	}
	ret = pvxen_evtchn_op(EVTCHNOP_close, &op);
	if (ret)
		goto out;
	pvxen_port_hw_mask(port);
	if (test_bit(PVXEN_PORT_OPEN, &p->flags))
		pvxen_open_ports--;
	p->flags = 0;
	p->cpu = 0;
out:
	mutex_unlock(&pvxen_evtchn_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_evtchn_close);

int pvxen_evtchn_send(evtchn_port_t port)
{
	struct evtchn_send op = { .port = port };

	return pvxen_evtchn_op(EVTCHNOP_send, &op);
}
EXPORT_SYMBOL_GPL(pvxen_evtchn_send);

/* IRQ binding */

/* End the wait for an EOI: unmask unless disabled.  Holds the mask lock. */
static void pvxen_eoi_unmask_locked(struct irq_data *d)
{
	struct pvxen_port *p = pvxen_irqd_port(d);

	if (test_and_clear_bit(PVXEN_PORT_EOI_WAIT, &p->flags) &&
	    !irqd_irq_masked(d))
		pvxen_port_hw_unmask(irqd_to_hwirq(d));
}

/* The back-off of a port with spurious events is over. */
static void pvxen_eoi_unmask_work(struct work_struct *work)
{
	struct pvxen_eoi *e = container_of(to_delayed_work(work),
					   struct pvxen_eoi, unmask);
	struct irq_data *d = irq_get_irq_data(e->irq);
	unsigned long flags;

	raw_spin_lock_irqsave(&pvxen_evtchn_mask_lock, flags);
	/* Unbinding clears PVXEN_PORT_EOI_WAIT before it cancels this. */
	if (d)
		pvxen_eoi_unmask_locked(d);
	raw_spin_unlock_irqrestore(&pvxen_evtchn_mask_lock, flags);
}

/*
 * Free the late-EOI state of @p, whose IRQ is freed or was never
 * requested; after this no back-off unmasks the port.
 */
static void pvxen_port_eoi_free(struct pvxen_port *p)
{
	struct pvxen_eoi *e;

	raw_spin_lock_irq(&pvxen_evtchn_mask_lock);
	e = p->eoi;
	p->eoi = NULL;
	clear_bit(PVXEN_PORT_LATEEOI, &p->flags);
	clear_bit(PVXEN_PORT_EOI_WAIT, &p->flags);
	raw_spin_unlock_irq(&pvxen_evtchn_mask_lock);
	if (e)
		cancel_delayed_work_sync(&e->unmask);
	kfree(e);
}

static int pvxen_evtchn_bind(evtchn_port_t port, irq_handler_t handler,
			     unsigned long irqflags, const char *name,
			     void *dev_id, bool lateeoi)
{
	struct pvxen_eoi *e = NULL;
	struct pvxen_port *p;
	unsigned int irq;
	int ret;

	if (!pvxen_port_valid(port))
		return -EINVAL;
	p = &pvxen_ports[port];
	if (lateeoi) {
		e = kzalloc(sizeof(*e), GFP_KERNEL);
		if (!e)
			return -ENOMEM;
		INIT_DELAYED_WORK(&e->unmask, pvxen_eoi_unmask_work);
		e->port = port;
	}

	mutex_lock(&pvxen_evtchn_mutex);
	if (p->irq) {
		ret = -EBUSY;
		goto out;
	}
	pvxen_port_hw_mask(port);
	if (!test_bit(PVXEN_PORT_OPEN, &p->flags)) {
		/* Opened by someone else (the toolstack): make it notify CPU 0. */
		struct evtchn_bind_vcpu op = { .port = port, .vcpu = 0 };

		pvxen_evtchn_op(EVTCHNOP_bind_vcpu, &op);
		p->cpu = 0;
	}
	clear_bit(PVXEN_PORT_EOI_WAIT, &p->flags);
	if (lateeoi)
		set_bit(PVXEN_PORT_LATEEOI, &p->flags);
	else
		clear_bit(PVXEN_PORT_LATEEOI, &p->flags);

	irq = irq_create_mapping(pvxen_evtchn_domain, port);
	if (!irq) {
		ret = -ENOMEM;
		goto out;
	}
	irq_data_update_effective_affinity(irq_get_irq_data(irq),
					   cpumask_of(p->cpu));
	if (test_bit(PVXEN_PORT_PERVCPU, &p->flags)) {
		/* Stays on its CPU: CPU-offline migration leaves it alone. */
		irqflags |= IRQF_PERCPU | IRQF_NOBALANCING;
		irq_set_affinity(irq, cpumask_of(p->cpu));
	}
	set_bit(port, per_cpu_ptr(pvxen_evtchn_pcpu, p->cpu)->bound);
	p->irq = irq;
	if (e) {
		e->irq = irq;
		raw_spin_lock_irq(&pvxen_evtchn_mask_lock);
		p->eoi = e;
		raw_spin_unlock_irq(&pvxen_evtchn_mask_lock);
	}

	/* Unmasks the port: an event already pending is delivered. */
	ret = request_irq(irq, handler, irqflags, name, dev_id);
	if (ret) {
		pvxen_port_hw_mask(port);
		clear_bit(port, per_cpu_ptr(pvxen_evtchn_pcpu, p->cpu)->bound);
		pvxen_port_eoi_free(p);
		e = NULL;
		p->irq = 0;
		irq_dispose_mapping(irq);
		goto out;
	}
	pvxen_bound_ports++;
	ret = irq;
	e = NULL;
out:
	mutex_unlock(&pvxen_evtchn_mutex);
	kfree(e);
	return ret;
}

int pvxen_evtchn_bind_irq(evtchn_port_t port, irq_handler_t handler,
			  unsigned long irqflags, const char *name,
			  void *dev_id)
{
	return pvxen_evtchn_bind(port, handler, irqflags, name, dev_id, false);
}
EXPORT_SYMBOL_GPL(pvxen_evtchn_bind_irq);

int pvxen_evtchn_bind_irq_lateeoi(evtchn_port_t port, irq_handler_t handler,
				  unsigned long irqflags, const char *name,
				  void *dev_id)
{
	return pvxen_evtchn_bind(port, handler, irqflags, name, dev_id, true);
}
EXPORT_SYMBOL_GPL(pvxen_evtchn_bind_irq_lateeoi);

static struct irq_data *pvxen_evtchn_irqd(int irq)
{
	struct irq_data *d = irq_get_irq_data(irq);

	if (!d || irq_data_get_irq_chip(d) != &pvxen_evtchn_chip)
		return NULL;
	return d;
}

int pvxen_evtchn_irq_to_port(int irq)
{
	struct irq_data *d = pvxen_evtchn_irqd(irq);

	return d ? (int)irqd_to_hwirq(d) : -EINVAL;
}
EXPORT_SYMBOL_GPL(pvxen_evtchn_irq_to_port);

/* Back-off after @streak spurious EOIs in a row: 0 (none), then 1, 2, 4... */
static unsigned long pvxen_eoi_backoff(unsigned int streak)
{
	if (streak < 2)
		return 0;
	if (streak - 2 >= ilog2(PVXEN_EOI_BACKOFF_MAX))
		return PVXEN_EOI_BACKOFF_MAX;
	return 1UL << (streak - 2);
}

void pvxen_evtchn_irq_lateeoi_flags(int irq, unsigned int eoi_flags)
{
	struct irq_data *d = pvxen_evtchn_irqd(irq);
	struct pvxen_port *p;
	struct pvxen_eoi *e;
	unsigned long flags;

	if (WARN_ON_ONCE(!d))
		return;
	p = pvxen_irqd_port(d);
	raw_spin_lock_irqsave(&pvxen_evtchn_mask_lock, flags);
	e = p->eoi;
	/* No event waits for its EOI, or its unmask is already scheduled. */
	if (!e || !test_bit(PVXEN_PORT_EOI_WAIT, &p->flags) ||
	    delayed_work_pending(&e->unmask))
		goto unlock;
	e->eois++;
	if (eoi_flags & PVXEN_EOI_SPURIOUS) {
		e->spurious++;
		pvxen_eoi_spurious++;
		if (e->streak < UINT_MAX)
			e->streak++;
		e->backoff = pvxen_eoi_backoff(e->streak);
		if (e->backoff) {
			/* Stays masked (PVXEN_PORT_EOI_WAIT) until the work. */
			e->delayed++;
			pvxen_eoi_delayed++;
			queue_delayed_work(system_wq, &e->unmask, e->backoff);
			goto unlock;
		}
	} else {
		e->streak = 0;
		e->backoff = 0;
	}
	pvxen_eoi_unmask_locked(d);
unlock:
	raw_spin_unlock_irqrestore(&pvxen_evtchn_mask_lock, flags);
}
EXPORT_SYMBOL_GPL(pvxen_evtchn_irq_lateeoi_flags);

void pvxen_evtchn_unbind_irq(int irq, void *dev_id)
{
	struct irq_data *d = pvxen_evtchn_irqd(irq);
	evtchn_port_t port;
	struct pvxen_port *p;

	if (WARN_ON(!d))
		return;
	port = irqd_to_hwirq(d);
	p = &pvxen_ports[port];

	mutex_lock(&pvxen_evtchn_mutex);
	free_irq(irq, dev_id);
	pvxen_port_eoi_free(p);
	pvxen_port_hw_mask(port);
	clear_bit(port, per_cpu_ptr(pvxen_evtchn_pcpu, p->cpu)->bound);
	p->irq = 0;
	irq_dispose_mapping(irq);
	pvxen_bound_ports--;
	mutex_unlock(&pvxen_evtchn_mutex);
}
EXPORT_SYMBOL_GPL(pvxen_evtchn_unbind_irq);

/* debugfs: /sys/kernel/debug/pvxen/events */

static int pvxen_evtchn_stats_show(struct seq_file *m, void *unused)
{
	u64 upcalls = 0, spurious = 0, deferred = 0, unhandled = 0;
	u64 eoi_spurious, eoi_delayed;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct pvxen_evtchn_cpu *pc = per_cpu_ptr(pvxen_evtchn_pcpu, cpu);

		upcalls += READ_ONCE(pc->upcalls);
		spurious += READ_ONCE(pc->spurious);
		deferred += READ_ONCE(pc->deferred);
		unhandled += READ_ONCE(pc->unhandled);
	}
	mutex_lock(&pvxen_evtchn_mutex);
	seq_printf(m, "abi 2-level\nbound_ports %u\nopen_ports %u\n",
		   pvxen_bound_ports, pvxen_open_ports);
	mutex_unlock(&pvxen_evtchn_mutex);
	seq_printf(m, "upcalls %llu\nspurious %llu\ndeferred %llu\nunhandled %llu\n",
		   upcalls, spurious, deferred, unhandled);
	seq_printf(m, "vcpu_info_registered %u\n", pvxen_vcpu_info_registered());
	raw_spin_lock_irq(&pvxen_evtchn_mask_lock);
	eoi_spurious = pvxen_eoi_spurious;
	eoi_delayed = pvxen_eoi_delayed;
	raw_spin_unlock_irq(&pvxen_evtchn_mask_lock);
	seq_printf(m, "lateeoi_spurious %llu\nlateeoi_delayed %llu\n",
		   eoi_spurious, eoi_delayed);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pvxen_evtchn_stats);

/* debugfs: /sys/kernel/debug/pvxen/lateeoi, one line per late-EOI port */

static int pvxen_eoi_stats_show(struct seq_file *m, void *unused)
{
	evtchn_port_t port;

	seq_puts(m, "port irq eois spurious delayed streak backoff_ms\n");
	mutex_lock(&pvxen_evtchn_mutex);
	for (port = 1; port < PVXEN_NR_PORTS; port++) {
		struct pvxen_eoi *e = pvxen_ports[port].eoi;
		u64 eois, spurious, delayed;
		unsigned int streak, ms;

		/* Freed only under pvxen_evtchn_mutex. */
		if (!e)
			continue;
		raw_spin_lock_irq(&pvxen_evtchn_mask_lock);
		eois = e->eois;
		spurious = e->spurious;
		delayed = e->delayed;
		streak = e->streak;
		ms = jiffies_to_msecs(e->backoff);
		raw_spin_unlock_irq(&pvxen_evtchn_mask_lock);
		seq_printf(m, "%u %u %llu %llu %llu %u %u\n", port, e->irq,
			   eois, spurious, delayed, streak, ms);
	}
	mutex_unlock(&pvxen_evtchn_mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pvxen_eoi_stats);

/* Init and exit */

static void pvxen_mask_all(void)
{
	unsigned long *mask = pvxen_mask_bits();
	unsigned int w;

	for (w = 0; w < PVXEN_NR_WORDS; w++)
		WRITE_ONCE(mask[w], ~0UL);
}

int pvxen_events_init(void)
{
	unsigned int cpu;
	int ret;

	BUILD_BUG_ON(sizeof(xen_ulong_t) != sizeof(unsigned long));

	/* Nothing is bound yet: no port may raise an upcall. */
	pvxen_mask_all();

	ret = pvxen_vcpu_store_init();
	if (ret)
		return ret;

	pvxen_evtchn_pcpu = alloc_percpu(struct pvxen_evtchn_cpu);
	if (!pvxen_evtchn_pcpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		init_irq_work(&per_cpu_ptr(pvxen_evtchn_pcpu, cpu)->rescan,
			      pvxen_evtchn_rescan);

	ret = -ENOMEM;
	pvxen_evtchn_fwnode = irq_domain_alloc_named_fwnode("pvxen-evtchn");
	if (!pvxen_evtchn_fwnode)
		goto err_pcpu;
	pvxen_evtchn_domain = irq_domain_create_linear(pvxen_evtchn_fwnode,
						       PVXEN_NR_PORTS,
						       &pvxen_evtchn_domain_ops,
						       NULL);
	if (!pvxen_evtchn_domain)
		goto err_fwnode;

	ret = pvxen_arch_upcall_irq_map();
	if (ret < 0)
		goto err_domain;
	pvxen_upcall_irq = ret;

	ret = request_percpu_irq(pvxen_upcall_irq, pvxen_upcall, "pvxen-upcall",
				 pvxen_evtchn_pcpu);
	if (ret) {
		pr_err("could not request the upcall interrupt (%d)\n", ret);
		goto err_domain;
	}

	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "pvxen/events:online",
				pvxen_evtchn_cpu_online,
				pvxen_evtchn_cpu_offline);
	if (ret < 0) {
		pr_err("could not set up event channels on every CPU (%d)\n",
		       ret);
		goto err_irq;
	}
	pvxen_evtchn_hp_state = ret;

	pvxen_evtchn_debugfs = debugfs_create_file("events", 0444,
						   pvxen_core.debugfs, NULL,
						   &pvxen_evtchn_stats_fops);
	pvxen_eoi_debugfs = debugfs_create_file("lateeoi", 0444,
						pvxen_core.debugfs, NULL,
						&pvxen_eoi_stats_fops);
	return 0;

err_irq:
	free_percpu_irq(pvxen_upcall_irq, pvxen_evtchn_pcpu);
err_domain:
	irq_domain_remove(pvxen_evtchn_domain);
err_fwnode:
	irq_domain_free_fwnode(pvxen_evtchn_fwnode);
err_pcpu:
	free_percpu(pvxen_evtchn_pcpu);
	return ret;
}

void pvxen_events_exit(void)
{
	evtchn_port_t port;

	debugfs_remove(pvxen_eoi_debugfs);
	debugfs_remove(pvxen_evtchn_debugfs);
	cpuhp_remove_state(pvxen_evtchn_hp_state);
	/* The PPI's mapping stays for the next load (arch/arm64/upcall.c). */
	free_percpu_irq(pvxen_upcall_irq, pvxen_evtchn_pcpu);

	/* Users unbind before they go; anything left is a bug, cleaned up. */
	for (port = 1; port < PVXEN_NR_PORTS; port++) {
		struct pvxen_port *p = &pvxen_ports[port];

		if (p->irq) {
			pr_warn("port %u still bound to IRQ %u at unload\n",
				port, p->irq);
			pvxen_port_eoi_free(p);
			irq_dispose_mapping(p->irq);
		}
		if (test_bit(PVXEN_PORT_OPEN, &p->flags))
			pr_warn("port %u still open at unload\n", port);
	}
	pvxen_mask_all();
	irq_domain_remove(pvxen_evtchn_domain);
	irq_domain_free_fwnode(pvxen_evtchn_fwnode);
	free_percpu(pvxen_evtchn_pcpu);
}
