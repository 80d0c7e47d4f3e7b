/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen xenstore client: what pvxen-core exports to the other modules.
 *
 * Paths: pvxen_xs_*() functions take a directory and a node name and talk
 * about "dir/node" (just "dir" when node is NULL or "").  A path that
 * does not start with '/' is relative to the domain's home,
 * /local/domain/<domid>.
 *
 * Transactions: @tx is PVXEN_XS_NO_TX (0) or an id from
 * pvxen_xs_transaction_start().  pvxen_xs_transaction_run() runs a
 * caller's body in a transaction and re-runs it when the commit answers
 * -EAGAIN.
 *
 * Errors: negative errnos.  Xenstore's own errors come back as their
 * numbers (-ENOENT, -EACCES, -EAGAIN, ...); -ETIMEDOUT when xenstored did
 * not answer within the pvxen_core.xs_timeout_ms module parameter; -EIO
 * for a malformed reply or a connection that a protocol error ended;
 * -ENODEV when there is no xenstore.  Every call may sleep.
 */
#ifndef _PVXEN_XENSTORE_H
#define _PVXEN_XENSTORE_H

#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/types.h>

#define PVXEN_XS_NO_TX	0u

struct pvxen_xs_watch;

/**
 * typedef pvxen_xs_watch_fn - watch callback
 * @watch: the watch that fired
 * @path: the node that changed, or the watched path itself: then anything
 *	at or below it may have changed (the first event, and the one that
 *	stands for events dropped on overflow)
 *
 * Runs in pvxen's one watch thread, so callbacks never run concurrently.
 * It may call any pvxen_xs_*() function, including pvxen_xs_unwatch() on
 * its own or another watch.
 *
 * Read the nodes in the callback; do not count events.  An event for a
 * path that already waits for the callback is merged into the waiting
 * one, so the callback runs at least once after the last change of each
 * path.  At most 64 events wait per watch (a backend rewriting nodes
 * cannot fill memory): past that, events are dropped and one event for
 * the watched path itself is queued in their place.
 */
typedef void (*pvxen_xs_watch_fn)(struct pvxen_xs_watch *watch,
				  const char *path);

/**
 * struct pvxen_xs_watch - a registered xenstore watch
 * @callback: called for every event (set by pvxen_xs_watch())
 * @path: the watched path, owned by the watch (private)
 * @token: unique token sent to xenstored (private)
 * @list: on the list of registered watches (private)
 * @nr_queued: events waiting for the callback (private)
 * @max_queued: most events that ever waited at once (private)
 *
 * Embed it in your own structure and use container_of() in the callback.
 */
struct pvxen_xs_watch {
	pvxen_xs_watch_fn callback;
	char *path;
	char token[24];
	struct list_head list;
	unsigned int nr_queued;
	unsigned int max_queued;
};

/**
 * struct pvxen_xs_perm - one entry of a node's permission list
 * @domid: domain the entry is about (the first entry: the node's owner)
 * @perm: PVXEN_XS_PERM_NONE, _READ, _WRITE or _BOTH (from pvxen/xs_wire.h);
 *	for the first entry, what every domain not listed may do
 */
struct pvxen_xs_perm {
	u16 domid;
	u8 perm;
};

void *pvxen_xs_read(u32 tx, const char *dir, const char *node,
		    unsigned int *len);
int pvxen_xs_write(u32 tx, const char *dir, const char *node,
		   const char *value);
int pvxen_xs_mkdir(u32 tx, const char *dir, const char *node);
int pvxen_xs_rm(u32 tx, const char *dir, const char *node);
bool pvxen_xs_exists(u32 tx, const char *dir, const char *node);
char **pvxen_xs_directory(u32 tx, const char *dir, const char *node,
			  unsigned int *num);
int pvxen_xs_get_perms(u32 tx, const char *dir, const char *node,
		       struct pvxen_xs_perm **perms, unsigned int *num);
int pvxen_xs_set_perms(u32 tx, const char *dir, const char *node,
		       const struct pvxen_xs_perm *perms, unsigned int num);
__printf(4, 5)
int pvxen_xs_printf(u32 tx, const char *dir, const char *node,
		    const char *fmt, ...);
__printf(4, 0)
int pvxen_xs_vprintf(u32 tx, const char *dir, const char *node,
		     const char *fmt, va_list ap);
__scanf(4, 5)
int pvxen_xs_scanf(u32 tx, const char *dir, const char *node,
		   const char *fmt, ...);
__scanf(4, 0)
int pvxen_xs_vscanf(u32 tx, const char *dir, const char *node,
		    const char *fmt, va_list ap);

int pvxen_xs_transaction_start(u32 *tx);
int pvxen_xs_transaction_end(u32 tx, bool abort);
int pvxen_xs_transaction_run(int (*body)(u32 tx, void *data), void *data,
			     unsigned int *retries);

int pvxen_xs_watch(struct pvxen_xs_watch *watch, const char *dir,
		   const char *node, pvxen_xs_watch_fn callback);
void pvxen_xs_unwatch(struct pvxen_xs_watch *watch);

#endif /* _PVXEN_XENSTORE_H */
