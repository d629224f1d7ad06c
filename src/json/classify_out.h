/*
** classify_out.h: the output document of `kiemdiem classify` (classify.md).
*/
#ifndef KD_CLASSIFY_OUT_H
#define KD_CLASSIFY_OUT_H

#include "base/err.h"
#include "core/engine.h"

/* Write the result of classifying `cell` as JSON to `out`, flushing as it
 * goes (memory stays bounded for any number of members). Returns KD_OK, or
 * KD_EIO when writing failed. */
KD_WUR int kd_classify_write(const struct kd_cell *cell, const struct kd_result *res, FILE *out);

#endif
