/*
** date.h: calendar dates (proleptic Gregorian), without time or zone.
**
** A date is a plain struct compared with kd_date_cmp(). Functions here do no
** I/O and read no clock: "today" is always passed in by the caller.
*/
#ifndef KD_DATE_H
#define KD_DATE_H

#include "base/common.h"

struct kd_date {
	int y, m, d;
};

/* Parse exactly "YYYY-MM-DD" (len bytes) into a real calendar date.
 * Returns false for any other text or an impossible date (2021-02-29). */
bool kd_date_parse(const char *s, size_t len, struct kd_date *out);
bool kd_date_valid(struct kd_date d);
int kd_days_in_month(int y, int m);
/* <0, 0, >0 as a is before, equal to, after b. */
int kd_date_cmp(struct kd_date a, struct kd_date b);
/* `d` plus `months` calendar months, the day clamped to the month's end
 * (31 May + 6 months = 30 Nov). */
struct kd_date kd_date_add_months(struct kd_date d, int months);
/* Days since 1970-01-01 and back; weekday 0 = Monday .. 6 = Sunday. */
long kd_date_to_days(struct kd_date d);
struct kd_date kd_date_from_days(long days);
int kd_date_weekday(struct kd_date d);
/* "2021-11-27" and the Vietnamese "27/11/2021"; buf must hold 11 bytes. */
char *kd_date_iso(struct kd_date d, char buf[static 11]);
char *kd_date_vn(struct kd_date d, char buf[static 11]);

#endif
