// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests: domains (hyp/core/domain.c) on the real heap and RAM
 * (mm.c), stage-2 tables, run queue and vGIC, the arch and the Xen ABI
 * faked: what domains_build() makes of a boot configuration, the boot
 * configurations and limits it refuses (bad_config(), panic()),
 * domain_shutdown() and the release of a dead domain, and the rate limit
 * of guest fault messages.
 */
#include <setjmp.h>
#include <minixen/domain.h>
#include <minixen/hypercall.h>
#include <minixen/layout.h>
#include <minixen/mm.h>
#include <minixen/run.h>
#include <minixen/vcpu.h>
#include <minixen/xen_store.h>
#include "fake_machine.h"
#include "tap.h"

#define RAM_START	0x40000000UL
#define RAM_SIZE	(2UL << 30)
#define BAD_CONFIG	1
#define PANIC		2
#define POWER_OFF	3

struct bootcfg boot_cfg;
struct sched sched;
struct mx_lock sched_lock;

static jmp_buf stop_jmp;	/* bad_config(), panic(), arch_power_off() */
static char stop_msg[160], log_buf[1024];	/* log: the lines since log_clear() */
static int nr_logs, xen_init_err, store_err, fdt_err;
static bool fdt_saw_vcpus, off_reboot;
static u32 store_inits, store_releases, unmaps, destroys, virq;
/* The disks' hooks (core/xenbus_vbd.c, tested in test_xenbus_vbd.c) */
static u32 vbd_inits, vbd_releases;
static int vbd_err;
static bool vbd_after_store, vbd_release_first;
static u32 vif_inits, vif_releases;
static int vif_err;
static bool vif_after_store, vif_release_first;
static struct {
	bool aware, privileged, page_ok;
} xen_init[MAX_DOMAINS];
static struct {
	struct vcpu *v;
	u64 entry, x0;
} reset;

void mx_log(int level, const char *fmt, ...)
{
	size_t n = strlen(log_buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(log_buf + n, sizeof(log_buf) - n, fmt, ap);
	va_end(ap);
	n = strlen(log_buf);
	snprintf(log_buf + n, sizeof(log_buf) - n, "\n");
	nr_logs++;
}

static void log_clear(void)
{
	log_buf[0] = 0;
	nr_logs = 0;
}

static bool logged(const char *line)
{
	return strstr(log_buf, line);
}

static void __noreturn stop(int how, const char *fmt, va_list ap)
{
	vsnprintf(stop_msg, sizeof(stop_msg), fmt, ap);
	longjmp(stop_jmp, how);
}

void bad_config(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	stop(BAD_CONFIG, fmt, ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	stop(PANIC, fmt, ap);
}

void arch_power_off(bool reboot)
{
	off_reboot = reboot;
	longjmp(stop_jmp, POWER_OFF);
}

void arch_s2_flush(struct domain *d)
{
}

u32 arch_vgic_nr_lrs(void)
{
	return 4;
}

void arch_domain_load(struct domain *d, const struct domcfg *c,
		      struct dom_boot *b)
{
	b->entry = d->ram_ipa + SZ_2M;
	b->dtb = d->ram_ipa + 0x100000;
}

int arch_domain_fdt(struct domain *d, const struct domcfg *c,
		    const struct dom_boot *b)
{
	fdt_saw_vcpus = d->vcpu[d->nr_vcpus - 1] &&
			d->vcpu[d->nr_vcpus - 1]->d == d;
	return fdt_err;
}

void arch_vcpu_reset(struct vcpu *v, u64 entry, u64 x0)
{
	reset.v = v;
	reset.entry = entry;
	reset.x0 = x0;
}

int xen_domain_init(struct domain *d, void *shared_info, bool aware,
		    bool privileged)
{
	const u8 *p = shared_info;
	bool zero = true;
	u32 i;

	for (i = 0; i < XEN_PAGE_SIZE; i++)
		zero &= !p[i];
	xen_init[d->id].aware = aware;
	xen_init[d->id].privileged = privileged;
	xen_init[d->id].page_ok = zero &&
				  !((unsigned long)p & (XEN_PAGE_SIZE - 1));
	d->xen.aware = aware;
	return xen_init_err;
}

int xen_store_domain_init(struct domain *d)
{
	store_inits++;
	return store_err;
}

void xen_store_domain_release(struct domain *d)
{
	store_releases++;
}

int xenbus_vbd_domain_init(struct domain *d, const struct domcfg *c)
{
	vbd_inits++;
	vbd_after_store = store_inits == 1;
	return vbd_err;
}

void xenbus_vbd_domain_release(struct domain *d)
{
	vbd_releases++;
	/* before the store lets the domain go and its ports are closed */
	vbd_release_first = store_releases == 0 && destroys == 0 && unmaps == 0;
}

int xenbus_vif_domain_init(struct domain *d, const struct domcfg *c)
{
	vif_inits++;
	vif_after_store = store_inits == 1;
	return vif_err;
}

void xenbus_vif_domain_release(struct domain *d)
{
	vif_releases++;
	vif_release_first = store_releases == 0 && destroys == 0 && unmaps == 0;
}

void gnt_unmap_all(struct gnt_dom *md)
{
	unmaps++;
}

void evtchn_domain_destroy(struct evtchn_domain *d)
{
	destroys++;
}

void xen_virq_global(u32 virq_nr)
{
	virq = virq_nr;
}

/* The DMA engine (core/vdma.c, tested in test_dmaengine.c) */
static u32 vdma_doms;

void vdma_domain_init(struct domain *d, const struct domcfg *c)
{
	vdma_doms |= BIT(d->id);
}

static struct domcfg *cfg(int i, const char *name, u32 nr_vcpus, u64 mem)
{
	struct domcfg *c = &boot_cfg.dom[i];

	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->nr_vcpus = nr_vcpus;
	c->mem_size = mem;
	boot_cfg.nr_doms = i + 1;
	return c;
}

/*
 * domains_build() (the heap and RAM go on being used up), with an empty
 * run queue unless @keep_queue.
 */
static int build_on(bool keep_queue)
{
	static int how;

	if (!keep_queue)
		memset(&sched, 0, sizeof(sched));
	nr_domains = 0;
	store_inits = 0;
	vbd_inits = 0;
	vif_inits = 0;
	stop_msg[0] = 0;
	how = setjmp(stop_jmp);
	if (!how)
		domains_build();
	return how;
}

static int build(void)
{
	return build_on(false);
}

static bool maps(struct domain *d, u64 ipa, u64 pa)
{
	u64 got, desc;

	return !s2_lookup(&d->s2, ipa, &got, &desc) && got == pa;
}

static void test_build(void)
{
	struct domcfg *c;
	struct domain *a, *b;
	bool vcpus_ok = true;
	u32 i;

	c = cfg(0, "dom0", 2, 128UL << 20);
	c->direct_map = true;
	c->is_dom0 = true;
	c->xen_aware = true;
	cfg(1, "domU", 1, 64UL << 20);
	ok(build() == 0 && nr_domains == 2, "dom0 and a domU built");
	a = domains[0];
	b = domains[1];
	ok(a->id == 0 && a->vmid == 1 && !strcmp(a->name, "dom0") &&
	   b->id == 1 && b->vmid == 2 && !strcmp(b->name, "domU"),
	   "ids, VMIDs (id + 1) and names");
	ok(a->ram_size == 128UL << 20 && a->ram_ipa == a->ram_pa &&
	   !(a->ram_pa & (SZ_2M - 1)) && a->ram_pa >= RAM_START &&
	   a->ram_pa + a->ram_size <= RAM_START + RAM_SIZE,
	   "dom0: 1:1, 2 MiB aligned, in RAM");
	ok(b->ram_ipa == GUEST_RAM_BASE && b->ram_size == 64UL << 20 &&
	   (b->ram_pa + b->ram_size <= a->ram_pa ||
	    a->ram_pa + a->ram_size <= b->ram_pa),
	   "domU at GUEST_RAM_BASE, its RAM apart from dom0's");
	ok(maps(b, GUEST_RAM_BASE, b->ram_pa) &&
	   maps(b, GUEST_RAM_BASE + b->ram_size - SZ_4K,
		b->ram_pa + b->ram_size - SZ_4K) &&
	   !maps(b, GUEST_RAM_BASE + b->ram_size, b->ram_pa + b->ram_size),
	   "stage 2 maps all of domU's RAM, nothing after it");
	for (i = 0; i < a->nr_vcpus; i++)
		vcpus_ok &= a->vcpu[i]->d == a && a->vcpu[i]->id == i &&
			    a->vcpu[i]->block_until == SCHED_NO_DEADLINE &&
			    a->vgic.vcpu[i] == &a->vcpu[i]->vgic &&
			    a->vcpu[i]->vgic.nr_lr == 4;
	ok(vcpus_ok && a->nr_vcpus == 2 && a->vgic.nr_vcpus == 2,
	   "dom0's 2 vCPUs and their vGIC");
	ok(sched.nr == 3 && a->vcpu[0]->sched.state == VS_RUNNABLE &&
	   a->vcpu[1]->sched.state == VS_OFF &&
	   b->vcpu[0]->sched.state == VS_RUNNABLE,
	   "all 3 vCPUs queued; vCPU 0 runnable, the others wait for CPU_ON");
	ok(reset.v == b->vcpu[0] && reset.entry == GUEST_RAM_BASE + SZ_2M &&
	   reset.x0 == GUEST_RAM_BASE + 0x100000,
	   "vCPU 0 reset at the kernel entry, x0 = device tree");
	ok(xen_init[0].aware && xen_init[0].privileged && xen_init[0].page_ok &&
	   !xen_init[1].aware && !xen_init[1].privileged,
	   "Xen state: dom0 aware, privileged; domU neither; shared_info zeroed");
	ok(vdma_doms == BIT(0), "a DMA engine for the 1:1 domain only");
	ok(store_inits == 1, "only the Xen-aware domain is connected to xenstore");
	ok(vbd_inits == 2 && vbd_after_store,
	   "every domain's disks are published, after its xenstore connection");
	ok(vif_inits == 2 && vif_after_store,
	   "and its network interfaces, after its xenstore connection");
	ok(fdt_saw_vcpus, "its device tree is written once its vCPUs exist");

	c = cfg(0, "nostore", 1, 16UL << 20);
	c->xen_aware = true;
	c->no_xenstore = true;
	ok(build() == 0 && store_inits == 0,
	   "xen,enhanced = no-xenstore: no xenstore");
}

static void test_refused(void)
{
	static struct sched_ent others[SCHED_MAX_ENTS];
	int i;

	cfg(0, "fits", 1, 16UL << 20);
	cfg(1, "huge", 1, 4UL << 30);
	ok(build() == BAD_CONFIG &&
	   !strcmp(stop_msg, "huge: not enough free RAM for 4096 MiB") &&
	   !strcmp(domains[0]->name, "fits"),
	   "more RAM than is free: bad_config (%s)", stop_msg);

	memset(&sched, 0, sizeof(sched));
	for (i = 0; i < SCHED_MAX_ENTS - 2; i++)
		sched_add(&sched, &others[i], NULL);
	cfg(0, "fill", 2, 16UL << 20);
	ok(build_on(true) == 0 && sched.nr == SCHED_MAX_ENTS,
	   "vCPUs fill the run queue up to its %d entries", SCHED_MAX_ENTS);
	cfg(0, "many", 1, 16UL << 20);
	ok(build_on(true) == PANIC && strstr(stop_msg, "too many vCPUs in total"),
	   "one more vCPU: panic (%s)", stop_msg);

	cfg(0, "noxen", 1, 16UL << 20);
	xen_init_err = -XEN_ENOMEM;
	ok(build() == PANIC &&
	   strstr(stop_msg, "noxen: cannot set up its event channels"),
	   "Xen state cannot be set up: panic (%s)", stop_msg);
	xen_init_err = 0;

	cfg(0, "nostore", 1, 16UL << 20)->xen_aware = true;
	store_err = -XEN_ENOMEM;
	ok(build() == PANIC &&
	   strstr(stop_msg, "nostore: cannot connect it to xenstore"),
	   "xenstore cannot take it: panic (%s)", stop_msg);
	store_err = 0;

	cfg(0, "nodisk", 1, 16UL << 20)->xen_aware = true;
	vbd_err = -XEN_ENOMEM;
	ok(build() == PANIC &&
	   strstr(stop_msg, "nodisk: cannot publish its disks in xenstore"),
	   "its disks cannot be published: panic (%s)", stop_msg);
	vbd_err = 0;

	cfg(0, "nonet", 1, 16UL << 20)->xen_aware = true;
	vif_err = -XEN_ENOMEM;
	ok(build() == PANIC &&
	   strstr(stop_msg, "nonet: cannot publish its network interfaces in xenstore"),
	   "its network interfaces cannot be published: panic (%s)", stop_msg);
	vif_err = 0;

	cfg(0, "nofdt", 1, 16UL << 20);
	fdt_err = -1;
	ok(build() == PANIC && strstr(stop_msg, "nofdt: cannot build its device tree"),
	   "its device tree does not fit: panic (%s)", stop_msg);
	fdt_err = 0;
}

static int shutdown(struct domain *d, u32 reason)
{
	static int how;

	how = setjmp(stop_jmp);
	if (!how)
		domain_shutdown(d, reason);
	return how;
}

static void test_shutdown(void)
{
	struct domain *a, *b;
	int logs;

	cfg(0, "A", 3, 16UL << 20);
	cfg(1, "B", 1, 16UL << 20);
	build();
	a = domains[0];
	b = domains[1];
	a->vcpu[0]->sched.state = VS_RUNNING;	/* on CPU 1 */
	a->vcpu[0]->sched.pcpu = 1;
	a->vcpu[1]->sched.state = VS_RUNNING;	/* on this CPU */
	a->vcpu[1]->sched.pcpu = 0;
	a->vcpu[2]->sched.state = VS_RUNNABLE;
	a->vcpu[2]->pending_reset = true;
	kicked = 0;
	log_clear();
	ok(shutdown(a, SHUTDOWN_poweroff) == 0 && a->dead && !a->reboot &&
	   logged("A: powered off\n"), "poweroff: dead, logged");
	ok(a->vcpu[2]->sched.state == VS_OFF && !a->vcpu[2]->pending_reset,
	   "a vCPU not running: off, its CPU_ON forgotten");
	ok(a->vcpu[0]->sched.state == VS_RUNNING &&
	   a->vcpu[1]->sched.state == VS_RUNNING && kicked == BIT(1),
	   "running vCPUs go on; the other CPU is kicked, not this one");
	ok(!a->released && !destroys && !sched_lock.locked,
	   "not released while vCPUs still run");
	a->vcpu[0]->sched.state = VS_OFF;
	ok(!domain_release_due(a), "one vCPU still running: not due");
	a->vcpu[1]->sched.state = VS_OFF;
	ok(domain_release_due(a) && a->released, "none running: due");
	ok(!domain_release_due(a), "and not twice");
	domain_release(a);
	ok(store_releases == 1 && unmaps == 1 && destroys == 1 &&
	   virq == VIRQ_DOM_EXC,
	   "release: xenstore, grant maps, event channels, VIRQ_DOM_EXC");
	ok(vbd_releases == 1 && vbd_release_first,
	   "its disks are let go first, before xenstore, grants and ports");
	ok(vif_releases == 1 && vif_release_first,
	   "so are its network interfaces");
	logs = nr_logs;
	ok(shutdown(a, SHUTDOWN_crash) == 0 && nr_logs == logs && !a->reboot,
	   "shutting a dead domain down again: nothing");

	log_clear();
	ok(shutdown(b, SHUTDOWN_suspend) == POWER_OFF && !off_reboot &&
	   logged("B: crashed: domain destroyed\nno domain left: powering off\n"),
	   "the last domain ends (suspend: as a crash): the machine powers off");
	ok(b->dead && b->released && destroys == 2,
	   "released first, none of its vCPUs running");

	cfg(0, "C", 1, 16UL << 20);
	build();
	log_clear();
	ok(shutdown(domains[0], SHUTDOWN_reboot) == POWER_OFF && off_reboot &&
	   domains[0]->reboot && logged("C: reboot: domain destroyed\n"),
	   "the last one reboots: the machine resets");

	cfg(0, "D", 1, 16UL << 20);
	build();
	log_clear();
	ok(shutdown(domains[0], 99) == POWER_OFF && domains[0]->dead &&
	   logged("D: crashed: domain destroyed\n"),
	   "a reason out of range: a crash");
}

static void test_warn(void)
{
	struct domain *d;
	int i, n = 0, logs;

	cfg(0, "W", 1, 16UL << 20);
	build();
	d = domains[0];
	logs = nr_logs;
	for (i = 0; i < DOM_MAX_WARNS; i++)
		n += dom_warn_ok(d);
	ok(n == DOM_MAX_WARNS && nr_logs == logs, "16 faults logged");
	ok(!dom_warn_ok(d) && nr_logs == logs + 1 &&
	   logged("W: more faults, not logged\n"),
	   "the 17th not, with one line saying so");
	for (i = 0; i < 3; i++)
		n += dom_warn_ok(d);
	ok(n == DOM_MAX_WARNS && nr_logs == logs + 1, "then silence");
	now += DOM_WARN_SECS * FAKE_FREQ;
	ok(!dom_warn_ok(d), "still silent at the end of the window");
	now += 1;
	ok(dom_warn_ok(d) && logged("W: 5 more faults were not logged\n"),
	   "a new window: logged again, after how many were not");
	ok(!d->lock.locked && !lock_misuse, "locks taken and released in pairs");
}

int main(void)
{
	boot_cfg.ram[0].start = RAM_START;
	boot_cfg.ram[0].size = RAM_SIZE;
	boot_cfg.nr_ram = 1;
	mm_init(RAM_START + 0x123456);
	test_build();
	test_refused();
	test_shutdown();
	test_warn();
	return tap_done();
}
