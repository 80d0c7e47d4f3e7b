#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The kmemleak check of core-cycles can fail: a module that leaks on
# purpose is reported, with its name in the backtrace (debug kernel).
. /pvxen/tests/lib.sh
KMEMLEAK=/sys/kernel/debug/kmemleak
plan 3
[ -e "$KMEMLEAK" ]
ok $? "kmemleak present"
echo clear > "$KMEMLEAK"
insmod "$PVXEN_MODDIR/pvxen-leaktest.ko"
ok $? "leaking module loads"
echo scan > "$KMEMLEAK" && sleep 6 && echo scan > "$KMEMLEAK"
grep -q 'pvxen_leaktest' "$KMEMLEAK"
ok $? "kmemleak reports the deliberate leak"
