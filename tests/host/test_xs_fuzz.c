// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz-style host tests of the xenstore wire code (include/pvxen/xs_wire.h)
 * under ASan/UBSan: random and hostile messages, random ring progress and
 * corrupt indices.  Rings and payloads live in heap blocks of exactly their
 * size, so any read or write past them is caught.
 *
 * PVXEN_TEST_SEED=<n> reproduces a run; PVXEN_XS_FUZZ_ITERS scales it.
 */
#include <string.h>
#include <pvxen/xs_wire.h>
#include "tap.h"

static unsigned long iters = 20000;

static char *ring_alloc(void)
{
	char *r = malloc(PVXEN_XS_RING_SIZE);

	if (!r)
		abort();
	memset(r, 0, PVXEN_XS_RING_SIZE);
	return r;
}

/* Run every payload parser on an exact-size copy of p[0..len). */
static void parse_all(const char *p, u32 len)
{
	char *c = malloc(len ? len : 1);
	const char *a, *b, *s;
	unsigned int d, pm;
	u32 v, off = 0;
	int n;

	if (!c)
		abort();
	memcpy(c, p, len);
	(void)pvxen_xs_errno(c, len);
	(void)pvxen_xs_is_ack(c, len);
	(void)pvxen_xs_parse_u32(c, len, &v);
	(void)pvxen_xs_path_ok(c, len);
	if (pvxen_xs_parse_watch_event(c, len, &a, &b) == 0)
		TAP_CHECK(a >= c && b > a && b < c + len);
	n = pvxen_xs_count_strings(c, len);
	if (n >= 0) {
		int k = 0;

		while ((s = pvxen_xs_next_string(c, len, &off))) {
			(void)pvxen_xs_parse_perm(s, len - (u32)(s - c), &d, &pm);
			k++;
		}
		TAP_CHECK_EQ(k, n);
	}
	free(c);
}

static void rand_bytes(char *p, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		p[i] = (char)tap_rng();
}

/*
 * A random message goes through a ring in random steps (writer and
 * reader each move a random amount) and arrives intact.
 */
static void t_roundtrip(void)
{
	static char msg[PVXEN_XS_MSG_MAX], pay[PVXEN_XS_PAYLOAD_MAX];
	static struct pvxen_xs_rx rx;
	char *ring = ring_alloc();
	u32 prod = (u32)tap_rng(), cons = prod;	/* any start, incl. wrap */
	unsigned long i;

	for (i = 0; i < iters / 10; i++) {
		u32 len = (u32)tap_rng_below(PVXEN_XS_PAYLOAD_MAX + 1), off = 0;
		struct pvxen_xs_iov iov = { pay, len };
		int m, r = PVXEN_XS_RING_MORE, w = PVXEN_XS_RING_MORE;

		if (tap_rng_below(4) == 0)
			len = (u32)tap_rng_below(64);
		iov.len = len;
		rand_bytes(pay, len);
		m = pvxen_xs_build(msg, sizeof(msg), (u32)tap_rng_below(23),
				   (u32)tap_rng(), (u32)tap_rng(), &iov, 1);
		TAP_CHECK_EQ(m, 16 + len);
		pvxen_xs_rx_reset(&rx);
		while (r != PVXEN_XS_RING_DONE) {
			/* The writer publishes a random prefix of what fits. */
			if (w != PVXEN_XS_RING_DONE) {
				u32 lim = off + (u32)tap_rng_below(PVXEN_XS_RING_SIZE + 1);

				if (lim > (u32)m)
					lim = (u32)m;
				w = pvxen_xs_tx_feed(ring, cons, &prod, msg, lim, &off);
				TAP_CHECK(w >= 0);
				if (w < 0)
					goto out;
				w = off == (u32)m ? PVXEN_XS_RING_DONE :
						    PVXEN_XS_RING_MORE;
			}
			r = pvxen_xs_rx_feed(&rx, ring, &cons, prod);
			TAP_CHECK(r >= 0);
			if (r < 0)
				goto out;
			TAP_CHECK(pvxen_xs_ring_used(cons, prod) >= 0);
		}
		TAP_CHECK_EQ(rx.have, (u32)m);
		TAP_CHECK(!memcmp(rx.msg.raw, msg, (size_t)m));
		TAP_CHECK_EQ(cons, prod);
		parse_all(pvxen_xs_rx_payload(&rx), rx.msg.hdr.len);
	}
out:
	free(ring);
}

/*
 * Hostile stream: random bytes behind random, sometimes corrupt, producer
 * indices.  The reader never copies more than a message, never accepts a
 * length over PAYLOAD_MAX, and refuses indices more than a ring apart
 * without touching anything.
 */
static void t_hostile_stream(void)
{
	static struct pvxen_xs_rx rx;
	char *ring = ring_alloc();
	u32 cons = (u32)tap_rng();
	unsigned long i, msgs = 0, elen = 0, eidx = 0;

	pvxen_xs_rx_reset(&rx);
	for (i = 0; i < iters; i++) {
		u32 prod, before_cons = cons, before_have = rx.have;
		int r;

		rand_bytes(ring, PVXEN_XS_RING_SIZE);
		/* Small headers often, so that whole messages complete. */
		if (rx.have < 16 && tap_rng_below(2)) {
			u32 l = (u32)tap_rng_below(40);

			ring[(cons + 12) % PVXEN_XS_RING_SIZE] = (char)l;
			ring[(cons + 13) % PVXEN_XS_RING_SIZE] = 0;
			ring[(cons + 14) % PVXEN_XS_RING_SIZE] = 0;
			ring[(cons + 15) % PVXEN_XS_RING_SIZE] = 0;
		}
		switch (tap_rng_below(4)) {
		case 0:		/* anything at all */
			prod = (u32)tap_rng();
			break;
		case 1:		/* just past a full ring */
			prod = cons + PVXEN_XS_RING_SIZE + 1 +
			       (u32)tap_rng_below(8);
			break;
		default:
			prod = cons + (u32)tap_rng_below(PVXEN_XS_RING_SIZE + 1);
		}
		r = pvxen_xs_rx_feed(&rx, ring, &cons, prod);
		TAP_CHECK(rx.have <= PVXEN_XS_MSG_MAX);
		TAP_CHECK(cons - before_cons <= PVXEN_XS_RING_SIZE);
		if (r == PVXEN_XS_RING_EINDEX) {
			eidx++;
			TAP_CHECK(pvxen_xs_ring_used(before_cons, prod) < 0);
			TAP_CHECK_EQ(cons, before_cons);
			TAP_CHECK_EQ(rx.have, before_have);
		} else if (r == PVXEN_XS_RING_ELEN) {
			elen++;
			TAP_CHECK(rx.msg.hdr.len > PVXEN_XS_PAYLOAD_MAX);
			TAP_CHECK_EQ(rx.have, PVXEN_XS_HDR_SIZE);
			pvxen_xs_rx_reset(&rx);	/* a new connection */
		} else if (r == PVXEN_XS_RING_DONE) {
			msgs++;
			TAP_CHECK(rx.msg.hdr.len <= PVXEN_XS_PAYLOAD_MAX);
			TAP_CHECK_EQ(rx.have, 16 + rx.msg.hdr.len);
			parse_all(pvxen_xs_rx_payload(&rx), rx.msg.hdr.len);
			pvxen_xs_rx_reset(&rx);
		} else {
			TAP_CHECK_EQ(r, PVXEN_XS_RING_MORE);
			TAP_CHECK_EQ(cons, prod);
		}
	}
	tap_diag("hostile stream: %lu messages, %lu bad lengths, %lu bad indices",
		 msgs, elen, eidx);
	TAP_CHECK(msgs > 0 && elen > 0 && eidx > 0);
	free(ring);
}

/* The writer refuses a consumer index that is ahead of it or too far back. */
static void t_tx_corrupt_cons(void)
{
	static char msg[PVXEN_XS_MSG_MAX];
	char *ring = ring_alloc();
	unsigned long i;

	rand_bytes(msg, sizeof(msg));
	for (i = 0; i < iters; i++) {
		u32 prod = (u32)tap_rng(), cons, p0, off = 0;
		int r;

		cons = tap_rng_below(2) ? (u32)tap_rng() :
		       prod - (u32)tap_rng_below(PVXEN_XS_RING_SIZE + 1);
		p0 = prod;
		r = pvxen_xs_tx_feed(ring, cons, &prod, msg, sizeof(msg), &off);
		if (pvxen_xs_ring_used(cons, p0) < 0) {
			TAP_CHECK_EQ(r, PVXEN_XS_RING_EINDEX);
			TAP_CHECK_EQ(prod, p0);
			TAP_CHECK_EQ(off, 0);
		} else {
			TAP_CHECK_EQ(r, PVXEN_XS_RING_MORE);
			TAP_CHECK_EQ(prod - cons, PVXEN_XS_RING_SIZE);
			TAP_CHECK_EQ(off, prod - p0);
		}
	}
	free(ring);
}

/* Random payloads of every small length through every parser. */
static void t_parsers_random(void)
{
	static const char alphabet[] = "EOKN0123456789/\0rwbn@AGIN";
	char buf[64];
	unsigned long i;

	for (i = 0; i < iters * 4; i++) {
		u32 len = (u32)tap_rng_below(sizeof(buf) + 1), j;

		for (j = 0; j < len; j++)
			buf[j] = tap_rng_below(2) ? (char)tap_rng() :
				 alphabet[tap_rng_below(sizeof(alphabet) - 1)];
		parse_all(buf, len);
	}
}

static const struct tap_case cases[] = {
	{ "random messages survive a ring in random steps", t_roundtrip },
	{ "hostile stream: bounded copies, bad lengths and indices refused",
	  t_hostile_stream },
	{ "writer refuses a corrupt consumer index", t_tx_corrupt_cons },
	{ "parsers stay in bounds on random payloads", t_parsers_random },
};

int main(void)
{
	const char *it = getenv("PVXEN_XS_FUZZ_ITERS");

	if (it)
		iters = strtoul(it, NULL, 0);
	tap_plan(ARRAY_SIZE(cases));
	tap_rng_seed(0x78737a7aULL);
	tap_run_cases(cases, ARRAY_SIZE(cases));
	return tap_exit();
}
