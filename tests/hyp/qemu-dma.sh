#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# minixen's checking DMA engine driven by its Linux driver
# (tests/modules/mxdma), TAP.  Sourced by qemu-tests.sh for its results
# 104-136 (dma_tests); run alone it does those (qemu-dma.sh [MINIXEN
# [KERNEL]]), or with --swiotlb the same jobs through pvxen-swiotlb on a
# kernel with a dma_ops slot (dma_swiotlb_tests, make check's minixen-dma
# suite):
#   qemu-dma.sh --swiotlb [MINIXEN [KERNEL [MODULE-DIR]]]
# KERNEL defaults to the dmaops flavour, MODULE-DIR (the tree of modules
# built for it) to tests/out/dmaops-build.  With --identity: the granted
# page mapped at its machine address on a kernel without a dma_ops slot
# (dma_identity_tests; the zonedev flavour, tests/out/zonedev-build).
# MX_DMA_RUNS="identity rpi4 multi high force" (a subset) runs only those runs
# of --swiotlb, the others' results skipped (a mutant's cheap run).
# 104-136: minixen's checking DMA engine driven by its Linux driver
# (tests/modules/mxdma: the kernel's DMA API only, plain dma-direct, no
# pvxen-swiotlb) in the 1:1 domain, domU1, under the identity, rpi4 and
# multi DMA profiles, domU2 granting it a writable page: the driver's own
# copies (1, 16, 256 contiguous pages) and scatter-gather transfers (8, 32
# pages never adjacent) land, every byte checked by the driver, and the
# engine refuses nothing; the foreign page, handed to the device with
# plain dma_map_page(), gets its guest-physical address through the
# dma-ranges (the Raspberry Pi 4 bug of Linux before 5.9): the engine
# refuses both descriptors (read and write), counts them, and domU2 finds
# its page unchanged; so does the pair (an own page and the granted one
# side by side, mapped at once): the engine refuses at the second page.
# On the identity run the test kernel (no dma_ops slot) also refuses to
# load pvxen-swiotlb, saying why. Then rpi4 with domU1's RAM across the end of the
# 1 GiB window (QEMU -m 1152M: domU1 at 0x78000000, 256 MiB): pages above
# the window are bounced by the kernel's own swiotlb (its DMA zone ends
# at the window, the mask is 32 bits), the engine refuses nothing; 1 MiB
# at once does not map (more than a swiotlb segment) and never reaches it.
# The driver completes its jobs on the engine's interrupt (a
# level-sensitive SPI: the first one found minixen taking the EOI
# maintenance interrupt forever, fixed in arch_vcpu_enter());
# MX_DMA_PARM=mx.dmaparm=use_irq=0 makes it poll instead.
NDMA=33
DMA_HOLD=${MX_DMA_HOLD:-20}
DMA_DRVPARM=${MX_DMA_PARM-}
SKIP_DMA=" # SKIP needs tests/modules/mxdma/mxdma.ko, pvxen-core.ko, pvxen-gnttab-test.ko (make modules)"
DMA_CLEAN=" range=0 owner=0 bad=0 mismatch=0 total_range=0 total_owner=0$"

# dma_res NAME JOB: the result lines of JOB in run NAME, on one line
dma_res() {
	sed -n "s/^(domU1) MX-DMA name=domU1 $2 => rc=[0-9]* //p" "$LOGDIR/$1.log" |
		tr '\n' ' '
}

# dma_val LINE KEY: KEY's value in a result line
dma_val() {
	sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<< " $1"
}

# dma_lands NAME JOB:RESULT...: each JOB's first line starts with RESULT,
# its counters line says every descriptor done, nothing refused
dma_lands() {
	local name=$1 j p=() ok="run=0 descs=([0-9]+) descs_ok=\1 first_bad=0x0 .*$DMA_CLEAN"

	shift
	for j in "$@"; do
		p+=("^\(domU1\) MX-DMA name=domU1 ${j%%:*} => rc=0 ${j#*:}"
		    "^\(domU1\) MX-DMA name=domU1 ${j%%:*} => rc=0 $ok")
	done
	has "$name" "${p[@]}"
}

DMA_SG="sg 8:sg: ok pages=8 bytes=29696 mapped=8/8 apart=1 "
DMA_SG32="sg 32:sg: ok pages=32 bytes=118784 mapped=32/32 apart=1 "

# dma_own NAME: the copies and scatter-gather jobs landed, every
# descriptor done, nothing refused
dma_own() {
	dma_lands "$1" "copy 1:copy: ok pages=1 bytes=4096 " \
		"copy 16:copy: ok pages=16 bytes=65536 " \
		"copy 256:copy: ok pages=256 bytes=1048576 " "$DMA_SG" "$DMA_SG32"
}

# dma_own_high NAME: with domU1's RAM mostly above rpi4's window, the
# kernel bounces its own buffers through its swiotlb (below the window):
# 1 and 16 pages and the sg jobs land; 256 contiguous pages (1 MiB) fail
# to map (larger than a swiotlb segment, 256 KiB) and never reach the
# engine; nothing refused
dma_own_high() {
	dma_lands "$1" "copy 1:copy: ok pages=1 bytes=4096 " \
		"copy 16:copy: ok pages=16 bytes=65536 " "$DMA_SG" "$DMA_SG32" &&
		has "$1" "^\(domU1\) MX-DMA name=domU1 copy 256 => rc=0 copy: FAIL\(map\) pages=256$"
}

# dma_bus PROFILE PHYS: the bus address the profile's dma-ranges give
dma_bus() {
	case $1 in
	identity) printf '0x%x' $(($2)) ;;
	rpi4) printf '0x%x' $(($2 + 0x80000000)) ;;
	multi)
		if [ $(($2)) -lt $((0x60000000)) ]; then
			printf '0x%x' $(($2 + 0x80000000))
		else
			printf '0x%x' $(($2 + 0xa0000000))
		fi
		;;
	esac
}

# dma_foreign_addr NAME PROFILE phys|bfn: the foreign job gave the device
# the page's guest-physical address (phys: the bug, dma-direct) or its
# machine frame's (bfn: pvxen-swiotlb), both through the dma-ranges, read
# and write; the two differ
dma_foreign_addr() {
	local r p bfn want

	r=$(dma_res "$1" "foreign 1 [0-9]* 0x5eed")
	p=$(dma_val "$r" phys)
	bfn=$(dma_val "$r" bfn)
	echo "#   phys=$p bfn=$bfn dma_read=$(dma_val "$r" dma_read) dma_write=$(dma_val "$r" dma_write)"
	[ -n "$p" ] && [ -n "$bfn" ] && [ $((bfn << 12)) -ne $((p)) ] || return 1
	want=$p
	[ "$3" = bfn ] && want=$((bfn << 12))
	[ $(($(dma_val "$r" dma_read))) -eq $(($(dma_bus "$2" "$want"))) ] &&
		[ $(($(dma_val "$r" dma_write))) -eq $(($(dma_bus "$2" "$want"))) ]
}

# dma_foreign NAME: the foreign job's three lines: both refused as not
# the domain's memory, the CPU's view unchanged, two refusals counted
dma_foreign() {
	local j="^\(domU1\) MX-DMA name=domU1 foreign 1 [0-9]+ 0x5eed => rc=0"

	has "$1" "$j foreign: refused .* read_st=0x12 write_st=0x12$" \
		"$j cpu_view=pattern own=untouched foreign_after=intact run=0/0 domid=1 ref=[0-9]+ bfn=0x[0-9a-f]+$" \
		"$j run=0 descs=0 .* done=0 bytes=0 range=0 owner=2 bad=0 mismatch=0 total_range=0 total_owner=2$"
}

# dma_granter NAME: domU2's page kept its hash through every check, the
# last one after domU1's foreign job, and the grant ended
dma_granter() {
	local fnv n bad

	fnv=$(sed -n 's/^(domU2) MX-DMA-GRANT name=domU2 slot=0 ref=[0-9]* fnv=//p' "$LOGDIR/$1.log")
	n=$(grep -c "^(domU2) MX-DMA-CHECK name=domU2 " "$LOGDIR/$1.log")
	bad=$(grep "^(domU2) MX-DMA-CHECK name=domU2 " "$LOGDIR/$1.log" |
		grep -vc " fnv=$fnv inuse=[01]$")
	echo "#   domU2: $n checks of fnv $fnv, $bad differ"
	[ -n "$fnv" ] && [ "$n" -ge 1 ] && [ "$bad" -eq 0 ] &&
		before "$1" "MX-DMA name=domU1 foreign " "MX-DMA-CHECK name=domU2 " &&
		has "$1" "^\(domU2\) MX-DMA-END name=domU2 ended=1$"
}

# dma_pair NAME PROFILE: the pair (an own page, then the granted one
# right after it in guest-physical memory), one dma_map_page() of both:
# dma-direct gives the device one range from the own page's address; the
# engine accepts the first page and refuses at the second, both ways;
# nothing changed on either side
dma_pair() {
	local j="^\(domU1\) MX-DMA name=domU1 pair 1 [0-9]+ 0x5eed => rc=0"
	local r d

	r=$(dma_res "$1" "pair 1 [0-9]* 0x5eed")
	d=$(printf '%x' $(($(dma_val "$r" dma_read) + 4096)))
	has "$1" "$j pair: refused .* read_st=0x12 write_st=0x12 run=0/0$" \
		"$j run=0 descs=0 .* done=0 bytes=0 range=0 owner=2 bad=0 mismatch=0 total_range=0 total_owner=4$" \
		"^\(MX\) domU1: DMA engine \($2\): slot 0: src 0x$d: .*refused$" \
		"^\(MX\) domU1: DMA engine \($2\): slot 0: dst 0x$d: .*refused$"
}

# dma_refusals NAME PROFILE: minixen logged the four refusals (foreign
# and pair, read and write), no more; no fault, no oops
dma_refusals() {
	local n

	n=$(grep -Ec "^\(MX\) domU1: DMA engine \($2\): slot 0: (src|dst) 0x[0-9a-f]+: .*refused$" "$LOGDIR/$1.log")
	[ "$n" -eq 4 ] && nofault "$1"
}

# dma_unload NAME: unloaded, reloaded (a copy), unloaded: nothing left
dma_unload() {
	has "$1" "^\(domU1\) MX-DMA-UNLOAD name=domU1 rmmod=0 reload=0 left=0$"
}

# dma_high NAME: the high pages are above the window, yet reached the
# device inside it (the kernel bounced them), landed, nothing refused
dma_high() {
	local r

	r=$(dma_res "$1" "high 4")
	echo "#   high 4: $r"
	has "$1" "high 4 => rc=0 high: ok pages=4 bytes=16384 " \
		"high 4 => rc=0 run=0 descs=4 descs_ok=4 .*$DMA_CLEAN" &&
		[ $(($(dma_val "$r" phys_min))) -ge $((0x80000000)) ] &&
		[ $(($(dma_val "$r" dma_min))) -ge $((0xc0000000)) ] &&
		[ $(($(dma_val "$r" dma_max))) -le $((0xffffffff)) ]
}

# in_window ADDR...: each is a bus address inside rpi4's window
in_window() {
	local a

	for a in "$@"; do
		[ -n "$a" ] && [ $((a)) -ge $((0xc0000000)) ] &&
			[ $((a)) -le $((0xffffffff)) ] || return 1
	done
}

# foreign_high NAME JOB: JOB (foreign or foreign-id) of the page domU2
# (domain 0, its RAM above rpi4's window) granted: its machine frame is
# above the window, yet the device got it inside the window, read and
# write, every byte, nothing refused; prints the addresses it used
foreign_high() {
	local j="^\(domU1\) MX-DMA name=domU1 $2 0 [0-9]+ 0x5eed => rc=0"
	local r bfn

	r=$(dma_res "$1" "$2 0 [0-9]* 0x5eed")
	bfn=$(dma_val "$r" bfn)
	echo "#   $2 above the window: $r" >&2
	has "$1" "$j foreign: ok .* read_st=0x1 write_st=0x1$" \
		"$j cpu_view=pattern own=pattern foreign_after=written run=0/0 domid=0 ref=[0-9]+ bfn=0x[0-9a-f]+$" \
		"$j run=0 descs=0 .* done=2 bytes=8192 range=0 owner=0 bad=0 mismatch=0 total_range=0 total_owner=0$" &&
		[ -n "$bfn" ] && [ $((bfn << 12)) -ge $((0x80000000)) ] &&
		in_window "$(dma_val "$r" dma_read)" "$(dma_val "$r" dma_write)" &&
		echo "$(dma_val "$r" phys) $bfn $(dma_val "$r" dma_read) $(dma_val "$r" dma_write)"
}

# The high runs' domains: domU2 first (domain 0, 64 MiB at the top of
# QEMU's 1216 MiB: 0x88000000, above rpi4's window), granting domU1
# (domain 1, 1:1 by its "direct-map", 256 MiB at 0x78000000, across the
# window's end) a page.
HIGH_QEMU_MEM="-m 1216M"
HIGH_GRANTER="domU2:1:65536:0x51000000:0x51800000:mx.test=mxdma mx.side=grant mx.peer=1 mx.hold=$DMA_HOLD"

# high_boot NAME WHAT ARGS SHOW: boot the two domains as above, domU1's
# jobs with ARGS too; print its result lines matching SHOW; check that
# minixen placed them so (2 results)
high_boot() {
	local s1="domU1:1:262144:0x50000000:0x50800000:mx.test=mxdma mx.side=dev mx.high=1 mx.peer=0 $3 $DMA_DRVPARM"

	QEMU=${QEMU/-m 1G/$HIGH_QEMU_MEM} DIRECT_domU1=1 ENH_domU1=enabled \
		DMAPROF_domU1=rpi4 dom0less "$1" 2 "$HIGH_GRANTER" "$s1"
	ok $? "$2, rpi4, RAM beyond the window: domU1 and a granter above it: QEMU powered off (exit 0)"
	grep -E "MX-DMA name=domU1 (copy 256|$4)" "$LOGDIR/$1.log" | sed 's/^/#   /'
	has "$1" "^\(MX\) domU2: .*64 MiB RAM at IPA 0x88000000 \(PA 0x88000000\), 1:1$" \
		"^\(MX\) domU1: .*256 MiB RAM at IPA 0x78000000 \(PA 0x78000000\), 1:1$" \
		"^\(domU1\) MX-DMA-DMESG name=domU1 .*mxdma [0-9a-f]+\.dma: profile rpi4, bus limit 0xffffffff, 32-bit mask, "
	ok $? "rpi4: domU1's RAM 0x78000000-0x87ffffff (across the window's end), domU2's 0x88000000-0x8bffffff (above it); 32-bit mask"
}

# dma_profile_run PROFILE PROBE: domU1 (1:1, the engine) and domU2 (the
# granter) under PROFILE; PROBE: what the driver's probe line says
dma_profile_run() {
	local p=$1 probe=$2 name=dma$1
	local s1="domU1:1:$3:0x50000000:0x50800000:mx.test=mxdma mx.side=dev mx.peer=1 ${4:-} $DMA_DRVPARM"
	local s2="domU2:1:65536:0x51000000:0x51800000:mx.test=mxdma mx.side=grant mx.peer=0 mx.hold=$DMA_HOLD"

	DMAPROF_domU1=$p ENH_domU2=enabled dom0less "$name" 2 "$s1" "$s2"
	ok $? "DMA engine, $p profile: domU1 and the granter: QEMU powered off (exit 0)"
	grep -E "MX-DMA name=domU1 (foreign|counters)" "$LOGDIR/$name.log" | sed 's/^/#   /'
	has "$name" "^\(domU1\) MX-DMA-DMESG name=domU1 .*mxdma [0-9a-f]+\.dma: profile $p, $probe, ring of 64 at 0x[0-9a-f]+, irq [0-9]+( \(polled\))?$"
	ok $? "$p: the driver probed: $probe (from the dma-ranges)"
	dma_own "$name"
	ok $? "$p: own pages: 1, 16, 256 contiguous pages and sg of 8 and 32 apart: every byte, no refusal"
	dma_foreign "$name"
	ok $? "$p: a page domU2 granted, plain dma_map_page(): the engine refuses read and write (not the domain's), counted"
	dma_foreign_addr "$name" "$p" phys
	ok $? "$p: the device got the foreign page's guest-physical address through the dma-ranges, not its machine frame"
	dma_granter "$name"
	ok $? "$p: domU2's page unchanged through and after it (checked on its side), grant ended"
	dma_pair "$name" "$p"
	ok $? "$p: an own page and the granted one side by side, one dma_map_page(): the engine takes the own page and refuses the second, both ways; nothing changed"
	dma_refusals "$name" "$p"
	ok $? "$p: minixen logged exactly the four refusals (foreign, pair; read, write); no fault, no oops"
	dma_unload "$name"
	ok $? "$p: the driver unloads, reloads and copies, unloads: no IRQ, no debugfs left"
}

dma_tests() {
	local s1 name=dmahigh

	if [ -z "$MXDMA_KO" ]; then
		for i in $(seq 1 $NDMA); do
			ok 0 "DMA engine: $i$SKIP_DMA"
		done
		return
	fi
	dma_profile_run identity "bus limit 0x0, 64-bit mask" 131072 \
		${SWIOTLB_KO:+mx.swiotlb=try}
	if [ -n "$SWIOTLB_KO" ]; then
		has dmaidentity "^\(domU1\) MX-SWIOTLB-LOAD name=domU1 rc=[1-9][0-9]*$" \
			"^\(domU1\) MX-SWIOTLB-DMESG name=domU1 .*pvxen-swiotlb: this kernel has no per-device DMA operations \(CONFIG_DMA_OPS is off\): see Documentation/dma.md"
		ok $? "identity, test kernel: pvxen-swiotlb refuses to load (no dma_ops slot) and says why; the engine's jobs above ran as before"
	else
		ok 0 "identity: pvxen-swiotlb refuses to load without a dma_ops slot # SKIP no pvxen-swiotlb.ko (make modules)"
	fi
	dma_profile_run rpi4 "bus limit 0xffffffff, 32-bit mask" 131072
	dma_profile_run multi "bus limit 0x11fffffff, 33-bit mask" 655360
	s1="domU1:1:262144:0x50000000:0x50800000:mx.test=mxdma mx.side=dev mx.high=1 $DMA_DRVPARM"
	QEMU=${QEMU/-m 1G/-m 1152M} DMAPROF_domU1=rpi4 dom0less "$name" 1 "$s1"
	ok $? "DMA engine, rpi4, RAM beyond the window: QEMU powered off (exit 0)"
	has "$name" "^\(MX\) domU1: .*256 MiB RAM at IPA 0x78000000 \(PA 0x78000000\), 1:1$" \
		"^\(domU1\) MX-DMA-DMESG name=domU1 .*mxdma [0-9a-f]+\.dma: profile rpi4, bus limit 0xffffffff, 32-bit mask, "
	ok $? "rpi4: domU1's RAM 0x78000000-0x87ffffff, half above the 1 GiB window; 32-bit mask"
	dma_own_high "$name"
	ok $? "rpi4, RAM beyond the window: own pages bounced by the kernel land (1, 16 pages, sg 8, 32); 1 MiB fails to map (beyond a swiotlb segment); no refusal"
	dma_high "$name"
	ok $? "rpi4: 4 pages above the window (phys >= 0x80000000) land through the kernel's own swiotlb (bus 0xc0000000-0xffffffff), no refusal"
	dma_unload "$name" && nofault "$name"
	ok $? "rpi4, RAM beyond the window: the driver unloads cleanly; no fault, no oops"
}

# ---- pvxen-swiotlb (qemu-dma.sh --swiotlb, the dmaops kernel) ----------
#
# The same domains and jobs with pvxen-swiotlb loaded before the driver:
# on each profile the engine refuses nothing.  Own pages go direct; the
# page domU2 granted goes to the device at its machine frame through the
# dma-ranges (reachable in all three profiles: QEMU's RAM is inside
# them); the pair (an own page, then the granted one, contiguous in
# guest-physical memory only) is bounced through pvxen-swiotlb's pool;
# domU2 sees on its side the pattern the device wrote last.  Then the
# rpi4 run with RAM beyond the window and the granter above it: the own
# pages above it, the granted page and the pair are bounced by
# pvxen-swiotlb into its pool inside the window.
NSWIOTLB=43

# sw_stat NAME KEY: pvxen-swiotlb's debugfs counter KEY at the end
sw_stat() {
	sed -n "s/^(domU1) MX-SWIOTLB name=domU1 $2 //p" "$LOGDIR/$1.log"
}

# sw_foreign NAME: the foreign job landed both ways, nothing refused
sw_foreign() {
	local j="^\(domU1\) MX-DMA name=domU1 foreign 1 [0-9]+ 0x5eed => rc=0"

	has "$1" "$j foreign: ok .* read_st=0x1 write_st=0x1$" \
		"$j cpu_view=pattern own=pattern foreign_after=written run=0/0 domid=1 ref=[0-9]+ bfn=0x[0-9a-f]+$" \
		"$j run=0 descs=0 .* done=2 bytes=8192 range=0 owner=0 bad=0 mismatch=0 total_range=0 total_owner=0$"
}

# sw_pair NAME PROFILE: the pair landed both ways, through the pool
sw_pair() {
	local j="^\(domU1\) MX-DMA name=domU1 pair [0-9]+ [0-9]+ 0x5eee => rc=0"
	local r

	r=$(dma_res "$1" "pair [0-9]* [0-9]* 0x5eee")
	echo "#   pair: $r; pool at $(sw_stat "$1" pool_start), $(sw_stat "$1" pool_slots) slots"
	has "$1" "$j pair: ok .* read_st=0x1 write_st=0x1 run=0/0$" \
		"$j run=0 descs=0 .* done=2 bytes=16384 range=0 owner=0 bad=0 mismatch=0 total_range=0 total_owner=0$" &&
		sw_in_pool "$1" "$2" "$(dma_val "$r" dma_read)" &&
		sw_in_pool "$1" "$2" "$(dma_val "$r" dma_write)"
}

# sw_in_pool NAME PROFILE DMA: DMA is in pvxen-swiotlb's pool, as the
# device sees it through PROFILE's dma-ranges
sw_in_pool() {
	local start slots lo

	start=$(sw_stat "$1" pool_start)
	slots=$(sw_stat "$1" pool_slots)
	[ -n "$start" ] && [ -n "$slots" ] && [ -n "$3" ] || return 1
	lo=$(($(dma_bus "$2" "$start")))
	[ $(($3)) -ge "$lo" ] && [ $(($3)) -lt $((lo + slots * 4096)) ]
}

# sw_granter NAME JOB: domU2's page, granted with pattern 0x5eed, holds on
# its side, at its last check after domU1's JOB (the last to write it),
# the pattern JOB wrote (hashed by domU1 as "want"); the grant ended
sw_granter() {
	local fnv want last

	fnv=$(sed -n 's/^(domU2) MX-DMA-GRANT name=domU2 slot=0 ref=[0-9]* fnv=//p' "$LOGDIR/$1.log")
	want=$(sed -n 's/^(domU1) MX-DMA-WANT name=domU1 slot=[0-9]* ref=[0-9]* fnv=//p' "$LOGDIR/$1.log")
	last=$(grep "^(domU2) MX-DMA-CHECK name=domU2 " "$LOGDIR/$1.log" | tail -n1 |
		sed -n 's/.* fnv=\([0-9a-fx]*\) .*/\1/p')
	echo "#   domU2: granted fnv $fnv, last check $last; want $want"
	[ -n "$fnv" ] && [ -n "$want" ] && [ "$fnv" != "$want" ] &&
		[ "$last" = "$want" ] &&
		before "$1" "MX-DMA name=domU1 $2 " "MX-DMA-CHECK name=domU2 " &&
		has "$1" "^\(domU2\) MX-DMA-END name=domU2 ended=1$"
}

# sw_counters NAME: pvxen-swiotlb went direct for own pages, bounced the
# pair for its discontiguity (read and write), failed nothing, and has
# nothing mapped in its pool at the end; minixen refused nothing
sw_counters() {
	local n

	n=$(grep -Ec "^\(MX\) domU1: DMA engine .*refused$" "$LOGDIR/$1.log")
	[ "$(sw_stat "$1" attached)" = 1 ] &&
		[ "$(sw_stat "$1" map_direct)" -gt 0 ] &&
		[ "$(sw_stat "$1" bounce_discontig)" -ge 2 ] &&
		[ "$(sw_stat "$1" bounce_foreign)" = 0 ] &&
		[ "$(sw_stat "$1" map_failed)" = 0 ] &&
		[ "$(sw_stat "$1" pool_used)" = 0 ] && [ "$n" -eq 0 ] &&
		has "$1" "^\(domU1\) MX-DMA name=domU1 counters => rc=0 counters: done=[0-9]+ bytes=[0-9]+ range=0 owner=0 bad=0 mismatch=0 "
}

# sw_unload NAME: pvxen-swiotlb cannot go while the driver uses it; the
# driver unloads, reloads (through it again) and unloads; then it goes,
# debugfs with it; no fault, no oops
sw_unload() {
	has "$1" "^\(domU1\) MX-SWIOTLB-BUSY name=domU1 rmmod=[1-9][0-9]*$" \
		"^\(domU1\) MX-DMA-UNLOAD name=domU1 rmmod=0 reload=0 left=0$" \
		"^\(domU1\) MX-SWIOTLB-UNLOAD name=domU1 rmmod=0 debugfs_left=0$" &&
		nofault "$1"
}

# sw_profile_run PROFILE PROBE MEM RANGES
sw_profile_run() {
	local p=$1 probe=$2 name=sw$1 nr=$4
	local s1="domU1:1:$3:0x50000000:0x50800000:mx.test=mxdma mx.side=dev mx.peer=1 mx.swiotlb=1 $DMA_DRVPARM"
	local s2="domU2:1:65536:0x51000000:0x51800000:mx.test=mxdma mx.side=grant mx.peer=0 mx.hold=$DMA_HOLD"
	local rs="ranges"

	[ "$nr" = 1 ] && rs=range
	DMAPROF_domU1=$p ENH_domU2=enabled dom0less "$name" 2 "$s1" "$s2"
	ok $? "pvxen-swiotlb, $p profile: domU1 and the granter: QEMU powered off (exit 0)"
	grep -E "MX-DMA name=domU1 (foreign|pair|counters)|MX-SWIOTLB name=" "$LOGDIR/$name.log" |
		sed 's/^/#   /'
	has "$name" "^\(domU1\) MX-SWIOTLB-LOAD name=domU1 rc=0$" \
		"^\(domU1\) MX-DMA-DMESG name=domU1 .*mxdma [0-9a-f]+\.dma: pvxen-swiotlb: DMA through the translation layer \($nr $rs, coherent\)$" \
		"^\(domU1\) MX-DMA-DMESG name=domU1 .*mxdma [0-9a-f]+\.dma: profile $p, $probe, ring of 64 at 0x[0-9a-f]+, irq [0-9]+( \(polled\))?$"
	ok $? "$p: pvxen-swiotlb loaded and serves the engine from before its probe ($nr $rs, coherent); the driver probed: $probe"
	dma_own "$name"
	ok $? "$p: own pages through pvxen-swiotlb: 1, 16, 256 contiguous pages and sg of 8 and 32 apart: every byte, no refusal"
	sw_foreign "$name"
	ok $? "$p: the page domU2 granted, dma_map_page(): read and written by the engine, every byte, nothing refused"
	dma_foreign_addr "$name" "$p" bfn
	ok $? "$p: the device got the granted page at its machine frame through the dma-ranges, not at its guest-physical address"
	sw_pair "$name" "$p"
	ok $? "$p: an own page and the granted one side by side (contiguous in guest-physical memory only), one mapping: bounced through the pool, both ways, every byte"
	sw_granter "$name" pair
	ok $? "$p: domU2 sees on its side what the device wrote into its page (pattern 0x5eef), and ends the grant"
	sw_counters "$name"
	ok $? "$p: pvxen-swiotlb: own pages direct, the pair bounced, no failure, pool empty at the end; minixen refused nothing"
	sw_unload "$name"
	ok $? "$p: pvxen-swiotlb cannot be unloaded under the driver; driver out, in, out; then it unloads, debugfs gone; no fault, no oops"
}

# picked RUN N: RUN is one of $MX_DMA_RUNS (unset: every run), or its N
# results are skipped (a mutant that needs one run only)
picked() {
	local i

	case " ${MX_DMA_RUNS:-$1} " in
	*" $1 "*) return 0 ;;
	esac
	for i in $(seq 1 "$2"); do
		ok 0 "$1: $i # SKIP not in MX_DMA_RUNS=$MX_DMA_RUNS"
	done
	return 1
}

# sw_high_run: rpi4, domU1's RAM across the window's end and domU2's
# above it, through pvxen-swiotlb
sw_high_run() {
	local r name=swhigh

	high_boot "$name" "pvxen-swiotlb" "mx.swiotlb=1" "high|foreign|pair"
	grep "MX-SWIOTLB name=" "$LOGDIR/$name.log" | sed 's/^/#   /'
	dma_lands "$name" "copy 1:copy: ok pages=1 bytes=4096 " \
		"copy 16:copy: ok pages=16 bytes=65536 " "$DMA_SG" "$DMA_SG32"
	ok $? "rpi4, RAM beyond the window, pvxen-swiotlb: 1, 16 pages and sg of 8 and 32 land, every byte, no refusal"
	dma_high "$name" && [ "$(sw_stat "$name" bounce_reach)" -ge 4 ]
	ok $? "rpi4: 4 pages above the window (phys >= 0x80000000) bounced by pvxen-swiotlb into it (bus 0xc0000000-0xffffffff), no refusal"
	r=$(foreign_high "$name" foreign) && set -- $r &&
		[ "$(sw_stat "$name" bounce_reach)" -ge 6 ] &&
		sw_in_pool "$name" rpi4 "$3" && sw_in_pool "$name" rpi4 "$4"
	ok $? "rpi4: the page domU2 granted from above the window (machine frame >= 0x80000000): bounced by pvxen-swiotlb for reach (into its pool, in the window), read and written, every byte, nothing refused"
	sw_pair "$name" rpi4
	ok $? "rpi4: an own page and the one granted from above the window side by side, one mapping: bounced through the pool, both ways, every byte"
	sw_granter "$name" pair
	ok $? "rpi4, above the window: domU2 sees on its side what the device wrote into its page, and ends the grant"
	sw_unload "$name"
	ok $? "rpi4, RAM beyond the window: everything unloads cleanly; no fault, no oops"
}

# sw_force_run: rpi4 with the kernel's swiotlb=force (as a restricted DMA
# pool would): pvxen-swiotlb leaves the device to the kernel, whose pool
# (the domain's own memory, in the window) takes every buffer, copied by
# the CPU; the granted page and the pair land too, nothing refused
sw_force_run() {
	local name=swforce r d
	local s1="domU1:1:131072:0x50000000:0x50800000:mx.test=mxdma mx.side=dev mx.peer=1 mx.swiotlb=try mx.lands=1 swiotlb=8192,force $DMA_DRVPARM"
	local s2="domU2:1:65536:0x51000000:0x51800000:mx.test=mxdma mx.side=grant mx.peer=0 mx.hold=$DMA_HOLD"
	local j="^\(domU1\) MX-DMA name=domU1"

	DMAPROF_domU1=rpi4 ENH_domU2=enabled dom0less "$name" 2 "$s1" "$s2"
	ok $? "swiotlb=force, rpi4: domU1 and the granter: QEMU powered off (exit 0)"
	grep -E "MX-DMA name=domU1 (foreign|pair|counters)|pvxen-swiotlb: the kernel" "$LOGDIR/$name.log" |
		sed 's/^/#   /'
	has "$name" "^\(domU1\) MX-SWIOTLB-LOAD name=domU1 rc=0$" \
		"^\(domU1\) MX-DMA-DMESG name=domU1 .*mxdma [0-9a-f]+\.dma: pvxen-swiotlb: the kernel's swiotlb bounces all its DMA \(restricted pool or swiotlb=force\): left to it$" \
		"^\(domU1\) MX-DMA-DMESG name=domU1 .*mxdma [0-9a-f]+\.dma: profile rpi4, bus limit 0xffffffff, 32-bit mask, "
	ok $? "swiotlb=force: pvxen-swiotlb loads and leaves the device to the kernel's swiotlb, saying so"
	dma_own_high "$name"
	ok $? "swiotlb=force: own pages bounced by the kernel land (1, 16 pages, sg 8, 32); 1 MiB fails to map (beyond a swiotlb segment); no refusal"
	r=$(dma_res "$name" "foreign 1 [0-9]* 0x5eed")
	d=$(dma_bus rpi4 $(($(dma_val "$r" bfn) << 12)))
	has "$name" "$j foreign 1 [0-9]+ 0x5eed => rc=0 foreign: ok .* read_st=0x1 write_st=0x1$" \
		"$j foreign 1 [0-9]+ 0x5eed => rc=0 run=0 descs=0 .* done=2 bytes=8192 range=0 owner=0 bad=0 mismatch=0 total_range=0 total_owner=0$" &&
		in_window "$(dma_val "$r" dma_read)" "$(dma_val "$r" dma_write)" &&
		[ $(($(dma_val "$r" dma_read))) -ne $((d)) ]
	ok $? "swiotlb=force: the page domU2 granted, plain dma_map_page(): copied through the kernel's pool (not its frame's address), read and written, every byte, nothing refused"
	has "$name" "$j pair 1 [0-9]+ 0x5eee => rc=0 pair: ok .* read_st=0x1 write_st=0x1 run=0/0$" \
		"$j pair 1 [0-9]+ 0x5eee => rc=0 run=0 descs=0 .* done=2 bytes=16384 range=0 owner=0 bad=0 mismatch=0 total_range=0 total_owner=0$"
	ok $? "swiotlb=force: an own page and the granted one side by side, one mapping: through the kernel's pool, both ways, every byte"
	sw_granter "$name" pair
	ok $? "swiotlb=force: domU2 sees on its side what the device wrote into its page, and ends the grant"
	dma_none_refused "$name" && dma_unload "$name" && nofault "$name"
	ok $? "swiotlb=force: minixen and the engine refused nothing; the driver unloads, reloads and copies, unloads; no fault, no oops"
}

dma_swiotlb_tests() {
	if [ -z "$MXDMA_KO" ] || [ -z "$SWIOTLB_KO" ]; then
		for i in $(seq 1 $NSWIOTLB); do
			ok 0 "pvxen-swiotlb: $i # SKIP needs the dmaops kernel and its modules (make modules-dmaops)"
		done
		return
	fi
	if picked identity 10; then
		sw_profile_run identity "bus limit 0x0, 64-bit mask" 131072 0
		grep "MX-SWIOTLB-BADPARAM" "$LOGDIR/swidentity.log" | sed 's/^/#   /'
		has swidentity "MX-SWIOTLB-BADPARAM name=domU1 pool_kb=5 => rc=[1-9][0-9]* .*pvxen-swiotlb: pool_kb=5 is invalid: expected 64\.\.4096$" \
			"MX-SWIOTLB-BADPARAM name=domU1 pool_kb=8192 => rc=[1-9][0-9]* .*pvxen-swiotlb: pool_kb=8192 is invalid: expected 64\.\.4096$" \
			"MX-SWIOTLB-BADPARAM name=domU1 max_bounce_kb=0 => rc=[1-9][0-9]* .*pvxen-swiotlb: max_bounce_kb=0 is invalid: expected 4\.\.1024$" \
			"MX-SWIOTLB-BADPARAM name=domU1 max_bounce_kb=abc => rc=[1-9][0-9]* .*pvxen-swiotlb: max_bounce_kb=abc is invalid: expected 4\.\.1024$" \
			"MX-SWIOTLB-BADPARAM name=domU1 pool_kb=64 max_bounce_kb=128 => rc=[1-9][0-9]* .*pvxen-swiotlb: max_bounce_kb=128 is invalid: larger than pool_kb=64$"
		ok $? "pvxen-swiotlb: 5 bad parameter sets refused, each with a line naming the parameter"
	fi
	picked rpi4 9 && sw_profile_run rpi4 "bus limit 0xffffffff, 32-bit mask" 131072 1
	picked multi 9 && sw_profile_run multi "bus limit 0x11fffffff, 33-bit mask" 655360 2
	picked high 8 && sw_high_run
	picked force 7 && sw_force_run
}

# ---- identity grant maps (qemu-dma.sh --identity, the zonedev kernel) -----
#
# A kernel without a dma_ops slot (pvxen-swiotlb refuses to load there):
# the granted page is mapped at its machine address instead
# (pvxen_gnttab_map_dma(): a device mapping to learn the frame, a host
# mapping there, device-memory pages over the extended regions), and the
# kernel's own dma-direct gives the device the right bus address.  On
# each profile the engine refuses nothing and domU2 sees the write.
NIDENTITY=33

# id_foreign NAME PROFILE: the foreign-id job landed both ways at the
# page's address, which is its machine frame's, through the dma-ranges
id_foreign() {
	local j="^\(domU1\) MX-DMA name=domU1 foreign-id 1 [0-9]+ 0x5eed => rc=0"
	local r p bfn

	r=$(dma_res "$1" "foreign-id 1 [0-9]* 0x5eed")
	p=$(dma_val "$r" phys)
	bfn=$(dma_val "$r" bfn)
	echo "#   phys=$p bfn=$bfn dma_read=$(dma_val "$r" dma_read) dma_write=$(dma_val "$r" dma_write)"
	has "$1" "$j foreign: ok .* read_st=0x1 write_st=0x1$" \
		"$j cpu_view=pattern own=pattern foreign_after=written run=0/0 domid=1 ref=[0-9]+ bfn=0x[0-9a-f]+$" \
		"$j run=0 descs=0 .* done=2 bytes=8192 range=0 owner=0 bad=0 mismatch=0 total_range=0 total_owner=0$" &&
		[ -n "$p" ] && [ -n "$bfn" ] && [ $((bfn << 12)) -eq $((p)) ] &&
		[ $(($(dma_val "$r" dma_read))) -eq $(($(dma_bus "$2" "$p"))) ] &&
		[ $(($(dma_val "$r" dma_write))) -eq $(($(dma_bus "$2" "$p"))) ]
}

# id_profile_run PROFILE PROBE MEM
id_profile_run() {
	local p=$1 probe=$2 name=id$1
	local s1="domU1:1:$3:0x50000000:0x50800000:mx.test=mxdma mx.side=dev mx.peer=1 mx.identity=1 mx.swiotlb=try $DMA_DRVPARM"
	local s2="domU2:1:65536:0x51000000:0x51800000:mx.test=mxdma mx.side=grant mx.peer=0 mx.hold=$DMA_HOLD"

	DMAPROF_domU1=$p ENH_domU2=enabled dom0less "$name" 2 "$s1" "$s2"
	ok $? "identity grant maps, $p profile: domU1 and the granter: QEMU powered off (exit 0)"
	grep -E "MX-DMA name=domU1 (foreign-id|counters)" "$LOGDIR/$name.log" | sed 's/^/#   /'
	has "$name" "^\(domU1\) MX-SWIOTLB-LOAD name=domU1 rc=[1-9][0-9]*$" \
		"^\(domU1\) MX-SWIOTLB-DMESG name=domU1 .*pvxen-swiotlb: this kernel has no per-device DMA operations" \
		"^\(domU1\) MX-DMA-DMESG name=domU1 .*mxdma [0-9a-f]+\.dma: profile $p, $probe, ring of 64 at 0x[0-9a-f]+, irq [0-9]+( \(polled\))?$"
	ok $? "$p: a kernel without a dma_ops slot (pvxen-swiotlb refuses to load); the driver probed: $probe"
	dma_own "$name"
	ok $? "$p: own pages, plain dma-direct: 1, 16, 256 contiguous pages and sg of 8 and 32 apart: every byte, no refusal"
	id_foreign "$name" "$p"
	ok $? "$p: the page domU2 granted, mapped at its machine address: dma_map_page() gives it through the dma-ranges; read and written, every byte, nothing refused"
	has "$name" "^\(domU1\) MX-DMA name=domU1 twice-id 1 [0-9]+ 0x5eed => rc=0 twice: ok bfn=0x[0-9a-f]+ unmap=0/0$"
	ok $? "$p: the same grant mapped twice at its machine address: one page, still readable after the first unmap, both unmapped"
	sw_granter "$name" foreign-id
	ok $? "$p: domU2 sees on its side what the device wrote into its page (pattern 0x5eee), and ends the grant"
	dma_none_refused "$name"
	ok $? "$p: minixen refused nothing, the engine counted no refusal"
	dma_unload "$name" && nofault "$name"
	ok $? "$p: the driver unloads, reloads and copies, unloads: no IRQ, no debugfs left; no fault, no oops"
}

# dma_none_refused NAME: minixen logged no refusal for domU1, and its
# engine's counters say none
dma_none_refused() {
	[ "$(grep -Ec "^\(MX\) domU1: DMA engine .*refused$" "$LOGDIR/$1.log")" -eq 0 ] &&
		has "$1" "^\(domU1\) MX-DMA name=domU1 counters => rc=0 counters: done=[0-9]+ bytes=[0-9]+ range=0 owner=0 bad=0 mismatch=0 "
}

# id_high_run: rpi4, domU1's RAM across the window's end and domU2's
# above it: own pages above the window and the page domU2 granted (mapped
# at its machine address, above the window) are bounced by the kernel's
# own swiotlb into the window; nothing refused
id_high_run() {
	local name=idhigh r

	high_boot "$name" "identity grant maps" "mx.identity=1" "high|foreign-id|twice-id"
	dma_own_high "$name"
	ok $? "rpi4, RAM beyond the window: own pages bounced by the kernel land (1, 16 pages, sg 8, 32); 1 MiB fails to map (beyond a swiotlb segment); no refusal"
	dma_high "$name"
	ok $? "rpi4: 4 pages above the window (phys >= 0x80000000) land through the kernel's own swiotlb (bus 0xc0000000-0xffffffff), no refusal"
	r=$(foreign_high "$name" foreign-id) && set -- $r && [ $(($1)) -eq $(($2 << 12)) ]
	ok $? "rpi4: the page domU2 granted from above the window, mapped at its machine address (>= 0x80000000): bounced by the kernel's own swiotlb into the window, read and written, every byte, nothing refused"
	has "$name" "^\(domU1\) MX-DMA name=domU1 twice-id 0 [0-9]+ 0x5eed => rc=0 twice: ok bfn=0x8[89ab][0-9a-f]{3} unmap=0/0$"
	ok $? "rpi4: the same grant from above the window mapped twice at its machine address: one page, readable after the first unmap, both unmapped"
	sw_granter "$name" foreign-id
	ok $? "rpi4, above the window: domU2 sees on its side what the device wrote into its page, and ends the grant"
	dma_none_refused "$name"
	ok $? "rpi4, above the window: minixen refused nothing, the engine counted no refusal"
	dma_unload "$name" && nofault "$name"
	ok $? "rpi4, above the window: the driver unloads, reloads and copies, unloads: no IRQ, no debugfs left; no fault, no oops"
}

dma_identity_tests() {
	if [ -z "$MXDMA_KO" ]; then
		for i in $(seq 1 $NIDENTITY); do
			ok 0 "identity grant maps: $i # SKIP needs the zonedev kernel and its modules (make modules-zonedev)"
		done
		return
	fi
	id_profile_run identity "bus limit 0x0, 64-bit mask" 131072
	id_profile_run rpi4 "bus limit 0xffffffff, 32-bit mask" 131072
	id_profile_run multi "bus limit 0x11fffffff, 33-bit mask" 655360
	id_high_run
}

# Run alone: the plan, the tests, the summary.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	if [ "${1:-}" = --swiotlb ] || [ "${1:-}" = --identity ]; then
		mode=${1#--}
		flavour=dmaops
		[ "$mode" = identity ] && flavour=zonedev
		shift
		HERE=$(cd "$(dirname "$0")" && pwd)
		CACHE=${PVXEN_CACHE:-/var/cache/pvxen}
		mods=${3:-$HERE/../out/$flavour-build}
		export PVXEN_KO=$mods/drivers/core/pvxen-core.ko
		export TESTMODS=$mods/tests/modules
		export MXDMA_KO=$mods/tests/modules/mxdma/mxdma.ko
		export SWIOTLB_KO=$mods/drivers/dma/pvxen-swiotlb.ko
		. "$HERE/qemu-lib.sh" "${1:-$HERE/../../hyp/minixen}" \
			"${2:-$CACHE/kernel/$flavour/arch/arm64/boot/Image}"
		if [ "$mode" = swiotlb ]; then
			echo "1..$NSWIOTLB"
			dma_swiotlb_tests
		else
			echo "1..$NIDENTITY"
			dma_identity_tests
		fi
	else
		. "$(dirname "$0")/qemu-lib.sh" "$@"
		echo "1..$NDMA"
		dma_tests
	fi
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
fi
