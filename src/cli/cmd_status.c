/* cmd_status.c: `kiemdiem status`, progress of the campaign per party group. */
#include "cli/args.h"
#include "cli/cli.h"
#include "store/lookup.h"

static const char usage[] =
	"Cách dùng: kiemdiem status [--db FILE] [--year NĂM]\n\n"
	"Tiến độ đợt kiểm điểm: các mốc thời gian và, theo từng tổ đảng, ai đã nộp bản\n"
	"kiểm điểm, nhận xét nơi cư trú, kết quả xếp loại công chức, viên chức; còn thiếu gì.\n";

static int timeline(struct kd_db *db, long long campaign, struct kd_date today, struct kd_err *err)
{
	struct kd_stmt *st;
	int rc = kd_db_stmt(db, "SELECT starts_on, ends_on, title FROM milestone WHERE campaign_id = $1"
			    " ORDER BY position, ends_on", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, campaign);
	printf("Tiến độ:\n");
	char b1[11], b2[11];
	while ((rc = kd_stmt_step(st, err)) == 1) {
		struct kd_date from, to;
		const char *f = kd_stmt_col_text(st, 0), *t = kd_stmt_col_text(st, 1);
		bool has_from = f && kd_date_parse(f, strlen(f), &from);
		if (!kd_date_parse(t, strlen(t), &to))
			continue;
		if (!has_from)
			from = to;
		const char *mark = kd_date_cmp(to, today) < 0 ? "đã qua " : kd_date_cmp(from, today) <= 0 ? "đang   " : "sắp tới";
		if (kd_date_cmp(from, to))
			printf("  [%s] %s – %s  %s\n", mark, kd_date_vn(from, b1), kd_date_vn(to, b2), kd_stmt_col_text(st, 2));
		else
			printf("  [%s] %s               %s\n", mark, kd_date_vn(to, b1), kd_stmt_col_text(st, 2));
	}
	return rc < 0 ? rc : KD_OK;
}

struct tally {
	int people, reviews, residence, cs_needed, cs_known;
	struct strbuf missing_review, missing_residence, missing_cs;
};

static void tally_print(const char *title, struct tally *t)
{
	printf("\n%s\n  Bản kiểm điểm đã nộp %d/%d; nhận xét nơi cư trú %d/%d; xếp loại công chức, viên chức %d/%d\n",
	       title, t->reviews, t->people, t->residence, t->people, t->cs_known, t->cs_needed);
	if (t->missing_review.len)
		printf("  Chưa nộp bản kiểm điểm: %s\n", t->missing_review.buf);
	if (t->missing_residence.len)
		printf("  Chưa có nhận xét nơi cư trú: %s\n", t->missing_residence.buf);
	if (t->missing_cs.len)
		printf("  Chưa có xếp loại công chức, viên chức: %s\n", t->missing_cs.buf);
	strbuf_release(&t->missing_review);
	strbuf_release(&t->missing_residence);
	strbuf_release(&t->missing_cs);
	memset(t, 0, sizeof(*t));
}

static void add_name(struct strbuf *sb, const char *code, const char *name)
{
	strbuf_addf(sb, "%s%s %s", sb->len ? ", " : "", code, name);
}

static int groups(struct kd_db *db, long long campaign, struct kd_err *err)
{
	struct kd_stmt *st;
	int rc = kd_db_stmt(db,
		"SELECT coalesce(g.code, ''), coalesce(g.name, 'Chi ủy và đảng viên sinh hoạt trực tiếp tại chi bộ'),"
		" (SELECT l.full_name FROM person l WHERE l.group_id = g.id AND l.group_leader = 1 LIMIT 1),"
		" (SELECT group_concat(s.full_name, ', ') FROM group_supervisor gs JOIN person s ON s.id = gs.person_id"
		"  WHERE gs.group_id = g.id),"
		" (SELECT min(m.scheduled_on) FROM meeting m WHERE m.campaign_id = c.id AND m.org_id = g.id),"
		" p.code, p.full_name, r.status = 'submitted', coalesce(rc.received, 0), p.civil_servant,"
		" (SELECT count(*) FROM fact f WHERE f.campaign_id = c.id AND f.subject = 'member' AND f.person_id = p.id"
		"  AND f.key = 'civil_servant_rating' AND f.value <> 'null')"
		" FROM person p JOIN campaign c ON c.cell_id = p.cell_id LEFT JOIN org g ON g.id = p.group_id"
		" LEFT JOIN review r ON r.campaign_id = c.id AND r.person_id = p.id"
		" LEFT JOIN residence_comment rc ON rc.campaign_id = c.id AND rc.person_id = p.id"
		" WHERE c.id = $1 AND p.active = 1"
		" ORDER BY g.position IS NULL, g.position, g.code,"
		" p.given_name COLLATE vi, p.middle_name COLLATE vi, p.family_name COLLATE vi", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, campaign);
	struct tally t;
	memset(&t, 0, sizeof(t));
	struct strbuf group = STRBUF_INIT, title = STRBUF_INIT;
	bool first = true;
	while ((rc = kd_stmt_step(st, err)) == 1) {
		const char *code = kd_stmt_col_text(st, 0);
		if (first || strcmp(group.buf, code)) {
			if (!first)
				tally_print(title.buf, &t);
			first = false;
			strbuf_reset(&group);
			strbuf_addstr(&group, code);
			strbuf_reset(&title);
			strbuf_addstr(&title, kd_stmt_col_text(st, 1));
			if (!kd_stmt_col_null(st, 2))
				strbuf_addf(&title, " — tổ trưởng %s", kd_stmt_col_text(st, 2));
			if (!kd_stmt_col_null(st, 3))
				strbuf_addf(&title, "; cấp ủy phụ trách %s", kd_stmt_col_text(st, 3));
			struct kd_date meets;
			const char *m = kd_stmt_col_text(st, 4);
			char b[11];
			if (m && kd_date_parse(m, strlen(m), &meets))
				strbuf_addf(&title, "; họp tổ %s", kd_date_vn(meets, b));
		}
		const char *pc = kd_stmt_col_text(st, 5), *pn = kd_stmt_col_text(st, 6);
		t.people++;
		if (kd_stmt_col_int(st, 7))
			t.reviews++;
		else
			add_name(&t.missing_review, pc, pn);
		if (kd_stmt_col_int(st, 8))
			t.residence++;
		else
			add_name(&t.missing_residence, pc, pn);
		if (kd_stmt_col_int(st, 9)) {
			t.cs_needed++;
			if (kd_stmt_col_int(st, 10))
				t.cs_known++;
			else
				add_name(&t.missing_cs, pc, pn);
		}
	}
	if (!first)
		tally_print(title.buf, &t);
	strbuf_release(&group);
	strbuf_release(&title);
	return rc < 0 ? rc : KD_OK;
}

int cmd_status(int argc, char **argv)
{
	const char *target = cli_db_option(&argc, argv);
	struct kd_arena arena = KD_ARENA_INIT;
	struct kd_err err = KD_ERR_INIT;
	long long year = 0, campaign;
	bool help;
	int n_pos, code = 0;
	struct cli_opt opts[] = { { "--year", CLI_INT, &year, NULL, "a year such as 2021" } };
	int rc = cli_parse("status", argc, argv, opts, 1, NULL, 0, &n_pos, &help, &arena, &err);
	kd_arena_release(&arena);
	if (rc != KD_OK)
		return cli_fail(&err);
	if (help) {
		fputs(usage, stdout);
		return 0;
	}
	struct kd_db *db = cli_open_db(target, false, &code);
	if (!db)
		return code;
	struct kd_stmt *st;
	rc = kd_lookup_campaign(db, year, &campaign, &err);
	if (rc == KD_OK)
		rc = kd_db_stmt(db, "SELECT c.year, o.name, c.ruleset, c.as_of, c.title FROM campaign c"
				" JOIN org o ON o.id = c.cell_id WHERE c.id = $1", &st, &err);
	if (rc == KD_OK) {
		kd_stmt_int(st, 1, campaign);
		if ((rc = kd_stmt_step(st, &err)) == 1) {
			struct kd_date as_of;
			char b[11];
			const char *a = kd_stmt_col_text(st, 3);
			printf("%s — đợt kiểm điểm năm %lld (bộ quy tắc %s", kd_stmt_col_text(st, 1), kd_stmt_col_int(st, 0),
			       kd_stmt_col_text(st, 2));
			if (kd_date_parse(a, strlen(a), &as_of))
				printf(", ngày đánh giá %s", kd_date_vn(as_of, b));
			printf(")\n%s\n\n", kd_stmt_col_text(st, 4));
			kd_stmt_done(st);
			rc = KD_OK;
		}
	}
	if (rc == KD_OK)
		rc = timeline(db, campaign, cli_today(), &err);
	if (rc == KD_OK)
		rc = groups(db, campaign, &err);
	kd_db_close(db);
	return rc == KD_OK ? 0 : cli_fail(&err);
}
