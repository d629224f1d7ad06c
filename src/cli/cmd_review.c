/*
** cmd_review.c: `kiemdiem review` (each member's personal review, Mẫu 02:
** plan V.4 Bước 1) and `kiemdiem residence` (the residence committee's
** comment, QĐ 213-QĐ/TW). The work is done by store/campaign.h.
*/
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/run.h"
#include "store/campaign.h"
#include "text/text.h"

/* The deadline of `person_id`'s review: KD_SUBMIT_WORKING_DAYS working
 * days before the meeting that reviews them. */
static int review_due(struct run *r, const struct kd_calendar *cal, long long person_id, struct kd_date *meeting,
		      struct kd_date *due)
{
	int rc = kd_campaign_meeting_date(r->db, &r->c, person_id, meeting, &r->err);
	if (rc == KD_OK)
		*due = kd_calendar_deadline(cal, *meeting, KD_SUBMIT_WORKING_DAYS);
	return rc;
}

/* ------------------------------------------------------------- review */

static const char review_usage[] =
	"Cách dùng: kiemdiem review set MÃ [--level TIÊU-CHÍ=CẤP-ĐỘ]... [--self-rating XẾP-LOẠI]\n"
	"                                  [--section PHẦN=NỘI-DUNG | --section-file PHẦN=TỆP]... [--year NĂM]\n"
	"           kiemdiem review submit MÃ [--on NGÀY] [--year NĂM]\n"
	"           kiemdiem review reopen MÃ --reason LÝ-DO [--by MÃ-CẤP-ỦY-VIÊN] [--year NĂM]\n"
	"           kiemdiem review show MÃ [--year NĂM]\n"
	"           kiemdiem review list [--year NĂM]\n\n"
	"Bản kiểm điểm cá nhân (Mẫu 02) của đảng viên MÃ: cấp độ tự đánh giá từng tiêu\n"
	"chí của bộ quy tắc (XS, T, TB, K), mức tự xếp loại (HTXSNV, HTTNV, HTNV, KHTNV)\n"
	"và các phần của bản kiểm điểm: uu_diem, lanh_dao_quan_ly (chỉ cán bộ lãnh đạo,\n"
	"quản lý), han_che, nguyen_nhan, khac_phuc, giai_trinh, trach_nhiem,\n"
	"phuong_huong. Nội dung rỗng thì xóa phần đó.\n"
	"submit: nộp (mặc định hôm nay); cần đủ cấp độ các tiêu chí và mức tự xếp loại.\n"
	"Bản đã nộp bị khóa; chỉ cấp ủy mở lại được (reopen, --by là mã của bí thư, phó\n"
	"bí thư hoặc chi ủy viên; mặc định lấy từ biến KIEMDIEM_ACTOR), có ghi lý do.\n"
	"Hạn nộp: trước cuộc họp kiểm điểm ít nhất 03 ngày làm việc (kế hoạch V.4).\n";

/* cli_parse keeps one value per option, and --level and --section repeat:
 * take every "NAME VALUE" / "NAME=VALUE" of option `name` out of argv
 * first, in order, as KEY=VALUE pairs appended to *kv. */
static void take_repeated(struct run *r, int *argc, char **argv, const char *name, struct kd_pair **kv,
			  size_t *n, size_t *cap)
{
	size_t nlen = strlen(name);
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i], *v;
		if (!strcmp(a, "--")) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if (!strncmp(a, name, nlen) && a[nlen] == '=') {
			v = a + nlen + 1;
		} else if (!strcmp(a, name)) {
			if (i + 1 == *argc) {
				kd_err_add(&r->err, KD_EUSAGE, "%s: %s: missing value; expected KEY=VALUE", r->cmd, name);
				continue;
			}
			v = argv[++i];
		} else {
			argv[out++] = argv[i];
			continue;
		}
		const char *t = cli_nfc(v, name, &r->arena, &r->err), *eq = t ? strchr(t, '=') : NULL;
		if (!t)
			continue;
		if (!eq || eq == t) {
			kd_err_add(&r->err, KD_EUSAGE, "%s: %s: \"%s\" is not KEY=VALUE; expected it written like %s", r->cmd,
				   name, t, !strcmp(name, "--level") ? "nhiem_vu=T" : "uu_diem=...");
			continue;
		}
		if (*n == *cap) {
			size_t ncap = *cap ? *cap * 2 : 8;
			struct kd_pair *bigger = kd_arena_calloc(&r->arena, ncap, sizeof(*bigger));
			if (*n)
				memcpy(bigger, *kv, *n * sizeof(*bigger));
			*kv = bigger;
			*cap = ncap;
		}
		(*kv)[(*n)++] = (struct kd_pair){ kd_arena_strndup(&r->arena, t, (size_t)(eq - t)), eq + 1 };
	}
	argv[out] = NULL;
	*argc = out;
}

/* Replace each --section-file value (a file name) by the file's text. */
static void read_section_files(struct run *r, struct kd_pair *kv, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct strbuf raw = STRBUF_INIT, text = STRBUF_INIT;
		strbuf_set_max(&raw, KD_TEXT_MAX + 1);
		if (cli_read_file(kv[i].value, &raw, &r->err) != KD_OK) {
			strbuf_release(&raw);
			continue;
		}
		if (raw.toobig)
			kd_err_add(&r->err, KD_ETOOBIG, "%s: %s: longer than %u bytes; expected the text of one section",
				   r->cmd, kv[i].value, KD_TEXT_MAX);
		else if (kd_text_nfc(raw.buf, raw.len, &text) != KD_OK)
			kd_err_add(&r->err, KD_EUSAGE, "%s: %s: not valid UTF-8; expected UTF-8 text", r->cmd, kv[i].value);
		else {
			/* Trailing blank lines of a file are not part of the text. */
			while (text.len && (text.buf[text.len - 1] == '\n' || text.buf[text.len - 1] == '\r' ||
					    text.buf[text.len - 1] == ' '))
				strbuf_setlen(&text, text.len - 1);
			kv[i].value = kd_arena_strndup(&r->arena, text.buf, text.len);
		}
		strbuf_release(&raw);
		strbuf_release(&text);
	}
}

static void print_review_summary(const struct kd_campaign *c, const struct kd_review *rv)
{
	printf("Bản kiểm điểm năm %d của %s (%s): %s; %d/%d tiêu chí đã tự đánh giá; tự xếp loại: %s.\n", c->year,
	       rv->code, rv->full_name, rv->submitted ? "đã nộp" : "bản nháp", rv->n_levels,
	       c->rs->subj[KD_MEMBER].n_criteria, rv->self_rating == KD_NONE ? "chưa có" : kd_rating_name(rv->self_rating));
}

static int review_set(const char *target, int argc, char **argv)
{
	struct run r = { .cmd = "review set", .arena = KD_ARENA_INIT, .err = KD_ERR_INIT };
	struct kd_review_edit e = { 0 };
	struct kd_pair *levels = NULL, *sections = NULL, *files = NULL;
	size_t n_levels = 0, n_sections = 0, n_files = 0, cap_l = 0, cap_s = 0, cap_f = 0;
	long long year = 0;
	const char *pos[1], *taken;
	take_repeated(&r, &argc, argv, "--level", &levels, &n_levels, &cap_l);
	take_repeated(&r, &argc, argv, "--section", &sections, &n_sections, &cap_s);
	take_repeated(&r, &argc, argv, "--section-file", &files, &n_files, &cap_f);
	const struct cli_opt opts[] = {
		{ "--year", CLI_INT, &year, NULL, "a year such as 2021" },
		{ "--self-rating", CLI_RATING, &e.self_rating, NULL, NULL },
		{ "--level", CLI_TEXT, &taken, NULL, "CRITERION=LEVEL" },
		{ "--section", CLI_TEXT, &taken, NULL, "NAME=TEXT" },
		{ "--section-file", CLI_TEXT, &taken, NULL, "NAME=FILE" },
	};
	int n_pos, code;
	if (r.err.count)
		return run_close(&r, 2);
	/* The repeatable options are listed for messages only: none is left. */
	if (!run_parse(&r, argc, argv, opts, KD_ARRAY_LEN(opts), pos, 1, &n_pos, review_usage, &code))
		return run_close(&r, code);
	if (!n_pos) {
		kd_err_add(&r.err, KD_EUSAGE, "review set: missing the person; expected a person's code");
		return run_close(&r, 2);
	}
	read_section_files(&r, files, n_files);
	if (r.err.count)
		return run_close(&r, 2);
	/* Sections from text and from files, as one list. */
	struct kd_pair *all = kd_arena_calloc(&r.arena, n_sections + n_files + 1, sizeof(*all));
	if (n_sections)
		memcpy(all, sections, n_sections * sizeof(*all));
	if (n_files)
		memcpy(all + n_sections, files, n_files * sizeof(*all));
	e.levels = levels;
	e.n_levels = n_levels;
	e.sections = all;
	e.n_sections = n_sections + n_files;
	if ((code = run_open(&r, target, year)))
		return run_close(&r, code);
	struct kd_tx tx;
	struct kd_review rv;
	struct strbuf action = STRBUF_INIT;
	strbuf_addf(&action, "review set %s (%d)", pos[0], r.c.year);
	int rc = run_begin(&r, &tx, &action);
	if (rc == KD_OK)
		rc = kd_tx_finish(&tx, kd_review_set(&tx, &r.c, pos[0], &e));
	if (rc == KD_OK)
		rc = kd_review_get(r.db, &r.c, pos[0], &r.arena, &rv, &r.err);
	if (rc == KD_OK) {
		printf("Đã lưu. ");
		print_review_summary(&r.c, &rv);
	}
	return run_close(&r, rc == KD_OK ? 0 : 1);
}

static int review_submit(const char *target, int argc, char **argv)
{
	struct run r = { .cmd = "review submit", .arena = KD_ARENA_INIT, .err = KD_ERR_INIT };
	long long year = 0;
	struct kd_date on = cli_today(), today = on;
	const char *pos[1];
	const struct cli_opt opts[] = {
		{ "--year", CLI_INT, &year, NULL, "a year such as 2021" },
		{ "--on", CLI_DATE, &on, NULL, NULL },
	};
	int n_pos, code;
	char a[11], b[11];
	if (!run_parse(&r, argc, argv, opts, KD_ARRAY_LEN(opts), pos, 1, &n_pos, review_usage, &code))
		return run_close(&r, code);
	if (!n_pos)
		kd_err_add(&r.err, KD_EUSAGE, "review submit: missing the person; expected a person's code");
	if (kd_date_cmp(on, today) > 0)
		kd_err_add(&r.err, KD_EUSAGE, "review submit: --on: %s is after today (%s); expected the day the review"
			   " was handed in", kd_date_iso(on, a), kd_date_iso(today, b));
	if (r.err.count)
		return run_close(&r, 2);
	if ((code = run_open(&r, target, year)))
		return run_close(&r, code);
	struct kd_tx tx;
	struct kd_calendar cal;
	struct kd_date meeting, due;
	struct kd_review rv;
	struct strbuf action = STRBUF_INIT;
	strbuf_addf(&action, "review submit %s %s (%d)", pos[0], kd_date_iso(on, a), r.c.year);
	int rc = run_begin(&r, &tx, &action);
	if (rc == KD_OK)
		rc = kd_tx_finish(&tx, kd_review_submit(&tx, &r.c, pos[0], on));
	if (rc == KD_OK)
		rc = kd_review_get(r.db, &r.c, pos[0], &r.arena, &rv, &r.err);
	if (rc == KD_OK)
		rc = kd_campaign_calendar(r.db, &r.arena, &cal, &r.err);
	if (rc == KD_OK)
		rc = review_due(&r, &cal, rv.person_id, &meeting, &due);
	if (rc == KD_OK) {
		printf("Đã nộp bản kiểm điểm năm %d của %s (%s) ngày %s.\n", r.c.year, rv.code, rv.full_name, kd_date_vn(on, a));
		printf("Hạn nộp %s (trước cuộc họp ngày %s ít nhất %02d ngày làm việc): %s.\n", kd_date_vn(due, a), kd_date_vn(meeting, b),
		       KD_SUBMIT_WORKING_DAYS, kd_date_cmp(on, due) <= 0 ? "đúng hạn" : "nộp muộn");
	}
	return run_close(&r, rc == KD_OK ? 0 : 1);
}

static int review_reopen(const char *target, int argc, char **argv)
{
	struct run r = { .cmd = "review reopen", .arena = KD_ARENA_INIT, .err = KD_ERR_INIT };
	long long year = 0;
	const char *reason = NULL, *by = NULL, *pos[1];
	const struct cli_opt opts[] = {
		{ "--year", CLI_INT, &year, NULL, "a year such as 2021" },
		{ "--reason", CLI_TEXT, &reason, NULL, "why the review is reopened" },
		{ "--by", CLI_TEXT, &by, NULL, "the code of the committee member who reopens it" },
	};
	int n_pos, code;
	if (!run_parse(&r, argc, argv, opts, KD_ARRAY_LEN(opts), pos, 1, &n_pos, review_usage, &code))
		return run_close(&r, code);
	if (!by) {
		const char *actor = getenv("KIEMDIEM_ACTOR");
		by = actor && *actor ? cli_nfc(actor, "KIEMDIEM_ACTOR", &r.arena, &r.err) : NULL;
	}
	if (!n_pos)
		kd_err_add(&r.err, KD_EUSAGE, "review reopen: missing the person; expected a person's code");
	if (!reason)
		kd_err_add(&r.err, KD_EUSAGE, "review reopen: --reason: missing; expected why the review is reopened");
	if (!by && !r.err.count)
		kd_err_add(&r.err, KD_EUSAGE, "review reopen: --by: missing; expected the code of the committee member"
			   " who reopens it (or KIEMDIEM_ACTOR set to it)");
	if (r.err.count)
		return run_close(&r, 2);
	if ((code = run_open(&r, target, year)))
		return run_close(&r, code);
	struct kd_tx tx;
	struct strbuf action = STRBUF_INIT;
	strbuf_addf(&action, "review reopen %s (%d) by %s: %s", pos[0], r.c.year, by, reason);
	int rc = run_begin(&r, &tx, &action);
	if (rc == KD_OK)
		rc = kd_tx_finish(&tx, kd_review_reopen(&tx, &r.c, pos[0], by, reason));
	if (rc == KD_OK)
		printf("Đã mở lại bản kiểm điểm năm %d của %s (người mở: %s; lý do: %s). Bản này là bản nháp,"
		       " cần nộp lại.\n", r.c.year, pos[0], by, reason);
	return run_close(&r, rc == KD_OK ? 0 : 1);
}

static int review_show(const char *target, int argc, char **argv)
{
	struct run r = { .cmd = "review show", .arena = KD_ARENA_INIT, .err = KD_ERR_INIT };
	long long year = 0;
	const char *pos[1];
	const struct cli_opt opts[] = { { "--year", CLI_INT, &year, NULL, "a year such as 2021" } };
	int n_pos, code;
	if (!run_parse(&r, argc, argv, opts, KD_ARRAY_LEN(opts), pos, 1, &n_pos, review_usage, &code))
		return run_close(&r, code);
	if (!n_pos) {
		kd_err_add(&r.err, KD_EUSAGE, "review show: missing the person; expected a person's code");
		return run_close(&r, 2);
	}
	if ((code = run_open(&r, target, year)))
		return run_close(&r, code);
	const struct kd_subject_rules *sr = &r.c.rs->subj[KD_MEMBER];
	struct kd_review rv;
	struct kd_calendar cal;
	struct kd_date meeting, due;
	struct kd_fact *facts;
	struct kd_residence *res;
	size_t n_facts, n_res;
	int rc = kd_review_get(r.db, &r.c, pos[0], &r.arena, &rv, &r.err);
	if (rc == KD_OK)
		rc = kd_campaign_calendar(r.db, &r.arena, &cal, &r.err);
	if (rc == KD_OK)
		rc = review_due(&r, &cal, rv.person_id, &meeting, &due);
	if (rc == KD_OK)
		rc = kd_fact_list(r.db, &r.c, KD_MEMBER, pos[0], &r.arena, &facts, &n_facts, &r.err);
	if (rc == KD_OK)
		rc = kd_residence_list(r.db, &r.c, &r.arena, &res, &n_res, &r.err);
	if (rc != KD_OK)
		return run_close(&r, 1);
	char a[11], b[11];
	printf("BẢN KIỂM ĐIỂM CÁ NHÂN NĂM %d (Mẫu 02)\n", r.c.year);
	printf("Họ và tên: %s (%s)%s\n", rv.full_name, rv.code, rv.leader ? ", cán bộ lãnh đạo, quản lý" : "");
	if (!rv.exists)
		printf("Trạng thái: chưa có bản kiểm điểm");
	else if (rv.submitted)
		printf("Trạng thái: đã nộp ngày %s (%s)", kd_date_vn(rv.submitted_on, a),
		       kd_date_cmp(rv.submitted_on, due) <= 0 ? "đúng hạn" : "nộp muộn");
	else
		printf("Trạng thái: bản nháp, chưa nộp");
	printf("; hạn nộp %s, trước cuộc họp ngày %s\n", kd_date_vn(due, a), kd_date_vn(meeting, b));
	if (rv.reopen_reason)
		printf("Đã được cấp ủy mở lại, lý do: %s\n", rv.reopen_reason);
	printf("\nTự đánh giá mức độ thực hiện các tiêu chí:\n");
	for (int k = 0; k < sr->n_criteria; k++) {
		printf("  %-12s ", sr->criteria[k].id);
		cli_print_cell(rv.levels[k] == KD_NONE ? "(chưa đánh giá)" : kd_level_code(rv.levels[k]), 16);
		printf(" %s\n", sr->criteria[k].text);
	}
	for (int s = 0; s < KD_REVIEW_SECTIONS; s++) {
		if (kd_review_sections[s].leaders_only && !rv.leader && !rv.sections[s])
			continue;
		printf("\n%s\n", kd_review_sections[s].title);
		cli_print_indented(rv.sections[s] ? rv.sections[s] : "(chưa viết)", "   ");
	}
	printf("\nVII. Tự nhận mức xếp loại chất lượng\n");
	for (size_t i = 0; i < n_facts; i++)
		if (!strcmp(facts[i].key, "civil_servant_rating")) {
			struct strbuf v = STRBUF_INIT;
			kd_fact_display(kd_fact_field(sr, KD_MEMBER, facts[i].key), facts[i].value, &v);
			printf("   Xếp loại cán bộ, công chức, viên chức: %s\n", v.buf);
			strbuf_release(&v);
		}
	printf("   Xếp loại đảng viên: %s\n", rv.self_rating == KD_NONE ? "(chưa tự xếp loại)" : kd_rating_name(rv.self_rating));
	for (size_t i = 0; i < n_res; i++) {
		if (strcmp(res[i].code, rv.code))
			continue;
		printf("\nNhận xét của chi ủy nơi cư trú: ");
		if (res[i].received && res[i].has_on)
			printf("đã nhận ngày %s\n", kd_date_vn(res[i].on, a));
		else
			printf("%s\n", res[i].received ? "đã nhận" : "chưa nhận");
		if (res[i].summary)
			cli_print_indented(res[i].summary, "   ");
	}
	return run_close(&r, 0);
}

static int review_list(const char *target, int argc, char **argv)
{
	struct run r = { .cmd = "review list", .arena = KD_ARENA_INIT, .err = KD_ERR_INIT };
	long long year = 0;
	const struct cli_opt opts[] = { { "--year", CLI_INT, &year, NULL, "a year such as 2021" } };
	int n_pos, code;
	if (!run_parse(&r, argc, argv, opts, KD_ARRAY_LEN(opts), NULL, 0, &n_pos, review_usage, &code) ||
	    (code = run_open(&r, target, year)))
		return run_close(&r, code);
	struct kd_review *rv;
	struct kd_calendar cal;
	size_t n, submitted = 0, drafts = 0, late = 0;
	int crit = r.c.rs->subj[KD_MEMBER].n_criteria;
	if (kd_review_list(r.db, &r.c, &r.arena, &rv, &n, &r.err) != KD_OK ||
	    kd_campaign_calendar(r.db, &r.arena, &cal, &r.err) != KD_OK)
		return run_close(&r, 1);
	printf("Bản kiểm điểm cá nhân năm %d (Mẫu 02; nộp trước cuộc họp ít nhất %02d ngày làm việc):\n", r.c.year,
	       KD_SUBMIT_WORKING_DAYS);
	for (size_t i = 0; i < n; i++) {
		char a[11], status[64];
		struct kd_date meeting, due;
		if (rv[i].submitted) {
			if (review_due(&r, &cal, rv[i].person_id, &meeting, &due) != KD_OK)
				return run_close(&r, 1);
			bool is_late = kd_date_cmp(rv[i].submitted_on, due) > 0;
			snprintf(status, sizeof(status), "đã nộp %s%s", kd_date_vn(rv[i].submitted_on, a), is_late ? " (muộn)" : "");
			submitted++;
			late += is_late;
		} else {
			snprintf(status, sizeof(status), "%s", rv[i].exists ? "bản nháp" : "chưa có");
			drafts += rv[i].exists;
		}
		printf("  %-8s ", rv[i].code);
		cli_print_cell(status, 24);
		printf(" %d/%d tiêu chí  %-7s %s\n", rv[i].n_levels, crit,
		       rv[i].self_rating == KD_NONE ? "-" : kd_rating_code(rv[i].self_rating), rv[i].full_name);
	}
	printf("Tổng: %zu người; đã nộp %zu (muộn %zu); bản nháp %zu; chưa có %zu.\n", n, submitted, late, drafts,
	       n - submitted - drafts);
	return run_close(&r, 0);
}

int cmd_review(int argc, char **argv)
{
	static const struct cli_sub subs[] = {
		{ "set", review_set }, { "submit", review_submit }, { "reopen", review_reopen },
		{ "show", review_show }, { "list", review_list },
	};
	return cli_dispatch("review", argc, argv, subs, KD_ARRAY_LEN(subs), review_usage);
}

/* ---------------------------------------------------------- residence */

static const char residence_usage[] =
	"Cách dùng: kiemdiem residence set MÃ [--received] [--on NGÀY] [--summary TÓM-TẮT] [--year NĂM]\n"
	"           kiemdiem residence list [--year NĂM]\n\n"
	"Nhận xét của chi ủy, chi bộ nơi cư trú đối với đảng viên (Quy định 213-QĐ/TW):\n"
	"--received (hoặc --on NGÀY, mặc định hôm nay): đã nhận giấy nhận xét;\n"
	"--summary: tóm tắt nội dung nhận xét (rỗng thì xóa).\n";

static int residence_set(const char *target, int argc, char **argv)
{
	struct run r = { .cmd = "residence set", .arena = KD_ARENA_INIT, .err = KD_ERR_INIT };
	struct kd_residence_edit e = { .on = cli_today() };
	struct kd_date today = e.on;
	long long year = 0;
	bool has_on = false;
	const char *pos[1];
	const struct cli_opt opts[] = {
		{ "--year", CLI_INT, &year, NULL, "a year such as 2021" },
		{ "--received", CLI_FLAG, &e.received, NULL, NULL },
		{ "--on", CLI_DATE, &e.on, &has_on, NULL },
		{ "--summary", CLI_TEXT, &e.summary, NULL, "a summary of the comment" },
	};
	int n_pos, code;
	char a[11], b[11];
	if (!run_parse(&r, argc, argv, opts, KD_ARRAY_LEN(opts), pos, 1, &n_pos, residence_usage, &code))
		return run_close(&r, code);
	e.received |= has_on;
	if (!n_pos)
		kd_err_add(&r.err, KD_EUSAGE, "residence set: missing the person; expected a person's code");
	if (kd_date_cmp(e.on, today) > 0)
		kd_err_add(&r.err, KD_EUSAGE, "residence set: --on: %s is after today (%s); expected the day the comment"
			   " was received", kd_date_iso(e.on, a), kd_date_iso(today, b));
	if (!r.err.count && !e.received && !e.summary)
		kd_err_add(&r.err, KD_EUSAGE, "residence set: nothing to record; expected --received, --on or --summary");
	if (r.err.count)
		return run_close(&r, 2);
	if ((code = run_open(&r, target, year)))
		return run_close(&r, code);
	struct kd_tx tx;
	struct strbuf action = STRBUF_INIT;
	strbuf_addf(&action, "residence set %s (%d)", pos[0], r.c.year);
	int rc = run_begin(&r, &tx, &action);
	if (rc == KD_OK)
		rc = kd_tx_finish(&tx, kd_residence_set(&tx, &r.c, pos[0], &e));
	if (rc == KD_OK)
		printf("Đã ghi nhận xét nơi cư trú của %s (đợt kiểm điểm năm %d).\n", pos[0], r.c.year);
	return run_close(&r, rc == KD_OK ? 0 : 1);
}

static int residence_list(const char *target, int argc, char **argv)
{
	struct run r = { .cmd = "residence list", .arena = KD_ARENA_INIT, .err = KD_ERR_INIT };
	long long year = 0;
	const struct cli_opt opts[] = { { "--year", CLI_INT, &year, NULL, "a year such as 2021" } };
	int n_pos, code;
	if (!run_parse(&r, argc, argv, opts, KD_ARRAY_LEN(opts), NULL, 0, &n_pos, residence_usage, &code) ||
	    (code = run_open(&r, target, year)))
		return run_close(&r, code);
	struct kd_residence *rs;
	size_t n, got = 0;
	if (kd_residence_list(r.db, &r.c, &r.arena, &rs, &n, &r.err) != KD_OK)
		return run_close(&r, 1);
	printf("Nhận xét của chi ủy nơi cư trú (Quy định 213-QĐ/TW), đợt kiểm điểm năm %d:\n", r.c.year);
	for (size_t i = 0; i < n; i++) {
		char a[11], status[40];
		if (rs[i].received && rs[i].has_on)
			snprintf(status, sizeof(status), "đã nhận %s", kd_date_vn(rs[i].on, a));
		else
			snprintf(status, sizeof(status), "%s", rs[i].received ? "đã nhận" : "chưa nhận");
		got += rs[i].received;
		printf("  %-8s ", rs[i].code);
		cli_print_cell(status, 18);
		printf(" %s%s%s\n", rs[i].full_name, rs[i].summary ? ": " : "",
		       rs[i].summary ? rs[i].summary : "");
	}
	printf("Đã nhận %zu/%zu.\n", got, n);
	return run_close(&r, 0);
}

int cmd_residence(int argc, char **argv)
{
	static const struct cli_sub subs[] = { { "set", residence_set }, { "list", residence_list } };
	return cli_dispatch("residence", argc, argv, subs, KD_ARRAY_LEN(subs), residence_usage);
}
