// SPDX-License-Identifier: GPL-2.0-only
/*
 * The benchmark loops of bench.h over pvxen-core's services, in the test
 * kernel (CONFIG_XEN=n); compared with pvxen-bench-upstream.ko.
 */
#include <linux/module.h>

#include <pvxen/events.h>
#include <pvxen/grant.h>
#include <pvxen/xenstore.h>

#include "bench.h"

static evtchn_port_t pv_send_port, pv_recv_port;
static int pv_irq = -1;

static int __init pv_evt_open(void)
{
	int ret;

	ret = pvxen_evtchn_alloc_unbound(DOMID_SELF, &pv_send_port);
	if (ret)
		return ret;
	ret = pvxen_evtchn_bind_interdomain(DOMID_SELF, pv_send_port,
					    &pv_recv_port);
	if (ret)
		goto err_send;
	ret = pvxen_evtchn_bind_irq(pv_recv_port, bench_evt_handler, 0,
				    "pvxen-bench", NULL);
	if (ret < 0)
		goto err_recv;
	pv_irq = ret;
	return ret;

err_recv:
	pvxen_evtchn_close(pv_recv_port);
err_send:
	pvxen_evtchn_close(pv_send_port);
	return ret;
}

static int pv_evt_send(void)
{
	return pvxen_evtchn_send(pv_send_port);
}

static void __init pv_evt_close(void)
{
	pvxen_evtchn_unbind_irq(pv_irq, NULL);
	pvxen_evtchn_close(pv_recv_port);
	pvxen_evtchn_close(pv_send_port);
}

static int pv_grant(domid_t domid, unsigned long gfn, grant_ref_t *ref)
{
	int ret = pvxen_gnttab_grant_access(domid, pvxen_mk_pfn(gfn), true);

	if (ret < 0)
		return ret;
	*ref = ret;
	return 0;
}

static int pv_ungrant(grant_ref_t ref)
{
	int ret = pvxen_gnttab_try_revoke(ref);

	if (ret)
		return ret;
	pvxen_gnttab_free_ref(ref);
	return 0;
}

static int pv_alloc_ref(grant_ref_t *ref)
{
	int ret = pvxen_gnttab_alloc_ref();

	if (ret < 0)
		return ret;
	*ref = ret;
	return 0;
}

static void pv_free_ref(grant_ref_t ref)
{
	pvxen_gnttab_free_ref(ref);
}

static void pv_fill(grant_ref_t ref, domid_t domid, unsigned long gfn)
{
	pvxen_gnttab_grant_access_ref(ref, domid, pvxen_mk_pfn(gfn), true);
}

static int pv_revoke(grant_ref_t ref)
{
	return pvxen_gnttab_try_revoke(ref);
}

static int pv_xs_read(const char *node)
{
	void *val = pvxen_xs_read(PVXEN_XS_NO_TX, node, "", NULL);

	if (IS_ERR(val))
		return PTR_ERR(val);
	kfree(val);
	return 0;
}

static const struct bench_ops pv_ops __initconst = {
	.side = "pvxen",
	.evt_open = pv_evt_open,
	.evt_send = pv_evt_send,
	.evt_close = pv_evt_close,
	.grant = pv_grant,
	.ungrant = pv_ungrant,
	.alloc_ref = pv_alloc_ref,
	.free_ref = pv_free_ref,
	.fill = pv_fill,
	.revoke = pv_revoke,
	.xs_read = pv_xs_read,
};

static int __init pv_bench_init(void)
{
	return bench_run(&pv_ops);
}

static void __exit pv_bench_exit(void)
{
}

module_init(pv_bench_init);
module_exit(pv_bench_exit);
MODULE_DESCRIPTION("pvxen benchmarks over pvxen-core's services");
MODULE_LICENSE("GPL");
