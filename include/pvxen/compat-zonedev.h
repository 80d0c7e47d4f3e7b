/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen: device memory pages (ZONE_DEVICE), by kernel configuration (part
 * of the compat layer, see compat.h; included by pvxen-core's
 * grant-identity.c only).  memremap_pages() exists only with
 * CONFIG_ZONE_DEVICE; without it the wrappers fail with -EOPNOTSUPP and
 * pvxen_gnttab_map_dma() is not offered.
 */
#ifndef _PVXEN_COMPAT_ZONEDEV_H
#define _PVXEN_COMPAT_ZONEDEV_H

#include <linux/err.h>
#include <linux/memremap.h>

#ifdef CONFIG_ZONE_DEVICE
#define PVXEN_HAVE_ZONE_DEVICE 1

static inline void *pvxen_memremap_pages(struct dev_pagemap *pgmap, int nid)
{
	return memremap_pages(pgmap, nid);
}

static inline void pvxen_memunmap_pages(struct dev_pagemap *pgmap)
{
	memunmap_pages(pgmap);
}
#else
#define PVXEN_HAVE_ZONE_DEVICE 0

static inline void *pvxen_memremap_pages(struct dev_pagemap *pgmap, int nid)
{
	return ERR_PTR(-EOPNOTSUPP);
}

static inline void pvxen_memunmap_pages(struct dev_pagemap *pgmap)
{
}
#endif

#endif /* _PVXEN_COMPAT_ZONEDEV_H */
