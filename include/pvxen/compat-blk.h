/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen: block layer interfaces by kernel (part of the compat layer, see
 * compat.h; included by pvxen-blkfront only).
 *
 * A disk is allocated the 6.12 way: the driver fills a struct
 * pvxen_blk_limits (the kernel's struct queue_limits, plus what older
 * kernels keep outside it) and pvxen_blk_mq_alloc_disk() hands the
 * limits over at allocation (6.9 on), or allocates the disk and applies
 * them with the queue setters of its kernel (6.1: blk_mq_alloc_disk(set,
 * queuedata); 5.10: a queue and a gendisk of its own).
 * pvxen_blk_remove_disk() undoes it.
 */
#ifndef _PVXEN_COMPAT_BLK_H
#define _PVXEN_COMPAT_BLK_H

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/bvec.h>
#include <linux/err.h>
#include <linux/highmem.h>

/**
 * struct pvxen_blk_limits - A disk's queue limits, for any kernel.
 * @lim: the kernel's limits; the driver sets logical_block_size,
 *	physical_block_size, max_hw_sectors, max_segments,
 *	max_segment_size, max_hw_discard_sectors, discard_granularity and
 *	discard_alignment, nothing else (older kernels lack other fields)
 * @write_cache: the device has a volatile write cache (flushes wanted)
 * @fua: the device honours forced unit access
 * @max_secure_erase_sectors: secure erase up to this many sectors, 0: none
 *
 * The device is non-rotational (a paravirtual disk).  Zero it before use.
 */
struct pvxen_blk_limits {
	struct queue_limits lim;
	bool write_cache;
	bool fua;
	unsigned int max_secure_erase_sectors;
};

#ifdef PVXEN_HAVE_BLK_MQ_ALLOC_DISK_LIM

static inline struct gendisk *
pvxen_blk_mq_alloc_disk(struct blk_mq_tag_set *set, struct pvxen_blk_limits *pl,
			void *queuedata, int minors)
{
	pl->lim.max_secure_erase_sectors = pl->max_secure_erase_sectors;
	if (pl->write_cache)
		pl->lim.features |= BLK_FEAT_WRITE_CACHE;
	if (pl->fua)
		pl->lim.features |= BLK_FEAT_FUA;
	/* Not BLK_FEAT_ROTATIONAL: non-rotational is the default. */
	return blk_mq_alloc_disk(set, &pl->lim, queuedata);
}

#else /* the queue setters */

/* Apply @pl to @q the way 6.1 and 5.10 set a queue's limits. */
static inline void pvxen_blk_apply_limits(struct request_queue *q,
					  const struct pvxen_blk_limits *pl)
{
	const struct queue_limits *lim = &pl->lim;

	blk_queue_logical_block_size(q, lim->logical_block_size);
	blk_queue_physical_block_size(q, lim->physical_block_size);
	blk_queue_max_hw_sectors(q, lim->max_hw_sectors);
	blk_queue_max_segments(q, lim->max_segments);
	blk_queue_max_segment_size(q, lim->max_segment_size);
	blk_queue_flag_set(QUEUE_FLAG_NONROT, q);
	blk_queue_write_cache(q, pl->write_cache, pl->fua);
	if (lim->max_hw_discard_sectors) {
		blk_queue_max_discard_sectors(q, lim->max_hw_discard_sectors);
		q->limits.discard_granularity = lim->discard_granularity;
		q->limits.discard_alignment = lim->discard_alignment;
#ifdef QUEUE_FLAG_DISCARD
		blk_queue_flag_set(QUEUE_FLAG_DISCARD, q);
#endif
	}
	if (pl->max_secure_erase_sectors) {
#ifdef PVXEN_HAVE_BLK_QUEUE_MAX_SECURE_ERASE_SECTORS
		blk_queue_max_secure_erase_sectors(q,
						   pl->max_secure_erase_sectors);
#else
		/* Secure erase shares the discard limit. */
		blk_queue_flag_set(QUEUE_FLAG_SECERASE, q);
#endif
	}
}

#ifdef PVXEN_HAVE_BLK_MQ_ALLOC_DISK

static inline struct gendisk *
pvxen_blk_mq_alloc_disk(struct blk_mq_tag_set *set, struct pvxen_blk_limits *pl,
			void *queuedata, int minors)
{
	struct gendisk *gd = blk_mq_alloc_disk(set, queuedata);

	if (!IS_ERR(gd))
		pvxen_blk_apply_limits(gd->queue, pl);
	return gd;
}

#else /* a queue and a gendisk of our own */

static inline struct gendisk *
pvxen_blk_mq_alloc_disk(struct blk_mq_tag_set *set, struct pvxen_blk_limits *pl,
			void *queuedata, int minors)
{
	struct request_queue *q;
	struct gendisk *gd;

	q = blk_mq_init_queue_data(set, queuedata);
	if (IS_ERR(q))
		return ERR_CAST(q);
	/* The partition table is sized from the minors given here. */
	gd = alloc_disk(minors);
	if (!gd) {
		blk_cleanup_queue(q);
		return ERR_PTR(-ENOMEM);
	}
	gd->queue = q;
	pvxen_blk_apply_limits(q, pl);
	return gd;
}

#define PVXEN_BLK_OWN_QUEUE 1

#endif /* PVXEN_HAVE_BLK_MQ_ALLOC_DISK */
#endif /* PVXEN_HAVE_BLK_MQ_ALLOC_DISK_LIM */

/**
 * pvxen_blk_remove_disk() - Remove and free a disk from
 * pvxen_blk_mq_alloc_disk().
 * @gd: the disk
 * @added: whether device_add_disk() added it (then it is deleted first)
 */
static inline void pvxen_blk_remove_disk(struct gendisk *gd, bool added)
{
#ifdef PVXEN_BLK_OWN_QUEUE
	struct request_queue *q = gd->queue;
#endif

	if (added)
		del_gendisk(gd);
#ifdef PVXEN_BLK_OWN_QUEUE
	/*
	 * 5.10: the disk's release puts the queue reference that adding it
	 * took, and blk_cleanup_queue() the one allocating it gave us.
	 */
	if (!added)
		gd->queue = NULL;
	blk_cleanup_queue(q);
#endif
	put_disk(gd);
}

/*
 * blk_mq_ops.timeout: (request) from 5.19 on, (request, reserved) before.
 * The driver writes the newest form and puts FN_mq, which this defines,
 * into its blk_mq_ops.
 */
#ifdef PVXEN_HAVE_BLK_MQ_OPS_TIMEOUT_NO_RESERVED
#define PVXEN_DEFINE_BLK_TIMEOUT(fn)					\
	static enum blk_eh_timer_return fn##_mq(struct request *rq)	\
	{								\
		return fn(rq);						\
	}
#else
#define PVXEN_DEFINE_BLK_TIMEOUT(fn)					\
	static enum blk_eh_timer_return fn##_mq(struct request *rq,	\
						bool reserved)		\
	{								\
		return fn(rq);						\
	}
#endif

#ifndef PVXEN_HAVE_BLK_MARK_DISK_DEAD
/* New I/O fails at once (5.10: the queue dies; opens still succeed). */
static inline void blk_mark_disk_dead(struct gendisk *gd)
{
	blk_set_queue_dying(gd->queue);
}
#endif

#ifndef PVXEN_HAVE_DEVICE_ADD_DISK_INT
static inline int pvxen_device_add_disk(struct device *parent,
					struct gendisk *gd,
					const struct attribute_group **groups)
{
	device_add_disk(parent, gd, groups);
	return 0;
}

#define device_add_disk(parent, gd, groups) \
	pvxen_device_add_disk(parent, gd, groups)
#endif

#ifndef PVXEN_HAVE_SET_CAPACITY_AND_NOTIFY
#define set_capacity_and_notify(gd, size) \
	set_capacity_revalidate_and_notify(gd, size, true)
#endif

#ifndef PVXEN_HAVE_KUNMAP_LOCAL
/*
 * arm64 has no highmem: page_address() is the mapping, nothing to undo
 * (5.10; a 32-bit highmem kernel of that age would need kmap_atomic()).
 */
#define kmap_local_page(pg)	page_address(pg)
#define kunmap_local(p)		((void)(p))
#endif

#ifndef PVXEN_HAVE_BVEC_KMAP_LOCAL
static inline void *bvec_kmap_local(struct bio_vec *bv)
{
	return kmap_local_page(bv->bv_page) + bv->bv_offset;
}
#endif

#endif /* _PVXEN_COMPAT_BLK_H */
