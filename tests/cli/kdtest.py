"""Helpers for the end-to-end tests of `kiemdiem` (Python 3 standard library only).

The binary is taken from the KIEMDIEM environment variable, or
`build/kiemdiem` relative to the repository root.

Every successful `classify` run is also checked against the invariants of
classify.md / RULES.md that hold for any input (see `check_output`), so each
test only needs to assert on what it is about.
"""

import atexit
import hashlib
import itertools
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import unicodedata
import unittest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AS_OF = "2021-11-27"
TIMEOUT = 60

RATINGS = ["KHTNV", "HTNV", "HTTNV", "HTXSNV"]  # low to high
RANK = {r: i for i, r in enumerate(RATINGS)}
LEVELS = ["K", "TB", "T", "XS"]

MEMBER_CRITERIA = ["pham_chat", "nhiem_vu", "cam_ket"]
COLLECTIVE_CRITERIA = ["chinh_tri_tu_tuong", "to_chuc_can_bo", "lanh_dao_doan_the",
                       "kiem_tra_giam_sat", "ke_hoach_nam", "chi_tieu_nhiem_vu",
                       "xep_loai_doan_the", "khac_phuc"]

# Clause ids of RULES.md, in the order of its tables ("reasons ... in the order
# of its tables, then V, then Q").
MEMBER_CLAUSES = (["M-NR1", "M-NR2", "M-NR3", "M-K1", "M-K2", "M-K3", "M-K4", "M-H1", "M-H2",
                   "M-T1", "M-T2", "M-T3", "M-T4", "M-X1", "M-X2", "M-X3", "M-X4"])
VOTE_CLAUSES = ["V-1", "V-2"]
QUOTA_CLAUSES = ["Q-1"]
LEADER_CLAUSES = ["L-K1", "L-K2", "L-K3", "L-K4", "L-K5", "L-H1", "L-H2", "L-H3",
                  "L-T1", "L-T2", "L-X1", "L-X2", "L-X3", "L-X4"]
COLLECTIVE_CLAUSES = ["C-K1", "C-K2", "C-K3", "C-K4", "C-H1", "C-T1", "C-T2", "C-T3", "C-T4",
                      "C-T5", "C-X1", "C-X2", "C-X3", "C-X4", "C-X5"]
CONSTRAINT_CLAUSES = ["K-1", "K-2", "K-3"]
ALL_CLAUSES = (MEMBER_CLAUSES + VOTE_CLAUSES + QUOTA_CLAUSES + LEADER_CLAUSES
               + COLLECTIVE_CLAUSES + CONSTRAINT_CLAUSES)
MEMBER_REASON_ORDER = MEMBER_CLAUSES + VOTE_CLAUSES + QUOTA_CLAUSES


def blocked_rating(clause):
    """The `rating` a reason carries: the rating the clause blocks, null for
    M-NR, a trigger (…-K…), a V or a Q clause (classify.md, Output)."""
    if clause[0] in "VQ":
        return None
    kind = clause.split("-")[1].rstrip("0123456789")
    return {"NR": None, "K": None, "H": "HTNV", "T": "HTTNV", "X": "HTXSNV"}[kind]


# ---------------------------------------------------------------- back-ends
#
# The storage and CLI tests run twice: on SQLite files, and on PostgreSQL
# (ctest's pg/ tests), where KIEMDIEM is tests/pg/kiemdiem-pg and
# KD_PG_HOST the socket directory of a throw-away server. A test names its
# database as a file either way; these helpers reach it on either back-end.

PG_HOST = os.environ.get("KD_PG_HOST")

sqlite_only = unittest.skipIf(PG_HOST, "about SQLite files themselves")


def pg_name(path):
    """The PostgreSQL database that stands for the SQLite file `path`."""
    return "kd_" + hashlib.sha1(os.path.abspath(path).encode()).hexdigest()[:24]


def pg_url(path):
    return "postgresql:///%s?host=%s&user=postgres" % (pg_name(path), PG_HOST)


def _psql(sql, dbname="postgres"):
    return subprocess.run(["psql", "-h", PG_HOST, "-U", "postgres", "-d", dbname, "-v", "ON_ERROR_STOP=1",
                           "-tAqc", sql], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def pg_ensure(path):
    """Create the database of `path` unless it exists. A marker file
    beside `path` remembers it was made, sparing a psql run per command."""
    name = pg_name(path)
    marker = path + ".pg"
    if os.path.exists(marker):
        return name
    r = _psql("SELECT 1 FROM pg_database WHERE datname = '%s'" % name)
    if r.stdout.strip() != "1":
        r = _psql("CREATE DATABASE %s" % name)
        if r.returncode != 0 and "already exists" not in r.stderr:
            raise RuntimeError(r.stderr)
    if os.path.isdir(os.path.dirname(os.path.abspath(path))):
        open(marker, "w").close()
    return name


class _NoRows:
    def fetchall(self):
        return []

    def fetchone(self):
        return None


class _PgConn:
    """Enough of sqlite3.Connection for the tests: execute with ?
    placeholders, fetch, commit, and `with` committing at the end."""

    def __init__(self, path):
        import psycopg2
        self.c = psycopg2.connect(host=PG_HOST, user="postgres", dbname=pg_ensure(path))

    def execute(self, sql, params=()):
        cur = self.c.cursor()
        if sql.lstrip().upper().startswith("PRAGMA"):
            return _NoRows()     # SQLite's housekeeping has no PostgreSQL meaning
        cur.execute(re.sub(r"\?", "%s", sql.replace("%", "%%")), tuple(params))
        return cur

    def executescript(self, sql):
        self.c.cursor().execute(sql)

    def commit(self):
        self.c.commit()

    def close(self):
        self.c.close()

    def __enter__(self):
        return self

    def __exit__(self, kind, value, tb):
        if kind is None:
            self.c.commit()
        else:
            self.c.rollback()
        return False


def connect(path):
    """A connection to the database the tests call `path`."""
    if PG_HOST:
        return _PgConn(path)
    return sqlite3.connect(path)


def raw_bytes(path):
    """Everything the database keeps, as bytes a thief of it would read:
    the SQLite file and its WAL, or a pg_dump of the PostgreSQL one."""
    if PG_HOST:
        return subprocess.run(["pg_dump", "-h", PG_HOST, "-U", "postgres", pg_name(path)],
                              stdout=subprocess.PIPE, check=True).stdout
    data = b""
    for suffix in ("", "-wal"):
        if os.path.exists(path + suffix):
            with open(path + suffix, "rb") as f:
                data += f.read()
    return data


def copy_db(src, dst):
    """Copy the database `src` to `dst` (a fresh copy for one test)."""
    if PG_HOST:
        name = pg_name(dst)
        _psql("DROP DATABASE IF EXISTS %s" % name)
        r = _psql("CREATE DATABASE %s TEMPLATE %s" % (name, pg_name(src)))
        if r.returncode != 0:
            raise RuntimeError(r.stderr)
        open(dst + ".pg", "w").close()
        return
    shutil.copy(src, dst)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(src + suffix):
            shutil.copy(src + suffix, dst + suffix)


# ---------------------------------------------------------------- running

def binary():
    env = os.environ.get("KIEMDIEM")
    if env:
        if os.path.isabs(env) or os.path.exists(env):
            return os.path.abspath(env)
        return os.path.join(REPO_ROOT, env)
    return os.path.join(REPO_ROOT, "build", "kiemdiem")


_tmpdir = None
_counter = itertools.count()


def kd(*args, db=None, stdin=None):
    """Run the binary with `args` (and --db DB): exit status, stdout, stderr."""
    cmd = [binary()] + list(args) + (["--db", db] if db else [])
    p = subprocess.run(cmd, capture_output=True, timeout=600, input=stdin)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def rows(db, sql, params=()):
    """The rows of one query on the database (SQLite file or its PostgreSQL twin)."""
    c = connect(db)
    try:
        return c.execute(sql, params).fetchall()
    finally:
        c.close()


def execute(db, sql, params=()):
    """One statement, committed: a change made behind kiemdiem's back."""
    with connect(db) as c:
        c.execute(sql, params)


def tmpdir():
    global _tmpdir
    if _tmpdir is None:
        _tmpdir = tempfile.mkdtemp(prefix="kdtest-")
        atexit.register(shutil.rmtree, _tmpdir, True)
    return _tmpdir


def tmpfile(name="doc.json"):
    return os.path.join(tmpdir(), "%d-%s" % (next(_counter), name))


def encode(doc):
    """A document as bytes: dicts/lists are dumped as UTF-8 JSON, str is
    encoded as UTF-8, bytes are taken as they are."""
    if isinstance(doc, bytes):
        return doc
    if isinstance(doc, str):
        return doc.encode("utf-8")
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def write_doc(doc, name="doc.json"):
    path = tmpfile(name)
    with open(path, "wb") as f:
        f.write(encode(doc))
    return path


def run(args, stdin=None, timeout=TIMEOUT):
    exe = binary()
    if not os.path.exists(exe):
        raise AssertionError("kiemdiem binary not found at %s (set KIEMDIEM)" % exe)
    return subprocess.run([exe] + list(args), input=stdin, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=timeout)


def _no_duplicate_keys(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate key in output object: %r" % keys)
    return dict(pairs)


def parse_output(data):
    return json.loads(data.decode("utf-8"), object_pairs_hook=_no_duplicate_keys)


# ---------------------------------------------------------------- documents

class Omit:
    """Marker: leave this key out."""


OMIT = Omit()


def _apply(base, kw):
    for k, v in kw.items():
        if v is OMIT:
            base.pop(k, None)
        elif isinstance(v, dict) and isinstance(base.get(k), dict) and k in ("criteria", "unit_targets"):
            merged = dict(base[k])
            for kk, vv in v.items():
                if vv is OMIT:
                    merged.pop(kk, None)
                else:
                    merged[kk] = vv
            base[k] = merged
        else:
            base[k] = v
    return base


def member(mid, **kw):
    """A member whose every clause holds (ceiling HTXSNV); keyword arguments
    override fields (criteria merge level by level; OMIT removes a key)."""
    m = {"id": mid, "criteria": {"pham_chat": "XS", "nhiem_vu": "XS", "cam_ket": "XS"},
         "exemplary": True}
    return _apply(m, kw)


def xs(mid, **kw):      # ceiling HTXSNV, reasons []
    return member(mid, **kw)


def tt(mid, **kw):      # ceiling HTTNV, reasons [M-X1]
    kw.setdefault("exemplary", False)
    return member(mid, **kw)


def ht(mid, **kw):      # ceiling HTNV, reasons [M-T1, M-X2]
    return member(mid, criteria={"nhiem_vu": "TB"}, **kw)


def kh(mid, **kw):      # ceiling KHTNV, reasons [M-K4]
    kw.setdefault("disciplined", True)
    return member(mid, **kw)


def nr(mid, **kw):      # not_rated, reasons [M-NR2]
    kw.setdefault("exempted", True)
    return member(mid, **kw)


def und(mid, **kw):     # undecided by V-1 (16 of 32 is not more than half)
    return tt(mid, votes={"HTXSNV": 16}, voters=32, **kw)


def voted(mid, counts, voters=32, maker=None, **kw):
    return (maker or xs)(mid, votes=dict(counts), voters=voters, **kw)


def fillers(k, prefix="f"):
    """k members with ceiling HTTNV and no ballots (they count in Q-1's n)."""
    return [tt("%s%d" % (prefix, i)) for i in range(1, k + 1)]


def leader(lid, **kw):
    """A leader whose every clause holds (ceiling HTXSNV)."""
    ld = {"id": lid, "duties": ["cao", "cao", "cao"], "exemplary": "thuc_su",
          "initiative_applied": True,
          "unit_targets": {"total": 10, "completed": 10, "exceeded": 5, "on_time": 8}}
    return _apply(ld, kw)


def leader_httnv(lid, **kw):   # ceiling HTTNV, reasons [L-X3]
    kw.setdefault("initiative_applied", False)
    return leader(lid, **kw)


def leader_htnv(lid, **kw):    # ceiling HTNV, reasons [L-T2, L-X1]
    kw.setdefault("exemplary", "co")
    kw.setdefault("unit_targets", {"on_time": 7})
    return leader(lid, **kw)


def collective(**kw):
    """A collective whose every clause holds (with no rated member, C-T3, C-T4,
    C-X4 hold): ceiling HTXSNV."""
    c = {"criteria": {k: "XS" for k in COLLECTIVE_CRITERIA}, "outstanding": True}
    return _apply(c, kw)


def doc(members=(), leaders=None, coll=None, as_of=AS_OF, **kw):
    d = {"ruleset": "kh19-2021"}
    if as_of is not None:
        d["as_of"] = as_of
    d["members"] = list(members)
    if leaders is not None:
        d["leaders"] = list(leaders)
    if coll is not None:
        d["collective"] = coll
    return _apply(d, kw)


# ---------------------------------------------------------------- checks

def is_vietnamese(s):
    return any(ord(ch) > 127 and ch.isalpha() for ch in s)


class KDTestCase(unittest.TestCase):
    maxDiff = None

    # -- running
    def classify(self, d, args=(), via_stdin=False):
        """Run `classify` on a document that must be valid; returns the parsed
        output after checking every general invariant."""
        data = encode(d)
        if via_stdin:
            p = run(["classify"] + list(args) + ["-"], stdin=data)
        else:
            p = run(["classify"] + list(args) + [write_doc(data)])
        err = p.stderr.decode("utf-8", "replace")
        self.assertEqual(p.returncode, 0, "exit %d, stderr:\n%s" % (p.returncode, err))
        try:
            out = parse_output(p.stdout)
        except ValueError as e:
            self.fail("stdout is not one JSON document: %s\n%r" % (e, p.stdout[:500]))
        if isinstance(d, dict):
            self.check_output(d, out)
        return out

    def classify_bad(self, d, args=(), via_stdin=False):
        """Run `classify` on input that must be rejected: exit 2, nothing on
        stdout, at least one non-empty line on stderr. Returns the lines."""
        data = encode(d)
        if via_stdin:
            p = run(["classify"] + list(args) + ["-"], stdin=data)
        else:
            p = run(["classify"] + list(args) + [write_doc(data)])
        err = p.stderr.decode("utf-8", "replace")
        self.assertEqual(p.returncode, 2, "exit %d (want 2), stderr:\n%s\nstdout: %r"
                         % (p.returncode, err, p.stdout[:300]))
        self.assertEqual(p.stdout, b"", "stdout must be empty on bad input")
        lines = err.splitlines()
        self.assertTrue(lines, "stderr must say what is wrong")
        for ln in lines:
            self.assertTrue(ln.strip(), "empty line on stderr: %r" % err)
        return lines

    def assert_error_at(self, lines, path, *contains):
        """Some stderr line starts with the JSON path `path` (followed by a
        separator, so `members[1]` does not match `members[10]`) and contains
        every string of `contains`."""
        for ln in lines:
            if ln.startswith(path):
                rest = ln[len(path):]
                if rest[:1] in ("", ":", ".", "[", " ") and all(c in ln for c in contains):
                    return ln
        self.fail("no stderr line starts with %r and contains %r:\n%s"
                  % (path, contains, "\n".join(lines)))

    def assert_error_mentions(self, lines, *contains):
        for ln in lines:
            if all(c in ln for c in contains):
                return ln
        self.fail("no stderr line contains %r:\n%s" % (contains, "\n".join(lines)))

    # -- lookups
    @staticmethod
    def find(out, mid, section="members"):
        for m in out[section]:
            if m["id"] == mid:
                return m
        raise AssertionError("%s %r not in output" % (section, mid))

    @staticmethod
    def clauses(subject):
        return [r["clause"] for r in subject["reasons"]]

    def assert_member(self, out, mid, status, ceiling, voted_, final, reasons):
        m = self.find(out, mid)
        got = {"status": m["status"], "ceiling": m["ceiling"], "voted": m["voted"],
               "final": m["final"], "reasons": self.clauses(m)}
        want = {"status": status, "ceiling": ceiling, "voted": voted_, "final": final,
                "reasons": list(reasons)}
        self.assertEqual(got, want, "member %s" % mid)
        return m

    def assert_rated(self, out, mid, ceiling, reasons, final=None):
        """Rated member without ballots: voted null, final = ceiling unless given."""
        return self.assert_member(out, mid, "rated", ceiling, None,
                                  ceiling if final is None else final, reasons)

    def assert_leader(self, out, lid, ceiling, reasons):
        ld = self.find(out, lid, "leaders")
        self.assertEqual({"ceiling": ld["ceiling"], "final": ld["final"], "reasons": self.clauses(ld)},
                         {"ceiling": ceiling, "final": ceiling, "reasons": list(reasons)},
                         "leader %s" % lid)
        return ld

    def assert_collective(self, out, status, ceiling, reasons):
        c = out["collective"]
        final = ceiling if status == "rated" else None
        self.assertEqual({"status": c["status"], "ceiling": c["ceiling"], "final": c["final"],
                          "reasons": self.clauses(c)},
                         {"status": status, "ceiling": ceiling, "final": final,
                          "reasons": list(reasons)})
        return c

    def assert_quota(self, out, base, cap, candidates, kept, demoted, undecided):
        want = {"base": base, "cap": cap, "candidates": candidates, "kept": list(kept),
                "demoted": list(demoted), "undecided": list(undecided)}
        self.assertEqual({k: out["quota"].get(k) for k in want}, want)

    def assert_violations(self, out, pairs):
        self.assertEqual([(v["clause"], v["subject"]) for v in out["violations"]], list(pairs))

    def assert_message(self, msg, where):
        self.assertIsInstance(msg, str, where)
        self.assertTrue(msg.strip(), "%s: empty message" % where)
        self.assertTrue(unicodedata.is_normalized("NFC", msg), "%s: message not NFC: %r" % (where, msg))
        self.assertTrue(is_vietnamese(msg), "%s: message not Vietnamese: %r" % (where, msg))

    # -- invariants of every output
    def check_reasons(self, subject, where, order):
        reasons = subject["reasons"]
        self.assertIsInstance(reasons, list, where)
        ids = []
        for i, r in enumerate(reasons):
            w = "%s.reasons[%d]" % (where, i)
            self.assertTrue({"clause", "rating", "message"} <= set(r), w)
            self.assertIn(r["clause"], order, w)
            self.assertEqual(r["rating"], blocked_rating(r["clause"]),
                             "%s: %s must carry the rating it blocks" % (w, r["clause"]))
            self.assert_message(r["message"], w)
            ids.append(r["clause"])
        self.assertEqual(len(ids), len(set(ids)), "%s: a clause listed twice: %s" % (where, ids))
        self.assertEqual(ids, sorted(ids, key=order.index),
                         "%s: reasons not in the order of RULES.md's tables: %s" % (where, ids))

    def check_output(self, d, out):
        for key in ("ruleset", "as_of", "members", "quota", "leaders", "violations", "summary"):
            self.assertIn(key, out)
        self.assertEqual("collective" in out, "collective" in d,
                         "`collective` only when the input has one")
        if "as_of" in d:
            self.assertEqual(out["as_of"], d["as_of"])
        # members, in input order
        self.assertEqual([m["id"] for m in out["members"]], [m["id"] for m in d["members"]])
        summary = {r: 0 for r in RATINGS + ["not_rated", "undecided"]}
        for i, m in enumerate(out["members"]):
            w = "members[%d]" % i
            self.assertIn(m["status"], ("rated", "not_rated", "undecided"), w)
            for k in ("ceiling", "voted", "final"):
                self.assertIn(k, m, w)
                self.assertIn(m[k], RATINGS + [None], w)
            if m["status"] == "not_rated":
                self.assertIsNone(m["ceiling"], w)
                self.assertIsNone(m["voted"], w)
                self.assertIsNone(m["final"], w)
                self.assertTrue(m["reasons"], w + ": a not-rated member has its M-NR clauses")
                self.assertTrue(all(r["clause"].startswith("M-NR") for r in m["reasons"]), w)
                summary["not_rated"] += 1
            elif m["status"] == "undecided":
                self.assertIsNotNone(m["ceiling"], w)
                self.assertIsNone(m["final"], w)
                summary["undecided"] += 1
            else:
                self.assertIsNotNone(m["ceiling"], w)
                self.assertIsNotNone(m["final"], w)
                self.assertLessEqual(RANK[m["final"]], RANK[m["ceiling"]], w + ": final above ceiling")
                summary[m["final"]] += 1
            self.check_reasons(m, w, MEMBER_REASON_ORDER)
        self.assertEqual(out["summary"], summary, "summary must count members by final rating")
        # quota
        q = out["quota"]
        self.assertTrue({"base", "cap", "candidates", "kept", "demoted", "undecided"} <= set(q))
        self.assertEqual(q["cap"], q["base"] * 20 // 100, "cap = floor(n*20/100)")
        ids = [m["id"] for m in d["members"]]
        for k in ("kept", "demoted", "undecided"):
            self.assertEqual(q[k], sorted(q[k], key=ids.index), "quota.%s not in input order" % k)
        for m in out["members"]:
            has_q = "Q-1" in self.clauses(m)
            self.assertEqual(has_q, m["id"] in q["demoted"] or m["id"] in q["undecided"],
                             "Q-1 in reasons exactly for demoted/undecided members (%s)" % m["id"])
        # leaders, in input order
        self.assertEqual([ld["id"] for ld in out["leaders"]], [ld["id"] for ld in d.get("leaders", [])])
        for i, ld in enumerate(out["leaders"]):
            w = "leaders[%d]" % i
            self.assertIn(ld["ceiling"], RATINGS, w)
            self.assertEqual(ld["final"], ld["ceiling"], w + ": a leader's final is its ceiling")
            self.check_reasons(ld, w, LEADER_CLAUSES)
        # collective
        if "collective" in out:
            c = out["collective"]
            self.assertIn(c["status"], ("rated", "undecided"))
            self.assertIn(c["ceiling"], RATINGS)
            if c["status"] == "rated":
                self.assertEqual(c["final"], c["ceiling"])
            else:
                self.assertIsNone(c["final"])
            self.assertEqual(c["status"] == "undecided", summary["undecided"] > 0,
                             "the collective is undecided exactly while a member is")
            self.check_reasons(c, "collective", COLLECTIVE_CLAUSES)
        # violations
        vs = out["violations"]
        self.assertIsInstance(vs, list)
        for i, v in enumerate(vs):
            self.assertTrue({"clause", "subject", "message"} <= set(v), "violations[%d]" % i)
            self.assertIn(v["clause"], CONSTRAINT_CLAUSES)
            self.assert_message(v["message"], "violations[%d]" % i)
        order = [v["clause"] for v in vs]
        self.assertEqual(order, sorted(order), "violations come K-1, then K-2, then K-3")

