/*
** engine.h: classification (RULES.md, "How a rating is reached").
**
** kd_classify() computes every verdict of a cell: not rated, triggers and
** cumulative ceilings, votes (V-1, V-2), the quota, leaders, the
** collective and the constraints (K-1..K-3). It renders no text, so it stays
** fast for a million members; kd_explain_*() then render the Vietnamese
** reasons of one subject at a time from the same verdicts.
**
** Message templates (rule set data) name facts in braces. Always available:
** {rating} {rating_short} (the rating a clause blocks), {as_of}, {year}.
** By condition: criteria: {criteria} {required}; number: {value}
** {threshold}; ratio: {value} {total} {pct} {threshold}; rating/choice:
** {value} {required}; count: {count} {total} {pct} {threshold} {items};
** months: {date} {months} {until}. V-1: {voters} {need} {tally}; V-2:
** {voted} {ceiling}; Q-1: {pct} {base} {base_rating} {cap} {top} {to}
** {votes} {tied}; K-1..K-3: {leader} {member} {leader_rating} {cell_rating}
** {member_rating} {leadership_rating}.
*/
#ifndef KD_ENGINE_H
#define KD_ENGINE_H

#include "base/arena.h"
#include "base/strbuf.h"
#include "core/cell.h"

enum kd_status { KD_RATED, KD_NOT_RATED, KD_UNDECIDED };
enum kd_q1 { KD_Q1_NONE, KD_Q1_KEPT, KD_Q1_DEMOTED, KD_Q1_UNDECIDED };

/* One subject's outcome. Ratings are KD_NONE where the contract has null. */
struct kd_verdict {
	signed char status;         /* enum kd_status */
	signed char ceiling;
	signed char voted;          /* V-1's result, before V-2 */
	signed char final;
	unsigned char q1;           /* enum kd_q1 */
	bool v1_undecided;          /* ballots reached no majority */
	bool v2_lowered;            /* the voted rating was above the ceiling */
};

struct kd_quota {
	size_t base, cap, candidates;
	size_t kept, demoted, undecided;
	long long tie_votes;        /* ballots of the tied group, or -1 */
	bool unranked;              /* a candidate had no ballots */
};

struct kd_violation {
	enum kd_fixed clause;       /* KD_FIX_K1, _K2 or _K3 */
	size_t leader;              /* K-1, K-3: the leader; K-3: member below */
	size_t member;
};

struct kd_result {
	struct kd_verdict *members;     /* [n_members] */
	struct kd_verdict *leaders;     /* [n_leaders] */
	struct kd_verdict collective;   /* meaningful when cell->collective */
	struct kd_quota quota;
	struct kd_violation *violations;
	size_t n_violations;
	size_t summary[KD_RATING_COUNT];
	size_t not_rated, undecided;
};

/* Whether an M-NR clause applies to member data `sd` (the cell's as_of and
 * rule set are used); readers call it to excuse missing criteria. */
bool kd_member_not_rated(const struct kd_cell *cell, const struct kd_subject_data *sd);

/* Classify `cell`. Everything in `out` is allocated from `arena`. */
void kd_classify(const struct kd_cell *cell, struct kd_result *out, struct kd_arena *arena);

struct kd_reason {
	const char *clause;         /* "M-X2", "V-1", "Q-1" */
	int rating;                 /* the rating it blocks, or KD_NONE */
	const char *message;        /* Vietnamese, NFC (as the rule set is) */
};

/* Reasons of one subject, reused from call to call (each call replaces the
 * previous contents). Pointers stay valid until the next call or release. */
struct kd_reasons {
	struct kd_reason *items;
	size_t n, alloc;
	struct strbuf text;         /* the messages, NUL-separated */
	struct strbuf scratch;      /* facts of the clause being rendered */
	size_t *offs;
};

#define KD_REASONS_INIT { NULL, 0, 0, STRBUF_INIT, STRBUF_INIT, NULL }
void kd_reasons_release(struct kd_reasons *r);

void kd_explain_member(const struct kd_cell *cell, const struct kd_result *res,
		       size_t i, struct kd_reasons *out);
void kd_explain_leader(const struct kd_cell *cell, const struct kd_result *res,
		       size_t i, struct kd_reasons *out);
void kd_explain_collective(const struct kd_cell *cell, const struct kd_result *res,
			   struct kd_reasons *out);
/* The message of violation `v`, appended to `out`. */
void kd_explain_violation(const struct kd_cell *cell, const struct kd_result *res,
			  const struct kd_violation *v, struct strbuf *out);

/* Vietnamese form of a number: at most two decimals, decimal comma. */
void kd_number_vn(struct strbuf *out, double v);

#endif
