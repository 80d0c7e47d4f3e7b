# SPDX-License-Identifier: GPL-2.0-only
# make bench: the block rows, sourced after lib.sh by bench-pvxen.sh and
# bench-upstream.sh (each on its domU's xvda, a loop-backed file in dom0
# behind Linux's blkback: xen-run --disk-mb) and by tests/dom0/bench-dom0.sh
# (the ceiling: the same jobs in dom0 straight on a loop device of the same
# kind).  One QEMU run, one side after the other.
#
#   bench_wait_dev DEV   wait (up to 20 s) for /dev/DEV
#   bench_irq_snap FILE  save /proc/interrupts
#   bench_pvxen_micro    pvxen-bench.ko's rows (pvxen-core loaded): one TAP
#                        result, the module's lines, where its upcalls ran
#   bench_irq_delta SIDE BEFORE AFTER
#                        "pvxen-bench-info: SIDE irq NAME CPU0 CPU1 ..."
#                        for every interrupt line that counted between two
#                        snapshots: where the micro rows' upcalls ran
#   bench_blk SIDE DEV   $BENCH_REPS times (default 3) in turn: 1 MiB
#                        sequential write and read (iodepth 8), 4 KiB
#                        random read (iodepth 32); libaio, O_DIRECT,
#                        time-based.  Per job ($BENCH_RESULTS in all) one
#                        TAP result and the line
#                        "pvxen-bench: SIDE METRIC VALUE UNIT"; and one
#                        "pvxen-bench-info: SIDE METRIC k=v ..." line of
#                        what the job cost: requests the disk completed,
#                        interrupts of the disk's event channels and
#                        upcalls per request, and how busy this domain's
#                        CPUs and (from a domU) dom0's were.
#
# PVXEN_BENCH_KPROBES="FUNC ..." (domUs only): dom0 also counts calls of
# these dom0 kernel functions (pvxen_do kprobe-start), and each job's info
# line gets "FUNC=calls per request"; e.g. gnttab_map_refs and
# gnttab_unmap_refs say how often blkback maps and unmaps grants.  Each
# side also prints what its disk negotiated (pvxen_do vbd-features).
#
# The cost figures need no timing in the guest: counters before and after
# the job, read from /proc/interrupts, /proc/stat and /sys/block.  dom0's
# CPU time comes through the dom0 agent (pvxen_do cpu-stat, blk-lib.sh)
# when bench_peer_stat is defined; the dom0 side defines none.

BENCH_RUNTIME=${PVXEN_BENCH_RUNTIME:-10}
BENCH_REPS=${PVXEN_BENCH_REPS:-3}
# The jobs, in the order each repetition runs them; a subset for
# experiments (PVXEN_BENCH_JOBS="randread_4k").
BENCH_JOBS=${PVXEN_BENCH_JOBS:-seq_write_1m seq_read_1m randread_4k}
# shellcheck disable=SC2086 # a list of words
BENCH_RESULTS=$(($(set -- $BENCH_JOBS && echo $#) * BENCH_REPS))
BENCH_KPROBES=${PVXEN_BENCH_KPROBES:-}

# _job NAME: "UNIT FIELD FIO-OPTIONS..." of a job.
_job() {
	case $1 in
	seq_write_1m) echo "KiB_s 48 --rw=write --bs=1M --iodepth=8" ;;
	seq_read_1m) echo "KiB_s 7 --rw=read --bs=1M --iodepth=8" ;;
	randread_4k) echo "IOPS 8 --rw=randread --bs=4k --iodepth=32" ;;
	*) return 1 ;;
	esac
}

# _fio DEV FIELD ARGS...: run one fio job on /dev/DEV, print terse field
# FIELD (terse v3: 7 read KiB/s, 8 read IOPS, 48 write KiB/s).
_fio() {
	_dev=$1
	_f=$2
	shift 2
	fio --name=bench --filename="/dev/$_dev" --ioengine=libaio --direct=1 \
		--size=128M --time_based --runtime="$BENCH_RUNTIME" \
		--ramp_time=2 --output-format=terse --terse-version=3 "$@" \
		>/tmp/fio.out 2>/tmp/fio.err || return 1
	awk -F';' -v f="$_f" '$1 == "3" { print $f; exit }' /tmp/fio.out
}

bench_wait_dev() {
	_n=0
	until [ -b "/dev/$1" ]; do
		_n=$((_n + 1))
		[ $_n -lt 200 ] || return 1
		sleep 0.1
	done
}

bench_irq_snap() { cat /proc/interrupts >"$1"; }

bench_irq_delta() {
	awk -v side="$1" '
		FNR == 1 { ncpu = NF; f++; next }
		{
			k = $1
			for (i = 2; i <= ncpu + 1; i++)
				c[f, k, i] = $i
			# IPIn: lines end in words; numbered ones in the name
			name[k] = k ~ /^[0-9]+:$/ ? $NF : k
		}
		END {
			for (k in name) {
				s = ""
				n = 0
				for (i = 2; i <= ncpu + 1; i++) {
					d = c[2, k, i] - c[1, k, i]
					n += d
					s = s " cpu" (i - 2) "=" d
				}
				if (n > 0)
					print "pvxen-bench-info: " side " irq " name[k] s
			}
		}' "$2" "$3"
}

# _irqs PATTERN: interrupts so far of the /proc/interrupts lines whose
# last word matches the extended regex PATTERN, summed over CPUs.
_irqs() {
	awk -v re="$1" '
		NR == 1 { ncpu = NF; next }
		$NF ~ re { for (i = 2; i <= ncpu + 1; i++) s += $i }
		END { print s + 0 }' /proc/interrupts
}

# _cpu_line: the "cpu" line of /proc/stat, numbers only.
_cpu_line() { awk '$1 == "cpu" { $1 = ""; print; exit }' /proc/stat; }

# _busy BEFORE AFTER: percent of the CPU time between two "cpu" lines
# that was neither idle nor iowait (steal counts as not ours: excluded).
_busy() {
	echo "$1 $2" | awk '{
		n = NF / 2
		for (i = 1; i <= n; i++) {
			d = $(i + n) - $i
			if (i == 8) continue	# steal
			t += d
			if (i != 4 && i != 5) b += d
		}
		if (t > 0) printf "%d", 100 * b / t; else printf "-"
	}'
}

# _steal BEFORE AFTER: percent of the time between two "cpu" lines that
# the hypervisor reported stolen (0 where the kernel does not know).
_steal() {
	echo "$1 $2" | awk '{
		n = NF / 2
		for (i = 1; i <= n; i++) t += $(i + n) - $i
		d = $(8 + n) - $8
		if (t > 0) printf "%d", 100 * d / t; else printf "-"
	}'
}

# _dev_ios DEV: I/O requests DEV completed so far (reads + writes).
_dev_ios() { awk '{ print $1 + $5 }' "/sys/block/$1/stat"; }

# _per A B N: A/B with two decimals, "-" when B is 0.
_per() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.2f", $1 / $2; else printf "-" }'; }

# _kprobe_per BEFORE AFTER N: "FUNC=calls per request" for every FUNC=hits
# of two kprobe-read answers.
_kprobe_per() {
	echo "$1 | $2" | awk -v n="$3" '{
		side = 0
		for (i = 1; i <= NF; i++) {
			if ($i == "|") { side = 1; continue }
			split($i, kv, "=")
			if (side) { d[kv[1]] = kv[2] - a[kv[1]]; o[++k] = kv[1] }
			else a[kv[1]] = kv[2]
		}
		for (i = 1; i <= k; i++)
			if (n > 0) printf " %s=%.2f", o[i], d[o[i]] / n
	}'
}

bench_blk() {
	_side=$1
	_bdev=$2
	# Interrupts of this disk's event channels (pvxen-blkfront names them
	# after the disk, xen-blkfront "blkif") and the event upcall itself.
	_irq_re="^($_bdev-q[0-9]+|blkif)\$"
	_up_re='^(pvxen-upcall|events)$'
	_kp=
	if command -v bench_peer_stat >/dev/null; then
		diag "$_side $_bdev negotiated: $(pvxen_do vbd-features "$_bdev")"
		if [ -n "$BENCH_KPROBES" ]; then
			# shellcheck disable=SC2086 # a list of words
			diag "dom0 kprobes: $(pvxen_do kprobe-start $BENCH_KPROBES)"
			_kp=1
		fi
	fi
	_r=0
	while [ $_r -lt "$BENCH_REPS" ]; do
		_r=$((_r + 1))
		for _metric in $BENCH_JOBS; do
			if ! _j=$(_job "$_metric"); then
				ok 1 "fio $_metric: no such job"
				continue
			fi
			# shellcheck disable=SC2086 # the words are fio options
			set -- $_j
			_unit=$1
			_field=$2
			shift 2
			_peer0=
			command -v bench_peer_stat >/dev/null &&
				_peer0=$(bench_peer_stat)
			[ -z "$_kp" ] || _kp0=$(pvxen_do kprobe-read)
			_cpu0=$(_cpu_line)
			_ios0=$(_dev_ios "$_bdev")
			_irq0=$(_irqs "$_irq_re")
			_up0=$(_irqs "$_up_re")
			_v=$(_fio "$_bdev" "$_field" "$@")
			_up1=$(_irqs "$_up_re")
			_irq1=$(_irqs "$_irq_re")
			_ios1=$(_dev_ios "$_bdev")
			_cpu1=$(_cpu_line)
			_peer1=
			[ -z "$_peer0" ] || _peer1=$(bench_peer_stat)
			[ -z "$_kp" ] || _kp1=$(pvxen_do kprobe-read)
			case $_v in
			'' | *[!0-9]*)
				ok 1 "fio $_metric (repetition $_r)"
				sed 's/^/# /' /tmp/fio.err | head -n 5
				continue
				;;
			esac
			ok 0 "fio $_metric (repetition $_r): $_v $_unit"
			echo "pvxen-bench: $_side blk_$_metric $_v $_unit"
			_ios=$((_ios1 - _ios0))
			_info="requests=$_ios"
			_info="$_info irqs_per_req=$(_per $((_irq1 - _irq0)) $_ios)"
			_info="$_info upcalls_per_req=$(_per $((_up1 - _up0)) $_ios)"
			_info="$_info busy=$(_busy "$_cpu0" "$_cpu1")"
			_info="$_info steal=$(_steal "$_cpu0" "$_cpu1")"
			if [ -n "$_peer1" ]; then
				_info="$_info dom0_busy=$(_busy "$_peer0" "$_peer1")"
			fi
			[ -z "$_kp" ] ||
				_info="$_info$(_kprobe_per "$_kp0" "$_kp1" "$_ios")"
			echo "pvxen-bench-info: $_side blk_$_metric $_info"
		done
	done
}

bench_pvxen_micro() {
	bench_irq_snap /tmp/irq.0
	# shellcheck disable=SC2086 # the words are module parameters
	insmod "$PVXEN_MODDIR/pvxen-bench.ko" $PVXEN_BENCH_PARAMS
	ok $? "pvxen benchmarks ran"
	bench_irq_snap /tmp/irq.1
	dmesg | grep 'pvxen-bench' | sed 's/^\[[^]]*\] */# /'
	bench_irq_delta pvxen /tmp/irq.0 /tmp/irq.1
}

# What the micro rows do per operation, counted from outside the loop:
# bench_row_costs SIDE MODULE loads MODULE (unloading it first) once with
# rows=none (the cost of a load itself: the event channel's set-up, the
# kworker) and once per row of $BENCH_COUNT, each with $PVXEN_BENCH_PARAMS'
# other words, and prints per load
#   "pvxen-bench-info: SIDE cost ROW ops=N ctxt=D ms.wall=.. ms.busy=..
#    ms.idle=.. ms.steal=.. csw.THREAD=D irq.NAME.cpuK=D"
# the raw deltas around the load: elapsed time and the CPU time of both
# vCPUs busy, idle and stolen (ms), context switches (/proc/stat), switches
# of each thread by name (voluntary + not; kworkers summed per CPU), and
# every /proc/interrupts line by CPU.  tests/bench/run takes the baseline
# off and divides by the operations.  The loads' own result lines are not
# printed: the rows' numbers are those of the main load.
BENCH_COUNT=${PVXEN_BENCH_COUNT-evtchn_same_cpu evtchn_cross_cpu xenstore_read_rtt}

# _csw_snap: "THREAD switches" for every thread name, summed.  One cat
# per file: a thread that exits meanwhile must not end the snapshot.
_csw_snap() {
	for _s in /proc/[0-9]*/status; do
		cat "$_s" 2>/dev/null
	done | awk '
		/^Name:/ {
			n = $2
			# kworker/0:1-events: the work item changes; keep the CPU
			if (n ~ /^kworker\//) { sub(/:.*/, "", n); sub(/H$/, "", n) }
		}
		/^(non)?voluntary_ctxt_switches:/ { s[n] += $2 }
		END { for (n in s) print n, s[n] }'
}

_ctxt() { awk '$1 == "ctxt" { print $2 }' /proc/stat; }

# _cs_now: centiseconds since boot.
_cs_now() { awk '{ printf "%d", $1 * 100 }' /proc/uptime; }

# _cpu_ms T0 T1 BEFORE AFTER: " ms.wall=.. ms.busy=.. ms.idle=.. ms.steal=.."
# between two _cs_now and two _cpu_line (USER_HZ 100: 10 ms a tick),
# busy and idle summed over the CPUs.
_cpu_ms() {
	echo "$1 $2 $3 $4" | awk '{
		n = (NF - 2) / 2
		for (i = 1; i <= n; i++) {
			d = $(i + 2 + n) - $(i + 2)
			if (i == 4 || i == 5) idle += d
			else if (i == 8) steal += d
			else if (i <= 7) busy += d
		}
		printf " ms.wall=%d ms.busy=%d ms.idle=%d ms.steal=%d",
			10 * ($2 - $1), 10 * busy, 10 * idle, 10 * steal
	}'
}

# _cost_delta CSW0 CSW1 IRQ0 IRQ1: the csw.* and irq.* words.
_cost_delta() {
	awk '
		FILENAME == ARGV[1] { a[$1] = $2; next }
		FILENAME == ARGV[2] { d = $2 - a[$1]; if (d) printf " csw.%s=%d", $1, d; next }
		FNR == 1 { ncpu = NF; f++; next }
		{
			k = $1
			sub(/:$/, "", k)
			# IPIn: "Rescheduling interrupts"; others: the last word
			nm = k ~ /^IPI/ ? k "_" $(ncpu + 2) : $NF
			for (i = 2; i <= ncpu + 1; i++) {
				if (f == 1) c[k, i] = $i
				else if ($i - c[k, i])
					printf " irq.%s.cpu%d=%d", nm, i - 2, $i - c[k, i]
			}
		}' "$@"
}

bench_row_costs() {
	_side=$1
	_mod=$2
	_name=$(basename "$_mod" .ko | tr - _)
	# the other module parameters, without any rows= of their own
	_params=
	for _w in $PVXEN_BENCH_PARAMS; do
		case $_w in rows=*) ;; *) _params="$_params $_w" ;; esac
	done
	for _row in none $BENCH_COUNT; do
		! grep -q "^$_name " /proc/modules || rmmod "$_name"
		dmesg -c >/dev/null
		_csw_snap >/tmp/csw.0
		cat /proc/interrupts >/tmp/ci.0
		_c0=$(_ctxt)
		_t0=$(_cs_now)
		_p0=$(_cpu_line)
		# shellcheck disable=SC2086 # the words are module parameters
		insmod "$_mod" rows="$_row" $_params
		_rc=$?
		_p1=$(_cpu_line)
		_t1=$(_cs_now)
		_c1=$(_ctxt)
		cat /proc/interrupts >/tmp/ci.1
		_csw_snap >/tmp/csw.1
		if [ $_rc -ne 0 ]; then
			diag "cost $_row: the module failed ($_rc)"
			continue
		fi
		_ops=$(dmesg | sed -n "s/.*pvxen-bench-info: $_side ops .*$_row=\([0-9]*\).*/\1/p" | tail -n 1)
		[ "$_row" != none ] || _ops=0
		echo "pvxen-bench-info: $_side cost $_row ops=${_ops:-0} ctxt=$((_c1 - _c0))$(_cpu_ms "$_t0" "$_t1" "$_p0" "$_p1")$(_cost_delta /tmp/csw.0 /tmp/csw.1 /tmp/ci.0 /tmp/ci.1)"
	done
}

# Experiment (Documentation/benchmarks.md, "Fair runs"): bench_xs_cpu CPU
# moves the xenstore interrupt (pvxen-core's pvxen-xenstore, Linux's
# xenbus) and Linux's xenbus kernel thread to CPU; both scripts call it
# when PVXEN_BENCH_XS_CPU is set.  The loops run on CPU 0.
bench_xs_cpu() {
	_mask=$(printf '%x' $((1 << $1)))
	for _i in $(awk '$NF == "xenbus" || $NF == "pvxen-xenstore" {
			sub(/:$/, "", $1); print $1 }' /proc/interrupts); do
		echo "$_mask" >"/proc/irq/$_i/smp_affinity" &&
			diag "xenstore IRQ $_i to CPU $1"
	done
	for _s in /proc/[0-9]*/status; do
		[ "$(awk '/^Name:/ { print $2; exit }' "$_s" 2>/dev/null)" = xenbus ] ||
			continue
		_p=${_s#/proc/}
		busybox taskset -p "$_mask" "${_p%/status}" >/dev/null &&
			diag "xenbus thread ${_p%/status} to CPU $1"
	done
}
