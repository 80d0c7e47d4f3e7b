// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvxen-netfront: Xen PV network frontend on the pvxen bus.
 *
 * One Ethernet interface (eth%d) per device/vif/<id>, with the MAC
 * address the toolstack wrote, against netback or any backend speaking
 * the netif protocol: receive by copy (feature-rx-copy, required), several
 * queues (multi-queue-max-queues), scatter-gather both ways.
 *
 * This half: module parameters, the steps of the connection (pvxen-core's
 * state machine, include/pvxen/xenbus-front.h, calls them), the net_device
 * and ethtool.  The rings and the data path are in netfront-ring.c, which
 * reports a broken queue to pvxen-core (pvxen_front_fatal()), never back
 * here.
 */
#define pr_fmt(fmt) "pvxen-netfront: " fmt

#include <linux/cpumask.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include <net/tcp.h>

#include <pvxen/compat-net.h>
#include <pvxen/param.h>
#include <pvxen/xenstore.h>
#include <pvxen/version.h>

#include "netfront.h"

/* ---- module parameters --------------------------------------------------- */

static unsigned int netf_max_queues = 4;
static unsigned int netf_trusted = 1;

static const struct pvxen_param_limit netf_param_limits[] = {
	{ "max_queues", 1, NETF_MAX_QUEUES },
	{ "trusted", 0, 1 },
};

static int netf_param_set(const char *val, const struct kernel_param *kp)
{
	return pvxen_param_set_uint(val, kp, netf_param_limits,
				    ARRAY_SIZE(netf_param_limits));
}

static const struct kernel_param_ops netf_uint_ops = {
	.set = netf_param_set,
	.get = param_get_uint,
};

module_param_cb(max_queues, &netf_uint_ops, &netf_max_queues, 0444);
MODULE_PARM_DESC(max_queues,
		 "Most queues per interface, 1..8, default 4; also bounded by CPUs and the backend");
module_param_cb(trusted, &netf_uint_ops, &netf_trusted, 0444);
MODULE_PARM_DESC(trusted,
		 "Trust backends, 0 or 1, default 1; a device's own \"trusted\" key of 0 also distrusts its backend");

/* ---- the connection ------------------------------------------------------ */

static struct netf_info *netf_of(struct pvxen_front *f)
{
	return container_of(f, struct netf_info, front);
}

/* Features this end offers the backend: each key is written as 1. */
static const char * const netf_fe_features[] = {
	"request-rx-copy", "feature-rx-notify", "feature-sg",
	"feature-gso-tcpv4", "feature-gso-tcpv6", "feature-ipv6-csum-offload",
};

/* Keys a previous connection may have left with another layout. */
static const char * const netf_ring_keys[] = {
	"tx-ring-ref", "rx-ring-ref", "event-channel", "queue-",
	"multi-queue-num-queues",
};

/* Backend in InitWait: choose the queues and set them up. */
static int netf_setup(struct pvxen_front *f)
{
	struct netf_info *info = netf_of(f);
	const char *be = info->xbdev->otherend;
	unsigned int max_q;
	int ret;

	if (!pvxen_xenbus_read_uint(be, "feature-rx-copy", 0)) {
		netdev_err(info->netdev,
			   "the backend does not offer feature-rx-copy, which pvxen-netfront requires\n");
		return -EOPNOTSUPP;
	}
	info->be.sg = pvxen_xenbus_read_uint(be, "feature-sg", 0);
	info->be.gso4 = pvxen_xenbus_read_uint(be, "feature-gso-tcpv4", 0);
	info->be.gso6 = pvxen_xenbus_read_uint(be, "feature-gso-tcpv6", 0);
	info->be.csum6 = pvxen_xenbus_read_uint(be, "feature-ipv6-csum-offload",
						0);
	info->be.split = pvxen_xenbus_read_uint(be,
						"feature-split-event-channels",
						0);
	info->be_known = true;
	max_q = pvxen_xenbus_read_uint(be, "multi-queue-max-queues", 1);
	info->nr_queues = clamp(min3(netf_max_queues, max_q,
				     num_online_cpus()),
				1u, info->netdev->num_tx_queues);
	ret = netf_queues_setup(info);
	if (ret)
		netdev_err(info->netdev, "setting up %u queue(s): %d\n",
			   info->nr_queues, ret);
	return ret;
}

static int netf_publish(struct pvxen_front *f, u32 tx)
{
	struct netf_info *info = netf_of(f);
	const char *dir = info->xbdev->nodename;
	unsigned int i;
	int ret;

	ret = pvxen_xenbus_remove_keys(tx, dir, netf_ring_keys,
				       ARRAY_SIZE(netf_ring_keys));
	if (ret)
		return ret;
	if (info->nr_queues > 1) {
		ret = pvxen_xs_printf(tx, dir, "multi-queue-num-queues", "%u",
				      info->nr_queues);
		if (ret)
			return ret;
	}
	for (i = 0; i < info->nr_queues; i++) {
		char *qdir = pvxen_xenbus_queue_dir(info->xbdev,
						    info->nr_queues, i);

		if (!qdir)
			return -ENOMEM;
		ret = netf_queue_publish(&info->queues[i], tx, qdir);
		kfree(qdir);
		if (ret)
			return ret;
	}
	/* What this end takes: copies, notifications, packets of several
	 * slots, checksums left blank (IPv4 and IPv6) and TSO packets.
	 */
	for (i = 0; i < ARRAY_SIZE(netf_fe_features) && !ret; i++)
		ret = pvxen_xs_write(tx, dir, netf_fe_features[i], "1");
	if (!ret)
		ret = pvxen_xs_write(tx, dir, "feature-no-csum-offload", "0");
	return ret;
}

/* Rings published: netif has the frontend go Connected now. */
static int netf_connect(struct pvxen_front *f)
{
	struct netf_info *info = netf_of(f);
	struct net_device *dev = info->netdev;
	int ret;

	rtnl_lock();
	/* The offloads follow what this backend offers (netf_fix_features). */
	netdev_update_features(dev);
	ret = netif_set_real_num_tx_queues(dev, info->nr_queues);
	if (!ret)
		ret = netif_set_real_num_rx_queues(dev, info->nr_queues);
	if (!ret) {
		WRITE_ONCE(f->conn, PVXEN_FRONT_CONNECTED);
		if (netif_running(dev))
			netif_tx_wake_all_queues(dev);
	}
	rtnl_unlock();
	if (ret)
		return ret;
	return pvxen_xenbus_switch_state(info->xbdev,
					 PVXEN_XENBUS_CONNECTED);
}

/* The backend is Connected (again): the link is up. */
static void netf_backend_connected(struct pvxen_front *f)
{
	struct netf_info *info = netf_of(f);
	unsigned int i;

	/* Connected again without our asking: a backend that re-attached to
	 * our rings (netback unbound and bound again).  What we notified
	 * while it was away went nowhere, and our later requests asked for
	 * no event (req_event was behind them): tell it once more.
	 */
	if (netif_carrier_ok(info->netdev)) {
		netf_queues_kick(info);
		return;
	}
	netif_carrier_on(info->netdev);
	for (i = 0; i < info->nr_queues; i++)
		napi_schedule(&info->queues[i].napi);
	netdev_info(info->netdev, "connected: MAC %pM, %u queue(s)%s\n",
		    info->netdev->dev_addr, info->nr_queues,
		    info->trusted ? "" : ", backend not trusted");
}

/* The backend goes away: no more sending; what is in flight is lost. */
static void netf_stop(struct pvxen_front *f, bool wait)
{
	struct netf_info *info = netf_of(f);

	netif_carrier_off(info->netdev);
	netif_tx_disable(info->netdev);
}

static void netf_teardown(struct pvxen_front *f)
{
	netf_queues_teardown(netf_of(f));
}

static void netf_broken(struct pvxen_front *f)
{
	netf_stop(f, false);
}

static const struct pvxen_front_ops netf_front_ops = {
	.setup = netf_setup,
	.publish = netf_publish,
	.teardown = netf_teardown,
	.connect = netf_connect,
	.changed = netf_backend_connected,
	.stop = netf_stop,
	.broken = netf_broken,
	.noun = "interface",
	.connect_first = true,
	.reconnect = true,
};

static void netf_otherend_changed(struct pvxen_xenbus_device *dev,
				  enum pvxen_xenbus_state state)
{
	struct netf_info *info = dev_get_drvdata(&dev->dev);

	pvxen_front_otherend_changed(&info->front, state);
}

/* ---- net_device ------------------------------------------------------------ */

static int netf_open(struct net_device *dev)
{
	struct netf_info *info = netdev_priv(dev);
	unsigned int i;

	for (i = 0; i < dev->num_tx_queues; i++) {
		napi_enable(&info->queues[i].napi);
		napi_schedule(&info->queues[i].napi);
	}
	if (READ_ONCE(info->front.conn) == PVXEN_FRONT_CONNECTED)
		netif_tx_start_all_queues(dev);
	return 0;
}

static int netf_close(struct net_device *dev)
{
	struct netf_info *info = netdev_priv(dev);
	unsigned int i;

	netif_tx_stop_all_queues(dev);
	for (i = 0; i < dev->num_tx_queues; i++)
		napi_disable(&info->queues[i].napi);
	return 0;
}

/* Largest MTU: a packet of several slots needs SG (ours and the
 * backend's); one slot takes an Ethernet frame of ETH_DATA_LEN.
 */
static unsigned int netf_max_mtu(netdev_features_t features)
{
	return features & NETIF_F_SG ? XEN_NETIF_MAX_TX_SIZE - ETH_HLEN :
				       ETH_DATA_LEN;
}

static netdev_features_t netf_fix_features(struct net_device *dev,
					   netdev_features_t features)
{
	struct netf_info *info = netdev_priv(dev);

	/* Before the first connection nothing is known: keep them all. */
	if (!info->be_known)
		return features;
	if (!info->be.sg)
		features &= ~NETIF_F_SG;
	if (!info->be.csum6)
		features &= ~NETIF_F_IPV6_CSUM;
	if (!info->be.gso4)
		features &= ~NETIF_F_TSO;
	if (!info->be.gso6)
		features &= ~NETIF_F_TSO6;
	return features;
}

/* SG off: frames of one slot, so the MTU comes down to ETH_DATA_LEN.
 * Through dev_set_mtu() (RTNL held, as here), not by writing dev->mtu:
 * NETDEV_CHANGEMTU is what tells the stack.  Without it IPv6 keeps the
 * old MTU (its mtu6 and routes) and sends frames of up to 65521 bytes
 * unfragmented on a link of 1500; 5.10's __ip6_append_data() even fails
 * such a datagram of more than about 16 KiB with EINVAL where MAX_HEADER
 * is less than an IPv6 header (no tunnels, no WLAN).  Linux's
 * xen-netfront writes dev->mtu and has both.
 * If the MTU cannot change, neither do the features.
 */
static int netf_set_features(struct net_device *dev,
			     netdev_features_t features)
{
	unsigned int max = netf_max_mtu(features);
	int ret;

	if (dev->mtu <= max)
		return 0;
	netdev_info(dev, "scatter-gather off: MTU %u lowered to %u\n",
		    dev->mtu, max);
	ret = dev_set_mtu(dev, max);
	if (ret)
		netdev_err(dev, "MTU %u not lowered to %u: %d\n", dev->mtu,
			   max, ret);
	return ret;
}

static int netf_change_mtu(struct net_device *dev, int mtu)
{
	if (mtu > netf_max_mtu(dev->features)) {
		netdev_err(dev, "MTU %d is too large without scatter-gather (at most %u)\n",
			   mtu, netf_max_mtu(dev->features));
		return -EINVAL;
	}
	WRITE_ONCE(dev->mtu, mtu);
	return 0;
}

static void netf_get_stats64(struct net_device *dev,
			     struct rtnl_link_stats64 *tot)
{
	struct netf_info *info = netdev_priv(dev);
	unsigned int i, start;
	u64 p, b;

	for (i = 0; i < dev->num_tx_queues; i++) {
		struct netf_queue *q = &info->queues[i];

		do {
			start = u64_stats_fetch_begin(&q->tx_stats.syncp);
			p = q->tx_stats.packets;
			b = q->tx_stats.bytes;
		} while (u64_stats_fetch_retry(&q->tx_stats.syncp, start));
		tot->tx_packets += p;
		tot->tx_bytes += b;
		do {
			start = u64_stats_fetch_begin(&q->rx_stats.syncp);
			p = q->rx_stats.packets;
			b = q->rx_stats.bytes;
		} while (u64_stats_fetch_retry(&q->rx_stats.syncp, start));
		tot->rx_packets += p;
		tot->rx_bytes += b;
		tot->tx_errors += READ_ONCE(q->tx_errors);
		tot->rx_errors += READ_ONCE(q->rx_errors);
		tot->rx_dropped += READ_ONCE(q->rx_dropped);
	}
	tot->tx_dropped += dev->stats.tx_dropped;
}

static const struct net_device_ops netf_netdev_ops = {
	.ndo_open = netf_open,
	.ndo_stop = netf_close,
	.ndo_start_xmit = netf_start_xmit,
	.ndo_get_stats64 = netf_get_stats64,
	.ndo_fix_features = netf_fix_features,
	.ndo_set_features = netf_set_features,
	.ndo_change_mtu = netf_change_mtu,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

/* ---- ethtool ------------------------------------------------------------- */

/* The page_pool's counters only where the kernel keeps them
 * (CONFIG_PAGE_POOL_STATS, 5.18 on): a counter that cannot count is left
 * out rather than reported as zero.
 */
static const char netf_qstat_names[][ETH_GSTRING_LEN] = {
	"tx_packets", "tx_bytes", "tx_errors",
	"rx_packets", "rx_bytes", "rx_errors", "rx_dropped",
	"tx_csum", "tx_gso", "rx_csum", "rx_gso", "rx_copied",
	"rx_refill_short",
#ifdef CONFIG_PAGE_POOL_STATS
	"rx_pp_fast", "rx_pp_recycled",
#endif
};

#define NETF_QSTATS	ARRAY_SIZE(netf_qstat_names)

/* The page_pool's counters of queue @q, if the kernel keeps them. */
static void netf_get_pool_stats(struct netf_queue *q, u64 *data)
{
#ifdef CONFIG_PAGE_POOL_STATS
	struct netf_pp_stats pp;

	netf_rx_pool_stats(q, &pp);
	data[0] = pp.fast;
	data[1] = pp.recycled;
#endif
}

static void netf_get_drvinfo(struct net_device *dev,
			     struct ethtool_drvinfo *di)
{
	struct netf_info *info = netdev_priv(dev);

	strscpy(di->driver, KBUILD_MODNAME, sizeof(di->driver));
	strscpy(di->bus_info, dev_name(&info->xbdev->dev), sizeof(di->bus_info));
}

static int netf_get_sset_count(struct net_device *dev, int sset)
{
	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return 2 + dev->num_tx_queues * NETF_QSTATS;
}

static void netf_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	unsigned int i, k;

	if (sset != ETH_SS_STATS)
		return;
	ethtool_sprintf(&data, "broken");
	ethtool_sprintf(&data, "tx_dropped");
	for (i = 0; i < dev->num_tx_queues; i++)
		for (k = 0; k < NETF_QSTATS; k++)
			ethtool_sprintf(&data, "q%u_%s", i, netf_qstat_names[k]);
}

static void netf_get_ethtool_stats(struct net_device *dev,
				   struct ethtool_stats *st, u64 *data)
{
	struct netf_info *info = netdev_priv(dev);
	unsigned int i, start;

	*data++ = READ_ONCE(info->broken);
	/* The driver's own: the interface's tx_dropped also counts what the
	 * stack drops before it reaches us (6.12's noop qdisc, for packets
	 * sent between the interface coming up and its qdisc starting).
	 */
	*data++ = READ_ONCE(dev->stats.tx_dropped);
	for (i = 0; i < dev->num_tx_queues; i++) {
		struct netf_queue *q = &info->queues[i];

		do {
			start = u64_stats_fetch_begin(&q->tx_stats.syncp);
			data[0] = q->tx_stats.packets;
			data[1] = q->tx_stats.bytes;
		} while (u64_stats_fetch_retry(&q->tx_stats.syncp, start));
		data[2] = READ_ONCE(q->tx_errors);
		do {
			start = u64_stats_fetch_begin(&q->rx_stats.syncp);
			data[3] = q->rx_stats.packets;
			data[4] = q->rx_stats.bytes;
		} while (u64_stats_fetch_retry(&q->rx_stats.syncp, start));
		data[5] = READ_ONCE(q->rx_errors);
		data[6] = READ_ONCE(q->rx_dropped);
		data[7] = READ_ONCE(q->tx_csum);
		data[8] = READ_ONCE(q->tx_gso);
		data[9] = READ_ONCE(q->rx_csum);
		data[10] = READ_ONCE(q->rx_gso);
		data[11] = READ_ONCE(q->rx_copied);
		data[12] = READ_ONCE(q->rx_refill_short);
		netf_get_pool_stats(q, data + 13);
		data += NETF_QSTATS;
	}
}

static const struct ethtool_ops netf_ethtool_ops = {
	.get_drvinfo = netf_get_drvinfo,
	.get_link = ethtool_op_get_link,
	.get_sset_count = netf_get_sset_count,
	.get_strings = netf_get_strings,
	.get_ethtool_stats = netf_get_ethtool_stats,
};

/* ---- probe and remove ----------------------------------------------------- */

static int netf_read_mac(struct pvxen_xenbus_device *dev, u8 *mac)
{
	char *s;
	int ret;

	s = pvxen_xs_read(PVXEN_XS_NO_TX, dev->nodename, "mac", NULL);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = mac_pton(s, mac) && is_valid_ether_addr(mac) ? 0 : -EINVAL;
	if (ret)
		dev_err(&dev->dev, "mac \"%.20s\" is not a unicast MAC address\n",
			s);
	kfree(s);
	return ret;
}

static int netf_probe(struct pvxen_xenbus_device *dev,
		      const struct pvxen_xenbus_device_id *id)
{
	unsigned int i, nq = clamp(min(netf_max_queues, num_online_cpus()),
				   1u, (unsigned int)NETF_MAX_QUEUES);
	struct net_device *netdev;
	struct netf_info *info;
	u8 mac[ETH_ALEN];
	int ret;

	ret = netf_read_mac(dev, mac);
	if (ret)
		return ret;
	netdev = alloc_etherdev_mqs(sizeof(*info), nq, nq);
	if (!netdev)
		return -ENOMEM;
	info = netdev_priv(netdev);
	info->xbdev = dev;
	info->netdev = netdev;
	info->trusted = netf_trusted &&
			pvxen_xenbus_read_uint(dev->nodename, "trusted", 1);
	info->queues = kvcalloc(nq, sizeof(*info->queues), GFP_KERNEL);
	if (!info->queues) {
		ret = -ENOMEM;
		goto free_netdev;
	}
	for (i = 0; i < nq; i++) {
		struct netf_queue *q = &info->queues[i];

		q->info = info;
		q->id = i;
		spin_lock_init(&q->tx_lock);
		spin_lock_init(&q->rx_pool_lock);
		u64_stats_init(&q->tx_stats.syncp);
		u64_stats_init(&q->rx_stats.syncp);
		netif_napi_add(netdev, &q->napi, netf_poll);
	}
	info->nr_queues = 1;
	eth_hw_addr_set(netdev, mac);
	netdev->netdev_ops = &netf_netdev_ops;
	netdev->ethtool_ops = &netf_ethtool_ops;
	/* TX offloads, switchable (ethtool -K) within what the backend
	 * offers; the backend's checksums and TSO packets are always taken.
	 */
	netdev->hw_features = NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM |
			      NETIF_F_TSO | NETIF_F_TSO6;
	netdev->features = netdev->hw_features | NETIF_F_RXCSUM;
	netif_set_tso_max_size(netdev, XEN_NETIF_MAX_TX_SIZE - MAX_TCP_HEADER);
	netdev->min_mtu = ETH_MIN_MTU;
	netdev->max_mtu = netf_max_mtu(NETIF_F_SG);
	SET_NETDEV_DEV(netdev, &dev->dev);
	netif_carrier_off(netdev);

	rtnl_lock();
	ret = dev_alloc_name(netdev, netdev->name);
	rtnl_unlock();
	if (ret < 0)
		goto free_queues;
	strscpy(info->name, netdev->name, sizeof(info->name));
	pvxen_front_init(&info->front, dev, &netf_front_ops, info->name);
	dev_set_drvdata(&dev->dev, info);
	ret = register_netdev(netdev);
	if (ret)
		goto undo_drvdata;
	info->registered = true;
	/* A previous driver left the device Closed: Initialising again
	 * asks the backend to prepare a new connection (InitWait).
	 */
	ret = pvxen_front_start(&info->front);
	if (ret)
		goto unregister;
	return 0;
unregister:
	unregister_netdev(netdev);
undo_drvdata:
	dev_set_drvdata(&dev->dev, NULL);
free_queues:
	for (i = 0; i < nq; i++)
		netif_napi_del(&info->queues[i].napi);
	kvfree(info->queues);
free_netdev:
	free_netdev(netdev);
	return ret;
}

static void netf_remove(struct pvxen_xenbus_device *dev)
{
	struct netf_info *info = dev_get_drvdata(&dev->dev);
	struct net_device *netdev = info->netdev;
	unsigned int i;

	/* No callback and no fail work from here on. */
	pvxen_front_remove(&info->front);
	/* Stops the interface: no xmit, no poll any more. */
	unregister_netdev(netdev);
	mutex_lock(&info->front.mutex);
	WRITE_ONCE(info->front.conn, PVXEN_FRONT_DEAD);
	pvxen_front_teardown(&info->front);
	mutex_unlock(&info->front.mutex);
	for (i = 0; i < netdev->num_tx_queues; i++)
		netif_napi_del(&info->queues[i].napi);
	kvfree(info->queues);
	dev_set_drvdata(&dev->dev, NULL);
	free_netdev(netdev);
}

static const struct pvxen_xenbus_device_id netf_ids[] = {
	{ "vif" },
	{ "" }
};

static struct pvxen_xenbus_driver netf_driver = {
	.name = "pvxen-netfront",
	.ids = netf_ids,
	.probe = netf_probe,
	.otherend_changed = netf_otherend_changed,
	.remove = netf_remove,
};

static int __init netf_init(void)
{
	int ret;

	if (PAGE_SHIFT != XEN_PAGE_SHIFT) {
		pr_err("needs 4 KiB pages (this kernel has %lu)\n", PAGE_SIZE);
		return -ENODEV;
	}
	ret = pvxen_xenbus_register_driver(&netf_driver);
	if (ret)
		return ret;
	pr_info("max_queues=%u trusted=%u\n", netf_max_queues, netf_trusted);
	return 0;
}

static void __exit netf_exit(void)
{
	pvxen_xenbus_unregister_driver(&netf_driver);
}

module_init(netf_init);
module_exit(netf_exit);

MODULE_DESCRIPTION("pvxen Xen PV network frontend (eth*)");
MODULE_LICENSE("GPL");
MODULE_VERSION(PVXEN_VERSION);
MODULE_SOFTDEP("pre: pvxen-core");
