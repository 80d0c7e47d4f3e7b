// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests: minixen's blkif ABI (hyp/include/minixen/blkif.h)
 * against Xen's xen/io/blkif.h (blkif_abi.c), and the arm64 numbers a
 * frontend relies on.
 */
#include <minixen/blkif.h>
#include "tap.h"
#include "abi_cmp.h"
#include "blkif_abi_xen.h"

#define RING_SLOTS(bytes)	blkif_ring_size(bytes)

static size_t our_blkif_abi(long *v)
{
#include "blkif_abi.h"
}

static void test_abi(void)
{
	size_t n;

	ok(abi_same("blkif_abi.h", our_blkif_abi, xen_blkif_abi, &n),
	   "blkif.h: %zu sizes, offsets, constants as xen/io/blkif.h's", n);
}

/* What arm64 guests lay out, whatever the host compiles Xen's header to. */
static void test_arm64(void)
{
	struct blkif_sring *sr = NULL;

	ok(sizeof(struct blkif_request) == 112 &&
	   offsetof(struct blkif_request, id) == 8 &&
	   offsetof(struct blkif_request, sector_number) == 16 &&
	   offsetof(struct blkif_request, seg) == 24 &&
	   sizeof(struct blkif_request_segment) == 8,
	   "request: 112 bytes, id at 8, sector at 16, 11 segments of 8 at 24");
	ok(sizeof(struct blkif_response) == 16 &&
	   offsetof(struct blkif_response, status) == 10,
	   "response: 16 bytes, status at 10");
	ok(sizeof(struct blkif_request_indirect) == 64 &&
	   offsetof(struct blkif_request_indirect, handle) == 24 &&
	   offsetof(struct blkif_request_indirect, indirect_grefs) == 28 &&
	   sizeof(struct blkif_request_discard) == 32,
	   "indirect request: 64 bytes, grefs at 28; discard: 32 bytes");
	ok(sizeof(union blkif_sring_entry) == 112 &&
	   offsetof(struct blkif_sring, ring) == 64 &&
	   sizeof(sr->ring[0]) == 112,
	   "ring: indices and padding in 64 bytes, then 112-byte slots");
	ok(blkif_ring_size(4096) == 32 &&
	   64 + 32 * sizeof(union blkif_sring_entry) <= 4096,
	   "a one-page ring has 32 slots, and they fit");
	ok(BLKIF_SEGS_PER_INDIRECT_FRAME == 512 &&
	   BLKIF_SECTORS_PER_PAGE == 8,
	   "512 segments per indirect page, 8 sectors per frame");
}

static void test_ring_size(void)
{
	ok(blkif_ring_size(0) == 0 && blkif_ring_size(64) == 0 &&
	   blkif_ring_size(64 + 111) == 0,
	   "no room for a slot: 0 slots");
	ok(blkif_ring_size(64 + 112) == 1 && blkif_ring_size(64 + 3 * 112) == 2 &&
	   blkif_ring_size(64 + 4 * 112) == 4 &&
	   blkif_ring_size(64 + 8 * 112 - 1) == 4,
	   "room for 1, 3, 4, 8 less a byte: 1, 2, 4, 4 slots (powers of two)");
	ok(blkif_ring_size(2 * 4096) == 64 && blkif_ring_size(8 * 4096) == 256 &&
	   blkif_ring_size(16 * 4096) == 512,
	   "2, 8, 16 pages: 64, 256, 512 slots");
}

int main(void)
{
	test_abi();
	test_arm64();
	test_ring_size();
	return tap_done();
}
