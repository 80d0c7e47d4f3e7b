# SPDX-License-Identifier: GPL-2.0-only
# TAP helpers for in-guest tests (busybox ash). Sourced by tests/guest/*.sh.
#
#   plan N           print the TAP plan
#   ok COND_RC DESC  "ok"/"not ok" from a return code (0 = pass)
#   check DESC CMD.. run CMD, pass if it exits 0
#   diag TEXT        a TAP comment
#
# Tests find our modules in $PVXEN_MODDIR and may read $PVXEN_HOST_EPOCH
# (host time when the run started, seconds since the epoch).

PVXEN_MODDIR=${PVXEN_MODDIR:-/pvxen/modules}
_tap_n=0

plan() { echo "1..$1"; }
diag() { echo "# $*"; }

ok() {
	_tap_n=$((_tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_tap_n - $2"
	else
		echo "not ok $_tap_n - $2"
	fi
}

check() {
	_d=$1
	shift
	"$@"
	ok $? "$_d"
}
