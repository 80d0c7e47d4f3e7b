#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make bench, pvxen side (test kernel, CONFIG_XEN=n): pvxen-core's services.
. /pvxen/tests/lib.sh
plan 2
insmod "$PVXEN_MODDIR/pvxen-core.ko"
ok $? "pvxen-core loads"
insmod "$PVXEN_MODDIR/pvxen-bench.ko"
ok $? "pvxen benchmarks ran"
dmesg | grep 'pvxen-bench:' | sed 's/^\[[^]]*\] */# /'
