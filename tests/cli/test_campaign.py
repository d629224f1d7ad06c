"""End-to-end tests of the campaign and what is recorded for it: `campaign`,
`milestone`, `review`, `residence`, `fact`, `leader` and `report`.

Each test works on a fresh database made by `kiemdiem init`. People are
added with `kiemdiem member add` when the binary has it; otherwise they are
inserted with Python's sqlite3 module, which `audit verify` rightly reports
as a change made outside kiemdiem, so the audit check is then skipped.
"""

import datetime
import json
import os
import subprocess
import unittest

import kdtest
from kdtest import binary, run, tmpfile

MEMBER_CRITERIA = ["pham_chat", "nhiem_vu", "cam_ket"]
COLLECTIVE_CRITERIA = ["chinh_tri_tu_tuong", "to_chuc_can_bo", "lanh_dao_doan_the",
                       "kiem_tra_giam_sat", "ke_hoach_nam", "chi_tieu_nhiem_vu",
                       "xep_loai_doan_the", "khac_phuc"]
PEOPLE = [("dv01", "Nguyễn Thị Hồng Chương", "bi_thu"),
          ("dv07", "Trần Văn Bảy", None),
          ("dv08", "Lê Thị Tám", None)]
MASS_ORGS = ["Công đoàn", "Đoàn Thanh niên"]


def has_command(name):
    return run([name, "--help"]).returncode == 0


class CampaignTestCase(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        self.db = tmpfile("campaign.db")
        self.ok("init", "--cell", "Chi bộ Trường THPT Thử")
        self.audited = self.add_people()

    # -- running
    def kd(self, *args, stdin=None):
        return run(list(args) + ["--db", self.db], stdin=stdin)

    def ok(self, *args):
        p = self.kd(*args)
        err = p.stderr.decode("utf-8", "replace")
        self.assertEqual(p.returncode, 0, "kiemdiem %s: exit %d\n%s" % (" ".join(args), p.returncode, err))
        return p.stdout.decode("utf-8")

    def bad(self, *args, code=None):
        """A command that must fail: non-zero exit (`code` when given), one
        line per problem on stderr in the "WHERE: what; expected what" form.
        Returns the stderr lines."""
        p = self.kd(*args)
        err = p.stderr.decode("utf-8")
        self.assertNotEqual(p.returncode, 0, "kiemdiem %s should fail; stdout:\n%s"
                            % (" ".join(args), p.stdout.decode("utf-8", "replace")))
        if code is not None:
            self.assertEqual(p.returncode, code, err)
        lines = err.splitlines()
        self.assertTrue(lines, "a failing command says why on stderr")
        for ln in lines:
            self.assertIn("; expected", ln, "every problem line says what was expected: %r" % ln)
            self.assertNotIn("AddressSanitizer", ln)
        return lines

    def assert_line(self, lines, *contains):
        for ln in lines:
            if all(c in ln for c in contains):
                return ln
        self.fail("no line contains %r:\n%s" % (contains, "\n".join(lines)))

    # -- the database, read directly
    def query(self, sql, *params):
        con = kdtest.connect(self.db)
        try:
            return con.execute(sql, params).fetchall()
        finally:
            con.close()

    def audit_entries(self):
        return self.query("SELECT count(*) FROM audit_log")[0][0]

    def fact_value(self, subject, code, key):
        rows = self.query("SELECT f.value FROM fact f LEFT JOIN person p ON p.id = f.person_id"
                          " WHERE f.subject = ? AND coalesce(p.code, '') = ? AND f.key = ?",
                          subject, code or "", key)
        return json.loads(rows[0][0]) if rows else None

    def assert_audit_intact(self):
        if self.audited:
            out = self.ok("audit", "verify")
            self.assertIn("intact", out)

    # -- setting up
    def add_people(self):
        """True when the people were added through kiemdiem (audited)."""
        if has_command("member"):
            for code, name, role in PEOPLE:
                args = ["member", "add", code, "--name", name]
                if role:
                    args += ["--committee", role]
                self.ok(*args)
            return True
        # No roster commands in this binary: insert the rows directly.
        con = kdtest.connect(self.db)
        try:
            cell = con.execute("SELECT id FROM org WHERE kind = 'cell'").fetchone()[0]
            for code, name, role in PEOPLE:
                con.execute("INSERT INTO person (code, full_name, given_name, cell_id, committee_role)"
                            " VALUES (?, ?, ?, ?, ?)", (code, name, name.split()[-1], cell, role))
            con.commit()
        finally:
            con.close()
        return False

    def add_mass_orgs(self):
        if has_command("massorg"):
            for name in MASS_ORGS:
                self.ok("massorg", "add", name)
            return
        con = kdtest.connect(self.db)
        try:
            cell = con.execute("SELECT id FROM org WHERE kind = 'cell'").fetchone()[0]
            for name in MASS_ORGS:
                con.execute("INSERT INTO mass_org (cell_id, name) VALUES (?, ?)", (cell, name))
            con.commit()
        finally:
            con.close()
        self.audited = False

    def create_campaign(self, year="2021"):
        return self.ok("campaign", "create", "--year", year, "--as-of", "%s-11-27" % year,
                       "--title", "Kiểm điểm, đánh giá, xếp loại chất lượng năm %s" % year,
                       "--number", "19-KH/CBMK", "--place", "TP. Hồ Chí Minh")

    def write(self, text, name="text.txt"):
        path = tmpfile(name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path


class TestCampaign(CampaignTestCase):
    def test_create_show_list(self):
        out = self.create_campaign()
        self.assertIn("2021", out)
        show = self.ok("campaign", "show")
        for s in ("2021", "kh19-2021", "27/11/2021", "19-KH/CBMK", "TP. Hồ Chí Minh",
                  "Kiểm điểm, đánh giá, xếp loại chất lượng năm 2021"):
            self.assertIn(s, show)
        # the deadline 3 working days before Saturday 27/11/2021: Wednesday 24/11
        self.assertIn("24/11/2021", show)
        self.create_campaign("2022")
        lines = self.ok("campaign", "list").splitlines()
        self.assertEqual([ln.split()[0] for ln in lines], ["2022", "2021"], "newest first")
        self.assertIn("2021", self.ok("campaign", "show", "--year", "2021").splitlines()[0])
        self.assertIn("2022", self.ok("campaign", "show").splitlines()[0], "the latest by default")
        self.assert_audit_intact()

    def test_create_errors(self):
        self.create_campaign()
        before = self.audit_entries()
        self.assert_line(self.bad("campaign", "create", "--year", "2021", "--as-of", "2021-11-27", code=1),
                         "2021", "already")
        self.assert_line(self.bad("campaign", "create", "--year", "2023", code=2), "--as-of", "missing")
        self.assert_line(self.bad("campaign", "create", "--as-of", "2023-11-27", code=2), "--year", "missing")
        self.assert_line(self.bad("campaign", "create", "--year", "2023", "--as-of", "2023-02-30", code=2),
                         "--as-of", "2023-02-30")
        self.assert_line(self.bad("campaign", "create", "--year", "2023", "--as-of", "2019-11-27", code=2),
                         "as_of", "2019-11-27")
        self.assert_line(self.bad("campaign", "create", "--year", "2023", "--as-of", "2023-11-27",
                                  "--ruleset", "nope"), "nope", "rule set")
        self.assertEqual(self.audit_entries(), before, "failed commands write nothing")
        self.assertEqual(self.query("SELECT count(*) FROM campaign")[0][0], 1)

    def test_no_campaign(self):
        self.assert_line(self.bad("review", "list"), "no campaign")
        self.assertIn("Chưa có", self.ok("campaign", "list"))

    def test_set(self):
        self.create_campaign()
        self.ok("campaign", "set", "--as-of", "2021-11-26", "--title", "Tiêu đề mới")
        show = self.ok("campaign", "show")
        self.assertIn("Tiêu đề mới", show)
        self.assertIn("26/11/2021", show)
        self.assert_line(self.bad("campaign", "set", "--ruleset", "kh19-2021", code=2), "--ruleset")
        self.assert_audit_intact()


class TestMilestone(CampaignTestCase):
    def test_timeline_relative_to_today(self):
        self.create_campaign()
        today = datetime.date.today()
        d = lambda days: (today + datetime.timedelta(days=days)).isoformat()
        self.ok("milestone", "add", "ke_hoach", "--title", "Xây dựng kế hoạch", "--from", d(-30), "--to", d(-20))
        self.ok("milestone", "add", "hop_to", "--title", "Tổ đảng kiểm điểm", "--from", d(-1), "--to", d(2))
        self.ok("milestone", "add", "chi_bo", "--title", "Chi bộ kiểm điểm", "--to", d(10))
        lines = self.ok("milestone", "list").splitlines()
        self.assert_line(lines, "ke_hoach", "Xây dựng kế hoạch", "đã qua")
        self.assert_line(lines, "hop_to", "đang diễn ra", "còn 2 ngày")
        self.assert_line(lines, "chi_bo", "sắp tới", "còn 10 ngày")
        codes = [c for ln in lines for c in ("ke_hoach", "hop_to", "chi_bo") if c in ln]
        self.assertEqual(codes, ["ke_hoach", "hop_to", "chi_bo"], "in date order")
        self.assertIn("Chi bộ kiểm điểm", self.ok("campaign", "show"))
        self.assert_audit_intact()

    def test_errors_set_remove(self):
        self.create_campaign()
        self.ok("milestone", "add", "ke_hoach", "--title", "Xây dựng kế hoạch", "--from", "2021-10-25",
                "--to", "2021-11-01")
        before = self.audit_entries()
        self.assert_line(self.bad("milestone", "add", "ke_hoach", "--title", "X", "--to", "2021-11-02", code=1),
                         "ke_hoach", "already")
        self.assert_line(self.bad("milestone", "add", "sai", "--title", "X", "--from", "2021-12-01",
                                  "--to", "2021-11-01", code=2), "sai", "from <= to")
        self.assert_line(self.bad("milestone", "add", "x y", "--title", "X", "--to", "2021-11-01", code=2),
                         "x y", "not a code")
        self.assert_line(self.bad("milestone", "add", "thieu", "--title", "X", code=2), "--to", "missing")
        self.assert_line(self.bad("milestone", "set", "nope", "--title", "X", code=1), "nope")
        self.assert_line(self.bad("milestone", "set", "ke_hoach", "--to", "2021-10-01", code=2), "from <= to")
        self.assertEqual(self.audit_entries(), before)
        self.ok("milestone", "set", "ke_hoach", "--title", "Xây dựng và ban hành kế hoạch", "--to", "2021-11-02")
        self.assert_line(self.ok("milestone", "list").splitlines(), "02/11/2021",
                         "Xây dựng và ban hành kế hoạch")
        self.ok("milestone", "remove", "ke_hoach")
        self.assertNotIn("ke_hoach", self.ok("milestone", "list"))
        self.assert_audit_intact()


class TestReview(CampaignTestCase):
    def setUp(self):
        super().setUp()
        self.create_campaign()

    def test_draft_submit_lock_reopen(self):
        text = self.write("Hoàn thành tốt nhiệm vụ giảng dạy.\nTích cực tham gia phong trào.\n\n")
        out = self.ok("review", "set", "dv07", "--level", "pham_chat=XS", "--level=nhiem_vu=T",
                      "--self-rating", "HTTNV", "--section", "han_che=Có lúc chưa chủ động",
                      "--section-file", "uu_diem=%s" % text)
        self.assertIn("2/3", out)
        self.assertIn("bản nháp", out)
        show = self.ok("review", "show", "dv07")
        for s in ("Trần Văn Bảy", "bản nháp", "XS", "Hoàn thành tốt nhiệm vụ giảng dạy.",
                  "Tích cực tham gia phong trào.", "Có lúc chưa chủ động", "Hoàn thành tốt nhiệm vụ",
                  "I. Ưu điểm", "VII. Tự nhận mức xếp loại"):
            self.assertIn(s, show)
        self.assertEqual(self.query("SELECT body FROM review_section WHERE section = 'uu_diem'")[0][0],
                         "Hoàn thành tốt nhiệm vụ giảng dạy.\nTích cực tham gia phong trào.",
                         "a file's trailing blank lines are dropped")

        # submitting needs every criterion and the self-rating
        lines = self.bad("review", "submit", "dv07", "--on", "2021-11-10", code=2)
        self.assert_line(lines, "dv07", "cam_ket", "no level")
        self.ok("review", "set", "dv07", "--level", "cam_ket=T")
        self.assert_line(self.bad("review", "submit", "dv07", "--on", "2999-01-01", code=2), "--on", "after today")
        out = self.ok("review", "submit", "dv07", "--on", "2021-11-10")
        self.assertIn("10/11/2021", out)
        self.assertIn("đúng hạn", out)
        self.assertEqual(self.query("SELECT status, submitted_on FROM review")[0], ("submitted", "2021-11-10"))

        # locked
        before = self.audit_entries()
        lines = self.bad("review", "set", "dv07", "--level", "cam_ket=XS", code=1)
        self.assert_line(lines, "dv07", "submitted on 10/11/2021", "locked", "reopen")
        self.bad("review", "set", "dv07", "--section", "han_che=", code=1)
        self.bad("review", "submit", "dv07", "--on", "2021-11-11", code=1)
        self.assertEqual(self.audit_entries(), before)
        self.assertEqual(self.query("SELECT level FROM review_level WHERE criterion = 'cam_ket'")[0][0], "T")

        # only the committee reopens, with a reason
        self.assert_line(self.bad("review", "reopen", "dv07", "--by", "dv01", code=2), "--reason", "missing")
        self.assert_line(self.bad("review", "reopen", "dv07", "--reason", "Bổ sung", "--by", "dv08", code=1),
                         "dv08", "committee")
        self.assertEqual(self.audit_entries(), before)
        self.ok("review", "reopen", "dv07", "--reason", "Bổ sung phần khắc phục", "--by", "dv01")
        self.assertEqual(self.audit_entries(), before + 1)
        action = self.query("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1")[0][0]
        self.assertIn("dv01", action)
        self.assertIn("Bổ sung phần khắc phục", action)
        show = self.ok("review", "show", "dv07")
        self.assertIn("Bổ sung phần khắc phục", show)
        self.assertIn("bản nháp", show)
        self.ok("review", "set", "dv07", "--level", "cam_ket=XS", "--section", "han_che=")
        self.assertEqual(self.query("SELECT count(*) FROM review_section WHERE section = 'han_che'")[0][0], 0,
                         "an empty text removes the section")
        self.bad("review", "reopen", "dv07", "--reason", "x", "--by", "dv01", code=1)   # a draft already
        self.ok("review", "submit", "dv07", "--on", "2021-11-26")
        self.assertIn("nộp muộn", self.ok("review", "show", "dv07"))
        self.assert_audit_intact()

    def test_reopen_by_actor(self):
        self.ok("review", "set", "dv07", *sum((["--level", "%s=T" % c] for c in MEMBER_CRITERIA), []),
                "--self-rating", "HTTNV")
        self.ok("review", "submit", "dv07", "--on", "2021-11-10")
        args = ["review", "reopen", "dv07", "--reason", "Sửa lỗi chính tả", "--db", self.db]
        env = {k: v for k, v in os.environ.items() if k != "KIEMDIEM_ACTOR"}
        p = subprocess.run([binary()] + args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=60)
        self.assertEqual(p.returncode, 2, "without --by nor KIEMDIEM_ACTOR, who reopens is unknown")
        self.assertIn("--by", p.stderr.decode("utf-8"))
        env["KIEMDIEM_ACTOR"] = "dv01"
        p = subprocess.run([binary()] + args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr.decode("utf-8", "replace"))
        self.assertEqual(self.query("SELECT status, reopen_reason FROM review")[0], ("draft", "Sửa lỗi chính tả"))
        self.assert_audit_intact()

    def test_validation_reports_every_problem_and_writes_nothing(self):
        before = self.audit_entries()
        lines = self.bad("review", "set", "dv07", "--level", "pham_chat=XS", "--level", "dao_duc=T",
                         "--level", "nhiem_vu=Good", "--section", "ket_luan=...",
                         "--section", "lanh_dao_quan_ly=Quản lý tổ chuyên môn", code=2)
        self.assert_line(lines, "dao_duc", "not a criterion", "pham_chat, nhiem_vu, cam_ket")
        self.assert_line(lines, "nhiem_vu", "Good", "not a level", "K, TB, T, XS")
        self.assert_line(lines, "ket_luan", "not a section", "uu_diem")
        self.assert_line(lines, "lanh_dao_quan_ly", "leader")
        self.assertEqual(len(lines), 4)
        self.assertEqual(self.audit_entries(), before)
        self.assertEqual(self.query("SELECT count(*) FROM review")[0][0], 0, "pham_chat=XS was not written either")
        self.assert_line(self.bad("review", "set", "dv07", "--self-rating", "TOT", code=2), "--self-rating", "TOT")
        self.assert_line(self.bad("review", "set", "dv07", "--level", "pham_chat", code=2), "pham_chat",
                         "KEY=VALUE")
        self.assert_line(self.bad("review", "set", "dv07", "--level", "pham_chat=T", "--level", "pham_chat=XS",
                                  code=2), "pham_chat", "twice")
        self.assert_line(self.bad("review", "set", "dv99", "--level", "pham_chat=T", code=1), "dv99")
        self.assert_line(self.bad("review", "set", "dv07", "--section-file", "uu_diem=/nonexistent/x.txt"),
                         "/nonexistent/x.txt")
        self.assert_line(self.bad("review", "submit", "dv08", code=1), "dv08", "no review")
        self.assertEqual(self.audit_entries(), before)

    def test_list(self):
        self.ok("review", "set", "dv07", *sum((["--level", "%s=T" % c] for c in MEMBER_CRITERIA), []),
                "--self-rating", "HTTNV")
        self.ok("review", "submit", "dv07", "--on", "2021-11-10")
        self.ok("review", "set", "dv08", "--level", "pham_chat=TB")
        lines = self.ok("review", "list").splitlines()
        self.assert_line(lines, "dv07", "đã nộp 10/11/2021", "3/3", "HTTNV")
        self.assert_line(lines, "dv08", "bản nháp", "1/3")
        self.assert_line(lines, "dv01", "chưa có", "0/3")
        people = [c for ln in lines for c in ("dv01", "dv07", "dv08") if ln.strip().startswith(c)]
        self.assertEqual(people, ["dv07", "dv01", "dv08"], "Vietnamese order of given names: Bảy, Chương, Tám")
        self.assertIn("đã nộp 1", lines[-1])
        show = self.ok("campaign", "show")
        self.assertIn("1 đã nộp, 1 bản nháp", show)
        self.assert_audit_intact()

    def test_leader_section(self):
        self.ok("leader", "set", "dv01", "--title", "Bí thư chi bộ, Hiệu trưởng", "--heads")
        self.ok("review", "set", "dv01", "--section", "lanh_dao_quan_ly=Lãnh đạo nhà trường hoàn thành kế hoạch")
        show = self.ok("review", "show", "dv01")
        self.assertIn("Lãnh đạo nhà trường hoàn thành kế hoạch", show)
        self.assertIn("cán bộ lãnh đạo, quản lý", show)
        self.assert_audit_intact()


class TestResidence(CampaignTestCase):
    def test_set_list(self):
        self.create_campaign()
        self.ok("residence", "set", "dv07", "--on", "2021-11-05", "--summary", "Gương mẫu ở nơi cư trú")
        self.ok("residence", "set", "dv08", "--summary", "Chưa tham gia sinh hoạt khu phố")
        self.assert_line(self.bad("residence", "set", "dv01", code=2), "nothing to record")
        self.assert_line(self.bad("residence", "set", "dv01", "--on", "2999-01-01", code=2), "after today")
        lines = self.ok("residence", "list").splitlines()
        self.assert_line(lines, "dv07", "đã nhận 05/11/2021", "Gương mẫu ở nơi cư trú")
        self.assert_line(lines, "dv08", "chưa nhận", "Chưa tham gia sinh hoạt khu phố")
        self.assert_line(lines, "dv01", "chưa nhận")
        self.assertIn("1/3", lines[-1])
        self.ok("residence", "set", "dv08", "--received")
        self.assertEqual(self.query("SELECT received, received_on IS NOT NULL, summary FROM residence_comment"
                                    " WHERE person_id = (SELECT id FROM person WHERE code = 'dv08')")[0],
                         (1, 1, "Chưa tham gia sinh hoạt khu phố"))
        self.assertIn("đã nhận ngày 05/11/2021", self.ok("review", "show", "dv07"))
        self.assert_audit_intact()


class TestFact(CampaignTestCase):
    def setUp(self):
        super().setUp()
        self.create_campaign()

    def test_member_facts_are_json_literals(self):
        self.ok("fact", "set", "dv07", "civil_servant_rating=HTTNV", "task_completion_pct=95.5", "exemplary=co",
                "disciplined=false", "sick_leave_months=2", "admitted_on=2021-06-01")
        self.assertEqual(self.fact_value("member", "dv07", "civil_servant_rating"), "HTTNV")
        self.assertEqual(self.fact_value("member", "dv07", "task_completion_pct"), 95.5)
        self.assertIs(self.fact_value("member", "dv07", "exemplary"), True)
        self.assertIs(self.fact_value("member", "dv07", "disciplined"), False)
        self.assertEqual(self.fact_value("member", "dv07", "sick_leave_months"), 2)
        self.assertEqual(self.fact_value("member", "dv07", "admitted_on"), "2021-06-01")
        self.ok("fact", "set", "dv07", "exemplary=khong", "civil_servant_rating=null")
        self.assertIs(self.fact_value("member", "dv07", "exemplary"), False)
        self.assertIsNone(self.fact_value("member", "dv07", "civil_servant_rating"))
        self.assertEqual(self.query("SELECT count(*) FROM fact WHERE key = 'exemplary'")[0][0], 1, "updated in place")
        out = self.ok("fact", "list", "dv07")
        self.assertIn("task_completion_pct = 95.5", out)
        self.assertIn("exemplary = không", out)
        self.ok("fact", "unset", "dv07", "exemplary")
        self.assertIsNone(self.fact_value("member", "dv07", "exemplary"))
        self.assert_audit_intact()

    def test_civil_servant_rating_in_review(self):
        self.ok("fact", "set", "dv07", "civil_servant_rating=HTXSNV")
        self.assertIn("Xếp loại cán bộ, công chức, viên chức: HTXSNV", self.ok("review", "show", "dv07"))

    def test_errors(self):
        before = self.audit_entries()
        lines = self.bad("fact", "set", "dv07", "task_completion_pct=120", "exemplary=maybe", "colour=red",
                         "civil_servant_rating=Good", "sick_leave_months=abc", "admitted_on=2021-02-30",
                         "exempted=null", code=2)
        self.assert_line(lines, "dv07", "task_completion_pct", "120", "out of range", "from 0 to 100")
        self.assert_line(lines, "dv07", "exemplary", "maybe", "true or false")
        self.assert_line(lines, "dv07", "colour", "not a fact", "civil_servant_rating")
        self.assert_line(lines, "dv07", "civil_servant_rating", "Good", "HTTNV")
        self.assert_line(lines, "dv07", "sick_leave_months", "abc", "not a number")
        self.assert_line(lines, "dv07", "admitted_on", "2021-02-30", "YYYY-MM-DD")
        self.assert_line(lines, "dv07", "exempted", "null")
        self.assertEqual(len(lines), 7)
        self.assert_line(self.bad("fact", "set", "dv07", "exemplary", code=2), "exemplary", "KEY=VALUE")
        self.assert_line(self.bad("fact", "set", "dv07", code=2), "nothing to record")
        self.assert_line(self.bad("fact", "set", "dv99", "exemplary=true", code=1), "dv99")
        self.assert_line(self.bad("fact", "set", "dv07", "--leader", "duties=cao", code=2), "dv07", "leader set")
        self.assert_line(self.bad("fact", "set", "collective", "exemplary=true", code=2), "exemplary",
                         "outstanding")
        self.assertEqual(self.audit_entries(), before)

    def test_one_transaction(self):
        self.ok("fact", "set", "dv07", "task_completion_pct=80")
        before = self.audit_entries()
        # a valid value beside a bad one: nothing is written
        self.bad("fact", "set", "dv07", "task_completion_pct=90", "exemplary=true", "disciplined=perhaps")
        self.assertEqual(self.fact_value("member", "dv07", "task_completion_pct"), 80)
        self.assertIsNone(self.fact_value("member", "dv07", "exemplary"))
        self.assertEqual(self.audit_entries(), before)
        # a command with several values is one audit entry
        self.ok("fact", "set", "dv07", "task_completion_pct=90", "exemplary=true", "disciplined=false")
        self.assertEqual(self.audit_entries(), before + 1)
        changes = self.query("SELECT table_name FROM audit_row WHERE entry = (SELECT max(seq) FROM audit_log)")
        self.assertEqual(len(changes), 3)
        self.assertEqual({c[0] for c in changes}, {"fact"})
        # setting the same values again changes nothing and logs nothing
        self.ok("fact", "set", "dv07", "task_completion_pct=90")
        self.assertEqual(self.audit_entries(), before + 1)
        self.assert_audit_intact()

    def test_leader_facts(self):
        self.ok("leader", "set", "dv01", "--title", "Bí thư chi bộ, Hiệu trưởng", "--heads")
        self.ok("fact", "set", "dv01", "--leader", "duties=cao, cao,dat", "exemplary=thuc_su",
                "unit_targets.total=20", "unit_targets.completed=18", "initiative_applied=true")
        self.assertEqual(self.fact_value("leader", "dv01", "duties"), ["cao", "cao", "dat"])
        self.assertEqual(self.fact_value("leader", "dv01", "exemplary"), "thuc_su")
        self.assertEqual(self.fact_value("leader", "dv01", "unit_targets.total"), 20)
        self.assertIsNone(self.fact_value("member", "dv01", "exemplary"), "leader facts are not member facts")
        lines = self.bad("fact", "set", "dv01", "--leader", "unit_targets.exceeded=19", "exemplary=yes",
                         "duties=cao,tot", "unit_targets.total=2.5", code=2)
        self.assert_line(lines, "unit_targets.exceeded", "more than unit_targets.completed (18)")
        self.assert_line(lines, "exemplary", "khong, co, thuc_su")
        self.assert_line(lines, "duties", "cao,tot", "khong, thap, dat, cao")
        self.assert_line(lines, "unit_targets.total", "2.5", "whole number")
        self.assert_line(self.bad("fact", "set", "dv01", "--leader", "unit_targets.total=10", code=2),
                         "unit_targets.completed is 18", "more than unit_targets.total (10)")
        self.ok("fact", "set", "dv01", "--leader", "unit_targets.total=18", "unit_targets.exceeded=5",
                "unit_targets.on_time=18")
        out = self.ok("leader", "list")
        self.assertIn("Bí thư chi bộ, Hiệu trưởng", out)
        self.assertIn("người đứng đầu", out)
        self.assertNotIn("còn thiếu", out)
        self.assert_audit_intact()

    def test_collective_and_mass_orgs(self):
        self.ok("fact", "set", "collective", "outstanding=khong", "party_building_completion_pct=100",
                "leadership_rating=HTTNV")
        self.assertIs(self.fact_value("collective", None, "outstanding"), False)
        self.assertEqual(self.fact_value("collective", None, "leadership_rating"), "HTTNV")
        self.assertEqual(self.query("SELECT count(*) FROM fact WHERE subject = 'collective' AND person_id IS NULL")[0][0], 3)
        self.add_mass_orgs()
        self.ok("fact", "massorg", "Công đoàn=HTXSNV", "Đoàn Thanh niên=HTTNV")
        self.assertEqual(sorted(self.query("SELECT m.name, r.rating FROM mass_org_rating r"
                                           " JOIN mass_org m ON m.id = r.mass_org_id")),
                         sorted([("Công đoàn", "HTXSNV"), ("Đoàn Thanh niên", "HTTNV")]))
        before = self.audit_entries()
        lines = self.bad("fact", "massorg", "Công đoàn=HTNV", "Hội Phụ nữ=HTXSNV", "Đoàn Thanh niên=TOT")
        self.assert_line(lines, "Hội Phụ nữ", "not a mass organization", "Công đoàn")
        self.assert_line(lines, "Đoàn Thanh niên", "TOT", "not a rating")
        self.assertEqual(self.audit_entries(), before)
        self.assertIn(("HTXSNV",), self.query("SELECT rating FROM mass_org_rating"))
        self.ok("fact", "massorg", "Công đoàn=HTNV")
        out = self.ok("fact", "list", "collective")
        self.assertIn("outstanding = không", out)
        self.assertIn("Công đoàn: Hoàn thành nhiệm vụ", out)
        self.assert_audit_intact()


class TestLeader(CampaignTestCase):
    def test_one_head_and_remove(self):
        self.create_campaign()
        self.ok("leader", "set", "dv01", "--title", "Hiệu trưởng", "--heads")
        self.ok("leader", "set", "dv08", "--title", "Phó Hiệu trưởng")
        self.ok("fact", "set", "dv08", "--leader", "duties=dat")
        self.ok("leader", "set", "dv08", "--heads")
        self.assertEqual(self.query("SELECT p.code FROM leader l JOIN person p ON p.id = l.person_id"
                                    " WHERE heads_collective = 1"), [("dv08",)], "one head of the collective")
        out = self.ok("leader", "list")
        self.assertIn("còn thiếu: unit_targets.total", out)
        self.assert_line(self.bad("leader", "set", "dv07", "--heads", "--no-heads", code=2), "--heads")
        self.ok("leader", "remove", "dv08")
        self.assertEqual(self.query("SELECT count(*) FROM fact WHERE subject = 'leader'")[0][0], 0,
                         "a removed leader's facts go with it")
        self.assertNotIn("dv08", self.ok("leader", "list"))
        self.assert_line(self.bad("leader", "remove", "dv08", code=1), "dv08", "not a leader")
        self.assert_audit_intact()


class TestReport(CampaignTestCase):
    def test_versions_levels_comments_final(self):
        self.create_campaign()
        self.assert_line(self.bad("report", "final", code=1), "report draft")
        self.ok("report", "draft", "--file", self.write("BÁO CÁO KIỂM ĐIỂM TẬP THỂ\nI. Ưu điểm\n"))
        out = self.ok("report", "draft", "--text", "Dự thảo lần 2: đã bổ sung số liệu.")
        self.assertIn("số 2", out)
        self.assertEqual(self.query("SELECT version, status FROM collective_report ORDER BY version"),
                         [(1, "draft"), (2, "draft")])
        self.assert_line(self.bad("report", "draft", code=2), "--file", "--text")

        before = self.audit_entries()
        lines = self.bad("report", "level", "chinh_tri_tu_tuong=XS", "van_hoa=T", "to_chuc_can_bo=Z", code=2)
        self.assert_line(lines, "van_hoa", "not a criterion")
        self.assert_line(lines, "to_chuc_can_bo", "Z", "not a level")
        self.assertEqual(self.audit_entries(), before)
        self.ok("report", "level", *["%s=T" % c for c in COLLECTIVE_CRITERIA[:-1]])

        out = self.ok("report", "comment", "add", "--source", "upper", "--author", "Đ/c Ủy viên Ban Thường vụ Quận ủy",
                      "--text", "Đề nghị làm rõ kết quả thực hiện nhiệm vụ chuyên môn.", "--on", "2021-11-10")
        self.assertIn("số 1", out)
        self.ok("report", "comment", "add", "--source", "mass_org", "--author", "Công đoàn trường",
                "--text", "Thống nhất với dự thảo.")
        self.assert_line(self.bad("report", "comment", "add", "--source", "boss", "--author", "X", "--text", "Y",
                                  code=2), "--source", "boss", "upper, mass_org, member or other")

        lines = self.bad("report", "final", code=2)
        self.assert_line(lines, "khac_phuc", "no level")
        self.assert_line(lines, "comment 1", "no answer")
        self.assert_line(lines, "comment 2", "no answer")
        self.ok("report", "level", "khac_phuc=TB")
        self.ok("report", "comment", "answer", "1", "--text", "Đã bổ sung vào mục 2.", "--on", "2021-11-12")
        self.ok("report", "comment", "answer", "2", "--text", "Tiếp thu.")
        self.assert_line(self.bad("report", "comment", "answer", "9", "--text", "x", code=1), "comment 9")
        self.assert_line(self.bad("report", "comment", "answer", "một", "--text", "x", code=2), "một")

        out = self.ok("report", "final", "--sent-on", "2021-11-22")
        self.assertIn("Bản 2", out)
        self.assertIn("đúng hạn", out)
        self.assertEqual(self.query("SELECT version, status, sent_on FROM collective_report ORDER BY version"),
                         [(1, "draft", None), (2, "final", "2021-11-22")])
        show = self.ok("report", "show")
        for s in ("Dự thảo lần 2: đã bổ sung số liệu.", "đưa ra hội nghị", "khac_phuc", "TB",
                  "Đề nghị làm rõ kết quả", "Đã bổ sung vào mục 2.", "12/11/2021", "Công đoàn trường", "Tiếp thu."):
            self.assertIn(s, show)
        self.assertIn("BÁO CÁO KIỂM ĐIỂM TẬP THỂ", self.ok("report", "show", "--version", "1"))
        self.bad("report", "show", "--version", "7", code=1)

        # a later draft and a new final: one version goes to the meeting
        self.ok("report", "draft", "--text", "Bản hoàn chỉnh sau hội nghị.")
        self.ok("report", "final")
        self.assertEqual(self.query("SELECT version FROM collective_report WHERE status = 'final'"), [(3,)])
        show = self.ok("campaign", "show")
        self.assertIn("3 bản, bản 3", show)
        self.assertIn("8/8", show)
        self.assert_audit_intact()


class TestHelp(CampaignTestCase):
    def test_help_and_usage(self):
        for cmd in ("campaign", "milestone", "review", "residence", "fact", "leader", "report"):
            p = self.kd(cmd, "--help")
            self.assertEqual(p.returncode, 0, cmd)
            self.assertIn("Cách dùng", p.stdout.decode("utf-8"), cmd)
            p = self.kd(cmd, "frobnicate")
            self.assertEqual(p.returncode, 2, cmd)


if __name__ == "__main__":
    unittest.main()
