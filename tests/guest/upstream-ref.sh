#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The upstream reference: Debian's stock kernel in the domU with Linux's own
# xen-blkfront and xen-netfront, against blkback/netback in the Debian dom0
# (xen-run --guest-kernel debian --disk-mb N --vif), or against minixen's
# own backends, its switch and the peer domain at 169.254.0.1 (mx-run
# --guest-kernel debian --peer --vif --disk-mb N). Proves the backends
# carry real I/O and a filesystem, for later comparisons.
. /pvxen/tests/lib.sh
plan 7

wait_for() {
	_n=0
	until [ -e "$1" ]; do
		_n=$((_n + 1))
		[ $_n -lt 200 ] || return 1
		sleep 0.1
	done
}

# devtmpfs makes /dev/xvda inside add_disk, before the /sys/block link.
wait_for /dev/xvda && wait_for /sys/block/xvda/size
ok $? "xen-blkfront: /dev/xvda appeared"

sectors=$(cat /sys/block/xvda/size 2>/dev/null)
[ "$sectors" = $((PVXEN_DISK_MB * 2048)) ]
ok $? "xvda has the dom0 loop device's size ($sectors sectors, ${PVXEN_DISK_MB} MiB)"

dd if=/dev/urandom of=/tmp/pattern bs=1M count=8 2>/dev/null
dd if=/tmp/pattern of=/dev/xvda bs=1M seek=3 conv=fsync 2>/dev/null &&
	echo 3 > /proc/sys/vm/drop_caches &&
	dd if=/dev/xvda of=/tmp/readback bs=1M skip=3 count=8 2>/dev/null &&
	cmp /tmp/pattern /tmp/readback
ok $? "8 MiB written to xvda and read back identical after dropping caches"

# A filesystem on it: made, written, mounted again, read back.
mkdir -p /mnt/up
mkfs.ext4 -q -F /dev/xvda >/tmp/up.err 2>&1 &&
	mount -t ext4 /dev/xvda /mnt/up 2>>/tmp/up.err &&
	cp /tmp/pattern /mnt/up/pattern && umount /mnt/up
rc=$?
ok $rc "ext4 made on xvda, a file written, unmounted"
[ $rc -eq 0 ] || sed 's/^/# /' /tmp/up.err
echo 3 > /proc/sys/vm/drop_caches
mount -t ext4 -o ro /dev/xvda /mnt/up && cmp /tmp/pattern /mnt/up/pattern
ok $? "xvda mounted again: the file reads back identical"
umount /mnt/up

wait_for /sys/class/net/eth0
ok $? "xen-netfront: eth0 appeared"

ip link set eth0 up && ip addr add 169.254.0.2/16 dev eth0 &&
	ping -c 3 -W 5 169.254.0.1 > /tmp/ping.out 2>&1
rc=$?
ok $rc "ping dom0 (169.254.0.1) over netfront/netback"
[ $rc -eq 0 ] || sed 's/^/# /' /tmp/ping.out
