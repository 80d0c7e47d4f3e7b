// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen: a frontend's connection to its backend, the state machine every
 * frontend driver shares (include/pvxen/xenbus-front.h).
 */
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/workqueue.h>

#include <pvxen/xenbus-client.h>
#include <pvxen/xenbus-front.h>
#include <pvxen/xenstore.h>

static const char * const front_conn_names[] = {
	[PVXEN_FRONT_DISCONNECTED] = "disconnected",
	[PVXEN_FRONT_INITIALISED] = "initialised",
	[PVXEN_FRONT_CONNECTED] = "connected",
	[PVXEN_FRONT_DEAD] = "dead",
};

/**
 * pvxen_front_strconn() - Name of a connection state, for debugfs.
 * @conn: the state
 *
 * Return: "disconnected", "initialised", "connected", "dead" or "?".
 */
const char *pvxen_front_strconn(enum pvxen_front_conn conn)
{
	if ((unsigned int)conn >= ARRAY_SIZE(front_conn_names))
		return "?";
	return front_conn_names[conn];
}
EXPORT_SYMBOL_GPL(pvxen_front_strconn);

static int front_publish(u32 tx, void *data)
{
	struct pvxen_front *f = data;

	return f->ops->publish(f, tx);
}

/* Free what setup made, once. */
static void front_teardown(struct pvxen_front *f)
{
	lockdep_assert_held(&f->mutex);
	if (f->set_up)
		f->ops->teardown(f);
	f->set_up = false;
}

static void front_connect(struct pvxen_front *f)
{
	int ret;

	ret = f->ops->connect(f);
	if (ret) {
		WRITE_ONCE(f->conn, PVXEN_FRONT_DEAD);
		f->failed = true;
		pvxen_xenbus_dev_fatal(f->dev, ret, "%s: bringing the %s up",
				       f->name, f->ops->noun);
	}
}

/* Backend in InitWait: set up the rings and publish them. */
static void front_talk(struct pvxen_front *f)
{
	int ret;

	ret = f->ops->setup(f);
	if (ret) {
		f->failed = true;
		pvxen_xenbus_dev_fatal(f->dev, ret, "%s: setting up the rings",
				       f->name);
		return;
	}
	f->set_up = true;
	ret = pvxen_xs_transaction_run(front_publish, f, NULL);
	if (ret) {
		front_teardown(f);
		f->failed = true;
		pvxen_xenbus_dev_fatal(f->dev, ret, "%s: publishing the rings",
				       f->name);
		return;
	}
	f->conn = PVXEN_FRONT_INITIALISED;
	if (f->ops->connect_first)
		front_connect(f);
	else
		pvxen_xenbus_switch_state(f->dev, PVXEN_XENBUS_INITIALISED);
}

/*
 * The backend is closing (hot-unplug, detach, a backend that gave up), or
 * gone: stop I/O, let what is in flight finish for a while if @wait, free
 * the rings and close our end.  The device stays, dead, until it goes.
 */
static void front_backend_closing(struct pvxen_front *f, bool wait)
{
	/*
	 * When we are the one closing (unbind, unload, a fatal error)
	 * nothing waits: the I/O fails, as a hot-unplug would fail it.
	 */
	if (f->dev->state == PVXEN_XENBUS_CLOSING)
		wait = false;
	if (f->conn == PVXEN_FRONT_CONNECTED || f->set_up)
		f->ops->stop(f, wait && f->conn == PVXEN_FRONT_CONNECTED);
	WRITE_ONCE(f->conn, PVXEN_FRONT_DEAD);
	front_teardown(f);
	pvxen_xenbus_switch_state(f->dev, PVXEN_XENBUS_CLOSED);
}

/*
 * The backend is Closed and so are we.  If it is still online (not being
 * unplugged: the toolstack clears "online" first), it went away without
 * taking the device with it and may come back: ask for a new connection,
 * unless the device failed, or the backend keeps closing.
 */
static void front_try_reconnect(struct pvxen_front *f)
{
	struct pvxen_xenbus_device *dev = f->dev;

	if (!f->ops->reconnect || f->failed || f->conn != PVXEN_FRONT_DEAD ||
	    dev->state != PVXEN_XENBUS_CLOSED ||
	    !pvxen_xenbus_read_uint(dev->otherend, "online", 0))
		return;
	if (f->retries == PVXEN_FRONT_MAX_RETRIES) {
		dev_err(&dev->dev,
			"%s: the backend closed %u times without connecting; staying closed\n",
			f->name, f->retries);
		f->failed = true;
		return;
	}
	f->retries++;
	dev_info(&dev->dev, "%s: the backend closed; connecting again\n",
		 f->name);
	f->conn = PVXEN_FRONT_DISCONNECTED;
	if (pvxen_xenbus_switch_state(dev, PVXEN_XENBUS_INITIALISING))
		f->conn = PVXEN_FRONT_DEAD;
}

/**
 * pvxen_front_otherend_changed() - Follow the backend's state.
 * @f: the connection
 * @state: the backend's new state
 *
 * Call it from the driver's otherend_changed().
 *
 * Context: process (the device's work item); takes @f->mutex.
 */
void pvxen_front_otherend_changed(struct pvxen_front *f,
				  enum pvxen_xenbus_state state)
{
	struct pvxen_xenbus_device *dev = f->dev;

	mutex_lock(&f->mutex);
	if (f->removing)
		goto out;
	switch (state) {
	case PVXEN_XENBUS_INIT_WAIT:
		if (f->conn == PVXEN_FRONT_DISCONNECTED &&
		    dev->state == PVXEN_XENBUS_INITIALISING)
			front_talk(f);
		break;
	case PVXEN_XENBUS_CONNECTED:
		if (f->conn == PVXEN_FRONT_DISCONNECTED &&
		    dev->state == PVXEN_XENBUS_INITIALISING)
			front_talk(f);
		/* Not once we are closing: Connected would undo that. */
		if (f->conn == PVXEN_FRONT_INITIALISED &&
		    dev->state == PVXEN_XENBUS_INITIALISED &&
		    !f->ops->connect_first)
			front_connect(f);
		else if (f->conn == PVXEN_FRONT_CONNECTED && f->ops->changed)
			f->ops->changed(f);
		if (f->conn == PVXEN_FRONT_CONNECTED)
			f->retries = 0;
		break;
	case PVXEN_XENBUS_CLOSING:
		front_backend_closing(f, true);
		break;
	case PVXEN_XENBUS_CLOSED:
	case PVXEN_XENBUS_UNKNOWN:
		if (f->conn != PVXEN_FRONT_DISCONNECTED ||
		    dev->state != PVXEN_XENBUS_INITIALISING)
			front_backend_closing(f, false);
		if (state == PVXEN_XENBUS_CLOSED)
			front_try_reconnect(f);
		break;
	default:
		break;
	}
out:
	mutex_unlock(&f->mutex);
}
EXPORT_SYMBOL_GPL(pvxen_front_otherend_changed);

/* A ring broke: fail the device and tell the backend. */
static void front_fail_work(struct work_struct *work)
{
	struct pvxen_front *f = container_of(work, struct pvxen_front,
					     fail_work);

	mutex_lock(&f->mutex);
	if (!f->removing && f->conn == PVXEN_FRONT_CONNECTED) {
		WRITE_ONCE(f->conn, PVXEN_FRONT_DEAD);
		f->failed = true;
		f->ops->broken(f);
		pvxen_xenbus_dev_fatal(f->dev, -EIO,
				       "%s: the backend broke the protocol",
				       f->name);
	}
	mutex_unlock(&f->mutex);
}

/**
 * pvxen_front_fatal() - Close the device after a ring failed.
 * @f: the connection
 *
 * Queues the work that runs @f->ops->broken() and reports the error.
 * Once pvxen_front_remove() began nothing is queued: interrupts and
 * timeouts may call this until the rings are gone, and the work must not
 * outlive @f.
 *
 * Context: any.
 */
void pvxen_front_fatal(struct pvxen_front *f)
{
	unsigned long flags;

	spin_lock_irqsave(&f->fail_lock, flags);
	if (!f->dying)
		queue_work(system_long_wq, &f->fail_work);
	spin_unlock_irqrestore(&f->fail_lock, flags);
}
EXPORT_SYMBOL_GPL(pvxen_front_fatal);

/**
 * pvxen_front_init() - Set up a connection, before the driver's probe
 * returns.
 * @f: the connection (in the driver's device state)
 * @dev: the xenbus device
 * @ops: the driver's steps
 * @name: the device's name in messages; must outlive @f
 */
void pvxen_front_init(struct pvxen_front *f, struct pvxen_xenbus_device *dev,
		      const struct pvxen_front_ops *ops, const char *name)
{
	f->dev = dev;
	f->ops = ops;
	f->name = name;
	mutex_init(&f->mutex);
	f->conn = PVXEN_FRONT_DISCONNECTED;
	f->set_up = false;
	f->removing = false;
	f->failed = false;
	f->retries = 0;
	INIT_WORK(&f->fail_work, front_fail_work);
	spin_lock_init(&f->fail_lock);
	f->dying = false;
}
EXPORT_SYMBOL_GPL(pvxen_front_init);

/**
 * pvxen_front_start() - Ask the backend for a new connection.
 * @f: the connection, initialised
 *
 * Switches the device to Initialising; a previous driver may have left it
 * Closed, and the backend answers with InitWait.
 *
 * Context: process.
 * Return: 0 or a negative errno.
 */
int pvxen_front_start(struct pvxen_front *f)
{
	return pvxen_xenbus_switch_state(f->dev, PVXEN_XENBUS_INITIALISING);
}
EXPORT_SYMBOL_GPL(pvxen_front_start);

/**
 * pvxen_front_remove() - Stop the state machine for the device's removal.
 * @f: the connection
 *
 * No callback runs after this returns, and no fail work is queued or
 * running.  The driver then takes @f->mutex, stops its device, and frees
 * the rings with pvxen_front_teardown().
 *
 * Context: process.
 */
void pvxen_front_remove(struct pvxen_front *f)
{
	mutex_lock(&f->mutex);
	f->removing = true;
	mutex_unlock(&f->mutex);
	spin_lock_irq(&f->fail_lock);
	f->dying = true;
	spin_unlock_irq(&f->fail_lock);
	cancel_work_sync(&f->fail_work);
}
EXPORT_SYMBOL_GPL(pvxen_front_remove);

/**
 * pvxen_front_teardown() - Free the rings at removal.
 * @f: the connection, after pvxen_front_remove(), with @f->mutex held
 *
 * Runs @f->ops->teardown() if the rings are set up.
 */
void pvxen_front_teardown(struct pvxen_front *f)
{
	front_teardown(f);
}
EXPORT_SYMBOL_GPL(pvxen_front_teardown);
