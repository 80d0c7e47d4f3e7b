// SPDX-License-Identifier: GPL-2.0-only
/* Host unit tests: virtual GICv3 state (hyp/arch/arm64/vgic.c). */
#include <minixen/vgic.h>
#include "tap.h"

#define GICD_CTLR	0x0000
#define GICD_TYPER	0x0004
#define GICD_ISENABLER	0x0100
#define GICD_ICENABLER	0x0180
#define GICD_ISPENDR	0x0200
#define GICD_IPRIORITYR	0x0400
#define GICD_ICFGR	0x0c00
#define GICD_IROUTER	0x6000
#define GICD_PIDR2	0xffe8
#define SGI		0x10000

static struct vgic g;
static struct vgic_vcpu vc[4];

static int lr_count(int v)
{
	int i, n = 0;

	for (i = 0; i < (int)vc[v].nr_lr; i++)
		n += !!(vc[v].lr[i] & LR_STATE);
	return n;
}

static int lr_find(int v, u32 intid)
{
	int i;

	for (i = 0; i < (int)vc[v].nr_lr; i++)
		if ((vc[v].lr[i] & LR_STATE) &&
		    (vc[v].lr[i] & LR_INTID_MASK) == intid)
			return i;
	return -1;
}

/* The guest acknowledges and EOIs what is in LR @i. */
static void guest_eoi(int v, int i)
{
	vc[v].lr[i] &= ~LR_STATE;
}

static void enable_ppi(int v, u32 intid)
{
	vgic_redist_write(&g, v * VGIC_GICR_STRIDE + SGI + GICD_ISENABLER, 4,
			  1U << intid);
}

int main(void)
{
	struct vgic_vcpu *vp[4] = { &vc[0], &vc[1], &vc[2], &vc[3] };
	u32 kick;
	int i;

	vgic_init(&g, 3, vp, 4);
	ok(vgic_dist_read(&g, GICD_PIDR2, 4) == 0x3b, "GICD_PIDR2: GICv3");
	ok((vgic_dist_read(&g, GICD_TYPER, 4) & 0x1f) == 1,
	   "GICD_TYPER: 64 interrupt IDs");
	ok(vgic_dist_read(&g, GICD_CTLR, 4) == 0x50,
	   "GICD_CTLR: ARE and DS set, groups disabled");
	vgic_dist_write(&g, GICD_CTLR, 4, 0x13);
	ok(vgic_dist_read(&g, GICD_CTLR, 4) == 0x53, "GICD_CTLR: groups enabled");

	/* Redistributors: affinity, Last, WAKER */
	ok(vgic_redist_read(&g, 0x8, 8) >> 32 == 0 &&
	   vgic_redist_read(&g, VGIC_GICR_STRIDE + 0x8, 8) >> 32 == 1 &&
	   !(vgic_redist_read(&g, 0x8, 8) & 0x10) &&
	   (vgic_redist_read(&g, 2 * VGIC_GICR_STRIDE + 0x8, 8) & 0x10),
	   "GICR_TYPER: affinity per vCPU, Last on the final frame");
	ok(vgic_redist_read(&g, 2 * VGIC_GICR_STRIDE + 0xc, 4) == 2,
	   "GICR_TYPER high word by 32-bit access");
	ok(vgic_redist_valid(&g, 3 * VGIC_GICR_STRIDE - 4) &&
	   !vgic_redist_valid(&g, 3 * VGIC_GICR_STRIDE),
	   "redistributor region sized by vCPU count");
	ok(vgic_redist_read(&g, 0x14, 4) == 6, "GICR_WAKER: asleep at reset");
	vgic_redist_write(&g, 0x14, 4, 0);
	ok(vgic_redist_read(&g, 0x14, 4) == 0, "GICR_WAKER: awake after clearing ProcessorSleep");

	/* Timer PPI: injected while disabled stays in software. */
	vgic_inject(&g, 0, 27);
	vgic_flush(&g, 0);
	ok(lr_count(0) == 0 && vgic_has_pending(&g, 0) == false,
	   "disabled PPI is neither delivered nor a wake-up");
	enable_ppi(0, 27);
	ok(vgic_redist_read(&g, SGI + GICD_ISENABLER, 4) == (1U << 27),
	   "GICR_ISENABLER0 reads back");
	ok(vgic_has_pending(&g, 0), "enabled pending PPI wakes the vCPU");
	vgic_flush(&g, 0);
	i = lr_find(0, 27);
	ok(i >= 0 && (vc[0].lr[i] & LR_STATE) == LR_PENDING &&
	   (vc[0].lr[i] & LR_GROUP1) && !(vc[0].lr[i] & LR_HW),
	   "flush puts the PPI in a list register, pending, group 1");
	vgic_inject(&g, 0, 27);
	vgic_flush(&g, 0);
	ok(lr_count(0) == 1, "re-injection while pending merges");
	vc[0].lr[i] = (vc[0].lr[i] & ~LR_STATE) | LR_ACTIVE;	/* guest acks */
	vgic_inject(&g, 0, 27);
	vgic_flush(&g, 0);
	ok((vc[0].lr[i] & LR_STATE) == (LR_ACTIVE | LR_PENDING),
	   "injection while active: pending+active in the same LR");
	guest_eoi(0, i);
	vgic_sync(&g, 0);
	ok(vc[0].lr[i] == 0 && lr_count(0) == 0, "after EOI, sync frees the LR");

	/* SGIs: targeted and broadcast. */
	for (i = 0; i < 3; i++)
		enable_ppi(i, 1);
	kick = vgic_sgi(&g, 0, (1UL << 24) | 0x4);	/* SGI1 -> Aff0 2 */
	ok(kick == 4, "SGI to target list {2}: kicks vCPU2 only");
	vgic_flush(&g, 2);
	ok(lr_find(2, 1) >= 0 && lr_find(1, 1) < 0, "vCPU2 gets SGI1");
	kick = vgic_sgi(&g, 1, (1UL << 40) | (1UL << 24));
	ok(kick == 5, "IRM broadcast: all but the sender");
	kick = vgic_sgi(&g, 1, (1UL << 24) | (1UL << 16) | 1);
	ok(kick == 0, "SGI to another cluster (Aff1 1) hits nobody");

	/* Priorities and list register overflow. */
	vgic_init(&g, 1, vp, 2);
	vgic_dist_write(&g, GICD_CTLR, 4, 0x3);
	vgic_redist_write(&g, SGI + GICD_ISENABLER, 4, 0xffffffff);
	vgic_redist_write(&g, SGI + GICD_IPRIORITYR + 4, 4, 0xa0809000);
	ok(vgic_redist_read(&g, SGI + GICD_IPRIORITYR + 4, 4) == 0xa0809000,
	   "IPRIORITYR word access reads back");
	ok(vgic_redist_read(&g, SGI + GICD_IPRIORITYR + 6, 1) == 0x80,
	   "IPRIORITYR byte access");
	vgic_inject(&g, 0, 4);	/* prio 0 */
	vgic_inject(&g, 0, 5);	/* prio 0x90 */
	vgic_inject(&g, 0, 7);	/* prio 0xa0 */
	vgic_flush(&g, 0);
	ok(lr_count(0) == 2 && (vc[0].hcr & ICH_HCR_UIE),
	   "3 pending, 2 LRs: underflow interrupt requested");
	vgic_inject(&g, 0, 6);	/* prio 0x80: beats 0xa0 */
	vgic_flush(&g, 0);
	ok(lr_find(0, 4) >= 0 && lr_find(0, 6) >= 0 && lr_find(0, 5) < 0 &&
	   lr_find(0, 7) < 0, "higher priority interrupts take the LRs");
	guest_eoi(0, lr_find(0, 4));
	guest_eoi(0, lr_find(0, 6));
	vgic_sync(&g, 0);
	vgic_flush(&g, 0);
	ok(lr_find(0, 5) >= 0 && lr_find(0, 7) >= 0 && !(vc[0].hcr & ICH_HCR_UIE),
	   "after EOIs the rest are delivered, no more underflow");

	/* SPIs: level-sensitive line, routing. */
	vgic_init(&g, 2, vp, 4);
	vgic_dist_write(&g, GICD_CTLR, 4, 0x3);
	ok(vgic_dist_read(&g, GICD_ICFGR + 8, 4) == 0, "SPIs level-sensitive by default");
	vgic_dist_write(&g, GICD_IROUTER + 32 * 8, 8, 1);
	ok(vgic_dist_read(&g, GICD_IROUTER + 32 * 8, 8) == 1 &&
	   g.spi[0].target == 1, "IROUTER routes SPI 32 to vCPU1");
	vgic_dist_write(&g, GICD_ISENABLER + 4, 4, 1);
	ok(vgic_dist_read(&g, GICD_ISENABLER + 4, 4) == 1, "SPI enable reads back");
	ok(vgic_dist_read(&g, GICD_ISENABLER, 4) == 0, "GICD_ISENABLER0 is RAZ with ARE");
	kick = vgic_set_level(&g, 32, true);
	ok(kick == 2 && vgic_has_pending(&g, 1) && !vgic_has_pending(&g, 0),
	   "raising the line kicks and wakes the target only");
	ok(vgic_dist_read(&g, GICD_ISPENDR + 4, 4) == 1, "ISPENDR shows the asserted line");
	vgic_flush(&g, 1);
	i = lr_find(1, 32);
	ok(i >= 0 && (vc[1].lr[i] & LR_EOI), "level SPI in an LR asks for an EOI maintenance irq");
	guest_eoi(1, i);
	vgic_sync(&g, 1);
	vgic_flush(&g, 1);
	ok(lr_find(1, 32) >= 0, "line still high after EOI: delivered again");
	guest_eoi(1, lr_find(1, 32));
	vgic_sync(&g, 1);
	vgic_set_level(&g, 32, false);
	vgic_flush(&g, 1);
	ok(lr_count(1) == 0 && !vgic_has_pending(&g, 1), "line low: nothing pending");
	vgic_dist_write(&g, GICD_ICENABLER + 4, 4, 1);
	vgic_set_level(&g, 32, true);
	vgic_flush(&g, 1);
	ok(lr_count(1) == 0, "disabled SPI is not delivered");
	vgic_dist_write(&g, GICD_ISENABLER + 4, 4, 1);
	vgic_dist_write(&g, GICD_CTLR, 4, 0);
	vgic_flush(&g, 1);
	ok(lr_count(1) == 0, "distributor disabled: SPIs held back");
	ok(vgic_vcpu_by_mpidr(&g, 1) == 1 && vgic_vcpu_by_mpidr(&g, 0x100) < 0 &&
	   vgic_vcpu_mpidr(17) == 0x101, "MPIDR <-> vCPU mapping");

	/* Odd accesses a guest can make: misaligned, narrow, wide. */
	vgic_init(&g, 2, vp, 4);
	vgic_dist_write(&g, GICD_ISENABLER + 5, 4, 0xffffffff);
	vgic_dist_write(&g, GICD_ISENABLER + 6, 2, 0xffff);
	vgic_dist_write(&g, GICD_ISENABLER + 5, 1, 0xff);
	ok(vgic_dist_read(&g, GICD_ISENABLER + 4, 4) == 0 && !g.vcpu[0]->priv[8].enabled &&
	   !g.vcpu[0]->priv[16].enabled, "misaligned ISENABLER writes are ignored");
	vgic_dist_write(&g, GICD_ISENABLER + 4, 4, 0x5);
	ok(vgic_dist_read(&g, GICD_ISENABLER + 5, 1) == 0 &&
	   vgic_dist_read(&g, GICD_ISENABLER + 6, 4) == 0,
	   "misaligned reads are RAZ");
	vgic_dist_write(&g, GICD_IROUTER + 33 * 8, 4, 1);
	vgic_dist_write(&g, GICD_IROUTER + 33 * 8 + 4, 4, 0);
	ok(vgic_dist_read(&g, GICD_IROUTER + 33 * 8, 8) == 1 && g.spi[1].target == 1,
	   "IROUTER written as two 32-bit halves");
	vgic_dist_write(&g, GICD_IROUTER + 33 * 8, 1, 0);
	vgic_dist_write(&g, GICD_IROUTER + 33 * 8 + 2, 2, 0);
	ok(vgic_dist_read(&g, GICD_IROUTER + 33 * 8, 4) == 1 &&
	   vgic_dist_read(&g, GICD_IROUTER + 33 * 8, 1) == 0,
	   "IROUTER byte and halfword accesses are RAZ/WI");
	vgic_dist_write(&g, GICD_IROUTER + 34 * 8, 8, 0xff000000ffUL);
	ok(g.spi[2].target == 0 && vgic_dist_read(&g, GICD_IROUTER + 34 * 8, 8) ==
	   0xff000000ffUL, "IROUTER to a nonexistent vCPU: delivered to vCPU0");
	vgic_dist_write(&g, GICD_IPRIORITYR + 35, 1, 0x48);
	ok(vgic_dist_read(&g, GICD_IPRIORITYR + 32, 4) == 0x48000000,
	   "IPRIORITYR byte write of SPI 35");
	ok(vgic_dist_read(&g, GICD_ICFGR + 9, 1) == 0, "misaligned ICFGR read is RAZ");

	/*
	 * Every offset, every size, read and written with junk: no access
	 * outside the state (AddressSanitizer), and the state stays sane.
	 */
	{
		u32 nv = 3, bad_kick = 0, bad = 0, sz, j;
		u64 off, val = 0x9e3779b97f4a7c15UL;

		vgic_init(&g, nv, vp, 4);
		for (sz = 1; sz <= 8; sz <<= 1) {
			for (off = 0; off < VGIC_GICD_SIZE + 16; off++) {
				val = val * 6364136223846793005UL + 1442695040888963407UL;
				if (off == GICD_CTLR)
					continue;	/* keep it enabled */
				vgic_dist_read(&g, off, sz);
				bad_kick |= vgic_dist_write(&g, off, sz, val);
			}
			for (off = 0; off < nv * VGIC_GICR_STRIDE + 16; off++) {
				val = val * 6364136223846793005UL + 1442695040888963407UL;
				if (!vgic_redist_valid(&g, off))
					continue;
				vgic_redist_read(&g, off, sz);
				bad_kick |= vgic_redist_write(&g, off, sz, val);
			}
		}
		for (j = 0; j < 4096; j++) {
			val = val * 6364136223846793005UL + 1442695040888963407UL;
			bad_kick |= vgic_sgi(&g, j % nv, val);
			bad_kick |= vgic_inject(&g, j % nv, val & 0xffff);
			bad_kick |= vgic_set_level(&g, val >> 48, val & 1);
		}
		for (j = 0; j < 3 * nv; j++) {
			vgic_flush(&g, j % nv);
			vgic_has_pending(&g, j % nv);
			for (i = 0; i < 4; i++)
				vc[j % nv].lr[i] &= ~LR_STATE;	/* EOI all */
			vgic_sync(&g, j % nv);
		}
		for (j = 0; j < VGIC_NR_SPI; j++)
			bad += g.spi[j].target >= nv || g.spi[j].lr >= 4;
		ok(!(bad_kick & ~((1U << nv) - 1)),
		   "junk at every offset and size: kicks only existing vCPUs (0x%x)",
		   bad_kick);
		ok(!bad, "junk at every offset and size: SPI targets and LRs valid");
		ok(vgic_dist_read(&g, GICD_PIDR2, 4) == 0x3b &&
		   (vgic_dist_read(&g, GICD_TYPER, 4) & 0x1f) == 1,
		   "junk writes leave the ID registers alone");
	}
	return tap_done();
}
