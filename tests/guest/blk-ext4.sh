#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# A filesystem on the block frontend: mkfs.ext4, a tree of 150 files
# ($BLK_EXT4_FILES; nested directories, sizes from 0 B to 300 KiB, and
# one of 4 MiB), checksums, then
# with every cache dropped e2fsck -f -n finds it clean and, mounted again,
# every file has its checksum.  On xvda (or $BLK_EXT4_DEV): xen-run
# --disk-mb 64.

# shellcheck disable=SC1091 # found at run time
. "$(dirname "$0")/lib.sh"
# shellcheck disable=SC1091
. "$(dirname "$0")/blk-lib.sh"

DEV=${BLK_EXT4_DEV:-xvda}
MNT=/mnt/blk-ext4
SUMS=/tmp/blk-ext4.sums
# 300 until make check's budget: writing and checking them took 64 s
# of the 69 s the test took on real Xen.
FILES=${BLK_EXT4_FILES:-150}

plan 9

blk_setup
ok $? "block frontend up, /dev/$DEV there"

# Nothing cached: what comes next is read from the disk.
uncache() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	blockdev --flushbufs "/dev/$DEV"
}

mkfs.ext4 -q -F "/dev/$DEV" >/tmp/mkfs.out 2>&1
rc=$?
ok $rc "mkfs.ext4 /dev/$DEV"
[ $rc -eq 0 ] || sed 's/^/# /' /tmp/mkfs.out

mkdir -p $MNT
mount -t ext4 "/dev/$DEV" $MNT
ok $? "mount it"

# The tree: d0..d6/s0..s4, sizes cycling through empty, a few bytes,
# odd sizes around page and block boundaries, up to 300 KiB; one 4 MiB
# file.  Contents are random.
tree() {
	i=0
	while [ $i -lt $FILES ]; do
		d=$MNT/d$((i % 7))/s$((i % 5))
		[ $((i % 11)) -eq 0 ] && d=$d/deep/er
		mkdir -p "$d" || return 1
		case $((i % 6)) in
		0) n=0 ;;
		1) n=$((i % 13 + 1)) ;;
		2) n=$((4096 + i % 3 - 1)) ;;
		3) n=$((512 * (i % 9) + 7)) ;;
		*) n=$((1024 * (i * 37 % 300) + i)) ;;
		esac
		head -c $n /dev/urandom >"$d/f$i" || return 1
		i=$((i + 1))
	done
	dd if=/dev/urandom of=$MNT/big bs=64k count=64 2>/dev/null
}
tree
ok $? "wrote $FILES files in nested directories and a 4 MiB one"
(cd $MNT && find . -type f | sort | xargs sha256sum) >$SUMS
diag "$(wc -l <$SUMS) files, $(du -sk $MNT | cut -f1) KiB"

umount $MNT
ok $? "unmount"

uncache
e2fsck -f -n "/dev/$DEV" >/tmp/fsck.out 2>&1
rc=$?
ok $rc "e2fsck -f -n: clean (exit $rc)"
[ $rc -eq 0 ] || sed 's/^/# /' /tmp/fsck.out | tail -n 20

uncache
mount -t ext4 "/dev/$DEV" $MNT
ok $? "mount again"
n=$(cd $MNT && find . -type f | wc -l)
[ "$n" -eq $((FILES + 1)) ]
ok $? "all $((FILES + 1)) files are there ($n)"
(cd $MNT && sha256sum -c $SUMS >/tmp/sums.out 2>&1)
rc=$?
ok $rc "every file has its checksum"
[ $rc -eq 0 ] || grep -v ': OK$' /tmp/sums.out | head -n 10 | sed 's/^/# /'
umount $MNT
