/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The machine as the host tests of the Xen ABI fake it (test_hypercall.c,
 * test_blkback.c): a guest whose virtual addresses are host addresses
 * inside guest_va[] (the rest faults, a part of it is read-only), domains
 * whose RAM is a host buffer mapped by real stage-2 tables
 * (arch/arm64/s2.c), hypercalls into hyp/core/hypercall.c, locks that
 * abort when misused, the log's last line; and a guest's end of its
 * xenstore ring. Included by one file of a test.
 */
#ifndef MX_FAKE_XEN_H
#define MX_FAKE_XEN_H

#include <minixen/bootcfg.h>
#include <minixen/domain.h>
#include <minixen/guest_access.h>
#include <minixen/hypercall.h>
#include <minixen/mm.h>
#include <minixen/physmap.h>
#include <minixen/vcpu.h>
#include <minixen/xen_store.h>
#include <minixen/xenstore.h>

#define __maybe_unused	__attribute((unused))

#define RAM_IPA		0x40000000UL
#define RAM_SIZE	(4UL << 20)
#define RO_OFF		8192	/* guest_va[RO_OFF...] is read-only */

struct bootcfg boot_cfg;
struct domain *domains[MAX_DOMAINS];
u32 nr_domains;

static u8 guest_va[16384] __aligned(4096);
static char last_line[512] __maybe_unused;
static int nr_lines __maybe_unused, shutdowns __maybe_unused, flushes __maybe_unused;
static u32 last_reason __maybe_unused;
static u64 fake_now __maybe_unused = 1000000;

/* Locks are not recursive: taking one held is a deadlock on hardware. */
static int locks_held;

void spin_lock(struct mx_lock *l)
{
	if (l->locked)
		abort();
	l->locked = 1;
	locks_held++;
}

void spin_unlock(struct mx_lock *l)
{
	if (!l->locked)
		abort();
	l->locked = 0;
	locks_held--;
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

static int kicks[MAX_DOMAINS][MAX_VCPUS] __maybe_unused;

void arch_evtchn_kick(struct vcpu *v)
{
	kicks[v->d->id][v->id]++;
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

static int wakes[MAX_DOMAINS][MAX_VCPUS] __maybe_unused;

void arch_vcpu_wake(struct vcpu *v)
{
	wakes[v->d->id][v->id]++;
}

static void *page_alloc(void *ctx)
{
	void *p = aligned_alloc(4096, 4096);

	memset(p, 0, 4096);
	return p;
}

static __maybe_unused struct domain *mkdom(u32 id, const char *name, bool priv)
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

static __maybe_unused long hc(struct vcpu *v, u64 nr, u64 a0, u64 a1, u64 a2)
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

#define EVTCHN(v, cmd, off)	hc(v, HC_event_channel_op, cmd, GVA(off), 0)

static __maybe_unused bool port_pending(struct domain *d, u32 port)
{
	const struct shared_info_arm64 *s = d->xen.shared_info;

	return s->evtchn_pending[port / 64] & BIT(port % 64);
}

static __maybe_unused void port_clear(struct domain *d, u32 port)
{
	struct shared_info_arm64 *s = d->xen.shared_info;

	s->evtchn_pending[port / 64] &= ~BIT(port % 64);
	s->vcpu_info[0].evtchn_upcall_pending = 0;
	s->vcpu_info[0].evtchn_pending_sel = 0;
}

/* Xenstore wired to domains (core/xen_store.c): a domain's ring page. */
static __maybe_unused struct xenstore_domain_interface *store_ring(struct domain *d)
{
	bool w = false;
	u64 pa = physmap_lookup(d, XEN_STORE_GFN, &w);

	return w ? (void *)(uintptr_t)pa : NULL;
}

/*
 * @d writes one request (@len bytes of @arg) into its ring and sends on
 * its xenstore port. STORE_REQ: a string literal, its NUL included.
 */
static __maybe_unused long store_req(struct domain *d, u32 type, const char *arg, u32 len)
{
	struct xenstore_domain_interface *r = store_ring(d);
	struct xsd_sockmsg h = { .type = type, .req_id = 7, .len = len };
	struct evtchn_send *sd = AT(struct evtchn_send, 2176);
	u8 msg[sizeof(h) + 256];
	u32 i;

	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), arg, h.len);
	for (i = 0; i < sizeof(h) + h.len; i++)
		r->req[MASK_XENSTORE_IDX(r->req_prod + i)] = msg[i];
	r->req_prod += i;
	sd->port = xen_param_get(d, HVM_PARAM_STORE_EVTCHN);
	return EVTCHN(d->vcpu[0], EVTCHNOP_send, 2176);
}

/* The next message in @d's ring: its type (~0: none), payload in buf. */
static __maybe_unused u32 store_rsp(struct domain *d, char *buf, u32 size)
{
	struct xenstore_domain_interface *r = store_ring(d);
	struct xsd_sockmsg h;
	u8 *p = (u8 *)&h;
	u32 i;

	if (r->rsp_prod - r->rsp_cons < sizeof(h))
		return ~0U;
	for (i = 0; i < sizeof(h); i++)
		p[i] = r->rsp[MASK_XENSTORE_IDX(r->rsp_cons++)];
	for (i = 0; i < h.len; i++) {
		char c = r->rsp[MASK_XENSTORE_IDX(r->rsp_cons++)];

		if (i < size - 1)
			buf[i] = c;
	}
	buf[MIN(h.len, size - 1)] = '\0';
	return h.type;
}

#define STORE_REQ(d, type, lit)	store_req(d, type, lit, sizeof(lit))

#endif
