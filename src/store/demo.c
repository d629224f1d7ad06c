#include "store/demo.h"
#include "store/account.h"
#include "json/classify_doc.h"
#include "json/embedded.h"
#include "json/value.h"
#include "store/cell_load.h"
#include "store/lookup.h"
#include "store/tx.h"
#include "text/text.h"

/* The party groups of plan VI.1: code, name, the example's first and last
 * member, the committee member in charge, and the group meeting's day. */
static const struct {
	const char *code, *name;
	int first, last;
	int supervisor;
	const char *meets_on;
} groups[] = {
	{ "to1", "Tổ đảng 1", 4, 10, 1, "2021-11-11" },
	{ "to2", "Tổ đảng 2", 11, 17, 3, "2021-11-12" },
	{ "to3", "Tổ đảng 3", 18, 24, 2, "2021-11-15" },
	{ "to4", "Tổ đảng 4", 25, 33, 1, "2021-11-16" },
};

/* Plan VI.2. */
static const struct {
	const char *code, *title, *from, *to;
} milestones[] = {
	{ "ke_hoach", "Xây dựng kế hoạch", "2021-10-25", "2021-11-01" },
	{ "nhan_xet_noi_cu_tru", "Đảng viên lấy giấy nhận xét của cấp ủy nơi cư trú (Quy định 213-QĐ/TW)", "2021-10-29", "2021-11-10" },
	{ "trien_khai", "Triển khai kế hoạch", "2021-11-04", "2021-11-04" },
	{ "hop_to", "Tổ đảng kiểm điểm, đánh giá, xếp loại đảng viên cấp tổ", "2021-11-11", "2021-11-19" },
	{ "hop_chi_bo", "Chi bộ kiểm điểm, đánh giá, xếp loại tập thể, đảng viên", "2021-11-27", "2021-11-27" },
	{ "hoan_chinh_ho_so", "Hoàn chỉnh hồ sơ, trình Bí thư chi bộ", "2021-11-29", "2021-11-29" },
	{ "gui_cap_tren", "Gửi báo cáo kết quả và hồ sơ về Ban Thường vụ Quận ủy (qua Ban Tổ chức)", "2021-11-30", "2021-11-30" },
};

static const char *const sections[][2] = {
	{ "uu_diem", "Chấp hành tốt chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước; "
		     "hoàn thành nhiệm vụ giảng dạy và công tác được phân công." },
	{ "han_che", "Có lúc chưa chủ động trong việc nghiên cứu, vận dụng nghị quyết vào công tác chuyên môn." },
	{ "nguyen_nhan", "Khối lượng công việc chuyên môn lớn, thời gian tự học tập còn hạn chế." },
	{ "phuong_huong", "Tiếp tục học tập, rèn luyện; đổi mới phương pháp giảng dạy; gương mẫu thực hiện nhiệm vụ đảng viên." },
};

static int member_number(const char *code)
{
	return atoi(code + 2);      /* "dv07" -> 7 */
}

static int group_of(int n)
{
	for (size_t g = 0; g < KD_ARRAY_LEN(groups); g++)
		if (n >= groups[g].first && n <= groups[g].last)
			return (int)g;
	return -1;
}

static const char *date_str(struct kd_date d, char buf[static 11])
{
	return kd_date_iso(d, buf);
}

/* Store every declared field whose value differs from its default. */
static int store_facts(struct kd_tx *tx, long long campaign, const char *subject, long long person,
		       const struct kd_subject_rules *sr, const struct kd_subject_data *sd)
{
	struct strbuf v = STRBUF_INIT, d = STRBUF_INIT, key = STRBUF_INIT;
	int rc = KD_OK;
	for (int f = 0; rc == KD_OK && f < sr->n_fields; f++) {
		const struct kd_field *fd = &sr->fields[f];
		if (!strcmp(fd->key, "admitted_on"))
			continue;       /* a person's date, not a fact */
		strbuf_reset(&v);
		strbuf_reset(&d);
		strbuf_reset(&key);
		kd_value_to_json(fd, &sd->vals[f], &v);
		kd_value_to_json(fd, &fd->def, &d);
		if (!fd->required && !strcmp(v.buf, d.buf))
			continue;
		strbuf_addf(&key, "%s%s%s", fd->group ? fd->group : "", fd->group ? "." : "", fd->key);
		rc = kd_tx_insert(tx, KD_T_fact, NULL, "INSERT INTO fact (campaign_id, subject, person_id, key, value)"
				  " VALUES ($1, $2, $3, $4, $5) RETURNING id", "itItt", campaign, subject, person,
				  key.buf, v.buf);
	}
	strbuf_release(&v);
	strbuf_release(&d);
	strbuf_release(&key);
	return rc;
}

static int create(struct kd_tx *tx, const struct kd_cell *ex, struct kd_arena *arena)
{
	struct kd_db *db = tx->db;
	long long upper, cell, campaign, gid[KD_ARRAY_LEN(groups)], meeting[KD_ARRAY_LEN(groups) + 1];
	long long *pid = kd_arena_calloc(arena, ex->n_members + 1, sizeof(long long));
	char b1[11], b2[11];
	int rc = kd_tx_insert(tx, KD_T_org, &upper, "INSERT INTO org (kind, code, name) VALUES ('upper', $1, $2) RETURNING id",
			      "tt", "QU3", "Đảng bộ Quận 3");
	if (rc == KD_OK)
		rc = kd_tx_insert(tx, KD_T_org, &cell, "INSERT INTO org (parent_id, kind, code, name)"
				  " VALUES ($1, 'cell', $2, $3) RETURNING id", "Itt", upper, "CBMK",
				  "Chi bộ trường THPT Nguyễn Thị Minh Khai");
	for (size_t g = 0; rc == KD_OK && g < KD_ARRAY_LEN(groups); g++)
		rc = kd_tx_insert(tx, KD_T_org, &gid[g], "INSERT INTO org (parent_id, kind, code, name, position)"
				  " VALUES ($1, 'group', $2, $3, $4) RETURNING id", "Itti", cell, groups[g].code,
				  groups[g].name, (long long)g + 1);

	/* People: the example's members, placed in the plan's groups. */
	const struct kd_subject_rules *msr = &ex->rs->subj[KD_MEMBER];
	int f_admitted = kd_ruleset_field(msr, NULL, "admitted_on");
	int f_cs = kd_ruleset_field(msr, NULL, "civil_servant_rating");
	for (size_t i = 0; rc == KD_OK && i < ex->n_members; i++) {
		const struct kd_member *m = &ex->members[i];
		int n = member_number(m->s.id), g = group_of(n);
		struct strbuf fam = STRBUF_INIT, mid = STRBUF_INIT, giv = STRBUF_INIT;
		kd_name_split(m->s.name, &fam, &mid, &giv);
		struct kd_date admitted = m->s.vals[f_admitted].u.date;
		struct kd_date official = kd_date_add_months(admitted, 12);
		struct kd_date birth = { 1962 + (n * 7) % 33, 1 + n % 12, 1 + (n * 5) % 28 };
		bool is_official = kd_date_cmp(official, ex->as_of) <= 0;
		const char *role = n == 1 ? "bi_thu" : n == 2 ? "pho_bi_thu" : n == 3 ? "chi_uy_vien" : NULL;
		const char *party_pos = n == 1 ? "Bí thư chi bộ" : n == 2 ? "Phó Bí thư chi bộ"
				      : n == 3 ? "Chi ủy viên" : g >= 0 && n == groups[g].first ? "Tổ trưởng tổ đảng" : "Đảng viên";
		const char *work_pos = n == 1 ? "Hiệu trưởng" : n == 2 ? "Phó Hiệu trưởng" : n == 3 ? "Phó Hiệu trưởng"
				     : n % 5 == 0 ? "Tổ trưởng chuyên môn" : "Giáo viên";
		char card[16];
		snprintf(card, sizeof(card), "79.%06d", 104000 + n * 37);
		rc = kd_tx_insert(tx, KD_T_person, &pid[i],
				  "INSERT INTO person (code, full_name, family_name, middle_name, given_name, birth_date,"
				  " admitted_on, official_on, card_no, party_position, work_position, civil_servant,"
				  " cell_id, group_id, committee_role, group_leader)"
				  " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
				  "tttttttttttiIIti", m->s.id, m->s.name, fam.buf, mid.buf, giv.buf, date_str(birth, b1),
				  date_str(admitted, b2), is_official ? kd_date_iso(official, (char[11]){ 0 }) : NULL,
				  card, party_pos, work_pos, (long long)!m->s.vals[f_cs].null, cell,
				  g >= 0 ? gid[g] : 0, role, (long long)(g >= 0 && n == groups[g].first));
		strbuf_release(&fam);
		strbuf_release(&mid);
		strbuf_release(&giv);
	}
	for (size_t g = 0; rc == KD_OK && g < KD_ARRAY_LEN(groups); g++)
		rc = kd_tx_insert(tx, KD_T_group_supervisor, NULL, "INSERT INTO group_supervisor (group_id, person_id)"
				  " VALUES ($1, $2) RETURNING id", "ii", gid[g], pid[groups[g].supervisor - 1]);

	if (rc == KD_OK)
		rc = kd_tx_insert(tx, KD_T_campaign, &campaign, "INSERT INTO campaign (cell_id, year, ruleset, as_of,"
				  " title, doc_number, place) VALUES ($1, 2021, $2, $3, $4, $5, $6) RETURNING id", "itttt" "t",
				  cell, ex->rs->id, date_str(ex->as_of, b1),
				  "Kế hoạch tổ chức kiểm điểm, đánh giá, xếp loại chất lượng hằng năm đối với tập thể chi bộ, "
				  "đảng viên và tập thể, cá nhân cán bộ lãnh đạo, quản lý năm 2021",
				  "19-KH/CBMK", "Quận 3");
	for (size_t k = 0; rc == KD_OK && k < KD_ARRAY_LEN(milestones); k++)
		rc = kd_tx_insert(tx, KD_T_milestone, NULL, "INSERT INTO milestone (campaign_id, code, title, starts_on,"
				  " ends_on, position) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id", "itttti", campaign,
				  milestones[k].code, milestones[k].title, milestones[k].from, milestones[k].to, (long long)k + 1);

	/* Mass organizations and the collective. */
	const struct kd_collective *col = ex->collective;
	for (int o = 0; rc == KD_OK && col && o < col->n_orgs; o++) {
		long long mo;
		rc = kd_tx_insert(tx, KD_T_mass_org, &mo, "INSERT INTO mass_org (cell_id, name) VALUES ($1, $2) RETURNING id",
				  "it", cell, col->orgs[o].name);
		if (rc == KD_OK)
			rc = kd_tx_insert(tx, KD_T_mass_org_rating, NULL, "INSERT INTO mass_org_rating (campaign_id, mass_org_id,"
					  " rating) VALUES ($1, $2, $3) RETURNING id", "iit", campaign, mo,
					  kd_rating_code(col->orgs[o].rating));
	}
	const struct kd_subject_rules *csr = &ex->rs->subj[KD_COLLECTIVE];
	for (int k = 0; rc == KD_OK && col && k < csr->n_criteria; k++)
		rc = kd_tx_insert(tx, KD_T_collective_level, NULL, "INSERT INTO collective_level (campaign_id, criterion, level)"
				  " VALUES ($1, $2, $3) RETURNING id", "itt", campaign, csr->criteria[k].id,
				  kd_level_code(col->s.levels[k]));
	if (rc == KD_OK && col)
		rc = store_facts(tx, campaign, "collective", 0, csr, &col->s);
	if (rc == KD_OK && col && col->leadership_rating != KD_NONE) {
		char lr[16];
		snprintf(lr, sizeof(lr), "\"%s\"", kd_rating_code(col->leadership_rating));
		rc = kd_tx_insert(tx, KD_T_fact, NULL, "INSERT INTO fact (campaign_id, subject, person_id, key, value)"
				  " VALUES ($1, 'collective', NULL, 'leadership_rating', $2) RETURNING id", "it", campaign, lr);
	}
	if (rc == KD_OK)
		rc = kd_tx_insert(tx, KD_T_collective_report, NULL, "INSERT INTO collective_report (campaign_id, version,"
				  " status, body, sent_on) VALUES ($1, 1, 'draft', $2, '2021-11-05') RETURNING id", "it", campaign,
				  "Dự thảo báo cáo kiểm điểm tập thể chi ủy, chi bộ năm 2021 (Mẫu 01).");
	if (rc == KD_OK)
		rc = kd_tx_insert(tx, KD_T_collective_report, NULL, "INSERT INTO collective_report (campaign_id, version,"
				  " status, body, sent_on) VALUES ($1, 2, 'final', $2, '2021-11-22') RETURNING id", "it", campaign,
				  "Báo cáo kiểm điểm tập thể chi ủy, chi bộ năm 2021 (Mẫu 01), đã tiếp thu ý kiến góp ý.");
	static const char *const comments[][4] = {
		{ "upper", "Đồng chí Ủy viên Ban Thường vụ Quận ủy phụ trách cơ sở",
		  "Đề nghị làm rõ hơn kết quả lãnh đạo thực hiện nhiệm vụ chuyên môn năm học 2020-2021.",
		  "Đã bổ sung số liệu kết quả thi tốt nghiệp và học sinh giỏi vào mục 2." },
		{ "mass_org", "Công đoàn trường", "Đề nghị bổ sung nội dung chăm lo đời sống giáo viên.",
		  "Đã bổ sung vào mục lãnh đạo các đoàn thể." },
		{ "mass_org", "Đoàn Thanh niên", "Thống nhất với dự thảo báo cáo.", "Tiếp thu." },
	};
	for (size_t k = 0; rc == KD_OK && k < KD_ARRAY_LEN(comments); k++)
		rc = kd_tx_insert(tx, KD_T_report_comment, NULL, "INSERT INTO report_comment (campaign_id, source, author,"
				  " received_on, body, answer, answered_on) VALUES ($1, $2, $3, '2021-11-10', $4, $5, '2021-11-12')"
				  " RETURNING id", "itttt", campaign, comments[k][0], comments[k][1], comments[k][2], comments[k][3]);

	/* Leaders. */
	const struct kd_subject_rules *lsr = &ex->rs->subj[KD_LEADER];
	for (size_t l = 0; rc == KD_OK && l < ex->n_leaders; l++) {
		const struct kd_leader *ld = &ex->leaders[l];
		long long who = pid[member_number(ld->member_id) - 1];
		rc = kd_tx_insert(tx, KD_T_leader, NULL, "INSERT INTO leader (campaign_id, person_id, title, heads_collective)"
				  " VALUES ($1, $2, $3, $4) RETURNING id", "iiti", campaign, who,
				  ld->heads_collective ? "Bí thư chi bộ, Hiệu trưởng" : "Chi ủy viên, Phó Hiệu trưởng",
				  (long long)ld->heads_collective);
		if (rc == KD_OK)
			rc = store_facts(tx, campaign, "leader", who, lsr, &ld->s);
	}

	/* Meetings: each group's, then the cell's (plan VI.2). */
	for (size_t g = 0; rc == KD_OK && g < KD_ARRAY_LEN(groups); g++)
		rc = kd_tx_insert(tx, KD_T_meeting, &meeting[g], "INSERT INTO meeting (campaign_id, org_id, scheduled_on, held_on,"
				  " duration, place, chair_id) VALUES ($1, $2, $3, $3, 'half_day', $4, $5) RETURNING id", "iitti",
				  campaign, gid[g], groups[g].meets_on, "Phòng họp trường THPT Nguyễn Thị Minh Khai",
				  pid[groups[g].first - 1]);
	if (rc == KD_OK)
		rc = kd_tx_insert(tx, KD_T_meeting, &meeting[KD_ARRAY_LEN(groups)], "INSERT INTO meeting (campaign_id, org_id,"
				  " scheduled_on, held_on, duration, place, chair_id) VALUES ($1, $2, $3, $3, 'half_day', $4, $5)"
				  " RETURNING id", "iitti", campaign, cell, date_str(ex->as_of, b1),
				  "Hội trường trường THPT Nguyễn Thị Minh Khai", pid[0]);
	long long cell_meeting = meeting[KD_ARRAY_LEN(groups)];
	if (rc == KD_OK)
		rc = kd_tx_insert(tx, KD_T_agenda_item, NULL, "INSERT INTO agenda_item (meeting_id, position, subject, comments,"
				  " conclusion) VALUES ($1, 1, 'collective', $2, $3) RETURNING id", "itt", cell_meeting,
				  "Các đồng chí thống nhất với báo cáo; đề nghị bổ sung giải pháp nâng cao chất lượng sinh hoạt chi bộ.",
				  "Hội nghị thông qua báo cáo kiểm điểm tập thể.");

	/* Official members of each group: the voters convened at its meeting. */
	long long group_voters[KD_ARRAY_LEN(groups)] = { 0 };
	for (size_t i = 0; i < ex->n_members; i++) {
		int g = group_of(member_number(ex->members[i].s.id));
		if (g >= 0 && ex->members[i].has_votes)
			group_voters[g]++;
	}

	/* Per member: review, residence comment, facts, attendance, agenda, ballots. */
	int group_pos[KD_ARRAY_LEN(groups)] = { 0 }, cell_pos = 1;
	for (size_t i = 0; rc == KD_OK && i < ex->n_members; i++) {
		const struct kd_member *m = &ex->members[i];
		int n = member_number(m->s.id), g = group_of(n);
		bool is_official = m->has_votes;
		long long review;
		struct kd_date meets = ex->as_of;
		if (g >= 0)
			kd_date_parse(groups[g].meets_on, 10, &meets);
		struct kd_date submitted = kd_date_from_days(kd_date_to_days(meets) - 6 - n % 3);
		rc = kd_tx_insert(tx, KD_T_review, &review, "INSERT INTO review (campaign_id, person_id, status, self_rating,"
				  " submitted_on) VALUES ($1, $2, 'submitted', $3, $4) RETURNING id", "iitt", campaign, pid[i],
				  kd_rating_code(is_official ? (m->s.levels[1] == KD_LEVEL_XS && m->s.vals[kd_ruleset_field(msr, NULL, "exemplary")].u.b
						   ? KD_HTXSNV : KD_HTTNV) : KD_HTTNV), date_str(submitted, b1));
		for (int k = 0; rc == KD_OK && k < msr->n_criteria; k++)
			if (m->s.levels[k] != KD_NONE)
				rc = kd_tx_insert(tx, KD_T_review_level, NULL, "INSERT INTO review_level (review_id, criterion, level)"
					  " VALUES ($1, $2, $3) RETURNING id", "itt", review, msr->criteria[k].id,
					  kd_level_code(m->s.levels[k]));
		for (size_t k = 0; rc == KD_OK && k < KD_ARRAY_LEN(sections); k++)
			rc = kd_tx_insert(tx, KD_T_review_section, NULL, "INSERT INTO review_section (review_id, section, body)"
					  " VALUES ($1, $2, $3) RETURNING id", "itt", review, sections[k][0], sections[k][1]);
		/* One residence comment is still missing, so `check` has work. */
		if (rc == KD_OK)
			rc = kd_tx_insert(tx, KD_T_residence_comment, NULL, "INSERT INTO residence_comment (campaign_id, person_id,"
					  " received, received_on, summary) VALUES ($1, $2, $3, $4, $5) RETURNING id", "iiitt",
					  campaign, pid[i], (long long)(n != 29), n != 29 ? "2021-11-08" : NULL,
					  n != 29 ? "Gương mẫu chấp hành chủ trương, chính sách, pháp luật và quy định nơi cư trú." : NULL);
		if (rc == KD_OK)
			rc = store_facts(tx, campaign, "member", pid[i], msr, &m->s);
		long long where = g >= 0 ? meeting[g] : cell_meeting;
		bool absent = n == 22;
		if (rc == KD_OK && g >= 0)
			rc = kd_tx_insert(tx, KD_T_attendance, NULL, "INSERT INTO attendance (meeting_id, person_id, present, reason)"
					  " VALUES ($1, $2, $3, $4) RETURNING id", "iiit", where, pid[i], (long long)!absent,
					  absent ? "Ốm, có đơn xin vắng" : NULL);
		if (rc == KD_OK)
			rc = kd_tx_insert(tx, KD_T_attendance, NULL, "INSERT INTO attendance (meeting_id, person_id, present)"
					  " VALUES ($1, $2, 1) RETURNING id", "ii", cell_meeting, pid[i]);
		if (rc == KD_OK && g >= 0)
			rc = kd_tx_insert(tx, KD_T_agenda_item, NULL, "INSERT INTO agenda_item (meeting_id, position, subject,"
					  " person_id, comments, conclusion) VALUES ($1, $2, 'member', $3, $4, $5) RETURNING id", "iiitt",
					  where, (long long)++group_pos[g], pid[i], "Tổ đảng góp ý, thống nhất với bản tự kiểm điểm.",
					  "Hoàn thành tốt nhiệm vụ được giao; cần phát huy.");
		if (rc == KD_OK)
			rc = kd_tx_insert(tx, KD_T_agenda_item, NULL, "INSERT INTO agenda_item (meeting_id, position, subject,"
					  " person_id, conclusion) VALUES ($1, $2, 'member', $3, $4) RETURNING id", "iiit", cell_meeting,
					  (long long)++cell_pos, pid[i], "Chi bộ thống nhất mức xếp loại đề xuất.");
		/* The group's vote: the cell's ballots scaled to the group. */
		if (rc == KD_OK && m->has_votes && g >= 0) {
			long long gv = group_voters[g], v[KD_RATING_COUNT];
			for (int k = 0; k < KD_RATING_COUNT; k++)
				v[k] = m->votes[k] * gv / m->voters;
			rc = kd_tx_insert(tx, KD_T_tally, NULL, "INSERT INTO tally (meeting_id, subject, person_id, round, voters,"
					  " htxsnv, httnv, htnv, khtnv) VALUES ($1, 'member', $2, 1, $3, $4, $5, $6, $7) RETURNING id",
					  "iiiiiii", meeting[g], pid[i], gv, v[KD_HTXSNV], v[KD_HTTNV], v[KD_HTNV], v[KD_KHTNV]);
		}
		if (rc == KD_OK && m->has_votes)
			rc = kd_tx_insert(tx, KD_T_tally, NULL, "INSERT INTO tally (meeting_id, subject, person_id, round, voters,"
					  " issued, invalid, unused, htxsnv, httnv, htnv, khtnv)"
					  " VALUES ($1, 'member', $2, 1, $3, $3, 0, $4, $5, $6, $7, $8) RETURNING id", "iiiiiiii",
					  cell_meeting, pid[i], (long long)m->voters,
					  (long long)(m->voters - m->votes[0] - m->votes[1] - m->votes[2] - m->votes[3]),
					  (long long)m->votes[KD_HTXSNV], (long long)m->votes[KD_HTTNV],
					  (long long)m->votes[KD_HTNV], (long long)m->votes[KD_KHTNV]);
	}
	if (rc == KD_OK)
		rc = kd_db_run(db, tx->err, NULL, "UPDATE meeting SET minutes = $2 WHERE id = $1", "it", cell_meeting,
			       "Hội nghị chi bộ kiểm điểm, đánh giá, xếp loại chất lượng năm 2021; có mặt 33/33 đảng viên.");
	return rc;
}

/* Classify the stored campaign and record the decisions and their publication. */
static int decide(struct kd_tx *tx, struct kd_arena *arena)
{
	long long campaign;
	struct kd_campaign_cell cc;
	struct kd_result res;
	int rc = kd_lookup_campaign(tx->db, 2021, &campaign, tx->err);
	if (rc == KD_OK)
		rc = kd_campaign_load(tx->db, campaign, false, arena, &cc, tx->err);
	if (rc != KD_OK)
		return rc;
	kd_classify(&cc.cell, &res, arena);
	rc = kd_results_store(tx, &cc, &res);
	for (size_t i = 0; rc == KD_OK && i < cc.cell.n_members; i++)
		if (res.members[i].status == KD_RATED)
			rc = kd_tx_insert(tx, KD_T_decision, NULL, "INSERT INTO decision (campaign_id, subject, person_id, rating,"
					  " decided_on, published_on) VALUES ($1, 'member', $2, $3, '2021-11-27', '2021-11-27')"
					  " RETURNING id", "iit", campaign, cc.person_ids[i], kd_rating_code(res.members[i].final));
	if (rc == KD_OK && cc.cell.collective && res.collective.status == KD_RATED)
		rc = kd_tx_insert(tx, KD_T_decision, NULL, "INSERT INTO decision (campaign_id, subject, rating, decided_on,"
				  " published_on) VALUES ($1, 'collective', $2, '2021-11-27', '2021-11-27') RETURNING id", "it",
				  campaign, kd_rating_code(res.collective.final));
	return rc;
}

int kd_demo_create(struct kd_db *db, struct kd_err *err)
{
	const struct kd_embedded *e = &kd_embedded_examples[0];
	struct kd_arena arena = KD_ARENA_INIT;
	struct kd_cell ex;
	struct kd_tx tx;
	int rc = kd_classify_doc_read(e->data, e->size, NULL, (struct kd_date){ 2021, 11, 27 }, &arena, err, &ex);
	if (rc == KD_OK)
		rc = kd_tx_begin(&tx, db, NULL, "demo", err);
	if (rc == KD_OK) {
		rc = create(&tx, &ex, &arena);
		if (rc == KD_OK)
			rc = decide(&tx, &arena);
		static const char *const counting[] = { KD_DEMO_COUNTING_1, KD_DEMO_COUNTING_2 };
		if (rc == KD_OK)
			rc = kd_account_demo(&tx, KD_DEMO_PASSWORD_PREFIX, KD_DEMO_UPPER_LOGIN, counting,
					     KD_ARRAY_LEN(counting));
		rc = rc == KD_OK ? kd_tx_commit(&tx) : (kd_tx_abort(&tx), rc);
	}
	kd_arena_release(&arena);
	return rc;
}

int kd_demo_logins(struct kd_db *db, struct kd_arena *a, struct kd_demo_login **out, size_t *n, struct kd_err *err)
{
	struct kd_account *acc;
	size_t na;
	*out = NULL;
	*n = 0;
	int rc = kd_account_list(db, a, &acc, &na, err);
	if (rc != KD_OK)
		return rc;
	*out = kd_arena_calloc(a, na ? na : 1, sizeof(**out));
	for (size_t i = 0; i < na; i++) {
		struct strbuf roles = STRBUF_INIT, pw = STRBUF_INIT;
		const char *role = NULL, *cr = NULL;
		bool leader = false;
		struct kd_stmt *st;
		if (acc[i].person_id) {
			rc = kd_db_stmt(db, "SELECT committee_role, group_leader FROM person WHERE id = $1", &st, err);
			if (rc != KD_OK)
				return rc;
			kd_stmt_int(st, 1, acc[i].person_id);
			if ((rc = kd_stmt_step(st, err)) == 1) {
				cr = kd_stmt_col_dup(st, 0, a);
				leader = kd_stmt_col_int(st, 1) != 0;
				kd_stmt_done(st);
			} else if (rc < 0) {
				return rc;
			}
		}
		if (cr)
			role = !strcmp(cr, "bi_thu") ? "Bí thư" : !strcmp(cr, "pho_bi_thu") ? "Phó Bí thư" : "Chi ủy viên";
		if (role)
			strbuf_addstr(&roles, role);
		if (leader)
			strbuf_addf(&roles, "%sTổ trưởng", roles.len ? ", " : "");
		if (acc[i].counting)
			strbuf_addf(&roles, "%sBan kiểm phiếu", roles.len ? ", " : "");
		if (acc[i].upper)
			strbuf_addf(&roles, "%sCấp trên", roles.len ? ", " : "");
		if (!roles.len)
			strbuf_addstr(&roles, "Đảng viên");
		strbuf_addf(&pw, "%s%s", KD_DEMO_PASSWORD_PREFIX, acc[i].login);
		(*out)[*n] = (struct kd_demo_login){ acc[i].login, kd_arena_strdup(a, pw.buf), acc[i].full_name,
						      kd_arena_strdup(a, roles.buf) };
		++*n;
		strbuf_release(&roles);
		strbuf_release(&pw);
	}
	return KD_OK;
}
