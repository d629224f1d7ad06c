/*
** commit_group.c: group commit on SQLite (commit_group.h).
**
** A grouped connection runs behind a copy of its driver whose begin opens
** a savepoint and whose exec turns the COMMIT and ROLLBACK of db.c into
** RELEASE and ROLLBACK TO, so db.c and tx.c work unchanged inside a group.
** Savepoints are standard SQL: the same works on both back-ends.
*/
#include "store/commit_group.h"
#include "store/db_driver.h"

#include <pthread.h>

/* Each back-end's driver and its grouped copy (SQLite, PostgreSQL). */
static pthread_mutex_t grouped_lock = PTHREAD_MUTEX_INITIALIZER;
static struct wrap {
	const struct kd_db_driver *plain;
	struct kd_db_driver grouped;
} wraps[2];

static const struct kd_db_driver *plain_of(const struct kd_db *db)
{
	for (size_t i = 0; i < KD_ARRAY_LEN(wraps); i++)
		if (db->drv == &wraps[i].grouped)
			return wraps[i].plain;
	KD_BUG("commit_group: a connection outside a group");
}

static int g_begin(struct kd_db *db, struct kd_err *err)
{
	return plain_of(db)->exec(db, "SAVEPOINT kd_tx", err);
}

static int g_exec(struct kd_db *db, const char *sql, struct kd_err *err)
{
	const struct kd_db_driver *plain = plain_of(db);
	if (!strcmp(sql, "COMMIT"))
		return plain->exec(db, "RELEASE kd_tx", err);
	/* ROLLBACK TO also clears PostgreSQL's aborted state, so the group's
	 * other transactions still commit. */
	if (!strcmp(sql, "ROLLBACK"))
		return plain->exec(db, "ROLLBACK TO kd_tx; RELEASE kd_tx", err);
	return plain->exec(db, sql, err);
}

bool kd_db_group_able(const struct kd_db *db)
{
	(void)db;
	return true;
}

int kd_db_group_begin(struct kd_db *db, struct kd_err *err)
{
	if (db->in_tx)
		KD_BUG("kd_db_group_begin: inside a transaction");
	struct wrap *w = NULL;
	pthread_mutex_lock(&grouped_lock);
	for (size_t i = 0; i < KD_ARRAY_LEN(wraps) && !w; i++) {
		if (db->drv == &wraps[i].grouped)
			KD_BUG("kd_db_group_begin: inside a group");
		if (!wraps[i].plain) {
			wraps[i].plain = db->drv;
			wraps[i].grouped = *db->drv;
			wraps[i].grouped.begin = g_begin;
			wraps[i].grouped.exec = g_exec;
		}
		if (wraps[i].plain == db->drv)
			w = &wraps[i];
	}
	pthread_mutex_unlock(&grouped_lock);
	if (!w)
		KD_BUG("kd_db_group_begin: a third back-end");
	/* The back-end's own write transaction: BEGIN IMMEDIATE, or BEGIN
	 * and the advisory lock that orders writers. */
	int rc = db->drv->begin(db, err);
	if (rc == KD_OK)
		db->drv = &w->grouped;
	return rc;
}

int kd_db_group_end(struct kd_db *db, bool commit, struct kd_err *err)
{
	if (db->in_tx)
		KD_BUG("kd_db_group_end: a transaction of the group is still open");
	const struct kd_db_driver *plain = plain_of(db);
	db->drv = plain;
	int rc = commit ? plain->exec(db, "COMMIT", err) : KD_OK;
	if (!commit || rc != KD_OK) {
		/* A failed COMMIT may leave the transaction open: end it. */
		struct kd_err ignored = KD_ERR_INIT;
		(void)plain->exec(db, "ROLLBACK", &ignored);
		kd_err_release(&ignored);
	}
	return rc;
}
