# SPDX-License-Identifier: GPL-2.0-only
# Requests from a domU test to dom0, and xenstore reads (busybox ash),
# sourced after lib.sh by blk-lib.sh and net-lib.sh.
#
#   skip DESC REASON      a TAP result skipped, with its reason
#   have_dom0             true unless no dom0 agent answers pvxen_do
#                         ($PVXEN_DO_AGENT=none: minixen, tests/harness/
#                         mx-run without its peer domain)
#   on_minixen            true if minixen's own backends serve us
#   pvxen_do ACTION ARGS  ask dom0 to act (below); prints its answer
#   xs_get PATH           a xenstore value (PATH relative to our domain's
#                         home, or absolute)
#
# pvxen_do: the dom0 agent (tests/harness/dom0-init) runs allowlisted
# actions for a line "PVXEN-DO <seq> <action> <args>" on this domU's
# console and writes "<rc> <one line>" into our data/pvxen-do/<seq> in
# xenstore, which we read back with tests/modules/pvxen-xs-test.ko (a
# relative path there is relative to /local/domain/<our domid>), or with
# xenstore-read through /dev/xen/xenbus on a kernel with Linux's own Xen
# support, where pvxen-core refuses to load.  Actions, on our own disks
# by vdev and vifs by devid:
#   block-detach VDEV     xl block-detach; answers when xl returns
#   block-attach VDEV:MB[:ro|rw[:NAME]]
#                         xl block-attach; an old file of VDEV (or NAME)
#                         is reused, so its data is back
#   backing-sum VDEV      sha256 of the file behind VDEV
#   resize VDEV MB        grow that file and its loop device to MB MiB
#   backend-stat VDEV KEY blkback's statistics/KEY of VDEV (rd_req,
#                         wr_req, f_req, ds_req, oo_req, rd_sect, wr_sect)
#   fakeblk MODE ...      the fake block backend (/pvxen/bin/fakeblkback)
#   fakenet MODE ...      the fake network backend (/pvxen/bin/fakenetback)
#   xs-flood NODE N [distinct]
#                         write our data/NODE N times, values 1..N (or N
#                         nodes data/NODE/<i>), /pvxen/bin/xsflood
#   cpu-stat              dom0's /proc/stat "cpu" numbers (make bench)
#   vbd-features VDEV     what VDEV's frontend and blkback negotiated
#                         (persistent grants, indirect segments, queues)
#   kprobe-start FUNC...  count calls of these dom0 kernel functions
#   kprobe-read [FUNC...] their counts so far, FUNC=N ...
#   netback-params Q S    netback's max_queues=Q, separate_tx_rx_irq=S
#                         for vifs set up from now on
#   network-attach        xl network-attach; answers the new devid
#   network-detach DEVID  xl network-detach; answers when xl returns
#   vif-report DEVID      queues=N split=0|1 irq_one= irq_tx= irq_rx=
#                         (netback's interrupts for it) be_max= be_split=
#   vif-bounce DEVID      netback's state to Closing, "online" kept: a
#                         backend that goes away without the unplug
#   vif-rebind DEVID      netback unbound from the vif for 2 s, then
#                         bound again; answers how long each step took
#   netback-log           dom0's last 4 kernel lines of netback and the
#                         vifs (60 characters each), joined by "|"
#   vif-offload DEVID on|off
#                         the vif's offloads in dom0 (tx, sg, tso)
#   csum-errors           dom0's Tcp and Udp InCsumErrors: tcp=N udp=N
#   net-recv PORT         take one stream (tests/tools/netstream) and
#                         hash it; net-recv-sum PORT: "SHA256 N bytes"
#   net-send PORT BYTES SEED
#                         send a netstream stream to us (169.254.0.2)
# It returns the action's exit status, 124 if no answer came within
# $PVXEN_DO_WAIT seconds (default 60), 125 if xenstore is out of reach,
# 126 if there is no dom0 agent (minixen).

DO_XS_CMD=/sys/kernel/debug/pvxen-xs-test/cmd

skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP $2"
}

# _do_read PATH: a value of our xenstore (relative PATH), if there.
_do_read() {
	if [ -e /dev/xen/xenbus ]; then
		xenstore-read "$1" 2>/dev/null
		return
	fi
	echo "read $1" >$DO_XS_CMD || return 1
	_r=$(cat $DO_XS_CMD)
	[ "${_r%% *}" = OK ] || return 1
	echo "${_r#OK }"
}

# _do_ready: a way to read xenstore.  pvxen-xs-test is loaded for the
# request and unloaded after it (_do_done), so that it never keeps
# pvxen-core from unloading.
_do_ready() {
	_do_rm=
	[ -e /dev/xen/xenbus ] && return 0
	# pvxen-core does not load on a kernel with Linux's own Xen support.
	[ -d /sys/bus/xen ] && return 1
	loaded pvxen_core || insmod "$PVXEN_MODDIR/pvxen-core.ko" || return 1
	loaded pvxen_xs_test && return 0
	insmod "$PVXEN_MODDIR/pvxen-xs-test.ko" && _do_rm=1
}
_do_done() { [ -z "$_do_rm" ] || rmmod pvxen_xs_test; }

# xs_get PATH: a value of our xenstore (relative PATH) or an absolute one.
xs_get() {
	_do_ready || return 1
	_do_read "$1"
	_xr=$?
	_do_done
	return $_xr
}

have_dom0() { [ "${PVXEN_DO_AGENT:-}" != none ]; }
on_minixen() { [ "${PVXEN_BACKEND:-xen}" = minixen ]; }

pvxen_do() {
	if ! have_dom0; then
		echo "no dom0 agent here"
		return 126
	fi
	if ! _do_ready; then
		echo "no xenstore access"
		return 125
	fi
	# Numbers go on across the tests of a boot: dom0 answers each once.
	_seq=$(($(cat /tmp/pvxen-do.seq 2>/dev/null || echo 0) + 1))
	echo $_seq >/tmp/pvxen-do.seq
	echo "PVXEN-DO $_seq $*" >/dev/console
	_w=$((${PVXEN_DO_WAIT:-60} * 10))
	until _a=$(_do_read "data/pvxen-do/$_seq"); do
		_w=$((_w - 1))
		if [ $_w -le 0 ]; then
			_do_done
			echo "no answer from dom0 to request $_seq ($*)"
			return 124
		fi
		sleep 0.1
	done
	_do_done
	echo "${_a#* }"
	return "${_a%% *}"
}
