/*
** cmd_campaign.c: `kiemdiem campaign`, `milestone`, `fact` and `leader`:
** the campaign of a year, its timeline (plan VI.2), the rule set's facts
** of members, leaders and the collective, and the leaders reviewed.
** The work is done by store/campaign.h; here are the command lines and
** the Vietnamese output.
*/
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/run.h"
#include "json/rulesets.h"
#include "store/campaign.h"

/* ----------------------------------------------------------- campaign */

static const char campaign_usage[] =
	"Cách dùng: kiemdiem campaign create --year NĂM --as-of NGÀY [--ruleset ID] [--title TIÊU ĐỀ]\n"
	"                                    [--number SỐ] [--place ĐỊA DANH]\n"
	"           kiemdiem campaign set [--year NĂM] [--as-of NGÀY] [--title ...] [--number ...] [--place ...]\n"
	"           kiemdiem campaign show [--year NĂM]\n"
	"           kiemdiem campaign list\n\n"
	"Đợt kiểm điểm, đánh giá, xếp loại chất lượng của một năm: bộ quy tắc áp dụng\n"
	"(mặc định " KD_DEFAULT_RULESET "), ngày đánh giá (ngày hội nghị chi bộ, YYYY-MM-DD), số\n"
	"và địa danh của kế hoạch. show: toàn bộ thông tin của đợt (tiến độ so với hôm\n"
	"nay, số bản kiểm điểm đã nộp, ...); mặc định là đợt gần nhất. Mọi lệnh nhận\n"
	"--db FILE (mặc định ./kiemdiem.db).\n";

static int campaign_write(const char *target, int argc, char **argv, bool create)
{
	struct run r = { .cmd = create ? "campaign create" : "campaign set", .arena = KD_ARENA_INIT,
			 .err = KD_ERR_INIT };
	struct kd_campaign_spec spec = { 0 };
	long long year = 0;
	bool has_year = false;
	const struct cli_opt opts[] = {
		{ "--year", CLI_INT, &year, &has_year, "a year such as 2021" },
		{ "--ruleset", CLI_TEXT, &spec.ruleset, NULL, "a rule set id (kiemdiem rules list)" },
		{ "--as-of", CLI_DATE, &spec.as_of, &spec.has_as_of, NULL },
		{ "--title", CLI_TEXT, &spec.title, NULL, "the campaign's title" },
		{ "--number", CLI_TEXT, &spec.doc_number, NULL, "the plan's number, such as 19-KH/CBMK" },
		{ "--place", CLI_TEXT, &spec.place, NULL, "a place name" },
	};
	int n_pos, code;
	if (!run_parse(&r, argc, argv, opts, KD_ARRAY_LEN(opts), NULL, 0, &n_pos, campaign_usage,
		       &code))
		return run_close(&r, code);
	if (create && !has_year)
		kd_err_add(&r.err, KD_EUSAGE, "campaign create: --year: missing; expected the year reviewed, such as 2021");
	if (create && !spec.has_as_of)
		kd_err_add(&r.err, KD_EUSAGE, "campaign create: --as-of: missing; expected the date of the cell's review"
			   " meeting (YYYY-MM-DD)");
	if (!create && spec.ruleset)
		kd_err_add(&r.err, KD_EUSAGE, "campaign set: --ruleset: cannot change; expected the rule set the"
			   " campaign was created with");
	if (r.err.count)
		return run_close(&r, 2);
	if ((code = run_open(&r, target, create ? -1 : year)))
		return run_close(&r, code);
	struct kd_tx tx;
	struct strbuf action = STRBUF_INIT;
	long long id = r.c.id;
	spec.year = create ? (int)year : r.c.year;
	if (create && !spec.title)
		spec.title = kd_arena_strdup(&r.arena, "Kiểm điểm, đánh giá, xếp loại chất lượng hằng năm");
	strbuf_addf(&action, "%s %d", r.cmd, spec.year);
	int rc = run_begin(&r, &tx, &action);
	if (rc == KD_OK)
		rc = kd_tx_finish(&tx, create ? kd_campaign_create(&tx, &spec, &id) : kd_campaign_update(&tx, id, &spec));
	if (rc == KD_OK && (rc = kd_campaign_get(r.db, spec.year, &r.arena, &r.c, &r.err)) == KD_OK) {
		char d[11];
		printf("%s đợt kiểm điểm năm %d: %s\nBộ quy tắc %s; ngày đánh giá %s.\n",
		       create ? "Đã tạo" : "Đã cập nhật", r.c.year, r.c.title, r.c.ruleset_id, kd_date_vn(r.c.as_of, d));
	}
	return run_close(&r, rc == KD_OK ? 0 : 1);
}

static void print_milestones(const struct kd_milestone *ms, size_t n)
{
	struct kd_date today = cli_today();
	char a[11], b[11];
	int width = 8;
	for (size_t i = 0; i < n; i++)
		width = (int)strlen(ms[i].code) > width ? (int)strlen(ms[i].code) : width;
	printf("Tiến độ thực hiện (hôm nay %s):\n", kd_date_vn(today, a));
	if (!n)
		printf("  (chưa có mốc nào: kiemdiem milestone add)\n");
	for (size_t i = 0; i < n; i++) {
		long days;
		enum kd_milestone_state s = kd_milestone_state(&ms[i], today, &days);
		struct strbuf when = STRBUF_INIT, state = STRBUF_INIT;
		bool one_day = !ms[i].has_from || !kd_date_cmp(ms[i].from, ms[i].to);
		if (one_day)
			strbuf_addf(&when, "%s", kd_date_vn(ms[i].to, a));
		else
			strbuf_addf(&when, "%s - %s", kd_date_vn(ms[i].from, a), kd_date_vn(ms[i].to, b));
		if (s == KD_MS_UPCOMING)
			strbuf_addf(&state, "sắp tới, còn %ld ngày", days);
		else if (s == KD_MS_CURRENT && one_day)
			strbuf_addstr(&state, "hôm nay");
		else if (s == KD_MS_CURRENT && !days)
			strbuf_addstr(&state, "đang diễn ra, hôm nay là ngày cuối");
		else if (s == KD_MS_CURRENT)
			strbuf_addf(&state, "đang diễn ra, còn %ld ngày", days);
		else
			strbuf_addstr(&state, "đã qua");
		printf("  %-23s  %-*s  %s [%s]\n", when.buf, width, ms[i].code, ms[i].title, state.buf);
		strbuf_release(&when);
		strbuf_release(&state);
	}
}

static int campaign_show(const char *target, int argc, char **argv)
{
	struct run r = { .cmd = "campaign show", .arena = KD_ARENA_INIT, .err = KD_ERR_INIT };
	long long year = 0;
	const struct cli_opt opts[] = { { "--year", CLI_INT, &year, NULL, "a year such as 2021" } };
	int n_pos, code;
	if (!run_parse(&r, argc, argv, opts, KD_ARRAY_LEN(opts), NULL, 0, &n_pos, campaign_usage, &code) ||
	    (code = run_open(&r, target, year)))
		return run_close(&r, code);
	struct kd_campaign_counts k;
	struct kd_milestone *ms;
	struct kd_calendar cal;
	struct kd_date meeting;
	size_t n_ms;
	int rc = kd_campaign_counts(r.db, &r.c, &k, &r.err);
	if (rc == KD_OK)
		rc = kd_milestone_list(r.db, &r.c, &r.arena, &ms, &n_ms, &r.err);
	if (rc == KD_OK)
		rc = kd_campaign_calendar(r.db, &r.arena, &cal, &r.err);
	if (rc == KD_OK)
		rc = kd_campaign_meeting_date(r.db, &r.c, 0, &meeting, &r.err);
	if (rc != KD_OK)
		return run_close(&r, 1);
	char a[11], b[11];
	struct kd_date due = kd_calendar_deadline(&cal, meeting, KD_SUBMIT_WORKING_DAYS);
	printf("ĐỢT KIỂM ĐIỂM NĂM %d\n%s\n", r.c.year, r.c.title);
	if (r.c.doc_number || r.c.place)
		printf("Kế hoạch số %s%s%s\n", r.c.doc_number ? r.c.doc_number : "(không số)",
		       r.c.place ? ", " : "", r.c.place ? r.c.place : "");
	printf("Bộ quy tắc: %s - %s\n", r.c.ruleset_id, r.c.rs->title);
	printf("Ngày đánh giá: %s (%s)\n", kd_date_vn(r.c.as_of, a), kd_calendar_weekday_name(kd_date_weekday(r.c.as_of)));
	printf("Hội nghị chi bộ: %s; hạn gửi dự thảo báo cáo, nộp bản kiểm điểm (trước ít nhất %02d ngày làm việc): %s\n",
	       kd_date_vn(meeting, a), KD_SUBMIT_WORKING_DAYS, kd_date_vn(due, b));
	printf("\n");
	print_milestones(ms, n_ms);
	printf("\nSố liệu:\n");
	printf("  Đảng viên đang sinh hoạt: %lld\n", k.people);
	printf("  Bản kiểm điểm cá nhân: %lld đã nộp, %lld bản nháp\n", k.reviews_submitted, k.reviews_draft);
	printf("  Nhận xét của chi ủy nơi cư trú đã nhận: %lld/%lld\n", k.residence_received, k.people);
	printf("  Cán bộ lãnh đạo, quản lý được kiểm điểm: %lld\n", k.leaders);
	printf("  Thông tin theo bộ quy tắc đã ghi: %lld; đoàn thể đã xếp loại: %lld\n", k.facts, k.massorg_ratings);
	printf("  Báo cáo kiểm điểm tập thể: %lld bản", k.report_versions);
	if (k.report_final)
		printf(", bản %d đưa ra hội nghị", k.report_final);
	printf("\n  Tự đánh giá tiêu chí của tập thể: %lld/%lld tiêu chí\n", k.collective_levels, k.collective_criteria);
	printf("  Ý kiến góp ý báo cáo: %lld, đã giải trình %lld\n", k.comments, k.comments_answered);
	return run_close(&r, 0);
}

static int campaign_list(const char *target, int argc, char **argv)
{
	struct run r = { .cmd = "campaign list", .arena = KD_ARENA_INIT, .err = KD_ERR_INIT };
	int n_pos, code;
	if (!run_parse(&r, argc, argv, NULL, 0, NULL, 0, &n_pos, campaign_usage, &code) ||
	    (code = run_open(&r, target, -1)))
		return run_close(&r, code);
	struct kd_campaign *cs;
	size_t n;
	if (kd_campaign_list(r.db, &r.arena, &cs, &n, &r.err) != KD_OK)
		return run_close(&r, 1);
	if (!n)
		printf("Chưa có đợt kiểm điểm nào (kiemdiem campaign create --year NĂM --as-of NGÀY).\n");
	for (size_t i = 0; i < n; i++) {
		char d[11];
		printf("%d  %-12s %s  %s\n", cs[i].year, cs[i].ruleset_id, kd_date_vn(cs[i].as_of, d), cs[i].title);
	}
	return run_close(&r, 0);
}

static int campaign_create(const char *t, int c, char **v) { return campaign_write(t, c, v, true); }
static int campaign_set(const char *t, int c, char **v) { return campaign_write(t, c, v, false); }

int cmd_campaign(int argc, char **argv)
{
	static const struct cli_sub subs[] = {
		{ "create", campaign_create }, { "set", campaign_set }, { "show", campaign_show }, { "list", campaign_list },
	};
	return cli_dispatch("campaign", argc, argv, subs, KD_ARRAY_LEN(subs), campaign_usage);
}

/* ---------------------------------------------------------- milestone */

static const char milestone_usage[] =
	"Cách dùng: kiemdiem milestone add MÃ --title TÊN [--from NGÀY] --to NGÀY [--year NĂM]\n"
	"           kiemdiem milestone set MÃ [--title TÊN] [--from NGÀY] [--to NGÀY] [--year NĂM]\n"
	"           kiemdiem milestone remove MÃ [--year NĂM]\n"
	"           kiemdiem milestone list [--year NĂM]\n\n"
	"Các mốc tiến độ của đợt kiểm điểm (kế hoạch, mục VI.2): từ ngày --from (có thể\n"
	"bỏ trống với mốc một ngày) đến ngày --to. MÃ gồm chữ, số, '_', '-', '.' (ví\n"
	"dụ: ke_hoach, nhan_xet_cu_tru, to_dang, chi_bo, ho_so, bao_cao).\n";

static int milestone_write(const char *target, int argc, char **argv, const char *sub)
{
	struct strbuf cmd = STRBUF_INIT;
	strbuf_addf(&cmd, "milestone %s", sub);
	struct run r = { .cmd = cmd.buf, .arena = KD_ARENA_INIT, .err = KD_ERR_INIT };
	struct kd_milestone m = { 0 };
	long long year = 0;
	bool has_to = false;
	const char *pos[1];
	const struct cli_opt opts[] = {
		{ "--year", CLI_INT, &year, NULL, "a year such as 2021" },
		{ "--title", CLI_TEXT, &m.title, NULL, "the milestone's title" },
		{ "--from", CLI_DATE, &m.from, &m.has_from, NULL },
		{ "--to", CLI_DATE, &m.to, &has_to, NULL },
	};
	bool rm = !strcmp(sub, "remove"), add = !strcmp(sub, "add");
	int n_pos, code;
	if (!run_parse(&r, argc, argv, opts, rm ? 1 : KD_ARRAY_LEN(opts), pos, 1, &n_pos, milestone_usage, &code))
		goto out;
	if (!n_pos)
		kd_err_add(&r.err, KD_EUSAGE, "%s: missing the code; expected MÃ, such as ke_hoach", r.cmd);
	if (add && !has_to)
		kd_err_add(&r.err, KD_EUSAGE, "%s: --to: missing; expected the (last) day of the milestone (YYYY-MM-DD)",
			   r.cmd);
	if (add && !m.title)
		kd_err_add(&r.err, KD_EUSAGE, "%s: --title: missing; expected what happens then", r.cmd);
	if (r.err.count) {
		code = cli_fail(&r.err);
		goto out;
	}
	m.code = pos[0];
	if ((code = run_open(&r, target, year)))
		goto out;
	struct kd_tx tx;
	struct strbuf action = STRBUF_INIT;
	strbuf_addf(&action, "%s %s (%d)", r.cmd, m.code, r.c.year);
	int rc = run_begin(&r, &tx, &action);
	if (rc == KD_OK)
		rc = kd_tx_finish(&tx, add ? kd_milestone_add(&tx, &r.c, &m) : rm ? kd_milestone_remove(&tx, &r.c, m.code)
			    : kd_milestone_update(&tx, &r.c, &m, has_to));
	if (rc == KD_OK)
		printf("Đã %s mốc %s của đợt kiểm điểm năm %d.\n", add ? "thêm" : rm ? "xóa" : "cập nhật", m.code,
		       r.c.year);
	code = rc == KD_OK ? 0 : 1;
out:
	code = run_close(&r, code);
	strbuf_release(&cmd);
	return code;
}

static int milestone_list(const char *target, int argc, char **argv)
{
	struct run r = { .cmd = "milestone list", .arena = KD_ARENA_INIT, .err = KD_ERR_INIT };
	long long year = 0;
	const struct cli_opt opts[] = { { "--year", CLI_INT, &year, NULL, "a year such as 2021" } };
	int n_pos, code;
	if (!run_parse(&r, argc, argv, opts, KD_ARRAY_LEN(opts), NULL, 0, &n_pos, milestone_usage, &code) ||
	    (code = run_open(&r, target, year)))
		return run_close(&r, code);
	struct kd_milestone *ms;
	size_t n;
	if (kd_milestone_list(r.db, &r.c, &r.arena, &ms, &n, &r.err) != KD_OK)
		return run_close(&r, 1);
	printf("Đợt kiểm điểm năm %d. ", r.c.year);
	print_milestones(ms, n);
	return run_close(&r, 0);
}

/* add, set and remove share milestone_write(), which tells them by name. */
static int milestone_change(const char *t, int c, char **v) { return milestone_write(t, c, v, v[0]); }

int cmd_milestone(int argc, char **argv)
{
	static const struct cli_sub subs[] = {
		{ "add", milestone_change }, { "set", milestone_change }, { "remove", milestone_change },
		{ "list", milestone_list },
	};
	return cli_dispatch("milestone", argc, argv, subs, KD_ARRAY_LEN(subs), milestone_usage);
}

/* --------------------------------------------------------------- fact */

static const char fact_usage[] =
	"Cách dùng: kiemdiem fact set (MÃ-ĐẢNG-VIÊN|collective) [--leader] KHÓA=GIÁ-TRỊ... [--year NĂM]\n"
	"           kiemdiem fact unset (MÃ-ĐẢNG-VIÊN|collective) [--leader] KHÓA... [--year NĂM]\n"
	"           kiemdiem fact massorg TÊN-ĐOÀN-THỂ=XẾP-LOẠI... [--year NĂM]\n"
	"           kiemdiem fact list [MÃ-ĐẢNG-VIÊN|collective] [--year NĂM]\n\n"
	"Các thông tin mà bộ quy tắc của đợt đọc (kiemdiem rules show ID): của đảng viên\n"
	"(civil_servant_rating=HTTNV là xếp loại cán bộ, công chức, viên chức;\n"
	"task_completion_pct=95; exemplary=co ...), của cán bộ lãnh đạo, quản lý (--leader:\n"
	"duties=cao,dat; unit_targets.total=20 ...) và của tập thể chi bộ (collective:\n"
	"outstanding=khong ...). Đúng/sai viết true/false hoặc co/khong; danh sách cách\n"
	"nhau bằng dấu phẩy; null để bỏ giá trị (khi được phép). Cả lệnh được ghi hoặc\n"
	"không ghi gì. massorg: xếp loại trong năm của các đoàn thể (HTXSNV, HTTNV,\n"
	"HTNV, KHTNV). unset: bỏ thông tin để dùng lại giá trị mặc định.\n";

static const char *const subject_titles[KD_SUBJECT_COUNT] = {
	"Đảng viên", "Cán bộ lãnh đạo, quản lý", "Tập thể chi bộ" };

static int fact_write(const char *target, int argc, char **argv, const char *sub)
{
	struct strbuf cmd = STRBUF_INIT;
	strbuf_addf(&cmd, "fact %s", sub);
	struct run r = { .cmd = cmd.buf, .arena = KD_ARENA_INIT, .err = KD_ERR_INIT };
	long long year = 0;
	bool leader = false;
	enum { MAX_POS = 200 };
	const char *pos[MAX_POS];
	const struct cli_opt opts[] = {
		{ "--year", CLI_INT, &year, NULL, "a year such as 2021" },
		{ "--leader", CLI_FLAG, &leader, NULL, NULL },
	};
	bool massorg = !strcmp(sub, "massorg"), unset = !strcmp(sub, "unset");
	int n_pos, code, first = massorg ? 0 : 1;
	struct kd_pair *kv = NULL;
	if (!run_parse(&r, argc, argv, opts, massorg ? 1 : 2, pos, MAX_POS, &n_pos, fact_usage, &code))
		goto out;
	if (n_pos <= first)
		kd_err_add(&r.err, KD_EUSAGE, "%s: nothing to record; expected %s", r.cmd,
			   massorg ? "NAME=RATING, such as \"Công đoàn=HTXSNV\""
			   : unset ? "a person's code (or collective) and KEY..."
			   : "a person's code (or collective) and KEY=VALUE...");
	kv = kd_arena_calloc(&r.arena, (size_t)n_pos + 1, sizeof(*kv));
	for (int i = first; i < n_pos; i++) {
		if (unset)
			kv[i - first].key = pos[i];
		else if (!run_split_pair(&r.arena, pos[i], &kv[i - first]))
			kd_err_add(&r.err, KD_EUSAGE, "%s: \"%s\": not %s; expected it written like %s", r.cmd, pos[i],
				   massorg ? "NAME=RATING" : "KEY=VALUE", massorg ? "\"Công đoàn=HTXSNV\"" : "exemplary=true");
	}
	bool collective = !massorg && n_pos > 0 && !strcmp(pos[0], "collective");
	if (collective && leader)
		kd_err_add(&r.err, KD_EUSAGE, "%s: --leader: not for the collective; expected a person's code", r.cmd);
	if (r.err.count) {
		code = cli_fail(&r.err);
		goto out;
	}
	if ((code = run_open(&r, target, year)))
		goto out;
	enum kd_subject s = collective ? KD_COLLECTIVE : leader ? KD_LEADER : KD_MEMBER;
	const char *person = collective || massorg ? NULL : pos[0];
	size_t n = (size_t)(n_pos - first);
	struct kd_tx tx;
	struct strbuf action = STRBUF_INIT;
	strbuf_addf(&action, "%s%s%s%s", r.cmd, massorg ? "" : " ", massorg ? "" : pos[0], leader ? " --leader" : "");
	for (size_t i = 0; i < n; i++)
		strbuf_addf(&action, " %s", kv[i].key);
	strbuf_addf(&action, " (%d)", r.c.year);
	const char **keys = kd_arena_calloc(&r.arena, n + 1, sizeof(*keys));
	for (size_t i = 0; i < n; i++)
		keys[i] = kv[i].key;
	int rc = run_begin(&r, &tx, &action);
	if (rc == KD_OK)
		rc = kd_tx_finish(&tx, massorg ? kd_fact_massorg_set(&tx, &r.c, kv, n)
			    : unset ? kd_fact_unset(&tx, &r.c, s, person, keys, n)
			    : kd_fact_set(&tx, &r.c, s, person, kv, n));
	if (rc == KD_OK)
		printf("Đã %s %zu thông tin %s%s (đợt kiểm điểm năm %d).\n", unset ? "bỏ" : "ghi", n,
		       massorg ? "xếp loại đoàn thể" : unset ? "của " : "cho ",
		       massorg ? "" : collective ? "tập thể chi bộ" : person, r.c.year);
	code = rc == KD_OK ? 0 : 1;
out:
	code = run_close(&r, code);
	strbuf_release(&cmd);
	return code;
}

static int fact_list(const char *target, int argc, char **argv)
{
	struct run r = { .cmd = "fact list", .arena = KD_ARENA_INIT, .err = KD_ERR_INIT };
	long long year = 0;
	const char *pos[1];
	const struct cli_opt opts[] = { { "--year", CLI_INT, &year, NULL, "a year such as 2021" } };
	int n_pos, code;
	if (!run_parse(&r, argc, argv, opts, KD_ARRAY_LEN(opts), pos, 1, &n_pos, fact_usage, &code) ||
	    (code = run_open(&r, target, year)))
		return run_close(&r, code);
	bool collective = n_pos && !strcmp(pos[0], "collective");
	struct kd_fact *fs;
	size_t n;
	if (kd_fact_list(r.db, &r.c, collective ? KD_COLLECTIVE : -1, n_pos && !collective ? pos[0] : NULL, &r.arena,
			 &fs, &n, &r.err) != KD_OK)
		return run_close(&r, 1);
	printf("Thông tin theo bộ quy tắc %s, đợt kiểm điểm năm %d:\n", r.c.ruleset_id, r.c.year);
	int subject = -1;
	const char *who = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct kd_fact *f = &fs[i];
		if ((int)f->subject != subject) {
			printf("%s\n", subject_titles[f->subject]);
			subject = (int)f->subject;
			who = NULL;
		}
		if (f->code && (!who || strcmp(who, f->code))) {
			printf("  %s  %s\n", f->code, f->full_name);
			who = f->code;
		}
		const struct kd_field *fd = kd_fact_field(&r.c.rs->subj[f->subject], f->subject, f->key);
		struct strbuf v = STRBUF_INIT;
		kd_fact_display(fd, f->value, &v);
		printf("    %s = %s%s%s\n", f->key, v.buf, fd && fd->label ? "  - " : "", fd && fd->label ? fd->label : "");
		strbuf_release(&v);
	}
	if (!n)
		printf("  (chưa ghi thông tin nào)\n");
	if (!n_pos || collective) {
		struct kd_massorg_rating *ms;
		size_t nm;
		if (kd_massorg_rating_list(r.db, &r.c, &r.arena, &ms, &nm, &r.err) != KD_OK)
			return run_close(&r, 1);
		if (nm)
			printf("Xếp loại các đoàn thể trong năm\n");
		for (size_t i = 0; i < nm; i++)
			printf("    %s: %s\n", ms[i].name, ms[i].rating == KD_NONE ? "(chưa xếp loại)"
			       : kd_rating_name(ms[i].rating));
	}
	return run_close(&r, 0);
}

/* set, unset and massorg share fact_write(), which tells them by name. */
static int fact_change(const char *t, int c, char **v) { return fact_write(t, c, v, v[0]); }

int cmd_fact(int argc, char **argv)
{
	static const struct cli_sub subs[] = {
		{ "set", fact_change }, { "unset", fact_change }, { "massorg", fact_change }, { "list", fact_list },
	};
	return cli_dispatch("fact", argc, argv, subs, KD_ARRAY_LEN(subs), fact_usage);
}

/* ------------------------------------------------------------- leader */

static const char leader_usage[] =
	"Cách dùng: kiemdiem leader set MÃ-ĐẢNG-VIÊN [--title CHỨC-VỤ] [--heads | --no-heads] [--year NĂM]\n"
	"           kiemdiem leader remove MÃ-ĐẢNG-VIÊN [--year NĂM]\n"
	"           kiemdiem leader list [--year NĂM]\n\n"
	"Cán bộ lãnh đạo, quản lý được kiểm điểm, xếp loại trong đợt (kế hoạch IV.2.2).\n"
	"--heads: là người đứng đầu tập thể (chỉ một người; người trước đó thôi).\n"
	"Thông tin của họ ghi bằng kiemdiem fact set MÃ --leader KHÓA=GIÁ-TRỊ.\n";

static int leader_write(const char *target, int argc, char **argv, bool rm)
{
	struct run r = { .cmd = rm ? "leader remove" : "leader set", .arena = KD_ARENA_INIT, .err = KD_ERR_INIT };
	long long year = 0;
	const char *title = NULL, *pos[1];
	bool heads = false, no_heads = false;
	const struct cli_opt opts[] = {
		{ "--year", CLI_INT, &year, NULL, "a year such as 2021" },
		{ "--title", CLI_TEXT, &title, NULL, "the leader's position" },
		{ "--heads", CLI_FLAG, &heads, NULL, NULL },
		{ "--no-heads", CLI_FLAG, &no_heads, NULL, NULL },
	};
	int n_pos, code;
	if (!run_parse(&r, argc, argv, opts, rm ? 1 : KD_ARRAY_LEN(opts), pos, 1, &n_pos, leader_usage, &code))
		return run_close(&r, code);
	if (!n_pos)
		return run_usage(&r, "%s", "missing the person; expected a person's code");
	if (heads && no_heads)
		return run_usage(&r, "%s", "--heads and --no-heads both given; expected one of them");
	if ((code = run_open(&r, target, year)))
		return run_close(&r, code);
	struct kd_tx tx;
	struct strbuf action = STRBUF_INIT;
	strbuf_addf(&action, "%s %s (%d)", r.cmd, pos[0], r.c.year);
	int rc = run_begin(&r, &tx, &action);
	if (rc == KD_OK)
		rc = kd_tx_finish(&tx, rm ? kd_leader_remove(&tx, &r.c, pos[0])
			    : kd_leader_set(&tx, &r.c, pos[0], title, heads ? 1 : no_heads ? 0 : -1));
	if (rc == KD_OK)
		printf("Đã %s %s %s danh sách cán bộ lãnh đạo, quản lý năm %d.\n", rm ? "xóa" : "ghi", pos[0],
		       rm ? "khỏi" : "vào", r.c.year);
	return run_close(&r, rc == KD_OK ? 0 : 1);
}

static int leader_list(const char *target, int argc, char **argv)
{
	struct run r = { .cmd = "leader list", .arena = KD_ARENA_INIT, .err = KD_ERR_INIT };
	long long year = 0;
	const struct cli_opt opts[] = { { "--year", CLI_INT, &year, NULL, "a year such as 2021" } };
	int n_pos, code;
	if (!run_parse(&r, argc, argv, opts, KD_ARRAY_LEN(opts), NULL, 0, &n_pos, leader_usage, &code) ||
	    (code = run_open(&r, target, year)))
		return run_close(&r, code);
	struct kd_leader_row *ls;
	size_t n;
	const struct kd_subject_rules *sr = &r.c.rs->subj[KD_LEADER];
	if (kd_leader_list(r.db, &r.c, &r.arena, &ls, &n, &r.err) != KD_OK)
		return run_close(&r, 1);
	printf("Cán bộ lãnh đạo, quản lý được kiểm điểm năm %d:\n", r.c.year);
	if (!n)
		printf("  (chưa có: kiemdiem leader set MÃ --title CHỨC-VỤ)\n");
	for (size_t i = 0; i < n; i++) {
		printf("  %s  %s%s%s%s\n", ls[i].code, ls[i].full_name, ls[i].title ? " - " : "",
		       ls[i].title ? ls[i].title : "", ls[i].heads ? " (người đứng đầu)" : "");
		/* The facts the engine requires and that are not recorded. */
		struct kd_fact *fs;
		size_t nf;
		if (kd_fact_list(r.db, &r.c, KD_LEADER, ls[i].code, &r.arena, &fs, &nf, &r.err) != KD_OK)
			return run_close(&r, 1);
		struct strbuf missing = STRBUF_INIT;
		for (int f = 0; f < sr->n_fields; f++) {
			if (!sr->fields[f].required)
				continue;
			bool have = false;
			for (size_t j = 0; j < nf && !have; j++)
				have = kd_fact_field(sr, KD_LEADER, fs[j].key) == &sr->fields[f];
			if (!have)
				strbuf_addf(&missing, "%s%s%s%s", missing.len ? ", " : "", sr->fields[f].group ?
					    sr->fields[f].group : "", sr->fields[f].group ? "." : "", sr->fields[f].key);
		}
		printf("      %lld thông tin đã ghi%s%s\n", ls[i].facts, missing.len ? "; còn thiếu: " : "", missing.buf);
		strbuf_release(&missing);
	}
	return run_close(&r, 0);
}

static int leader_set(const char *t, int c, char **v) { return leader_write(t, c, v, false); }
static int leader_remove(const char *t, int c, char **v) { return leader_write(t, c, v, true); }

int cmd_leader(int argc, char **argv)
{
	static const struct cli_sub subs[] = {
		{ "set", leader_set }, { "remove", leader_remove }, { "list", leader_list },
	};
	return cli_dispatch("leader", argc, argv, subs, KD_ARRAY_LEN(subs), leader_usage);
}
