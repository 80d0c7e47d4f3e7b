#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The micro rows of make bench alone (tests/bench/bench.h over pvxen-core,
# no disk): the same guest script and modules on real Xen (xen-run
# --tests core-bench) and on minixen (tests/bench/minixen-run), so the two
# hypervisors are compared with the same pvxen code.  Also says how long
# the domain took from its first userspace line to pvxen-core loaded, on
# the guest's own clock:
#   "pvxen-bench-info: boot uptime_userspace=S uptime_core_loaded=S"
. /pvxen/tests/lib.sh
. /pvxen/tests/bench-lib.sh
plan 2

_up0=$(cut -d' ' -f1 /proc/uptime)
insmod "$PVXEN_MODDIR/pvxen-core.ko"
ok $? "pvxen-core loads"
echo "# pvxen-bench-info: boot uptime_userspace=$_up0 uptime_core_loaded=$(cut -d' ' -f1 /proc/uptime)"
bench_pvxen_micro
