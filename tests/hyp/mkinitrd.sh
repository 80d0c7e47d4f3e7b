#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Tiny busybox initramfs for the minixen QEMU tests.
#   mkinitrd.sh OUT.cpio.gz
# /init reports "MX-USERSPACE name=<mx.name> cpus=<CPUs> online=<online
# CPU list>", then does what mx.test= on the kernel command line says:
#   poweroff (default) | reboot
#   | hold (stay up mx.hold seconds, print "MX-TICK name=N I t=UPTIME" each)
#   | fault (hold; at tick 2 load mxfault.ko to read mx.addr, memory
#     outside the domain; needs MXFAULT_KO, built by tests/hyp/Makefile)
#   | spin (busy-loop in userspace on every CPU, forever; with mx.irqsoff=1
#     and mxfault.ko, after a second also spin in the kernel, interrupts
#     masked)
#   | psci (mxfault.ko mode=psci: bad PSCI calls and MMIO; then CPU
#     hotplug of cpu1 through sysfs, which is PSCI CPU_ON and CPU_OFF)
#   | xen (mxfault.ko mode=xen priv=<mx.priv>: Xen hypercalls, good and bad)
#   | pvxen (insmod /pvxen-core.ko, if PVXEN_KO gave one; then print
#     "MX-PVXEN-STATE name=N <file>: <line>" for debugfs pvxen/events and
#     pvxen/grant)
#   | peer (with domain mx.peer, side mx.side=a|b: mxfault.ko mode=peer,
#     an event channel between the two; then pvxen-core and
#     pvxen-gnttab-test.ko (GNTTEST_KO): side a grants the peer a page
#     read-only ("MX-GRANT name=N <result>") and holds it mx.hold seconds,
#     side b finds and maps it ("MX-MAPPED name=N ref=R <result>"))
#   | virq (with domain mx.peer: mxfault.ko mode=virq priv=<mx.priv>:
#     the privileged domain counts VIRQ_DOM_EXC and VIRQ_CON_RING while
#     the peer binds them too, writes console lines and ends)
#   | fuzz (mxfuzz.ko, MXFUZZ_KO: hypercall fuzzing with seed mx.seed,
#     mx.count calls on mx.threads CPUs, own domid mx.self, another's
#     mx.victim, pointers into machine memory mx.fbase, mx.fsize; then
#     "MX-FUZZ-END name=N rc=R", mx.hold seconds, "MX-FUZZ-AFTER name=N")
#   | mxdma (the DMA engine's driver, tests/modules/mxdma, MXDMA_KO, with
#     pvxen-core and pvxen-gnttab-test): mx.side=dev in the 1:1 domain
#     runs its jobs (copies, sg, "high" with mx.high=1, and with mx.peer
#     a page that domain granted: found with pvxen-gnttab-test, then
#     "foreign", then "pair": an own page and that one side by side;
#     with mx.swiotlb=1, pvxen-swiotlb.ko (SWIOTLB_KO) is loaded first
#     and its counters printed, "MX-SWIOTLB name=N <line>", before it
#     is unloaded last; mx.swiotlb=try only tries to load it,
#     "MX-SWIOTLB-LOAD name=N rc=R" and its dmesg lines; mx.identity=1
#     maps the granted page at its machine address instead
#     ("foreign-id", pvxen_gnttab_map_dma(); no pair job); mx.lands=1:
#     the foreign job lands without pvxen-swiotlb (swiotlb=force)),
#     "MX-DMA name=N <job> => rc=R <line>" for each line of its result,
#     then unloads, reloads and unloads the driver ("MX-DMA-UNLOAD ...");
#     mx.side=grant grants domain mx.peer a writable page of pattern
#     0x5eed ("MX-DMA-GRANT name=N slot= ref= fnv="), checks it every
#     second for mx.hold seconds ("MX-DMA-CHECK name=N I fnv= inuse="),
#     then ends the grant ("MX-DMA-END name=N ended=")
#   | mxbench (make bench's DMA rows, tests/bench/dma-run: mxdma.ko's
#     "bench map mx.bmap" and "bench copy mx.bcopy" jobs with the
#     kernel's own DMA operations, then again with pvxen-swiotlb.ko
#     loaded first: "MX-BENCH name=N side=kernel|pvxen <result>")
#   | canary (mxfuzz.ko mode=canary: mx.canary_pages pages (default 1)
#     of a known pattern; then a
#     tick a second forever, "MX-TICK name=N I t=UPTIME canary=ok|BAD ...")
# Every run first prints "MX-DT name=N hypervisor=<compatible strings|none>
# reg=<hex> interrupts=<hex>" from /proc/device-tree/hypervisor.
# Then it powers off, or reboots with mx.test=reboot or mx.end=reboot, or
# ends through SCHEDOP_shutdown(poweroff) with mx.end=xenoff (mxfault.ko).
set -e
OUT=$(readlink -f "$1")
BUSYBOX=${BUSYBOX:-${PVXEN_CACHE:-/var/cache/pvxen}/arm64-root/bin/busybox}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/bin" "$T/proc" "$T/sys" "$T/dev"
cp "$BUSYBOX" "$T/bin/busybox"
[ -n "${MXFAULT_KO:-}" ] && cp "$MXFAULT_KO" "$T/mxfault.ko"
[ -n "${PVXEN_KO:-}" ] && cp "$PVXEN_KO" "$T/pvxen-core.ko"
[ -n "${GNTTEST_KO:-}" ] && cp "$GNTTEST_KO" "$T/pvxen-gnttab-test.ko"
[ -n "${MXFUZZ_KO:-}" ] && cp "$MXFUZZ_KO" "$T/mxfuzz.ko"
[ -n "${MXDMA_KO:-}" ] && cp "$MXDMA_KO" "$T/mxdma.ko"
[ -n "${SWIOTLB_KO:-}" ] && cp "$SWIOTLB_KO" "$T/pvxen-swiotlb.ko"
for a in sh mount cat echo grep sleep poweroff reboot insmod rmmod seq tr od \
	sed dmesg ls; do
	ln -s busybox "$T/bin/$a"
done
cat > "$T/init" <<'EOI'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev 2>/dev/null
arg() { for w in $(cat /proc/cmdline); do case $w in $1=*) echo "${w#*=}";; esac; done; }
name=$(arg mx.name)
test=$(arg mx.test)
cpus=$(grep -c ^processor /proc/cpuinfo)
echo "MX-USERSPACE name=$name cpus=$cpus online=$(cat /sys/devices/system/cpu/online)"
h=/proc/device-tree/hypervisor
if [ -d $h ]; then
	echo "MX-DT name=$name hypervisor=$(tr '\0' ' ' < $h/compatible)reg=$(od -An -tx1 -v $h/reg | tr -d ' \n') interrupts=$(od -An -tx1 -v $h/interrupts | tr -d ' \n')"
else
	echo "MX-DT name=$name hypervisor=none"
fi
case $test in
hold|fault)
	for i in $(seq 1 ${MX_HOLD:-$(arg mx.hold)}); do
		sleep 1
		read -r up idle < /proc/uptime
		echo "MX-TICK name=$name $i t=$up"
		if [ "$test" = fault ] && [ "$i" = 2 ]; then
			echo "MX-FAULT name=$name reading $(arg mx.addr)"
			insmod /mxfault.ko addr=$(arg mx.addr)
			echo "MX-FAULT-SURVIVED name=$name rc=$?"
		fi
	done
	;;
spin)
	for i in $(seq 1 "$cpus"); do
		while :; do :; done &
	done
	echo "MX-SPIN name=$name userspace, $cpus spinners"
	if [ "$(arg mx.irqsoff)" = 1 ] && [ -f /mxfault.ko ]; then
		sleep 1
		echo "MX-SPIN name=$name kernel, interrupts masked"
		insmod /mxfault.ko mode=spin
	fi
	wait
	;;
psci)
	insmod /mxfault.ko mode=psci
	c=/sys/devices/system/cpu
	for v in 1 0 1; do
		echo $v > $c/cpu1/online
		echo "MX-HOTPLUG name=$name cpu1=$v online=$(cat $c/online)"
	done
	;;
xen)
	p=$(arg mx.priv)
	insmod /mxfault.ko mode=xen priv=${p:-0}
	;;
pvxen)
	insmod /pvxen-core.ko
	echo "MX-PVXEN name=$name rc=$?"
	mount -t debugfs debugfs /sys/kernel/debug
	for f in events grant xenstore; do
		sed "s/^/MX-PVXEN-STATE name=$name $f: /" /sys/kernel/debug/pvxen/$f
	done
	[ -d /sys/bus/pvxen ] && echo "MX-PVXEN-BUS name=$name" \
		"devices=$(ls /sys/bus/pvxen/devices | wc -l)"
	dmesg | grep "pvxen: " | sed "s/^/MX-PVXEN-DMESG name=$name /"
	;;
peer)
	peer=$(arg mx.peer)
	insmod /mxfault.ko mode=peer side=$(arg mx.side) peer=$peer
	insmod /pvxen-core.ko && insmod /pvxen-gnttab-test.ko
	mount -t debugfs debugfs /sys/kernel/debug
	ctl=/sys/kernel/debug/pvxen-gnttab-test/ctl
	# The same seed fills the same pattern: its hash, from a grant here.
	echo "grant $peer 0x5eed 1" > $ctl
	mine=$(cat $ctl)
	if [ "$(arg mx.side)" = a ]; then
		echo "MX-GRANT name=$name $mine"
		sleep "$(arg mx.hold)"
	else
		fnv=${mine##*fnv=}
		for i in $(seq 1 50); do
			for ref in $(seq 8 40); do
				echo "map $peer $ref $fnv" > $ctl
				r=$(cat $ctl)
				case $r in
				"map=0 status=0"*)
					echo "MX-MAPPED name=$name ref=$ref $r"
					break 2
					;;
				esac
			done
			sleep 0.2
		done
	fi
	;;
virq)
	p=$(arg mx.priv)
	insmod /mxfault.ko mode=virq priv=${p:-0} peer=$(arg mx.peer)
	;;
fuzz)
	c=$(arg mx.count)
	t=$(arg mx.threads)
	fb=$(arg mx.fbase)
	fs=$(arg mx.fsize)
	insmod /mxfuzz.ko seed=$(arg mx.seed) self=$(arg mx.self) \
		victim=$(arg mx.victim) ${c:+count=$c} ${t:+threads=$t} \
		${fb:+foreign_base=$fb} ${fs:+foreign_size=$fs}
	echo "MX-FUZZ-END name=$name rc=$?"
	sleep "$(arg mx.hold)"
	echo "MX-FUZZ-AFTER name=$name"
	;;
mxdma)
	insmod /pvxen-core.ko && insmod /pvxen-gnttab-test.ko
	mount -t debugfs debugfs /sys/kernel/debug
	gctl=/sys/kernel/debug/pvxen-gnttab-test/ctl
	peer=$(arg mx.peer)
	if [ "$(arg mx.side)" = grant ]; then
		echo "grant $peer 0x5eed 0" > $gctl
		echo "MX-DMA-GRANT name=$name $(cat $gctl)"
		for i in $(seq 1 "$(arg mx.hold)"); do
			sleep 1
			echo "check 0" > $gctl
			echo "MX-DMA-CHECK name=$name $i $(cat $gctl)"
		done
		echo "end 0" > $gctl
		echo "MX-DMA-END name=$name $(cat $gctl)"
	else
		dp=$(arg mx.dmaparm)
		sw=$(arg mx.swiotlb)
		if [ "$sw" = 1 ]; then
			for p in pool_kb=5 pool_kb=8192 max_bounce_kb=0 \
				max_bounce_kb=abc "pool_kb=64 max_bounce_kb=128"; do
				dmesg -c > /dev/null
				# shellcheck disable=SC2086 # words are parameters
				insmod /pvxen-swiotlb.ko $p 2> /dev/null
				echo "MX-SWIOTLB-BADPARAM name=$name $p => rc=$? $(dmesg | grep pvxen-swiotlb | tail -n1)"
			done
		fi
		if [ -n "$sw" ]; then
			insmod /pvxen-swiotlb.ko
			echo "MX-SWIOTLB-LOAD name=$name rc=$?"
			dmesg | grep "pvxen-swiotlb" |
				sed "s/^/MX-SWIOTLB-DMESG name=$name /"
		fi
		insmod /mxdma.ko $dp
		dmesg | grep "mxdma" | sed "s/^/MX-DMA-DMESG name=$name /"
		ctl=$(ls /sys/kernel/debug/mxdma-*/ctl)
		job() {
			echo "$1" > "$ctl"
			r=$?
			while read -r l; do
				echo "MX-DMA name=$name $1 => rc=$r $l"
			done < "$ctl"
		}
		for j in "copy 1" "copy 16" "copy 256" "sg 8" "sg 32"; do
			job "$j"
		done
		[ "$(arg mx.high)" = 1 ] && job "high 4"
		if [ -n "$peer" ]; then
			# the granter's pattern hash: a grant of our own
			echo "grant $peer 0x5eed 1" > $gctl
			mine=$(cat $gctl)
			fnv=${mine##*fnv=}
			for i in $(seq 1 50); do
				for ref in $(seq 8 40); do
					echo "map $peer $ref $fnv" > $gctl
					case $(cat $gctl) in
					"map=0 status=0 content=ok"*)
						if [ "$(arg mx.identity)" = 1 ]; then
							job "twice-id $peer $ref 0x5eed"
							job "foreign-id $peer $ref 0x5eed"
							want=0x5eee
							break 2
						fi
						job "foreign $peer $ref 0x5eed"
						# where it lands (pvxen-swiotlb,
						# or mx.lands=1: the kernel's
						# swiotlb=force) the foreign job
						# wrote 0x5eee there
						ps=0x5eed
						if [ "$sw" = 1 ] || [ "$(arg mx.lands)" = 1 ]; then
							ps=0x5eee
							want=0x5eef
						fi
						job "pair $peer $ref $ps"
						break 2
						;;
					esac
				done
				sleep 0.2
			done
		fi
		job counters
		if [ -n "${want:-}" ]; then
			# what the granter's page holds after the jobs
			echo "grant $peer $want 1" > $gctl
			echo "MX-DMA-WANT name=$name $(cat $gctl)"
		fi
		if [ "$sw" = 1 ]; then
			sed "s/^/MX-SWIOTLB name=$name /" \
				/sys/kernel/debug/pvxen/swiotlb/stats \
				/sys/kernel/debug/pvxen/swiotlb/devices
			rmmod pvxen_swiotlb 2> /dev/null
			echo "MX-SWIOTLB-BUSY name=$name rmmod=$?"
		fi
		rmmod mxdma
		r1=$?
		left=$(grep -c mxdma /proc/interrupts)
		ls -d /sys/kernel/debug/mxdma-* > /dev/null 2>&1 && left=$((left + 1))
		insmod /mxdma.ko $dp && job "copy 1" && rmmod mxdma
		r2=$?
		left=$((left + $(grep -c mxdma /proc/interrupts)))
		echo "MX-DMA-UNLOAD name=$name rmmod=$r1 reload=$r2 left=$left"
		if [ "$sw" = 1 ]; then
			rmmod pvxen_swiotlb
			r3=$?
			ls -d /sys/kernel/debug/pvxen/swiotlb > /dev/null 2>&1
			echo "MX-SWIOTLB-UNLOAD name=$name rmmod=$r3 debugfs_left=$((1 - $?))"
		fi
	fi
	;;
mxbench)
	insmod /pvxen-core.ko
	mount -t debugfs debugfs /sys/kernel/debug
	for side in kernel pvxen; do
		[ $side = pvxen ] && insmod /pvxen-swiotlb.ko
		insmod /mxdma.ko
		ctl=$(ls /sys/kernel/debug/mxdma-*/ctl)
		for j in map:$(arg mx.bmap) copy:$(arg mx.bcopy); do
			[ -n "${j#*:}" ] || continue
			echo "bench ${j%%:*} ${j#*:}" > "$ctl"
			echo "MX-BENCH name=$name side=$side $(cat "$ctl")"
		done
		rmmod mxdma
	done
	;;
canary)
	cp=$(arg mx.canary_pages)
	insmod /mxfuzz.ko mode=canary ${cp:+canary_pages=$cp}
	i=0
	while :; do
		sleep 1
		i=$((i + 1))
		read -r up idle < /proc/uptime
		echo "MX-TICK name=$name $i t=$up $(cat /sys/module/mxfuzz/parameters/canary)"
	done
	;;
esac
if [ "$(arg mx.end)" = xenoff ]; then
	rmmod mxfault 2> /dev/null
	insmod /mxfault.ko mode=xenoff
	echo "MX-STILL-RUNNING name=$name"
fi
if [ "$test" = reboot ] || [ "$(arg mx.end)" = reboot ]; then
	echo "MX-REBOOT name=$name"
	reboot -f
fi
echo "MX-POWEROFF name=$name"
poweroff -f
EOI
chmod +x "$T/init"
(cd "$T" && find . | cpio -o -H newc -R 0:0 --quiet | gzip -9) > "$OUT"
