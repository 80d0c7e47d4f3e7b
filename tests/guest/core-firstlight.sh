#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# pvxen-core first light, in a domU on real Xen (run by the harness).
# Needs: $PVXEN_MODDIR/pvxen-core.ko, $PVXEN_HOST_EPOCH (host time at the
# start of the run); $PVXEN_CLOCK_SLACK (default 600) is how far, in
# seconds, Xen's wallclock may be from the host's start time.

# shellcheck disable=SC1091 # tests/guest/lib.sh, found at run time
. "$(dirname "$0")/lib.sh"

CORE=$PVXEN_MODDIR/pvxen-core.ko
SYS=/sys/kernel/pvxen
CYCLES=20
SLACK=${PVXEN_CLOCK_SLACK:-600}
SUMMARY='pvxen: Xen [0-9]*\.[0-9]*.* detected, features 0x'

rd() { cat "$1" 2>/dev/null; }
loaded() { grep -q '^pvxen_core ' /proc/modules; }
not_loaded() { ! loaded; }
gone() { [ ! -e "$SYS" ]; }
count() { dmesg | grep -c "$1"; }
is_num() { case "$1" in '' | *[!0-9]*) return 1 ;; esac; }

# $1 = wallclock: after 2020 and within SLACK seconds of the host's time.
clock_ok() {
	is_num "$1" || return 1
	[ "$1" -gt 1577836800 ] || return 1
	is_num "$PVXEN_HOST_EPOCH" || return 1
	d=$(($1 - PVXEN_HOST_EPOCH))
	[ "$d" -ge "-$SLACK" ] && [ "$d" -le "$SLACK" ]
}

# $1 = features (8 hex digits): XENFEAT_auto_translated_physmap is bit 2.
auto_translated() {
	case "$1" in '' | *[!0-9a-fA-F]*) return 1 ;; esac
	[ $(((0x$1 >> 2) & 1)) -eq 1 ]
}

# $1 = grant_window: "0x<start> 0x<size>".
window_ok() {
	case "$1" in 0x[0-9a-f]*" "0x[0-9a-f]*) return 0 ;; esac
	return 1
}

plan 16

if loaded; then
	diag "pvxen_core was already loaded; unloading it first"
	rmmod pvxen_core
fi

n_pvxen=$(count 'pvxen:')
n_summary=$(count "$SUMMARY")
check "insmod pvxen-core" 'insmod "$CORE"'
check "pvxen_core in /proc/modules" 'loaded'
check "dmesg: exactly one new pvxen line" \
	'[ "$(count pvxen:)" -eq $((n_pvxen + 1)) ]'
check "dmesg: it is the summary line" \
	'[ "$(count "$SUMMARY")" -eq $((n_summary + 1)) ]'
dmesg | grep 'pvxen:' | tail -n 1 | while read -r l; do diag "$l"; done

check "type = xen" '[ "$(rd $SYS/type)" = xen ]'
major=$(rd $SYS/version/major)
minor=$(rd $SYS/version/minor)
diag "Xen $major.$minor$(rd $SYS/version/extra)"
check "version/major = 4 (got '$major')" '[ "$major" = 4 ]'
check "version/minor = 17 (got '$minor')" '[ "$minor" = 17 ]'
feat=$(rd $SYS/properties/features)
check "properties/features has auto-translated physmap ('$feat')" \
	'auto_translated "$feat"'
check "properties/pagesize = 1000 ('$(rd $SYS/properties/pagesize)')" \
	'[ "$(rd $SYS/properties/pagesize)" = 1000 ]'
gw=$(rd $SYS/grant_window)
check "grant_window is '<start> <size>' ('$gw')" 'window_ok "$gw"'
wc=$(rd $SYS/wallclock)
diag "wallclock $wc, host epoch ${PVXEN_HOST_EPOCH:-unset}, slack $SLACK s"
check "wallclock within $SLACK s of the host's time" 'clock_ok "$wc"'

check "rmmod pvxen_core" 'rmmod pvxen_core'
check "/sys/kernel/pvxen removed" 'gone'
check "pvxen_core gone from /proc/modules" 'not_loaded'

fail=
i=1
while [ $i -le $CYCLES ]; do
	if ! insmod "$CORE"; then
		fail="insmod #$i"
		break
	fi
	[ $i -eq $CYCLES ] && break
	if ! rmmod pvxen_core; then
		fail="rmmod #$i"
		break
	fi
	i=$((i + 1))
done
[ -n "$fail" ] && diag "cycle failed at $fail"
check "$CYCLES insmod/rmmod cycles" '[ -z "$fail" ]'
check "after the cycles: version reads 4.17" \
	'[ "$(rd $SYS/version/major).$(rd $SYS/version/minor)" = 4.17 ]'
rmmod pvxen_core 2>/dev/null
