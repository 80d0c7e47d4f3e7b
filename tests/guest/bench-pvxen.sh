#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make bench, pvxen side (test kernel, CONFIG_XEN=n): pvxen-core's services,
# pvxen-blkfront and pvxen-netfront.
. /pvxen/tests/lib.sh
. /pvxen/tests/blk-lib.sh
. /pvxen/tests/bench-lib.sh
. /pvxen/tests/net-lib.sh
. /pvxen/tests/bench-net-lib.sh
plan $((6 + BENCH_RESULTS + BENCH_NET_RESULTS))

# dom0's CPU time so far, through the dom0 agent; nothing if unanswered.
bench_peer_stat() {
	_ps=$(pvxen_do cpu-stat) || return 0
	case $_ps in *[!0-9\ ]* | '') return 0 ;; esac
	echo "$_ps"
}

insmod "$PVXEN_MODDIR/pvxen-core.ko"
ok $? "pvxen-core loads"
[ -z "$PVXEN_BENCH_XS_CPU" ] || bench_xs_cpu "$PVXEN_BENCH_XS_CPU"
bench_pvxen_micro
sed 's/^/# events: /' /sys/kernel/debug/pvxen/events 2>/dev/null
# What each micro row does per operation (context switches, interrupts).
bench_row_costs pvxen "$PVXEN_MODDIR/pvxen-bench.ko"
# shellcheck disable=SC2086 # the words are module parameters
insmod "$PVXEN_MODDIR/pvxen-blkfront.ko" $PVXEN_BLKFRONT_PARAMS
ok $? "pvxen-blkfront loads"
bench_wait_dev xvda
ok $? "pvxen-blkfront: xvda"
bench_irq_snap /tmp/irq.2
bench_blk pvxen xvda
bench_irq_snap /tmp/irq.3
# Where the disk's interrupts, upcalls and IPIs ran during the jobs.
bench_irq_delta pvxen_disk /tmp/irq.2 /tmp/irq.3
sed 's/^/# events: /' /sys/kernel/debug/pvxen/events 2>/dev/null
sed 's/^/# blkfront xvda: /' /sys/kernel/debug/pvxen/blkfront/xvda 2>/dev/null
insmod "$PVXEN_MODDIR/pvxen-netfront.ko"
ok $? "pvxen-netfront loads"
until_ok 20 [ -e /sys/class/net/eth0 ] && net_up eth0
ok $? "pvxen-netfront: eth0 up, carrier on"
bench_net pvxen eth0
ip link set eth0 down
