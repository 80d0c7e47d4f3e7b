// SPDX-License-Identifier: GPL-2.0-only
/*
 * Translation unit compiled with -ffreestanding -nostdlib -nostdinc for
 * aarch64 (as minixen's xenstored would be) and for the host: every
 * function of xs_wire.h is used, so its code is generated and must need
 * no library.
 */
#include <pvxen/xs_wire.h>

int pvxen_xs_freestanding_check(struct pvxen_xs_rx *rx, char *ring, u32 *cons,
				u32 prod, char *msg, const char *p, u32 len);

int pvxen_xs_freestanding_check(struct pvxen_xs_rx *rx, char *ring, u32 *cons,
				u32 prod, char *msg, const char *p, u32 len)
{
	struct pvxen_xs_iov iov = { p, len };
	unsigned int d = 0, pm = 0;
	const char *a, *b;
	u32 v, off = 0;
	char buf[8];
	int r;

	r = pvxen_xs_rx_feed(rx, ring, cons, prod);
	r += pvxen_xs_tx_feed(ring, *cons, cons, msg, len, &off);
	r += pvxen_xs_build(msg, PVXEN_XS_MSG_MAX, PVXEN_XS_READ, 2, 3, &iov, 1);
	r += pvxen_xs_errno(p, len) + pvxen_xs_is_ack(p, len);
	r += pvxen_xs_parse_u32(p, len, &v);
	r += pvxen_xs_count_strings(p, len);
	r += pvxen_xs_parse_watch_event(p, len, &a, &b);
	r += pvxen_xs_parse_perm(p, len, &d, &pm);
	r += pvxen_xs_format_perm(buf, d, pm) + pvxen_xs_path_ok(p, len);
	r += pvxen_xs_reply_type_ok(PVXEN_XS_READ, PVXEN_XS_ERROR);
	r += pvxen_xs_next_string(p, len, &off) != 0;
	r += pvxen_xs_ring_used(*cons, prod);
	pvxen_xs_rx_reset(rx);
	return r + (pvxen_xs_rx_payload(rx) != 0);
}
