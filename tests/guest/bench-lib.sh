# SPDX-License-Identifier: GPL-2.0-only
# make bench: the block rows, sourced by bench-pvxen.sh and
# bench-upstream.sh after lib.sh.  Both sides run the same fio jobs on
# their xvda, a loop-backed file in dom0 behind Linux's blkback
# (xen-run --disk-mb), one domU after the other in the same QEMU run.
#
#   bench_wait_xvda  wait (up to 20 s) for /dev/xvda
#   bench_blk SIDE   print "pvxen-bench: SIDE METRIC VALUE UNIT" lines:
#                    1 MiB sequential write and read (iodepth 8), then
#                    4 KiB random read (iodepth 32), libaio, O_DIRECT,
#                    time-based; one TAP result per job

BENCH_RUNTIME=${PVXEN_BENCH_RUNTIME:-10}

# _fio FIELD ARGS...: run one fio job on /dev/xvda, print terse field
# FIELD (terse v3: 7 read KiB/s, 8 read IOPS, 48 write KiB/s).
_fio() {
	_f=$1
	shift
	fio --name=bench --filename=/dev/xvda --ioengine=libaio --direct=1 \
		--size=128M --time_based --runtime="$BENCH_RUNTIME" \
		--ramp_time=2 --output-format=terse --terse-version=3 "$@" \
		>/tmp/fio.out 2>/tmp/fio.err || return 1
	awk -F';' -v f="$_f" '$1 == "3" { print $f; exit }' /tmp/fio.out
}

bench_wait_xvda() {
	_n=0
	until [ -b /dev/xvda ]; do
		_n=$((_n + 1))
		[ $_n -lt 200 ] || return 1
		sleep 0.1
	done
}

bench_blk() {
	_side=$1
	for _j in "seq_write_1m KiB_s 48 --rw=write --bs=1M --iodepth=8" \
		"seq_read_1m KiB_s 7 --rw=read --bs=1M --iodepth=8" \
		"randread_4k IOPS 8 --rw=randread --bs=4k --iodepth=32"; do
		# shellcheck disable=SC2086 # the words are fio options
		set -- $_j
		_metric=$1
		_unit=$2
		_field=$3
		shift 3
		_v=$(_fio "$_field" "$@")
		case $_v in
		'' | *[!0-9]*)
			ok 1 "fio $_metric"
			sed 's/^/# /' /tmp/fio.err | head -n 5
			;;
		*)
			ok 0 "fio $_metric: $_v $_unit"
			echo "pvxen-bench: $_side blk_$_metric $_v $_unit"
			;;
		esac
	done
}
