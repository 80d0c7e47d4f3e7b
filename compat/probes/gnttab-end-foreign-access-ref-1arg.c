// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build-time probe PVXEN_HAVE_GNTTAB_END_FOREIGN_ACCESS_REF_1ARG (compat/probe):
 * gnttab_end_foreign_access_ref(ref) without the readonly argument
 * (5.18 on; used by the upstream benchmark module on CONFIG_XEN
 * kernels only).
 * Debian's stock arm64 headers: 5.10 no, 6.1 yes, 6.12 yes.
 */
#include <xen/grant_table.h>

static int pvxen_probe(grant_ref_t ref)
{
	return gnttab_end_foreign_access_ref(ref);
}

int (*pvxen_probe_fn)(grant_ref_t ref) = pvxen_probe;
