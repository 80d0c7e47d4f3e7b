#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The harness self-test of the console restart (tests/tools/conkick.c):
# the console's output is stopped with a line queued, as when Xen's
# emulated UART loses a transmit interrupt; within two of the watchdog's
# 10 s periods conkick must see the queue stand still and restart it.
# Without it this test's result never reaches the console and the run
# times out.

# shellcheck disable=SC1091 # lib.sh, found at run time
. "$(dirname "$0")/lib.sh"

plan 1
/pvxen/bin/conkick --stop /dev/console
diag "queued while the console is stopped"
sleep 25
check "the watchdog's conkick restarted the stopped console ($(cat /tmp/pvxen-conkick.log 2>/dev/null))" \
	'grep -q "stalled with [0-9]* bytes queued: restarted" /tmp/pvxen-conkick.log'
