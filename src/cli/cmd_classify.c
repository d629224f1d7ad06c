/* cmd_classify.c: `kiemdiem classify [--ruleset ID] [FILE|-]` (classify.md). */
#include "cli/args.h"
#include "cli/cli.h"
#include "json/classify_doc.h"
#include "json/classify_out.h"
#include "store/cell_load.h"
#include "store/lookup.h"
#include "store/tx.h"

static const char usage[] =
	"Cách dùng: kiemdiem classify [--ruleset ID] [FILE|-]\n\n"
	"Đọc một tài liệu JSON (FILE, hoặc đầu vào chuẩn khi FILE là - hoặc bỏ trống),\n"
	"áp dụng bộ quy tắc và in kết quả xếp loại dạng JSON. Không ghi cơ sở dữ liệu.\n\n"
	"  --ruleset ID   dùng bộ quy tắc ID thay cho \"ruleset\" của tài liệu\n\n"
	"Hoặc: kiemdiem classify --campaign [--db FILE] [--year Y] [--partial] [--json]\n"
	"xếp loại đợt kiểm điểm đã lưu (bản kiểm điểm, phiếu biểu quyết của hội nghị\n"
	"chi bộ, các thông tin khác), lưu kết quả cùng lý do vào cơ sở dữ liệu.\n"
	"  --partial      bỏ qua đảng viên chưa có đủ mức tự đánh giá\n"
	"  --json         in kết quả theo định dạng của classify.md\n\n"
	"Mã thoát: 0 khi tài liệu hợp lệ; 2 khi không, mỗi lỗi một dòng trên stderr.\n";

static void print_summary(const struct kd_campaign_cell *cc, const struct kd_result *res)
{
	static const char *const status[] = { "", "không xếp loại", "chưa quyết định" };
	for (size_t i = 0; i < cc->cell.n_members; i++) {
		const struct kd_verdict *v = &res->members[i];
		cli_print_cell(cc->cell.members[i].s.id, 6);
		putchar(' ');
		cli_print_cell(cc->cell.members[i].s.name, 32);
		printf(" %s\n", v->status == KD_RATED ? kd_rating_name(v->final) : status[v->status]);
	}
	printf("\nHoàn thành xuất sắc nhiệm vụ: %zu; hoàn thành tốt: %zu; hoàn thành: %zu; không hoàn thành: %zu;"
	       " không xếp loại: %zu; chưa quyết định: %zu\n", res->summary[KD_HTXSNV], res->summary[KD_HTTNV],
	       res->summary[KD_HTNV], res->summary[KD_KHTNV], res->not_rated, res->undecided);
	if (cc->cell.collective)
		printf("Chi bộ: %s\n", res->collective.status == KD_RATED ? kd_rating_name(res->collective.final)
		       : "chưa quyết định (còn đảng viên phải biểu quyết lại)");
	for (size_t i = 0; i < cc->n_incomplete; i++)
		printf("Chưa xếp loại (chưa đủ bản tự đánh giá): %s\n", cc->incomplete[i]);
}

/* classify --campaign: the engine over stored data, results stored back. */
static int classify_campaign(int argc, char **argv)
{
	const char *target = cli_db_option(&argc, argv);
	struct kd_err err = KD_ERR_INIT;
	struct kd_arena arena = KD_ARENA_INIT;
	long long year = 0, campaign;
	bool partial = false, json = false, campaign_flag = false, help;
	const struct cli_opt opts[] = {
		{ "--campaign", CLI_FLAG, &campaign_flag, NULL, NULL },
		{ "--year", CLI_INT, &year, NULL, "a year such as 2021" },
		{ "--partial", CLI_FLAG, &partial, NULL, NULL },
		{ "--json", CLI_FLAG, &json, NULL, NULL },
	};
	int n_pos, code = 0;
	if (cli_parse("classify", argc, argv, opts, KD_ARRAY_LEN(opts), NULL, 0, &n_pos, &help, &arena, &err)) {
		kd_arena_release(&arena);
		return cli_fail(&err);
	}
	struct kd_db *db = cli_open_db(target, false, &code);
	if (!db) {
		kd_arena_release(&arena);
		return code;
	}
	struct kd_campaign_cell cc;
	struct kd_result res;
	struct kd_tx tx;
	char action[64];
	int rc = kd_lookup_campaign(db, year, &campaign, &err);
	if (rc == KD_OK)
		rc = kd_campaign_load(db, campaign, partial, &arena, &cc, &err);
	if (rc == KD_OK) {
		kd_classify(&cc.cell, &res, &arena);
		snprintf(action, sizeof(action), "classify campaign %d", cc.cell.as_of.y);
		rc = kd_tx_begin(&tx, db, NULL, action, &err);
		if (rc == KD_OK) {
			rc = kd_results_store(&tx, &cc, &res);
			rc = rc == KD_OK ? kd_tx_commit(&tx) : (kd_tx_abort(&tx), rc);
		}
	}
	if (rc == KD_OK) {
		if (json)
			rc = kd_classify_write(&cc.cell, &res, stdout);
		else
			print_summary(&cc, &res);
	}
	kd_db_close(db);
	kd_arena_release(&arena);
	return rc == KD_OK ? 0 : cli_fail(&err);
}

int cmd_classify(int argc, char **argv)
{
	const char *ruleset = NULL, *file = NULL;
	struct kd_err err = KD_ERR_INIT;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--campaign"))
			return classify_campaign(argc, argv);
	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			fputs(usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--ruleset")) {
			if (++i == argc) {
				kd_err_add(&err, KD_EUSAGE, "--ruleset: missing; expected a rule set id");
				return cli_fail(&err);
			}
			ruleset = argv[i];
		} else if (!strncmp(argv[i], "--ruleset=", 10)) {
			ruleset = argv[i] + 10;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			kd_err_add(&err, KD_EUSAGE, "%s: unknown option; expected --ruleset ID or a file", argv[i]);
			return cli_fail(&err);
		} else if (file) {
			kd_err_add(&err, KD_EUSAGE, "%s: a second file; expected one file at most", argv[i]);
			return cli_fail(&err);
		} else {
			file = argv[i];
		}
	}

	struct strbuf in = STRBUF_INIT;
	struct kd_arena arena = KD_ARENA_INIT;
	struct kd_cell cell;
	struct kd_result res;
	int rc = cli_read_file(file, &in, &err);
	if (rc == KD_OK)
		rc = kd_classify_doc_read(in.buf, in.len, ruleset, cli_today(), &arena, &err, &cell);
	strbuf_release(&in);
	if (rc == KD_OK) {
		kd_classify(&cell, &res, &arena);
		if (kd_classify_write(&cell, &res, stdout) != KD_OK)
			rc = kd_err_add(&err, KD_EIO, "(standard output): cannot write; expected a writable output");
	}
	kd_arena_release(&arena);
	return rc == KD_OK ? 0 : cli_fail(&err);
}
