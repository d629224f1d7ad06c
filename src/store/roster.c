/* roster.c: the roster (people and their party group), party groups and
 * mass organisations; see roster.h. */
#include "store/roster.h"
#include "store/lookup.h"
#include "store/tx.h"
#include "text/text.h"

#include <csv.h>

const char *const kd_roster_columns[KD_RC_COUNT] = {
#define KD_X(id, name) name,
	KD_ROSTER_COLUMNS(KD_X)
#undef KD_X
};

#define CODE_MAX 32     /* characters of a person's or a group's code */
#define CARD_MAX 32     /* of a party card number */
#define TEXT_MAX 200    /* of a name or a position */
#define EMAIL_MAX 254   /* RFC 5321's limit on a forward path */

/* ------------------------------------------------------------ text */

/* Offset of the first byte of s[0..len) that does not start a well-formed
 * UTF-8 character (len when there is none). */
static size_t utf8_bad_at(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
		if (!n || n > len - i || !kd_text_valid(s + i, n))
			return i;
		i += n;
	}
	return len;
}

static size_t utf8_chars(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

enum tidy { TIDY_OK, TIDY_UTF8, TIDY_CTRL, TIDY_LONG };

/* s[0..len) as stored: valid UTF-8, NFC, without leading or trailing
 * blanks, each run of blanks (space, tab, no-break space, which
 * spreadsheets paste into names) one space; into `out` (reset first). On
 * TIDY_UTF8, *bad is the offset of the bad byte. */
static enum tidy tidy(const char *s, size_t len, size_t max, struct strbuf *out, size_t *bad)
{
	strbuf_reset(out);
	if (!kd_text_valid(s, len)) {
		*bad = utf8_bad_at(s, len);
		return TIDY_UTF8;
	}
	struct strbuf nfc = STRBUF_INIT;
	if (kd_text_nfc(s, len, &nfc) != KD_OK) {
		strbuf_release(&nfc);
		*bad = 0;
		return TIDY_UTF8;
	}
	enum tidy r = TIDY_OK;
	bool blank = false;
	for (size_t i = 0; i < nfc.len; i++) {
		unsigned char c = (unsigned char)nfc.buf[i];
		bool nbsp = c == 0xC2 && i + 1 < nfc.len && (unsigned char)nfc.buf[i + 1] == 0xA0;
		if (c == ' ' || c == '\t' || nbsp) {
			blank = out->len > 0;
			i += nbsp;
			continue;
		}
		if (c < 0x20 || c == 0x7F)
			r = TIDY_CTRL;
		if (blank)
			strbuf_addch(out, ' ');
		blank = false;
		strbuf_addch(out, (char)c);
	}
	strbuf_release(&nfc);
	if (r == TIDY_OK && utf8_chars(out->buf, out->len) > max)
		r = TIDY_LONG;
	return r;
}

/* Append s[0..len) for a message: as it is when it is clean UTF-8,
 * otherwise with bytes outside printable ASCII as \xNN. */
static void add_shown(struct strbuf *sb, const char *s, size_t len)
{
	bool clean = kd_text_valid(s, len);
	for (size_t i = 0; i < len && clean; i++)
		clean = (unsigned char)s[i] >= 0x20 && s[i] != 0x7F;
	if (clean) {
		strbuf_add(sb, s, len);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7F)
			strbuf_addch(sb, (char)c);
		else
			strbuf_addf(sb, "\\x%02X", c);
	}
}

static bool ascii_ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
		char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
		if (x != y)
			return false;
	}
	return *a == *b;
}

/* 1, 0, or -1 when `s` (tidy) is none of 1/0, co/khong, có/không. */
static int parse_bool(const char *s)
{
	/* Fold the capitals Ó and Ô (C3 93, C3 94) that "CÓ"/"KHÔNG" use. */
	char f[16];
	size_t n = 0;
	for (; *s && n + 1 < sizeof(f); s++, n++) {
		char c = *s;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		else if (n && (unsigned char)f[n - 1] == 0xC3 && ((unsigned char)c == 0x93 || (unsigned char)c == 0x94))
			c = (char)((unsigned char)c + 0x20);
		f[n] = c;
	}
	if (*s)
		return -1;
	f[n] = 0;
	if (!strcmp(f, "1") || !strcmp(f, "co") || !strcmp(f, "c\xC3\xB3"))
		return 1;
	if (!*f || !strcmp(f, "0") || !strcmp(f, "khong") || !strcmp(f, "kh\xC3\xB4ng"))
		return 0;
	return -1;
}

static const char *const roles[][2] = {
	{ "bi_thu", "Bí thư" },
	{ "pho_bi_thu", "Phó Bí thư" },
	{ "chi_uy_vien", "Chi ủy viên" },
};

const char *kd_roster_role_title(const char *role)
{
	for (size_t i = 0; role && i < KD_ARRAY_LEN(roles); i++)
		if (!strcmp(role, roles[i][0]))
			return roles[i][1];
	return NULL;
}

bool kd_roster_code_valid(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > CODE_MAX)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '.' || *s == '-' || *s == '_'))
			return false;
	return true;
}

/* Digits s[*i..) up to `max` of them (at least one); -1 when none. */
static int take_digits(const char *s, size_t len, size_t *i, int max)
{
	int v = 0, k = 0;
	while (*i < len && k < max && s[*i] >= '0' && s[*i] <= '9')
		v = v * 10 + (s[(*i)++] - '0'), k++;
	return k ? v : -1;
}

bool kd_roster_date(const char *s, size_t len, struct kd_date *out)
{
	if (kd_date_parse(s, len, out))
		return true;
	size_t i = 0, mark;
	struct kd_date d;
	d.d = take_digits(s, len, &i, 2);
	if (d.d < 0 || i == len || s[i++] != '/')
		return false;
	d.m = take_digits(s, len, &i, 2);
	if (d.m < 0 || i == len || s[i++] != '/')
		return false;
	mark = i;
	d.y = take_digits(s, len, &i, 4);
	if (d.y < 0 || i != len || i - mark != 4 || !kd_date_valid(d))
		return false;
	*out = d;
	return true;
}

static const char *date_text(struct kd_date d, char buf[static 11])
{
	return d.y ? kd_date_iso(d, buf) : NULL;
}

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* ------------------------------------------------------------ reading people */

#define PERSON_SELECT \
	"SELECT p.id, p.code, p.full_name, p.family_name, p.middle_name, p.given_name, p.birth_date," \
	" p.admitted_on, p.official_on, p.card_no, p.email, p.party_position, p.work_position," \
	" p.civil_servant, p.upper_managed, p.group_id, g.code, p.committee_role, p.group_leader, p.active" \
	" FROM person p LEFT JOIN org g ON g.id = p.group_id"
#define VI_ORDER \
	" ORDER BY p.given_name COLLATE vi, p.middle_name COLLATE vi, p.family_name COLLATE vi, p.code"

static struct kd_date col_date(struct kd_stmt *st, int c)
{
	struct kd_date d = { 0, 0, 0 };
	const char *s = kd_stmt_col_text(st, c);
	if (s && !kd_date_parse(s, strlen(s), &d))
		d = (struct kd_date){ 0, 0, 0 };
	return d;
}

static void person_read(struct kd_stmt *st, struct kd_arena *a, struct kd_person *p)
{
	p->id = kd_stmt_col_int(st, 0);
	p->code = kd_stmt_col_dup(st, 1, a);
	p->full_name = kd_stmt_col_dup(st, 2, a);
	p->family_name = kd_stmt_col_dup(st, 3, a);
	p->middle_name = kd_stmt_col_dup(st, 4, a);
	p->given_name = kd_stmt_col_dup(st, 5, a);
	p->birth = col_date(st, 6);
	p->admitted = col_date(st, 7);
	p->official = col_date(st, 8);
	p->card_no = kd_stmt_col_dup(st, 9, a);
	p->email = kd_stmt_col_dup(st, 10, a);
	p->party_position = kd_stmt_col_dup(st, 11, a);
	p->work_position = kd_stmt_col_dup(st, 12, a);
	p->civil_servant = kd_stmt_col_int(st, 13) != 0;
	p->upper_managed = kd_stmt_col_int(st, 14) != 0;
	p->group_id = kd_stmt_col_int(st, 15);
	p->group = kd_stmt_col_dup(st, 16, a);
	p->committee_role = kd_stmt_col_dup(st, 17, a);
	p->group_leader = kd_stmt_col_int(st, 18) != 0;
	p->active = kd_stmt_col_int(st, 19) != 0;
	if (!p->family_name)
		p->family_name = "";
	if (!p->middle_name)
		p->middle_name = "";
	if (!p->given_name)
		p->given_name = "";
}

/* Every row of `st` (bound and ready) as people in `arena`. */
static int people_read(struct kd_stmt *st, struct kd_arena *arena, struct kd_person **out, size_t *n,
		       struct kd_err *err)
{
	struct kd_person *v = NULL;
	size_t len = 0, cap = 0;
	int rc;
	while ((rc = kd_stmt_step(st, err)) == 1) {
		if (len == cap) {
			cap = cap ? cap * 2 : 64;
			v = kd_xrealloc(v, kd_st_mult(cap, sizeof(*v)));
		}
		person_read(st, arena, &v[len++]);
	}
	*out = len ? kd_arena_alloc(arena, kd_st_mult(len, sizeof(*v))) : NULL;
	if (len)
		memcpy(*out, v, len * sizeof(*v));
	*n = len;
	free(v);
	return rc < 0 ? rc : KD_OK;
}

int kd_roster_list(struct kd_db *db, const char *group, struct kd_arena *arena, struct kd_person **out,
		   size_t *n, struct kd_err *err)
{
	struct kd_stmt *st;
	*out = NULL;
	*n = 0;
	int rc = kd_db_stmt(db, PERSON_SELECT " WHERE p.active = 1 AND (CAST($1 AS TEXT) IS NULL OR g.code = $1)" VI_ORDER,
			    &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_text(st, 1, group);
	return people_read(st, arena, out, n, err);
}

int kd_roster_get(struct kd_db *db, const char *code, struct kd_arena *arena, struct kd_person *out,
		  struct kd_err *err)
{
	struct kd_stmt *st;
	int rc = kd_db_stmt(db, PERSON_SELECT " WHERE p.code = $1", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_text(st, 1, code);
	rc = kd_stmt_step(st, err);
	if (rc < 0)
		return rc;
	if (!rc)
		return kd_err_add(err, KD_ENOTFOUND, "%s: no such person; expected a code listed by kiemdiem member list",
				  code);
	person_read(st, arena, out);
	kd_stmt_done(st);
	return KD_OK;
}

/* ------------------------------------------------------------ writing CSV */

static void csv_put(struct strbuf *out, const char *s)
{
	if (!s)
		return;
	size_t len = strlen(s);
	bool quote = strpbrk(s, ",;\"\r\n") || (len && (s[0] == ' ' || s[len - 1] == ' '));
	if (!quote) {
		strbuf_add(out, s, len);
		return;
	}
	strbuf_addch(out, '"');
	for (; *s; s++) {
		if (*s == '"')
			strbuf_addch(out, '"');
		strbuf_addch(out, *s);
	}
	strbuf_addch(out, '"');
}

int kd_roster_write_csv(struct kd_db *db, struct strbuf *out, struct kd_err *err)
{
	struct kd_arena arena = KD_ARENA_INIT;
	struct kd_person *v;
	size_t n;
	int rc = kd_roster_list(db, NULL, &arena, &v, &n, err);
	for (int c = 0; rc == KD_OK && c < KD_RC_COUNT; c++)
		strbuf_addf(out, "%s%s", c ? "," : "", kd_roster_columns[c]);
	if (rc == KD_OK)
		strbuf_addch(out, '\n');
	for (size_t i = 0; rc == KD_OK && i < n; i++) {
		const struct kd_person *p = &v[i];
		char b1[11], b2[11], b3[11];
		const char *f[KD_RC_COUNT] = {
			[KD_RC_CODE] = p->code,
			[KD_RC_NAME] = p->full_name,
			[KD_RC_BIRTH] = date_text(p->birth, b1),
			[KD_RC_ADMITTED] = date_text(p->admitted, b2),
			[KD_RC_OFFICIAL] = date_text(p->official, b3),
			[KD_RC_CARD] = p->card_no,
			[KD_RC_GROUP] = p->group,
			[KD_RC_PARTY_POS] = p->party_position,
			[KD_RC_WORK_POS] = p->work_position,
			[KD_RC_CIVIL] = p->civil_servant ? "1" : "0",
			[KD_RC_UPPER] = p->upper_managed ? "1" : "0",
			[KD_RC_COMMITTEE] = p->committee_role,
			[KD_RC_LEADER] = p->group_leader ? "1" : "0",
			[KD_RC_EMAIL] = p->email,
		};
		for (int c = 0; c < KD_RC_COUNT; c++) {
			if (c)
				strbuf_addch(out, ',');
			csv_put(out, f[c]);
		}
		strbuf_addch(out, '\n');
	}
	kd_arena_release(&arena);
	return rc;
}

/* ------------------------------------------------------------ reading CSV */

struct csv_field {
	const char *s;
	size_t len;
};

struct csv_state {
	const char *source;
	struct kd_arena *arena;
	struct kd_err *err;
	long line;                      /* the physical line being parsed */
	long rec_line;                  /* where the current record started */
	struct csv_field *f;            /* the current record's fields */
	size_t nf, capf;
	bool header_done, header_ok;
	int *map;                       /* header position -> column, -1: unknown */
	size_t ncols;
	struct kd_roster_row *rows;
	size_t n, cap;
};

static void on_field(void *s, size_t len, void *data)
{
	struct csv_state *p = data;
	const char *text = s ? s : "";
	if (p->nf == 0) {
		/* The record started as many lines back as its first field
		 * (quoted) spans line breaks: we feed the parser line by line. */
		long breaks = 0;
		for (size_t i = 0; i < len; i++)
			breaks += text[i] == '\n';
		p->rec_line = p->line - breaks;
	}
	if (p->nf == p->capf) {
		p->capf = p->capf ? p->capf * 2 : 32;
		p->f = kd_xrealloc(p->f, kd_st_mult(p->capf, sizeof(*p->f)));
	}
	p->f[p->nf++] = (struct csv_field){ kd_arena_strndup(p->arena, text, len), len };
}

static void header(struct csv_state *p)
{
	p->header_done = true;
	if (p->rec_line != 1) {
		kd_err_add(p->err, KD_EINPUT, "%s:1: empty; expected the header line with the column names (ma,ho_ten,...)",
			   p->source);
		return;
	}
	struct strbuf all = STRBUF_INIT, shown = STRBUF_INIT;
	for (int c = 0; c < KD_RC_COUNT; c++)
		strbuf_addf(&all, "%s%s", c ? ", " : "", kd_roster_columns[c]);
	bool seen[KD_RC_COUNT] = { false };
	bool ok = true;
	p->ncols = p->nf;
	p->map = kd_arena_calloc(p->arena, p->nf, sizeof(*p->map));
	for (size_t i = 0; i < p->nf; i++) {
		const char *s = p->f[i].s;
		size_t len = p->f[i].len;
		while (len && (*s == ' ' || *s == '\t'))
			s++, len--;
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
			len--;
		strbuf_reset(&shown);
		add_shown(&shown, s, len);
		int col = -1;
		for (int c = 0; c < KD_RC_COUNT && col < 0; c++)
			if (strlen(kd_roster_columns[c]) == len && !memchr(s, 0, len)) {
				char name[64];
				memcpy(name, s, len);
				name[len] = 0;
				if (ascii_ieq(name, kd_roster_columns[c]))
					col = c;
			}
		p->map[i] = col;
		if (col < 0) {
			ok = false;
			kd_err_add(p->err, KD_EINPUT, "%s:1: column %zu: \"%s\" is not a roster column; expected one of %s",
				   p->source, i + 1, shown.buf, all.buf);
		} else if (seen[col]) {
			ok = false;
			kd_err_add(p->err, KD_EINPUT, "%s:1: column %zu: \"%s\" appears twice; expected each column once",
				   p->source, i + 1, shown.buf);
		}
		if (col >= 0)
			seen[col] = true;
	}
	static const int required[] = { KD_RC_CODE, KD_RC_NAME };
	for (size_t k = 0; k < KD_ARRAY_LEN(required); k++)
		if (!seen[required[k]]) {
			ok = false;
			kd_err_add(p->err, KD_EINPUT, "%s:1: missing column %s; expected the columns ma and ho_ten in the header",
				   p->source, kd_roster_columns[required[k]]);
		}
	p->header_ok = ok;
	strbuf_release(&all);
	strbuf_release(&shown);
}

static void record(struct csv_state *p)
{
	if (!p->header_ok)
		return;
	bool empty = true;
	for (size_t i = 0; i < p->nf && empty; i++)
		for (size_t k = 0; k < p->f[i].len && empty; k++)
			empty = p->f[i].s[k] == ' ' || p->f[i].s[k] == '\t' || p->f[i].s[k] == '\r';
	if (empty)
		return;
	if (p->nf != p->ncols) {
		kd_err_add(p->err, KD_EINPUT, "%s:%ld: %zu fields; expected %zu, as in the header (line 1)",
			   p->source, p->rec_line, p->nf, p->ncols);
		return;
	}
	struct kd_roster_row r;
	memset(&r, 0, sizeof(r));
	r.line = p->rec_line;
	bool ok = true;
	for (size_t i = 0; i < p->nf; i++) {
		if (memchr(p->f[i].s, 0, p->f[i].len)) {
			kd_err_add(p->err, KD_EINPUT, "%s:%ld: %s: contains a NUL byte; expected UTF-8 text",
				   p->source, p->rec_line, kd_roster_columns[p->map[i]]);
			ok = false;
		}
		r.field[p->map[i]] = p->f[i].s;
	}
	if (!ok)
		return;
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->rows = kd_xrealloc(p->rows, kd_st_mult(p->cap, sizeof(*p->rows)));
	}
	p->rows[p->n++] = r;
}

static void on_record(int c, void *data)
{
	struct csv_state *p = data;
	(void)c;
	if (!p->nf)
		return;
	if (!p->header_done)
		header(p);
	else
		record(p);
	p->nf = 0;
}

/* ';' when the header line has more of them than ',' (outside quotes). */
static unsigned char detect_delimiter(const char *s, size_t len)
{
	size_t commas = 0, semis = 0;
	bool quoted = false;
	for (size_t i = 0; i < len && s[i] != '\n'; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted)
			commas += s[i] == ',', semis += s[i] == ';';
	}
	return semis > commas ? ';' : ',';
}

int kd_roster_parse_csv(const char *data, size_t len, const char *source, struct kd_arena *arena,
			struct kd_roster_row **rows, size_t *n, struct kd_err *err)
{
	size_t before = err->count;
	*rows = NULL;
	*n = 0;
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		data += 3, len -= 3;
	struct csv_parser cp;
	if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI) != 0)
		KD_BUG("csv_init failed");
	csv_set_delim(&cp, detect_delimiter(data, len));
	struct csv_state p;
	memset(&p, 0, sizeof(p));
	p.source = source;
	p.arena = arena;
	p.err = err;
	bool broken = false;
	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - data) + 1 : len;
		p.line++;
		if (csv_parse(&cp, data + pos, end - pos, on_field, on_record, &p) != end - pos) {
			kd_err_add(err, KD_EINPUT, "%s:%ld: a double quote inside an unquoted field or after a quoted one;"
				   " expected a field either without quotes or wholly in \"...\" with inner quotes doubled",
				   source, p.line);
			broken = true;
			break;
		}
		pos = end;
	}
	if (!broken && csv_fini(&cp, on_field, on_record, &p) != 0)
		kd_err_add(err, KD_EINPUT, "%s:%ld: the file ends inside a quoted field; expected a closing \"",
			   source, p.line);
	csv_free(&cp);
	free(p.f);
	if (!p.header_done)
		kd_err_add(err, KD_EINPUT, "%s:1: the file is empty; expected the header line with the column names (ma,ho_ten,...)",
			   source);
	if (p.header_ok && p.n) {
		*rows = kd_arena_alloc(arena, kd_st_mult(p.n, sizeof(**rows)));
		memcpy(*rows, p.rows, p.n * sizeof(**rows));
		*n = p.n;
	}
	free(p.rows);
	return err->count > before ? KD_EINPUT : KD_OK;
}

/* ------------------------------------------------------------ applying a change */

struct prow {
	const struct kd_roster_row *src;
	const struct kd_person *old;    /* the person before; NULL: new */
	struct kd_person p;             /* the person after */
	bool bad;                       /* a problem in this row: it is not checked further */
};

/* A problem found, held until every row is checked so that they are
 * reported in line order. */
struct problem {
	long line;
	size_t seq;
	int code;
	const char *text;
};

struct ctx {
	const struct kd_roster_change *ch;
	struct kd_arena *arena;
	struct kd_err *err;
	int first;                      /* the code of the first problem */
	struct strbuf tmp;
	const struct kd_group *groups;
	size_t ngroups;
	struct problem *problems;
	size_t nproblems, cap;
};

static const char *colname(const struct ctx *c, int col)
{
	return c->ch->names ? c->ch->names[col] : kd_roster_columns[col];
}

/* One problem line: "SOURCE[:LINE]: [COLUMN: ]message". */
KD_PRINTF(5, 6) static void problem(struct ctx *c, const struct kd_roster_row *r, int col, int code,
				    const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, c->ch->source);
	if (r && r->line > 0)
		strbuf_addf(&sb, ":%ld", r->line);
	strbuf_addstr(&sb, ": ");
	if (col >= 0)
		strbuf_addf(&sb, "%s: ", colname(c, col));
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	if (c->nproblems == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->problems = kd_xrealloc(c->problems, kd_st_mult(c->cap, sizeof(*c->problems)));
	}
	c->problems[c->nproblems] = (struct problem){ r ? r->line : 0, c->nproblems,
						      code, kd_arena_strndup(c->arena, sb.buf, sb.len) };
	c->nproblems++;
	strbuf_release(&sb);
	if (c->first == KD_OK)
		c->first = code;
}

static int problem_order(const void *x, const void *y)
{
	const struct problem *a = x, *b = y;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Move the problems, in line order, to c->err. */
static void report(struct ctx *c)
{
	if (c->nproblems)
		qsort(c->problems, c->nproblems, sizeof(*c->problems), problem_order);
	for (size_t i = 0; i < c->nproblems; i++)
		kd_err_add(c->err, c->problems[i].code, "%s", c->problems[i].text);
	free(c->problems);
	c->problems = NULL;
	c->nproblems = c->cap = 0;
}

/* Field `col` of `r` as stored (in the arena; "" when empty), or NULL
 * after reporting why it cannot be. */
static const char *field_text(struct ctx *c, const struct kd_roster_row *r, int col, size_t max)
{
	const char *raw = r->field[col];
	size_t bad = 0;
	switch (tidy(raw, strlen(raw), max, &c->tmp, &bad)) {
	case TIDY_OK:
		return kd_arena_strndup(c->arena, c->tmp.buf, c->tmp.len);
	case TIDY_UTF8:
		problem(c, r, col, KD_EINPUT, "not valid UTF-8 (byte 0x%02X at byte %zu); expected UTF-8 text",
			(unsigned char)raw[bad], bad + 1);
		return NULL;
	case TIDY_CTRL:
		problem(c, r, col, KD_EINPUT, "contains a line break or a control character; expected one line of text");
		return NULL;
	case TIDY_LONG:
		problem(c, r, col, KD_EINPUT, "longer than %zu characters; expected at most %zu", max, max);
		return NULL;
	}
	KD_BUG("tidy: bad result");
}

static void set_date(struct ctx *c, const struct kd_roster_row *r, int col, struct kd_date *d)
{
	const char *s = field_text(c, r, col, 32);
	struct kd_date v = { 0, 0, 0 };
	if (!s)
		return;
	if (*s && !kd_roster_date(s, strlen(s), &v)) {
		problem(c, r, col, KD_EINPUT, "\"%s\" is not a date; expected YYYY-MM-DD or DD/MM/YYYY", s);
		return;
	}
	if (*s && (v.y < 1900 || v.y > 2100)) {
		problem(c, r, col, KD_EINPUT, "\"%s\" is out of range; expected a year from 1900 to 2100", s);
		return;
	}
	*d = v;
}

static void set_bool(struct ctx *c, const struct kd_roster_row *r, int col, bool *b)
{
	const char *s = field_text(c, r, col, 16);
	if (!s)
		return;
	int v = parse_bool(s);
	if (v < 0)
		problem(c, r, col, KD_EINPUT, "\"%s\" is not yes or no; expected 1 or 0 (co or khong; empty is 0)", s);
	else
		*b = v;
}

/* An optional text: NULL when empty. */
static void set_text(struct ctx *c, const struct kd_roster_row *r, int col, size_t max, const char **out)
{
	const char *s = field_text(c, r, col, max);
	if (s)
		*out = *s ? s : NULL;
}

static bool email_valid(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@') || strchr(s, ' '))
		return false;
	const char *dot = strrchr(at + 1, '.');
	return dot && dot > at + 1 && dot[1];
}

static void set_name(struct ctx *c, const struct kd_roster_row *r, struct kd_person *p)
{
	const char *s = field_text(c, r, KD_RC_NAME, TEXT_MAX);
	if (!s)
		return;
	if (!*s) {
		problem(c, r, KD_RC_NAME, KD_EINPUT, "empty; expected the full name (họ và tên)");
		return;
	}
	struct strbuf fam = STRBUF_INIT, mid = STRBUF_INIT, giv = STRBUF_INIT;
	kd_name_split(s, &fam, &mid, &giv);
	p->full_name = s;
	p->family_name = kd_arena_strndup(c->arena, fam.buf, fam.len);
	p->middle_name = kd_arena_strndup(c->arena, mid.buf, mid.len);
	p->given_name = kd_arena_strndup(c->arena, giv.buf, giv.len);
	strbuf_release(&fam);
	strbuf_release(&mid);
	strbuf_release(&giv);
}

static void set_group(struct ctx *c, const struct kd_roster_row *r, struct kd_person *p)
{
	const char *s = field_text(c, r, KD_RC_GROUP, CODE_MAX);
	if (!s)
		return;
	if (!*s) {
		p->group_id = 0;
		p->group = NULL;
		return;
	}
	for (size_t i = 0; i < c->ngroups; i++)
		if (!strcmp(c->groups[i].code, s)) {
			p->group_id = c->groups[i].id;
			p->group = c->groups[i].code;
			return;
		}
	struct strbuf known = STRBUF_INIT;
	for (size_t i = 0; i < c->ngroups; i++)
		strbuf_addf(&known, "%s%s", i ? ", " : "", c->groups[i].code);
	if (c->ngroups)
		problem(c, r, KD_RC_GROUP, KD_EINPUT, "\"%s\" is not a party group; expected one of %s (kiemdiem group list)",
			s, known.buf);
	else
		problem(c, r, KD_RC_GROUP, KD_EINPUT, "\"%s\" is not a party group; expected a group made by kiemdiem group add",
			s);
	strbuf_release(&known);
}

static void set_role(struct ctx *c, const struct kd_roster_row *r, struct kd_person *p)
{
	const char *s = field_text(c, r, KD_RC_COMMITTEE, 16);
	if (!s)
		return;
	if (!*s) {
		p->committee_role = NULL;
		return;
	}
	for (size_t i = 0; i < KD_ARRAY_LEN(roles); i++)
		if (ascii_ieq(s, roles[i][0])) {
			p->committee_role = roles[i][0];
			return;
		}
	problem(c, r, KD_RC_COMMITTEE, KD_EINPUT, "\"%s\" is not a committee role; expected bi_thu, pho_bi_thu, chi_uy_vien or empty", s);
}

/* Row pr->src over pr->old (or a blank person) into pr->p. */
static void convert(struct ctx *c, struct prow *pr, bool check_name)
{
	const struct kd_roster_row *r = pr->src;
	struct kd_person *p = &pr->p;
	size_t before = c->nproblems;
	if (pr->old) {
		*p = *pr->old;
	} else {
		memset(p, 0, sizeof(*p));
		p->family_name = p->middle_name = p->given_name = "";
	}
	/* Whoever an import or `member add` names is in the cell; `member
	 * set` leaves that alone. */
	if (c->ch->mode != KD_ROSTER_UPDATE)
		p->active = true;
	for (int col = 0; col < KD_RC_COUNT; col++) {
		if (!r->field[col])
			continue;
		switch ((enum kd_roster_col)col) {
		case KD_RC_CODE:
			break;
		case KD_RC_NAME:
			set_name(c, r, p);
			break;
		case KD_RC_BIRTH:
			set_date(c, r, col, &p->birth);
			break;
		case KD_RC_ADMITTED:
			set_date(c, r, col, &p->admitted);
			break;
		case KD_RC_OFFICIAL:
			set_date(c, r, col, &p->official);
			break;
		case KD_RC_CARD:
			set_text(c, r, col, CARD_MAX, &p->card_no);
			break;
		case KD_RC_GROUP:
			set_group(c, r, p);
			break;
		case KD_RC_PARTY_POS:
			set_text(c, r, col, TEXT_MAX, &p->party_position);
			break;
		case KD_RC_WORK_POS:
			set_text(c, r, col, TEXT_MAX, &p->work_position);
			break;
		case KD_RC_CIVIL:
			set_bool(c, r, col, &p->civil_servant);
			break;
		case KD_RC_UPPER:
			set_bool(c, r, col, &p->upper_managed);
			break;
		case KD_RC_COMMITTEE:
			set_role(c, r, p);
			break;
		case KD_RC_LEADER:
			set_bool(c, r, col, &p->group_leader);
			break;
		case KD_RC_EMAIL: {
			const char *e = field_text(c, r, col, EMAIL_MAX);
			if (e && *e && !email_valid(e))
				problem(c, r, col, KD_EINPUT, "\"%s\" is not an e-mail address; expected name@domain", e);
			else if (e)
				p->email = *e ? e : NULL;
			break;
		}
		case KD_RC_COUNT:
			break;
		}
	}
	if (check_name && !pr->old && !r->field[KD_RC_NAME])
		problem(c, r, KD_RC_NAME, KD_EINPUT, "missing; expected the full name of a new member");
	/* Relations between fields, once each field is right. */
	if (c->nproblems == before) {
		char a[11], b[11];
		if (p->birth.y && p->admitted.y && kd_date_cmp(p->admitted, p->birth) <= 0)
			problem(c, r, KD_RC_ADMITTED, KD_EINPUT, "%s is not after the birth date %s; expected a later date",
				kd_date_iso(p->admitted, a), kd_date_iso(p->birth, b));
		if (p->admitted.y && p->official.y && kd_date_cmp(p->official, p->admitted) < 0)
			problem(c, r, KD_RC_OFFICIAL, KD_EINPUT, "%s is before the admission date %s; expected the same or a later date",
				kd_date_iso(p->official, a), kd_date_iso(p->admitted, b));
		if (p->group_leader && !p->group_id)
			problem(c, r, KD_RC_LEADER, KD_EINPUT, "a group leader in no party group; expected %s to name the group",
				colname(c, KD_RC_GROUP));
	}
	pr->bad = c->nproblems > before;
}

static bool person_equal(const struct kd_person *a, const struct kd_person *b)
{
	return str_eq(a->code, b->code) && str_eq(a->full_name, b->full_name) &&
	       str_eq(a->family_name, b->family_name) && str_eq(a->middle_name, b->middle_name) &&
	       str_eq(a->given_name, b->given_name) && !kd_date_cmp(a->birth, b->birth) &&
	       !kd_date_cmp(a->admitted, b->admitted) && !kd_date_cmp(a->official, b->official) &&
	       str_eq(a->card_no, b->card_no) && str_eq(a->email, b->email) &&
	       str_eq(a->party_position, b->party_position) && str_eq(a->work_position, b->work_position) &&
	       a->civil_servant == b->civil_servant && a->upper_managed == b->upper_managed &&
	       a->group_id == b->group_id && str_eq(a->committee_role, b->committee_role) &&
	       a->group_leader == b->group_leader && a->active == b->active;
}

static int by_code(const void *x, const void *y)
{
	return strcmp(((const struct kd_person *)x)->code, ((const struct kd_person *)y)->code);
}

/* ---- the state the change would leave, for the checks across people */

struct fin {
	const struct kd_person *p;
	const struct kd_roster_row *row;        /* NULL: a person the change leaves alone */
	size_t idx;                             /* with row: its index in the change */
	const char *key;                        /* what is compared */
	long long group;
};

static int fin_order(const struct fin *a, const struct fin *b)
{
	/* People already stored come first: they hold what a row asks for. */
	if ((a->row != NULL) != (b->row != NULL))
		return a->row ? 1 : -1;
	if (a->row && a->row->line != b->row->line)
		return a->row->line < b->row->line ? -1 : 1;
	return 0;
}

static int by_key(const void *x, const void *y)
{
	const struct fin *a = x, *b = y;
	int k = strcmp(a->key, b->key);
	return k ? k : fin_order(a, b);
}

static int by_group(const void *x, const void *y)
{
	const struct fin *a = x, *b = y;
	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	return fin_order(a, b);
}

static int by_line(const void *x, const void *y)
{
	return fin_order(x, y);
}

/* "dv01 (Full Name, line 2)": who holds something, and where the change
 * gives it to them (nothing when they hold it already). */
static const char *who(const struct fin *f, struct strbuf *sb)
{
	strbuf_reset(sb);
	strbuf_addf(sb, "%s (%s", f->p->code, f->p->full_name);
	if (f->row && f->row->line > 0)
		strbuf_addf(sb, ", line %ld", f->row->line);
	strbuf_addch(sb, ')');
	return sb->buf;
}

/* Codes given twice, and card numbers, the secretary and group leaders
 * held twice, in the state the change would leave. */
static void check_across(struct ctx *c, struct prow *rows, size_t n, const struct kd_person *db_people,
			 size_t ndb, const bool *replaced)
{
	struct fin *f = kd_xcalloc(n + ndb + 1, sizeof(*f));
	size_t k = 0;
	struct strbuf buf = STRBUF_INIT;

	/* The same code on two rows. */
	for (size_t i = 0; i < n; i++)
		if (rows[i].p.code)
			f[k++] = (struct fin){ &rows[i].p, rows[i].src, i, rows[i].p.code, 0 };
	qsort(f, k, sizeof(*f), by_key);
	for (size_t i = 1, first = 0; i < k; i++) {
		if (strcmp(f[i].key, f[first].key)) {
			first = i;
			continue;
		}
		if (f[first].row->line)
			problem(c, f[i].row, KD_RC_CODE, KD_EINPUT, "\"%s\" repeats line %ld; expected each code once",
				f[i].key, f[first].row->line);
		else
			problem(c, f[i].row, KD_RC_CODE, KD_EINPUT, "\"%s\" repeats an earlier row; expected each code once",
				f[i].key);
		rows[f[i].idx].bad = true;
	}

	/* Everyone after the change. */
	struct fin *all = kd_xcalloc(n + ndb + 1, sizeof(*all));
	size_t na = 0;
	for (size_t i = 0; i < ndb; i++)
		if (!replaced[i])
			all[na++] = (struct fin){ &db_people[i], NULL, 0, NULL, 0 };
	for (size_t i = 0; i < n; i++)
		if (!rows[i].bad && rows[i].p.code)
			all[na++] = (struct fin){ &rows[i].p, rows[i].src, i, NULL, 0 };

	/* Card numbers: the column is UNIQUE. */
	k = 0;
	for (size_t i = 0; i < na; i++)
		if (all[i].p->card_no) {
			f[k] = all[i];
			f[k++].key = all[i].p->card_no;
		}
	qsort(f, k, sizeof(*f), by_key);
	for (size_t i = 1, first = 0; i < k; i++) {
		if (strcmp(f[i].key, f[first].key)) {
			first = i;
			continue;
		}
		if (!f[i].row)
			continue;
		if (f[first].row)
			problem(c, f[i].row, KD_RC_CARD, KD_EINPUT, "\"%s\" is also the card of %s; expected each card"
				" number once", f[i].key, who(&f[first], &buf));
		else
			problem(c, f[i].row, KD_RC_CARD, KD_EINPUT, "\"%s\" is already the card of %s; expected a card"
				" number not in use", f[i].key, who(&f[first], &buf));
	}

	/* One secretary (bí thư) per cell. */
	k = 0;
	for (size_t i = 0; i < na; i++)
		if (all[i].p->active && str_eq(all[i].p->committee_role, "bi_thu"))
			f[k++] = all[i];
	qsort(f, k, sizeof(*f), by_line);
	for (size_t i = 1; i < k; i++)
		if (f[i].row)
			problem(c, f[i].row, KD_RC_COMMITTEE, KD_EINPUT, "bi_thu, but so is %s; expected one bi_thu"
				" per cell", who(&f[0], &buf));

	/* One leader (tổ trưởng) per party group. */
	k = 0;
	for (size_t i = 0; i < na; i++)
		if (all[i].p->active && all[i].p->group_leader && all[i].p->group_id) {
			f[k] = all[i];
			f[k++].group = all[i].p->group_id;
		}
	qsort(f, k, sizeof(*f), by_group);
	for (size_t i = 1, first = 0; i < k; i++) {
		if (f[i].group != f[first].group) {
			first = i;
			continue;
		}
		if (f[i].row)
			problem(c, f[i].row, KD_RC_LEADER, KD_EINPUT, "leader of %s, but so is %s; expected one"
				" leader per group", f[i].p->group, who(&f[first], &buf));
	}
	strbuf_release(&buf);
	free(f);
	free(all);
}

/* A committee member in charge of a party group (group supervise) must
 * stay on the committee: hand the group to someone else first. */
static int check_supervisors(struct ctx *c, struct kd_db *db, const struct prow *rows, size_t n)
{
	struct kd_stmt *st;
	int rc = kd_db_stmt(db, "SELECT person_id, group_concat(code, ', ') FROM (SELECT s.person_id, g.code"
			    " FROM group_supervisor s JOIN org g ON g.id = s.group_id ORDER BY g.position, g.code) AS sg"
			    " GROUP BY person_id", &st, c->err);
	while (rc == KD_OK && (rc = kd_stmt_step(st, c->err)) == 1) {
		rc = KD_OK;
		long long id = kd_stmt_col_int(st, 0);
		for (size_t i = 0; i < n; i++) {
			const struct prow *pr = &rows[i];
			if (pr->bad || !pr->old || pr->old->id != id || (pr->p.committee_role && pr->p.active))
				continue;
			problem(c, pr->src, KD_RC_COMMITTEE, KD_EINPUT, "empty, but %s is in charge of party group %s;"
				" expected a committee role (or first kiemdiem group supervise GROUP ANOTHER_MEMBER)",
				pr->p.code, kd_stmt_col_text(st, 1));
		}
	}
	return rc < 0 ? rc : KD_OK;
}

/* ---- writing */

/* Crash injection for the tests: with KIEMDIEM_FAULT_AFTER_ROWS=N the
 * import aborts the process right after writing its N-th row, before the
 * commit, so a test can prove that a crash in the middle of an import
 * leaves no row of it behind and the audit chain intact. 0: off. */
static long fault_after_rows(void)
{
	const char *s = getenv("KIEMDIEM_FAULT_AFTER_ROWS");
	if (!s || !*s)
		return 0;
	char *end;
	long v = strtol(s, &end, 10);
	return *end || v < 0 ? 0 : v;
}

/* An existing person's new values (the row was touched first). */
static int update_person(struct kd_tx *tx, const struct prow *pr, struct kd_err *err)
{
	const struct kd_person *p = &pr->p;
	char b1[11], b2[11], b3[11];
	int rc = kd_tx_touch(tx, KD_T_person, pr->old->id);
	if (rc == KD_OK)
		rc = kd_db_run(tx->db, err, NULL,
			       "UPDATE person SET full_name = $2, family_name = $3, middle_name = $4, given_name = $5,"
			       " birth_date = $6, admitted_on = $7, official_on = $8, card_no = $9, email = $10,"
			       " party_position = $11, work_position = $12, civil_servant = $13, upper_managed = $14,"
			       " group_id = $15, committee_role = $16, group_leader = $17, active = $18 WHERE id = $1",
			       "i" "ttttttttttt" "ii" "I" "t" "ii",
			       pr->old->id, p->full_name, p->family_name, p->middle_name, p->given_name,
			       date_text(p->birth, b1), date_text(p->admitted, b2), date_text(p->official, b3),
			       p->card_no, p->email, p->party_position, p->work_position,
			       (long long)p->civil_servant, (long long)p->upper_managed, p->group_id,
			       p->committee_role, (long long)p->group_leader, (long long)p->active);
	return rc;
}

static const char *const person_columns[] = {
	"id", "code", "full_name", "family_name", "middle_name", "given_name", "birth_date", "admitted_on",
	"official_on", "card_no", "email", "party_position", "work_position", "civil_servant", "upper_managed",
	"cell_id", "group_id", "committee_role", "group_leader", "active", NULL
};

/* One new person as a bulk-insert row with id `id`. */
static int copy_person(struct kd_db *db, long long id, long long cell, const struct kd_person *p, struct kd_err *err)
{
	char b1[11], b2[11], b3[11], sid[24], scell[24], sgroup[24];
	snprintf(sid, sizeof(sid), "%lld", id);
	snprintf(scell, sizeof(scell), "%lld", cell);
	snprintf(sgroup, sizeof(sgroup), "%lld", p->group_id);
	const char *values[] = {
		sid, p->code, p->full_name, p->family_name, p->middle_name, p->given_name,
		date_text(p->birth, b1), date_text(p->admitted, b2), date_text(p->official, b3),
		p->card_no, p->email, p->party_position, p->work_position,
		p->civil_servant ? "1" : "0", p->upper_managed ? "1" : "0", scell, p->group_id ? sgroup : NULL,
		p->committee_role, p->group_leader ? "1" : "0", p->active ? "1" : "0",
	};
	return kd_db_copy_row(db, values, err);
}

static int write_all(struct kd_tx *tx, long long cell, struct prow *rows, size_t n,
		     struct kd_roster_counts *counts, struct kd_err *err)
{
	int rc = KD_OK;
	/* A card that moves from one person to another would break the
	 * UNIQUE constraint half-way; free every card that changes hands
	 * first (only the final state is audited). */
	for (size_t i = 0; rc == KD_OK && i < n; i++) {
		const struct prow *pr = &rows[i];
		if (pr->old && pr->old->card_no && !str_eq(pr->old->card_no, pr->p.card_no)) {
			rc = kd_tx_touch(tx, KD_T_person, pr->old->id);
			if (rc == KD_OK)
				rc = kd_db_run(tx->db, err, NULL, "UPDATE person SET card_no = NULL WHERE id = $1", "i",
					       pr->old->id);
		}
	}
	long fault = fault_after_rows();
	long written = 0;
	size_t added = 0;
	/* People already stored, one UPDATE each; then the new ones. */
	for (size_t i = 0; rc == KD_OK && i < n; i++) {
		const struct prow *pr = &rows[i];
		if (!pr->old) {
			added++;
			continue;
		}
		if (person_equal(pr->old, &pr->p)) {
			counts->unchanged++;
			continue;
		}
		rc = update_person(tx, pr, err);
		if (rc != KD_OK)
			break;
		counts->updated++;
		if (++written == fault && fault > 0)
			abort();
	}
	if (rc != KD_OK || !added)
		return rc;
	/* New people go in as one bulk insert (COPY on PostgreSQL) with ids
	 * taken as a block first, so the audit knows them: one record for
	 * the lot (tx.h), their after-images read back at commit. */
	long long first = 0, id;
	rc = kd_db_reserve_ids(tx->db, "person", (long long)added, &first, err);
	if (rc == KD_OK)
		rc = kd_db_copy_begin(tx->db, "person", person_columns, err);
	id = first;
	for (size_t i = 0; rc == KD_OK && i < n; i++) {
		const struct prow *pr = &rows[i];
		if (pr->old)
			continue;
		rc = copy_person(tx->db, id++, cell, &pr->p, err);
		if (rc != KD_OK)
			break;
		counts->added++;
		if (++written == fault && fault > 0)
			abort();
	}
	if (rc == KD_OK)
		rc = kd_db_copy_end(tx->db, err);
	for (long long k = first; rc == KD_OK && k < id; k++)
		kd_tx_touch_new(tx, KD_T_person, k);
	return rc;
}

int kd_roster_apply(struct kd_db *db, const struct kd_roster_change *ch, const char *actor, const char *action,
		    struct kd_roster_counts *counts, struct kd_err *err)
{
	struct kd_arena arena = KD_ARENA_INIT;
	struct ctx c = { ch, &arena, err, KD_OK, STRBUF_INIT, NULL, 0, NULL, 0, 0 };
	struct kd_tx tx;
	struct kd_person *people = NULL;
	size_t npeople = 0;
	struct kd_group *groups = NULL;
	long long cell = 0;
	*counts = (struct kd_roster_counts){ 0, 0, 0 };

	int rc = kd_tx_begin(&tx, db, actor, action, err);
	if (rc != KD_OK)
		return rc;
	rc = kd_lookup_cell(db, &cell, err);
	if (rc == KD_OK)
		rc = kd_group_list(db, &arena, &groups, &c.ngroups, err);
	c.groups = groups;
	if (rc == KD_OK) {
		struct kd_stmt *st;
		rc = kd_db_stmt(db, PERSON_SELECT, &st, err);
		if (rc == KD_OK)
			rc = people_read(st, &arena, &people, &npeople, err);
		if (npeople)
			qsort(people, npeople, sizeof(*people), by_code);
	}
	struct prow *rows = kd_xcalloc(ch->n + 1, sizeof(*rows));
	bool *replaced = kd_xcalloc(npeople + 1, sizeof(*replaced));
	for (size_t i = 0; rc == KD_OK && i < ch->n; i++) {
		struct prow *pr = &rows[i];
		const struct kd_roster_row *r = &ch->rows[i];
		size_t before = c.nproblems;
		pr->src = r;
		const char *code = r->field[KD_RC_CODE] ? field_text(&c, r, KD_RC_CODE, CODE_MAX) : "";
		bool code_ok = code && *code && kd_roster_code_valid(code);
		if (code && !*code)
			problem(&c, r, KD_RC_CODE, KD_EINPUT, "empty; expected the person's code (e.g. dv07)");
		else if (code && !code_ok)
			problem(&c, r, KD_RC_CODE, KD_EINPUT,
				"\"%s\" is not a code; expected 1 to 32 letters, digits, '.', '-' or '_' (e.g. dv07)", code);
		if (code_ok) {
			struct kd_person key = { .code = code };
			pr->old = npeople ? bsearch(&key, people, npeople, sizeof(*people), by_code) : NULL;
			if (pr->old)
				replaced[pr->old - people] = true;
			if (ch->mode == KD_ROSTER_ADD && pr->old) {
				problem(&c, r, KD_RC_CODE, KD_ECONFLICT, "\"%s\" is already %s; expected a new code"
					" (kiemdiem member set changes a member)", code, pr->old->full_name);
				code_ok = false;
			} else if (ch->mode == KD_ROSTER_UPDATE && !pr->old) {
				problem(&c, r, KD_RC_CODE, KD_ENOTFOUND, "\"%s\": no such person; expected a code listed by"
					" kiemdiem member list", code);
				pr->bad = true;
				continue;
			}
		}
		convert(&c, pr, code_ok);
		pr->p.code = code_ok ? code : NULL;
		pr->bad = c.nproblems > before;
	}
	if (rc == KD_OK)
		rc = check_supervisors(&c, db, rows, ch->n);
	if (rc == KD_OK)
		check_across(&c, rows, ch->n, people, npeople, replaced);
	report(&c);
	if (rc == KD_OK && c.first != KD_OK)
		rc = c.first;
	if (rc == KD_OK)
		rc = write_all(&tx, cell, rows, ch->n, counts, err);
	if (rc == KD_OK && !ch->dry_run)
		rc = kd_tx_commit(&tx);
	else
		kd_tx_abort(&tx);
	free(rows);
	free(replaced);
	strbuf_release(&c.tmp);
	kd_arena_release(&arena);
	return rc;
}

/* ------------------------------------------------------------ groups */

static int commit_or_abort(struct kd_tx *tx, int rc)
{
	if (rc == KD_OK)
		return kd_tx_commit(tx);
	kd_tx_abort(tx);
	return rc;
}

int kd_group_add(struct kd_db *db, const char *code, const char *name, const char *actor, struct kd_err *err)
{
	if (!kd_roster_code_valid(code))
		return kd_err_add(err, KD_EINPUT, "\"%s\": not a code; expected 1 to 32 letters, digits, '.', '-' or '_' (e.g. to1)",
				  code);
	struct strbuf nm = STRBUF_INIT, action = STRBUF_INIT;
	size_t bad;
	enum tidy t = tidy(name, strlen(name), TEXT_MAX, &nm, &bad);
	if (t != TIDY_OK || !nm.len) {
		strbuf_release(&nm);
		return kd_err_add(err, KD_EINPUT, "group %s: name: %s; expected the group's name on one line (Tổ đảng 1)",
				  code, t == TIDY_UTF8 ? "not valid UTF-8" : t == TIDY_LONG ? "too long"
				  : t == TIDY_CTRL ? "a line break or a control character" : "empty");
	}
	strbuf_addf(&action, "group add %s", code);
	struct kd_tx tx;
	long long cell = 0, pos = 0, id = 0;
	int rc = kd_tx_begin(&tx, db, actor, action.buf, err);
	if (rc == KD_OK) {
		rc = kd_lookup_cell(db, &cell, err);
		struct kd_stmt *st;
		if (rc == KD_OK)
			rc = kd_db_stmt(db, "SELECT kind, name FROM org WHERE code = $1", &st, err);
		if (rc == KD_OK) {
			kd_stmt_text(st, 1, code);
			rc = kd_stmt_step(st, err);
			if (rc == 1) {
				rc = kd_err_add(err, KD_ECONFLICT, "%s: already the code of %s (%s); expected a new code",
						code, kd_stmt_col_text(st, 1), kd_stmt_col_text(st, 0));
				kd_stmt_done(st);
			}
		}
		if (rc == KD_OK)
			rc = kd_db_run(db, err, &pos, "SELECT coalesce(max(position), 0) + 1 FROM org"
				       " WHERE kind = 'group' AND parent_id = $1", "i", cell);
		if (rc == KD_OK)
			rc = kd_db_run(db, err, &id, "INSERT INTO org (parent_id, kind, code, name, position)"
				       " VALUES ($1, 'group', $2, $3, $4) RETURNING id", "itti", cell, code, nm.buf, pos);
		if (rc == KD_OK)
			kd_tx_touch_new(&tx, KD_T_org, id);
		rc = commit_or_abort(&tx, rc);
	}
	strbuf_release(&nm);
	strbuf_release(&action);
	return rc;
}

int kd_group_list(struct kd_db *db, struct kd_arena *arena, struct kd_group **out, size_t *n, struct kd_err *err)
{
	struct kd_stmt *st;
	*out = NULL;
	*n = 0;
	int rc = kd_db_stmt(db,
			    "SELECT g.id, g.code, g.name,"
			    " (SELECT count(*) FROM person p WHERE p.group_id = g.id AND p.active = 1),"
			    " (SELECT p.code FROM person p WHERE p.group_id = g.id AND p.active = 1 AND p.group_leader = 1"
			    "  ORDER BY p.code LIMIT 1),"
			    " (SELECT p.full_name FROM person p WHERE p.group_id = g.id AND p.active = 1 AND p.group_leader = 1"
			    "  ORDER BY p.code LIMIT 1),"
			    " (SELECT group_concat(p.full_name || ' (' || p.code || ')', ', ') FROM group_supervisor s"
			    "  JOIN person p ON p.id = s.person_id WHERE s.group_id = g.id)"
			    " FROM org g WHERE g.kind = 'group' ORDER BY g.position, g.code", &st, err);
	struct kd_group *v = NULL;
	size_t len = 0, cap = 0;
	while (rc == KD_OK && (rc = kd_stmt_step(st, err)) == 1) {
		rc = KD_OK;
		if (len == cap) {
			cap = cap ? cap * 2 : 16;
			v = kd_xrealloc(v, kd_st_mult(cap, sizeof(*v)));
		}
		v[len++] = (struct kd_group){ kd_stmt_col_int(st, 0), kd_stmt_col_dup(st, 1, arena), kd_stmt_col_dup(st, 2, arena),
					      kd_stmt_col_int(st, 3), kd_stmt_col_dup(st, 4, arena), kd_stmt_col_dup(st, 5, arena),
					      kd_stmt_col_dup(st, 6, arena) };
	}
	if (rc == KD_OK && len) {
		*out = kd_arena_alloc(arena, kd_st_mult(len, sizeof(*v)));
		memcpy(*out, v, len * sizeof(*v));
		*n = len;
	}
	free(v);
	return rc < 0 ? rc : KD_OK;
}

int kd_group_supervise(struct kd_db *db, const char *group, const char *person, const char *actor,
		       struct kd_arena *arena, const char **replaced, struct kd_err *err)
{
	struct strbuf action = STRBUF_INIT;
	struct kd_tx tx;
	long long gid = 0, pid = 0;
	struct { long long id, person; const char *name; } *cur = NULL;
	size_t ncur = 0, cap = 0;
	*replaced = NULL;
	strbuf_addf(&action, "group supervise %s %s", group, person);
	int rc = kd_tx_begin(&tx, db, actor, action.buf, err);
	if (rc != KD_OK) {
		strbuf_release(&action);
		return rc;
	}
	rc = kd_lookup_group(db, group, &gid, err);
	if (rc == KD_OK)
		rc = kd_lookup_person(db, person, &pid, err);
	struct kd_stmt *st;
	if (rc == KD_OK)
		rc = kd_db_stmt(db, "SELECT committee_role, active, full_name FROM person WHERE id = $1", &st, err);
	if (rc == KD_OK) {
		kd_stmt_int(st, 1, pid);
		rc = kd_stmt_step(st, err);
		if (rc == 1) {
			bool ok = kd_stmt_col_text(st, 0) && kd_stmt_col_int(st, 1);
			if (!ok)
				rc = kd_err_add(err, KD_EINPUT, "%s: %s is not on the cell committee%s; expected a committee"
						" member (kiemdiem member set %s --committee chi_uy_vien)", person,
						kd_stmt_col_text(st, 2), kd_stmt_col_int(st, 1) ? "" : " (no longer active)",
						person);
			else
				rc = KD_OK;
			kd_stmt_done(st);
		} else if (rc == 0) {
			rc = kd_err_add(err, KD_ENOTFOUND, "%s: no such person; expected a code listed by kiemdiem member list",
					person);
		}
	}
	if (rc == KD_OK)
		rc = kd_db_stmt(db, "SELECT s.id, s.person_id, p.full_name FROM group_supervisor s"
				" JOIN person p ON p.id = s.person_id WHERE s.group_id = $1 ORDER BY s.id", &st, err);
	if (rc == KD_OK) {
		kd_stmt_int(st, 1, gid);
		while ((rc = kd_stmt_step(st, err)) == 1) {
			if (ncur == cap) {
				cap = cap ? cap * 2 : 4;
				cur = kd_xrealloc(cur, kd_st_mult(cap, sizeof(*cur)));
			}
			cur[ncur].id = kd_stmt_col_int(st, 0);
			cur[ncur].person = kd_stmt_col_int(st, 1);
			cur[ncur++].name = kd_stmt_col_dup(st, 2, arena);
		}
		rc = rc < 0 ? rc : KD_OK;
	}
	bool have = false;
	/* Plan VI.1 puts one committee member in charge of each group. */
	for (size_t i = 0; rc == KD_OK && i < ncur; i++) {
		if (cur[i].person == pid) {
			have = true;
			continue;
		}
		if (!*replaced)
			*replaced = cur[i].name;
		rc = kd_tx_touch(&tx, KD_T_group_supervisor, cur[i].id);
		if (rc == KD_OK)
			rc = kd_db_run(db, err, NULL, "DELETE FROM group_supervisor WHERE id = $1", "i", cur[i].id);
	}
	if (rc == KD_OK && !have) {
		long long id = 0;
		rc = kd_db_run(db, err, &id, "INSERT INTO group_supervisor (group_id, person_id) VALUES ($1, $2)"
			       " RETURNING id", "ii", gid, pid);
		if (rc == KD_OK)
			kd_tx_touch_new(&tx, KD_T_group_supervisor, id);
	}
	rc = commit_or_abort(&tx, rc);
	if (rc != KD_OK)
		*replaced = NULL;
	free(cur);
	strbuf_release(&action);
	return rc;
}

/* ------------------------------------------------------------ mass organisations */

int kd_massorg_add(struct kd_db *db, const char *name, const char *actor, struct kd_err *err)
{
	struct strbuf nm = STRBUF_INIT, action = STRBUF_INIT;
	size_t bad;
	enum tidy t = tidy(name, strlen(name), TEXT_MAX, &nm, &bad);
	if (t != TIDY_OK || !nm.len) {
		strbuf_release(&nm);
		return kd_err_add(err, KD_EINPUT, "mass organisation name: %s; expected a name on one line (Công đoàn)",
				  t == TIDY_UTF8 ? "not valid UTF-8" : t == TIDY_LONG ? "too long"
				  : t == TIDY_CTRL ? "a line break or a control character" : "empty");
	}
	strbuf_addf(&action, "massorg add %s", nm.buf);
	struct kd_tx tx;
	long long cell = 0, id = 0, exists = 0;
	int rc = kd_tx_begin(&tx, db, actor, action.buf, err);
	if (rc == KD_OK) {
		rc = kd_lookup_cell(db, &cell, err);
		if (rc == KD_OK)
			rc = kd_db_run(db, err, &exists, "SELECT count(*) FROM mass_org WHERE cell_id = $1 AND name = $2",
				       "it", cell, nm.buf);
		if (rc == KD_OK && exists)
			rc = kd_err_add(err, KD_ECONFLICT, "%s: already a mass organisation of the cell; expected a new name",
					nm.buf);
		if (rc == KD_OK)
			rc = kd_db_run(db, err, &id, "INSERT INTO mass_org (cell_id, name) VALUES ($1, $2) RETURNING id",
				       "it", cell, nm.buf);
		if (rc == KD_OK)
			kd_tx_touch_new(&tx, KD_T_mass_org, id);
		rc = commit_or_abort(&tx, rc);
	}
	strbuf_release(&nm);
	strbuf_release(&action);
	return rc;
}

int kd_massorg_list(struct kd_db *db, struct kd_arena *arena, struct kd_mass_org **out, size_t *n,
		    struct kd_err *err)
{
	struct kd_stmt *st;
	*out = NULL;
	*n = 0;
	int rc = kd_db_stmt(db, "SELECT id, name FROM mass_org ORDER BY name COLLATE vi, id", &st, err);
	struct kd_mass_org *v = NULL;
	size_t len = 0, cap = 0;
	while (rc == KD_OK && (rc = kd_stmt_step(st, err)) == 1) {
		rc = KD_OK;
		if (len == cap) {
			cap = cap ? cap * 2 : 8;
			v = kd_xrealloc(v, kd_st_mult(cap, sizeof(*v)));
		}
		v[len++] = (struct kd_mass_org){ kd_stmt_col_int(st, 0), kd_stmt_col_dup(st, 1, arena) };
	}
	if (rc == KD_OK && len) {
		*out = kd_arena_alloc(arena, kd_st_mult(len, sizeof(*v)));
		memcpy(*out, v, len * sizeof(*v));
		*n = len;
	}
	free(v);
	return rc < 0 ? rc : KD_OK;
}
