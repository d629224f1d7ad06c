#include "core/calendar.h"

#include <math.h>

/*
** The lunar calendar: Hồ Ngọc Đức's astronomical method ("Âm lịch Việt
** Nam", the algorithm behind most Vietnamese calendar software). A lunar
** month starts on the local day of a new moon; month 11 is the one holding
** the winter solstice; a year with 13 months between two months 11 makes
** leap the first month that holds no major solar term (trung khí). New moons
** and the sun's longitude come from the series of Jean Meeus, "Astronomical
** Algorithms", truncated as in the original. Days are Julian day numbers.
**
** Vietnam keeps the calendar at UTC+7, which is why its Tết sometimes
** differs from China's (UTC+8): 21/1/1985 against 20/2/1985. The same zone
** is used for every year, although the North only adopted it in 1967.
*/
#define KD_PI 3.14159265358979323846
#define TZ_HOURS 7.0
#define JD_1970 2440588L               /* Julian day number of 1970-01-01 */
#define SYNODIC 29.530588853            /* mean days from new moon to new moon */
#define NEW_MOON_0 2415021.076998695    /* new moon k = 0: 1900-01-01 13:52 UT */

static long jd_of(struct kd_date d) { return kd_date_to_days(d) + JD_1970; }
static struct kd_date date_of(long jd) { return kd_date_from_days(jd - JD_1970); }

/* The instant (Julian date, UT) of the k-th new moon after NEW_MOON_0. */
static double new_moon(long k)
{
	double t = (double)k / 1236.85, t2 = t * t, t3 = t2 * t, dr = KD_PI / 180;
	double jd1 = 2415020.75933 + 29.53058868 * (double)k + 0.0001178 * t2 - 0.000000155 * t3;
	jd1 += 0.00033 * sin((166.56 + 132.87 * t - 0.009173 * t2) * dr);
	double m = 359.2242 + 29.10535608 * (double)k - 0.0000333 * t2 - 0.00000347 * t3;
	double mpr = 306.0253 + 385.81691806 * (double)k + 0.0107306 * t2 + 0.00001236 * t3;
	double f = 21.2964 + 390.67050646 * (double)k - 0.0016528 * t2 - 0.00000239 * t3;
	double c1 = (0.1734 - 0.000393 * t) * sin(m * dr) + 0.0021 * sin(2 * dr * m);
	c1 = c1 - 0.4068 * sin(mpr * dr) + 0.0161 * sin(dr * 2 * mpr);
	c1 = c1 - 0.0004 * sin(dr * 3 * mpr);
	c1 = c1 + 0.0104 * sin(dr * 2 * f) - 0.0051 * sin(dr * (m + mpr));
	c1 = c1 - 0.0074 * sin(dr * (m - mpr)) + 0.0004 * sin(dr * (2 * f + m));
	c1 = c1 - 0.0004 * sin(dr * (2 * f - m)) - 0.0006 * sin(dr * (2 * f + mpr));
	c1 = c1 + 0.0010 * sin(dr * (2 * f - mpr)) + 0.0005 * sin(dr * (2 * mpr + m));
	/* ΔT, the difference between dynamical and universal time. */
	double delta_t = t < -11
		? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
		: -0.000278 + 0.000265 * t + 0.000262 * t2;
	return jd1 + c1 - delta_t;
}

/* The local day (Julian day number, UTC+7) of the k-th new moon. */
static long new_moon_day(long k)
{
	return (long)floor(new_moon(k) + 0.5 + TZ_HOURS / 24);
}

/* The sun's apparent longitude, in radians 0..2π, at Julian date jd. */
static double sun_longitude(double jd)
{
	double t = (jd - 2451545.0) / 36525, t2 = t * t, dr = KD_PI / 180;
	double m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
	double l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
	double dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * sin(dr * m);
	dl += (0.019993 - 0.000101 * t) * sin(dr * 2 * m) + 0.000290 * sin(dr * 3 * m);
	double l = (l0 + dl) * dr;
	return l - KD_PI * 2 * floor(l / (KD_PI * 2));
}

/* Which of the 12 major solar terms' 30° sectors (0 from the spring
 * equinox) the sun is in at the start of local day `day`. */
static int sun_sector(long day)
{
	return (int)floor(sun_longitude((double)day - 0.5 - TZ_HOURS / 24) / KD_PI * 6);
}

/* The first day of lunar month 11 (the one holding the winter solstice,
 * sector 9) that starts in solar year y. */
static long month11(int y)
{
	long off = jd_of((struct kd_date){ y, 12, 31 }) - 2415021;
	long k = (long)floor((double)off / SYNODIC);
	long nm = new_moon_day(k);
	if (sun_sector(nm) >= 9)
		nm = new_moon_day(k - 1);
	return nm;
}

/* In a 13-month year starting with month 11 on day a11: how many months
 * after month 11 the leap month comes (the first month without a major
 * term, i.e. whose start lies in the same sector as the next month's). */
static int leap_month_offset(long a11)
{
	long k = (long)floor(((double)a11 - NEW_MOON_0) / SYNODIC + 0.5);
	int i = 1, last, arc = sun_sector(new_moon_day(k + 1));
	do {
		last = arc;
		i++;
		arc = sun_sector(new_moon_day(k + i));
	} while (arc != last && i < 14);
	return i - 1;
}

struct kd_lunar kd_lunar_from_solar(struct kd_date d)
{
	long day = jd_of(d);
	/* The mean month puts k within one of the true new moon on or before
	 * `day`. Hồ Ngọc Đức's code tries k + 1, then k, which misses when
	 * the true new moon runs late (7/5/2054 came out as day 0). */
	long k = (long)floor(((double)day - NEW_MOON_0) / SYNODIC);
	while (new_moon_day(k + 1) <= day)
		k++;
	while (new_moon_day(k) > day)
		k--;
	long start = new_moon_day(k);
	struct kd_lunar l = { 0, 0, 0, false };
	long a11 = month11(d.y), b11 = a11;
	if (a11 >= start) {
		l.y = d.y;
		a11 = month11(d.y - 1);
	} else {
		l.y = d.y + 1;
		b11 = month11(d.y + 1);
	}
	l.d = (int)(day - start + 1);
	int diff = (int)((start - a11) / 29);   /* whole months since month 11 */
	l.m = diff + 11;
	if (b11 - a11 > 365) {
		int leap_diff = leap_month_offset(a11);
		if (diff >= leap_diff) {
			l.m = diff + 10;
			l.leap = diff == leap_diff;
		}
	}
	if (l.m > 12)
		l.m -= 12;
	/* Months 11 and 12 belong to the year whose Tết is yet to come. */
	if (l.m >= 11 && diff < 4)
		l.y -= 1;
	return l;
}

bool kd_solar_from_lunar(struct kd_lunar l, struct kd_date *out)
{
	if (l.m < 1 || l.m > 12 || l.d < 1 || l.d > 30)
		return false;
	long a11, b11;
	if (l.m < 11) {
		a11 = month11(l.y - 1);
		b11 = month11(l.y);
	} else {
		a11 = month11(l.y);
		b11 = month11(l.y + 1);
	}
	int off = l.m - 11 < 0 ? l.m + 1 : l.m - 11;
	if (b11 - a11 > 365) {
		int leap_off = leap_month_offset(a11);
		int leap_month = leap_off - 2 < 0 ? leap_off + 10 : leap_off - 2;
		if (l.leap && l.m != leap_month)
			return false;
		if (l.leap || off >= leap_off)
			off++;
	} else if (l.leap) {
		return false;
	}
	long k = (long)floor(0.5 + ((double)a11 - NEW_MOON_0) / SYNODIC);
	long start = new_moon_day(k + off);
	if (l.d > new_moon_day(k + off + 1) - start)
		return false;
	*out = date_of(start + l.d - 1);
	return true;
}

/* ------------------------------------------------------- public holidays */

/* Bộ luật Lao động 2019, Điều 112 khoản 1, in date order. A lunar rule's
 * date is m/d of the lunar year whose Tết falls in the solar year, moved by
 * `shift` days: the last day of the old year is the day before mùng 1. */
static const struct holiday_rule {
	bool lunar;
	int m, d, shift;
	const char *name;
	const char *compensatory;
} rules[] = {
	{ false, 1, 1, 0, "Tết Dương lịch", "Nghỉ bù Tết Dương lịch" },
	{ true, 1, 1, -1, "Tết Âm lịch", "Nghỉ bù Tết Âm lịch" },
	{ true, 1, 1, 0, "Tết Âm lịch", "Nghỉ bù Tết Âm lịch" },
	{ true, 1, 2, 0, "Tết Âm lịch", "Nghỉ bù Tết Âm lịch" },
	{ true, 1, 3, 0, "Tết Âm lịch", "Nghỉ bù Tết Âm lịch" },
	{ true, 1, 4, 0, "Tết Âm lịch", "Nghỉ bù Tết Âm lịch" },
	{ true, 3, 10, 0, "Giỗ Tổ Hùng Vương", "Nghỉ bù Giỗ Tổ Hùng Vương" },
	{ false, 4, 30, 0, "Ngày Chiến thắng", "Nghỉ bù Ngày Chiến thắng" },
	{ false, 5, 1, 0, "Ngày Quốc tế lao động", "Nghỉ bù Ngày Quốc tế lao động" },
	{ false, 9, 2, 0, "Quốc khánh", "Nghỉ bù Quốc khánh" },
	{ false, 9, 3, 0, "Quốc khánh", "Nghỉ bù Quốc khánh" },   /* the adjacent day */
};

static bool is_weekend(struct kd_date d) { return kd_date_weekday(d) >= 5; }

static bool listed(const struct kd_holiday *h, size_t n, struct kd_date d)
{
	for (size_t i = 0; i < n; i++)
		if (!kd_date_cmp(h[i].date, d))
			return true;
	return false;
}

size_t kd_calendar_holidays(int year, struct kd_holiday out[static KD_CAL_HOLIDAYS_MAX])
{
	const struct holiday_rule *by[KD_ARRAY_LEN(rules)];   /* out[i]'s rule */
	size_t n = 0;
	int month = 0;          /* the lunar month whose first day is `first` */
	long first = 0;
	for (size_t i = 0; i < KD_ARRAY_LEN(rules); i++) {
		const struct holiday_rule *r = &rules[i];
		struct kd_holiday h = { { year, r->m, r->d }, r->name, r->lunar, { 0, 0, 0, false }, false };
		if (r->lunar) {
			/* One conversion per lunar month, not per day: the five
			 * days of Tết share theirs. */
			if (month != r->m) {
				struct kd_date d;
				if (!kd_solar_from_lunar((struct kd_lunar){ year, r->m, 1, false }, &d))
					KD_BUG("no lunar month %d in %d", r->m, year);
				month = r->m;
				first = kd_date_to_days(d);
			}
			h.date = kd_date_from_days(first + r->d - 1 + r->shift);
			h.lunar_date = r->shift ? kd_lunar_from_solar(h.date)
				: (struct kd_lunar){ year, r->m, r->d, false };
		}
		/* Two rules can meet (Giỗ Tổ was on 30/4 in 1947); the law
		 * gives no extra day for that, so the day is off once, under
		 * the first rule's name. */
		if (!listed(out, n, h.date)) {
			by[n] = r;
			out[n++] = h;
		}
	}
	/* Khoản 3: a holiday on a weekend gives a day off on the next working
	 * day. Placing them in date order gives the earlier holiday the earlier
	 * day. None can cross into the next year: the last holiday is 3/9. */
	size_t n_holidays = n;
	for (size_t i = 0; i < n_holidays; i++) {
		if (!is_weekend(out[i].date))
			continue;
		long day = kd_date_to_days(out[i].date);
		struct kd_date c;
		do
			c = kd_date_from_days(++day);
		while (is_weekend(c) || listed(out, n, c));
		out[n++] = (struct kd_holiday){ c, by[i]->compensatory, false, { 0, 0, 0, false }, true };
	}
	/* Insertion sort: the compensatory days go among the holidays. */
	for (size_t i = 1; i < n; i++) {
		struct kd_holiday h = out[i];
		size_t j = i;
		for (; j > 0 && kd_date_cmp(out[j - 1].date, h.date) > 0; j--)
			out[j] = out[j - 1];
		out[j] = h;
	}
	return n;
}

/* ----------------------------------------------------------- working days */

static const char *const weekday_names[7] = {
	"Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật" };

const char *kd_calendar_weekday_name(int weekday)
{
	return weekday >= 0 && weekday < 7 ? weekday_names[weekday] : NULL;
}

/* One year's holidays, computed once while walking a range of days, since
 * each year costs a few dozen new moons. */
struct year_cache {
	bool filled;
	int year;
	size_t n;
	struct kd_holiday h[KD_CAL_HOLIDAYS_MAX];
};

/* Why `d` is off by the rules alone, or NULL when it is a working day. */
static const char *rule_off(struct year_cache *c, struct kd_date d)
{
	if (!c->filled || c->year != d.y) {
		c->n = kd_calendar_holidays(d.y, c->h);
		c->year = d.y;
		c->filled = true;
	}
	for (size_t i = 0; i < c->n; i++)
		if (!kd_date_cmp(c->h[i].date, d))
			return c->h[i].name;
	int wd = kd_date_weekday(d);
	return wd >= 5 ? weekday_names[wd] : NULL;
}

static bool day_working(const struct kd_calendar *cal, struct year_cache *c,
			struct kd_date d, const char **why_not)
{
	const char *why = NULL;
	bool found = false, working = false;
	for (size_t i = 0; cal && i < cal->n_exceptions && !found; i++) {
		const struct kd_cal_exception *e = &cal->exceptions[i];
		if (!kd_date_cmp(e->date, d)) {
			found = true;
			working = e->working;
			why = working ? NULL : e->name ? e->name : "Nghỉ theo lịch năm";
		}
	}
	if (!found) {
		why = rule_off(c, d);
		working = !why;
	}
	if (why_not)
		*why_not = why;
	return working;
}

bool kd_calendar_is_working_day(const struct kd_calendar *cal, struct kd_date d,
				const char **why_not)
{
	struct year_cache c = { .filled = false };
	return day_working(cal, &c, d, why_not);
}

long kd_calendar_working_days(const struct kd_calendar *cal, struct kd_date from,
			      struct kd_date to)
{
	struct year_cache c = { .filled = false };
	long n = 0, last = kd_date_to_days(to);
	for (long day = kd_date_to_days(from); day <= last; day++)
		n += day_working(cal, &c, kd_date_from_days(day), NULL);
	return n;
}

struct kd_date kd_calendar_add_working_days(const struct kd_calendar *cal,
					    struct kd_date d, long n)
{
	struct year_cache c = { .filled = false };
	long day = kd_date_to_days(d), step = n < 0 ? -1 : 1;
	/* Every week has working days but for finitely many exceptions, so
	 * this ends. */
	for (long left = n < 0 ? -n : n; left > 0;) {
		day += step;
		left -= day_working(cal, &c, kd_date_from_days(day), NULL);
	}
	return kd_date_from_days(day);
}

struct kd_date kd_calendar_deadline(const struct kd_calendar *cal, struct kd_date meeting, int n)
{
	if (n < 1)
		KD_BUG("kd_calendar_deadline: n = %d; expected n >= 1", n);
	return kd_calendar_add_working_days(cal, meeting, -(long)n);
}
