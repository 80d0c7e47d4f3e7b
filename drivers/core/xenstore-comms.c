// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen: the xenstore ring (the bottom layer of the client, see
 * xenstore-internal.h).
 *
 * The ring page and its event channel come from HVM_PARAM_STORE_PFN and
 * HVM_PARAM_STORE_EVTCHN.  One interrupt serves both directions:
 *
 *  - requests (pvxen_xs_talk()): a caller takes a request id, puts itself
 *    on the pending list, writes its whole message under the write mutex
 *    (waiting for ring space if needed), then sleeps on its own
 *    completion, bounded by xs_timeout_ms.  A request that times out
 *    leaves the pending list, so a late reply finds nobody and is
 *    discarded.
 *  - replies and watch events: the interrupt queues the receive work,
 *    which copies messages out of the ring once (pvxen_xs_rx_feed() from
 *    pvxen/xs_wire.h), validates them, hands replies to their waiter and
 *    watch events (path and token, the path one xenstore accepts) to the
 *    handler the watch layer registered, which bounds what it keeps.
 *
 * A reply of the wrong type, a malformed payload or an unknown request id
 * is counted and answered with -EIO (or dropped); a broken frame (length
 * over 4096, producer index out of range) or a message that cannot be
 * written ends the connection: every waiter and every later call gets
 * -EIO.
 *
 * Locks: xs.write_mutex (one message at a time into the request ring)
 * and xs.lock (the pending list, request ids, the dead flag; taken with
 * interrupts off) never nest in each other.
 */
#define pr_fmt(fmt) "pvxen: " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/interrupt.h>
#include <linux/io.h>
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
#include <pvxen/xs_wire.h>

#include "core.h"
#include "xenstore-internal.h"

static unsigned int xs_timeout_ms = 30000;
module_param(xs_timeout_ms, uint, 0644);
MODULE_PARM_DESC(xs_timeout_ms,
		 "xenstore request timeout in milliseconds (default 30000)");

struct pvxen_xs_stats pvxen_xs_stats;

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
	pvxen_xs_event_fn on_event;	/* the watch layer's handler */

	atomic64_t interrupts;

	/* fault injection (debugfs xenstore-fault) */
	atomic_t fault_drop;		/* drop the next N replies */
	atomic_t fault_bad_type;	/* corrupt the type of the next N */
	atomic_t fault_bad_token;	/* corrupt the token of the next N */
	atomic_t fault_stall_ms;	/* delay the receive work once */

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
		atomic64_inc(&pvxen_xs_stats.discarded);
		kfree(copy);
		return;
	}
	if (!pvxen_xs_reply_type_ok(found->type, h->type)) {
		atomic64_inc(&pvxen_xs_stats.malformed);
		err = -EIO;
	} else if (h->type == PVXEN_XS_ERROR && found->type != PVXEN_XS_ERROR) {
		int e = pvxen_xs_errno(p, h->len);

		if (e < 0)
			atomic64_inc(&pvxen_xs_stats.malformed);
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
	atomic64_inc(&pvxen_xs_stats.replies);
	complete(&found->done);
	spin_unlock_irq(&xs.lock);
	kfree(copy);
}

/*
 * A watch event: "path\0token\0".  Validated here, handed up in place (the
 * handler copies what it keeps).  Fault injection "bad_token" turns the
 * token's first byte into one no token of ours starts with.
 */
static void pvxen_xs_deliver_event(struct pvxen_xs_rx *rx)
{
	char *p = (char *)pvxen_xs_rx_payload(rx);
	const char *path, *token;
	u32 len = rx->msg.hdr.len;

	if (pvxen_xs_parse_watch_event(p, len, &path, &token) ||
	    !pvxen_xs_path_ok(path, len - (path - p))) {
		atomic64_inc(&pvxen_xs_stats.malformed);
		return;
	}
	if (*token && atomic_add_unless(&xs.fault_bad_token, -1, 0))
		p[token - p] = '!';
	atomic64_inc(&pvxen_xs_stats.watch_events);
	xs.on_event(path, token);
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
			atomic64_inc(&pvxen_xs_stats.discarded);
		else
			pvxen_xs_deliver_reply(rx);
		pvxen_xs_rx_reset(rx);
	}
	if (consumed)
		pvxen_evtchn_send(xs.port);
	if (r == PVXEN_XS_RING_EINDEX) {
		atomic64_inc(&pvxen_xs_stats.malformed);
		pvxen_xs_fail(-EIO, "reply ring index out of range");
	} else if (r == PVXEN_XS_RING_ELEN) {
		atomic64_inc(&pvxen_xs_stats.malformed);
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
			atomic64_inc(&pvxen_xs_stats.malformed);
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
			atomic64_inc(&pvxen_xs_stats.timeouts);
			pvxen_xs_fail(-EIO, "request ring stayed full");
			return -ETIMEDOUT;
		}
	}
	mutex_unlock(&xs.write_mutex);
	return ret;
}

/**
 * pvxen_xs_talk() - Send one request and wait for its reply.
 * @type: request type (PVXEN_XS_*)
 * @tx: transaction id or PVXEN_XS_NO_TX
 * @iov: the payload's pieces
 * @n: how many
 * @reply: on success, the payload with a NUL appended (kfree() it)
 * @len: on success, its length without that NUL
 *
 * Return: 0, or a negative errno (xenstore's own error, -ETIMEDOUT past
 * xs_timeout_ms, -EIO on a protocol error, -ENODEV without xenstore).
 */
int pvxen_xs_talk(u32 type, u32 tx, const struct pvxen_xs_iov *iov,
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

	atomic_inc(&pvxen_xs_stats.in_flight);
	atomic64_inc(&pvxen_xs_stats.requests);
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
				atomic64_inc(&pvxen_xs_stats.timeouts);
		}
		kick = ret == -ETIMEDOUT;
	} else if (!ret) {
		ret = req.err;
	}
	spin_unlock_irq(&xs.lock);
	atomic_dec(&pvxen_xs_stats.in_flight);
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

/* ---- debugfs ----------------------------------------------------------- */

/* The connection's lines of debugfs pvxen/xenstore. */
void pvxen_xs_comms_show(struct seq_file *m)
{
	seq_printf(m, "state %s\n", xs.dead ? "dead" : "connected");
	seq_printf(m, "port %u\n", xs.port);
	seq_printf(m, "server_features 0x%x\n",
		   READ_ONCE(xs.intf->server_features));
	seq_printf(m, "ring req %u/%u rsp %u/%u\n",
		   READ_ONCE(xs.intf->req_cons), READ_ONCE(xs.intf->req_prod),
		   READ_ONCE(xs.intf->rsp_cons), READ_ONCE(xs.intf->rsp_prod));
	seq_printf(m, "in_flight %d\n", atomic_read(&pvxen_xs_stats.in_flight));
	seq_printf(m, "requests %lld\n",
		   atomic64_read(&pvxen_xs_stats.requests));
	seq_printf(m, "replies %lld\n", atomic64_read(&pvxen_xs_stats.replies));
	seq_printf(m, "timeouts %lld\n",
		   atomic64_read(&pvxen_xs_stats.timeouts));
	seq_printf(m, "malformed %lld\n",
		   atomic64_read(&pvxen_xs_stats.malformed));
	seq_printf(m, "discarded %lld\n",
		   atomic64_read(&pvxen_xs_stats.discarded));
	seq_printf(m, "watch_events %lld\n",
		   atomic64_read(&pvxen_xs_stats.watch_events));
	seq_printf(m, "interrupts %lld\n", atomic64_read(&xs.interrupts));
}

/*
 * xenstore-fault: "drop N" loses the next N replies (their requests time
 * out), "bad_type N" gives the next N replies a type no request has (they
 * are malformed), "bad_token N" gives the next N watch events a token no
 * watch has, "stall MS" delays the next receive once (its replies arrive
 * after a short xs_timeout_ms, and are discarded).
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
	else if (!strcmp(what, "bad_token"))
		atomic_set(&xs.fault_bad_token, n);
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

/**
 * pvxen_xs_comms_init() - Map the ring and start receiving.
 * @on_event: gets every well-formed watch event from now on
 *
 * Without a xenstore (no HVM params) it warns once and returns 0, and
 * pvxen_xs_available() stays false.
 *
 * Return: 0 or a negative errno.
 */
int pvxen_xs_comms_init(pvxen_xs_event_fn on_event)
{
	u64 pfn, evtchn;
	int ret;

	/* Our wire constants must be Xen's. */
	BUILD_BUG_ON(PVXEN_XS_RING_SIZE != XENSTORE_RING_SIZE);
	BUILD_BUG_ON(PVXEN_XS_PAYLOAD_MAX != XENSTORE_PAYLOAD_MAX);
	BUILD_BUG_ON(PVXEN_XS_ABS_PATH_MAX != XENSTORE_ABS_PATH_MAX);
	BUILD_BUG_ON(PVXEN_XS_RING_PAGE_SIZE !=
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
	xs.on_event = on_event;
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

	ret = pvxen_evtchn_bind_irq(xs.port, pvxen_xs_interrupt, 0,
				    "pvxen-xenstore", &xs);
	if (ret < 0) {
		pr_err("could not bind the xenstore event channel %u (%d)\n",
		       xs.port, ret);
		goto err_unmap;
	}
	xs.irq = ret;
	xs.up = true;
	/* Anything already in the ring (a reply to an earlier load). */
	queue_work(system_wq, &xs.rx_work);

	xs.dbg_fault = debugfs_create_file("xenstore-fault", 0200,
					   pvxen_core.debugfs, NULL,
					   &pvxen_xs_fault_fops);
	return 0;

err_unmap:
	memunmap(xs.intf);
	xs.intf = NULL;
err_rx:
	kfree(xs.rx);
	xs.rx = NULL;
	return ret;
}

/**
 * pvxen_xs_comms_exit() - Stop receiving and unmap the ring.
 *
 * When it returns, the event handler is not running and will not be
 * called again.
 */
void pvxen_xs_comms_exit(void)
{
	if (!xs.up)
		return;
	debugfs_remove(xs.dbg_fault);
	/* Let a message that is half way through the ring finish. */
	flush_work(&xs.rx_work);
	pvxen_evtchn_unbind_irq(xs.irq, &xs);
	cancel_work_sync(&xs.rx_work);
	xs.up = false;
	memunmap(xs.intf);
	xs.intf = NULL;
	kfree(xs.rx);
	xs.rx = NULL;
}
