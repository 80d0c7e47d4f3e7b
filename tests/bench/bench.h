/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen benchmarks: one measuring loop, two back ends.
 *
 * pvxen-bench.ko (kernels without CONFIG_XEN, pvxen-core's services) and
 * pvxen-bench-upstream.ko (CONFIG_XEN kernels, Linux's own Xen code) fill
 * in struct bench_ops and include this file, so both sides are measured
 * by exactly the same code. Results go to dmesg as
 *   "pvxen-bench: <side> <metric> <value> <unit>"
 * which tests/bench/run collects from both domUs and prints as ratios.
 */
#ifndef _PVXEN_BENCH_H
#define _PVXEN_BENCH_H

#include <linux/completion.h>
#include <linux/gfp.h>
#include <linux/interrupt.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <xen/interface/event_channel.h>
#include <xen/interface/grant_table.h>

struct bench_ops {
	const char *side;
	/* Event loopback: open, send on the sending port, close. */
	int (*evt_open)(void);
	int (*evt_send)(void);
	void (*evt_close)(void);
	/* Grant @gfn read-only to @domid, and take it back and free the ref. */
	int (*grant)(domid_t domid, unsigned long gfn, grant_ref_t *ref);
	int (*ungrant)(grant_ref_t ref);
	/* Read a key relative to this domain's xenstore home. */
	int (*xs_read)(const char *node);
};

static unsigned int evt_iters = 2000;
module_param(evt_iters, uint, 0444);
MODULE_PARM_DESC(evt_iters, "event round trips to time (default 2000)");
static unsigned int grant_iters = 20000;
module_param(grant_iters, uint, 0444);
MODULE_PARM_DESC(grant_iters, "grant+free operations to time (default 20000)");
static unsigned int xs_iters = 200;
module_param(xs_iters, uint, 0444);
MODULE_PARM_DESC(xs_iters, "xenstore reads to time (default 200)");

static DECLARE_COMPLETION(bench_evt_done);
static u64 bench_evt_seen_ns;

/* Called by a back end's event handler. */
static irqreturn_t bench_evt_handler(int irq, void *dev_id)
{
	bench_evt_seen_ns = ktime_get_ns();
	complete(&bench_evt_done);
	return IRQ_HANDLED;
}

static int __init bench_evt(const struct bench_ops *ops)
{
	u64 total = 0, t0;
	unsigned int i;
	int ret;

	ret = ops->evt_open();
	if (ret)
		return ret;
	for (i = 0; i < evt_iters; i++) {
		reinit_completion(&bench_evt_done);
		t0 = ktime_get_ns();
		ret = ops->evt_send();
		if (ret)
			goto out;
		if (!wait_for_completion_timeout(&bench_evt_done, HZ)) {
			ret = -ETIMEDOUT;
			goto out;
		}
		total += bench_evt_seen_ns - t0;
	}
	pr_info("pvxen-bench: %s evtchn_send_to_handler %llu ns\n", ops->side,
		div_u64(total, evt_iters));
out:
	ops->evt_close();
	return ret;
}

static int __init bench_grant(const struct bench_ops *ops)
{
	struct page *page = alloc_page(GFP_KERNEL);
	unsigned long gfn;
	grant_ref_t ref;
	unsigned int i;
	u64 t0, ns;
	int ret = 0;

	if (!page)
		return -ENOMEM;
	gfn = page_to_pfn(page) << (PAGE_SHIFT - 12);
	t0 = ktime_get_ns();
	for (i = 0; i < grant_iters; i++) {
		ret = ops->grant(0, gfn, &ref);
		if (ret)
			break;
		ret = ops->ungrant(ref);
		if (ret)
			break;
	}
	ns = ktime_get_ns() - t0;
	if (!ret)
		pr_info("pvxen-bench: %s grant_alloc_free %llu per_s\n",
			ops->side, div64_u64((u64)grant_iters * NSEC_PER_SEC,
					     ns ?: 1));
	__free_page(page);
	return ret;
}

static int __init bench_xs(const struct bench_ops *ops)
{
	unsigned int i;
	u64 t0, ns;
	int ret;

	t0 = ktime_get_ns();
	for (i = 0; i < xs_iters; i++) {
		ret = ops->xs_read("name");
		if (ret)
			return ret;
	}
	ns = ktime_get_ns() - t0;
	pr_info("pvxen-bench: %s xenstore_read_rtt %llu ns\n", ops->side,
		div_u64(ns, xs_iters));
	return 0;
}

static long __init bench_all(void *arg)
{
	const struct bench_ops *ops = arg;
	int ret;

	ret = bench_evt(ops);
	if (ret) {
		pr_err("pvxen-bench: %s event benchmark failed (%d)\n",
		       ops->side, ret);
		return ret;
	}
	ret = bench_grant(ops);
	if (ret) {
		pr_err("pvxen-bench: %s grant benchmark failed (%d)\n",
		       ops->side, ret);
		return ret;
	}
	ret = bench_xs(ops);
	if (ret)
		pr_err("pvxen-bench: %s xenstore benchmark failed (%d)\n",
		       ops->side, ret);
	return ret;
}

/*
 * Both implementations deliver a newly bound port's events to vCPU0, so
 * the loops run there: the event latency is then the same-CPU path on
 * both sides, not a cross-CPU wake-up that depends on where insmod ran.
 */
static int __init bench_run(const struct bench_ops *ops)
{
	if (!evt_iters || !grant_iters || !xs_iters) {
		pr_err("pvxen-bench: iteration counts must be at least 1\n");
		return -EINVAL;
	}
	return work_on_cpu(0, bench_all, (void *)ops);
}

#endif /* _PVXEN_BENCH_H */
