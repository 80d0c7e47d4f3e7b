// SPDX-License-Identifier: GPL-2.0-only
/*
 * The /hypervisor node: "xen,xen-4.17", "xen,xen"; reg = grant-table
 * window, then extended regions; interrupts = the event-channel PPI,
 * level-sensitive active-low on all CPUs, as Xen writes it.
 */
#include <libfdt.h>
#include <minixen/xen_abi.h>
#include <minixen/xen_fdt.h>

#define GUEST_RAM0_BASE		0x40000000UL
#define GUEST_RAM0_SIZE		0xc0000000UL
#define GUEST_RAM1_BASE		0x0200000000UL
#define GUEST_IPA_END		BIT(39)
#define DT_IRQ_LEVEL_LOW	8
#define DT_PPI_ALL_CPUS		(0xfU << 8)

static void add_ext(struct xen_fdt_info *info, u64 start, u64 end)
{
	start = ALIGN_UP(start, SZ_2M);
	end = ALIGN_DOWN(end, SZ_2M);
	if (end <= start || end - start < XEN_EXT_MIN_SIZE ||
	    info->nr_ext == XEN_FDT_MAX_EXT)
		return;
	info->ext[info->nr_ext].start = start;
	info->ext[info->nr_ext++].size = end - start;
}

/* [start, end) without the domain's RAM [rs, re) */
static void add_bank(struct xen_fdt_info *info, u64 start, u64 end, u64 rs,
		     u64 re)
{
	if (re <= start || rs >= end) {
		add_ext(info, start, end);
		return;
	}
	if (rs > start)
		add_ext(info, start, rs);
	if (re < end)
		add_ext(info, re, end);
}

void xen_fdt_layout(u64 ram_ipa, u64 ram_size, struct xen_fdt_info *info)
{
	u64 re = ram_ipa + ram_size;

	memset(info, 0, sizeof(*info));
	info->gnttab.start = GUEST_GNTTAB_BASE;
	info->gnttab.size = GUEST_GNTTAB_SIZE;
	info->evtchn_ppi = GUEST_EVTCHN_PPI;
	add_bank(info, GUEST_RAM0_BASE, GUEST_RAM0_BASE + GUEST_RAM0_SIZE,
		 ram_ipa, re);
	add_bank(info, GUEST_RAM1_BASE, GUEST_IPA_END, ram_ipa, re);
}

int xen_fdt_hypervisor(void *fdt, const struct xen_fdt_info *info)
{
	static const char compat[] = MX_XEN_COMPAT "\0xen,xen";
	fdt64_t reg[2 * (1 + XEN_FDT_MAX_EXT)];
	fdt32_t irq[3];
	u32 i, n = 0;
	int r;

	reg[n++] = cpu_to_fdt64(info->gnttab.start);
	reg[n++] = cpu_to_fdt64(info->gnttab.size);
	for (i = 0; i < info->nr_ext && i < XEN_FDT_MAX_EXT; i++) {
		reg[n++] = cpu_to_fdt64(info->ext[i].start);
		reg[n++] = cpu_to_fdt64(info->ext[i].size);
	}
	irq[0] = cpu_to_fdt32(1);				/* PPI */
	irq[1] = cpu_to_fdt32(info->evtchn_ppi - 16);
	irq[2] = cpu_to_fdt32(DT_PPI_ALL_CPUS | DT_IRQ_LEVEL_LOW);

	r = fdt_begin_node(fdt, "hypervisor");
	if (!r)
		r = fdt_property(fdt, "compatible", compat, sizeof(compat));
	if (!r)
		r = fdt_property(fdt, "reg", reg, n * sizeof(reg[0]));
	if (!r)
		r = fdt_property(fdt, "interrupts", irq, sizeof(irq));
	if (!r)
		r = fdt_end_node(fdt);
	return r;
}
