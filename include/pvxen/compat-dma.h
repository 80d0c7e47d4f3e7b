/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen: the per-device DMA operations slot, by kernel (part of the compat
 * layer, see compat.h; included by pvxen-swiotlb only).
 *
 * Kernels built with CONFIG_DMA_OPS (5.10 to 6.10; arm64 selects it with
 * IOMMU_DMA) or CONFIG_ARCH_HAS_DMA_OPS (6.11 on; arm64 no longer selects
 * it) let a module install its own struct dma_map_ops on a device.
 * PVXEN_HAVE_DMA_OPS_SLOT says whether this kernel does; without it the
 * accessors do nothing and pvxen-swiotlb refuses to load
 * (Documentation/dma.md: which kernels get which mechanism).
 */
#ifndef _PVXEN_COMPAT_DMA_H
#define _PVXEN_COMPAT_DMA_H

#include <linux/device.h>
#include <linux/dma-map-ops.h>
#include <linux/swiotlb.h>

#if defined(CONFIG_DMA_OPS) || defined(CONFIG_ARCH_HAS_DMA_OPS)
#define PVXEN_HAVE_DMA_OPS_SLOT 1

static inline const struct dma_map_ops *pvxen_get_dma_ops(struct device *dev)
{
	return dev->dma_ops;
}

static inline void pvxen_set_dma_ops(struct device *dev,
				     const struct dma_map_ops *ops)
{
	dev->dma_ops = ops;
}
#else
#define PVXEN_HAVE_DMA_OPS_SLOT 0

static inline const struct dma_map_ops *pvxen_get_dma_ops(struct device *dev)
{
	return NULL;
}

static inline void pvxen_set_dma_ops(struct device *dev,
				     const struct dma_map_ops *ops)
{
}
#endif

/*
 * Does the kernel's swiotlb bounce every buffer of @dev (a restricted DMA
 * pool from its device tree, or swiotlb=force)?  Then all its DMA goes
 * through a pool of the domain's own memory, copied by the CPU, which is
 * right for foreign and scattered pages alike.  (5.10 has no per-device
 * pool, and its swiotlb_force is not exported to modules: false there.)
 */
static inline bool pvxen_dev_swiotlb_bounces_all(struct device *dev)
{
#if defined(CONFIG_SWIOTLB) && defined(PVXEN_HAVE_IS_SWIOTLB_FORCE_BOUNCE)
	return is_swiotlb_force_bounce(dev);
#else
	return false;
#endif
}

#endif /* _PVXEN_COMPAT_DMA_H */
