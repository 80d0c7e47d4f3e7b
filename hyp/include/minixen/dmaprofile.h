/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DMA platform profiles (core/dmaprofile.c): how the devices minixen
 * gives a 1:1 domain see its memory, as a range table of the shared
 * translation core (include/pvxen/xlate.h), chosen by the boot
 * configuration ("minixen,dma-profile" on the domain's node, or
 * dom0_dma_profile= for a guest-loader dom0) and written into the domain's
 * device tree as the dma-ranges of the bus node its DMA engine sits on.
 *
 *   identity  bus address == machine address, all of RAM (no dma-ranges
 *             offset: an empty dma-ranges)
 *   rpi4      bcm2711's /soc: CPU 0x40000000-0x7fffffff (QEMU virt's first
 *             GiB of RAM) at bus 0xc0000000, nothing else reachable
 *   multi     two ranges of different offsets, as bcm2711's /soc beside its
 *             PCIe window: CPU 0x40000000 + 512 MiB at bus 0xc0000000, CPU
 *             0x60000000 + 512 MiB at bus 0x1_0000_0000
 *   custom    "minixen,dma-ranges" = <bus cpu size>..., 64-bit each
 *
 * Pure code: builds on the host for tests.
 */
#ifndef MINIXEN_DMAPROFILE_H
#define MINIXEN_DMAPROFILE_H

#include <minixen/lib.h>
#define PVXEN_HAVE_U64
#include <pvxen/xlate.h>

enum dma_profile_id {
	DMA_PROFILE_IDENTITY,	/* 0: what a zeroed struct dma_profile is */
	DMA_PROFILE_RPI4,
	DMA_PROFILE_MULTI,
	DMA_PROFILE_CUSTOM,
};

#define DMA_PROFILE_MAX_RANGES	8
/* Highest DMA address of the identity profile: all but the error address */
#define DMA_LIMIT_ALL		(PVXEN_XLATE_ERROR - 1)

struct dma_profile {
	u32 id;			/* enum dma_profile_id */
	u32 nr;			/* ranges; 0: identity */
	u64 dma_limit;		/* highest bus address; 0: DMA_LIMIT_ALL */
	struct pvxen_dma_range range[DMA_PROFILE_MAX_RANGES];
};

/* Fill @p with the built-in profile @name; "custom" has no ranges yet. */
int dma_profile_set(struct dma_profile *p, const char *name);
const char *dma_profile_name(u32 id);

/* The range table of @p (pointing into @p). */
struct pvxen_dma_table dma_profile_table(const struct dma_profile *p);

/*
 * NULL if @p can be used, else why not: what pvxen_dma_table_validate()
 * finds (overlapping, zero-size or wrapping ranges, too many), or a range
 * that is not 4 KiB aligned on both sides (the engine checks 4 KiB frames).
 */
const char *dma_profile_check(const struct dma_profile *p);

/*
 * Add the bus node with @p as its dma-ranges, and on it the DMA engine
 * ("pvxen,mxdma") at @base (4 KiB) with SPI @intid, to @fdt (sequential
 * write mode, inside the root node: #address-cells and #size-cells 2).
 * Returns 0 or a libfdt error.
 */
int dma_profile_fdt(void *fdt, const struct dma_profile *p, u64 base,
		    u32 intid);

#endif
