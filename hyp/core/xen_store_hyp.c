// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xenstore for minixen itself: the store and its lock, and the calls of
 * minixen's own clients (its block and net backends), which act as the
 * store's privileged local connection: read, write, mkdir, rm, set
 * permissions and watch.
 *
 * A client's watch is the local connection's, under a token of
 * minixen's ("<slot>.<generation>", so that an event queued before an
 * unwatch never reaches a later watch in the same slot). Whoever drops
 * the store's lock then hands the queued events to the clients'
 * callbacks one at a time, copied out, with the lock dropped around
 * each call. One CPU at a time does so (the deliverer); another that
 * finds one at work leaves its events to it. So a callback never runs
 * under the store's lock, callbacks see events in the order the store
 * made them, and a callback that calls back in does not recurse.
 */
#include <minixen/mm.h>
#include <minixen/xen_store.h>
#include "xen_store_priv.h"

/* A client's watch (fn NULL: the slot is free). */
struct hyp_watch {
	xen_store_watch_fn fn;
	void *ctx;
	char path[XEN_STORE_WATCH_PATH];
	char token[XEN_STORE_WATCH_TOKEN];
	char tag[24];		/* its token in the store */
};

/* The callback of the event being delivered. */
struct hyp_event {
	xen_store_watch_fn fn;
	void *ctx;
};

static struct xs_store store;
static struct mx_lock store_lock;
static bool store_up;
static struct hyp_watch watches[XEN_STORE_CLIENT_WATCHES];
static u32 watch_gen;
static bool delivering;		/* under store_lock */
/* The event being delivered: the deliverer's only. */
static char ev_path[XENSTORE_ABS_PATH_MAX + 1];
static char ev_token[XEN_STORE_WATCH_TOKEN];

int xen_store_open(const struct xs_config *cfg)
{
	void *arena = hyp_try_alloc(XEN_STORE_ARENA, XEN_PAGE_SIZE);
	int r;

	if (!arena)
		return -XS_ENOMEM;
	r = xs_init(&store, cfg, arena, XEN_STORE_ARENA);
	if (!r)
		WRITE_ONCE(store_up, true);
	return r;
}

bool xen_store_ready(void)
{
	return READ_ONCE(store_up);
}

struct xs_store *xen_store_lock(void)
{
	if (!xen_store_ready())
		return NULL;
	spin_lock(&store_lock);
	return &store;
}

/* Under store_lock: xs_local_event_next()'s callback. */
static void take_event(void *ctx, const char *path, const char *tag)
{
	struct hyp_event *e = ctx;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(watches); i++) {
		if (!watches[i].fn || strcmp(watches[i].tag, tag))
			continue;
		e->fn = watches[i].fn;
		e->ctx = watches[i].ctx;
		snprintf(ev_path, sizeof(ev_path), "%s", path);
		memcpy(ev_token, watches[i].token, sizeof(ev_token));
		return;
	}
	/* unwatched since it was queued: dropped */
}

/* Under store_lock: the next event for a callback, if any. */
static bool next_event(struct hyp_event *e)
{
	e->fn = NULL;
	while (xs_local_event_next(&store, take_event, e))
		if (e->fn)
			return true;
	return false;
}

void xen_store_unlock(void)
{
	struct hyp_event e;

	if (delivering || !next_event(&e)) {
		spin_unlock(&store_lock);
		return;
	}
	delivering = true;
	do {
		spin_unlock(&store_lock);
		e.fn(e.ctx, ev_path, ev_token);
		spin_lock(&store_lock);
	} while (next_event(&e));
	delivering = false;
	spin_unlock(&store_lock);
}

/* After a change: the domains' watch events go out, then the lock. */
static int changed(struct xs_store *s, int r)
{
	xs_flush_all(s);
	xen_store_unlock();
	return r;
}

int xen_store_write(const char *path, const void *val, u32 len)
{
	struct xs_store *s = xen_store_lock();

	return s ? changed(s, xs_write_local(s, path, val, len)) : -XS_ENODEV;
}

int xen_store_mkdir(const char *path)
{
	struct xs_store *s = xen_store_lock();

	return s ? changed(s, xs_mkdir_local(s, path)) : -XS_ENODEV;
}

int xen_store_rm(const char *path)
{
	struct xs_store *s = xen_store_lock();

	return s ? changed(s, xs_rm_local(s, path)) : -XS_ENODEV;
}

int xen_store_set_perms(const char *path, const struct xs_perm *perms, u32 n)
{
	struct xs_store *s = xen_store_lock();

	return s ? changed(s, xs_set_perms_local(s, path, perms, n)) :
		   -XS_ENODEV;
}

int xen_store_read(const char *path, void *buf, u32 size)
{
	struct xs_store *s = xen_store_lock();
	int r;

	if (!s)
		return -XS_ENODEV;
	r = xs_read_local(s, path, buf, size);
	xen_store_unlock();
	return r;
}

/* Under store_lock: the client's watch of @path and @token, or NULL. */
static struct hyp_watch *watch_find(const char *path, const char *token)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(watches); i++)
		if (watches[i].fn && !strcmp(watches[i].path, path) &&
		    !strcmp(watches[i].token, token))
			return &watches[i];
	return NULL;
}

/* Under store_lock: a free slot, its watch made in the store. */
static int watch_add(struct xs_store *s, const char *path, const char *token,
		     xen_store_watch_fn fn, void *ctx)
{
	struct hyp_watch *w;
	u32 i;
	int r;

	if (watch_find(path, token))
		return -XS_EEXIST;
	for (i = 0; i < ARRAY_SIZE(watches); i++)
		if (!watches[i].fn)
			break;
	if (i == ARRAY_SIZE(watches))
		return -XS_ENOSPC;
	w = &watches[i];
	snprintf(w->tag, sizeof(w->tag), "%u.%u", i, ++watch_gen);
	r = xs_watch_local(s, path, w->tag);
	if (r)
		return r;
	w->fn = fn;
	w->ctx = ctx;
	snprintf(w->path, sizeof(w->path), "%s", path);
	snprintf(w->token, sizeof(w->token), "%s", token);
	return 0;
}

int xen_store_watch(const char *path, const char *token,
		    xen_store_watch_fn fn, void *ctx)
{
	struct xs_store *s;
	int r;

	if (!path || !token || !fn)
		return -XS_EINVAL;
	if (strnlen(path, XEN_STORE_WATCH_PATH) >= XEN_STORE_WATCH_PATH ||
	    strnlen(token, XEN_STORE_WATCH_TOKEN) >= XEN_STORE_WATCH_TOKEN)
		return -XS_E2BIG;
	s = xen_store_lock();
	if (!s)
		return -XS_ENODEV;
	r = watch_add(s, path, token, fn, ctx);
	xen_store_unlock();	/* the first event is delivered now */
	return r;
}

int xen_store_unwatch(const char *path, const char *token)
{
	struct hyp_watch *w;
	struct xs_store *s;
	int r;

	if (!path || !token)
		return -XS_EINVAL;
	s = xen_store_lock();
	if (!s)
		return -XS_ENODEV;
	w = watch_find(path, token);
	r = w ? xs_unwatch_local(s, path, w->tag) : -XS_ENOENT;
	if (w)
		memset(w, 0, sizeof(*w));
	xen_store_unlock();
	return r;
}
