#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs in the Debian dom0, whose stock kernel has CONFIG_XEN=y. pvxen-core
# built against that kernel's own headers (make modules-debian) must refuse
# to load with one clear line and leave nothing behind.
. /pvxen/tests/lib.sh
plan 6

mod=$PVXEN_MODDIR/pvxen-core.ko
[ -r "$mod" ]
ok $? "pvxen-core.ko built for $(uname -r) is present"

[ "$(cat /sys/hypervisor/type 2>/dev/null)" = xen ]
ok $? "this kernel has built-in Xen support (/sys/hypervisor/type = xen)"

before=$(dmesg | grep -c 'pvxen: ')
insmod1 "$mod" 2>/tmp/insmod.err
rc=$?
[ $rc -ne 0 ]
ok $? "insmod pvxen-core fails (exit $rc: $(cat /tmp/insmod.err))"

lines=$(dmesg | grep 'pvxen: ' | tail -n +$((before + 1)))
n=$(printf '%s\n' "$lines" | grep -c 'pvxen: ')
[ "$n" -eq 1 ]
ok $? "exactly one pvxen line in dmesg (got $n)"
[ "$n" -eq 1 ] || printf '%s\n' "$lines" | sed 's/^/# /'

printf '%s\n' "$lines" | grep -q 'built-in Xen support (CONFIG_XEN=y)'
ok $? "the line names the reason: $lines"

! grep -q '^pvxen_core ' /proc/modules && [ ! -e /sys/kernel/pvxen ]
ok $? "nothing left behind (no module, no /sys/kernel/pvxen)"
