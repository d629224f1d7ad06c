/*
** common.h: the first header every kiemdiem C file includes.
**
** It fixes the feature macros, pulls in the standard headers nearly every
** file needs, and declares the one allocation policy of the project: the
** kd_x*() wrappers never return NULL. Running out of memory prints one line
** and aborts, as git's xmalloc and Redis's zmalloc do, so callers never
** carry an out-of-memory branch they cannot test.
*/
#ifndef KD_COMMON_H
#define KD_COMMON_H

#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KD_WUR __attribute__((warn_unused_result))
#define KD_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define KD_NORETURN __attribute__((noreturn))
#define KD_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation: never NULL; abort with a message when memory is exhausted. */
void *kd_xmalloc(size_t size);
void *kd_xcalloc(size_t nmemb, size_t size);
void *kd_xrealloc(void *ptr, size_t size);
char *kd_xstrdup(const char *s);

/* a * b, aborting on overflow (git's st_mult). */
size_t kd_st_mult(size_t a, size_t b);
/* a + b, aborting on overflow (git's st_add). */
size_t kd_st_add(size_t a, size_t b);

/* A programmer error: prints file, line and message, then aborts. */
#define KD_BUG(...) kd_bug(__FILE__, __LINE__, __VA_ARGS__)
KD_NORETURN KD_PRINTF(3, 4) void kd_bug(const char *file, int line, const char *fmt, ...);

#endif
