/* cmd_check.c: `kiemdiem check`, `kiemdiem status` and `kiemdiem export json`. */
#include "cli/args.h"
#include "cli/cli.h"
#include "store/check.h"
#include "store/export.h"
#include "store/lookup.h"

/* The campaign named by --year (default: the latest) of the database. */
static struct kd_db *open_campaign(const char *cmd, int argc, char **argv, long long *campaign,
				   bool *json, struct kd_arena *arena, int *code)
{
	const char *target = cli_db_option(&argc, argv);
	struct kd_err err = KD_ERR_INIT;
	long long year = 0;
	bool help;
	int n_pos;
	struct cli_opt opts[] = {
		{ "--year", CLI_INT, &year, NULL, "a year such as 2021" },
		{ "--json", CLI_FLAG, json, NULL, NULL },
	};
	if (cli_parse(cmd, argc, argv, opts, json ? 2 : 1, NULL, 0, &n_pos, &help, arena, &err)) {
		*code = cli_fail(&err);
		return NULL;
	}
	if (help) {
		printf("Cách dùng: kiemdiem %s [--db FILE] [--year NĂM]%s\n", cmd, json ? " [--json]" : "");
		*code = 0;
		return NULL;
	}
	struct kd_db *db = cli_open_db(target, false, code);
	if (db && kd_lookup_campaign(db, year, campaign, &err) != KD_OK) {
		kd_db_close(db);
		*code = cli_fail(&err);
		return NULL;
	}
	return db;
}

int cmd_check(int argc, char **argv)
{
	struct kd_arena arena = KD_ARENA_INIT;
	struct kd_err err = KD_ERR_INIT;
	struct kd_findings f = { NULL, 0, 0 };
	long long campaign;
	int code = 0;
	struct kd_db *db = open_campaign("check", argc, argv, &campaign, NULL, &arena, &code);
	if (!db) {
		kd_arena_release(&arena);
		return code;
	}
	int rc = kd_check_campaign(db, campaign, &arena, &f, &err);
	kd_db_close(db);
	if (rc != KD_OK) {
		kd_arena_release(&arena);
		return cli_fail(&err);
	}
	for (size_t i = 0; i < f.n; i++) {
		printf("[%s] %s: %s\n", f.items[i].clause, f.items[i].subject, f.items[i].message);
		if (f.items[i].fix)
			printf("    → %s\n", f.items[i].fix);
	}
	printf(f.n ? "\n%zu việc cần xử lý trước bước tiếp theo.\n" : "Không có việc nào cản trở bước tiếp theo.\n", f.n);
	kd_arena_release(&arena);
	return f.n ? 1 : 0;
}

static void flush_stdout(struct strbuf *text, void *ctx)
{
	(void)ctx;
	fwrite(text->buf, 1, text->len, stdout);
	strbuf_reset(text);
}

/* `kiemdiem export json`: argv[0] is "json". */
int cli_export_json(int argc, char **argv)
{
	struct kd_arena arena = KD_ARENA_INIT;
	struct kd_err err = KD_ERR_INIT;
	long long campaign;
	int code = 0;
	struct kd_db *db = open_campaign("export json", argc, argv, &campaign, NULL, &arena, &code);
	kd_arena_release(&arena);
	if (!db)
		return code;
	struct strbuf out = STRBUF_INIT;
	struct kd_jsonw w;
	kd_jsonw_init(&w, &out);
	int rc = kd_export_campaign(db, campaign, &w, flush_stdout, NULL, &err);
	kd_db_close(db);
	if (rc == KD_OK)
		flush_stdout(&out, NULL);
	strbuf_release(&out);
	if (rc == KD_OK && fflush(stdout) != 0)
		rc = kd_err_add(&err, KD_EIO, "(standard output): cannot write; expected a writable output");
	return rc == KD_OK ? 0 : cli_fail(&err);
}
