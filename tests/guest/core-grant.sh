#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# pvxen-core grant tables on real Xen, in a domU, with dom0 as the peer.
# Drives tests/modules/pvxen-gnttab-test.ko through debugfs; dom0's side
# is tests/tools/gntpeer, started by the dom0 agent (tests/harness/dom0-init)
# when this test prints "PVXEN-REQ <mailbox ref> <command> <arg>", and
# answering in a mailbox page this domU granted dom0.
#
#  (a) a page granted to dom0, which maps it and reads it back
#  (d) revoking a grant dom0 still maps defers the page, reclaimed once
#      dom0 unmaps
#  (b) a page dom0 granted (gntalloc) mapped here: contents, p2m override
#  (e) grant copy in, self to self, out and back
#  (c) ref exhaustion and the waiter callback; callbacks run in process
#      context, and cancelling a waiter waits for its running callback
#  and the debugfs accounting is back where it started;
#  (f) unloading while dom0 maps our pages leaks them, the reload reclaims
#      the refs when dom0 lets go.
# PVXEN_GRANT_PEER=none: no dom0 agent answers (two minixen domains with
# no peer domain): (a), (d), (b), (e) and (f) are reported as SKIP, the
# local parts ((c), accounting, reload) run as with dom0.

# shellcheck disable=SC1091 # tests/guest/lib.sh, found at run time
. "$(dirname "$0")/lib.sh"

CORE=$PVXEN_MODDIR/pvxen-core.ko
TESTMOD=$PVXEN_MODDIR/pvxen-gnttab-test.ko
T=/sys/kernel/debug/pvxen-gnttab-test
G=/sys/kernel/debug/pvxen/grant
WAIT=${PVXEN_GRANT_WAIT:-30}	# seconds dom0 has to answer
PEER=${PVXEN_GRANT_PEER:-dom0}	# dom0 | none
ACCT="refs_in_use deferred_pages maps_active unpopulated_pages p2m_overrides waiters"

# ctl CMD...: run a test-module command, print its result.
ctl() { echo "$*" >$T/ctl && cat $T/ctl; }
# val KEY WORDS: the value of KEY=value among WORDS.
val() {
	for _w in $2; do
		case "$_w" in "$1"=*) echo "${_w#*=}"; return 0 ;; esac
	done
	return 1
}
stat() { awk -v k="$1" '$1 == k { print $2 }' $G; }
mbox() { cat $T/mbox; }
# wait_state N: until the mailbox state is N (at most WAIT seconds; after
# dom0 failed to answer once, 2 s, so that a missing agent fails fast).
wait_state() {
	_n=0
	until [ "$(val state "$(mbox)")" = "$1" ]; do
		_n=$((_n + 1))
		if [ $_n -gt $((WAIT * 10)) ]; then
			diag "dom0 did not answer in $WAIT s: $(mbox)"
			WAIT=2
			return 1
		fi
		sleep 0.1
	done
}
# wait_stat KEY VALUE SECONDS
wait_stat() {
	_n=0
	until [ "$(stat "$1")" = "$2" ]; do
		_n=$((_n + 1))
		[ $_n -le $(($3 * 10)) ] || return 1
		sleep 0.1
	done
}
# req CMD ARG: ask dom0 (mailbox re-armed first).
req() {
	ctl mbox 0 >/dev/null || return 1
	up "request $*"
	echo "PVXEN-REQ $MB $*"
}
is_ref() { case "$1" in '' | *[!0-9]*) return 1 ;; esac && [ "$1" -ge 8 ]; }
up() { diag "$1 at $(cut -d" " -f1 /proc/uptime) s"; }
acct() { for k in $ACCT; do printf '%s=%s ' "$k" "$(stat "$k")"; done; }
# with_peer PART N WHAT: true if dom0 is there to be the peer; else PART's
# N results are reported as SKIP and false returned.
with_peer() {
	[ "$PEER" != none ] && return 0
	_i=0
	while [ $_i -lt "$2" ]; do
		_i=$((_i + 1))
		ok 0 "$1 $3 ($_i/$2) # SKIP no dom0 peer (PVXEN_GRANT_PEER=none)"
	done
	return 1
}

plan 52

# Kernel messages since this test started (earlier tests' are not ours).
DMESG0=$(dmesg | wc -l)
newdmesg() { dmesg | tail -n +$((DMESG0 + 1)); }

grep -q '^pvxen_core ' /proc/modules && rmmod pvxen_core
insmod "$CORE"
rc=$?
[ $rc -eq 0 ] || dmesg | tail -n 20 | while read -r l; do diag "$l"; done
ok $rc "insmod pvxen-core"
check "insmod pvxen-gnttab-test" 'insmod "$TESTMOD"'
frames=$(stat frames)
max=$(stat max_frames)
diag "grant table: $frames frame(s), up to $max"
[ -n "$frames" ] &&
	[ "$frames" -ge 1 ] &&
	[ "$max" -ge "$frames" ]
ok $? "debugfs grant: $frames frame(s) mapped, max $max"
base=$(acct)
diag "accounting before: $base"

r=$(ctl mbox 0)
MB=$(val ref "$r")
check "mailbox page granted to dom0 (ref $MB)" 'is_ref "$MB"'

# (a) granted to dom0, read back there.
if with_peer "(a)" 3 "a page granted to dom0, read back there"; then
	up "(a)"
	r=$(ctl grant 0 0x1234 1)
	slot=$(val slot "$r")
	ref=$(val ref "$r")
	fnv=$(val fnv "$r")
	check "(a) page with pattern granted read-only to dom0 (ref $ref)" 'is_ref "$ref"'
	req read "$ref"
	wait_state 3
	a=$(mbox)
	diag "dom0: $a"
	[ "$(val status "$a")" = 0 ] &&
		[ "$(val fnv "$a")" = "$fnv" ]
	ok $? "(a) dom0 mapped ref $ref and read back fnv $fnv"
	check "(a) end access after dom0 unmapped: freed at once" '[ "$(val ended "$(ctl end "$slot")")" = 1 ]'
fi

# (d) revoke while dom0 still maps it: deferred, then reclaimed.
if with_peer "(d)" 6 "revoking a grant dom0 maps: deferred, reclaimed"; then
	up "(d)"
	d0=$(stat deferred_pages)
	r=$(ctl grant 0 0x777 1)
	slot=$(val slot "$r")
	ref=$(val ref "$r")
	fnv=$(val fnv "$r")
	req hold "$ref"
	wait_state 1
	a=$(mbox)
	[ "$(val status "$a")" = 0 ] &&
		[ "$(val fnv "$a")" = "$fnv" ]
	ok $? "(d) dom0 holds ref $ref mapped (fnv matches)"
	check "(d) end access while dom0 maps it: deferred" '[ "$(val ended "$(ctl end "$slot")")" = 0 ]'
	check "(d) debugfs deferred_pages $d0 -> $(stat deferred_pages)" '[ "$(stat deferred_pages)" = $((d0 + 1)) ]'
	t0=$(stat deferred_retries)
	sleep 1
	[ "$(stat deferred_pages)" = $((d0 + 1)) ] &&
		[ "$(stat deferred_retries)" -gt "$t0" ]
	ok $? "(d) still deferred after 1 s, retried ($t0 -> $(stat deferred_retries))"
	echo release >$T/mbox
	wait_state 3
	check "(d) dom0 unmapped ref $ref on release" '[ "$(val unmapped "$(mbox)")" = 1 ]'
	wait_stat deferred_pages "$d0" 5
	check "(d) deferred page reclaimed after dom0 unmapped" '[ "$(stat deferred_pages)" = "$d0" ]'
fi

# (b) a page dom0 granted us, mapped here.
if with_peer "(b)" 7 "a page dom0 granted, mapped here"; then
	up "(b)"
	req share 0x4242
	wait_state 1
	a=$(mbox)
	dref=$(val ref "$a")
	dfnv=$(val fnv "$a")
	diag "dom0: $a"
	[ "$(val status "$a")" = 0 ] &&
		[ -n "$dref" ]
	ok $? "(b) dom0 granted a page (gntalloc ref $dref)"
	r=$(ctl map 0 "$dref" "$dfnv")
	diag "map: $r"
	[ "$(val map "$r")" = 0 ] &&
		[ "$(val status "$r")" = 0 ]
	ok $? "(b) map_grant_ref of dom0's ref $dref"
	check "(b) mapped page holds dom0's pattern" '[ "$(val content "$r")" = ok ]'
	check "(b) pvxen_pfn_to_bfn(local page) = map's dev_bus_addr frame" '[ "$(val p2m "$r")" = ok ]'
	check "(b) translation core through pvxen_p2m_lookup agrees" '[ "$(val xlate "$r")" = ok ]'
	check "(b) unmap_grant_ref" '[ "$(val unmap "$r")" = 0 ]'
	check "(b) p2m override gone after unmap" '[ "$(val gone "$r")" = ok ]'
fi

# (e) grant copy, with dom0's page as the foreign side.
if with_peer "(e)" 4 "grant copy with dom0's page"; then
	up "(e)"
	r=$(ctl copy 0 "$dref" "$dfnv" 0x99)
	diag "copy: $r"
	check "(e) GNTTABOP_copy from dom0's grant" '[ "$(val in "$r")" = ok ]'
	check "(e) GNTTABOP_copy self to self" '[ "$(val self "$r")" = ok ]'
	[ "$(val out "$r")" = ok ] &&
		[ "$(val back "$r")" = ok ]
	ok $? "(e) GNTTABOP_copy into dom0's grant and back"
	echo release >$T/mbox
	wait_state 3
	a=$(mbox)
	diag "dom0: $a"
	[ "$(val status "$a")" = 0 ] &&
		[ "$(val final "$a")" = "$(val outfnv "$r")" ]
	ok $? "(e) dom0 sees what we copied into its page"
fi

# (c) exhaustion and waiters.
up "(c)"
r=$(ctl exhaust)
diag "exhaust: $r"
check "(c) every ref allocated, table grown to max_frames ($(val allocated "$r") refs)" \
	'[ "$(val full "$r")" = ok ]'
check "(c) waiter queued while refs ran out" '[ "$(val queued "$r")" = ok ]'
[ "$(val early "$r")" = 0 ] &&
	[ "$(val one "$r")" = 0 ] &&
	[ "$(val called "$r")" = 1 ] &&
	[ "$(val cbref "$r")" = ok ]
ok $? "(c) waiter for 2 refs: not called at 0 or 1 free, called once at 2"
[ "$(val batchfull "$r")" = ok ] && [ "$(val batch "$r")" = ok ]
ok $? "(c) batch of 2 refs: refused with 1 free (none taken), granted with 2"
check "(c) waiter satisfiable at once is called at once" \
	'[ "$(val immediate "$r")" = ok ]'
check "(c) all refs given back" '[ "$(val waiters "$r")" = 0 ]'
r=$(ctl waiters)
diag "waiters: $r"
check "(c) a ref freed under an IRQs-off spinlock calls its waiter later, in process context with IRQs on" \
	'[ "$(val ctx "$r")" = ok ]'
check "(c) cancelling a waiter whose slow callback runs returns after the callback finished" \
	'[ "$(val cancelwait "$r")" = ok ]'
check "(c) the cancelled callback's own wait again is dropped: nothing queued, not called again" \
	'[ "$(val requeue "$r")" = ok ]'
r=$(ctl stress 5000)
check "(c) 2 threads x 5000 grant/end + alloc/free rounds at once: no errors" \
	'[ "$(val errors "$r")" = 0 ]'
wc=$(cat /sys/kernel/pvxen/wallclock)
check "(c) shared_info (window's last frame) intact after growth: wallclock $wc" \
	'[ "${wc:-0}" -gt 1577836800 ]'

# Accounting.
up "accounting"
check "mailbox grant ended" 'ctl mbox_end'
check "rmmod pvxen-gnttab-test" 'rmmod pvxen_gnttab_test'
wait_stat deferred_pages "$(val deferred_pages "$base")" 5
after=$(acct)
diag "accounting after:  $after"
check "debugfs accounting back to where it started" '[ "$after" = "$base" ]'
! newdmesg | grep -q 'pvxen: .*\(leak\|could not\|cannot\|refused\)'
ok $? "dmesg: no leak or failure warnings"
check "rmmod pvxen_core" 'rmmod pvxen_core'

# Reload: Xen kept its (now grown) table; every frame comes back, nothing stale.
up "reload"
n_stale=$(dmesg | grep -c 'pvxen: grant table: .*stale')
check "reload pvxen-core" 'insmod "$CORE"'
[ "$(stat frames)" = "$max" ] &&
	[ "$(stat refs_in_use)" = 0 ] &&
	[ "$(dmesg | grep -c 'pvxen: grant table: .*stale')" = "$n_stale" ]
ok $? "reload: all $(stat frames) of Xen's frames mapped again, none stale"

# (f) Unloading while dom0 still maps our pages: pvxen-core leaks them with
# a warning instead of freeing them; the next load finds the grants still
# in use and reclaims their refs once dom0 lets go.
if with_peer "(f)" 8 "unloading while dom0 maps our pages, the reload"; then
	up "(f)"
	check "(f) insmod pvxen-gnttab-test" 'insmod "$TESTMOD"'
	MB=$(val ref "$(ctl mbox 0)")
	r=$(ctl grant 0 0x31 1)
	slot=$(val slot "$r")
	ref=$(val ref "$r")
	req hold "$ref"
	wait_state 1
	check "(f) dom0 holds ref $ref (and the mailbox, ref $MB)" \
		'[ "$(val status "$(mbox)")" = 0 ]'
	ctl end "$slot" >/dev/null
	rmmod pvxen_gnttab_test
	check "(f) both grants deferred" '[ "$(stat deferred_pages)" = 2 ]'
	n_leak=$(dmesg | grep -c 'pvxen: grant ref .* still mapped by domain 0 at unload: leaking')
	check "(f) rmmod pvxen_core with grants dom0 still maps" 'rmmod pvxen_core'
	check "(f) unload warned it leaks both" \
		'[ "$(dmesg | grep -c "pvxen: grant ref .* still mapped by domain 0 at unload: leaking")" = $((n_leak + 2)) ]'
	check "(f) reload pvxen-core" 'insmod "$CORE"'
	dmesg | grep 'pvxen: grant table: .*stale' | tail -n 1 | while read -r l; do diag "$l"; done
	[ "$(stat deferred_pages)" = 2 ] && [ "$(stat refs_in_use)" = 2 ]
	ok $? "(f) reload found both grants still in use, refs held back"
	echo "PVXEN-REQ $MB release 0"
	wait_stat deferred_pages 0 "$WAIT"
	[ "$(stat deferred_pages)" = 0 ] && [ "$(stat refs_in_use)" = 0 ]
	ok $? "(f) refs reclaimed once dom0 unmapped"
fi
rmmod pvxen_core

# The kernel's own checkers (lockdep, list debugging, atomic sleep and, in
# the debug kernel, kmemleak) saw nothing.
KBAD='WARNING:|BUG:|circular locking|inconsistent lock|list_(add|del) corruption'
newdmesg | grep -E "$KBAD" | head -n 20 | while read -r l; do diag "$l"; done
! newdmesg | grep -qE "$KBAD"
ok $? "dmesg: no kernel warnings or lockdep reports"
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan >/sys/kernel/debug/kmemleak
	# Backtraces through the grant code or its test module only.
	ours='pvxen_gnttab|pvxen_p2m|pvxen_alloc_unpopulated|gnttab_test'
	leaks=$(grep -cE "$ours" /sys/kernel/debug/kmemleak)
	[ "$leaks" = 0 ] || grep -B12 -A4 -E "$ours" /sys/kernel/debug/kmemleak |
		head -n 40 | while read -r l; do diag "$l"; done
	check "kmemleak: nothing the grant code allocated leaked" '[ "$leaks" = 0 ]'
else
	ok 0 "kmemleak: not in this kernel # SKIP"
fi
