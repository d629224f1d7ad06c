/*
** classify_doc.h: the input document of `kiemdiem classify` (classify.md).
*/
#ifndef KD_CLASSIFY_DOC_H
#define KD_CLASSIFY_DOC_H

#include "base/arena.h"
#include "base/err.h"
#include "core/cell.h"

/* Read the document buf[0..len) into `cell`, validating it against the
 * contract and against the rule set it names (or `ruleset_override`, when
 * not NULL, in which case the document's "ruleset" is not looked at).
 * `today` is the default as_of. Every problem goes to `err` as one line
 * "PATH: what was found; expected what"; the return is KD_OK or KD_EINPUT.
 * The cell and everything it points to live in `arena`; `buf` may be freed
 * afterwards. */
KD_WUR int kd_classify_doc_read(const char *buf, size_t len, const char *ruleset_override,
				struct kd_date today, struct kd_arena *arena,
				struct kd_err *err, struct kd_cell *cell);

#endif
