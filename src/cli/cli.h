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
	X("import", cmd_import, "nhập danh sách đảng viên từ tệp CSV (import roster), tất cả hoặc không") \
	X("export", cmd_export, "xuất danh sách đảng viên dạng CSV (export roster), dữ liệu JSON (export json)") \
	X("member", cmd_member, "thêm, sửa, liệt kê, xem đảng viên") \
	X("group", cmd_group, "tổ đảng: thêm, liệt kê, phân công cấp ủy viên phụ trách") \
	X("massorg", cmd_massorg, "các đoàn thể do chi bộ lãnh đạo: thêm, liệt kê") \
	X("campaign", cmd_campaign, "đợt kiểm điểm của một năm: tạo, sửa, xem toàn bộ, liệt kê") \
	X("milestone", cmd_milestone, "các mốc tiến độ của đợt kiểm điểm (kế hoạch VI.2)") \
	X("review", cmd_review, "bản kiểm điểm cá nhân (Mẫu 02): tự đánh giá, nộp, mở lại, xem") \
	X("residence", cmd_residence, "nhận xét của chi ủy nơi cư trú (Quy định 213-QĐ/TW)") \
	X("fact", cmd_fact, "thông tin theo bộ quy tắc của đảng viên, lãnh đạo, tập thể; xếp loại đoàn thể") \
	X("leader", cmd_leader, "cán bộ lãnh đạo, quản lý được kiểm điểm trong đợt") \
	X("report", cmd_report, "báo cáo kiểm điểm tập thể (Mẫu 01): dự thảo, góp ý, giải trình, bản chính thức") \
	X("audit", cmd_audit, "kiểm tra (verify) hoặc xem (log) nhật ký thay đổi") \
	X("backup", cmd_backup, "sao lưu cơ sở dữ liệu đang mở sang một tệp") \
	X("meeting", cmd_meeting, "cuộc họp kiểm điểm: thành phần, chương trình, ý kiến, kết luận, biên bản") \
	X("vote", cmd_vote, "ghi, xem kết quả kiểm phiếu biểu quyết xếp loại") \
	X("decide", cmd_decide, "ghi quyết định xếp loại của chi bộ; decide list: các quyết định") \
	X("publish", cmd_publish, "công khai các quyết định xếp loại (Bước 3)") \
	X("annul", cmd_annul, "hủy quyết định xếp loại và xếp loại lại (V.5.3)") \
	X("demo", cmd_demo, "tạo (lại) chi bộ mẫu của kế hoạch với đợt kiểm điểm năm 2021") \
	X("status", cmd_status, "tiến độ đợt kiểm điểm theo từng tổ đảng") \
	X("check", cmd_check, "những việc cản trở bước tiếp theo, kèm điều khoản của kế hoạch") \
	X("doc", cmd_doc, "in một văn bản của đợt kiểm điểm: DOCX, PDF hoặc XLSX") \
	X("dossier", cmd_dossier, "hồ sơ gửi cấp trên: mọi văn bản và dữ liệu JSON trong một tệp ZIP") \
	X("user", cmd_user, "tài khoản đăng nhập giao diện web: thêm, liệt kê, mã dùng một lần, vai trò") \
	X("serve", cmd_serve, "chạy giao diện web (mặc định http://127.0.0.1:8080)") \
	X("org", cmd_org, "cây tổ chức đảng: thêm, liệt kê (cấp trên, đảng bộ cơ sở, chi bộ)") \
	X("rollup", cmd_rollup, "tổng hợp kết quả xếp loại của mọi tổ chức cấp dưới; rollup recheck: kiểm tra lại") \
	X("gen", cmd_gen, "tạo dữ liệu mẫu: cây tổ chức và đợt kiểm điểm với số đảng viên cho trước")

#define KD_X(name, fn, summary) int fn(int argc, char **argv);
KD_COMMANDS(KD_X)
#undef KD_X

struct kd_db;

/* Take "--db FILE" / "--db=FILE" out of argv (default ./kiemdiem.db),
 * shifting the rest down; returns the target. "--cell CODE" is taken
 * out too and chooses the cell of a database of several: every
 * connection opened below is set to it (db.h kd_db_cell_use). */
const char *cli_db_option(int *argc, char **argv);
/* kd_db_open(), then the connection set to the run's --cell, if any. */
KD_WUR int cli_db_open(const char *target, bool create, struct kd_db **out, struct kd_err *err);
/* Open the database (cli_db_open); on failure print the problem and
 * return NULL. */
struct kd_db *cli_open_db(const char *target, bool create, int *exit_code);

/* `kiemdiem calendar exception ...` (cmd_calendar_exception.c); argv[0]
 * is "exception". */
int cli_calendar_exception(int argc, char **argv);

/* `kiemdiem export json` (cmd_check.c); argv[0] is "json". */
int cli_export_json(int argc, char **argv);

/* printf's "%-*s" pads by bytes; a terminal column is a character (text
 * is NFC: one code point per Vietnamese letter). cli_width() counts the
 * characters of UTF-8 `s`, cli_pad() is the printf width that pads `s` to
 * `w` characters, cli_print_cell() prints it so padded. (term.c) */
int cli_width(const char *s);
int cli_pad(const char *s, int w);
void cli_print_cell(const char *s, int w);
/* Print `text` line by line, each line after `indent`. */
void cli_print_indented(const char *text, const char *indent);

/* Read all of FILE ("-" or NULL: standard input) into `out`. */
KD_WUR int cli_read_file(const char *path, struct strbuf *out, struct kd_err *err);
/* Today's local date. */
struct kd_date cli_today(void);
/* Print `err` to stderr and return its exit status. */
int cli_fail(struct kd_err *err);
/* True when argv[i] is -h or --help. */
bool cli_is_help(const char *arg);

#endif
