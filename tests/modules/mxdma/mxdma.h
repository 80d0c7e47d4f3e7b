/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mxdma: a Linux driver for minixen's checking DMA engine ("pvxen,mxdma",
 * Documentation/minixen.md, "DMA != phys"), using only the kernel's DMA
 * API, with test jobs behind debugfs.
 *
 * The register and descriptor layout is the documented binding's; the
 * driver keeps its own copy (it builds against a kernel, not minixen).
 */
#ifndef _MXDMA_H
#define _MXDMA_H

#include <linux/bits.h>
#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/wait.h>

#define MXDMA_ID		0x00
#define MXDMA_VERSION		0x04
#define MXDMA_CTRL		0x08
#define MXDMA_STATUS		0x0c
#define MXDMA_RING_LO		0x10
#define MXDMA_RING_HI		0x14
#define MXDMA_RING_SIZE		0x18
#define MXDMA_TAIL		0x1c
#define MXDMA_HEAD		0x20
#define MXDMA_IRQ_STATUS	0x24
#define MXDMA_IRQ_MASK		0x28
#define MXDMA_IRQ_ACK		0x2c
#define MXDMA_PROFILE		0x30
#define MXDMA_MAX_LEN_REG	0x34
#define MXDMA_MAX_RING_REG	0x38
#define MXDMA_CNT(n)		(0x40 + 8 * (n))

#define MXDMA_ID_VALUE		0x4d58444dU	/* "MXDM" */

#define MXDMA_CTRL_ENABLE	BIT(0)
#define MXDMA_CTRL_RESET	BIT(1)
#define MXDMA_CTRL_CLR_CNT	BIT(2)

#define MXDMA_STATUS_ENABLED	BIT(0)
#define MXDMA_STATUS_HALTED	BIT(1)
#define MXDMA_STATUS_IDLE	BIT(2)
#define MXDMA_STATUS_CODE(s)	(((s) >> 8) & 0xff)

#define MXDMA_IRQ_DONE		BIT(0)
#define MXDMA_IRQ_ERROR		BIT(1)
#define MXDMA_IRQ_MORE		BIT(2)
#define MXDMA_IRQ_ALL		(MXDMA_IRQ_DONE | MXDMA_IRQ_ERROR | \
				 MXDMA_IRQ_MORE)

enum mxdma_cnt {
	MXDMA_CNT_DONE,
	MXDMA_CNT_BYTES,
	MXDMA_CNT_RANGE,
	MXDMA_CNT_OWNER,
	MXDMA_CNT_BADDESC,
	MXDMA_CNT_MISMATCH,
	MXDMA_NR_CNT,
};

/* A descriptor as the engine reads it (little-endian, 32 bytes). */
struct mxdma_desc {
	__le32 ctrl;
	__le32 len;
	__le64 src;
	__le64 dst;
	__le32 data;
	__le32 status;
};

#define MXDMA_OP_COPY		1
#define MXDMA_OP_FILL		2
#define MXDMA_OP_COMPARE	3
#define MXDMA_F_CHAIN		BIT(8)
#define MXDMA_MAX_CHAIN		16

#define MXDMA_ST_PENDING	0
#define MXDMA_ST_OK		1
#define MXDMA_ST_MISMATCH	2
#define MXDMA_ST_BAD_DESC	0x10
#define MXDMA_ST_RANGE		0x11
#define MXDMA_ST_OWNER		0x12
#define MXDMA_ST_SKIPPED	0x13

#define MXDMA_RESULT_MAX	512

/**
 * struct mxdma - One engine.
 * @dev: its platform device's
 * @regs: its registers
 * @irq: its interrupt
 * @ring: the descriptor ring (coherent DMA memory)
 * @ring_dma: its DMA address
 * @ring_size: slots
 * @max_len: bytes per descriptor (MAX_LEN register)
 * @profile: the PROFILE register
 * @tail: the tail of the job running (the MORE interrupt rings it again)
 * @wq: woken by the interrupt
 * @seen: IRQ_STATUS bits the interrupt saw since the job started
 * @irqs: interrupts taken
 * @lock: one job at a time; @result
 * @dir: debugfs directory
 * @result: the last job's line
 */
struct mxdma {
	struct device *dev;
	void __iomem *regs;
	int irq;
	struct mxdma_desc *ring;
	dma_addr_t ring_dma;
	unsigned int ring_size;
	u32 max_len;
	u32 profile;
	u32 tail;
	wait_queue_head_t wq;
	atomic_t seen;
	atomic_t irqs;
	struct mutex lock;		/* one job at a time; @result */
	struct dentry *dir;
	char result[MXDMA_RESULT_MAX];
};

/* The counters, read from the engine's registers. */
struct mxdma_counters {
	u64 c[MXDMA_NR_CNT];
};

/**
 * struct mxdma_job - Descriptors being built, then run.
 * @md: the engine
 * @n: descriptors queued in the ring, from slot 0
 * @chain: descriptors in the open chain (0: none open)
 * @err: a descriptor did not fit (-ENOSPC) or was bad (-EINVAL)
 */
struct mxdma_job {
	struct mxdma *md;
	unsigned int n;
	unsigned int chain;
	int err;
};

/* mxdma-main.c: the engine */
void mxdma_job_start(struct mxdma_job *j, struct mxdma *md);
void mxdma_job_copy(struct mxdma_job *j, dma_addr_t src, dma_addr_t dst,
		    u32 len, bool chain);
int mxdma_job_run(struct mxdma_job *j);
u32 mxdma_job_status(const struct mxdma_job *j, unsigned int i);
void mxdma_read_counters(struct mxdma *md, struct mxdma_counters *c);
unsigned int mxdma_timeout_ms(void);

/* mxdma-ctl.c: the jobs' debugfs file */
int mxdma_debugfs_init(struct mxdma *md);
void mxdma_debugfs_exit(struct mxdma *md);

/* mxdma-jobs.c: the test jobs on own pages, and what jobs share */
#define MXDMA_HIGH_POOL	256
int mxdma_run_copy(struct mxdma *md, unsigned int n);
int mxdma_run_high(struct mxdma *md, unsigned int n);
int mxdma_run_sg(struct mxdma *md, unsigned int n);
int mxdma_run_counters(struct mxdma *md);
unsigned int mxdma_high_pages(struct page **pool, unsigned int n);
void mxdma_queue_linear(struct mxdma_job *j, dma_addr_t s, dma_addr_t d,
			size_t len);
void mxdma_say(struct mxdma *md, const char *fmt, ...) __printf(2, 3);
void mxdma_fill(u8 *p, size_t len, u32 seed, u32 pos);
bool mxdma_check(const u8 *p, size_t len, u32 seed, u32 pos, size_t *bad);
bool mxdma_job_all_ok(const struct mxdma_job *j);
void mxdma_report(struct mxdma *md, const struct mxdma_job *j, int ret,
		  const struct mxdma_counters *before);

/* mxdma-foreign.c: a page another domain granted this one */
int mxdma_job_foreign(struct mxdma *md, unsigned int domid, u32 ref,
		      u32 seed);
int mxdma_job_foreign_id(struct mxdma *md, unsigned int domid, u32 ref,
			 u32 seed);
int mxdma_job_twice_id(struct mxdma *md, unsigned int domid, u32 ref,
		       u32 seed);
int mxdma_job_pair(struct mxdma *md, unsigned int domid, u32 ref, u32 seed);

/* mxdma-bench.c: make bench's DMA rows */
int mxdma_bench_map(struct mxdma *md, unsigned int n);
int mxdma_bench_copy(struct mxdma *md, unsigned int rounds);

#endif /* _MXDMA_H */
