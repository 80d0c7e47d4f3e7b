#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The harness self-test of the platform-fault path: the kernel log gets
# the line RCU prints for a CPU whose timer interrupt never came (seen
# with Xen 4.17 under QEMU TCG).  The watchdog must pass it on to the
# console within one of its 10 s periods, and xen-run must end the run
# and run it once more; here the second run faults as well, so the run
# fails with the fault named.  Without the watchdog's report this test
# ends "ok" after 60 s.

# shellcheck disable=SC1091 # lib.sh, found at run time
. "$(dirname "$0")/lib.sh"

plan 1
echo "rcu: 	Possible timer handling issue on cpu=0 timer-softirq=0 (pvxen harness self-test)" >/dev/kmsg
sleep 60
check "the harness ended the run on the report above (it did not)" '[ 1 = 1 ]'
