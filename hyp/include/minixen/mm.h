/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Memory: minixen's own heap and host RAM for the domains
 * (core/mm.c).
 */
#ifndef MINIXEN_MM_H
#define MINIXEN_MM_H

#include <minixen/lib.h>

/* Free RAM: boot_cfg's, less minixen (up to @image_end) and what it keeps. */
void mm_init(u64 image_end);
u64 mm_alloc_ram(u64 size, u64 align);
void *hyp_alloc(u64 size, u64 align);
/* Like hyp_alloc(), but NULL when the heap is exhausted (guest-driven). */
void *hyp_try_alloc(u64 size, u64 align);

#endif
