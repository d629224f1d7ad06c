/* cmd_group.c: `kiemdiem group add|list|supervise`, the cell's party groups
 * (tổ đảng), their leader and the committee member in charge of each
 * (plan VI.1). The work is store/roster.c's. */
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/run.h"
#include "store/roster.h"

static const char usage[] =
	"Cách dùng: kiemdiem group add MÃ --name TÊN [--db FILE]\n"
	"           kiemdiem group list [--db FILE]\n"
	"           kiemdiem group supervise TỔ ĐẢNG_VIÊN [--db FILE]\n\n"
	"add: thêm tổ đảng MÃ (vd to1) tên TÊN (vd \"Tổ đảng 1\").\n"
	"list: các tổ đảng, số đảng viên, tổ trưởng và cấp ủy viên phụ trách.\n"
	"supervise: phân công cấp ủy viên ĐẢNG_VIÊN (mã, vd dv01) phụ trách tổ TỔ,\n"
	"thay người phụ trách trước (mỗi tổ một cấp ủy viên phụ trách).\n";

static int finish(struct kd_db *db, struct kd_arena *arena, struct kd_err *err, int rc)
{
	if (db)
		kd_db_close(db);
	kd_arena_release(arena);
	return rc == KD_OK ? 0 : cli_fail(err);
}

static int add(const char *target, int argc, char **argv)
{
	struct kd_arena arena = KD_ARENA_INIT;
	struct kd_err err = KD_ERR_INIT;
	const char *name = NULL;
	bool help = false;
	const char *pos[1];
	int npos = 0;
	const struct cli_opt opts[] = {
		{ "--name", CLI_TEXT, &name, NULL, "the group's name (Tổ đảng 1)" },
	};
	int rc = cli_parse("group add", argc, argv, opts, KD_ARRAY_LEN(opts), pos, 1, &npos, &help, &arena, &err);
	if (rc == KD_OK && help) {
		fputs(usage, stdout);
		return finish(NULL, &arena, &err, KD_OK);
	}
	if (rc == KD_OK && npos != 1)
		rc = kd_err_add(&err, KD_EUSAGE, "group add: missing the group's code; expected kiemdiem group add CODE --name NAME");
	if (rc == KD_OK && !name)
		rc = kd_err_add(&err, KD_EUSAGE, "group add: --name: missing; expected the group's name (Tổ đảng 1)");
	if (rc != KD_OK)
		return finish(NULL, &arena, &err, rc);
	struct kd_db *db = cli_open_db(target, false, &rc);
	if (!db) {
		kd_arena_release(&arena);
		return rc;
	}
	rc = kd_group_add(db, pos[0], name, NULL, &err);
	if (rc == KD_OK)
		printf("Đã thêm tổ đảng %s: %s\n", pos[0], name);
	return finish(db, &arena, &err, rc);
}

static int list(const char *target, int argc, char **argv)
{
	struct kd_arena arena = KD_ARENA_INIT;
	struct kd_err err = KD_ERR_INIT;
	bool help = false;
	const char *pos[1];
	int npos = 0;
	int rc = cli_parse("group list", argc, argv, NULL, 0, pos, 0, &npos, &help, &arena, &err);
	if (rc != KD_OK || help) {
		if (help)
			fputs(usage, stdout);
		return finish(NULL, &arena, &err, rc);
	}
	struct kd_db *db = cli_open_db(target, false, &rc);
	if (!db) {
		kd_arena_release(&arena);
		return rc;
	}
	struct kd_group *g;
	size_t n;
	rc = kd_group_list(db, &arena, &g, &n, &err);
	if (rc != KD_OK)
		return finish(db, &arena, &err, rc);
	static const char *const head[] = { "Mã", "Tên", "Số đảng viên", "Tổ trưởng", "Cấp ủy phụ trách" };
	const char **cells = kd_arena_calloc(&arena, (n + 1) * 5, sizeof(*cells));
	int w[5] = { 0 };
	for (size_t i = 0; i <= n; i++) {
		const char **row = &cells[i * 5];
		if (i == 0) {
			for (int k = 0; k < 5; k++)
				row[k] = head[k];
		} else {
			const struct kd_group *x = &g[i - 1];
			struct strbuf sb = STRBUF_INIT;
			row[0] = x->code;
			row[1] = x->name;
			strbuf_addf(&sb, "%lld", x->members);
			row[2] = kd_arena_strdup(&arena, sb.buf);
			strbuf_reset(&sb);
			if (x->leader_code)
				strbuf_addf(&sb, "%s (%s)", x->leader_name, x->leader_code);
			row[3] = kd_arena_strdup(&arena, sb.buf);
			row[4] = x->supervisors ? x->supervisors : "";
			strbuf_release(&sb);
		}
		for (int k = 0; k < 5; k++)
			if (cli_width(row[k]) > w[k])
				w[k] = cli_width(row[k]);
	}
	for (size_t i = 0; i <= n; i++) {
		const char **row = &cells[i * 5];
		printf("%-*s  %-*s  %-*s  %-*s  %s\n", cli_pad(row[0], w[0]), row[0], cli_pad(row[1], w[1]), row[1],
		       cli_pad(row[2], w[2]), row[2], cli_pad(row[3], w[3]), row[3], row[4]);
	}
	if (!n)
		printf("(Chưa có tổ đảng nào: kiemdiem group add MÃ --name TÊN)\n");
	return finish(db, &arena, &err, KD_OK);
}

static int supervise(const char *target, int argc, char **argv)
{
	struct kd_arena arena = KD_ARENA_INIT;
	struct kd_err err = KD_ERR_INIT;
	bool help = false;
	const char *pos[2];
	int npos = 0;
	int rc = cli_parse("group supervise", argc, argv, NULL, 0, pos, 2, &npos, &help, &arena, &err);
	if (rc == KD_OK && help) {
		fputs(usage, stdout);
		return finish(NULL, &arena, &err, KD_OK);
	}
	if (rc == KD_OK && npos != 2)
		rc = kd_err_add(&err, KD_EUSAGE, "group supervise: %s; expected kiemdiem group supervise GROUP PERSON",
				npos ? "missing the person's code" : "missing the group's and the person's codes");
	if (rc != KD_OK)
		return finish(NULL, &arena, &err, rc);
	struct kd_db *db = cli_open_db(target, false, &rc);
	if (!db) {
		kd_arena_release(&arena);
		return rc;
	}
	const char *replaced = NULL;
	rc = kd_group_supervise(db, pos[0], pos[1], NULL, &arena, &replaced, &err);
	struct kd_person p;
	if (rc == KD_OK)
		rc = kd_roster_get(db, pos[1], &arena, &p, &err);
	if (rc == KD_OK) {
		printf("Đồng chí %s (%s) phụ trách tổ %s", p.full_name, p.code, pos[0]);
		if (replaced)
			printf(", thay đồng chí %s", replaced);
		printf(".\n");
	}
	return finish(db, &arena, &err, rc);
}

int cmd_group(int argc, char **argv)
{
	static const struct cli_sub subs[] = { { "add", add }, { "list", list }, { "supervise", supervise } };
	return cli_dispatch("group", argc, argv, subs, KD_ARRAY_LEN(subs), usage);
}
