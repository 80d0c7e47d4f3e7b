// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests for include/pvxen/xs_wire.h: constants and layout against
 * Xen's own public header, framing, builders and payload parsers.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <pvxen/xs_wire.h>
#include <xen/io/xs_wire.h>
#include "tap.h"

static void t_constants_match_xen(void)
{
	TAP_CHECK_EQ(PVXEN_XS_DIRECTORY, XS_DIRECTORY);
	TAP_CHECK_EQ(PVXEN_XS_READ, XS_READ);
	TAP_CHECK_EQ(PVXEN_XS_GET_PERMS, XS_GET_PERMS);
	TAP_CHECK_EQ(PVXEN_XS_WATCH, XS_WATCH);
	TAP_CHECK_EQ(PVXEN_XS_UNWATCH, XS_UNWATCH);
	TAP_CHECK_EQ(PVXEN_XS_TRANSACTION_START, XS_TRANSACTION_START);
	TAP_CHECK_EQ(PVXEN_XS_TRANSACTION_END, XS_TRANSACTION_END);
	TAP_CHECK_EQ(PVXEN_XS_INTRODUCE, XS_INTRODUCE);
	TAP_CHECK_EQ(PVXEN_XS_RELEASE, XS_RELEASE);
	TAP_CHECK_EQ(PVXEN_XS_GET_DOMAIN_PATH, XS_GET_DOMAIN_PATH);
	TAP_CHECK_EQ(PVXEN_XS_WRITE, XS_WRITE);
	TAP_CHECK_EQ(PVXEN_XS_MKDIR, XS_MKDIR);
	TAP_CHECK_EQ(PVXEN_XS_RM, XS_RM);
	TAP_CHECK_EQ(PVXEN_XS_SET_PERMS, XS_SET_PERMS);
	TAP_CHECK_EQ(PVXEN_XS_WATCH_EVENT, XS_WATCH_EVENT);
	TAP_CHECK_EQ(PVXEN_XS_ERROR, XS_ERROR);
	TAP_CHECK_EQ(PVXEN_XS_IS_DOMAIN_INTRODUCED, XS_IS_DOMAIN_INTRODUCED);
	TAP_CHECK_EQ(PVXEN_XS_RESUME, XS_RESUME);
	TAP_CHECK_EQ(PVXEN_XS_SET_TARGET, XS_SET_TARGET);
	TAP_CHECK_EQ(PVXEN_XS_RESET_WATCHES, XS_RESET_WATCHES);
	TAP_CHECK_EQ(PVXEN_XS_DIRECTORY_PART, XS_DIRECTORY_PART);
	TAP_CHECK_EQ(PVXEN_XS_TYPE_COUNT, XS_TYPE_COUNT);
	TAP_CHECK_EQ(PVXEN_XS_INVALID, XS_INVALID);
	TAP_CHECK_EQ(PVXEN_XS_RING_SIZE, XENSTORE_RING_SIZE);
	TAP_CHECK_EQ(PVXEN_XS_PAYLOAD_MAX, XENSTORE_PAYLOAD_MAX);
	TAP_CHECK_EQ(PVXEN_XS_ABS_PATH_MAX, XENSTORE_ABS_PATH_MAX);
	TAP_CHECK_EQ(PVXEN_XS_REL_PATH_MAX, XENSTORE_REL_PATH_MAX);
	TAP_CHECK_EQ(PVXEN_XS_FEATURE_RECONNECTION,
		     XENSTORE_SERVER_FEATURE_RECONNECTION);
	TAP_CHECK_EQ(PVXEN_XS_FEATURE_ERROR, XENSTORE_SERVER_FEATURE_ERROR);
	TAP_CHECK_EQ(PVXEN_XS_CONNECTED, XENSTORE_CONNECTED);
	TAP_CHECK_EQ(PVXEN_XS_RECONNECT, XENSTORE_RECONNECT);
}

#define PVX_OFF(f) offsetof(struct pvxen_xs_ring_page, f)
#define XEN_OFF(f) offsetof(struct xenstore_domain_interface, f)

static void t_layout_matches_xen(void)
{
	TAP_CHECK_EQ(sizeof(struct pvxen_xs_hdr), sizeof(struct xsd_sockmsg));
	TAP_CHECK_EQ(PVXEN_XS_HDR_SIZE, sizeof(struct xsd_sockmsg));
	TAP_CHECK_EQ(offsetof(struct pvxen_xs_hdr, req_id),
		     offsetof(struct xsd_sockmsg, req_id));
	TAP_CHECK_EQ(offsetof(struct pvxen_xs_hdr, tx_id),
		     offsetof(struct xsd_sockmsg, tx_id));
	TAP_CHECK_EQ(offsetof(struct pvxen_xs_hdr, len),
		     offsetof(struct xsd_sockmsg, len));
	TAP_CHECK_EQ(sizeof(struct pvxen_xs_ring_page),
		     sizeof(struct xenstore_domain_interface));
	TAP_CHECK_EQ(PVX_OFF(rsp), XEN_OFF(rsp));
	TAP_CHECK_EQ(PVX_OFF(req_cons), XEN_OFF(req_cons));
	TAP_CHECK_EQ(PVX_OFF(req_prod), XEN_OFF(req_prod));
	TAP_CHECK_EQ(PVX_OFF(rsp_cons), XEN_OFF(rsp_cons));
	TAP_CHECK_EQ(PVX_OFF(rsp_prod), XEN_OFF(rsp_prod));
	TAP_CHECK_EQ(PVX_OFF(server_features), XEN_OFF(server_features));
	TAP_CHECK_EQ(PVX_OFF(connection), XEN_OFF(connection));
	TAP_CHECK_EQ(PVX_OFF(error), XEN_OFF(error));
	TAP_CHECK_EQ(offsetof(struct pvxen_xs_ring_page, req_cons), 2048);
}

static void t_errnos_match(void)
{
	unsigned int i;

	/* Every name Xen's table has maps to the host's (Linux) number. */
	for (i = 0; i < ARRAY_SIZE(xsd_errors); i++) {
		const char *s = xsd_errors[i].errstring;

		TAP_CHECK_EQ(pvxen_xs_errno(s, strlen(s) + 1),
			     xsd_errors[i].errnum);
	}
	TAP_CHECK_EQ(PVXEN_XS_EISCONN, EISCONN);
	TAP_CHECK_EQ(PVXEN_XS_ENOTEMPTY, ENOTEMPTY);
	/* Malformed error payloads. */
	TAP_CHECK_EQ(pvxen_xs_errno("ENOENT", 6), -1);		/* no NUL */
	TAP_CHECK_EQ(pvxen_xs_errno("ENOENT\0x", 8), -1);	/* trailing */
	TAP_CHECK_EQ(pvxen_xs_errno("EWHAT", 6), -1);		/* unknown */
	TAP_CHECK_EQ(pvxen_xs_errno("", 1), -1);
	TAP_CHECK_EQ(pvxen_xs_errno("", 0), -1);
	TAP_CHECK_EQ(pvxen_xs_errno("ENOEN", 6), -1);		/* prefix */
	TAP_CHECK_EQ(pvxen_xs_errno("ENOENTX", 8), -1);	/* longer */
}

static void t_build(void)
{
	char buf[PVXEN_XS_MSG_MAX];
	static char big[PVXEN_XS_PAYLOAD_MAX + 1];
	struct pvxen_xs_iov iov[2] = { { "a/b", 4 }, { "val", 3 } };
	struct pvxen_xs_hdr h;
	int n;

	n = pvxen_xs_build(buf, sizeof(buf), PVXEN_XS_WRITE, 7, 3, iov, 2);
	TAP_CHECK_EQ(n, 16 + 7);
	memcpy(&h, buf, sizeof(h));
	TAP_CHECK_EQ(h.type, PVXEN_XS_WRITE);
	TAP_CHECK_EQ(h.req_id, 7);
	TAP_CHECK_EQ(h.tx_id, 3);
	TAP_CHECK_EQ(h.len, 7);
	TAP_CHECK(!memcmp(buf + 16, "a/b\0val", 7));
	/* Exactly PAYLOAD_MAX fits, one more does not. */
	iov[0].base = big;
	iov[0].len = PVXEN_XS_PAYLOAD_MAX;
	TAP_CHECK_EQ(pvxen_xs_build(buf, sizeof(buf), 1, 1, 0, iov, 1),
		     PVXEN_XS_MSG_MAX);
	iov[0].len = PVXEN_XS_PAYLOAD_MAX + 1;
	TAP_CHECK_EQ(pvxen_xs_build(buf, sizeof(buf), 1, 1, 0, iov, 1), -1);
	/* Overflowing sums of pieces are caught. */
	iov[0].len = 0xfffffff0u;
	iov[1].len = 0x20;
	TAP_CHECK_EQ(pvxen_xs_build(buf, sizeof(buf), 1, 1, 0, iov, 2), -1);
	/* A small buffer is caught. */
	iov[0].len = 10;
	TAP_CHECK_EQ(pvxen_xs_build(buf, 20, 1, 1, 0, iov, 1), -1);
	TAP_CHECK_EQ(pvxen_xs_build(buf, 8, 1, 1, 0, iov, 0), -1);
}

static void t_parsers(void)
{
	const char *a, *b, *s;
	unsigned int d, p;
	u32 v, off;

	TAP_CHECK(pvxen_xs_is_ack("OK", 3));
	TAP_CHECK(!pvxen_xs_is_ack("OK", 2));
	TAP_CHECK(!pvxen_xs_is_ack("OK\0\0", 4));
	TAP_CHECK(!pvxen_xs_is_ack("NO", 3));

	TAP_CHECK(pvxen_xs_parse_u32("42", 3, &v) == 0 && v == 42);
	TAP_CHECK(pvxen_xs_parse_u32("4294967295", 11, &v) == 0 &&
		  v == 4294967295u);
	TAP_CHECK_EQ(pvxen_xs_parse_u32("4294967296", 11, &v), -1);
	TAP_CHECK_EQ(pvxen_xs_parse_u32("42", 2, &v), -1);
	TAP_CHECK_EQ(pvxen_xs_parse_u32("", 1, &v), -1);
	TAP_CHECK_EQ(pvxen_xs_parse_u32("4a", 3, &v), -1);
	TAP_CHECK_EQ(pvxen_xs_parse_u32("-1", 3, &v), -1);
	TAP_CHECK_EQ(pvxen_xs_parse_u32("12345678901", 12, &v), -1);

	TAP_CHECK_EQ(pvxen_xs_count_strings("", 0), 0);
	TAP_CHECK_EQ(pvxen_xs_count_strings("a\0bc\0", 5), 2);
	TAP_CHECK_EQ(pvxen_xs_count_strings("a\0bc", 4), -1);
	off = 0;
	s = pvxen_xs_next_string("a\0bc\0", 5, &off);
	TAP_CHECK(s && !strcmp(s, "a"));
	s = pvxen_xs_next_string("a\0bc\0", 5, &off);
	TAP_CHECK(s && !strcmp(s, "bc"));
	TAP_CHECK(!pvxen_xs_next_string("a\0bc\0", 5, &off));

	TAP_CHECK(pvxen_xs_parse_watch_event("/p\0tok\0", 7, &a, &b) == 0 &&
		  !strcmp(a, "/p") && !strcmp(b, "tok"));
	TAP_CHECK_EQ(pvxen_xs_parse_watch_event("/p\0tok", 6, &a, &b), -1);
	TAP_CHECK_EQ(pvxen_xs_parse_watch_event("/p\0", 3, &a, &b), -1);

	TAP_CHECK(pvxen_xs_parse_perm("r5", 3, &d, &p) == 0 && d == 5 &&
		  p == PVXEN_XS_PERM_READ);
	TAP_CHECK(pvxen_xs_parse_perm("b65535", 7, &d, &p) == 0 &&
		  d == 65535 && p == PVXEN_XS_PERM_BOTH);
	TAP_CHECK(pvxen_xs_parse_perm("n0", 3, &d, &p) == 0 && d == 0 &&
		  p == PVXEN_XS_PERM_NONE);
	TAP_CHECK_EQ(pvxen_xs_parse_perm("b65536", 7, &d, &p), -1);
	TAP_CHECK_EQ(pvxen_xs_parse_perm("x1", 3, &d, &p), -1);
	TAP_CHECK_EQ(pvxen_xs_parse_perm("r", 2, &d, &p), -1);
	TAP_CHECK_EQ(pvxen_xs_parse_perm("r1", 2, &d, &p), -1);
	TAP_CHECK_EQ(pvxen_xs_parse_perm("r1x", 4, &d, &p), -1);
}

static void t_perm_roundtrip(void)
{
	unsigned int d, p, d2, p2;
	char buf[8];

	for (p = 0; p < 4; p++)
		for (d = 0; d <= 65535; d += 257) {
			int n = pvxen_xs_format_perm(buf, d, p);

			TAP_CHECK(n > 0 && (u32)n == strlen(buf));
			TAP_CHECK(pvxen_xs_parse_perm(buf, n + 1, &d2, &p2) == 0);
			TAP_CHECK(d2 == d && p2 == p);
		}
	TAP_CHECK_EQ(pvxen_xs_format_perm(buf, 65536, 0), -1);
	TAP_CHECK_EQ(pvxen_xs_format_perm(buf, 1, 4), -1);
}

static void t_paths(void)
{
	static char longp[PVXEN_XS_ABS_PATH_MAX + 2];

	TAP_CHECK(pvxen_xs_path_ok("/", 2));
	TAP_CHECK(pvxen_xs_path_ok("/local/domain/1/name", 21));
	TAP_CHECK(pvxen_xs_path_ok("device/vif/0", 13));
	TAP_CHECK(pvxen_xs_path_ok("@releaseDomain", 15));
	TAP_CHECK(pvxen_xs_path_ok("a_b-c@d", 8));
	TAP_CHECK(!pvxen_xs_path_ok("", 1));
	TAP_CHECK(!pvxen_xs_path_ok("/a//b", 6));
	TAP_CHECK(!pvxen_xs_path_ok("/a/", 4));
	TAP_CHECK(!pvxen_xs_path_ok("/a b", 5));
	TAP_CHECK(!pvxen_xs_path_ok("/a.b", 5));
	TAP_CHECK(!pvxen_xs_path_ok("/abc", 4));	/* no NUL in range */
	memset(longp, 'a', sizeof(longp) - 1);
	longp[0] = '/';
	longp[PVXEN_XS_ABS_PATH_MAX] = '\0';
	TAP_CHECK(pvxen_xs_path_ok(longp, sizeof(longp)));
	longp[PVXEN_XS_ABS_PATH_MAX] = 'a';
	TAP_CHECK(!pvxen_xs_path_ok(longp, sizeof(longp)));
	longp[0] = 'a';
	longp[PVXEN_XS_REL_PATH_MAX] = '\0';
	TAP_CHECK(pvxen_xs_path_ok(longp, sizeof(longp)));
	longp[PVXEN_XS_REL_PATH_MAX] = 'a';
	longp[PVXEN_XS_REL_PATH_MAX + 1] = '\0';
	TAP_CHECK(!pvxen_xs_path_ok(longp, sizeof(longp)));
	TAP_CHECK(pvxen_xs_reply_type_ok(PVXEN_XS_READ, PVXEN_XS_READ));
	TAP_CHECK(pvxen_xs_reply_type_ok(PVXEN_XS_READ, PVXEN_XS_ERROR));
	TAP_CHECK(!pvxen_xs_reply_type_ok(PVXEN_XS_READ, PVXEN_XS_WRITE));
	TAP_CHECK(!pvxen_xs_reply_type_ok(PVXEN_XS_READ,
					  PVXEN_XS_WATCH_EVENT));
}

static void t_ring_used(void)
{
	TAP_CHECK_EQ(pvxen_xs_ring_used(0, 0), 0);
	TAP_CHECK_EQ(pvxen_xs_ring_used(0, 1024), 1024);
	TAP_CHECK_EQ(pvxen_xs_ring_used(0, 1025), -1);
	TAP_CHECK_EQ(pvxen_xs_ring_used(5, 4), -1);		/* backwards */
	TAP_CHECK_EQ(pvxen_xs_ring_used(0xfffffff0u, 0x10), 0x20);	/* wrap */
	TAP_CHECK_EQ(pvxen_xs_ring_used(0xfffffff0u, 0x400), -1);
}

/*
 * A reply header announcing more than PAYLOAD_MAX bytes is refused as soon
 * as the header is complete, with nothing of the payload consumed; exactly
 * PAYLOAD_MAX is a message like any other.
 */
static void t_rx_len(void)
{
	static char ring[PVXEN_XS_RING_SIZE];
	static struct pvxen_xs_rx rx;
	struct pvxen_xs_hdr h = { .type = PVXEN_XS_READ, .req_id = 7 };
	u32 cons = 0;

	h.len = PVXEN_XS_PAYLOAD_MAX + 1;
	memcpy(ring, &h, sizeof(h));
	pvxen_xs_rx_reset(&rx);
	TAP_CHECK_EQ(pvxen_xs_rx_feed(&rx, ring, &cons, PVXEN_XS_RING_SIZE),
		     PVXEN_XS_RING_ELEN);
	TAP_CHECK_EQ(cons, PVXEN_XS_HDR_SIZE);
	TAP_CHECK_EQ(rx.have, PVXEN_XS_HDR_SIZE);

	h.len = PVXEN_XS_RING_SIZE - PVXEN_XS_HDR_SIZE;
	memcpy(ring, &h, sizeof(h));
	cons = 0;
	pvxen_xs_rx_reset(&rx);
	TAP_CHECK_EQ(pvxen_xs_rx_feed(&rx, ring, &cons, PVXEN_XS_RING_SIZE),
		     PVXEN_XS_RING_DONE);
	TAP_CHECK_EQ(rx.have, PVXEN_XS_RING_SIZE);
}

static const struct tap_case cases[] = {
	{ "message types and ring constants equal Xen's", t_constants_match_xen },
	{ "header and ring page layout equal Xen's", t_layout_matches_xen },
	{ "error names map to Xen's numbers, malformed ones to -1",
	  t_errnos_match },
	{ "request builder: layout, payload limit, overflow", t_build },
	{ "payload parsers: ack, number, strings, watch event, perms",
	  t_parsers },
	{ "permission entries format/parse round trip", t_perm_roundtrip },
	{ "path validation and reply type check", t_paths },
	{ "ring index distance, wrap and corruption", t_ring_used },
	{ "reader refuses a header longer than the payload limit", t_rx_len },
};

int main(void)
{
	tap_plan(ARRAY_SIZE(cases));
	tap_run_cases(cases, ARRAY_SIZE(cases));
	return tap_exit();
}
