/* SPDX-License-Identifier: GPL-2.0-only */
/* Guest physical layout of the emulated devices (Xen's, arch-arm.h). */
#ifndef MINIXEN_LAYOUT_H
#define MINIXEN_LAYOUT_H

#define GUEST_GICD		0x03001000UL
#define GUEST_GICR		0x03020000UL
#define GUEST_UART		0x22000000UL
#define GUEST_UART_SPI		32
#define GUEST_RAM_BASE		0x40000000UL

#endif
