// SPDX-License-Identifier: GPL-2.0-only
/*
 * Virtual GICv3: register emulation and list register management.
 */
#include <minixen/vgic.h>

#define GICD_CTLR	0x0000
#define GICD_TYPER	0x0004
#define GICD_IGROUPR	0x0080
#define GICD_ISENABLER	0x0100
#define GICD_ICENABLER	0x0180
#define GICD_ISPENDR	0x0200
#define GICD_ICPENDR	0x0280
#define GICD_ISACTIVER	0x0300
#define GICD_ICACTIVER	0x0380
#define GICD_IPRIORITYR	0x0400
#define GICD_ICFGR	0x0c00
#define GICD_IROUTER	0x6000
#define GICD_PIDR2	0xffe8

#define GICR_CTLR	0x0000
#define GICR_TYPER	0x0008
#define GICR_WAKER	0x0014
#define GICR_PIDR2	0xffe8
#define GICR_SGI	0x10000

#define CTLR_ENABLE	0x3		/* EnableGrp0 | EnableGrp1 (DS = 1) */
#define CTLR_ARE	BIT(4)
#define CTLR_DS		BIT(6)
#define PIDR2_GICV3	0x3b
#define AFF_MASK	0xff00ffffffUL

u64 vgic_vcpu_mpidr(u32 id)
{
	return ((u64)(id / 16) << 8) | (id % 16);
}

int vgic_vcpu_by_mpidr(const struct vgic *g, u64 mpidr)
{
	u32 i;

	for (i = 0; i < g->nr_vcpus; i++)
		if ((g->vcpu[i]->mpidr & AFF_MASK) == (mpidr & AFF_MASK))
			return i;
	return -1;
}

static void irq_reset(struct vgic_irq *irq, bool edge)
{
	memset(irq, 0, sizeof(*irq));
	irq->lr = -1;
	irq->edge = edge;
}

void vgic_init(struct vgic *g, u32 nr_vcpus, struct vgic_vcpu **vcpus,
	       u32 nr_lr)
{
	u32 i, j;

	memset(g, 0, sizeof(*g));
	g->nr_vcpus = nr_vcpus;
	for (i = 0; i < VGIC_NR_SPI; i++)
		irq_reset(&g->spi[i], false);
	for (i = 0; i < nr_vcpus; i++) {
		struct vgic_vcpu *v = vcpus[i];

		memset(v, 0, sizeof(*v));
		g->vcpu[i] = v;
		v->nr_lr = MIN(nr_lr, VGIC_MAX_LR);
		v->mpidr = vgic_vcpu_mpidr(i);
		v->waker = 2;		/* ProcessorSleep */
		v->hcr = ICH_HCR_EN;
		for (j = 0; j < VGIC_NR_PRIV; j++)
			irq_reset(&v->priv[j], j < 16);
	}
}

static struct vgic_irq *irq_of(struct vgic *g, u32 vcpu, u32 intid)
{
	if (intid < VGIC_NR_PRIV)
		return vcpu < g->nr_vcpus ? &g->vcpu[vcpu]->priv[intid] : NULL;
	if (intid < VGIC_NR_IRQS)
		return &g->spi[intid - VGIC_NR_PRIV];
	return NULL;
}

/* The vCPU an interrupt is delivered to. */
static u32 owner(const struct vgic *g, u32 vcpu, u32 intid)
{
	if (intid < VGIC_NR_PRIV || intid >= VGIC_NR_IRQS)
		return vcpu;
	return g->spi[intid - VGIC_NR_PRIV].target;
}

static bool deliverable(const struct vgic *g, u32 intid,
			const struct vgic_irq *irq)
{
	if (!irq->enabled)
		return false;
	return intid < VGIC_NR_PRIV || (g->ctlr & CTLR_ENABLE);
}

/*
 * One 32-bit register of a 1-bit-per-interrupt bank (enable, pending,
 * active), covering @intid0..+31, as seen by @vcpu.
 */
static u32 bits_read(struct vgic *g, u32 vcpu, u32 intid0, u64 reg)
{
	u32 val = 0, i;

	for (i = 0; i < 32; i++) {
		struct vgic_irq *irq = irq_of(g, vcpu, intid0 + i);
		u32 o = owner(g, vcpu, intid0 + i);
		u64 lr = 0;
		bool on = false;

		if (!irq)
			break;
		if (irq->lr >= 0 && o < g->nr_vcpus)
			lr = g->vcpu[o]->lr[irq->lr];
		switch (reg) {
		case GICD_ISENABLER:
		case GICD_ICENABLER:
			on = irq->enabled;
			break;
		case GICD_ISPENDR:
		case GICD_ICPENDR:
			on = irq->pending || (lr & LR_PENDING) ||
			     (!irq->edge && irq->level);
			break;
		case GICD_ISACTIVER:
		case GICD_ICACTIVER:
			on = lr & LR_ACTIVE;
			break;
		}
		if (on)
			val |= 1U << i;
	}
	return val;
}

static u32 bits_write(struct vgic *g, u32 vcpu, u32 intid0, u64 reg, u32 val)
{
	u32 kick = 0, i;

	for (i = 0; i < 32; i++) {
		struct vgic_irq *irq = irq_of(g, vcpu, intid0 + i);

		if (!irq)
			break;
		if (!(val & (1U << i)))
			continue;
		switch (reg) {
		case GICD_ISENABLER:
			irq->enabled = true;
			break;
		case GICD_ICENABLER:
			irq->enabled = false;
			break;
		case GICD_ISPENDR:
			irq->pending = true;
			break;
		case GICD_ICPENDR:
			irq->pending = false;
			break;
		default:
			continue;	/* active state lives in the LRs */
		}
		kick |= 1U << owner(g, vcpu, intid0 + i);
	}
	return kick;
}

/* IPRIORITYR: byte or word accesses only; wider ones are RAZ/WI. */
static u32 prio_read(struct vgic *g, u32 vcpu, u32 intid0, int size)
{
	u32 val = 0;
	int i;

	if (size > 4)
		return 0;
	for (i = 0; i < size; i++) {
		struct vgic_irq *irq = irq_of(g, vcpu, intid0 + i);

		if (irq)
			val |= (u32)irq->prio << (8 * i);
	}
	return val;
}

static void prio_write(struct vgic *g, u32 vcpu, u32 intid0, int size,
		       u32 val)
{
	int i;

	if (size > 4)
		return;
	for (i = 0; i < size; i++) {
		struct vgic_irq *irq = irq_of(g, vcpu, intid0 + i);

		if (irq)
			irq->prio = (val >> (8 * i)) & 0xf8;
	}
}

static u32 cfg_read(struct vgic *g, u32 vcpu, u32 intid0)
{
	u32 val = 0, i;

	for (i = 0; i < 16; i++) {
		struct vgic_irq *irq = irq_of(g, vcpu, intid0 + i);

		if (irq && irq->edge)
			val |= 2U << (2 * i);
	}
	return val;
}

static void cfg_write(struct vgic *g, u32 vcpu, u32 intid0, u32 val)
{
	u32 i;

	for (i = 0; i < 16; i++) {
		struct vgic_irq *irq = irq_of(g, vcpu, intid0 + i);

		/* SGIs are always edge-triggered. */
		if (irq && intid0 + i >= 16)
			irq->edge = val & (2U << (2 * i));
	}
}

/*
 * Misaligned or odd-sized accesses are RAZ/WI (the GIC spec leaves them
 * UNPREDICTABLE); the register helpers rely on natural alignment.
 */
static bool misaligned(u64 off, int size)
{
	return (size != 1 && size != 2 && size != 4 && size != 8) ||
	       (off & (size - 1));
}

u64 vgic_dist_read(struct vgic *g, u64 off, int size)
{
	u64 reg = off & ~0x7fUL;

	if (misaligned(off, size))
		return 0;

	if (off >= GICD_IROUTER + 8 * VGIC_NR_PRIV &&
	    off < GICD_IROUTER + 8 * VGIC_NR_IRQS) {
		u64 v = g->irouter[(off - GICD_IROUTER) / 8 - VGIC_NR_PRIV];

		if (size < 4)
			return 0;
		return (off & 4) ? v >> 32 : (size == 4 ? (u32)v : v);
	}
	if (off >= GICD_IPRIORITYR + VGIC_NR_PRIV &&
	    off < GICD_IPRIORITYR + VGIC_NR_IRQS)
		return prio_read(g, 0, off - GICD_IPRIORITYR, size);
	if (off >= GICD_ICFGR + 8 && off < GICD_ICFGR + VGIC_NR_IRQS / 4 &&
	    !(off & 3))
		return cfg_read(g, 0, (off - GICD_ICFGR) * 4);
	switch (off) {
	case GICD_CTLR:
		return (g->ctlr & CTLR_ENABLE) | CTLR_ARE | CTLR_DS;
	case GICD_TYPER:
		return (VGIC_NR_IRQS / 32 - 1) | ((g->nr_vcpus - 1) << 5) |
		       (9U << 19);
	case GICD_PIDR2:
		return PIDR2_GICV3;
	}
	if (reg >= GICD_IGROUPR && reg <= GICD_ICACTIVER && (off & 0x7f) &&
	    (off & 0x7f) < VGIC_NR_IRQS / 8 && !(off & 3)) {
		if (reg == GICD_IGROUPR)
			return 0xffffffff;
		return bits_read(g, 0, (off & 0x7f) * 8, reg);
	}
	return 0;
}

static u32 route_spi(struct vgic *g, u32 n, u64 val)
{
	struct vgic_irq *irq = &g->spi[n];
	int t = (val & BIT(31)) ? 0 : vgic_vcpu_by_mpidr(g, val);

	g->irouter[n] = val & (AFF_MASK | BIT(31));
	if (t < 0)
		t = 0;
	if (irq->lr < 0)
		irq->target = t;
	return 1U << irq->target;
}

u32 vgic_dist_write(struct vgic *g, u64 off, int size, u64 val)
{
	u64 reg = off & ~0x7fUL;

	if (misaligned(off, size))
		return 0;

	if (off >= GICD_IROUTER + 8 * VGIC_NR_PRIV &&
	    off < GICD_IROUTER + 8 * VGIC_NR_IRQS) {
		u32 n = (off - GICD_IROUTER) / 8 - VGIC_NR_PRIV;
		u64 old = g->irouter[n];

		if (size < 4)
			return 0;
		if (size == 4)
			val = (off & 4) ? (old & 0xffffffffUL) | (val << 32) :
					  (old & ~0xffffffffUL) | val;
		return route_spi(g, n, val);
	}
	if (off >= GICD_IPRIORITYR + VGIC_NR_PRIV &&
	    off < GICD_IPRIORITYR + VGIC_NR_IRQS) {
		prio_write(g, 0, off - GICD_IPRIORITYR, size, val);
		return 0;
	}
	if (off >= GICD_ICFGR + 8 && off < GICD_ICFGR + VGIC_NR_IRQS / 4 &&
	    !(off & 3)) {
		cfg_write(g, 0, (off - GICD_ICFGR) * 4, val);
		return 0;
	}
	if (off == GICD_CTLR) {
		g->ctlr = val & CTLR_ENABLE;
		return (1U << g->nr_vcpus) - 1;
	}
	if (reg >= GICD_ISENABLER && reg <= GICD_ICACTIVER && (off & 0x7f) &&
	    (off & 0x7f) < VGIC_NR_IRQS / 8 && !(off & 3))
		return bits_write(g, 0, (off & 0x7f) * 8, reg, val);
	return 0;
}

bool vgic_redist_valid(const struct vgic *g, u64 off)
{
	return off < g->nr_vcpus * VGIC_GICR_STRIDE;
}

u64 vgic_redist_read(struct vgic *g, u64 off, int size)
{
	u32 id = off / VGIC_GICR_STRIDE;
	struct vgic_vcpu *v;
	u64 fo = off % VGIC_GICR_STRIDE, typer;

	if (id >= g->nr_vcpus || misaligned(off, size))
		return 0;
	v = g->vcpu[id];
	if (fo >= GICR_SGI) {
		fo -= GICR_SGI;
		if (fo >= GICD_IPRIORITYR && fo < GICD_IPRIORITYR + 32)
			return prio_read(g, id, fo - GICD_IPRIORITYR, size);
		if (fo == GICD_ICFGR || fo == GICD_ICFGR + 4)
			return cfg_read(g, id, (fo - GICD_ICFGR) * 4);
		if (fo == GICD_IGROUPR)
			return 0xffffffff;
		if (fo >= GICD_ISENABLER && fo <= GICD_ICACTIVER &&
		    !(fo & 0x7f))
			return bits_read(g, id, 0, fo);
		return 0;
	}
	typer = ((v->mpidr & 0xffffff) << 32) | ((v->mpidr >> 32) << 56) |
		((u64)id << 8) | (id == g->nr_vcpus - 1 ? BIT(4) : 0);
	switch (fo) {
	case GICR_CTLR:
		return v->ctlr;
	case GICR_TYPER:
		return size == 8 ? typer : (u32)typer;
	case GICR_TYPER + 4:
		return typer >> 32;
	case GICR_WAKER:
		return v->waker | ((v->waker & 2) << 1);
	case GICR_PIDR2:
		return PIDR2_GICV3;
	}
	return 0;
}

u32 vgic_redist_write(struct vgic *g, u64 off, int size, u64 val)
{
	u32 id = off / VGIC_GICR_STRIDE;
	struct vgic_vcpu *v;
	u64 fo = off % VGIC_GICR_STRIDE;

	if (id >= g->nr_vcpus || misaligned(off, size))
		return 0;
	v = g->vcpu[id];
	if (fo >= GICR_SGI) {
		fo -= GICR_SGI;
		if (fo >= GICD_IPRIORITYR && fo < GICD_IPRIORITYR + 32)
			prio_write(g, id, fo - GICD_IPRIORITYR, size, val);
		else if (fo == GICD_ICFGR + 4)
			cfg_write(g, id, 16, val);
		else if (fo >= GICD_ISENABLER && fo <= GICD_ICACTIVER &&
			 !(fo & 0x7f))
			return bits_write(g, id, 0, fo, val);
		return 0;
	}
	if (fo == GICR_WAKER)
		v->waker = val & 2;
	else if (fo == GICR_CTLR)
		v->ctlr = val & 1;
	return 0;
}

u32 vgic_inject(struct vgic *g, u32 vcpu, u32 intid)
{
	struct vgic_irq *irq = irq_of(g, vcpu, intid);

	if (!irq)
		return 0;
	irq->pending = true;
	return 1U << owner(g, vcpu, intid);
}

void vgic_ppi_level(struct vgic *g, u32 vcpu, u32 intid)
{
	struct vgic_irq *irq;

	if (intid < 16 || intid >= VGIC_NR_PRIV ||	/* PPIs only */
	    vcpu >= g->nr_vcpus)
		return;
	irq = &g->vcpu[vcpu]->priv[intid];
	if (irq->lr < 0)
		irq->pending = true;
}

u32 vgic_set_level(struct vgic *g, u32 intid, bool level)
{
	struct vgic_irq *irq = irq_of(g, 0, intid);

	if (!irq || intid < VGIC_NR_PRIV || irq->level == level)
		return 0;
	irq->level = level;
	if (irq->edge && level)
		irq->pending = true;
	return 1U << irq->target;
}

u32 vgic_sgi(struct vgic *g, u32 src, u64 sgi1r)
{
	u32 intid = (sgi1r >> 24) & 0xf, kick = 0, i;
	u64 aff = ((sgi1r >> 16) & 0xff) << 8 | ((sgi1r >> 32) & 0xff) << 16 |
		  ((sgi1r >> 48) & 0xffUL) << 32;

	for (i = 0; i < g->nr_vcpus; i++) {
		u64 m = g->vcpu[i]->mpidr;

		if (sgi1r & BIT(40)) {
			if (i == src)
				continue;
		} else if ((m & ~0xffUL & AFF_MASK) != aff || (m & 0xff) > 15 ||
			   !(sgi1r & BIT(m & 0xf))) {
			continue;
		}
		kick |= vgic_inject(g, i, intid);
	}
	return kick;
}

void vgic_sync(struct vgic *g, u32 vcpu)
{
	struct vgic_vcpu *v = g->vcpu[vcpu];
	u32 i;

	for (i = 0; i < v->nr_lr; i++) {
		u64 lr = v->lr[i];
		struct vgic_irq *irq;

		if (!lr || (lr & LR_STATE))
			continue;
		irq = irq_of(g, vcpu, lr & LR_INTID_MASK);
		if (irq && irq->lr == (s8)i)
			irq->lr = -1;
		v->lr[i] = 0;
	}
}

/* Level-sensitive SPIs: pending follows the line while not in an LR. */
static void update_levels(struct vgic *g, u32 vcpu)
{
	u32 i;

	for (i = 0; i < VGIC_NR_SPI; i++) {
		struct vgic_irq *irq = &g->spi[i];

		if (irq->edge || irq->target != vcpu || irq->lr >= 0)
			continue;
		irq->pending = irq->level;
	}
}

static int free_lr(struct vgic_vcpu *v)
{
	u32 i;

	for (i = 0; i < v->nr_lr; i++)
		if (!(v->lr[i] & LR_STATE))
			return i;
	return -1;
}

/* A pending-only LR of lower priority than @prio, to make room. */
static int victim_lr(struct vgic_vcpu *v, u8 prio)
{
	int best = -1;
	u8 worst = prio;
	u32 i;

	for (i = 0; i < v->nr_lr; i++) {
		u8 p = v->lr[i] >> LR_PRIO_SHIFT;

		if ((v->lr[i] & LR_STATE) == LR_PENDING && p > worst) {
			worst = p;
			best = i;
		}
	}
	return best;
}

static void place(struct vgic *g, u32 vcpu, u32 intid, struct vgic_irq *irq,
		  bool *overflow)
{
	struct vgic_vcpu *v = g->vcpu[vcpu];
	int i;

	if (irq->lr >= 0) {
		u64 *lr = &v->lr[irq->lr];

		if ((*lr & LR_STATE) == LR_ACTIVE)
			*lr |= LR_PENDING;
		irq->pending = false;
		return;
	}
	i = free_lr(v);
	if (i < 0) {
		i = victim_lr(v, irq->prio);
		if (i < 0) {
			*overflow = true;
			return;
		}
		/* Push the lower-priority interrupt back to software. */
		irq_of(g, vcpu, v->lr[i] & LR_INTID_MASK)->pending = true;
		irq_of(g, vcpu, v->lr[i] & LR_INTID_MASK)->lr = -1;
		*overflow = true;
	}
	v->lr[i] = LR_PENDING | LR_GROUP1 | intid |
		   ((u64)irq->prio << LR_PRIO_SHIFT) |
		   (intid >= VGIC_NR_PRIV && !irq->edge ? LR_EOI : 0);
	irq->lr = i;
	irq->pending = false;
}

void vgic_flush(struct vgic *g, u32 vcpu)
{
	struct vgic_vcpu *v = g->vcpu[vcpu];
	bool overflow = false;
	u32 intid;

	update_levels(g, vcpu);
	for (intid = 0; intid < VGIC_NR_IRQS; intid++) {
		struct vgic_irq *irq = irq_of(g, vcpu, intid);

		if (owner(g, vcpu, intid) != vcpu || !irq->pending ||
		    !deliverable(g, intid, irq))
			continue;
		place(g, vcpu, intid, irq, &overflow);
	}
	v->hcr = ICH_HCR_EN | (overflow ? ICH_HCR_UIE : 0);
}

bool vgic_has_pending(const struct vgic *g, u32 vcpu)
{
	const struct vgic_vcpu *v = g->vcpu[vcpu];
	u32 intid, i;

	for (i = 0; i < v->nr_lr; i++)
		if (v->lr[i] & LR_PENDING)
			return true;
	for (intid = 0; intid < VGIC_NR_IRQS; intid++) {
		const struct vgic_irq *irq = intid < VGIC_NR_PRIV ?
			&v->priv[intid] : &g->spi[intid - VGIC_NR_PRIV];
		bool p = irq->pending || (!irq->edge && irq->level &&
					  intid >= VGIC_NR_PRIV &&
					  irq->lr < 0);

		if (owner(g, vcpu, intid) == vcpu && p &&
		    deliverable(g, intid, irq))
			return true;
	}
	return false;
}
