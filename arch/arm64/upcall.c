// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen: the event-channel upcall interrupt on arm64.
 *
 * Xen raises a GIC PPI (the /hypervisor node's "interrupts" property,
 * INTID 31 for a domU) on a vCPU when an event is pending for it.  Linux
 * numbers that PPI through the GIC's irq_domain, so the node's interrupt is
 * mapped like any device interrupt and requested as a per-CPU IRQ by
 * drivers/core/events-upcall.c.
 *
 * The mapping is never disposed of, like those of the interrupts the kernel
 * maps from the device tree at boot: a later load finds and re-uses it.
 * Disposing of it would leak on every unload, because the GIC marks the PPI
 * per-CPU with irq_set_percpu_devid(), whose allocation the kernel (6.1)
 * does not free with the descriptor.
 */
#define pr_fmt(fmt) "pvxen: " fmt

#include <linux/errno.h>
#include <linux/of.h>
#include <linux/of_irq.h>

#include <pvxen/arch.h>

int pvxen_arch_upcall_irq_map(void)
{
	struct device_node *np;
	unsigned int irq;

	np = of_find_node_by_path("/hypervisor");
	if (!np)
		return -ENODEV;
	irq = irq_of_parse_and_map(np, 0);
	of_node_put(np);
	if (!irq) {
		pr_err("could not map the event-channel interrupt\n");
		return -EINVAL;
	}
	return irq;
}
