"""End-to-end tests of `kiemdiem rules list` and `kiemdiem rules show ID` (cli.md)."""

import unittest

from kdtest import ALL_CLAUSES, is_vietnamese, run


class TestRules(unittest.TestCase):
    def test_rules_list_mentions_default_ruleset(self):
        p = run(["rules", "list"])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("kh19-2021", p.stdout.decode("utf-8"))

    def test_rules_show_has_every_clause_id(self):
        p = run(["rules", "show", "kh19-2021"])
        self.assertEqual(p.returncode, 0, p.stderr)
        text = p.stdout.decode("utf-8")
        missing = [c for c in ALL_CLAUSES if c not in text]
        self.assertEqual(missing, [], "clause ids missing from `rules show`")

    def test_rules_show_is_vietnamese(self):
        p = run(["rules", "show", "kh19-2021"])
        self.assertEqual(p.returncode, 0, p.stderr)
        text = p.stdout.decode("utf-8")  # must be valid UTF-8
        self.assertTrue(is_vietnamese(text))

    def test_rules_show_unknown_ruleset(self):
        p = run(["rules", "show", "nope"])
        self.assertNotEqual(p.returncode, 0)
        self.assertTrue(p.stderr.strip(), "a message on stderr")

    def test_rules_show_without_id(self):
        p = run(["rules", "show"])
        self.assertNotEqual(p.returncode, 0)
        self.assertTrue(p.stderr.strip())


if __name__ == "__main__":
    unittest.main()
