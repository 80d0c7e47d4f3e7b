// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen: xenstore watches (the top layer of the client, see
 * xenstore-internal.h), and the client's start, stop and debugfs.
 *
 * xenstore-comms.c hands every watch event to pvxen_xs_on_event(), which
 * finds the watch by its token and queues the event; the one watch
 * thread (pvxen-xenwatch) takes events off the queue in order and runs
 * their watch's callback.
 *
 * Floods (XSA-349): whoever may write below a watched path (a backend,
 * for its own nodes) decides how many events we get.  So:
 *  - an event whose token no registered watch has is dropped at once and
 *    counted (watch_unknown);
 *  - an event for a path that already waits in the queue for the same
 *    watch is merged into the waiting one (watch_coalesced): the callback
 *    runs after the merged change, reads the node, and sees it;
 *  - at most PVXEN_XS_WATCH_QUEUE_MAX events wait per watch.  The last
 *    place is kept for an event for the watched path itself; once the
 *    others are taken, further events are dropped (watch_dropped) and one
 *    event for the watched path is queued instead (watch_resyncs), which
 *    to the callback means "anything below may have changed".  Nothing
 *    that changed goes unreported.
 *
 * Memory bound: a queued event is one allocation of
 * sizeof(struct pvxen_xs_event) + the path's length + 1; comms accepts
 * only valid paths, at most PVXEN_XS_ABS_PATH_MAX (3072) bytes, so each
 * is at most 24 + 3073 bytes, one 4 KiB kmalloc object.  A watch has at
 * most 64 queued: 256 KiB, whatever the other end does, and the whole
 * queue at most that times the number of watches the guest registered,
 * plus the one event whose callback runs.  Debugfs pvxen/xenstore shows
 * watch_queued (now), watch_queued_max (the most that ever waited for one
 * watch) and watch_queue_limit; pvxen/xenstore-watches, each watch.
 *
 * Locks: xs_watch.lock (the watch list, the queue and the counts in each
 * watch, which callback runs) is taken with interrupts off and nests in
 * nothing of ours; nothing nests in it.  Callbacks run with no lock held.
 */
#define pr_fmt(fmt) "pvxen: " fmt

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>

#include <pvxen/xenstore.h>
#include <pvxen/xs_wire.h>

#include "core.h"
#include "xenstore-internal.h"

/* Events that may wait per watch, the one for the watched path included. */
#define PVXEN_XS_WATCH_QUEUE_MAX	64

/**
 * struct pvxen_xs_event - a watch event on its way to the watch thread
 * @list: on xs_watch.events
 * @watch: the registered watch it is for
 * @path: the path that changed
 */
struct pvxen_xs_event {
	struct list_head list;
	struct pvxen_xs_watch *watch;
	char path[];
};

static struct {
	spinlock_t lock;		/* watches, events, nr_queued, running */
	struct list_head watches;
	struct list_head events;
	unsigned int queued;		/* events on the list */
	unsigned int queued_max;	/* highest nr_queued of any watch */
	wait_queue_head_t wq;		/* events queued, or stop */
	struct task_struct *task;
	struct pvxen_xs_watch *running;	/* whose callback runs */
	wait_queue_head_t unwatch_wq;	/* woken when a callback returns */
	u64 next_token;

	atomic_t nr_watches;
	atomic64_t unknown;
	atomic64_t coalesced;
	atomic64_t dropped;
	atomic64_t resyncs;
	struct dentry *dbg_stats;
	struct dentry *dbg_watches;
} xs_watch;

static struct pvxen_xs_event *pvxen_xs_event_alloc(const char *path, gfp_t gfp)
{
	size_t len = strlen(path) + 1;
	struct pvxen_xs_event *ev;

	ev = kmalloc(struct_size(ev, path, len), gfp);
	if (ev)
		memcpy(ev->path, path, len);
	return ev;
}

/* Under xs_watch.lock: whether an event of @w for @path waits. */
static bool pvxen_xs_waits(struct pvxen_xs_watch *w, const char *path)
{
	struct pvxen_xs_event *ev;

	list_for_each_entry(ev, &xs_watch.events, list)
		if (ev->watch == w && !strcmp(ev->path, path))
			return true;
	return false;
}

/* Under xs_watch.lock. */
static void pvxen_xs_queue(struct pvxen_xs_watch *w, struct pvxen_xs_event *ev)
{
	ev->watch = w;
	list_add_tail(&ev->list, &xs_watch.events);
	xs_watch.queued++;
	if (++w->nr_queued > w->max_queued)
		w->max_queued = w->nr_queued;
	if (w->nr_queued > xs_watch.queued_max)
		xs_watch.queued_max = w->nr_queued;
}

/*
 * Under xs_watch.lock: only @w's last place is left (or none).  It is
 * for an event for the watched path itself: @ev, if that is its path;
 * else @ev is lost, and one such event must wait behind it (a new one,
 * unless one waits already).
 * Return: @ev if it was not queued.
 */
static struct pvxen_xs_event *pvxen_xs_overflow(struct pvxen_xs_watch *w,
						struct pvxen_xs_event *ev,
						const char *path)
{
	struct pvxen_xs_event *rs;

	if (ev && !strcmp(path, w->path) &&
	    w->nr_queued < PVXEN_XS_WATCH_QUEUE_MAX) {
		pvxen_xs_queue(w, ev);
		return NULL;
	}
	atomic64_inc(&xs_watch.dropped);
	if (w->nr_queued >= PVXEN_XS_WATCH_QUEUE_MAX ||
	    pvxen_xs_waits(w, w->path))
		return ev;
	/* Rare (once per overflow), and it must not sleep here. */
	rs = pvxen_xs_event_alloc(w->path, GFP_ATOMIC);
	if (rs) {
		pvxen_xs_queue(w, rs);
		atomic64_inc(&xs_watch.resyncs);
	}
	return ev;
}

static struct pvxen_xs_watch *pvxen_xs_find_watch(const char *token)
{
	struct pvxen_xs_watch *w;

	list_for_each_entry(w, &xs_watch.watches, list)
		if (!strcmp(w->token, token))
			return w;
	return NULL;
}

/* From the receive work: queue the event for the watch thread. */
static void pvxen_xs_on_event(const char *path, const char *token)
{
	struct pvxen_xs_event *ev = pvxen_xs_event_alloc(path, GFP_KERNEL);
	struct pvxen_xs_watch *w;
	bool wake = false;

	spin_lock_irq(&xs_watch.lock);
	w = pvxen_xs_find_watch(token);
	if (!w) {
		atomic64_inc(&xs_watch.unknown);
	} else if (pvxen_xs_waits(w, path)) {
		atomic64_inc(&xs_watch.coalesced);
	} else if (ev && w->nr_queued < PVXEN_XS_WATCH_QUEUE_MAX - 1) {
		pvxen_xs_queue(w, ev);
		ev = NULL;
		wake = true;
	} else {
		ev = pvxen_xs_overflow(w, ev, path);
		wake = true;
	}
	spin_unlock_irq(&xs_watch.lock);
	kfree(ev);
	if (wake)
		wake_up(&xs_watch.wq);
}

static int pvxen_xs_watch_op(u32 type, struct pvxen_xs_watch *w)
{
	struct pvxen_xs_iov iov[2] = {
		{ w->path, strlen(w->path) + 1 },
		{ w->token, strlen(w->token) + 1 },
	};

	return pvxen_xs_talk_ack(type, 0, iov, 2);
}

/* Take a watch that is going away off the list, with its queued events. */
static void pvxen_xs_forget(struct pvxen_xs_watch *w)
{
	struct pvxen_xs_event *ev, *tmp;
	LIST_HEAD(gone);

	spin_lock_irq(&xs_watch.lock);
	list_del(&w->list);
	list_for_each_entry_safe(ev, tmp, &xs_watch.events, list) {
		if (ev->watch == w) {
			list_move(&ev->list, &gone);
			xs_watch.queued--;
		}
	}
	w->nr_queued = 0;
	spin_unlock_irq(&xs_watch.lock);
	list_for_each_entry_safe(ev, tmp, &gone, list)
		kfree(ev);
}

/**
 * pvxen_xs_watch() - Register a watch.
 * @watch: caller's (embedded) watch structure, unused before
 * @dir: directory
 * @node: node name in @dir, or NULL/"" for @dir itself
 * @callback: called from the watch thread for every change at or below
 *	the path, and once right after registration
 *
 * Return: 0 or a negative errno.
 */
int pvxen_xs_watch(struct pvxen_xs_watch *watch, const char *dir,
		   const char *node, pvxen_xs_watch_fn callback)
{
	int ret;

	if (!pvxen_xs_available())
		return -ENODEV;
	watch->path = pvxen_xs_join(dir, node);
	if (IS_ERR(watch->path)) {
		ret = PTR_ERR(watch->path);
		watch->path = NULL;
		return ret;
	}
	watch->callback = callback;
	watch->nr_queued = 0;
	watch->max_queued = 0;
	spin_lock_irq(&xs_watch.lock);
	snprintf(watch->token, sizeof(watch->token), "pvxen-%llx",
		 xs_watch.next_token++);
	list_add_tail(&watch->list, &xs_watch.watches);
	spin_unlock_irq(&xs_watch.lock);

	ret = pvxen_xs_watch_op(PVXEN_XS_WATCH, watch);
	if (ret) {
		pvxen_xs_forget(watch);
		kfree(watch->path);
		watch->path = NULL;
		return ret;
	}
	atomic_inc(&xs_watch.nr_watches);
	return 0;
}
EXPORT_SYMBOL_GPL(pvxen_xs_watch);

/**
 * pvxen_xs_unwatch() - Unregister a watch.
 * @watch: a watch registered with pvxen_xs_watch()
 *
 * When it returns, the callback is not running and will not run again
 * (unless called from the callback itself, which then finishes normally).
 */
void pvxen_xs_unwatch(struct pvxen_xs_watch *watch)
{
	int ret;

	if (!watch->path)
		return;
	ret = pvxen_xs_watch_op(PVXEN_XS_UNWATCH, watch);
	if (ret && ret != -ENOENT && ret != -ENODEV)
		pr_warn("xenstore: unwatch %s failed (%d)\n", watch->path, ret);
	pvxen_xs_forget(watch);
	/* Wait for a callback of this watch that may be running. */
	if (current != xs_watch.task)
		wait_event(xs_watch.unwatch_wq,
			   READ_ONCE(xs_watch.running) != watch);
	atomic_dec(&xs_watch.nr_watches);
	kfree(watch->path);
	watch->path = NULL;
}
EXPORT_SYMBOL_GPL(pvxen_xs_unwatch);

static int pvxen_xs_watch_thread(void *unused)
{
	for (;;) {
		struct pvxen_xs_event *ev = NULL;
		struct pvxen_xs_watch *w = NULL;

		wait_event_interruptible(xs_watch.wq,
					 !list_empty(&xs_watch.events) ||
					 kthread_should_stop());
		if (kthread_should_stop())
			break;
		spin_lock_irq(&xs_watch.lock);
		if (!list_empty(&xs_watch.events)) {
			ev = list_first_entry(&xs_watch.events,
					      struct pvxen_xs_event, list);
			list_del(&ev->list);
			xs_watch.queued--;
			w = ev->watch;
			w->nr_queued--;
		}
		WRITE_ONCE(xs_watch.running, w);
		spin_unlock_irq(&xs_watch.lock);
		if (w) {
			w->callback(w, ev->path);
			WRITE_ONCE(xs_watch.running, NULL);
			wake_up_all(&xs_watch.unwatch_wq);
		}
		kfree(ev);
	}
	return 0;
}

/* ---- debugfs ----------------------------------------------------------- */

static int pvxen_xs_stats_show(struct seq_file *m, void *unused)
{
	pvxen_xs_comms_show(m);
	seq_printf(m, "watches %d\n", atomic_read(&xs_watch.nr_watches));
	spin_lock_irq(&xs_watch.lock);
	seq_printf(m, "watch_queued %u\n", xs_watch.queued);
	seq_printf(m, "watch_queued_max %u\n", xs_watch.queued_max);
	spin_unlock_irq(&xs_watch.lock);
	seq_printf(m, "watch_queue_limit %u\n", PVXEN_XS_WATCH_QUEUE_MAX);
	seq_printf(m, "watch_unknown %lld\n", atomic64_read(&xs_watch.unknown));
	seq_printf(m, "watch_coalesced %lld\n",
		   atomic64_read(&xs_watch.coalesced));
	seq_printf(m, "watch_dropped %lld\n", atomic64_read(&xs_watch.dropped));
	seq_printf(m, "watch_resyncs %lld\n", atomic64_read(&xs_watch.resyncs));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pvxen_xs_stats);

/* xenstore-watches: "<token> <queued> <most queued> <path>" per watch. */
static int pvxen_xs_watches_show(struct seq_file *m, void *unused)
{
	struct pvxen_xs_watch *w;

	spin_lock_irq(&xs_watch.lock);
	list_for_each_entry(w, &xs_watch.watches, list)
		seq_printf(m, "%s %u %u %s\n", w->token, w->nr_queued,
			   w->max_queued, w->path);
	spin_unlock_irq(&xs_watch.lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pvxen_xs_watches);

/* ---- init / exit ------------------------------------------------------- */

static void pvxen_xs_free_events(void)
{
	struct pvxen_xs_event *ev, *tmp;

	list_for_each_entry_safe(ev, tmp, &xs_watch.events, list)
		kfree(ev);
	INIT_LIST_HEAD(&xs_watch.events);
	xs_watch.queued = 0;
}

/**
 * pvxen_xs_init() - Bring the xenstore client up.
 *
 * Return: 0 (also without a xenstore: see pvxen_xs_available()) or a
 * negative errno.
 */
int pvxen_xs_init(void)
{
	int ret;

	spin_lock_init(&xs_watch.lock);
	INIT_LIST_HEAD(&xs_watch.watches);
	INIT_LIST_HEAD(&xs_watch.events);
	xs_watch.queued = 0;
	xs_watch.queued_max = 0;
	init_waitqueue_head(&xs_watch.wq);
	init_waitqueue_head(&xs_watch.unwatch_wq);
	xs_watch.running = NULL;

	ret = pvxen_xs_comms_init(pvxen_xs_on_event);
	if (ret || !pvxen_xs_available())
		return ret;
	xs_watch.task = kthread_run(pvxen_xs_watch_thread, NULL,
				    "pvxen-xenwatch");
	if (IS_ERR(xs_watch.task)) {
		ret = PTR_ERR(xs_watch.task);
		goto err_comms;
	}
	xs_watch.dbg_stats = debugfs_create_file("xenstore", 0444,
						 pvxen_core.debugfs, NULL,
						 &pvxen_xs_stats_fops);
	xs_watch.dbg_watches = debugfs_create_file("xenstore-watches", 0400,
						   pvxen_core.debugfs, NULL,
						   &pvxen_xs_watches_fops);
	return 0;

err_comms:
	pvxen_xs_comms_exit();
	pvxen_xs_free_events();
	return ret;
}

/**
 * pvxen_xs_exit() - Take the xenstore client down.
 *
 * Every watch must have been unregistered.
 */
void pvxen_xs_exit(void)
{
	if (!pvxen_xs_available())
		return;
	debugfs_remove(xs_watch.dbg_watches);
	debugfs_remove(xs_watch.dbg_stats);
	WARN_ON(!list_empty(&xs_watch.watches));
	/* The thread first: a callback it is running may still talk. */
	kthread_stop(xs_watch.task);
	/* Then the ring: no event is handed up after this. */
	pvxen_xs_comms_exit();
	pvxen_xs_free_events();
}
