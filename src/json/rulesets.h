/*
** rulesets.h: reading rule sets from their JSON files.
**
** The rule sets shipped with kiemdiem are the files in rules/, embedded at build
** time; kd_ruleset_parse() also reads any other file of the same format,
** which is how a new regulation is added without touching C code.
*/
#ifndef KD_RULESETS_H
#define KD_RULESETS_H

#include "base/arena.h"
#include "base/err.h"
#include "core/ruleset.h"

#define KD_DEFAULT_RULESET "kh19-2021"

/* Parse a rule set file. Everything is allocated from `arena`; problems go
 * to `err` as "ORIGIN: PATH: ..." lines. Returns KD_OK or KD_EINPUT. */
KD_WUR int kd_ruleset_parse(const char *text, size_t len, const char *origin,
			    struct kd_arena *arena, struct kd_err *err,
			    const struct kd_ruleset **out);

/* The built-in rule set `id`. KD_ENOTFOUND (with a message naming the
 * known ids) when there is none. */
KD_WUR int kd_ruleset_builtin(const char *id, struct kd_arena *arena,
			      struct kd_err *err, const struct kd_ruleset **out);

/* The ids of the built-in rule sets, comma-separated ("kh19-2021"). */
void kd_ruleset_builtin_ids(struct strbuf *out);

#endif
