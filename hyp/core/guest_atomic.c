// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bounded atomic updates of guest-shared memory: see guest_atomic.h.
 */
#include <minixen/guest_atomic.h>

#if defined(__aarch64__) && !defined(MX_HOST)

/* One exclusive load, op, exclusive store; @fail: the store failed. */
#define GUEST_RMW64(insn, p, m, old, fail) ({				\
	u64 __new;							\
	asm volatile("ldaxr	%0, %3\n"				\
		     insn "	%1, %0, %4\n"				\
		     "stlxr	%w2, %1, %3"				\
		     : "=&r" (old), "=&r" (__new), "=&r" (fail),	\
		       "+Q" (*(p))					\
		     : "r" (m) : "memory");				\
})

static bool done(void)
{
	asm volatile("dmb ish" : : : "memory");
	return true;
}

/* *@p = *@p | @m, or *@p & @m if @and. */
static bool rmw64(u64 *p, u64 m, u64 *old, bool and)
{
	u32 fail, i;

	for (i = 0; i < GUEST_ATOMIC_TRIES; i++) {
		if (and)
			GUEST_RMW64("and", p, m, *old, fail);
		else
			GUEST_RMW64("orr", p, m, *old, fail);
		if (!fail)
			return done();
	}
	return false;
}

bool guest_or64(u64 *p, u64 m, u64 *old)
{
	return rmw64(p, m, old, false);
}

bool guest_and64(u64 *p, u64 m, u64 *old)
{
	return rmw64(p, m, old, true);
}

bool guest_xchg8(u8 *p, u8 val, u8 *old)
{
	u32 fail, i, o;

	for (i = 0; i < GUEST_ATOMIC_TRIES; i++) {
		asm volatile("ldaxrb	%w0, %2\n"
			     "stlxrb	%w1, %w3, %2"
			     : "=&r" (o), "=&r" (fail), "+Q" (*p)
			     : "r" ((u32)val) : "memory");
		if (!fail) {
			*old = o;
			return done();
		}
	}
	return false;
}

bool guest_and32(u32 *p, u32 m)
{
	u32 fail, i, o;

	for (i = 0; i < GUEST_ATOMIC_TRIES; i++) {
		asm volatile("ldaxr	%w0, %2\n"
			     "and	%w0, %w0, %w3\n"
			     "stlxr	%w1, %w0, %2"
			     : "=&r" (o), "=&r" (fail), "+Q" (*p)
			     : "r" (m) : "memory");
		if (!fail)
			return done();
	}
	return false;
}

int guest_cmpxchg32(u32 *p, u32 *expect, u32 val)
{
	u32 fail, i, o;

	for (i = 0; i < GUEST_ATOMIC_TRIES; i++) {
		asm volatile("ldaxr	%w0, %2\n"
			     "cmp	%w0, %w3\n"
			     "b.ne	1f\n"
			     "stlxr	%w1, %w4, %2\n"
			     "b	2f\n"
			     "1:	clrex\n"
			     "mov	%w1, #2\n"
			     "2:"
			     : "=&r" (o), "=&r" (fail), "+Q" (*p)
			     : "r" (*expect), "r" (val) : "cc", "memory");
		if (fail == 2) {
			*expect = o;
			done();
			return 0;
		}
		if (!fail)
			return done();
	}
	return -1;
}

#else

unsigned int guest_atomic_fail;

/* The host's atomics cannot be starved; tests make them fail on demand. */
static bool injected(void)
{
	if (!guest_atomic_fail)
		return false;
	guest_atomic_fail--;
	return true;
}

bool guest_or64(u64 *p, u64 m, u64 *old)
{
	if (injected())
		return false;
	*old = __atomic_fetch_or(p, m, __ATOMIC_SEQ_CST);
	return true;
}

bool guest_and64(u64 *p, u64 m, u64 *old)
{
	if (injected())
		return false;
	*old = __atomic_fetch_and(p, m, __ATOMIC_SEQ_CST);
	return true;
}

bool guest_xchg8(u8 *p, u8 val, u8 *old)
{
	if (injected())
		return false;
	*old = __atomic_exchange_n(p, val, __ATOMIC_SEQ_CST);
	return true;
}

bool guest_and32(u32 *p, u32 m)
{
	if (injected())
		return false;
	__atomic_fetch_and(p, m, __ATOMIC_SEQ_CST);
	return true;
}

int guest_cmpxchg32(u32 *p, u32 *expect, u32 val)
{
	if (injected())
		return -1;
	return __atomic_compare_exchange_n(p, expect, val, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

#endif
