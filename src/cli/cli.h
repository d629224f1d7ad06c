/*
** cli.h: the command-line front end. One table (commands.def) lists every
** command with its handler and one-line summary; `kiemdiem help` and the
** dispatcher both read it.
*/
#ifndef KD_CLI_H
#define KD_CLI_H

#include "base/err.h"
#include "core/date.h"

/* A command's handler: argv[0] is the command name. Returns an exit status. */
typedef int (*kd_cmd_fn)(int argc, char **argv);

#define KD_COMMANDS(X) \
	X("classify", cmd_classify, "xếp loại một tài liệu JSON theo bộ quy tắc (classify.md)") \
	X("rules", cmd_rules, "liệt kê các bộ quy tắc, xem các điều khoản của một bộ") \
	X("calendar", cmd_calendar, "ngày làm việc, hạn chót nộp trước N ngày làm việc, ngày nghỉ lễ, tết") \
	X("init", cmd_init, "tạo cơ sở dữ liệu mới cho một chi bộ") \
	X("audit", cmd_audit, "kiểm tra (verify) hoặc xem (log) nhật ký thay đổi") \
	X("backup", cmd_backup, "sao lưu cơ sở dữ liệu đang mở sang một tệp") \
	X("demo", cmd_demo, "tạo (lại) chi bộ mẫu của kế hoạch với đợt kiểm điểm năm 2021") \
	X("status", cmd_status, "tiến độ đợt kiểm điểm theo từng tổ đảng") \
	X("check", cmd_check, "những việc cản trở bước tiếp theo, kèm điều khoản của kế hoạch")

#define KD_X(name, fn, summary) int fn(int argc, char **argv);
KD_COMMANDS(KD_X)
#undef KD_X

struct kd_db;

/* Take "--db FILE" / "--db=FILE" out of argv (default ./kiemdiem.db),
 * shifting the rest down; returns the target. */
const char *cli_db_option(int *argc, char **argv);
/* Open the database; on failure print the problem and return NULL. */
struct kd_db *cli_open_db(const char *target, bool create, int *exit_code);

/* `kiemdiem export json` (cmd_check.c); argv[0] is "json". */
int cli_export_json(int argc, char **argv);

/* Read all of FILE ("-" or NULL: standard input) into `out`. */
KD_WUR int cli_read_file(const char *path, struct strbuf *out, struct kd_err *err);
/* Today's local date. */
struct kd_date cli_today(void);
/* Print `err` to stderr and return its exit status. */
int cli_fail(struct kd_err *err);
/* True when argv[i] is -h or --help. */
bool cli_is_help(const char *arg);

#endif
