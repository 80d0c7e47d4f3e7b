// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xenstore transactions. A transaction keeps one record per path it
 * looked at: what it read (with the store's generation of the node then,
 * 0 if absent), its changed copies, and what it removed. Commit checks
 * that none of those nodes changed in the store since (else EAGAIN, as
 * Xen), then moves the copies into the store: nothing is allocated at
 * commit, so it cannot fail half way.
 */
#include "xenstore_priv.h"

struct xs_tx *xs_tx_find(struct xs_conn *c, u32 id)
{
	struct xs_tx *tx;

	for (tx = c->txs; tx; tx = tx->next)
		if (tx->id == id)
			return tx;
	return NULL;
}

static bool id_in_use(struct xs_store *s, u32 id)
{
	u32 i;

	for (i = 0; i <= s->cfg.max_domains; i++)
		if (s->conns[i].used && xs_tx_find(&s->conns[i], id))
			return true;
	return false;
}

int xs_tx_start(struct xs_store *s, struct xs_conn *c, u32 *id)
{
	struct xs_tx *tx;

	if (!c->privileged && c->ntxs >= s->cfg.quota_transactions)
		return -XS_ENOSPC;
	tx = xs_alloc(s, sizeof(*tx));
	if (!tx)
		return -XS_ENOMEM;
	memset(tx, 0, sizeof(*tx));
	do {
		if (!++s->next_tx)
			s->next_tx = 1;
	} while (id_in_use(s, s->next_tx));
	tx->id = s->next_tx;
	tx->next = c->txs;
	c->txs = tx;
	c->ntxs++;
	*id = tx->id;
	return 0;
}

static void tx_free(struct xs_store *s, struct xs_conn *c, struct xs_tx *tx)
{
	struct xs_tx **pp;
	struct xs_node *r, *next;

	for (r = tx->recs; r; r = next) {
		next = r->tnext;
		xs_hash_del(s, r);
		xs_free(s, r);
	}
	for (pp = &c->txs; *pp; pp = &(*pp)->next) {
		if (*pp == tx) {
			*pp = tx->next;
			break;
		}
	}
	c->ntxs--;
	xs_free(s, tx);
}

/* Nodes @c would own after @tx's commit, less what it owns now. */
static int commit_delta(struct xs_store *s, struct xs_conn *c,
			struct xs_tx *tx)
{
	struct xs_node *r, *m;
	int d = 0;

	for (r = tx->recs; r; r = r->tnext) {
		if (r->kind == XS_N_READ)
			continue;
		m = xs_find(s, 0, xs_node_path(r), r->plen);
		if (m && m->perms[0].id == c->domid)
			d--;
		if (r->kind == XS_N_COPY && r->perms[0].id == c->domid)
			d++;
	}
	return d;
}

static void commit(struct xs_store *s, struct xs_tx *tx)
{
	struct xs_node *r, *m, *next;
	u8 kind;

	for (r = tx->recs; r; r = next) {
		next = r->tnext;
		kind = r->kind;
		m = xs_find(s, 0, xs_node_path(r), r->plen);
		xs_hash_del(s, r);
		if (m && kind != XS_N_READ)
			xs_main_del(s, m);
		if (kind == XS_N_COPY) {
			xs_main_add(s, r);
			xs_fire(s, xs_node_path(r), r->plen, r->perms,
				r->nperms, false);
		} else {
			if (kind == XS_N_DELETED && m)
				xs_fire(s, xs_node_path(r), r->plen, m->perms,
					m->nperms, false);
			xs_free(s, r);
		}
		if (m && kind != XS_N_READ)
			xs_free(s, m);
	}
	tx->recs = NULL;
}

int xs_tx_end(struct xs_store *s, struct xs_conn *c, u32 id, bool do_commit)
{
	struct xs_tx *tx = xs_tx_find(c, id);
	struct xs_node *r, *m;
	int err = 0;

	if (!tx)
		return -XS_ENOENT;
	if (!do_commit)
		goto out;
	for (r = tx->recs; r; r = r->tnext) {
		m = xs_find(s, 0, xs_node_path(r), r->plen);
		if ((m ? m->gen : 0) != r->gen) {
			err = -XS_EAGAIN;
			goto out;
		}
	}
	if (!c->privileged &&
	    (int)c->nodes + commit_delta(s, c, tx) > (int)s->cfg.quota_nodes) {
		err = -XS_ENOSPC;
		goto out;
	}
	commit(s, tx);
out:
	tx_free(s, c, tx);
	return err;
}

void xs_tx_abort_all(struct xs_store *s, struct xs_conn *c)
{
	while (c->txs)
		tx_free(s, c, c->txs);
}
