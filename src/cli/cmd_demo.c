/* cmd_demo.c: `kiemdiem demo` (re)creates the plan's cell in a database. */
#include "cli/cli.h"
#include "store/demo.h"


/* Logins in code order, the upper-level viewer last. */
static int login_order(const void *a, const void *b)
{
	const struct kd_demo_login *x = a, *y = b;
	bool xu = !strcmp(x->login, KD_DEMO_UPPER_LOGIN), yu = !strcmp(y->login, KD_DEMO_UPPER_LOGIN);
	return xu != yu ? xu - yu : strcmp(x->login, y->login);
}

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
	if (kd_db_wipe(target, &err) != KD_OK)
		return cli_fail(&err);
	int code = 0;
	struct kd_db *db = cli_open_db(target, true, &code);
	if (!db)
		return code;
	struct kd_arena arena = KD_ARENA_INIT;
	struct kd_demo_login *logins = NULL;
	size_t n = 0;
	int rc = kd_demo_create(db, &err);
	if (rc == KD_OK)
		rc = kd_demo_logins(db, &arena, &logins, &n, &err);
	kd_db_close(db);
	if (rc != KD_OK) {
		kd_arena_release(&arena);
		return cli_fail(&err);
	}
	printf("Đã tạo %s: Chi bộ trường THPT Nguyễn Thị Minh Khai, 4 tổ đảng, 33 đảng viên, đợt kiểm điểm năm 2021.\n", target);
	/* Everyone with a role beyond member, then one member as the pattern
	 * the others follow: the logins a demo of the web interface needs. */
	printf("\nTài khoản đăng nhập giao diện web (kiemdiem serve):\n");
	qsort(logins, n, sizeof(*logins), login_order);
	bool member_shown = false;
	for (size_t i = 0; i < n; i++) {
		bool plain = !strcmp(logins[i].roles, "Đảng viên");
		if (plain && member_shown)
			continue;
		member_shown |= plain;
		printf("  %-8s mật khẩu ", logins[i].login);
		cli_print_cell(logins[i].password, 14);
		printf("  %s%s%s\n", logins[i].roles, logins[i].name ? " — " : "", logins[i].name ? logins[i].name : "");
	}
	printf("  (mỗi đảng viên: mã đảng viên và mật khẩu \"%s\" + mã, ví dụ dv07 / %sdv07)\n",
	       KD_DEMO_PASSWORD_PREFIX, KD_DEMO_PASSWORD_PREFIX);
	kd_arena_release(&arena);
	return 0;
}
