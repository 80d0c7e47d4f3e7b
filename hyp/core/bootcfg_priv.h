/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Boot configuration: what the parsers of its parts (bootcfg.c: the
 * machine and the domains; bootcfg_vbd.c: their disks; bootcfg_vif.c:
 * their network interfaces) share, from
 * bootcfg_fdt.c. The calls go one way only: the parsers call
 * bootcfg_fdt.c, bootcfg.c calls bootcfg_vbd.c and
 * bootcfg_vif.c.
 */
#ifndef MINIXEN_BOOTCFG_PRIV_H
#define MINIXEN_BOOTCFG_PRIV_H

#include <libfdt.h>
#include <minixen/bootcfg.h>

/* Where the one-line reason of a bad configuration goes. */
struct perr {
	char *buf;
	size_t len;
};

/* bootcfg_fdt.c: kernel-doc at the definitions */
int bootcfg_fail(struct perr *e, const char *fmt, ...) __printf(2, 3);
int bootcfg_cells(const void *fdt, int node, const char *name, int dflt);
u64 bootcfg_read_cells(const fdt32_t *p, int n);
int bootcfg_read_reg(const void *fdt, int node, int parent, int idx,
		     struct mem_range *r);
int bootcfg_read_num(const void *fdt, int node, const char *name, u64 *v);
void bootcfg_copy_str(char *dst, size_t len, const char *src);
bool bootcfg_in_ram(const struct bootcfg *cfg, const struct mem_range *m);
int bootcfg_add_reserved(struct bootcfg *cfg, struct perr *e,
			 const struct mem_range *r);

/* bootcfg_vbd.c */
int bootcfg_parse_vbd(const void *fdt, int parent, int node,
		      struct bootcfg *cfg, struct domcfg *d, struct perr *e);

/* bootcfg_vif.c */
int bootcfg_parse_vif(const void *fdt, int node, struct bootcfg *cfg,
		      struct domcfg *d, struct perr *e);

#endif
