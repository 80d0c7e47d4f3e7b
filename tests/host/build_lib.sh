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

# The cross compiler's own freestanding headers (stdint.h, stddef.h, ...).
fsinc=$($CROSS_CC -print-file-name=include 2>/dev/null)

# have_ksrc: whether the kernel headers are there to build against.
have_ksrc() {
	[ -f "$KSRC/include/linux/types.h" ]
}

# kernel_cc ARGS...: the cross compiler as for arm64 kernel code, with only
# the kernel's headers and __KERNEL__. No configured tree is needed: an
# empty autoconf.h and the asm/types.h wrapper Kbuild would generate are
# enough for <linux/types.h>.
kernel_cc() {
	_shim=$O/kshim
	mkdir -p "$_shim/generated" "$_shim/asm"
	: >"$_shim/generated/autoconf.h"
	echo '#include <asm-generic/types.h>' >"$_shim/asm/types.h"
	# shellcheck disable=SC2086 # WFLAGS is a word list
	$CROSS_CC -D__KERNEL__ -std=gnu11 -O2 -nostdinc \
		-isystem "$fsinc" -mgeneral-regs-only -fno-strict-aliasing \
		-I"$KSRC/arch/arm64/include" -I"$KSRC/arch/arm64/include/uapi" \
		-I"$KSRC/include" -I"$KSRC/include/uapi" -I"$_shim" \
		-include "$KSRC/include/linux/kconfig.h" \
		-include "$KSRC/include/linux/compiler_types.h" \
		$WFLAGS -Wno-unused-parameter -Wno-sign-compare \
		-Wdeclaration-after-statement -Wstrict-prototypes -Wvla -I"$INC" \
		"$@"
}
