// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen-swiotlb: the DMA API for the devices a direct-mapped domain (a
 * dom0 or driver domain) drives itself, in kernels without CONFIG_XEN.
 *
 * In such a domain a device must be given machine addresses seen through
 * its dma-ranges, while the kernel knows guest-physical ones: they are
 * the same for the domain's own RAM, and differ for pages another domain
 * granted it.  On a board like the Raspberry Pi 4 the dma-ranges also move
 * and limit what the device sees.  This module installs DMA operations
 * that go pfn -> bfn -> dma through pvxen's translation layer and bounce
 * what cannot be given as is (Documentation/dma.md).
 *
 * It needs a kernel with a per-device DMA operations slot (compat-dma.h)
 * and a direct-mapped domain (XENFEAT_direct_mapped); otherwise loading
 * fails with a message saying which.
 *
 * debugfs pvxen/swiotlb/stats: counters and the pool; devices: each device
 * using the operations, with its ranges.
 */
#define pr_fmt(fmt) "pvxen-swiotlb: " fmt

#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>

#include <xen/interface/xen.h>
#include <xen/interface/features.h>
#include <xen/interface/version.h>

#include <pvxen/compat-dma.h>
#include <pvxen/hypercall.h>
#include <pvxen/param.h>
#include <pvxen/version.h>

#include "swiotlb.h"

DEFINE_PER_CPU(s64 [PVXS_NR_STATS], pvxs_stat);
atomic_t pvxs_attached;

static unsigned int pool_kb = 1024;
static unsigned int max_bounce_kb = 256;
static char *match = "";

/* Limits of the unsigned module parameters, by name. */
static const struct pvxen_param_limit pvxs_param_limits[] = {
	{ "pool_kb", 64, 4096 },
	{ "max_bounce_kb", 4, 1024 },
};

static int pvxs_param_set(const char *val, const struct kernel_param *kp)
{
	return pvxen_param_set_uint(val, kp, pvxs_param_limits,
				    ARRAY_SIZE(pvxs_param_limits));
}

static const struct kernel_param_ops pvxs_uint_ops = {
	.set = pvxs_param_set,
	.get = param_get_uint,
};

module_param_cb(pool_kb, &pvxs_uint_ops, &pool_kb, 0444);
MODULE_PARM_DESC(pool_kb,
		 "Bounce pool in KiB, 64..4096, default 1024; allocated at load from the DMA zone");
module_param_cb(max_bounce_kb, &pvxs_uint_ops, &max_bounce_kb, 0444);
MODULE_PARM_DESC(max_bounce_kb,
		 "Largest bounced mapping in KiB, 4..1024, default 256 (the devices' max mapping size)");
module_param(match, charp, 0444);
MODULE_PARM_DESC(match,
		 "Device-tree compatible strings, separated by ';', of the devices to serve; empty (default): every platform device with a device-tree node");

static struct dentry *pvxs_dbg;

static const char *const pvxs_stat_names[PVXS_NR_STATS] = {
	[PVXS_MAP_DIRECT] = "map_direct",
	[PVXS_MAP_BOUNCED] = "map_bounced",
	[PVXS_MAP_FAILED] = "map_failed",
	[PVXS_BOUNCE_DISCONTIG] = "bounce_discontig",
	[PVXS_BOUNCE_FOREIGN] = "bounce_foreign",
	[PVXS_BOUNCE_REACH] = "bounce_reach",
	[PVXS_BOUNCE_BYTES] = "bounce_bytes",
	[PVXS_ALLOC_COHERENT] = "alloc_coherent",
};

static int pvxs_stats_show(struct seq_file *m, void *unused)
{
	unsigned int i, cpu;
	s64 v;

	seq_printf(m, "attached %d\n", atomic_read(&pvxs_attached));
	for (i = 0; i < PVXS_NR_STATS; i++) {
		v = 0;
		for_each_possible_cpu(cpu)
			v += per_cpu(pvxs_stat, cpu)[i];
		seq_printf(m, "%s %lld\n", pvxs_stat_names[i], v);
	}
	pvxs_pool_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pvxs_stats);

static int pvxs_devices_show(struct seq_file *m, void *unused)
{
	pvxs_devs_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pvxs_devices);

static void pvxs_debugfs_init(void)
{
	struct dentry *parent = debugfs_lookup("pvxen", NULL);

	pvxs_dbg = debugfs_create_dir("swiotlb", parent);
	dput(parent);
	if (IS_ERR(pvxs_dbg))
		return;
	debugfs_create_file("stats", 0444, pvxs_dbg, NULL, &pvxs_stats_fops);
	debugfs_create_file("devices", 0444, pvxs_dbg, NULL,
			    &pvxs_devices_fops);
}

/* Is this a direct-mapped domain, where pvxen-swiotlb makes sense? */
static int pvxs_check_domain(void)
{
	struct xen_feature_info fi = { .submap_idx = 0 };
	long ret;

	ret = pvxen_xen_version(XENVER_get_features, &fi);
	if (ret < 0) {
		pr_err("cannot read Xen's features (%ld)\n", ret);
		return -ENODEV;
	}
	if (!(fi.submap & BIT(XENFEAT_direct_mapped))) {
		pr_err("this domain is not direct-mapped (features 0x%08x): its devices see guest-physical addresses through an IOMMU or none, nothing to translate\n",
		       fi.submap);
		return -ENODEV;
	}
	return 0;
}

static int __init pvxs_init(void)
{
	int ret;

	if (!PVXEN_HAVE_DMA_OPS_SLOT) {
		pr_err("this kernel has no per-device DMA operations (CONFIG_DMA_OPS is off): see Documentation/dma.md for what such kernels use\n");
		return -EOPNOTSUPP;
	}
	if (max_bounce_kb > pool_kb) {
		pr_err("max_bounce_kb=%u is invalid: larger than pool_kb=%u\n",
		       max_bounce_kb, pool_kb);
		return -EINVAL;
	}
	ret = pvxs_check_domain();
	if (ret)
		return ret;
	ret = pvxs_pool_init(pool_kb, max_bounce_kb);
	if (ret)
		return ret;
	ret = pvxs_ops_init();
	if (ret)
		goto exit_pool;
	ret = pvxs_devs_init(match);
	if (ret)
		goto exit_ops;
	pvxs_debugfs_init();
	pr_info("bounce pool of %zu KiB at %pa, bounces up to %zu KiB; serving %s\n",
		pvxs_pool_size() >> 10, &(phys_addr_t){ pvxs_pool_start() },
		pvxs_pool_max_bounce() >> 10,
		*match ? match : "every platform device with a device-tree node");
	return 0;

exit_ops:
	pvxs_ops_exit();
exit_pool:
	pvxs_pool_exit();
	return ret;
}

static void __exit pvxs_exit(void)
{
	debugfs_remove_recursive(pvxs_dbg);
	pvxs_devs_exit();
	pvxs_ops_exit();
	pvxs_pool_exit();
	pr_info("unloaded\n");
}

module_init(pvxs_init);
module_exit(pvxs_exit);

MODULE_LICENSE("GPL");
MODULE_VERSION(PVXEN_VERSION);
MODULE_DESCRIPTION("pvxen: DMA through the Xen translation layer for a direct-mapped domain's devices");
