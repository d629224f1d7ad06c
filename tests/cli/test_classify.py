"""End-to-end tests of `kiemdiem classify` against classify.md and RULES.md.

Run from the repository root:
    KIEMDIEM=build/kiemdiem python3 -m unittest discover -s tests/cli -v
Set KD_SKIP_LARGE=1 to skip the ~100 MB document.

Every expected value below is computed from RULES.md by hand; the comment on
a test gives the arithmetic. Besides what each test asserts, every output is
checked for the invariants of classify.md in kdtest.KDTestCase.check_output
(shape, input order, summary counts, reason order and ratings, messages NFC
and Vietnamese, quota lists in input order, violation order).
"""

import copy
import datetime
import json
import os
import time
import unicodedata
import unittest

from kdtest import (AS_OF, COLLECTIVE_CRITERIA, KDTestCase, OMIT, collective, doc,
                    fillers, ht, kh, leader, leader_htnv, leader_httnv, member, nr, run,
                    tt, und, voted, write_doc, xs)

X, T, H, K = "HTXSNV", "HTTNV", "HTNV", "KHTNV"


class MemberCase(KDTestCase):
    """A subject `s` next to 4 members of ceiling HTTNV, so that Q-1's n is 5
    when `s` is at least HTTNV (cap 1: a lone HTXSNV keeps its rating)."""

    def solo(self, subject, as_of=AS_OF):
        return self.classify(doc([subject] + fillers(4), as_of=as_of))

    def rated(self, subject, ceiling, reasons, as_of=AS_OF):
        out = self.solo(subject, as_of)
        return self.assert_rated(out, subject["id"], ceiling, reasons)

    def not_rated(self, subject, reasons, as_of=AS_OF):
        out = self.solo(subject, as_of)
        return self.assert_member(out, subject["id"], "not_rated", None, None, None, reasons)


# ====================================================================== M-NR
class TestMemberNotRated(MemberCase):
    # M-NR1: admitted_on + 6 calendar months (day clamped) is after as_of.
    def test_m_nr1_holds_admitted_less_than_6_months_ago(self):
        m = self.not_rated(member("s", admitted_on="2021-06-15"), ["M-NR1"])
        self.assertIn("15/06/2021", m["reasons"][0]["message"])

    def test_m_nr1_fails_exactly_6_months_same_day(self):
        # 2021-05-27 + 6 months = 2021-11-27, not after as_of 2021-11-27
        self.rated(member("s", admitted_on="2021-05-27"), X, [])

    def test_m_nr1_holds_one_day_short_of_6_months(self):
        m = self.not_rated(member("s", admitted_on="2021-05-27"), ["M-NR1"], as_of="2021-11-26")
        self.assertIn("27/05/2021", m["reasons"][0]["message"])

    def test_m_nr1_fails_day_clamped_to_month_end(self):
        # 2021-05-31 + 6 months = 2021-11-31 -> clamped to 2021-11-30
        self.rated(member("s", admitted_on="2021-05-31"), X, [], as_of="2021-11-30")

    def test_m_nr1_holds_day_before_clamped_date(self):
        m = self.not_rated(member("s", admitted_on="2021-05-31"), ["M-NR1"], as_of="2021-11-29")
        self.assertIn("31/05/2021", m["reasons"][0]["message"])

    def test_m_nr1_leap_year_clamp_rated_on_feb_29(self):
        # 2019-08-31 + 6 months = 2020-02-31 -> 2020-02-29
        self.rated(member("s", admitted_on="2019-08-31"), X, [], as_of="2020-02-29")

    def test_m_nr1_leap_year_clamp_not_rated_on_feb_28(self):
        self.not_rated(member("s", admitted_on="2019-08-31"), ["M-NR1"], as_of="2020-02-28")

    def test_m_nr1_non_leap_year_clamp_rated_on_feb_28(self):
        # 2020-08-31 + 6 months = 2021-02-31 -> 2021-02-28
        self.rated(member("s", admitted_on="2020-08-31"), X, [], as_of="2021-02-28")

    def test_m_nr1_non_leap_year_clamp_not_rated_on_feb_27(self):
        self.not_rated(member("s", admitted_on="2020-08-31"), ["M-NR1"], as_of="2021-02-27")

    def test_m_nr1_crosses_year_end(self):
        # 2021-07-31 + 6 months = 2022-01-31
        self.not_rated(member("s", admitted_on="2021-07-31"), ["M-NR1"], as_of="2022-01-30")
        self.rated(member("s", admitted_on="2021-07-31"), X, [], as_of="2022-01-31")

    def test_m_nr1_admitted_after_as_of(self):
        self.not_rated(member("s", admitted_on="2021-12-01"), ["M-NR1"])

    def test_m_nr1_admitted_on_null_is_rated(self):
        # classify.md: admitted_on (null: rated)
        self.rated(member("s", admitted_on=None), X, [])

    def test_m_nr1_admitted_on_absent_is_rated(self):
        self.rated(member("s"), X, [])

    def test_m_nr1_long_ago_is_rated(self):
        self.rated(member("s", admitted_on="1998-05-19"), X, [])

    # M-NR2, M-NR3
    def test_m_nr2_holds_exempted(self):
        self.not_rated(member("s", exempted=True), ["M-NR2"])

    def test_m_nr2_fails_not_exempted(self):
        self.rated(member("s", exempted=False), X, [])

    def test_m_nr3_holds_suspended(self):
        self.not_rated(member("s", suspended=True), ["M-NR3"])

    def test_m_nr3_fails_not_suspended(self):
        self.rated(member("s", suspended=False), X, [])

    def test_all_nr_clauses_in_order(self):
        self.not_rated(member("s", admitted_on="2021-10-01", exempted=True, suspended=True),
                       ["M-NR1", "M-NR2", "M-NR3"])

    def test_not_rated_has_exactly_its_nr_clauses(self):
        # RULES.md: "has exactly those M-NR clauses as reasons" — no trigger, no failing clause
        self.not_rated(member("s", exempted=True, disciplined=True, exemplary=False,
                              criteria={"pham_chat": "K"}, civil_servant_rating="KHTNV",
                              sick_leave_months=5), ["M-NR2"])

    def test_not_rated_member_may_leave_criteria_out(self):
        self.not_rated(member("s", criteria=OMIT, admitted_on="2021-06-15"), ["M-NR1"])

    def test_not_rated_member_may_give_some_criteria(self):
        self.not_rated({"id": "s", "suspended": True, "criteria": {"nhiem_vu": "T"}}, ["M-NR3"])

    def test_not_rated_member_may_give_empty_criteria(self):
        self.not_rated({"id": "s", "exempted": True, "criteria": {}}, ["M-NR2"])

    def test_not_rated_member_criteria_still_validated(self):
        lines = self.classify_bad(doc([{"id": "s", "exempted": True, "criteria": {"nhiem_vu": "Good"}}]))
        self.assert_error_at(lines, "members[0].criteria.nhiem_vu", "Good")


# ====================================================================== M-K
class TestMemberTriggers(MemberCase):
    def test_m_k1_holds(self):
        self.rated(member("s", degradation_concluded=True), K, ["M-K1"])

    def test_m_k1_fails(self):
        self.rated(member("s", degradation_concluded=False), X, [])

    def test_m_k2_holds_below_50(self):
        self.rated(member("s", task_completion_pct=49.99), K, ["M-K2"])

    def test_m_k2_holds_at_0(self):
        self.rated(member("s", task_completion_pct=0), K, ["M-K2"])

    def test_m_k2_fails_exactly_50(self):
        self.rated(member("s", task_completion_pct=50), X, [])

    def test_m_k2_fails_at_default_100(self):
        self.rated(member("s", task_completion_pct=OMIT), X, [])

    def test_m_k3_holds_civil_servant_khtnv(self):
        # M-K3 holds; M-H2, M-T3, M-X4 fail (KHTNV is below every threshold)
        self.rated(member("s", civil_servant_rating=K), K, ["M-K3", "M-H2", "M-T3", "M-X4"])

    def test_m_k3_fails_civil_servant_htnv(self):
        self.rated(member("s", civil_servant_rating=H), H, ["M-T3", "M-X4"])

    def test_m_k4_holds(self):
        self.rated(member("s", disciplined=True), K, ["M-K4"])

    def test_m_k4_fails(self):
        self.rated(member("s", disciplined=False), X, [])

    def test_several_triggers_listed_in_table_order(self):
        self.rated(member("s", disciplined=True, task_completion_pct=10, degradation_concluded=True),
                   K, ["M-K1", "M-K2", "M-K4"])

    def test_trigger_lists_failing_clauses_too(self):
        # ceiling KHTNV: every failing clause above it is a reason as well
        self.rated(member("s", disciplined=True, exemplary=False, sick_leave_months=3),
                   K, ["M-K4", "M-T4", "M-X1"])


# ====================================================================== M-H, M-T, M-X
class TestMemberLevels(MemberCase):
    def test_m_h1_fails_other_criterion_k(self):
        # pham_chat K: M-H1 (every ≥ TB), M-T2 (other ≥ TB), M-X3 (other ≥ T) fail
        self.rated(member("s", criteria={"pham_chat": "K"}), K, ["M-H1", "M-T2", "M-X3"])

    def test_m_h1_fails_primary_criterion_k(self):
        self.rated(member("s", criteria={"nhiem_vu": "K"}), K, ["M-H1", "M-T1", "M-X2"])

    def test_m_h1_holds_all_tb(self):
        self.rated(member("s", criteria={"pham_chat": "TB", "nhiem_vu": "TB", "cam_ket": "TB"}),
                   H, ["M-T1", "M-X2", "M-X3"])

    def test_m_h2_holds_civil_servant_htnv(self):
        self.rated(member("s", civil_servant_rating=H), H, ["M-T3", "M-X4"])

    def test_m_h2_fails_civil_servant_khtnv(self):
        m = self.rated(member("s", civil_servant_rating=K), K, ["M-K3", "M-H2", "M-T3", "M-X4"])
        self.assertEqual(m["reasons"][1]["rating"], H)

    def test_m_h2_holds_not_a_civil_servant(self):
        self.rated(member("s", civil_servant_rating=None), X, [])

    def test_m_t1_holds_primary_t(self):
        self.rated(member("s", criteria={"nhiem_vu": "T"}), T, ["M-X2"])

    def test_m_t1_fails_primary_tb(self):
        self.rated(member("s", criteria={"nhiem_vu": "TB"}), H, ["M-T1", "M-X2"])

    def test_m_t2_holds_other_tb(self):
        self.rated(member("s", criteria={"cam_ket": "TB"}), T, ["M-X3"])

    def test_m_t2_fails_other_k(self):
        self.rated(member("s", criteria={"cam_ket": "K"}), K, ["M-H1", "M-T2", "M-X3"])

    def test_m_t3_holds_civil_servant_httnv(self):
        self.rated(member("s", civil_servant_rating=T), T, ["M-X4"])

    def test_m_t3_fails_civil_servant_htnv(self):
        self.rated(member("s", civil_servant_rating=H), H, ["M-T3", "M-X4"])

    def test_m_t4_fails_sick_leave_exactly_3(self):
        # only M-T4 fails, yet HTXSNV is out of reach too: levels are cumulative
        m = self.rated(member("s", sick_leave_months=3), H, ["M-T4"])
        self.assertEqual(m["reasons"][0]["rating"], T)

    def test_m_t4_holds_sick_leave_2_9(self):
        self.rated(member("s", sick_leave_months=2.9), X, [])

    def test_m_t4_fails_sick_leave_long(self):
        self.rated(member("s", sick_leave_months=12), H, ["M-T4"])

    def test_m_x1_holds(self):
        self.rated(member("s", exemplary=True), X, [])

    def test_m_x1_fails(self):
        m = self.rated(member("s", exemplary=False), T, ["M-X1"])
        self.assertEqual(m["reasons"][0]["rating"], X)

    def test_m_x1_fails_by_default(self):
        self.rated(member("s", exemplary=OMIT), T, ["M-X1"])

    def test_m_x2_holds_primary_xs(self):
        self.rated(member("s", criteria={"nhiem_vu": "XS", "pham_chat": "T", "cam_ket": "T"}), X, [])

    def test_m_x2_fails_primary_t(self):
        self.rated(member("s", criteria={"nhiem_vu": "T"}), T, ["M-X2"])

    def test_m_x3_holds_other_t(self):
        self.rated(member("s", criteria={"pham_chat": "T", "cam_ket": "T"}), X, [])

    def test_m_x3_fails_other_tb(self):
        self.rated(member("s", criteria={"pham_chat": "TB"}), T, ["M-X3"])

    def test_m_x4_holds_civil_servant_htxsnv(self):
        self.rated(member("s", civil_servant_rating=X), X, [])

    def test_m_x4_fails_civil_servant_httnv(self):
        self.rated(member("s", civil_servant_rating=T), T, ["M-X4"])

    def test_all_clauses_fail_at_once(self):
        self.rated(member("s", criteria={"pham_chat": "K", "nhiem_vu": "K", "cam_ket": "K"},
                          exemplary=False, civil_servant_rating=K, sick_leave_months=3,
                          degradation_concluded=True, task_completion_pct=0, disciplined=True),
                   K, ["M-K1", "M-K2", "M-K3", "M-K4", "M-H1", "M-H2", "M-T1", "M-T2", "M-T3",
                       "M-T4", "M-X1", "M-X2", "M-X3", "M-X4"])

    def test_defaults_only_id_and_criteria(self):
        # exemplary defaults to false: M-X1 fails
        self.rated({"id": "s", "criteria": {"pham_chat": "XS", "nhiem_vu": "XS", "cam_ket": "XS"}},
                   T, ["M-X1"])

    def test_every_optional_member_field_given(self):
        self.rated(member("s", name="Nguyễn Văn Tuấn", admitted_on="2009-03-02",
                          civil_servant_rating=X, exemplary=True, degradation_concluded=False,
                          task_completion_pct=100, disciplined=False, exempted=False,
                          suspended=False, sick_leave_months=0), X, [])


# ====================================================================== V-1, V-2
class TestVotes(MemberCase):
    def test_v1_majority_17_of_32(self):
        out = self.solo(voted("s", {X: 17}))
        self.assert_member(out, "s", "rated", X, X, X, [])

    def test_v1_exactly_half_is_not_a_majority(self):
        out = self.solo(voted("s", {X: 16}))
        m = self.assert_member(out, "s", "undecided", X, None, None, ["V-1"])
        self.assertIsNone(m["reasons"][0]["rating"])

    def test_v1_half_at_top_majority_only_at_khtnv(self):
        # 16 HTXSNV + 16 KHTNV of 32: cumulative 16 (not > 16) down to HTNV, 32 at KHTNV
        out = self.solo(voted("s", {X: 16, K: 16}))
        self.assert_member(out, "s", "rated", X, K, K, [])

    def test_v1_cumulative_majority(self):
        # HTXSNV 10 (20 > 32? no), HTXSNV+HTTNV 20 (40 > 32) -> HTTNV
        out = self.solo(voted("s", {X: 10, T: 10}))
        self.assert_member(out, "s", "rated", X, T, T, [])

    def test_v1_cumulative_majority_by_one_ballot(self):
        out = self.solo(voted("s", {X: 16, T: 1}))
        self.assert_member(out, "s", "rated", X, T, T, [])

    def test_v1_cumulative_down_to_khtnv(self):
        # 8 at HTXSNV, still 8 at HTTNV and HTNV, 17 at KHTNV -> KHTNV; no clause fails
        out = self.solo(voted("s", {X: 8, K: 9}))
        self.assert_member(out, "s", "rated", X, K, K, [])

    def test_v1_odd_voters_17_of_33(self):
        out = self.solo(voted("s", {X: 17}, voters=33))
        self.assert_member(out, "s", "rated", X, X, X, [])

    def test_v1_odd_voters_16_of_33_undecided(self):
        out = self.solo(voted("s", {X: 16, K: 0}, voters=33))
        self.assert_member(out, "s", "undecided", X, None, None, ["V-1"])

    def test_v1_absent_voters_count(self):
        # voters counts the convened members "present or not": 16 ballots of 32 -> no majority
        out = self.solo(voted("s", {T: 16}, voters=32))
        self.assert_member(out, "s", "undecided", X, None, None, ["V-1"])

    def test_v1_one_voter(self):
        out = self.solo(voted("s", {X: 1}, voters=1))
        self.assert_member(out, "s", "rated", X, X, X, [])

    def test_v1_empty_votes_with_voters_is_undecided(self):
        # classify.md: "`{}` means no valid ballot at all" -> no rating reaches a majority
        out = self.solo(voted("s", {}, voters=5))
        self.assert_member(out, "s", "undecided", X, None, None, ["V-1"])

    def test_v1_undecided_keeps_failing_clauses_then_v1(self):
        out = self.solo(voted("s", {X: 3}, maker=tt))
        self.assert_member(out, "s", "undecided", T, None, None, ["M-X1", "V-1"])

    def test_v1_without_ballots_proposal_is_ceiling(self):
        out = self.solo(tt("s"))
        self.assert_member(out, "s", "rated", T, None, T, ["M-X1"])

    def test_v1_vote_below_ceiling_is_kept_without_v2(self):
        out = self.solo(voted("s", {H: 20}))
        self.assert_member(out, "s", "rated", X, H, H, [])

    def test_v2_voted_above_ceiling_lowered(self):
        out = self.solo(voted("s", {X: 20}, maker=tt))
        m = self.assert_member(out, "s", "rated", T, X, T, ["M-X1", "V-2"])
        self.assertIsNone(m["reasons"][1]["rating"])

    def test_v2_voted_equal_to_ceiling_no_v2(self):
        out = self.solo(voted("s", {T: 20}, maker=tt))
        self.assert_member(out, "s", "rated", T, T, T, ["M-X1"])

    def test_v2_lowered_to_khtnv_by_trigger(self):
        out = self.solo(voted("s", {X: 30}, maker=kh))
        self.assert_member(out, "s", "rated", K, X, K, ["M-K4", "V-2"])

    def test_v2_lowered_from_cumulative_vote(self):
        # voted HTTNV (5+15=20 > 16), ceiling HTNV -> HTNV
        out = self.solo(voted("s", {X: 5, T: 15}, maker=ht))
        self.assert_member(out, "s", "rated", H, T, H, ["M-T1", "M-X2", "V-2"])

    def test_not_rated_member_ballots_not_counted(self):
        out = self.solo(voted("s", {X: 30}, maker=nr))
        self.assert_member(out, "s", "not_rated", None, None, None, ["M-NR2"])

    def test_not_rated_member_ballots_validated(self):
        lines = self.classify_bad(doc([voted("s", {X: 30, T: 3}, voters=32, maker=nr)]))
        self.assert_error_at(lines, "members[0]")

    def test_v1_large_counts_do_not_overflow(self):
        # 1073741824 * 2 = 2147483648 > 2147483647 voters: a majority for HTXSNV
        out = self.solo(voted("s", {X: 1073741824}, voters=2147483647))
        self.assert_member(out, "s", "rated", X, X, X, [])

    def test_v1_large_counts_just_short_of_majority(self):
        # HTXSNV 1073741823 * 2 = 2147483646 is not more than 2147483647; with HTTNV it is
        out = self.solo(voted("s", {X: 1073741823, T: 1073741824}, voters=2147483647))
        self.assert_member(out, "s", "rated", X, T, T, [])

    def test_counts_beyond_32_bits_accepted(self):
        # classify.md: "Counts are JSON integers ≥ 0, voters ≥ 1" — no upper bound is given;
        # 2147483649 * 2 > 4294967296
        out = self.solo(voted("s", {X: 2147483649}, voters=4294967296))
        self.assert_member(out, "s", "rated", X, X, X, [])

    def test_ballots_summing_to_voters_accepted(self):
        out = self.solo(voted("s", {X: 20, T: 6, H: 4, K: 2}, voters=32))
        self.assert_member(out, "s", "rated", X, X, X, [])


# ====================================================================== Q-1
class TestQuota(KDTestCase):
    def test_q1_n4_cap0_demotes_the_candidate(self):
        out = self.classify(doc([xs("c")] + fillers(3)))
        self.assert_quota(out, 4, 0, 1, [], ["c"], [])
        m = self.assert_member(out, "c", "rated", X, None, T, ["Q-1"])
        self.assertIsNone(m["reasons"][0]["rating"])

    def test_q1_n5_cap1_keeps_the_candidate(self):
        out = self.classify(doc([xs("c")] + fillers(4)))
        self.assert_quota(out, 5, 1, 1, ["c"], [], [])
        self.assert_member(out, "c", "rated", X, None, X, [])

    def test_q1_n10_cap2(self):
        # ranked c2 30, c3 25, c1 20: the first 2 keep HTXSNV
        out = self.classify(doc([voted("c1", {X: 20}), voted("c2", {X: 30}), voted("c3", {X: 25})]
                                + fillers(7)))
        self.assert_quota(out, 10, 2, 3, ["c2", "c3"], ["c1"], [])
        self.assert_member(out, "c1", "rated", X, X, T, ["Q-1"])
        self.assert_member(out, "c2", "rated", X, X, X, [])
        self.assert_member(out, "c3", "rated", X, X, X, [])

    def test_q1_n9_cap_is_floored_to_1(self):
        # 9 * 20 / 100 = 1.8 -> 1
        out = self.classify(doc([voted("c1", {X: 20}), voted("c2", {X: 25})] + fillers(7)))
        self.assert_quota(out, 9, 1, 2, ["c2"], ["c1"], [])

    def test_q1_cap0_demotes_every_candidate_even_without_ballots(self):
        # "when the cap is 0, every candidate becomes HTTNV" comes before the no-ballot rule
        out = self.classify(doc([xs("a"), voted("b", {X: 20})] + fillers(2)))
        self.assert_quota(out, 4, 0, 2, [], ["a", "b"], [])
        self.assert_member(out, "a", "rated", X, None, T, ["Q-1"])
        self.assert_member(out, "b", "rated", X, X, T, ["Q-1"])

    def test_q1_candidates_equal_to_cap_all_kept(self):
        out = self.classify(doc([xs("c1"), xs("c2")] + fillers(8)))
        self.assert_quota(out, 10, 2, 2, ["c1", "c2"], [], [])

    def test_q1_no_candidates(self):
        out = self.classify(doc(fillers(3)))
        self.assert_quota(out, 3, 0, 0, [], [], [])

    def test_q1_tie_straddling_the_cut(self):
        # cap 2; ranked c1 30, c2 25, c3 25, c4 17: ranks 2 and 3 equal ->
        # both 25s undecided, c1 kept, c4 demoted
        out = self.classify(doc([voted("c4", {X: 17}), voted("c2", {X: 25}), voted("c1", {X: 30}),
                                 voted("c3", {X: 25})] + fillers(6)))
        self.assert_quota(out, 10, 2, 4, ["c1"], ["c4"], ["c2", "c3"])
        self.assert_member(out, "c1", "rated", X, X, X, [])
        self.assert_member(out, "c2", "undecided", X, X, None, ["Q-1"])
        self.assert_member(out, "c3", "undecided", X, X, None, ["Q-1"])
        self.assert_member(out, "c4", "rated", X, X, T, ["Q-1"])
        self.assertEqual(out["summary"]["undecided"], 2)

    def test_q1_three_way_tie_straddling_the_cut(self):
        out = self.classify(doc([voted("c1", {X: 30}), voted("c2", {X: 20}), voted("c3", {X: 20}),
                                 voted("c4", {X: 20})] + fillers(6)))
        self.assert_quota(out, 10, 2, 4, ["c1"], [], ["c2", "c3", "c4"])

    def test_q1_tie_entirely_above_the_cut_all_kept(self):
        # cap 2; ranked 30, 30, 20, 18: ranks 2 and 3 differ
        out = self.classify(doc([voted("c1", {X: 30}), voted("c2", {X: 30}), voted("c3", {X: 20}),
                                 voted("c4", {X: 18})] + fillers(6)))
        self.assert_quota(out, 10, 2, 4, ["c1", "c2"], ["c3", "c4"], [])
        self.assert_member(out, "c1", "rated", X, X, X, [])
        self.assert_member(out, "c2", "rated", X, X, X, [])

    def test_q1_tie_entirely_below_the_cut_all_demoted(self):
        out = self.classify(doc([voted("c1", {X: 30}), voted("c2", {X: 25}), voted("c3", {X: 20}),
                                 voted("c4", {X: 20})] + fillers(6)))
        self.assert_quota(out, 10, 2, 4, ["c1", "c2"], ["c3", "c4"], [])

    def test_q1_everyone_tied_cap1(self):
        out = self.classify(doc([voted("c1", {X: 20}), voted("c2", {X: 20})] + fillers(3)))
        self.assert_quota(out, 5, 1, 2, [], [], ["c1", "c2"])

    def test_q1_candidate_without_ballots_when_cap_binds(self):
        out = self.classify(doc([voted("c1", {X: 30}), xs("c2")] + fillers(3)))
        self.assert_quota(out, 5, 1, 2, [], [], ["c1", "c2"])
        self.assert_member(out, "c1", "undecided", X, X, None, ["Q-1"])
        self.assert_member(out, "c2", "undecided", X, None, None, ["Q-1"])
        self.assertEqual(out["summary"]["undecided"], 2)

    def test_q1_candidate_without_ballots_when_cap_does_not_bind(self):
        out = self.classify(doc([voted("c1", {X: 30}), xs("c2")] + fillers(8)))
        self.assert_quota(out, 10, 2, 2, ["c1", "c2"], [], [])

    def test_q1_ranks_by_ballot_count_not_share(self):
        # "ranked by the number of their HTXSNV ballots": 60 of 100 beats 31 of 32
        out = self.classify(doc([voted("c2", {X: 31}, voters=32), voted("c1", {X: 60}, voters=100)]
                                + fillers(3)))
        self.assert_quota(out, 5, 1, 2, ["c1"], ["c2"], [])

    def test_q1_base_counts_rating_after_vote(self):
        # x's ceiling is HTXSNV but it is voted HTNV: not in n -> n 4, cap 0
        out = self.classify(doc([xs("c")] + fillers(3) + [voted("x", {H: 20})]))
        self.assert_quota(out, 4, 0, 1, [], ["c"], [])

    def test_q1_base_counts_member_voted_httnv(self):
        out = self.classify(doc([xs("c")] + fillers(3) + [voted("x", {T: 20})]))
        self.assert_quota(out, 5, 1, 1, ["c"], [], [])

    def test_q1_base_counts_member_lowered_by_v2(self):
        out = self.classify(doc([xs("c")] + fillers(3) + [voted("y", {X: 20}, maker=tt)]))
        self.assert_quota(out, 5, 1, 1, ["c"], [], [])
        self.assert_member(out, "y", "rated", T, X, T, ["M-X1", "V-2"])

    def test_q1_base_excludes_not_rated(self):
        out = self.classify(doc([xs("c")] + fillers(3) + [nr("n1")]))
        self.assert_quota(out, 4, 0, 1, [], ["c"], [])

    def test_q1_base_excludes_undecided(self):
        out = self.classify(doc([xs("c")] + fillers(3) + [und("u1")]))
        self.assert_quota(out, 4, 0, 1, [], ["c"], [])
        self.assert_member(out, "u1", "undecided", T, None, None, ["M-X1", "V-1"])

    def test_q1_base_excludes_below_httnv(self):
        out = self.classify(doc([xs("c")] + fillers(3) + [ht("h1"), kh("k1")]))
        self.assert_quota(out, 4, 0, 1, [], ["c"], [])


# ====================================================================== leaders
class TestLeaders(KDTestCase):
    def rate(self, ld, ceiling, reasons):
        out = self.classify(doc([], leaders=[ld]))
        return self.assert_leader(out, ld["id"], ceiling, reasons)

    def test_base_leader_is_htxsnv(self):
        self.rate(leader("l"), X, [])

    def test_l_k1_holds(self):
        self.rate(leader("l", degradation_concluded=True), K, ["L-K1"])

    def test_l_k1_fails(self):
        self.rate(leader("l", degradation_concluded=False), X, [])

    def test_l_k2_holds_more_than_half_khong(self):
        # 2 of 3 khong; L-H2, L-T1, L-X2 fail too
        self.rate(leader("l", duties=["khong", "khong", "cao"]), K, ["L-K2", "L-H2", "L-T1", "L-X2"])

    def test_l_k2_fails_exactly_half_khong(self):
        self.rate(leader("l", duties=["khong", "khong", "cao", "cao"]), K, ["L-H2", "L-T1", "L-X2"])

    def test_l_k2_holds_single_khong(self):
        self.rate(leader("l", duties=["khong"]), K, ["L-K2", "L-H2", "L-T1", "L-X2"])

    def test_l_k3_holds_completed_below_half(self):
        # 4 * 2 < 10; L-H3, L-T2, L-X4 fail too
        self.rate(leader("l", unit_targets={"total": 10, "completed": 4, "exceeded": 4, "on_time": 4}),
                  K, ["L-K3", "L-H3", "L-T2", "L-X4"])

    def test_l_k3_fails_completed_exactly_half(self):
        # 5 * 2 < 10 is false; L-H3 (50 > 70) fails
        self.rate(leader("l", unit_targets={"total": 10, "completed": 5, "exceeded": 5, "on_time": 5}),
                  K, ["L-H3", "L-T2", "L-X4"])

    def test_l_k3_holds_odd_total(self):
        # 5 * 2 = 10 < 11
        self.rate(leader("l", unit_targets={"total": 11, "completed": 5, "exceeded": 0, "on_time": 0}),
                  K, ["L-K3", "L-H3", "L-T2", "L-X4"])

    def test_l_k3_fails_odd_total(self):
        # 6 * 2 = 12 < 11 is false
        self.rate(leader("l", unit_targets={"total": 11, "completed": 6, "exceeded": 0, "on_time": 0}),
                  K, ["L-H3", "L-T2", "L-X4"])

    def test_l_k4_holds(self):
        self.rate(leader("l", unit_corruption_disciplined=True), K, ["L-K4"])

    def test_l_k4_fails(self):
        self.rate(leader("l", unit_corruption_disciplined=False), X, [])

    def test_l_k5_holds(self):
        self.rate(leader("l", disciplined=True), K, ["L-K5"])

    def test_l_k5_fails(self):
        self.rate(leader("l", disciplined=False), X, [])

    def test_l_h1_fails_exemplary_khong(self):
        self.rate(leader("l", exemplary="khong"), K, ["L-H1", "L-X1"])

    def test_l_h1_fails_exemplary_default(self):
        self.rate(leader("l", exemplary=OMIT), K, ["L-H1", "L-X1"])

    def test_l_h1_holds_exemplary_co(self):
        self.rate(leader("l", exemplary="co"), T, ["L-X1"])

    def test_l_h2_holds_exactly_20_percent_thap(self):
        # 1 of 5 thap = 20% (at most 20%); L-T1, L-X2 fail
        self.rate(leader("l", duties=["thap", "cao", "cao", "cao", "cao"]), H, ["L-T1", "L-X2"])

    def test_l_h2_fails_25_percent_thap(self):
        self.rate(leader("l", duties=["cao", "thap", "cao", "cao"]), K, ["L-H2", "L-T1", "L-X2"])

    def test_l_h2_fails_one_khong(self):
        # 1 of 5 khong: not more than half (no L-K2) but L-H2 fails
        self.rate(leader("l", duties=["cao", "cao", "khong", "cao", "cao"]), K, ["L-H2", "L-T1", "L-X2"])

    def test_l_h3_fails_7_of_10(self):
        # 7 * 10 > 10 * 7 is false
        self.rate(leader("l", unit_targets={"total": 10, "completed": 7, "exceeded": 5, "on_time": 7}),
                  K, ["L-H3", "L-T2", "L-X4"])

    def test_l_h3_holds_71_of_100(self):
        # 710 > 700; completed != total: L-T2 and L-X4 fail
        self.rate(leader("l", unit_targets={"total": 100, "completed": 71, "exceeded": 71, "on_time": 71}),
                  H, ["L-T2", "L-X4"])

    def test_l_t1_holds_dat_and_cao(self):
        self.rate(leader("l", duties=["dat", "cao"]), T, ["L-X2"])

    def test_l_t1_fails_thap(self):
        self.rate(leader("l", duties=["thap", "cao", "dat", "cao", "cao"]), H, ["L-T1", "L-X2"])

    def test_l_t2_holds_on_time_exactly_80_percent(self):
        self.rate(leader("l", unit_targets={"total": 10, "completed": 10, "exceeded": 5, "on_time": 8}), X, [])

    def test_l_t2_fails_on_time_70_percent(self):
        self.rate(leader("l", unit_targets={"total": 10, "completed": 10, "exceeded": 5, "on_time": 7}),
                  H, ["L-T2"])

    def test_l_t2_fails_on_time_just_below_80_percent(self):
        # 2 * 10 >= 3 * 8 is false (66.7%)
        self.rate(leader("l", unit_targets={"total": 3, "completed": 3, "exceeded": 2, "on_time": 2}),
                  H, ["L-T2"])

    def test_l_t2_fails_not_all_completed(self):
        self.rate(leader("l", unit_targets={"total": 10, "completed": 9, "exceeded": 9, "on_time": 9}),
                  H, ["L-T2", "L-X4"])

    def test_l_x1_holds_thuc_su(self):
        self.rate(leader("l", exemplary="thuc_su"), X, [])

    def test_l_x1_fails_co(self):
        ld = self.rate(leader("l", exemplary="co"), T, ["L-X1"])
        self.assertEqual(ld["reasons"][0]["rating"], X)

    def test_l_x2_holds_all_cao(self):
        self.rate(leader("l", duties=["cao"]), X, [])

    def test_l_x2_fails_one_dat(self):
        self.rate(leader("l", duties=["cao", "dat", "cao"]), T, ["L-X2"])

    def test_l_x3_holds(self):
        self.rate(leader("l", initiative_applied=True), X, [])

    def test_l_x3_fails(self):
        self.rate(leader("l", initiative_applied=False), T, ["L-X3"])

    def test_l_x3_fails_by_default(self):
        self.rate(leader("l", initiative_applied=OMIT), T, ["L-X3"])

    def test_l_x4_holds_exceeded_exactly_half(self):
        self.rate(leader("l", unit_targets={"total": 10, "completed": 10, "exceeded": 5, "on_time": 10}), X, [])

    def test_l_x4_fails_exceeded_below_half(self):
        self.rate(leader("l", unit_targets={"total": 10, "completed": 10, "exceeded": 4, "on_time": 10}),
                  T, ["L-X4"])

    def test_l_x4_odd_total(self):
        # 6 * 2 >= 11 holds; 5 * 2 >= 11 fails
        self.rate(leader("l", unit_targets={"total": 11, "completed": 11, "exceeded": 6, "on_time": 11}), X, [])
        self.rate(leader("l", unit_targets={"total": 11, "completed": 11, "exceeded": 5, "on_time": 11}),
                  T, ["L-X4"])

    def test_large_unit_targets_do_not_overflow(self):
        # on_time 1717986918 * 10 >= 2147483647 * 8 (17179869180 >= 17179869176);
        # exceeded 1073741824 * 2 >= 2147483647
        self.rate(leader("l", unit_targets={"total": 2147483647, "completed": 2147483647,
                                            "exceeded": 1073741824, "on_time": 1717986918}), X, [])

    def test_large_unit_targets_l_h3_boundary(self):
        # 1503238553 * 10 = 15032385530 > 2147483647 * 7 = 15032385529
        self.rate(leader("l", unit_targets={"total": 2147483647, "completed": 1503238553,
                                            "exceeded": 0, "on_time": 0}), H, ["L-T2", "L-X4"])
        # 1503238552 * 10 = 15032385520 is not
        self.rate(leader("l", unit_targets={"total": 2147483647, "completed": 1503238552,
                                            "exceeded": 0, "on_time": 0}), K, ["L-H3", "L-T2", "L-X4"])

    def test_leader_all_clauses_fail(self):
        self.rate(leader("l", duties=["khong"], exemplary="khong", initiative_applied=False,
                         unit_targets={"total": 10, "completed": 0, "exceeded": 0, "on_time": 0},
                         degradation_concluded=True, unit_corruption_disciplined=True, disciplined=True),
                  K, ["L-K1", "L-K2", "L-K3", "L-K4", "L-K5", "L-H1", "L-H2", "L-H3", "L-T1", "L-T2",
                      "L-X1", "L-X2", "L-X3", "L-X4"])

    def test_leaders_in_input_order(self):
        out = self.classify(doc([], leaders=[leader("lz"), leader_htnv("la"), leader_httnv("lm")]))
        self.assertEqual([ld["id"] for ld in out["leaders"]], ["lz", "la", "lm"])
        self.assert_leader(out, "la", H, ["L-T2", "L-X1"])
        self.assert_leader(out, "lm", T, ["L-X3"])


# ====================================================================== collective
class TestCollective(KDTestCase):
    def rate(self, members, ceiling, reasons, status="rated", **kw):
        out = self.classify(doc(members, coll=collective(**kw)))
        self.assert_collective(out, status, ceiling, reasons)
        return out

    def test_base_collective_no_members_is_htxsnv(self):
        # "With no rated member, C-T3, C-T4 and C-X4 hold and C-K4 does not."
        self.rate([], X, [])

    def test_no_rated_member_only_not_rated(self):
        self.rate([nr("n1"), member("n2", admitted_on="2021-10-01")], X, [])

    def test_c_k1_holds_below_50(self):
        self.rate([], K, ["C-K1"], party_building_completion_pct=49.99)

    def test_c_k1_fails_exactly_50(self):
        self.rate([], X, [], party_building_completion_pct=50)

    def test_c_k2_holds_two_khtnv_organizations(self):
        orgs = [{"name": "Công đoàn", "rating": K}, {"name": "Đoàn Thanh niên", "rating": K}]
        self.rate([], K, ["C-K2", "C-T5", "C-X5"], mass_organizations=orgs)

    def test_c_k2_fails_one_khtnv_organization(self):
        orgs = [{"name": "Công đoàn", "rating": K}, {"name": "Đoàn Thanh niên", "rating": X}]
        self.rate([], H, ["C-T5", "C-X5"], mass_organizations=orgs)

    def test_c_k3_holds_disciplined_not_remedied(self):
        self.rate([], K, ["C-K3"], disciplined=True, discipline_self_remedied=False)

    def test_c_k3_holds_disciplined_remedy_default(self):
        self.rate([], K, ["C-K3"], disciplined=True)

    def test_c_k3_fails_disciplined_but_remedied(self):
        self.rate([], X, [], disciplined=True, discipline_self_remedied=True)

    def test_c_k3_fails_not_disciplined(self):
        self.rate([], X, [], disciplined=False, discipline_self_remedied=True)

    def test_c_k4_fails_exactly_20_percent_khtnv(self):
        # 1 of 5 KHTNV: not more than 20%; C-T3 fails; 4 of 5 ≥ HTTNV: C-T4, C-X4 hold
        self.rate([kh("k1")] + fillers(4), H, ["C-T3"])

    def test_c_k4_holds_more_than_20_percent_khtnv(self):
        # 1 of 4 = 25%; 3 of 4 ≥ HTTNV: C-T4 holds, C-X4 (80%) fails
        self.rate([kh("k1")] + fillers(3), K, ["C-K4", "C-T3", "C-X4"])

    def test_c_k4_counts_only_rated_members(self):
        # 1 KHTNV of 5 rated; the not_rated members cast no weight
        self.rate([kh("k1")] + fillers(4) + [nr("n1"), nr("n2")], H, ["C-T3"])

    def test_c_k4_uses_voted_rating(self):
        # v voted KHTNV (17 of 32) although its ceiling is HTXSNV: 2 of 5 KHTNV
        out = self.rate([kh("k1"), voted("v", {K: 17})] + fillers(3), K, ["C-K4", "C-T3", "C-X4"])
        self.assert_member(out, "v", "rated", X, K, K, [])

    def test_c_h1_fails_other_criterion_k(self):
        self.rate([], K, ["C-H1", "C-T2", "C-X3"], criteria={"khac_phuc": "K"})

    def test_c_h1_fails_primary_criterion_k(self):
        self.rate([], K, ["C-H1", "C-T1", "C-X2"], criteria={"chinh_tri_tu_tuong": "K"})

    def test_c_h1_holds_all_tb(self):
        self.rate([], H, ["C-T1", "C-X2", "C-X3"], criteria={c: "TB" for c in COLLECTIVE_CRITERIA})

    def test_c_t1_holds_primary_t(self):
        self.rate([], T, ["C-X2"], criteria={"ke_hoach_nam": "T"})

    def test_c_t1_fails_primary_tb(self):
        self.rate([], H, ["C-T1", "C-X2"], criteria={"xep_loai_doan_the": "TB"})

    def test_c_t2_holds_other_tb(self):
        self.rate([], T, ["C-X3"], criteria={"khac_phuc": "TB"})

    def test_c_t2_fails_other_k(self):
        self.rate([], K, ["C-H1", "C-T2", "C-X3"], criteria={"khac_phuc": "K"})

    def test_c_t3_holds_all_at_least_htnv(self):
        # 4 of 5 ≥ HTTNV = 80%
        self.rate([ht("h1")] + fillers(4), X, [])

    def test_c_t3_fails_one_khtnv(self):
        self.rate([kh("k1")] + fillers(4), H, ["C-T3"])

    def test_c_t4_holds_exactly_50_percent(self):
        self.rate([tt("t1"), ht("h1")], T, ["C-X4"])

    def test_c_t4_fails_below_50_percent(self):
        self.rate([tt("t1"), ht("h1"), ht("h2")], H, ["C-T4", "C-X4"])

    def test_c_t4_uses_final_rating_after_vote(self):
        # ceilings HTXSNV but voted HTNV: 1 of 3 ≥ HTTNV
        self.rate([tt("t1"), voted("v1", {H: 20}), voted("v2", {H: 20})], H, ["C-T4", "C-X4"])

    def test_c_t5_holds_organization_htnv(self):
        self.rate([], T, ["C-X5"], mass_organizations=[{"name": "Công đoàn", "rating": H}])

    def test_c_t5_fails_organization_khtnv(self):
        self.rate([], H, ["C-T5", "C-X5"], mass_organizations=[{"name": "Công đoàn", "rating": K}])

    def test_c_x1_holds(self):
        self.rate([], X, [], outstanding=True)

    def test_c_x1_fails(self):
        c = self.classify(doc([], coll=collective(outstanding=False)))["collective"]
        self.assertEqual(self.clauses(c), ["C-X1"])
        self.assertEqual(c["reasons"][0]["rating"], X)

    def test_c_x1_fails_by_default(self):
        self.rate([], T, ["C-X1"], outstanding=OMIT)

    def test_c_x2_holds_all_primary_xs(self):
        self.rate([], X, [], criteria={"khac_phuc": "T"})

    def test_c_x2_fails_one_primary_t(self):
        self.rate([], T, ["C-X2"], criteria={"to_chuc_can_bo": "T"})

    def test_c_x3_holds_other_t(self):
        self.rate([], X, [], criteria={"khac_phuc": "T"})

    def test_c_x3_fails_other_tb(self):
        self.rate([], T, ["C-X3"], criteria={"khac_phuc": "TB"})

    def test_c_x4_holds_exactly_80_percent(self):
        self.rate(fillers(4) + [ht("h1")], X, [])

    def test_c_x4_holds_8_of_10(self):
        self.rate(fillers(8) + [ht("h1"), ht("h2")], X, [])

    def test_c_x4_fails_75_percent(self):
        self.rate(fillers(3) + [ht("h1")], T, ["C-X4"])

    def test_c_x4_fails_just_below_80_percent(self):
        # 11 of 14 = 78.6%
        self.rate(fillers(11) + [ht("h%d" % i) for i in range(3)], T, ["C-X4"])

    def test_c_x4_not_rated_cast_no_weight(self):
        self.rate([tt("t1"), nr("n1"), nr("n2"), nr("n3")], X, [])

    def test_c_x5_holds_all_organizations_httnv_or_above(self):
        self.rate([], X, [], mass_organizations=[{"name": "Công đoàn", "rating": T},
                                                 {"name": "Đoàn Thanh niên", "rating": X}])

    def test_c_x5_fails_one_organization_htnv(self):
        self.rate([], T, ["C-X5"], mass_organizations=[{"name": "Công đoàn", "rating": H},
                                                       {"name": "Đoàn Thanh niên", "rating": X}])

    def test_collective_uses_final_after_quota(self):
        # c demoted to HTTNV by Q-1 (n 4, cap 0): still ≥ HTTNV for C-X4 (4 of 5 = 80%)
        out = self.rate([xs("c")] + fillers(3) + [ht("h1")], X, [])
        self.assert_quota(out, 4, 0, 1, [], ["c"], [])

    def test_collective_all_clauses_fail(self):
        orgs = [{"name": "Công đoàn", "rating": K}, {"name": "Đoàn Thanh niên", "rating": K}]
        self.rate([kh("k1"), ht("h1")], K,
                  ["C-K1", "C-K2", "C-K3", "C-K4", "C-H1", "C-T1", "C-T2", "C-T3", "C-T4", "C-T5",
                   "C-X1", "C-X2", "C-X3", "C-X4", "C-X5"],
                  criteria={c: "K" for c in COLLECTIVE_CRITERIA}, outstanding=False,
                  party_building_completion_pct=0, disciplined=True, mass_organizations=orgs)

    def test_undecided_member_makes_collective_undecided(self):
        out = self.rate([tt("t1"), und("u1")], X, [], status="undecided")
        self.assertEqual(out["summary"]["undecided"], 1)

    def test_undecided_collective_ceiling_over_rated_members_only(self):
        # rated: k1 (KHTNV) only -> C-K4 (1 of 1), C-T3, C-T4 (0%), C-X4 fail
        self.rate([kh("k1"), und("u1")], K, ["C-K4", "C-T3", "C-T4", "C-X4"], status="undecided")

    def test_quota_undecided_makes_collective_undecided(self):
        self.rate([voted("c1", {X: 20}), voted("c2", {X: 20})] + fillers(3), X, [], status="undecided")


# ====================================================================== K-1..K-3
class TestConstraints(KDTestCase):
    def test_k1_violated_head_above_cell(self):
        # head HTXSNV, cell HTTNV (not outstanding)
        out = self.classify(doc([], leaders=[leader("ld1", heads_collective=True)],
                                coll=collective(outstanding=False)))
        self.assert_violations(out, [("K-1", "ld1")])

    def test_k1_holds_head_equal_to_cell(self):
        out = self.classify(doc([], leaders=[leader_httnv("ld1", heads_collective=True)],
                                coll=collective(outstanding=False)))
        self.assert_violations(out, [])

    def test_k1_holds_head_below_cell(self):
        out = self.classify(doc([], leaders=[leader_htnv("ld1", heads_collective=True)], coll=collective()))
        self.assert_violations(out, [])

    def test_k1_only_for_the_head(self):
        out = self.classify(doc([], leaders=[leader("ld1", heads_collective=False), leader("ld2")],
                                coll=collective(outstanding=False)))
        self.assert_violations(out, [])

    def test_k1_not_checked_without_collective(self):
        out = self.classify(doc([], leaders=[leader("ld1", heads_collective=True)]))
        self.assert_violations(out, [])

    def test_k1_not_checked_while_collective_undecided(self):
        out = self.classify(doc([und("u1")], leaders=[leader("ld1", heads_collective=True)],
                                coll=collective(outstanding=False)))
        self.assertEqual(out["collective"]["status"], "undecided")
        self.assert_violations(out, [])

    def test_k2_violated_leadership_above_cell(self):
        out = self.classify(doc([], coll=collective(outstanding=False, leadership_rating=X)))
        self.assert_violations(out, [("K-2", "collective")])

    def test_k2_holds_leadership_equal(self):
        out = self.classify(doc([], coll=collective(outstanding=False, leadership_rating=T)))
        self.assert_violations(out, [])

    def test_k2_holds_leadership_below(self):
        out = self.classify(doc([], coll=collective(leadership_rating=K)))
        self.assert_violations(out, [])

    def test_k2_not_checked_when_leadership_rating_null(self):
        out = self.classify(doc([], coll=collective(criteria={"khac_phuc": "K"}, leadership_rating=None)))
        self.assert_violations(out, [])

    def test_k2_not_checked_while_collective_undecided(self):
        out = self.classify(doc([und("u1")], coll=collective(outstanding=False, leadership_rating=X)))
        self.assert_violations(out, [])

    def test_k3_violated_member_above_leader(self):
        out = self.classify(doc([tt("m1")], leaders=[leader_htnv("ld1", member_id="m1")]))
        self.assert_violations(out, [("K-3", "m1")])

    def test_k3_holds_member_equal_to_leader(self):
        out = self.classify(doc([tt("m1")], leaders=[leader_httnv("ld1", member_id="m1")]))
        self.assert_violations(out, [])

    def test_k3_holds_member_below_leader(self):
        out = self.classify(doc([ht("m1")], leaders=[leader_httnv("ld1", member_id="m1")]))
        self.assert_violations(out, [])

    def test_k3_uses_final_after_quota(self):
        # m1 demoted to HTTNV (n 1, cap 0): not above the leader's HTTNV
        out = self.classify(doc([xs("m1")], leaders=[leader_httnv("ld1", member_id="m1")]))
        self.assert_violations(out, [])

    def test_k3_violated_by_kept_htxsnv(self):
        out = self.classify(doc([xs("m1")] + fillers(4), leaders=[leader_httnv("ld1", member_id="m1")]))
        self.assert_violations(out, [("K-3", "m1")])

    def test_k3_not_checked_when_member_id_names_no_member(self):
        out = self.classify(doc([tt("m1")], leaders=[leader_htnv("ld1", member_id="nobody")]))
        self.assert_violations(out, [])

    def test_k3_not_checked_without_member_id(self):
        out = self.classify(doc([tt("m1")], leaders=[leader_htnv("ld1")]))
        self.assert_violations(out, [])

    def test_k3_not_checked_for_undecided_member(self):
        out = self.classify(doc([voted("m1", {X: 16})], leaders=[leader_htnv("ld1", member_id="m1")]))
        self.assert_violations(out, [])

    def test_k3_not_checked_for_not_rated_member(self):
        out = self.classify(doc([nr("m1")], leaders=[leader_htnv("ld1", member_id="m1")]))
        self.assert_violations(out, [])

    def test_violation_order_k1_k2_k3_in_leader_order(self):
        # K-1 in leader order (lh2 before lh), then K-2, then K-3 in leader order (m2 before m1)
        members = [tt("m1"), tt("m2")]
        leaders = [leader_htnv("la", member_id="m2"), leader("lh2", heads_collective=True),
                   leader_htnv("lb", member_id="m1"), leader("lh", heads_collective=True)]
        out = self.classify(doc(members, leaders=leaders,
                                coll=collective(outstanding=False, leadership_rating=X)))
        self.assert_collective(out, "rated", T, ["C-X1"])
        self.assert_violations(out, [("K-1", "lh2"), ("K-1", "lh"), ("K-2", "collective"),
                                     ("K-3", "m2"), ("K-3", "m1")])


# ====================================================================== output shape
class TestOutputShape(KDTestCase):
    def test_example_of_classify_md(self):
        d = {
            "ruleset": "kh19-2021", "as_of": "2021-11-27",
            "members": [
                {"id": "dv01", "name": "Nguyễn Thị Hồng Chương", "admitted_on": "1998-05-19",
                 "civil_servant_rating": X, "criteria": {"pham_chat": "XS", "nhiem_vu": "XS", "cam_ket": "T"},
                 "exemplary": True, "votes": {X: 25, T: 6}, "voters": 32},
                {"id": "dv07", "name": "Nguyễn Văn Tuấn", "admitted_on": "2009-03-02",
                 "civil_servant_rating": T, "criteria": {"pham_chat": "T", "nhiem_vu": "XS", "cam_ket": "T"},
                 "exemplary": False, "degradation_concluded": False, "task_completion_pct": 100,
                 "disciplined": False, "exempted": False, "suspended": False, "sick_leave_months": 0,
                 "votes": {X: 3, T: 20, H: 2, K: 0}, "voters": 32},
                {"id": "dv33", "name": "Lê Ngọc Linh", "admitted_on": "2021-06-15"},
            ],
            "leaders": [
                {"id": "ld01", "name": "Nguyễn Thị Hồng Chương", "member_id": "dv01", "heads_collective": True,
                 "exemplary": "thuc_su", "duties": ["cao", "cao", "cao"], "initiative_applied": True,
                 "unit_targets": {"total": 20, "completed": 20, "exceeded": 11, "on_time": 19},
                 "degradation_concluded": False, "unit_corruption_disciplined": False, "disciplined": False},
            ],
            "collective": {
                "name": "Chi bộ trường THPT Nguyễn Thị Minh Khai",
                "criteria": {"chinh_tri_tu_tuong": "XS", "to_chuc_can_bo": "T", "lanh_dao_doan_the": "T",
                             "kiem_tra_giam_sat": "T", "ke_hoach_nam": "T", "chi_tieu_nhiem_vu": "XS",
                             "xep_loai_doan_the": "T", "khac_phuc": "T"},
                "outstanding": False, "party_building_completion_pct": 100, "disciplined": False,
                "discipline_self_remedied": False,
                "mass_organizations": [{"name": "Công đoàn", "rating": T}, {"name": "Đoàn Thanh niên", "rating": X}],
                "leadership_rating": T,
            },
        }
        out = self.classify(d)
        self.assertEqual(out["ruleset"], "kh19-2021")
        self.assertEqual(out["as_of"], "2021-11-27")
        self.assert_member(out, "dv01", "rated", X, X, T, ["Q-1"])
        self.assert_member(out, "dv07", "rated", T, T, T, ["M-X1", "M-X4"])
        m = self.assert_member(out, "dv33", "not_rated", None, None, None, ["M-NR1"])
        self.assertIn("15/06/2021", m["reasons"][0]["message"])
        self.assert_quota(out, 2, 0, 1, [], ["dv01"], [])
        self.assert_leader(out, "ld01", X, [])
        self.assert_collective(out, "rated", T, ["C-X1", "C-X2"])
        self.assert_violations(out, [("K-1", "ld01")])
        self.assertEqual(out["summary"], {X: 0, T: 2, H: 0, K: 0, "not_rated": 1, "undecided": 0})

    def test_minimal_document_has_every_section(self):
        out = self.classify(doc([]))
        self.assertEqual(out["members"], [])
        self.assertEqual(out["leaders"], [])
        self.assertEqual(out["violations"], [])
        self.assert_quota(out, 0, 0, 0, [], [], [])
        self.assertEqual(out["summary"], {X: 0, T: 0, H: 0, K: 0, "not_rated": 0, "undecided": 0})
        self.assertNotIn("collective", out)

    def test_collective_present_when_given(self):
        out = self.classify(doc([], coll=collective()))
        self.assertIn("collective", out)

    def test_members_in_input_order(self):
        out = self.classify(doc([tt("z9"), nr("a1"), ht("m5"), kh("b2")]))
        self.assertEqual([m["id"] for m in out["members"]], ["z9", "a1", "m5", "b2"])

    def test_member_fields(self):
        out = self.classify(doc([tt("s")]))
        self.assertTrue({"id", "status", "ceiling", "voted", "final", "reasons"} <= set(out["members"][0]))

    def test_summary_counts(self):
        # n = 3 (c, t1, v) -> cap 0 -> both candidates c and v demoted to HTTNV
        out = self.classify(doc([xs("c"), tt("t1"), ht("h1"), kh("k1"), kh("k2"), nr("n1"), und("u1"),
                                 voted("v", {X: 20})]))
        self.assert_quota(out, 3, 0, 2, [], ["c", "v"], [])
        self.assertEqual(out["summary"], {X: 0, T: 3, H: 1, K: 2, "not_rated": 1, "undecided": 1})

    def test_output_is_utf8_json_with_vietnamese_messages(self):
        p = run(["classify", write_doc(doc([tt("s")]))])
        self.assertEqual(p.returncode, 0)
        text = p.stdout.decode("utf-8")  # must be valid UTF-8
        msg = json.loads(text)["members"][0]["reasons"][0]["message"]
        self.assert_message(msg, "members[0].reasons[0]")

    def test_messages_nfc_even_when_input_names_are_decomposed(self):
        # messages must be NFC whatever the normalization of the names they quote
        nfd = unicodedata.normalize("NFD", "Đoàn Thanh niên Cộng sản Hồ Chí Minh")
        self.assertFalse(unicodedata.is_normalized("NFC", nfd))
        d = doc([tt("s", name=nfd)],
                leaders=[leader("ld1", name=nfd, heads_collective=True)],
                coll=collective(name=nfd, leadership_rating=X,
                                mass_organizations=[{"name": nfd, "rating": K},
                                                    {"name": nfd + " 2", "rating": H}]))
        out = self.classify(d)  # check_output asserts every message is NFC
        # 1 of 1 member ≥ HTTNV; one organization KHTNV (no C-K2), one HTNV
        self.assert_collective(out, "rated", H, ["C-T5", "C-X5"])
        self.assert_violations(out, [("K-1", "ld1"), ("K-2", "collective")])

    def test_escaped_key_names_are_decoded(self):
        # "\u0069d" is the key "id"
        text = '{"as_of": "2021-11-27", "members": [{"\\u0069d": "s", "exempted": true}]}'
        out = self.classify(text)
        self.assertEqual(out["members"][0]["id"], "s")
        self.assertEqual(out["members"][0]["status"], "not_rated")

    def test_same_input_same_output(self):
        d = doc([voted("c1", {X: 20}), xs("c2")] + fillers(3) + [nr("n")], leaders=[leader("l")],
                coll=collective())
        path = write_doc(d)
        a = run(["classify", path])
        b = run(["classify", path])
        self.assertEqual(a.returncode, 0)
        self.assertEqual(a.stdout, b.stdout)


# ====================================================================== defaults, I/O
class TestDefaultsAndInput(KDTestCase):
    def test_default_ruleset_echoed(self):
        d = doc([tt("s")])
        del d["ruleset"]
        self.assertEqual(self.classify(d)["ruleset"], "kh19-2021")

    def test_default_as_of_is_today(self):
        d = doc([tt("s")], as_of=None)
        before = datetime.date.today().isoformat()
        out = self.classify(d)
        after = datetime.date.today().isoformat()
        self.assertIn(out["as_of"], (before, after))

    def test_default_as_of_used_for_m_nr1(self):
        yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
        out = self.classify(doc([member("s", admitted_on=yesterday)], as_of=None))
        self.assertEqual(out["members"][0]["status"], "not_rated")

    def test_stdin_with_dash(self):
        out = self.classify(doc([tt("s")]), via_stdin=True)
        self.assert_rated(out, "s", T, ["M-X1"])

    def test_stdin_without_file_argument(self):
        p = run(["classify"], stdin=json.dumps(doc([tt("s")])).encode())
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(json.loads(p.stdout)["members"][0]["final"], T)

    def test_ruleset_option_accepted(self):
        out = self.classify(doc([tt("s")]), args=["--ruleset", "kh19-2021"])
        self.assertEqual(out["ruleset"], "kh19-2021")

    def test_ruleset_option_overrides_bogus_document_ruleset(self):
        # classify.md: "--ruleset overrides the document's ruleset, which is then not checked"
        out = self.classify(doc([tt("s")], ruleset="bogus-2099"), args=["--ruleset", "kh19-2021"])
        self.assertEqual(out["ruleset"], "kh19-2021")

    def test_leading_bom_accepted(self):
        out = self.classify(b"\xef\xbb\xbf" + json.dumps(doc([tt("s")])).encode())
        self.assertEqual(out["members"][0]["final"], T)

    def test_trailing_white_space_accepted(self):
        out = self.classify(json.dumps(doc([tt("s")])).encode() + b" \n\t\r\n")
        self.assertEqual(out["members"][0]["final"], T)

    def test_nulls_accepted_where_default_is_null(self):
        d = doc([member("s", admitted_on=None, civil_servant_rating=None)],
                coll=collective(leadership_rating=None))
        self.classify(d)

    def test_member_id_equal_to_leader_id_accepted(self):
        # ids are unique among members and unique among leaders, separately
        self.classify(doc([tt("x1")], leaders=[leader("x1")]))

    def test_member_id_naming_no_member_accepted(self):
        self.classify(doc([], leaders=[leader("l", member_id="nobody")]))

    def test_valid_leap_day_accepted(self):
        self.classify(doc([member("s", admitted_on="2020-02-29")]))

    def test_escaped_unicode_strings_accepted(self):
        text = json.dumps(doc([tt("s", name="Nguyễn Văn Tuấn")]), ensure_ascii=True)
        self.classify(text)

    def test_percent_bounds_accepted(self):
        self.classify(doc([member("a", task_completion_pct=0), member("b", task_completion_pct=100.0),
                           member("c", sick_leave_months=40)],
                          coll=collective(party_building_completion_pct=0)))


# ====================================================================== bad input
def full_doc():
    """A valid document using every kind of field; bad-input tests break one thing."""
    return doc(
        [xs("dv01", name="Nguyễn Thị Hồng Chương", admitted_on="1998-05-19", civil_servant_rating=X),
         tt("dv02", votes={X: 3, T: 20, H: 2, K: 0}, voters=32),
         ht("dv03", degradation_concluded=False, task_completion_pct=100, disciplined=False,
            exempted=False, suspended=False, sick_leave_months=0),
         tt("dv04")],
        leaders=[leader("ld01", name="Nguyễn Thị Hồng Chương", member_id="dv01", heads_collective=True,
                        degradation_concluded=False, unit_corruption_disciplined=False, disciplined=False),
                 leader_httnv("ld02")],
        coll=collective(name="Chi bộ trường THPT Nguyễn Thị Minh Khai", party_building_completion_pct=100,
                        disciplined=False, discipline_self_remedied=False, leadership_rating=T,
                        mass_organizations=[{"name": "Công đoàn", "rating": T},
                                            {"name": "Đoàn Thanh niên", "rating": X}]))


def setpath(d, path, value):
    d = copy.deepcopy(d)
    node = d
    for k in path[:-1]:
        node = node[k]
    if value is OMIT:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return d


def raw(d, marker_path, text):
    """JSON text of d with the value at marker_path replaced by raw `text`."""
    s = json.dumps(setpath(d, marker_path, "@@RAW@@"), ensure_ascii=False)
    assert s.count('"@@RAW@@"') == 1
    return s.replace('"@@RAW@@"', text)


class TestBadInput(KDTestCase):
    def bad_at(self, path, value, where, *contains):
        lines = self.classify_bad(setpath(full_doc(), path, value))
        return self.assert_error_at(lines, where, *contains)

    def test_full_doc_is_valid(self):
        self.classify(full_doc())

    # -- unknown keys, at every level
    def test_unknown_key_top_level(self):
        lines = self.classify_bad(setpath(full_doc(), ["bogus_key"], 1))
        self.assert_error_mentions(lines, "bogus_key")

    def test_unknown_key_member(self):
        self.bad_at(["members", 2, "bogus_key"], True, "members[2]", "bogus_key")

    def test_unknown_key_member_criteria(self):
        self.bad_at(["members", 1, "criteria", "bogus_key"], "T", "members[1].criteria", "bogus_key")

    def test_unknown_rating_in_votes(self):
        self.bad_at(["members", 1, "votes", "XS"], 1, "members[1].votes", "XS")

    def test_unknown_key_leader(self):
        self.bad_at(["leaders", 1, "bogus_key"], 1, "leaders[1]", "bogus_key")

    def test_unknown_key_unit_targets(self):
        self.bad_at(["leaders", 0, "unit_targets", "bogus_key"], 1, "leaders[0].unit_targets", "bogus_key")

    def test_unknown_key_collective(self):
        self.bad_at(["collective", "bogus_key"], 1, "collective", "bogus_key")

    def test_unknown_key_collective_criteria(self):
        self.bad_at(["collective", "criteria", "bogus_key"], "T", "collective.criteria", "bogus_key")

    def test_unknown_key_mass_organization(self):
        self.bad_at(["collective", "mass_organizations", 1, "bogus_key"], 1,
                    "collective.mass_organizations[1]", "bogus_key")

    def test_member_criterion_of_collective_is_unknown(self):
        self.bad_at(["members", 0, "criteria", "khac_phuc"], "T", "members[0].criteria", "khac_phuc")

    # -- repeated keys
    def test_repeated_key_in_member_criteria(self):
        text = raw(full_doc(), ["members", 1, "criteria"],
                   '{"pham_chat": "T", "nhiem_vu": "T", "nhiem_vu": "XS", "cam_ket": "T"}')
        lines = self.classify_bad(text)
        self.assert_error_at(lines, "members[1].criteria", "nhiem_vu")

    def test_repeated_key_with_same_value(self):
        text = raw(full_doc(), ["members", 1, "criteria"],
                   '{"pham_chat": "T", "nhiem_vu": "T", "nhiem_vu": "T", "cam_ket": "T"}')
        self.assert_error_at(self.classify_bad(text), "members[1].criteria", "nhiem_vu")

    def test_repeated_key_top_level(self):
        text = json.dumps(full_doc())[:-1] + ', "as_of": "2021-11-28"}'
        self.assert_error_mentions(self.classify_bad(text), "as_of")

    def test_repeated_key_in_leader(self):
        text = raw(full_doc(), ["leaders", 1, "disciplined"], 'false, "disciplined": true')
        self.assert_error_at(self.classify_bad(text), "leaders[1]", "disciplined")

    # -- wrong types
    def test_wrong_type_member_flag(self):
        self.bad_at(["members", 0, "exemplary"], "yes", "members[0].exemplary")

    def test_wrong_type_members_object(self):
        self.bad_at(["members"], {}, "members")

    def test_wrong_type_member_not_object(self):
        self.bad_at(["members", 1], "dv02", "members[1]")

    def test_wrong_type_voters_string(self):
        self.bad_at(["members", 1, "voters"], "32", "members[1].voters")

    def test_wrong_type_criteria_list(self):
        self.bad_at(["members", 0, "criteria"], ["XS", "XS", "XS"], "members[0].criteria")

    def test_wrong_type_id_number(self):
        self.bad_at(["members", 0, "id"], 1, "members[0].id")

    def test_wrong_type_name_number(self):
        self.bad_at(["members", 0, "name"], 5, "members[0].name")

    def test_wrong_type_percentage_string(self):
        self.bad_at(["members", 2, "task_completion_pct"], "100", "members[2].task_completion_pct")

    def test_wrong_type_as_of_number(self):
        lines = self.classify_bad(setpath(full_doc(), ["as_of"], 20211127))
        self.assert_error_at(lines, "as_of")

    def test_wrong_type_duties_string(self):
        self.bad_at(["leaders", 0, "duties"], "cao", "leaders[0].duties")

    def test_wrong_type_leader_exemplary_bool(self):
        self.bad_at(["leaders", 0, "exemplary"], True, "leaders[0].exemplary")

    def test_wrong_type_collective_array(self):
        self.bad_at(["collective"], [], "collective")

    def test_wrong_type_collective_flag_number(self):
        self.bad_at(["collective", "outstanding"], 1, "collective.outstanding")

    def test_wrong_type_leaders_object(self):
        self.bad_at(["leaders"], {"id": "x"}, "leaders")

    # -- values outside their range
    def test_level_not_a_level(self):
        ln = self.bad_at(["members", 3, "criteria", "nhiem_vu"], "Good", "members[3].criteria.nhiem_vu", "Good")
        self.assertIn("members[3].criteria.nhiem_vu", ln)

    def test_level_lowercase(self):
        self.bad_at(["members", 0, "criteria", "pham_chat"], "xs", "members[0].criteria.pham_chat", "xs")

    def test_level_in_collective(self):
        self.bad_at(["collective", "criteria", "khac_phuc"], "A", "collective.criteria.khac_phuc")

    def test_civil_servant_rating_not_a_rating(self):
        self.bad_at(["members", 0, "civil_servant_rating"], "XS", "members[0].civil_servant_rating", "XS")

    def test_duty_not_an_outcome(self):
        self.bad_at(["leaders", 0, "duties", 1], "tot", "leaders[0].duties[1]", "tot")

    def test_duties_empty(self):
        self.bad_at(["leaders", 0, "duties"], [], "leaders[0].duties")

    def test_leader_exemplary_not_an_option(self):
        self.bad_at(["leaders", 1, "exemplary"], "rat", "leaders[1].exemplary", "rat")

    def test_mass_organization_rating_bad(self):
        self.bad_at(["collective", "mass_organizations", 0, "rating"], "Tốt",
                    "collective.mass_organizations[0].rating")

    def test_leadership_rating_bad(self):
        self.bad_at(["collective", "leadership_rating"], "T", "collective.leadership_rating")

    # -- missing required
    def test_missing_member_id(self):
        self.bad_at(["members", 1, "id"], OMIT, "members[1]", "id")

    def test_missing_member_criteria(self):
        self.bad_at(["members", 1, "criteria"], OMIT, "members[1]", "criteria")

    def test_missing_criterion(self):
        self.bad_at(["members", 2, "criteria", "cam_ket"], OMIT, "members[2].criteria", "cam_ket")

    def test_missing_collective_criterion(self):
        self.bad_at(["collective", "criteria", "khac_phuc"], OMIT, "collective.criteria", "khac_phuc")

    def test_missing_collective_criteria(self):
        self.bad_at(["collective", "criteria"], OMIT, "collective", "criteria")

    def test_missing_leader_id(self):
        self.bad_at(["leaders", 0, "id"], OMIT, "leaders[0]", "id")

    def test_missing_leader_duties(self):
        self.bad_at(["leaders", 0, "duties"], OMIT, "leaders[0]", "duties")

    def test_missing_leader_unit_targets(self):
        self.bad_at(["leaders", 0, "unit_targets"], OMIT, "leaders[0]", "unit_targets")

    def test_missing_unit_target_field(self):
        self.bad_at(["leaders", 0, "unit_targets", "on_time"], OMIT, "leaders[0].unit_targets", "on_time")

    def test_missing_mass_organization_rating(self):
        self.bad_at(["collective", "mass_organizations", 1, "rating"], OMIT,
                    "collective.mass_organizations[1]", "rating")

    def test_missing_mass_organization_name(self):
        self.bad_at(["collective", "mass_organizations", 0, "name"], OMIT,
                    "collective.mass_organizations[0]", "name")

    # -- ids
    def test_duplicate_member_ids(self):
        self.bad_at(["members", 1, "id"], "dv01", "members[1]", "dv01")

    def test_duplicate_leader_ids(self):
        self.bad_at(["leaders", 1, "id"], "ld01", "leaders[1]", "ld01")

    def test_empty_member_id(self):
        self.bad_at(["members", 0, "id"], "", "members[0].id")

    def test_empty_leader_id(self):
        self.bad_at(["leaders", 1, "id"], "", "leaders[1].id")

    # -- dates
    def test_bad_date_february_30(self):
        self.bad_at(["members", 0, "admitted_on"], "2021-02-30", "members[0].admitted_on", "2021-02-30")

    def test_bad_date_february_29_non_leap(self):
        self.bad_at(["members", 0, "admitted_on"], "2021-02-29", "members[0].admitted_on")

    def test_bad_date_not_zero_padded(self):
        self.bad_at(["members", 0, "admitted_on"], "2021-2-3", "members[0].admitted_on", "2021-2-3")

    def test_bad_date_month_13(self):
        self.bad_at(["members", 0, "admitted_on"], "2021-13-01", "members[0].admitted_on")

    def test_bad_date_with_time(self):
        self.bad_at(["members", 0, "admitted_on"], "2021-11-27T00:00:00", "members[0].admitted_on")

    def test_bad_date_dd_mm_yyyy(self):
        self.bad_at(["members", 0, "admitted_on"], "27/11/2021", "members[0].admitted_on")

    def test_bad_as_of(self):
        lines = self.classify_bad(setpath(full_doc(), ["as_of"], "2021-11-31"))
        self.assert_error_at(lines, "as_of", "2021-11-31")

    # -- counts
    def test_voters_not_integer(self):
        self.bad_at(["members", 1, "voters"], 32.5, "members[1].voters")

    def test_votes_not_integer(self):
        self.bad_at(["members", 1, "votes", "HTTNV"], 1.5, "members[1].votes.HTTNV")

    def test_votes_negative(self):
        self.bad_at(["members", 1, "votes", "KHTNV"], -1, "members[1].votes.KHTNV")

    def test_voters_negative(self):
        self.bad_at(["members", 1, "voters"], -32, "members[1].voters")

    def test_voters_zero(self):
        d = setpath(setpath(full_doc(), ["members", 1, "voters"], 0), ["members", 1, "votes"], {})
        self.assert_error_at(self.classify_bad(d), "members[1].voters")

    def test_ballots_more_than_voters(self):
        # 3 + 20 + 2 + 8 = 33 > 32
        self.bad_at(["members", 1, "votes", "KHTNV"], 8, "members[1]")

    def test_votes_without_voters(self):
        self.bad_at(["members", 1, "voters"], OMIT, "members[1]", "voters")

    def test_voters_without_votes(self):
        self.bad_at(["members", 1, "votes"], OMIT, "members[1]", "votes")

    def test_unit_target_not_integer(self):
        self.bad_at(["leaders", 0, "unit_targets", "completed"], 9.5, "leaders[0].unit_targets.completed")

    def test_unit_target_negative(self):
        self.bad_at(["leaders", 0, "unit_targets", "exceeded"], -1, "leaders[0].unit_targets.exceeded")

    def test_unit_targets_completed_above_total(self):
        d = setpath(full_doc(), ["leaders", 0, "unit_targets"],
                    {"total": 10, "completed": 11, "exceeded": 5, "on_time": 8})
        self.assert_error_at(self.classify_bad(d), "leaders[0].unit_targets")

    def test_unit_targets_exceeded_above_completed(self):
        d = setpath(full_doc(), ["leaders", 0, "unit_targets"],
                    {"total": 10, "completed": 6, "exceeded": 7, "on_time": 6})
        self.assert_error_at(self.classify_bad(d), "leaders[0].unit_targets")

    def test_unit_targets_on_time_above_completed(self):
        d = setpath(full_doc(), ["leaders", 0, "unit_targets"],
                    {"total": 10, "completed": 6, "exceeded": 6, "on_time": 7})
        self.assert_error_at(self.classify_bad(d), "leaders[0].unit_targets")

    def test_unit_targets_total_zero(self):
        d = setpath(full_doc(), ["leaders", 0, "unit_targets"],
                    {"total": 0, "completed": 0, "exceeded": 0, "on_time": 0})
        self.assert_error_at(self.classify_bad(d), "leaders[0].unit_targets")

    # -- percentages and months
    def test_percentage_above_100(self):
        self.bad_at(["members", 2, "task_completion_pct"], 100.01, "members[2].task_completion_pct")

    def test_percentage_negative(self):
        self.bad_at(["members", 2, "task_completion_pct"], -1, "members[2].task_completion_pct")

    def test_collective_percentage_above_100(self):
        self.bad_at(["collective", "party_building_completion_pct"], 101,
                    "collective.party_building_completion_pct")

    def test_collective_percentage_negative(self):
        self.bad_at(["collective", "party_building_completion_pct"], -0.5,
                    "collective.party_building_completion_pct")

    def test_sick_leave_negative(self):
        self.bad_at(["members", 2, "sick_leave_months"], -0.1, "members[2].sick_leave_months")

    # -- null
    def test_null_member_flag(self):
        self.bad_at(["members", 0, "exemplary"], None, "members[0].exemplary")

    def test_null_percentage(self):
        self.bad_at(["members", 2, "task_completion_pct"], None, "members[2].task_completion_pct")

    def test_null_level(self):
        self.bad_at(["members", 0, "criteria", "nhiem_vu"], None, "members[0].criteria.nhiem_vu")

    def test_null_leader_flag(self):
        self.bad_at(["leaders", 0, "heads_collective"], None, "leaders[0].heads_collective")

    def test_null_id(self):
        self.bad_at(["members", 0, "id"], None, "members[0].id")

    # -- rule set
    def test_unknown_ruleset_in_document(self):
        lines = self.classify_bad(setpath(full_doc(), ["ruleset"], "kh99-2099"))
        self.assert_error_at(lines, "ruleset", "kh99-2099")

    def test_unknown_ruleset_option(self):
        lines = self.classify_bad(full_doc(), args=["--ruleset", "kh99-2099"])
        self.assert_error_mentions(lines, "kh99-2099")

    # -- the document as a whole
    def test_trailing_garbage(self):
        self.classify_bad(json.dumps(full_doc()) + " x")

    def test_second_document_after_the_first(self):
        self.classify_bad(json.dumps(full_doc()) + "\n{}")

    def test_top_level_array(self):
        self.classify_bad(json.dumps([full_doc()]))

    def test_top_level_scalar(self):
        self.classify_bad(b"42")

    def test_top_level_null(self):
        self.classify_bad(b"null")

    def test_empty_input(self):
        self.classify_bad(b"")

    def test_empty_input_on_stdin(self):
        self.classify_bad(b"", via_stdin=True)

    def test_white_space_only(self):
        self.classify_bad(b" \n\t\n")

    def test_truncated_input(self):
        data = json.dumps(full_doc(), ensure_ascii=False).encode("utf-8")
        self.classify_bad(data[:len(data) // 2])

    def test_truncated_after_last_member(self):
        data = json.dumps(full_doc()).encode()
        self.classify_bad(data[:-1])

    def test_non_utf8_byte_in_string(self):
        data = json.dumps(setpath(full_doc(), ["members", 0, "name"], "@@NAME@@")).encode()
        self.classify_bad(data.replace(b"@@NAME@@", b"Nguy\xff"))

    def test_latin1_encoded_document(self):
        data = json.dumps(setpath(full_doc(), ["members", 0, "name"], "Lê Ngọc"), ensure_ascii=False)
        self.classify_bad(data.encode("utf-8").replace("ê".encode("utf-8"), b"\xea"))

    def test_bom_then_garbage(self):
        self.classify_bad(b"\xef\xbb\xbf[]")

    def test_deep_nesting_under_unknown_key(self):
        text = raw(full_doc(), ["bogus_key"], "[" * 100000 + "]" * 100000)
        self.classify_bad(text)

    def test_deep_nesting_under_known_key(self):
        text = raw(full_doc(), ["members"], "[" * 100000 + "]" * 100000)
        self.classify_bad(text)

    def test_deep_nesting_of_objects(self):
        text = raw(full_doc(), ["collective", "criteria"], '{"a":' * 100000 + "1" + "}" * 100000)
        self.classify_bad(text)

    def test_deep_nesting_unclosed(self):
        self.classify_bad(b'{"members": ' + b"[" * 100000)

    def test_missing_file(self):
        p = run(["classify", "/nonexistent-dir/kiemdiem-no-such-file.json"])
        self.assertEqual(p.returncode, 2)
        self.assertEqual(p.stdout, b"")
        self.assertTrue(p.stderr.strip())

    def test_unknown_option(self):
        p = run(["classify", "--no-such-option", write_doc(full_doc())])
        self.assertEqual(p.returncode, 2)
        self.assertEqual(p.stdout, b"")
        self.assertTrue(p.stderr.strip())

    def test_multiple_problems_multiple_lines(self):
        d = setpath(full_doc(), ["members", 3, "criteria", "nhiem_vu"], "Good")
        d = setpath(d, ["members", 1, "voters"], 0)
        d = setpath(d, ["leaders", 1, "unit_targets", "total"], 0)
        lines = self.classify_bad(d)
        self.assertGreaterEqual(len(lines), 3, lines)
        self.assert_error_at(lines, "members[3].criteria.nhiem_vu", "Good")
        self.assert_error_at(lines, "members[1]")
        self.assert_error_at(lines, "leaders[1].unit_targets")

    # "one line per problem": a single problem gives a single line
    def test_one_problem_one_line(self):
        lines = self.classify_bad(setpath(full_doc(), ["members", 3, "criteria", "nhiem_vu"], "Good"))
        self.assertEqual(len(lines), 1, lines)

    def test_one_unknown_key_one_line(self):
        lines = self.classify_bad(setpath(full_doc(), ["leaders", 1, "bogus_key"], 1))
        self.assertEqual(len(lines), 1, lines)

    def test_not_rated_member_with_bad_field_not_blamed_for_criteria(self):
        # classify.md: a member who is not rated "may give some criteria, none, or leave
        # criteria out" — so the only problem here is the name
        lines = self.classify_bad(doc([{"id": "s", "exempted": True, "name": 5}]))
        self.assert_error_at(lines, "members[0].name")
        self.assertEqual(len(lines), 1, lines)

    def test_newly_admitted_member_with_unknown_key_not_blamed_for_criteria(self):
        lines = self.classify_bad(doc([{"id": "s", "admitted_on": "2021-10-01", "bogus_key": 1}]))
        self.assert_error_at(lines, "members[0]", "bogus_key")
        self.assertEqual(len(lines), 1, lines)

    def test_not_rated_member_bad_level_not_blamed_for_other_criteria(self):
        lines = self.classify_bad(doc([{"id": "s", "suspended": True, "criteria": {"nhiem_vu": "Good"}}]))
        self.assert_error_at(lines, "members[0].criteria.nhiem_vu", "Good")
        self.assertEqual(len(lines), 1, lines)

    def test_multiple_unknown_keys_multiple_lines(self):
        d = setpath(full_doc(), ["members", 0, "foo_key"], 1)
        d = setpath(d, ["leaders", 0, "bar_key"], 1)
        lines = self.classify_bad(d)
        self.assertGreaterEqual(len(lines), 2, lines)
        self.assert_error_at(lines, "members[0]", "foo_key")
        self.assert_error_at(lines, "leaders[0]", "bar_key")


# ====================================================================== large
@unittest.skipIf(os.environ.get("KD_SKIP_LARGE") == "1", "KD_SKIP_LARGE=1")
class TestLargeDocument(KDTestCase):
    N = 300000

    def test_large_document(self):
        # A repeating block of 10 members: 1 HTXSNV, 5 HTTNV (one with ballots), 2 HTNV,
        # 1 KHTNV, 1 not_rated. n = 180000, cap 36000 >= 30000 candidates: all kept.
        pad = "Nguyễn Thị Hồng Chương Trường THPT Nguyễn Thị Minh Khai"
        base = ('{"id":"dv%%d","name":"%s %%d","admitted_on":"2001-01-15","civil_servant_rating":%s,'
                '"criteria":{"pham_chat":"%s","nhiem_vu":"%s","cam_ket":"%s"},"exemplary":%s,'
                '"degradation_concluded":false,"task_completion_pct":%s,"disciplined":%s,'
                '"exempted":%s,"suspended":false,"sick_leave_months":0.5%s}')
        kinds = [
            base % (pad, '"HTXSNV"', "XS", "XS", "T", "true", "100", "false", "false", ""),
            base % (pad, '"HTTNV"', "T", "XS", "T", "true", "95.5", "false", "false", ""),
            base % (pad, 'null', "XS", "T", "XS", "true", "100", "false", "false",
                    ',"votes":{"HTXSNV":3,"HTTNV":20,"HTNV":2},"voters":32'),
            base % (pad, 'null', "T", "T", "T", "false", "100", "false", "false", ""),
            base % (pad, '"HTXSNV"', "XS", "XS", "XS", "false", "100", "false", "false", ""),
            base % (pad, 'null', "T", "XS", "XS", "false", "80", "false", "false", ""),
            base % (pad, 'null', "T", "TB", "T", "true", "100", "false", "false", ""),
            base % (pad, '"HTNV"', "XS", "XS", "XS", "true", "100", "false", "false", ""),
            base % (pad, 'null', "T", "T", "T", "true", "100", "true", "false", ""),
            base % (pad, 'null', "T", "T", "T", "true", "100", "false", "true", ""),
        ]
        path = write_doc(b"", "large.json")
        t0 = time.time()
        with open(path, "w", encoding="utf-8") as f:
            f.write('{"ruleset":"kh19-2021","as_of":"2021-11-27","members":[\n')
            chunk = []
            for i in range(self.N):
                chunk.append(kinds[i % 10] % (i, i))
                if len(chunk) == 10000:
                    f.write(",\n".join(chunk))
                    chunk = []
                    if i + 1 < self.N:
                        f.write(",\n")
            if chunk:
                f.write(",\n".join(chunk))
            f.write('\n],"collective":{"criteria":{%s},"outstanding":true}}\n'
                    % ",".join('"%s":"XS"' % c for c in COLLECTIVE_CRITERIA))
        size = os.path.getsize(path)
        self.assertGreater(size, 90 * 1000 * 1000, "generator should write about 100 MB")
        p = run(["classify", path], timeout=600)
        os.remove(path)
        self.assertEqual(p.returncode, 0, p.stderr[:2000])
        out = json.loads(p.stdout)
        self.assertEqual(len(out["members"]), self.N)
        s = out["summary"]
        self.assertEqual(sum(s.values()), self.N)
        b = self.N // 10
        self.assertEqual(s, {X: b, T: 5 * b, H: 2 * b, K: b, "not_rated": b, "undecided": 0})
        q = out["quota"]
        self.assertEqual((q["base"], q["cap"], q["candidates"]), (6 * b, 6 * b // 5, b))
        self.assertEqual(len(q["kept"]), b)
        self.assertEqual(q["demoted"], [])
        self.assertEqual(q["undecided"], [])
        # 30000 KHTNV of 270000 rated (11%): no C-K4, but C-T3 fails; 2/3 ≥ HTTNV: C-X4 fails
        c = out["collective"]
        self.assertEqual((c["status"], c["ceiling"], c["final"], self.clauses(c)),
                         ("rated", H, H, ["C-T3", "C-X4"]))
        self.assertEqual(out["members"][12]["id"], "dv12")
        self.assertEqual(out["members"][12]["voted"], T)
        self.assertLess(time.time() - t0, 600)


if __name__ == "__main__":
    unittest.main()
