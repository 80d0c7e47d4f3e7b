// SPDX-License-Identifier: GPL-2.0-only
/*
 * The xenstore helpers of minixen's backends (see minixen/xenbus_back.h):
 * the disks' (xenbus_vbd.c) and the network interfaces' (xenbus_vif.c).
 */
#include <minixen/xen_store.h>
#include <minixen/xenbus_back.h>

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
