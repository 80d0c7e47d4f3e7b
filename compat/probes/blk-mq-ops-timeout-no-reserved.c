// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build-time probe PVXEN_HAVE_BLK_MQ_OPS_TIMEOUT_NO_RESERVED (compat/probe):
 * blk_mq_ops.timeout takes the request only (5.19 on), not
 * (request, bool reserved).
 * Debian's stock arm64 headers: 5.10 no, 6.1 yes, 6.12 yes.
 */
#include <linux/blk-mq.h>

static enum blk_eh_timer_return pvxen_probe(struct request *rq)
{
	return BLK_EH_DONE;
}

const struct blk_mq_ops pvxen_probe_ops = {
	.timeout = pvxen_probe,
};
