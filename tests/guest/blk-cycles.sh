#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# pvxen-blkfront load/unload cycles with a mounted ext4 in between,
# unload attempts with I/O in flight, and unloads while the disks are
# still connecting, against Linux's blkback (xen-run
# --disk ...).  Nothing may leak: pvxen-core's grant, event and xenstore
# gauges come back to where they were before the first load, the data
# each cycle wrote is all there, e2fsck finds the file system clean, and
# on the debug kernel kmemleak, lockdep and list debugging stay quiet.
# $PVXEN_BLK_CYCLES (default 50) sets the number of cycles,
# $PVXEN_BLK_EARLY (default 10) the number of unloads while connecting.

# shellcheck disable=SC1091 # lib.sh and blk-lib.sh, found at run time
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/blk-lib.sh"

CORE=$PVXEN_MODDIR/pvxen-core.ko
BLK=$PVXEN_MODDIR/pvxen-blkfront.ko
CYCLES=${PVXEN_BLK_CYCLES:-50}
EARLY=${PVXEN_BLK_EARLY:-10}
DBG=/sys/kernel/debug/pvxen
KMEMLEAK=/sys/kernel/debug/kmemleak


# The disk is up once it can be opened (blk_ready); after rmmod, devtmpfs
# removes the node a little later, so wait for that too before the next
# load (a stale node would be opened as a missing device).
xvda_up() { blk_ready xvda; }
xvda_gone() { [ ! -e /sys/block/xvda ] && [ ! -e /dev/xvda ]; }
# Gauges settle once pvxen-core's own requests and the backend's last
# unmaps (deferred reclaim) are done; a leak never settles.
same_as_first() { [ "$(pvxen_gauges)" = "$first" ]; }

plan 14

for m in $(awk '/^pvxen_/ { print $1 }' /proc/modules); do
	[ "$m" = pvxen_core ] || rmmod "$m"
done
loaded pvxen_core || insmod "$CORE"
loaded pvxen_core
ok $? "pvxen-core loaded"
[ -e "$KMEMLEAK" ] && echo clear >"$KMEMLEAK"
# Earlier tests' disks may still have pages the backend had mapped in
# deferred reclaim: start from a settled table.
gauges_settle
first=$(steady_gauges)
printf '%s\n' "$first" | sed 's/^/# before: /'

insmod "$BLK" && until_ok 20 xvda_up
ok $? "pvxen-blkfront up: xvda"

# Unload with I/O in flight: the open disk pins the module, so every
# attempt is refused while the I/O carries on, and the I/O completes.
# The shell holds xvda open too: between dd's close and its exit the
# module is free to go, and that must not count as a refusal missed.
# The writer rewrites the same 16 MiB until told to stop, so that all
# the attempts fall inside the I/O however fast the backend is (minixen's
# finishes one pass in a fraction of a second).
dd if=/dev/urandom of=/tmp/io bs=1M count=16 2>/dev/null
exec 3</dev/xvda
# Writes, not all requests: xvda's partition scan may still be reading
# after its node appeared (more so while the other disks connect).
writes() { awk -F': ' '$1 == "writes" { print $2 }' "$DBG/blkfront/xvda"; }
writer() {
	_n=0
	while [ ! -e /tmp/io.stop ]; do
		dd if=/tmp/io of=/dev/xvda bs=64k seek=256 oflag=direct \
			2>/dev/null || return 1
		_n=$((_n + 1))
	done
	echo "$_n" >/tmp/io.rounds
}
rm -f /tmp/io.stop /tmp/io.rounds
w0=$(writes)
writer &
wr_pid=$!
# Only once the writes are reaching the driver is I/O surely in flight.
until_more() { [ "$(writes)" -gt "$w0" ] || ! kill -0 $wr_pid 2>/dev/null; }
until_ok 20 until_more
refused=0
tries=0
while [ $tries -lt 20 ] && kill -0 $wr_pid 2>/dev/null; do
	tries=$((tries + 1))
	if rmmod pvxen_blkfront 2>/dev/null; then
		refused=-1
		break
	fi
	refused=$((refused + 1))
	sleep 0.05
done
touch /tmp/io.stop
wait $wr_pid
wr_rc=$?
exec 3<&-
[ $refused -eq 20 ] && [ $wr_rc -eq 0 ] && loaded pvxen_blkfront
ok $? "rmmod refused $refused of 20 times while direct writes ran ($(cat /tmp/io.rounds 2>/dev/null || echo no) passes of 16 MiB); they completed"
dd if=/dev/xvda of=/tmp/io.back bs=64k skip=256 count=256 iflag=direct \
	2>/dev/null && cmp -s /tmp/io /tmp/io.back
ok $? "the data written under the unload attempts reads back identical"
until_ok 10 rmmod pvxen_blkfront 2>/dev/null
ok $? "rmmod once idle"

insmod "$BLK" && until_ok 20 xvda_up &&
	mkfs.ext4 -q -F /dev/xvda >/tmp/mkfs.out 2>&1 &&
	until_ok 10 rmmod pvxen_blkfront 2>/dev/null
ok $? "ext4 made on xvda"
[ -s /tmp/mkfs.out ] && sed 's/^/# /' /tmp/mkfs.out
mkdir -p /mnt/x

fail=0
i=1
while [ $i -le "$CYCLES" ]; do
	insmod "$BLK" || { fail="$i insmod"; break; }
	until_ok 20 xvda_up || { fail="$i no xvda"; break; }
	mount -t ext4 /dev/xvda /mnt/x || { fail="$i mount"; break; }
	mkdir -p /mnt/x/cycles
	echo "cycle $i" >>/mnt/x/cycles/log &&
		dd if=/dev/urandom of="/mnt/x/cycles/f$i" bs=4k count=$((i % 7 + 1)) \
			2>/dev/null || { fail="$i write"; break; }
	umount /mnt/x || { fail="$i umount"; break; }
	# The other disks may still be coming up (a partition scan holds
	# the module): rmmod is then refused for a moment.
	until_ok 10 rmmod pvxen_blkfront 2>/dev/null ||
		{ fail="$i rmmod"; break; }
	until_ok 10 xvda_gone || { fail="$i xvda stays"; break; }
	# A line now and then: the run's stall watchdog speaks up after
	# 240 s without one, and its dump is a burst on the console.
	[ $((i % 10)) -eq 0 ] && diag "cycle $i of $CYCLES done"
	i=$((i + 1))
done
[ "$fail" = 0 ]
ok $? "$CYCLES cycles of insmod, mount, write, umount, rmmod (failure: $fail)"

# Unload while the disks are still coming up, the watch thread in the
# middle of connecting one: that connect must not undo the close (which
# would leave the backend Connected to freed rings; pvxen-core refuses
# such a switch and logs it), so after each unload every backend comes to
# Closed, and the next load finds every backend ready to connect again.
# A close waits for the backend for at most 5 s and then goes on (the
# next probe finishes the job); how often that bound ran out depends on
# the host's speed, so it is counted, not judged.
all_up() {
	for _s in $PVXEN_DISKS; do
		blk_ready "${_s%%:*}" || return 1
	done
}
be_closed() {
	_be=$(cat "/sys/bus/pvxen/devices/$(blk_vbd "$1")/otherend") &&
		[ "$(_do_read "$_be/state")" = 6 ]
}
all_closed() {
	for _s in $PVXEN_DISKS; do
		be_closed "${_s%%:*}" || { echo "${_s%%:*}"; return 1; }
	done
}
closes() { dmesg | grep -cE 'backend did not follow|backend not Closed'; }
refusals() { dmesg | grep -c 'refusing to switch'; }
c0=$(closes)
s0=$(refusals)
fail=0
_do_ready || fail="pvxen-xs-test"
i=1
while [ "$fail" = 0 ] && [ $i -le "$EARLY" ]; do
	insmod "$BLK" || { fail="$i insmod"; break; }
	sleep "0.$((i % 5))"
	until_ok 10 rmmod pvxen_blkfront 2>/dev/null ||
		{ fail="$i rmmod"; break; }
	until_ok 10 xvda_gone || { fail="$i xvda stays"; break; }
	until_ok 30 all_closed >/dev/null ||
		{ fail="$i backend of $(all_closed) not Closed"; break; }
	i=$((i + 1))
done
_do_done
[ "$fail" = 0 ] && insmod "$BLK" && until_ok 20 all_up &&
	until_ok 10 rmmod pvxen_blkfront 2>/dev/null
r=$?
[ $r -eq 0 ] && [ "$(refusals)" -eq "$s0" ]
ok $? "$EARLY unloads 0 to 0.4 s after the load, disks still connecting: no switch refused during a close ($(($(refusals) - s0))), every backend Closed after each, then all $(echo "$PVXEN_DISKS" | wc -w) disk(s) up again (failure: $fail, $r; closes past the 5 s bound: $(($(closes) - c0)))"
[ "$(closes)" -eq "$c0" ] && [ "$(refusals)" -eq "$s0" ] ||
	dmesg | grep -E 'backend|switch' | tail -n 20 | sed 's/^/# /'

until_ok 10 same_as_first
ok $? "pvxen-core's gauges back to their values before the first load"
same_as_first || pvxen_gauges | sed 's/^/# after: /'

! grep -q 'xvd' /proc/interrupts && [ ! -e /sys/block/xvda ] &&
	[ ! -e "$DBG/blkfront" ]
ok $? "no xvd interrupt, block device or debugfs entry left"

insmod "$BLK" && until_ok 20 xvda_up && e2fsck -f -n /dev/xvda >/tmp/fsck.out 2>&1
ok $? "e2fsck -f -n: clean after all cycles"
tail -n 3 /tmp/fsck.out | sed 's/^/# /'
mount -t ext4 -o ro /dev/xvda /mnt/x &&
	[ "$(wc -l </mnt/x/cycles/log)" -eq "$CYCLES" ] &&
	[ "$(find /mnt/x/cycles -name 'f*' | wc -l)" -eq "$CYCLES" ]
ok $? "every cycle's log line and file is there"
umount /mnt/x 2>/dev/null
until_ok 10 rmmod pvxen_blkfront 2>/dev/null

check_splats
check_kmemleak
