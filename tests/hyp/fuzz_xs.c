// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target for minixen's xenstore: the input drives four guests
 * (dom0 privileged, three domUs) through their rings: well-formed and
 * mangled requests from a dictionary of paths and arguments, raw bytes,
 * hostile ring indices and lengths, releases and re-introductions, and
 * minixen's own calls. After each input the store's invariants must
 * hold (xs_check()) and the per-domain bounds too.
 *
 * Built two ways: with -DXS_LIBFUZZER as a libFuzzer target (make fuzz),
 * else as a deterministic driver for make check: 200000 operations from
 * a fixed seed, printing TAP.
 */
#include "tap.h"
#include "xs_guest.h"

#define NDOM	4
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ARENA	BIT(20)

struct fz {
	struct xs_store st;
	struct xg g[NDOM];
	bool up[NDOM];
	u32 last_tx[NDOM];
	const u8 *p, *end;
	int local_events;
};

static const struct xs_config fz_cfg = {
	.max_domains = 8, .hash_buckets = 256, .quota_nodes = 64,
	.quota_entry_size = 512, .quota_watches = 8,
	.quota_transactions = 3, .quota_tx_nodes = 48, .quota_outq = 2048,
};

static const char *const paths[] = {
	"data", "data/a", "data/a/b", "data/b", "data/a/c", "device/vif/0",
	"data/a", "data/a/b", "data/b/x/y", "data/a/b/c", "device/vbd/768/state",
	"control/shutdown", "name", "/", "/local", "/local/domain",
	"/local/domain/0", "/local/domain/1/data", "/local/domain/2/data/x",
	"/local/domain/3/device", "/tool/x", "@introduceDomain",
	"@releaseDomain", "@bogus", "", "a//b", "a/", "/a b", "../up",
	"backend/vbd/1/768", "data/0123456789012345678901234567890123456789",
};

static const u32 common[] = {
	XS_READ, XS_WRITE, XS_WRITE, XS_MKDIR, XS_RM, XS_DIRECTORY, XS_WATCH,
	XS_UNWATCH, XS_TRANSACTION_START, XS_TRANSACTION_END, XS_GET_PERMS,
	XS_SET_PERMS, XS_DIRECTORY_PART,
};

static const char *const args[] = {
	"", "1", "0", "T", "F", "n0", "r1", "b2", "w3", "n1", "x1", "r99999",
	"tok", "4", "5", "12345678901234567890", "OK", "-1",
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
};

static u8 next(struct fz *f)
{
	return f->p < f->end ? *f->p++ : 0;
}

static u32 next32(struct fz *f)
{
	u32 v = next(f);

	v |= next(f) << 8;
	v |= next(f) << 16;
	return v | (u32)next(f) << 24;
}

static void fz_notify_drain(struct fz *f, int d)
{
	struct xg *g = &f->g[d];

	xg_drain(g);
	if (g->rtype == XS_TRANSACTION_START)
		f->last_tx[d] = strtoul(g->rbuf, NULL, 10);
}

/* A request built from the dictionaries, maybe cut short. */
static void op_message(struct fz *f, int d)
{
	static u8 buf[XENSTORE_PAYLOAD_MAX + 64];
	struct xsd_sockmsg h;
	const char *a = paths[next(f) % ARRAY_SIZE(paths)];
	u8 sel = next(f), nargs = next(f) % 4, i;
	u32 len = 0, l;

	h.type = common[next(f) % ARRAY_SIZE(common)];
	if (sel & 0x80)
		h.type = next(f) % (XS_TYPE_COUNT + 2);
	h.req_id = next(f);
	h.tx_id = sel & 1 ? f->last_tx[d] : sel & 2 ? next32(f) : 0;
	l = strlen(a) + 1;
	memcpy(buf, a, l);
	len = l;
	for (i = 0; i < nargs; i++) {
		a = args[next(f) % ARRAY_SIZE(args)];
		l = strlen(a) + 1;
		memcpy(buf + len, a, l);
		len += l;
	}
	if (sel & 4 && len)
		len--;			/* drop the last NUL */
	h.len = len;
	if (f->g[d].ring.req_prod - f->g[d].ring.req_cons >
	    XENSTORE_RING_SIZE - sizeof(h) - len)
		return;
	xg_put(&f->g[d], &h, sizeof(h));
	xg_put(&f->g[d], buf, len);
	xs_domain_process(&f->st, f->g[d].domid);
	if (sel & 0x38)	/* mostly, the guest reads its replies */
		fz_notify_drain(f, d);
}

/* Random bytes: mostly after a header with a sane length. */
static void op_raw(struct fz *f, int d)
{
	u8 sel = next(f), n = next(f) % 64, i;
	struct xsd_sockmsg h = { next(f) % 32, 7, 0, n };
	u8 buf[64];

	for (i = 0; i < n; i++)
		buf[i] = next(f);
	if (sel & 0xf1 &&
	    f->g[d].ring.req_prod - f->g[d].ring.req_cons >
	    XENSTORE_RING_SIZE - sizeof(h) - n)
		return;
	if (sel & 0xf1)
		xg_put(&f->g[d], &h, sizeof(h));
	xg_put(&f->g[d], buf, n);
	xs_domain_process(&f->st, f->g[d].domid);
	if (sel & 1)
		fz_notify_drain(f, d);
}

static void op_hostile(struct fz *f, int d)
{
	struct xenstore_domain_interface *r = &f->g[d].ring;
	u8 sel = next(f);
	u32 v = next32(f);

	if (sel & 0xf0)		/* mostly, the guest behaves */
		return;
	switch (sel & 3) {
	case 0:
		r->req_prod = v;
		break;
	case 1:
		r->rsp_cons = v;
		break;
	case 2:
		r->req_cons = v;
		r->rsp_prod = v;
		break;
	default:
		xg_put(&f->g[d], &(struct xsd_sockmsg){ XS_WRITE, 1, 0, v },
		       16);
		break;
	}
	xs_domain_process(&f->st, f->g[d].domid);
}

/* Release a broken domain and bring it back; now and then any domU. */
static void op_domain(struct fz *f, int d)
{
	struct xs_domain_stats s;

	if (!d)
		return;
	if (f->up[d] && !xs_domain_stats(&f->st, d, &s) && !s.broken &&
	    next(f) & 7)
		return;
	if (f->up[d]) {
		xs_domain_release(&f->st, d);
		f->last_tx[d] = 0;
	}
	f->up[d] = !xg_intro(&f->st, &f->g[d], d, false);
}

static void on_local(void *ctx, const char *path, const char *token)
{
	((struct fz *)ctx)->local_events++;
}

static void op_local(struct fz *f)
{
	const char *path = paths[next(f) % ARRAY_SIZE(paths)];
	struct xs_perm p[2] = { { next(f) % NDOM, next(f) % 4, 0 },
				{ next(f) % NDOM, next(f) % 4, 0 } };
	char buf[64];

	switch (next(f) % 6) {
	case 0:
		xs_write_local(&f->st, path, "local", 5);
		break;
	case 1:
		xs_rm_local(&f->st, path);
		break;
	case 2:
		xs_watch_local(&f->st, path, "t");
		break;
	case 3:
		xs_set_perms_local(&f->st, path, p, 1 + (next(f) & 1));
		break;
	case 4:
		xs_read_local(&f->st, path, buf, sizeof(buf));
		break;
	default:
		xs_local_events(&f->st, on_local, f);
		break;
	}
	xs_flush_all(&f->st);
}

static void op_big(struct fz *f, int d)
{
	static char v[XENSTORE_PAYLOAD_MAX];
	u32 n = (next(f) << 4) % (sizeof(v) - 64);

	memset(v, 'a' + next(f) % 26, n);
	v[n] = '\0';
	xg_write(&f->g[d], next(f) & 1 ? f->last_tx[d] : 0,
		 paths[next(f) % ARRAY_SIZE(paths)], v);
}

static void fz_init(struct fz *f, void *arena)
{
	int d;

	memset(f, 0, sizeof(*f));
	if (xs_init(&f->st, &fz_cfg, arena, ARENA))
		abort();
	for (d = 0; d < NDOM; d++) {
		if (d)
			xs_domain_create_tree(&f->st, d, "fz", 4096);
		f->up[d] = !xg_intro(&f->st, &f->g[d], d, !d);
	}
}

/* One operation; Return: false at the end of the input. */
static bool fz_step(struct fz *f)
{
	u8 op = next(f);
	int d = (op >> 4) % NDOM;

	if (f->p >= f->end)
		return false;
	if (!f->up[d] && (op & 15) != 4)
		return true;
	switch (op & 15) {
	case 0: case 1: case 2: case 3: case 8: case 9: case 10: case 11:
		op_message(f, d);
		break;
	case 4:
		op_domain(f, d);
		break;
	case 5:
		op_raw(f, d);
		break;
	case 6:
		op_hostile(f, d);
		break;
	case 7: case 12:
		fz_notify_drain(f, d);
		break;
	case 13:
		op_local(f);
		break;
	case 14:
		op_big(f, d);
		break;
	default:
		xs_domain_process(&f->st, d);
		break;
	}
	return true;
}

/* Invariants of the store and the bounds of each domU. */
static int fz_check(struct fz *f)
{
	struct xs_domain_stats s;
	int d, err = xs_check(&f->st);

	if (err)
		return err;
	for (d = 1; d < NDOM; d++) {
		if (!f->up[d])
			continue;
		if (xs_domain_stats(&f->st, d, &s)) {
			f->up[d] = false;	/* dom0 released it */
			continue;
		}
		if (s.watches > fz_cfg.quota_watches ||
		    s.transactions > fz_cfg.quota_transactions ||
		    s.outq_bytes > fz_cfg.quota_outq)
			return -101;
	}
	return 0;
}

#ifdef XS_LIBFUZZER
int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static u64 arena[ARENA / 8];
	static struct fz f;
	int err;

	fz_init(&f, arena);
	f.p = data;
	f.end = data + size;
	while (fz_step(&f))
		;
	err = fz_check(&f);
	if (err) {
		fprintf(stderr, "xenstore invariant broken: %d\n", err);
		abort();
	}
	return 0;
}
#else
static u64 rng = 0x9e3779b97f4a7c15ULL;

static u8 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng >> 24;
}

int main(int argc, char **argv)
{
	static u64 arena[ARENA / 8];
	static u8 input[8192];
	static struct fz f;
	long total = argc > 1 ? atol(argv[1]) : 200000, ops = 0;
	long replies = 0, errors = 0;
	int round, bad = 0, err = 0;
	size_t i;

	for (round = 0; ops < total; round++) {
		fz_init(&f, arena);
		for (i = 0; i < sizeof(input); i++)
			input[i] = rnd();
		f.p = input;
		f.end = input + sizeof(input);
		while (ops < total && fz_step(&f))
			ops++;
		for (i = 0; i < NDOM; i++) {
			replies += f.g[i].nreplies;
			errors += f.g[i].nerrors;
		}
		err = fz_check(&f);
		if (err && !bad++)
			printf("# round %d: invariant %d broken\n", round, err);
	}
	printf("# %ld replies read, %ld of them errors\n", replies, errors);
	ok(!bad, "%ld operations in %d rounds: invariants hold", ops, round);
	ok(f.local_events >= 0 && xs_pool_used(&f.st) <= ARENA,
	   "pool use bounded (%zu bytes)", xs_pool_used(&f.st));
	return tap_done();
}
#endif
