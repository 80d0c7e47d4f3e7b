// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen-xs-test: drives pvxen-core's xenstore client and xenbus from the
 * guest tests (tests/guest/core-xenstore.sh, core-xenbus.sh) through
 * debugfs, using only pvxen-core's exported API.
 *
 *   /sys/kernel/debug/pvxen-xs-test/cmd   write one command, read its
 *	result: "OK[ value]" or "ERR <negative errno>".
 *	read PATH		value
 *	write PATH VALUE	(VALUE is the rest of the line)
 *	mkdir PATH, rm PATH
 *	exists PATH		"OK 1" or "OK 0"
 *	dir PATH		children, space separated
 *	perms PATH		entries, e.g. "n1 r0"
 *	setperms PATH E...	e.g. "setperms data/x n1 r0"
 *	scanu PATH		the value parsed by pvxen_xs_scanf("%u")
 *	watch PATH		register the test watch (one at a time)
 *	unwatch			unregister it
 *	events			"<count> <last path>" of the test watch
 *	lastval			"OK <value>" the callback read from the
 *				path of its last event ("ERR <errno>" if
 *				the read failed)
 *	hold 1|0		1: the test watch's next callback waits
 *				(holding the watch thread, so events
 *				queue up) until "hold 0"
 *	held			"OK 1" while a callback waits on hold
 *	txrace PATH		increment PATH in a transaction whose first
 *				run is overtaken by a second transaction
 *				incrementing PATH: "OK <retries>"
 *	txthreads PATH N	two threads each increment PATH N times in
 *				transactions: "OK <total retries>"
 *	stress PATH N [T]	T (default and at most 8) threads each write
 *				PATH/<thread> and read it back N times,
 *				concurrently: "OK <reads>"
 *	state PATH		pvxen_xenbus_read_state() of PATH/state: the
 *				state's name
 *   /sys/kernel/debug/pvxen-xs-test/driver   the "pvxentest" frontend
 *	driver's counters: probed, removed, changes, last (backend state).
 *
 * The driver binds device/pvxentest/<id>: probe goes Initialised, a
 * Connected backend makes it Connected, a Closing/Closed one Closing.
 */
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include <pvxen/xenbus.h>
#include <pvxen/xenstore.h>
#include <pvxen/xs_wire.h>

#define T_RESULT_MAX	(PVXEN_XS_PAYLOAD_MAX + 64)

static DEFINE_MUTEX(t_lock);
static struct dentry *t_dir;
static char *t_result;

static struct pvxen_xs_watch t_watch;
static bool t_watching;
static atomic_t t_events;
static char t_last_event[128];
static char t_last_value[64];
static DEFINE_SPINLOCK(t_event_lock);
static bool t_hold;
static atomic_t t_held;
static DECLARE_WAIT_QUEUE_HEAD(t_hold_wq);

static atomic_t t_probed, t_removed, t_changes;
/* remove_connect: remove() tries to switch to Connected (refused). */
static atomic_t t_remove_connect, t_remove_ret;
static atomic_t t_last_state = ATOMIC_INIT(-1);

static void t_set(const char *fmt, ...) __printf(1, 2);
static void t_set(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t_result, T_RESULT_MAX, fmt, ap);
	va_end(ap);
}

static void t_err(int err)
{
	t_set("ERR %d", err);
}

/*
 * Reads the node before a hold: the value recorded is that of the node
 * when this event was taken, so after a hold only events queued during it
 * can bring the latest value.
 */
static void t_watch_cb(struct pvxen_xs_watch *w, const char *path)
{
	char *v = pvxen_xs_read(PVXEN_XS_NO_TX, path, NULL, NULL);

	if (READ_ONCE(t_hold)) {
		atomic_set(&t_held, 1);
		wait_event(t_hold_wq, !READ_ONCE(t_hold));
		atomic_set(&t_held, 0);
	}
	spin_lock(&t_event_lock);
	strscpy(t_last_event, path, sizeof(t_last_event));
	if (IS_ERR(v))
		snprintf(t_last_value, sizeof(t_last_value), "ERR %ld",
			 PTR_ERR(v));
	else
		snprintf(t_last_value, sizeof(t_last_value), "OK %s", v);
	spin_unlock(&t_event_lock);
	atomic_inc(&t_events);
	if (!IS_ERR(v))
		kfree(v);
}

static void t_release(void)
{
	WRITE_ONCE(t_hold, false);
	wake_up_all(&t_hold_wq);
}

/* ---- transactions -------------------------------------------------------- */

struct t_inc {
	const char *path;
	bool overtake;		/* first run: let another transaction win */
	unsigned int runs;
};

static int t_inc_body(u32 tx, void *data)
{
	struct t_inc *inc = data;
	unsigned int v = 0;
	int ret;

	inc->runs++;
	ret = pvxen_xs_scanf(tx, inc->path, NULL, "%u", &v);
	if (ret < 0 && ret != -ENOENT)
		return ret;
	if (inc->overtake && inc->runs == 1) {
		struct t_inc other = { .path = inc->path };

		/* A second transaction reads and commits v + 1 first. */
		ret = pvxen_xs_transaction_run(t_inc_body, &other, NULL);
		if (ret)
			return ret;
	}
	return pvxen_xs_printf(tx, inc->path, NULL, "%u", v + 1);
}

struct t_thread {
	const char *path;
	unsigned int n;
	unsigned int retries;
	int err;
	struct completion done;
};

static int t_thread_fn(void *data)
{
	struct t_thread *t = data;
	unsigned int i, r;

	for (i = 0; i < t->n && !t->err; i++) {
		struct t_inc inc = { .path = t->path };

		t->err = pvxen_xs_transaction_run(t_inc_body, &inc, &r);
		t->retries += r;
	}
	complete(&t->done);
	return 0;
}

static void t_txthreads(const char *path, unsigned int n)
{
	struct t_thread t[2];
	struct task_struct *task;
	int i;

	for (i = 0; i < 2; i++) {
		t[i] = (struct t_thread){ .path = path, .n = n };
		init_completion(&t[i].done);
	}
	for (i = 0; i < 2; i++) {
		task = kthread_run(t_thread_fn, &t[i], "pvxen-xs-test/%d", i);
		if (IS_ERR(task)) {
			t[i].err = PTR_ERR(task);
			complete(&t[i].done);
		}
	}
	for (i = 0; i < 2; i++)
		wait_for_completion(&t[i].done);
	if (t[0].err || t[1].err)
		t_err(t[0].err ? t[0].err : t[1].err);
	else
		t_set("OK %u", t[0].retries + t[1].retries);
}

#define T_STRESS_THREADS	8

struct t_stress {
	const char *path;
	unsigned int id, n, reads;
	int err;
	struct completion done;
};

static int t_stress_fn(void *data)
{
	struct t_stress *t = data;
	char node[12], want[32];
	unsigned int i;
	char *v;

	snprintf(node, sizeof(node), "%u", t->id);
	for (i = 0; i < t->n && !t->err; i++) {
		snprintf(want, sizeof(want), "%u-%u", t->id, i);
		t->err = pvxen_xs_write(PVXEN_XS_NO_TX, t->path, node, want);
		if (t->err)
			break;
		v = pvxen_xs_read(PVXEN_XS_NO_TX, t->path, node, NULL);
		if (IS_ERR(v)) {
			t->err = PTR_ERR(v);
			break;
		}
		if (strcmp(v, want))
			t->err = -EBADMSG;	/* someone else's reply */
		kfree(v);
		t->reads++;
	}
	complete(&t->done);
	return 0;
}

static void t_stress_run(const char *path, unsigned int n, unsigned int nr)
{
	struct t_stress *t;
	struct task_struct *task;
	unsigned int i, reads = 0;
	int err = 0;

	t = kcalloc(nr, sizeof(*t), GFP_KERNEL);
	err = t ? 0 : -ENOMEM;
	if (err) {
		t_err(err);
		return;
	}
	for (i = 0; i < nr; i++) {
		t[i].path = path;
		t[i].id = i;
		t[i].n = n;
		init_completion(&t[i].done);
		task = kthread_run(t_stress_fn, &t[i], "pvxen-xs-stress/%u", i);
		if (IS_ERR(task)) {
			t[i].err = PTR_ERR(task);
			complete(&t[i].done);
		}
	}
	for (i = 0; i < nr; i++) {
		wait_for_completion(&t[i].done);
		reads += t[i].reads;
		if (t[i].err && !err)
			err = t[i].err;
	}
	kfree(t);
	if (err)
		t_err(err);
	else
		t_set("OK %u", reads);
}

/* ---- commands -------------------------------------------------------------- */

static void t_list(char **v, unsigned int n)
{
	size_t pos;
	unsigned int i;

	pos = scnprintf(t_result, T_RESULT_MAX, "OK");
	for (i = 0; i < n; i++)
		pos += scnprintf(t_result + pos, T_RESULT_MAX - pos, " %s",
				 v[i]);
}

static void t_perms(const char *path)
{
	static const char letters[] = "nrwb";
	struct pvxen_xs_perm *p;
	unsigned int n, i;
	size_t pos;
	int ret;

	ret = pvxen_xs_get_perms(PVXEN_XS_NO_TX, path, NULL, &p, &n);
	if (ret) {
		t_err(ret);
		return;
	}
	pos = scnprintf(t_result, T_RESULT_MAX, "OK");
	for (i = 0; i < n; i++)
		pos += scnprintf(t_result + pos, T_RESULT_MAX - pos, " %c%u",
				 letters[p[i].perm & 3], p[i].domid);
	kfree(p);
}

static void t_setperms(const char *path, char *rest)
{
	struct pvxen_xs_perm p[16];
	unsigned int n = 0;
	char *e;

	while ((e = strsep(&rest, " ")) && n < ARRAY_SIZE(p)) {
		unsigned int d;
		char c;

		if (!*e)
			continue;
		if (sscanf(e, "%c%u", &c, &d) != 2 || !strchr("nrwb", c) ||
		    d > 0xffff) {
			t_err(-EINVAL);
			return;
		}
		p[n].domid = d;
		p[n].perm = strchr("nrwb", c) - "nrwb";
		n++;
	}
	n = pvxen_xs_set_perms(PVXEN_XS_NO_TX, path, NULL, p, n);
	if (n)
		t_err(n);
	else
		t_set("OK");
}

static void t_run(char *line)
{
	char *cmd, *path, *rest = line;
	unsigned int n;
	char **v;
	void *val;
	int ret;

	cmd = strsep(&rest, " ");
	path = rest ? strsep(&rest, " ") : NULL;

	if (!strcmp(cmd, "unwatch")) {
		t_release();
		if (t_watching)
			pvxen_xs_unwatch(&t_watch);
		t_watching = false;
		t_set("OK");
		return;
	}
	if (!strcmp(cmd, "remove_connect")) {
		atomic_set(&t_remove_connect, path && !strcmp(path, "1"));
		t_set("OK");
		return;
	}
	if (!strcmp(cmd, "hold")) {
		if (path && !strcmp(path, "1"))
			WRITE_ONCE(t_hold, true);
		else
			t_release();
		t_set("OK");
		return;
	}
	if (!strcmp(cmd, "held")) {
		t_set("OK %d", atomic_read(&t_held));
		return;
	}
	if (!strcmp(cmd, "lastval")) {
		spin_lock(&t_event_lock);
		t_set("%s", t_last_value);
		spin_unlock(&t_event_lock);
		return;
	}
	if (!strcmp(cmd, "events")) {
		spin_lock(&t_event_lock);
		t_set("OK %d %s", atomic_read(&t_events), t_last_event);
		spin_unlock(&t_event_lock);
		return;
	}
	if (!path || !*path) {
		t_err(-EINVAL);
		return;
	}
	if (!strcmp(cmd, "read")) {
		val = pvxen_xs_read(PVXEN_XS_NO_TX, path, NULL, &n);
		if (IS_ERR(val)) {
			t_err(PTR_ERR(val));
		} else {
			t_set("OK %s", (char *)val);
			kfree(val);
		}
	} else if (!strcmp(cmd, "write")) {
		ret = pvxen_xs_write(PVXEN_XS_NO_TX, path, NULL, rest ? rest : "");
		ret ? t_err(ret) : t_set("OK");
	} else if (!strcmp(cmd, "mkdir")) {
		ret = pvxen_xs_mkdir(PVXEN_XS_NO_TX, path, NULL);
		ret ? t_err(ret) : t_set("OK");
	} else if (!strcmp(cmd, "rm")) {
		ret = pvxen_xs_rm(PVXEN_XS_NO_TX, path, NULL);
		ret ? t_err(ret) : t_set("OK");
	} else if (!strcmp(cmd, "exists")) {
		t_set("OK %d", pvxen_xs_exists(PVXEN_XS_NO_TX, path, NULL));
	} else if (!strcmp(cmd, "dir")) {
		v = pvxen_xs_directory(PVXEN_XS_NO_TX, path, NULL, &n);
		if (IS_ERR(v)) {
			t_err(PTR_ERR(v));
		} else {
			t_list(v, n);
			kfree(v);
		}
	} else if (!strcmp(cmd, "perms")) {
		t_perms(path);
	} else if (!strcmp(cmd, "setperms")) {
		t_setperms(path, rest ? rest : "");
	} else if (!strcmp(cmd, "scanu")) {
		ret = pvxen_xs_scanf(PVXEN_XS_NO_TX, path, NULL, "%u", &n);
		ret < 0 ? t_err(ret) : t_set("OK %u", n);
	} else if (!strcmp(cmd, "watch")) {
		if (t_watching) {
			t_err(-EBUSY);
			return;
		}
		atomic_set(&t_events, 0);
		t_last_event[0] = '\0';
		strscpy(t_last_value, "ERR -61", sizeof(t_last_value));
		ret = pvxen_xs_watch(&t_watch, path, NULL, t_watch_cb);
		t_watching = !ret;
		ret ? t_err(ret) : t_set("OK");
	} else if (!strcmp(cmd, "txrace")) {
		struct t_inc inc = { .path = path, .overtake = true };
		unsigned int retries;

		ret = pvxen_xs_transaction_run(t_inc_body, &inc, &retries);
		ret ? t_err(ret) : t_set("OK %u", retries);
	} else if (!strcmp(cmd, "txthreads")) {
		if (!rest || kstrtouint(rest, 10, &n) || !n || n > 1000)
			t_err(-EINVAL);
		else
			t_txthreads(path, n);
	} else if (!strcmp(cmd, "stress")) {
		unsigned int th = T_STRESS_THREADS;

		if (!rest || sscanf(rest, "%u %u", &n, &th) < 1 || !n ||
		    n > 10000 || !th || th > T_STRESS_THREADS)
			t_err(-EINVAL);
		else
			t_stress_run(path, n, th);
	} else if (!strcmp(cmd, "state")) {
		t_set("OK %s",
		      pvxen_xenbus_strstate(pvxen_xenbus_read_state(path)));
	} else {
		t_err(-EINVAL);
	}
}

static ssize_t t_cmd_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	char *line;

	if (count > PVXEN_XS_PAYLOAD_MAX)
		return -E2BIG;
	line = memdup_user_nul(ubuf, count);
	if (IS_ERR(line))
		return PTR_ERR(line);
	strim(line);
	mutex_lock(&t_lock);
	t_run(line);
	mutex_unlock(&t_lock);
	kfree(line);
	return count;
}

static ssize_t t_cmd_read(struct file *file, char __user *ubuf, size_t count,
			  loff_t *ppos)
{
	ssize_t ret;
	char *buf;
	size_t n;

	buf = kmalloc(T_RESULT_MAX + 1, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	mutex_lock(&t_lock);
	n = scnprintf(buf, T_RESULT_MAX + 1, "%s\n", t_result);
	mutex_unlock(&t_lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, buf, n);
	kfree(buf);
	return ret;
}

static const struct file_operations t_cmd_fops = {
	.owner = THIS_MODULE,
	.write = t_cmd_write,
	.read = t_cmd_read,
	.llseek = default_llseek,
};

/* ---- the test frontend driver --------------------------------------------- */

static int t_probe(struct pvxen_xenbus_device *dev,
		   const struct pvxen_xenbus_device_id *id)
{
	atomic_inc(&t_probed);
	return pvxen_xenbus_switch_state(dev, PVXEN_XENBUS_INITIALISED);
}

static void t_otherend_changed(struct pvxen_xenbus_device *dev,
			       enum pvxen_xenbus_state state)
{
	atomic_inc(&t_changes);
	atomic_set(&t_last_state, state);
	switch (state) {
	case PVXEN_XENBUS_CONNECTED:
		pvxen_xenbus_switch_state(dev, PVXEN_XENBUS_CONNECTED);
		break;
	case PVXEN_XENBUS_CLOSING:
	case PVXEN_XENBUS_CLOSED:
		if (dev->state == PVXEN_XENBUS_CONNECTED)
			pvxen_xenbus_switch_state(dev, PVXEN_XENBUS_CLOSING);
		break;
	default:
		break;
	}
}

static void t_remove(struct pvxen_xenbus_device *dev)
{
	atomic_inc(&t_removed);
	if (atomic_read(&t_remove_connect))
		atomic_set(&t_remove_ret,
			   pvxen_xenbus_switch_state(dev, PVXEN_XENBUS_CONNECTED));
}

static const struct pvxen_xenbus_device_id t_ids[] = {
	{ "pvxentest" },
	{ "" },
};

static struct pvxen_xenbus_driver t_driver = {
	.name = "pvxen-xs-test",
	.ids = t_ids,
	.probe = t_probe,
	.otherend_changed = t_otherend_changed,
	.remove = t_remove,
};

static int t_driver_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "probed %d\n", atomic_read(&t_probed));
	seq_printf(m, "removed %d\n", atomic_read(&t_removed));
	seq_printf(m, "changes %d\n", atomic_read(&t_changes));
	seq_printf(m, "last %d\n", atomic_read(&t_last_state));
	seq_printf(m, "remove_switch %d\n", atomic_read(&t_remove_ret));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(t_driver);

static int __init t_init(void)
{
	int ret;

	t_result = kzalloc(T_RESULT_MAX, GFP_KERNEL);
	if (!t_result)
		return -ENOMEM;
	t_set("ERR %d", -ENODATA);
	ret = pvxen_xenbus_register_driver(&t_driver);
	if (ret) {
		kfree(t_result);
		return ret;
	}
	t_dir = debugfs_create_dir("pvxen-xs-test", NULL);
	debugfs_create_file("cmd", 0600, t_dir, NULL, &t_cmd_fops);
	debugfs_create_file("driver", 0444, t_dir, NULL, &t_driver_fops);
	return 0;
}

static void __exit t_exit(void)
{
	debugfs_remove_recursive(t_dir);
	t_release();
	if (t_watching)
		pvxen_xs_unwatch(&t_watch);
	pvxen_xenbus_unregister_driver(&t_driver);
	kfree(t_result);
}

module_init(t_init);
module_exit(t_exit);

MODULE_DESCRIPTION("pvxen: xenstore and xenbus test driver for the guest tests");
MODULE_LICENSE("GPL");
