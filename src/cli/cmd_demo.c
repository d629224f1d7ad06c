/* cmd_demo.c: `kiemdiem demo` (re)creates the plan's cell in a database. */
#include "cli/cli.h"
#include "store/demo.h"

#include <errno.h>
#include <unistd.h>

int cmd_demo(int argc, char **argv)
{
	const char *target = cli_db_option(&argc, argv);
	struct kd_err err = KD_ERR_INIT;
	if (argc == 2 && cli_is_help(argv[1])) {
		puts("Cách dùng: kiemdiem demo [--db FILE]\n\n"
		     "Tạo (hoặc tạo lại) tệp FILE với chi bộ của kế hoạch mẫu: Chi bộ trường THPT\n"
		     "Nguyễn Thị Minh Khai, 4 tổ đảng, 33 đảng viên, đợt kiểm điểm năm 2021 đầy đủ.");
		return 0;
	}
	if (argc != 1) {
		kd_err_add(&err, KD_EUSAGE, "demo: %s: unexpected argument; expected only --db FILE", argv[1]);
		return cli_fail(&err);
	}
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < KD_ARRAY_LEN(suffixes); i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s%s", target, suffixes[i]);
		if (unlink(path) != 0 && errno != ENOENT) {
			kd_err_add(&err, KD_EIO, "%s: cannot remove: %s; expected a writable file", path, strerror(errno));
			return cli_fail(&err);
		}
	}
	int code = 0;
	struct kd_db *db = cli_open_db(target, true, &code);
	if (!db)
		return code;
	int rc = kd_demo_create(db, &err);
	kd_db_close(db);
	if (rc != KD_OK)
		return cli_fail(&err);
	printf("Đã tạo %s: Chi bộ trường THPT Nguyễn Thị Minh Khai, 4 tổ đảng, 33 đảng viên, đợt kiểm điểm năm 2021.\n", target);
	return 0;
}
