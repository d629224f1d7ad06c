"""End-to-end tests of the roster (issue 3): `import roster`, `export roster`,
`member`, `group` and `massorg`, run as a user would against a SQLite file
(cli.md; the CSV format is docs/roster.md).

Every command that succeeds is followed by `kiemdiem audit verify`, which
must exit 0; every command that fails must leave the database as it was
(same export, same audit log).
"""

import csv
import io
import os
import subprocess
import unicodedata
import unittest

import kdtest
from kdtest import REPO_ROOT, binary, tmpfile

DATA = os.path.join(REPO_ROOT, "tests", "data")
GOOD = os.path.join(DATA, "roster-minh-khai.csv")
BAD = os.path.join(DATA, "roster-bad.csv")
COLUMNS = ["ma", "ho_ten", "ngay_sinh", "ngay_vao_dang", "ngay_chinh_thuc", "so_the", "to_dang",
           "chuc_vu_dang", "chuc_vu_chinh_quyen", "cong_chuc", "cap_tren_quan_ly", "chi_uy",
           "to_truong", "email"]
HEADER = ",".join(COLUMNS)


def kd(*args, db=None, env=None):
    """Run kiemdiem; returns (exit status, stdout, stderr) with text decoded."""
    cmd = [binary()] + list(args) + (["--db", db] if db else [])
    e = dict(os.environ)
    e.pop("KIEMDIEM_FAULT_AFTER_ROWS", None)
    e.update(env or {})
    p = subprocess.run(cmd, capture_output=True, timeout=120, env=e)
    err = p.stderr.decode("utf-8", "replace")
    # A sanitizer's report may come with an exit status a test expects
    # (LeakSanitizer exits 1): never let one pass.
    for word in ("Sanitizer", "runtime error:"):
        if word in err:
            raise AssertionError("%s: sanitizer report:\n%s" % (" ".join(cmd), err))
    return p.returncode, p.stdout.decode("utf-8"), err


def write(data, name="roster.csv"):
    path = tmpfile(name)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def csv_text(rows, header=HEADER, delimiter=","):
    """A roster from dicts (missing columns empty)."""
    cols = header.split(delimiter)
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        w.writerow([r.get(c, "") for c in cols])
    return out.getvalue()


def parse_export(text):
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], rows[1:]


class RosterCase(unittest.TestCase):
    maxDiff = None

    # -- running
    def ok(self, *args, db, env=None):
        """A command that must succeed; the audit chain must then verify."""
        rc, out, err = kd(*args, db=db, env=env)
        self.assertEqual(rc, 0, "%s: exit %d\n%s" % (" ".join(args), rc, err))
        self.verify(db)
        return out

    def fails(self, *args, db, status=2):
        """A command that must fail with `status` and change nothing; returns
        its stderr lines (each non-empty)."""
        before = self.state(db)
        rc, out, err = kd(*args, db=db)
        self.assertEqual(rc, status, "%s: exit %d (want %d)\nstdout: %s\nstderr: %s"
                         % (" ".join(args), rc, status, out, err))
        lines = err.splitlines()
        self.assertTrue(lines, "a failing command says why on stderr")
        for ln in lines:
            self.assertTrue(ln.strip(), "empty line on stderr: %r" % err)
        self.assertEqual(self.state(db), before, "a failed command must change nothing")
        self.verify(db)
        return lines

    def verify(self, db):
        rc, out, err = kd("audit", "verify", db=db)
        self.assertEqual(rc, 0, "audit verify: %s%s" % (out, err))

    def state(self, db):
        """What a change could touch: the export and the audit log."""
        return (kd("export", "roster", db=db)[1], kd("audit", "log", db=db)[1])

    def audit_entries(self, db):
        return len(kd("audit", "log", db=db)[1].splitlines())

    def export(self, db):
        rc, out, err = kd("export", "roster", db=db)
        self.assertEqual(rc, 0, err)
        return out

    def export_rows(self, db):
        header, rows = parse_export(self.export(db))
        self.assertEqual(header, COLUMNS)
        return {r[0]: dict(zip(COLUMNS, r)) for r in rows}

    def people(self, db):
        """The person table, as sqlite3 reads it (read only)."""
        c = kdtest.connect(db)
        try:
            return c.execute("SELECT * FROM person ORDER BY id").fetchall()
        finally:
            c.close()

    # -- setting up
    def new_db(self, groups=4):
        db = tmpfile("roster.db")
        self.ok("init", "--cell", "Chi bộ trường THPT Nguyễn Thị Minh Khai", db=db)
        for i in range(1, groups + 1):
            self.ok("group", "add", "to%d" % i, "--name", "Tổ đảng %d" % i, db=db)
        return db

    def imported(self, path=GOOD):
        db = self.new_db()
        self.ok("import", "roster", path, db=db)
        return db

    def assert_line(self, lines, path, line, column, *contains):
        """Some stderr line is "PATH:LINE: COLUMN: ..." and contains `contains`."""
        prefix = "%s:%d: %s" % (path, line, column)
        for ln in lines:
            if ln.startswith(prefix) and all(c in ln for c in contains):
                return ln
        self.fail("no stderr line starts with %r and contains %r:\n%s" % (prefix, contains, "\n".join(lines)))


class TestImport(RosterCase):
    def test_good_file(self):
        db = self.new_db()
        n = self.audit_entries(db)
        out = self.ok("import", "roster", GOOD, db=db)
        self.assertIn("thêm 33", out)
        self.assertEqual(self.audit_entries(db), n + 1, "one import, one audit entry")
        self.assertIn("import roster roster-minh-khai.csv", kd("audit", "log", db=db)[1])
        rows = self.export_rows(db)
        self.assertEqual(sorted(rows), ["dv%02d" % i for i in range(1, 34)])
        dv03 = rows["dv03"]
        self.assertEqual(dv03["ho_ten"], "Lê Thị Bạch Lan")
        self.assertEqual(dv03["ngay_sinh"], "1983-04-16", "DD/MM/YYYY is stored as YYYY-MM-DD")
        self.assertEqual(dv03["chi_uy"], "chi_uy_vien")
        self.assertEqual(rows["dv04"]["cong_chuc"], "1", "co is 1")
        self.assertEqual(rows["dv33"]["cong_chuc"], "0", "empty is 0")
        self.assertEqual(rows["dv33"]["ngay_chinh_thuc"], "")
        self.assertEqual(rows["dv05"]["chuc_vu_chinh_quyen"], "Giáo viên, Tổ trưởng chuyên môn")
        # the plan's groups (VI.1): 7, 7, 7 and 9 members, with their leaders
        out = self.ok("group", "list", db=db)
        for code, leader, count in (("to1", "Phạm Thị Nguyệt Lệ", 7), ("to2", "Huỳnh Thị Thúy Hải", 7),
                                    ("to3", "Ngô Thị Bích Thủy", 7), ("to4", "Võ Đoàn Triều", 9)):
            line = [ln for ln in out.splitlines() if ln.startswith(code + " ")][0]
            self.assertIn(leader, line)
            self.assertIn(" %d " % count, line)
        members = self.ok("member", "list", db=db).splitlines()
        self.assertEqual(len([ln for ln in members if ln.startswith("dv")]), 33)

    def test_name_split(self):
        db = self.imported()
        out = self.ok("member", "show", "dv01", db=db)
        self.assertRegex(out, r"Họ:\s+Nguyễn\n")
        self.assertRegex(out, r"Tên đệm:\s+Thị Hồng\n")
        self.assertRegex(out, r"Tên:\s+Chương\n")
        with kdtest.connect(db) as c:
            got = c.execute("SELECT family_name, middle_name, given_name FROM person WHERE code = 'dv25'").fetchone()
        self.assertEqual(got, ("Võ", "Đoàn", "Triều"))

    def test_bom_semicolon_crlf(self):
        want = self.export(self.imported())
        with open(GOOD, encoding="utf-8") as f:
            rows = list(csv.reader(f))
        for bom in (b"", b"\xef\xbb\xbf"):
            for delim in (",", ";"):
                for eol in ("\n", "\r\n"):
                    out = io.StringIO()
                    csv.writer(out, delimiter=delim, lineterminator=eol).writerows(rows)
                    path = write(bom + out.getvalue().encode("utf-8"))
                    db = self.imported(path)
                    self.assertEqual(self.export(db), want, "BOM %r, delimiter %r, eol %r" % (bom, delim, eol))

    def test_header_only(self):
        db = self.new_db()
        out = self.ok("import", "roster", write(HEADER + "\n"), db=db)
        self.assertIn("thêm 0", out)

    def test_blank_lines_and_columns_in_any_order(self):
        text = ("email,ho_ten,ma,to_dang\n\n"
                "an@x.vn,Trần Văn An,dv01,to1\n"
                ",,,\n"
                ",Lê Thị Bình,dv02,\n")
        db = self.new_db()
        self.ok("import", "roster", write(text), db=db)
        rows = self.export_rows(db)
        self.assertEqual(rows["dv01"]["email"], "an@x.vn")
        self.assertEqual(rows["dv01"]["to_dang"], "to1")
        self.assertEqual(rows["dv02"]["to_dang"], "")

    def test_standard_input(self):
        db = self.new_db()
        p = subprocess.run([binary(), "import", "roster", "--db", db, "-"], capture_output=True,
                           input=csv_text([{"ma": "dv01", "ho_ten": "Trần Văn An"}]).encode(), timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.verify(db)
        self.assertIn("dv01", self.export_rows(db))

    def test_dry_run_writes_nothing(self):
        db = self.new_db()
        before = self.state(db)
        out = self.ok("import", "roster", "--dry-run", GOOD, db=db)
        self.assertIn("33", out)
        self.assertEqual(self.state(db), before)


class TestBadRows(RosterCase):
    """Each bad row is reported with its line (header = line 1) and column;
    nothing is imported; the exit status is 2."""

    def setUp(self):
        self.db = self.new_db()
        # someone already there, so that duplicates against stored rows show
        self.ok("member", "add", "dv90", "--name", "Cao Văn Sẵn", "--card", "99.000001", "--group", "to4",
                "--group-leader", db=self.db)

    def bad(self, rows, line, column, *contains, header=HEADER):
        path = write(rows if isinstance(rows, (bytes, str)) else csv_text(rows, header))
        lines = self.fails("import", "roster", path, db=self.db)
        self.assert_line(lines, path, line, column, *contains)
        return lines

    def good(self, code="dv01", name="Trần Văn An", **kw):
        r = {"ma": code, "ho_ten": name}
        r.update(kw)
        return r

    def test_bad_date(self):
        path = write(csv_text([self.good(), self.good("dv02", ngay_sinh="31/02/1980")]))
        lines = self.fails("import", "roster", path, db=self.db)
        self.assertIn('%s:3: ngay_sinh: "31/02/1980" is not a date; expected YYYY-MM-DD or DD/MM/YYYY' % path, lines)
        for value in ("1980-02-30", "2021/01/01", "1.1.1980", "01/13/1980", "ngày 5", "19800101"):
            self.bad([self.good(), self.good("dv02", ngay_vao_dang=value)], 3, "ngay_vao_dang", value)

    def test_date_order(self):
        self.bad([self.good(ngay_vao_dang="2010-05-01", ngay_chinh_thuc="2009-05-01")], 2, "ngay_chinh_thuc")
        self.bad([self.good(ngay_sinh="2010-05-01", ngay_vao_dang="2000-05-01")], 2, "ngay_vao_dang")

    def test_duplicate_code(self):
        self.bad([self.good(), self.good("dv02"), self.good("dv01", "Lê Thị Bình")], 4, "ma", "dv01", "line 2")

    def test_duplicate_card_in_file(self):
        self.bad([self.good(so_the="12.345"), self.good("dv02", so_the="12.345")], 3, "so_the", "12.345", "line 2")

    def test_duplicate_card_in_database(self):
        self.bad([self.good(so_the="99.000001")], 2, "so_the", "99.000001", "dv90")

    def test_unknown_group(self):
        self.bad([self.good(to_dang="to1"), self.good("dv02", to_dang="to9")], 3, "to_dang", "to9", "to1, to2, to3, to4")

    def test_bad_utf8(self):
        data = (HEADER + "\n" + "dv01,Trần Văn An" + "," * 12 + "\n").encode() + \
            b"dv02,L\xea Th\xc3,," + b"," * 10 + b"\n"
        self.bad(data, 3, "ho_ten", "UTF-8")

    def test_missing_required_column(self):
        self.bad("ma,ngay_sinh\ndv01,1980-01-01\n", 1, "missing column ho_ten")
        self.bad("ho_ten\nTrần Văn An\n", 1, "missing column ma")

    def test_unknown_column(self):
        path = write("ma,ho_ten,ngay_sinhh,que_quan\ndv01,Trần Văn An,,\n")
        lines = self.fails("import", "roster", path, db=self.db)
        self.assert_line(lines, path, 1, "column 3", '"ngay_sinhh" is not a roster column', "ngay_sinh,")
        self.assert_line(lines, path, 1, "column 4", "que_quan")

    def test_repeated_column(self):
        self.bad("ma,ho_ten,ma\ndv01,A,dv01\n", 1, "column 3", "twice")

    def test_wrong_number_of_fields(self):
        self.bad("ma,ho_ten\ndv01,Trần Văn An\ndv02,Lê Thị Bình,x\n", 3, "3 fields")

    def test_bad_quotes(self):
        self.bad('ma,ho_ten\ndv01,Trần "Văn" An\n', 2, "")
        self.bad('ma,ho_ten\ndv01,"Trần Văn An\n', 2, "")

    def test_empty_file(self):
        self.bad(b"", 1, "")
        self.bad(b"\nma,ho_ten\n", 1, "")

    def test_bad_values(self):
        self.bad([self.good(cong_chuc="maybe")], 2, "cong_chuc", "maybe")
        self.bad([self.good(chi_uy="boss")], 2, "chi_uy", "boss")
        self.bad([self.good(email="an.x.vn")], 2, "email", "an.x.vn")
        self.bad([self.good(code="dv 01")], 2, "ma", "dv 01")
        self.bad([self.good(code="")], 2, "ma", "empty")
        self.bad([self.good(name="  ")], 2, "ho_ten", "empty")
        self.bad([self.good(to_truong="1")], 2, "to_truong", "no party group")
        self.bad([self.good(name="A" * 201)], 2, "ho_ten", "200")

    def test_one_secretary_and_one_leader_per_group(self):
        self.bad([self.good(chi_uy="bi_thu"), self.good("dv02", chi_uy="bi_thu")], 3, "chi_uy", "dv01")
        self.bad([self.good(to_dang="to4", to_truong="1")], 2, "to_truong", "dv90")

    def test_every_problem_at_once(self):
        lines = self.fails("import", "roster", BAD, db=self.db)
        want = [(3, "ngay_sinh"), (4, "ma"), (5, "so_the"), (6, "to_dang"), (7, "chi_uy"), (8, "cong_chuc"),
                (9, "email"), (10, "ma"), (11, "to_truong"), (12, "chi_uy"), (13, "ngay_chinh_thuc"),
                (14, "ma"), (15, "ho_ten"), (16, "ngay_vao_dang")]
        for line, column in want:
            self.assert_line(lines, BAD, line, column)
        self.assertEqual(len(lines), len(want), "\n".join(lines))
        numbers = [int(ln.split(":")[1]) for ln in lines]
        self.assertEqual(numbers, sorted(numbers), "problems come in line order")

    def test_shape_and_value_problems_together(self):
        """A row with the wrong number of fields does not hide the other rows' problems."""
        text = HEADER + "\n" + "dv01,A\n" + csv_text([self.good("dv02", ngay_sinh="x")]).split("\n", 1)[1]
        path = write(text)
        lines = self.fails("import", "roster", path, db=self.db)
        self.assert_line(lines, path, 2, "2 fields")
        self.assert_line(lines, path, 3, "ngay_sinh")

    def test_nothing_imported_with_one_bad_row(self):
        with open(GOOD, encoding="utf-8") as f:
            text = f.read()
        text = text.replace("dv33,Đặng Thị Thanh Phượng,26/10/1962", "dv33,Đặng Thị Thanh Phượng,32/10/1962")
        path = write(text)
        lines = self.fails("import", "roster", path, db=self.db)
        self.assert_line(lines, path, 34, "ngay_sinh", "32/10/1962")
        self.assertEqual(list(self.export_rows(self.db)), ["dv90"])
        out = self.ok("member", "list", db=self.db)
        self.assertNotIn("dv01", out)

    def test_missing_file(self):
        self.fails("import", "roster", os.path.join(os.path.dirname(self.db), "nope.csv"), db=self.db)
        self.fails("import", "roster", db=self.db)
        self.fails("import", db=self.db)
        self.fails("import", "people", GOOD, db=self.db)


class TestReimport(RosterCase):
    def test_reimport_updates(self):
        db = self.imported()
        n = self.audit_entries(db)
        with open(GOOD, encoding="utf-8") as f:
            text = f.read()
        text = text.replace("dv09,Nguyễn Văn Tuấn", "dv09,Nguyễn Văn Tuân").replace(
            "dv07,Nguyễn Thị Kim Ngân,1978-08-08,2015-06-30,2016-06-30,79.104259,to1",
            "dv07,Nguyễn Thị Kim Ngân,1978-08-08,2015-06-30,2016-06-30,79.104259,to2")
        text += "dv34,Lý Thị Hoa,,2021-10-01,,,to3,,,0,0,,0,\n"
        out = self.ok("import", "roster", write(text), db=db)
        self.assertIn("thêm 1, cập nhật 2, giữ nguyên 31", out)
        self.assertEqual(self.audit_entries(db), n + 1)
        rows = self.export_rows(db)
        self.assertEqual(rows["dv09"]["ho_ten"], "Nguyễn Văn Tuân")
        self.assertEqual(rows["dv07"]["to_dang"], "to2")
        self.assertEqual(len(rows), 34)

    def test_same_file_twice_changes_nothing(self):
        db = self.imported()
        before = (self.people(db), self.audit_entries(db))
        out = self.ok("import", "roster", GOOD, db=db)
        self.assertIn("thêm 0, cập nhật 0, giữ nguyên 33", out)
        self.assertEqual((self.people(db), self.audit_entries(db)), before)

    def test_absent_columns_are_kept(self):
        db = self.imported()
        want = self.export_rows(db)
        self.ok("import", "roster", write("ma,ho_ten,email\ndv02,Trần Văn Ba,ba@minhkhai.edu.vn\n"), db=db)
        got = self.export_rows(db)
        want["dv02"]["email"] = "ba@minhkhai.edu.vn"
        self.assertEqual(got, want)

    def test_cards_can_change_hands(self):
        db = self.imported()
        self.ok("import", "roster", write("ma,ho_ten,so_the\ndv01,Nguyễn Thị Hồng Chương,79.104074\n"
                                          "dv02,Trần Văn Ba,79.104037\n"), db=db)
        rows = self.export_rows(db)
        self.assertEqual((rows["dv01"]["so_the"], rows["dv02"]["so_the"]), ("79.104074", "79.104037"))

    def test_secretary_can_change_in_one_file(self):
        db = self.imported()
        self.ok("import", "roster", write("ma,ho_ten,chi_uy\ndv01,Nguyễn Thị Hồng Chương,chi_uy_vien\n"
                                          "dv02,Trần Văn Ba,bi_thu\n"), db=db)
        self.assertEqual(self.export_rows(db)["dv02"]["chi_uy"], "bi_thu")


class TestExport(RosterCase):
    def test_round_trip(self):
        a = self.imported()
        text = self.export(a)
        header, rows = parse_export(text)
        self.assertEqual(header, COLUMNS)
        self.assertEqual(len(rows), 33)
        for r in rows:
            for c in (2, 3, 4):
                self.assertRegex(r[c], r"^(\d{4}-\d{2}-\d{2})?$", "dates YYYY-MM-DD")
        # into a new database: the same roster
        b = self.imported(write(text, "export.csv"))
        self.assertEqual(self.export(b), text)
        cols = "code, full_name, family_name, middle_name, given_name, birth_date, admitted_on, official_on," \
               " card_no, email, party_position, work_position, civil_servant, upper_managed, committee_role," \
               " group_leader, active, (SELECT code FROM org WHERE org.id = person.group_id)"
        def table(db):
            with kdtest.connect(db) as c:
                return sorted(c.execute("SELECT %s FROM person" % cols).fetchall())
        self.assertEqual(table(a), table(b))
        # into the same database: nothing changes, no audit entry
        before = (self.people(a), self.audit_entries(a))
        self.ok("import", "roster", write(text, "export.csv"), db=a)
        self.assertEqual((self.people(a), self.audit_entries(a)), before)

    def test_vietnamese_order(self):
        names = ["Lê Văn Ỷ", "Trần Thị Lan", "Phạm Văn Hào", "Võ Minh Đức", "Ngô Văn Dũng", "Lý Thị Bình",
                 "Đỗ Thị Ăn", "Hồ Thị Ánh", "Trần Văn An", "Lê Thị An", "Nguyễn Văn Bình", "Lê Văn Bình",
                 "Mai Thị Âu", "Phan Thị Anh"]
        rows = [{"ma": "p%02d" % i, "ho_ten": n} for i, n in enumerate(names)]
        db = self.new_db()
        self.ok("import", "roster", write(csv_text(rows)), db=db)
        want = ["Lê Thị An", "Trần Văn An", "Phan Thị Anh", "Hồ Thị Ánh", "Đỗ Thị Ăn", "Mai Thị Âu",
                "Lý Thị Bình", "Lê Văn Bình", "Nguyễn Văn Bình", "Ngô Văn Dũng", "Võ Minh Đức",
                "Phạm Văn Hào", "Trần Thị Lan", "Lê Văn Ỷ"]
        _, got = parse_export(self.export(db))
        self.assertEqual([r[1] for r in got], want)
        listed = [ln for ln in self.ok("member", "list", db=db).splitlines() if ln.startswith("p")]
        self.assertEqual([ln.split("  ")[1].strip() for ln in listed], want)

    def test_nfd_stored_as_nfc(self):
        name = "Nguyễn Thị Ánh Tuyết"
        nfd = unicodedata.normalize("NFD", name)
        self.assertNotEqual(nfd, name)
        db = self.new_db()
        self.ok("import", "roster", write("ma,ho_ten,chuc_vu_dang\ndv01,%s,%s\n"
                                          % (nfd, unicodedata.normalize("NFD", "Đảng viên"))), db=db)
        self.ok("member", "add", "dv02", "--name", unicodedata.normalize("NFD", "Lê Văn Ỷ"), db=db)
        text = self.export(db)
        self.assertTrue(unicodedata.is_normalized("NFC", text))
        rows = self.export_rows(db)
        self.assertEqual(rows["dv01"]["ho_ten"], name)
        self.assertEqual(rows["dv01"]["chuc_vu_dang"], "Đảng viên")
        self.assertEqual(rows["dv02"]["ho_ten"], "Lê Văn Ỷ")
        with kdtest.connect(db) as c:
            got = c.execute("SELECT full_name, given_name FROM person WHERE code = 'dv01'").fetchone()
        self.assertEqual(got, (name, "Tuyết"))
        # the NFD spelling finds the same person: re-import changes nothing
        out = self.ok("import", "roster", write("ma,ho_ten\ndv01,%s\n" % nfd), db=db)
        self.assertIn("giữ nguyên 1", out)

    def test_quoting(self):
        db = self.new_db()
        self.ok("member", "add", "dv01", "--name", "Trần Văn An", "--work-position", 'Giáo viên; "Tổ trưởng", khối 10',
                db=db)
        text = self.export(db)
        self.assertIn('"Giáo viên; ""Tổ trưởng"", khối 10"', text)
        b = self.imported(write(text))
        self.assertEqual(self.export(b), text)

    def test_bom_option(self):
        db = self.imported()
        rc, out, err = kd("export", "roster", "--bom", db=db)
        self.assertEqual(rc, 0, err)
        self.assertTrue(out.startswith("\ufeffma,ho_ten,"))
        self.assertEqual(out[1:], self.export(db))

    def test_export_usage(self):
        db = self.new_db()
        self.assertEqual(kd("export", db=db)[0], 2)
        rc, _, err = kd("export", "people", db=db)
        self.assertEqual(rc, 2)
        self.assertIn("roster or json", err)
        self.assertEqual(kd("export", "roster", "extra", db=db)[0], 2)
        if not kdtest.PG_HOST:  # a missing SQLite file; PostgreSQL databases are made by their admin
            self.assertEqual(kd("export", "roster", "--db", os.path.join(os.path.dirname(db), "none.db"))[0], 1)
        self.assertEqual(kd("export", "--help")[0], 0)

    def test_db_option_before_or_after(self):
        db = self.imported()
        want = self.export(db)
        for args in (["export", "--db", db, "roster"], ["export", "--db=" + db, "roster"],
                     ["export", "roster", "--db", db]):
            rc, out, err = kd(*args)
            self.assertEqual((rc, out), (0, want), err)

    def test_export_json_is_dispatched(self):
        """`export json` is another part's (cli.md); the one export command
        hands it over with --db wherever it was given."""
        db = self.imported()
        for args in (["export", "json", "--db", db], ["export", "--db", db, "json"]):
            rc, out, err = kd(*args)
            self.assertNotIn("not something to export", err)
            self.assertNotIn("kiemdiem.db", err, "the --db given must reach export json")


class TestCrash(RosterCase):
    def test_crash_in_the_middle_leaves_nothing(self):
        db = self.new_db()
        self.ok("import", "roster", write(csv_text([{"ma": "dv01", "ho_ten": "Trần Văn An", "to_dang": "to1"},
                                                    {"ma": "dv02", "ho_ten": "Lê Thị Bình"}])), db=db)
        before = (self.people(db), self.state(db))
        rows = [{"ma": "dv01", "ho_ten": "Trần Văn Ân", "to_dang": "to2"},
                {"ma": "dv02", "ho_ten": "Lê Thị Bính"}] + \
               [{"ma": "dv%02d" % i, "ho_ten": "Người Thứ %d" % i} for i in range(3, 9)]
        path = write(csv_text(rows))
        rc, out, err = kd("import", "roster", path, db=db, env={"KIEMDIEM_FAULT_AFTER_ROWS": "3"})
        self.assertNotEqual(rc, 0, "the process must die")
        self.assertNotIn("Đã nhập", out)
        self.assertEqual((self.people(db), self.state(db)), before, "no partial rows after the crash")
        self.verify(db)
        # and the same import, uninterrupted, goes through
        out = self.ok("import", "roster", path, db=db)
        self.assertIn("thêm 6, cập nhật 2", out)
        self.assertEqual(len(self.export_rows(db)), 8)


class TestStreaming(RosterCase):
    """The importer reads the file as it comes and checks across rows in the
    database (issue 6): rows far apart, more problems than are printed, a
    record across the reader's 64 KiB chunks, columns left out merged with
    the people stored."""

    def test_far_apart_rows_are_still_checked(self):
        db = self.new_db()
        n = 100000
        lines = ["ma,ho_ten,so_the,chi_uy"]
        lines += ["m%06d,Người Thứ %d,T.%06d,%s" % (i, i, i, "bi_thu" if i == 1 else "") for i in range(1, n + 1)]
        lines += ["m000001,Người Lặp Lại,,", "x000001,Người Mới,T.000002,", "x000002,Người Khác,,bi_thu"]
        path = write("\n".join(lines) + "\n")
        got = self.fails("import", "roster", path, db=db)
        self.assertEqual(got, [
            '%s:%d: ma: "m000001" repeats line 2; expected each code once' % (path, n + 2),
            '%s:%d: so_the: "T.000002" is also the card of m000002 (Người Thứ 2, line 3); expected each card'
            ' number once' % (path, n + 3),
            "%s:%d: chi_uy: bi_thu, but so is m000001 (Người Thứ 1, line 2); expected one bi_thu per cell"
            % (path, n + 4)])
        self.assertEqual(self.export_rows(db), {}, "nothing imported")

    def test_many_problems_in_order_then_counted(self):
        db = self.new_db()
        rows = []
        for i in range(300):
            if i % 2:
                rows.append({"ma": "dv%03d" % i, "ho_ten": "Trần Văn An", "so_the": "C1"})
            else:
                rows.append({"ma": "dv%03d" % i, "ho_ten": "Trần Văn An", "ngay_sinh": "x%d" % i})
        path = write(csv_text(rows))
        lines = self.fails("import", "roster", path, db=db)
        # 150 bad dates and 149 cards held twice (the first row with C1 keeps it)
        self.assertEqual(len(lines), 201, "\n".join(lines[:3] + lines[-3:]))
        self.assertEqual(lines[-1], "... and 99 more problems")
        numbers = [int(ln.split(":")[1]) for ln in lines[:-1]]
        self.assertEqual(numbers, [2] + list(range(4, 203)), "the first 200 problems, in line order")
        self.assertIn('ngay_sinh: "x0" is not a date', lines[0])
        self.assertIn('so_the: "C1" is also the card of dv001 (Trần Văn An, line 3)', lines[2])

    def test_record_across_read_chunks(self):
        header = "ma,ho_ten,chuc_vu_dang,ngay_sinh\n"
        text, i = header, 0
        while len((text + "f%05d,Người Thứ Năm,,\n" % i).encode()) < 65536 - 20:
            text += "f%05d,Người Thứ Năm,,\n" % i
            i += 1
        start = text.count("\n") + 1
        before = len(text.encode())
        text += 'g00001,Người Giữa,"Giáo viên dạy Toán\nTổ trưởng chuyên môn",\n'
        self.assertTrue(before < 65536 < len(text.encode()), "the record straddles the first 64 KiB")
        text += "g00002,Người Sau,,31/02/1980\n"
        db = self.new_db()
        path = write(text)
        lines = self.fails("import", "roster", path, db=db)
        self.assertEqual(lines, [
            "%s:%d: chuc_vu_dang: contains a line break or a control character; expected one line of text"
            % (path, start),
            '%s:%d: ngay_sinh: "31/02/1980" is not a date; expected YYYY-MM-DD or DD/MM/YYYY' % (path, start + 2)])
        # and the same file, fixed, goes in whole
        self.ok("import", "roster", write(text.replace("Toán\nTổ", "Toán, Tổ").replace("31/02", "28/02")), db=db)
        self.assertEqual(len(self.export_rows(db)), i + 2)

    def test_left_out_columns_are_checked_as_stored(self):
        db = self.imported()
        birth = self.export_rows(db)["dv02"]["ngay_sinh"]
        path = write("ma,ho_ten,ngay_vao_dang\ndv02,Trần Văn Ba,1950-01-01\n")
        lines = self.fails("import", "roster", path, db=db)
        self.assertEqual(lines, ["%s:2: ngay_vao_dang: 1950-01-01 is not after the birth date %s; expected a later"
                                 " date" % (path, birth)])
        path = write("ma,ho_ten,to_dang\ndv04,Phạm Thị Nguyệt Lệ,\n")
        self.assert_line(self.fails("import", "roster", path, db=db), path, 2, "to_truong", "no party group")


class TestMember(RosterCase):
    def test_add_show_set_list(self):
        db = self.new_db()
        out = self.ok("member", "add", "dv07", "--name", "Nguyễn  Thị Kim   Ngân", "--birth", "08/08/1978",
                      "--admitted", "2015-06-30", "--official", "2016-06-30", "--card", "79.104259", "--group", "to1",
                      "--party-position", "Tổ trưởng tổ đảng", "--work-position", "Giáo viên", "--civil-servant",
                      "--upper-managed", "--committee", "chi_uy_vien", "--group-leader", "--email", "ngan@x.vn",
                      db=db)
        self.assertIn("Nguyễn Thị Kim Ngân", out)
        row = self.export_rows(db)["dv07"]
        self.assertEqual(row, {"ma": "dv07", "ho_ten": "Nguyễn Thị Kim Ngân", "ngay_sinh": "1978-08-08",
                               "ngay_vao_dang": "2015-06-30", "ngay_chinh_thuc": "2016-06-30",
                               "so_the": "79.104259", "to_dang": "to1", "chuc_vu_dang": "Tổ trưởng tổ đảng",
                               "chuc_vu_chinh_quyen": "Giáo viên", "cong_chuc": "1", "cap_tren_quan_ly": "1",
                               "chi_uy": "chi_uy_vien", "to_truong": "1", "email": "ngan@x.vn"})
        show = self.ok("member", "show", "dv07", db=db)
        for text in ("Nguyễn Thị Kim Ngân", "08/08/1978", "to1 (Tổ đảng 1)", "Chi ủy viên", "chính thức",
                     "79.104259", "ngan@x.vn"):
            self.assertIn(text, show)
        # set: only what is given changes; "" clears; --no-x turns a flag off
        self.ok("member", "set", "dv07", "--email", "", "--no-upper-managed", "--group", "to2", db=db)
        row2 = self.export_rows(db)["dv07"]
        self.assertEqual(row2, dict(row, email="", cap_tren_quan_ly="0", to_dang="to2"))
        n = self.audit_entries(db)
        out = self.ok("member", "set", "dv07", "--email", "", db=db)
        self.assertIn("Không có gì thay đổi", out)
        self.assertEqual(self.audit_entries(db), n, "no change, no audit entry")
        self.ok("member", "add", "dv08", "--name", "Lê Văn Tám", "--group", "to1", "--admitted", "2021-06-01", db=db)
        listed = self.ok("member", "list", "--group", "to1", db=db)
        self.assertIn("dv08", listed)
        self.assertNotIn("dv07", listed)
        self.assertIn("dự bị", listed)
        listed = self.ok("member", "list", db=db)
        self.assertIn("Chi ủy viên, Tổ trưởng", listed)
        self.assertIn("chính thức", listed)

    def test_errors(self):
        db = self.new_db()
        self.ok("member", "add", "dv01", "--name", "Trần Văn An", "--committee", "bi_thu", "--card", "1", db=db)
        self.ok("member", "add", "dv02", "--name", "Lê Văn Hai", "--group", "to1", "--group-leader", db=db)
        lines = self.fails("member", "add", "dv01", "--name", "X", db=db, status=1)
        self.assertIn("dv01", lines[0])
        self.fails("member", "add", "dv03", db=db)                                   # no --name
        lines = self.fails("member", "add", "dv03", "--name", "X", "--birth", "31/02/1980", db=db)
        self.assertTrue(lines[0].startswith('member add: --birth: "31/02/1980" is not a date'), lines)
        lines = self.fails("member", "add", "dv03", "--name", "X", "--group", "to9", db=db)
        self.assertTrue(lines[0].startswith("member add: --group:"), lines)
        self.fails("member", "add", "dv03", "--name", "X", "--card", "1", db=db)     # card in use
        self.fails("member", "add", "dv03", "--name", "X", "--committee", "bi_thu", db=db)
        self.fails("member", "add", "dv03", "--name", "X", "--committee", "boss", db=db)
        self.fails("member", "add", "dv03", "--name", "X", "--group", "to1", "--group-leader", db=db)
        self.fails("member", "add", "dv03", "--name", "X", "--civil-servant", "--no-civil-servant", db=db)
        self.fails("member", "add", "dv 3", "--name", "X", db=db)
        self.fails("member", "add", "dv03", "--name", "X", "--bogus", db=db)
        self.fails("member", "add", "dv03", "--name", "X", "--email", "x", db=db)
        self.fails("member", "set", "dv99", "--name", "X", db=db, status=1)
        self.fails("member", "set", "dv01", db=db)                                   # nothing to change
        self.fails("member", "set", "dv02", "--group", "", db=db)                    # a leader needs a group
        self.fails("member", "show", "dv99", db=db, status=1)
        self.fails("member", "show", db=db)
        self.fails("member", "list", "--group", "to9", db=db, status=1)
        self.fails("member", db=db)
        self.fails("member", "remove", "dv01", db=db)

    def test_help(self):
        for args in (["member", "--help"], ["member", "add", "--help"], ["group", "--help"], ["massorg", "--help"],
                     ["import", "--help"], ["import", "roster", "--help"], ["export", "roster", "--help"]):
            rc, out, err = kd(*args)
            self.assertEqual(rc, 0, args)
            self.assertIn("Cách dùng", out)
        rc, out, _ = kd("import", "--help")
        for c in COLUMNS:
            self.assertIn(c, out, "import --help documents every column")


class TestGroup(RosterCase):
    def test_add_list_supervise(self):
        db = self.imported()
        out = self.ok("group", "list", db=db)
        self.assertIn("Tổ đảng 1", out)
        # plan VI.1: who is in charge of which group
        for group, person in (("to1", "dv01"), ("to4", "dv01"), ("to3", "dv02"), ("to2", "dv03")):
            self.ok("group", "supervise", group, person, db=db)
        out = self.ok("group", "list", db=db)
        lines = {ln.split()[0]: ln for ln in out.splitlines()[1:]}
        self.assertIn("Nguyễn Thị Hồng Chương (dv01)", lines["to1"])
        self.assertIn("Nguyễn Thị Hồng Chương (dv01)", lines["to4"])
        self.assertIn("Trần Văn Ba (dv02)", lines["to3"])
        self.assertIn("Lê Thị Bạch Lan (dv03)", lines["to2"])
        self.assertIn("to1, to4", self.ok("member", "show", "dv01", db=db))
        # supervising again replaces
        out = self.ok("group", "supervise", "to4", "dv02", db=db)
        self.assertIn("Nguyễn Thị Hồng Chương", out)
        lines = {ln.split()[0]: ln for ln in self.ok("group", "list", db=db).splitlines()[1:]}
        self.assertIn("Trần Văn Ba (dv02)", lines["to4"])
        self.assertNotIn("dv01", lines["to4"])
        n = self.audit_entries(db)
        self.ok("group", "supervise", "to4", "dv02", db=db)
        self.assertEqual(self.audit_entries(db), n, "nothing changed, no audit entry")
        # the one in charge must stay on the committee
        lines = self.fails("member", "set", "dv02", "--committee", "", db=db)
        self.assertIn("to3", lines[0])
        self.assertIn("to4", lines[0])
        self.ok("group", "add", "to5", "--name", "Tổ đảng 5", db=db)
        self.assertIn("to5", self.ok("group", "list", db=db))

    def test_errors(self):
        db = self.imported()
        self.fails("group", "add", "to1", "--name", "Tổ khác", db=db, status=1)
        self.fails("group", "add", "CB", "--name", "Tổ khác", db=db, status=1)       # the cell's code
        self.fails("group", "add", "to 5", "--name", "Tổ 5", db=db)
        self.fails("group", "add", "to5", db=db)
        self.fails("group", "add", "to5", "--name", "   ", db=db)
        self.fails("group", "supervise", "to1", "dv05", db=db)                        # not on the committee
        self.fails("group", "supervise", "to9", "dv01", db=db, status=1)
        self.fails("group", "supervise", "to1", "dv99", db=db, status=1)
        self.fails("group", "supervise", "to1", db=db)
        self.fails("group", db=db)
        self.fails("group", "delete", "to1", db=db)


class TestMassOrg(RosterCase):
    def test_add_list(self):
        db = self.new_db()
        for name in ("Đoàn Thanh niên", "Công đoàn", "Chi hội Cựu chiến binh"):
            self.ok("massorg", "add", name, db=db)
        self.ok("massorg", "add", unicodedata.normalize("NFD", "Hội Khuyến học"), db=db)
        out = self.ok("massorg", "list", db=db)
        self.assertEqual(out.splitlines(), ["Chi hội Cựu chiến binh", "Công đoàn", "Đoàn Thanh niên", "Hội Khuyến học"])
        self.fails("massorg", "add", "Công đoàn", db=db, status=1)
        self.fails("massorg", "add", unicodedata.normalize("NFD", "Công đoàn"), db=db, status=1)
        self.fails("massorg", "add", "", db=db)
        self.fails("massorg", "add", db=db)
        self.fails("massorg", "rename", "x", db=db)

    @kdtest.sqlite_only
    def test_without_a_cell(self):
        db = tmpfile("nocell.db")
        rc, _, err = kd("massorg", "list", db=db)
        self.assertNotEqual(rc, 0)


if __name__ == "__main__":
    unittest.main()
