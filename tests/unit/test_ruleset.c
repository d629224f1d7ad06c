/* Unit tests of rule sets as data (json/ruleset_load.c). */
#include "kdtest.h"

static char *slurp(const char *rel, size_t *len)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", KD_SOURCE_DIR, rel);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	struct strbuf sb = STRBUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		strbuf_add(&sb, chunk, n);
	fclose(f);
	return strbuf_detach(&sb, len);
}

static void test_builtin_matches_rules_md(void **state)
{
	(void)state;
	struct kd_arena a = KD_ARENA_INIT;
	struct kd_err err = KD_ERR_INIT;
	const struct kd_ruleset *rs;
	assert_int_equal(kd_ruleset_builtin("kh19-2021", &a, &err, &rs), KD_OK);
	/* Every clause id RULES.md numbers, in its table order. */
	static const char *const member[] = { "M-NR1", "M-NR2", "M-NR3", "M-K1", "M-K2", "M-K3", "M-K4",
		"M-H1", "M-H2", "M-T1", "M-T2", "M-T3", "M-T4", "M-X1", "M-X2", "M-X3", "M-X4" };
	assert_int_equal(rs->subj[KD_MEMBER].n_clauses, KD_ARRAY_LEN(member));
	for (size_t i = 0; i < KD_ARRAY_LEN(member); i++)
		assert_string_equal(rs->subj[KD_MEMBER].clauses[i].id, member[i]);
	assert_int_equal(rs->subj[KD_LEADER].n_clauses, 14);
	assert_int_equal(rs->subj[KD_COLLECTIVE].n_clauses, 15);
	assert_int_equal(rs->subj[KD_COLLECTIVE].n_criteria, 8);
	assert_int_equal(rs->quota_pct, 20);
	assert_int_equal(kd_ruleset_builtin("nope", &a, &err, &rs), KD_ENOTFOUND);
	assert_non_null(strstr(err.lines.buf, "expected one of kh19-2021"));
	kd_err_release(&err);
	kd_arena_release(&a);
}

/* A 2025-style rule set (100-point score bands plus shares of tasks) is
 * only data: it loads and classifies with no change to C code. */
static void test_score_bands_need_no_code(void **state)
{
	(void)state;
	size_t len;
	char *text = slurp("tests/data/score-bands-2025.json", &len);
	struct kd_arena a = KD_ARENA_INIT;
	struct kd_err err = KD_ERR_INIT;
	const struct kd_ruleset *rs;
	int rc = kd_ruleset_parse(text, len, "score-bands-2025.json", &a, &err, &rs);
	if (rc)
		fprintf(stderr, "%s", err.lines.buf);
	assert_int_equal(rc, KD_OK);
	free(text);

	/* Build a cell by hand: scores 90, 89.5, 70, 49 with all tasks done
	 * and on time; the first has 3 of 10 exceeded (exactly 30%). */
	static const double scores[] = { 90, 89.5, 70, 49, 95 };
	static const double exceeded[] = { 3, 5, 0, 0, 2 };
	struct kd_member m[5];
	memset(m, 0, sizeof(m));
	const struct kd_subject_rules *sr = &rs->subj[KD_MEMBER];
	for (int i = 0; i < 5; i++) {
		m[i].s.id = "m";
		m[i].s.vals = kd_arena_calloc(&a, (size_t)sr->n_fields, sizeof(struct kd_value));
		for (int k = 0; k < sr->n_fields; k++)
			m[i].s.vals[k] = sr->fields[k].def;
		m[i].s.vals[kd_ruleset_field(sr, NULL, "score")].u.num = scores[i];
		m[i].s.vals[kd_ruleset_field(sr, "tasks", "tasks")].u.num = 10;
		m[i].s.vals[kd_ruleset_field(sr, "tasks", "done")].u.num = 10;
		m[i].s.vals[kd_ruleset_field(sr, "tasks", "on_time")].u.num = 10;
		m[i].s.vals[kd_ruleset_field(sr, "tasks", "exceeded")].u.num = exceeded[i];
	}
	struct kd_cell cell = { rs, { 2025, 12, 15 }, m, 5, NULL, 0, NULL };
	struct kd_result res;
	kd_classify(&cell, &res, &a);
	assert_int_equal(res.members[0].ceiling, KD_HTXSNV);
	assert_int_equal(res.members[1].ceiling, KD_HTTNV);
	assert_int_equal(res.members[2].ceiling, KD_HTTNV);
	assert_int_equal(res.members[3].ceiling, KD_KHTNV);
	assert_int_equal(res.members[4].ceiling, KD_HTTNV);    /* 95 points, 20% exceeded */
	struct kd_reasons r = KD_REASONS_INIT;
	kd_explain_member(&cell, &res, 4, &r);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.items[0].clause, "S-X2");
	assert_string_equal(r.items[0].message, "2/10 nhiệm vụ vượt mức (20%); cần từ 30%");
	kd_explain_member(&cell, &res, 1, &r);
	assert_string_equal(r.items[0].message, "Đạt 89,5 điểm; mức Hoàn thành xuất sắc cần từ 90 điểm");
	kd_reasons_release(&r);
	kd_err_release(&err);
	kd_arena_release(&a);
}

static void test_bad_rule_set_names_the_place(void **state)
{
	(void)state;
	const char *text = "{\"id\": \"x\", \"title\": \"x\", \"member\": {\"clauses\": ["
		"{\"id\": \"A\", \"rating\": \"HTNV\", \"text\": \"t\", \"message\": \"m\","
		" \"require\": {\"number\": {\"field\": \"nope\", \"op\": \"<\", \"value\": 1}}},"
		"{\"id\": \"B\", \"rating\": \"HTNV\", \"text\": \"t\", \"message\": \"m\","
		" \"require\": {\"sometimes\": {}}}]}}";
	struct kd_arena a = KD_ARENA_INIT;
	struct kd_err err = KD_ERR_INIT;
	const struct kd_ruleset *rs;
	assert_int_equal(kd_ruleset_parse(text, strlen(text), "bad.json", &a, &err, &rs), KD_EINPUT);
	assert_non_null(strstr(err.lines.buf,
		"bad.json: member.clauses[0].require.number: no field \"nope\" is declared"));
	assert_non_null(strstr(err.lines.buf, "member.clauses[1].require.sometimes: unknown condition"));
	assert_non_null(strstr(err.lines.buf, "votes.V-1: missing"));
	kd_err_release(&err);
	kd_arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_matches_rules_md),
		cmocka_unit_test(test_score_bands_need_no_code),
		cmocka_unit_test(test_bad_rule_set_names_the_place),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
