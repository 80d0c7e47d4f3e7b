/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen: Xen hypercalls.
 *
 * pvxen_hypercall() is the architecture's raw entry (arch/<arch>/hypercall.S,
 * built into pvxen-core.ko and exported from there).  Drivers use the typed
 * wrappers below.  Pointer arguments are kernel virtual addresses: the
 * hypervisor translates them through the guest's own page tables, so they
 * may point anywhere in the kernel's linear map, vmalloc space or the stack.
 *
 * Every wrapper returns what Xen returned: >= 0 on success, a negative Xen
 * error number (the same values as Linux errno) on failure.
 */
#ifndef _PVXEN_HYPERCALL_H
#define _PVXEN_HYPERCALL_H

#include <linux/types.h>
#include <xen/interface/xen.h>

/**
 * pvxen_hypercall() - Issue a raw Xen hypercall.
 * @op: hypercall number (__HYPERVISOR_*)
 * @a0: first argument
 * @a1: second argument
 * @a2: third argument
 * @a3: fourth argument
 * @a4: fifth argument
 *
 * Only valid once pvxen-core has found Xen (its module init succeeded):
 * without a hypervisor the trapping instruction is undefined.
 *
 * Return: Xen's result; negative values are Xen error numbers.
 */
long pvxen_hypercall(unsigned long op, unsigned long a0, unsigned long a1,
		     unsigned long a2, unsigned long a3, unsigned long a4);

static inline long pvxen_xen_version(int cmd, void *arg)
{
	return pvxen_hypercall(__HYPERVISOR_xen_version, cmd,
			       (unsigned long)arg, 0, 0, 0);
}

static inline long pvxen_memory_op(unsigned int cmd, void *arg)
{
	return pvxen_hypercall(__HYPERVISOR_memory_op, cmd,
			       (unsigned long)arg, 0, 0, 0);
}

static inline long pvxen_hvm_op(int op, void *arg)
{
	return pvxen_hypercall(__HYPERVISOR_hvm_op, op,
			       (unsigned long)arg, 0, 0, 0);
}

static inline long pvxen_event_channel_op(int cmd, void *arg)
{
	return pvxen_hypercall(__HYPERVISOR_event_channel_op, cmd,
			       (unsigned long)arg, 0, 0, 0);
}

static inline long pvxen_grant_table_op(unsigned int cmd, void *uop,
					unsigned int count)
{
	return pvxen_hypercall(__HYPERVISOR_grant_table_op, cmd,
			       (unsigned long)uop, count, 0, 0);
}

static inline long pvxen_vcpu_op(int cmd, unsigned int vcpuid, void *extra)
{
	return pvxen_hypercall(__HYPERVISOR_vcpu_op, cmd, vcpuid,
			       (unsigned long)extra, 0, 0);
}

static inline long pvxen_sched_op(int cmd, void *arg)
{
	return pvxen_hypercall(__HYPERVISOR_sched_op, cmd,
			       (unsigned long)arg, 0, 0, 0);
}

#endif /* _PVXEN_HYPERCALL_H */
