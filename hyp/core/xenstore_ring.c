// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xenstore connections: the store's set-up, introducing and releasing
 * domains, reading requests from a domain's ring and writing responses
 * and watch events back.
 *
 * The guest may write anything into its ring page at any time: our own
 * req_cons and rsp_prod are authoritative (the page's copies are only
 * told), an index pair more than a ring apart stops the connection
 * (XENSTORE_ERROR_RINGIDX), and every byte is copied out exactly once
 * into the connection's buffer before it is looked at.
 */
#include <minixen/guest_atomic.h>
#include "xenstore_priv.h"

#define XS_BUDGET	64	/* requests per xs_domain_process() */
#define HDR		sizeof(struct xsd_sockmsg)

static void def(u32 *field, u32 val)
{
	if (!*field)
		*field = val;
}

static void set_defaults(struct xs_config *c)
{
	def(&c->max_domains, 16);
	def(&c->hash_buckets, 1024);
	def(&c->quota_nodes, 1000);
	def(&c->quota_entry_size, 2048);
	def(&c->quota_perms, 5);
	def(&c->quota_watches, 128);
	def(&c->quota_transactions, 10);
	def(&c->quota_tx_nodes, 1024);
	def(&c->quota_outq, 65536);
}

int xs_init(struct xs_store *s, const struct xs_config *cfg, void *arena,
	    size_t arena_size)
{
	static const char *const dirs[] = { "/local", "/local/domain",
					    "/tool" };
	size_t i;
	int err;

	memset(s, 0, sizeof(*s));
	if (cfg)
		s->cfg = *cfg;
	set_defaults(&s->cfg);
	if (s->cfg.hash_buckets & (s->cfg.hash_buckets - 1) ||
	    s->cfg.max_domains > 1024)
		return -XS_EINVAL;
	err = xs_pool_init(&s->pool, arena, arena_size);
	if (err)
		return err;
	s->hash_mask = s->cfg.hash_buckets - 1;
	s->hash = xs_alloc(s, s->cfg.hash_buckets * sizeof(*s->hash));
	s->conns = xs_alloc(s, (s->cfg.max_domains + 1) * sizeof(*s->conns));
	s->scratch = xs_alloc(s, XENSTORE_ABS_PATH_MAX + 1);
	s->scratch2 = xs_alloc(s, XENSTORE_ABS_PATH_MAX + 1);
	if (!s->hash || !s->conns || !s->scratch || !s->scratch2)
		return -XS_ENOMEM;
	memset(s->hash, 0, s->cfg.hash_buckets * sizeof(*s->hash));
	memset(s->conns, 0, (s->cfg.max_domains + 1) * sizeof(*s->conns));
	s->local = &s->conns[s->cfg.max_domains];
	s->local->used = true;
	s->local->privileged = true;
	s->local->domid = XS_DOMID_LOCAL;
	err = xs_make_root(s);
	for (i = 0; !err && i < ARRAY_SIZE(dirs); i++)
		err = xs_mkdir_local(s, dirs[i]);
	return err;
}

int xs_domain_introduce(struct xs_store *s, u16 domid,
			struct xenstore_domain_interface *ring,
			xs_notify_fn notify, void *ctx, bool privileged)
{
	struct xs_conn *c = NULL;
	u32 i;

	if (domid > XS_DOMID_MAX || !ring)
		return -XS_EINVAL;
	if (xs_conn_find(s, domid))
		return -XS_EEXIST;
	for (i = 0; i < s->cfg.max_domains && !c; i++)
		if (!s->conns[i].used)
			c = &s->conns[i];
	if (!c)
		return -XS_ENOSPC;
	memset(c, 0, sizeof(*c));
	c->in = xs_alloc(s, XENSTORE_PAYLOAD_MAX + 1);
	c->reply = xs_alloc(s, sizeof(*c->reply) + HDR + XENSTORE_PAYLOAD_MAX);
	if (!c->in || !c->reply) {
		xs_free(s, c->in);
		xs_free(s, c->reply);
		return -XS_ENOMEM;
	}
	c->domid = domid;
	c->privileged = privileged;
	c->ring = ring;
	c->notify = notify;
	c->notify_ctx = ctx;
	c->req_cons = READ_ONCE(ring->req_cons);
	c->rsp_prod = READ_ONCE(ring->rsp_prod);
	WRITE_ONCE(ring->server_features, XENSTORE_SERVER_FEATURE_ERROR);
	WRITE_ONCE(ring->error, XENSTORE_ERROR_NONE);
	WRITE_ONCE(ring->connection, XENSTORE_CONNECTED);
	c->nodes = xs_count_owned(s, domid);
	c->used = true;
	xs_fire_special(s, "@introduceDomain");
	return 0;
}

void xs_out_free_all(struct xs_store *s, struct xs_conn *c)
{
	struct xs_out *o;

	while ((o = c->out_head)) {
		c->out_head = o->next;
		if (o != c->reply)
			xs_free(s, o);
	}
	c->out_tail = NULL;
	c->outq_bytes = 0;
	c->reply_queued = false;
}

int xs_domain_release(struct xs_store *s, u16 domid)
{
	struct xs_conn *c = xs_conn_find(s, domid);

	if (!c || c == s->local)
		return -XS_ENOENT;
	xs_tx_abort_all(s, c);
	xs_watch_reset(s, c);
	xs_out_free_all(s, c);
	xs_free(s, c->in);
	xs_free(s, c->reply);
	memset(c, 0, sizeof(*c));
	xs_fire_special(s, "@releaseDomain");
	return 0;
}

static void out_append(struct xs_conn *c, struct xs_out *o)
{
	o->next = NULL;
	o->off = 0;
	if (c->out_tail)
		c->out_tail->next = o;
	else
		c->out_head = o;
	c->out_tail = o;
	c->kick = true;
}

void xs_queue_event(struct xs_store *s, struct xs_conn *c, const char *path,
		    u32 plen, const char *token, u32 tlen)
{
	u32 len = plen + tlen + 2;
	struct xsd_sockmsg h = { .type = XS_WATCH_EVENT, .len = len };
	struct xs_out *o = NULL;

	if (len <= XENSTORE_PAYLOAD_MAX &&
	    c->outq_bytes + HDR + len <= s->cfg.quota_outq)
		o = xs_alloc(s, sizeof(*o) + HDR + len);
	if (!o) {
		c->dropped_events++;
		return;
	}
	o->len = HDR + len;
	memcpy(o->data, &h, HDR);
	memcpy(o->data + HDR, path, plen);
	o->data[HDR + plen] = '\0';
	memcpy(o->data + HDR + plen + 1, token, tlen);
	o->data[HDR + len - 1] = '\0';
	c->outq_bytes += o->len;
	out_append(c, o);
}

/* Queue the reply built in c->reply, then the initial watch event. */
static void queue_reply(struct xs_store *s, struct xs_conn *c)
{
	struct xs_watch *w = c->initial;

	memcpy(&c->reply->len, c->reply->data + 12, sizeof(u32));
	c->reply->len += HDR;
	c->reply_queued = true;
	out_append(c, c->reply);
	c->initial = NULL;
	if (w)
		xs_fire_one(s, c, w, w->data, w->plen);
}

static void conn_broken(struct xs_conn *c, u32 why)
{
	c->broken = true;
	WRITE_ONCE(c->ring->error, why);
}

/* Write queued output into the ring while it has room. */
static void flush(struct xs_store *s, struct xs_conn *c)
{
	struct xenstore_domain_interface *ring = c->ring;
	struct xs_out *o;
	u32 used, n, at;

	while (!c->broken && (o = c->out_head)) {
		used = c->rsp_prod - READ_ONCE(ring->rsp_cons);
		guest_mb();
		if (used > XENSTORE_RING_SIZE) {
			conn_broken(c, XENSTORE_ERROR_RINGIDX);
			return;
		}
		at = MASK_XENSTORE_IDX(c->rsp_prod);
		n = MIN(XENSTORE_RING_SIZE - used, o->len - o->off);
		n = MIN(n, XENSTORE_RING_SIZE - at);
		if (!n)
			return;
		memcpy(ring->rsp + at, o->data + o->off, n);
		o->off += n;
		c->rsp_prod += n;
		guest_wmb();
		WRITE_ONCE(ring->rsp_prod, c->rsp_prod);
		c->kick = true;
		if (o->off < o->len)
			continue;
		c->out_head = o->next;
		if (!c->out_head)
			c->out_tail = NULL;
		if (o == c->reply) {
			c->reply_queued = false;
		} else {
			c->outq_bytes -= o->len;
			xs_free(s, o);
		}
	}
}

/* Read on in the current request. Return: 1 when it is complete. */
static int read_req(struct xs_conn *c)
{
	struct xenstore_domain_interface *ring = c->ring;
	u32 avail, want, n, at;
	bool moved = false;
	u8 *dst;

	avail = READ_ONCE(ring->req_prod) - c->req_cons;
	guest_rmb();
	if (avail > XENSTORE_RING_SIZE) {
		conn_broken(c, XENSTORE_ERROR_RINGIDX);
		return 0;
	}
	for (;;) {
		if (c->in_got < HDR) {
			dst = (u8 *)&c->hdr + c->in_got;
			want = HDR - c->in_got;
		} else {
			dst = c->in + c->in_got - HDR;
			want = c->hdr.len - (c->in_got - HDR);
		}
		if (!want || !avail)
			break;
		at = MASK_XENSTORE_IDX(c->req_cons);
		n = MIN(MIN(want, avail), XENSTORE_RING_SIZE - at);
		memcpy(dst, ring->req + at, n);
		c->req_cons += n;
		c->in_got += n;
		avail -= n;
		moved = true;
		if (c->in_got == HDR && c->hdr.len > XENSTORE_PAYLOAD_MAX) {
			conn_broken(c, XENSTORE_ERROR_PROTO);
			return 0;
		}
	}
	if (moved) {
		guest_mb();
		WRITE_ONCE(ring->req_cons, c->req_cons);
		c->kick = true;
	}
	return c->in_got >= HDR && c->in_got - HDR == c->hdr.len;
}

void xs_flush_all(struct xs_store *s)
{
	struct xs_conn *c;
	u32 i;

	for (i = 0; i < s->cfg.max_domains; i++) {
		c = &s->conns[i];
		if (!c->used)
			continue;
		flush(s, c);
		if (c->kick && c->notify)
			c->notify(c->notify_ctx, c->domid);
		c->kick = false;
	}
}

int xs_domain_process(struct xs_store *s, u16 domid)
{
	struct xs_conn *c = xs_conn_find(s, domid);
	int budget;

	if (!c || !c->ring)
		return -XS_ENOENT;
	for (budget = XS_BUDGET; budget; budget--) {
		flush(s, c);
		if (c->broken || c->reply_queued || !read_req(c))
			break;
		c->in[c->hdr.len] = '\0';
		xs_handle(s, c);
		c->in_got = 0;
		queue_reply(s, c);
	}
	xs_flush_all(s);
	return !budget;
}

int xs_domain_stats(struct xs_store *s, u16 domid, struct xs_domain_stats *st)
{
	struct xs_conn *c = xs_conn_find(s, domid);

	if (!c)
		return -XS_ENOENT;
	st->nodes = c->nodes;
	st->watches = c->nwatches;
	st->transactions = c->ntxs;
	st->outq_bytes = c->outq_bytes;
	st->dropped_events = c->dropped_events;
	st->broken = c->broken;
	return 0;
}
