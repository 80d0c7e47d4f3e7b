#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The Debian package pvxen-dkms, for real (`make check-dkms`, as root):
# built with `make deb`, installed with dpkg in an arm64 Debian 12 root
# (mmdebstrap, run under qemu-user through binfmt_misc) that has dkms,
# gcc and Debian's current arm64 kernel headers (linux-headers-arm64).
# TAP, ending with "N passed, N failed":
#
#   - one version everywhere: include/pvxen/version.h's PVXEN_VERSION,
#     debian/changelog, the package and its dkms.conf;
#   - the package holds the driver sources and nothing test-only;
#   - installing it makes DKMS build and install every driver module
#     (the obj-m of drivers/*/Kbuild) for the headers' kernel, and no
#     other module; the build log has no warning;
#   - modinfo shows for each: our version, a GPL license, a description,
#     the kernel's vermagic, pvxen-core as a dependency of the others,
#     and every module parameter of its sources (module_param*()) with a
#     description, and no other;
#   - removing the package removes the modules.
#
# Set-up, idempotent: qemu-aarch64 registered with binfmt_misc (mounted
# if need be), from qemu-user-static's own binfmt.d entry; the bare root
# cached in $PVXEN_CACHE/dkms-root/base-KEY, KEY a hash of what goes into
# it: the mirror, the package list and the versions apt's lists offer for
# them now (a new kernel ABI in the archive makes a new root). Each run
# works on a copy ($PVXEN_CACHE/dkms-root/run), removed at the start of
# the next run. Logs: tests/out/dkms/.
#
# PVXEN_DKMS_MIRROR: the Debian mirror (default http://deb.debian.org).
#
# The helpers that only check's expressions call (eval), and the trap
# handler, look unreachable to shellcheck:
# shellcheck disable=SC2317
set -uo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"

out="$PVXEN_TOP/tests/out/dkms"
cache="$PVXEN_CACHE/dkms-root"
run="$cache/run"
mirror=${PVXEN_DKMS_MIRROR:-http://deb.debian.org}
include=dkms,gcc,make,kmod,openssl,linux-headers-arm64
binfmt=/proc/sys/fs/binfmt_misc

n=0
passed=0
failed=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
	fi
}
# check DESC EXPR: EXPR is one shell expression (tests/guest/lib.sh).
check() {
	eval "$2"
	ok $? "$1"
}
diag() { printf '# %s\n' "$*"; }
finish() {
	echo "1..$n"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}
# bail DESC LOG: a failed step the rest depends on, the end of its log.
bail() {
	ok 1 "$1"
	[ -e "$2" ] && tail -n 20 "$2" | sed 's/^/#   /'
	finish
}

[ "$(id -u)" = 0 ] || pvxen_die "check-dkms uses chroot and binfmt_misc: run it as root"
for c in mmdebstrap dpkg-buildpackage dh_dkms; do
	command -v "$c" >/dev/null || pvxen_die "no $c: run scripts/setup"
done
mkdir -p "$out" "$cache"
t0=$(date +%s)

# ---- the package --------------------------------------------------------
version=$(sed -n 's/^#define PVXEN_VERSION "\(.*\)"$/\1/p' \
	"$PVXEN_TOP/include/pvxen/version.h")
deb=$("$PVXEN_TOP/scripts/build-deb" "$out/deb" 2>"$out/build-deb.err" | tail -n 1)
if [ -z "$deb" ] || [ ! -e "$deb" ]; then
	bail "make deb builds pvxen-dkms" "$out/deb/build.log"
fi
ok 0 "make deb builds pvxen-dkms ($(basename "$deb"))"

dpkg-deb --fsys-tarfile "$deb" | tar -x -O "./usr/src/pvxen-$version/dkms.conf" \
	>"$out/dkms.conf" 2>/dev/null
same_version() {
	local cl pkg conf
	cl=$(cd "$PVXEN_TOP" && dpkg-parsechangelog -S Version)
	pkg=$(dpkg-deb -f "$deb" Version)
	conf=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$out/dkms.conf")
	diag "PVXEN_VERSION '$version', debian/changelog '$cl'," \
		"package '$pkg', dkms.conf '$conf'"
	[ -n "$version" ] && [ "$cl" = "$version" ] && [ "$pkg" = "$version" ] &&
		[ "$conf" = "$version" ]
}
check "one version: PVXEN_VERSION = debian/changelog = the package = its dkms.conf" \
	"same_version"

dpkg-deb -c "$deb" | awk '{ print $6 }' >"$out/contents.txt"
# Sources of the drivers, nothing of the tests or the hypervisor, no
# build products.
only_drivers() {
	local bad
	bad=$(grep -E "/(tests|hyp)/|\\.(o|ko|mod|cmd)\$|Module\\.symvers" \
		"$out/contents.txt")
	[ -z "$bad" ] || diag "test-only or built: $bad"
	[ -z "$bad" ] &&
		grep -qx "./usr/src/pvxen-$version/drivers/core/main.c" "$out/contents.txt"
}
check "the package holds the driver sources and nothing test-only or built" \
	"only_drivers"

# The driver modules and their parameters, from the sources: obj-m of
# drivers/*/Kbuild; a module's C files from its NAME-y/NAME-$(CONFIG_..)
# object lists; its parameters the first argument of every module_param*().
mapfile -t modules < <(sed -n 's/^obj-m += \(.*\)\.o$/\1/p' \
	"$PVXEN_TOP"/drivers/*/Kbuild | sort)
declare -A kbuild_dir
for k in "$PVXEN_TOP"/drivers/*/Kbuild; do
	while read -r m; do
		kbuild_dir[$m]=$(dirname "$k")
	done < <(sed -n 's/^obj-m += \(.*\)\.o$/\1/p' "$k")
done
source_params() {
	local m=$1 dir=${kbuild_dir[$1]} o files=()
	for o in $(sed -n "s/^$m-[^ ]* [:+]= //p" "$dir/Kbuild" | tr '\n' ' '); do
		o="$dir/${o%.o}"
		[ -e "$o.c" ] && files+=("$o.c")
	done
	perl -0777 -ne 'print "$1\n" while /\bmodule_param\w*\s*\(\s*(\w+)/g' \
		"${files[@]}" | sort -u
}
diag "driver modules (drivers/*/Kbuild): ${modules[*]}"

# ---- the arm64 Debian 12 root -------------------------------------------
if [ ! -e "$binfmt/status" ]; then
	mount -t binfmt_misc binfmt_misc "$binfmt" ||
		pvxen_die "cannot mount binfmt_misc on $binfmt"
fi
if [ ! -e "$binfmt/qemu-aarch64" ]; then
	conf=/usr/lib/binfmt.d/qemu-aarch64.conf
	[ -e "$conf" ] || pvxen_die "no $conf: install qemu-user-static (scripts/setup)"
	# The F flag: the interpreter is opened now, so it works in a chroot.
	grep -q ':[A-Z]*F[A-Z]*$' "$conf" || pvxen_die "$conf lacks the F flag"
	cat "$conf" >"$binfmt/register" || pvxen_die "cannot register qemu-aarch64"
fi

suites="bookworm bookworm-updates bookworm-security"
key=$( {
	echo "$mirror $suites $include"
	for p in ${include//,/ }; do
		echo "$p $(apt-cache policy "$p:arm64" "$p" 2>/dev/null |
			awk '/Candidate:/ && $2 != "(none)" { print $2; exit }')"
	done
} | sha256sum | cut -c1-16)
base="$cache/base-$key"
if [ ! -e "$base/.pvxen-base" ]; then
	pvxen_log "building the arm64 Debian 12 root $base (mmdebstrap, qemu-user)"
	t1=$(date +%s)
	rm -rf "$base.tmp"
	nice -n 15 mmdebstrap --arch=arm64 --variant=apt --include="$include" \
		--aptopt='Acquire::Languages "none"' bookworm "$base.tmp" \
		"deb $mirror/debian bookworm main" \
		"deb $mirror/debian bookworm-updates main" \
		"deb $mirror/debian-security bookworm-security main" \
		>"$out/mmdebstrap.log" 2>&1 ||
		bail "an arm64 Debian 12 root with dkms and the kernel headers (mmdebstrap)" \
			"$out/mmdebstrap.log"
	touch "$base.tmp/.pvxen-base"
	# Roots from other inputs are no longer used.
	for old in "$cache"/base-*; do
		[ "$old" = "$base.tmp" ] || rm -rf "$old"
	done
	mv "$base.tmp" "$base"
	diag "arm64 root built in $(( $(date +%s) - t1 )) s"
fi

mounts=()
cleanup() {
	local i
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
		umount -l "${mounts[$i]}" 2>/dev/null || true
	done
}
trap cleanup EXIT
rm -rf "$run"
cp -a --reflink=auto "$base" "$run"
mount -t proc proc "$run/proc" && mounts+=("$run/proc")
mount --bind /dev "$run/dev" && mounts+=("$run/dev")
inroot() {
	chroot "$run" /usr/bin/env -i HOME=/root LC_ALL=C \
		PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"
}

kver=$(inroot dpkg-query -W -f "\${Depends}" linux-headers-arm64 |
	sed -n 's/.*linux-headers-\([^ ,]*\).*/\1/p')
if [ -z "$kver" ] || ! inroot test -e "/lib/modules/$kver/build/Makefile"; then
	bail "Debian's arm64 kernel headers in the root (linux-headers-arm64)" /dev/null
fi
diag "kernel: $kver ($(inroot dpkg-query -W -f "\${Version}" "linux-headers-$kver"))," \
	"dkms $(inroot dpkg-query -W -f "\${Version}" dkms)"

# ---- install ------------------------------------------------------------
cp "$deb" "$run/tmp/"
t1=$(date +%s)
inroot dpkg -i "/tmp/$(basename "$deb")" >"$out/install.log" 2>&1
rc=$?
ok "$rc" "dpkg -i pvxen-dkms in the arm64 root ($(( $(date +%s) - t1 )) s)"
[ "$rc" -eq 0 ] || tail -n 20 "$out/install.log" | sed 's/^/#   /'
cp "$run/var/lib/dkms/pvxen/$version/build/make.log" "$out/make.log" 2>/dev/null ||
	cp "$run/var/lib/dkms/pvxen/$version/$kver/aarch64/log/make.log" \
		"$out/make.log" 2>/dev/null

inroot dkms status >"$out/dkms-status.txt" 2>&1
diag "dkms status: $(cat "$out/dkms-status.txt")"
check "dkms status: pvxen/$version installed for $kver" \
	"grep -q '^pvxen/$version, $kver, aarch64: installed' '$out/dkms-status.txt'"

dest="$run/lib/modules/$kver/updates/dkms"
installed() {
	find "$dest" -name '*.ko*' -printf '%f\n' 2>/dev/null |
		sed 's/\.ko\(\.[a-z]*\)\?$//' | sort
}
check "the driver modules, and only they, in /lib/modules/$kver/updates/dkms" \
	"[ \"\$(installed)\" = \"$(printf '%s\n' "${modules[@]}")\" ]"
diag "installed: $(installed | tr '\n' ' ')"
check "the DKMS build log has no warning" \
	"[ -s '$out/make.log' ] && ! grep -i 'warning' '$out/make.log' | sed 's/^/#   /' | grep ."
signed=$(inroot grep -q '^CONFIG_MODULE_SIG=y' "/lib/modules/$kver/build/.config" &&
	echo y)

# ---- modinfo ------------------------------------------------------------
# field M FIELD: modinfo's FIELD of module M in the root (-k: its kernel).
field() { inroot modinfo -k "$kver" -F "$2" "$1" 2>/dev/null; }
params_described() {
	local m=$1 want got p d bad=0
	want=$(source_params "$m")
	got=$(field "$m" parm | sed -n 's/^\([A-Za-z0-9_]*\):.*/\1/p' | sort -u)
	for p in $want; do
		d=$(field "$m" parm | sed -n "s/^$p:\(.*\)/\1/p")
		d=${d% (*)}
		if [ -z "$d" ]; then
			diag "$m: parameter $p has no description in modinfo"
			bad=1
		fi
	done
	if [ "$want" != "$got" ]; then
		diag "$m: the sources' parameters: $(echo "$want" | tr '\n' ' ')" \
			"modinfo's, with a description: $(echo "$got" | tr '\n' ' ')"
		bad=1
	fi
	return "$bad"
}
for m in "${modules[@]}"; do
	check "$m: modinfo version $version" "[ \"\$(field $m version)\" = '$version' ]"
	check "$m: modinfo license GPL" "[ \"\$(field $m license)\" = GPL ]"
	check "$m: modinfo description" "[ -n \"\$(field $m description)\" ]"
	check "$m: modinfo vermagic for $kver" \
		"field $m vermagic | grep -q '^$kver '"
	if [ "$m" != pvxen-core ]; then
		check "$m: depends on pvxen-core" "[ \"\$(field $m depends)\" = pvxen-core ]"
	fi
	check "$m: every module parameter of its sources, with a description ($(source_params "$m" | tr '\n' ' '))" \
		"params_described $m"
	if [ "$signed" = y ]; then
		check "$m: signed with DKMS's MOK key (the kernel has CONFIG_MODULE_SIG)" \
			"[ -n \"\$(field $m signer)\" ]"
	fi
done
diag "signer: $(field pvxen-core signer)"

# ---- remove -------------------------------------------------------------
inroot dpkg -r pvxen-dkms >"$out/remove.log" 2>&1
rc=$?
ok "$rc" "dpkg -r pvxen-dkms"
check "dkms status no longer lists pvxen" \
	"! inroot dkms status 2>&1 | grep -q '^pvxen/'"
check "the modules are gone from /lib/modules/$kver" \
	"[ -z \"\$(find '$run/lib/modules/$kver' -name 'pvxen-*.ko*')\" ]"
check "modules.dep no longer lists them" \
	"! grep -q pvxen '$run/lib/modules/$kver/modules.dep'"
check "/usr/src/pvxen-$version is gone" "[ ! -e '$run/usr/src/pvxen-$version' ]"

diag "check-dkms: $(( $(date +%s) - t0 )) s"
finish
