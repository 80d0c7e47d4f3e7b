// SPDX-License-Identifier: GPL-2.0-only
/*
 * EL2 stage-1: an identity map, the first GiB as device memory (MMIO on
 * QEMU virt), the rest of the low 256 GiB as normal write-back memory.
 */
#include <arch/mmu.h>
#include <arch/sysregs.h>

#define PTE_BLOCK	0x1UL
#define PTE_ATTR(i)	((u64)(i) << 2)
#define PTE_SH_INNER	(3UL << 8)
#define PTE_AF		BIT(10)
#define PTE_XN		BIT(54)

#define MAIR_DEVICE	0x00	/* attr 0: Device-nGnRnE */
#define MAIR_NORMAL	0xff	/* attr 1: normal, write-back */

static u64 l1_table[512] __aligned(4096);

void mmu_init(void)
{
	int i;

	l1_table[0] = PTE_BLOCK | PTE_ATTR(0) | PTE_AF | PTE_XN;
	for (i = 1; i < 256; i++)
		l1_table[i] = ((u64)i << 30) | PTE_BLOCK | PTE_ATTR(1) |
			      PTE_SH_INNER | PTE_AF;
	dsb_sy();
}

void mmu_enable(void)
{
	u64 tcr = 25 |			/* T0SZ: 39-bit VA, level 1 start */
		  (1UL << 8) | (1UL << 10) | (3UL << 12) |
		  (2UL << 16) |		/* PS: 40 bits */
		  BIT(23) | BIT(31);	/* RES1 */

	write_sysreg(mair_el2, MAIR_DEVICE | (MAIR_NORMAL << 8));
	write_sysreg(tcr_el2, tcr);
	write_sysreg(ttbr0_el2, (u64)l1_table);
	isb();
	asm volatile("tlbi alle2" : : : "memory");
	dsb_sy();
	isb();
	/* RES1 bits, M, C, SA, I; alignment checks off */
	write_sysreg(sctlr_el2, 0x30c50830UL | BIT(0) | BIT(2) | BIT(3) |
		     BIT(12));
	isb();
}
