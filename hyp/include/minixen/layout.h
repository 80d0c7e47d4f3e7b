/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest physical layout of the emulated devices (Xen's, arch-arm.h), and
 * the MMIO accesses to them (core/vmmio.c).
 */
#ifndef MINIXEN_LAYOUT_H
#define MINIXEN_LAYOUT_H

#define GUEST_GICD		0x03001000UL
#define GUEST_GICR		0x03020000UL
#define GUEST_UART		0x22000000UL
#define GUEST_UART_SPI		32
/* The DMA engine of a 1:1 domain (dmaengine.h), clear of Xen's layout */
#define GUEST_MXDMA		0x22100000UL
#define GUEST_MXDMA_SPI		44
#define GUEST_RAM_BASE		0x40000000UL

#include <minixen/lib.h>

struct vcpu;

/*
 * @v's @size-byte access at @ipa (a data abort the arch decoded), *@val
 * written or read. False if no emulated device is there.
 */
bool vmmio_access(struct vcpu *v, u64 ipa, int size, bool write, u64 *val);

#endif
