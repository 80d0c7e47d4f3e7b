// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen: xenbus client helpers for frontends: shared ring pages granted
 * to the backend, event channels bound to late-EOI interrupts, the keys
 * that publish them, and backend features read with a default
 * (include/pvxen/xenbus-client.h).
 */
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <pvxen/events.h>
#include <pvxen/grant.h>
#include <pvxen/xenbus-client.h>
#include <pvxen/xenstore.h>

/**
 * pvxen_xenbus_ring_setup() - Allocate a shared ring and grant it.
 * @dev: the device; its backend domain gets the grants
 * @order: log2 of the number of pages, at most PVXEN_XENBUS_MAX_RING_ORDER
 * @ring: filled in; on failure left empty (@ring->va NULL)
 *
 * The pages are zeroed and contiguous in this domain; each is granted on
 * its own, so that each can be reclaimed on its own if the backend keeps
 * one mapped.
 *
 * Context: process.
 * Return: 0, -EINVAL for a bad @order, -ENOMEM, or the grant's errno
 * (nothing left allocated or granted).
 */
int pvxen_xenbus_ring_setup(struct pvxen_xenbus_device *dev,
			    unsigned int order, struct pvxen_xenbus_ring *ring)
{
	unsigned int i;
	void *mem;
	int ret;

	memset(ring, 0, sizeof(*ring));
	if (order > PVXEN_XENBUS_MAX_RING_ORDER)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(ring->refs); i++)
		ring->refs[i] = PVXEN_XENBUS_NO_REF;
	mem = alloc_pages_exact(PAGE_SIZE << order, GFP_KERNEL | __GFP_ZERO);
	if (!mem)
		return -ENOMEM;
	ring->va = mem;
	ring->nr_pages = 1u << order;
	for (i = 0; i < ring->nr_pages; i++) {
		struct page *pg = virt_to_page((char *)mem + i * PAGE_SIZE);

		ret = pvxen_gnttab_grant_access(dev->otherend_id,
						pvxen_page_to_gfn(pg), false);
		if (ret < 0)
			goto undo_grants;
		ring->refs[i] = ret;
	}
	return 0;
undo_grants:
	pvxen_xenbus_ring_teardown(ring);
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_xenbus_ring_setup);

/**
 * pvxen_xenbus_ring_teardown() - End a ring's grants and free its pages.
 * @ring: as set up (or empty: nothing happens)
 *
 * A page the backend still maps is handed to pvxen-core's deferred
 * reclaim, which frees it once the backend lets go.
 *
 * Context: process.
 * Return: the number of pages handed to the deferred reclaim.
 */
unsigned int pvxen_xenbus_ring_teardown(struct pvxen_xenbus_ring *ring)
{
	unsigned int i, deferred = 0;

	for (i = 0; i < ring->nr_pages; i++) {
		struct page *pg = virt_to_page((char *)ring->va +
					       i * PAGE_SIZE);

		if (ring->refs[i] == PVXEN_XENBUS_NO_REF)
			__free_page(pg);
		else if (!pvxen_gnttab_end_access(ring->refs[i], pg))
			deferred++;
		ring->refs[i] = PVXEN_XENBUS_NO_REF;
	}
	ring->va = NULL;
	ring->nr_pages = 0;
	return deferred;
}
EXPORT_SYMBOL_GPL(pvxen_xenbus_ring_teardown);

/**
 * pvxen_xenbus_evtchn_setup() - Open a port for the backend and bind it.
 * @dev: the device; its backend domain may bind the port
 * @ch: filled in; on failure left empty
 * @handler: the interrupt handler (it must EOI: the port is late-EOI)
 * @dev_id: passed to @handler and to pvxen_xenbus_evtchn_teardown()
 * @fmt: printf format of the interrupt's name
 *
 * Context: process.
 * Return: 0 or a negative errno (the port closed again).
 */
int pvxen_xenbus_evtchn_setup(struct pvxen_xenbus_device *dev,
			      struct pvxen_xenbus_evtchn *ch,
			      irq_handler_t handler, void *dev_id,
			      const char *fmt, ...)
{
	va_list ap;
	int ret;

	memset(ch, 0, sizeof(*ch));
	va_start(ap, fmt);
	vsnprintf(ch->name, sizeof(ch->name), fmt, ap);
	va_end(ap);
	ret = pvxen_evtchn_alloc_unbound(dev->otherend_id, &ch->port);
	if (ret)
		return ret;
	ret = pvxen_evtchn_bind_irq_lateeoi(ch->port, handler, 0, ch->name,
					    dev_id);
	if (ret < 0)
		goto close_port;
	ch->irq = ret;
	return 0;
close_port:
	pvxen_evtchn_close(ch->port);
	ch->port = 0;
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_xenbus_evtchn_setup);

/**
 * pvxen_xenbus_evtchn_teardown() - Free the interrupt and close the port.
 * @ch: as set up (or empty: nothing happens)
 * @dev_id: as given to pvxen_xenbus_evtchn_setup()
 *
 * Context: process (waits for a running handler).
 */
void pvxen_xenbus_evtchn_teardown(struct pvxen_xenbus_evtchn *ch,
				  void *dev_id)
{
	if (ch->irq > 0)
		pvxen_evtchn_unbind_irq(ch->irq, dev_id);
	ch->irq = 0;
	if (ch->port)
		pvxen_evtchn_close(ch->port);
	ch->port = 0;
}
EXPORT_SYMBOL_GPL(pvxen_xenbus_evtchn_teardown);

/**
 * pvxen_xenbus_write_ring() - Publish a ring's grant references.
 * @tx: xenstore transaction
 * @dir: the directory (the device's, or a queue's)
 * @node: "ring-ref", "tx-ring-ref", ...
 * @ring: as set up
 *
 * One page: "@node"; several: "@node0" to "@node<N-1>" (the backend reads
 * how many from "ring-page-order", which the caller writes).
 *
 * Return: 0 or a negative errno.
 */
int pvxen_xenbus_write_ring(u32 tx, const char *dir, const char *node,
			    const struct pvxen_xenbus_ring *ring)
{
	unsigned int i;
	char name[32];
	int ret;

	if (ring->nr_pages == 1)
		return pvxen_xs_printf(tx, dir, node, "%u", ring->refs[0]);
	for (i = 0; i < ring->nr_pages; i++) {
		if (snprintf(name, sizeof(name), "%s%u", node, i) >=
		    sizeof(name))
			return -ENAMETOOLONG;
		ret = pvxen_xs_printf(tx, dir, name, "%u", ring->refs[i]);
		if (ret)
			return ret;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(pvxen_xenbus_write_ring);

/**
 * pvxen_xenbus_write_evtchn() - Publish an event channel's port.
 * @tx: xenstore transaction
 * @dir: the directory (the device's, or a queue's)
 * @node: "event-channel", "event-channel-tx", ...
 * @ch: as set up
 *
 * Return: 0 or a negative errno.
 */
int pvxen_xenbus_write_evtchn(u32 tx, const char *dir, const char *node,
			      const struct pvxen_xenbus_evtchn *ch)
{
	return pvxen_xs_printf(tx, dir, node, "%u", ch->port);
}
EXPORT_SYMBOL_GPL(pvxen_xenbus_write_evtchn);

/**
 * pvxen_xenbus_queue_dir() - Where queue @i's keys go.
 * @dev: the device
 * @nr_queues: how many queues the device uses
 * @i: the queue
 *
 * Return: a copy of the device's directory for one queue, else
 * "<nodename>/queue-<i>"; kfree() it.  NULL without memory.
 */
char *pvxen_xenbus_queue_dir(struct pvxen_xenbus_device *dev,
			     unsigned int nr_queues, unsigned int i)
{
	if (nr_queues == 1)
		return kstrdup(dev->nodename, GFP_KERNEL);
	return kasprintf(GFP_KERNEL, "%s/queue-%u", dev->nodename, i);
}
EXPORT_SYMBOL_GPL(pvxen_xenbus_queue_dir);

/**
 * pvxen_xenbus_remove_keys() - Remove the keys of @dir that start so.
 * @tx: xenstore transaction
 * @dir: the directory
 * @prefixes: name prefixes, e.g. "ring-ref" (also removes "ring-ref3")
 * @n: how many
 *
 * For a reconnection: what an earlier connection wrote with another
 * layout (more ring pages, queues) must not be read by the backend.
 *
 * Return: 0 or a negative errno.
 */
int pvxen_xenbus_remove_keys(u32 tx, const char *dir,
			     const char * const *prefixes, unsigned int n)
{
	unsigned int i, j, num;
	char **names;
	int ret = 0;

	names = pvxen_xs_directory(tx, dir, NULL, &num);
	if (IS_ERR(names))
		return PTR_ERR(names);
	for (i = 0; i < num && !ret; i++)
		for (j = 0; j < n; j++)
			if (!strncmp(names[i], prefixes[j],
				     strlen(prefixes[j]))) {
				ret = pvxen_xs_rm(tx, dir, names[i]);
				break;
			}
	kfree(names);
	return ret;
}
EXPORT_SYMBOL_GPL(pvxen_xenbus_remove_keys);

/**
 * pvxen_xenbus_read_uint() - Read an unsigned key, with a default.
 * @dir: directory, e.g. the backend's (dev->otherend)
 * @node: key, e.g. "multi-queue-max-queues"
 * @def: the value when the key is missing or not a number
 *
 * Return: the key's value or @def.
 */
unsigned int pvxen_xenbus_read_uint(const char *dir, const char *node,
				    unsigned int def)
{
	unsigned int v;

	if (pvxen_xs_scanf(PVXEN_XS_NO_TX, dir, node, "%u", &v) != 1)
		return def;
	return v;
}
EXPORT_SYMBOL_GPL(pvxen_xenbus_read_uint);
