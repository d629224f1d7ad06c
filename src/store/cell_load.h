/*
** cell_load.h: a stored campaign as the engine's kd_cell, and the engine's
** verdicts stored back.
**
** Members are the cell's active people in Vietnamese name order; their
** criteria levels come from their reviews, their declared fields from the
** rule set's defaults, person dates and the `fact` table, their ballots from
** the latest round of the cell meeting's tally. Leaders are the campaign's
** `leader` rows; the collective is present once its criteria are assessed.
*/
#ifndef KD_CELL_LOAD_H
#define KD_CELL_LOAD_H

#include "core/engine.h"
#include "store/db.h"

struct kd_campaign_cell {
	long long campaign_id;
	struct kd_cell cell;
	long long *person_ids;      /* [cell.n_members]: each member's person id */
	long long *leader_ids;      /* [cell.n_leaders]: each leader's person id */
	size_t n_incomplete;        /* members whose review lacks a criterion */
	const char **incomplete;    /* their codes */
};

/* Load campaign `campaign_id` into `out`, everything allocated in `arena`.
 * With `partial`, members lacking a criterion are left out (listed in
 * incomplete); without it they make the load fail with KD_EINPUT. */
KD_WUR int kd_campaign_load(struct kd_db *db, long long campaign_id, bool partial,
			    struct kd_arena *arena, struct kd_campaign_cell *out, struct kd_err *err);

/* kd_campaign_load() for a run over many campaigns (rollup classify,
 * recheck): *rs is the rule set of the previous load (NULL at first),
 * reused when the campaign's is the same, else parsed into `rs_arena`
 * (which must outlive the run) and kept in *rs. */
KD_WUR int kd_campaign_load_many(struct kd_db *db, long long campaign_id, bool partial, struct kd_arena *rs_arena,
				 const struct kd_ruleset **rs, struct kd_arena *arena, struct kd_campaign_cell *out,
				 struct kd_err *err);

struct kd_tx;
/* Store the campaign's results `res` (with rendered reasons) in place of
 * those stored: a result that is the same is left alone (nothing to
 * audit), one that changed is updated. */
KD_WUR int kd_results_store(struct kd_tx *tx, const struct kd_campaign_cell *cc,
			    const struct kd_result *res);

/* The same for many campaigns in one transaction (rollup classify): new
 * results are queued by kd_results_add() and written by kd_results_flush()
 * in one bulk insert, which must come before the transaction commits. */
struct kd_result_new {
	long long campaign_id;
	const char *subject;
	long long person;           /* 0: the collective */
	const char *status, *ceiling, *voted, *final, *reasons;
};
struct kd_results_batch {
	struct kd_arena a;          /* holds rows and their reasons */
	struct kd_result_new *rows;
	size_t n, cap;
};
void kd_results_batch_init(struct kd_results_batch *b);
KD_WUR int kd_results_add(struct kd_tx *tx, struct kd_results_batch *b, const struct kd_campaign_cell *cc,
			  const struct kd_result *res);
KD_WUR int kd_results_flush(struct kd_tx *tx, struct kd_results_batch *b);
void kd_results_batch_release(struct kd_results_batch *b);

#endif
