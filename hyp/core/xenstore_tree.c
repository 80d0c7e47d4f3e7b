// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xenstore tree: nodes by path in one hash table (the store's own and
 * transactions' records), paths, permissions and node ownership counts.
 */
#include "xenstore_priv.h"

static u32 path_hash(const char *path, u32 plen)
{
	u32 h = 2166136261U;
	u32 i;

	for (i = 0; i < plen; i++)
		h = (h ^ (u8)path[i]) * 16777619U;
	return h;
}

static struct xs_node **bucket(struct xs_store *s, u32 hash, u32 tx)
{
	return &s->hash[(hash ^ (tx * 0x9e3779b1U)) & s->hash_mask];
}

struct xs_node *xs_find(struct xs_store *s, u32 tx, const char *path,
			u32 plen)
{
	u32 h = path_hash(path, plen);
	struct xs_node *n;

	for (n = *bucket(s, h, tx); n; n = n->hnext)
		if (n->hash == h && n->tx == tx && n->plen == plen &&
		    !memcmp(xs_node_path(n), path, plen))
			return n;
	return NULL;
}

void xs_hash_add(struct xs_store *s, struct xs_node *n)
{
	struct xs_node **b;

	n->hash = path_hash(xs_node_path(n), n->plen);
	b = bucket(s, n->hash, n->tx);
	n->hnext = *b;
	*b = n;
}

void xs_hash_del(struct xs_store *s, struct xs_node *n)
{
	struct xs_node **pp = bucket(s, n->hash, n->tx);

	for (; *pp; pp = &(*pp)->hnext) {
		if (*pp == n) {
			*pp = n->hnext;
			n->hnext = NULL;
			return;
		}
	}
}

struct xs_conn *xs_conn_find(struct xs_store *s, u16 domid)
{
	u32 i;

	for (i = 0; i <= s->cfg.max_domains; i++)
		if (s->conns[i].used && s->conns[i].domid == domid)
			return &s->conns[i];
	return NULL;
}

/* Put @n in the store as a new generation; its owner owns one more. */
void xs_main_add(struct xs_store *s, struct xs_node *n)
{
	struct xs_conn *c = xs_conn_find(s, n->perms[0].id);

	n->tx = 0;
	n->kind = XS_N_MAIN;
	n->gen = ++s->gen;
	xs_hash_add(s, n);
	if (c)
		c->nodes++;
}

/* Take @n out of the store (the caller frees it). */
void xs_main_del(struct xs_store *s, struct xs_node *n)
{
	struct xs_conn *c = xs_conn_find(s, n->perms[0].id);

	xs_hash_del(s, n);
	if (c && c->nodes)
		c->nodes--;
}

u32 xs_count_owned(struct xs_store *s, u16 domid)
{
	struct xs_node *n;
	u32 i, cnt = 0;

	for (i = 0; i <= s->hash_mask; i++)
		for (n = s->hash[i]; n; n = n->hnext)
			if (n->kind == XS_N_MAIN && n->perms[0].id == domid)
				cnt++;
	return cnt;
}

/*
 * Xen's rule: a privileged connection and the owner (first entry) may do
 * anything; others get their own entry's bits, else the first entry's.
 */
bool xs_perms_allow(const struct xs_conn *c, const struct xs_perm *p,
		    u32 np, u8 want)
{
	u32 i;

	if (c->privileged)
		return true;
	if (!np)
		return false;
	if (p[0].id == c->domid)
		return true;
	for (i = 1; i < np; i++)
		if (p[i].id == c->domid)
			return (p[i].perm & want) == want;
	return (p[0].perm & want) == want;
}

u32 xs_domain_path(u16 domid, char *buf, u32 size)
{
	return snprintf(buf, size, "/local/domain/%u", domid);
}

static bool path_char_ok(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '-' || ch == '/' ||
	       ch == '_' || ch == '@';
}

/*
 * Check a path from a request and make it absolute in @out (at least
 * XENSTORE_ABS_PATH_MAX + 1 bytes). Return: its length or -errno.
 */
int xs_canon(const struct xs_conn *c, const char *in, char *out,
	     bool *relative)
{
	u32 len = strnlen(in, XENSTORE_ABS_PATH_MAX + 1);
	u32 off = 0, i;

	*relative = in[0] != '/';
	if (!len)
		return -XS_EINVAL;
	if (*relative) {
		if (len > XENSTORE_REL_PATH_MAX)
			return -XS_E2BIG;
		off = xs_domain_path(c->domid, out, XENSTORE_ABS_PATH_MAX);
		out[off++] = '/';
	} else if (len > XENSTORE_ABS_PATH_MAX) {
		return -XS_E2BIG;
	}
	if (off + len > XENSTORE_ABS_PATH_MAX)
		return -XS_E2BIG;
	for (i = 0; i < len; i++) {
		if (!path_char_ok(in[i]))
			return -XS_EINVAL;
		if (in[i] == '/' && (in[i + 1] == '/' ||
				     (!in[i + 1] && off + i)))
			return -XS_EINVAL;
		out[off + i] = in[i];
	}
	out[off + len] = '\0';
	return off + len;
}

/* Is path @a (alen bytes) @b itself or one of its ancestors? */
bool xs_is_under(const char *a, u32 alen, const char *b, u32 blen)
{
	if (alen > blen || memcmp(a, b, alen))
		return false;
	return alen == blen || b[alen] == '/' || (alen == 1 && a[0] == '/');
}

/* Offset of child @name in @n's child names, or -1. */
int xs_child_find(const struct xs_node *n, const char *name, u32 len)
{
	const char *ch = xs_node_children(n);
	u32 off = 0, l;

	while (off < n->clen) {
		l = strnlen(ch + off, n->clen - off);
		if (l == len && !memcmp(ch + off, name, len))
			return off;
		off += l + 1;
	}
	return -1;
}

/* Length of the parent's path ("/" for a top-level node and for "/"). */
u32 xs_parent_len(const char *path, u32 plen)
{
	while (plen > 1 && path[plen - 1] != '/')
		plen--;
	return plen > 1 ? plen - 1 : 1;
}
