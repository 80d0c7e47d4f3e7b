// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen: arm64 platform probe and domain time.
 *
 * Xen describes itself to an arm64 guest with a device-tree node
 *
 *	hypervisor {
 *		compatible = "xen,xen-4.17", "xen,xen";
 *		reg = <grant-table window>, <extended region>...;
 *		interrupts = <GIC_PPI 15 IRQ_TYPE_LEVEL_LOW>;	(INTID 31)
 *	};
 */
#define pr_fmt(fmt) "pvxen: " fmt

#include <linux/errno.h>
#include <linux/math64.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/of_irq.h>
#include <linux/string.h>

#include <asm/arch_timer.h>
#include <clocksource/arm_arch_timer.h>

#include <pvxen/arch.h>

/* GIC binding: <type number flags>; type 1 is a PPI, INTID = number + 16. */
#define PVXEN_GIC_CELLS		3
#define PVXEN_GIC_PPI		1
#define PVXEN_GIC_PPI_BASE	16
#define PVXEN_GIC_NR_PPI	16

static int pvxen_arm64_parse_ppi(struct device_node *np, unsigned int *intid)
{
	struct of_phandle_args oirq;
	int ret;

	ret = of_irq_parse_one(np, 0, &oirq);
	if (ret) {
		pr_err("/hypervisor has no event-channel interrupt (%d)\n",
		       ret);
		return -EINVAL;
	}
	of_node_put(oirq.np);

	if (oirq.args_count != PVXEN_GIC_CELLS ||
	    oirq.args[0] != PVXEN_GIC_PPI ||
	    oirq.args[1] >= PVXEN_GIC_NR_PPI) {
		pr_err("/hypervisor event-channel interrupt is not a GIC PPI\n");
		return -EINVAL;
	}
	*intid = oirq.args[1] + PVXEN_GIC_PPI_BASE;
	return 0;
}

int pvxen_arch_probe(struct pvxen_platform *plat)
{
	struct device_node *np;
	struct resource res;
	const char *compat;
	unsigned int i;
	int ret;

	memset(plat, 0, sizeof(*plat));

	np = of_find_node_by_path("/hypervisor");
	if (!np)
		return -ENODEV;
	if (!of_device_is_compatible(np, "xen,xen")) {
		ret = -ENODEV;
		goto out;
	}

	if (!of_property_read_string(np, "compatible", &compat))
		strscpy(plat->compatible, compat, sizeof(plat->compatible));

	ret = of_address_to_resource(np, 0, &plat->grant_window);
	if (ret) {
		pr_err("/hypervisor has no grant-table window (reg[0])\n");
		ret = -EINVAL;
		goto out;
	}

	for (i = 1; !of_address_to_resource(np, i, &res); i++) {
		if (plat->nr_ext_regions < PVXEN_MAX_EXT_REGIONS)
			plat->ext_regions[plat->nr_ext_regions] = res;
		plat->nr_ext_regions++;
	}

	ret = pvxen_arm64_parse_ppi(np, &plat->event_intid);
out:
	of_node_put(np);
	return ret;
}

/*
 * Xen on arm64 gives each domain a virtual counter that reads zero when the
 * domain was created (CNTVOFF_EL2 = physical count at creation) and sets
 * the domain's wallclock base to the wall time at that moment, so the
 * domain's system time is simply the virtual counter.
 */
u64 pvxen_arch_system_time_ns(void)
{
	u32 freq = arch_timer_get_cntfrq();

	if (!freq)
		return 0;
	return mul_u64_u32_div(arch_timer_read_counter(), NSEC_PER_SEC, freq);
}
