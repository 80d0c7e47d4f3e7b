// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build-time probe PVXEN_HAVE_BVEC_KMAP_LOCAL (compat/probe):
 * bvec_kmap_local() (5.15 on).
 * Debian's stock arm64 headers: 5.10 no, 6.1 yes, 6.12 yes.
 */
#include <linux/bvec.h>
#include <linux/highmem.h>

static void *pvxen_probe(struct bio_vec *bv)
{
	return bvec_kmap_local(bv);
}

void *(*pvxen_probe_fn)(struct bio_vec *bv) = pvxen_probe;
