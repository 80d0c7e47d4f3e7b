/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen-core internals shared by the files of drivers/core/.
 */
#ifndef _PVXEN_CORE_INTERNAL_H
#define _PVXEN_CORE_INTERNAL_H

#include <linux/kobject.h>
#include <linux/time64.h>
#include <linux/types.h>

#include <pvxen/arch.h>
#include <pvxen/xlate.h>

struct shared_info;
struct dentry;

/**
 * struct pvxen_core - what pvxen-core learnt about the hypervisor
 * @plat: firmware description (grant window, extended regions, upcall PPI)
 * @major: Xen major version
 * @minor: Xen minor version
 * @extra: Xen extraversion, e.g. ".7+13-g2445b30a4", NUL-terminated
 * @features: XENVER_get_features submap 0
 * @pagesize: XENVER_pagesize
 * @shared_info_gpa: guest-physical address shared_info is mapped at
 * @shared_info: kernel mapping of shared_info
 * @kobj: /sys/kernel/pvxen
 * @debugfs: /sys/kernel/debug/pvxen (NULL or an error pointer without debugfs)
 *
 * Filled once at module init, read-only afterwards.
 */
struct pvxen_core {
	struct pvxen_platform plat;
	unsigned int major;
	unsigned int minor;
	char extra[17];
	u32 features;
	unsigned long pagesize;
	phys_addr_t shared_info_gpa;
	struct shared_info *shared_info;
	struct kobject *kobj;
	struct dentry *debugfs;
};

extern struct pvxen_core pvxen_core;

int pvxen_wallclock_read(struct timespec64 *now);

int pvxen_sysfs_init(void);
void pvxen_sysfs_exit(void);

/* events.c */
int pvxen_events_init(void);
void pvxen_events_exit(void);

/* grant.c, grant-map.c, p2m.c */
int pvxen_gnttab_init(void);
void pvxen_gnttab_exit(void);
void pvxen_p2m_exit(void);

/* xenstore-watch.c, xenstore-comms.c, xenbus-scan.c */
int pvxen_xs_init(void);
void pvxen_xs_exit(void);
bool pvxen_xs_available(void);
int pvxen_xenbus_init(void);
void pvxen_xenbus_exit(void);

#endif /* _PVXEN_CORE_INTERNAL_H */
