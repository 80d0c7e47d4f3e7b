// SPDX-License-Identifier: GPL-2.0-only
/*
 * Emulated SBSA UART (PL011 subset), one per domain, output only: what a
 * domain writes reaches minixen's console a line at a time, prefixed
 * with the domain's name. The transmit FIFO is always empty.
 */
#include <minixen/domain.h>
#include <minixen/vcpu.h>
#include <minixen/vpl011.h>
#include <minixen/layout.h>

#define FR_RXFE		BIT(4)
#define FR_TXFE		BIT(7)
#define INT_TX		BIT(5)

static const u8 ids[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static void flush_line(struct domain *d)
{
	char prefix[NAME_LEN + 4];

	snprintf(prefix, sizeof(prefix), "(%s) ", d->name);
	console_write_line(prefix, d->uart.line, d->uart.len);
	d->uart.len = 0;
}

static void put_char(struct domain *d, char c)
{
	struct vpl011 *u = &d->uart;

	if (c == '\n') {
		flush_line(d);
		return;
	}
	u->line[u->len++] = c;
	if (u->len == sizeof(u->line))
		flush_line(d);
}

static u32 ris(struct vpl011 *u)
{
	return INT_TX;
}

/* Called with d->lock held; returns vCPUs to kick. */
u32 vpl011_mmio(struct vcpu *v, u64 off, int size, bool write, u64 *val)
{
	struct domain *d = v->d;
	struct vpl011 *u = &d->uart;

	if (!write) {
		switch (off) {
		case UARTFR:
			*val = FR_TXFE | FR_RXFE;
			break;
		case UARTIBRD:
			*val = u->ibrd;
			break;
		case UARTFBRD:
			*val = u->fbrd;
			break;
		case UARTLCR_H:
			*val = u->lcr;
			break;
		case UARTCR:
			*val = u->cr;
			break;
		case UARTIMSC:
			*val = u->imsc;
			break;
		case UARTRIS:
			*val = ris(u);
			break;
		case UARTMIS:
			*val = ris(u) & u->imsc;
			break;
		default:
			*val = off >= UARTPERIPHID0 && off < 0x1000 ?
			       ids[(off - UARTPERIPHID0) / 4] : 0;
			break;
		}
		return 0;
	}
	switch (off) {
	case UARTDR:
		put_char(d, (char)*val);
		break;
	case UARTIBRD:
		u->ibrd = *val;
		break;
	case UARTFBRD:
		u->fbrd = *val;
		break;
	case UARTLCR_H:
		u->lcr = *val;
		break;
	case UARTCR:
		u->cr = *val;
		break;
	case UARTIMSC:
		u->imsc = *val & 0x7ff;
		break;
	default:
		break;
	}
	return vgic_set_level(&d->vgic, GUEST_UART_SPI, ris(u) & u->imsc);
}
