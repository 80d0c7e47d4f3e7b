/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The blkif ABI of minixen's blkif.h, listed for test_blkif.c to compare
 * against Xen's own xen/io/blkif.h (blkif_abi.c): X(struct, field)
 * offsets, S(struct) and U(union) sizes, K(constant) values. This is the
 * body of a function `size_t NAME(long *v)` that stores them in v[] (at
 * most ABI_MAX of abi_cmp.h) and returns how many; each side includes it
 * once, with its own headers in scope and its own RING_SLOTS(bytes), the
 * slots of a ring that size.
 */
	size_t n = 0;

#define X(s, f)	(v[n++] = (long)offsetof(struct s, f))
#define S(s)	(v[n++] = (long)sizeof(struct s))
#define U(u)	(v[n++] = (long)sizeof(union u))
#define K(k)	(v[n++] = (long)(k))
	S(blkif_request_segment);
	X(blkif_request_segment, gref);
	X(blkif_request_segment, first_sect);
	X(blkif_request_segment, last_sect);
	S(blkif_request);
	X(blkif_request, operation);
	X(blkif_request, nr_segments);
	X(blkif_request, handle);
	X(blkif_request, id);
	X(blkif_request, sector_number);
	X(blkif_request, seg);
	X(blkif_request, seg[1]);
	X(blkif_request, seg[10].last_sect);
	S(blkif_request_discard);
	X(blkif_request_discard, operation);
	X(blkif_request_discard, flag);
	X(blkif_request_discard, handle);
	X(blkif_request_discard, id);
	X(blkif_request_discard, sector_number);
	X(blkif_request_discard, nr_sectors);
	S(blkif_request_indirect);
	X(blkif_request_indirect, operation);
	X(blkif_request_indirect, indirect_op);
	X(blkif_request_indirect, nr_segments);
	X(blkif_request_indirect, id);
	X(blkif_request_indirect, sector_number);
	X(blkif_request_indirect, handle);
	X(blkif_request_indirect, indirect_grefs);
	X(blkif_request_indirect, indirect_grefs[7]);
	S(blkif_response);
	X(blkif_response, id);
	X(blkif_response, operation);
	X(blkif_response, status);
	U(blkif_sring_entry);
	X(blkif_sring, req_prod);
	X(blkif_sring, req_event);
	X(blkif_sring, rsp_prod);
	X(blkif_sring, rsp_event);
	X(blkif_sring, pvt);
	X(blkif_sring, ring);
	K(RING_SLOTS(64 + 4 * 112));
	K(RING_SLOTS(4096));
	K(RING_SLOTS(2 * 4096));
	K(RING_SLOTS(4 * 4096));
	K(RING_SLOTS(16 * 4096));
	K(BLKIF_OP_READ);
	K(BLKIF_OP_WRITE);
	K(BLKIF_OP_WRITE_BARRIER);
	K(BLKIF_OP_FLUSH_DISKCACHE);
	K(BLKIF_OP_RESERVED_1);
	K(BLKIF_OP_DISCARD);
	K(BLKIF_OP_INDIRECT);
	K(BLKIF_MAX_SEGMENTS_PER_REQUEST);
	K(BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST);
	K(BLKIF_SEGS_PER_INDIRECT_FRAME);
	K(BLKIF_DISCARD_SECURE);
	K(BLKIF_RSP_EOPNOTSUPP);
	K(BLKIF_RSP_ERROR);
	K(BLKIF_RSP_OKAY);
	K(VDISK_CDROM);
	K(VDISK_REMOVABLE);
	K(VDISK_READONLY);
#undef X
#undef S
#undef U
#undef K
	return n;
