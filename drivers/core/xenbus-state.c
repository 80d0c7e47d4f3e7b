// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen: the xenbus frontend bus: the state of both ends.
 *
 * Each end publishes its XenbusState in its directory's "state" node.
 * This end's is switched under dev->lock, and only to Closing or Closed
 * while the core closes the device for its driver's removal.  Closing and
 * the reset of a stale backend are bounded handshakes that poll the
 * other end's state.  Also here: the fatal-error report and the helpers
 * for a device's own nodes.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include <pvxen/xenbus.h>
#include <pvxen/xenstore.h>

#include "xenbus-internal.h"

/* Bound on the whole closing handshake. */
#define PVXEN_XENBUS_CLOSE_MS	5000

static const char *const xenbus_states[] = {
	[PVXEN_XENBUS_UNKNOWN] = "Unknown",
	[PVXEN_XENBUS_INITIALISING] = "Initialising",
	[PVXEN_XENBUS_INIT_WAIT] = "InitWait",
	[PVXEN_XENBUS_INITIALISED] = "Initialised",
	[PVXEN_XENBUS_CONNECTED] = "Connected",
	[PVXEN_XENBUS_CLOSING] = "Closing",
	[PVXEN_XENBUS_CLOSED] = "Closed",
	[PVXEN_XENBUS_RECONFIGURING] = "Reconfiguring",
	[PVXEN_XENBUS_RECONFIGURED] = "Reconfigured",
};

/**
 * pvxen_xenbus_strstate() - Name of a XenbusState.
 * @state: the state
 *
 * Return: e.g. "Connected", or "Invalid".
 */
const char *pvxen_xenbus_strstate(enum pvxen_xenbus_state state)
{
	if ((unsigned int)state < ARRAY_SIZE(xenbus_states))
		return xenbus_states[state];
	return "Invalid";
}
EXPORT_SYMBOL_GPL(pvxen_xenbus_strstate);

/**
 * pvxen_xenbus_read_state() - Read the "state" node of a device directory.
 * @path: the directory, e.g. a device's otherend
 *
 * Return: the state; PVXEN_XENBUS_UNKNOWN if the node is missing or holds
 * no valid state, PVXEN_XENBUS_CLOSED if it is missing because the other
 * end went away.
 */
enum pvxen_xenbus_state pvxen_xenbus_read_state(const char *path)
{
	unsigned int s;
	int ret;

	ret = pvxen_xs_scanf(PVXEN_XS_NO_TX, path, "state", "%u", &s);
	if (ret == -ENOENT)
		return PVXEN_XENBUS_CLOSED;
	if (ret != 1 || s > PVXEN_XENBUS_RECONFIGURED)
		return PVXEN_XENBUS_UNKNOWN;
	return s;
}
EXPORT_SYMBOL_GPL(pvxen_xenbus_read_state);

/**
 * pvxen_xenbus_switch_state() - Publish this end's state.
 * @dev: the device
 * @state: new state
 *
 * Writes "<nodename>/state" unless it already holds @state.  While the
 * core closes the device for its driver's removal only Closing and Closed
 * are accepted: anything else would tell the backend to use rings the
 * driver is about to free.
 *
 * Return: 0 or a negative errno (-EBUSY: refused during the close).
 */
int pvxen_xenbus_switch_state(struct pvxen_xenbus_device *dev,
			      enum pvxen_xenbus_state state)
{
	int ret = 0;

	mutex_lock(&dev->lock);
	if (dev->closing && state != PVXEN_XENBUS_CLOSING &&
	    state != PVXEN_XENBUS_CLOSED) {
		mutex_unlock(&dev->lock);
		dev_err(&dev->dev, "refusing to switch to %s while closing (from %pS)\n",
			pvxen_xenbus_strstate(state),
			__builtin_return_address(0));
		return -EBUSY;
	}
	if (dev->state != state) {
		ret = pvxen_xs_printf(PVXEN_XS_NO_TX, dev->nodename, "state",
				      "%d", state);
		if (!ret)
			dev->state = state;
	}
	mutex_unlock(&dev->lock);
	if (ret)
		dev_warn(&dev->dev, "could not switch to %s (%d)\n",
			 pvxen_xenbus_strstate(state), ret);
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_xenbus_switch_state);

/**
 * pvxen_xenbus_read_otherend_details() - Read who the backend is.
 * @dev: the device
 * @id_node: node under @dev's nodename holding the backend domid
 * @path_node: node holding the backend path
 *
 * Sets @dev->otherend_id and @dev->otherend (replacing an earlier one).
 *
 * Return: 0 or a negative errno (-ENOENT if either node is missing).
 */
int pvxen_xenbus_read_otherend_details(struct pvxen_xenbus_device *dev,
				       const char *id_node,
				       const char *path_node)
{
	unsigned int id;
	char *path;
	int ret;

	ret = pvxen_xs_scanf(PVXEN_XS_NO_TX, dev->nodename, id_node, "%u",
			     &id);
	if (ret < 0)
		return ret;
	if (id > 0xffff)
		return -EINVAL;
	path = pvxen_xs_read(PVXEN_XS_NO_TX, dev->nodename, path_node, NULL);
	if (IS_ERR(path))
		return PTR_ERR(path);
	if (!*path) {
		kfree(path);
		return -ENOENT;
	}
	kfree(dev->otherend);
	dev->otherend = path;
	dev->otherend_id = id;
	return 0;
}
EXPORT_SYMBOL_GPL(pvxen_xenbus_read_otherend_details);

struct pvxen_xenbus_error {
	const char *nodename;
	const char *text;
};

/* The device node's own "error", only while the node exists. */
static int pvxen_xenbus_write_own_error(u32 tx, void *data)
{
	const struct pvxen_xenbus_error *e = data;

	if (!pvxen_xs_exists(tx, e->nodename, NULL))
		return 0;
	return pvxen_xs_write(tx, e->nodename, "error", e->text);
}

/**
 * pvxen_xenbus_dev_fatal() - Report that a device failed, and close it.
 * @dev: the device
 * @err: the failure's negative errno
 * @fmt: printf() format: what failed
 *
 * As upstream's xenbus_dev_fatal(): the text "<errno> <what failed>" is
 * logged and written to "error/<nodename>/error" under the domain's home
 * (where toolstacks look for it; libxl makes "error" the domain's), then
 * the device switches to Closing.  The text also goes to the device
 * node's own "error", if the node still exists (never re-creating it).
 *
 * Context: process context, may sleep.
 */
void pvxen_xenbus_dev_fatal(struct pvxen_xenbus_device *dev, int err,
			    const char *fmt, ...)
{
	struct pvxen_xenbus_error e = { .nodename = dev->nodename };
	char text[256], *dir;
	va_list ap;
	int n, ret;

	n = scnprintf(text, sizeof(text), "%d ", -err);
	va_start(ap, fmt);
	vscnprintf(text + n, sizeof(text) - n, fmt, ap);
	va_end(ap);
	e.text = text;
	dev_err(&dev->dev, "fatal: %s\n", text);

	dir = kasprintf(GFP_KERNEL, "error/%s", dev->nodename);
	ret = dir ? pvxen_xs_write(PVXEN_XS_NO_TX, dir, "error", text) :
		    -ENOMEM;
	if (ret)
		dev_warn(&dev->dev, "could not write error/%s/error (%d)\n",
			 dev->nodename, ret);
	kfree(dir);
	ret = pvxen_xs_transaction_run(pvxen_xenbus_write_own_error, &e, NULL);
	if (ret)
		dev_warn(&dev->dev, "could not write %s/error (%d)\n",
			 dev->nodename, ret);
	pvxen_xenbus_switch_state(dev, PVXEN_XENBUS_CLOSING);
}
EXPORT_SYMBOL_GPL(pvxen_xenbus_dev_fatal);

/**
 * pvxen_xenbus_printf() - Write a formatted node under the device's node.
 * @dev: the device
 * @node: node name under @dev->nodename
 * @fmt: printf() format
 *
 * Return: 0 or a negative errno.
 */
int pvxen_xenbus_printf(struct pvxen_xenbus_device *dev, const char *node,
			const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = pvxen_xs_vprintf(PVXEN_XS_NO_TX, dev->nodename, node, fmt, ap);
	va_end(ap);
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_xenbus_printf);

/**
 * pvxen_xenbus_scanf() - Parse a node under the device's node.
 * @dev: the device
 * @node: node name under @dev->nodename
 * @fmt: scanf() format
 *
 * Return: number of items converted, or a negative errno.
 */
int pvxen_xenbus_scanf(struct pvxen_xenbus_device *dev, const char *node,
		       const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = pvxen_xs_vscanf(PVXEN_XS_NO_TX, dev->nodename, node, fmt, ap);
	va_end(ap);
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_xenbus_scanf);

void pvxen_xenbus_set_closing(struct pvxen_xenbus_device *dev, bool closing)
{
	mutex_lock(&dev->lock);
	dev->closing = closing;
	mutex_unlock(&dev->lock);
}

static bool pvxen_xenbus_reached(enum pvxen_xenbus_state s,
				 enum pvxen_xenbus_state want)
{
	return s >= want || s == PVXEN_XENBUS_UNKNOWN;
}

/*
 * Wait until the backend reaches at least @state, is gone, or @deadline.
 * The otherend watch is already gone (or cannot run, when we are the
 * watch thread): poll the node.  Linux's blkback answers within a few
 * milliseconds, so a short period keeps unloads quick.  Returns the last
 * state read; below @state (and not Unknown) means the deadline passed.
 */
static enum pvxen_xenbus_state
pvxen_xenbus_wait_otherend(struct pvxen_xenbus_device *dev,
			   enum pvxen_xenbus_state state,
			   unsigned long deadline)
{
	for (;;) {
		enum pvxen_xenbus_state s = pvxen_xenbus_read_state(dev->otherend);

		if (pvxen_xenbus_reached(s, state) ||
		    !time_before(jiffies, deadline))
			return s;
		usleep_range(5000, 10000);
	}
}

/*
 * One step of a close: switch to @state, then wait for the backend to
 * reach it.  *@seen is the backend's last state read.  Returns 0, the
 * switch's errno, or -ETIMEDOUT if @deadline passed first.
 */
static int pvxen_xenbus_step(struct pvxen_xenbus_device *dev,
			     enum pvxen_xenbus_state state,
			     unsigned long deadline,
			     enum pvxen_xenbus_state *seen)
{
	int ret = pvxen_xenbus_switch_state(dev, state);

	if (ret)
		return ret;
	*seen = pvxen_xenbus_wait_otherend(dev, state, deadline);
	return pvxen_xenbus_reached(*seen, state) ? 0 : -ETIMEDOUT;
}

/*
 * Orderly close: Closing, the backend follows, Closed, the backend is
 * Closed; the whole handshake is bounded by PVXEN_XENBUS_CLOSE_MS.
 */
void pvxen_xenbus_close(struct pvxen_xenbus_device *dev)
{
	unsigned long deadline = jiffies +
				 msecs_to_jiffies(PVXEN_XENBUS_CLOSE_MS);
	enum pvxen_xenbus_state s;
	int ret;

	if (!pvxen_xs_exists(PVXEN_XS_NO_TX, dev->nodename, NULL))
		return;		/* hot-unplugged: nobody to talk to */
	if (dev->state == PVXEN_XENBUS_CLOSED ||
	    dev->state == PVXEN_XENBUS_UNKNOWN)
		return;
	ret = pvxen_xenbus_step(dev, PVXEN_XENBUS_CLOSING, deadline, &s);
	if (ret == -ETIMEDOUT)
		dev_warn(&dev->dev, "backend did not follow to Closing in %d ms (it is %s)\n",
			 PVXEN_XENBUS_CLOSE_MS, pvxen_xenbus_strstate(s));
	else if (ret)
		return;
	if (pvxen_xenbus_step(dev, PVXEN_XENBUS_CLOSED, deadline, &s) ==
	    -ETIMEDOUT)
		dev_warn(&dev->dev, "backend not Closed after %d ms (it is %s)\n",
			 PVXEN_XENBUS_CLOSE_MS, pvxen_xenbus_strstate(s));
}

/*
 * A frontend was here before (our state is not the fresh Initialising)
 * and the backend is still Connected or Closing: that frontend was
 * unloaded or crashed, or the backend has not caught up with its close
 * yet.  The backend would not answer a new Initialising (blkback only
 * reconnects from Closed), so take it down to Closed first, bounded like
 * a close.
 */
void pvxen_xenbus_reset_otherend(struct pvxen_xenbus_device *dev)
{
	unsigned long deadline = jiffies +
				 msecs_to_jiffies(PVXEN_XENBUS_CLOSE_MS);
	enum pvxen_xenbus_state s;

	if (dev->state == PVXEN_XENBUS_INITIALISING ||
	    dev->state == PVXEN_XENBUS_UNKNOWN)
		return;
	s = pvxen_xenbus_read_state(dev->otherend);
	if (s != PVXEN_XENBUS_CONNECTED && s != PVXEN_XENBUS_CLOSING)
		return;
	dev_info(&dev->dev, "backend is still %s from an earlier connection: closing it first\n",
		 pvxen_xenbus_strstate(s));
	if (s == PVXEN_XENBUS_CONNECTED &&
	    pvxen_xenbus_step(dev, PVXEN_XENBUS_CLOSING, deadline, &s))
		goto late;
	if (pvxen_xenbus_step(dev, PVXEN_XENBUS_CLOSED, deadline, &s))
		goto late;
	return;
late:
	dev_warn(&dev->dev, "backend not Closed after %d ms (it is %s); going on\n",
		 PVXEN_XENBUS_CLOSE_MS, pvxen_xenbus_strstate(s));
}
