#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Experiment (Documentation/benchmarks.md, last section): the state of
# Linux's grant free list and what a store to each of its pages costs
# (gnt-probe.ko), between two loads of the upstream bench module; xenref
# only.  GNT_PROBE_PARAMS gives the module the xenref kernel's addresses:
#   M=/var/cache/pvxen/kernel/xenref/System.map
#   a() { awk -v s="$1" '$3 == s { print "0x" $1 }' $M; }
#   for v in check:gnttab_alloc_grant_references list:gnttab_list \
#     bitmap:gnttab_free_bitmap head:gnttab_free_head \
#     count:gnttab_free_count size:gnttab_size lock:gnttab_list_lock \
#     cb:gnttab_free_callback_list last:gnttab_last_free \
#     shared:gnttab_shared; do printf 'a_%s=%s ' ${v%%:*} $(a ${v#*:}); done
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
