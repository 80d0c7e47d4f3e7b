/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A domain's emulated SBSA UART (PL011 subset), output only
 * (core/vpl011.c).
 */
#ifndef MINIXEN_VPL011_H
#define MINIXEN_VPL011_H

#include <minixen/lib.h>

/* Registers (offsets in its 4 KiB page) */
#define UARTDR		0x000
#define UARTFR		0x018
#define UARTIBRD	0x024
#define UARTFBRD	0x028
#define UARTLCR_H	0x02c
#define UARTCR		0x030
#define UARTIMSC	0x038
#define UARTRIS		0x03c
#define UARTMIS		0x040
#define UARTICR		0x044
#define UARTPERIPHID0	0xfe0

struct vcpu;

struct vpl011 {
	u32 imsc, cr, lcr, ibrd, fbrd;
	char line[256];
	u32 len;
};

/* @v accesses offset @off; under d->lock. Returns the vCPUs to kick. */
u32 vpl011_mmio(struct vcpu *v, u64 off, int size, bool write, u64 *val);

#endif
