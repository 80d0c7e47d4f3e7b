// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests: a domain's emulated SBSA UART (hyp/core/vpl011.c):
 * its registers as a guest reads and writes them, the console lines its
 * output makes, its interrupt (SPI 32) through the vGIC
 * (arch/arm64/vgic.c).
 */
#include <minixen/domain.h>
#include <minixen/layout.h>
#include <minixen/vcpu.h>
#include <minixen/vpl011.h>
#include "tap.h"

#define INT_TX		0x20
#define GICD_CTLR	0x0000
#define GICD_ISENABLER	0x0100

static struct domain dom;
static struct vcpu vc;
static char last_line[512];
static int nr_lines;

void console_write_line(const char *prefix, const char *s, size_t len)
{
	snprintf(last_line, sizeof(last_line), "%s%.*s", prefix, (int)len, s);
	nr_lines++;
}

static u64 rd(u64 off)
{
	u64 val = 0xdeadbeef;

	vpl011_mmio(&vc, off, 4, false, &val);
	return val;
}

static u32 wr(u64 off, u64 val)
{
	return vpl011_mmio(&vc, off, 4, true, &val);
}

static void puts_uart(const char *s)
{
	while (*s)
		wr(UARTDR, (u8)*s++);
}

static void test_regs(void)
{
	static const u8 ids[8] = { 0x11, 0x10, 0x14, 0x00,
				   0x0d, 0xf0, 0x05, 0xb1 };
	int i, bad = 0;

	ok(rd(UARTFR) == 0x90, "UARTFR: TX FIFO empty, RX FIFO empty");
	for (i = 0; i < 8; i++)
		bad += rd(0xfe0 + 4 * i) != ids[i];
	ok(!bad, "UARTPeriphID0-3, PCellID0-3: an SBSA UART (PL011 r1p5)");
	ok(rd(0xfdc) == 0 && rd(0x100) == 0 && rd(0x4) == 0,
	   "other offsets read as zero");
	wr(UARTIBRD, 0x27);
	wr(UARTFBRD, 0x4);
	wr(UARTLCR_H, 0x70);
	wr(UARTCR, 0x301);
	ok(rd(UARTIBRD) == 0x27 && rd(UARTFBRD) == 0x4 &&
	   rd(UARTLCR_H) == 0x70 && rd(UARTCR) == 0x301,
	   "IBRD, FBRD, LCR_H, CR read back what was written");
	wr(UARTFR, 0);
	wr(UARTRIS, 0);
	wr(UARTICR, 0x7ff);
	ok(rd(UARTFR) == 0x90 && rd(UARTRIS) == INT_TX,
	   "FR, RIS are read-only; ICR changes nothing");
	wr(UARTIMSC, ~0UL);
	ok(rd(UARTIMSC) == 0x7ff, "IMSC keeps its 11 mask bits only");
	ok(rd(UARTMIS) == INT_TX, "MIS: TX (always ready) and unmasked");
	wr(UARTIMSC, 0);
	ok(rd(UARTRIS) == INT_TX && rd(UARTMIS) == 0,
	   "masked: RIS shows TX, MIS nothing");
	ok(nr_lines == 0, "no console output from register accesses");
}

static void test_output(void)
{
	char want[300];
	int i;

	nr_lines = 0;
	puts_uart("hello");
	ok(nr_lines == 0, "no line before its newline");
	puts_uart(" world\n");
	ok(nr_lines == 1 && !strcmp(last_line, "(guest1) hello world"),
	   "a line, prefixed with the domain's name: \"%s\"", last_line);
	wr(UARTDR, 0x4100 | '\n');
	ok(nr_lines == 2 && !strcmp(last_line, "(guest1) "),
	   "DR takes the low byte only: an empty line");
	for (i = 0; i < 256; i++)
		wr(UARTDR, 'a' + i % 26);
	ok(nr_lines == 3 && strlen(last_line) == 9 + 256,
	   "a 256-character line without newline is flushed when full");
	for (i = 0; i < 256; i++)
		want[i] = 'a' + i % 26;
	ok(!memcmp(last_line + 9, want, 256), "with the characters in order");
	puts_uart("x\n");
	ok(nr_lines == 4 && !strcmp(last_line, "(guest1) x"),
	   "the next line starts afresh");
	ok(dom.uart.len == 0, "nothing buffered after a newline");
}

static void test_irq(void)
{
	u32 kick;

	/* The guest enables the distributor and SPI 32 (routed to vCPU 0). */
	vgic_dist_write(&dom.vgic, GICD_CTLR, 4, 0x12);
	vgic_dist_write(&dom.vgic, GICD_ISENABLER + 4, 4, 1);
	ok(!vgic_has_pending(&dom.vgic, 0), "SPI 32 not pending, IMSC 0");
	kick = wr(UARTIMSC, INT_TX);
	ok(kick == 1 && vgic_has_pending(&dom.vgic, 0),
	   "TX unmasked: SPI 32 pending on vCPU 0, which is kicked");
	wr(UARTIMSC, 0);
	ok(!vgic_has_pending(&dom.vgic, 0), "TX masked again: SPI 32 low");
	wr(UARTIMSC, 1 << 4);	/* RX: never raised */
	ok(!vgic_has_pending(&dom.vgic, 0), "RX unmasked: nothing to raise");
	wr(UARTIMSC, 0);
}

int main(void)
{
	struct vgic_vcpu *vv[1] = { &vc.vgic };

	snprintf(dom.name, sizeof(dom.name), "guest1");
	dom.nr_vcpus = 1;
	dom.vcpu[0] = &vc;
	vc.d = &dom;
	vgic_init(&dom.vgic, 1, vv, 4);
	test_regs();
	test_output();
	test_irq();
	return tap_done();
}
