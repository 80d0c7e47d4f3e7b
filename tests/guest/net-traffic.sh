#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Traffic over one vif against netback in dom0 (xen-run --vif): offloads
# as negotiated (ethtool -k), pings from 56 to 65000 bytes, the MTU (9000
# unfragmented, scatter-gather off brings it down to 1500 and refuses
# more), iperf3 TCP and UDP both ways, 256 MiB streams hashed on both
# ends (tests/tools/netstream, sha256) both ways, then the same with the
# offloads off on each side, the offload counters moving only when the
# offloads are on, and no receive checksum error on either end.
#
# Also for Linux's own xen-netfront (xenref): the counters of our
# ethtool -S are then skipped.

# shellcheck disable=SC2016,SC2034 # check's expressions expand when run
# shellcheck disable=SC1091 # lib.sh, net-lib.sh: found at run time
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/net-lib.sh"

STREAM_MB=${NET_STREAM_MB:-256}
PVXEN_DO_WAIT=${PVXEN_DO_WAIT:-300}

plan 40

# mine DESC EXPR: a check of pvxen-netfront's own counters.
mine() {
	if net_upstream; then
		skip "$1" "xen-netfront has no per-queue offload counters"
	else
		check "$1" "$2"
	fi
}

# iperf NAME ARGS: an iperf3 client run against dom0, 5 s; its
# receiver's rate in Mbit/s on stdout, the run in /tmp/NAME.iperf.
# dom0's iperf3 server takes one client at a time and starts listening
# again only after the last run's end: a refused or busy connection is
# tried again, twice, 2 s apart (seen once on a loaded host).
iperf() {
	_n=$1
	shift
	for _try in 1 2 3; do
		iperf3 -c "${IPERF_HOST:-$NET_DOM0}" -t 5 -f m "$@" \
			>/tmp/"$_n".iperf 2>&1
		_rc=$?
		[ $_rc != 0 ] || break
		grep -q 'unable to connect to server\|the server is busy' \
			/tmp/"$_n".iperf || break
		sleep 2
	done
	if [ "$_rc" != 0 ]; then
		tail -n 5 /tmp/"$_n".iperf | sed 's/^/# /' >&2
		return 1
	fi
	awk '/receiver$/ { for (i = 1; i < NF; i++) if ($(i + 1) == "Mbits/sec") r = $i }
		END { if (r == "") exit 1; print r }' /tmp/"$_n".iperf
}

# tcp_both_ways PREFIX HOST: iperf3 TCP to dom0's HOST and from it, each
# with the offloads it must have used: TSO (TSO6) and blank checksums out,
# GSO packets and blank checksums in (4 results, named with PREFIX).
tcp_both_ways() {
	gso0=$(net_estat eth0 tx_gso)
	csum0=$(net_estat eth0 tx_csum)
	r=$(IPERF_HOST=$2 iperf tcp-out)
	ok $? "${1}iperf3 TCP to dom0: ${r:-no result} Mbit/s"
	mine "${1}TSO and checksum offload used sending: tx_gso $(($(net_estat eth0 tx_gso) - gso0)), tx_csum $(($(net_estat eth0 tx_csum) - csum0))" \
		'[ $(($(net_estat eth0 tx_gso) - gso0)) -gt 0 ] &&
		 [ $(($(net_estat eth0 tx_csum) - csum0)) -gt 0 ]'
	rgso0=$(net_estat eth0 rx_gso)
	rcsum0=$(net_estat eth0 rx_csum)
	r=$(IPERF_HOST=$2 iperf tcp-in -R)
	ok $? "${1}iperf3 TCP from dom0: ${r:-no result} Mbit/s"
	mine "${1}GSO packets and blank checksums received: rx_gso $(($(net_estat eth0 rx_gso) - rgso0)), rx_csum $(($(net_estat eth0 rx_csum) - rcsum0))" \
		'[ $(($(net_estat eth0 rx_gso) - rgso0)) -gt 0 ] &&
		 [ $(($(net_estat eth0 rx_csum) - rcsum0)) -gt 0 ]'
}

# stream_out SEED MB: MB MiB from us to dom0, hashed there; "" if the sums
# differ (both printed).
stream_out() {
	_b=$(($2 * 1048576))
	pvxen_do net-recv 5301 >/dev/null || return 1
	_want=$(/pvxen/bin/netstream gen $_b "$1" | sha256sum | cut -d' ' -f1)
	/pvxen/bin/netstream send $NET_DOM0 5301 $_b "$1" || return 1
	_got=$(pvxen_do net-recv-sum 5301) || return 1
	diag "out: sent $_want, dom0 got $_got"
	[ "$_got" = "$_want $_b bytes" ]
}

# stream_in SEED MB: MB MiB from dom0 to us, hashed here.
stream_in() {
	_b=$(($2 * 1048576))
	rm -f /tmp/in.sum /tmp/in.err
	( /pvxen/bin/netstream recv 5302 120 2>/tmp/in.err | sha256sum >/tmp/in.sum ) &
	_p=$!
	pvxen_do net-send 5302 $_b "$1" >/dev/null
	_rc=$?
	wait $_p
	[ $_rc = 0 ] || return 1
	_want=$(/pvxen/bin/netstream gen $_b "$1" | sha256sum | cut -d' ' -f1)
	_got="$(cut -d' ' -f1 /tmp/in.sum) $(grep -o '[0-9]* bytes' /tmp/in.err)"
	diag "in: dom0 sent $_want, got $_got"
	[ "$_got" = "$_want $_b bytes" ]
}

net_load ""
ok $? "netfront loaded"
until_ok 20 [ -e /sys/class/net/eth0 ] && net_up eth0
ok $? "eth0 up, carrier on"
vif=$(xs_get device/vif/0/backend)
vif=vif${vif#/local/domain/0/backend/vif/}
vif=$(echo "$vif" | tr / .)
diag "$(ethtool -i eth0 | head -n 1); dom0 side $vif"

ethtool -k eth0 >/tmp/k.out
sed -n 's/^\(scatter-gather\|tx-checksumming\|tcp-segmentation-offload\|rx-checksumming\): \(.*\)/# \1: \2/p' /tmp/k.out
check "offloads on as negotiated: sg, tx checksums, TSO (ethtool -k)" \
	'grep -q "^scatter-gather: on" /tmp/k.out &&
	 grep -q "^tx-checksumming: on" /tmp/k.out &&
	 grep -q "^tcp-segmentation-offload: on" /tmp/k.out'

fails=
for s in 56 1472 4000 8000 32000 65000; do
	pings $s || fails="$fails $s"
done
check "dom0 answers 3 pings of each of 56, 1472, 4000, 8000, 32000, 65000 bytes (failed:${fails:- none})" \
	'[ -z "$fails" ]'

ip link set eth0 mtu 9000
check "MTU 9000 set" '[ "$(cat /sys/class/net/eth0/mtu)" = 9000 ]'
# Three pings of 8972 bytes, counted as the packets they took; dom0
# answers in fragments (its MTU is 1500), one of which TCG may lose: a
# second try then.
big_pings() {
	for _t in 1 2; do
		_tx0=$(net_stat eth0 tx_packets)
		ping -c 3 -W 5 -s 8972 $NET_DOM0 >/tmp/ping.out 2>&1
		sent=$(($(net_stat eth0 tx_packets) - _tx0))
		grep -q ' 0% packet loss' /tmp/ping.out && return 0
		diag "pings of 8972 bytes, try $_t: $(grep transmitted /tmp/ping.out)"
	done
	return 1
}
big_pings
prc=$?
# Fragmented, they would be 21 packets; a stray IPv6 one (a router
# solicitation, an MLD report) may join the 3.
check "3 pings of 8972 bytes answered, sent whole, not in fragments (packets sent meanwhile: $sent)" \
	'[ $prc = 0 ] && [ "$sent" -ge 3 ] && [ "$sent" -le 5 ]'
# Ours stops where a frame still fits the 16-bit packet size of the
# first TX slot (65535 less the Ethernet header); xen-netfront takes an
# MTU of 65535 and drops the frames that come out longer than that.
if net_upstream; then
	max=65535 why="XEN_NETIF_MAX_TX_SIZE, xen-netfront's limit"
else
	max=65521 why="65535 less the Ethernet header"
fi
ip link set eth0 mtu $max
check "the largest MTU, $max ($why), accepted" \
	'[ "$(cat /sys/class/net/eth0/mtu)" = $max ]'
check "MTU $((max + 1)) refused" \
	'! ip link set eth0 mtu $((max + 1)) 2>/dev/null'

# IPv6 keeps an MTU of its own (conf/eth0/mtu), told only by
# NETDEV_CHANGEMTU: left at 65521, it sent the IPv6 pings below whole,
# and 5.10 refused those of 65000 bytes (sendto: EINVAL).  xen-netfront
# writes dev->mtu and leaves IPv6's as it was.
mtu6_follows() {
	net_upstream || [ ! -e /proc/sys/net/ipv6/conf/eth0/mtu ] ||
		[ "$(cat /proc/sys/net/ipv6/conf/eth0/mtu)" = 1500 ]
}
dmesg -c >/dev/null
ethtool -K eth0 sg off >/dev/null 2>&1
check "scatter-gather off: the MTU comes down to 1500, IPv6's too" \
	'[ "$(cat /sys/class/net/eth0/mtu)" = 1500 ] &&
	 ethtool -k eth0 | grep -q "^scatter-gather: off" && mtu6_follows'
mine "dmesg: one line saying so" \
	'dmesg | grep -q "eth0: scatter-gather off: MTU 65521 lowered to 1500"'
check "without scatter-gather MTU 1501 is refused" \
	'! ip link set eth0 mtu 1501 2>/dev/null'
pings 1472
ok $? "without scatter-gather dom0 answers pings of 1472 bytes"
ethtool -K eth0 sg on tso on >/dev/null 2>&1
check "scatter-gather and TSO back on" \
	'ethtool -k eth0 | grep -q "^scatter-gather: on" &&
	 ethtool -k eth0 | grep -q "^tcp-segmentation-offload: on"'
ip link set eth0 mtu 1500

tcp_both_ways "" $NET_DOM0
r=$(iperf udp-out -u -b 200M -l 1400)
ok $? "iperf3 UDP to dom0: ${r:-no result} Mbit/s"
r=$(iperf udp-in -u -b 200M -l 1400 -R)
ok $? "iperf3 UDP from dom0: ${r:-no result} Mbit/s"

# IPv6 (fd00:5678::/64 on both ends): the checksum left blank and TSO6,
# both ways.
fails=
for s in 56 1452 8000 65000; do
	pings $s $NET6_DOM0 || fails="$fails $s"
done
check "IPv6: dom0 answers 3 pings of each of 56, 1452, 8000, 65000 bytes (failed:${fails:- none})" \
	'[ -z "$fails" ]'
tcp_both_ways "IPv6: " $NET6_DOM0

stream_out 1 "$STREAM_MB"
ok $? "$STREAM_MB MiB to dom0, offloads on: the same sha256 on both ends"
copied0=$(net_estat eth0 rx_copied)
stream_in 2 "$STREAM_MB"
ok $? "$STREAM_MB MiB from dom0, offloads on: the same sha256 on both ends"
# Its pages went to the stack and came back to the page_pool; the acks
# it did not need were copied (pages kept on the ring).  A kernel without
# page_pool statistics (CONFIG_PAGE_POOL_STATS, 5.18 on; 5.10 does not
# recycle a packet's pages either) has no rx_pp_* counters.
if net_upstream || ethtool -S eth0 | grep -q '_rx_pp_recycled:'; then
	mine "RX pages recycled through the page_pool (rx_pp_recycled $(net_estat eth0 rx_pp_recycled), of which from its cache rx_pp_fast $(net_estat eth0 rx_pp_fast))" \
		'[ "$(net_estat eth0 rx_pp_recycled)" -gt 0 ]'
else
	skip "RX pages recycled through the page_pool" \
		"no page_pool statistics in this kernel (ethtool -S has no rx_pp_recycled)"
fi
mine "small packets copied, their pages left on the ring (rx_copied $(($(net_estat eth0 rx_copied) - copied0)))" \
	'[ $(($(net_estat eth0 rx_copied) - copied0)) -gt 0 ]'

# Offloads off on both sides: every checksum is computed by the sender
# and checked by the receiver.
ethtool -K eth0 tx off tso off >/dev/null 2>&1
pvxen_do vif-offload 0 off | sed 's/^/# dom0: /'
gso0=$(net_estat eth0 tx_gso)
csum0=$(net_estat eth0 tx_csum)
rgso0=$(net_estat eth0 rx_gso)
rcsum0=$(net_estat eth0 rx_csum)
stream_out 3 32
ok $? "32 MiB to dom0, offloads off: the same sha256 on both ends"
stream_in 4 32
ok $? "32 MiB from dom0, offloads off: the same sha256 on both ends"
mine "offloads off: no TSO or blank checksum sent (tx_gso, tx_csum unchanged)" \
	'[ $(net_estat eth0 tx_gso) = "$gso0" ] && [ $(net_estat eth0 tx_csum) = "$csum0" ]'
# On minixen the far end is Linux's xen-netfront in the peer domain,
# which always leaves IPv4 checksums blank (NETIF_F_IP_CSUM is not one
# of its hw_features): only its GSO goes off.
if on_minixen; then
	mine "offloads off: no GSO received from xen-netfront (rx_gso unchanged)" \
		'[ $(net_estat eth0 rx_gso) = "$rgso0" ]'
else
	mine "offloads off: no GSO or blank checksum received (rx_gso, rx_csum unchanged)" \
		'[ $(net_estat eth0 rx_gso) = "$rgso0" ] && [ $(net_estat eth0 rx_csum) = "$rcsum0" ]'
fi
r=$(iperf tcp-out-off)
ok $? "iperf3 TCP to dom0, offloads off: ${r:-no result} Mbit/s"
ethtool -K eth0 tx on tso on >/dev/null 2>&1
pvxen_do vif-offload 0 on | sed 's/^/# dom0: /'

e=$(pvxen_do csum-errors)
check "dom0 saw no bad checksum ($e)" '[ "$e" = "tcp=0 udp=0 " ]'
check "we saw no bad checksum ($(csum_errors))" \
	'[ "$(csum_errors)" = "tcp=0 udp=0 " ]'
check "no receive or send errors on eth0 (rx $(net_stat eth0 rx_errors), tx $(net_stat eth0 tx_errors))" \
	'[ "$(net_stat eth0 rx_errors)" = 0 ] && [ "$(net_stat eth0 tx_errors)" = 0 ]'
# The interface's tx_dropped also counts the stack's drops before the
# driver (on 6.12 the noop qdisc's, between link up and the qdisc's
# start); the driver's own are ethtool -S tx_dropped.
diag "tx_dropped $(net_stat eth0 tx_dropped) in all"
mine "no send dropped by the driver (ethtool -S tx_dropped: $(net_dstat eth0 tx_dropped))" \
	'[ "$(net_dstat eth0 tx_dropped)" = 0 ]'
# The interface's rx_dropped also counts the stack's drops of protocols
# this kernel lacks; the driver's own are its per-queue rx_dropped.
diag "rx_dropped $(net_stat eth0 rx_dropped) in all"
mine "no packet dropped by the driver (ethtool -S qN_rx_dropped: $(net_estat eth0 rx_dropped))" \
	'[ "$(net_estat eth0 rx_dropped)" = 0 ]'
mine "no queue broken (ethtool -S broken)" \
	'ethtool -S eth0 | grep -q "^ *broken: 0$"'

ip link set eth0 down
check_splats
