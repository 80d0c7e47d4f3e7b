// SPDX-License-Identifier: GPL-2.0-only
/*
 * The checking DMA engine (minixen/dmaengine.h): registers, the
 * descriptor ring, and the check of every DMA address it is given.
 *
 * A DMA address becomes a machine address through the domain's profile
 * (pvxen_dma_to_baddr(): outside every range or above the bus limit is
 * MXDMA_ST_RANGE); each 4 KiB machine frame it touches must then be the
 * domain's own RAM where its stage 2 maps it, or a frame it holds a grant
 * mapping of, writable for a write (else MXDMA_ST_OWNER). A chain of
 * descriptors is checked whole under the p2m lock before anything of it
 * is written, and run under the same hold: nothing is unmapped from the
 * domain in between. Guest input is copied once, then checked; the work
 * of one doorbell is bounded (MXDMA_BUDGET descriptors of at most
 * MXDMA_MAX_LEN bytes). Lock order: the engine's lock, then the p2m lock
 * or the vGIC's (set_irq), never both of those.
 */
#include <minixen/dmaengine.h>
#include <minixen/grant.h>
#include <minixen/s2.h>

#define PAGE_OFF(a)	((a) & (SZ_4K - 1))

int dmae_init(struct dmae *e, const struct dma_profile *p,
	      const struct dmae_env *env)
{
	if (dma_profile_check(p))
		return -1;
	memset(e, 0, sizeof(*e));
	e->env = *env;
	e->profile = *p;
	e->table = dma_profile_table(&e->profile);
	return 0;
}

/* Machine frame @pa: the domain's own RAM as mapped, or grant-mapped. */
static bool reachable(const struct dmae_env *m, u64 pa, bool write)
{
	u64 got, desc;

	if (pa >= m->ram_pa && pa - m->ram_pa < m->ram_size &&
	    !s2_lookup(m->s2, pa - m->ram_pa + m->ram_ipa, &got, &desc) &&
	    got == pa && (!write || (desc & S2_DESC_AP_W)))
		return true;
	return m->gnt && gnt_pa_mapped(m->gnt, pa, write);
}

u8 *dmae_frame(struct dmae *e, u64 dma, u64 len, bool write, u32 *why)
{
	struct pvxen_baddr b, last;

	*why = MXDMA_ST_RANGE;
	if (!len || len > SZ_4K - PAGE_OFF(dma))
		return NULL;
	b = pvxen_dma_to_baddr(&e->table, pvxen_mk_dma(dma));
	last = pvxen_dma_to_baddr(&e->table, pvxen_mk_dma(dma + len - 1));
	if (pvxen_baddr_is_error(b) || pvxen_baddr_is_error(last) ||
	    last.baddr - b.baddr != len - 1)
		return NULL;
	*why = MXDMA_ST_OWNER;
	if (!reachable(&e->env, b.baddr - PAGE_OFF(b.baddr), write))
		return NULL;
	return (u8 *)e->env.map_pa(b.baddr);
}

static const char *what(u32 st)
{
	switch (st) {
	case MXDMA_ST_RANGE:
		return "outside every range of the DMA profile";
	case MXDMA_ST_OWNER:
		return "not the domain's memory nor mapped by it";
	default:
		return "bad descriptor";
	}
}

/* Count a refusal (@st) of slot @idx's @side at @addr, and say so. */
static void refuse(struct dmae *e, u32 idx, const char *side, u64 addr,
		   u32 st)
{
	if (st == MXDMA_ST_RANGE)
		e->cnt[MXDMA_CNT_RANGE]++;
	else if (st == MXDMA_ST_OWNER)
		e->cnt[MXDMA_CNT_OWNER]++;
	else
		e->cnt[MXDMA_CNT_BADDESC]++;
	if (e->env.warn_ok && e->env.warn_ok(e->env.ctx))
		pr_warn("%s: DMA engine (%s): slot %u: %s 0x%lx: %s: refused",
			e->env.name, dma_profile_name(e->profile.id), idx, side,
			addr, what(st));
}

static void halt(struct dmae *e, u32 code)
{
	e->halt = code;
	e->irq_status |= MXDMA_IRQ_ERROR;
}

/* Slot @idx's descriptor, copied once; false (halted) if refused. */
static bool fetch(struct dmae *e, u32 idx, struct mxdma_desc *d)
{
	u64 a = e->ring + (u64)idx * MXDMA_DESC_SIZE;
	u32 why;
	u8 *p;

	spin_lock(e->env.p2m_lock);
	p = dmae_frame(e, a, MXDMA_DESC_SIZE, false, &why);
	if (p)
		memcpy(d, p, sizeof(*d));
	spin_unlock(e->env.p2m_lock);
	if (!p) {
		refuse(e, idx, "ring", a, why);
		halt(e, MXDMA_HALT_FETCH);
	}
	return p;
}

/* Slot @idx's data and status; false (halted) if refused. */
static bool writeback(struct dmae *e, u32 idx, const struct mxdma_desc *d)
{
	u64 a = e->ring + (u64)idx * MXDMA_DESC_SIZE +
		offsetof(struct mxdma_desc, data);
	u32 why, v[2] = { d->data, d->status };
	u8 *p;

	spin_lock(e->env.p2m_lock);
	p = dmae_frame(e, a, sizeof(v), true, &why);
	if (p)
		memcpy(p, v, sizeof(v));
	spin_unlock(e->env.p2m_lock);
	if (!p) {
		refuse(e, idx, "ring", a, why);
		halt(e, MXDMA_HALT_WRITEBACK);
	}
	return p;
}

static u32 desc_op(const struct mxdma_desc *d)
{
	return d->ctrl & MXDMA_OP_MASK;
}

static bool desc_ok(const struct mxdma_desc *d)
{
	u32 op = desc_op(d);

	if ((d->ctrl & ~MXDMA_CTRL_VALID) || op < MXDMA_OP_COPY ||
	    op > MXDMA_OP_COMPARE || !d->len || d->len > MXDMA_MAX_LEN)
		return false;
	if (d->len - 1 > ~0UL - d->dst)
		return false;
	return op == MXDMA_OP_FILL || d->len - 1 <= ~0UL - d->src;
}

/* Bytes from @a to the end of its 4 KiB page, at most @left. */
static u64 piece(u64 a, u64 left)
{
	return MIN(left, SZ_4K - PAGE_OFF(a));
}

/* Every frame of one side; *@bad the first refused address. */
static u32 check_side(struct dmae *e, u64 a, u32 len, bool write, u64 *bad)
{
	u64 off, n;
	u32 why;

	for (off = 0; off < len; off += n) {
		n = piece(a + off, len - off);
		if (!dmae_frame(e, a + off, n, write, &why)) {
			*bad = a + off;
			return why;
		}
	}
	return MXDMA_ST_OK;
}

/* Run a checked descriptor; under the p2m lock held since its check. */
static u32 run(struct dmae *e, struct mxdma_desc *d)
{
	u32 op = desc_op(d), why, i;
	u64 off, n;
	u8 *s = NULL, *t;

	for (off = 0; off < d->len; off += n) {
		n = piece(d->dst + off, d->len - off);
		if (op != MXDMA_OP_FILL) {
			n = piece(d->src + off, n);
			s = dmae_frame(e, d->src + off, n, false, &why);
		}
		t = dmae_frame(e, d->dst + off, n, op != MXDMA_OP_COMPARE,
			       &why);
		if (!t || (op != MXDMA_OP_FILL && !s))
			return why;	/* not after a check under the lock */
		if (op == MXDMA_OP_COPY) {
			memmove(t, s, n);
		} else if (op == MXDMA_OP_FILL) {
			memset(t, d->data & 0xff, n);
		} else if (memcmp(s, t, n)) {
			for (i = 0; s[i] == t[i]; i++)
				;
			d->data = off + i;
			return MXDMA_ST_MISMATCH;
		}
	}
	return MXDMA_ST_OK;
}

/*
 * Check and run the chain @c[0..n) read from slots @first...; set each
 * element's status. All or nothing: one refused element, and nothing of
 * the chain runs. @too_long: its last element still said CHAIN.
 */
static bool run_chain(struct dmae *e, struct mxdma_desc *c, u32 n,
		      u32 first, bool too_long)
{
	u32 i, st = MXDMA_ST_OK, bad = 0, op;
	const char *side = "";
	u64 where = 0;

	for (i = 0; i < n; i++)
		c[i].status = too_long ? MXDMA_ST_BAD_DESC : MXDMA_ST_SKIPPED;
	for (i = 0; i < n && !too_long && st == MXDMA_ST_OK; i++)
		if (!desc_ok(&c[i])) {
			st = MXDMA_ST_BAD_DESC;
			bad = i;
		}
	if (too_long || st != MXDMA_ST_OK) {
		c[bad].status = MXDMA_ST_BAD_DESC;
		refuse(e, (first + bad) % e->ring_size, "ctrl", c[bad].ctrl,
		       MXDMA_ST_BAD_DESC);
		return false;
	}
	spin_lock(e->env.p2m_lock);
	for (i = 0; i < n && st == MXDMA_ST_OK; i++) {
		op = desc_op(&c[i]);
		bad = i;
		side = "dst";
		st = check_side(e, c[i].dst, c[i].len,
				op != MXDMA_OP_COMPARE, &where);
		if (st == MXDMA_ST_OK && op != MXDMA_OP_FILL) {
			side = "src";
			st = check_side(e, c[i].src, c[i].len, false, &where);
		}
	}
	for (i = 0; i < n && st == MXDMA_ST_OK; i++) {
		c[i].status = run(e, &c[i]);
		e->cnt[MXDMA_CNT_DONE]++;
		e->cnt[MXDMA_CNT_BYTES] += c[i].len;
		e->cnt[MXDMA_CNT_MISMATCH] +=
			c[i].status == MXDMA_ST_MISMATCH;
	}
	spin_unlock(e->env.p2m_lock);
	if (st == MXDMA_ST_OK)
		return true;
	c[bad].status = st;
	refuse(e, (first + bad) % e->ring_size, side, where, st);
	return false;
}

/* From head to tail, at most about MXDMA_BUDGET descriptors. */
static void process(struct dmae *e)
{
	struct mxdma_desc c[MXDMA_MAX_CHAIN];
	u32 budget = MXDMA_BUDGET, n, i, idx;
	bool too_long;

	while (e->head != e->tail && !e->halt) {
		if (!budget) {
			e->irq_status |= MXDMA_IRQ_MORE;
			return;
		}
		idx = e->head;
		n = 0;
		too_long = false;
		for (;;) {
			if (!fetch(e, idx, &c[n]))
				return;
			idx = (idx + 1) % e->ring_size;
			if (!(c[n++].ctrl & MXDMA_F_CHAIN))
				break;
			if (n == MXDMA_MAX_CHAIN) {
				too_long = true;
				break;
			}
			if (idx == e->tail)
				return;	/* the rest of the chain is to come */
		}
		if (!run_chain(e, c, n, e->head, too_long))
			e->irq_status |= MXDMA_IRQ_ERROR;
		for (i = 0; i < n; i++)
			if (!writeback(e, (e->head + i) % e->ring_size, &c[i]))
				return;
		e->head = idx;
		e->irq_status |= MXDMA_IRQ_DONE;
		budget -= MIN(budget, n);
	}
}

static void enable(struct dmae *e)
{
	u64 bytes = (u64)e->ring_size * MXDMA_DESC_SIZE;

	e->head = 0;
	e->tail = 0;
	e->ctrl |= MXDMA_CTRL_ENABLE;
	if (!e->ring_size || e->ring_size > MXDMA_MAX_RING ||
	    e->ring % MXDMA_DESC_SIZE || bytes - 1 > ~0UL - e->ring) {
		refuse(e, 0, "ring", e->ring, MXDMA_ST_BAD_DESC);
		halt(e, MXDMA_HALT_RING);
	}
}

static void write_ctrl(struct dmae *e, u32 v)
{
	if (v & MXDMA_CTRL_RESET) {
		e->ctrl = 0;
		e->halt = 0;
		e->head = 0;
		e->tail = 0;
		e->irq_status = 0;
	}
	if (v & MXDMA_CTRL_CLR_CNT)
		memset(e->cnt, 0, sizeof(e->cnt));
	if (!(v & MXDMA_CTRL_ENABLE))
		e->ctrl &= ~MXDMA_CTRL_ENABLE;
	else if (!(e->ctrl & MXDMA_CTRL_ENABLE))
		enable(e);
}

static void write_tail(struct dmae *e, u64 v)
{
	if (!(e->ctrl & MXDMA_CTRL_ENABLE) || e->halt)
		return;
	if (v >= e->ring_size) {
		refuse(e, e->head, "tail", v, MXDMA_ST_BAD_DESC);
		halt(e, MXDMA_HALT_TAIL);
		return;
	}
	e->tail = v;
	process(e);
}

static void write_reg(struct dmae *e, u64 off, int size, u64 v)
{
	bool idle = !(e->ctrl & MXDMA_CTRL_ENABLE);

	if (size == 8) {
		if (off == MXDMA_RING_LO && idle)
			e->ring = v;
		return;
	}
	switch (off) {
	case MXDMA_CTRL:
		write_ctrl(e, v);
		break;
	case MXDMA_RING_LO:
		if (idle)
			e->ring = (e->ring & ~0xffffffffUL) | (u32)v;
		break;
	case MXDMA_RING_HI:
		if (idle)
			e->ring = (u32)e->ring | (v << 32);
		break;
	case MXDMA_RING_SIZE:
		if (idle)
			e->ring_size = v;
		break;
	case MXDMA_TAIL:
		write_tail(e, v);
		break;
	case MXDMA_IRQ_MASK:
		e->irq_mask = v & (MXDMA_IRQ_DONE | MXDMA_IRQ_ERROR |
				   MXDMA_IRQ_MORE);
		break;
	case MXDMA_IRQ_ACK:
		e->irq_status &= ~v;
		break;
	default:
		break;
	}
}

static u64 read_reg(struct dmae *e, u64 off, int size)
{
	u64 v;

	if (off >= MXDMA_CNT_BASE && off < MXDMA_CNT_BASE + 8 * MXDMA_NR_CNT) {
		v = e->cnt[(off - MXDMA_CNT_BASE) / 8];
		if (size == 8)
			return v;
		return (u32)(off & 4 ? v >> 32 : v);
	}
	if (size == 8)
		return off == MXDMA_RING_LO ? e->ring : 0;
	switch (off) {
	case MXDMA_ID:
		return MXDMA_ID_VALUE;
	case MXDMA_VERSION:
		return 1;
	case MXDMA_CTRL:
		return e->ctrl;
	case MXDMA_STATUS:
		return (e->ctrl & MXDMA_CTRL_ENABLE ? MXDMA_STATUS_ENABLED : 0) |
		       (e->halt ? MXDMA_STATUS_HALTED : 0) |
		       (e->head == e->tail ? MXDMA_STATUS_IDLE : 0) |
		       e->halt << 8;
	case MXDMA_RING_LO:
		return (u32)e->ring;
	case MXDMA_RING_HI:
		return e->ring >> 32;
	case MXDMA_RING_SIZE:
		return e->ring_size;
	case MXDMA_TAIL:
		return e->tail;
	case MXDMA_HEAD:
		return e->head;
	case MXDMA_IRQ_STATUS:
		return e->irq_status;
	case MXDMA_IRQ_MASK:
		return e->irq_mask;
	case MXDMA_PROFILE:
		return e->profile.id;
	case MXDMA_MAX_LEN_REG:
		return MXDMA_MAX_LEN;
	case MXDMA_MAX_RING_REG:
		return MXDMA_MAX_RING;
	default:
		return 0;
	}
}

u32 dmae_mmio(struct dmae *e, u64 off, int size, bool write, u64 *val)
{
	bool ok = (size == 4 || size == 8) && !(off & (size - 1)) &&
		  off < MXDMA_REG_SIZE;
	u32 kick = 0;

	spin_lock(&e->lock);
	if (write && ok)
		write_reg(e, off, size, *val);
	else if (!write)
		*val = ok ? read_reg(e, off, size) : 0;
	if (e->env.set_irq)
		kick = e->env.set_irq(e->env.ctx,
				      e->irq_status & e->irq_mask);
	spin_unlock(&e->lock);
	return kick;
}
