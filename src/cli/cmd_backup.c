/* cmd_backup.c: `kiemdiem backup FILE`, SQLite's online backup. */
#include "cli/cli.h"
#include "store/db.h"

#include <unistd.h>

int cmd_backup(int argc, char **argv)
{
	const char *target = cli_db_option(&argc, argv);
	struct kd_err err = KD_ERR_INIT;
	if (argc == 2 && cli_is_help(argv[1])) {
		puts("Cách dùng: kiemdiem backup [--db FILE] ĐÍCH\n\nSao lưu trực tuyến cơ sở dữ liệu sang tệp ĐÍCH (chưa tồn tại).");
		return 0;
	}
	if (argc != 2) {
		kd_err_add(&err, KD_EUSAGE, "backup: expected one destination file");
		return cli_fail(&err);
	}
	if (access(argv[1], F_OK) == 0) {
		kd_err_add(&err, KD_EUSAGE, "%s: already exists; expected a new file name", argv[1]);
		return cli_fail(&err);
	}
	int code = 0;
	struct kd_db *db = cli_open_db(target, false, &code);
	if (!db)
		return code;
	int rc = kd_db_backup(db, argv[1], &err);
	kd_db_close(db);
	if (rc != KD_OK)
		return cli_fail(&err);
	printf("Đã sao lưu %s sang %s\n", target, argv[1]);
	return 0;
}
