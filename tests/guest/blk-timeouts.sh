#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Request timeouts of pvxen-blkfront, with a short timeout_s (the
# suite's PVXEN_BLKFRONT_PARAMS if it gives 10 or less, as xen-blk-timeout
# does, else the driver is reloaded with timeout_s=5 for the test),
# against fakeblkback silent on xvdp (from the request at 4 MiB on it
# answers nothing).
#
# Part 1: the driver's timeout fails the I/O and the device; the backend
# does not follow the frontend's close (follow:0), so the device stays
# and its debugfs counters read timeouts 1 and broken_rings 1 (the
# counters are kept under the ring lock).
# Part 2: the timeout lands in the removal.  The I/O is sent and the
# driver unbound at once; the test hook remove_delay_ms (debugfs) holds
# the removal 8 s, rings live, so the request times out inside it.  The
# failure work the timeout queues must not outlive the device (KASAN
# on the debug kernel).
#
# 13 results.

# shellcheck disable=SC1091 # lib.sh, blk-lib.sh, blk-fake-lib.sh: at run time
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/blk-lib.sh"
. "$(dirname "$0")/blk-fake-lib.sh"

PARAMS=/sys/module/pvxen_blkfront/parameters
trap_io() {
	bg io dd if=/dev/$FB_DEV of=/dev/null bs=64k skip=64 count=16 iflag=direct
}
dbg() { awk -v k="$1:" '$1 == k { print $2 }' $FB_DBG/$FB_DEV 2>/dev/null; }
in_flight() { _n=$(dbg inflight) && [ "${_n:-0}" -ge 1 ]; }
fb_up() {
	until_ok 30 [ -b /dev/$FB_DEV ] &&
		bounded 20 rd dd if=/dev/$FB_DEV of=/dev/null bs=4k count=1 iflag=direct
}

plan 13

dmesg -c >/dev/null
fb_load
t=$(cat $PARAMS/timeout_s 2>/dev/null)
mine=$PVXEN_BLKFRONT_PARAMS
if [ -n "$t" ] && [ "$t" -gt 10 ]; then
	mine="$PVXEN_BLKFRONT_PARAMS timeout_s=5"
	fb_reload "$mine"
	t=$(cat $PARAMS/timeout_s 2>/dev/null)
fi
check "pvxen-blkfront loaded with timeout_s <= 10 ($t)" \
	'[ -n "$t" ] && [ "$t" -le 10 ]'

# -- part 1
out=$(pvxen_do fakeblk silent follow:0)
ok $? "silent, follow:0: dom0 started fakeblkback"
diag "$out"
check "silent: /dev/$FB_DEV appeared and a read before the trap works" 'fb_up'
trap_io
bg_wait io $((t + 15))
r=$?
check "silent: timeout_s=$t fails the I/O (status $r) and says so" \
	'[ $r -ne 0 ] && [ $r -ne 124 ] && fb_klog | grep -q "no response in $t s"'
diag "timeouts $(dbg timeouts), broken_rings $(dbg broken_rings), errors $(dbg errors)"
check "silent: debugfs counts timeouts 1 and broken_rings 1" \
	'[ "$(dbg timeouts)" = 1 ] && [ "$(dbg broken_rings)" = 1 ]'
fb_unbind
r=$?
sum=$(fb_end)
diag "$sum"
check "silent: unbound (status $r), fakeblkback saw the frontend close, device gone" \
	'[ $r -eq 0 ] && until_ok 15 fb_gone &&
	case $sum in *" faults=1 "*"end=frontend-closed rc=0"*) true ;; *) false ;; esac'

# -- part 2
dmesg -c >/dev/null
check "removal: remove_delay_ms hook set to 8000" \
	'echo 8000 >$FB_DBG/remove_delay_ms &&
	[ "$(cat $FB_DBG/remove_delay_ms)" = 8000 ]'
out=$(pvxen_do fakeblk silent)
ok $? "removal: dom0 started fakeblkback silent"
diag "$out"
check "removal: /dev/$FB_DEV appeared and a read before the trap works" 'fb_up'
trap_io
check "removal: the I/O at the trap is in flight" 'until_ok 5 in_flight'
diag "inflight $(dbg inflight)"
fb_unbind
r=$?
bg_wait io 15
rio=$?
check "removal: unbind ends (status $r), the I/O failed (status $rio), the request timed out during the removal" \
	'[ $r -eq 0 ] && [ $rio -ne 0 ] && [ $rio -ne 124 ] &&
	fb_klog | grep -q "no response in $t s"'
sleep 3
fb_klog | sed 's/^/#   /'
sum=$(fb_end)
diag "$sum"
check "removal: fakeblkback saw the frontend close, the device left the bus" \
	'until_ok 15 fb_gone &&
	case $sum in *" faults=1 "*"end=frontend-closed rc=0"*) true ;; *) false ;; esac'
echo 0 >$FB_DBG/remove_delay_ms
check "no oops, BUG, WARNING or KASAN report; pvxen-blkfront reloads" \
	'! fb_oops && fb_reload "$PVXEN_BLKFRONT_PARAMS"'
[ "$mine" = "$PVXEN_BLKFRONT_PARAMS" ] || diag "reloaded with the suite's parameters"
dmesg | grep -E -A30 "$FB_OOPS" | head -n 60 | sed 's/^/#   /'
