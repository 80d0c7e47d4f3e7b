#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# minixen QEMU tests (TAP). Boots the test kernel under hyp/minixen:
# dom0 through guest-loader (as for Xen), SMP, more vCPUs than CPUs,
# dom0less domains, isolation, reboot. Usage:
#   qemu-tests.sh [MINIXEN [KERNEL]]
# Logs of each run go to $MX_LOGDIR (default: a temporary directory).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
MINIXEN=${1:-$HERE/../../hyp/minixen}
KERNEL=${2:-${PVXEN_CACHE:-/var/cache/pvxen}/kernel/test/arch/arm64/boot/Image}
TIMEOUT=${MX_TIMEOUT:-90}
LOGDIR=${MX_LOGDIR:-$(mktemp -d /tmp/minixen-tests.XXXXXX)}
INITRD=$LOGDIR/initrd.cpio.gz
QEMU="qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu cortex-a57 -m 1G -nographic -no-reboot"

MXFAULT_KO=${MXFAULT_KO:-$HERE/mxfault/mxfault.ko}
[ -f "$MXFAULT_KO" ] || MXFAULT_KO=
MXFAULT_KO=$MXFAULT_KO "$HERE/mkinitrd.sh" "$INITRD" || exit 1
n=0
pass=0
fail=0

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

# run NAME SMP QEMU-ARGS...: boot, log to $LOGDIR/NAME.log, time in $secs
run() {
	local name=$1 smp=$2 t0 t1
	shift 2
	t0=$(date +%s.%N)
	timeout "$TIMEOUT" $QEMU -smp "$smp" -kernel "$MINIXEN" "$@" \
		> "$LOGDIR/$name.log" 2>&1 < /dev/null
	rc=$?
	t1=$(date +%s.%N)
	secs=$(printf '%.1f' "$(echo "$t1 - $t0" | bc)")
	echo "# $name: qemu exit $rc after ${secs}s, log $LOGDIR/$name.log"
	return $rc
}

has() {
	grep -q -- "$2" "$LOGDIR/$1.log"
}

# dom0 through guest-loader, as Xen takes it: sets $DOM0[@]
dom0_args() {
	local vcpus=$1 test=$2
	DOM0=(-append "dom0_mem=128M dom0_max_vcpus=$vcpus"
	      -device "guest-loader,addr=0x42000000,kernel=$KERNEL,bootargs=console=ttyAMA0 mx.name=dom0 mx.test=$test"
	      -device "guest-loader,addr=0x47000000,initrd=$INITRD")
}

# dom0less DTB: QEMU's own tree plus Xen-style /chosen domain nodes.
# mkdtb OUT DOMAIN-SPEC...; spec = name:cpus:mem_kib:kernel_addr:initrd_addr:args
mkdtb() {
	local out=$1 smp=$2 spec name cpus mem ka ia args ks is
	shift 2
	$QEMU -smp "$smp" -kernel "$MINIXEN" \
		-machine dumpdtb="$out.base" > /dev/null 2>&1
	{
		dtc -q -I dtb -O dts "$out.base"
		echo "/ { chosen {"
		for spec in "$@"; do
			IFS=: read -r name cpus mem ka ia args <<< "$spec"
			ks=$(stat -c %s "$KERNEL")
			is=$(stat -c %s "$INITRD")
			cat <<EOD
	$name {
		compatible = "xen,domain";
		#address-cells = <2>;
		#size-cells = <2>;
		cpus = <$cpus>;
		memory = <0 $mem>;
		vpl011;
		module@$ka {
			compatible = "multiboot,kernel", "multiboot,module";
			reg = <0 $ka 0 $ks>;
			bootargs = "console=ttyAMA0 mx.name=$name $args";
		};
		module@$ia {
			compatible = "multiboot,ramdisk", "multiboot,module";
			reg = <0 $ia 0 $is>;
		};
	};
EOD
		done
		echo "}; };"
	} > "$out.dts"
	dtc -q -I dts -O dtb -o "$out" "$out.dts"
}

loaders() {
	local spec name cpus mem ka ia args
	for spec in "$@"; do
		IFS=: read -r name cpus mem ka ia args <<< "$spec"
		echo "-device loader,file=$KERNEL,addr=$ka,force-raw=on"
		echo "-device loader,file=$INITRD,addr=$ia,force-raw=on"
	done
}

echo "1..13"

# 1-3: dom0 with 2 vCPUs on 2 CPUs, to userspace, powers QEMU off.
dom0_args 2 poweroff
run smp2 2 "${DOM0[@]}"
ok $? "dom0 2 vCPUs on 2 CPUs: QEMU powered off (exit 0)"
has smp2 "MX-USERSPACE name=dom0 cpus=2"
ok $? "dom0 reached userspace with 2 CPUs (${secs}s from QEMU start to power-off)"
has smp2 "no domain left: powering off"
ok $? "last domain gone: minixen powered off"

# 4: more vCPUs than CPUs.
dom0_args 3 poweroff
run oversub 1 "${DOM0[@]}"
has oversub "MX-USERSPACE name=dom0 cpus=3"
ok $? "dom0 3 vCPUs on 1 CPU reached userspace (${secs}s)"

# 5-8: two dom0less domains at once; one stops early, the other goes on.
S1="domU1:2:131072:0x50000000:0x50800000:mx.test=poweroff"
S2="domU2:1:98304:0x51000000:0x51800000:mx.test=hold mx.hold=3"
mkdtb "$LOGDIR/two.dtb" 2 "$S1" "$S2"
run two 2 -dtb "$LOGDIR/two.dtb" $(loaders "$S1" "$S2")
ok $? "two dom0less domains: QEMU powered off (exit 0)"
has two "MX-USERSPACE name=domU1 cpus=2" &&
	has two "MX-USERSPACE name=domU2 cpus=1"
ok $? "both domains reached userspace (${secs}s)"
grep -n "" "$LOGDIR/two.log" | grep -q "(domU1) MX-USERSPACE" &&
	[ "$(grep -n 'MX-TICK name=domU2 3' "$LOGDIR/two.log" | cut -d: -f1)" -gt \
	  "$(grep -n '(MX) domU1: powered off' "$LOGDIR/two.log" | cut -d: -f1)" ]
ok $? "domU2 keeps running after domU1 powered off"
has two "(domU2) MX-POWEROFF name=domU2"
ok $? "console output carries each domain's name"

# 9-10: isolation: a domain reading memory it does not own (domU2's RAM:
# domU1 is the 1:1 domain and takes the top 64 MiB, domU2 the next).
S1="domU1:1:65536:0x50000000:0x50800000:mx.test=fault mx.hold=4 mx.addr=0x78000000"
S2="domU2:1:65536:0x51000000:0x51800000:mx.test=hold mx.hold=5"
mkdtb "$LOGDIR/iso.dtb" 1 "$S1" "$S2"
run iso 1 -dtb "$LOGDIR/iso.dtb" $(loaders "$S1" "$S2")
has iso "domU2: .*(PA 0x78000000)" &&
	has iso "domU1: vCPU0 read at IPA 0x78000000.*abort injected" &&
	has iso "(domU1) MX-FAULT-SURVIVED"
r=$?
skip=""
[ -n "$MXFAULT_KO" ] || { r=0; skip=" # SKIP no mxfault.ko"; }
ok $r "reading another domain's memory gets an abort injected$skip"
has iso "MX-TICK name=domU2 5"
ok $? "the other domain keeps running"

# 11: reboot of the last domain resets the machine (QEMU -no-reboot exits).
dom0_args 1 reboot
run reboot 1 "${DOM0[@]}"
has reboot "MX-REBOOT name=dom0" && has reboot "no domain left: rebooting"
ok $? "domain reboot (PSCI SYSTEM_RESET) handled"

# 12-13: bad boot configurations are rejected with a message.
run nokernel 1 -append "loglvl=info"
has nokernel "bad boot configuration: no domain to boot"
ok $? "no domain: rejected at boot"
S1="domU1:0:65536:0x50000000:0x50800000:"
mkdtb "$LOGDIR/bad.dtb" 1 "$S1"
run badcpus 1 -dtb "$LOGDIR/bad.dtb" $(loaders "$S1")
has badcpus "bad boot configuration: domU1: 0 vCPUs"
ok $? "domain with 0 vCPUs: rejected at boot"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
