// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen-core: grant table v1, the granting side (include/pvxen/grant.h).
 *
 * The table: Xen keeps this domain's grant table; the domain sees it by
 * asking Xen to place its frames in the guest-physical address space
 * (XENMEM_add_to_physmap, XENMAPSPACE_grant_table, idx = frame index).
 * They go into the /hypervisor grant window from its bottom up: frame i at
 * window gfn i.  shared_info occupies the window's last frame, so the table
 * may use at most (window frames - 1) frames, and no more than Xen's
 * max_nr_frames (GNTTABOP_query_size; 4 if that call fails).  The whole
 * range the table may grow into is memremap()ed once at init (only page
 * tables; frames not yet placed are never touched), and grows by placing
 * one more frame, which needs no allocation and so works in any context.
 *
 * Refs: a bitmap over every ref the table can ever hold, refs 0-7 (the
 * toolstack's) permanently set.  One spinlock (IRQ-safe) covers the bitmap,
 * the counts, growth, the waiters and the deferred list.
 *
 * Waiters: freeing refs may happen in any context, often under the
 * freeing driver's own IRQs-off spinlock, so it never calls a waiter's
 * callback itself: it queues one work item (gt.waiter_work), which calls
 * the callbacks of the waiters that can be served, one at a time, in
 * process context with no lock held.  The waiter whose callback runs is
 * gt.running; pvxen_gnttab_cancel_wait() of it sleeps on gt.waiter_wq
 * until the callback has returned, and a callback's own wait again on a
 * waiter being cancelled is ignored, so a cancelled waiter never runs
 * again.
 *
 * Leftovers from an earlier load: Xen's table outlives this module, and an
 * earlier pvxen-core may have unloaded while a peer still mapped one of its
 * grants (see below).  At init every frame Xen already has is placed and
 * scanned; a live entry outside the reserved refs is revoked if idle and
 * otherwise put on the deferred list without a page, so its ref is never
 * handed out while a peer holds it.
 *
 * Deferred reclaim: pvxen_gnttab_end_access() on a grant the peer still
 * maps keeps both ref and page on a list; a delayed work retries every
 * PVXEN_RECLAIM_PERIOD until the peer unmaps, then frees them (a page_pool
 * page goes back to its pool, pvxen_gnttab_end_access_pool()).  At unload,
 * whatever a peer still holds is leaked on purpose, with a warning: freeing
 * a page a peer can still write would corrupt whoever gets it next.
 */
#define pr_fmt(fmt) "pvxen: " fmt

#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/debugfs.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/io.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <xen/interface/xen.h>
#include <xen/interface/grant_table.h>
#include <xen/interface/memory.h>

#include <pvxen/compat-net.h>
#include <pvxen/grant.h>
#include <pvxen/hypercall.h>
#include <pvxen/p2m.h>

#include "core.h"
#include "grant.h"

#define PVXEN_REFS_PER_FRAME \
	(PVXEN_XEN_PAGE_SIZE / sizeof(struct grant_entry_v1))
/* Grant frames Xen gives a domain when GNTTABOP_query_size does not answer. */
#define PVXEN_GNTTAB_DEFAULT_FRAMES	4
#define PVXEN_RECLAIM_PERIOD		(HZ / 5)

struct pvxen_gnttab_deferred {
	struct list_head node;
	grant_ref_t ref;
	struct page *page;
	struct page_pool *pool;		/* @page's, or NULL */
};

static struct pvxen_gnttab {
	spinlock_t lock;		/* everything below but the atomics */
	struct grant_entry_v1 *shared;	/* max_frames frames, memremap()ed */
	u64 base_gfn;			/* window gfn of frame 0 */
	unsigned int nr_frames;		/* frames placed */
	unsigned int max_frames;
	unsigned long *bitmap;		/* max_frames * REFS_PER_FRAME bits */
	unsigned int nr_refs;		/* refs in placed frames */
	unsigned int free_count;	/* free refs in placed frames */
	unsigned int hint;		/* where the next search starts */
	struct list_head waiters;
	unsigned int nr_waiters;
	struct pvxen_gnttab_waiter *running;	/* its callback runs */
	struct task_struct *runner;		/* in this task */
	bool running_cancelled;		/* cancel waits for it */
	struct work_struct waiter_work;
	wait_queue_head_t waiter_wq;
	struct list_head deferred;
	unsigned long deferred_pages;
	unsigned long deferred_total;
	unsigned long deferred_retries;
	unsigned long deferred_leaked;
	struct delayed_work reclaim;
	struct dentry *debugfs;
	bool ready;
} gt = {
	.lock = __SPIN_LOCK_UNLOCKED(gt.lock),
	.waiters = LIST_HEAD_INIT(gt.waiters),
	.deferred = LIST_HEAD_INIT(gt.deferred),
	.waiter_wq = __WAIT_QUEUE_HEAD_INITIALIZER(gt.waiter_wq),
};

atomic_long_t pvxen_gnttab_maps_active = ATOMIC_LONG_INIT(0);
atomic_long_t pvxen_gnttab_unpopulated = ATOMIC_LONG_INIT(0);

static struct grant_entry_v1 *entry(grant_ref_t ref)
{
	return &gt.shared[ref];
}

static bool ref_valid(grant_ref_t ref)
{
	return ref >= GNTTAB_NR_RESERVED_ENTRIES && ref < READ_ONCE(gt.nr_refs);
}

/* Place frame @idx of the table at its window gfn.  Any context. */
static int place_frame(unsigned int idx)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_grant_table,
		.idx = idx,
		.gpfn = gt.base_gfn + idx,
	};
	long ret;

	ret = pvxen_memory_op(XENMEM_add_to_physmap, &xatp);
	if (ret)
		return ret < 0 && ret >= -MAX_ERRNO ? (int)ret : -EIO;
	return 0;
}

static void remove_frame(unsigned int idx)
{
	struct xen_remove_from_physmap xrfp = {
		.domid = DOMID_SELF,
		.gpfn = gt.base_gfn + idx,
	};
	long ret;

	ret = pvxen_memory_op(XENMEM_remove_from_physmap, &xrfp);
	if (ret)
		pr_warn("could not remove grant frame %u from gfn 0x%llx (%ld)\n",
			idx, (u64)xrfp.gpfn, ret);
}

/* Place one more frame; caller holds gt.lock. */
static int grow_locked(void)
{
	int ret;

	if (gt.nr_frames >= gt.max_frames)
		return -ENOSPC;
	ret = place_frame(gt.nr_frames);
	if (ret)
		return ret;
	gt.nr_frames++;
	gt.free_count += PVXEN_REFS_PER_FRAME;
	/* Readers test refs against nr_refs without the lock. */
	smp_store_release(&gt.nr_refs, gt.nr_frames * PVXEN_REFS_PER_FRAME);
	return 0;
}

static unsigned int available_locked(void)
{
	return gt.free_count +
		(gt.max_frames - gt.nr_frames) * PVXEN_REFS_PER_FRAME;
}

static int alloc_ref_locked(void)
{
	unsigned long ref;

	if (!gt.free_count && grow_locked())
		return -ENOSPC;
	ref = find_next_zero_bit(gt.bitmap, gt.nr_refs, gt.hint);
	if (ref >= gt.nr_refs)
		ref = find_next_zero_bit(gt.bitmap, gt.nr_refs,
					 GNTTAB_NR_RESERVED_ENTRIES);
	if (WARN_ON_ONCE(ref >= gt.nr_refs))
		return -ENOSPC;
	__set_bit(ref, gt.bitmap);
	gt.free_count--;
	gt.hint = ref + 1;
	return ref;
}

/* Return @ref to the free pool; caller holds gt.lock. */
static void free_ref_locked(grant_ref_t ref)
{
	if (WARN_ON_ONCE(!ref_valid(ref) || !test_bit(ref, gt.bitmap)))
		return;
	__clear_bit(ref, gt.bitmap);
	gt.free_count++;
}

/* The first waiter that can be served now, or NULL; caller holds gt.lock. */
static struct pvxen_gnttab_waiter *servable_locked(void)
{
	struct pvxen_gnttab_waiter *w;

	list_for_each_entry(w, &gt.waiters, node)
		if (w->count <= available_locked())
			return w;
	return NULL;
}

/* Let the work item serve the waiters, if one can be; caller holds gt.lock. */
static void kick_waiters_locked(void)
{
	if (gt.nr_waiters && servable_locked())
		queue_work(system_wq, &gt.waiter_work);
}

/*
 * Call the waiters that can be served now, one at a time, in process
 * context and without the lock (a callback may allocate refs, sleep, or
 * wait again).
 */
static void waiter_work(struct work_struct *work)
{
	struct pvxen_gnttab_waiter *w;
	void (*fn)(void *arg);
	void *arg;

	for (;;) {
		spin_lock_irq(&gt.lock);
		w = servable_locked();
		if (!w) {
			spin_unlock_irq(&gt.lock);
			return;
		}
		list_del_init(&w->node);
		w->queued = false;
		gt.nr_waiters--;
		gt.running = w;
		gt.runner = current;
		gt.running_cancelled = false;
		fn = w->fn;
		arg = w->arg;
		spin_unlock_irq(&gt.lock);

		fn(arg);

		spin_lock_irq(&gt.lock);
		gt.running = NULL;
		gt.runner = NULL;
		spin_unlock_irq(&gt.lock);
		wake_up_all(&gt.waiter_wq);
		cond_resched();
	}
}

int pvxen_gnttab_alloc_ref(void)
{
	unsigned long flags;
	int ref;

	spin_lock_irqsave(&gt.lock, flags);
	ref = alloc_ref_locked();
	spin_unlock_irqrestore(&gt.lock, flags);
	return ref;
}
EXPORT_SYMBOL_GPL(pvxen_gnttab_alloc_ref);

int pvxen_gnttab_alloc_refs(unsigned int count, grant_ref_t *refs)
{
	unsigned long flags;
	unsigned int i;
	int ref;

	spin_lock_irqsave(&gt.lock, flags);
	if (count > available_locked()) {
		spin_unlock_irqrestore(&gt.lock, flags);
		return -ENOSPC;
	}
	for (i = 0; i < count; i++) {
		ref = alloc_ref_locked();
		if (ref < 0) {
			/* Growing failed in Xen: give back what we took. */
			while (i)
				free_ref_locked(refs[--i]);
			spin_unlock_irqrestore(&gt.lock, flags);
			return -ENOSPC;
		}
		refs[i] = ref;
	}
	spin_unlock_irqrestore(&gt.lock, flags);
	return 0;
}
EXPORT_SYMBOL_GPL(pvxen_gnttab_alloc_refs);

void pvxen_gnttab_free_refs(unsigned int count, const grant_ref_t *refs)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&gt.lock, flags);
	for (i = 0; i < count; i++)
		free_ref_locked(refs[i]);
	kick_waiters_locked();
	spin_unlock_irqrestore(&gt.lock, flags);
}
EXPORT_SYMBOL_GPL(pvxen_gnttab_free_refs);

void pvxen_gnttab_free_ref(grant_ref_t ref)
{
	unsigned long flags;

	spin_lock_irqsave(&gt.lock, flags);
	free_ref_locked(ref);
	kick_waiters_locked();
	spin_unlock_irqrestore(&gt.lock, flags);
}
EXPORT_SYMBOL_GPL(pvxen_gnttab_free_ref);

void pvxen_gnttab_grant_access_ref(grant_ref_t ref, domid_t domid,
				   struct pvxen_pfn gfn, bool readonly)
{
	struct grant_entry_v1 *e;

	if (WARN_ON_ONCE(!ref_valid(ref) || pvxen_pfn_val(gfn) > U32_MAX))
		return;
	e = entry(ref);
	WRITE_ONCE(e->domid, domid);
	WRITE_ONCE(e->frame, (u32)pvxen_pfn_val(gfn));
	/* Xen checks flags first: domid and frame must be visible before. */
	smp_wmb();
	WRITE_ONCE(e->flags, GTF_permit_access | (readonly ? GTF_readonly : 0));
}
EXPORT_SYMBOL_GPL(pvxen_gnttab_grant_access_ref);

int pvxen_gnttab_grant_access(domid_t domid, struct pvxen_pfn gfn,
			      bool readonly)
{
	int ref;

	if (pvxen_pfn_val(gfn) > U32_MAX)
		return -EINVAL;
	ref = pvxen_gnttab_alloc_ref();
	if (ref < 0)
		return ref;
	pvxen_gnttab_grant_access_ref(ref, domid, gfn, readonly);
	return ref;
}
EXPORT_SYMBOL_GPL(pvxen_gnttab_grant_access);

/* The try-revoke itself, for any ref the table holds (reserved ones too). */
static int try_revoke(grant_ref_t ref)
{
	struct grant_entry_v1 *e = entry(ref);
	u16 flags = READ_ONCE(e->flags), old;

	for (;;) {
		if (flags & (GTF_reading | GTF_writing))
			return -EBUSY;
		/* Fully ordered: no access the peer starts after this succeeds. */
		old = cmpxchg(&e->flags, flags, 0);
		if (old == flags)
			return 0;
		flags = old;
	}
}

int pvxen_gnttab_try_revoke(grant_ref_t ref)
{
	if (WARN_ON_ONCE(!ref_valid(ref)))
		return -EINVAL;
	return try_revoke(ref);
}
EXPORT_SYMBOL_GPL(pvxen_gnttab_try_revoke);

bool pvxen_gnttab_in_use(grant_ref_t ref)
{
	if (WARN_ON_ONCE(!ref_valid(ref)))
		return false;
	return READ_ONCE(entry(ref)->flags) & (GTF_reading | GTF_writing);
}
EXPORT_SYMBOL_GPL(pvxen_gnttab_in_use);

/*
 * Free a page a grant no longer exposes: to its pool, if it has one.  On a
 * kernel without page_pool no caller has a pool, and pvxen-core does not
 * need the page_pool symbols to load.
 */
static void free_granted_page(struct page *page, struct page_pool *pool)
{
	if (!page)
		return;
#if IS_ENABLED(CONFIG_PAGE_POOL)
	if (pool) {
		page_pool_put_full_page(pool, page, false);
		return;
	}
#endif
	__free_page(page);
}

/* Queue @ref (and @page, from @pool) for reclaim; caller holds gt.lock. */
static void defer_locked(struct pvxen_gnttab_deferred *d, grant_ref_t ref,
			 struct page *page, struct page_pool *pool)
{
	d->ref = ref;
	d->page = page;
	d->pool = pool;
	list_add_tail(&d->node, &gt.deferred);
	gt.deferred_pages++;
	gt.deferred_total++;
	/* Not mod_: a stream of new entries must not postpone the retry. */
	if (gt.ready)
		queue_delayed_work(system_wq, &gt.reclaim, PVXEN_RECLAIM_PERIOD);
}

static bool end_access(grant_ref_t ref, struct page *page,
		       struct page_pool *pool)
{
	struct pvxen_gnttab_deferred *d;
	unsigned long flags;

	if (WARN_ON_ONCE(!ref_valid(ref)))
		return false;
	if (!try_revoke(ref)) {
		pvxen_gnttab_free_ref(ref);
		free_granted_page(page, pool);
		return true;
	}

	d = kmalloc(sizeof(*d), GFP_ATOMIC);
	spin_lock_irqsave(&gt.lock, flags);
	if (d) {
		defer_locked(d, ref, page, pool);
	} else {
		/* Cannot track it: never reuse the ref or the page. */
		gt.deferred_leaked++;
	}
	spin_unlock_irqrestore(&gt.lock, flags);
	if (!d)
		pr_warn("grant ref %u still mapped by domain %u and no memory to track it: leaking it and its page\n",
			ref, READ_ONCE(entry(ref)->domid));
	return false;
}

bool pvxen_gnttab_end_access(grant_ref_t ref, struct page *page)
{
	return end_access(ref, page, NULL);
}
EXPORT_SYMBOL_GPL(pvxen_gnttab_end_access);

#if IS_ENABLED(CONFIG_PAGE_POOL)
bool pvxen_gnttab_end_access_pool(grant_ref_t ref, struct page *page,
				  struct page_pool *pool)
{
	return end_access(ref, page, pool);
}
EXPORT_SYMBOL_GPL(pvxen_gnttab_end_access_pool);
#endif

static void reclaim_work(struct work_struct *work)
{
	struct pvxen_gnttab_deferred *d, *tmp;
	unsigned long flags;
	LIST_HEAD(done);
	bool more;

	spin_lock_irqsave(&gt.lock, flags);
	list_for_each_entry_safe(d, tmp, &gt.deferred, node) {
		if (try_revoke(d->ref)) {
			gt.deferred_retries++;
			continue;
		}
		list_move_tail(&d->node, &done);
		gt.deferred_pages--;
		free_ref_locked(d->ref);
	}
	more = !list_empty(&gt.deferred);
	if (more && gt.ready)
		queue_delayed_work(system_wq, &gt.reclaim, PVXEN_RECLAIM_PERIOD);
	kick_waiters_locked();
	spin_unlock_irqrestore(&gt.lock, flags);

	list_for_each_entry_safe(d, tmp, &done, node) {
		free_granted_page(d->page, d->pool);
		kfree(d);
	}
}

void pvxen_gnttab_wait_for_refs(struct pvxen_gnttab_waiter *w,
				void (*fn)(void *arg), void *arg,
				unsigned int count)
{
	unsigned long flags;

	spin_lock_irqsave(&gt.lock, flags);
	/* Already queued, or its callback waits again while cancelled. */
	if (READ_ONCE(w->queued) || (gt.running == w && gt.running_cancelled)) {
		spin_unlock_irqrestore(&gt.lock, flags);
		return;
	}
	w->fn = fn;
	w->arg = arg;
	w->count = count;
	list_add_tail(&w->node, &gt.waiters);
	w->queued = true;
	gt.nr_waiters++;
	kick_waiters_locked();
	spin_unlock_irqrestore(&gt.lock, flags);
}
EXPORT_SYMBOL_GPL(pvxen_gnttab_wait_for_refs);

/* @w is not queued and its callback does not run; caller holds gt.lock. */
static bool waiter_idle_locked(struct pvxen_gnttab_waiter *w)
{
	if (w->queued) {
		list_del_init(&w->node);
		w->queued = false;
		gt.nr_waiters--;
	}
	return gt.running != w;
}

static bool waiter_idle(struct pvxen_gnttab_waiter *w)
{
	bool idle;

	spin_lock_irq(&gt.lock);
	idle = waiter_idle_locked(w);
	spin_unlock_irq(&gt.lock);
	return idle;
}

void pvxen_gnttab_cancel_wait(struct pvxen_gnttab_waiter *w)
{
	bool wait = false;

	might_sleep();
	spin_lock_irq(&gt.lock);
	if (!waiter_idle_locked(w)) {
		/* Its callback runs: it may not wait again, and we wait for it. */
		gt.running_cancelled = true;
		/* Unless called from that callback, which cannot wait for itself. */
		wait = gt.runner != current;
	}
	spin_unlock_irq(&gt.lock);
	if (wait)
		wait_event(gt.waiter_wq, waiter_idle(w));
}
EXPORT_SYMBOL_GPL(pvxen_gnttab_cancel_wait);

int pvxen_gnttab_copy(struct gnttab_copy *ops, unsigned int count)
{
	long ret;

	ret = pvxen_grant_table_op(GNTTABOP_copy, ops, count);
	if (ret)
		return ret < 0 && ret >= -MAX_ERRNO ? (int)ret : -EIO;
	return 0;
}
EXPORT_SYMBOL_GPL(pvxen_gnttab_copy);

void pvxen_gnttab_get_stats(struct pvxen_gnttab_stats *st)
{
	unsigned long flags;

	spin_lock_irqsave(&gt.lock, flags);
	st->frames = gt.nr_frames;
	st->max_frames = gt.max_frames;
	st->refs_free = gt.free_count;
	st->refs_in_use = gt.nr_refs ?
		gt.nr_refs - gt.free_count - GNTTAB_NR_RESERVED_ENTRIES : 0;
	st->deferred_pages = gt.deferred_pages;
	st->deferred_total = gt.deferred_total;
	st->deferred_retries = gt.deferred_retries;
	st->deferred_leaked = gt.deferred_leaked;
	st->waiters = gt.nr_waiters;
	spin_unlock_irqrestore(&gt.lock, flags);
	st->maps_active = atomic_long_read(&pvxen_gnttab_maps_active);
	st->unpopulated_pages = atomic_long_read(&pvxen_gnttab_unpopulated);
	st->p2m_overrides = pvxen_p2m_nr_overrides();
}
EXPORT_SYMBOL_GPL(pvxen_gnttab_get_stats);

static int grant_debugfs_show(struct seq_file *m, void *v)
{
	struct pvxen_gnttab_stats st;

	pvxen_gnttab_get_stats(&st);
	seq_printf(m, "frames %u\n", st.frames);
	seq_printf(m, "max_frames %u\n", st.max_frames);
	seq_printf(m, "refs_in_use %u\n", st.refs_in_use);
	seq_printf(m, "refs_free %u\n", st.refs_free);
	seq_printf(m, "deferred_pages %lu\n", st.deferred_pages);
	seq_printf(m, "deferred_total %lu\n", st.deferred_total);
	seq_printf(m, "deferred_retries %lu\n", st.deferred_retries);
	seq_printf(m, "deferred_leaked %lu\n", st.deferred_leaked);
	seq_printf(m, "maps_active %lu\n", st.maps_active);
	seq_printf(m, "unpopulated_pages %lu\n", st.unpopulated_pages);
	seq_printf(m, "p2m_overrides %lu\n", st.p2m_overrides);
	seq_printf(m, "waiters %u\n", st.waiters);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(grant_debugfs);

static unsigned int query_max_frames(unsigned int *cur)
{
	struct gnttab_query_size q = { .dom = DOMID_SELF };
	long ret;

	*cur = 0;
	ret = pvxen_grant_table_op(GNTTABOP_query_size, &q, 1);
	if (ret || q.status != GNTST_okay || !q.max_nr_frames)
		return PVXEN_GNTTAB_DEFAULT_FRAMES;
	*cur = q.nr_frames;
	return q.max_nr_frames;
}

/*
 * Revoke what an earlier load left granted in frames 0..nr_frames-1 (past
 * the reserved refs); what a peer still maps is deferred without a page.
 */
static void adopt_leftovers(void)
{
	unsigned int ref, revoked = 0, held = 0;
	struct pvxen_gnttab_deferred *d;
	unsigned long flags;

	for (ref = GNTTAB_NR_RESERVED_ENTRIES; ref < gt.nr_refs; ref++) {
		if (!READ_ONCE(entry(ref)->flags))
			continue;
		if (!try_revoke(ref)) {
			revoked++;
			continue;
		}
		d = kmalloc(sizeof(*d), GFP_KERNEL);
		spin_lock_irqsave(&gt.lock, flags);
		__set_bit(ref, gt.bitmap);
		gt.free_count--;
		if (d)
			defer_locked(d, ref, NULL, NULL);
		else
			gt.deferred_leaked++;
		spin_unlock_irqrestore(&gt.lock, flags);
		held++;
	}
	if (revoked || held)
		pr_warn("grant table: %u stale grant%s revoked, %u still mapped by a peer (reclaimed when it unmaps)\n",
			revoked, revoked == 1 ? "" : "s", held);
}

int pvxen_gnttab_init(void)
{
	const struct resource *win = &pvxen_core.plat.grant_window;
	u64 win_frames = resource_size(win) >> PVXEN_XEN_PAGE_SHIFT;
	unsigned int max, cur, i;
	int ret;

	max = query_max_frames(&cur);
	/* The window's last frame is shared_info's. */
	if (max > win_frames - 1)
		max = win_frames - 1;
	cur = min(max(cur, 1U), max);

	gt.base_gfn = win->start >> PVXEN_XEN_PAGE_SHIFT;
	gt.max_frames = max;
	gt.nr_frames = 0;
	gt.nr_refs = 0;
	gt.free_count = 0;
	gt.hint = GNTTAB_NR_RESERVED_ENTRIES;
	gt.deferred_pages = 0;
	gt.deferred_total = 0;
	gt.deferred_retries = 0;
	gt.deferred_leaked = 0;
	INIT_DELAYED_WORK(&gt.reclaim, reclaim_work);
	INIT_WORK(&gt.waiter_work, waiter_work);

	/* Up to 256 KiB for a table filling a 16 MiB window. */
	gt.bitmap = kvcalloc(BITS_TO_LONGS(max * PVXEN_REFS_PER_FRAME),
			     sizeof(unsigned long), GFP_KERNEL);
	if (!gt.bitmap)
		return -ENOMEM;
	bitmap_set(gt.bitmap, 0, GNTTAB_NR_RESERVED_ENTRIES);

	gt.shared = memremap(win->start, (size_t)max << PVXEN_XEN_PAGE_SHIFT,
			     MEMREMAP_WB);
	if (!gt.shared) {
		ret = -ENOMEM;
		goto err_bitmap;
	}

	for (i = 0; i < cur; i++) {
		ret = grow_locked();	/* nobody else can see gt yet */
		if (ret) {
			pr_err("Xen refused to map grant frame %u at gfn 0x%llx (%d)\n",
			       i, gt.base_gfn + i, ret);
			goto err_frames;
		}
	}
	gt.free_count -= GNTTAB_NR_RESERVED_ENTRIES;
	adopt_leftovers();

	gt.debugfs = debugfs_create_file("grant", 0444, pvxen_core.debugfs,
					 NULL, &grant_debugfs_fops);
	spin_lock_irq(&gt.lock);
	gt.ready = true;
	if (!list_empty(&gt.deferred))
		queue_delayed_work(system_wq, &gt.reclaim, PVXEN_RECLAIM_PERIOD);
	spin_unlock_irq(&gt.lock);
	return 0;

err_frames:
	while (gt.nr_frames)
		remove_frame(--gt.nr_frames);
	memunmap(gt.shared);
	gt.shared = NULL;
err_bitmap:
	kvfree(gt.bitmap);
	gt.bitmap = NULL;
	return ret;
}

void pvxen_gnttab_exit(void)
{
	struct pvxen_gnttab_deferred *d, *tmp;
	unsigned long leaked = 0;

	debugfs_remove(gt.debugfs);
	gt.debugfs = NULL;

	spin_lock_irq(&gt.lock);
	gt.ready = false;
	spin_unlock_irq(&gt.lock);
	cancel_delayed_work_sync(&gt.reclaim);
	reclaim_work(&gt.reclaim.work);	/* one last try */
	cancel_delayed_work_sync(&gt.reclaim);

	list_for_each_entry_safe(d, tmp, &gt.deferred, node) {
		pr_warn("grant ref %u still mapped by domain %u at unload: leaking %s rather than freeing memory a peer can access\n",
			d->ref, READ_ONCE(entry(d->ref)->domid),
			d->page ? "its page" : "it");
		list_del(&d->node);
		kfree(d);
		leaked++;
	}
	gt.deferred_leaked += leaked;
	gt.deferred_pages = 0;
	/* Users cancel their waiters before they go. */
	WARN_ON(!list_empty(&gt.waiters));
	cancel_work_sync(&gt.waiter_work);

	while (gt.nr_frames)
		remove_frame(--gt.nr_frames);
	gt.nr_refs = 0;
	memunmap(gt.shared);
	gt.shared = NULL;
	kvfree(gt.bitmap);
	gt.bitmap = NULL;
}
