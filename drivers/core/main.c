// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen-core: Xen guest core for kernels built without CONFIG_XEN.
 *
 * First light: find Xen, read its version and features, map shared_info
 * and publish what was found under /sys/kernel/pvxen.
 *
 * Where shared_info goes: Xen needs a guest frame that is not RAM.  The
 * /hypervisor grant-table window (reg[0]) is such a range, reserved by Xen
 * for exactly this kind of page.  Grant frames will be mapped from the
 * bottom of the window upwards, so shared_info takes the last 4 KiB frame
 * of the window, which the grant table never reaches as long as the window
 * holds more frames than the grant table uses (Xen 4.17: 16 MiB window,
 * at most 64 grant frames by default).
 */
#define pr_fmt(fmt) "pvxen: " fmt

#include <linux/bits.h>
#include <linux/debugfs.h>
#include <linux/errno.h>
#include <linux/io.h>
#include <linux/kconfig.h>
#include <linux/module.h>
#include <linux/processor.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <xen/interface/xen.h>
#include <xen/interface/memory.h>
#include <xen/interface/version.h>

#include <pvxen/arch.h>
#include <pvxen/hypercall.h>
#include <pvxen/xlate.h>
#include <pvxen/version.h>

#include "core.h"
#include "grant.h"

struct pvxen_core pvxen_core;

/* Defined in arch/<arch>/hypercall.S; exported from C to stay portable. */
EXPORT_SYMBOL_GPL(pvxen_hypercall);

/* Bound on wallclock re-reads while Xen is updating it (it never takes long). */
#define PVXEN_WC_RETRIES	1000

static int pvxen_check_window(const struct resource *win)
{
	resource_size_t size = resource_size(win);

	if (!IS_ALIGNED(win->start, PVXEN_XEN_PAGE_SIZE) ||
	    !IS_ALIGNED(size, PVXEN_XEN_PAGE_SIZE) ||
	    size < 2 * PVXEN_XEN_PAGE_SIZE) {
		pr_err("Xen grant-table window 0x%llx+0x%llx is unusable (needs two aligned 4 KiB frames)\n",
		       (u64)win->start, (u64)size);
		return -ENODEV;
	}
	return 0;
}

static int pvxen_read_version(struct pvxen_core *c)
{
	struct xen_feature_info fi = { .submap_idx = 0 };
	struct xen_extraversion extra;
	long ret;

	ret = pvxen_xen_version(XENVER_version, NULL);
	if (ret <= 0) {
		pr_err("Xen version hypercall failed (%ld)\n", ret);
		return -ENODEV;
	}
	c->major = (u32)ret >> 16;
	c->minor = (u32)ret & 0xffff;

	memset(&extra, 0, sizeof(extra));
	ret = pvxen_xen_version(XENVER_extraversion, &extra);
	if (ret < 0) {
		pr_err("Xen extraversion hypercall failed (%ld)\n", ret);
		return -ENODEV;
	}
	BUILD_BUG_ON(sizeof(c->extra) <= sizeof(extra.extraversion));
	memcpy(c->extra, extra.extraversion, sizeof(extra.extraversion));
	c->extra[sizeof(extra.extraversion)] = '\0';

	ret = pvxen_xen_version(XENVER_get_features, &fi);
	if (ret < 0) {
		pr_err("Xen get_features hypercall failed (%ld)\n", ret);
		return -ENODEV;
	}
	c->features = fi.submap;
	if (!(c->features & BIT(XENFEAT_auto_translated_physmap))) {
		pr_err("Xen %u.%u does not offer an auto-translated physmap (features 0x%08x); pvxen needs one\n",
		       c->major, c->minor, c->features);
		return -ENODEV;
	}

	ret = pvxen_xen_version(XENVER_pagesize, NULL);
	c->pagesize = ret > 0 ? ret : PVXEN_XEN_PAGE_SIZE;
	return 0;
}

static u64 pvxen_shared_info_gfn(const struct pvxen_core *c)
{
	return pvxen_pfn_val(pvxen_paddr_to_pfn(pvxen_mk_paddr(c->shared_info_gpa)));
}

static void pvxen_unmap_shared_info(struct pvxen_core *c)
{
	struct xen_remove_from_physmap xrfp = {
		.domid = DOMID_SELF,
		.gpfn = pvxen_shared_info_gfn(c),
	};
	long ret;

	if (c->shared_info) {
		memunmap(c->shared_info);
		c->shared_info = NULL;
	}
	ret = pvxen_memory_op(XENMEM_remove_from_physmap, &xrfp);
	if (ret)
		pr_warn("could not remove shared_info from gfn 0x%llx (%ld)\n",
			(u64)xrfp.gpfn, ret);
}

static int pvxen_map_shared_info(struct pvxen_core *c)
{
	const struct resource *win = &c->plat.grant_window;
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.idx = 0,
	};
	long ret;

	c->shared_info_gpa = win->start + resource_size(win) - PVXEN_XEN_PAGE_SIZE;
	xatp.gpfn = pvxen_shared_info_gfn(c);

	ret = pvxen_memory_op(XENMEM_add_to_physmap, &xatp);
	if (ret) {
		pr_err("Xen refused to map shared_info at gfn 0x%llx (%ld)\n",
		       (u64)xatp.gpfn, ret);
		return ret < 0 && ret >= -MAX_ERRNO ? (int)ret : -EIO;
	}

	c->shared_info = memremap(c->shared_info_gpa, PVXEN_XEN_PAGE_SIZE,
				  MEMREMAP_WB);
	if (!c->shared_info) {
		pr_err("could not map shared_info at 0x%llx\n",
		       (u64)c->shared_info_gpa);
		pvxen_unmap_shared_info(c);
		return -ENOMEM;
	}
	return 0;
}

/*
 * Wall-clock time now.  shared_info's wallclock (wc) is the wall time at the
 * epoch of the domain's system time; Xen bumps wc.version to odd before an
 * update and to even after it.  On arm64 the upper 32 bits of the seconds
 * live in the 4th word (Xen's wc_sec_hi), which Linux's header calls
 * wc.sec_hi.
 */
int pvxen_wallclock_read(struct timespec64 *now)
{
	struct pvclock_wall_clock *wc = &pvxen_core.shared_info->wc;
	u32 version, sec, sec_hi, nsec;
	unsigned int tries = 0;
	u64 ns;

	do {
		if (++tries > PVXEN_WC_RETRIES)
			return -EAGAIN;
		if (tries > 1)
			cpu_relax();
		version = READ_ONCE(wc->version);
		smp_rmb(); /* version before time; pairs with Xen's update */
		sec = READ_ONCE(wc->sec);
		sec_hi = READ_ONCE(wc->sec_hi);
		nsec = READ_ONCE(wc->nsec);
		smp_rmb(); /* time before the version re-check */
	} while ((version & 1) || version != READ_ONCE(wc->version));

	ns = (u64)nsec + pvxen_arch_system_time_ns();
	now->tv_sec = (time64_t)(((u64)sec_hi << 32) | sec) + ns / NSEC_PER_SEC;
	now->tv_nsec = ns % NSEC_PER_SEC;
	return 0;
}

static void pvxen_print_summary(const struct pvxen_core *c)
{
	const struct resource *win = &c->plat.grant_window;
	u64 size = resource_size(win);
	unsigned int n = c->plat.nr_ext_regions;

	pr_info("Xen %u.%u%s detected, features 0x%08x, grant window 0x%llx+%llu%s, %u extended region%s, event PPI %u\n",
		c->major, c->minor, c->extra, c->features, (u64)win->start,
		size % SZ_1M ? size / SZ_1K : size / SZ_1M,
		size % SZ_1M ? "K" : "M", n, n == 1 ? "" : "s",
		c->plat.event_intid);
}

static int __init pvxen_core_init(void)
{
	struct pvxen_core *c = &pvxen_core;
	int ret;

	if (IS_ENABLED(CONFIG_XEN)) {
		pr_err("this kernel has built-in Xen support (CONFIG_XEN=y); use its drivers instead\n");
		return -EBUSY;
	}

	ret = pvxen_arch_probe(&c->plat);
	if (ret == -ENODEV) {
		pr_err("no Xen hypervisor found (no /hypervisor node compatible with \"xen,xen\")\n");
		return ret;
	}
	if (ret)
		return -ENODEV;

	ret = pvxen_check_window(&c->plat.grant_window);
	if (ret)
		return ret;

	ret = pvxen_read_version(c);
	if (ret)
		return ret;

	ret = pvxen_map_shared_info(c);
	if (ret)
		return ret;

	c->debugfs = debugfs_create_dir("pvxen", NULL);
	ret = pvxen_events_init();
	if (ret)
		goto err_debugfs;

	ret = pvxen_gnttab_init();
	if (ret)
		goto err_events;

	ret = pvxen_sysfs_init();
	if (ret)
		goto err_gnttab;

	ret = pvxen_xs_init();
	if (ret)
		goto err_sysfs;

	ret = pvxen_xenbus_init();
	if (ret)
		goto err_xs;

	pvxen_print_summary(c);
	return 0;

err_xs:
	pvxen_xs_exit();
err_sysfs:
	pvxen_sysfs_exit();
err_gnttab:
	pvxen_gnttab_exit();
	pvxen_p2m_exit();
err_events:
	pvxen_events_exit();
err_debugfs:
	debugfs_remove(c->debugfs);
	pvxen_unmap_shared_info(c);
	return ret;
}

static void __exit pvxen_core_exit(void)
{
	pvxen_xenbus_exit();
	pvxen_xs_exit();
	pvxen_sysfs_exit();
	pvxen_gnttab_exit();
	pvxen_gnttab_identity_exit();
	pvxen_p2m_exit();
	pvxen_events_exit();
	debugfs_remove(pvxen_core.debugfs);
	pvxen_unmap_shared_info(&pvxen_core);
}

module_init(pvxen_core_init);
module_exit(pvxen_core_exit);

MODULE_DESCRIPTION("pvxen: Xen guest core for kernels without CONFIG_XEN");
MODULE_LICENSE("GPL");
MODULE_VERSION(PVXEN_VERSION);
