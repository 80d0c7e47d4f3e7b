# SPDX-License-Identifier: GPL-2.0-only
# make bench: the network rows, sourced after lib.sh and net-lib.sh by
# bench-pvxen.sh (pvxen-netfront) and bench-upstream.sh (Linux's own
# xen-netfront), each on its domU's eth0, a vif behind the same netback
# in dom0 (bridge xenbr0, iperf3's server at $NET_DOM0).  One QEMU run,
# one side after the other.
#
#   bench_net SIDE IF    $BENCH_NET_REPS times (default 3) in turn:
#                        iperf3 TCP to dom0 and from dom0 (-R), 1 and 4
#                        streams, $BENCH_NET_TIME s each (default 5); UDP
#                        datagrams of 64 bytes to dom0 as fast as they go
#                        (the packets dom0 received per second); the
#                        average round trip of 20 pings of 56 bytes.  Per
#                        job ($BENCH_NET_RESULTS in all) one TAP result
#                        and the line "pvxen-bench: SIDE METRIC VALUE UNIT"
#                        (METRIC net_tcp_out_1, net_tcp_out_4,
#                        net_tcp_in_1, net_tcp_in_4, net_udp64_out,
#                        net_ping_rtt).

BENCH_NET_REPS=${PVXEN_BENCH_NET_REPS:-3}
BENCH_NET_TIME=${PVXEN_BENCH_NET_TIME:-5}
BENCH_NET_JOBS="tcp_out_1 tcp_out_4 tcp_in_1 tcp_in_4 udp64_out ping_rtt"
BENCH_NET_RESULTS=$((6 * BENCH_NET_REPS))

# _net_tcp STREAMS [-R]: the receiver's rate in kbit/s (the [SUM] line's
# with several streams: the last "receiver" line).
_net_tcp() {
	_s=$1
	shift
	iperf3 -c $NET_DOM0 -t "$BENCH_NET_TIME" -f k -P "$_s" "$@" \
		>/tmp/bench-net.out 2>&1 || return 1
	awk '/receiver$/ { for (i = 1; i < NF; i++)
			if ($(i + 1) == "Kbits/sec") r = $i }
		END { if (r == "") exit 1; printf "%d\n", r }' /tmp/bench-net.out
}

# _net_udp64: datagrams of 64 bytes dom0 received per second.
_net_udp64() {
	iperf3 -c $NET_DOM0 -u -l 64 -b 0 -t "$BENCH_NET_TIME" \
		>/tmp/bench-net.out 2>&1 || return 1
	awk -v t="$BENCH_NET_TIME" '/receiver$/ { for (i = 1; i <= NF; i++)
			if ($i ~ /^[0-9]+\/[0-9]+$/) { split($i, a, "/"); n = a[2] - a[1] } }
		END { if (n == "") exit 1; printf "%d\n", n / t }' /tmp/bench-net.out
}

# _net_rtt: the average round trip of 20 pings, in microseconds.
_net_rtt() {
	ping -c 20 -i 0.2 $NET_DOM0 >/tmp/bench-net.out 2>&1 || return 1
	awk -F/ '/round-trip/ { printf "%d\n", $4 * 1000; f = 1 }
		END { if (!f) exit 1 }' /tmp/bench-net.out
}

bench_net() {
	_side=$1
	_r=0
	while [ $_r -lt "$BENCH_NET_REPS" ]; do
		_r=$((_r + 1))
		for _j in $BENCH_NET_JOBS; do
			case $_j in
			tcp_out_1) _v=$(_net_tcp 1) _u=kbit_s ;;
			tcp_out_4) _v=$(_net_tcp 4) _u=kbit_s ;;
			tcp_in_1) _v=$(_net_tcp 1 -R) _u=kbit_s ;;
			tcp_in_4) _v=$(_net_tcp 4 -R) _u=kbit_s ;;
			udp64_out) _v=$(_net_udp64) _u=pps ;;
			ping_rtt) _v=$(_net_rtt) _u=us ;;
			esac
			_rc=$?
			ok $_rc "$_side net $_j, repetition $_r: ${_v:-no result} $_u"
			if [ $_rc = 0 ]; then
				echo "# pvxen-bench: $_side net_$_j $_v $_u"
			else
				tail -n 3 /tmp/bench-net.out | sed 's/^/# /'
			fi
		done
	done
}
