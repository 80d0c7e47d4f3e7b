// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xenstore operations on what a connection sees: the store itself, or
 * its transaction's view (the transaction's records over the store).
 * Every operation allocates all it needs before it changes anything, so
 * a failure (ENOMEM, a quota) leaves the store as it was.
 */
#include "xenstore_priv.h"

#define XS_CHILDREN_MAX	65536	/* child names of one node, for everyone */

struct node_edit {
	const struct xs_perm *perms;	/* NULL: keep */
	u32 np;
	const void *val;
	u32 vlen;
	bool set_val;
	const char *add;		/* child name to append */
	u32 addlen;
	const char *del;		/* child name to drop */
	u32 dellen;
};

static struct xs_node *rec_new(struct xs_store *s, const char *path, u32 plen,
			       u8 kind)
{
	struct xs_node *r = xs_alloc(s, sizeof(*r) + plen + 1);

	if (!r)
		return NULL;
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->plen = plen;
	memcpy(xs_node_path(r), path, plen);
	xs_node_path(r)[plen] = '\0';
	return r;
}

static struct xs_node *node_make(struct xs_store *s, const char *path,
				 u32 plen, const struct xs_node *src,
				 const struct node_edit *e)
{
	const struct xs_perm *perms = e->perms ? e->perms : src->perms;
	u32 np = e->perms ? e->np : src->nperms;
	const char *val = e->set_val ? e->val : src ? xs_node_value(src) : "";
	u32 vlen = e->set_val ? e->vlen : src ? src->vlen : 0;
	const char *ch = src ? xs_node_children(src) : "";
	u32 clen = src ? src->clen : 0;
	int del = e->del ? xs_child_find(src, e->del, e->dellen) : -1;
	u32 nclen = clen;
	struct xs_node *n;
	char *dst;

	if (e->add)
		nclen += e->addlen + 1;
	if (del >= 0)
		nclen -= e->dellen + 1;
	if (nclen > XS_CHILDREN_MAX || !np || np > 255)
		return NULL;
	n = xs_alloc(s, sizeof(*n) + np * sizeof(*perms) + plen + 1 + vlen +
		     nclen);
	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->nperms = np;
	n->plen = plen;
	n->vlen = vlen;
	n->clen = nclen;
	memcpy(n->perms, perms, np * sizeof(*perms));
	memcpy(xs_node_path(n), path, plen);
	xs_node_path(n)[plen] = '\0';
	memcpy(xs_node_value(n), val, vlen);
	dst = xs_node_children(n);
	if (del >= 0) {
		memcpy(dst, ch, del);
		memcpy(dst + del, ch + del + e->dellen + 1,
		       clen - del - e->dellen - 1);
		dst += clen - e->dellen - 1;
	} else {
		memcpy(dst, ch, clen);
		dst += clen;
	}
	if (e->add) {
		memcpy(dst, e->add, e->addlen);
		dst[e->addlen] = '\0';
	}
	return n;
}

/* Quota on one node's size, for unprivileged connections. */
static bool fits(const struct xs_ctx *x, const struct xs_node *n)
{
	return x->c->privileged ||
	       xs_node_size(n) <= x->s->cfg.quota_entry_size;
}

static int owned_delta(const struct xs_ctx *x, const struct xs_node *n)
{
	return n && n->perms[0].id == x->c->domid;
}

/*
 * Look @path up as @x sees it (NULL: absent). In a transaction the first
 * look at a path is remembered with the store's generation of it.
 */
static int view_get(struct xs_ctx *x, const char *path, u32 plen,
		    struct xs_node **out)
{
	struct xs_store *s = x->s;
	struct xs_node *m = xs_find(s, 0, path, plen), *r;

	*out = m;
	if (!x->tx)
		return 0;
	r = xs_find(s, x->tx->id, path, plen);
	if (!r) {
		if (!x->c->privileged &&
		    x->tx->nrecs >= s->cfg.quota_tx_nodes)
			return -XS_ENOSPC;
		r = rec_new(s, path, plen, XS_N_READ);
		if (!r)
			return -XS_ENOMEM;
		r->tx = x->tx->id;
		r->gen = m ? m->gen : 0;
		r->tnext = x->tx->recs;
		x->tx->recs = r;
		x->tx->nrecs++;
		xs_hash_add(s, r);
	}
	if (r->kind == XS_N_COPY)
		*out = r;
	else if (r->kind == XS_N_DELETED)
		*out = NULL;
	return 0;
}

/* In a transaction: @nw takes the place of the record for its path. */
static void tx_replace(struct xs_ctx *x, struct xs_node *nw)
{
	struct xs_tx *tx = x->tx;
	struct xs_node *r = xs_find(x->s, tx->id, xs_node_path(nw), nw->plen);
	struct xs_node **pp;

	nw->tx = tx->id;
	nw->gen = r->gen;
	if (r->kind == XS_N_COPY)
		tx->delta -= owned_delta(x, r);
	else if (r->kind == XS_N_READ)
		tx->delta -= owned_delta(x, xs_find(x->s, 0, xs_node_path(r),
						    r->plen));
	if (nw->kind == XS_N_COPY)
		tx->delta += owned_delta(x, nw);
	for (pp = &tx->recs; *pp != r; pp = &(*pp)->tnext)
		;
	*pp = nw;
	nw->tnext = r->tnext;
	xs_hash_del(x->s, r);
	xs_free(x->s, r);
	xs_hash_add(x->s, nw);
}

/* Make @nw what @x sees at its path (view_get() saw the path before). */
static void view_put(struct xs_ctx *x, struct xs_node *nw)
{
	struct xs_node *m;

	if (x->tx) {
		nw->kind = XS_N_COPY;
		tx_replace(x, nw);
		return;
	}
	m = xs_find(x->s, 0, xs_node_path(nw), nw->plen);
	if (m) {
		xs_main_del(x->s, m);
		xs_free(x->s, m);
	}
	xs_main_add(x->s, nw);
}

/* Remove @vis from @x's view; in a transaction @rec says it is gone. */
static void view_del(struct xs_ctx *x, struct xs_node *vis,
		     struct xs_node *rec)
{
	if (x->tx) {
		tx_replace(x, rec);
		return;
	}
	xs_main_del(x->s, vis);
	xs_free(x->s, vis);
}

static u32 next_sep(const char *path, u32 from, u32 plen)
{
	while (from < plen && path[from] != '/')
		from++;
	return from;
}

static void free_list(struct xs_store *s, struct xs_node *n)
{
	struct xs_node *next;

	for (; n; n = next) {
		next = n->link;
		xs_free(s, n);
	}
}

int xs_op_get(struct xs_ctx *x, const char *path, u32 plen, u8 want,
	      struct xs_node **out)
{
	int err = view_get(x, path, plen, out);

	if (err)
		return err;
	if (!*out)
		return -XS_ENOENT;
	if (!xs_perms_allow(x->c, (*out)->perms, (*out)->nperms, want))
		return -XS_EACCES;
	return 0;
}

/* Create @path and its missing ancestors, as the nearest one allows. */
static int create(struct xs_ctx *x, const char *path, u32 plen,
		  const void *val, u32 vlen)
{
	struct xs_node *anc, *top, *head = NULL, **tailp = &head, *n, *next;
	struct node_edit e = { 0 };
	u32 alen = plen, k = 0, cur, end;
	int err;

	do {
		alen = xs_parent_len(path, alen);
		k++;
		err = view_get(x, path, alen, &anc);
		if (err)
			return err;
	} while (!anc);
	if (!xs_perms_allow(x->c, anc->perms, anc->nperms, XS_PERM_WRITE))
		return -XS_EACCES;
	if (!x->c->privileged &&
	    x->c->nodes + (x->tx ? x->tx->delta : 0) + k >
	    x->s->cfg.quota_nodes)
		return -XS_ENOSPC;
	cur = alen > 1 ? alen + 1 : 1;
	end = next_sep(path, cur, plen);
	e.add = path + cur;
	e.addlen = end - cur;
	top = node_make(x->s, xs_node_path(anc), anc->plen, anc, &e);
	err = -XS_ENOMEM;
	if (!top)
		goto fail;
	err = -XS_ENOSPC;
	if (!fits(x, top))
		goto fail;
	while (end <= plen) {
		cur = end + 1;
		memset(&e, 0, sizeof(e));
		e.perms = anc->perms;
		e.np = anc->nperms;
		e.set_val = true;
		if (end < plen) {
			e.add = path + cur;
			e.addlen = next_sep(path, cur, plen) - cur;
			e.val = "";
		} else {
			e.val = val ? val : "";
			e.vlen = vlen;
		}
		n = node_make(x->s, path, end, NULL, &e);
		err = -XS_ENOMEM;
		if (!n)
			goto fail;
		n->link = NULL;
		*tailp = n;
		tailp = &n->link;
		if (!x->c->privileged)
			n->perms[0].id = x->c->domid;
		err = -XS_ENOSPC;
		if (!fits(x, n))
			goto fail;
		if (end == plen)
			break;
		end = next_sep(path, cur, plen);
	}
	view_put(x, top);
	for (n = head; n; n = next) {
		next = n->link;
		view_put(x, n);
		if (!next && !x->tx)
			xs_fire(x->s, path, plen, n->perms, n->nperms, false);
	}
	return 0;
fail:
	xs_free(x->s, top);
	free_list(x->s, head);
	return err;
}

/* @n, changed by @e, in a new block; fires watches outside transactions. */
static int replace(struct xs_ctx *x, const char *path, u32 plen,
		   const struct xs_node *n, const struct node_edit *e)
{
	struct xs_node *nw = node_make(x->s, path, plen, n, e);

	if (!nw)
		return -XS_ENOMEM;
	if (!fits(x, nw)) {
		xs_free(x->s, nw);
		return -XS_ENOSPC;
	}
	view_put(x, nw);
	if (!x->tx)
		xs_fire(x->s, path, plen, nw->perms, nw->nperms, false);
	return 0;
}

int xs_op_write(struct xs_ctx *x, const char *path, u32 plen,
		const void *val, u32 vlen)
{
	struct node_edit e = { .val = val, .vlen = vlen, .set_val = true };
	struct xs_node *n;
	int err = view_get(x, path, plen, &n);

	if (err)
		return err;
	if (!n)
		return create(x, path, plen, val, vlen);
	if (!xs_perms_allow(x->c, n->perms, n->nperms, XS_PERM_WRITE))
		return -XS_EACCES;
	return replace(x, path, plen, n, &e);
}

int xs_op_mkdir(struct xs_ctx *x, const char *path, u32 plen)
{
	struct xs_node *n;
	int err = view_get(x, path, plen, &n);

	if (err)
		return err;
	if (!n)
		return create(x, path, plen, "", 0);
	if (!xs_perms_allow(x->c, n->perms, n->nperms, XS_PERM_WRITE))
		return -XS_EACCES;
	return 0;
}

/* List @n and all below it (as @x sees them) through ->link. */
static int subtree(struct xs_ctx *x, struct xs_node *n)
{
	char *buf = x->s->scratch;
	struct xs_node *cur, *tail = n, *child;
	const char *ch;
	u32 off, l, bl;
	int err;

	n->link = NULL;
	for (cur = n; cur; cur = cur->link) {
		ch = xs_node_children(cur);
		for (off = 0; off < cur->clen; off += l + 1) {
			l = strnlen(ch + off, cur->clen - off);
			bl = cur->plen + (cur->plen > 1) + l;
			if (bl > XENSTORE_ABS_PATH_MAX)
				continue;
			memcpy(buf, xs_node_path(cur), cur->plen);
			if (cur->plen > 1)
				buf[cur->plen] = '/';
			memcpy(buf + bl - l, ch + off, l);
			err = view_get(x, buf, bl, &child);
			if (err)
				return err;
			if (!child)
				continue;
			child->link = NULL;
			tail->link = child;
			tail = child;
		}
	}
	return 0;
}

int xs_op_rm(struct xs_ctx *x, const char *path, u32 plen)
{
	struct xs_node *n, *pa, *npa, *recs = NULL, **tailp = &recs, *r;
	struct xs_node *cur, *next, *rnext;
	u32 palen = xs_parent_len(path, plen), nl;
	struct node_edit e = { 0 };
	int err;

	if (plen == 1)
		return -XS_EINVAL;
	err = view_get(x, path, plen, &n);
	if (!err)
		err = view_get(x, path, palen, &pa);
	if (err)
		return err;
	if (!n)
		return pa ? 0 : -XS_ENOENT;
	if (!xs_perms_allow(x->c, n->perms, n->nperms, XS_PERM_WRITE))
		return -XS_EACCES;
	if (!pa)
		return -XS_EIO;
	err = subtree(x, n);
	if (err)
		return err;
	nl = palen > 1 ? palen + 1 : 1;
	e.del = path + nl;
	e.dellen = plen - nl;
	npa = node_make(x->s, xs_node_path(pa), pa->plen, pa, &e);
	if (!npa)
		return -XS_ENOMEM;
	for (cur = x->tx ? n : NULL; cur; cur = cur->link) {
		r = rec_new(x->s, xs_node_path(cur), cur->plen, XS_N_DELETED);
		if (!r) {
			xs_free(x->s, npa);
			free_list(x->s, recs);
			return -XS_ENOMEM;
		}
		r->link = NULL;
		*tailp = r;
		tailp = &r->link;
	}
	if (!x->tx)
		xs_fire(x->s, path, plen, n->perms, n->nperms, true);
	view_put(x, npa);
	for (cur = n, r = recs; cur; cur = next, r = rnext) {
		next = cur->link;
		rnext = r ? r->link : NULL;
		view_del(x, cur, r);
	}
	return 0;
}

int xs_op_set_perms(struct xs_ctx *x, const char *path, u32 plen,
		    const struct xs_perm *perms, u32 np)
{
	struct node_edit e = { .perms = perms, .np = np };
	struct xs_node *n;
	int err = xs_op_get(x, path, plen, XS_PERM_WRITE, &n);

	if (err)
		return err;
	if (!x->c->privileged) {
		if (perms[0].id != n->perms[0].id)
			return -XS_EPERM;
		if (np > x->s->cfg.quota_perms)
			return -XS_ENOSPC;
	}
	return replace(x, path, plen, n, &e);
}

/* The empty store: "/", owned by domain 0, no access for others. */
int xs_make_root(struct xs_store *s)
{
	static const struct xs_perm p = { .id = 0, .perm = XS_PERM_NONE };
	struct node_edit e = { .perms = &p, .np = 1, .set_val = true,
			       .val = "" };
	struct xs_node *n = node_make(s, "/", 1, NULL, &e);

	if (!n)
		return -XS_ENOMEM;
	xs_main_add(s, n);
	return 0;
}
