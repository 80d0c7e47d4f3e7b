// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host's guest_atomic.h, for tests/hyp: the compiler's atomics and
 * barriers, in place of arch/arm64/guest_atomic.c's exclusives.
 */
#include <minixen/guest_atomic.h>

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

void guest_mb(void)
{
	__sync_synchronize();
}

void guest_rmb(void)
{
	__sync_synchronize();
}

void guest_wmb(void)
{
	__sync_synchronize();
}
