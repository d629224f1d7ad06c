/* cmd_audit.c: `kiemdiem audit verify` and `kiemdiem audit log`. */
#include "cli/cli.h"
#include "store/tx.h"

static const char usage[] =
	"Cách dùng: kiemdiem audit verify [--db FILE]\n"
	"           kiemdiem audit log [--db FILE]\n\n"
	"verify: kiểm tra chuỗi băm của nhật ký và đối chiếu với dữ liệu; mã thoát\n"
	"khác 0 và mục hỏng đầu tiên khi có sửa, xóa ngoài chương trình.\n"
	"log: liệt kê các mục nhật ký (thời điểm, người, thao tác, số dòng đổi).\n";

static int log_list(struct kd_db *db)
{
	struct kd_err err = KD_ERR_INIT;
	struct kd_stmt *st;
	int rc = kd_db_stmt(db, "SELECT seq, at, actor, action FROM audit_log ORDER BY seq", &st, &err);
	while (rc == KD_OK && (rc = kd_stmt_step(st, &err)) == 1) {
		printf("%6lld  %s  %-12s %s\n", kd_stmt_col_int(st, 0), kd_stmt_col_text(st, 1),
		       kd_stmt_col_text(st, 2), kd_stmt_col_text(st, 3));
		rc = KD_OK;
	}
	return rc < 0 ? cli_fail(&err) : 0;
}

int cmd_audit(int argc, char **argv)
{
	const char *target = cli_db_option(&argc, argv);
	if (argc != 2 || (strcmp(argv[1], "verify") && strcmp(argv[1], "log"))) {
		fputs(usage, argc == 2 && cli_is_help(argv[1]) ? stdout : stderr);
		return argc == 2 && cli_is_help(argv[1]) ? 0 : 2;
	}
	int code = 0;
	struct kd_db *db = cli_open_db(target, false, &code);
	if (!db)
		return code;
	if (!strcmp(argv[1], "log")) {
		code = log_list(db);
	} else {
		struct kd_err err = KD_ERR_INIT;
		struct strbuf summary = STRBUF_INIT;
		if (kd_audit_verify(db, &summary, &err) == KD_OK) {
			fputs(summary.buf, stdout);
		} else {
			code = cli_fail(&err);
		}
		strbuf_release(&summary);
	}
	kd_db_close(db);
	return code;
}
