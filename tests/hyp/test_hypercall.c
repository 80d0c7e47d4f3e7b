// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests: Xen hypercalls (hyp/core/hypercall.c and the families)
 * with a fake guest: its virtual addresses are host addresses inside
 * guest_va[] (the rest faults, a part of it is read-only), its RAM a host
 * buffer mapped by real stage-2 tables (arch/arm64/s2.c).
 */
#include <minixen/bootcfg.h>
#include <minixen/conring.h>
#include <minixen/domain.h>
#include <minixen/guest_access.h>
#include <minixen/guest_atomic.h>
#include <minixen/hypercall.h>
#include <minixen/mm.h>
#include <minixen/physmap.h>
#include <minixen/vcpu.h>
#include <minixen/xen_store.h>
#include <minixen/xenstore.h>
#include "../../hyp/core/xen_store_priv.h"
#include "fake_xen.h"
#include "tap.h"

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
	errs[0] = 12345;
	errs[1] = 12345;
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
	ok(!xen_upcall_pending(v1) &&
	   hc(v, HC_vcpu_op, VCPUOP_register_vcpu_info, 0, GVA(0)) == 0 &&
	   v->xen.vcpu_info == (void *)(uintptr_t)(d->ram_pa + 21 * 4096 - 48) &&
	   v->xen.vcpu_info->evtchn_upcall_pending && v->xen.vcpu_info->evtchn_upcall_mask,
	   "register_vcpu_info at the end of a RAM page: copied, pending set");
	ok(kicks[d->id][0] == 1 && xen_upcall_pending(v) &&
	   d->xen.evtchn.vcpu[0].info == (void *)v->xen.vcpu_info,
	   "events go to the new vcpu_info; its PPI raised, level high");
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
	v->pstate = 0x3c5;	/* EL1h, DAIF masked: as Linux polls */
	*poll = (struct sched_poll){ .nr_ports = 0, .timeout = fake_now - 1 };
	ok(hc(v, HC_sched_op, SCHEDOP_poll, GVA(64), 0) == 0 && call.next == HC_RETURN,
	   "poll with a timeout already passed returns");
	poll->timeout = fake_now + 500;
	ok(hc(v, HC_sched_op, SCHEDOP_poll, GVA(64), 0) == 0 && call.next == HC_POLL &&
	   call.wake_ns == fake_now + 500 && xen_polling(v), "poll blocks until its timeout");
	xen_poll_end(v);
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
	vgic_flush(&g, 1);
	vgic_ppi_level(&g, 1, GUEST_EVTCHN_PPI);
	ok(vc[1].lr[0] && !vc[1].priv[GUEST_EVTCHN_PPI].pending,
	   "level high while a list register holds the PPI: not raised twice");
	vc[1].lr[0] &= ~LR_STATE;	/* the guest took and EOIed it */
	vgic_sync(&g, 1);
	ok(!vgic_has_pending(&g, 1), "after the EOI nothing is pending");
	vgic_ppi_level(&g, 1, GUEST_EVTCHN_PPI);
	ok(vgic_has_pending(&g, 1), "level still high after the EOI: raised again");
	vgic_ppi_level(&g, 1, 7);
	vgic_ppi_level(&g, 2, GUEST_EVTCHN_PPI);
	ok(!vc[0].priv[7].pending && !vc[1].priv[7].pending,
	   "SGIs and vCPUs that do not exist: ignored");
}

/* EVTCHNOP_* through the hypercall: a channel between domC and domD. */
static void test_evtchn_hc(struct domain *c, struct domain *e)
{
	struct vcpu *vc = c->vcpu[0], *ve = e->vcpu[0];
	struct evtchn_alloc_unbound *au = AT(struct evtchn_alloc_unbound, 2048);
	struct evtchn_bind_interdomain *bi = AT(struct evtchn_bind_interdomain, 2112);
	struct evtchn_send *sd = AT(struct evtchn_send, 2176);
	struct evtchn_status *st = AT(struct evtchn_status, 2240);
	struct sched_poll *poll = AT(struct sched_poll, 2304);
	struct shared_info_arm64 *es = e->xen.shared_info;
	u32 pc, pe;
	int k, w;

	*au = (struct evtchn_alloc_unbound){ .dom = DOMID_SELF, .remote_dom = e->id };
	ok(EVTCHN(vc, EVTCHNOP_alloc_unbound, 2048) == 0 && au->port > 0,
	   "alloc_unbound for domD: the port is copied back (%u)", au->port);
	pc = au->port;
	*bi = (struct evtchn_bind_interdomain){ .remote_dom = c->id, .remote_port = pc };
	ok(EVTCHN(ve, EVTCHNOP_bind_interdomain, 2112) == 0 && bi->local_port > 0,
	   "domD binds to it: its port is copied back (%u)", bi->local_port);
	pe = bi->local_port;
	port_clear(e, pe);
	k = kicks[e->id][0];
	sd->port = pc;
	ok(EVTCHN(vc, EVTCHNOP_send, 2176) == 0 && port_pending(e, pe) &&
	   es->vcpu_info[0].evtchn_upcall_pending &&
	   es->vcpu_info[0].evtchn_pending_sel == BIT(pe / 64) &&
	   kicks[e->id][0] == k + 1 && xen_upcall_pending(ve),
	   "send from domC: pending in domD's shared_info, selector, upcall, PPI");
	*poll = (struct sched_poll){ .ports = GVA(2176), .nr_ports = 1 };
	ve->pstate = 0x3c5;
	sd->port = pe;
	ok(hc(ve, HC_sched_op, SCHEDOP_poll, GVA(2304), 0) == 0 && call.next == HC_RETURN,
	   "poll on the pending port returns at once");
	port_clear(e, pe);
	ok(hc(ve, HC_sched_op, SCHEDOP_poll, GVA(2304), 0) == 0 && call.next == HC_POLL &&
	   xen_polling(ve), "poll on it once it is clear blocks");
	w = wakes[e->id][0];
	*AT(struct evtchn_bind_ipi, 2400) = (struct evtchn_bind_ipi){ .vcpu = 0 };
	ok(EVTCHN(ve, EVTCHNOP_bind_ipi, 2400) == 0 &&
	   (sd->port = AT(struct evtchn_bind_ipi, 2400)->port) &&
	   EVTCHN(ve, EVTCHNOP_send, 2176) == 0 && port_pending(e, sd->port) &&
	   xen_polling(ve) && wakes[e->id][0] == w,
	   "an event on a port it does not poll: the poll goes on, no wake");
	sd->port = pc;
	ok(EVTCHN(vc, EVTCHNOP_send, 2176) == 0 && !xen_polling(ve) &&
	   wakes[e->id][0] == w + 1, "domC sends on its port: the poll ends, domD woken");
	port_clear(e, pe);
	sd->port = pe;
	ve->pstate &= ~0x80UL;
	es->vcpu_info[0].evtchn_upcall_pending = 1;
	ok(xen_upcall_pending(ve) &&
	   hc(ve, HC_sched_op, SCHEDOP_poll, GVA(2304), 0) == 0 && call.next == HC_RETURN &&
	   !xen_polling(ve), "IRQs unmasked and an upcall pending: returns at once (Xen)");
	ve->pstate |= 0x80UL;
	ok(hc(ve, HC_sched_op, SCHEDOP_poll, GVA(2304), 0) == 0 && call.next == HC_POLL &&
	   xen_polling(ve), "the same with IRQs masked: it polls");
	xen_poll_end(ve);
	port_clear(e, pe);
	*st = (struct evtchn_status){ .dom = DOMID_SELF, .port = pe };
	ok(EVTCHN(ve, EVTCHNOP_status, 2240) == 0 && st->status == EVTCHNSTAT_interdomain &&
	   st->u.interdomain.dom == c->id && st->u.interdomain.port == pc,
	   "status, copied back: interdomain to domC's port");
	*AT(struct evtchn_send, RO_OFF + 64) = (struct evtchn_send){ .port = pc };
	ok(EVTCHN(vc, EVTCHNOP_send, RO_OFF + 64) == 0 && port_pending(e, pe),
	   "send with its argument in read-only memory: 0, nothing written back");
	*AT(struct evtchn_alloc_unbound, RO_OFF + 128) = *au;
	ok(EVTCHN(vc, EVTCHNOP_alloc_unbound, RO_OFF + 128) == -XEN_EFAULT,
	   "alloc_unbound with its argument in read-only memory: -EFAULT");
	ok(hc(vc, HC_event_channel_op, EVTCHNOP_send, 8, 0) == -XEN_EFAULT &&
	   hc(vc, HC_event_channel_op, EVTCHNOP_send, GVA(sizeof(guest_va) - 2), 0) ==
	   -XEN_EFAULT, "bad pointers: -EFAULT");
	ok(EVTCHN(vc, 99, 2048) == -XEN_ENOSYS && EVTCHN(vc, EVTCHNOP_init_control, 2048) ==
	   -XEN_ENOSYS, "EVTCHNOP 99, init_control (FIFO): -ENOSYS");

	/* A guest keeping its words busy: the event is lost, the domain ends. */
	port_clear(e, pe);
	guest_atomic_fail = 1;
	sd->port = pc;
	ok(EVTCHN(vc, EVTCHNOP_send, 2176) == 0 && e->dead &&
	   last_reason == SHUTDOWN_crash && strstr(last_log, "domD") &&
	   strstr(last_log, "hostile"),
	   "a word domD keeps busy: domD crashed with one line, the sender goes on");
	e->dead = false;
	guest_atomic_fail = 0;
	ok(!EVTCHN(vc, EVTCHNOP_send, 2176) && port_pending(e, pe),
	   "the next send delivers");
}

#define GNTTAB(v, cmd, off, n)	hc(v, HC_grant_table_op, cmd, GVA(off), n)
#define MEMOP(v, cmd, off)	hc(v, HC_memory_op, cmd, GVA(off), 0)

/*
 * Grant tables through the hypercalls: domD maps its grant frames and
 * grants a page to domC, which maps it with a real stage-2 mapping.
 */
static void test_grant_hc(struct domain *c, struct domain *e)
{
	struct vcpu *vc = c->vcpu[0], *ve = e->vcpu[0];
	struct xen_add_to_physmap *x = AT(struct xen_add_to_physmap, 2048);
	struct gnttab_setup_table *stp = AT(struct gnttab_setup_table, 2112);
	u64 *frames = AT(u64, 2176);
	struct gnttab_unmap_grant_ref *u = AT(struct gnttab_unmap_grant_ref, 2560);
	struct xen_remove_from_physmap *r = AT(struct xen_remove_from_physmap, 2624);
	struct xen_memory_reservation *res = AT(struct xen_memory_reservation, 2688);
	struct gnttab_map_grant_ref *m = AT(struct gnttab_map_grant_ref, 4096);
	u64 win = GUEST_GNTTAB_BASE >> 12, ram = RAM_IPA >> 12, fpa = 0;
	u64 epage = e->ram_pa + 40 * 4096, cpage = c->ram_pa + 30 * 4096;
	struct grant_entry_v1 *ge;
	struct hc_call cont;
	bool w = false;
	void *va = NULL;

	*x = (struct xen_add_to_physmap){ .domid = DOMID_SELF,
		.space = XENMAPSPACE_grant_table, .idx = 0, .gpfn = win };
	ok(MEMOP(ve, XENMEM_add_to_physmap, 2048) == 0 &&
	   !gnt_frame_pa(&e->xen.gnt, 0, &fpa) && physmap_lookup(e, win, &w) == fpa && w,
	   "grant frame 0 mapped, writable, in the grant window");
	x->gpfn = win + 1;
	ok(MEMOP(ve, XENMEM_add_to_physmap, 2048) == 0 &&
	   physmap_lookup(e, win + 1, NULL) == fpa && !physmap_lookup(e, win, NULL),
	   "moved to the next frame: the old one is a hole");
	x->idx = 3;
	x->gpfn = win + 3;
	ok(MEMOP(ve, XENMEM_add_to_physmap, 2048) == 0 && e->xen.gnt.nr_frames == 4,
	   "frame 3: the table grows to 4 frames");
	*stp = (struct gnttab_setup_table){ .dom = DOMID_SELF, .nr_frames = 4,
		.frame_list = GVA(2176) };
	ok(GNTTAB(ve, GNTTABOP_setup_table, 2112, 1) == 0 && stp->status == GNTST_okay &&
	   frames[0] == win + 1 && frames[3] == win + 3,
	   "setup_table: the frames where the guest put them");

	ge = (struct grant_entry_v1 *)(uintptr_t)fpa + 8;
	ge->domid = c->id;
	ge->frame = ram + 40;
	ge->flags = GTF_permit_access;
	*m = (struct gnttab_map_grant_ref){ .host_addr = (ram + 30) << 12,
		.flags = GNTMAP_host_map, .ref = 8, .dom = e->id };
	ok(GNTTAB(vc, GNTTABOP_map_grant_ref, 4096, 1) == 0 && call.next == HC_RETURN &&
	   m->status == GNTST_okay && m->dev_bus_addr == epage &&
	   physmap_lookup(c, ram + 30, &w) == epage && w,
	   "domC maps domD's grant: its host_addr maps domD's page, dev_bus_addr its machine address");
	ok((ge->flags & (GTF_reading | GTF_writing)) == (GTF_reading | GTF_writing),
	   "the entry shows GTF_reading and GTF_writing");
	*r = (struct xen_remove_from_physmap){ .domid = DOMID_SELF, .gpfn = ram + 40 };
	ok(MEMOP(ve, XENMEM_remove_from_physmap, 2624) == -XEN_EBUSY &&
	   physmap_lookup(e, ram + 40, NULL) == epage,
	   "domD cannot remove the frame domC maps: -EBUSY");
	frames[0] = ram + 40;
	*res = (struct xen_memory_reservation){ .extent_start = GVA(2176),
		.nr_extents = 1, .domid = DOMID_SELF };
	ok(MEMOP(ve, XENMEM_decrease_reservation, 2688) == 0 &&
	   physmap_lookup(e, ram + 40, NULL) == epage,
	   "nor balloon it out: 0 extents done");
	r->gpfn = ram + 30;
	ok(MEMOP(vc, XENMEM_remove_from_physmap, 2624) == -XEN_EBUSY &&
	   physmap_lookup(c, ram + 30, NULL) == epage,
	   "domC cannot remove_from_physmap a grant mapping: -EBUSY");
	*x = (struct xen_add_to_physmap){ .domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info, .gpfn = ram + 30 };
	ok(MEMOP(vc, XENMEM_add_to_physmap, 2048) == -XEN_EBUSY &&
	   physmap_lookup(c, ram + 30, NULL) == epage,
	   "nor put shared_info over it: -EBUSY");

	*u = (struct gnttab_unmap_grant_ref){ .host_addr = (ram + 30) << 12,
		.handle = m->handle };
	ok(GNTTAB(vc, GNTTABOP_unmap_grant_ref, 2560, 1) == 0 && u->status == GNTST_okay &&
	   physmap_lookup(c, ram + 30, NULL) == cpage &&
	   !(ge->flags & (GTF_reading | GTF_writing)),
	   "unmap: domC's own page is back at host_addr, the pins are gone");
	guest_atomic_fail = 1;
	m->status = 99;
	ok(GNTTAB(vc, GNTTABOP_map_grant_ref, 4096, 1) == 0 &&
	   m->status == GNTST_general_error && !guest_atomic_fail &&
	   !(ge->flags & (GTF_reading | GTF_writing)) &&
	   physmap_lookup(c, ram + 30, NULL) == cpage,
	   "an entry its granter keeps busy: general_error, nothing pinned or mapped");
	guest_atomic_fail = 0;
	r->gpfn = ram + 40;
	ok(MEMOP(ve, XENMEM_remove_from_physmap, 2624) == 0,
	   "then domD may remove its frame");
	ge[1] = (struct grant_entry_v1){ .flags = GTF_permit_access,
		.domid = DOMID_XEN, .frame = ram + 41 };
	r->gpfn = ram + 41;
	ok(gnt_pin(&e->xen.gnt, 9, false, &va) == GNTST_okay &&
	   va == (void *)(uintptr_t)(epage + 4096) &&
	   MEMOP(ve, XENMEM_remove_from_physmap, 2624) == -XEN_EBUSY &&
	   physmap_lookup(e, ram + 41, NULL) == epage + 4096,
	   "a frame minixen pins for a backend cannot be removed: -EBUSY");
	gnt_unpin(&e->xen.gnt, 9, false);
	ok(!(ge[1].flags & (GTF_reading | GTF_writing)) &&
	   MEMOP(ve, XENMEM_remove_from_physmap, 2624) == 0,
	   "unpinned, it can");

	memset(m, 0, 100 * sizeof(*m));		/* flags 0: GNTST_bad_gntref */
	ok(GNTTAB(vc, GNTTABOP_map_grant_ref, 4096, 100) == 0 && call.next == HC_CONTINUE &&
	   call.a[0] == GNTTABOP_map_grant_ref && call.a[1] == GVA(4096) + GNT_BATCH * sizeof(*m) &&
	   call.a[2] == 100 - GNT_BATCH && m[GNT_BATCH - 1].status == GNTST_bad_gntref &&
	   !m[GNT_BATCH].status,
	   "100 maps: %d done, then continued with uop advanced, %d left", GNT_BATCH,
	   100 - GNT_BATCH);
	cont = call;
	ok(hc(vc, HC_grant_table_op, cont.a[0], cont.a[1], cont.a[2]) == 0 &&
	   call.next == HC_RETURN && m[99].status == GNTST_bad_gntref,
	   "the continuation does the rest");
	ok(GNTTAB(vc, GNTTABOP_map_grant_ref, 4096, 1UL << 31) == -XEN_EINVAL &&
	   GNTTAB(vc, 99, 4096, 1) == -XEN_ENOSYS &&
	   GNTTAB(vc, GNTTABOP_map_grant_ref, RO_OFF + 8192, 1) == -XEN_EFAULT,
	   "count 2^31: -EINVAL; op 99: -ENOSYS; a bad pointer: -EFAULT");
}

static void test_store(struct domain *z, struct domain *e)
{
	struct xen_hvm_param *p = AT(struct xen_hvm_param, 0);
	u32 zport, eport;
	char buf[64];

	ok(xen_store_domain_init(z) == 0 && xen_store_domain_init(e) == 0,
	   "xenstore: domains 0 and %u connected", e->id);
	ok(xen_store_domain_init(e) == -XEN_EINVAL, "connecting a domain twice: -EINVAL");
	*p = (struct xen_hvm_param){ .domid = DOMID_SELF, .index = HVM_PARAM_STORE_PFN };
	ok(hc(e->vcpu[0], HC_hvm_op, HVMOP_get_param, GVA(0), 0) == 0 &&
	   p->value == 0x39001, "get_param STORE_PFN: 0x39001, in Xen's magic pages");
	p->index = HVM_PARAM_STORE_EVTCHN;
	eport = hc(e->vcpu[0], HC_hvm_op, HVMOP_get_param, GVA(0), 0) ? 0 : p->value;
	zport = xen_param_get(z, HVM_PARAM_STORE_EVTCHN);
	ok(eport > 0 && eport < EVTCHN_NR_PORTS && zport > 0 &&
	   e->xen.evtchn.port[eport].state == ECS_INTERDOMAIN &&
	   e->xen.evtchn.port[eport].remote_dom == DOMID_XEN,
	   "get_param STORE_EVTCHN: port %u, a channel to minixen", eport);
	ok(store_ring(e) && store_ring(e) != store_ring(z) &&
	   !physmap_pa_is_ram(e, (u64)(uintptr_t)store_ring(e)) &&
	   store_ring(e)->connection == XENSTORE_CONNECTED,
	   "ring page mapped writable, minixen's own page (not guest RAM), connected");

	port_clear(e, eport);
	ok(STORE_REQ(e, XS_READ, "name") == 0 &&
	   store_rsp(e, buf, sizeof(buf)) == XS_READ && !strcmp(buf, e->name) &&
	   port_pending(e, eport),
	   "EVTCHNOP_send serves the request: name = %s, the domain notified", buf);
	ok(STORE_REQ(e, XS_READ, "/local/domain/0/name") == 0 &&
	   store_rsp(e, buf, sizeof(buf)) == XS_ERROR && !strcmp(buf, "EACCES"),
	   "a domU reads domain 0's nodes: EACCES");
	ok(STORE_REQ(z, XS_READ, "/local/domain/5/memory/static-max") == 0 &&
	   store_rsp(z, buf, sizeof(buf)) == XS_READ && !strcmp(buf, "4096"),
	   "domain 5's memory/static-max: %s KiB", buf);
	ok(STORE_REQ(e, XS_READ, "cpu/1/availability") == 0 &&
	   store_rsp(e, buf, sizeof(buf)) == XS_READ && !strcmp(buf, "online") &&
	   STORE_REQ(e, XS_WRITE, "cpu/1/availability\0offline") == 0 &&
	   store_rsp(e, buf, sizeof(buf)) == XS_ERROR && !strcmp(buf, "EACCES"),
	   "cpu/1/availability: online, read-only to the domain");
	ok(store_req(e, XS_WRITE, "data/x\0secret", 13) == 0 &&
	   store_rsp(e, buf, sizeof(buf)) == XS_WRITE &&
	   STORE_REQ(z, XS_READ, "/local/domain/5/data/x") == 0 &&
	   store_rsp(z, buf, sizeof(buf)) == XS_READ && !strcmp(buf, "secret"),
	   "domain 0 is privileged: reads what domain 5 wrote for itself");
	ok(STORE_REQ(z, XS_WATCH, "/local/domain/5/name\0t") == 0 &&
	   store_rsp(z, buf, sizeof(buf)) == XS_WATCH &&
	   store_rsp(z, buf, sizeof(buf)) == XS_WATCH_EVENT,
	   "domain 0 watches domain 5's name: fires once");
	port_clear(z, zport);
	xen_store_domain_release(e);
	ok(store_rsp(z, buf, sizeof(buf)) == XS_WATCH_EVENT &&
	   !strcmp(buf, "/local/domain/5/name") && port_pending(z, zport),
	   "domain 5 released: its tree goes, domain 0's watch fires, it is notified");
	ok(STORE_REQ(z, XS_READ, "/local/domain/5/name") == 0 &&
	   store_rsp(z, buf, sizeof(buf)) == XS_ERROR && !strcmp(buf, "ENOENT"),
	   "/local/domain/5 gone: ENOENT");
	ok(xen_store_domain_init(e) == 0 && STORE_REQ(e, XS_READ, "domid") == 0 &&
	   store_rsp(e, buf, sizeof(buf)) == XS_READ && !strcmp(buf, "5"),
	   "connected again: a new tree, domid = %s", buf);
}

/* Watch events seen by store_do(), "path;" each. */
static char ev_log[512];

/*
 * @d sends a request of up to three arguments (NULL: fewer) and reads
 * the reply into @buf: its type (~0: none), watch events on the way
 * logged in ev_log.
 */
static u32 store_do(struct domain *d, u32 type, const char *a0, const char *a1,
		    const char *a2, char *buf, u32 size)
{
	const char *a[3] = { a0, a1, a2 };
	char body[128];
	u32 len = 0, i, t;

	for (i = 0; i < 3 && a[i]; i++) {
		memcpy(body + len, a[i], strlen(a[i]) + 1);
		len += strlen(a[i]) + 1;
	}
	if (store_req(d, type, body, len))
		return ~0U;
	while ((t = store_rsp(d, buf, size)) == XS_WATCH_EVENT)
		snprintf(ev_log + strlen(ev_log), sizeof(ev_log) - strlen(ev_log),
			 "%s;", buf);
	return t;
}

#define IS_ERR(t, buf, name)	((t) == XS_ERROR && !strcmp(buf, name))

/*
 * XS_INTRODUCE / XS_RELEASE / XS_IS_DOMAIN_INTRODUCED through the rings:
 * @z is domain 0 (privileged), @e a domU minixen connected at "boot".
 */
static void test_store_control(struct domain *z, struct domain *e)
{
	char buf[64], port[16], other[16], gfn[24];
	u32 t, eport = xen_param_get(e, HVM_PARAM_STORE_EVTCHN);

	snprintf(port, sizeof(port), "%u", eport);
	snprintf(other, sizeof(other), "%u", eport + 1);
	snprintf(gfn, sizeof(gfn), "%lu", (unsigned long)XEN_STORE_GFN);
	t = store_do(e, XS_INTRODUCE, "5", gfn, port, buf, sizeof(buf));
	ok(IS_ERR(t, buf, "EACCES"), "introduce from a domU: EACCES (%s)", buf);
	t = store_do(e, XS_RELEASE, "0", NULL, NULL, buf, sizeof(buf));
	ok(IS_ERR(t, buf, "EACCES"), "release from a domU: EACCES");
	t = store_do(e, XS_IS_DOMAIN_INTRODUCED, "0", NULL, NULL, buf, sizeof(buf));
	ok(IS_ERR(t, buf, "EACCES"), "is_domain_introduced from a domU: EACCES");

	t = store_do(z, XS_IS_DOMAIN_INTRODUCED, "5", NULL, NULL, buf, sizeof(buf));
	ok(t == XS_IS_DOMAIN_INTRODUCED && !strcmp(buf, "T"),
	   "is_domain_introduced 5 (connected at boot): T");
	t = store_do(z, XS_IS_DOMAIN_INTRODUCED, "6", NULL, NULL, buf, sizeof(buf));
	ok(t == XS_IS_DOMAIN_INTRODUCED && !strcmp(buf, "F"),
	   "is_domain_introduced 6 (no such domain): F");
	t = store_do(z, XS_IS_DOMAIN_INTRODUCED, "5x", NULL, NULL, buf, sizeof(buf));
	ok(IS_ERR(t, buf, "EINVAL"), "is_domain_introduced \"5x\": EINVAL");

	ok(store_do(e, XS_WATCH, "data\0", "w", NULL, buf, sizeof(buf)) == XS_WATCH,
	   "domain 5 watches its data/");
	ev_log[0] = '\0';
	store_rsp(e, buf, sizeof(buf));	/* the initial fire */
	t = store_do(z, XS_INTRODUCE, "5", gfn, port, buf, sizeof(buf));
	ok(t == XS_INTRODUCE && !strcmp(buf, "OK"),
	   "introduce 5 again, its own ring and port: OK");
	ok(store_do(e, XS_WRITE, "data/a", "1", NULL, buf, sizeof(buf)) == XS_WRITE &&
	   !strcmp(ev_log, "data/a;"),
	   "its connection untouched: its watch fires (%s)", ev_log);

	{
		static const struct { const char *d, *g, *p, *why; } bad[] = {
			{ "5", "233474", NULL, "another ring frame" },
			{ "5", NULL, "0", "port 0" },
			{ "5", NULL, "+", "another port" },
			{ "5", "233473x", NULL, "gfn with trailing garbage" },
			{ "5", "-1", NULL, "gfn -1" },
			{ "5", "18446744073709551616", NULL, "gfn 2^64" },
			{ "5", NULL, "4294967296", "port 2^32" },
			{ "5", "", NULL, "empty gfn" },
			{ "32752", NULL, NULL, "DOMID_SELF" },
			{ "65536", NULL, NULL, "domid 2^16" },
			{ "7", NULL, NULL, "no such domain" },
			{ "1", NULL, NULL, "a domain without xenstore" },
		};
		u32 i, n = 0;

		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			const char *p = bad[i].p ? bad[i].p : port;

			t = store_do(z, XS_INTRODUCE, bad[i].d, bad[i].g ? bad[i].g : gfn,
				     strcmp(p, "+") ? p : other, buf, sizeof(buf));
			if (IS_ERR(t, buf, "EINVAL"))
				n++;
			else
				printf("# introduce, %s: %u %s\n", bad[i].why, t, buf);
		}
		ok(n == ARRAY_SIZE(bad),
		   "introduce with another frame or port, port 0, garbage, overflow, DOMID_SELF, no such domain, no xenstore: EINVAL (%u of %zu)",
		   n, ARRAY_SIZE(bad));
	}
	t = store_do(z, XS_INTRODUCE, "5", gfn, NULL, buf, sizeof(buf));
	ok(IS_ERR(t, buf, "EINVAL"), "introduce without a port: EINVAL");

	z->xen.privileged = false;
	t = store_do(z, XS_INTRODUCE, "5", gfn, port, buf, sizeof(buf));
	ok(IS_ERR(t, buf, "EACCES"),
	   "introduce from domain 0 while it is not minixen's privileged domain: EACCES");
	t = store_do(z, XS_RELEASE, "5", NULL, NULL, buf, sizeof(buf));
	ok(IS_ERR(t, buf, "EACCES"), "release from it: EACCES");
	z->xen.privileged = true;
	t = store_do(z, XS_IS_DOMAIN_INTRODUCED, "5", NULL, NULL, buf, sizeof(buf));
	ok(!strcmp(buf, "T"), "domain 5 still introduced");

	ok(store_do(z, XS_WATCH, "@releaseDomain", "rel", NULL, buf, sizeof(buf)) ==
	   XS_WATCH && store_do(z, XS_WATCH, "@introduceDomain", "in", NULL, buf,
				sizeof(buf)) == XS_WATCH,
	   "domain 0 watches @releaseDomain and @introduceDomain");
	ev_log[0] = '\0';
	store_rsp(z, buf, sizeof(buf));
	store_rsp(z, buf, sizeof(buf));	/* their initial fires */
	t = store_do(z, XS_RELEASE, "5", NULL, NULL, buf, sizeof(buf));
	ok(t == XS_RELEASE && !strcmp(buf, "OK") && !strcmp(ev_log, "@releaseDomain;"),
	   "release 5: OK, @releaseDomain fires (%s)", ev_log);
	t = store_do(z, XS_IS_DOMAIN_INTRODUCED, "5", NULL, NULL, buf, sizeof(buf));
	ok(!strcmp(buf, "F"), "is_domain_introduced 5: F");
	ok(store_req(e, XS_READ, "name", 5) == 0 && store_rsp(e, buf, sizeof(buf)) == ~0U,
	   "a released domain's request is not served");
	t = store_do(z, XS_RELEASE, "5", NULL, NULL, buf, sizeof(buf));
	ok(IS_ERR(t, buf, "ENOENT"), "release 5 again: ENOENT");
	t = store_do(z, XS_RELEASE, "9", NULL, NULL, buf, sizeof(buf));
	ok(IS_ERR(t, buf, "ENOENT"), "release of no domain: ENOENT");
	t = store_do(z, XS_RELEASE, "0", NULL, NULL, buf, sizeof(buf));
	ok(IS_ERR(t, buf, "EINVAL"), "release 0 (itself): EINVAL");
	t = store_do(z, XS_RELEASE, "x", NULL, NULL, buf, sizeof(buf));
	ok(IS_ERR(t, buf, "EINVAL"), "release \"x\": EINVAL");

	ev_log[0] = '\0';
	t = store_do(z, XS_INTRODUCE, "5", gfn, port, buf, sizeof(buf));
	ok(t == XS_INTRODUCE && !strcmp(buf, "OK") && !strcmp(ev_log, "@introduceDomain;"),
	   "introduce 5 after its release: OK, @introduceDomain fires (%s)", ev_log);
	t = store_do(z, XS_IS_DOMAIN_INTRODUCED, "5", NULL, NULL, buf, sizeof(buf));
	ok(!strcmp(buf, "T"), "is_domain_introduced 5: T");
	ev_log[0] = '\0';
	t = store_do(e, XS_WRITE, "data/b", "2", NULL, buf, sizeof(buf));
	ok(t == XS_READ && !strcmp(buf, e->name) &&
	   store_rsp(e, buf, sizeof(buf)) == XS_WRITE && !ev_log[0],
	   "reconnected: the request sent while released is answered first, its old watch is gone (%s)",
	   ev_log);
}

/* What a client of minixen's own saw of its watch (xen_store_watch()). */
struct hyp_seen {
	int calls;
	int locked;		/* locks held during its calls */
	char path[96];
	char token[XEN_STORE_WATCH_TOKEN];
	const char *write;	/* the callback writes "1" there */
	int write_rc;
	const char *unwatch;	/* the callback unwatches (this, token) */
	int unwatch_rc;
};

static void on_hyp_watch(void *ctx, const char *path, const char *token)
{
	struct hyp_seen *h = ctx;

	h->calls++;
	h->locked += locks_held;
	snprintf(h->path, sizeof(h->path), "%s", path);
	snprintf(h->token, sizeof(h->token), "%s", token);
	if (h->write)
		h->write_rc = xen_store_write(h->write, "1", 1);
	if (h->unwatch)
		h->unwatch_rc = xen_store_unwatch(h->unwatch, token);
}

static bool seen(const struct hyp_seen *h, int calls, const char *path,
		 const char *token)
{
	return h->calls == calls && !h->locked && !strcmp(h->path, path) &&
	       !strcmp(h->token, token);
}

#define W_PATH	"/local/domain/5/data/w"

/* The store's local connection (minixen's clients'): its counters. */
static struct xs_domain_stats local_stats(void)
{
	struct xs_domain_stats st = { .watches = ~0U };
	struct xs_store *s = xen_store_lock();

	if (s) {
		xs_domain_stats(s, XS_DOMID_LOCAL, &st);
		xen_store_unlock();
	}
	return st;
}

/*
 * On its second call: a write that queues an event for the watch
 * (W_PATH, "old"), which it then replaces by (W_PATH, "new").
 */
static struct hyp_seen swap_new;

static void on_swap(void *ctx, const char *path, const char *token)
{
	struct hyp_seen *h = ctx;

	if (++h->calls != 2)
		return;
	h->write_rc = xen_store_write(W_PATH "/s", "1", 1);
	h->unwatch_rc = xen_store_unwatch(W_PATH, "old");
	if (!h->write_rc && !h->unwatch_rc)
		h->write_rc = xen_store_watch(W_PATH, "new", on_hyp_watch,
					      &swap_new);
}

/*
 * minixen's own xenstore client (core/xen_store_hyp.c) beside domain 5
 * (@e, connected), whose requests go through its ring.
 */
static void test_store_hyp(struct domain *e)
{
	u32 eport = xen_param_get(e, HVM_PARAM_STORE_EVTCHN);
	struct hyp_seen a = { 0 }, b = { 0 };
	const struct xs_perm priv = { .id = 0, .perm = XS_PERM_NONE };
	char buf[64], tok[XEN_STORE_WATCH_TOKEN + 1];
	int i, n;
	u32 t;

	while (store_rsp(e, buf, sizeof(buf)) != ~0U)
		;
	ok(xen_store_watch(W_PATH, "tokA", on_hyp_watch, &a) == 0 &&
	   seen(&a, 1, W_PATH, "tokA"),
	   "hyp watch: fires once at once, no lock held");
	t = store_do(e, XS_WRITE, "data/w/x", "v", NULL, buf, sizeof(buf));
	ok(t == XS_WRITE && seen(&a, 2, W_PATH "/x", "tokA"),
	   "hyp watch: a guest's write below it calls back once: %s %s",
	   a.path, a.token);
	t = store_do(e, XS_WRITE, "data/wx", "v", NULL, buf, sizeof(buf));
	ok(t == XS_WRITE && a.calls == 2, "hyp watch: a write beside it does not");
	ok(xen_store_watch(W_PATH, "tokA", on_hyp_watch, &a) == -XS_EEXIST &&
	   a.calls == 2, "hyp watch: the same path and token again: EEXIST");
	ok(xen_store_watch(W_PATH, "tokB", on_hyp_watch, &b) == 0 &&
	   seen(&b, 1, W_PATH, "tokB") && a.calls == 2,
	   "hyp watch: another token on the path: a watch of its own");
	t = store_do(e, XS_RM, "data/w/x", NULL, NULL, buf, sizeof(buf));
	ok(t == XS_RM && seen(&a, 3, W_PATH "/x", "tokA") &&
	   seen(&b, 2, W_PATH "/x", "tokB"),
	   "hyp watch: a guest's rm: each watch fires once");
	ok(xen_store_unwatch(W_PATH, "tokA") == 0 &&
	   store_do(e, XS_WRITE, "data/w/y", "v", NULL, buf, sizeof(buf)) ==
	   XS_WRITE && a.calls == 3 && seen(&b, 3, W_PATH "/y", "tokB"),
	   "hyp unwatch: that watch stops, the other goes on");
	ok(xen_store_unwatch(W_PATH, "tokA") == -XS_ENOENT &&
	   xen_store_unwatch(W_PATH "/y", "tokB") == -XS_ENOENT,
	   "hyp unwatch: again, or another path: ENOENT");

	b = (struct hyp_seen){ .unwatch = W_PATH };
	ok(xen_store_unwatch(W_PATH, "tokB") == 0 &&
	   xen_store_watch(W_PATH, "tokB", on_hyp_watch, &b) == 0 &&
	   b.calls == 1 && b.unwatch_rc == 0 &&
	   store_do(e, XS_WRITE, "data/w/z", "v", NULL, buf, sizeof(buf)) ==
	   XS_WRITE && b.calls == 1,
	   "hyp watch: a callback may unwatch itself");

	a = (struct hyp_seen){ .write = "/local/domain/5/data/ack" };
	ok(store_do(e, XS_WATCH, "data/ack", "g", NULL, buf, sizeof(buf)) ==
	   XS_WATCH && store_rsp(e, buf, sizeof(buf)) == XS_WATCH_EVENT,
	   "domain 5 watches data/ack");
	ok(xen_store_watch("/local/domain/5/data/req", "req", on_hyp_watch,
			   &a) == 0 && a.calls == 1 && !a.write_rc && !a.locked,
	   "hyp watch: a callback that writes a node, on the first event");
	ok(store_rsp(e, buf, sizeof(buf)) == XS_WATCH_EVENT &&
	   !strcmp(buf, "data/ack"),
	   "the callback's write fires domain 5's watch");
	port_clear(e, eport);
	t = store_do(e, XS_WRITE, "data/req", "go", NULL, buf, sizeof(buf));
	ok(t == XS_WRITE && a.calls == 2 && !a.write_rc && !a.locked,
	   "a guest's write: the callback writes a node (no lock held, none taken twice)");
	ok(store_rsp(e, buf, sizeof(buf)) == XS_WATCH_EVENT &&
	   !strcmp(buf, "data/ack") && port_pending(e, eport),
	   "its write fires domain 5's watch after the reply, domain 5 notified");
	t = store_do(e, XS_READ, "data/ack", NULL, NULL, buf, sizeof(buf));
	ok(t == XS_READ && !strcmp(buf, "1"), "domain 5 reads data/ack: %s", buf);
	ok(xen_store_unwatch("/local/domain/5/data/req", "req") == 0 &&
	   store_do(e, XS_UNWATCH, "data/ack", "g", NULL, buf, sizeof(buf)) ==
	   XS_UNWATCH, "(both unwatched)");

	memset(buf, 0, sizeof(buf));
	ok(xen_store_write("/local/domain/5/data/hv", "abc", 3) == 0 &&
	   xen_store_read("/local/domain/5/data/hv", buf, 2) == 3 &&
	   !strcmp(buf, "ab"), "hyp: write, read (cut short: full length)");
	ok(xen_store_read("data/hv", buf, sizeof(buf)) == -XS_EINVAL &&
	   xen_store_write("data/hv", "x", 1) == -XS_EINVAL &&
	   xen_store_read("/local/domain/5/nope", buf, sizeof(buf)) ==
	   -XS_ENOENT && xen_store_rm("/local/domain/5/nope") == 0 &&
	   xen_store_rm("/local/domain/5/nope/x") == -XS_ENOENT,
	   "hyp: a relative path: EINVAL; a missing node: ENOENT (rm: 0 if its parent is there)");
	ok(xen_store_mkdir("/local/domain/5/data/p") == 0 &&
	   xen_store_set_perms("/local/domain/5/data/p", &priv, 1) == 0 &&
	   IS_ERR(store_do(e, XS_READ, "data/p", NULL, NULL, buf, sizeof(buf)),
		  buf, "EACCES"),
	   "hyp: mkdir and set_perms: owned by 0, domain 5 gets EACCES");
	ok(xen_store_rm("/local/domain/5/data/p") == 0 &&
	   IS_ERR(store_do(e, XS_READ, "data/p", NULL, NULL, buf, sizeof(buf)),
		  buf, "ENOENT"), "hyp: rm: gone (ENOENT)");

	memset(tok, 'x', sizeof(tok));
	tok[XEN_STORE_WATCH_TOKEN] = '\0';
	ok(xen_store_watch(W_PATH, tok, on_hyp_watch, &b) == -XS_E2BIG &&
	   xen_store_watch(W_PATH, "t", NULL, &b) == -XS_EINVAL &&
	   xen_store_watch("w", "t", on_hyp_watch, &b) == -XS_EINVAL &&
	   b.calls == 1, "hyp watch: a long token, no callback, a relative path: refused");
	a = (struct hyp_seen){ 0 };
	for (i = n = 0; i < XEN_STORE_CLIENT_WATCHES; i++) {
		snprintf(tok, sizeof(tok), "t%d", i);
		n += !xen_store_watch(W_PATH, tok, on_hyp_watch, &a);
	}
	ok(n == XEN_STORE_CLIENT_WATCHES && a.calls == n &&
	   local_stats().watches == (u32)n &&
	   xen_store_watch(W_PATH, "one more", on_hyp_watch, &a) ==
	   -XS_ENOSPC, "hyp watch: %d watches, then ENOSPC", n);
	for (i = n = 0; i < XEN_STORE_CLIENT_WATCHES; i++) {
		snprintf(tok, sizeof(tok), "t%d", i);
		n += !xen_store_unwatch(W_PATH, tok);
	}
	ok(n == XEN_STORE_CLIENT_WATCHES && local_stats().watches == 0 &&
	   xen_store_watch(W_PATH, "again", on_hyp_watch, &a) == 0 &&
	   a.calls == n + 1 && !xen_store_unwatch(W_PATH, "again"),
	   "hyp unwatch: all %d gone, the slots free again", n);

	a = (struct hyp_seen){ 0 };
	b = (struct hyp_seen){ 0 };
	ok(!xen_store_watch("/local/domain/5/data/t", "t", on_swap, &a) &&
	   !xen_store_watch(W_PATH, "old", on_hyp_watch, &b) &&
	   store_do(e, XS_WRITE, "data/t", "1", NULL, buf, sizeof(buf)) ==
	   XS_WRITE && a.calls == 2 && !a.write_rc && !a.unwatch_rc &&
	   b.calls == 1 && seen(&swap_new, 1, W_PATH, "new"),
	   "hyp watch: an event queued before an unwatch is dropped, not given to the next watch in the slot");
	ok(!xen_store_unwatch("/local/domain/5/data/t", "t") &&
	   !xen_store_unwatch(W_PATH, "new"), "(unwatched)");

	a = (struct hyp_seen){ 0 };
	b = (struct hyp_seen){ 0 };
	ok(xen_store_watch("/local/domain/5", "dom", on_hyp_watch, &a) == 0 &&
	   xen_store_watch("@releaseDomain", "rel", on_hyp_watch, &b) == 0 &&
	   a.calls == 1 && b.calls == 1,
	   "hyp watch: /local/domain/5 and @releaseDomain");
	xen_store_domain_release(e);
	ok(seen(&a, 2, "/local/domain/5", "dom") &&
	   seen(&b, 2, "@releaseDomain", "rel"),
	   "domain 5 released: both fire once, no lock held");
	ok(xen_store_domain_init(e) == 0 && a.calls > 2 && !a.locked &&
	   b.calls == 2, "connected again: its new tree fires the watch");
	ok(!xen_store_unwatch("/local/domain/5", "dom") &&
	   !xen_store_unwatch("@releaseDomain", "rel") &&
	   !local_stats().watches && !local_stats().outq_bytes &&
	   !local_stats().dropped_events,
	   "all unwatched: the store holds no watch and no event of minixen's");
}

/* rc (0 or -errno) of a readconsole into guest_va[4096...], *out what it said */
static long readcon(struct vcpu *v, u8 incr, u8 clear, u32 idx, u32 count,
		    struct xen_sysctl *out)
{
	struct xen_sysctl *op = AT(struct xen_sysctl, 0);
	long rc;

	memset(guest_va, 0, RO_OFF);
	*op = (struct xen_sysctl){ .cmd = XEN_SYSCTL_readconsole,
				   .interface_version = XEN_SYSCTL_INTERFACE_VERSION };
	op->u.readconsole = (struct xen_sysctl_readconsole){
		.clear = clear, .incremental = incr, .index = idx,
		.buffer = GVA(4096), .count = count };
	rc = hc(v, HC_sysctl, GVA(0), 0, 0);
	*out = *op;
	return rc;
}

static void test_sysctl(struct domain *priv, struct domain *other)
{
	struct vcpu *v = priv->vcpu[0];
	struct xen_sysctl *op = AT(struct xen_sysctl, 0), r;
	const char *text = (const char *)guest_va + 4096;
	char big[300];
	u32 end, i;

	conring_put("(domA) ", "hello\r", 6);
	conring_put("(MX) ", "two", 3);
	ok(!readcon(v, 0, 0, 0, 100, &r) && r.u.readconsole.count == 22 &&
	   !memcmp(text, "(domA) hello\n(MX) two\n", 22),
	   "readconsole: the ring's lines, '\\r' dropped (%u bytes)",
	   r.u.readconsole.count);
	end = r.u.readconsole.index;
	ok(!readcon(v, 1, 0, end - 4, 100, &r) && r.u.readconsole.count == 4 &&
	   !memcmp(text, "two\n", 4) && r.u.readconsole.index == end,
	   "incremental from index: the rest, index its end");
	ok(!readcon(v, 1, 0, end, 100, &r) && r.u.readconsole.count == 0 &&
	   r.u.readconsole.index == end, "incremental at the end: nothing");
	ok(!readcon(v, 0, 0, 0, 5, &r) && r.u.readconsole.count == 5 &&
	   !memcmp(text, "(domA", 5) && text[5] == 0, "count bounds what is written");
	memset(big, 'x', sizeof(big));
	for (i = 0; i < 2 * CONRING_SIZE / sizeof(big); i++)
		conring_put("", big, sizeof(big));
	conring_put("(MX) ", "last", 4);
	ok(!readcon(v, 1, 0, end, RO_OFF - 4096, &r) &&
	   r.u.readconsole.count == RO_OFF - 4096 && text[0] == 'x' &&
	   r.u.readconsole.index - end > CONRING_SIZE,
	   "incremental from an overwritten index: from the oldest byte kept");
	ok(!readcon(v, 1, 0, end + 0x80000000U, RO_OFF - 4096, &r) &&
	   r.u.readconsole.count == RO_OFF - 4096 && text[0] == 'x',
	   "incremental from a bogus index: from the oldest byte kept");
	ok(!readcon(v, 0, 1, 0, 8, &r) && r.u.readconsole.count == 8 &&
	   !readcon(v, 0, 0, 0, 8, &r) && r.u.readconsole.count == 0,
	   "clear: a later non-incremental read finds nothing");
	conring_put("(MX) ", "new", 3);
	ok(!readcon(v, 0, 0, 0, 100, &r) && r.u.readconsole.count == 9 &&
	   !memcmp(text, "(MX) new\n", 9), "after a clear: only what came since");
	ok(readcon(other->vcpu[0], 0, 0, 0, 100, &r) == -XEN_EPERM &&
	   text[0] == 0, "unprivileged domain: -EPERM, nothing written");
	readcon(v, 0, 0, 0, 100, &r);
	op->interface_version = 0x14;
	ok(hc(v, HC_sysctl, GVA(0), 0, 0) == -XEN_EACCES,
	   "other interface version: -EACCES");
	op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	op->cmd = 2;
	ok(hc(v, HC_sysctl, GVA(0), 0, 0) == -XEN_ENOSYS, "sysctl 2: -ENOSYS");
	ok(hc(v, HC_sysctl, 8, 0, 0) == -XEN_EFAULT, "bad pointer: -EFAULT");
	op->cmd = XEN_SYSCTL_readconsole;
	op->u.readconsole.buffer = GVA(RO_OFF);
	ok(hc(v, HC_sysctl, GVA(0), 0, 0) == -XEN_EFAULT,
	   "read-only buffer: -EFAULT");
	op->u.readconsole.buffer = GVA(sizeof(guest_va) - 4);
	op->u.readconsole.count = 0xffffffffU;
	op->u.readconsole.incremental = 1;
	op->u.readconsole.index = 0;
	ok(hc(v, HC_sysctl, GVA(0), 0, 0) == -XEN_EFAULT,
	   "4 GiB count near the end of memory: -EFAULT");
}

/* Port of VIRQ @virq bound by @v through the hypercall (0: failed). */
static u32 bind_virq_hc(struct vcpu *v, u32 virq)
{
	struct evtchn_bind_virq *b = AT(struct evtchn_bind_virq, 2400);

	*b = (struct evtchn_bind_virq){ .virq = virq, .vcpu = 0 };
	return EVTCHN(v, EVTCHNOP_bind_virq, 2400) ? 0 : b->port;
}

/* Global VIRQs: to the privileged domain @z only, if bound. */
static void test_virq(struct domain *z, struct domain *u)
{
	u32 zexc, uexc, zcon;
	int k;

	conring_put("(MX) ", "x", 1);
	xen_virq_resume();
	xen_virq_global(VIRQ_DOM_EXC);
	ok(!z->xen.evtchn.global_virq[VIRQ_DOM_EXC] && !z->xen.evtchn.lock.locked,
	   "VIRQ_DOM_EXC and VIRQ_CON_RING raised with nothing bound: nothing happens");
	zexc = bind_virq_hc(z->vcpu[0], VIRQ_DOM_EXC);
	uexc = bind_virq_hc(u->vcpu[0], VIRQ_DOM_EXC);
	port_clear(z, zexc);
	k = kicks[z->id][0];
	xen_virq_global(VIRQ_DOM_EXC);
	ok(zexc && port_pending(z, zexc) && kicks[z->id][0] == k + 1,
	   "VIRQ_DOM_EXC bound by the privileged domain: pending, upcall (port %u)", zexc);
	ok(uexc && !port_pending(u, uexc),
	   "bound by an unprivileged domain: not raised there (Xen: dom0's)");
	zcon = bind_virq_hc(z->vcpu[0], VIRQ_CON_RING);
	port_clear(z, zcon);
	xen_virq_resume();
	ok(zcon && !port_pending(z, zcon), "VIRQ_CON_RING: nothing new in the ring, not raised");
	conring_put("(domC) ", "a line", 6);
	conring_put("(domC) ", "another", 7);
	xen_virq_resume();
	ok(port_pending(z, zcon), "a line in the console ring: VIRQ_CON_RING pending");
	port_clear(z, zcon);
	xen_virq_resume();
	ok(!port_pending(z, zcon), "once per batch of lines");
	port_clear(z, zexc);
	z->dead = true;
	xen_virq_global(VIRQ_DOM_EXC);
	z->dead = false;
	ok(!port_pending(z, zexc), "a privileged domain that ended gets nothing");
}

int main(void)
{
	struct domain *a, *b, *c, *e, *z, *s;

	xen_abi_init();
	a = mkdom(1, "domA", false);
	b = mkdom(2, "domB", false);

	test_version(a->vcpu[0]);
	test_memory(a, b);
	test_vcpu(a);
	test_hvm_sched_console(a, b);
	test_evtchn_ppi();
	xen_wallclock_set((0x123456789UL * 1000000000UL) + 5);
	c = mkdom(3, "domC", false);
	e = mkdom(4, "domD", false);
	ok(((struct shared_info_arm64 *)c->xen.shared_info)->wc_sec == 0x23456789 &&
	   ((struct shared_info_arm64 *)c->xen.shared_info)->wc_sec_hi == 1 &&
	   ((struct shared_info_arm64 *)c->xen.shared_info)->wc_nsec == 5,
	   "shared_info's wallclock: the boot wall time (64-bit seconds)");
	test_evtchn_hc(c, e);
	test_grant_hc(c, e);
	z = mkdom(0, "domZ", true);
	s = mkdom(5, "domS", false);
	test_store(z, s);
	test_store_control(z, s);
	test_store_hyp(s);
	test_sysctl(domain_by_domid(c, 0), c);
	test_virq(z, c);
	ok(!p2m_lock(a)->locked && !a->lock.locked && !p2m_lock(b)->locked &&
	   !a->xen.evtchn.lock.locked && !b->xen.evtchn.lock.locked,
	   "no lock left held");
	return tap_done();
}
