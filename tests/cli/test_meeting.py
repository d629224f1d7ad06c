"""End-to-end tests of the meetings and votes (issue 3): `kiemdiem meeting`,
`vote`, `decide`, `publish` and `annul`, against the plan's V.2 (meetings,
the order of V.2.3), V.4 Bước 2/3 (ballots, the quota note, publication),
V.5.3 (annulment and re-rating), VI.1 (party groups) and RULES.md V-1
(voters are the official members convened; probationary members never
vote).

Each test works on a copy of one small cell built once per run:

    committee  dv01 Nguyễn Thị Hồng Chương (bí thư), dv02 Trần Văn Ba (phó bí
               thư), dv03 Lê Thị Bạch Lan and dv17 Bùi Văn Tâm (chi ủy viên)
    to1        dv04 Phạm Thị Nguyệt Lệ (tổ trưởng), dv05 Trần Thị Mỹ Dung,
               dv06 Lê Thị Thu Thủy (official only on 2021-11-20), dv07
               Nguyễn Thị Kim Ngân (probationary), dv08 Võ Thị Hồng, dv09
               Đặng Minh Đức, dv10 Đỗ Mạnh Hiền
    to2        dv11 Huỳnh Thị Thúy Hải (tổ trưởng), dv12 Nguyễn Ngọc Linh,
               dv13 Phạm Vũ Linh, dv14 Trần Thu Trang, dv15 Lê Thu Trang,
               dv16 Võ Văn An (admitted 2021-10-01: probationary, not rated)

The names are chosen so that byte order and Vietnamese order differ (Đức
sorts after Dung, before Hiền) and so that ties on the given name are broken
by the middle name (Ngọc Linh, Vũ Linh), then the family name (Lê Thu Trang,
Trần Thu Trang). At the cell's meeting (2021-11-27) 15 of the 17 are
official; at to1's (2021-11-11) 5 of its 7 (dv06 is not yet, dv07 never).

The people, groups and campaign are made with the CLI (`group add`, `import
roster`, `campaign create`) when this build has those commands; otherwise
they are written with Python's sqlite3 module, and `audit verify` (which
then rightly reports those rows as added outside kiemdiem) is only checked
to report nothing about the tables this issue writes. The full `audit
verify` is also run after writes on the demo database, which is audited
from its first row.
"""

import json
import os
import re
import shutil
import tempfile
import unittest

import kdtest
from kdtest import run

CELL_DAY = "2021-11-27"
TO1_DAY = "2021-11-11"

# code, full name, family, middle, given, group, committee role, leader, admitted, official
PEOPLE = [
    ("dv01", "Nguyễn Thị Hồng Chương", "Nguyễn", "Thị Hồng", "Chương", None, "bi_thu", 0, "1995-05-19", "1996-05-19"),
    ("dv02", "Trần Văn Ba", "Trần", "Văn", "Ba", None, "pho_bi_thu", 0, "1998-03-26", "1999-03-26"),
    ("dv03", "Lê Thị Bạch Lan", "Lê", "Thị Bạch", "Lan", None, "chi_uy_vien", 0, "2001-09-02", "2002-09-02"),
    ("dv17", "Bùi Văn Tâm", "Bùi", "Văn", "Tâm", None, "chi_uy_vien", 0, "2003-02-03", "2004-02-03"),
    ("dv04", "Phạm Thị Nguyệt Lệ", "Phạm", "Thị Nguyệt", "Lệ", "to1", None, 1, "2005-01-10", "2006-01-10"),
    ("dv05", "Trần Thị Mỹ Dung", "Trần", "Thị Mỹ", "Dung", "to1", None, 0, "2006-04-01", "2007-04-01"),
    ("dv06", "Lê Thị Thu Thủy", "Lê", "Thị Thu", "Thủy", "to1", None, 0, "2020-11-20", "2021-11-20"),
    ("dv07", "Nguyễn Thị Kim Ngân", "Nguyễn", "Thị Kim", "Ngân", "to1", None, 0, "2021-03-01", None),
    ("dv08", "Võ Thị Hồng", "Võ", "Thị", "Hồng", "to1", None, 0, "2008-06-01", "2009-06-01"),
    ("dv09", "Đặng Minh Đức", "Đặng", "Minh", "Đức", "to1", None, 0, "2009-07-01", "2010-07-01"),
    ("dv10", "Đỗ Mạnh Hiền", "Đỗ", "Mạnh", "Hiền", "to1", None, 0, "2010-08-01", "2011-08-01"),
    ("dv11", "Huỳnh Thị Thúy Hải", "Huỳnh", "Thị Thúy", "Hải", "to2", None, 1, "2004-12-01", "2005-12-01"),
    ("dv12", "Nguyễn Ngọc Linh", "Nguyễn", "Ngọc", "Linh", "to2", None, 0, "2011-01-01", "2012-01-01"),
    ("dv13", "Phạm Vũ Linh", "Phạm", "Vũ", "Linh", "to2", None, 0, "2011-02-01", "2012-02-01"),
    ("dv14", "Trần Thu Trang", "Trần", "Thu", "Trang", "to2", None, 0, "2012-01-01", "2013-01-01"),
    ("dv15", "Lê Thu Trang", "Lê", "Thu", "Trang", "to2", None, 0, "2012-02-01", "2013-02-01"),
    ("dv16", "Võ Văn An", "Võ", "Văn", "An", "to2", None, 0, "2021-10-01", None),
]
GROUPS = [("to1", "Tổ đảng 1"), ("to2", "Tổ đảng 2")]

CELL_ORDER = ["collective", "dv01", "dv02", "dv03", "dv17",   # head, deputy, committee (Lan < Tâm)
              "dv16", "dv05", "dv09", "dv11", "dv10", "dv08",  # An, Dung, Đức, Hải, Hiền, Hồng
              "dv04", "dv12", "dv13", "dv07", "dv06",          # Lệ, Ngọc Linh, Vũ Linh, Ngân, Thủy
              "dv15", "dv14"]                                  # Lê Thu Trang, Trần Thu Trang
TO1_ORDER = ["dv04", "dv05", "dv09", "dv10", "dv08", "dv07", "dv06"]   # leader; Dung, Đức, Hiền, Hồng, Ngân, Thủy
TO2_ORDER = ["dv11", "dv16", "dv12", "dv13", "dv15", "dv14"]           # leader; An, Linh, Linh, Trang, Trang

MY_TABLES = ("meeting", "attendance", "agenda_item", "tally", "decision")


def kd(*args, db=None):
    p = run(list(args) + (["--db", db] if db else []))
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def has_command(*words):
    p = run(list(words) + ["--help"])
    return p.returncode == 0


class MeetingCase(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="kdmeeting-")
        cls.template = os.path.join(cls.dir, "template.db")
        cls.audited = cls._build_with_cli(cls.template)
        if not cls.audited:
            cls._remove(cls.template)
            cls._build_with_sql(cls.template)
        with kdtest.connect(cls.template) as c:
            c.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, True)

    @staticmethod
    def _remove(path):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)

    @staticmethod
    def _init(path):
        rc, out, err = kd("init", "--cell", "Chi bộ Trường THPT Thử Nghiệm", db=path)
        assert rc == 0, err

    @classmethod
    def _build_with_cli(cls, path):
        """People, groups and campaign through the program itself (every row
        audited), when this build has the commands; False when it has not or
        they do not do what is needed here."""
        if not (has_command("group", "add") and has_command("import", "roster")
                and has_command("campaign", "create")):
            return False
        cls._init(path)
        for code, name in GROUPS:
            if not any(kd(*v, db=path)[0] == 0 for v in (["group", "add", code, name],
                                                       ["group", "add", code, "--name", name])):
                return False
        csv = "ma,ho_ten,ngay_vao_dang,ngay_chinh_thuc,to_dang,chi_uy,to_truong\n" + "".join(
            "%s,%s,%s,%s,%s,%s,%d\n" % (p[0], p[1], p[8], p[9] or "", p[5] or "", p[6] or "", p[7])
            for p in PEOPLE)
        csv_path = os.path.join(cls.dir, "roster.csv")
        with open(csv_path, "w", encoding="utf-8") as f:
            f.write(csv)
        if kd("import", "roster", csv_path, db=path)[0] != 0:
            return False
        if not any(kd(*v, db=path)[0] == 0 for v in (
                ["campaign", "create", "--year", "2021", "--as-of", CELL_DAY],
                ["campaign", "create", "2021", "--as-of", CELL_DAY])):
            return False
        # Only trust the CLI build if it stored what the SQL build would.
        with kdtest.connect(path) as c:
            got = c.execute("SELECT p.code, p.given_name, p.admitted_on, p.official_on, g.code,"
                            " p.committee_role, p.group_leader FROM person p"
                            " LEFT JOIN org g ON g.id = p.group_id ORDER BY p.code").fetchall()
            camp = c.execute("SELECT year, as_of FROM campaign").fetchall()
        want = sorted((p[0], p[4], p[8], p[9], p[5], p[6], p[7]) for p in PEOPLE)
        return got == want and camp == [(2021, CELL_DAY)]

    @classmethod
    def _build_with_sql(cls, path):
        cls._init(path)
        c = kdtest.connect(path)
        cell = c.execute("SELECT id FROM org WHERE kind = 'cell'").fetchone()[0]
        gid = {}
        for i, (code, name) in enumerate(GROUPS):
            gid[code] = c.execute("INSERT INTO org (parent_id, kind, code, name, position) VALUES (?, 'group', ?, ?, ?)",
                                  (cell, code, name, i + 1)).lastrowid
        for p in PEOPLE:
            c.execute("INSERT INTO person (code, full_name, family_name, middle_name, given_name, admitted_on,"
                      " official_on, cell_id, group_id, committee_role, group_leader) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                      (p[0], p[1], p[2], p[3], p[4], p[8], p[9], cell, gid.get(p[5]), p[6], p[7]))
        c.execute("INSERT INTO campaign (cell_id, year, ruleset, as_of, title) VALUES (?, 2021, 'kh19-2021', ?, ?)",
                  (cell, CELL_DAY, "Kiểm điểm năm 2021"))
        c.commit()
        c.close()

    # -------------------------------------------------------------- helpers

    def setUp(self):
        fd, self.db = tempfile.mkstemp(dir=self.dir, suffix=".db")
        os.close(fd)
        kdtest.copy_db(self.template, self.db)

    def ok(self, *args):
        rc, out, err = kd(*args, db=self.db)
        self.assertEqual(rc, 0, "%s: exit %d\n%s" % (" ".join(args), rc, err))
        self.assertEqual(err, "", "nothing on stderr on success")
        return out

    def bad(self, code, *args, contains=()):
        """The command fails with exit `code`, prints nothing on stdout and at
        least one "WHERE: ...; expected ..." line on stderr, one containing
        every string of `contains`. Returns stderr."""
        rc, out, err = kd(*args, db=self.db)
        self.assertEqual(rc, code, "%s: exit %d (want %d)\nstdout: %s\nstderr: %s"
                         % (" ".join(args), rc, code, out, err))
        self.assertEqual(out, "", "%s: stdout must be empty on failure" % " ".join(args))
        lines = err.splitlines()
        self.assertTrue(lines, "a message on stderr")
        for ln in lines:
            self.assertIn("expected", ln, "every problem says what was expected: %r" % ln)
        if contains:
            self.assertTrue(any(all(s in ln for s in contains) for ln in lines),
                            "no stderr line contains %r:\n%s" % (contains, err))
        return err

    def meeting(self, org, day, *extra):
        out = self.ok("meeting", "add", org, "--on", day, *extra)
        self.assertRegex(out, r"^\d+\n$", "meeting add prints the new id")
        return out.strip()

    def agenda_codes(self, mid):
        with kdtest.connect(self.db) as c:
            rows = c.execute("SELECT i.subject, p.code FROM agenda_item i LEFT JOIN person p ON p.id = i.person_id"
                             " WHERE i.meeting_id = ? ORDER BY i.position", (int(mid),)).fetchall()
        return ["collective" if s == "collective" else code for s, code in rows]

    def audit_actions(self):
        out = self.ok("audit", "log")
        return [ln.split(None, 3)[3] if len(ln.split(None, 3)) > 3 else "" for ln in out.splitlines()]

    def assert_audit_intact(self):
        rc, out, err = kd("audit", "verify", db=self.db)
        if self.audited:
            self.assertEqual(rc, 0, err)
            return
        # The setup rows were written behind kiemdiem's back, so verify
        # reports them; what this issue writes must not be among them.
        self.assertNotEqual(rc, 0, "the rows written with sqlite3 are reported")
        for ln in err.splitlines():
            self.assertFalse(ln.startswith("audit entry"), "the chain is broken: " + ln)
            self.assertFalse(re.match(r"(%s) \d+ was" % "|".join(MY_TABLES), ln), ln)

    def votes(self, mid, subject, voters, x=0, t=0, h=0, k=0, *extra):
        return self.ok("vote", "record", mid, subject, "--voters", str(voters), "--HTXSNV", str(x),
                       "--HTTNV", str(t), "--HTNV", str(h), "--KHTNV", str(k), *extra)

    def cell_with_agenda(self):
        mid = self.meeting("cell", CELL_DAY, "--place", "Hội trường")
        self.ok("meeting", "agenda", mid)
        return mid


class TestAgenda(MeetingCase):
    def test_cell_agenda_collective_head_deputies_committee_then_vietnamese_order(self):
        mid = self.cell_with_agenda()
        self.assertEqual(self.agenda_codes(mid), CELL_ORDER)
        out = self.ok("meeting", "show", mid)
        listed = re.findall(r"^\s*\d+\. (?:Tập thể chi bộ|.*?\((dv\d+)\))", out, re.M)
        self.assertEqual(["collective" if not c else c for c in listed], CELL_ORDER)
        self.assertIn("Bí thư", out)
        self.assertIn("Phó Bí thư", out)

    def test_group_agenda_leader_first_then_names_no_collective(self):
        m1 = self.meeting("to1", TO1_DAY)
        m2 = self.meeting("to2", "2021-11-12")
        out = self.ok("meeting", "agenda", m1)
        self.assertNotIn("Tập thể", out)
        self.ok("meeting", "agenda", m2)
        self.assertEqual(self.agenda_codes(m1), TO1_ORDER)
        self.assertEqual(self.agenda_codes(m2), TO2_ORDER)

    def test_rebuild_is_idempotent_and_keeps_comments(self):
        mid = self.cell_with_agenda()
        self.ok("meeting", "comment", mid, "dv05", "--comments", "Cần mạnh dạn góp ý hơn.",
                "--conclusion", "Hoàn thành tốt nhiệm vụ.")
        self.ok("meeting", "agenda", mid, "--subject", "dv05", "--position", "1")
        self.assertEqual(self.agenda_codes(mid)[0], "dv05")
        self.ok("meeting", "agenda", mid)
        self.assertEqual(self.agenda_codes(mid), CELL_ORDER)
        out = self.ok("meeting", "show", mid)
        self.assertIn("Cần mạnh dạn góp ý hơn.", out)
        self.assertIn("Kết luận: Hoàn thành tốt nhiệm vụ.", out)

    def test_manual_move_shifts_the_others_and_notes_the_plan(self):
        mid = self.cell_with_agenda()
        out = self.ok("meeting", "agenda", mid, "--subject", "dv14", "--position", "2")
        self.assertIn("khác trình tự của kế hoạch", out)
        want = CELL_ORDER[:1] + ["dv14"] + [c for c in CELL_ORDER[1:] if c != "dv14"]
        self.assertEqual(self.agenda_codes(mid), want)
        # moving back to its place restores the plan's order, without the note
        out = self.ok("meeting", "agenda", mid, "--subject", "dv14", "--position", str(len(CELL_ORDER)))
        self.assertNotIn("khác trình tự", out)
        self.assertEqual(self.agenda_codes(mid), CELL_ORDER)

    def test_manual_agenda_adds_a_subject_not_yet_on_it(self):
        mid = self.meeting("to2", "2021-11-12")
        self.ok("meeting", "agenda", mid, "--subject", "dv13", "--position", "1")
        self.ok("meeting", "agenda", mid, "--subject", "dv11", "--position", "1")
        self.assertEqual(self.agenda_codes(mid), ["dv11", "dv13"])

    def test_agenda_bad_input(self):
        mid = self.cell_with_agenda()
        g = self.meeting("to1", TO1_DAY)
        self.bad(2, "meeting", "agenda", g, "--subject", "collective", "--position", "1",
                 contains=("collective", "cell's meeting only"))
        self.bad(2, "meeting", "agenda", g, "--subject", "dv11", "--position", "1", contains=("dv11", "not a member"))
        self.bad(2, "meeting", "agenda", mid, "--subject", "dv05", "--position", "0", contains=("--position",))
        self.bad(2, "meeting", "agenda", mid, "--subject", "dv05", "--position", "99", contains=("1 to 18",))
        self.bad(2, "meeting", "agenda", mid, "--subject", "dv05", contains=("together",))
        self.bad(2, "meeting", "agenda", mid, "--position", "x", contains=("--position", "whole number"))
        self.bad(1, "meeting", "agenda", mid, "--subject", "nobody", "--position", "1", contains=("nobody",))
        self.bad(1, "meeting", "agenda", "999", contains=("999", "no such meeting"))
        self.bad(2, "meeting", "agenda", "abc", contains=("abc", "not a meeting id"))
        self.bad(2, "meeting", "agenda", contains=("meeting id",))
        self.assertEqual(self.agenda_codes(mid), CELL_ORDER, "failed commands changed nothing")


class TestMeetings(MeetingCase):
    def test_add_list_show_attend_comment_minutes_held(self):
        mid = self.meeting("to1", TO1_DAY, "--place", "Phòng 2", "--chair", "dv04")
        cid = self.meeting("cell", CELL_DAY, "--full-day")
        out = self.ok("meeting", "list")
        self.assertRegex(out, r"(?m)^%s  11/11/2021  Tổ đảng 1 \(to1\)  nửa ngày  chưa họp  tại Phòng 2  chủ trì: "
                         r"Phạm Thị Nguyệt Lệ \(dv04\)$" % mid)
        self.assertRegex(out, r"(?m)^%s  27/11/2021 .*cả ngày" % cid)
        self.assertNotIn("2022", self.ok("meeting", "list", "--year", "2021"))

        self.ok("meeting", "attend", mid, "dv04", "dv05", "dv06", "dv08", "dv09", "dv10", "dv03")
        out = self.ok("meeting", "attend", mid, "dv07", "--absent", "--reason", "Ốm, có đơn")
        self.assertIn("vắng", out)
        self.ok("meeting", "agenda", mid)
        self.ok("meeting", "comment", mid, "dv05", "--comments", "Tổ thống nhất với bản kiểm điểm.")
        self.ok("meeting", "comment", mid, "dv05", "--conclusion", "Hoàn thành tốt nhiệm vụ.")
        self.ok("meeting", "minutes", mid, "--text", "Biên bản họp tổ đảng 1.\nCó mặt 6/7.")
        self.ok("meeting", "held", mid, "--on", "2021-11-12")
        out = self.ok("meeting", "show", mid)
        for s in ("Tổ đảng 1", "Đã họp: 12/11/2021", "Phòng 2", "Chủ trì: Phạm Thị Nguyệt Lệ (dv04), Tổ trưởng",
                  "Nguyễn Thị Kim Ngân (dv07) [dự bị]: vắng — Ốm, có đơn",
                  "Lê Thị Bạch Lan (dv03), Chi ủy viên [dự họp, không thuộc Tổ đảng 1]: có mặt",
                  "Ý kiến góp ý: Tổ thống nhất với bản kiểm điểm.", "Kết luận: Hoàn thành tốt nhiệm vụ.",
                  "Biên bản họp tổ đảng 1.\nCó mặt 6/7.",
                  # the chair's own review is chaired by the next in rank present (V.2.3)
                  "Phạm Thị Nguyệt Lệ (dv04), Tổ trưởng (chủ trì phần này: Lê Thị Bạch Lan)"):
            self.assertIn(s, out)
        # attendance again replaces: dv07 now present
        self.ok("meeting", "attend", mid, "dv07")
        self.assertIn("Nguyễn Thị Kim Ngân (dv07) [dự bị]: có mặt", self.ok("meeting", "show", mid))
        actions = self.audit_actions()
        for a in ("meeting add", "meeting attend", "meeting agenda", "meeting comment", "meeting minutes",
                  "meeting held"):
            self.assertTrue(any(x.startswith(a) for x in actions), "%s not in the audit log" % a)
        self.assert_audit_intact()

    def test_chair_is_highest_ranking_present_when_not_named(self):
        mid = self.cell_with_agenda()
        self.assertIn("Chủ trì: chưa xác định", self.ok("meeting", "show", mid))
        self.ok("meeting", "attend", mid, *[p[0] for p in PEOPLE if p[0] != "dv01"])
        self.ok("meeting", "attend", mid, "dv01", "--absent", "--reason", "Đi công tác")
        out = self.ok("meeting", "show", mid)
        self.assertIn("Chủ trì: Trần Văn Ba (dv02), Phó Bí thư (người giữ chức vụ cao nhất có mặt, V.2.3)", out)
        self.assertIn("Trần Văn Ba (dv02), Phó Bí thư (chủ trì phần này: Lê Thị Bạch Lan)", out)

    def test_minutes_from_file(self):
        mid = self.meeting("cell", CELL_DAY)
        path = os.path.join(self.dir, "bienban.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write("BIÊN BẢN HỘI NGHỊ CHI BỘ\nNgày 27/11/2021\n")
        self.ok("meeting", "minutes", mid, "--file", path)
        self.assertIn("BIÊN BẢN HỘI NGHỊ CHI BỘ\nNgày 27/11/2021\n", self.ok("meeting", "show", mid))

    def test_meeting_bad_input(self):
        self.bad(2, "meeting", "add", "to1", contains=("--on", "missing"))
        self.bad(2, "meeting", "add", "--on", TO1_DAY, contains=("group",))
        self.bad(2, "meeting", "add", "to1", "--on", "2021-02-30", contains=("--on", "not a date"))
        self.bad(2, "meeting", "add", "to1", "--on", TO1_DAY, "--bogus", contains=("--bogus", "unknown option"))
        self.bad(1, "meeting", "add", "to9", "--on", TO1_DAY, contains=("to9", "no such party group"))
        self.bad(2, "meeting", "add", "to1", "--on", "2019-11-11", contains=("outside the campaign of 2021",))
        self.bad(1, "meeting", "add", "to1", "--on", TO1_DAY, "--year", "2030", contains=("2030", "no campaign"))
        self.bad(2, "meeting", "add", "to1", "--on", TO1_DAY, "--chair", "dv11", contains=("dv11", "neither a member"))
        self.bad(1, "meeting", "add", "to1", "--on", TO1_DAY, "--chair", "dv99", contains=("dv99", "no such person"))
        self.bad(2, "meeting", "bogus", contains=("bogus", "not a subcommand"))
        self.bad(1, "meeting", "show", "7", contains=("meeting 7", "no such meeting"))
        self.bad(2, "meeting", "show", "-1", contains=("unknown option",))
        self.bad(2, "meeting", "show", "0", contains=("not a meeting id",))
        mid = self.meeting("to1", TO1_DAY)
        self.bad(2, "meeting", "attend", mid, contains=("people",))
        self.bad(2, "meeting", "attend", mid, "dv05", "--absent", contains=("--reason",))
        self.bad(2, "meeting", "attend", mid, "dv05", "--reason", "x", contains=("--absent",))
        self.bad(2, "meeting", "attend", mid, "dv05", "dv05", contains=("given twice",))
        self.bad(2, "meeting", "attend", mid, "dv05", "dv12", contains=("dv12", "neither a member of Tổ đảng 1"))
        self.bad(1, "meeting", "attend", mid, "dv77", contains=("dv77", "no such person"))
        self.bad(1, "meeting", "comment", mid, "dv05", "--comments", "x", contains=("dv05", "not on the agenda"))
        self.ok("meeting", "agenda", mid)
        self.bad(2, "meeting", "comment", mid, "dv05", contains=("nothing to record",))
        self.bad(2, "meeting", "comment", mid, "dv05", "--conclusion", "", contains=("--conclusion", "empty"))
        self.bad(1, "meeting", "comment", mid, "collective", "--comments", "x", contains=("collective", "not on the agenda"))
        self.bad(2, "meeting", "minutes", mid, contains=("--file", "--text"))
        self.bad(2, "meeting", "minutes", mid, "--file", "a", "--text", "b", contains=("both",))
        self.bad(2, "meeting", "minutes", mid, "--text", "  \n", contains=("minutes are empty",))
        self.bad(2, "meeting", "minutes", mid, "--file", os.path.join(self.dir, "none.txt"), contains=("cannot open",))
        self.bad(2, "meeting", "held", mid, contains=("--on",))
        self.bad(2, "meeting", "held", mid, "--on", "2999-01-01", contains=("outside the campaign",))
        self.bad(2, "meeting", "held", mid, "--on", "20211112", contains=("not a date",))
        rc, out, err = kd("meeting", db=self.db)
        self.assertEqual(rc, 2)
        self.assertIn("Cách dùng", err)
        rc, out, err = kd("meeting", "attend", "--help", db=self.db)
        self.assertEqual((rc, err), (0, ""))
        self.assertIn("Cách dùng", out)
        self.assert_audit_intact()


class TestVotes(MeetingCase):
    def test_voters_cannot_exceed_official_members_convened(self):
        mid = self.cell_with_agenda()
        # 17 people, 15 official on 2021-11-27: dv07 and dv16 are probationary
        err = self.bad(2, "vote", "record", mid, "dv05", "--voters", "16", "--HTTNV", "15",
                       contains=("16 voters", "15 official members", "2 probationary"))
        self.assertIn("meeting %s: dv05, round 1" % mid, err)
        out = self.votes(mid, "dv05", 15, 2, 12, 1, 0)
        self.assertIn("Hoàn thành tốt nhiệm vụ", out)   # 2 + 12 = 14 > 7.5
        self.assertNotIn("Lưu ý", out)
        # fewer voters than official members is allowed, but it lowers the majority: said
        out = self.votes(mid, "dv08", 14, 0, 14)
        self.assertIn("Lưu ý: 14 người biểu quyết, ít hơn 15 đảng viên chính thức", out)

    def test_probationary_members_are_not_counted_and_the_meeting_date_decides(self):
        mid = self.meeting("to1", TO1_DAY)
        self.ok("meeting", "agenda", mid)
        # on 2021-11-11 to1 has 5 official members: dv06 becomes official on 11-20, dv07 is probationary
        self.bad(2, "vote", "record", mid, "dv05", "--voters", "6", "--HTTNV", "5", contains=("5 official members",))
        self.votes(mid, "dv05", 5, 0, 5)
        # held later than planned, on 11-22: dv06 is official by then
        self.ok("meeting", "held", mid, "--on", "2021-11-22")
        self.votes(mid, "dv05", 6, 0, 6)
        self.bad(2, "vote", "record", mid, "dv05", "--voters", "7", "--HTTNV", "6", contains=("6 official members",))

    def test_ballots_that_do_not_add_up(self):
        mid = self.cell_with_agenda()
        err = self.bad(2, "vote", "record", mid, "dv05", "--voters", "15", "--HTXSNV", "2", "--HTTNV", "10",
                       "--HTNV", "1", "--KHTNV", "0", "--issued", "15", "--invalid", "1", "--unused", "2",
                       contains=("do not add up", "15 issued", "13 valid + 1 invalid + 2 unused = 16"))
        # more valid ballots than voters, and more issued than voters: both reported at once
        err = self.bad(2, "vote", "record", mid, "dv05", "--voters", "10", "--HTTNV", "11", "--issued", "12",
                       "--invalid", "1", "--unused", "0")
        self.assertIn("11 valid ballots", err)
        self.assertIn("12 ballots issued to 10 voters", err)
        self.assertGreaterEqual(len(err.splitlines()), 2)
        self.bad(2, "vote", "record", mid, "dv05", "--voters", "15", "--HTTNV", "10", "--issued", "15",
                 contains=("--invalid", "--unused", "together"))
        self.bad(2, "vote", "record", mid, "dv05", "--voters", "15", "--HTTNV", "-1", contains=("-1 ballots for HTTNV",))
        self.bad(2, "vote", "record", mid, "dv05", "--voters", "0", "--HTTNV", "0", contains=("at least 1",))
        self.bad(2, "vote", "record", mid, "dv05", "--voters", "15", "--electronic", "--HTTNV", "10",
                 "--issued", "15", "--invalid", "0", "--unused", "5", contains=("--electronic",))
        # reconciled: 13 valid + 1 invalid + 1 unused = 15
        out = self.votes(mid, "dv05", 15, 2, 10, 1, 0, "--issued", "15", "--invalid", "1", "--unused", "1")
        self.assertIn("Đã ghi", out)
        with kdtest.connect(self.db) as c:
            self.assertEqual(c.execute("SELECT count(*) FROM tally").fetchone()[0], 1, "only the good tally")

    def test_ballots_cast_bounded_by_members_not_absent(self):
        mid = self.cell_with_agenda()
        self.ok("meeting", "attend", mid, "dv05", "dv06", "--absent", "--reason", "Ốm")
        # 15 official, 2 recorded absent: at most 13 ballots cast
        self.bad(2, "vote", "record", mid, "dv08", "--voters", "15", "--HTTNV", "14",
                 contains=("14 ballots cast", "only 13"))
        self.votes(mid, "dv08", 15, 0, 13)

    def test_re_recorded_round_replaces_and_is_audited(self):
        mid = self.cell_with_agenda()
        self.votes(mid, "dv05", 15, 0, 7, 8)     # HTTNV 7 is not more than half: HTNV (15)
        out = self.votes(mid, "dv05", 15, 0, 9, 6)
        self.assertIn("Đã thay kết quả vòng 1", out)
        self.assertIn("Hoàn thành tốt nhiệm vụ", out)
        out = self.ok("vote", "list", mid)
        rows = [ln for ln in out.splitlines() if "dv05" in ln]
        self.assertEqual(len(rows), 1, out)
        self.assertIn("HTTNV 9, HTNV 6", rows[0])
        with kdtest.connect(self.db) as c:
            self.assertEqual(c.execute("SELECT round, httnv, htnv FROM tally").fetchall(), [(1, 9, 6)])
            # each entry's rows (audit_row), as the entry's changes read
            entries = {}
            for seq, table, before, after in c.execute(
                    "SELECT l.seq, r.table_name, r.before_json, r.after_json FROM audit_log l JOIN audit_row r"
                    " ON r.entry = l.seq WHERE l.action LIKE 'vote record%' ORDER BY l.seq, r.seq").fetchall():
                entries.setdefault(seq, []).append({"table": table, "before": before and json.loads(before),
                                                    "after": after and json.loads(after)})
            changes = [json.dumps(entries[k], separators=(",", ":")) for k in sorted(entries)]
        self.assertEqual(len(changes), 2, "each recording is one audit entry")
        self.assertIn('"before":null', changes[0])
        self.assertIn('"httnv":7', changes[1])   # the replaced counts are kept in the log
        self.assertIn('"httnv":9', changes[1])
        self.assert_audit_intact()

    def test_rounds_in_order_and_undecided(self):
        mid = self.cell_with_agenda()
        out = self.votes(mid, "dv05", 15, 4, 3, 0, 0)    # 7 of 15: no majority
        self.assertIn("biểu quyết lại", out)
        self.bad(2, "vote", "record", mid, "dv05", "--voters", "15", "--HTTNV", "9", "--round", "3",
                 contains=("round 2 is not recorded",))
        self.votes(mid, "dv05", 15, 5, 4, 0, 0, "--round", "2")
        out = self.ok("vote", "list", mid)
        self.assertIn("vòng 1", out)
        self.assertIn("vòng 2", out)
        self.assertIn("biểu quyết lại", out)

    def test_collective_and_subjects_on_the_agenda(self):
        cid = self.cell_with_agenda()
        gid = self.meeting("to1", TO1_DAY)
        self.votes(cid, "collective", 15, 3, 11, 1, 0)
        self.bad(2, "vote", "record", gid, "collective", "--voters", "5", "--HTTNV", "5",
                 contains=("collective", "cell's meeting only"))
        self.bad(2, "vote", "record", gid, "dv05", "--voters", "5", "--HTTNV", "5",
                 contains=("not on the agenda", "V.5.1"))
        # admitted 2021-10-01: not rated (M-NR1), so not voted on
        self.bad(2, "vote", "record", cid, "dv16", "--voters", "15", "--HTTNV", "15",
                 contains=("dv16", "M-NR1"))
        out = self.ok("meeting", "show", cid)
        self.assertIn("Biểu quyết vòng 1 (phiếu kín): 15 người biểu quyết; HTXSNV 3, HTTNV 11, HTNV 1, KHTNV 0", out)

    def test_vote_bad_input(self):
        mid = self.cell_with_agenda()
        self.bad(2, "vote", "record", mid, "dv05", "--HTTNV", "3", contains=("--voters", "missing"))
        self.bad(2, "vote", "record", mid, "dv05", "--voters", "15", contains=("no ballots",))
        self.bad(2, "vote", "record", mid, "--voters", "15", "--HTTNV", "3", contains=("subject",))
        self.bad(2, "vote", "record", mid, "dv05", "--voters", "many", "--HTTNV", "3", contains=("--voters", "whole number"))
        self.bad(1, "vote", "record", "42", "dv05", "--voters", "15", "--HTTNV", "3", contains=("meeting 42",))
        self.bad(1, "vote", "record", mid, "dv99", "--voters", "15", "--HTTNV", "3", contains=("dv99",))
        self.bad(2, "vote", "record", mid, "dv05", "--voters", "15", "--HTTNV", "3", "--round", "0",
                 contains=("round 0",))
        self.bad(2, "vote", "list", contains=("meeting id",))
        self.bad(1, "vote", "list", "42", contains=("no such meeting",))
        self.bad(2, "vote", "tally", contains=("not a subcommand",))
        self.assertIn("chưa có", self.ok("vote", "list", mid))
        self.assert_audit_intact()


class TestDecisions(MeetingCase):
    def voted_cell(self):
        mid = self.cell_with_agenda()
        self.votes(mid, "collective", 15, 2, 12, 1)
        self.votes(mid, "dv05", 15, 3, 10, 2)      # HTTNV
        self.votes(mid, "dv08", 15, 10, 4, 1)      # HTXSNV
        self.votes(mid, "dv09", 15, 9, 6)          # HTXSNV
        self.votes(mid, "dv10", 15, 1, 13, 1)      # HTTNV
        return mid

    def test_decide_publish_annul_visible_everywhere(self):
        mid = self.voted_cell()
        out = self.ok("decide", "dv05", "HTTNV", "--on", CELL_DAY)
        self.assertIn("chưa công khai", out)
        self.ok("decide", "collective", "HTTNV", "--on", CELL_DAY)
        self.ok("decide", "dv10", "HTNV", "--on", CELL_DAY)      # lower than voted: allowed (V-2, Q-1 lower)
        out = self.ok("publish", "--on", "2021-11-29")
        self.assertIn("Đã công khai 3 quyết định", out)
        out = self.ok("annul", "dv05", "--reason", "Xếp loại viên chức năm học thấp hơn (V.5.2)", "--rating", "HTNV",
                      "--on", "2021-12-10")
        self.assertIn("Đã hủy", out)
        listing = self.ok("decide", "list")
        lines = listing.splitlines()
        self.assertIn("Tập thể chi bộ", lines[0], "the collective first")
        dung = [ln for ln in lines if "dv05" in ln]
        self.assertEqual(len(dung), 2, listing)
        self.assertIn("HTTNV", dung[0])
        self.assertIn("công khai 29/11/2021", dung[0])
        self.assertIn("ĐÃ HỦY 10/12/2021: Xếp loại viên chức năm học thấp hơn (V.5.2)", dung[0])
        old_id = dung[0].split()[0]
        self.assertIn("HTNV", dung[1])
        self.assertIn("thay quyết định %s" % old_id, dung[1])
        self.assertIn("chưa công khai", dung[1])
        show = self.ok("meeting", "show", mid)
        self.assertIn("ĐÃ HỦY 10/12/2021", show)
        self.assertIn("thay quyết định %s" % old_id, show)
        with kdtest.connect(self.db) as c:
            rows = c.execute("SELECT rating, annulled_on, replaces_id FROM decision d JOIN person p"
                             " ON p.id = d.person_id WHERE p.code = 'dv05' ORDER BY d.id").fetchall()
        self.assertEqual(rows, [("HTTNV", "2021-12-10", None), ("HTNV", None, int(old_id))])
        # publish again publishes only the new decision
        self.assertIn("Đã công khai 1 quyết định", self.ok("publish", "--on", "2021-12-10"))
        actions = self.audit_actions()
        for a in ("decide dv05 HTTNV", "decide collective HTTNV", "publish 2021-11-29", "annul dv05 HTNV",
                  "publish 2021-12-10"):
            self.assertIn(a, actions)
        self.assert_audit_intact()

    def test_decide_rules(self):
        mid = self.voted_cell()
        self.bad(2, "decide", "dv05", "HTXSNV", "--on", CELL_DAY,
                 contains=("HTXSNV is above what the cell voted (HTTNV", "meeting %s round 1" % mid))
        self.bad(1, "decide", "dv06", "HTTNV", "--on", CELL_DAY, contains=("dv06", "no ballots"))
        self.bad(2, "decide", "dv16", "HTNV", "--on", CELL_DAY, contains=("dv16", "M-NR1"))
        self.bad(2, "decide", "dv05", "HTTNV", "--on", "2021-11-20", contains=("before the vote",))
        self.ok("decide", "dv05", "HTTNV", "--on", CELL_DAY)
        self.bad(1, "decide", "dv05", "HTNV", "--on", CELL_DAY, contains=("already decided HTTNV", "kiemdiem annul"))
        # a round without a majority must be voted again first
        self.votes(mid, "dv04", 15, 3, 4)
        self.bad(1, "decide", "dv04", "HTNV", "--on", CELL_DAY, contains=("no majority", "biểu quyết lại"))
        # a group's vote is not the cell's decision
        g = self.meeting("to1", TO1_DAY)
        self.ok("meeting", "agenda", g)
        self.votes(g, "dv06", 5, 0, 5)
        self.bad(1, "decide", "dv06", "HTTNV", "--on", CELL_DAY, contains=("no ballots recorded at a cell meeting",))

    def test_quota_blocks_publication(self):
        self.voted_cell()
        self.ok("decide", "dv08", "HTXSNV", "--on", CELL_DAY)
        out = self.ok("decide", "dv09", "HTXSNV", "--on", CELL_DAY)
        # n = 2 (both HTXSNV), cap = floor(2 * 20 / 100) = 0
        self.assertIn("Lưu ý: 2 đảng viên HTXSNV, vượt 0", out)
        self.ok("decide", "dv05", "HTTNV", "--on", CELL_DAY)
        self.ok("decide", "dv10", "HTTNV", "--on", CELL_DAY)
        self.bad(1, "publish", "--on", CELL_DAY, contains=("2 members decided HTXSNV", "Q-1"))
        with kdtest.connect(self.db) as c:
            self.assertEqual(c.execute("SELECT count(*) FROM decision WHERE published_on IS NOT NULL").fetchone()[0], 0)
        # choose by ballots (dv08 has more HTXSNV ballots): dv09 becomes HTTNV; n = 4, cap 0: still too many
        self.ok("annul", "dv09", "--reason", "Vượt tỷ lệ 20%, chọn theo số phiếu", "--rating", "HTTNV", "--on", CELL_DAY)
        self.bad(1, "publish", "--on", CELL_DAY, contains=("1 members decided HTXSNV", "at most 0"))
        self.ok("annul", "dv08", "--reason", "Vượt tỷ lệ 20%", "--rating", "HTTNV", "--on", CELL_DAY)
        self.assertIn("Đã công khai 4 quyết định", self.ok("publish", "--on", CELL_DAY))

    def test_decision_bad_input(self):
        self.voted_cell()
        self.bad(2, "decide", "dv05", contains=("rating",))
        self.bad(2, "decide", "dv05", "TOT", contains=("TOT", "not a rating", "HTXSNV"))
        self.bad(2, "decide", "dv05", "HTTNV", "--on", "27/11/2021", contains=("--on", "not a date"))
        self.bad(1, "decide", "dv99", "HTTNV", contains=("dv99", "no such person"))
        self.bad(1, "decide", "dv05", "HTTNV", "--year", "2020", contains=("2020", "no campaign"))
        self.bad(1, "publish", "--on", CELL_DAY, contains=("no decision waiting",))
        self.bad(2, "publish", "extra", contains=("unexpected argument",))
        self.bad(1, "annul", "dv05", "--reason", "x", "--rating", "HTNV", contains=("no current decision",))
        self.ok("decide", "dv05", "HTTNV", "--on", CELL_DAY)
        self.bad(2, "publish", "--on", "2021-11-26", contains=("dv05", "after the publication"))
        self.bad(2, "annul", "dv05", "--rating", "HTNV", contains=("--reason", "missing"))
        self.bad(2, "annul", "dv05", "--reason", "x", contains=("--rating", "missing"))
        self.bad(2, "annul", "dv05", "--reason", "x", "--rating", "KHA", contains=("KHA", "not a rating"))
        self.bad(2, "annul", "dv05", "--reason", " ", "--rating", "HTNV", "--on", CELL_DAY, contains=("--reason", "empty"))
        self.bad(2, "annul", "dv05", "--reason", "x", "--rating", "HTTNV", "--on", CELL_DAY, contains=("the same",))
        self.bad(2, "annul", "dv05", "--reason", "x", "--rating", "HTNV", "--on", "2021-11-01",
                 contains=("before the decision",))
        self.bad(2, "annul", "--reason", "x", "--rating", "HTNV", contains=("subject",))
        self.assertIn("Cách dùng", self.ok("decide", "--help"))
        self.assertIn("Cách dùng", self.ok("publish", "--help"))
        self.assertIn("Cách dùng", self.ok("annul", "--help"))
        self.assert_audit_intact()


class TestOnDemo(unittest.TestCase):
    """Writes on the demo database, which is audited from its first row:
    after them `audit verify` must pass."""

    def test_audit_verify_after_writes(self):
        d = tempfile.mkdtemp(prefix="kdmeeting-demo-")
        try:
            db = os.path.join(d, "demo.db")
            rc, out, err = kd("demo", db=db)
            self.assertEqual(rc, 0, err)
            rc, out, err = kd("meeting", "list", db=db)
            self.assertEqual(rc, 0, err)
            cell = [ln.split()[0] for ln in out.splitlines() if "(chi bộ)" in ln][0]
            steps = [
                ["meeting", "agenda", cell],
                ["meeting", "attend", cell, "dv22", "--absent", "--reason", "Ốm"],
                ["meeting", "comment", cell, "collective", "--comments", "Bổ sung giải pháp."],
                ["meeting", "minutes", cell, "--text", "Biên bản hội nghị chi bộ."],
                ["meeting", "held", cell, "--on", "2021-11-27"],
                ["vote", "record", cell, "collective", "--voters", "32", "--HTXSNV", "5", "--HTTNV", "25",
                 "--HTNV", "0", "--KHTNV", "0", "--issued", "31", "--invalid", "1", "--unused", "0"],
                ["annul", "dv17", "--reason", "Xếp loại viên chức thấp hơn", "--rating", "KHTNV", "--on", "2021-12-01"],
                ["publish", "--on", "2021-12-02"],
                ["meeting", "add", "to1", "--on", "2021-12-03"],
            ]
            for s in steps:
                rc, out, err = kd(*s, db=db)
                self.assertEqual(rc, 0, "%s: %s" % (" ".join(s), err))
            rc, out, err = kd("audit", "verify", db=db)
            self.assertEqual(rc, 0, err)
            rc, out, err = kd("meeting", "show", cell, db=db)
            self.assertEqual(rc, 0, err)
            self.assertIn("Lâm Minh Châu (dv22): vắng — Ốm", out)
            self.assertIn("ĐÃ HỦY 01/12/2021: Xếp loại viên chức thấp hơn", out)
        finally:
            shutil.rmtree(d, True)


if __name__ == "__main__":
    unittest.main()
