/* cmd_rollup.c: `kiemdiem rollup` and `kiemdiem rollup recheck`, what an
 * upper level sees of the cells below it. The work is store/rollup.c's. */
#include "cli/run.h"
#include "json/jsonw.h"
#include "store/rollup.h"

static const char usage[] =
	"Cách dùng: kiemdiem rollup [--under MÃ] [--year NĂM] [--depth N] [--json] [--db FILE]\n"
	"           kiemdiem rollup recheck [--under MÃ] [--year NĂM] [--json] [--db FILE]\n"
	"           kiemdiem rollup classify [--under MÃ] [--year NĂM] [--json] [--db FILE]\n\n"
	"rollup: với mỗi tổ chức từ MÃ trở xuống (mặc định: toàn bộ), số đảng viên, số đã xếp loại,\n"
	"số và tỷ lệ (trên số đã xếp loại) từng mức HTXSNV, HTTNV, HTNV, KHTNV theo các quyết định\n"
	"hiện hành, số chưa xếp loại, số chi bộ đã hoàn thành; rồi danh sách chi bộ chưa hoàn thành\n"
	"và còn thiếu gì. --depth N: chỉ in N cấp đầu (0: tất cả; cả với --json; danh sách chi bộ chưa\n"
	"hoàn thành vẫn đủ). Năm mặc định: năm gần nhất.\n"
	"recheck: xếp loại lại từng chi bộ theo bộ quy tắc và so với quyết định đã lưu; liệt kê mọi\n"
	"chi bộ có kết quả quy tắc không cho phép, kèm điều khoản (Q-1, K-1..K-3, ...). Mã thoát 1\n"
	"khi có chi bộ như vậy.\n"
	"classify: xếp loại mọi chi bộ từ MÃ trở xuống theo bộ quy tắc của đợt kiểm điểm và lưu kết quả\n"
	"cùng lý do (như classify --campaign --partial của từng chi bộ), từng nhóm chi bộ trọn vẹn trong\n"
	"một giao dịch. Chi bộ có dữ liệu bộ quy tắc không nhận được liệt kê kèm lý do, giữ nguyên kết\n"
	"quả cũ; mã thoát 1 khi có chi bộ như vậy.\n";

static const char *const codes[] = { "HTXSNV", "HTTNV", "HTNV", "KHTNV" };
static const int order[] = { KD_HTXSNV, KD_HTTNV, KD_HTNV, KD_KHTNV };

/* n of d as a percentage with one decimal: "20,7%" (Vietnamese decimal
 * comma) or, for JSON, "20.7". */
static void pct(struct strbuf *sb, long long n, long long d, bool json)
{
	long long tenths = d ? (n * 1000 + d / 2) / d : 0;
	strbuf_addf(sb, "%lld%c%lld%s", tenths / 10, json ? '.' : ',', tenths % 10, json ? "" : "%");
}

/* A JSON document on standard output: json_start() opens its object,
 * json_finish() closes it and writes what is left. */
static void json_start(struct strbuf *sb, struct kd_jsonw *w)
{
	kd_jsonw_init(w, sb);
	kd_jsonw_begin_object(w);
}

static void json_finish(struct strbuf *sb, struct kd_jsonw *w)
{
	kd_jsonw_end_object(w);
	strbuf_addch(sb, '\n');
	fwrite(sb->buf, 1, sb->len, stdout);
	strbuf_release(sb);
}

static void write_json(const struct kd_rollup *ru, const char *under)
{
	struct strbuf sb = STRBUF_INIT, num = STRBUF_INIT;
	struct kd_jsonw w;
	json_start(&sb, &w);
	kd_jsonw_key(&w, "year");
	kd_jsonw_int(&w, ru->year);
	kd_jsonw_key(&w, "under");
	kd_jsonw_string(&w, under);
	kd_jsonw_key(&w, "orgs");
	kd_jsonw_begin_array(&w);
	for (size_t i = 0; i < ru->n; i++) {
		const struct kd_rollup_row *r = &ru->rows[i];
		kd_jsonw_begin_object(&w);
		kd_jsonw_key(&w, "code");
		kd_jsonw_string(&w, r->org.code);
		kd_jsonw_key(&w, "name");
		kd_jsonw_string(&w, r->org.name);
		kd_jsonw_key(&w, "kind");
		kd_jsonw_string(&w, r->org.kind);
		kd_jsonw_key(&w, "parent");
		kd_jsonw_string(&w, r->org.parent >= 0 ? ru->rows[r->org.parent].org.code : NULL);
		kd_jsonw_key(&w, "depth");
		kd_jsonw_int(&w, r->org.depth);
		kd_jsonw_key(&w, "members");
		kd_jsonw_int(&w, r->org.members);
		kd_jsonw_key(&w, "rated");
		kd_jsonw_int(&w, r->rated);
		kd_jsonw_key(&w, "ratings");
		kd_jsonw_begin_object(&w);
		for (int k = 0; k < KD_RATING_COUNT; k++) {
			kd_jsonw_key(&w, codes[k]);
			kd_jsonw_int(&w, r->by_rating[order[k]]);
		}
		kd_jsonw_end_object(&w);
		kd_jsonw_key(&w, "percent");
		kd_jsonw_begin_object(&w);
		for (int k = 0; k < KD_RATING_COUNT; k++) {
			kd_jsonw_key(&w, codes[k]);
			strbuf_reset(&num);
			pct(&num, r->by_rating[order[k]], r->rated, true);
			kd_jsonw_raw(&w, num.buf);
		}
		kd_jsonw_end_object(&w);
		kd_jsonw_key(&w, "not_rated");
		kd_jsonw_int(&w, r->not_rated);
		kd_jsonw_key(&w, "undecided");
		kd_jsonw_int(&w, r->undecided);
		kd_jsonw_key(&w, "cells");
		kd_jsonw_int(&w, r->org.cells);
		kd_jsonw_key(&w, "cells_finished");
		kd_jsonw_int(&w, r->finished);
		kd_jsonw_end_object(&w);
		if (sb.len > (1u << 16)) {
			fwrite(sb.buf, 1, sb.len, stdout);
			strbuf_reset(&sb);
		}
	}
	kd_jsonw_end_array(&w);
	kd_jsonw_key(&w, "unfinished");
	kd_jsonw_begin_array(&w);
	for (size_t i = 0; i < ru->n_unfinished; i++) {
		const struct kd_rollup_row *r = &ru->unfinished[i];
		kd_jsonw_begin_object(&w);
		kd_jsonw_key(&w, "code");
		kd_jsonw_string(&w, r->org.code);
		kd_jsonw_key(&w, "name");
		kd_jsonw_string(&w, r->org.name);
		kd_jsonw_key(&w, "no_campaign");
		kd_jsonw_bool(&w, r->no_campaign > 0);
		kd_jsonw_key(&w, "reviews_missing");
		kd_jsonw_int(&w, r->reviews_missing);
		kd_jsonw_key(&w, "undecided");
		kd_jsonw_int(&w, r->undecided);
		kd_jsonw_key(&w, "unpublished");
		kd_jsonw_int(&w, r->unpublished);
		kd_jsonw_end_object(&w);
	}
	kd_jsonw_end_array(&w);
	json_finish(&sb, &w);
	strbuf_release(&num);
}

/* What an unfinished cell lacks, in words. */
static void missing(struct strbuf *sb, const struct kd_rollup_row *r, int year)
{
	if (r->no_campaign)
		strbuf_addf(sb, "chưa có đợt kiểm điểm năm %d", year);
	if (r->reviews_missing)
		strbuf_addf(sb, "%s%lld bản kiểm điểm chưa nộp", sb->len ? "; " : "", r->reviews_missing);
	if (r->undecided)
		strbuf_addf(sb, "%s%lld đảng viên chưa có quyết định xếp loại", sb->len ? "; " : "", r->undecided);
	if (r->unpublished)
		strbuf_addf(sb, "%s%lld quyết định chưa công khai", sb->len ? "; " : "", r->unpublished);
}

static void print_table(const struct kd_rollup *ru)
{
	struct strbuf sb = STRBUF_INIT;
	int w = 8;
	for (size_t i = 0; i < ru->n; i++) {
		const struct kd_rollup_row *r = &ru->rows[i];
		int cw = r->org.depth * 2 + cli_width(r->org.code);
		if (cw > w)
			w = cw;
	}
	printf("Tổng hợp xếp loại chất lượng đảng viên năm %d (tỷ lệ trên số đảng viên đã được xếp loại)\n\n", ru->year);
	cli_print_cell("Tổ chức", w);
	static const char *const head[] = { "Đảng viên", "Đã XL", "HTXSNV", "HTTNV", "HTNV", "KHTNV", "Chưa XL",
					    "Chi bộ xong" };
	static const int width[] = { 9, 9, 15, 15, 15, 15, 9, 11 };
	for (size_t k = 0; k < KD_ARRAY_LEN(head); k++)
		printf(" %*s", cli_pad(head[k], width[k]), head[k]);
	printf("  Tên\n");
	for (size_t i = 0; i < ru->n; i++) {
		const struct kd_rollup_row *r = &ru->rows[i];
		strbuf_reset(&sb);
		strbuf_addchars(&sb, ' ', (size_t)r->org.depth * 2);
		strbuf_addstr(&sb, r->org.code);
		cli_print_cell(sb.buf, w);
		printf(" %9lld %9lld", r->org.members, r->rated);
		for (int k = 0; k < KD_RATING_COUNT; k++) {
			strbuf_reset(&sb);
			strbuf_addf(&sb, "%lld ", r->by_rating[order[k]]);
			pct(&sb, r->by_rating[order[k]], r->rated, false);
			printf(" %15s", sb.buf);
		}
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%lld/%lld", r->finished, r->org.cells);
		printf(" %9lld %11s  %s\n", r->org.members - r->rated, sb.buf, r->org.name);
	}
	long long cells = 0;
	for (size_t i = 0; i < ru->n; i++)
		if (ru->rows[i].org.parent < 0)
			cells += ru->rows[i].org.cells;
	printf("\nChi bộ chưa hoàn thành: %zu/%lld\n", ru->n_unfinished, cells);
	for (size_t i = 0; i < ru->n_unfinished; i++) {
		const struct kd_rollup_row *r = &ru->unfinished[i];
		strbuf_reset(&sb);
		missing(&sb, r, ru->year);
		printf("  %s  %s: %s\n", r->org.code, r->org.name, sb.buf);
	}
	strbuf_release(&sb);
}

/* The options of recheck and classify (--under, --year, --json), then
 * the database opened; false when the run is over, *code its status. */
struct subtree_opts {
	const char *under;
	long long year;
	bool json;
};

static bool subtree_open(struct run *r, const char *target, int argc, char **argv, struct subtree_opts *o, int *code)
{
	int n_pos;
	const struct cli_opt opts[] = {
		{ "--under", CLI_TEXT, &o->under, NULL, "an organization's code" },
		{ "--year", CLI_INT, &o->year, NULL, "a year such as 2021" },
		{ "--json", CLI_FLAG, &o->json, NULL, NULL },
	};
	*o = (struct subtree_opts){ NULL, 0, false };
	if (!run_parse(r, argc, argv, opts, KD_ARRAY_LEN(opts), NULL, 0, &n_pos, NULL, code))
		return false;
	if ((*code = run_open(r, target, -1))) {
		*code = run_close(r, *code);
		return false;
	}
	return true;
}

static int recheck(const char *target, int argc, char **argv)
{
	struct run r = { .cmd = "rollup recheck", .usage = usage };
	struct subtree_opts o;
	int code;
	if (!subtree_open(&r, target, argc, argv, &o, &code))
		return code;
	struct kd_recheck rc_out;
	int rc = kd_rollup_recheck(r.db, o.under, (int)o.year, &r.arena, &rc_out, &r.err);
	if (rc != KD_OK)
		return run_finish(&r, rc);
	if (o.json) {
		struct strbuf sb = STRBUF_INIT;
		struct kd_jsonw w;
		json_start(&sb, &w);
		kd_jsonw_key(&w, "year");
		kd_jsonw_int(&w, rc_out.year);
		kd_jsonw_key(&w, "cells");
		kd_jsonw_int(&w, rc_out.cells);
		kd_jsonw_key(&w, "members");
		kd_jsonw_int(&w, rc_out.members);
		kd_jsonw_key(&w, "cells_flagged");
		kd_jsonw_int(&w, rc_out.cells_flagged);
		kd_jsonw_key(&w, "findings");
		kd_jsonw_begin_array(&w);
		for (size_t i = 0; i < rc_out.n; i++) {
			const struct kd_recheck_finding *f = &rc_out.items[i];
			kd_jsonw_begin_object(&w);
			kd_jsonw_key(&w, "cell");
			kd_jsonw_string(&w, f->cell_code);
			kd_jsonw_key(&w, "clause");
			kd_jsonw_string(&w, f->clause);
			kd_jsonw_key(&w, "subject");
			kd_jsonw_string(&w, f->subject);
			kd_jsonw_key(&w, "message");
			kd_jsonw_string(&w, f->message);
			kd_jsonw_end_object(&w);
		}
		kd_jsonw_end_array(&w);
		json_finish(&sb, &w);
	} else {
		printf("Kiểm tra lại kết quả xếp loại năm %d: %lld chi bộ, %lld đảng viên; %lld chi bộ có kết quả"
		       " quy tắc không cho phép\n", rc_out.year, rc_out.cells, rc_out.members, rc_out.cells_flagged);
		const char *last = NULL;
		for (size_t i = 0; i < rc_out.n; i++) {
			const struct kd_recheck_finding *f = &rc_out.items[i];
			if (!last || strcmp(last, f->cell_code))
				printf("\n%s  %s\n", f->cell_code, f->cell_name);
			last = f->cell_code;
			printf("  [%s] %s%s%s\n", f->clause, f->subject ? f->subject : "", f->subject ? ": " : "", f->message);
		}
	}
	return run_close(&r, rc_out.cells_flagged ? 1 : 0);
}

static int classify(const char *target, int argc, char **argv)
{
	struct run r = { .cmd = "rollup classify", .usage = usage };
	struct subtree_opts o;
	int code;
	if (!subtree_open(&r, target, argc, argv, &o, &code))
		return code;
	struct kd_classified out;
	struct run_progress pr;
	run_progress_start(&pr, "rollup classify");
	int rc = kd_rollup_classify(r.db, o.under, (int)o.year, &r.arena, &out, run_progress, &pr, &r.err);
	if (rc != KD_OK)
		return run_finish(&r, rc);
	double secs = run_progress_seconds(&pr);
	if (o.json) {
		struct strbuf sb = STRBUF_INIT;
		struct kd_jsonw w;
		json_start(&sb, &w);
		kd_jsonw_key(&w, "year");
		kd_jsonw_int(&w, out.year);
		kd_jsonw_key(&w, "cells");
		kd_jsonw_int(&w, out.cells);
		kd_jsonw_key(&w, "members");
		kd_jsonw_int(&w, out.members);
		kd_jsonw_key(&w, "ratings");
		kd_jsonw_begin_object(&w);
		for (int k = 0; k < KD_RATING_COUNT; k++) {
			kd_jsonw_key(&w, codes[k]);
			kd_jsonw_int(&w, out.by_rating[order[k]]);
		}
		kd_jsonw_end_object(&w);
		kd_jsonw_key(&w, "not_rated");
		kd_jsonw_int(&w, out.not_rated);
		kd_jsonw_key(&w, "undecided");
		kd_jsonw_int(&w, out.undecided);
		kd_jsonw_key(&w, "incomplete");
		kd_jsonw_int(&w, out.incomplete);
		kd_jsonw_key(&w, "transactions");
		kd_jsonw_int(&w, out.transactions);
		kd_jsonw_key(&w, "skipped");
		kd_jsonw_begin_array(&w);
		for (size_t i = 0; i < out.n_skipped; i++) {
			kd_jsonw_begin_object(&w);
			kd_jsonw_key(&w, "cell");
			kd_jsonw_string(&w, out.skipped[i].cell_code);
			kd_jsonw_key(&w, "message");
			kd_jsonw_string(&w, out.skipped[i].message);
			kd_jsonw_end_object(&w);
		}
		kd_jsonw_end_array(&w);
		json_finish(&sb, &w);
	} else {
		printf("Xếp loại năm %d: %lld chi bộ, %lld đảng viên trong %.1f giây (%.0f đảng viên/giây, %lld giao dịch)\n"
		       "HTXSNV %lld, HTTNV %lld, HTNV %lld, KHTNV %lld; không xếp loại %lld; chưa quyết định %lld;"
		       " chưa đủ bản tự đánh giá %lld\n", out.year, out.cells, out.members, secs,
		       secs > 0 ? (double)out.members / secs : 0.0, out.transactions, out.by_rating[KD_HTXSNV],
		       out.by_rating[KD_HTTNV], out.by_rating[KD_HTNV], out.by_rating[KD_KHTNV], out.not_rated,
		       out.undecided, out.incomplete);
		if (out.n_skipped)
			printf("\nChi bộ không xếp loại được (giữ nguyên kết quả cũ): %zu\n", out.n_skipped);
		for (size_t i = 0; i < out.n_skipped; i++)
			printf("  %s  %s: %s\n", out.skipped[i].cell_code, out.skipped[i].cell_name, out.skipped[i].message);
	}
	return run_close(&r, out.n_skipped ? 1 : 0);
}

int cmd_rollup(int argc, char **argv)
{
	const char *target = cli_db_option(&argc, argv);
	if (argc > 1 && !strcmp(argv[1], "recheck"))
		return recheck(target, argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "classify"))
		return classify(target, argc - 1, argv + 1);
	struct run r = { .cmd = "rollup", .usage = usage };
	const char *under = NULL;
	long long year = 0, depth = 0;
	bool json = false;
	int n_pos, code;
	const struct cli_opt opts[] = {
		{ "--under", CLI_TEXT, &under, NULL, "an organization's code" },
		{ "--year", CLI_INT, &year, NULL, "a year such as 2021" },
		{ "--depth", CLI_INT, &depth, NULL, "a number of levels" },
		{ "--json", CLI_FLAG, &json, NULL, NULL },
	};
	if (!run_parse(&r, argc, argv, opts, KD_ARRAY_LEN(opts), NULL, 0, &n_pos, NULL, &code))
		return code;
	if ((code = run_open(&r, target, -1)))
		return run_close(&r, code);
	struct kd_rollup ru;
	int rc = kd_rollup(r.db, under, (int)year, (int)depth, &r.arena, &ru, &r.err);
	if (rc == KD_OK && json)
		write_json(&ru, under);
	else if (rc == KD_OK)
		print_table(&ru);
	return run_finish(&r, rc);
}
