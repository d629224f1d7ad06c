/*
** value.h: a rule set field's value as a JSON literal, both ways. This is
** how declared facts are stored (table fact) and exported.
*/
#ifndef KD_VALUE_H
#define KD_VALUE_H

#include "base/arena.h"
#include "base/strbuf.h"
#include "core/ruleset.h"

/* Append `v` (of field `f`) as a JSON literal: true, 12.5, "HTTNV", ["cao"]. */
void kd_value_to_json(const struct kd_field *f, const struct kd_value *v, struct strbuf *out);
/* Parse a JSON literal as a value of `f` (lists in `arena`). Returns false,
 * leaving *out alone, when it is not one (wrong type, unknown code, null
 * where the field takes none, out of range). */
bool kd_value_from_json(const struct kd_field *f, const char *text, struct kd_arena *arena,
			struct kd_value *out);

/* Append what `f` expects, for "...; expected WHAT" messages. `typed` is
 * how values are written: false for JSON ("an integer", "a non-empty list
 * of"), true for a command line ("a whole number", "true or false (co or
 * khong)", "a comma-separated list of"). */
void kd_field_expected(const struct kd_field *f, bool typed, struct strbuf *out);

#endif
