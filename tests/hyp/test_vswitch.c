// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests: minixen's learning switch (hyp/core/vswitch.c):
 * learning, unicast, floods, moves, aging, a full table, ports going.
 */
#include <minixen/vswitch.h>
#include "tap.h"

void spin_lock(struct mx_lock *l)
{
	if (l->locked)
		abort();
	l->locked = 1;
}

void spin_unlock(struct mx_lock *l)
{
	if (!l->locked)
		abort();
	l->locked = 0;
}

static struct vswitch sw;
static int owners[VSWITCH_PORTS];
static void *to[VSWITCH_PORTS];
static u8 frame[ETH_HLEN];
static u64 now = 1000;

/* Station @n's address: 02:00:00:00:hi:lo */
static void mac(u8 *a, u32 n)
{
	static const u8 base[ETH_ALEN] = { 2, 0, 0, 0, 0, 0 };

	memcpy(a, base, ETH_ALEN);
	a[4] = n >> 8;
	a[5] = n;
}

/* Station @src on @port sends to @dst (a station, or ~0: broadcast) */
static u32 send(int port, u32 src, u32 dst)
{
	if (dst == ~0U)
		memset(frame, 0xff, ETH_ALEN);
	else
		mac(frame, dst);
	mac(frame + ETH_ALEN, src);
	memset(to, 0, sizeof(to));
	return vswitch_route(&sw, port, frame, now, to, VSWITCH_PORTS);
}

/* Is @p's owner among the first @n of to[]? */
static bool sent_to(u32 n, int p)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (to[i] == &owners[p])
			return true;
	return false;
}

int main(void)
{
	int p0, p1, p2, p;
	u64 learnt;
	u32 n, i;

	p0 = vswitch_port_add(&sw, &owners[0]);
	p1 = vswitch_port_add(&sw, &owners[1]);
	p2 = vswitch_port_add(&sw, &owners[2]);
	ok(p0 == 0 && p1 == 1 && p2 == 2, "three ports: 0, 1, 2");

	n = send(p0, 10, 11);
	ok(n == 2 && sent_to(n, 1) && sent_to(n, 2) && !sent_to(n, 0),
	   "unknown unicast: flooded to the two other ports, not back");
	n = send(p1, 11, 10);
	ok(n == 1 && to[0] == &owners[0], "reply to a learnt address: to its port only");
	n = send(p0, 10, 11);
	ok(n == 1 && to[0] == &owners[1], "and back: both learnt");
	n = send(p0, 10, ~0U);
	ok(n == 2 && sent_to(n, 1) && sent_to(n, 2), "broadcast: every other port");
	frame[0] = 0x01;
	frame[1] = 0x00;
	frame[2] = 0x5e;
	mac(frame + ETH_ALEN, 10);
	n = vswitch_route(&sw, p0, frame, now, to, VSWITCH_PORTS);
	ok(n == 2 && sent_to(n, 1) && sent_to(n, 2), "multicast: every other port");
	n = send(p0, 12, 10);
	ok(n == 0, "to an address learnt on its own port: nowhere");

	learnt = sw.learnt;
	mac(frame, 11);
	memset(frame + ETH_ALEN, 0, ETH_ALEN);
	ok(vswitch_route(&sw, p0, frame, now, to, VSWITCH_PORTS) == 0,
	   "an all-zero source: nowhere");
	frame[ETH_ALEN] = 0x03;
	ok(vswitch_route(&sw, p0, frame, now, to, VSWITCH_PORTS) == 0,
	   "a multicast source: nowhere");
	ok(sw.learnt == learnt, "neither is learnt");
	ok(vswitch_route(&sw, 99, frame, now, to, VSWITCH_PORTS) == 0 &&
	   vswitch_route(&sw, -1, frame, now, to, VSWITCH_PORTS) == 0,
	   "a bad port: nowhere");
	ok(send(p0, 10, 11) == 1 && vswitch_route(&sw, p0, frame, now, to, 0) == 0,
	   "no room in to[]: nothing stored");

	/* a station moves */
	send(p2, 11, ~0U);
	n = send(p0, 10, 11);
	ok(n == 1 && to[0] == &owners[2], "station 11 seen on port 2: frames follow it");

	/* aging */
	now += VSWITCH_AGE_NS - 1;
	ok(send(p1, 20, 10) == 1, "just before aging: still learnt");
	now += VSWITCH_AGE_NS;
	n = send(p1, 20, 11);
	ok(n == 2, "not seen for 300 s: forgotten, flooded");

	/* a full bucket gives its oldest entry */
	for (i = 0; i < 4 * VSWITCH_BUCKETS * VSWITCH_WAYS; i++) {
		now++;
		send(p2, 1000 + i, ~0U);
	}
	ok(sw.evicted > 0, "thousands of made-up sources on port 2: entries replaced (%lu)",
	   (unsigned long)sw.evicted);
	now++;
	ok(send(p1, 20, 1000 + 4 * VSWITCH_BUCKETS * VSWITCH_WAYS - 1) == 1 &&
	   to[0] == &owners[2], "the latest learnt are kept");
	now++;
	send(p0, 10, ~0U);
	n = send(p1, 20, 10);
	ok(n == 1 && to[0] == &owners[0], "a station seen again is learnt again");

	/* ports go */
	vswitch_port_del(&sw, p0);
	n = send(p1, 20, 10);
	ok(n == 1 && to[0] == &owners[2],
	   "port 0 unplugged: its address forgotten, the flood reaches port 2 only");
	ok(vswitch_route(&sw, p0, frame, now, to, VSWITCH_PORTS) == 0,
	   "an unplugged port sends nowhere");
	vswitch_port_del(&sw, -1);
	vswitch_port_del(&sw, VSWITCH_PORTS);
	p = vswitch_port_add(&sw, &owners[3]);
	ok(p == 0, "a new port takes the free one");
	for (i = 3; i < VSWITCH_PORTS && p >= 0; i++)
		p = vswitch_port_add(&sw, &owners[i]);
	ok(p >= 0 && vswitch_port_add(&sw, &owners[0]) == -1,
	   "all %d ports in use: -1", VSWITCH_PORTS);
	ok(!sw.lock.locked, "no lock left held");
	return tap_done();
}
