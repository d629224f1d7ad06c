#include "store/orgtree.h"

static bool kind_valid(const char *kind)
{
	return !strcmp(kind, "upper") || !strcmp(kind, "committee") || !strcmp(kind, "cell");
}

int kd_org_lookup(struct kd_db *db, const char *code, long long *id, struct kd_err *err)
{
	int rc = kd_db_run(db, err, id, "SELECT id FROM org WHERE code = $1 AND kind <> 'group'", "t", code);
	if (rc == KD_ENOTFOUND)
		kd_err_add(err, rc, "%s: no such organization; expected a code listed by kiemdiem org list", code);
	return rc;
}

int kd_org_path(struct kd_db *db, long long id, struct kd_arena *a, struct kd_org_node **out, size_t *n,
		struct kd_err *err)
{
	struct kd_stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc = kd_db_stmt(db, "WITH RECURSIVE up(id, parent_id, lvl) AS ("
			    " SELECT id, parent_id, 0 FROM org WHERE id = $1 AND kind <> 'group'"
			    " UNION ALL SELECT o.id, o.parent_id, up.lvl + 1 FROM org o JOIN up ON o.id = up.parent_id)"
			    " SELECT o.id, o.kind, o.code, o.name FROM up JOIN org o ON o.id = up.id ORDER BY up.lvl DESC",
			    &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, id);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		*out = kd_arena_grow(a, *out, *n, &cap, sizeof(**out));
		struct kd_org_node *o = &(*out)[*n];
		memset(o, 0, sizeof(*o));
		o->id = kd_stmt_col_int(st, 0);
		o->kind = kd_stmt_col_dup(st, 1, a);
		o->code = kd_stmt_col_dup(st, 2, a);
		o->name = kd_stmt_col_dup(st, 3, a);
		o->parent = (long long)*n - 1;
		o->depth = (int)*n;
		(*n)++;
	}
	if (rc < 0)
		return rc;
	return *n ? KD_OK : KD_ENOTFOUND;
}

int kd_org_add(struct kd_tx *tx, const char *parent, const char *kind, const char *code, const char *name,
	       long long *id)
{
	struct kd_err *err = tx->err;
	size_t before = err->count;
	if (!kind_valid(kind))
		kd_err_add(err, KD_EINPUT, "--kind: \"%s\" is not a kind; expected upper, committee or cell", kind);
	if (!*code || strlen(code) > 64 || strpbrk(code, " \t\n/"))
		kd_err_add(err, KD_EINPUT, "%s: not a code; expected 1 to 64 characters without spaces or slashes", code);
	if (!*name)
		kd_err_add(err, KD_EINPUT, "--name: empty; expected the organization's name");
	if (err->count > before)
		return err->code;
	long long pid = 0, exists = 0;
	int rc = KD_OK;
	if (parent) {
		struct kd_stmt *st;
		rc = kd_db_stmt(tx->db, "SELECT id, kind FROM org WHERE code = $1", &st, err);
		if (rc != KD_OK)
			return rc;
		kd_stmt_text(st, 1, parent);
		if ((rc = kd_stmt_step(st, err)) < 0)
			return rc;
		if (rc == 0)
			return kd_err_add(err, KD_ENOTFOUND, "--parent %s: no such organization; expected a code listed by"
					  " kiemdiem org list", parent);
		pid = kd_stmt_col_int(st, 0);
		const char *pk = kd_stmt_col_text(st, 1);
		/* A cell's parent is the committee (or upper level) it belongs
		 * to; an upper level sits only under another upper level. */
		bool fits = !strcmp(pk, "upper") || (!strcmp(pk, "committee") && strcmp(kind, "upper"));
		struct strbuf pkind = STRBUF_INIT;
		strbuf_addstr(&pkind, pk);
		kd_stmt_done(st);
		rc = KD_OK;
		if (!fits)
			rc = kd_err_add(err, KD_EINPUT, "--parent %s: a %s cannot hold a %s; expected an upper level%s",
					parent, pkind.buf, kind, strcmp(kind, "upper") ? " or a committee" : "");
		strbuf_release(&pkind);
		if (rc != KD_OK)
			return rc;
	}
	rc = kd_db_run(tx->db, err, &exists, "SELECT count(*) FROM org WHERE code = $1", "t", code);
	if (rc == KD_OK && exists)
		return kd_err_add(err, KD_ECONFLICT, "%s: the code is taken; expected a new code (kiemdiem org list)", code);
	if (rc == KD_OK)
		rc = kd_tx_insert(tx, KD_T_org, id, "INSERT INTO org (parent_id, kind, code, name, position)"
				  " VALUES ($1, $2, $3, $4, (SELECT count(*) + 1 FROM org WHERE parent_id = $1)) RETURNING id",
				  "Ittt", pid, kind, code, name);
	return rc;
}

/* ------------------------------------------------------------ tree order */

struct sort_key {
	long long parent, pos;
	const char *code;
	size_t idx;
};

static int key_cmp(const void *pa, const void *pb)
{
	const struct sort_key *a = pa, *b = pb;
	if (a->parent != b->parent)
		return a->parent < b->parent ? -1 : 1;
	if (a->pos != b->pos)
		return a->pos < b->pos ? -1 : 1;
	return strcmp(a->code, b->code);
}

struct id_idx {
	long long id;
	size_t idx;
};

static int id_cmp(const void *pa, const void *pb)
{
	const struct id_idx *a = pa, *b = pb;
	return a->id < b->id ? -1 : a->id > b->id;
}

void kd_org_order(struct kd_org_node *nodes, size_t n, const long long *position, bool add_up,
		  struct kd_arena *a, size_t **order)
{
	struct id_idx *ids = kd_arena_calloc(a, n + 1, sizeof(*ids));
	for (size_t i = 0; i < n; i++)
		ids[i] = (struct id_idx){ nodes[i].id, i };
	qsort(ids, n, sizeof(*ids), id_cmp);
	/* Parent ids to indexes; a parent outside the list makes a root. */
	for (size_t i = 0; i < n; i++) {
		struct id_idx want = { nodes[i].parent, 0 };
		const struct id_idx *p = nodes[i].parent ? bsearch(&want, ids, n, sizeof(*ids), id_cmp) : NULL;
		nodes[i].parent = p ? (long long)p->idx : -1;
	}
	/* Siblings sorted together: by parent index, position, code. */
	struct sort_key *keys = kd_arena_calloc(a, n + 1, sizeof(*keys));
	for (size_t i = 0; i < n; i++)
		keys[i] = (struct sort_key){ nodes[i].parent, position ? position[i] : 0, nodes[i].code, i };
	qsort(keys, n, sizeof(*keys), key_cmp);
	/* first[i]: where node i's children start in keys (roots: parent -1). */
	size_t *first = kd_arena_calloc(a, n + 2, sizeof(size_t)), *count = kd_arena_calloc(a, n + 2, sizeof(size_t));
	for (size_t k = n; k-- > 0;) {
		size_t slot = (size_t)(keys[k].parent + 1);
		first[slot] = k;
		count[slot]++;
	}
	/* Depth-first, with an explicit stack (a national tree is shallow
	 * but wide; recursion would be fine too, the stack keeps it flat). */
	size_t *out = kd_arena_calloc(a, n + 1, sizeof(size_t)), m = 0;
	size_t *stack = kd_arena_calloc(a, n + 1, sizeof(size_t)), sp = 0;
	for (size_t k = count[0]; k-- > 0;)
		stack[sp++] = keys[first[0] + k].idx;
	while (sp) {
		size_t i = stack[--sp];
		out[m++] = i;
		nodes[i].depth = nodes[i].parent < 0 ? 0 : nodes[nodes[i].parent].depth + 1;
		size_t slot = i + 1;
		for (size_t k = count[slot]; k-- > 0;)
			stack[sp++] = keys[first[slot] + k].idx;
	}
	/* A cycle (parent_id edited behind kiemdiem's back) leaves nodes
	 * unreached: list them as roots rather than lose them. */
	if (m < n) {
		bool *seen = kd_arena_calloc(a, n + 1, sizeof(bool));
		for (size_t k = 0; k < m; k++)
			seen[out[k]] = true;
		for (size_t i = 0; i < n; i++)
			if (!seen[i]) {
				nodes[i].parent = -1;
				nodes[i].depth = 0;
				out[m++] = i;
			}
	}
	if (add_up)
		for (size_t k = n; k-- > 0;) {
			const struct kd_org_node *c = &nodes[out[k]];
			if (c->parent >= 0) {
				nodes[c->parent].members += c->members;
				nodes[c->parent].cells += c->cells;
			}
		}
	*order = out;
}

/* ------------------------------------------------------------ listings */

int kd_org_subtree(struct kd_db *db, const char *root, struct kd_arena *a, struct kd_org_node **out, size_t *n,
		   struct kd_err *err)
{
	long long root_id = 0;
	*out = NULL;
	*n = 0;
	if (root && kd_org_lookup(db, root, &root_id, err) != KD_OK)
		return err->code;
	struct kd_stmt *st;
	int rc = kd_db_stmt(db,
		"WITH RECURSIVE sub(id) AS ("
		" SELECT id FROM org WHERE kind <> 'group' AND (id = $1 OR ($1 = 0 AND parent_id IS NULL))"
		" UNION ALL SELECT o.id FROM org o JOIN sub ON o.parent_id = sub.id WHERE o.kind <> 'group')"
		" SELECT o.id, coalesce(o.parent_id, 0), o.kind, o.code, o.name, o.position,"
		" CASE WHEN o.kind = 'cell' THEN (SELECT count(*) FROM person p WHERE p.cell_id = o.id AND p.active = 1)"
		" ELSE 0 END"
		" FROM sub JOIN org o ON o.id = sub.id", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, root_id);
	size_t cap = 0, pcap = 0;
	struct kd_org_node *nodes = NULL;
	long long *pos = NULL;
	while ((rc = kd_stmt_step(st, err)) == 1) {
		nodes = kd_arena_grow(a, nodes, *n, &cap, sizeof(*nodes));
		pos = kd_arena_grow(a, pos, *n, &pcap, sizeof(*pos));
		struct kd_org_node *o = &nodes[*n];
		o->id = kd_stmt_col_int(st, 0);
		o->parent = kd_stmt_col_int(st, 1);
		o->kind = kd_stmt_col_dup(st, 2, a);
		o->code = kd_stmt_col_dup(st, 3, a);
		o->name = kd_stmt_col_dup(st, 4, a);
		pos[*n] = kd_stmt_col_int(st, 5);
		o->members = kd_stmt_col_int(st, 6);
		o->cells = !strcmp(o->kind, "cell");
		o->depth = 0;
		(*n)++;
	}
	if (rc < 0)
		return rc;
	size_t *order;
	kd_org_order(nodes, *n, pos, true, a, &order);
	/* Hand back the nodes in tree order, parents as new indexes. */
	struct kd_org_node *sorted = kd_arena_calloc(a, *n + 1, sizeof(*sorted));
	long long *where = kd_arena_calloc(a, *n + 1, sizeof(long long));
	for (size_t k = 0; k < *n; k++)
		where[order[k]] = (long long)k;
	for (size_t k = 0; k < *n; k++) {
		sorted[k] = nodes[order[k]];
		if (sorted[k].parent >= 0)
			sorted[k].parent = where[sorted[k].parent];
	}
	*out = sorted;
	return KD_OK;
}

int kd_org_cells(struct kd_db *db, long long root_id, struct kd_arena *a, long long **out, size_t *n,
		 struct kd_err *err)
{
	struct kd_stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc = kd_db_stmt(db,
		"WITH RECURSIVE sub(id) AS ("
		" SELECT id FROM org WHERE kind <> 'group' AND (id = $1 OR ($1 = 0 AND parent_id IS NULL))"
		" UNION ALL SELECT o.id FROM org o JOIN sub ON o.parent_id = sub.id WHERE o.kind <> 'group')"
		" SELECT o.id FROM sub JOIN org o ON o.id = sub.id WHERE o.kind = 'cell' ORDER BY o.id", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, root_id);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		*out = kd_arena_grow(a, *out, *n, &cap, sizeof(**out));
		(*out)[(*n)++] = kd_stmt_col_int(st, 0);
	}
	return rc < 0 ? rc : KD_OK;
}
