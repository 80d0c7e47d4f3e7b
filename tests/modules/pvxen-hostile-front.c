// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen-hostile-front: a raw, lying frontend for a backend's hostile-
 * frontend defences (tests/guest/mx-hostile.sh, on minixen's blkback and
 * netback). It drives its own domain's device/vbd/<vdev> and
 * device/vif/<id> itself, with pvxen-core's exported API only and
 * without pvxen-blkfront or pvxen-netfront loaded.
 *
 *   /sys/kernel/debug/pvxen-hostile/cmd   write one scenario, read its
 *	result back:
 *	blk MODE VDEV	a disk: good (a write and a read back of a
 *			pattern), bad-gref (a grant never made), nseg-0,
 *			nseg-12, first-gt-last, last-8, past-end (8 sectors
 *			from 4 before the end), ind-0 and ind-many
 *			(indirect, 0 and one more than the backend's
 *			feature-max-indirect-segments), bad-op, write (one
 *			page), overrun (request producer a ring and one
 *			ahead), storm (storm_events notifications with
 *			nothing queued, then a good read)
 *	net MODE ID	an interface: good (a 60-byte frame), bad-gref,
 *			cross (a slot crossing its page), many-slots (19
 *			slots), first-small (the first slot shorter than the
 *			second), overrun (TX producer a ring and one ahead),
 *			storm (then a good frame)
 *   The result: "rsp STATUS" (the response to the first bad slot;
 *   "rsp 0 data-ok" or "data-bad" after good's read back), "closing"
 *   (the backend went Closing, no response), "norsp" (neither within
 *   HF_RSP_MS), or "setup ERRNO WHAT"; followed by " +state N" if a
 *   response came but the backend left Connected, " +close-timeout" if
 *   the backend did not reach Closed within HF_STATE_MS of our Closing,
 *   " +deferred N" for pages the backend still held when the grants
 *   ended.
 *
 * Each scenario connects a fresh ring and event channel (the keys as
 * Linux's frontends write them, Initialised, the backend's Connected,
 * Connected), lies once, looks at the outcome and closes (Closing, the
 * backend's Closed, Closed) before ending its grants and closing its
 * port, so that nothing outlives it. Every wait is bounded.
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/if_ether.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include <xen/interface/grant_table.h>
#include <xen/interface/io/blkif.h>
#include <xen/interface/io/netif.h>
#include <xen/interface/io/protocols.h>
#include <xen/interface/io/ring.h>

#include <pvxen/events.h>
#include <pvxen/grant.h>
#include <pvxen/xenbus.h>
#include <pvxen/xenstore.h>
#include <pvxen/xs_wire.h>

#define HF_STATE_MS	10000	/* a backend state change */
#define HF_RSP_MS	5000	/* a response */
#define HF_POLL_MS	20
#define HF_MAX_PAGES	4
#define HF_RESULT	160
#define HF_FRAME	60
#define HF_MANY_SLOTS	19	/* XEN_NETIF_NR_SLOTS_MIN + 1 */
#define HF_SEGS_PER_PAGE	(PAGE_SIZE / sizeof(struct blkif_request_segment))

static unsigned int storm_events = 100000;
module_param(storm_events, uint, 0644);
MODULE_PARM_DESC(storm_events, "notifications of a storm scenario");

static DEFINE_MUTEX(hf_lock);
static struct dentry *hf_dir;
static char hf_result[HF_RESULT] = "none";
static atomic_t hf_events;
static DECLARE_WAIT_QUEUE_HEAD(hf_wq);

/*
 * One connection: pages [0] the ring (a vif: [0] TX, [1] RX), then
 * data pages, each granted to the backend; its port and IRQ.
 */
struct hf_conn {
	char dir[32];
	char *be;
	domid_t be_id;
	evtchn_port_t port;
	int irq;
	unsigned int nr_pages;
	struct page *page[HF_MAX_PAGES];
	grant_ref_t ref[HF_MAX_PAGES];
	int spare_ref;		/* allocated, never granted; or -1 */
	bool published;		/* our state was switched */
	unsigned int deferred;
	bool close_timeout;
	struct blkif_front_ring blk;
	struct xen_netif_tx_front_ring tx;
	struct xen_netif_rx_front_ring rx;
};

static irqreturn_t hf_irq(int irq, void *dev_id)
{
	atomic_inc(&hf_events);
	wake_up(&hf_wq);
	return IRQ_HANDLED;
}

static enum pvxen_xenbus_state hf_be_state(struct hf_conn *c)
{
	return pvxen_xenbus_read_state(c->be);
}

/* Wait until the backend's state is one in the mask; false on timeout. */
static bool hf_wait_be(struct hf_conn *c, unsigned int mask)
{
	unsigned long end = jiffies + msecs_to_jiffies(HF_STATE_MS);

	do {
		if (BIT(hf_be_state(c)) & mask)
			return true;
		msleep(HF_POLL_MS);
	} while (time_before(jiffies, end));
	return BIT(hf_be_state(c)) & mask;
}

static int hf_switch(struct hf_conn *c, enum pvxen_xenbus_state s)
{
	c->published = true;
	return pvxen_xs_printf(PVXEN_XS_NO_TX, c->dir, "state", "%d", s);
}

/* A zeroed page granted writable to the backend: its index, or errno. */
static int hf_grant(struct hf_conn *c)
{
	unsigned int i = c->nr_pages;
	struct page *pg;
	int ref;

	if (i == HF_MAX_PAGES)
		return -ENOSPC;
	pg = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!pg)
		return -ENOMEM;
	ref = pvxen_gnttab_grant_access(c->be_id, pvxen_page_to_gfn(pg),
					false);
	if (ref < 0) {
		__free_page(pg);
		return ref;
	}
	c->page[i] = pg;
	c->ref[i] = ref;
	c->nr_pages++;
	return i;
}

static void *hf_va(struct hf_conn *c, int i)
{
	return page_address(c->page[i]);
}

/* Let go of everything hf_open() took (whatever it got to). */
static void hf_release(struct hf_conn *c)
{
	unsigned int i;

	if (c->irq > 0)
		pvxen_evtchn_unbind_irq(c->irq, c);
	c->irq = 0;
	if (c->port)
		pvxen_evtchn_close(c->port);
	c->port = 0;
	for (i = 0; i < c->nr_pages; i++)
		if (!pvxen_gnttab_end_access(c->ref[i], c->page[i]))
			c->deferred++;
	c->nr_pages = 0;
	if (c->spare_ref >= 0)
		pvxen_gnttab_free_ref(c->spare_ref);
	c->spare_ref = -1;
	kfree(c->be);
	c->be = NULL;
}

/* The closing handshake, bounded, then hf_release(). */
static void hf_close(struct hf_conn *c)
{
	if (c->published && c->be) {
		hf_switch(c, PVXEN_XENBUS_CLOSING);
		c->close_timeout = !hf_wait_be(c, BIT(PVXEN_XENBUS_CLOSED));
		hf_switch(c, PVXEN_XENBUS_CLOSED);
	}
	hf_release(c);
}

/*
 * Set up a connection to device/@type/@id: rings (@nr_rings pages), a
 * port, the keys @keys() writes, Initialised, the backend Connected,
 * Connected. Returns 0, or a negative errno with *@what naming the step.
 */
static int hf_open(struct hf_conn *c, const char *type, unsigned int id,
		   unsigned int nr_rings,
		   int (*keys)(struct hf_conn *c), const char **what)
{
	unsigned int be_id, i;
	int ret;

	memset(c, 0, sizeof(*c));
	c->spare_ref = -1;
	snprintf(c->dir, sizeof(c->dir), "device/%s/%u", type, id);
	*what = "backend";
	c->be = pvxen_xs_read(PVXEN_XS_NO_TX, c->dir, "backend", NULL);
	if (IS_ERR(c->be)) {
		ret = PTR_ERR(c->be);
		c->be = NULL;
		return ret;
	}
	*what = "backend-id";
	ret = pvxen_xs_scanf(PVXEN_XS_NO_TX, c->dir, "backend-id", "%u",
			     &be_id);
	if (ret != 1 || be_id > U16_MAX) {
		ret = ret < 0 ? ret : -EINVAL;
		goto out_release;
	}
	c->be_id = be_id;
	/* The last scenario's close, or the first time: InitWait. */
	*what = "backend-not-waiting";
	ret = -ETIMEDOUT;
	if (!hf_wait_be(c, BIT(PVXEN_XENBUS_INIT_WAIT) |
			BIT(PVXEN_XENBUS_CLOSED)))
		goto out_release;
	*what = "grant";
	for (i = 0; i < nr_rings; i++) {
		ret = hf_grant(c);
		if (ret < 0)
			goto out_release;
	}
	*what = "evtchn";
	ret = pvxen_evtchn_alloc_unbound(c->be_id, &c->port);
	if (ret)
		goto out_release;
	ret = pvxen_evtchn_bind_irq(c->port, hf_irq, 0, "pvxen-hostile", c);
	if (ret < 0)
		goto out_release;
	c->irq = ret;
	*what = "keys";
	ret = keys(c);
	if (ret)
		goto out_release;
	ret = hf_switch(c, PVXEN_XENBUS_INITIALISED);
	if (ret)
		goto out_close;
	*what = "connect";
	ret = -ETIMEDOUT;
	if (!hf_wait_be(c, BIT(PVXEN_XENBUS_CONNECTED)))
		goto out_close;
	*what = "connected";
	ret = hf_switch(c, PVXEN_XENBUS_CONNECTED);
	if (ret)
		goto out_close;
	return 0;

out_close:
	hf_close(c);
	return ret;
out_release:
	hf_release(c);
	return ret;
}

/*
 * Wait (bounded) until @ready(c, n) or the backend leaves Connected.
 * Returns 0, -ECONNRESET (the backend went Closing) or -ETIMEDOUT.
 */
static int hf_wait_rsp(struct hf_conn *c, bool (*ready)(struct hf_conn *c,
							unsigned int n),
		       unsigned int n)
{
	unsigned long end = jiffies + msecs_to_jiffies(HF_RSP_MS);

	for (;;) {
		if (ready(c, n))
			return 0;
		if (hf_be_state(c) != PVXEN_XENBUS_CONNECTED)
			return ready(c, n) ? 0 : -ECONNRESET;
		if (time_after(jiffies, end))
			return -ETIMEDOUT;
		wait_event_timeout(hf_wq, ready(c, n),
				   msecs_to_jiffies(HF_POLL_MS));
	}
}

static void hf_notify(struct hf_conn *c)
{
	pvxen_evtchn_send(c->port);
}

/* Put a "closing", "norsp" or a state check after a response. */
static int hf_outcome(struct hf_conn *c, int err, int status, char *buf,
		      size_t size)
{
	enum pvxen_xenbus_state s;

	if (err == -ECONNRESET)
		return scnprintf(buf, size, "closing");
	if (err)
		return scnprintf(buf, size, "norsp");
	s = hf_be_state(c);
	if (s != PVXEN_XENBUS_CONNECTED)
		return scnprintf(buf, size, "rsp %d +state %d", status, s);
	return scnprintf(buf, size, "rsp %d", status);
}

/* Wait for the backend to go Closing after a fatal lie. */
static int hf_fatal(struct hf_conn *c, char *buf, size_t size)
{
	if (hf_wait_be(c, BIT(PVXEN_XENBUS_CLOSING) | BIT(PVXEN_XENBUS_CLOSED)))
		return scnprintf(buf, size, "closing");
	return scnprintf(buf, size, "still %d", hf_be_state(c));
}

/* ---- block ----------------------------------------------------------------- */

static int hf_blk_keys(struct hf_conn *c)
{
	struct blkif_sring *s = hf_va(c, 0);
	int ret;

	SHARED_RING_INIT(s);
	FRONT_RING_INIT(&c->blk, s, PAGE_SIZE);
	ret = pvxen_xs_printf(PVXEN_XS_NO_TX, c->dir, "ring-ref", "%u",
			      c->ref[0]);
	if (!ret)
		ret = pvxen_xs_printf(PVXEN_XS_NO_TX, c->dir, "event-channel",
				      "%u", c->port);
	if (!ret)
		ret = pvxen_xs_write(PVXEN_XS_NO_TX, c->dir, "protocol",
				     XEN_IO_PROTO_ABI_NATIVE);
	return ret;
}

static struct blkif_request *hf_blk_next(struct hf_conn *c)
{
	struct blkif_request *r;

	r = RING_GET_REQUEST(&c->blk, c->blk.req_prod_pvt);
	memset(r, 0, sizeof(*r));
	c->blk.req_prod_pvt++;
	return r;
}

/* A READ or WRITE of @nseg segments alike (at most 11 are filled in). */
static void hf_blk_rw(struct hf_conn *c, u8 op, unsigned int nseg,
		      grant_ref_t gref, u8 first, u8 last, u64 sector)
{
	struct blkif_request *r = hf_blk_next(c);
	unsigned int i;

	r->operation = op;
	r->u.rw.nr_segments = nseg;
	r->u.rw.id = c->blk.req_prod_pvt - 1;
	r->u.rw.sector_number = sector;
	for (i = 0; i < nseg && i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++) {
		r->u.rw.seg[i].gref = gref;
		r->u.rw.seg[i].first_sect = first;
		r->u.rw.seg[i].last_sect = last;
	}
}

static bool hf_blk_ready(struct hf_conn *c, unsigned int n)
{
	return READ_ONCE(c->blk.sring->rsp_prod) != c->blk.rsp_cons;
}

/* Push, notify, wait for one response: 0 and its status, or errno. */
static int hf_blk_do(struct hf_conn *c, int *status)
{
	struct blkif_response *rsp;
	int ret;

	RING_PUSH_REQUESTS(&c->blk);
	hf_notify(c);
	ret = hf_wait_rsp(c, hf_blk_ready, 1);
	if (ret)
		return ret;
	virt_rmb();	/* the response after the producer that covers it */
	rsp = RING_GET_RESPONSE(&c->blk, c->blk.rsp_cons);
	*status = READ_ONCE(rsp->status);
	c->blk.rsp_cons++;
	return 0;
}

/* good: a pattern written to sector 8, read back into a cleared page */
static int hf_blk_good(struct hf_conn *c, int d, char *buf, size_t size)
{
	u8 *p = hf_va(c, d);
	int ret, st, i;

	for (i = 0; i < PAGE_SIZE; i++)
		p[i] = i * 7 + 3;
	hf_blk_rw(c, BLKIF_OP_WRITE, 1, c->ref[d], 0, 7, 8);
	ret = hf_blk_do(c, &st);
	if (ret || st != BLKIF_RSP_OKAY)
		return hf_outcome(c, ret, st, buf, size);
	memset(p, 0, PAGE_SIZE);
	hf_blk_rw(c, BLKIF_OP_READ, 1, c->ref[d], 0, 7, 8);
	ret = hf_blk_do(c, &st);
	if (ret || st != BLKIF_RSP_OKAY)
		return hf_outcome(c, ret, st, buf, size);
	for (i = 0; i < PAGE_SIZE && p[i] == (u8)(i * 7 + 3); i++)
		;
	ret = hf_outcome(c, 0, st, buf, size);
	return ret + scnprintf(buf + ret, size - ret, " %s",
			       i == PAGE_SIZE ? "data-ok" : "data-bad");
}

/* An indirect read of @nseg segments, one indirect page. */
static int hf_blk_indirect(struct hf_conn *c, int d, unsigned int nseg,
			   int *status)
{
	struct blkif_request_segment *seg;
	struct blkif_request *r;
	int ind, i;

	ind = hf_grant(c);
	if (ind < 0)
		return ind;
	seg = hf_va(c, ind);
	for (i = 0; i < PAGE_SIZE / sizeof(*seg); i++)
		seg[i] = (struct blkif_request_segment){
			.gref = c->ref[d], .first_sect = 0, .last_sect = 0 };
	r = hf_blk_next(c);
	r->operation = BLKIF_OP_INDIRECT;
	r->u.indirect.indirect_op = BLKIF_OP_READ;
	r->u.indirect.nr_segments = nseg;
	r->u.indirect.id = c->blk.req_prod_pvt - 1;
	r->u.indirect.sector_number = 0;
	r->u.indirect.indirect_grefs[0] = c->ref[ind];
	return hf_blk_do(c, status);
}

static void hf_storm(struct hf_conn *c)
{
	unsigned int i;

	for (i = 0; i < storm_events; i++) {
		pvxen_evtchn_send(c->port);
		if (!(i % 1024))
			cond_resched();
	}
}

static int hf_blk_mode(struct hf_conn *c, const char *mode, char *buf,
		       size_t size)
{
	unsigned long long sectors = 0;
	unsigned int max_ind = 0;
	int d, ret, st = 0;

	d = hf_grant(c);
	if (d < 0)
		return scnprintf(buf, size, "setup %d data", d);
	if (!strcmp(mode, "good"))
		return hf_blk_good(c, d, buf, size);
	if (!strcmp(mode, "bad-gref")) {
		c->spare_ref = pvxen_gnttab_alloc_ref();
		if (c->spare_ref < 0)
			return scnprintf(buf, size, "setup %d ref", c->spare_ref);
		hf_blk_rw(c, BLKIF_OP_READ, 1, c->spare_ref, 0, 7, 0);
	} else if (!strcmp(mode, "nseg-0")) {
		hf_blk_rw(c, BLKIF_OP_READ, 0, c->ref[d], 0, 7, 0);
	} else if (!strcmp(mode, "nseg-12")) {
		hf_blk_rw(c, BLKIF_OP_READ, BLKIF_MAX_SEGMENTS_PER_REQUEST + 1,
			  c->ref[d], 0, 0, 0);
	} else if (!strcmp(mode, "first-gt-last")) {
		hf_blk_rw(c, BLKIF_OP_READ, 1, c->ref[d], 5, 2, 0);
	} else if (!strcmp(mode, "last-8")) {
		hf_blk_rw(c, BLKIF_OP_READ, 1, c->ref[d], 0, 8, 0);
	} else if (!strcmp(mode, "past-end")) {
		if (pvxen_xs_scanf(PVXEN_XS_NO_TX, c->be, "sectors", "%llu",
				   &sectors) != 1 || sectors < 4)
			return scnprintf(buf, size, "setup %d sectors", -EINVAL);
		hf_blk_rw(c, BLKIF_OP_READ, 1, c->ref[d], 0, 7, sectors - 4);
	} else if (!strcmp(mode, "ind-0") || !strcmp(mode, "ind-many")) {
		if (!strcmp(mode, "ind-many") &&
		    (pvxen_xs_scanf(PVXEN_XS_NO_TX, c->be,
				    "feature-max-indirect-segments", "%u",
				    &max_ind) != 1 || !max_ind ||
		     max_ind >= HF_SEGS_PER_PAGE))
			return scnprintf(buf, size, "setup %d max-indirect",
					 -EINVAL);
		ret = hf_blk_indirect(c, d, max_ind ? max_ind + 1 : 0, &st);
		return hf_outcome(c, ret, st, buf, size);
	} else if (!strcmp(mode, "bad-op")) {
		hf_blk_rw(c, 0x7f, 1, c->ref[d], 0, 7, 0);
	} else if (!strcmp(mode, "write")) {
		hf_blk_rw(c, BLKIF_OP_WRITE, 1, c->ref[d], 0, 7, 0);
	} else if (!strcmp(mode, "overrun")) {
		/* A ring and one ahead of the responses: no frontend means it */
		c->blk.req_prod_pvt += RING_SIZE(&c->blk) + 1;
		RING_PUSH_REQUESTS(&c->blk);
		hf_notify(c);
		return hf_fatal(c, buf, size);
	} else if (!strcmp(mode, "storm")) {
		hf_storm(c);
		hf_blk_rw(c, BLKIF_OP_READ, 1, c->ref[d], 0, 7, 0);
	} else {
		return scnprintf(buf, size, "setup %d mode", -EINVAL);
	}
	ret = hf_blk_do(c, &st);
	return hf_outcome(c, ret, st, buf, size);
}

/* ---- network --------------------------------------------------------------- */

static int hf_net_keys(struct hf_conn *c)
{
	struct xen_netif_tx_sring *tx = hf_va(c, 0);
	struct xen_netif_rx_sring *rx = hf_va(c, 1);
	int ret;

	SHARED_RING_INIT(tx);
	FRONT_RING_INIT(&c->tx, tx, PAGE_SIZE);
	SHARED_RING_INIT(rx);
	FRONT_RING_INIT(&c->rx, rx, PAGE_SIZE);
	ret = pvxen_xs_printf(PVXEN_XS_NO_TX, c->dir, "tx-ring-ref", "%u",
			      c->ref[0]);
	if (!ret)
		ret = pvxen_xs_printf(PVXEN_XS_NO_TX, c->dir, "rx-ring-ref",
				      "%u", c->ref[1]);
	if (!ret)
		ret = pvxen_xs_printf(PVXEN_XS_NO_TX, c->dir, "event-channel",
				      "%u", c->port);
	if (!ret)
		ret = pvxen_xs_write(PVXEN_XS_NO_TX, c->dir, "request-rx-copy",
				     "1");
	return ret;
}

/* The next TX slot: @gref, @offset, @size, @flags. */
static void hf_tx(struct hf_conn *c, grant_ref_t gref, u16 offset, u16 size,
		  u16 flags)
{
	struct xen_netif_tx_request *r;

	r = RING_GET_REQUEST(&c->tx, c->tx.req_prod_pvt);
	r->gref = gref;
	r->offset = offset;
	r->size = size;
	r->flags = flags;
	r->id = c->tx.req_prod_pvt & 0xffff;
	c->tx.req_prod_pvt++;
}

static bool hf_tx_ready(struct hf_conn *c, unsigned int n)
{
	return READ_ONCE(c->tx.sring->rsp_prod) - c->tx.rsp_cons >= n;
}

/* Push @n slots, wait for their responses: the first one's status. */
static int hf_tx_do(struct hf_conn *c, unsigned int n, int *status)
{
	struct xen_netif_tx_response *rsp;
	int ret;

	RING_PUSH_REQUESTS(&c->tx);
	hf_notify(c);
	ret = hf_wait_rsp(c, hf_tx_ready, n);
	if (ret)
		return ret;
	virt_rmb();	/* the response after the producer that covers it */
	rsp = RING_GET_RESPONSE(&c->tx, c->tx.rsp_cons);
	*status = READ_ONCE(rsp->status);
	c->tx.rsp_cons += n;
	return 0;
}

/* A frame from our MAC to nobody's (flooded, dropped by every peer). */
static void hf_frame(struct hf_conn *c, u8 *p)
{
	static const u8 dst[ETH_ALEN] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x01 };
	char *mac;
	int i;

	memset(p, 0xa5, HF_FRAME);
	memcpy(p, dst, ETH_ALEN);
	memset(p + ETH_ALEN, 0, ETH_ALEN);
	mac = pvxen_xs_read(PVXEN_XS_NO_TX, c->dir, "mac", NULL);
	if (!IS_ERR(mac)) {
		for (i = 0; i < ETH_ALEN; i++)
			if (sscanf(mac + 3 * i, "%2hhx", &p[ETH_ALEN + i]) != 1)
				break;
		kfree(mac);
	}
	p[12] = 0x88;	/* local experimental ethertype */
	p[13] = 0xb5;
}

static int hf_net_mode(struct hf_conn *c, const char *mode, char *buf,
		       size_t size)
{
	unsigned int n = 1, i;
	int d, ret, st = 0;

	d = hf_grant(c);
	if (d < 0)
		return scnprintf(buf, size, "setup %d data", d);
	hf_frame(c, hf_va(c, d));
	if (!strcmp(mode, "good")) {
		hf_tx(c, c->ref[d], 0, HF_FRAME, 0);
	} else if (!strcmp(mode, "bad-gref")) {
		c->spare_ref = pvxen_gnttab_alloc_ref();
		if (c->spare_ref < 0)
			return scnprintf(buf, size, "setup %d ref", c->spare_ref);
		hf_tx(c, c->spare_ref, 0, HF_FRAME, 0);
	} else if (!strcmp(mode, "cross")) {
		hf_tx(c, c->ref[d], PAGE_SIZE - 96, 200, 0);
		RING_PUSH_REQUESTS(&c->tx);
		hf_notify(c);
		return hf_fatal(c, buf, size);
	} else if (!strcmp(mode, "many-slots")) {
		n = HF_MANY_SLOTS;
		hf_tx(c, c->ref[d], 0, n * HF_FRAME, XEN_NETTXF_more_data);
		for (i = 1; i < n; i++)
			hf_tx(c, c->ref[d], 64 * i, HF_FRAME,
			      i + 1 < n ? XEN_NETTXF_more_data : 0);
	} else if (!strcmp(mode, "first-small")) {
		n = 2;
		hf_tx(c, c->ref[d], 0, HF_FRAME, XEN_NETTXF_more_data);
		hf_tx(c, c->ref[d], 128, 2 * HF_FRAME, 0);
	} else if (!strcmp(mode, "overrun")) {
		c->tx.req_prod_pvt += RING_SIZE(&c->tx) + 1;
		RING_PUSH_REQUESTS(&c->tx);
		hf_notify(c);
		return hf_fatal(c, buf, size);
	} else if (!strcmp(mode, "storm")) {
		hf_storm(c);
		hf_tx(c, c->ref[d], 0, HF_FRAME, 0);
	} else {
		return scnprintf(buf, size, "setup %d mode", -EINVAL);
	}
	ret = hf_tx_do(c, n, &st);
	return hf_outcome(c, ret, st, buf, size);
}

/* ---- commands -------------------------------------------------------------- */

static void hf_run(const char *kind, const char *mode, unsigned int id)
{
	bool blk = !strcmp(kind, "blk");
	struct hf_conn *c;
	const char *what;
	size_t n;
	int ret;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c) {
		scnprintf(hf_result, HF_RESULT, "setup %d alloc", -ENOMEM);
		return;
	}
	ret = hf_open(c, blk ? "vbd" : "vif", id, blk ? 1 : 2,
		      blk ? hf_blk_keys : hf_net_keys, &what);
	if (ret)
		n = scnprintf(hf_result, HF_RESULT, "setup %d %s", ret, what);
	else if (blk)
		n = hf_blk_mode(c, mode, hf_result, HF_RESULT);
	else
		n = hf_net_mode(c, mode, hf_result, HF_RESULT);
	if (!ret)
		hf_close(c);
	if (c->close_timeout)
		n += scnprintf(hf_result + n, HF_RESULT - n, " +close-timeout");
	if (c->deferred)
		n += scnprintf(hf_result + n, HF_RESULT - n, " +deferred %u",
			       c->deferred);
	kfree(c);
}

static ssize_t hf_cmd_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	char *line, *rest, *kind, *mode, *arg;
	unsigned int id;

	if (count > 64)
		return -E2BIG;
	line = memdup_user_nul(ubuf, count);
	if (IS_ERR(line))
		return PTR_ERR(line);
	rest = strim(line);
	kind = strsep(&rest, " ");
	mode = strsep(&rest, " ");
	arg = strsep(&rest, " ");
	if (!mode || !arg || kstrtouint(arg, 10, &id) ||
	    (strcmp(kind, "blk") && strcmp(kind, "net"))) {
		kfree(line);
		return -EINVAL;
	}
	mutex_lock(&hf_lock);
	hf_run(kind, mode, id);
	mutex_unlock(&hf_lock);
	kfree(line);
	return count;
}

static ssize_t hf_cmd_read(struct file *file, char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	char buf[HF_RESULT + 1];
	size_t n;

	mutex_lock(&hf_lock);
	n = scnprintf(buf, sizeof(buf), "%s\n", hf_result);
	mutex_unlock(&hf_lock);
	return simple_read_from_buffer(ubuf, count, ppos, buf, n);
}

static const struct file_operations hf_cmd_fops = {
	.owner = THIS_MODULE,
	.write = hf_cmd_write,
	.read = hf_cmd_read,
	.llseek = default_llseek,
};

static int __init hf_init(void)
{
	hf_dir = debugfs_create_dir("pvxen-hostile", NULL);
	debugfs_create_file("cmd", 0600, hf_dir, NULL, &hf_cmd_fops);
	return 0;
}

static void __exit hf_exit(void)
{
	/* A command in progress holds the file: it has ended by now. */
	debugfs_remove_recursive(hf_dir);
}

module_init(hf_init);
module_exit(hf_exit);

MODULE_DESCRIPTION("pvxen: a lying raw frontend for the backends' hostile-frontend tests");
MODULE_LICENSE("GPL");
