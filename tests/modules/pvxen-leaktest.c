// SPDX-License-Identifier: GPL-2.0-only
/*
 * Negative control for the kmemleak checks: loading this module leaks one
 * object on purpose, so a test can prove kmemleak would see a leak of ours.
 */
#include <linux/module.h>
#include <linux/slab.h>

static void *pvxen_leaktest_obj;

static noinline void pvxen_leaktest_leak(void)
{
	pvxen_leaktest_obj = kmalloc(256, GFP_KERNEL);
	/* Forget it: the only reference is gone. */
	WRITE_ONCE(pvxen_leaktest_obj, NULL);
}

static int __init pvxen_leaktest_init(void)
{
	pvxen_leaktest_leak();
	return 0;
}

static void __exit pvxen_leaktest_exit(void)
{
}

module_init(pvxen_leaktest_init);
module_exit(pvxen_leaktest_exit);
MODULE_DESCRIPTION("pvxen: deliberate one-object leak for kmemleak tests");
MODULE_LICENSE("GPL");
