/*
** gen.h: a realistic party of a given size, for tests and benchmarks
** (`kiemdiem gen`).
**
** The tree: the country, provinces and cities, districts, grassroots
** committees of about 108 members, cells of 10 to 60 members with party
** groups of 5 to 15. People have Vietnamese names (family names in their
** real frequencies), birth, admission and official dates. Each cell has
** the year's campaign: reviews with criteria levels drawn from a realistic
** distribution, the cell meeting, its tallies, and the decisions the
** engine gives for them (so the quota holds), published; a share of the
** cells is left unfinished (reviews not submitted, no decision yet, or not
** published). The same seed gives the same database.
**
** Everything is written through audited transactions (tx.h), whole cells
** of some 20,000 members per transaction, each table's rows of the batch
** in one bulk insert (COPY on PostgreSQL) with ids reserved first, so
** `kiemdiem audit verify` holds and a country takes minutes, not hours.
*/
#ifndef KD_GEN_H
#define KD_GEN_H

#include "store/db.h"

struct kd_gen_spec {
	long long members;          /* people to make, >= 1 */
	long long cells;            /* 0: as many as cells of 10-60 members give */
	unsigned long long seed;
	int year;                   /* the campaigns' year */
	int unfinished_pct;         /* share of cells left unfinished, 0-100 */
};

struct kd_gen_stats {
	long long uppers, committees, cells, groups, people;
	long long reviews, tallies, decisions, unfinished;
	long long transactions;
};

/* Fill the empty database `db` (KD_ECONFLICT when it holds organizations
 * already). `progress` (may be NULL) is called after each transaction with
 * the cells made so far and the total. */
KD_WUR int kd_gen(struct kd_db *db, const struct kd_gen_spec *spec, struct kd_gen_stats *out,
		  void (*progress)(long long done, long long total, void *ctx), void *ctx, struct kd_err *err);

#endif
