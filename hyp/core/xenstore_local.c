// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xenstore for minixen itself: its own (privileged) accesses and
 * watches, the tree xl makes for a domain, and the invariant check.
 */
#include "xenstore_priv.h"

static int local_path(struct xs_store *s, const char *path,
		      struct xs_ctx *x)
{
	bool rel;
	int len;

	x->s = s;
	x->c = s->local;
	x->tx = NULL;
	if (!path || path[0] != '/')
		return -XS_EINVAL;
	len = xs_canon(s->local, path, s->scratch2, &rel);
	return len;
}

int xs_write_local(struct xs_store *s, const char *path, const void *val,
		   u32 len)
{
	struct xs_ctx x;
	int plen = local_path(s, path, &x);

	if (plen < 0)
		return plen;
	if (len > XENSTORE_PAYLOAD_MAX)
		return -XS_E2BIG;
	return xs_op_write(&x, s->scratch2, plen, val, len);
}

int xs_printf_local(struct xs_store *s, const char *path, const char *fmt,
		    ...)
{
	char buf[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || n >= (int)sizeof(buf))
		return -XS_E2BIG;
	return xs_write_local(s, path, buf, n);
}

int xs_mkdir_local(struct xs_store *s, const char *path)
{
	struct xs_ctx x;
	int plen = local_path(s, path, &x);

	return plen < 0 ? plen : xs_op_mkdir(&x, s->scratch2, plen);
}

int xs_rm_local(struct xs_store *s, const char *path)
{
	struct xs_ctx x;
	int plen = local_path(s, path, &x);

	return plen < 0 ? plen : xs_op_rm(&x, s->scratch2, plen);
}

int xs_read_local(struct xs_store *s, const char *path, void *buf, u32 size)
{
	struct xs_node *n;
	struct xs_ctx x;
	int plen = local_path(s, path, &x);

	if (plen < 0)
		return plen;
	plen = xs_op_get(&x, s->scratch2, plen, XS_PERM_READ, &n);
	if (plen < 0)
		return plen;
	memcpy(buf, xs_node_value(n), MIN(size, n->vlen));
	return n->vlen;
}

int xs_set_perms_local(struct xs_store *s, const char *path,
		       const struct xs_perm *perms, u32 n)
{
	struct xs_ctx x;
	int plen = local_path(s, path, &x);
	u32 i;

	if (plen < 0)
		return plen;
	if (!n || n > 255)
		return -XS_EINVAL;
	for (i = 0; i < n; i++)
		if (perms[i].id > XS_DOMID_MAX || perms[i].perm > XS_PERM_BOTH)
			return -XS_EINVAL;
	return xs_op_set_perms(&x, s->scratch2, plen, perms, n);
}

static const char *local_watch_path(struct xs_store *s, const char *path)
{
	struct xs_ctx x;

	if (path && (!strcmp(path, "@introduceDomain") ||
		     !strcmp(path, "@releaseDomain")))
		return path;
	return local_path(s, path, &x) < 0 ? NULL : s->scratch2;
}

int xs_watch_local(struct xs_store *s, const char *path, const char *token)
{
	struct xs_watch *w;
	int err;

	path = local_watch_path(s, path);
	if (!path || !token)
		return -XS_EINVAL;
	err = xs_watch_add(s, s->local, path, false, token, &w);
	if (!err)
		xs_fire_one(s, s->local, w, w->data, w->plen);
	return err;
}

int xs_unwatch_local(struct xs_store *s, const char *path, const char *token)
{
	path = local_watch_path(s, path);
	if (!path || !token)
		return -XS_EINVAL;
	return xs_watch_del(s, s->local, path, token);
}

int xs_local_event_next(struct xs_store *s, xs_local_event_fn fn, void *ctx)
{
	struct xs_conn *c = s->local;
	struct xs_out *o = c->out_head;
	const char *path;

	if (!o) {
		c->kick = false;
		return 0;
	}
	c->out_head = o->next;
	if (!c->out_head)
		c->out_tail = NULL;
	c->outq_bytes -= o->len;
	path = (const char *)o->data + sizeof(struct xsd_sockmsg);
	fn(ctx, path, path + strlen(path) + 1);
	xs_free(s, o);
	return 1;
}

int xs_local_events(struct xs_store *s, xs_local_event_fn fn, void *ctx)
{
	int n = 0;

	while (xs_local_event_next(s, fn, ctx))
		n++;
	return n;
}

struct tree_step {
	const char *rel;	/* below /local/domain/N */
	bool rw;		/* owned by the domain, else N may read */
};

/* What libxl makes for a domain (xl create), less the HVM parts. */
static const struct tree_step tree_steps[] = {
	{ "", false }, { "/device", false }, { "/control", false },
	{ "/backend", false },
	{ "/control/shutdown", true }, { "/control/feature-poweroff", true },
	{ "/control/feature-reboot", true },
	{ "/control/feature-suspend", true }, { "/control/sysrq", true },
	{ "/control/platform-feature-multiprocessor-suspend", true },
	{ "/control/platform-feature-xs_reset_watches", true },
	{ "/device/suspend/event-channel", true },
	{ "/data", true }, { "/drivers", true }, { "/feature", true },
	{ "/attr", true }, { "/error", true },
};

static int make_tree(struct xs_store *s, u16 domid, char *path, u32 sz,
		     u32 dlen, const char *name, u64 mem_kb)
{
	const struct xs_perm ro[2] = { { .id = 0, .perm = XS_PERM_NONE },
				       { .id = domid, .perm = XS_PERM_READ } };
	const struct xs_perm rw[1] = { { .id = domid, .perm = XS_PERM_NONE } };
	int err = 0;
	u32 i;

	for (i = 0; !err && i < ARRAY_SIZE(tree_steps); i++) {
		snprintf(path + dlen, sz - dlen, "%s", tree_steps[i].rel);
		err = xs_mkdir_local(s, path);
		if (!err)
			err = xs_set_perms_local(s, path,
						 tree_steps[i].rw ? rw : ro,
						 tree_steps[i].rw ? 1 : 2);
	}
	snprintf(path + dlen, sz - dlen, "/name");
	if (!err)
		err = xs_write_local(s, path, name, strlen(name));
	snprintf(path + dlen, sz - dlen, "/domid");
	if (!err)
		err = xs_printf_local(s, path, "%u", domid);
	if (!mem_kb)
		return err;
	snprintf(path + dlen, sz - dlen, "/memory/target");
	if (!err)
		err = xs_printf_local(s, path, "%lu", (unsigned long)mem_kb);
	snprintf(path + dlen, sz - dlen, "/memory/static-max");
	if (!err)
		err = xs_printf_local(s, path, "%lu", (unsigned long)mem_kb);
	return err;
}

int xs_domain_create_tree(struct xs_store *s, u16 domid, const char *name,
			  u64 mem_kb)
{
	char path[96];
	u32 dlen;
	int err;

	if (domid > XS_DOMID_MAX || !name ||
	    strnlen(name, XENSTORE_PAYLOAD_MAX) >= XENSTORE_PAYLOAD_MAX)
		return -XS_EINVAL;
	dlen = xs_domain_path(domid, path, sizeof(path));
	if (xs_find(s, 0, path, dlen))
		return -XS_EEXIST;
	err = make_tree(s, domid, path, sizeof(path), dlen, name, mem_kb);
	if (err) {
		path[dlen] = '\0';
		xs_rm_local(s, path);
	}
	return err;
}
