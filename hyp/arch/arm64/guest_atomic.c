// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bounded atomic updates of guest-shared memory, and its barriers, on
 * arm64: see guest_atomic.h. (The host's, for tests/hyp, are in
 * tests/hyp/host_atomic.c.)
 */
#include <minixen/guest_atomic.h>

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

void guest_mb(void)
{
	asm volatile("dmb ish" : : : "memory");
}

void guest_rmb(void)
{
	asm volatile("dmb ishld" : : : "memory");
}

void guest_wmb(void)
{
	asm volatile("dmb ishst" : : : "memory");
}

static bool done(void)
{
	guest_mb();
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
