// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen-core: /sys/kernel/pvxen.
 *
 * The names users know from /sys/hypervisor (which only a kernel with
 * CONFIG_XEN has) plus a few of our own:
 *
 *   type                 "xen"
 *   version/major        e.g. 4
 *   version/minor        e.g. 17
 *   version/extra        e.g. ".7+13-g2445b30a4"
 *   properties/features  XENVER_get_features submap 0, 8 hex digits
 *   properties/pagesize  Xen's page size, hex (as /sys/hypervisor has it)
 *   wallclock            wall time now from Xen's shared_info, seconds since
 *                        the epoch: wc_sec/wc_nsec (wall time when the
 *                        domain's system time was zero) + the domain's
 *                        system time.  Independent of the guest's own clock.
 *   grant_window         "<start> <size>" of the grant-table window, hex
 *   event_ppi            interrupt number (GIC INTID) of the event upcall
 */
#define pr_fmt(fmt) "pvxen: " fmt

#include <linux/kobject.h>
#include <linux/sysfs.h>

#include "core.h"

static ssize_t type_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "xen\n");
}

static ssize_t wallclock_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	struct timespec64 now;
	int ret;

	ret = pvxen_wallclock_read(&now);
	if (ret)
		return ret;
	return sysfs_emit(buf, "%lld\n", (long long)now.tv_sec);
}

static ssize_t grant_window_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	const struct resource *win = &pvxen_core.plat.grant_window;

	return sysfs_emit(buf, "0x%llx 0x%llx\n", (u64)win->start,
			  (u64)resource_size(win));
}

static ssize_t event_ppi_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", pvxen_core.plat.event_intid);
}

static ssize_t major_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%u\n", pvxen_core.major);
}

static ssize_t minor_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%u\n", pvxen_core.minor);
}

static ssize_t extra_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n", pvxen_core.extra);
}

static ssize_t features_show(struct kobject *kobj,
			     struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%08x\n", pvxen_core.features);
}

static ssize_t pagesize_show(struct kobject *kobj,
			     struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lx\n", pvxen_core.pagesize);
}

static struct kobj_attribute type_attr = __ATTR_RO(type);
static struct kobj_attribute wallclock_attr = __ATTR_RO(wallclock);
static struct kobj_attribute grant_window_attr = __ATTR_RO(grant_window);
static struct kobj_attribute event_ppi_attr = __ATTR_RO(event_ppi);
static struct kobj_attribute major_attr = __ATTR_RO(major);
static struct kobj_attribute minor_attr = __ATTR_RO(minor);
static struct kobj_attribute extra_attr = __ATTR_RO(extra);
static struct kobj_attribute features_attr = __ATTR_RO(features);
static struct kobj_attribute pagesize_attr = __ATTR_RO(pagesize);

static struct attribute *pvxen_top_attrs[] = {
	&type_attr.attr,
	&wallclock_attr.attr,
	&grant_window_attr.attr,
	&event_ppi_attr.attr,
	NULL
};

static struct attribute *pvxen_version_attrs[] = {
	&major_attr.attr,
	&minor_attr.attr,
	&extra_attr.attr,
	NULL
};

static struct attribute *pvxen_properties_attrs[] = {
	&features_attr.attr,
	&pagesize_attr.attr,
	NULL
};

static const struct attribute_group pvxen_top_group = {
	.attrs = pvxen_top_attrs,
};

static const struct attribute_group pvxen_version_group = {
	.name = "version",
	.attrs = pvxen_version_attrs,
};

static const struct attribute_group pvxen_properties_group = {
	.name = "properties",
	.attrs = pvxen_properties_attrs,
};

static const struct attribute_group *pvxen_groups[] = {
	&pvxen_top_group,
	&pvxen_version_group,
	&pvxen_properties_group,
	NULL
};

int pvxen_sysfs_init(void)
{
	struct kobject *kobj;
	int ret;

	kobj = kobject_create_and_add("pvxen", kernel_kobj);
	if (!kobj) {
		pr_err("could not create /sys/kernel/pvxen\n");
		return -ENOMEM;
	}

	ret = sysfs_create_groups(kobj, pvxen_groups);
	if (ret) {
		pr_err("could not populate /sys/kernel/pvxen (%d)\n", ret);
		goto err_put;
	}

	pvxen_core.kobj = kobj;
	return 0;

err_put:
	kobject_put(kobj);
	return ret;
}

void pvxen_sysfs_exit(void)
{
	/* Removes the directory and every attribute, waiting for readers. */
	kobject_put(pvxen_core.kobj);
	pvxen_core.kobj = NULL;
}
