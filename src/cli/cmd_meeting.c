/* cmd_meeting.c: `kiemdiem meeting ...`, the review meetings of the cell
 * and of its party groups (plan V.2, VI.1): who attends, the agenda in the
 * plan's order, comments and conclusions, minutes, and what was held. */
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/run.h"
#include "store/lookup.h"
#include "store/meeting.h"
#include "text/text.h"

static const char usage[] =
	"Cách dùng: kiemdiem meeting add (MÃ_TỔ|cell) --on NGÀY [--full-day] [--place NƠI] [--chair NGƯỜI] [--year NĂM]\n"
	"           kiemdiem meeting list [--year NĂM]\n"
	"           kiemdiem meeting show ID\n"
	"           kiemdiem meeting attend ID NGƯỜI... [--absent --reason LÝ_DO]\n"
	"           kiemdiem meeting agenda ID [--subject (NGƯỜI|collective) --position N]\n"
	"           kiemdiem meeting comment ID (NGƯỜI|collective) [--comments Ý_KIẾN] [--conclusion KẾT_LUẬN]\n"
	"           kiemdiem meeting minutes ID (--file TỆP | --text NỘI_DUNG)\n"
	"           kiemdiem meeting held ID --on NGÀY\n"
	"(mọi lệnh nhận thêm --db FILE)\n\n"
	"add: tạo cuộc họp kiểm điểm của chi bộ (cell) hoặc của một tổ đảng, in ra số ID.\n"
	"attend: ghi có mặt (mặc định) hoặc vắng mặt có lý do.\n"
	"agenda: lập chương trình theo trình tự của kế hoạch (V.2.3): tập thể trước (chỉ ở\n"
	"  hội nghị chi bộ), rồi bí thư, phó bí thư, chi ủy viên, các đảng viên theo thứ tự\n"
	"  tên; ở tổ đảng: tổ trưởng trước. --subject/--position: đổi vị trí bằng tay.\n"
	"comment: ghi ý kiến góp ý và kết luận của người chủ trì cho một mục.\n"
	"minutes: ghi biên bản; held: ghi ngày đã họp.\n"
	"NGÀY viết YYYY-MM-DD; NGƯỜI là mã đảng viên (dv07).\n";

/* Open the database and load meeting `id_text` into *m. */
static int open_meeting(struct run *c, const char *id_text, struct kd_meeting *m)
{
	long long id;
	int rc = kd_meeting_id_parse(c->cmd, id_text, &id, &c->err);
	if (rc != KD_OK)
		return rc;
	rc = cli_db_open(c->target, false, &c->db, &c->err);
	if (rc == KD_OK)
		rc = kd_meeting_get(c->db, id, &c->arena, m, &c->err);
	return rc;
}

static void print_person(const struct kd_meeting_person *p, bool is_cell)
{
	const char *t = kd_meeting_role_title(p, is_cell);
	printf("%s (%s)%s%s", p->full_name, p->code, t ? ", " : "", t ? t : "");
}

/* ------------------------------------------------------------ add, list */

static int meeting_add(struct run *c, int argc, char **argv)
{
	struct kd_date on = { 0, 0, 0 };
	bool on_set = false, full_day = false;
	const char *place = NULL, *chair = NULL;
	long long year = 0;
	const struct cli_opt opts[] = {
		{ "--on", CLI_DATE, &on, &on_set, "the meeting's date YYYY-MM-DD" },
		{ "--full-day", CLI_FLAG, &full_day, NULL, NULL },
		{ "--place", CLI_TEXT, &place, NULL, "where the meeting is held" },
		{ "--chair", CLI_TEXT, &chair, NULL, "a person's code" },
		{ "--year", CLI_INT, &year, NULL, "the campaign's year" },
	};
	const char *pos[1];
	int npos, code;
	if (!run_parse(c, argc, argv, opts, KD_ARRAY_LEN(opts), pos, 1, &npos, usage, &code))
		return code;
	if (npos != 1)
		return run_usage(c, "missing the party group; expected a group code or \"cell\"");
	if (!on_set)
		return run_usage(c, "--on: missing; expected the meeting's date YYYY-MM-DD");
	if (place && !*place)
		return run_usage(c, "--place: empty; expected where the meeting is held");
	int rc = cli_db_open(c->target, false, &c->db, &c->err);
	long long campaign = 0, org = 0;
	struct kd_subject_ref ch = { 0, NULL };
	if (rc == KD_OK)
		rc = kd_lookup_campaign(c->db, year, &campaign, &c->err);
	if (rc == KD_OK)
		rc = !strcmp(pos[0], "cell") ? kd_lookup_cell(c->db, &org, &c->err)
					     : kd_lookup_group(c->db, pos[0], &org, &c->err);
	if (rc == KD_OK && chair)
		rc = kd_lookup_person(c->db, chair, &ch.person_id, &c->err);
	ch.code = chair;
	long long id = 0;
	if (rc == KD_OK) {
		struct kd_tx tx;
		char d[11];
		rc = kd_tx_begin(&tx, c->db, NULL, run_action(c, "%s %s", pos[0], kd_date_iso(on, d)), &c->err);
		if (rc == KD_OK)
			rc = kd_tx_finish(&tx, kd_meeting_add(&tx, campaign, org, on, full_day, place, chair ? &ch : NULL, &id));
	}
	if (rc == KD_OK)
		printf("%lld\n", id);
	return run_finish(c, rc);
}

static int meeting_list(struct run *c, int argc, char **argv)
{
	long long year = 0;
	const struct cli_opt opts[] = {
		{ "--year", CLI_INT, &year, NULL, "a campaign's year" },
	};
	const char *pos[1];
	int npos, code;
	if (!run_parse(c, argc, argv, opts, KD_ARRAY_LEN(opts), pos, 0, &npos, usage, &code))
		return code;
	struct kd_meeting *ms;
	size_t n = 0;
	int rc = cli_db_open(c->target, false, &c->db, &c->err);
	if (rc == KD_OK)
		rc = kd_meeting_list(c->db, year, &c->arena, &ms, &n, &c->err);
	if (rc == KD_OK && !n)
		printf("Chưa có cuộc họp nào (kiemdiem meeting add).\n");
	for (size_t i = 0; rc == KD_OK && i < n; i++) {
		char d1[11], d2[11];
		printf("%lld  %s  %s (%s)  %s", ms[i].id, kd_date_vn(ms[i].scheduled_on, d1), ms[i].org_name,
		       ms[i].is_cell ? "chi bộ" : ms[i].org_code, ms[i].full_day ? "cả ngày" : "nửa ngày");
		if (ms[i].held)
			printf("  đã họp %s", kd_date_vn(ms[i].held_on, d2));
		else
			printf("  chưa họp");
		if (ms[i].place)
			printf("  tại %s", ms[i].place);
		if (ms[i].chair_id)
			printf("  chủ trì: %s (%s)", ms[i].chair_name, ms[i].chair_code);
		printf("\n");
	}
	return run_finish(c, rc);
}

/* ------------------------------------------------------------ show */

static const char *subject_label(long long person_id, const char *full_name, const char *code, char *buf,
				 size_t size)
{
	if (!person_id)
		return "Tập thể chi bộ";
	snprintf(buf, size, "%s (%s)", full_name, code);
	return buf;
}

static void print_tally(const struct kd_tally *t, const char *indent)
{
	long long valid = 0;
	for (int r = 0; r < KD_RATING_COUNT; r++)
		valid += t->votes[r];
	printf("%sBiểu quyết vòng %lld (%s): %lld người biểu quyết; HTXSNV %lld, HTTNV %lld, HTNV %lld, KHTNV %lld"
	       " (%lld phiếu hợp lệ", indent, t->round, t->electronic ? "điện tử" : "phiếu kín", t->voters,
	       t->votes[KD_HTXSNV], t->votes[KD_HTTNV], t->votes[KD_HTNV], t->votes[KD_KHTNV], valid);
	if (t->paper_counts)
		printf("; phát ra %lld, không hợp lệ %lld, không sử dụng %lld", t->issued, t->invalid, t->unused);
	int v = kd_tally_voted(t);
	if (v == KD_NONE)
		printf(") → chưa mức nào quá nửa số người biểu quyết: biểu quyết lại\n");
	else
		printf(") → %s\n", kd_rating_name(v));
}

static void print_decisions(const struct kd_decision *ds, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct kd_decision *d = &ds[i];
		char buf[512], d1[11], d2[11];
		printf("  [%lld] %s: %s (%s), quyết định %s", d->id,
		       subject_label(d->person_id, d->full_name, d->code, buf, sizeof(buf)), kd_rating_name(d->rating),
		       kd_rating_code(d->rating), kd_date_vn(d->decided_on, d1));
		if (d->replaces_id)
			printf(", thay quyết định %lld", d->replaces_id);
		if (d->published)
			printf(", công khai %s", kd_date_vn(d->published_on, d2));
		else if (!d->annulled)
			printf(", chưa công khai");
		if (d->annulled)
			printf("; ĐÃ HỦY %s: %s", kd_date_vn(d->annulled_on, d2), d->annul_reason ? d->annul_reason : "");
		printf("\n");
	}
}

static int meeting_show(struct run *c, int argc, char **argv)
{
	const char *pos[1];
	int npos, code;
	if (!run_parse(c, argc, argv, NULL, 0, pos, 1, &npos, usage, &code))
		return code;
	if (npos != 1)
		return run_usage(c, "missing the meeting id; expected a number listed by kiemdiem meeting list");
	struct kd_meeting m;
	struct kd_meeting_person *people = NULL;
	struct kd_agenda_item *items = NULL;
	struct kd_tally *tallies = NULL;
	struct kd_decision *ds = NULL;
	size_t np = 0, ni = 0, nt = 0, nd = 0;
	int rc = open_meeting(c, pos[0], &m);
	if (rc == KD_OK)
		rc = kd_meeting_people(c->db, &m, &c->arena, &people, &np, &c->err);
	if (rc == KD_OK)
		rc = kd_agenda_list(c->db, m.id, &c->arena, &items, &ni, &c->err);
	if (rc == KD_OK)
		rc = kd_tally_list(c->db, m.id, &c->arena, &tallies, &nt, &c->err);
	if (rc == KD_OK && m.is_cell)
		rc = kd_decision_list(c->db, m.campaign_id, &c->arena, &ds, &nd, &c->err);
	if (rc != KD_OK)
		return run_finish(c, rc);

	char d1[11], d2[11];
	printf("Cuộc họp %lld: %s (%s), kiểm điểm năm %lld\n", m.id, m.org_name, m.is_cell ? "hội nghị chi bộ" : m.org_code,
	       m.year);
	printf("Ngày họp dự kiến: %s (%s)\n", kd_date_vn(m.scheduled_on, d1), m.full_day ? "cả ngày" : "nửa ngày");
	printf("Đã họp: %s\n", m.held ? kd_date_vn(m.held_on, d2) : "chưa");
	if (m.place)
		printf("Địa điểm: %s\n", m.place);
	const struct kd_meeting_person *chair = kd_meeting_chair(&m, people, np, 0);
	if (chair) {
		printf("Chủ trì: ");
		print_person(chair, m.is_cell);
		printf("%s\n", chair->id == m.chair_id ? "" : " (người giữ chức vụ cao nhất có mặt, V.2.3)");
	} else if (m.chair_id) {
		printf("Chủ trì: %s (%s)\n", m.chair_name, m.chair_code);
	} else {
		printf("Chủ trì: chưa xác định (chưa điểm danh)\n");
	}

	long long convened = 0, present = 0, absent = 0, official = 0;
	for (size_t i = 0; i < np; i++) {
		if (!people[i].member)
			continue;
		convened++;
		official += people[i].official;
		present += people[i].attendance == 1;
		absent += people[i].attendance == 0;
	}
	printf("\nThành phần: %lld đảng viên được triệu tập (%lld chính thức, được biểu quyết; %lld dự bị);"
	       " %lld có mặt, %lld vắng, %lld chưa điểm danh\n", convened, official, convened - official, present, absent,
	       convened - present - absent);
	for (size_t i = 0; i < np; i++) {
		const struct kd_meeting_person *p = &people[i];
		printf("  ");
		print_person(p, m.is_cell);
		if (!p->member)
			printf(" [dự họp, không thuộc %s]", m.org_name);
		else if (!p->official)
			printf(" [dự bị]");
		if (p->attendance == 1)
			printf(": có mặt\n");
		else if (p->attendance == 0)
			printf(": vắng%s%s\n", p->reason ? " — " : "", p->reason ? p->reason : "");
		else
			printf(": chưa điểm danh\n");
	}

	printf("\nChương trình (V.2.3):\n");
	if (!ni)
		printf("  chưa lập (kiemdiem meeting agenda %lld)\n", m.id);
	for (size_t i = 0; i < ni; i++) {
		const struct kd_agenda_item *it = &items[i];
		char buf[512];
		printf("%3d. %s", it->position, subject_label(it->person_id, it->full_name, it->code, buf, sizeof(buf)));
		for (size_t k = 0; k < np; k++)
			if (people[k].id == it->person_id) {
				const char *t = kd_meeting_role_title(&people[k], m.is_cell);
				if (t)
					printf(", %s", t);
				/* V.2.3: "khi kiểm điểm người chủ trì thì phân công
				 * người có chức vụ liền kề chủ trì". */
				if (chair && chair->id == it->person_id) {
					const struct kd_meeting_person *next = kd_meeting_chair(&m, people, np, chair->id);
					if (next)
						printf(" (chủ trì phần này: %s)", next->full_name);
				}
			}
		printf("\n");
		if (it->comments)
			printf("     Ý kiến góp ý: %s\n", it->comments);
		if (it->conclusion)
			printf("     Kết luận: %s\n", it->conclusion);
		for (size_t k = 0; k < nt; k++)
			if (tallies[k].person_id == it->person_id)
				print_tally(&tallies[k], "     ");
	}
	for (size_t k = 0; k < nt; k++) {
		bool listed = false;
		for (size_t i = 0; i < ni; i++)
			listed |= items[i].person_id == tallies[k].person_id;
		if (!listed) {
			char buf[512];
			printf("  %s:\n", subject_label(tallies[k].person_id, tallies[k].full_name, tallies[k].code, buf,
							 sizeof(buf)));
			print_tally(&tallies[k], "     ");
		}
	}
	if (m.is_cell) {
		printf("\nQuyết định xếp loại của chi bộ (V.4 Bước 2, 3; V.5.3):\n");
		if (!nd)
			printf("  chưa có (kiemdiem decide)\n");
		print_decisions(ds, nd);
	}
	printf("\nBiên bản:\n%s%s", m.minutes ? m.minutes : "  chưa có (kiemdiem meeting minutes)",
	       m.minutes && *m.minutes && m.minutes[strlen(m.minutes) - 1] == '\n' ? "" : "\n");
	return run_finish(c, KD_OK);
}

/* ------------------------------------------------------------ attend */

static int meeting_attend(struct run *c, int argc, char **argv)
{
	bool absent = false;
	const char *reason = NULL;
	const struct cli_opt opts[] = {
		{ "--absent", CLI_FLAG, &absent, NULL, NULL },
		{ "--reason", CLI_TEXT, &reason, NULL, "why the person is absent" },
	};
	const char **pos = kd_arena_calloc(&c->arena, (size_t)argc + 1, sizeof(*pos));
	int npos, code;
	if (!run_parse(c, argc, argv, opts, KD_ARRAY_LEN(opts), pos, argc, &npos, usage, &code))
		return code;
	if (npos < 2)
		return run_usage(c, "missing the meeting id or the people; expected ID PERSON...");
	if (absent && (!reason || !*reason))
		return run_usage(c, "--absent: no reason; expected --reason TEXT (the minutes record why)");
	if (!absent && reason)
		return run_usage(c, "--reason: given without --absent; expected --absent --reason TEXT");
	struct kd_meeting m;
	int rc = open_meeting(c, pos[0], &m);
	struct kd_subject_ref *who = kd_arena_calloc(&c->arena, (size_t)npos, sizeof(*who));
	for (int i = 1; rc == KD_OK && i < npos; i++) {
		for (int j = 1; j < i; j++)
			if (!strcmp(pos[i], pos[j]))
				rc = kd_err_add(&c->err, KD_EUSAGE, "%s: %s: given twice; expected each person once", c->cmd,
						pos[i]);
		if (rc == KD_OK)
			rc = kd_lookup_person(c->db, pos[i], &who[i].person_id, &c->err);
		who[i].code = pos[i];
	}
	if (rc == KD_OK) {
		struct kd_tx tx;
		rc = kd_tx_begin(&tx, c->db, NULL, run_action(c, "%lld%s", m.id, absent ? " (vắng)" : ""), &c->err);
		if (rc == KD_OK) {
			for (int i = 1; rc == KD_OK && i < npos; i++)
				rc = kd_meeting_attend(&tx, &m, &who[i], !absent, absent ? reason : NULL);
			rc = kd_tx_finish(&tx, rc);
		}
	}
	if (rc == KD_OK) {
		printf("Đã ghi %d người %s tại cuộc họp %lld (%s).\n", npos - 1, absent ? "vắng mặt" : "có mặt", m.id,
		       m.org_name);
		for (int i = 1; absent && i < npos; i++)
			if (who[i].person_id == m.chair_id)
				printf("Lưu ý: %s là người chủ trì đã định; người giữ chức vụ cao nhất có mặt sẽ chủ trì (V.2.3).\n",
				       who[i].code);
	}
	return run_finish(c, rc);
}

/* ------------------------------------------------------------ agenda */

static void print_agenda(const struct kd_meeting *m, const struct kd_agenda_item *items, size_t n,
			 const struct kd_meeting_person *people, size_t np)
{
	for (size_t i = 0; i < n; i++) {
		char buf[512];
		const char *role = NULL;
		for (size_t k = 0; k < np; k++)
			if (people[k].id == items[i].person_id)
				role = kd_meeting_role_title(&people[k], m->is_cell);
		printf("%3d. %s%s%s\n", items[i].position,
		       subject_label(items[i].person_id, items[i].full_name, items[i].code, buf, sizeof(buf)),
		       role ? ", " : "", role ? role : "");
	}
}

/* Whether the agenda keeps the plan's order (V.2.3): the collective
 * first, then the people by rank. */
static bool in_plan_order(const struct kd_agenda_item *items, size_t ni, const struct kd_meeting_person *p, size_t np)
{
	int last = -1;
	for (size_t i = 0; i < ni; i++) {
		int rank = 5;
		if (!items[i].person_id)
			rank = -1;
		for (size_t k = 0; k < np; k++)
			if (p[k].id == items[i].person_id)
				rank = p[k].agenda_rank;
		if (rank < last)
			return false;
		last = rank;
	}
	return true;
}

static int meeting_agenda(struct run *c, int argc, char **argv)
{
	const char *subject = NULL;
	long long position = 0;
	bool position_set = false;
	const struct cli_opt opts[] = {
		{ "--subject", CLI_TEXT, &subject, NULL, "a person's code or \"collective\"" },
		{ "--position", CLI_INT, &position, &position_set, "a position on the agenda, from 1" },
	};
	const char *pos[1];
	int npos, code;
	if (!run_parse(c, argc, argv, opts, KD_ARRAY_LEN(opts), pos, 1, &npos, usage, &code))
		return code;
	if (npos != 1)
		return run_usage(c, "missing the meeting id; expected a number listed by kiemdiem meeting list");
	if (!subject != !position_set)
		return run_usage(c, "%s: given alone; expected --subject and --position together, or neither",
				   subject ? "--subject" : "--position");
	struct kd_meeting m;
	struct kd_subject_ref s = { 0, NULL };
	int rc = open_meeting(c, pos[0], &m);
	if (rc == KD_OK && subject)
		rc = kd_subject_ref_lookup(c->db, subject, &s, &c->err);
	size_t n = 0;
	if (rc == KD_OK) {
		struct kd_tx tx;
		rc = kd_tx_begin(&tx, c->db, NULL, run_action(c, "%lld%s", m.id, subject ? " (sửa tay)" : ""), &c->err);
		if (rc == KD_OK)
			rc = kd_tx_finish(&tx, subject ? kd_agenda_move(&tx, &m, &s, position) : kd_agenda_build(&tx, &m, &n));
	}
	struct kd_agenda_item *items;
	struct kd_meeting_person *people;
	size_t ni = 0, np = 0;
	if (rc == KD_OK)
		rc = kd_agenda_list(c->db, m.id, &c->arena, &items, &ni, &c->err);
	if (rc == KD_OK)
		rc = kd_meeting_people(c->db, &m, &c->arena, &people, &np, &c->err);
	if (rc == KD_OK) {
		printf("Chương trình cuộc họp %lld (%s):\n", m.id, m.org_name);
		print_agenda(&m, items, ni, people, np);
		if (!in_plan_order(items, ni, people, np))
			printf("Lưu ý: thứ tự này khác trình tự của kế hoạch (V.2.3: tập thể trước, cá nhân sau; người đứng"
			       " đầu trước, cấp phó và các thành viên sau).\n");
	}
	return run_finish(c, rc);
}

/* ------------------------------------------------------------ comment, minutes, held */

static int meeting_comment(struct run *c, int argc, char **argv)
{
	const char *comments = NULL, *conclusion = NULL;
	const struct cli_opt opts[] = {
		{ "--comments", CLI_TEXT, &comments, NULL, "the members' comments" },
		{ "--conclusion", CLI_TEXT, &conclusion, NULL, "the chair's conclusion" },
	};
	const char *pos[2];
	int npos, code;
	if (!run_parse(c, argc, argv, opts, KD_ARRAY_LEN(opts), pos, 2, &npos, usage, &code))
		return code;
	if (npos != 2)
		return run_usage(c, "missing the meeting id or the subject; expected ID (PERSON|collective)");
	if (!comments && !conclusion)
		return run_usage(c, "nothing to record; expected --comments TEXT and/or --conclusion TEXT");
	if ((comments && !*comments) || (conclusion && !*conclusion))
		return run_usage(c, "%s: empty; expected the text to record",
				   comments && !*comments ? "--comments" : "--conclusion");
	struct kd_meeting m;
	struct kd_subject_ref s;
	int rc = open_meeting(c, pos[0], &m);
	if (rc == KD_OK)
		rc = kd_subject_ref_lookup(c->db, pos[1], &s, &c->err);
	if (rc == KD_OK) {
		struct kd_tx tx;
		rc = kd_tx_begin(&tx, c->db, NULL, run_action(c, "%lld %s", m.id, pos[1]), &c->err);
		if (rc == KD_OK)
			rc = kd_tx_finish(&tx, kd_agenda_comment(&tx, &m, &s, comments, conclusion));
	}
	if (rc == KD_OK)
		printf("Đã ghi %s%s%s cho %s tại cuộc họp %lld.\n", comments ? "ý kiến góp ý" : "",
		       comments && conclusion ? " và " : "", conclusion ? "kết luận" : "",
		       s.person_id ? s.code : "tập thể chi bộ", m.id);
	return run_finish(c, rc);
}

static int meeting_minutes(struct run *c, int argc, char **argv)
{
	const char *file = NULL, *text = NULL;
	const struct cli_opt opts[] = {
		{ "--file", CLI_TEXT, &file, NULL, "a UTF-8 text file (- for standard input)" },
		{ "--text", CLI_TEXT, &text, NULL, "the minutes' text" },
	};
	const char *pos[1];
	int npos, code;
	if (!run_parse(c, argc, argv, opts, KD_ARRAY_LEN(opts), pos, 1, &npos, usage, &code))
		return code;
	if (npos != 1)
		return run_usage(c, "missing the meeting id; expected a number listed by kiemdiem meeting list");
	if (!file == !text)
		return run_usage(c, "%s; expected exactly one of --file FILE and --text TEXT",
				   file ? "both --file and --text" : "no --file or --text");
	struct strbuf raw = STRBUF_INIT, nfc = STRBUF_INIT;
	if (file) {
		strbuf_set_max(&raw, 1u << 20);
		int rc = cli_read_file(file, &raw, &c->err);
		if (rc == KD_OK && raw.toobig)
			rc = kd_err_add(&c->err, KD_ETOOBIG, "%s: larger than 1 MiB; expected the minutes of one meeting", file);
		if (rc == KD_OK && kd_text_nfc(raw.buf, raw.len, &nfc) != KD_OK)
			rc = kd_err_add(&c->err, KD_EINPUT, "%s: not UTF-8 text; expected the minutes as UTF-8", file);
		strbuf_release(&raw);
		if (rc != KD_OK) {
			strbuf_release(&nfc);
			return run_finish(c, rc);
		}
		text = kd_arena_strndup(&c->arena, nfc.buf, nfc.len);
		if (strlen(text) != nfc.len) {
			strbuf_release(&nfc);
			return run_finish(c, kd_err_add(&c->err, KD_EINPUT, "%s: holds a NUL byte; expected text", file));
		}
		strbuf_release(&nfc);
	}
	struct kd_meeting m;
	int rc = open_meeting(c, pos[0], &m);
	if (rc == KD_OK) {
		struct kd_tx tx;
		rc = kd_tx_begin(&tx, c->db, NULL, run_action(c, "%lld", m.id), &c->err);
		if (rc == KD_OK)
			rc = kd_tx_finish(&tx, kd_meeting_minutes(&tx, &m, text));
	}
	if (rc == KD_OK)
		printf("Đã ghi biên bản cuộc họp %lld (%zu byte).\n", m.id, strlen(text));
	return run_finish(c, rc);
}

static int meeting_held(struct run *c, int argc, char **argv)
{
	struct kd_date on = { 0, 0, 0 };
	bool on_set = false;
	const struct cli_opt opts[] = {
		{ "--on", CLI_DATE, &on, &on_set, "the day it was held YYYY-MM-DD" },
	};
	const char *pos[1];
	int npos, code;
	if (!run_parse(c, argc, argv, opts, KD_ARRAY_LEN(opts), pos, 1, &npos, usage, &code))
		return code;
	if (npos != 1)
		return run_usage(c, "missing the meeting id; expected a number listed by kiemdiem meeting list");
	if (!on_set)
		return run_usage(c, "--on: missing; expected the day the meeting was held YYYY-MM-DD");
	struct kd_meeting m;
	int rc = open_meeting(c, pos[0], &m);
	if (rc == KD_OK) {
		struct kd_tx tx;
		rc = kd_tx_begin(&tx, c->db, NULL, run_action(c, "%lld", m.id), &c->err);
		if (rc == KD_OK)
			rc = kd_tx_finish(&tx, kd_meeting_held(&tx, &m, on, cli_today()));
	}
	char d[11];
	if (rc == KD_OK)
		printf("Cuộc họp %lld (%s) đã họp ngày %s.\n", m.id, m.org_name, kd_date_vn(on, d));
	return run_finish(c, rc);
}

/* ------------------------------------------------------------ dispatch */

int cmd_meeting(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(struct run *, int, char **);
	} subs[] = {
		{ "add", meeting_add }, { "list", meeting_list }, { "show", meeting_show },
		{ "attend", meeting_attend }, { "agenda", meeting_agenda }, { "comment", meeting_comment },
		{ "minutes", meeting_minutes }, { "held", meeting_held },
	};
	const char *target = cli_db_option(&argc, argv);
	if (argc < 2 || cli_is_help(argv[1])) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < KD_ARRAY_LEN(subs); i++) {
		if (strcmp(argv[1], subs[i].name))
			continue;
		char name[32];
		snprintf(name, sizeof(name), "meeting %s", subs[i].name);
		struct run c = { .cmd = name, .target = target, .arena = KD_ARENA_INIT, .err = KD_ERR_INIT };
		return subs[i].fn(&c, argc - 1, argv + 1);
	}
	fprintf(stderr, "meeting: '%s' is not a subcommand; expected one of add, list, show, attend, agenda, comment,"
		" minutes, held\n", argv[1]);
	return 2;
}
