/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen benchmarks: one measuring loop, two back ends.
 *
 * pvxen-bench.ko (kernels without CONFIG_XEN, pvxen-core's services) and
 * pvxen-bench-upstream.ko (CONFIG_XEN kernels, Linux's own Xen code) fill
 * in struct bench_ops and include this file, so both sides are measured
 * by exactly the same code.  Every row is measured @reps times in turn
 * (all rows once, then all rows again, ...), and each repetition prints
 *   "pvxen-bench: <side> <metric> <value> <unit>"
 * which tests/bench/run collects from both domUs and reduces to
 * min/median/max per side and a ratio of medians.  Lines starting with
 * "pvxen-bench-info:" say where things ran; they are not results.
 *
 * The rows:
 *   evtchn_same_cpu   send on a loopback channel whose receiving port
 *                     notifies the sending CPU: one EVTCHNOP_send, and the
 *                     upcall arrives on the hypercall's return
 *   evtchn_cross_cpu  the same with the receiving port moved to CPU 1: the
 *                     handler runs on the other vCPU, which Xen must wake
 *   grant_alloc_free  take a free ref, fill in the entry, try-revoke it
 *                     (cmpxchg of the flags) and free the ref; no hypercall
 *   grant_refs_only   its first half: take a free ref and free it
 *   grant_entry_only  its second half, on one ref: fill in the entry and
 *                     try-revoke it
 *   xenstore_read_rtt one XS_READ round trip through xenstored in dom0
 *   cpu_control       the same lock/bitmap/cmpxchg work as a grant
 *                     alloc+free on ordinary memory, no Xen code at all:
 *                     its ratio should be 1.0, and its spread is the noise
 *                     of the machine under both sides
 * Latency rows report, per repetition, the median over its iterations;
 * rate rows the iterations of the repetition over its duration.  The
 * module parameter rows="a,b" runs only the rows named ("none": none), and
 * the last line says how many operations each event and xenstore row ran:
 * tests/guest/bench-lib.sh loads the module once per row with counters
 * read around it (bench_row_costs).
 */
#ifndef _PVXEN_BENCH_H
#define _PVXEN_BENCH_H

#include <linux/bitmap.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include <xen/interface/event_channel.h>
#include <xen/interface/grant_table.h>

#include <pvxen/compat-irq.h>

struct bench_ops {
	const char *side;
	/*
	 * Event loopback: open a channel to ourselves and bind the
	 * receiving port to bench_evt_handler; the IRQ number, or an errno.
	 */
	int (*evt_open)(void);
	int (*evt_send)(void);
	void (*evt_close)(void);
	/* Grant @gfn read-only to @domid, and take it back and free the ref. */
	int (*grant)(domid_t domid, unsigned long gfn, grant_ref_t *ref);
	int (*ungrant)(grant_ref_t ref);
	/* The two halves of the above, for the decomposition rows. */
	int (*alloc_ref)(grant_ref_t *ref);
	void (*free_ref)(grant_ref_t ref);
	void (*fill)(grant_ref_t ref, domid_t domid, unsigned long gfn);
	int (*revoke)(grant_ref_t ref);
	/* Read a key relative to this domain's xenstore home. */
	int (*xs_read)(const char *node);
};

static unsigned int reps = 9;
module_param(reps, uint, 0444);
MODULE_PARM_DESC(reps, "repetitions of every row (default 9)");
static unsigned int evt_iters = 200;
module_param(evt_iters, uint, 0444);
MODULE_PARM_DESC(evt_iters, "event round trips per repetition (default 200)");
static unsigned int grant_iters = 2000;
module_param(grant_iters, uint, 0444);
MODULE_PARM_DESC(grant_iters,
		 "grant alloc+free (and control) operations per repetition (default 2000)");
static unsigned int xs_iters = 40;
module_param(xs_iters, uint, 0444);
MODULE_PARM_DESC(xs_iters, "xenstore reads per repetition (default 40)");
static char *rows = "";
module_param(rows, charp, 0444);
MODULE_PARM_DESC(rows,
		 "comma-separated rows to run (default: all; \"none\": only open and close the event channel)");

#define BENCH_MAX_ITERS	100000

/* Is row @name selected by the rows parameter? */
static bool __init bench_row_on(const char *name)
{
	size_t n = strlen(name);
	const char *p = rows;

	if (!*rows)
		return true;
	while ((p = strstr(p, name))) {
		if ((p == rows || p[-1] == ',') && (!p[n] || p[n] == ','))
			return true;
		p += n;
	}
	return false;
}

static DECLARE_COMPLETION(bench_evt_done);
static u64 bench_evt_seen_ns;
static int bench_evt_seen_cpu;

/* Called by a back end's event handler. */
static irqreturn_t bench_evt_handler(int irq, void *dev_id)
{
	bench_evt_seen_ns = ktime_get_ns();
	bench_evt_seen_cpu = raw_smp_processor_id();
	complete(&bench_evt_done);
	return IRQ_HANDLED;
}

static int bench_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

struct bench_ctx {
	const struct bench_ops *ops;
	int irq;
	u64 *lat;		/* evt_iters samples */
	struct page *page;	/* the page granted */
	/* cpu_control's stand-ins for the grant table and its free map */
	spinlock_t ctl_lock;
	unsigned long *ctl_map;
	u16 *ctl_flags;
	unsigned int ctl_hint;
	/* operations run per row, for the cost lines (bench-lib.sh) */
	unsigned int ops_same, ops_cross, ops_xs;
};

#define BENCH_CTL_REFS	2048

/*
 * One repetition of an event row: @evt_iters sends from this CPU (0) to
 * a port notifying @cpu; prints the median send -> handler latency.
 */
static int __init bench_evt_rep(struct bench_ctx *c, unsigned int cpu,
				const char *metric)
{
	unsigned int i, wrong = 0;
	u64 t0;
	int ret;

	for (i = 0; i < evt_iters; i++) {
		reinit_completion(&bench_evt_done);
		bench_evt_seen_cpu = -1;
		t0 = ktime_get_ns();
		ret = c->ops->evt_send();
		if (ret)
			return ret;
		if (!wait_for_completion_timeout(&bench_evt_done, HZ))
			return -ETIMEDOUT;
		c->lat[i] = bench_evt_seen_ns - t0;
		if (bench_evt_seen_cpu != cpu)
			wrong++;
	}
	if (wrong) {
		/* Then the row would measure another path: no number. */
		pr_err("pvxen-bench: %s %s: %u of %u events handled on another CPU than %u\n",
		       c->ops->side, metric, wrong, evt_iters, cpu);
		return -EXDEV;
	}
	if (cpu)
		c->ops_cross += evt_iters;
	else
		c->ops_same += evt_iters;
	sort(c->lat, evt_iters, sizeof(*c->lat), bench_cmp_u64, NULL);
	pr_info("pvxen-bench: %s %s %llu ns\n", c->ops->side, metric,
		c->lat[evt_iters / 2]);
	return 0;
}

static int __init bench_evt_row(struct bench_ctx *c, unsigned int cpu,
				const char *metric)
{
	int ret;

	if (cpu >= nr_cpu_ids || !cpu_online(cpu)) {
		pr_info("pvxen-bench-info: %s %s skipped: CPU %u is not online\n",
			c->ops->side, metric, cpu);
		return 0;
	}
	/* Both sides bind with EVTCHNOP_bind_vcpu from their irq_chip. */
	ret = irq_set_affinity(c->irq, cpumask_of(cpu));
	if (ret) {
		pr_err("pvxen-bench: %s %s: cannot move IRQ %d to CPU %u (%d)\n",
		       c->ops->side, metric, c->irq, cpu, ret);
		return ret;
	}
	return bench_evt_rep(c, cpu, metric);
}

static int __init bench_grant_rep(struct bench_ctx *c)
{
	unsigned long gfn = page_to_pfn(c->page) << (PAGE_SHIFT - 12);
	grant_ref_t ref;
	unsigned int i;
	u64 t0, ns;
	int ret;

	t0 = ktime_get_ns();
	for (i = 0; i < grant_iters; i++) {
		ret = c->ops->grant(0, gfn, &ref);
		if (ret)
			return ret;
		ret = c->ops->ungrant(ref);
		if (ret)
			return ret;
	}
	ns = ktime_get_ns() - t0;
	pr_info("pvxen-bench: %s grant_alloc_free %llu per_s\n", c->ops->side,
		div64_u64((u64)grant_iters * NSEC_PER_SEC, ns ?: 1));
	return 0;
}

/* grant_refs_only and grant_entry_only: the halves of grant_alloc_free. */
static int __init bench_grant_halves_rep(struct bench_ctx *c)
{
	unsigned long gfn = page_to_pfn(c->page) << (PAGE_SHIFT - 12);
	grant_ref_t ref;
	unsigned int i;
	u64 t0, ns;
	int ret;

	t0 = ktime_get_ns();
	for (i = 0; i < grant_iters; i++) {
		ret = c->ops->alloc_ref(&ref);
		if (ret)
			return ret;
		c->ops->free_ref(ref);
	}
	ns = ktime_get_ns() - t0;
	pr_info("pvxen-bench: %s grant_refs_only %llu per_s\n", c->ops->side,
		div64_u64((u64)grant_iters * NSEC_PER_SEC, ns ?: 1));

	ret = c->ops->alloc_ref(&ref);
	if (ret)
		return ret;
	t0 = ktime_get_ns();
	for (i = 0; i < grant_iters && !ret; i++) {
		c->ops->fill(ref, 0, gfn);
		ret = c->ops->revoke(ref);
	}
	ns = ktime_get_ns() - t0;
	c->ops->free_ref(ref);
	if (ret)
		return ret;
	pr_info("pvxen-bench: %s grant_entry_only %llu per_s\n", c->ops->side,
		div64_u64((u64)grant_iters * NSEC_PER_SEC, ns ?: 1));
	return 0;
}

/*
 * cpu_control: what a grant alloc+free does to memory, without Xen: take
 * a zero bit under an IRQ-safe lock, write a 16-bit flag, cmpxchg it back
 * to 0, clear the bit under the lock.
 */
static int __init bench_ctl_rep(struct bench_ctx *c)
{
	unsigned long flags, bit;
	unsigned int i;
	u64 t0, ns;
	u16 f;

	t0 = ktime_get_ns();
	for (i = 0; i < grant_iters; i++) {
		spin_lock_irqsave(&c->ctl_lock, flags);
		bit = find_next_zero_bit(c->ctl_map, BENCH_CTL_REFS,
					 c->ctl_hint);
		if (bit >= BENCH_CTL_REFS)
			bit = find_first_zero_bit(c->ctl_map, BENCH_CTL_REFS);
		__set_bit(bit, c->ctl_map);
		c->ctl_hint = bit + 1;
		spin_unlock_irqrestore(&c->ctl_lock, flags);

		WRITE_ONCE(c->ctl_flags[bit], GTF_permit_access);
		f = READ_ONCE(c->ctl_flags[bit]);
		if (cmpxchg(&c->ctl_flags[bit], f, 0) != f)
			return -EIO;

		spin_lock_irqsave(&c->ctl_lock, flags);
		__clear_bit(bit, c->ctl_map);
		spin_unlock_irqrestore(&c->ctl_lock, flags);
	}
	ns = ktime_get_ns() - t0;
	pr_info("pvxen-bench: %s cpu_control %llu per_s\n", c->ops->side,
		div64_u64((u64)grant_iters * NSEC_PER_SEC, ns ?: 1));
	return 0;
}

static int __init bench_xs_rep(struct bench_ctx *c)
{
	unsigned int i;
	u64 t0, ns;
	int ret;

	t0 = ktime_get_ns();
	for (i = 0; i < xs_iters; i++) {
		ret = c->ops->xs_read("name");
		if (ret)
			return ret;
	}
	ns = ktime_get_ns() - t0;
	c->ops_xs += xs_iters;
	pr_info("pvxen-bench: %s xenstore_read_rtt %llu ns\n", c->ops->side,
		div_u64(ns, xs_iters));
	return 0;
}

static int __init bench_one_rep(struct bench_ctx *c)
{
	int ret = 0;

	if (bench_row_on("cpu_control"))
		ret = bench_ctl_rep(c);
	if (!ret && bench_row_on("evtchn_same_cpu"))
		ret = bench_evt_row(c, 0, "evtchn_same_cpu");
	if (!ret && bench_row_on("evtchn_cross_cpu"))
		ret = bench_evt_row(c, 1, "evtchn_cross_cpu");
	if (!ret && bench_row_on("grant_alloc_free"))
		ret = bench_grant_rep(c);
	if (!ret && (bench_row_on("grant_refs_only") ||
		     bench_row_on("grant_entry_only")))
		ret = bench_grant_halves_rep(c);
	if (!ret && bench_row_on("xenstore_read_rtt"))
		ret = bench_xs_rep(c);
	return ret;
}

/* The CPU an IRQ is delivered to now (the first of its effective mask). */
static unsigned int __init bench_irq_cpu(int irq)
{
	struct irq_data *d = irq_get_irq_data(irq);

	return d ? cpumask_first(irq_data_get_effective_affinity_mask(d)) :
		   nr_cpu_ids;
}

static long __init bench_all(void *arg)
{
	struct bench_ctx *c = arg;
	unsigned int r;
	int ret;

	ret = c->ops->evt_open();
	if (ret < 0) {
		pr_err("pvxen-bench: %s cannot open the event loopback (%d)\n",
		       c->ops->side, ret);
		return ret;
	}
	c->irq = ret;
	/*
	 * Where the back end put the new port by itself: the old single
	 * event row measured whatever this was, which differs by side.
	 */
	pr_info("pvxen-bench-info: %s loops on CPU %d, %u CPUs online; event IRQ %d bound by default to CPU %u\n",
		c->ops->side, raw_smp_processor_id(), num_online_cpus(),
		c->irq, bench_irq_cpu(c->irq));
	for (r = 0; r < reps; r++) {
		ret = bench_one_rep(c);
		if (ret) {
			pr_err("pvxen-bench: %s repetition %u failed (%d)\n",
			       c->ops->side, r, ret);
			break;
		}
	}
	c->ops->evt_close();
	/* How many operations the counters around this load cover. */
	pr_info("pvxen-bench-info: %s ops evtchn_same_cpu=%u evtchn_cross_cpu=%u xenstore_read_rtt=%u\n",
		c->ops->side, c->ops_same, c->ops_cross, c->ops_xs);
	return ret;
}

/*
 * The loops run on CPU 0, from a kworker bound to it: the same-CPU event
 * row then really is the same CPU on both sides, and the cross-CPU row
 * has its handler on CPU 1 (checked per event).
 */
static int __init bench_run(const struct bench_ops *ops)
{
	struct bench_ctx *c;
	int ret = -ENOMEM;

	if (!reps || !evt_iters || !grant_iters || !xs_iters ||
	    evt_iters > BENCH_MAX_ITERS || grant_iters > BENCH_MAX_ITERS ||
	    xs_iters > BENCH_MAX_ITERS) {
		pr_err("pvxen-bench: iteration counts must be 1..%u\n",
		       BENCH_MAX_ITERS);
		return -EINVAL;
	}
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->ops = ops;
	spin_lock_init(&c->ctl_lock);
	c->lat = kcalloc(evt_iters, sizeof(*c->lat), GFP_KERNEL);
	c->ctl_map = bitmap_zalloc(BENCH_CTL_REFS, GFP_KERNEL);
	c->ctl_flags = kcalloc(BENCH_CTL_REFS, sizeof(*c->ctl_flags),
			       GFP_KERNEL);
	c->page = alloc_page(GFP_KERNEL);
	if (c->lat && c->ctl_map && c->ctl_flags && c->page)
		ret = work_on_cpu(0, bench_all, c);
	if (c->page)
		__free_page(c->page);
	kfree(c->ctl_flags);
	bitmap_free(c->ctl_map);
	kfree(c->lat);
	kfree(c);
	return ret;
}

#endif /* _PVXEN_BENCH_H */
