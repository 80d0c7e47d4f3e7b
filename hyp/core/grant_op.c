// SPDX-License-Identifier: GPL-2.0-only
/*
 * HYPERVISOR_grant_table_op: reads each argument from the guest once,
 * answers as Xen does, writes back what Xen writes back.
 *
 * Batched ops (map, unmap, copy) handle at most GNT_BATCH entries per
 * call and then return how many they did, for the caller to continue the
 * hypercall the way Xen's continuations do. Not implemented (-ENOSYS):
 * dump_table, transfer, unmap_and_replace (Xen on Arm: -ENOSYS too),
 * swap_grant_ref, cache_flush; version 2 (set_version(2): -ENOSYS, as
 * Xen built with v1 only).
 */
#include "grant_priv.h"

typedef void (*gnt_one_fn)(struct gnt_dom *d, void *op);

static void map_one(struct gnt_dom *d, void *op)
{
	gnt_map_one(d, op);
}

static void unmap_one(struct gnt_dom *d, void *op)
{
	gnt_unmap_one(d, op);
}

static void copy_one(struct gnt_dom *d, void *op)
{
	gnt_copy_one(d, op);
}

size_t gnttab_op_size(u32 cmd)
{
	switch (cmd) {
	case GNTTABOP_map_grant_ref:
		return sizeof(struct gnttab_map_grant_ref);
	case GNTTABOP_unmap_grant_ref:
		return sizeof(struct gnttab_unmap_grant_ref);
	case GNTTABOP_copy:
		return sizeof(struct gnttab_copy);
	default:
		return 0;
	}
}

/* A single-entry op's argument: 0, -EINVAL (count != 1) or -EFAULT. */
static long read_one(const struct gnt_guest *g, u64 uop, u32 count,
		     void *op, size_t len)
{
	if (count != 1)
		return -GNT_EINVAL;
	if (g->copy_from(g->ctx, op, uop, len))
		return -GNT_EFAULT;
	return 0;
}

/* Write [@off, @off + @len) of @op back to the guest: 0 or -EFAULT. */
static long write_back(const struct gnt_guest *g, u64 uop, const void *op,
		       size_t off, size_t len)
{
	if (g->copy_to(g->ctx, uop + off, (const u8 *)op + off, len))
		return -GNT_EFAULT;
	return 0;
}

/* Up to GNT_BATCH entries; writes back [@out, @out + @out_len) of each. */
static long batch(struct gnt_dom *d, u64 uop, u32 count,
		  const struct gnt_guest *g, size_t size, size_t out,
		  size_t out_len, gnt_one_fn fn)
{
	u64 buf[sizeof(struct gnttab_copy) / sizeof(u64)];
	u32 i;

	for (i = 0; i < count; i++) {
		u64 p = uop + (u64)i * size;

		if (i == GNT_BATCH)
			return i;
		if (g->copy_from(g->ctx, buf, p, size))
			return -GNT_EFAULT;
		fn(d, buf);
		if (write_back(g, p, buf, out, out_len))
			return -GNT_EFAULT;
	}
	return 0;
}

/* The domain @dom names for @d's query or setup: GNTST_* */
static int target(struct gnt_dom *d, u16 dom, struct gnt_dom **td)
{
	*td = gnt_dom_get(d, dom, true);
	if (!*td)
		return GNTST_bad_domain;
	if (*td != d && !d->priv)
		return GNTST_permission_denied;
	return GNTST_okay;
}

static long setup_table(struct gnt_dom *d, u64 uop, u32 count,
			const struct gnt_guest *g)
{
	struct gnttab_setup_table op;
	u64 gfn[GNT_MAX_FRAMES];
	struct gnt_dom *td;
	long rc = read_one(g, uop, count, &op, sizeof(op));
	u32 i;

	if (rc)
		return rc;
	op.status = GNTST_general_error;
	if (op.nr_frames > GNT_MAX_FRAMES)
		goto out;
	op.status = target(d, op.dom, &td);
	if (op.status)
		goto out;
	spin_lock(&td->lock);
	if (op.nr_frames > td->nr_frames && gnt_grow(td, op.nr_frames))
		op.status = GNTST_general_error;
	for (i = 0; !op.status && i < op.nr_frames; i++)
		gfn[i] = td->frame_gfn[i];
	spin_unlock(&td->lock);
	for (i = 0; !op.status && i < op.nr_frames; i++)
		if (g->copy_to(g->ctx, op.frame_list + i * sizeof(u64),
			       &gfn[i], sizeof(u64)))
			op.status = GNTST_bad_virt_addr;
out:
	return write_back(g, uop, &op, offsetof(struct gnttab_setup_table,
						 status), sizeof(op.status));
}

static long query_size(struct gnt_dom *d, u64 uop, u32 count,
		       const struct gnt_guest *g)
{
	struct gnttab_query_size op;
	long rc = read_one(g, uop, count, &op, sizeof(op));
	struct gnt_dom *td;

	if (rc)
		return rc;
	op.status = target(d, op.dom, &td);
	if (!op.status) {
		spin_lock(&td->lock);
		op.nr_frames = td->nr_frames;
		op.max_nr_frames = td->max_frames;
		spin_unlock(&td->lock);
	}
	return write_back(g, uop, &op, 0, sizeof(op));
}

static long set_version(struct gnt_dom *d, u64 uop,
			const struct gnt_guest *g)
{
	struct gnttab_set_version op;
	long rc = read_one(g, uop, 1, &op, sizeof(op));

	if (rc)
		return rc;
	if (op.version != 1 && op.version != 2)
		rc = -GNT_EINVAL;
	else if (op.version == 2)
		rc = -GNT_ENOSYS;
	op.version = d->version;
	return write_back(g, uop, &op, 0, sizeof(op)) ?: rc;
}

static long get_version(struct gnt_dom *d, u64 uop,
			const struct gnt_guest *g)
{
	struct gnttab_get_version op;
	long rc = read_one(g, uop, 1, &op, sizeof(op));
	struct gnt_dom *td;

	if (rc)
		return rc;
	switch (target(d, op.dom, &td)) {
	case GNTST_okay:
		break;
	case GNTST_bad_domain:
		return -GNT_ESRCH;
	default:
		return -GNT_EPERM;
	}
	op.version = td->version;
	return write_back(g, uop, &op, offsetof(struct gnttab_get_version,
						 version), sizeof(op.version));
}

/* Version 1 has no status frames: asking for any is an error. */
static long get_status_frames(struct gnt_dom *d, u64 uop, u32 count,
			      const struct gnt_guest *g)
{
	struct gnttab_get_status_frames op;
	long rc = read_one(g, uop, count, &op, sizeof(op));
	struct gnt_dom *td;

	if (rc)
		return rc;
	op.status = target(d, op.dom, &td);
	if (!op.status && op.nr_frames)
		op.status = GNTST_general_error;
	return write_back(g, uop, &op,
			  offsetof(struct gnttab_get_status_frames, status),
			  sizeof(op.status));
}

long gnttab_op(struct gnt_dom *d, u32 cmd, u64 uop, u32 count,
	       const struct gnt_guest *g)
{
	size_t size = gnttab_op_size(cmd);

	if ((int)count < 0 || (cmd & ~GNTTABOP_CMD_MASK))
		return -GNT_EINVAL;
	switch (cmd) {
	case GNTTABOP_map_grant_ref:
		return batch(d, uop, count, g, size, 0, size, map_one);
	case GNTTABOP_unmap_grant_ref:
		return batch(d, uop, count, g, size,
			     offsetof(struct gnttab_unmap_grant_ref, status),
			     sizeof(s16), unmap_one);
	case GNTTABOP_copy:
		return batch(d, uop, count, g, size,
			     offsetof(struct gnttab_copy, status),
			     sizeof(s16), copy_one);
	case GNTTABOP_setup_table:
		return setup_table(d, uop, count, g);
	case GNTTABOP_query_size:
		return query_size(d, uop, count, g);
	case GNTTABOP_set_version:
		return set_version(d, uop, g);
	case GNTTABOP_get_version:
		return get_version(d, uop, g);
	case GNTTABOP_get_status_frames:
		return get_status_frames(d, uop, count, g);
	default:
		return -GNT_ENOSYS;
	}
}
