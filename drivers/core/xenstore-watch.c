// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen: xenstore watches (the top layer of the client, see
 * xenstore-internal.h), and the client's start, stop and debugfs.
 *
 * xenstore-comms.c hands every watch event to pvxen_xs_on_event(), which
 * queues it; the one watch thread (pvxen-xenwatch) takes events off the
 * queue in order and runs the callback of the watch whose token each
 * carries.
 *
 * Locks: xs_watch.lock (the watch list, the event queue, which callback
 * runs) is taken with interrupts off and nests in nothing of ours.
 * Callbacks run with no lock held.
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

/**
 * struct pvxen_xs_event - a watch event on its way to the watch thread
 * @list: on xs_watch.events
 * @path: changed path (points into @buf)
 * @token: token (points into @buf)
 * @buf: copy of path and token
 */
struct pvxen_xs_event {
	struct list_head list;
	const char *path;
	const char *token;
	char buf[];
};

static struct {
	spinlock_t lock;		/* watches, events, running */
	struct list_head watches;
	struct list_head events;
	wait_queue_head_t wq;		/* events queued, or stop */
	struct task_struct *task;
	struct pvxen_xs_watch *running;	/* whose callback runs */
	wait_queue_head_t unwatch_wq;	/* woken when a callback returns */
	u64 next_token;

	atomic_t nr_watches;
	struct dentry *dbg_stats;
} xs_watch;

/* From the receive work: queue the event for the watch thread. */
static void pvxen_xs_on_event(const char *path, const char *token)
{
	size_t plen = strlen(path) + 1, tlen = strlen(token) + 1;
	struct pvxen_xs_event *ev;

	ev = kmalloc(struct_size(ev, buf, plen + tlen), GFP_KERNEL);
	if (!ev) {
		atomic64_inc(&pvxen_xs_stats.discarded);
		return;
	}
	memcpy(ev->buf, path, plen);
	memcpy(ev->buf + plen, token, tlen);
	ev->path = ev->buf;
	ev->token = ev->buf + plen;
	spin_lock_irq(&xs_watch.lock);
	list_add_tail(&ev->list, &xs_watch.events);
	spin_unlock_irq(&xs_watch.lock);
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

/* Drop queued events of a watch that is going away. */
static void pvxen_xs_purge_events(const char *token)
{
	struct pvxen_xs_event *ev, *tmp;
	LIST_HEAD(gone);

	spin_lock_irq(&xs_watch.lock);
	list_for_each_entry_safe(ev, tmp, &xs_watch.events, list)
		if (!strcmp(ev->token, token))
			list_move(&ev->list, &gone);
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
	spin_lock_irq(&xs_watch.lock);
	snprintf(watch->token, sizeof(watch->token), "pvxen-%llx",
		 xs_watch.next_token++);
	list_add_tail(&watch->list, &xs_watch.watches);
	spin_unlock_irq(&xs_watch.lock);

	ret = pvxen_xs_watch_op(PVXEN_XS_WATCH, watch);
	if (ret) {
		spin_lock_irq(&xs_watch.lock);
		list_del(&watch->list);
		spin_unlock_irq(&xs_watch.lock);
		pvxen_xs_purge_events(watch->token);
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
	spin_lock_irq(&xs_watch.lock);
	list_del(&watch->list);
	spin_unlock_irq(&xs_watch.lock);
	pvxen_xs_purge_events(watch->token);
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
		struct pvxen_xs_watch *w, *found = NULL;

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
			list_for_each_entry(w, &xs_watch.watches, list) {
				if (!strcmp(w->token, ev->token)) {
					found = w;
					break;
				}
			}
		}
		WRITE_ONCE(xs_watch.running, found);
		spin_unlock_irq(&xs_watch.lock);
		if (found) {
			found->callback(found, ev->path);
			WRITE_ONCE(xs_watch.running, NULL);
			wake_up_all(&xs_watch.unwatch_wq);
		} else if (ev) {
			atomic64_inc(&pvxen_xs_stats.discarded);
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
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pvxen_xs_stats);

/* ---- init / exit ------------------------------------------------------- */

static void pvxen_xs_free_events(void)
{
	struct pvxen_xs_event *ev, *tmp;

	list_for_each_entry_safe(ev, tmp, &xs_watch.events, list)
		kfree(ev);
	INIT_LIST_HEAD(&xs_watch.events);
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
	debugfs_remove(xs_watch.dbg_stats);
	WARN_ON(!list_empty(&xs_watch.watches));
	/* The thread first: a callback it is running may still talk. */
	kthread_stop(xs_watch.task);
	/* Then the ring: no event is handed up after this. */
	pvxen_xs_comms_exit();
	pvxen_xs_free_events();
}
