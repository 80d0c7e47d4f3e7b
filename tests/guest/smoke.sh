#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Harness self-check: the guest sees its own kernel and the run settings.
. /pvxen/tests/lib.sh
plan 2
uname -r | grep -q -- '-pvxen$'
ok $? "guest runs the pvxen test kernel"
[ "${PVXEN_HOST_EPOCH:-0}" -gt 1600000000 ]
ok $? "host epoch passed in"
