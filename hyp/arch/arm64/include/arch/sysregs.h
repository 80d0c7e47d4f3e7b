/* SPDX-License-Identifier: GPL-2.0-only */
/* arm64 system register access and architectural constants. */
#ifndef MINIXEN_ARCH_SYSREGS_H
#define MINIXEN_ARCH_SYSREGS_H

#include <minixen/lib.h>

#define read_sysreg(r) ({						\
	u64 __v;							\
	asm volatile("mrs %0, " #r : "=r" (__v));			\
	__v;								\
})

#define write_sysreg(r, v) do {						\
	u64 __v = (u64)(v);						\
	asm volatile("msr " #r ", %x0" : : "rZ" (__v));			\
} while (0)

static inline void isb(void)
{
	asm volatile("isb" : : : "memory");
}

static inline void dsb_sy(void)
{
	asm volatile("dsb sy" : : : "memory");
}

static inline void dsb_ish(void)
{
	asm volatile("dsb ish" : : : "memory");
}

static inline void dsb_nsh(void)
{
	asm volatile("dsb nsh" : : : "memory");
}

static inline void wfi(void)
{
	asm volatile("wfi" : : : "memory");
}

/* GICv3 system registers by encoding (older assemblers lack names). */
#define ICC_IAR1_EL1		S3_0_C12_C12_0
#define ICC_EOIR1_EL1		S3_0_C12_C12_1
#define ICC_PMR_EL1		S3_0_C4_C6_0
#define ICC_CTLR_EL1		S3_0_C12_C12_4
#define ICC_SRE_EL2		S3_4_C12_C9_5
#define ICC_IGRPEN1_EL1		S3_0_C12_C12_7
#define ICC_SGI1R_EL1		S3_0_C12_C11_5
#define ICH_AP1R0_EL2		S3_4_C12_C9_0
#define ICH_HCR_EL2		S3_4_C12_C11_0
#define ICH_VTR_EL2		S3_4_C12_C11_1
#define ICH_MISR_EL2		S3_4_C12_C11_2
#define ICH_VMCR_EL2		S3_4_C12_C11_7
#define ICH_LR0_EL2		S3_4_C12_C12_0
#define ICH_LR1_EL2		S3_4_C12_C12_1
#define ICH_LR2_EL2		S3_4_C12_C12_2
#define ICH_LR3_EL2		S3_4_C12_C12_3
#define ICH_LR4_EL2		S3_4_C12_C12_4
#define ICH_LR5_EL2		S3_4_C12_C12_5
#define ICH_LR6_EL2		S3_4_C12_C12_6
#define ICH_LR7_EL2		S3_4_C12_C12_7

#define HCR_VM		BIT(0)
#define HCR_SWIO	BIT(1)
#define HCR_FMO		BIT(3)
#define HCR_IMO		BIT(4)
#define HCR_AMO		BIT(5)
#define HCR_FB		BIT(9)
#define HCR_BSU_IS	BIT(10)
#define HCR_TWI		BIT(13)
#define HCR_TSC		BIT(19)
#define HCR_RW		BIT(31)

#define ESR_EC(esr)	(((esr) >> 26) & 0x3f)
#define EC_WFX		0x01
#define EC_HVC64	0x16
#define EC_SMC64	0x17
#define EC_SYSREG	0x18
#define EC_IABT_LOW	0x20
#define EC_DABT_LOW	0x24

#define PSR_MODE_EL1H	0x5
#define PSR_DAIF	(0xfUL << 6)
#define PSR_AARCH32	BIT(4)		/* SPSR.M[4]: from AArch32 (EL0) */

/* The guest-facing interrupt numbers (Xen's guest layout). */
#define PPI_HYP_TIMER	26
#define PPI_VTIMER	27
#define PPI_MAINT	25
#define SGI_KICK	0

static inline u32 mmio_read32(u64 addr)
{
	u32 v;

	asm volatile("ldr %w0, [%1]" : "=r" (v) : "r" (addr) : "memory");
	return v;
}

static inline u64 mmio_read64(u64 addr)
{
	u64 v;

	asm volatile("ldr %0, [%1]" : "=r" (v) : "r" (addr) : "memory");
	return v;
}

static inline void mmio_write32(u64 addr, u32 v)
{
	asm volatile("str %w0, [%1]" : : "rZ" (v), "r" (addr) : "memory");
}

static inline u64 cntpct(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

#endif
