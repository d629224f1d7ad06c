/* cmd_member.c: `kiemdiem member add|set|list|show`, one person of the
 * roster at a time. add and set build one roster row from their options
 * and go through kd_roster_apply(), so they check exactly what `import
 * roster` checks, with the option names in the messages. */
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/run.h"
#include "store/lookup.h"
#include "store/roster.h"

static const char usage[] =
	"Cách dùng: kiemdiem member add MÃ --name HỌ_TÊN [TÙY CHỌN]... [--db FILE]\n"
	"           kiemdiem member set MÃ TÙY CHỌN... [--db FILE]\n"
	"           kiemdiem member list [--group TỔ] [--db FILE]\n"
	"           kiemdiem member show MÃ [--db FILE]\n\n"
	"add: thêm một đảng viên mã MÃ (vd dv07). set: sửa các trường được nêu, giữ\n"
	"nguyên các trường khác; giá trị \"\" xóa một trường. list: các đảng viên (mã,\n"
	"họ tên, tổ, chức vụ, chính thức hay dự bị) theo tên, tên đệm, họ, thứ tự tiếng\n"
	"Việt. show: mọi thông tin của một người.\n\n"
	"Tùy chọn (trong ngoặc: cột tương ứng của kiemdiem import roster):\n"
	"  --name HỌ_TÊN                  họ và tên (ho_ten)\n"
	"  --birth NGÀY                   ngày sinh, YYYY-MM-DD hoặc DD/MM/YYYY (ngay_sinh)\n"
	"  --admitted NGÀY                ngày vào Đảng (ngay_vao_dang)\n"
	"  --official NGÀY                ngày chính thức (ngay_chinh_thuc)\n"
	"  --card SỐ                      số thẻ đảng viên (so_the)\n"
	"  --group TỔ                     mã tổ đảng, vd to1 (to_dang)\n"
	"  --party-position CHỨC_VỤ       chức vụ Đảng (chuc_vu_dang)\n"
	"  --work-position CHỨC_VỤ        chức vụ chính quyền, đoàn thể (chuc_vu_chinh_quyen)\n"
	"  --civil-servant, --no-civil-servant\n"
	"                                 cán bộ, công chức, viên chức hay không (cong_chuc)\n"
	"  --upper-managed, --no-upper-managed\n"
	"                                 thuộc diện cấp trên quản lý hay không (cap_tren_quan_ly)\n"
	"  --committee VAI_TRÒ            bi_thu, pho_bi_thu, chi_uy_vien hoặc \"\" (chi_uy)\n"
	"  --group-leader, --no-group-leader\n"
	"                                 tổ trưởng của tổ mình hay không (to_truong)\n"
	"  --email ĐỊA_CHỈ                thư điện tử (email)\n";

/* How the columns are named in messages of add and set. */
static const char *const option_names[KD_RC_COUNT] = {
	[KD_RC_CODE] = "CODE",
	[KD_RC_NAME] = "--name",
	[KD_RC_BIRTH] = "--birth",
	[KD_RC_ADMITTED] = "--admitted",
	[KD_RC_OFFICIAL] = "--official",
	[KD_RC_CARD] = "--card",
	[KD_RC_GROUP] = "--group",
	[KD_RC_PARTY_POS] = "--party-position",
	[KD_RC_WORK_POS] = "--work-position",
	[KD_RC_CIVIL] = "--civil-servant",
	[KD_RC_UPPER] = "--upper-managed",
	[KD_RC_COMMITTEE] = "--committee",
	[KD_RC_LEADER] = "--group-leader",
	[KD_RC_EMAIL] = "--email",
};

static int finish(struct kd_db *db, struct kd_arena *arena, struct kd_err *err, int rc)
{
	if (db)
		kd_db_close(db);
	kd_arena_release(arena);
	return rc == KD_OK ? 0 : cli_fail(err);
}

static int change(const char *target, const char *cmd, enum kd_roster_mode mode, int argc, char **argv)
{
	struct kd_arena arena = KD_ARENA_INIT;
	struct kd_err err = KD_ERR_INIT;
	const char *text[KD_RC_COUNT] = { NULL };
	bool given[KD_RC_COUNT] = { false };
	/* The yes/no columns: --x sets 1, --no-x sets 0. */
	static const int flag_cols[] = { KD_RC_CIVIL, KD_RC_UPPER, KD_RC_LEADER };
	bool yes[3] = { false }, no[3] = { false };
	bool help = false;
	const char *pos[1];
	int npos = 0;
	const struct cli_opt opts[] = {
		{ "--name", CLI_TEXT, &text[KD_RC_NAME], &given[KD_RC_NAME], "the full name" },
		{ "--birth", CLI_TEXT, &text[KD_RC_BIRTH], &given[KD_RC_BIRTH], "a date YYYY-MM-DD or DD/MM/YYYY" },
		{ "--admitted", CLI_TEXT, &text[KD_RC_ADMITTED], &given[KD_RC_ADMITTED], "a date YYYY-MM-DD or DD/MM/YYYY" },
		{ "--official", CLI_TEXT, &text[KD_RC_OFFICIAL], &given[KD_RC_OFFICIAL], "a date YYYY-MM-DD or DD/MM/YYYY" },
		{ "--card", CLI_TEXT, &text[KD_RC_CARD], &given[KD_RC_CARD], "the party card number" },
		{ "--group", CLI_TEXT, &text[KD_RC_GROUP], &given[KD_RC_GROUP], "a party group code (to1)" },
		{ "--party-position", CLI_TEXT, &text[KD_RC_PARTY_POS], &given[KD_RC_PARTY_POS], "a position" },
		{ "--work-position", CLI_TEXT, &text[KD_RC_WORK_POS], &given[KD_RC_WORK_POS], "a position" },
		{ "--committee", CLI_TEXT, &text[KD_RC_COMMITTEE], &given[KD_RC_COMMITTEE],
		  "bi_thu, pho_bi_thu, chi_uy_vien or \"\"" },
		{ "--email", CLI_TEXT, &text[KD_RC_EMAIL], &given[KD_RC_EMAIL], "an e-mail address" },
		{ "--civil-servant", CLI_FLAG, &yes[0], NULL, NULL },
		{ "--no-civil-servant", CLI_FLAG, &no[0], NULL, NULL },
		{ "--upper-managed", CLI_FLAG, &yes[1], NULL, NULL },
		{ "--no-upper-managed", CLI_FLAG, &no[1], NULL, NULL },
		{ "--group-leader", CLI_FLAG, &yes[2], NULL, NULL },
		{ "--no-group-leader", CLI_FLAG, &no[2], NULL, NULL },
	};
	int rc = cli_parse(cmd, argc, argv, opts, KD_ARRAY_LEN(opts), pos, 1, &npos, &help, &arena, &err);
	if (rc == KD_OK && help) {
		fputs(usage, stdout);
		return finish(NULL, &arena, &err, KD_OK);
	}
	struct kd_roster_row row;
	memset(&row, 0, sizeof(row));
	bool any = false;
	for (int c = 0; c < KD_RC_COUNT; c++)
		if (given[c]) {
			row.field[c] = text[c];
			any = true;
		}
	for (size_t k = 0; k < KD_ARRAY_LEN(flag_cols); k++) {
		int c = flag_cols[k];
		if (yes[k] && no[k])
			rc = kd_err_add(&err, KD_EUSAGE, "%s: %s and --no-%s: both given; expected one of them", cmd,
					option_names[c], option_names[c] + 2);
		else if (yes[k] || no[k]) {
			row.field[c] = yes[k] ? "1" : "0";
			any = true;
		}
	}
	if (rc == KD_OK && npos != 1)
		rc = kd_err_add(&err, KD_EUSAGE, "%s: missing the member's code; expected kiemdiem %s CODE%s", cmd, cmd,
				mode == KD_ROSTER_ADD ? " --name NAME [OPTION]..." : " OPTION...");
	if (rc == KD_OK && mode == KD_ROSTER_UPDATE && !any)
		rc = kd_err_add(&err, KD_EUSAGE, "%s: nothing to change; expected at least one option (kiemdiem member --help)",
				cmd);
	if (rc != KD_OK)
		return finish(NULL, &arena, &err, rc);
	row.field[KD_RC_CODE] = pos[0];
	struct kd_db *db = cli_open_db(target, false, &rc);
	if (!db) {
		kd_arena_release(&arena);
		return rc;
	}
	struct strbuf action = STRBUF_INIT;
	strbuf_addf(&action, "%s %s", cmd, pos[0]);
	struct kd_roster_change ch = { cmd, option_names, mode, false, &row, 1 };
	struct kd_roster_counts counts;
	rc = kd_roster_apply(db, &ch, NULL, action.buf, &counts, &err);
	strbuf_release(&action);
	if (rc == KD_OK) {
		struct kd_person p;
		rc = kd_roster_get(db, pos[0], &arena, &p, &err);
		if (rc == KD_OK && counts.added)
			printf("Đã thêm đảng viên %s: %s\n", p.code, p.full_name);
		else if (rc == KD_OK && counts.updated)
			printf("Đã cập nhật đảng viên %s: %s\n", p.code, p.full_name);
		else if (rc == KD_OK)
			printf("Không có gì thay đổi: %s: %s\n", p.code, p.full_name);
	}
	return finish(db, &arena, &err, rc);
}

/* "chính thức", "dự bị" or "chưa rõ" on `today`. */
static const char *standing(const struct kd_person *p, struct kd_date today)
{
	if (p->official.y && kd_date_cmp(p->official, today) <= 0)
		return "chính thức";
	if (p->admitted.y || p->official.y)
		return "dự bị";
	return "chưa rõ";
}

/* The committee role and group leadership, in words, into `sb`. */
static const char *role_words(const struct kd_person *p, struct strbuf *sb)
{
	strbuf_reset(sb);
	const char *title = kd_roster_role_title(p->committee_role);
	if (title)
		strbuf_addstr(sb, title);
	if (p->group_leader)
		strbuf_addf(sb, "%sTổ trưởng", sb->len ? ", " : "");
	return sb->buf;
}

static int list(const char *target, int argc, char **argv)
{
	struct kd_arena arena = KD_ARENA_INIT;
	struct kd_err err = KD_ERR_INIT;
	const char *group = NULL;
	bool help = false;
	const char *pos[1];
	int npos = 0;
	const struct cli_opt opts[] = {
		{ "--group", CLI_TEXT, &group, NULL, "a party group code (to1)" },
	};
	int rc = cli_parse("member list", argc, argv, opts, KD_ARRAY_LEN(opts), pos, 0, &npos, &help, &arena, &err);
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
	long long gid;
	struct kd_person *v = NULL;
	size_t n = 0;
	if (group)
		rc = kd_lookup_group(db, group, &gid, &err);
	if (rc == KD_OK)
		rc = kd_roster_list(db, group, &arena, &v, &n, &err);
	if (rc != KD_OK)
		return finish(db, &arena, &err, rc);
	struct kd_date today = cli_today();
	struct strbuf role = STRBUF_INIT;
	int w[4] = { cli_width("Mã"), cli_width("Họ và tên"), cli_width("Tổ"), cli_width("Chức vụ") };
	for (size_t i = 0; i < n; i++) {
		int x[4] = { cli_width(v[i].code), cli_width(v[i].full_name), cli_width(v[i].group ? v[i].group : ""),
			     cli_width(role_words(&v[i], &role)) };
		for (int k = 0; k < 4; k++)
			if (x[k] > w[k])
				w[k] = x[k];
	}
	size_t official = 0;
	printf("%-*s  %-*s  %-*s  %-*s  %s\n", cli_pad("Mã", w[0]), "Mã", cli_pad("Họ và tên", w[1]), "Họ và tên",
	       cli_pad("Tổ", w[2]), "Tổ", cli_pad("Chức vụ", w[3]), "Chức vụ", "Đảng viên");
	for (size_t i = 0; i < n; i++) {
		const struct kd_person *p = &v[i];
		const char *g = p->group ? p->group : "";
		const char *r = role_words(p, &role);
		const char *s = standing(p, today);
		official += !strcmp(s, "chính thức");
		printf("%-*s  %-*s  %-*s  %-*s  %s\n", cli_pad(p->code, w[0]), p->code, cli_pad(p->full_name, w[1]),
		       p->full_name, cli_pad(g, w[2]), g, cli_pad(r, w[3]), r, s);
	}
	printf("Tổng số: %zu đảng viên, %zu chính thức, %zu dự bị hoặc chưa rõ.\n", n, official, n - official);
	strbuf_release(&role);
	return finish(db, &arena, &err, KD_OK);
}

static void show_line(const char *label, const char *value)
{
	printf("%-*s %s\n", cli_pad(label, 22), label, value ? value : "");
}

static const char *date_vn(struct kd_date d, char buf[static 11])
{
	return d.y ? kd_date_vn(d, buf) : "";
}

static int show(const char *target, int argc, char **argv)
{
	struct kd_arena arena = KD_ARENA_INIT;
	struct kd_err err = KD_ERR_INIT;
	bool help = false;
	const char *pos[1];
	int npos = 0;
	int rc = cli_parse("member show", argc, argv, NULL, 0, pos, 1, &npos, &help, &arena, &err);
	if (rc == KD_OK && !help && npos != 1)
		rc = kd_err_add(&err, KD_EUSAGE, "member show: missing the member's code; expected kiemdiem member show CODE");
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
	struct kd_person p;
	rc = kd_roster_get(db, pos[0], &arena, &p, &err);
	struct strbuf groups = STRBUF_INIT, gs = STRBUF_INIT;
	struct kd_stmt *st;
	if (rc == KD_OK)
		rc = kd_db_stmt(db, "SELECT g.code, g.name, g.id = $2,"
				" g.id IN (SELECT s.group_id FROM group_supervisor s WHERE s.person_id = $1)"
				" FROM org g WHERE g.kind = 'group' ORDER BY g.position, g.code", &st, &err);
	if (rc == KD_OK) {
		/* Their own group, and the groups they are in charge of. */
		kd_stmt_int(st, 1, p.id);
		kd_stmt_int(st, 2, p.group_id);
		while ((rc = kd_stmt_step(st, &err)) == 1) {
			if (kd_stmt_col_int(st, 2))
				strbuf_addf(&gs, "%s (%s)", kd_stmt_col_text(st, 0), kd_stmt_col_text(st, 1));
			if (kd_stmt_col_int(st, 3))
				strbuf_addf(&groups, "%s%s", groups.len ? ", " : "", kd_stmt_col_text(st, 0));
		}
		rc = rc < 0 ? rc : KD_OK;
	}
	if (rc != KD_OK) {
		strbuf_release(&groups);
		strbuf_release(&gs);
		return finish(db, &arena, &err, rc);
	}
	char b[11];
	show_line("Mã:", p.code);
	show_line("Họ và tên:", p.full_name);
	show_line("Họ:", p.family_name);
	show_line("Tên đệm:", p.middle_name);
	show_line("Tên:", p.given_name);
	show_line("Ngày sinh:", date_vn(p.birth, b));
	show_line("Ngày vào Đảng:", date_vn(p.admitted, b));
	show_line("Ngày chính thức:", date_vn(p.official, b));
	show_line("Đảng viên:", standing(&p, cli_today()));
	show_line("Số thẻ đảng viên:", p.card_no);
	show_line("Tổ đảng:", gs.buf);
	show_line("Chức vụ Đảng:", p.party_position);
	show_line("Chức vụ chính quyền:", p.work_position);
	show_line("Cán bộ, công chức:", p.civil_servant ? "có" : "không");
	show_line("Cấp trên quản lý:", p.upper_managed ? "có" : "không");
	show_line("Cấp ủy:", kd_roster_role_title(p.committee_role));
	show_line("Tổ trưởng:", p.group_leader ? "có" : "không");
	show_line("Phụ trách tổ:", groups.buf);
	show_line("Email:", p.email);
	if (!p.active)
		show_line("Tình trạng:", "không còn sinh hoạt tại chi bộ");
	strbuf_release(&gs);
	strbuf_release(&groups);
	return finish(db, &arena, &err, KD_OK);
}

static int member_add(const char *t, int c, char **v) { return change(t, "member add", KD_ROSTER_ADD, c, v); }
static int member_set(const char *t, int c, char **v) { return change(t, "member set", KD_ROSTER_UPDATE, c, v); }

int cmd_member(int argc, char **argv)
{
	static const struct cli_sub subs[] = {
		{ "add", member_add }, { "set", member_set }, { "list", list }, { "show", show },
	};
	return cli_dispatch("member", argc, argv, subs, KD_ARRAY_LEN(subs), usage);
}
