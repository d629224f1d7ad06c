/* cmd_roster.c: `kiemdiem import roster CSV`, the cell's people from a CSV
 * file, all rows or none (cli.md; the format is docs/roster.md). The work is
 * store/roster.c's; this file streams the file to it and reports. */
#include "cli/args.h"
#include "cli/cli.h"
#include "store/roster.h"

#include <errno.h>

/* The file is read and checked this much at a time: one import may hold
 * a whole party's roster (5.6 million people, about 800 MB: issue 6), and
 * memory stays flat whatever its size. */
#define READ_CHUNK (1u << 16)

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
	bool is_stdin = !strcmp(path, "-");
	const char *source = is_stdin ? "(standard input)" : path;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	if (!f) {
		kd_err_add(&err, KD_EUSAGE, "%s: cannot open: %s; expected a readable file", path, strerror(errno));
		return fail(&arena, &err);
	}
	int rc = KD_OK, code = 0;
	struct kd_db *db = cli_open_db(target, false, &code);
	if (!db) {
		if (!is_stdin)
			fclose(f);
		kd_arena_release(&arena);
		return code;
	}
	struct kd_roster_counts counts = { 0, 0, 0 };
	struct strbuf action = STRBUF_INIT;
	const char *base = strrchr(source, '/');
	strbuf_addf(&action, "import roster %s", base ? base + 1 : source);
	/* With problems in the file's shape the rows that could be read are
	 * still checked (and not written), so one run reports everything. */
	struct kd_roster_change ch = { source, NULL, KD_ROSTER_UPSERT, dry_run, NULL, 0 };
	struct kd_roster_import *im;
	rc = kd_roster_import_begin(db, &ch, NULL, action.buf, &im, &err);
	int parsed = KD_OK;
	bool read_failed = false;
	if (rc == KD_OK) {
		struct kd_roster_csv *csv = kd_roster_csv_new(source, im, &err);
		char *chunk = kd_xmalloc(READ_CHUNK);
		size_t n;
		while (rc == KD_OK && (n = fread(chunk, 1, READ_CHUNK, f)) > 0)
			rc = kd_roster_csv_feed(csv, chunk, n);
		read_failed = ferror(f);
		free(chunk);
		if (read_failed)
			kd_err_add(&err, KD_EUSAGE, "%s: cannot read; expected a readable file", source);
		parsed = kd_roster_csv_end(csv);
		if (rc == KD_OK && parsed != KD_OK && parsed != KD_EINPUT)
			rc = parsed;
	}
	if (!is_stdin)
		fclose(f);
	int end = kd_roster_import_end(im, parsed == KD_OK && !read_failed, &counts);
	if (rc == KD_OK)
		rc = end;
	kd_db_close(db);
	strbuf_release(&action);
	if (rc != KD_OK)
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
