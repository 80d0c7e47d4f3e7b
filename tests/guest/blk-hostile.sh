#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# pvxen-blkfront against a lying backend, in a domU on real Xen.  For
# each mode, dom0 starts tests/tools/fakeblkback through the action
# channel ("pvxen_do fakeblk MODE", tests/guest/blk-lib.sh): a blkif
# backend serving an 8 MiB disk from memory as xvdp (vdev 51952) that
# misbehaves once, on the first request touching the "trap" (sectors
# 8192..10239, 4 MiB into the disk, away from the partition tables).
# MODE good is the positive control: a correct backend.  It also
# publishes info = VDISK_CDROM | VDISK_REMOVABLE and writes the
# frontend's trusted = 0, as a toolstack does for a backend it does not
# trust: the disk must be removable and say cdrom, the driver must log the
# untrusted backend, and the data path must work as before (its pages are
# bounced, trusted or not).
#
# Per mode (9 results, good 10, bad-sectors 7): dom0 started the
# backend; the disk existed before the fault (xvdp appeared and a read
# before the trap works); the I/O at the trap fails with an error instead
# of hanging (good: 1 MiB written and read back identical, plus the
# cdrom/removable/trusted result; silent: it stays in flight, unanswered,
# until the removal fails it); dmesg has the frontend's own line for that
# fault (fault_re: a pattern only that fault's message matches, never the
# connect banner nor another fault's line); no oops/BUG/WARNING; the
# device can be unbound and leaves the bus; fakeblkback ended having
# injected its fault; pvxen-blkfront unloads and loads again.
# bad-sectors faults at connect: the driver bound to vbd-51952 names the
# bad sector-size, no disk is made and I/O on /dev/xvdp fails; that the
# frontend had connected its rings first shows in fakeblkback's faults=1
# (it publishes the geometry only to a frontend that did).
#
# Settings (xen-run --guest-env): BLK_HOSTILE_MODES (a subset, in order),
# BLK_HOSTILE_KEYS (more fakeblkback KEY:VALUE words for every mode, e.g.
# "indirect:64"), BLK_HOSTILE_WAIT (seconds an I/O may take to fail,
# default 30; in mode close the driver's timeout_s + 15: a closing backend
# may still answer what it has).  Unbinding must take less than 30 s in
# every mode, silent included (less than the default timeout_s of 60).
# With PVXEN_BLKFRONT_PARAMS="timeout_s=N", N <= 10, mode silent instead
# checks that the driver's own timeout fails the I/O ("no response in N
# s").  With Linux's own xen-blkfront (xenref) the module steps are
# skipped; its verdicts describe upstream, they are not expected to pass.

# shellcheck disable=SC1091 # lib.sh and blk-lib.sh, found at run time
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/blk-lib.sh"

VDEV=51952
DEV=xvdp
SECTORS=16384			# 8 MiB, fakeblkback's default
TRAP_SKIP=64			# 64 KiB blocks: 4 MiB = sector 8192
MODES=${BLK_HOSTILE_MODES:-good bad-id dup-id bad-op bad-status rsp-overrun bad-sectors close silent}
WAIT=${BLK_HOSTILE_WAIT:-30}
T=/tmp/blk-hostile
BG_DIR=$T
BLK=$PVXEN_MODDIR/pvxen-blkfront.ko
DBG=/sys/kernel/debug/pvxen/blkfront
PARAMS=/sys/module/pvxen_blkfront/parameters
# Kernel lines about our disk, minus the block layer's generic ones.
OURS='pvxen-blkfront|blkfront|vbd-51952|xvdp'
GENERIC='I/O error, dev|Buffer I/O error|print_req_error|blk_update_request'
OOPS='Oops|BUG:|kernel BUG|Call trace|WARNING:|Kernel panic|Unable to handle|KASAN|UBSAN|stack-protector|refcount_t:|list_(add|del) corruption'

mkdir -p $T
# shellcheck disable=SC2086 # one word per mode
set -- $MODES
# Results per mode (see above).
results() {
	case $1 in
	good) echo 10 ;;
	bad-sectors) echo 7 ;;
	*) echo 9 ;;
	esac
}
n=1
for mode in $MODES; do n=$((n + $(results "$mode"))); done
plan $n

busdev() {
	for _d in /sys/bus/*/devices/vbd-"$VDEV"; do
		[ -e "$_d" ] && echo "$_d" && return
	done
}
gone() { [ -z "$(busdev)" ] && [ ! -e /dev/$DEV ]; }
klog() { dmesg | grep -Ei "$OURS" | grep -Ev "$GENERIC"; }
unbind() { echo "vbd-$VDEV" >"$1/driver/unbind"; }

# The frontend's line for each fault (ERE): its own words for that fault,
# which neither the connect banner ("..., ring order N, ...") nor any
# other fault's line matches.  bad-id's id is fakeblkback's default (the
# ring size: a tag beyond the ring).  silent: with timeout_s <= 10 ($1
# "silent-timeout") the driver's own timeout, else the removal failing
# what was never answered.
fault_re() {
	_ring='ring [0-9]+: '
	_id='response id (0x[0-9a-f]+|0)'
	_fail='; failing the device'
	case $1 in
	bad-id) echo "$_ring$_id: tag [0-9]+ beyond the ring$_fail" ;;
	dup-id) echo "$_ring$_id is not in flight$_fail" ;;
	bad-op) echo "$_ring$_id: operation [0-9]+, the request was [0-9]+$_fail" ;;
	bad-status) echo "$_ring$_id: unknown status 7$_fail" ;;
	rsp-overrun) echo "${_ring}backend produced [0-9]+ responses for [0-9]+ requests$_fail" ;;
	bad-sectors) echo "vbd-$VDEV: $DEV: sector-size 3 is not a power of two" ;;
	close) echo "$DEV: backend closing, [1-9][0-9]* request\\(s\\) in flight" ;;
	silent) echo "$DEV: failing [1-9][0-9]* unanswered request" ;;
	silent-timeout) echo "$DEV: ${_ring}no response in $t s \\(backend stalled\\)$_fail" ;;
	esac
}
# klog_has MODE: dmesg has the frontend's line for the fault of MODE.
klog_has() { klog | grep -Eq "$(fault_re "$1")"; }
# dbg KEY: pvxen-blkfront's debugfs value KEY for the disk, or empty.
dbg() { awk -v k="$1:" '$1 == k { print $2 }' "$DBG/$DEV" 2>/dev/null; }

if blk_upstream; then
	diag "Linux's own xen-blkfront drives vbd devices: upstream's behaviour"
	skip "pvxen-blkfront loads" "built-in xen-blkfront"
else
	loaded pvxen_core || insmod "$PVXEN_MODDIR/pvxen-core.ko"
	# shellcheck disable=SC2086 # the words are module parameters
	loaded pvxen_blkfront || insmod "$BLK" $PVXEN_BLKFRONT_PARAMS
	loaded pvxen_blkfront
	ok $? "pvxen-blkfront loads"
fi

for mode in $MODES; do
	dmesg -c >/dev/null
	diag "---- mode $mode"
	up=1
	extra=
	[ "$mode" = good ] && extra="info:3 trusted:0"
	# shellcheck disable=SC2086 # the words are fakeblkback settings
	out=$(pvxen_do fakeblk "$mode" $BLK_HOSTILE_KEYS $extra)
	ok $? "$mode: dom0 started fakeblkback"
	diag "$out"

	# -- the disk comes up (bad-sectors: the driver must refuse it)
	if [ "$mode" = bad-sectors ]; then
		until_ok 30 klog_has "$mode"
		ok $? "$mode: pvxen-blkfront on vbd-$VDEV refused the geometry: dmesg '$DEV: sector-size 3 is not a power of two'"
		bounded 10 io dd if=/dev/$DEV of=/dev/null bs=4k count=1 iflag=direct
		r=$?
		[ $r -ne 0 ] && [ $r -ne 124 ] && [ ! -e /sys/block/$DEV ] &&
			klog | grep -qE "vbd-$VDEV: fatal: [0-9]+ $DEV: bringing the disk up"
		ok $? "$mode: no disk made ('fatal: N $DEV: bringing the disk up', no /sys/block/$DEV), I/O on /dev/$DEV fails at once (status $r)"
	else
		until_ok 30 blk_ready $DEV
		up=$?
		ok $up "$mode: /dev/$DEV appeared"
		bounded 20 first dd if=/dev/$DEV of=/dev/null bs=4k count=1 iflag=direct
		pre=$?
		ok $pre "$mode: a read before the trap works"
		# The disk existed before the fault: it appeared and read.
		[ $up -eq 0 ] && [ $pre -eq 0 ]
		before=$?

		if [ "$mode" = good ]; then
			size=$(cat /sys/block/$DEV/size 2>/dev/null)
			[ "$size" = $SECTORS ] || diag "size $size, expected $SECTORS"
			dd if=/dev/urandom of=$T/pattern bs=64k count=16 2>/dev/null
			bounded 60 io sh -c "dd if=$T/pattern of=/dev/$DEV bs=64k seek=$TRAP_SKIP oflag=direct conv=fsync &&
				dd if=/dev/$DEV of=$T/readback bs=64k skip=$TRAP_SKIP count=16 iflag=direct &&
				cmp $T/pattern $T/readback" &&
				[ "$size" = $SECTORS ]
			ok $? "$mode: 1 MiB written at 4 MiB and read back identical, size $SECTORS sectors"
			removable=$(cat /sys/block/$DEV/removable 2>/dev/null)
			if blk_upstream; then
				skip "$mode: info cdrom|removable and trusted=0" "built-in xen-blkfront (removable $removable)"
			else
				[ "$removable" = 1 ] &&
					klog | grep -q "$DEV: .*, cdrom" &&
					klog | grep -q "$DEV: backend not trusted" &&
					grep -qx 'trusted: 0' "$DBG/$DEV"
				ok $? "$mode: info cdrom|removable: removable ($removable), cdrom in the disk's line; trusted=0 logged and in debugfs"
			fi
		else
			bg io dd if=/dev/$DEV of=/dev/null bs=64k skip=$TRAP_SKIP count=16 iflag=direct
			t=$(cat $PARAMS/timeout_s 2>/dev/null)
			if [ "$mode" = silent ] && [ -n "$t" ] && [ "$t" -le 10 ]; then
				# A short timeout_s (PVXEN_BLKFRONT_PARAMS): the
				# driver itself fails the I/O and the device.
				bg_wait io $((t + 15))
				r=$?
				[ $r -ne 0 ] && [ $r -ne 124 ] && [ "$before" -eq 0 ] &&
					klog_has silent-timeout
				ok $? "$mode: timeout_s=$t fails the I/O and the device by itself (status $r; dmesg 'ring N: no response in $t s')"
			elif [ "$mode" = silent ]; then
				# Nothing answers: the I/O stays on the ring, and
				# must fail when the device goes (checked after the
				# removal below).
				bg_wait io 5
				r=$?
				inf=$(dbg inflight)
				[ $r -eq 124 ] && [ "${inf:-0}" -ge 1 ] &&
					[ "$(dbg errors)" = 0 ] && [ $before -eq 0 ]
				ok $? "$mode: I/O at the trap unanswered and still waiting after 5 s (status $r, 124: waiting; $inf in flight, errors $(dbg errors))"
			else
				w=$WAIT
				# A closing backend may still answer: the driver
				# gives it timeout_s before failing what is left.
				if [ "$mode" = close ] && [ -r $PARAMS/timeout_s ]; then
					w=$(($(cat $PARAMS/timeout_s) + 15))
				fi
				bg_wait io "$w"
				r=$?
				[ $r -ne 0 ] && [ $r -ne 124 ] && [ $before -eq 0 ]
				ok $? "$mode: I/O at the trap fails with an error within ${w}s (status $r; 124: still waiting)"
			fi
		fi
	fi

	# -- what the kernel said
	if [ "$mode" = good ]; then
		! klog | grep -Eiq 'error|invalid|bad|fail|illegal|incorrect|wrong'
		ok $? "$mode: no frontend error lines"
	elif [ "$mode" != silent ] && [ "$mode" != bad-sectors ]; then
		klog_has "$mode"
		ok $? "$mode: dmesg has the frontend's line for this fault ('$(fault_re "$mode")')"
	fi

	# -- removal: unbind the driver; the frontend closes, fakeblkback
	# ends and removes the nodes, the device leaves the bus
	d=$(busdev)
	if [ -n "$d" ] && [ -e "$d/driver" ]; then
		bounded 30 unbind unbind "$d"
		r=$?
		# The frontend may have gone Closed and been unbound between
		# the test for a driver and the write (the backend closed after
		# the fault): what counts is that it ends unbound.
		if [ $r -ne 0 ] && [ ! -e "$d/driver" ]; then
			diag "vbd-$VDEV was unbound meanwhile (unbind status $r)"
			r=0
		fi
	else
		r=0
		diag "vbd-$VDEV already unbound or gone: ${d:-gone}"
	fi
	until_ok 15 gone
	g=$?
	[ $r -eq 0 ] && [ $g -eq 0 ]
	ok $? "$mode: device unbound (status $r) and gone from the bus"

	if [ "$mode" = silent ]; then
		bg_wait io 15
		r=$?
		f=silent
		[ -n "$t" ] && [ "$t" -le 10 ] && f=silent-timeout
		[ $r -ne 0 ] && [ $r -ne 124 ] && [ "$before" -eq 0 ] &&
			klog_has $f
		ok $? "$mode: the unanswered I/O failed (status $r; 124: still waiting), dmesg '$(fault_re $f)'"
	fi

	dmesg | grep -Ei "$OURS|$OOPS" | head -n 20 | sed 's/^/#   /'
	! dmesg | grep -Eq "$OOPS"
	ok $? "$mode: no oops, BUG or WARNING"

	# -- fakeblkback's own account
	sum=$(pvxen_do fakeblk wait)
	r=$?
	if [ $r -ne 0 ]; then
		diag "fakeblkback did not end by itself ($r): stopping it"
		sum=$(pvxen_do fakeblk stop)
	fi
	diag "$sum"
	want=1
	[ "$mode" = good ] && want=0
	case $sum in
	*" faults=$want "*"end=frontend-"*" rc=0"*) r=0 ;;
	*) r=1 ;;
	esac
	[ $r -eq 0 ]
	ok $? "$mode: fakeblkback injected $want fault(s) and saw the frontend close"

	if blk_upstream; then
		skip "$mode: pvxen-blkfront unloads and reloads" "built-in xen-blkfront"
	else
		bounded 30 rmmod rmmod pvxen_blkfront
		r=$?
		# shellcheck disable=SC2086 # the words are module parameters
		[ $r -eq 0 ] && insmod "$BLK" $PVXEN_BLKFRONT_PARAMS
		loaded pvxen_blkfront && [ $r -eq 0 ]
		ok $? "$mode: pvxen-blkfront unloads (status $r) and loads again"
	fi
done
