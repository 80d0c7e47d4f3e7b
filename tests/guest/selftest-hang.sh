#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Harness self-test input: the test never finishes.
. /pvxen/tests/lib.sh
plan 1
while :; do sleep 1; done
