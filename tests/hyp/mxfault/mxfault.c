// SPDX-License-Identifier: GPL-2.0-only
/*
 * minixen isolation test: read a physical address the domain does not
 * own. Under minixen the read gets a synchronous external abort, so
 * loading this module oopses (insmod is killed) and the kernel goes on.
 */
#include <linux/io.h>
#include <linux/module.h>

static unsigned long addr = 0x10000000;
module_param(addr, ulong, 0444);
MODULE_PARM_DESC(addr, "physical address to read");

static int __init mxfault_init(void)
{
	void __iomem *p = ioremap(addr, PAGE_SIZE);

	if (!p)
		return -ENOMEM;
	pr_info("mxfault: reading 0x%lx\n", addr);
	pr_info("mxfault: read 0x%x (no abort)\n", readl(p));
	iounmap(p);
	return -EIO;
}
module_init(mxfault_init);

MODULE_DESCRIPTION("minixen isolation test: touch memory outside the domain");
MODULE_LICENSE("GPL");
