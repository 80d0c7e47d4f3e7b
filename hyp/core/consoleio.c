// SPDX-License-Identifier: GPL-2.0-only
/*
 * console_io: CONSOLEIO_write prints what a domain writes on minixen's
 * console, a line at a time as "(name) ...", like its emulated UART.
 * Every domain may write (Xen's release builds allow the hardware
 * domain only); reading gives nothing.
 */
#include <minixen/domain.h>
#include <minixen/guest_access.h>
#include <minixen/hypercall.h>
#include <minixen/vcpu.h>

#define CONSOLEIO_MAX	16384	/* bytes taken per call; the rest dropped */
#define CONSOLEIO_CHUNK	128

static void flush_line(struct domain *d)
{
	char prefix[NAME_LEN + 4];

	snprintf(prefix, sizeof(prefix), "(%s) ", d->name);
	console_write_line(prefix, d->xen.con_line, d->xen.con_len);
	d->xen.con_len = 0;
}

static void put_chars(struct domain *d, const char *s, size_t n)
{
	struct xen_dom *x = &d->xen;
	size_t i;

	spin_lock(&d->lock);
	for (i = 0; i < n; i++) {
		if (s[i] == '\n') {
			flush_line(d);
			continue;
		}
		x->con_line[x->con_len++] = s[i];
		if (x->con_len == sizeof(x->con_line))
			flush_line(d);
	}
	spin_unlock(&d->lock);
}

static long write(struct vcpu *v, u64 count, u64 buf)
{
	char chunk[CONSOLEIO_CHUNK];
	u64 done, n;

	count = MIN(count, CONSOLEIO_MAX);
	for (done = 0; done < count; done += n) {
		n = MIN(count - done, sizeof(chunk));
		if (copy_from_guest(v, chunk, buf + done, n))
			return -XEN_EFAULT;
		put_chars(v->d, chunk, n);
	}
	return 0;
}

long do_console_io(struct vcpu *v, struct hc_call *c)
{
	switch ((u32)c->a[0]) {
	case CONSOLEIO_write:
		return write(v, (u32)c->a[1], c->a[2]);
	case CONSOLEIO_read:
		return 0;
	default:
		return -XEN_ENOSYS;
	}
}
