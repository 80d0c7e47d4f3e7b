# SPDX-License-Identifier: GPL-2.0-only
# Helpers of the block tests (tests/guest/blk-*.sh; busybox ash), sourced
# after lib.sh.  The disks are those of xen-run --disk-mb/--disk, listed
# in $PVXEN_DISKS as "VDEV:MB:MODE[:NAME] ..." (e.g. "xvda:64:rw
# xvdb:16:ro:shared"); disks with the same NAME share one file in dom0.
#
#   blk_setup             load pvxen-core and pvxen-blkfront from
#                         $PVXEN_MODDIR (with $PVXEN_BLKFRONT_PARAMS),
#                         unless the kernel has its own xen-blkfront
#                         (xenref, debian); wait for every /dev/VDEV
#   blk_disk WHAT         the vdev of the first disk named WHAT, or else
#                         of the first with access WHAT (ro, rw)
#   blk_mb VDEV           its size in MiB as configured
#   blk_name VDEV         its NAME, if it has one
#   blk_twin VDEV         another disk on VDEV's file (same NAME), if any
#   blk_upstream          true if Linux's own xen-blkfront drives the disks
#   blk_vbd VDEV          its device name on the bus (xvdb: vbd-51728)
#   blk_ready VDEV        VDEV (xvda..xvdz) can be opened: its node is
#                         there and its frontend reached Connected, which
#                         comes after add_disk (devtmpfs makes the node
#                         earlier, when an open still fails with ENXIO)
#   skip DESC REASON      a TAP result skipped, with its reason
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
# by vdev:
#   block-detach VDEV     xl block-detach; answers when xl returns
#   block-attach VDEV:MB[:ro|rw[:NAME]]
#                         xl block-attach; an old file of VDEV (or NAME)
#                         is reused, so its data is back
#   backing-sum VDEV      sha256 of the file behind VDEV
#   resize VDEV MB        grow that file and its loop device to MB MiB
#   backend-stat VDEV KEY blkback's statistics/KEY of VDEV (rd_req,
#                         wr_req, f_req, ds_req, oo_req, rd_sect, wr_sect)
#   fakeblk MODE ...      the fake block backend (/pvxen/bin/fakeblkback)
#   xs-flood NODE N [distinct]
#                         write our data/NODE N times, values 1..N (or N
#                         nodes data/NODE/<i>), /pvxen/bin/xsflood
#   cpu-stat              dom0's /proc/stat "cpu" numbers (make bench)
#   vbd-features VDEV     what VDEV's frontend and blkback negotiated
#                         (persistent grants, indirect segments, queues)
#   kprobe-start FUNC...  count calls of these dom0 kernel functions
#   kprobe-read [FUNC...] their counts so far, FUNC=N ...
# It returns the action's exit status, 124 if no answer came within
# $PVXEN_DO_WAIT seconds (default 60), 125 if xenstore is out of reach.

BLK_XS_CMD=/sys/kernel/debug/pvxen-xs-test/cmd

skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP $2"
}

blk_upstream() { [ -d /sys/module/xen_blkfront ]; }

blk_vbd() {
	_l=$(printf '%d' "'${1#xvd}")
	echo "vbd-$((51712 + (_l - 97) * 16))"
}

blk_ready() {
	_v=$(blk_vbd "$1")
	[ -b "/dev/$1" ] &&
		cat "/sys/bus/pvxen/devices/$_v/state" \
			"/sys/bus/xen/devices/$_v/state" 2>/dev/null |
		grep -qx Connected
}

blk_setup() {
	if ! blk_upstream; then
		loaded pvxen_core || insmod "$PVXEN_MODDIR/pvxen-core.ko" ||
			return 1
		# shellcheck disable=SC2086 # the words are module parameters
		loaded pvxen_blkfront ||
			insmod "$PVXEN_MODDIR/pvxen-blkfront.ko" \
				$PVXEN_BLKFRONT_PARAMS || return 1
	fi
	for _s in $PVXEN_DISKS; do
		until_ok 20 blk_ready "${_s%%:*}" || {
			diag "/dev/${_s%%:*} did not appear"
			return 1
		}
	done
}

# _blk_field VDEV N: field N of VDEV's entry in $PVXEN_DISKS.
_blk_field() {
	for _s in $PVXEN_DISKS; do
		[ "${_s%%:*}" = "$1" ] || continue
		echo "$_s" | cut -d: -f"$2"
		return 0
	done
	return 1
}

blk_disk() {
	for _f in 4 3; do
		for _s in $PVXEN_DISKS; do
			if [ "$(echo "$_s" | cut -s -d: -f$_f)" = "$1" ]; then
				echo "${_s%%:*}"
				return 0
			fi
		done
	done
	return 1
}

blk_mb() { _blk_field "$1" 2; }
blk_name() { _blk_field "$1" 4; }

blk_twin() {
	_n=$(_blk_field "$1" 4)
	[ -n "$_n" ] || return 1
	for _s in $PVXEN_DISKS; do
		case $_s in
		"$1":*) ;;
		*:"$_n") echo "${_s%%:*}" && return 0 ;;
		esac
	done
	return 1
}

# _do_read PATH: a value of our xenstore (relative PATH), if there.
_do_read() {
	if [ -e /dev/xen/xenbus ]; then
		xenstore-read "$1" 2>/dev/null
		return
	fi
	echo "read $1" >$BLK_XS_CMD || return 1
	_r=$(cat $BLK_XS_CMD)
	[ "${_r%% *}" = OK ] || return 1
	echo "${_r#OK }"
}

# _do_ready: a way to read xenstore.  pvxen-xs-test is loaded for the
# request and unloaded after it (_do_done), so that it never keeps
# pvxen-core from unloading.
_do_ready() {
	_do_rm=
	[ -e /dev/xen/xenbus ] && return 0
	blk_upstream && return 1
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

pvxen_do() {
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
