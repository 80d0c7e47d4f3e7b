#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# A read-only disk (xl access=ro, blkback mode "r"): the frontend must
# make it read-only in the guest (/sys/block/VDEV/ro = 1) so that writes
# fail there and never reach the backend, a read-write mount is refused
# or comes out read-only, and the file behind it in dom0 is unchanged.
# With a read-write twin on the same file (xen-run --disk 16:ro:shared
# --disk 16:rw:shared) a filesystem is made through the twin first, and
# must be readable through the read-only disk.  The disk: the first named
# "ro", or else the first ro one, or $BLK_RO_DEV.  With minixen as the
# backend (no dom0) the disk's contents are read back through the
# backend itself (O_DIRECT, every cache dropped) instead of dom0's file,
# and blkback's write count is not there to read.

# shellcheck disable=SC1091 # found at run time
. "$(dirname "$0")/lib.sh"
# shellcheck disable=SC1091
. "$(dirname "$0")/blk-lib.sh"

RO=${BLK_RO_DEV:-$(blk_disk ro)}
MNT=/mnt/blk-ro

plan 15

blk_setup
ok $? "block frontend up"
if [ -z "$RO" ]; then
	ok 1 "a read-only disk (xen-run --disk 16:ro)"
	exit 1
fi
TWIN=$(blk_twin "$RO")
diag "read-only disk $RO, read-write twin ${TWIN:-none}"

ro=$(cat "/sys/block/$RO/ro")
[ "$ro" = 1 ]
ok $? "/sys/block/$RO/ro = 1 ($ro)"

# A filesystem with one known file, through the twin.
mkdir -p $MNT
if [ -n "$TWIN" ]; then
	head -c 300000 /dev/urandom >/tmp/ro.file
	mkfs.ext4 -q -F "/dev/$TWIN" >/dev/null 2>&1 &&
		mount -t ext4 "/dev/$TWIN" $MNT && cp /tmp/ro.file $MNT/file &&
		umount $MNT
	ok $? "ext4 with a file made through $TWIN"
else
	skip "ext4 made through a read-write twin" "no twin"
fi
# What was read before (partition scan) is gone: read the disk again.
sync
blockdev --flushbufs "/dev/$RO"
echo 3 >/proc/sys/vm/drop_caches

# backing_sum: sha256 of what backs $RO: dom0's file, or what minixen's
# backend reads back from its image.
backing_sum() {
	if ! on_minixen; then
		pvxen_do backing-sum "$RO"
		return
	fi
	dd if="/dev/$RO" bs=64k iflag=direct 2>/dev/null | sha256sum |
		cut -d' ' -f1
}
WHERE=dom0
on_minixen && WHERE=minixen
sum0=$(backing_sum)
[ ${#sum0} -eq 64 ]
ok $? "$WHERE: sha256 of $RO's backing (${sum0%"${sum0#????????????}"}...)"
if ! on_minixen; then
	wr0=$(pvxen_do backend-stat "$RO" wr_req)
	ok $? "dom0: blkback's write count of $RO ($wr0)"
else
	skip "dom0: blkback's write count of $RO" "minixen is the backend"
fi

dd if=/dev/urandom of=/tmp/ro.blk bs=4k count=1 2>/dev/null
! dd if=/tmp/ro.blk of="/dev/$RO" bs=4k count=1 oflag=direct 2>/dev/null
ok $? "O_DIRECT write to $RO fails"
! dd if=/tmp/ro.blk of="/dev/$RO" bs=4k count=1 seek=100 conv=fsync \
	2>/dev/null
ok $? "buffered write + fsync to $RO fails"
! blkdiscard -o 0 -l 65536 "/dev/$RO" 2>/dev/null
ok $? "blkdiscard on $RO fails"
# The control: the same write works on a read-write disk.
dd if=/tmp/ro.blk of=/dev/xvda bs=4k count=1 seek=100 oflag=direct 2>/dev/null
ok $? "the same O_DIRECT write to xvda works"

mount -t ext4 -o rw "/dev/$RO" $MNT 2>/tmp/ro.mount
rc=$?
opts=$(awk -v m=$MNT '$2 == m { print $4 }' /proc/mounts)
[ $rc -ne 0 ] || [ "${opts%%,*}" = ro ]
ok $? "mount -o rw fails or is read-only (exit $rc, options '$opts')"
sed 's/^/# mount: /' /tmp/ro.mount
[ $rc -ne 0 ] || umount $MNT

if [ -n "$TWIN" ]; then
	mount -t ext4 -o ro "/dev/$RO" $MNT
	ok $? "mount -o ro works"
	cmp -s /tmp/ro.file $MNT/file
	ok $? "the twin's file reads back identical through $RO"
	! touch $MNT/new 2>/dev/null
	ok $? "creating a file on it fails"
	umount $MNT
else
	skip "mount -o ro works" "no twin"
	skip "the twin's file reads back" "no twin"
	skip "creating a file on it fails" "no twin"
fi

sync
echo 3 >/proc/sys/vm/drop_caches
sum1=$(backing_sum)
[ -n "$sum0" ] && [ "$sum1" = "$sum0" ]
ok $? "$WHERE: $RO's backing is unchanged"
if ! on_minixen; then
	wr1=$(pvxen_do backend-stat "$RO" wr_req)
	[ -n "$wr0" ] && [ "$wr1" = "$wr0" ]
	ok $? "dom0: blkback got no write for $RO (wr_req $wr0 -> $wr1)"
else
	skip "dom0: blkback got no write for $RO" "minixen is the backend"
fi
dmesg | grep -i 'read-only' | tail -n 3 | sed 's/^/# /'
