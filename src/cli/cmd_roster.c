/* cmd_roster.c: `kiemdiem import roster CSV`, the cell's people from a CSV
 * file, all rows or none (cli.md; the format is docs/roster.md). The work is
 * store/roster.c's; this file reads the file and reports. */
#include "cli/args.h"
#include "cli/cli.h"
#include "store/roster.h"

/* A cell's roster is well under a megabyte, but one import may hold a
 * whole party's (5.6 million people, about 800 MB: issue 6); the cap only
 * stops a wrong file from filling memory. */
#define ROSTER_MAX_BYTES (2048u << 20)

static const char usage[] =
	"Cách dùng: kiemdiem import roster [--db FILE] [--dry-run] CSV\n\n"
	"Nhập danh sách đảng viên từ tệp CSV (\"-\": đầu vào chuẩn), tất cả các dòng hoặc\n"
	"không dòng nào: có bất kỳ lỗi nào thì không ghi gì, in mọi lỗi, mỗi lỗi một dòng\n"
	"kèm số dòng trong tệp (dòng tiêu đề là dòng 1), và thoát với mã 2. Mã (ma) đã\n"
	"có thì cập nhật người đó, mã mới thì thêm; nhập lại cùng một tệp không đổi gì.\n"
	"Cả lần nhập là một giao dịch và một mục nhật ký (kiemdiem audit log).\n\n"
	"Tệp CSV: UTF-8, có hoặc không có BOM; phân cách bằng ',' hoặc ';' (nhận ra từ\n"
	"dòng tiêu đề); dòng 1 là tên các cột, theo thứ tự bất kỳ:\n"
	"  ma                   mã đảng viên, bắt buộc: chữ, số, '.', '-', '_' (vd dv07)\n"
	"  ho_ten               họ và tên, bắt buộc\n"
	"  ngay_sinh            ngày sinh: YYYY-MM-DD hoặc DD/MM/YYYY, có thể trống\n"
	"  ngay_vao_dang        ngày vào Đảng, như trên\n"
	"  ngay_chinh_thuc      ngày chính thức, như trên (trống: đảng viên dự bị)\n"
	"  so_the               số thẻ đảng viên, không trùng nhau, có thể trống\n"
	"  to_dang              mã tổ đảng đã có (kiemdiem group list), có thể trống\n"
	"  chuc_vu_dang         chức vụ Đảng\n"
	"  chuc_vu_chinh_quyen  chức vụ chính quyền, đoàn thể\n"
	"  cong_chuc            cán bộ, công chức, viên chức: 1/0 hoặc co/khong (trống: 0)\n"
	"  cap_tren_quan_ly     thuộc diện cấp trên quản lý: 1/0\n"
	"  chi_uy               cấp ủy: bi_thu, pho_bi_thu, chi_uy_vien hoặc trống\n"
	"  to_truong            tổ trưởng của tổ đảng to_dang: 1/0\n"
	"  email                thư điện tử\n"
	"Chỉ ma và ho_ten là cột bắt buộc; thiếu cột nào thì người đã có giữ giá trị cũ\n"
	"của cột đó. Họ tên được chuẩn hóa NFC và tách thành họ, tên đệm, tên. Dòng\n"
	"trống bị bỏ qua. Mỗi chi bộ một bí thư, mỗi tổ một tổ trưởng.\n\n"
	"  --dry-run   chỉ kiểm tra và báo lỗi, không ghi gì\n\n"
	"Xem thêm: kiemdiem export roster (cùng các cột), docs/roster.md.\n";

static int fail(struct kd_arena *arena, struct kd_err *err)
{
	kd_arena_release(arena);
	return cli_fail(err);
}

static int import_roster(const char *target, int argc, char **argv)
{
	struct kd_arena arena = KD_ARENA_INIT;
	struct kd_err err = KD_ERR_INIT;
	bool dry_run = false, help = false;
	const char *pos[1];
	int npos = 0;
	const struct cli_opt opts[] = {
		{ "--dry-run", CLI_FLAG, &dry_run, NULL, NULL },
	};
	if (cli_parse("import roster", argc, argv, opts, KD_ARRAY_LEN(opts), pos, 1, &npos, &help, &arena, &err)
	    != KD_OK)
		return fail(&arena, &err);
	if (help) {
		fputs(usage, stdout);
		kd_arena_release(&arena);
		return 0;
	}
	if (npos != 1) {
		kd_err_add(&err, KD_EUSAGE, "import roster: missing the CSV file; expected kiemdiem import roster [--db FILE] CSV");
		return fail(&arena, &err);
	}
	const char *path = pos[0];
	const char *source = strcmp(path, "-") ? path : "(standard input)";
	struct strbuf data = STRBUF_INIT;
	strbuf_set_max(&data, ROSTER_MAX_BYTES);
	int rc = cli_read_file(path, &data, &err);
	if (rc == KD_OK && data.toobig)
		rc = kd_err_add(&err, KD_ETOOBIG, "%s: larger than %u MiB; expected a roster file", source,
				ROSTER_MAX_BYTES >> 20);
	if (rc != KD_OK) {
		strbuf_release(&data);
		return fail(&arena, &err);
	}
	int code = 0;
	struct kd_db *db = cli_open_db(target, false, &code);
	if (!db) {
		strbuf_release(&data);
		kd_arena_release(&arena);
		return code;
	}
	struct kd_roster_row *rows;
	size_t n;
	int parsed = kd_roster_parse_csv(data.buf, data.len, source, &arena, &rows, &n, &err);
	struct kd_roster_counts counts = { 0, 0, 0 };
	struct strbuf action = STRBUF_INIT;
	const char *base = strrchr(source, '/');
	strbuf_addf(&action, "import roster %s", base ? base + 1 : source);
	/* With problems in the file's shape the rows that could be read are
	 * still checked (and not written), so one run reports everything. */
	struct kd_roster_change ch = { source, NULL, KD_ROSTER_UPSERT, dry_run || parsed != KD_OK, rows, n };
	if (rows || parsed == KD_OK)
		rc = kd_roster_apply(db, &ch, NULL, action.buf, &counts, &err);
	kd_db_close(db);
	strbuf_release(&data);
	strbuf_release(&action);
	if (parsed != KD_OK || rc != KD_OK)
		return fail(&arena, &err);
	if (dry_run)
		printf("Đã kiểm tra %s: không có lỗi; sẽ thêm %zu, cập nhật %zu, giữ nguyên %zu người (chưa ghi gì).\n",
		       source, counts.added, counts.updated, counts.unchanged);
	else
		printf("Đã nhập %s: thêm %zu, cập nhật %zu, giữ nguyên %zu người.\n", source, counts.added,
		       counts.updated, counts.unchanged);
	kd_arena_release(&arena);
	return 0;
}

int cmd_import(int argc, char **argv)
{
	const char *target = cli_db_option(&argc, argv);
	if (argc >= 2 && cli_is_help(argv[1])) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "roster"))
		return import_roster(target, argc - 1, argv + 1);
	struct kd_err err = KD_ERR_INIT;
	if (argc < 2)
		kd_err_add(&err, KD_EUSAGE, "import: missing what to import; expected kiemdiem import roster [--db FILE] CSV");
	else
		kd_err_add(&err, KD_EUSAGE, "import: \"%s\" is not something to import; expected roster", argv[1]);
	return cli_fail(&err);
}
