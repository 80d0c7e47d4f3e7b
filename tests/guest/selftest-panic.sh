#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Harness self-test input: the guest kernel panics mid-test.
. /pvxen/tests/lib.sh
plan 1
echo 1 > /proc/sys/kernel/sysrq
echo c > /proc/sysrq-trigger
ok 0 "unreachable"
