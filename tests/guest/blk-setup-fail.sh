#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# A failed ring set-up must not leave the device in Initialising without
# a word: as upstream's xenbus_dev_fatal() does, the frontend writes
# "<errno> <what failed>" to error/device/vbd/<vdev>/error under its
# domain's path (where toolstacks look; libxl makes error/ the domU's),
# the same text to its device node's own "error", and switches to
# Closing.
#
# fakeblkback ro-key plays a toolstack that created the frontend's
# "protocol" node as dom0's, read-only for the domU: publishing the rings
# fails with EACCES.  Its backend stays in InitWait, so what the frontend
# did stays in xenstore for this test to read.
#
# 9 results.

# shellcheck disable=SC1091 # lib.sh, blk-lib.sh, blk-fake-lib.sh: at run time
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/blk-lib.sh"
. "$(dirname "$0")/blk-fake-lib.sh"

FE=device/vbd/$FB_VDEV
state_is() { [ "$(xs_get $FE/state)" = "$1" ]; }
bound() { _b=$(fb_busdev) && [ -n "$_b" ] && [ -e "$_b/driver" ]; }

plan 9

dmesg -c >/dev/null
check "pvxen-blkfront loaded" 'fb_load'
out=$(pvxen_do fakeblk ro-key)
ok $? "dom0 started fakeblkback ro-key"
diag "$out"
check "vbd-$FB_VDEV is on the bus with the driver bound" \
	'until_ok 30 bound'
check "the frontend switched to Closing ($FE/state 5)" 'until_ok 30 state_is 5'
e=$(xs_get error/$FE/error)
diag "error/$FE/error: $e"
check "error/$FE/error holds the errno and what failed" \
	'case $e in [1-9]*" "*publish*) true ;; *) false ;; esac'
e2=$(xs_get $FE/error)
diag "$FE/error: $e2"
check "$FE/error holds the same" '[ -n "$e" ] && [ "$e2" = "$e" ]'
fb_klog | sed 's/^/#   /'
check "the driver logged the failure, /dev/$FB_DEV never appeared" \
	'fb_klog | grep -q "publish" && [ ! -e /dev/$FB_DEV ]'

fb_unbind
r=$?
sum=$(fb_end)
diag "$sum"
check "unbound (status $r), fakeblkback saw the frontend close, the device left the bus" \
	'[ $r -eq 0 ] && until_ok 15 fb_gone &&
	case $sum in *" faults=1 "*"end=frontend-closed rc=0"*) true ;; *) false ;; esac'
check "no oops, BUG, WARNING or KASAN report" '! fb_oops'
