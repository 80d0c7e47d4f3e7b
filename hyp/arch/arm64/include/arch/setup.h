/* SPDX-License-Identifier: GPL-2.0-only */
/* Start-up and fatal errors (arch/arm64/main.c); bad_config(): bootcfg.h. */
#ifndef MINIXEN_ARCH_SETUP_H
#define MINIXEN_ARCH_SETUP_H

#include <minixen/lib.h>

void start_minixen(u64 dtb);
void secondary_main(u64 idx);
void hyp_fatal_exception(u64 kind, u64 esr, u64 elr, u64 far, u64 sp);

#endif
