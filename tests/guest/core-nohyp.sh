#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# pvxen-core on a machine without Xen (plain QEMU): it must refuse to load,
# say why in exactly one line, and leave nothing behind.
#
# busybox insmod retries a failed finit_module() with init_module(), which
# runs the module's init twice; insmod1 (tests/tools) makes one attempt.
# Without insmod1 the check is that each attempt logs the same one line.

# shellcheck disable=SC1091 # tests/guest/lib.sh, found at run time
. "$(dirname "$0")/lib.sh"

CORE=$PVXEN_MODDIR/pvxen-core.ko
REASON='pvxen: no Xen hypervisor found (no /hypervisor node compatible with "xen,xen")'

if command -v insmod1 >/dev/null 2>&1; then
	LOAD=insmod1
	attempts=1
else
	LOAD=insmod
	attempts=2
fi

not_loaded() { ! grep -q '^pvxen_core ' /proc/modules; }
gone() { [ ! -e /sys/kernel/pvxen ]; }
fails() { ! "$@"; }
# pvxen lines logged after the first $1, without their timestamps.
new_lines() {
	dmesg | grep 'pvxen:' | tail -n +$(($1 + 1)) | sed 's/^\[[^]]*\] *//'
}
# One line per load attempt, all the same.
one_per_attempt() {
	[ "$n" -ge 1 ] && [ "$n" -le "$attempts" ] &&
		[ "$(echo "$distinct" | wc -l)" -eq 1 ]
}

plan 5

before=$(dmesg | grep -c 'pvxen:')
check "$LOAD pvxen-core fails" 'fails $LOAD "$CORE"'
n=$(new_lines "$before" | wc -l)
distinct=$(new_lines "$before" | sort -u)
echo "$distinct" | while read -r l; do diag "$l"; done
check "dmesg: one pvxen line per load attempt ($n line(s), $LOAD)" \
	'one_per_attempt'
check "dmesg: it names the reason" '[ "$distinct" = "$REASON" ]'
check "pvxen_core not in /proc/modules" 'not_loaded'
check "/sys/kernel/pvxen does not exist" 'gone'
