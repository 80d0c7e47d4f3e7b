// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen-core: the pfn -> bfn override (see include/pvxen/p2m.h).
 *
 * An xarray indexed by guest frame number holds the machine frame as an
 * xarray value entry.  Writers (grant map and unmap) take the xarray's own
 * lock (IRQ-safe); readers use xa_load(), which is RCU-safe and takes no lock.  An
 * override is registered only after Xen has mapped the foreign frame and
 * removed before Xen unmaps it, so a reader racing with unmap sees either
 * the foreign frame (still mapped) or identity (its caller is using a page
 * it is giving back, a caller bug the layer cannot fix).
 */
#define pr_fmt(fmt) "pvxen: " fmt

#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/xarray.h>

#include <pvxen/p2m.h>

#include "core.h"
#include "grant.h"

/* IRQ-safe lock: overrides may be dropped from any context. */
static DEFINE_XARRAY_FLAGS(pvxen_p2m, XA_FLAGS_LOCK_IRQ);
static atomic_long_t pvxen_p2m_count = ATOMIC_LONG_INIT(0);

struct pvxen_bfn pvxen_pfn_to_bfn(struct pvxen_pfn pfn)
{
	void *e;

	if (pvxen_pfn_is_invalid(pfn))
		return pvxen_bfn_invalid();
	/* no grant mapped: every frame is its own (the common case) */
	if (pvxen_pfn_val(pfn) > ULONG_MAX || xa_empty(&pvxen_p2m))
		return pvxen_mk_bfn(pvxen_pfn_val(pfn));
	e = xa_load(&pvxen_p2m, (unsigned long)pvxen_pfn_val(pfn));
	if (xa_is_value(e))
		return pvxen_mk_bfn(xa_to_value(e));
	return pvxen_mk_bfn(pvxen_pfn_val(pfn));
}
EXPORT_SYMBOL_GPL(pvxen_pfn_to_bfn);

struct pvxen_bfn pvxen_p2m_lookup(void *ctx, struct pvxen_pfn pfn)
{
	return pvxen_pfn_to_bfn(pfn);
}
EXPORT_SYMBOL_GPL(pvxen_p2m_lookup);

unsigned long pvxen_p2m_nr_overrides(void)
{
	return atomic_long_read(&pvxen_p2m_count);
}
EXPORT_SYMBOL_GPL(pvxen_p2m_nr_overrides);

/*
 * Record that guest frame @pfn is backed by machine frame @bfn.  Fails with
 * -EEXIST if @pfn already has an override (a frame holds one mapping),
 * -EINVAL for frames the xarray cannot hold, -ENOMEM.  May sleep.
 */
int pvxen_p2m_set(struct pvxen_pfn pfn, struct pvxen_bfn bfn)
{
	u64 p = pvxen_pfn_val(pfn), b = pvxen_bfn_val(bfn);
	int ret;

	if (pvxen_pfn_is_invalid(pfn) || pvxen_bfn_is_invalid(bfn) ||
	    p > ULONG_MAX || b > LONG_MAX)
		return -EINVAL;
	ret = xa_insert_irq(&pvxen_p2m, (unsigned long)p,
			    xa_mk_value((unsigned long)b), GFP_KERNEL);
	if (ret == -EBUSY)
		return -EEXIST;
	if (!ret)
		atomic_long_inc(&pvxen_p2m_count);
	return ret;
}

/* Drop the override of @pfn; returns false if there was none.  Any context. */
bool pvxen_p2m_clear(struct pvxen_pfn pfn)
{
	u64 p = pvxen_pfn_val(pfn);
	unsigned long flags;
	void *old;

	if (pvxen_pfn_is_invalid(pfn) || p > ULONG_MAX)
		return false;
	xa_lock_irqsave(&pvxen_p2m, flags);
	old = __xa_erase(&pvxen_p2m, (unsigned long)p);
	xa_unlock_irqrestore(&pvxen_p2m, flags);
	if (!old)
		return false;
	atomic_long_dec(&pvxen_p2m_count);
	return true;
}

/* Module exit: by now every mapping is gone; anything left is a leak. */
void pvxen_p2m_exit(void)
{
	unsigned long n = atomic_long_read(&pvxen_p2m_count);

	if (n)
		pr_warn("%lu p2m override%s still registered at unload; dropping them\n",
			n, n == 1 ? "" : "s");
	xa_destroy(&pvxen_p2m);
	atomic_long_set(&pvxen_p2m_count, 0);
}
