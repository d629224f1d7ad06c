/* classify_cells: classify every cell of a large store, beside its floors.
 *
 *     classify_cells [--raw] [--per-db K] [--keep] [CELLS [DB [MEMBERS]]]
 *
 * Removes DB (default classify_cells.db) and its -wal and -shm files, creates
 * it with kd_db_open (so the real schema and pragmas) and fills it through
 * kd_tx_insert with CELLS cells (default 3030) of MEMBERS members (default 33),
 * one audited transaction per cell: the cell (org, kind 'cell'), its people, a
 * 2021 campaign (rule set kh19-2021, as of 2021-11-27), each member's review
 * with the three criterion levels, the declared facts that differ from their
 * defaults (civil_servant_rating as the JSON literal "HTXSNV" and so on), two
 * leaders with their facts, the collective's eight levels, two mass
 * organisations and the leadership rating, one cell meeting, and one tally per
 * voting member (voters 32, ballots summing to at most 32). The mix is that of
 * bench/gen_classify.py: about 2.5% not rated, a third aiming at HTXSNV (so
 * the 20% quota binds in most cells), a few KHTNV, a few ballots without a
 * majority. Everything comes from one fixed seed, so the cells are the same
 * whatever K is.
 *
 * With --per-db K the cells go K to a database instead: DB.1, DB.2, ...,
 * each created, measured through every phase below and closed before the
 * next, and removed afterwards unless --keep. K = 1 is how kiemdiem keeps
 * them (one cell per database file); the phases' times are summed.
 *
 * The phases, one after the other on the same database:
 *   fill        kd_db_open (creating the file) and the inserts above;
 *   load        kd_campaign_load of every campaign (read only), kept in memory;
 *   classify    kd_classify of every loaded cell, in memory only: the floor;
 *   + reasons   kd_classify and every subject's Vietnamese reasons
 *               (kd_explain_*), in memory: what kd_results_store renders;
 *   store       per campaign, what `kiemdiem classify --campaign` does
 *               (cmd_classify.c): load and kd_classify, then
 *               kd_results_store in one kd_tx (one commit, one audit entry
 *               per cell); the results are new rows;
 *   store again the same once more: the results exist and do not change, so
 *               every row is read, compared and updated, and no audit entry
 *               is written;
 *   verify      kd_audit_verify of the database;
 *   close       kd_db_close (SQLite checkpoints the WAL into the file).
 *
 * Checks: every pass must give the same ratings as the floor, and each
 * database must hold 1 + 2 x its cells audit entries.
 *
 * Standard output: a markdown table (wall and CPU time, cells/s, members/s,
 * ratio to the floor, the process's peak RSS so far after each phase), or
 * with --raw one line per phase, "PHASE WALL CPU RSS_KB", then the counts, for bench/store.sh to take medians of. Progress and the
 * checks' results go to standard error.
 * Exit status: 0 on success; 1 when a step or a check fails; 2 on a bad
 * command line. */
#include "store/cell_load.h"
#include "store/tx.h"
#include "text/text.h"

#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static const char *const families[] = {
	"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
	"Dương", "Lý", "Trương", "Đinh", "Lâm", "Mai", "Cao", "Châu",
};
static const char *const middles[] = {
	"Thị", "Văn", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Hồng", "Kim", "Thu", "Quốc", "Bích", "Như", "Mỹ",
	"Anh", "Trọng", "Xuân", "Thúy", "Hoài", "Bảo",
};
static const char *const givens[] = {
	"Lệ", "Dung", "Thủy", "Ngân", "Hồng", "Tuấn", "Hiền", "Hải", "Kháng", "Hào", "Nhi", "Lan", "Xuân",
	"Chất", "Hiệp", "Hạnh", "Quỳnh", "Châu", "Trang", "Ngọc", "Triều", "Nguyên", "Linh", "Nhật", "Đức",
	"Phượng", "Chương", "Ba", "Hùng", "Phúc", "Sơn", "Yến",
};
static const char *const collective_criteria[] = {
	"chinh_tri_tu_tuong", "to_chuc_can_bo", "lanh_dao_doan_the", "kiem_tra_giam_sat", "ke_hoach_nam",
	"chi_tieu_nhiem_vu", "xep_loai_doan_the", "khac_phuc",
};

#define VOTERS 32

/* ------------------------------------------------------------ helpers */

static uint64_t rng_state = 20211127;

static uint64_t rng_next(void)    /* splitmix64 */
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static double rnd(void) { return (double)(rng_next() >> 11) / 9007199254740992.0; }
static int rnd_int(int lo, int hi) { return lo + (int)(rng_next() % (uint64_t)(hi - lo + 1)); }
#define PICK(a) ((a)[rng_next() % KD_ARRAY_LEN(a)])

/* XS with probability xs, T with t, TB with tb, else K. */
static const char *level(double xs, double t, double tb)
{
	double x = rnd();
	return x < xs ? "XS" : x < xs + t ? "T" : x < xs + t + tb ? "TB" : "K";
}

struct clock2 {
	double wall, cpu;
};

static struct clock2 clock_now(void)
{
	struct timespec w, c;
	clock_gettime(CLOCK_MONOTONIC, &w);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c);
	return (struct clock2){ (double)w.tv_sec + (double)w.tv_nsec / 1e9, (double)c.tv_sec + (double)c.tv_nsec / 1e9 };
}

static struct clock2 clock_since(struct clock2 t0)
{
	struct clock2 t = clock_now();
	return (struct clock2){ t.wall - t0.wall, t.cpu - t0.cpu };
}

static int fail(struct kd_err *err, const char *what)
{
	fprintf(stderr, "classify_cells: %s failed:\n", what);
	kd_err_print(err, stderr);
	return 1;
}

/* ------------------------------------------------------------ filling */

static int fact(struct kd_tx *tx, long long campaign, const char *subject, long long person, const char *key,
		const char *value)
{
	return kd_tx_insert(tx, KD_T_fact, NULL, "INSERT INTO fact (campaign_id, subject, person_id, key, value)"
			    " VALUES ($1, $2, $3, $4, $5) RETURNING id", "itItt", campaign, subject, person, key, value);
}

/* Member i of cell c: person (id to *pid), review, levels, facts, ballots. */
static int fill_member(struct kd_tx *tx, long long cell, long long campaign, long long meeting, int c, int i,
		       long long *pid)
{
	char code[32], bdate[11], adate[11], odate[11], card[16];
	struct strbuf name = STRBUF_INIT, fam = STRBUF_INIT, mid = STRBUF_INIT, giv = STRBUF_INIT;
	snprintf(code, sizeof(code), "c%04d.dv%02d", c + 1, i + 1);
	strbuf_addf(&name, "%s %s %s", PICK(families), PICK(middles), PICK(givens));
	kd_name_split(name.buf, &fam, &mid, &giv);
	struct kd_date birth = { rnd_int(1955, 1998), rnd_int(1, 12), rnd_int(1, 28) };
	struct kd_date admitted = { rnd_int(birth.y + 18, 2020), rnd_int(1, 12), rnd_int(1, 28) };
	const char *cs = NULL, *self = "HTTNV", *crit[3] = { NULL, NULL, NULL };
	const char *vote_main = "HTTNV", *vote_spill = "HTNV";
	double share_lo = 0.6, share_hi = 1.0;
	bool exemplary = false, votes = true, not_rated_flag = false;
	const char *nr_key = NULL;
	double p = rnd();
	if (p < 0.025) {                /* not rated (M-NR1..3) */
		if (rnd() < 0.7) {
			admitted = (struct kd_date){ 2021, rnd_int(6, 11), rnd_int(1, 28) };
			if (admitted.m == 11 && admitted.d > 26)
				admitted.d = 26;
		} else {
			nr_key = rnd() < 0.67 ? "exempted" : "suspended";
		}
		not_rated_flag = true;
		votes = false;
		if (rnd() < 0.5) {
			crit[0] = "T";
			crit[1] = rnd() < 0.5 ? "T" : "XS";
			crit[2] = "T";
		}
	} else if (p < 0.36) {          /* strong: aims at HTXSNV */
		cs = rnd() < 0.85 ? "HTXSNV" : NULL;
		crit[0] = level(0.5, 0.5, 0);
		crit[1] = "XS";
		crit[2] = level(0.4, 0.6, 0);
		exemplary = rnd() < 0.9;
		self = "HTXSNV";
		vote_main = "HTXSNV";
		vote_spill = "HTTNV";
		share_lo = 0.45;
		share_hi = 0.95;
	} else if (p < 0.85) {          /* good: HTTNV */
		double x = rnd();
		cs = x < 0.2 ? "HTXSNV" : x < 0.85 ? "HTTNV" : NULL;
		crit[0] = level(0.15, 0.83, 0.02);
		crit[1] = level(0.2, 0.8, 0);
		crit[2] = level(0.1, 0.88, 0.02);
		exemplary = rnd() < 0.05;
		if (rnd() < 0.2)
			vote_spill = "HTXSNV";
	} else if (p < 0.97) {          /* weaker: HTNV */
		double x = rnd();
		cs = x < 0.3 ? "HTTNV" : x < 0.9 ? "HTNV" : NULL;
		crit[0] = level(0, 0.7, 0.3);
		crit[1] = level(0, 0.5, 0.5);
		crit[2] = level(0, 0.6, 0.4);
		self = "HTNV";
		vote_main = "HTNV";
		vote_spill = "HTTNV";
		share_lo = 0.55;
	} else {                        /* failing: KHTNV */
		double x = rnd();
		cs = x < 0.4 ? "HTNV" : x < 0.8 ? "KHTNV" : NULL;
		crit[0] = level(0, 0.3, 0.5);
		crit[1] = level(0, 0.1, 0.5);
		crit[2] = level(0, 0.3, 0.5);
		self = "HTNV";
		vote_main = "KHTNV";
		vote_spill = "HTNV";
		share_lo = 0.55;
	}
	struct kd_date official = kd_date_add_months(admitted, 12);
	bool is_official = kd_date_cmp(official, (struct kd_date){ 2021, 11, 27 }) <= 0;
	snprintf(card, sizeof(card), "79.%07d", c * 100 + i + 1);
	int rc = kd_tx_insert(tx, KD_T_person, pid,
			      "INSERT INTO person (code, full_name, family_name, middle_name, given_name, birth_date,"
			      " admitted_on, official_on, card_no, party_position, work_position, civil_servant,"
			      " cell_id, group_id, committee_role, group_leader)"
			      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
			      "tttttttttttiIIti", code, name.buf, fam.buf, mid.buf, giv.buf, kd_date_iso(birth, bdate),
			      kd_date_iso(admitted, adate), is_official ? kd_date_iso(official, odate) : NULL, card,
			      i == 0 ? "Bí thư chi bộ" : i == 1 ? "Phó Bí thư chi bộ" : "Đảng viên",
			      i == 0 ? "Hiệu trưởng" : i == 1 ? "Phó Hiệu trưởng" : i % 5 == 0 ? "Tổ trưởng chuyên môn" : "Giáo viên",
			      (long long)(cs != NULL), cell, 0LL, i == 0 ? "bi_thu" : i == 1 ? "pho_bi_thu" : NULL, 0LL);
	strbuf_release(&name);
	strbuf_release(&fam);
	strbuf_release(&mid);
	strbuf_release(&giv);
	long long review = 0;
	if (rc == KD_OK)
		rc = kd_tx_insert(tx, KD_T_review, &review, "INSERT INTO review (campaign_id, person_id, status, self_rating,"
				  " submitted_on) VALUES ($1, $2, $3, $4, $5) RETURNING id", "iittt", campaign, *pid,
				  crit[0] ? "submitted" : "draft", crit[0] ? self : NULL, crit[0] ? "2021-11-20" : NULL);
	static const char *const criteria[] = { "pham_chat", "nhiem_vu", "cam_ket" };
	for (int k = 0; rc == KD_OK && k < 3 && crit[k]; k++)
		rc = kd_tx_insert(tx, KD_T_review_level, NULL, "INSERT INTO review_level (review_id, criterion, level)"
				  " VALUES ($1, $2, $3) RETURNING id", "itt", review, criteria[k], crit[k]);
	char json[32];
	if (rc == KD_OK && cs) {
		snprintf(json, sizeof(json), "\"%s\"", cs);
		rc = fact(tx, campaign, "member", *pid, "civil_servant_rating", json);
	}
	if (rc == KD_OK && exemplary)
		rc = fact(tx, campaign, "member", *pid, "exemplary", "true");
	if (rc == KD_OK && nr_key)
		rc = fact(tx, campaign, "member", *pid, nr_key, "true");
	if (!not_rated_flag) {
		double x = rnd();
		if (rc == KD_OK && x < 0.002)
			rc = fact(tx, campaign, "member", *pid, "degradation_concluded", "true");
		if (rc == KD_OK && x > 0.995)
			rc = fact(tx, campaign, "member", *pid, "disciplined", "true");
		if (rc == KD_OK && rnd() < 0.1) {
			static const char *const pct[] = { "95", "90", "80", "75", "60", "45", "30" };
			rc = fact(tx, campaign, "member", *pid, "task_completion_pct", PICK(pct));
		}
		if (rc == KD_OK && rnd() < 0.04) {
			static const char *const months[] = { "0.5", "1", "2", "2.5", "3", "4", "6" };
			rc = fact(tx, campaign, "member", *pid, "sick_leave_months", PICK(months));
		}
	}
	if (rc == KD_OK && votes && is_official) {
		long long present = VOTERS - (rnd() < 0.3 ? rnd_int(1, 4) : 0);
		long long k = rnd_int((int)((double)present * share_lo), (int)((double)present * share_hi));
		long long v[KD_RATING_COUNT] = { 0 };
		static const char *const codes[KD_RATING_COUNT] = { "KHTNV", "HTNV", "HTTNV", "HTXSNV" };
		for (int r = 0; r < KD_RATING_COUNT; r++) {
			if (!strcmp(codes[r], vote_main))
				v[r] += k;
			if (!strcmp(codes[r], vote_spill))
				v[r] += present - k;
		}
		if (rnd() < 0.003)      /* too many blank ballots: no majority (V-1) */
			for (int r = 0; r < KD_RATING_COUNT; r++)
				v[r] /= 3;
		rc = kd_tx_insert(tx, KD_T_tally, NULL, "INSERT INTO tally (meeting_id, subject, person_id, round, voters,"
				  " issued, invalid, unused, htxsnv, httnv, htnv, khtnv)"
				  " VALUES ($1, 'member', $2, 1, $3, $4, 0, $5, $6, $7, $8, $9) RETURNING id", "iiiiiiiii",
				  meeting, *pid, (long long)VOTERS, present, VOTERS - present, v[KD_HTXSNV], v[KD_HTTNV],
				  v[KD_HTNV], v[KD_KHTNV]);
	}
	return rc;
}

static int fill_cell(struct kd_tx *tx, long long upper, int c, int members, long long *pid)
{
	char code[16], name[96];
	long long cell, campaign, meeting;
	snprintf(code, sizeof(code), "CB%04d", c + 1);
	snprintf(name, sizeof(name), "Chi bộ trường THPT số %d", c + 1);
	int rc = kd_tx_insert(tx, KD_T_org, &cell, "INSERT INTO org (parent_id, kind, code, name, position)"
			      " VALUES ($1, 'cell', $2, $3, $4) RETURNING id", "itti", upper, code, name, (long long)c + 1);
	if (rc == KD_OK)
		rc = kd_tx_insert(tx, KD_T_campaign, &campaign, "INSERT INTO campaign (cell_id, year, ruleset, as_of, title)"
				  " VALUES ($1, 2021, 'kh19-2021', '2021-11-27', $2) RETURNING id", "it", cell,
				  "Kế hoạch kiểm điểm, đánh giá, xếp loại chất lượng năm 2021");
	if (rc == KD_OK)
		rc = kd_tx_insert(tx, KD_T_meeting, &meeting, "INSERT INTO meeting (campaign_id, org_id, scheduled_on, held_on,"
				  " place) VALUES ($1, $2, '2021-11-27', '2021-11-27', $3) RETURNING id", "iit", campaign, cell,
				  "Hội trường nhà trường");
	for (int i = 0; rc == KD_OK && i < members; i++)
		rc = fill_member(tx, cell, campaign, meeting, c, i, &pid[i]);

	/* Two leaders: the bí thư (heads the collective) and the phó bí thư. */
	for (int l = 0; rc == KD_OK && l < 2 && l < members; l++) {
		rc = kd_tx_insert(tx, KD_T_leader, NULL, "INSERT INTO leader (campaign_id, person_id, title, heads_collective)"
				  " VALUES ($1, $2, $3, $4) RETURNING id", "iiti", campaign, pid[l],
				  l == 0 ? "Bí thư chi bộ, Hiệu trưởng" : "Phó Bí thư chi bộ, Phó Hiệu trưởng", (long long)(l == 0));
		int total = rnd_int(8, 20), completed = total - (rnd() < 0.8 ? 0 : rnd_int(1, 3));
		char num[16];
		static const char *const duties[] = { "[\"cao\",\"cao\",\"dat\"]", "[\"cao\",\"dat\",\"dat\",\"cao\"]",
						      "[\"dat\",\"dat\",\"thap\"]" };
		static const char *const exemplary[] = { "\"thuc_su\"", "\"co\"", "\"co\"" };
		if (rc == KD_OK)
			rc = fact(tx, campaign, "leader", pid[l], "duties", PICK(duties));
		if (rc == KD_OK)
			rc = fact(tx, campaign, "leader", pid[l], "exemplary", PICK(exemplary));
		snprintf(num, sizeof(num), "%d", total);
		if (rc == KD_OK)
			rc = fact(tx, campaign, "leader", pid[l], "unit_targets.total", num);
		snprintf(num, sizeof(num), "%d", completed);
		if (rc == KD_OK)
			rc = fact(tx, campaign, "leader", pid[l], "unit_targets.completed", num);
		snprintf(num, sizeof(num), "%d", completed / 3);
		if (rc == KD_OK)
			rc = fact(tx, campaign, "leader", pid[l], "unit_targets.exceeded", num);
		snprintf(num, sizeof(num), "%d", completed - rnd_int(0, completed < 2 ? completed : 2));
		if (rc == KD_OK)
			rc = fact(tx, campaign, "leader", pid[l], "unit_targets.on_time", num);
		if (rc == KD_OK && rnd() < 0.5)
			rc = fact(tx, campaign, "leader", pid[l], "initiative_applied", "true");
	}

	/* The collective: its eight criteria, two mass organisations, the chi ủy's rating. */
	for (size_t k = 0; rc == KD_OK && k < KD_ARRAY_LEN(collective_criteria); k++)
		rc = kd_tx_insert(tx, KD_T_collective_level, NULL, "INSERT INTO collective_level (campaign_id, criterion, level)"
				  " VALUES ($1, $2, $3) RETURNING id", "itt", campaign, collective_criteria[k],
				  level(0.3, 0.65, 0.05));
	static const char *const orgs[] = { "Công đoàn", "Đoàn Thanh niên" };
	static const char *const org_ratings[] = { "HTXSNV", "HTTNV", "HTTNV", "HTNV" };
	for (size_t o = 0; rc == KD_OK && o < KD_ARRAY_LEN(orgs); o++) {
		long long mo;
		rc = kd_tx_insert(tx, KD_T_mass_org, &mo, "INSERT INTO mass_org (cell_id, name) VALUES ($1, $2) RETURNING id",
				  "it", cell, orgs[o]);
		if (rc == KD_OK)
			rc = kd_tx_insert(tx, KD_T_mass_org_rating, NULL, "INSERT INTO mass_org_rating (campaign_id, mass_org_id,"
					  " rating) VALUES ($1, $2, $3) RETURNING id", "iit", campaign, mo, PICK(org_ratings));
	}
	if (rc == KD_OK)
		rc = fact(tx, campaign, "collective", 0, "leadership_rating", rnd() < 0.7 ? "\"HTTNV\"" : "\"HTXSNV\"");
	return rc;
}

/* Cells first .. first + count - 1, after the upper committee, one
 * transaction each. */
static int fill(struct kd_db *db, int first, int count, int members, struct kd_err *err)
{
	struct kd_tx tx;
	long long upper = 0;
	long long *pid = kd_xcalloc((size_t)members, sizeof(*pid));
	int rc = kd_tx_begin(&tx, db, "bench", "bench: upper committee", err);
	if (rc == KD_OK)
		rc = kd_tx_finish(&tx, kd_tx_insert(&tx, KD_T_org, &upper, "INSERT INTO org (kind, code, name)"
						     " VALUES ('upper', 'QU3', 'Đảng bộ Quận 3') RETURNING id", ""));
	for (int c = first; rc == KD_OK && c < first + count; c++) {
		char action[64];
		snprintf(action, sizeof(action), "bench: cell %d", c + 1);
		rc = kd_tx_begin(&tx, db, "bench", action, err);
		if (rc == KD_OK)
			rc = kd_tx_finish(&tx, fill_cell(&tx, upper, c, members, pid));
		if (c % 500 == 499)
			fprintf(stderr, "classify_cells: filled %d cells\n", c + 1);
	}
	free(pid);
	return rc;
}

/* ------------------------------------------------------------ timing */

struct tally {
	size_t summary[KD_RATING_COUNT], not_rated, undecided, members;
};

static void tally_add(struct tally *t, const struct kd_cell *cell, const struct kd_result *res)
{
	for (int r = 0; r < KD_RATING_COUNT; r++)
		t->summary[r] += res->summary[r];
	t->not_rated += res->not_rated;
	t->undecided += res->undecided;
	t->members += cell->n_members;
}

static bool tally_equal(const struct tally *a, const struct tally *b)
{
	return !memcmp(a->summary, b->summary, sizeof(a->summary)) && a->not_rated == b->not_rated &&
	       a->undecided == b->undecided && a->members == b->members;
}

/* One campaign as `kiemdiem classify --campaign` handles it (cmd_classify.c):
 * load, classify, then store the results in one audited transaction. */
static int classify_store(struct kd_db *db, long long campaign, struct tally *t, struct kd_err *err)
{
	struct kd_arena arena = KD_ARENA_INIT;
	struct kd_campaign_cell cc;
	struct kd_result res;
	struct kd_tx tx;
	int rc = kd_campaign_load(db, campaign, false, &arena, &cc, err);
	if (rc == KD_OK) {
		kd_classify(&cc.cell, &res, &arena);
		tally_add(t, &cc.cell, &res);
		rc = kd_tx_begin(&tx, db, "bench", "classify campaign 2021", err);
		if (rc == KD_OK)
			rc = kd_tx_finish(&tx, kd_results_store(&tx, &cc, &res));
	}
	kd_arena_release(&arena);
	return rc;
}

enum phase { P_FILL, P_LOAD, P_CLASSIFY, P_REASONS, P_STORE, P_STORE2, P_VERIFY, P_CLOSE, P_COUNT };
static const char *const phase_names[P_COUNT] = {
	"fill", "load", "classify", "reasons", "store", "store_again", "verify", "close",
};

/* Everything measured, summed over the database files. */
struct run {
	struct clock2 t[P_COUNT];
	long rss_kb[P_COUNT];   /* the process's peak RSS so far, after each phase (of the last file) */
	struct tally floor, reasons, stored, stored2;
	size_t leaders, reasons_n;
	long long rows, entries, files;
	struct strbuf verify;
};

static void phase_done(struct run *run, enum phase p, struct clock2 t0)
{
	struct clock2 d = clock_since(t0);
	struct rusage ru;
	run->t[p].wall += d.wall;
	run->t[p].cpu += d.cpu;
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		run->rss_kb[p] = ru.ru_maxrss;
}

static void remove_db(const char *path)
{
	char tmp[4096];
	unlink(path);
	snprintf(tmp, sizeof(tmp), "%s-wal", path);
	unlink(tmp);
	snprintf(tmp, sizeof(tmp), "%s-shm", path);
	unlink(tmp);
}

/* Cells first .. first + count - 1 in the fresh database `path`, through every phase. */
static int one_db(const char *path, int first, int count, int members, struct run *run)
{
	struct kd_err err = KD_ERR_INIT;
	struct kd_db *db = NULL;
	struct clock2 t0;
	long long *campaigns = kd_xcalloc((size_t)count, sizeof(*campaigns));
	struct kd_arena *arenas = kd_xcalloc((size_t)count, sizeof(*arenas));
	struct kd_campaign_cell *cc = kd_xcalloc((size_t)count, sizeof(*cc));
	struct kd_reasons r = KD_REASONS_INIT;
	struct kd_stmt *st;
	long long rows = 0, entries = 0;
	int n = 0, rc = 1;

	remove_db(path);
	t0 = clock_now();
	if (kd_db_open(path, true, &db, &err) != KD_OK || fill(db, first, count, members, &err) != KD_OK) {
		fail(&err, "fill");
		goto out;
	}
	phase_done(run, P_FILL, t0);
	if (kd_db_run(db, &err, &rows, "SELECT (SELECT count(*) FROM person) + (SELECT count(*) FROM review)"
		      " + (SELECT count(*) FROM review_level) + (SELECT count(*) FROM fact) + (SELECT count(*) FROM tally)"
		      " + (SELECT count(*) FROM org) + (SELECT count(*) FROM campaign) + (SELECT count(*) FROM meeting)"
		      " + (SELECT count(*) FROM leader) + (SELECT count(*) FROM collective_level)"
		      " + (SELECT count(*) FROM mass_org) + (SELECT count(*) FROM mass_org_rating)", "") != KD_OK ||
	    kd_db_stmt(db, "SELECT id FROM campaign ORDER BY id", &st, &err) != KD_OK) {
		fail(&err, "count");
		goto out;
	}
	run->rows += rows;
	while (n < count && kd_stmt_step(st, &err) == 1)
		campaigns[n++] = kd_stmt_col_int(st, 0);
	if (n == count)
		kd_stmt_done(st);
	if (n != count) {
		fail(&err, "campaigns");
		goto out;
	}

	/* load (read only), kept in memory for the floors */
	t0 = clock_now();
	for (int c = 0; c < count; c++)
		if (kd_campaign_load(db, campaigns[c], false, &arenas[c], &cc[c], &err) != KD_OK) {
			fail(&err, "kd_campaign_load");
			goto out;
		}
	phase_done(run, P_LOAD, t0);

	/* the floor: kd_classify in memory */
	t0 = clock_now();
	for (int c = 0; c < count; c++) {
		struct kd_arena a = KD_ARENA_INIT;
		struct kd_result res;
		kd_classify(&cc[c].cell, &res, &a);
		tally_add(&run->floor, &cc[c].cell, &res);
		kd_arena_release(&a);
	}
	phase_done(run, P_CLASSIFY, t0);

	/* kd_classify and every reason, in memory */
	t0 = clock_now();
	for (int c = 0; c < count; c++) {
		struct kd_arena a = KD_ARENA_INIT;
		struct kd_result res;
		const struct kd_cell *cell = &cc[c].cell;
		kd_classify(cell, &res, &a);
		tally_add(&run->reasons, cell, &res);
		for (size_t i = 0; i < cell->n_members; i++) {
			kd_explain_member(cell, &res, i, &r);
			run->reasons_n += r.n;
		}
		for (size_t i = 0; i < cell->n_leaders; i++) {
			kd_explain_leader(cell, &res, i, &r);
			run->reasons_n += r.n;
		}
		if (cell->collective) {
			kd_explain_collective(cell, &res, &r);
			run->reasons_n += r.n;
		}
		run->leaders += cell->n_leaders;
		kd_arena_release(&a);
	}
	phase_done(run, P_REASONS, t0);
	for (int c = 0; c < count; c++)
		kd_arena_release(&arenas[c]);

	/* what `kiemdiem classify --campaign` does, per cell: new results, then unchanged ones */
	t0 = clock_now();
	for (int c = 0; c < count; c++)
		if (classify_store(db, campaigns[c], &run->stored, &err) != KD_OK) {
			fail(&err, "classify and store");
			goto out;
		}
	phase_done(run, P_STORE, t0);
	t0 = clock_now();
	for (int c = 0; c < count; c++)
		if (classify_store(db, campaigns[c], &run->stored2, &err) != KD_OK) {
			fail(&err, "classify and store again");
			goto out;
		}
	phase_done(run, P_STORE2, t0);

	t0 = clock_now();
	strbuf_reset(&run->verify);
	if (kd_audit_verify(db, &run->verify, &err) != KD_OK) {
		fail(&err, "kd_audit_verify");
		goto out;
	}
	phase_done(run, P_VERIFY, t0);
	if (kd_db_run(db, &err, &entries, "SELECT count(*) FROM audit_log", "") != KD_OK) {
		fail(&err, "count");
		goto out;
	}
	run->entries += entries;
	if (entries != 1 + 2 * (long long)count) {
		fprintf(stderr, "classify_cells: %s: %lld audit entries; expected %d (storing unchanged results should"
			" write none)\n", path, entries, 1 + 2 * count);
		goto out;
	}
	rc = 0;
out:
	t0 = clock_now();
	kd_db_close(db);
	phase_done(run, P_CLOSE, t0);
	run->files++;
	for (int c = 0; c < count; c++)
		kd_arena_release(&arenas[c]);
	kd_reasons_release(&r);
	kd_err_release(&err);
	free(campaigns);
	free(arenas);
	free(cc);
	return rc;
}

static void usage(void)
{
	fprintf(stderr, "usage: classify_cells [--raw] [--per-db K] [--keep] [CELLS [DB [MEMBERS]]]\n"
		"  CELLS >= 1 (3030), 3 <= MEMBERS <= 99 (33), K >= 1 (CELLS: one database);\n"
		"  with K < CELLS the databases are DB.1, DB.2, ... and are removed unless --keep\n");
}

int main(int argc, char **argv)
{
	bool raw = false, keep = false;
	int per_db = 0, a = 1;
	for (; a < argc && argv[a][0] == '-' && argv[a][1] == '-'; a++) {
		if (!strcmp(argv[a], "--raw")) {
			raw = true;
		} else if (!strcmp(argv[a], "--keep")) {
			keep = true;
		} else if (!strcmp(argv[a], "--per-db") && a + 1 < argc) {
			per_db = atoi(argv[++a]);
			if (per_db < 1) {
				usage();
				return 2;
			}
		} else {
			usage();
			return 2;
		}
	}
	int cells = a < argc ? atoi(argv[a]) : 3030, members = a + 2 < argc ? atoi(argv[a + 2]) : 33;
	const char *path = a + 1 < argc ? argv[a + 1] : "classify_cells.db";
	if (a + 3 < argc || cells < 1 || members < 3 || members > 99) {
		usage();
		return 2;
	}
	if (per_db == 0 || per_db > cells)
		per_db = cells;

	struct run run;
	memset(&run, 0, sizeof(run));
	run.verify = (struct strbuf)STRBUF_INIT;
	int status = 0;
	for (int first = 0; status == 0 && first < cells; first += per_db) {
		int count = cells - first < per_db ? cells - first : per_db;
		struct strbuf file = STRBUF_INIT;
		if (per_db == cells)
			strbuf_addstr(&file, path);
		else
			strbuf_addf(&file, "%s.%d", path, first / per_db + 1);
		status = one_db(file.buf, first, count, members, &run);
		if (per_db < cells && !keep)
			remove_db(file.buf);
		strbuf_release(&file);
	}
	if (status) {
		strbuf_release(&run.verify);
		return 1;
	}

	size_t total = run.floor.members;
	fprintf(stderr, "classify_cells: %lld database files; the last one: %s", run.files, run.verify.buf);
	fprintf(stderr, "classify_cells: %zu members, %zu leaders, %zu reasons; HTXSNV %zu, HTTNV %zu, HTNV %zu, KHTNV %zu,"
		" not rated %zu, undecided %zu; %lld audit entries\n", total, run.leaders, run.reasons_n,
		run.floor.summary[KD_HTXSNV], run.floor.summary[KD_HTTNV], run.floor.summary[KD_HTNV],
		run.floor.summary[KD_KHTNV], run.floor.not_rated, run.floor.undecided, run.entries);
	strbuf_release(&run.verify);
	if (!tally_equal(&run.floor, &run.reasons) || !tally_equal(&run.floor, &run.stored) ||
	    !tally_equal(&run.floor, &run.stored2)) {
		fprintf(stderr, "classify_cells: the stored passes and the in-memory floor disagree\n");
		return 1;
	}

	if (raw) {
		for (int p = 0; p < P_COUNT; p++)
			printf("%s %.4f %.4f %ld\n", phase_names[p], run.t[p].wall, run.t[p].cpu, run.rss_kb[p]);
		printf("cells %d\nper_db %d\nfiles %lld\nmembers %zu\nleaders %zu\nrows %lld\n", cells, per_db, run.files,
		       total, run.leaders, run.rows);
		return 0;
	}
	static const char *const labels[P_COUNT] = {
		"fill: `kd_db_open` + the cells through `kd_tx_insert`, one transaction per cell",
		"load: `kd_campaign_load` of every campaign (read only)",
		"floor: `kd_classify` in memory",
		"`kd_classify` + every reason (`kd_explain_*`), in memory",
		"**`classify --campaign` per cell**: load + classify + `kd_results_store` in one `kd_tx`",
		"the same again (results stored, unchanged: no audit entry)",
		"`kd_audit_verify`",
		"`kd_db_close` (WAL checkpoint)",
	};
	printf("%d cells of %d members in %lld database file%s: %zu members, %zu leaders, %lld rows filled.\n\n", cells,
	       members, run.files, run.files == 1 ? "" : "s", total, run.leaders, run.rows);
	printf("| pass | wall time (s) | CPU time (s) | cells/s | members/s | × floor | peak RSS after (MB) |\n");
	printf("|---|---:|---:|---:|---:|---:|---:|\n");
	for (int p = 0; p < P_COUNT; p++) {
		double w = run.t[p].wall;
		printf("| %s | %.3f | %.3f | %.0f | %.0f | %.1f× | %.0f |\n", labels[p], w, run.t[p].cpu,
		       w > 0 ? cells / w : 0.0, w > 0 ? (double)total / w : 0.0,
		       run.t[P_CLASSIFY].wall > 0 ? w / run.t[P_CLASSIFY].wall : 0.0, (double)run.rss_kb[p] * 1024 / 1e6);
	}
	return 0;
}
