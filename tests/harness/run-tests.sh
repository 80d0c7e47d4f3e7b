# SPDX-License-Identifier: GPL-2.0-only
# Sourced by the guest and dom0 /init scripts.
#
# pvxen_run_tests PREFIX TESTS...: run /pvxen/tests/NAME.sh for each
# name, relaying its output as "PVXEN-TAP PREFIXNAME: <line>" followed by
# "PVXEN-RC <exit status>", which tests/harness/qemu.py collects.
#
# A test that prints nothing for $PVXEN_STALL_S seconds (default 240) is
# reported once per stall as "PVXEN-STALL PREFIXNAME: ..." lines on the
# console: the kernel's list of blocked tasks (sysrq w) and the end of the
# kernel log, so that a hang leaves its stacks in the console log even
# when the harness later gives up on the run.  It changes no result.

#
# While a test is silent the watchdog also prints "PVXEN-ALIVE
# PREFIXNAME: no output for N s" every $PVXEN_ALIVE_S seconds (default
# 120; 0: never), so that a console silent for minutes means the guest
# (or the machine under it) stopped: xen-run takes that as a platform
# fault (--silence).
#
# Every 10 s the watchdog also has /pvxen/bin/conkick look at the
# console's output queue and restart it if it did not move (Xen's emulated
# UART can lose a transmit interrupt; see tests/tools/conkick.c); what it
# did is reported as TAP comments after the test's own lines.  It also
# passes on at once the kernel's report of a CPU whose timer interrupt
# never came (RCU: "Possible timer handling issue"), which xen-run takes
# as a platform fault (Documentation/testing.md).

# _pvxen_stall_watch NAME: the watchdog, until killed.
_pvxen_stall_watch() {
	_w_last=
	_w_idle=0
	rm -f /tmp/pvxen-conkick.state
	_w_timer=
	while sleep 10; do
		[ -x /pvxen/bin/conkick ] &&
			/pvxen/bin/conkick /dev/console /tmp/pvxen-conkick.state \
				>>/tmp/pvxen-conkick.log 2>&1
		if [ -z "$_w_timer" ]; then
			_w_timer=$(dmesg | grep -m1 "Possible timer handling issue")
			[ -z "$_w_timer" ] || echo "PVXEN-STALL $1: $_w_timer"
		fi
		_w_now=$(cat /tmp/pvxen-progress 2>/dev/null)
		if [ "$_w_now" != "$_w_last" ]; then
			_w_last=$_w_now
			_w_idle=0
			continue
		fi
		_w_idle=$((_w_idle + 10))
		_w_alive=${PVXEN_ALIVE_S:-120}
		[ "$_w_alive" -gt 0 ] && [ $((_w_idle % _w_alive)) -eq 0 ] &&
			echo "PVXEN-ALIVE $1: no output for $_w_idle s"
		[ "$_w_idle" -eq "${PVXEN_STALL_S:-240}" ] || continue
		echo "PVXEN-STALL $1: no output for $_w_idle s; blocked tasks and the kernel log follow"
		[ -w /proc/sysrq-trigger ] && echo w >/proc/sysrq-trigger
		sleep 1
		dmesg | tail -n 150 | sed "s/^/PVXEN-STALL $1: /"
	done
}

pvxen_run_tests() {
	_prefix=$1
	shift
	for _t in "$@"; do
		echo "PVXEN-BEGIN $_prefix$_t"
		_n=0
		echo $_n >/tmp/pvxen-progress
		_pvxen_stall_watch "$_prefix$_t" &
		_watch=$!
		{
			sh "/pvxen/tests/$_t.sh" 2>&1
			echo "PVXEN-RC $?"
		} | while IFS= read -r _line; do
			echo "PVXEN-TAP $_prefix$_t: $_line"
			_n=$((_n + 1))
			echo $_n >/tmp/pvxen-progress
		done
		kill $_watch 2>/dev/null
		wait $_watch 2>/dev/null
		if [ -s /tmp/pvxen-conkick.log ]; then
			sed "s/^/PVXEN-TAP $_prefix$_t: # conkick: /" /tmp/pvxen-conkick.log
			rm -f /tmp/pvxen-conkick.log
		fi
		echo "PVXEN-END $_prefix$_t"
	done
}
