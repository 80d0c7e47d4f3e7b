// SPDX-License-Identifier: GPL-2.0-only
/*
 * minixen start-up: MMU, boot configuration, GIC, domains, secondary
 * CPUs, then every CPU enters the scheduler.
 */
#include <libfdt.h>
#include <minixen/arch_hooks.h>
#include <minixen/bootcfg.h>
#include <minixen/domain.h>
#include <minixen/hypercall.h>
#include <minixen/mm.h>
#include <minixen/run.h>
#include <arch/entry.h>
#include <arch/gic.h>
#include <arch/mmu.h>
#include <arch/pcpu.h>
#include <arch/psci.h>
#include <arch/setup.h>
#include <arch/sysregs.h>

struct bootcfg boot_cfg;

static void cpu_init_el2(struct pcpu *p)
{
	write_sysreg(tpidr_el2, p);
	write_sysreg(hcr_el2, HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO |
		     HCR_FB | HCR_BSU_IS | HCR_TWI | HCR_TSC | HCR_RW);
	write_sysreg(vtcr_el2, s2_vtcr());
	write_sysreg(cnthctl_el2, BIT(0));	/* EL1 counter yes, timer no */
	write_sysreg(cntvoff_el2, 0);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(cnthp_ctl_el2, 0);
	isb();
	gic_cpu_init(p);
}

/*
 * Xen's wallclock for every domain (shared_info wc_*): wall time at
 * system time 0, from the machine's PL031 RTC if its device tree has one
 * (QEMU virt does). Without it guests see 1970.
 */
static void wallclock_init(const void *dtb)
{
	int node = fdt_node_offset_by_compatible(dtb, -1, "arm,pl031"), len;
	const void *reg = node < 0 ? NULL : fdt_getprop(dtb, node, "reg", &len);
	u64 base, now;
	fdt64_t b;
	u32 sec;

	if (!reg || len < (int)sizeof(b))
		return;
	memcpy(&b, reg, sizeof(b));	/* #address-cells 2, as on virt */
	base = fdt64_to_cpu(b);
	if (base >= SZ_1G)		/* minixen maps MMIO in the first GiB */
		return;
	sec = mmio_read32(base);		/* RTCDR */
	now = arch_now_ns();
	if (sec * 1000000000UL > now)
		xen_wallclock_set(sec * 1000000000UL - now);
	pr_info("minixen: wall clock %u s from the RTC at 0x%lx", sec, base);
}

void hyp_fatal_exception(u64 kind, u64 esr, u64 elr, u64 far, u64 sp)
{
	panic("minixen: exception %lu at EL2: ESR 0x%lx ELR 0x%lx FAR 0x%lx SP 0x%lx",
	      kind, esr, elr, far, sp);
}

void secondary_main(u64 idx)
{
	struct pcpu *p = &pcpus[idx];

	mmu_enable();
	cpu_init_el2(p);
	pr_debug("CPU%lu up (MPIDR 0x%lx)", idx, p->mpidr);
	pcpu_run();
}

/* bootcfg.h */
void bad_config(const char *fmt, ...)
{
	static char why[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	pr_err("minixen: bad boot configuration: %s", why);
	arch_power_off(false);
}

void start_minixen(u64 dtb)
{
	static char err[192];
	u32 i;

	mmu_init();
	mmu_enable();
	write_sysreg(tpidr_el2, &pcpus[0]);
	if (bootcfg_parse((const void *)dtb, &boot_cfg, err, sizeof(err))) {
		if (boot_cfg.uart_base)
			console_init(boot_cfg.uart_base);
		bad_config("%s", err);
	}
	if (boot_cfg.uart_base)
		console_init(boot_cfg.uart_base);
	log_level = boot_cfg.log_level;
	pr_info("minixen: %u CPUs, cmdline \"%s\"", boot_cfg.nr_pcpus,
		boot_cfg.cmdline);
	if (boot_cfg.nr_reserved < MAX_RESERVED) {
		boot_cfg.reserved[boot_cfg.nr_reserved].start = dtb;
		boot_cfg.reserved[boot_cfg.nr_reserved++].size =
			fdt_totalsize((const void *)dtb);
	}

	nr_pcpus = boot_cfg.nr_pcpus;
	for (i = 0; i < nr_pcpus; i++) {
		pcpus[i].id = i;
		pcpus[i].mpidr = boot_cfg.mpidr[i];
	}
	if ((read_sysreg(mpidr_el1) & 0xff00ffffffUL) != pcpus[0].mpidr)
		panic("minixen must boot on the first CPU of /cpus");
	gic_init();
	cpu_init_el2(&pcpus[0]);
	mm_init((u64)_end);
	xen_abi_init();
	wallclock_init((const void *)dtb);
	domains_build();

	for (i = 1; i < nr_pcpus; i++) {
		int r = host_cpu_on(pcpus[i].mpidr, (u64)secondary_entry, i);

		if (r)
			pr_warn("CPU%u (MPIDR 0x%lx) did not start: PSCI %d",
				i, pcpus[i].mpidr, r);
	}
	pr_info("minixen: starting %u domain%s", nr_domains,
		nr_domains > 1 ? "s" : "");
	pcpu_run();
}
