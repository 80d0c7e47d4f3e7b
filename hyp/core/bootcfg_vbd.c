// SPDX-License-Identifier: GPL-2.0-only
/*
 * Boot configuration: a domain's PV disks. Each is a "minixen,vbd" child
 * of its domain node (of /chosen for dom0) naming an image in RAM that
 * the boot loader (QEMU's -device loader) put there:
 *
 *	vbd@51712 {
 *		compatible = "minixen,vbd";
 *		virtual-device = <51712>;	// xvda
 *		mode = "w";			// or "r"
 *		reg = <0x0 0x60000000 0x0 0x4000000>;
 *		sector-size = <4096>;		// optional: 512 (default)
 *	};
 *
 * minixen's block backend serves the image to the domain for the run
 * (Documentation/minixen.md, "PV disks"). Everything is checked here, so
 * that the backend may trust the configuration.
 */
#include <minixen/blkif.h>
#include "bootcfg_priv.h"

/* Linux reads "virtual-device" as an int; 0 names no disk. */
#define VBD_MAX_DEVID	0x7fffffffU

static int vbd_mode(const void *fdt, int node, bool *readonly)
{
	const char *m;
	int len;

	m = fdt_getprop(fdt, node, "mode", &len);
	if (!m || len != 2 || m[1] || (m[0] != 'r' && m[0] != 'w'))
		return -1;
	*readonly = m[0] == 'r';
	return 0;
}

static int vbd_sector_size(const void *fdt, int node, u32 *size)
{
	u64 v;

	*size = BLKIF_SECTOR_SIZE;
	if (!fdt_getprop(fdt, node, "sector-size", NULL))
		return 0;
	if (bootcfg_read_num(fdt, node, "sector-size", &v) ||
	    (v != 512 && v != 4096))
		return -1;
	*size = v;
	return 0;
}

/**
 * bootcfg_parse_vbd() - take a "minixen,vbd" node into a domain
 * @fdt: the device tree
 * @parent: the domain's node (/chosen for dom0), where "reg"'s cells are
 * @node: the vbd node
 * @cfg: the configuration, its RAM banks parsed
 * @d: the domain
 * @e: where the reason of a failure goes
 *
 * Checks what the backend relies on: at most MAX_VBDS per domain, a
 * "virtual-device" of its own (1..0x7fffffff), "mode" "r" or "w",
 * "sector-size" 512 or 4096, and an image that is 4 KiB aligned, a
 * nonzero multiple of the sector size, inside RAM. The image is added
 * to @cfg's reserved ranges, which bootcfg_parse() checks for overlaps
 * with each other (boot modules, other images) and mm_init() keeps from
 * the domains' RAM.
 *
 * Return: 0, or -1 with a one-line reason naming the domain and node.
 */
int bootcfg_parse_vbd(const void *fdt, int parent, int node,
		      struct bootcfg *cfg, struct domcfg *d, struct perr *e)
{
	const char *name = fdt_get_name(fdt, node, NULL);
	struct vbdcfg *v;
	u64 devid;
	u32 i;

	if (d->nr_vbds >= MAX_VBDS)
		return bootcfg_fail(e, "%s: more than %d vbd nodes", d->name,
				    MAX_VBDS);
	v = &d->vbd[d->nr_vbds];
	if (bootcfg_read_num(fdt, node, "virtual-device", &devid) || !devid ||
	    devid > VBD_MAX_DEVID)
		return bootcfg_fail(e, "%s: %s: missing or bad \"virtual-device\"",
				    d->name, name);
	for (i = 0; i < d->nr_vbds; i++)
		if (d->vbd[i].devid == devid)
			return bootcfg_fail(e, "%s: %s: virtual-device %u is used twice",
					    d->name, name, (u32)devid);
	v->devid = devid;
	if (vbd_mode(fdt, node, &v->readonly))
		return bootcfg_fail(e, "%s: %s: missing or bad \"mode\" (\"r\" or \"w\")",
				    d->name, name);
	if (vbd_sector_size(fdt, node, &v->sector_size))
		return bootcfg_fail(e, "%s: %s: bad \"sector-size\" (512 or 4096)",
				    d->name, name);
	if (bootcfg_read_reg(fdt, node, parent, 0, &v->image))
		return bootcfg_fail(e, "%s: %s: no usable reg", d->name, name);
	if (!v->image.size)
		return bootcfg_fail(e, "%s: %s: empty image", d->name, name);
	if (v->image.size % v->sector_size)
		return bootcfg_fail(e, "%s: %s: image size 0x%llx is not a multiple of %u",
				    d->name, name,
				    (unsigned long long)v->image.size,
				    v->sector_size);
	if (v->image.start & (SZ_4K - 1))
		return bootcfg_fail(e, "%s: %s: image at 0x%llx is not 4 KiB aligned",
				    d->name, name,
				    (unsigned long long)v->image.start);
	if (!bootcfg_in_ram(cfg, &v->image))
		return bootcfg_fail(e, "%s: %s: image at 0x%llx+0x%llx is outside RAM",
				    d->name, name,
				    (unsigned long long)v->image.start,
				    (unsigned long long)v->image.size);
	if (bootcfg_add_reserved(cfg, e, &v->image))
		return -1;
	d->nr_vbds++;
	return 0;
}
