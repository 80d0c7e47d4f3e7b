// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen-gnttab-test: drives pvxen-core's grant table from the guest tests
 * (tests/guest/core-grant.sh) through debugfs, in a domU on real Xen whose
 * dom0 runs the peer side (tests/tools/gntpeer.c, started by the dom0
 * agent in tests/harness/dom0-init).
 *
 * /sys/kernel/debug/pvxen-gnttab-test/ctl: write one command, read its
 * result (one line of key=value words); a failing command fails the write.
 *
 *   grant DOMID SEED RO  grant a fresh page filled with pattern SEED;
 *                        "slot= ref= fnv="
 *   check SLOT           that granted page now: "fnv= inuse=" (the peer
 *                        maps it)
 *   end SLOT             pvxen_gnttab_end_access() of that grant and page;
 *                        "ended=1" (freed now) or "ended=0" (deferred)
 *   mbox DOMID           (re)arm the mailbox page granted to DOMID; "ref="
 *   mbox_end             end the mailbox's grant; "ended="
 *   map DOMID REF FNV    map a foreign grant, check its contents hash to
 *                        FNV and the p2m override, unmap, check the
 *                        override is gone
 *   copy DOMID REF FNV SEED  GNTTABOP_copy: from the foreign grant, self
 *                        to self, and pattern SEED into the foreign grant
 *                        and back; "outfnv=" is what the peer should see
 *   exhaust              allocate every ref, check the waiter callback
 *   waiters              with every ref allocated: a ref freed under an
 *                        IRQs-off spinlock calls its waiter in process
 *                        context ("ctx="); cancelling a waiter whose slow
 *                        callback runs waits for it ("cancelwait=") and
 *                        the callback's own wait again is dropped
 *                        ("requeue=")
 *   stress N             N grant/end and alloc/free rounds on each of two
 *                        threads at once; "errors="
 *
 * /sys/kernel/debug/pvxen-gnttab-test/mbox: read "state= status= " and the
 * peer's answer (key=value words),
 * write "release" to ask the peer to let go.
 */
#define pr_fmt(fmt) "pvxen-gnttab-test: " fmt

#include <linux/debugfs.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include <pvxen/grant.h>
#include <pvxen/p2m.h>
#include <pvxen/xlate.h>

#include "pvxen-gnt-proto.h"

#define NSLOTS		16
#define RESULT_MAX	512

struct slot {
	struct page *page;
	int ref;
};

static struct {
	struct mutex lock;		/* everything here */
	struct dentry *dir;
	struct slot slots[NSLOTS];
	struct page *mbox_page;
	int mbox_ref;
	char result[RESULT_MAX];
} t;

static void say(const char *fmt, ...)
{
	size_t n = strlen(t.result);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t.result + n, sizeof(t.result) - n, fmt, ap);
	va_end(ap);
}

static int cmd_grant(unsigned int domid, u32 seed, unsigned int ro)
{
	struct page *page;
	int i, ref;

	for (i = 0; i < NSLOTS && t.slots[i].page; i++)
		;
	if (i == NSLOTS)
		return -ENOSPC;
	page = alloc_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	pvxen_pattern_fill(page_address(page), PAGE_SIZE, seed);
	ref = pvxen_gnttab_grant_access(domid, pvxen_page_to_gfn(page), ro);
	if (ref < 0) {
		__free_page(page);
		return ref;
	}
	t.slots[i].page = page;
	t.slots[i].ref = ref;
	say("slot=%d ref=%d fnv=%016llx", i, ref,
	    pvxen_fnv64(page_address(page), PVXEN_XEN_PAGE_SIZE));
	return 0;
}

static int cmd_check(unsigned int i)
{
	if (i >= NSLOTS || !t.slots[i].page)
		return -EINVAL;
	say("fnv=%016llx inuse=%d",
	    pvxen_fnv64(page_address(t.slots[i].page), PVXEN_XEN_PAGE_SIZE),
	    pvxen_gnttab_in_use(t.slots[i].ref));
	return 0;
}

static int cmd_end(unsigned int i)
{
	bool ended;

	if (i >= NSLOTS || !t.slots[i].page)
		return -EINVAL;
	ended = pvxen_gnttab_end_access(t.slots[i].ref, t.slots[i].page);
	t.slots[i].page = NULL;
	say("ended=%d", ended);
	return 0;
}

static struct pvxen_mbox *mbox(void)
{
	return page_address(t.mbox_page);
}

static int cmd_mbox(unsigned int domid)
{
	int ref;

	if (!t.mbox_page) {
		t.mbox_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!t.mbox_page)
			return -ENOMEM;
		ref = pvxen_gnttab_grant_access(domid,
						pvxen_page_to_gfn(t.mbox_page),
						false);
		if (ref < 0) {
			__free_page(t.mbox_page);
			t.mbox_page = NULL;
			return ref;
		}
		t.mbox_ref = ref;
	}
	memset(mbox()->text, 0, sizeof(mbox()->text));
	WRITE_ONCE(mbox()->status, 0);
	WRITE_ONCE(mbox()->magic, PVXEN_MBOX_MAGIC);
	smp_wmb();	/* request fields before the state */
	WRITE_ONCE(mbox()->state, PVXEN_MBOX_IDLE);
	say("ref=%d", t.mbox_ref);
	return 0;
}

static int cmd_mbox_end(void)
{
	bool ended;

	if (!t.mbox_page)
		return -EINVAL;
	ended = pvxen_gnttab_end_access(t.mbox_ref, t.mbox_page);
	t.mbox_page = NULL;
	say("ended=%d", ended);
	return 0;
}

static const char *okbad(bool ok)
{
	return ok ? "ok" : "bad";
}

static int cmd_map(unsigned int domid, u32 ref, u64 fnv)
{
	struct pvxen_gnttab_map m = { .domid = domid, .ref = ref,
				      .readonly = true };
	struct pvxen_pfn gfn;
	struct pvxen_bfn bfn;
	struct pvxen_baddr ba;
	unsigned long before;
	struct page *page;
	u64 got;
	int ret;

	ret = pvxen_alloc_unpopulated_pages(1, &page);
	if (ret)
		return ret;
	m.page = page;
	gfn = pvxen_page_to_gfn(page);
	before = pvxen_p2m_nr_overrides();
	ret = pvxen_gnttab_map_refs(&m, 1);
	say("map=%d status=%d", ret, m.status);
	if (ret) {
		pvxen_free_unpopulated_pages(1, &page);
		return 0;
	}
	got = pvxen_fnv64(page_address(page), PVXEN_XEN_PAGE_SIZE);
	bfn = pvxen_pfn_to_bfn(gfn);
	ba = pvxen_paddr_to_baddr(pvxen_mk_paddr(page_to_phys(page) + 0x123),
				  pvxen_p2m_lookup, NULL);
	say(" content=%s gfn=0x%llx bfn=0x%llx", okbad(got == fnv),
	    pvxen_pfn_val(gfn), pvxen_bfn_val(m.bfn));
	say(" p2m=%s", okbad(pvxen_bfn_val(bfn) == pvxen_bfn_val(m.bfn) &&
			     pvxen_bfn_val(bfn) != pvxen_pfn_val(gfn) &&
			     pvxen_p2m_nr_overrides() == before + 1));
	say(" xlate=%s", okbad(pvxen_baddr_val(ba) ==
			       pvxen_bfn_val(m.bfn) * PVXEN_XEN_PAGE_SIZE + 0x123));
	ret = pvxen_gnttab_unmap_refs(&m, 1);
	say(" unmap=%d", ret);
	bfn = pvxen_pfn_to_bfn(gfn);
	say(" gone=%s", okbad(pvxen_bfn_val(bfn) == pvxen_pfn_val(gfn) &&
			      pvxen_p2m_nr_overrides() == before));
	pvxen_free_unpopulated_pages(1, &page);
	return 0;
}

static void copy_op(struct gnttab_copy *op, bool src_gref, u64 src,
		    unsigned int src_dom, bool dst_gref, u64 dst,
		    unsigned int dst_dom)
{
	memset(op, 0, sizeof(*op));
	if (src_gref)
		op->source.u.ref = src;
	else
		op->source.u.gmfn = src;
	op->source.domid = src_dom;
	if (dst_gref)
		op->dest.u.ref = dst;
	else
		op->dest.u.gmfn = dst;
	op->dest.domid = dst_dom;
	op->len = PVXEN_XEN_PAGE_SIZE;
	op->flags = (src_gref ? GNTCOPY_source_gref : 0) |
		(dst_gref ? GNTCOPY_dest_gref : 0);
}

static int do_copy(struct gnttab_copy *op)
{
	int ret = pvxen_gnttab_copy(op, 1);

	return ret ? ret : op->status;
}

static int cmd_copy(unsigned int domid, u32 ref, u64 fnv, u32 seed)
{
	struct page *p[3];
	struct gnttab_copy op;
	u64 g[3], want;
	int i, r;

	for (i = 0; i < 3; i++) {
		p[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!p[i]) {
			while (i--)
				__free_page(p[i]);
			return -ENOMEM;
		}
		g[i] = pvxen_pfn_val(pvxen_page_to_gfn(p[i]));
	}

	/* In: the peer's grant into p0. */
	copy_op(&op, true, ref, domid, false, g[0], DOMID_SELF);
	r = do_copy(&op);
	say("in=%s", okbad(!r && pvxen_fnv64(page_address(p[0]),
					     PVXEN_XEN_PAGE_SIZE) == fnv));
	/* Self: pattern in p1 copied to p2. */
	pvxen_pattern_fill(page_address(p[1]), PAGE_SIZE, seed ^ 0x5a5a);
	copy_op(&op, false, g[1], DOMID_SELF, false, g[2], DOMID_SELF);
	r = do_copy(&op);
	say(" self=%s", okbad(!r && !memcmp(page_address(p[1]),
					    page_address(p[2]),
					    PVXEN_XEN_PAGE_SIZE)));
	/* Out and back: pattern SEED into the peer's grant, then into p2. */
	pvxen_pattern_fill(page_address(p[1]), PAGE_SIZE, seed);
	want = pvxen_fnv64(page_address(p[1]), PVXEN_XEN_PAGE_SIZE);
	copy_op(&op, false, g[1], DOMID_SELF, true, ref, domid);
	r = do_copy(&op);
	say(" out=%s", okbad(!r));
	memset(page_address(p[2]), 0, PAGE_SIZE);
	copy_op(&op, true, ref, domid, false, g[2], DOMID_SELF);
	r = do_copy(&op);
	say(" back=%s outfnv=%016llx",
	    okbad(!r && pvxen_fnv64(page_address(p[2]),
				    PVXEN_XEN_PAGE_SIZE) == want), want);
	for (i = 0; i < 3; i++)
		__free_page(p[i]);
	return 0;
}

struct exhaust_waiter {
	struct pvxen_gnttab_waiter w;
	int calls;
	int ref;	/* allocated from inside the callback */
	struct completion called;
};

/* Callbacks run from a work item: wait (5 s at most) for one. */
static void wait_called(struct exhaust_waiter *ew)
{
	wait_for_completion_timeout(&ew->called, 5 * HZ);
}

static void exhaust_cb(void *arg)
{
	struct exhaust_waiter *ew = arg;

	ew->calls++;
	ew->ref = pvxen_gnttab_alloc_ref();
	complete(&ew->called);
}

static int cmd_exhaust(void)
{
	struct exhaust_waiter ew = { .ref = -1 };
	struct pvxen_gnttab_stats st;
	unsigned int n = 0, max, i;
	int *refs, ref, early, again, ret;
	grant_ref_t batch[2];

	pvxen_gnttab_get_stats(&st);
	max = st.max_frames * (PVXEN_XEN_PAGE_SIZE /
			       sizeof(struct grant_entry_v1));
	refs = vmalloc(array_size(max, sizeof(*refs)));
	if (!refs)
		return -ENOMEM;
	init_completion(&ew.called);
	while (n < max) {
		ref = pvxen_gnttab_alloc_ref();
		if (ref < 0)
			break;
		refs[n++] = ref;
	}
	if (n < 2) {
		while (n)
			pvxen_gnttab_free_ref(refs[--n]);
		vfree(refs);
		return -EIO;
	}
	pvxen_gnttab_get_stats(&st);
	say("allocated=%u frames=%u max_frames=%u full=%s", n, st.frames,
	    st.max_frames, okbad(ref == -ENOSPC && st.refs_free == 0 &&
				 st.frames == st.max_frames));

	/* Wait for 2 refs: one free is not enough, the second is. */
	pvxen_gnttab_wait_for_refs(&ew.w, exhaust_cb, &ew, 2);
	early = ew.calls;
	pvxen_gnttab_get_stats(&st);
	say(" queued=%s", okbad(st.waiters == 1));
	pvxen_gnttab_free_ref(refs[--n]);
	again = ew.calls;
	/* One free ref: a batch of two fails and takes nothing. */
	ret = pvxen_gnttab_alloc_refs(2, batch);
	pvxen_gnttab_get_stats(&st);
	say(" batchfull=%s", okbad(ret == -ENOSPC && st.refs_free == 1));
	pvxen_gnttab_free_ref(refs[--n]);
	wait_called(&ew);
	say(" early=%d one=%d called=%d cbref=%s", early, again, ew.calls,
	    okbad(ew.ref >= GNTTAB_NR_RESERVED_ENTRIES));
	if (ew.ref >= 0)
		pvxen_gnttab_free_ref(ew.ref);
	pvxen_gnttab_cancel_wait(&ew.w);
	ret = pvxen_gnttab_alloc_refs(2, batch);
	say(" batch=%s", okbad(!ret && batch[0] != batch[1] &&
			       batch[0] >= GNTTAB_NR_RESERVED_ENTRIES &&
			       batch[1] >= GNTTAB_NR_RESERVED_ENTRIES));
	if (!ret)
		pvxen_gnttab_free_refs(2, batch);

	/* A waiter that can be served at once is called soon. */
	ew.calls = 0;
	ew.ref = -1;
	reinit_completion(&ew.called);
	pvxen_gnttab_wait_for_refs(&ew.w, exhaust_cb, &ew, 1);
	wait_called(&ew);
	say(" immediate=%s", okbad(ew.calls == 1 && ew.ref >= 0));
	pvxen_gnttab_cancel_wait(&ew.w);
	if (ew.ref >= 0)
		pvxen_gnttab_free_ref(ew.ref);

	for (i = 0; i < n; i++)
		pvxen_gnttab_free_ref(refs[i]);
	vfree(refs);
	pvxen_gnttab_get_stats(&st);
	say(" left=%u waiters=%u", st.refs_in_use, st.waiters);
	return 0;
}

/* ---- waiters: the context of callbacks, and cancel ------------------- */

struct ctx_waiter {
	struct pvxen_gnttab_waiter w;
	struct completion called;
	int calls;
	bool in_task;
	bool irqs_off;
	unsigned int sleep_ms;	/* a slow callback, which then waits again */
	atomic_t running;
	atomic_t finished;
	int refs[8];		/* allocated by the callback */
	unsigned int nrefs;
};

static void ctx_cb(void *arg)
{
	struct ctx_waiter *cw = arg;
	int ref;

	cw->calls++;
	cw->in_task = in_task();
	cw->irqs_off = irqs_disabled();
	ref = pvxen_gnttab_alloc_ref();
	if (ref >= 0 && cw->nrefs < ARRAY_SIZE(cw->refs))
		cw->refs[cw->nrefs++] = ref;
	else if (ref >= 0)
		pvxen_gnttab_free_ref(ref);
	if (cw->sleep_ms) {
		atomic_set(&cw->running, 1);
		msleep(cw->sleep_ms);
		atomic_set(&cw->finished, 1);
		/* As if its allocation had failed: wait again. */
		pvxen_gnttab_wait_for_refs(&cw->w, ctx_cb, cw, 1);
	}
	complete(&cw->called);
}

struct freer {
	struct completion done;
	grant_ref_t ref;
};

static int freer_thread(void *arg)
{
	struct freer *f = arg;

	pvxen_gnttab_free_ref(f->ref);
	complete(&f->done);
	return 0;
}

/* Free @f->ref on another thread; wait_for_completion(&f->done) after. */
static void free_elsewhere(struct freer *f, grant_ref_t ref)
{
	struct task_struct *tsk;

	f->ref = ref;
	init_completion(&f->done);
	tsk = kthread_run(freer_thread, f, "pvxen-gnt-freer");
	if (IS_ERR(tsk))
		freer_thread(f);
}

static int cmd_waiters(void)
{
	static DEFINE_SPINLOCK(driver_lock);	/* a driver's own lock */
	struct ctx_waiter cw = { 0 };
	struct pvxen_gnttab_stats st;
	struct freer f;
	unsigned int n = 0, max, i;
	unsigned long flags;
	int *refs, ref, calls, done;

	pvxen_gnttab_get_stats(&st);
	max = st.max_frames * (PVXEN_XEN_PAGE_SIZE /
			       sizeof(struct grant_entry_v1));
	refs = vmalloc(array_size(max, sizeof(*refs)));
	if (!refs)
		return -ENOMEM;
	while (n < max) {
		ref = pvxen_gnttab_alloc_ref();
		if (ref < 0)
			break;
		refs[n++] = ref;
	}
	if (n < 3) {
		while (n)
			pvxen_gnttab_free_ref(refs[--n]);
		vfree(refs);
		return -EIO;
	}

	/* A ref freed under a driver's IRQs-off spinlock. */
	init_completion(&cw.called);
	pvxen_gnttab_wait_for_refs(&cw.w, ctx_cb, &cw, 1);
	spin_lock_irqsave(&driver_lock, flags);
	pvxen_gnttab_free_ref(refs[--n]);
	spin_unlock_irqrestore(&driver_lock, flags);
	wait_for_completion_timeout(&cw.called, 5 * HZ);
	say("ctx=%s in_task=%d irqs_off=%d", okbad(cw.calls == 1 && cw.in_task &&
						   !cw.irqs_off),
	    cw.in_task, cw.irqs_off);
	pvxen_gnttab_cancel_wait(&cw.w);

	/* Cancel while a slow callback runs: cancel waits for it. */
	reinit_completion(&cw.called);
	cw.calls = 0;
	cw.sleep_ms = 300;
	pvxen_gnttab_wait_for_refs(&cw.w, ctx_cb, &cw, 1);
	free_elsewhere(&f, refs[--n]);
	for (i = 0; i < 5000 && !atomic_read(&cw.running); i++)
		usleep_range(1000, 2000);
	pvxen_gnttab_cancel_wait(&cw.w);
	done = atomic_read(&cw.finished);
	say(" cancelwait=%s running=%d finished=%d",
	    okbad(atomic_read(&cw.running) && done), atomic_read(&cw.running),
	    done);
	wait_for_completion(&f.done);

	/* Its own wait again was dropped: freeing a ref calls nothing. */
	pvxen_gnttab_get_stats(&st);
	calls = cw.calls;
	pvxen_gnttab_free_ref(refs[--n]);
	msleep(200);
	say(" requeue=%s waiters=%u calls=%d", okbad(st.waiters == 0 &&
						     cw.calls == calls),
	    st.waiters, cw.calls - calls);
	pvxen_gnttab_cancel_wait(&cw.w);

	for (i = 0; i < n; i++)
		pvxen_gnttab_free_ref(refs[i]);
	for (i = 0; i < cw.nrefs; i++)
		pvxen_gnttab_free_ref(cw.refs[i]);
	vfree(refs);
	return 0;
}

struct stress {
	struct completion done;
	struct page *page;
	unsigned int rounds;
	int errors;
};

static int stress_thread(void *arg)
{
	struct stress *st = arg;
	struct pvxen_pfn gfn = pvxen_page_to_gfn(st->page);
	unsigned int i;
	int ref, ref2;

	for (i = 0; i < st->rounds; i++) {
		ref = pvxen_gnttab_grant_access(0, gfn, true);
		ref2 = pvxen_gnttab_alloc_ref();
		if (ref < 0 || ref2 < 0 || ref == ref2)
			st->errors++;
		if (ref >= 0 && !pvxen_gnttab_end_access(ref, NULL))
			st->errors++;
		if (ref2 >= 0)
			pvxen_gnttab_free_ref(ref2);
		if (!(i % 64))
			cond_resched();
	}
	complete(&st->done);
	return 0;
}

static int cmd_stress(unsigned int rounds)
{
	struct stress st[2];
	struct task_struct *tsk;
	struct page *page;
	int i, errors = 0;

	page = alloc_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	for (i = 0; i < 2; i++) {
		init_completion(&st[i].done);
		st[i].page = page;
		st[i].rounds = rounds;
		st[i].errors = 0;
		tsk = kthread_run(stress_thread, &st[i], "pvxen-gnt-stress%d", i);
		if (IS_ERR(tsk)) {
			st[i].errors = 1;
			complete(&st[i].done);
		}
	}
	for (i = 0; i < 2; i++) {
		wait_for_completion(&st[i].done);
		errors += st[i].errors;
	}
	__free_page(page);
	say("errors=%d", errors);
	return 0;
}

static int run_cmd(char *line)
{
	unsigned int a, b, c;
	int seed;
	u64 f;

	t.result[0] = '\0';
	if (sscanf(line, "grant %u %i %u", &a, &seed, &c) == 3)
		return cmd_grant(a, seed, c);
	if (sscanf(line, "check %u", &a) == 1)
		return cmd_check(a);
	if (sscanf(line, "end %u", &a) == 1)
		return cmd_end(a);
	if (sscanf(line, "mbox %u", &a) == 1)
		return cmd_mbox(a);
	if (!strcmp(line, "mbox_end"))
		return cmd_mbox_end();
	if (sscanf(line, "map %u %u %llx", &a, &b, &f) == 3)
		return cmd_map(a, b, f);
	if (sscanf(line, "copy %u %u %llx %i", &a, &b, &f, &seed) == 4)
		return cmd_copy(a, b, f, seed);
	if (!strcmp(line, "exhaust"))
		return cmd_exhaust();
	if (!strcmp(line, "waiters"))
		return cmd_waiters();
	if (sscanf(line, "stress %u", &a) == 1)
		return cmd_stress(a);
	return -EINVAL;
}

static ssize_t ctl_write(struct file *file, const char __user *ubuf,
			 size_t len, loff_t *ppos)
{
	char *line;
	int ret;

	line = memdup_user_nul(ubuf, min_t(size_t, len, 255));
	if (IS_ERR(line))
		return PTR_ERR(line);
	strim(line);
	mutex_lock(&t.lock);
	ret = run_cmd(line);
	mutex_unlock(&t.lock);
	kfree(line);
	return ret ? ret : len;
}

static ssize_t ctl_read(struct file *file, char __user *ubuf, size_t len,
			loff_t *ppos)
{
	char buf[RESULT_MAX + 1];
	int n;

	mutex_lock(&t.lock);
	n = scnprintf(buf, sizeof(buf), "%s\n", t.result);
	mutex_unlock(&t.lock);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static const struct file_operations ctl_fops = {
	.owner = THIS_MODULE,
	.read = ctl_read,
	.write = ctl_write,
	.llseek = default_llseek,
};

static ssize_t mbox_read(struct file *file, char __user *ubuf, size_t len,
			 loff_t *ppos)
{
	char *buf;
	ssize_t ret;
	u32 state;
	int n = 0;

	buf = kzalloc(PVXEN_MBOX_TEXT + 64, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	mutex_lock(&t.lock);
	if (t.mbox_page) {
		state = READ_ONCE(mbox()->state);
		smp_rmb();	/* state before the answer it covers */
		n = scnprintf(buf, PVXEN_MBOX_TEXT + 64,
			      "state=%u status=%d %.*s\n", state,
			      READ_ONCE(mbox()->status), PVXEN_MBOX_TEXT - 1,
			      mbox()->text);
	}
	mutex_unlock(&t.lock);
	ret = simple_read_from_buffer(ubuf, len, ppos, buf, n);
	kfree(buf);
	return ret;
}

static ssize_t mbox_write(struct file *file, const char __user *ubuf,
			  size_t len, loff_t *ppos)
{
	char word[16];
	int ret = -EINVAL;

	if (len >= sizeof(word))
		return -EINVAL;
	if (copy_from_user(word, ubuf, len))
		return -EFAULT;
	word[len] = '\0';
	mutex_lock(&t.lock);
	if (t.mbox_page && !strcmp(strim(word), "release")) {
		smp_wmb();	/* our reads of the answer before the release */
		WRITE_ONCE(mbox()->state, PVXEN_MBOX_RELEASE);
		ret = len;
	}
	mutex_unlock(&t.lock);
	return ret;
}

static const struct file_operations mbox_fops = {
	.owner = THIS_MODULE,
	.read = mbox_read,
	.write = mbox_write,
	.llseek = default_llseek,
};

static int __init gnttab_test_init(void)
{
	mutex_init(&t.lock);
	t.dir = debugfs_create_dir("pvxen-gnttab-test", NULL);
	if (IS_ERR(t.dir))
		return PTR_ERR(t.dir);
	debugfs_create_file("ctl", 0600, t.dir, NULL, &ctl_fops);
	debugfs_create_file("mbox", 0600, t.dir, NULL, &mbox_fops);
	return 0;
}

static void __exit gnttab_test_exit(void)
{
	int i;

	debugfs_remove(t.dir);
	for (i = 0; i < NSLOTS; i++)
		if (t.slots[i].page)
			pvxen_gnttab_end_access(t.slots[i].ref, t.slots[i].page);
	if (t.mbox_page)
		pvxen_gnttab_end_access(t.mbox_ref, t.mbox_page);
}

module_init(gnttab_test_init);
module_exit(gnttab_test_exit);

MODULE_DESCRIPTION("pvxen: grant-table tests driven from debugfs");
MODULE_LICENSE("GPL");
