/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the xenbus sides of minixen's backends share (core/xenbus_back.c):
 * the backend's state machine, a device's directory written as xl
 * writes it, a frontend's numbers read as Linux writes them, the
 * backend's state published, the frontend's state node recognised in a
 * watch event. All go through minixen's own xenstore connection
 * (xen_store.h): call them with no lock held.
 */
#ifndef MINIXEN_XENBUS_BACK_H
#define MINIXEN_XENBUS_BACK_H

#include <minixen/lib.h>

/* Bytes of a device's backend or frontend directory path */
#define XENBUS_BACK_DIR		64

struct xenbus_back;

/**
 * struct xenbus_back_ops - what the state machine asks of its device
 * @read: read what the frontend wrote for its rings into @conf; no lock
 *	held. Returns 0, or -1 having logged one line why.
 * @connect: take the rings @conf names, with the device's lock held.
 *	Returns 0, or -1 having logged one line why.
 * @disconnect: let go of the rings, with the device's lock held; a
 *	no-op when nothing is connected.
 * @connected: whether the rings are still served: false once the ring
 *	logic dropped them for a lying frontend. Any lock or none held.
 */
struct xenbus_back_ops {
	int (*read)(struct xenbus_back *xb, void *conf);
	int (*connect)(struct xenbus_back *xb, const void *conf);
	void (*disconnect)(struct xenbus_back *xb);
	bool (*connected)(struct xenbus_back *xb);
};

/**
 * struct xenbus_back - a device's backend state machine, as Linux's
 *	blkback and netback follow their frontend's state
 * @ops: its device's part
 * @lock: guards @state and @dead; held around @ops' connect and
 *	disconnect, never around a xenstore call. Lock order: @lock, then
 *	the device's own locks (blkback.h, netback.h).
 * @state: the backend's pvxen_xenbus_state, as published
 * @dead: its domain is released: never connect again
 * @be: the backend's directory
 * @fe: the frontend's directory
 */
struct xenbus_back {
	const struct xenbus_back_ops *ops;
	struct mx_lock lock;
	int state;
	bool dead;
	char be[XENBUS_BACK_DIR];
	char fe[XENBUS_BACK_DIR];
};

void xenbus_back_init(struct xenbus_back *xb,
		      const struct xenbus_back_ops *ops);
void xenbus_back_changed(struct xenbus_back *xb, void *conf);
void xenbus_back_check(struct xenbus_back *xb);
void xenbus_back_kill(struct xenbus_back *xb);
int xenbus_back_put_dir(const char *dir, u16 owner, u16 reader,
			const char *const *kv);
int xenbus_back_get_u32(const char *dir, const char *key, u32 *out);
void xenbus_back_publish(const char *be, int state);
bool xenbus_back_is_state(const char *dir, const char *path);

#endif
