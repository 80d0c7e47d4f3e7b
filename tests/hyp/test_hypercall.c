// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests: Xen hypercalls (hyp/core/hypercall.c and the families)
 * with a fake guest: its virtual addresses are host addresses inside
 * guest_va[] (the rest faults, a part of it is read-only), its RAM a host
 * buffer mapped by real stage-2 tables (core/s2.c).
 */
#include <minixen/guest_access.h>
#include <minixen/hyp.h>
#include <minixen/hypercall.h>
#include <minixen/physmap.h>
#include "tap.h"

#define RAM_IPA		0x40000000UL
#define RAM_SIZE	(4UL << 20)
#define RO_OFF		8192	/* guest_va[RO_OFF...] is read-only */

struct bootcfg boot_cfg;
struct domain *domains[MAX_DOMAINS];
u32 nr_domains;

static u8 guest_va[16384] __aligned(4096);
static char last_line[512];
static int nr_lines, shutdowns, flushes;
static u32 last_reason;
static u64 fake_now = 1000000;

void spin_lock(struct mx_lock *l)
{
	l->locked++;
}

void spin_unlock(struct mx_lock *l)
{
	l->locked--;
}

void console_write_line(const char *prefix, const char *s, size_t len)
{
	snprintf(last_line, sizeof(last_line), "%s%.*s", prefix, (int)len, s);
	nr_lines++;
}

static char last_log[256];

void mx_log(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_log, sizeof(last_log), fmt, ap);
	va_end(ap);
}

void domain_shutdown(struct domain *d, u32 reason)
{
	d->dead = true;
	last_reason = reason;
	shutdowns++;
}

u64 arch_now_ns(void)
{
	return fake_now;
}

void arch_s2_flush(struct domain *d)
{
	flushes++;
}

static int kicks[2];

void arch_evtchn_kick(struct vcpu *v)
{
	kicks[v->id]++;
}

void *hyp_try_alloc(u64 size, u64 align)
{
	void *p = aligned_alloc(align, size);

	memset(p, 0, size);
	return p;
}

static bool in_guest(u64 gva, size_t len, bool write)
{
	u64 lo = (u64)(uintptr_t)guest_va;

	if (gva < lo || len > sizeof(guest_va) || gva - lo > sizeof(guest_va) - len)
		return false;
	return !write || gva - lo + len <= RO_OFF;
}

int copy_from_guest(struct vcpu *v, void *dst, u64 gva, size_t len)
{
	if (!in_guest(gva, len, false))
		return -XEN_EFAULT;
	memcpy(dst, (void *)(uintptr_t)gva, len);
	return 0;
}

int copy_to_guest(struct vcpu *v, u64 gva, const void *src, size_t len)
{
	if (!in_guest(gva, len, true))
		return -XEN_EFAULT;
	memcpy((void *)(uintptr_t)gva, src, len);
	return 0;
}

static void *page_alloc(void *ctx)
{
	void *p = aligned_alloc(4096, 4096);

	memset(p, 0, 4096);
	return p;
}

static struct domain *mkdom(u32 id, const char *name, bool priv)
{
	struct domain *d = calloc(1, sizeof(*d));
	u32 i;

	d->id = id;
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->nr_vcpus = 2;
	d->ram_ipa = RAM_IPA;
	d->ram_size = RAM_SIZE;
	d->ram_pa = (u64)(uintptr_t)aligned_alloc(SZ_2M, RAM_SIZE);
	s2_init(&d->s2, page_alloc, NULL);
	s2_map(&d->s2, d->ram_ipa, d->ram_pa, d->ram_size, S2_RAM);
	for (i = 0; i < d->nr_vcpus; i++) {
		d->vcpu[i] = calloc(1, sizeof(struct vcpu));
		d->vcpu[i]->d = d;
		d->vcpu[i]->id = i;
		d->vcpu[i]->sched.state = VS_RUNNING;
	}
	if (xen_domain_init(d, page_alloc(NULL), true, priv))
		abort();
	domains[nr_domains++] = d;
	return d;
}

static struct hc_call call;

static long hc(struct vcpu *v, u64 nr, u64 a0, u64 a1, u64 a2)
{
	memset(&call, 0, sizeof(call));
	call.nr = nr;
	call.a[0] = a0;
	call.a[1] = a1;
	call.a[2] = a2;
	return hypercall(v, &call);
}

#define GVA(off)	((u64)(uintptr_t)(guest_va + (off)))
#define AT(type, off)	((type *)(guest_va + (off)))

static void test_version(struct vcpu *v)
{
	struct xen_feature_info *fi = AT(struct xen_feature_info, 64);

	ok(hc(v, 9999, 0, 0, 0) == -XEN_ENOSYS && hc(v, HC_NR, 0, 0, 0) == -XEN_ENOSYS &&
	   hc(v, ~0UL, 0, 0, 0) == -XEN_ENOSYS && hc(v, 13, 0, 0, 0) == -XEN_ENOSYS,
	   "unknown hypercalls (9999, 64, ~0, multicall): -ENOSYS");
	ok(hc(v, HC_xen_version, XENVER_version, 0, 0) == 0x40011, "XENVER_version 4.17");
	memset(guest_va, 'x', 32);
	ok(hc(v, HC_xen_version, XENVER_extraversion, GVA(0), 0) == 0 &&
	   !strcmp((char *)guest_va, ".0-minixen") && guest_va[15] == 0 && guest_va[16] == 'x',
	   "XENVER_extraversion: \".0-minixen\", NUL-padded to 16 bytes, no further");
	ok(hc(v, HC_xen_version, XENVER_extraversion, GVA(sizeof(guest_va) - 8), 0) ==
	   -XEN_EFAULT, "XENVER_extraversion running off the guest's memory: -EFAULT");
	ok(hc(v, HC_xen_version, XENVER_extraversion, GVA(RO_OFF), 0) == -XEN_EFAULT,
	   "XENVER_extraversion into read-only memory: -EFAULT");
	fi->submap_idx = 0;
	ok(hc(v, HC_xen_version, XENVER_get_features, GVA(64), 0) == 0 &&
	   (fi->submap & BIT(XENFEAT_auto_translated_physmap)) &&
	   (fi->submap & BIT(XENFEAT_not_direct_mapped)) &&
	   !(fi->submap & BIT(XENFEAT_dom0)),
	   "get_features: auto-translated, not direct-mapped, never dom0 (0x%x)", fi->submap);
	fi->submap_idx = 1;
	ok(hc(v, HC_xen_version, XENVER_get_features, GVA(64), 0) == -XEN_EINVAL,
	   "get_features submap 1: -EINVAL");
	ok(hc(v, HC_xen_version, XENVER_get_features, 0, 0) == -XEN_EFAULT,
	   "get_features NULL: -EFAULT");
	ok(hc(v, HC_xen_version, XENVER_pagesize, 0, 0) == 4096 &&
	   hc(v, HC_xen_version, XENVER_pagesize, GVA(0), 0) == -XEN_EINVAL,
	   "XENVER_pagesize: 4096, -EINVAL with a buffer");
	ok(hc(v, HC_xen_version, XENVER_commandline, GVA(0), 0) == 0 &&
	   !strcmp((char *)guest_va, "<denied>"), "commandline to a domU: <denied>");
	ok(hc(v, HC_xen_version, 1000, GVA(0), 0) == -XEN_ENOSYS, "XENVER 1000: -ENOSYS");
}

static void test_memory(struct domain *d, struct domain *other)
{
	struct vcpu *v = d->vcpu[0];
	struct xen_add_to_physmap *x = AT(struct xen_add_to_physmap, 0);
	struct xen_remove_from_physmap *r = AT(struct xen_remove_from_physmap, 64);
	struct xen_memory_reservation *res = AT(struct xen_memory_reservation, 128);
	struct xen_add_to_physmap_batch *b = AT(struct xen_add_to_physmap_batch, 256);
	u64 *gfns = AT(u64, 512), *idxs = AT(u64, 1024);
	s32 *errs = AT(s32, 1536);
	u64 shinfo = (u64)(uintptr_t)d->xen.shared_info;
	u64 win = GUEST_GNTTAB_BASE >> 12, ram = RAM_IPA >> 12;
	bool w;

	*x = (struct xen_add_to_physmap){ .domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info, .gpfn = win + 4095 };
	ok(hc(v, HC_memory_op, XENMEM_add_to_physmap, GVA(0), 0) == 0 &&
	   physmap_lookup(d, win + 4095, &w) == shinfo && w && d->xen.shinfo_gfn == win + 4095,
	   "add_to_physmap shared_info at the grant window's last frame");
	x->gpfn = ram + 5;
	ok(hc(v, HC_memory_op, XENMEM_add_to_physmap, GVA(0), 0) == 0 &&
	   physmap_lookup(d, ram + 5, NULL) == shinfo && !physmap_lookup(d, win + 4095, NULL),
	   "moved to a RAM frame: mapped there, the old frame a hole");
	x->gpfn = 0x10;
	ok(hc(v, HC_memory_op, XENMEM_add_to_physmap, GVA(0), 0) == -XEN_EINVAL,
	   "shared_info at gfn 0x10 (neither RAM nor the window): -EINVAL");
	x->gpfn = ~0UL;
	ok(hc(v, HC_memory_op, XENMEM_add_to_physmap, GVA(0), 0) == -XEN_EINVAL,
	   "shared_info at gfn ~0: -EINVAL");
	x->gpfn = ram + 6;
	x->idx = 1;
	ok(hc(v, HC_memory_op, XENMEM_add_to_physmap, GVA(0), 0) == -XEN_EINVAL,
	   "shared_info idx 1: -EINVAL");
	x->idx = GNT_MAX_FRAMES;
	x->space = XENMAPSPACE_grant_table;
	ok(hc(v, HC_memory_op, XENMEM_add_to_physmap, GVA(0), 0) == -XEN_EINVAL,
	   "grant frame %d of %d: -EINVAL", GNT_MAX_FRAMES, GNT_MAX_FRAMES);
	x->idx = 1UL << 31;	/* XENMAPIDX_grant_table_status: v2 only */
	ok(hc(v, HC_memory_op, XENMEM_add_to_physmap, GVA(0), 0) == -XEN_EINVAL,
	   "grant status frame (v1 has none): -EINVAL");
	x->idx = 0;
	x->space = XENMAPSPACE_gmfn_foreign;
	ok(hc(v, HC_memory_op, XENMEM_add_to_physmap, GVA(0), 0) == -XEN_ENOSYS,
	   "gmfn_foreign outside the batch op: -ENOSYS");
	x->space = XENMAPSPACE_shared_info;
	x->domid = other->id;
	ok(hc(v, HC_memory_op, XENMEM_add_to_physmap, GVA(0), 0) == -XEN_EPERM,
	   "add_to_physmap for another domain, unprivileged: -EPERM");
	x->domid = 77;
	ok(hc(v, HC_memory_op, XENMEM_add_to_physmap, GVA(0), 0) == -XEN_ESRCH,
	   "add_to_physmap for domain 77: -ESRCH");

	*r = (struct xen_remove_from_physmap){ .domid = DOMID_SELF, .gpfn = ram + 5 };
	ok(hc(v, HC_memory_op, XENMEM_remove_from_physmap, GVA(64), 0) == 0 &&
	   d->xen.shinfo_gfn == XEN_NO_GFN && !physmap_lookup(d, ram + 5, NULL),
	   "remove_from_physmap shared_info");
	ok(hc(v, HC_memory_op, XENMEM_remove_from_physmap, GVA(64), 0) == -XEN_ENOENT,
	   "remove_from_physmap again: -ENOENT");

	gfns[0] = ram + 7;
	gfns[1] = ram + 8;
	gfns[2] = 0x10;
	*res = (struct xen_memory_reservation){ .extent_start = GVA(512),
		.nr_extents = 3, .domid = DOMID_SELF };
	ok(hc(v, HC_memory_op, XENMEM_decrease_reservation, GVA(128), 0) == 2 &&
	   !physmap_lookup(d, ram + 7, NULL) && !physmap_lookup(d, ram + 8, NULL),
	   "decrease_reservation: 2 RAM frames given back, stops at gfn 0x10");
	ok(hc(v, HC_memory_op, XENMEM_populate_physmap, GVA(128), 0) == 2 &&
	   physmap_lookup(d, ram + 8, NULL) == d->ram_pa + 8 * 4096,
	   "populate_physmap: the same frames back, with their own pages");
	ok(hc(v, HC_memory_op, XENMEM_populate_physmap, GVA(128), 0) == 0,
	   "populate_physmap of frames still there: 0 done");
	res->extent_order = 9;
	ok(hc(v, HC_memory_op, XENMEM_decrease_reservation, GVA(128), 0) == 0,
	   "extent_order 9: 0 done");
	res->extent_order = 0;
	res->nr_extents = ~0UL;
	res->extent_start = GVA(sizeof(guest_va) - 16);
	ok(hc(v, HC_memory_op, XENMEM_populate_physmap, GVA(128), 0) == 0,
	   "~0 extents from the end of guest memory: stops at once");

	*b = (struct xen_add_to_physmap_batch){ .domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info, .size = 2,
		.idxs = GVA(1024), .gpfns = GVA(512), .errs = GVA(1536) };
	idxs[0] = 0;
	idxs[1] = 3;
	gfns[0] = ram + 9;
	gfns[1] = ram + 10;
	errs[0] = errs[1] = 12345;
	ok(hc(v, HC_memory_op, XENMEM_add_to_physmap_batch, GVA(256), 0) == 0 &&
	   errs[0] == 0 && errs[1] == -XEN_EINVAL,
	   "add_to_physmap_batch: per-entry results in errs[]");
	b->size = 60000;
	ok(hc(v, HC_memory_op, XENMEM_add_to_physmap_batch, GVA(256), 0) == -XEN_EINVAL,
	   "add_to_physmap_batch of 60000: -EINVAL");
	b->space = XENMAPSPACE_gmfn_foreign;
	ok(hc(v, HC_memory_op, XENMEM_add_to_physmap_batch, GVA(256), 0) == -XEN_EPERM,
	   "gmfn_foreign, unprivileged: -EPERM");
	ok(hc(v, HC_memory_op, 99, GVA(0), 0) == -XEN_ENOSYS, "memory_op 99: -ENOSYS");
}

static void test_vcpu(struct domain *d)
{
	struct vcpu *v = d->vcpu[0], *v1 = d->vcpu[1];
	struct vcpu_register_vcpu_info *ri = AT(struct vcpu_register_vcpu_info, 0);
	u64 *area = AT(u64, 64);
	struct vcpu_runstate_info *rs = AT(struct vcpu_runstate_info, 128);
	u64 ram = RAM_IPA >> 12;

	*ri = (struct vcpu_register_vcpu_info){ .mfn = ram + 20, .offset = 4096 - 48 };
	((struct xen_vcpu_info *)d->xen.shared_info)->evtchn_upcall_mask = 1;
	ok(hc(v, HC_vcpu_op, VCPUOP_register_vcpu_info, 0, GVA(0)) == 0 &&
	   v->xen.vcpu_info == (void *)(uintptr_t)(d->ram_pa + 21 * 4096 - 48) &&
	   v->xen.vcpu_info->evtchn_upcall_pending && v->xen.vcpu_info->evtchn_upcall_mask,
	   "register_vcpu_info at the end of a RAM page: copied, pending set");
	ok(hc(v, HC_vcpu_op, VCPUOP_register_vcpu_info, 0, GVA(0)) == -XEN_EINVAL,
	   "register_vcpu_info twice: -EINVAL");
	ri->offset = 4096 - 47;
	ok(hc(v1, HC_vcpu_op, VCPUOP_register_vcpu_info, 1, GVA(0)) == -XEN_EINVAL,
	   "vcpu_info crossing a page: -EINVAL");
	ri->offset = 0;
	ri->mfn = 0x10;
	ok(hc(v1, HC_vcpu_op, VCPUOP_register_vcpu_info, 1, GVA(0)) == -XEN_EINVAL,
	   "vcpu_info at an unmapped frame: -EINVAL");
	ri->mfn = ~0UL >> 12;
	ok(hc(v1, HC_vcpu_op, VCPUOP_register_vcpu_info, 1, GVA(0)) == -XEN_EINVAL,
	   "vcpu_info at a huge frame: -EINVAL");
	ri->mfn = ram + 21;
	ok(hc(v, HC_vcpu_op, VCPUOP_register_vcpu_info, 1, GVA(0)) == -XEN_EINVAL,
	   "vcpu_info for another running vCPU: -EINVAL");
	ok(hc(v, HC_vcpu_op, VCPUOP_register_vcpu_info, 2, GVA(0)) == -XEN_ENOENT &&
	   hc(v, HC_vcpu_op, VCPUOP_register_vcpu_info, 1UL << 32, GVA(0)) == -XEN_EINVAL,
	   "vCPU 2 of 2: -ENOENT (vcpuid is 32 bits: 1 << 32 is vCPU 0)");
	ok(hc(v, HC_vcpu_op, VCPUOP_is_up, 0, 0) == -XEN_EINVAL &&
	   hc(v, HC_vcpu_op, VCPUOP_up, 1, 0) == -XEN_EINVAL,
	   "is_up, up: -EINVAL as on Xen/arm");
	*area = GVA(128);
	xen_runstate_set(v, RUNSTATE_running, 5000);
	ok(hc(v, HC_vcpu_op, VCPUOP_register_runstate_memory_area, 0, GVA(64)) == 0 &&
	   rs->state == RUNSTATE_running && rs->state_entry_time == 5000,
	   "register_runstate_memory_area: written at once");
	xen_runstate_set(v, RUNSTATE_blocked, 7000);
	xen_runstate_publish(v);
	ok(rs->state == RUNSTATE_blocked && rs->time[RUNSTATE_running] >= 2000,
	   "runstate updated: blocked, time running accounted");
	*area = GVA(RO_OFF);
	ok(hc(v, HC_vcpu_op, VCPUOP_register_runstate_memory_area, 0, GVA(64)) == 0,
	   "a read-only runstate area is the guest's problem: 0, as Xen");
	*area = 0;
	hc(v, HC_vcpu_op, VCPUOP_register_runstate_memory_area, 0, GVA(64));
}

static void test_hvm_sched_console(struct domain *d, struct domain *other)
{
	struct vcpu *v = d->vcpu[0];
	struct xen_hvm_param *p = AT(struct xen_hvm_param, 0);
	struct sched_poll *poll = AT(struct sched_poll, 64);
	struct sched_shutdown *s = AT(struct sched_shutdown, 128);
	struct sched_remote_shutdown *rsd = AT(struct sched_remote_shutdown, 192);
	char *text = (char *)guest_va + 1024;

	xen_param_set(d, HVM_PARAM_STORE_PFN, 0x39000);
	*p = (struct xen_hvm_param){ .domid = DOMID_SELF, .index = HVM_PARAM_STORE_PFN };
	ok(hc(v, HC_hvm_op, HVMOP_get_param, GVA(0), 0) == 0 && p->value == 0x39000,
	   "get_param STORE_PFN");
	ok(hc(v, HC_hvm_op, HVMOP_set_param, GVA(0), 0) == -XEN_EPERM,
	   "set_param STORE_PFN (minixen's own): -EPERM");
	p->index = HVM_PARAM_CALLBACK_IRQ;
	p->value = 5;
	ok(hc(v, HC_hvm_op, HVMOP_set_param, GVA(0), 0) == 0 &&
	   xen_param_get(d, HVM_PARAM_CALLBACK_IRQ) == 5, "set_param CALLBACK_IRQ");
	p->index = HVM_NR_PARAMS;
	ok(hc(v, HC_hvm_op, HVMOP_get_param, GVA(0), 0) == -XEN_EINVAL,
	   "get_param %d: -EINVAL", HVM_NR_PARAMS);
	p->index = 1;
	p->domid = other->id;
	ok(hc(v, HC_hvm_op, HVMOP_get_param, GVA(0), 0) == -XEN_EPERM,
	   "get_param of another domain, unprivileged: -EPERM");
	ok(hc(v, HC_hvm_op, 7, GVA(0), 0) == -XEN_ENOSYS, "hvm_op 7: -ENOSYS");

	ok(hc(v, HC_sched_op, SCHEDOP_yield, 0, 0) == 0 && call.next == HC_YIELD, "yield");
	ok(hc(v, HC_sched_op, SCHEDOP_block, 0, 0) == 0 && call.next == HC_BLOCK, "block");
	*poll = (struct sched_poll){ .nr_ports = 0, .timeout = fake_now - 1 };
	ok(hc(v, HC_sched_op, SCHEDOP_poll, GVA(64), 0) == 0 && call.next == HC_RETURN,
	   "poll with a timeout already passed returns");
	poll->timeout = fake_now + 500;
	ok(hc(v, HC_sched_op, SCHEDOP_poll, GVA(64), 0) == 0 && call.next == HC_BLOCK &&
	   call.wake_ns == fake_now + 500, "poll blocks until its timeout");
	poll->nr_ports = 129;
	ok(hc(v, HC_sched_op, SCHEDOP_poll, GVA(64), 0) == -XEN_EINVAL, "poll 129 ports: -EINVAL");
	poll->nr_ports = 1;
	poll->ports = GVA(RO_OFF);
	*AT(u32, RO_OFF) = EVTCHN_NR_PORTS;
	ok(hc(v, HC_sched_op, SCHEDOP_poll, GVA(64), 0) == -XEN_EINVAL,
	   "poll on port %d (of %d): -EINVAL", EVTCHN_NR_PORTS, EVTCHN_NR_PORTS);
	poll->ports = 8;
	ok(hc(v, HC_sched_op, SCHEDOP_poll, GVA(64), 0) == -XEN_EFAULT, "poll, bad ports: -EFAULT");
	*rsd = (struct sched_remote_shutdown){ .domain_id = other->id };
	ok(hc(v, HC_sched_op, SCHEDOP_remote_shutdown, GVA(192), 0) == -XEN_EPERM && !shutdowns,
	   "remote_shutdown, unprivileged: -EPERM");
	s->reason = SHUTDOWN_suspend;
	ok(hc(v, HC_sched_op, SCHEDOP_shutdown, GVA(128), 0) == 1 && !shutdowns,
	   "shutdown(suspend): 1, cancelled");
	s->reason = 77;
	ok(hc(v, HC_sched_op, SCHEDOP_shutdown, GVA(128), 0) == -XEN_EINVAL && !shutdowns,
	   "shutdown(77): -EINVAL");
	ok(hc(v, HC_sched_op, 99, 0, 0) == -XEN_ENOSYS, "sched_op 99: -ENOSYS");

	memcpy(text, "hello\nwor", 9);
	ok(hc(v, HC_console_io, CONSOLEIO_write, 9, GVA(1024)) == 0 &&
	   !strcmp(last_line, "(domA) hello") && nr_lines == 1,
	   "console_io write: one line \"(domA) hello\", the rest held");
	memcpy(text, "ld\n", 3);
	ok(hc(v, HC_console_io, CONSOLEIO_write, 3, GVA(1024)) == 0 &&
	   !strcmp(last_line, "(domA) world"), "console_io: the line completed");
	ok(hc(v, HC_console_io, CONSOLEIO_write, 0xffffffffUL, GVA(sizeof(guest_va) - 200)) ==
	   -XEN_EFAULT, "console_io of 4 GiB from near the end of memory: -EFAULT");
	ok(hc(v, HC_console_io, CONSOLEIO_write | (1UL << 32), 0, 0) == 0,
	   "console_io: cmd is 32 bits");
	ok(hc(v, HC_console_io, CONSOLEIO_read, 16, GVA(0)) == 0 &&
	   hc(v, HC_console_io, 5, 0, 0) == -XEN_ENOSYS, "console_io read: 0; cmd 5: -ENOSYS");

	s->reason = SHUTDOWN_crash;
	ok(hc(v, HC_sched_op, SCHEDOP_shutdown, GVA(128), 0) == 0 && call.next == HC_OFF &&
	   shutdowns == 1 && last_reason == SHUTDOWN_crash && d->dead,
	   "shutdown(crash) ends the domain");
	other->xen.privileged = true;
	rsd->domain_id = d->id;
	rsd->reason = SHUTDOWN_poweroff;
	ok(hc(other->vcpu[0], HC_sched_op, SCHEDOP_remote_shutdown, GVA(192), 0) == 0 &&
	   call.next == HC_RETURN && shutdowns == 2 && last_reason == SHUTDOWN_poweroff,
	   "remote_shutdown by the privileged domain");
	rsd->domain_id = 77;
	ok(hc(other->vcpu[0], HC_sched_op, SCHEDOP_remote_shutdown, GVA(192), 0) == -XEN_ESRCH,
	   "remote_shutdown of domain 77: -ESRCH");
}

static void test_evtchn_ppi(void)
{
	struct vgic_vcpu vc[2], *vp[2] = { &vc[0], &vc[1] };
	struct vgic g;
	u32 kick;

	memset(vc, 0, sizeof(vc));
	vgic_init(&g, 2, vp, 4);
	vgic_redist_write(&g, VGIC_GICR_STRIDE + 0x10000 + 0x100, 4, 1U << GUEST_EVTCHN_PPI);
	kick = vgic_inject(&g, 1, GUEST_EVTCHN_PPI);
	ok(kick == 2 && vgic_has_pending(&g, 1) && !vgic_has_pending(&g, 0),
	   "event PPI 31 raised on vCPU 1 only, which is kicked");
}

int main(void)
{
	struct domain *a, *b;

	xen_abi_init();
	a = mkdom(1, "domA", false);
	b = mkdom(2, "domB", false);

	test_version(a->vcpu[0]);
	test_memory(a, b);
	test_vcpu(a);
	test_hvm_sched_console(a, b);
	test_evtchn_ppi();
	ok(!p2m_lock(a)->locked && !a->lock.locked && !p2m_lock(b)->locked &&
	   !a->xen.evtchn.lock.locked && !b->xen.evtchn.lock.locked,
	   "no lock left held");
	return tap_done();
}
