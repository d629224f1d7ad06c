/*
** tx.c: audited transactions and the audit log's verification (tx.h).
**
** The log since schema version 3 (migrations.c): audit_log holds one row
** per entry (seq, at, actor, action, row_count, prev_hash, hash) and
** audit_row one row per changed row (entry, seq within it, table_name,
** row_id, before_json, after_json). The entry's hash is a streaming
** SHA-256 over the form's tag, the entry's fields and each row record in
** seq order, then the row count (entry_hash_*); each field is framed by
** its length, so no choice of text can make two entries hash alike.
** Entries written before version 3 hold their rows in `changes` (one
** JSON array) and keep their hash over it (old_entry_hash).
*/
#include "store/tx.h"

#include <jansson.h>
#include <limits.h>
#include <sodium.h>
#include <time.h>

/* A touched row, or ids id .. id + n - 1 inserted one after another. */
struct kd_touched {
	long long id;
	char *before;           /* the row's JSON text before; NULL: it did not exist */
	uint32_t n;             /* > 1 only for rows touched as new */
	uint8_t table;
	bool is_new;            /* touched by kd_tx_touch_new: no before-image */
};

/* Rows read back (and written to audit_row) per query at commit, and
 * per page when verifying; and how far apart the ids of one batch may
 * be (the batch reads the whole id range). */
#define BATCH 1000
#define BATCH_SPAN (4 * BATCH)
/* Multi-id records kept before new ids stop being merged (a lookup scans
 * them). */
#define MAX_RUNS 256

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
static const char *const select_range[KD_T_COUNT] = {
#define KD_X(t) "SELECT * FROM " #t " WHERE id >= $1 AND id <= $2 ORDER BY id",
	KD_AUDITED_TABLES(KD_X)
#undef KD_X
};
/* Keyset pages: PostgreSQL hands a query's whole result to the client,
 * so a table is read a page at a time to keep memory flat. */
static const char *const select_page[KD_T_COUNT] = {
#define KD_X(t) "SELECT * FROM " #t " WHERE id > $1 ORDER BY id LIMIT 1000",
	KD_AUDITED_TABLES(KD_X)
#undef KD_X
};

static const char *const audit_row_columns[] = {
	"entry", "seq", "table_name", "row_id", "before_json", "after_json", NULL
};

const char *kd_table_name(enum kd_table t) { return table_names[t]; }

const char *kd_default_actor(void)
{
	const char *a = getenv("KIEMDIEM_ACTOR");
	if (!a || !*a)
		a = getenv("USER");
	return a && *a ? a : "cli";
}

/* ------------------------------------------------------------ row images */

static void json_str(struct strbuf *sb, const char *s)
{
	strbuf_addch(sb, '"');
	const char *run = s;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		strbuf_add(sb, run, (size_t)(s - run));
		switch (c) {
		case '"': strbuf_addstr(sb, "\\\""); break;
		case '\\': strbuf_addstr(sb, "\\\\"); break;
		case '\n': strbuf_addstr(sb, "\\n"); break;
		case '\r': strbuf_addstr(sb, "\\r"); break;
		case '\t': strbuf_addstr(sb, "\\t"); break;
		default: strbuf_addf(sb, "\\u%04X", c); break;
		}
		run = s + 1;
	}
	strbuf_add(sb, run, (size_t)(s - run));
	strbuf_addch(sb, '"');
}

/* The current row of a statement as compact JSON text, columns in order:
 * what audit_row stores, and what a row is compared with as text. */
static void row_text(struct kd_stmt *st, struct strbuf *sb)
{
	strbuf_reset(sb);
	strbuf_addch(sb, '{');
	for (int c = 0; c < kd_stmt_columns(st); c++) {
		if (c)
			strbuf_addch(sb, ',');
		json_str(sb, kd_stmt_name(st, c));
		strbuf_addch(sb, ':');
		if (kd_stmt_col_null(st, c))
			strbuf_addstr(sb, "null");
		else if (kd_stmt_col_is_int(st, c))
			strbuf_addf(sb, "%lld", kd_stmt_col_int(st, c));
		else
			json_str(sb, kd_stmt_col_text(st, c));
	}
	strbuf_addch(sb, '}');
}

/* The index of the column named id. */
static int id_column(struct kd_stmt *st)
{
	for (int c = 0; c < kd_stmt_columns(st); c++)
		if (!strcmp(kd_stmt_name(st, c), "id"))
			return c;
	KD_BUG("an audited table without an id column");
}

static int snapshot(struct kd_db *db, enum kd_table t, long long id, char **out, struct kd_err *err)
{
	struct kd_stmt *st;
	int rc = kd_db_stmt(db, select_one[t], &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, id);
	rc = kd_stmt_step(st, err);
	if (rc < 0)
		return rc;
	*out = NULL;
	if (rc) {
		struct strbuf sb = STRBUF_INIT;
		row_text(st, &sb);
		*out = strbuf_detach(&sb, NULL);
		kd_stmt_done(st);
	}
	return KD_OK;
}

/* ------------------------------------------------------------ touched rows */

static size_t hash_of(int t, long long id, size_t mask)
{
	uint64_t h = ((uint64_t)id * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)t << 56);
	return (size_t)(h ^ (h >> 29)) & mask;
}

/* The slot of (t, id) in the hash set, or of the empty slot it would take. */
static size_t slot_of(const struct kd_tx *tx, int t, long long id)
{
	size_t i = hash_of(t, id, tx->nslots - 1);
	while (tx->slots[i]) {
		const struct kd_touched *r = &tx->rows[tx->slots[i] - 1];
		if (r->table == t && r->id == id)
			break;
		i = (i + 1) & (tx->nslots - 1);
	}
	return i;
}

/* Whether id of t is touched already: a record of its own, or inside a
 * run of new ids. */
static bool touched(const struct kd_tx *tx, int t, long long id)
{
	if (tx->nslots && tx->slots[slot_of(tx, t, id)])
		return true;
	for (size_t k = tx->nruns; k-- > 0;) {
		const struct kd_touched *r = &tx->rows[tx->runs[k]];
		if (r->table == t && id >= r->id && id - r->id < (long long)r->n)
			return true;
	}
	return false;
}

/* Append a record for (t, id) and index it. */
static struct kd_touched *add_row(struct kd_tx *tx, int t, long long id)
{
	if (tx->n == UINT32_MAX - 1)
		KD_BUG("more than 4 billion touched records in one transaction");
	if (tx->n == tx->cap) {
		tx->cap = tx->cap ? tx->cap * 2 : 64;
		tx->rows = kd_xrealloc(tx->rows, kd_st_mult(tx->cap, sizeof(*tx->rows)));
	}
	if ((tx->n + 1) * 2 > tx->nslots) {
		size_t nslots = tx->nslots ? tx->nslots * 2 : 128;
		free(tx->slots);
		tx->slots = kd_xcalloc(nslots, sizeof(*tx->slots));
		tx->nslots = nslots;
		for (size_t k = 0; k < tx->n; k++)
			tx->slots[slot_of(tx, tx->rows[k].table, tx->rows[k].id)] = (uint32_t)(k + 1);
	}
	struct kd_touched *r = &tx->rows[tx->n];
	*r = (struct kd_touched){ id, NULL, 1, (uint8_t)t, false };
	tx->slots[slot_of(tx, t, id)] = (uint32_t)(++tx->n);
	return r;
}

int kd_tx_touch(struct kd_tx *tx, enum kd_table t, long long id)
{
	if (touched(tx, t, id))
		return KD_OK;
	struct kd_touched *r = add_row(tx, t, id);
	return snapshot(tx->db, t, id, &r->before, tx->err);
}

void kd_tx_touch_new(struct kd_tx *tx, enum kd_table t, long long id)
{
	if (touched(tx, t, id))
		return;
	/* The next id after the last new row of the table joins its record:
	 * a bulk import costs one record, whatever its size. */
	size_t last = tx->last_new[t];
	if (last) {
		struct kd_touched *r = &tx->rows[last - 1];
		if (id == r->id + (long long)r->n && r->n < UINT32_MAX && (r->n > 1 || tx->nruns < MAX_RUNS)) {
			if (r->n++ == 1) {
				if (tx->nruns == tx->capruns) {
					tx->capruns = tx->capruns ? tx->capruns * 2 : 8;
					tx->runs = kd_xrealloc(tx->runs, kd_st_mult(tx->capruns, sizeof(*tx->runs)));
				}
				tx->runs[tx->nruns++] = last - 1;
			}
			return;
		}
	}
	struct kd_touched *r = add_row(tx, t, id);
	r->is_new = true;
	tx->last_new[t] = tx->n;
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
		free(tx->rows[k].before);
	free(tx->rows);
	free(tx->slots);
	free(tx->runs);
	tx->rows = NULL;
	tx->slots = NULL;
	tx->runs = NULL;
	tx->n = tx->cap = tx->nslots = tx->nruns = tx->capruns = 0;
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

/* ------------------------------------------------------------ hashing */

static void sodium_ready(void)
{
	static bool ready;
	if (!ready && sodium_init() < 0)
		KD_BUG("libsodium failed to initialise");
	ready = true;
}

/* An entry written before schema version 3: SHA-256 over its fields and
 * its `changes` document, each followed by a line feed; lowercase hex. */
static void old_entry_hash(const char *prev, long long seq, const char *at, const char *actor,
			   const char *action, const char *changes, char hex[static 65])
{
	sodium_ready();
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

/* One field: its length, ':', the bytes, '\n'; a null is "-\n". */
static void hash_field(crypto_hash_sha256_state *h, const char *s)
{
	if (!s) {
		crypto_hash_sha256_update(h, (const unsigned char *)"-\n", 2);
		return;
	}
	char num[24];
	size_t len = strlen(s);
	int n = snprintf(num, sizeof(num), "%zu:", len);
	crypto_hash_sha256_update(h, (const unsigned char *)num, (unsigned long long)n);
	crypto_hash_sha256_update(h, (const unsigned char *)s, len);
	crypto_hash_sha256_update(h, (const unsigned char *)"\n", 1);
}

static void hash_int(crypto_hash_sha256_state *h, long long v)
{
	char num[24];
	snprintf(num, sizeof(num), "%lld", v);
	hash_field(h, num);
}

static void entry_hash_begin(crypto_hash_sha256_state *h, const char *prev, long long seq, const char *at,
			     const char *actor, const char *action)
{
	sodium_ready();
	crypto_hash_sha256_init(h);
	hash_field(h, "kiemdiem audit 3");
	hash_field(h, prev);
	hash_int(h, seq);
	hash_field(h, at);
	hash_field(h, actor);
	hash_field(h, action);
}

static void entry_hash_row(crypto_hash_sha256_state *h, long long seq, const char *table, long long row_id,
			   const char *before, const char *after)
{
	hash_int(h, seq);
	hash_field(h, table);
	hash_int(h, row_id);
	hash_field(h, before);
	hash_field(h, after);
}

static void entry_hash_end(crypto_hash_sha256_state *h, long long count, char hex[static 65])
{
	unsigned char out[crypto_hash_sha256_BYTES];
	hash_int(h, count);
	crypto_hash_sha256_final(h, out);
	sodium_bin2hex(hex, 65, out, sizeof(out));
}

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* ------------------------------------------------------------ committing */

static int by_table_id(const void *x, const void *y)
{
	const struct kd_touched *a = x, *b = y;
	if (a->table != b->table)
		return a->table < b->table ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* What one batch found changed: a row of audit_row to write. */
struct pending {
	long long id;
	const char *before;
	long after;             /* offset of the after-image in the batch's text; -1: none */
};

struct writer {
	struct kd_tx *tx;
	long long entry, count;
	crypto_hash_sha256_state *h;
	struct strbuf afters, row;
	struct pending *pend;
	size_t np;
	long long *ids;
	const char **befores;
};

static void note_change(struct writer *w, long long id, const char *before, const char *after)
{
	long off = -1;
	if (after) {
		off = (long)w->afters.len;
		strbuf_add(&w->afters, after, strlen(after) + 1);
	}
	w->pend[w->np++] = (struct pending){ id, before, off };
}

/* Read back the batch's rows of table t (ids w->ids[0..nb), ascending),
 * note each one that changed, then write those to audit_row. */
static int write_batch(struct writer *w, int t, size_t nb)
{
	struct kd_db *db = w->tx->db;
	struct kd_err *err = w->tx->err;
	struct kd_stmt *st;
	w->np = 0;
	strbuf_reset(&w->afters);
	int rc = kd_db_stmt(db, select_range[t], &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, w->ids[0]);
	kd_stmt_int(st, 2, w->ids[nb - 1]);
	size_t j = 0;
	int idc = -1;
	while ((rc = kd_stmt_step(st, err)) == 1) {
		if (idc < 0)
			idc = id_column(st);
		long long id = kd_stmt_col_int(st, idc);
		for (; j < nb && w->ids[j] < id; j++)
			if (w->befores[j])
				note_change(w, w->ids[j], w->befores[j], NULL);     /* deleted */
		if (j < nb && w->ids[j] == id) {
			row_text(st, &w->row);
			if (!w->befores[j] || strcmp(w->befores[j], w->row.buf))
				note_change(w, id, w->befores[j], w->row.buf);
			j++;
		}
	}
	if (rc < 0)
		return rc;
	for (; j < nb; j++)
		if (w->befores[j])
			note_change(w, w->ids[j], w->befores[j], NULL);
	if (!w->np)
		return KD_OK;
	rc = kd_db_copy_begin(db, "audit_row", audit_row_columns, err);
	for (size_t k = 0; rc == KD_OK && k < w->np; k++) {
		const struct pending *p = &w->pend[k];
		const char *after = p->after < 0 ? NULL : w->afters.buf + p->after;
		char entry[24], seq[24], row_id[24];
		long long s = ++w->count;
		snprintf(entry, sizeof(entry), "%lld", w->entry);
		snprintf(seq, sizeof(seq), "%lld", s);
		snprintf(row_id, sizeof(row_id), "%lld", p->id);
		entry_hash_row(w->h, s, table_names[t], p->id, p->before, after);
		const char *values[] = { entry, seq, table_names[t], row_id, p->before, after };
		rc = kd_db_copy_row(db, values, err);
	}
	if (rc == KD_OK)
		rc = kd_db_copy_end(db, err);
	return rc;
}

/* Every touched row, by table and id, a batch at a time: read back, and
 * written to audit_row when it changed. */
static int write_rows(struct kd_tx *tx, long long entry, crypto_hash_sha256_state *h, long long *count)
{
	qsort(tx->rows, tx->n, sizeof(*tx->rows), by_table_id);
	/* The hash set indexes the unsorted records; nothing looks it up now. */
	free(tx->slots);
	tx->slots = NULL;
	tx->nslots = 0;
	struct writer w = { tx, entry, 0, h, STRBUF_INIT, STRBUF_INIT, NULL, 0, NULL, NULL };
	w.pend = kd_xmalloc(BATCH * sizeof(*w.pend));
	w.ids = kd_xmalloc(BATCH * sizeof(*w.ids));
	w.befores = kd_xmalloc(BATCH * sizeof(*w.befores));
	int rc = KD_OK;
	size_t k = 0;
	uint32_t off = 0;       /* the next id is tx->rows[k].id + off */
	while (rc == KD_OK && k < tx->n) {
		int t = tx->rows[k].table;
		long long lo = tx->rows[k].id + off;
		size_t nb = 0;
		while (k < tx->n && tx->rows[k].table == t && nb < BATCH) {
			long long id = tx->rows[k].id + off;
			if (id - lo >= BATCH_SPAN)
				break;
			w.ids[nb] = id;
			w.befores[nb++] = tx->rows[k].before;
			if (++off == tx->rows[k].n) {
				k++;
				off = 0;
			}
		}
		rc = write_batch(&w, t, nb);
	}
	*count = w.count;
	free(w.pend);
	free(w.ids);
	free(w.befores);
	strbuf_release(&w.afters);
	strbuf_release(&w.row);
	return rc;
}

int kd_tx_commit(struct kd_tx *tx)
{
	int rc = KD_OK;
	if (tx->n || tx->record_empty) {
		char prev[65] = GENESIS, hash[65], at[32];
		long long seq = 1, count = 0;
		struct kd_stmt *st;
		rc = kd_db_stmt(tx->db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", &st, tx->err);
		if (rc == KD_OK && (rc = kd_stmt_step(st, tx->err)) == 1) {
			seq = kd_stmt_col_int(st, 0) + 1;
			snprintf(prev, sizeof(prev), "%s", kd_stmt_col_text(st, 1));
			kd_stmt_done(st);
			rc = KD_OK;
		}
		now_iso(at);
		crypto_hash_sha256_state h;
		entry_hash_begin(&h, prev, seq, at, tx->actor, tx->action);
		if (rc == KD_OK && tx->n)
			rc = write_rows(tx, seq, &h, &count);
		if (rc == KD_OK && (count || tx->record_empty)) {
			entry_hash_end(&h, count, hash);
			rc = kd_db_run(tx->db, tx->err, NULL,
				       "INSERT INTO audit_log (seq, at, actor, action, changes, row_count, prev_hash, hash)"
				       " VALUES ($1, $2, $3, $4, NULL, $5, $6, $7)", "itttitt",
				       seq, at, tx->actor, tx->action, count, prev, hash);
		}
	}
	if (rc == KD_OK)
		rc = kd_db_commit(tx->db, tx->err);
	if (rc != KD_OK)
		kd_db_rollback(tx->db);
	tx_free(tx);
	return rc;
}

/* ------------------------------------------------------------ verifying */

/* A query read in keyset pages of 1000 rows: sql takes the text `arg` (if
 * any) as $1, then the last row's key columns as the next parameters, and
 * ends in LIMIT 1000. Rows come one at a time, as from one query. */
struct pager {
	struct kd_db *db;
	const char *sql;
	const char *arg;
	int nkeys;
	int keycol[2];          /* -1: the column named id */
	long long key[2];
	struct kd_stmt *st;
	long got;
	bool live, done;
};

static void pager_init(struct pager *p, struct kd_db *db, const char *sql, const char *arg, int nkeys, int k0, int k1)
{
	*p = (struct pager){ db, sql, arg, nkeys, { k0, k1 }, { 0, 0 }, NULL, 0, false, false };
	/* Keys start below any id (ids and seqs are positive). */
	p->key[0] = p->key[1] = -1;
}

/* 1 a row is ready in p->st, 0 no more, <0 an error. */
static int pager_step(struct pager *p, struct kd_err *err)
{
	for (;;) {
		if (p->done)
			return 0;
		if (!p->live) {
			int rc = kd_db_stmt(p->db, p->sql, &p->st, err);
			if (rc != KD_OK)
				return rc;
			int i = 1;
			if (p->arg)
				kd_stmt_text(p->st, i++, p->arg);
			for (int k = 0; k < p->nkeys; k++)
				kd_stmt_int(p->st, i++, p->key[k]);
			p->live = true;
			p->got = 0;
		}
		int rc = kd_stmt_step(p->st, err);
		if (rc < 0) {
			p->live = false;
			p->done = true;
			return rc;
		}
		if (rc == 1) {
			p->got++;
			for (int k = 0; k < p->nkeys; k++) {
				if (p->keycol[k] < 0)
					p->keycol[k] = id_column(p->st);
				p->key[k] = kd_stmt_col_int(p->st, p->keycol[k]);
			}
			return 1;
		}
		p->live = false;
		p->done = p->got < 1000;
	}
}

/* The state old-form entries leave, in memory as before version 3. */
struct state {
	size_t n, cap;
	struct state_row {
		bool used;
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
	size_t i = hash_of(t, id, s->cap - 1);
	while (s->rows[i].used && (s->rows[i].table != t || s->rows[i].id != id))
		i = (i + 1) & (s->cap - 1);
	if (!s->rows[i].used) {
		s->rows[i] = (struct state_row){ true, t, id, NULL, 0 };
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

/* An old-form entry's changes into the state. */
static void replay_old(struct state *s, long long seq, const char *changes)
{
	json_error_t je;
	json_t *arr = json_loads(changes, 0, &je);
	for (size_t i = 0; json_is_array(arr) && i < json_array_size(arr); i++) {
		json_t *c = json_array_get(arr, i);
		const char *name = json_string_value(json_object_get(c, "table"));
		int t = table_index(name ? name : "");
		if (t < 0)
			continue;
		struct state_row *r = state_at(s, t, json_integer_value(json_object_get(c, "id")));
		json_decref(r->row);
		json_t *after = json_object_get(c, "after");
		r->row = !after || json_is_null(after) ? NULL : json_incref(after);
		r->seq = seq;
	}
	json_decref(arr);
}

#define ENTRY_SQL \
	"SELECT seq, at, actor, action, changes, row_count, prev_hash, hash FROM audit_log" \
	" WHERE seq > $1 ORDER BY seq LIMIT 1000"
#define ROW_SQL \
	"SELECT id, entry, seq, table_name, row_id, before_json, after_json FROM audit_row" \
	" WHERE id > $1 ORDER BY id LIMIT 1000"

KD_PRINTF(3, 4) static int broken(struct kd_err *err, struct kd_stmt *e, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	const char *at = kd_stmt_col_text(e, 1), *actor = kd_stmt_col_text(e, 2), *action = kd_stmt_col_text(e, 3);
	kd_err_add(err, KD_ECONFLICT, "audit entry %lld (%s, %s: %s) %s", kd_stmt_col_int(e, 0), at ? at : "?",
		   actor ? actor : "?", action ? action : "?", sb.buf);
	strbuf_release(&sb);
	return KD_ECONFLICT;
}

/* Check the chain: each entry in seq order, with its rows (new form) in
 * audit_row's order; old-form entries' rows go into `s`. */
static int verify_chain(struct kd_db *db, struct state *s, long long *entries, struct kd_err *err)
{
	struct pager pe, pr;
	pager_init(&pe, db, ENTRY_SQL, NULL, 1, 0, 0);
	pager_init(&pr, db, ROW_SQL, NULL, 1, 0, 0);
	char prev[65] = GENESIS;
	long long expect = 1;
	int rc, rrc = 0;        /* rrc: the row pager's last answer */
	bool row_ready = false;
	while ((rc = pager_step(&pe, err)) == 1) {
		struct kd_stmt *e = pe.st;
		long long seq = kd_stmt_col_int(e, 0);
		const char *at = kd_stmt_col_text(e, 1), *actor = kd_stmt_col_text(e, 2);
		const char *action = kd_stmt_col_text(e, 3), *changes = kd_stmt_col_text(e, 4);
		bool old = kd_stmt_col_null(e, 5);
		long long count = kd_stmt_col_int(e, 5);
		const char *p = kd_stmt_col_text(e, 6), *h = kd_stmt_col_text(e, 7);
		char hash[65];
		rc = KD_OK;
		if (!at || !actor || !action || (old && !changes) || !p || !h)
			rc = broken(err, e, "has an empty field");
		else if (seq != expect)
			rc = broken(err, e, "%s", seq > expect ? "follows a gap: earlier entries were deleted" : "is out of order");
		else if (strcmp(p, prev))
			rc = broken(err, e, "does not follow the entry before it");
		else if (old) {
			old_entry_hash(p, seq, at, actor, action, changes, hash);
			if (strcmp(hash, h))
				rc = broken(err, e, "was edited after it was written (its hash does not match)");
			else
				replay_old(s, seq, changes);
		} else {
			crypto_hash_sha256_state hs;
			entry_hash_begin(&hs, p, seq, at, actor, action);
			for (long long k = 1; rc == KD_OK && k <= count; k++) {
				if (!row_ready) {
					rrc = pager_step(&pr, err);
					if (rrc < 0)
						return rrc;
				}
				row_ready = false;
				struct kd_stmt *r = pr.st;
				if (rrc == 0 || kd_stmt_col_int(r, 1) != seq || kd_stmt_col_int(r, 2) != k) {
					row_ready = rrc == 1;
					rc = broken(err, e, "lost row %lld of its %lld: rows were deleted from audit_row", k, count);
					break;
				}
				entry_hash_row(&hs, k, kd_stmt_col_text(r, 3), kd_stmt_col_int(r, 4), kd_stmt_col_text(r, 5),
					       kd_stmt_col_text(r, 6));
			}
			if (rc == KD_OK) {
				entry_hash_end(&hs, count, hash);
				if (strcmp(hash, h))
					rc = broken(err, e, "was edited after it was written (its hash does not match)");
			}
		}
		if (rc != KD_OK) {
			if (pe.live)
				kd_stmt_done(pe.st);
			if (pr.live)
				kd_stmt_done(pr.st);
			return rc;
		}
		snprintf(prev, sizeof(prev), "%s", h);
		expect = seq + 1;
	}
	if (rc < 0)
		return rc;
	/* Rows no entry accounts for were added behind kiemdiem's back. */
	if (!row_ready)
		rrc = pager_step(&pr, err);
	if (rrc < 0)
		return rrc;
	if (rrc == 1) {
		kd_err_add(err, KD_ECONFLICT, "audit row %lld (entry %lld, row %lld: %s %lld) belongs to no audit entry:"
			   " it was added outside kiemdiem", kd_stmt_col_int(pr.st, 0), kd_stmt_col_int(pr.st, 1),
			   kd_stmt_col_int(pr.st, 2), kd_stmt_col_text(pr.st, 3) ? kd_stmt_col_text(pr.st, 3) : "?",
			   kd_stmt_col_int(pr.st, 4));
		if (pr.live)
			kd_stmt_done(pr.st);
		return KD_ECONFLICT;
	}
	*entries = expect - 1;
	return KD_OK;
}

/* The latest audit_row of each row of a table, in row_id order. */
#define LATEST_SQL \
	"SELECT row_id, id, entry, after_json FROM audit_row WHERE table_name = $1" \
	" AND row_id >= $2 AND (row_id > $2 OR id > $3) ORDER BY row_id, id LIMIT 1000"

struct latest {
	struct pager p;
	bool have;              /* a row is held in id/entry/after */
	long long id, entry;
	bool deleted;
	struct strbuf after;
	bool ahead;             /* p.st holds the first row of the next id */
};

/* Move to the next row_id's latest audit row; 0 when there is none. */
static int latest_next(struct latest *l, struct kd_err *err)
{
	int rc;
	if (!l->ahead) {
		rc = pager_step(&l->p, err);
		if (rc <= 0) {
			l->have = false;
			return rc;
		}
	}
	l->ahead = false;
	l->have = true;
	l->id = kd_stmt_col_int(l->p.st, 0);
	for (;;) {
		l->entry = kd_stmt_col_int(l->p.st, 2);
		const char *a = kd_stmt_col_text(l->p.st, 3);
		l->deleted = !a;
		strbuf_reset(&l->after);
		if (a)
			strbuf_addstr(&l->after, a);
		rc = pager_step(&l->p, err);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return 1;
		if (kd_stmt_col_int(l->p.st, 0) != l->id) {
			l->ahead = true;
			return 1;
		}
	}
}

static int by_state_id(const void *x, const void *y)
{
	const struct state_row *a = *(const struct state_row *const *)x, *b = *(const struct state_row *const *)y;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* Replay table t: its rows beside the latest audit row of each (and the
 * old-form state), merged by id. */
static int replay_table(struct kd_db *db, int t, struct state *s, long long *rows, struct kd_err *err)
{
	struct state_row **old = NULL;
	size_t nold = 0, io = 0;
	for (size_t i = 0; i < s->cap; i++)
		if (s->rows[i].used && s->rows[i].table == t) {
			if (!old)
				old = kd_xmalloc(kd_st_mult(s->n, sizeof(*old)));
			old[nold++] = &s->rows[i];
		}
	if (nold)
		qsort(old, nold, sizeof(*old), by_state_id);
	struct pager tp;
	pager_init(&tp, db, select_page[t], NULL, 1, -1, 0);
	struct latest l = { .after = STRBUF_INIT };
	pager_init(&l.p, db, LATEST_SQL, table_names[t], 2, 0, 1);
	struct strbuf now = STRBUF_INIT;
	int rc = pager_step(&tp, err), lrc = rc < 0 ? rc : latest_next(&l, err);
	if (lrc < 0)
		rc = lrc;
	long long tid = 0;
	while (rc >= 0 && (rc == 1 || l.have || io < nold)) {
		if (rc == 1) {
			tid = kd_stmt_col_int(tp.st, id_column(tp.st));
			row_text(tp.st, &now);
		}
		/* The smallest id any of the three has. */
		long long id = rc == 1 ? tid : LLONG_MAX;
		if (l.have && l.id < id)
			id = l.id;
		if (io < nold && old[io]->id < id)
			id = old[io]->id;
		bool in_table = rc == 1 && tid == id;
		bool in_new = l.have && l.id == id;
		struct state_row *o = io < nold && old[io]->id == id ? old[io] : NULL;
		/* What the log says the row is: the newest form wins (every
		 * new-form entry is later than every old one). */
		bool logged = in_new || o;
		bool exists = in_new ? !l.deleted : o && o->row;
		long long seq = in_new ? l.entry : o ? o->seq : 0;
		if (in_table) {
			(*rows)++;
			if (!exists)
				kd_err_add(err, KD_ECONFLICT, "%s %lld was %s outside kiemdiem (no audit entry has it)",
					   table_names[t], id, logged ? "restored" : "added");
			else if (in_new && strcmp(now.buf, l.after.buf))
				kd_err_add(err, KD_ECONFLICT, "%s %lld was changed outside kiemdiem: audit entry %lld has %s,"
					   " the table has %s", table_names[t], id, seq, l.after.buf, now.buf);
			else if (!in_new) {
				json_error_t je;
				json_t *cur = json_loads(now.buf, 0, &je);
				if (!json_equal(cur, o->row)) {
					char *was = json_dumps(o->row, JSON_COMPACT | JSON_PRESERVE_ORDER);
					kd_err_add(err, KD_ECONFLICT, "%s %lld was changed outside kiemdiem: audit entry %lld has %s,"
						   " the table has %s", table_names[t], id, seq, was, now.buf);
					free(was);
				}
				json_decref(cur);
			}
		} else if (exists) {
			kd_err_add(err, KD_ECONFLICT, "%s %lld was deleted outside kiemdiem (audit entry %lld has it)",
				   table_names[t], id, seq);
		}
		if (in_table)
			rc = pager_step(&tp, err);
		if (in_new && (lrc = latest_next(&l, err)) < 0)
			rc = lrc;
		if (o)
			io++;
	}
	if (tp.live)
		kd_stmt_done(tp.st);
	if (l.p.live)
		kd_stmt_done(l.p.st);
	strbuf_release(&now);
	strbuf_release(&l.after);
	free(old);
	return rc < 0 ? rc : KD_OK;
}

int kd_audit_verify(struct kd_db *db, struct strbuf *summary, struct kd_err *err)
{
	struct state s = { 0, 0, NULL };
	long long entries = 0, rows = 0;
	size_t before = err->count;
	int rc = kd_db_begin_read(db, err);
	if (rc == KD_OK)
		rc = verify_chain(db, &s, &entries, err);
	for (int t = 0; rc == KD_OK && t < KD_T_COUNT; t++)
		rc = replay_table(db, t, &s, &rows, err);
	kd_db_rollback(db);
	for (size_t i = 0; i < s.cap; i++)
		json_decref(s.rows[i].row);
	free(s.rows);
	if (rc == KD_OK && err->count > before)
		rc = KD_ECONFLICT;
	if (rc == KD_OK)
		strbuf_addf(summary, "audit: %lld entries, chain intact; %lld rows match the log\n", entries, rows);
	return rc;
}
