/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen: unsigned module parameters with bounds, shared by the drivers.
 *
 * A driver lists its bounded parameters by name and gives each one a
 * kernel_param_ops whose .set calls pvxen_param_set_uint() with that
 * list.  A value out of bounds, or not a number, is refused (the load
 * fails with -EINVAL) with one line in the including file's pr_fmt:
 * "NAME=VALUE is invalid: expected MIN..MAX".
 */
#ifndef _PVXEN_PARAM_H
#define _PVXEN_PARAM_H

#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/string.h>

/**
 * struct pvxen_param_limit - bounds of one unsigned module parameter.
 * @name: the parameter's name, as in module_param_cb()
 * @min: smallest value accepted
 * @max: largest value accepted
 */
struct pvxen_param_limit {
	const char *name;
	unsigned int min, max;
};

/**
 * pvxen_param_set_uint() - Set an unsigned parameter within its bounds.
 * @val: the value as written
 * @kp: the parameter; @kp->arg points to its unsigned int
 * @limits: the driver's bounded parameters
 * @n: entries in @limits
 *
 * Return: 0 and the value stored; -EINVAL (and one line logged) if it is
 * not a number within the bounds, or the parameter is not in @limits.
 */
static inline int pvxen_param_set_uint(const char *val,
				       const struct kernel_param *kp,
				       const struct pvxen_param_limit *limits,
				       unsigned int n)
{
	const char *name = strrchr(kp->name, '.');
	unsigned int i, v;

	name = name ? name + 1 : kp->name;
	for (i = 0; i < n; i++) {
		if (strcmp(name, limits[i].name))
			continue;
		if (kstrtouint(val, 0, &v) || v < limits[i].min ||
		    v > limits[i].max) {
			pr_err("%s=%s is invalid: expected %u..%u\n", name, val,
			       limits[i].min, limits[i].max);
			return -EINVAL;
		}
		*(unsigned int *)kp->arg = v;
		return 0;
	}
	return -EINVAL;
}

#endif /* _PVXEN_PARAM_H */
