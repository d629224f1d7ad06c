#include "store/check.h"
#include "store/cell_load.h"

KD_PRINTF(5, 6) static void add(struct kd_findings *f, struct kd_arena *arena, const char *clause,
				const char *subject, const char *fmt, ...)
{
	f->items = kd_arena_grow(arena, f->items, f->n, &f->cap, sizeof(*f->items));
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	f->items[f->n++] = (struct kd_finding){ clause, kd_arena_strdup(arena, subject),
						kd_arena_strndup(arena, sb.buf, sb.len), NULL };
	strbuf_release(&sb);
}

KD_PRINTF(3, 4) static void fix(struct kd_findings *f, struct kd_arena *arena, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	f->items[f->n - 1].fix = kd_arena_strndup(arena, sb.buf, sb.len);
	strbuf_release(&sb);
}

int kd_calendar_load(struct kd_db *db, struct kd_arena *arena, struct kd_calendar *cal, struct kd_err *err)
{
	long long n = 0;
	memset(cal, 0, sizeof(*cal));
	int rc = kd_db_run(db, err, &n, "SELECT count(*) FROM calendar_exception", "");
	if (rc != KD_OK || !n)
		return rc;
	struct kd_cal_exception *ex = kd_arena_calloc(arena, (size_t)n, sizeof(*ex));
	struct kd_stmt *st;
	rc = kd_db_stmt(db, "SELECT day, working, name FROM calendar_exception ORDER BY day", &st, err);
	size_t k = 0;
	while (rc == KD_OK && k < (size_t)n && (rc = kd_stmt_step(st, err)) == 1) {
		const char *day = kd_stmt_col_text(st, 0);
		rc = KD_OK;
		if (!kd_date_parse(day, strlen(day), &ex[k].date))
			continue;
		ex[k].working = kd_stmt_col_int(st, 1) != 0;
		ex[k++].name = kd_arena_strdup(arena, kd_stmt_col_text(st, 2));
	}
	if (rc == 1)
		kd_stmt_done(st);
	cal->exceptions = ex;
	cal->n_exceptions = k;
	return rc < 0 ? rc : KD_OK;
}

/* Reviews (KH V.4 Bước 1, V.1.2), residence comments (V.2.3, QĐ 213) and
 * civil-servant ratings (V.4 Bước 2, V.5.2), person by person. */
static int check_people(struct kd_db *db, long long campaign, const struct kd_calendar *cal,
			struct kd_arena *arena, struct kd_findings *out, struct kd_err *err)
{
	struct kd_stmt *st;
	int rc = kd_db_stmt(db,
		"SELECT p.code, p.full_name, r.status, r.submitted_on,"
		" (SELECT count(*) FROM review_level l WHERE l.review_id = r.id), r.self_rating,"
		" rc.received, p.civil_servant,"
		" (SELECT count(*) FROM fact f WHERE f.campaign_id = c.id AND f.subject = 'member'"
		"  AND f.person_id = p.id AND f.key = 'civil_servant_rating' AND f.value <> 'null'),"
		" coalesce((SELECT min(m.scheduled_on) FROM meeting m WHERE m.campaign_id = c.id AND m.org_id = p.group_id),"
		"  (SELECT min(m.scheduled_on) FROM meeting m JOIN org o ON o.id = m.org_id"
		"   WHERE m.campaign_id = c.id AND o.kind = 'cell')),"
		" p.official_on, c.as_of"
		" FROM person p JOIN campaign c ON c.cell_id = p.cell_id"
		" LEFT JOIN review r ON r.campaign_id = c.id AND r.person_id = p.id"
		" LEFT JOIN residence_comment rc ON rc.campaign_id = c.id AND rc.person_id = p.id"
		" WHERE c.id = $1 AND p.active = 1"
		" ORDER BY p.given_name COLLATE vi, p.middle_name COLLATE vi, p.family_name COLLATE vi", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, campaign);
	char b1[11], b2[11];
	while ((rc = kd_stmt_step(st, err)) == 1) {
		const char *code = kd_stmt_col_text(st, 0), *name = kd_stmt_col_text(st, 1);
		const char *status = kd_stmt_col_text(st, 2);
		struct kd_date meeting, submitted, deadline;
		bool has_meeting = kd_stmt_col_date(st, 9, &meeting);
		if (has_meeting)
			deadline = kd_calendar_deadline(cal, meeting, 3);
		if (!status || strcmp(status, "submitted")) {
			if (has_meeting)
				add(out, arena, "KH V.4 Bước 1", code, "%s chưa nộp bản kiểm điểm cá nhân (Mẫu 02); hạn %s,"
				    " trước ngày họp %s ít nhất 03 ngày làm việc", name, kd_date_vn(deadline, b1),
				    kd_date_vn(meeting, b2));
			else
				add(out, arena, "KH V.4 Bước 1", code, "%s chưa nộp bản kiểm điểm cá nhân (Mẫu 02)", name);
			fix(out, arena, "kiemdiem review submit %s --on NGÀY", code);
		} else if (has_meeting && kd_stmt_col_date(st, 3, &submitted) && kd_date_cmp(submitted, deadline) > 0) {
			long late = kd_calendar_working_days(cal, kd_calendar_add_working_days(cal, deadline, 1), submitted);
			add(out, arena, "KH V.4 Bước 1", code, "%s nộp bản kiểm điểm ngày %s, muộn %ld ngày làm việc so với hạn %s"
			    " (trước ngày họp %s ít nhất 03 ngày làm việc)", name, kd_date_vn(submitted, b1), late,
			    kd_date_vn(deadline, b2), kd_date_vn(meeting, (char[11]){ 0 }));
		}
		if (status && kd_stmt_col_int(st, 4) == 0)
			add(out, arena, "KH V.4 Bước 1", code, "%s chưa tự đánh giá cấp độ các tiêu chí", name);
		if (status && kd_stmt_col_null(st, 5))
			add(out, arena, "KH V.4 Bước 1", code, "%s chưa tự xếp loại chất lượng", name);
		if (kd_stmt_col_null(st, 6) || !kd_stmt_col_int(st, 6)) {
			add(out, arena, "KH V.2.3; QĐ 213-QĐ/TW", code, "Chưa nhận được nhận xét của chi ủy nơi cư trú đối với %s", name);
			fix(out, arena, "kiemdiem residence set %s --received --on NGÀY --summary ...", code);
		}
		if (kd_stmt_col_int(st, 7) && !kd_stmt_col_int(st, 8)) {
			add(out, arena, "KH V.4 Bước 2; V.5.2", code, "%s là cán bộ, công chức, viên chức nhưng chưa có kết quả"
			    " xếp loại cán bộ, công chức, viên chức năm nay; đảng viên được xếp loại sau khi có kết quả này", name);
			fix(out, arena, "kiemdiem fact set %s civil_servant_rating=MỨC", code);
		}
	}
	return rc < 0 ? rc : KD_OK;
}

/* The collective report (KH V.1.1): comments collected and answered, the
 * final version sent at least 3 working days before the cell meeting. */
static int check_report(struct kd_db *db, long long campaign, const struct kd_calendar *cal,
			struct kd_arena *arena, struct kd_findings *out, struct kd_err *err)
{
	long long n = 0, upper = 0, unanswered = 0, finals = 0;
	int rc = kd_db_run(db, err, &n, "SELECT count(*) FROM collective_report WHERE campaign_id = $1", "i", campaign);
	if (rc == KD_OK)
		rc = kd_db_run(db, err, &finals, "SELECT count(*) FROM collective_report WHERE campaign_id = $1"
			       " AND status = 'final'", "i", campaign);
	if (rc == KD_OK)
		rc = kd_db_run(db, err, &upper, "SELECT count(*) FROM report_comment WHERE campaign_id = $1"
			       " AND source = 'upper'", "i", campaign);
	if (rc == KD_OK)
		rc = kd_db_run(db, err, &unanswered, "SELECT count(*) FROM report_comment WHERE campaign_id = $1"
			       " AND answer IS NULL", "i", campaign);
	if (rc != KD_OK)
		return rc;
	if (!n)
		add(out, arena, "KH V.1.1", "collective", "Chưa có dự thảo báo cáo kiểm điểm tập thể (Mẫu 01)");
	if (!upper)
		add(out, arena, "KH V.1.1", "collective", "Chưa lấy ý kiến góp ý của đồng chí Ủy viên Ban Thường vụ cấp trên"
		    " phụ trách cơ sở vào dự thảo báo cáo kiểm điểm tập thể");
	if (unanswered)
		add(out, arena, "KH V.1.1", "collective", "Còn %lld ý kiến góp ý vào báo cáo kiểm điểm tập thể chưa được giải trình,"
		    " tiếp thu", unanswered);
	if (n && !finals)
		add(out, arena, "KH V.1.1", "collective", "Chưa hoàn thiện báo cáo kiểm điểm tập thể gửi hội nghị chi bộ");
	struct kd_stmt *st;
	rc = kd_db_stmt(db, "SELECT r.sent_on, (SELECT min(m.scheduled_on) FROM meeting m JOIN org o ON o.id = m.org_id"
			" WHERE m.campaign_id = r.campaign_id AND o.kind = 'cell') FROM collective_report r"
			" WHERE r.campaign_id = $1 AND r.status = 'final' ORDER BY r.version DESC LIMIT 1", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, campaign);
	if ((rc = kd_stmt_step(st, err)) == 1) {
		struct kd_date sent, meeting;
		char b1[11], b2[11], b3[11];
		if (kd_stmt_col_date(st, 1, &meeting)) {
			struct kd_date deadline = kd_calendar_deadline(cal, meeting, 3);
			if (!kd_stmt_col_date(st, 0, &sent))
				add(out, arena, "KH V.1.1", "collective", "Báo cáo kiểm điểm tập thể chưa gửi đến thành phần dự họp;"
				    " hạn %s (trước ngày họp %s ít nhất 03 ngày làm việc)", kd_date_vn(deadline, b1), kd_date_vn(meeting, b2));
			else if (kd_date_cmp(sent, deadline) > 0)
				add(out, arena, "KH V.1.1", "collective", "Báo cáo kiểm điểm tập thể gửi ngày %s, sau hạn %s"
				    " (trước ngày họp %s ít nhất 03 ngày làm việc)", kd_date_vn(sent, b1), kd_date_vn(deadline, b2),
				    kd_date_vn(meeting, b3));
		}
		kd_stmt_done(st);
		rc = KD_OK;
	}
	return rc < 0 ? rc : KD_OK;
}

/* Meetings: every group meets, before the cell (KH V.5.2 "cấp dưới trước",
 * VI.2); the cell meeting's agenda starts with the collective, then the
 * head, deputies and members (V.2.3); tallies reconcile (V.4 Bước 2). */
static int check_meetings(struct kd_db *db, long long campaign, struct kd_arena *arena,
			  struct kd_findings *out, struct kd_err *err)
{
	struct kd_stmt *st;
	int rc = kd_db_stmt(db, "SELECT g.code, g.name, (SELECT min(m.scheduled_on) FROM meeting m"
			    " WHERE m.campaign_id = c.id AND m.org_id = g.id),"
			    " (SELECT min(m.scheduled_on) FROM meeting m JOIN org o ON o.id = m.org_id"
			    "  WHERE m.campaign_id = c.id AND o.kind = 'cell')"
			    " FROM campaign c JOIN org g ON g.parent_id = c.cell_id AND g.kind = 'group'"
			    " WHERE c.id = $1 ORDER BY g.position, g.code", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, campaign);
	char b1[11], b2[11];
	while ((rc = kd_stmt_step(st, err)) == 1) {
		const char *code = kd_stmt_col_text(st, 0), *name = kd_stmt_col_text(st, 1);
		struct kd_date g, c;
		bool has_g = kd_stmt_col_date(st, 2, &g), has_c = kd_stmt_col_date(st, 3, &c);
		if (!has_g) {
			add(out, arena, "KH VI.1", code, "%s chưa có lịch họp tổ đảng", name);
			fix(out, arena, "kiemdiem meeting add %s --on NGÀY", code);
		} else if (has_c && kd_date_cmp(g, c) >= 0) {
			add(out, arena, "KH V.5.2; VI.2", code, "%s họp ngày %s, không trước hội nghị chi bộ (%s): tổ đảng phải"
			    " kiểm điểm trước, chi bộ sau", name, kd_date_vn(g, b1), kd_date_vn(c, b2));
		}
	}
	if (rc < 0)
		return rc;
	long long cells = 0;
	rc = kd_db_run(db, err, &cells, "SELECT count(*) FROM meeting m JOIN org o ON o.id = m.org_id"
		       " WHERE m.campaign_id = $1 AND o.kind = 'cell'", "i", campaign);
	if (rc != KD_OK)
		return rc;
	if (!cells) {
		add(out, arena, "KH VI.2", "cell", "Chưa có lịch hội nghị chi bộ kiểm điểm, đánh giá, xếp loại");
		fix(out, arena, "kiemdiem meeting add %s --on NGÀY", "cell");
	}

	/* Agenda order at every meeting: rank 0 collective, 1 head, 2 deputy,
	 * 3 committee, 4 others; positions must not go down in rank. */
	rc = kd_db_stmt(db, "SELECT a.meeting_id, a.position, CASE WHEN a.subject = 'collective' THEN 0"
			" WHEN p.committee_role = 'bi_thu' THEN 1 WHEN p.committee_role = 'pho_bi_thu' THEN 2"
			" WHEN p.committee_role = 'chi_uy_vien' THEN 3 ELSE 4 END, coalesce(p.code, 'collective')"
			" FROM agenda_item a JOIN meeting m ON m.id = a.meeting_id JOIN org o ON o.id = m.org_id"
			" LEFT JOIN person p ON p.id = a.person_id WHERE m.campaign_id = $1 AND o.kind = 'cell'"
			" ORDER BY a.meeting_id, a.position", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, campaign);
	long long last_meeting = 0, last_rank = 0;
	while ((rc = kd_stmt_step(st, err)) == 1) {
		long long m = kd_stmt_col_int(st, 0), rank = kd_stmt_col_int(st, 2);
		if (m != last_meeting)
			last_meeting = m, last_rank = 0;
		if (rank < last_rank)
			add(out, arena, "KH V.2.3", kd_stmt_col_text(st, 3), "Thứ tự kiểm điểm tại hội nghị chi bộ (cuộc họp %lld,"
			    " mục %lld) sai: tập thể trước, cá nhân sau; người đứng đầu trước, cấp phó và các thành viên sau",
			    m, kd_stmt_col_int(st, 1));
		if (rank > last_rank)
			last_rank = rank;
	}
	if (rc < 0)
		return rc;
	rc = kd_db_stmt(db, "SELECT coalesce(p.code, 'collective'), t.round, t.issued, t.invalid, t.unused,"
			" t.htxsnv + t.httnv + t.htnv + t.khtnv FROM tally t JOIN meeting m ON m.id = t.meeting_id"
			" LEFT JOIN person p ON p.id = t.person_id WHERE m.campaign_id = $1 AND t.issued IS NOT NULL"
			" AND t.issued <> t.htxsnv + t.httnv + t.htnv + t.khtnv + coalesce(t.invalid, 0) + coalesce(t.unused, 0)",
			&st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, campaign);
	while ((rc = kd_stmt_step(st, err)) == 1)
		add(out, arena, "KH V.4 Bước 2", kd_stmt_col_text(st, 0), "Phiếu biểu quyết vòng %lld không khớp: phát ra %lld,"
		    " hợp lệ %lld, không hợp lệ %lld, không dùng %lld", kd_stmt_col_int(st, 1), kd_stmt_col_int(st, 2),
		    kd_stmt_col_int(st, 5), kd_stmt_col_int(st, 3), kd_stmt_col_int(st, 4));
	return rc < 0 ? rc : KD_OK;
}

/* The engine over the stored data: votes to repeat, quota, constraints,
 * and decisions that the rules do not give (RULES V, Q-1, K-1..K-3). */
static int check_rules(struct kd_db *db, long long campaign, struct kd_arena *arena,
		       struct kd_findings *out, struct kd_err *err)
{
	struct kd_campaign_cell cc;
	struct kd_err ignored = KD_ERR_INIT;
	int rc = kd_campaign_load(db, campaign, true, arena, &cc, &ignored);
	if (rc != KD_OK) {
		add(out, arena, "RULES", "campaign", "Chưa thể áp dụng tiêu chuẩn xếp loại: %s",
		    ignored.lines.len ? ignored.lines.buf : "dữ liệu chưa đủ");
		kd_err_release(&ignored);
		return KD_OK;
	}
	kd_err_release(&ignored);
	struct kd_result res;
	kd_classify(&cc.cell, &res, arena);
	for (size_t i = 0; i < cc.cell.n_members; i++) {
		const struct kd_verdict *v = &res.members[i];
		const struct kd_member *m = &cc.cell.members[i];
		if (v->status != KD_UNDECIDED)
			continue;
		add(out, arena, v->q1 == KD_Q1_UNDECIDED ? "RULES Q-1" : "RULES V-1", m->s.id,
		    "%s phải biểu quyết lại: %s", m->s.name, v->q1 == KD_Q1_UNDECIDED
		    ? "bằng phiếu ở ranh giới tỷ lệ 20% (hoặc có người chưa có phiếu)" : "chưa mức nào đạt quá nửa số phiếu");
		fix(out, arena, "kiemdiem vote record CUỘC_HỌP %s --round 2 ...", m->s.id);
	}
	struct strbuf msg = STRBUF_INIT;
	for (size_t k = 0; k < res.n_violations; k++) {
		const struct kd_violation *vi = &res.violations[k];
		strbuf_reset(&msg);
		kd_explain_violation(&cc.cell, &res, vi, &msg);
		add(out, arena, vi->clause == KD_FIX_K1 ? "KH V.5.2; RULES K-1" : vi->clause == KD_FIX_K2
		    ? "KH V.5.2; RULES K-2" : "KH V.5.2; RULES K-3",
		    vi->clause == KD_FIX_K2 ? "collective" : vi->clause == KD_FIX_K1 ? cc.cell.leaders[vi->leader].s.id
		    : cc.cell.members[vi->member].s.id, "%s", msg.buf);
	}
	strbuf_release(&msg);

	/* Current decisions against the quota and against the engine. */
	struct kd_stmt *st;
	long long base = 0, top = 0;
	rc = kd_db_run(db, err, &base, "SELECT count(*) FROM decision WHERE campaign_id = $1 AND subject = 'member'"
		       " AND annulled_on IS NULL AND rating IN ('HTXSNV','HTTNV')", "i", campaign);
	if (rc == KD_OK)
		rc = kd_db_run(db, err, &top, "SELECT count(*) FROM decision WHERE campaign_id = $1 AND subject = 'member'"
			       " AND annulled_on IS NULL AND rating = 'HTXSNV'", "i", campaign);
	if (rc != KD_OK)
		return rc;
	long long cap = base * cc.cell.rs->quota_pct / 100;
	if (top > cap)
		add(out, arena, "KH IV.2.1.2 a); RULES Q-1", "decisions", "Quyết định %lld đảng viên Hoàn thành xuất sắc nhiệm vụ,"
		    " vượt tỷ lệ %d%% của %lld đảng viên Hoàn thành tốt nhiệm vụ trở lên (tối đa %lld)", top,
		    cc.cell.rs->quota_pct, base, cap);
	rc = kd_db_stmt(db, "SELECT p.code, p.full_name, d.rating FROM decision d JOIN person p ON p.id = d.person_id"
			" WHERE d.campaign_id = $1 AND d.subject = 'member' AND d.annulled_on IS NULL ORDER BY p.code", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, campaign);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		const char *code = kd_stmt_col_text(st, 0), *rating = kd_stmt_col_text(st, 2);
		int r = kd_rating_parse(rating, strlen(rating));
		for (size_t i = 0; i < cc.cell.n_members; i++)
			if (!strcmp(cc.cell.members[i].s.id, code) && res.members[i].status == KD_RATED &&
			    r > res.members[i].ceiling)
				add(out, arena, "KH V.5.3; RULES V-2", code, "%s được quyết định %s, cao hơn mức tiêu chuẩn cho phép (%s):"
				    " cần hủy và xếp loại lại", kd_stmt_col_text(st, 1), kd_rating_name(r),
				    kd_rating_name(res.members[i].ceiling));
	}
	return rc < 0 ? rc : KD_OK;
}

int kd_check_campaign(struct kd_db *db, long long campaign, struct kd_arena *arena,
		      struct kd_findings *out, struct kd_err *err)
{
	struct kd_calendar cal;
	int rc = kd_calendar_load(db, arena, &cal, err);
	if (rc == KD_OK)
		rc = check_people(db, campaign, &cal, arena, out, err);
	if (rc == KD_OK)
		rc = check_report(db, campaign, &cal, arena, out, err);
	if (rc == KD_OK)
		rc = check_meetings(db, campaign, arena, out, err);
	if (rc == KD_OK)
		rc = check_rules(db, campaign, arena, out, err);
	return rc;
}
