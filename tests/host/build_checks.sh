#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Build-only checks of include/pvxen/xlate.h, as one TAP suite:
# freestanding builds (aarch64 and host), a -D__KERNEL__ build against the
# kernel's own headers, and compile errors when address spaces are mixed.
#
# Environment: see build_lib.sh.

. ./build_lib.sh
echo "1..9"

diag() {
	sed 's/^/# /' "$1"
}

# 1. freestanding aarch64, no libc headers at all, no FP/SIMD registers,
#    and an object that needs no symbol from anywhere.
log=$O/fs-aarch64.log
if $CROSS_CC -std=gnu11 -O2 -ffreestanding -nostdlib -nostdinc \
	-isystem "$fsinc" -mgeneral-regs-only $WFLAGS -I$INC \
	-c freestanding.c -o "$O/fs-aarch64.o" >"$log" 2>&1 &&
   undef=$(${CROSS_CC%gcc}nm -u "$O/fs-aarch64.o") && [ -z "$undef" ]; then
	result 0 "xlate.h builds freestanding for aarch64"
else
	diag "$log"
	[ -n "$undef" ] && echo "# undefined symbols: $undef"
	result 1 "xlate.h builds freestanding for aarch64"
fi

# 2. freestanding host build, strict ISO C99.
log=$O/fs-host.log
if $HOSTCC -std=c99 -pedantic -O2 -ffreestanding -nostdlib -nostdinc \
	-isystem "$($HOSTCC -print-file-name=include)" $WFLAGS \
	-Wconversion -Wshadow -I$INC -c freestanding.c \
	-o "$O/fs-host.o" >"$log" 2>&1 &&
   [ -z "$(nm -u "$O/fs-host.o")" ]; then
	result 0 "xlate.h builds freestanding for the host (C99, pedantic)"
else
	diag "$log"
	result 1 "xlate.h builds freestanding for the host (C99, pedantic)"
fi

# 3. kernel build: only kernel headers, __KERNEL__ defined.
desc="xlate.h builds with -D__KERNEL__ against kernel headers (arm64)"
if have_ksrc; then
	log=$O/kernel.log
	if kernel_cc -c freestanding.c -o "$O/kernel.o" >"$log" 2>&1 &&
	   [ -z "$(${CROSS_CC%gcc}nm -u "$O/kernel.o")" ]; then
		result 0 "$desc"
	else
		diag "$log"
		result 1 "$desc"
	fi
else
	result 0 "$desc" "SKIP no kernel source at $KSRC"
fi

# 4-9. typed values: the unmixed file builds, each mix is rejected.
tc() {
	$HOSTCC -std=gnu11 $WFLAGS -I$INC -fsyntax-only "$@" typecheck.c
}
log=$O/typecheck.log
if tc >"$log" 2>&1; then
	result 0 "typecheck.c builds when address spaces are not mixed"
else
	diag "$log"
	result 1 "typecheck.c builds when address spaces are not mixed"
fi
for mix in 1 2 3 4 5; do
	case $mix in
	1) what="a bfn passed as a pfn" ;;
	2) what="a guest-physical address passed as a machine address" ;;
	3) what="a machine address assigned to a DMA address" ;;
	4) what="a raw integer passed as a DMA address" ;;
	5) what="a DMA address used as a raw integer" ;;
	esac
	log=$O/typecheck-$mix.log
	if tc -DMIX=$mix >"$log" 2>&1; then
		result 1 "compile error: $what"
	elif grep -q "incompatible\|invalid operands" "$log"; then
		result 0 "compile error: $what"
	else
		diag "$log"
		result 1 "compile error (for the right reason): $what"
	fi
done

exit $failed
