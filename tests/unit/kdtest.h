/*
** kdtest.h: helpers shared by the unit tests. Each test builds a cell from
** a small JSON text through the same reader the CLI uses, then calls the
** core directly and asserts on its verdicts.
*/
#ifndef KD_TEST_H
#define KD_TEST_H

#include "base/common.h"
#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#include "core/engine.h"
#include "json/classify_doc.h"
#include "json/rulesets.h"

struct fixture {
	struct kd_arena arena;
	struct kd_err err;
	struct kd_cell cell;
	struct kd_result res;
	struct kd_reasons reasons;
};

static inline void fixture_release(struct fixture *f)
{
	kd_arena_release(&f->arena);
	kd_err_release(&f->err);
	kd_reasons_release(&f->reasons);
}

/* Read `json` and classify it; fails the test if the document is invalid. */
static inline void classify_text(struct fixture *f, const char *json)
{
	memset(f, 0, sizeof(*f));
	f->reasons = (struct kd_reasons)KD_REASONS_INIT;
	int rc = kd_classify_doc_read(json, strlen(json), NULL, (struct kd_date){ 2021, 11, 27 },
				      &f->arena, &f->err, &f->cell);
	if (rc != KD_OK)
		fprintf(stderr, "%s", f->err.lines.buf);
	assert_int_equal(rc, KD_OK);
	kd_classify(&f->cell, &f->res, &f->arena);
}

/* The clause ids of member i's reasons, space-separated. */
static inline const char *member_clauses(struct fixture *f, size_t i, char *buf, size_t n)
{
	kd_explain_member(&f->cell, &f->res, i, &f->reasons);
	buf[0] = '\0';
	for (size_t k = 0; k < f->reasons.n; k++) {
		strncat(buf, f->reasons.items[k].clause, n - strlen(buf) - 1);
		if (k + 1 < f->reasons.n)
			strncat(buf, " ", n - strlen(buf) - 1);
	}
	return buf;
}

#endif
