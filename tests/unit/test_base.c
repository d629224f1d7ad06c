/* Unit tests of the base layer, dates and the JSON scanner. */
#include "kdtest.h"
#include "base/arena.h"
#include "json/jsonw.h"
#include "json/scan.h"

static void test_strbuf_cap_is_sticky(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	assert_string_equal(sb.buf, "");
	strbuf_set_max(&sb, 8);
	strbuf_addstr(&sb, "12345");
	strbuf_addstr(&sb, "6789");     /* would make 9 > 8: refused */
	assert_true(sb.toobig);
	assert_string_equal(sb.buf, "12345");
	strbuf_addf(&sb, "%d", 42);
	assert_string_equal(sb.buf, "1234542");
	strbuf_reset(&sb);
	assert_false(sb.toobig);
	char *s = strbuf_detach(&sb, NULL);
	assert_string_equal(s, "");
	free(s);
	assert_int_equal(sb.alloc, 0);
}

static void test_arena_alignment_and_big_blocks(void **state)
{
	(void)state;
	struct kd_arena a = KD_ARENA_INIT;
	char *small = kd_arena_alloc(&a, 3);
	double *d = kd_arena_alloc(&a, sizeof(double));
	assert_int_equal((uintptr_t)d % _Alignof(max_align_t), 0);
	char *big = kd_arena_calloc(&a, 1, 1 << 20);
	assert_int_equal(big[12345], 0);
	char *after = kd_arena_alloc(&a, 8);    /* still served from the first chunk */
	assert_true(after > small && after - small < 64 * 1024);
	assert_string_equal(kd_arena_strndup(&a, "Nguyễn", strlen("Nguyễn")), "Nguyễn");
	kd_arena_release(&a);
	assert_null(a.head);
}

static void test_dates(void **state)
{
	(void)state;
	struct kd_date d;
	char b[11];
	assert_true(kd_date_parse("2024-02-29", 10, &d));
	assert_false(kd_date_parse("2021-02-29", 10, &d));
	assert_false(kd_date_parse("2021-2-03", 9, &d));
	assert_false(kd_date_parse("2021/02/03", 10, &d));
	assert_string_equal(kd_date_vn(kd_date_add_months((struct kd_date){ 2021, 5, 31 }, 6), b), "30/11/2021");
	assert_string_equal(kd_date_iso(kd_date_add_months((struct kd_date){ 2023, 8, 31 }, 6), b), "2024-02-29");
	assert_string_equal(kd_date_iso(kd_date_add_months((struct kd_date){ 2021, 12, 15 }, 1), b), "2022-01-15");
	struct kd_date x = { 2021, 11, 27 };
	assert_int_equal(kd_date_weekday(x), 5);      /* a Saturday */
	assert_int_equal(kd_date_cmp(kd_date_from_days(kd_date_to_days(x)), x), 0);
}

static void test_path_of_a_byte(void **state)
{
	(void)state;
	const char *doc = "{\"members\": [{\"id\": \"a\"}, {\"id\": \"b\", \"criteria\": {\"nhiem_vu\": X";
	struct strbuf p = STRBUF_INIT;
	kd_json_path_at(doc, strlen(doc), strlen(doc) - 1, "", &p);
	assert_string_equal(p.buf, "members[1].criteria.nhiem_vu");
	strbuf_reset(&p);
	kd_json_path_at(doc, strlen(doc), 0, "", &p);
	assert_string_equal(p.buf, "$");
	strbuf_release(&p);
}

static void test_skip_finds_value_ends(void **state)
{
	(void)state;
	const char *doc = "[1, {\"a\": \"]\\\"\"}, [2]] tail";
	size_t end, n;
	assert_true(kd_json_skip(doc, strlen(doc), 0, &end, &n));
	assert_int_equal(end, strlen(doc) - 5);
	assert_int_equal(n, 3);
	assert_false(kd_json_skip("[1, 2}", 6, 0, &end, NULL));
	assert_int_equal(end, 5);
	assert_false(kd_json_skip("[[[", 3, 0, &end, NULL));
}

static void test_writer_escapes_and_indents(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	struct kd_jsonw w;
	kd_jsonw_init(&w, &sb);
	kd_jsonw_begin_object(&w);
	kd_jsonw_key(&w, "s");
	kd_jsonw_string(&w, "Đ\"\\\n\x01");
	kd_jsonw_key(&w, "e");
	kd_jsonw_begin_array(&w);
	kd_jsonw_end_array(&w);
	kd_jsonw_end_object(&w);
	assert_string_equal(sb.buf, "{\n  \"s\": \"Đ\\\"\\\\\\n\\u0001\",\n  \"e\": []\n}\n");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strbuf_cap_is_sticky),
		cmocka_unit_test(test_arena_alignment_and_big_blocks),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_path_of_a_byte),
		cmocka_unit_test(test_skip_finds_value_ends),
		cmocka_unit_test(test_writer_escapes_and_indents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
