/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen: networking interfaces by kernel (part of the compat layer, see
 * compat.h; included by pvxen-netfront and pvxen-core's grant table).
 *
 * The page_pool header moved to <net/page_pool/helpers.h> in 6.6, the same
 * release that removed page_pool_release_page(): a page can no longer
 * leave its pool, so a page the driver hands away goes back to its pool
 * later (skb recycling; pvxen_gnttab_end_access_pool()).  5.10 has no skb
 * recycling: there pvxen_skb_add_pool_frag() takes the page out of its
 * pool before the stack gets it.
 */
#ifndef _PVXEN_COMPAT_NET_H
#define _PVXEN_COMPAT_NET_H

#include <linux/ethtool.h>
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#ifdef PVXEN_HAVE_PAGE_POOL_HELPERS_H
#include <net/page_pool/helpers.h>
#else
#include <net/page_pool.h>
#endif

/**
 * pvxen_skb_add_pool_frag() - Add a page_pool page to an skb as a fragment.
 * @skb: an skb marked with skb_mark_for_recycle()
 * @pool: @page's pool
 * @page: the page, given to @skb
 * @off: where the data starts in @page
 * @size: bytes of data
 * @truesize: what @page costs @skb
 *
 * Freeing @skb gives @page back to @pool where the kernel recycles skb
 * pages (5.14 on); before that the page leaves its pool here and freeing
 * the skb frees it.
 */
static inline void pvxen_skb_add_pool_frag(struct sk_buff *skb,
					   struct page_pool *pool,
					   struct page *page, int off,
					   int size, unsigned int truesize)
{
#ifndef PVXEN_HAVE_SKB_MARK_FOR_RECYCLE
	page_pool_release_page(pool, page);
#endif
	skb_add_rx_frag(skb, skb_shinfo(skb)->nr_frags, page, off, size,
			truesize);
}

#ifndef PVXEN_HAVE_SKB_MARK_FOR_RECYCLE
/* No recycling: the pages left their pool when they were added. */
static inline void skb_mark_for_recycle(struct sk_buff *skb)
{
}
#endif

#ifndef PVXEN_HAVE_NETIF_NAPI_ADD_WEIGHT
/* The weight every driver was told to use; 6.1 on take it as given. */
#define netif_napi_add(dev, napi, poll) \
	netif_napi_add(dev, napi, poll, NAPI_POLL_WEIGHT)
#endif

#ifndef PVXEN_HAVE_NETIF_SET_TSO_MAX_SIZE
static inline void netif_set_tso_max_size(struct net_device *dev,
					  unsigned int size)
{
	netif_set_gso_max_size(dev, size);
}
#endif

#ifndef PVXEN_HAVE_ETHTOOL_SPRINTF
static inline __printf(2, 3) void ethtool_sprintf(u8 **data,
						  const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vsnprintf((char *)*data, ETH_GSTRING_LEN, fmt, args);
	va_end(args);
	*data += ETH_GSTRING_LEN;
}
#endif

#endif /* _PVXEN_COMPAT_NET_H */
