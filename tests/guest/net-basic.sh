#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# pvxen-netfront first contact, in a domU on real Xen with one vif
# (xen-run --vif: netback in dom0, the vif on bridge xenbr0, dom0 at
# 169.254.0.1): bad module parameters are refused with a clear line; the
# module binds device/vif/0 as eth0 with the MAC from xenstore, both ends
# reach Connected and the carrier comes up; dom0 answers pings of 56,
# 1472 and 8000 bytes (the last one fragmented); the counters move and
# show no error; the module unloads with the interface up, leaving the
# device Closed and pvxen-core's gauges as they were, and loads again.

# shellcheck disable=SC1091 # lib.sh, net-lib.sh: found at run time
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/net-lib.sh"

CORE=$PVXEN_MODDIR/pvxen-core.ko
NET=$PVXEN_MODDIR/pvxen-netfront.ko
DBG=/sys/kernel/debug/pvxen
SYS=/sys/class/net/eth0

plan 15

stat_of() { net_stat eth0 "$1"; }
eth0_up() { net_up eth0; }

loaded pvxen_core || insmod "$CORE"
loaded pvxen_core
ok $? "pvxen-core loaded"
gauges_settle
first=$(steady_gauges)

refused_params "$NET" pvxen-netfront max_queues=0 max_queues=9 trusted=2 \
	max_queues=abc
ok $? "bad parameters (max_queues=0, 9, abc; trusted=2) refused, each with a line naming it"

dmesg -c >/dev/null
insmod "$NET" && until_ok 20 [ -e $SYS ]
ok $? "pvxen-netfront loads: eth0"

mac=$(xs_get device/vif/0/mac)
diag "xenstore mac $mac, eth0 $(cat $SYS/address)"
[ -n "$mac" ] && [ "$(cat $SYS/address)" = "$mac" ]
ok $? "eth0 has the MAC the toolstack wrote ($mac)"

eth0_up
ok $? "eth0 up, carrier on"

until_ok 10 [ "$(fe_state 0)" = 4 ] && [ "$(be_state 0)" = 4 ]
ok $? "frontend and netback both Connected (4: $(fe_state 0), $(be_state 0))"

dmesg | grep -q "pvxen-netfront vif-0 eth0: connected: MAC $mac, [1-9] queue(s)$"
ok $? "dmesg: one line for the connection, with the MAC and the queues"
dmesg | grep pvxen-netfront | sed 's/^/# /'

tx0=$(stat_of tx_packets)
rx0=$(stat_of rx_packets)
for s in 56 1472 8000; do
	pings $s
	ok $? "dom0 answers 3 pings of $s bytes"
	sed 's/^/#   /' /tmp/ping.out | tail -n 2
done

tx=$(($(stat_of tx_packets) - tx0))
rx=$(($(stat_of rx_packets) - rx0))
# tx_dropped: the driver's own (ethtool -S); the interface's also counts
# the stack's drops before the driver (6.12's noop qdisc at link up).
diag "tx $tx rx $rx packets; errors tx $(stat_of tx_errors) rx $(stat_of rx_errors), dropped tx $(stat_of tx_dropped) (the driver: $(net_dstat eth0 tx_dropped)) rx $(stat_of rx_dropped)"
[ "$tx" -ge 24 ] && [ "$rx" -ge 24 ] && [ "$(stat_of tx_errors)" = 0 ] &&
	[ "$(stat_of rx_errors)" = 0 ] && [ "$(net_dstat eth0 tx_dropped)" = 0 ]
ok $? "counters: at least 24 packets each way (3 x 1 + 1 + 6 fragments of 8000 bytes), no error, no send dropped by the driver"

rmmod pvxen_netfront && [ ! -e $SYS ] && until_ok 10 [ "$(fe_state 0)" = 6 ]
ok $? "unloads with eth0 up: eth0 gone, the frontend Closed ($(fe_state 0))"

until_ok 30 [ "$(pvxen_gauges)" = "$first" ]
ok $? "pvxen-core's gauges back to their values before the load (grants, ports, watches)"
if [ "$(pvxen_gauges)" != "$first" ]; then
	printf '%s\n' "$first" | sed 's/^/# before: /'
	pvxen_gauges | sed 's/^/# after: /'
fi

insmod "$NET" && until_ok 20 [ -e $SYS ] && eth0_up && pings 56
ok $? "loads again: eth0 up, dom0 answers"
rmmod pvxen_netfront

check_splats
