// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen: xenstore client on the shared ring.
 *
 * The ring page and its event channel come from HVM_PARAM_STORE_PFN and
 * HVM_PARAM_STORE_EVTCHN.  One interrupt serves both directions:
 *
 *  - requests: a caller takes a request id, puts itself on the pending
 *    list, writes its whole message under the write mutex (waiting for
 *    ring space if needed), then sleeps on its own completion, bounded by
 *    xs_timeout_ms.  A request that times out leaves the pending list, so
 *    a late reply finds nobody and is discarded.
 *  - replies and watch events: the interrupt queues the receive work,
 *    which copies messages out of the ring once (pvxen_xs_rx_feed() from
 *    pvxen/xs_wire.h), validates them, hands replies to their waiter and
 *    watch events to the one watch thread.
 *
 * A reply of the wrong type, a malformed payload or an unknown request id
 * is counted and answered with -EIO (or dropped); a broken frame (length
 * over 4096, producer index out of range) or a message that cannot be
 * written ends the connection: every waiter and every later call gets
 * -EIO.  Counters are in /sys/kernel/debug/pvxen/xenstore.
 */
#define pr_fmt(fmt) "pvxen: " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <xen/interface/xen.h>
#include <xen/interface/hvm/hvm_op.h>
#include <xen/interface/hvm/params.h>
#include <xen/interface/io/xs_wire.h>

#include <pvxen/events.h>
#include <pvxen/hypercall.h>
#include <pvxen/xenstore.h>
#include <pvxen/xs_wire.h>

#include "core.h"

static unsigned int xs_timeout_ms = 30000;
module_param(xs_timeout_ms, uint, 0644);
MODULE_PARM_DESC(xs_timeout_ms,
		 "xenstore request timeout in milliseconds (default 30000)");

/* Re-runs of a transaction body on -EAGAIN before giving up. */
#define PVXEN_XS_TX_RETRIES	100

/**
 * struct pvxen_xs_req - one request waiting for its reply
 * @list: on xs.pending while waiting
 * @req_id: id sent in the header
 * @type: request type, the reply must match it or be an error
 * @done: completed by the receive work (or a connection failure)
 * @err: 0 or negative errno
 * @reply: the payload with a NUL appended (kmalloc), on success
 * @len: payload length without that NUL
 */
struct pvxen_xs_req {
	struct list_head list;
	u32 req_id;
	u32 type;
	struct completion done;
	int err;
	char *reply;
	u32 len;
};

/**
 * struct pvxen_xs_event - a watch event on its way to the watch thread
 * @list: on xs.events
 * @path: changed path (points into @buf)
 * @token: token (points into @buf)
 * @buf: copy of the event payload
 */
struct pvxen_xs_event {
	struct list_head list;
	const char *path;
	const char *token;
	char buf[];
};

static struct {
	struct pvxen_xs_ring_page *intf;
	evtchn_port_t port;
	int irq;
	bool up;

	spinlock_t lock;		/* pending, next_id, dead */
	struct list_head pending;
	u32 next_id;
	int dead;			/* 0 or the errno every call gets */

	struct mutex write_mutex;	/* one message at a time into req */
	wait_queue_head_t space_wq;	/* req ring space, or dead */
	u32 req_prod;			/* our shadow of intf->req_prod */

	struct work_struct rx_work;
	struct pvxen_xs_rx *rx;		/* only touched by rx_work */
	u32 rsp_cons;			/* our shadow of intf->rsp_cons */

	spinlock_t watch_lock;		/* watches, events */
	struct list_head watches;
	struct list_head events;
	wait_queue_head_t watch_wq;
	struct task_struct *watch_task;
	struct pvxen_xs_watch *running;	/* whose callback runs (watch_lock) */
	wait_queue_head_t unwatch_wq;	/* woken when a callback returns */
	u64 next_token;

	atomic_t in_flight;
	atomic_t nr_watches;
	atomic64_t requests;
	atomic64_t replies;
	atomic64_t timeouts;
	atomic64_t malformed;
	atomic64_t discarded;
	atomic64_t watch_events;
	atomic64_t interrupts;

	/* fault injection (debugfs xenstore-fault) */
	atomic_t fault_drop;		/* drop the next N replies */
	atomic_t fault_bad_type;	/* corrupt the type of the next N */
	atomic_t fault_stall_ms;	/* delay the receive work once */

	struct dentry *dbg_stats;
	struct dentry *dbg_fault;
} xs;

/* ---- connection failure ---------------------------------------------- */

static void pvxen_xs_fail(int err, const char *why)
{
	struct pvxen_xs_req *req, *tmp;
	unsigned long flags;

	spin_lock_irqsave(&xs.lock, flags);
	if (!xs.dead) {
		xs.dead = err;
		pr_err("xenstore connection lost: %s\n", why);
	}
	list_for_each_entry_safe(req, tmp, &xs.pending, list) {
		list_del_init(&req->list);
		req->err = err;
		complete(&req->done);
	}
	spin_unlock_irqrestore(&xs.lock, flags);
	wake_up_all(&xs.space_wq);
}

/* ---- receiving --------------------------------------------------------- */

static void pvxen_xs_deliver_reply(struct pvxen_xs_rx *rx)
{
	const struct pvxen_xs_hdr *h = &rx->msg.hdr;
	struct pvxen_xs_req *req, *found = NULL;
	const char *p = pvxen_xs_rx_payload(rx);
	char *copy;
	int err = 0;

	copy = kmalloc(h->len + 1, GFP_KERNEL);
	if (copy) {
		memcpy(copy, p, h->len);
		copy[h->len] = '\0';
	}

	spin_lock_irq(&xs.lock);
	list_for_each_entry(req, &xs.pending, list) {
		if (req->req_id == h->req_id) {
			found = req;
			break;
		}
	}
	if (!found) {
		spin_unlock_irq(&xs.lock);
		atomic64_inc(&xs.discarded);
		kfree(copy);
		return;
	}
	if (!pvxen_xs_reply_type_ok(found->type, h->type)) {
		atomic64_inc(&xs.malformed);
		err = -EIO;
	} else if (h->type == PVXEN_XS_ERROR && found->type != PVXEN_XS_ERROR) {
		int e = pvxen_xs_errno(p, h->len);

		if (e < 0)
			atomic64_inc(&xs.malformed);
		err = e < 0 ? -EIO : -e;
	} else if (!copy) {
		err = -ENOMEM;
	}
	list_del_init(&found->list);
	found->err = err;
	if (!err) {
		found->reply = copy;
		found->len = h->len;
		copy = NULL;
	}
	atomic64_inc(&xs.replies);
	complete(&found->done);
	spin_unlock_irq(&xs.lock);
	kfree(copy);
}

static void pvxen_xs_deliver_event(struct pvxen_xs_rx *rx)
{
	const char *p = pvxen_xs_rx_payload(rx), *path, *token;
	u32 len = rx->msg.hdr.len;
	struct pvxen_xs_event *ev;

	if (pvxen_xs_parse_watch_event(p, len, &path, &token)) {
		atomic64_inc(&xs.malformed);
		return;
	}
	ev = kmalloc(struct_size(ev, buf, len), GFP_KERNEL);
	if (!ev) {
		atomic64_inc(&xs.discarded);
		return;
	}
	memcpy(ev->buf, p, len);
	ev->path = ev->buf + (path - p);
	ev->token = ev->buf + (token - p);
	atomic64_inc(&xs.watch_events);
	spin_lock_irq(&xs.watch_lock);
	list_add_tail(&ev->list, &xs.events);
	spin_unlock_irq(&xs.watch_lock);
	wake_up(&xs.watch_wq);
}

static void pvxen_xs_rx_work(struct work_struct *work)
{
	struct pvxen_xs_rx *rx = xs.rx;
	unsigned int stall = atomic_xchg(&xs.fault_stall_ms, 0);
	bool consumed = false;
	u32 prod;
	int r;

	if (stall)
		msleep(stall);
	if (READ_ONCE(xs.dead))
		return;
	for (;;) {
		u32 cons = xs.rsp_cons;

		prod = READ_ONCE(xs.intf->rsp_prod);
		virt_rmb(); /* the index before the data it covers */
		r = pvxen_xs_rx_feed(rx, xs.intf->rsp, &cons, prod);
		if (cons != xs.rsp_cons) {
			virt_mb(); /* data read before the slots are freed */
			xs.rsp_cons = cons;
			WRITE_ONCE(xs.intf->rsp_cons, cons);
			consumed = true;
		}
		if (r != PVXEN_XS_RING_DONE)
			break;
		if (atomic_add_unless(&xs.fault_bad_type, -1, 0) &&
		    rx->msg.hdr.type != PVXEN_XS_WATCH_EVENT)
			rx->msg.hdr.type = PVXEN_XS_TYPE_COUNT;
		if (rx->msg.hdr.type == PVXEN_XS_WATCH_EVENT)
			pvxen_xs_deliver_event(rx);
		else if (atomic_add_unless(&xs.fault_drop, -1, 0))
			atomic64_inc(&xs.discarded);
		else
			pvxen_xs_deliver_reply(rx);
		pvxen_xs_rx_reset(rx);
	}
	if (consumed)
		pvxen_evtchn_send(xs.port);
	if (r == PVXEN_XS_RING_EINDEX) {
		atomic64_inc(&xs.malformed);
		pvxen_xs_fail(-EIO, "reply ring index out of range");
	} else if (r == PVXEN_XS_RING_ELEN) {
		atomic64_inc(&xs.malformed);
		pvxen_xs_fail(-EIO, "reply longer than 4096 bytes");
	}
}

static irqreturn_t pvxen_xs_interrupt(int irq, void *dev_id)
{
	atomic64_inc(&xs.interrupts);
	wake_up(&xs.space_wq);
	queue_work(system_wq, &xs.rx_work);
	return IRQ_HANDLED;
}

/* ---- sending ----------------------------------------------------------- */

/* Whether there is room in the request ring, or nothing more to wait for. */
static bool pvxen_xs_can_write(void)
{
	u32 cons = READ_ONCE(xs.intf->req_cons);

	return READ_ONCE(xs.dead) ||
	       pvxen_xs_ring_used(cons, xs.req_prod) != PVXEN_XS_RING_SIZE;
}

static int pvxen_xs_write_msg(const char *msg, u32 len, unsigned long deadline)
{
	u32 off = 0;
	int r, ret = 0;

	mutex_lock(&xs.write_mutex);
	for (;;) {
		u32 cons, prod = xs.req_prod;
		long left;

		if (READ_ONCE(xs.dead)) {
			ret = READ_ONCE(xs.dead);
			break;
		}
		cons = READ_ONCE(xs.intf->req_cons);
		virt_mb(); /* slots freed before we overwrite them */
		r = pvxen_xs_tx_feed(xs.intf->req, cons, &prod, msg, len, &off);
		if (r == PVXEN_XS_RING_EINDEX) {
			mutex_unlock(&xs.write_mutex);
			atomic64_inc(&xs.malformed);
			pvxen_xs_fail(-EIO, "request ring index out of range");
			return -EIO;
		}
		if (prod != xs.req_prod) {
			virt_wmb(); /* data before the index that publishes it */
			xs.req_prod = prod;
			WRITE_ONCE(xs.intf->req_prod, prod);
			pvxen_evtchn_send(xs.port);
		}
		if (r == PVXEN_XS_RING_DONE)
			break;
		left = (long)(deadline - jiffies);
		if (left <= 0 ||
		    !wait_event_timeout(xs.space_wq, pvxen_xs_can_write(), left)) {
			/* Half a message is in the ring: the stream is lost. */
			mutex_unlock(&xs.write_mutex);
			atomic64_inc(&xs.timeouts);
			pvxen_xs_fail(-EIO, "request ring stayed full");
			return -ETIMEDOUT;
		}
	}
	mutex_unlock(&xs.write_mutex);
	return ret;
}

/*
 * Send one request and wait for its reply.  On success *reply is the
 * payload with a NUL appended (kfree() it) and *len its length.
 */
static int pvxen_xs_talk(u32 type, u32 tx, const struct pvxen_xs_iov *iov,
			 unsigned int n, char **reply, u32 *len)
{
	unsigned long timeout = msecs_to_jiffies(READ_ONCE(xs_timeout_ms));
	unsigned long deadline = jiffies + timeout;
	struct pvxen_xs_req req = { .type = type };
	bool kick = false;
	char *msg;
	long left;
	int m, ret;

	if (!xs.up)
		return -ENODEV;
	msg = kmalloc(PVXEN_XS_MSG_MAX, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	init_completion(&req.done);
	INIT_LIST_HEAD(&req.list);

	spin_lock_irq(&xs.lock);
	if (xs.dead) {
		ret = xs.dead;
		spin_unlock_irq(&xs.lock);
		kfree(msg);
		return ret;
	}
	req.req_id = xs.next_id++;
	list_add_tail(&req.list, &xs.pending);
	spin_unlock_irq(&xs.lock);

	atomic_inc(&xs.in_flight);
	atomic64_inc(&xs.requests);
	m = pvxen_xs_build(msg, PVXEN_XS_MSG_MAX, type, req.req_id, tx, iov, n);
	ret = m < 0 ? -E2BIG : pvxen_xs_write_msg(msg, m, deadline);
	kfree(msg);

	left = 0;
	if (!ret) {
		left = (long)(deadline - jiffies);
		left = left > 0 ? wait_for_completion_killable_timeout(&req.done,
								       left) : 0;
	}
	spin_lock_irq(&xs.lock);
	if (!list_empty(&req.list)) {
		/* Not answered (yet): a late reply will find nobody. */
		list_del_init(&req.list);
		if (!ret) {
			ret = left < 0 ? -EINTR : -ETIMEDOUT;
			if (ret == -ETIMEDOUT)
				atomic64_inc(&xs.timeouts);
		}
		kick = ret == -ETIMEDOUT;
	} else if (!ret) {
		ret = req.err;
	}
	spin_unlock_irq(&xs.lock);
	atomic_dec(&xs.in_flight);
	if (kick) {
		/*
		 * Should an event have been lost, look at the ring and poke
		 * xenstored once, so that the next callers do not wait too.
		 */
		queue_work(system_wq, &xs.rx_work);
		pvxen_evtchn_send(xs.port);
	}

	if (ret) {
		kfree(req.reply);
		return ret;
	}
	*reply = req.reply;
	*len = req.len;
	return 0;
}

/* Request whose reply must be "OK". */
static int pvxen_xs_talk_ack(u32 type, u32 tx, const struct pvxen_xs_iov *iov,
			     unsigned int n)
{
	char *reply;
	u32 len;
	int ret;

	ret = pvxen_xs_talk(type, tx, iov, n, &reply, &len);
	if (ret)
		return ret;
	if (!pvxen_xs_is_ack(reply, len)) {
		atomic64_inc(&xs.malformed);
		ret = -EIO;
	}
	kfree(reply);
	return ret;
}

/* "dir/node", or "dir" for an empty node; checked against xenstore's rules. */
static char *pvxen_xs_join(const char *dir, const char *node)
{
	char *p;

	if (!node || !*node)
		p = kstrdup(dir, GFP_KERNEL);
	else
		p = kasprintf(GFP_KERNEL, "%s/%s", dir, node);
	if (!p)
		return ERR_PTR(-ENOMEM);
	if (!pvxen_xs_path_ok(p, strlen(p) + 1)) {
		kfree(p);
		return ERR_PTR(-EINVAL);
	}
	return p;
}

static int pvxen_xs_path_op(u32 type, u32 tx, const char *dir,
			    const char *node, char **reply, u32 *len)
{
	struct pvxen_xs_iov iov;
	char *path;
	int ret;

	path = pvxen_xs_join(dir, node);
	if (IS_ERR(path))
		return PTR_ERR(path);
	iov.base = path;
	iov.len = strlen(path) + 1;
	ret = pvxen_xs_talk(type, tx, &iov, 1, reply, len);
	kfree(path);
	return ret;
}

/* ---- the exported API -------------------------------------------------- */

/**
 * pvxen_xs_read() - Read a node's value.
 * @tx: transaction or PVXEN_XS_NO_TX
 * @dir: directory (absolute, or relative to the domain's home)
 * @node: node name in @dir, or NULL/"" for @dir itself
 * @len: if not NULL, set to the value's length
 *
 * Return: the value with a NUL appended (kfree() it), or an ERR_PTR().
 */
void *pvxen_xs_read(u32 tx, const char *dir, const char *node,
		    unsigned int *len)
{
	char *reply;
	u32 n;
	int ret;

	ret = pvxen_xs_path_op(PVXEN_XS_READ, tx, dir, node, &reply, &n);
	if (ret)
		return ERR_PTR(ret);
	if (len)
		*len = n;
	return reply;
}
EXPORT_SYMBOL_GPL(pvxen_xs_read);

/**
 * pvxen_xs_write() - Write a node, creating it (and its parents) if needed.
 * @tx: transaction or PVXEN_XS_NO_TX
 * @dir: directory
 * @node: node name in @dir, or NULL/"" for @dir itself
 * @value: NUL-terminated value (the NUL is not stored)
 *
 * Return: 0 or a negative errno.
 */
int pvxen_xs_write(u32 tx, const char *dir, const char *node,
		   const char *value)
{
	struct pvxen_xs_iov iov[2];
	char *path;
	int ret;

	path = pvxen_xs_join(dir, node);
	if (IS_ERR(path))
		return PTR_ERR(path);
	iov[0].base = path;
	iov[0].len = strlen(path) + 1;
	iov[1].base = value;
	iov[1].len = strlen(value);
	ret = pvxen_xs_talk_ack(PVXEN_XS_WRITE, tx, iov, 2);
	kfree(path);
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_xs_write);

static int pvxen_xs_simple(u32 type, u32 tx, const char *dir,
			   const char *node)
{
	struct pvxen_xs_iov iov;
	char *path;
	int ret;

	path = pvxen_xs_join(dir, node);
	if (IS_ERR(path))
		return PTR_ERR(path);
	iov.base = path;
	iov.len = strlen(path) + 1;
	ret = pvxen_xs_talk_ack(type, tx, &iov, 1);
	kfree(path);
	return ret;
}

/**
 * pvxen_xs_mkdir() - Create a node with an empty value (and its parents).
 * @tx: transaction or PVXEN_XS_NO_TX
 * @dir: directory
 * @node: node name in @dir, or NULL/"" for @dir itself
 *
 * Return: 0 (also if it existed) or a negative errno.
 */
int pvxen_xs_mkdir(u32 tx, const char *dir, const char *node)
{
	return pvxen_xs_simple(PVXEN_XS_MKDIR, tx, dir, node);
}
EXPORT_SYMBOL_GPL(pvxen_xs_mkdir);

/**
 * pvxen_xs_rm() - Remove a node and everything below it.
 * @tx: transaction or PVXEN_XS_NO_TX
 * @dir: directory
 * @node: node name in @dir, or NULL/"" for @dir itself
 *
 * Return: 0 or a negative errno (-ENOENT if it did not exist).
 */
int pvxen_xs_rm(u32 tx, const char *dir, const char *node)
{
	return pvxen_xs_simple(PVXEN_XS_RM, tx, dir, node);
}
EXPORT_SYMBOL_GPL(pvxen_xs_rm);

/**
 * pvxen_xs_exists() - Whether a node exists (and may be read).
 * @tx: transaction or PVXEN_XS_NO_TX
 * @dir: directory
 * @node: node name in @dir, or NULL/"" for @dir itself
 *
 * Return: true if a read of the node succeeds.
 */
bool pvxen_xs_exists(u32 tx, const char *dir, const char *node)
{
	void *v = pvxen_xs_read(tx, dir, node, NULL);

	if (IS_ERR(v))
		return false;
	kfree(v);
	return true;
}
EXPORT_SYMBOL_GPL(pvxen_xs_exists);

/**
 * pvxen_xs_directory() - List a node's children.
 * @tx: transaction or PVXEN_XS_NO_TX
 * @dir: directory
 * @node: node name in @dir, or NULL/"" for @dir itself
 * @num: set to the number of children
 *
 * Return: an array of @num child names, in one allocation: kfree() the
 * array only.  An ERR_PTR() on failure.
 */
char **pvxen_xs_directory(u32 tx, const char *dir, const char *node,
			  unsigned int *num)
{
	const char *s;
	char *reply, *strs, **v;
	u32 len, off = 0;
	int n, i = 0, ret;

	ret = pvxen_xs_path_op(PVXEN_XS_DIRECTORY, tx, dir, node, &reply,
			       &len);
	if (ret)
		return ERR_PTR(ret);
	n = pvxen_xs_count_strings(reply, len);
	if (n < 0) {
		atomic64_inc(&xs.malformed);
		kfree(reply);
		return ERR_PTR(-EIO);
	}
	v = kmalloc(sizeof(*v) * (n + 1) + len, GFP_KERNEL);
	if (!v) {
		kfree(reply);
		return ERR_PTR(-ENOMEM);
	}
	strs = (char *)(v + n + 1);
	memcpy(strs, reply, len);
	while ((s = pvxen_xs_next_string(reply, len, &off))) {
		if (*s)		/* a child name is never empty */
			v[i++] = strs + (s - reply);
	}
	v[i] = NULL;
	*num = i;
	kfree(reply);
	return v;
}
EXPORT_SYMBOL_GPL(pvxen_xs_directory);

/**
 * pvxen_xs_get_perms() - Read a node's permission list.
 * @tx: transaction or PVXEN_XS_NO_TX
 * @dir: directory
 * @node: node name in @dir, or NULL/"" for @dir itself
 * @perms: set to an array of *@num entries (kfree() it)
 * @num: set to the number of entries (at least 1: the owner)
 *
 * Return: 0 or a negative errno.
 */
int pvxen_xs_get_perms(u32 tx, const char *dir, const char *node,
		       struct pvxen_xs_perm **perms, unsigned int *num)
{
	struct pvxen_xs_perm *v;
	const char *s;
	char *reply;
	u32 len, off = 0;
	int n, i = 0, ret;

	ret = pvxen_xs_path_op(PVXEN_XS_GET_PERMS, tx, dir, node, &reply,
			       &len);
	if (ret)
		return ret;
	n = pvxen_xs_count_strings(reply, len);
	if (n < 1) {
		ret = -EIO;
		goto malformed;
	}
	v = kcalloc(n, sizeof(*v), GFP_KERNEL);
	if (!v) {
		kfree(reply);
		return -ENOMEM;
	}
	while ((s = pvxen_xs_next_string(reply, len, &off))) {
		unsigned int d, p;

		if (pvxen_xs_parse_perm(s, len - (s - reply), &d, &p)) {
			kfree(v);
			ret = -EIO;
			goto malformed;
		}
		v[i].domid = d;
		v[i].perm = p;
		i++;
	}
	kfree(reply);
	*perms = v;
	*num = i;
	return 0;

malformed:
	atomic64_inc(&xs.malformed);
	kfree(reply);
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_xs_get_perms);

/**
 * pvxen_xs_set_perms() - Replace a node's permission list.
 * @tx: transaction or PVXEN_XS_NO_TX
 * @dir: directory
 * @node: node name in @dir, or NULL/"" for @dir itself
 * @perms: entries; the first names the owner and the default access
 * @num: number of entries, 1 to 64
 *
 * Return: 0 or a negative errno.
 */
int pvxen_xs_set_perms(u32 tx, const char *dir, const char *node,
		       const struct pvxen_xs_perm *perms, unsigned int num)
{
	struct pvxen_xs_iov iov[2];
	char *path, *buf;
	unsigned int i, pos = 0;
	int ret, n;

	if (!num || num > 64)
		return -EINVAL;
	path = pvxen_xs_join(dir, node);
	if (IS_ERR(path))
		return PTR_ERR(path);
	buf = kmalloc(num * 8, GFP_KERNEL);
	if (!buf) {
		kfree(path);
		return -ENOMEM;
	}
	for (i = 0; i < num; i++) {
		n = pvxen_xs_format_perm(buf + pos, perms[i].domid,
					 perms[i].perm);
		if (n < 0) {
			ret = -EINVAL;
			goto out;
		}
		pos += n + 1;
	}
	iov[0].base = path;
	iov[0].len = strlen(path) + 1;
	iov[1].base = buf;
	iov[1].len = pos;
	ret = pvxen_xs_talk_ack(PVXEN_XS_SET_PERMS, tx, iov, 2);
out:
	kfree(buf);
	kfree(path);
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_xs_set_perms);

/**
 * pvxen_xs_vprintf() - Write a value formatted from a va_list.
 * @tx: transaction or PVXEN_XS_NO_TX
 * @dir: directory
 * @node: node name in @dir, or NULL/"" for @dir itself
 * @fmt: printf() format
 * @ap: its arguments
 *
 * Return: 0 or a negative errno.
 */
int pvxen_xs_vprintf(u32 tx, const char *dir, const char *node,
		     const char *fmt, va_list ap)
{
	char *val = kvasprintf(GFP_KERNEL, fmt, ap);
	int ret;

	if (!val)
		return -ENOMEM;
	ret = pvxen_xs_write(tx, dir, node, val);
	kfree(val);
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_xs_vprintf);

/**
 * pvxen_xs_printf() - Write a formatted value.
 * @tx: transaction or PVXEN_XS_NO_TX
 * @dir: directory
 * @node: node name in @dir, or NULL/"" for @dir itself
 * @fmt: printf() format
 *
 * Return: 0 or a negative errno.
 */
int pvxen_xs_printf(u32 tx, const char *dir, const char *node,
		    const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = pvxen_xs_vprintf(tx, dir, node, fmt, ap);
	va_end(ap);
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_xs_printf);

/**
 * pvxen_xs_vscanf() - Read a node and parse it with a va_list.
 * @tx: transaction or PVXEN_XS_NO_TX
 * @dir: directory
 * @node: node name in @dir, or NULL/"" for @dir itself
 * @fmt: scanf() format
 * @ap: its arguments
 *
 * Return: the number of items converted (-ERANGE if none), or a negative
 * errno from the read.
 */
int pvxen_xs_vscanf(u32 tx, const char *dir, const char *node,
		    const char *fmt, va_list ap)
{
	char *val;
	int ret;

	val = pvxen_xs_read(tx, dir, node, NULL);
	if (IS_ERR(val))
		return PTR_ERR(val);
	ret = vsscanf(val, fmt, ap);
	kfree(val);
	return ret > 0 ? ret : -ERANGE;
}
EXPORT_SYMBOL_GPL(pvxen_xs_vscanf);

/**
 * pvxen_xs_scanf() - Read a node and parse its value with vsscanf().
 * @tx: transaction or PVXEN_XS_NO_TX
 * @dir: directory
 * @node: node name in @dir, or NULL/"" for @dir itself
 * @fmt: scanf() format
 *
 * Return: the number of items converted (-ERANGE if none), or a negative
 * errno from the read.
 */
int pvxen_xs_scanf(u32 tx, const char *dir, const char *node,
		   const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = pvxen_xs_vscanf(tx, dir, node, fmt, ap);
	va_end(ap);
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_xs_scanf);

/**
 * pvxen_xs_transaction_start() - Start a transaction.
 * @tx: set to the transaction id
 *
 * Return: 0 or a negative errno.
 */
int pvxen_xs_transaction_start(u32 *tx)
{
	struct pvxen_xs_iov iov = { "", 1 };
	char *reply;
	u32 len, id;
	int ret;

	ret = pvxen_xs_talk(PVXEN_XS_TRANSACTION_START, 0, &iov, 1, &reply,
			    &len);
	if (ret)
		return ret;
	if (pvxen_xs_parse_u32(reply, len, &id) || id == 0) {
		atomic64_inc(&xs.malformed);
		ret = -EIO;
	} else {
		*tx = id;
	}
	kfree(reply);
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_xs_transaction_start);

/**
 * pvxen_xs_transaction_end() - Commit or abort a transaction.
 * @tx: the transaction
 * @abort: true to discard its changes
 *
 * Return: 0; -EAGAIN when a commit conflicted with another change (run
 * the whole transaction again); another negative errno on failure.
 */
int pvxen_xs_transaction_end(u32 tx, bool abort)
{
	struct pvxen_xs_iov iov = { abort ? "F" : "T", 2 };

	return pvxen_xs_talk_ack(PVXEN_XS_TRANSACTION_END, tx, &iov, 1);
}
EXPORT_SYMBOL_GPL(pvxen_xs_transaction_end);

/**
 * pvxen_xs_transaction_run() - Run a body in a transaction, retrying.
 * @body: reads and writes with the transaction id it gets; returns 0 to
 *	commit, a negative errno to abort (which is then returned)
 * @data: passed to @body
 * @retries: if not NULL, set to how many times the body was re-run
 *
 * The body may run several times: each time the commit answers -EAGAIN
 * (a concurrent change to something the transaction read), the whole
 * transaction runs again, up to 100 times.  A body that itself gets
 * -EAGAIN is re-run as well.
 *
 * Return: 0 once committed, or a negative errno.
 */
int pvxen_xs_transaction_run(int (*body)(u32 tx, void *data), void *data,
			     unsigned int *retries)
{
	unsigned int i;
	int ret = -EAGAIN;
	u32 tx;

	for (i = 0; i < PVXEN_XS_TX_RETRIES && ret == -EAGAIN; i++) {
		if (retries)
			*retries = i;
		ret = pvxen_xs_transaction_start(&tx);
		if (ret)
			return ret;
		ret = body(tx, data);
		if (ret) {
			pvxen_xs_transaction_end(tx, true);
			continue;
		}
		ret = pvxen_xs_transaction_end(tx, false);
	}
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_xs_transaction_run);

/* ---- watches ----------------------------------------------------------- */

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

	spin_lock_irq(&xs.watch_lock);
	list_for_each_entry_safe(ev, tmp, &xs.events, list)
		if (!strcmp(ev->token, token))
			list_move(&ev->list, &gone);
	spin_unlock_irq(&xs.watch_lock);
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

	if (!xs.up)
		return -ENODEV;
	watch->path = pvxen_xs_join(dir, node);
	if (IS_ERR(watch->path)) {
		ret = PTR_ERR(watch->path);
		watch->path = NULL;
		return ret;
	}
	watch->callback = callback;
	spin_lock_irq(&xs.watch_lock);
	snprintf(watch->token, sizeof(watch->token), "pvxen-%llx",
		 xs.next_token++);
	list_add_tail(&watch->list, &xs.watches);
	spin_unlock_irq(&xs.watch_lock);

	ret = pvxen_xs_watch_op(PVXEN_XS_WATCH, watch);
	if (ret) {
		spin_lock_irq(&xs.watch_lock);
		list_del(&watch->list);
		spin_unlock_irq(&xs.watch_lock);
		pvxen_xs_purge_events(watch->token);
		kfree(watch->path);
		watch->path = NULL;
		return ret;
	}
	atomic_inc(&xs.nr_watches);
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
	spin_lock_irq(&xs.watch_lock);
	list_del(&watch->list);
	spin_unlock_irq(&xs.watch_lock);
	pvxen_xs_purge_events(watch->token);
	/* Wait for a callback of this watch that may be running. */
	if (current != xs.watch_task)
		wait_event(xs.unwatch_wq, READ_ONCE(xs.running) != watch);
	atomic_dec(&xs.nr_watches);
	kfree(watch->path);
	watch->path = NULL;
}
EXPORT_SYMBOL_GPL(pvxen_xs_unwatch);

static int pvxen_xs_watch_thread(void *unused)
{
	for (;;) {
		struct pvxen_xs_event *ev = NULL;
		struct pvxen_xs_watch *w, *found = NULL;

		wait_event_interruptible(xs.watch_wq,
					 !list_empty(&xs.events) ||
					 kthread_should_stop());
		if (kthread_should_stop())
			break;
		spin_lock_irq(&xs.watch_lock);
		if (!list_empty(&xs.events)) {
			ev = list_first_entry(&xs.events,
					      struct pvxen_xs_event, list);
			list_del(&ev->list);
			list_for_each_entry(w, &xs.watches, list) {
				if (!strcmp(w->token, ev->token)) {
					found = w;
					break;
				}
			}
		}
		WRITE_ONCE(xs.running, found);
		spin_unlock_irq(&xs.watch_lock);
		if (found) {
			found->callback(found, ev->path);
			WRITE_ONCE(xs.running, NULL);
			wake_up_all(&xs.unwatch_wq);
		} else if (ev) {
			atomic64_inc(&xs.discarded);
		}
		kfree(ev);
	}
	return 0;
}

/* ---- debugfs ----------------------------------------------------------- */

static int pvxen_xs_stats_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "state %s\n", xs.dead ? "dead" : "connected");
	seq_printf(m, "port %u\n", xs.port);
	seq_printf(m, "server_features 0x%x\n",
		   READ_ONCE(xs.intf->server_features));
	seq_printf(m, "ring req %u/%u rsp %u/%u\n",
		   READ_ONCE(xs.intf->req_cons), READ_ONCE(xs.intf->req_prod),
		   READ_ONCE(xs.intf->rsp_cons), READ_ONCE(xs.intf->rsp_prod));
	seq_printf(m, "in_flight %d\n", atomic_read(&xs.in_flight));
	seq_printf(m, "watches %d\n", atomic_read(&xs.nr_watches));
	seq_printf(m, "requests %lld\n", atomic64_read(&xs.requests));
	seq_printf(m, "replies %lld\n", atomic64_read(&xs.replies));
	seq_printf(m, "timeouts %lld\n", atomic64_read(&xs.timeouts));
	seq_printf(m, "malformed %lld\n", atomic64_read(&xs.malformed));
	seq_printf(m, "discarded %lld\n", atomic64_read(&xs.discarded));
	seq_printf(m, "watch_events %lld\n", atomic64_read(&xs.watch_events));
	seq_printf(m, "interrupts %lld\n", atomic64_read(&xs.interrupts));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pvxen_xs_stats);

/*
 * xenstore-fault: "drop N" loses the next N replies (their requests time
 * out), "bad_type N" gives the next N replies a type no request has (they
 * are malformed), "stall MS" delays the next receive once (its replies
 * arrive after a short xs_timeout_ms, and are discarded).
 */
static ssize_t pvxen_xs_fault_write(struct file *file, const char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	char buf[32], what[12];
	unsigned int n;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (sscanf(buf, "%11s %u", what, &n) != 2)
		return -EINVAL;
	if (!strcmp(what, "drop"))
		atomic_set(&xs.fault_drop, n);
	else if (!strcmp(what, "bad_type"))
		atomic_set(&xs.fault_bad_type, n);
	else if (!strcmp(what, "stall") && n <= 10000)
		atomic_set(&xs.fault_stall_ms, n);
	else
		return -EINVAL;
	return count;
}

static const struct file_operations pvxen_xs_fault_fops = {
	.owner = THIS_MODULE,
	.write = pvxen_xs_fault_write,
	.llseek = noop_llseek,
};

/* ---- init / exit ------------------------------------------------------- */

static int pvxen_xs_get_param(u32 index, u64 *value)
{
	struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index };
	long ret;

	ret = pvxen_hvm_op(HVMOP_get_param, &p);
	if (ret)
		return ret < 0 && ret >= -MAX_ERRNO ? (int)ret : -EIO;
	*value = p.value;
	return 0;
}

bool pvxen_xs_available(void)
{
	return xs.up;
}

int pvxen_xs_init(void)
{
	u64 pfn, evtchn;
	int ret;

	/* Our wire constants must be Xen's. */
	BUILD_BUG_ON(PVXEN_XS_RING_SIZE != XENSTORE_RING_SIZE);
	BUILD_BUG_ON(PVXEN_XS_PAYLOAD_MAX != XENSTORE_PAYLOAD_MAX);
	BUILD_BUG_ON(sizeof(struct pvxen_xs_ring_page) !=
		     sizeof(struct xenstore_domain_interface));
	BUILD_BUG_ON(offsetof(struct pvxen_xs_ring_page, rsp_prod) !=
		     offsetof(struct xenstore_domain_interface, rsp_prod));
	BUILD_BUG_ON(PVXEN_XS_WATCH_EVENT != XS_WATCH_EVENT);
	BUILD_BUG_ON(PVXEN_XS_ERROR != XS_ERROR);
	BUILD_BUG_ON(PVXEN_XS_TYPE_COUNT != XS_TYPE_COUNT);
	BUILD_BUG_ON(PVXEN_XS_EAGAIN != EAGAIN);
	BUILD_BUG_ON(PVXEN_XS_ENOENT != ENOENT);
	BUILD_BUG_ON(PVXEN_XS_EACCES != EACCES);
	BUILD_BUG_ON(PVXEN_XS_E2BIG != E2BIG);

	spin_lock_init(&xs.lock);
	INIT_LIST_HEAD(&xs.pending);
	mutex_init(&xs.write_mutex);
	init_waitqueue_head(&xs.space_wq);
	INIT_WORK(&xs.rx_work, pvxen_xs_rx_work);
	spin_lock_init(&xs.watch_lock);
	INIT_LIST_HEAD(&xs.watches);
	INIT_LIST_HEAD(&xs.events);
	init_waitqueue_head(&xs.watch_wq);
	init_waitqueue_head(&xs.unwatch_wq);
	xs.running = NULL;
	xs.dead = 0;
	xs.up = false;

	ret = pvxen_xs_get_param(HVM_PARAM_STORE_EVTCHN, &evtchn);
	if (!ret)
		ret = pvxen_xs_get_param(HVM_PARAM_STORE_PFN, &pfn);
	if (ret || !pfn || !evtchn) {
		pr_warn("no xenstore (HVM params: %d, pfn 0x%llx, port %llu): xenstore and xenbus disabled\n",
			ret, ret ? 0 : pfn, ret ? 0 : evtchn);
		return 0;
	}

	xs.rx = kzalloc(sizeof(*xs.rx), GFP_KERNEL);
	if (!xs.rx)
		return -ENOMEM;
	xs.intf = memremap(pfn << PVXEN_XEN_PAGE_SHIFT, PVXEN_XEN_PAGE_SIZE,
			   MEMREMAP_WB);
	if (!xs.intf) {
		pr_err("could not map the xenstore ring at gfn 0x%llx\n", pfn);
		ret = -ENOMEM;
		goto err_rx;
	}
	xs.port = evtchn;
	/* Take over the indices where the last user left them. */
	xs.req_prod = READ_ONCE(xs.intf->req_prod);
	xs.rsp_cons = READ_ONCE(xs.intf->rsp_cons);
	/* Ids unlike those of an earlier load: its late replies are dropped. */
	xs.next_id = get_random_u32() | 1;

	xs.watch_task = kthread_run(pvxen_xs_watch_thread, NULL,
				    "pvxen-xenwatch");
	if (IS_ERR(xs.watch_task)) {
		ret = PTR_ERR(xs.watch_task);
		goto err_unmap;
	}

	ret = pvxen_evtchn_bind_irq(xs.port, pvxen_xs_interrupt, 0,
				    "pvxen-xenstore", &xs);
	if (ret < 0) {
		pr_err("could not bind the xenstore event channel %u (%d)\n",
		       xs.port, ret);
		goto err_thread;
	}
	xs.irq = ret;
	xs.up = true;
	/* Anything already in the ring (a reply to an earlier load). */
	queue_work(system_wq, &xs.rx_work);

	xs.dbg_stats = debugfs_create_file("xenstore", 0444, pvxen_core.debugfs,
					   NULL, &pvxen_xs_stats_fops);
	xs.dbg_fault = debugfs_create_file("xenstore-fault", 0200,
					   pvxen_core.debugfs, NULL,
					   &pvxen_xs_fault_fops);
	return 0;

err_thread:
	kthread_stop(xs.watch_task);
err_unmap:
	memunmap(xs.intf);
err_rx:
	kfree(xs.rx);
	xs.rx = NULL;
	return ret;
}

void pvxen_xs_exit(void)
{
	struct pvxen_xs_event *ev, *tmp;

	if (!xs.up)
		return;
	debugfs_remove(xs.dbg_fault);
	debugfs_remove(xs.dbg_stats);
	WARN_ON(!list_empty(&xs.watches));
	/* Let a message that is half way through the ring finish. */
	flush_work(&xs.rx_work);
	pvxen_evtchn_unbind_irq(xs.irq, &xs);
	cancel_work_sync(&xs.rx_work);
	xs.up = false;
	kthread_stop(xs.watch_task);
	list_for_each_entry_safe(ev, tmp, &xs.events, list)
		kfree(ev);
	INIT_LIST_HEAD(&xs.events);
	memunmap(xs.intf);
	xs.intf = NULL;
	kfree(xs.rx);
	xs.rx = NULL;
}
