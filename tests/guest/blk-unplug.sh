#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Unplug while the backend still talks: the backend sees the close
# handshake first, so it can time a response to land while the frontend
# frees the device.  The failure work such a response queues must never
# outlive the device it belongs to.
#
# fakeblkback close-bad serves xvdp correctly, follows the frontend's
# close, and 300 ms after its own Closed answers with an id that was
# never sent.  pvxen-blkfront's test hook (debugfs remove_delay_ms) holds
# the removal 2 s with the device mutex held and the rings live, so the
# response lands inside the removal every time.  Without the fix the
# failure work it queued ran on the freed device: KASAN reports it on the
# debug kernel (xen-blk-debug); blk-timeouts.sh lands a request timeout
# in the same window.
#
# 8 results.

# shellcheck disable=SC1091 # lib.sh, blk-lib.sh, blk-fake-lib.sh: at run time
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/blk-lib.sh"
. "$(dirname "$0")/blk-fake-lib.sh"

plan 8

dmesg -c >/dev/null
check "pvxen-blkfront loaded, its remove_delay_ms hook set to 2000" \
	'fb_load && echo 2000 >$FB_DBG/remove_delay_ms &&
	[ "$(cat $FB_DBG/remove_delay_ms)" = 2000 ]'
out=$(pvxen_do fakeblk close-bad delay:300)
ok $? "dom0 started fakeblkback close-bad"
diag "$out"
check "/dev/$FB_DEV appeared and a read works" \
	'until_ok 30 [ -b /dev/$FB_DEV ] &&
	bounded 20 rd dd if=/dev/$FB_DEV of=/dev/null bs=4k count=1 iflag=direct'

fb_unbind
r=$?
check "unbind during the late response ends (status $r), the device leaves the bus" \
	'[ $r -eq 0 ] && until_ok 15 fb_gone'
check "the late response reached the frontend during the removal" \
	'fb_klog | grep -q "$FB_DEV: ring 0: .*; failing the device"'
# A failure work queued in the window would run now.
sleep 3
fb_klog | sed 's/^/#   /'
check "no oops, BUG, WARNING or KASAN report" '! fb_oops'
dmesg | grep -E -A30 "$FB_OOPS" | head -n 60 | sed 's/^/#   /'

sum=$(fb_end)
diag "$sum"
check "fakeblkback answered late once and saw the frontend close" \
	'case $sum in *" faults=1 "*"end=frontend-closed rc=0"*) true ;; *) false ;; esac'
echo 0 >$FB_DBG/remove_delay_ms
check "pvxen-blkfront unloads and loads again" \
	'fb_reload "$PVXEN_BLKFRONT_PARAMS" && loaded pvxen_blkfront'
