#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# An event storm from a hostile backend (the XSA-332/391 class), in a
# domU on real Xen.  dom0 starts tests/tools/fakeblkback in mode storm for
# xvdp (vdev 51952): a correct backend until the first request at its
# trap (4 MiB into the disk), which it answers; from then on it sends
# BLK_STORM_EVENTS (default 10^6) events on the ring's event channel with
# no response behind any of them.  Each one reaches blkf_interrupt, which
# finds nothing and says so in its EOI (PVXEN_EOI_SPURIOUS); pvxen-core
# then unmasks the port only after a growing back-off, so the storm costs
# a few handler runs per second instead of one per event.
#
# Meanwhile xvda, a good disk (Linux's blkback in dom0, xen-run
# --disk-mb), keeps doing I/O; it must all succeed.  After the storm xvdp
# itself still works, and it can be unbound and the driver reloaded.
#
# Results that count handler runs, not time: the storm disk's IRQ ran far
# fewer times than the events sent (100 times fewer: without the back-off
# every event that is not coalesced runs the handler), and its port's
# spurious and delayed-EOI counts (/sys/kernel/debug/pvxen/lateeoi) moved.
# The CPU time the storm cost (/proc/stat) is printed as a diag only.
#
#   tests/harness/xen-run --guest-mem 512 --disk-mb 16 --tests blk-storm

# shellcheck disable=SC1091 # lib.sh and blk-lib.sh, found at run time
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/blk-lib.sh"

EVENTS=${BLK_STORM_EVENTS:-1000000}
DEV=xvdp
GOOD=xvda
TRAP_SKIP=64			# 64 KiB blocks: 4 MiB = sector 8192
T=/tmp/blk-storm
BG_DIR=$T
BLK=$PVXEN_MODDIR/pvxen-blkfront.ko
EOI=/sys/kernel/debug/pvxen/lateeoi
OOPS='Oops|BUG:|kernel BUG|Call trace|WARNING:|Kernel panic|Unable to handle|KASAN|UBSAN|list_(add|del) corruption'
STALL='soft lockup|hard LOCKUP|rcu_.*stall|rcu: INFO|blocked for more than'

mkdir -p $T
plan 16

# irq_of NAME: the IRQ named NAME in /proc/interrupts.
irq_of() { awk -v n="$1" '$NF == n { sub(":", "", $1); print $1 }' /proc/interrupts; }
# irq_runs IRQ: its count summed over the CPUs.
irq_runs() {
	awk -v i="$1:" -v c="$(nproc)" '$1 == i {
		for (k = 2; k <= c + 1; k++) s += $k; print s }' /proc/interrupts
}
# eoi IRQ FIELD: a count of the late-EOI port behind IRQ.
eoi() {
	awk -v i="$1" -v f="$2" 'NR == 1 { for (k = 1; k <= NF; k++) c[$k] = k; next }
		$2 == i { print $c[f] }' $EOI 2>/dev/null
}
# cpu_ticks: system, irq and softirq time of all CPUs, in USER_HZ ticks.
cpu_ticks() { awk '$1 == "cpu" { print $4, $7, $8 }' /proc/stat; }

# One round on the good disk: 1 MiB written and read back identical.
good_round() {
	dd if=$T/pattern of=/dev/$GOOD bs=64k count=16 oflag=direct conv=fsync 2>/dev/null &&
		dd if=/dev/$GOOD of=$T/readback bs=64k count=16 iflag=direct 2>/dev/null &&
		cmp -s $T/pattern $T/readback
}

# fakeblkback's last log line; the storm is over when it says so, or
# when fakeblkback closes (its lifetime, timeout:S, ran out).
storm_log() { pvxen_do fakeblk log; }
storm_over() { storm_log | grep -Eq 'storm done|closing|frontend state [56]'; }

n_oops=$(dmesg | grep -cE "$OOPS")
n_stall=$(dmesg | grep -cE "$STALL")
if [ -e /proc/sys/kernel/soft_watchdog ]; then
	diag "soft-lockup detector on (watchdog_thresh $(cat /proc/sys/kernel/watchdog_thresh) s)"
else
	diag "no soft-lockup detector in this kernel; RCU stall and hung-task reports still count"
fi

blk_setup
ok $? "pvxen-blkfront loaded, $GOOD up"
dd if=/dev/urandom of=$T/pattern bs=64k count=16 2>/dev/null
check "$GOOD: 1 MiB written and read back before the storm" 'good_round'

# A lifetime of 2 h: 10^6 notifications take dom0 about 10 min under TCG.
out=$(pvxen_do fakeblk storm storm:"$EVENTS" timeout:7200)
ok $? "dom0 started fakeblkback in mode storm ($EVENTS events)"
diag "$out"
until_ok 30 [ -b /dev/$DEV ]
ok $? "/dev/$DEV appeared"
irq=$(irq_of $DEV-q0)
diag "$DEV-q0 is IRQ $irq; late-EOI ports: $(tr '\n' ';' <$EOI 2>/dev/null)"

# The request at the trap is answered; the storm starts behind it.
runs0=$(irq_runs "$irq")
spur0=$(eoi "$irq" spurious)
del0=$(eoi "$irq" delayed)
ticks0=$(cpu_ticks)
t0=$(cut -d' ' -f1 /proc/uptime)
bounded 30 trap dd if=/dev/$DEV of=/dev/null bs=64k skip=$TRAP_SKIP count=1 iflag=direct
ok $? "$DEV: the read at the trap is answered, the storm begins"

# The good disk keeps working while the storm lasts (up to 1200 rounds).
rounds=0
bad=0
n=0
while ! storm_over; do
	n=$((n + 1))
	[ $n -gt 1200 ] && break
	if good_round; then
		rounds=$((rounds + 1))
	else
		bad=$((bad + 1))
	fi
	[ $((n % 10)) = 0 ] &&
		diag "storm: $n rounds, $DEV-q0 ran $(($(irq_runs "$irq") - runs0)) times so far"
done
t1=$(cut -d' ' -f1 /proc/uptime)
ticks1=$(cpu_ticks)
runs=$(($(irq_runs "$irq") - runs0))
spur=$(($(eoi "$irq" spurious) - spur0))
del=$(($(eoi "$irq" delayed) - del0))
done_line=$(storm_log | grep 'storm done' | tail -n 1)
diag "${done_line:-no storm-done line from fakeblkback}"
sent=$(echo "$done_line" | sed -n 's/.*storm done: \([0-9]*\) events.*/\1/p')
check "fakeblkback sent all $EVENTS events" '[ "$sent" = "$EVENTS" ]'
diag "storm: $t0 -> $t1 s uptime; $GOOD rounds ok $rounds, failed $bad"
check "$GOOD: every 1 MiB round during the storm identical ($rounds ok, $bad failed)" \
	'[ "$rounds" -ge 1 ] && [ "$bad" = 0 ]'
el=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
diag "storm CPU time, all $(nproc) CPUs over $el s (USER_HZ ticks): $(echo "$ticks0 $ticks1" |
	awk '{ printf "system %d, irq %d, softirq %d", $4 - $1, $5 - $2, $6 - $3 }')"
diag "$DEV-q0: $runs handler runs for $sent events; spurious EOIs $spur, delayed $del; now $(tr '\n' ';' <$EOI 2>/dev/null)"
check "$DEV-q0 ran at most once per 100 events sent ($runs runs, $sent events)" \
	'[ -n "$sent" ] && [ -n "$runs" ] && [ $((runs * 100)) -le "$sent" ]'
check "the port's spurious EOIs ($spur) and delayed unmasks ($del) moved" \
	'[ "$spur" -ge 2 ] && [ "$del" -ge 1 ]'
check "no soft lockup, RCU stall or hung task reported" \
	'[ "$(dmesg | grep -cE "$STALL")" = "$n_stall" ]'

# After the storm both disks work; xvdp goes away cleanly.
bounded 30 after dd if=/dev/$DEV of=/dev/null bs=64k skip=$TRAP_SKIP count=16 iflag=direct
ok $? "$DEV: reads work after the storm"
check "$GOOD: works after the storm" 'good_round'
d=$(ls -d /sys/bus/*/devices/vbd-51952 2>/dev/null | head -n 1)
[ -n "$d" ] && bounded 30 unbind sh -c "echo vbd-51952 >$d/driver/unbind" &&
	until_ok 15 [ ! -e /dev/$DEV ]
ok $? "$DEV unbound and gone"
sum=$(pvxen_do fakeblk wait) || sum=$(pvxen_do fakeblk stop)
diag "$sum"
case $sum in
*" faults=1 storm=$EVENTS end=frontend-"*" rc=0"*) r=0 ;;
*) r=1 ;;
esac
ok $r "fakeblkback: one storm of $EVENTS events, then saw the frontend close"
# shellcheck disable=SC2086 # the words are module parameters
bounded 30 rmmod rmmod pvxen_blkfront &&
	insmod "$BLK" $PVXEN_BLKFRONT_PARAMS
ok $? "pvxen-blkfront unloads and loads again"
dmesg | grep -E "$OOPS|$STALL" | head -n 20 | sed 's/^/#   /'
check "no oops, BUG or WARNING" '[ "$(dmesg | grep -cE "$OOPS")" = "$n_oops" ]'
