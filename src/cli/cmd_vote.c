/* cmd_vote.c: the ballots and what the cell makes of them (plan V.4 Bước 2
 * and 3, V.5.3): `kiemdiem vote record|list`, the cell's decision
 * (`decide`), its publication (`publish`) and annulment with re-rating
 * (`annul`). */
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/run.h"
#include "store/lookup.h"
#include "store/meeting.h"

static const char vote_usage[] =
	"Cách dùng: kiemdiem vote record CUỘC_HỌP (NGƯỜI|collective) --voters N [--round R] [--electronic]\n"
	"               --HTXSNV a --HTTNV b --HTNV c --KHTNV d [--issued I --invalid J --unused K]\n"
	"           kiemdiem vote list CUỘC_HỌP\n"
	"(mọi lệnh nhận thêm --db FILE)\n\n"
	"record: ghi kết quả kiểm phiếu của ban kiểm phiếu cho một vòng biểu quyết. --voters là\n"
	"  số đảng viên chính thức được triệu tập (đảng viên dự bị không biểu quyết); các số phiếu\n"
	"  thiếu là 0. Khi có --issued, --invalid, --unused thì số phiếu phát ra phải bằng số phiếu\n"
	"  hợp lệ + không hợp lệ + không sử dụng. Ghi lại cùng vòng thì thay kết quả cũ.\n"
	"list: các kết quả đã ghi của cuộc họp và mức được biểu quyết (quá nửa, RULES.md V-1).\n";

static const char decide_usage[] =
	"Cách dùng: kiemdiem decide (NGƯỜI|collective) MỨC [--on NGÀY] [--year NĂM] [--db FILE]\n"
	"           kiemdiem decide list [--year NĂM] [--db FILE]\n\n"
	"Ghi quyết định xếp loại của chi bộ (V.4 Bước 2): MỨC là HTXSNV, HTTNV, HTNV hoặc KHTNV,\n"
	"không cao hơn mức chi bộ đã biểu quyết ở vòng cuối. Đổi quyết định: kiemdiem annul.\n"
	"list: các quyết định của đợt, kể cả quyết định đã hủy.\n";

static const char publish_usage[] =
	"Cách dùng: kiemdiem publish [--on NGÀY] [--year NĂM] [--db FILE]\n\n"
	"Công khai các quyết định xếp loại chưa công khai của đợt (V.4 Bước 3). Không công khai\n"
	"khi số HTXSNV vượt 20% số được xếp loại HTTNV trở lên (Q-1).\n";

static const char annul_usage[] =
	"Cách dùng: kiemdiem annul (NGƯỜI|collective) --reason LÝ_DO --rating MỨC [--on NGÀY] [--year NĂM] [--db FILE]\n\n"
	"Hủy quyết định xếp loại hiện hành vì LÝ_DO và xếp loại lại MỨC (V.5.3).\n";

static const char *subject_words(const struct kd_subject_ref *s)
{
	return s->person_id ? s->code : "tập thể chi bộ";
}

/* ------------------------------------------------------------ vote */

static void print_tally(const struct kd_tally *t)
{
	long long valid = 0;
	for (int r = 0; r < KD_RATING_COUNT; r++)
		valid += t->votes[r];
	if (t->person_id)
		printf("%s (%s)", t->full_name, t->code);
	else
		printf("Tập thể chi bộ");
	printf(", vòng %lld (%s): %lld người biểu quyết; HTXSNV %lld, HTTNV %lld, HTNV %lld, KHTNV %lld; %lld phiếu hợp lệ",
	       t->round, t->electronic ? "điện tử" : "phiếu kín", t->voters, t->votes[KD_HTXSNV], t->votes[KD_HTTNV],
	       t->votes[KD_HTNV], t->votes[KD_KHTNV], valid);
	if (t->paper_counts)
		printf(" (phát ra %lld, không hợp lệ %lld, không sử dụng %lld)", t->issued, t->invalid, t->unused);
	int v = kd_tally_voted(t);
	if (v == KD_NONE)
		printf(" → không mức nào quá nửa: biểu quyết lại\n");
	else
		printf(" → %s (%s)\n", kd_rating_name(v), kd_rating_code(v));
}

static int vote_record(struct run *c, int argc, char **argv)
{
	struct kd_tally t = { 0 };
	bool issued_set = false, invalid_set = false, unused_set = false, voters_set = false;
	bool count_set[KD_RATING_COUNT] = { false };
	t.round = 1;
	const struct cli_opt opts[] = {
		{ "--voters", CLI_INT, &t.voters, &voters_set, "the number of official members convened" },
		{ "--round", CLI_INT, &t.round, NULL, "the round, from 1" },
		{ "--electronic", CLI_FLAG, &t.electronic, NULL, NULL },
		{ "--HTXSNV", CLI_INT, &t.votes[KD_HTXSNV], &count_set[KD_HTXSNV], "a number of ballots" },
		{ "--HTTNV", CLI_INT, &t.votes[KD_HTTNV], &count_set[KD_HTTNV], "a number of ballots" },
		{ "--HTNV", CLI_INT, &t.votes[KD_HTNV], &count_set[KD_HTNV], "a number of ballots" },
		{ "--KHTNV", CLI_INT, &t.votes[KD_KHTNV], &count_set[KD_KHTNV], "a number of ballots" },
		{ "--issued", CLI_INT, &t.issued, &issued_set, "the number of ballots issued" },
		{ "--invalid", CLI_INT, &t.invalid, &invalid_set, "the number of invalid ballots" },
		{ "--unused", CLI_INT, &t.unused, &unused_set, "the number of ballots not used" },
	};
	const char *pos[2];
	int npos, code;
	if (!run_parse(c, argc, argv, opts, KD_ARRAY_LEN(opts), pos, 2, &npos, NULL, &code))
		return code;
	if (npos != 2)
		return run_usage(c, "missing the meeting id or the subject; expected MEETING (PERSON|collective)");
	if (!voters_set)
		return run_usage(c, "--voters: missing; expected the number of official members convened (RULES.md V-1)");
	if (!count_set[0] && !count_set[1] && !count_set[2] && !count_set[3])
		return run_usage(c, "no ballots given; expected --HTXSNV, --HTTNV, --HTNV and --KHTNV counts");
	t.paper_counts = issued_set || invalid_set || unused_set;
	if (t.paper_counts && !(issued_set && invalid_set && unused_set))
		return run_usage(c, "%s%s%s%s%s: missing; expected --issued, --invalid and --unused together, or none",
				   issued_set ? "" : "--issued", !issued_set && !invalid_set ? ", " : "",
				   invalid_set ? "" : "--invalid", !unused_set && (!issued_set || !invalid_set) ? ", " : "",
				   unused_set ? "" : "--unused");
	if (t.paper_counts && t.electronic)
		return run_usage(c, "--issued/--invalid/--unused with --electronic; expected paper counts only for a"
				   " paper ballot");
	struct kd_meeting m;
	struct kd_subject_ref s;
	long long id;
	int rc = kd_meeting_id_parse(c->cmd, pos[0], &id, &c->err);
	if (rc == KD_OK)
		rc = cli_db_open(c->target, false, &c->db, &c->err);
	if (rc == KD_OK)
		rc = kd_meeting_get(c->db, id, &c->arena, &m, &c->err);
	if (rc == KD_OK)
		rc = kd_subject_ref_lookup(c->db, pos[1], &s, &c->err);
	bool replaced = false;
	if (rc == KD_OK) {
		struct kd_tx tx;
		rc = kd_tx_begin(&tx, c->db, NULL, run_action(c, "%lld %s round %lld", m.id, pos[1], t.round), &c->err);
		if (rc == KD_OK)
			rc = kd_tx_finish(&tx, kd_tally_record(&tx, &m, &s, &t, &replaced));
	}
	if (rc == KD_OK) {
		printf("%s kết quả vòng %lld cho %s tại cuộc họp %lld (%s).\n", replaced ? "Đã thay" : "Đã ghi", t.round,
		       subject_words(&s), m.id, m.org_name);
		int v = kd_tally_voted(&t);
		if (v == KD_NONE)
			printf("Không mức nào được quá nửa số %lld người biểu quyết: cần biểu quyết lại (vòng %lld).\n",
			       t.voters, t.round + 1);
		else
			printf("Mức được biểu quyết: %s (%s).\n", kd_rating_name(v), kd_rating_code(v));
		/* Fewer voters than official members lowers the majority; that is
		 * right only when some were not convened, so say it. */
		struct kd_meeting_person *people;
		struct kd_err ignored = KD_ERR_INIT;
		size_t np = 0;
		long long official = 0;
		if (kd_meeting_people(c->db, &m, &c->arena, &people, &np, &ignored) != KD_OK)
			np = 0;
		kd_err_release(&ignored);
		for (size_t i = 0; i < np; i++)
			official += people[i].member && people[i].official;
		if (t.voters < official)
			printf("Lưu ý: %lld người biểu quyết, ít hơn %lld đảng viên chính thức của %s; quá nửa tính trên số"
			       " đảng viên chính thức được triệu tập, có mặt hay vắng (RULES.md V-1).\n", t.voters, official,
			       m.org_name);
	}
	return run_finish(c, rc);
}

static int vote_list(struct run *c, int argc, char **argv)
{
	const char *pos[1];
	int npos, code;
	if (!run_parse(c, argc, argv, NULL, 0, pos, 1, &npos, NULL, &code))
		return code;
	if (npos != 1)
		return run_usage(c, "missing the meeting id; expected a number listed by kiemdiem meeting list");
	struct kd_meeting m;
	struct kd_tally *ts;
	size_t n = 0;
	long long id;
	int rc = kd_meeting_id_parse(c->cmd, pos[0], &id, &c->err);
	if (rc == KD_OK)
		rc = cli_db_open(c->target, false, &c->db, &c->err);
	if (rc == KD_OK)
		rc = kd_meeting_get(c->db, id, &c->arena, &m, &c->err);
	if (rc == KD_OK)
		rc = kd_tally_list(c->db, m.id, &c->arena, &ts, &n, &c->err);
	if (rc == KD_OK) {
		char d[11];
		printf("Kết quả biểu quyết, cuộc họp %lld (%s, %s):\n", m.id, m.org_name,
		       kd_date_vn(kd_meeting_date(&m), d));
		if (!n)
			printf("  chưa có (kiemdiem vote record)\n");
		for (size_t i = 0; i < n; i++) {
			printf("  ");
			print_tally(&ts[i]);
		}
	}
	return run_finish(c, rc);
}

int cmd_vote(int argc, char **argv)
{
	const char *target = cli_db_option(&argc, argv);
	if (argc < 2 || cli_is_help(argv[1])) {
		fputs(vote_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	struct run c = { .cmd = NULL, .target = target, .usage = vote_usage, .arena = KD_ARENA_INIT, .err = KD_ERR_INIT };
	if (!strcmp(argv[1], "record")) {
		c.cmd = "vote record";
		return vote_record(&c, argc - 1, argv + 1);
	}
	if (!strcmp(argv[1], "list")) {
		c.cmd = "vote list";
		return vote_list(&c, argc - 1, argv + 1);
	}
	fprintf(stderr, "vote: '%s' is not a subcommand; expected record or list\n", argv[1]);
	return 2;
}

/* ------------------------------------------------------------ decisions */

static int open_campaign(struct run *c, long long year, long long *campaign)
{
	int rc = cli_db_open(c->target, false, &c->db, &c->err);
	if (rc == KD_OK)
		rc = kd_lookup_campaign(c->db, year, campaign, &c->err);
	return rc;
}

static int decide_list(struct run *c, int argc, char **argv)
{
	long long year = 0, campaign = 0;
	const struct cli_opt opts[] = {
		{ "--year", CLI_INT, &year, NULL, "the campaign's year" },
	};
	const char *pos[1];
	int npos, code;
	if (!run_parse(c, argc, argv, opts, KD_ARRAY_LEN(opts), pos, 0, &npos, NULL, &code))
		return code;
	struct kd_decision *ds;
	size_t n = 0;
	int rc = open_campaign(c, year, &campaign);
	if (rc == KD_OK)
		rc = kd_decision_list(c->db, campaign, &c->arena, &ds, &n, &c->err);
	if (rc == KD_OK && !n)
		printf("Chưa có quyết định xếp loại nào (kiemdiem decide).\n");
	for (size_t i = 0; rc == KD_OK && i < n; i++) {
		const struct kd_decision *d = &ds[i];
		char d1[11], d2[11];
		printf("%lld  ", d->id);
		if (d->person_id)
			printf("%s (%s)", d->full_name, d->code);
		else
			printf("Tập thể chi bộ");
		printf("  %s  %s  quyết định %s", kd_rating_code(d->rating), kd_rating_name(d->rating),
		       kd_date_vn(d->decided_on, d1));
		if (d->replaces_id)
			printf("  thay quyết định %lld", d->replaces_id);
		if (d->published)
			printf("  công khai %s", kd_date_vn(d->published_on, d2));
		else if (!d->annulled)
			printf("  chưa công khai");
		if (d->annulled)
			printf("  ĐÃ HỦY %s: %s", kd_date_vn(d->annulled_on, d2), d->annul_reason ? d->annul_reason : "");
		printf("\n");
	}
	return run_finish(c, rc);
}

/* After a change, say when the decisions as they stand break Q-1. */
static void quota_note(struct run *c, long long campaign)
{
	long long top, base, cap;
	struct kd_err ignored = KD_ERR_INIT;
	if (kd_decision_quota(c->db, campaign, &top, &base, &cap, &ignored) == KD_OK && top > cap)
		printf("Lưu ý: %lld đảng viên HTXSNV, vượt %lld (20%% của %lld đảng viên HTTNV trở lên, Q-1): căn cứ số"
		       " phiếu từ cao đến thấp để chọn hoặc biểu quyết lại trước khi công khai.\n", top, cap, base);
	kd_err_release(&ignored);
}

int cmd_decide(int argc, char **argv)
{
	const char *target = cli_db_option(&argc, argv);
	struct run c = { .cmd = "decide", .target = target, .usage = decide_usage, .arena = KD_ARENA_INIT, .err = KD_ERR_INIT };
	if (argc >= 2 && !strcmp(argv[1], "list")) {
		c.cmd = "decide list";
		return decide_list(&c, argc - 1, argv + 1);
	}
	struct kd_date on = cli_today();
	long long year = 0, campaign = 0;
	const struct cli_opt opts[] = {
		{ "--on", CLI_DATE, &on, NULL, "the decision's date YYYY-MM-DD" },
		{ "--year", CLI_INT, &year, NULL, "the campaign's year" },
	};
	const char *pos[2];
	int npos, code;
	if (!run_parse(&c, argc, argv, opts, KD_ARRAY_LEN(opts), pos, 2, &npos, NULL, &code))
		return code;
	if (npos != 2)
		return run_usage(&c, "missing the subject or the rating; expected (PERSON|collective) RATING");
	int rating = kd_rating_parse(pos[1], strlen(pos[1]));
	if (rating == KD_NONE)
		return run_usage(&c, "\"%s\" is not a rating; expected one of %s", pos[1], kd_rating_codes());
	struct kd_subject_ref s;
	long long id = 0;
	int rc = open_campaign(&c, year, &campaign);
	if (rc == KD_OK)
		rc = kd_subject_ref_lookup(c.db, pos[0], &s, &c.err);
	if (rc == KD_OK) {
		struct kd_tx tx;
		rc = kd_tx_begin(&tx, c.db, NULL, run_action(&c, "%s %s", pos[0], kd_rating_code(rating)), &c.err);
		if (rc == KD_OK)
			rc = kd_tx_finish(&tx, kd_decision_add(&tx, campaign, &s, rating, on, &id));
	}
	if (rc == KD_OK) {
		char d[11];
		printf("Quyết định %lld: %s — %s (%s), ngày %s; chưa công khai (kiemdiem publish).\n", id,
		       subject_words(&s), kd_rating_name(rating), kd_rating_code(rating), kd_date_vn(on, d));
		quota_note(&c, campaign);
	}
	return run_finish(&c, rc);
}

int cmd_publish(int argc, char **argv)
{
	const char *target = cli_db_option(&argc, argv);
	struct run c = { .cmd = "publish", .target = target, .usage = publish_usage, .arena = KD_ARENA_INIT, .err = KD_ERR_INIT };
	struct kd_date on = cli_today();
	long long year = 0, campaign = 0;
	const struct cli_opt opts[] = {
		{ "--on", CLI_DATE, &on, NULL, "the publication's date YYYY-MM-DD" },
		{ "--year", CLI_INT, &year, NULL, "the campaign's year" },
	};
	const char *pos[1];
	int npos, code;
	if (!run_parse(&c, argc, argv, opts, KD_ARRAY_LEN(opts), pos, 0, &npos, NULL, &code))
		return code;
	size_t count = 0;
	char d[11];
	int rc = open_campaign(&c, year, &campaign);
	if (rc == KD_OK) {
		struct kd_tx tx;
		rc = kd_tx_begin(&tx, c.db, NULL, run_action(&c, "%s", kd_date_iso(on, d)), &c.err);
		if (rc == KD_OK)
			rc = kd_tx_finish(&tx, kd_decision_publish(&tx, campaign, on, &count));
	}
	if (rc == KD_OK)
		printf("Đã công khai %zu quyết định xếp loại ngày %s (V.4 Bước 3).\n", count, kd_date_vn(on, d));
	return run_finish(&c, rc);
}

int cmd_annul(int argc, char **argv)
{
	const char *target = cli_db_option(&argc, argv);
	struct run c = { .cmd = "annul", .target = target, .usage = annul_usage, .arena = KD_ARENA_INIT, .err = KD_ERR_INIT };
	struct kd_date on = cli_today();
	long long year = 0, campaign = 0;
	const char *reason = NULL;
	int rating = KD_NONE;
	const struct cli_opt opts[] = {
		{ "--reason", CLI_TEXT, &reason, NULL, "why the decision is annulled" },
		{ "--rating", CLI_RATING, &rating, NULL, NULL },
		{ "--on", CLI_DATE, &on, NULL, "the annulment's date YYYY-MM-DD" },
		{ "--year", CLI_INT, &year, NULL, "the campaign's year" },
	};
	const char *pos[1];
	int npos, code;
	if (!run_parse(&c, argc, argv, opts, KD_ARRAY_LEN(opts), pos, 1, &npos, NULL, &code))
		return code;
	if (npos != 1)
		return run_usage(&c, "missing the subject; expected a person's code or \"collective\"");
	if (!reason)
		return run_usage(&c, "--reason: missing; expected why the decision is annulled (plan V.5.3)");
	if (rating == KD_NONE)
		return run_usage(&c, "--rating: missing; expected the new rating, one of %s", kd_rating_codes());
	struct kd_subject_ref s;
	long long id = 0;
	int rc = open_campaign(&c, year, &campaign);
	if (rc == KD_OK)
		rc = kd_subject_ref_lookup(c.db, pos[0], &s, &c.err);
	if (rc == KD_OK) {
		struct kd_tx tx;
		rc = kd_tx_begin(&tx, c.db, NULL, run_action(&c, "%s %s", pos[0], kd_rating_code(rating)), &c.err);
		if (rc == KD_OK)
			rc = kd_tx_finish(&tx, kd_decision_annul(&tx, campaign, &s, reason, rating, on, &id));
	}
	if (rc == KD_OK) {
		char d[11];
		printf("Đã hủy quyết định trước của %s; quyết định %lld: %s (%s), ngày %s; chưa công khai"
		       " (kiemdiem publish).\n", subject_words(&s), id, kd_rating_name(rating), kd_rating_code(rating),
		       kd_date_vn(on, d));
		quota_note(&c, campaign);
	}
	return run_finish(&c, rc);
}
