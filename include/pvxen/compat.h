/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen: kernel-version compatibility, force-included into every C file of
 * the modules (see the top-level Kbuild).
 *
 * This is the only place (with compat-*.h beside it) that may look at
 * what the kernel offers; drivers use the interfaces as the newest
 * supported kernel (6.12) spells them and this layer fills them in for
 * older ones (Debian's 6.1 and 5.10).  What the kernel offers is decided
 * by build-time feature probes, never by its version number (distributions
 * backport interfaces, so versions lie): compat/probe compiles each
 * compat/probes/NAME.c against the target tree and writes
 * compat/generated/pvxen-probes.h into the build directory, with
 * PVXEN_HAVE_NAME defined for each that compiled.  A macro the kernel
 * defines is tested with #ifdef instead.  The probes and their results
 * on Debian's stock 5.10, 6.1 and 6.12 arm64 headers: Documentation/compat.md.
 *
 * Differences that need a heavy header live beside this one, included
 * where they are used: compat-blk.h (disks, queue limits), compat-net.h
 * (page_pool, NAPI, ethtool), compat-dma.h (the dma_ops slot, swiotlb),
 * compat-zonedev.h (device memory pages), compat-irq.h (irq_set_affinity()
 * where it is not exported: see there for how its result differs).
 *
 * This file includes no kernel header: it comes before each file's own
 * pr_fmt definition, which <linux/printk.h> would then redefine.
 */
#ifndef _PVXEN_COMPAT_H
#define _PVXEN_COMPAT_H

#if !__has_include("pvxen-probes.h")
#error "pvxen: no pvxen-probes.h: build with the top-level make (compat/probe)"
#endif
#include "pvxen-probes.h"

/* ---- driver core ----------------------------------------------------- */

struct device;
struct device_driver;

/*
 * bus_type.remove returns void from 5.15 on, int before;
 * bus_type.match takes a const driver from 6.11 on.  A bus writes its
 * callbacks in the newest form and puts the wrappers these define into
 * its struct bus_type: .remove = FN_bus, .match = FN_bus.
 */
#ifdef PVXEN_HAVE_BUS_REMOVE_VOID
#define PVXEN_DEFINE_BUS_REMOVE(fn)				\
	static void fn##_bus(struct device *dev)		\
	{							\
		fn(dev);					\
	}
#else
#define PVXEN_DEFINE_BUS_REMOVE(fn)				\
	static int fn##_bus(struct device *dev)			\
	{							\
		fn(dev);					\
		return 0;					\
	}
#endif

#ifdef PVXEN_HAVE_BUS_MATCH_CONST_DRV
#define PVXEN_DEFINE_BUS_MATCH(fn)					\
	static int fn##_bus(struct device *dev,				\
			    const struct device_driver *drv)		\
	{								\
		return fn(dev, drv);					\
	}
#else
#define PVXEN_DEFINE_BUS_MATCH(fn)					\
	static int fn##_bus(struct device *dev, struct device_driver *drv) \
	{								\
		return fn(dev, drv);					\
	}
#endif

/* ---- timers ---------------------------------------------------------- */

#ifndef PVXEN_HAVE_TIMER_DELETE_SYNC
#define timer_delete_sync(t)	del_timer_sync(t)
#endif

/* ---- Xen interface headers ------------------------------------------- */

/*
 * Constants older kernels' copies of Xen's public headers lack (5.10);
 * the values are Xen's ABI.  Same tokens as the newer headers', so the
 * definitions may meet.
 */
#ifndef GNTTAB_NR_RESERVED_ENTRIES
#define GNTTAB_NR_RESERVED_ENTRIES     8
#endif
#ifndef XENFEAT_direct_mapped
#define XENFEAT_direct_mapped             17
#endif
#ifndef XENSTORE_ABS_PATH_MAX
#define XENSTORE_ABS_PATH_MAX 3072
#endif
/*
 * 5.10's xs_wire.h stops at XS_RESET_WATCHES: our own
 * include/pvxen/xs_wire.h is then the only list of message types.
 */
#ifndef PVXEN_HAVE_XS_TYPE_COUNT
#define XS_TYPE_COUNT		PVXEN_XS_TYPE_COUNT
#endif

/*
 * The kernel's struct xenstore_domain_interface, as far as it goes: 5.10's
 * copy ends at the ring indexes, before server_features.  For checking
 * our struct pvxen_xs_ring_page (include/pvxen/xs_wire.h) against it.
 */
#ifdef PVXEN_HAVE_XS_SERVER_FEATURES
#define PVXEN_XS_RING_PAGE_SIZE	sizeof(struct pvxen_xs_ring_page)
#else
#define PVXEN_XS_RING_PAGE_SIZE	\
	offsetof(struct pvxen_xs_ring_page, server_features)
#endif

/*
 * gnttab_end_foreign_access_ref(ref) (5.18 on) took a readonly flag it
 * ignored before (CONFIG_XEN kernels; the upstream benchmark module).
 * Not the kernel's name: its own header calls the old form.
 */
#ifdef PVXEN_HAVE_GNTTAB_END_FOREIGN_ACCESS_REF_1ARG
#define pvxen_gnttab_end_foreign_access_ref(ref) \
	gnttab_end_foreign_access_ref(ref)
#else
#define pvxen_gnttab_end_foreign_access_ref(ref) \
	gnttab_end_foreign_access_ref(ref, 0)
#endif

#endif /* _PVXEN_COMPAT_H */
