/* cmd_massorg.c: `kiemdiem massorg add|list`, the mass organisations the
 * cell leads (Công đoàn, Đoàn Thanh niên...), whose ratings count in the
 * cell's own (criterion xep_loai_doan_the). */
#include "cli/args.h"
#include "cli/cli.h"
#include "store/roster.h"

static const char usage[] =
	"Cách dùng: kiemdiem massorg add TÊN [--db FILE]\n"
	"           kiemdiem massorg list [--db FILE]\n\n"
	"add: thêm một tổ chức đoàn thể do chi bộ lãnh đạo (vd \"Công đoàn\",\n"
	"\"Đoàn Thanh niên\"); list: các đoàn thể theo thứ tự tiếng Việt.\n";

int cmd_massorg(int argc, char **argv)
{
	const char *target = cli_db_option(&argc, argv);
	struct kd_arena arena = KD_ARENA_INIT;
	struct kd_err err = KD_ERR_INIT;
	if (argc >= 2 && cli_is_help(argv[1])) {
		fputs(usage, stdout);
		return 0;
	}
	const char *sub = argc >= 2 ? argv[1] : "";
	bool is_add = !strcmp(sub, "add");
	if (!is_add && strcmp(sub, "list")) {
		if (*sub)
			kd_err_add(&err, KD_EUSAGE, "massorg: \"%s\" is not a subcommand; expected add or list", sub);
		else
			kd_err_add(&err, KD_EUSAGE, "massorg: missing subcommand; expected add or list");
		return cli_fail(&err);
	}
	bool help = false;
	const char *pos[1];
	int npos = 0;
	int rc = cli_parse(is_add ? "massorg add" : "massorg list", argc - 1, argv + 1, NULL, 0, pos, is_add, &npos,
			   &help, &arena, &err);
	if (rc == KD_OK && help) {
		fputs(usage, stdout);
		kd_arena_release(&arena);
		return 0;
	}
	if (rc == KD_OK && is_add && npos != 1)
		rc = kd_err_add(&err, KD_EUSAGE, "massorg add: missing the name; expected kiemdiem massorg add NAME");
	struct kd_db *db = NULL;
	if (rc == KD_OK && !(db = cli_open_db(target, false, &rc))) {
		kd_arena_release(&arena);
		return rc;
	}
	if (rc == KD_OK && is_add) {
		rc = kd_massorg_add(db, pos[0], NULL, &err);
		if (rc == KD_OK)
			printf("Đã thêm đoàn thể: %s\n", pos[0]);
	} else if (rc == KD_OK) {
		struct kd_mass_org *v;
		size_t n;
		rc = kd_massorg_list(db, &arena, &v, &n, &err);
		for (size_t i = 0; rc == KD_OK && i < n; i++)
			printf("%s\n", v[i].name);
		if (rc == KD_OK && !n)
			printf("(Chưa có đoàn thể nào: kiemdiem massorg add TÊN)\n");
	}
	if (db)
		kd_db_close(db);
	kd_arena_release(&arena);
	return rc == KD_OK ? 0 : cli_fail(&err);
}
