/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-domain and per-vCPU state of the Xen guest ABI: shared_info,
 * vcpu_info, runstate, HVM parameters, the console_io line, the event
 * channels (evtchn.h) and the grant table (grant.h). Embedded in struct
 * domain (domain.h) and struct vcpu (vcpu.h). Pure.
 */
#ifndef MINIXEN_XEN_DOM_H
#define MINIXEN_XEN_DOM_H

#include <minixen/evtchn.h>	/* first: Xen's headers define DOMID_SELF */
#include <minixen/grant.h>
#include <minixen/lib.h>
#include <minixen/xen_abi.h>

#define XEN_NO_GFN		(~0UL)
#define XEN_CONSOLE_LINE	256

struct xen_vcpu {
	/* Guest physical address of the registered vcpu_info, or 0. */
	u64 vcpu_info_gpa;
	/*
	 * Where this vCPU's vcpu_info is, for minixen to read and write:
	 * the registered one, else shared_info's slot (vCPU 0 only), else
	 * NULL. Always in memory the domain owns for good (its RAM or its
	 * shared_info page), never in a page mapped from another domain.
	 */
	struct xen_vcpu_info *vcpu_info;
	u64 runstate_gva;	/* registered runstate area (guest VA), or 0 */
	struct vcpu_runstate_info runstate;
};

struct xen_dom {
	bool aware;		/* has /hypervisor: boot configuration */
	bool privileged;	/* the first domain, booted as dom0 */
	void *shared_info;	/* minixen's page, mapped at shinfo_gfn */
	u64 shinfo_gfn;		/* XEN_NO_GFN: not mapped */
	u64 params[HVM_NR_PARAMS];
	u32 shutdown_code;
	u32 con_len;
	char con_line[XEN_CONSOLE_LINE];	/* console_io, to a newline */
	/* Ports; delivers into shared_info and the vcpu_infos. */
	struct evtchn_domain evtchn;
	/* Grant table and maptrack; its lock is the stage-2 lock (domain.h). */
	struct gnt_dom gnt;
};

#endif
