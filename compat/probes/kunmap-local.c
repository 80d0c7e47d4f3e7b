// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build-time probe PVXEN_HAVE_KUNMAP_LOCAL (compat/probe):
 * kmap_local_page() and kunmap_local() (5.11 on).
 * Debian's stock arm64 headers: 5.10 no, 6.1 yes, 6.12 yes.
 */
#include <linux/highmem.h>

static void pvxen_probe(struct page *pg)
{
	kunmap_local(kmap_local_page(pg));
}

void (*pvxen_probe_fn)(struct page *pg) = pvxen_probe;
