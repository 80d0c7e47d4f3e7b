/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reference model of the translation core, written independently of
 * include/pvxen/xlate.h: plain 128-bit arithmetic, so no overflow reasoning
 * is shared with the implementation under test.  Only for valid tables.
 */
#ifndef PVXEN_TESTS_MODEL_H
#define PVXEN_TESTS_MODEL_H

#include <stdbool.h>
#include <pvxen/xlate.h>

#define M_ERR (~0ULL)
#define M_TOP ((__uint128_t)1 << 64)

static inline __uint128_t m_end(unsigned long long start,
				unsigned long long size)
{
	return (__uint128_t)start + size;	/* exclusive */
}

static inline unsigned long long m_to_dma(const struct pvxen_dma_table *t,
					  unsigned long long a)
{
	__uint128_t d = M_TOP;
	unsigned int i;

	if (a == M_ERR)
		return M_ERR;
	if (!t->nr)
		d = a;
	for (i = 0; i < t->nr; i++) {
		const struct pvxen_dma_range *r = &t->ranges[i];

		if (a >= r->cpu_start && a < m_end(r->cpu_start, r->size))
			d = (__uint128_t)r->bus_start +
			    (a - r->cpu_start);
	}
	if (d > t->dma_limit || d >= M_ERR)
		return M_ERR;
	return (unsigned long long)d;
}

static inline unsigned long long m_to_baddr(const struct pvxen_dma_table *t,
					    unsigned long long d)
{
	__uint128_t a = M_TOP;
	unsigned int i;

	if (d == M_ERR || d > t->dma_limit)
		return M_ERR;
	if (!t->nr)
		a = d;
	for (i = 0; i < t->nr; i++) {
		const struct pvxen_dma_range *r = &t->ranges[i];

		if (d >= r->bus_start && d < m_end(r->bus_start, r->size))
			a = (__uint128_t)r->cpu_start +
			    (d - r->bus_start);
	}
	if (a >= M_ERR)
		return M_ERR;
	return (unsigned long long)a;
}

/* Is point p (if inside [a, last]) mapped consistently with a? */
static inline bool m_point_ok(const struct pvxen_dma_table *t,
			      unsigned long long a, unsigned long long d0,
			      __uint128_t last, __uint128_t p)
{
	unsigned long long dp;

	if (p < a || p > last)
		return true;
	dp = m_to_dma(t, (unsigned long long)p);
	return dp != M_ERR &&
	       (__uint128_t)dp - d0 == p - a && dp >= d0;
}

/*
 * The mapping is linear between range edges, so checking both ends and
 * every edge inside the buffer decides the whole buffer.
 */
static inline bool m_capable(const struct pvxen_dma_table *t,
			     unsigned long long a, unsigned long long len)
{
	__uint128_t last = (__uint128_t)a + len - 1;
	unsigned long long d0;
	unsigned int i;

	if (!len || last >= M_ERR)
		return false;
	d0 = m_to_dma(t, a);
	if (d0 == M_ERR || !m_point_ok(t, a, d0, last, last))
		return false;
	for (i = 0; i < t->nr; i++) {
		const struct pvxen_dma_range *r = &t->ranges[i];
		__uint128_t s = r->cpu_start, e = m_end(s, r->size);

		if ((s && !m_point_ok(t, a, d0, last, s - 1)) ||
		    !m_point_ok(t, a, d0, last, s) ||
		    !m_point_ok(t, a, d0, last, e - 1) ||
		    !m_point_ok(t, a, d0, last, e))
			return false;
	}
	return true;
}

/* Bit mask of every validation error that applies (bit n = code n). */
static inline unsigned int m_validate(const struct pvxen_dma_table *t)
{
	unsigned int i, j, errs = 0;

	if (t->nr && !t->ranges)
		return 1u << PVXEN_DMA_TABLE_ENORANGES;
	if (t->nr > PVXEN_DMA_TABLE_MAX_RANGES)
		errs |= 1u << PVXEN_DMA_TABLE_ETOOMANY;
	for (i = 0; i < t->nr; i++) {
		const struct pvxen_dma_range *r = &t->ranges[i];

		if (!r->size)
			errs |= 1u << PVXEN_DMA_TABLE_EZEROSIZE;
		if (m_end(r->cpu_start, r->size) > M_TOP)
			errs |= 1u << PVXEN_DMA_TABLE_ECPUWRAP;
		if (m_end(r->bus_start, r->size) > M_TOP)
			errs |= 1u << PVXEN_DMA_TABLE_EBUSWRAP;
		for (j = 0; j < t->nr; j++) {
			const struct pvxen_dma_range *q = &t->ranges[j];

			if (i == j || !r->size || !q->size)
				continue;
			if (r->cpu_start < m_end(q->cpu_start, q->size) &&
			    q->cpu_start < m_end(r->cpu_start, r->size))
				errs |= 1u << PVXEN_DMA_TABLE_ECPUOVERLAP;
			if (r->bus_start < m_end(q->bus_start, q->size) &&
			    q->bus_start < m_end(r->bus_start, r->size))
				errs |= 1u << PVXEN_DMA_TABLE_EBUSOVERLAP;
		}
	}
	return errs;
}

#endif /* PVXEN_TESTS_MODEL_H */
