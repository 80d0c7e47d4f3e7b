/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Xenstore internals shared by hyp/core/xenstore_*.c: nodes, transaction
 * records, watches, connections and their output queues.
 */
#ifndef MINIXEN_XENSTORE_PRIV_H
#define MINIXEN_XENSTORE_PRIV_H

#include <minixen/xenstore.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* Kinds of node records: the store's own, or one transaction's view. */
enum xs_node_kind {
	XS_N_MAIN,	/* in the store (tx == 0) */
	XS_N_READ,	/* transaction saw the store's node (or its absence) */
	XS_N_COPY,	/* transaction's changed copy */
	XS_N_DELETED,	/* transaction removed it */
};

/*
 * A node and its data in one pool block: perms[nperms], then the path
 * (NUL-terminated), the value (vlen bytes) and the child names (each
 * NUL-terminated, clen bytes in all). Changing a node makes a new block.
 */
struct xs_node {
	struct xs_node *hnext;	/* hash chain */
	struct xs_node *tnext;	/* transaction's record list */
	struct xs_node *link;	/* scratch list of one operation */
	/* MAIN: generation; else the store's when first seen (0: absent) */
	u64 gen;
	u32 tx;			/* 0, or the transaction id */
	u32 hash;		/* of the path alone */
	u32 vlen;
	u32 clen;
	u16 plen;
	u8 nperms;
	u8 kind;
	struct xs_perm perms[];
};

static inline char *xs_node_path(const struct xs_node *n)
{
	return (char *)(n->perms + n->nperms);
}

static inline char *xs_node_value(const struct xs_node *n)
{
	return xs_node_path(n) + n->plen + 1;
}

static inline char *xs_node_children(const struct xs_node *n)
{
	return xs_node_value(n) + n->vlen;
}

/* Size counted against quota_entry_size, as Xen counts it. */
static inline u32 xs_node_size(const struct xs_node *n)
{
	return n->vlen + n->clen + n->nperms * (u32)sizeof(struct xs_perm);
}

struct xs_tx {
	struct xs_tx *next;
	u32 id;
	u32 nrecs;
	int delta;		/* nodes the connection gains at commit */
	struct xs_node *recs;
};

struct xs_watch {
	struct xs_watch *next;
	u16 plen;		/* canonical path, or "@..." */
	u16 tlen;
	bool relative;		/* events name paths relative to the domain */
	char data[];		/* path NUL token NUL */
};

static inline const char *xs_watch_token(const struct xs_watch *w)
{
	return w->data + w->plen + 1;
}

/* One message (header and payload) waiting for room in a ring. */
struct xs_out {
	struct xs_out *next;
	u32 len;
	u32 off;
	u8 data[];
};

struct xs_conn {
	bool used;
	bool privileged;
	bool broken;
	bool kick;		/* notify after this round */
	u16 domid;
	struct xenstore_domain_interface *ring;
	xs_notify_fn notify;
	void *notify_ctx;
	u32 req_cons;		/* ours; the page's copy is only told */
	u32 rsp_prod;
	struct xsd_sockmsg hdr;	/* request being read */
	u32 in_got;		/* bytes of it read so far */
	u8 *in;			/* its payload, XENSTORE_PAYLOAD_MAX + 1 */
	struct xs_out *reply;	/* preallocated: 16 + XENSTORE_PAYLOAD_MAX */
	bool reply_queued;
	struct xs_watch *initial;	/* fire after the reply */
	struct xs_out *out_head, *out_tail;
	u32 outq_bytes;		/* watch events queued */
	u32 dropped_events;
	struct xs_watch *watches;
	u32 nwatches;
	struct xs_tx *txs;
	u32 ntxs;
	u32 nodes;		/* nodes it owns in the store */
};

/* What an operation acts as: a connection, maybe inside a transaction. */
struct xs_ctx {
	struct xs_store *s;
	struct xs_conn *c;
	struct xs_tx *tx;
};

/* xenstore_pool.c */
int xs_pool_init(struct xs_pool *p, void *arena, size_t size);
void *xs_alloc(struct xs_store *s, size_t n);
void xs_free(struct xs_store *s, void *ptr);
size_t xs_pool_free_bytes(const struct xs_pool *p);

/* xenstore_tree.c: nodes and permissions */
struct xs_node *xs_find(struct xs_store *s, u32 tx, const char *path,
			u32 plen);
void xs_hash_add(struct xs_store *s, struct xs_node *n);
void xs_hash_del(struct xs_store *s, struct xs_node *n);
void xs_main_add(struct xs_store *s, struct xs_node *n);
void xs_main_del(struct xs_store *s, struct xs_node *n);
struct xs_conn *xs_conn_find(struct xs_store *s, u16 domid);
bool xs_perms_allow(const struct xs_conn *c, const struct xs_perm *p,
		    u32 np, u8 want);
int xs_canon(const struct xs_conn *c, const char *in, char *out,
	     bool *relative);
u32 xs_domain_path(u16 domid, char *buf, u32 size);
bool xs_is_under(const char *a, u32 alen, const char *b, u32 blen);
u32 xs_count_owned(struct xs_store *s, u16 domid);
int xs_child_find(const struct xs_node *n, const char *name, u32 len);
u32 xs_parent_len(const char *path, u32 plen);

/* xenstore_ops.c: the operations on a (transaction's) view */
int xs_make_root(struct xs_store *s);
int xs_op_get(struct xs_ctx *x, const char *path, u32 plen, u8 want,
	      struct xs_node **out);
int xs_op_write(struct xs_ctx *x, const char *path, u32 plen,
		const void *val, u32 vlen);
int xs_op_mkdir(struct xs_ctx *x, const char *path, u32 plen);
int xs_op_rm(struct xs_ctx *x, const char *path, u32 plen);
int xs_op_set_perms(struct xs_ctx *x, const char *path, u32 plen,
		    const struct xs_perm *perms, u32 np);

/* xenstore_tx.c */
int xs_tx_start(struct xs_store *s, struct xs_conn *c, u32 *id);
int xs_tx_end(struct xs_store *s, struct xs_conn *c, u32 id, bool commit);
struct xs_tx *xs_tx_find(struct xs_conn *c, u32 id);
void xs_tx_abort_all(struct xs_store *s, struct xs_conn *c);

/* xenstore_watch.c */
int xs_watch_add(struct xs_store *s, struct xs_conn *c, const char *path,
		 bool relative, const char *token, struct xs_watch **out);
int xs_watch_del(struct xs_store *s, struct xs_conn *c, const char *path,
		 const char *token);
void xs_watch_reset(struct xs_store *s, struct xs_conn *c);
void xs_fire(struct xs_store *s, const char *path, u32 plen,
	     const struct xs_perm *perms, u32 np, bool recursive);
void xs_fire_special(struct xs_store *s, const char *name);
void xs_fire_one(struct xs_store *s, struct xs_conn *c,
		 const struct xs_watch *w, const char *path, u32 plen);

/* xenstore_ring.c: connections and their rings */
void xs_out_free_all(struct xs_store *s, struct xs_conn *c);
void xs_queue_event(struct xs_store *s, struct xs_conn *c, const char *path,
		    u32 plen, const char *token, u32 tlen);

/* xenstore_wire.c: one request, answered into c->reply */
void xs_handle(struct xs_store *s, struct xs_conn *c);

#endif
