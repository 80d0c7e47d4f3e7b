#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# pvxen-core event channels, in a domU on real Xen (run by the harness),
# driven through tests/modules/pvxen-evtchn-test.ko (see its header for the
# debugfs commands).  Needs two vCPUs for the affinity and hotplug tests.

# shellcheck disable=SC1091 # tests/guest/lib.sh, found at run time
. "$(dirname "$0")/lib.sh"

CORE=$PVXEN_MODDIR/pvxen-core.ko
TEST=$PVXEN_MODDIR/pvxen-evtchn-test.ko
DBG=/sys/kernel/debug
T=$DBG/pvxen-evtchn-test
EV=$DBG/pvxen/events
SENDS=100000
# Load/unload cycles here; core-events-reload runs 200.
CYCLES=${PVXEN_EVTCHN_CYCLES:-20}

ctl() { echo "$*" >$T/ctl; }
st() { awk -v k="$1" '$1 == k { print $2 }' $T/state 2>/dev/null; }
ev() { awk -v k="$1" '$1 == k { print $2 }' $EV 2>/dev/null; }
# le FIELD: a count of the test's late-EOI port in debugfs pvxen/lateeoi.
le() {
	awk -v p="$(st port)" -v f="$1" 'NR == 1 { for (k = 1; k <= NF; k++) c[$k] = k; next }
		$1 == p { print $c[f] }' $DBG/pvxen/lateeoi 2>/dev/null
}

# Wait (up to 10 s) until state $1 reads $2.
wait_for() {
	i=0
	while [ "$(st "$1")" != "$2" ]; do
		i=$((i + 1))
		[ $i -gt 100 ] && return 1
		sleep 0.1
	done
	return 0
}

# sends CMD.. N: run a send command (send N, send-from CPU N); true if it
# succeeded and the sequence number went up by N (> 0).  It sets what
# seen_last waits for: $want, the sequence number of its last send, and
# $c_before, the handler's run count before it.
want=
c_before=
sends() {
	want=
	_s0=$(st sent)
	c_before=$(st count)
	eval "_n=\${$#}"
	ctl "$@" || return 1
	if [ -z "$_s0" ] || [ "${_n:-0}" -le 0 ] ||
		[ "$(st sent)" != $((_s0 + _n)) ]; then
		return 1
	fi
	want=$((_s0 + _n))
}

# Wait until the handler saw the last of a successful sends, and ran
# since it: false if there was none (opening or sending failed).
seen_last() {
	[ -n "$want" ] && wait_for last "$want" &&
		[ "$(st count)" -gt "${c_before:-0}" ]
}

uptime_s() { cut -d. -f1 /proc/uptime; }

# The count of IRQ $1 on CPU $2 (0-based column) in /proc/interrupts.
irq_count() {
	awk -v irq="$1:" -v c="$2" '$1 == irq { print $(c + 2) }' /proc/interrupts
}

# Handler runs, the last send seen and the CPU it ran on, after a command.
seen_on() { seen_last && [ "$(st cpu)" = "$1" ]; }
delivers() { # $1 = command, $2 = expected count after it
	ctl "$1" && seen_last && [ "$(st count)" = "$2" ]
}

plan 49

grep -q " $DBG debugfs " /proc/mounts || mount -t debugfs debugfs $DBG
BAD='WARNING:|BUG:|Oops|Unable to handle|pvxen: .*(still|refused|could not)'
n_bad=$(dmesg | grep -cE "$BAD")
loaded pvxen_core && rmmod pvxen_core

check "insmod pvxen-core" '/pvxen/bin/insmod1 "$CORE"'
check "debugfs pvxen/events exists" '[ -r $EV ]'
while read -r l; do diag "events: $l"; done <$EV
b_bound=$(ev bound_ports)
b_open=$(ev open_ports)
check "vcpu_info registered for both vCPUs ($(ev vcpu_info_registered))" \
	'[ "$(ev vcpu_info_registered)" = 2 ]'
check "pvxen-upcall is a per-CPU IRQ in /proc/interrupts" \
	'grep -q pvxen-upcall /proc/interrupts'
check "insmod pvxen-evtchn-test" '/pvxen/bin/insmod1 "$TEST"'

# Loopback: 100000 sends, the last one seen.
check "open a loopback (alloc_unbound + bind_interdomain to self)" 'ctl open'
irq=$(st irq)
diag "loopback port $(st port) <- $(st remote), IRQ $irq"
check "IRQ $irq is a pvxen-evtchn interrupt named in /proc/interrupts" \
	'grep -q "^ *$irq:.*pvxen-evtchn.*pvxen-evtchn-test" /proc/interrupts'
check "debugfs: one more bound port, two more open" \
	'[ "$(ev bound_ports) $(ev open_ports)" = "$((b_bound + 1)) $((b_open + 2))" ]'
t0=$(uptime_s)
check "send $SENDS events from CPU1 to the handler on CPU0" \
	'sends send-from 1 $SENDS'
check "the last of $SENDS sends is seen" 'seen_last'
cnt=$(st count)
diag "$SENDS sends -> $cnt handler runs, last $(st last) of $(st sent), $(($(uptime_s) - t0)) s"
check "handler ran at least once and at most $SENDS times" \
	'[ "$cnt" -ge 1 -a "$cnt" -le $SENDS ]'

# Affinity: EVTCHNOP_bind_vcpu moves delivery to CPU1.
c0=$(irq_count "$irq" 0)
c1=$(irq_count "$irq" 1)
check "smp_affinity = CPU1" 'sh -c "echo 2 >/proc/irq/$irq/smp_affinity"'
check "effective affinity is CPU1" \
	'[ "$(cat /proc/irq/"$irq"/effective_affinity_list)" = 1 ]'
sends send-from 0 1000
check "events after the move are seen" 'seen_last'
n0=$(irq_count "$irq" 0)
n1=$(irq_count "$irq" 1)
diag "CPU0 $c0 -> $n0, CPU1 $c1 -> $n1"
check "/proc/interrupts: CPU1 count grew, CPU0 did not" \
	'[ "$n1" -gt "$c1" -a "$n0" -eq "$c0" ]'
check "the handler last ran on CPU1" '[ "$(st cpu)" = 1 ]'

# CPU hotplug: CPU1 goes away, the port moves to CPU0; back again.
check "CPU1 offline" 'sh -c "echo 0 >/sys/devices/system/cpu/cpu1/online"'
sends send 10
check "events seen on CPU0 with CPU1 offline" 'seen_on 0'
check "CPU1 online again" 'sh -c "echo 1 >/sys/devices/system/cpu/cpu1/online"'
echo 2 >/proc/irq/"$irq"/smp_affinity
sends send 10
check "events seen on CPU1 after it came back" 'seen_on 1'
echo 1 >/proc/irq/"$irq"/smp_affinity

# Mask: nothing delivered while masked; unmask delivers the pending one.
cnt=$(st count)
check "mask (disable_irq)" 'ctl mask'
sends send 5
masked=$?
sleep 0.3
check "masked: 5 sends, no delivery" \
	'[ $masked -eq 0 ] && [ "$(st count)" = "$cnt" ]'
check "unmask (enable_irq) delivers the pending event, once" \
	'delivers unmask $((cnt + 1))'

# Late EOI: the port stays masked until the driver's EOI.
check "close the loopback" 'ctl close'
check "open a late-EOI loopback" 'ctl open-lateeoi'
cnt=$(st count)
sends send 1 && seen_last && sends send 100
late=$?
sleep 0.3
check "late EOI: one run, the port waits for its EOI ($(st count) - $cnt)" \
	'[ $late -eq 0 ] && [ "$(st count)" = $((cnt + 1)) ]'
check "the EOI delivers what was sent meanwhile, once" \
	'delivers eoi $((cnt + 2))'
ctl eoi

# Spurious EOIs: the first unmasks at once, the second in a row only after
# a back-off (debugfs pvxen/lateeoi counts it); what was sent meanwhile
# arrives when it ends; a real EOI ends the back-off.
cnt=$(st count)
sends send 1 && seen_last
ctl eoi-spurious
check "a first spurious EOI unmasks at once" \
	'sends send 1 && seen_last && [ "$(st count)" = $((cnt + 2)) ]'
ctl eoi-spurious
sends send 1
check "an event sent during the back-off of a second one arrives after it" \
	'seen_last'
diag "lateeoi: $(tr '\n' ';' <$DBG/pvxen/lateeoi)"
check "lateeoi: 2 spurious EOIs in a row, 1 delayed unmask, on our port" \
	'[ "$(le spurious) $(le delayed) $(le streak)" = "2 1 2" ]'
ctl eoi
check "a real EOI ends the back-off (streak 0)" '[ "$(le streak)" = 0 ]'

# Bounded work: 300 events pending at once on CPU0 take more than one
# budget-limited upcall; the rest goes to the irq_work, nothing is lost.
d0=$(ev deferred)
check "storm: 300 more loopbacks, one event each, pending at once on CPU0" \
	'ctl storm 300'
check "all 300 delivered" 'wait_for storm 300'
check "the upcall stopped at its budget, deferred the rest ($d0 -> $(ev deferred))" \
	'[ "$(ev deferred)" -gt "$d0" ]'
check "close the 300 loopbacks" 'ctl storm-close'

# vcpu_info: registered once per boot, the area entered in /proc/iomem;
# Xen refuses a second registration.
check "/proc/iomem has one pvxen vcpu_info entry" \
	'[ "$(grep -c " : pvxen vcpu_info$" /proc/iomem)" = 1 ]'
ctl reregister 1
diag "Xen's answer to a second vcpu_info registration for CPU1: $(st rereg)"
check "Xen 4.17 refuses a second vcpu_info registration with -EINVAL" \
	'[ "$(st rereg)" = -22 ]'

# VIRQ binding, then close and unload.
check "bind_virq(VIRQ_DEBUG, CPU1), IRQ, unbind, close" 'ctl virq 1'
check "close releases the IRQ" 'ctl close'
check "debugfs: bound and open ports back to where they were" \
	'[ "$(ev bound_ports) $(ev open_ports)" = "$b_bound $b_open" ]'
check "IRQ $irq gone from /proc/interrupts" \
	'! grep -q pvxen-evtchn-test /proc/interrupts'
check "rmmod pvxen-evtchn-test" 'rmmod pvxen_evtchn_test'
check "rmmod pvxen_core" 'rmmod pvxen_core'
check "pvxen-upcall gone from /proc/interrupts" \
	'! grep -q pvxen-upcall /proc/interrupts'

# Reloads: vcpu_info stays registered with Xen; later loads re-use it.
fail=
t0=$(uptime_s)
i=1
while [ $i -le "$CYCLES" ]; do
	/pvxen/bin/insmod1 "$CORE" || { fail="insmod #$i"; break; }
	rmmod pvxen_core || { fail="rmmod #$i"; break; }
	i=$((i + 1))
done
[ -n "$fail" ] && diag "cycle failed at $fail"
diag "$CYCLES cycles in $(($(uptime_s) - t0)) s"
check "$CYCLES load/unload cycles" '[ -z "$fail" ]'
/pvxen/bin/insmod1 "$CORE"
/pvxen/bin/insmod1 "$TEST"
want=
ctl open && sends send 1000
check "after the cycles: loopback events still arrive" 'seen_last'
ctl close
rmmod pvxen_evtchn_test
rmmod pvxen_core

# A CPU brought online after the load gets its upcall on the way up.
echo 0 >/sys/devices/system/cpu/cpu1/online
/pvxen/bin/insmod1 "$CORE"
/pvxen/bin/insmod1 "$TEST"
check "CPU1 online after pvxen-core loaded" \
	'sh -c "echo 1 >/sys/devices/system/cpu/cpu1/online"'
ctl open
irq=$(st irq)
echo 2 >/proc/irq/"$irq"/smp_affinity
want=
sends send-from 0 100
check "events reach CPU1, onlined after the load" 'seen_on 1'
ctl close
rmmod pvxen_evtchn_test
rmmod pvxen_core
dmesg | grep -E "$BAD" | tail -n 5 | while read -r l; do diag "$l"; done
check "no kernel warnings or pvxen errors in dmesg" \
	'[ "$(dmesg | grep -cE "$BAD")" = "$n_bad" ]'
