/* Unit tests of the engine (core/engine.c) under rule set kh19-2021. */
#include "kdtest.h"

#define GOOD "\"criteria\": {\"pham_chat\": \"T\", \"nhiem_vu\": \"T\", \"cam_ket\": \"T\"}"
#define BEST "\"criteria\": {\"pham_chat\": \"XS\", \"nhiem_vu\": \"XS\", \"cam_ket\": \"T\"}, \"exemplary\": true"

static void test_ceiling_is_cumulative(void **state)
{
	(void)state;
	struct fixture f;
	char buf[256];
	/* XS on the primary criterion but TB on another: HTXSNV's M-X3 fails,
	 * and so the ceiling is HTTNV even though M-X1, M-X2 hold. */
	classify_text(&f, "{\"members\": [{\"id\": \"a\", \"exemplary\": true, \"criteria\": "
		      "{\"pham_chat\": \"TB\", \"nhiem_vu\": \"XS\", \"cam_ket\": \"T\"}}]}");
	assert_int_equal(f.res.members[0].ceiling, KD_HTTNV);
	assert_string_equal(member_clauses(&f, 0, buf, sizeof(buf)), "M-X3");
	assert_non_null(strstr(f.reasons.items[0].message, "«Tư tưởng chính trị"));
	assert_non_null(strstr(f.reasons.items[0].message, "mức Trung bình"));
	fixture_release(&f);
}

static void test_trigger_lists_every_failing_clause(void **state)
{
	(void)state;
	struct fixture f;
	char buf[256];
	classify_text(&f, "{\"members\": [{\"id\": \"a\", " GOOD ", \"task_completion_pct\": 49.5}]}");
	assert_int_equal(f.res.members[0].ceiling, KD_KHTNV);
	/* The trigger, then every clause failing above KHTNV: M-X1, M-X2. */
	assert_string_equal(member_clauses(&f, 0, buf, sizeof(buf)), "M-K2 M-X1 M-X2");
	assert_non_null(strstr(f.reasons.items[0].message, "49,5%"));
	fixture_release(&f);
}

static void test_exactly_half_is_no_majority(void **state)
{
	(void)state;
	struct fixture f;
	char buf[256];
	classify_text(&f, "{\"members\": ["
		      "{\"id\": \"a\", " GOOD ", \"votes\": {\"HTTNV\": 16}, \"voters\": 32},"
		      "{\"id\": \"b\", " GOOD ", \"votes\": {\"HTTNV\": 17}, \"voters\": 32},"
		      "{\"id\": \"c\", " GOOD ", \"votes\": {\"HTXSNV\": 10, \"HTTNV\": 7}, \"voters\": 32}]}");
	assert_int_equal(f.res.members[0].status, KD_UNDECIDED);
	assert_int_equal(f.res.members[0].voted, KD_NONE);
	assert_string_equal(member_clauses(&f, 0, buf, sizeof(buf)), "M-X1 M-X2 V-1");
	assert_non_null(strstr(f.reasons.items[2].message, "32"));
	assert_int_equal(f.res.members[1].final, KD_HTTNV);
	/* 10 + 7 = 17 > 16 reached only cumulatively, at HTTNV. */
	assert_int_equal(f.res.members[2].voted, KD_HTTNV);
	assert_int_equal(f.res.undecided, 1);
	fixture_release(&f);
}

static void test_vote_above_ceiling_is_lowered(void **state)
{
	(void)state;
	struct fixture f;
	char buf[256];
	classify_text(&f, "{\"members\": [{\"id\": \"a\", " GOOD ", \"votes\": {\"HTXSNV\": 30}, \"voters\": 32}]}");
	assert_int_equal(f.res.members[0].voted, KD_HTXSNV);
	assert_int_equal(f.res.members[0].final, KD_HTTNV);
	assert_string_equal(member_clauses(&f, 0, buf, sizeof(buf)), "M-X1 M-X2 V-2");
	fixture_release(&f);
}

/* Ten members at HTTNV or above (cap 2), four candidates with HTXSNV
 * ballots 20, 18, 18, 16: the 2nd and 3rd tie across the cut. */
static void test_tie_straddling_the_cut(void **state)
{
	(void)state;
	struct fixture f;
	char buf[256];
	classify_text(&f, "{\"members\": ["
		      "{\"id\": \"x1\", " BEST ", \"votes\": {\"HTXSNV\": 20}, \"voters\": 30},"
		      "{\"id\": \"x2\", " BEST ", \"votes\": {\"HTXSNV\": 18}, \"voters\": 30},"
		      "{\"id\": \"x3\", " BEST ", \"votes\": {\"HTXSNV\": 18}, \"voters\": 30},"
		      "{\"id\": \"x4\", " BEST ", \"votes\": {\"HTXSNV\": 16}, \"voters\": 30},"
		      "{\"id\": \"t1\", " GOOD "}, {\"id\": \"t2\", " GOOD "}, {\"id\": \"t3\", " GOOD "},"
		      "{\"id\": \"t4\", " GOOD "}, {\"id\": \"t5\", " GOOD "}, {\"id\": \"t6\", " GOOD "}]}");
	assert_int_equal(f.res.quota.base, 10);
	assert_int_equal(f.res.quota.cap, 2);
	assert_int_equal(f.res.quota.candidates, 4);
	assert_int_equal(f.res.members[0].q1, KD_Q1_KEPT);
	assert_int_equal(f.res.members[0].final, KD_HTXSNV);
	assert_int_equal(f.res.members[1].status, KD_UNDECIDED);
	assert_int_equal(f.res.members[2].status, KD_UNDECIDED);
	assert_int_equal(f.res.members[3].q1, KD_Q1_DEMOTED);
	assert_int_equal(f.res.members[3].final, KD_HTTNV);
	assert_string_equal(member_clauses(&f, 1, buf, sizeof(buf)), "Q-1");
	assert_non_null(strstr(f.reasons.items[0].message, "18 phiếu"));
	assert_string_equal(member_clauses(&f, 0, buf, sizeof(buf)), "");
	fixture_release(&f);
}

static void test_cap_zero_demotes_without_ranking(void **state)
{
	(void)state;
	struct fixture f;
	/* Four at HTTNV+: cap 0; the candidate without ballots is demoted,
	 * not left undecided (ranking is not needed when nobody keeps it). */
	classify_text(&f, "{\"members\": [{\"id\": \"x\", " BEST "},"
		      "{\"id\": \"t1\", " GOOD "}, {\"id\": \"t2\", " GOOD "}, {\"id\": \"t3\", " GOOD "}]}");
	assert_int_equal(f.res.quota.cap, 0);
	assert_int_equal(f.res.members[0].q1, KD_Q1_DEMOTED);
	assert_int_equal(f.res.members[0].final, KD_HTTNV);
	fixture_release(&f);
}

static void test_candidate_without_ballots_makes_all_undecided(void **state)
{
	(void)state;
	struct fixture f;
	classify_text(&f, "{\"members\": ["
		      "{\"id\": \"x1\", " BEST ", \"votes\": {\"HTXSNV\": 20}, \"voters\": 30},"
		      "{\"id\": \"x2\", " BEST "},"
		      "{\"id\": \"t1\", " GOOD "}, {\"id\": \"t2\", " GOOD "}, {\"id\": \"t3\", " GOOD "}]}");
	assert_int_equal(f.res.quota.cap, 1);
	assert_int_equal(f.res.members[0].status, KD_UNDECIDED);
	assert_int_equal(f.res.members[1].status, KD_UNDECIDED);
	assert_true(f.res.quota.unranked);
	fixture_release(&f);
}

static void test_six_months_with_month_end(void **state)
{
	(void)state;
	struct fixture f;
	char buf[256];
	/* 31 May + 6 months = 30 Nov (clamped): exactly six months. */
	classify_text(&f, "{\"as_of\": \"2021-11-30\", \"members\": ["
		      "{\"id\": \"a\", \"admitted_on\": \"2021-05-31\", " GOOD "},"
		      "{\"id\": \"b\", \"admitted_on\": \"2021-06-01\"}]}");
	assert_int_equal(f.res.members[0].status, KD_RATED);
	assert_int_equal(f.res.members[1].status, KD_NOT_RATED);
	assert_string_equal(member_clauses(&f, 1, buf, sizeof(buf)), "M-NR1");
	assert_string_equal(f.reasons.items[0].message,
			    "Kết nạp ngày 01/06/2021, đến 30/11/2021 chưa đủ 06 tháng: không xếp loại");
	fixture_release(&f);
}

static void test_collective_shares_and_constraints(void **state)
{
	(void)state;
	struct fixture f;
	/* 5 rated: 1 KHTNV (exactly 20%: C-K4 does not hold, but C-T3 fails),
	 * so the collective is HTNV; the head rated HTXSNV breaks K-1. */
	classify_text(&f, "{\"members\": ["
		      "{\"id\": \"k\", " GOOD ", \"disciplined\": true},"
		      "{\"id\": \"a\", " GOOD "}, {\"id\": \"b\", " GOOD "}, {\"id\": \"c\", " GOOD "}, {\"id\": \"d\", " GOOD "}],"
		      "\"leaders\": [{\"id\": \"l\", \"member_id\": \"a\", \"heads_collective\": true, \"exemplary\": \"thuc_su\","
		      " \"duties\": [\"cao\"], \"initiative_applied\": true,"
		      " \"unit_targets\": {\"total\": 10, \"completed\": 10, \"exceeded\": 5, \"on_time\": 10}}],"
		      "\"collective\": {\"criteria\": {\"chinh_tri_tu_tuong\": \"T\", \"to_chuc_can_bo\": \"T\","
		      " \"lanh_dao_doan_the\": \"T\", \"kiem_tra_giam_sat\": \"T\", \"ke_hoach_nam\": \"T\","
		      " \"chi_tieu_nhiem_vu\": \"T\", \"xep_loai_doan_the\": \"T\", \"khac_phuc\": \"T\"},"
		      " \"leadership_rating\": \"HTTNV\"}}");
	assert_int_equal(f.res.members[0].final, KD_KHTNV);
	assert_int_equal(f.res.collective.final, KD_HTNV);
	assert_int_equal(f.res.leaders[0].final, KD_HTXSNV);
	assert_int_equal(f.res.n_violations, 2);
	assert_int_equal(f.res.violations[0].clause, KD_FIX_K1);
	assert_int_equal(f.res.violations[1].clause, KD_FIX_K2);
	kd_explain_collective(&f.cell, &f.res, &f.reasons);
	assert_string_equal(f.reasons.items[0].clause, "C-T3");
	fixture_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ceiling_is_cumulative),
		cmocka_unit_test(test_trigger_lists_every_failing_clause),
		cmocka_unit_test(test_exactly_half_is_no_majority),
		cmocka_unit_test(test_vote_above_ceiling_is_lowered),
		cmocka_unit_test(test_tie_straddling_the_cut),
		cmocka_unit_test(test_cap_zero_demotes_without_ranking),
		cmocka_unit_test(test_candidate_without_ballots_makes_all_undecided),
		cmocka_unit_test(test_six_months_with_month_end),
		cmocka_unit_test(test_collective_shares_and_constraints),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
