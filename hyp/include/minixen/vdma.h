/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A 1:1 domain's DMA engine (core/vdma.c): the engine of dmaengine.h on
 * the domain's stage 2, grant maps, vGIC (GUEST_MXDMA_SPI) and log, at
 * GUEST_MXDMA in its address space.
 */
#ifndef MINIXEN_VDMA_H
#define MINIXEN_VDMA_H

#include <minixen/bootcfg.h>

struct domain;
struct vcpu;

/* Give @d (1:1) its engine, with @c's DMA profile; at boot. */
void vdma_domain_init(struct domain *d, const struct domcfg *c);

/* @v's access to its engine's registers; false if it has none there. */
bool vdma_mmio(struct vcpu *v, u64 ipa, int size, bool write, u64 *val);

#endif
