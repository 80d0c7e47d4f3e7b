/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * minixen's console ring: the last CONRING_SIZE bytes of its console
 * (its own lines and every domain's), for XEN_SYSCTL_readconsole, as
 * Xen keeps its console ring for `xl dmesg`. Positions are free-running
 * 32-bit byte counts, as Xen's ring indices.
 */
#ifndef MINIXEN_CONRING_H
#define MINIXEN_CONRING_H

#include <minixen/lib.h>

#define CONRING_SIZE	65536	/* a power of two */

/* Append one line: @prefix, @len bytes of @s without '\r', '\n'. */
void conring_put(const char *prefix, const char *s, size_t len);

/*
 * Copy up to @max bytes from position *@pos into @buf (from the oldest
 * byte kept if *@pos is older, or not a position at all), advance *@pos
 * past them. Returns the number copied, 0 when *@pos is the end.
 */
size_t conring_read(u32 *pos, char *buf, size_t max);

/* Where a non-incremental read starts: after the last clear. */
u32 conring_start(void);

/* Forget what is in the ring for non-incremental reads. */
void conring_clear(void);

/* Did a line come since the last call (true once per batch of lines)? */
bool conring_take_new(void);

#endif
