"""End-to-end tests of the sign-in accounts (issue 4): `kiemdiem user`, the
demo's accounts, and what the database keeps of passwords and one-time
codes. Signing in, throttling and sessions have no command (the web does
them); tests/unit/test_account.c covers them.
"""

import os
import re
import shutil
import tempfile
import time
import unicodedata
import unittest

import kdtest
from kdtest import run

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_RE = re.compile(r"Mã dùng một lần(?: mới)?: ([%s]{8}) " % ALPHABET)

PEOPLE = [
    ("dv01", "Nguyễn Thị Hồng Chương", "1995-05-19", "1996-05-19", "", "bi_thu", 0),
    ("dv02", "Trần Văn Ba", "1998-03-26", "1999-03-26", "to1", "", 1),
    ("dv03", "Lê Thị Bạch Lan", "2001-09-02", "2002-09-02", "to1", "", 0),
    ("dv04", "Đặng Minh Đức", "2009-07-01", "2010-07-01", "to1", "", 0),
]


def kd(*args, db=None, stdin=None):
    p = run(list(args) + (["--db", db] if db else []), stdin=stdin)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


class AccountCase(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="kdaccount-")
        cls.demo = os.path.join(cls.dir, "demo.db")
        rc, _, err = kd("demo", db=cls.demo)
        assert rc == 0, err
        cls.small = os.path.join(cls.dir, "small.db")
        for args in (["init", "--cell", "Chi bộ Thử Nghiệm"], ["group", "add", "to1", "--name", "Tổ đảng 1"]):
            rc, _, err = kd(*args, db=cls.small)
            assert rc == 0, err
        csv = os.path.join(cls.dir, "roster.csv")
        with open(csv, "w", encoding="utf-8") as f:
            f.write("ma,ho_ten,ngay_vao_dang,ngay_chinh_thuc,to_dang,chi_uy,to_truong\n")
            for p in PEOPLE:
                f.write("%s,%s,%s,%s,%s,%s,%d\n" % p)
        rc, _, err = kd("import", "roster", csv, db=cls.small)
        assert rc == 0, err
        for path in (cls.demo, cls.small):
            with kdtest.connect(path) as c:
                c.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, True)

    def setUp(self):
        fd, self.db = tempfile.mkstemp(dir=self.dir, suffix=".db")
        os.close(fd)
        kdtest.copy_db(self.demo, self.db)

    def use_small(self):
        kdtest.copy_db(self.small, self.db)

    def ok(self, *args, stdin=None):
        rc, out, err = kd(*args, db=self.db, stdin=stdin)
        self.assertEqual(rc, 0, "%s: exit %d\n%s" % (" ".join(args), rc, err))
        self.assertEqual(err, "")
        return out

    def bad(self, code, *args, contains="", stdin=None):
        rc, out, err = kd(*args, db=self.db, stdin=stdin)
        self.assertEqual(rc, code, "%s: exit %d (want %d)\n%s%s" % (" ".join(args), rc, code, out, err))
        self.assertEqual(out, "")
        self.assertIn("expected", err)
        self.assertIn(contains, err)
        return err

    def rows(self, sql, *params):
        with kdtest.connect(self.db) as c:
            return c.execute(sql, params).fetchall()

    def account(self, login):
        rows = self.rows("SELECT login, person_id, pw_hash, code_hash, code_expires, must_change, upper, counting,"
                         " active FROM account WHERE login = ?", login)
        self.assertEqual(len(rows), 1, login)
        return dict(zip(("login", "person_id", "pw_hash", "code_hash", "code_expires", "must_change", "upper",
                         "counting", "active"), rows[0]))

    def verify(self):
        return kd("audit", "verify", db=self.db)

    # ------------------------------------------------------------ demo

    def test_demo_has_an_account_per_member_and_captren(self):
        got = self.rows("SELECT a.login, p.code FROM account a LEFT JOIN person p ON p.id = a.person_id")
        self.assertEqual(len(got), 34)
        for login, code in got:
            self.assertEqual(login, code or "captren")
        self.assertEqual(self.account("captren")["upper"], 1)
        self.assertEqual(len(self.rows("SELECT 1 FROM account WHERE counting = 1")), 2)
        # Passwords are argon2id hashes, never the password.
        for login, h in self.rows("SELECT login, pw_hash FROM account"):
            self.assertTrue(h.startswith("$argon2id$"), h)
            self.assertNotIn("demo-" + login, h)
        out = self.ok("user", "list")
        self.assertIn("captren", out)
        self.assertEqual(out.count("ban kiểm phiếu"), 2)
        self.assertIn("Nguyễn Thị Hồng Chương", out)
        self.assertEqual(self.verify()[0], 0)

    # ------------------------------------------------------------ add, code

    def test_add_prints_a_one_time_code_stored_hashed(self):
        before = int(time.time())
        out = self.ok("user", "add", unicodedata.normalize("NFD", "Cán.Bộ@QU3"), "--upper")
        code = CODE_RE.search(out).group(1)
        # The login as typed in NFD and mixed case is stored NFC, lower case.
        a = self.account(unicodedata.normalize("NFC", "cán.bộ@qu3"))
        self.assertEqual((a["upper"], a["counting"], a["person_id"], a["pw_hash"], a["must_change"]),
                         (1, 0, None, None, 1))
        self.assertTrue(a["code_hash"].startswith("$argon2id$"))
        self.assertNotIn(code, a["code_hash"])
        self.assertTrue(before + 14 * 86400 <= a["code_expires"] <= int(time.time()) + 14 * 86400)
        # Nothing in the database holds the code in clear.
        self.assertNotIn(code.encode(), kdtest.raw_bytes(self.db))
        self.assertEqual(self.verify()[0], 0)

    def test_add_for_a_person_and_refusals(self):
        self.use_small()
        out = self.ok("user", "add", "lan", "--person", "dv03", "--counting")
        self.assertIn("Lê Thị Bạch Lan", out)
        a = self.account("lan")
        self.assertEqual(a["counting"], 1)
        self.bad(1, "user", "add", "LAN", contains="taken")                       # same login, other case
        self.bad(1, "user", "add", "other", "--person", "dv03", contains="already has an account")
        self.bad(1, "user", "add", "x", "--person", "dv99", contains="dv99")
        self.bad(2, "user", "add", "a b", contains="space")
        self.bad(2, "user", "add")

    def test_code_replaces_the_previous_code(self):
        out1 = self.ok("user", "add", "viewer", "--upper")
        h1 = self.account("viewer")["code_hash"]
        out2 = self.ok("user", "code", "VIEWER")
        self.assertIsNotNone(CODE_RE.search(out2), out2)
        self.assertNotEqual(self.account("viewer")["code_hash"], h1)
        self.assertNotEqual(CODE_RE.search(out1).group(1), CODE_RE.search(out2).group(1))
        self.bad(1, "user", "code", "nobody", contains="user list")

    # ------------------------------------------------------------ passwords

    def test_passwd_from_stdin(self):
        h = self.account("dv05")["pw_hash"]
        self.bad(2, "user", "passwd", "dv05", stdin="ngắn\n".encode(), contains="8")
        self.bad(2, "user", "passwd", "dv05", stdin=b"", contains="standard input")
        self.assertEqual(self.account("dv05")["pw_hash"], h)
        self.ok("user", "passwd", "dv05", stdin="mật khẩu tạm 2021\nignored\n".encode())
        a = self.account("dv05")
        self.assertNotEqual(a["pw_hash"], h)
        self.assertTrue(a["pw_hash"].startswith("$argon2id$"))
        self.assertEqual(a["must_change"], 1)
        self.ok("user", "passwd", "dv05", "--no-change", stdin=b"another-password\n")
        self.assertEqual(self.account("dv05")["must_change"], 0)
        # A pending code is void once an administrator sets the password.
        self.ok("user", "code", "dv06")
        self.assertIsNotNone(self.account("dv06")["code_hash"])
        self.ok("user", "passwd", "dv06", stdin=b"12345678\n")
        self.assertIsNone(self.account("dv06")["code_hash"])
        self.assertIn("phải đổi", self.ok("user", "list"))

    # ------------------------------------------------------------ roles

    def test_role_and_disable(self):
        self.ok("user", "role", "dv07", "--counting")
        self.assertEqual((self.account("dv07")["counting"], self.account("dv07")["upper"]), (1, 0))
        self.ok("user", "role", "dv07", "--upper", "--no-counting")
        self.assertEqual((self.account("dv07")["counting"], self.account("dv07")["upper"]), (0, 1))
        self.bad(2, "user", "role", "dv07", "--upper", "--no-upper")
        self.bad(2, "user", "role", "dv07")
        self.ok("user", "disable", "dv07")
        self.assertEqual(self.account("dv07")["active"], 0)
        self.assertIn("đã khóa", self.ok("user", "list"))
        self.ok("user", "enable", "dv07")
        self.assertEqual(self.account("dv07")["active"], 1)
        actions = [a for (a,) in self.rows("SELECT action FROM audit_log ORDER BY seq")]
        self.assertIn("user role dv07 counting", actions)
        self.assertIn("user disable dv07", actions)
        self.assertEqual(self.verify()[0], 0)

    # ------------------------------------------------------------ roster

    def test_roster_makes_accounts_with_codes_to_print(self):
        self.use_small()
        out = self.ok("user", "roster")
        lines = out.splitlines()
        self.assertIn("Tên đăng nhập", lines[0])
        codes = {}
        for ln in lines[1:1 + len(PEOPLE)]:
            m = re.match(r"(dv\d\d)\s+(.+?)\s+([%s]{8})$" % ALPHABET, ln)
            self.assertIsNotNone(m, ln)
            codes[m.group(1)] = (m.group(2), m.group(3))
        self.assertEqual(sorted(codes), [p[0] for p in PEOPLE])
        self.assertEqual(codes["dv04"][0], "Đặng Minh Đức")
        self.assertEqual(len({c for _, c in codes.values()}), len(PEOPLE))
        # In Vietnamese name order: Ba, Chương, Đức, Lan.
        self.assertEqual([ln.split()[0] for ln in lines[1:5]], ["dv02", "dv01", "dv04", "dv03"])
        for code in codes:
            a = self.account(code)
            self.assertEqual((a["pw_hash"], a["must_change"]), (None, 1))
            self.assertTrue(a["code_hash"].startswith("$argon2id$"))
        # A second run has nobody left to add.
        self.assertIn("Mọi đảng viên đã có tài khoản", self.ok("user", "roster"))
        self.assertEqual(len(self.rows("SELECT 1 FROM account")), len(PEOPLE))

    # ------------------------------------------------------------ audit

    def test_accounts_are_audited_sessions_are_not(self):
        self.assertEqual(self.verify()[0], 0)
        with kdtest.connect(self.db) as c:
            # Sessions and failed sign-ins churn: not audited.
            c.execute("INSERT INTO session (token_hash, account_id, csrf, created_at, expires_at, last_seen)"
                      " VALUES ('00', 1, 'x', 0, 1, 0)")
            c.execute("INSERT INTO login_failure (login, client, at) VALUES ('dv01', '10.0.0.1', 0)")
        self.assertEqual(self.verify()[0], 0)
        # An account's hash swapped behind the program's back is found.
        with kdtest.connect(self.db) as c:
            h = c.execute("SELECT pw_hash FROM account WHERE login = 'dv02'").fetchone()[0]
            c.execute("UPDATE account SET pw_hash = ? WHERE login = 'dv01'", (h,))
        rc, out, err = self.verify()
        self.assertEqual(rc, 1)
        self.assertIn("account", err)


if __name__ == "__main__":
    unittest.main()
