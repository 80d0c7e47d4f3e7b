/* SPDX-License-Identifier: GPL-2.0-only */
/* What the parts of mxfuzz.ko share. */
#ifndef MXFUZZ_H
#define MXFUZZ_H

/* mxfuzz-canary.c: mode=canary */
int canary_init(void);

#endif
