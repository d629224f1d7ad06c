#include "store/gen.h"
#include "core/engine.h"
#include "json/rulesets.h"
#include "store/tx.h"

/* ------------------------------------------------------------ randomness */

/* splitmix64: small, fast and the same on every platform, so a seed
 * gives the same database everywhere. */
struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static long long below(struct rng *r, long long n)
{
	return n <= 1 ? 0 : (long long)(rnd(r) % (uint64_t)n);
}

/* Uniform in [0, 1). */
static double unit(struct rng *r)
{
	return (double)(rnd(r) >> 11) / 9007199254740992.0;
}

struct weighted {
	const char *name;
	double weight;
};

static const char *pick(struct rng *r, const struct weighted *w, size_t n)
{
	double total = 0, x;
	for (size_t i = 0; i < n; i++)
		total += w[i].weight;
	x = unit(r) * total;
	for (size_t i = 0; i < n; i++) {
		if (x < w[i].weight)
			return w[i].name;
		x -= w[i].weight;
	}
	return w[n - 1].name;
}

#define PICK(r, list) ((list)[below((r), (long long)KD_ARRAY_LEN(list))])

/* ------------------------------------------------------------ names */

/* Family names with their shares of the population (per cent; the
 * common estimates: Nguyễn about 38, Trần 11, Lê 9.5 ...), the rest
 * spread over less common names. */
static const struct weighted family_names[] = {
	{ "Nguyễn", 38.4 }, { "Trần", 11.0 }, { "Lê", 9.5 }, { "Phạm", 7.0 }, { "Hoàng", 3.0 },
	{ "Huỳnh", 2.1 }, { "Phan", 4.5 }, { "Vũ", 2.0 }, { "Võ", 1.9 }, { "Đặng", 2.1 },
	{ "Bùi", 2.0 }, { "Đỗ", 1.4 }, { "Hồ", 1.3 }, { "Ngô", 1.3 }, { "Dương", 1.0 }, { "Lý", 0.5 },
	{ "Đinh", 1.0 }, { "Trương", 1.0 }, { "Lâm", 0.8 }, { "Mai", 0.8 }, { "Đoàn", 0.8 },
	{ "Trịnh", 0.7 }, { "Cao", 0.6 }, { "Lương", 0.6 }, { "Hà", 0.6 }, { "Tạ", 0.4 },
	{ "Châu", 0.4 }, { "Thái", 0.4 }, { "Kiều", 0.3 }, { "Quách", 0.3 },
};

static const char *const middle_men[] = {
	"Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Xuân", "Ngọc", "Đình",
	"Quang", "Trọng", "Hoàng", "Mạnh", "Anh", "Tiến",
};
static const char *const middle_women[] = {
	"Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Minh", "Hồng", "Phương", "Mỹ", "Bích",
	"Thùy", "Diệu", "Hoài", "Khánh", "Lan", "Quỳnh",
};
static const char *const given_men[] = {
	"Anh", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Huy", "Khoa", "Long", "Minh", "Nam",
	"Phong", "Quang", "Sơn", "Thắng", "Thành", "Tuấn", "Trung", "Việt", "Hiếu", "Hòa", "Lâm", "Tâm",
	"Toàn", "Vinh", "Khải", "Lộc", "Phúc", "Tài", "Thịnh", "Tùng", "Hưng", "Kiên", "Nghĩa", "Đạt",
};
static const char *const given_women[] = {
	"Anh", "Châu", "Dung", "Giang", "Hà", "Hằng", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Loan",
	"Mai", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Thảo", "Trang", "Tuyết", "Uyên",
	"Vân", "Yến", "Thủy", "Huyền", "Liên", "My", "Nga", "Thư", "Trinh", "Hiền", "Diệp", "Xuân", "Nhi",
};

/* The 63 provinces and cities; the first five are the centrally-run
 * cities, with the largest party organizations. */
static const char *const provinces[] = {
	"Thành phố Hà Nội", "Thành phố Hồ Chí Minh", "Thành phố Hải Phòng", "Thành phố Đà Nẵng",
	"Thành phố Cần Thơ", "tỉnh Thanh Hóa", "tỉnh Nghệ An", "tỉnh Thái Bình", "tỉnh Nam Định",
	"tỉnh Hải Dương", "tỉnh Hà Tĩnh", "tỉnh Quảng Ninh", "tỉnh Bắc Giang", "tỉnh Phú Thọ",
	"tỉnh Đồng Nai", "tỉnh Bình Dương", "tỉnh Hưng Yên", "tỉnh Bắc Ninh", "tỉnh Ninh Bình",
	"tỉnh Thái Nguyên", "tỉnh Vĩnh Phúc", "tỉnh Quảng Nam", "tỉnh Quảng Ngãi", "tỉnh Bình Định",
	"tỉnh Khánh Hòa", "tỉnh Thừa Thiên Huế", "tỉnh Quảng Bình", "tỉnh Quảng Trị", "tỉnh Hà Nam",
	"tỉnh Long An", "tỉnh Tiền Giang", "tỉnh Bến Tre", "tỉnh An Giang", "tỉnh Đồng Tháp",
	"tỉnh Kiên Giang", "tỉnh Vĩnh Long", "tỉnh Trà Vinh", "tỉnh Sóc Trăng", "tỉnh Bạc Liêu",
	"tỉnh Cà Mau", "tỉnh Hậu Giang", "tỉnh Tây Ninh", "tỉnh Bình Phước", "tỉnh Bà Rịa - Vũng Tàu",
	"tỉnh Bình Thuận", "tỉnh Ninh Thuận", "tỉnh Phú Yên", "tỉnh Gia Lai", "tỉnh Đắk Lắk",
	"tỉnh Đắk Nông", "tỉnh Kon Tum", "tỉnh Lâm Đồng", "tỉnh Lào Cai", "tỉnh Yên Bái",
	"tỉnh Tuyên Quang", "tỉnh Hà Giang", "tỉnh Cao Bằng", "tỉnh Lạng Sơn", "tỉnh Bắc Kạn",
	"tỉnh Điện Biên", "tỉnh Lai Châu", "tỉnh Sơn La", "tỉnh Hòa Bình",
};

/* ------------------------------------------------------------ the plan */

/* A grassroots committee of the plan: its cells are cell_size[first ..
 * first + n). */
struct plan_committee {
	long long first, n;
};

struct plan {
	long long *cell_size, n_cells;
	struct plan_committee *comm;
	long long n_comm;
	long long n_prov;
	long long *prov_comm;       /* [n_prov + 1]: committees of province p are [prov_comm[p], prov_comm[p+1]) */
};

/* Cell sizes: N/C each, give or take 30 %, or 10 to 60 members skewed
 * towards the small cells of wards and communes. */
static void plan_cells(struct plan *p, const struct kd_gen_spec *spec, struct rng *r, struct kd_arena *a)
{
	size_t cap = 0;
	long long left = spec->members;
	p->cell_size = NULL;
	p->n_cells = 0;
	while (left > 0) {
		long long size;
		if (spec->cells > 0) {
			long long cells_left = spec->cells - p->n_cells;
			long long mean = left / (cells_left > 0 ? cells_left : 1);
			size = cells_left <= 1 ? left : mean + (long long)((unit(r) - 0.5) * 0.6 * (double)mean);
		} else {
			double u = unit(r);
			size = 10 + (long long)(u * u * 50.0);
		}
		if (size < 1)
			size = 1;
		if (size > left || left - size < 3)
			size = left;
		p->cell_size = kd_arena_grow(a, p->cell_size, (size_t)p->n_cells, &cap, sizeof(long long));
		p->cell_size[p->n_cells++] = size;
		left -= size;
	}
	/* Committees of about 108 members (5.6 million members in some
	 * 52,000 grassroots organizations). */
	p->comm = kd_arena_calloc(a, (size_t)p->n_cells + 1, sizeof(*p->comm));
	p->n_comm = 0;
	for (long long c = 0; c < p->n_cells;) {
		long long target = 60 + below(r, 97), sum = 0;
		struct plan_committee *pc = &p->comm[p->n_comm++];
		pc->first = c;
		while (c < p->n_cells && (sum == 0 || sum + p->cell_size[c] / 2 < target))
			sum += p->cell_size[c++];
		pc->n = c - pc->first;
	}
	/* Provinces: at least two, one per some 800 committees, at most the
	 * 63; the two big cities weigh more. */
	p->n_prov = p->n_comm / 800;
	if (p->n_prov < 2)
		p->n_prov = p->n_comm >= 2 ? 2 : 1;
	if (p->n_prov > (long long)KD_ARRAY_LEN(provinces))
		p->n_prov = (long long)KD_ARRAY_LEN(provinces);
	double *w = kd_arena_calloc(a, (size_t)p->n_prov, sizeof(double)), total = 0;
	for (long long i = 0; i < p->n_prov; i++) {
		w[i] = (i == 0 ? 3.5 : i == 1 ? 3.0 : i < 5 ? 1.5 : 1.0) * (0.7 + 0.6 * unit(r));
		total += w[i];
	}
	p->prov_comm = kd_arena_calloc(a, (size_t)p->n_prov + 1, sizeof(long long));
	double acc = 0;
	for (long long i = 0; i < p->n_prov; i++) {
		acc += w[i];
		long long end = i == p->n_prov - 1 ? p->n_comm : (long long)((double)p->n_comm * acc / total + 0.5);
		if (end < p->prov_comm[i] + 1 && p->prov_comm[i] < p->n_comm)
			end = p->prov_comm[i] + 1;
		p->prov_comm[i + 1] = end;
	}
}

/* ------------------------------------------------------------ writing */

struct gen {
	struct kd_db *db;
	const struct kd_gen_spec *spec;
	struct kd_gen_stats *stats;
	struct kd_err *err;
	struct rng r;
	struct kd_tx tx;
	bool in_tx;
	const struct kd_ruleset *rs;
	int f_admitted, f_exemplary;
	long long next_person;
	long long cells_done, cells_total;
	void (*progress)(long long, long long, void *);
	void *ctx;
	char action[128];           /* the open transaction's: kd_tx keeps the pointer */
	long long batch_members;    /* made in the open transaction */
};

/* Members per transaction (some 8 rows each): big enough that commits
 * are rare, small enough that one audit entry stays a few megabytes. */
#define GEN_BATCH_MEMBERS 2500

static int batch_begin(struct gen *g)
{
	snprintf(g->action, sizeof(g->action), "gen --members %lld --seed %llu (phần %lld)", g->spec->members,
		 g->spec->seed, g->stats->transactions + 1);
	int rc = kd_tx_begin(&g->tx, g->db, NULL, g->action, g->err);
	g->in_tx = rc == KD_OK;
	return rc;
}

static int batch_end(struct gen *g)
{
	g->in_tx = false;
	int rc = kd_tx_commit(&g->tx);
	if (rc == KD_OK) {
		g->stats->transactions++;
		if (g->progress)
			g->progress(g->cells_done, g->cells_total, g->ctx);
	}
	return rc;
}

static int batch_maybe(struct gen *g)
{
	if (g->batch_members < GEN_BATCH_MEMBERS)
		return KD_OK;
	g->batch_members = 0;
	int rc = batch_end(g);
	return rc == KD_OK ? batch_begin(g) : rc;
}

static int org_insert(struct gen *g, long long parent, const char *kind, const char *code, const char *name,
		      long long position, long long *id)
{
	return kd_tx_insert(&g->tx, KD_T_org, id, "INSERT INTO org (parent_id, kind, code, name, position)"
			    " VALUES ($1, $2, $3, $4, $5) RETURNING id", "Ittti", parent, kind, code, name, position);
}

static const char *const work_positions[] = {
	"Cán bộ", "Công chức", "Giáo viên", "Công nhân", "Nông dân", "Bác sĩ", "Kỹ sư", "Hưu trí",
	"Hưu trí", "Kinh doanh", "Chiến sĩ", "Nhân viên",
};

/* The ways a cell is left unfinished. */
enum unfinished { DONE, NO_REVIEWS, NO_DECISIONS, NOT_PUBLISHED };

struct gen_member {
	long long id;
	char code[24];
	const char *full_name;
	signed char levels[8];
	bool exemplary, official, submitted;
	struct kd_date admitted;
	int tier;                   /* the rating the member's record aims at */
};

/* Criteria levels of a member aiming at `tier`: the levels the rule set
 * asks for that rating, now and then one better. */
static void member_levels(struct rng *r, const struct kd_subject_rules *sr, struct gen_member *m)
{
	for (int k = 0; k < sr->n_criteria && k < 8; k++) {
		bool primary = sr->criteria[k].primary;
		int lv;
		switch (m->tier) {
		case KD_HTXSNV:
			lv = primary || unit(r) < 0.65 ? KD_LEVEL_XS : KD_LEVEL_T;
			break;
		case KD_HTTNV:
			lv = unit(r) < 0.2 ? KD_LEVEL_XS : primary || unit(r) < 0.95 ? KD_LEVEL_T : KD_LEVEL_TB;
			break;
		case KD_HTNV:
			lv = primary ? KD_LEVEL_TB : unit(r) < 0.5 ? KD_LEVEL_T : KD_LEVEL_TB;
			break;
		default:
			lv = primary ? KD_LEVEL_K : KD_LEVEL_TB;
			break;
		}
		m->levels[k] = (signed char)lv;
	}
}

static void engine_member(struct kd_arena *a, const struct gen *g, const struct gen_member *gm, struct kd_member *m)
{
	const struct kd_subject_rules *sr = &g->rs->subj[KD_MEMBER];
	memset(m, 0, sizeof(*m));
	m->s.id = gm->code;
	m->s.name = gm->full_name;
	m->s.levels = kd_arena_alloc(a, (size_t)sr->n_criteria + 1);
	for (int k = 0; k < sr->n_criteria; k++)
		m->s.levels[k] = k < 8 ? gm->levels[k] : KD_LEVEL_T;
	m->s.vals = kd_arena_calloc(a, (size_t)sr->n_fields + 1, sizeof(*m->s.vals));
	for (int f = 0; f < sr->n_fields; f++)
		m->s.vals[f] = sr->fields[f].def;
	if (g->f_admitted >= 0) {
		m->s.vals[g->f_admitted].null = false;
		m->s.vals[g->f_admitted].u.date = gm->admitted;
	}
	if (g->f_exemplary >= 0 && gm->exemplary) {
		m->s.vals[g->f_exemplary].null = false;
		m->s.vals[g->f_exemplary].u.b = true;
	}
}

/* Ballots for `want` from `voters` official members, `rank` the member's
 * place among those the meeting rates HTXSNV (distinct counts, so Q-1
 * never meets a tie). Returns the rating actually voted. */
static int ballots(struct rng *r, long long voters, int want, long long rank, long long votes[KD_RATING_COUNT])
{
	memset(votes, 0, sizeof(long long) * KD_RATING_COUNT);
	if (want == KD_HTXSNV && voters - rank > voters / 2) {
		votes[KD_HTXSNV] = voters - rank;
		votes[KD_HTTNV] = rank;
		return KD_HTXSNV;
	}
	if (want == KD_HTXSNV)
		want = KD_HTTNV;
	long long most = (voters - 1) / 2, d = below(r, (most < 3 ? most : 3) + 1);
	votes[want] = voters - d;
	votes[want > KD_KHTNV ? want - 1 : want + 1] += d;
	return want;
}

static int make_cell(struct gen *g, long long committee, const char *code, const char *name, long long size,
		     long long position, const char *place)
{
	struct kd_tx *tx = &g->tx;
	struct rng *r = &g->r;
	struct kd_arena a = KD_ARENA_INIT;
	const struct kd_subject_rules *msr = &g->rs->subj[KD_MEMBER], *csr = &g->rs->subj[KD_COLLECTIVE];
	int year = g->spec->year;
	enum unfinished state = below(r, 100) < g->spec->unfinished_pct ? (enum unfinished)(1 + below(r, 3)) : DONE;
	struct kd_date as_of = { year, 11, 20 + (int)below(r, 10) };
	char d1[11], d2[11], buf[160];
	long long cell, campaign, meeting = 0;
	int rc = org_insert(g, committee, "cell", code, name, position, &cell);

	/* Party groups of 5 to 15 in cells of 16 members or more. */
	long long n_groups = size >= 16 ? (size + 11) / 12 : 0;
	long long *group = kd_arena_calloc(&a, (size_t)n_groups + 1, sizeof(long long));
	for (long long k = 0; rc == KD_OK && k < n_groups; k++) {
		char gcode[128], gname[48];
		snprintf(gcode, sizeof(gcode), "%.96s.T%lld", code, k + 1);
		snprintf(gname, sizeof(gname), "Tổ đảng %lld", k + 1);
		rc = org_insert(g, cell, "group", gcode, gname, k + 1, &group[k]);
		g->stats->groups++;
	}

	/* People. */
	struct gen_member *gm = kd_arena_calloc(&a, (size_t)size, sizeof(*gm));
	long long voters = 0;
	for (long long i = 0; rc == KD_OK && i < size; i++) {
		struct gen_member *m = &gm[i];
		bool woman = unit(r) < 0.42;
		const char *fam = pick(r, family_names, KD_ARRAY_LEN(family_names));
		const char *mid = woman ? PICK(r, middle_women) : PICK(r, middle_men);
		const char *giv = woman ? PICK(r, given_women) : PICK(r, given_men);
		snprintf(buf, sizeof(buf), "%s %s %s", fam, mid, giv);
		m->full_name = kd_arena_strdup(&a, buf);
		snprintf(m->code, sizeof(m->code), "dv%07lld", ++g->next_person);
		int age = 23 + (int)below(r, 48);
		struct kd_date birth = { year - age, 1 + (int)below(r, 12), 1 + (int)below(r, 28) };
		/* About 4 % probationary: admitted 7 to 11 months before the
		 * meeting (rated, not voting); the others years ago. */
		if (unit(r) < 0.04) {
			m->admitted = kd_date_add_months(as_of, -7 - (int)below(r, 5));
		} else {
			int span = age - 18 > 1 ? age - 18 : 1;
			m->admitted = (struct kd_date){ birth.y + 18 + (int)below(r, span), 1 + (int)below(r, 12),
							1 + (int)below(r, 28) };
			if (kd_date_cmp(m->admitted, kd_date_add_months(as_of, -13)) > 0)
				m->admitted = kd_date_add_months(as_of, -13);
		}
		struct kd_date official = kd_date_add_months(m->admitted, 12);
		m->official = kd_date_cmp(official, as_of) <= 0;
		voters += m->official;
		long long gi = n_groups ? i * n_groups / size : -1;
		bool leads = gi >= 0 && (i == 0 || (i - 1) * n_groups / size != gi);
		const char *role = i == 0 ? "bi_thu" : i == 1 && size >= 10 ? "pho_bi_thu"
				 : i == 2 && size >= 15 ? "chi_uy_vien" : NULL;
		const char *party_pos = i == 0 ? "Bí thư chi bộ" : role && i == 1 ? "Phó Bí thư chi bộ" : role ? "Chi ủy viên"
				      : leads ? "Tổ trưởng tổ đảng" : "Đảng viên";
		char card[24];
		snprintf(card, sizeof(card), "%02lld.%07lld", (g->next_person % 63) + 1, g->next_person);
		rc = kd_tx_insert(tx, KD_T_person, &m->id,
				  "INSERT INTO person (code, full_name, family_name, middle_name, given_name, birth_date,"
				  " admitted_on, official_on, card_no, party_position, work_position, cell_id, group_id,"
				  " committee_role, group_leader) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,"
				  " $14, $15) RETURNING id", "ttttttttttt" "iIti", m->code, m->full_name, fam, mid, giv,
				  kd_date_iso(birth, d1), kd_date_iso(m->admitted, d2),
				  m->official ? kd_date_iso(official, (char[11]){ 0 }) : NULL, card, party_pos,
				  PICK(r, work_positions), cell, gi >= 0 ? group[gi] : 0, role, (long long)leads);
		/* What the member's record supports: about a fifth excellent,
		 * two thirds good, the rest completed or not. */
		double u = unit(r);
		m->tier = u < 0.21 ? KD_HTXSNV : u < 0.93 ? KD_HTTNV : u < 0.99 ? KD_HTNV : KD_KHTNV;
		m->exemplary = m->tier == KD_HTXSNV;
		member_levels(r, msr, m);
		m->submitted = state != NO_REVIEWS || unit(r) < 0.7;
	}
	g->stats->people += size;
	g->batch_members += size;
	if (voters == 0)
		voters = 1;     /* a cell of probationary members: its committee decides */

	if (rc == KD_OK) {
		snprintf(buf, sizeof(buf), "Kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng, đảng viên năm %d", year);
		rc = kd_tx_insert(tx, KD_T_campaign, &campaign, "INSERT INTO campaign (cell_id, year, ruleset, as_of, title,"
				  " place) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id", "iitttt", cell, (long long)year,
				  g->rs->id, kd_date_iso(as_of, d1), buf, place);
	}
	/* Reviews, submitted some days before the meeting. */
	struct kd_date submitted_on = kd_date_from_days(kd_date_to_days(as_of) - 5);
	for (long long i = 0; rc == KD_OK && i < size; i++) {
		struct gen_member *m = &gm[i];
		long long review;
		rc = kd_tx_insert(tx, KD_T_review, &review, "INSERT INTO review (campaign_id, person_id, status, self_rating,"
				  " submitted_on) VALUES ($1, $2, $3, $4, $5) RETURNING id", "iittt", campaign, m->id,
				  m->submitted ? "submitted" : "draft", kd_rating_code(m->tier),
				  m->submitted ? kd_date_iso(submitted_on, d1) : NULL);
		for (int k = 0; rc == KD_OK && k < msr->n_criteria && k < 8; k++)
			rc = kd_tx_insert(tx, KD_T_review_level, NULL, "INSERT INTO review_level (review_id, criterion, level)"
					  " VALUES ($1, $2, $3) RETURNING id", "itt", review, msr->criteria[k].id,
					  kd_level_code(m->levels[k]));
		if (rc == KD_OK && m->exemplary)
			rc = kd_tx_insert(tx, KD_T_fact, NULL, "INSERT INTO fact (campaign_id, subject, person_id, key, value)"
					  " VALUES ($1, 'member', $2, 'exemplary', 'true') RETURNING id", "ii", campaign, m->id);
		g->stats->reviews++;
	}
	/* The committee's levels for the collective. */
	signed char *clev = kd_arena_alloc(&a, (size_t)csr->n_criteria + 1);
	for (int k = 0; rc == KD_OK && k < csr->n_criteria; k++) {
		double u = unit(r);
		clev[k] = (signed char)(u < 0.3 ? KD_LEVEL_XS : u < 0.97 ? KD_LEVEL_T : KD_LEVEL_TB);
		rc = kd_tx_insert(tx, KD_T_collective_level, NULL, "INSERT INTO collective_level (campaign_id, criterion, level)"
				  " VALUES ($1, $2, $3) RETURNING id", "itt", campaign, csr->criteria[k].id,
				  kd_level_code(clev[k]));
	}
	bool held = state == DONE || state == NOT_PUBLISHED;
	if (rc == KD_OK)
		rc = kd_tx_insert(tx, KD_T_meeting, &meeting, "INSERT INTO meeting (campaign_id, org_id, scheduled_on, held_on,"
				  " duration, chair_id) VALUES ($1, $2, $3, $4, 'half_day', $5) RETURNING id", "iittI", campaign,
				  cell, kd_date_iso(as_of, d1), held ? d1 : NULL, gm[0].id);

	/* The meeting: ballots, then the engine's verdicts as the cell's
	 * decisions, so every stored result is one the rules give. */
	if (rc == KD_OK && held) {
		struct kd_cell ec = { .rs = g->rs, .as_of = as_of, .n_members = (size_t)size };
		ec.members = kd_arena_calloc(&a, (size_t)size, sizeof(*ec.members));
		for (long long i = 0; i < size; i++)
			engine_member(&a, g, &gm[i], &ec.members[i]);
		struct kd_collective col;
		memset(&col, 0, sizeof(col));
		col.s.id = "collective";
		col.s.levels = clev;
		col.s.vals = kd_arena_calloc(&a, (size_t)csr->n_fields + 1, sizeof(*col.s.vals));
		for (int f = 0; f < csr->n_fields; f++)
			col.s.vals[f] = csr->fields[f].def;
		col.leadership_rating = KD_NONE;
		ec.collective = &col;
		struct kd_result pre, res;
		kd_classify(&ec, &pre, &a);     /* the ceilings, before any ballot */
		long long rank = 0;
		for (long long i = 0; i < size; i++) {
			struct kd_member *em = &ec.members[i];
			int want = pre.members[i].ceiling;
			if (want == KD_NONE)
				want = gm[i].tier;
			if (want > KD_KHTNV && unit(r) < 0.04)
				want--;         /* the meeting is stricter than the record */
			em->has_votes = true;
			em->voters = voters;
			if (ballots(r, voters, want, rank, em->votes) == KD_HTXSNV)
				rank++;
		}
		kd_classify(&ec, &res, &a);
		struct kd_date published = kd_date_from_days(kd_date_to_days(as_of) + 3);
		for (long long i = 0; rc == KD_OK && i < size; i++) {
			const struct kd_member *em = &ec.members[i];
			rc = kd_tx_insert(tx, KD_T_tally, NULL, "INSERT INTO tally (meeting_id, subject, person_id, round, method,"
					  " voters, htxsnv, httnv, htnv, khtnv) VALUES ($1, 'member', $2, 1, 'paper', $3, $4, $5, $6, $7)"
					  " RETURNING id", "iiiiiii", meeting, gm[i].id, em->voters, em->votes[KD_HTXSNV],
					  em->votes[KD_HTTNV], em->votes[KD_HTNV], em->votes[KD_KHTNV]);
			g->stats->tallies++;
			if (rc == KD_OK && res.members[i].status == KD_RATED) {
				rc = kd_tx_insert(tx, KD_T_decision, NULL, "INSERT INTO decision (campaign_id, subject, person_id,"
						  " rating, decided_on, published_on) VALUES ($1, 'member', $2, $3, $4, $5) RETURNING id",
						  "iittt", campaign, gm[i].id, kd_rating_code(res.members[i].final),
						  kd_date_iso(as_of, d1), state == DONE ? kd_date_iso(published, d2) : NULL);
				g->stats->decisions++;
			} else if (rc == KD_OK && state == DONE) {
				state = NO_DECISIONS;   /* a member the meeting must vote on again */
			}
		}
		if (rc == KD_OK && res.collective.status == KD_RATED)
			rc = kd_tx_insert(tx, KD_T_decision, NULL, "INSERT INTO decision (campaign_id, subject, person_id,"
					  " rating, decided_on, published_on) VALUES ($1, 'collective', NULL, $2, $3, $4) RETURNING id",
					  "ittt", campaign, kd_rating_code(res.collective.final), kd_date_iso(as_of, d1),
					  state == DONE ? kd_date_iso(published, d2) : NULL);
	}
	if (state != DONE)
		g->stats->unfinished++;
	g->stats->cells++;
	kd_arena_release(&a);
	return rc;
}

static const char *const cell_kinds[] = {
	"Chi bộ khu phố", "Chi bộ ấp", "Chi bộ thôn", "Chi bộ tổ dân phố", "Chi bộ Trường Tiểu học số",
	"Chi bộ Trạm Y tế", "Chi bộ Quân sự", "Chi bộ Công an", "Chi bộ cơ quan", "Chi bộ Trường Trung học cơ sở số",
};

int kd_gen(struct kd_db *db, const struct kd_gen_spec *spec, struct kd_gen_stats *out,
	   void (*progress)(long long done, long long total, void *ctx), void *ctx, struct kd_err *err)
{
	memset(out, 0, sizeof(*out));
	if (spec->members < 1)
		return kd_err_add(err, KD_EUSAGE, "--members: %lld; expected a number of members, 1 or more", spec->members);
	if (spec->cells < 0 || spec->cells > spec->members)
		return kd_err_add(err, KD_EUSAGE, "--cells: %lld; expected from 1 to the number of members", spec->cells);
	long long orgs = 0;
	int rc = kd_db_run(db, err, &orgs, "SELECT count(*) FROM org", "");
	if (rc != KD_OK)
		return rc;
	if (orgs)
		return kd_err_add(err, KD_ECONFLICT, "%s: already holds %lld organizations; expected an empty database",
				  kd_db_target(db), orgs);
	struct kd_arena a = KD_ARENA_INIT;
	struct gen g = { .db = db, .spec = spec, .stats = out, .err = err, .r = { spec->seed * 0x2545f4914f6cdd1dull + 1 },
			 .progress = progress, .ctx = ctx };
	rc = kd_ruleset_builtin(KD_DEFAULT_RULESET, &a, err, &g.rs);
	if (rc != KD_OK) {
		kd_arena_release(&a);
		return rc;
	}
	g.f_admitted = kd_ruleset_field(&g.rs->subj[KD_MEMBER], NULL, "admitted_on");
	g.f_exemplary = kd_ruleset_field(&g.rs->subj[KD_MEMBER], NULL, "exemplary");
	struct plan p;
	plan_cells(&p, spec, &g.r, &a);
	g.cells_total = p.n_cells;

	char code[64], name[160];
	long long country, prov, dist, comm, cell_no = 0;
	rc = batch_begin(&g);
	if (rc == KD_OK)
		rc = org_insert(&g, 0, "upper", "VN", "Đảng Cộng sản Việt Nam", 1, &country);
	out->uppers++;
	for (long long pi = 0; rc == KD_OK && pi < p.n_prov; pi++) {
		bool city = pi < 5;
		snprintf(code, sizeof(code), "T%02lld", pi + 1);
		snprintf(name, sizeof(name), "Đảng bộ %s", provinces[pi]);
		rc = org_insert(&g, country, "upper", code, name, pi + 1, &prov);
		out->uppers++;
		/* Districts of some 74 committees each, at least two. */
		long long c0 = p.prov_comm[pi], c1 = p.prov_comm[pi + 1], nc = c1 - c0;
		long long nd = (nc + 37) / 74;
		if (nd < 2)
			nd = nc < 2 ? 1 : 2;
		for (long long di = 0; rc == KD_OK && di < nd; di++) {
			snprintf(code, sizeof(code), "T%02lld.H%02lld", pi + 1, di + 1);
			snprintf(name, sizeof(name), city ? "Đảng bộ quận %lld, %s" : "Đảng bộ huyện %lld, %s", di + 1,
				 provinces[pi]);
			rc = org_insert(&g, prov, "upper", code, name, di + 1, &dist);
			out->uppers++;
			long long k0 = c0 + nc * di / nd, k1 = c0 + nc * (di + 1) / nd;
			for (long long ci = k0; rc == KD_OK && ci < k1; ci++) {
				const struct plan_committee *pc = &p.comm[ci];
				snprintf(code, sizeof(code), "T%02lld.H%02lld.C%03lld", pi + 1, di + 1, ci - k0 + 1);
				snprintf(name, sizeof(name), city ? "Đảng bộ phường %lld, quận %lld" : "Đảng bộ xã %lld, huyện %lld",
					 ci - k0 + 1, di + 1);
				rc = org_insert(&g, dist, "committee", code, name, ci - k0 + 1, &comm);
				out->committees++;
				for (long long k = 0; rc == KD_OK && k < pc->n; k++) {
					char ccode[128], cname[160];
					snprintf(ccode, sizeof(ccode), "%.96s.B%02lld", code, k + 1);
					snprintf(cname, sizeof(cname), "%s %lld", PICK(&g.r, cell_kinds), k + 1);
					rc = make_cell(&g, comm, ccode, cname, p.cell_size[pc->first + k], k + 1, provinces[pi]);
					g.cells_done = ++cell_no;
					if (rc == KD_OK)
						rc = batch_maybe(&g);
				}
			}
		}
	}
	if (g.in_tx)
		rc = rc == KD_OK ? batch_end(&g) : (kd_tx_abort(&g.tx), rc);
	kd_arena_release(&a);
	return rc;
}
