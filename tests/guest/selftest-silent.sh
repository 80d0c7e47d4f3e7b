#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The harness self-test of the silent-console fault: this test prints
# nothing for 150 s with the watchdog's PVXEN-ALIVE lines off
# (PVXEN_ALIVE_S=0), as a guest would whose CPUs all stopped.  xen-run
# (--silence 60) must end the run and run it once more; here the second
# run is silent as well, so the run fails with the fault named.  Without
# the silence check this test ends "ok" after 150 s.

# shellcheck disable=SC1091 # lib.sh, found at run time
. "$(dirname "$0")/lib.sh"

plan 1
sleep 150
check "the harness ended the run on the silence (it did not)" '[ 1 = 1 ]'
