#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make bench, reference side (xenref kernel): Linux's own Xen code,
# including its xen-blkfront (built in).
. /pvxen/tests/lib.sh
. /pvxen/tests/bench-lib.sh
plan 5
insmod "$PVXEN_MODDIR/pvxen-bench-upstream.ko"
ok $? "upstream benchmarks ran"
dmesg | grep 'pvxen-bench:' | sed 's/^\[[^]]*\] */# /'
bench_wait_xvda
ok $? "xen-blkfront: xvda"
bench_blk upstream
