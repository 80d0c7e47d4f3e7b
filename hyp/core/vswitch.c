// SPDX-License-Identifier: GPL-2.0-only
/*
 * The learning switch between the interfaces of minixen's network
 * backend (see minixen/vswitch.h for what it does and its lock).
 */
#include <minixen/vswitch.h>

static bool is_multicast(const u8 *a)
{
	return a[0] & 1;
}

static bool is_zero(const u8 *a)
{
	return !(a[0] | a[1] | a[2] | a[3] | a[4] | a[5]);
}

static u32 bucket(const u8 *a)
{
	u32 h = 0, i;

	for (i = 0; i < ETH_ALEN; i++)
		h = h * 31 + a[i];
	return (h ^ (h >> 7)) % VSWITCH_BUCKETS;
}

static bool live(const struct vswitch_mac *m, u64 now)
{
	return m->used && now - m->seen < VSWITCH_AGE_NS;
}

/* Under @lock: the live entry of @a, or NULL. */
static struct vswitch_mac *lookup(struct vswitch *sw, const u8 *a, u64 now)
{
	struct vswitch_mac *b = sw->mac[bucket(a)];
	u32 i;

	for (i = 0; i < VSWITCH_WAYS; i++)
		if (live(&b[i], now) && !memcmp(b[i].addr, a, ETH_ALEN))
			return &b[i];
	return NULL;
}

/* Under @lock: @a was seen as a source on @port. */
static void learn(struct vswitch *sw, const u8 *a, u16 port, u64 now)
{
	struct vswitch_mac *b = sw->mac[bucket(a)], *m;
	u32 i;

	m = lookup(sw, a, now);
	if (!m) {
		/* a dead entry, else the least recently seen */
		m = &b[0];
		for (i = 0; i < VSWITCH_WAYS && live(m, now); i++)
			if (!live(&b[i], now) || b[i].seen < m->seen)
				m = &b[i];
		if (live(m, now))
			sw->evicted++;
		memcpy(m->addr, a, ETH_ALEN);
		m->used = true;
		m->port = port;
		sw->learnt++;
	} else if (m->port != port) {
		m->port = port;
		sw->learnt++;
	}
	m->seen = now;
}

/**
 * vswitch_port_add() - plug an interface into the switch
 * @sw: the switch
 * @owner: what vswitch_route() returns for this port (not NULL)
 *
 * Return: the port, or -1 if all VSWITCH_PORTS are in use.
 */
int vswitch_port_add(struct vswitch *sw, void *owner)
{
	int p;

	spin_lock(&sw->lock);
	for (p = 0; p < VSWITCH_PORTS; p++)
		if (!sw->owner[p])
			break;
	if (p < VSWITCH_PORTS)
		sw->owner[p] = owner;
	else
		p = -1;
	spin_unlock(&sw->lock);
	return p;
}

/**
 * vswitch_port_del() - unplug a port
 * @sw: the switch
 * @port: as vswitch_port_add() gave it; a negative one is ignored
 *
 * The addresses learnt on it are forgotten, so frames to them flood
 * until they are seen again elsewhere. A route computed before this
 * may still name the owner: its user must cope with that.
 */
void vswitch_port_del(struct vswitch *sw, int port)
{
	u32 b, w;

	if (port < 0 || port >= VSWITCH_PORTS)
		return;
	spin_lock(&sw->lock);
	sw->owner[port] = NULL;
	for (b = 0; b < VSWITCH_BUCKETS; b++)
		for (w = 0; w < VSWITCH_WAYS; w++)
			if (sw->mac[b][w].port == port)
				sw->mac[b][w].used = false;
	spin_unlock(&sw->lock);
}

/**
 * vswitch_route() - learn a frame's source, say where the frame goes
 * @sw: the switch
 * @port: the port it came in on
 * @frame: its first ETH_HLEN bytes at least (destination, source)
 * @now: the time, in ns
 * @to: the owners it goes to
 * @max: room in @to
 *
 * Return: how many owners were stored in @to (at most @max): 0 for a
 * frame that goes nowhere (its source invalid, its destination on its
 * own port, no other port), 1 for a learnt unicast destination, every
 * other port for a flood.
 */
u32 vswitch_route(struct vswitch *sw, int port, const u8 *frame, u64 now,
		  void **to, u32 max)
{
	const u8 *dst = frame, *src = frame + ETH_ALEN;
	struct vswitch_mac *m;
	u32 n = 0;
	int p;

	if (port < 0 || port >= VSWITCH_PORTS || is_multicast(src) ||
	    is_zero(src))
		return 0;
	spin_lock(&sw->lock);
	if (!sw->owner[port])
		goto out;
	learn(sw, src, port, now);
	m = is_multicast(dst) ? NULL : lookup(sw, dst, now);
	if (m) {
		if (m->port != port && sw->owner[m->port] && max)
			to[n++] = sw->owner[m->port];
		goto out;
	}
	for (p = 0; p < VSWITCH_PORTS && n < max; p++)
		if (p != port && sw->owner[p])
			to[n++] = sw->owner[p];
out:
	spin_unlock(&sw->lock);
	return n;
}
