/*
** cell.h: one cell's facts as the engine reads them.
**
** A kd_cell is what `kiemdiem classify` reads from its JSON document and
** what the campaign store will assemble from its tables. It borrows its
** rule set and strings: whoever builds the cell keeps them alive (normally
** in one arena) for as long as the cell and its result are used.
*/
#ifndef KD_CELL_H
#define KD_CELL_H

#include "core/ruleset.h"

/* The part every subject has: identity, criteria levels, declared fields. */
struct kd_subject_data {
	const char *id;             /* member and leader ids are unique */
	const char *name;           /* may be NULL */
	signed char *levels;        /* [n_criteria]: a level or KD_NONE */
	struct kd_value *vals;      /* [n_fields] of the rule set's subject */
};

struct kd_member {
	struct kd_subject_data s;
	bool has_votes;             /* ballots were given (votes and voters) */
	long long voters;           /* official members convened, >= 1 */
	long long votes[KD_RATING_COUNT]; /* valid ballots per rating */
};

struct kd_leader {
	struct kd_subject_data s;
	const char *member_id;      /* the same person as a member, or NULL */
	bool heads_collective;      /* người đứng đầu */
};

struct kd_org {
	const char *name;
	int rating;
};

struct kd_collective {
	struct kd_subject_data s;
	struct kd_org *orgs;        /* mass organizations (đoàn thể) */
	int n_orgs;
	int leadership_rating;      /* the chi ủy's rating, or KD_NONE */
};

struct kd_cell {
	const struct kd_ruleset *rs;
	struct kd_date as_of;
	struct kd_member *members;
	size_t n_members;
	struct kd_leader *leaders;
	size_t n_leaders;
	struct kd_collective *collective;   /* NULL when there is none */
};

#endif
