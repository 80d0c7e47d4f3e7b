#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Watch floods (the XSA-349 class), in a domU on real Xen: a backend in
# dom0 (tests/tools/xsflood through the dom0 agent, pvxen_do in
# blk-lib.sh) rewrites a node the domU watches $XS_FLOOD_N times (default
# 10^5) while the watch thread is held in a callback, so that every event
# has to wait.  pvxen-core must queue at most watch_queue_limit (64)
# events per watch, merging events for a path already queued, and
# deliver the last value once the thread runs again; past the limit
# (distinct nodes) it drops events and queues one for the watched path
# itself; events whose token no watch has are dropped and counted.
# Driven through tests/modules/pvxen-xs-test.ko (hold, lastval).

# shellcheck disable=SC1091 # tests/guest/*.sh, found at run time
. "$(dirname "$0")/lib.sh"
# shellcheck disable=SC1091
. "$(dirname "$0")/blk-lib.sh"

CORE=$PVXEN_MODDIR/pvxen-core.ko
TEST=$PVXEN_MODDIR/pvxen-xs-test.ko
DBG=/sys/kernel/debug
CMD=$DBG/pvxen-xs-test/cmd
XS=$DBG/pvxen/xenstore
WATCHES=$DBG/pvxen/xenstore-watches
FAULT=$DBG/pvxen/xenstore-fault
N=${XS_FLOOD_N:-100000}
# Distinct nodes for the overflow part (each one a node in xenstore).
M=200
# What the flood may cost in unreclaimable slab: the 256 KiB a watch's
# queue can hold at most (64 events of at most 4 KiB), and as much again
# for whatever else the kernel does meanwhile.
BOUND_KB=512
ONE=pvxenflood
MANY=pvxenmany

xs() {
	echo "$*" >$CMD
	cat $CMD
}
xstat() { awk -v k="$1" '$1 == k { print $2 }' $XS 2>/dev/null; }
sunreclaim() { awk '$1 == "SUnreclaim:" { print $2 }' /proc/meminfo; }
# watchfield PATH N: field N of the test watch's xenstore-watches line
# (2: queued now, 3: most ever queued).
watchfield() { awk -v p="$1" -v f="$2" '$4 == p { print $f }' $WATCHES 2>/dev/null; }
nevents() {
	_r=$(xs events)
	_r=${_r#OK }
	echo "${_r%% *}"
}
lastpath() { xs events | cut -d" " -f3; }
held() { [ "$(xs held)" = "OK 1" ]; }
events_ge() { [ "$(nevents)" -ge "$1" ]; }
events_eq() { [ "$(nevents)" -eq "$1" ]; }
lastval_is() { [ "$(xs lastval)" = "OK $1" ]; }
unknown_ge() { [ "$(xstat watch_unknown)" -ge "$1" ]; }
nonneg() { case "$1" in '' | *[!0-9]*) return 1 ;; esac; }

plan 17

loaded pvxen_core || insmod "$CORE"
check "insmod pvxen-xs-test" 'insmod "$TEST"'
limit=$(xstat watch_queue_limit)
check "debugfs reports the watch queue limit, high-water mark and drops ('$limit')" \
	'nonneg "$limit" && nonneg "$(xstat watch_queued_max)" && [ -r $WATCHES ] && nonneg "$(xstat watch_unknown)" && nonneg "$(xstat watch_dropped)"'
limit=${limit:-64}

# 1. One node, rewritten N times by dom0, while the thread is held.
xs rm data/$ONE >/dev/null
xs write data/$ONE 0 >/dev/null
xs watch data/$ONE >/dev/null
until_ok 10 events_ge 1
xs hold 1 >/dev/null
xs write data/$ONE 0 >/dev/null
check "a callback holds the watch thread" 'until_ok 20 held'
u0=$(sunreclaim)
c0=$(xstat watch_coalesced)
e0=$(xstat watch_events)
# In the background, with a line every 60 s meanwhile: the run's stall
# watchdog speaks up after 240 s without one, and its dump is a burst on
# the console.
BG_DIR=/tmp/xswatch
PVXEN_DO_WAIT=1800
bg flood pvxen_do xs-flood $ONE "$N"
until until_ok 60 [ -s $BG_DIR/flood.rc ]; do
	diag "flooding: $(($(xstat watch_events) - e0)) events received so far"
done
unset PVXEN_DO_WAIT
rc=$(cat $BG_DIR/flood.rc)
r=$(cat $BG_DIR/flood.out)
diag "dom0: $r"
check "dom0 wrote data/$ONE $N times (rc $rc)" '[ $rc -eq 0 ]'
# Every event xenstored sent is in: they came in the ring before the
# reply that brought pvxen_do dom0's answer.  xenstored itself drops an
# event identical to one still in its queue for us, so we get up to N.
e1=$(xstat watch_events)
u1=$(sunreclaim)
q=$(watchfield data/$ONE 3)
c1=$(xstat watch_coalesced)
diag "received $((e1 - e0)) events, $((c1 - c0)) merged, at most $q queued; SUnreclaim $u0 -> $u1 kB"
check "all $((e1 - e0)) events received but the first merged into it ($((c1 - c0)))" \
	'[ $((e1 - e0)) -ge 1 ] && [ $((c1 - c0)) -eq $((e1 - e0 - 1)) ]'
check "at most one event queued for the one node (high-water $q, limit $limit)" \
	'nonneg "$q" && [ "$q" -le 1 ] && [ "$q" -le "$limit" ]'
check "unreclaimable slab grew by at most $BOUND_KB kB ($((u1 - u0)) kB)" \
	'[ $((u1 - u0)) -le $BOUND_KB ]'
xs hold 0 >/dev/null
check "the watch delivers the last value, $N, after the flood ('$(xs lastval)')" \
	'until_ok 30 lastval_is "$N"'

# 2. M distinct nodes: past the limit, events are dropped and one event
# for the watched path itself waits behind the rest.
xs unwatch >/dev/null
xs rm data/$MANY >/dev/null
xs mkdir data/$MANY >/dev/null
xs watch data/$MANY >/dev/null
until_ok 10 events_ge 1
n0=$(nevents)
xs hold 1 >/dev/null
xs write data/$MANY "" >/dev/null
until_ok 20 held
d0=$(xstat watch_dropped)
s0=$(xstat watch_resyncs)
e0=$(xstat watch_events)
r=$(PVXEN_DO_WAIT=600 pvxen_do xs-flood $MANY $M distinct)
rc=$?
diag "dom0: $r"
check "dom0 wrote $M nodes below data/$MANY (rc $rc)" '[ $rc -eq 0 ]'
e1=$(xstat watch_events)
q=$(watchfield data/$MANY 3)
d1=$(xstat watch_dropped)
s1=$(xstat watch_resyncs)
diag "received $((e1 - e0)) events; high-water $q, $((d1 - d0)) dropped, $((s1 - s0)) resync events"
check "the queue filled up to the limit, no further ($q of $limit)" \
	'[ "$q" = "$limit" ]'
check "all but $((limit - 1)) of the $((e1 - e0)) events dropped, one event for data/$MANY queued ($((d1 - d0)), $((s1 - s0)))" \
	'[ $((d1 - d0)) -eq $((e1 - e0 - limit + 1)) ] && [ $((s1 - s0)) -eq 1 ]'
xs hold 0 >/dev/null
want=$((n0 + 1 + limit))
until_ok 60 events_ge $want
sleep 0.5
check "after the flood: $((limit - 1)) nodes, then data/$MANY itself, last ($(nevents) of $want, '$(lastpath)')" \
	'events_eq $want && [ "$(lastpath)" = data/$MANY ]'

# 3. Events whose token no watch has (fault injection: the next 3 watch
# events get a token of no watch of ours) are dropped and counted.
xs unwatch >/dev/null
xs watch data/$ONE >/dev/null
until_ok 10 events_ge 1
sleep 0.3
n0=$(nevents)
k0=$(xstat watch_unknown)
echo "bad_token 3" >$FAULT
for v in a b c; do
	xs write data/$ONE $v >/dev/null
done
until_ok 10 unknown_ge $((k0 + 3))
sleep 0.3
k1=$(xstat watch_unknown)
check "3 events with an unknown token dropped and counted ($((k1 - k0)))" \
	'[ $((k1 - k0)) -eq 3 ]'
check "none of them reached a callback ($(nevents) events, $n0 before)" \
	'events_eq "$n0"'
xs write data/$ONE d >/dev/null
check "the next event is delivered ('$(xs lastval)')" 'until_ok 10 lastval_is d'

xs unwatch >/dev/null
xs rm data/$ONE >/dev/null
xs rm data/$MANY >/dev/null
check "nothing left queued, rmmod pvxen-xs-test" \
	'[ "$(xstat watch_queued)" = 0 ] && rmmod pvxen_xs_test'
check_splats
