// SPDX-License-Identifier: GPL-2.0-only
/*
 * Boot configuration: reading the boot device tree (cells, "reg",
 * numbers, strings) and the checks every part of it shares (a range in
 * RAM, ranges kept from the domains' RAM, the reason of a failure), for
 * the parsers in bootcfg.c and bootcfg_vbd.c.
 */
#include "bootcfg_priv.h"

/**
 * bootcfg_fail() - say why the boot configuration is bad
 * @e: where the reason goes
 * @fmt: printf format of the one-line reason
 *
 * Return: -1, so that a parser may "return bootcfg_fail(...)".
 */
int bootcfg_fail(struct perr *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->buf, e->len, fmt, ap);
	va_end(ap);
	return -1;
}

/**
 * bootcfg_cells() - #address-cells or #size-cells for @node's children
 * @fdt: the device tree
 * @node: the node whose children are read
 * @name: "#address-cells" or "#size-cells"
 * @dflt: the value when neither @node nor an ancestor says
 *
 * Return: the first value found from @node towards the root, else @dflt.
 */
int bootcfg_cells(const void *fdt, int node, const char *name, int dflt)
{
	const fdt32_t *p;
	int len;

	while (node >= 0) {
		p = fdt_getprop(fdt, node, name, &len);
		if (p && len == 4)
			return fdt32_to_cpu(*p);
		if (node == 0)
			break;
		node = fdt_parent_offset(fdt, node);
	}
	return dflt;
}

/**
 * bootcfg_read_cells() - big-endian cells as one number
 * @p: the cells
 * @n: how many (1 or 2)
 *
 * Return: the number.
 */
u64 bootcfg_read_cells(const fdt32_t *p, int n)
{
	u64 v = 0;

	while (n--)
		v = (v << 32) | fdt32_to_cpu(*p++);
	return v;
}

/**
 * bootcfg_read_reg() - one entry of a node's "reg"
 * @fdt: the device tree
 * @node: the node
 * @parent: where its cells come from (its parent)
 * @idx: which entry
 * @r: the address and size read
 *
 * Return: 0, or -1 if there is no such entry or the cells are not 1 or 2.
 */
int bootcfg_read_reg(const void *fdt, int node, int parent, int idx,
		     struct mem_range *r)
{
	int ac = bootcfg_cells(fdt, parent, "#address-cells", 2);
	int sc = bootcfg_cells(fdt, parent, "#size-cells", 1);
	const fdt32_t *p;
	int len;

	p = fdt_getprop(fdt, node, "reg", &len);
	if (!p || ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return -1;
	if ((idx + 1) * (ac + sc) * 4 > len)
		return -1;
	p += idx * (ac + sc);
	r->start = bootcfg_read_cells(p, ac);
	r->size = bootcfg_read_cells(p + ac, sc);
	return 0;
}

/**
 * bootcfg_read_num() - a property of one or two cells
 * @fdt: the device tree
 * @node: the node
 * @name: the property (as Xen reads "memory" and "cpus")
 * @v: its value
 *
 * Return: 0, or -1 if it is missing or of another length.
 */
int bootcfg_read_num(const void *fdt, int node, const char *name, u64 *v)
{
	const fdt32_t *p;
	int len;

	p = fdt_getprop(fdt, node, name, &len);
	if (!p || (len != 4 && len != 8))
		return -1;
	*v = bootcfg_read_cells(p, len / 4);
	return 0;
}

/**
 * bootcfg_copy_str() - copy a string into a fixed buffer
 * @dst: the buffer
 * @len: its size (> 0)
 * @src: the string, cut short to @len - 1 bytes if longer
 */
void bootcfg_copy_str(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/**
 * bootcfg_in_ram() - does a range lie inside one bank of RAM?
 * @cfg: the configuration, its RAM banks parsed
 * @m: the range
 *
 * Written so that no sum can wrap around.
 *
 * Return: true if @m lies wholly inside one bank.
 */
bool bootcfg_in_ram(const struct bootcfg *cfg, const struct mem_range *m)
{
	int b;

	for (b = 0; b < cfg->nr_ram; b++)
		if (m->start >= cfg->ram[b].start &&
		    m->size <= cfg->ram[b].size &&
		    m->start - cfg->ram[b].start <= cfg->ram[b].size - m->size)
			return true;
	return false;
}

/**
 * bootcfg_add_reserved() - keep a range out of the domains' RAM
 * @cfg: the configuration
 * @e: where the reason of a failure goes
 * @r: the range (a boot module, a disk image)
 *
 * bootcfg_parse() checks later that no two reserved ranges overlap. The
 * last slot of @cfg->reserved is left for the boot device tree.
 *
 * Return: 0, or -1 when the other MAX_RESERVED - 1 slots are taken.
 */
int bootcfg_add_reserved(struct bootcfg *cfg, struct perr *e,
			 const struct mem_range *r)
{
	if (cfg->nr_reserved >= MAX_RESERVED - 1)
		return bootcfg_fail(e, "too many boot modules and disk images (max %d)",
				    MAX_RESERVED - 1);
	cfg->reserved[cfg->nr_reserved++] = *r;
	return 0;
}
