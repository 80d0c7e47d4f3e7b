#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Experiment (Documentation/benchmarks.md, the last two sections): what a
# store to each page of the grant alloc+free costs, and how many fresh
# pages are slow to write (gnt-probe.ko); after bench-pvxen or
# bench-upstream in the same domU.
#
# xenref: between two loads of the upstream bench module, with the xenref
# kernel's addresses in GNT_PROBE_PARAMS:
#   M=/var/cache/pvxen/kernel/xenref/System.map
#   a() { awk -v s="$1" '$3 == s { print "0x" $1 }' $M; }
#   for v in check:gnttab_alloc_grant_references list:gnttab_list \
#     bitmap:gnttab_free_bitmap head:gnttab_free_head \
#     count:gnttab_free_count size:gnttab_size lock:gnttab_list_lock \
#     cb:gnttab_free_callback_list last:gnttab_last_free \
#     shared:gnttab_shared; do printf 'a_%s=%s ' ${v%%:*} $(a ${v#*:}); done
# pvxen (test kernel, pvxen-core loaded): GNT_PROBE_PVXEN="o_gt=0x..." is
# the offset of pvxen-core's `gt` in its .data section:
#   aarch64-linux-gnu-readelf -sW drivers/core/pvxen-core.ko |
#     awk '$8 == "gt" { print "o_gt=0x" $2 }'
. /pvxen/tests/lib.sh
if [ ! -e "$PVXEN_MODDIR/pvxen-bench-upstream.ko" ]; then
	plan 2
	data=$(cat /sys/module/pvxen_core/sections/.data)
	ok $? "pvxen-core's .data at $data"
	# shellcheck disable=SC2086 # module parameters
	insmod "$PVXEN_MODDIR/gnt-probe.ko" a_data="$data" $GNT_PROBE_PVXEN
	ok $? "gnt-probe ran"
	dmesg | grep -E 'gnt-probe' | sed 's/^\[[^]]*\] */# /'
	rmmod gnt_probe
	exit 0
fi
plan 3
# After bench-upstream in the same domU, its module is still loaded.
! grep -q '^pvxen_bench_upstream ' /proc/modules || rmmod pvxen_bench_upstream
insmod "$PVXEN_MODDIR/pvxen-bench-upstream.ko" reps=3
ok $? "upstream benchmarks ran"
# shellcheck disable=SC2086 # module parameters
insmod "$PVXEN_MODDIR/gnt-probe.ko" $GNT_PROBE_PARAMS
ok $? "gnt-probe ran"
rmmod pvxen_bench_upstream
insmod "$PVXEN_MODDIR/pvxen-bench-upstream.ko" reps=3
ok $? "upstream benchmarks again"
dmesg | grep -E 'gnt-probe|pvxen-bench: upstream grant' | sed 's/^\[[^]]*\] */# /'
rmmod pvxen_bench_upstream gnt_probe
