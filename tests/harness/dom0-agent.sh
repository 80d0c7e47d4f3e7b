# SPDX-License-Identifier: GPL-2.0-only
#
# The dom0 agent, sourced by tests/harness/dom0-init (real Xen: it follows
# a domU's console through xenconsoled's log) and tests/harness/peer-init
# (minixen: the peer domain follows the hypervisor's console ring): it
# answers domU tests' requests (PVXEN-REQ, PVXEN-DO) and sets up what
# the domU tests expect of dom0.  The sourcing script defines say
# ("PVXEN-DOM0: ..." on its console).

# agent_domu_setup DOMID: device/pvxentest, owned by the domU, where the
# xenbus tests hotplug fake devices (libxl makes the rest of device/
# read-only to it).
agent_domu_setup() {
	xenstore-write "/local/domain/$1/device/pvxentest" "" &&
		xenstore-chmod "/local/domain/$1/device/pvxentest" "n$1"
}

# disk_setup NAME VDEV:MB:MODE[:DISK]: the loop-backed disk VDEV of domU
# NAME (xen-run --disk): a sparse file of MB MiB, /tmp/NAME-VDEV.img, or
# /tmp/disk-DISK.img shared by every disk named DISK (made once, kept
# when a domU goes), behind one loop device. Prints the loop device and
# records "FILE LOOP MODE" in /tmp/pvxen-disks/NAME/VDEV for the agent.
disk_setup() {
	_ds_domu=$1
	_ds_old=$IFS
	IFS=:
	# shellcheck disable=SC2086 # split on ':'
	set -- $2
	IFS=$_ds_old
	_ds_img=/tmp/$_ds_domu-$1.img
	[ -z "$4" ] || _ds_img=/tmp/disk-$4.img
	if [ ! -e "$_ds_img.loop" ]; then
		dd if=/dev/zero of="$_ds_img" bs=1M count=0 seek="$2" 2>/dev/null &&
			_ds_loop=$(losetup -f) &&
			losetup "$_ds_loop" "$_ds_img" &&
			echo "$_ds_loop" >"$_ds_img.loop" || return 1
	fi
	read -r _ds_loop <"$_ds_img.loop"
	mkdir -p "/tmp/pvxen-disks/$_ds_domu"
	echo "$_ds_img $_ds_loop $3" >"/tmp/pvxen-disks/$_ds_domu/$1"
	echo "$_ds_loop"
}

# pvxen_do NAME DOMID SEQ ACTION ARGS...: one request of a domU test
# ("PVXEN-DO <seq> <action> <args>" on its console, pvxen_do in
# tests/guest/blk-lib.sh). Runs ACTION if it is allowlisted and its
# arguments check out, and answers "<rc> <last line of output>" in the
# domU's /local/domain/DOMID/data/pvxen-do/SEQ (data/ is the domU's).
pvxen_do() {
	_do_name=$1 _do_id=$2 _do_seq=$3 _do_act=$4
	shift 4
	_do_out=$(pvxen_do_action "$@" 2>&1)
	_do_rc=$?
	_do_out=$(printf '%s\n' "$_do_out" | grep . | tail -n 1 |
		tr -cd ' -~' | cut -c1-200)
	say "agent: $_do_name ($_do_id): do $_do_seq $_do_act $*: $_do_rc $_do_out"
	xenstore-write "/local/domain/$_do_id/data/pvxen-do/$_do_seq" \
		"$_do_rc $_do_out" ||
		say "agent: $_do_name: cannot answer request $_do_seq"
}

# _do_until TENTHS MSG CMD...: run CMD every 0.1 s until it succeeds, at
# most TENTHS times; then say MSG and fail.
_do_until() {
	_du_n=$1 _du_msg=$2
	shift 2
	until "$@"; do
		_du_n=$((_du_n - 1))
		[ "$_du_n" -gt 0 ] || { echo "$_du_msg" && return 1; }
		sleep 0.1
	done
}

# pvxen_do_action ARGS...: the allowlist; $_do_name, $_do_id and $_do_act
# are the domU and the action. Disks are the domU's own, by vdev.
pvxen_do_action() {
	case $_do_act in
	block-detach | backing-sum | resize | backend-stat | vbd-features)
		_do_vdev=$1
		case $_do_vdev in
		xvd[a-z]) ;;
		*) echo "bad vdev '$_do_vdev'" && return 2 ;;
		esac
		[ -r "/tmp/pvxen-disks/$_do_name/$_do_vdev" ] ||
			{ echo "$_do_vdev: no such disk" && return 2; }
		read -r _do_img _do_loop _do_mode \
			<"/tmp/pvxen-disks/$_do_name/$_do_vdev"
		;;
	esac
	case $_do_act in
	block-detach)
		# Returns once the frontend let go (or xl gave up on it).
		xl block-detach "$_do_name" "$_do_vdev" && echo "detached $_do_vdev"
		;;
	block-attach)
		# VDEV:MB[:ro|rw[:DISK]]; a disk's file is kept across a detach,
		# so re-attaching the same vdev (or DISK) gives the same data.
		case $1 in
		xvd[a-z]:[0-9]*) ;;
		*) echo "bad spec '$1': VDEV:MB[:ro|rw[:DISK]]" && return 2 ;;
		esac
		_do_s=$1
		case $_do_s in
		*:*:*) ;;
		*) _do_s=$_do_s:rw ;;
		esac
		_do_mode=${_do_s#*:*:}
		_do_mode=${_do_mode%%:*}
		_do_mb=${_do_s#*:}
		_do_mb=${_do_mb%%:*}
		case $_do_mode in ro | rw) ;; *) echo "bad mode" && return 2 ;; esac
		case $_do_mb in *[!0-9]* | ?????*) echo "bad size" && return 2 ;; esac
		if [ "$_do_mb" -lt 1 ] || [ "$_do_mb" -gt 4096 ]; then
			echo "bad size"
			return 2
		fi
		_do_loop=$(disk_setup "$_do_name" "$_do_s") || return 1
		xl block-attach "$_do_name" "format=raw,vdev=${_do_s%%:*},access=$_do_mode,script=pvxen-block,target=$_do_loop" &&
			echo "attached ${_do_s%%:*} $_do_loop"
		;;
	backing-sum)
		sha256sum "$_do_img" | cut -d" " -f1
		;;
	resize)
		# Grow the file; blkback sees the loop device's new size on its
		# next request and writes the new "sectors" for the frontend.
		case $2 in '' | *[!0-9]* | ?????*) echo "bad size '$2'" && return 2 ;; esac
		_do_cur=$(stat -c %s "$_do_img") || return 1
		if [ "$2" -gt 4096 ] || [ $(($2 * 1048576)) -le "$_do_cur" ]; then
			echo "can only grow ($_do_cur bytes now)"
			return 2
		fi
		dd if=/dev/zero of="$_do_img" bs=1M count=0 seek="$2" 2>/dev/null &&
			losetup -c "$_do_loop" &&
			echo "$_do_vdev: $(($(blockdev --getsize64 "$_do_loop") / 512)) sectors"
		;;
	backend-stat)
		# blkback's counters of the vbd whose backend "dev" is VDEV.
		case $2 in
		rd_req | wr_req | f_req | ds_req | oo_req | rd_sect | wr_sect) ;;
		*) echo "bad counter '$2'" && return 2 ;;
		esac
		_do_be=/local/domain/0/backend/vbd/$_do_id
		for _do_dev in $(xenstore-list "$_do_be" 2>/dev/null); do
			[ "$(xenstore-read "$_do_be/$_do_dev/dev")" = "$_do_vdev" ] ||
				continue
			cat "/sys/bus/xen-backend/devices/vbd-$_do_id-$_do_dev/statistics/$2"
			return
		done
		echo "$_do_vdev: no backend"
		return 1
		;;
	xs-flood)
		# NODE N [distinct]: a backend flooding the domU's watches:
		# write its data/NODE N times (or N nodes data/NODE/<i>).
		[ -x /pvxen/bin/xsflood ] ||
			{ echo "no /pvxen/bin/xsflood" && return 127; }
		/pvxen/bin/xsflood "$_do_id" "$@"
		;;
	cpu-stat)
		# dom0's CPU time so far: the numbers of /proc/stat's "cpu"
		# line (make bench: how busy the backend was during a job).
		awk '$1 == "cpu" { $1 = ""; print; exit }' /proc/stat
		;;
	vbd-features)
		# What the frontend and blkback of VDEV negotiated (make bench:
		# persistent grants, indirect segments, queues).
		_do_be=/local/domain/0/backend/vbd/$_do_id
		for _do_dev in $(xenstore-list "$_do_be" 2>/dev/null); do
			[ "$(xenstore-read "$_do_be/$_do_dev/dev")" = "$_do_vdev" ] ||
				continue
			_do_fe=$(xenstore-read "$_do_be/$_do_dev/frontend")
			for _do_k in fe:feature-persistent \
				be:feature-persistent \
				be:feature-max-indirect-segments \
				fe:multi-queue-num-queues fe:ring-page-order; do
				_do_p=$_do_be/$_do_dev
				[ "${_do_k%%:*}" = fe ] && _do_p=$_do_fe
				printf '%s=%s ' "$_do_k" \
					"$(xenstore-read "$_do_p/${_do_k#*:}" 2>/dev/null ||
						echo -)"
			done
			echo
			return
		done
		echo "$_do_vdev: no backend"
		return 1
		;;
	kprobe-start)
		# Count calls of dom0 kernel functions (FUNC...; make bench's
		# experiments: how often blkback maps grants): one kprobe event
		# each, hits in kprobe_profile; the trace itself stays off.
		_do_t=/sys/kernel/tracing
		[ -e $_do_t/kprobe_events ] || mount -t tracefs nodev $_do_t ||
			{ echo "no tracefs" && return 1; }
		echo 0 >$_do_t/tracing_on
		[ -d $_do_t/events/pvx ] && echo 0 >$_do_t/events/pvx/enable
		echo >$_do_t/kprobe_events
		_do_miss=
		for _do_f in "$@"; do
			echo "p:pvx/$_do_f $_do_f" >>$_do_t/kprobe_events 2>/dev/null ||
				_do_miss="$_do_miss $_do_f"
		done
		echo 1 >$_do_t/events/pvx/enable || return 1
		echo "counting; not probeable:${_do_miss:- none}"
		;;
	kprobe-read)
		# FUNC=hits of the kprobe-start functions (those named, or all).
		awk -v want=" $* " '
			want == "  " || index(want, " " $1 " ") {
				printf "%s=%s ", $1, $2
			}
			END { print "" }' /sys/kernel/tracing/kprobe_profile
		;;
	netback-params)
		# QUEUES SPLIT: netback's module parameters (max_queues,
		# separate_tx_rx_irq), read by each vif it sets up from now on.
		case $1:$2 in [1-8]:[01]) ;; *) echo "bad '$1 $2'" && return 2 ;; esac
		_do_p=/sys/module/xen_netback/parameters
		echo "$1" >$_do_p/max_queues && echo "$2" >$_do_p/separate_tx_rx_irq &&
			echo "max_queues=$(cat $_do_p/max_queues) separate_tx_rx_irq=$(cat $_do_p/separate_tx_rx_irq)"
		;;
	network-attach)
		# A new vif on xenbr0; answers its devid.
		_do_be=/local/domain/0/backend/vif/$_do_id
		_do_old=" $(xenstore-list "$_do_be" 2>/dev/null | tr '\n' ' ')"
		xl network-attach "$_do_name" script=pvxen-vif || return 1
		for _do_dev in $(xenstore-list "$_do_be"); do
			case $_do_old in *" $_do_dev "*) ;; *) echo "$_do_dev" && return ;; esac
		done
		echo "no new vif"
		return 1
		;;
	network-detach)
		# DEVID; returns once the frontend let go (or xl gave up).
		case $1 in '' | *[!0-9]*) echo "bad devid '$1'" && return 2 ;; esac
		xl network-detach "$_do_name" "$1" && echo "detached vif $1"
		;;
	vif-bounce)
		# DEVID: the backend closes the vif while it stays online, as a
		# backend that goes away without unplugging it: netback follows
		# the frontend from there (Closed, then InitWait again when the
		# frontend asks for a new connection).
		case $1 in '' | *[!0-9]*) echo "bad devid '$1'" && return 2 ;; esac
		_do_be=/local/domain/0/backend/vif/$_do_id/$1
		[ "$(xenstore-read "$_do_be/online")" = 1 ] || { echo "not online" && return 1; }
		xenstore-write "$_do_be/state" 5 && echo "vif $1: backend Closing"
		;;
	vif-rebind)
		# DEVID: netback lets go of the vif and takes it again 2 s later
		# (unbind and bind on the xen-backend bus).  The bind makes a new
		# vifD.N, which the hotplug script puts on the bridge, as udev
		# would run it (netback waits for its hotplug-status).  Unbind
		# waits for the packets dom0 still holds, bind for nothing: the
		# answer says how long each step took, or where it stopped and
		# in which states.
		case $1 in '' | *[!0-9]*) echo "bad devid '$1'" && return 2 ;; esac
		_do_d=/sys/bus/xen-backend/drivers/vif
		_do_be=/local/domain/0/backend/vif/$_do_id/$1
		_do_t0=$(date +%s)
		echo "vif-$_do_id-$1" >$_do_d/unbind || return 1
		_do_t1=$(date +%s)
		sleep 2
		echo "vif-$_do_id-$1" >$_do_d/bind || return 1
		_do_until 600 "no vif$_do_id.$1 60 s after the bind" \
			[ -e "/sys/class/net/vif$_do_id.$1" ] || return 1
		vif=vif$_do_id.$1 XENBUS_PATH=$_do_be /etc/xen/scripts/pvxen-vif online ||
			return 1
		_do_t2=$(date +%s)
		_do_until 1200 "netback not Connected 120 s after the bind: backend $(xenstore-read "$_do_be/state"), hotplug-status $(xenstore-read "$_do_be/hotplug-status" 2>/dev/null), frontend $(xenstore-read "$(xenstore-read "$_do_be/frontend")/state")" \
			[ "$(xenstore-read "$_do_be/state")" = 4 ] || return 1
		echo "vif $1: netback unbound (in $((_do_t1 - _do_t0)) s) for 2 s, bound again (vif up in $((_do_t2 - _do_t1 - 2)) s), Connected $(($(date +%s) - _do_t2)) s later"
		;;
	netback-log)
		# The last 4 kernel lines from netback and the vifs, without
		# their times, 60 characters each: the answer must fit what
		# pvxen-xs-test reads back (about 250 bytes).
		dmesg | grep -E 'xen-netback|xen_netback|vif[0-9]' | tail -n 4 |
			sed 's/^\[[^]]*\] //' | cut -c1-60 | tr '\n' '|'
		echo
		;;
	vif-report)
		# DEVID: what the vif negotiated, seen from dom0: the queues and
		# split channels the frontend wrote, and netback's interrupts
		# for them (vifD.N-qQ, or vifD.N-qQ-tx and -rx).
		case $1 in '' | *[!0-9]*) echo "bad devid '$1'" && return 2 ;; esac
		_do_be=/local/domain/0/backend/vif/$_do_id/$1
		_do_fe=$(xenstore-read "$_do_be/frontend") || return 1
		_do_q=$(xenstore-read "$_do_fe/multi-queue-num-queues" 2>/dev/null || echo 1)
		_do_d=$_do_fe
		[ "$_do_q" = 1 ] || _do_d=$_do_fe/queue-0
		_do_s=0
		xenstore-exists "$_do_d/event-channel-tx" 2>/dev/null && _do_s=1
		_do_v=vif$_do_id.$1-q
		echo "queues=$_do_q split=$_do_s" \
			"irq_one=$(grep -cE " ${_do_v}[0-9]+\$" /proc/interrupts)" \
			"irq_tx=$(grep -cE " ${_do_v}[0-9]+-tx\$" /proc/interrupts)" \
			"irq_rx=$(grep -cE " ${_do_v}[0-9]+-rx\$" /proc/interrupts)" \
			"be_max=$(xenstore-read "$_do_be/multi-queue-max-queues" 2>/dev/null || echo -)" \
			"be_split=$(xenstore-read "$_do_be/feature-split-event-channels" 2>/dev/null || echo -)"
		;;
	vif-offload)
		# DEVID on|off: the vif's offloads in dom0 (what netback may leave
		# to the frontend when it sends: blank checksums, GSO).
		case $1:$2 in *[!0-9]*:* | :*) echo "bad devid '$1'" && return 2 ;; esac
		case $2 in on | off) ;; *) echo "bad '$2'" && return 2 ;; esac
		# On minixen the peer's own interface ($PVXEN_AGENT_NETIF) is
		# the far end: it sends to the domU through minixen's switch.
		_if=vif$_do_id.$1
		[ -e "/sys/class/net/$_if" ] || _if=${PVXEN_AGENT_NETIF:-$_if}
		ethtool -K "$_if" tx "$2" sg "$2" tso "$2" 2>&1 | grep -v '^Actual changes' |
			grep -v '^$' | tail -n 1
		echo "$_if: $(ethtool -k "$_if" | grep -E '^(tx-checksumming|tcp-segmentation-offload):' | tr '\n' ' ')"
		;;
	csum-errors)
		# dom0's receive checksum errors: Tcp and Udp InCsumErrors.
		awk '($1 == "Tcp:" || $1 == "Udp:") && !seen[$1]++ {
			for (i = 2; i <= NF; i++) col[$1, $i] = i; next }
		($1 == "Tcp:" || $1 == "Udp:") {
			printf "%s%s ", tolower(substr($1, 1, 3)), "=" $col[$1, "InCsumErrors"] }
		END { print "" }' /proc/net/snmp
		;;
	net-recv)
		# PORT: take one stream (tests/tools/netstream) and hash it; its
		# sum comes with net-recv-sum.
		case $1 in '' | *[!0-9]*) echo "bad port '$1'" && return 2 ;; esac
		rm -f "/tmp/net-$1.sum" "/tmp/net-$1.done"
		( /pvxen/bin/netstream recv "$1" 120 2>"/tmp/net-$1.err" |
			sha256sum >"/tmp/net-$1.sum"
		  touch "/tmp/net-$1.done" ) </dev/null >/dev/null 2>&1 &
		echo "listening on $1"
		;;
	net-recv-sum)
		# PORT: the sum and size of the stream net-recv took.
		case $1 in '' | *[!0-9]*) echo "bad port '$1'" && return 2 ;; esac
		_do_until 3000 "no stream on $1" [ -e "/tmp/net-$1.done" ] ||
			return 1
		echo "$(cut -d' ' -f1 "/tmp/net-$1.sum") $(grep -o '[0-9]* bytes' "/tmp/net-$1.err")"
		;;
	net-send)
		# PORT BYTES SEED: send a stream to the domU (169.254.0.2).
		case $1:$2:$3 in *[!0-9:]* | *::* | :* | *:) echo "bad '$*'" && return 2 ;; esac
		/pvxen/bin/netstream send 169.254.0.2 "$1" "$2" "$3" && echo "sent $2"
		;;
	fakenet)
		# The hostile fake netback (/pvxen/bin/fakenetback), as fakeblk.
		[ -x /pvxen/bin/fakenetback ] ||
			{ echo "no /pvxen/bin/fakenetback" && return 127; }
		/pvxen/bin/fakenetback "$_do_id" "$@"
		;;
	fakeblk)
		# Reserved for the hostile fake block backend (its own helper,
		# /pvxen/bin/fakeblkback, run with the domU's id and the words).
		[ -x /pvxen/bin/fakeblkback ] ||
			{ echo "no /pvxen/bin/fakeblkback" && return 127; }
		/pvxen/bin/fakeblkback "$_do_id" "$@"
		;;
	*)
		echo "unknown action '$_do_act'"
		return 2
		;;
	esac
}

# agent_requests NAME DOMID: the dom0 agent, on the console lines of domU
# NAME (domain DOMID) coming in on stdin.  A domU test that needs dom0 to
# act on a grant prints "PVXEN-REQ <mailbox ref> <command> <arg>" on its
# console; this runs tests/tools/gntpeer for it (in the background: some requests
# hold a mapping until the domU releases it), which answers in the
# mailbox page the domU granted.  Only gntpeer runs, with the words as
# arguments, never through eval.  "PVXEN-DO <seq> <action> <args>" lines
# go to pvxen_do above (allowlisted actions, answered in xenstore).
agent_requests() {
	_name=$1
	_id=$2
	# awk picks the requests out of the whole log quickly (ash's read
	# goes byte by byte) and passes each on at once.
	_done=" "
	awk '/PVXEN-(REQ|DO) / { print; fflush() }' |
	while IFS= read -r _l; do
		case $_l in
		*"PVXEN-DO "*)
			# Only these characters, so the words split safely; a
			# sequence number answered once (a console can repeat a
			# line) is not run again.
			_req=$(printf '%s' "${_l#*PVXEN-DO }" | tr -cd '0-9a-zA-Z :_-')
			# shellcheck disable=SC2086 # the words are the request
			set -- $_req
			case $1 in '' | *[!0-9]*) continue ;; esac
			case $_done in *" $1 "*) continue ;; esac
			_done="$_done$1 "
			[ $# -ge 2 ] && pvxen_do "$_name" "$_id" "$@" &
			continue
			;;
		esac
		_req=$(printf '%s' "${_l#*PVXEN-REQ }" | tr -cd '0-9a-zA-Z ')
		say "agent: $_name ($_id): gntpeer $_req"
		# shellcheck disable=SC2086 # the words are gntpeer's arguments
		gntpeer "$_id" $_req 2>&1 | sed "s/^/PVXEN-DOM0: agent: /" &
	done
}
