/*
** commit_group.h: group commit: several audited transactions made durable
** by one commit, hence one fsync.
**
** With SQLite's synchronous=FULL every COMMIT waits for the write-ahead
** log to reach the disk, and a disk does a few hundred to a few thousand
** of those a second whatever is in them: the review saves of kiemdiem
** serve were bounded by it. PostgreSQL shares one WAL flush between
** commits that arrive together, but kiemdiem's writers never do: the
** advisory lock that orders the audit chain lets one commit at a time. Between kd_db_group_begin() and kd_db_group_end() the
** connection holds one write transaction (BEGIN IMMEDIATE), and each
** kd_db_begin()/kd_db_commit()/kd_db_rollback() inside it (each kd_tx)
** becomes a savepoint: released into the group on commit, undone alone on
** rollback. Each kd_tx still appends its own audit entry, chained to the
** previous one, which it reads inside the group. Nothing is durable, and
** nothing may be reported done to a user, before kd_db_group_end()
** commits; if that commit fails, every kd_tx of the group is lost.
**
** On PostgreSQL the group holds the advisory lock from its begin to its
** commit: other app processes' writers wait for the whole group.
**
** Not inside a group: anything that must run outside a transaction
** (kd_vote_scrub), kd_db_begin_read().
*/
#ifndef KD_COMMIT_GROUP_H
#define KD_COMMIT_GROUP_H

#include "store/db.h"

/* Whether `db` can hold a group (both back-ends can). */
bool kd_db_group_able(const struct kd_db *db);
/* Open a group: the write transaction, waiting as kd_db_begin() would. */
KD_WUR int kd_db_group_begin(struct kd_db *db, struct kd_err *err);
/* Close it: COMMIT (commit true) or ROLLBACK. The connection is back to
 * its usual behaviour either way. Never call it with a kd_tx still open. */
KD_WUR int kd_db_group_end(struct kd_db *db, bool commit, struct kd_err *err);

#endif
