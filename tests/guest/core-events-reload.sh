#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# pvxen-core event channels across 200 load/unload cycles, in a domU on
# real Xen: every vCPU's vcpu_info stays registered with Xen after the
# first load (Xen cannot undo a registration), later loads re-use it
# (found again through its /proc/iomem entry, "pvxen vcpu_info"), and no
# cycle leaves anything behind.  The entry's physical address is root's:
# uid 65534 sees the entry with its range as 0 (tests/tools/asuser drops
# to that uid).  About a minute under QEMU; kept out of core-events so that
# suite stays short:
#
#   tests/harness/xen-run --tests core-events-reload

# shellcheck disable=SC1091 # tests/guest/lib.sh, found at run time
. "$(dirname "$0")/lib.sh"

CORE=$PVXEN_MODDIR/pvxen-core.ko
TEST=$PVXEN_MODDIR/pvxen-evtchn-test.ko
DBG=/sys/kernel/debug
T=$DBG/pvxen-evtchn-test
EV=$DBG/pvxen/events
CYCLES=${PVXEN_EVTCHN_CYCLES:-200}
ENTRY=' : pvxen vcpu_info$'
KUNIT_KO=/lib/modules/$(uname -r)/kernel/lib/kunit/kunit.ko

ctl() { echo "$*" >$T/ctl; }
st() { awk -v k="$1" '$1 == k { print $2 }' $T/state 2>/dev/null; }
ev() { awk -v k="$1" '$1 == k { print $2 }' $EV 2>/dev/null; }
uptime_s() { cut -d. -f1 /proc/uptime; }
irqs() { grep -c . /proc/interrupts; }
slab() { awk '$1 == "Slab:" { print $2 }' /proc/meminfo; }
# Bytes in use in each slab cache, for a diff.
slabinfo() { awk 'NR > 2 { print $1, $2 * $4 }' /proc/slabinfo; }

seen_last() {
	i=0
	while [ "$(st last)" != "$(st sent)" ]; do
		i=$((i + 1))
		[ $i -gt 100 ] && return 1
		sleep 0.1
	done
}

# One loopback with 1000 sends, on CPU $1; everything closed again.
loopback_on() {
	/pvxen/bin/insmod1 "$TEST" || return 1
	ctl open || return 1
	echo $((1 << $1)) >/proc/irq/"$(st irq)"/smp_affinity
	ctl send-from $((1 - $1)) 1000 || return 1
	[ "$(st sent)" = 1000 ] && seen_last || return 1
	[ "$(st cpu)" = "$1" ] || return 1
	ctl close
	rmmod pvxen_evtchn_test
}

both_cpus() { loopback_on 0 && loopback_on 1; }

# entry: the area's /proc/iomem line(s), as root sees them.
entry() { grep -e "$ENTRY" /proc/iomem; }
# one_entry: exactly one, with a range that is not 0 (root's view).
one_entry() {
	[ "$(entry | grep -c .)" = 1 ] && ! entry | grep -q '^ *0*-0* :'
}
# in_ram: the entry nests in the tree and its outermost range (the nearest
# line above it at indent 0) is System RAM; it may sit deeper, in one of
# System RAM's "reserved" ranges (memory freed at boot, the initrd's).
in_ram() {
	awk -v e="$ENTRY" '/^[^ ]/ { top = $0 }
		$0 ~ e { ok = /^ / && top ~ / : System RAM$/; exit }
		END { exit !ok }' /proc/iomem
}
# hidden_record: uid 65534 reads /proc/iomem and sees the entry, but with
# its range as 0.
hidden_record() {
	_l=$(/pvxen/bin/asuser 65534 cat /proc/iomem | grep -e "$ENTRY") ||
		return 1
	diag "uid 65534 sees: $_l"
	[ "$(printf '%s\n' "$_l" | grep -c .)" = 1 ] &&
		printf '%s\n' "$_l" | grep -q '^ *0*-0* :'
}

plan 10

grep -q " $DBG debugfs " /proc/mounts || mount -t debugfs debugfs $DBG
grep -q '^pvxen_core ' /proc/modules && rmmod pvxen_core

check "insmod pvxen-core" '/pvxen/bin/insmod1 "$CORE"'
check "vcpu_info registered for both vCPUs" \
	'[ "$(ev vcpu_info_registered)" = 2 ]'
diag "root sees: $(entry)"
check "the area has one /proc/iomem entry, pvxen vcpu_info" 'one_entry'
check "the entry nests in System RAM" 'in_ram'
check "uid 65534 sees the entry, its range as 0" 'hidden_record'
check "loopback on CPU1 before the cycles" 'loopback_on 1'
rmmod pvxen_core
n_irqs=$(irqs)
area=$(entry)
slab0=$(slab)
slabinfo >/tmp/slab.before

fail=
t0=$(uptime_s)
i=1
while [ $i -le "$CYCLES" ]; do
	# Every other cycle with kunit.ko loaded first, so pvxen-core lands at
	# another address: nothing kept across loads may point into it.
	if [ $((i % 2)) = 1 ]; then
		insmod "$KUNIT_KO" 2>/dev/null
	else
		rmmod kunit 2>/dev/null
	fi
	/pvxen/bin/insmod1 "$CORE" || { fail="insmod #$i"; break; }
	rmmod pvxen_core || { fail="rmmod #$i"; break; }
	i=$((i + 1))
done
rmmod kunit 2>/dev/null
[ -n "$fail" ] && diag "cycle failed at $fail"
diag "$CYCLES cycles in $(($(uptime_s) - t0)) s; slab $slab0 -> $(slab) kB"
# Where slab memory grew (caches grow too: informational, not a result).
slabinfo | awk 'NR == FNR { a[$1] = $2; next }
	$2 - a[$1] > 4096 { print "slab grew:", $1, a[$1], "->", $2 }' \
	/tmp/slab.before - | while read -r l; do diag "$l"; done
check "$CYCLES load/unload cycles" '[ -z "$fail" ]'
check "/proc/interrupts has as many lines as before" '[ "$(irqs)" = "$n_irqs" ]'
check "the /proc/iomem entry is unchanged (nothing re-allocated)" \
	'[ "$(entry)" = "$area" ]'

/pvxen/bin/insmod1 "$CORE"
check "after the cycles: loopbacks on CPU0 and CPU1 still work" 'both_cpus'
rmmod pvxen_core
