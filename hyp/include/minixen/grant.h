/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Grant tables, version 1 (Xen's public grant_table.h ABI).
 *
 * A domain's grant table is up to GNT_MAX_FRAMES pages of 8-byte
 * grant_entry_v1 entries that the domain itself writes (the frames are
 * mapped into its stage 2 by memory_op add_to_physmap). Another domain
 * maps or copies a granted frame through the hypercall; minixen keeps, per
 * entry, the pins it holds (reflected to the guest by GTF_reading and
 * GTF_writing) and, per mapping domain, a maptrack table of its mappings
 * (the handle the guest unmaps by).
 *
 * Locking: each domain's @lock protects its table, active entries and
 * maptrack, and is also the lock under which its stage 2 changes: code
 * that calls s2_map/s2_unmap on a domain with a grant table (memory_op)
 * must hold it. No path holds two of these locks at once.
 */
#ifndef MINIXEN_GRANT_H
#define MINIXEN_GRANT_H

#include <minixen/lib.h>
#include <minixen/s2.h>
#include <minixen/xen_abi.h>	/* DOMID_SELF */

/* ---- ABI: the structures and constants of xen/grant_table.h (arm64) ---- */

struct grant_entry_v1 {
	u16 flags;		/* GTF_* */
	u16 domid;		/* the domain allowed to use the entry */
	u32 frame;		/* the granter's guest frame number */
};

#define GNTTAB_NR_RESERVED_ENTRIES	8

#define GTF_invalid		0x0000U
#define GTF_permit_access	0x0001U
#define GTF_accept_transfer	0x0002U
#define GTF_transitive		0x0003U
#define GTF_type_mask		0x0003U
#define GTF_readonly		0x0004U
#define GTF_reading		0x0008U
#define GTF_writing		0x0010U
#define GTF_PWT			0x0020U
#define GTF_PCD			0x0040U
#define GTF_PAT			0x0080U
#define GTF_sub_page		0x0100U

#define GNTTABOP_map_grant_ref		0
#define GNTTABOP_unmap_grant_ref	1
#define GNTTABOP_setup_table		2
#define GNTTABOP_dump_table		3
#define GNTTABOP_transfer		4
#define GNTTABOP_copy			5
#define GNTTABOP_query_size		6
#define GNTTABOP_unmap_and_replace	7
#define GNTTABOP_set_version		8
#define GNTTABOP_get_status_frames	9
#define GNTTABOP_get_version		10
#define GNTTABOP_swap_grant_ref		11
#define GNTTABOP_cache_flush		12
/* Xen keeps continuation state above the command's low 12 bits. */
#define GNTTABOP_CMD_MASK		0xfffU

#define GNTMAP_device_map	BIT(0)
#define GNTMAP_host_map		BIT(1)
#define GNTMAP_readonly		BIT(2)
#define GNTMAP_application_map	BIT(3)
#define GNTMAP_contains_pte	BIT(4)

#define GNTCOPY_source_gref	BIT(0)
#define GNTCOPY_dest_gref	BIT(1)

#define GNTST_okay		0
#define GNTST_general_error	(-1)
#define GNTST_bad_domain	(-2)
#define GNTST_bad_gntref	(-3)
#define GNTST_bad_handle	(-4)
#define GNTST_bad_virt_addr	(-5)
#define GNTST_bad_dev_addr	(-6)
#define GNTST_no_device_space	(-7)
#define GNTST_permission_denied	(-8)
#define GNTST_bad_page		(-9)
#define GNTST_bad_copy_arg	(-10)
#define GNTST_address_too_big	(-11)
#define GNTST_eagain		(-12)
#define GNTST_no_space		(-13)

struct gnttab_map_grant_ref {
	u64 host_addr;		/* IN: the mapper's IPA (GNTMAP_host_map) */
	u32 flags;		/* IN: GNTMAP_* */
	u32 ref;		/* IN */
	u16 dom;		/* IN: the granting domain */
	s16 status;		/* OUT: GNTST_* */
	u32 handle;		/* OUT */
	u64 dev_bus_addr;	/* OUT: the frame's machine address */
};

struct gnttab_unmap_grant_ref {
	u64 host_addr;
	u64 dev_bus_addr;
	u32 handle;
	s16 status;
};

struct gnttab_setup_table {
	u16 dom;
	u32 nr_frames;
	s16 status;
	u64 frame_list;		/* guest handle: u64 frame numbers */
};

struct gnttab_copy_ptr {
	union {
		u32 ref;
		u64 gmfn;
	} u;
	u16 domid;
	u16 offset;
};

struct gnttab_copy {
	struct gnttab_copy_ptr source, dest;
	u16 len;
	u16 flags;		/* GNTCOPY_* */
	s16 status;
};

struct gnttab_query_size {
	u16 dom;
	u32 nr_frames;
	u32 max_nr_frames;
	s16 status;
};

struct gnttab_set_version {
	u32 version;
};

struct gnttab_get_status_frames {
	u32 nr_frames;
	u16 dom;
	s16 status;
	u64 frame_list;
};

struct gnttab_get_version {
	u16 dom;
	u16 pad;
	u32 version;
};

/* ---- minixen's grant-table state ---- */

#define GNT_MAX_FRAMES		32	/* per domain: 16384 v1 entries */
#define GNT_DEFAULT_FRAMES	1	/* allocated when the domain is made */
#define GNT_ENTRIES_PER_FRAME	(4096 / sizeof(struct grant_entry_v1))
#define GNT_MAX_ENTRIES		(GNT_MAX_FRAMES * GNT_ENTRIES_PER_FRAME)
#define GNT_MAX_MAPTRACK	2048	/* mappings a domain may hold */
#define GNT_GFN_NONE		(~0UL)	/* frame not in the guest's physmap */
/* Entries one call to gnttab_op() handles before asking to be continued */
#define GNT_BATCH		64

/* An entry's pins: maps and copies in progress by the domain @domid. */
struct gnt_active {
	u64 pa;			/* the granted frame's machine address */
	u16 pin_r;		/* read-only users */
	u16 pin_w;		/* writable users */
	u16 domid;
	u16 frame_ro;		/* the granter's own mapping is read-only */
};

#define GNT_ACT_PER_PAGE	(4096 / sizeof(struct gnt_active))
#define GNT_ACT_PAGES		(GNT_MAX_ENTRIES / GNT_ACT_PER_PAGE)

/* One mapping this domain made of a grant (flags 0: free). */
struct gnt_maptrack {
	u64 host_addr;		/* the IPA mapped, if GNTMAP_host_map */
	u64 pa;			/* the granted frame */
	u64 prev;		/* what host_addr mapped before: GNT_PREV_* */
	u32 ref;		/* the grant; when free, the next free handle */
	u16 dom;		/* the granter */
	u16 flags;		/* GNTMAP_*, GNT_MT_BUSY while being set up */
};

#define GNT_MT_BUSY		BIT(15)
#define GNT_PREV_VALID		BIT(0)
#define GNT_PREV_KIND(p)	(((p) >> 1) & 3)
#define GNT_MT_PER_PAGE		(4096 / sizeof(struct gnt_maptrack))
#define GNT_MT_PAGES		(GNT_MAX_MAPTRACK / GNT_MT_PER_PAGE)
#define GNT_MT_NONE		0xffffffffU

struct gnt_dom {
	u16 domid;
	bool priv;		/* may set up and query other domains' tables */
	struct s2 *s2;
	u64 ram_pa, ram_size;	/* the machine RAM this domain may grant */
	struct mx_lock lock;
	u32 version;		/* always 1 */
	u32 max_frames, nr_frames;
	u64 frame_pa[GNT_MAX_FRAMES];
	u64 frame_gfn[GNT_MAX_FRAMES];	/* where the guest mapped them */
	struct gnt_active *act[GNT_ACT_PAGES];
	u32 act_hi;		/* no entry at or above this is pinned */
	u32 max_maptrack;
	struct gnt_maptrack *mt[GNT_MT_PAGES];
	u32 mt_limit;		/* handles allocated */
	u32 mt_free;		/* first free handle, or GNT_MT_NONE */
	u32 mt_used;		/* handles in use */
	u32 mt_host_hi;		/* no host mapping at or above this handle */
};

/*
 * The platform's services, set once before any domain is made. minixen
 * runs with VA == PA (map_pa is the identity); the host tests give
 * malloc'd memory.
 */
struct gnt_hooks {
	/* A zeroed 4 KiB page: its machine address, or 0. */
	u64 (*alloc_page)(void);
	/* A hypervisor pointer to machine address @pa (RAM). */
	void *(*map_pa)(u64 pa);
	/* The domain @domid (not DOMID_SELF), or NULL. */
	struct gnt_dom *(*dom_by_id)(u16 domid);
	/* @d's stage 2 changed at @ipa: invalidate its TLB entries. */
	void (*s2_flush)(struct gnt_dom *d, u64 ipa);
};

void gnt_set_hooks(const struct gnt_hooks *h);

/*
 * Make @d's grant table: @s2 translates its IPAs, its RAM is the machine
 * range [ram_pa, ram_pa + ram_size); up to @max_frames (<= GNT_MAX_FRAMES)
 * frames and @max_maptrack (<= GNT_MAX_MAPTRACK) mappings. Returns 0,
 * -EINVAL or -ENOMEM.
 */
int gnt_dom_init(struct gnt_dom *d, u16 domid, struct s2 *s2, u64 ram_pa,
		 u64 ram_size, u32 max_frames, u32 max_maptrack);

/*
 * memory_op add_to_physmap(XENMAPSPACE_grant_table, idx, gfn): the machine
 * address of frame @idx, growing the table up to it. Returns 0, -EINVAL
 * (idx >= max_frames) or -ENOMEM. The caller maps it at @gfn in @d's
 * stage 2 and then records that with gnt_frame_set_gfn(), which returns
 * the gfn the frame was mapped at before (GNT_GFN_NONE if none), for the
 * caller to unmap. Call both with @d->lock held.
 */
int gnt_frame_pa(struct gnt_dom *d, u32 idx, u64 *pa);
u64 gnt_frame_set_gfn(struct gnt_dom *d, u32 idx, u64 gfn);

/*
 * A frame another domain has mapped or is copying cannot be taken from
 * under it: memory_op (remove_from_physmap, decrease_reservation, ...)
 * must refuse to unmap @d's frame at @gfn, or to reuse machine frame @pa,
 * while these say true. gnt_ipa_mapped() tells whether @ipa in @d's stage
 * 2 holds a grant mapping, which only unmap_grant_ref may remove.
 * Call with @d->lock held.
 */
bool gnt_pa_pinned(struct gnt_dom *d, u64 pa);
bool gnt_gfn_pinned(struct gnt_dom *d, u64 gfn);
bool gnt_ipa_mapped(struct gnt_dom *d, u64 ipa);
/*
 * Does @d hold a mapping (host or device) of machine frame @pa, writable
 * if @write? What a device @d drives may reach (the DMA engine).
 * Call with @d->lock held.
 */
bool gnt_pa_mapped(struct gnt_dom *d, u64 pa, bool write);

/*
 * Pin entry @ref of @gd for use by domain @domid, as GNTTABOP_map_grant_ref
 * and GNTTABOP_copy do (for minixen's own backends too): checks the entry
 * and sets GTF_reading (and GTF_writing unless @readonly). @map refuses
 * what cannot be mapped (sub-page and cache-attribute grants). Returns
 * GNTST_okay and the frame's machine address, or a GNTST_* error.
 * gnt_release() undoes one gnt_acquire().
 */
int gnt_acquire(struct gnt_dom *gd, u32 ref, u16 domid, bool readonly,
		bool map, u64 *pa);
void gnt_release(struct gnt_dom *gd, u32 ref, bool readonly);

/**
 * gnt_copy_hyp() - copy between a frontend's granted frame and minixen
 * @gd: the granting domain
 * @ref: its grant, to DOMID_XEN (writable if @to_grant)
 * @off: where in the frame
 * @buf: minixen's memory
 * @len: bytes; @off + @len <= 4096
 * @to_grant: copy @buf into the frame, else the frame into @buf
 *
 * For backends inside minixen: the entry is pinned (GTF_reading, and
 * GTF_writing if @to_grant) for the copy only, as GNTTABOP_copy does.
 *
 * Return: GNTST_okay; GNTST_bad_copy_arg (@off + @len beyond the frame),
 * GNTST_bad_gntref (@ref outside the table), GNTST_general_error (not
 * granted to DOMID_XEN, read-only for a write, pinned by another
 * domain), GNTST_bad_page (the frame is not @gd's RAM, or read-only to
 * @gd for a write). Nothing is copied on error.
 */
int gnt_copy_hyp(struct gnt_dom *gd, u32 ref, u16 off, void *buf, u16 len,
		 bool to_grant);

/**
 * gnt_pin() - keep a frontend's granted frame for minixen's use
 * @gd: the granting domain
 * @ref: its grant, to DOMID_XEN (writable unless @readonly)
 * @readonly: minixen only reads the frame
 * @va: minixen's pointer to the frame, set on success
 *
 * A backend's shared ring: the entry stays pinned (GTF_reading, and
 * GTF_writing unless @readonly), so the frontend cannot revoke it and
 * memory_op cannot take the frame from @gd (gnt_pa_pinned()), until
 * gnt_unpin(). Grants that cannot be mapped (sub-page, cache attributes)
 * are refused. Unpin before @gd's memory goes.
 *
 * Return: GNTST_okay, or the errors of gnt_copy_hyp() but
 * GNTST_bad_copy_arg.
 */
int gnt_pin(struct gnt_dom *gd, u32 ref, bool readonly, void **va);

/**
 * gnt_unpin() - undo one gnt_pin()
 * @gd: the granting domain
 * @ref: the grant pinned
 * @readonly: as pinned
 *
 * The last pin of the entry clears its GTF_writing and GTF_reading.
 */
void gnt_unpin(struct gnt_dom *gd, u32 ref, bool readonly);

/* The single operations, on hypervisor copies of the guest's arguments. */
void gnt_map_one(struct gnt_dom *md, struct gnttab_map_grant_ref *op);
void gnt_unmap_one(struct gnt_dom *md, struct gnttab_unmap_grant_ref *op);
void gnt_copy_one(struct gnt_dom *cd, struct gnttab_copy *op);
/* Unmap all of @md's grant mappings (domain shutdown or reset). */
void gnt_unmap_all(struct gnt_dom *md);

/* The calling vCPU's memory, by guest virtual address: 0 or -EFAULT. */
struct gnt_guest {
	int (*copy_from)(void *ctx, void *dst, u64 gva, size_t len);
	int (*copy_to)(void *ctx, u64 gva, const void *src, size_t len);
	void *ctx;
};

/*
 * HYPERVISOR_grant_table_op(cmd, uop, count) from domain @d. Returns 0
 * when done, a negative Xen errno, or n > 0: the first n entries of a
 * batch are done and the call must continue as Xen's continuations do:
 * re-issue it with uop advanced by n * gnttab_op_size(cmd) and count
 * reduced by n (minixen leaves the PC on the HVC and updates x1, x2), so
 * a huge count never keeps the hypervisor for more than GNT_BATCH entries.
 */
long gnttab_op(struct gnt_dom *d, u32 cmd, u64 uop, u32 count,
	       const struct gnt_guest *g);
size_t gnttab_op_size(u32 cmd);

#endif
