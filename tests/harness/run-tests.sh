# SPDX-License-Identifier: GPL-2.0-only
# Sourced by the guest and dom0 /init scripts.
#
# pvxen_run_tests PREFIX TESTS...: run /pvxen/tests/NAME.sh for each
# name, relaying its output as "PVXEN-TAP PREFIXNAME: <line>" followed by
# "PVXEN-RC <exit status>", which tests/harness/qemu.py collects.
pvxen_run_tests() {
	_prefix=$1
	shift
	for _t in "$@"; do
		echo "PVXEN-BEGIN $_prefix$_t"
		{
			sh "/pvxen/tests/$_t.sh" 2>&1
			echo "PVXEN-RC $?"
		} | while IFS= read -r _line; do
			echo "PVXEN-TAP $_prefix$_t: $_line"
		done
		echo "PVXEN-END $_prefix$_t"
	done
}
