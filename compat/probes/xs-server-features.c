// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build-time probe PVXEN_HAVE_XS_SERVER_FEATURES (compat/probe):
 * struct xenstore_domain_interface has server_features, connection and
 * error after the ring indexes (the kernel's copy of Xen's xs_wire.h,
 * 5.11 on).
 * Debian's stock arm64 headers: 5.10 no, 6.1 yes, 6.12 yes.
 */
#include <linux/errno.h>
#include <linux/types.h>
#include <xen/interface/io/xs_wire.h>

static u32 pvxen_probe(struct xenstore_domain_interface *intf)
{
	return intf->server_features;
}

u32 (*pvxen_probe_fn)(struct xenstore_domain_interface *intf) = pvxen_probe;
