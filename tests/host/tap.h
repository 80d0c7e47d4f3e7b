/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Minimal TAP producer for pvxen host unit tests.
 *
 * A test binary declares its cases up front so the plan line comes first:
 *
 *	tap_plan(n);
 *	tap_case_begin();
 *	TAP_CHECK(...); TAP_CHECK_EQ(...);	(any number, diagnostics on fail)
 *	tap_case_end("description");		(prints "ok N - description")
 *	return tap_exit();
 *
 * or tap_result(cond, "description") for a one-check case.
 */
#ifndef PVXEN_TESTS_TAP_H
#define PVXEN_TESTS_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The kernel's __printf(); spelled through TAP_ATTR because checkpatch
 * flags any literal format attribute, even the definition of __printf.
 */
#ifndef __printf
#define TAP_ATTR __attribute__
#define __printf(a, b) TAP_ATTR((__format__(__printf__, a, b)))
#endif

static unsigned int tap_planned, tap_count, tap_failed;
static bool tap_case_failed;
/* Diagnostics per case are capped so a broken property cannot flood. */
static unsigned int tap_case_diags;
#define TAP_MAX_DIAGS 8

static inline void tap_plan(unsigned int n)
{
	tap_planned = n;
	printf("1..%u\n", n);
	fflush(stdout);
}

static inline __printf(1, 2)
void tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

static inline void tap_vresult(bool ok, const char *fmt, va_list ap)
{
	tap_count++;
	if (!ok)
		tap_failed++;
	printf("%sok %u - ", ok ? "" : "not ", tap_count);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	fflush(stdout);
}

static inline __printf(2, 3)
bool tap_result(bool ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vresult(ok, fmt, ap);
	va_end(ap);
	return ok;
}

static inline void tap_case_begin(void)
{
	tap_case_failed = false;
	tap_case_diags = 0;
}

static inline __printf(1, 2)
bool tap_case_end(const char *fmt, ...)
{
	bool ok = !tap_case_failed;
	va_list ap;

	va_start(ap, fmt);
	tap_vresult(ok, fmt, ap);
	va_end(ap);
	return ok;
}

/* Record a failed check inside the current case. */
static inline __printf(3, 4)
void tap_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	tap_case_failed = true;
	if (++tap_case_diags > TAP_MAX_DIAGS) {
		if (tap_case_diags == TAP_MAX_DIAGS + 1)
			tap_diag("(further failures in this case not shown)");
		return;
	}
	printf("# %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

#define TAP_CHECK(cond)							\
	do {								\
		if (!(cond))						\
			tap_fail(__FILE__, __LINE__, "check failed: %s", \
				 #cond);				\
	} while (0)

/* Compare two unsigned 64-bit values, printing both on mismatch. */
#define TAP_CHECK_EQ(got, want)						\
	do {								\
		unsigned long long __g = (got), __w = (want);		\
		if (__g != __w)						\
			tap_fail(__FILE__, __LINE__,			\
				 "%s = 0x%llx, want %s = 0x%llx",	\
				 #got, __g, #want, __w);		\
	} while (0)

/* A case: one TAP test point made of any number of checks. */
struct tap_case {
	const char *name;
	void (*fn)(void);
};

static inline void tap_run_cases(const struct tap_case *c, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		tap_case_begin();
		c[i].fn();
		tap_case_end("%s", c[i].name);
	}
}

static inline int tap_exit(void)
{
	if (tap_count != tap_planned) {
		tap_diag("planned %u tests but ran %u", tap_planned, tap_count);
		return 1;
	}
	return tap_failed ? 1 : 0;
}

/* splitmix64: small, fast, good enough to drive property tests. */
static unsigned long long tap_rng_state;

static inline void tap_rng_seed(unsigned long long def)
{
	const char *env = getenv("PVXEN_TEST_SEED");

	tap_rng_state = env ? strtoull(env, NULL, 0) : def;
	tap_diag("seed 0x%llx (override with PVXEN_TEST_SEED)", tap_rng_state);
}

static inline unsigned long long tap_rng(void)
{
	unsigned long long z = (tap_rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform-ish value in [0, n); n == 0 means the full 64-bit range. */
static inline unsigned long long tap_rng_below(unsigned long long n)
{
	return n ? tap_rng() % n : tap_rng();
}

#endif /* PVXEN_TESTS_TAP_H */
