/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The checking DMA engine ("pvxen,mxdma", core/dmaengine.c) minixen
 * emulates for a 1:1 domain: a descriptor ring in the domain's memory,
 * copy / fill / compare between DMA addresses, scatter-gather chains,
 * completion through a level-sensitive SPI. Every DMA address, the ring's
 * included, goes through the domain's DMA profile (dmaprofile.h) to a
 * machine address, and every 4 KiB machine frame must be the domain's own
 * RAM as its stage 2 maps it, or a foreign frame it has grant-mapped
 * (writable for a write); anything else is refused and counted, never
 * redirected. Layout: Documentation/minixen.md, "DMA != phys".
 *
 * Pure code: the domain's stage 2, grant maps, interrupt line and log come
 * in through struct dmae_env; builds on the host for tests.
 */
#ifndef MINIXEN_DMAENGINE_H
#define MINIXEN_DMAENGINE_H

#include <minixen/dmaprofile.h>
#include <minixen/lib.h>

struct s2;
struct gnt_dom;

/* Registers: 32-bit unless noted; the counters are 64-bit (or two halves) */
#define MXDMA_ID		0x00	/* RO: MXDMA_ID_VALUE */
#define MXDMA_VERSION		0x04	/* RO: 1 */
#define MXDMA_CTRL		0x08	/* RW: MXDMA_CTRL_* */
#define MXDMA_STATUS		0x0c	/* RO: MXDMA_STATUS_*, halt code */
#define MXDMA_RING_LO		0x10	/* RW while disabled: ring DMA address */
#define MXDMA_RING_HI		0x14
#define MXDMA_RING_SIZE		0x18	/* RW while disabled: descriptors */
#define MXDMA_TAIL		0x1c	/* RW: doorbell, next free slot */
#define MXDMA_HEAD		0x20	/* RO: next slot the engine reads */
#define MXDMA_IRQ_STATUS	0x24	/* RO: MXDMA_IRQ_* */
#define MXDMA_IRQ_MASK		0x28	/* RW: which MXDMA_IRQ_* raise the SPI */
#define MXDMA_IRQ_ACK		0x2c	/* WO: write 1s to clear IRQ_STATUS */
#define MXDMA_PROFILE		0x30	/* RO: enum dma_profile_id */
#define MXDMA_MAX_LEN_REG	0x34	/* RO: MXDMA_MAX_LEN */
#define MXDMA_MAX_RING_REG	0x38	/* RO: MXDMA_MAX_RING */
#define MXDMA_CNT_BASE		0x40	/* RO, 64-bit: enum mxdma_cnt */

#define MXDMA_ID_VALUE		0x4d58444dU	/* "MXDM" */
#define MXDMA_REG_SIZE		0x1000

#define MXDMA_CTRL_ENABLE	BIT(0)	/* head = tail = 0 when set */
#define MXDMA_CTRL_RESET	BIT(1)	/* WO: disable, clear halt and IRQs */
#define MXDMA_CTRL_CLR_CNT	BIT(2)	/* WO: zero the counters */

#define MXDMA_STATUS_ENABLED	BIT(0)
#define MXDMA_STATUS_HALTED	BIT(1)
#define MXDMA_STATUS_IDLE	BIT(2)	/* head == tail */
#define MXDMA_STATUS_CODE(s)	(((s) >> 8) & 0xff)	/* enum mxdma_halt */

enum mxdma_halt {
	MXDMA_HALT_NONE,
	MXDMA_HALT_RING,	/* bad ring base or size at enable */
	MXDMA_HALT_TAIL,	/* tail written beyond the ring */
	MXDMA_HALT_FETCH,	/* a descriptor's slot refused */
	MXDMA_HALT_WRITEBACK,	/* a status write-back refused */
};

#define MXDMA_IRQ_DONE		BIT(0)	/* descriptors completed */
#define MXDMA_IRQ_ERROR		BIT(1)	/* one failed, or the engine halted */
#define MXDMA_IRQ_MORE		BIT(2)	/* budget used: write TAIL again */

enum mxdma_cnt {
	MXDMA_CNT_DONE,		/* descriptors executed (OK or MISMATCH) */
	MXDMA_CNT_BYTES,	/* their bytes */
	MXDMA_CNT_RANGE,	/* refused: outside every range or the window */
	MXDMA_CNT_OWNER,	/* refused: not the domain's, nor mapped */
	MXDMA_CNT_BADDESC,	/* bad descriptors, tail, ring */
	MXDMA_CNT_MISMATCH,	/* compares that differed */
	MXDMA_NR_CNT,
};

/* A descriptor, 32 bytes, little-endian, in the ring (guest memory) */
struct mxdma_desc {
	u32 ctrl;	/* MXDMA_OP_* | MXDMA_F_* */
	u32 len;	/* bytes, 1..MXDMA_MAX_LEN */
	u64 src;	/* DMA address: COPY, COMPARE */
	u64 dst;	/* DMA address */
	u32 data;	/* FILL: the byte (bits 7:0); COMPARE: first difference */
	u32 status;	/* written by the engine: MXDMA_ST_* */
};

#define MXDMA_DESC_SIZE		32
#define MXDMA_OP_MASK		0xffU
#define MXDMA_OP_COPY		1
#define MXDMA_OP_FILL		2
#define MXDMA_OP_COMPARE	3
#define MXDMA_F_CHAIN		BIT(8)	/* the next descriptor is part of this */
#define MXDMA_CTRL_VALID	(MXDMA_OP_MASK | MXDMA_F_CHAIN)

#define MXDMA_ST_PENDING	0	/* what the driver writes */
#define MXDMA_ST_OK		1
#define MXDMA_ST_MISMATCH	2	/* COMPARE: data = first difference */
#define MXDMA_ST_BAD_DESC	0x10
#define MXDMA_ST_RANGE		0x11
#define MXDMA_ST_OWNER		0x12
#define MXDMA_ST_SKIPPED	0x13	/* another element of its chain failed */

#define MXDMA_MAX_LEN		0x10000U	/* bytes per descriptor */
#define MXDMA_MAX_RING		256		/* descriptors per ring */
#define MXDMA_MAX_CHAIN		16		/* descriptors per chain */
#define MXDMA_BUDGET		64		/* descriptors per doorbell */

/* What the engine may reach, and how it tells the domain. */
struct dmae_env {
	struct s2 *s2;			/* the domain's stage 2 */
	struct gnt_dom *gnt;		/* its grant maps; its lock: the p2m lock */
	struct mx_lock *p2m_lock;
	u64 ram_ipa, ram_pa, ram_size;	/* its own RAM */
	const char *name;		/* for the log */
	void *ctx;
	void *(*map_pa)(u64 pa);	/* hypervisor pointer to machine RAM */
	u32 (*set_irq)(void *ctx, bool level);	/* vCPUs to kick */
	bool (*warn_ok)(void *ctx);	/* rate limit of the refusal lines */
};

struct dmae {
	struct mx_lock lock;	/* outside the p2m lock and the vGIC's */
	struct dmae_env env;
	struct dma_profile profile;
	struct pvxen_dma_table table;
	u32 ctrl, halt, ring_size, head, tail, irq_status, irq_mask;
	u64 ring;
	u64 cnt[MXDMA_NR_CNT];
};

/* 0, or -1 if @p fails dma_profile_check(). */
int dmae_init(struct dmae *e, const struct dma_profile *p,
	      const struct dmae_env *env);

/*
 * A @size-byte access to register @off; a TAIL write runs up to
 * MXDMA_BUDGET descriptors. Returns the vCPUs to kick.
 */
u32 dmae_mmio(struct dmae *e, u64 off, int size, bool write, u64 *val);

/*
 * Check one 4 KiB-bounded piece [dma, dma + len) of a transfer (within
 * one DMA page) and return a hypervisor pointer to it, or NULL with
 * *@why = MXDMA_ST_RANGE or MXDMA_ST_OWNER. Under the p2m lock.
 */
u8 *dmae_frame(struct dmae *e, u64 dma, u64 len, bool write, u32 *why);

#endif
