/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen: irq_set_affinity() where the kernel does not export it (see
 * compat.h, Documentation/compat.md).  Included by the files that call
 * irq_set_affinity(), after their own includes' pr_fmt.
 *
 * Debian's 5.10.223 has irq_set_affinity() as a static inline over the
 * unexported __irq_set_affinity(), so a module calling it does not link
 * (modpost); an export probe (compat/probes/export-irq-set-affinity.sym)
 * decides.  What 5.10 exports that sets an affinity is
 * irq_set_affinity_hint(): it publishes the mask as the interrupt's
 * affinity hint, then sets the affinity to it.  free_irq() warns about a
 * hint left set, so the shim clears it again at once; the mask is
 * published only for the length of the call, so any mask a caller may pass
 * to irq_set_affinity() is safe.  pvxen's interrupts carry no one else's
 * hint, which this would clear.
 *
 * How the result differs: irq_set_affinity_hint() returns 0 whether or not
 * the affinity could be set (an error only for an IRQ without a
 * descriptor).  The shim reads the affinity back and returns -EINVAL when
 * it is not the mask asked for, whatever the irq_chip answered (pvxen's
 * answers -EINVAL for a per-vCPU port, which cannot move), so callers that
 * look at the result (blkfront logs it, the test and benchmark modules
 * fail on it) still see a refusal.  A mask that already was the affinity
 * reads as success, which it is; a concurrent write to
 * /proc/irq/N/smp_affinity can make the read-back wrong either way.
 */
#ifndef _PVXEN_COMPAT_IRQ_H
#define _PVXEN_COMPAT_IRQ_H

#include <linux/cpumask.h>
#include <linux/interrupt.h>
#include <linux/irq.h>

#ifndef PVXEN_HAVE_EXPORT_IRQ_SET_AFFINITY
static inline int pvxen_irq_set_affinity(unsigned int irq,
					 const struct cpumask *m)
{
	const struct cpumask *now;
	int ret;

	ret = irq_set_affinity_hint(irq, m);
	irq_set_affinity_hint(irq, NULL);
	if (ret)
		return ret;
	now = irq_get_affinity_mask(irq);
	return now && cpumask_equal(now, m) ? 0 : -EINVAL;
}

/*
 * After <linux/interrupt.h>, whose own irq_set_affinity() keeps its name;
 * a function-like macro, so the irq_chip member of that name is left alone.
 */
#define irq_set_affinity(irq, m)	pvxen_irq_set_affinity(irq, m)
#endif

#endif /* _PVXEN_COMPAT_IRQ_H */
