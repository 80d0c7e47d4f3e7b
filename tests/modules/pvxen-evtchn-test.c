// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen-evtchn-test: drives pvxen-core's event channels from a guest test
 * (tests/guest/core-events.sh) through debugfs:
 *
 *   /sys/kernel/debug/pvxen-evtchn-test/ctl    write one command:
 *	open		loopback: an unbound port for this domain (remote
 *			DOMID_SELF), bound back to itself with
 *			bind_interdomain; the first port gets an IRQ
 *	open-lateeoi	the same with a late-EOI IRQ: the handler never EOIs,
 *			the "eoi" command does
 *	send N		N sends on the second port, each after bumping a
 *			sequence number the handler records as "last"
 *	send-from CPU N	the same, sending from CPU
 *	mask, unmask	disable_irq() / enable_irq() on the IRQ
 *	eoi		pvxen_evtchn_irq_lateeoi()
 *	eoi-spurious	pvxen_evtchn_irq_lateeoi_flags(PVXEN_EOI_SPURIOUS)
 *	close		unbind the IRQ, close both ports
 *	virq CPU	bind VIRQ_DEBUG on CPU to an IRQ, check it, unbind, close
 *	storm N		open N more loopbacks with IRQs on CPU0 and, with
 *			CPU0's interrupts off, send once on each: CPU0's
 *			next upcall finds N events pending at once
 *	storm-close	close them
 *	reregister CPU	ask Xen to register a second vcpu_info for CPU (which
 *			pvxen-core registered already) and record its answer
 *			as "rereg"; a page Xen accepted is never freed
 *   /sys/kernel/debug/pvxen-evtchn-test/state  "name value" lines:
 *	irq, port, remote, count (handler runs), sent (sequence), last
 *	(sequence the last handler run saw), cpu (CPU of the last run),
 *	rereg (Xen's answer to the last "reregister"), storm (storm
 *	handler runs)
 */
#include <linux/atomic.h>
#include <linux/cpu.h>
#include <linux/debugfs.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include <xen/interface/xen.h>
#include <xen/interface/vcpu.h>

#include <pvxen/compat-irq.h>
#include <pvxen/events.h>
#include <pvxen/hypercall.h>
#include <pvxen/xlate.h>

static DEFINE_MUTEX(t_lock);
static struct dentry *t_dir;
static evtchn_port_t t_port;	/* bound to t_irq */
static evtchn_port_t t_remote;	/* its peer: sends go here */
static int t_irq;
static atomic64_t t_count;
static u64 t_seq;		/* written before each send */
static u64 t_last;		/* t_seq as the handler last saw it */
static int t_cpu = -1;
static long t_rereg = 1;	/* 1: not tried */

#define T_STORM_MAX	400
static struct t_storm {
	evtchn_port_t port;
	evtchn_port_t remote;
	int irq;
} t_storm[T_STORM_MAX];
static unsigned int t_storm_n;
static atomic_t t_storm_count;

static irqreturn_t t_handler(int irq, void *dev_id)
{
	atomic64_inc(&t_count);
	/* Pairs with the release before each send. */
	WRITE_ONCE(t_last, smp_load_acquire(&t_seq));
	WRITE_ONCE(t_cpu, raw_smp_processor_id());
	return IRQ_HANDLED;
}

static void t_close(void)
{
	if (t_irq > 0)
		pvxen_evtchn_unbind_irq(t_irq, &t_irq);
	t_irq = 0;
	if (t_port)
		pvxen_evtchn_close(t_port);
	if (t_remote)
		pvxen_evtchn_close(t_remote);
	t_port = 0;
	t_remote = 0;
}

static int t_open(bool lateeoi)
{
	int ret;

	if (t_irq)
		return -EBUSY;
	ret = pvxen_evtchn_alloc_unbound(DOMID_SELF, &t_port);
	if (ret)
		return ret;
	ret = pvxen_evtchn_bind_interdomain(DOMID_SELF, t_port, &t_remote);
	if (ret)
		goto err;
	if (lateeoi)
		ret = pvxen_evtchn_bind_irq_lateeoi(t_port, t_handler, 0,
						    "pvxen-evtchn-test", &t_irq);
	else
		ret = pvxen_evtchn_bind_irq(t_port, t_handler, 0,
					    "pvxen-evtchn-test", &t_irq);
	if (ret < 0)
		goto err;
	t_irq = ret;
	return 0;
err:
	t_close();
	return ret;
}

static int t_send(unsigned long n)
{
	unsigned long i;
	int ret;

	if (!t_irq)
		return -ENOTCONN;
	for (i = 0; i < n; i++) {
		/* The handler of this send sees this sequence number. */
		smp_store_release(&t_seq, t_seq + 1);
		ret = pvxen_evtchn_send(t_remote);
		if (ret)
			return ret;
		if (!(i % 1024))
			cond_resched();
	}
	return 0;
}

struct t_send_args {
	unsigned long n;
};

static long t_send_fn(void *arg)
{
	return t_send(((struct t_send_args *)arg)->n);
}

static irqreturn_t t_storm_handler(int irq, void *dev_id)
{
	atomic_inc(&t_storm_count);
	return IRQ_HANDLED;
}

static void t_storm_close(void)
{
	while (t_storm_n) {
		struct t_storm *t = &t_storm[--t_storm_n];

		if (t->irq > 0)
			pvxen_evtchn_unbind_irq(t->irq, t);
		if (t->remote)
			pvxen_evtchn_close(t->remote);
		pvxen_evtchn_close(t->port);
		memset(t, 0, sizeof(*t));
	}
}

static long t_storm_fire(void *arg)
{
	unsigned long flags;
	unsigned int i;
	long ret = 0;

	local_irq_save(flags);
	for (i = 0; i < t_storm_n && !ret; i++)
		ret = pvxen_evtchn_send(t_storm[i].remote);
	local_irq_restore(flags);
	return ret;
}

static long t_storm_open(unsigned long n)
{
	int ret;

	if (t_storm_n || n > T_STORM_MAX)
		return -EINVAL;
	atomic_set(&t_storm_count, 0);
	while (t_storm_n < n) {
		struct t_storm *t = &t_storm[t_storm_n];

		ret = pvxen_evtchn_alloc_unbound(DOMID_SELF, &t->port);
		if (ret)
			goto err;
		t_storm_n++;
		ret = pvxen_evtchn_bind_interdomain(DOMID_SELF, t->port,
						    &t->remote);
		if (ret)
			goto err;
		ret = pvxen_evtchn_bind_irq(t->port, t_storm_handler, 0,
					    "pvxen-evtchn-storm", t);
		if (ret < 0)
			goto err;
		t->irq = ret;
		ret = irq_set_affinity(t->irq, cpumask_of(0));
		if (ret)
			goto err;
	}
	return work_on_cpu(0, t_storm_fire, NULL);
err:
	t_storm_close();
	return ret;
}

/* On the CPU itself: Xen only registers for the calling or an offline vCPU. */
static long t_rereg_fn(void *arg)
{
	struct vcpu_register_vcpu_info reg = { 0 };
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	long ret;

	if (!page)
		return -ENOMEM;
	reg.mfn = pvxen_pfn_val(pvxen_paddr_to_pfn(pvxen_mk_paddr(page_to_phys(page))));
	reg.offset = 0;
	ret = pvxen_vcpu_op(VCPUOP_register_vcpu_info, raw_smp_processor_id(),
			    &reg);
	/* Accepted: Xen writes to that page from now on; it is never freed. */
	if (ret)
		__free_page(page);
	t_rereg = ret;
	return 0;
}

static irqreturn_t t_virq_handler(int irq, void *dev_id)
{
	return IRQ_HANDLED;
}

static int t_virq(unsigned int cpu)
{
	evtchn_port_t port;
	int irq, ret;

	ret = pvxen_evtchn_bind_virq(VIRQ_DEBUG, cpu, &port);
	if (ret)
		return ret;
	irq = pvxen_evtchn_bind_irq(port, t_virq_handler, 0,
				    "pvxen-evtchn-test-virq", &port);
	if (irq < 0) {
		pvxen_evtchn_close(port);
		return irq;
	}
	ret = pvxen_evtchn_irq_to_port(irq) == port ? 0 : -EINVAL;
	/* A per-vCPU VIRQ cannot move. */
	if (!ret && num_online_cpus() > 1 &&
	    !irq_set_affinity(irq, cpumask_of(cpu ? 0 : 1)))
		ret = -EINVAL;
	pvxen_evtchn_unbind_irq(irq, &port);
	if (!ret)
		ret = pvxen_evtchn_close(port);
	else
		pvxen_evtchn_close(port);
	return ret;
}

static ssize_t t_ctl_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	char buf[32], *cmd, *arg, *arg2;
	unsigned long n = 0, n2 = 0;
	long ret;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	arg = strim(buf);
	cmd = strsep(&arg, " ");
	arg2 = arg;
	arg = strsep(&arg2, " ");
	if (arg && kstrtoul(arg, 0, &n))
		return -EINVAL;
	if (arg2 && kstrtoul(arg2, 0, &n2))
		return -EINVAL;

	mutex_lock(&t_lock);
	if (!strcmp(cmd, "open")) {
		ret = t_open(false);
	} else if (!strcmp(cmd, "open-lateeoi")) {
		ret = t_open(true);
	} else if (!strcmp(cmd, "close")) {
		t_close();
		ret = 0;
	} else if (!strcmp(cmd, "send")) {
		ret = t_send(arg ? n : 1);
	} else if (!strcmp(cmd, "send-from") && arg2) {
		struct t_send_args a = { .n = n2 };

		ret = -EINVAL;
		cpus_read_lock();
		if (n < nr_cpu_ids && cpu_online(n))
			ret = work_on_cpu(n, t_send_fn, &a);
		cpus_read_unlock();
	} else if (!strcmp(cmd, "mask") && t_irq) {
		disable_irq(t_irq);
		ret = 0;
	} else if (!strcmp(cmd, "unmask") && t_irq) {
		enable_irq(t_irq);
		ret = 0;
	} else if (!strcmp(cmd, "eoi") && t_irq) {
		pvxen_evtchn_irq_lateeoi(t_irq);
		ret = 0;
	} else if (!strcmp(cmd, "eoi-spurious") && t_irq) {
		pvxen_evtchn_irq_lateeoi_flags(t_irq, PVXEN_EOI_SPURIOUS);
		ret = 0;
	} else if (!strcmp(cmd, "storm")) {
		ret = t_storm_open(n);
	} else if (!strcmp(cmd, "storm-close")) {
		t_storm_close();
		ret = 0;
	} else if (!strcmp(cmd, "reregister")) {
		ret = -EINVAL;
		cpus_read_lock();
		if (n < nr_cpu_ids && cpu_online(n))
			ret = work_on_cpu(n, t_rereg_fn, NULL);
		cpus_read_unlock();
	} else if (!strcmp(cmd, "virq")) {
		ret = n < nr_cpu_ids && cpu_online(n) ? t_virq(n) : -EINVAL;
	} else {
		ret = -EINVAL;
	}
	mutex_unlock(&t_lock);
	return ret ? ret : len;
}

static const struct file_operations t_ctl_fops = {
	.owner = THIS_MODULE,
	.write = t_ctl_write,
	.llseek = noop_llseek,
};

static int t_state_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "irq %d\nport %u\nremote %u\n", t_irq, t_port, t_remote);
	seq_printf(m, "count %lld\nsent %llu\nlast %llu\ncpu %d\nrereg %ld\n",
		   (long long)atomic64_read(&t_count), READ_ONCE(t_seq),
		   READ_ONCE(t_last), READ_ONCE(t_cpu), t_rereg);
	seq_printf(m, "storm %d\n", atomic_read(&t_storm_count));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(t_state);

static int __init t_init(void)
{
	t_dir = debugfs_create_dir("pvxen-evtchn-test", NULL);
	debugfs_create_file("ctl", 0200, t_dir, NULL, &t_ctl_fops);
	debugfs_create_file("state", 0444, t_dir, NULL, &t_state_fops);
	return 0;
}

static void __exit t_exit(void)
{
	debugfs_remove(t_dir);
	mutex_lock(&t_lock);
	t_storm_close();
	t_close();
	mutex_unlock(&t_lock);
}

module_init(t_init);
module_exit(t_exit);

MODULE_DESCRIPTION("pvxen: event-channel test driver for the guest tests");
MODULE_LICENSE("GPL");
