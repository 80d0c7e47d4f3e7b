#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# What the minixen QEMU suites share (sourced by qemu-tests.sh and
# qemu-dma.sh, with their arguments): the paths, the QEMU command, the
# busybox initrd (mkinitrd.sh) with the modules found, the TAP counters
# and the helpers that boot minixen and read its log.
#   . qemu-lib.sh [MINIXEN [KERNEL [DEBIAN-KERNEL]]]
# Environment: $MX_LOGDIR, $MX_TIMEOUT (seconds per QEMU run, default
# 60), and the modules' paths (PVXEN_KO, TESTMODS, MXDMA_KO, SWIOTLB_KO,
# MXFAULT_KO, MXFUZZ_KO) to use other builds than the in-tree ones.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${PVXEN_CACHE:-/var/cache/pvxen}
MINIXEN=${1:-$HERE/../../hyp/minixen}
KERNEL=${2:-$CACHE/kernel/test/arch/arm64/boot/Image}
DEBIAN_KERNEL=${3:-$CACHE/arm64-root/boot/vmlinuz-$(cat "$CACHE/arm64-root/.dom0-kernel-release" 2>/dev/null)}
TIMEOUT=${MX_TIMEOUT:-60}
LOGDIR=${MX_LOGDIR:-$(mktemp -d /tmp/minixen-tests.XXXXXX)}
INITRD=$LOGDIR/initrd.cpio.gz
# -nic none: no default NIC (and so no option ROM to find).
QEMU="qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu cortex-a57 -m 1G -nographic -nic none -no-reboot"

mkdir -p "$LOGDIR" || exit 1
for f in "$MINIXEN" "$KERNEL"; do
	[ -f "$f" ] || { echo "Bail out! missing $f"; exit 1; }
done
# A domU's kernel has 8 MiB before its initrd (the specs' addresses,
# 0x50000000 and 0x50800000); QEMU refuses overlapping images.
[ "$(stat -c %s "$KERNEL")" -le $((8 << 20)) ] ||
	{ echo "Bail out! $KERNEL is $(stat -c %s "$KERNEL") bytes, more than its 8 MiB slot"; exit 1; }
MXFAULT_KO=${MXFAULT_KO:-$HERE/mxfault/mxfault.ko}
[ -f "$MXFAULT_KO" ] || MXFAULT_KO=
PVXEN_KO=${PVXEN_KO:-$HERE/../../drivers/core/pvxen-core.ko}
[ -f "$PVXEN_KO" ] || PVXEN_KO=
TESTMODS=${TESTMODS:-$HERE/../modules}
GNTTEST_KO=$TESTMODS/pvxen-gnttab-test.ko
[ -f "$GNTTEST_KO" ] || GNTTEST_KO=
MXFUZZ_KO=${MXFUZZ_KO:-$HERE/mxfault/mxfuzz.ko}
[ -f "$MXFUZZ_KO" ] || MXFUZZ_KO=
export MXFUZZ_KO
MXDMA_KO=${MXDMA_KO:-$TESTMODS/mxdma/mxdma.ko}
[ -n "$PVXEN_KO" ] && [ -n "$GNTTEST_KO" ] && [ -f "$MXDMA_KO" ] || MXDMA_KO=
export MXDMA_KO
SWIOTLB_KO=${SWIOTLB_KO:-$HERE/../../drivers/dma/pvxen-swiotlb.ko}
[ -f "$SWIOTLB_KO" ] || SWIOTLB_KO=
export SWIOTLB_KO
MXFAULT_KO=$MXFAULT_KO PVXEN_KO=$PVXEN_KO GNTTEST_KO=$GNTTEST_KO \
	"$HERE/mkinitrd.sh" "$INITRD" ||
	{ echo "Bail out! cannot build $INITRD"; exit 1; }
n=0
pass=0
fail=0
qpid=
# An interrupted run leaves no QEMU behind.
trap '[ -n "$qpid" ] && kill "$qpid" 2> /dev/null' EXIT
trap 'exit 130' INT TERM


ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
		pass=$((pass + 1))
	else
		echo "not ok $n - $2"
		fail=$((fail + 1))
	fi
}

now() {
	date +%s.%N
}

# seconds since $1, one decimal
since() {
	printf '%.1f' "$(echo "$(now) - $1" | bc)"
}

# run NAME SMP QEMU-ARGS...: boot, log to $LOGDIR/NAME.log. With $STOP set,
# QEMU is stopped once the log matches it (for runs where a domain stays
# up forever). Sets $rc (0 also when stopped at $STOP), $secs, and
# $userspace: seconds from QEMU start to the first guest userspace line
# (one matching $USERSPACE_MARK, when set: one domain's).
run() {
	local name=$1 smp=$2 t0 pid log=$LOGDIR/$1.log stopped=
	local mark=${USERSPACE_MARK:-MX-USERSPACE}
	shift 2
	userspace=
	t0=$(now)
	timeout "$TIMEOUT" $QEMU -smp "$smp" -kernel "$MINIXEN" "$@" \
		> "$log" 2>&1 < /dev/null &
	pid=$!
	qpid=$pid
	while kill -0 "$pid" 2> /dev/null; do
		if [ -z "$userspace" ] && grep -qsF -- "$mark" "$log"; then
			userspace=$(since "$t0")
		fi
		if [ -n "${STOP:-}" ] && grep -Eqs -- "$STOP" "$log"; then
			stopped=1
			kill "$pid"
			break
		fi
		sleep 0.05
	done
	wait "$pid"
	rc=$?
	qpid=
	secs=$(since "$t0")
	[ -z "$userspace" ] && grep -qF -- "$mark" "$log" &&
		userspace=$secs
	if [ -n "$stopped" ]; then
		echo "# $name: stopped at \"$STOP\" after ${secs}s, log $log"
		rc=0
	elif [ "$rc" -eq 124 ]; then
		echo "# $name: TIMED OUT after ${TIMEOUT}s, log $log"
	else
		echo "# $name: qemu exit $rc after ${secs}s, log $log"
	fi
	return $rc
}

# has NAME PATTERN...: the log has every pattern (grep -E); names what is
# missing otherwise.
has() {
	local name=$1 p r=0
	shift
	for p in "$@"; do
		if ! grep -Eq -- "$p" "$LOGDIR/$name.log"; then
			echo "#   $name.log: missing /$p/"
			r=1
		fi
	done
	return $r
}

# hasnt NAME PATTERN: the log does not match; shows the first match.
hasnt() {
	local m

	m=$(grep -Em1 -- "$2" "$LOGDIR/$1.log") || return 0
	echo "#   $1.log: unexpected: $m"
	return 1
}

# nofault NAME: no guest fault, hostile guest or fatal error at minixen, no
# oops in the guests.
nofault() {
	hasnt "$1" "\(MX\) .*(abort injected|unhandled|SError|fatal|hostile)|Oops|BUG:"
}

# guest_passes NAME DOMAIN TEST: TEST's TAP in DOMAIN (tests/harness/
# run-tests.sh) is complete, every result ok (or SKIP), exit status 0;
# sets $np to its number of results.
guest_passes() {
	np=$(grep -Ec "^\($2\) PVXEN-TAP $3: ok " "$LOGDIR/$1.log")
	has "$1" "^\($2\) PVXEN-TAP $3: 1\.\.$np$" \
		"^\($2\) PVXEN-TAP $3: PVXEN-RC 0$" &&
		hasnt "$1" "^\($2\) PVXEN-TAP $3: not ok"
}

# line NAME PATTERN: number of the first log line matching (0: none)
line() {
	local l

	l=$(grep -Enm1 -- "$2" "$LOGDIR/$1.log" | cut -d: -f1)
	echo "${l:-0}"
}

# before NAME PATTERN-A PATTERN-B: both appear, the first A before the
# last B.
before() {
	local a b

	a=$(line "$1" "$2")
	b=$(grep -En -- "$3" "$LOGDIR/$1.log" | tail -n1 | cut -d: -f1)
	if [ "$a" -eq 0 ] || [ -z "$b" ] || [ "$a" -ge "$b" ]; then
		echo "#   $1.log: want /$2/ (line $a) before /$3/ (line ${b:-none})"
		return 1
	fi
}

# dom0 through guest-loader, as Xen takes it: sets $DOM0[@]
dom0_args() {
	local vcpus=$1 test=$2 kernel=${3:-$KERNEL} mem=${4:-128M}

	DOM0=(-append "dom0_mem=$mem dom0_max_vcpus=$vcpus"
	      -device "guest-loader,addr=0x42000000,kernel=$kernel,bootargs=console=ttyAMA0 mx.name=dom0 mx.test=$test"
	      -device "guest-loader,addr=0x47000000,initrd=$INITRD")
}

# dom0less DTB: QEMU's own tree plus Xen-style /chosen domain nodes.
# mkdtb OUT SMP DOMAIN-SPEC...; spec = name:cpus:mem_kib:kernel_addr:initrd_addr:args
# An address "-" leaves that module out. $ENH_<name> set: that domain's
# "xen,enhanced" value; $DIRECT_<name> set: it is 1:1 ("direct-map";
# the first domain always is); $DMAPROF_<name> set: its "minixen,dma-profile";
# $INITRD_<name> set: its ramdisk instead of $INITRD;
# $KERNEL_<name> set: its kernel instead of $KERNEL. $DOM0_NODES: more
# nodes for /chosen (dom0's modules, as guest-loader would add them).
mkdtb() {
	local out=$1 smp=$2 spec name cpus mem ka ia args ks is enh
	shift 2
	timeout 30 $QEMU -smp "$smp" -kernel "$MINIXEN" \
		-machine dumpdtb="$out.base" > /dev/null 2>&1
	{
		dtc -q -I dtb -O dts "$out.base"
		echo "/ { chosen {"
		echo "${DOM0_NODES:-}"
		for spec in "$@"; do
			IFS=: read -r name cpus mem ka ia args <<< "$spec"
			cat <<EOD
	$name {
		compatible = "xen,domain";
		#address-cells = <2>;
		#size-cells = <2>;
		cpus = <$cpus>;
		memory = <0 $mem>;
		vpl011;
EOD
			eval "enh=\${ENH_$name-unset}"
			is=$(stat -c %s "$(dom_initrd "$name")")
			ks=$(stat -c %s "$(dom_kernel "$name")")
			[ "$enh" = unset ] || echo "		xen,enhanced = \"$enh\";"
			eval "enh=\${DIRECT_$name-unset}"
			[ "$enh" = unset ] || echo "		direct-map;"
			eval "enh=\${DMAPROF_$name-unset}"
			[ "$enh" = unset ] ||
				echo "		minixen,dma-profile = \"$enh\";"
			[ "$ka" = - ] || cat <<EOD
		module@$ka {
			compatible = "multiboot,kernel", "multiboot,module";
			reg = <0 $ka 0 $ks>;
			bootargs = "console=ttyAMA0 mx.name=$name $args";
		};
EOD
			[ "$ia" = - ] || cat <<EOD
		module@$ia {
			compatible = "multiboot,ramdisk", "multiboot,module";
			reg = <0 $ia 0 $is>;
		};
EOD
			echo "	};"
		done
		echo "}; };"
	} > "$out.dts"
	dtc -q -I dts -O dtb -o "$out" "$out.dts"
}

# dom_initrd NAME: that domain's ramdisk
dom_initrd() {
	eval "echo \"\${INITRD_$1-$INITRD}\""
}

# dom_kernel NAME: that domain's kernel
dom_kernel() {
	eval "echo \"\${KERNEL_$1-$KERNEL}\""
}

loaders() {
	local spec name cpus mem ka ia args
	for spec in "$@"; do
		IFS=: read -r name cpus mem ka ia args <<< "$spec"
		[ "$ka" = - ] ||
			echo "-device loader,file=$(dom_kernel "$name"),addr=$ka,force-raw=on"
		[ "$ia" = - ] ||
			echo "-device loader,file=$(dom_initrd "$name"),addr=$ia,force-raw=on"
	done
}

# dom0less NAME SMP SPEC...: build the DTB and boot it
dom0less() {
	local name=$1 smp=$2
	shift 2
	mkdtb "$LOGDIR/$name.dtb" "$smp" "$@"
	run "$name" "$smp" -dtb "$LOGDIR/$name.dtb" $(loaders "$@")
}

# tick_span NAME DOMAIN FIRST LAST: guest seconds between two MX-TICKs
tick_span() {
	local a b

	a=$(sed -n "s/.*MX-TICK name=$2 $3 t=\([0-9.]*\).*/\1/p" "$LOGDIR/$1.log")
	b=$(sed -n "s/.*MX-TICK name=$2 $4 t=\([0-9.]*\).*/\1/p" "$LOGDIR/$1.log")
	[ -n "$a" ] && [ -n "$b" ] && echo "$b - $a" | bc
}
