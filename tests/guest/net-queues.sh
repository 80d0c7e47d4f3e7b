#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Negotiation against netback with 1, 2 and 4 queues and with one or
# split event channels per queue (its module parameters max_queues and
# separate_tx_rx_irq, set in dom0 before each xl network-attach): dom0
# sees the queues and channels it should in xenstore and in netback's own
# interrupts (vifD.N-qQ, or -tx and -rx), this end has one interrupt per
# channel, and the new interface answers pings.  Each vif is detached
# again (xl network-detach) and its interface goes.
#
# Queues: min(netback's max_queues, our max_queues (4), our CPUs).

# shellcheck disable=SC2016,SC2034 # check's expressions expand when run
# shellcheck disable=SC1091 # lib.sh, net-lib.sh: found at run time
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/net-lib.sh"

CONFIGS=${NET_QUEUE_CONFIGS:-"1:0 1:1 2:0 2:1 4:0 4:1"}
n=0
for c in $CONFIGS; do n=$((n + 1)); done
plan $((2 + n * 5 + 3))

# iface DEVID: the interface of our vif DEVID, once it is there.
iface() {
	for _i in /sys/bus/pvxen/devices/vif-"$1"/net/* \
		/sys/bus/xen/devices/vif-"$1"/net/*; do
		[ -e "$_i" ] && echo "${_i##*/}" && return
	done
}

net_load ""
ok $? "netfront loaded"
cpus=$(grep -c ^processor /proc/cpuinfo)
until_ok 20 [ -n "$(iface 0)" ]
ok $? "vif 0 is $(iface 0); $cpus CPUs here"
# vif 0 stays down: each new vif takes our address in turn.
until_ok 30 grep -q '^deferred_pages 0$' /sys/kernel/debug/pvxen/grant
first=$(pvxen_gauges)

for c in $CONFIGS; do
	q=${c%:*}
	split=${c#*:}
	want=$q
	[ "$want" -le 4 ] || want=4
	[ "$want" -le "$cpus" ] || want=$cpus
	r=$(pvxen_do netback-params "$q" "$split")
	diag "netback: $r"
	dev=$(pvxen_do network-attach)
	rc=$?
	check "netback max_queues=$q separate_tx_rx_irq=$split: xl network-attach gives vif $dev" \
		'[ $rc = 0 ] && until_ok 20 [ -n "$(iface "$dev")" ]'
	eth=$(iface "$dev")
	net_up "$eth"
	ok $? "$eth (vif $dev) up, carrier on"
	rep=$(pvxen_do vif-report "$dev")
	diag "dom0: $rep"
	if [ "$split" = 1 ]; then
		exp="queues=$want split=1 irq_one=0 irq_tx=$want irq_rx=$want be_max=$q be_split=1"
	else
		exp="queues=$want split=0 irq_one=$want irq_tx=0 irq_rx=0 be_max=$q be_split=0"
	fi
	check "dom0 sees $want queue(s), split $split: xenstore keys and netback's interrupts" \
		'[ "$rep" = "$exp" ]'
	# Ours: ethN-qQ, or ethN-qQ-tx and -rx; xen-netfront's: ethN for
	# one channel, vifD-qQ-tx and -rx for two.
	re=" ($eth|vif$dev-q[0-9]+-(tx|rx)|$eth-q[0-9]+(-tx|-rx)?)\$"
	lines=$(grep -cE "$re" /proc/interrupts)
	mine=$lines
	[ "$split" = 1 ] && mine=$((mine / 2))
	check "here: $want queue(s) with $((split + 1)) interrupt(s) each ($lines lines)" \
		'[ "$mine" = "$want" ]'
	pings 1472
	ok $? "dom0 answers pings through $eth"
	ip link set "$eth" down
	pvxen_do network-detach "$dev" | sed 's/^/# /'
	until_ok 20 [ -z "$(iface "$dev")" ]
done
check "every new interface gone after its detach" \
	'[ "$(echo /sys/class/net/eth*)" = /sys/class/net/eth0 ]'
if net_upstream; then
	skip "pvxen-core's gauges back" "xen-netfront"
else
	check "pvxen-core's gauges back after the detaches (grants, ports, watches)" \
		'until_ok 30 [ "$(pvxen_gauges)" = "$first" ]'
fi
check_splats
