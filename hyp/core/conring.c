// SPDX-License-Identifier: GPL-2.0-only
/*
 * The console ring (minixen/conring.h). Writers are the console's
 * lines, readers XEN_SYSCTL_readconsole; one lock, never held across a
 * guest copy (readers copy through their own buffer).
 */
#include <minixen/conring.h>

static char ring[CONRING_SIZE];
static u32 prod;		/* bytes ever written */
static u32 cons;		/* where non-incremental reads start */
static struct mx_lock lock;
static u32 fresh;		/* a line came since conring_take_new() */

static void put(const char *s, size_t len)
{
	for (; len; len--, s++)
		if (*s != '\r')
			ring[prod++ & (CONRING_SIZE - 1)] = *s;
}

void conring_put(const char *prefix, const char *s, size_t len)
{
	spin_lock(&lock);
	put(prefix, strlen(prefix));
	put(s, len);
	put("\n", 1);
	spin_unlock(&lock);
	__atomic_store_n(&fresh, 1, __ATOMIC_RELEASE);
}

bool conring_take_new(void)
{
	if (!__atomic_load_n(&fresh, __ATOMIC_ACQUIRE))
		return false;
	return __atomic_exchange_n(&fresh, 0, __ATOMIC_ACQ_REL);
}

/* Oldest position still in the ring no older than @pos (lock held). */
static u32 clamp(u32 pos)
{
	if (prod - pos > CONRING_SIZE)
		return prod - CONRING_SIZE;
	return pos;
}

size_t conring_read(u32 *pos, char *buf, size_t max)
{
	size_t i, n;
	u32 p;

	spin_lock(&lock);
	p = clamp(*pos);
	n = MIN(prod - p, max);
	for (i = 0; i < n; i++)
		buf[i] = ring[(p + i) & (CONRING_SIZE - 1)];
	*pos = p + n;
	spin_unlock(&lock);
	return n;
}

u32 conring_start(void)
{
	u32 p;

	spin_lock(&lock);
	p = clamp(cons);
	spin_unlock(&lock);
	return p;
}

void conring_clear(void)
{
	spin_lock(&lock);
	cons = prod;
	spin_unlock(&lock);
}
