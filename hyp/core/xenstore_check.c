// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xenstore invariants, checked by the tests and the fuzzer after every
 * run: the tree is whole, the counters match what they count, the pool
 * adds up. Linear in the size of the store.
 */
#include "xenstore_priv.h"

static bool tx_owns(struct xs_store *s, const struct xs_node *r)
{
	struct xs_tx *tx;
	u32 i;

	for (i = 0; i <= s->cfg.max_domains; i++)
		for (tx = s->conns[i].txs; tx; tx = tx->next)
			if (tx->id == r->tx)
				return true;
	return false;
}

static int check_main(struct xs_store *s, struct xs_node *n)
{
	const char *path = xs_node_path(n), *ch = xs_node_children(n);
	u32 pl, off, l;
	struct xs_node *p;
	char *buf = s->scratch;

	if (n->kind != XS_N_MAIN || !n->nperms)
		return -2;
	if (strlen(path) != n->plen || n->gen > s->gen)
		return -3;
	if (n->plen > 1) {
		pl = xs_parent_len(path, n->plen);
		p = xs_find(s, 0, path, pl);
		if (!p)
			return -4;
		l = pl > 1 ? pl + 1 : 1;
		if (xs_child_find(p, path + l, n->plen - l) < 0)
			return -5;
	}
	if (n->clen && ch[n->clen - 1])
		return -6;
	for (off = 0; off < n->clen; off += l + 1) {
		l = strlen(ch + off);
		if (!l || n->plen + 1 + l > XENSTORE_ABS_PATH_MAX)
			return -7;
		memcpy(buf, path, n->plen);
		pl = n->plen;
		if (pl > 1)
			buf[pl++] = '/';
		memcpy(buf + pl, ch + off, l);
		if (!xs_find(s, 0, buf, pl + l))
			return -8;
	}
	return 0;
}

static int check_conn(struct xs_store *s, struct xs_conn *c)
{
	struct xs_watch *w;
	struct xs_out *o;
	struct xs_tx *tx;
	struct xs_node *r;
	u32 cnt, bytes = 0;

	if (c != s->local && c->nodes != xs_count_owned(s, c->domid))
		return -20;
	for (cnt = 0, w = c->watches; w; w = w->next)
		cnt++;
	if (cnt != c->nwatches)
		return -21;
	for (cnt = 0, tx = c->txs; tx; tx = tx->next) {
		u32 nr = 0;

		for (r = tx->recs; r; r = r->tnext) {
			if (r->tx != tx->id ||
			    xs_find(s, tx->id, xs_node_path(r), r->plen) != r)
				return -22;
			nr++;
		}
		if (nr != tx->nrecs)
			return -23;
		cnt++;
	}
	if (cnt != c->ntxs)
		return -24;
	for (o = c->out_head; o; o = o->next) {
		if (o->off > o->len || (!o->next && o != c->out_tail))
			return -25;
		if (o != c->reply)
			bytes += o->len;
		else if (!c->reply_queued)
			return -26;
	}
	if (bytes != c->outq_bytes)
		return -27;
	return 0;
}

int xs_check(struct xs_store *s)
{
	struct xs_node *n;
	u32 i;
	int err;

	if (!xs_find(s, 0, "/", 1))
		return -1;
	for (i = 0; i <= s->hash_mask; i++) {
		for (n = s->hash[i]; n; n = n->hnext) {
			if (!n->tx)
				err = check_main(s, n);
			else
				err = tx_owns(s, n) && n->kind != XS_N_MAIN ?
				      0 : -9;
			if (err)
				return err;
		}
	}
	for (i = 0; i <= s->cfg.max_domains; i++) {
		if (!s->conns[i].used)
			continue;
		err = check_conn(s, &s->conns[i]);
		if (err)
			return err;
	}
	if (s->pool.bad_frees)
		return -30;
	if (s->pool.used + xs_pool_free_bytes(&s->pool) != s->pool.size)
		return -31;
	return 0;
}
