// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xenstore in minixen, driven through the ring wire format as guests
 * would: tree, paths, permissions, quotas, transactions, watches, hostile
 * rings, minixen's own API and the tree xl makes.
 */
#include "tap.h"
#include "xs_guest.h"

#define ARENA	(2 << 20)

static struct xs_store st;
static struct xg d0, d1, d2;
static u64 arena[ARENA / 8];

static bool is_err(struct xg *g, const char *name)
{
	return g->rtype == XS_ERROR && !strcmp(g->rbuf, name);
}

static bool is_ok(struct xg *g, u32 type)
{
	return g->rtype == type && !strcmp(g->rbuf, "OK");
}

static bool read_is(struct xg *g, u32 tx, const char *path, const char *v)
{
	return xg_op(g, XS_READ, tx, path, NULL, NULL) == XS_READ &&
	       g->rlen == strlen(v) && !memcmp(g->rbuf, v, g->rlen);
}

/* The reply's NUL-separated strings joined with ',' for comparing. */
static const char *joined(struct xg *g)
{
	static char out[XENSTORE_PAYLOAD_MAX + 1];
	u32 i;

	for (i = 0; i < g->rlen; i++)
		out[i] = g->rbuf[i] ? g->rbuf[i] : ',';
	out[g->rlen] = '\0';
	return out;
}

static bool has_event(struct xg *g, int from, const char *path,
		      const char *tok)
{
	int i;

	xg_drain(g);
	for (i = from; i < g->nev && i < XG_EVMAX; i++)
		if (!strcmp(g->evpath[i], path) && !strcmp(g->evtok[i], tok))
			return true;
	return false;
}

static void setup(void)
{
	struct xs_config cfg = {
		.quota_nodes = 40, .quota_entry_size = 256, .quota_perms = 3,
		.quota_watches = 4, .quota_transactions = 2,
		.quota_tx_nodes = 64, .quota_outq = 512,
	};

	ok(xs_init(&st, &cfg, arena, sizeof(arena)) == 0, "store set up");
	ok(xg_intro(&st, &d0, 0, true) == 0, "dom0 introduced (privileged)");
	ok(xs_domain_create_tree(&st, 1, "guest1", 131072) == 0 &&
	   xs_domain_create_tree(&st, 2, "guest2", 0) == 0,
	   "trees for domains 1 and 2");
	ok(xg_intro(&st, &d1, 1, false) == 0 && xg_intro(&st, &d2, 2, false) == 0,
	   "domains 1 and 2 introduced");
	ok(xg_intro(&st, &d1, 1, false) == -XS_EEXIST, "introduced twice: EEXIST");
	ok(xs_check(&st) == 0, "invariants hold after set-up");
}

static void test_tree(void)
{
	xg_write(&d0, 0, "/a/b/c", "hello");
	ok(is_ok(&d0, XS_WRITE), "write creates missing parents");
	ok(read_is(&d0, 0, "/a/b/c", "hello"), "read back");
	ok(read_is(&d0, 0, "/a/b", ""), "an implicit parent reads empty");
	xg_write(&d0, 0, "/a/d", "");
	xg_op(&d0, XS_DIRECTORY, 0, "/a", NULL, NULL);
	ok(d0.rtype == XS_DIRECTORY && !strcmp(joined(&d0), "b,d,"),
	   "directory lists children: %s", joined(&d0));
	xg_op(&d0, XS_DIRECTORY_PART, 0, "/a", "2", NULL);
	ok(d0.rtype == XS_DIRECTORY_PART && strstr(joined(&d0), ",d,,"),
	   "directory_part from an offset: %s", joined(&d0));
	xg_op(&d0, XS_MKDIR, 0, "/a/b", NULL, NULL);
	ok(is_ok(&d0, XS_MKDIR), "mkdir of an existing node is OK");
	ok(read_is(&d0, 0, "/a/b/c", "hello"), "and keeps what is below");
	xg_op(&d0, XS_RM, 0, "/a/b", NULL, NULL);
	ok(is_ok(&d0, XS_RM), "rm a subtree");
	xg_op(&d0, XS_READ, 0, "/a/b/c", NULL, NULL);
	ok(is_err(&d0, "ENOENT"), "removed subtree is gone: ENOENT");
	xg_op(&d0, XS_RM, 0, "/a/nothing", NULL, NULL);
	ok(is_ok(&d0, XS_RM), "rm of a missing node whose parent exists: OK");
	xg_op(&d0, XS_RM, 0, "/nothing/x", NULL, NULL);
	ok(is_err(&d0, "ENOENT"), "rm with no parent: ENOENT");
	xg_op(&d0, XS_RM, 0, "/", NULL, NULL);
	ok(is_err(&d0, "EINVAL"), "rm of / : EINVAL");
	xg_op(&d0, XS_READ, 0, "/a b", NULL, NULL);
	ok(is_err(&d0, "EINVAL"), "bad character: EINVAL");
	xg_op(&d0, XS_READ, 0, "/a//b", NULL, NULL);
	ok(is_err(&d0, "EINVAL"), "empty component: EINVAL");
	xg_op(&d0, XS_READ, 0, "/a/", NULL, NULL);
	ok(is_err(&d0, "EINVAL"), "trailing slash: EINVAL");
	xg_raw(&d0, XS_READ, 0, "/a", 2);
	ok(is_err(&d0, "EINVAL"), "path without its NUL: EINVAL");
	xg_op(&d0, 999, 0, "/a", NULL, NULL);
	ok(is_err(&d0, "EINVAL"), "unknown message type: EINVAL");
	{
		static char big[XENSTORE_ABS_PATH_MAX + 16];

		memset(big, 'x', sizeof(big) - 1);
		big[0] = '/';
		xg_op(&d0, XS_WRITE, 0, big, NULL, NULL);
		ok(is_err(&d0, "E2BIG"), "path over XENSTORE_ABS_PATH_MAX: E2BIG");
	}
	xg_write(&d1, 0, "data/rel", "r");
	ok(is_ok(&d1, XS_WRITE), "relative write");
	ok(read_is(&d0, 0, "/local/domain/1/data/rel", "r"),
	   "relative path resolved under /local/domain/1");
	xg_op(&d1, XS_GET_DOMAIN_PATH, 0, "7", NULL, NULL);
	ok(d1.rtype == XS_GET_DOMAIN_PATH &&
	   !strcmp(d1.rbuf, "/local/domain/7"), "get_domain_path");
	xg_op(&d1, XS_GET_DOMAIN_PATH, 0, "99999", NULL, NULL);
	ok(is_err(&d1, "EINVAL"), "get_domain_path of a bad domid: EINVAL");
	ok(xs_check(&st) == 0, "invariants hold");
}

static void test_perms(void)
{
	ok(read_is(&d1, 0, "/local/domain/1/name", "guest1"),
	   "a domain reads its name");
	xg_write(&d1, 0, "/local/domain/1/name", "evil");
	ok(is_err(&d1, "EACCES"), "but may not write it");
	xg_write(&d1, 0, "data/secret", "s1");
	xg_op(&d2, XS_READ, 0, "/local/domain/1/data/secret", NULL, NULL);
	ok(is_err(&d2, "EACCES"), "domU cannot read another domU's node");
	xg_op(&d2, XS_DIRECTORY, 0, "/local/domain/1/data", NULL, NULL);
	ok(is_err(&d2, "EACCES"), "nor list its directory");
	xg_write(&d2, 0, "/local/domain/1/data/x", "y");
	ok(is_err(&d2, "EACCES"), "nor write into it");
	xg_write(&d1, 0, "/top", "y");
	ok(is_err(&d1, "EACCES"), "domU cannot write outside its own tree");
	xg_op(&d1, XS_RM, 0, "/local/domain/2/data", NULL, NULL);
	ok(is_err(&d1, "EACCES"), "nor remove another's nodes");
	xg_op(&d1, XS_GET_PERMS, 0, "data/secret", NULL, NULL);
	ok(d1.rtype == XS_GET_PERMS && !strcmp(joined(&d1), "n1,"),
	   "a domU owns what it creates: %s", joined(&d1));
	xg_op(&d0, XS_GET_PERMS, 0, "/local/domain/1", NULL, NULL);
	ok(!strcmp(joined(&d0), "n0,r1,"), "/local/domain/1 is n0 r1: %s",
	   joined(&d0));
	xg_op(&d0, XS_GET_PERMS, 0, "/local/domain/1/control/shutdown", NULL,
	      NULL);
	ok(!strcmp(joined(&d0), "n1,"), "control/shutdown owned by 1: %s",
	   joined(&d0));
	xg_op(&d0, XS_GET_PERMS, 0, "/local/domain/1/device", NULL, NULL);
	ok(!strcmp(joined(&d0), "n0,r1,"), "device is n0 r1: %s",
	   joined(&d0));
	ok(read_is(&d0, 0, "/local/domain/1/memory/target", "131072") &&
	   read_is(&d0, 0, "/local/domain/2/domid", "2"),
	   "memory/target and domid written");
	xg_op(&d1, XS_SET_PERMS, 0, "data/secret", "n1", "r2");
	ok(is_ok(&d1, XS_SET_PERMS), "owner grants read to domain 2");
	ok(read_is(&d2, 0, "/local/domain/1/data/secret", "s1"),
	   "which domain 2 now can");
	xg_write(&d2, 0, "/local/domain/1/data/secret", "x");
	ok(is_err(&d2, "EACCES"), "but not write");
	xg_op(&d1, XS_SET_PERMS, 0, "data/secret", "n2", NULL);
	ok(is_err(&d1, "EPERM"), "a domU cannot give its node away: EPERM");
	xg_op(&d1, XS_SET_PERMS, 0, "data/secret", "q1", NULL);
	ok(is_err(&d1, "EINVAL"), "bad permission letter: EINVAL");
	xg_op(&d2, XS_SET_PERMS, 0, "/local/domain/1/data/secret", "b2", NULL);
	ok(is_err(&d2, "EACCES"), "a reader cannot change permissions");
	xg_write(&d0, 0, "/local/domain/1/data/fromdom0", "v");
	xg_op(&d0, XS_GET_PERMS, 0, "/local/domain/1/data/fromdom0", NULL,
	      NULL);
	ok(!strcmp(joined(&d0), "n1,"),
	   "dom0's new node inherits the parent's ACL: %s", joined(&d0));
	xg_op(&d1, XS_INTRODUCE, 0, "3", "1234", "5");
	ok(is_err(&d1, "EACCES"), "introduce from a domU: EACCES");
	xg_op(&d1, XS_RELEASE, 0, "2", NULL, NULL);
	ok(is_err(&d1, "EACCES"), "release from a domU: EACCES");
	xg_op(&d0, XS_INTRODUCE, 0, "3", "1234", "5");
	ok(is_err(&d0, "ENOSYS"), "introduce with no hook: ENOSYS");
	xg_op(&d0, XS_IS_DOMAIN_INTRODUCED, 0, "2", NULL, NULL);
	ok(!strcmp(d0.rbuf, "T"), "is_domain_introduced");
	ok(xs_check(&st) == 0, "invariants hold");
}

static void test_quotas(void)
{
	struct xs_domain_stats s1;
	static char v[300];
	char path[32];
	int i, last = 0;

	memset(v, 'v', sizeof(v) - 1);
	xg_write(&d1, 0, "data/big", v);
	ok(is_err(&d1, "ENOSPC"), "value over quota_entry_size: ENOSPC");
	xg_op(&d1, XS_READ, 0, "data/big", NULL, NULL);
	ok(is_err(&d1, "ENOENT"), "and nothing was written");
	xg_write(&d0, 0, "/local/domain/1/data/dom0big", v);
	ok(is_ok(&d0, XS_WRITE), "dom0 is not bound by it");
	for (i = 0; i < 60; i++) {
		snprintf(path, sizeof(path), "data/n%d", i);
		xg_write(&d1, 0, path, "x");
		if (d1.rtype != XS_WRITE)
			break;
		last = i;
	}
	ok(is_err(&d1, "ENOSPC"), "node quota: ENOSPC after %d nodes", last + 1);
	xs_domain_stats(&st, 1, &s1);
	ok(s1.nodes == 40, "domain 1 owns exactly quota_nodes (%u)", s1.nodes);
	xg_write(&d1, 0, "data/n0", "changed");
	ok(is_ok(&d1, XS_WRITE), "at quota, existing nodes can still change");
	xg_op(&d1, XS_RM, 0, "data/n0", NULL, NULL);
	xg_write(&d1, 0, "data/again", "x");
	ok(is_ok(&d1, XS_WRITE), "after rm one can be made again");
	xg_write(&d1, 0, "data/deep/er", "x");
	ok(is_err(&d1, "ENOSPC"), "two new nodes do not fit one free slot");
	xg_op(&d1, XS_READ, 0, "data/deep", NULL, NULL);
	ok(is_err(&d1, "ENOENT"), "and no half of it was made");
	for (i = 1; i <= last; i++) {
		snprintf(path, sizeof(path), "data/n%d", i);
		xg_op(&d1, XS_RM, 0, path, NULL, NULL);
	}
	xg_op(&d1, XS_SET_PERMS, 0, "data/secret", "n1", "r2");
	ok(is_ok(&d1, XS_SET_PERMS), "ACL of 2 entries");
	xg_raw(&d1, XS_SET_PERMS, 0, "data/secret\0n1\0r2\0r3\0r4", 24);
	ok(is_err(&d1, "ENOSPC"), "ACL over quota_perms: ENOSPC");
	for (i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "t%d", i);
		xg_op(&d1, XS_WATCH, 0, "data/w", path, NULL);
	}
	ok(is_err(&d1, "E2BIG"), "watch quota: E2BIG");
	xg_op(&d1, XS_RESET_WATCHES, 0, NULL, NULL, NULL);
	ok(is_ok(&d1, XS_RESET_WATCHES), "reset_watches");
	xs_domain_stats(&st, 1, &s1);
	ok(s1.watches == 0, "drops them all");
	xg_op(&d1, XS_TRANSACTION_START, 0, "", NULL, NULL);
	xg_op(&d1, XS_TRANSACTION_START, 0, "", NULL, NULL);
	xg_op(&d1, XS_TRANSACTION_START, 0, "", NULL, NULL);
	ok(is_err(&d1, "ENOSPC"), "transaction quota: ENOSPC");
	xg_op(&d1, XS_RESET_WATCHES, 0, NULL, NULL, NULL);
	xs_domain_stats(&st, 1, &s1);
	ok(s1.transactions == 0, "reset_watches ends transactions too");
	ok(xs_check(&st) == 0, "invariants hold");
}

static void test_transactions(void)
{
	u32 t1, t2;
	int ev;

	xg_op(&d1, XS_TRANSACTION_START, 0, "", NULL, NULL);
	t1 = strtoul(d1.rbuf, NULL, 10);
	ok(d1.rtype == XS_TRANSACTION_START && t1, "transaction %u", t1);
	xg_op(&d2, XS_WATCH, 0, "/local/domain/1/data/tx", "tw", NULL);
	xg_op(&d1, XS_SET_PERMS, 0, "data", "n1", "r2");
	ev = d2.nev;
	xg_write(&d1, t1, "data/tx/a", "1");
	ok(is_ok(&d1, XS_WRITE), "write in a transaction");
	ok(read_is(&d1, t1, "data/tx/a", "1"), "seen inside it");
	xg_op(&d1, XS_READ, 0, "data/tx/a", NULL, NULL);
	ok(is_err(&d1, "ENOENT"), "not outside before commit");
	ok(d2.nev == ev, "and no watch fired yet");
	xg_op(&d1, XS_TRANSACTION_END, t1, "T", NULL, NULL);
	ok(is_ok(&d1, XS_TRANSACTION_END), "commit");
	ok(read_is(&d1, 0, "data/tx/a", "1"), "visible after commit");
	ok(has_event(&d2, ev, "/local/domain/1/data/tx/a", "tw"),
	   "watch fired at commit");

	xg_op(&d1, XS_TRANSACTION_START, 0, "", NULL, NULL);
	t1 = strtoul(d1.rbuf, NULL, 10);
	read_is(&d1, t1, "data/tx/a", "1");
	xg_write(&d0, 0, "/local/domain/1/data/tx/a", "2");
	xg_write(&d1, t1, "data/tx/b", "x");
	xg_op(&d1, XS_TRANSACTION_END, t1, "T", NULL, NULL);
	ok(is_err(&d1, "EAGAIN"), "a read node changed meanwhile: EAGAIN");
	xg_op(&d1, XS_READ, 0, "data/tx/b", NULL, NULL);
	ok(is_err(&d1, "ENOENT"), "and none of the transaction was applied");

	xg_op(&d1, XS_TRANSACTION_START, 0, "", NULL, NULL);
	t1 = strtoul(d1.rbuf, NULL, 10);
	xg_op(&d0, XS_TRANSACTION_START, 0, "", NULL, NULL);
	t2 = strtoul(d0.rbuf, NULL, 10);
	xg_write(&d1, t1, "data/tx/c", "1");
	xg_write(&d0, t2, "/local/domain/1/data/tx/d", "2");
	xg_op(&d0, XS_TRANSACTION_END, t2, "T", NULL, NULL);
	ok(is_ok(&d0, XS_TRANSACTION_END), "first of two siblings commits");
	xg_op(&d1, XS_TRANSACTION_END, t1, "T", NULL, NULL);
	ok(is_err(&d1, "EAGAIN"), "second (same parent changed): EAGAIN");

	xg_op(&d1, XS_TRANSACTION_START, 0, "", NULL, NULL);
	t1 = strtoul(d1.rbuf, NULL, 10);
	xg_op(&d1, XS_RM, t1, "data/tx", NULL, NULL);
	ok(is_ok(&d1, XS_RM), "rm in a transaction");
	xg_op(&d1, XS_READ, t1, "data/tx/a", NULL, NULL);
	ok(is_err(&d1, "ENOENT"), "hides the subtree inside it");
	ok(read_is(&d1, 0, "data/tx/a", "2"), "but not outside");
	xg_op(&d1, XS_TRANSACTION_END, t1, "F", NULL, NULL);
	ok(is_ok(&d1, XS_TRANSACTION_END) && read_is(&d1, 0, "data/tx/a", "2"),
	   "abort keeps the store as it was");
	xg_op(&d1, XS_TRANSACTION_START, 0, "", NULL, NULL);
	t1 = strtoul(d1.rbuf, NULL, 10);
	xg_op(&d1, XS_RM, t1, "data/tx", NULL, NULL);
	xg_op(&d1, XS_TRANSACTION_END, t1, "T", NULL, NULL);
	xg_op(&d1, XS_READ, 0, "data/tx/a", NULL, NULL);
	ok(is_err(&d1, "ENOENT"), "committed rm removes the subtree");
	xg_op(&d1, XS_TRANSACTION_END, 12345, "T", NULL, NULL);
	ok(is_err(&d1, "ENOENT"), "end of an unknown transaction: ENOENT");
	xg_op(&d1, XS_READ, 777, "data", NULL, NULL);
	ok(is_err(&d1, "ENOENT"), "request in an unknown transaction: ENOENT");
	xg_op(&d0, XS_TRANSACTION_START, 0, "", NULL, NULL);
	t2 = strtoul(d0.rbuf, NULL, 10);
	xg_op(&d1, XS_TRANSACTION_END, t2, "T", NULL, NULL);
	ok(is_err(&d1, "ENOENT"), "another domain's transaction: ENOENT");
	xg_op(&d0, XS_TRANSACTION_END, t2, "X", NULL, NULL);
	ok(is_err(&d0, "EINVAL"), "transaction_end with neither T nor F");
	xg_op(&d0, XS_TRANSACTION_END, t2, "F", NULL, NULL);
	xg_op(&d2, XS_UNWATCH, 0, "/local/domain/1/data/tx", "tw", NULL);
	ok(xs_check(&st) == 0, "invariants hold");
}

static void test_watches(void)
{
	struct xs_domain_stats s2;
	int ev = d1.nev, i;

	xg_op(&d1, XS_WATCH, 0, "data/w", "tok", NULL);
	ok(is_ok(&d1, XS_WATCH), "watch (relative)");
	ok(d1.nev == ev + 1 && has_event(&d1, ev, "data/w", "tok"),
	   "fires once when set, with the path as given");
	xg_op(&d1, XS_WATCH, 0, "data/w", "tok", NULL);
	ok(is_err(&d1, "EEXIST"), "same watch twice: EEXIST");
	ev = d1.nev;
	xg_write(&d1, 0, "data/w/x/y", "1");
	ok(has_event(&d1, ev, "data/w/x/y", "tok"),
	   "a write below fires with the node's relative path");
	ev = d1.nev;
	xg_write(&d1, 0, "data/wz", "1");
	ok(d1.nev == ev, "a sibling with the same prefix does not");
	xg_op(&d1, XS_WATCH, 0, "/local/domain/1/data/w/x/y", "abs", NULL);
	ev = d1.nev;
	xg_op(&d1, XS_RM, 0, "data/w", NULL, NULL);
	ok(has_event(&d1, ev, "data/w", "tok") &&
	   has_event(&d1, ev, "/local/domain/1/data/w/x/y", "abs"),
	   "rm of an ancestor fires watches below it");
	xg_op(&d1, XS_UNWATCH, 0, "data/w", "tok", NULL);
	ok(is_ok(&d1, XS_UNWATCH), "unwatch");
	xg_op(&d1, XS_UNWATCH, 0, "data/w", "tok", NULL);
	ok(is_err(&d1, "ENOENT"), "unwatch again: ENOENT");
	ev = d1.nev;
	xg_write(&d1, 0, "data/w", "again");
	ok(d1.nev == ev, "no event after unwatch");
	xg_op(&d1, XS_UNWATCH, 0, "/local/domain/1/data/w/x/y", "abs", NULL);

	xg_op(&d2, XS_WATCH, 0, "/local/domain/1", "spy", NULL);
	ev = d2.nev;
	xg_write(&d1, 0, "data/private", "p");
	ok(d2.nev == ev, "no event for a node the watcher cannot read");
	xg_op(&d2, XS_UNWATCH, 0, "/local/domain/1", "spy", NULL);

	xg_op(&d0, XS_WATCH, 0, "@introduceDomain", "in", NULL);
	xg_op(&d0, XS_WATCH, 0, "@releaseDomain", "out", NULL);
	xg_op(&d1, XS_WATCH, 0, "@releaseDomain", "out1", NULL);
	xg_op(&d1, XS_WATCH, 0, "@bogus", "x", NULL);
	ok(is_err(&d1, "EINVAL"), "unknown special watch: EINVAL");
	ev = d0.nev;
	{
		static struct xg d3;
		int e1 = d1.nev;

		ok(xg_intro(&st, &d3, 3, false) == 0, "domain 3 introduced");
		xs_flush_all(&st);
		xg_drain(&d0);
		ok(has_event(&d0, ev, "@introduceDomain", "in"),
		   "@introduceDomain fired to dom0");
		xg_op(&d0, XS_RELEASE, 0, "3", NULL, NULL);
		ok(is_ok(&d0, XS_RELEASE) && has_event(&d0, ev, "@releaseDomain",
						       "out"),
		   "release fires @releaseDomain");
		xg_drain(&d1);
		ok(d1.nev == e1, "domUs get only the initial fire of it");
	}
	/* Domain 2 stops reading its ring: events are bounded, then dropped. */
	xg_op(&d1, XS_SET_PERMS, 0, "data", "n1", "r2");
	xg_op(&d2, XS_WATCH, 0, "/local/domain/1/data", "flood", NULL);
	for (i = 0; i < 200; i++)
		xg_write(&d1, 0, "data/flood", "x");
	xs_domain_stats(&st, 2, &s2);
	ok(s2.outq_bytes <= 512 && s2.dropped_events > 0,
	   "queued events stay under quota_outq (%u bytes, %u dropped)",
	   s2.outq_bytes, s2.dropped_events);
	ev = d2.nev;
	xg_drain(&d2);
	ok(d2.nev > ev, "and are delivered once the domain reads (%d)",
	   d2.nev - ev);
	xg_op(&d2, XS_UNWATCH, 0, "/local/domain/1/data", "flood", NULL);
	ok(xs_check(&st) == 0, "invariants hold");
}

static void test_ring(void)
{
	struct xs_domain_stats s;
	static struct xg g4, g5, g6;
	struct xsd_sockmsg h = { XS_READ, 1, 0, 0 };
	int i, n, ev;
	u32 cons;

	/* Split across calls and wrapping round the ring. */
	for (i = 0; i < 200; i++)
		xg_write(&d1, 0, "data/wrap", i & 1 ? "even" : "odd");
	ok(read_is(&d1, 0, "data/wrap", "even"), "200 requests wrap the ring");
	h.len = 10;
	xg_put(&d1, &h, 7);
	xg_process(&d1);
	xg_put(&d1, (u8 *)&h + 7, 9);
	xg_process(&d1);
	xg_put(&d1, "data/wrap\0", 10);
	xg_process(&d1);
	xg_drain(&d1);
	ok(d1.rtype == XS_READ && !strcmp(d1.rbuf, "even"),
	   "a request written in three pieces");

	/* A 4 KiB value (more than the ring) both ways. */
	{
		static char v[XENSTORE_PAYLOAD_MAX - 16];

		memset(v, 'z', sizeof(v) - 1);
		xg_write(&d0, 0, "/big", v);
		ok(is_ok(&d0, XS_WRITE) && read_is(&d0, 0, "/big", v),
		   "a value larger than the ring");
	}

	ok(xg_intro(&st, &g4, 4, false) == 0, "domain 4 introduced");
	g4.ring.req_prod = g4.ring.req_cons + 5000;
	xs_domain_process(&st, 4);
	xs_domain_stats(&st, 4, &s);
	ok(s.broken && g4.ring.error == XENSTORE_ERROR_RINGIDX,
	   "req_prod beyond the ring: connection stopped, RINGIDX");
	cons = g4.ring.req_cons;
	xs_domain_process(&st, 4);
	ok(g4.ring.req_cons == cons, "and nothing more is read from it");

	ok(xg_intro(&st, &g5, 5, false) == 0, "domain 5 introduced");
	h.len = XENSTORE_PAYLOAD_MAX + 1;
	xg_put(&g5, &h, sizeof(h));
	xs_domain_process(&st, 5);
	xs_domain_stats(&st, 5, &s);
	ok(s.broken && g5.ring.error == XENSTORE_ERROR_PROTO,
	   "len over XENSTORE_PAYLOAD_MAX: stopped, PROTO");

	ok(xs_domain_create_tree(&st, 6, "six", 0) == 0 &&
	   xg_intro(&st, &g6, 6, false) == 0, "domain 6 introduced");
	xg_op(&g6, XS_WATCH, 0, "data", "mine", NULL);
	g6.ring.rsp_cons = g6.ring.rsp_prod + 3000;
	xg_write(&d0, 0, "/local/domain/6/data/x", "x");
	xs_domain_stats(&st, 6, &s);
	ok(s.broken && g6.ring.error == XENSTORE_ERROR_RINGIDX,
	   "rsp_cons beyond rsp_prod: stopped, RINGIDX");
	ok(read_is(&d1, 0, "data/wrap", "even"), "other domains go on");

	/* A guest that never reads replies: requests stop being taken. */
	h.type = XS_DIRECTORY;
	h.len = 5;
	for (n = 0; n < 500; n++) {
		if (d2.ring.req_prod - d2.ring.req_cons > XENSTORE_RING_SIZE - 21)
			break;
		xg_put(&d2, &h, sizeof(h));
		xg_put(&d2, "data", 5);
		xs_domain_process(&st, 2);
	}
	ok(n < 500 && d2.ring.req_prod - d2.ring.req_cons > 0,
	   "a domain not reading replies is no longer served (%d sent)", n);
	ev = d2.nev;
	xg_drain(&d2);
	for (i = 0; i < 20; i++) {
		xg_process(&d2);
		xg_drain(&d2);
	}
	ok(d2.ring.req_prod == d2.ring.req_cons && d2.rtype == XS_DIRECTORY,
	   "served again once it reads (%d events meanwhile)", d2.nev - ev);
	ok(xs_domain_release(&st, 4) == 0 && xs_domain_release(&st, 5) == 0 &&
	   xs_domain_release(&st, 6) == 0, "hostile domains released");
	ok(xs_check(&st) == 0, "invariants hold");
}

struct local_ev {
	int n;
	char path[64];
};

static void on_local(void *ctx, const char *path, const char *token)
{
	struct local_ev *e = ctx;

	e->n++;
	snprintf(e->path, sizeof(e->path), "%s|%s", path, token);
}

static void test_local(void)
{
	struct local_ev e = { 0 };
	size_t used;
	char buf[16];
	int n;

	ok(xs_watch_local(&st, "/local/domain/2/device", "be") == 0,
	   "minixen watches a path");
	ok(xs_local_events(&st, on_local, &e) == 1 &&
	   !strcmp(e.path, "/local/domain/2/device|be"), "initial fire");
	xg_write(&d0, 0, "/local/domain/2/device/vbd/768/state", "1");
	n = xs_local_events(&st, on_local, &e);
	ok(n == 1 && !strcmp(e.path, "/local/domain/2/device/vbd/768/state|be"),
	   "a guest's write reaches minixen's watch");
	ok(xs_unwatch_local(&st, "/local/domain/2/device", "be") == 0,
	   "unwatch");
	n = xs_read_local(&st, "/local/domain/2/name", buf, sizeof(buf));
	ok(n == 6 && !memcmp(buf, "guest2", 6), "xs_read_local");
	ok(xs_read_local(&st, "relative", buf, 4) == -XS_EINVAL,
	   "local paths must be absolute");
	ok(xs_domain_create_tree(&st, 2, "again", 0) == -XS_EEXIST,
	   "a tree is not made twice");
	used = xs_pool_used(&st);
	ok(xs_domain_create_tree(&st, 9, "nine", 0) == 0 &&
	   xs_rm_local(&st, "/local/domain/9") == 0 &&
	   xs_pool_used(&st) == used, "make and remove a tree: no leak");
	ok(xs_domain_release(&st, 2) == 0 && xs_domain_release(&st, 2) ==
	   -XS_ENOENT, "release, and release again: ENOENT");
	ok(xs_check(&st) == 0, "invariants hold at the end");
}

static void test_oom(void)
{
	static u64 small[24 << 10];
	static struct xs_store s2;
	static struct xg g;
	char path[32];
	int i, err = 0;

	ok(xs_init(&s2, NULL, small, sizeof(small)) == 0, "a small store");
	xg_intro(&s2, &g, 0, true);
	for (i = 0; i < 10000 && !err; i++) {
		snprintf(path, sizeof(path), "/oom/n%d", i);
		err = xs_write_local(&s2, path, "0123456789", 10);
	}
	ok(err == -XS_ENOMEM, "fills up: ENOMEM after %d nodes", i);
	xg_write(&g, 0, "/oom/more", "x");
	ok(is_err(&g, "ENOMEM"), "a guest gets ENOMEM and its reply");
	ok(xs_check(&s2) == 0, "and the store is whole");
}

int main(void)
{
	setup();
	test_tree();
	test_perms();
	test_quotas();
	test_transactions();
	test_watches();
	test_ring();
	test_local();
	test_oom();
	return tap_done();
}
