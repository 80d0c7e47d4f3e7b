#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make bench, the ceiling: the domUs' fio jobs run in dom0 itself, straight
# on a loop device over a sparse file in /tmp (tmpfs), which is what
# blkback serves each domU's xvda from; before any domU exists.
#
# dom0's image has no fio (another 86 MB would not fit in its initramfs):
# it is taken, with its libraries, out of a domU's image, which holds it
# for the same jobs, and run through that image's dynamic loader.
. /pvxen/tests/lib.sh
. /pvxen/tests/bench-lib.sh
plan $((2 + BENCH_RESULTS))

FIO_ROOT=/tmp/bench-fio
fio() {
	_l=$FIO_ROOT/lib/aarch64-linux-gnu:$FIO_ROOT/usr/lib/aarch64-linux-gnu
	"$FIO_ROOT/lib/ld-linux-aarch64.so.1" \
		--library-path "$_l:$FIO_ROOT/usr/lib/aarch64-linux-gnu/ceph" \
		"$FIO_ROOT/usr/bin/fio" "$@"
}

for d in $PVXEN_DOMUS; do
	img=/pvxen/domu/$d/initrd.cpio
	[ -r "$img" ] && break
done
mkdir -p $FIO_ROOT &&
	(cd $FIO_ROOT && cpio -id 'usr/bin/fio' 'lib/*' 'usr/lib/*' <"$img" 2>/dev/null) &&
	fio --version >/tmp/fio.version 2>&1
ok $? "fio from $img runs in dom0: $(cat /tmp/fio.version)"

disk=/tmp/bench-ceiling.img
mb=${PVXEN_DISK_MB:-160}
dd if=/dev/zero of=$disk bs=1M count=0 seek="$mb" 2>/dev/null &&
	loop=$(losetup -f) && losetup "$loop" $disk
ok $? "loop device $loop on a sparse $mb MiB file in /tmp"
bench_blk dom0 "${loop#/dev/}"
losetup -d "$loop"
rm -rf $disk $FIO_ROOT
