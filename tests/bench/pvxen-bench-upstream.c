// SPDX-License-Identifier: GPL-2.0-only
/*
 * The benchmark loops of bench.h over Linux's own Xen code, in the xenref
 * kernel (CONFIG_XEN=y): the reference pvxen is compared with.
 */
#include <linux/module.h>

#include <asm/xen/hypercall.h>
#include <xen/events.h>
#include <xen/grant_table.h>
#include <xen/xenbus.h>

#include "bench.h"

static evtchn_port_t up_send_port;
static int up_irq = -1;

static int __init up_evt_open(void)
{
	struct evtchn_alloc_unbound alloc = {
		.dom = DOMID_SELF,
		.remote_dom = DOMID_SELF,
	};
	struct evtchn_bind_interdomain bind = { .remote_dom = DOMID_SELF };
	struct evtchn_close close;
	int ret;

	ret = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &alloc);
	if (ret)
		return ret;
	up_send_port = alloc.port;
	bind.remote_port = alloc.port;
	ret = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bind);
	if (ret)
		goto err_close;
	ret = bind_evtchn_to_irqhandler(bind.local_port, bench_evt_handler, 0,
					"pvxen-bench", NULL);
	if (ret < 0) {
		close.port = bind.local_port;
		HYPERVISOR_event_channel_op(EVTCHNOP_close, &close);
		goto err_close;
	}
	up_irq = ret;
	return ret;

err_close:
	close.port = up_send_port;
	HYPERVISOR_event_channel_op(EVTCHNOP_close, &close);
	return ret;
}

static int up_evt_send(void)
{
	notify_remote_via_evtchn(up_send_port);
	return 0;
}

static void __init up_evt_close(void)
{
	struct evtchn_close close = { .port = up_send_port };

	/* Closes the receiving port too. */
	unbind_from_irqhandler(up_irq, NULL);
	HYPERVISOR_event_channel_op(EVTCHNOP_close, &close);
}

static int up_grant(domid_t domid, unsigned long gfn, grant_ref_t *ref)
{
	int ret = gnttab_grant_foreign_access(domid, gfn, 1);

	if (ret < 0)
		return ret;
	*ref = ret;
	return 0;
}

static int up_ungrant(grant_ref_t ref)
{
	return gnttab_try_end_foreign_access(ref) ? 0 : -EBUSY;
}

static int up_alloc_ref(grant_ref_t *ref)
{
	grant_ref_t head;
	int ret = gnttab_alloc_grant_references(1, &head);

	if (ret)
		return ret;
	ret = gnttab_claim_grant_reference(&head);
	if (ret < 0)
		return ret;
	*ref = ret;
	return 0;
}

static void up_free_ref(grant_ref_t ref)
{
	gnttab_free_grant_reference(ref);
}

static void up_fill(grant_ref_t ref, domid_t domid, unsigned long gfn)
{
	gnttab_grant_foreign_access_ref(ref, domid, gfn, 1);
}

static int up_revoke(grant_ref_t ref)
{
	return pvxen_gnttab_end_foreign_access_ref(ref) ? 0 : -EBUSY;
}

static int up_xs_read(const char *node)
{
	char *val = xenbus_read(XBT_NIL, node, "", NULL);

	if (IS_ERR(val))
		return PTR_ERR(val);
	kfree(val);
	return 0;
}

static const struct bench_ops up_ops __initconst = {
	.side = "upstream",
	.evt_open = up_evt_open,
	.evt_send = up_evt_send,
	.evt_close = up_evt_close,
	.grant = up_grant,
	.ungrant = up_ungrant,
	.alloc_ref = up_alloc_ref,
	.free_ref = up_free_ref,
	.fill = up_fill,
	.revoke = up_revoke,
	.xs_read = up_xs_read,
};

static int __init up_bench_init(void)
{
	return bench_run(&up_ops);
}

static void __exit up_bench_exit(void)
{
}

module_init(up_bench_init);
module_exit(up_bench_exit);
MODULE_DESCRIPTION("pvxen benchmarks over Linux's own Xen support");
MODULE_LICENSE("GPL");
