#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Hot-unplug under I/O: while fio writes to a disk (libaio, O_DIRECT,
# queue depth 8), dom0 detaches it (xl block-detach).  The frontend must
# let go: the detach completes, fio ends (finished or failed with an
# error: not hung), /dev/VDEV goes away and the rest of the domU keeps
# working.  Then dom0 attaches the same file again: the disk comes back
# with the data written before the detach.  On the disk named "detach"
# (xen-run --disk 16:rw:detach), or $BLK_DETACH_DEV.

# shellcheck disable=SC1091 # found at run time
. "$(dirname "$0")/lib.sh"
# shellcheck disable=SC1091
. "$(dirname "$0")/blk-lib.sh"

DEV=${BLK_DETACH_DEV:-$(blk_disk detach)}

plan 12

blk_setup
ok $? "block frontend up"
if [ -z "$DEV" ]; then
	ok 1 "a disk named detach (xen-run --disk 16:rw:detach)"
	exit 1
fi
mb=$(blk_mb "$DEV")
name=$(blk_name "$DEV")

# 1 MiB of known data in the last MiB, away from fio's half.
dd if=/dev/urandom of=/tmp/detach.pat bs=64k count=16 2>/dev/null
dd if=/tmp/detach.pat of="/dev/$DEV" bs=64k seek=$(((mb - 1) * 16)) \
	oflag=direct 2>/dev/null
ok $? "1 MiB pattern written at the end of $DEV"

wr0=$(pvxen_do backend-stat "$DEV" wr_req)
rm -f /tmp/detach.rc
(
	fio --name=bg --filename="/dev/$DEV" --rw=randwrite --bs=4k \
		--iodepth=8 --ioengine=libaio --direct=1 --size=$((mb / 2))m \
		--loops=100000 >/tmp/detach.fio 2>&1
	echo $? >/tmp/detach.rc
) >/dev/null 2>&1 &
# Each look is a round trip to dom0: a bounded number of them.
n=0
until w=$(pvxen_do backend-stat "$DEV" wr_req) && [ "$w" -gt "$wr0" ]; do
	n=$((n + 1))
	[ $n -lt 30 ] || break
	sleep 0.5
done
[ $n -lt 30 ]
ok $? "fio is writing to $DEV (blkback's wr_req went past $wr0)"

a=$(pvxen_do block-detach "$DEV")
ok $? "dom0: xl block-detach $DEV ($a)"

until_ok 60 [ -e /tmp/detach.rc ]
ok $? "the I/O ended instead of hanging (fio exit $(cat /tmp/detach.rc 2>/dev/null))"
grep -iE 'err|fio:' /tmp/detach.fio | head -n 3 | sed 's/^/# fio: /'

until_ok 30 [ ! -e "/dev/$DEV" ]
ok $? "/dev/$DEV is gone"
[ ! -e "/sys/block/$DEV" ]
ok $? "/sys/block/$DEV is gone"

# The rest of the domU is fine.
dd if=/dev/urandom of=/tmp/detach.x bs=64k count=16 2>/dev/null
dd if=/tmp/detach.x of=/dev/xvda bs=64k seek=160 oflag=direct 2>/dev/null &&
	dd if=/dev/xvda of=/tmp/detach.y bs=64k skip=160 count=16 \
		iflag=direct 2>/dev/null &&
	cmp -s /tmp/detach.x /tmp/detach.y
ok $? "xvda still carries I/O (1 MiB written and read back)"
! dmesg | grep -qE 'BUG|Oops|WARNING|hung_task|blocked for more'
ok $? "no BUG, oops, warning or hung task in dmesg"
dmesg | grep -E 'BUG|Oops|WARNING|blocked for more' | head -n 5 | sed 's/^/# /'

# Back again, on the same file.
a=$(pvxen_do block-attach "$DEV:$mb:rw${name:+:$name}")
ok $? "dom0: xl block-attach $DEV again ($a)"
until_ok 30 blk_ready "$DEV"
ok $? "/dev/$DEV is back"
dd if="/dev/$DEV" of=/tmp/detach.back bs=64k skip=$(((mb - 1) * 16)) \
	count=16 iflag=direct 2>/dev/null &&
	cmp -s /tmp/detach.pat /tmp/detach.back
ok $? "the pattern written before the detach reads back identical"
