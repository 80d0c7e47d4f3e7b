/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen-blkfront: internal definitions shared by the xenbus/gendisk half
 * (blkfront.c) and the ring/I-O half (blkfront-ring.c).
 *
 * Data never moves through the block layer's own pages: every request is
 * copied into (writes) or out of (reads) pages the driver owns and grants
 * to the backend.  With persistent grants those pages stay granted for the
 * life of the connection; without, they are granted per request and
 * revoked with the try-revoke discipline before they are reused.
 */
#ifndef _PVXEN_BLKFRONT_H
#define _PVXEN_BLKFRONT_H

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include <xen/interface/event_channel.h>
#include <xen/interface/grant_table.h>
#include <xen/interface/io/blkif.h>

#include <pvxen/xenbus-client.h>
#include <pvxen/xenbus-front.h>
#include <pvxen/xenbus.h>

#define BLKF_MAX_RING_ORDER	PVXEN_XENBUS_MAX_RING_ORDER
#define BLKF_SEGS_PER_IND_PAGE	(PAGE_SIZE / sizeof(struct blkif_request_segment))
#define BLKF_MAX_INDIRECT_SEGS	(BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST * \
				 BLKF_SEGS_PER_IND_PAGE)
#define BLKF_SECT_PER_PAGE	(PAGE_SIZE >> SECTOR_SHIFT)
#define BLKF_NO_REF		((grant_ref_t)~0u)
/* Response ids: generation in the high bits, the blk-mq tag in the low. */
#define BLKF_ID_TAG_BITS	16
#define BLKF_ID_TAG_MASK	((1ull << BLKF_ID_TAG_BITS) - 1)
/*
 * Most persistently granted pages per ring: Linux's blkback keeps at most
 * 1056 persistent grants of a ring mapped (max_persistent_grants) and maps
 * and unmaps any others per request, at a cost; staying within that keeps
 * all our pages in its cache.  It still allows four 1 MiB requests, or a
 * full ring of small ones, in flight; a request that would need more
 * waits for others to complete (BLK_STS_RESOURCE).
 */
#define BLKF_PERSISTENT_PAGES	1056
/*
 * Most data segments of a request with persistent grants: with its
 * indirect pages it still fits the pool (1053 + 3 = 1056), so it can
 * always be served once the ring has drained.
 */
#define BLKF_PERSISTENT_MAX_SEGS					\
	((unsigned int)(BLKF_PERSISTENT_PAGES -				\
			DIV_ROUND_UP(BLKF_PERSISTENT_PAGES,		\
				     BLKF_SEGS_PER_IND_PAGE)))
/* Ungranted spare pages kept per ring when grants are not persistent. */
#define BLKF_SPARE_MAX		256

/* A page the driver owns and lends to the backend. */
struct blkf_page {
	struct list_head node;
	struct page *page;
	grant_ref_t gref;
	bool granted;
	bool persistent;	/* stays granted rw until disconnect */
};

/* One ring slot: the request sent with blk-mq tag @tag of this ring. */
struct blkf_slot {
	struct request *rq;
	u64 id;			/* the id the response must echo */
	u8 op;			/* BLKIF_OP_* sent (inner op if indirect) */
	bool indirect;
	bool busy;
};

/*
 * Per-ring request counters (ring->lock).  Sent: put on the ring, by
 * operation (a write with FUA counts as a write).  Done: ended with
 * success, by the operation the block layer asked for.  errors: ended
 * with an error (a bad or failed response, a timeout, a teardown);
 * not_supported: of those, the backend answered BLKIF_RSP_EOPNOTSUPP.
 */
struct blkf_stats {
	u64 requests;
	u64 reads;
	u64 writes;
	u64 flushes;
	u64 discards;
	u64 done_reads;
	u64 done_writes;
	u64 done_flushes;
	u64 done_discards;
	u64 errors;
	u64 not_supported;
	u64 bad_responses;
	u64 timeouts;
};

struct blkf_info;

struct blkf_ring {
	struct blkf_info *info;
	unsigned int index;
	spinlock_t lock;	/* ring indices, slots, page pool, stats */
	struct blkif_front_ring front;
	struct pvxen_xenbus_ring shared;	/* the blkif_sring's pages */
	struct pvxen_xenbus_evtchn evtchn;
	bool broken;		/* backend misbehaved or went away */
	u64 next_gen;
	struct blkf_slot *slots;	/* RING_SIZE entries */
	unsigned int inflight;
	struct list_head pool;	/* free struct blkf_page */
	unsigned int pool_free;
	unsigned int pool_total;	/* pages owned, free or in use */
	unsigned int persistent;	/* of those, persistently granted */
	unsigned long deferred;	/* pages handed to deferred reclaim */
	struct blkf_stats st;
};

/*
 * Count one in @ring's stats: every counter changes under ring->lock
 * (debugfs sums them over the rings); lockdep checks it on debug kernels.
 */
static inline void blkf_stat_inc(struct blkf_ring *ring, u64 *counter)
{
	lockdep_assert_held(&ring->lock);
	(*counter)++;
}

/* Per-request driver data (blk-mq pdu), followed by the page pointers. */
struct blkf_req {
	blk_status_t status;
	unsigned int nr_pages;	/* data pages then indirect pages */
	unsigned int nr_data;
	struct blkf_page *pages[];
};

struct blkf_info {
	struct pvxen_xenbus_device *xbdev;
	struct pvxen_front front;	/* its mutex: connection changes */
	unsigned int vdev;
	unsigned int index;	/* xvd<letters> index */
	unsigned int part;	/* partition of a partition-vdev, else 0 */
	char name[DISK_NAME_LEN];
	bool trusted;
	unsigned int timeout_s;	/* a request unanswered this long fails */

	/* negotiated at InitWait */
	unsigned int nr_rings;
	unsigned int ring_order;
	struct blkf_ring *rings;

	/* negotiated at Connected */
	u64 sectors;
	unsigned int sector_size;
	unsigned int phys_sector_size;
	unsigned int vdisk_info;
	u8 flush_op;		/* BLKIF_OP_FLUSH_DISKCACHE, _WRITE_BARRIER or 0 */
	bool fua;
	bool discard;
	bool discard_secure;
	unsigned int discard_granularity;
	unsigned int discard_alignment;
	unsigned int max_segs;	/* data segments per request */
	bool persistent;

	struct blk_mq_tag_set tag_set;
	bool tag_set_live;
	struct gendisk *gd;
	bool disk_added;

	struct pvxen_xs_watch sectors_watch;
	struct work_struct resize_work;	/* "sectors" changed */
	struct dentry *dbg;
};

/* blkfront-ring.c */
int blkf_rings_setup(struct blkf_info *info);
void blkf_rings_teardown(struct blkf_info *info);
void blkf_ring_fail(struct blkf_ring *ring, const char *why);
void blkf_fail_all(struct blkf_info *info);
unsigned int blkf_inflight(struct blkf_info *info);
size_t blkf_pdu_size(unsigned int max_segs);
extern const struct blk_mq_ops blkf_mq_ops;

#endif /* _PVXEN_BLKFRONT_H */
