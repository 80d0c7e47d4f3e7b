#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# pvxen-netfront against a lying backend, in a domU on real Xen.  For each
# mode dom0 starts tests/tools/fakenetback ("pvxen_do fakenet MODE",
# tests/guest/do-lib.sh): a netif backend for vif 9 that answers every
# packet sent and sends one small packet back, and lies once, at the first
# packet this end sends (pings to nobody, 10.99.0.1: ARP requests).  MODE
# good is the positive control.
#
# Per mode: dom0 started the backend; the interface came up against it;
# then for a protocol violation (bad or duplicate TX id, a null TX
# response, a TX or RX producer index that overruns or goes backwards, an
# RX id, offset+size or status beyond the page, an unknown extra-info
# type) dmesg has the frontend's own line naming it, "disabled for further
# use", ethtool -S counts the queue broken, and the device closes (then
# the backend is unplugged, having injected its fault, and the interface
# goes); for
# silence the sends stay in flight until the backend is unplugged; for a
# storm of events the interface still works after it; nothing oopses.
# Last, tx-hold: the backend keeps the pages of the packets it never
# answers mapped, and rx-hold: it keeps the RX page of a packet too long
# to be copied mapped (the frontend cannot take it for the stack: the
# fault is named, the queue disabled); rmmod with them held leaves them to
# pvxen-core's deferred reclaim (deferred_pages > 0, never freed while
# mapped; an RX page leaves its page_pool first), and once the backend
# lets go they are freed (deferred_pages back to 0); the module loads
# again and pvxen-core's gauges are as before.

# shellcheck disable=SC2016,SC2034 # check's expressions expand when run
# shellcheck disable=SC1091 # lib.sh, net-lib.sh: found at run time
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/net-lib.sh"

MODES=${NET_HOSTILE_MODES:-good tx-bad-id tx-dup tx-null tx-overrun tx-backwards rx-bad-id rx-offset rx-size rx-extra rx-overrun silent storm}
DEVID=9
GRANT=/sys/kernel/debug/pvxen/grant
OOPS='Oops|BUG:|kernel BUG|Call trace|WARNING:|Kernel panic|Unable to handle|KASAN|UBSAN|refcount_t:|list_(add|del) corruption'

# fault_re MODE: the frontend's line for MODE's lie.
fault_re() {
	case $1 in
	tx-bad-id) echo "TX response id 256 is not in flight" ;;
	tx-dup) echo "TX response id [0-9]+ is not in flight" ;;
	tx-null) echo "TX null response without an extra-info request" ;;
	tx-overrun) echo "backend produced [0-9]+ TX responses for [0-9]+ requests" ;;
	tx-backwards) echo "backend produced 4294967294 TX responses for [0-9]+ requests" ;;
	rx-bad-id) echo "RX response id [0-9]+ in slot [0-9]+" ;;
	rx-offset) echo "RX offset 4000 \+ size 200 beyond the page" ;;
	rx-size) echo "RX offset 0 \+ size 5000 beyond the page" ;;
	rx-extra) echo "RX extra-info type 7" ;;
	rx-overrun) echo "backend produced [0-9]+ RX responses for [0-9]+ requests" ;;
	esac
}

# iface: the interface of vif 9, once it is there.
iface() {
	for _i in /sys/bus/pvxen/devices/vif-$DEVID/net/*; do
		[ -e "$_i" ] && echo "${_i##*/}" && return
	done
}
up() {
	_e=$(iface) && [ -n "$_e" ] && ip link set "$_e" up &&
		ip addr add 10.99.0.2/24 dev "$_e" &&
		until_ok 20 grep -q 1 "/sys/class/net/$_e/carrier"
}
# send: ARP requests for 10.99.0.1 go out (nobody answers them).
send() { ping -c 2 -W 1 10.99.0.1 >/dev/null 2>&1; }
broken() { ethtool -S "$1" 2>/dev/null | awk '$1 == "broken:" { print $2 }'; }
oops() { dmesg | grep -Eq "$OOPS"; }
dmesg_has() { dmesg | grep -Eq "$1"; }

n=0
for m in $MODES; do
	case $m in
	good | storm) n=$((n + 5)) ;;
	silent) n=$((n + 5)) ;;
	*) n=$((n + 6)) ;;
	esac
done
if net_upstream; then
	echo "1..0 # SKIP pvxen-netfront's hardening (xen-netfront is built in)"
	exit 0
fi
plan $((1 + n + 2 * 7 + 1 + 1))

# The lie comes at the first packet sent: no IPv6 (router solicitations,
# MLD reports) on the new interfaces before the test's own ARP requests.
[ -e /proc/sys/net/ipv6/conf/default/disable_ipv6 ] &&
	echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6
loaded pvxen_core || insmod "$PVXEN_MODDIR/pvxen-core.ko"
gauges_settle
first=$(steady_gauges)
net_load ""
ok $? "pvxen-netfront loaded"

for m in $MODES; do
	dmesg -c >/dev/null
	# follow:0: the device stays, Closing, until the backend is stopped.
	out=$(pvxen_do fakenet "$m" devid:$DEVID follow:0)
	rc=$?
	diag "$m: $out"
	check "$m: dom0 started fakenetback" '[ $rc = 0 ]'
	until_ok 20 [ -n "$(iface)" ] && up
	ok $? "$m: $(iface) up against it, carrier on"
	eth=$(iface)
	rx0=$(net_stat "$eth" rx_packets)
	send
	case $m in
	good)
		check "good: packets sent and received, no queue broken" \
			'[ "$(net_stat "$eth" tx_packets)" -gt 0 ] &&
			 [ "$(net_stat "$eth" rx_packets)" -gt "$rx0" ] &&
			 [ "$(broken "$eth")" = 0 ]'
		;;
	silent)
		check "silent: nothing answered, the interface stays, no queue broken" \
			'[ -e "/sys/class/net/$eth" ] && [ "$(broken "$eth")" = 0 ] &&
			 [ "$(net_stat "$eth" rx_packets)" = "$rx0" ]'
		;;
	storm)
		sleep 5
		rx1=$(net_stat "$eth" rx_packets)
		send
		check "storm: after the storm packets still come and go" \
			'[ "$(net_stat "$eth" rx_packets)" -gt "$rx1" ] &&
			 [ "$(broken "$eth")" = 0 ]'
		grep "$eth" /proc/interrupts | sed 's/^/# /'
		;;
	*)
		re=$(fault_re "$m")
		check "$m: dmesg names the fault: \"$re; disabled for further use\"" \
			'until_ok 10 dmesg_has "$re; disabled for further use"'
		dmesg | grep -E "pvxen-netfront|$eth" | sed 's/^/#   /'
		check "$m: ethtool -S counts the queue broken" \
			'[ "$(broken "$eth")" = 1 ]'
		;;
	esac
	sum=$(pvxen_do fakenet stop devid:$DEVID)
	diag "$sum"
	want=1
	[ "$m" = good ] && want=0
	check "$m: fakenetback ended, faults=$want" \
		'case $sum in *" faults=$want "*" rc=0"*) true ;; *) false ;; esac'
	check "$m: the interface is gone, no oops" \
		'until_ok 20 [ -z "$(iface)" ] && ! oops'
	oops && dmesg | grep -A20 -E "$OOPS" | head -40 | sed 's/^/# /'
done

# tx-hold, rx-hold: pages the backend keeps mapped at the unload.
for m in tx-hold rx-hold; do
	dmesg -c >/dev/null
	out=$(pvxen_do fakenet $m devid:$DEVID follow:0)
	rc=$?
	diag "$m: $out"
	check "$m: dom0 started fakenetback" '[ $rc = 0 ]'
	until_ok 20 [ -n "$(iface)" ] && up
	ok $? "$m: $(iface) up against it"
	send
	if [ $m = rx-hold ]; then
		re="the backend keeps an RX page mapped"
		check "rx-hold: dmesg names the fault: \"$re; disabled for further use\"" \
			'until_ok 10 dmesg_has "$re; disabled for further use"'
	fi
	rmmod pvxen_netfront
	ok $? "$m: rmmod with the pages held"
	d=$(awk '$1 == "deferred_pages" { print $2 }' $GRANT)
	# fakenetback keeps both rings mapped too, until it is stopped.
	check "$m: the pages the backend holds are not freed (deferred_pages $d: both rings and at least one $m page)" \
		'[ "$d" -ge 3 ]'
	sum=$(pvxen_do fakenet stop devid:$DEVID)
	diag "$sum"
	check "$m: the backend let go: pages freed (deferred_pages back to 0)" \
		'until_ok 60 grep -q "^deferred_pages 0$" $GRANT'
	check "$m: pvxen-core's gauges as before the load" \
		'until_ok 30 [ "$(pvxen_gauges)" = "$first" ]'
	net_load ""
	ok $? "$m: pvxen-netfront loads again"
done
check "no oops, BUG or WARNING in the whole run" '! oops'
