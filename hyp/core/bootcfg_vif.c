// SPDX-License-Identifier: GPL-2.0-only
/*
 * Boot configuration: a domain's PV network interfaces. Each is a
 * "minixen,vif" child of its domain node (of /chosen for dom0):
 *
 *	vif@0 {
 *		compatible = "minixen,vif";
 *		mac = [02 00 00 00 00 01];	// unicast, not all-zero
 *		handle = <0>;			// optional: lowest unused
 *	};
 *
 * minixen's network backend serves it to the domain and plugs it into
 * its switch (Documentation/minixen.md, "PV network interfaces").
 * Everything is checked here, so that the backend may trust it.
 */
#include "bootcfg_priv.h"

/* Linux reads "handle" (the devid) as an int. */
#define VIF_MAX_HANDLE	0x7fffffffU

static bool handle_used(const struct domcfg *d, u64 h)
{
	u32 i;

	for (i = 0; i < d->nr_vifs; i++)
		if (d->vif[i].handle == h)
			return true;
	return false;
}

/*
 * The domain that has @mac already, if any: bootcfg_parse() zeroes
 * @cfg, so the domains not parsed yet have no interface.
 */
static const char *mac_owner(const struct bootcfg *cfg, const u8 *mac)
{
	const struct domcfg *d;
	u32 i;
	int n;

	for (n = 0; n < MAX_DOMAINS; n++) {
		d = &cfg->dom[n];
		for (i = 0; i < d->nr_vifs; i++)
			if (!memcmp(d->vif[i].mac, mac, 6))
				return d->name;
	}
	return NULL;
}

/**
 * bootcfg_parse_vif() - take a "minixen,vif" node into a domain
 * @fdt: the device tree
 * @node: the vif node
 * @cfg: the configuration, the domains before @d parsed
 * @d: the domain
 * @e: where the reason of a failure goes
 *
 * Checks what the backend relies on: at most MAX_VIFS per domain, a
 * "mac" of 6 bytes, neither multicast nor all-zero nor another
 * interface's, a "handle" of its own (0..0x7fffffff; if left out, the
 * lowest one not used yet).
 *
 * Return: 0, or -1 with a one-line reason naming the domain and node.
 */
int bootcfg_parse_vif(const void *fdt, int node, struct bootcfg *cfg,
		      struct domcfg *d, struct perr *e)
{
	const char *name = fdt_get_name(fdt, node, NULL), *owner;
	struct vifcfg *v;
	const u8 *mac;
	u64 h = 0;
	int len;

	if (d->nr_vifs >= MAX_VIFS)
		return bootcfg_fail(e, "%s: more than %d vif nodes", d->name,
				    MAX_VIFS);
	v = &d->vif[d->nr_vifs];
	mac = fdt_getprop(fdt, node, "mac", &len);
	if (!mac || len != 6)
		return bootcfg_fail(e, "%s: %s: missing or bad \"mac\" (6 bytes)",
				    d->name, name);
	if ((mac[0] & 1) || !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
		return bootcfg_fail(e, "%s: %s: \"mac\" is multicast or zero",
				    d->name, name);
	owner = mac_owner(cfg, mac);
	if (owner)
		return bootcfg_fail(e, "%s: %s: mac %02x:%02x:%02x:%02x:%02x:%02x is %s's already",
				    d->name, name, mac[0], mac[1], mac[2],
				    mac[3], mac[4], mac[5], owner);
	if (fdt_getprop(fdt, node, "handle", NULL)) {
		if (bootcfg_read_num(fdt, node, "handle", &h) ||
		    h > VIF_MAX_HANDLE)
			return bootcfg_fail(e, "%s: %s: bad \"handle\"", d->name,
					    name);
		if (handle_used(d, h))
			return bootcfg_fail(e, "%s: %s: handle %u is used twice",
					    d->name, name, (u32)h);
	} else {
		while (handle_used(d, h))
			h++;
	}
	v->handle = h;
	memcpy(v->mac, mac, 6);
	d->nr_vifs++;
	return 0;
}
