/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen-core internals of the grant table and the p2m override.
 */
#ifndef _PVXEN_CORE_GRANT_H
#define _PVXEN_CORE_GRANT_H

#include <linux/atomic.h>
#include <linux/types.h>

#include <pvxen/xlate.h>

/* grant.c */
extern atomic_long_t pvxen_gnttab_maps_active;
extern atomic_long_t pvxen_gnttab_unpopulated;

/* p2m.c */
int pvxen_p2m_set(struct pvxen_pfn pfn, struct pvxen_bfn bfn);
bool pvxen_p2m_clear(struct pvxen_pfn pfn);

#endif /* _PVXEN_CORE_GRANT_H */
