// SPDX-License-Identifier: GPL-2.0-only
/*
 * The xenbus side minixen's backends share (see minixen/xenbus_back.h):
 * the disks' (xenbus_vbd.c) and the network interfaces' (xenbus_vif.c).
 *
 * The state machine, as blkback and netback follow their frontend:
 *
 *   frontend Initialised or Connected, backend InitWait or Closed:
 *	read its keys, connect: Connected, or Closing if refused
 *   frontend Closing or Closed: disconnect, Closed; the backend stays
 *	Closed (a frontend that waits for it after its own Closed must
 *	see it) until the frontend starts over (Initialising: InitWait) or
 *	comes back ready (connected from Closed, as blkback does)
 *   the ring logic dropped the rings (a lying frontend): Closing, at the
 *	domain's next vCPU entry (xenbus_back_check())
 */
#include <minixen/xen_store.h>
#include <minixen/xenbus_back.h>
#define PVXEN_HAVE_U32
#include <pvxen/xs_wire.h>	/* enum pvxen_xenbus_state, pvxen-core's */

/* Bytes of a node's path the helpers build */
#define XENBUS_BACK_PATH	128

/**
 * xenbus_back_put_dir() - make a device's directory and its keys
 * @dir: the directory, absolute
 * @owner: its owner (no access for others)
 * @reader: a domain that may read it
 * @kv: NULL-terminated key/value pairs written below it
 *
 * The keys are written after the directory's permissions, so they
 * take them.
 *
 * Return: 0 or a negative Xen errno (the store's).
 */
int xenbus_back_put_dir(const char *dir, u16 owner, u16 reader,
			const char *const *kv)
{
	const struct xs_perm perms[] = {
		{ .id = owner, .perm = XS_PERM_NONE },
		{ .id = reader, .perm = XS_PERM_READ },
	};
	char path[XENBUS_BACK_PATH];
	int r;

	r = xen_store_mkdir(dir);
	if (!r)
		r = xen_store_set_perms(dir, perms, ARRAY_SIZE(perms));
	for (; !r && *kv; kv += 2) {
		snprintf(path, sizeof(path), "%s/%s", dir, kv[0]);
		r = xen_store_write(path, kv[1], strlen(kv[1]));
	}
	return r;
}

/**
 * xenbus_back_get_u32() - a frontend's number
 * @dir: its directory
 * @key: the key below it
 * @out: the value, set on success
 *
 * A decimal number up to U32_MAX, written as Linux's "%u" does: no
 * sign, no spaces, no other base.
 *
 * Return: 0, or -1 (missing, empty, garbage, too big).
 */
int xenbus_back_get_u32(const char *dir, const char *key, u32 *out)
{
	char path[XENBUS_BACK_PATH], buf[12];
	u64 n = 0;
	int len, i;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	len = xen_store_read(path, buf, sizeof(buf));
	if (len <= 0 || len > 10)
		return -1;
	for (i = 0; i < len; i++) {
		if (buf[i] < '0' || buf[i] > '9')
			return -1;
		n = n * 10 + buf[i] - '0';
	}
	if (n > 0xffffffffUL)
		return -1;
	*out = n;
	return 0;
}

/**
 * xenbus_back_publish() - write the backend's state
 * @be: the backend's directory
 * @state: a XenbusState
 */
void xenbus_back_publish(const char *be, int state)
{
	char path[XENBUS_BACK_PATH], val[4];

	snprintf(path, sizeof(path), "%s/state", be);
	snprintf(val, sizeof(val), "%d", state);
	xen_store_write(path, val, strlen(val));
}

/**
 * xenbus_back_is_state() - is @path the state node of directory @dir?
 * @dir: a frontend's directory
 * @path: the node a watch event names
 *
 * Return: true for exactly "<dir>/state".
 */
bool xenbus_back_is_state(const char *dir, const char *path)
{
	size_t n = strlen(dir);

	return !strncmp(dir, path, n) && !strcmp(path + n, "/state");
}

/**
 * xenbus_back_init() - a device's state machine, for the whole run
 * @xb: the state; the caller fills in @xb->be and @xb->fe after
 * @ops: its device's part
 *
 * The backend starts in InitWait, as the caller publishes it.
 */
void xenbus_back_init(struct xenbus_back *xb,
		      const struct xenbus_back_ops *ops)
{
	memset(xb, 0, sizeof(*xb));
	xb->ops = ops;
	xb->state = PVXEN_XENBUS_INIT_WAIT;
}

/* Whether the backend waits for a frontend: InitWait, or Closed. */
static bool waits(int state)
{
	return state == PVXEN_XENBUS_INIT_WAIT || state == PVXEN_XENBUS_CLOSED;
}

/* Publish @state if @xb is not dead and @cond(@xb->state) holds. */
static void set_state(struct xenbus_back *xb, bool (*cond)(int), int state,
		      bool disconnect)
{
	bool change;

	spin_lock(&xb->lock);
	change = !xb->dead && cond(xb->state) && xb->state != state;
	if (!xb->dead && disconnect)
		xb->ops->disconnect(xb);
	if (change)
		xb->state = state;
	spin_unlock(&xb->lock);
	if (change)
		xenbus_back_publish(xb->be, state);
}

static bool any(int state)
{
	return true;
}

static bool closed(int state)
{
	return state == PVXEN_XENBUS_CLOSED;
}

/* The frontend is ready: read its keys (no lock), then connect. */
static void connect(struct xenbus_back *xb, void *conf)
{
	bool keys;
	int state;

	if (!waits(READ_ONCE(xb->state)))
		return;
	keys = !xb->ops->read(xb, conf);
	spin_lock(&xb->lock);
	if (xb->dead || !waits(xb->state)) {
		spin_unlock(&xb->lock);
		return;
	}
	if (keys && !xb->ops->connect(xb, conf))
		xb->state = PVXEN_XENBUS_CONNECTED;
	else
		xb->state = PVXEN_XENBUS_CLOSING;
	state = xb->state;
	spin_unlock(&xb->lock);
	xenbus_back_publish(xb->be, state);
}

/**
 * xenbus_back_changed() - act on the frontend's state
 * @xb: the device
 * @conf: room for what @xb->ops->read() reads, the caller's
 *
 * Whatever the event that woke us: a state that is missing, garbage or
 * out of range changes nothing. No lock held.
 */
void xenbus_back_changed(struct xenbus_back *xb, void *conf)
{
	u32 fe;

	if (xenbus_back_get_u32(xb->fe, "state", &fe))
		return;		/* gone with its domain, or garbage: wait */
	switch (fe) {
	case PVXEN_XENBUS_INITIALISED:
	case PVXEN_XENBUS_CONNECTED:
		connect(xb, conf);
		break;
	case PVXEN_XENBUS_CLOSING:
	case PVXEN_XENBUS_CLOSED:
		set_state(xb, any, PVXEN_XENBUS_CLOSED, true);
		break;
	case PVXEN_XENBUS_INITIALISING:
		set_state(xb, closed, PVXEN_XENBUS_INIT_WAIT, false);
		break;
	default:
		break;
	}
}

/**
 * xenbus_back_check() - before a vCPU of the device's domain enters
 * @xb: the device
 *
 * Tells a frontend whose rings the ring logic dropped (a lying producer
 * index) by switching to Closing. Cheap when there is nothing to do.
 */
void xenbus_back_check(struct xenbus_back *xb)
{
	if (READ_ONCE(xb->state) != PVXEN_XENBUS_CONNECTED ||
	    xb->ops->connected(xb))
		return;
	spin_lock(&xb->lock);
	if (!xb->dead && xb->state == PVXEN_XENBUS_CONNECTED &&
	    !xb->ops->connected(xb)) {
		xb->state = PVXEN_XENBUS_CLOSING;
		spin_unlock(&xb->lock);
		xenbus_back_publish(xb->be, PVXEN_XENBUS_CLOSING);
		return;
	}
	spin_unlock(&xb->lock);
}

/**
 * xenbus_back_kill() - the device's domain is released
 * @xb: the device
 *
 * Disconnects it for good: a watch callback already running on another
 * CPU cannot connect it again. Publishes nothing (the caller removes the
 * directories).
 */
void xenbus_back_kill(struct xenbus_back *xb)
{
	spin_lock(&xb->lock);
	xb->dead = true;
	xb->ops->disconnect(xb);
	spin_unlock(&xb->lock);
}
