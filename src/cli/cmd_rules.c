/* cmd_rules.c: `kiemdiem rules list` and `kiemdiem rules show ID`. */
#include "cli/cli.h"
#include "json/embedded.h"
#include "json/rulesets.h"

static const char usage[] =
	"Cách dùng: kiemdiem rules list\n"
	"           kiemdiem rules show ID\n\n"
	"list: các bộ quy tắc có sẵn; show: các tiêu chí và điều khoản của bộ ID.\n";

static const char *const subject_titles[KD_SUBJECT_COUNT] = {
	"ĐẢNG VIÊN", "CÁN BỘ LÃNH ĐẠO, QUẢN LÝ", "TẬP THỂ CHI BỘ" };

static void show_subject(const struct kd_subject_rules *sr, enum kd_subject s)
{
	printf("\n%s\n", subject_titles[s]);
	if (sr->n_criteria) {
		printf("  Tiêu chí:\n");
		for (int i = 0; i < sr->n_criteria; i++)
			printf("    %-20s %s (%s)\n", sr->criteria[i].id, sr->criteria[i].text,
			       sr->criteria[i].primary ? "tiêu chí về kết quả thực hiện nhiệm vụ" : "tiêu chí còn lại");
	}
	const char *heading = NULL;
	for (int i = 0; i < sr->n_clauses; i++) {
		const struct kd_clause *c = &sr->clauses[i];
		const char *h = c->role == KD_ROLE_NOT_RATED ? "Không xếp loại khi"
			: c->role == KD_ROLE_TRIGGER ? "Xếp loại Không hoàn thành nhiệm vụ khi"
			: kd_rating_name(c->rating);
		if (h != heading) {
			printf("  %s%s:\n", h, c->role == KD_ROLE_RATING ? " (cần thêm)" : "");
			heading = h;
		}
		printf("    %-6s %s\n", c->id, c->text);
	}
}

static int show(const char *id)
{
	struct kd_arena arena = KD_ARENA_INIT;
	struct kd_err err = KD_ERR_INIT;
	const struct kd_ruleset *rs;
	if (kd_ruleset_builtin(id, &arena, &err, &rs) != KD_OK) {
		kd_arena_release(&arena);
		return cli_fail(&err);
	}
	printf("Bộ quy tắc %s\n%s\n", rs->id, rs->title);
	if (rs->source)
		printf("Căn cứ: %s\n", rs->source);
	for (int s = 0; s < KD_SUBJECT_COUNT; s++)
		if (rs->subj[s].present)
			show_subject(&rs->subj[s], (enum kd_subject)s);
	printf("\nBIỂU QUYẾT, TỶ LỆ VÀ RÀNG BUỘC\n");
	for (int k = 0; k < KD_FIX_COUNT; k++)
		printf("    %-6s %s\n", rs->fixed[k].id, rs->fixed[k].text);
	kd_arena_release(&arena);
	return 0;
}

static int list(void)
{
	for (const struct kd_embedded *e = kd_embedded_rulesets; e->name; e++) {
		struct kd_arena arena = KD_ARENA_INIT;
		struct kd_err err = KD_ERR_INIT;
		const struct kd_ruleset *rs;
		if (kd_ruleset_parse(e->data, e->size, e->name, &arena, &err, &rs) == KD_OK)
			printf("%-12s %s%s\n", rs->id, rs->title,
			       strcmp(rs->id, KD_DEFAULT_RULESET) ? "" : " (mặc định)");
		else
			kd_err_print(&err, stderr);
		kd_err_release(&err);
		kd_arena_release(&arena);
	}
	return 0;
}

int cmd_rules(int argc, char **argv)
{
	if (argc >= 2 && cli_is_help(argv[1])) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "list"))
		return list();
	if (argc == 3 && !strcmp(argv[1], "show"))
		return show(argv[2]);
	fputs(usage, stderr);
	return 2;
}
