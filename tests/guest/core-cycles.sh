#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Load/unload cycles of pvxen-core with nothing leaked: every resource
# gauge pvxen-core reports in debugfs (event ports, xenstore requests and
# watches, grant refs, maps, p2m overrides, ballooned pages, waiters) is
# the same after the last load as after the first, nothing of pvxen is
# left in /proc/interrupts or sysfs after the last unload, and, on a
# kernel with kmemleak (the debug flavour), no leak report names pvxen.
# $PVXEN_CYCLES (default 200) sets the number of cycles.
. /pvxen/tests/lib.sh

CORE=$PVXEN_MODDIR/pvxen-core.ko
CYCLES=${PVXEN_CYCLES:-200}
DBG=/sys/kernel/debug/pvxen
KMEMLEAK=/sys/kernel/debug/kmemleak

# Requests pvxen-core itself makes right after loading (xenbus reading
# device/ when its watch first fires) may still be in flight:
# gauges_settle (lib.sh) waits until none is, and steady_gauges takes
# the snapshot while none is.

plan 9

# Start from nothing: earlier tests may have left pvxen modules loaded.
for m in $(awk '/^pvxen_/ && $1 != "pvxen_core" { print $1 }' /proc/modules); do
	rmmod "$m"
done
grep -q '^pvxen_core ' /proc/modules && rmmod pvxen_core
[ -e "$KMEMLEAK" ] && echo clear > "$KMEMLEAK"

insmod "$CORE"
ok $? "insmod pvxen-core"
gauges_settle
first=$(steady_gauges)
[ "$(printf '%s\n' "$first" | grep -c .)" -eq 10 ]
ok $? "debugfs reports all 10 gauges"
printf '%s\n' "$first" | sed 's/^/# first: /'

fail=0
i=1
while [ $i -lt "$CYCLES" ]; do
	rmmod pvxen_core || { fail=$i; break; }
	insmod "$CORE" || { fail=$i; break; }
	i=$((i + 1))
done
[ $fail -eq 0 ]
ok $? "$CYCLES load/unload cycles (first failure at cycle $fail)"

gauges_settle
last=$(steady_gauges)
[ "$first" = "$last" ]
ok $? "gauges after the last load equal those after the first"
[ "$first" = "$last" ] || printf '%s\n' "$last" | sed 's/^/# last: /'

xenstore_ok=$(grep -c '^state connected' "$DBG/xenstore" 2>/dev/null)
[ "$xenstore_ok" = 1 ]
ok $? "xenstore connected after the last load"

rmmod pvxen_core
ok $? "final rmmod"

! grep -q pvxen /proc/interrupts && [ ! -e /sys/kernel/pvxen ] &&
	[ ! -e "$DBG" ] && [ ! -e /sys/bus/pvxen ]
ok $? "nothing of pvxen left in /proc/interrupts, sysfs or debugfs"

check_splats
check_kmemleak
