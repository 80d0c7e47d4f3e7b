/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen: Xen hypercall entry for arm64.
 *
 * Xen's arm64 guest ABI: "hvc #0xEA1" (the immediate tells Xen calls from
 * SMCCC/PSCI calls, which use "hvc #0"), hypercall number in x16,
 * arguments in x0-x4, result in x0.  Xen may clobber x0-x4 and x16, which
 * the AAPCS64 lets a callee clobber anyway, so the C prototype
 *
 *   long pvxen_hypercall(unsigned long op, unsigned long a0, ...,
 *                        unsigned long a4);
 *
 * only has to shift its arguments down by one register.  The symbol is
 * exported from drivers/core (C), which keeps this file free of the
 * kernel's export machinery.
 */
#include <linux/linkage.h>

#define PVXEN_XEN_HVC_IMM	0xEA1

SYM_FUNC_START(pvxen_hypercall)
	mov	x16, x0
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	mov	x3, x4
	mov	x4, x5
	hvc	#PVXEN_XEN_HVC_IMM
	ret
SYM_FUNC_END(pvxen_hypercall)
