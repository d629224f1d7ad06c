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
	long long cell = 0;
	*out = NULL;
	*n = 0;
	/* The connection's cell when one is chosen (a database of many
	 * cells); every person of a database of one cell otherwise. */
	int rc = kd_db_cell_chosen(db) ? kd_lookup_cell(db, &cell, err) : KD_OK;
	if (rc == KD_OK && cell)
		rc = kd_db_stmt(db, PERSON_SELECT " WHERE p.active = 1 AND (CAST($1 AS TEXT) IS NULL OR g.code = $1)"
				" AND p.cell_id = $2" VI_ORDER, &st, err);
	else if (rc == KD_OK)
		rc = kd_db_stmt(db, PERSON_SELECT " WHERE p.active = 1 AND (CAST($1 AS TEXT) IS NULL OR g.code = $1)" VI_ORDER,
				&st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_text(st, 1, group);
	if (cell)
		kd_stmt_int(st, 2, cell);
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

/* The reader holds one record at a time: its fields, NUL-terminated one
 * after another in `fields`, with their offsets and lengths. */
struct csv_field {
	size_t off, len;
};

struct kd_roster_csv {
	const char *source;
	struct kd_roster_import *sink;
	struct kd_err *err;
	struct csv_parser cp;
	struct kd_arena arena;          /* the header's map */
	struct strbuf head;             /* bytes held until the header line is whole */
	bool started, broken;
	int rc;                         /* the sink's failure (a database error) */
	size_t before;                  /* err->count when the reader was made */
	long lines_done;                /* line breaks fed so far */
	long line;                      /* the physical line being parsed */
	long rec_line;                  /* where the current record started */
	struct strbuf fields;
	struct csv_field *f;            /* the current record's fields */
	size_t nf, capf;
	bool header_done, header_ok;
	int *map;                       /* header position -> column, -1: unknown */
	size_t ncols;
};

static void on_field(void *s, size_t len, void *data)
{
	struct kd_roster_csv *p = data;
	const char *text = s ? s : "";
	if (p->nf == 0) {
		/* The record started as many lines back as its first field
		 * (quoted) spans line breaks: we feed the parser line by line. */
		long breaks = 0;
		for (size_t i = 0; i < len; i++)
			breaks += text[i] == '\n';
		p->rec_line = p->line - breaks;
		strbuf_reset(&p->fields);
	}
	if (p->nf == p->capf) {
		p->capf = p->capf ? p->capf * 2 : 32;
		p->f = kd_xrealloc(p->f, kd_st_mult(p->capf, sizeof(*p->f)));
	}
	p->f[p->nf++] = (struct csv_field){ p->fields.len, len };
	strbuf_add(&p->fields, text, len);
	strbuf_addch(&p->fields, 0);
}

static const char *field_at(const struct kd_roster_csv *p, size_t i)
{
	return p->fields.buf + p->f[i].off;
}

static void header(struct kd_roster_csv *p)
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
	p->map = kd_arena_calloc(&p->arena, p->nf, sizeof(*p->map));
	for (size_t i = 0; i < p->nf; i++) {
		const char *s = field_at(p, i);
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

static void record(struct kd_roster_csv *p)
{
	if (!p->header_ok || p->rc != KD_OK)
		return;
	bool empty = true;
	for (size_t i = 0; i < p->nf && empty; i++) {
		const char *s = field_at(p, i);
		for (size_t k = 0; k < p->f[i].len && empty; k++)
			empty = s[k] == ' ' || s[k] == '\t' || s[k] == '\r';
	}
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
		if (memchr(field_at(p, i), 0, p->f[i].len)) {
			kd_err_add(p->err, KD_EINPUT, "%s:%ld: %s: contains a NUL byte; expected UTF-8 text",
				   p->source, p->rec_line, kd_roster_columns[p->map[i]]);
			ok = false;
		}
		r.field[p->map[i]] = field_at(p, i);
	}
	if (ok)
		p->rc = kd_roster_import_row(p->sink, &r);
}

static void on_record(int c, void *data)
{
	struct kd_roster_csv *p = data;
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

struct kd_roster_csv *kd_roster_csv_new(const char *source, struct kd_roster_import *sink, struct kd_err *err)
{
	struct kd_roster_csv *p = kd_xcalloc(1, sizeof(*p));
	p->source = source;
	p->sink = sink;
	p->err = err;
	p->before = err->count;
	strbuf_init(&p->head, 0);
	strbuf_init(&p->fields, 0);
	if (csv_init(&p->cp, CSV_STRICT | CSV_STRICT_FINI) != 0)
		KD_BUG("csv_init failed");
	return p;
}

/* Parse data[0..len), line by line so that every message knows its line. */
static void parse(struct kd_roster_csv *p, const char *data, size_t len)
{
	for (size_t pos = 0; pos < len && !p->broken && p->rc == KD_OK;) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - data) + 1 : len;
		p->line = p->lines_done + 1;
		if (csv_parse(&p->cp, data + pos, end - pos, on_field, on_record, p) != end - pos) {
			kd_err_add(p->err, KD_EINPUT, "%s:%ld: a double quote inside an unquoted field or after a quoted one;"
				   " expected a field either without quotes or wholly in \"...\" with inner quotes doubled",
				   p->source, p->line);
			p->broken = true;
		}
		p->lines_done += nl != NULL;
		pos = end;
	}
}

/* The header line is whole (or the file ended): drop a byte order mark,
 * choose the delimiter and parse what was held. */
static void start(struct kd_roster_csv *p)
{
	const char *s = p->head.buf;
	size_t len = p->head.len;
	if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
		s += 3, len -= 3;
	csv_set_delim(&p->cp, detect_delimiter(s, len));
	p->started = true;
	parse(p, s, len);
	strbuf_release(&p->head);
}

int kd_roster_csv_feed(struct kd_roster_csv *p, const char *data, size_t len)
{
	if (!p->started) {
		strbuf_add(&p->head, data, len);
		if (memchr(data, '\n', len))
			start(p);
	} else {
		parse(p, data, len);
	}
	return p->rc;
}

int kd_roster_csv_end(struct kd_roster_csv *p)
{
	if (!p->started)
		start(p);
	if (!p->broken && p->rc == KD_OK && csv_fini(&p->cp, on_field, on_record, p) != 0)
		kd_err_add(p->err, KD_EINPUT, "%s:%ld: the file ends inside a quoted field; expected a closing \"",
			   p->source, p->line);
	if (!p->header_done && p->rc == KD_OK)
		kd_err_add(p->err, KD_EINPUT, "%s:1: the file is empty; expected the header line with the column names (ma,ho_ten,...)",
			   p->source);
	int rc = p->rc != KD_OK ? p->rc : p->err->count > p->before ? KD_EINPUT : KD_OK;
	csv_free(&p->cp);
	free(p->f);
	strbuf_release(&p->fields);
	strbuf_release(&p->head);
	kd_arena_release(&p->arena);
	free(p);
	return rc;
}

/* ------------------------------------------------------------ applying a change */

/* How an import works, in memory that does not grow with its rows: each
 * row's own fields are checked as it arrives and the row, tidied, goes to
 * a TEMP staging table (kd_db_copy_*, BATCH_ROWS at a time); the checks
 * that need other rows or the stored people (a column left out kept from
 * the person stored, a new member's name, the order of dates, codes, cards,
 * the secretary, group leaders and the groups' committee members) are
 * queries over that table and person; then the stored people that change
 * are updated one by one (touched first, for the audit) and the new ones
 * inserted with one INSERT ... SELECT under ids reserved as a block. All
 * of it in one kd_tx. Problems are kept in line order, at most
 * KD_ERR_MAX_LINES of them (the rest only counted), so a file with a
 * million bad rows does not fill memory either. */

#define BATCH_ROWS 2048         /* rows held before they go to the staging table */
#define PAGE_ROWS 1000          /* ids read at a time when updating people */
#define SHOWN KD_ERR_MAX_LINES  /* problems kept; the rest are counted */

/* The staging table, one row per row of the change with a valid code. The
 * `given` bits say which columns the row gave (1 << enum kd_roster_col;
 * GIVEN_ACTIVE for the active flag, which every mode but `member set`
 * sets); the rest hold a new person's defaults until merged with the
 * person stored. bad: the row has a problem and is not checked further. */
#define STAGE_DDL \
	"CREATE TEMP TABLE kd_roster_stage (seq BIGINT NOT NULL, line BIGINT NOT NULL, given BIGINT NOT NULL," \
	" bad BIGINT NOT NULL, code TEXT NOT NULL, full_name TEXT, family_name TEXT, middle_name TEXT, given_name TEXT," \
	" birth_date TEXT, admitted_on TEXT, official_on TEXT, card_no TEXT, email TEXT, party_position TEXT," \
	" work_position TEXT, civil_servant BIGINT, upper_managed BIGINT, group_id BIGINT, committee_role TEXT," \
	" group_leader BIGINT, active BIGINT)"

enum stage_col {
	S_SEQ, S_LINE, S_GIVEN, S_BAD, S_CODE, S_FULL_NAME, S_FAMILY, S_MIDDLE, S_GIVEN_NAME, S_BIRTH, S_ADMITTED,
	S_OFFICIAL, S_CARD, S_EMAIL, S_PARTY_POS, S_WORK_POS, S_CIVIL, S_UPPER, S_GROUP, S_ROLE, S_LEADER, S_ACTIVE,
	S_COUNT
};

static const char *const stage_columns[S_COUNT + 1] = {
	"seq", "line", "given", "bad", "code", "full_name", "family_name", "middle_name", "given_name", "birth_date",
	"admitted_on", "official_on", "card_no", "email", "party_position", "work_position", "civil_servant",
	"upper_managed", "group_id", "committee_role", "group_leader", "active", NULL
};

#define GIVEN_ACTIVE (1L << KD_RC_COUNT)
#define GIVEN_ALL ((1L << (KD_RC_COUNT + 1)) - 1)
/* The SQL below spells these bits as numbers. */
_Static_assert(KD_RC_NAME == 1 && KD_RC_BIRTH == 2 && KD_RC_ADMITTED == 3 && KD_RC_OFFICIAL == 4 && KD_RC_CARD == 5 &&
	       KD_RC_GROUP == 6 && KD_RC_PARTY_POS == 7 && KD_RC_WORK_POS == 8 && KD_RC_CIVIL == 9 &&
	       KD_RC_UPPER == 10 && KD_RC_COMMITTEE == 11 && KD_RC_LEADER == 12 && KD_RC_EMAIL == 13 &&
	       KD_RC_COUNT == 14, "the given bits of the staging SQL");

/* A problem found, held until every check has run so that they are
 * reported in row order: the row (its place in the change), then the
 * check (phase), then the order found. */
struct problem {
	long long row;
	int phase;
	size_t seq;
	int code;
	char *text;
};

enum phase { PH_ROW, PH_NAME, PH_RELATION, PH_SUPERVISOR, PH_CODE, PH_CARD, PH_SECRETARY, PH_LEADER };

struct staged {
	const char *v[S_COUNT];
};

struct kd_roster_import {
	struct kd_db *db;
	struct kd_tx tx;
	const struct kd_roster_change *ch;
	struct kd_roster_change chc;    /* ch points here */
	struct kd_err *err;
	int rc;                         /* a failure of the database: everything stops */
	struct kd_arena arena;          /* lives as long as the import: groups */
	struct kd_group *groups;        /* sorted by code */
	size_t ngroups;
	struct strbuf known;            /* the group codes for messages, in list order */
	long long cell;
	long long rows;                 /* rows received */
	long long staged;               /* rows in the staging table */
	struct kd_arena batch_arena;    /* the held rows' text */
	struct staged *batch;
	size_t nbatch;                  /* rows held for the staging table */
	size_t held;                    /* rows since the last flush, staged or not */
	bool partial;                   /* some row leaves a column out */
	bool nameless;                  /* some row leaves the name out */
	struct strbuf tmp;
	struct problem *problems;       /* the first SHOWN, in order */
	size_t nkept;
	size_t nfound;                  /* every problem found, kept or not */
	size_t nseq;
};

static const char *colname(const struct kd_roster_import *c, int col)
{
	return c->ch->names ? c->ch->names[col] : kd_roster_columns[col];
}

static int problem_order(const struct problem *a, const struct problem *b)
{
	if (a->row != b->row)
		return a->row < b->row ? -1 : 1;
	if (a->phase != b->phase)
		return a->phase < b->phase ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* One problem line: "SOURCE[:LINE]: [COLUMN: ]message", of row number
 * `row` (1-based, in the change) found in `phase`. */
KD_PRINTF(7, 8) static void problem_at(struct kd_roster_import *c, long long row, long line, enum phase phase,
				       int col, int code, const char *fmt, ...)
{
	c->nfound++;
	struct problem pr = { row, (int)phase, c->nseq++, code, NULL };
	/* Only the first SHOWN in order are kept; most come in order. */
	size_t at = c->nkept;
	while (at > 0 && problem_order(&pr, &c->problems[at - 1]) < 0)
		at--;
	if (at >= SHOWN)
		return;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, c->ch->source);
	if (line > 0)
		strbuf_addf(&sb, ":%ld", line);
	strbuf_addstr(&sb, ": ");
	if (col >= 0)
		strbuf_addf(&sb, "%s: ", colname(c, col));
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	pr.text = strbuf_detach(&sb, NULL);
	if (!c->problems)
		c->problems = kd_xcalloc(SHOWN, sizeof(*c->problems));
	if (c->nkept == SHOWN)
		free(c->problems[--c->nkept].text);
	memmove(c->problems + at + 1, c->problems + at, (c->nkept - at) * sizeof(*c->problems));
	c->problems[at] = pr;
	c->nkept++;
}

#define problem(c, r, col, code, ...) problem_at(c, (c)->rows, (r)->line, PH_ROW, col, code, __VA_ARGS__)

/* Move the problems, in order, to c->err; those not kept are counted. */
static void report(struct kd_roster_import *c)
{
	for (size_t i = 0; i < c->nkept; i++) {
		kd_err_add(c->err, c->problems[i].code, "%s", c->problems[i].text);
		free(c->problems[i].text);
	}
	/* kd_err counts what it does not keep (err.h); so do we. */
	c->err->count += c->nfound - c->nkept;
	free(c->problems);
	c->problems = NULL;
	c->nkept = 0;
}

/* Field `col` of `r` as stored (in the batch arena; "" when empty), or
 * NULL after reporting why it cannot be. */
static const char *field_text(struct kd_roster_import *c, const struct kd_roster_row *r, int col, size_t max)
{
	const char *raw = r->field[col];
	size_t bad = 0;
	switch (tidy(raw, strlen(raw), max, &c->tmp, &bad)) {
	case TIDY_OK:
		return kd_arena_strndup(&c->batch_arena, c->tmp.buf, c->tmp.len);
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

static void set_date(struct kd_roster_import *c, const struct kd_roster_row *r, int col, struct kd_date *d)
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

static void set_bool(struct kd_roster_import *c, const struct kd_roster_row *r, int col, bool *b)
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
static void set_text(struct kd_roster_import *c, const struct kd_roster_row *r, int col, size_t max, const char **out)
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

static void set_name(struct kd_roster_import *c, const struct kd_roster_row *r, struct kd_person *p)
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
	p->family_name = kd_arena_strndup(&c->batch_arena, fam.buf, fam.len);
	p->middle_name = kd_arena_strndup(&c->batch_arena, mid.buf, mid.len);
	p->given_name = kd_arena_strndup(&c->batch_arena, giv.buf, giv.len);
	strbuf_release(&fam);
	strbuf_release(&mid);
	strbuf_release(&giv);
}

static int group_by_code(const void *x, const void *y)
{
	return strcmp(((const struct kd_group *)x)->code, ((const struct kd_group *)y)->code);
}

static void set_group(struct kd_roster_import *c, const struct kd_roster_row *r, struct kd_person *p)
{
	const char *s = field_text(c, r, KD_RC_GROUP, CODE_MAX);
	if (!s)
		return;
	if (!*s) {
		p->group_id = 0;
		p->group = NULL;
		return;
	}
	struct kd_group key = { .code = s };
	const struct kd_group *g = c->ngroups ? bsearch(&key, c->groups, c->ngroups, sizeof(key), group_by_code) : NULL;
	if (g) {
		p->group_id = g->id;
		p->group = g->code;
		return;
	}
	if (c->ngroups)
		problem(c, r, KD_RC_GROUP, KD_EINPUT, "\"%s\" is not a party group; expected one of %s (kiemdiem group list)",
			s, c->known.buf);
	else
		problem(c, r, KD_RC_GROUP, KD_EINPUT, "\"%s\" is not a party group; expected a group made by kiemdiem group add",
			s);
}

static void set_role(struct kd_roster_import *c, const struct kd_roster_row *r, struct kd_person *p)
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

/* Row r's own fields over a blank person into *p: what can be checked
 * without the other rows or the person stored. */
static void convert(struct kd_roster_import *c, const struct kd_roster_row *r, struct kd_person *p)
{
	memset(p, 0, sizeof(*p));
	p->family_name = p->middle_name = p->given_name = "";
	/* Whoever an import or `member add` names is in the cell; `member
	 * set` leaves that alone. */
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
}

/* ---- the staging table */

static const char *num_text(struct kd_roster_import *c, long long v)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%lld", v);
	return kd_arena_strdup(&c->batch_arena, buf);
}

/* Send the held rows to the staging table and free their text. */
static int flush(struct kd_roster_import *c)
{
	c->held = 0;
	if (c->rc != KD_OK || !c->nbatch) {
		c->nbatch = 0;
		kd_arena_release(&c->batch_arena);
		return c->rc;
	}
	int rc = kd_db_copy_begin(c->db, "kd_roster_stage", stage_columns, c->err);
	for (size_t i = 0; rc == KD_OK && i < c->nbatch; i++)
		rc = kd_db_copy_row(c->db, c->batch[i].v, c->err);
	if (rc == KD_OK)
		rc = kd_db_copy_end(c->db, c->err);
	c->nbatch = 0;
	kd_arena_release(&c->batch_arena);
	return c->rc = rc;
}

static void stage(struct kd_roster_import *c, const struct kd_roster_row *r, const char *code,
		  const struct kd_person *p, long given, bool bad)
{
	char b[11];
	struct staged *s = &c->batch[c->nbatch++];
	s->v[S_SEQ] = num_text(c, c->rows);
	s->v[S_LINE] = num_text(c, r->line);
	s->v[S_GIVEN] = num_text(c, given);
	s->v[S_BAD] = bad ? "1" : "0";
	s->v[S_CODE] = code;
	s->v[S_FULL_NAME] = p->full_name;
	s->v[S_FAMILY] = p->family_name;
	s->v[S_MIDDLE] = p->middle_name;
	s->v[S_GIVEN_NAME] = p->given_name;
	s->v[S_BIRTH] = p->birth.y ? kd_arena_strdup(&c->batch_arena, kd_date_iso(p->birth, b)) : NULL;
	s->v[S_ADMITTED] = p->admitted.y ? kd_arena_strdup(&c->batch_arena, kd_date_iso(p->admitted, b)) : NULL;
	s->v[S_OFFICIAL] = p->official.y ? kd_arena_strdup(&c->batch_arena, kd_date_iso(p->official, b)) : NULL;
	s->v[S_CARD] = p->card_no;
	s->v[S_EMAIL] = p->email;
	s->v[S_PARTY_POS] = p->party_position;
	s->v[S_WORK_POS] = p->work_position;
	s->v[S_CIVIL] = p->civil_servant ? "1" : "0";
	s->v[S_UPPER] = p->upper_managed ? "1" : "0";
	s->v[S_GROUP] = p->group_id ? num_text(c, p->group_id) : NULL;
	s->v[S_ROLE] = p->committee_role;
	s->v[S_LEADER] = p->group_leader ? "1" : "0";
	s->v[S_ACTIVE] = p->active ? "1" : "0";
	c->staged++;
	c->partial |= given != GIVEN_ALL;
	c->nameless |= !(given & (1L << KD_RC_NAME));
}

int kd_roster_import_begin(struct kd_db *db, const struct kd_roster_change *ch, const char *actor,
			   const char *action, struct kd_roster_import **out, struct kd_err *err)
{
	struct kd_roster_import *c = kd_xcalloc(1, sizeof(*c));
	c->db = db;
	c->chc = *ch;
	c->chc.rows = NULL;
	c->chc.n = 0;
	c->ch = &c->chc;
	c->err = err;
	strbuf_init(&c->tmp, 0);
	strbuf_init(&c->known, 0);
	c->batch = kd_xcalloc(BATCH_ROWS, sizeof(*c->batch));
	*out = c;
	int rc = kd_tx_begin(&c->tx, db, actor, action, err);
	if (rc != KD_OK) {
		c->rc = rc;
		c->tx.db = NULL;
		return rc;
	}
	rc = kd_lookup_cell(db, &c->cell, err);
	if (rc == KD_OK)
		rc = kd_group_list(db, &c->arena, &c->groups, &c->ngroups, err);
	for (size_t i = 0; rc == KD_OK && i < c->ngroups; i++)
		strbuf_addf(&c->known, "%s%s", i ? ", " : "", c->groups[i].code);
	if (c->ngroups)
		qsort(c->groups, c->ngroups, sizeof(*c->groups), group_by_code);
	if (rc == KD_OK)
		rc = kd_db_exec(db, STAGE_DDL, err);
	return c->rc = rc;
}

int kd_roster_import_row(struct kd_roster_import *c, const struct kd_roster_row *r)
{
	if (c->rc != KD_OK)
		return c->rc;
	c->rows++;
	size_t before = c->nfound;
	const char *code = r->field[KD_RC_CODE] ? field_text(c, r, KD_RC_CODE, CODE_MAX) : "";
	bool code_ok = code && *code && kd_roster_code_valid(code);
	if (code && !*code)
		problem(c, r, KD_RC_CODE, KD_EINPUT, "empty; expected the person's code (e.g. dv07)");
	else if (code && !code_ok)
		problem(c, r, KD_RC_CODE, KD_EINPUT,
			"\"%s\" is not a code; expected 1 to 32 letters, digits, '.', '-' or '_' (e.g. dv07)", code);
	if (code_ok && c->ch->mode != KD_ROSTER_UPSERT) {
		/* `member add` and `member set`: one row, its code looked up
		 * here (an import leaves that to the staging table). */
		struct kd_stmt *st;
		int rc = kd_db_stmt(c->db, "SELECT full_name FROM person WHERE code = $1", &st, c->err);
		if (rc != KD_OK)
			return c->rc = rc;
		kd_stmt_text(st, 1, code);
		rc = kd_stmt_step(st, c->err);
		if (rc < 0)
			return c->rc = rc;
		if (rc == 1 && c->ch->mode == KD_ROSTER_ADD) {
			problem(c, r, KD_RC_CODE, KD_ECONFLICT, "\"%s\" is already %s; expected a new code"
				" (kiemdiem member set changes a member)", code, kd_stmt_col_text(st, 0));
			code_ok = false;
		} else if (rc == 0 && c->ch->mode == KD_ROSTER_UPDATE) {
			problem(c, r, KD_RC_CODE, KD_ENOTFOUND, "\"%s\": no such person; expected a code listed by"
				" kiemdiem member list", code);
			return KD_OK;
		}
		if (rc == 1)
			kd_stmt_done(st);
	}
	struct kd_person p;
	convert(c, r, &p);
	long given = c->ch->mode != KD_ROSTER_UPDATE ? GIVEN_ACTIVE : 0;
	for (int col = 0; col < KD_RC_COUNT; col++)
		if (r->field[col])
			given |= 1L << col;
	if (code_ok)
		stage(c, r, code, &p, given, c->nfound > before);
	if (++c->held == BATCH_ROWS)
		(void)flush(c);
	return c->rc;
}

/* ---- the checks across rows, in SQL over the staging table */

_Static_assert(SHOWN == 200, "the LIMIT of the problem queries");
#define LIMIT_SHOWN " ORDER BY s.seq LIMIT 200"

/* A stored person no row of the change names (so still as stored after). */
#define NOT_NAMED " NOT EXISTS (SELECT 1 FROM kd_roster_stage t WHERE t.code = p.code)"

/* The stored values of the columns a row leaves out. */
#define KEEP(col, bit) " " col " = CASE WHEN (kd_roster_stage.given & " bit ") <> 0 THEN kd_roster_stage." col \
	" ELSE p." col " END"
#define SQL_MERGE \
	"UPDATE kd_roster_stage SET" KEEP("full_name", "2") "," KEEP("family_name", "2") "," KEEP("middle_name", "2") \
	"," KEEP("given_name", "2") "," KEEP("birth_date", "4") "," KEEP("admitted_on", "8") "," \
	KEEP("official_on", "16") "," KEEP("card_no", "32") "," KEEP("group_id", "64") "," \
	KEEP("party_position", "128") "," KEEP("work_position", "256") "," KEEP("civil_servant", "512") "," \
	KEEP("upper_managed", "1024") "," KEEP("committee_role", "2048") "," KEEP("group_leader", "4096") "," \
	KEEP("email", "8192") "," KEEP("active", "16384") \
	" FROM person p WHERE p.code = kd_roster_stage.code AND kd_roster_stage.given <> 32767"
_Static_assert(GIVEN_ALL == 32767 && GIVEN_ACTIVE == 16384, "the given bits of SQL_MERGE");

/* A new member's name left out. */
#define NAME_FROM " FROM kd_roster_stage s WHERE (s.given & 2) = 0 AND NOT EXISTS" \
	" (SELECT 1 FROM person p WHERE p.code = s.code)"

/* Dates in order, a group leader in a group. */
#define REL_BIRTH "(s.birth_date IS NOT NULL AND s.admitted_on IS NOT NULL AND s.admitted_on <= s.birth_date)"
#define REL_OFFICIAL "(s.admitted_on IS NOT NULL AND s.official_on IS NOT NULL AND s.official_on < s.admitted_on)"
#define REL_LEADER "(s.group_leader = 1 AND s.group_id IS NULL)"
#define REL_FROM " FROM kd_roster_stage s WHERE s.bad = 0 AND (" REL_BIRTH " OR " REL_OFFICIAL " OR " REL_LEADER ")"

/* A committee member in charge of a group leaving the committee. */
#define SUPERVISOR_FROM " FROM kd_roster_stage s JOIN person p ON p.code = s.code" \
	" JOIN (SELECT person_id, group_concat(code, ', ') AS codes FROM (SELECT gs.person_id, g.code" \
	" FROM group_supervisor gs JOIN org g ON g.id = gs.group_id ORDER BY g.position, g.code) AS sg" \
	" GROUP BY person_id) AS sv ON sv.person_id = p.id WHERE s.bad = 0 AND (s.committee_role IS NULL OR s.active = 0)"

/* A code on two rows: every row after the first. */
#define CODE_FROM " FROM kd_roster_stage s JOIN (SELECT code, min(seq) AS first FROM kd_roster_stage GROUP BY code" \
	" HAVING count(*) > 1) AS d ON d.code = s.code JOIN kd_roster_stage f ON f.seq = d.first WHERE s.seq > d.first"

/* In the state after the change (the rows without a problem and the
 * stored people no row names; those come first, as seq 0): a card held
 * twice, a second secretary, a second leader of a group. */
#define CARD_FROM " FROM kd_roster_stage s JOIN (SELECT card, min(seq) AS first FROM (SELECT card_no AS card, seq" \
	" FROM kd_roster_stage WHERE bad = 0 AND card_no IS NOT NULL UNION ALL SELECT p.card_no, 0 FROM person p" \
	" WHERE p.card_no IS NOT NULL AND" NOT_NAMED ") AS fin GROUP BY card HAVING count(*) > 1) AS d" \
	" ON d.card = s.card_no LEFT JOIN kd_roster_stage f ON f.seq = d.first WHERE s.bad = 0 AND s.seq > d.first"
#define SECRETARY_STORED " FROM person p WHERE p.active = 1 AND p.committee_role = 'bi_thu' AND" NOT_NAMED
#define SECRETARY_FROM " FROM kd_roster_stage s JOIN (SELECT min(seq) AS first FROM (SELECT seq FROM kd_roster_stage" \
	" WHERE bad = 0 AND active = 1 AND committee_role = 'bi_thu' UNION ALL SELECT 0" SECRETARY_STORED ") AS fin)" \
	" AS d ON s.seq > d.first LEFT JOIN kd_roster_stage f ON f.seq = d.first" \
	" WHERE s.bad = 0 AND s.active = 1 AND s.committee_role = 'bi_thu'"
#define LEADER_STORED " FROM person p WHERE p.group_id = d.gid AND p.active = 1 AND p.group_leader = 1 AND" NOT_NAMED
#define LEADER_FROM " FROM kd_roster_stage s JOIN (SELECT gid, min(seq) AS first FROM (SELECT group_id AS gid, seq" \
	" FROM kd_roster_stage WHERE bad = 0 AND active = 1 AND group_leader = 1 AND group_id IS NOT NULL UNION ALL" \
	" SELECT p.group_id, 0 FROM person p WHERE p.active = 1 AND p.group_leader = 1 AND p.group_id IS NOT NULL AND" \
	NOT_NAMED ") AS fin GROUP BY gid HAVING count(*) > 1) AS d ON d.gid = s.group_id JOIN org g ON g.id = s.group_id" \
	" LEFT JOIN kd_roster_stage f ON f.seq = d.first WHERE s.bad = 0 AND s.active = 1 AND s.group_leader = 1" \
	" AND s.seq > d.first"

/* "dv01 (Full Name, line 2)": who holds something, and where the change
 * gives it to them (nothing when they hold it already). */
static const char *who(const char *code, const char *name, long line, struct strbuf *sb)
{
	strbuf_reset(sb);
	strbuf_addf(sb, "%s (%s", code ? code : "", name ? name : "");
	if (line > 0)
		strbuf_addf(sb, ", line %ld", line);
	strbuf_addch(sb, ')');
	return sb->buf;
}

/* The holder of columns first (0: a stored person), its row's code, name
 * and line at cols[1..3], a stored person's code and name at cols[4..5]. */
static const char *holder(struct kd_roster_import *c, struct kd_stmt *st, int first)
{
	if (kd_stmt_col_int(st, first))
		return who(kd_stmt_col_text(st, first + 1), kd_stmt_col_text(st, first + 2),
			   (long)kd_stmt_col_int(st, first + 3), &c->tmp);
	return who(kd_stmt_col_text(st, first + 4), kd_stmt_col_text(st, first + 5), 0, &c->tmp);
}

static void emit_name(struct kd_roster_import *c, struct kd_stmt *st, long long row, long line)
{
	(void)st;
	problem_at(c, row, line, PH_NAME, KD_RC_NAME, KD_EINPUT, "missing; expected the full name of a new member");
}

static void emit_relation(struct kd_roster_import *c, struct kd_stmt *st, long long row, long line)
{
	const char *birth = kd_stmt_col_text(st, 2), *admitted = kd_stmt_col_text(st, 3),
		   *official = kd_stmt_col_text(st, 4);
	if (birth && admitted && strcmp(admitted, birth) <= 0)
		problem_at(c, row, line, PH_RELATION, KD_RC_ADMITTED, KD_EINPUT,
			   "%s is not after the birth date %s; expected a later date", admitted, birth);
	if (admitted && official && strcmp(official, admitted) < 0)
		problem_at(c, row, line, PH_RELATION, KD_RC_OFFICIAL, KD_EINPUT,
			   "%s is before the admission date %s; expected the same or a later date", official, admitted);
	if (kd_stmt_col_int(st, 5) && kd_stmt_col_null(st, 6))
		problem_at(c, row, line, PH_RELATION, KD_RC_LEADER, KD_EINPUT,
			   "a group leader in no party group; expected %s to name the group", colname(c, KD_RC_GROUP));
}

static void emit_supervisor(struct kd_roster_import *c, struct kd_stmt *st, long long row, long line)
{
	problem_at(c, row, line, PH_SUPERVISOR, KD_RC_COMMITTEE, KD_EINPUT, "empty, but %s is in charge of party group %s;"
		   " expected a committee role (or first kiemdiem group supervise GROUP ANOTHER_MEMBER)",
		   kd_stmt_col_text(st, 2), kd_stmt_col_text(st, 3));
}

static void emit_code(struct kd_roster_import *c, struct kd_stmt *st, long long row, long line)
{
	const char *code = kd_stmt_col_text(st, 2);
	long first = (long)kd_stmt_col_int(st, 3);
	if (first)
		problem_at(c, row, line, PH_CODE, KD_RC_CODE, KD_EINPUT, "\"%s\" repeats line %ld; expected each code once",
			   code, first);
	else
		problem_at(c, row, line, PH_CODE, KD_RC_CODE, KD_EINPUT, "\"%s\" repeats an earlier row; expected each code once",
			   code);
}

static void emit_card(struct kd_roster_import *c, struct kd_stmt *st, long long row, long line)
{
	const char *card = kd_stmt_col_text(st, 2);
	if (kd_stmt_col_int(st, 3))
		problem_at(c, row, line, PH_CARD, KD_RC_CARD, KD_EINPUT, "\"%s\" is also the card of %s; expected each card"
			   " number once", card, holder(c, st, 3));
	else
		problem_at(c, row, line, PH_CARD, KD_RC_CARD, KD_EINPUT, "\"%s\" is already the card of %s; expected a card"
			   " number not in use", card, holder(c, st, 3));
}

static void emit_secretary(struct kd_roster_import *c, struct kd_stmt *st, long long row, long line)
{
	problem_at(c, row, line, PH_SECRETARY, KD_RC_COMMITTEE, KD_EINPUT, "bi_thu, but so is %s; expected one bi_thu"
		   " per cell", holder(c, st, 2));
}

static void emit_leader(struct kd_roster_import *c, struct kd_stmt *st, long long row, long line)
{
	problem_at(c, row, line, PH_LEADER, KD_RC_LEADER, KD_EINPUT, "leader of %s, but so is %s; expected one"
		   " leader per group", kd_stmt_col_text(st, 2), holder(c, st, 3));
}

/* One check: `list` gives the first SHOWN problem rows (seq and line
 * first), each reported by `emit`; when there may be more, `count` counts
 * every problem; `mark` (may be NULL) sets their rows bad. */
static int check(struct kd_roster_import *c, const char *list, const char *count, const char *mark,
		 void (*emit)(struct kd_roster_import *, struct kd_stmt *, long long, long))
{
	struct kd_stmt *st;
	size_t before = c->nfound, rows = 0;
	int rc = kd_db_stmt(c->db, list, &st, c->err);
	while (rc == KD_OK && (rc = kd_stmt_step(st, c->err)) == 1) {
		rc = KD_OK;
		rows++;
		emit(c, st, kd_stmt_col_int(st, 0), (long)kd_stmt_col_int(st, 1));
	}
	if (rc == KD_OK && rows == SHOWN) {
		long long total = 0;
		rc = kd_db_run(c->db, c->err, &total, count, "");
		if (rc == KD_OK && (size_t)total > c->nfound - before)
			c->nfound = before + (size_t)total;
	}
	if (rc == KD_OK && rows && mark)
		rc = kd_db_run(c->db, c->err, NULL, mark, "");
	return rc;
}

static int checks(struct kd_roster_import *c)
{
	int rc = KD_OK;
	/* Indexes once the rows are in, and statistics for the planner
	 * (nothing analyses a temporary table by itself). */
	rc = kd_db_exec(c->db, "CREATE INDEX kd_roster_stage_code ON kd_roster_stage (code);"
			" CREATE INDEX kd_roster_stage_seq ON kd_roster_stage (seq);"
			" ANALYZE kd_roster_stage", c->err);
	if (rc == KD_OK && c->partial)
		rc = kd_db_run(c->db, c->err, NULL, SQL_MERGE, "");
	if (rc == KD_OK && c->nameless)
		rc = check(c, "SELECT s.seq, s.line" NAME_FROM LIMIT_SHOWN, "SELECT count(*)" NAME_FROM,
			   "UPDATE kd_roster_stage SET bad = 1 WHERE seq IN (SELECT s.seq" NAME_FROM ")", emit_name);
	if (rc == KD_OK)
		rc = check(c, "SELECT s.seq, s.line, s.birth_date, s.admitted_on, s.official_on, s.group_leader, s.group_id"
			   REL_FROM LIMIT_SHOWN,
			   "SELECT sum(CASE WHEN " REL_BIRTH " THEN 1 ELSE 0 END + CASE WHEN " REL_OFFICIAL " THEN 1 ELSE 0 END"
			   " + CASE WHEN " REL_LEADER " THEN 1 ELSE 0 END)" REL_FROM,
			   "UPDATE kd_roster_stage SET bad = 1 WHERE seq IN (SELECT s.seq" REL_FROM ")", emit_relation);
	if (rc == KD_OK)
		rc = check(c, "SELECT s.seq, s.line, s.code, sv.codes" SUPERVISOR_FROM LIMIT_SHOWN,
			   "SELECT count(*)" SUPERVISOR_FROM, NULL, emit_supervisor);
	if (rc == KD_OK)
		rc = check(c, "SELECT s.seq, s.line, s.code, f.line" CODE_FROM LIMIT_SHOWN, "SELECT count(*)" CODE_FROM,
			   "UPDATE kd_roster_stage SET bad = 1 WHERE seq IN (SELECT s.seq" CODE_FROM ")", emit_code);
	if (rc == KD_OK)
		rc = check(c, "SELECT s.seq, s.line, s.card_no, d.first, f.code, f.full_name, f.line,"
			   " (SELECT p.code FROM person p WHERE p.card_no = d.card),"
			   " (SELECT p.full_name FROM person p WHERE p.card_no = d.card)" CARD_FROM LIMIT_SHOWN,
			   "SELECT count(*)" CARD_FROM, NULL, emit_card);
	if (rc == KD_OK)
		rc = check(c, "SELECT s.seq, s.line, d.first, f.code, f.full_name, f.line,"
			   " (SELECT p.code" SECRETARY_STORED " ORDER BY p.id LIMIT 1),"
			   " (SELECT p.full_name" SECRETARY_STORED " ORDER BY p.id LIMIT 1)" SECRETARY_FROM LIMIT_SHOWN,
			   "SELECT count(*)" SECRETARY_FROM, NULL, emit_secretary);
	if (rc == KD_OK)
		rc = check(c, "SELECT s.seq, s.line, g.code, d.first, f.code, f.full_name, f.line,"
			   " (SELECT p.code" LEADER_STORED " ORDER BY p.id LIMIT 1),"
			   " (SELECT p.full_name" LEADER_STORED " ORDER BY p.id LIMIT 1)" LEADER_FROM LIMIT_SHOWN,
			   "SELECT count(*)" LEADER_FROM, NULL, emit_leader);
	return rc;
}

/* ---- writing */

/* Crash injection for the tests: with KIEMDIEM_FAULT_AFTER_ROWS=N the
 * import aborts the process right after writing its N-th row (an update,
 * or the bulk insert that passes N), before the commit, so a test can
 * prove that a crash in the middle of an import leaves no row of it
 * behind and the audit chain intact. 0: off. */
static long fault_after_rows(void)
{
	const char *s = getenv("KIEMDIEM_FAULT_AFTER_ROWS");
	if (!s || !*s)
		return 0;
	char *end;
	long v = strtol(s, &end, 10);
	return *end || v < 0 ? 0 : v;
}

#define SAME_AS_STORED \
	" p.full_name IS NOT DISTINCT FROM s.full_name AND p.family_name IS NOT DISTINCT FROM s.family_name" \
	" AND p.middle_name IS NOT DISTINCT FROM s.middle_name AND p.given_name IS NOT DISTINCT FROM s.given_name" \
	" AND p.birth_date IS NOT DISTINCT FROM s.birth_date AND p.admitted_on IS NOT DISTINCT FROM s.admitted_on" \
	" AND p.official_on IS NOT DISTINCT FROM s.official_on AND p.card_no IS NOT DISTINCT FROM s.card_no" \
	" AND p.email IS NOT DISTINCT FROM s.email AND p.party_position IS NOT DISTINCT FROM s.party_position" \
	" AND p.work_position IS NOT DISTINCT FROM s.work_position AND p.civil_servant = s.civil_servant" \
	" AND p.upper_managed = s.upper_managed AND p.group_id IS NOT DISTINCT FROM s.group_id" \
	" AND p.committee_role IS NOT DISTINCT FROM s.committee_role AND p.group_leader = s.group_leader" \
	" AND p.active = s.active"

/* The stored people of the rows after seq *after (`sql`: seq and id, in
 * seq order, PAGE_ROWS at most), each touched and then written by
 * `update` ($1 its id, and $2 its seq when `written` counts the rows
 * written for fault_after_rows()), page after page. */
static int update_pages(struct kd_roster_import *c, const char *sql, const char *update, long fault, long *written)
{
	long long after = 0, seq[PAGE_ROWS], id[PAGE_ROWS];
	int rc = KD_OK;
	for (;;) {
		struct kd_stmt *st;
		size_t n = 0;
		rc = kd_db_stmt(c->db, sql, &st, c->err);
		if (rc != KD_OK)
			return rc;
		kd_stmt_int(st, 1, after);
		while ((rc = kd_stmt_step(st, c->err)) == 1 && n < PAGE_ROWS) {
			seq[n] = kd_stmt_col_int(st, 0);
			id[n++] = kd_stmt_col_int(st, 1);
		}
		if (rc < 0)
			return rc;
		if (rc == 1)
			kd_stmt_done(st);
		for (size_t i = 0; i < n; i++) {
			rc = kd_tx_touch(&c->tx, KD_T_person, id[i]);
			if (rc == KD_OK)
				rc = kd_db_run(c->db, c->err, NULL, update, written ? "ii" : "i", id[i], seq[i]);
			if (rc != KD_OK)
				return rc;
			if (written && ++*written == fault && fault > 0)
				abort();
		}
		if (n < PAGE_ROWS)
			return KD_OK;
		after = seq[n - 1];
	}
}

static int write_all(struct kd_roster_import *c, struct kd_roster_counts *counts)
{
	long long total = 0, added = 0, same = 0;
	struct kd_stmt *st;
	int rc = kd_db_stmt(c->db, "SELECT count(*), sum(CASE WHEN p.id IS NULL THEN 1 ELSE 0 END),"
			    " sum(CASE WHEN p.id IS NOT NULL AND" SAME_AS_STORED " THEN 1 ELSE 0 END)"
			    " FROM kd_roster_stage s LEFT JOIN person p ON p.code = s.code", &st, c->err);
	if (rc == KD_OK && (rc = kd_stmt_step(st, c->err)) == 1) {
		total = kd_stmt_col_int(st, 0);
		added = kd_stmt_col_int(st, 1);
		same = kd_stmt_col_int(st, 2);
		kd_stmt_done(st);
		rc = KD_OK;
	}
	if (rc != KD_OK)
		return rc < 0 ? rc : kd_err_add(c->err, KD_EINTERNAL, "import: no counts from the staging table");
	counts->added = (size_t)added;
	counts->unchanged = (size_t)same;
	counts->updated = (size_t)(total - added - same);
	long fault = fault_after_rows();
	long written = 0;
	if (counts->updated) {
		/* A card that moves from one person to another would break the
		 * UNIQUE constraint half-way; free every card that changes
		 * hands first (only the final state is audited). Then the
		 * people already stored, one UPDATE each, in the file's order. */
		rc = update_pages(c, "SELECT s.seq, p.id FROM kd_roster_stage s JOIN person p ON p.code = s.code"
				  " WHERE s.seq > $1 AND p.card_no IS NOT NULL AND p.card_no IS DISTINCT FROM s.card_no"
				  " ORDER BY s.seq LIMIT 1000",
				  "UPDATE person SET card_no = NULL WHERE id = $1", 0, NULL);
		if (rc == KD_OK)
			rc = update_pages(c, "SELECT s.seq, p.id FROM kd_roster_stage s JOIN person p ON p.code = s.code"
					  " WHERE s.seq > $1 AND NOT (" SAME_AS_STORED ") ORDER BY s.seq LIMIT 1000",
					  "UPDATE person SET full_name = s.full_name, family_name = s.family_name,"
					  " middle_name = s.middle_name, given_name = s.given_name, birth_date = s.birth_date,"
					  " admitted_on = s.admitted_on, official_on = s.official_on, card_no = s.card_no,"
					  " email = s.email, party_position = s.party_position, work_position = s.work_position,"
					  " civil_servant = s.civil_servant, upper_managed = s.upper_managed, group_id = s.group_id,"
					  " committee_role = s.committee_role, group_leader = s.group_leader, active = s.active"
					  " FROM kd_roster_stage s WHERE person.id = $1 AND s.seq = $2", fault, &written);
	}
	if (rc != KD_OK || !added)
		return rc;
	/* New people go in as one INSERT ... SELECT with ids taken as a block
	 * first, in the file's order, so the audit knows them: one record for
	 * the lot (tx.h), their after-images read back at commit. */
	long long first = 0;
	rc = kd_db_reserve_ids(c->db, "person", added, &first, c->err);
	if (rc == KD_OK)
		rc = kd_db_run(c->db, c->err, NULL,
			       "INSERT INTO person (id, code, full_name, family_name, middle_name, given_name, birth_date,"
			       " admitted_on, official_on, card_no, email, party_position, work_position, civil_servant,"
			       " upper_managed, cell_id, group_id, committee_role, group_leader, active)"
			       " SELECT CAST($1 AS BIGINT) + row_number() OVER (ORDER BY s.seq) - 1, s.code, s.full_name,"
			       " s.family_name, s.middle_name, s.given_name, s.birth_date, s.admitted_on, s.official_on,"
			       " s.card_no, s.email, s.party_position, s.work_position, s.civil_servant, s.upper_managed,"
			       " CAST($2 AS BIGINT), s.group_id, s.committee_role, s.group_leader, s.active"
			       " FROM kd_roster_stage s WHERE NOT EXISTS (SELECT 1 FROM person p WHERE p.code = s.code)",
			       "ii", first, c->cell);
	for (long long k = 0; rc == KD_OK && k < added; k++)
		kd_tx_touch_new(&c->tx, KD_T_person, first + k);
	if (rc == KD_OK && fault > 0 && written + added >= fault)
		abort();
	return rc;
}

static void import_free(struct kd_roster_import *c)
{
	for (size_t i = 0; i < c->nkept; i++)
		free(c->problems[i].text);
	free(c->problems);
	free(c->batch);
	strbuf_release(&c->tmp);
	strbuf_release(&c->known);
	kd_arena_release(&c->batch_arena);
	kd_arena_release(&c->arena);
	free(c);
}

int kd_roster_import_end(struct kd_roster_import *c, bool input_ok, struct kd_roster_counts *counts)
{
	*counts = (struct kd_roster_counts){ 0, 0, 0 };
	if (!c->tx.db) {        /* kd_tx_begin failed */
		int rc = c->rc;
		import_free(c);
		return rc;
	}
	int rc = flush(c);
	if (rc == KD_OK && c->staged)
		rc = checks(c);
	int first = c->nkept ? c->problems[0].code : KD_OK;
	report(c);
	if (rc == KD_OK && first != KD_OK)
		rc = first;
	if (rc == KD_OK && !input_ok)
		rc = KD_EINPUT;
	if (rc == KD_OK && c->staged)
		rc = write_all(c, counts);
	if (rc == KD_OK)
		rc = kd_db_exec(c->db, "DROP TABLE kd_roster_stage", c->err);
	if (rc == KD_OK && !c->ch->dry_run)
		rc = kd_tx_commit(&c->tx);
	else
		kd_tx_abort(&c->tx);
	import_free(c);
	return rc;
}

int kd_roster_apply(struct kd_db *db, const struct kd_roster_change *ch, const char *actor, const char *action,
		    struct kd_roster_counts *counts, struct kd_err *err)
{
	struct kd_roster_import *im;
	int rc = kd_roster_import_begin(db, ch, actor, action, &im, err);
	for (size_t i = 0; rc == KD_OK && i < ch->n; i++)
		rc = kd_roster_import_row(im, &ch->rows[i]);
	int end = kd_roster_import_end(im, true, counts);
	return rc != KD_OK ? rc : end;
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
	long long cell = 0;
	*out = NULL;
	*n = 0;
	/* The connection's cell's groups when one is chosen (as above). */
	int rc = kd_db_cell_chosen(db) ? kd_lookup_cell(db, &cell, err) : KD_OK;
	if (rc != KD_OK)
		return rc;
	rc = kd_db_stmt(db,
			    "SELECT g.id, g.code, g.name,"
			    " (SELECT count(*) FROM person p WHERE p.group_id = g.id AND p.active = 1),"
			    " (SELECT p.code FROM person p WHERE p.group_id = g.id AND p.active = 1 AND p.group_leader = 1"
			    "  ORDER BY p.code LIMIT 1),"
			    " (SELECT p.full_name FROM person p WHERE p.group_id = g.id AND p.active = 1 AND p.group_leader = 1"
			    "  ORDER BY p.code LIMIT 1),"
			    " (SELECT group_concat(p.full_name || ' (' || p.code || ')', ', ') FROM group_supervisor s"
			    "  JOIN person p ON p.id = s.person_id WHERE s.group_id = g.id)"
			    " FROM org g WHERE g.kind = 'group' AND (g.parent_id = $1 OR $1 = 0) ORDER BY g.position, g.code",
			    &st, err);
	if (rc == KD_OK)
		kd_stmt_int(st, 1, cell);
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
