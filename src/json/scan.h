/*
** scan.h: a structural scanner over JSON text that builds nothing.
**
** kiemdiem reads documents far larger than would fit as a jansson tree (a
** million members), so it finds the extent of each value with this scanner
** and hands jansson one small value at a time. The scanner checks only
** brackets, strings and nesting depth; jansson checks everything else.
*/
#ifndef KD_SCAN_H
#define KD_SCAN_H

#include "base/strbuf.h"

/* Deeper nesting than this is refused (jansson's own limit is 2048). */
#define KD_JSON_MAX_DEPTH 512

/* Position of the first byte at or after `pos` that is not JSON white space. */
size_t kd_json_ws(const char *b, size_t len, size_t pos);

/* Skip the value starting at b[pos] (no leading white space). On success
 * sets *end to one past it and returns true; on a structural problem sets
 * *end to the offending byte's offset and returns false. When `elems` is
 * not NULL and the value is an array, counts its elements there. */
bool kd_json_skip(const char *b, size_t len, size_t pos, size_t *end, size_t *elems);

/* Skip a string starting at b[pos] == '"'; like kd_json_skip. */
bool kd_json_skip_string(const char *b, size_t len, size_t pos, size_t *end);

/* Append to `out` the JSON path (members[3].criteria) of the value being
 * read at byte `at` of b[0..len), starting from `prefix` ("" for the root).
 * b need only be well-formed up to `at`. */
void kd_json_path_at(const char *b, size_t len, size_t at, const char *prefix, struct strbuf *out);

#endif
