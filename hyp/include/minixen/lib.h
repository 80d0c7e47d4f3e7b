/* SPDX-License-Identifier: GPL-2.0-only */
/* minixen: basic types, string helpers, console and locking. */
#ifndef MINIXEN_LIB_H
#define MINIXEN_LIB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long s64;

/* The kernel's attribute shorthands (GCC's alternate keyword spelling). */
#define __aligned(x)	__attribute((aligned(x)))
#define __printf(a, b)	__attribute((format(printf, a, b)))
#define __noreturn	__attribute((noreturn))
#define fallthrough	__attribute((__fallthrough__))
#define __weak		__attribute((weak))

#define BIT(n)		(1UL << (n))
#define container_of(p, type, member)					\
	((type *)((u8 *)(p) - offsetof(type, member)))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
/* A compile-time check, as a statement: fails to build when @c is true. */
#define BUILD_BUG_ON(c)	((void)sizeof(char[1 - 2 * !!(c)]))
#define SZ_4K		0x1000UL
#define SZ_64K		0x10000UL
#define SZ_2M		0x200000UL
#define SZ_1G		0x40000000UL
#define NSEC_PER_SEC	1000000000UL

static inline u64 ALIGN_UP(u64 x, u64 a)
{
	return (x + a - 1) & ~(a - 1);
}

static inline u64 ALIGN_DOWN(u64 x, u64 a)
{
	return x & ~(a - 1);
}

static inline u64 MIN(u64 a, u64 b)
{
	return a < b ? a : b;
}

static inline u64 MAX(u64 a, u64 b)
{
	return a > b ? a : b;
}

#define READ_ONCE(x)	__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

#ifdef MX_HOST
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#else
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
unsigned long strtoul(const char *s, char **end, int base);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__printf(3, 4);
#endif

/* Log levels, as on the command line: loglvl=error|warn|info|debug */
enum { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };
extern int log_level;

void console_init(u64 uart_base);
void console_putc_raw(char c);
void console_write_line(const char *prefix, const char *s, size_t len);
void mx_log(int level, const char *fmt, ...)
	__printf(2, 3);
void panic(const char *fmt, ...)
	__printf(1, 2) __noreturn;

#define pr_err(...)	mx_log(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)	mx_log(LOG_WARN, __VA_ARGS__)
#define pr_info(...)	mx_log(LOG_INFO, __VA_ARGS__)
#define pr_debug(...)	mx_log(LOG_DEBUG, __VA_ARGS__)

struct mx_lock {
	u32 locked;
};

void spin_lock(struct mx_lock *l);
void spin_unlock(struct mx_lock *l);

#endif
