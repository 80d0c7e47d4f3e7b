// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build-time probe PVXEN_HAVE_PAGE_POOL_HELPERS_H (compat/probe):
 * <net/page_pool/helpers.h> (6.6 on), which replaced
 * <net/page_pool.h>.
 * Debian's stock arm64 headers: 5.10 no, 6.1 no, 6.12 yes.
 */
#include <net/page_pool/helpers.h>

static void pvxen_probe(struct page_pool *pool, struct page *pg)
{
	page_pool_put_full_page(pool, pg, false);
}

void (*pvxen_probe_fn)(struct page_pool *pool, struct page *pg) = pvxen_probe;
