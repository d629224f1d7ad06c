/*
** campaign.h: one year's review campaign of the cell and what is recorded
** for it before the meeting (plan 19-KH/CBMK, V.1, V.4, VI.2).
**
**  - the campaign: year, rule set, evaluation date (as_of), plan number;
**  - its timeline of milestones (plan VI.2);
**  - each member's personal review, Mẫu 02: a level per criterion of the
**    rule set's member criteria, a self-rating and the form's sections. A
**    draft is edited freely; once submitted it is locked until the
**    committee reopens it, with a reason;
**  - the residence committee's comment on each member (QĐ 213-QĐ/TW);
**  - the rule set's declared facts of members, leaders and the collective
**    (table fact: one JSON literal per key, "group.key" for grouped fields),
**    and the mass organizations' ratings for the year;
**  - the leaders and managers reviewed in the campaign (table leader);
**  - the collective report, Mẫu 01: versions of its text, the committee's
**    level per collective criterion, comments received and the answers,
**    and which version goes to the meeting.
**
** Writers take an open struct kd_tx (tx.h) and report problems to its err:
** the caller begins the transaction, calls one or more of them and commits,
** so a command is one transaction and one audit entry, and a writer that
** fails has changed nothing the caller commits (the caller aborts). Writers
** validate everything they are given before writing and report every
** problem, one line each, not only the first.
**
** Readers fill structs allocated in a caller's arena; strings are the
** arena's too. NULL text means the column is null.
*/
#ifndef KD_CAMPAIGN_H
#define KD_CAMPAIGN_H

#include "base/arena.h"
#include "core/calendar.h"
#include "core/ruleset.h"
#include "store/tx.h"

/* The longest text kept for a review section or a report version (1 MiB):
 * the forms are a few pages, and a bound keeps a stray binary file out. */
#define KD_TEXT_MAX (1u << 20)

/* ---------------------------------------------------------------- campaign */

struct kd_campaign {
	long long id;
	long long cell_id;
	int year;
	const char *ruleset_id;
	const struct kd_ruleset *rs;    /* the built-in rule set ruleset_id */
	struct kd_date as_of;           /* ngày đánh giá: the cell's meeting */
	const char *title;
	const char *doc_number;         /* "19-KH/CBMK", or NULL */
	const char *place;              /* "TP. Hồ Chí Minh", or NULL */
};

/* What campaign create / set give; NULL or unset members are left as they
 * are (set) or take their default (create: ruleset KD_DEFAULT_RULESET). */
struct kd_campaign_spec {
	int year;
	const char *ruleset;
	bool has_as_of;
	struct kd_date as_of;
	const char *title, *doc_number, *place;
};

/* Create the cell's campaign of spec->year. KD_ECONFLICT when there is one. */
KD_WUR int kd_campaign_create(struct kd_tx *tx, const struct kd_campaign_spec *spec, long long *id);
/* Change the title, number, place or evaluation date of campaign `id`. */
KD_WUR int kd_campaign_update(struct kd_tx *tx, long long id, const struct kd_campaign_spec *spec);
/* The campaign of `year` (0: the latest) with its rule set loaded. */
KD_WUR int kd_campaign_get(struct kd_db *db, long long year, struct kd_arena *arena,
			   struct kd_campaign *out, struct kd_err *err);
/* Every campaign of the cell, newest first (rule sets not loaded). */
KD_WUR int kd_campaign_list(struct kd_db *db, struct kd_arena *arena, struct kd_campaign **out,
			    size_t *n, struct kd_err *err);

/* Counts for `campaign show`. */
struct kd_campaign_counts {
	long long people;               /* active people of the cell */
	long long reviews_draft, reviews_submitted;
	long long residence_received;
	long long leaders;
	long long facts;
	long long massorg_ratings;
	long long report_versions;
	int report_final;               /* the final version, 0 when none */
	long long collective_levels, collective_criteria;
	long long comments, comments_answered;
	long long milestones;
};
KD_WUR int kd_campaign_counts(struct kd_db *db, const struct kd_campaign *c,
			      struct kd_campaign_counts *out, struct kd_err *err);

/* The working-day calendar of the campaign: the rules of calendar.h with
 * the exceptions stored in calendar_exception. */
KD_WUR int kd_campaign_calendar(struct kd_db *db, struct kd_arena *arena, struct kd_calendar *out,
				struct kd_err *err);
/* The meeting that reviews `person_id` (0: the cell's meeting): the
 * earliest meeting of the campaign of the person's party group or of the
 * cell, or, when none is scheduled yet, the campaign's evaluation date. */
KD_WUR int kd_campaign_meeting_date(struct kd_db *db, const struct kd_campaign *c, long long person_id,
				    struct kd_date *out, struct kd_err *err);

/* Documents are due "trước ít nhất 03 ngày làm việc" before the meeting. */
#define KD_SUBMIT_WORKING_DAYS 3

/* -------------------------------------------------------------- milestones */

struct kd_milestone {
	long long id;
	const char *code;
	const char *title;
	bool has_from;
	struct kd_date from, to;
};

enum kd_milestone_state { KD_MS_UPCOMING, KD_MS_CURRENT, KD_MS_PAST };

/* Add milestone m (code not yet used in the campaign; from <= to). */
KD_WUR int kd_milestone_add(struct kd_tx *tx, const struct kd_campaign *c, const struct kd_milestone *m);
/* Change milestone m->code: a non-NULL title, has_from's from, and to
 * when `set_to`. */
KD_WUR int kd_milestone_update(struct kd_tx *tx, const struct kd_campaign *c, const struct kd_milestone *m,
			       bool set_to);
KD_WUR int kd_milestone_remove(struct kd_tx *tx, const struct kd_campaign *c, const char *code);
/* The campaign's milestones in date order. */
KD_WUR int kd_milestone_list(struct kd_db *db, const struct kd_campaign *c, struct kd_arena *arena,
			     struct kd_milestone **out, size_t *n, struct kd_err *err);
/* Where `today` is relative to m; *days (may be NULL) gets the days until
 * it starts (upcoming), until it ends (current) or since it ended (past). */
enum kd_milestone_state kd_milestone_state(const struct kd_milestone *m, struct kd_date today, long *days);

/* ----------------------------------------------------------------- reviews */

/* A KEY=VALUE given by a user: a criterion and a level, a section and its
 * text, a fact and its value, a mass organization and its rating. */
struct kd_pair {
	const char *key;
	const char *value;
};

/* The sections of Mẫu 02 a review holds, in the form's order. */
struct kd_review_section {
	const char *name;               /* "uu_diem" */
	const char *title;              /* "I. Ưu điểm, kết quả đạt được" */
	bool leaders_only;              /* only for a leader of the campaign */
};
enum { KD_REVIEW_SECTIONS = 8 };
extern const struct kd_review_section kd_review_sections[KD_REVIEW_SECTIONS];

struct kd_review_edit {
	const struct kd_pair *levels;   /* criterion id = level code */
	size_t n_levels;
	int self_rating;                /* a rating, or KD_NONE: unchanged */
	const struct kd_pair *sections; /* section name = text ("" removes it) */
	size_t n_sections;
};

/* Create or change the draft review of `person` (a code). Criteria are the
 * rule set's member criteria; a submitted review is KD_ECONFLICT. */
KD_WUR int kd_review_set(struct kd_tx *tx, const struct kd_campaign *c, const char *person,
			 const struct kd_review_edit *e);
/* Submit the review on `on`: it needs a level for every criterion and a
 * self-rating; afterwards it is locked. */
KD_WUR int kd_review_submit(struct kd_tx *tx, const struct kd_campaign *c, const char *person,
			    struct kd_date on);
/* Reopen a submitted review as a draft. `by` (a code) must be on the cell's
 * committee (KD_EFORBIDDEN otherwise); the reason is kept on the review. */
KD_WUR int kd_review_reopen(struct kd_tx *tx, const struct kd_campaign *c, const char *person,
			    const char *by, const char *reason);

struct kd_review {
	long long person_id;
	const char *code, *full_name;
	bool exists;                    /* false: no review recorded yet */
	bool submitted;
	struct kd_date submitted_on;    /* when submitted */
	int self_rating;                /* or KD_NONE */
	const char *reopen_reason;
	bool leader;                    /* a leader of the campaign */
	signed char *levels;            /* [rs member n_criteria]: level or KD_NONE */
	int n_levels;                   /* how many are set */
	const char *sections[KD_REVIEW_SECTIONS];
};

/* The review of `person` (exists is false when there is none). */
KD_WUR int kd_review_get(struct kd_db *db, const struct kd_campaign *c, const char *person,
			 struct kd_arena *arena, struct kd_review *out, struct kd_err *err);
/* Every active person of the cell, and anyone else with a review, in
 * Vietnamese name order, with their reviews (sections not loaded). */
KD_WUR int kd_review_list(struct kd_db *db, const struct kd_campaign *c, struct kd_arena *arena,
			  struct kd_review **out, size_t *n, struct kd_err *err);

/* --------------------------------------------------------------- residence */

struct kd_residence_edit {
	bool received;                  /* mark the comment received ... */
	struct kd_date on;              /* ... on this day */
	const char *summary;            /* NULL: unchanged; "": removed */
};

KD_WUR int kd_residence_set(struct kd_tx *tx, const struct kd_campaign *c, const char *person,
			    const struct kd_residence_edit *e);

struct kd_residence {
	const char *code, *full_name;
	bool received;
	bool has_on;
	struct kd_date on;
	const char *summary;
};
/* The active people of the cell with their residence comments. */
KD_WUR int kd_residence_list(struct kd_db *db, const struct kd_campaign *c, struct kd_arena *arena,
			     struct kd_residence **out, size_t *n, struct kd_err *err);

/* ------------------------------------------------------------------- facts */

/* Turn the text a user typed for fact `key` of a subject into the JSON
 * literal stored in table fact, appended to `json`. Booleans are
 * true/false/co/khong (có/không), lists comma-separated, grouped fields
 * "group.key"; "null" for a field that may be null. The collective also has
 * leadership_rating (the committee's own rating, read by the engine). */
KD_WUR int kd_fact_parse(const struct kd_subject_rules *sr, enum kd_subject s, const char *key,
			 const char *text, struct strbuf *json, struct kd_err *err);
/* The field a stored key names (NULL when the rule set has none). */
const struct kd_field *kd_fact_field(const struct kd_subject_rules *sr, enum kd_subject s, const char *key);
/* A stored value as Vietnamese text ("có", "HTTNV", "27/11/2021"). */
void kd_fact_display(const struct kd_field *f, const char *json, struct strbuf *out);

/* Set facts of a subject: a member or leader (person, a code) or the
 * collective (person NULL). All or nothing. */
KD_WUR int kd_fact_set(struct kd_tx *tx, const struct kd_campaign *c, enum kd_subject s, const char *person,
		       const struct kd_pair *kv, size_t n);
/* Remove facts (the rule set's defaults apply again). */
KD_WUR int kd_fact_unset(struct kd_tx *tx, const struct kd_campaign *c, enum kd_subject s, const char *person,
			 const char *const *keys, size_t n);
/* Rate mass organizations (name = rating code) for the campaign's year. */
KD_WUR int kd_fact_massorg_set(struct kd_tx *tx, const struct kd_campaign *c, const struct kd_pair *kv, size_t n);

struct kd_fact {
	enum kd_subject subject;
	const char *code, *full_name;   /* NULL for the collective */
	const char *key;
	const char *value;              /* the JSON literal */
};
/* The campaign's facts (of one subject and person when `subject` >= 0 and
 * `person` is given or the subject is the collective; all when -1). */
KD_WUR int kd_fact_list(struct kd_db *db, const struct kd_campaign *c, int subject, const char *person,
			struct kd_arena *arena, struct kd_fact **out, size_t *n, struct kd_err *err);

struct kd_massorg_rating {
	const char *name;
	int rating;                     /* KD_NONE when not rated this year */
};
KD_WUR int kd_massorg_rating_list(struct kd_db *db, const struct kd_campaign *c, struct kd_arena *arena,
				  struct kd_massorg_rating **out, size_t *n, struct kd_err *err);

/* ----------------------------------------------------------------- leaders */

/* Make `person` a leader of the campaign (or change one): title NULL leaves
 * it; heads 1 makes them the head of the collective (and no one else),
 * 0 not, -1 unchanged. */
KD_WUR int kd_leader_set(struct kd_tx *tx, const struct kd_campaign *c, const char *person,
			 const char *title, int heads);
/* Remove a leader and their leader facts. */
KD_WUR int kd_leader_remove(struct kd_tx *tx, const struct kd_campaign *c, const char *person);

struct kd_leader_row {
	const char *code, *full_name, *title;
	bool heads;
	long long facts;                /* leader facts recorded */
};
KD_WUR int kd_leader_list(struct kd_db *db, const struct kd_campaign *c, struct kd_arena *arena,
			  struct kd_leader_row **out, size_t *n, struct kd_err *err);

/* ------------------------------------------------------ collective report */

/* A new version of the report's text; *version gets its number. */
KD_WUR int kd_collective_report_draft(struct kd_tx *tx, const struct kd_campaign *c, const char *body,
				      int *version);
/* The committee's level per collective criterion (criterion = level). */
KD_WUR int kd_collective_levels_set(struct kd_tx *tx, const struct kd_campaign *c, const struct kd_pair *kv,
				    size_t n);

enum kd_comment_source { KD_SRC_UPPER, KD_SRC_MASS_ORG, KD_SRC_MEMBER, KD_SRC_OTHER, KD_SRC_COUNT };
/* "upper", "mass_org", ... and their Vietnamese names. */
const char *kd_comment_source_code(int s);
const char *kd_comment_source_name(int s);
int kd_comment_source_parse(const char *s);    /* KD_NONE when unknown */

KD_WUR int kd_collective_comment_add(struct kd_tx *tx, const struct kd_campaign *c, int source,
				     const char *author, const char *body, const struct kd_date *on,
				     long long *id);
KD_WUR int kd_collective_comment_answer(struct kd_tx *tx, const struct kd_campaign *c, long long id,
					const char *answer, const struct kd_date *on);
/* Mark the latest version as the one that goes to the meeting (sent to the
 * participants on *sent_on when given). It needs a level for every
 * collective criterion and an answer to every comment. */
KD_WUR int kd_collective_report_final(struct kd_tx *tx, const struct kd_campaign *c,
				      const struct kd_date *sent_on, int *version);

struct kd_report_version {
	int version;
	bool final;
	const char *body;
	bool has_sent_on;
	struct kd_date sent_on;
};
struct kd_report_comment {
	long long id;
	int source;
	const char *author, *body, *answer;
	bool has_on, has_answered_on;
	struct kd_date on, answered_on;
};
struct kd_report {
	struct kd_report_version *versions;     /* oldest first */
	size_t n_versions;
	signed char *levels;                    /* [rs collective n_criteria] */
	struct kd_report_comment *comments;     /* in the order received */
	size_t n_comments;
};
KD_WUR int kd_collective_report_get(struct kd_db *db, const struct kd_campaign *c, struct kd_arena *arena,
				    struct kd_report *out, struct kd_err *err);

#endif
