// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host GICv3: distributor and redistributors set up for minixen's own
 * interrupts (hypervisor timer, virtual timer, maintenance, kick SGI);
 * the CPU interface's virtualisation part is enabled per CPU.
 */
#include <minixen/arch_hooks.h>
#include <minixen/bootcfg.h>
#include <minixen/vgic.h>
#include <arch/gic.h>
#include <arch/pcpu.h>
#include <arch/sysregs.h>

#define GICD_CTLR		0x0000
#define GICD_CTLR_RWP		BIT(31)
#define GICR_TYPER		0x0008
#define GICR_WAKER		0x0014
#define GICR_SGI		0x10000
#define GICR_IGROUPR0		(GICR_SGI + 0x0080)
#define GICR_ISENABLER0		(GICR_SGI + 0x0100)
#define GICR_ICENABLER0		(GICR_SGI + 0x0180)
#define GICR_IPRIORITYR		(GICR_SGI + 0x0400)
#define GICR_STRIDE		0x20000

static u32 nr_lrs;

#define rd32 mmio_read32
#define wr32 mmio_write32

void gic_init(void)
{
	u64 d = boot_cfg.gicd_base;

	wr32(d + GICD_CTLR, 0);
	while (rd32(d + GICD_CTLR) & GICD_CTLR_RWP)
		;
	/* ARE, EnableGrp1 (single security state); no SPIs used. */
	wr32(d + GICD_CTLR, BIT(4) | BIT(1));
	nr_lrs = (read_sysreg(ICH_VTR_EL2) & 0x1f) + 1;
	if (nr_lrs > VGIC_MAX_LR)
		nr_lrs = VGIC_MAX_LR;
}

u32 arch_vgic_nr_lrs(void)
{
	return nr_lrs;
}

static u64 find_redist(u64 mpidr)
{
	u64 aff = (mpidr & 0xffffff) | ((mpidr >> 32 & 0xff) << 24);
	u64 r;

	for (r = boot_cfg.gicr_base;
	     r < boot_cfg.gicr_base + boot_cfg.gicr_size; r += GICR_STRIDE) {
		u64 typer = mmio_read64(r + GICR_TYPER);

		if ((typer >> 32) == aff)
			return r;
		if (typer & BIT(4))
			break;
	}
	panic("no GIC redistributor for CPU MPIDR 0x%lx", mpidr);
}

void gic_cpu_init(struct pcpu *p)
{
	u64 r = find_redist(p->mpidr);
	int i;

	p->gicr = r;
	wr32(r + GICR_WAKER, rd32(r + GICR_WAKER) & ~2U);
	while (rd32(r + GICR_WAKER) & 4)
		;
	wr32(r + GICR_ICENABLER0, ~0U);
	wr32(r + GICR_IGROUPR0, ~0U);
	for (i = 0; i < 32; i += 4)
		wr32(r + GICR_IPRIORITYR + i, 0xa0a0a0a0);
	wr32(r + GICR_ISENABLER0, BIT(SGI_KICK) | BIT(PPI_MAINT) |
	     BIT(PPI_HYP_TIMER) | BIT(PPI_VTIMER));

	write_sysreg(ICC_SRE_EL2, 0xf);	/* SRE, DFB, DIB, Enable (EL1) */
	isb();
	write_sysreg(ICC_PMR_EL1, 0xff);
	write_sysreg(ICC_CTLR_EL1, 0);	/* EOImode 0: EOI deactivates */
	write_sysreg(ICC_IGRPEN1_EL1, 1);
	write_sysreg(ICH_HCR_EL2, ICH_HCR_EN);
	write_sysreg(ICH_VMCR_EL2, 0);
	isb();
}

void gic_send_sgi(u32 cpu, u32 intid)
{
	u64 m = pcpus[cpu].mpidr;
	u64 v = ((u64)intid << 24) | BIT(m & 0xf) | ((m >> 8) & 0xff) << 16 |
		((m >> 16) & 0xff) << 32 | ((m >> 32) & 0xff) << 48;

	dsb_ish();
	write_sysreg(ICC_SGI1R_EL1, v);
	isb();
}

u32 gic_ack(void)
{
	return read_sysreg(ICC_IAR1_EL1);
}

void gic_eoi(u32 iar)
{
	write_sysreg(ICC_EOIR1_EL1, iar);
	isb();
}
