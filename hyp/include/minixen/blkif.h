/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The blkif protocol: the shared ring of Xen's PV block devices, as a
 * backend inside minixen reads it (the layouts of Xen's io/blkif.h and
 * io/ring.h for arm64, written out with their padding so that they are
 * the same on every compiler; tests/hyp/test_blkif.c compares them with
 * Xen's own header).
 *
 * The frontend grants one or more pages holding a struct blkif_sring:
 * four indices, then a power-of-two number of 112-byte slots, each a
 * request from the frontend or, once handled, the response to it (a
 * slot is reused for the answer). Indices run freely and are masked by
 * the slot count; req_prod and rsp_event are written by the frontend,
 * rsp_prod and req_event by the backend.
 *
 * Sector numbers (sector_number, nr_sectors, first_sect, last_sect) are
 * in BLKIF_SECTOR_SIZE units, whatever the disk's sector-size, unless
 * the frontend wrote feature-large-sector-size; a segment covers sectors
 * first_sect..last_sect (inclusive) of one granted 4 KiB frame.
 */
#ifndef MINIXEN_BLKIF_H
#define MINIXEN_BLKIF_H

#include <minixen/lib.h>

/* Request operations */
#define BLKIF_OP_READ			0
#define BLKIF_OP_WRITE			1
/* Writes before it complete before it, writes after it start after it. */
#define BLKIF_OP_WRITE_BARRIER		2
/* Commit the device's volatile cache (feature-flush-cache). */
#define BLKIF_OP_FLUSH_DISKCACHE	3
#define BLKIF_OP_RESERVED_1		4
/* The sectors may be forgotten (feature-discard): blkif_request_discard */
#define BLKIF_OP_DISCARD		5
/* Segments in granted pages (feature-max-indirect-segments) */
#define BLKIF_OP_INDIRECT		6

/* Segments in a request itself, and indirect pages in an indirect one */
#define BLKIF_MAX_SEGMENTS_PER_REQUEST		11
#define BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST	8

#define BLKIF_SECTOR_SIZE	512
#define BLKIF_PAGE_SIZE		4096
/* Sectors of one segment's frame: first_sect <= last_sect < this */
#define BLKIF_SECTORS_PER_PAGE	(BLKIF_PAGE_SIZE / BLKIF_SECTOR_SIZE)

/* blkif_request_discard.flag */
#define BLKIF_DISCARD_SECURE	BIT(0)

/* blkif_response.status */
#define BLKIF_RSP_EOPNOTSUPP	(-2)	/* operation not offered */
#define BLKIF_RSP_ERROR		(-1)
#define BLKIF_RSP_OKAY		0

/* The backend's "info" node */
#define VDISK_CDROM		0x1
#define VDISK_REMOVABLE		0x2
#define VDISK_READONLY		0x4

/**
 * struct blkif_request_segment - one frame of a request's data
 * @gref: grant reference of the frame
 * @first_sect: first sector of the frame to transfer
 * @last_sect: last sector of the frame to transfer (inclusive)
 * @_pad: unused
 */
struct blkif_request_segment {
	u32 gref;
	u8 first_sect;
	u8 last_sect;
	u16 _pad;
};

/* Segments one indirect page holds */
#define BLKIF_SEGS_PER_INDIRECT_FRAME \
	(BLKIF_PAGE_SIZE / sizeof(struct blkif_request_segment))

/**
 * struct blkif_request - a read, write, barrier or flush request
 * @operation: BLKIF_OP_*
 * @nr_segments: segments in @seg (0 for a flush or barrier with no data)
 * @handle: the virtual device (read and write only)
 * @_pad1: unused
 * @id: the frontend's value, echoed in the response
 * @sector_number: first sector on the disk
 * @seg: the data
 */
struct blkif_request {
	u8 operation;
	u8 nr_segments;
	u16 handle;
	u32 _pad1;
	u64 id;
	u64 sector_number;
	struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
};

/**
 * struct blkif_request_discard - a request of operation BLKIF_OP_DISCARD
 * @operation: BLKIF_OP_DISCARD
 * @flag: BLKIF_DISCARD_SECURE (if discard-secure is offered) or 0
 * @handle: the virtual device
 * @_pad1: unused
 * @id: the frontend's value, echoed in the response
 * @sector_number: first sector to discard
 * @nr_sectors: sectors to discard
 */
struct blkif_request_discard {
	u8 operation;
	u8 flag;
	u16 handle;
	u32 _pad1;
	u64 id;
	u64 sector_number;
	u64 nr_sectors;
};

/**
 * struct blkif_request_indirect - a request of operation BLKIF_OP_INDIRECT
 * @operation: BLKIF_OP_INDIRECT
 * @indirect_op: BLKIF_OP_READ or BLKIF_OP_WRITE
 * @nr_segments: segments, in the pages of @indirect_grefs
 *	(BLKIF_SEGS_PER_INDIRECT_FRAME in each, the last one partly filled)
 * @_pad1: unused
 * @id: the frontend's value, echoed in the response
 * @sector_number: first sector on the disk
 * @handle: the virtual device
 * @_pad2: unused
 * @indirect_grefs: grant references of the pages of segments
 * @_pad3: unused
 */
struct blkif_request_indirect {
	u8 operation;
	u8 indirect_op;
	u16 nr_segments;
	u32 _pad1;
	u64 id;
	u64 sector_number;
	u16 handle;
	u16 _pad2;
	u32 indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	u32 _pad3;
};

/**
 * struct blkif_response - the answer to a request, in the request's slot
 * @id: the request's @id
 * @operation: the request's @operation
 * @_pad1: unused
 * @status: BLKIF_RSP_*
 * @_pad2: unused
 */
struct blkif_response {
	u64 id;
	u8 operation;
	u8 _pad1;
	s16 status;
	u32 _pad2;
};

/**
 * union blkif_sring_entry - one slot of the ring
 * @req: a request (look at @req.operation first)
 * @discard: the same request, if BLKIF_OP_DISCARD
 * @indirect: the same request, if BLKIF_OP_INDIRECT
 * @rsp: the response written over it
 */
union blkif_sring_entry {
	struct blkif_request req;
	struct blkif_request_discard discard;
	struct blkif_request_indirect indirect;
	struct blkif_response rsp;
};

/**
 * struct blkif_sring - the shared ring, at the start of its first page
 * @req_prod: requests produced (frontend)
 * @req_event: notify the backend when @req_prod passes this (backend)
 * @rsp_prod: responses produced (backend)
 * @rsp_event: notify the frontend when @rsp_prod passes this (frontend)
 * @pvt: other protocols' private bytes, unused by blkif
 * @_pad: unused
 * @ring: the slots, blkif_ring_size() of them
 */
struct blkif_sring {
	u32 req_prod;
	u32 req_event;
	u32 rsp_prod;
	u32 rsp_event;
	u8 pvt[4];
	u8 _pad[44];
	union blkif_sring_entry ring[];
};

/**
 * blkif_ring_size() - slots of a ring in @bytes of granted pages
 * @bytes: the ring's size (ring-page-order pages of 4 KiB)
 *
 * The largest power of two that fits after the indices, as Xen's
 * __CONST_RING_SIZE: 32 for one page.
 *
 * Return: the slot count, or 0 if not even one fits.
 */
static inline u32 blkif_ring_size(u64 bytes)
{
	u64 n, p = 1;

	if (bytes < sizeof(struct blkif_sring) + sizeof(union blkif_sring_entry))
		return 0;
	n = (bytes - sizeof(struct blkif_sring)) /
	    sizeof(union blkif_sring_entry);
	while (p * 2 <= n)
		p *= 2;
	return p;
}

#endif
