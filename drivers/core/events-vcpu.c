// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen: where each vCPU's vcpu_info lives, across module reloads.
 *
 * Event delivery needs a vcpu_info per vCPU (upcall pending flag, pending
 * selector word).  On arm64 shared_info holds only vCPU 0's
 * (MAX_VIRT_CPUS is 1), so every other vCPU has to be given one with
 * VCPUOP_register_vcpu_info, and Xen offers no way to undo that: a second
 * registration for the same vCPU, at the same or another address, fails
 * with -EINVAL, and Xen keeps the registered page mapped and keeps writing
 * to it for the life of the domain.
 *
 * So memory handed to Xen must never go back to the page allocator, and a
 * reloaded pvxen-core must find it again.  The first load allocates one
 * zeroed area with a 64-byte slot per possible CPU (slots are aligned, so
 * none crosses a page) and records it, with a bitmap of the vCPUs already
 * registered, in a property of the /hypervisor device-tree node,
 * "security-pvxen,vcpu-info" (kernel memory that outlives the module).
 * Later loads find that record and re-use the registered slots instead of
 * registering again.  The cost is fixed, paid once per boot: the slots
 * (one page for up to 64 CPUs) and the record; load/unload cycles allocate
 * nothing further.
 *
 * The record holds a physical address, which is not for unprivileged
 * eyes: device-tree properties appear in /sys/firmware/devicetree (and
 * /proc/device-tree), world-readable, except those whose name starts with
 * "security-", which the kernel makes readable by root only (mode 0400,
 * drivers/of/kobj.c).  Hence the prefix.
 *
 * vCPU 0 is registered like the others, so all vCPUs behave the same.
 */
#define pr_fmt(fmt) "pvxen: " fmt

#include <linux/bitmap.h>
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/of.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>

#include <xen/interface/xen.h>
#include <xen/interface/vcpu.h>

#include <pvxen/hypercall.h>
#include <pvxen/xlate.h>

#include "events-internal.h"

/* "security-": root-only in sysfs (see above). */
#define PVXEN_VCPU_STORE_PROP	"security-pvxen,vcpu-info"
/* "pvxv" and a layout version: a record of another layout is not used. */
#define PVXEN_VCPU_STORE_MAGIC	0x70767876
#define PVXEN_VCPU_STORE_VER	1

/* A vcpu_info (48 bytes on arm64) padded to 64 bytes: slots never cross a page. */
struct pvxen_vcpu_slot {
	struct vcpu_info vi;
} __aligned(64);

/**
 * struct pvxen_vcpu_store - the record kept in the device tree
 * @magic: PVXEN_VCPU_STORE_MAGIC
 * @version: PVXEN_VCPU_STORE_VER
 * @nr_slots: number of vcpu_info slots (nr_cpu_ids at creation)
 * @slots_phys: physical address of the slots (never freed), rather than
 *	a pointer, which would give away KASLR to whoever reads the property
 *	(root only, but root is not always trusted with that)
 * @registered: vCPUs whose slot Xen has accepted
 */
struct pvxen_vcpu_store {
	u32 magic;
	u32 version;
	u32 nr_slots;
	u32 reserved;
	u64 slots_phys;
	unsigned long registered[];
};

static struct pvxen_vcpu_store *pvxen_store;
static struct pvxen_vcpu_slot *pvxen_slots;

static struct pvxen_vcpu_store *pvxen_vcpu_store_find(struct device_node *np)
{
	struct pvxen_vcpu_store *st;
	struct property *prop;

	prop = of_find_property(np, PVXEN_VCPU_STORE_PROP, NULL);
	if (!prop)
		return NULL;
	st = prop->value;
	if (prop->length < sizeof(*st) || st->magic != PVXEN_VCPU_STORE_MAGIC ||
	    st->version != PVXEN_VCPU_STORE_VER || st->nr_slots < nr_cpu_ids ||
	    prop->length != struct_size(st, registered,
					BITS_TO_LONGS(st->nr_slots)))
		return ERR_PTR(-EINVAL);
	return st;
}

static struct pvxen_vcpu_store *pvxen_vcpu_store_create(struct device_node *np)
{
	size_t size = PAGE_ALIGN(nr_cpu_ids * sizeof(struct pvxen_vcpu_slot));
	struct pvxen_vcpu_store *st;
	size_t len = struct_size(st, registered, BITS_TO_LONGS(nr_cpu_ids));
	struct pvxen_vcpu_slot *slots;
	struct property *prop;
	int ret;

	BUILD_BUG_ON(PVXEN_XEN_PAGE_SIZE % sizeof(struct pvxen_vcpu_slot));

	/*
	 * Property, record and name in one block of kernel memory: all of it
	 * outlives the module, so nothing may point into the module's image
	 * (not even the name: a string literal would vanish with the module).
	 */
	prop = kzalloc(sizeof(*prop) + len + sizeof(PVXEN_VCPU_STORE_PROP),
		       GFP_KERNEL);
	if (!prop)
		return ERR_PTR(-ENOMEM);
	st = (struct pvxen_vcpu_store *)(prop + 1);
	slots = alloc_pages_exact(size, GFP_KERNEL | __GFP_ZERO);
	if (!slots) {
		kfree(prop);
		return ERR_PTR(-ENOMEM);
	}
	st->slots_phys = virt_to_phys(slots);
	st->magic = PVXEN_VCPU_STORE_MAGIC;
	st->version = PVXEN_VCPU_STORE_VER;
	st->nr_slots = nr_cpu_ids;

	prop->name = (char *)st + len;
	memcpy(prop->name, PVXEN_VCPU_STORE_PROP, sizeof(PVXEN_VCPU_STORE_PROP));
	prop->length = len;
	prop->value = st;
	ret = of_add_property(np, prop);
	if (ret) {
		free_pages_exact(slots, size);
		kfree(prop);
		return ERR_PTR(ret);
	}
	return st;
}

/* Find the record of an earlier load, or make the first one. */
int pvxen_vcpu_store_init(void)
{
	struct pvxen_vcpu_store *st;
	struct device_node *np;

	np = of_find_node_by_path("/hypervisor");
	if (!np)
		return -ENODEV;
	st = pvxen_vcpu_store_find(np);
	if (!st)
		st = pvxen_vcpu_store_create(np);
	of_node_put(np);
	if (IS_ERR(st)) {
		pr_err("no usable vcpu_info area (%ld)\n", PTR_ERR(st));
		return PTR_ERR(st);
	}
	pvxen_store = st;
	pvxen_slots = phys_to_virt(st->slots_phys);
	return 0;
}

/**
 * pvxen_vcpu_info_setup() - the vcpu_info of the calling CPU
 * @cpu: the calling CPU
 * @vi: set to the calling CPU's vcpu_info
 *
 * Registers the CPU's slot with Xen unless an earlier load did.  Runs on
 * the CPU itself (Xen accepts the registration only from the vCPU itself
 * or for a vCPU that is down), from the CPU-hotplug online callback.
 *
 * Return: 0, or a negative errno when Xen refuses the registration (the
 * vCPU was given a vcpu_info by someone else, such as a kexec'd kernel).
 */
int pvxen_vcpu_info_setup(unsigned int cpu, struct vcpu_info **vi)
{
	struct pvxen_vcpu_store *st = pvxen_store;
	struct vcpu_register_vcpu_info reg;
	struct vcpu_info *slot;
	struct pvxen_paddr pa;
	long ret;

	if (cpu >= st->nr_slots)
		return -ERANGE;
	if (WARN_ON_ONCE(cpu != raw_smp_processor_id()))
		return -EINVAL;
	slot = &pvxen_slots[cpu].vi;
	if (test_bit(cpu, st->registered)) {
		*vi = slot;
		return 0;
	}

	/* Xen frame (4 KiB) and offset, whatever Linux's page size. */
	pa = pvxen_mk_paddr(virt_to_phys(slot));
	reg.mfn = pvxen_pfn_val(pvxen_paddr_to_pfn(pa));
	reg.offset = pvxen_paddr_page_offset(pa);
	reg.rsvd = 0;
	ret = pvxen_vcpu_op(VCPUOP_register_vcpu_info, cpu, &reg);
	if (ret) {
		pr_err("CPU%u: Xen refused vcpu_info registration (%ld); it was registered elsewhere before pvxen loaded\n",
		       cpu, ret);
		return ret < 0 && ret >= -MAX_ERRNO ? (int)ret : -EIO;
	}
	set_bit(cpu, st->registered);
	*vi = slot;
	return 0;
}

/* Number of vCPUs with a registered vcpu_info (debugfs). */
unsigned int pvxen_vcpu_info_registered(void)
{
	return bitmap_weight(pvxen_store->registered, pvxen_store->nr_slots);
}
