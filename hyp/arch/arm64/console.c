// SPDX-License-Identifier: GPL-2.0-only
/*
 * minixen's console: the host PL011, one line at a time under a lock so
 * that lines from minixen and from the domains never interleave.
 */
#include <minixen/arch_hooks.h>
#include <minixen/conring.h>
#include <minixen/lib.h>
#include <arch/sysregs.h>

#define UART_DR		0x00
#define UART_FR		0x18
#define UART_FR_TXFF	BIT(5)

static u64 uart = 0x09000000UL;
static struct mx_lock console_lock;	/* one line at a time */
int log_level = LOG_INFO;

void spin_lock(struct mx_lock *l)
{
	u32 tmp, one = 1;

	asm volatile("	sevl\n"
		     "1:	wfe\n"
		     "2:	ldaxr	%w0, [%1]\n"
		     "	cbnz	%w0, 1b\n"
		     "	stxr	%w0, %w2, [%1]\n"
		     "	cbnz	%w0, 2b\n"
		     : "=&r" (tmp) : "r" (&l->locked), "r" (one) : "memory");
}

void spin_unlock(struct mx_lock *l)
{
	asm volatile("stlr wzr, [%0]" : : "r" (&l->locked) : "memory");
}

void console_init(u64 uart_base)
{
	uart = uart_base;
}

void console_putc_raw(char c)
{
	while (mmio_read32(uart + UART_FR) & UART_FR_TXFF)
		;
	mmio_write32(uart + UART_DR, (u8)c);
}

static void put_line(const char *prefix, const char *s, size_t len)
{
	conring_put(prefix, s, len);
	while (*prefix)
		console_putc_raw(*prefix++);
	while (len--) {
		if (*s != '\r')
			console_putc_raw(*s);
		s++;
	}
	console_putc_raw('\n');
}

/* Write one line (no trailing newline in @s) with @prefix. */
void console_write_line(const char *prefix, const char *s, size_t len)
{
	spin_lock(&console_lock);
	put_line(prefix, s, len);
	spin_unlock(&console_lock);
}

static void vlog(const char *fmt, va_list ap)
{
	char buf[256];
	int n;
	char *p, *nl;

	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	while (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	spin_lock(&console_lock);
	for (p = buf; p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		put_line("(MX) ", p, nl ? (size_t)(nl - p) : strlen(p));
	}
	spin_unlock(&console_lock);
}

void mx_log(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
	/* Power off rather than hang: a test run ends at once, not on a timeout. */
	mx_log(LOG_ERR, "minixen: fatal error, powering off");
	arch_power_off(false);
}
