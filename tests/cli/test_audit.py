"""End-to-end tests of the audit log as rows (issue 6): a large import is
audited row by row and verified without holding the log in memory; rows
edited, deleted or added behind the program's back, in the tables or in
the log itself, are found; a log written before schema version 3 (each
entry's rows in one JSON document) still verifies; two processes opening a
new PostgreSQL database at once both succeed.

Runs on SQLite files, and on PostgreSQL under ctest's pg/ tests (kdtest).
"""

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import kdtest
from kdtest import binary

N_IMPORT = 20000
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
MIDDLE = ["Thị", "Văn", "Hữu", "Ngọc", "Thanh", "Minh"]
GIVEN = ["Lệ", "Dung", "Thủy", "Ngân", "Hồng", "Tuấn", "Hiền", "Hải", "Chương"]

# The audited tables (src/store/tx.h), in their order.
AUDITED = ["org", "mass_org", "person", "group_supervisor", "campaign", "milestone", "mass_org_rating",
           "fact", "leader", "review", "review_level", "review_section", "residence_comment",
           "collective_report", "collective_level", "report_comment", "meeting", "attendance",
           "agenda_item", "tally", "result", "decision", "calendar_exception", "account", "vote_round",
           "vote_subject", "vote_cast"]


def kd(*args, db=None, env=None):
    cmd = [binary()] + list(args) + (["--db", db] if db else [])
    p = subprocess.run(cmd, capture_output=True, timeout=600, env=env)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def roster_csv(path, n, groups):
    with open(path, "w", encoding="utf-8") as f:
        f.write("ma,ho_ten,ngay_sinh,to_dang,email\n")
        for i in range(n):
            name = "%s %s %s" % (FAMILY[i % len(FAMILY)], MIDDLE[i // 7 % len(MIDDLE)], GIVEN[i // 3 % len(GIVEN)])
            f.write("p%05d,%s,%d-%02d-%02d,%s,p%05d@example.vn\n" % (
                i, name, 1950 + i % 50, 1 + i % 12, 1 + i % 28, groups[i % len(groups)], i))


class AuditCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="kdaudit-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def sql(self, db, *stmts):
        c = kdtest.connect(db)
        for s in stmts:
            if isinstance(s, tuple):
                c.execute(*s)
            else:
                c.execute(s)
        c.commit()
        c.close()

    def query(self, db, q, params=()):
        c = kdtest.connect(db)
        rows = c.execute(q, params).fetchall()
        c.close()
        return rows

    def verify_fails(self, db, *expected):
        rc, out, err = kd("audit", "verify", db=db)
        self.assertEqual(rc, 1, out + err)
        for e in expected:
            self.assertIn(e, err)
        return err

    def small(self, name):
        """A cell with two groups and three people: three entries."""
        db = self.path(name)
        self.assertEqual(kd("init", "--cell", "Chi bộ Trường THCS Lê Lợi", db=db)[0], 0)
        self.assertEqual(kd("group", "add", "to1", "--name", "Tổ đảng 1", db=db)[0], 0)
        csv = self.path(name + ".csv")
        roster_csv(csv, 3, ["to1"])
        rc, out, err = kd("import", "roster", csv, db=db)
        self.assertEqual(rc, 0, err)
        return db


class TestLargeImport(AuditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.db = os.path.join(cls.dir, "big.db")
        assert kd("init", "--cell", "Chi bộ Trường THPT Nguyễn Thị Minh Khai", db=cls.db)[0] == 0
        cls.groups = ["to%d" % g for g in range(1, 6)]
        for g in cls.groups:
            assert kd("group", "add", g, "--name", "Tổ đảng " + g[2:], db=cls.db)[0] == 0
        csv = os.path.join(cls.dir, "big.csv")
        roster_csv(csv, N_IMPORT, cls.groups)
        rc, out, err = kd("import", "roster", csv, db=cls.db)
        assert rc == 0, err

    def copy(self):
        path = tempfile.mktemp(dir=self.dir, suffix=".db")
        kdtest.copy_db(self.db, path)
        return path

    def test_every_row_is_in_the_log_and_verifies(self):
        rc, out, err = kd("audit", "verify", db=self.db)
        self.assertEqual(rc, 0, err)
        self.assertIn("chain intact", out)
        rc, out, err = kd("audit", "log", db=self.db)
        self.assertEqual(rc, 0, err)
        self.assertIn("import roster", out.splitlines()[-1])
        (n,) = self.query(self.db, "SELECT row_count FROM audit_log ORDER BY seq DESC LIMIT 1")[0]
        self.assertEqual(n, N_IMPORT)
        (n,) = self.query(self.db, "SELECT count(*) FROM audit_row WHERE table_name = 'person'"
                          " AND before_json IS NULL AND after_json IS NOT NULL")[0]
        self.assertEqual(n, N_IMPORT)
        # the after-image is the row as stored, Vietnamese text as it is
        (after,) = self.query(self.db, "SELECT after_json FROM audit_row WHERE table_name = 'person'"
                              " ORDER BY row_id DESC LIMIT 1")[0]
        row = json.loads(after)
        self.assertEqual(row["code"], "p%05d" % (N_IMPORT - 1))
        self.assertEqual(row["email"], "p%05d@example.vn" % (N_IMPORT - 1))
        self.assertIn(row["family_name"], FAMILY)

    def test_a_row_edited_behind_the_programs_back_is_found(self):
        db = self.copy()
        (pid,) = self.query(db, "SELECT id FROM person WHERE code = 'p12345'")[0]
        self.sql(db, "UPDATE person SET email = 'ke.gian@example.vn' WHERE code = 'p12345'")
        err = self.verify_fails(db, "person %d was changed outside kiemdiem" % pid)
        self.assertIn("ke.gian@example.vn", err)
        self.assertEqual(err.count("outside kiemdiem"), 1, err)

    def test_a_row_deleted_or_added_is_found(self):
        db = self.copy()
        (pid,) = self.query(db, "SELECT id FROM person WHERE code = 'p00007'")[0]
        (cell,) = self.query(db, "SELECT id FROM org WHERE kind = 'cell'")[0]
        self.sql(db, "DELETE FROM person WHERE code = 'p00007'",
                 ("INSERT INTO person (id, code, full_name, given_name, cell_id) VALUES (?, 'x1', 'Lê Văn Tám',"
                  " 'Tám', ?)", (10 ** 9, cell)))
        self.verify_fails(db, "person %d was deleted outside kiemdiem" % pid,
                          "person %d was added outside kiemdiem" % 10 ** 9)

    def test_an_audit_row_edited_breaks_the_chain(self):
        db = self.copy()
        self.sql(db, "UPDATE audit_row SET after_json = replace(after_json, 'example.vn', 'example.com')"
                     " WHERE id = (SELECT max(id) FROM audit_row)")
        (seq,) = self.query(db, "SELECT max(seq) FROM audit_log")[0]
        self.verify_fails(db, "audit entry %d" % seq, "edited")

    def test_reimport_changes_nothing(self):
        db = self.copy()
        before = self.query(db, "SELECT count(*) FROM audit_log")[0][0]
        rc, out, err = kd("import", "roster", os.path.join(self.dir, "big.csv"), db=db)
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.query(db, "SELECT count(*) FROM audit_log")[0][0], before)

    def test_an_update_keeps_before_and_after(self):
        db = self.copy()
        csv = self.path("one.csv")
        with open(csv, "w", encoding="utf-8") as f:
            f.write("ma,ho_ten,email\np00042,Trần Thị Bích Ngọc,moi@example.vn\np99999,Đỗ Văn Mới,\n")
        rc, out, err = kd("import", "roster", csv, db=db)
        self.assertEqual(rc, 0, err)
        rows = self.query(db, "SELECT r.before_json, r.after_json FROM audit_row r JOIN audit_log l"
                              " ON l.seq = r.entry WHERE l.seq = (SELECT max(seq) FROM audit_log) ORDER BY r.seq")
        self.assertEqual(len(rows), 2)
        before, after = json.loads(rows[0][0]), json.loads(rows[0][1])
        self.assertEqual((before["email"], after["email"]), ("p00042@example.vn", "moi@example.vn"))
        self.assertEqual(after["full_name"], "Trần Thị Bích Ngọc")
        self.assertIsNone(rows[1][0])
        self.assertEqual(json.loads(rows[1][1])["code"], "p99999")
        self.assertEqual(kd("audit", "verify", db=db)[0], 0)


class TestLogRows(AuditCase):
    def test_audit_rows_deleted_are_found(self):
        db = self.small("del.db")
        self.sql(db, "DELETE FROM audit_row WHERE table_name = 'person' AND row_id = (SELECT max(id) FROM person)")
        self.verify_fails(db, "audit entry 3", "rows were deleted")

    def test_audit_rows_added_are_found(self):
        db = self.small("add.db")
        self.sql(db, "INSERT INTO audit_row (entry, seq, table_name, row_id, before_json, after_json)"
                     " VALUES (9, 1, 'person', 99, NULL, '{}')")
        self.verify_fails(db, "belongs to no audit entry")

    def test_a_failed_import_writes_no_audit_rows(self):
        db = self.small("fail.db")
        n = self.query(db, "SELECT count(*) FROM audit_row")[0][0]
        csv = self.path("bad.csv")
        with open(csv, "w", encoding="utf-8") as f:
            f.write("ma,ho_ten,to_dang\nq1,Lê Văn Một,to1\nq2,Lê Văn Hai,to9\n")
        rc, out, err = kd("import", "roster", csv, db=db)
        self.assertEqual(rc, 2)
        self.assertEqual(self.query(db, "SELECT count(*) FROM audit_row")[0][0], n)
        self.assertEqual(self.query(db, "SELECT count(*) FROM person WHERE code = 'q1'")[0][0], 0)
        self.assertEqual(kd("audit", "verify", db=db)[0], 0)


def old_hash(prev, seq, at, actor, action, changes):
    h = hashlib.sha256()
    for part in (prev, str(seq), at, actor, action, changes):
        h.update(part.encode("utf-8") + b"\n")
    return h.hexdigest()


class TestOldLog(AuditCase):
    """A log written before schema version 3: each entry's rows in one
    JSON document (`changes`), hashed over it. Made here through SQL, as
    that version wrote it, from a database kiemdiem made."""

    def old_database(self, name):
        db = self.small(name)
        c = kdtest.connect(db)
        changes = []
        for t in AUDITED:
            cur = c.execute("SELECT * FROM %s ORDER BY id" % t)
            cols = [d[0] for d in cur.description]
            for row in cur.fetchall():
                changes.append({"table": t, "id": row[0], "before": None, "after": dict(zip(cols, row))})
        c.close()
        text = json.dumps(changes, ensure_ascii=False, separators=(",", ":"))
        at, actor, action = "2021-01-02T03:04:05Z", "cli", "import roster old.csv"
        prev = "0" * 64
        h = old_hash(prev, 1, at, actor, action, text)
        self.sql(db, "DELETE FROM audit_row", "DELETE FROM audit_log",
                 ("INSERT INTO audit_log (seq, at, actor, action, changes, row_count, prev_hash, hash)"
                  " VALUES (1, ?, ?, ?, ?, NULL, ?, ?)", (at, actor, action, text, prev, h)))
        return db

    def test_old_entries_verify_and_new_ones_chain_to_them(self):
        db = self.old_database("old.db")
        rc, out, err = kd("audit", "verify", db=db)
        self.assertEqual(rc, 0, err)
        self.assertIn("1 entries", out)
        # a new entry after the old one, changing a row the old one wrote
        rc, out, err = kd("member", "set", "p00001", "--email", "moi@example.vn", db=db)
        self.assertEqual(rc, 0, err)
        rc, out, err = kd("audit", "verify", db=db)
        self.assertEqual(rc, 0, err)
        self.assertIn("2 entries", out)
        rc, out, err = kd("audit", "log", db=db)
        self.assertEqual(rc, 0, err)
        lines = out.splitlines()
        self.assertEqual(len(lines), 2)
        self.assertIn("import roster old.csv", lines[0])
        self.assertIn("member set p00001", lines[1])

    def test_old_entries_edited_or_rows_changed_are_found(self):
        db = self.old_database("old2.db")
        self.sql(db, "UPDATE person SET full_name = 'Kẻ Gian' WHERE code = 'p00002'")
        (pid,) = self.query(db, "SELECT id FROM person WHERE code = 'p00002'")[0]
        self.verify_fails(db, "person %d was changed outside kiemdiem" % pid, "Kẻ Gian")
        self.sql(db, "UPDATE audit_log SET changes = replace(changes, 'p00002', 'p00009') WHERE seq = 1")
        self.verify_fails(db, "audit entry 1", "edited")


@unittest.skipUnless(kdtest.PG_HOST, "PostgreSQL: a new database opened by two processes at once")
class TestConcurrentOpen(AuditCase):
    def test_two_processes_migrate_a_new_database(self):
        for attempt in range(3):
            db = self.path("race%d.db" % attempt)
            cmd = [binary(), "audit", "log", "--db", db]
            kdtest.pg_ensure(db)
            procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)]
            for p in procs:
                out, err = p.communicate(timeout=120)
                self.assertEqual(p.returncode, 0, err.decode("utf-8"))
            # Every migration applied once, in order, none twice.
            versions = [v for (v,) in self.query(db, "SELECT version FROM schema_migrations ORDER BY version")]
            self.assertEqual(versions, list(range(1, len(versions) + 1)))
            self.assertGreaterEqual(len(versions), 4)


if __name__ == "__main__":
    unittest.main()
