/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen: what pvxen-core needs from the architecture (arch/<arch>/).
 *
 * Internal to pvxen-core: nothing here is exported to other modules.
 */
#ifndef _PVXEN_ARCH_H
#define _PVXEN_ARCH_H

#include <linux/ioport.h>
#include <linux/types.h>

/* Extended regions kept from the firmware description; further ones are counted only. */
#define PVXEN_MAX_EXT_REGIONS	8

/**
 * struct pvxen_platform - how the hypervisor describes itself to the guest
 * @grant_window: guest-physical window reserved for grant-table frames and
 *	other hypervisor pages (arm64: /hypervisor reg[0])
 * @ext_regions: extended regions, guest-physical ranges free for foreign
 *	mappings (arm64: /hypervisor reg[1..])
 * @nr_ext_regions: number of extended regions described by the firmware
 *	(may exceed PVXEN_MAX_EXT_REGIONS; only that many are kept)
 * @event_intid: interrupt controller number of the event-channel upcall
 *	(arm64: GIC INTID of the /hypervisor PPI, e.g. 31)
 * @compatible: most specific compatible string of the hypervisor node,
 *	e.g. "xen,xen-4.17" (informational)
 */
struct pvxen_platform {
	struct resource grant_window;
	struct resource ext_regions[PVXEN_MAX_EXT_REGIONS];
	unsigned int nr_ext_regions;
	unsigned int event_intid;
	char compatible[32];
};

/*
 * Find the hypervisor and fill @plat.  Returns 0; -ENODEV when there is no
 * Xen (nothing logged: the caller names the reason); -EINVAL when Xen is
 * there but its description is unusable (one line logged saying why).
 */
int pvxen_arch_probe(struct pvxen_platform *plat);

/*
 * The domain's system time in nanoseconds: the clock Xen's shared_info
 * wallclock (wc_sec/wc_nsec) is the epoch of.
 */
u64 pvxen_arch_system_time_ns(void);

/*
 * The Linux IRQ of the event-channel upcall (a per-CPU interrupt), mapped
 * from the firmware description; > 0 or a negative errno.  The mapping
 * stays after the IRQ is freed, and the next call returns it again.
 */
int pvxen_arch_upcall_irq_map(void);

#endif /* _PVXEN_ARCH_H */
