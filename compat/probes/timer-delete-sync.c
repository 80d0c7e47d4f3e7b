// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build-time probe PVXEN_HAVE_TIMER_DELETE_SYNC (compat/probe):
 * timer_delete_sync() (6.2 on, backported to Debian's 5.10 and 6.1;
 * del_timer_sync() before).
 * Debian's stock arm64 headers: 5.10 yes, 6.1 yes, 6.12 yes.
 */
#include <linux/timer.h>

static int pvxen_probe(struct timer_list *t)
{
	return timer_delete_sync(t);
}

int (*pvxen_probe_fn)(struct timer_list *t) = pvxen_probe;
