/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Virtual GICv3 state: distributor and redistributor registers emulated
 * on trap, interrupts delivered through the list registers. The arch's
 * (arch/arm64/vgic.c), in pure C that tests/hyp builds on the host too:
 * the caller holds the domain's lock, moves the list registers between
 * this state and the hardware, and kicks CPUs.
 */
#ifndef MINIXEN_VGIC_H
#define MINIXEN_VGIC_H

#include <minixen/config.h>
#include <minixen/lib.h>

#define VGIC_NR_PRIV	32
#define VGIC_NR_SPI	32		/* INTIDs 32..63 */
#define VGIC_NR_IRQS	(VGIC_NR_PRIV + VGIC_NR_SPI)
#define VGIC_MAX_LR	16
#define VGIC_GICD_SIZE	0x10000UL
#define VGIC_GICR_STRIDE 0x20000UL	/* RD_base + SGI_base frames */

#define LR_STATE_SHIFT	62
#define LR_PENDING	BIT(62)
#define LR_ACTIVE	(2UL << 62)
#define LR_STATE	(3UL << 62)
#define LR_HW		BIT(61)
#define LR_GROUP1	BIT(60)
#define LR_EOI		BIT(41)
#define LR_PRIO_SHIFT	48
#define LR_INTID_MASK	0xffffffffUL

#define ICH_HCR_EN	BIT(0)
#define ICH_HCR_UIE	BIT(1)

struct vgic_irq {
	u8 prio;
	bool enabled;
	bool pending;		/* waiting for a list register */
	bool level;		/* line level, level-sensitive SPIs */
	bool edge;		/* ICFGR: edge-triggered */
	s8 lr;			/* list register holding it, or -1 */
	u8 target;		/* SPIs: vCPU it is routed to */
};

struct vgic_vcpu {
	struct vgic_irq priv[VGIC_NR_PRIV];
	u64 lr[VGIC_MAX_LR];
	u32 nr_lr;
	u32 hcr;		/* ICH_HCR_EL2 to load */
	u64 vmcr;		/* ICH_VMCR_EL2 */
	u32 ap1r0;		/* ICH_AP1R0_EL2 */
	u32 ctlr;		/* GICR_CTLR */
	u32 waker;		/* GICR_WAKER */
	u64 mpidr;
};

struct vgic {
	u32 ctlr;		/* GICD_CTLR */
	u32 nr_vcpus;
	struct vgic_irq spi[VGIC_NR_SPI];
	u64 irouter[VGIC_NR_SPI];
	struct vgic_vcpu *vcpu[MAX_VCPUS];
};

/* MPIDR of vCPU @id as the guest sees it (Aff0 < 16, then Aff1). */
u64 vgic_vcpu_mpidr(u32 id);
int vgic_vcpu_by_mpidr(const struct vgic *g, u64 mpidr);

void vgic_init(struct vgic *g, u32 nr_vcpus, struct vgic_vcpu **vcpus,
	       u32 nr_lr);

/*
 * MMIO: offsets relative to GICD base or the GICR region base. Writes
 * return a bit mask of vCPUs whose interrupt state changed (to kick).
 */
u64 vgic_dist_read(struct vgic *g, u64 off, int size);
u32 vgic_dist_write(struct vgic *g, u64 off, int size, u64 val);
bool vgic_redist_valid(const struct vgic *g, u64 off);
u64 vgic_redist_read(struct vgic *g, u64 off, int size);
u32 vgic_redist_write(struct vgic *g, u64 off, int size, u64 val);

/* ICC_SGI1R_EL1 write by vCPU @src: mask of vCPUs that got the SGI. */
u32 vgic_sgi(struct vgic *g, u32 src, u64 sgi1r);
/* Make @intid pending (SGI/PPI: on @vcpu). Returns mask of vCPUs to kick. */
u32 vgic_inject(struct vgic *g, u32 vcpu, u32 intid);
/*
 * A PPI minixen drives as a level (the event-channel PPI) is high on
 * @vcpu: make it pending again unless a list register still holds it.
 */
void vgic_ppi_level(struct vgic *g, u32 vcpu, u32 intid);
/* Level of a level-sensitive SPI. Returns mask of vCPUs to kick. */
u32 vgic_set_level(struct vgic *g, u32 intid, bool level);

/* After the guest ran: drop list registers the guest has finished with. */
void vgic_sync(struct vgic *g, u32 vcpu);
/* Before it runs: fill list registers, set up hcr (underflow irq). */
void vgic_flush(struct vgic *g, u32 vcpu);
/* Anything deliverable for @vcpu (WFI wake-up)? */
bool vgic_has_pending(const struct vgic *g, u32 vcpu);

#endif
