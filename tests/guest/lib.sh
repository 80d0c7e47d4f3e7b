# SPDX-License-Identifier: GPL-2.0-only
# TAP helpers for in-guest tests (busybox ash). Sourced by tests/guest/*.sh.
#
#   plan N           print the TAP plan
#   ok COND_RC DESC  "ok"/"not ok" from a return code (0 = pass)
#   check DESC EXPR  evaluate EXPR, one quoted shell expression (a
#                    compound condition goes inside the quotes, or into a
#                    function), pass if it exits 0. Any other number of
#                    arguments is a failed result: in `check D [ a ] && [ b ]`
#                    the shell would run `&& [ b ]` after the result.
#   diag TEXT        a TAP comment
#   loaded MODULE    true if MODULE (underscores) is in /proc/modules
#   until_ok SECONDS CMD..
#                    retry CMD every 0.1 s until it succeeds, at most
#                    SECONDS; its last exit status
#   bg NAME CMD..    run CMD in the background, its status to
#                    $BG_DIR/NAME.rc and its output to $BG_DIR/NAME.out
#   bg_wait NAME SECONDS
#                    CMD's status, or 124 if it still runs (it is left
#                    running: a task stuck in the kernel cannot be killed)
#   bounded SECONDS NAME CMD..
#                    bg, then bg_wait: give up waiting after SECONDS
#
# Tests find our modules in $PVXEN_MODDIR and may read $PVXEN_HOST_EPOCH
# (host time when the run started, seconds since the epoch).

PVXEN_MODDIR=${PVXEN_MODDIR:-/pvxen/modules}
_tap_n=0

plan() { echo "1..$1"; }
diag() { echo "# $*"; }

ok() {
	_tap_n=$((_tap_n + 1))
	if [ $# -ne 2 ]; then
		echo "not ok $_tap_n - $2 # ok takes RC and DESC, got $# words"
	elif [ "$1" -eq 0 ]; then
		echo "ok $_tap_n - $2"
	else
		echo "not ok $_tap_n - $2"
	fi
}

check() {
	if [ $# -ne 2 ]; then
		ok 1 "$1 # check takes DESC and one quoted expression, got $# words"
		return 1
	fi
	_check_desc=$1
	eval "$2"
	ok $? "$_check_desc"
}

loaded() { grep -q "^$1 " /proc/modules; }

# Nothing of ours stays open in a background command: one stuck for good
# in the kernel must not hold the test's output pipe.
BG_DIR=${BG_DIR:-/tmp/pvxen-bg}
bg() {
	_bg=$1
	shift
	mkdir -p "$BG_DIR"
	rm -f "$BG_DIR/$_bg.rc"
	("$@"; echo $? >"$BG_DIR/$_bg.rc") >"$BG_DIR/$_bg.out" 2>&1 </dev/null &
}

bg_wait() {
	until_ok "$2" [ -s "$BG_DIR/$1.rc" ] || return 124
	return "$(cat "$BG_DIR/$1.rc")"
}

bounded() {
	_s=$1
	shift
	bg "$@"
	bg_wait "$1" "$_s"
}

until_ok() {
	_u=$(($1 * 10))
	shift
	while ! "$@"; do
		_u=$((_u - 1))
		[ $_u -le 0 ] && return 1
		sleep 0.1
	done
}

# refused_params KO PREFIX PARAM...: each PARAM alone makes the load of
# module KO fail, with PREFIX's one line "NAME=VALUE is invalid:
# expected MIN..MAX" in dmesg (pvxen/param.h).  Returns how many did not
# (a load that succeeded is undone).
refused_params() {
	_ko=$1
	_pfx=$2
	shift 2
	_bad=0
	_load=insmod
	command -v insmod1 >/dev/null 2>&1 && _load=insmod1
	for _p in "$@"; do
		dmesg -c >/dev/null
		if $_load "$_ko" "$_p" 2>/dev/null; then
			diag "accepted $_p"
			rmmod "$(basename "$_ko" .ko | tr - _)"
			_bad=$((_bad + 1))
		elif ! dmesg | grep -q "$_pfx: ${_p%%=*}=.* is invalid: expected"; then
			diag "no clear line for $_p:"
			dmesg | tail -n 3 | sed 's/^/#   /'
			_bad=$((_bad + 1))
		fi
	done
	return $_bad
}

# check_splats: one result: dmesg has no kernel warning, oops, lockdep
# or list-debugging report (the debug flavour turns those on).
check_splats() {
	_re='WARNING:|BUG:|Oops|possible circular locking|inconsistent lock state|list_(add|del) corruption'
	_s=$(dmesg | grep -cE "$_re")
	[ "$_s" -eq 0 ]
	ok $? "no kernel warnings, oopses, lockdep or list-debug reports ($_s)"
	[ "$_s" -eq 0 ] || dmesg | grep -A20 -E "$_re" | head -60 | sed 's/^/# /'
}

# check_kmemleak: one result: no kmemleak report names pvxen (skipped on
# kernels without kmemleak).  Two scans: kmemleak reports an object only
# once it has stayed unreferenced across a scan.  A failing write means
# kmemleak has disabled itself, and then a clean report would prove
# nothing.
check_kmemleak() {
	_k=/sys/kernel/debug/kmemleak
	if [ ! -e $_k ]; then
		ok 0 "kmemleak check # SKIP no kmemleak in this kernel (debug flavour has it)"
		return
	fi
	echo scan >$_k && sleep 6 && echo scan >$_k
	_rc=$?
	_l=$(grep -c 'pvxen' $_k)
	[ $_rc -eq 0 ] && [ "$_l" -eq 0 ]
	ok $? "kmemleak active and no leak report names pvxen ($_l lines)"
	[ "$_l" -eq 0 ] || grep -B2 -A12 'unreferenced object' $_k |
		head -60 | sed 's/^/# /'
}

# pvxen_gauges: pvxen-core's resource gauges from debugfs (event ports,
# xenstore requests and watches, grant refs, maps, p2m overrides,
# ballooned pages, waiters): values a load/unload cycle must bring back.
pvxen_gauges() {
	_g=/sys/kernel/debug/pvxen
	{
		grep -E '^(bound_ports|open_ports) ' $_g/events
		grep -E '^(in_flight|watches) ' $_g/xenstore
		grep -E '^(refs_in_use|deferred_pages|maps_active|unpopulated_pages|p2m_overrides|waiters) ' \
			$_g/grant
	} 2>/dev/null
}

# gauges_settle: wait (up to 60 s each) until no xenstore request is in
# flight and no grant waits in deferred reclaim, so that the gauges taken
# next are a baseline and not a moment: pvxen-core just loaded still reads
# xenstore for a while on a loaded host, and an earlier test's pages may
# still be held by its backend.  A diag line names what did not settle.
gauges_settle() {
	_g=/sys/kernel/debug/pvxen
	until_ok 60 grep -q '^in_flight 0$' $_g/xenstore ||
		echo "# gauges_settle: $(grep '^in_flight ' $_g/xenstore) after 60 s"
	until_ok 60 grep -q '^deferred_pages 0$' $_g/grant ||
		echo "# gauges_settle: $(grep '^deferred_pages ' $_g/grant) after 60 s"
}

# steady_gauges: pvxen_gauges taken while no xenstore request is in
# flight: one may start between a settle and the snapshot (a watch that
# fires), so the snapshot itself is retried, for up to 60 s; after that
# the last one, in flight and all, which then compares unequal.
steady_gauges() {
	_sn=600
	while :; do
		_sg=$(pvxen_gauges)
		case $_sg in *"in_flight 0"*) break ;; esac
		_sn=$((_sn - 1))
		[ $_sn -gt 0 ] || break
		sleep 0.1
	done
	echo "$_sg"
}

# gauges_diff BEFORE: diag lines naming the gauges that differ from
# BEFORE (an earlier pvxen_gauges), with both values.
gauges_diff() {
	pvxen_gauges | while read -r _n _v; do
		_was=$(echo "$1" | awk -v n="$_n" '$1 == n { print $2 }')
		[ "$_v" = "$_was" ] || echo "# gauge $_n: $_v, was $_was"
	done
}
