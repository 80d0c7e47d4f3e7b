/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen-swiotlb: the DMA API for devices behind the translation layer
 * (Documentation/dma.md).  Internal interfaces between its files:
 *
 *   swiotlb-main.c   module parameters, the domain check, debugfs, init/exit
 *   swiotlb-devs.c   which devices use the operations: the bus notifier
 *                    and the per-device state (range table, coherence)
 *   swiotlb-ops.c    struct dma_map_ops: pfn -> bfn -> dma, or bounce
 *   swiotlb-pool.c   the bounce pool: machine-contiguous, below the limit
 *
 * Locks: pvxs_devs_lock (mutex, swiotlb-devs.c: attach and detach) and
 * the pool's lock (spin, irqsave, swiotlb-pool.c) never nest; lookups of
 * a device's state take rcu_read_lock() only.
 */
#ifndef _PVXEN_DMA_SWIOTLB_H
#define _PVXEN_DMA_SWIOTLB_H

#include <linux/atomic.h>
#include <linux/dma-direction.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

#include <pvxen/xlate.h>

struct device;
struct seq_file;

#define PVXS_MAX_RANGES	8

/**
 * struct pvxs_dev - a device whose DMA goes through pvxen-swiotlb.
 * @dev: the device (its driver is bound while this exists)
 * @ranges: storage of @table's ranges
 * @table: how the device sees machine memory (its dma-ranges and masks)
 * @coherent: the device snoops the CPU caches (dma-coherent)
 * @node: in the registry's hash
 * @rcu: freeing after the last lookup
 */
struct pvxs_dev {
	struct device *dev;
	struct pvxen_dma_range ranges[PVXS_MAX_RANGES];
	struct pvxen_dma_table table;
	bool coherent;
	struct hlist_node node;
	struct rcu_head rcu;
};

/**
 * struct pvxs_stats - counters, in debugfs pvxen/swiotlb/stats.
 * @map_direct: mappings given the machine address through the ranges
 * @map_bounced: mappings bounced through the pool
 * @bounce_bytes: bytes copied to or from the pool
 * @map_failed: mappings refused (pool full, out of reach, bad buffer)
 * @bounce_foreign: bounced because foreign on a non-coherent device
 * @bounce_discontig: bounced because not machine-contiguous
 * @bounce_reach: bounced because beyond the device's reach
 * @alloc_coherent: coherent buffers allocated and not yet freed
 * @attached: devices using the operations now
 */
struct pvxs_stats {
	atomic64_t map_direct;
	atomic64_t map_bounced;
	atomic64_t bounce_bytes;
	atomic64_t map_failed;
	atomic64_t bounce_foreign;
	atomic64_t bounce_discontig;
	atomic64_t bounce_reach;
	atomic64_t alloc_coherent;
	atomic_t attached;
};

extern struct pvxs_stats pvxs_stats;
extern const struct dma_map_ops pvxs_dma_ops;

/* swiotlb-pool.c; pvxs_pool_map() returns PVXS_POOL_ERROR when full */
#define PVXS_POOL_ERROR	((phys_addr_t)~0)
int pvxs_pool_init(unsigned int pool_kb, unsigned int max_bounce_kb);
void pvxs_pool_exit(void);
phys_addr_t pvxs_pool_start(void);
size_t pvxs_pool_size(void);
size_t pvxs_pool_max_bounce(void);
bool pvxs_pool_contains(phys_addr_t pa, size_t len);
phys_addr_t pvxs_pool_map(phys_addr_t orig, size_t len,
			  enum dma_data_direction dir, bool sync);
void pvxs_pool_unmap(phys_addr_t pa, size_t len, enum dma_data_direction dir,
		     bool sync);
void pvxs_pool_sync(phys_addr_t pa, size_t len, enum dma_data_direction dir,
		    bool for_cpu);
void pvxs_pool_show(struct seq_file *m);

/* swiotlb-ops.c */
int pvxs_ops_init(void);
void pvxs_ops_exit(void);

/* swiotlb-devs.c */
int pvxs_devs_init(const char *match);
void pvxs_devs_exit(void);
struct pvxs_dev *pvxs_dev_find(struct device *dev);
void pvxs_devs_show(struct seq_file *m);

#endif /* _PVXEN_DMA_SWIOTLB_H */
