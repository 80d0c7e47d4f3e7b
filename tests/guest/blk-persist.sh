#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Requests that can never be served: with persistent grants each ring
# keeps at most 1056 pages granted (blkfront.h, BLKF_PERSISTENT_PAGES),
# so a request needing more pages (data plus indirect pages) could only
# ever be requeued.  pvxen-blkfront must clamp its segment limit to what
# the pool can serve and say so once.
#
# pvxen-blkfront with max_indirect_segments=4096 against fakeblkback
# offering 4096 indirect segments and persistent grants, on a 32 MiB
# disk; max_sectors_kb raised to max_hw_sectors_kb, 8 MiB direct I/O
# must complete (bounded: without the clamp it requeues for ever).
#
# 9 results.

# shellcheck disable=SC1091 # lib.sh, blk-lib.sh, blk-fake-lib.sh: at run time
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/blk-lib.sh"
. "$(dirname "$0")/blk-fake-lib.sh"

POOL=1056
Q=/sys/block/$FB_DEV/queue
# max_segments plus its indirect pages (512 segments each) fit the pool.
fits() { [ $(($1 + ($1 + 511) / 512)) -le $POOL ]; }

plan 9

dmesg -c >/dev/null
check "pvxen-blkfront loaded with max_indirect_segments=4096" \
	'fb_load && fb_reload "$PVXEN_BLKFRONT_PARAMS max_indirect_segments=4096 feature_persistent=1"'
out=$(pvxen_do fakeblk good indirect:4096 persistent:1 mib:32)
ok $? "dom0 started fakeblkback offering 4096 segments and persistent grants"
diag "$out"
check "/dev/$FB_DEV appeared, with persistent grants" \
	'until_ok 30 [ -b /dev/$FB_DEV ] && grep -qx "persistent: 1" $FB_DBG/$FB_DEV'
segs=$(awk '$1 == "max_segments:" { print $2 }' $FB_DBG/$FB_DEV)
hw=$(cat $Q/max_hw_sectors_kb)
diag "max_segments $segs, max_hw_sectors_kb $hw"
check "max_sectors_kb raised to max_hw_sectors_kb ($hw)" \
	'echo "$hw" >$Q/max_sectors_kb && [ "$(cat $Q/max_sectors_kb)" = "$hw" ]'

dd if=/dev/urandom of=$FB_T/pattern bs=1M count=16 2>/dev/null
bounded 60 io sh -c "dd if=$FB_T/pattern of=/dev/$FB_DEV bs=8M oflag=direct &&
	dd if=/dev/$FB_DEV of=$FB_T/readback bs=8M count=2 iflag=direct &&
	cmp $FB_T/pattern $FB_T/readback"
r=$?
check "16 MiB in 8 MiB direct I/Os written and read back identical (status $r; 124: still waiting after 60 s)" \
	'[ $r -eq 0 ]'
check "a request of max_segments ($segs) fits the pool of $POOL pages" \
	'[ -n "$segs" ] && fits "$segs"'
fb_klog | sed 's/^/#   /'
check "the clamp is logged once" \
	'[ "$(fb_klog | grep -c "segments per request clamped")" = 1 ]'

# Unbinding fails an I/O still requeued (without the clamp).
fb_unbind
r=$?
sum=$(fb_end)
diag "$sum"
check "unbound (status $r), fakeblkback saw no error and the frontend close" \
	'[ $r -eq 0 ] && until_ok 15 fb_gone &&
	case $sum in *" errors=0 faults=0 "*" end=frontend-closed rc=0"*) true ;; *) false ;; esac'
check "no oops, BUG, WARNING or KASAN report; pvxen-blkfront reloads" \
	'! fb_oops && fb_reload "$PVXEN_BLKFRONT_PARAMS"'
