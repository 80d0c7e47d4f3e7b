// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest's access to its emulated devices (layout.h), decoded by the
 * arch from its data abort: to the vGIC distributor and redistributors,
 * the UART or the DMA engine (vdma.h); its SGIs (ICC_SGI1R_EL1);
 * interrupts minixen raises in it (the event PPI). Each under the
 * domain's lock, then the vCPUs it concerns are kicked.
 */
#include <minixen/domain.h>
#include <minixen/layout.h>
#include <minixen/vcpu.h>
#include <minixen/vdma.h>
#include <minixen/vgic.h>
#include <minixen/vpl011.h>

bool vmmio_access(struct vcpu *v, u64 ipa, int size, bool write, u64 *val)
{
	struct domain *d = v->d;
	u32 kick = 0;

	if (ipa >= GUEST_GICD && ipa < GUEST_GICD + VGIC_GICD_SIZE) {
		spin_lock(&d->lock);
		if (write)
			kick = vgic_dist_write(&d->vgic, ipa - GUEST_GICD, size,
					       *val);
		else
			*val = vgic_dist_read(&d->vgic, ipa - GUEST_GICD, size);
		spin_unlock(&d->lock);
	} else if (ipa >= GUEST_GICR &&
		   vgic_redist_valid(&d->vgic, ipa - GUEST_GICR)) {
		spin_lock(&d->lock);
		if (write)
			kick = vgic_redist_write(&d->vgic, ipa - GUEST_GICR,
						 size, *val);
		else
			*val = vgic_redist_read(&d->vgic, ipa - GUEST_GICR,
						size);
		spin_unlock(&d->lock);
	} else if (ipa >= GUEST_UART && ipa < GUEST_UART + 0x1000) {
		spin_lock(&d->lock);
		kick = vpl011_mmio(v, ipa - GUEST_UART, size, write, val);
		spin_unlock(&d->lock);
	} else {
		/* the DMA engine takes its own locks, then d->lock */
		return vdma_mmio(v, ipa, size, write, val);
	}
	vcpu_kick_mask(d, kick);
	return true;
}

void vcpu_inject(struct vcpu *v, u32 intid)
{
	struct domain *d = v->d;
	u32 kick;

	spin_lock(&d->lock);
	kick = vgic_inject(&d->vgic, v->id, intid);
	spin_unlock(&d->lock);
	vcpu_kick_mask(d, kick);
}

void vcpu_send_sgi(struct vcpu *v, u64 sgi1r)
{
	struct domain *d = v->d;
	u32 kick;

	spin_lock(&d->lock);
	kick = vgic_sgi(&d->vgic, v->id, sgi1r);
	spin_unlock(&d->lock);
	vcpu_kick_mask(d, kick);
}
