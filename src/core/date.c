#include "core/date.h"

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int kd_days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && leap(y) ? 29 : days[m - 1];
}

bool kd_date_valid(struct kd_date d)
{
	return d.y >= 1 && d.y <= 9999 && d.m >= 1 && d.m <= 12 &&
	       d.d >= 1 && d.d <= kd_days_in_month(d.y, d.m);
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool kd_date_parse(const char *s, size_t len, struct kd_date *out)
{
	if (len != 10 || s[4] != '-' || s[7] != '-')
		return false;
	struct kd_date d = { digits(s, 4), digits(s + 5, 2), digits(s + 8, 2) };
	if (d.y < 0 || d.m < 0 || d.d < 0 || !kd_date_valid(d))
		return false;
	*out = d;
	return true;
}

int kd_date_cmp(struct kd_date a, struct kd_date b)
{
	if (a.y != b.y)
		return a.y < b.y ? -1 : 1;
	if (a.m != b.m)
		return a.m < b.m ? -1 : 1;
	return a.d < b.d ? -1 : a.d > b.d;
}

struct kd_date kd_date_add_months(struct kd_date d, int months)
{
	int idx = d.y * 12 + (d.m - 1) + months;
	struct kd_date r = { idx / 12, idx % 12 + 1, d.d };
	int last = kd_days_in_month(r.y, r.m);
	if (r.d > last)
		r.d = last;
	return r;
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
long kd_date_to_days(struct kd_date d)
{
	long y = d.y - (d.m <= 2);
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (d.m + (d.m > 2 ? -3 : 9)) + 2) / 5 + d.d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

struct kd_date kd_date_from_days(long z)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	struct kd_date r;
	r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	r.y = (int)(yoe + era * 400 + (r.m <= 2));
	return r;
}

int kd_date_weekday(struct kd_date d)
{
	long days = kd_date_to_days(d);          /* 1970-01-01 was a Thursday */
	long w = (days + 3) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

/* Write `n` decimal digits of v (v >= 0) at p. */
static void put_digits(char *p, int v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
}

char *kd_date_iso(struct kd_date d, char buf[static 11])
{
	put_digits(buf, d.y, 4);
	buf[4] = '-';
	put_digits(buf + 5, d.m, 2);
	buf[7] = '-';
	put_digits(buf + 8, d.d, 2);
	buf[10] = '\0';
	return buf;
}

char *kd_date_vn(struct kd_date d, char buf[static 11])
{
	put_digits(buf, d.d, 2);
	buf[2] = '/';
	put_digits(buf + 3, d.m, 2);
	buf[5] = '/';
	put_digits(buf + 6, d.y, 4);
	buf[10] = '\0';
	return buf;
}
