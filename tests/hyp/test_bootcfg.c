// SPDX-License-Identifier: GPL-2.0-only
/* Host unit tests: boot configuration parsing (hyp/core/bootcfg.c). */
#include <libfdt.h>
#include <minixen/bootcfg.h>
#include <minixen/xen_fdt.h>
#include "tap.h"

static char fdt[65536];
static struct bootcfg cfg;
static char err[256];

#define CHK(x) do { if ((x) < 0) { printf("# fdt error line %d\n", __LINE__); exit(2); } } while (0)

static void reg(const char *name, u64 a, u64 s)
{
	fdt64_t r[2] = { cpu_to_fdt64(a), cpu_to_fdt64(s) };

	CHK(fdt_property(fdt, name, r, sizeof(r)));
}

static void module(const char *name, const char *compat, size_t clen,
		   u64 a, u64 s, const char *args)
{
	CHK(fdt_begin_node(fdt, name));
	CHK(fdt_property(fdt, "compatible", compat, clen));
	reg("reg", a, s);
	if (args)
		CHK(fdt_property_string(fdt, "bootargs", args));
	CHK(fdt_end_node(fdt));
}

#define KERNEL_COMPAT "multiboot,module\0multiboot,kernel"
#define RAMDISK_COMPAT "multiboot,module\0multiboot,ramdisk"
#define MOD(n, c, a, s, args) module(n, c, sizeof(c), a, s, args)

enum { HW_OK, HW_NO_GIC, HW_NO_MEMORY };

/* Start a QEMU-virt-like tree, open /chosen. */
static void begin(int hw, const char *bootargs)
{
	int i;

	CHK(fdt_create(fdt, sizeof(fdt)));
	CHK(fdt_finish_reservemap(fdt));
	CHK(fdt_begin_node(fdt, ""));
	CHK(fdt_property_u32(fdt, "#address-cells", 2));
	CHK(fdt_property_u32(fdt, "#size-cells", 2));
	if (hw != HW_NO_MEMORY) {
		CHK(fdt_begin_node(fdt, "memory@40000000"));
		CHK(fdt_property_string(fdt, "device_type", "memory"));
		reg("reg", 0x40000000, 0x40000000);
		CHK(fdt_end_node(fdt));
	}
	CHK(fdt_begin_node(fdt, "cpus"));
	CHK(fdt_property_u32(fdt, "#address-cells", 1));
	CHK(fdt_property_u32(fdt, "#size-cells", 0));
	for (i = 0; i < 2; i++) {
		char n[16];

		snprintf(n, sizeof(n), "cpu@%d", i);
		CHK(fdt_begin_node(fdt, n));
		CHK(fdt_property_string(fdt, "device_type", "cpu"));
		CHK(fdt_property_u32(fdt, "reg", i));
		CHK(fdt_end_node(fdt));
	}
	CHK(fdt_end_node(fdt));
	if (hw != HW_NO_GIC) {
		fdt64_t r[4] = { cpu_to_fdt64(0x8000000), cpu_to_fdt64(0x10000),
				 cpu_to_fdt64(0x80a0000), cpu_to_fdt64(0xf60000) };

		CHK(fdt_begin_node(fdt, "intc@8000000"));
		CHK(fdt_property_string(fdt, "compatible", "arm,gic-v3"));
		CHK(fdt_property(fdt, "reg", r, sizeof(r)));
		CHK(fdt_end_node(fdt));
	}
	CHK(fdt_begin_node(fdt, "pl011@9000000"));
	CHK(fdt_property_string(fdt, "compatible", "arm,pl011"));
	reg("reg", 0x9000000, 0x1000);
	CHK(fdt_end_node(fdt));
	CHK(fdt_begin_node(fdt, "chosen"));
	CHK(fdt_property_string(fdt, "stdout-path", "/pl011@9000000"));
	if (bootargs)
		CHK(fdt_property_string(fdt, "bootargs", bootargs));
}

static int end(void)
{
	CHK(fdt_end_node(fdt));	/* chosen */
	CHK(fdt_end_node(fdt));	/* root */
	CHK(fdt_finish(fdt));
	err[0] = '\0';
	return bootcfg_parse(fdt, &cfg, err, sizeof(err));
}

/* "xen,enhanced" for the next domu(): value and length (-1: none) */
static const char *enh;
static int enh_len = -1;

/* "minixen,dma-profile" and "minixen,dma-ranges" for the next domu() */
static const char *dma_prof;
static fdt64_t dma_cells[3 * 10];
static int dma_len;

/* Add <bus cpu size> to the next domu()'s "minixen,dma-ranges". */
static void dma_range(u64 bus, u64 cpu, u64 size)
{
	dma_cells[dma_len / 8] = cpu_to_fdt64(bus);
	dma_cells[dma_len / 8 + 1] = cpu_to_fdt64(cpu);
	dma_cells[dma_len / 8 + 2] = cpu_to_fdt64(size);
	dma_len += 24;
}

/* A "minixen,vbd" node; devid -1, mode NULL, ss 0: property left out */
struct vbd_spec {
	const char *name;
	s64 devid;
	const char *mode;
	u64 addr, size;
	int ss;			/* -1: an empty "sector-size" */
	bool noreg;
};

static void vbd_node(const struct vbd_spec *v)
{
	CHK(fdt_begin_node(fdt, v->name));
	CHK(fdt_property_string(fdt, "compatible", "minixen,vbd"));
	if (v->devid >= 0)
		CHK(fdt_property_u32(fdt, "virtual-device", v->devid));
	if (v->mode)
		CHK(fdt_property_string(fdt, "mode", v->mode));
	if (!v->noreg)
		reg("reg", v->addr, v->size);
	if (v->ss > 0)
		CHK(fdt_property_u32(fdt, "sector-size", v->ss));
	else if (v->ss < 0)
		CHK(fdt_property(fdt, "sector-size", NULL, 0));
	CHK(fdt_end_node(fdt));
}

/* vbd nodes for the next domu() */
static struct vbd_spec next_vbd[8];
static int nr_next_vbd;

#define VBD(...) (next_vbd[nr_next_vbd++] = (struct vbd_spec){ __VA_ARGS__ })
/* Straight into the node open now (/chosen: dom0's) */
#define VBD_HERE(...) vbd_node(&(struct vbd_spec){ __VA_ARGS__ })

/* A "minixen,vif" node: @mac_len bytes of @mac; @handle -1: left out */
struct vif_spec {
	const char *name;
	u8 mac[8];
	int mac_len;
	s64 handle;
};

static void vif_node(const struct vif_spec *v)
{
	CHK(fdt_begin_node(fdt, v->name));
	CHK(fdt_property_string(fdt, "compatible", "minixen,vif"));
	if (v->mac_len >= 0)
		CHK(fdt_property(fdt, "mac", v->mac, v->mac_len));
	if (v->handle >= 0)
		CHK(fdt_property_u32(fdt, "handle", v->handle));
	CHK(fdt_end_node(fdt));
}

/* vif nodes for the next domu() */
static struct vif_spec next_vif[8];
static int nr_next_vif;

static void domu(const char *name, u32 cpus, u64 kib, u64 kaddr, u64 raddr)
{
	int i;

	fdt32_t mem[2] = { cpu_to_fdt32(kib >> 32), cpu_to_fdt32(kib) };

	CHK(fdt_begin_node(fdt, name));
	CHK(fdt_property_string(fdt, "compatible", "xen,domain"));
	CHK(fdt_property_u32(fdt, "#address-cells", 2));
	CHK(fdt_property_u32(fdt, "#size-cells", 2));
	CHK(fdt_property_u32(fdt, "cpus", cpus));
	CHK(fdt_property(fdt, "memory", mem, sizeof(mem)));
	CHK(fdt_property(fdt, "vpl011", NULL, 0));
	if (enh_len >= 0)
		CHK(fdt_property(fdt, "xen,enhanced", enh, enh_len));
	enh_len = -1;
	if (dma_prof)
		CHK(fdt_property_string(fdt, "minixen,dma-profile", dma_prof));
	if (dma_len)
		CHK(fdt_property(fdt, "minixen,dma-ranges", dma_cells,
				 dma_len));
	dma_prof = NULL;
	dma_len = 0;
	if (kaddr)
		MOD("module@k", KERNEL_COMPAT, kaddr, 0x600000, "console=ttyAMA0");
	if (raddr)
		MOD("module@r", RAMDISK_COMPAT, raddr, 0x100000, NULL);
	for (i = 0; i < nr_next_vbd; i++)
		vbd_node(&next_vbd[i]);
	nr_next_vbd = 0;
	for (i = 0; i < nr_next_vif; i++)
		vif_node(&next_vif[i]);
	nr_next_vif = 0;
	CHK(fdt_end_node(fdt));
}

static bool err_has(const char *s)
{
	return !!strstr(err, s);
}

#define ENH(s) do { enh = (s); enh_len = sizeof(s); } while (0)

static void test_enhanced(void)
{
	/* dom0 by default, domUs as their node says */
	begin(HW_OK, NULL);
	MOD("module@42000000", KERNEL_COMPAT, 0x42000000, 0x600000, NULL);
	domu("domU1", 1, 65536, 0x50000000, 0);
	ENH("enabled");
	domu("domU2", 1, 65536, 0x51000000, 0);
	ok(end() == 0 && cfg.dom[0].xen_aware && !cfg.dom[1].xen_aware &&
	   cfg.dom[2].xen_aware,
	   "Xen-aware: dom0 by default, domU2 by xen,enhanced = \"enabled\" (%s)", err);

	/* dom0less only: the first domain by default; empty and no-xenstore */
	begin(HW_OK, NULL);
	domu("domU1", 1, 65536, 0x50000000, 0);
	enh = NULL;
	enh_len = 0;
	domu("domU2", 1, 65536, 0x51000000, 0);
	ENH("no-xenstore");
	domu("domU3", 1, 65536, 0x52000000, 0);
	domu("domU4", 1, 65536, 0x53000000, 0);
	ok(end() == 0 && cfg.dom[0].xen_aware && cfg.dom[1].xen_aware &&
	   cfg.dom[2].xen_aware && !cfg.dom[3].xen_aware,
	   "Xen-aware: first domain, empty xen,enhanced, \"no-xenstore\"; not the others");
	ok(!cfg.dom[0].no_xenstore && !cfg.dom[1].no_xenstore && cfg.dom[2].no_xenstore,
	   "\"no-xenstore\": that domain only gets no xenstore");

	begin(HW_OK, NULL);
	ENH("disabled");
	domu("domU1", 1, 65536, 0x50000000, 0);
	ok(end() == 0 && !cfg.dom[0].xen_aware,
	   "xen,enhanced = \"disabled\": the first domain is not Xen-aware");

	begin(HW_OK, NULL);
	ENH("bogus");
	domu("domU1", 1, 65536, 0x50000000, 0);
	ok(end() < 0 && err_has("domU1: bad \"xen,enhanced\""),
	   "xen,enhanced = \"bogus\" rejected: \"%s\"", err);

	begin(HW_OK, NULL);
	enh = "enabledX";
	enh_len = 7;	/* "enabled" without its NUL */
	domu("domU1", 1, 65536, 0x50000000, 0);
	ok(end() < 0 && err_has("bad \"xen,enhanced\""),
	   "xen,enhanced without a terminating NUL rejected: \"%s\"", err);
}

static int hv_node(const struct xen_fdt_info *xi)
{
	CHK(fdt_create(fdt, sizeof(fdt)));
	CHK(fdt_finish_reservemap(fdt));
	CHK(fdt_begin_node(fdt, ""));
	CHK(fdt_property_u32(fdt, "#address-cells", 2));
	CHK(fdt_property_u32(fdt, "#size-cells", 2));
	CHK(xen_fdt_hypervisor(fdt, xi));
	CHK(fdt_end_node(fdt));
	CHK(fdt_finish(fdt));
	return fdt_path_offset(fdt, "/hypervisor");
}

static void test_hypervisor_node(void)
{
	static const char compat[] = "xen,xen-4.17\0xen,xen";
	struct xen_fdt_info xi;
	const fdt64_t *reg;
	const fdt32_t *irq;
	const char *c;
	int node, len;

	/* a domU: 64 MiB at 0x40000000 */
	xen_fdt_layout(0x40000000, 64UL << 20, &xi);
	ok(xi.gnttab.start == 0x38000000 && xi.gnttab.size == 0x1000000,
	   "grant-table window 0x38000000, 16 MiB (Xen's guest layout)");
	ok(xi.nr_ext == 2 && xi.ext[0].start == 0x44000000 &&
	   xi.ext[0].size == 0x100000000UL - 0x44000000 &&
	   xi.ext[1].start == 0x200000000UL &&
	   xi.ext[1].size == (1UL << 39) - 0x200000000UL,
	   "domU extended regions: rest of RAM bank 0, bank 1 to 512 GiB");
	/* a 1:1 domain in the middle of bank 0 */
	xen_fdt_layout(0x78000000, 128UL << 20, &xi);
	ok(xi.nr_ext == 3 && xi.ext[0].start == 0x40000000 &&
	   xi.ext[0].size == 0x38000000 && xi.ext[1].start == 0x80000000 &&
	   xi.ext[1].size == 0x80000000, "1:1 domain: bank 0 below and above its RAM");
	/* pieces under 64 MiB are no extended region */
	xen_fdt_layout(0x40000000, 0xbe000000, &xi);	/* 32 MiB left */
	ok(xi.nr_ext == 1 && xi.ext[0].start == 0x200000000UL,
	   "a 32 MiB rest of bank 0 is left out");

	xen_fdt_layout(0x40000000, 64UL << 20, &xi);
	node = hv_node(&xi);
	ok(node >= 0, "/hypervisor node built");
	c = fdt_getprop(fdt, node, "compatible", &len);
	ok(c && len == sizeof(compat) && !memcmp(c, compat, len),
	   "compatible = \"xen,xen-4.17\", \"xen,xen\" (what Linux parses)");
	reg = fdt_getprop(fdt, node, "reg", &len);
	ok(reg && len == 3 * 16 && fdt64_to_cpu(reg[0]) == 0x38000000 &&
	   fdt64_to_cpu(reg[1]) == 0x1000000 &&
	   fdt64_to_cpu(reg[2]) == 0x44000000 &&
	   fdt64_to_cpu(reg[4]) == 0x200000000UL,
	   "reg: grant window, then the extended regions");
	irq = fdt_getprop(fdt, node, "interrupts", &len);
	ok(irq && len == 12 && fdt32_to_cpu(irq[0]) == 1 &&
	   fdt32_to_cpu(irq[1]) == 15 && fdt32_to_cpu(irq[2]) == 0xf08,
	   "interrupts = <GIC_PPI 15 (INTID 31), all CPUs, level low>");
}

/* A dom0less 1:1 domain with DMA profile @prof (ranges queued) */
static int dma_boot(const char *prof)
{
	begin(HW_OK, NULL);
	dma_prof = prof;
	domu("domU1", 1, 65536, 0x50000000, 0);
	return end();
}

static bool one_line(const char *s)
{
	return err_has(s) && !strchr(err, '\n');
}

static void test_dma_config(void)
{
	const struct dma_profile *p = &cfg.dom[0].dma;
	u32 i;

	begin(HW_OK, NULL);
	domu("domU1", 1, 65536, 0x50000000, 0);
	ok(end() == 0 && p->id == DMA_PROFILE_IDENTITY && !p->nr &&
	   !cfg.dom[0].dma_set, "no DMA profile: identity");
	ok(dma_boot("rpi4") == 0 && p->id == DMA_PROFILE_RPI4 && p->nr == 1 &&
	   p->range[0].cpu_start == 0x40000000 &&
	   p->range[0].bus_start == 0xc0000000 && p->range[0].size == SZ_1G,
	   "minixen,dma-profile = \"rpi4\" (%s)", err);
	ok(dma_boot("multi") == 0 && p->id == DMA_PROFILE_MULTI && p->nr == 2,
	   "minixen,dma-profile = \"multi\"");
	ok(dma_boot("rpi3") && one_line("domU1: bad DMA profile \"rpi3\""),
	   "unknown profile: %s", err);
	/* bcm2711's /soc, on a machine whose RAM starts at 0 */
	dma_range(0xc0000000, 0, SZ_1G);
	ok(dma_boot("custom") == 0 && p->id == DMA_PROFILE_CUSTOM &&
	   p->nr == 1 && p->range[0].bus_start == 0xc0000000 &&
	   !p->range[0].cpu_start && p->range[0].size == SZ_1G,
	   "custom: bcm2711's /soc dma-ranges (%s)", err);
	dma_range(0xc0000000, 0x40000000, SZ_1G);
	dma_range(0x100000000UL, 0x60000000, SZ_1G);
	ok(dma_boot("custom") &&
	   one_line("domU1: bad DMA ranges: ranges overlap on the machine side"),
	   "overlapping: %s", err);
	dma_range(0xc0000000, 0x40000000, 0);
	ok(dma_boot("custom") && one_line("bad DMA ranges: zero-size range"),
	   "zero-size: %s", err);
	dma_range(0xfffffffffffff000UL, 0x40000000, 0x2000);
	ok(dma_boot("custom") &&
	   one_line("bad DMA ranges: range wraps on the DMA side"),
	   "wrapping: %s", err);
	for (i = 0; i < DMA_PROFILE_MAX_RANGES + 1; i++)
		dma_range(i * SZ_1G, i * SZ_1G, SZ_4K);
	ok(dma_boot("custom") && one_line("bad DMA ranges: 9 ranges, at most 8"),
	   "too many: %s", err);
	dma_range(0xc0000000, 0x40000000, SZ_1G);
	ok(dma_boot("rpi4") && one_line("without profile \"custom\""),
	   "ranges without \"custom\": %s", err);
	ok(dma_boot("custom") && one_line("\"custom\" without"),
	   "\"custom\" without ranges: %s", err);
	dma_range(0xc0000000, 0x40000000, SZ_1G);
	dma_len -= 8;
	ok(dma_boot("custom") && one_line("is not 64-bit <bus cpu size>"),
	   "ranges of a bad length: %s", err);

	begin(HW_OK, NULL);
	domu("domU1", 1, 65536, 0x50000000, 0);
	dma_prof = "rpi4";
	domu("domU2", 1, 65536, 0x51000000, 0);
	ok(end() && one_line("domU2: a DMA profile needs a 1:1 domain"),
	   "a profile on a domain that is not 1:1: %s", err);

	begin(HW_OK, "dom0_dma_profile=multi");
	MOD("module@42000000", KERNEL_COMPAT, 0x42000000, 0x600000, NULL);
	ok(end() == 0 && p->id == DMA_PROFILE_MULTI && cfg.dom[0].dma_set,
	   "dom0_dma_profile=multi for a guest-loader dom0 (%s)", err);
	begin(HW_OK, "dom0_dma_profile=fast");
	MOD("module@42000000", KERNEL_COMPAT, 0x42000000, 0x600000, NULL);
	ok(end() && one_line("dom0: bad DMA profile \"fast\""),
	   "dom0_dma_profile=fast: %s", err);
}

/* The bus node and engine a 1:1 domain's device tree gets */
static int dma_node(const char *prof)
{
	struct dma_profile p;

	dma_profile_set(&p, prof);
	CHK(fdt_create(fdt, sizeof(fdt)));
	CHK(fdt_finish_reservemap(fdt));
	CHK(fdt_begin_node(fdt, ""));
	CHK(fdt_property_u32(fdt, "#address-cells", 2));
	CHK(fdt_property_u32(fdt, "#size-cells", 2));
	CHK(dma_profile_fdt(fdt, &p, 0x22100000, 44));
	CHK(fdt_end_node(fdt));
	CHK(fdt_finish(fdt));
	return fdt_path_offset(fdt, "/dma-bus@22100000");
}

static void test_dma_node(void)
{
	const fdt64_t *r;
	const fdt32_t *c;
	int bus, dev, len;

	bus = dma_node("rpi4");
	ok(bus >= 0 && !fdt_node_check_compatible(fdt, bus, "simple-bus") &&
	   fdt_getprop(fdt, bus, "ranges", &len) && !len,
	   "rpi4: a simple-bus, ranges 1:1 for its registers");
	c = fdt_getprop(fdt, bus, "#address-cells", &len);
	ok(c && fdt32_to_cpu(*c) == 2 &&
	   (c = fdt_getprop(fdt, bus, "#size-cells", &len)) &&
	   fdt32_to_cpu(*c) == 2, "#address-cells and #size-cells 2");
	r = fdt_getprop(fdt, bus, "dma-ranges", &len);
	ok(r && len == 24 && fdt64_to_cpu(r[0]) == 0xc0000000 &&
	   fdt64_to_cpu(r[1]) == 0x40000000 && fdt64_to_cpu(r[2]) == SZ_1G,
	   "dma-ranges = <bus 0xc0000000, CPU 0x40000000, 1 GiB>");
	dev = fdt_subnode_offset(fdt, bus, "dma@22100000");
	ok(dev >= 0 && !fdt_node_check_compatible(fdt, dev, "pvxen,mxdma") &&
	   fdt_getprop(fdt, dev, "dma-coherent", NULL),
	   "the engine on it: pvxen,mxdma, dma-coherent");
	r = fdt_getprop(fdt, dev, "reg", &len);
	c = fdt_getprop(fdt, dev, "interrupts", NULL);
	ok(r && len == 16 && fdt64_to_cpu(r[0]) == 0x22100000 &&
	   fdt64_to_cpu(r[1]) == 0x1000 && c && !fdt32_to_cpu(c[0]) &&
	   fdt32_to_cpu(c[1]) == 12 && fdt32_to_cpu(c[2]) == 4,
	   "reg 0x22100000 + 4 KiB; interrupts <GIC_SPI 12 (INTID 44) level high>");
	bus = dma_node("multi");
	r = fdt_getprop(fdt, bus, "dma-ranges", &len);
	ok(r && len == 48 && fdt64_to_cpu(r[3]) == 0x100000000UL &&
	   fdt64_to_cpu(r[4]) == 0x60000000 && fdt64_to_cpu(r[5]) == SZ_1G / 2,
	   "multi: two dma-ranges entries");
	bus = dma_node("identity");
	ok(bus >= 0 && fdt_getprop(fdt, bus, "dma-ranges", &len) && !len,
	   "identity: an empty dma-ranges (bus == CPU address)");
}

#define XVDA	51712	/* 202 << 8 */
#define XVDB	51728
/* A vbd_spec's fields: DISK(name, devid, mode, addr, size, more...) */
#define DISK(n, dev, m, a, sz, ...) .name = (n), .devid = (dev), .mode = (m), \
	.addr = (a), .size = (sz), __VA_ARGS__
#define W(n, dev, a, sz, ...) DISK(n, dev, "w", a, sz, __VA_ARGS__)

static bool reserved_has(u64 start, u64 size)
{
	int i;

	for (i = 0; i < cfg.nr_reserved; i++)
		if (cfg.reserved[i].start == start && cfg.reserved[i].size == size)
			return true;
	return false;
}

/* domU1 (kernel at 0x50000000) with the one disk @v: its error has @why */
static bool vbd_refused(const struct vbd_spec *v, const char *why)
{
	begin(HW_OK, NULL);
	next_vbd[nr_next_vbd++] = *v;
	domu("domU1", 1, 65536, 0x50000000, 0);
	return end() < 0 && err_has(why);
}

#define REFUSED(why, ...) vbd_refused(&(struct vbd_spec){ __VA_ARGS__ }, why)

static void test_vbd(void)
{
	int i;

	begin(HW_OK, NULL);
	VBD(W("vbd@51712", XVDA, 0x60000000, 0x4000000));
	VBD(DISK("vbd@51728", XVDB, "r", 0x64000000, 0x100000, .ss = 4096));
	domu("domU1", 1, 65536, 0x50000000, 0);
	ok(end() == 0 && cfg.dom[0].nr_vbds == 2, "a domain with two vbd nodes (%s)", err);
	ok(cfg.dom[0].vbd[0].devid == XVDA && !cfg.dom[0].vbd[0].readonly &&
	   cfg.dom[0].vbd[0].image.start == 0x60000000 &&
	   cfg.dom[0].vbd[0].image.size == 0x4000000 && cfg.dom[0].vbd[0].sector_size == 512,
	   "vbd@51712: virtual-device, mode \"w\", image, sector size 512 by default");
	ok(cfg.dom[0].vbd[1].devid == XVDB && cfg.dom[0].vbd[1].readonly &&
	   cfg.dom[0].vbd[1].sector_size == 4096,
	   "vbd@51728: mode \"r\" is read-only, sector-size 4096");
	ok(cfg.nr_reserved == 3 && reserved_has(0x60000000, 0x4000000) &&
	   reserved_has(0x64000000, 0x100000),
	   "both images are reserved (kept from the domains' RAM), with the kernel");

	/* dom0's disks are /chosen's children; devids are per domain */
	begin(HW_OK, NULL);
	MOD("module@42000000", KERNEL_COMPAT, 0x42000000, 0x600000, NULL);
	VBD_HERE(W("vbd@51712", XVDA, 0x60000000, 0x200000));
	VBD(W("vbd@51712", XVDA, 0x61000000, 0x1000, .ss = 4096));
	ENH("enabled");
	domu("domU1", 1, 65536, 0x50000000, 0);
	ok(end() == 0 && cfg.dom[0].is_dom0 && cfg.dom[0].nr_vbds == 1 &&
	   cfg.dom[0].vbd[0].image.start == 0x60000000 && cfg.dom[1].nr_vbds == 1 &&
	   cfg.dom[1].vbd[0].devid == XVDA,
	   "dom0's vbd in /chosen; domU1 may use the same virtual-device (%s)", err);

	ok(REFUSED("domU1: vbd@51712: image at 0x60000200 is not 4 KiB aligned",
		   W("vbd@51712", XVDA, 0x60000200, 0x1000)),
	   "image not 4 KiB aligned: \"%s\"", err);
	ok(REFUSED("domU1: vbd@51712: empty image", W("vbd@51712", XVDA, 0x60000000, 0)),
	   "empty image: \"%s\"", err);
	ok(REFUSED("domU1: vbd@51712: image size 0x1300 is not a multiple of 512",
		   W("vbd@51712", XVDA, 0x60000000, 0x1300)),
	   "image not a multiple of 512 bytes: \"%s\"", err);
	ok(REFUSED("image size 0x1200 is not a multiple of 4096",
		   W("vbd@51712", XVDA, 0x60000000, 0x1200, .ss = 4096)),
	   "image not a multiple of its 4096-byte sectors: \"%s\"", err);
	ok(REFUSED("domU1: vbd@51712: bad \"sector-size\" (512 or 4096)",
		   W("vbd@51712", XVDA, 0x60000000, 0x1000, .ss = 1024)) &&
	   REFUSED("bad \"sector-size\"", W("vbd@51712", XVDA, 0x60000000, 0x1000, .ss = -1)),
	   "sector-size 1024, or empty: \"%s\"", err);
	ok(REFUSED("domU1: vbd@51712: image at 0x90000000+0x1000 is outside RAM",
		   W("vbd@51712", XVDA, 0x90000000, 0x1000)) &&
	   REFUSED("is outside RAM", W("vbd@51712", XVDA, 0x7ffff000, 0x2000)),
	   "image outside RAM, or running past its end: \"%s\"", err);
	ok(REFUSED("is outside RAM", W("vbd@51712", XVDA, 0xfffffffffff00000UL, 0x200000)),
	   "image whose end wraps around: \"%s\"", err);
	ok(REFUSED("domU1: vbd@51712: missing or bad \"virtual-device\"",
		   W("vbd@51712", -1, 0x60000000, 0x1000)) &&
	   REFUSED("missing or bad \"virtual-device\"", W("vbd@51712", 0, 0x60000000, 0x1000)) &&
	   REFUSED("missing or bad \"virtual-device\"",
		   W("vbd@51712", 0x80000000LL, 0x60000000, 0x1000)),
	   "virtual-device missing, 0, or 2^31: \"%s\"", err);
	ok(REFUSED("domU1: vbd@51712: no usable reg", W("vbd@51712", XVDA, 0, 0, .noreg = true)),
	   "no reg: \"%s\"", err);
	ok(REFUSED("domU1: vbd@51712: missing or bad \"mode\" (\"r\" or \"w\")",
		   DISK("vbd@51712", XVDA, NULL, 0x60000000, 0x1000)) &&
	   REFUSED("bad \"mode\"", DISK("vbd@51712", XVDA, "rw", 0x60000000, 0x1000)) &&
	   REFUSED("bad \"mode\"", DISK("vbd@51712", XVDA, "", 0x60000000, 0x1000)),
	   "mode missing, \"rw\" or empty: \"%s\"", err);

	begin(HW_OK, NULL);
	VBD(W("vbd@a", XVDA, 0x60000000, 0x1000));
	VBD(W("vbd@b", XVDA, 0x60001000, 0x1000));
	domu("domU1", 1, 65536, 0x50000000, 0);
	ok(end() < 0 && err_has("domU1: vbd@b: virtual-device 51712 is used twice"),
	   "one virtual-device twice in a domain: \"%s\"", err);
	begin(HW_OK, NULL);
	for (i = 0; i <= MAX_VBDS; i++)
		VBD(W("vbd", XVDA + 16 * i, 0x60000000 + i * 0x1000, 0x1000));
	domu("domU1", 1, 65536, 0x50000000, 0);
	ok(end() < 0 && err_has("domU1: more than 4 vbd nodes"),
	   "%d vbd nodes: \"%s\"", MAX_VBDS + 1, err);
	begin(HW_OK, NULL);
	VBD(W("vbd@51712", XVDA, 0x50200000, 0x1000));
	domu("domU1", 1, 65536, 0x50000000, 0);
	ok(end() < 0 && err_has("boot modules at 0x50200000 and 0x50000000 overlap"),
	   "image over the domain's kernel: \"%s\"", err);
	begin(HW_OK, NULL);
	VBD(W("vbd@51712", XVDA, 0x60000000, 0x200000));
	domu("domU1", 1, 65536, 0x50000000, 0);
	VBD(W("vbd@51712", XVDA, 0x601ff000, 0x1000));
	ENH("enabled");
	domu("domU2", 1, 65536, 0x51000000, 0);
	ok(end() < 0 && err_has("boot modules at 0x601ff000 and 0x60000000 overlap"),
	   "image over another domain's image: \"%s\"", err);
	begin(HW_OK, NULL);
	VBD_HERE(W("vbd@51712", XVDA, 0x60000000, 0x1000));
	domu("domU1", 1, 65536, 0x50000000, 0);
	ok(end() < 0 && err_has("dom0: vbd nodes in /chosen without a kernel module"),
	   "a vbd in /chosen without dom0: \"%s\"", err);
	begin(HW_OK, NULL);
	domu("domU1", 1, 65536, 0x50000000, 0);
	VBD(W("vbd@51712", XVDA, 0x60000000, 0x1000));
	domu("domU2", 1, 65536, 0x51000000, 0);
	ok(end() < 0 && err_has("domU2: vbd nodes need a Xen-aware domain with xenstore"),
	   "a vbd in a domain that is not Xen-aware: \"%s\"", err);
	begin(HW_OK, NULL);
	VBD(W("vbd@51712", XVDA, 0x60000000, 0x1000));
	ENH("no-xenstore");
	domu("domU1", 1, 65536, 0x50000000, 0);
	ok(end() < 0 && err_has("domU1: vbd nodes need a Xen-aware domain with xenstore"),
	   "a vbd in a domain without xenstore: \"%s\"", err);
}

/* A vif_spec: its name, handle (-1: none), then the mac's bytes */
#define VIF(n, h, ...) (next_vif[nr_next_vif++] = (struct vif_spec){ .name = (n), \
	.handle = (h), .mac = { __VA_ARGS__ }, .mac_len = sizeof((u8[]){ __VA_ARGS__ }) })

/* domU1 with the vifs queued: refused, its error has @why */
static bool vif_refused(const char *why)
{
	begin(HW_OK, NULL);
	domu("domU1", 1, 65536, 0x50000000, 0);
	return end() < 0 && err_has(why);
}

static void test_vif(void)
{
	const struct vifcfg *v = cfg.dom[0].vif;

	begin(HW_OK, NULL);
	VIF("vif@0", -1, 2, 0, 0, 0, 0, 1);
	VIF("vif@7", 7, 2, 0, 0, 0, 0, 2);
	VIF("vif@1", -1, 0x00, 0x16, 0x3e, 1, 2, 3);
	domu("domU1", 1, 65536, 0x50000000, 0);
	ok(end() == 0 && cfg.dom[0].nr_vifs == 3, "a domain with three vif nodes (%s)", err);
	ok(v[0].handle == 0 && v[1].handle == 7 && v[2].handle == 1 &&
	   !memcmp(v[0].mac, "\x02\0\0\0\0\x01", 6) &&
	   !memcmp(v[2].mac, "\x00\x16\x3e\x01\x02\x03", 6),
	   "macs as given; handles 0, 7 as given, then the lowest unused, 1");

	begin(HW_OK, NULL);
	MOD("module@42000000", KERNEL_COMPAT, 0x42000000, 0x600000, NULL);
	VIF("vif@0", -1, 2, 0, 0, 0, 0, 1);
	vif_node(&next_vif[--nr_next_vif]);
	VIF("vif@0", -1, 2, 0, 0, 0, 1, 1);
	ENH("enabled");
	domu("domU1", 1, 65536, 0x50000000, 0);
	ok(end() == 0 && cfg.dom[0].is_dom0 && cfg.dom[0].nr_vifs == 1 &&
	   cfg.dom[1].nr_vifs == 1 && cfg.dom[1].vif[0].handle == 0,
	   "dom0's vif in /chosen; domU1 may use the same handle (%s)", err);

	VIF("vif@0", -1, 3, 0, 0, 0, 0, 1);
	ok(vif_refused("domU1: vif@0: \"mac\" is multicast or zero"),
	   "a multicast mac: \"%s\"", err);
	VIF("vif@0", -1, 0, 0, 0, 0, 0, 0);
	ok(vif_refused("domU1: vif@0: \"mac\" is multicast or zero"),
	   "an all-zero mac: \"%s\"", err);
	VIF("vif@0", -1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
	ok(vif_refused("\"mac\" is multicast or zero"), "the broadcast mac: refused");
	VIF("vif@0", -1, 2, 0, 0, 0, 1);
	ok(vif_refused("domU1: vif@0: missing or bad \"mac\" (6 bytes)"),
	   "a mac of 5 bytes: \"%s\"", err);
	next_vif[nr_next_vif++] = (struct vif_spec){ .name = "vif@0", .handle = -1,
						     .mac_len = -1 };
	ok(vif_refused("domU1: vif@0: missing or bad \"mac\""), "no mac: \"%s\"", err);
	VIF("vif@0", 3, 2, 0, 0, 0, 0, 1);
	VIF("vif@1", 3, 2, 0, 0, 0, 0, 2);
	ok(vif_refused("domU1: vif@1: handle 3 is used twice"), "a handle twice: \"%s\"", err);
	VIF("vif@0", 0x80000000LL, 2, 0, 0, 0, 0, 1);
	ok(vif_refused("domU1: vif@0: bad \"handle\""), "handle 2^31: \"%s\"", err);
	VIF("vif@0", -1, 2, 0, 0, 0, 0, 1);
	VIF("vif@1", -1, 2, 0, 0, 0, 0, 1);
	ok(vif_refused("domU1: vif@1: mac 02:00:00:00:00:01 is domU1's already"),
	   "a mac twice in a domain: \"%s\"", err);

	begin(HW_OK, NULL);
	VIF("vif@0", -1, 2, 0, 0, 0, 0, 1);
	domu("domU1", 1, 65536, 0x50000000, 0);
	VIF("vif@0", -1, 2, 0, 0, 0, 0, 1);
	ENH("enabled");
	domu("domU2", 1, 65536, 0x51000000, 0);
	ok(end() < 0 && err_has("domU2: vif@0: mac 02:00:00:00:00:01 is domU1's already"),
	   "a mac of another domain's: \"%s\"", err);
	for (int i = 0; i < 5; i++)
		VIF("vif", -1, 2, 0, 0, 0, 0, 1 + i);
	ok(vif_refused("domU1: more than 4 vif nodes"), "5 vif nodes: \"%s\"", err);

	begin(HW_OK, NULL);
	VIF("vif@0", -1, 2, 0, 0, 0, 0, 1);
	ENH("disabled");
	domu("domU1", 1, 65536, 0x50000000, 0);
	ok(end() < 0 && err_has("domU1: vif nodes need a Xen-aware domain with xenstore"),
	   "vif nodes in a domain that is not Xen-aware: \"%s\"", err);
	begin(HW_OK, NULL);
	VIF("vif@0", -1, 2, 0, 0, 0, 0, 1);
	vif_node(&next_vif[--nr_next_vif]);
	domu("domU1", 1, 65536, 0x50000000, 0);
	ok(end() < 0 && err_has("dom0: vif nodes in /chosen without a kernel module"),
	   "vif nodes in /chosen without a dom0 kernel: \"%s\"", err);
}

int main(void)
{
	const char *e;
	char buf[32];

	ok(bootcfg_parse_size("512M", &e) == 512UL << 20 && !*e, "size 512M");
	ok(bootcfg_parse_size("1G", NULL) == 1UL << 30 &&
	   bootcfg_parse_size("65536k", NULL) == 64UL << 20 &&
	   bootcfg_parse_size("0x1000", NULL) == 4096, "sizes G, k, hex bytes");
	ok(bootcfg_parse_size("x", NULL) == 0, "bad size is 0");
	ok(bootcfg_cmdline_get("a=1 dom0_mem=256M b", "dom0_mem", buf, sizeof(buf)) &&
	   !strcmp(buf, "256M"), "command line value in the middle");
	ok(!bootcfg_cmdline_get("xdom0_mem=1 dom0_memx=2", "dom0_mem", buf, sizeof(buf)),
	   "no partial key matches");

	/* guest-loader dom0, as QEMU writes it for Xen */
	begin(HW_OK, "dom0_mem=256M dom0_max_vcpus=1 loglvl=debug");
	MOD("module@47000000", RAMDISK_COMPAT, 0x47000000, 0x100000, NULL);
	MOD("module@42000000", KERNEL_COMPAT, 0x42000000, 0x600000,
	    "console=ttyAMA0 root=/dev/ram");
	ok(end() == 0, "guest-loader dom0 parses (%s)", err);
	ok(cfg.nr_ram == 1 && cfg.ram[0].start == 0x40000000 && cfg.ram[0].size == 1UL << 30,
	   "RAM from /memory");
	ok(cfg.nr_pcpus == 2 && cfg.mpidr[1] == 1, "CPUs from /cpus");
	ok(cfg.gicd_base == 0x8000000 && cfg.gicr_base == 0x80a0000 &&
	   cfg.gicr_size == 0xf60000, "GICv3 distributor and redistributors");
	ok(cfg.uart_base == 0x9000000, "console UART from stdout-path");
	ok(cfg.nr_doms == 1 && cfg.dom[0].is_dom0 && cfg.dom[0].direct_map &&
	   !strcmp(cfg.dom[0].name, "dom0"), "one 1:1 domain named dom0");
	ok(cfg.dom[0].kernel.start == 0x42000000 && cfg.dom[0].kernel.size == 0x600000 &&
	   cfg.dom[0].ramdisk.start == 0x47000000, "kernel and ramdisk modules");
	ok(!strcmp(cfg.dom[0].bootargs, "console=ttyAMA0 root=/dev/ram"),
	   "dom0 bootargs from the kernel module");
	ok(cfg.dom[0].mem_size == 256UL << 20 && cfg.dom[0].nr_vcpus == 1,
	   "dom0_mem and dom0_max_vcpus honoured");
	ok(cfg.log_level == LOG_DEBUG, "loglvl=debug");
	ok(cfg.nr_reserved == 2, "modules kept out of the RAM allocator");

	begin(HW_OK, NULL);
	MOD("module@42000000", KERNEL_COMPAT, 0x42000000, 0x600000, NULL);
	ok(end() == 0 && cfg.dom[0].nr_vcpus == 2 && cfg.dom[0].mem_size == 512UL << 20 &&
	   cfg.log_level == LOG_INFO, "dom0 defaults: a vCPU per CPU, 512 MiB");

	/* Untyped multiboot,module nodes: kernel first, then ramdisk. */
	begin(HW_OK, "xen,xen-bootargs-ignored");
	MOD("module@1", "multiboot,module", 0x42000000, 0x600000, NULL);
	MOD("module@2", "multiboot,module", 0x47000000, 0x1000, NULL);
	ok(end() == 0 && cfg.dom[0].kernel.start == 0x42000000 &&
	   cfg.dom[0].ramdisk.start == 0x47000000, "untyped modules: kernel then ramdisk");

	/* dom0 + dom0less domUs */
	begin(HW_OK, "dom0_mem=128M");
	MOD("module@42000000", KERNEL_COMPAT, 0x42000000, 0x600000, NULL);
	domu("domU1", 2, 131072, 0x50000000, 0x50800000);
	domu("domU2", 1, 65536, 0x51000000, 0);
	ok(end() == 0 && cfg.nr_doms == 3, "dom0 plus two dom0less domains (%s)", err);
	ok(!strcmp(cfg.dom[1].name, "domU1") && cfg.dom[1].nr_vcpus == 2 &&
	   cfg.dom[1].mem_size == 128UL << 20 && !cfg.dom[1].direct_map,
	   "domU1: name, cpus, memory in KiB, not 1:1");
	ok(cfg.dom[1].kernel.start == 0x50000000 && cfg.dom[1].ramdisk.start == 0x50800000 &&
	   !strcmp(cfg.dom[1].bootargs, "console=ttyAMA0"), "domU1 modules and bootargs");
	ok(cfg.dom[2].ramdisk.size == 0 && cfg.dom[2].mem_size == 64UL << 20,
	   "domU2 without ramdisk");

	/* dom0less only: the first domain is the 1:1 one */
	begin(HW_OK, NULL);
	domu("domU1", 1, 65536, 0x50000000, 0);
	domu("domU2", 1, 65536, 0x51000000, 0);
	ok(end() == 0 && cfg.nr_doms == 2 && cfg.dom[0].direct_map &&
	   !cfg.dom[1].direct_map, "without dom0 the first domain is 1:1");

	/* Bad configurations */
	begin(HW_OK, NULL);
	ok(end() < 0 && err_has("no domain to boot"), "no domain: \"%s\"", err);
	begin(HW_OK, NULL);
	domu("domU1", 0, 65536, 0x50000000, 0);
	ok(end() < 0 && err_has("domU1: 0 vCPUs"), "0 vCPUs: \"%s\"", err);
	begin(HW_OK, NULL);
	domu("domU1", 99, 65536, 0x50000000, 0);
	ok(end() < 0 && err_has("99 vCPUs"), "too many vCPUs: \"%s\"", err);
	begin(HW_OK, NULL);
	domu("domU1", 1, 1024, 0x50000000, 0);
	ok(end() < 0 && err_has("below the 16 MiB minimum"), "tiny memory: \"%s\"", err);
	begin(HW_OK, NULL);
	domu("domU1", 1, 65537, 0x50000000, 0);
	ok(end() < 0 && err_has("not a multiple of 2 MiB"), "odd memory: \"%s\"", err);
	begin(HW_OK, NULL);
	domu("domU1", 1, 65536, 0, 0x50000000);
	ok(end() < 0 && err_has("domU1: no kernel module"), "no kernel: \"%s\"", err);
	begin(HW_OK, NULL);
	domu("domU1", 1, 65536, 0x50000000, 0);
	domu("domU2", 1, 65536, 0x50100000, 0);
	ok(end() < 0 && err_has("overlap"), "overlapping modules: \"%s\"", err);
	begin(HW_OK, NULL);
	domu("domU1", 1, 65536, 0x10000000, 0);
	ok(end() < 0 && err_has("outside RAM"), "module outside RAM: \"%s\"", err);
	begin(HW_OK, NULL);
	domu("domU1", 1, 65536, 0x50000000, 0);
	domu("domU1", 1, 65536, 0x51000000, 0);
	ok(end() < 0 && err_has("two domains named domU1"), "duplicate names: \"%s\"", err);
	begin(HW_OK, "loglvl=chatty");
	MOD("module@42000000", KERNEL_COMPAT, 0x42000000, 0x600000, NULL);
	ok(end() < 0 && err_has("bad loglvl"), "bad loglvl: \"%s\"", err);
	begin(HW_OK, "dom0_mem=lots");
	MOD("module@42000000", KERNEL_COMPAT, 0x42000000, 0x600000, NULL);
	ok(end() < 0 && err_has("bad dom0_mem"), "bad dom0_mem: \"%s\"", err);
	begin(HW_OK, "dom0_mem=64Q");
	MOD("module@42000000", KERNEL_COMPAT, 0x42000000, 0x600000, NULL);
	ok(end() < 0 && err_has("bad dom0_mem=64Q"),
	   "dom0_mem with a bad suffix: \"%s\"", err);
	begin(HW_OK, "dom0_max_vcpus=2x");
	MOD("module@42000000", KERNEL_COMPAT, 0x42000000, 0x600000, NULL);
	ok(end() < 0 && err_has("bad dom0_max_vcpus=2x"),
	   "dom0_max_vcpus with trailing junk: \"%s\"", err);
	begin(HW_OK, "dom0_max_vcpus=4294967298");
	MOD("module@42000000", KERNEL_COMPAT, 0x42000000, 0x600000, NULL);
	ok(end() < 0 && err_has("bad dom0_max_vcpus"),
	   "dom0_max_vcpus that would wrap to 2: \"%s\"", err);
	begin(HW_OK, "dom0_max_vcpus=9");
	MOD("module@42000000", KERNEL_COMPAT, 0x42000000, 0x600000, NULL);
	ok(end() < 0 && err_has("bad dom0_max_vcpus=9 (1..8)"),
	   "dom0_max_vcpus above the limit: \"%s\"", err);
	begin(HW_OK, "dom0_max_vcpus=");
	MOD("module@42000000", KERNEL_COMPAT, 0x42000000, 0x600000, NULL);
	ok(end() < 0 && err_has("bad dom0_max_vcpus"),
	   "empty dom0_max_vcpus: \"%s\"", err);
	begin(HW_OK, "dom0_max_vcpus=0");
	MOD("module@42000000", KERNEL_COMPAT, 0x42000000, 0x600000, NULL);
	ok(end() < 0 && err_has("dom0: 0 vCPUs"), "dom0_max_vcpus=0: \"%s\"", err);
	begin(HW_OK, NULL);
	domu("domU1", 1, 65536, 0, 0);
	ok(end() < 0 && err_has("domU1: no kernel module"),
	   "domain without modules: \"%s\"", err);
	begin(HW_OK, NULL);
	domu("domU1", 1, 65536, 0x50000000, 0x50100000);
	ok(end() < 0 && err_has("boot modules at 0x50100000 and 0x50000000 overlap"),
	   "kernel and ramdisk of one domain overlap: \"%s\"", err);
	begin(HW_OK, NULL);
	MOD("module@47000000", RAMDISK_COMPAT, 0x47000000, 0x100000, NULL);
	ok(end() < 0 && err_has("ramdisk module without a kernel"),
	   "dom0 ramdisk without kernel: \"%s\"", err);
	begin(HW_OK, NULL);
	domu("domU1", 1, 65536, 0x7ff00000, 0);
	ok(end() < 0 && err_has("outside RAM"),
	   "module running past the end of RAM: \"%s\"", err);
	begin(HW_OK, NULL);
	domu("domU1", 1, 65536, 0xfffffffffff00000UL, 0);
	ok(end() < 0 && err_has("outside RAM"),
	   "module whose end wraps around: \"%s\"", err);
	begin(HW_OK, NULL);
	domu("domU1", 1, 0x40000000000010UL, 0x50000000, 0);
	ok(end() < 0 && err_has("domU1: missing or bad \"memory\""),
	   "memory in KiB that would wrap to 16 KiB: \"%s\"", err);
	begin(HW_NO_GIC, NULL);
	MOD("module@42000000", KERNEL_COMPAT, 0x42000000, 0x600000, NULL);
	ok(end() < 0 && err_has("GICv3"), "no GICv3: \"%s\"", err);
	begin(HW_NO_MEMORY, NULL);
	ok(end() < 0 && err_has("no memory node"), "no memory: \"%s\"", err);
	ok(bootcfg_parse("not a device tree, not at all", &cfg, err, sizeof(err)) < 0 &&
	   err_has("no valid device tree"), "garbage instead of a DTB: \"%s\"", err);
	test_enhanced();
	test_hypervisor_node();
	test_dma_config();
	test_dma_node();
	test_vbd();
	test_vif();
	return tap_done();
}
