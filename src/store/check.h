/*
** check.h: what blocks the next step of a campaign, and its progress.
**
** kd_check_campaign() lists every finding, each with the clause of the plan
** (or of RULES.md) it comes from, the person or thing it is about and what
** would fix it; `kiemdiem check` prints them and the web dashboard links
** them. Working-day deadlines use the calendar with the database's
** exceptions.
*/
#ifndef KD_CHECK_H
#define KD_CHECK_H

#include "base/arena.h"
#include "core/calendar.h"
#include "store/db.h"

struct kd_finding {
	const char *clause;     /* "KH V.4 Bước 1", "RULES Q-1" */
	const char *subject;    /* a person's code, a group's code, "collective", "meeting 3" */
	const char *message;    /* Vietnamese */
	const char *fix;        /* the command that would fix it, or NULL */
};

struct kd_findings {
	struct kd_finding *items;
	size_t n, cap;
};

/* Load the database's calendar exceptions into `cal` (memory in arena). */
KD_WUR int kd_calendar_load(struct kd_db *db, struct kd_arena *arena, struct kd_calendar *cal,
			    struct kd_err *err);

/* Every finding of campaign `campaign`, appended to `out` (memory in arena). */
KD_WUR int kd_check_campaign(struct kd_db *db, long long campaign, struct kd_arena *arena,
			     struct kd_findings *out, struct kd_err *err);

#endif
