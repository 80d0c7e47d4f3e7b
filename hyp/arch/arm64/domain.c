// SPDX-License-Identifier: GPL-2.0-only
/*
 * Domain construction: RAM and stage-2 tables, kernel/ramdisk placement,
 * the guest device tree, the first vCPU entered with the Linux arm64
 * boot protocol (x0 = device tree, MMU off, EL1h, interrupts masked).
 */
#include <libfdt.h>
#include <minixen/bootcfg.h>
#include <minixen/domain.h>
#include <minixen/hypercall.h>
#include <minixen/layout.h>
#include <minixen/mm.h>
#include <minixen/physmap.h>
#include <minixen/vcpu.h>
#include <minixen/xen_fdt.h>
#include <minixen/xen_store.h>
#include <arch/gic.h>
#include <arch/pcpu.h>
#include <arch/psci.h>
#include <arch/setup.h>
#include <arch/sysregs.h>

#define FDT_MAX		0x10000
#define IMAGE_MAGIC	0x644d5241	/* "ARM\x64" */

struct domain *domains[MAX_DOMAINS];
u32 nr_domains;

/* Stage-2 tables grow at run time too (grant maps, physmap): no panic. */
static void *s2_page(void *ctx)
{
	return hyp_try_alloc(4096, 4096);
}

/* A live block split (s2.c): the old block leaves the TLBs first. */
static void s2_live_flush(struct s2 *s2)
{
	arch_s2_flush(container_of(s2, struct domain, s2));
}

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

	if (c->xen_aware) {
		struct xen_fdt_info xi;

		xen_fdt_layout(d->ram_ipa, d->ram_size, &xi);
		fb_check(&b, xen_fdt_hypervisor(buf, &xi));
	}

	fb_end(&b);
	fb_check(&b, fdt_finish(buf));
	return b.err;
}

void vcpu_reset(struct vcpu *v, u64 entry, u64 x0)
{
	memset(&v->regs, 0, sizeof(v->regs));
	memset(&v->sys, 0, sizeof(v->sys));
	memset(&v->fp, 0, sizeof(v->fp));
	v->regs.x[0] = x0;
	v->pc = entry;
	v->pstate = PSR_DAIF | PSR_MODE_EL1H;
	v->sys.sctlr = 0x30d00800;	/* RES1 bits, MMU and caches off */
}

static struct domain *domain_create(u32 id, const struct domcfg *c)
{
	struct vgic_vcpu *vv[MAX_VCPUS];
	u64 text_offset, image_size, kernel, entry_end, top, dtb, initrd = 0;
	const u8 *hdr = (const u8 *)(uintptr_t)c->kernel.start;
	struct domain *d;
	u32 i;

	d = hyp_alloc(sizeof(*d), 64);
	d->id = id;
	d->vmid = id + 1;
	memcpy(d->name, c->name, sizeof(d->name));
	d->nr_vcpus = c->nr_vcpus;
	d->ram_size = c->mem_size;
	d->ram_pa = mm_alloc_ram(d->ram_size, SZ_2M);
	if (!d->ram_pa)
		bad_config("%s: not enough free RAM for %lu MiB", d->name,
			   d->ram_size >> 20);
	d->ram_ipa = c->direct_map ? d->ram_pa : GUEST_RAM_BASE;
	if (s2_init(&d->s2, s2_page, NULL) ||
	    s2_map(&d->s2, d->ram_ipa, d->ram_pa, d->ram_size, S2_RAM))
		panic("%s: cannot build stage-2 tables", d->name);
	s2_set_quota(&d->s2, S2_GUEST_TABLES);
	d->s2.flush = s2_live_flush;

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

	for (i = 0; i < d->nr_vcpus; i++) {
		struct vcpu *v = hyp_alloc(sizeof(*v), 64);

		v->d = d;
		v->id = i;
		v->block_until = SCHED_NO_DEADLINE;
		d->vcpu[i] = v;
		vv[i] = &v->vgic;
		if (sched_add(&sched, &v->sched, v))
			panic("too many vCPUs in total (max %d)",
			      SCHED_MAX_ENTS);
	}
	vgic_init(&d->vgic, d->nr_vcpus, vv, nr_lrs);
	if (xen_domain_init(d, hyp_alloc(XEN_PAGE_SIZE, XEN_PAGE_SIZE),
			    c->xen_aware, c->is_dom0))
		panic("%s: cannot set up its event channels and grant table",
		      d->name);
	if (c->xen_aware && !c->no_xenstore && xen_store_domain_init(d))
		panic("%s: cannot connect it to xenstore", d->name);

	if (build_fdt(d, c, ipa_to_hyp(d, dtb), initrd, c->ramdisk.size))
		panic("%s: cannot build its device tree", d->name);

	vcpu_reset(d->vcpu[0], kernel, dtb);
	d->vcpu[0]->sched.state = VS_RUNNABLE;
	pr_info("%s: %u vCPU%s, %lu MiB RAM at IPA 0x%lx (PA 0x%lx)%s",
		d->name, d->nr_vcpus, d->nr_vcpus > 1 ? "s" : "",
		d->ram_size >> 20, d->ram_ipa, d->ram_pa,
		c->direct_map ? ", 1:1" : "");
	pr_info("%s: kernel at 0x%lx, %s0x%lx bytes, dtb at 0x%lx%s",
		d->name, kernel, c->ramdisk.size ? "ramdisk " : "ramdisk none ",
		c->ramdisk.size, dtb, c->xen_aware ? ", Xen-aware" : "");
	return d;

too_small:
	bad_config("%s: %lu MiB of memory is too small for its kernel%s",
		   d->name, d->ram_size >> 20,
		   c->ramdisk.size ? " and ramdisk" : "");
}

void domains_build(void)
{
	int i;

	for (i = 0; i < boot_cfg.nr_doms; i++)
		domains[nr_domains++] = domain_create(i, &boot_cfg.dom[i]);
}

static const char *const shutdown_what[] = {
	[SHUTDOWN_poweroff] = "powered off",
	[SHUTDOWN_reboot] = "reboot: domain destroyed",
	[SHUTDOWN_crash] = "crashed: domain destroyed",
	[SHUTDOWN_watchdog] = "watchdog: domain destroyed",
};

bool domain_release_due(struct domain *d)
{
	u32 i;

	if (!d->dead || d->released)
		return false;
	for (i = 0; i < d->nr_vcpus; i++)
		if (d->vcpu[i]->sched.state == VS_RUNNING)
			return false;
	d->released = true;
	return true;
}

void domain_release(struct domain *d)
{
	xen_store_domain_release(d);
	gnt_unmap_all(&d->xen.gnt);
	evtchn_domain_destroy(&d->xen.evtchn);
	xen_virq_global(VIRQ_DOM_EXC);	/* Xen: the domain is shut down */
}

void domain_shutdown(struct domain *d, u32 reason)
{
	bool reboot = reason == SHUTDOWN_reboot, release;
	u32 i, alive = 0;

	if (reason >= ARRAY_SIZE(shutdown_what) || !shutdown_what[reason])
		reason = SHUTDOWN_crash;
	spin_lock(&sched_lock);
	if (d->dead) {
		spin_unlock(&sched_lock);
		return;
	}
	d->dead = true;
	d->reboot = reboot;
	for (i = 0; i < d->nr_vcpus; i++) {
		struct vcpu *v = d->vcpu[i];

		v->pending_reset = false;
		if (v->sched.state != VS_RUNNING)
			v->sched.state = VS_OFF;
		else if (v->sched.pcpu != (int)this_pcpu()->id)
			gic_send_sgi(v->sched.pcpu, SGI_KICK);
	}
	for (i = 0; i < nr_domains; i++)
		alive += !domains[i]->dead;
	release = domain_release_due(d);
	spin_unlock(&sched_lock);
	pr_info("%s: %s", d->name, shutdown_what[reason]);
	if (release)
		domain_release(d);
	if (!alive) {
		pr_info("no domain left: %s", reboot ? "rebooting" :
						       "powering off");
		host_power_off(reboot);
	}
}
