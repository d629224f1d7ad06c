/*
** zip.h: deterministic ZIP archives written into memory (with libzip).
**
** The same entries added in the same order give the same bytes, run after
** run and in any time zone: every entry is deflated at one fixed level,
** stamped with KD_DOC_EPOCH_ISO (2000-01-01 00:00:00 as a DOS date) and
** given the same attributes, and entries keep the order they were added
** in (OOXML readers want [Content_Types].xml first).
**
**     struct kd_zip *z = kd_zip_new();
**     kd_zip_add(z, "a.txt", bytes, len);
**     int rc = kd_zip_finish(z, &out, err);     // frees z
**
** Names are UTF-8 and flagged as such. kd_zip_add copies the bytes.
*/
#ifndef KD_ZIP_H
#define KD_ZIP_H
#include "base/err.h"

struct kd_zip;

/* A new empty archive; free it with kd_zip_finish() or kd_zip_free(). */
struct kd_zip *kd_zip_new(void);
/* Append an entry `name` holding a copy of `len` bytes of `data`. */
void kd_zip_add(struct kd_zip *z, const char *name, const void *data, size_t len);
/* Append a NUL-terminated string as an entry. */
void kd_zip_add_str(struct kd_zip *z, const char *name, const char *text);
/* Write the archive's bytes to `out` (appended) and free `z`, also on
 * failure. Returns KD_OK, KD_EIO (with a line in `err`) if libzip fails, or
 * KD_ETOOBIG if `out` has a cap the archive would pass. */
KD_WUR int kd_zip_finish(struct kd_zip *z, struct strbuf *out, struct kd_err *err);
/* Free an archive that will not be finished. NULL is fine. */
void kd_zip_free(struct kd_zip *z);

/* Rewrite the archive `data` (any ZIP) through kd_zip: the same entries in
 * the same order, with the fixed date and compression. Appends to `out`;
 * KD_EINPUT if `data` is not a readable ZIP. */
KD_WUR int kd_zip_normalize(const void *data, size_t len, struct strbuf *out, struct kd_err *err);

#endif
