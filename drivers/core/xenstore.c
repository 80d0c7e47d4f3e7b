// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen: the xenstore request API and transactions (the middle layer of
 * the client, see xenstore-internal.h).
 *
 * Each call builds one request from its path and value, sends it with
 * pvxen_xs_talk() and checks what came back: a reply that does not parse
 * is counted as malformed and answered with -EIO.  Nothing here holds a
 * lock: concurrent callers meet only in xenstore-comms.c.
 */
#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <pvxen/xenstore.h>
#include <pvxen/xs_wire.h>

#include "xenstore-internal.h"

/* Re-runs of a transaction body on -EAGAIN before giving up. */
#define PVXEN_XS_TX_RETRIES	100

/**
 * pvxen_xs_talk_ack() - Send a request whose reply must be "OK".
 * @type: request type (PVXEN_XS_*)
 * @tx: transaction id or PVXEN_XS_NO_TX
 * @iov: the payload's pieces
 * @n: how many
 *
 * Return: 0, or a negative errno as pvxen_xs_talk(); -EIO for another reply.
 */
int pvxen_xs_talk_ack(u32 type, u32 tx, const struct pvxen_xs_iov *iov,
		      unsigned int n)
{
	char *reply;
	u32 len;
	int ret;

	ret = pvxen_xs_talk(type, tx, iov, n, &reply, &len);
	if (ret)
		return ret;
	if (!pvxen_xs_is_ack(reply, len)) {
		atomic64_inc(&pvxen_xs_stats.malformed);
		ret = -EIO;
	}
	kfree(reply);
	return ret;
}

/**
 * pvxen_xs_join() - Make "dir/node", or "dir" for an empty node.
 * @dir: directory
 * @node: node name in @dir, or NULL/""
 *
 * Return: the path (kfree() it), checked against xenstore's rules, or
 * ERR_PTR(-EINVAL) or ERR_PTR(-ENOMEM).
 */
char *pvxen_xs_join(const char *dir, const char *node)
{
	char *p;

	if (!node || !*node)
		p = kstrdup(dir, GFP_KERNEL);
	else
		p = kasprintf(GFP_KERNEL, "%s/%s", dir, node);
	if (!p)
		return ERR_PTR(-ENOMEM);
	if (!pvxen_xs_path_ok(p, strlen(p) + 1)) {
		kfree(p);
		return ERR_PTR(-EINVAL);
	}
	return p;
}

static int pvxen_xs_path_op(u32 type, u32 tx, const char *dir,
			    const char *node, char **reply, u32 *len)
{
	struct pvxen_xs_iov iov;
	char *path;
	int ret;

	path = pvxen_xs_join(dir, node);
	if (IS_ERR(path))
		return PTR_ERR(path);
	iov.base = path;
	iov.len = strlen(path) + 1;
	ret = pvxen_xs_talk(type, tx, &iov, 1, reply, len);
	kfree(path);
	return ret;
}

/* ---- the exported API -------------------------------------------------- */

/**
 * pvxen_xs_read() - Read a node's value.
 * @tx: transaction or PVXEN_XS_NO_TX
 * @dir: directory (absolute, or relative to the domain's home)
 * @node: node name in @dir, or NULL/"" for @dir itself
 * @len: if not NULL, set to the value's length
 *
 * Return: the value with a NUL appended (kfree() it), or an ERR_PTR().
 */
void *pvxen_xs_read(u32 tx, const char *dir, const char *node,
		    unsigned int *len)
{
	char *reply;
	u32 n;
	int ret;

	ret = pvxen_xs_path_op(PVXEN_XS_READ, tx, dir, node, &reply, &n);
	if (ret)
		return ERR_PTR(ret);
	if (len)
		*len = n;
	return reply;
}
EXPORT_SYMBOL_GPL(pvxen_xs_read);

/**
 * pvxen_xs_write() - Write a node, creating it (and its parents) if needed.
 * @tx: transaction or PVXEN_XS_NO_TX
 * @dir: directory
 * @node: node name in @dir, or NULL/"" for @dir itself
 * @value: NUL-terminated value (the NUL is not stored)
 *
 * Return: 0 or a negative errno.
 */
int pvxen_xs_write(u32 tx, const char *dir, const char *node,
		   const char *value)
{
	struct pvxen_xs_iov iov[2];
	char *path;
	int ret;

	path = pvxen_xs_join(dir, node);
	if (IS_ERR(path))
		return PTR_ERR(path);
	iov[0].base = path;
	iov[0].len = strlen(path) + 1;
	iov[1].base = value;
	iov[1].len = strlen(value);
	ret = pvxen_xs_talk_ack(PVXEN_XS_WRITE, tx, iov, 2);
	kfree(path);
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_xs_write);

static int pvxen_xs_simple(u32 type, u32 tx, const char *dir,
			   const char *node)
{
	struct pvxen_xs_iov iov;
	char *path;
	int ret;

	path = pvxen_xs_join(dir, node);
	if (IS_ERR(path))
		return PTR_ERR(path);
	iov.base = path;
	iov.len = strlen(path) + 1;
	ret = pvxen_xs_talk_ack(type, tx, &iov, 1);
	kfree(path);
	return ret;
}

/**
 * pvxen_xs_mkdir() - Create a node with an empty value (and its parents).
 * @tx: transaction or PVXEN_XS_NO_TX
 * @dir: directory
 * @node: node name in @dir, or NULL/"" for @dir itself
 *
 * Return: 0 (also if it existed) or a negative errno.
 */
int pvxen_xs_mkdir(u32 tx, const char *dir, const char *node)
{
	return pvxen_xs_simple(PVXEN_XS_MKDIR, tx, dir, node);
}
EXPORT_SYMBOL_GPL(pvxen_xs_mkdir);

/**
 * pvxen_xs_rm() - Remove a node and everything below it.
 * @tx: transaction or PVXEN_XS_NO_TX
 * @dir: directory
 * @node: node name in @dir, or NULL/"" for @dir itself
 *
 * Return: 0 or a negative errno (-ENOENT if it did not exist).
 */
int pvxen_xs_rm(u32 tx, const char *dir, const char *node)
{
	return pvxen_xs_simple(PVXEN_XS_RM, tx, dir, node);
}
EXPORT_SYMBOL_GPL(pvxen_xs_rm);

/**
 * pvxen_xs_exists() - Whether a node exists (and may be read).
 * @tx: transaction or PVXEN_XS_NO_TX
 * @dir: directory
 * @node: node name in @dir, or NULL/"" for @dir itself
 *
 * Return: true if a read of the node succeeds.
 */
bool pvxen_xs_exists(u32 tx, const char *dir, const char *node)
{
	void *v = pvxen_xs_read(tx, dir, node, NULL);

	if (IS_ERR(v))
		return false;
	kfree(v);
	return true;
}
EXPORT_SYMBOL_GPL(pvxen_xs_exists);

/**
 * pvxen_xs_directory() - List a node's children.
 * @tx: transaction or PVXEN_XS_NO_TX
 * @dir: directory
 * @node: node name in @dir, or NULL/"" for @dir itself
 * @num: set to the number of children
 *
 * Return: an array of @num child names, in one allocation: kfree() the
 * array only.  An ERR_PTR() on failure.
 */
char **pvxen_xs_directory(u32 tx, const char *dir, const char *node,
			  unsigned int *num)
{
	const char *s;
	char *reply, *strs, **v;
	u32 len, off = 0;
	int n, i = 0, ret;

	ret = pvxen_xs_path_op(PVXEN_XS_DIRECTORY, tx, dir, node, &reply,
			       &len);
	if (ret)
		return ERR_PTR(ret);
	n = pvxen_xs_count_strings(reply, len);
	if (n < 0) {
		atomic64_inc(&pvxen_xs_stats.malformed);
		kfree(reply);
		return ERR_PTR(-EIO);
	}
	v = kmalloc(sizeof(*v) * (n + 1) + len, GFP_KERNEL);
	if (!v) {
		kfree(reply);
		return ERR_PTR(-ENOMEM);
	}
	strs = (char *)(v + n + 1);
	memcpy(strs, reply, len);
	while ((s = pvxen_xs_next_string(reply, len, &off))) {
		if (*s)		/* a child name is never empty */
			v[i++] = strs + (s - reply);
	}
	v[i] = NULL;
	*num = i;
	kfree(reply);
	return v;
}
EXPORT_SYMBOL_GPL(pvxen_xs_directory);

/**
 * pvxen_xs_get_perms() - Read a node's permission list.
 * @tx: transaction or PVXEN_XS_NO_TX
 * @dir: directory
 * @node: node name in @dir, or NULL/"" for @dir itself
 * @perms: set to an array of *@num entries (kfree() it)
 * @num: set to the number of entries (at least 1: the owner)
 *
 * Return: 0 or a negative errno.
 */
int pvxen_xs_get_perms(u32 tx, const char *dir, const char *node,
		       struct pvxen_xs_perm **perms, unsigned int *num)
{
	struct pvxen_xs_perm *v;
	const char *s;
	char *reply;
	u32 len, off = 0;
	int n, i = 0, ret;

	ret = pvxen_xs_path_op(PVXEN_XS_GET_PERMS, tx, dir, node, &reply,
			       &len);
	if (ret)
		return ret;
	n = pvxen_xs_count_strings(reply, len);
	if (n < 1) {
		ret = -EIO;
		goto malformed;
	}
	v = kcalloc(n, sizeof(*v), GFP_KERNEL);
	if (!v) {
		kfree(reply);
		return -ENOMEM;
	}
	while ((s = pvxen_xs_next_string(reply, len, &off))) {
		unsigned int d, p;

		if (pvxen_xs_parse_perm(s, len - (s - reply), &d, &p)) {
			kfree(v);
			ret = -EIO;
			goto malformed;
		}
		v[i].domid = d;
		v[i].perm = p;
		i++;
	}
	kfree(reply);
	*perms = v;
	*num = i;
	return 0;

malformed:
	atomic64_inc(&pvxen_xs_stats.malformed);
	kfree(reply);
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_xs_get_perms);

/**
 * pvxen_xs_set_perms() - Replace a node's permission list.
 * @tx: transaction or PVXEN_XS_NO_TX
 * @dir: directory
 * @node: node name in @dir, or NULL/"" for @dir itself
 * @perms: entries; the first names the owner and the default access
 * @num: number of entries, 1 to 64
 *
 * Return: 0 or a negative errno.
 */
int pvxen_xs_set_perms(u32 tx, const char *dir, const char *node,
		       const struct pvxen_xs_perm *perms, unsigned int num)
{
	struct pvxen_xs_iov iov[2];
	char *path, *buf;
	unsigned int i, pos = 0;
	int ret, n;

	if (!num || num > 64)
		return -EINVAL;
	path = pvxen_xs_join(dir, node);
	if (IS_ERR(path))
		return PTR_ERR(path);
	buf = kmalloc(num * 8, GFP_KERNEL);
	if (!buf) {
		kfree(path);
		return -ENOMEM;
	}
	for (i = 0; i < num; i++) {
		n = pvxen_xs_format_perm(buf + pos, perms[i].domid,
					 perms[i].perm);
		if (n < 0) {
			ret = -EINVAL;
			goto out;
		}
		pos += n + 1;
	}
	iov[0].base = path;
	iov[0].len = strlen(path) + 1;
	iov[1].base = buf;
	iov[1].len = pos;
	ret = pvxen_xs_talk_ack(PVXEN_XS_SET_PERMS, tx, iov, 2);
out:
	kfree(buf);
	kfree(path);
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_xs_set_perms);

/**
 * pvxen_xs_vprintf() - Write a value formatted from a va_list.
 * @tx: transaction or PVXEN_XS_NO_TX
 * @dir: directory
 * @node: node name in @dir, or NULL/"" for @dir itself
 * @fmt: printf() format
 * @ap: its arguments
 *
 * Return: 0 or a negative errno.
 */
int pvxen_xs_vprintf(u32 tx, const char *dir, const char *node,
		     const char *fmt, va_list ap)
{
	char *val = kvasprintf(GFP_KERNEL, fmt, ap);
	int ret;

	if (!val)
		return -ENOMEM;
	ret = pvxen_xs_write(tx, dir, node, val);
	kfree(val);
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_xs_vprintf);

/**
 * pvxen_xs_printf() - Write a formatted value.
 * @tx: transaction or PVXEN_XS_NO_TX
 * @dir: directory
 * @node: node name in @dir, or NULL/"" for @dir itself
 * @fmt: printf() format
 *
 * Return: 0 or a negative errno.
 */
int pvxen_xs_printf(u32 tx, const char *dir, const char *node,
		    const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = pvxen_xs_vprintf(tx, dir, node, fmt, ap);
	va_end(ap);
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_xs_printf);

/**
 * pvxen_xs_vscanf() - Read a node and parse it with a va_list.
 * @tx: transaction or PVXEN_XS_NO_TX
 * @dir: directory
 * @node: node name in @dir, or NULL/"" for @dir itself
 * @fmt: scanf() format
 * @ap: its arguments
 *
 * Return: the number of items converted (-ERANGE if none), or a negative
 * errno from the read.
 */
int pvxen_xs_vscanf(u32 tx, const char *dir, const char *node,
		    const char *fmt, va_list ap)
{
	char *val;
	int ret;

	val = pvxen_xs_read(tx, dir, node, NULL);
	if (IS_ERR(val))
		return PTR_ERR(val);
	ret = vsscanf(val, fmt, ap);
	kfree(val);
	return ret > 0 ? ret : -ERANGE;
}
EXPORT_SYMBOL_GPL(pvxen_xs_vscanf);

/**
 * pvxen_xs_scanf() - Read a node and parse its value with vsscanf().
 * @tx: transaction or PVXEN_XS_NO_TX
 * @dir: directory
 * @node: node name in @dir, or NULL/"" for @dir itself
 * @fmt: scanf() format
 *
 * Return: the number of items converted (-ERANGE if none), or a negative
 * errno from the read.
 */
int pvxen_xs_scanf(u32 tx, const char *dir, const char *node,
		   const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = pvxen_xs_vscanf(tx, dir, node, fmt, ap);
	va_end(ap);
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_xs_scanf);

/**
 * pvxen_xs_transaction_start() - Start a transaction.
 * @tx: set to the transaction id
 *
 * Return: 0 or a negative errno.
 */
int pvxen_xs_transaction_start(u32 *tx)
{
	struct pvxen_xs_iov iov = { "", 1 };
	char *reply;
	u32 len, id;
	int ret;

	ret = pvxen_xs_talk(PVXEN_XS_TRANSACTION_START, 0, &iov, 1, &reply,
			    &len);
	if (ret)
		return ret;
	if (pvxen_xs_parse_u32(reply, len, &id) || id == 0) {
		atomic64_inc(&pvxen_xs_stats.malformed);
		ret = -EIO;
	} else {
		*tx = id;
	}
	kfree(reply);
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_xs_transaction_start);

/**
 * pvxen_xs_transaction_end() - Commit or abort a transaction.
 * @tx: the transaction
 * @abort: true to discard its changes
 *
 * Return: 0; -EAGAIN when a commit conflicted with another change (run
 * the whole transaction again); another negative errno on failure.
 */
int pvxen_xs_transaction_end(u32 tx, bool abort)
{
	struct pvxen_xs_iov iov = { abort ? "F" : "T", 2 };

	return pvxen_xs_talk_ack(PVXEN_XS_TRANSACTION_END, tx, &iov, 1);
}
EXPORT_SYMBOL_GPL(pvxen_xs_transaction_end);

/**
 * pvxen_xs_transaction_run() - Run a body in a transaction, retrying.
 * @body: reads and writes with the transaction id it gets; returns 0 to
 *	commit, a negative errno to abort (which is then returned)
 * @data: passed to @body
 * @retries: if not NULL, set to how many times the body was re-run
 *
 * The body may run several times: each time the commit answers -EAGAIN
 * (a concurrent change to something the transaction read), the whole
 * transaction runs again, up to 100 times.  A body that itself gets
 * -EAGAIN is re-run as well.
 *
 * Return: 0 once committed, or a negative errno.
 */
int pvxen_xs_transaction_run(int (*body)(u32 tx, void *data), void *data,
			     unsigned int *retries)
{
	unsigned int i;
	int ret = -EAGAIN;
	u32 tx;

	for (i = 0; i < PVXEN_XS_TX_RETRIES && ret == -EAGAIN; i++) {
		if (retries)
			*retries = i;
		ret = pvxen_xs_transaction_start(&tx);
		if (ret)
			return ret;
		ret = body(tx, data);
		if (ret) {
			pvxen_xs_transaction_end(tx, true);
			continue;
		}
		ret = pvxen_xs_transaction_end(tx, false);
	}
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_xs_transaction_run);
