// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen-core: the kernel side of the translation core (include/pvxen/xlate.h).
 *
 * The core itself is pure arithmetic on range tables; this file builds those
 * tables from what the kernel knows about a device.
 */
#include <linux/device.h>
#include <linux/dma-direct.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/minmax.h>

#include <pvxen/core.h>
#include <pvxen/xlate.h>

/**
 * pvxen_dma_table_from_dev() - Build a device's range table.
 * @dev: the device; only read
 * @buf: storage for the ranges, @max entries
 * @max: number of entries in @buf
 * @out: the table, valid on success; @out->ranges points into @buf
 *
 * The ranges come from @dev->dma_range_map (the kernel's parsed dma-ranges:
 * machine address cpu_start is seen by the device as dma_start, for size
 * bytes).  A device without a map gets the identity table.  The DMA limit
 * is the device's DMA mask (or, if it has none, its coherent mask), lowered
 * to the bus limit when one is set.
 *
 * The table is only as current as the device's map; rebuild it after the
 * device's DMA configuration changes.  Call from process context with the
 * device's DMA configuration stable (e.g. from probe).
 *
 * Return: 0 on success; -EINVAL if @dev has no DMA mask, its map is empty
 * or the ranges are not a valid table; -ENOSPC if the map has more than
 * @max ranges (or more than the core supports).
 */
int pvxen_dma_table_from_dev(struct device *dev, struct pvxen_dma_range *buf,
			     unsigned int max, struct pvxen_dma_table *out)
{
	const struct bus_dma_region *m;
	struct pvxen_dma_table t;
	enum pvxen_dma_table_err err;
	unsigned int n = 0;
	u64 mask;

	if (dev->dma_mask && *dev->dma_mask)
		mask = *dev->dma_mask;
	else if (dev->coherent_dma_mask)
		mask = dev->coherent_dma_mask;
	else
		return -EINVAL;
	mask = min_not_zero(mask, dev->bus_dma_limit);

	if (!dev->dma_range_map) {
		*out = pvxen_dma_table_identity(mask);
		return 0;
	}

	for (m = dev->dma_range_map; m->size; m++) {
		if (n >= max)
			return -ENOSPC;
		buf[n].cpu_start = m->cpu_start;
		buf[n].bus_start = m->dma_start;
		buf[n].size = m->size;
		n++;
	}
	if (!n)
		return -EINVAL;

	t.ranges = buf;
	t.nr = n;
	t.dma_limit = mask;
	err = pvxen_dma_table_validate(&t);
	if (err == PVXEN_DMA_TABLE_ETOOMANY)
		return -ENOSPC;
	if (err != PVXEN_DMA_TABLE_OK)
		return -EINVAL;

	*out = t;
	return 0;
}
EXPORT_SYMBOL_GPL(pvxen_dma_table_from_dev);
