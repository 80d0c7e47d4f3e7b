#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make bench, reference side (xenref kernel): Linux's own Xen code.
. /pvxen/tests/lib.sh
plan 1
insmod "$PVXEN_MODDIR/pvxen-bench-upstream.ko"
ok $? "upstream benchmarks ran"
dmesg | grep 'pvxen-bench:' | sed 's/^\[[^]]*\] */# /'
