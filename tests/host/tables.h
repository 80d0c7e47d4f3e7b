/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Range tables used by the host tests: real Raspberry Pi 4 (bcm2711) data
 * from arch/arm/boot/dts/bcm2711.dtsi (Linux 6.1) plus synthetic tables that
 * exercise several ranges and the top of the 64-bit space.
 */
#ifndef PVXEN_TESTS_TABLES_H
#define PVXEN_TESTS_TABLES_H

#include <pvxen/xlate.h>
#include "tap.h"

#define ALL_ONES (~0ULL)

/*
 * /soc: dma-ranges = <0xc0000000  0x0 0x00000000  0x40000000>;
 * CPU 0x0-0x3fffffff is seen by /soc devices at bus 0xc0000000-0xffffffff.
 */
static const struct pvxen_dma_range rpi4_soc_ranges[] = {
	{ .cpu_start = 0x0, .bus_start = 0xc0000000, .size = 0x40000000 },
};

/* A /soc device whose bus limit is the end of the 1 GiB window. */
static const struct pvxen_dma_table rpi4_soc = {
	.ranges = rpi4_soc_ranges, .nr = 1, .dma_limit = 0xffffffff,
};

/*
 * The same window for a device that can only drive 30 address bits: the
 * window sits at bus 0xc0000000, so nothing at all is reachable.  Catches
 * the classic bug of checking the mask against the CPU address.
 */
static const struct pvxen_dma_table rpi4_soc_mask30 = {
	.ranges = rpi4_soc_ranges, .nr = 1, .dma_limit = 0x3fffffff,
};

/* The window cut at 512 MiB by the device: bus 0xc0000000-0xdfffffff. */
static const struct pvxen_dma_table rpi4_soc_512m = {
	.ranges = rpi4_soc_ranges, .nr = 1, .dma_limit = 0xdfffffff,
};

/* emmc2bus on C0 steppings, as fixed up by the firmware. */
static const struct pvxen_dma_range rpi4_emmc2_c0_ranges[] = {
	{ .cpu_start = 0x0, .bus_start = 0x0, .size = 0xfc000000 },
};

static const struct pvxen_dma_table rpi4_emmc2_c0 = {
	.ranges = rpi4_emmc2_c0_ranges, .nr = 1, .dma_limit = 0xffffffff,
};

/* pcie0: dma-ranges limited to the first 3 GiB; 64-bit capable device. */
static const struct pvxen_dma_range rpi4_pcie_ranges[] = {
	{ .cpu_start = 0x0, .bus_start = 0x0, .size = 0xc0000000 },
};

static const struct pvxen_dma_table rpi4_pcie = {
	.ranges = rpi4_pcie_ranges, .nr = 1, .dma_limit = ALL_ONES,
};

/*
 * Synthetic bcm2711-style table with several offsets (unsorted on purpose):
 *   R0 cpu 0x0         -> bus 0xc0000000  1 GiB  (bus > cpu, /soc window)
 *   R1 cpu 0x40000000  -> bus 0x40000000  1 GiB  (identity)
 *   R2 cpu 0x600000000 -> bus 0x80000000  1 GiB  (bus < cpu, scb window)
 *   R3 cpu 0x100000000 -> bus 0x100000000 4 GiB  (identity, high)
 *   R4 cpu 0x200000000 -> bus 0x200000000 256 MiB
 * R0/R1 touch on the CPU side only, R1/R2 and R2/R0 on the bus side only,
 * R3/R4 on both sides (a buffer may cross there).
 */
static const struct pvxen_dma_range multi_ranges[] = {
	{ .cpu_start = 0x100000000, .bus_start = 0x100000000,
	  .size = 0x100000000 },
	{ .cpu_start = 0x0, .bus_start = 0xc0000000, .size = 0x40000000 },
	{ .cpu_start = 0x600000000, .bus_start = 0x80000000,
	  .size = 0x40000000 },
	{ .cpu_start = 0x40000000, .bus_start = 0x40000000,
	  .size = 0x40000000 },
	{ .cpu_start = 0x200000000, .bus_start = 0x200000000,
	  .size = 0x10000000 },
};

static const struct pvxen_dma_table multi64 = {
	.ranges = multi_ranges, .nr = ARRAY_SIZE(multi_ranges),
	.dma_limit = ALL_ONES,
};

/* Same ranges behind a 32-bit bus: R3 and R4 are unreachable. */
static const struct pvxen_dma_table multi32 = {
	.ranges = multi_ranges, .nr = ARRAY_SIZE(multi_ranges),
	.dma_limit = 0xffffffff,
};

/* Identity tables, as pvxen_dma_table_identity() builds them. */
static const struct pvxen_dma_table identity32 = {
	.ranges = NULL, .nr = 0, .dma_limit = 0xffffffff,
};

static const struct pvxen_dma_table identity64 = {
	.ranges = NULL, .nr = 0, .dma_limit = ALL_ONES,
};

/* Identity spelled as one range; must behave exactly like identity64. */
static const struct pvxen_dma_range identity_explicit_ranges[] = {
	{ .cpu_start = 0x0, .bus_start = 0x0, .size = ALL_ONES },
};

static const struct pvxen_dma_table identity_explicit = {
	.ranges = identity_explicit_ranges, .nr = 1, .dma_limit = ALL_ONES,
};

/* Ranges ending exactly at 2^64 - 1, on the CPU side and on the bus side. */
static const struct pvxen_dma_range top_ranges[] = {
	{ .cpu_start = 0xffffffff00000000ULL, .bus_start = 0x0,
	  .size = 0x100000000 },
	{ .cpu_start = 0x0, .bus_start = 0xffffffff00000000ULL,
	  .size = 0x100000000 },
};

static const struct pvxen_dma_table top = {
	.ranges = top_ranges, .nr = ARRAY_SIZE(top_ranges),
	.dma_limit = ALL_ONES,
};

struct named_table {
	const char *name;
	const struct pvxen_dma_table *t;
};

static const struct named_table all_tables[] = {
	{ "rpi4 /soc", &rpi4_soc },
	{ "rpi4 /soc, 30-bit device", &rpi4_soc_mask30 },
	{ "rpi4 /soc, 512 MiB limit", &rpi4_soc_512m },
	{ "rpi4 emmc2 C0", &rpi4_emmc2_c0 },
	{ "rpi4 pcie0", &rpi4_pcie },
	{ "multi-range 64-bit", &multi64 },
	{ "multi-range 32-bit", &multi32 },
	{ "identity 32-bit", &identity32 },
	{ "identity 64-bit", &identity64 },
	{ "identity as one range", &identity_explicit },
	{ "ranges at 2^64-1", &top },
};

#endif /* PVXEN_TESTS_TABLES_H */
