// SPDX-License-Identifier: GPL-2.0-only
/*
 * A 1:1 domain's DMA engine: what the engine (core/dmaengine.c) reaches
 * of the domain (its RAM through its stage 2, its grant maps, under its
 * p2m lock), its interrupt (a level-sensitive SPI of its vGIC) and its
 * log lines (dom_warn()'s rate limit).
 */
#include <minixen/dmaengine.h>
#include <minixen/domain.h>
#include <minixen/layout.h>
#include <minixen/mm.h>
#include <minixen/vcpu.h>
#include <minixen/vdma.h>

/* minixen runs with VA == PA */
static void *vdma_map_pa(u64 pa)
{
	return (void *)(uintptr_t)pa;
}

static u32 vdma_set_irq(void *ctx, bool level)
{
	struct domain *d = ctx;
	u32 kick;

	spin_lock(&d->lock);
	kick = vgic_set_level(&d->vgic, GUEST_MXDMA_SPI, level);
	spin_unlock(&d->lock);
	return kick;
}

static bool vdma_warn_ok(void *ctx)
{
	return dom_warn_ok(ctx);
}

void vdma_domain_init(struct domain *d, const struct domcfg *c)
{
	struct dmae_env env = {
		.s2 = &d->s2,
		.gnt = &d->xen.gnt,
		.p2m_lock = p2m_lock(d),
		.ram_ipa = d->ram_ipa,
		.ram_pa = d->ram_pa,
		.ram_size = d->ram_size,
		.name = d->name,
		.ctx = d,
		.map_pa = vdma_map_pa,
		.set_irq = vdma_set_irq,
		.warn_ok = vdma_warn_ok,
	};
	struct dmae *e = hyp_alloc(sizeof(*e), 64);

	/* bootcfg_parse() checked the profile */
	if (dmae_init(e, &c->dma, &env))
		panic("%s: bad DMA profile", d->name);
	d->dmae = e;
	pr_info("%s: DMA engine at 0x%lx, SPI %u, %s profile", d->name,
		GUEST_MXDMA, GUEST_MXDMA_SPI, dma_profile_name(c->dma.id));
}

bool vdma_mmio(struct vcpu *v, u64 ipa, int size, bool write, u64 *val)
{
	struct domain *d = v->d;

	if (!d->dmae || ipa < GUEST_MXDMA ||
	    ipa - GUEST_MXDMA >= MXDMA_REG_SIZE)
		return false;
	vcpu_kick_mask(d, dmae_mmio(d->dmae, ipa - GUEST_MXDMA, size, write,
				    val));
	return true;
}
