/*
** calendar.h: the Vietnamese calendar of working days.
**
** Three layers, each usable alone:
**  - the lunar calendar (âm lịch) of Vietnam, computed for UTC+7 by Hồ Ngọc
**    Đức's astronomical method (kd_lunar_from_solar, kd_solar_from_lunar);
**  - the public holidays of Bộ luật Lao động 2019, Điều 112, with the
**    compensatory days off of its khoản 3 (kd_calendar_holidays);
**  - working days: Monday to Friday, less those holidays, then corrected by
**    the year's exceptions the caller passes in (the government's yearly
**    schedule: a Friday off, a Saturday worked), which is what the deadlines
**    of the plan ("trước ít nhất 03 ngày làm việc") are counted in.
**
** Everything here is pure: no I/O, no globals, no clock. Dates are proleptic
** Gregorian (core/date.h) and must be valid. The results are checked for the
** years 1900-2199; outside them the same formulas run with less accuracy.
** The rules of 2019 are applied to every year: the calendar does not model
** the law as it was before 2021.
*/
#ifndef KD_CALENDAR_H
#define KD_CALENDAR_H

#include "core/date.h"

/* ------------------------------------------------------------ lunar dates */

/* A lunar date: year y (the solar year in which its Tết falls), month m
 * 1..12, day d 1..30, and whether m is the leap month (tháng nhuận) that
 * follows the ordinary month m. */
struct kd_lunar {
	int y, m, d;
	bool leap;
};

/* The lunar date of a (valid) solar date. */
struct kd_lunar kd_lunar_from_solar(struct kd_date d);
/* The solar date of lunar date `l`. Returns false, leaving *out alone, when
 * there is no such day: a month outside 1..12, a leap flag on a month that
 * is not leap that year, or day 30 of a 29-day month. */
bool kd_solar_from_lunar(struct kd_lunar l, struct kd_date *out);

/* ------------------------------------------------------- public holidays */

/* Enough room for one year's holidays and compensatory days. */
#define KD_CAL_HOLIDAYS_MAX 24

struct kd_holiday {
	struct kd_date date;
	const char *name;           /* Vietnamese, static */
	bool lunar;                 /* fixed by the lunar calendar ... */
	struct kd_lunar lunar_date; /* ... on this lunar date (else zero) */
	bool compensatory;          /* a nghỉ bù by Điều 112 khoản 3 */
};

/*
** The days off by law in solar year `year`, in date order, before any
** exception; returns how many were written to `out`:
**  - Tết Dương lịch, 1/1;
**  - Tết Âm lịch, 5 days: the last day of the old lunar year (29 or 30
**    tháng Chạp) and mùng 1 to mùng 4 tháng Giêng. The law lets the Prime
**    Minister place the 5 days each year; this is the usual placement, and
**    any other is given as exceptions;
**  - Giỗ Tổ Hùng Vương, 10/3 âm lịch (the ordinary month 3 in a year where
**    month 3 is leap);
**  - Ngày Chiến thắng 30/4 and Ngày Quốc tế lao động 1/5;
**  - Quốc khánh, 2/9 and one adjacent day, here 3/9 (again the yearly
**    schedule may choose 1/9, given as exceptions);
**  - one compensatory day (nghỉ bù) for each of those that falls on a
**    Saturday or Sunday: the next Monday-to-Friday day after it that is
**    neither a holiday nor an earlier holiday's compensatory day. It is
**    placed by these rules alone, not moved by exceptions.
** A day that two rules give (Giỗ Tổ on 30/4, as in 1947) is listed once,
** under the first name.
*/
size_t kd_calendar_holidays(int year, struct kd_holiday out[static KD_CAL_HOLIDAYS_MAX]);

/* ----------------------------------------------------------- working days */

/* One date of the year's schedule that departs from the rules: a day off
 * that would be a working day (working = false, e.g. "Nghỉ bù Tết"), or a
 * make-up working day that would be off (working = true, "Làm bù"). */
struct kd_cal_exception {
	struct kd_date date;
	bool working;
	const char *name;       /* Vietnamese; NULL: a default name */
};

/* The caller owns `exceptions` (and the names) and keeps them alive while
 * the calendar is used. For a date listed more than once, the first wins.
 * A zeroed struct, or a NULL `cal` below, is the calendar of the rules
 * alone. */
struct kd_calendar {
	const struct kd_cal_exception *exceptions;
	size_t n_exceptions;
};

/* Whether `d` is a working day. An exception for `d` decides; otherwise
 * holidays, compensatory days and weekends are off. When `why_not` is not
 * NULL it receives why the day is off (a holiday's name, "Thứ Bảy",
 * "Chủ nhật", the exception's name; a holiday's name wins over the
 * weekday), or NULL for a working day. Strings are static or the caller's.
 * Each call works out the year's holidays (a few microseconds); to walk a
 * range, the two functions below do that once a year. */
bool kd_calendar_is_working_day(const struct kd_calendar *cal, struct kd_date d,
				const char **why_not);

/* The number of working days in [from, to], both included; 0 when
 * to < from. */
long kd_calendar_working_days(const struct kd_calendar *cal, struct kd_date from,
			      struct kd_date to);

/* The n-th working day after `d` (n > 0) or before it (n < 0), not counting
 * `d` itself; `d` when n is 0. */
struct kd_date kd_calendar_add_working_days(const struct kd_calendar *cal,
					    struct kd_date d, long n);

/*
** The deadline for something due "trước ít nhất n ngày làm việc" before a
** meeting (n >= 1): counting back from the meeting, the meeting day itself
** excluded, the n-th working day, i.e. kd_calendar_add_working_days(cal,
** meeting, -n). A document submitted on or before that date is submitted
** at least n working days before the meeting: the working days from the
** submission day to the day before the meeting, both included, are at
** least n. Meeting Monday 15/11/2021, n = 3: Wednesday 10/11/2021.
** n < 1 is a programmer error (KD_BUG).
*/
struct kd_date kd_calendar_deadline(const struct kd_calendar *cal, struct kd_date meeting, int n);

/* "Thứ Hai" .. "Chủ nhật" for kd_date_weekday() 0..6; NULL for any other. */
const char *kd_calendar_weekday_name(int weekday);

#endif
