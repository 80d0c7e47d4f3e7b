// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build-time probe PVXEN_HAVE_XS_TYPE_COUNT (compat/probe):
 * XS_TYPE_COUNT and the newer xenstore message types in the kernel's
 * <xen/interface/io/xs_wire.h> (5.11 on; an enum member, so #ifdef
 * cannot see it).
 * Debian's stock arm64 headers: 5.10 no, 6.1 yes, 6.12 yes.
 */
#include <linux/errno.h>
#include <linux/types.h>
#include <xen/interface/io/xs_wire.h>

int pvxen_probe_count = XS_TYPE_COUNT;
