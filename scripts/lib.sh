# SPDX-License-Identifier: GPL-2.0-only
# Common settings for pvxen scripts. Sourced, not executed.

PVXEN_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PVXEN_CACHE=${PVXEN_CACHE:-/var/cache/pvxen}
PVXEN_CROSS=${PVXEN_CROSS:-aarch64-linux-gnu-}
# Debian's kernel source package for the test kernels.
PVXEN_KSRC_PKG=${PVXEN_KSRC_PKG:-linux-source-6.1}
# (A flavour named FLAVOUR-VER, test-5.10 or debug-6.12, is FLAVOUR built
# from Debian's linux-source-VER instead: scripts/build-kernel.)

pvxen_log() { printf 'pvxen: %s\n' "$*" >&2; }
pvxen_die() { printf 'pvxen: error: %s\n' "$*" >&2; exit 1; }

# Version of an installed Debian package, or empty.
pvxen_pkg_version() {
	{ dpkg-query -W -f='${Status} ${Version}\n' "$1" 2>/dev/null || true; } |
		awk '$3 == "installed" { print $4 }'
}

# pvxen_suite_version PACKAGE SUITE: the version apt's lists offer from SUITE.
# (awk reads to the end: an early exit would fail the pipe under pipefail.)
pvxen_suite_version() {
	apt-cache madison "$1" |
		awk -F' *[|] *' -v s="$2" '!v && $3 ~ " " s "/" { v = $2 }
			END { if (v) print v }'
}

# pvxen_flavour_split NAME: "FLAVOUR VER" for a versioned flavour name
# (test-6.12 -> "test 6.12"), "NAME" for the default source's (test).
pvxen_flavour_split() {
	if [[ $1 =~ ^(.+)-([0-9]+\.[0-9]+)$ ]]; then
		echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
	else
		echo "$1"
	fi
}

# Where scripts/setup keeps a kernel source package that is not installed
# (one from outside this machine's apt sources): the .deb, and its files
# unpacked under root/, with .pvxen-version once complete.
pvxen_ksrc_fetched() { echo "$PVXEN_CACHE/ksrc/$1"; }

# pvxen_ksrc PKG: "VERSION TARBALL" of a kernel source package, installed
# (/usr/src) or fetched by scripts/setup; nothing if it is neither.
pvxen_ksrc() {
	local ver dir t
	ver=$(pvxen_pkg_version "$1")
	dir=/usr/src
	if [ -z "$ver" ]; then
		dir=$(pvxen_ksrc_fetched "$1")
		[ -e "$dir/.pvxen-version" ] || return 0
		ver=$(cat "$dir/.pvxen-version")
		dir=$dir/root/usr/src
	fi
	t=$(ls "$dir/$1".tar.* 2>/dev/null | head -n 1)
	[ -z "$t" ] || echo "$ver $t"
}

# Debian 11 (bullseye) is not in this machine's apt sources, but its
# 5.10 kernel source and headers are what the 5.10 builds use.  One
# private apt state, $PVXEN_CACHE/apt-bullseye (its own sources list,
# lists and cache; the machine's sources and lists are not touched),
# serves scripts/setup (linux-source-5.10) and scripts/stock-headers
# (linux-headers-*-arm64).  pvxen_bullseye_apt fills PVXEN_BULLSEYE_APT
# with the options that make apt-get and apt-cache use it, and refreshes
# its lists when they are older than a day or their sources changed.
pvxen_bullseye_apt() {
	local dir="$PVXEN_CACHE/apt-bullseye"
	local kr=/usr/share/keyrings/debian-archive-keyring.gpg
	local want
	PVXEN_BULLSEYE_APT=(-o "Dir::Etc::sourcelist=$dir/sources.list"
		-o Dir::Etc::sourceparts=/dev/null
		-o Dir::Etc::preferencesparts=/dev/null
		-o "Dir::State::Lists=$dir/lists"
		-o "Dir::Cache=$dir/cache"
		-o APT::Sandbox::User=root
		-o Acquire::Languages=none)
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	want=$(printf 'deb [signed-by=%s] %s main\n' \
		"$kr" "http://deb.debian.org/debian-security bullseye-security" \
		"$kr" "http://deb.debian.org/debian bullseye")
	if [ "$(cat "$dir/sources.list" 2>/dev/null)" != "$want" ]; then
		echo "$want" > "$dir/sources.list"
		rm -f "$dir"/lists/*Packages*
	fi
	if [ -z "$(find "$dir/lists" -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null)" ]; then
		pvxen_log "updating the private bullseye lists ($dir)"
		apt-get -qq "${PVXEN_BULLSEYE_APT[@]}" update
	fi
}

# Staging root holding the extracted arm64 packages (Xen, dom0 kernel, tools).
pvxen_arm64_root() { echo "$PVXEN_CACHE/arm64-root"; }

# Build directory of a test kernel flavour (what scripts/build-kernel made).
pvxen_kdir() {
	local flavour=${1:-test}
	local link="$PVXEN_CACHE/kernel/$flavour"
	[ -e "$link/.pvxen-built" ] || pvxen_die "test kernel '$flavour' not built: run scripts/setup"
	readlink -f "$link"
}

# pvxen_kdir_cc KDIR: "CC=${PVXEN_CROSS}gcc" when KDIR is a Debian headers
# tree whose compiler ($(CROSS_COMPILE)gcc-N, .kernelvariables) is not on
# this machine, else nothing.
pvxen_kdir_cc() {
	local v="$1/.kernelvariables" n
	[ -f "$v" ] || return 0
	n=$(sed -n 's/^CC = .*$(CROSS_COMPILE)gcc-\([0-9]*\).*/\1/p' "$v")
	[ -n "$n" ] || return 0
	command -v "${PVXEN_CROSS}gcc-$n" >/dev/null || echo "CC=${PVXEN_CROSS}gcc"
}
