#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Tiny busybox initramfs for the minixen QEMU tests.
#   mkinitrd.sh OUT.cpio.gz
# /init reports "MX-USERSPACE name=<mx.name> cpus=<online CPUs>", then does
# what mx.test= on the kernel command line says:
#   poweroff (default) | reboot | hold (stay up, print a tick each second)
#   | fault (hold; at tick 2 load mxfault.ko to read mx.addr, memory
#     outside the domain; needs MXFAULT_KO, built by tests/hyp/Makefile)
set -e
OUT=$(readlink -f "$1")
BUSYBOX=${BUSYBOX:-${PVXEN_CACHE:-/var/cache/pvxen}/arm64-root/bin/busybox}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/bin" "$T/proc" "$T/sys" "$T/dev"
cp "$BUSYBOX" "$T/bin/busybox"
[ -n "${MXFAULT_KO:-}" ] && cp "$MXFAULT_KO" "$T/mxfault.ko"
for a in sh mount cat echo grep sleep poweroff reboot insmod seq; do
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
echo "MX-USERSPACE name=$name cpus=$(grep -c ^processor /proc/cpuinfo)"
case $test in
hold|fault)
	for i in $(seq 1 ${MX_HOLD:-$(arg mx.hold)}); do
		sleep 1
		echo "MX-TICK name=$name $i"
		if [ "$test" = fault ] && [ "$i" = 2 ]; then
			echo "MX-FAULT name=$name reading $(arg mx.addr)"
			insmod /mxfault.ko addr=$(arg mx.addr)
			echo "MX-FAULT-SURVIVED name=$name rc=$?"
		fi
	done
	;;
esac
if [ "$test" = reboot ]; then
	echo "MX-REBOOT name=$name"
	reboot -f
fi
echo "MX-POWEROFF name=$name"
poweroff -f
EOI
chmod +x "$T/init"
(cd "$T" && find . | cpio -o -H newc -R 0:0 --quiet | gzip -9) > "$OUT"
