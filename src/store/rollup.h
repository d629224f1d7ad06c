/*
** rollup.h: what an upper level sees of everything below it (issue 6).
**
** kd_rollup() adds up, for every organization at and below a root, the
** members of its cells, their current (not annulled) decisions per rating,
** those not rated, and how many cells have finished: a campaign for the
** year, every member's review submitted, every member decided (or not
** rated by the rules, per the stored classify results) and every decision
** published. One SQL statement reads the subtree's organizations with each
** cell's counters (kept by triggers as rows change, migration 6), and the
** sums are made up the tree in memory: the cost is one row per
** organization, whatever the number of members below it.
**
** kd_rollup_recheck() loads each cell's campaign, runs the engine and
** compares with the stored decisions: any member decided above what the
** rules give, more HTXSNV than Q-1 allows, the collective above what its
** members' decided shares allow, or a K-1..K-3 constraint broken.
*/
#ifndef KD_ROLLUP_H
#define KD_ROLLUP_H

#include "core/grade.h"
#include "store/orgtree.h"

struct kd_rollup_row {
	struct kd_org_node org;     /* members, cells: of everything at or below it */
	long long rated;            /* members with a current decision */
	long long by_rating[KD_RATING_COUNT];
	long long not_rated;        /* not rated by the rules (stored classify results) */
	long long finished;         /* cells finished */
	/* What is missing (summed over the cells below). */
	long long no_campaign;      /* cells without a campaign for the year */
	long long reviews_missing;  /* members whose review is not submitted */
	long long undecided;        /* members neither decided nor not rated */
	long long unpublished;      /* current decisions not published */
};

struct kd_rollup {
	int year;
	struct kd_rollup_row *rows; /* in tree order; org.parent: an index in rows, -1 for a root */
	size_t n;
	struct kd_rollup_row *unfinished;   /* every cell not finished, at any depth, in tree
	                                     * order (org.parent -1) */
	size_t n_unfinished;
};

/* The roll-up of `root` (a code; NULL: every root) for `year` (0: the
 * latest year of any campaign), its rows `depth` levels deep (1: the root
 * alone, 2: with its children ...; 0: every level), each holding the sums
 * of everything below it whatever the depth kept. */
KD_WUR int kd_rollup(struct kd_db *db, const char *root, int year, int depth, struct kd_arena *a,
		     struct kd_rollup *out, struct kd_err *err);

/* Whether the row's cells are all finished. */
bool kd_rollup_finished(const struct kd_rollup_row *r);

struct kd_recheck_finding {
	const char *cell_code, *cell_name;
	const char *clause;         /* "Q-1", "M-X2", "C-X3", "K-3" ... */
	const char *subject;        /* a person's code, "collective" or NULL (the cell) */
	const char *message;        /* Vietnamese */
};

struct kd_recheck {
	int year;
	long long cells, members; /* rechecked */
	long long cells_flagged;
	struct kd_recheck_finding *items;
	size_t n;
};

/* Recheck every cell at or below `root` (NULL: all) with a campaign of
 * `year` (0: the latest). */
KD_WUR int kd_rollup_recheck(struct kd_db *db, const char *root, int year, struct kd_arena *a,
			     struct kd_recheck *out, struct kd_err *err);

struct kd_classified {
	int year;
	long long cells, members;   /* classified, their results stored */
	long long by_rating[KD_RATING_COUNT], not_rated, undecided;
	long long incomplete;       /* members left out: a criterion without a level */
	long long transactions;
	struct kd_recheck_finding *skipped; /* cells the rule set cannot take (clause
	                                     * and subject NULL; message says why) */
	size_t n_skipped;
};

/* Classify every cell at or below `root` (NULL: all) with a campaign of
 * `year` (0: the latest) by its rule set and store each cell's results
 * with their reasons, as `classify --campaign --partial` does for one
 * cell: whole cells per transaction (one audit entry each, some 20,000
 * members), so an interrupted run leaves each cell with its old results
 * or its new ones. A cell whose stored data the rule set cannot take is
 * listed in `skipped` and left as it was. `progress` (may be NULL) is
 * called after each transaction with the cells done and the total. */
KD_WUR int kd_rollup_classify(struct kd_db *db, const char *root, int year, struct kd_arena *a,
			      struct kd_classified *out, void (*progress)(long long done, long long total, void *ctx),
			      void *ctx, struct kd_err *err);

#endif
