/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stage-2 translation tables: 4 KiB granule, 39-bit IPA, walk starting at
 * level 1 (VTCR_EL2.SL0 = 1), built by the arch (arch/arm64/s2.c, pure C
 * that tests/hyp builds on the host too). Tables hold physical
 * addresses; minixen runs with VA == PA, and the host unit tests keep
 * that true by giving the builder ordinary pointers.
 */
#ifndef MINIXEN_S2_H
#define MINIXEN_S2_H

#include <minixen/lib.h>

#define S2_IPA_BITS	39
#define S2_PTRS		512

/* Mapping kinds */
#define S2_RAM		0	/* normal write-back, read/write */
#define S2_RAM_RO	1	/* normal write-back, read-only */
#define S2_DEVICE	2	/* device nGnRE, read/write */

#define S2_DESC_VALID	BIT(0)
#define S2_DESC_TABLE	BIT(1)	/* level 1-2 table; level 3 page */
#define S2_DESC_AP_W	BIT(7)	/* S2AP[1]: writable */
#define S2_DESC_AF	BIT(10)
#define S2_ADDR_MASK	0x0000fffffffff000UL

struct s2 {
	u64 *root;
	/* Returns a zeroed, 4 KiB aligned page, or NULL. */
	void *(*alloc_page)(void *ctx);
	void *ctx;
	unsigned int nr_tables;		/* pages allocated, free ones too */
	/*
	 * Quota: the pages a guest can make minixen allocate for its tables
	 * (grant maps, physmap changes) are bounded; 0 while built at boot.
	 * Tables emptied by an unmap go to @free for this domain's reuse:
	 * the heap never gets them back, nor needs to.
	 */
	unsigned int max_tables;
	u64 *free;			/* linked through their first word */
	unsigned int nr_free;
	/*
	 * Set once the tables are live (NULL while they are built): forget
	 * every cached translation of them. A block split into a table is
	 * break-before-make: the block entry is cleared, flush() called,
	 * then the table entry written. Callers serialise changes (and the
	 * fault path that retries an access in that window) with a lock.
	 */
	void (*flush)(struct s2 *s2);
};

int s2_init(struct s2 *s2, void *(*alloc_page)(void *ctx), void *ctx);
/* Map [ipa, ipa + size) to [pa, ...): 4 KiB aligned; largest blocks used. */
int s2_map(struct s2 *s2, u64 ipa, u64 pa, u64 size, int kind);
/*
 * From now on, allocate at most @extra more table pages (the tables built
 * so far are the boot-time ones). A map that needs more fails (-1), as does
 * an unmap that must split a block.
 */
void s2_set_quota(struct s2 *s2, unsigned int extra);
/*
 * Remove the mapping of [ipa, ipa + size), splitting blocks as needed.
 * Tables left empty are freed (kept for this s2's next tables).
 */
int s2_unmap(struct s2 *s2, u64 ipa, u64 size);
/* Translate @ipa; returns 0 and the PA and leaf descriptor, or -1. */
int s2_lookup(const struct s2 *s2, u64 ipa, u64 *pa, u64 *desc);
/* VTCR_EL2 value for these tables. */
u64 s2_vtcr(void);

#endif
