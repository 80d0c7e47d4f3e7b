// SPDX-License-Identifier: GPL-2.0-only
/*
 * DMA platform profiles: the built-in range tables, their check with the
 * shared translation core, and the bus node they become in a domain's
 * device tree (minixen/dmaprofile.h).
 */
#include <libfdt.h>
#include <minixen/dmaprofile.h>

#define DT_SPI			0
#define DT_IRQ_LEVEL_HIGH	4

static const char *const names[] = {
	[DMA_PROFILE_IDENTITY] = "identity",
	[DMA_PROFILE_RPI4] = "rpi4",
	[DMA_PROFILE_MULTI] = "multi",
	[DMA_PROFILE_CUSTOM] = "custom",
};

const char *dma_profile_name(u32 id)
{
	return id < ARRAY_SIZE(names) ? names[id] : "?";
}

int dma_profile_set(struct dma_profile *p, const char *name)
{
	u32 id;

	for (id = 0; id < ARRAY_SIZE(names); id++)
		if (!strcmp(name, names[id]))
			break;
	if (id == ARRAY_SIZE(names))
		return -1;
	memset(p, 0, sizeof(*p));
	p->id = id;
	switch (id) {
	case DMA_PROFILE_RPI4:
		/* bcm2711 /soc: 1 GiB of RAM at bus 0xc0000000, 32-bit bus */
		p->range[0] = (struct pvxen_dma_range){
			0x40000000UL, 0xc0000000UL, SZ_1G };
		p->nr = 1;
		p->dma_limit = 0xffffffffUL;
		break;
	case DMA_PROFILE_MULTI:
		p->range[0] = (struct pvxen_dma_range){
			0x40000000UL, 0xc0000000UL, SZ_1G / 2 };
		p->range[1] = (struct pvxen_dma_range){
			0x60000000UL, 0x100000000UL, SZ_1G / 2 };
		p->nr = 2;
		break;
	default:
		break;
	}
	return 0;
}

struct pvxen_dma_table dma_profile_table(const struct dma_profile *p)
{
	struct pvxen_dma_table t = {
		.ranges = p->range,
		.nr = p->nr,
		.dma_limit = p->dma_limit ? p->dma_limit : DMA_LIMIT_ALL,
	};

	return t;
}

const char *dma_profile_check(const struct dma_profile *p)
{
	struct pvxen_dma_table t = dma_profile_table(p);
	enum pvxen_dma_table_err err;
	u32 i;

	if (p->nr > DMA_PROFILE_MAX_RANGES)
		return pvxen_dma_table_err_str(PVXEN_DMA_TABLE_ETOOMANY);
	err = pvxen_dma_table_validate(&t);
	if (err != PVXEN_DMA_TABLE_OK)
		return pvxen_dma_table_err_str(err);
	for (i = 0; i < p->nr; i++)
		if ((p->range[i].cpu_start | p->range[i].bus_start |
		     p->range[i].size) & (SZ_4K - 1))
			return "range not 4 KiB aligned";
	return NULL;
}

int dma_profile_fdt(void *fdt, const struct dma_profile *p, u64 base,
		    u32 intid)
{
	fdt64_t ranges[3 * DMA_PROFILE_MAX_RANGES], reg[2];
	fdt32_t irq[3];
	char name[32];
	u32 i, n = 0;
	int r;

	for (i = 0; i < p->nr && i < DMA_PROFILE_MAX_RANGES; i++) {
		ranges[n++] = cpu_to_fdt64(p->range[i].bus_start);
		ranges[n++] = cpu_to_fdt64(p->range[i].cpu_start);
		ranges[n++] = cpu_to_fdt64(p->range[i].size);
	}
	reg[0] = cpu_to_fdt64(base);
	reg[1] = cpu_to_fdt64(SZ_4K);
	irq[0] = cpu_to_fdt32(DT_SPI);
	irq[1] = cpu_to_fdt32(intid - 32);
	irq[2] = cpu_to_fdt32(DT_IRQ_LEVEL_HIGH);

	snprintf(name, sizeof(name), "dma-bus@%lx", base);
	r = fdt_begin_node(fdt, name);
	if (!r)
		r = fdt_property_string(fdt, "compatible", "simple-bus");
	if (!r)
		r = fdt_property_u32(fdt, "#address-cells", 2);
	if (!r)
		r = fdt_property_u32(fdt, "#size-cells", 2);
	if (!r)
		r = fdt_property(fdt, "ranges", NULL, 0);
	/* Identity: an empty dma-ranges, bus address == CPU address */
	if (!r)
		r = fdt_property(fdt, "dma-ranges", ranges,
				 n * sizeof(ranges[0]));
	snprintf(name, sizeof(name), "dma@%lx", base);
	if (!r)
		r = fdt_begin_node(fdt, name);
	if (!r)
		r = fdt_property_string(fdt, "compatible", "pvxen,mxdma");
	if (!r)
		r = fdt_property(fdt, "reg", reg, sizeof(reg));
	if (!r)
		r = fdt_property(fdt, "interrupts", irq, sizeof(irq));
	if (!r)
		r = fdt_property(fdt, "dma-coherent", NULL, 0);
	if (!r)
		r = fdt_property_string(fdt, "minixen,dma-profile",
					dma_profile_name(p->id));
	if (!r)
		r = fdt_end_node(fdt);
	if (!r)
		r = fdt_end_node(fdt);
	return r;
}
