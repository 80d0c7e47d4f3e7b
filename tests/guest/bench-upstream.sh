#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make bench, reference side (xenref kernel): Linux's own Xen code,
# including its xen-blkfront and xen-netfront (built in).
. /pvxen/tests/lib.sh
. /pvxen/tests/blk-lib.sh
. /pvxen/tests/bench-lib.sh
. /pvxen/tests/net-lib.sh
. /pvxen/tests/bench-net-lib.sh
plan $((3 + BENCH_RESULTS + BENCH_NET_RESULTS))

# dom0's CPU time so far, through the dom0 agent; nothing if unanswered.
bench_peer_stat() {
	_ps=$(pvxen_do cpu-stat) || return 0
	case $_ps in *[!0-9\ ]* | '') return 0 ;; esac
	echo "$_ps"
}

[ -z "$PVXEN_BENCH_XS_CPU" ] || bench_xs_cpu "$PVXEN_BENCH_XS_CPU"
bench_irq_snap /tmp/irq.0
# shellcheck disable=SC2086 # the words are module parameters
insmod "$PVXEN_MODDIR/pvxen-bench-upstream.ko" $PVXEN_BENCH_PARAMS
ok $? "upstream benchmarks ran"
bench_irq_snap /tmp/irq.1
dmesg | grep -E 'pvxen-bench|xen:events' | sed 's/^\[[^]]*\] */# /'
bench_irq_delta upstream /tmp/irq.0 /tmp/irq.1
# What each micro row does per operation (context switches, interrupts).
bench_row_costs upstream "$PVXEN_MODDIR/pvxen-bench-upstream.ko"
bench_wait_dev xvda
ok $? "xen-blkfront: xvda"
bench_irq_snap /tmp/irq.2
bench_blk upstream xvda
bench_irq_snap /tmp/irq.3
# Where the disk's interrupts, upcalls and IPIs ran during the jobs.
bench_irq_delta upstream_disk /tmp/irq.2 /tmp/irq.3
# Another address than the pvxen side's: dom0 may still have that one's
# MAC for it.
NET_ME=169.254.0.3 NET6_ME=fd00:5678::3
until_ok 20 [ -e /sys/class/net/eth0 ] && net_up eth0
ok $? "xen-netfront: eth0 up, carrier on"
bench_net upstream eth0
ip link set eth0 down
