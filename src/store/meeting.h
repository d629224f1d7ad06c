/*
** meeting.h: the meetings of a campaign (plan V.2, VI.1) with their
** attendance, agenda and minutes; the ballots counted at them (V.4 Bước 2);
** and the cell's decisions, published (Bước 3) or annulled and redone
** (V.5.3).
**
** Reads take a kd_db. Writes take a kd_tx the caller has begun: they touch
** every row before changing it (kd_tx_touch_new after an insert) and never
** commit or abort, so a command stays one transaction and one audit entry.
** Every string handed back lives in the caller's arena and is NULL where
** the column is null. Problems go to `err`, one line each, in the project's
** "WHERE: what was found; expected what" form.
**
** A subject of the review is a person, or the collective (tập thể chi bộ),
** which only the cell's own meeting reviews and votes on. In these
** interfaces person_id 0 stands for the collective.
*/
#ifndef KD_MEETING_H
#define KD_MEETING_H

#include "base/arena.h"
#include "core/date.h"
#include "core/grade.h"
#include "store/tx.h"

/* What a user typed for a subject ("dv07" or "collective"), resolved. */
struct kd_subject_ref {
	long long person_id;        /* 0: the collective */
	const char *code;           /* as typed, for messages */
};

/* Resolve "collective" or a person code. */
KD_WUR int kd_subject_ref_lookup(struct kd_db *db, const char *arg, struct kd_subject_ref *out, struct kd_err *err);

/* ------------------------------------------------------------ meetings */

struct kd_meeting {
	long long id, campaign_id, org_id;
	long long year;             /* the campaign's */
	struct kd_date as_of;       /* the campaign's reference date (M-NR1) */
	bool is_cell;               /* the cell's meeting, not a party group's */
	const char *org_code, *org_name;
	struct kd_date scheduled_on;
	bool held;
	struct kd_date held_on;     /* when held */
	bool full_day;
	const char *place, *minutes;
	long long chair_id;         /* 0: not named (then V.2.3 decides) */
	const char *chair_code, *chair_name;
};

/* The date that decides who is an official member at the meeting: the
 * day it was held, else the day it is scheduled. */
struct kd_date kd_meeting_date(const struct kd_meeting *m);

KD_WUR int kd_meeting_get(struct kd_db *db, long long id, struct kd_arena *a, struct kd_meeting *out,
			  struct kd_err *err);
/* "12" as a meeting id; KD_EUSAGE naming `cmd` otherwise. */
KD_WUR int kd_meeting_id_parse(const char *cmd, const char *s, long long *id, struct kd_err *err);

/* The meetings of every campaign (year 0) or of one year, by date. */
KD_WUR int kd_meeting_list(struct kd_db *db, long long year, struct kd_arena *a, struct kd_meeting **out,
			   size_t *n, struct kd_err *err);

/* A new meeting of `org_id` (the cell or a party group) in the campaign.
 * The date must fall in the campaign's year or the next; a chair must be
 * able to attend (see kd_meeting_attend). */
KD_WUR int kd_meeting_add(struct kd_tx *tx, long long campaign_id, long long org_id, struct kd_date on,
			  bool full_day, const char *place, const struct kd_subject_ref *chair, long long *id);

/* Record that it was held on `on`: in the campaign's year or the next, and
 * not after `today` (a meeting may be held on another day than planned). */
KD_WUR int kd_meeting_held(struct kd_tx *tx, const struct kd_meeting *m, struct kd_date on, struct kd_date today);
/* Set (replace) the minutes (biên bản): non-empty NFC text. */
KD_WUR int kd_meeting_minutes(struct kd_tx *tx, const struct kd_meeting *m, const char *text);

/* ------------------------------------------------------------ people */

/* A person convened to, or recorded at, a meeting. */
struct kd_meeting_person {
	long long id;
	const char *code, *full_name, *committee_role;
	bool group_leader;
	int agenda_rank;            /* 0 first .. 4 ordinary member (plan V.2.3) */
	int chair_rank;             /* 0 bí thư .. 4: who chairs (V.2.3) */
	bool member;                /* convened: an active member of the meeting's org */
	bool official;              /* official_on set and not after the meeting date */
	int attendance;             /* -1 not recorded, 0 absent, 1 present */
	const char *reason;         /* of an absence */
};

/* Everyone convened to the meeting, and anyone else recorded attending it
 * (a supervising committee member at a group's meeting), in the plan's
 * order: for the cell the head (bí thư), deputies, committee members, then
 * the others; for a group its leader, then the others; each rank in
 * Vietnamese name order (given, middle, family name). */
KD_WUR int kd_meeting_people(struct kd_db *db, const struct kd_meeting *m, struct kd_arena *a,
			     struct kd_meeting_person **out, size_t *n, struct kd_err *err);

/* The person's title at the meeting: "Bí thư", "Phó Bí thư", "Chi ủy
 * viên" (roster.h kd_roster_role_title), "Tổ trưởng" at a group's
 * meeting, or NULL. A static string. */
const char *kd_meeting_role_title(const struct kd_meeting_person *p, bool is_cell);

/* The chair by V.2.3: the one named, else the highest-ranking person
 * present; `except` (0: none) is passed over, which names who chairs while
 * the chair is reviewed ("người có chức vụ liền kề"). NULL when attendance
 * is not recorded and no chair is named. */
const struct kd_meeting_person *kd_meeting_chair(const struct kd_meeting *m, const struct kd_meeting_person *p,
						 size_t n, long long except);

/* Record `person` present, or absent with a reason. Members of the
 * meeting's org may attend; at a group's meeting also the committee
 * members (who supervise the groups, VI.1). Recording again replaces. */
KD_WUR int kd_meeting_attend(struct kd_tx *tx, const struct kd_meeting *m, const struct kd_subject_ref *person,
			     bool present, const char *reason);

/* ------------------------------------------------------------ agenda */

struct kd_agenda_item {
	long long id;
	int position;               /* 1-based */
	long long person_id;        /* 0: the collective */
	const char *code, *full_name;
	const char *comments, *conclusion;
};

KD_WUR int kd_agenda_list(struct kd_db *db, long long meeting_id, struct kd_arena *a,
			  struct kd_agenda_item **out, size_t *n, struct kd_err *err);
/* (Re)build the agenda in the plan's order (V.2.3): the collective first
 * at the cell's meeting, then the convened members as kd_meeting_people
 * orders them. Items already there keep their comments; items added by
 * hand for no longer convened subjects stay, after the others. */
KD_WUR int kd_agenda_build(struct kd_tx *tx, const struct kd_meeting *m, size_t *n);
/* Put `subject` at `position` (1-based), adding it when it is not on the
 * agenda yet; the others shift. */
KD_WUR int kd_agenda_move(struct kd_tx *tx, const struct kd_meeting *m, const struct kd_subject_ref *subject,
			  long long position);
/* Set the members' comments and/or the chair's conclusion (NULL: leave as
 * is) on the subject's agenda item. */
KD_WUR int kd_agenda_comment(struct kd_tx *tx, const struct kd_meeting *m, const struct kd_subject_ref *subject,
			     const char *comments, const char *conclusion);

/* ------------------------------------------------------------ tallies */

struct kd_tally {
	long long id;
	long long person_id;        /* 0: the collective */
	const char *code, *full_name;
	long long round;            /* 1, 2 ... (biểu quyết lại) */
	bool electronic;
	long long voters;           /* official members convened (RULES.md V-1) */
	bool paper_counts;          /* issued, invalid and unused are known */
	long long issued, invalid, unused;
	long long votes[KD_RATING_COUNT];   /* valid ballots, by enum kd_rating */
};

/* RULES.md V-1 on one tally: the highest rating whose ballots, with those
 * of every rating above it, are more than half of the voters; KD_NONE when
 * none is (biểu quyết lại). */
int kd_tally_voted(const struct kd_tally *t);

/* Check a tally typed by the counting committee against the meeting and
 * the roster, every problem reported: voters from 1 to the official
 * members convened; valid ballots not more than the voters; issued =
 * valid + invalid + unused when given, and ballots cast not more than the
 * official members not recorded absent; the subject on the agenda; the
 * round following one already recorded. KD_EINPUT when any fails. */
KD_WUR int kd_tally_check(struct kd_db *db, const struct kd_meeting *m, const struct kd_subject_ref *subject,
			  const struct kd_tally *t, struct kd_err *err);
/* Check, then insert the tally or replace the one of the same round;
 * *replaced says which. */
KD_WUR int kd_tally_record(struct kd_tx *tx, const struct kd_meeting *m, const struct kd_subject_ref *subject,
			   const struct kd_tally *t, bool *replaced);
/* A meeting's tallies, in agenda order, then by round. */
KD_WUR int kd_tally_list(struct kd_db *db, long long meeting_id, struct kd_arena *a, struct kd_tally **out,
			 size_t *n, struct kd_err *err);

/* ------------------------------------------------------------ decisions */

struct kd_decision {
	long long id;
	long long person_id;        /* 0: the collective */
	const char *code, *full_name;
	int rating;                 /* enum kd_rating */
	struct kd_date decided_on;
	bool published, annulled;
	struct kd_date published_on, annulled_on;
	const char *annul_reason;
	long long replaces_id;      /* 0: none */
};

/* Every decision of the campaign, current and annulled: the collective
 * first, then people in the plan's order, each person's in the order made. */
KD_WUR int kd_decision_list(struct kd_db *db, long long campaign_id, struct kd_arena *a,
			    struct kd_decision **out, size_t *n, struct kd_err *err);
/* The subject's current (not annulled) decision; KD_ENOTFOUND, with no
 * message, when there is none. */
KD_WUR int kd_decision_current(struct kd_db *db, long long campaign_id, const struct kd_subject_ref *subject,
			       struct kd_arena *a, struct kd_decision *out, struct kd_err *err);
/* Record the cell's decision (V.4 Bước 2). The subject must have been
 * voted on at a cell meeting of the campaign, and `rating` not above what
 * its latest round voted (V-2 and Q-1 only ever lower it); a member must be
 * rated (M-NR1); a subject with a current decision is changed by annulment
 * only. */
KD_WUR int kd_decision_add(struct kd_tx *tx, long long campaign_id, const struct kd_subject_ref *subject,
			   int rating, struct kd_date on, long long *id);
/* Publish every unpublished current decision (V.4 Bước 3). Refused while
 * the members rated HTXSNV are more than Q-1 allows or a decision is dated
 * after `on`. *count gets how many were published. */
KD_WUR int kd_decision_publish(struct kd_tx *tx, long long campaign_id, struct kd_date on, size_t *count);
/* Annul the current decision with its reason and record the new rating,
 * linked to it by replaces_id (V.5.3). */
KD_WUR int kd_decision_annul(struct kd_tx *tx, long long campaign_id, const struct kd_subject_ref *subject,
			     const char *reason, int rating, struct kd_date on, long long *new_id);

/* Q-1 over the current member decisions: how many are HTXSNV, how many
 * are HTTNV or above, and the cap ⌊n × 20 / 100⌋. */
KD_WUR int kd_decision_quota(struct kd_db *db, long long campaign_id, long long *top, long long *base,
			     long long *cap, struct kd_err *err);

#endif
