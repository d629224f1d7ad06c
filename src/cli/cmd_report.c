/*
** cmd_report.c: `kiemdiem report`, the collective report (Mẫu 01, plan
** V.1): its versions, the committee's level per collective criterion, the
** comments of the upper-level committee member in charge and of the mass
** organizations with the committee's answers, and the version that goes to
** the meeting. The work is done by store/campaign.h.
*/
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/run.h"
#include "store/campaign.h"
#include "text/text.h"

#include <errno.h>

static const char report_usage[] =
	"Cách dùng: kiemdiem report draft (--file TỆP | --text NỘI-DUNG) [--year NĂM]\n"
	"           kiemdiem report level TIÊU-CHÍ=CẤP-ĐỘ... [--year NĂM]\n"
	"           kiemdiem report comment add --source upper|mass_org|member|other --author TÊN\n"
	"                                       --text NỘI-DUNG [--on NGÀY] [--year NĂM]\n"
	"           kiemdiem report comment answer SỐ --text NỘI-DUNG [--on NGÀY] [--year NĂM]\n"
	"           kiemdiem report final [--sent-on NGÀY] [--year NĂM]\n"
	"           kiemdiem report show [--version SỐ] [--year NĂM]\n\n"
	"Báo cáo kiểm điểm của tập thể chi ủy, chi bộ (Mẫu 01, kế hoạch V.1):\n"
	"draft: một bản dự thảo mới (mỗi lần là một bản mới, đánh số 1, 2, ...).\n"
	"level: chi ủy tự đánh giá cấp độ (XS, T, TB, K) từng tiêu chí của tập thể.\n"
	"comment add: ý kiến góp ý của đồng chí cấp ủy cấp trên phụ trách (upper), của\n"
	"các đoàn thể (mass_org), của đảng viên (member) hoặc khác (other);\n"
	"comment answer: giải trình, tiếp thu của chi ủy đối với ý kiến SỐ.\n"
	"final: bản mới nhất là bản đưa ra hội nghị (cần đủ cấp độ các tiêu chí và đã\n"
	"giải trình mọi ý kiến); --sent-on: ngày gửi đến đảng viên (trước hội nghị ít\n"
	"nhất 03 ngày làm việc).\n";

static int report_draft(const char *target, int argc, char **argv)
{
	struct run r = { .cmd = "report draft", .arena = KD_ARENA_INIT, .err = KD_ERR_INIT };
	long long year = 0;
	const char *file = NULL, *text = NULL;
	const struct cli_opt opts[] = {
		{ "--year", CLI_INT, &year, NULL, "a year such as 2021" },
		{ "--file", CLI_TEXT, &file, NULL, "a UTF-8 text file (- for standard input)" },
		{ "--text", CLI_TEXT, &text, NULL, "the report's text" },
	};
	int n_pos, code;
	if (!run_parse(&r, argc, argv, opts, KD_ARRAY_LEN(opts), NULL, 0, &n_pos, report_usage, &code))
		return run_close(&r, code);
	if (!file == !text) {
		kd_err_add(&r.err, KD_EUSAGE, "report draft: %s; expected one of --file FILE or --text TEXT",
			   file ? "both --file and --text given" : "no text given");
		return run_close(&r, 2);
	}
	if (file) {
		struct strbuf raw = STRBUF_INIT, nfc = STRBUF_INIT;
		strbuf_set_max(&raw, KD_TEXT_MAX + 1);
		if (cli_read_file(file, &raw, &r.err) == KD_OK) {
			if (raw.toobig)
				kd_err_add(&r.err, KD_ETOOBIG, "%s: longer than %u bytes; expected the report's text", file,
					   KD_TEXT_MAX);
			else if (kd_text_nfc(raw.buf, raw.len, &nfc) != KD_OK)
				kd_err_add(&r.err, KD_EUSAGE, "%s: not valid UTF-8; expected UTF-8 text", file);
			else {
				/* Trailing blank lines of a file are not part of the text. */
				while (nfc.len && strchr("\n\r \t", nfc.buf[nfc.len - 1]))
					strbuf_setlen(&nfc, nfc.len - 1);
				text = kd_arena_strndup(&r.arena, nfc.buf, nfc.len);
			}
		}
		strbuf_release(&raw);
		strbuf_release(&nfc);
		if (r.err.count)
			return run_close(&r, 2);
	}
	if ((code = run_open(&r, target, year)))
		return run_close(&r, code);
	struct kd_tx tx;
	struct strbuf action = STRBUF_INIT;
	int version = 0;
	strbuf_addf(&action, "report draft (%d)", r.c.year);
	int rc = run_begin(&r, &tx, &action);
	if (rc == KD_OK)
		rc = kd_tx_finish(&tx, kd_collective_report_draft(&tx, &r.c, text, &version));
	if (rc == KD_OK)
		printf("Đã lưu bản dự thảo số %d của báo cáo kiểm điểm tập thể năm %d (%zu byte).\n", version, r.c.year,
		       strlen(text));
	return run_close(&r, rc == KD_OK ? 0 : 1);
}

static int report_level(const char *target, int argc, char **argv)
{
	struct run r = { .cmd = "report level", .arena = KD_ARENA_INIT, .err = KD_ERR_INIT };
	long long year = 0;
	enum { MAX_POS = 64 };
	const char *pos[MAX_POS];
	const struct cli_opt opts[] = { { "--year", CLI_INT, &year, NULL, "a year such as 2021" } };
	int n_pos, code;
	if (!run_parse(&r, argc, argv, opts, KD_ARRAY_LEN(opts), pos, MAX_POS, &n_pos, report_usage, &code))
		return run_close(&r, code);
	struct kd_pair *kv = kd_arena_calloc(&r.arena, (size_t)n_pos + 1, sizeof(*kv));
	if (!n_pos)
		kd_err_add(&r.err, KD_EUSAGE, "report level: nothing to record; expected CRITERION=LEVEL...");
	for (int i = 0; i < n_pos; i++) {
		const char *eq = strchr(pos[i], '=');
		if (!eq || eq == pos[i]) {
			kd_err_add(&r.err, KD_EUSAGE, "report level: \"%s\": not CRITERION=LEVEL; expected it written like"
				   " chinh_tri_tu_tuong=T", pos[i]);
			continue;
		}
		kv[i] = (struct kd_pair){ kd_arena_strndup(&r.arena, pos[i], (size_t)(eq - pos[i])), eq + 1 };
	}
	if (r.err.count)
		return run_close(&r, 2);
	if ((code = run_open(&r, target, year)))
		return run_close(&r, code);
	struct kd_tx tx;
	struct strbuf action = STRBUF_INIT;
	strbuf_addf(&action, "report level (%d)", r.c.year);
	for (int i = 0; i < n_pos; i++)
		strbuf_addf(&action, " %s=%s", kv[i].key, kv[i].value);
	int rc = run_begin(&r, &tx, &action);
	if (rc == KD_OK)
		rc = kd_tx_finish(&tx, kd_collective_levels_set(&tx, &r.c, kv, (size_t)n_pos));
	if (rc == KD_OK)
		printf("Đã ghi cấp độ tự đánh giá của %d tiêu chí của tập thể (năm %d).\n", n_pos, r.c.year);
	return run_close(&r, rc == KD_OK ? 0 : 1);
}

static int report_comment(const char *target, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";
	bool add = !strcmp(sub, "add"), answer = !strcmp(sub, "answer");
	if (!add && !answer) {
		bool help = argc > 1 && cli_is_help(sub);
		fputs(report_usage, help ? stdout : stderr);
		return help ? 0 : 2;
	}
	struct run r = { .cmd = add ? "report comment add" : "report comment answer", .arena = KD_ARENA_INIT,
			 .err = KD_ERR_INIT };
	long long year = 0;
	const char *source = NULL, *author = NULL, *text = NULL, *pos[1];
	struct kd_date on;
	bool has_on = false;
	const struct cli_opt opts[] = {
		{ "--year", CLI_INT, &year, NULL, "a year such as 2021" },
		{ "--text", CLI_TEXT, &text, NULL, add ? "the comment" : "the committee's answer" },
		{ "--on", CLI_DATE, &on, &has_on, NULL },
		{ "--source", CLI_TEXT, &source, NULL, "upper, mass_org, member or other" },
		{ "--author", CLI_TEXT, &author, NULL, "who made the comment" },
	};
	int n_pos, code, src = KD_NONE;
	long long id = 0;
	if (!run_parse(&r, argc - 1, argv + 1, opts, add ? 5 : 3, pos, add ? 0 : 1, &n_pos, report_usage, &code))
		return run_close(&r, code);
	if (!text)
		kd_err_add(&r.err, KD_EUSAGE, "%s: --text: missing; expected %s", r.cmd,
			   add ? "the comment" : "the committee's answer");
	if (add) {
		if (!source)
			kd_err_add(&r.err, KD_EUSAGE, "%s: --source: missing; expected upper, mass_org, member or other",
				   r.cmd);
		else if ((src = kd_comment_source_parse(source)) == KD_NONE)
			kd_err_add(&r.err, KD_EUSAGE, "%s: --source: \"%s\" is not a source; expected upper, mass_org,"
				   " member or other", r.cmd, source);
		if (!author)
			kd_err_add(&r.err, KD_EUSAGE, "%s: --author: missing; expected who made the comment", r.cmd);
	} else {
		char *end;
		errno = 0;
		if (!n_pos)
			kd_err_add(&r.err, KD_EUSAGE, "%s: missing the comment's number; expected a number listed by"
				   " kiemdiem report show", r.cmd);
		else if ((id = strtoll(pos[0], &end, 10)) <= 0 || *end || errno)
			kd_err_add(&r.err, KD_EUSAGE, "%s: \"%s\" is not a comment number; expected a number listed by"
				   " kiemdiem report show", r.cmd, pos[0]);
	}
	if (r.err.count)
		return run_close(&r, 2);
	if ((code = run_open(&r, target, year)))
		return run_close(&r, code);
	struct kd_tx tx;
	struct strbuf action = STRBUF_INIT;
	if (add)
		strbuf_addf(&action, "report comment add %s (%d)", source, r.c.year);
	else
		strbuf_addf(&action, "report comment answer %lld (%d)", id, r.c.year);
	int rc = run_begin(&r, &tx, &action);
	if (rc == KD_OK)
		rc = kd_tx_finish(&tx, add ? kd_collective_comment_add(&tx, &r.c, src, author, text, has_on ? &on : NULL, &id)
			    : kd_collective_comment_answer(&tx, &r.c, id, text, has_on ? &on : NULL));
	if (rc == KD_OK && add)
		printf("Đã ghi ý kiến góp ý số %lld (%s: %s).\n", id, kd_comment_source_name(src), author);
	else if (rc == KD_OK)
		printf("Đã ghi giải trình cho ý kiến số %lld.\n", id);
	return run_close(&r, rc == KD_OK ? 0 : 1);
}

/* The cell meeting's deadline for sending the draft report. */
static int report_due(struct run *r, struct kd_date *meeting, struct kd_date *due)
{
	struct kd_calendar cal;
	int rc = kd_campaign_calendar(r->db, &r->arena, &cal, &r->err);
	if (rc == KD_OK)
		rc = kd_campaign_meeting_date(r->db, &r->c, 0, meeting, &r->err);
	if (rc == KD_OK)
		*due = kd_calendar_deadline(&cal, *meeting, KD_SUBMIT_WORKING_DAYS);
	return rc;
}

static int report_final(const char *target, int argc, char **argv)
{
	struct run r = { .cmd = "report final", .arena = KD_ARENA_INIT, .err = KD_ERR_INIT };
	long long year = 0;
	struct kd_date sent_on, meeting, due;
	bool has_sent = false;
	const struct cli_opt opts[] = {
		{ "--year", CLI_INT, &year, NULL, "a year such as 2021" },
		{ "--sent-on", CLI_DATE, &sent_on, &has_sent, NULL },
	};
	int n_pos, code, version = 0;
	if (!run_parse(&r, argc, argv, opts, KD_ARRAY_LEN(opts), NULL, 0, &n_pos, report_usage, &code) ||
	    (code = run_open(&r, target, year)))
		return run_close(&r, code);
	struct kd_tx tx;
	struct strbuf action = STRBUF_INIT;
	strbuf_addf(&action, "report final (%d)", r.c.year);
	int rc = run_begin(&r, &tx, &action);
	if (rc == KD_OK)
		rc = kd_tx_finish(&tx, kd_collective_report_final(&tx, &r.c, has_sent ? &sent_on : NULL, &version));
	if (rc == KD_OK)
		rc = report_due(&r, &meeting, &due);
	if (rc == KD_OK) {
		char a[11], b[11];
		printf("Bản %d là báo cáo kiểm điểm tập thể năm %d đưa ra hội nghị ngày %s.\n", version, r.c.year,
		       kd_date_vn(meeting, a));
		if (has_sent)
			printf("Gửi đến đảng viên ngày %s; hạn gửi %s: %s.\n", kd_date_vn(sent_on, a), kd_date_vn(due, b),
			       kd_date_cmp(sent_on, due) <= 0 ? "đúng hạn" : "gửi muộn");
	}
	return run_close(&r, rc == KD_OK ? 0 : 1);
}

static int report_show(const char *target, int argc, char **argv)
{
	struct run r = { .cmd = "report show", .arena = KD_ARENA_INIT, .err = KD_ERR_INIT };
	long long year = 0, want = 0;
	const struct cli_opt opts[] = {
		{ "--year", CLI_INT, &year, NULL, "a year such as 2021" },
		{ "--version", CLI_INT, &want, NULL, "a version number listed by kiemdiem report show" },
	};
	int n_pos, code;
	if (!run_parse(&r, argc, argv, opts, KD_ARRAY_LEN(opts), NULL, 0, &n_pos, report_usage, &code) ||
	    (code = run_open(&r, target, year)))
		return run_close(&r, code);
	const struct kd_subject_rules *sr = &r.c.rs->subj[KD_COLLECTIVE];
	struct kd_report rep;
	struct kd_date meeting, due;
	if (kd_collective_report_get(r.db, &r.c, &r.arena, &rep, &r.err) != KD_OK || report_due(&r, &meeting, &due))
		return run_close(&r, 1);
	char a[11], b[11];
	const struct kd_report_version *shown = NULL;
	for (size_t i = 0; i < rep.n_versions; i++)
		if (want ? rep.versions[i].version == want : rep.versions[i].final)
			shown = &rep.versions[i];
	if (!shown && !want && rep.n_versions)
		shown = &rep.versions[rep.n_versions - 1];
	if (want && !shown) {
		kd_err_add(&r.err, KD_ENOTFOUND, "report show: --version: %lld is not a version of the %d report; expected"
			   " 1 to %zu", want, r.c.year, rep.n_versions);
		return run_close(&r, 1);
	}
	printf("BÁO CÁO KIỂM ĐIỂM TẬP THỂ NĂM %d (Mẫu 01)\n", r.c.year);
	printf("Hội nghị chi bộ: %s; hạn gửi dự thảo đến đảng viên (trước ít nhất %02d ngày làm việc): %s\n",
	       kd_date_vn(meeting, a), KD_SUBMIT_WORKING_DAYS, kd_date_vn(due, b));
	printf("Các bản:");
	if (!rep.n_versions)
		printf(" chưa có (kiemdiem report draft --file TỆP)");
	for (size_t i = 0; i < rep.n_versions; i++) {
		const struct kd_report_version *v = &rep.versions[i];
		printf("%s %d (%s", i ? ";" : "", v->version, v->final ? "đưa ra hội nghị" : "dự thảo");
		if (v->has_sent_on)
			printf(", gửi ngày %s%s", kd_date_vn(v->sent_on, a), kd_date_cmp(v->sent_on, due) > 0 ? ", muộn" : "");
		printf(")");
	}
	printf("\n");
	if (shown) {
		printf("\nBản %d%s:\n", shown->version, shown->final ? " (đưa ra hội nghị)" : "");
		cli_print_indented(shown->body, "   ");
	}
	printf("\nChi ủy tự đánh giá cấp độ các tiêu chí:\n");
	for (int k = 0; k < sr->n_criteria; k++) {
		printf("  %-20s ", sr->criteria[k].id);
		cli_print_cell(rep.levels[k] == KD_NONE ? "(chưa đánh giá)" : kd_level_code(rep.levels[k]), 16);
		printf(" %s\n", sr->criteria[k].text);
	}
	printf("\nÝ kiến góp ý (%zu):\n", rep.n_comments);
	for (size_t i = 0; i < rep.n_comments; i++) {
		const struct kd_report_comment *m = &rep.comments[i];
		printf("  Số %lld. %s: %s%s%s\n", m->id, kd_comment_source_name(m->source), m->author,
		       m->has_on ? ", ngày " : "", m->has_on ? kd_date_vn(m->on, a) : "");
		cli_print_indented(m->body, "     ");
		if (m->answer) {
			printf("     Giải trình%s%s:\n", m->has_answered_on ? " ngày " : "",
			       m->has_answered_on ? kd_date_vn(m->answered_on, a) : "");
			cli_print_indented(m->answer, "       ");
		} else {
			printf("     (chưa giải trình)\n");
		}
	}
	return run_close(&r, 0);
}

int cmd_report(int argc, char **argv)
{
	static const struct cli_sub subs[] = {
		{ "draft", report_draft }, { "level", report_level }, { "comment", report_comment },
		{ "final", report_final }, { "show", report_show },
	};
	return cli_dispatch("report", argc, argv, subs, KD_ARRAY_LEN(subs), report_usage);
}
