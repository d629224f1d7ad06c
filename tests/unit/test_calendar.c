/* Unit tests of the working-day calendar (core/calendar.c): the lunar
 * calendar, the holidays of Bộ luật Lao động 2019 and the deadlines. */
#include "kdtest.h"
#include "core/calendar.h"

#define D(y, m, d) ((struct kd_date){ (y), (m), (d) })

static void assert_date(struct kd_date got, struct kd_date want)
{
	char g[11], w[11];
	assert_string_equal(kd_date_iso(got, g), kd_date_iso(want, w));
}

static struct kd_date lunar_to_solar(int y, int m, int d, bool leap)
{
	struct kd_date out = { 0, 0, 0 };
	assert_true(kd_solar_from_lunar((struct kd_lunar){ y, m, d, leap }, &out));
	return out;
}

static void assert_lunar(struct kd_date s, int y, int m, int d, bool leap)
{
	struct kd_lunar l = kd_lunar_from_solar(s);
	assert_int_equal(l.y, y);
	assert_int_equal(l.m, m);
	assert_int_equal(l.d, d);
	assert_int_equal(l.leap, leap);
}

static void test_tet_dates(void **state)
{
	(void)state;
	static const struct kd_date tet[] = {
		{ 2020, 1, 25 }, { 2021, 2, 12 }, { 2022, 2, 1 }, { 2023, 1, 22 }, { 2024, 2, 10 },
		{ 2025, 1, 29 }, { 2026, 2, 17 }, { 2027, 2, 6 },
		/* The new moon is at 23:08 on 2/2/2030 in Vietnam (UTC+7), 00:08
		 * on 3/2 in China (UTC+8): Vietnam's Tết is the 2nd, China's the
		 * 3rd. Likewise 1985 (21/1 against 20/2) and 2007 (17/2 against
		 * 18/2), which only UTC+7 gets right. */
		{ 2030, 2, 2 }, { 1985, 1, 21 }, { 2007, 2, 17 },
	};
	for (size_t i = 0; i < KD_ARRAY_LEN(tet); i++) {
		assert_date(lunar_to_solar(tet[i].y, 1, 1, false), tet[i]);
		assert_lunar(tet[i], tet[i].y, 1, 1, false);
	}
	/* The eve is the last day of the old year: 29 tháng Chạp in 2022. */
	assert_lunar(D(2022, 1, 31), 2021, 12, 29, false);
	assert_lunar(D(2021, 2, 11), 2020, 12, 30, false);
}

static void test_leap_months(void **state)
{
	(void)state;
	/* 2023 (Quý Mão) has a leap 2nd month, from 22/3 to 19/4. */
	assert_date(lunar_to_solar(2023, 2, 1, false), D(2023, 2, 20));
	assert_date(lunar_to_solar(2023, 2, 1, true), D(2023, 3, 22));
	assert_lunar(D(2023, 4, 5), 2023, 2, 15, true);
	assert_date(lunar_to_solar(2023, 2, 15, true), D(2023, 4, 5));
	assert_lunar(D(2023, 3, 21), 2023, 2, 30, false);
	assert_lunar(D(2023, 4, 20), 2023, 3, 1, false);
	/* Other years: leap 4 in 2020, leap 6 in 2025, leap 11 in 2033. */
	assert_date(lunar_to_solar(2020, 4, 1, true), D(2020, 5, 23));
	assert_date(lunar_to_solar(2025, 6, 1, true), D(2025, 7, 25));
	assert_lunar(D(2033, 12, 22), 2033, 11, 1, true);
}

static void test_impossible_lunar_dates(void **state)
{
	(void)state;
	struct kd_date out = D(1, 1, 1);
	assert_false(kd_solar_from_lunar((struct kd_lunar){ 2023, 3, 1, true }, &out));    /* 3 not leap */
	assert_false(kd_solar_from_lunar((struct kd_lunar){ 2022, 2, 1, true }, &out));    /* no leap month */
	assert_false(kd_solar_from_lunar((struct kd_lunar){ 2021, 12, 30, false }, &out)); /* 29 days */
	assert_false(kd_solar_from_lunar((struct kd_lunar){ 2021, 13, 1, false }, &out));
	assert_false(kd_solar_from_lunar((struct kd_lunar){ 2021, 1, 0, false }, &out));
	assert_date(out, D(1, 1, 1));   /* left alone */
}

/* Every day of 1900-2199 converts back to itself, and the lunar dates run
 * on day by day in months of 29 or 30 days. */
static void test_every_day_round_trips(void **state)
{
	(void)state;
	long first = kd_date_to_days(D(1900, 1, 1)), last = kd_date_to_days(D(2199, 12, 31));
	struct kd_lunar prev = kd_lunar_from_solar(kd_date_from_days(first - 1));
	int leap_months = 0;
	for (long day = first; day <= last; day++) {
		struct kd_date s = kd_date_from_days(day), back;
		struct kd_lunar l = kd_lunar_from_solar(s);
		if (!kd_solar_from_lunar(l, &back) || kd_date_cmp(back, s))
			fail_msg("%d-%02d-%02d: lunar %d/%d/%d%s does not convert back", s.y, s.m, s.d,
				 l.d, l.m, l.y, l.leap ? " (leap)" : "");
		if (l.d == 1) {
			if (prev.d != 29 && prev.d != 30)
				fail_msg("%d-%02d-%02d: a month of %d days ends the day before", s.y, s.m, s.d, prev.d);
			leap_months += l.leap;
		} else if (l.d != prev.d + 1 || l.m != prev.m || l.leap != prev.leap || l.y != prev.y) {
			fail_msg("%d-%02d-%02d: lunar %d/%d/%d does not follow %d/%d/%d", s.y, s.m, s.d,
				 l.d, l.m, l.y, prev.d, prev.m, prev.y);
		}
		prev = l;
	}
	/* 7 leap months in 19 years: about 110 in 300 years. */
	assert_in_range(leap_months, 105, 115);
}

static void test_gio_to(void **state)
{
	(void)state;
	static const struct kd_date want[] = {
		{ 2021, 4, 21 }, { 2022, 4, 10 }, { 2023, 4, 29 }, { 2024, 4, 18 }, { 2025, 4, 7 },
	};
	for (size_t i = 0; i < KD_ARRAY_LEN(want); i++) {
		const char *why;
		assert_date(lunar_to_solar(want[i].y, 3, 10, false), want[i]);
		assert_false(kd_calendar_is_working_day(NULL, want[i], &why));
		assert_string_equal(why, "Giỗ Tổ Hùng Vương");
	}
}

static void test_holidays_of_2021(void **state)
{
	(void)state;
	static const struct {
		struct kd_date date;
		const char *name;
		bool compensatory;
	} want[] = {
		{ { 2021, 1, 1 }, "Tết Dương lịch", false },
		{ { 2021, 2, 11 }, "Tết Âm lịch", false },
		{ { 2021, 2, 12 }, "Tết Âm lịch", false },
		{ { 2021, 2, 13 }, "Tết Âm lịch", false },        /* Saturday */
		{ { 2021, 2, 14 }, "Tết Âm lịch", false },        /* Sunday */
		{ { 2021, 2, 15 }, "Tết Âm lịch", false },
		{ { 2021, 2, 16 }, "Nghỉ bù Tết Âm lịch", true },
		{ { 2021, 2, 17 }, "Nghỉ bù Tết Âm lịch", true },
		{ { 2021, 4, 21 }, "Giỗ Tổ Hùng Vương", false },
		{ { 2021, 4, 30 }, "Ngày Chiến thắng", false },
		{ { 2021, 5, 1 }, "Ngày Quốc tế lao động", false },
		{ { 2021, 5, 3 }, "Nghỉ bù Ngày Quốc tế lao động", true },
		{ { 2021, 9, 2 }, "Quốc khánh", false },
		{ { 2021, 9, 3 }, "Quốc khánh", false },
	};
	struct kd_holiday h[KD_CAL_HOLIDAYS_MAX];
	size_t n = kd_calendar_holidays(2021, h);
	assert_int_equal(n, KD_ARRAY_LEN(want));
	for (size_t i = 0; i < n; i++) {
		assert_date(h[i].date, want[i].date);
		assert_string_equal(h[i].name, want[i].name);
		assert_int_equal(h[i].compensatory, want[i].compensatory);
	}
	/* Lunar holidays carry their lunar date. */
	assert_true(h[1].lunar);
	assert_int_equal(h[1].lunar_date.m, 12);
	assert_int_equal(h[1].lunar_date.d, 30);
	assert_true(h[8].lunar);
	assert_int_equal(h[8].lunar_date.m, 3);
	assert_int_equal(h[8].lunar_date.d, 10);
	assert_false(h[0].lunar);
}

/* For every year: 11 holidays (one fewer when two meet), in date order,
 * inside the year, one compensatory weekday per holiday on a weekend. */
static void test_holidays_of_every_year(void **state)
{
	(void)state;
	for (int y = 1900; y <= 2199; y++) {
		struct kd_holiday h[KD_CAL_HOLIDAYS_MAX];
		size_t n = kd_calendar_holidays(y, h);
		int holidays = 0, on_weekend = 0, compensatory = 0;
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(h[i].date.y, y);
			if (i)
				assert_true(kd_date_cmp(h[i - 1].date, h[i].date) < 0);
			if (h[i].compensatory) {
				compensatory++;
				assert_true(kd_date_weekday(h[i].date) < 5);
			} else {
				holidays++;
				on_weekend += kd_date_weekday(h[i].date) >= 5;
			}
		}
		assert_int_equal(holidays, y == 1947 ? 10 : 11);   /* 1947: Giỗ Tổ on 30/4 */
		assert_int_equal(compensatory, on_weekend);
	}
}

static void test_weekends_and_weekdays(void **state)
{
	(void)state;
	const char *why = "x";
	assert_false(kd_calendar_is_working_day(NULL, D(2021, 11, 27), &why));
	assert_string_equal(why, "Thứ Bảy");
	assert_false(kd_calendar_is_working_day(NULL, D(2021, 11, 28), &why));
	assert_string_equal(why, "Chủ nhật");
	assert_true(kd_calendar_is_working_day(NULL, D(2021, 11, 26), &why));
	assert_null(why);
	assert_true(kd_calendar_is_working_day(NULL, D(2021, 11, 29), NULL));
	assert_int_equal(kd_calendar_working_days(NULL, D(2021, 11, 1), D(2021, 11, 30)), 22);
	assert_int_equal(kd_calendar_working_days(NULL, D(2021, 11, 27), D(2021, 11, 27)), 0);
	assert_int_equal(kd_calendar_working_days(NULL, D(2021, 11, 30), D(2021, 11, 1)), 0);
	assert_string_equal(kd_calendar_weekday_name(kd_date_weekday(D(2021, 11, 15))), "Thứ Hai");
	assert_null(kd_calendar_weekday_name(7));
}

static void test_compensatory_days(void **state)
{
	(void)state;
	const char *why;
	/* 1/5/2021 is a Saturday: Monday 3/5 is off by Điều 112 khoản 3. */
	assert_false(kd_calendar_is_working_day(NULL, D(2021, 5, 1), &why));
	assert_string_equal(why, "Ngày Quốc tế lao động");
	assert_false(kd_calendar_is_working_day(NULL, D(2021, 5, 3), &why));
	assert_string_equal(why, "Nghỉ bù Ngày Quốc tế lao động");
	assert_true(kd_calendar_is_working_day(NULL, D(2021, 5, 4), NULL));
	/* 2022: 30/4 Saturday and 1/5 Sunday give Monday 2/5 and Tuesday 3/5,
	 * in that order; Giỗ Tổ on Sunday 10/4 gives Monday 11/4. */
	assert_false(kd_calendar_is_working_day(NULL, D(2022, 5, 2), &why));
	assert_string_equal(why, "Nghỉ bù Ngày Chiến thắng");
	assert_false(kd_calendar_is_working_day(NULL, D(2022, 5, 3), &why));
	assert_string_equal(why, "Nghỉ bù Ngày Quốc tế lao động");
	assert_false(kd_calendar_is_working_day(NULL, D(2022, 4, 11), &why));
	assert_string_equal(why, "Nghỉ bù Giỗ Tổ Hùng Vương");
	/* 2023: Giỗ Tổ on Saturday 29/4, 30/4 Sunday, 1/5 Monday: the
	 * compensatory days skip the holiday, to 2/5 and 3/5. */
	assert_false(kd_calendar_is_working_day(NULL, D(2023, 5, 2), &why));
	assert_string_equal(why, "Nghỉ bù Giỗ Tổ Hùng Vương");
	assert_false(kd_calendar_is_working_day(NULL, D(2023, 5, 3), &why));
	assert_string_equal(why, "Nghỉ bù Ngày Chiến thắng");
	assert_true(kd_calendar_is_working_day(NULL, D(2023, 5, 4), NULL));
}

static void test_deadline_across_a_weekend(void **state)
{
	(void)state;
	struct kd_date meeting = D(2021, 11, 15), d = kd_calendar_deadline(NULL, meeting, 3);
	assert_date(d, D(2021, 11, 10));
	/* "trước ít nhất 3 ngày làm việc": Wednesday, Thursday, Friday. */
	assert_int_equal(kd_calendar_working_days(NULL, d, D(2021, 11, 14)), 3);
	assert_int_equal(kd_calendar_working_days(NULL, D(2021, 11, 11), D(2021, 11, 14)), 2);
	assert_date(kd_calendar_deadline(NULL, meeting, 1), D(2021, 11, 12));
	/* A meeting on a Saturday counts back from Friday. */
	assert_date(kd_calendar_deadline(NULL, D(2021, 11, 27), 1), D(2021, 11, 26));
}

static void test_deadline_across_tet_2022(void **state)
{
	(void)state;
	const char *why;
	/* Tết Nhâm Dần: Monday 31/1/2022 (29 tháng Chạp, the last day of Tân
	 * Sửu) to Friday 4/2 (mùng 4), after the weekend of 29-30/1 and before
	 * that of 5-6/2. Back from Monday 7/2: Friday 28/1, Thursday 27/1,
	 * Wednesday 26/1. */
	for (int d = 31; d <= 35; d++) {
		struct kd_date day = kd_date_from_days(kd_date_to_days(D(2022, 1, 1)) + d - 1);
		assert_false(kd_calendar_is_working_day(NULL, day, &why));
		assert_string_equal(why, "Tết Âm lịch");
	}
	assert_true(kd_calendar_is_working_day(NULL, D(2022, 1, 28), NULL));
	assert_date(kd_calendar_deadline(NULL, D(2022, 2, 7), 3), D(2022, 1, 26));
	assert_int_equal(kd_calendar_working_days(NULL, D(2022, 1, 26), D(2022, 2, 6)), 3);
	assert_date(kd_calendar_add_working_days(NULL, D(2022, 1, 28), 1), D(2022, 2, 7));
	assert_date(kd_calendar_add_working_days(NULL, D(2022, 2, 7), -1), D(2022, 1, 28));
	assert_date(kd_calendar_add_working_days(NULL, D(2022, 2, 5), 0), D(2022, 2, 5));
}

static void test_exceptions(void **state)
{
	(void)state;
	/* A schedule in the style of the government's yearly one: Wednesday
	 * 10/2/2021 off before Tết, made up on Saturday 20/2; 3/9 worked with
	 * 1/9 off instead; a day off without a name. */
	static const struct kd_cal_exception ex[] = {
		{ { 2021, 2, 10 }, false, "Nghỉ bù Tết" },
		{ { 2021, 2, 20 }, true, "Làm bù" },
		{ { 2021, 9, 1 }, false, "Quốc khánh" },
		{ { 2021, 9, 3 }, true, NULL },
		{ { 2021, 11, 26 }, false, NULL },
		{ { 2021, 11, 26 }, true, "ignored: the first wins" },
	};
	struct kd_calendar cal = { ex, KD_ARRAY_LEN(ex) };
	const char *why;
	assert_false(kd_calendar_is_working_day(&cal, D(2021, 2, 10), &why));
	assert_string_equal(why, "Nghỉ bù Tết");
	assert_true(kd_calendar_is_working_day(&cal, D(2021, 2, 20), &why));
	assert_null(why);
	assert_false(kd_calendar_is_working_day(NULL, D(2021, 2, 20), &why));
	assert_string_equal(why, "Thứ Bảy");
	/* The month has as many working days as by the rules: one off, one on. */
	assert_int_equal(kd_calendar_working_days(&cal, D(2021, 2, 1), D(2021, 2, 28)),
			 kd_calendar_working_days(NULL, D(2021, 2, 1), D(2021, 2, 28)));
	assert_int_equal(kd_calendar_working_days(&cal, D(2021, 2, 1), D(2021, 2, 14)),
			 kd_calendar_working_days(NULL, D(2021, 2, 1), D(2021, 2, 14)) - 1);
	/* An exception overrides a holiday. */
	assert_true(kd_calendar_is_working_day(&cal, D(2021, 9, 3), &why));
	assert_false(kd_calendar_is_working_day(&cal, D(2021, 9, 1), &why));
	assert_string_equal(why, "Quốc khánh");
	assert_false(kd_calendar_is_working_day(&cal, D(2021, 11, 26), &why));
	assert_string_equal(why, "Nghỉ theo lịch năm");
	/* Deadlines follow: back from Monday 22/2, the make-up Saturday
	 * counts; back from Monday 29/11, the Friday off is skipped. */
	assert_date(kd_calendar_deadline(&cal, D(2021, 2, 22), 1), D(2021, 2, 20));
	assert_date(kd_calendar_deadline(&cal, D(2021, 11, 29), 1), D(2021, 11, 25));
	/* An empty calendar is the rules alone. */
	struct kd_calendar none = { NULL, 0 };
	assert_int_equal(kd_calendar_working_days(&none, D(2021, 11, 1), D(2021, 11, 30)), 22);
}

/* 300 years at once, counted two ways. */
static void test_whole_range(void **state)
{
	(void)state;
	long total = 0;
	for (int y = 1900; y <= 2199; y++) {
		long n = kd_calendar_working_days(NULL, D(y, 1, 1), D(y, 12, 31));
		assert_in_range(n, 240, 255);
		total += n;
	}
	assert_int_equal(kd_calendar_working_days(NULL, D(1900, 1, 1), D(2199, 12, 31)), total);
	assert_date(kd_calendar_add_working_days(NULL, kd_date_from_days(kd_date_to_days(D(1900, 1, 1)) - 1),
						 total), kd_calendar_add_working_days(NULL, D(2200, 1, 1), -1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tet_dates),
		cmocka_unit_test(test_leap_months),
		cmocka_unit_test(test_impossible_lunar_dates),
		cmocka_unit_test(test_every_day_round_trips),
		cmocka_unit_test(test_gio_to),
		cmocka_unit_test(test_holidays_of_2021),
		cmocka_unit_test(test_holidays_of_every_year),
		cmocka_unit_test(test_weekends_and_weekdays),
		cmocka_unit_test(test_compensatory_days),
		cmocka_unit_test(test_deadline_across_a_weekend),
		cmocka_unit_test(test_deadline_across_tet_2022),
		cmocka_unit_test(test_exceptions),
		cmocka_unit_test(test_whole_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
