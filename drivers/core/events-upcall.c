// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen: event channels, 2-level ABI: the upcall.
 *
 * Xen signals an event by setting the port's bit in shared_info's
 * evtchn_pending[], and, unless the port is masked in evtchn_mask[], the
 * bit of that word in the notified vCPU's vcpu_info evtchn_pending_sel and
 * its evtchn_upcall_pending flag; the 0 -> 1 transition of the flag raises
 * the upcall PPI on that vCPU.  Ports are 64 words of 64 bits: 4096.
 * Each CPU only handles the ports bound to it (pending bits are global,
 * the selector is per vCPU).
 *
 * Storms: one upcall handles at most PVXEN_UPCALL_BUDGET events, leaving
 * the rest to an irq_work on the same CPU, so other interrupts get in
 * between.
 */
#define pr_fmt(fmt) "pvxen: " fmt

#include <linux/bitops.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irq_work.h>
#include <linux/irqdomain.h>
#include <linux/percpu.h>
#include <linux/printk.h>

#include <xen/interface/xen.h>
#include <xen/interface/event_channel.h>

#include <pvxen/arch.h>

#include "core.h"
#include "events-internal.h"

/* Events handled by one upcall before the rest is left to an irq_work. */
#define PVXEN_UPCALL_BUDGET	256

static int pvxen_upcall_irq;
static int pvxen_evtchn_hp_state;

static void pvxen_evtchn_defer(struct pvxen_evtchn_cpu *pc, unsigned long sel)
{
	unsigned long *vsel = (unsigned long *)&pc->vi->evtchn_pending_sel;
	unsigned int w;

	for_each_set_bit(w, &sel, PVXEN_NR_WORDS)
		set_bit(w, vsel);
	/* Xen does not raise the PPI while the flag is set; the irq_work runs. */
	WRITE_ONCE(pc->vi->evtchn_upcall_pending, 1);
	pc->deferred++;
	irq_work_queue(&pc->rescan);
}

static void pvxen_evtchn_scan(struct pvxen_evtchn_cpu *pc)
{
	unsigned long *pending = pvxen_pending_bits();
	unsigned long *mask = pvxen_mask_bits();
	struct vcpu_info *vi = pc->vi;
	unsigned int budget = PVXEN_UPCALL_BUDGET;
	unsigned int handled = 0;

	pc->upcalls++;
	while (READ_ONCE(vi->evtchn_upcall_pending)) {
		unsigned long sel;

		/* Flag first, then selector: Xen sets them the other way round. */
		WRITE_ONCE(vi->evtchn_upcall_pending, 0);
		sel = xchg((unsigned long *)&vi->evtchn_pending_sel, 0);

		while (sel) {
			unsigned int w = __ffs(sel);
			unsigned long bits;

			bits = READ_ONCE(pending[w]) & ~READ_ONCE(mask[w]) &
			       pc->bound[w];
			while (bits) {
				evtchn_port_t port = w * PVXEN_WORD_BITS + __ffs(bits);
				unsigned int irq;

				if (!budget) {
					pvxen_evtchn_defer(pc, sel);
					return;
				}
				budget--;
				bits &= bits - 1;
				/* Not generic_handle_domain_irq(): 5.10 lacks it. */
				irq = irq_find_mapping(pvxen_evtchn_domain, port);
				if (!irq || generic_handle_irq(irq))
					pc->unhandled++;
				handled++;
			}
			sel &= sel - 1;
		}
	}
	if (!handled)
		pc->spurious++;
}

static irqreturn_t pvxen_upcall(int irq, void *dev_id)
{
	struct pvxen_evtchn_cpu *pc = dev_id;

	if (!pc->vi)
		return IRQ_NONE;
	pvxen_evtchn_scan(pc);
	return IRQ_HANDLED;
}

void pvxen_evtchn_rescan(struct irq_work *work)
{
	struct pvxen_evtchn_cpu *pc =
		container_of(work, struct pvxen_evtchn_cpu, rescan);

	if (pc->vi)
		pvxen_evtchn_scan(pc);
}

/* CPU hotplug: runs on the CPU coming up or going down. */

static int pvxen_evtchn_cpu_online(unsigned int cpu)
{
	struct pvxen_evtchn_cpu *pc = per_cpu_ptr(pvxen_evtchn_pcpu, cpu);
	int ret;

	if (!pc->vi) {
		struct vcpu_info *vi;

		ret = pvxen_vcpu_info_setup(cpu, &vi);
		if (ret)
			return ret;
		pc->vi = vi;
	}
	enable_percpu_irq(pvxen_upcall_irq, IRQ_TYPE_NONE);
	/*
	 * The upcall flag may have been set while nobody listened (before
	 * this load, or while the CPU was down); Xen raises the PPI only
	 * when it sets the flag, so look once now.
	 */
	irq_work_queue(&pc->rescan);
	return 0;
}

static int pvxen_evtchn_cpu_offline(unsigned int cpu)
{
	struct pvxen_evtchn_cpu *pc = per_cpu_ptr(pvxen_evtchn_pcpu, cpu);

	disable_percpu_irq(pvxen_upcall_irq);
	irq_work_sync(&pc->rescan);
	return 0;
}

int pvxen_evtchn_upcall_start(void)
{
	int ret;

	ret = pvxen_arch_upcall_irq_map();
	if (ret < 0)
		return ret;
	pvxen_upcall_irq = ret;

	ret = request_percpu_irq(pvxen_upcall_irq, pvxen_upcall, "pvxen-upcall",
				 pvxen_evtchn_pcpu);
	if (ret) {
		pr_err("could not request the upcall interrupt (%d)\n", ret);
		return ret;
	}

	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "pvxen/events:online",
				pvxen_evtchn_cpu_online,
				pvxen_evtchn_cpu_offline);
	if (ret < 0) {
		pr_err("could not set up event channels on every CPU (%d)\n",
		       ret);
		free_percpu_irq(pvxen_upcall_irq, pvxen_evtchn_pcpu);
		return ret;
	}
	pvxen_evtchn_hp_state = ret;
	return 0;
}

void pvxen_evtchn_upcall_stop(void)
{
	cpuhp_remove_state(pvxen_evtchn_hp_state);
	/* The PPI's mapping stays for the next load (arch/arm64/upcall.c). */
	free_percpu_irq(pvxen_upcall_irq, pvxen_evtchn_pcpu);
}
