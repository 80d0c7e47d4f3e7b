#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# One backend must not stall the others.  fakeblkback close switches
# xvdp's backend to Closing with a request unanswered; pvxen-blkfront
# then gives it timeout_s to answer before failing the request (the test
# reloads the driver with timeout_s=$BLK_STALL_WAIT, 60 s by default: on
# the debug kernel the hot-plug and the resize below took 25 s together
# with no other suite running, 24 s in a make check; 180 s was the default
# until make check's 30-minute budget; the time they took is printed).  While it waits,
# dom0 hot-plugs another disk (xl block-attach) and grows the disk named
# "resize" (xen-run --disk 16:rw:resize): the new disk must appear and do
# I/O, and the resized one must see its new size, while xvdp is still
# waiting.  The checks are on that order of events:
# each is made when its event happened, together with "xvdp still waits"
# (its I/O unanswered, its frontend not Closed yet).
#
# 10 results.

# shellcheck disable=SC1091 # lib.sh, blk-lib.sh, blk-fake-lib.sh: at run time
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/blk-lib.sh"
. "$(dirname "$0")/blk-fake-lib.sh"

NEW=xvdf
R=$(blk_disk resize)

# xvdp's I/O is unanswered and its frontend has not given up.
stalled() {
	[ ! -s $FB_T/io.rc ] &&
		[ "$(cat "$(fb_busdev)/state" 2>/dev/null)" = Connected ]
}
waiting() {
	stalled &&
		fb_klog | grep -q "$FB_DEV: backend closing, [1-9][0-9]* request(s) in flight"
}
size() { cat "/sys/block/$1/size" 2>/dev/null; }
rw_ok() {
	dd if=$FB_T/pattern of="/dev/$1" bs=64k oflag=direct 2>/dev/null &&
		dd if="/dev/$1" of=$FB_T/readback bs=64k count=16 iflag=direct 2>/dev/null &&
		cmp -s $FB_T/pattern $FB_T/readback
}
grown() {
	dd if="/dev/$R" of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null
	[ "$(size "$R")" = "$want" ]
}

plan 10

dmesg -c >/dev/null
WAIT=${BLK_STALL_WAIT:-60}
fb_load
fb_reload "$PVXEN_BLKFRONT_PARAMS timeout_s=$WAIT"
blk_setup
r=$?
check "block frontend up (status $r), a disk named resize ($R)" \
	'[ $r -eq 0 ] && [ -n "$R" ]'
out=$(pvxen_do fakeblk close)
ok $? "dom0 started fakeblkback close on $FB_DEV"
diag "$out"
check "/dev/$FB_DEV appeared and a read before the trap works" \
	'until_ok 30 [ -b /dev/$FB_DEV ] &&
	bounded 20 rd dd if=/dev/$FB_DEV of=/dev/null bs=4k count=1 iflag=direct'
bg io dd if=/dev/$FB_DEV of=/dev/null bs=64k skip=64 count=16 iflag=direct
t0=$(date +%s)
check "$FB_DEV's backend went Closing with the request unanswered: the frontend waits" \
	'until_ok 20 waiting'

dd if=/dev/urandom of=$FB_T/pattern bs=64k count=16 2>/dev/null
a=$(pvxen_do block-attach $NEW:16:rw)
ok $? "dom0: xl block-attach $NEW ($a)"
until_ok 40 blk_ready $NEW
r=$?
rw_ok $NEW
rw=$?
stalled
s=$?
check "$NEW appeared (status $r) and did I/O (status $rw) while $FB_DEV still waits ($s)" \
	'[ $r -eq 0 ] && [ $rw -eq 0 ] && [ $s -eq 0 ]'

old=$(size "$R")
want=$((old + 32768))
a=$(pvxen_do resize "$R" $((want / 2048)))
ok $? "dom0 grew $R from $old to $want sectors ($a)"
until_ok 30 grown
r=$?
stalled
s=$?
check "$R saw its new size (status $r, $(size "$R") sectors) while $FB_DEV still waits ($s)" \
	'[ $r -eq 0 ] && [ $s -eq 0 ]'

diag "the hot-plug and the resize took $(($(date +%s) - t0)) s of the $WAIT s wait"
# The wait ends: the request fails, the frontend closes, fakeblkback ends.
bg_wait io $((WAIT + 30))
r=$?
sum=$(fb_end)
diag "$sum"
check "$FB_DEV's request failed in the end (status $r), the device left the bus" \
	'[ $r -ne 0 ] && [ $r -ne 124 ] && until_ok 15 fb_gone &&
	case $sum in *" faults=1 "*"end=frontend-closed rc=0"*) true ;; *) false ;; esac'
a=$(pvxen_do block-detach $NEW)
r=$?
check "dom0: xl block-detach $NEW ($a), /dev/$NEW gone; no oops, BUG, WARNING or KASAN report" \
	'[ $r -eq 0 ] && until_ok 20 [ ! -e /dev/$NEW ] && ! fb_oops'
fb_klog | sed 's/^/#   /'
if ! fb_reload "$PVXEN_BLKFRONT_PARAMS" || ! blk_setup; then
	diag "reload with the suite's parameters failed"
fi
