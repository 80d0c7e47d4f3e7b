# SPDX-License-Identifier: GPL-2.0-only
# Helpers of the network tests (tests/guest/net-*.sh; busybox ash),
# sourced after lib.sh.  The domU has one vif (xen-run --vif): netback in
# dom0, the vif on bridge xenbr0, dom0 at $NET_DOM0 with iperf3's server
# on port 5201; this end takes $NET_ME.
#
#   net_upstream          true if Linux's own xen-netfront drives the vifs
#   net_load [PARAMS]     load pvxen-core and pvxen-netfront (PARAMS:
#                         module parameters), unless net_upstream
#   net_up IF             IF up with $NET_ME/16 (and $NET6_ME/64 if the
#                         kernel has IPv6), carrier on within 20 s
#   net_stat IF NAME      IF's statistics/NAME (tx_packets, ...)
#   net_estat IF NAME     the sum of IF's per-queue ethtool counters
#                         qN_NAME (tx_gso, rx_csum, ...)
#   pings SIZE [HOST]     three pings of SIZE bytes to dom0 (or HOST: dom0's
#                         IPv6 address $NET6_DOM0), all answered,
#                         in one of two tries: a fragment lost between
#                         QEMU's busy vCPUs fails one (the drivers' own
#                         drops are counted, and checked where it
#                         matters); the output in /tmp/ping.out
#   fe_state DEVID        our vif DEVID's state in xenstore; be_state
#                         DEVID netback's
#   csum_errors           this end's Tcp and Udp InCsumErrors: tcp=N udp=N
#
# Requests to dom0 (pvxen_do) and xs_get: tests/guest/do-lib.sh.

# shellcheck disable=SC1091 # found at run time
. "$(dirname "$0")/do-lib.sh"

NET_DOM0=169.254.0.1
NET_ME=169.254.0.2
NET6_DOM0=fd00:5678::1
NET6_ME=fd00:5678::2

net_upstream() { [ -d /sys/module/xen_netfront ]; }

net_load() {
	net_upstream && return 0
	loaded pvxen_core || insmod "$PVXEN_MODDIR/pvxen-core.ko" || return 1
	# shellcheck disable=SC2068 # the words are module parameters
	loaded pvxen_netfront ||
		insmod "$PVXEN_MODDIR/pvxen-netfront.ko" $@
}

net_up() {
	[ -e "/sys/class/net/$1" ] && ip link set "$1" up || return 1
	# An interface that stayed (an earlier test's) keeps its address.
	ip addr show dev "$1" | grep -q " $NET_ME/" ||
		ip addr add $NET_ME/16 dev "$1" || return 1
	# IPv6, usable at once (no duplicate address detection).
	if [ -e "/proc/sys/net/ipv6/conf/$1" ]; then
		echo 0 >"/proc/sys/net/ipv6/conf/$1/accept_dad"
		ip -6 addr show dev "$1" | grep -q " $NET6_ME/" ||
			ip -6 addr add $NET6_ME/64 dev "$1" || return 1
	fi
	until_ok 20 grep -q 1 "/sys/class/net/$1/carrier"
}

net_stat() { cat "/sys/class/net/$1/statistics/$2" 2>/dev/null; }

net_estat() {
	ethtool -S "$1" | awk -v k="_$2:" '
		$1 ~ /^q[0-9]+_/ && substr($1, length($1) - length(k) + 1) == k {
			s += $2 }
		END { print s + 0 }'
}

# net_dstat IF NAME: one of pvxen-netfront's device-wide ethtool -S
# counters (broken, tx_dropped).
net_dstat() {
	ethtool -S "$1" 2>/dev/null | awk -v k="$2:" '$1 == k { print $2 }'
}

pings() {
	for _p in 1 2; do
		ping -c 3 -W 5 -s "$1" "${2:-$NET_DOM0}" >/tmp/ping.out 2>&1 &&
			grep -q ' 0% packet loss' /tmp/ping.out && return 0
		echo "# pings of $1 bytes, try $_p: $(grep -E 'transmitted|round-trip' /tmp/ping.out | tr '\n' ' ')"
	done
	return 1
}

fe_state() { xs_get "device/vif/$1/state"; }
be_state() {
	_be=$(xs_get "device/vif/$1/backend") && xs_get "$_be/state"
}

csum_errors() {
	awk '($1 == "Tcp:" || $1 == "Udp:") && !seen[$1]++ {
		for (i = 2; i <= NF; i++) col[$1, $i] = i; next }
	($1 == "Tcp:" || $1 == "Udp:") {
		printf "%s%s ", tolower(substr($1, 1, 3)), "=" $col[$1, "InCsumErrors"] }
	END { print "" }' /proc/net/snmp
}
