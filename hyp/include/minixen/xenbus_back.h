/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the xenbus sides of minixen's backends share (core/xenbus_back.c):
 * a device's directory written as xl writes it, a frontend's numbers
 * read as Linux writes them, the backend's state published, the
 * frontend's state node recognised in a watch event. All go through
 * minixen's own xenstore connection (xen_store.h): call them with no
 * lock held.
 */
#ifndef MINIXEN_XENBUS_BACK_H
#define MINIXEN_XENBUS_BACK_H

#include <minixen/lib.h>

int xenbus_back_put_dir(const char *dir, u16 owner, u16 reader,
			const char *const *kv);
int xenbus_back_get_u32(const char *dir, const char *key, u32 *out);
void xenbus_back_publish(const char *be, int state);
bool xenbus_back_is_state(const char *dir, const char *path);

#endif
