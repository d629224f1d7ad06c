#include "store/tx.h"

#include <jansson.h>
#include <sodium.h>
#include <time.h>

struct kd_touched {
	bool used;
	enum kd_table table;
	long long id;
	json_t *before;         /* NULL: the row did not exist */
};

static const char *const table_names[KD_T_COUNT] = {
#define KD_X(t) #t,
	KD_AUDITED_TABLES(KD_X)
#undef KD_X
};

/* Statement text per table, as literals for the statement cache. */
static const char *const select_one[KD_T_COUNT] = {
#define KD_X(t) "SELECT * FROM " #t " WHERE id = $1",
	KD_AUDITED_TABLES(KD_X)
#undef KD_X
};
static const char *const select_all[KD_T_COUNT] = {
#define KD_X(t) "SELECT * FROM " #t " ORDER BY id",
	KD_AUDITED_TABLES(KD_X)
#undef KD_X
};

const char *kd_table_name(enum kd_table t) { return table_names[t]; }

const char *kd_default_actor(void)
{
	const char *a = getenv("KIEMDIEM_ACTOR");
	if (!a || !*a)
		a = getenv("USER");
	return a && *a ? a : "cli";
}

/* The current row of a statement as a JSON object, columns in order. */
static json_t *row_json(struct kd_stmt *st)
{
	json_t *o = json_object();
	for (int c = 0; c < kd_stmt_columns(st); c++) {
		json_t *v;
		if (kd_stmt_col_null(st, c))
			v = json_null();
		else if (kd_stmt_col_is_int(st, c))
			v = json_integer(kd_stmt_col_int(st, c));
		else {
			const char *s = kd_stmt_col_text(st, c);
			v = json_stringn_nocheck(s, strlen(s));
		}
		json_object_set_new(o, kd_stmt_name(st, c), v);
	}
	return o;
}

static int snapshot(struct kd_db *db, enum kd_table t, long long id, json_t **out, struct kd_err *err)
{
	struct kd_stmt *st;
	int rc = kd_db_stmt(db, select_one[t], &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, id);
	rc = kd_stmt_step(st, err);
	if (rc < 0)
		return rc;
	*out = rc ? row_json(st) : NULL;
	if (rc)
		kd_stmt_done(st);
	return KD_OK;
}

static size_t slot(const struct kd_tx *tx, enum kd_table t, long long id)
{
	uint64_t h = ((uint64_t)id * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)t << 56);
	size_t i = (size_t)(h ^ (h >> 29)) & (tx->cap - 1);
	while (tx->rows[i].used && (tx->rows[i].table != t || tx->rows[i].id != id))
		i = (i + 1) & (tx->cap - 1);
	return i;
}

static void grow(struct kd_tx *tx)
{
	if ((tx->n + 1) * 2 <= tx->cap)
		return;
	size_t cap = tx->cap ? tx->cap * 2 : 64;
	struct kd_touched *old = tx->rows;
	size_t oldcap = tx->cap;
	tx->rows = kd_xcalloc(cap, sizeof(*tx->rows));
	tx->cap = cap;
	tx->order = kd_xrealloc(tx->order, kd_st_mult(cap, sizeof(*tx->order)));
	for (size_t k = 0; k < tx->n; k++) {
		struct kd_touched *r = &old[tx->order[k]];
		size_t s = slot(tx, r->table, r->id);
		tx->rows[s] = *r;
		tx->order[k] = s;
	}
	(void)oldcap;
	free(old);
}

/* The slot for (t, id), or SIZE_MAX when it is new (then `fresh` is set). */
static size_t touch_slot(struct kd_tx *tx, enum kd_table t, long long id, bool *fresh)
{
	grow(tx);
	size_t s = slot(tx, t, id);
	*fresh = !tx->rows[s].used;
	if (*fresh) {
		tx->rows[s] = (struct kd_touched){ true, t, id, NULL };
		tx->order[tx->n++] = s;
	}
	return s;
}

int kd_tx_touch(struct kd_tx *tx, enum kd_table t, long long id)
{
	bool fresh;
	size_t s = touch_slot(tx, t, id, &fresh);
	return fresh ? snapshot(tx->db, t, id, &tx->rows[s].before, tx->err) : KD_OK;
}

void kd_tx_touch_new(struct kd_tx *tx, enum kd_table t, long long id)
{
	bool fresh;
	touch_slot(tx, t, id, &fresh);
}

int kd_tx_insert(struct kd_tx *tx, enum kd_table t, long long *id, const char *sql, const char *types, ...)
{
	long long new_id = 0;
	va_list ap;
	va_start(ap, types);
	int rc = kd_db_vrun(tx->db, tx->err, &new_id, sql, types, ap);
	va_end(ap);
	if (rc == KD_OK) {
		kd_tx_touch_new(tx, t, new_id);
		if (id)
			*id = new_id;
	}
	return rc;
}

int kd_tx_begin(struct kd_tx *tx, struct kd_db *db, const char *actor, const char *action, struct kd_err *err)
{
	memset(tx, 0, sizeof(*tx));
	tx->db = db;
	tx->err = err;
	tx->actor = actor ? actor : kd_default_actor();
	tx->action = action;
	return kd_db_begin(db, err);
}

static void tx_free(struct kd_tx *tx)
{
	for (size_t k = 0; k < tx->n; k++)
		json_decref(tx->rows[tx->order[k]].before);
	free(tx->rows);
	free(tx->order);
	tx->rows = NULL;
	tx->order = NULL;
	tx->n = tx->cap = 0;
}

void kd_tx_abort(struct kd_tx *tx)
{
	kd_db_rollback(tx->db);
	tx_free(tx);
}

int kd_tx_finish(struct kd_tx *tx, int rc)
{
	if (rc == KD_OK)
		return kd_tx_commit(tx);
	kd_tx_abort(tx);
	return rc;
}

static void now_iso(char buf[static 32])
{
	const char *fixed = getenv("KIEMDIEM_NOW");
	if (fixed && *fixed) {
		snprintf(buf, 32, "%s", fixed);
		return;
	}
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* SHA-256 over the entry's fields, lowercase hex. */
static void entry_hash(const char *prev, long long seq, const char *at, const char *actor,
		       const char *action, const char *changes, char hex[static 65])
{
	static bool ready;
	if (!ready && sodium_init() < 0)
		KD_BUG("libsodium failed to initialise");
	ready = true;
	crypto_hash_sha256_state st;
	char num[32];
	unsigned char out[crypto_hash_sha256_BYTES];
	snprintf(num, sizeof(num), "%lld", seq);
	const char *parts[] = { prev, num, at, actor, action, changes };
	crypto_hash_sha256_init(&st);
	for (size_t i = 0; i < KD_ARRAY_LEN(parts); i++) {
		crypto_hash_sha256_update(&st, (const unsigned char *)parts[i], strlen(parts[i]));
		crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
	}
	crypto_hash_sha256_final(&st, out);
	sodium_bin2hex(hex, 65, out, sizeof(out));
}

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

int kd_tx_commit(struct kd_tx *tx)
{
	json_t *changes = json_array();
	int rc = KD_OK;
	for (size_t k = 0; k < tx->n && rc == KD_OK; k++) {
		struct kd_touched *r = &tx->rows[tx->order[k]];
		json_t *after = NULL;
		rc = snapshot(tx->db, r->table, r->id, &after, tx->err);
		if (rc != KD_OK)
			break;
		if ((!after && !r->before) || (after && r->before && json_equal(after, r->before))) {
			json_decref(after);
			continue;
		}
		json_t *c = json_object();
		json_object_set_new(c, "table", json_string(table_names[r->table]));
		json_object_set_new(c, "id", json_integer(r->id));
		json_object_set(c, "before", r->before ? r->before : json_null());
		json_object_set_new(c, "after", after ? after : json_null());
		json_array_append_new(changes, c);
	}
	if (rc == KD_OK && (json_array_size(changes) || tx->record_empty)) {
		char *text = json_dumps(changes, JSON_COMPACT | JSON_PRESERVE_ORDER);
		struct kd_stmt *st;
		char prev[65] = GENESIS, hash[65], at[32];
		long long seq = 1;
		rc = kd_db_stmt(tx->db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", &st, tx->err);
		if (rc == KD_OK && (rc = kd_stmt_step(st, tx->err)) == 1) {
			seq = kd_stmt_col_int(st, 0) + 1;
			snprintf(prev, sizeof(prev), "%s", kd_stmt_col_text(st, 1));
			kd_stmt_done(st);
			rc = KD_OK;
		}
		if (rc == KD_OK) {
			now_iso(at);
			entry_hash(prev, seq, at, tx->actor, tx->action, text, hash);
			rc = kd_db_run(tx->db, tx->err, NULL,
				       "INSERT INTO audit_log (seq, at, actor, action, changes, prev_hash, hash)"
				       " VALUES ($1, $2, $3, $4, $5, $6, $7)", "ittttt" "t",
				       seq, at, tx->actor, tx->action, text, prev, hash);
		}
		free(text);
	}
	json_decref(changes);
	if (rc == KD_OK)
		rc = kd_db_commit(tx->db, tx->err);
	if (rc != KD_OK)
		kd_db_rollback(tx->db);
	tx_free(tx);
	return rc;
}

/* ------------------------------------------------------------ verifying */

struct state {
	size_t n, cap;
	struct state_row {
		bool used, seen;
		int table;
		long long id;
		json_t *row;      /* latest "after"; NULL when deleted */
		long long seq;
	} *rows;
};

static struct state_row *state_at(struct state *s, int t, long long id)
{
	if ((s->n + 1) * 2 > s->cap) {
		struct state bigger = { 0, s->cap ? s->cap * 2 : 1024, NULL };
		bigger.rows = kd_xcalloc(bigger.cap, sizeof(*bigger.rows));
		for (size_t i = 0; i < s->cap; i++)
			if (s->rows[i].used)
				*state_at(&bigger, s->rows[i].table, s->rows[i].id) = s->rows[i];
		free(s->rows);
		*s = bigger;
		s->n = 0;
		for (size_t i = 0; i < s->cap; i++)
			s->n += s->rows[i].used;
	}
	uint64_t h = ((uint64_t)id * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)t << 56);
	size_t i = (size_t)(h ^ (h >> 29)) & (s->cap - 1);
	while (s->rows[i].used && (s->rows[i].table != t || s->rows[i].id != id))
		i = (i + 1) & (s->cap - 1);
	if (!s->rows[i].used) {
		s->rows[i] = (struct state_row){ true, false, t, id, NULL, 0 };
		s->n++;
	}
	return &s->rows[i];
}

static int table_index(const char *name)
{
	for (int t = 0; t < KD_T_COUNT; t++)
		if (!strcmp(name, table_names[t]))
			return t;
	return -1;
}

/* Chain check and replay of the log into `s`. */
static int verify_chain(struct kd_db *db, struct state *s, long long *entries, struct kd_err *err)
{
	struct kd_stmt *st;
	int rc = kd_db_stmt(db, "SELECT seq, at, actor, action, changes, prev_hash, hash FROM audit_log ORDER BY seq", &st, err);
	if (rc != KD_OK)
		return rc;
	char prev[65] = GENESIS;
	long long expect = 1;
	while ((rc = kd_stmt_step(st, err)) == 1) {
		long long seq = kd_stmt_col_int(st, 0);
		const char *at = kd_stmt_col_text(st, 1), *actor = kd_stmt_col_text(st, 2);
		const char *action = kd_stmt_col_text(st, 3), *changes = kd_stmt_col_text(st, 4);
		const char *p = kd_stmt_col_text(st, 5), *h = kd_stmt_col_text(st, 6);
		char hash[65];
		const char *problem = NULL;
		if (!at || !actor || !action || !changes || !p || !h)
			problem = "has an empty field";
		else if (seq != expect)
			problem = seq > expect ? "follows a gap: earlier entries were deleted" : "is out of order";
		else if (strcmp(p, prev))
			problem = "does not follow the entry before it";
		else {
			entry_hash(p, seq, at, actor, action, changes, hash);
			if (strcmp(hash, h))
				problem = "was edited after it was written (its hash does not match)";
		}
		if (problem) {
			kd_err_add(err, KD_ECONFLICT, "audit entry %lld (%s, %s: %s) %s", seq, at ? at : "?",
				   actor ? actor : "?", action ? action : "?", problem);
			kd_stmt_done(st);
			return KD_ECONFLICT;
		}
		json_error_t je;
		json_t *arr = json_loads(changes, 0, &je);
		for (size_t i = 0; json_is_array(arr) && i < json_array_size(arr); i++) {
			json_t *c = json_array_get(arr, i);
			int t = table_index(json_string_value(json_object_get(c, "table")) ? json_string_value(json_object_get(c, "table")) : "");
			if (t < 0)
				continue;
			struct state_row *r = state_at(s, t, json_integer_value(json_object_get(c, "id")));
			json_decref(r->row);
			json_t *after = json_object_get(c, "after");
			r->row = json_is_null(after) ? NULL : json_incref(after);
			r->seq = seq;
		}
		json_decref(arr);
		snprintf(prev, sizeof(prev), "%s", h);
		expect = seq + 1;
	}
	*entries = expect - 1;
	return rc < 0 ? rc : KD_OK;
}

int kd_audit_verify(struct kd_db *db, struct strbuf *summary, struct kd_err *err)
{
	struct state s = { 0, 0, NULL };
	long long entries = 0, rows = 0;
	int rc = verify_chain(db, &s, &entries, err);
	for (int t = 0; rc == KD_OK && t < KD_T_COUNT; t++) {
		struct kd_stmt *st;
		rc = kd_db_stmt(db, select_all[t], &st, err);
		while (rc == KD_OK && (rc = kd_stmt_step(st, err)) == 1) {
			rc = KD_OK;
			json_t *row = row_json(st);
			long long id = json_integer_value(json_object_get(row, "id"));
			struct state_row *r = state_at(&s, t, id);
			r->seen = true;
			rows++;
			if (!r->row)
				kd_err_add(err, KD_ECONFLICT, "%s %lld was %s outside kiemdiem (no audit entry has it)",
					   table_names[t], id, r->seq ? "restored" : "added");
			else if (!json_equal(row, r->row)) {
				char *now = json_dumps(row, JSON_COMPACT | JSON_PRESERVE_ORDER);
				char *was = json_dumps(r->row, JSON_COMPACT | JSON_PRESERVE_ORDER);
				kd_err_add(err, KD_ECONFLICT, "%s %lld was changed outside kiemdiem: audit entry %lld has %s, the table has %s",
					   table_names[t], id, r->seq, was, now);
				free(now);
				free(was);
			}
			json_decref(row);
		}
		rc = rc < 0 ? rc : KD_OK;
	}
	for (size_t i = 0; rc == KD_OK && i < s.cap; i++)
		if (s.rows[i].used && s.rows[i].row && !s.rows[i].seen)
			kd_err_add(err, KD_ECONFLICT, "%s %lld was deleted outside kiemdiem (audit entry %lld has it)",
				   table_names[s.rows[i].table], s.rows[i].id, s.rows[i].seq);
	for (size_t i = 0; i < s.cap; i++)
		json_decref(s.rows[i].row);
	free(s.rows);
	if (rc == KD_OK && err->count)
		rc = KD_ECONFLICT;
	if (rc == KD_OK)
		strbuf_addf(summary, "audit: %lld entries, chain intact; %lld rows match the log\n", entries, rows);
	return rc;
}
