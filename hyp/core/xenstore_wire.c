// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xenstore requests: parse one xs_wire message (already copied out of
 * the ring into c->in, NUL-terminated) and build its answer in c->reply:
 * the result, or XS_ERROR with the errno name as Xen's xenstored sends.
 */
#include "xenstore_priv.h"

#define HDR	sizeof(struct xsd_sockmsg)
#define MAXARGS	4

struct req {
	struct xs_store *s;
	struct xs_conn *c;
	const char *body;
	u32 len;
	u32 tx_id;
	const char *arg[MAXARGS];
	u32 nargs;	/* NUL-terminated strings at the start of body */
	char *out;	/* XENSTORE_PAYLOAD_MAX bytes */
};

static const struct {
	int err;
	const char *name;
} errnames[] = {
	{ XS_EINVAL, "EINVAL" }, { XS_EACCES, "EACCES" },
	{ XS_EEXIST, "EEXIST" }, { XS_EISDIR, "EISDIR" },
	{ XS_ENOENT, "ENOENT" }, { XS_ENOMEM, "ENOMEM" },
	{ XS_ENOSPC, "ENOSPC" }, { XS_EIO, "EIO" },
	{ XS_ENOTEMPTY, "ENOTEMPTY" }, { XS_ENOSYS, "ENOSYS" },
	{ XS_EROFS, "EROFS" }, { XS_EBUSY, "EBUSY" },
	{ XS_EAGAIN, "EAGAIN" }, { XS_EISCONN, "EISCONN" },
	{ XS_E2BIG, "E2BIG" }, { XS_EPERM, "EPERM" },
};

static const char *errname(int err)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(errnames); i++)
		if (errnames[i].err == err)
			return errnames[i].name;
	return "EINVAL";
}

/* Decimal, digits only, at most @max. Return: 0 or -XS_EINVAL. */
static int parse_u64(const char *str, u64 max, u64 *out)
{
	u64 v = 0;

	if (!*str)
		return -XS_EINVAL;
	for (; *str; str++) {
		if (*str < '0' || *str > '9' || v > (max - (*str - '0')) / 10)
			return -XS_EINVAL;
		v = v * 10 + (*str - '0');
	}
	*out = v;
	return 0;
}

static int parse_domid(const char *str, u16 *domid)
{
	u64 v;
	int err = parse_u64(str, XS_DOMID_MAX, &v);

	*domid = v;
	return err;
}

static int ok_reply(struct req *r)
{
	memcpy(r->out, "OK", 3);
	return 3;
}

/* Canonical path of argument @i (into s->scratch2) and the request's view. */
static int path_arg(struct req *r, u32 i, struct xs_ctx *x)
{
	bool rel;

	if (r->nargs <= i)
		return -XS_EINVAL;
	x->s = r->s;
	x->c = r->c;
	x->tx = NULL;
	if (r->tx_id) {
		x->tx = xs_tx_find(r->c, r->tx_id);
		if (!x->tx)
			return -XS_ENOENT;
	}
	return xs_canon(r->c, r->arg[i], r->s->scratch2, &rel);
}

static int do_read(struct req *r, int type)
{
	struct xs_node *n;
	struct xs_ctx x;
	int len = path_arg(r, 0, &x);

	if (len < 0)
		return len;
	len = xs_op_get(&x, r->s->scratch2, len, XS_PERM_READ, &n);
	if (len < 0)
		return len;
	if (type == XS_READ) {
		if (n->vlen > XENSTORE_PAYLOAD_MAX)
			return -XS_E2BIG;
		memcpy(r->out, xs_node_value(n), n->vlen);
		return n->vlen;
	}
	if (n->clen > XENSTORE_PAYLOAD_MAX)
		return -XS_E2BIG;
	memcpy(r->out, xs_node_children(n), n->clen);
	return n->clen;
}

/* Names from byte @offset that fit, after the node's generation. */
static int do_directory_part(struct req *r)
{
	struct xs_node *n;
	struct xs_ctx x;
	int len = path_arg(r, 0, &x);
	u32 g, off, l, used;
	const char *ch;
	u64 start;

	if (len < 0)
		return len;
	if (r->nargs < 2 || parse_u64(r->arg[1], ~0U, &start))
		return -XS_EINVAL;
	len = xs_op_get(&x, r->s->scratch2, len, XS_PERM_READ, &n);
	if (len < 0)
		return len;
	if (start > n->clen)
		return -XS_EINVAL;
	g = snprintf(r->out, 24, "%lu", (unsigned long)n->gen) + 1;
	ch = xs_node_children(n);
	for (off = start, used = g; off < n->clen; off += l + 1) {
		l = strnlen(ch + off, n->clen - off);
		if (used + l + 1 + 1 > XENSTORE_PAYLOAD_MAX)
			break;
		memcpy(r->out + used, ch + off, l + 1);
		used += l + 1;
	}
	r->out[used++] = '\0';
	return used;
}

static int do_get_perms(struct req *r)
{
	static const char letter[] = "nrwb";
	struct xs_node *n;
	struct xs_ctx x;
	int len = path_arg(r, 0, &x);
	u32 i, used = 0;

	if (len < 0)
		return len;
	len = xs_op_get(&x, r->s->scratch2, len, XS_PERM_READ, &n);
	if (len < 0)
		return len;
	for (i = 0; i < n->nperms; i++) {
		if (used + 8 > XENSTORE_PAYLOAD_MAX)
			return -XS_E2BIG;
		used += snprintf(r->out + used, 8, "%c%u",
				 letter[n->perms[i].perm & 3],
				 n->perms[i].id) + 1;
	}
	return used;
}

static int do_write(struct req *r)
{
	struct xs_ctx x;
	int len = path_arg(r, 0, &x);
	u32 off;

	if (len < 0)
		return len;
	off = strlen(r->arg[0]) + 1;
	len = xs_op_write(&x, r->s->scratch2, len, r->body + off,
			  r->len - off);
	return len < 0 ? len : ok_reply(r);
}

static int do_mkdir_rm(struct req *r, int type)
{
	struct xs_ctx x;
	int len = path_arg(r, 0, &x);

	if (len < 0)
		return len;
	if (type == XS_MKDIR)
		len = xs_op_mkdir(&x, r->s->scratch2, len);
	else
		len = xs_op_rm(&x, r->s->scratch2, len);
	return len < 0 ? len : ok_reply(r);
}

/* SET_PERMS path perm...; the parsed ACL goes where the reply will. */
static int do_set_perms(struct req *r)
{
	struct xs_perm *p = (struct xs_perm *)r->out;
	const char *a = r->body, *end = r->body + r->len;
	struct xs_ctx x;
	int len = path_arg(r, 0, &x);
	u32 np = 0;
	u16 id;

	if (len < 0)
		return len;
	for (a += strlen(a) + 1; a < end; a += strlen(a) + 1, np++) {
		if (!memchr(a, 0, end - a) || np >= 255)
			return -XS_EINVAL;
		switch (a[0]) {
		case 'n':
			p[np].perm = XS_PERM_NONE;
			break;
		case 'r':
			p[np].perm = XS_PERM_READ;
			break;
		case 'w':
			p[np].perm = XS_PERM_WRITE;
			break;
		case 'b':
			p[np].perm = XS_PERM_BOTH;
			break;
		default:
			return -XS_EINVAL;
		}
		if (parse_domid(a + 1, &id))
			return -XS_EINVAL;
		p[np].id = id;
		p[np].pad = 0;
	}
	if (!np)
		return -XS_EINVAL;
	len = xs_op_set_perms(&x, r->s->scratch2, len, p, np);
	return len < 0 ? len : ok_reply(r);
}

static int do_watch(struct req *r, int type)
{
	struct xs_conn *c = r->c;
	const char *path = r->arg[0];
	struct xs_watch *w;
	bool rel = false;
	int err;

	if (r->nargs < 2)
		return -XS_EINVAL;
	if (path[0] == '@') {
		if (strcmp(path, "@introduceDomain") &&
		    strcmp(path, "@releaseDomain"))
			return -XS_EINVAL;
	} else {
		err = xs_canon(c, path, r->s->scratch2, &rel);
		if (err < 0)
			return err;
		path = r->s->scratch2;
	}
	if (type == XS_UNWATCH)
		err = xs_watch_del(r->s, c, path, r->arg[1]);
	else
		err = xs_watch_add(r->s, c, path, rel, r->arg[1], &w);
	if (err)
		return err;
	if (type == XS_WATCH)
		c->initial = w;
	return ok_reply(r);
}

static int do_transaction(struct req *r, int type)
{
	u32 id;
	int err;

	if (type == XS_TRANSACTION_START) {
		if (r->tx_id)
			return -XS_EBUSY;
		err = xs_tx_start(r->s, r->c, &id);
		if (err)
			return err;
		return snprintf(r->out, 12, "%u", id) + 1;
	}
	if (r->nargs < 1 || (strcmp(r->arg[0], "T") && strcmp(r->arg[0], "F")))
		return -XS_EINVAL;
	err = xs_tx_end(r->s, r->c, r->tx_id, r->arg[0][0] == 'T');
	return err ? err : ok_reply(r);
}

static int do_domain(struct req *r, int type)
{
	struct xs_store *s = r->s;
	u16 domid;
	u64 gfn, port;
	int err;

	if (r->nargs < 1 || parse_domid(r->arg[0], &domid))
		return -XS_EINVAL;
	if (type == XS_GET_DOMAIN_PATH)
		return xs_domain_path(domid, r->out, 32) + 1;
	if (!r->c->privileged)
		return -XS_EACCES;
	switch (type) {
	case XS_IS_DOMAIN_INTRODUCED:
		memcpy(r->out, xs_conn_find(s, domid) ? "T" : "F", 2);
		return 2;
	case XS_INTRODUCE:
		/* xenstored: a port of 0 is no port (EINVAL) */
		if (r->nargs < 3 || parse_u64(r->arg[1], ~0UL, &gfn) ||
		    parse_u64(r->arg[2], ~0U, &port) || !port)
			return -XS_EINVAL;
		if (!s->cfg.introduce)
			return -XS_ENOSYS;
		err = s->cfg.introduce(s->cfg.hook_ctx, s, r->c->domid, domid,
				       gfn, port);
		break;
	case XS_RELEASE:
		/* xenstored: domain 0 and itself EINVAL, unknown ENOENT */
		if (!domid || domid == r->c->domid)
			return -XS_EINVAL;
		if (!xs_conn_find(s, domid))
			return -XS_ENOENT;
		err = s->cfg.release ? s->cfg.release(s->cfg.hook_ctx,
						      r->c->domid, domid) : 0;
		if (!err)
			err = xs_domain_release(s, domid);
		break;
	default:	/* XS_RESUME */
		err = xs_conn_find(s, domid) ? 0 : -XS_ENOENT;
		break;
	}
	return err ? err : ok_reply(r);
}

static int dispatch(struct req *r, int type)
{
	switch (type) {
	case XS_READ:
	case XS_DIRECTORY:
		return do_read(r, type);
	case XS_DIRECTORY_PART:
		return do_directory_part(r);
	case XS_GET_PERMS:
		return do_get_perms(r);
	case XS_WRITE:
		return do_write(r);
	case XS_MKDIR:
	case XS_RM:
		return do_mkdir_rm(r, type);
	case XS_SET_PERMS:
		return do_set_perms(r);
	case XS_WATCH:
	case XS_UNWATCH:
		return do_watch(r, type);
	case XS_TRANSACTION_START:
	case XS_TRANSACTION_END:
		return do_transaction(r, type);
	case XS_GET_DOMAIN_PATH:
	case XS_IS_DOMAIN_INTRODUCED:
	case XS_INTRODUCE:
	case XS_RELEASE:
	case XS_RESUME:
		return do_domain(r, type);
	case XS_RESET_WATCHES:
		xs_watch_reset(r->s, r->c);
		xs_tx_abort_all(r->s, r->c);
		return ok_reply(r);
	case XS_CONTROL:
	case XS_SET_TARGET:
		return r->c->privileged ? -XS_ENOSYS : -XS_EACCES;
	default:
		return -XS_EINVAL;
	}
}

void xs_handle(struct xs_store *s, struct xs_conn *c)
{
	struct xsd_sockmsg h = c->hdr;
	struct req r = {
		.s = s, .c = c, .body = (const char *)c->in, .len = h.len,
		.tx_id = h.tx_id, .out = (char *)c->reply->data + HDR,
	};
	const char *a = r.body, *end = r.body + r.len, *z;
	const char *name;
	int ret;

	while (r.nargs < MAXARGS && a < end && (z = memchr(a, 0, end - a))) {
		r.arg[r.nargs++] = a;
		a = z + 1;
	}
	ret = dispatch(&r, h.type);
	if (ret < 0) {
		h.type = XS_ERROR;
		name = errname(-ret);
		ret = strlen(name) + 1;
		memcpy(r.out, name, ret);
	}
	h.len = ret;
	memcpy(c->reply->data, &h, HDR);
}
