// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xenstore watches: a change to a node fires the watches on it and on
 * its ancestors (a removal also those below it), for connections that
 * may read the node; @introduceDomain and @releaseDomain fire for
 * privileged connections. Events are queued on the watcher's connection.
 */
#include "xenstore_priv.h"

static bool special(const char *path)
{
	return path[0] == '@';
}

int xs_watch_add(struct xs_store *s, struct xs_conn *c, const char *path,
		 bool relative, const char *token, struct xs_watch **out)
{
	u32 plen = strlen(path), tlen = strlen(token);
	struct xs_watch *w;

	if (!c->privileged && c->nwatches >= s->cfg.quota_watches)
		return -XS_E2BIG;
	for (w = c->watches; w; w = w->next)
		if (!strcmp(w->data, path) && !strcmp(xs_watch_token(w), token))
			return -XS_EEXIST;
	if (plen > XENSTORE_ABS_PATH_MAX || tlen > XENSTORE_PAYLOAD_MAX)
		return -XS_E2BIG;
	w = xs_alloc(s, sizeof(*w) + plen + tlen + 2);
	if (!w)
		return -XS_ENOMEM;
	w->plen = plen;
	w->tlen = tlen;
	w->relative = relative;
	memcpy(w->data, path, plen + 1);
	memcpy(w->data + plen + 1, token, tlen + 1);
	w->next = c->watches;
	c->watches = w;
	c->nwatches++;
	*out = w;
	return 0;
}

int xs_watch_del(struct xs_store *s, struct xs_conn *c, const char *path,
		 const char *token)
{
	struct xs_watch **pp, *w;

	for (pp = &c->watches; (w = *pp); pp = &w->next) {
		if (!strcmp(w->data, path) && !strcmp(xs_watch_token(w), token)) {
			*pp = w->next;
			c->nwatches--;
			if (c->initial == w)
				c->initial = NULL;
			xs_free(s, w);
			return 0;
		}
	}
	return -XS_ENOENT;
}

void xs_watch_reset(struct xs_store *s, struct xs_conn *c)
{
	struct xs_watch *w;

	while ((w = c->watches)) {
		c->watches = w->next;
		xs_free(s, w);
	}
	c->nwatches = 0;
	c->initial = NULL;
}

/* Queue one event of @w for @c, naming @path (relative if @w is). */
void xs_fire_one(struct xs_store *s, struct xs_conn *c,
		 const struct xs_watch *w, const char *path, u32 plen)
{
	char dom[32];
	u32 dlen;

	if (w->relative && !special(path)) {
		dlen = xs_domain_path(c->domid, dom, sizeof(dom));
		if (plen > dlen + 1 && !memcmp(path, dom, dlen) &&
		    path[dlen] == '/') {
			path += dlen + 1;
			plen -= dlen + 1;
		}
	}
	xs_queue_event(s, c, path, plen, xs_watch_token(w), w->tlen);
}

void xs_fire(struct xs_store *s, const char *path, u32 plen,
	     const struct xs_perm *perms, u32 np, bool recursive)
{
	struct xs_conn *c;
	struct xs_watch *w;
	u32 i;

	for (i = 0; i <= s->cfg.max_domains; i++) {
		c = &s->conns[i];
		if (!c->used || !c->watches ||
		    !xs_perms_allow(c, perms, np, XS_PERM_READ))
			continue;
		for (w = c->watches; w; w = w->next) {
			if (special(w->data))
				continue;
			if (xs_is_under(w->data, w->plen, path, plen))
				xs_fire_one(s, c, w, path, plen);
			else if (recursive &&
				 xs_is_under(path, plen, w->data, w->plen))
				xs_fire_one(s, c, w, w->data, w->plen);
		}
	}
}

void xs_fire_special(struct xs_store *s, const char *name)
{
	struct xs_conn *c;
	struct xs_watch *w;
	u32 i;

	for (i = 0; i <= s->cfg.max_domains; i++) {
		c = &s->conns[i];
		if (!c->used || !c->privileged)
			continue;
		for (w = c->watches; w; w = w->next)
			if (!strcmp(w->data, name))
				xs_fire_one(s, c, w, w->data, w->plen);
	}
}
