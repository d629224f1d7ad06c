"""The storage of electronic secret ballots (issue 4), as a copy of the
database shows it to anyone who holds one. Ballots are cast through the web
only; tests/unit/test_ballot.c casts them and compares two databases voted
in different orders. Here: the schema a `kiemdiem demo` database has, which
is what makes the secrecy possible at all.
"""

import os
import re
import shutil
import sqlite3
import tempfile
import unittest

from kdtest import run


class BallotSchemaCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="kdballot-")
        cls.db = os.path.join(cls.dir, "demo.db")
        p = run(["demo", "--db", cls.db])
        assert p.returncode == 0, p.stderr
        cls.c = sqlite3.connect(cls.db)

    @classmethod
    def tearDownClass(cls):
        cls.c.close()
        shutil.rmtree(cls.dir, True)

    def columns(self, table):
        return [r[1] for r in self.c.execute("SELECT * FROM pragma_table_info(?)", (table,))]

    def test_what_was_voted_has_no_voter_time_or_order(self):
        # The counters: round, subject, rating, count. No id, voter or time.
        self.assertEqual(self.columns("ballot_count"), ["round_id", "subject_id", "rating", "n"])
        fks = {r[2] for r in self.c.execute("SELECT * FROM pragma_foreign_key_list('ballot_count')")}
        self.assertEqual(fks, {"vote_round", "vote_subject"})

    def test_who_voted_has_nothing_of_what(self):
        self.assertEqual(self.columns("vote_cast"), ["id", "round_id", "person_id"])
        self.assertEqual(self.columns("vote_round"),
                         ["id", "meeting_id", "number", "opened_on", "closed", "voters", "eligible"])

    def test_nothing_copies_a_ballot_behind_the_program(self):
        # No trigger could log or link a ballot, and no view joins them:
        # the only triggers are the roll-up's counters (migration 6), on
        # the roster, reviews, decisions and results, none of which a
        # ballot writes, and they write nothing but the counter tables.
        self.assertEqual(self.c.execute("SELECT name FROM sqlite_master WHERE type = 'view'").fetchall(), [])
        triggers = self.c.execute("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        self.assertEqual({t for t, _ in triggers}, {"person", "review", "decision", "result"})
        for _, sql in triggers:
            body = sql.split(" BEGIN", 1)[1]
            targets = set(re.findall(r"INSERT INTO (\w+)", body))
            self.assertLessEqual(targets, {"cell_members", "campaign_stat"}, sql)
            self.assertNotIn("vote_", body)
            self.assertNotIn("ballot", body)

    def test_only_voters_and_subjects_tie_a_person_to_a_round(self):
        # vote_cast: who voted; vote_subject: who is voted on, fixed when
        # the round opens. Nothing else ties a person to a round.
        linking = []
        for (t,) in self.c.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            refs = {r[2] for r in self.c.execute("SELECT * FROM pragma_foreign_key_list(?)", (t,))}
            if "vote_round" in refs and "person" in refs:
                linking.append(t)
        self.assertEqual(sorted(linking), ["vote_cast", "vote_subject"])

    def test_one_open_round_per_meeting(self):
        c = sqlite3.connect(os.path.join(self.dir, "demo.db"))
        try:
            c.execute("INSERT INTO vote_round (meeting_id, number, opened_on, voters, eligible)"
                      " VALUES (1, 1, '2021-11-11', 5, 5)")
            with self.assertRaises(sqlite3.IntegrityError):
                c.execute("INSERT INTO vote_round (meeting_id, number, opened_on, voters, eligible)"
                          " VALUES (1, 2, '2021-11-11', 5, 5)")
        finally:
            c.rollback()
            c.close()


if __name__ == "__main__":
    unittest.main()
