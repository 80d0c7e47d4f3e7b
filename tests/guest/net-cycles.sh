#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# $NET_CYCLES (default 50) load/unload cycles of pvxen-netfront with
# traffic in each (3 pings of 8000 bytes; every tenth cycle 2 s
# of iperf3 TCP, and the unload while it runs), against netback in dom0
# (xen-run --vif): every cycle connects (both ends Connected, carrier
# on) and the traffic gets through; afterwards pvxen-core's gauges are
# back to their values before the first load, and on the debug kernel
# kmemleak, KASAN and lockdep have nothing to say.

# shellcheck disable=SC2016,SC2034 # check's expressions expand when run
# shellcheck disable=SC1091 # lib.sh, net-lib.sh: found at run time
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/net-lib.sh"

N=${NET_CYCLES:-50}

if net_upstream; then
	echo "1..0 # SKIP xen-netfront is built in: no load/unload cycles"
	exit 0
fi
plan 7
loaded pvxen_core || insmod "$PVXEN_MODDIR/pvxen-core.ko"
ok $? "pvxen-core loaded"
# An earlier test of the run may have left the frontend loaded.
! loaded pvxen_netfront || rmmod pvxen_netfront
gauges_settle
first=$(steady_gauges)

up_bad=0
traffic_bad=0
unload_bad=0
i=0
while [ $i -lt "$N" ]; do
	i=$((i + 1))
	if ! insmod "$PVXEN_MODDIR/pvxen-netfront.ko" ||
		! until_ok 20 [ -e /sys/class/net/eth0 ] || ! net_up eth0 ||
		! until_ok 10 [ "$(fe_state 0)" = 4 ]; then
		up_bad=$((up_bad + 1))
		diag "cycle $i: no connection"
	elif [ $((i % 10)) = 0 ]; then
		# iperf3 for 2 s, unloaded under it after 1 s
		bg iperf iperf3 -c $NET_DOM0 -t 2
		sleep 1
	elif ! pings 8000; then
		traffic_bad=$((traffic_bad + 1))
		diag "cycle $i: pings unanswered"
	fi
	if ! rmmod pvxen_netfront || [ -e /sys/class/net/eth0 ]; then
		unload_bad=$((unload_bad + 1))
		diag "cycle $i: unload failed"
	fi
	[ $((i % 10)) = 0 ] && bg_wait iperf 30 >/dev/null
done
check "$N cycles: each one connected, eth0 up with its carrier ($up_bad did not)" \
	'[ $up_bad = 0 ]'
check "traffic in each cycle: pings of 8000 bytes answered, iperf3 every tenth ($traffic_bad cycles failed)" \
	'[ $traffic_bad = 0 ]'
check "each unload succeeded, eth0 gone ($unload_bad failed)" \
	'[ $unload_bad = 0 ]'
check "pvxen-core's gauges back to their values before the first load" \
	'until_ok 30 [ "$(pvxen_gauges)" = "$first" ]'
[ "$(pvxen_gauges)" = "$first" ] || {
	printf '%s\n' "$first" | sed 's/^/# before: /'
	pvxen_gauges | sed 's/^/# after: /'
}
check_kmemleak
check_splats
