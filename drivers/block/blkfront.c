// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen-blkfront: Xen PV block frontend on the pvxen bus.
 *
 * One blk-mq disk per device/vbd/<virtual-device>, named xvda, xvdb, ...
 * as Xen users expect.  Features are negotiated over xenstore as upstream
 * does, so either end may be older: several queues (one ring each),
 * multi-page rings, indirect descriptors, persistent grants, flush/FUA,
 * discard and secure discard, sector sizes, read-only and removable disks,
 * online resize, and backend-initiated close.
 *
 * This half: module parameters, the steps of the connection (pvxen-core's
 * state machine, include/pvxen/xenbus-front.h, calls them), the gendisk
 * and debugfs.  The rings and the data path are in blkfront-ring.c, which
 * reports a broken ring to pvxen-core (pvxen_front_fatal()), never back
 * here.
 */
#define pr_fmt(fmt) "pvxen-blkfront: " fmt

#include <linux/blkdev.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/hdreg.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include <xen/interface/io/protocols.h>
#include <xen/interface/io/ring.h>

#include <pvxen/compat-blk.h>
#include <pvxen/compat-irq.h>
#include <pvxen/param.h>
#include <pvxen/xenbus-client.h>
#include <pvxen/xenbus-front.h>
#include <pvxen/xenbus.h>
#include <pvxen/xenstore.h>
#include <pvxen/version.h>

#include "blkfront.h"

#define BLKF_MAX_QUEUES		32
#define BLKF_PARTS_PER_DISK	16
#define BLKF_XVD_MAJOR		202
#define BLKF_EXT_FLAG		BIT(28)
#define BLKF_MAX_INDEX		((MINORMASK + 1) / BLKF_PARTS_PER_DISK)

/* ---- module parameters --------------------------------------------------- */

static unsigned int blkf_max_queues = 4;
static unsigned int blkf_max_indirect_segments = 256;
static unsigned int blkf_max_ring_page_order;
static bool blkf_feature_persistent = true;
static unsigned int blkf_timeout_s = 60;

/* Limits of the unsigned module parameters, by name. */
static const struct pvxen_param_limit blkf_param_limits[] = {
	{ "max_queues", 1, BLKF_MAX_QUEUES },
	{ "max_indirect_segments", 0, BLKF_MAX_INDIRECT_SEGS },
	{ "max_ring_page_order", 0, BLKF_MAX_RING_ORDER },
	{ "timeout_s", 5, 3600 },
};

static int blkf_param_set(const char *val, const struct kernel_param *kp)
{
	return pvxen_param_set_uint(val, kp, blkf_param_limits,
				    ARRAY_SIZE(blkf_param_limits));
}

static const struct kernel_param_ops blkf_uint_ops = {
	.set = blkf_param_set,
	.get = param_get_uint,
};

module_param_cb(max_queues, &blkf_uint_ops, &blkf_max_queues, 0444);
MODULE_PARM_DESC(max_queues,
		 "Most queues (rings) per disk, 1..32, default 4; also bounded by CPUs and the backend");
module_param_cb(max_indirect_segments, &blkf_uint_ops,
		&blkf_max_indirect_segments, 0444);
MODULE_PARM_DESC(max_indirect_segments,
		 "Most 4 KiB segments per request with indirect descriptors, 0..4096, default 256 (1 MiB); 11 or less disables them");
module_param_cb(max_ring_page_order, &blkf_uint_ops,
		&blkf_max_ring_page_order, 0444);
MODULE_PARM_DESC(max_ring_page_order,
		 "Largest ring, as log2 of its pages, 0..4, default 0");
module_param_cb(timeout_s, &blkf_uint_ops, &blkf_timeout_s, 0444);
MODULE_PARM_DESC(timeout_s,
		 "Seconds before an unanswered request fails the device, 5..3600, default 60");
module_param_named(feature_persistent, blkf_feature_persistent, bool, 0444);
MODULE_PARM_DESC(feature_persistent,
		 "Use persistent grants when the backend offers them, default Y");

static int blkf_major;
static DEFINE_XARRAY(blkf_indices);
static struct dentry *blkf_dbg_parent;	/* pvxen-core's "pvxen", looked up */
static struct dentry *blkf_dbg_root;
/*
 * Test hook, debugfs pvxen/blkfront/remove_delay_ms: blkf_remove() holds
 * here, device mutex held and rings live, so that a test can land a late
 * response or a request timeout in the removal (tests/guest/blk-unplug.sh).
 */
static u32 blkf_remove_delay_ms;

/* ---- naming -------------------------------------------------------------- */

/* virtual-device -> disk index and partition, as Xen numbers them. */
static int blkf_parse_vdev(unsigned int vdev, unsigned int *index,
			   unsigned int *part)
{
	if (vdev & BLKF_EXT_FLAG) {
		*index = (vdev >> 8) & 0xfffff;
		*part = vdev & 0xff;
	} else if ((vdev >> 8) == BLKF_XVD_MAJOR) {
		*index = (vdev & 0xff) >> 4;
		*part = vdev & 0xf;
	} else {
		return -EINVAL;
	}
	if (*index >= BLKF_MAX_INDEX || *part >= BLKF_PARTS_PER_DISK)
		return -ERANGE;
	return 0;
}

/* xvd + a..z, aa..zz, aaa..: the same letters as sd. */
static void blkf_make_name(char *buf, size_t len, unsigned int index,
			   unsigned int part)
{
	char letters[8];
	int i = sizeof(letters) - 1;
	unsigned int n = index + 1;

	letters[i] = '\0';
	while (n && i > 0) {
		n--;
		letters[--i] = 'a' + n % 26;
		n /= 26;
	}
	if (part)
		snprintf(buf, len, "xvd%s%u", &letters[i], part);
	else
		snprintf(buf, len, "xvd%s", &letters[i]);
}

/* ---- connection ------------------------------------------------------------ */

static struct blkf_info *blkf_of(struct pvxen_front *f)
{
	return container_of(f, struct blkf_info, front);
}

/* Ring keys a previous connection may have left with another layout. */
static const char * const blkf_ring_keys[] = {
	"ring-ref", "event-channel", "queue-", "multi-queue-num-queues",
	"ring-page-order",
};

static int blkf_publish(struct pvxen_front *f, u32 tx)
{
	struct blkf_info *info = blkf_of(f);
	const char *dir = info->xbdev->nodename;
	unsigned int i;
	int ret;

	ret = pvxen_xenbus_remove_keys(tx, dir, blkf_ring_keys,
				       ARRAY_SIZE(blkf_ring_keys));
	if (ret)
		return ret;
	if (info->ring_order) {
		ret = pvxen_xs_printf(tx, dir, "ring-page-order", "%u",
				      info->ring_order);
		if (ret)
			return ret;
	}
	if (info->nr_rings > 1) {
		ret = pvxen_xs_printf(tx, dir, "multi-queue-num-queues", "%u",
				      info->nr_rings);
		if (ret)
			return ret;
	}
	for (i = 0; i < info->nr_rings; i++) {
		struct blkf_ring *ring = &info->rings[i];
		char *qdir = pvxen_xenbus_queue_dir(info->xbdev, info->nr_rings,
						    i);

		if (!qdir)
			return -ENOMEM;
		ret = pvxen_xenbus_write_ring(tx, qdir, "ring-ref",
					      &ring->shared);
		if (!ret)
			ret = pvxen_xenbus_write_evtchn(tx, qdir,
							"event-channel",
							&ring->evtchn);
		kfree(qdir);
		if (ret)
			return ret;
	}
	ret = pvxen_xs_write(tx, dir, "protocol", XEN_IO_PROTO_ABI_NATIVE);
	if (ret)
		return ret;
	return pvxen_xs_printf(tx, dir, "feature-persistent", "%u",
			       blkf_feature_persistent ? 1 : 0);
}

/* Backend in InitWait: choose the rings and set them up. */
static int blkf_setup(struct pvxen_front *f)
{
	struct blkf_info *info = blkf_of(f);
	struct pvxen_xenbus_device *dev = info->xbdev;
	unsigned int max_q, max_order;
	int ret;

	max_q = pvxen_xenbus_read_uint(dev->otherend, "multi-queue-max-queues",
				       1);
	max_order = pvxen_xenbus_read_uint(dev->otherend, "max-ring-page-order",
					   0);
	info->nr_rings = clamp(min3(blkf_max_queues, max_q, num_online_cpus()),
			       1u, (unsigned int)BLKF_MAX_QUEUES);
	info->ring_order = min3(blkf_max_ring_page_order, max_order,
				(unsigned int)BLKF_MAX_RING_ORDER);
	ret = blkf_rings_setup(info);
	if (ret)
		dev_err(&dev->dev, "%s: setting up %u ring(s) of order %u: %d\n",
			info->name, info->nr_rings, info->ring_order, ret);
	return ret;
}

/* Read and check what the backend says about the disk. */
static int blkf_read_disk_info(struct blkf_info *info)
{
	struct pvxen_xenbus_device *dev = info->xbdev;
	const char *be = dev->otherend;
	unsigned long long sectors;
	unsigned int segs;

	if (pvxen_xs_scanf(PVXEN_XS_NO_TX, be, "sectors", "%llu",
			   &sectors) != 1) {
		dev_err(&dev->dev, "%s: backend gave no readable sectors\n",
			info->name);
		return -EINVAL;
	}
	if (sectors > (MAX_LFS_FILESIZE >> SECTOR_SHIFT)) {
		dev_err(&dev->dev, "%s: backend size of %llu sectors is absurd\n",
			info->name, sectors);
		return -EINVAL;
	}
	info->sectors = sectors;
	info->sector_size = pvxen_xenbus_read_uint(be, "sector-size", 0);
	if (info->sector_size < SECTOR_SIZE || info->sector_size > PAGE_SIZE ||
	    !is_power_of_2(info->sector_size)) {
		dev_err(&dev->dev,
			"%s: sector-size %u is not a power of two from 512 to %lu\n",
			info->name, info->sector_size, PAGE_SIZE);
		return -EINVAL;
	}
	info->phys_sector_size =
		pvxen_xenbus_read_uint(be, "physical-sector-size",
				       info->sector_size);
	if (info->phys_sector_size < info->sector_size ||
	    !is_power_of_2(info->phys_sector_size)) {
		dev_warn(&dev->dev,
			 "%s: ignoring physical-sector-size %u (logical %u)\n",
			 info->name, info->phys_sector_size, info->sector_size);
		info->phys_sector_size = info->sector_size;
	}
	info->vdisk_info = pvxen_xenbus_read_uint(be, "info", 0);

	/*
	 * A cache flush, where the backend offers one, is what flushes. FUA
	 * goes as a data-carrying barrier, only to a backend that offers
	 * barriers and no cache flush: blkback takes a barrier as a flush
	 * and then the write, so with a cache flush on offer the block layer
	 * does better with a write and a flush after it. The FUA flag is
	 * settled below, once it is known whether writes may be indirect (an
	 * indirect request carries only reads and writes).
	 */
	info->flush_op = 0;
	info->fua = false;
	if (pvxen_xenbus_read_uint(be, "feature-flush-cache", 0))
		info->flush_op = BLKIF_OP_FLUSH_DISKCACHE;
	else if (pvxen_xenbus_read_uint(be, "feature-barrier", 0))
		info->flush_op = BLKIF_OP_WRITE_BARRIER;

	info->discard = pvxen_xenbus_read_uint(be, "feature-discard", 0);
	if (info->discard) {
		info->discard_granularity =
			pvxen_xenbus_read_uint(be, "discard-granularity", 0);
		info->discard_alignment =
			pvxen_xenbus_read_uint(be, "discard-alignment", 0);
		info->discard_secure = pvxen_xenbus_read_uint(be, "discard-secure", 0);
		if (info->discard_granularity &&
		    !is_power_of_2(info->discard_granularity)) {
			dev_warn(&dev->dev,
				 "%s: discard-granularity %u is not a power of two; discard off\n",
				 info->name, info->discard_granularity);
			info->discard = false;
		}
		if (info->discard_granularity &&
		    info->discard_alignment >= info->discard_granularity)
			info->discard_alignment %= info->discard_granularity;
	}

	segs = min3(blkf_max_indirect_segments,
		    pvxen_xenbus_read_uint(be, "feature-max-indirect-segments", 0),
		    (unsigned int)BLKF_MAX_INDIRECT_SEGS);
	info->max_segs = max_t(unsigned int, segs,
			       BLKIF_MAX_SEGMENTS_PER_REQUEST);
	info->fua = info->flush_op == BLKIF_OP_WRITE_BARRIER &&
		    info->max_segs == BLKIF_MAX_SEGMENTS_PER_REQUEST;
	info->persistent = blkf_feature_persistent &&
			   pvxen_xenbus_read_uint(be, "feature-persistent", 0);
	/*
	 * A persistent page is never given back before disconnect: a
	 * request needing more than a ring's pool could only be requeued,
	 * for ever.
	 */
	if (info->persistent && info->max_segs > BLKF_PERSISTENT_MAX_SEGS) {
		dev_info(&dev->dev,
			 "%s: segments per request clamped from %u to %u: with persistent grants a ring keeps at most %u pages\n",
			 info->name, info->max_segs, BLKF_PERSISTENT_MAX_SEGS,
			 BLKF_PERSISTENT_PAGES);
		info->max_segs = BLKF_PERSISTENT_MAX_SEGS;
	}
	return 0;
}

static int blkf_getgeo(struct block_device *bdev, struct hd_geometry *geo)
{
	sector_t cyl = get_capacity(bdev->bd_disk);

	/* A made-up geometry, as partitioning tools expect one. */
	geo->heads = 255;
	geo->sectors = 63;
	sector_div(cyl, 255 * 63);
	geo->cylinders = min_t(sector_t, cyl, 0xffff);
	return 0;
}

static const struct block_device_operations blkf_fops = {
	.owner = THIS_MODULE,
	.getgeo = blkf_getgeo,
};

/* The disk's queue limits, handed over when it is allocated. */
static void blkf_limits(struct blkf_info *info, struct pvxen_blk_limits *pl)
{
	struct queue_limits *lim = &pl->lim;
	unsigned int max_discard;

	lim->logical_block_size = info->sector_size;
	lim->physical_block_size = info->phys_sector_size;
	lim->max_hw_sectors = info->max_segs * BLKF_SECT_PER_PAGE;
	/* Data is copied into whole pages: bio layout does not matter. */
	lim->max_segments = USHRT_MAX;
	lim->max_segment_size = UINT_MAX;
	pl->write_cache = info->flush_op != 0;
	pl->fua = info->fua;
	if (info->discard) {
		max_discard = min_t(u64, info->sectors, UINT_MAX >> SECTOR_SHIFT);
		lim->max_hw_discard_sectors = max_discard;
		lim->discard_granularity = info->discard_granularity ?:
					   info->phys_sector_size;
		lim->discard_alignment = info->discard_alignment;
		if (info->discard_secure)
			pl->max_secure_erase_sectors = max_discard;
	}
}

/*
 * Deliver each ring's events to a CPU that submits on it: completions
 * then run where the requests came from, without an IPI.
 */
static void blkf_spread_irqs(struct blkf_info *info)
{
	const struct blk_mq_queue_map *map =
		&info->tag_set.map[HCTX_TYPE_DEFAULT];
	unsigned int i, cpu;

	for (i = 0; i < info->nr_rings; i++) {
		for_each_online_cpu(cpu)
			if (map->mq_map[cpu] == i)
				break;
		if (cpu >= nr_cpu_ids)
			continue;
		if (irq_set_affinity(info->rings[i].evtchn.irq,
				     cpumask_of(cpu)))
			dev_dbg(&info->xbdev->dev, "%s: ring %u stays on its CPU\n",
				info->name, i);
	}
}

/* Backend Connected for the first time: bring the disk up. */
static int blkf_connect(struct pvxen_front *f)
{
	struct blkf_info *info = blkf_of(f);
	struct pvxen_xenbus_device *dev = info->xbdev;
	struct pvxen_blk_limits pl = {};
	struct gendisk *gd;
	int minors, ret;

	ret = blkf_read_disk_info(info);
	if (ret)
		return ret;

	memset(&info->tag_set, 0, sizeof(info->tag_set));
	info->tag_set.ops = &blkf_mq_ops;
	info->tag_set.nr_hw_queues = info->nr_rings;
	info->tag_set.queue_depth = RING_SIZE(&info->rings[0].front);
	info->tag_set.numa_node = NUMA_NO_NODE;
	info->tag_set.cmd_size = blkf_pdu_size(info->max_segs);
	info->tag_set.flags = BLK_MQ_F_SHOULD_MERGE;
	info->tag_set.driver_data = info;
	ret = blk_mq_alloc_tag_set(&info->tag_set);
	if (ret)
		return ret;
	info->tag_set_live = true;
	blkf_spread_irqs(info);

	/* The tag set and the disk go at remove(). */
	blkf_limits(info, &pl);
	minors = info->part ? 1 : BLKF_PARTS_PER_DISK;
	gd = pvxen_blk_mq_alloc_disk(&info->tag_set, &pl, info, minors);
	if (IS_ERR(gd))
		return PTR_ERR(gd);
	info->gd = gd;
	blk_queue_rq_timeout(gd->queue, blkf_timeout_s * HZ);
	gd->major = blkf_major;
	gd->first_minor = info->index * BLKF_PARTS_PER_DISK + info->part;
	gd->minors = minors;
	gd->fops = &blkf_fops;
	gd->private_data = info;
	strscpy(gd->disk_name, info->name, sizeof(gd->disk_name));
	if (info->vdisk_info & (VDISK_CDROM | VDISK_REMOVABLE))
		gd->flags |= GENHD_FL_REMOVABLE;
	set_capacity(gd, info->sectors);
	set_disk_ro(gd, info->vdisk_info & VDISK_READONLY);

	/* Partition scanning in device_add_disk() reads the disk. */
	WRITE_ONCE(info->front.conn, PVXEN_FRONT_CONNECTED);
	ret = device_add_disk(&dev->dev, gd, NULL);
	if (ret)
		return ret;
	info->disk_added = true;
	pvxen_xenbus_switch_state(dev, PVXEN_XENBUS_CONNECTED);
	dev_info(&dev->dev,
		 "%s: %llu sectors (%llu MiB), %u-byte sectors%s%s; %u queue(s), ring order %u, %u segments per request%s; flush %s%s%s\n",
		 info->name, info->sectors, info->sectors >> 11,
		 info->sector_size,
		 info->vdisk_info & VDISK_READONLY ? ", read-only" : "",
		 info->vdisk_info & VDISK_CDROM ? ", cdrom" : "",
		 info->nr_rings, info->ring_order, info->max_segs,
		 info->persistent ? ", persistent grants" : "",
		 info->flush_op == BLKIF_OP_FLUSH_DISKCACHE ? "cache" :
		 info->flush_op ? "barrier" : "none",
		 info->fua ? ", fua" : "",
		 info->discard ? (info->discard_secure ?
				  ", secure discard" : ", discard") : "");
	return 0;
}

/* Online resize: the backend wrote a new "sectors". */
static void blkf_update_size(struct pvxen_front *f)
{
	struct blkf_info *info = blkf_of(f);
	unsigned long long sectors;

	if (f->conn != PVXEN_FRONT_CONNECTED || !info->gd)
		return;
	if (pvxen_xs_scanf(PVXEN_XS_NO_TX, info->xbdev->otherend, "sectors",
			   "%llu", &sectors) != 1 || sectors == info->sectors)
		return;
	if (sectors > (MAX_LFS_FILESIZE >> SECTOR_SHIFT)) {
		dev_err(&info->xbdev->dev, "%s: ignoring absurd new size %llu\n",
			info->name, sectors);
		return;
	}
	dev_info(&info->xbdev->dev, "%s: resized from %llu to %llu sectors\n",
		 info->name, info->sectors, sectors);
	info->sectors = sectors;
	set_capacity_and_notify(info->gd, sectors);
}

static void blkf_resize_work(struct work_struct *work)
{
	struct blkf_info *info = container_of(work, struct blkf_info,
					      resize_work);

	mutex_lock(&info->front.mutex);
	if (!info->front.removing)
		blkf_update_size(&info->front);
	mutex_unlock(&info->front.mutex);
}

/* Not in the watch thread: the mutex may be held while we wait (close). */
static void blkf_sectors_changed(struct pvxen_xs_watch *w, const char *path)
{
	struct blkf_info *info = container_of(w, struct blkf_info,
					      sectors_watch);

	queue_work(system_long_wq, &info->resize_work);
}

/* Stop I/O for good: new requests fail, the disk reads as dead. */
static void blkf_kill_disk(struct blkf_info *info)
{
	WRITE_ONCE(info->front.conn, PVXEN_FRONT_DEAD);
	if (info->disk_added)
		blk_mark_disk_dead(info->gd);
}

/* Fail what the backend will not answer any more, saying how much. */
static void blkf_fail_unanswered(struct blkf_info *info)
{
	unsigned int n;

	if (!info->rings)
		return;
	n = blkf_inflight(info);
	if (n)
		dev_warn(&info->xbdev->dev, "%s: failing %u unanswered request(s)\n",
			 info->name, n);
	blkf_fail_all(info);
}

/*
 * The backend is closing (hot-unplug, xl block-detach, a backend that
 * gave up) or gone: if @wait, let requests already on the ring finish for
 * a while; then fail the rest.  The disk stays, dead, until the device
 * goes away.
 */
static void blkf_stop(struct pvxen_front *f, bool wait)
{
	struct blkf_info *info = blkf_of(f);
	unsigned long deadline = jiffies + info->timeout_s * HZ;

	if (f->conn == PVXEN_FRONT_CONNECTED) {
		if (wait)
			dev_info(&info->xbdev->dev,
				 "%s: backend closing, %u request(s) in flight\n",
				 info->name, info->rings ? blkf_inflight(info) : 0);
		blkf_kill_disk(info);
		/* In our own work: no other device waits with us. */
		while (wait && info->rings && blkf_inflight(info) &&
		       time_before(jiffies, deadline) &&
		       !pvxen_xenbus_unbinding(info->xbdev))
			msleep(20);
	}
	blkf_fail_unanswered(info);
}

/* Free the rings; nothing is in flight. */
static void blkf_teardown(struct pvxen_front *f)
{
	struct blkf_info *info = blkf_of(f);

	/*
	 * Completions of the failed requests may still run, and a
	 * submission may be between its checks: the freeze waits for every
	 * request to end (new ones fail at once) before the rings go.
	 */
	if (info->gd)
		blk_mq_freeze_queue(info->gd->queue);
	blkf_rings_teardown(info);
	if (info->gd)
		blk_mq_unfreeze_queue(info->gd->queue);
}

/* A ring broke (the fail work of pvxen-core): fail the disk's I/O. */
static void blkf_broken(struct pvxen_front *f)
{
	struct blkf_info *info = blkf_of(f);

	blkf_kill_disk(info);
	if (info->rings)
		blkf_fail_all(info);
}

static const struct pvxen_front_ops blkf_front_ops = {
	.setup = blkf_setup,
	.publish = blkf_publish,
	.teardown = blkf_teardown,
	.connect = blkf_connect,
	.changed = blkf_update_size,
	.stop = blkf_stop,
	.broken = blkf_broken,
	.noun = "disk",
};

static void blkf_otherend_changed(struct pvxen_xenbus_device *dev,
				  enum pvxen_xenbus_state state)
{
	struct blkf_info *info = dev_get_drvdata(&dev->dev);

	pvxen_front_otherend_changed(&info->front, state);
}

/* ---- debugfs ------------------------------------------------------------- */

static int blkf_dbg_show(struct seq_file *m, void *unused)
{
	struct blkf_info *info = m->private;
	struct blkf_stats sum = {};
	unsigned int i, inflight = 0, pool = 0, pers = 0, brk = 0;
	unsigned long deferred = 0, flags;
	int ret;

	ret = mutex_lock_interruptible(&info->front.mutex);
	if (ret)
		return ret;
	seq_printf(m, "name: %s\nvirtual-device: %u\nbackend: %s\n",
		   info->name, info->vdev, info->xbdev->otherend);
	seq_printf(m, "state: %s\ntrusted: %d\n",
		   pvxen_front_strconn(info->front.conn), info->trusted);
	seq_printf(m, "queues: %u\nring_page_order: %u\nring_size: %u\n",
		   info->nr_rings, info->ring_order,
		   info->rings ? RING_SIZE(&info->rings[0].front) : 0);
	seq_printf(m, "sectors: %llu\nsector_size: %u\nphysical_sector_size: %u\n",
		   info->sectors, info->sector_size, info->phys_sector_size);
	seq_printf(m, "info: %#x\nmax_segments: %u\npersistent: %d\n",
		   info->vdisk_info, info->max_segs, info->persistent);
	seq_printf(m, "flush: %s\nfua: %d\ndiscard: %d\ndiscard_secure: %d\n",
		   info->flush_op == BLKIF_OP_FLUSH_DISKCACHE ? "cache" :
		   info->flush_op ? "barrier" : "none", info->fua,
		   info->discard, info->discard_secure);
	for (i = 0; info->rings && i < info->nr_rings; i++) {
		struct blkf_ring *r = &info->rings[i];

		spin_lock_irqsave(&r->lock, flags);
		sum.requests += r->st.requests;
		sum.reads += r->st.reads;
		sum.writes += r->st.writes;
		sum.flushes += r->st.flushes;
		sum.discards += r->st.discards;
		sum.done_reads += r->st.done_reads;
		sum.done_writes += r->st.done_writes;
		sum.done_flushes += r->st.done_flushes;
		sum.done_discards += r->st.done_discards;
		sum.errors += r->st.errors;
		sum.not_supported += r->st.not_supported;
		sum.bad_responses += r->st.bad_responses;
		sum.timeouts += r->st.timeouts;
		inflight += r->inflight;
		pool += r->pool_total;
		pers += r->persistent;
		deferred += r->deferred;
		brk += r->broken;
		spin_unlock_irqrestore(&r->lock, flags);
	}
	seq_printf(m, "requests: %llu\nreads: %llu\nwrites: %llu\nflushes: %llu\ndiscards: %llu\n",
		   sum.requests, sum.reads, sum.writes, sum.flushes,
		   sum.discards);
	seq_printf(m, "done_reads: %llu\ndone_writes: %llu\ndone_flushes: %llu\ndone_discards: %llu\n",
		   sum.done_reads, sum.done_writes, sum.done_flushes,
		   sum.done_discards);
	seq_printf(m, "not_supported: %llu\n", sum.not_supported);
	seq_printf(m, "errors: %llu\nbad_responses: %llu\ntimeouts: %llu\nbroken_rings: %u\n",
		   sum.errors, sum.bad_responses, sum.timeouts, brk);
	seq_printf(m, "inflight: %u\npages: %u\npersistent_grants: %u\ndeferred_pages: %lu\n",
		   inflight, pool, pers, deferred);
	mutex_unlock(&info->front.mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(blkf_dbg);

/* ---- probe and remove ----------------------------------------------------- */

static int blkf_probe(struct pvxen_xenbus_device *dev,
		      const struct pvxen_xenbus_device_id *id)
{
	struct blkf_info *info;
	unsigned int vdev;
	int ret;

	if (pvxen_xs_scanf(PVXEN_XS_NO_TX, dev->nodename, "virtual-device",
			   "%u", &vdev) != 1) {
		dev_err(&dev->dev, "no readable virtual-device\n");
		return -ENODEV;
	}
	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	info->xbdev = dev;
	info->vdev = vdev;
	ret = blkf_parse_vdev(vdev, &info->index, &info->part);
	if (ret) {
		dev_err(&dev->dev,
			"virtual-device %u (%#x): only xvd (major 202) and extended numbers are supported\n",
			vdev, vdev);
		goto free;
	}
	blkf_make_name(info->name, sizeof(info->name), info->index,
		       info->part);
	ret = xa_insert(&blkf_indices, info->index * BLKF_PARTS_PER_DISK +
			info->part, info, GFP_KERNEL);
	if (ret) {
		dev_err(&dev->dev, "%s (virtual-device %u) is already in use\n",
			info->name, vdev);
		goto free;
	}
	info->trusted = pvxen_xenbus_read_uint(dev->nodename, "trusted", 1);
	if (!info->trusted)
		dev_info(&dev->dev, "%s: backend not trusted\n", info->name);
	info->timeout_s = blkf_timeout_s;
	pvxen_front_init(&info->front, dev, &blkf_front_ops, info->name);
	INIT_WORK(&info->resize_work, blkf_resize_work);
	dev_set_drvdata(&dev->dev, info);
	if (blkf_dbg_root)
		info->dbg = debugfs_create_file(info->name, 0444, blkf_dbg_root,
						info, &blkf_dbg_fops);
	/*
	 * A previous driver left the device Closed: Initialising again
	 * asks the backend to prepare a new connection (InitWait).
	 */
	ret = pvxen_front_start(&info->front);
	if (ret)
		goto unindex;
	ret = pvxen_xs_watch(&info->sectors_watch, dev->otherend, "sectors",
			     blkf_sectors_changed);
	if (ret) {
		dev_err(&dev->dev, "%s: cannot watch the backend's size (%d)\n",
			info->name, ret);
		goto unindex;
	}
	return 0;
unindex:
	debugfs_remove(info->dbg);
	dev_set_drvdata(&dev->dev, NULL);
	xa_erase(&blkf_indices, info->index * BLKF_PARTS_PER_DISK + info->part);
free:
	kfree(info);
	return ret;
}

static void blkf_remove(struct pvxen_xenbus_device *dev)
{
	struct blkf_info *info = dev_get_drvdata(&dev->dev);

	/*
	 * No work may run from here on, nor be queued again: pvxen-core's
	 * fail work (which the interrupt and blk-mq's timeouts may ask for
	 * until the rings and the disk are gone) first, then the watch and
	 * the resize work it queues.
	 */
	pvxen_front_remove(&info->front);
	pvxen_xs_unwatch(&info->sectors_watch);
	cancel_work_sync(&info->resize_work);
	debugfs_remove(info->dbg);

	mutex_lock(&info->front.mutex);
	if (READ_ONCE(blkf_remove_delay_ms))
		msleep(READ_ONCE(blkf_remove_delay_ms));
	if (info->gd) {
		blkf_kill_disk(info);
		/* Nothing can answer any more: fail what is left first. */
		blkf_fail_unanswered(info);
		pvxen_blk_remove_disk(info->gd, info->disk_added);
		info->gd = NULL;
	}
	if (info->tag_set_live)
		blk_mq_free_tag_set(&info->tag_set);
	info->tag_set_live = false;
	pvxen_front_teardown(&info->front);
	mutex_unlock(&info->front.mutex);

	xa_erase(&blkf_indices, info->index * BLKF_PARTS_PER_DISK + info->part);
	dev_set_drvdata(&dev->dev, NULL);
	kfree(info);
}

static const struct pvxen_xenbus_device_id blkf_ids[] = {
	{ "vbd" },
	{ "" }
};

static struct pvxen_xenbus_driver blkf_driver = {
	.name = "pvxen-blkfront",
	.ids = blkf_ids,
	.probe = blkf_probe,
	.otherend_changed = blkf_otherend_changed,
	.remove = blkf_remove,
};

static int __init blkf_init(void)
{
	int ret;

	/* Every request kind carries its id at the same offset. */
	BUILD_BUG_ON(offsetof(struct blkif_request, u.rw.id) !=
		     offsetof(struct blkif_request, u.discard.id));
	BUILD_BUG_ON(offsetof(struct blkif_request, u.rw.id) !=
		     offsetof(struct blkif_request, u.indirect.id));
	BUILD_BUG_ON(offsetof(struct blkif_request, u.rw.id) !=
		     offsetof(struct blkif_request, u.other.id));
	if (PAGE_SHIFT != XEN_PAGE_SHIFT) {
		pr_err("needs 4 KiB pages (this kernel has %lu)\n",
		       PAGE_SIZE);
		return -ENODEV;
	}
	ret = register_blkdev(0, "xvd");
	if (ret < 0)
		return ret;
	blkf_major = ret;
	blkf_dbg_parent = debugfs_lookup("pvxen", NULL);
	blkf_dbg_root = debugfs_create_dir("blkfront", blkf_dbg_parent);
	if (IS_ERR(blkf_dbg_root))
		blkf_dbg_root = NULL;
	if (blkf_dbg_root)
		debugfs_create_u32("remove_delay_ms", 0600, blkf_dbg_root,
				   &blkf_remove_delay_ms);
	ret = pvxen_xenbus_register_driver(&blkf_driver);
	if (ret)
		goto fail;
	pr_info("major %d; max_queues=%u max_indirect_segments=%u max_ring_page_order=%u feature_persistent=%d\n",
		blkf_major, blkf_max_queues, blkf_max_indirect_segments,
		blkf_max_ring_page_order, blkf_feature_persistent);
	return 0;
fail:
	debugfs_remove_recursive(blkf_dbg_root);
	dput(blkf_dbg_parent);
	unregister_blkdev(blkf_major, "xvd");
	return ret;
}

static void __exit blkf_exit(void)
{
	pvxen_xenbus_unregister_driver(&blkf_driver);
	debugfs_remove_recursive(blkf_dbg_root);
	dput(blkf_dbg_parent);
	unregister_blkdev(blkf_major, "xvd");
	WARN_ON(!xa_empty(&blkf_indices));
}

module_init(blkf_init);
module_exit(blkf_exit);

MODULE_DESCRIPTION("pvxen Xen PV block frontend (xvd*)");
MODULE_LICENSE("GPL");
MODULE_VERSION(PVXEN_VERSION);
MODULE_SOFTDEP("pre: pvxen-core");
