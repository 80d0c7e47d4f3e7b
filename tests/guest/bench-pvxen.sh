#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make bench, pvxen side (test kernel, CONFIG_XEN=n): pvxen-core's services
# and pvxen-blkfront.
. /pvxen/tests/lib.sh
. /pvxen/tests/bench-lib.sh
plan 6
insmod "$PVXEN_MODDIR/pvxen-core.ko"
ok $? "pvxen-core loads"
insmod "$PVXEN_MODDIR/pvxen-bench.ko"
ok $? "pvxen benchmarks ran"
dmesg | grep 'pvxen-bench:' | sed 's/^\[[^]]*\] */# /'
insmod "$PVXEN_MODDIR/pvxen-blkfront.ko"
bench_wait_xvda
ok $? "pvxen-blkfront: xvda"
bench_blk pvxen
