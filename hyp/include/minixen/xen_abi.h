/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Xen guest ABI on arm64 as minixen speaks it: hypercall numbers,
 * sub-op numbers and argument layouts, taken from Xen's public headers
 * (libxen-dev, /usr/include/xen) with their arm64 layout. Guest handles
 * are guest virtual addresses, kept as u64. Sizes and offsets were
 * checked against Xen 4.17's headers compiled for aarch64. Pure: builds
 * on the host too, with the same layout.
 */
#ifndef MINIXEN_XEN_ABI_H
#define MINIXEN_XEN_ABI_H

#include <minixen/lib.h>

/* minixen tells guests it is this Xen (XENVER_version, /hypervisor). */
#define MX_XEN_MAJOR		4
#define MX_XEN_MINOR		17
#define MX_XEN_EXTRA		".0-minixen"
#define MX_XEN_COMPAT		"xen,xen-4.17"

/*
 * Xen errno values, returned negated: xen/errno.h's XEN_E* (one
 * definition for every part, the ones that include Xen's headers too).
 */
#include <xen/errno.h>

/* Hypercall numbers (xen.h) */
#define HC_memory_op		12
#define HC_xen_version		17
#define HC_console_io		18
#define HC_grant_table_op	20
#define HC_vm_assist		21
#define HC_vcpu_op		24
#define HC_sched_op		29
#define HC_event_channel_op	32
#define HC_physdev_op		33
#define HC_hvm_op		34
#define HC_sysctl		35
#define HC_NR			64

/* As xen.h has them: whichever header comes first defines them. */
#ifndef DOMID_SELF
#define DOMID_SELF		0x7FF0U
#endif
#ifndef DOMID_FIRST_RESERVED
#define DOMID_FIRST_RESERVED	0x7FF0U
#endif
/* minixen itself: the grantee of the pages its own backends use */
#ifndef DOMID_XEN
#define DOMID_XEN		0x7FF2U
#endif

/* Guest physical layout (arch-arm.h) */
#define GUEST_GNTTAB_BASE	0x38000000UL
#define GUEST_GNTTAB_SIZE	0x01000000UL
#define GUEST_MAGIC_BASE	0x39000000UL
#define GUEST_MAGIC_SIZE	0x01000000UL
#define GUEST_EVTCHN_PPI	31
#define GUEST_LEGACY_MAX_VCPUS	1	/* arm's XEN_LEGACY_MAX_VCPUS */
#define XEN_PAGE_SHIFT		12
#define XEN_PAGE_SIZE		4096UL

/* xen_version (version.h) */
#define XENVER_version		0
#define XENVER_extraversion	1
#define XENVER_compile_info	2
#define XENVER_capabilities	3
#define XENVER_changeset	4
#define XENVER_platform_parameters 5
#define XENVER_get_features	6
#define XENVER_pagesize		7
#define XENVER_guest_handle	8
#define XENVER_commandline	9
#define XENVER_build_id		10

#define XEN_EXTRAVERSION_LEN	16
#define XEN_CAPABILITIES_LEN	1024
#define XEN_CHANGESET_LEN	64
#define XEN_COMMANDLINE_LEN	1024
#define XEN_HANDLE_LEN		16

struct xen_compile_info {
	char compiler[64];
	char compile_by[16];
	char compile_domain[32];
	char compile_date[32];
};

struct xen_feature_info {
	u32 submap_idx;
	u32 submap;
};

/* features.h */
#define XENFEAT_writable_page_tables		0
#define XENFEAT_auto_translated_physmap		2
#define XENFEAT_dom0				11
#define XENFEAT_memory_op_vnode_supported	13
#define XENFEAT_ARM_SMCCC_supported		14
#define XENFEAT_not_direct_mapped		16
#define XENFEAT_direct_mapped			17

/* memory_op (memory.h) */
#define XENMEM_increase_reservation	0
#define XENMEM_decrease_reservation	1
#define XENMEM_maximum_ram_page		2
#define XENMEM_current_reservation	3
#define XENMEM_maximum_reservation	4
#define XENMEM_populate_physmap		6
#define XENMEM_add_to_physmap		7
#define XENMEM_remove_from_physmap	15
#define XENMEM_add_to_physmap_batch	23
#define XENMEMF_populate_on_demand	BIT(16)

#define XENMAPSPACE_shared_info		0
#define XENMAPSPACE_grant_table		1
#define XENMAPSPACE_gmfn		2
#define XENMAPSPACE_gmfn_range		3
#define XENMAPSPACE_gmfn_foreign	4
#define XENMAPSPACE_dev_mmio		5

struct xen_memory_reservation {
	u64 extent_start;	/* handle: xen_pfn_t array */
	u64 nr_extents;
	u32 extent_order;
	u32 mem_flags;
	u16 domid;
	u16 pad[3];
};

struct xen_add_to_physmap {
	u16 domid;
	u16 size;
	u32 space;
	u64 idx;
	u64 gpfn;
};

struct xen_add_to_physmap_batch {
	u16 domid;
	u16 space;
	u16 size;
	u16 foreign_domid;	/* union u */
	u64 idxs;		/* handle: xen_ulong_t array */
	u64 gpfns;		/* handle: xen_pfn_t array */
	u64 errs;		/* handle: int array */
};

struct xen_remove_from_physmap {
	u16 domid;
	u16 pad[3];
	u64 gpfn;
};

/* vcpu_op (vcpu.h) */
#define VCPUOP_initialise		0
#define VCPUOP_up			1
#define VCPUOP_down			2
#define VCPUOP_is_up			3
#define VCPUOP_get_runstate_info	4
#define VCPUOP_register_runstate_memory_area 5
#define VCPUOP_register_vcpu_info	10

#define RUNSTATE_running	0
#define RUNSTATE_runnable	1
#define RUNSTATE_blocked	2
#define RUNSTATE_offline	3

struct vcpu_runstate_info {
	s32 state;
	u32 pad;
	u64 state_entry_time;
	u64 time[4];
};

struct vcpu_register_vcpu_info {
	u64 mfn;
	u32 offset;
	u32 rsvd;
};

/* xen.h: struct vcpu_info with arm64's empty arch part */
struct xen_vcpu_info {
	u8 evtchn_upcall_pending;
	u8 evtchn_upcall_mask;
	u8 pad[6];
	u64 evtchn_pending_sel;
	u8 time[32];		/* struct vcpu_time_info */
};

#define XEN_VCPU_INFO_SIZE	48
#define XEN_SHARED_INFO_SIZE	1088

/* sched_op (sched.h) */
#define SCHEDOP_yield		0
#define SCHEDOP_block		1
#define SCHEDOP_shutdown	2
#define SCHEDOP_poll		3
#define SCHEDOP_remote_shutdown	4
#define SCHEDOP_shutdown_code	5
#define SCHEDOP_watchdog	6
#define SCHEDOP_pin_override	7

#define SHUTDOWN_poweroff	0
#define SHUTDOWN_reboot		1
#define SHUTDOWN_suspend	2
#define SHUTDOWN_crash		3
#define SHUTDOWN_watchdog	4
#define SHUTDOWN_soft_reset	5
#define SHUTDOWN_MAX		5

struct sched_shutdown {
	u32 reason;
};

struct sched_poll {
	u64 ports;		/* handle: evtchn_port_t (u32) array */
	u32 nr_ports;
	u32 pad;
	u64 timeout;		/* system time, ns; 0: none */
};

struct sched_remote_shutdown {
	u16 domain_id;
	u16 pad;
	u32 reason;
};

/* hvm_op (hvm/hvm_op.h, hvm/params.h) */
#define HVMOP_set_param		0
#define HVMOP_get_param		1

#define HVM_PARAM_CALLBACK_IRQ	0
#define HVM_PARAM_STORE_PFN	1
#define HVM_PARAM_STORE_EVTCHN	2
#define HVM_PARAM_CONSOLE_PFN	17
#define HVM_PARAM_CONSOLE_EVTCHN 18
#define HVM_NR_PARAMS		39

struct xen_hvm_param {
	u16 domid;
	u16 pad;
	u32 index;
	u64 value;
};

/* console_io (xen.h) */
#define CONSOLEIO_write		0
#define CONSOLEIO_read		1

/* vm_assist (xen.h) */
#define VMASST_CMD_enable	0
#define VMASST_CMD_disable	1

/* sysctl (sysctl.h): XEN_SYSCTL_readconsole only */
#define XEN_SYSCTL_INTERFACE_VERSION	0x00000015
#define XEN_SYSCTL_readconsole		1

struct xen_sysctl_readconsole {
	u8 clear;		/* IN: empty the ring after reading */
	u8 incremental;		/* IN: start at @index */
	u8 pad0, pad1;
	u32 index;		/* IN: start; OUT: end of what was read */
	u64 buffer;		/* IN: guest virtual address */
	u32 count;		/* IN: buffer size; OUT: bytes written */
};

struct xen_sysctl {
	u32 cmd;
	u32 interface_version;
	union {
		struct xen_sysctl_readconsole readconsole;
		u8 pad[128];
	} u;
};

#endif
