#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Data integrity through the block frontend: fio writes random blocks of
# 512 B, 4 KiB, 64 KiB and 1 MiB at queue depths 1 and 32 (two jobs each,
# libaio, O_DIRECT, each job on its own region) with a crc32c in every
# block, then reads everything back and checks it.  On xvda (or
# $BLK_FIO_DEV): xen-run --disk-mb 64.

# shellcheck disable=SC1091 # found at run time
. "$(dirname "$0")/lib.sh"
# shellcheck disable=SC1091
. "$(dirname "$0")/blk-lib.sh"

DEV=${BLK_FIO_DEV:-xvda}
JOBS=/tmp/blk-fio.fio
OUT=/tmp/blk-fio.out
ERR=/tmp/blk-fio.err
# name:bs:iodepth:size of each section; numjobs=2 doubles every one.
SECTIONS="b512-qd1:512:1:256k b512-qd32:512:32:256k b4k-qd1:4k:1:1m
b4k-qd32:4k:32:1m b64k-qd1:64k:1:2m b64k-qd32:64k:32:2m b1m-qd1:1m:1:4m
b1m-qd32:1m:32:4m"

plan 8

blk_setup
ok $? "block frontend up, /dev/$DEV there"
mb=$(blk_mb "$DEV")
diag "$DEV: $mb MiB, $(cat "/sys/block/$DEV/queue/max_sectors_kb") KiB max per request, $(cat "/sys/block/$DEV/queue/max_segments") segments"

# The job file: sections in turn (stonewall), each clone of a section on
# its own region (offset_increment), the regions of all sections apart.
{
	echo "[global]"
	echo "filename=/dev/$DEV"
	echo "ioengine=libaio"
	echo "direct=1"
	echo "rw=randwrite"
	echo "verify=crc32c"
	echo "do_verify=1"
	echo "verify_fatal=1"
	echo "numjobs=2"
	echo "stonewall"
} >$JOBS
off=0
for s in $SECTIONS; do
	IFS=: read -r name bs qd size <<EOF
$s
EOF
	kb=${size%[km]}
	case $size in *m) kb=$((kb * 1024)) ;; esac
	{
		echo "[$name]"
		echo "bs=$bs"
		echo "iodepth=$qd"
		echo "size=${kb}k"
		echo "offset=${off}k"
		echo "offset_increment=${kb}k"
	} >>$JOBS
	off=$((off + 2 * kb))
done
[ $off -le $((mb * 1024)) ]
ok $? "the jobs' regions ($off KiB) fit on $DEV ($mb MiB)"

fio --output-format=terse --terse-version=3 $JOBS >$OUT 2>$ERR
rc=$?
ok $rc "fio exits 0"
[ $rc -eq 0 ] || sed 's/^/# fio: /' $ERR | tail -n 20

# Terse v3: field 3 job name, 5 error, 6 KiB read, 47 KiB written.
lines=$(grep -c '^3;' $OUT)
[ "$lines" -eq 16 ]
ok $? "fio reported 16 jobs ($lines)"
bad=$(awk -F';' '/^3;/ && $5 != 0 { print $3 "=" $5 }' $OUT)
[ -z "$bad" ]
ok $? "no job ended in an error ($bad)"
! grep -qi 'verify' $ERR
ok $? "no verify failure on stderr"
grep -i 'verify' $ERR | head -n 5 | sed 's/^/# /'
short=$(awk -F';' '/^3;/ && ($47 == 0 || $6 != $47) { print $3 ": read " $6 " written " $47 }' $OUT)
[ -z "$short" ] && [ "$lines" -gt 0 ]
ok $? "every job read back (verified) all it wrote ($short)"
grep '^3;' $OUT | head -n 1 | cut -d';' -f1-10,44-52 | sed 's/^/# terse: /'
awk -F';' '/^3;/ { w[$3] += $47 } END { for (j in w) printf "# %s: %d KiB written and verified\n", j, w[j] }' $OUT | sort

# Nothing the kernel complains about on the way.
! dmesg | grep -qiE 'I/O error|blk_update_request'
ok $? "no block errors in dmesg"
dmesg | grep -iE 'I/O error|blk_update_request' | tail -n 5 | sed 's/^/# /'
