/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Boot configuration: what the device tree QEMU (or a bootloader) passes
 * in x0 asks minixen to run. Same input as Xen: /chosen multiboot modules
 * for dom0 (QEMU guest-loader) and dom0less "xen,domain" nodes.
 * Pure code: builds on the host for unit tests.
 */
#ifndef MINIXEN_BOOTCFG_H
#define MINIXEN_BOOTCFG_H

#include <minixen/config.h>
#include <minixen/dmaprofile.h>
#include <minixen/lib.h>

#define MAX_RAM_BANKS	4
/* PV disks ("minixen,vbd" nodes) of one domain */
#define MAX_VBDS	4
/* PV network interfaces ("minixen,vif" nodes) of one domain */
#define MAX_VIFS	4
/* Boot modules, disk images, and the boot device tree (arch/arm64/main.c) */
#define MAX_RESERVED	(MAX_MODULES + MAX_DOMAINS * MAX_VBDS + 1)
#define NAME_LEN	32
#define CMDLINE_LEN	1024

struct mem_range {
	u64 start;
	u64 size;
};

/*
 * A PV disk of a domain: an image in RAM that QEMU's -device loader put
 * there (core/bootcfg_vbd.c, Documentation/minixen.md "PV disks").
 */
struct vbdcfg {
	u32 devid;		/* "virtual-device": xenstore's device/vbd/<devid> */
	struct mem_range image;	/* "reg": 4 KiB aligned, in RAM, reserved */
	u32 sector_size;	/* "sector-size": 512 (default) or 4096 */
	bool readonly;		/* "mode" = "r" (else "w") */
};

/*
 * A PV network interface of a domain, plugged into minixen's switch
 * (core/bootcfg_vif.c, Documentation/minixen.md "PV network interfaces").
 */
struct vifcfg {
	u32 handle;		/* "handle": xenstore's device/vif/<handle> */
	u8 mac[6];		/* "mac": unicast, not all-zero */
};

struct domcfg {
	char name[NAME_LEN];
	u32 nr_vcpus;
	u64 mem_size;			/* bytes */
	struct mem_range kernel;
	struct mem_range ramdisk;	/* size 0: none */
	char bootargs[CMDLINE_LEN];
	bool direct_map;		/* guest-physical == host-physical */
	bool is_dom0;
	/*
	 * Xen-aware: gets the /hypervisor node. "xen,enhanced" in its
	 * dom0less node ("enabled", "no-xenstore" or empty: yes;
	 * "disabled": no); without it, only the first domain is.
	 */
	bool xen_aware;
	bool xen_aware_set;	/* "xen,enhanced" said which */
	bool no_xenstore;	/* "xen,enhanced" = "no-xenstore" */
	/*
	 * How the DMA engine of a 1:1 domain sees its memory:
	 * "minixen,dma-profile" (identity|rpi4|multi|custom, default
	 * identity) and, for custom, "minixen,dma-ranges" = <bus cpu size>
	 * triples of 64-bit values; dom0_dma_profile= for dom0.
	 */
	struct dma_profile dma;
	bool dma_set;		/* the boot configuration chose one */
	struct vbdcfg vbd[MAX_VBDS];
	u32 nr_vbds;
	struct vifcfg vif[MAX_VIFS];
	u32 nr_vifs;
};

struct bootcfg {
	struct mem_range ram[MAX_RAM_BANKS];
	int nr_ram;
	u64 uart_base;
	u64 gicd_base;
	u64 gicr_base;
	u64 gicr_size;
	u32 nr_pcpus;
	u64 mpidr[MAX_PCPUS];
	char cmdline[CMDLINE_LEN];
	int log_level;
	/*
	 * Regions never given to a domain as RAM: the boot modules (needed
	 * until the domains are built) and the disk images (for good).
	 */
	struct mem_range reserved[MAX_RESERVED];
	int nr_reserved;
	int nr_doms;
	struct domcfg dom[MAX_DOMAINS];
};

/* What minixen booted with (arch/arm64/main.c). */
extern struct bootcfg boot_cfg;

/*
 * Parse @fdt into @cfg. Returns 0, or -1 with a one-line reason in @err.
 * Memory sizes are checked against RAM later, when it is allocated.
 */
int bootcfg_parse(const void *fdt, struct bootcfg *cfg, char *err,
		  size_t errlen);

/* "512M", "1G", "65536K", "4096" (bytes) -> bytes; 0 on a bad string. */
u64 bootcfg_parse_size(const char *s, const char **end);

/* Value of "key=" on a command line, copied to @buf; false if absent. */
bool bootcfg_cmdline_get(const char *cmdline, const char *key, char *buf,
			 size_t len);

/*
 * What the boot configuration asks cannot be done: say why, on one line
 * the tests look for, and power the machine off (arch/arm64/main.c).
 */
void bad_config(const char *fmt, ...) __printf(1, 2) __noreturn;

#endif
