"""End-to-end tests of working in one cell of a database of many (issue 6):
the global `--cell` chooses the cell of every single-cell command on the
connection it opens, so the people, groups and reviews a command sees and
changes are that cell's only; and an upper account's scope (`user add
--upper --org`, `user role --org/--no-org`), stored in an audited table.

Cells and people are picked from the generated database with SQL, never
written into the test. Runs on SQLite and again on PostgreSQL (pg/).
"""

import os
import shutil
import tempfile
import unittest

import kdtest
from kdtest import execute, kd, rows



class ScopeCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="kdscope-")
        cls.base = os.path.join(cls.dir, "country.db")
        rc, out, err = kd("gen", "--members", "600", "--seed", "7", db=cls.base)
        assert rc == 0, err
        with kdtest.connect(cls.base) as c:
            c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        # Two cells of different provinces, and an ordinary member of each.
        cells = rows(cls.base, "SELECT o.code, o.id FROM org o WHERE o.kind = 'cell'"
                     " AND EXISTS (SELECT 1 FROM campaign c WHERE c.cell_id = o.id) ORDER BY o.code")
        cls.cell_a, cls.id_a = cells[0]
        other = [c for c in cells if c[0].split(".")[0] != cls.cell_a.split(".")[0]]
        cls.cell_b, cls.id_b = other[0]
        cls.person_a = cls.member_of(cls.id_a)
        cls.person_b = cls.member_of(cls.id_b)
        cls.n = 0

    @classmethod
    def member_of(cls, cell_id):
        (code,), = rows(cls.base, "SELECT code FROM person WHERE cell_id = ? AND committee_role IS NULL"
                        " AND active = 1 ORDER BY code LIMIT 1", (cell_id,))
        return code

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, True)

    def fresh(self):
        ScopeCase.n += 1
        path = os.path.join(self.dir, "copy%d.db" % ScopeCase.n)
        kdtest.copy_db(self.base, path)
        return path

    # ------------------------------------------------------------ --cell

    def test_without_cell_a_database_of_many_asks_for_one(self):
        rc, out, err = kd("review", "show", self.person_a, db=self.base)
        self.assertEqual(rc, 2, err)
        self.assertIn("expected --cell CODE", err)

    def test_cell_finds_its_own_people_only(self):
        rc, out, err = kd("review", "show", self.person_a, "--cell", self.cell_a, db=self.base)
        self.assertEqual(rc, 0, err)
        (name,), = rows(self.base, "SELECT full_name FROM person WHERE code = ?", (self.person_a,))
        self.assertIn(name, out)
        # The other cell's member is not there, even by code.
        rc, out, err = kd("review", "show", self.person_b, "--cell", self.cell_a, db=self.base)
        self.assertNotEqual(rc, 0)
        self.assertIn("%s: no such person in this cell" % self.person_b, err)
        self.assertEqual(out, "")

    def test_cell_changes_nothing_of_another_cell(self):
        db = self.fresh()
        before = rows(db, "SELECT count(*) FROM review r JOIN campaign c ON c.id = r.campaign_id"
                      " WHERE c.cell_id = ?", (self.id_a,))
        (secretary,), = rows(db, "SELECT code FROM person WHERE cell_id = ? AND committee_role = 'bi_thu'",
                             (self.id_a,))
        rc, out, err = kd("review", "reopen", self.person_b, "--cell", self.cell_a, "--by", secretary,
                          "--reason", "Bổ sung", db=db)
        self.assertNotEqual(rc, 0)
        self.assertIn("no such person in this cell", err)
        after = rows(db, "SELECT count(*) FROM review r JOIN campaign c ON c.id = r.campaign_id"
                     " WHERE c.cell_id = ?", (self.id_a,))
        self.assertEqual(before, after)
        (status,), = rows(db, "SELECT r.status FROM review r JOIN person p ON p.id = r.person_id"
                          " WHERE p.code = ?", (self.person_b,))
        self.assertEqual(status, "submitted")

    def test_member_and_group_lists_are_the_cells(self):
        want = {c for (c,) in rows(self.base, "SELECT code FROM person WHERE cell_id = ? AND active = 1",
                                   (self.id_a,))}
        rc, out, err = kd("member", "list", "--cell", self.cell_a, db=self.base)
        self.assertEqual(rc, 0, err)
        listed = {w for w in out.split() if w.startswith("dv")}
        self.assertEqual(listed, want)
        groups = {c for (c,) in rows(self.base, "SELECT code FROM org WHERE kind = 'group' AND parent_id = ?",
                                     (self.id_a,))}
        rc, out, err = kd("group", "list", "--cell", self.cell_a, db=self.base)
        self.assertEqual(rc, 0, err)
        shown = {w for w in out.split() if w.startswith(self.cell_a + ".")}
        self.assertEqual(shown, groups)
        self.assertNotIn(self.cell_b, out)

    def test_an_unknown_cell_is_named(self):
        rc, out, err = kd("status", "--cell", "KHONG.CO", db=self.base)
        self.assertNotEqual(rc, 0)
        self.assertIn("--cell KHONG.CO: no such cell", err)

    # ------------------------------------------------------------ upper accounts

    def test_upper_account_org_is_set_listed_changed_and_audited(self):
        db = self.fresh()
        province = self.cell_a.split(".")[0]
        other = self.cell_b.split(".")[0]
        rc, out, err = kd("user", "add", "tinhuy", "--upper", "--org", province, db=db)
        self.assertEqual(rc, 0, err)
        self.assertIn("cấp trên của %s" % province, out)
        self.assertEqual(rows(db, "SELECT o.code FROM account_org ao JOIN account a ON a.id = ao.id"
                              " JOIN org o ON o.id = ao.org_id WHERE a.login = 'tinhuy'"), [(province,)])
        rc, out, err = kd("user", "list", db=db)
        self.assertEqual(rc, 0, err)
        self.assertIn("cấp trên (%s)" % province, out)
        rc, out, err = kd("user", "role", "tinhuy", "--org", other, db=db)
        self.assertEqual(rc, 0, err)
        self.assertIn("cấp trên có của %s" % other, out)
        self.assertEqual(rows(db, "SELECT o.code FROM account_org ao JOIN org o ON o.id = ao.org_id"), [(other,)])
        rc, out, err = kd("user", "role", "tinhuy", "--no-org", db=db)
        self.assertEqual(rc, 0, err)
        self.assertEqual(rows(db, "SELECT count(*) FROM account_org"), [(0,)])
        # Each change is in the audit log, and the log still matches.
        rc, out, err = kd("audit", "verify", db=db)
        self.assertEqual(rc, 0, err)
        actions = [a for (a,) in rows(db, "SELECT action FROM audit_log ORDER BY seq")]
        self.assertIn("user role tinhuy upper", actions)
        # A scope changed behind kiemdiem's back is found.
        rc, out, err = kd("user", "role", "tinhuy", "--org", province, db=db)
        self.assertEqual(rc, 0, err)
        (other_id,), = rows(db, "SELECT id FROM org WHERE code = ?", (other,))
        execute(db, "UPDATE account_org SET org_id = ?", (other_id,))
        rc, out, err = kd("audit", "verify", db=db)
        self.assertNotEqual(rc, 0)
        self.assertIn("account_org", err)

    def test_org_needs_an_upper_account_and_a_known_organization(self):
        db = self.fresh()
        rc, out, err = kd("user", "add", "xem", "--org", self.cell_a, db=db)
        self.assertEqual(rc, 2)
        self.assertIn("--org without --upper", err)
        rc, out, err = kd("user", "add", "xem", "--upper", "--org", "KHONG.CO", db=db)
        self.assertNotEqual(rc, 0)
        self.assertIn("KHONG.CO: no such organization", err)
        # Nothing was kept of the refused account.
        self.assertEqual(rows(db, "SELECT count(*) FROM account WHERE login = 'xem'"), [(0,)])
        rc, out, err = kd("user", "add", "xem", db=db)
        self.assertEqual(rc, 0, err)
        rc, out, err = kd("user", "role", "xem", "--org", self.cell_a, db=db)
        self.assertEqual(rc, 2)
        self.assertIn("not an upper account", err)


if __name__ == "__main__":
    unittest.main()
