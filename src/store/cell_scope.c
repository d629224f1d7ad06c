#include "store/cell_scope.h"
#include "store/lookup.h"

static int id_cmp(const void *pa, const void *pb)
{
	const long long *a = pa, *b = pb;
	return *a < *b ? -1 : *a > *b;
}

/* The ids `sql` (one integer parameter: the cell) returns, sorted, in
 * `arena`. */
static int ids_of(struct kd_db *db, const char *sql, long long cell, struct kd_arena *arena, long long **out,
		  size_t *n, struct kd_err *err)
{
	struct kd_stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc = kd_db_stmt(db, sql, &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, cell);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		*out = kd_arena_grow(arena, *out, *n, &cap, sizeof(**out));
		(*out)[(*n)++] = kd_stmt_col_int(st, 0);
	}
	if (rc < 0)
		return rc;
	if (*n)
		qsort(*out, *n, sizeof(**out), id_cmp);
	return KD_OK;
}

static bool has_id(const long long *ids, size_t n, long long id)
{
	return n && bsearch(&id, ids, n, sizeof(*ids), id_cmp);
}

int kd_cell_roster_list(struct kd_db *db, const char *group, struct kd_arena *arena, struct kd_person **out,
			size_t *n, struct kd_err *err)
{
	long long cell, *ids;
	size_t n_ids, kept = 0;
	*out = NULL;
	*n = 0;
	if (!kd_db_cell_chosen(db))
		return kd_roster_list(db, group, arena, out, n, err);
	int rc = kd_lookup_cell(db, &cell, err);
	if (rc == KD_OK)
		rc = ids_of(db, "SELECT id FROM person WHERE cell_id = $1", cell, arena, &ids, &n_ids, err);
	if (rc == KD_OK)
		rc = kd_roster_list(db, group, arena, out, n, err);
	if (rc != KD_OK)
		return rc;
	for (size_t i = 0; i < *n; i++)
		if (has_id(ids, n_ids, (*out)[i].id))
			(*out)[kept++] = (*out)[i];
	*n = kept;
	if (!kept)
		*out = NULL;
	return KD_OK;
}

int kd_cell_group_list(struct kd_db *db, struct kd_arena *arena, struct kd_group **out, size_t *n,
		       struct kd_err *err)
{
	long long cell, *ids;
	size_t n_ids, kept = 0;
	*out = NULL;
	*n = 0;
	if (!kd_db_cell_chosen(db))
		return kd_group_list(db, arena, out, n, err);
	int rc = kd_lookup_cell(db, &cell, err);
	if (rc == KD_OK)
		rc = ids_of(db, "SELECT id FROM org WHERE kind = 'group' AND parent_id = $1", cell, arena, &ids, &n_ids,
			    err);
	if (rc == KD_OK)
		rc = kd_group_list(db, arena, out, n, err);
	if (rc != KD_OK)
		return rc;
	for (size_t i = 0; i < *n; i++)
		if (has_id(ids, n_ids, (*out)[i].id))
			(*out)[kept++] = (*out)[i];
	*n = kept;
	if (!kept)
		*out = NULL;
	return KD_OK;
}
