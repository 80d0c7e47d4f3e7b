#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Experiment: upstream grant free list state and store costs (gnt-probe.ko).
. /pvxen/tests/lib.sh
plan 3
# shellcheck disable=SC2086 # module parameters
insmod "$PVXEN_MODDIR/pvxen-bench-upstream.ko" reps=3
ok $? "upstream benchmarks ran"
# shellcheck disable=SC2086 # module parameters
insmod "$PVXEN_MODDIR/gnt-probe.ko" $GNT_PROBE_PARAMS
ok $? "gnt-probe ran"
# shellcheck disable=SC2086 # module parameters
rmmod pvxen_bench_upstream
insmod "$PVXEN_MODDIR/pvxen-bench-upstream.ko" reps=3
ok $? "upstream benchmarks again"
dmesg | grep -E 'gnt-probe|pvxen-bench: upstream grant' | sed 's/^\[[^]]*\] */# /'
rmmod pvxen_bench_upstream gnt_probe
