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
#
# Requests to dom0 (pvxen_do) and xs_get: tests/guest/do-lib.sh.

# shellcheck disable=SC1091 # found at run time
. "$(dirname "$0")/do-lib.sh"

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
