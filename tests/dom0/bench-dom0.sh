#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make bench, the ceiling: the domUs' fio jobs run in dom0 itself, straight
# on a loop device over a sparse file in /tmp (tmpfs), which is what
# blkback serves each domU's xvda from; before any domU exists.
. /pvxen/tests/lib.sh
. /pvxen/tests/bench-lib.sh
plan $((1 + BENCH_RESULTS))

img=/tmp/bench-ceiling.img
mb=${PVXEN_DISK_MB:-160}
dd if=/dev/zero of=$img bs=1M count=0 seek="$mb" 2>/dev/null &&
	loop=$(losetup -f) && losetup "$loop" $img
ok $? "loop device $loop on a sparse $mb MiB file in /tmp"
bench_blk dom0 "${loop#/dev/}"
losetup -d "$loop"
rm -f $img
