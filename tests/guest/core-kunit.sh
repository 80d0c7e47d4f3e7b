#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Run the pvxen_xlate KUnit suite (needs pvxen-core, so real Xen or
# minixen) and turn each KUnit test case into one TAP result.

# shellcheck disable=SC1091 # tests/guest/lib.sh, found at run time
. "$(dirname "$0")/lib.sh"

SUITE=pvxen_xlate
KUNIT_KO=/lib/modules/$(uname -r)/kernel/lib/kunit/kunit.ko
CORE=$PVXEN_MODDIR/pvxen-core.ko
TEST=$PVXEN_MODDIR/pvxen-xlate-kunit.ko
DEBUGFS=/sys/kernel/debug
RESULTS=$DEBUGFS/kunit/$SUITE/results
TMP=/tmp/pvxen-kunit.$$

is_loaded() { grep -q "^$1 " /proc/modules; }

# Load everything first: the plan depends on the number of test cases.
# Test kernels built from allnoconfig lack CONFIG_KUNIT_DEFAULT_ENABLED,
# so ask for enable=1; kernels older than that parameter refuse it.
err=
if ! is_loaded kunit && ! insmod "$KUNIT_KO" enable=1 2>/dev/null &&
	! insmod "$KUNIT_KO"; then
	err="insmod $KUNIT_KO failed"
fi
core_was_loaded=
if is_loaded pvxen_core; then
	core_was_loaded=1
elif [ -z "$err" ] && ! insmod "$CORE"; then
	err="insmod $CORE failed"
fi
if [ -z "$err" ] && ! insmod "$TEST"; then
	err="insmod $TEST failed"
fi
if [ -z "$err" ] && [ ! -d "$DEBUGFS/kunit" ]; then
	mount -t debugfs none "$DEBUGFS" 2>/dev/null
fi
if [ -z "$err" ] && [ ! -r "$RESULTS" ]; then
	err="no $RESULTS"
fi

# Test cases: indented "ok N name" / "not ok N name", optionally "ok N - name".
: >"$TMP"
if [ -z "$err" ]; then
	sed -n 's/^[ 	][ 	]*\(\(not \)\{0,1\}ok\) [0-9][0-9]* \(- \)\{0,1\}/\1 /p' \
		"$RESULTS" >"$TMP"
	[ -s "$TMP" ] || err="no test cases in $RESULTS"
fi

n=$(wc -l <"$TMP")
plan $((n + 1))
if [ -n "$err" ]; then
	diag "$err"
	ok 1 "KUnit suite $SUITE ran"
else
	ok 0 "KUnit suite $SUITE ran"
fi
while read -r status rest; do
	if [ "$status" = ok ]; then
		ok 0 "$SUITE: $rest"
	else
		ok 1 "$SUITE: ${rest#ok }"
	fi
done <"$TMP"
if [ -r "$RESULTS" ] && grep -q 'not ok' "$RESULTS"; then
	grep -v '^[ 	]*\(not \)\{0,1\}ok \|^[ 	]*1\.\.\|KTAP version' \
		"$RESULTS" | while read -r l; do diag "$l"; done
fi
rm -f "$TMP"

is_loaded pvxen_xlate_kunit && rmmod pvxen_xlate_kunit
[ -z "$core_was_loaded" ] && is_loaded pvxen_core && rmmod pvxen_core
exit 0
