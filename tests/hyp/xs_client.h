/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A guest's xenstore client in the host tests of minixen's backends
 * (test_xenbus_vbd.c, test_xenbus_vif.c): requests on a domain's ring
 * (store_req()/store_rsp(), fake_blkfront.h), and the backend's state as
 * minixen itself reads it. Include after fake_blkfront.h.
 */
#ifndef TESTS_HYP_XS_CLIENT_H
#define TESTS_HYP_XS_CLIENT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* XenbusState, as the backends publish it */
enum { INITIALISING = 1, INIT_WAIT, INITIALISED, CONNECTED, CLOSING, CLOSED };

/* The last reply's payload */
static char buf[256];

/* @d's XS_READ of @path: the value, or the error's name. */
static inline const char *rd(struct domain *d, const char *path)
{
	u32 t;

	if (store_req(d, XS_READ, path, strlen(path) + 1))
		return "(no send)";
	t = store_rsp(d, buf, sizeof(buf));
	return t == XS_READ || t == XS_ERROR ? buf : "(no reply)";
}

/* @d's XS_WRITE of @val at @path: "OK", or the error's name. */
static inline const char *wr(struct domain *d, const char *path,
			     const char *val)
{
	char body[160];
	u32 n = strlen(path) + 1, t;

	memcpy(body, path, n);
	memcpy(body + n, val, strlen(val));
	if (store_req(d, XS_WRITE, body, n + strlen(val)))
		return "(no send)";
	t = store_rsp(d, buf, sizeof(buf));
	return t == XS_WRITE || t == XS_ERROR ? buf : "(no reply)";
}

/* @d's XS_WRITE of the number @v at @dir/@key */
static inline void wru(struct domain *d, const char *dir, const char *key,
		       u32 v)
{
	char path[96], val[12];

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	snprintf(val, sizeof(val), "%u", v);
	wr(d, path, val);
}

/* Each key of @dir (@d reads it) has its value; else the first that differs */
static inline const char *keys_are(struct domain *d, const char *dir,
				   const char *const *kv)
{
	static char bad[400];
	char path[128];

	for (; *kv; kv += 2) {
		snprintf(path, sizeof(path), "%s/%s", dir, kv[0]);
		if (strcmp(rd(d, path), kv[1])) {
			snprintf(bad, sizeof(bad), "%s = \"%s\", not \"%s\"",
				 kv[0], buf, kv[1]);
			return bad;
		}
	}
	return "";
}

/* @d's XS_RM of @path, its reply dropped */
static inline void rm(struct domain *d, const char *path)
{
	if (!store_req(d, XS_RM, path, strlen(path) + 1))
		store_rsp(d, buf, sizeof(buf));
}

/* The backend's state as minixen reads it: -1 if there is none. */
static inline int be_state(const char *be)
{
	char path[96], v[8] = { 0 };
	int n;

	snprintf(path, sizeof(path), "%s/state", be);
	n = xen_store_read(path, v, sizeof(v) - 1);
	return n > 0 ? atoi(v) : -1;
}

#endif
