/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen: kernel-version compatibility, force-included into every C file of
 * the modules (see the top-level Kbuild).
 *
 * This is the only place that may test the kernel version or the result of
 * a build-time feature probe; drivers use the interfaces as the newest
 * supported kernel spells them and this header fills them in for older
 * ones.  The oldest supported kernel (5.10) has every interface the
 * modules use.  Differences that need a heavy header live beside this one,
 * included where they are used: compat-dma.h (the dma_ops slot),
 * compat-zonedev.h (device memory pages).
 */
#ifndef _PVXEN_COMPAT_H
#define _PVXEN_COMPAT_H

#include <linux/version.h>

#endif /* _PVXEN_COMPAT_H */
