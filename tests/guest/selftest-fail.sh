#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Harness self-test input: one pass and one deliberate failure.
. /pvxen/tests/lib.sh
plan 2
ok 0 "this one passes"
ok 1 "this one fails on purpose"
