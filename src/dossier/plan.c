/*
** plan.c: the plan (Kế hoạch) of the campaign, in the structure and
** wording of the cell's plan 19-KH/CBMK (shared/seed), built from what the
** campaign stores: its number, title and place; the rule set's criteria and
** the statements of its clauses (sections III and IV); the mass
** organizations asked for comments and the meetings' length (V); the
** party groups with their leaders, members and supervising committee
** members (VI.1) and the milestones (VI.2). Next year's plan is this year's
** campaign with its data changed, not a document edited by hand.
**
** What the store does not hold (the upper level's plan and guide the plan
** is "căn cứ", the local programme of action) is written generically.
*/
#include "dossier/dossier.h"
#include "core/engine.h"
#include "store/db.h"
#include "store/meeting.h"

/* ------------------------------------------------------------ text blocks */

/* Headings: "I. MỤC ĐÍCH, YÊU CẦU" bold; "1. ..." bold; "1.1. ..." bold
 * italic, each kept with what follows it. */
static void heading(struct kd_doc *d, int level, const char *text)
{
	struct kd_doc_para *p = kd_doc_body(d, level == 3 ? KD_RUN_BOLD | KD_RUN_ITALIC : KD_RUN_BOLD, text);
	p->before = level == 1 ? 8 : 4;
	p->keep_with_next = true;
}

static void bullet(struct kd_doc *d, const char *mark, const char *text)
{
	struct kd_doc_para *p = kd_doc_body(d, 0, NULL);
	kd_para_textf(d, p, 0, "%s %s", mark, text);
}

static void bullets(struct kd_doc *d, const char *const *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		bullet(d, "-", items[i]);
}

/* The statements of the clauses of `sr` with `role` (and, for rating
 * clauses, `rating`), one bullet each, ending in "." or ";". */
static size_t clause_bullets(struct kd_doc *d, const struct kd_subject_rules *sr, enum kd_role role, int rating)
{
	size_t n = 0;
	for (int i = 0; i < sr->n_clauses; i++) {
		const struct kd_clause *cl = &sr->clauses[i];
		if (cl->role != role || (role == KD_ROLE_RATING && cl->rating != rating))
			continue;
		struct strbuf s = STRBUF_INIT;
		strbuf_addf(&s, "%s.", cl->text);
		bullet(d, "-", s.buf);
		strbuf_release(&s);
		n++;
	}
	return n;
}

/* The standards of the four ratings of a subject: the clauses each rating
 * needs (the rule set lists what a rating adds to the one below), and for
 * KHTNV the cases that decide it whatever else holds. */
static void standards(struct kd_doc *d, const struct kd_ruleset *rs, enum kd_subject subj, const char *prefix,
		      bool lettered, const char *who)
{
	const struct kd_subject_rules *sr = &rs->subj[subj];
	static const char letters[] = "abcd";
	int k = 0;
	/* The rule set lists for each rating only what it adds to the rating
	 * below (the engine's ceilings are cumulative); say so once. */
	kd_doc_body(d, KD_RUN_ITALIC, "Mỗi mức xếp loại phải đạt các tiêu chuẩn của mức liền dưới (trừ mức “Không hoàn thành"
			       " nhiệm vụ”) và các tiêu chuẩn nêu tại mức đó.");
	for (int r = KD_HTXSNV; r >= KD_KHTNV; r--, k++) {
		struct strbuf h = STRBUF_INIT;
		if (lettered)
			strbuf_addf(&h, "%c) %s", letters[k], kd_rating_name(r));
		else
			strbuf_addf(&h, "%s.%d. %s", prefix, k + 1, kd_rating_name(r));
		heading(d, 3, h.buf);
		strbuf_release(&h);
		if (r == KD_KHTNV) {
			struct strbuf s = STRBUF_INIT;
			strbuf_addf(&s, "%s không đạt mức “%s” hoặc thuộc một trong các trường hợp sau:", who,
				    kd_rating_name(KD_HTNV));
			kd_doc_body(d, 0, s.buf);
			strbuf_release(&s);
			clause_bullets(d, sr, KD_ROLE_TRIGGER, 0);
			continue;
		}
		clause_bullets(d, sr, KD_ROLE_RATING, r);
		if (subj == KD_MEMBER && r == rs->quota_rating) {
			struct strbuf s = STRBUF_INIT;
			strbuf_addf(&s, "%s.", rs->fixed[KD_FIX_Q1].text);
			bullet(d, "-", s.buf);
			strbuf_release(&s);
		}
	}
}

/* ------------------------------------------------------------ stored data */

struct group_row {
	long long id;
	const char *name;
	const char **members;       /* "Nguyễn Văn A (Tổ trưởng)" first */
	size_t n_members, cap;
};

static int groups_get(struct kd_dossier_ctx *x, struct group_row **out, size_t *n)
{
	struct kd_stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc = kd_db_stmt(x->db, "SELECT id, name FROM org WHERE parent_id = $1 AND kind = 'group'"
			    " ORDER BY position, id", &st, x->err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, x->c->cell_id);
	while ((rc = kd_stmt_step(st, x->err)) == 1) {
		*out = kd_arena_grow(x->arena, *out, *n, &cap, sizeof(**out));
		(*out)[(*n)++] = (struct group_row){ kd_stmt_col_int(st, 0), kd_stmt_col_dup(st, 1, x->arena), NULL, 0, 0 };
	}
	if (rc < 0)
		return rc;
	for (size_t g = 0; g < *n; g++) {
		struct group_row *gr = &(*out)[g];
		rc = kd_db_stmt(x->db, "SELECT full_name, group_leader FROM person WHERE group_id = $1 AND active = 1"
				" ORDER BY group_leader DESC, given_name COLLATE vi, middle_name COLLATE vi,"
				" family_name COLLATE vi, code", &st, x->err);
		if (rc != KD_OK)
			return rc;
		kd_stmt_int(st, 1, gr->id);
		while ((rc = kd_stmt_step(st, x->err)) == 1) {
			struct strbuf s = STRBUF_INIT;
			strbuf_addf(&s, "%zu. Đ/c %s%s", gr->n_members + 1, kd_stmt_col_text(st, 0),
				    kd_stmt_col_int(st, 1) ? " (Tổ trưởng)" : "");
			gr->members = kd_arena_grow(x->arena, gr->members, gr->n_members, &gr->cap, sizeof(char *));
			gr->members[gr->n_members++] = kd_arena_strdup(x->arena, s.buf);
			strbuf_release(&s);
		}
		if (rc < 0)
			return rc;
	}
	return KD_OK;
}

/* "- Đồng chí Nguyễn Thị Hồng Chương phụ trách Tổ đảng 1 và Tổ đảng 4",
 * the committee's members by rank. */
static int supervisors(struct kd_dossier_ctx *x, struct kd_doc *d)
{
	struct kd_stmt *st;
	int rc = kd_db_stmt(x->db, "SELECT p.id, p.full_name, g.name FROM group_supervisor s"
			    " JOIN person p ON p.id = s.person_id JOIN org g ON g.id = s.group_id"
			    " WHERE g.parent_id = $1 ORDER BY CASE p.committee_role WHEN 'bi_thu' THEN 0"
			    " WHEN 'pho_bi_thu' THEN 1 WHEN 'chi_uy_vien' THEN 2 ELSE 3 END, p.id, g.position, g.id",
			    &st, x->err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, x->c->cell_id);
	struct strbuf line = STRBUF_INIT;
	long long prev = 0;
	size_t n = 0;
	while ((rc = kd_stmt_step(st, x->err)) == 1) {
		long long pid = kd_stmt_col_int(st, 0);
		if (pid != prev) {
			if (prev) {
				strbuf_addch(&line, ';');
				bullet(d, "-", line.buf);
			}
			strbuf_reset(&line);
			strbuf_addf(&line, "Đồng chí %s phụ trách %s", kd_stmt_col_text(st, 1), kd_stmt_col_text(st, 2));
			prev = pid;
		} else {
			strbuf_addf(&line, " và %s", kd_stmt_col_text(st, 2));
		}
		n++;
	}
	if (prev) {
		strbuf_addch(&line, '.');
		bullet(d, "-", line.buf);
	}
	if (rc == KD_OK && !n)
		kd_doc_body(d, KD_RUN_ITALIC, "(Chưa phân công cấp ủy viên phụ trách tổ đảng: kiemdiem group supervise TỔ ĐẢNG_VIÊN.)");
	strbuf_release(&line);
	return rc < 0 ? rc : KD_OK;
}

/* The plan's VI.1 table: one column per party group (four to a table, so
 * names stay readable), its members below, the leader first. */
static void groups_table(struct kd_doc *d, const struct group_row *g, size_t n)
{
	for (size_t from = 0; from < n; from += 4) {
		size_t cols = n - from < 4 ? n - from : 4;
		int widths[4];
		for (size_t i = 0; i < cols; i++)
			widths[i] = 165 / (int)cols;
		struct kd_doc_table *t = kd_doc_table(d, (int)cols, widths, true);
		struct kd_doc_row *r = kd_table_row(d, t, true);
		size_t rows = 0;
		for (size_t i = 0; i < cols; i++) {
			struct kd_doc_para *p = kd_row_text(d, r, 1, KD_ALIGN_CENTER, KD_RUN_BOLD,
							    kd_doc_upper(d->arena, g[from + i].name));
			p->size = 24;
			r->cells[i].shaded = true;
			rows = g[from + i].n_members > rows ? g[from + i].n_members : rows;
		}
		for (size_t k = 0; k < rows; k++) {
			r = kd_table_row(d, t, false);
			for (size_t i = 0; i < cols; i++)
				kd_row_text(d, r, 1, KD_ALIGN_LEFT, 0,
					    k < g[from + i].n_members ? g[from + i].members[k] : NULL)->size = 24;
		}
		kd_doc_para(d, KD_ALIGN_LEFT)->after = 0;
	}
}

static void milestones_table(struct kd_doc *d, const struct kd_milestone *ms, size_t n)
{
	static const int widths[3] = { 12, 58, 95 };
	struct kd_doc_table *t = kd_doc_table(d, 3, widths, true);
	struct kd_doc_row *r = kd_table_row(d, t, true);
	static const char *const head[3] = { "TT", "Thời gian", "Nội dung" };
	for (int i = 0; i < 3; i++) {
		kd_row_text(d, r, 1, KD_ALIGN_CENTER, KD_RUN_BOLD, head[i]);
		r->cells[i].shaded = true;
	}
	for (size_t i = 0; i < n; i++) {
		char a[11], b[11];
		r = kd_table_row(d, t, false);
		kd_para_textf(d, kd_row_cell(d, r, 1, KD_ALIGN_CENTER), 0, "%zu", i + 1);
		struct kd_doc_para *p = kd_row_cell(d, r, 1, KD_ALIGN_LEFT);
		if (ms[i].has_from && kd_date_cmp(ms[i].from, ms[i].to))
			kd_para_textf(d, p, 0, "Từ ngày %s đến ngày %s", kd_date_vn(ms[i].from, a), kd_date_vn(ms[i].to, b));
		else
			kd_para_textf(d, p, 0, "Ngày %s", kd_date_vn(ms[i].to, a));
		kd_row_text(d, r, 1, KD_ALIGN_JUSTIFY, 0, ms[i].title);
	}
}

static int count_people(struct kd_dossier_ctx *x, long long *n)
{
	return kd_db_run(x->db, x->err, n, "SELECT count(*) FROM person WHERE cell_id = $1 AND active = 1", "i",
			 x->c->cell_id);
}

static int mass_orgs(struct kd_dossier_ctx *x, struct strbuf *out)
{
	struct kd_stmt *st;
	int rc = kd_db_stmt(x->db, "SELECT name FROM mass_org WHERE cell_id = $1 ORDER BY name COLLATE vi", &st, x->err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, x->c->cell_id);
	while ((rc = kd_stmt_step(st, x->err)) == 1)
		strbuf_addf(out, "%s%s", out->len ? ", " : "", kd_stmt_col_text(st, 0));
	return rc < 0 ? rc : KD_OK;
}

/* How long the meetings of the campaign take ("Chi bộ tổ chức kiểm điểm 2,5
 * ngày"), from the meetings scheduled; false when none is. */
static bool meeting_days(const struct kd_meeting *m, size_t n, const struct kd_campaign *c, struct strbuf *out)
{
	double total = 0, cell = 0, groups = 0;
	size_t n_groups = 0;
	for (size_t i = 0; i < n; i++) {
		if (m[i].campaign_id != c->id)
			continue;
		double days = m[i].full_day ? 1 : 0.5;
		total += days;
		if (m[i].is_cell)
			cell += days;
		else {
			groups += days;
			n_groups++;
		}
	}
	if (total == 0)
		return false;
	strbuf_addstr(out, "Chi bộ tổ chức kiểm điểm ");
	kd_number_vn(out, total);
	strbuf_addstr(out, " ngày. Trong đó: ");
	if (n_groups) {
		strbuf_addf(out, "%zu cuộc họp tổ đảng ", n_groups);
		kd_number_vn(out, groups);
		strbuf_addstr(out, " ngày");
	}
	if (cell > 0) {
		strbuf_addstr(out, n_groups ? ", hội nghị chi bộ " : "hội nghị chi bộ ");
		kd_number_vn(out, cell);
		strbuf_addstr(out, " ngày");
	}
	strbuf_addstr(out, ".");
	return true;
}

/* ------------------------------------------------------------ the plan */

static const char *const purposes[] = {
	"1. Kiểm điểm tự phê bình, phê bình và đánh giá, xếp loại chất lượng hằng năm để cấp ủy, chi bộ và từng"
	" cá nhân tự soi, tự sửa lại mình, từ đó đề ra chủ trương, giải pháp phát huy ưu điểm, khắc phục hạn chế,"
	" khuyết điểm trong lãnh đạo, quản lý, điều hành và thực hiện nhiệm vụ; làm căn cứ để thực hiện các nội"
	" dung về công tác cán bộ; góp phần nâng cao năng lực lãnh đạo, sức chiến đấu của tổ chức đảng và đảng viên.",
	"2. Trong kiểm điểm phải khắc phục tình trạng nể nang, né tránh, ngại va chạm, thấy đúng không bảo vệ,"
	" thấy sai không đấu tranh; phải nhận diện, xác định rõ những biểu hiện suy thoái về tư tưởng chính trị,"
	" đạo đức, lối sống, “tự diễn biến”, “tự chuyển hóa” để sửa chữa, khắc phục; lấy kết quả kiểm điểm của"
	" tập thể làm cơ sở để kiểm điểm cá nhân, lấy kết quả kiểm điểm của cá nhân để bổ sung, hoàn chỉnh kiểm"
	" điểm của tập thể.",
	"3. Cấp ủy, chi bộ, thủ trưởng cơ quan, đơn vị, nhất là người đứng đầu và từng đảng viên phải thực hiện"
	" nghiêm túc việc kiểm điểm, đánh giá, xếp loại chất lượng hằng năm.",
	"4. Cán bộ, đảng viên khi kiểm điểm, đánh giá chất lượng đảng viên phải gắn với kiểm điểm, đánh giá việc"
	" thực hiện nội dung đã đăng ký trong Chương trình hành động cá nhân.",
};

static const char *const principles[] = {
	"1. Đúng chủ trương, đường lối, quan điểm của Đảng, chính sách, pháp luật của Nhà nước.",
	"2. Bảo đảm nguyên tắc tập trung dân chủ, tự phê bình và phê bình; đoàn kết, thống nhất; trung thực,"
	" khách quan, toàn diện; công bằng, công khai, minh bạch; đúng thẩm quyền, trách nhiệm.",
	"3. Bảo đảm thống nhất, đồng bộ.",
	"4. Lấy phẩm chất chính trị, đạo đức, lối sống làm gốc; kết quả, hiệu quả công việc làm thước đo chủ yếu"
	" trong đánh giá, xếp loại.",
	"5. Gắn trách nhiệm cá nhân với tập thể; người đứng đầu, cá nhân lãnh đạo, quản lý được phân công phụ"
	" trách lĩnh vực với kết quả hoạt động, hiệu quả công tác của cơ quan, đơn vị; xem xét đầy đủ các yếu tố"
	" chủ quan, khách quan; trực tiếp, gián tiếp; điều kiện, hoàn cảnh cụ thể để đánh giá đúng người, đúng"
	" việc; đúng tính chất, mức độ.",
};

static const char *const collective_contents[] = {
	"Việc quán triệt, tổ chức thực hiện các chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà"
	" nước, nghị quyết, chỉ thị, quyết định, kết luận của cấp trên.",
	"Kết quả thực hiện các chương trình, kế hoạch công tác năm của cơ quan, đơn vị; các chỉ tiêu, nhiệm vụ do"
	" cấp có thẩm quyền giao, phê duyệt trong năm được lượng hóa bằng sản phẩm (nếu có).",
	"Việc thực hiện nguyên tắc tập trung dân chủ và các quy định, quy chế làm việc.",
	"Việc đấu tranh ngăn chặn, đẩy lùi những biểu hiện suy thoái về tư tưởng chính trị, đạo đức, lối sống,"
	" “tự diễn biến”, “tự chuyển hóa” trong nội bộ gắn với đẩy mạnh học tập và làm theo tư tưởng, đạo đức,"
	" phong cách Hồ Chí Minh và công tác đấu tranh phòng, chống tham nhũng, lãng phí.",
	"Kết quả lãnh đạo, chỉ đạo, thực hiện công tác kiểm tra, giám sát, kỷ luật đảng và thi đua, khen thưởng.",
	"Kết quả khắc phục những hạn chế, khuyết điểm đã được cấp có thẩm quyền kết luận hoặc được chỉ ra ở kỳ"
	" kiểm điểm trước.",
	"Những vấn đề được gợi ý kiểm điểm (nếu có).",
	"Khi kiểm điểm phải làm rõ trách nhiệm của tập thể và mỗi thành viên, nhất là người đứng đầu trong từng"
	" hạn chế, khuyết điểm của tập thể và đề ra biện pháp khắc phục có tính khả thi.",
};

static const char *const leader_contents[] = {
	"Kết quả lãnh đạo, quản lý, điều hành, trách nhiệm của cá nhân trong tham gia cùng tập thể lãnh đạo và tổ"
	" chức thực hiện các nhiệm vụ chính trị và công tác tổ chức, cán bộ của cơ quan, đơn vị; quan hệ, phối hợp"
	" với cấp ủy và tập thể lãnh đạo, quản lý; việc quy tụ, đoàn kết nội bộ và sự tín nhiệm của cán bộ, đảng"
	" viên, quần chúng.",
	"Ý thức đấu tranh phòng, chống quan liêu, tham nhũng, lãng phí, cơ hội, vụ lợi. Việc kê khai tài sản, thu"
	" nhập theo quy định; trách nhiệm nêu gương theo quy định của Trung ương và cấp ủy các cấp.",
	"Trách nhiệm của cá nhân liên quan đến kết quả, hạn chế, khuyết điểm (nếu có) của tập thể lãnh đạo, quản"
	" lý mà mình là thành viên và ở cơ quan do mình phụ trách.",
};

static const char *const collective_steps[] = {
	"+ Đại diện cấp ủy trình bày dự thảo báo cáo kiểm điểm của tập thể.",
	"+ Người chủ trì định hướng các nội dung cần tập trung thảo luận.",
	"+ Các thành viên dự kiểm điểm tham gia thảo luận góp ý, làm rõ vai trò, trách nhiệm cá nhân đối với những"
	" ưu, khuyết điểm của tập thể.",
	"+ Người chủ trì tổng hợp, kết luận từng nội dung tiếp thu để hoàn thiện báo cáo, thông qua hội nghị biểu"
	" quyết thống nhất.",
};

static const char *const personal_steps[] = {
	"+ Cá nhân trình bày bản kiểm điểm.",
	"+ Người được phân công thông báo kết quả nhận xét của cấp ủy nơi cư trú theo Quy định số 213-QĐ/TW ngày"
	" 02 tháng 01 năm 2020 của Bộ Chính trị.",
	"+ Các thành viên tham dự góp ý, phê bình.",
	"+ Người chủ trì kết luận những ưu điểm, khuyết điểm của cá nhân.",
	"+ Người được kiểm điểm tiếp thu, hoàn chỉnh bản kiểm điểm cá nhân.",
};

int kd_build_plan(struct kd_dossier_ctx *x, struct kd_doc **out)
{
	const struct kd_ruleset *rs = x->c->rs;
	struct kd_dossier_org org;
	struct kd_milestone *ms;
	struct kd_meeting *meetings;
	struct kd_leader_row *leaders;
	struct group_row *groups;
	size_t n_ms, n_meetings, n_leaders, n_groups;
	long long people = 0;
	struct strbuf orgs = STRBUF_INIT;
	int rc = kd_dossier_org_get(x, &org);
	if (rc == KD_OK)
		rc = kd_milestone_list(x->db, x->c, x->arena, &ms, &n_ms, x->err);
	if (rc == KD_OK)
		rc = kd_meeting_list(x->db, x->c->year, x->arena, &meetings, &n_meetings, x->err);
	if (rc == KD_OK)
		rc = kd_leader_list(x->db, x->c, x->arena, &leaders, &n_leaders, x->err);
	if (rc == KD_OK)
		rc = groups_get(x, &groups, &n_groups);
	if (rc == KD_OK)
		rc = count_people(x, &people);
	if (rc == KD_OK)
		rc = mass_orgs(x, &orgs);
	if (rc != KD_OK) {
		strbuf_release(&orgs);
		return rc;
	}

	struct kd_doc *d = kd_doc_new(x->arena, x->c->title);
	d->page_numbers = true;
	/* The plan is dated when it is finished: the end of the campaign's
	 * first milestone ("Xây dựng kế hoạch"); blank when there is none. */
	struct kd_date dated = n_ms ? ms[0].to : (struct kd_date){ 0, 0, 0 };
	kd_doc_party_header(x, d, x->c->doc_number ? x->c->doc_number : "   -KH/CB", dated);
	const char *sub = x->c->title;
	if (!strncmp(sub, "Kế hoạch ", strlen("Kế hoạch ")))
		sub += strlen("Kế hoạch ");
	/* The subtitle continues the title's sentence: "KẾ HOẠCH / tổ chức
	 * kiểm điểm ...", so a title typed with a capital starts lower. */
	if (*sub >= 'A' && *sub <= 'Z') {
		char *low = kd_arena_strdup(x->arena, sub);
		low[0] = (char)(low[0] - 'A' + 'a');
		sub = low;
	}
	kd_doc_title(d, "Kế hoạch", sub);

	struct strbuf s = STRBUF_INIT;
	/* The upper level's plan and guide are not stored; the rule set names
	 * the texts its criteria and standards come from. */
	strbuf_addf(&s, "Căn cứ các quy định, hướng dẫn của cấp trên về kiểm điểm, đánh giá, xếp loại chất lượng"
		    " hằng năm đối với tổ chức đảng, đảng viên và tập thể, cá nhân cán bộ lãnh đạo, quản lý năm %d;",
		    x->c->year);
	kd_doc_body(d, KD_RUN_ITALIC, s.buf);
	/* A plan is not its own basis: a rule set written from this very plan
	 * (its source names the plan's number) is not cited. */
	if (!(x->c->doc_number && strstr(rs->source, x->c->doc_number))) {
		strbuf_reset(&s);
		strbuf_addf(&s, "Căn cứ tiêu chí, tiêu chuẩn đánh giá, xếp loại chất lượng theo %s,", rs->source);
		kd_doc_body(d, KD_RUN_ITALIC, s.buf);
	}
	strbuf_reset(&s);
	strbuf_addf(&s, "%s xây dựng kế hoạch thực hiện như sau:", org.cell ? org.cell : "Chi bộ");
	kd_doc_body(d, 0, s.buf);

	heading(d, 1, "I. MỤC ĐÍCH, YÊU CẦU");
	for (size_t i = 0; i < KD_ARRAY_LEN(purposes); i++)
		kd_doc_body(d, 0, purposes[i]);
	heading(d, 1, "II. NGUYÊN TẮC THỰC HIỆN");
	for (size_t i = 0; i < KD_ARRAY_LEN(principles); i++)
		kd_doc_body(d, 0, principles[i]);

	heading(d, 1, "III. KIỂM ĐIỂM TỰ PHÊ BÌNH, PHÊ BÌNH VÀ ĐÁNH GIÁ, XẾP LOẠI ĐỐI VỚI TẬP THỂ LÃNH ĐẠO, QUẢN LÝ"
		    " VÀ TỔ CHỨC ĐẢNG");
	heading(d, 2, "1. Kiểm điểm tự phê bình và phê bình đối với tập thể lãnh đạo, quản lý");
	kd_doc_body(d, 0, "1.1. Đối tượng: Cấp ủy chi bộ, tập thể chi bộ.");
	heading(d, 3, "1.2. Nội dung kiểm điểm");
	bullets(d, collective_contents, KD_ARRAY_LEN(collective_contents));
	const struct kd_subject_rules *cr = &rs->subj[KD_COLLECTIVE];
	if (cr->present) {
		heading(d, 2, "2. Đánh giá, xếp loại chất lượng đối với tập thể chi bộ");
		heading(d, 3, "2.1. Khung tiêu chí đánh giá");
		kd_doc_body(d, 0, "Mỗi tiêu chí được đánh giá ở một trong 4 cấp độ: Xuất sắc, Tốt, Trung bình, Kém.");
		for (int pass = 0; pass < 2; pass++) {
			kd_doc_body(d, KD_RUN_ITALIC, pass ? "Các tiêu chí còn lại:"
						     : "Các tiêu chí về xây dựng Đảng, xây dựng hệ thống chính trị và kết"
						       " quả thực hiện nhiệm vụ:");
			for (int k = 0; k < cr->n_criteria; k++)
				if (cr->criteria[k].primary == !pass)
					bullet(d, "-", cr->criteria[k].text);
		}
		heading(d, 3, "2.2. Khung tiêu chuẩn các mức xếp loại chất lượng");
		standards(d, rs, KD_COLLECTIVE, "2.2", false, "Chi bộ");
	}

	heading(d, 1, "IV. KIỂM ĐIỂM TỰ PHÊ BÌNH, PHÊ BÌNH VÀ ĐÁNH GIÁ, XẾP LOẠI ĐỐI VỚI CÁ NHÂN");
	strbuf_reset(&s);
	strbuf_addf(&s, "1. Đối tượng kiểm điểm tự phê bình và phê bình: toàn bộ đảng viên đang sinh hoạt trong"
		    " chi bộ (%lld đảng viên).", people);
	kd_doc_body(d, 0, s.buf);
	const struct kd_subject_rules *mr = &rs->subj[KD_MEMBER];
	bool any_nr = false;
	for (int i = 0; i < mr->n_clauses; i++)
		any_nr |= mr->clauses[i].role == KD_ROLE_NOT_RATED;
	if (any_nr) {
		kd_doc_body(d, 0, "Không đánh giá, xếp loại chất lượng trong các trường hợp sau:");
		clause_bullets(d, mr, KD_ROLE_NOT_RATED, 0);
	}
	heading(d, 2, "2. Nội dung kiểm điểm, khung tiêu chí đánh giá và khung tiêu chuẩn các mức chất lượng");
	heading(d, 3, "2.1. Đối với đảng viên");
	heading(d, 3, "2.1.1. Nội dung kiểm điểm, khung tiêu chí đánh giá");
	kd_doc_body(d, 0, "Mỗi tiêu chí được đánh giá ở một trong 4 cấp độ: Xuất sắc, Tốt, Trung bình, Kém.");
	for (int k = 0; k < mr->n_criteria; k++) {
		strbuf_reset(&s);
		strbuf_addf(&s, "%c) %s%s.", 'a' + (k % 26), mr->criteria[k].text,
			    mr->criteria[k].primary ? " (tiêu chí về kết quả thực hiện nhiệm vụ)" : "");
		kd_doc_body(d, 0, s.buf);
	}
	heading(d, 3, "2.1.2. Khung tiêu chuẩn các mức xếp loại");
	standards(d, rs, KD_MEMBER, NULL, true, "Là đảng viên");
	if (rs->subj[KD_LEADER].present) {
		heading(d, 3, "2.2. Đối với cán bộ lãnh đạo, quản lý");
		if (n_leaders) {
			kd_doc_body(d, 0, "Cán bộ lãnh đạo, quản lý thực hiện kiểm điểm:");
			for (size_t i = 0; i < n_leaders; i++) {
				strbuf_reset(&s);
				strbuf_addf(&s, "Đồng chí %s%s%s%s.", leaders[i].full_name, leaders[i].title ? ", " : "",
					    leaders[i].title ? leaders[i].title : "",
					    leaders[i].heads ? " (người đứng đầu)" : "");
				bullet(d, "-", s.buf);
			}
		}
		heading(d, 3, "2.2.1. Nội dung kiểm điểm");
		kd_doc_body(d, 0, "Ngoài những nội dung nêu tại khoản 2.1.1 nêu trên, còn phải kiểm điểm sâu sắc các nội dung sau:");
		bullets(d, leader_contents, KD_ARRAY_LEN(leader_contents));
		heading(d, 3, "2.2.2. Khung tiêu chuẩn các mức xếp loại chất lượng");
		standards(d, rs, KD_LEADER, NULL, true, "Cán bộ");
	}

	heading(d, 1, "V. TIẾN HÀNH KIỂM ĐIỂM TỰ PHÊ BÌNH, PHÊ BÌNH VÀ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐỐI VỚI TẬP"
		    " THỂ, CÁ NHÂN");
	heading(d, 2, "1. Chuẩn bị kiểm điểm");
	heading(d, 3, "1.1. Chuẩn bị báo cáo kiểm điểm của tập thể");
	kd_doc_body(d, 0, "Người đứng đầu cấp ủy trực tiếp chỉ đạo chuẩn bị báo cáo kiểm điểm của tập thể theo Mẫu 01; gửi"
		   " lấy ý kiến góp ý của:");
	bullet(d, "+", "Đồng chí cấp ủy viên cấp trên phụ trách cơ sở.");
	strbuf_reset(&s);
	strbuf_addf(&s, "Các tổ chức chính trị - xã hội cùng cấp ở cơ quan, đơn vị%s%s.", orgs.len ? ": " : "", orgs.buf);
	bullet(d, "+", s.buf);
	strbuf_reset(&s);
	strbuf_addf(&s, "Sau khi nhận được ý kiến đóng góp, người đứng đầu tập thể lãnh đạo phải giải trình làm rõ, bổ"
		    " sung vào dự thảo báo cáo kiểm điểm; gửi dự thảo báo cáo kiểm điểm đến thành phần tham dự kiểm"
		    " điểm trước ít nhất %02d ngày làm việc để có thời gian nghiên cứu.", KD_SUBMIT_WORKING_DAYS);
	kd_doc_body(d, 0, s.buf);
	heading(d, 3, "1.2. Chuẩn bị bản kiểm điểm cá nhân");
	strbuf_reset(&s);
	strbuf_addf(&s, "Đảng viên chuẩn bị bản kiểm điểm cá nhân theo Mẫu 02, nộp cho cấp ủy trước ngày họp ít nhất"
		    " %02d ngày làm việc.", KD_SUBMIT_WORKING_DAYS);
	kd_doc_body(d, 0, s.buf);
	heading(d, 2, "2. Tổ chức kiểm điểm");
	kd_doc_body(d, 0, "2.1. Thành phần dự kiểm điểm: tất cả đảng viên của chi bộ.");
	strbuf_reset(&s);
	strbuf_addstr(&s, "2.2. Thời gian kiểm điểm: ");
	if (!meeting_days(meetings, n_meetings, x->c, &s))
		strbuf_addstr(&s, "theo tiến độ tại mục VI.2.");
	kd_doc_body(d, 0, s.buf);
	heading(d, 3, "2.3. Các bước kiểm điểm");
	kd_doc_body(d, 0, "Kiểm điểm tập thể trước, cá nhân sau, người đứng đầu trước, cấp phó và các thành viên sau. Chủ trì"
		   " hội nghị kiểm điểm là người giữ chức vụ cao nhất có mặt dự kiểm điểm; khi kiểm điểm người chủ trì"
		   " thì phân công người có chức vụ liền kề chủ trì.");
	bullet(d, "-", "Kiểm điểm tập thể:");
	for (size_t i = 0; i < KD_ARRAY_LEN(collective_steps); i++)
		kd_doc_body(d, 0, collective_steps[i]);
	bullet(d, "-", "Kiểm điểm cá nhân:");
	for (size_t i = 0; i < KD_ARRAY_LEN(personal_steps); i++)
		kd_doc_body(d, 0, personal_steps[i]);
	heading(d, 2, "3. Trình tự đánh giá, xếp loại chất lượng đối với tập thể chi bộ");
	kd_doc_body(d, 0, "- Trên cơ sở báo cáo kiểm điểm tập thể (Mẫu 01), căn cứ các tiêu chí đánh giá, tiêu chuẩn các mức"
		   " chất lượng, chi ủy thảo luận, thống nhất tự đánh giá 1 trong 4 cấp độ (xuất sắc, tốt, trung bình,"
		   " kém) vào ô tương ứng trong báo cáo kiểm điểm tập thể để báo cáo chi bộ.");
	kd_doc_body(d, 0, "- Tổ chức hội nghị chi bộ để thảo luận và bỏ phiếu tự đánh giá, xếp loại chất lượng tập thể ở 1"
		   " trong 4 mức (hoàn thành xuất sắc nhiệm vụ, hoàn thành tốt nhiệm vụ, hoàn thành nhiệm vụ, không hoàn"
		   " thành nhiệm vụ); tổng hợp kết quả biểu quyết, công bố tại hội nghị.");
	kd_doc_body(d, 0, "- Hoàn tất hồ sơ báo cáo cấp trên: báo cáo kiểm điểm tập thể; văn bản gợi ý kiểm điểm (nếu có);"
		   " bảng tổng hợp ý kiến góp ý; trích biên bản các hội nghị kiểm điểm, đánh giá, xếp loại chất lượng.");
	heading(d, 2, "4. Trình tự đánh giá, xếp loại chất lượng đảng viên");
	kd_doc_body(d, 0, "Bước 1: Tự đánh giá, xếp loại chất lượng. Trên cơ sở bản kiểm điểm cá nhân, đảng viên tự đánh giá"
		   " từng tiêu chí theo 4 cấp độ và tự xếp loại chất lượng theo 01 trong 04 mức vào ô tương ứng trong"
		   " bản kiểm điểm cá nhân.");
	kd_doc_body(d, 0, "Bước 2: Quyết định xếp loại chất lượng. Cấp ủy tổng hợp mức tự xếp loại của đảng viên, ý kiến"
		   " nhận xét của chi ủy nơi cư trú và mức xếp loại cán bộ, công chức, viên chức để đề xuất mức xếp loại;"
		   " tổ đảng họp, tổng hợp kết quả biểu quyết báo cáo cấp ủy; chi bộ biểu quyết bằng phiếu để quyết định"
		   " mức xếp loại chất lượng đảng viên.");
	for (int f = KD_FIX_V1; f <= KD_FIX_Q1; f++) {
		strbuf_reset(&s);
		strbuf_addf(&s, "%s.", rs->fixed[f].text);
		bullet(d, "-", s.buf);
	}
	kd_doc_body(d, 0, "Bước 3: Thông báo và công khai kết quả đánh giá, xếp loại chất lượng đảng viên trong cuộc họp chi bộ.");
	heading(d, 2, "5. Một số điểm lưu ý trong đánh giá, xếp loại chất lượng");
	kd_doc_body(d, 0, "Tập thể, cá nhân phải hoàn thành việc kiểm điểm mới được đánh giá, xếp loại chất lượng. Việc đánh"
		   " giá, xếp loại thực hiện theo nguyên tắc:");
	for (int f = KD_FIX_K1; f <= KD_FIX_K3; f++) {
		strbuf_reset(&s);
		strbuf_addf(&s, "%s.", rs->fixed[f].text);
		bullet(d, "-", s.buf);
	}
	kd_doc_body(d, 0, "Tập thể, cá nhân đã được xếp loại chất lượng, nhưng sau đó phát hiện có khuyết điểm hoặc không bảo"
		   " đảm điều kiện của mức chất lượng đã xếp loại thì cấp có thẩm quyền xem xét để hủy bỏ kết quả và xếp"
		   " loại lại.");

	heading(d, 1, "VI. TỔ CHỨC THỰC HIỆN");
	heading(d, 2, "1. Tổ đảng tổ chức đánh giá, xếp loại chất lượng đảng viên");
	kd_doc_body(d, 0, "Phân công cấp ủy phụ trách các tổ đảng:");
	rc = supervisors(x, d);
	if (rc == KD_OK && n_groups)
		groups_table(d, groups, n_groups);
	kd_doc_body(d, 0, "Các tổ đảng có nhiệm vụ: tổ chức buổi kiểm điểm cá nhân và đánh giá, phân loại chất lượng đảng"
		   " viên của tổ mình. (Lưu ý: các tổ đảng tổ chức họp trực tiếp, thông báo thời gian và địa điểm trước"
		   " 03 ngày cho cấp ủy phụ trách).");
	heading(d, 2, "2. Tiến độ thực hiện");
	if (n_ms)
		milestones_table(d, ms, n_ms);
	else
		kd_doc_body(d, KD_RUN_ITALIC, "(Chưa có mốc tiến độ: kiemdiem milestone add.)");
	strbuf_reset(&s);
	strbuf_addf(&s, "Trong quá trình thực hiện tổ chức kiểm điểm, đánh giá, xếp loại chất lượng năm %d, nếu có phát"
		    " sinh vướng mắc, các tổ đảng phản ánh kịp thời về cấp ủy để xem xét, chỉ đạo.", x->c->year);
	kd_doc_body(d, 0, s.buf)->before = 6;

	strbuf_reset(&s);
	strbuf_addf(&s, "%s (để báo cáo);", org.upper ? org.upper : "Cấp ủy cấp trên");
	const char *recipients[3] = { kd_arena_strdup(x->arena, s.buf), "Các đồng chí đảng viên;", "Lưu." };
	kd_doc_signature(x, d, recipients, 3);
	strbuf_release(&s);
	strbuf_release(&orgs);
	if (rc != KD_OK)
		return rc;
	*out = d;
	return KD_OK;
}
