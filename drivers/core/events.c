// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen: event channels, 2-level ABI: the interface.
 *
 * Opening ports (alloc_unbound, bind_interdomain, bind_virq), closing and
 * sending on them, binding them to Linux IRQs of the "pvxen-evtchn"
 * irq_domain and unbinding them; bringing event channels up and down;
 * /sys/kernel/debug/pvxen/events.  The port table and the irq_chip are in
 * events-chip.c, the upcall in events-upcall.c, late EOI and its back-off
 * in events-lateeoi.c (events-internal.h).
 */
#define pr_fmt(fmt) "pvxen: " fmt

#include <linux/bitops.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/errno.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irq_work.h>
#include <linux/irqdomain.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include <xen/interface/xen.h>
#include <xen/interface/event_channel.h>

#include <pvxen/compat-irq.h>
#include <pvxen/events.h>

#include "core.h"
#include "events-internal.h"

static unsigned int pvxen_open_ports;
static unsigned int pvxen_bound_ports;
static struct dentry *pvxen_evtchn_debugfs;

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
		e = pvxen_eoi_alloc(port);
		if (!e)
			return -ENOMEM;
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
	if (e)
		pvxen_eoi_attach(p, e, irq);

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

int pvxen_evtchn_irq_to_port(int irq)
{
	struct irq_data *d = pvxen_evtchn_irqd(irq);

	return d ? (int)irqd_to_hwirq(d) : -EINVAL;
}
EXPORT_SYMBOL_GPL(pvxen_evtchn_irq_to_port);

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
	pvxen_eoi_totals(&eoi_spurious, &eoi_delayed);
	seq_printf(m, "lateeoi_spurious %llu\nlateeoi_delayed %llu\n",
		   eoi_spurious, eoi_delayed);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pvxen_evtchn_stats);

/* Init and exit */

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

	ret = pvxen_evtchn_domain_create();
	if (ret)
		goto err_pcpu;

	ret = pvxen_evtchn_upcall_start();
	if (ret)
		goto err_domain;

	pvxen_evtchn_debugfs = debugfs_create_file("events", 0444,
						   pvxen_core.debugfs, NULL,
						   &pvxen_evtchn_stats_fops);
	pvxen_eoi_debugfs_init();
	return 0;

err_domain:
	pvxen_evtchn_domain_remove();
err_pcpu:
	free_percpu(pvxen_evtchn_pcpu);
	return ret;
}

void pvxen_events_exit(void)
{
	evtchn_port_t port;

	pvxen_eoi_debugfs_exit();
	debugfs_remove(pvxen_evtchn_debugfs);
	pvxen_evtchn_upcall_stop();

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
	pvxen_evtchn_domain_remove();
	free_percpu(pvxen_evtchn_pcpu);
}
