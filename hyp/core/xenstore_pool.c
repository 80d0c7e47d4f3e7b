// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xenstore memory: a buddy allocator over the arena given to xs_init().
 * Blocks are powers of two from 32 bytes; one metadata byte per 32-byte
 * unit tells whether a block starts there, its order and if it is free,
 * so that a freed block merges with its free buddy. Never grows.
 */
#include "xenstore_priv.h"

#define POOL_SHIFT	5
#define POOL_MIN	BIT(POOL_SHIFT)
#define META_FREE	0x80
#define META_USED	0x40
#define META_ORDER	0x3f

struct fblk {
	struct fblk *next, *prev;
};

/*
 * On the host under AddressSanitizer, free blocks (past their list links)
 * and the slack after each allocation are poisoned, so that the tests
 * and the fuzzer catch use-after-free and overruns inside the pool too.
 */
#if defined(MX_HOST) && defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>

static void poison(void *p, size_t n)
{
	__asan_poison_memory_region(p, n);
}

static void unpoison(void *p, size_t n)
{
	__asan_unpoison_memory_region(p, n);
}
#else
static void poison(void *p, size_t n)
{
}

static void unpoison(void *p, size_t n)
{
}
#endif

static struct fblk *blk(const struct xs_pool *p, size_t idx)
{
	return (struct fblk *)(p->base + (idx << POOL_SHIFT));
}

static size_t blk_idx(const struct xs_pool *p, const void *b)
{
	return ((const u8 *)b - p->base) >> POOL_SHIFT;
}

static void push_free(struct xs_pool *p, size_t idx, u32 order)
{
	struct fblk *b = blk(p, idx);

	unpoison(b, sizeof(*b));
	poison(b + 1, (POOL_MIN << order) - sizeof(*b));
	b->prev = NULL;
	b->next = p->free[order];
	if (b->next)
		b->next->prev = b;
	p->free[order] = b;
	p->meta[idx] = META_FREE | order;
}

static void unlink_free(struct xs_pool *p, size_t idx, u32 order)
{
	struct fblk *b = blk(p, idx);

	if (b->prev)
		b->prev->next = b->next;
	else
		p->free[order] = b->next;
	if (b->next)
		b->next->prev = b->prev;
	p->meta[idx] = 0;
}

int xs_pool_init(struct xs_pool *p, void *arena, size_t size)
{
	uintptr_t start = ALIGN_UP((uintptr_t)arena, POOL_MIN);
	uintptr_t end = (uintptr_t)arena + size;
	size_t idx, n;
	u32 k;

	memset(p, 0, sizeof(*p));
	if (end < start + 4 * POOL_MIN)
		return -XS_ENOMEM;
	n = (end - start) / (POOL_MIN + 1);
	p->meta = (u8 *)start;
	p->base = (u8 *)ALIGN_UP(start + n, POOL_MIN);
	if ((uintptr_t)p->base >= end)
		return -XS_ENOMEM;
	p->nblocks = (end - (uintptr_t)p->base) >> POOL_SHIFT;
	memset(p->meta, 0, p->nblocks);
	p->size = p->nblocks << POOL_SHIFT;
	for (idx = 0; idx < p->nblocks; idx += 1UL << k) {
		for (k = XS_POOL_ORDERS - 1; k; k--)
			if (!(idx & ((1UL << k) - 1)) &&
			    idx + (1UL << k) <= p->nblocks)
				break;
		push_free(p, idx, k);
	}
	return 0;
}

void *xs_alloc(struct xs_store *s, size_t n)
{
	struct xs_pool *p = &s->pool;
	struct fblk *b;
	u32 k = 0, j;
	size_t idx;

	while ((POOL_MIN << k) < n) {
		if (++k >= XS_POOL_ORDERS)
			return NULL;
	}
	for (j = k; j < XS_POOL_ORDERS && !p->free[j]; j++)
		;
	if (j >= XS_POOL_ORDERS)
		return NULL;
	b = p->free[j];
	idx = blk_idx(p, b);
	unlink_free(p, idx, j);
	while (j > k) {
		j--;
		push_free(p, idx + (1UL << j), j);
	}
	p->meta[idx] = META_USED | k;
	p->used += POOL_MIN << k;
	unpoison(b, n);
	poison((u8 *)b + n, (POOL_MIN << k) - n);
	return b;
}

void xs_free(struct xs_store *s, void *ptr)
{
	struct xs_pool *p = &s->pool;
	size_t idx, buddy;
	u32 k;

	if (!ptr)
		return;
	idx = blk_idx(p, ptr);
	if ((u8 *)ptr < p->base || idx >= p->nblocks ||
	    !(p->meta[idx] & META_USED)) {
		p->bad_frees++;	/* a bug of ours: leak rather than crash */
		return;
	}
	k = p->meta[idx] & META_ORDER;
	p->used -= POOL_MIN << k;
	poison(ptr, POOL_MIN << k);
	for (; k + 1 < XS_POOL_ORDERS; k++) {
		buddy = idx ^ (1UL << k);
		if (buddy + (1UL << k) > p->nblocks ||
		    p->meta[buddy] != (META_FREE | k))
			break;
		unlink_free(p, buddy, k);
		idx = MIN(idx, buddy);
	}
	push_free(p, idx, k);
}

size_t xs_pool_free_bytes(const struct xs_pool *p)
{
	const struct fblk *b;
	size_t n = 0;
	u32 k;

	for (k = 0; k < XS_POOL_ORDERS; k++)
		for (b = p->free[k]; b; b = b->next)
			n += POOL_MIN << k;
	return n;
}

size_t xs_pool_used(const struct xs_store *s)
{
	return s->pool.used;
}
