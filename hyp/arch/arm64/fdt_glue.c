// SPDX-License-Identifier: GPL-2.0-only
/*
 * What Debian's libfdt.a (built with -fstack-protector-strong) expects
 * from its C library besides the string functions in core/lib.c.
 */
#include <minixen/lib.h>

void __stack_chk_fail(void);

unsigned long __stack_chk_guard = 0x5eed0f3a1c0ffee5UL;

void __stack_chk_fail(void)
{
	panic("stack smashing detected in libfdt");
}
