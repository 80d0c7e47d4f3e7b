# SPDX-License-Identifier: GPL-2.0-only
# Helpers of the tests that put pvxen-blkfront against the hostile fake
# backend tests/tools/fakeblkback on xvdp (vdev 51952): blk-unplug.sh,
# blk-setup-fail.sh, blk-persist.sh, blk-stall.sh, blk-timeouts.sh.
# Sourced after lib.sh and blk-lib.sh (busybox ash).
#
#   fb_load            pvxen-core and pvxen-blkfront loaded (with
#                      $PVXEN_BLKFRONT_PARAMS); false on a kernel whose own
#                      xen-blkfront drives the disks
#   fb_reload PARAMS   pvxen-blkfront unloaded and loaded with PARAMS
#   (bg, bg_wait, bounded: lib.sh's, in $FB_T)
#   fb_busdev          the bus device of vbd-51952, if any
#   fb_gone            vbd-51952 is off the bus and /dev/xvdp is gone
#   fb_unbind          unbind pvxen-blkfront from vbd-51952 (bounded, 30 s)
#   fb_klog            the kernel's lines about xvdp and vbd-51952
#   fb_oops            true if dmesg has an oops, BUG, WARNING or KASAN report
#   fb_end             fakeblkback's summary line, once it ended (stopped
#                      after 30 s if it did not end by itself)
#   xs_get PATH        a value of our xenstore (PATH relative to our home)

FB_VDEV=51952
FB_DEV=xvdp
FB_T=/tmp/blk-fake
BG_DIR=$FB_T
FB_DBG=/sys/kernel/debug/pvxen/blkfront
FB_OOPS='Oops|BUG:|kernel BUG|Call trace|WARNING:|Kernel panic|Unable to handle|KASAN|UBSAN|stack-protector|refcount_t:|list_(add|del) corruption'
mkdir -p $FB_T

fb_load() {
	blk_upstream && return 1
	loaded pvxen_core || insmod "$PVXEN_MODDIR/pvxen-core.ko" || return 1
	# shellcheck disable=SC2086 # the words are module parameters
	loaded pvxen_blkfront ||
		insmod "$PVXEN_MODDIR/pvxen-blkfront.ko" $PVXEN_BLKFRONT_PARAMS
}

# fb_reload PARAMS: unload pvxen-blkfront (every disk closes with its
# backend; on the KASAN kernel of a loaded host the five of xen-blk-debug
# took over 30 s) and load it again with PARAMS.  Right after a load,
# while the disks still connect, the module can still be referenced and
# rmmod fails with EAGAIN ("Resource temporarily unavailable", seen in
# make check on the debug kernel; what holds the reference is not
# established) or "in use": that is retried, for at most 120 s in all.
fb_reload() {
	if loaded pvxen_blkfront; then
		_t0=$(cut -d. -f1 /proc/uptime)
		while :; do
			bounded 120 rmmod rmmod pvxen_blkfront
			_r=$?
			_dt=$(($(cut -d. -f1 /proc/uptime) - _t0))
			[ $_r -eq 0 ] || [ $_r -eq 124 ] || [ $_dt -ge 120 ] && break
			grep -qE "in use|temporarily unavailable" "$FB_T/rmmod.out" ||
				break
			sleep 1
		done
		diag "fb_reload: rmmod took $_dt s (status $_r)"
		[ $_r -eq 0 ] || sed 's/^/#   rmmod: /' "$FB_T/rmmod.out"
		[ $_r -eq 0 ] || return 1
	fi
	# shellcheck disable=SC2086 # the words are module parameters
	insmod "$PVXEN_MODDIR/pvxen-blkfront.ko" $1
}

fb_busdev() {
	for _d in /sys/bus/*/devices/vbd-$FB_VDEV; do
		[ -e "$_d" ] && echo "$_d" && return
	done
}

fb_gone() { [ -z "$(fb_busdev)" ] && [ ! -e /dev/$FB_DEV ]; }

_fb_unbind() { echo "vbd-$FB_VDEV" >"$1/driver/unbind"; }
fb_unbind() {
	_d=$(fb_busdev)
	[ -n "$_d" ] && [ -e "$_d/driver" ] || return 0
	bounded 30 unbind _fb_unbind "$_d"
}

fb_klog() { dmesg | grep -E "vbd-$FB_VDEV|$FB_DEV"; }
fb_oops() { dmesg | grep -Eq "$FB_OOPS"; }

fb_end() {
	_sum=$(pvxen_do fakeblk wait) || _sum=$(pvxen_do fakeblk stop)
	echo "$_sum"
}
