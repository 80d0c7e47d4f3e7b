/* SPDX-License-Identifier: GPL-2.0-only */
/* Entry code (head.S) and the image bounds (minixen.lds). */
#ifndef MINIXEN_ARCH_ENTRY_H
#define MINIXEN_ARCH_ENTRY_H

struct gregs;
struct fpregs;

extern char _start[], _end[];	/* minixen.lds */

unsigned long guest_enter(struct gregs *regs);
void fpsimd_save(struct fpregs *fp);
void fpsimd_restore(const struct fpregs *fp);
void secondary_entry(void);

#endif
