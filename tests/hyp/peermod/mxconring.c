// SPDX-License-Identifier: GPL-2.0-only
/*
 * mxconring: the hypervisor's console ring for the peer domain on minixen
 * (tests/harness/peer-init), read with XEN_SYSCTL_readconsole from the
 * kernel, as /proc/mxconring.
 *
 * Linux's own Xen code (the peer's xenref kernel, as Debian's), not being
 * Xen's initial domain (minixen gives no domain XENFEAT_dom0), restricts
 * /dev/xen/privcmd: its hypercall ioctl answers -EPERM before the
 * hypervisor sees it. This module makes the
 * same hypercall from the kernel; minixen still decides whether the
 * domain may read the ring (its privileged domain only).
 *
 * Each open file reads from the ring's start; the file position is the
 * ring index, so successive reads give what came since, and a read at
 * the end returns 0 (tests/tools/conring polls it).
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <xen/xen.h>
#include <xen/interface/xen.h>
#include <asm/xen/hypercall.h>

/* Xen's public sysctl.h, interface version 0x15 (Xen 4.17). */
#define MX_SYSCTL_VERSION	0x00000015
#define MX_SYSCTL_READCONSOLE	1

struct mx_sysctl {
	u32 cmd;
	u32 interface_version;
	union {
		struct {
			u8 clear;
			u8 incremental;
			u8 pad0, pad1;
			u32 index;
			u64 buffer;
			u32 count;
		} readconsole;
		u8 pad[128];
	} u;
};

static ssize_t mxconring_read(struct file *file, char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	struct mx_sysctl *op;
	size_t n = min_t(size_t, count, PAGE_SIZE);
	char *buf;
	long ret;

	op = kzalloc(sizeof(*op), GFP_KERNEL);
	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	ret = -ENOMEM;
	if (!op || !buf)
		goto out;
	op->cmd = MX_SYSCTL_READCONSOLE;
	op->interface_version = MX_SYSCTL_VERSION;
	op->u.readconsole.incremental = 1;
	op->u.readconsole.index = (u32)*ppos;
	op->u.readconsole.buffer = (u64)(uintptr_t)buf;
	op->u.readconsole.count = n;
	ret = privcmd_call(__HYPERVISOR_sysctl, (unsigned long)op, 0, 0, 0, 0);
	if (ret < 0)
		goto out;
	ret = -EIO;
	if (op->u.readconsole.count > n)
		goto out;
	ret = -EFAULT;
	if (copy_to_user(ubuf, buf, op->u.readconsole.count))
		goto out;
	*ppos = op->u.readconsole.index;
	ret = op->u.readconsole.count;
out:
	kfree(buf);
	kfree(op);
	return ret;
}

static const struct proc_ops mxconring_ops = {
	.proc_read = mxconring_read,
	.proc_lseek = noop_llseek,
};

static int __init mxconring_init(void)
{
	if (!xen_domain())
		return -ENODEV;
	if (!proc_create("mxconring", 0400, NULL, &mxconring_ops))
		return -ENOMEM;
	return 0;
}

static void __exit mxconring_exit(void)
{
	remove_proc_entry("mxconring", NULL);
}

module_init(mxconring_init);
module_exit(mxconring_exit);
MODULE_DESCRIPTION("minixen's console ring through XEN_SYSCTL_readconsole");
MODULE_LICENSE("GPL");
