// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests: DMA profiles (core/dmaprofile.c) and the checking DMA
 * engine (core/dmaengine.c) on the real stage-2 tables (arch/arm64/s2.c)
 * and grant maps (core/grant_*.c), in a fake machine whose RAM regions
 * sit at the machine addresses QEMU virt has: bcm2711's real range tables
 * and broken ones, own, ballooned, foreign and read-only frames, the
 * Raspberry Pi 4 bug (a guest-physical address given as a DMA address),
 * page-crossing transfers, chains, and hostile rings and descriptors.
 */
#include <stdlib.h>
#include <minixen/dmaengine.h>
#include <minixen/grant.h>
#include <minixen/s2.h>
#include "../../hyp/core/grant_priv.h"
#include "fake_machine.h"
#include "tap.h"

/* ---- the machine: RAM regions at fake machine addresses ---- */

struct region {
	u64 pa, size;
	u8 *mem;
};

static struct region regions[8];
static u32 nr_regions;

static u8 *machine(u64 pa)
{
	u32 i;

	for (i = 0; i < nr_regions; i++)
		if (pa >= regions[i].pa && pa - regions[i].pa < regions[i].size)
			return regions[i].mem + (pa - regions[i].pa);
	return NULL;
}

static void add_region(u64 pa, u64 size)
{
	struct region *r = &regions[nr_regions++];

	r->pa = pa;
	r->size = size;
	r->mem = calloc(1, size);
	if (!r->mem)
		abort();
}

/* Machine RAM, or minixen's own pages (grant tables: host pointers). */
static void *map_pa(u64 pa)
{
	u8 *p = machine(pa);

	return p ? p : (void *)(uintptr_t)pa;
}

/* Every page stays reachable (domains are made again): no leak reports */
static void *pages[4096];
static u32 nr_pages;

static u64 alloc_page(void)
{
	void *p = aligned_alloc(4096, 4096);

	if (nr_pages == ARRAY_SIZE(pages))
		abort();
	pages[nr_pages++] = p;
	memset(p, 0, 4096);
	return (u64)(uintptr_t)p;
}

static void *table_page(void *ctx)
{
	return (void *)(uintptr_t)alloc_page();
}

/* ---- domains: A (1:1, drives the engine), B (grants A pages) ---- */

struct tdom {
	struct gnt_dom g;
	struct s2 s2;
	u64 ipa, pa, size;
};

static struct tdom doms[2];
static struct tdom *A = &doms[0], *B = &doms[1];

static struct gnt_dom *dom_by_id(u16 domid)
{
	return domid < 2 ? &doms[domid].g : NULL;
}

static void s2_flush(struct gnt_dom *d, u64 ipa)
{
}

static void make_dom(struct tdom *d, u16 domid, u64 ipa, u64 pa, u64 size)
{
	memset(d, 0, sizeof(*d));
	d->ipa = ipa;
	d->pa = pa;
	d->size = size;
	if (!machine(pa))
		add_region(pa, size);
	memset(machine(pa), 0, size);
	if (s2_init(&d->s2, table_page, NULL) ||
	    s2_map(&d->s2, ipa, pa, size, S2_RAM) ||
	    gnt_dom_init(&d->g, domid, &d->s2, pa, size, 4, 64))
		abort();
}

/* B grants A its page @page, ref @ref; A maps it at its IPA @at. */
static struct gnttab_map_grant_ref grant_map(u32 ref, u32 page, u64 at,
					     bool ro)
{
	struct grant_entry_v1 *g = gnt_entry(&B->g, ref);
	struct gnttab_map_grant_ref op = {
		.host_addr = at, .ref = ref, .dom = 1,
		.flags = GNTMAP_host_map | (ro ? GNTMAP_readonly : 0),
	};

	g->domid = 0;
	g->frame = (B->ipa >> 12) + page;
	g->flags = GTF_permit_access | (ro ? GTF_readonly : 0);
	gnt_map_one(&A->g, &op);
	return op;
}

static int grant_unmap(const struct gnttab_map_grant_ref *m)
{
	struct gnttab_unmap_grant_ref op = {
		.host_addr = m->host_addr, .handle = m->handle,
	};

	gnt_unmap_one(&A->g, &op);
	return op.status;
}

/* ---- the engine and its environment ---- */

static struct dmae e;
static bool irq_level;
static u32 nr_warns, nr_logs;
static char last_log[256];

void mx_log(int level, const char *fmt, ...)
{
	va_list ap;

	nr_logs++;
	va_start(ap, fmt);
	vsnprintf(last_log, sizeof(last_log), fmt, ap);
	va_end(ap);
	printf("# log: %s\n", last_log);
}

static u32 set_irq(void *ctx, bool level)
{
	irq_level = level;
	return 0;
}

static bool warn_ok(void *ctx)
{
	return ++nr_warns <= 16;
}

static u64 rd(u64 off)
{
	u64 v = 0;

	dmae_mmio(&e, off, 4, false, &v);
	return v;
}

static void wr(u64 off, u64 v)
{
	dmae_mmio(&e, off, 4, true, &v);
}

static u64 cnt(u32 c)
{
	u64 v = 0;

	dmae_mmio(&e, MXDMA_CNT_BASE + 8 * c, 8, false, &v);
	return v;
}

/* The DMA address the device must be given for machine address @pa */
static u64 dma(u64 pa)
{
	return pvxen_dma_val(pvxen_baddr_to_dma(&e.table, pvxen_mk_baddr(pa)));
}

#define RING_SLOTS	128	/* one 4 KiB page */

static u64 ring_pa;

static int start(const struct dma_profile *p, u64 ring)
{
	struct dmae_env env = {
		.s2 = &A->s2, .gnt = &A->g, .p2m_lock = &A->g.lock,
		.ram_ipa = A->ipa, .ram_pa = A->pa, .ram_size = A->size,
		.name = "dom0", .map_pa = map_pa, .set_irq = set_irq,
		.warn_ok = warn_ok,
	};

	if (dmae_init(&e, p, &env))
		return -1;
	ring_pa = ring;
	memset(machine(ring), 0, RING_SLOTS * MXDMA_DESC_SIZE);
	nr_warns = 0;
	wr(MXDMA_RING_LO, (u32)dma(ring));
	wr(MXDMA_RING_HI, dma(ring) >> 32);
	wr(MXDMA_RING_SIZE, RING_SLOTS);
	wr(MXDMA_IRQ_MASK, MXDMA_IRQ_DONE | MXDMA_IRQ_ERROR);
	wr(MXDMA_CTRL, MXDMA_CTRL_ENABLE);
	return 0;
}

static struct mxdma_desc *slot(u32 i)
{
	return (struct mxdma_desc *)machine(ring_pa + i * MXDMA_DESC_SIZE);
}

static u32 tail;

/* Queue a descriptor (DMA addresses as given). */
static struct mxdma_desc *queue(u32 ctrl, u64 src, u64 dst, u32 len, u32 data)
{
	struct mxdma_desc *d = slot(tail);

	d->ctrl = ctrl;
	d->src = src;
	d->dst = dst;
	d->len = len;
	d->data = data;
	d->status = MXDMA_ST_PENDING;
	tail = (tail + 1) % RING_SLOTS;
	return d;
}

static void kick(void)
{
	wr(MXDMA_TAIL, tail);
}

/* One descriptor, run at once; its status. */
static u32 one(u32 ctrl, u64 src, u64 dst, u32 len, u32 data)
{
	struct mxdma_desc *d = queue(ctrl, src, dst, len, data);

	kick();
	return d->status;
}

static bool all(u64 pa, u64 len, u8 v)
{
	u8 *p = machine(pa);
	u64 i;

	for (i = 0; i < len; i++)
		if (p[i] != v)
			return false;
	return true;
}

static void reset_engine(void)
{
	wr(MXDMA_CTRL, MXDMA_CTRL_RESET | MXDMA_CTRL_CLR_CNT);
	wr(MXDMA_CTRL, MXDMA_CTRL_ENABLE);
	tail = 0;
	nr_warns = 0;
}

/* ---- profiles and range tables ---- */

static struct dma_profile custom(const struct pvxen_dma_range *r, u32 n)
{
	struct dma_profile p;

	dma_profile_set(&p, "custom");
	memcpy(p.range, r, n * sizeof(*r));
	p.nr = n;
	return p;
}

static u64 to_cpu(const struct dma_profile *p, u64 bus)
{
	struct pvxen_dma_table t = dma_profile_table(p);

	return pvxen_baddr_val(pvxen_dma_to_baddr(&t, pvxen_mk_dma(bus)));
}

static void test_profiles(void)
{
	struct dma_profile p;
	const char *why;

	ok(!dma_profile_set(&p, "identity") && p.id == DMA_PROFILE_IDENTITY &&
	   !p.nr && !dma_profile_check(&p) && to_cpu(&p, 0x12345678) ==
	   0x12345678 && to_cpu(&p, 0x80000000000) == 0x80000000000,
	   "identity: bus == machine address, all of it");
	ok(!dma_profile_set(&p, "rpi4") && p.nr == 1 && !dma_profile_check(&p) &&
	   to_cpu(&p, 0xc0000000) == 0x40000000 &&
	   to_cpu(&p, 0xffffffff) == 0x7fffffff &&
	   to_cpu(&p, 0xbfffffff) == PVXEN_BADDR_ERROR &&
	   to_cpu(&p, 0x100000000) == PVXEN_BADDR_ERROR &&
	   to_cpu(&p, 0x40000000) == PVXEN_BADDR_ERROR,
	   "rpi4: CPU 0x40000000 + 1 GiB at bus 0xc0000000, nothing else");
	ok(!dma_profile_set(&p, "multi") && p.nr == 2 && !dma_profile_check(&p) &&
	   to_cpu(&p, 0xc0000000) == 0x40000000 &&
	   to_cpu(&p, 0xdfffffff) == 0x5fffffff &&
	   to_cpu(&p, 0xe0000000) == PVXEN_BADDR_ERROR &&
	   to_cpu(&p, 0x100000000) == 0x60000000 &&
	   to_cpu(&p, 0x11fffffff) == 0x7fffffff &&
	   to_cpu(&p, 0x120000000) == PVXEN_BADDR_ERROR,
	   "multi: two 512 MiB ranges at different offsets, a gap between");
	ok(dma_profile_set(&p, "rpi5") && dma_profile_set(&p, "") &&
	   dma_profile_set(&p, "RPI4"),
	   "unknown profile names refused");

	/* bcm2711.dtsi, as Linux has it (child bus, parent CPU, size) */
	{
		/* /soc: dma-ranges = <0xc0000000  0x0 0x00000000  0x40000000> */
		static const struct pvxen_dma_range soc = {
			0x0, 0xc0000000, 0x40000000 };
		/* emmc2bus, B0: <0x0 0xc0000000  0x0 0x0  0x40000000> */
		static const struct pvxen_dma_range emmc2_b0 = {
			0x0, 0xc0000000, 0x40000000 };
		/* emmc2bus, C0 (firmware-patched): <0x0 0x0  0x0 0x0  0xfc000000> */
		static const struct pvxen_dma_range emmc2_c0 = {
			0x0, 0x0, 0xfc000000 };
		/* pcie0: <0x02000000 0x0 0x0  0x0 0x0  0x0 0xc0000000> */
		static const struct pvxen_dma_range pcie = {
			0x0, 0x0, 0xc0000000 };
		struct pvxen_dma_range both[2] = { soc, pcie };

		p = custom(&soc, 1);
		ok(!dma_profile_check(&p) && to_cpu(&p, 0xc0001000) == 0x1000 &&
		   to_cpu(&p, 0x1000) == PVXEN_BADDR_ERROR &&
		   to_cpu(&p, 0xbfffffff) == PVXEN_BADDR_ERROR &&
		   to_cpu(&p, 0xffffffff) == 0x3fffffff,
		   "bcm2711 /soc: valid; bus 0xc0001000 is CPU 0x1000, bus 0x1000 nothing");
		p = custom(&emmc2_b0, 1);
		ok(!dma_profile_check(&p) && to_cpu(&p, 0xc0000000) == 0 &&
		   to_cpu(&p, 0x3ffff000) == PVXEN_BADDR_ERROR,
		   "bcm2711 emmc2bus (B0): valid, as /soc");
		p = custom(&emmc2_c0, 1);
		ok(!dma_profile_check(&p) && to_cpu(&p, 0xfbffffff) == 0xfbffffff &&
		   to_cpu(&p, 0xfc000000) == PVXEN_BADDR_ERROR,
		   "bcm2711 emmc2bus (C0): valid, identity below 0xfc000000");
		p = custom(&pcie, 1);
		ok(!dma_profile_check(&p) && to_cpu(&p, 0xbffff000) == 0xbffff000 &&
		   to_cpu(&p, 0xc0000000) == PVXEN_BADDR_ERROR,
		   "bcm2711 PCIe: valid, the first 3 GiB 1:1");
		p = custom(both, 2);
		why = dma_profile_check(&p);
		ok(why && !strcmp(why, "ranges overlap on the machine side"),
		   "/soc and PCIe in one table: refused (%s)", why);
	}
	{
		static const struct pvxen_dma_range zero[] = {
			{ 0x40000000, 0xc0000000, 0 } };
		static const struct pvxen_dma_range cpuwrap[] = {
			{ 0xfffffffffffff000, 0x1000, 0x2000 } };
		static const struct pvxen_dma_range buswrap[] = {
			{ 0x1000, 0xfffffffffffff000, 0x2000 } };
		static const struct pvxen_dma_range busover[] = {
			{ 0x40000000, 0xc0000000, 0x20000000 },
			{ 0x60000000, 0xd0000000, 0x20000000 } };
		static const struct pvxen_dma_range unaligned[] = {
			{ 0x40000800, 0xc0000800, 0x1000 } };
		struct pvxen_dma_range many[DMA_PROFILE_MAX_RANGES + 1];
		u32 i;

		p = custom(zero, 1);
		why = dma_profile_check(&p);
		ok(why && !strcmp(why, "zero-size range"), "zero-size: %s", why);
		p = custom(cpuwrap, 1);
		why = dma_profile_check(&p);
		ok(why && !strcmp(why, "range wraps on the machine side"),
		   "wrapping (machine): %s", why);
		p = custom(buswrap, 1);
		why = dma_profile_check(&p);
		ok(why && !strcmp(why, "range wraps on the DMA side"),
		   "wrapping (bus): %s", why);
		p = custom(busover, 2);
		why = dma_profile_check(&p);
		ok(why && !strcmp(why, "ranges overlap on the DMA side"),
		   "overlapping (bus): %s", why);
		p = custom(unaligned, 1);
		why = dma_profile_check(&p);
		ok(why && !strcmp(why, "range not 4 KiB aligned"),
		   "not 4 KiB aligned: %s", why);
		for (i = 0; i < ARRAY_SIZE(many); i++) {
			many[i].cpu_start = i * SZ_1G;
			many[i].bus_start = i * SZ_1G;
			many[i].size = SZ_4K;
		}
		p = custom(many, DMA_PROFILE_MAX_RANGES);
		ok(!dma_profile_check(&p), "%d disjoint ranges: fine",
		   DMA_PROFILE_MAX_RANGES);
		p.nr = DMA_PROFILE_MAX_RANGES + 1;
		why = dma_profile_check(&p);
		ok(why && !strcmp(why, "too many ranges") &&
		   dmae_init(&e, &p, &(struct dmae_env){ 0 }) == -1,
		   "one more: %s, and the engine refuses it", why);
	}
}

/* ---- the engine ---- */

#define A_RAM		0x7fe00000UL	/* 4 MiB: across rpi4's window top */
#define B_RAM		0x50000000UL	/* B's machine RAM, inside the window */
#define P(n)		(A_RAM + 0x10000UL * (n))	/* A's buffers */
#define OTHER		0x7fd00000UL	/* in the window, nobody's */

static void pattern(u64 pa, u64 len, u8 seed)
{
	u8 *p = machine(pa);
	u64 i;

	for (i = 0; i < len; i++)
		p[i] = (u8)(seed + i * 7);
}

static bool is_pattern(u64 pa, u64 len, u8 seed)
{
	u8 *p = machine(pa);
	u64 i;

	for (i = 0; i < len; i++)
		if (p[i] != (u8)(seed + i * 7))
			return false;
	return true;
}

static void rpi4_machine(void)
{
	struct dma_profile p;

	make_dom(A, 0, A_RAM, A_RAM, 4 * SZ_2M / 2);
	make_dom(B, 1, 0x40000000, B_RAM, SZ_2M);
	dma_profile_set(&p, "rpi4");
	if (start(&p, P(0)))
		abort();
	tail = 0;
}

static void test_bcm2711_soc(void)
{
	static const struct pvxen_dma_range soc = {
		0x0, 0xc0000000, 0x40000000 };
	struct dma_profile p = custom(&soc, 1);

	/* a 1:1 domain with RAM at machine 0, as a Raspberry Pi 4's */
	make_dom(A, 0, 0, 0, SZ_2M);
	ok(!start(&p, 0x100000), "engine on bcm2711's /soc table");
	tail = 0;
	pattern(0x1000, 0x1000, 1);
	ok(one(MXDMA_OP_COPY, 0xc0001000, 0xc0002000, 0x1000, 0) ==
	   MXDMA_ST_OK && is_pattern(0x2000, 0x1000, 1),
	   "/soc: bus 0xc0001000 -> 0xc0002000 copies machine 0x1000 -> 0x2000");
	ok(one(MXDMA_OP_COPY, 0xc0001000, 0x3000, 0x1000, 0) ==
	   MXDMA_ST_RANGE && all(0x3000, 0x1000, 0) &&
	   cnt(MXDMA_CNT_RANGE) == 1,
	   "/soc: the machine address as DMA address (no offset): refused, counted");
	ok(one(MXDMA_OP_FILL, 0, 0xc0000000 + SZ_2M, 16, 0x5a) ==
	   MXDMA_ST_OWNER && cnt(MXDMA_CNT_OWNER) == 1,
	   "/soc: in the window, beyond the domain's RAM: refused, counted");
}

static void test_own(void)
{
	struct mxdma_desc *d;

	rpi4_machine();
	ok(rd(MXDMA_ID) == MXDMA_ID_VALUE && rd(MXDMA_VERSION) == 1 &&
	   rd(MXDMA_PROFILE) == DMA_PROFILE_RPI4 &&
	   rd(MXDMA_MAX_LEN_REG) == MXDMA_MAX_LEN &&
	   rd(MXDMA_STATUS) == (MXDMA_STATUS_ENABLED | MXDMA_STATUS_IDLE),
	   "registers: id, version, profile, max length, enabled and idle");
	ok(dma(P(1)) == P(1) - 0x40000000 + 0xc0000000,
	   "rpi4: the device sees A's RAM at +0x80000000");
	pattern(P(1), 0x3000, 3);
	d = queue(MXDMA_OP_COPY, dma(P(1) + 0x800), dma(P(2) + 0x400), 0x1800,
		  0);
	ok(!irq_level, "no interrupt before the doorbell");
	kick();
	ok(d->status == MXDMA_ST_OK &&
	   !memcmp(machine(P(2) + 0x400), machine(P(1) + 0x800), 0x1800) &&
	   all(P(2), 0x400, 0) && all(P(2) + 0x1c00, 0x400, 0),
	   "copy across pages, own frames: every byte, nothing around it");
	ok(cnt(MXDMA_CNT_DONE) == 1 && cnt(MXDMA_CNT_BYTES) == 0x1800 &&
	   rd(MXDMA_HEAD) == 1 && irq_level &&
	   rd(MXDMA_IRQ_STATUS) == MXDMA_IRQ_DONE,
	   "counted; head moved; DONE raised the SPI");
	wr(MXDMA_IRQ_ACK, MXDMA_IRQ_DONE);
	ok(!irq_level && !rd(MXDMA_IRQ_STATUS), "acked: the line drops");
	ok(one(MXDMA_OP_FILL, 0, dma(P(3) + 0x10), 0x2000, 0xab) ==
	   MXDMA_ST_OK && all(P(3) + 0x10, 0x2000, 0xab) &&
	   all(P(3), 0x10, 0) && all(P(3) + 0x2010, 0x10, 0),
	   "fill across pages");
	ok(one(MXDMA_OP_COMPARE, dma(P(1)), dma(P(1)), 0x3000, 0) ==
	   MXDMA_ST_OK, "compare, equal: OK");
	memcpy(machine(P(4)), machine(P(1)), 0x3000);
	machine(P(4))[0x1234] ^= 1;
	d = queue(MXDMA_OP_COMPARE, dma(P(1)), dma(P(4)), 0x3000, 0);
	kick();
	ok(d->status == MXDMA_ST_MISMATCH && d->data == 0x1234 &&
	   cnt(MXDMA_CNT_MISMATCH) == 1,
	   "compare, one byte differs: MISMATCH at 0x1234");
	ok(cnt(MXDMA_CNT_RANGE) + cnt(MXDMA_CNT_OWNER) +
	   cnt(MXDMA_CNT_BADDESC) == 0 && cnt(MXDMA_CNT_DONE) == 4,
	   "nothing refused so far");
}

static void test_refused(void)
{
	u64 before = nr_logs;

	rpi4_machine();
	pattern(P(1), 0x2000, 5);
	ok(one(MXDMA_OP_COPY, dma(P(1)), P(5), 0x1000, 0) == MXDMA_ST_RANGE &&
	   all(P(5), 0x1000, 0) && cnt(MXDMA_CNT_RANGE) == 1 &&
	   nr_logs == before + 1 && strstr(last_log, "outside every range"),
	   "the Raspberry Pi 4 bug (machine address as DMA address): refused, counted, one line");
	ok(one(MXDMA_OP_COPY, dma(P(1)), 0x100000000UL, 0x1000, 0) ==
	   MXDMA_ST_RANGE && all(0x80000000, 0x1000, 0),
	   "bus 0x100000000 (A's own RAM at 0x80000000, above the window): refused");
	ok(one(MXDMA_OP_COPY, dma(P(1)), dma(0x7ffff800), 0x1000, 0) ==
	   MXDMA_ST_RANGE && all(0x7ffff800, 0x800, 0) &&
	   cnt(MXDMA_CNT_RANGE) == 3,
	   "across the window's top: refused, not even its first half written");
	ok(one(MXDMA_OP_COPY, 0xbffff000, dma(P(5)), 0x1000, 0) ==
	   MXDMA_ST_RANGE && all(P(5), 0x1000, 0),
	   "source below the window: refused");
	ok(one(MXDMA_OP_FILL, 0, dma(OTHER), 16, 1) == MXDMA_ST_OWNER &&
	   cnt(MXDMA_CNT_OWNER) == 1 && strstr(last_log, "not the domain's"),
	   "in the window, nobody's frame: refused, counted");
	ok(one(MXDMA_OP_COPY, dma(B_RAM), dma(P(5)), 16, 0) == MXDMA_ST_OWNER &&
	   one(MXDMA_OP_FILL, 0, dma(B_RAM), 16, 1) == MXDMA_ST_OWNER &&
	   all(B_RAM, 16, 0) && all(P(5), 16, 0),
	   "another domain's frame, not granted: neither read nor written");
	s2_unmap(&A->s2, P(6), SZ_4K);
	ok(one(MXDMA_OP_FILL, 0, dma(P(6)), 16, 1) == MXDMA_ST_OWNER &&
	   all(P(6), 16, 0),
	   "A's own frame, ballooned out of its stage 2: refused");
	ok(one(MXDMA_OP_COPY, dma(P(1)), dma(P(6) - 0x800), 0x1000, 0) ==
	   MXDMA_ST_OWNER && all(P(6) - 0x800, 0x800, 0),
	   "page-crossing into the ballooned frame: refused, nothing written");
	ok(rd(MXDMA_STATUS) == (MXDMA_STATUS_ENABLED | MXDMA_STATUS_IDLE) &&
	   (rd(MXDMA_IRQ_STATUS) & MXDMA_IRQ_ERROR) && irq_level &&
	   cnt(MXDMA_CNT_DONE) == 0,
	   "refusals: ERROR raised, the engine goes on, nothing done");
}

static void test_foreign(void)
{
	struct gnttab_map_grant_ref m, r;
	u64 f = B_RAM + SZ_4K;

	rpi4_machine();
	s2_unmap(&A->s2, P(6), SZ_4K);	/* as Linux balloons for grants */
	m = grant_map(8, 1, P(6), false);
	ok(m.status == GNTST_okay && m.dev_bus_addr == f,
	   "B's page granted and mapped by A at its ballooned IPA");
	pattern(P(1), 0x2000, 9);
	ok(one(MXDMA_OP_COPY, dma(P(1)), dma(f), 0x1000, 0) == MXDMA_ST_OK &&
	   is_pattern(f, 0x1000, 9),
	   "copy into the foreign frame at its machine address: lands in B's page");
	ok(one(MXDMA_OP_COPY, dma(P(1)), dma(P(6)), 0x1000, 0) ==
	   MXDMA_ST_OWNER && all(P(6), 0x1000, 0),
	   "the guest address of the foreign page as machine address (Linux before 5.9): refused");
	/* scatter-gather: a local and a foreign frame, side by side in A */
	queue(MXDMA_OP_COPY | MXDMA_F_CHAIN, dma(P(1)), dma(P(6) - 0x800),
	      0x800, 0);
	queue(MXDMA_OP_COPY, dma(P(1) + 0x800), dma(f), 0x800, 0);
	kick();
	ok(slot(tail - 2)->status == MXDMA_ST_OK &&
	   slot(tail - 1)->status == MXDMA_ST_OK &&
	   !memcmp(machine(P(6) - 0x800), machine(P(1)), 0x800) &&
	   !memcmp(machine(f), machine(P(1) + 0x800), 0x800),
	   "chain: local frame, then the foreign one: both right");
	ok(grant_unmap(&m) == GNTST_okay &&
	   one(MXDMA_OP_FILL, 0, dma(f), 16, 0xee) == MXDMA_ST_OWNER &&
	   !all(f, 16, 0xee),
	   "unmapped again: refused, B's page untouched");
	r = grant_map(9, 2, P(7), true);
	ok(r.status == GNTST_okay, "a read-only grant mapped");
	pattern(B_RAM + 2 * SZ_4K, 64, 11);
	ok(one(MXDMA_OP_COPY, dma(r.dev_bus_addr), dma(P(8)), 64, 0) ==
	   MXDMA_ST_OK && is_pattern(P(8), 64, 11) &&
	   one(MXDMA_OP_FILL, 0, dma(r.dev_bus_addr), 64, 0) ==
	   MXDMA_ST_OWNER && is_pattern(B_RAM + 2 * SZ_4K, 64, 11),
	   "read-only grant: read from, never written");
	ok(grant_unmap(&r) == GNTST_okay && cnt(MXDMA_CNT_OWNER) == 3,
	   "refusals counted");
}

static void test_chains(void)
{
	struct mxdma_desc *d[MXDMA_MAX_CHAIN + 1];
	u32 i;

	rpi4_machine();
	d[0] = queue(MXDMA_OP_FILL | MXDMA_F_CHAIN, 0, dma(P(4)), 64, 0x11);
	d[1] = queue(MXDMA_OP_FILL | MXDMA_F_CHAIN, 0, dma(P(5)), 64, 0x22);
	d[2] = queue(MXDMA_OP_FILL, 0, dma(OTHER), 64, 0x33);
	kick();
	ok(d[0]->status == MXDMA_ST_SKIPPED && d[1]->status ==
	   MXDMA_ST_SKIPPED && d[2]->status == MXDMA_ST_OWNER &&
	   all(P(4), 64, 0) && all(P(5), 64, 0) &&
	   cnt(MXDMA_CNT_OWNER) == 1 && !cnt(MXDMA_CNT_DONE),
	   "chain with a refused element: nothing of it runs");
	d[0] = queue(MXDMA_OP_FILL | MXDMA_F_CHAIN, 0, dma(P(4)), 64, 0x11);
	kick();
	ok(d[0]->status == MXDMA_ST_PENDING && rd(MXDMA_HEAD) == 3,
	   "an unfinished chain waits");
	d[1] = queue(MXDMA_OP_FILL, 0, dma(P(5)), 64, 0x22);
	kick();
	ok(d[0]->status == MXDMA_ST_OK && d[1]->status == MXDMA_ST_OK &&
	   all(P(4), 64, 0x11) && all(P(5), 64, 0x22) && rd(MXDMA_HEAD) == 5,
	   "...and runs once its end is queued");
	for (i = 0; i < MXDMA_MAX_CHAIN; i++)
		d[i] = queue(MXDMA_OP_FILL | MXDMA_F_CHAIN, 0, dma(P(6)), 1, 1);
	d[i] = queue(MXDMA_OP_FILL, 0, dma(P(7)), 1, 7);
	kick();
	ok(d[0]->status == MXDMA_ST_BAD_DESC &&
	   d[MXDMA_MAX_CHAIN - 1]->status == MXDMA_ST_BAD_DESC &&
	   all(P(6), 1, 0) && d[MXDMA_MAX_CHAIN]->status == MXDMA_ST_OK &&
	   cnt(MXDMA_CNT_BADDESC) == 1,
	   "a chain of %d: bad, not run; the next descriptor runs",
	   MXDMA_MAX_CHAIN + 1);
}

static void test_multi(void)
{
	struct dma_profile p;
	struct mxdma_desc *a, *b;
	u64 edge = 0x60000000;

	make_dom(A, 0, edge - SZ_2M, edge - SZ_2M, 2 * SZ_2M);
	dma_profile_set(&p, "multi");
	ok(!start(&p, edge - SZ_2M), "multi: engine up");
	tail = 0;
	pattern(edge - SZ_2M + SZ_64K, 0x1000, 13);
	ok(dma(edge - 0x800) == 0xdffff800 && dma(edge) == 0x100000000UL,
	   "machine 0x60000000 sits at bus 0x100000000, the byte before at 0xdfffffff");
	ok(one(MXDMA_OP_COPY, dma(edge - SZ_2M + SZ_64K), dma(edge - 0x800),
	       0x1000, 0) == MXDMA_ST_RANGE && all(edge - 0x800, 0x1000, 0),
	   "one DMA address across the two ranges: refused (the bus has a gap)");
	a = queue(MXDMA_OP_COPY | MXDMA_F_CHAIN, dma(edge - SZ_2M + SZ_64K),
		  dma(edge - 0x800), 0x800, 0);
	b = queue(MXDMA_OP_COPY, dma(edge - SZ_2M + SZ_64K + 0x800), dma(edge),
		  0x800, 0);
	kick();
	ok(a->status == MXDMA_ST_OK && b->status == MXDMA_ST_OK &&
	   is_pattern(edge - 0x800, 0x1000, 13),
	   "scatter-gather, one piece per range: machine-contiguous result");
}

static void test_identity(void)
{
	struct dma_profile p;

	make_dom(A, 0, A_RAM, A_RAM, 2 * SZ_2M);
	dma_profile_set(&p, "identity");
	ok(!start(&p, A_RAM), "identity: engine up");
	tail = 0;
	ok(one(MXDMA_OP_FILL, 0, 0x80000000, 0x1000, 0x77) == MXDMA_ST_OK &&
	   all(0x80000000, 0x1000, 0x77),
	   "identity: A's RAM above rpi4's window is reachable");
	ok(one(MXDMA_OP_FILL, 0, A_RAM + 2 * SZ_2M - 0x800, 0x1000, 0x66) ==
	   MXDMA_ST_OWNER && all(A_RAM + 2 * SZ_2M - 0x800, 0x800, 0),
	   "page-crossing past the end of A's RAM: refused, nothing written");
}

static void test_hostile(void)
{
	static const struct { u32 ctrl, len; u64 src, dst; } bad[] = {
		{ 0, 16, 0, 0 },
		{ 4, 16, 0, 0 },
		{ MXDMA_OP_FILL, 0, 0, 0 },
		{ MXDMA_OP_FILL, MXDMA_MAX_LEN + 1, 0, 0 },
		{ MXDMA_OP_FILL | BIT(9), 16, 0, 0 },
		{ MXDMA_OP_FILL, 0x100, 0, ~0UL - 0x10 },
		{ MXDMA_OP_COPY, 0x100, ~0UL - 0x10, 0 },
		{ MXDMA_OP_COPY | 0x10000, 0x100, 0, 0 },
	};
	struct mxdma_desc *d;
	bool all_bad = true;
	u64 lo, hi, v = 0;
	u32 i;

	rpi4_machine();
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		u64 dst = bad[i].dst ? bad[i].dst : dma(P(3));

		all_bad &= one(bad[i].ctrl, bad[i].src ? bad[i].src : dma(P(2)),
			       dst, bad[i].len, 0x44) == MXDMA_ST_BAD_DESC;
	}
	ok(all_bad && cnt(MXDMA_CNT_BADDESC) == ARRAY_SIZE(bad) &&
	   all(P(3), 0x20000, 0) && !cnt(MXDMA_CNT_DONE),
	   "bad op, length 0 or too long, reserved bits, wrapping: BAD_DESC, nothing written");
	ok(one(MXDMA_OP_FILL, 0, dma(P(3)), 16, 0x44) == MXDMA_ST_OK,
	   "the engine goes on after bad descriptors");

	/* the doorbell budget: 100 descriptors, 64 per doorbell */
	for (i = 0; i < 100; i++)
		d = queue(MXDMA_OP_FILL, 0, dma(P(4)) + i, 1, i);
	kick();
	ok(rd(MXDMA_HEAD) == (9 + MXDMA_BUDGET) % RING_SLOTS &&
	   (rd(MXDMA_IRQ_STATUS) & MXDMA_IRQ_MORE) &&
	   !(rd(MXDMA_STATUS) & MXDMA_STATUS_IDLE) &&
	   d->status == MXDMA_ST_PENDING,
	   "a doorbell runs %d descriptors, then says MORE", MXDMA_BUDGET);
	kick();
	ok(rd(MXDMA_HEAD) == tail && d->status == MXDMA_ST_OK &&
	   machine(P(4))[99] == 99,
	   "the next doorbell goes on: all 100 done");

	/* counters: 64-bit and as halves */
	dmae_mmio(&e, MXDMA_CNT_BASE + 8 * MXDMA_CNT_DONE, 8, false, &v);
	lo = rd(MXDMA_CNT_BASE + 8 * MXDMA_CNT_DONE);
	hi = rd(MXDMA_CNT_BASE + 8 * MXDMA_CNT_DONE + 4);
	ok(v == 101 && lo == 101 && hi == 0, "counters: 64-bit and halves");
	v = 0x1234;
	dmae_mmio(&e, MXDMA_HEAD + 1, 4, false, &v);
	ok(v == 0, "unaligned read: 0");
	v = 0x1234;
	dmae_mmio(&e, MXDMA_ID, 2, false, &v);
	ok(v == 0, "2-byte read: 0");
	v = 0x1234;
	dmae_mmio(&e, 0x5000, 4, false, &v);
	ok(v == 0, "beyond the registers: 0");
	wr(MXDMA_RING_SIZE, 3);
	ok(rd(MXDMA_RING_SIZE) == RING_SLOTS,
	   "ring registers frozen while enabled");

	/* tail beyond the ring */
	wr(MXDMA_TAIL, RING_SLOTS);
	ok((rd(MXDMA_STATUS) & MXDMA_STATUS_HALTED) &&
	   MXDMA_STATUS_CODE(rd(MXDMA_STATUS)) == MXDMA_HALT_TAIL &&
	   (rd(MXDMA_IRQ_STATUS) & MXDMA_IRQ_ERROR) &&
	   cnt(MXDMA_CNT_BADDESC) == ARRAY_SIZE(bad) + 1,
	   "tail beyond the ring: halted, counted");
	wr(MXDMA_TAIL, 1);
	ok(rd(MXDMA_TAIL) == tail, "halted: doorbells ignored");
	reset_engine();
	ok(rd(MXDMA_STATUS) == (MXDMA_STATUS_ENABLED | MXDMA_STATUS_IDLE) &&
	   one(MXDMA_OP_FILL, 0, dma(P(5)), 1, 1) == MXDMA_ST_OK,
	   "reset and enabled again: works");

	/* ring sizes and bases */
	wr(MXDMA_CTRL, 0);
	wr(MXDMA_RING_SIZE, 0);
	wr(MXDMA_CTRL, MXDMA_CTRL_ENABLE);
	ok(MXDMA_STATUS_CODE(rd(MXDMA_STATUS)) == MXDMA_HALT_RING,
	   "ring of 0 slots: halted");
	wr(MXDMA_CTRL, MXDMA_CTRL_RESET);
	wr(MXDMA_RING_SIZE, MXDMA_MAX_RING + 1);
	wr(MXDMA_CTRL, MXDMA_CTRL_ENABLE);
	ok(MXDMA_STATUS_CODE(rd(MXDMA_STATUS)) == MXDMA_HALT_RING,
	   "ring of %d slots: halted", MXDMA_MAX_RING + 1);
	wr(MXDMA_CTRL, MXDMA_CTRL_RESET);
	wr(MXDMA_RING_SIZE, RING_SLOTS);
	wr(MXDMA_RING_LO, (u32)dma(ring_pa) + 8);
	wr(MXDMA_CTRL, MXDMA_CTRL_ENABLE);
	ok(MXDMA_STATUS_CODE(rd(MXDMA_STATUS)) == MXDMA_HALT_RING,
	   "misaligned ring: halted");
	wr(MXDMA_CTRL, MXDMA_CTRL_RESET);
	v = ~0UL - 0xff;
	dmae_mmio(&e, MXDMA_RING_LO, 8, true, &v);
	wr(MXDMA_CTRL, MXDMA_CTRL_ENABLE);
	ok(MXDMA_STATUS_CODE(rd(MXDMA_STATUS)) == MXDMA_HALT_RING,
	   "ring wrapping past 2^64: halted");
	wr(MXDMA_CTRL, MXDMA_CTRL_RESET | MXDMA_CTRL_CLR_CNT);
	wr(MXDMA_RING_LO, (u32)ring_pa);
	wr(MXDMA_RING_HI, 0);
	wr(MXDMA_CTRL, MXDMA_CTRL_ENABLE);
	wr(MXDMA_TAIL, 1);
	ok(MXDMA_STATUS_CODE(rd(MXDMA_STATUS)) == MXDMA_HALT_FETCH &&
	   cnt(MXDMA_CNT_RANGE) == 1,
	   "ring at a machine address (outside the window): fetch refused, halted");
	wr(MXDMA_CTRL, MXDMA_CTRL_RESET | MXDMA_CTRL_CLR_CNT);
	wr(MXDMA_RING_LO, (u32)dma(OTHER));
	wr(MXDMA_CTRL, MXDMA_CTRL_ENABLE);
	wr(MXDMA_TAIL, 1);
	ok(MXDMA_STATUS_CODE(rd(MXDMA_STATUS)) == MXDMA_HALT_FETCH &&
	   cnt(MXDMA_CNT_OWNER) == 1,
	   "ring in nobody's frame: fetch refused, halted");

	/* the log: rate-limited, the counters count on */
	rpi4_machine();
	i = nr_logs;
	for (v = 0; v < 40; v++)
		one(MXDMA_OP_FILL, 0, 0x1000, 1, 0);
	ok(nr_logs - i == 16 && cnt(MXDMA_CNT_RANGE) == 40,
	   "40 refusals: 16 lines (the domain's rate limit), 40 counted");
}

int main(void)
{
	static const struct gnt_hooks hooks = {
		.alloc_page = alloc_page, .map_pa = map_pa,
		.dom_by_id = dom_by_id, .s2_flush = s2_flush,
	};

	gnt_set_hooks(&hooks);
	test_profiles();
	test_bcm2711_soc();
	test_own();
	test_refused();
	test_foreign();
	test_chains();
	test_multi();
	test_identity();
	test_hostile();
	ok(!lock_misuse, "no lock taken twice or released unheld");
	return tap_done();
}
