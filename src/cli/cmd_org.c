/* cmd_org.c: `kiemdiem org add|list`, the organization tree above the cells
 * (upper levels, grassroots committees, cells). The work is
 * store/orgtree.c's. */
#include "cli/run.h"
#include "store/orgtree.h"

static const char usage[] =
	"Cách dùng: kiemdiem org add MÃ --name TÊN --kind upper|committee|cell [--parent MÃ] [--db FILE]\n"
	"           kiemdiem org list [--under MÃ] [--db FILE]\n\n"
	"add: thêm một tổ chức đảng vào cây tổ chức: cấp trên (upper: Trung ương, tỉnh, thành ủy,\n"
	"quận, huyện ủy), đảng bộ cơ sở (committee) hoặc chi bộ (cell), trực thuộc tổ chức MÃ.\n"
	"list: cây tổ chức (toàn bộ, hoặc từ tổ chức MÃ trở xuống), với số chi bộ và số đảng viên.\n";

static const char *kind_vn(const char *kind)
{
	return !strcmp(kind, "upper") ? "cấp trên" : !strcmp(kind, "committee") ? "đảng bộ cơ sở"
	       : !strcmp(kind, "cell") ? "chi bộ" : kind;
}

static int add(const char *target, int argc, char **argv)
{
	struct run r = { .cmd = "org add", .usage = usage };
	const char *name = NULL, *kind = NULL, *parent = NULL, *pos[1];
	int n_pos, code;
	const struct cli_opt opts[] = {
		{ "--name", CLI_TEXT, &name, NULL, "the organization's name" },
		{ "--kind", CLI_TEXT, &kind, NULL, "upper, committee or cell" },
		{ "--parent", CLI_TEXT, &parent, NULL, "the code of the organization above" },
	};
	if (!run_parse(&r, argc, argv, opts, KD_ARRAY_LEN(opts), pos, 1, &n_pos, NULL, &code))
		return code;
	if (n_pos != 1)
		return run_usage(&r, "missing the code; expected kiemdiem org add CODE --name NAME --kind KIND");
	if (!name)
		return run_usage(&r, "--name: missing; expected the organization's name");
	if (!kind)
		return run_usage(&r, "--kind: missing; expected upper, committee or cell");
	if ((code = run_open(&r, target, -1)))
		return run_close(&r, code);
	struct kd_tx tx;
	struct strbuf action = STRBUF_INIT;
	strbuf_addf(&action, "org add %s", pos[0]);
	int rc = run_begin(&r, &tx, &action);
	if (rc == KD_OK)
		rc = kd_tx_finish(&tx, kd_org_add(&tx, parent, kind, pos[0], name, NULL));
	if (rc == KD_OK)
		printf("Đã thêm %s %s: %s%s%s\n", kind_vn(kind), pos[0], name, parent ? ", trực thuộc " : "",
		       parent ? parent : "");
	return run_finish(&r, rc);
}

static int list(const char *target, int argc, char **argv)
{
	struct run r = { .cmd = "org list", .usage = usage };
	const char *under = NULL;
	int n_pos, code;
	const struct cli_opt opts[] = {
		{ "--under", CLI_TEXT, &under, NULL, "an organization's code" },
	};
	if (!run_parse(&r, argc, argv, opts, KD_ARRAY_LEN(opts), NULL, 0, &n_pos, NULL, &code))
		return code;
	if ((code = run_open(&r, target, -1)))
		return run_close(&r, code);
	struct kd_org_node *o;
	size_t n;
	int rc = kd_org_subtree(r.db, under, &r.arena, &o, &n, &r.err);
	if (rc == KD_OK && n == 0)
		printf("Chưa có tổ chức nào (kiemdiem org add, kiemdiem init).\n");
	for (size_t i = 0; rc == KD_OK && i < n; i++) {
		printf("%*s%s  %s — %s", o[i].depth * 2, "", o[i].code, o[i].name, kind_vn(o[i].kind));
		if (strcmp(o[i].kind, "cell"))
			printf("; %lld chi bộ", o[i].cells);
		printf("; %lld đảng viên\n", o[i].members);
	}
	return run_finish(&r, rc);
}

int cmd_org(int argc, char **argv)
{
	static const struct cli_sub subs[] = { { "add", add }, { "list", list } };
	return cli_dispatch("org", argc, argv, subs, KD_ARRAY_LEN(subs), usage);
}
