/* cmd_export.c: `kiemdiem export WHAT`, data out of the database on
 * standard output (cli.md). The one command dispatches to one handler per
 * WHAT; each handler gets argv with WHAT as argv[0] and every other
 * argument, --db included, in order, and parses them itself:
 *   roster  the people as CSV in the columns `import roster` reads (here);
 *   json    the whole campaign as JSON (cli_export_json, cmd_check.c). */
#include "cli/args.h"
#include "cli/cli.h"
#include "store/roster.h"

static const char usage[] =
	"Cách dùng: kiemdiem export roster [--db FILE] [--bom]\n"
	"           kiemdiem export json [--db FILE] [--year NĂM]\n\n"
	"roster: danh sách đảng viên dạng CSV ra đầu ra chuẩn: UTF-8, dòng tiêu đề, phân\n"
	"cách ',', ngày YYYY-MM-DD, đúng các cột mà kiemdiem import roster đọc (xem\n"
	"kiemdiem import --help); xếp theo tên, rồi tên đệm, rồi họ, theo thứ tự tiếng\n"
	"Việt. Nhập lại tệp này không thay đổi gì.\n"
	"  --bom   thêm BOM UTF-8 ở đầu để Excel hiển thị đúng tiếng Việt\n\n"
	"json: toàn bộ đợt kiểm điểm (mặc định: đợt mới nhất) dạng JSON.\n";

static int export_roster(int argc, char **argv)
{
	const char *target = cli_db_option(&argc, argv);
	struct kd_arena arena = KD_ARENA_INIT;
	struct kd_err err = KD_ERR_INIT;
	bool bom = false, help = false;
	int npos = 0;
	const struct cli_opt opts[] = {
		{ "--bom", CLI_FLAG, &bom, NULL, NULL },
	};
	int rc = cli_parse("export roster", argc, argv, opts, KD_ARRAY_LEN(opts), NULL, 0, &npos, &help, &arena, &err);
	kd_arena_release(&arena);
	if (rc != KD_OK)
		return cli_fail(&err);
	if (help) {
		fputs(usage, stdout);
		return 0;
	}
	int code = 0;
	struct kd_db *db = cli_open_db(target, false, &code);
	if (!db)
		return code;
	struct strbuf out = STRBUF_INIT;
	if (bom)
		strbuf_addstr(&out, "\xEF\xBB\xBF");
	rc = kd_roster_write_csv(db, &out, &err);
	kd_db_close(db);
	if (rc == KD_OK && (fwrite(out.buf, 1, out.len, stdout) != out.len || fflush(stdout) != 0))
		rc = kd_err_add(&err, KD_EIO, "(standard output): cannot write; expected a writable output");
	strbuf_release(&out);
	return rc == KD_OK ? 0 : cli_fail(&err);
}

static const struct {
	const char *what;
	kd_cmd_fn fn;
} handlers[] = {
	{ "roster", export_roster },
	{ "json", cli_export_json },
};

int cmd_export(int argc, char **argv)
{
	/* WHAT is the first argument that is neither --db nor its value. */
	int at = 1;
	while (at < argc && (!strcmp(argv[at], "--db") || !strncmp(argv[at], "--db=", 5)))
		at += strcmp(argv[at], "--db") ? 1 : 2;
	struct kd_err err = KD_ERR_INIT;
	if (at >= argc) {
		kd_err_add(&err, KD_EUSAGE, "export: missing what to export; expected roster or json");
		return cli_fail(&err);
	}
	if (cli_is_help(argv[at])) {
		fputs(usage, stdout);
		return 0;
	}
	for (size_t i = 0; i < KD_ARRAY_LEN(handlers); i++) {
		if (strcmp(argv[at], handlers[i].what))
			continue;
		/* argv without "export": WHAT first, then the rest in order. */
		char *what = argv[at];
		for (int k = at; k > 1; k--)
			argv[k] = argv[k - 1];
		argv[1] = what;
		return handlers[i].fn(argc - 1, argv + 1);
	}
	kd_err_add(&err, KD_EUSAGE, "export: \"%s\" is not something to export; expected roster or json", argv[at]);
	return cli_fail(&err);
}
