"""End-to-end tests of the upper levels (issue 6): `gen` makes a small
country, `rollup` adds it up for every organization, `rollup recheck`
re-runs the rules over each cell, `org` lists and grows the tree, and the
global `--cell` chooses a cell for the single-cell commands.

Expected figures are computed here from the database itself (with SQL
through kdtest.connect), never written into the test, so they hold for any
seed. Runs on SQLite and again on PostgreSQL (ctest's pg/ tests).
"""

import json
import os
import tempfile
import unittest

import kdtest
from kdtest import execute, kd, rows

RATINGS = ["HTXSNV", "HTTNV", "HTNV", "KHTNV"]



class RollupCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="kdrollup-")
        cls.base = os.path.join(cls.dir, "country.db")
        rc, out, err = kd("gen", "--members", "3000", "--seed", "7", db=cls.base)
        assert rc == 0, err
        with kdtest.connect(cls.base) as c:
            c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cls.n = 0

    def fresh(self):
        """A copy of the generated country for one test to change."""
        RollupCase.n += 1
        path = os.path.join(self.dir, "copy%d.db" % RollupCase.n)
        kdtest.copy_db(self.base, path)
        return path

    def rollup(self, db, *args):
        rc, out, err = kd("rollup", "--json", *args, db=db)
        self.assertEqual(rc, 0, err)
        return json.loads(out)

    # ------------------------------------------------------------ gen

    def test_gen_is_audited_and_realistic(self):
        rc, out, err = kd("audit", "verify", db=self.base)
        self.assertEqual(rc, 0, err)
        (people,), = rows(self.base, "SELECT count(*) FROM person")
        self.assertEqual(people, 3000)
        kinds = dict(rows(self.base, "SELECT kind, count(*) FROM org GROUP BY kind"))
        for k in ("upper", "committee", "cell", "group"):
            self.assertGreater(kinds.get(k, 0), 0, k)
        sizes = [n for (n,) in rows(self.base, "SELECT count(*) FROM person GROUP BY cell_id")]
        self.assertLessEqual(max(sizes), 60)
        # Family names in their real order of frequency: Nguyễn first.
        fam = rows(self.base, "SELECT family_name, count(*) AS n FROM person GROUP BY family_name ORDER BY n DESC")
        self.assertEqual(fam[0][0], "Nguyễn")
        self.assertGreater(fam[0][1], 3000 * 0.3)
        # Every cell's stored decisions respect the quota Q-1.
        for cap_ok in rows(self.base, "SELECT sum(CASE WHEN rating = 'HTXSNV' THEN 1 ELSE 0 END) * 100"
                           " <= 20 * sum(CASE WHEN rating IN ('HTXSNV', 'HTTNV') THEN 1 ELSE 0 END)"
                           " FROM decision WHERE subject = 'member' AND annulled_on IS NULL GROUP BY campaign_id"):
            self.assertTrue(cap_ok[0])

    def test_gen_is_deterministic_for_a_seed(self):
        a, b, c = (os.path.join(self.dir, name) for name in ("a.db", "b.db", "c.db"))
        for path, seed in ((a, "3"), (b, "3"), (c, "4")):
            rc, out, err = kd("gen", "--members", "700", "--seed", seed, db=path)
            self.assertEqual(rc, 0, err)
        self.assertEqual(self.rollup(a), self.rollup(b))
        self.assertNotEqual(self.rollup(a), self.rollup(c))

    def test_gen_refuses_a_database_with_organizations(self):
        rc, out, err = kd("gen", "--members", "100", db=self.fresh())
        self.assertNotEqual(rc, 0)
        self.assertIn("expected an empty database", err)

    # ------------------------------------------------------------ rollup

    def test_totals_are_the_sums_of_the_decisions(self):
        r = self.rollup(self.base)
        root = r["orgs"][0]
        self.assertIsNone(root["parent"])
        (members,), = rows(self.base, "SELECT count(*) FROM person WHERE active = 1")
        self.assertEqual(root["members"], members)
        counts = dict(rows(self.base, "SELECT d.rating, count(*) FROM decision d JOIN campaign c ON c.id = d.campaign_id"
                           " WHERE d.subject = 'member' AND d.annulled_on IS NULL AND c.year = ? GROUP BY d.rating",
                           (r["year"],)))
        for k in RATINGS:
            self.assertEqual(root["ratings"][k], counts.get(k, 0), k)
        self.assertEqual(root["rated"], sum(counts.values()))
        (cells,), = rows(self.base, "SELECT count(*) FROM org WHERE kind = 'cell'")
        self.assertEqual(root["cells"], cells)
        by_code = {o["code"]: o for o in r["orgs"]}
        for o in r["orgs"]:
            # Percentages of those rated, one decimal, halves up.
            for k in RATINGS:
                want = (o["ratings"][k] * 1000 + o["rated"] // 2) // o["rated"] / 10 if o["rated"] else 0
                self.assertAlmostEqual(o["percent"][k], want, places=6, msg=(o["code"], k))
            # Each level is the sum of the levels below it.
            kids = [c for c in r["orgs"] if c["parent"] == o["code"]]
            if o["kind"] != "cell" and kids:
                for key in ("members", "rated", "cells", "cells_finished", "undecided"):
                    self.assertEqual(o[key], sum(c[key] for c in kids), (o["code"], key))
            if o["parent"]:
                self.assertEqual(o["depth"], by_code[o["parent"]]["depth"] + 1)

    def test_under_a_city_sees_only_its_cells(self):
        whole = self.rollup(self.base)
        city = whole["orgs"][1]
        self.assertEqual(city["depth"], 1)
        r = self.rollup(self.base, "--under", city["code"])
        self.assertEqual(r["orgs"][0]["code"], city["code"])
        self.assertEqual(r["orgs"][0]["members"], city["members"])
        self.assertTrue(all(o["code"].startswith(city["code"]) for o in r["orgs"]))
        rc, out, err = kd("rollup", "--under", city["code"], db=self.base)
        self.assertEqual(rc, 0, err)
        self.assertIn("HTXSNV", out)
        self.assertIn(city["name"], out)
        self.assertIn("Chi bộ chưa hoàn thành", out)

    def test_unfinished_cells_are_listed_with_what_is_missing(self):
        db = self.fresh()
        r = self.rollup(db)
        listed = {u["code"] for u in r["unfinished"]}
        root = r["orgs"][0]
        self.assertEqual(len(listed), root["cells"] - root["cells_finished"])
        # Take a finished cell and unpublish one decision behind its back.
        finished = [o for o in r["orgs"] if o["kind"] == "cell" and o["code"] not in listed and o["rated"]]
        cell = finished[0]
        (did,), = rows(db, "SELECT min(d.id) FROM decision d JOIN campaign c ON c.id = d.campaign_id"
                       " JOIN org o ON o.id = c.cell_id WHERE o.code = ? AND d.subject = 'member'", (cell["code"],))
        execute(db, "UPDATE decision SET published_on = NULL WHERE id = ?", (did,))
        r2 = self.rollup(db)
        mine = [u for u in r2["unfinished"] if u["code"] == cell["code"]]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["unpublished"], 1)
        self.assertEqual(r2["orgs"][0]["cells_finished"], root["cells_finished"] - 1)
        rc, out, err = kd("rollup", db=db)
        self.assertIn(cell["code"], out.split("Chi bộ chưa hoàn thành")[1])
        self.assertIn("1 quyết định chưa công khai", out)

    # ------------------------------------------------------------ recheck

    def test_recheck_passes_generated_results(self):
        rc, out, err = kd("rollup", "recheck", "--json", db=self.base)
        self.assertEqual(rc, 0, err + out)
        r = json.loads(out)
        self.assertEqual(r["findings"], [])
        (cells,), = rows(self.base, "SELECT count(*) FROM campaign")
        self.assertEqual(r["cells"], cells)

    def test_recheck_flags_one_htxsnv_over_the_quota(self):
        db = self.fresh()
        # A cell with at least one HTTNV to promote; give exactly one more
        # HTXSNV than 20 % of those at HTTNV or above allows.
        per = rows(db, "SELECT o.code, c.id, sum(CASE WHEN d.rating = 'HTXSNV' THEN 1 ELSE 0 END),"
                   " sum(CASE WHEN d.rating IN ('HTXSNV', 'HTTNV') THEN 1 ELSE 0 END),"
                   " sum(CASE WHEN d.rating = 'HTTNV' THEN 1 ELSE 0 END)"
                   " FROM decision d JOIN campaign c ON c.id = d.campaign_id JOIN org o ON o.id = c.cell_id"
                   " WHERE d.subject = 'member' AND d.annulled_on IS NULL GROUP BY o.code, c.id ORDER BY o.code")
        code, campaign, top, base, httnv = next(p for p in per if p[4] >= 2)
        promote = base * 20 // 100 - top + 1
        self.assertLessEqual(promote, httnv)
        ids = [i for (i,) in rows(db, "SELECT id FROM decision WHERE campaign_id = ? AND subject = 'member'"
                                   " AND rating = 'HTTNV' AND annulled_on IS NULL ORDER BY id", (campaign,))]
        for i in ids[:promote]:
            execute(db, "UPDATE decision SET rating = 'HTXSNV' WHERE id = ?", (i,))
        rc, out, err = kd("rollup", "recheck", "--json", db=db)
        self.assertEqual(rc, 1, err)
        r = json.loads(out)
        self.assertEqual(r["cells_flagged"], 1)
        self.assertEqual({f["cell"] for f in r["findings"]}, {code})
        self.assertIn("Q-1", [f["clause"] for f in r["findings"] if f["subject"] is None])
        rc, out, err = kd("rollup", "recheck", db=db)
        self.assertEqual(rc, 1)
        self.assertIn(code, out)
        self.assertIn("[Q-1]", out)
        self.assertIn("vượt quá 20%", out)

    def test_recheck_flags_a_member_above_the_rules(self):
        db = self.fresh()
        # A member whose record stops at HTNV, decided HTTNV.
        (pid, code, campaign), = rows(db, "SELECT p.id, o.code, d.campaign_id FROM decision d JOIN person p ON p.id = d.person_id"
                                      " JOIN org o ON o.id = p.cell_id WHERE d.rating = 'HTNV' AND d.annulled_on IS NULL"
                                      " ORDER BY p.id LIMIT 1")
        execute(db, "UPDATE decision SET rating = 'HTTNV' WHERE person_id = ? AND annulled_on IS NULL", (pid,))
        rc, out, err = kd("rollup", "recheck", "--json", "--under", code, db=db)
        self.assertEqual(rc, 1, err)
        r = json.loads(out)
        self.assertEqual(r["cells"], 1)
        mine = [f for f in r["findings"] if f["subject"] is not None and f["subject"].startswith("dv")]
        self.assertEqual(len(mine), 1)
        self.assertIn("HTTNV", mine[0]["message"])

    # ------------------------------------------------------------ classify

    def test_classify_stores_every_cell_as_classify_campaign_would(self):
        db = self.fresh()
        rc, out, err = kd("rollup", "classify", "--json", db=db)
        self.assertEqual(rc, 0, err)
        r = json.loads(out)
        (campaigns,), = rows(db, "SELECT count(*) FROM campaign")
        (members,), = rows(db, "SELECT count(*) FROM person WHERE active = 1")
        self.assertEqual(r["cells"], campaigns)
        self.assertEqual(r["members"], members)
        self.assertEqual(r["skipped"], [])
        # One stored result per member, with reasons, and the counts said.
        (stored,), = rows(db, "SELECT count(*) FROM result WHERE subject = 'member'")
        self.assertEqual(stored, members)
        by = dict(rows(db, "SELECT final, count(*) FROM result WHERE subject = 'member' AND status = 'rated'"
                       " GROUP BY final"))
        for k in RATINGS:
            self.assertEqual(r["ratings"][k], by.get(k, 0), k)
        (undecided,), = rows(db, "SELECT count(*) FROM result WHERE subject = 'member' AND status = 'undecided'")
        self.assertEqual(r["undecided"], undecided)
        self.assertGreater(sum(r["ratings"].values()), members // 2)
        # A cell's stored results are those `classify --campaign` gives it.
        (code,), = rows(db, "SELECT o.code FROM org o JOIN campaign c ON c.cell_id = o.id ORDER BY o.code DESC LIMIT 1")
        before = rows(db, "SELECT x.person_id, x.status, x.ceiling, x.voted, x.final, x.reasons FROM result x"
                      " JOIN campaign c ON c.id = x.campaign_id JOIN org o ON o.id = c.cell_id WHERE o.code = ?"
                      " ORDER BY x.subject, x.person_id", (code,))
        self.assertGreater(len(before), 0)
        rc, out, err = kd("classify", "--campaign", "--partial", "--cell", code, db=db)
        self.assertEqual(rc, 0, err)
        after = rows(db, "SELECT x.person_id, x.status, x.ceiling, x.voted, x.final, x.reasons FROM result x"
                     " JOIN campaign c ON c.id = x.campaign_id JOIN org o ON o.id = c.cell_id WHERE o.code = ?"
                     " ORDER BY x.subject, x.person_id", (code,))
        self.assertEqual(before, after)
        # Audited; a second run changes nothing and writes no entry.
        rc, out, err = kd("audit", "verify", db=db)
        self.assertEqual(rc, 0, err)
        (entries,), = rows(db, "SELECT count(*) FROM audit_log")
        rc, out, err = kd("rollup", "classify", db=db)
        self.assertEqual(rc, 0, err)
        self.assertIn("%d đảng viên" % members, out)
        (entries2,), = rows(db, "SELECT count(*) FROM audit_log")
        self.assertEqual(entries2, entries)
        # The roll-up's "not rated" comes from these stored results.
        root = self.rollup(db)["orgs"][0]
        (not_rated,), = rows(db, "SELECT count(*) FROM result WHERE subject = 'member' AND status = 'not_rated'")
        self.assertEqual(root["not_rated"], not_rated)

    def test_classify_lists_a_cell_it_cannot_take_and_keeps_the_others(self):
        db = self.fresh()
        cells = rows(db, "SELECT o.code, c.id FROM org o JOIN campaign c ON c.cell_id = o.id ORDER BY o.code")
        bad_code, bad_campaign = cells[len(cells) // 2]
        (pid,), = rows(db, "SELECT min(p.id) FROM person p JOIN campaign c ON c.cell_id = p.cell_id WHERE c.id = ?",
                       (bad_campaign,))
        # A fact of the wrong type (text where the rule set declares a
        # yes/no), written behind kiemdiem's back.
        execute(db, "DELETE FROM fact WHERE campaign_id = ? AND person_id = ? AND key = 'exemplary'",
                (bad_campaign, pid))
        execute(db, "INSERT INTO fact (campaign_id, subject, person_id, key, value)"
                " VALUES (?, 'member', ?, 'exemplary', '\"có\"')", (bad_campaign, pid))
        rc, out, err = kd("rollup", "classify", "--json", db=db)
        self.assertEqual(rc, 1, err)
        r = json.loads(out)
        self.assertEqual([s["cell"] for s in r["skipped"]], [bad_code])
        self.assertIn("exemplary", r["skipped"][0]["message"])
        self.assertEqual(r["cells"], len(cells) - 1)
        (none,), = rows(db, "SELECT count(*) FROM result WHERE campaign_id = ?", (bad_campaign,))
        self.assertEqual(none, 0)
        (others,), = rows(db, "SELECT count(DISTINCT campaign_id) FROM result")
        self.assertEqual(others, len(cells) - 1)
        rc, out, err = kd("rollup", "classify", db=db)
        self.assertEqual(rc, 1)
        self.assertIn(bad_code, out.split("không xếp loại được")[1])

    def test_classify_under_an_org_touches_only_its_cells(self):
        db = self.fresh()
        city = self.rollup(db)["orgs"][1]
        rc, out, err = kd("rollup", "classify", "--json", "--under", city["code"], db=db)
        self.assertEqual(rc, 0, err)
        r = json.loads(out)
        self.assertEqual(r["members"], city["members"])
        outside = rows(db, "SELECT count(*) FROM result x JOIN campaign c ON c.id = x.campaign_id"
                       " JOIN org o ON o.id = c.cell_id WHERE o.code NOT LIKE ?", (city["code"] + ".%",))
        self.assertEqual(outside[0][0], 0)
        rc, out, err = kd("rollup", "classify", "--under", "KHONGCO", db=db)
        self.assertNotEqual(rc, 0)
        self.assertIn("KHONGCO", err)

    # ------------------------------------------------------------ org, --cell

    def test_org_list_and_add(self):
        db = self.fresh()
        r = self.rollup(db)
        committee = next(o for o in r["orgs"] if o["kind"] == "committee")
        rc, out, err = kd("org", "add", "CBMOI", "--name", "Chi bộ Khu phố Mới", "--kind", "cell",
                          "--parent", committee["code"], db=db)
        self.assertEqual(rc, 0, err)
        rc, out, err = kd("org", "list", "--under", committee["code"], db=db)
        self.assertEqual(rc, 0, err)
        lines = out.splitlines()
        self.assertTrue(lines[0].startswith(committee["code"]))
        self.assertIn("%d đảng viên" % committee["members"], lines[0])
        new = [ln for ln in lines if "CBMOI" in ln]
        self.assertEqual(len(new), 1)
        self.assertTrue(new[0].startswith("  CBMOI"))
        rc, out, err = kd("org", "add", "X1", "--name", "Tỉnh X", "--kind", "upper", "--parent", "CBMOI", db=db)
        self.assertNotEqual(rc, 0)
        self.assertIn("CBMOI", err)
        rc, out, err = kd("audit", "verify", db=db)
        self.assertEqual(rc, 0, err)
        # The new cell has no campaign: the roll-up says so.
        r2 = self.rollup(db)
        mine = [u for u in r2["unfinished"] if u["code"] == "CBMOI"]
        self.assertEqual(len(mine), 1)
        self.assertTrue(mine[0]["no_campaign"])

    def test_cell_option_selects_a_cell(self):
        (code, name), = rows(self.base, "SELECT code, name FROM org WHERE kind = 'cell' ORDER BY id DESC LIMIT 1")
        rc, out, err = kd("status", db=self.base)
        self.assertNotEqual(rc, 0)
        self.assertIn("several cells", err)
        self.assertIn("--cell", err)
        rc, out, err = kd("status", "--cell", code, db=self.base)
        self.assertEqual(rc, 0, err)
        self.assertTrue(out.startswith(name), out[:200])
        rc, out, err = kd("status", "--cell", "KHONGCO", db=self.base)
        self.assertNotEqual(rc, 0)
        self.assertIn("KHONGCO", err)
        rc, out, err = kd("classify", "--campaign", "--cell", code, db=self.fresh())
        self.assertEqual(rc, 0, err)


if __name__ == "__main__":
    unittest.main()
