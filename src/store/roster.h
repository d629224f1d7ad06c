/*
** roster.h: the cell's people and how they are organised: the roster
** (each person and their party group), the party groups with their leader
** and the committee member in charge of each (plan VI.1), and the mass
** organisations of the cell.
**
** Used by `kiemdiem import/export roster`, `member`, `group` and `massorg`,
** and later by the web interface. The unit of change is a set of rows of
** text, one per person, in the columns of the roster CSV (docs/roster.md):
** a CSV file gives one row per line, `member add`/`member set` one row
** built from their options. kd_roster_apply() (and, streamed, the
** kd_roster_import_* functions) validates every row in full (and the
** state the change would leave: unique codes and card numbers, one
** secretary, one leader per group) before it writes anything, reports
** every problem as one line naming the source, its line and the column,
** and writes all rows in one kd_tx (one transaction, one audit entry) or
** none. An import's memory does not grow with its rows: the checks
** across rows run in the database, over a TEMP staging table.
**
** Ownership: the strings of a struct kd_person, kd_group, kd_mass_org or
** kd_roster_row live in the arena the caller passes; nothing here keeps a
** pointer to them after returning.
*/
#ifndef KD_ROSTER_H
#define KD_ROSTER_H

#include "base/arena.h"
#include "core/date.h"
#include "store/db.h"

/* The roster's columns, in the order `export roster` writes them: the
 * enum name and the CSV header name. */
#define KD_ROSTER_COLUMNS(X) \
	X(CODE, "ma") \
	X(NAME, "ho_ten") \
	X(BIRTH, "ngay_sinh") \
	X(ADMITTED, "ngay_vao_dang") \
	X(OFFICIAL, "ngay_chinh_thuc") \
	X(CARD, "so_the") \
	X(GROUP, "to_dang") \
	X(PARTY_POS, "chuc_vu_dang") \
	X(WORK_POS, "chuc_vu_chinh_quyen") \
	X(CIVIL, "cong_chuc") \
	X(UPPER, "cap_tren_quan_ly") \
	X(COMMITTEE, "chi_uy") \
	X(LEADER, "to_truong") \
	X(EMAIL, "email")

enum kd_roster_col {
#define KD_X(id, name) KD_RC_##id,
	KD_ROSTER_COLUMNS(KD_X)
#undef KD_X
	KD_RC_COUNT
};

/* The CSV header names, indexed by enum kd_roster_col. */
extern const char *const kd_roster_columns[KD_RC_COUNT];

/* One person as stored. Text is NFC; NULL means empty. */
struct kd_person {
	long long id;
	const char *code;               /* "dv07" */
	const char *full_name;          /* "Nguyễn Thị Hồng Chương" */
	const char *family_name, *middle_name, *given_name;     /* never NULL */
	struct kd_date birth, admitted, official;       /* y == 0: not known */
	const char *card_no;
	const char *email;
	const char *party_position;     /* chức vụ Đảng */
	const char *work_position;      /* chức vụ chính quyền, đoàn thể */
	bool civil_servant;             /* cán bộ, công chức, viên chức */
	bool upper_managed;             /* thuộc diện cấp trên quản lý */
	long long group_id;             /* 0: in no party group */
	const char *group;              /* the group's code, NULL with group_id 0 */
	const char *committee_role;     /* "bi_thu", "pho_bi_thu", "chi_uy_vien"; NULL */
	bool group_leader;              /* tổ trưởng of `group` */
	bool active;
};

/* One row of a change: field[c] is the text given for column c, exactly as
 * received (any bytes: it is validated and normalized to NFC here), or
 * NULL when the column is not given: a new person gets the default (empty
 * or 0) and an existing one keeps what they have. */
struct kd_roster_row {
	long line;                              /* source line; 0: not from a file */
	const char *field[KD_RC_COUNT];
};

enum kd_roster_mode {
	KD_ROSTER_UPSERT,   /* import: a known code updates, a new one adds */
	KD_ROSTER_ADD,      /* member add: every code must be new */
	KD_ROSTER_UPDATE    /* member set: every code must exist */
};

struct kd_roster_change {
	const char *source;             /* starts every message: "roster.csv", "member add" */
	const char *const *names;       /* each column's name in messages; NULL: the CSV names */
	enum kd_roster_mode mode;
	bool dry_run;                   /* validate and write, then roll back */
	const struct kd_roster_row *rows;       /* kd_roster_apply() only */
	size_t n;
};

struct kd_roster_counts {
	size_t added, updated, unchanged;
};

/* ---- an import, streamed: memory does not grow with its rows
 *
 * kd_roster_import_begin() opens the change's one kd_tx (and a TEMP
 * staging table in it); kd_roster_import_row() checks one row's own fields
 * (its problems are held, in row order, the first KD_ERR_MAX_LINES of
 * them) and stages it; kd_roster_import_end() runs the checks across rows
 * and against the stored people as queries over the staging table, moves
 * every problem, in row order, to `err` (those past KD_ERR_MAX_LINES only
 * counted), then writes all the rows and commits, or with any problem
 * (or !input_ok, or ch->dry_run) rolls back. The rows of `ch` are not
 * used; `ch`'s other fields must outlive the import. end() must be called
 * whatever begin() and row() returned, and frees the import. */
struct kd_roster_import;

KD_WUR int kd_roster_import_begin(struct kd_db *db, const struct kd_roster_change *ch, const char *actor,
				  const char *action, struct kd_roster_import **out, struct kd_err *err);
/* Returns KD_OK, or a database failure (then stop; end() rolls back). A
 * row's problems are not failures here: end() reports them. The row's
 * text is copied. */
KD_WUR int kd_roster_import_row(struct kd_roster_import *im, const struct kd_roster_row *row);
/* input_ok false: the input had problems of its own (the CSV's shape),
 * already in err; check the rows anyway, write nothing, KD_EINPUT. */
KD_WUR int kd_roster_import_end(struct kd_roster_import *im, bool input_ok, struct kd_roster_counts *counts);

/* A roster CSV (UTF-8, optional BOM, ',' or ';' as found in the header,
 * header on line 1) read as it comes, each row handed to `sink`
 * (kd_roster_import_row) as soon as it is whole; the reader holds one
 * record. Rows of only empty fields are skipped. Problems of the file's
 * shape (header, quoting, a row with the wrong number of fields) go
 * straight to err, prefixed "SOURCE:LINE: "; their rows are left out and
 * the rest still go to the sink, so that one run reports everything. A
 * header that cannot be used sends no rows. */
struct kd_roster_csv;

struct kd_roster_csv *kd_roster_csv_new(const char *source, struct kd_roster_import *sink, struct kd_err *err);
/* Feed the next len bytes (any split). Returns the sink's failure, if
 * any (stop feeding), else KD_OK. */
KD_WUR int kd_roster_csv_feed(struct kd_roster_csv *csv, const char *data, size_t len);
/* The end of the file: finish the last record and free the reader.
 * KD_EINPUT when the file's shape had problems, the sink's failure, or
 * KD_OK. */
KD_WUR int kd_roster_csv_end(struct kd_roster_csv *csv);

/* Validate `ch` and write it as one audited transaction by `actor` (NULL:
 * kd_default_actor()) recorded as `action`: kd_roster_import_begin(), a
 * row() each, end(). With any problem nothing is
 * written and the first problem's code is returned (KD_EINPUT for bad
 * values, KD_ECONFLICT for `add` of a known code, KD_ENOTFOUND for `set`
 * of an unknown one).
 *
 * Test hook: with KIEMDIEM_FAULT_AFTER_ROWS=N in the environment the
 * process aborts right after writing its N-th row (an update, or the bulk
 * insert of the new people that passes N), before the commit (crash
 * injection: the tests prove that a crash leaves nothing written). */
KD_WUR int kd_roster_apply(struct kd_db *db, const struct kd_roster_change *ch, const char *actor,
			   const char *action, struct kd_roster_counts *counts, struct kd_err *err);

/* The active people, of group `group` (a code; NULL: all), in Vietnamese
 * order: given name, then middle name, then family name. Those of the
 * connection's cell when one is chosen (db.h kd_db_cell_use/_set: a
 * database of many cells), else every person of the database. */
KD_WUR int kd_roster_list(struct kd_db *db, const char *group, struct kd_arena *arena,
			  struct kd_person **out, size_t *n, struct kd_err *err);
/* One person by code; KD_ENOTFOUND (with a message) when there is none. */
KD_WUR int kd_roster_get(struct kd_db *db, const char *code, struct kd_arena *arena,
			 struct kd_person *out, struct kd_err *err);
/* The roster as CSV (header row, ',' separated, dates YYYY-MM-DD, '\n'
 * line ends), people as kd_roster_list() orders them, appended to `out`. */
KD_WUR int kd_roster_write_csv(struct kd_db *db, struct strbuf *out, struct kd_err *err);

/* A date as the roster accepts it: "YYYY-MM-DD" or "DD/MM/YYYY" (day and
 * month may have one digit), a real calendar date. */
bool kd_roster_date(const char *s, size_t len, struct kd_date *out);
/* Whether `s` is a code: 1 to 32 ASCII letters, digits, '.', '-', '_'. */
bool kd_roster_code_valid(const char *s);
/* The Vietnamese title of a committee role code ("bi_thu" -> "Bí thư"),
 * NULL for an unknown code. */
const char *kd_roster_role_title(const char *role);

/* ------------------------------------------------------------ groups */

struct kd_group {
	long long id;
	const char *code, *name;
	long long members;              /* active people in the group */
	const char *leader_code, *leader_name;  /* tổ trưởng; NULL: none */
	const char *supervisors;        /* "Nguyễn Thị Hồng Chương (dv01)", ", "-joined; NULL: none */
};

/* Add party group `code` named `name` to the cell (one audit entry). */
KD_WUR int kd_group_add(struct kd_db *db, const char *code, const char *name, const char *actor,
			struct kd_err *err);
/* The cell's party groups, in the order they were added (the chosen
 * cell's, as kd_roster_list()). */
KD_WUR int kd_group_list(struct kd_db *db, struct kd_arena *arena, struct kd_group **out, size_t *n,
			 struct kd_err *err);
/* Make committee member `person` the one in charge of `group` (plan VI.1:
 * "cấp ủy phụ trách"), replacing whoever was; the replaced person's full
 * name goes to *replaced (in `arena`; NULL when there was none or it was
 * already `person`). */
KD_WUR int kd_group_supervise(struct kd_db *db, const char *group, const char *person, const char *actor,
			      struct kd_arena *arena, const char **replaced, struct kd_err *err);

/* ------------------------------------------------------------ mass organisations */

struct kd_mass_org {
	long long id;
	const char *name;
};

/* Add mass organisation `name` (Công đoàn, Đoàn Thanh niên, ...) to the cell. */
KD_WUR int kd_massorg_add(struct kd_db *db, const char *name, const char *actor, struct kd_err *err);
/* The cell's mass organisations in Vietnamese order. */
KD_WUR int kd_massorg_list(struct kd_db *db, struct kd_arena *arena, struct kd_mass_org **out, size_t *n,
			   struct kd_err *err);

#endif
