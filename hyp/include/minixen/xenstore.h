/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Xenstore inside minixen: the store of one minixen instance, its
 * domains' connections (one xs_wire ring each), permissions, quotas,
 * transactions and watches. Pure code: the caller maps the ring pages,
 * sends the event-channel notifications, and serialises every call on a
 * store (one lock around it). No call sleeps or loops without bound.
 *
 * Memory comes from the arena given to xs_init() and nowhere else;
 * running out of it answers ENOMEM and changes nothing.
 *
 * Errors are negative Xen errno values (-XS_ENOENT...), on the wire the
 * errno names ("ENOENT"), as Xen's xenstored answers them.
 */
#ifndef MINIXEN_XENSTORE_H
#define MINIXEN_XENSTORE_H

#include <minixen/lib.h>
#include <minixen/xs_wire.h>

/* Xen errno values (answered negated, or by name on the wire). */
#define XS_EPERM	1
#define XS_ENOENT	2
#define XS_EIO		5
#define XS_E2BIG	7
#define XS_EAGAIN	11
#define XS_ENOMEM	12
#define XS_EACCES	13
#define XS_EBUSY	16
#define XS_EEXIST	17
#define XS_ENODEV	19
#define XS_EISDIR	21
#define XS_EINVAL	22
#define XS_ENOSPC	28
#define XS_EROFS	30
#define XS_ENOSYS	38
#define XS_ENOTEMPTY	39
#define XS_EISCONN	106

/* Permission bits of an ACL entry ('n', 'r', 'w', 'b' on the wire). */
#define XS_PERM_NONE	0
#define XS_PERM_READ	1
#define XS_PERM_WRITE	2
#define XS_PERM_BOTH	(XS_PERM_READ | XS_PERM_WRITE)

/* Domain ids: 0..XS_DOMID_MAX are domains; minixen's own connection. */
#define XS_DOMID_MAX	0x7fefU
#define XS_DOMID_LOCAL	0x7ff0U

struct xs_perm {
	u16 id;		/* domid */
	u8 perm;	/* XS_PERM_* */
	u8 pad;
};

struct xs_store;

/**
 * typedef xs_notify_fn - kick a domain's xenstore event channel
 * @ctx: the value given with the domain at introduction
 * @domid: the domain
 */
typedef void (*xs_notify_fn)(void *ctx, u16 domid);

/**
 * typedef xs_introduce_fn - a privileged domain sent XS_INTRODUCE
 * @ctx: xs_config.hook_ctx
 * @s: the store (call xs_domain_introduce() from here to accept)
 * @caller: the domain that sent it
 * @domid: the domain to introduce (<= XS_DOMID_MAX), introduced already
 *	or not (xs_domain_stats() tells)
 * @gfn: its ring frame, as the guest wrote it (parsed, else unchecked)
 * @port: its event channel, as the guest wrote it (parsed, not 0)
 *
 * Return: 0 (answered OK), or a negative errno answered to the caller.
 */
typedef int (*xs_introduce_fn)(void *ctx, struct xs_store *s, u16 caller,
			       u16 domid, u64 gfn, u32 port);

/**
 * typedef xs_release_fn - a privileged domain sent XS_RELEASE for an
 * introduced domain other than itself; called before the store releases
 * it
 * @ctx: xs_config.hook_ctx
 * @caller: the domain that sent it
 * @domid: the domain to release
 *
 * Return: 0 to release it, or a negative errno answered to the caller.
 */
typedef int (*xs_release_fn)(void *ctx, u16 caller, u16 domid);

/**
 * typedef xs_local_event_fn - a watch of minixen's own fired
 * @ctx: the value given to xs_local_events()
 * @path: the node that changed (or the watched path)
 * @token: the token given to xs_watch_local()
 */
typedef void (*xs_local_event_fn)(void *ctx, const char *path,
				  const char *token);

/**
 * struct xs_config - sizes and per-domain quotas (0: the default)
 * @max_domains: connections (domains introduced at once), default 16
 * @hash_buckets: node hash table size (power of two), default 1024
 * @quota_nodes: nodes a domain may own, default 1000 (ENOSPC)
 * @quota_entry_size: bytes of one node (value, child names, ACL) an
 *	unprivileged domain may make, default 2048 (ENOSPC)
 * @quota_perms: ACL entries per node set by a domain, default 5 (ENOSPC)
 * @quota_watches: watches per domain, default 128 (E2BIG)
 * @quota_transactions: open transactions per domain, default 10 (ENOSPC)
 * @quota_tx_nodes: nodes one transaction may touch, default 1024 (ENOSPC)
 * @quota_outq: bytes of watch events queued for a domain that does not
 *	read its ring, default 64 KiB (more are dropped and counted)
 * @introduce: XS_INTRODUCE from a privileged domain (NULL: ENOSYS)
 * @release: XS_RELEASE from a privileged domain (may be NULL)
 * @hook_ctx: passed to @introduce and @release
 */
struct xs_config {
	u32 max_domains;
	u32 hash_buckets;
	u32 quota_nodes;
	u32 quota_entry_size;
	u32 quota_perms;
	u32 quota_watches;
	u32 quota_transactions;
	u32 quota_tx_nodes;
	u32 quota_outq;
	xs_introduce_fn introduce;
	xs_release_fn release;
	void *hook_ctx;
};

#define XS_POOL_ORDERS	32

/* Buddy allocator over the arena: free lists per power of two. */
struct xs_pool {
	u8 *base;
	u8 *meta;		/* one byte per XS_POOL_MIN block */
	size_t nblocks;
	void *free[XS_POOL_ORDERS];
	size_t used;		/* bytes in allocated blocks */
	size_t size;		/* bytes managed */
	u32 bad_frees;		/* xs_check() fails if not 0 */
};

struct xs_node;
struct xs_conn;

/**
 * struct xs_store - one minixen instance's xenstore (fields are private)
 */
struct xs_store {
	struct xs_config cfg;
	struct xs_pool pool;
	struct xs_node **hash;
	u32 hash_mask;
	struct xs_conn *conns;	/* cfg.max_domains + 1 (minixen's own) */
	struct xs_conn *local;
	u64 gen;		/* last node generation given out */
	u32 next_tx;
	char *scratch;		/* XENSTORE_ABS_PATH_MAX + 1 bytes */
	char *scratch2;
};

/* Xenstore's counters of one domain, for tests and debugging. */
struct xs_domain_stats {
	u32 nodes;
	u32 watches;
	u32 transactions;
	u32 outq_bytes;
	u32 dropped_events;
	bool broken;		/* stopped after a protocol error */
};

/**
 * xs_init() - set up an empty store: "/", "/local", "/local/domain",
 * "/tool" owned by domain 0 with no access for others
 * @s: the store
 * @cfg: sizes and quotas (copied; NULL or 0 fields: defaults)
 * @arena: all memory the store will ever use (8-byte aligned)
 * @arena_size: its size; 1 MiB holds a few domains comfortably
 *
 * Return: 0, -XS_ENOMEM if the arena is too small, -XS_EINVAL.
 */
int xs_init(struct xs_store *s, const struct xs_config *cfg, void *arena,
	    size_t arena_size);

/**
 * xs_domain_introduce() - connect a domain's ring
 * @s: the store
 * @domid: the domain (<= XS_DOMID_MAX)
 * @ring: its ring page, mapped for the caller's lifetime of the domain
 * @notify: kicks the domain's xenstore event channel
 * @ctx: for @notify
 * @privileged: may introduce/release domains, bypasses permissions and
 *	quotas (dom0's role)
 *
 * Fires @introduceDomain. The ring's indices are taken as they are.
 *
 * Return: 0, -XS_EEXIST (already introduced), -XS_ENOSPC (no free
 * connection), -XS_ENOMEM, -XS_EINVAL.
 */
int xs_domain_introduce(struct xs_store *s, u16 domid,
			struct xenstore_domain_interface *ring,
			xs_notify_fn notify, void *ctx, bool privileged);

/**
 * xs_domain_release() - disconnect a domain: drop its watches, abort its
 * transactions and queued output, fire @releaseDomain. Its nodes stay
 * (remove /local/domain/N with xs_rm_local()).
 * @s: the store
 * @domid: the domain
 *
 * Return: 0, -XS_ENOENT if not introduced.
 */
int xs_domain_release(struct xs_store *s, u16 domid);

/**
 * xs_domain_process() - serve a domain after it kicked its event channel:
 * answer its requests, push queued output (watch events of any domain)
 * and notify every domain that got output.
 * @s: the store
 * @domid: the domain whose requests to read
 *
 * Handles at most 64 requests per call.
 *
 * Return: 1 if requests may remain (call again later), 0 if done,
 * -XS_ENOENT if @domid is not introduced.
 */
int xs_domain_process(struct xs_store *s, u16 domid);

/**
 * xs_flush_all() - push queued output to every ring with room (after a
 * local change, or when a domain consumed responses) and notify.
 * @s: the store
 */
void xs_flush_all(struct xs_store *s);

/**
 * xs_domain_stats() - a domain's counters
 * @s: the store
 * @domid: the domain
 * @st: filled in
 *
 * Return: 0, -XS_ENOENT.
 */
int xs_domain_stats(struct xs_store *s, u16 domid, struct xs_domain_stats *st);

/*
 * minixen's own accesses (privileged, outside any transaction). Paths are
 * absolute. Watches of domains fire; call xs_flush_all() afterwards.
 */
int xs_write_local(struct xs_store *s, const char *path, const void *val,
		   u32 len);
int xs_printf_local(struct xs_store *s, const char *path, const char *fmt,
		    ...) __printf(3, 4);
int xs_mkdir_local(struct xs_store *s, const char *path);
int xs_rm_local(struct xs_store *s, const char *path);
/* Return: value length (copied up to @size), or a negative errno. */
int xs_read_local(struct xs_store *s, const char *path, void *buf, u32 size);
int xs_set_perms_local(struct xs_store *s, const char *path,
		       const struct xs_perm *perms, u32 n);

/**
 * xs_watch_local() - a watch of minixen's own (fires once at once)
 * @s: the store
 * @path: absolute path, or @introduceDomain / @releaseDomain
 * @token: handed back with each event
 *
 * Events wait until xs_local_events() hands them over.
 *
 * Return: 0, or a negative errno.
 */
int xs_watch_local(struct xs_store *s, const char *path, const char *token);
int xs_unwatch_local(struct xs_store *s, const char *path, const char *token);
/* Hand minixen's queued watch events to @fn; returns how many. */
int xs_local_events(struct xs_store *s, xs_local_event_fn fn, void *ctx);

/**
 * xs_local_event_next() - hand minixen's oldest queued watch event to @fn
 * @s: the store
 * @fn: called once, with the event (its strings live until @fn returns)
 * @ctx: for @fn
 *
 * For a caller that must act on each event outside the store's lock:
 * take one, copy it, unlock, act, lock, take the next.
 *
 * Return: 1 if there was one, 0 if none is queued.
 */
int xs_local_event_next(struct xs_store *s, xs_local_event_fn fn, void *ctx);

/**
 * xs_domain_create_tree() - the nodes xl makes for a new domain:
 * /local/domain/N (owner 0, N may read) with name, domid, device,
 * control, backend (the same), control/shutdown and the control/feature-*
 * and platform-feature-* nodes, device/suspend/event-channel, data,
 * drivers, feature, attr, error (owned by N), and memory/target,
 * memory/static-max when @mem_kb is not 0.
 * @s: the store
 * @domid: the domain
 * @name: its name
 * @mem_kb: its memory in KiB, or 0
 *
 * Return: 0, or a negative errno (nothing half-made is left behind).
 */
int xs_domain_create_tree(struct xs_store *s, u16 domid, const char *name,
			  u64 mem_kb);

/**
 * xs_check() - verify the store's invariants (for tests and fuzzing):
 * every node's parent lists it, every listed child exists, per-domain
 * node counts match, no transaction record is orphaned, the pool's
 * accounting adds up.
 * @s: the store
 *
 * Return: 0, or a negative number naming the first broken invariant.
 */
int xs_check(struct xs_store *s);

/* Pool bytes in use (tests: a leak shows as growth). */
size_t xs_pool_used(const struct xs_store *s);

#endif
