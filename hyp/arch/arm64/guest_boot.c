// SPDX-License-Identifier: GPL-2.0-only
/*
 * How a domain boots on arm64 (for core/domain.c): the Linux arm64 Image
 * and ramdisk placed in its RAM, its device tree (memory, cpus, PSCI over
 * HVC, GICv3, arch timer, SBSA UART; the DMA engine on its bus node with
 * the DMA profile as dma-ranges if 1:1; /hypervisor if Xen-aware); vCPU 0
 * is then entered with the Linux arm64 boot protocol (x0 = device tree,
 * MMU off, EL1h, interrupts masked: arch_vcpu_reset()).
 */
#include <libfdt.h>
#include <minixen/arch_hooks.h>
#include <minixen/bootcfg.h>
#include <minixen/dmaprofile.h>
#include <minixen/domain.h>
#include <minixen/layout.h>
#include <minixen/xen_fdt.h>

#define FDT_MAX		0x10000
#define IMAGE_MAGIC	0x644d5241	/* "ARM\x64" */

static void *ipa_to_hyp(struct domain *d, u64 ipa)
{
	return (void *)(uintptr_t)(ipa - d->ram_ipa + d->ram_pa);
}

struct fdt_build {
	void *fdt;
	int err;
};

static void fb_check(struct fdt_build *b, int r)
{
	if (r && !b->err)
		b->err = r;
}

static void fb_reg(struct fdt_build *b, u64 base, u64 size)
{
	fdt64_t reg[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	fb_check(b, fdt_property(b->fdt, "reg", reg, sizeof(reg)));
}

static void fb_str(struct fdt_build *b, const char *name, const char *s)
{
	fb_check(b, fdt_property_string(b->fdt, name, s));
}

static void fb_u32(struct fdt_build *b, const char *name, u32 v)
{
	fb_check(b, fdt_property_u32(b->fdt, name, v));
}

static void fb_begin(struct fdt_build *b, const char *fmt, u64 addr)
{
	char name[64];

	snprintf(name, sizeof(name), fmt, addr);
	fb_check(b, fdt_begin_node(b->fdt, name));
}

static void fb_end(struct fdt_build *b)
{
	fb_check(b, fdt_end_node(b->fdt));
}

#define GIC_PHANDLE	1

static int build_fdt(struct domain *d, const struct domcfg *c, void *buf,
		     u64 initrd, u64 initrd_size)
{
	static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2";
	struct fdt_build b = { buf, 0 };
	fdt32_t irqs[12];
	fdt64_t gic_reg[4];
	char path[48];
	u32 i;

	fb_check(&b, fdt_create(buf, FDT_MAX));
	fb_check(&b, fdt_finish_reservemap(buf));
	fb_begin(&b, "", 0);
	fb_u32(&b, "#address-cells", 2);
	fb_u32(&b, "#size-cells", 2);
	fb_str(&b, "compatible", "minixen,virt");
	fb_str(&b, "model", "minixen virtual machine");
	fb_u32(&b, "interrupt-parent", GIC_PHANDLE);

	fb_begin(&b, "chosen", 0);
	fb_str(&b, "bootargs", c->bootargs);
	snprintf(path, sizeof(path), "/sbsa-uart@%lx", GUEST_UART);
	fb_str(&b, "stdout-path", path);
	if (initrd_size) {
		fb_check(&b, fdt_property_u64(buf, "linux,initrd-start", initrd));
		fb_check(&b, fdt_property_u64(buf, "linux,initrd-end",
					      initrd + initrd_size));
	}
	fb_end(&b);

	fb_begin(&b, "memory@%lx", d->ram_ipa);
	fb_str(&b, "device_type", "memory");
	fb_reg(&b, d->ram_ipa, d->ram_size);
	fb_end(&b);

	fb_begin(&b, "cpus", 0);
	fb_u32(&b, "#address-cells", 1);
	fb_u32(&b, "#size-cells", 0);
	for (i = 0; i < d->nr_vcpus; i++) {
		fb_begin(&b, "cpu@%lx", vgic_vcpu_mpidr(i));
		fb_str(&b, "device_type", "cpu");
		fb_str(&b, "compatible", "arm,armv8");
		fb_u32(&b, "reg", vgic_vcpu_mpidr(i));
		fb_str(&b, "enable-method", "psci");
		fb_end(&b);
	}
	fb_end(&b);

	fb_begin(&b, "psci", 0);
	fb_check(&b, fdt_property(buf, "compatible", psci_compat,
				  sizeof(psci_compat)));
	fb_str(&b, "method", "hvc");
	fb_end(&b);

	fb_begin(&b, "interrupt-controller@%lx", GUEST_GICD);
	fb_str(&b, "compatible", "arm,gic-v3");
	fb_u32(&b, "#interrupt-cells", 3);
	fb_u32(&b, "#address-cells", 2);
	fb_u32(&b, "#size-cells", 2);
	fb_check(&b, fdt_property(buf, "interrupt-controller", NULL, 0));
	fb_u32(&b, "#redistributor-regions", 1);
	gic_reg[0] = cpu_to_fdt64(GUEST_GICD);
	gic_reg[1] = cpu_to_fdt64(VGIC_GICD_SIZE);
	gic_reg[2] = cpu_to_fdt64(GUEST_GICR);
	gic_reg[3] = cpu_to_fdt64(d->nr_vcpus * VGIC_GICR_STRIDE);
	fb_check(&b, fdt_property(buf, "reg", gic_reg, sizeof(gic_reg)));
	fb_u32(&b, "phandle", GIC_PHANDLE);
	fb_end(&b);

	fb_begin(&b, "timer", 0);
	fb_str(&b, "compatible", "arm,armv8-timer");
	/* PPIs 13 (secure phys), 14 (phys), 11 (virt), 10 (hyp) */
	for (i = 0; i < 4; i++) {
		static const u32 ppi[4] = { 13, 14, 11, 10 };

		irqs[3 * i] = cpu_to_fdt32(1);
		irqs[3 * i + 1] = cpu_to_fdt32(ppi[i]);
		irqs[3 * i + 2] = cpu_to_fdt32(4);	/* level high */
	}
	fb_check(&b, fdt_property(buf, "interrupts", irqs, sizeof(irqs)));
	fb_end(&b);

	fb_begin(&b, "sbsa-uart@%lx", GUEST_UART);
	fb_str(&b, "compatible", "arm,sbsa-uart");
	fb_reg(&b, GUEST_UART, 0x1000);
	irqs[0] = cpu_to_fdt32(0);
	irqs[1] = cpu_to_fdt32(GUEST_UART_SPI - 32);
	irqs[2] = cpu_to_fdt32(4);
	fb_check(&b, fdt_property(buf, "interrupts", irqs, 3 * 4));
	fb_u32(&b, "current-speed", 115200);
	fb_end(&b);

	if (d->dmae)
		fb_check(&b, dma_profile_fdt(buf, &c->dma, GUEST_MXDMA,
					     GUEST_MXDMA_SPI));

	if (c->xen_aware) {
		struct xen_fdt_info xi;

		xen_fdt_layout(d->ram_ipa, d->ram_size, &xi);
		fb_check(&b, xen_fdt_hypervisor(buf, &xi));
	}

	fb_end(&b);
	fb_check(&b, fdt_finish(buf));
	return b.err;
}

void arch_domain_load(struct domain *d, const struct domcfg *c,
		      struct dom_boot *b)
{
	u64 text_offset, image_size, kernel, entry_end, top, dtb, initrd = 0;
	const u8 *hdr = (const u8 *)(uintptr_t)c->kernel.start;

	/* Linux arm64 Image header */
	if (c->kernel.size < 64 || *(const u32 *)(hdr + 56) != IMAGE_MAGIC)
		bad_config("%s: kernel module at 0x%lx is not an arm64 Image",
			   d->name, c->kernel.start);
	text_offset = *(const u64 *)(hdr + 8);
	image_size = *(const u64 *)(hdr + 16);
	if (!image_size) {
		text_offset = 0x80000;
		image_size = c->kernel.size;
	}
	image_size = MAX(image_size, c->kernel.size);
	/* No wrap-around below: all of these fit in the domain's RAM. */
	if (text_offset >= d->ram_size || image_size >= d->ram_size ||
	    c->ramdisk.size >= d->ram_size)
		goto too_small;
	kernel = d->ram_ipa + text_offset;
	entry_end = ALIGN_UP(kernel + image_size, SZ_4K);
	top = d->ram_ipa + d->ram_size;
	dtb = top - SZ_2M;
	if (c->ramdisk.size)
		initrd = ALIGN_DOWN(dtb - c->ramdisk.size, SZ_4K);
	if (entry_end > (c->ramdisk.size ? initrd : dtb) || initrd >= dtb)
		goto too_small;
	memcpy(ipa_to_hyp(d, kernel), hdr, c->kernel.size);
	if (c->ramdisk.size)
		memcpy(ipa_to_hyp(d, initrd),
		       (const void *)(uintptr_t)c->ramdisk.start,
		       c->ramdisk.size);
	b->entry = kernel;
	b->dtb = dtb;
	b->initrd = initrd;
	return;

too_small:
	bad_config("%s: %lu MiB of memory is too small for its kernel%s",
		   d->name, d->ram_size >> 20,
		   c->ramdisk.size ? " and ramdisk" : "");
}

int arch_domain_fdt(struct domain *d, const struct domcfg *c,
		    const struct dom_boot *b)
{
	return build_fdt(d, c, ipa_to_hyp(d, b->dtb), b->initrd,
			 c->ramdisk.size);
}
