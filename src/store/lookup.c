#include "store/lookup.h"

int kd_lookup_cell(struct kd_db *db, long long *id, struct kd_err *err)
{
	int rc = kd_db_run(db, err, id, "SELECT id FROM org WHERE kind = 'cell' ORDER BY id LIMIT 1", "");
	if (rc == KD_ENOTFOUND)
		kd_err_add(err, rc, "%s: holds no cell; expected a database made by kiemdiem init or kiemdiem demo",
			   kd_db_target(db));
	return rc;
}

int kd_lookup_person(struct kd_db *db, const char *code, long long *id, struct kd_err *err)
{
	int rc = kd_db_run(db, err, id, "SELECT id FROM person WHERE code = $1", "t", code);
	if (rc == KD_ENOTFOUND)
		kd_err_add(err, rc, "%s: no such person; expected a code listed by kiemdiem member list", code);
	return rc;
}

int kd_lookup_group(struct kd_db *db, const char *code, long long *id, struct kd_err *err)
{
	int rc = kd_db_run(db, err, id, "SELECT id FROM org WHERE kind = 'group' AND code = $1", "t", code);
	if (rc == KD_ENOTFOUND)
		kd_err_add(err, rc, "%s: no such party group; expected a code listed by kiemdiem group list", code);
	return rc;
}

int kd_lookup_campaign(struct kd_db *db, long long year, long long *id, struct kd_err *err)
{
	int rc = year ? kd_db_run(db, err, id, "SELECT id FROM campaign WHERE year = $1", "i", year)
		      : kd_db_run(db, err, id, "SELECT id FROM campaign ORDER BY year DESC LIMIT 1", "");
	if (rc == KD_ENOTFOUND) {
		if (year)
			kd_err_add(err, rc, "%lld: no campaign for this year; expected a year made by kiemdiem campaign create", year);
		else
			kd_err_add(err, rc, "no campaign yet; expected one made by kiemdiem campaign create");
	}
	return rc;
}
