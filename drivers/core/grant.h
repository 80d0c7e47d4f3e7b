/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen-core internals of the grant table and the p2m override.
 */
#ifndef _PVXEN_CORE_GRANT_H
#define _PVXEN_CORE_GRANT_H

#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/types.h>

#include <xen/interface/grant_table.h>

#include <pvxen/xlate.h>

/* grant.c */
extern atomic_long_t pvxen_gnttab_maps_active;
extern atomic_long_t pvxen_gnttab_unpopulated;

/* A hypercall's return value as an errno (-EIO if it is none). */
static inline int pvxen_gnt_errno(long ret)
{
	return ret < 0 && ret >= -MAX_ERRNO ? (int)ret : -EIO;
}

/* A GNTST_* status as an errno. */
static inline int pvxen_gntst_errno(int status)
{
	switch (status) {
	case GNTST_okay:
		return 0;
	case GNTST_bad_domain:
	case GNTST_bad_gntref:
	case GNTST_bad_handle:
	case GNTST_bad_virt_addr:
	case GNTST_bad_dev_addr:
	case GNTST_bad_page:
		return -EINVAL;
	case GNTST_permission_denied:
		return -EPERM;
	case GNTST_no_device_space:
		return -ENOSPC;
	case GNTST_eagain:
		return -EAGAIN;
	default:
		return -EIO;
	}
}

/* Times a GNTST_eagain map is retried (the peer's page is being paged in). */
#define PVXEN_MAP_EAGAIN_TRIES	10

/* grant-identity.c */
void pvxen_gnttab_identity_exit(void);

/* p2m.c */
int pvxen_p2m_set(struct pvxen_pfn pfn, struct pvxen_bfn bfn);
bool pvxen_p2m_clear(struct pvxen_pfn pfn);

#endif /* _PVXEN_CORE_GRANT_H */
