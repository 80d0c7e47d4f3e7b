// SPDX-License-Identifier: GPL-2.0-only
/*
 * Boot configuration parsing: host memory, CPUs, console, GIC, and the
 * domains to build, from the device tree minixen was booted with.
 */
#include "bootcfg_priv.h"

u64 bootcfg_parse_size(const char *s, const char **end)
{
	char *e;
	u64 v;

	if (*s < '0' || *s > '9')
		return 0;
	v = strtoul(s, &e, 0);
	switch (*e) {
	case 'G':
	case 'g':
		v <<= 10;
		fallthrough;
	case 'M':
	case 'm':
		v <<= 10;
		fallthrough;
	case 'K':
	case 'k':
		v <<= 10;
		e++;
		break;
	default:
		break;
	}
	if (end)
		*end = e;
	return v;
}

bool bootcfg_cmdline_get(const char *cmdline, const char *key, char *buf,
			 size_t len)
{
	size_t klen = strlen(key);
	const char *p = cmdline;
	size_t n;

	while (p && *p) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, key, klen) && p[klen] == '=') {
			p += klen + 1;
			for (n = 0; p[n] && p[n] != ' ' && n + 1 < len; n++)
				buf[n] = p[n];
			buf[n] = '\0';
			return true;
		}
		p = strchr(p, ' ');
	}
	return false;
}

enum mod_kind { MOD_NONE, MOD_KERNEL, MOD_RAMDISK, MOD_OTHER };

static enum mod_kind module_kind(const void *fdt, int node)
{
	if (!fdt_node_check_compatible(fdt, node, "multiboot,kernel") ||
	    !fdt_node_check_compatible(fdt, node, "xen,linux-zimage"))
		return MOD_KERNEL;
	if (!fdt_node_check_compatible(fdt, node, "multiboot,ramdisk") ||
	    !fdt_node_check_compatible(fdt, node, "xen,linux-initrd"))
		return MOD_RAMDISK;
	if (!fdt_node_check_compatible(fdt, node, "multiboot,module"))
		return MOD_OTHER;
	return MOD_NONE;
}

/* Take module @node (child of @parent) into domain @d. */
static int take_module(const void *fdt, int parent, int node,
		       struct bootcfg *cfg, struct domcfg *d, struct perr *e)
{
	enum mod_kind kind = module_kind(fdt, node);
	const char *name = fdt_get_name(fdt, node, NULL);
	struct mem_range r;
	const char *args;

	if (kind == MOD_NONE)
		return 0;
	if (bootcfg_read_reg(fdt, node, parent, 0, &r) || !r.size)
		return bootcfg_fail(e, "%s: module %s has no usable reg", d->name, name);
	/* Untyped modules: the first is the kernel, the next the ramdisk. */
	if (kind == MOD_OTHER)
		kind = d->kernel.size ? MOD_RAMDISK : MOD_KERNEL;
	if (kind == MOD_KERNEL) {
		if (d->kernel.size)
			return bootcfg_fail(e, "%s: more than one kernel module", d->name);
		d->kernel = r;
		args = fdt_getprop(fdt, node, "bootargs", NULL);
		if (args)
			bootcfg_copy_str(d->bootargs, sizeof(d->bootargs), args);
	} else {
		if (d->ramdisk.size)
			return bootcfg_fail(e, "%s: more than one ramdisk module", d->name);
		d->ramdisk = r;
	}
	return bootcfg_add_reserved(cfg, e, &r);
}

/* A child of a domain's node: a module, a disk, an interface, or ignored. */
static int take_child(const void *fdt, int parent, int node,
		      struct bootcfg *cfg, struct domcfg *d, struct perr *e)
{
	if (!fdt_node_check_compatible(fdt, node, "minixen,vbd"))
		return bootcfg_parse_vbd(fdt, parent, node, cfg, d, e);
	if (!fdt_node_check_compatible(fdt, node, "minixen,vif"))
		return bootcfg_parse_vif(fdt, node, cfg, d, e);
	return take_module(fdt, parent, node, cfg, d, e);
}

#define MAX_DOMAIN_KIB	0x100000000ULL	/* 4 TiB, so that KiB << 10 fits */

/* "xen,enhanced", as Xen's dom0less reads it, plus "disabled". */
static int parse_enhanced(const void *fdt, int node, struct domcfg *d,
			  struct perr *e)
{
	const char *p;
	int len;

	p = fdt_getprop(fdt, node, "xen,enhanced", &len);
	if (!p)
		return 0;
	d->xen_aware_set = true;
	if (!len) {
		d->xen_aware = true;
		return 0;
	}
	if (p[len - 1] != '\0')
		goto bad;
	if (!*p || !strcmp(p, "enabled") || !strcmp(p, "no-xenstore")) {
		d->xen_aware = true;
		d->no_xenstore = *p == 'n';
		return 0;
	}
	if (!strcmp(p, "disabled"))
		return 0;
bad:
	return bootcfg_fail(e, "%s: bad \"xen,enhanced\" (enabled|no-xenstore|disabled)",
		    d->name);
}

#define DMA_RANGE_CELLS	6	/* bus, cpu, size: two cells each */

static int set_dma_profile(struct domcfg *d, const char *name,
			   struct perr *e)
{
	if (dma_profile_set(&d->dma, name))
		return bootcfg_fail(e, "%s: bad DMA profile \"%s\" (identity|rpi4|multi|custom)",
			    d->name, name);
	d->dma_set = true;
	return 0;
}

/* "minixen,dma-profile" and "minixen,dma-ranges"; checked later. */
static int parse_dma(const void *fdt, int node, struct domcfg *d,
		     struct perr *e)
{
	const fdt32_t *c;
	const char *p;
	int len, i, n;

	p = fdt_getprop(fdt, node, "minixen,dma-profile", &len);
	if (p && (len < 1 || p[len - 1] != '\0'))
		return bootcfg_fail(e, "%s: bad \"minixen,dma-profile\"", d->name);
	if (p && set_dma_profile(d, p, e))
		return -1;
	c = fdt_getprop(fdt, node, "minixen,dma-ranges", &len);
	if (!c)
		return 0;
	if (d->dma.id != DMA_PROFILE_CUSTOM)
		return bootcfg_fail(e, "%s: \"minixen,dma-ranges\" without profile \"custom\"",
			    d->name);
	n = len / (DMA_RANGE_CELLS * 4);
	if (len <= 0 || len % (DMA_RANGE_CELLS * 4))
		return bootcfg_fail(e, "%s: \"minixen,dma-ranges\" is not 64-bit <bus cpu size>",
			    d->name);
	if (n > DMA_PROFILE_MAX_RANGES)
		return bootcfg_fail(e, "%s: bad DMA ranges: %d ranges, at most %d",
			    d->name, n, DMA_PROFILE_MAX_RANGES);
	for (i = 0; i < n; i++, c += DMA_RANGE_CELLS) {
		d->dma.range[i].bus_start = bootcfg_read_cells(c, 2);
		d->dma.range[i].cpu_start = bootcfg_read_cells(c + 2, 2);
		d->dma.range[i].size = bootcfg_read_cells(c + 4, 2);
	}
	d->dma.nr = n;
	return 0;
}

static int parse_domu(const void *fdt, int node, struct bootcfg *cfg,
		      struct perr *e)
{
	struct domcfg *d;
	const char *args;
	u64 v;
	int sub;

	if (cfg->nr_doms >= MAX_DOMAINS)
		return bootcfg_fail(e, "too many domains (max %d)", MAX_DOMAINS);
	d = &cfg->dom[cfg->nr_doms++];
	bootcfg_copy_str(d->name, sizeof(d->name), fdt_get_name(fdt, node, NULL));
	if (bootcfg_read_num(fdt, node, "cpus", &v))
		return bootcfg_fail(e, "%s: missing or bad \"cpus\"", d->name);
	d->nr_vcpus = v;
	if (bootcfg_read_num(fdt, node, "memory", &v) || v > MAX_DOMAIN_KIB)
		return bootcfg_fail(e, "%s: missing or bad \"memory\" (KiB)", d->name);
	d->mem_size = v << 10;
	d->direct_map = !!fdt_getprop(fdt, node, "direct-map", NULL);
	if (parse_enhanced(fdt, node, d, e) || parse_dma(fdt, node, d, e))
		return -1;
	args = fdt_getprop(fdt, node, "bootargs", NULL);
	if (args)
		bootcfg_copy_str(d->bootargs, sizeof(d->bootargs), args);
	fdt_for_each_subnode(sub, fdt, node)
		if (take_child(fdt, node, sub, cfg, d, e))
			return -1;
	return 0;
}

static int parse_chosen(const void *fdt, struct bootcfg *cfg, struct perr *e)
{
	int chosen, node, first_domu;
	struct domcfg *dom0;
	const char *s;
	char buf[32];
	const char *cend;
	char *end;
	u64 n;

	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen < 0)
		return bootcfg_fail(e, "no /chosen node: nothing to boot");
	s = fdt_getprop(fdt, chosen, "xen,xen-bootargs", NULL);
	if (!s)
		s = fdt_getprop(fdt, chosen, "bootargs", NULL);
	if (s)
		bootcfg_copy_str(cfg->cmdline, sizeof(cfg->cmdline), s);

	/* dom0: modules and disks directly under /chosen. */
	dom0 = &cfg->dom[0];
	bootcfg_copy_str(dom0->name, sizeof(dom0->name), "dom0");
	fdt_for_each_subnode(node, fdt, chosen)
		if (take_child(fdt, chosen, node, cfg, dom0, e))
			return -1;
	if (dom0->ramdisk.size && !dom0->kernel.size)
		return bootcfg_fail(e, "dom0: ramdisk module without a kernel module");
	if (dom0->nr_vbds && !dom0->kernel.size)
		return bootcfg_fail(e, "dom0: vbd nodes in /chosen without a kernel module");
	if (dom0->nr_vifs && !dom0->kernel.size)
		return bootcfg_fail(e, "dom0: vif nodes in /chosen without a kernel module");
	if (dom0->kernel.size) {
		cfg->nr_doms = 1;
		dom0->is_dom0 = true;
		dom0->direct_map = true;
		dom0->nr_vcpus = cfg->nr_pcpus;
		dom0->mem_size = 512UL << 20;
		if (bootcfg_cmdline_get(cfg->cmdline, "dom0_max_vcpus", buf,
					sizeof(buf))) {
			n = strtoul(buf, &end, 0);
			if (*end || !*buf || n > MAX_VCPUS)
				return bootcfg_fail(e, "bad dom0_max_vcpus=%s (1..%d)",
					    buf, MAX_VCPUS);
			dom0->nr_vcpus = n;
		}
		if (bootcfg_cmdline_get(cfg->cmdline, "dom0_mem", buf,
					sizeof(buf))) {
			dom0->mem_size = bootcfg_parse_size(buf, &cend);
			if (!dom0->mem_size || *cend)
				return bootcfg_fail(e, "bad dom0_mem=%s", buf);
		}
		if (bootcfg_cmdline_get(cfg->cmdline, "dom0_dma_profile", buf,
					sizeof(buf)) &&
		    set_dma_profile(dom0, buf, e))
			return -1;
	} else {
		memset(dom0, 0, sizeof(*dom0));
	}

	first_domu = cfg->nr_doms;
	fdt_for_each_subnode(node, fdt, chosen)
		if (!fdt_node_check_compatible(fdt, node, "xen,domain") &&
		    parse_domu(fdt, node, cfg, e))
			return -1;
	/* Without a dom0 the first domain is the 1:1 one, as dom0 would be. */
	if (!first_domu && cfg->nr_doms)
		cfg->dom[0].direct_map = true;
	/* ...and the Xen-aware one, unless its node says otherwise. */
	if (cfg->nr_doms && !cfg->dom[0].xen_aware_set)
		cfg->dom[0].xen_aware = true;
	return 0;
}

static int parse_hw(const void *fdt, struct bootcfg *cfg, struct perr *e)
{
	struct mem_range r;
	const char *path;
	int node, cpus, len;

	fdt_for_each_subnode(node, fdt, 0) {
		const char *t = fdt_getprop(fdt, node, "device_type", NULL);
		int i;

		if (!t || strcmp(t, "memory"))
			continue;
		for (i = 0; !bootcfg_read_reg(fdt, node, 0, i, &r); i++) {
			if (!r.size)
				continue;
			if (cfg->nr_ram >= MAX_RAM_BANKS)
				break;
			cfg->ram[cfg->nr_ram++] = r;
		}
	}
	if (!cfg->nr_ram)
		return bootcfg_fail(e, "no memory node in the device tree");

	cpus = fdt_path_offset(fdt, "/cpus");
	if (cpus < 0)
		return bootcfg_fail(e, "no /cpus node in the device tree");
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *t = fdt_getprop(fdt, node, "device_type", NULL);

		if (!t || strcmp(t, "cpu"))
			continue;
		if (cfg->nr_pcpus >= MAX_PCPUS)
			break;
		if (bootcfg_read_reg(fdt, node, cpus, 0, &r) &&
		    bootcfg_cells(fdt, cpus, "#size-cells", 0) == 0) {
			const fdt32_t *p = fdt_getprop(fdt, node, "reg", &len);

			if (!p || len < 4)
				return bootcfg_fail(e, "cpu node without reg");
			r.start = bootcfg_read_cells(p, len / 4 > 2 ? 2 : len / 4);
		}
		cfg->mpidr[cfg->nr_pcpus++] = r.start;
	}
	if (!cfg->nr_pcpus)
		return bootcfg_fail(e, "no cpu nodes in the device tree");

	node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	if (node < 0)
		return bootcfg_fail(e, "no GICv3 in the device tree (need gic-version=3)");
	if (bootcfg_read_reg(fdt, node, fdt_parent_offset(fdt, node), 0, &r))
		return bootcfg_fail(e, "GICv3 node without distributor reg");
	cfg->gicd_base = r.start;
	if (bootcfg_read_reg(fdt, node, fdt_parent_offset(fdt, node), 1, &r))
		return bootcfg_fail(e, "GICv3 node without redistributor reg");
	cfg->gicr_base = r.start;
	cfg->gicr_size = r.size;

	node = -1;
	path = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"),
			   "stdout-path", NULL);
	if (path) {
		char p[64];
		const char *colon = strchr(path, ':');
		size_t n = colon ? (size_t)(colon - path) : strlen(path);

		if (n < sizeof(p)) {
			memcpy(p, path, n);
			p[n] = '\0';
			node = fdt_path_offset(fdt, p);
		}
	}
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl011");
	if (node >= 0 &&
	    !bootcfg_read_reg(fdt, node, fdt_parent_offset(fdt, node), 0, &r))
		cfg->uart_base = r.start;
	return 0;
}

static int check_domain(const struct bootcfg *cfg, const struct domcfg *d,
			struct perr *e)
{
	const char *why;
	int i;

	if (!d->kernel.size)
		return bootcfg_fail(e, "%s: no kernel module", d->name);
	if (!d->nr_vcpus || d->nr_vcpus > MAX_VCPUS)
		return bootcfg_fail(e, "%s: %u vCPUs, must be 1..%d", d->name, d->nr_vcpus,
		     MAX_VCPUS);
	if (d->mem_size < (16UL << 20))
		return bootcfg_fail(e, "%s: memory %llu KiB is below the 16 MiB minimum",
		     d->name, (unsigned long long)(d->mem_size >> 10));
	if (d->mem_size & (SZ_2M - 1))
		return bootcfg_fail(e, "%s: memory %llu KiB is not a multiple of 2 MiB",
		     d->name, (unsigned long long)(d->mem_size >> 10));
	if (d->dma_set && !d->direct_map)
		return bootcfg_fail(e, "%s: a DMA profile needs a 1:1 domain (direct-map)",
			    d->name);
	if (d->dma.id == DMA_PROFILE_CUSTOM && !d->dma.nr)
		return bootcfg_fail(e, "%s: DMA profile \"custom\" without \"minixen,dma-ranges\"",
			    d->name);
	why = dma_profile_check(&d->dma);
	if (why)
		return bootcfg_fail(e, "%s: bad DMA ranges: %s", d->name, why);
	for (i = 0; i < 2; i++) {
		const struct mem_range *m = i ? &d->ramdisk : &d->kernel;

		if (m->size && !bootcfg_in_ram(cfg, m))
			return bootcfg_fail(e, "%s: %s module at 0x%llx+0x%llx is outside RAM",
					    d->name, i ? "ramdisk" : "kernel",
					    (unsigned long long)m->start,
					    (unsigned long long)m->size);
	}
	/* Its backend speaks through xenstore (Documentation/minixen.md). */
	if (d->nr_vbds && (!d->xen_aware || d->no_xenstore))
		return bootcfg_fail(e, "%s: vbd nodes need a Xen-aware domain with xenstore",
				    d->name);
	if (d->nr_vifs && (!d->xen_aware || d->no_xenstore))
		return bootcfg_fail(e, "%s: vif nodes need a Xen-aware domain with xenstore",
				    d->name);
	return 0;
}

int bootcfg_parse(const void *fdt, struct bootcfg *cfg, char *err,
		  size_t errlen)
{
	struct perr e = { err, errlen };
	char buf[16];
	int i, j;

	memset(cfg, 0, sizeof(*cfg));
	cfg->log_level = LOG_INFO;
	if (fdt_check_header(fdt))
		return bootcfg_fail(&e, "no valid device tree in x0");
	if (parse_hw(fdt, cfg, &e) || parse_chosen(fdt, cfg, &e))
		return -1;
	if (bootcfg_cmdline_get(cfg->cmdline, "loglvl", buf, sizeof(buf))) {
		if (!strcmp(buf, "error") || !strcmp(buf, "none"))
			cfg->log_level = LOG_ERR;
		else if (!strcmp(buf, "warn") || !strcmp(buf, "warning"))
			cfg->log_level = LOG_WARN;
		else if (!strcmp(buf, "info"))
			cfg->log_level = LOG_INFO;
		else if (!strcmp(buf, "debug") || !strcmp(buf, "all"))
			cfg->log_level = LOG_DEBUG;
		else
			return bootcfg_fail(&e, "bad loglvl=%s (error|warn|info|debug)", buf);
	}
	if (!cfg->nr_doms)
		return bootcfg_fail(&e, "no domain to boot: %s",
			    "need a multiboot,kernel module in /chosen or a xen,domain node");
	for (i = 0; i < cfg->nr_doms; i++) {
		if (check_domain(cfg, &cfg->dom[i], &e))
			return -1;
		for (j = 0; j < i; j++)
			if (!strcmp(cfg->dom[i].name, cfg->dom[j].name))
				return bootcfg_fail(&e, "two domains named %s",
				     cfg->dom[i].name);
	}
	for (i = 0; i < cfg->nr_reserved; i++)
		for (j = 0; j < i; j++) {
			const struct mem_range *a = &cfg->reserved[i];
			const struct mem_range *b = &cfg->reserved[j];

			if (a->start < b->start + b->size &&
			    b->start < a->start + a->size)
				return bootcfg_fail(&e, "boot modules at 0x%llx and 0x%llx overlap",
				     (unsigned long long)a->start,
				     (unsigned long long)b->start);
		}
	return 0;
}
