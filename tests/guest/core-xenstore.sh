#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# pvxen-core's xenstore client, in a domU on real Xen (run by the harness),
# driven through tests/modules/pvxen-xs-test.ko (see its header for the
# debugfs commands).  Needs $PVXEN_DOMU, the domU's name in the xl config.

# shellcheck disable=SC1091 # tests/guest/lib.sh, found at run time
. "$(dirname "$0")/lib.sh"

CORE=$PVXEN_MODDIR/pvxen-core.ko
TEST=$PVXEN_MODDIR/pvxen-xs-test.ko
DBG=/sys/kernel/debug
CMD=$DBG/pvxen-xs-test/cmd
XS=$DBG/pvxen/xenstore
FAULT=$DBG/pvxen/xenstore-fault
TMO=/sys/module/pvxen_core/parameters/xs_timeout_ms
D=data/pvxen-test
CYCLES=10

# xs CMD...: run a test-module command, print its result line.
xs() {
	echo "$*" >$CMD
	cat $CMD
}
stat() { awk -v k="$1" '$1 == k { print $2 }' $XS 2>/dev/null; }
is_num() { case "$1" in '' | *[!0-9]*) return 1 ;; esac; }

# Wait (up to 5 s) until "events" reports at least $1 events.
events_at_least() {
	i=0
	while :; do
		r=$(xs events)
		n=${r#OK }
		n=${n%% *}
		[ "${r%% *}" = OK ] && [ "$n" -ge "$1" ] && return 0
		i=$((i + 1))
		[ $i -gt 50 ] && return 1
		sleep 0.1
	done
}

plan 36

loaded pvxen_core || insmod "$CORE"
check "pvxen-core loaded" 'loaded pvxen_core'
check "insmod pvxen-xs-test" 'insmod "$TEST"'
check "debugfs pvxen/xenstore: connected" '[ "$(stat state)" = connected ]'
base_watches=$(stat watches)
diag "xenstore: port $(stat port), server features $(stat server_features), $base_watches watches (xenbus)"

# Identity: the domain's own keys agree with each other and the xl config.
r=$(xs read domid)
domid=${r#OK }
check "read domid: a number ('$r')" 'is_num "$domid"'
diag "domid $domid, name '$PVXEN_DOMU'"
check "read name = $PVXEN_DOMU" '[ "$(xs read name)" = "OK $PVXEN_DOMU" ]'
check "/local/domain/$domid/name = $PVXEN_DOMU" \
	'[ "$(xs read "/local/domain/$domid/name")" = "OK $PVXEN_DOMU" ]'
check "/local/domain/$domid/domid = $domid" \
	'[ "$(xs read "/local/domain/$domid/domid")" = "OK $domid" ]'
check "scanf %u of domid = $domid" '[ "$(xs scanu domid)" = "OK $domid" ]'
check "domid is a domU's (> 0)" '[ "${domid:-0}" -gt 0 ]'

# Basic operations under data/, which the domU may write.
xs rm $D >/dev/null
check "write" '[ "$(xs write $D/a hello world)" = OK ]'
check "read back" '[ "$(xs read $D/a)" = "OK hello world" ]'
check "mkdir" '[ "$(xs mkdir $D/dir)" = OK ]'
check "directory lists both" '[ "$(xs dir $D)" = "OK a dir" ]'
check "exists" '[ "$(xs exists $D/dir)" = "OK 1" ]'
check "rm" '[ "$(xs rm $D/a)" = OK ]'
check "read after rm: ENOENT" '[ "$(xs read $D/a)" = "ERR -2" ]'
check "owner of a new node is this domain" \
	'[ "$(xs perms $D/dir)" = "OK n$domid" ]'
check "set perms" '[ "$(xs setperms $D/dir "n$domid" r0)" = OK ]'
check "get perms back" '[ "$(xs perms $D/dir)" = "OK n$domid r0" ]'
check "write to dom0's home: EACCES" \
	'[ "$(xs write /local/domain/0/pvxen-test x)" = "ERR -13" ]'
check "invalid path refused: EINVAL" '[ "$(xs read $D/a.b)" = "ERR -22" ]'

# Watches: one event at registration, one per write, none after unwatch.
xs write $D/w 0 >/dev/null
check "watch" '[ "$(xs watch $D/w)" = OK ]'
events_at_least 1
sleep 0.3
check "watch fires once when registered ('$(xs events)')" \
	'[ "$(xs events | cut -d" " -f2)" = 1 ]'
check "debugfs: one more watch" '[ "$(stat watches)" = $((base_watches + 1)) ]'
xs write $D/w 1 >/dev/null
check "write then watch event" 'events_at_least 2'
check "event names the node" '[ "$(xs events | cut -d" " -f3)" = "$D/w" ]'
xs unwatch >/dev/null
n=$(xs events | cut -d' ' -f2)
xs write $D/w 2 >/dev/null
sleep 0.3
check "no event after unwatch, watch count back" \
	'[ "$(xs events | cut -d" " -f2)" = "$n" ] && \
	[ "$(stat watches)" = "$base_watches" ]'

# Transactions: an overtaken transaction gets EAGAIN and its re-run lands.
xs write $D/cnt 10 >/dev/null
r=$(xs txrace $D/cnt)
diag "txrace: $r (retries)"
check "racing transactions: one retried ('$r')" \
	'[ "${r%% *}" = OK ] && [ "${r#OK }" -ge 1 ]'
check "both increments landed (10 + 2)" '[ "$(xs read $D/cnt)" = "OK 12" ]'
r=$(xs txthreads $D/cnt2 20)
diag "two threads x 20 transactional increments: $r (retries)"
check "two threads x 20 increments = 40" '[ "$(xs read $D/cnt2)" = "OK 40" ]'
r=$(xs stress $D/s 25)
check "8 concurrent callers x 25 write+read, each its own reply ('$r')" \
	'[ "$r" = "OK 200" ]'

# Lost, late and malformed replies (pvxen-core's fault injection).
old_tmo=$(cat $TMO)
echo 300 >$TMO
t0=$(stat timeouts)
echo "drop 1" >$FAULT
r1=$(xs read domid)
echo "stall 1000" >$FAULT
d0=$(stat discarded)
r2=$(xs read domid)
sleep 1.2
echo "$old_tmo" >$TMO
check "lost and late replies: ETIMEDOUT ('$r1', '$r2'), counted" \
	'[ "$r1" = "ERR -110" ] && [ "$r2" = "ERR -110" ] && \
	[ "$(stat timeouts)" = $((t0 + 2)) ]'
check "the late reply was discarded, the next request works" \
	'[ "$(stat discarded)" -gt "$d0" ] && [ "$(xs read domid)" = "OK $domid" ]'
m0=$(stat malformed)
echo "bad_type 1" >$FAULT
r=$(xs read domid)
check "reply of the wrong type: EIO ('$r'), counted, next one works" \
	'[ "$r" = "ERR -5" ] && [ "$(stat malformed)" = $((m0 + 1)) ] && \
	[ "$(xs read domid)" = "OK $domid" ]'

xs rm $D >/dev/null
check "rmmod pvxen-xs-test; nothing in flight, no watch left" \
	'rmmod pvxen_xs_test && [ "$(stat in_flight)" = 0 ] && \
	[ "$(stat watches)" = "$base_watches" ]'
diag "$(tr '\n' ' ' <$XS)"

# The ring carries on across reloads of pvxen-core.
fail=
i=1
while [ $i -le $CYCLES ]; do
	if ! { rmmod pvxen_core && insmod "$CORE" && insmod "$TEST"; }; then
		fail="load #$i"
		break
	fi
	r=$(xs read domid)
	rmmod pvxen_xs_test
	[ "$r" = "OK $domid" ] || {
		fail="read #$i: '$r'"
		break
	}
	i=$((i + 1))
done
[ -n "$fail" ] && diag "failed at $fail"
check "$CYCLES reloads of pvxen-core, xenstore answers each time" '[ -z "$fail" ]'
