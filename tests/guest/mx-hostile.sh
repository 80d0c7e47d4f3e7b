#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# A hostile frontend against minixen's backends (mx-run, domU1 with xvda,
# a read-only disk and a vif; no pvxen-blkfront, no pvxen-netfront):
# tests/modules/pvxen-hostile-front.ko connects its own rings to
# device/vbd/51712 and device/vif/0 and lies once per scenario (see its
# header).  Each scenario's result is the outcome this end sees, which
# must be the one documented in Documentation/minixen.md: an error
# response with the backend still Connected (EOPNOTSUPP for an unknown
# operation), or the backend going Closing after a producer overrun or a
# TX slot crossing its page; the good requests before, between (after
# each event storm) and after them answered; every close handshake
# completed and no grant left held.  Then the module unloads, pvxen-core's
# gauges are back, and the kernel logged no splat.  minixen's own lines
# (one per fatal lie) are the harness's to check (mx-run
# --mx-log-expect).
#
# With MX_HOSTILE_SOAK=S, the scenarios that disconnect nothing run
# again in rounds for S seconds more, so that the other domains' I/O
# meets them (one result for all rounds).

# shellcheck disable=SC1091 # tests/guest/lib.sh, found at run time
. "$(dirname "$0")/lib.sh"

CORE=$PVXEN_MODDIR/pvxen-core.ko
HF=$PVXEN_MODDIR/pvxen-hostile-front.ko
DBG=/sys/kernel/debug
CMD=$DBG/pvxen-hostile/cmd
VBD=51712
VIF=0
SOAK=${MX_HOSTILE_SOAK:-0}
HUNG=0

# MODE|EXPECTED|WHAT, one scenario a line
BLK_CASES='good|rsp 0 data-ok|a write and its read back (control)
bad-gref|rsp -1|a grant ref never granted: error
nseg-0|rsp -1|a read of 0 segments: error
nseg-12|rsp -1|a read of 12 segments (11 the most): error
first-gt-last|rsp -1|first_sect 5 > last_sect 2: error
last-8|rsp -1|last_sect 8 (past the 4 KiB frame): error
past-end|rsp -1|8 sectors from 4 before the end of the disk: error
ind-0|rsp -1|an indirect read of 0 segments: error
ind-many|rsp -1|an indirect read of max-indirect-segments + 1: error
bad-op|rsp -2|operation 0x7f: EOPNOTSUPP
storm|rsp 0|a storm of notifications, nothing queued: the read after it answered
overrun|closing|request producer a ring and one ahead: the backend goes Closing
good|rsp 0 data-ok|after the overrun: the disk connects again and works'
NET_CASES='good|rsp 0|a 60-byte frame (control)
bad-gref|rsp -1|a grant ref never granted: NETIF_RSP_ERROR
many-slots|rsp -1|19 slots (18 the most): NETIF_RSP_ERROR
first-small|rsp -1|first slot (the packet) shorter than the second: NETIF_RSP_ERROR
storm|rsp 0|a storm of notifications: the frame after it answered
cross|closing|a slot crossing its page: the vif goes Closing
good|rsp 0|after the crossing slot: the vif connects again and works
overrun|closing|TX producer a ring and one ahead: the vif goes Closing
good|rsp 0|after the overrun: the vif connects again and works'
# Scenarios for the soak rounds (nothing fatal: minixen logs nothing)
SOAK_BLK="bad-gref nseg-12 last-8 past-end ind-many bad-op good"
SOAK_NET="bad-gref many-slots first-small good"

nr_cases() { printf '%s\n' "$1" | grep -c '|'; }

# hostile blk|net MODE ID: the scenario's result line in $got, or
# "hung" (its waits are bounded in the module: 90 s means it stopped for
# good, and every later command would wait behind it).
hostile() {
	if [ $HUNG = 1 ]; then
		got=hung
		return
	fi
	if ! bounded 90 hostile sh -c "echo '$*' >$CMD"; then
		[ -s "$BG_DIR/hostile.rc" ] || HUNG=1
		got="write failed: $(cat "$BG_DIR/hostile.out")"
		return
	fi
	got=$(cat $CMD)
}

# run_cases blk|net ID CASES: one result each
run_cases() {
	while IFS='|' read -r mode want what; do
		hostile "$1" "$mode" "$2"
		[ "$got" = "$want" ]
		ok $? "$1 $mode: $what ($got)"
	done <<EOF
$3
EOF
}

# The first read-only disk's vdev (mx-run numbers them 51712 + 16 * i)
ro_vbd() {
	i=0
	for d in $PVXEN_DISKS; do
		case $d in
		*:ro*)
			echo $((51712 + 16 * i))
			return 0
			;;
		esac
		i=$((i + 1))
	done
	return 1
}

# soak SECONDS: rounds of the harmless scenarios: $rounds, $bad
soak() {
	_end=$(($(date +%s) + $1))
	rounds=0
	bad=0
	while [ "$(date +%s)" -lt $_end ] && [ $HUNG = 0 ]; do
		for m in $SOAK_BLK; do
			hostile blk "$m" $VBD
			case $m:$got in
			good:"rsp 0 data-ok" | bad-op:"rsp -2" | *:"rsp -1") ;;
			*) bad=$((bad + 1)) && diag "soak round $rounds: blk $m: $got" ;;
			esac
		done
		for m in $SOAK_NET; do
			hostile net "$m" $VIF
			case $m:$got in
			good:"rsp 0" | *:"rsp -1") ;;
			*) bad=$((bad + 1)) && diag "soak round $rounds: net $m: $got" ;;
			esac
		done
		rounds=$((rounds + 1))
	done
}

plan $((2 + $(nr_cases "$BLK_CASES") + 1 + $(nr_cases "$NET_CASES") + 4))

loaded pvxen_core || insmod "$CORE"
loaded pvxen_core
ok $? "pvxen-core loaded"
gauges_settle
first=$(steady_gauges)
dmesg -c >/dev/null

insmod "$HF" && [ -e $CMD ]
ok $? "pvxen-hostile-front loads (no blkfront, no netfront: $(grep -c -E '^pvxen_(blk|net)front ' /proc/modules) of them)"

run_cases blk $VBD "$BLK_CASES"
if ro=$(ro_vbd); then
	hostile blk write "$ro"
	[ "$got" = "rsp -1" ]
	ok $? "blk write to the read-only disk $ro: error ($got)"
else
	ok 0 "blk write to a read-only disk # SKIP no read-only disk (mx-run --disk N:ro)"
fi
run_cases net $VIF "$NET_CASES"

if [ "$SOAK" -gt 0 ]; then
	soak "$SOAK"
	[ $bad = 0 ] && [ $rounds -gt 0 ]
	ok $? "$rounds soak rounds of $SOAK s (blk: $SOAK_BLK; net: $SOAK_NET), every result as expected ($bad not)"
else
	ok 0 "soak rounds # SKIP MX_HOSTILE_SOAK not set"
fi

bounded 30 rmmod rmmod pvxen_hostile_front && ! loaded pvxen_hostile_front
ok $? "pvxen-hostile-front unloads"

until_ok 30 [ "$(pvxen_gauges)" = "$first" ]
ok $? "pvxen-core's gauges back to their values before the load (grants, ports, watches)"
if [ "$(pvxen_gauges)" != "$first" ]; then
	printf '%s\n' "$first" | sed 's/^/# before: /'
	pvxen_gauges | sed 's/^/# after: /'
fi

check_splats
