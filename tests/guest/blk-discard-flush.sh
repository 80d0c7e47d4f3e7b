#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Discard and cache flushes through the block frontend.  The dom0 loop
# device behind blkback takes both, so blkback offers feature-discard and
# feature-flush-cache: the disk must advertise discard and a write-back
# cache, blkdiscard and fio's trim must succeed and reach the backend as
# discard requests, and sync, fsync and fdatasync (on the raw disk and
# on ext4) must succeed and reach it as flushes.  The backend's own
# counters (blkback's statistics/ds_req and f_req, read in dom0 through
# pvxen_do) show the requests were sent.  On xvda (or $BLK_DF_DEV):
# xen-run --disk-mb 64.

# shellcheck disable=SC1091 # found at run time
. "$(dirname "$0")/lib.sh"
# shellcheck disable=SC1091
. "$(dirname "$0")/blk-lib.sh"

DEV=${BLK_DF_DEV:-xvda}
Q=/sys/block/$DEV/queue
MNT=/mnt/blk-df

plan 14

blk_setup
ok $? "block frontend up, /dev/$DEV there"

dmax=$(cat "$Q/discard_max_bytes")
[ "${dmax:-0}" -gt 0 ]
ok $? "$DEV advertises discard (discard_max_bytes $dmax, granularity $(cat "$Q/discard_granularity"))"
wc=$(cat "$Q/write_cache")
[ "$wc" = "write back" ]
ok $? "$DEV advertises a write-back cache (write_cache '$wc')"
diag "fua $(cat "$Q/fua" 2>/dev/null)"
# TODO: with pvxen-blkfront's debugfs counters (discard and flush
# requests sent, BLKIF_RSP_EOPNOTSUPP seen), check them here as well.

# blkback's counter KEY for our disk, or empty if dom0 cannot say.
bstat() {
	_v=$(pvxen_do backend-stat "$DEV" "$1") && echo "$_v"
}
grew() { [ -n "$1" ] && [ -n "$2" ] && [ "$2" -gt "$1" ]; }

# Discard: a range, then fio's trim, then the whole disk.
ds0=$(bstat ds_req)
dd if=/dev/urandom of="/dev/$DEV" bs=64k count=32 seek=64 oflag=direct \
	2>/dev/null
blkdiscard -o $((4 << 20)) -l $((2 << 20)) "/dev/$DEV"
ok $? "blkdiscard of 2 MiB at 4 MiB"
fio --name=trim --filename="/dev/$DEV" --rw=randtrim --bs=64k \
	--offset=8m --size=4m --ioengine=sync >/tmp/trim.out 2>&1
rc=$?
ok $rc "fio randtrim of 4 MiB in 64 KiB pieces"
[ $rc -eq 0 ] || tail -n 5 /tmp/trim.out | sed 's/^/# /'
blkdiscard "/dev/$DEV"
ok $? "blkdiscard of the whole disk"
dd if="/dev/$DEV" of=/dev/null bs=64k count=32 skip=64 iflag=direct 2>/dev/null
ok $? "a discarded range reads without error"
ds1=$(bstat ds_req)
if [ -z "$ds0" ] || [ -z "$ds1" ]; then
	skip "blkback saw discard requests" "no counters from dom0 ($ds0/$ds1)"
else
	grew "$ds0" "$ds1"
	ok $? "blkback saw discard requests (ds_req $ds0 -> $ds1)"
fi

# Flushes on the raw disk.
f0=$(bstat f_req)
dd if=/dev/urandom of="/dev/$DEV" bs=4k count=16 conv=fsync 2>/dev/null
ok $? "buffered write with fsync (dd conv=fsync)"
fio --name=fsync --filename="/dev/$DEV" --rw=write --bs=4k --size=256k \
	--ioengine=sync --fsync=8 >/tmp/fsync.out 2>&1 &&
	fio --name=fdatasync --filename="/dev/$DEV" --rw=write --bs=4k \
		--size=256k --offset=1m --ioengine=sync --fdatasync=8 \
		>>/tmp/fsync.out 2>&1
rc=$?
ok $rc "fio writes with fsync and fdatasync every 8 blocks"
[ $rc -eq 0 ] || tail -n 5 /tmp/fsync.out | sed 's/^/# /'

# Flushes from a filesystem: fsync, fdatasync, sync.
mkdir -p $MNT
mkfs.ext4 -q -F "/dev/$DEV" >/dev/null 2>&1 && mount -t ext4 "/dev/$DEV" $MNT
ok $? "ext4 on $DEV mounted"
dd if=/dev/urandom of=$MNT/a bs=4k count=25 conv=fsync 2>/dev/null &&
	fio --name=fsync --filename=$MNT/b --rw=write --bs=4k --size=64k \
		--ioengine=sync --fsync=1 >/tmp/fsync.out 2>&1 &&
	fio --name=fdatasync --filename=$MNT/c --rw=write --bs=4k --size=64k \
		--ioengine=sync --fdatasync=1 >>/tmp/fsync.out 2>&1 &&
	head -c 5000 /dev/urandom >$MNT/d && sync
rc=$?
ok $rc "fsync (dd, fio), fdatasync (fio) and sync of ext4 files"
[ $rc -eq 0 ] || tail -n 5 /tmp/fsync.out | sed 's/^/# /'
umount $MNT
ok $? "unmount"
f1=$(bstat f_req)
if [ -z "$f0" ] || [ -z "$f1" ]; then
	skip "blkback saw flush requests" "no counters from dom0 ($f0/$f1)"
else
	grew "$f0" "$f1"
	ok $? "blkback saw flush requests (f_req $f0 -> $f1)"
fi
