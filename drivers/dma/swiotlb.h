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
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

#include <pvxen/xlate.h>

struct device;
struct seq_file;

#define PVXS_MAX_RANGES	8

/**
 * struct pvxs_dev - a device whose DMA goes through pvxen-swiotlb.
 * @dev: the device (its driver is bound while this exists)
 * @name: its name, for debugfs
 * @ranges: storage of @table's ranges
 * @table: how the device sees machine memory (its dma-ranges and masks)
 * @coherent: the device snoops the CPU caches (dma-coherent)
 * @pool_dma: the bounce pool's first byte as the device sees it (whatever
 *	its mask), or DMA_MAPPING_ERROR if the ranges do not cover the pool
 * @node: in the registry's hash
 * @rcu: freeing after the last lookup
 */
struct pvxs_dev {
	struct device *dev;
	char name[32];
	struct pvxen_dma_range ranges[PVXS_MAX_RANGES];
	struct pvxen_dma_table table;
	bool coherent;
	dma_addr_t pool_dma;
	struct hlist_node node;
	struct rcu_head rcu;
};

/**
 * enum pvxs_stat - counters, in debugfs pvxen/swiotlb/stats (per CPU, so
 *	that the mapping path takes no shared cache line).
 * @PVXS_MAP_DIRECT: mappings given the machine address through the ranges
 * @PVXS_MAP_BOUNCED: mappings bounced through the pool
 * @PVXS_MAP_FAILED: mappings refused (pool full, out of reach, bad buffer)
 * @PVXS_BOUNCE_DISCONTIG: bounced because not machine-contiguous
 * @PVXS_BOUNCE_FOREIGN: bounced because foreign on a non-coherent device
 * @PVXS_BOUNCE_REACH: bounced because beyond the device's reach
 * @PVXS_BOUNCE_BYTES: bytes copied to or from the pool
 * @PVXS_ALLOC_COHERENT: coherent buffers allocated and not yet freed
 * @PVXS_NR_STATS: number of counters
 */
enum pvxs_stat {
	PVXS_MAP_DIRECT,
	PVXS_MAP_BOUNCED,
	PVXS_MAP_FAILED,
	PVXS_BOUNCE_DISCONTIG,
	PVXS_BOUNCE_FOREIGN,
	PVXS_BOUNCE_REACH,
	PVXS_BOUNCE_BYTES,
	PVXS_ALLOC_COHERENT,
	PVXS_NR_STATS,
};

DECLARE_PER_CPU(s64 [PVXS_NR_STATS], pvxs_stat);
extern atomic_t pvxs_attached;

static inline void pvxs_count(enum pvxs_stat i, s64 v)
{
	this_cpu_add(pvxs_stat[i], v);
}

extern const struct dma_map_ops pvxs_dma_ops;

/* swiotlb-pool.c; pvxs_pool_map() returns PVXS_POOL_ERROR when full */
#define PVXS_POOL_ERROR	((phys_addr_t)~0)
int pvxs_pool_init(unsigned int pool_kb, unsigned int max_bounce_kb);
void pvxs_pool_exit(void);
phys_addr_t pvxs_pool_start(void);
size_t pvxs_pool_size(void);
size_t pvxs_pool_max_bounce(void);
bool pvxs_pool_contains(phys_addr_t pa, size_t len);
dma_addr_t pvxs_pool_dma(const struct pvxen_dma_table *t);
phys_addr_t pvxs_pool_map(phys_addr_t orig, size_t len);
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
