// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stage-2 table builder (pure: no system registers, no TLB maintenance;
 * the caller invalidates after changing live tables).
 */
#include <minixen/s2.h>

#define LVL_SHIFT(l)	(39 - 9 * (l))	/* l = 1: 30, 2: 21, 3: 12 */
#define LVL_SIZE(l)	(1UL << LVL_SHIFT(l))
#define IDX(ipa, l)	(((ipa) >> LVL_SHIFT(l)) & (S2_PTRS - 1))

#define S2_MEMATTR(x)	((u64)(x) << 2)
#define S2_AP_RO	BIT(6)
#define S2_AP_RW	(3UL << 6)
#define S2_SH_INNER	(3UL << 8)
#define S2_XN		(2UL << 53)

static u64 leaf_attrs(int kind)
{
	switch (kind) {
	case S2_RAM_RO:
		return S2_MEMATTR(0xf) | S2_AP_RO | S2_SH_INNER | S2_DESC_AF;
	case S2_DEVICE:
		return S2_MEMATTR(0x1) | S2_AP_RW | S2_DESC_AF | S2_XN;
	default:
		return S2_MEMATTR(0xf) | S2_AP_RW | S2_SH_INNER | S2_DESC_AF;
	}
}

static u64 *table_of(u64 desc)
{
	return (u64 *)(uintptr_t)(desc & S2_ADDR_MASK);
}

/*
 * A zeroed table: one this domain freed before, else a new page while the
 * domain is below its quota (s2_set_quota()).
 */
static u64 *new_table(struct s2 *s2)
{
	u64 *t = s2->free;

	if (t) {
		s2->free = (u64 *)(uintptr_t)t[0];
		s2->nr_free--;
	} else {
		if (s2->max_tables && s2->nr_tables >= s2->max_tables)
			return NULL;
		t = s2->alloc_page(s2->ctx);
		if (!t)
			return NULL;
		s2->nr_tables++;
	}
	memset(t, 0, 4096);
	return t;
}

/*
 * Take table @t out of @parent and keep it for this domain's next table.
 * Live tables: a walk may have cached @parent's old value, so the TLBs
 * forget it before the page can be reused as another table.
 */
static void free_table(struct s2 *s2, u64 *parent, u64 *t)
{
	WRITE_ONCE(*parent, 0);
	if (s2->flush)
		s2->flush(s2);
	t[0] = (u64)(uintptr_t)s2->free;
	s2->free = t;
	s2->nr_free++;
}

static bool table_empty(const u64 *t)
{
	int i;

	for (i = 0; i < S2_PTRS; i++)
		if (t[i])
			return false;
	return true;
}

int s2_init(struct s2 *s2, void *(*alloc_page)(void *ctx), void *ctx)
{
	s2->alloc_page = alloc_page;
	s2->ctx = ctx;
	s2->nr_tables = 0;
	s2->max_tables = 0;
	s2->free = NULL;
	s2->nr_free = 0;
	s2->flush = NULL;
	s2->root = new_table(s2);
	return s2->root ? 0 : -1;
}

void s2_set_quota(struct s2 *s2, unsigned int extra)
{
	s2->max_tables = s2->nr_tables + extra;
}

u64 s2_vtcr(void)
{
	return (64 - S2_IPA_BITS) |	/* T0SZ */
	       (1UL << 6) |		/* SL0: start at level 1 */
	       (1UL << 8) |		/* IRGN0: write-back */
	       (1UL << 10) |		/* ORGN0: write-back */
	       (3UL << 12) |		/* SH0: inner shareable */
	       (0UL << 14) |		/* TG0: 4 KiB */
	       (2UL << 16) |		/* PS: 40-bit PA */
	       BIT(31);			/* RES1 */
}

/* Replace a block at level @l by a table mapping the same range. */
static int split_block(struct s2 *s2, u64 *entry, int l)
{
	u64 old = *entry, *t, attrs, pa, step = LVL_SIZE(l + 1);
	int i;

	t = new_table(s2);
	if (!t)
		return -1;
	attrs = old & ~S2_ADDR_MASK & ~S2_DESC_TABLE;
	pa = old & S2_ADDR_MASK;
	for (i = 0; i < S2_PTRS; i++)
		t[i] = (pa + i * step) | attrs |
		       (l + 1 == 3 ? S2_DESC_TABLE : 0);
	/*
	 * Live tables: a block may not turn into a table while a TLB may
	 * hold it (break-before-make, Arm ARM D8.14): break, flush, make.
	 */
	if (s2->flush) {
		WRITE_ONCE(*entry, 0);
		s2->flush(s2);
	}
	WRITE_ONCE(*entry, (u64)(uintptr_t)t | S2_DESC_TABLE | S2_DESC_VALID);
	return 0;
}

/* Next-level table under @entry (level @l), creating it if asked. */
static u64 *descend(struct s2 *s2, u64 *entry, int l, bool create)
{
	u64 *t;

	if (*entry & S2_DESC_VALID) {
		if (!(*entry & S2_DESC_TABLE) && (!create ||
						  split_block(s2, entry, l)))
			return NULL;
		return table_of(*entry);
	}
	if (!create)
		return NULL;
	t = new_table(s2);
	if (!t)
		return NULL;
	*entry = (u64)(uintptr_t)t | S2_DESC_TABLE | S2_DESC_VALID;
	return t;
}

/* Set (@map) or clear one aligned block/page at level @l. */
static int set_leaf(struct s2 *s2, u64 ipa, u64 desc, int l)
{
	u64 *t = s2->root;
	int cur;

	for (cur = 1; cur < l; cur++) {
		t = descend(s2, &t[IDX(ipa, cur)], cur, true);
		if (!t)
			return -1;
	}
	/* Replacing a table by a block would leak it: refuse. */
	if (l < 3 && (t[IDX(ipa, l)] & (S2_DESC_VALID | S2_DESC_TABLE)) ==
		     (S2_DESC_VALID | S2_DESC_TABLE))
		return 1;
	t[IDX(ipa, l)] = desc;
	return 0;
}

static int pick_level(u64 ipa, u64 pa, u64 size, bool map)
{
	int l;

	for (l = 1; l < 3; l++) {
		u64 sz = LVL_SIZE(l);

		if (!(ipa & (sz - 1)) && (!map || !(pa & (sz - 1))) &&
		    size >= sz)
			return l;
	}
	return 3;
}

static bool range_ok(u64 ipa, u64 size)
{
	return !(ipa & 0xfff) && !(size & 0xfff) && size &&
	       ipa + size <= (1UL << S2_IPA_BITS) && ipa + size > ipa;
}

int s2_map(struct s2 *s2, u64 ipa, u64 pa, u64 size, int kind)
{
	u64 attrs = leaf_attrs(kind);

	if (!range_ok(ipa, size) || (pa & 0xfff))
		return -1;
	while (size) {
		int l = pick_level(ipa, pa, size, true);
		int r;

		r = set_leaf(s2, ipa, pa | attrs | S2_DESC_VALID |
			     (l == 3 ? S2_DESC_TABLE : 0), l);
		if (r < 0)
			goto fail;
		if (r > 0) {
			/* A table is already there: go finer. */
			if (l == 3)
				return -1;
			r = set_leaf(s2, ipa, pa | attrs | S2_DESC_VALID |
				     S2_DESC_TABLE, 3);
			if (r)
				goto fail;
			l = 3;
		}
		ipa += LVL_SIZE(l);
		pa += LVL_SIZE(l);
		size -= LVL_SIZE(l);
	}
	return 0;

fail:
	/* Out of tables: free the empty ones made on the way down. */
	s2_unmap(s2, ipa, SZ_4K);
	return -1;
}

/*
 * An entry at level @l was cleared: free the tables above it that are
 * empty now (the root stays). @path[i] is the entry walked at level i.
 */
static void prune(struct s2 *s2, u64 **path, int l)
{
	for (; l > 1; l--) {
		u64 *t = table_of(*path[l - 1]);

		if (!table_empty(t))
			return;
		free_table(s2, path[l - 1], t);
	}
}

int s2_unmap(struct s2 *s2, u64 ipa, u64 size)
{
	u64 end = ipa + size;

	if (!range_ok(ipa, size))
		return -1;
	while (ipa < end) {
		u64 *t = s2->root, *path[4];
		int l;

		for (l = 1; ; l++) {
			u64 *e = &t[IDX(ipa, l)];
			u64 sz = LVL_SIZE(l);
			u64 next = ALIGN_DOWN(ipa, sz) + sz;

			path[l] = e;
			if (!(*e & S2_DESC_VALID)) {
				ipa = next;
				prune(s2, path, l);
				break;
			}
			if (l == 3 || !(*e & S2_DESC_TABLE)) {
				if (!(ipa & (sz - 1)) && next <= end) {
					*e = 0;
					ipa = next;
					prune(s2, path, l);
					break;
				}
				if (split_block(s2, e, l))
					return -1;
			}
			t = table_of(*e);
		}
	}
	return 0;
}

int s2_lookup(const struct s2 *s2, u64 ipa, u64 *pa, u64 *desc)
{
	const u64 *t = s2->root;
	int l;

	if (ipa >= (1UL << S2_IPA_BITS))
		return -1;
	for (l = 1; l <= 3; l++) {
		u64 e = t[IDX(ipa, l)];

		if (!(e & S2_DESC_VALID))
			return -1;
		if (l < 3 && (e & S2_DESC_TABLE)) {
			t = table_of(e);
			continue;
		}
		if (l == 3 && !(e & S2_DESC_TABLE))
			return -1;
		if (pa)
			*pa = (e & S2_ADDR_MASK & ~(LVL_SIZE(l) - 1)) |
			      (ipa & (LVL_SIZE(l) - 1));
		if (desc)
			*desc = e;
		return 0;
	}
	return -1;
}
