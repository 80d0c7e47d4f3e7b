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
 * zeroed, page-aligned area that it never frees: the record (magic, layout
 * version, number of slots, the area's own physical address, a bitmap of
 * the vCPUs already registered) at its head, then a 64-byte slot per
 * possible CPU (slots are aligned, so none crosses a page).  Later loads
 * find the record and re-use the registered slots instead of registering
 * again.  The cost is fixed, paid once per boot: the area (one 4 KiB page for
 * up to 63 CPUs) and a struct resource; load/unload cycles allocate nothing
 * further.
 *
 * The area is found again through the iomem resource tree, the one
 * registry of kernel memory that every supported kernel lets a module
 * add to and search: a kmalloc'd block (never freed: it outlives the
 * module) holds a struct resource spanning the area and the resource's
 * name (nothing in it may point into the module's image, so not a
 * string literal either), inserted with insert_resource().  It nests
 * under the "System RAM" range the area was allocated from, where
 * /proc/iomem shows it as "pvxen vcpu_info".  An earlier version kept the
 * record in a "security-pvxen,vcpu-info" property of the /hypervisor
 * device-tree node, but 5.10 exports no way to add a property
 * (of_add_property() is not exported there, and Debian's 5.10 has no
 * CONFIG_OF_DYNAMIC for of_changeset_*()).
 *
 * The lookup is walk_iomem_res_desc(), whose callback gets a copy of each
 * match's range, flags and descriptor only (5.10 to 6.12 alike): not the
 * struct resource itself and not its name.  Hence the record lives at the
 * start of the range rather than beside the struct resource, and the
 * resource carries a descriptor of its own, PVXEN_VCPU_RES_DESC: the walk
 * returns the outermost match and skips what nests inside it, so a plain
 * IORESOURCE_MEM search would stop at "System RAM" (descriptor NONE) and
 * never reach ours.  A match is only read once it is known to lie in
 * System RAM (the linear map), and only used if the record at its start
 * names itself (magic, version, its own physical address, a size that
 * gives exactly the range, at least nr_cpu_ids slots).
 *
 * The record holds no pointers, and its physical address is not for
 * unprivileged eyes: /proc/iomem shows every range as 0 to whoever lacks
 * CAP_SYS_ADMIN, as /sys/firmware/devicetree did for "security-"
 * properties.
 *
 * vCPU 0 is registered like the others, so all vCPUs behave the same.
 */
#define pr_fmt(fmt) "pvxen: " fmt

#include <linux/bitmap.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>

#include <xen/interface/xen.h>
#include <xen/interface/vcpu.h>

#include <pvxen/hypercall.h>
#include <pvxen/xlate.h>

#include "events-internal.h"

/* The area's entry in /proc/iomem. */
#define PVXEN_VCPU_RES_NAME	"pvxen vcpu_info"
#define PVXEN_VCPU_RES_FLAGS	IORESOURCE_MEM
/*
 * The entry's descriptor, for walk_iomem_res_desc() (see above): "pvxv".
 * Not one of the kernel's IORES_DESC_* (small numbers; a module cannot add
 * one), so no walk for one of those finds the area.
 */
#define PVXEN_VCPU_RES_DESC	0x70767876UL
/* "pvxv" and a layout version: a record of another layout is not used. */
#define PVXEN_VCPU_STORE_MAGIC	0x70767876
#define PVXEN_VCPU_STORE_VER	2

/* A vcpu_info (48 bytes on arm64) padded to 64 bytes: slots never cross a page. */
struct pvxen_vcpu_slot {
	struct vcpu_info vi;
} __aligned(64);

/**
 * struct pvxen_vcpu_store - the record at the head of the area
 * @magic: PVXEN_VCPU_STORE_MAGIC
 * @version: PVXEN_VCPU_STORE_VER
 * @nr_slots: number of vcpu_info slots (nr_cpu_ids at creation); they
 *	follow the record, at pvxen_vcpu_slots_offset(@nr_slots)
 * @reserved: zero
 * @phys: physical address of the area, i.e. of this record: a match of
 *	the iomem walk whose start is not this is not the record
 * @registered: vCPUs whose slot Xen has accepted
 */
struct pvxen_vcpu_store {
	u32 magic;
	u32 version;
	u32 nr_slots;
	u32 reserved;
	u64 phys;
	unsigned long registered[];
};

/* The never-freed block inserted into the iomem tree. */
struct pvxen_vcpu_res {
	struct resource res;
	char name[sizeof(PVXEN_VCPU_RES_NAME)];
};

static struct pvxen_vcpu_store *pvxen_store;
static struct pvxen_vcpu_slot *pvxen_slots;

static size_t pvxen_vcpu_slots_offset(unsigned int nr_slots)
{
	return ALIGN(sizeof(struct pvxen_vcpu_store) +
		     BITS_TO_LONGS(nr_slots) * sizeof(unsigned long),
		     sizeof(struct pvxen_vcpu_slot));
}

static size_t pvxen_vcpu_area_size(unsigned int nr_slots)
{
	return PAGE_ALIGN(pvxen_vcpu_slots_offset(nr_slots) +
			  nr_slots * sizeof(struct pvxen_vcpu_slot));
}

/*
 * walk_iomem_res_desc() callback: @res is a copy of a match (range, flags
 * and descriptor, no name).  Stops the walk at the first match: 1 with
 * *@arg set to the record if it is one, or -EINVAL (another layout, or
 * not ours after all).
 */
static int pvxen_vcpu_store_match(struct resource *res, void *arg)
{
	struct pvxen_vcpu_store **found = arg;
	resource_size_t size = resource_size(res);
	struct pvxen_vcpu_store *st;

	/* Read only a whole page-aligned range of the linear map. */
	if (res->flags != PVXEN_VCPU_RES_FLAGS || !PAGE_ALIGNED(res->start) ||
	    !PAGE_ALIGNED(size) || size < PAGE_SIZE ||
	    region_intersects(res->start, size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_INTERSECTS)
		goto bad;
	st = phys_to_virt(res->start);
	if (st->magic != PVXEN_VCPU_STORE_MAGIC ||
	    st->version != PVXEN_VCPU_STORE_VER || st->phys != res->start ||
	    st->nr_slots < nr_cpu_ids ||
	    st->nr_slots > size / sizeof(struct pvxen_vcpu_slot) ||
	    pvxen_vcpu_area_size(st->nr_slots) != size)
		goto bad;
	*found = st;
	return 1;
bad:
	*found = ERR_PTR(-EINVAL);
	return -EINVAL;
}

/* The record of an earlier load, NULL if there is none, or an ERR_PTR. */
static struct pvxen_vcpu_store *pvxen_vcpu_store_find(void)
{
	struct pvxen_vcpu_store *st = NULL;

	walk_iomem_res_desc(PVXEN_VCPU_RES_DESC, PVXEN_VCPU_RES_FLAGS, 0,
			    U64_MAX, &st, pvxen_vcpu_store_match);
	return st;
}

static struct pvxen_vcpu_store *pvxen_vcpu_store_create(void)
{
	size_t size = pvxen_vcpu_area_size(nr_cpu_ids);
	struct pvxen_vcpu_store *st;
	struct pvxen_vcpu_res *r;
	int ret;

	BUILD_BUG_ON(PVXEN_XEN_PAGE_SIZE % sizeof(struct pvxen_vcpu_slot));

	/*
	 * Resource and name in one block: both outlive the module, so
	 * nothing may point into the module's image (not even the name: a
	 * string literal would vanish with the module).
	 */
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return ERR_PTR(-ENOMEM);
	st = alloc_pages_exact(size, GFP_KERNEL | __GFP_ZERO);
	if (!st) {
		ret = -ENOMEM;
		goto err_res;
	}
	st->magic = PVXEN_VCPU_STORE_MAGIC;
	st->version = PVXEN_VCPU_STORE_VER;
	st->nr_slots = nr_cpu_ids;
	st->phys = virt_to_phys(st);

	memcpy(r->name, PVXEN_VCPU_RES_NAME, sizeof(r->name));
	r->res.name = r->name;
	r->res.start = st->phys;
	r->res.end = st->phys + size - 1;
	r->res.flags = PVXEN_VCPU_RES_FLAGS;
	r->res.desc = PVXEN_VCPU_RES_DESC;
	ret = insert_resource(&iomem_resource, &r->res);
	if (ret)
		goto err_area;
	return st;

err_area:
	free_pages_exact(st, size);
err_res:
	kfree(r);
	return ERR_PTR(ret);
}

/* Find the record of an earlier load, or make the first one. */
int pvxen_vcpu_store_init(void)
{
	struct pvxen_vcpu_store *st;

	st = pvxen_vcpu_store_find();
	if (!st)
		st = pvxen_vcpu_store_create();
	if (IS_ERR(st)) {
		pr_err("no usable vcpu_info area (%ld)\n", PTR_ERR(st));
		return PTR_ERR(st);
	}
	pvxen_store = st;
	pvxen_slots = (void *)st + pvxen_vcpu_slots_offset(st->nr_slots);
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
