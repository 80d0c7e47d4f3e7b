/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen: the pfn -> bfn override ("p2m override").
 *
 * A guest frame normally is backed by the machine frame of the same number
 * as far as pvxen is concerned (arm64 domains are 1:1 for their own RAM in
 * the view the translation core takes).  A foreign page mapped with a grant
 * is the exception: the guest frame the grant was mapped at is backed by
 * the granting domain's machine frame, which Xen reports as the map's
 * dev_bus_addr.  pvxen-core records that override when it maps a grant and
 * drops it when it unmaps one; everything that turns a guest address into
 * a machine address (the translation core's pvxen_bfn_lookup_fn) asks
 * pvxen_pfn_to_bfn().
 *
 * Lookups take no lock (an xarray read under RCU) and may be called from
 * any context, including hard interrupts.
 */
#ifndef _PVXEN_P2M_H
#define _PVXEN_P2M_H

#include <pvxen/xlate.h>

/**
 * pvxen_pfn_to_bfn() - Machine frame backing a guest frame.
 * @pfn: guest frame (4 KiB Xen frame)
 *
 * Context: any, lockless.
 * Return: the override registered for @pfn by a grant mapping, otherwise
 * @pfn itself (identity); an invalid bfn if @pfn is invalid.
 */
struct pvxen_bfn pvxen_pfn_to_bfn(struct pvxen_pfn pfn);

/**
 * pvxen_p2m_lookup() - pvxen_pfn_to_bfn() as a translation-core callback.
 * @ctx: unused, pass NULL
 * @pfn: guest frame
 *
 * Has the type pvxen_bfn_lookup_fn, for pvxen_paddr_to_baddr() and the
 * buffer conversions of include/pvxen/xlate.h.
 *
 * Return: as pvxen_pfn_to_bfn().
 */
struct pvxen_bfn pvxen_p2m_lookup(void *ctx, struct pvxen_pfn pfn);

/**
 * pvxen_p2m_nr_overrides() - Number of overrides registered now.
 *
 * For leak accounting (debugfs, tests).
 *
 * Return: the number of guest frames with an override.
 */
unsigned long pvxen_p2m_nr_overrides(void);

#endif /* _PVXEN_P2M_H */
