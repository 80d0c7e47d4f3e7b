/* SPDX-License-Identifier: GPL-2.0-only */
/* Minimal TAP output for minixen's host unit tests. */
#ifndef MX_TAP_H
#define MX_TAP_H

#include <stdio.h>

static int tap_n, tap_failed;

#define ok(cond, ...) do {						\
	int __c = !!(cond);						\
	tap_n++;							\
	if (!__c)							\
		tap_failed++;						\
	printf("%sok %d - ", __c ? "" : "not ", tap_n);			\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	if (!__c)							\
		printf("#   failed at %s:%d: %s\n", __FILE__, __LINE__,	\
		       #cond);						\
} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
