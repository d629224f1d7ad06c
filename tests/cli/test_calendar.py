"""End-to-end tests of `kiemdiem calendar`: days off, working-day counts,
deadlines and the year's public holidays, with exceptions; bad input exits 2."""

import unicodedata
import unittest

from kdtest import is_vietnamese, run


class CalendarCase(unittest.TestCase):
    maxDiff = None

    def ok(self, *args):
        """Run `calendar` with args that must succeed; returns stdout lines."""
        p = run(["calendar"] + list(args))
        err = p.stderr.decode("utf-8", "replace")
        self.assertEqual(p.returncode, 0, "exit %d, stderr:\n%s" % (p.returncode, err))
        self.assertEqual(err, "", "nothing on stderr on success")
        text = p.stdout.decode("utf-8")  # must be valid UTF-8
        self.assertTrue(unicodedata.is_normalized("NFC", text), "output not NFC")
        self.assertTrue(is_vietnamese(text))
        return text.splitlines()

    def bad(self, *args, want=None):
        """Run `calendar` with args that must be rejected: exit 2, nothing on
        stdout, every stderr line starting with "calendar: "; `want` is in
        one of them. Returns the lines."""
        p = run(["calendar"] + list(args))
        err = p.stderr.decode("utf-8", "replace")
        self.assertEqual(p.returncode, 2, "exit %d (want 2), stderr:\n%s" % (p.returncode, err))
        self.assertEqual(p.stdout, b"", "stdout must be empty on bad input")
        lines = err.splitlines()
        self.assertTrue(lines, "stderr must say what is wrong")
        for ln in lines:
            self.assertTrue(ln.startswith("calendar: "), ln)
            self.assertNotIn("\t", ln)
        if want is not None:
            self.assertTrue(any(want in ln for ln in lines), "no line contains %r:\n%s" % (want, err))
        return lines

    @staticmethod
    def count(lines):
        last = lines[-1]
        prefix = "Số ngày làm việc: "
        assert last.startswith(prefix), last
        return int(last[len(prefix):])


class TestRange(CalendarCase):
    def test_november_2021(self):
        lines = self.ok("--from", "2021-11-01", "--to", "2021-11-30")
        self.assertEqual(lines[0], "Các ngày nghỉ từ 01/11/2021 đến 30/11/2021:")
        self.assertIn("  27/11/2021 Thứ Bảy", lines)
        self.assertIn("  28/11/2021 Chủ nhật", lines)
        self.assertEqual(len([ln for ln in lines if ln.startswith("  ")]), 8)
        self.assertEqual(self.count(lines), 22)

    def test_single_day(self):
        self.assertEqual(self.count(self.ok("--from", "2021-11-27", "--to", "2021-11-27")), 0)
        lines = self.ok("--from=2021-11-26", "--to=2021-11-26")
        self.assertIn("  (không có)", lines)
        self.assertEqual(self.count(lines), 1)

    def test_holidays_and_compensatory_day(self):
        # 1/5/2021 is a Saturday: Monday 3/5 is off (Điều 112 khoản 3).
        lines = self.ok("--from", "2021-04-28", "--to", "2021-05-04")
        self.assertIn("  30/04/2021 Thứ Sáu: Ngày Chiến thắng", lines)
        self.assertIn("  01/05/2021 Thứ Bảy: Ngày Quốc tế lao động", lines)
        self.assertIn("  02/05/2021 Chủ nhật", lines)
        self.assertIn("  03/05/2021 Thứ Hai: Nghỉ bù Ngày Quốc tế lao động", lines)
        self.assertEqual(self.count(lines), 3)   # 28/4, 29/4, 4/5

    def test_tet_2022(self):
        lines = self.ok("--from", "2022-01-31", "--to", "2022-02-06")
        self.assertIn("  31/01/2022 Thứ Hai: Tết Âm lịch", lines)
        self.assertIn("  04/02/2022 Thứ Sáu: Tết Âm lịch", lines)
        self.assertEqual(self.count(lines), 0)

    def test_exceptions(self):
        base = self.count(self.ok("--from", "2021-02-01", "--to", "2021-02-28"))
        lines = self.ok("--from", "2021-02-01", "--to", "2021-02-28",
                        "--off", "2021-02-10:Nghỉ bù Tết", "--work", "2021-02-20:Làm bù")
        self.assertIn("  10/02/2021 Thứ Tư: Nghỉ bù Tết", lines)
        self.assertNotIn("  20/02/2021 Thứ Bảy", lines)
        i = lines.index("Các ngày làm bù:")
        self.assertEqual(lines[i + 1], "  20/02/2021 Thứ Bảy: Làm bù")
        self.assertEqual(self.count(lines), base)
        # Without names, and with the = form; one off alone lowers the count.
        lines = self.ok("--from", "2021-02-01", "--to", "2021-02-28", "--off=2021-02-10")
        self.assertIn("  10/02/2021 Thứ Tư: Nghỉ theo lịch năm", lines)
        self.assertEqual(self.count(lines), base - 1)

    def test_exception_name_is_normalized(self):
        decomposed = unicodedata.normalize("NFD", "Nghỉ bù Tết")
        lines = self.ok("--from", "2021-02-10", "--to", "2021-02-10", "--off", "2021-02-10:" + decomposed)
        self.assertIn("  10/02/2021 Thứ Tư: Nghỉ bù Tết", lines)

    def test_whole_calendar(self):
        lines = self.ok("--from", "1900-01-01", "--to", "2199-12-31")
        self.assertGreater(self.count(lines), 70000)


class TestDeadline(CalendarCase):
    def test_across_a_weekend(self):
        lines = self.ok("--deadline", "2021-11-15", "--days", "3")
        self.assertEqual(lines, ["Hạn chót: 10/11/2021 (Thứ Tư), trước ít nhất 3 ngày làm việc "
                                 "so với ngày họp 15/11/2021 (Thứ Hai)"])

    def test_across_tet_2022(self):
        lines = self.ok("--deadline", "2022-02-07", "--days", "3")
        self.assertIn("Hạn chót: 26/01/2022 (Thứ Tư)", lines[0])

    def test_make_up_saturday_counts(self):
        lines = self.ok("--deadline", "2021-02-22", "--days", "1", "--work", "2021-02-20")
        self.assertIn("Hạn chót: 20/02/2021 (Thứ Bảy)", lines[0])


class TestYear(CalendarCase):
    def test_2022(self):
        lines = self.ok("--year", "2022")
        self.assertIn("Các ngày nghỉ lễ, tết năm 2022", lines[0])
        for want in ["  01/01/2022 Thứ Bảy: Tết Dương lịch",
                     "  03/01/2022 Thứ Hai: Nghỉ bù Tết Dương lịch",
                     "  31/01/2022 Thứ Hai: Tết Âm lịch (29/12 âm lịch)",
                     "  01/02/2022 Thứ Ba: Tết Âm lịch (1/1 âm lịch)",
                     "  10/04/2022 Chủ nhật: Giỗ Tổ Hùng Vương (10/3 âm lịch)",
                     "  11/04/2022 Thứ Hai: Nghỉ bù Giỗ Tổ Hùng Vương",
                     "  02/05/2022 Thứ Hai: Nghỉ bù Ngày Chiến thắng",
                     "  03/05/2022 Thứ Ba: Nghỉ bù Ngày Quốc tế lao động",
                     "  02/09/2022 Thứ Sáu: Quốc khánh",
                     "  03/09/2022 Thứ Bảy: Quốc khánh"]:
            self.assertIn(want, lines)
        self.assertIn("Tổng cộng: 11 ngày nghỉ lễ, tết và 5 ngày nghỉ bù.", lines)

    def test_gio_to_dates(self):
        for year, date in [("2021", "21/04/2021"), ("2023", "29/04/2023"), ("2024", "18/04/2024"),
                           ("2025", "07/04/2025")]:
            text = "\n".join(self.ok("--year", year))
            self.assertIn("%s " % date, text)
            self.assertIn("Giỗ Tổ Hùng Vương (10/3 âm lịch)", text)

    def test_exceptions_are_listed(self):
        lines = self.ok("--year", "2021", "--work", "2021-02-20:Làm bù", "--off", "2021-02-10:Nghỉ bù Tết",
                        "--off", "2022-01-03")
        i = lines.index("Theo lịch nghỉ của năm:")
        # In date order, and only the year's own.
        self.assertEqual(lines[i + 1:i + 3], ["  10/02/2021 Thứ Tư: nghỉ (Nghỉ bù Tết)",
                                              "  20/02/2021 Thứ Bảy: làm việc (Làm bù)"])
        self.assertNotIn("2022", "\n".join(lines[i:]))


class TestHelp(CalendarCase):
    def test_help(self):
        for flag in ("--help", "-h"):
            p = run(["calendar", flag])
            self.assertEqual(p.returncode, 0)
            text = p.stdout.decode("utf-8")
            self.assertIn("--deadline", text)
            self.assertTrue(is_vietnamese(text))

    def test_listed_in_kiemdiem_help(self):
        p = run(["help"])
        self.assertIn("calendar", p.stdout.decode("utf-8"))


class TestBadInput(CalendarCase):
    def test_not_a_date(self):
        self.bad("--from", "2021-13-01", "--to", "2021-12-31",
                 want='--from: "2021-13-01" is not a date; expected YYYY-MM-DD')
        self.bad("--from", "2021-01-01", "--to", "2021-02-29", want='--to: "2021-02-29" is not a date')
        self.bad("--deadline", "15/11/2021", "--days", "3", want='--deadline: "15/11/2021" is not a date')

    def test_outside_the_calendar(self):
        self.bad("--from", "1899-12-31", "--to", "1900-01-05", want="--from: \"1899-12-31\" is outside")
        self.bad("--year", "2200", want='--year: "2200" is outside the calendar')
        self.bad("--year", "1850", want="expected a year from 1900 to 2199")

    def test_to_before_from(self):
        self.bad("--from", "2021-03-01", "--to", "2021-02-01",
                 want='--to: "2021-02-01" is before --from "2021-03-01"')

    def test_incomplete_or_mixed_modes(self):
        self.bad(want="nothing to do")
        self.bad("--from", "2021-01-01", want="--from: given without --to")
        self.bad("--to", "2021-01-01", want="--to: given without --from")
        self.bad("--deadline", "2021-11-15", want="--deadline: given without --days")
        self.bad("--days", "3", want="--days: given without --deadline")
        self.bad("--year", "2021", "--deadline", "2021-11-15", "--days", "3", want="more than one of")

    def test_bad_numbers(self):
        self.bad("--deadline", "2021-11-15", "--days", "0", want='--days: "0" is out of range')
        self.bad("--deadline", "2021-11-15", "--days", "3650000", want="--days")
        self.bad("--deadline", "2021-11-15", "--days", "ba", want='--days: "ba" is not a whole number')
        self.bad("--year", "hai nghìn", want='--year: "hai nghìn" is not a whole number')

    def test_missing_values(self):
        self.bad("--year", want="--year: missing value")
        self.bad("--year", "2021", "--off", want="--off: missing value; expected YYYY-MM-DD[:NAME]")

    def test_bad_exceptions(self):
        self.bad("--year", "2021", "--off", "2021-02-30:Nghỉ",
                 want='--off: "2021-02-30" is not a date; expected YYYY-MM-DD[:NAME]')
        self.bad("--year", "2021", "--work", "Làm bù", want='--work: "Làm bù" is not a date')
        self.bad("--year", "2021", "--off", "2021-02-10", "--work", "2021-02-10",
                 want="--work: 2021-02-10 is already given by --off; expected each date once")
        self.bad("--year", "2021", "--off", "2021-02-10:a\nb", want="control character")
        p = run(["calendar", "--year", "2021", "--off", b"2021-02-10:\xff"])
        self.assertEqual(p.returncode, 2)
        self.assertIn("not valid UTF-8", p.stderr.decode("utf-8", "replace"))

    def test_every_problem_is_reported(self):
        lines = self.bad("--year", "2021", "--off", "2021-02-30", "--work", "x")
        self.assertEqual(len(lines), 2, lines)

    def test_unknown_option_and_argument(self):
        self.bad("--year", "2021", "--weekend", "sun", want="--weekend: unknown option")
        self.bad("--year", "2021", "2022", want="unexpected argument")


if __name__ == "__main__":
    unittest.main()
