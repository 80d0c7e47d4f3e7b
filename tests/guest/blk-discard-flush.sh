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
# pvxen_do) show the requests were sent, where dom0 gives them;
# pvxen-blkfront's own (debugfs pvxen/blkfront/DISK: discards and
# flushes sent, done_discards and done_flushes ended well, errors) always
# do, except under Linux's own xen-blkfront.  On xvda (or $BLK_DF_DEV):
# xen-run --disk-mb 64.

# shellcheck disable=SC1091 # found at run time
. "$(dirname "$0")/lib.sh"
# shellcheck disable=SC1091
. "$(dirname "$0")/blk-lib.sh"

DEV=${BLK_DF_DEV:-xvda}
Q=/sys/block/$DEV/queue
MNT=/mnt/blk-df

plan 18

blk_setup
ok $? "block frontend up, /dev/$DEV there"

dmax=$(cat "$Q/discard_max_bytes")
[ "${dmax:-0}" -gt 0 ]
ok $? "$DEV advertises discard (discard_max_bytes $dmax, granularity $(cat "$Q/discard_granularity"))"
wc=$(cat "$Q/write_cache")
[ "$wc" = "write back" ]
ok $? "$DEV advertises a write-back cache (write_cache '$wc')"
diag "fua $(cat "$Q/fua" 2>/dev/null)"

# pvxen-blkfront's counter KEY for our disk (debugfs), or empty.
FDBG=/sys/kernel/debug/pvxen/blkfront/$DEV
grep -q ' /sys/kernel/debug debugfs ' /proc/mounts ||
	mount -t debugfs debugfs /sys/kernel/debug
fstat() { awk -v k="$1:" '$1 == k { print $2 }' "$FDBG" 2>/dev/null; }
# fsnap: the sent, done and error counters of one operation, one line.
fsnap() { echo "$(fstat "$1") $(fstat "done_$1") $(fstat errors)"; }
# front_ok OP BEFORE AFTER: pvxen-blkfront sent more OP requests, every
# one of them ended well, and no request ended with an error.
front_ok() {
	# shellcheck disable=SC2086 # three numbers each
	set -- "$1" $2 $3
	[ $# -eq 7 ] && [ "$5" -gt "$2" ] &&
		[ $(($5 - $2)) -eq $(($6 - $3)) ] && [ "$7" -eq "$4" ]
}

# blkback's counter KEY for our disk, or empty if dom0 cannot say.
bstat() {
	_v=$(pvxen_do backend-stat "$DEV" "$1") && echo "$_v"
}
grew() { [ -n "$1" ] && [ -n "$2" ] && [ "$2" -gt "$1" ]; }

# Discard: a range, then fio's trim, then the whole disk.
ds0=$(bstat ds_req)
fd0=$(fsnap discards)
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
fd1=$(fsnap discards)
if blk_upstream; then
	skip "pvxen-blkfront sent discard requests" "Linux's own xen-blkfront"
else
	front_ok discards "$fd0" "$fd1"
	ok $? "pvxen-blkfront sent discard requests, all ended well, no errors (sent done errors: $fd0 -> $fd1)"
fi
if [ -z "$ds0" ] || [ -z "$ds1" ]; then
	skip "blkback saw discard requests" "no counters from dom0 ($ds0/$ds1)"
else
	grew "$ds0" "$ds1"
	ok $? "blkback saw discard requests (ds_req $ds0 -> $ds1)"
fi

# Flushes on the raw disk.
f0=$(bstat f_req)
ff0=$(fsnap flushes)
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

# O_DIRECT and O_SYNC writes of 1 MiB: FUA writes, where the disk
# claims FUA, each more than a request's 11 direct segments. An indirect
# request carries only reads and writes, and a barrier is no FUA: with a
# cache flush offered the frontend must not claim FUA (Linux's
# xen-blkfront does not either), and the writes must all end well.
fua=$(cat "$Q/fua" 2>/dev/null)
if ! on_minixen || blk_upstream; then
	skip "no FUA claimed beside a cache flush" "blkback's keys vary"
else
	[ "$fua" = 0 ]
	ok $? "minixen offers a cache flush and barriers: no FUA claimed (fua $fua)"
fi
fio --name=fua --filename="/dev/$DEV" --rw=write --bs=1m --size=4m \
	--offset=16m --direct=1 --sync=1 --ioengine=sync >/tmp/fua.out 2>&1
rc=$?
ok $rc "fio O_DIRECT|O_SYNC writes of 1 MiB"
[ $rc -eq 0 ] || tail -n 5 /tmp/fua.out | sed 's/^/# /'

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
ff1=$(fsnap flushes)
if blk_upstream; then
	skip "pvxen-blkfront sent flush requests" "Linux's own xen-blkfront"
else
	front_ok flushes "$ff0" "$ff1"
	ok $? "pvxen-blkfront sent flush requests, all ended well, no errors (sent done errors: $ff0 -> $ff1)"
fi
if [ -z "$f0" ] || [ -z "$f1" ]; then
	skip "blkback saw flush requests" "no counters from dom0 ($f0/$f1)"
else
	grew "$f0" "$f1"
	ok $? "blkback saw flush requests (f_req $f0 -> $f1)"
fi
