#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# pvxen-blkfront first contact, in a domU on real Xen with one disk
# (xen-run --disk-mb N): bad module parameters are refused with a clear
# message, the module binds device/vbd/51712 as xvda with the size of the
# dom0 loop device, negotiates with Linux's blkback (debugfs shows what),
# carries data both ways, and unloads cleanly while the disk is idle but
# not while it is open.

# shellcheck disable=SC1091 # lib.sh and blk-lib.sh, found at run time
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/blk-lib.sh"

CORE=$PVXEN_MODDIR/pvxen-core.ko
BLK=$PVXEN_MODDIR/pvxen-blkfront.ko
DBGF=/sys/kernel/debug/pvxen/blkfront/xvda

plan 23

xvda_gone() { [ ! -e /dev/xvda ] && [ ! -e /sys/block/xvda ]; }
field() { awk -F': ' -v k="$1" '$1 == k { print $2 }' "$DBGF" 2>/dev/null; }

# An earlier test of the run (core-firstlight, core-xenbus) may have left
# pvxen-core loaded: this test's first load is its own.
if loaded pvxen_core; then
	diag "pvxen_core was already loaded; unloading it first"
	rmmod pvxen_core
fi
insmod1 "$CORE"
ok $? "pvxen-core loads"

refused_params "$BLK" pvxen-blkfront max_queues=0 max_queues=33 \
	max_ring_page_order=5 max_indirect_segments=4097 timeout_s=1 \
	max_queues=abc
ok $? "6 bad module parameters refused, each with a message naming it"

insmod1 "$BLK"
ok $? "pvxen-blkfront loads with default parameters"

until_ok 20 blk_ready xvda
ok $? "/dev/xvda appears"

sectors=$(cat /sys/block/xvda/size 2>/dev/null)
[ "$sectors" = $((PVXEN_DISK_MB * 2048)) ]
ok $? "xvda has the backing loop device's size ($sectors sectors)"

[ "$(field state)" = connected ]
ok $? "debugfs: state connected"
diag "negotiated: queues $(field queues), ring order $(field ring_page_order)," \
	"segments $(field max_segments), persistent $(field persistent)," \
	"flush $(field flush), discard $(field discard)"
[ "$(field max_segments)" = 256 ]
ok $? "indirect descriptors: 256 segments per request (1 MiB)"
[ "$(cat /sys/block/xvda/queue/max_hw_sectors_kb)" = 1024 ]
ok $? "queue takes 1 MiB requests"
[ "$(field persistent)" = 1 ]
ok $? "persistent grants negotiated with blkback"
[ "$(field queues)" = 2 ] && [ -d /sys/block/xvda/mq/1 ]
ok $? "two queues, one ring each (blkback offers 2, the domU has 2 vCPUs)"

dd if=/dev/urandom of=/tmp/pattern bs=64k count=40 2>/dev/null
dd if=/tmp/pattern of=/dev/xvda bs=64k seek=7 oflag=direct 2>/dev/null &&
	dd if=/dev/xvda of=/tmp/back bs=64k skip=7 count=40 iflag=direct \
		2>/dev/null && cmp -s /tmp/pattern /tmp/back
ok $? "2.5 MiB written with O_DIRECT and read back identical"

dd if=/tmp/pattern of=/dev/xvda bs=1M seek=5 count=2 conv=fsync 2>/dev/null &&
	echo 3 >/proc/sys/vm/drop_caches &&
	dd if=/dev/xvda of=/tmp/back2 bs=1M skip=5 count=2 2>/dev/null &&
	head -c 2097152 /tmp/pattern | cmp -s - /tmp/back2
ok $? "buffered 1 MiB writes, fsync, drop caches, read back identical"

[ "$(field errors)" = 0 ] && [ "$(field bad_responses)" = 0 ]
ok $? "no request errors or bad responses (requests: $(field requests))"

exec 3</dev/xvda
rmmod pvxen_blkfront 2>/dev/null
rc=$?
exec 3<&-
[ $rc -ne 0 ] && loaded pvxen_blkfront
ok $? "rmmod refused while xvda is open"

until_ok 10 rmmod pvxen_blkfront 2>/dev/null
ok $? "rmmod succeeds once xvda is closed"
until_ok 10 xvda_gone
ok $? "xvda is gone"

# The other side of every negotiation: one queue, a 4-page ring, no
# persistent grants (grant and revoke per request), no indirect segments.
insmod1 "$BLK" "max_queues=1 max_ring_page_order=2 feature_persistent=0 \
max_indirect_segments=0" && until_ok 20 blk_ready xvda
ok $? "reloaded with max_queues=1 max_ring_page_order=2 feature_persistent=0 max_indirect_segments=0"

[ "$(field queues)" = 1 ] && [ "$(field ring_page_order)" = 2 ] &&
	[ "$(field ring_size)" = 128 ]
ok $? "one ring of 4 pages, 128 slots"
[ "$(field persistent)" = 0 ] && [ "$(field max_segments)" = 11 ] &&
	[ "$(cat /sys/block/xvda/queue/max_hw_sectors_kb)" = 44 ]
ok $? "no persistent grants, 11 direct segments (44 KiB requests)"
dd if=/tmp/pattern of=/dev/xvda bs=64k seek=100 oflag=direct 2>/dev/null &&
	dd if=/dev/xvda of=/tmp/back3 bs=64k skip=100 count=40 iflag=direct \
		2>/dev/null && cmp -s /tmp/pattern /tmp/back3
ok $? "2.5 MiB through per-request grants read back identical"
[ "$(field errors)" = 0 ] && [ "$(field pages)" -le 256 ]
ok $? "no errors; spare pages bounded ($(field pages) kept)"
until_ok 10 rmmod pvxen_blkfront 2>/dev/null && until_ok 10 xvda_gone
ok $? "unloaded again"

dmesg | grep -E 'Oops|BUG|WARNING|Call trace' >/tmp/bad.txt
[ ! -s /tmp/bad.txt ]
ok $? "no oops, BUG or WARNING in dmesg"
[ -s /tmp/bad.txt ] && sed 's/^/# /' /tmp/bad.txt
dmesg | grep -E 'pvxen-blkfront|xvd' | sed 's/^/# dmesg: /'
true
