// SPDX-License-Identifier: GPL-2.0-only
/*
 * Domains: built from the boot configuration (RAM and stage-2 tables,
 * vCPUs, vGIC, Xen ABI state; the kernel, ramdisk and device tree as the
 * arch boots them: arch_domain_load(), arch_domain_fdt()), shut down,
 * released; and the rate limit of their fault messages.
 */
#include <minixen/arch_hooks.h>
#include <minixen/bootcfg.h>
#include <minixen/domain.h>
#include <minixen/hypercall.h>
#include <minixen/layout.h>
#include <minixen/mm.h>
#include <minixen/physmap.h>
#include <minixen/run.h>
#include <minixen/vcpu.h>
#include <minixen/vdma.h>
#include <minixen/xen_store.h>
#include <minixen/xenbus_vbd.h>
#include <minixen/xenbus_vif.h>

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

static struct domain *domain_create(u32 id, const struct domcfg *c)
{
	struct vgic_vcpu *vv[MAX_VCPUS];
	struct dom_boot b = { 0 };
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

	arch_domain_load(d, c, &b);

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
	vgic_init(&d->vgic, d->nr_vcpus, vv, arch_vgic_nr_lrs());
	if (xen_domain_init(d, hyp_alloc(XEN_PAGE_SIZE, XEN_PAGE_SIZE),
			    c->xen_aware, c->is_dom0))
		panic("%s: cannot set up its event channels and grant table",
		      d->name);
	if (c->xen_aware && !c->no_xenstore && xen_store_domain_init(d))
		panic("%s: cannot connect it to xenstore", d->name);
	if (xenbus_vbd_domain_init(d, c))
		panic("%s: cannot publish its disks in xenstore", d->name);
	if (xenbus_vif_domain_init(d, c))
		panic("%s: cannot publish its network interfaces in xenstore",
		      d->name);
	if (c->direct_map)
		vdma_domain_init(d, c);

	if (arch_domain_fdt(d, c, &b))
		panic("%s: cannot build its device tree", d->name);

	arch_vcpu_reset(d->vcpu[0], b.entry, b.dtb);
	d->vcpu[0]->sched.state = VS_RUNNABLE;
	pr_info("%s: %u vCPU%s, %lu MiB RAM at IPA 0x%lx (PA 0x%lx)%s",
		d->name, d->nr_vcpus, d->nr_vcpus > 1 ? "s" : "",
		d->ram_size >> 20, d->ram_ipa, d->ram_pa,
		c->direct_map ? ", 1:1" : "");
	pr_info("%s: kernel at 0x%lx, %s0x%lx bytes, dtb at 0x%lx%s",
		d->name, b.entry, c->ramdisk.size ? "ramdisk " : "ramdisk none ",
		c->ramdisk.size, b.dtb, c->xen_aware ? ", Xen-aware" : "");
	return d;
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
	/* Its disks and interfaces first: they hold its ports, watch its tree. */
	xenbus_vbd_domain_release(d);
	xenbus_vif_domain_release(d);
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
		else if (v->sched.pcpu != (int)arch_cpu_id())
			arch_kick_cpu(v->sched.pcpu);
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
		arch_power_off(reboot);
	}
}

/*
 * A guest stuck in a loop of faults (say a vCPU started at a bad address,
 * whose vector table is not mapped either) must not flood the console:
 * DOM_MAX_WARNS faults of a domain are logged per DOM_WARN_SECS window,
 * then one line; the next window starts with how many went unlogged.
 */
bool dom_warn_ok(struct domain *d)
{
	u64 now = arch_counter(), win = DOM_WARN_SECS * arch_counter_freq();
	u32 n, dropped = 0;

	spin_lock(&d->lock);
	if (!d->warn_since || now - d->warn_since > win) {
		if (d->nr_warns > DOM_MAX_WARNS)
			dropped = d->nr_warns - DOM_MAX_WARNS;
		d->warn_since = now;
		d->nr_warns = 0;
	}
	n = ++d->nr_warns;
	spin_unlock(&d->lock);
	if (dropped)
		pr_warn("%s: %u more faults were not logged", d->name, dropped);
	if (n == DOM_MAX_WARNS + 1)
		pr_warn("%s: more faults, not logged", d->name);
	return n <= DOM_MAX_WARNS;
}
