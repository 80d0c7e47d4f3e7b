/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Xenstore for minixen's domains: the one store (core/xenstore_*.c,
 * xenstore.h) connected to each Xen-aware domain through a ring page and
 * an event channel to minixen's xenstore service, as Xen's dom0less
 * gives its domains (Documentation/minixen.md, "Xenstore").
 *
 * Requests are served where the domain notifies: in its EVTCHNOP_send,
 * one budget of the store (64 requests) at a time; what is left is
 * served before the next entry into any of the domain's vCPUs.
 *
 * minixen's own clients (its backends) use the store through the
 * xen_store_*() calls below (core/xen_store_hyp.c), as its privileged
 * local connection, and get their watch events through callbacks.
 *
 * Locking: one lock guards the store. Lock order: the store's lock, then
 * evtchn locks, then vGIC locks (the store notifies domains under its
 * lock). The store's lock is taken with no other lock held: call these
 * functions, and xen_store_watch_fn callbacks are called, with no lock
 * held. A callback runs on the CPU that last dropped the store's lock
 * while events were queued (in a domain's EVTCHNOP_send, before a vCPU
 * entry, while a domain is connected or released, in a client's own
 * xen_store_*() call), after that lock is dropped, so it may call any
 * xen_store_*() function; events it causes are delivered after it
 * returns.
 */
#ifndef MINIXEN_XEN_STORE_H
#define MINIXEN_XEN_STORE_H

#include <minixen/lib.h>
#include <minixen/xen_abi.h>
#include <minixen/xenstore.h>

struct domain;

/*
 * The ring page's guest frame: in Xen's "magic" pages (GUEST_MAGIC_BASE,
 * outside guest RAM), at the offset libxl and dom0less give xenstore.
 */
#define XEN_STORE_GFN		((GUEST_MAGIC_BASE >> XEN_PAGE_SHIFT) + 1)

/* The store's memory, from minixen's heap, and what each domain may use. */
#define XEN_STORE_ARENA		0x100000UL	/* 1 MiB */
#define XEN_STORE_NODES		256	/* nodes a domain may own */
#define XEN_STORE_ENTRY		2048	/* bytes of one node */
#define XEN_STORE_WATCHES	64
#define XEN_STORE_TXS		10
#define XEN_STORE_OUTQ		16384	/* queued watch events, bytes */
/* minixen's own clients: watches in all, bytes of a path and a token */
#define XEN_STORE_CLIENT_WATCHES	32
#define XEN_STORE_WATCH_PATH	128
#define XEN_STORE_WATCH_TOKEN	32

/* Once at boot, before any domain: the store. 0 or a negative Xen errno. */
int xen_store_init(void);

/*
 * Connect Xen-aware @d: its ring page mapped at XEN_STORE_GFN, a channel
 * to the service (its end in HVM_PARAM_STORE_EVTCHN, the frame in
 * HVM_PARAM_STORE_PFN), /local/domain/<domid> as xl makes it. Domain 0
 * is privileged in the store (dom0's role there). Before @d first runs.
 * Returns 0 or a negative Xen errno.
 */
int xen_store_domain_init(struct domain *d);

/*
 * Before entering a vCPU of @d: serve the requests an event left
 * (cheap when there are none).
 */
void xen_store_resume(struct domain *d);

/*
 * @d has ended: its connection goes (its watches, transactions, queued
 * output), /local/domain/<domid> is removed (others' watches fire).
 */
void xen_store_domain_release(struct domain *d);

/*
 * minixen's own accesses, privileged, outside any transaction; @path is
 * absolute. They return 0 or a negative Xen errno as the store answers
 * (-XS_ENOENT, -XS_EINVAL, ...; xenstore.h), -XS_ENODEV if there is no
 * store. Domains' watches fire and the domains are notified before the
 * call returns.
 */

/**
 * xen_store_write() - write a node, making its missing parents
 * @path: absolute path
 * @val: the value (not NUL-terminated)
 * @len: its length, up to XENSTORE_PAYLOAD_MAX
 *
 * Return: 0 or a negative Xen errno.
 */
int xen_store_write(const char *path, const void *val, u32 len);

/**
 * xen_store_read() - read a node's value
 * @path: absolute path
 * @buf: where the value goes, not NUL-terminated
 * @size: at most this much of it
 *
 * Return: the value's full length (more than @size: cut short), or a
 * negative Xen errno.
 */
int xen_store_read(const char *path, void *buf, u32 size);

/**
 * xen_store_mkdir() - make a node (and its parents) if it is missing
 * @path: absolute path
 *
 * Return: 0 or a negative Xen errno.
 */
int xen_store_mkdir(const char *path);

/**
 * xen_store_rm() - remove a node and everything below it
 * @path: absolute path
 *
 * Return: 0 (also if it was not there but its parent is, as XS_RM
 * answers), or a negative Xen errno (-XS_ENOENT: no parent either).
 */
int xen_store_rm(const char *path);

/**
 * xen_store_set_perms() - set a node's ACL, as XS_SET_PERMS does
 * @path: absolute path
 * @perms: the owner (and what others get) first, then one per domain
 * @n: entries in @perms
 *
 * Return: 0 or a negative Xen errno.
 */
int xen_store_set_perms(const char *path, const struct xs_perm *perms, u32 n);

/**
 * typedef xen_store_watch_fn - a watch of minixen's own client fired
 * @ctx: as given to xen_store_watch()
 * @path: the node that changed (absolute), or the watched path itself
 * @token: as given to xen_store_watch()
 *
 * Called with no lock held (see "Locking" above); @path and @token live
 * until it returns.
 */
typedef void (*xen_store_watch_fn)(void *ctx, const char *path,
				   const char *token);

/**
 * xen_store_watch() - watch a path for minixen's own client
 * @path: absolute path (under XEN_STORE_WATCH_PATH bytes), or
 *	@introduceDomain / @releaseDomain
 * @token: the client's name for it (under XEN_STORE_WATCH_TOKEN bytes);
 *	@path and @token together name the watch
 * @fn: called for each change of @path or of a node below it
 * @ctx: for @fn
 *
 * As on the wire, the watch fires once at once: @fn runs before this
 * returns (unless called from a callback: after that callback).
 *
 * Return: 0, -XS_EEXIST (the same @path and @token), -XS_ENOSPC
 * (XEN_STORE_CLIENT_WATCHES in use), -XS_E2BIG, -XS_EINVAL, -XS_ENODEV.
 */
int xen_store_watch(const char *path, const char *token,
		    xen_store_watch_fn fn, void *ctx);

/**
 * xen_store_unwatch() - stop a watch of xen_store_watch()
 * @path: as given to xen_store_watch()
 * @token: as given to xen_store_watch()
 *
 * Its events not yet delivered are dropped; a call of its callback
 * that another CPU has begun still completes.
 *
 * Return: 0, -XS_ENOENT (no such watch), -XS_EINVAL, -XS_ENODEV.
 */
int xen_store_unwatch(const char *path, const char *token);

#endif
