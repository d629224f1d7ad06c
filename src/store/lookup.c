#include "store/lookup.h"
#include "store/db_driver.h"

int kd_lookup_cell(struct kd_db *db, long long *id, struct kd_err *err)
{
	if (db->cell_id) {
		*id = db->cell_id;
		return KD_OK;
	}
	if (db->cell_code) {
		int rc = kd_db_run(db, err, id, "SELECT id FROM org WHERE kind = 'cell' AND code = $1", "t", db->cell_code);
		if (rc == KD_ENOTFOUND)
			kd_err_add(err, rc, "--cell %s: no such cell; expected a cell code listed by kiemdiem org list",
				   db->cell_code);
		return rc;
	}
	/* Two rows at most: enough to tell "one" from "several" without
	 * counting the tens of thousands of cells of a national database. */
	struct kd_stmt *st;
	int rc = kd_db_stmt(db, "SELECT id FROM org WHERE kind = 'cell' ORDER BY id LIMIT 2", &st, err);
	if (rc != KD_OK)
		return rc;
	int rows = 0;
	while ((rc = kd_stmt_step(st, err)) == 1)
		if (rows++ == 0)
			*id = kd_stmt_col_int(st, 0);
	if (rc < 0)
		return rc;
	if (rows == 0)
		return kd_err_add(err, KD_ENOTFOUND, "%s: holds no cell; expected a database made by kiemdiem init or kiemdiem demo",
				  kd_db_target(db));
	if (rows > 1)
		return kd_err_add(err, KD_EUSAGE, "%s: holds several cells (chi bộ); expected --cell CODE naming one"
				  " (kiemdiem org list)", kd_db_target(db));
	return KD_OK;
}

int kd_lookup_person(struct kd_db *db, const char *code, long long *id, struct kd_err *err)
{
	if (!kd_db_cell_chosen(db)) {
		int rc = kd_db_run(db, err, id, "SELECT id FROM person WHERE code = $1", "t", code);
		if (rc == KD_ENOTFOUND)
			kd_err_add(err, rc, "%s: no such person; expected a code listed by kiemdiem member list", code);
		return rc;
	}
	long long cell;
	int rc = kd_lookup_cell(db, &cell, err);
	if (rc == KD_OK)
		rc = kd_db_run(db, err, id, "SELECT id FROM person WHERE code = $1 AND cell_id = $2", "ti", code, cell);
	if (rc == KD_ENOTFOUND)
		kd_err_add(err, rc, "%s: no such person in this cell; expected a code listed by kiemdiem member list",
			   code);
	return rc;
}

int kd_lookup_group(struct kd_db *db, const char *code, long long *id, struct kd_err *err)
{
	long long cell = 0;
	int rc = kd_db_cell_chosen(db) ? kd_lookup_cell(db, &cell, err) : KD_OK;
	if (rc == KD_OK)
		rc = kd_db_run(db, err, id, "SELECT id FROM org WHERE kind = 'group' AND code = $1"
			       " AND ($2 = 0 OR parent_id = $2)", "ti", code, cell);
	if (rc == KD_ENOTFOUND)
		kd_err_add(err, rc, "%s: no such party group%s; expected a code listed by kiemdiem group list", code,
			   cell ? " in this cell" : "");
	return rc;
}

int kd_lookup_campaign(struct kd_db *db, long long year, long long *id, struct kd_err *err)
{
	long long cell;
	int rc = kd_lookup_cell(db, &cell, err);
	if (rc != KD_OK)
		return rc;
	rc = year ? kd_db_run(db, err, id, "SELECT id FROM campaign WHERE cell_id = $1 AND year = $2", "ii", cell, year)
		  : kd_db_run(db, err, id, "SELECT id FROM campaign WHERE cell_id = $1 ORDER BY year DESC LIMIT 1", "i", cell);
	if (rc == KD_ENOTFOUND) {
		if (year)
			kd_err_add(err, rc, "%lld: no campaign for this year; expected a year made by kiemdiem campaign create", year);
		else
			kd_err_add(err, rc, "no campaign yet; expected one made by kiemdiem campaign create");
	}
	return rc;
}
