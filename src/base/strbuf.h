/*
** strbuf.h: the project's one growable string buffer (after git's strbuf).
**
** Invariants, true after strbuf_init() or STRBUF_INIT and after every call:
**  - buf is never NULL and is always NUL-terminated at buf[len];
**  - len < alloc, unless alloc == 0, in which case buf points at a shared
**    empty string that must not be written to;
**  - a buffer with a cap (max > 0) never holds more than max bytes; an append
**    that would pass the cap appends nothing and sets `toobig`, which stays
**    set until strbuf_reset() (curl's dynbuf: every growable buffer that
**    holds untrusted input has a documented limit).
**
** Ownership: the buffer owns buf. strbuf_detach() hands it to the caller
** (free it with free()); strbuf_release() frees it. Any append may move buf,
** so pointers into it are invalid after the next append.
*/
#ifndef KD_STRBUF_H
#define KD_STRBUF_H

#include "base/common.h"

struct strbuf {
	size_t alloc;
	size_t len;
	size_t max;     /* 0: no cap */
	bool toobig;    /* sticky: an append hit the cap */
	char *buf;
};

extern char strbuf_slopbuf[];
#define STRBUF_INIT { 0, 0, 0, false, strbuf_slopbuf }

/* Initialise with room for `hint` bytes (0: allocate lazily) and no cap. */
void strbuf_init(struct strbuf *sb, size_t hint);
/* Set a cap of `max` bytes (0 removes it). */
void strbuf_set_max(struct strbuf *sb, size_t max);
/* Free the contents; the buffer is left as STRBUF_INIT. */
void strbuf_release(struct strbuf *sb);
/* Take ownership of the contents (a malloc'd NUL-terminated string; never
 * NULL); the buffer is left as STRBUF_INIT. `len` may be NULL. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
/* Make room for `extra` more bytes. Returns false (and sets toobig) when
 * that would pass the cap. */
bool strbuf_grow(struct strbuf *sb, size_t extra);
/* Set the length (must be <= alloc - 1 once allocated). */
void strbuf_setlen(struct strbuf *sb, size_t len);
/* Empty the buffer, keeping its memory, and clear toobig. */
void strbuf_reset(struct strbuf *sb);

void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addchars(struct strbuf *sb, char c, size_t n);
KD_PRINTF(2, 3) void strbuf_addf(struct strbuf *sb, const char *fmt, ...);
KD_PRINTF(2, 0) void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);

#endif
