# SPDX-License-Identifier: GPL-2.0-only
# Shared by the build-only check scripts (sourced): settings and the TAP
# result helper. Environment: HOSTCC, CROSS_CC, KSRC (kernel source tree),
# O (build dir).

HOSTCC=${HOSTCC:-gcc}
CROSS_CC=${CROSS_CC:-aarch64-linux-gnu-gcc}
KSRC=${KSRC:-${PVXEN_CACHE:-/var/cache/pvxen}/src/current}
O=${O:-build}
INC=../../include
WFLAGS="-Wall -Wextra -Werror"

n=0
failed=0
mkdir -p "$O"

result() {	# result <0|1> <description> [directive]
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2${3:+ # $3}"
	else
		echo "not ok $n - $2"
		failed=1
	fi
}
