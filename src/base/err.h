/*
** err.h: the project's one error convention.
**
** A function that can fail returns int: KD_OK (0) on success or a negative
** kd_code. What went wrong, in words a user can act on, is appended to a
** struct kd_err the caller passes in: one line per problem, each saying where
** (a JSON path, a file and line, a form field), what was found and what was
** expected. Collecting problems instead of stopping at the first lets an
** import or a document report every bad row at once.
**
** The codes, with their process exit status and HTTP status, come from the
** one table below (KD_ERRORS), used by the CLI and the web server alike.
*/
#ifndef KD_ERR_H
#define KD_ERR_H

#include "base/strbuf.h"

/*        name          value exit http  description */
#define KD_ERRORS(X) \
	X(KD_OK,           0,  0, 200, "ok") \
	X(KD_EINPUT,      -1,  2, 400, "invalid input") \
	X(KD_EUSAGE,      -2,  2, 400, "invalid command line") \
	X(KD_ENOTFOUND,   -3,  1, 404, "not found") \
	X(KD_EIO,         -4,  1, 500, "input/output error") \
	X(KD_ETOOBIG,     -5,  2, 413, "input too large") \
	X(KD_ECONFLICT,   -6,  1, 409, "conflict") \
	X(KD_EFORBIDDEN,  -7,  1, 403, "forbidden") \
	X(KD_EINTERNAL,   -8,  1, 500, "internal error")

enum kd_code {
#define KD_X(name, value, exit, http, desc) name = value,
	KD_ERRORS(KD_X)
#undef KD_X
};

/* The most lines a kd_err keeps; later problems are only counted. */
#define KD_ERR_MAX_LINES 200

struct kd_err {
	int code;           /* the first error's code, KD_OK while empty */
	size_t count;       /* problems reported, including those not kept */
	size_t kept;        /* lines held in `lines` */
	struct strbuf lines;/* each line ends in '\n' */
};

#define KD_ERR_INIT { KD_OK, 0, 0, STRBUF_INIT }

/* Append one problem line (no trailing newline in fmt) and return `code`,
 * so callers can write `return kd_err_add(err, KD_EINPUT, ...)`. */
KD_PRINTF(3, 4) int kd_err_add(struct kd_err *err, int code, const char *fmt, ...);
KD_PRINTF(3, 0) int kd_err_vadd(struct kd_err *err, int code, const char *fmt, va_list ap);
/* Write every kept line to `out`, plus a count of the lines not kept. */
void kd_err_print(const struct kd_err *err, FILE *out);
void kd_err_release(struct kd_err *err);

/* The exit status, HTTP status and description of a code. */
int kd_code_exit(int code);
int kd_code_http(int code);
const char *kd_code_desc(int code);

#endif
