#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The harness self-test of a deadline missed by a machine asleep: this
# test prints nothing for 200 s with the watchdog's PVXEN-ALIVE lines off
# (PVXEN_ALIVE_S=0), and xen-run's deadline for the tests to finish
# (--timeout 145) passes with the console silent for more than 120 s
# (qemu.STAGE_SLEEP; --silence set beyond it).  That is a platform fault,
# not a plain timeout: the run runs once more, and the second fault fails
# it with the fault named.  Seen for real at a boot stage: xl create's
# deadline passed with every vCPU blocked and dom0 silent for 135 s.
# Without the check this test fails "timed out" at once.

# shellcheck disable=SC1091 # lib.sh, found at run time
. "$(dirname "$0")/lib.sh"

plan 1
sleep 200
check "the harness ended the run on the silence (it did not)" '[ 1 = 1 ]'
