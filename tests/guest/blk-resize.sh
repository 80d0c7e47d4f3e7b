#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Online resize: dom0 grows the file behind a disk (pvxen_do resize);
# blkback sees the new size on its next request and writes the new
# "sectors", and the frontend must follow: /sys/block/VDEV/size grows and
# the new sectors can be written and read back.  On the disk named
# "resize" (xen-run --disk 16:rw:resize), or $BLK_RESIZE_DEV.

# shellcheck disable=SC1091 # found at run time
. "$(dirname "$0")/lib.sh"
# shellcheck disable=SC1091
. "$(dirname "$0")/blk-lib.sh"

DEV=${BLK_RESIZE_DEV:-$(blk_disk resize)}

plan 6

blk_setup
ok $? "block frontend up"
if [ -z "$DEV" ]; then
	ok 1 "a disk named resize (xen-run --disk 16:rw:resize)"
	exit 1
fi
mb=$(blk_mb "$DEV")
new=$((mb * 2))
size() { cat "/sys/block/$DEV/size"; }
s0=$(size)
[ "$s0" = $((mb * 2048)) ]
ok $? "$DEV starts with $mb MiB ($s0 sectors)"

a=$(pvxen_do resize "$DEV" $new)
ok $? "dom0 grew $DEV's file to $new MiB ($a)"

# Each try reads a block: blkback looks at the size when it has work.
grown() {
	dd if="/dev/$DEV" of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null
	[ "$(size)" = $((new * 2048)) ]
}
until_ok 30 grown
ok $? "/sys/block/$DEV/size follows: $(size) sectors"

# The new sectors work end to end: a MiB past the old end.
dd if=/dev/urandom of=/tmp/resize.pat bs=64k count=16 2>/dev/null
dd if=/tmp/resize.pat of="/dev/$DEV" bs=64k seek=$(((mb + 1) * 16)) \
	oflag=direct conv=notrunc 2>/dev/null &&
	dd if="/dev/$DEV" of=/tmp/resize.back bs=64k skip=$(((mb + 1) * 16)) \
		count=16 iflag=direct 2>/dev/null &&
	cmp -s /tmp/resize.pat /tmp/resize.back
ok $? "1 MiB written past the old end reads back identical"

# The same bytes are in dom0's file: its sum matches ours of the disk.
want=$(dd if="/dev/$DEV" bs=1M count=$new iflag=direct 2>/dev/null | sha256sum)
got=$(pvxen_do backing-sum "$DEV")
[ "${want%% *}" = "$got" ]
ok $? "the whole disk equals dom0's file (sha256 ${got%"${got#????????????}"}...)"
