#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# minixen QEMU tests (TAP). Boots the test kernel, and Debian's stock
# kernel, under hyp/minixen: dom0 through guest-loader (as for Xen), SMP,
# more vCPUs than CPUs, a spinning guest next to a working one, dom0less
# domains, isolation, PSCI misuse, poweroff and reboot, Xen-aware domains
# (the /hypervisor node, hypercalls good and bad, pvxen-core), bad boot
# configurations, event channels, grant tables and xenstore (pvxen-core,
# two domains, tests/guest/core-events.sh, core-grant.sh, core-xenstore.sh
# and more of pvxen-core's guest tests). Usage:
#   qemu-tests.sh [MINIXEN [KERNEL [DEBIAN-KERNEL]]]
# Logs of each run go to $MX_LOGDIR (default: a temporary directory).
# Each QEMU run is bounded by $MX_TIMEOUT seconds (default 60).
# Shared set-up and helpers: qemu-lib.sh; the DMA engine's section (104-136)
# is qemu-dma.sh.
. "$(dirname "$0")/qemu-lib.sh" "$@"
# The guest tests (tests/guest/*.sh) run in a domain through the harness's
# own /init (tests/harness/guest-init), as in a domU on real Xen.
# guest_initrd OUT TESTS [K=V...]: such an image, or fail. With the
# KUnit module (tests/kunit) and the test kernel's own modules (kunit.ko)
# where they are built.
KUNIT_DIR=$HERE/../kunit
KMODS=$(dirname "$KERNEL")/../../../mods
guest_initrd() {
	local out=$1 tests=$2 kv env=()
	shift 2
	for kv in "$@"; do
		env+=(--env "$kv")
	done
	ls "$KUNIT_DIR"/*.ko > /dev/null 2>&1 && env+=(--modules "$KUNIT_DIR")
	[ -d "$KMODS/lib/modules" ] && env+=(--kernel-mods "$KMODS")
	python3 "$HERE/../../scripts/initramfs.py" guest "$out" \
		--modules "$(dirname "$PVXEN_KO")" --modules "$TESTMODS" \
		--tests "$tests" "${env[@]}" ||
		{ echo "Bail out! cannot build $out"; exit 1; }
	# Its slot: 8 MiB from a domain's initrd to the next one's kernel
	# (S1, S2 below); QEMU refuses overlapping images.
	local size
	size=$(stat -c %s "$out")
	[ "$size" -le $((8 << 20)) ] ||
		{ echo "Bail out! $out is $size bytes, more than its 8 MiB slot"; exit 1; }
}
EVENTS_INITRD=
GRANT_INITRD=
XS0_INITRD=
XS1_INITRD=
if [ -n "$PVXEN_KO" ] && [ -f "$TESTMODS/pvxen-evtchn-test.ko" ] &&
	[ -n "$GNTTEST_KO" ] && [ -x "$HERE/../out/tools/insmod1" ]; then
	EVENTS_INITRD=$LOGDIR/events.cpio.gz
	GRANT_INITRD=$LOGDIR/grant.cpio.gz
	guest_initrd "$EVENTS_INITRD" core-events
	# No dom0 agent answers: core-grant skips its parts with dom0.
	guest_initrd "$GRANT_INITRD" core-grant PVXEN_GRANT_PEER=none
	# Xenstore: domain 0 (xenstore's privileged one) and a domU, each
	# told its name as the real-Xen harness tells it.
	XS0_INITRD=$LOGDIR/xs0.cpio.gz
	XS1_INITRD=$LOGDIR/xs1.cpio.gz
	# core-cycles: its 200 load/unload cycles, as on real Xen (some 19 s
	# more than 20 here: the run takes 28 s instead of 9).
	guest_initrd "$XS0_INITRD" "core-firstlight core-kunit core-cycles" \
		PVXEN_DOMU=domU1 PVXEN_HOST_EPOCH="$(date +%s)"
	guest_initrd "$XS1_INITRD" "core-xenstore core-cycles" PVXEN_DOMU=domU2
fi
# The peer domain: our xenref kernel (tests/kernel/xenref.config, Linux's
# own Xen support built in) as domain 0 running the dom0 agent
# (tests/harness/peer-init) for a test domU, domU1, that runs the guest
# tests needing dom0. Debian's stock kernel boots the same /init without
# a domU to serve (STOCK_INITRD, its own modules), in the Debian run.
PEER_KERNEL=${MX_PEER_KERNEL:-$CACHE/kernel/xenref/arch/arm64/boot/Image}
PEER_KMODS=${MX_PEER_KMODS:-$(dirname "$PEER_KERNEL")/../../../mods}
PEER_INITRD=
PEERTEST_INITRD=
STOCK_INITRD=
PEERMOD=${PEERMOD:-$HERE/peermod}
if [ -n "$XS0_INITRD" ] && [ -f "$PEER_KERNEL" ] && [ -d "$PEER_KMODS" ] &&
	[ -x "$HERE/../out/tools/conring" ] && [ -f "$PEERMOD/mxconring.ko" ]; then
	PEER_INITRD=$LOGDIR/peer.cpio.gz
	PEERTEST_INITRD=$LOGDIR/peertest.cpio.gz
	python3 "$HERE/../../scripts/initramfs.py" peer "$PEER_INITRD" \
		--kernel-mods "$PEER_KMODS" --modules "$PEERMOD" \
		--env PVXEN_PEER_DOMU=domU1 ||
		{ echo "Bail out! cannot build $PEER_INITRD"; exit 1; }
	guest_initrd "$PEERTEST_INITRD" "core-grant core-xswatch core-xenbus" \
		XS_FLOOD_N="${MX_XS_FLOOD_N:-100000}"
fi
if [ -f "$DEBIAN_KERNEL" ]; then
	STOCK_INITRD=$LOGDIR/stock.cpio.gz
	python3 "$HERE/../../scripts/initramfs.py" peer "$STOCK_INITRD" ||
		{ echo "Bail out! cannot build $STOCK_INITRD"; exit 1; }
fi
SKIP_GUEST=" # SKIP needs pvxen-core.ko, tests/modules (make modules), tests/out/tools (make tools)"

# xen_aware NAME WHO [PATTERN...]: four checks of dom0 in run NAME, a
# kernel (WHO) with Linux's own Xen support booting tests/harness/peer-init:
# it finds Xen in its /hypervisor node, has its /dev/xen devices (and
# PATTERNs), reaches userspace; /sys/hypervisor shows minixen's version;
# grants and events come up with no Xen errors; xenbus works against
# minixen's xenstore.
xen_aware() {
	local name=$1 who=$2
	shift 2
	grep -E "PVXEN-DOM0: |PVXEN-TAP [a-z-]+: not ok" "$LOGDIR/$name.log" |
		grep -v "agent: " | sed 's/^/#   /'
	has "$name" "^\(dom0\) .*Xen 4\.17 support found" \
		"^\(dom0\) MX-USERSPACE name=dom0 " "$@" &&
		hasnt "$name" "^\(dom0\) PVXEN-DOM0: FAIL"
	ok $? "$who as a Xen-aware domain: finds Xen, /dev/xen/{xenbus,gntdev,gntalloc,evtchn,privcmd}, reaches userspace (${userspace:-never}s)"
	has "$name" "^\(dom0\) PVXEN-DOM0: hypervisor type=xen version=4\.17\.0-minixen$"
	ok $? "$who: /sys/hypervisor: type xen, version 4.17.0-minixen"
	has "$name" "^\(dom0\) .*xen:grant_table: Grant tables using version 1 layout" \
		"^\(dom0\) .*xen:events: Using 2-level ABI" &&
		hasnt "$name" "^\(dom0\) PVXEN-DOM0: dmesg: "
	ok $? "$who: grant table and 2-level events up, no Xen errors in its dmesg"
	has "$name" "^\(dom0\) PVXEN-DOM0: sys-bus-xen devices=" \
		"^\(dom0\) PVXEN-DOM0: xenstore domid=0 name=dom0 ls=[1-9][0-9]* lines$"
	ok $? "$who: xenbus on minixen's xenstore (xenstore-read/ls through /dev/xen/xenbus), /sys/bus/xen"
}
# 104-136: qemu-dma.sh (dma_tests, run last)
. "$HERE/qemu-dma.sh"

SKIP_MOD=
[ -n "$MXFAULT_KO" ] || SKIP_MOD=" # SKIP no mxfault.ko (make -C tests/hyp module)"

# MX_ONLY=dma: the DMA engine's tests alone (104-136 as 1-33)
if [ "${MX_ONLY:-}" = dma ]; then
	echo "1..$NDMA"
	dma_tests
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
fi

echo "1..$((103 + NDMA))"

# 1-3: dom0 with 2 vCPUs on 2 CPUs, to userspace, powers QEMU off.
dom0_args 2 poweroff
run smp2 2 "${DOM0[@]}"
ok $? "dom0 2 vCPUs on 2 CPUs: QEMU powered off (exit 0)"
echo "# time to first userspace: ${userspace:-never}${userspace:+s}"
has smp2 "\(dom0\) MX-USERSPACE name=dom0 cpus=2 online=0-1$"
ok $? "dom0 (test kernel) reached userspace with 2 CPUs online (${userspace:-never}s)"
has smp2 "\(MX\) dom0: powered off" "\(MX\) no domain left: powering off"
ok $? "last domain powered off: minixen powered off"

# 4-10: Debian's stock kernel as dom0, 2 vCPUs, booting the peer's /init
# without a domU to serve (tests/harness/peer-init): a Xen-aware domain
# on Debian's own CONFIG_XEN=y kernel, as the issue asks of it (the peer
# that serves domU1 runs our xenref kernel, 66-75).
if [ -f "$DEBIAN_KERNEL" ]; then
	INITRD=$STOCK_INITRD dom0_args 2 poweroff "$DEBIAN_KERNEL" 256M
	run debian 2 "${DOM0[@]}"
	ok $? "Debian kernel dom0: QEMU powered off (exit 0)"
	echo "# time to first userspace, Debian kernel: ${userspace:-never}${userspace:+s}"
	has debian "Linux version [0-9.]+-[0-9]+-arm64 .*Debian" \
		"\(dom0\) MX-USERSPACE name=dom0 cpus=2 online=0-1$"
	ok $? "Debian $(basename "$DEBIAN_KERNEL") reached userspace with 2 CPUs online (${userspace:-never}s)"
	hasnt debian "\(MX\) .*(abort injected|unhandled|SError|fatal)"
	ok $? "Debian kernel: no guest faults or unhandled traps at minixen"
	xen_aware debian "Debian kernel" \
		"^\(dom0\) PVXEN-DOM0: kernel [0-9.]+-[0-9]+-arm64$" \
		"^\(dom0\) PVXEN-DOM0: no domU to serve$"
else
	for t in "QEMU powered off" "userspace, 2 CPUs" "no faults" \
		"finds Xen" "/sys/hypervisor" "events and grants" "xenbus"; do
		ok 0 "Debian kernel: $t # SKIP no $DEBIAN_KERNEL"
	done
fi

# 11: more vCPUs than CPUs.
dom0_args 3 poweroff
run oversub 1 "${DOM0[@]}"
has oversub "MX-USERSPACE name=dom0 cpus=3 online=0-2$"
ok $? "dom0 3 vCPUs on 1 CPU reached userspace, 3 CPUs online (${userspace:-never}s)"

# 12-16: two dom0less domains at once; one powers off early (PSCI
# SYSTEM_OFF), the other goes on, then the last one powers QEMU off.
S1="domU1:2:131072:0x50000000:0x50800000:mx.test=poweroff"
S2="domU2:1:98304:0x51000000:0x51800000:mx.test=hold mx.hold=3"
dom0less two 2 "$S1" "$S2"
ok $? "two dom0less domains: QEMU powered off (exit 0)"
has two "MX-USERSPACE name=domU1 cpus=2 online=0-1$" \
	"MX-USERSPACE name=domU2 cpus=1 online=0$"
ok $? "both domains reached userspace (${secs}s)"
has two "\(MX\) domU1: powered off" && hasnt two "domU1: reboot" &&
	before two "\(MX\) domU1: powered off" "MX-TICK name=domU2 3 " &&
	before two "\(MX\) domU1: powered off" "\(MX\) domU2: powered off"
ok $? "domU1 powered off (SYSTEM_OFF) while domU2 keeps running"
before two "\(MX\) domU2: powered off" "\(MX\) no domain left: powering off"
ok $? "the last domain's poweroff powers the machine off"
has two "\(domU1\) MX-POWEROFF name=domU1" "\(domU2\) MX-POWEROFF name=domU2"
ok $? "console output carries each domain's name"

# 17-19: isolation: a domain reading memory it does not own (domU2's RAM:
# domU1 is the 1:1 domain and takes the top 64 MiB, domU2 the next).
# domU1 then reboots (PSCI SYSTEM_RESET): it is destroyed, domU2 goes on.
S1="domU1:1:65536:0x50000000:0x50800000:mx.test=fault mx.hold=4 mx.addr=0x78000000 mx.end=reboot"
S2="domU2:1:65536:0x51000000:0x51800000:mx.test=hold mx.hold=5"
dom0less iso 1 "$S1" "$S2"
if [ -n "$MXFAULT_KO" ]; then
	has iso "domU2: .*\(PA 0x78000000\)" \
		"domU1: vCPU0 read at IPA 0x78000000.*abort injected" \
		"\(domU1\) MX-FAULT-SURVIVED"
	ok $? "reading another domain's memory gets an abort injected"
else
	ok 0 "reading another domain's memory gets an abort injected$SKIP_MOD"
fi
has iso "MX-TICK name=domU2 5 " "MX-TICK name=domU1 4 "
ok $? "both domains keep running"
has iso "\(domU1\) MX-REBOOT name=domU1" && hasnt iso "domU1: powered off" &&
	before iso "\(MX\) domU1: reboot: domain destroyed" "MX-TICK name=domU2 5 " &&
	before iso "MX-TICK name=domU2 5 " "\(MX\) no domain left: powering off"
ok $? "domU1 reboot destroys it while domU2 keeps running"

# 20: reboot of the last domain resets the machine (QEMU -no-reboot exits).
dom0_args 1 reboot
run reboot 1 "${DOM0[@]}"
has reboot "MX-REBOOT name=dom0" "\(MX\) dom0: reboot: domain destroyed" \
	"\(MX\) no domain left: rebooting"
ok $? "domain reboot (PSCI SYSTEM_RESET) resets the machine"

# 21-24: one CPU, a domain with 2 vCPUs spinning forever (in userspace,
# then in its kernel with interrupts masked) next to a domain that must
# still boot and keep time. QEMU is stopped when domU2 has powered off.
S1="domU1:2:65536:0x50000000:0x50800000:mx.test=spin mx.irqsoff=1"
S2="domU2:1:65536:0x51000000:0x51800000:mx.test=hold mx.hold=4"
STOP="\(MX\) domU2: powered off" dom0less spin 1 "$S1" "$S2"
ok $? "spinning domain: run ended by domU2 powering off, not a timeout"
has spin "MX-SPIN name=domU1 userspace" "MX-USERSPACE name=domU2 "
ok $? "domU2 reached userspace next to a spinning domain"
span=$(tick_span spin domU2 1 4)
has spin "MX-TICK name=domU2 4 " && [ -n "$span" ] &&
	[ "$(echo "$span < 6" | bc)" = 1 ]
ok $? "domU2's timed ticks 1..4 arrived, ${span:-?}s apart in guest time (< 6)"
if [ -n "$MXFAULT_KO" ]; then
	before spin "MX-SPIN name=domU1 kernel, interrupts masked" \
		"MX-TICK name=domU2 [0-9]+ "
	ok $? "ticks keep coming while domU1 spins with interrupts masked"
else
	ok 0 "ticks keep coming while domU1 spins with interrupts masked$SKIP_MOD"
fi

# 25-30: PSCI and MMIO misuse from a guest kernel (mxfault.ko mode=psci):
# 3 vCPUs, the others left off (maxcpus=1) for CPU_ON checks; vCPU2 is
# then started on a page of zeroes, to loop through faults for good;
# then CPU hotplug of vCPU1 through sysfs.
NPSCI=28
S1="psci:3:65536:0x50000000:0x50800000:mx.test=psci maxcpus=1"
if [ -n "$MXFAULT_KO" ]; then
	dom0less psci 1 "$S1"
	ok $? "PSCI misuse: QEMU powered off (exit 0)"
	grep -E "mxfault: not ok" "$LOGDIR/psci.log" | sed 's/^/#   /'
	has psci "mxfault: psci: $NPSCI passed, 0 failed"
	ok $? "bad PSCI/SMCCC/hypercall arguments get the right error codes ($(grep -c 'mxfault: ok' "$LOGDIR/psci.log")/$NPSCI)"
	has psci "mxfault: ok - reads all over GICD, GICR, UART" &&
		hasnt psci "\(MX\) .*(fatal|unhandled|vCPU[01] .*abort injected)"
	ok $? "reads and writes all over the emulated GIC and UART: no fault"
	nf=$(grep -c "^(MX) psci: vCPU2 " "$LOGDIR/psci.log")
	has psci "^\(MX\) psci: vCPU2 instruction fetch at 0x200 outside its memory: abort injected$" \
		"^\(MX\) psci: more faults, not logged$" && [ "$nf" -le 16 ]
	ok $? "a vCPU looping through faults: $nf lines logged (<= 16), then silence"
	has psci "MX-HOTPLUG name=psci cpu1=1 online=0-1$" \
		"MX-HOTPLUG name=psci cpu1=0 online=0$"
	ok $? "CPU hotplug: PSCI CPU_ON then CPU_OFF of vCPU1"
	before psci "MX-HOTPLUG name=psci cpu1=0 online=0$" \
		"MX-HOTPLUG name=psci cpu1=1 online=0-1$"
	ok $? "CPU hotplug: vCPU1 comes back after CPU_OFF"
else
	for t in "QEMU powered off" "error codes" "GIC and UART" \
		"fault loop" "CPU_ON then CPU_OFF" "comes back"; do
		ok 0 "PSCI misuse: $t$SKIP_MOD"
	done
fi

# 31-36: a Xen-aware dom0 (the default) issues hypercalls, good and bad
# (mxfault.ko mode=xen), then ends itself with SCHEDOP_shutdown(poweroff).
NXEN=59
HV_DT="hypervisor=xen,xen-4.17 xen,xen reg=00000000380000000000000001000000"
HV_IRQ="interrupts=000000010000000f00000f08"
if [ -n "$MXFAULT_KO" ]; then
	dom0_args 2 "xen mx.priv=1 mx.end=xenoff"
	run xen 2 "${DOM0[@]}"
	ok $? "Xen-aware dom0: QEMU powered off (exit 0)"
	has xen "\(MX\) dom0: .*, Xen-aware$" "\(dom0\) MX-DT name=dom0 $HV_DT.* $HV_IRQ$"
	ok $? "dom0's /hypervisor: xen,xen-4.17 and xen,xen, grant window 0x38000000+16M, PPI 31 level low"
	grep -E "mxfault: not ok" "$LOGDIR/xen.log" | sed 's/^/#   /'
	has xen "mxfault: xen: $NXEN passed, 0 failed"
	ok $? "hypercalls answer as Xen's, bad pointers -EFAULT ($(grep -c 'mxfault: ok' "$LOGDIR/xen.log")/$NXEN)"
	has xen "^\(dom0\) MX-CONSOLEIO hello through console_io$"
	ok $? "console_io write appears on minixen's console as (dom0) ..."
	has xen "mxfault: SCHEDOP_shutdown\(poweroff\)" "^\(MX\) dom0: powered off$" &&
		hasnt xen "MX-STILL-RUNNING|MX-POWEROFF|still running after"
	ok $? "SCHEDOP_shutdown(poweroff) ends the domain"
	hasnt xen "\(MX\) .*(abort injected|unhandled|SError|fatal)"
	ok $? "Xen-aware dom0: no guest faults or unhandled traps at minixen"
else
	for t in "QEMU powered off" "/hypervisor node" "hypercalls" \
		"console_io" "SCHEDOP_shutdown" "no faults"; do
		ok 0 "Xen-aware dom0: $t$SKIP_MOD"
	done
fi

# 37-41: dom0less: the first domain is Xen-aware by default, the others
# as xen,enhanced says; domU2 issues hypercalls (unprivileged) and ends
# with SCHEDOP_shutdown while domU1 goes on.
S1="domU1:1:65536:0x50000000:0x50800000:mx.test=hold mx.hold=4"
S2="domU2:1:65536:0x51000000:0x51800000:mx.test=xen mx.end=xenoff"
S3="domU3:1:65536:0x52000000:0x52800000:mx.test=poweroff"
ENH_domU2=enabled ENH_domU3=disabled dom0less xenaware 2 "$S1" "$S2" "$S3"
ok $? "three dom0less domains, two Xen-aware: QEMU powered off (exit 0)"
has xenaware "\(domU1\) MX-DT name=domU1 $HV_DT" \
	"\(domU3\) MX-DT name=domU3 hypervisor=none$"
ok $? "first domain Xen-aware by default; xen,enhanced = \"disabled\" gets no /hypervisor"
has xenaware "\(domU2\) MX-DT name=domU2 ${HV_DT}0000000044000000[0-9a-f]{16}.* $HV_IRQ$"
ok $? "xen,enhanced = \"enabled\": /hypervisor, extended region after its RAM"
if [ -n "$MXFAULT_KO" ]; then
	grep -E "mxfault: not ok" "$LOGDIR/xenaware.log" | sed 's/^/#   /'
	has xenaware "\(domU2\) .*mxfault: xen: $NXEN passed, 0 failed"
	ok $? "unprivileged domU: hypercalls answer as Xen's"
	before xenaware "^\(MX\) domU2: powered off$" "MX-TICK name=domU1 4 " &&
		hasnt xenaware "MX-STILL-RUNNING"
	ok $? "domU2's SCHEDOP_shutdown ends it, domU1 keeps running"
else
	for t in "hypercalls" "SCHEDOP_shutdown"; do
		ok 0 "dom0less Xen-aware domU: $t$SKIP_MOD"
	done
fi

# 42-46: pvxen-core in a Xen-aware dom0: finds Xen, sets up its grant
# table, brings its event channels up and connects to minixen's xenstore
# (the ring at the frame and port HVM_PARAM_STORE_PFN/EVTCHN give).
if [ -n "$PVXEN_KO" ]; then
	dom0_args 2 pvxen
	run pvxen 2 "${DOM0[@]}"
	ok $? "pvxen-core on minixen: QEMU powered off (exit 0)"
	grep -E "pvxen: |MX-PVXEN" "$LOGDIR/pvxen.log" | sed 's/^/#   /'
	has pvxen "pvxen: Xen 4\.17\.0-minixen detected" "MX-PVXEN name=dom0 rc=0$"
	ok $? "pvxen-core loads: finds Xen 4.17 in /hypervisor, maps shared_info and its grant frames"
	has pvxen "MX-PVXEN-STATE name=dom0 events: abi 2-level$" \
		"MX-PVXEN-STATE name=dom0 events: vcpu_info_registered 2$" \
		"MX-PVXEN-STATE name=dom0 grant: frames [1-9]" &&
		hasnt pvxen "pvxen: .*(grant|event|evtchn|vcpu_info).*(fail|error|refused|could not)"
	ok $? "events up (2-level, vcpu_info on both vCPUs), grant frames mapped, no grant or event error"
	has pvxen "MX-PVXEN-STATE name=dom0 xenstore: state connected$" \
		"MX-PVXEN-STATE name=dom0 xenstore: port [1-9][0-9]*$" \
		"MX-PVXEN-STATE name=dom0 xenstore: replies [1-9]" \
		"MX-PVXEN-STATE name=dom0 xenstore: timeouts 0$" \
		"MX-PVXEN-BUS name=dom0 devices=" &&
		hasnt pvxen "pvxen: .*(no xenstore|xenstore.*(fail|error|could not))"
	ok $? "xenstore connected (minixen's ring and channel), requests answered, /sys/bus/pvxen there"
	nofault pvxen
	ok $? "pvxen-core on minixen: no fault at minixen, no oops"
else
	for t in "QEMU powered off" "finds Xen" "events and grants" "xenstore" \
		"no fault"; do
		ok 0 "pvxen-core: $t # SKIP no pvxen-core.ko (make modules)"
	done
fi

# 47-50: two Xen-aware domains: an interdomain event channel (raw
# hypercalls, mxfault.ko mode=peer), then a page domU1 grants domU2
# (pvxen-gnttab-test.ko) mapped by domU2 with a real stage-2 mapping.
# Both "no-xenstore": no xenstore channel takes a port first (mode=peer
# offers and binds port 1), and pvxen-core finds no xenstore.
S1="domU1:2:131072:0x50000000:0x50800000:mx.test=peer mx.side=a mx.peer=1 mx.hold=8"
S2="domU2:1:131072:0x51000000:0x51800000:mx.test=peer mx.side=b mx.peer=0"
if [ -n "$MXFAULT_KO" ] && [ -n "$PVXEN_KO" ] && [ -n "$GNTTEST_KO" ]; then
	ENH_domU1=no-xenstore ENH_domU2=no-xenstore dom0less peer 2 "$S1" "$S2" &&
		has peer "\(domU1\) .*pvxen: no xenstore \(HVM params: 0, pfn 0x0, port 0\)" \
			"\(domU2\) .*pvxen: no xenstore \(HVM params: 0, pfn 0x0, port 0\)"
	ok $? "two Xen-aware domains, xen,enhanced = \"no-xenstore\": QEMU powered off (exit 0), no xenstore"
	grep -E "mxfault: (not ok|peer: port|peer: bound)|MX-GRANT|MX-MAPPED" \
		"$LOGDIR/peer.log" | sed 's/^/#   /'
	has peer "\(domU1\) .*mxfault: peer: 5 passed, 0 failed" \
		"\(domU2\) .*mxfault: peer: 3 passed, 0 failed"
	ok $? "interdomain event channel: domU2 binds to domU1's port and sends, domU1 sees it pending"
	has peer "\(domU1\) MX-GRANT name=domU1 slot=0 ref=[0-9]+ fnv=" \
		"\(domU2\) MX-MAPPED name=domU2 ref=[0-9]+ map=0 status=0 content=ok .* p2m=ok xlate=ok unmap=0 gone=ok$"
	ok $? "domU2 maps domU1's grant: domU1's page content, dev_bus_addr its machine frame, unmapped"
	nofault peer
	ok $? "two Xen-aware domains: no fault at minixen, no oops"
else
	for t in "QEMU powered off" "event channel" "grant map" "no fault"; do
		ok 0 "two Xen-aware domains: $t # SKIP needs mxfault.ko, pvxen-core.ko, pvxen-gnttab-test.ko"
	done
fi

# 51-54: tests/guest/core-events.sh in two dom0less domains at once (the
# 1:1 one and one at 0x40000000), through the harness's guest /init.
S1="domU1:2:196608:0x50000000:0x50800000:"
S2="domU2:2:196608:0x51000000:0x51800000:"
if [ -n "$EVENTS_INITRD" ]; then
	ENH_domU2=enabled INITRD=$EVENTS_INITRD dom0less events 2 "$S1" "$S2"
	ok $? "core-events in two domains: QEMU powered off (exit 0)"
	grep -E "PVXEN-TAP core-events: not ok" "$LOGDIR/events.log" | sed 's/^/#   /'
	for d in domU1 domU2; do
		np=$(grep -Ec "^\($d\) PVXEN-TAP core-events: ok " "$LOGDIR/events.log")
		has events "^\($d\) PVXEN-TAP core-events: 1\.\.$np$" \
			"^\($d\) PVXEN-TAP core-events: PVXEN-RC 0$" &&
			hasnt events "^\($d\) PVXEN-TAP core-events: not ok"
		ok $? "$d: core-events passes ($np checks: loopback, affinity, hotplug, mask, late EOI, storm, VIRQ, reloads)"
	done
	nofault events
	ok $? "core-events in two domains: no fault at minixen, no oops"
else
	for t in "QEMU powered off" "domU1 passes" "domU2 passes" "no fault"; do
		ok 0 "core-events: $t$SKIP_GUEST"
	done
fi

# 55-58: tests/guest/core-grant.sh in two domains at once, with no dom0
# agent (PVXEN_GRANT_PEER=none): its local parts run ((c): the table
# grown to its 32 frames, every ref, waiters; accounting; the reload
# finding Xen's frames), its 28 results with dom0 as the peer ((a), (d),
# (b), (e), (f)) SKIP (the peer run, 62-, runs them). The whole TAP must
# pass: complete, every result ok or one of those skips, exit status 0.
GRANT_PEER_SKIPS=28
if [ -n "$GRANT_INITRD" ]; then
	ENH_domU2=enabled INITRD=$GRANT_INITRD dom0less grant 2 "$S1" "$S2"
	ok $? "core-grant in two domains: QEMU powered off (exit 0)"
	grep -E "PVXEN-TAP core-grant: not ok" "$LOGDIR/grant.log" | sed 's/^/#   /'
	for d in domU1 domU2; do
		ns=$(grep -Ec "^\($d\) PVXEN-TAP core-grant: ok .*# SKIP no dom0 peer" "$LOGDIR/grant.log")
		guest_passes grant $d core-grant && [ "$ns" -eq $GRANT_PEER_SKIPS ]
		ok $? "$d: core-grant passes without a peer ($np results, $ns dom0 ones skipped)"
	done
	nofault grant
	ok $? "core-grant in two domains: no fault at minixen, no oops"
else
	for t in "QEMU powered off" "domU1 passes" "domU2 passes" "no fault"; do
		ok 0 "core-grant: $t$SKIP_GUEST"
	done
fi

# 59-65: xenstore in minixen, pvxen-core's guest tests run as on real
# Xen: domU1 (domain 0, xenstore's privileged one) runs core-firstlight,
# core-kunit and core-cycles, domU2 (domain 1) core-xenstore and
# core-cycles, each against minixen's xenstore.
if [ -n "$XS0_INITRD" ]; then
	INITRD_domU1=$XS0_INITRD INITRD_domU2=$XS1_INITRD ENH_domU2=enabled \
		TIMEOUT=${MX_XS_TIMEOUT:-120} dom0less xs 2 "$S1" "$S2"
	ok $? "xenstore tests in two domains: QEMU powered off (exit 0)"
	grep -E "PVXEN-TAP [a-z-]+: not ok" "$LOGDIR/xs.log" | sed 's/^/#   /'
	for t in domU1:core-firstlight domU1:core-kunit domU1:core-cycles \
		domU2:core-xenstore domU2:core-cycles; do
		guest_passes xs "${t%%:*}" "${t#*:}"
		ok $? "${t%%:*}: ${t#*:} passes ($np checks)"
	done
	nofault xs
	ok $? "xenstore tests in two domains: no fault at minixen, no oops"
else
	for t in "QEMU powered off" "domU1: core-firstlight" "domU1: core-kunit" \
		"domU1: core-cycles" "domU2: core-xenstore" "domU2: core-cycles" \
		"no fault"; do
		ok 0 "xenstore: $t$SKIP_GUEST"
	done
fi

# 66-75: a peer domain, as dom0 on real Xen: our xenref kernel (the test
# kernel's config plus Linux's own Xen support, tests/kernel/xenref.config)
# as the privileged domain 0, booted as dom0, runs the dom0 agent of the
# real-Xen harness (tests/harness/dom0-agent.sh through peer-init), with
# Xen's xenstore tools on minixen's store through /dev/xen/xenbus, gntdev
# and gntalloc built into xenref, and reads the test domU's requests from
# minixen's console ring (sysctl readconsole, mxconring.ko built against
# xenref). The domU runs core-grant (every part: dom0 maps its grants),
# core-xswatch (dom0's xenstore flood) and core-xenbus (no vif: skipped).
# The peer powers off once the domU is gone. Debian's stock kernel is
# checked as a Xen-aware domain in the Debian run, with the same /init.
PEER_DOM0="
		module@50000000 {
			compatible = \"multiboot,kernel\", \"multiboot,module\";
			reg = <0 0x50000000 0 $(stat -c %s "$PEER_KERNEL" 2>/dev/null)>;
			bootargs = \"console=ttyAMA0 mx.name=dom0\";
		};
		module@52800000 {
			compatible = \"multiboot,ramdisk\", \"multiboot,module\";
			reg = <0 0x52800000 0 $(stat -c %s "$PEER_INITRD" 2>/dev/null)>;
		};"
S1="domU1:2:196608:0x54000000:0x55000000:"
if [ -n "$PEER_INITRD" ]; then
	DOM0_NODES=$PEER_DOM0 INITRD_domU1=$PEERTEST_INITRD ENH_domU1=enabled \
		mkdtb "$LOGDIR/dom0peer.dtb" 2 "$S1"
	# shellcheck disable=SC2046 # loaders prints QEMU's words
	INITRD_domU1=$PEERTEST_INITRD TIMEOUT=${MX_PEER_TIMEOUT:-240} \
		USERSPACE_MARK="(dom0) MX-USERSPACE" \
		run dom0peer 2 -dtb "$LOGDIR/dom0peer.dtb" \
		-append "dom0_mem=256M dom0_max_vcpus=1" \
		-device loader,file="$PEER_KERNEL",addr=0x50000000,force-raw=on \
		-device loader,file="$PEER_INITRD",addr=0x52800000,force-raw=on \
		$(INITRD_domU1=$PEERTEST_INITRD loaders "$S1")
	ok $? "peer domain and test domU: QEMU powered off (exit 0)"
	t=$(sed -n 's/^(dom0) \[ *\([0-9.]*\)\] Run \/init as init.*/\1/p' \
		"$LOGDIR/dom0peer.log")
	echo "# peer (xenref) time to first userspace: ${userspace:-never}${userspace:+s} (its /init at ${t:-?} s of its clock)"
	xen_aware dom0peer "xenref kernel, the peer" \
		"^\(dom0\) PVXEN-DOM0: kernel [0-9.]+-pvxen-xenref$"
	has dom0peer "^\(dom0\) PVXEN-DOM0: ready: domU1 is domain 1$" \
		"^\(dom0\) PVXEN-DOM0: domU gone domU1$"
	ok $? "the peer found domU1 in xenstore, served it until it was gone"
	for t in core-grant core-xenbus; do
		guest_passes dom0peer domU1 $t
		ok $? "domU1: $t passes with the peer as dom0 ($np checks, $(grep -Ec "^\(domU1\) PVXEN-TAP $t: ok .*# SKIP" "$LOGDIR/dom0peer.log") skipped)"
	done
	flood=$(sed -n 's/.*PVXEN-TAP core-xswatch: # dom0: wrote pvxenflood \([0-9]*\) times in \([0-9.]*\) s.*/\1 times in \2 s/p' "$LOGDIR/dom0peer.log")
	guest_passes dom0peer domU1 core-xswatch &&
		has dom0peer "^\(domU1\) PVXEN-TAP core-xswatch: 1\.\.17$"
	ok $? "domU1: core-xswatch: dom0 rewrites a watched node ${flood:-?}, overflows it with 200 nodes, unknown tokens, no leaks ($np checks)"
	nofault dom0peer
	ok $? "peer domain and test domU: no fault at minixen, no oops"
else
	for t in "QEMU powered off" "xenref kernel finds Xen" "/sys/hypervisor" \
		"events and grants" "xenbus" "peer serves" "core-grant" \
		"core-xenbus" "core-xswatch" "no fault"; do
		ok 0 "peer domain: $t$SKIP_GUEST, the xenref kernel (scripts/setup), tests/out/tools/conring, mxconring.ko (make -C tests/hyp peermod)"
	done
fi

# 76-93: bad boot configurations are rejected with a message naming the
# problem, and the machine powers off at once.
# bad NAME MESSAGE DESCRIPTION SMP QEMU-ARGS...
bad() {
	local name=$1 msg=$2 what=$3 r
	shift 3
	run "$name" "$@"
	r=$?
	ok $r "$what: QEMU powered off at once (exit 0)"
	has "$name" "^\(MX\) minixen: bad boot configuration: $msg$" &&
		hasnt "$name" "MX-USERSPACE|starting [0-9]+ domain"
	ok $? "$what: rejected at boot"
}
bad nokernel "no domain to boot: .*" "no domain" 1 -append "loglvl=info"
S1="domU1:0:65536:0x50000000:0x50800000:"
mkdtb "$LOGDIR/badcpus.dtb" 1 "$S1"
bad badcpus "domU1: 0 vCPUs, must be 1\.\.8" "domain with 0 vCPUs" \
	1 -dtb "$LOGDIR/badcpus.dtb" $(loaders "$S1")
# The ramdisk module overlaps the kernel module (only the kernel is
# loaded: QEMU refuses overlapping images).
S1="domU1:1:65536:0x50000000:0x50100000:"
mkdtb "$LOGDIR/overlap.dtb" 1 "$S1"
bad overlap "boot modules at 0x50100000 and 0x50000000 overlap" \
	"overlapping boot modules" 1 -dtb "$LOGDIR/overlap.dtb" \
	-device loader,file="$KERNEL",addr=0x50000000,force-raw=on
S1="domU1:1:65536:-:0x50800000:"
mkdtb "$LOGDIR/nokmod.dtb" 1 "$S1"
bad nokmod "domU1: no kernel module" "domain without a kernel module" \
	1 -dtb "$LOGDIR/nokmod.dtb" $(loaders "$S1")
S1="domU1:1:2097152:0x50000000:0x50800000:"
mkdtb "$LOGDIR/bigmem.dtb" 1 "$S1"
bad bigmem "domU1: not enough free RAM for 2048 MiB" \
	"domain with more memory than the machine" \
	1 -dtb "$LOGDIR/bigmem.dtb" $(loaders "$S1")
S1="domU1:1:65536:0x50000000:-:"
KERNEL=$INITRD mkdtb "$LOGDIR/notimage.dtb" 1 "$S1"
bad notimage "domU1: kernel module at 0x50000000 is not an arm64 Image" \
	"kernel module that is not an arm64 Image" \
	1 -dtb "$LOGDIR/notimage.dtb" $(KERNEL=$INITRD loaders "$S1")
S1="domU1:1:14336:0x50000000:0x50800000:"
mkdtb "$LOGDIR/smallmem.dtb" 1 "$S1"
bad smallmem "domU1: memory 14336 KiB is below the 16 MiB minimum" \
	"domain with less than 16 MiB" \
	1 -dtb "$LOGDIR/smallmem.dtb" $(loaders "$S1")
dom0_args 1 poweroff "$KERNEL" 64Q
bad dom0mem "bad dom0_mem=64Q" "bad dom0_mem= on the command line" \
	1 "${DOM0[@]}"
S1="domU1:1:65536:0x50000000:0x50800000:"
ENH_domU1=bogus mkdtb "$LOGDIR/badenh.dtb" 1 "$S1"
bad badenh "domU1: bad \"xen,enhanced\" \(enabled\|no-xenstore\|disabled\)" \
	"xen,enhanced = \"bogus\"" 1 -dtb "$LOGDIR/badenh.dtb" $(loaders "$S1")

# 94-98: hypercall fuzzing (mxfuzz.ko): domU1, the 1:1 domain, issues
# $MX_FUZZ_COUNT (default 500000, some 5 s) hypercalls on both its vCPUs
# at once, with random and boundary arguments from seed $MX_FUZZ_SEED
# (default 1; the threads seed+0 and seed+1) while domU2 holds 2048
# canary pages (8 of its 64 MiB) and ticks every second. Among the bad
# pointers: 64 pages of domU2's RAM by machine address (domU1 takes the
# top 128 MiB, domU2 the next 64 MiB: PA 0x74000000, checked in minixen's
# log), mapped in domU1's stage 1 as normal memory; domU1's stage 2 does
# not map them. In a 1:1 domain a hypervisor that walked stage 1 only
# would take them for domU1's own and write into domU2 (mutant
# mx-stage1-walk). QEMU is stopped 3 s after the fuzzer is done.
FUZZ_SEED=${MX_FUZZ_SEED:-1}
FUZZ_COUNT=${MX_FUZZ_COUNT:-500000}
S1="domU1:2:131072:0x50000000:0x50800000:mx.test=fuzz mx.seed=$FUZZ_SEED mx.count=$FUZZ_COUNT mx.threads=2 mx.self=0 mx.victim=1 mx.hold=3 mx.fbase=0x74000000 mx.fsize=0x4000000"
S2="domU2:1:65536:0x51000000:0x51800000:mx.test=canary mx.canary_pages=2048"
if [ -n "$MXFUZZ_KO" ]; then
	STOP="MX-FUZZ-AFTER name=domU1" \
		TIMEOUT=${MX_FUZZ_TIMEOUT:-150} dom0less fuzz 2 "$S1" "$S2"
	ok $? "hypercall fuzzing: run ended after the fuzzer, not a timeout"
	grep -E "mxfuzz: (seed|hc|result|foreign|done)" "$LOGDIR/fuzz.log" |
		sed 's/^/#   /'
	calls=$(sed -n 's/.*mxfuzz: done seed=[0-9]* calls=\([0-9]*\).*/\1/p' \
		"$LOGDIR/fuzz.log")
	foreign=$(sed -n 's/.*mxfuzz: foreign pointers \([0-9]*\) on \([0-9]*\) pages.*/\1 \2/p' \
		"$LOGDIR/fuzz.log")
	read -r fptrs fpages <<<"$foreign"
	has fuzz "MX-FUZZ-END name=domU1 rc=0" && [ "${calls:-0}" -ge 100000 ] &&
		has fuzz "\(MX\) domU2: .*\(PA 0x74000000\)" &&
		[ "${fptrs:-0}" -ge 1000 ] && [ "${fpages:-0}" -ge 32 ]
	ok $? "the fuzzer (seed $FUZZ_SEED) completed ${calls:-no} hypercalls (>= 100000), ${fptrs:-no} (>= 1000) with pointers into ${fpages:-no} (>= 32) pages of domU2's RAM"
	# up to the end of the test: domU1 powers off after that
	sed '/MX-FUZZ-AFTER name=domU1/q' "$LOGDIR/fuzz.log" > "$LOGDIR/fuzzrun.log"
	nofault fuzz && has fuzzrun "MX-FUZZ-AFTER name=domU1" &&
		hasnt fuzzrun "\(MX\) .*(powered off|destroyed|crashed|no domain left|panic|PANIC)"
	ok $? "hypercall fuzzing: no fault or fatal error at minixen, no domain ended, no oops"
	[ "$(sed -n '/mxfuzz: seed=/,/mxfuzz: done seed=/p' "$LOGDIR/fuzz.log" |
		grep -c "MX-TICK name=domU2 ")" -ge 1 ] &&
		[ "$(sed -n '/mxfuzz: done seed=/,$p' "$LOGDIR/fuzz.log" |
			grep -c "MX-TICK name=domU2 ")" -ge 2 ]
	ok $? "domU2 ticks through the fuzzing and after it ($(grep -c "MX-TICK name=domU2 " "$LOGDIR/fuzz.log") ticks)"
	sums=$(sed -n 's/.*MX-TICK name=domU2 .* canary=\(.*\)/\1/p' \
		"$LOGDIR/fuzz.log" | sort -u)
	echo "#   canary: $sums"
	has fuzz "MX-TICK name=domU2 .* canary=ok .*pages=2048 " &&
		hasnt fuzz "canary=BAD" && [ "$(echo "$sums" | wc -l)" -eq 1 ]
	ok $? "domU2's 2048 canary pages are unchanged through and after the fuzzing"
else
	for t in "run ended" ">= 100000 hypercalls" "no fault" "ticks" \
		"canary"; do
		ok 0 "hypercall fuzzing: $t # SKIP no mxfuzz.ko (make -C tests/hyp module)"
	done
fi

# 99-103: the global VIRQs arrive in a guest. dom0 (booted as dom0, from
# modules under /chosen: the privileged domain) binds VIRQ_DOM_EXC and
# VIRQ_CON_RING and counts their events and upcalls in shared_info
# (mxfault.ko mode=virq priv=1) while domU1 binds them too (Xen allows
# it; nothing comes there), binds to a port dom0 offers (dom0 is ready),
# writes console lines and ends with SCHEDOP_shutdown.
NVIRQ0=8
NVIRQ1=6
virq_dom0() {
	local ks is

	ks=$(stat -c %s "$KERNEL")
	is=$(stat -c %s "$INITRD")
	cat <<EOD
		module@50000000 {
			compatible = "multiboot,kernel", "multiboot,module";
			reg = <0 0x50000000 0 $ks>;
			bootargs = "console=ttyAMA0 mx.name=dom0 mx.test=virq mx.priv=1 mx.peer=1";
		};
		module@52800000 {
			compatible = "multiboot,ramdisk", "multiboot,module";
			reg = <0 0x52800000 0 $is>;
		};
EOD
}
S1="domU1:1:65536:0x54000000:0x55000000:mx.test=virq mx.peer=0 mx.end=xenoff"
if [ -n "$MXFAULT_KO" ]; then
	DOM0_NODES=$(virq_dom0) ENH_domU1=enabled mkdtb "$LOGDIR/virq.dtb" 2 "$S1"
	# shellcheck disable=SC2046 # loaders: words, one option each
	run virq 2 -dtb "$LOGDIR/virq.dtb" \
		-append "dom0_mem=128M dom0_max_vcpus=1" \
		-device loader,file="$KERNEL",addr=0x50000000,force-raw=on \
		-device loader,file="$INITRD",addr=0x52800000,force-raw=on \
		$(loaders "$S1")
	ok $? "global VIRQs: dom0 and domU1: QEMU powered off (exit 0)"
	grep -E "mxfault: (not ok|virq: (DOM_EXC|after|bound))" \
		"$LOGDIR/virq.log" | sed 's/^/#   /'
	has virq "^\(dom0\) .*mxfault: ok - virq: VIRQ_DOM_EXC came" &&
		before virq "^\(MX\) domU1: powered off$" \
			"^\(dom0\) .*mxfault: ok - virq: VIRQ_DOM_EXC came"
	ok $? "dom0 sees VIRQ_DOM_EXC's port pending once domU1 has ended"
	has virq "^\(dom0\) .*mxfault: ok - virq: VIRQ_CON_RING came" \
		"^\(dom0\) .*mxfault: ok - virq: with upcalls" \
		"^\(domU1\) MX-VIRQ line through console_io$"
	ok $? "dom0 sees VIRQ_CON_RING's port pending (console lines), with upcalls"
	has virq "^\(domU1\) .*mxfault: virq: $NVIRQ1 passed, 0 failed$"
	ok $? "unprivileged domU1: binding both VIRQs answers 0 (as Xen), VIRQ_CON_RING never comes there"
	has virq "^\(dom0\) .*mxfault: virq: $NVIRQ0 passed, 0 failed$" &&
		nofault virq
	ok $? "global VIRQs: all of dom0's $NVIRQ0 checks pass, no fault at minixen, no oops"
else
	for t in "QEMU powered off" "VIRQ_DOM_EXC" "VIRQ_CON_RING" \
		"unprivileged" "no fault"; do
		ok 0 "global VIRQs: $t$SKIP_MOD"
	done
fi

dma_tests

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
