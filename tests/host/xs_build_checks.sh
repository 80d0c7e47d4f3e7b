#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Build-only checks of include/pvxen/xs_wire.h, as one TAP suite: it
# builds freestanding for aarch64 and the host without needing any symbol,
# and with -D__KERNEL__ against the kernel's own headers.
#
# Environment: see build_lib.sh.

. ./build_lib.sh
# Compilers and flags are word lists on purpose.
# shellcheck disable=SC2086
echo "1..3"

# run DESC LOG NM CC ARGS...: compile, then require no undefined symbol.
run() {
	_d=$1 _log=$2 _nm=$3
	shift 3
	if "$@" -c xs_freestanding.c -o "$_log.o" >"$_log" 2>&1 &&
	   _u=$($_nm -u "$_log.o") && [ -z "$_u" ]; then
		result 0 "$_d"
	else
		sed 's/^/# /' "$_log"
		[ -n "$_u" ] && echo "# undefined symbols: $_u"
		result 1 "$_d"
	fi
}

run "xs_wire.h builds freestanding for aarch64, needs no symbol" \
	"$O/xs-fs-aarch64.log" "${CROSS_CC%gcc}nm" \
	$CROSS_CC -std=gnu11 -O2 -ffreestanding -nostdlib -nostdinc \
	-isystem "$fsinc" -mgeneral-regs-only $WFLAGS -I$INC

run "xs_wire.h builds freestanding for the host (C99, pedantic, -Wconversion)" \
	"$O/xs-fs-host.log" nm \
	$HOSTCC -std=c99 -pedantic -O2 -ffreestanding -nostdlib -nostdinc \
	-isystem "$($HOSTCC -print-file-name=include)" $WFLAGS \
	-Wconversion -Wshadow -I$INC

desc="xs_wire.h builds with -D__KERNEL__ against kernel headers (arm64)"
if have_ksrc; then
	run "$desc" "$O/xs-kernel.log" "${CROSS_CC%gcc}nm" kernel_cc
else
	result 0 "$desc" "SKIP no kernel source at $KSRC"
fi

exit $failed
