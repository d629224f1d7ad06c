/* sqlite_floor: the floor for `kiemdiem import roster` on one roster CSV.
 *
 *     sqlite_floor CSV DB [GROUPS]
 *
 * Removes DB (and its -wal and -shm files), opens it fresh with the pragmas
 * kiemdiem uses (journal_mode=WAL, synchronous=FULL, foreign_keys=ON), creates
 * the `org` and `person` tables with their indexes exactly as migration 1
 * (src/store/migrations.c) does, and commits the cell (org 1) and GROUPS party
 * groups to0001... (org 1 + k; default 3000), the setup `kiemdiem init` and
 * `kiemdiem group add` do. Then, in one transaction with one prepared INSERT,
 * it writes one person per line of CSV: the same 19 columns, with the same
 * values, that the import writes (the name split into family, middle and given
 * name at its first and last space, dates DD/MM/YYYY turned into YYYY-MM-DD,
 * yes/no into 1/0, empty text into NULL).
 *
 * The CSV is parsed naively: it is bench/gen_roster.py's output (header line,
 * ',' separators, '\n' line ends, double quotes only around fields with a
 * comma), and nothing is validated, normalized or audited. That is the point:
 * this is the least work SQLite needs to store the same rows, so the import
 * cannot be faster than it. bench/store.sh reports both.
 *
 * Standard output: one line "rows N setup_s S import_s T", where import_s
 * covers reading the file, the inserts and the commit.
 * Exit status: 0 on success, 2 on any error. */
#define _POSIX_C_SOURCE 200809L

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

/* From src/store/migrations.c, migration 1 (org and person only). */
static const char schema[] =
	"CREATE TABLE org ("
	" id INTEGER PRIMARY KEY,"
	" parent_id INTEGER REFERENCES org(id),"
	" kind TEXT NOT NULL CHECK (kind IN ('upper','committee','cell','group')),"
	" code TEXT NOT NULL UNIQUE,"
	" name TEXT NOT NULL,"
	" position INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE person ("
	" id INTEGER PRIMARY KEY,"
	" code TEXT NOT NULL UNIQUE,"
	" full_name TEXT NOT NULL,"
	" family_name TEXT NOT NULL DEFAULT '',"
	" middle_name TEXT NOT NULL DEFAULT '',"
	" given_name TEXT NOT NULL,"
	" birth_date TEXT,"
	" admitted_on TEXT,"
	" official_on TEXT,"
	" card_no TEXT UNIQUE,"
	" email TEXT,"
	" party_position TEXT,"
	" work_position TEXT,"
	" civil_servant INTEGER NOT NULL DEFAULT 0,"
	" upper_managed INTEGER NOT NULL DEFAULT 0,"
	" cell_id INTEGER NOT NULL REFERENCES org(id),"
	" group_id INTEGER REFERENCES org(id),"
	" committee_role TEXT CHECK (committee_role IN ('bi_thu','pho_bi_thu','chi_uy_vien')),"
	" group_leader INTEGER NOT NULL DEFAULT 0 CHECK (group_leader = 0 OR group_id IS NOT NULL),"
	" active INTEGER NOT NULL DEFAULT 1);"
	"CREATE INDEX person_cell ON person(cell_id, group_id);"
	"CREATE INDEX person_group ON person(group_id);"
	"CREATE UNIQUE INDEX person_secretary ON person(cell_id) WHERE committee_role = 'bi_thu' AND active = 1;"
	"CREATE UNIQUE INDEX person_group_leader ON person(group_id) WHERE group_leader = 1 AND active = 1;";

static const char insert_sql[] =
	"INSERT INTO person (code, full_name, family_name, middle_name, given_name, birth_date,"
	" admitted_on, official_on, card_no, email, party_position, work_position, civil_servant,"
	" upper_managed, cell_id, group_id, committee_role, group_leader, active)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)";

enum { C_MA, C_HO_TEN, C_SINH, C_VAO, C_CHINH_THUC, C_THE, C_TO, C_CV_DANG, C_CV_CQ, C_CONG_CHUC, C_CAP_TREN,
       C_CHI_UY, C_TO_TRUONG, C_EMAIL, NCOLS };
static const char *const colnames[NCOLS] = {
	"ma", "ho_ten", "ngay_sinh", "ngay_vao_dang", "ngay_chinh_thuc", "so_the", "to_dang", "chuc_vu_dang",
	"chuc_vu_chinh_quyen", "cong_chuc", "cap_tren_quan_ly", "chi_uy", "to_truong", "email",
};
#define MAXF 32

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die_db(sqlite3 *db, const char *what)
{
	fprintf(stderr, "sqlite_floor: %s: %s\n", what, sqlite3_errmsg(db));
	exit(2);
}

static void exec(sqlite3 *db, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		die_db(db, sql);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0) {
		perror(path);
		exit(2);
	}
	long size = ftell(f);
	rewind(f);
	char *buf = malloc((size_t)size + 1);
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
		perror(path);
		exit(2);
	}
	fclose(f);
	buf[size] = '\0';
	*len = (size_t)size;
	return buf;
}

/* Split the line at *p (ending at '\n' or end) into NUL-terminated fields in
 * place, unquoting "..." fields; returns the number of fields and moves *p to
 * the next line. */
static int split(char **p, char *end, char *f[MAXF])
{
	char *s = *p, *w = s;
	int n = 0;
	f[n++] = w;
	while (s < end && *s != '\n') {
		if (*s == '"') {
			for (s++; s < end; s++) {
				if (*s == '"' && s + 1 < end && s[1] == '"')
					*w++ = *s++;
				else if (*s == '"')
					break;
				else
					*w++ = *s;
			}
			s++;
		} else if (*s == ',') {
			*w++ = '\0';
			s++;
			if (n < MAXF)
				f[n++] = w;
		} else {
			*w++ = *s++;
		}
	}
	*w = '\0';
	*p = s < end ? s + 1 : end;
	return n;
}

/* "D/M/YYYY" into "YYYY-MM-DD" in buf; ISO dates and "" are returned as they are. */
static const char *iso_date(const char *s, char buf[static 11])
{
	unsigned d, m, y;
	if (!strchr(s, '/'))
		return s;
	if (sscanf(s, "%u/%u/%u", &d, &m, &y) != 3)
		return s;
	snprintf(buf, 11, "%04u-%02u-%02u", y % 10000u, m % 100u, d % 100u);
	return buf;
}

static int yes(const char *s)
{
	return !strcmp(s, "1") || !strcmp(s, "co") || !strcmp(s, "có");
}

static void bind_text(sqlite3_stmt *st, int i, const char *s, int len)
{
	if (!*s)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, len, SQLITE_STATIC);
}

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: sqlite_floor CSV DB [GROUPS]\n");
		return 2;
	}
	const char *csv = argv[1], *path = argv[2];
	int groups = argc > 3 ? atoi(argv[3]) : 3000;
	if (groups < 0 || groups > 9999) {
		fprintf(stderr, "sqlite_floor: GROUPS must be between 0 and 9999\n");
		return 2;
	}
	char tmp[4096];
	unlink(path);
	snprintf(tmp, sizeof(tmp), "%s-wal", path);
	unlink(tmp);
	snprintf(tmp, sizeof(tmp), "%s-shm", path);
	unlink(tmp);

	double t0 = now();
	sqlite3 *db;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		die_db(db, path);
	exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
	exec(db, "BEGIN IMMEDIATE");
	exec(db, schema);
	exec(db, "INSERT INTO org (id, kind, code, name) VALUES (1, 'cell', 'CB', 'Chi bộ')");
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "INSERT INTO org (id, parent_id, kind, code, name, position)"
			       " VALUES (?1, 1, 'group', ?2, ?3, ?4)", -1, &st, NULL) != SQLITE_OK)
		die_db(db, "prepare org");
	for (int g = 1; g <= groups; g++) {
		char code[24], name[48];
		snprintf(code, sizeof(code), "to%04d", g);
		snprintf(name, sizeof(name), "Tổ đảng %d", g);
		sqlite3_bind_int64(st, 1, 1 + g);
		sqlite3_bind_text(st, 2, code, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 4, g);
		if (sqlite3_step(st) != SQLITE_DONE)
			die_db(db, "insert org");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	exec(db, "COMMIT");
	double t1 = now();

	size_t len;
	char *data = read_file(csv, &len), *p = data, *end = data + len;
	char *f[MAXF];
	int nh = split(&p, end, f), col[NCOLS];
	for (int c = 0; c < NCOLS; c++) {
		col[c] = -1;
		for (int i = 0; i < nh; i++)
			if (!strcmp(f[i], colnames[c]))
				col[c] = i;
		if (col[c] < 0) {
			fprintf(stderr, "sqlite_floor: %s: no column %s\n", csv, colnames[c]);
			return 2;
		}
	}
	if (sqlite3_prepare_v3(db, insert_sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
		die_db(db, "prepare person");
	exec(db, "BEGIN IMMEDIATE");
	long rows = 0;
	while (p < end) {
		int n = split(&p, end, f);
		if (n == 1 && !*f[0])
			continue;
		if (n != nh) {
			fprintf(stderr, "sqlite_floor: %s: line %ld has %d fields, expected %d\n", csv, rows + 2, n, nh);
			return 2;
		}
		const char *name = f[col[C_HO_TEN]];
		const char *first = strchr(name, ' '), *last = strrchr(name, ' ');
		char b1[11], b2[11], b3[11];
		if (first) {
			sqlite3_bind_text(st, 3, name, (int)(first - name), SQLITE_STATIC);
			sqlite3_bind_text(st, 4, first == last ? "" : first + 1, first == last ? 0 : (int)(last - first - 1),
					  SQLITE_STATIC);
			sqlite3_bind_text(st, 5, last + 1, -1, SQLITE_STATIC);
		} else {
			sqlite3_bind_text(st, 3, "", 0, SQLITE_STATIC);
			sqlite3_bind_text(st, 4, "", 0, SQLITE_STATIC);
			sqlite3_bind_text(st, 5, name, -1, SQLITE_STATIC);
		}
		bind_text(st, 1, f[col[C_MA]], -1);
		bind_text(st, 2, name, -1);
		bind_text(st, 6, iso_date(f[col[C_SINH]], b1), -1);
		bind_text(st, 7, iso_date(f[col[C_VAO]], b2), -1);
		bind_text(st, 8, iso_date(f[col[C_CHINH_THUC]], b3), -1);
		bind_text(st, 9, f[col[C_THE]], -1);
		bind_text(st, 10, f[col[C_EMAIL]], -1);
		bind_text(st, 11, f[col[C_CV_DANG]], -1);
		bind_text(st, 12, f[col[C_CV_CQ]], -1);
		sqlite3_bind_int(st, 13, yes(f[col[C_CONG_CHUC]]));
		sqlite3_bind_int(st, 14, yes(f[col[C_CAP_TREN]]));
		sqlite3_bind_int(st, 15, 1);
		const char *grp = f[col[C_TO]];
		if (*grp)
			sqlite3_bind_int64(st, 16, 1 + strtol(grp + 2, NULL, 10));     /* "to0042" -> org 43 */
		else
			sqlite3_bind_null(st, 16);
		bind_text(st, 17, f[col[C_CHI_UY]], -1);
		sqlite3_bind_int(st, 18, yes(f[col[C_TO_TRUONG]]));
		sqlite3_bind_int(st, 19, 1);
		if (sqlite3_step(st) != SQLITE_DONE)
			die_db(db, "insert person");
		sqlite3_reset(st);
		rows++;
	}
	sqlite3_finalize(st);
	exec(db, "COMMIT");
	double t2 = now();
	if (sqlite3_close(db) != SQLITE_OK)
		die_db(db, "close");
	free(data);
	printf("rows %ld setup_s %.3f import_s %.3f\n", rows, t1 - t0, t2 - t1);
	return 0;
}
