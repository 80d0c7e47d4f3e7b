/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A domain's emulated SBSA UART (PL011 subset), output only
 * (core/vpl011.c).
 */
#ifndef MINIXEN_VPL011_H
#define MINIXEN_VPL011_H

#include <minixen/lib.h>

struct vcpu;

struct vpl011 {
	u32 imsc, cr, lcr, ibrd, fbrd;
	char line[256];
	u32 len;
};

/* @v accesses offset @off; under d->lock. Returns the vCPUs to kick. */
u32 vpl011_mmio(struct vcpu *v, u64 off, int size, bool write, u64 *val);

#endif
