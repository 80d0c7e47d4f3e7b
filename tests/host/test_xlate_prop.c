// SPDX-License-Identifier: GPL-2.0-only
/*
 * Property tests for include/pvxen/xlate.h against the independent 128-bit
 * model in model.h, driven by a seeded PRNG (seed printed; override with
 * PVXEN_TEST_SEED): round trips, edges, random addresses and buffers on
 * every table of tables.h and on random tables, and table validation.
 */
#include <string.h>
#include <pvxen/xlate.h>
#include "tap.h"
#include "tables.h"
#include "model.h"

#define BAD ALL_ONES
#define MAX_EDGES (16 + 12 * PVXEN_DMA_TABLE_MAX_RANGES)

static unsigned int nr_edges;
static u64 edges[MAX_EDGES];

static void add_edge(__uint128_t v, int delta)
{
	__uint128_t e = v + delta;

	if ((delta < 0 && v < (__uint128_t)-delta) || e > BAD)
		return;
	if (nr_edges < MAX_EDGES)
		edges[nr_edges++] = (u64)e;
}

static void add_edges3(__uint128_t v)
{
	add_edge(v, -1);
	add_edge(v, 0);
	add_edge(v, 1);
}

/* Every address where something changes, and its neighbours. */
static void collect_edges(const struct pvxen_dma_table *t)
{
	unsigned int i;

	nr_edges = 0;
	add_edges3(0);
	add_edges3(BAD);
	add_edges3(t->dma_limit);
	add_edges3(0xffffffff);
	for (i = 0; i < t->nr; i++) {
		const struct pvxen_dma_range *r = &t->ranges[i];

		add_edges3(r->cpu_start);
		add_edges3(m_end(r->cpu_start, r->size));
		add_edges3(r->bus_start);
		add_edges3(m_end(r->bus_start, r->size));
	}
}

/* A random address: uniform, small, or close to an edge. */
static u64 rnd_addr(void)
{
	switch (tap_rng_below(4)) {
	case 0:
		return tap_rng();
	case 1:
		return tap_rng_below(1ULL << 36);
	default:
		return edges[tap_rng_below(nr_edges)] +
		       (tap_rng_below(0x2001) - 0x1000);
	}
}

static u64 rnd_len(const struct pvxen_dma_table *t, u64 a)
{
	const struct pvxen_dma_range *r;

	switch (tap_rng_below(8)) {
	case 0:
		return tap_rng_below(4);
	case 1:
		return 0x1000 + tap_rng_below(3) - 1;
	case 2:
		return tap_rng();
	case 3:
		return tap_rng_below(1ULL << 34);
	case 4:		/* up to the end of a range, +-1 */
		if (!t->nr)
			return t->dma_limit - a + tap_rng_below(3);
		r = &t->ranges[tap_rng_below(t->nr)];
		return r->cpu_start + r->size - a + tap_rng_below(3) - 1;
	default:	/* up to some edge, +-1 */
		return edges[tap_rng_below(nr_edges)] - a +
		       tap_rng_below(3) - 1;
	}
}

/* Compare one address, both directions, with the model. */
static void check_addr(const struct pvxen_dma_table *t, u64 a)
{
	u64 d = pvxen_baddr_to_dma(t, pvxen_mk_baddr(a)).dma;
	u64 b = pvxen_dma_to_baddr(t, pvxen_mk_dma(a)).baddr;

	if (d != m_to_dma(t, a))
		tap_fail(__FILE__, __LINE__,
			 "baddr 0x%llx -> dma 0x%llx, model 0x%llx",
			 (unsigned long long)a, (unsigned long long)d,
			 m_to_dma(t, a));
	if (b != m_to_baddr(t, a))
		tap_fail(__FILE__, __LINE__,
			 "dma 0x%llx -> baddr 0x%llx, model 0x%llx",
			 (unsigned long long)a, (unsigned long long)b,
			 m_to_baddr(t, a));
	if (d != BAD)
		TAP_CHECK_EQ(pvxen_dma_to_baddr(t, pvxen_mk_dma(d)).baddr, a);
	if (b != BAD)
		TAP_CHECK_EQ(pvxen_baddr_to_dma(t, pvxen_mk_baddr(b)).dma, a);
}

static void check_buf(const struct pvxen_dma_table *t, u64 a, u64 len)
{
	bool got = pvxen_dma_capable(t, pvxen_mk_baddr(a), len);
	bool want = m_capable(t, a, len);

	if (got != want)
		tap_fail(__FILE__, __LINE__,
			 "capable(0x%llx, len 0x%llx) = %d, model %d",
			 (unsigned long long)a, (unsigned long long)len,
			 got, want);
}

/* Random in-range addresses round-trip exactly (or fail at the limit). */
static void prop_roundtrip(const struct pvxen_dma_table *t, unsigned int n,
			   unsigned int *nr_ok)
{
	unsigned int i;

	*nr_ok = 0;
	for (i = 0; i < n; i++) {
		u64 a, d, off;

		if (t->nr) {
			const struct pvxen_dma_range *r =
				&t->ranges[tap_rng_below(t->nr)];

			off = tap_rng_below(r->size);
			if (tap_rng_below(2))
				off = tap_rng_below(2) ? 0 : r->size - 1;
			a = r->cpu_start + off;
		} else {
			a = tap_rng_below(2) ? tap_rng() :
			    tap_rng_below(t->dma_limit);
		}
		d = pvxen_baddr_to_dma(t, pvxen_mk_baddr(a)).dma;
		TAP_CHECK_EQ(d, m_to_dma(t, a));
		if (d == BAD)
			continue;
		++*nr_ok;
		TAP_CHECK_EQ(pvxen_dma_to_baddr(t, pvxen_mk_dma(d)).baddr, a);
		TAP_CHECK(pvxen_dma_capable(t, pvxen_mk_baddr(a), 1));
	}
}

static void prop_model(const struct pvxen_dma_table *t, unsigned int n)
{
	unsigned int i, j;

	collect_edges(t);
	for (i = 0; i < nr_edges; i++) {
		check_addr(t, edges[i]);
		for (j = 0; j < nr_edges; j++)
			check_buf(t, edges[i], edges[j] - edges[i] + 1);
	}
	for (i = 0; i < n; i++)
		check_addr(t, rnd_addr());
	for (i = 0; i < n; i++) {
		u64 a = rnd_addr();

		check_buf(t, a, rnd_len(t, a));
	}
}

#define N_PER_TABLE 20000

static void run_named_tables(void)
{
	unsigned int i, nr_ok;

	for (i = 0; i < ARRAY_SIZE(all_tables); i++) {
		const struct named_table *nt = &all_tables[i];
		bool none = nt->t == &rpi4_soc_mask30;

		tap_case_begin();
		prop_roundtrip(nt->t, N_PER_TABLE, &nr_ok);
		/* Not vacuous: only the 30-bit device reaches nothing. */
		TAP_CHECK(none ? nr_ok == 0 : nr_ok > N_PER_TABLE / 4);
		tap_case_end("%s: %u in-range addresses round-trip (%u reachable)",
			     nt->name, N_PER_TABLE, nr_ok);

		tap_case_begin();
		prop_model(nt->t, N_PER_TABLE);
		tap_case_end("%s: %u edges, %u addresses and buffers match model",
			     nt->name, nr_edges, N_PER_TABLE);
	}
}

/* ---- random tables ---- */

static u64 rnd_start(u64 g)
{
	switch (tap_rng_below(8)) {
	case 0:
		return 0;
	case 1:
		return BAD - tap_rng_below(4) * g - tap_rng_below(3);
	default:
		return tap_rng_below(32) * g;
	}
}

static u64 rnd_size(u64 g)
{
	switch (tap_rng_below(16)) {
	case 0:
		return 0;
	case 1:
		return BAD - tap_rng_below(3);
	case 2:
		return 1;
	default:
		return (tap_rng_below(4) + 1) * g;
	}
}

static void rnd_table(struct pvxen_dma_table *t, struct pvxen_dma_range *r)
{
	static const u64 granules[] = { 1, 0x1000, 0x100000, 0x40000000 };
	u64 g = granules[tap_rng_below(ARRAY_SIZE(granules))];
	unsigned int i;

	t->ranges = r;
	t->nr = tap_rng_below(5);
	for (i = 0; i < t->nr; i++) {
		r[i].cpu_start = rnd_start(g);
		r[i].bus_start = rnd_start(g);
		r[i].size = rnd_size(g);
	}
	switch (tap_rng_below(4)) {
	case 0:
		t->dma_limit = BAD;
		break;
	case 1:
		t->dma_limit = 0xffffffff;
		break;
	default:
		t->dma_limit = rnd_start(g) + tap_rng_below(3);
		break;
	}
}

#define N_TABLES 20000

static void t_validate_random(void)
{
	struct pvxen_dma_range r[4];
	struct pvxen_dma_table t;
	unsigned int i, nr_valid = 0;

	for (i = 0; i < N_TABLES; i++) {
		enum pvxen_dma_table_err got;
		unsigned int want;

		rnd_table(&t, r);
		got = pvxen_dma_table_validate(&t);
		want = m_validate(&t);
		if (!want)
			nr_valid++;
		if (want ? got == PVXEN_DMA_TABLE_OK || !(want & (1u << got)) :
			   got != PVXEN_DMA_TABLE_OK)
			tap_fail(__FILE__, __LINE__,
				 "table %u: got %s, model mask 0x%x", i,
				 pvxen_dma_table_err_str(got), want);
	}
	tap_diag("%u of %u random tables valid", nr_valid, N_TABLES);
	TAP_CHECK(nr_valid > N_TABLES / 10 && nr_valid < N_TABLES * 9 / 10);
}

static void t_random_tables(void)
{
	struct pvxen_dma_range r[4];
	struct pvxen_dma_table t;
	unsigned int n = 0, nr_ok, reach = 0;

	while (n < 2000) {
		rnd_table(&t, r);
		if (m_validate(&t))
			continue;
		n++;
		prop_roundtrip(&t, 50, &nr_ok);
		reach += nr_ok;
		prop_model(&t, 100);
	}
	tap_diag("%u reachable round trips", reach);
	TAP_CHECK(reach > 2000);
}

/* Validation must not depend on the order of the ranges. */
static void t_validate_order(void)
{
	struct pvxen_dma_range r[4], s[4];
	struct pvxen_dma_table t, u;
	unsigned int i, k;

	for (i = 0; i < 5000; i++) {
		rnd_table(&t, r);
		u = t;
		u.ranges = s;
		for (k = 0; k < t.nr; k++)
			s[k] = r[t.nr - 1 - k];
		TAP_CHECK_EQ(pvxen_dma_table_validate(&t) == PVXEN_DMA_TABLE_OK,
			     pvxen_dma_table_validate(&u) == PVXEN_DMA_TABLE_OK);
	}
}

static const struct tap_case cases[] = {
	{ "validate agrees with the model on 20000 random tables",
	  t_validate_random },
	{ "validate verdict does not depend on range order (5000 tables)",
	  t_validate_order },
	{ "2000 random valid tables: round trips, edges, buffers match model",
	  t_random_tables },
};

int main(void)
{
	tap_plan(2 * ARRAY_SIZE(all_tables) + ARRAY_SIZE(cases));
	tap_rng_seed(0x7078656e70726f70ULL);
	run_named_tables();
	tap_run_cases(cases, ARRAY_SIZE(cases));
	return tap_exit();
}
