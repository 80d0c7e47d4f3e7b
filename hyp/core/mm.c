// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory: minixen's own heap (a bump allocator in BSS) and host RAM for
 * the domains, handed out in contiguous pieces around what must be kept
 * (minixen, the boot device tree, the boot modules).
 */
#include <minixen/bootcfg.h>
#include <minixen/grant.h>
#include <minixen/mm.h>
#include <minixen/xen_store.h>

#define HEAP_SIZE	(8UL << 20)
#define MAX_FREE	32
/* A domain's bounded share of the heap, at most, after boot (4 KiB pages) */
#define GUEST_PAGES	(S2_GUEST_TABLES + GNT_MAX_FRAMES + GNT_ACT_PAGES + \
			 GNT_MT_PAGES)

static u8 heap[HEAP_SIZE] __aligned(4096);
static u64 heap_used;
static struct mem_range free_ram[MAX_FREE];
static int nr_free;

static struct mx_lock heap_lock;

void *hyp_try_alloc(u64 size, u64 align)
{
	u64 off;

	/*
	 * What guests can make minixen allocate is bounded per domain
	 * (stage-2 tables, grant frames and their pins, maptrack; xenstore
	 * has its own arena): all domains at their quotas at once still leave
	 * 1 MiB for the boot-time structures, so no guest starves another.
	 */
	BUILD_BUG_ON(MAX_DOMAINS * GUEST_PAGES * SZ_4K + XEN_STORE_ARENA +
		     (1UL << 20) > HEAP_SIZE);

	spin_lock(&heap_lock);
	off = ALIGN_UP(heap_used, align);
	if (off + size > HEAP_SIZE || off + size < off) {
		spin_unlock(&heap_lock);
		return NULL;
	}
	heap_used = off + size;
	spin_unlock(&heap_lock);
	memset(heap + off, 0, size);
	return heap + off;
}

void *hyp_alloc(u64 size, u64 align)
{
	void *p = hyp_try_alloc(size, align);

	if (!p)
		panic("minixen heap exhausted (%lu bytes asked)", size);
	return p;
}

/* Remove [start, start + size) from the free list. */
static void carve(u64 start, u64 size)
{
	u64 end = start + size;
	int i;

	for (i = 0; i < nr_free; i++) {
		struct mem_range *f = &free_ram[i];
		u64 fend = f->start + f->size;

		if (end <= f->start || start >= fend)
			continue;
		if (start > f->start && end < fend) {
			if (nr_free == MAX_FREE)
				panic("too many memory holes");
			free_ram[nr_free].start = end;
			free_ram[nr_free].size = fend - end;
			nr_free++;
			f->size = start - f->start;
		} else if (start > f->start) {
			f->size = start - f->start;
		} else if (end < fend) {
			f->size = fend - end;
			f->start = end;
		} else {
			f->size = 0;
		}
	}
}

void mm_init(u64 image_end)
{
	int i;

	for (i = 0; i < boot_cfg.nr_ram && nr_free < MAX_FREE; i++)
		free_ram[nr_free++] = boot_cfg.ram[i];
	/* minixen from the bottom of RAM (QEMU's boot stub lives there). */
	carve(boot_cfg.ram[0].start,
	      ALIGN_UP(image_end, SZ_2M) - boot_cfg.ram[0].start);
	for (i = 0; i < boot_cfg.nr_reserved; i++)
		carve(ALIGN_DOWN(boot_cfg.reserved[i].start, SZ_4K),
		      ALIGN_UP(boot_cfg.reserved[i].size +
			       (boot_cfg.reserved[i].start & 0xfff), SZ_4K));
}

/*
 * @size bytes of RAM aligned to @align; the highest free piece that fits,
 * so that low memory stays for 1:1 domains' sake. 0 if none.
 */
u64 mm_alloc_ram(u64 size, u64 align)
{
	u64 best = 0;
	int i;

	for (i = 0; i < nr_free; i++) {
		struct mem_range *f = &free_ram[i];
		u64 s = ALIGN_DOWN(f->start + f->size - size, align);

		if (f->size < size || s < f->start)
			continue;
		if (s > best)
			best = s;
	}
	if (best)
		carve(best, size);
	return best;
}
