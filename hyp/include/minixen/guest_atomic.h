/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Atomic updates of memory a guest shares with minixen (the event-channel
 * bits in shared_info and vcpu_info). Without LSE atomics (ARMv8.0, as
 * QEMU's cortex-a57) a read-modify-write is a load-exclusive /
 * store-exclusive loop, and a guest that keeps writing the same cache
 * line from another CPU can make every store-exclusive fail, for ever:
 * these give up after GUEST_ATOMIC_TRIES attempts and return false, and
 * the caller treats the guest as hostile (or the entry as unstable). Each update that succeeds is a
 * full barrier (acquire-release exclusives, then DMB ISH), like Linux's
 * test_and_set_bit().
 *
 * Implemented by the arch (arch/arm64/guest_atomic.c). On the host
 * (MX_HOST, tests/hyp/host_atomic.c) they are the compiler's atomics;
 * setting guest_atomic_fail to N makes the next N calls fail, for tests.
 */
#ifndef MINIXEN_GUEST_ATOMIC_H
#define MINIXEN_GUEST_ATOMIC_H

#include <minixen/lib.h>

#define GUEST_ATOMIC_TRIES	1024

/* *@p |= @m (or &= @m); the value before in *@old. */
bool guest_or64(u64 *p, u64 m, u64 *old);
bool guest_and64(u64 *p, u64 m, u64 *old);
/* *@p = @val; the value before in *@old. */
bool guest_xchg8(u8 *p, u8 val, u8 *old);
/* *@p &= @m. */
bool guest_and32(u32 *p, u32 m);
/*
 * If *@p is *@expect, make it @val: 1. If not: 0, *@expect is what it
 * was. -1: the guest kept the word busy.
 */
int guest_cmpxchg32(u32 *p, u32 *expect, u32 val);

/*
 * Barriers for a ring shared with a guest on another CPU: guest_rmb()
 * orders reads (an index, then the data it covers), guest_wmb() writes
 * (the data, then the index), guest_mb() both.
 */
void guest_mb(void);
void guest_rmb(void);
void guest_wmb(void);

#ifdef MX_HOST
extern unsigned int guest_atomic_fail;
#endif

#endif
