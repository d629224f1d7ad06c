/*
** ruleset.h: a rule set as data (RULES.md, "Rule sets as data").
**
** A rule set names its criteria and, for each subject (member, leader, the
** collective), the input fields the subject carries and the clauses that
** decide its rating. Every clause is an id, a role (not rated, KHTNV trigger,
** or part of a rating), one condition from the small vocabulary below, a
** Vietnamese statement and a Vietnamese message template. The engine
** (engine.h) evaluates; it knows nothing of any particular regulation.
**
** Rule sets are built by json/ruleset_load.c and are immutable afterwards:
** many threads may classify against one rule set at once.
*/
#ifndef KD_RULESET_H
#define KD_RULESET_H

#include "core/date.h"
#include "core/grade.h"

enum kd_subject { KD_MEMBER, KD_LEADER, KD_COLLECTIVE, KD_SUBJECT_COUNT };

/* Input field types. Numbers and counts are both held as double (counts are
 * integers below 2^53, so their arithmetic here is exact). */
enum kd_ftype {
	KD_F_BOOL,      /* true / false */
	KD_F_NUMBER,    /* any JSON number, within min/max */
	KD_F_COUNT,     /* a JSON integer >= 0, within min/max and max_field */
	KD_F_RATING,    /* a rating code */
	KD_F_CHOICE,    /* one of `options` (ordered, low to high) */
	KD_F_CHOICES,   /* a non-empty list of `options` */
	KD_F_DATE       /* YYYY-MM-DD */
};

struct kd_value {
	bool null;                  /* null or absent with a null default */
	union {
		bool b;
		double num;
		int code;               /* rating, or index into options */
		struct kd_date date;
		struct {
			unsigned char *items;
			int n;
		} list;
	} u;
};

struct kd_field {
	const char *key;            /* JSON key, inside `group` when that is set */
	const char *group;          /* enclosing object's key, or NULL */
	const char *label;          /* Vietnamese, for `rules show` */
	enum kd_ftype type;
	bool required;              /* no default: must be present */
	bool nullable;              /* null is accepted (the default is null) */
	struct kd_value def;
	bool has_min, has_max;
	double min, max;
	int max_field;              /* a count never above this field, or -1 */
	const char **options;       /* KD_F_CHOICE(S): codes, low to high */
	const char **option_labels; /* their Vietnamese labels */
	int n_options;
};

struct kd_criterion {
	const char *id;
	const char *text;           /* Vietnamese, as in the review form */
	bool primary;               /* "tiêu chí về kết quả thực hiện nhiệm vụ" */
};

enum kd_op { KD_LT, KD_LE, KD_GT, KD_GE, KD_EQ, KD_NE };

enum kd_cond_type {
	KD_COND_ALL,        /* every one of kids */
	KD_COND_ANY,        /* at least one of kids */
	KD_COND_NOT,        /* kids[0] does not hold */
	KD_COND_CRITERIA,   /* every criterion of `kind`: level op `code` */
	KD_COND_FLAG,       /* bool field is `code` (0 or 1) */
	KD_COND_NUMBER,     /* field op value */
	KD_COND_RATIO,      /* field * 100 op field2 * value (value: a percent) */
	KD_COND_RATING,     /* rating or choice field op `code`; null: if_null */
	KD_COND_COUNT,      /* how many of `of` are in in_mask, op value
	                       (a count, or a percent of all when pct) */
	KD_COND_MONTHS      /* date field + value months (day clamped) is after
	                       as_of, i.e. fewer than `value` months have passed;
	                       null: false */
};

enum kd_kind { KD_KIND_ALL, KD_KIND_PRIMARY, KD_KIND_OTHER };
enum kd_count_of { KD_OF_FIELD, KD_OF_MEMBERS, KD_OF_ORGS };

struct kd_cond {
	enum kd_cond_type type;
	enum kd_op op;
	int field, field2;
	double value;
	int code;
	enum kd_kind kind;
	enum kd_count_of of;        /* KD_COND_COUNT: list field, rated members'
	                               final ratings, mass organizations' ratings */
	bool pct;
	bool if_null, if_empty;
	unsigned in_mask;           /* bit i: option / rating i is counted */
	struct kd_cond *kids;
	int n_kids;
};

enum kd_role { KD_ROLE_NOT_RATED, KD_ROLE_TRIGGER, KD_ROLE_RATING };

struct kd_clause {
	const char *id;             /* "M-X2" */
	enum kd_role role;
	int rating;                 /* KD_ROLE_RATING: the rating it is part of */
	const char *text;           /* the standard, in Vietnamese */
	const char *message;        /* reason template (engine.h: placeholders) */
	struct kd_cond cond;        /* not rated / trigger: applies when it holds;
	                               rating: the clause holds when it holds */
};

struct kd_subject_rules {
	bool present;
	struct kd_criterion *criteria;
	int n_criteria;
	struct kd_field *fields;
	int n_fields;
	struct kd_clause *clauses;  /* in the order reasons are reported */
	int n_clauses;
};

/* The clauses the engine itself applies, whose wording is still data. */
enum kd_fixed {
	KD_FIX_V1, KD_FIX_V2, KD_FIX_Q1, KD_FIX_K1, KD_FIX_K2, KD_FIX_K3,
	KD_FIX_COUNT
};
/* Q-1 has three messages: demoted; undecided by a tie at the cut;
 * undecided because a candidate has no ballots to rank by. */
enum kd_q1_msg { KD_Q1_MSG_DEMOTED, KD_Q1_MSG_TIE, KD_Q1_MSG_UNRANKED, KD_Q1_MSG_COUNT };

struct kd_fixed_clause {
	const char *id;
	const char *text;
	const char *message;
};

struct kd_ruleset {
	const char *id;
	const char *title;
	const char *source;
	struct kd_subject_rules subj[KD_SUBJECT_COUNT];
	struct kd_fixed_clause fixed[KD_FIX_COUNT];
	const char *q1_messages[KD_Q1_MSG_COUNT];
	int quota_rating;           /* the capped rating (HTXSNV) */
	int quota_base_min;         /* members at or above it form the base */
	int quota_pct;              /* cap = floor(base * pct / 100) */
	int quota_demote_to;        /* where members over the cap go */
};

/* The names of subjects as used in rule set files ("member", ...). */
const char *kd_subject_key(enum kd_subject s);
/* Index of the criterion or field named `id`/`key` (group may be NULL), or -1. */
int kd_ruleset_criterion(const struct kd_subject_rules *sr, const char *id);
int kd_ruleset_field(const struct kd_subject_rules *sr, const char *group, const char *key);
/* Index of `code` among a choice field's options, or -1. */
int kd_field_option(const struct kd_field *f, const char *code, size_t len);
/* The text of an operator ("<", ">=", ...). */
const char *kd_op_text(enum kd_op op);

#endif
