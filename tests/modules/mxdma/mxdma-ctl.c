// SPDX-License-Identifier: GPL-2.0-only
/*
 * mxdma's debugfs control file, /sys/kernel/debug/mxdma-<device>/ctl:
 * write one job (the list is in mxdma-jobs.c, mxdma-foreign.c and
 * mxdma-bench.c), read its result.  One job at a time (md->lock).
 */
#define pr_fmt(fmt) "mxdma: " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "mxdma.h"

static int run_job(struct mxdma *md, char *line)
{
	unsigned int a, b, c;

	if (sscanf(line, "copy %u", &a) == 1)
		return a >= 1 && a <= 256 ? mxdma_run_copy(md, a) : -EINVAL;
	if (sscanf(line, "high %u", &a) == 1)
		return a >= 1 && a <= 16 ? mxdma_run_high(md, a) : -EINVAL;
	if (sscanf(line, "sg %u", &a) == 1)
		return a >= 1 && a <= 32 ? mxdma_run_sg(md, a) : -EINVAL;
	if (sscanf(line, "foreign %u %u %i", &a, &b, &c) == 3)
		return mxdma_job_foreign(md, a, b, c);
	if (sscanf(line, "foreign-id %u %u %i", &a, &b, &c) == 3)
		return mxdma_job_foreign_id(md, a, b, c);
	if (sscanf(line, "twice-id %u %u %i", &a, &b, &c) == 3)
		return mxdma_job_twice_id(md, a, b, c);
	if (sscanf(line, "pair %u %u %i", &a, &b, &c) == 3)
		return mxdma_job_pair(md, a, b, c);
	if (sscanf(line, "bench map %u", &a) == 1)
		return a >= 1 && a <= 100000 ? mxdma_bench_map(md, a) : -EINVAL;
	if (sscanf(line, "bench copy %u", &a) == 1)
		return a >= 1 && a <= 1000 ? mxdma_bench_copy(md, a) : -EINVAL;
	if (!strcmp(line, "counters"))
		return mxdma_run_counters(md);
	return -EINVAL;
}

static ssize_t ctl_write(struct file *file, const char __user *ubuf,
			 size_t len, loff_t *ppos)
{
	struct mxdma *md = file->private_data;
	char buf[64];
	int ret;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	ret = mutex_lock_interruptible(&md->lock);
	if (ret)
		return ret;
	md->result[0] = '\0';
	ret = run_job(md, strim(buf));
	mutex_unlock(&md->lock);
	return ret ? ret : len;
}

static ssize_t ctl_read(struct file *file, char __user *ubuf, size_t len,
			loff_t *ppos)
{
	struct mxdma *md = file->private_data;
	char buf[MXDMA_RESULT_MAX + 1];
	int n, ret;

	ret = mutex_lock_interruptible(&md->lock);
	if (ret)
		return ret;
	n = scnprintf(buf, sizeof(buf), "%s\n", md->result);
	mutex_unlock(&md->lock);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static const struct file_operations ctl_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = ctl_read,
	.write = ctl_write,
	.llseek = default_llseek,
};

int mxdma_debugfs_init(struct mxdma *md)
{
	char name[64];

	snprintf(name, sizeof(name), "mxdma-%s", dev_name(md->dev));
	md->dir = debugfs_create_dir(name, NULL);
	if (IS_ERR(md->dir))
		return PTR_ERR(md->dir);
	debugfs_create_file("ctl", 0600, md->dir, md, &ctl_fops);
	return 0;
}

void mxdma_debugfs_exit(struct mxdma *md)
{
	debugfs_remove_recursive(md->dir);
}
