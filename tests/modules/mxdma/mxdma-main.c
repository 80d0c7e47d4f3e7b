// SPDX-License-Identifier: GPL-2.0-only
/*
 * mxdma: platform driver for minixen's checking DMA engine ("pvxen,mxdma").
 *
 * The engine reads a ring of descriptors at a DMA address, copies between
 * DMA addresses and completes through a level-sensitive interrupt; minixen
 * refuses (and counts) every DMA address that is not this domain's memory
 * as the device's bus sees it.  This driver gives it addresses from the
 * kernel's DMA API only: dma_alloc_coherent() for the ring, the mask from
 * the bus limit the device tree's dma-ranges set, and the jobs
 * (mxdma-jobs.c) map their buffers with dma_map_page() / dma_map_sg().
 *
 * A job is run from slot 0 of a freshly enabled ring, waited for by its
 * interrupt (DONE or ERROR, and the engine idle or halted) with a timeout
 * (or, with use_irq=0, by polling the engine's status every millisecond),
 * and the engine is reset afterwards, so a job never inherits another's
 * state.  Teardown is all device-managed: debugfs, the interrupt, the
 * engine's reset, the ring, in that order.
 */
#define pr_fmt(fmt) "mxdma: " fmt

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>

#include "mxdma.h"

static unsigned int ring_slots = 64;
static unsigned int timeout_ms = 2000;
static unsigned int dma_bits;
static bool use_irq = true;

module_param(ring_slots, uint, 0444);
MODULE_PARM_DESC(ring_slots, "descriptor ring slots, 2..256 (default 64)");
module_param(timeout_ms, uint, 0444);
MODULE_PARM_DESC(timeout_ms, "job timeout in ms, 10..60000 (default 2000)");
module_param(dma_bits, uint, 0444);
MODULE_PARM_DESC(dma_bits,
		 "DMA mask bits, 24..64; 0 (default): from the bus limit");
module_param(use_irq, bool, 0444);
MODULE_PARM_DESC(use_irq,
		 "complete jobs by interrupt (default), else poll every 1 ms");

unsigned int mxdma_timeout_ms(void)
{
	return timeout_ms;
}

static u32 rd(struct mxdma *md, u32 off)
{
	return readl(md->regs + off);
}

static void wr(struct mxdma *md, u32 off, u32 val)
{
	writel(val, md->regs + off);
}

void mxdma_read_counters(struct mxdma *md, struct mxdma_counters *c)
{
	int i;

	for (i = 0; i < MXDMA_NR_CNT; i++)
		c->c[i] = lo_hi_readq(md->regs + MXDMA_CNT(i));
}

void mxdma_job_start(struct mxdma_job *j, struct mxdma *md)
{
	j->md = md;
	j->n = 0;
	j->chain = 0;
	j->err = 0;
}

/*
 * Queue a COPY of @len bytes; @chain: the next descriptor belongs to the
 * same transfer.  A chain longer than the engine takes is closed and a new
 * one opened: all or nothing holds per chain.
 */
void mxdma_job_copy(struct mxdma_job *j, dma_addr_t src, dma_addr_t dst,
		    u32 len, bool chain)
{
	struct mxdma_desc *d;

	if (j->err)
		return;
	if (!len || len > j->md->max_len) {
		j->err = -EINVAL;
		return;
	}
	/* head == tail is empty: one slot stays free */
	if (j->n + 1 >= j->md->ring_size) {
		j->err = -ENOSPC;
		return;
	}
	if (chain && j->chain + 1 >= MXDMA_MAX_CHAIN)
		chain = false;
	d = &j->md->ring[j->n++];
	d->ctrl = cpu_to_le32(MXDMA_OP_COPY | (chain ? MXDMA_F_CHAIN : 0));
	d->len = cpu_to_le32(len);
	d->src = cpu_to_le64(src);
	d->dst = cpu_to_le64(dst);
	d->data = 0;
	d->status = cpu_to_le32(MXDMA_ST_PENDING);
	j->chain = chain ? j->chain + 1 : 0;
}

u32 mxdma_job_status(const struct mxdma_job *j, unsigned int i)
{
	if (i >= j->n)
		return MXDMA_ST_PENDING;
	return le32_to_cpu(READ_ONCE(j->md->ring[i].status));
}

static irqreturn_t mxdma_irq(int irq, void *arg)
{
	struct mxdma *md = arg;
	u32 st = rd(md, MXDMA_IRQ_STATUS);

	if (!st)
		return IRQ_NONE;
	wr(md, MXDMA_IRQ_ACK, st);
	/* budget used up: ring the doorbell again for the rest */
	if (st & MXDMA_IRQ_MORE)
		wr(md, MXDMA_TAIL, READ_ONCE(md->tail));
	atomic_or(st, &md->seen);
	atomic_inc(&md->irqs);
	wake_up(&md->wq);
	return IRQ_HANDLED;
}

/* The interrupt said the job ended, and the engine agrees. */
static bool mxdma_finished(struct mxdma *md)
{
	u32 st;

	if (!(atomic_read(&md->seen) & (MXDMA_IRQ_DONE | MXDMA_IRQ_ERROR)))
		return false;
	st = rd(md, MXDMA_STATUS);
	return st & (MXDMA_STATUS_HALTED | MXDMA_STATUS_IDLE);
}

/* Without the interrupt: the engine idle or halted, within the timeout. */
static long mxdma_poll(struct mxdma *md)
{
	unsigned long end = jiffies + msecs_to_jiffies(timeout_ms);

	for (;;) {
		if (rd(md, MXDMA_STATUS) &
		    (MXDMA_STATUS_HALTED | MXDMA_STATUS_IDLE))
			return 1;
		if (time_after(jiffies, end))
			return 0;
		usleep_range(1000, 2000);
	}
}

static void mxdma_stop(struct mxdma *md)
{
	wr(md, MXDMA_IRQ_MASK, 0);
	wr(md, MXDMA_CTRL, MXDMA_CTRL_RESET);
	synchronize_irq(md->irq);
}

/*
 * Run the queued descriptors: 0 when the engine went through all of them
 * (each one's status says how it went), -ETIMEDOUT, -EIO if the engine
 * halted (the halt code is logged), or the error of building the job.
 */
int mxdma_job_run(struct mxdma_job *j)
{
	struct mxdma *md = j->md;
	long left;
	u32 st;

	if (j->err)
		return j->err;
	if (!j->n || j->chain)
		return -EINVAL;
	wr(md, MXDMA_CTRL, MXDMA_CTRL_RESET);
	wr(md, MXDMA_RING_LO, lower_32_bits(md->ring_dma));
	wr(md, MXDMA_RING_HI, upper_32_bits(md->ring_dma));
	wr(md, MXDMA_RING_SIZE, md->ring_size);
	wr(md, MXDMA_IRQ_ACK, MXDMA_IRQ_ALL);
	atomic_set(&md->seen, 0);
	WRITE_ONCE(md->tail, j->n);
	wr(md, MXDMA_IRQ_MASK, use_irq ? MXDMA_IRQ_ALL : 0);
	wr(md, MXDMA_CTRL, MXDMA_CTRL_ENABLE);
	/* the descriptors before the doorbell (writel orders them too) */
	dma_wmb();
	wr(md, MXDMA_TAIL, j->n);
	if (use_irq)
		left = wait_event_timeout(md->wq, mxdma_finished(md),
					  msecs_to_jiffies(timeout_ms));
	else
		left = mxdma_poll(md);
	st = rd(md, MXDMA_STATUS);
	mxdma_stop(md);
	dma_rmb();	/* the status write-backs after the engine's state */
	if (st & MXDMA_STATUS_HALTED) {
		dev_warn(md->dev, "engine halted, code %u\n",
			 MXDMA_STATUS_CODE(st));
		return -EIO;
	}
	return left ? 0 : -ETIMEDOUT;
}

static void mxdma_reset_action(void *arg)
{
	mxdma_stop(arg);
}

static void mxdma_debugfs_action(void *arg)
{
	mxdma_debugfs_exit(arg);
}

static const char *const profiles[] = { "identity", "rpi4", "multi",
					"custom" };

static int mxdma_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	unsigned int bits = dma_bits;
	struct mxdma *md;
	u32 max_ring;
	int ret;

	md = devm_kzalloc(dev, sizeof(*md), GFP_KERNEL);
	if (!md)
		return -ENOMEM;
	md->dev = dev;
	init_waitqueue_head(&md->wq);
	mutex_init(&md->lock);
	md->regs = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(md->regs))
		return PTR_ERR(md->regs);
	if (rd(md, MXDMA_ID) != MXDMA_ID_VALUE || rd(md, MXDMA_VERSION) != 1)
		return dev_err_probe(dev, -ENODEV, "not an mxdma engine v1\n");
	md->max_len = rd(md, MXDMA_MAX_LEN_REG);
	md->profile = rd(md, MXDMA_PROFILE);
	max_ring = rd(md, MXDMA_MAX_RING_REG);
	if (!md->max_len || ring_slots > max_ring)
		return dev_err_probe(dev, -EINVAL,
				     "ring_slots=%u: the engine takes %u\n",
				     ring_slots, max_ring);
	md->ring_size = ring_slots;
	wr(md, MXDMA_CTRL, MXDMA_CTRL_RESET);

	/* the bus's reach, from the device tree's dma-ranges */
	if (!bits)
		bits = dev->bus_dma_limit ? fls64(dev->bus_dma_limit) : 64;
	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(bits));
	if (ret)
		return dev_err_probe(dev, ret, "no %u-bit DMA\n", bits);

	md->ring = dmam_alloc_coherent(dev, md->ring_size * sizeof(*md->ring),
				       &md->ring_dma, GFP_KERNEL);
	if (!md->ring)
		return -ENOMEM;
	ret = devm_add_action_or_reset(dev, mxdma_reset_action, md);
	if (ret)
		return ret;
	md->irq = platform_get_irq(pdev, 0);
	if (md->irq < 0)
		return md->irq;
	ret = devm_request_irq(dev, md->irq, mxdma_irq, 0, dev_name(dev), md);
	if (ret)
		return ret;
	platform_set_drvdata(pdev, md);
	ret = mxdma_debugfs_init(md);
	if (ret)
		return ret;
	ret = devm_add_action_or_reset(dev, mxdma_debugfs_action, md);
	if (ret)
		return ret;
	dev_info(dev, "profile %s, bus limit %#llx, %u-bit mask, ring of %u at %pad, irq %d%s\n",
		 md->profile < ARRAY_SIZE(profiles) ?
		 profiles[md->profile] : "?", dev->bus_dma_limit, bits,
		 md->ring_size, &md->ring_dma, md->irq,
		 use_irq ? "" : " (polled)");
	return 0;
}

static const struct of_device_id mxdma_of_match[] = {
	{ .compatible = "pvxen,mxdma" },
	{ }
};
MODULE_DEVICE_TABLE(of, mxdma_of_match);

static struct platform_driver mxdma_driver = {
	.probe = mxdma_probe,
	.driver = {
		.name = "mxdma",
		.of_match_table = mxdma_of_match,
	},
};

static int __init mxdma_init(void)
{
	if (ring_slots < 2 || ring_slots > 256) {
		pr_err("ring_slots=%u: must be 2..256\n", ring_slots);
		return -EINVAL;
	}
	if (timeout_ms < 10 || timeout_ms > 60000) {
		pr_err("timeout_ms=%u: must be 10..60000\n", timeout_ms);
		return -EINVAL;
	}
	if (dma_bits && (dma_bits < 24 || dma_bits > 64)) {
		pr_err("dma_bits=%u: must be 0 or 24..64\n", dma_bits);
		return -EINVAL;
	}
	return platform_driver_register(&mxdma_driver);
}
module_init(mxdma_init);

static void __exit mxdma_exit(void)
{
	platform_driver_unregister(&mxdma_driver);
}
module_exit(mxdma_exit);

MODULE_DESCRIPTION("Driver for minixen's checking DMA engine (test jobs)");
MODULE_LICENSE("GPL");
