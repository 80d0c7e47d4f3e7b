/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the grant tests in a domU (tests/modules/pvxen-gnttab-test.c) and
 * their dom0 peer (tests/tools/gntpeer.c) agree on: the page pattern, its
 * checksum, and the mailbox page the domU grants dom0 for answers.
 *
 * Mailbox protocol: the domU writes magic and state IDLE, then asks the
 * dom0 agent for something on its console ("PVXEN-REQ <mailbox ref> <cmd>
 * <args>").  The dom0 peer maps the mailbox, does the work, writes text and
 * status, then state ANSWERED.  Commands that hold something (a mapping, a
 * page) keep it until the domU writes state RELEASE, then let go and write
 * state DONE (with final text).  Text before state, state last, each side
 * with a barrier in between.
 */
#ifndef _PVXEN_GNT_PROTO_H
#define _PVXEN_GNT_PROTO_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
typedef __UINT8_TYPE__ u8;
typedef __UINT32_TYPE__ u32;
typedef __INT32_TYPE__ s32;
typedef __UINT64_TYPE__ u64;
#endif

#define PVXEN_MBOX_MAGIC	0x4d585650u	/* "PVXM" */
#define PVXEN_MBOX_TEXT		1024

enum pvxen_mbox_state {
	PVXEN_MBOX_IDLE = 0,		/* domU: request pending */
	PVXEN_MBOX_ANSWERED = 1,	/* dom0: text and status valid */
	PVXEN_MBOX_RELEASE = 2,		/* domU: let go of what you hold */
	PVXEN_MBOX_DONE = 3,		/* dom0: let go; final text valid */
};

struct pvxen_mbox {
	u32 magic;
	u32 state;
	s32 status;	/* 0 or a negative errno */
	u32 pad;
	char text[PVXEN_MBOX_TEXT];
};

/* Byte @i of the test pattern numbered @seed. */
static inline u8 pvxen_pattern_byte(u32 seed, u32 i)
{
	return (u8)(i * 131u + (i >> 8) * 7u + seed * 29u + (seed >> 8) + 1u);
}

static inline void pvxen_pattern_fill(void *p, u32 len, u32 seed)
{
	u8 *b = p;
	u32 i;

	for (i = 0; i < len; i++)
		b[i] = pvxen_pattern_byte(seed, i);
}

/* FNV-1a, 64 bits. */
static inline u64 pvxen_fnv64(const void *p, u32 len)
{
	const u8 *b = p;
	u64 h = 0xcbf29ce484222325ull;
	u32 i;

	for (i = 0; i < len; i++) {
		h ^= b[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

#endif /* _PVXEN_GNT_PROTO_H */
