/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A guest's end of a xenstore ring, for the host tests and the fuzzer:
 * writes requests into its req ring, lets the store process them, reads
 * responses and watch events back the way Linux's xenbus does.
 */
#ifndef XS_GUEST_H
#define XS_GUEST_H

#include <minixen/xenstore.h>

#define XG_EVMAX	64

struct xg {
	struct xs_store *s;
	struct xenstore_domain_interface ring __aligned(64);
	u16 domid;
	int kicks;
	u32 req_id;
	u8 rx[2 * XENSTORE_PAYLOAD_MAX];	/* read from rsp, not parsed */
	u32 rx_len;
	u32 rtype;				/* last reply */
	u32 rlen;
	char rbuf[XENSTORE_PAYLOAD_MAX + 1];
	long nreplies, nerrors;			/* replies seen */
	int nev;				/* watch events seen */
	char evpath[XG_EVMAX][128];
	char evtok[XG_EVMAX][32];
};

static inline void xg_notify(void *ctx, u16 domid)
{
	((struct xg *)ctx)->kicks++;
}

static inline int xg_intro(struct xs_store *s, struct xg *g, u16 domid,
			   bool priv)
{
	memset(g, 0, sizeof(*g));
	g->s = s;
	g->domid = domid;
	return xs_domain_introduce(s, domid, &g->ring, xg_notify, g, priv);
}

/* Put bytes into the request ring (as far as there is room). */
static inline u32 xg_put(struct xg *g, const void *p, u32 len)
{
	struct xenstore_domain_interface *r = &g->ring;
	u32 n = 0;

	while (n < len && r->req_prod - r->req_cons < XENSTORE_RING_SIZE) {
		r->req[MASK_XENSTORE_IDX(r->req_prod)] = ((const u8 *)p)[n++];
		__sync_synchronize();
		r->req_prod++;
	}
	return n;
}

static inline void xg_process(struct xg *g)
{
	int i;

	for (i = 0; i < 100 && xs_domain_process(g->s, g->domid) == 1; i++)
		;
}

/* Take what the rsp ring holds; kick the store (which refills it). */
static inline void xg_pump(struct xg *g)
{
	struct xenstore_domain_interface *r = &g->ring;
	int i;

	for (i = 0; i < 16; i++) {
		if (r->rsp_prod - r->rsp_cons > XENSTORE_RING_SIZE)
			return;		/* the fuzzer broke this ring */
		while (r->rsp_cons != r->rsp_prod && g->rx_len < sizeof(g->rx))
			g->rx[g->rx_len++] =
				r->rsp[MASK_XENSTORE_IDX(r->rsp_cons++)];
		xs_domain_process(g->s, g->domid);
		if (r->rsp_cons == r->rsp_prod)
			break;
	}
}

/* Next complete message from rx: 1 and its header, payload in @buf. */
static inline int xg_next(struct xg *g, struct xsd_sockmsg *h, char *buf)
{
	if (g->rx_len < sizeof(*h))
		return 0;
	memcpy(h, g->rx, sizeof(*h));
	if (h->len > XENSTORE_PAYLOAD_MAX) {
		g->rx_len = 0;		/* out of step (a fuzzed ring) */
		return 0;
	}
	if (g->rx_len < sizeof(*h) + h->len)
		return 0;
	memcpy(buf, g->rx + sizeof(*h), h->len);
	buf[h->len] = '\0';
	g->rx_len -= sizeof(*h) + h->len;
	memmove(g->rx, g->rx + sizeof(*h) + h->len, g->rx_len);
	return 1;
}

/* Read all pending messages; watch events go to ev*, replies to r*. */
static inline int xg_drain(struct xg *g)
{
	struct xsd_sockmsg h;
	static char buf[XENSTORE_PAYLOAD_MAX + 1];
	int replies = 0;

	xg_pump(g);
	while (xg_next(g, &h, buf)) {
		if (h.type == XS_WATCH_EVENT) {
			if (g->nev < XG_EVMAX) {
				snprintf(g->evpath[g->nev], 128, "%.127s", buf);
				snprintf(g->evtok[g->nev], 32, "%.31s",
					 buf + strlen(buf) + 1);
			}
			g->nev++;
			continue;
		}
		g->rtype = h.type;
		g->rlen = h.len;
		g->nreplies++;
		g->nerrors += h.type == XS_ERROR;
		memcpy(g->rbuf, buf, h.len + 1);
		replies++;
		xg_pump(g);
	}
	return replies;
}

/* One request; Return: the reply's type (-1 if none came). */
static inline int xg_raw(struct xg *g, u32 type, u32 tx, const void *p,
			 u32 len)
{
	struct xsd_sockmsg h = { type, ++g->req_id, tx, len };

	u8 msg[sizeof(h) + 2 * XENSTORE_PAYLOAD_MAX];
	u32 off = 0, n, tries = 0;

	g->rtype = ~0U;
	g->rbuf[0] = '\0';
	len = len > 2 * XENSTORE_PAYLOAD_MAX ? 2 * XENSTORE_PAYLOAD_MAX : len;
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), p, len);
	while (off < sizeof(h) + len && tries < 64) {
		n = xg_put(g, msg + off, sizeof(h) + len - off);
		off += n;
		tries += !n;
		xg_process(g);
		xg_drain(g);
	}
	return (int)g->rtype;
}

/* Request with up to three NUL-terminated string arguments. */
static inline int xg_op(struct xg *g, u32 type, u32 tx, const char *a,
			const char *b, const char *c)
{
	static char buf[XENSTORE_PAYLOAD_MAX + 8];
	const char *v[3] = { a, b, c };
	u32 len = 0, l;
	int i;

	for (i = 0; i < 3 && v[i]; i++) {
		l = strlen(v[i]) + 1;
		if (len + l > sizeof(buf))
			return -1;
		memcpy(buf + len, v[i], l);
		len += l;
	}
	return xg_raw(g, type, tx, buf, len);
}

static inline int xg_write(struct xg *g, u32 tx, const char *path,
			   const char *val)
{
	static char buf[2 * XENSTORE_PAYLOAD_MAX];
	u32 pl = strlen(path) + 1, vl = strlen(val);

	memcpy(buf, path, pl);
	memcpy(buf + pl, val, vl);
	return xg_raw(g, XS_WRITE, tx, buf, pl + vl);
}

#endif
