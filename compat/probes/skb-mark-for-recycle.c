// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build-time probe PVXEN_HAVE_SKB_MARK_FOR_RECYCLE (compat/probe):
 * skb_mark_for_recycle(): freeing the skb gives page_pool pages back
 * to their pool (5.14 on; before it, a page handed to the stack had to
 * leave its pool with page_pool_release_page()).
 * Debian's stock arm64 headers: 5.10 no, 6.1 yes, 6.12 yes.
 */
#include <linux/skbuff.h>

static void pvxen_probe(struct sk_buff *skb)
{
	skb_mark_for_recycle(skb);
}

void (*pvxen_probe_fn)(struct sk_buff *skb) = pvxen_probe;
