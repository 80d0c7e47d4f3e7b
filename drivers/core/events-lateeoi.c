// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen: event channels, 2-level ABI: late EOI.
 *
 * A late-EOI port is masked by the ack (events-chip.c) and stays masked
 * until its driver calls pvxen_evtchn_irq_lateeoi_flags().
 *
 * Spurious events (the XSA-332/391 class): a peer can send events that
 * carry no work as fast as it likes.  The driver says so in its EOI
 * (PVXEN_EOI_SPURIOUS); from the second spurious EOI in a row on, the
 * port is unmasked only after a back-off, a delayed work that doubles from
 * one jiffy up to PVXEN_EOI_BACKOFF_MAX, and the events sent meanwhile
 * cost one upcall when it runs.  An EOI for real work ends the back-off.
 * /sys/kernel/debug/pvxen/lateeoi lists each late-EOI port's counts.
 */
#include <linux/bitops.h>
#include <linux/debugfs.h>
#include <linux/irq.h>
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include <xen/interface/event_channel.h>

#include <pvxen/events.h>

#include "core.h"
#include "events-internal.h"

/* Longest delay before a port with spurious events is unmasked again. */
#define PVXEN_EOI_BACKOFF_MAX	HZ

/**
 * struct pvxen_eoi - late-EOI state of a bound port
 * @unmask: unmasks the port when a back-off ends
 * @port: the port
 * @irq: its IRQ
 * @streak: spurious EOIs in a row
 * @backoff: the last back-off, in jiffies (0: none since the last real event)
 * @eois: EOIs
 * @spurious: EOIs with PVXEN_EOI_SPURIOUS
 * @delayed: EOIs whose unmask was delayed
 *
 * Allocated when the port is bound with pvxen_evtchn_bind_irq_lateeoi();
 * everything but @unmask, @port and @irq under pvxen_evtchn_mask_lock.
 */
struct pvxen_eoi {
	struct delayed_work unmask;
	evtchn_port_t port;
	unsigned int irq;
	unsigned int streak;
	unsigned long backoff;
	u64 eois;
	u64 spurious;
	u64 delayed;
};

/* Totals over all late-EOI ports, unbound ones too (pvxen_evtchn_mask_lock). */
static u64 pvxen_eoi_spurious;
static u64 pvxen_eoi_delayed;

static struct dentry *pvxen_eoi_debugfs;

/* End the wait for an EOI: unmask unless disabled.  Holds the mask lock. */
static void pvxen_eoi_unmask_locked(struct irq_data *d)
{
	struct pvxen_port *p = pvxen_irqd_port(d);

	if (test_and_clear_bit(PVXEN_PORT_EOI_WAIT, &p->flags) &&
	    !irqd_irq_masked(d))
		pvxen_port_hw_unmask(irqd_to_hwirq(d));
}

/* The back-off of a port with spurious events is over. */
static void pvxen_eoi_unmask_work(struct work_struct *work)
{
	struct pvxen_eoi *e = container_of(to_delayed_work(work),
					   struct pvxen_eoi, unmask);
	struct irq_data *d = irq_get_irq_data(e->irq);
	unsigned long flags;

	raw_spin_lock_irqsave(&pvxen_evtchn_mask_lock, flags);
	/* Unbinding clears PVXEN_PORT_EOI_WAIT before it cancels this. */
	if (d)
		pvxen_eoi_unmask_locked(d);
	raw_spin_unlock_irqrestore(&pvxen_evtchn_mask_lock, flags);
}

/*
 * Free the late-EOI state of @p, whose IRQ is freed or was never
 * requested; after this no back-off unmasks the port.
 */
void pvxen_port_eoi_free(struct pvxen_port *p)
{
	struct pvxen_eoi *e;

	raw_spin_lock_irq(&pvxen_evtchn_mask_lock);
	e = p->eoi;
	p->eoi = NULL;
	clear_bit(PVXEN_PORT_LATEEOI, &p->flags);
	clear_bit(PVXEN_PORT_EOI_WAIT, &p->flags);
	raw_spin_unlock_irq(&pvxen_evtchn_mask_lock);
	if (e)
		cancel_delayed_work_sync(&e->unmask);
	kfree(e);
}

/* Late-EOI state for @port, not yet attached to it. */
struct pvxen_eoi *pvxen_eoi_alloc(evtchn_port_t port)
{
	struct pvxen_eoi *e = kzalloc(sizeof(*e), GFP_KERNEL);

	if (!e)
		return NULL;
	INIT_DELAYED_WORK(&e->unmask, pvxen_eoi_unmask_work);
	e->port = port;
	return e;
}

/* Attach @e to @p, now bound to @irq.  Called with pvxen_evtchn_mutex. */
void pvxen_eoi_attach(struct pvxen_port *p, struct pvxen_eoi *e,
		      unsigned int irq)
{
	e->irq = irq;
	raw_spin_lock_irq(&pvxen_evtchn_mask_lock);
	p->eoi = e;
	raw_spin_unlock_irq(&pvxen_evtchn_mask_lock);
}

/* Back-off after @streak spurious EOIs in a row: 0 (none), then 1, 2, 4... */
static unsigned long pvxen_eoi_backoff(unsigned int streak)
{
	if (streak < 2)
		return 0;
	if (streak - 2 >= ilog2(PVXEN_EOI_BACKOFF_MAX))
		return PVXEN_EOI_BACKOFF_MAX;
	return 1UL << (streak - 2);
}

void pvxen_evtchn_irq_lateeoi_flags(int irq, unsigned int eoi_flags)
{
	struct irq_data *d = pvxen_evtchn_irqd(irq);
	struct pvxen_port *p;
	struct pvxen_eoi *e;
	unsigned long flags;

	if (WARN_ON_ONCE(!d))
		return;
	p = pvxen_irqd_port(d);
	raw_spin_lock_irqsave(&pvxen_evtchn_mask_lock, flags);
	e = p->eoi;
	/* No event waits for its EOI, or its unmask is already scheduled. */
	if (!e || !test_bit(PVXEN_PORT_EOI_WAIT, &p->flags) ||
	    delayed_work_pending(&e->unmask))
		goto unlock;
	e->eois++;
	if (eoi_flags & PVXEN_EOI_SPURIOUS) {
		e->spurious++;
		pvxen_eoi_spurious++;
		if (e->streak < UINT_MAX)
			e->streak++;
		e->backoff = pvxen_eoi_backoff(e->streak);
		if (e->backoff) {
			/* Stays masked (PVXEN_PORT_EOI_WAIT) until the work. */
			e->delayed++;
			pvxen_eoi_delayed++;
			queue_delayed_work(system_wq, &e->unmask, e->backoff);
			goto unlock;
		}
	} else {
		e->streak = 0;
		e->backoff = 0;
	}
	pvxen_eoi_unmask_locked(d);
unlock:
	raw_spin_unlock_irqrestore(&pvxen_evtchn_mask_lock, flags);
}
EXPORT_SYMBOL_GPL(pvxen_evtchn_irq_lateeoi_flags);

/* The totals over all ports for debugfs pvxen/events. */
void pvxen_eoi_totals(u64 *spurious, u64 *delayed)
{
	raw_spin_lock_irq(&pvxen_evtchn_mask_lock);
	*spurious = pvxen_eoi_spurious;
	*delayed = pvxen_eoi_delayed;
	raw_spin_unlock_irq(&pvxen_evtchn_mask_lock);
}

/* debugfs: /sys/kernel/debug/pvxen/lateeoi, one line per late-EOI port */

static int pvxen_eoi_stats_show(struct seq_file *m, void *unused)
{
	evtchn_port_t port;

	seq_puts(m, "port irq eois spurious delayed streak backoff_ms\n");
	mutex_lock(&pvxen_evtchn_mutex);
	for (port = 1; port < PVXEN_NR_PORTS; port++) {
		struct pvxen_eoi *e = pvxen_ports[port].eoi;
		u64 eois, spurious, delayed;
		unsigned int streak, ms;

		/* Freed only under pvxen_evtchn_mutex. */
		if (!e)
			continue;
		raw_spin_lock_irq(&pvxen_evtchn_mask_lock);
		eois = e->eois;
		spurious = e->spurious;
		delayed = e->delayed;
		streak = e->streak;
		ms = jiffies_to_msecs(e->backoff);
		raw_spin_unlock_irq(&pvxen_evtchn_mask_lock);
		seq_printf(m, "%u %u %llu %llu %llu %u %u\n", port, e->irq,
			   eois, spurious, delayed, streak, ms);
	}
	mutex_unlock(&pvxen_evtchn_mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pvxen_eoi_stats);

void pvxen_eoi_debugfs_init(void)
{
	pvxen_eoi_debugfs = debugfs_create_file("lateeoi", 0444,
						pvxen_core.debugfs, NULL,
						&pvxen_eoi_stats_fops);
}

void pvxen_eoi_debugfs_exit(void)
{
	debugfs_remove(pvxen_eoi_debugfs);
}
