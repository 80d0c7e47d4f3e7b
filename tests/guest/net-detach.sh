#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The backend going away and coming back, unload and unplug under
# traffic, against netback in dom0 (xen-run --vif):
#  - netback closes the vif while it stays online (as a backend that went
#    away): the interface connects again by itself, and a 64 MiB stream
#    sent across it arrives whole (equal sha256 on both ends);
#  - netback unbound from the vif for 2 s and bound again, under the same
#    kind of stream: the stream arrives whole;
#  - rmmod with iperf3 running: the interface goes; loaded again,
#    iperf3's connection carries on and its run ends well; unloaded once
#    the traffic is over, pvxen-core's gauges are back to their values
#    before the load (pages netback held meanwhile were reclaimed);
#  - xl network-detach with iperf3 running: the interface goes; xl
#    network-attach: a new interface that works, the iperf3 run ends,
#    and unloaded, the gauges are back.

# shellcheck disable=SC2016,SC2034 # check's expressions expand when run
# shellcheck disable=SC1091 # lib.sh, net-lib.sh: found at run time
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/net-lib.sh"

PVXEN_DO_WAIT=${PVXEN_DO_WAIT:-300}
# 64 MiB takes tens of seconds across a reconnection (256 MiB took four
# minutes, most of the suite): far more than the 1 s before the event.
MB=${NET_DETACH_MB:-64}


# stream_start PORT SEED: MB MiB to dom0 on PORT, in the background (bg
# job "stream"); stream_check PORT SEED: it ended well and dom0's sum is
# ours.
stream_start() {
	pvxen_do net-recv "$1" >/dev/null &&
		bg stream /pvxen/bin/netstream send $NET_DOM0 "$1" $((MB * 1048576)) "$2"
}
stream_check() {
	bg_wait stream 300 || { diag "send: $(cat "$BG_DIR/stream.out")"; return 1; }
	_want=$(/pvxen/bin/netstream gen $((MB * 1048576)) "$2" | sha256sum | cut -d' ' -f1)
	_got=$(pvxen_do net-recv-sum "$1")
	diag "sent $_want, dom0 got $_got"
	[ "$_got" = "$_want $((MB * 1048576)) bytes" ]
}
dmesg_has() { dmesg | grep -q "$1"; }
netback_log() { pvxen_do netback-log | tr '|' '\n' | sed 's/^/# dom0: /'; }
connected() { [ "$(fe_state "$1")" = 4 ] && [ "$(be_state "$1")" = 4 ]; }
# iperf_bg: iperf3 to dom0 for 30 s in the background (bg job "iperf");
# iperf_done DESC [any]: check that it exits 0 within 120 s (with any:
# that it exits); its output in diag lines if not 0.
iperf_bg() { bg iperf iperf3 -c $NET_DOM0 -t 30; }
# gone DESC: rmmod; every grant, port and watch given back (pvxen-core's
# gauges as before the load) within 120 s; if not, which gauges differ
# and what netback said.
gone() {
	rmmod pvxen_netfront
	_rc=$?
	until_ok 120 [ "$(pvxen_gauges)" = "$first" ] || {
		gauges_diff "$first"
		netback_log
	}
	check "$1: pvxen-core's gauges back to their values before the load" \
		'[ $_rc = 0 ] && [ "$(pvxen_gauges)" = "$first" ]'
}
iperf_done() {
	bg_wait iperf 120
	_rc=$?
	[ $_rc = 0 ] || tail -n 3 "$BG_DIR/iperf.out" | sed 's/^/# /'
	if [ "$2" = any ]; then
		check "$1 (exit $_rc)" '[ $_rc != 124 ]'
	else
		check "$1 (exit $_rc)" '[ $_rc = 0 ]'
	fi
}

if net_upstream; then
	echo "1..0 # SKIP pvxen-netfront's reconnect and unload (xen-netfront has neither)"
	exit 0
fi
plan 26
# The gauges before the load: without an earlier test's netfront.
loaded pvxen_netfront && rmmod pvxen_netfront
loaded pvxen_core || insmod "$PVXEN_MODDIR/pvxen-core.ko"
gauges_settle
first=$(steady_gauges)
net_load ""
ok $? "netfront loaded"
until_ok 20 [ -e /sys/class/net/eth0 ] && net_up eth0
ok $? "eth0 up, carrier on"
until_ok 10 connected 0
conn=$(pvxen_gauges)

# 1. The backend closes while online.
dmesg -c >/dev/null
stream_start 5401 11
sleep 1
pvxen_do vif-bounce 0 | sed 's/^/# dom0: /'
check "the stream was still going when the backend closed" \
	'[ "$(bg_wait stream 0; echo $?)" = 124 ]'
check "the interface connects again (dmesg: the backend closed; connecting again)" \
	'until_ok 30 dmesg_has "vif-0: eth0: the backend closed; connecting again"'
check "both ends Connected again, carrier on" \
	'until_ok 30 connected 0 && until_ok 20 grep -q 1 /sys/class/net/eth0/carrier'
stream_check 5401 11
ok $? "$MB MiB sent across the reconnection arrive whole (same sha256)"
check "one reconnection, no failure line" \
	'[ "$(dmesg | grep -c "connecting again")" = 1 ] &&
	 ! dmesg | grep -q "staying closed\|disabled for further use"'
check "pvxen-core's gauges as before the reconnection (grants, ports, watches)" \
	'until_ok 30 [ "$(pvxen_gauges)" = "$conn" ]'
dmesg | grep pvxen-netfront | sed 's/^/# /'

# 2. netback lets go of the vif and takes it again.
stream_start 5402 12
sleep 1
r=$(pvxen_do vif-rebind 0)
rc=$?
diag "dom0: $r"
check "netback unbound from the vif and bound again under the stream" \
	'[ $rc = 0 ]'
if [ $rc != 0 ]; then
	diag "frontend $(fe_state 0), backend $(be_state 0)"
	dmesg | tail -n 10 | sed 's/^/# /'
	netback_log
fi
stream_check 5402 12
ok $? "$MB MiB sent across the rebind arrive whole (same sha256)"
check "both ends Connected after the rebind" 'until_ok 30 connected 0'
pings 1472
ok $? "dom0 answers pings after the rebind"

# 3. rmmod with traffic in flight.  The TCP connection outlives the
# interface: once it is back, iperf3 finishes its run.  Pages netback
# still maps (in packets dom0's TCP keeps out of order, waiting for what
# was lost) stay with pvxen-core's deferred reclaim until it lets go.
iperf_bg
sleep 3
rmmod pvxen_netfront
ok $? "rmmod with iperf3 running"
check "eth0 gone, the frontend Closed" \
	'[ ! -e /sys/class/net/eth0 ] && until_ok 10 [ "$(fe_state 0)" = 6 ]'
gauges_diff "$first"
net_load ""
until_ok 20 [ -e /sys/class/net/eth0 ] && net_up eth0 && until_ok 10 connected 0
ok $? "loaded again: eth0 up, both ends Connected"
iperf_done "the iperf3 begun before the rmmod finishes, its connection intact"
gone "rmmod, the traffic over"

# 4. xl network-detach with traffic in flight.
net_load ""
until_ok 20 [ -e /sys/class/net/eth0 ] && net_up eth0 && until_ok 10 connected 0
ok $? "loaded again: eth0 up, both ends Connected"
iperf_bg
sleep 3
r=$(pvxen_do network-detach 0)
ok $? "xl network-detach with iperf3 running ($r)"
check "eth0 gone" 'until_ok 20 [ ! -e /sys/class/net/eth0 ]'
gauges_diff "$first"

# 5. xl network-attach: a new vif.
dev=$(pvxen_do network-attach)
rc=$?
check "xl network-attach gives vif $dev, an interface" \
	'[ $rc = 0 ] && until_ok 20 [ -e /sys/bus/pvxen/devices/vif-"$dev"/net ]'
eth=$(ls /sys/bus/pvxen/devices/vif-"$dev"/net 2>/dev/null)
check "$eth up, dom0 answers pings" 'net_up "$eth" && pings 1472'
# Its connection may or may not survive the new vif (another MAC, which
# dom0 learns in its time); it ends, not stuck in the frontend.
iperf_done "the iperf3 begun before the detach ends" any
check "iperf3 runs 5 s on $eth" \
	'iperf3 -c $NET_DOM0 -t 5 >/tmp/att.iperf 2>&1'
gone "rmmod, the traffic over"
check_splats
