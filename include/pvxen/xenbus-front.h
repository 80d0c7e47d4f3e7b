/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen frontend connection: the state machine every frontend runs
 * against its backend, once, in pvxen-core.
 *
 *   backend InitWait (or Connected first)  ->  ops->setup(), then
 *       ops->publish() in a xenstore transaction; we go Initialised
 *       (with ops->connect_first, ops->connect() right away instead)
 *   backend Connected                      ->  ops->connect(); the
 *       driver switches to Connected when its device is up
 *   backend Connected again                ->  ops->changed()
 *       (with ops->connect_first, every time)
 *   backend Closing                        ->  ops->stop(wait = true):
 *       new I/O fails, I/O in flight may finish (bounded); then
 *       ops->teardown() and we go Closed
 *   backend Closed or gone                 ->  the same, without waiting
 *   backend Closed, still "online"         ->  with ops->reconnect, we go
 *       Initialising again: a backend that went away (restarted, or
 *       closed by its toolstack without unplugging us) and comes back
 *       gets a new connection; not after pvxen_front_fatal() or a
 *       failed set-up, and at most PVXEN_FRONT_MAX_RETRIES times in a
 *       row without reaching Connected
 *   pvxen_front_fatal() (a broken ring, any context) -> from a work
 *       item: ops->broken(), and the error is reported in xenstore
 *       (pvxen_xenbus_dev_fatal(): we go Closing)
 *
 * Every callback runs with @mutex held, in the device's process context,
 * never after pvxen_front_remove() began.  The driver takes @mutex too
 * around its own changes to the connection (remove(), resize) and reads
 * @conn with READ_ONCE() where it does not hold it (I/O paths).
 *
 * Lock order: front->mutex, then the driver's ring locks; fail_lock nests
 * inside nothing.
 */
#ifndef _PVXEN_XENBUS_FRONT_H
#define _PVXEN_XENBUS_FRONT_H

#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include <pvxen/xenbus.h>

enum pvxen_front_conn {
	PVXEN_FRONT_DISCONNECTED,	/* nothing set up (yet) */
	PVXEN_FRONT_INITIALISED,	/* rings published, backend to connect */
	PVXEN_FRONT_CONNECTED,		/* device live */
	PVXEN_FRONT_DEAD,		/* backend gone or failed: I/O fails */
};

struct pvxen_front;

/**
 * struct pvxen_front_ops - what a frontend driver does at each step
 * @setup: allocate and grant the rings, bind their channels; 0 or a
 *	negative errno with nothing left allocated
 * @publish: write the keys in transaction @tx (run again if the
 *	transaction is retried); 0 or a negative errno
 * @teardown: free what @setup made; nothing is in flight any more
 * @connect: the backend is Connected: bring the device up and switch to
 *	Connected; 0 or a negative errno (the device is then dead)
 * @changed: the backend wrote Connected again while connected (optional)
 * @stop: new I/O fails from now on; if @wait, let I/O in flight finish for
 *	a while (bounded, and not once pvxen_xenbus_unbinding()); then fail
 *	what is left
 * @broken: a ring broke: fail the device's I/O
 * @noun: what the device is, in messages: "disk", "interface"
 * @connect_first: the protocol has the frontend go Connected as soon as
 *	its rings are published, before the backend (netif: netback
 *	connects only to a Connected frontend): @connect runs right after
 *	@publish, and the backend's Connected then reaches @changed
 * @reconnect: connect again when the backend closes but stays online
 */
struct pvxen_front_ops {
	int (*setup)(struct pvxen_front *f);
	int (*publish)(struct pvxen_front *f, u32 tx);
	void (*teardown)(struct pvxen_front *f);
	int (*connect)(struct pvxen_front *f);
	void (*changed)(struct pvxen_front *f);
	void (*stop)(struct pvxen_front *f, bool wait);
	void (*broken)(struct pvxen_front *f);
	const char *noun;
	bool connect_first;
	bool reconnect;
};

/* Reconnections in a row that never reached Connected, at most. */
#define PVXEN_FRONT_MAX_RETRIES	3

/**
 * struct pvxen_front - a frontend's connection to its backend
 * @dev: the xenbus device
 * @ops: the driver's steps
 * @name: the device's name in messages ("xvda", "eth0")
 * @mutex: connection state changes (the callbacks run under it)
 * @conn: where the connection is
 * @set_up: @ops->setup() succeeded and @ops->teardown() has not run
 * @removing: pvxen_front_remove() began: no callback runs any more
 * @failed: a fatal error closed the device: it is not connected again
 * @retries: reconnections since the backend was last Connected
 * @fail_work: runs @ops->broken() after pvxen_front_fatal()
 * @fail_lock: protects @dying
 * @dying: no @fail_work may be queued any more
 */
struct pvxen_front {
	struct pvxen_xenbus_device *dev;
	const struct pvxen_front_ops *ops;
	const char *name;
	struct mutex mutex;	/* protects conn .. retries */
	enum pvxen_front_conn conn;
	bool set_up;
	bool removing;
	bool failed;
	unsigned int retries;
	struct work_struct fail_work;
	spinlock_t fail_lock;	/* protects dying */
	bool dying;
};

void pvxen_front_init(struct pvxen_front *f, struct pvxen_xenbus_device *dev,
		      const struct pvxen_front_ops *ops, const char *name);
int pvxen_front_start(struct pvxen_front *f);
void pvxen_front_otherend_changed(struct pvxen_front *f,
				  enum pvxen_xenbus_state state);
void pvxen_front_fatal(struct pvxen_front *f);
void pvxen_front_remove(struct pvxen_front *f);
void pvxen_front_teardown(struct pvxen_front *f);
const char *pvxen_front_strconn(enum pvxen_front_conn conn);

#endif /* _PVXEN_XENBUS_FRONT_H */
