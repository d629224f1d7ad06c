"""End-to-end tests of the stored campaign (issue 3): init, demo, classify
--campaign, status, check, export json, audit verify and backup, run as a
user would against a SQLite file.

`check` findings are provoked by editing a copy of the demo database with
Python's sqlite3 module, the way someone could behind the program's back;
`check` reads content only, so that is a fair way to set up each case, and
the audit tests show that such edits are caught.
"""

import json
import os
import shutil
import tempfile
import unittest
import unicodedata

import kdtest
from kdtest import binary

EXAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                       "examples", "minh-khai-2021.json")


def kd(*args, db=None, stdin=None):
    import subprocess
    cmd = [binary()] + list(args) + (["--db", db] if db else [])
    p = subprocess.run(cmd, input=stdin, capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


class StoreCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="kdstore-")
        cls.demo = os.path.join(cls.dir, "demo.db")
        rc, out, err = kd("demo", db=cls.demo)
        assert rc == 0, err
        # Fold the WAL into the main file so that copies are complete.
        with kdtest.connect(cls.demo) as c:
            c.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, True)

    def copy(self):
        path = tempfile.mktemp(dir=self.dir, suffix=".db")
        kdtest.copy_db(self.demo, path)
        return path

    def sql(self, db, *stmts):
        c = kdtest.connect(db)
        for s in stmts:
            if isinstance(s, tuple):
                c.execute(*s)
            else:
                c.execute(s)
        c.commit()
        c.close()

    def check(self, db):
        rc, out, err = kd("check", db=db)
        self.assertIn(rc, (0, 1), err)
        return rc, out


class TestInitDemoBackup(StoreCase):
    def test_init_creates_a_cell_once(self):
        db = os.path.join(self.dir, "init.db")
        rc, out, err = kd("init", "--cell", "Chi bộ Trường THCS Lê Lợi", "--committee", "Đảng ủy Phường 1", db=db)
        self.assertEqual(rc, 0, err)
        self.assertIn("Chi bộ Trường THCS Lê Lợi", out)
        rc, out, err = kd("init", "--cell", "Chi bộ khác", db=db)
        self.assertNotEqual(rc, 0)
        self.assertIn("already holds a cell", err)
        self.assertEqual(kd("audit", "verify", db=db)[0], 0)

    def test_init_needs_a_cell_name(self):
        rc, out, err = kd("init", db=os.path.join(self.dir, "x.db"))
        self.assertEqual(rc, 2)
        self.assertIn("--cell", err)

    @kdtest.sqlite_only
    def test_commands_refuse_a_missing_database(self):
        rc, out, err = kd("status", db=os.path.join(self.dir, "nope.db"))
        self.assertNotEqual(rc, 0)
        self.assertIn("nope.db", err)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "nope.db")))

    def test_demo_recreates_and_has_the_plans_cell(self):
        db = self.copy()
        self.sql(db, "DELETE FROM audit_log")
        rc, out, err = kd("demo", db=db)
        self.assertEqual(rc, 0, err)
        c = kdtest.connect(db)
        self.assertEqual(c.execute("SELECT count(*) FROM person").fetchone()[0], 33)
        groups = c.execute("SELECT o.code, count(p.id) FROM org o JOIN person p ON p.group_id = o.id"
                           " GROUP BY o.code ORDER BY o.code").fetchall()
        self.assertEqual(groups, [("to1", 7), ("to2", 7), ("to3", 7), ("to4", 9)])
        sup = dict(c.execute("SELECT g.code, p.full_name FROM group_supervisor s JOIN org g ON g.id = s.group_id"
                             " JOIN person p ON p.id = s.person_id").fetchall())
        self.assertTrue(sup["to1"].endswith("Hồng Chương") and sup["to4"].endswith("Hồng Chương"))
        self.assertTrue(sup["to3"].endswith("Văn Ba") and sup["to2"].endswith("Bạch Lan"))
        self.assertEqual(c.execute("SELECT count(*) FROM milestone").fetchone()[0], 7)
        self.assertEqual(c.execute("SELECT count(*) FROM audit_log").fetchone()[0], 1)
        c.close()
        self.assertEqual(kd("audit", "verify", db=db)[0], 0)

    @kdtest.sqlite_only
    def test_backup_is_a_verified_copy(self):
        db = self.copy()
        dest = os.path.join(self.dir, "backup-copy.db")
        rc, out, err = kd("backup", dest, db=db)
        self.assertEqual(rc, 0, err)
        self.assertEqual(kd("audit", "verify", db=dest)[0], 0)
        self.assertEqual(kd("export", "json", db=dest)[1], kd("export", "json", db=db)[1])
        rc, out, err = kd("backup", dest, db=db)
        self.assertNotEqual(rc, 0)
        self.assertIn("already exists", err)


class TestAudit(StoreCase):
    def test_intact(self):
        rc, out, err = kd("audit", "verify", db=self.copy())
        self.assertEqual(rc, 0, err)
        self.assertIn("chain intact", out)

    def test_row_edited_with_the_databases_own_shell(self):
        db = self.copy()
        # The back-end's own shell (sqlite3 or psql), as a user would edit
        # behind the program's back.
        import subprocess
        update = "UPDATE tally SET htxsnv = htxsnv + 5 WHERE id = 3"
        if kdtest.PG_HOST:
            subprocess.run(["psql", "-q", "-h", kdtest.PG_HOST, "-U", "postgres", "-d", kdtest.pg_name(db),
                            "-c", update], check=True)
        else:
            subprocess.run(["sqlite3", db, update], check=True)
        rc, out, err = kd("audit", "verify", db=db)
        self.assertNotEqual(rc, 0)
        self.assertIn("tally 3 was changed outside kiemdiem", err)

    def test_row_deleted(self):
        db = self.copy()
        self.sql(db, "DELETE FROM residence_comment WHERE id = 2")
        rc, out, err = kd("audit", "verify", db=db)
        self.assertNotEqual(rc, 0)
        self.assertIn("residence_comment 2 was deleted outside kiemdiem", err)

    def test_row_added(self):
        db = self.copy()
        self.sql(db, "INSERT INTO calendar_exception (day, working, name) VALUES ('2021-11-26', 0, 'Nghỉ')")
        rc, out, err = kd("audit", "verify", db=db)
        self.assertNotEqual(rc, 0)
        self.assertIn("calendar_exception 1 was added outside kiemdiem", err)

    def test_audit_entry_edited(self):
        db = self.copy()
        self.sql(db, "UPDATE audit_log SET actor = 'someone else' WHERE seq = 1")
        rc, out, err = kd("audit", "verify", db=db)
        self.assertNotEqual(rc, 0)
        self.assertIn("audit entry 1", err)
        self.assertIn("edited", err)

    def test_audit_entry_deleted(self):
        db = self.copy()
        # A second entry: new ballots make classify --campaign store new results.
        self.sql(db, "UPDATE tally SET htxsnv = 0, httnv = 32 WHERE id = (SELECT max(t.id) FROM tally t"
                     " JOIN meeting m ON m.id = t.meeting_id JOIN org o ON o.id = m.org_id WHERE o.kind = 'cell'"
                     " AND t.person_id = (SELECT id FROM person WHERE code = 'dv02'))")
        rc, out, err = kd("classify", "--campaign", db=db)
        self.assertEqual(rc, 0, err)
        self.assertEqual(kd("audit", "log", db=db)[1].count("\n"), 2)
        self.sql(db, "DELETE FROM audit_log WHERE seq = 1")
        rc, out, err = kd("audit", "verify", db=db)
        self.assertNotEqual(rc, 0)
        self.assertIn("audit entry 2", err)
        self.assertIn("earlier entries were deleted", err)

    def test_log_lists_entries(self):
        rc, out, err = kd("audit", "log", db=self.copy())
        self.assertEqual(rc, 0, err)
        self.assertIn("demo", out)


class TestClassifyCampaign(StoreCase):
    def test_same_results_as_the_example_document(self):
        db = self.copy()
        rc, out, err = kd("classify", "--campaign", "--json", db=db)
        self.assertEqual(rc, 0, err)
        stored = json.loads(out)
        rc, out, err = kd("classify", EXAMPLE)
        direct = json.loads(out)
        self.assertEqual(stored["summary"], direct["summary"])
        self.assertEqual(stored["quota"]["base"], direct["quota"]["base"])
        self.assertEqual(sorted(stored["quota"]["demoted"]), sorted(direct["quota"]["demoted"]))
        finals = {m["id"]: (m["status"], m["final"]) for m in direct["members"]}
        self.assertEqual({m["id"]: (m["status"], m["final"]) for m in stored["members"]}, finals)
        self.assertEqual(stored["collective"]["final"], direct["collective"]["final"])

    def test_results_are_stored_with_reasons(self):
        db = self.copy()
        self.sql(db, "DELETE FROM result")
        rc, out, err = kd("classify", "--campaign", db=db)
        self.assertEqual(rc, 0, err)
        self.assertIn("Hoàn thành xuất sắc nhiệm vụ: 6", out)
        c = kdtest.connect(db)
        self.assertEqual(c.execute("SELECT subject, count(*) FROM result GROUP BY subject ORDER BY subject").fetchall(),
                         [("collective", 1), ("leader", 3), ("member", 33)])
        reasons = json.loads(c.execute("SELECT r.reasons FROM result r JOIN person p ON p.id = r.person_id"
                                       " WHERE p.code = 'dv06'").fetchone()[0])
        self.assertEqual([x["clause"] for x in reasons], ["Q-1"])
        self.assertTrue(unicodedata.is_normalized("NFC", reasons[0]["message"]))

    def test_incomplete_review_blocks_unless_partial(self):
        db = self.copy()
        self.sql(db, "DELETE FROM review_level WHERE review_id = (SELECT r.id FROM review r JOIN person p"
                     " ON p.id = r.person_id WHERE p.code = 'dv05')")
        rc, out, err = kd("classify", "--campaign", db=db)
        self.assertNotEqual(rc, 0)
        self.assertIn("dv05", err)
        rc, out, err = kd("classify", "--campaign", "--partial", db=db)
        self.assertEqual(rc, 0, err)
        self.assertIn("dv05", out)

    def test_a_tie_is_left_for_a_re_vote(self):
        db = self.copy()
        # dv12 (22) and dv20 (20) ranked 6th and 7th: make them equal.
        self.sql(db, "UPDATE tally SET htxsnv = 22, httnv = 10 WHERE person_id = (SELECT id FROM person WHERE code = 'dv20')")
        rc, out, err = kd("classify", "--campaign", "--json", db=db)
        self.assertEqual(rc, 0, err)
        d = json.loads(out)
        self.assertEqual(sorted(d["quota"]["undecided"]), ["dv12", "dv20"])
        self.assertEqual(d["collective"]["status"], "undecided")


class TestExportJson(StoreCase):
    def test_shape(self):
        rc, out, err = kd("export", "json", db=self.copy())
        self.assertEqual(rc, 0, err)
        d = json.loads(out)
        self.assertEqual(d["format"], "kiemdiem-campaign/1")
        self.assertEqual(d["campaign"]["year"], 2021)
        self.assertEqual(d["campaign"]["ruleset"], "kh19-2021")
        self.assertEqual(len(d["people"]), 33)
        self.assertEqual([g["code"] for g in d["groups"]], ["to1", "to2", "to3", "to4"])
        dv05 = next(p for p in d["people"] if p["code"] == "dv05")
        self.assertEqual(dv05["review"]["status"], "submitted")
        self.assertEqual(set(dv05["review"]["levels"]), {"pham_chat", "nhiem_vu", "cam_ket"})
        self.assertEqual(dv05["result"]["final"], "HTTNV")
        self.assertIs(dv05["civil_servant"], True)
        self.assertEqual(len(d["meetings"]), 5)
        cell_meeting = d["meetings"][-1]
        self.assertEqual(cell_meeting["org_kind"], "cell")
        self.assertEqual(cell_meeting["agenda"][0]["subject"], "collective")
        self.assertEqual(len(d["leaders"]), 3)
        self.assertEqual(d["collective"]["result"]["final"], "HTTNV")
        self.assertEqual(d["audit"]["entries"], 1)

    def test_people_in_vietnamese_order(self):
        d = json.loads(kd("export", "json", db=self.copy())[1])
        given = [p["given_name"] for p in d["people"]]
        # a < ă < â, d < đ ... by given name first (ICU "vi").
        self.assertLess(given.index("Ba"), given.index("Chất"))
        self.assertLess(given.index("Dung"), given.index("Đức"))
        self.assertEqual(given[0], "Ba")

    def test_stable(self):
        db = self.copy()
        self.assertEqual(kd("export", "json", db=db)[1], kd("export", "json", db=db)[1])


class TestStatus(StoreCase):
    def test_groups_and_whats_missing(self):
        rc, out, err = kd("status", db=self.copy())
        self.assertEqual(rc, 0, err)
        for g in ("Tổ đảng 1", "Tổ đảng 2", "Tổ đảng 3", "Tổ đảng 4"):
            self.assertIn(g, out)
        self.assertIn("nhận xét nơi cư trú 8/9", out)
        self.assertIn("Chưa có nhận xét nơi cư trú: dv29", out)
        self.assertIn("họp tổ 11/11/2021", out)

    def test_missing_review_shows(self):
        db = self.copy()
        self.sql(db, "UPDATE review SET status = 'draft' WHERE person_id = (SELECT id FROM person WHERE code = 'dv11')")
        out = kd("status", db=db)[1]
        self.assertIn("Bản kiểm điểm đã nộp 6/7", out)
        self.assertIn("Chưa nộp bản kiểm điểm: dv11", out)


class TestCheck(StoreCase):
    def person(self, code):
        return f"(SELECT id FROM person WHERE code = '{code}')"

    def test_demo_has_two_findings(self):
        rc, out = self.check(self.copy())
        self.assertEqual(rc, 1)
        self.assertIn("[KH V.2.3; QĐ 213-QĐ/TW] dv29", out)
        self.assertIn("2 việc cần xử lý", out)

    def test_nothing_blocks_exits_zero(self):
        db = self.copy()
        self.sql(db, "UPDATE residence_comment SET received = 1, received_on = '2021-11-09'",
                 "INSERT INTO review_level (review_id, criterion, level) SELECT r.id, c.k, 'T' FROM review r,"
                 " (SELECT 'pham_chat' AS k UNION SELECT 'nhiem_vu' UNION SELECT 'cam_ket') c"
                 f" WHERE r.person_id = {self.person('dv33')}")
        rc, out = self.check(db)
        self.assertEqual(rc, 0, out)
        self.assertIn("Không có việc nào", out)

    def test_review_not_submitted_names_the_deadline(self):
        db = self.copy()
        self.sql(db, f"UPDATE review SET status = 'draft' WHERE person_id = {self.person('dv05')}")
        rc, out = self.check(db)
        # Group 1 meets Thursday 11/11/2021: three working days before is Monday 08/11.
        self.assertIn("[KH V.4 Bước 1] dv05", out)
        self.assertIn("hạn 08/11/2021", out)
        self.assertIn("kiemdiem review submit dv05", out)

    def test_review_late_in_working_days(self):
        db = self.copy()
        # Due 08/11; submitted Wednesday 10/11: two working days late.
        self.sql(db, f"UPDATE review SET submitted_on = '2021-11-10' WHERE person_id = {self.person('dv05')}")
        rc, out = self.check(db)
        self.assertIn("muộn 2 ngày làm việc so với hạn 08/11/2021", out)

    def test_review_late_across_a_weekend(self):
        db = self.copy()
        # Group 3 meets Monday 15/11: due Wednesday 10/11; Saturday 13/11 is 2 working days late.
        self.sql(db, f"UPDATE review SET submitted_on = '2021-11-13' WHERE person_id = {self.person('dv19')}")
        rc, out = self.check(db)
        self.assertIn("muộn 2 ngày làm việc so với hạn 10/11/2021", out)

    def test_stored_calendar_exceptions_move_deadlines(self):
        db = self.copy()
        # Group 1 meets Thursday 11/11/2021: due Monday 08/11, so 09/11 is one day late.
        self.sql(db, f"UPDATE review SET submitted_on = '2021-11-09' WHERE person_id = {self.person('dv05')}")
        self.assertIn("muộn 1 ngày làm việc so với hạn 08/11/2021", self.check(db)[1])
        # The year's schedule makes Monday 08/11 a day off: due Friday 05/11.
        rc, out, err = kd("calendar", "exception", "add", "2021-11-08", "--off", "--name", "Nghỉ bù", db=db)
        self.assertEqual(rc, 0, err)
        self.assertIn("muộn 1 ngày làm việc so với hạn 05/11/2021", self.check(db)[1])
        rc, out, err = kd("calendar", "--deadline", "2021-11-11", "--days", "3", db=db)
        self.assertIn("05/11/2021", out)
        self.assertIn("Nghỉ bù", kd("calendar", "exception", "list", db=db)[1])
        # The exception was recorded through kiemdiem (the review edit above was not).
        self.assertNotIn("calendar_exception", kd("audit", "verify", db=db)[2])
        rc, out, err = kd("calendar", "exception", "remove", "2021-11-08", db=db)
        self.assertEqual(rc, 0, err)
        self.assertIn("so với hạn 08/11/2021", self.check(db)[1])
        rc, out, err = kd("calendar", "exception", "add", "2021-13-01", "--off", "--name", "x", db=db)
        self.assertEqual(rc, 2)
        self.assertIn('"2021-13-01" is not a date', err)

    def test_no_self_assessment(self):
        db = self.copy()
        self.sql(db, f"UPDATE review SET self_rating = NULL WHERE person_id = {self.person('dv07')}")
        rc, out = self.check(db)
        self.assertIn("chưa tự xếp loại chất lượng", out)

    def test_civil_servant_rating_unknown(self):
        db = self.copy()
        self.sql(db, f"DELETE FROM fact WHERE key = 'civil_servant_rating' AND person_id = {self.person('dv05')}")
        rc, out = self.check(db)
        self.assertIn("[KH V.4 Bước 2; V.5.2] dv05", out)

    def test_report_comments(self):
        db = self.copy()
        self.sql(db, "DELETE FROM report_comment WHERE source = 'upper'",
                 "UPDATE report_comment SET answer = NULL WHERE author = 'Công đoàn trường'")
        rc, out = self.check(db)
        self.assertIn("Ủy viên Ban Thường vụ", out)
        self.assertIn("Còn 1 ý kiến góp ý", out)

    def test_report_sent_late_and_not_final(self):
        db = self.copy()
        # Cell meets Saturday 27/11: due Wednesday 24/11.
        self.sql(db, "UPDATE collective_report SET sent_on = '2021-11-25' WHERE status = 'final'")
        rc, out = self.check(db)
        self.assertIn("gửi ngày 25/11/2021, sau hạn 24/11/2021", out)
        self.sql(db, "UPDATE collective_report SET status = 'draft'")
        rc, out = self.check(db)
        self.assertIn("Chưa hoàn thiện báo cáo kiểm điểm tập thể", out)

    def test_group_meeting_missing_or_after_the_cell(self):
        db = self.copy()
        self.sql(db, "DELETE FROM agenda_item WHERE meeting_id = 1", "DELETE FROM attendance WHERE meeting_id = 1",
                 "DELETE FROM tally WHERE meeting_id = 1", "DELETE FROM meeting WHERE id = 1",
                 "UPDATE meeting SET scheduled_on = '2021-11-29' WHERE id = 2")
        rc, out = self.check(db)
        self.assertIn("[KH VI.1] to1: Tổ đảng 1 chưa có lịch họp", out)
        self.assertIn("[KH V.5.2; VI.2] to2", out)

    def test_agenda_order(self):
        db = self.copy()
        # Put a member before the head of the cell at the cell meeting.
        self.sql(db, "UPDATE agenda_item SET position = 100 WHERE meeting_id = 5 AND person_id = 1",
                 "UPDATE agenda_item SET position = 101 WHERE meeting_id = 5 AND person_id = 2",
                 "UPDATE agenda_item SET position = 102 WHERE meeting_id = 5 AND person_id = 3")
        rc, out = self.check(db)
        self.assertIn("[KH V.2.3] dv01", out)

    def test_tally_does_not_reconcile(self):
        db = self.copy()
        self.sql(db, "UPDATE tally SET unused = unused + 2 WHERE id = (SELECT min(t.id) FROM tally t"
                     " JOIN meeting m ON m.id = t.meeting_id JOIN org o ON o.id = m.org_id WHERE o.kind = 'cell')")
        rc, out = self.check(db)
        self.assertIn("không khớp", out)

    def test_tie_needs_a_re_vote(self):
        db = self.copy()
        self.sql(db, f"UPDATE tally SET htxsnv = 22, httnv = 10 WHERE person_id = {self.person('dv20')}")
        rc, out = self.check(db)
        self.assertIn("[RULES Q-1] dv12", out)
        self.assertIn("[RULES Q-1] dv20", out)

    def test_constraint_violation(self):
        db = self.copy()
        # The head's leader rating above the cell's: K-1.
        self.sql(db, f"UPDATE fact SET value = '\"thuc_su\"' WHERE subject = 'leader' AND key = 'exemplary'"
                     f" AND person_id = {self.person('dv01')}",
                 f"UPDATE fact SET value = '[\"cao\",\"cao\",\"cao\"]' WHERE subject = 'leader' AND key = 'duties'"
                 f" AND person_id = {self.person('dv01')}",
                 f"UPDATE fact SET value = '12' WHERE subject = 'leader' AND key = 'unit_targets.exceeded'"
                 f" AND person_id = {self.person('dv01')}")
        rc, out = self.check(db)
        self.assertIn("RULES K-1] dv01", out)

    def test_decisions_over_the_quota_and_above_the_ceiling(self):
        db = self.copy()
        self.sql(db, f"UPDATE decision SET rating = 'HTXSNV' WHERE person_id IN ({self.person('dv06')},"
                     f" {self.person('dv05')})")
        rc, out = self.check(db)
        self.assertIn("Quyết định 8 đảng viên Hoàn thành xuất sắc nhiệm vụ, vượt tỷ lệ 20% của 30", out)
        self.assertIn("[KH V.5.3; RULES V-2] dv05", out)


if __name__ == "__main__":
    unittest.main()
