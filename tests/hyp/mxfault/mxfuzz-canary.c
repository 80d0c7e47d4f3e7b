// SPDX-License-Identifier: GPL-2.0-only
/*
 * mxfuzz mode=canary: canary_pages= pages of a known pattern, kept while
 * the module stays loaded; reading the module parameter "canary" checks
 * them (see mxfuzz-main.c's header for the test that uses it).
 */
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "mxfuzz.h"

static ulong canary_pages = 1;
module_param(canary_pages, ulong, 0444);
MODULE_PARM_DESC(canary_pages, "mode=canary: pages of the pattern");

static u64 **canary;

static u64 canary_word(size_t pg, size_t i)
{
	return ((u64)pg << 32 | i) * 0x9e3779b97f4a7c15ULL;
}

static int canary_get(char *buf, const struct kernel_param *kp)
{
	size_t pg, i, bad = 0;
	u64 sum = 0;

	if (!canary)
		return sprintf(buf, "canary=none\n");
	for (pg = 0; pg < canary_pages; pg++) {
		for (i = 0; i < PAGE_SIZE / 8; i++) {
			sum = (sum ^ canary[pg][i]) * 1099511628211ULL;
			bad += canary[pg][i] != canary_word(pg, i);
		}
	}
	return sprintf(buf, "canary=%s sum=0x%016llx pages=%lu pa=0x%llx bad=%zu\n",
		       bad ? "BAD" : "ok", sum, canary_pages,
		       (u64)virt_to_phys(canary[0]), bad);
}

static const struct kernel_param_ops canary_ops = { .get = canary_get };
module_param_cb(canary, &canary_ops, NULL, 0444);
MODULE_PARM_DESC(canary, "mode=canary: check the canary pages");

/* Never freed: the module stays loaded for the whole run. */
int canary_init(void)
{
	size_t pg, i;

	if (!canary_pages || canary_pages > SZ_1G / PAGE_SIZE)
		return -EINVAL;
	canary = kvmalloc_array(canary_pages, sizeof(*canary), GFP_KERNEL);
	if (!canary)
		return -ENOMEM;
	for (pg = 0; pg < canary_pages; pg++) {
		canary[pg] = (u64 *)__get_free_page(GFP_KERNEL);
		if (!canary[pg])
			return -ENOMEM;
		for (i = 0; i < PAGE_SIZE / 8; i++)
			canary[pg][i] = canary_word(pg, i);
	}
	return 0;
}
