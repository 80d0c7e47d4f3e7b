/* SPDX-License-Identifier: GPL-2.0-only */
/* minixen's own EL2 stage-1 tables (arch/arm64/mmu.c). */
#ifndef MINIXEN_ARCH_MMU_H
#define MINIXEN_ARCH_MMU_H

void mmu_init(void);
void mmu_enable(void);

#endif
