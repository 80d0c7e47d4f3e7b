// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen-swiotlb: which devices use its DMA operations.
 *
 * A platform device gets them when a driver binds to it: the bus notifier's
 * BUS_NOTIFY_BIND_DRIVER comes after the driver core has configured the
 * device's DMA from the device tree (dma-ranges, dma-coherent) and before
 * the driver's probe, so the driver sees only pvxen's operations.  When
 * the driver goes (unbind, or a failed probe), the operations go with it,
 * last of the device's managed resources, as the kernel's own teardown
 * would do.  A device that already has DMA operations (an IOMMU's) is
 * left alone, and so is one whose every buffer the kernel's swiotlb
 * bounces (a restricted DMA pool, swiotlb=force): its pool is the
 * domain's own memory, which the CPU fills, right for any page.  A device
 * whose driver was bound before pvxen-swiotlb loaded keeps dma-direct:
 * its live mappings were made that way.  Loading says which ones, and
 * unbinding and binding the driver again switches them.
 *
 * While any device uses the operations the module holds a reference to
 * itself, so it cannot be unloaded under a driver that maps through it.
 *
 * match=COMPAT[;COMPAT...] limits the devices to those whose device-tree
 * node is compatible with one of the strings; empty means every platform
 * device with a device-tree node.
 */
#define pr_fmt(fmt) "pvxen-swiotlb: " fmt

#include <linux/device.h>
#include <linux/dma-map-ops.h>
#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <pvxen/compat-dma.h>
#include <pvxen/core.h>

#include "swiotlb.h"

static DEFINE_HASHTABLE(pvxs_hash, 5);
static DEFINE_MUTEX(pvxs_devs_lock);	/* hash updates, the match list */
static const char *pvxs_match;

/* Under rcu_read_lock(); the state lives until after its unlock. */
struct pvxs_dev *pvxs_dev_find(struct device *dev)
{
	struct pvxs_dev *pd;

	hash_for_each_possible_rcu(pvxs_hash, pd, node, (unsigned long)dev)
		if (pd->dev == dev)
			return pd;
	return NULL;
}

/* Does @dev's node match one of the compatible strings of match=? */
static bool pvxs_wanted(struct device *dev)
{
	const char *p = pvxs_match, *semi;
	char compat[64];
	size_t n;

	if (!dev->of_node)
		return false;
	if (!p || !*p)
		return true;
	while (*p) {
		semi = strchrnul(p, ';');
		n = semi - p;
		if (n && n < sizeof(compat)) {
			memcpy(compat, p, n);
			compat[n] = '\0';
			if (of_device_is_compatible(dev->of_node, compat))
				return true;
		}
		p = *semi ? semi + 1 : semi;
	}
	return false;
}

static void pvxs_detach(void *data);

static void pvxs_attach(struct device *dev)
{
	struct pvxs_dev *pd;
	bool ours;
	int ret;

	if (!pvxs_wanted(dev))
		return;
	rcu_read_lock();
	ours = pvxs_dev_find(dev);
	rcu_read_unlock();
	if (ours)
		return;		/* bound again without an unbind (re-probe) */
	if (pvxen_get_dma_ops(dev)) {
		dev_info(dev, "pvxen-swiotlb: has DMA operations already (an IOMMU's): left alone\n");
		return;
	}
	if (pvxen_dev_swiotlb_bounces_all(dev)) {
		dev_info(dev, "pvxen-swiotlb: the kernel's swiotlb bounces all its DMA (restricted pool or swiotlb=force): left to it\n");
		return;
	}
	pd = kzalloc(sizeof(*pd), GFP_KERNEL);
	if (!pd)
		return;		/* left to dma-direct */
	pd->dev = dev;
	strscpy(pd->name, dev_name(dev), sizeof(pd->name));
	ret = pvxen_dma_table_from_dev(dev, pd->ranges, PVXS_MAX_RANGES,
				       &pd->table);
	if (ret) {
		dev_warn(dev, "pvxen-swiotlb: no usable DMA configuration (%d): left to dma-direct\n",
			 ret);
		kfree(pd);
		return;
	}
	pd->coherent = dev_is_dma_coherent(dev);
	pd->pool_dma = pvxs_pool_dma(&pd->table);
	if (!try_module_get(THIS_MODULE)) {
		kfree(pd);
		return;
	}

	mutex_lock(&pvxs_devs_lock);
	hash_add_rcu(pvxs_hash, &pd->node, (unsigned long)dev);
	pvxen_set_dma_ops(dev, &pvxs_dma_ops);
	mutex_unlock(&pvxs_devs_lock);
	atomic_inc(&pvxs_attached);
	/*
	 * Undone by the device's own resource release, which runs the
	 * driver's (dmam_alloc_coherent() and the like, freed through these
	 * operations) first and this last, on unbind and on a failed probe.
	 */
	if (devm_add_action_or_reset(dev, pvxs_detach, dev)) {
		dev_err(dev, "pvxen-swiotlb: no memory: left to dma-direct\n");
		return;
	}
	dev_info(dev, "pvxen-swiotlb: DMA through the translation layer (%u range%s, %scoherent)\n",
		 pd->table.nr, pd->table.nr == 1 ? "" : "s",
		 pd->coherent ? "" : "non-");
}

static void pvxs_detach(void *data)
{
	struct device *dev = data;
	struct pvxs_dev *pd;

	mutex_lock(&pvxs_devs_lock);
	rcu_read_lock();
	pd = pvxs_dev_find(dev);
	rcu_read_unlock();
	if (pd) {
		hash_del_rcu(&pd->node);
		if (pvxen_get_dma_ops(dev) == &pvxs_dma_ops)
			pvxen_set_dma_ops(dev, NULL);
	}
	mutex_unlock(&pvxs_devs_lock);
	if (!pd)
		return;
	kfree_rcu(pd, rcu);
	atomic_dec(&pvxs_attached);
	module_put(THIS_MODULE);
}

static int pvxs_bus_event(struct notifier_block *nb, unsigned long action,
			  void *data)
{
	struct device *dev = data;

	if (action == BUS_NOTIFY_BIND_DRIVER)
		pvxs_attach(dev);
	return NOTIFY_DONE;
}

static struct notifier_block pvxs_nb = {
	.notifier_call = pvxs_bus_event,
};

static int pvxs_report_bound(struct device *dev, void *data)
{
	unsigned int *n = data;
	bool ours;

	rcu_read_lock();
	ours = pvxs_dev_find(dev);
	rcu_read_unlock();
	if (dev->driver && pvxs_wanted(dev) && !ours) {
		dev_info(dev, "pvxen-swiotlb: driver %s bound already: keeps dma-direct until it is bound again\n",
			 dev->driver->name);
		(*n)++;
	}
	return 0;
}

int pvxs_devs_init(const char *match)
{
	unsigned int bound = 0;
	int ret;

	pvxs_match = match;
	ret = bus_register_notifier(&platform_bus_type, &pvxs_nb);
	if (ret)
		return ret;
	bus_for_each_dev(&platform_bus_type, NULL, &bound, pvxs_report_bound);
	if (bound)
		pr_info("%u device%s bound before load keep dma-direct\n",
			bound, bound == 1 ? "" : "s");
	return 0;
}

void pvxs_devs_exit(void)
{
	bus_unregister_notifier(&platform_bus_type, &pvxs_nb);
	/* Every attached device holds a module reference: none is left. */
	synchronize_rcu();
}

void pvxs_devs_show(struct seq_file *m)
{
	struct pvxs_dev *pd;
	unsigned int bkt, i;

	rcu_read_lock();
	hash_for_each_rcu(pvxs_hash, bkt, pd, node) {
		seq_printf(m, "%s: %scoherent, %u range%s:", pd->name,
			   pd->coherent ? "" : "non-", pd->table.nr,
			   pd->table.nr == 1 ? "" : "s");
		for (i = 0; i < pd->table.nr; i++)
			seq_printf(m, " cpu %#llx bus %#llx size %#llx",
				   pd->ranges[i].cpu_start,
				   pd->ranges[i].bus_start, pd->ranges[i].size);
		seq_putc(m, '\n');
	}
	rcu_read_unlock();
}
