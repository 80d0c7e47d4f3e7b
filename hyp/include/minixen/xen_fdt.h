/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The /hypervisor device-tree node a Xen-aware domain gets, as Xen 4.17
 * makes it for an arm64 guest. Pure: builds on the host for tests.
 */
#ifndef MINIXEN_XEN_FDT_H
#define MINIXEN_XEN_FDT_H

#include <minixen/bootcfg.h>
#include <minixen/lib.h>

#define XEN_FDT_MAX_EXT		4
#define XEN_EXT_MIN_SIZE	(64UL << 20)	/* Xen's: 64 MiB */

struct xen_fdt_info {
	struct mem_range gnttab;		/* reg[0] */
	struct mem_range ext[XEN_FDT_MAX_EXT];	/* reg[1...] */
	u32 nr_ext;
	u32 evtchn_ppi;				/* INTID */
};

/*
 * Layout for a domain with RAM at [ram_ipa, ram_ipa + ram_size): the
 * grant-table window of Xen's guest layout, and as extended regions the
 * free parts (64 MiB or more) of Xen's two guest RAM banks within the
 * 39-bit IPA space.
 */
void xen_fdt_layout(u64 ram_ipa, u64 ram_size, struct xen_fdt_info *info);

/*
 * Add the node (fdt sequential-write mode, inside the root node, whose
 * #address-cells and #size-cells are 2). Returns 0 or a libfdt error.
 */
int xen_fdt_hypervisor(void *fdt, const struct xen_fdt_info *info);

#endif
