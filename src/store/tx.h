/*
** tx.h: a change to the database, as one transaction and one audit entry.
**
** Every command that writes does so between kd_tx_begin() and
** kd_tx_commit(). Before changing a row it calls kd_tx_touch() (or, for a
** row it has just inserted, kd_tx_touch_new()); the transaction keeps the
** row's state before the change (its JSON text; nothing for a new row)
** and, at commit, reads its state after. The audit entry (who, when, what)
** is appended to audit_log and each changed row, before and after, to
** audit_row, in the same transaction; the entry's SHA-256 covers its
** fields and its rows and chains it to the previous entry, so nothing is
** half-written and nothing is written unrecorded.
**
** Memory stays flat whatever a transaction touches: a touched row costs a
** few tens of bytes (rows inserted one after another, as a bulk import
** does, share one record) plus the before-image of a row that existed;
** after-images are read and written in batches at commit.
**
** kd_audit_verify() recomputes the chain and replays it against the
** tables, streaming both: an entry edited or deleted, or a row of any
** audited table changed, added or deleted other than through kiemdiem, is
** reported.
*/
#ifndef KD_TX_H
#define KD_TX_H

#include "base/arena.h"
#include "store/db.h"

/* The audited tables, in dependency order (one source for tx.c and for
 * anything that lists them). */
#define KD_AUDITED_TABLES(X) \
	X(org) X(mass_org) X(person) X(group_supervisor) X(campaign) X(milestone) \
	X(mass_org_rating) X(fact) X(leader) X(review) X(review_level) X(review_section) \
	X(residence_comment) X(collective_report) X(collective_level) X(report_comment) \
	X(meeting) X(attendance) X(agenda_item) X(tally) X(result) X(decision) \
	X(calendar_exception) X(account) X(vote_round) X(vote_subject) X(vote_cast) \
	X(account_org)

enum kd_table {
#define KD_X(t) KD_T_##t,
	KD_AUDITED_TABLES(KD_X)
#undef KD_X
	KD_T_COUNT
};

const char *kd_table_name(enum kd_table t);

struct kd_touched;

struct kd_tx {
	struct kd_db *db;
	struct kd_err *err;
	const char *actor;
	const char *action;
	struct kd_touched *rows;        /* what was touched, in touch order */
	size_t n, cap;
	uint32_t *slots;                /* hash set of rows' indexes + 1 (0: empty) */
	size_t nslots;
	size_t *runs;                   /* rows holding more than one id */
	size_t nruns, capruns;
	size_t last_new[KD_T_COUNT];    /* per table, the last row touched as new, + 1 */
	bool record_empty;      /* append the entry even when no row changed
				 * (sign-in, sign-out); set after kd_tx_begin */
};

/* Begin a write transaction for `action` ("import roster ...") by `actor`. */
KD_WUR int kd_tx_begin(struct kd_tx *tx, struct kd_db *db, const char *actor,
		       const char *action, struct kd_err *err);
/* Record that row `id` of `t` is about to change (or be deleted). */
KD_WUR int kd_tx_touch(struct kd_tx *tx, enum kd_table t, long long id);
/* Record that row `id` of `t` was just inserted. */
void kd_tx_touch_new(struct kd_tx *tx, enum kd_table t, long long id);
/* INSERT with kd_db_run's parameters, `sql` ending in RETURNING id; the
 * new row is touched and its id stored in *id (which may be NULL). */
KD_WUR int kd_tx_insert(struct kd_tx *tx, enum kd_table t, long long *id, const char *sql,
			const char *types, ...);

/* Append the audit entry and commit. On failure everything is rolled back.
 * Either way the transaction is over. */
KD_WUR int kd_tx_commit(struct kd_tx *tx);
/* Roll back and end the transaction. */
void kd_tx_abort(struct kd_tx *tx);
/* End the transaction: commit when rc is KD_OK, else roll back. Returns
 * the outcome (rc, or the commit's failure). */
KD_WUR int kd_tx_finish(struct kd_tx *tx, int rc);

/* Check the audit chain and replay it against the tables, in one read
 * transaction (one snapshot) and in memory that does not grow with the
 * log (entries written before schema version 3, which hold their rows as
 * one JSON document, are kept in memory as before). On success
 * writes a one-line summary to `summary`; otherwise returns KD_ECONFLICT
 * with the first broken entry and every divergent row in `err`. */
KD_WUR int kd_audit_verify(struct kd_db *db, struct strbuf *summary, struct kd_err *err);

/* The actor recorded when none is given: $KIEMDIEM_ACTOR, $USER, or "cli". */
const char *kd_default_actor(void);

#endif
