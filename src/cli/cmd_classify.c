/* cmd_classify.c: `kiemdiem classify [--ruleset ID] [FILE|-]` (classify.md). */
#include "cli/cli.h"
#include "json/classify_doc.h"
#include "json/classify_out.h"

static const char usage[] =
	"Cách dùng: kiemdiem classify [--ruleset ID] [FILE|-]\n\n"
	"Đọc một tài liệu JSON (FILE, hoặc đầu vào chuẩn khi FILE là - hoặc bỏ trống),\n"
	"áp dụng bộ quy tắc và in kết quả xếp loại dạng JSON. Không ghi cơ sở dữ liệu.\n\n"
	"  --ruleset ID   dùng bộ quy tắc ID thay cho \"ruleset\" của tài liệu\n\n"
	"Mã thoát: 0 khi tài liệu hợp lệ; 2 khi không, mỗi lỗi một dòng trên stderr.\n";

int cmd_classify(int argc, char **argv)
{
	const char *ruleset = NULL, *file = NULL;
	struct kd_err err = KD_ERR_INIT;
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
