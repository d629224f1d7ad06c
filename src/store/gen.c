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

/* ------------------------------------------------------------ making */

/* Generation runs in two passes per batch of cells: first every row is
 * made in memory (all the random draws, the engine's verdicts), then each
 * table's rows go in with one bulk insert (COPY on PostgreSQL), ids taken
 * as a block first (kd_db_reserve_ids) so that the audit records the lot
 * as runs of new ids and reads their after-images back at commit. One
 * round trip per row was the cost before: 1,500 members/s on PostgreSQL. */

/* An organization of the batch. Its parent is an org of the batch
 * (parent_local >= 0) or one written before (parent). */
struct gorg {
	long long id;               /* set when the batch is written */
	long long parent;
	int parent_local;
	const char *kind, *code, *name;
	long long position;
};

/* A handle on an org that the tree walk keeps across batches. */
struct oref {
	long long id;               /* when written */
	int local;                  /* index in the batch, -1 when written */
};

/* The ways a cell is left unfinished. */
enum unfinished { DONE, NO_REVIEWS, NO_DECISIONS, NOT_PUBLISHED };

struct gen_member {
	long long id, review_id;    /* set when the batch is written */
	char code[24], card[24];
	const char *full_name, *family, *middle, *given;
	const char *party_pos, *work_pos, *role;
	struct kd_date birth, admitted, official;
	int group;                  /* index among the cell's groups, -1: none */
	bool leads, exemplary, official_now, submitted;
	signed char levels[8];
	int tier;                   /* the rating the member's record aims at */
	long long voters, votes[KD_RATING_COUNT];
	bool rated;                 /* decided by the meeting */
	int final;
};

struct gcell {
	int org, group0;            /* indexes in the batch's orgs: the cell, its first group */
	long long n_groups, size;
	struct gen_member *m;
	signed char *clev;          /* the collective's criteria levels */
	enum unfinished state;
	struct kd_date as_of;
	const char *place;
	bool held, coll_rated;
	int coll_final;
	long long campaign_id, meeting_id;  /* set when written */
};

struct batch {
	struct kd_arena a;
	struct gorg *orgs;
	size_t n_orgs, cap_orgs;
	struct gcell *cells;
	size_t n_cells, cap_cells;
	long long members;
};

struct gen {
	struct kd_db *db;
	const struct kd_gen_spec *spec;
	struct kd_gen_stats *stats;
	struct kd_err *err;
	struct rng r;
	const struct kd_ruleset *rs;
	int f_admitted, f_exemplary;
	long long next_person;
	long long cells_done, cells_total;
	void (*progress)(long long, long long, void *);
	void *ctx;
	struct batch b;
	struct oref *live[4];       /* the walk's handles, made absolute after a flush */
};

/* Members per transaction (some 11 rows each): big enough that commits
 * and audit entries are few, small enough that a batch's rows stay a few
 * tens of megabytes in memory. */
#define GEN_BATCH_MEMBERS 20000

static struct oref org_add(struct gen *g, struct oref parent, const char *kind, const char *code, const char *name,
			   long long position)
{
	struct batch *b = &g->b;
	b->orgs = kd_arena_grow(&b->a, b->orgs, b->n_orgs, &b->cap_orgs, sizeof(*b->orgs));
	b->orgs[b->n_orgs] = (struct gorg){ 0, parent.id, parent.local, kind, kd_arena_strdup(&b->a, code),
					    kd_arena_strdup(&b->a, name), position };
	return (struct oref){ 0, (int)b->n_orgs++ };
}

static const char *const work_positions[] = {
	"Cán bộ", "Công chức", "Giáo viên", "Công nhân", "Nông dân", "Bác sĩ", "Kỹ sư", "Hưu trí",
	"Hưu trí", "Kinh doanh", "Chiến sĩ", "Nhân viên",
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

/* A member of a cell of `size` at place i of `n_groups` groups. */
static void make_person(struct gen *g, struct kd_arena *a, struct gen_member *m, long long i, long long size,
			long long n_groups, struct kd_date as_of, enum unfinished state)
{
	struct rng *r = &g->r;
	int year = g->spec->year;
	char buf[160];
	bool woman = unit(r) < 0.42;
	m->family = pick(r, family_names, KD_ARRAY_LEN(family_names));
	m->middle = woman ? PICK(r, middle_women) : PICK(r, middle_men);
	m->given = woman ? PICK(r, given_women) : PICK(r, given_men);
	snprintf(buf, sizeof(buf), "%s %s %s", m->family, m->middle, m->given);
	m->full_name = kd_arena_strdup(a, buf);
	snprintf(m->code, sizeof(m->code), "dv%07lld", ++g->next_person);
	int age = 23 + (int)below(r, 48);
	m->birth = (struct kd_date){ year - age, 1 + (int)below(r, 12), 1 + (int)below(r, 28) };
	/* About 4 % probationary: admitted 7 to 11 months before the meeting
	 * (rated, not voting); the others years ago. */
	if (unit(r) < 0.04) {
		m->admitted = kd_date_add_months(as_of, -7 - (int)below(r, 5));
	} else {
		int span = age - 18 > 1 ? age - 18 : 1;
		m->admitted = (struct kd_date){ m->birth.y + 18 + (int)below(r, span), 1 + (int)below(r, 12),
						1 + (int)below(r, 28) };
		if (kd_date_cmp(m->admitted, kd_date_add_months(as_of, -13)) > 0)
			m->admitted = kd_date_add_months(as_of, -13);
	}
	m->official = kd_date_add_months(m->admitted, 12);
	m->official_now = kd_date_cmp(m->official, as_of) <= 0;
	long long gi = n_groups ? i * n_groups / size : -1;
	m->group = (int)gi;
	m->leads = gi >= 0 && (i == 0 || (i - 1) * n_groups / size != gi);
	m->role = i == 0 ? "bi_thu" : i == 1 && size >= 10 ? "pho_bi_thu" : i == 2 && size >= 15 ? "chi_uy_vien" : NULL;
	m->party_pos = i == 0 ? "Bí thư chi bộ" : m->role && i == 1 ? "Phó Bí thư chi bộ" : m->role ? "Chi ủy viên"
		     : m->leads ? "Tổ trưởng tổ đảng" : "Đảng viên";
	snprintf(m->card, sizeof(m->card), "%02lld.%07lld", (g->next_person % 63) + 1, g->next_person);
	m->work_pos = PICK(r, work_positions);
	/* What the member's record supports: about a fifth excellent, two
	 * thirds good, the rest completed or not. */
	double u = unit(r);
	m->tier = u < 0.21 ? KD_HTXSNV : u < 0.93 ? KD_HTTNV : u < 0.99 ? KD_HTNV : KD_KHTNV;
	m->exemplary = m->tier == KD_HTXSNV;
	member_levels(r, &g->rs->subj[KD_MEMBER], m);
	m->submitted = state != NO_REVIEWS || unit(r) < 0.7;
}

/* The cell's meeting: ballots, then the engine's verdicts as the cell's
 * decisions, so every stored result is one the rules give. */
static void hold_meeting(struct gen *g, struct kd_arena *scratch, struct gcell *c)
{
	const struct kd_subject_rules *csr = &g->rs->subj[KD_COLLECTIVE];
	struct rng *r = &g->r;
	long long voters = 0;
	for (long long i = 0; i < c->size; i++)
		voters += c->m[i].official_now;
	if (voters == 0)
		voters = 1;     /* a cell of probationary members: its committee decides */
	struct kd_cell ec = { .rs = g->rs, .as_of = c->as_of, .n_members = (size_t)c->size };
	ec.members = kd_arena_calloc(scratch, (size_t)c->size, sizeof(*ec.members));
	for (long long i = 0; i < c->size; i++)
		engine_member(scratch, g, &c->m[i], &ec.members[i]);
	struct kd_collective col;
	memset(&col, 0, sizeof(col));
	col.s.id = "collective";
	col.s.levels = c->clev;
	col.s.vals = kd_arena_calloc(scratch, (size_t)csr->n_fields + 1, sizeof(*col.s.vals));
	for (int f = 0; f < csr->n_fields; f++)
		col.s.vals[f] = csr->fields[f].def;
	col.leadership_rating = KD_NONE;
	ec.collective = &col;
	struct kd_result pre, res;
	kd_classify(&ec, &pre, scratch);        /* the ceilings, before any ballot */
	long long rank = 0;
	for (long long i = 0; i < c->size; i++) {
		struct kd_member *em = &ec.members[i];
		int want = pre.members[i].ceiling;
		if (want == KD_NONE)
			want = c->m[i].tier;
		if (want > KD_KHTNV && unit(r) < 0.04)
			want--;         /* the meeting is stricter than the record */
		em->has_votes = true;
		em->voters = voters;
		if (ballots(r, voters, want, rank, em->votes) == KD_HTXSNV)
			rank++;
	}
	kd_classify(&ec, &res, scratch);
	for (long long i = 0; i < c->size; i++) {
		struct gen_member *m = &c->m[i];
		m->voters = voters;
		memcpy(m->votes, ec.members[i].votes, sizeof(m->votes));
		m->rated = res.members[i].status == KD_RATED;
		m->final = res.members[i].final;
		if (!m->rated && c->state == DONE)
			c->state = NO_DECISIONS;        /* a member the meeting must vote on again */
	}
	c->coll_rated = res.collective.status == KD_RATED;
	c->coll_final = res.collective.final;
}

static void make_cell(struct gen *g, struct oref committee, const char *code, const char *name, long long size,
		      long long position, const char *place)
{
	struct batch *b = &g->b;
	struct rng *r = &g->r;
	const struct kd_subject_rules *csr = &g->rs->subj[KD_COLLECTIVE];
	int year = g->spec->year;
	b->cells = kd_arena_grow(&b->a, b->cells, b->n_cells, &b->cap_cells, sizeof(*b->cells));
	struct gcell *c = &b->cells[b->n_cells++];
	memset(c, 0, sizeof(*c));
	c->state = below(r, 100) < g->spec->unfinished_pct ? (enum unfinished)(1 + below(r, 3)) : DONE;
	c->as_of = (struct kd_date){ year, 11, 20 + (int)below(r, 10) };
	c->place = place;
	c->size = size;
	c->org = org_add(g, committee, "cell", code, name, position).local;
	struct oref cell = { 0, c->org };

	/* Party groups of 5 to 15 in cells of 16 members or more. */
	c->n_groups = size >= 16 ? (size + 11) / 12 : 0;
	c->group0 = (int)b->n_orgs;
	for (long long k = 0; k < c->n_groups; k++) {
		char gcode[128], gname[48];
		snprintf(gcode, sizeof(gcode), "%.96s.T%lld", code, k + 1);
		snprintf(gname, sizeof(gname), "Tổ đảng %lld", k + 1);
		(void)org_add(g, cell, "group", gcode, gname, k + 1);
	}
	g->stats->groups += c->n_groups;

	c->m = kd_arena_calloc(&b->a, (size_t)size, sizeof(*c->m));
	for (long long i = 0; i < size; i++)
		make_person(g, &b->a, &c->m[i], i, size, c->n_groups, c->as_of, c->state);
	/* The committee's levels for the collective. */
	c->clev = kd_arena_alloc(&b->a, (size_t)csr->n_criteria + 1);
	for (int k = 0; k < csr->n_criteria; k++) {
		double u = unit(r);
		c->clev[k] = (signed char)(u < 0.3 ? KD_LEVEL_XS : u < 0.97 ? KD_LEVEL_T : KD_LEVEL_TB);
	}
	c->held = c->state == DONE || c->state == NOT_PUBLISHED;
	if (c->held) {
		struct kd_arena scratch = KD_ARENA_INIT;
		hold_meeting(g, &scratch, c);
		kd_arena_release(&scratch);
	}
	g->stats->people += size;
	g->stats->reviews += size;
	b->members += size;
}

/* ------------------------------------------------------------ writing */

/* One table's rows of the batch: ids reserved, then one bulk insert. */
struct copy {
	struct gen *g;
	struct kd_tx *tx;
	enum kd_table t;
	long long first, next;
	int rc;
	char sid[24];               /* the row's id as text */
};

static void copy_begin(struct copy *cp, struct gen *g, struct kd_tx *tx, enum kd_table t, long long n,
			    const char *const *columns)
{
	*cp = (struct copy){ g, tx, t, 0, 0, KD_OK, "" };
	if (n == 0)
		return;
	cp->rc = kd_db_reserve_ids(g->db, kd_table_name(t), n, &cp->first, g->err);
	if (cp->rc == KD_OK)
		cp->rc = kd_db_copy_begin(g->db, kd_table_name(t), columns, g->err);
	cp->next = cp->first;
}

/* Write one row whose values[0] is left for its id; returns the id. */
static long long copy_row(struct copy *cp, const char **values)
{
	long long id = cp->next++;
	snprintf(cp->sid, sizeof(cp->sid), "%lld", id);
	values[0] = cp->sid;
	if (cp->rc == KD_OK)
		cp->rc = kd_db_copy_row(cp->g->db, values, cp->g->err);
	return id;
}

static int copy_end(struct copy *cp)
{
	if (cp->rc == KD_OK && cp->next > cp->first)
		cp->rc = kd_db_copy_end(cp->g->db, cp->g->err);
	for (long long id = cp->first; cp->rc == KD_OK && id < cp->next; id++)
		kd_tx_touch_new(cp->tx, cp->t, id);
	return cp->rc;
}

/* Numbers as text for a row; each call its own slot. */
struct nums {
	char s[12][24];
	int n;
};

static const char *num(struct nums *ns, long long v)
{
	char *p = ns->s[ns->n++ % 12];
	snprintf(p, 24, "%lld", v);
	return p;
}

static const char *iso(char buf[static 11], struct kd_date d)
{
	return kd_date_iso(d, buf);
}

static const char *const org_cols[] = { "id", "parent_id", "kind", "code", "name", "position", NULL };
static const char *const person_cols[] = {
	"id", "code", "full_name", "family_name", "middle_name", "given_name", "birth_date", "admitted_on",
	"official_on", "card_no", "party_position", "work_position", "cell_id", "group_id", "committee_role",
	"group_leader", NULL
};
static const char *const campaign_cols[] = { "id", "cell_id", "year", "ruleset", "as_of", "title", "place", NULL };
static const char *const review_cols[] = { "id", "campaign_id", "person_id", "status", "self_rating", "submitted_on", NULL };
static const char *const level_cols[] = { "id", "review_id", "criterion", "level", NULL };
static const char *const fact_cols[] = { "id", "campaign_id", "subject", "person_id", "key", "value", NULL };
static const char *const clevel_cols[] = { "id", "campaign_id", "criterion", "level", NULL };
static const char *const meeting_cols[] = {
	"id", "campaign_id", "org_id", "scheduled_on", "held_on", "duration", "chair_id", NULL
};
static const char *const tally_cols[] = {
	"id", "meeting_id", "subject", "person_id", "round", "method", "voters", "htxsnv", "httnv", "htnv", "khtnv", NULL
};
static const char *const decision_cols[] = {
	"id", "campaign_id", "subject", "person_id", "rating", "decided_on", "published_on", NULL
};

static int write_orgs(struct gen *g, struct kd_tx *tx)
{
	struct batch *b = &g->b;
	struct copy cp;
	copy_begin(&cp, g, tx, KD_T_org, (long long)b->n_orgs, org_cols);
	for (size_t i = 0; i < b->n_orgs; i++) {
		struct gorg *o = &b->orgs[i];
		struct nums ns = { .n = 0 };
		long long parent = o->parent_local >= 0 ? b->orgs[o->parent_local].id : o->parent;
		const char *v[] = { NULL, parent ? num(&ns, parent) : NULL, o->kind, o->code, o->name, num(&ns, o->position) };
		o->id = copy_row(&cp, v);
	}
	return copy_end(&cp);
}

static int write_people(struct gen *g, struct kd_tx *tx)
{
	struct batch *b = &g->b;
	struct copy cp;
	copy_begin(&cp, g, tx, KD_T_person, b->members, person_cols);
	for (size_t c = 0; c < b->n_cells; c++) {
		struct gcell *gc = &b->cells[c];
		long long cell = b->orgs[gc->org].id;
		for (long long i = 0; i < gc->size; i++) {
			struct gen_member *m = &gc->m[i];
			struct nums ns = { .n = 0 };
			char d1[11], d2[11], d3[11];
			const char *v[] = {
				NULL, m->code, m->full_name, m->family, m->middle, m->given, iso(d1, m->birth),
				iso(d2, m->admitted), m->official_now ? iso(d3, m->official) : NULL, m->card, m->party_pos,
				m->work_pos, num(&ns, cell), m->group >= 0 ? num(&ns, b->orgs[gc->group0 + m->group].id) : NULL,
				m->role, m->leads ? "1" : "0",
			};
			m->id = copy_row(&cp, v);
		}
	}
	return copy_end(&cp);
}

static int write_campaigns(struct gen *g, struct kd_tx *tx)
{
	struct batch *b = &g->b;
	struct copy cp;
	char title[160];
	snprintf(title, sizeof(title), "Kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng, đảng viên năm %d",
		 g->spec->year);
	copy_begin(&cp, g, tx, KD_T_campaign, (long long)b->n_cells, campaign_cols);
	for (size_t c = 0; c < b->n_cells; c++) {
		struct gcell *gc = &b->cells[c];
		struct nums ns = { .n = 0 };
		char d1[11];
		const char *v[] = { NULL, num(&ns, b->orgs[gc->org].id), num(&ns, g->spec->year), g->rs->id,
				    iso(d1, gc->as_of), title, gc->place };
		gc->campaign_id = copy_row(&cp, v);
	}
	return copy_end(&cp);
}

/* Reviews, submitted some days before the meeting. */
static int write_reviews(struct gen *g, struct kd_tx *tx)
{
	struct batch *b = &g->b;
	struct copy cp;
	copy_begin(&cp, g, tx, KD_T_review, b->members, review_cols);
	for (size_t c = 0; c < b->n_cells; c++) {
		struct gcell *gc = &b->cells[c];
		char d1[11];
		iso(d1, kd_date_from_days(kd_date_to_days(gc->as_of) - 5));
		for (long long i = 0; i < gc->size; i++) {
			struct gen_member *m = &gc->m[i];
			struct nums ns = { .n = 0 };
			const char *v[] = { NULL, num(&ns, gc->campaign_id), num(&ns, m->id),
					    m->submitted ? "submitted" : "draft", kd_rating_code(m->tier),
					    m->submitted ? d1 : NULL };
			m->review_id = copy_row(&cp, v);
		}
	}
	return copy_end(&cp);
}

static int write_levels(struct gen *g, struct kd_tx *tx)
{
	struct batch *b = &g->b;
	const struct kd_subject_rules *msr = &g->rs->subj[KD_MEMBER];
	int nk = msr->n_criteria < 8 ? msr->n_criteria : 8;
	struct copy cp;
	copy_begin(&cp, g, tx, KD_T_review_level, b->members * nk, level_cols);
	for (size_t c = 0; c < b->n_cells; c++)
		for (long long i = 0; i < b->cells[c].size; i++) {
			struct gen_member *m = &b->cells[c].m[i];
			struct nums ns = { .n = 0 };
			for (int k = 0; k < nk; k++) {
				const char *v[] = { NULL, num(&ns, m->review_id), msr->criteria[k].id,
						    kd_level_code(m->levels[k]) };
				copy_row(&cp, v);
			}
		}
	return copy_end(&cp);
}

static int write_facts(struct gen *g, struct kd_tx *tx)
{
	struct batch *b = &g->b;
	long long n = 0;
	for (size_t c = 0; c < b->n_cells; c++)
		for (long long i = 0; i < b->cells[c].size; i++)
			n += b->cells[c].m[i].exemplary;
	struct copy cp;
	copy_begin(&cp, g, tx, KD_T_fact, n, fact_cols);
	for (size_t c = 0; c < b->n_cells; c++)
		for (long long i = 0; i < b->cells[c].size; i++) {
			struct gen_member *m = &b->cells[c].m[i];
			struct nums ns = { .n = 0 };
			if (!m->exemplary)
				continue;
			const char *v[] = { NULL, num(&ns, b->cells[c].campaign_id), "member", num(&ns, m->id),
					    "exemplary", "true" };
			copy_row(&cp, v);
		}
	return copy_end(&cp);
}

static int write_collective_levels(struct gen *g, struct kd_tx *tx)
{
	struct batch *b = &g->b;
	const struct kd_subject_rules *csr = &g->rs->subj[KD_COLLECTIVE];
	struct copy cp;
	copy_begin(&cp, g, tx, KD_T_collective_level, (long long)b->n_cells * csr->n_criteria, clevel_cols);
	for (size_t c = 0; c < b->n_cells; c++)
		for (int k = 0; k < csr->n_criteria; k++) {
			struct nums ns = { .n = 0 };
			const char *v[] = { NULL, num(&ns, b->cells[c].campaign_id), csr->criteria[k].id,
					    kd_level_code(b->cells[c].clev[k]) };
			copy_row(&cp, v);
		}
	return copy_end(&cp);
}

static int write_meetings(struct gen *g, struct kd_tx *tx)
{
	struct batch *b = &g->b;
	struct copy cp;
	copy_begin(&cp, g, tx, KD_T_meeting, (long long)b->n_cells, meeting_cols);
	for (size_t c = 0; c < b->n_cells; c++) {
		struct gcell *gc = &b->cells[c];
		struct nums ns = { .n = 0 };
		char d1[11];
		const char *v[] = { NULL, num(&ns, gc->campaign_id), num(&ns, b->orgs[gc->org].id), iso(d1, gc->as_of),
				    gc->held ? d1 : NULL, "half_day", num(&ns, gc->m[0].id) };
		gc->meeting_id = copy_row(&cp, v);
	}
	return copy_end(&cp);
}

static int write_tallies(struct gen *g, struct kd_tx *tx)
{
	struct batch *b = &g->b;
	long long n = 0;
	for (size_t c = 0; c < b->n_cells; c++)
		n += b->cells[c].held ? b->cells[c].size : 0;
	struct copy cp;
	copy_begin(&cp, g, tx, KD_T_tally, n, tally_cols);
	for (size_t c = 0; c < b->n_cells; c++) {
		struct gcell *gc = &b->cells[c];
		for (long long i = 0; gc->held && i < gc->size; i++) {
			struct gen_member *m = &gc->m[i];
			struct nums ns = { .n = 0 };
			const char *v[] = { NULL, num(&ns, gc->meeting_id), "member", num(&ns, m->id), "1", "paper",
					    num(&ns, m->voters), num(&ns, m->votes[KD_HTXSNV]), num(&ns, m->votes[KD_HTTNV]),
					    num(&ns, m->votes[KD_HTNV]), num(&ns, m->votes[KD_KHTNV]) };
			copy_row(&cp, v);
		}
		g->stats->tallies += gc->held ? gc->size : 0;
	}
	return copy_end(&cp);
}

/* The decisions of each meeting held: published three days later unless
 * the cell is left at that step. */
static int write_decisions(struct gen *g, struct kd_tx *tx)
{
	struct batch *b = &g->b;
	long long n = 0;
	for (size_t c = 0; c < b->n_cells; c++) {
		struct gcell *gc = &b->cells[c];
		for (long long i = 0; gc->held && i < gc->size; i++)
			n += gc->m[i].rated;
		n += gc->held && gc->coll_rated;
	}
	struct copy cp;
	copy_begin(&cp, g, tx, KD_T_decision, n, decision_cols);
	for (size_t c = 0; c < b->n_cells; c++) {
		struct gcell *gc = &b->cells[c];
		if (!gc->held)
			continue;
		char d1[11], d2[11];
		iso(d1, gc->as_of);
		const char *published = gc->state == DONE ? iso(d2, kd_date_from_days(kd_date_to_days(gc->as_of) + 3)) : NULL;
		for (long long i = 0; i < gc->size; i++) {
			struct gen_member *m = &gc->m[i];
			struct nums ns = { .n = 0 };
			if (!m->rated)
				continue;
			const char *v[] = { NULL, num(&ns, gc->campaign_id), "member", num(&ns, m->id),
					    kd_rating_code(m->final), d1, published };
			copy_row(&cp, v);
			g->stats->decisions++;
		}
		if (gc->coll_rated) {
			struct nums ns = { .n = 0 };
			const char *v[] = { NULL, num(&ns, gc->campaign_id), "collective", NULL,
					    kd_rating_code(gc->coll_final), d1, published };
			copy_row(&cp, v);
		}
	}
	return copy_end(&cp);
}

/* Write the batch as one transaction and start an empty one. */
static int batch_flush(struct gen *g)
{
	struct batch *b = &g->b;
	if (!b->n_orgs)
		return KD_OK;
	char action[128];
	snprintf(action, sizeof(action), "gen --members %lld --seed %llu (phần %lld)", g->spec->members, g->spec->seed,
		 g->stats->transactions + 1);
	struct kd_tx tx;
	int rc = kd_tx_begin(&tx, g->db, NULL, action, g->err);
	if (rc != KD_OK)
		return rc;
	static int (*const steps[])(struct gen *, struct kd_tx *) = {
		write_orgs, write_people, write_campaigns, write_reviews, write_levels, write_facts,
		write_collective_levels, write_meetings, write_tallies, write_decisions,
	};
	for (size_t i = 0; rc == KD_OK && i < KD_ARRAY_LEN(steps); i++)
		rc = steps[i](g, &tx);
	rc = kd_tx_finish(&tx, rc);
	if (rc != KD_OK)
		return rc;
	g->stats->transactions++;
	for (size_t c = 0; c < b->n_cells; c++)
		g->stats->unfinished += b->cells[c].state != DONE;
	/* The walk's handles into this batch are written ids now. */
	for (size_t i = 0; i < KD_ARRAY_LEN(g->live); i++)
		if (g->live[i]->local >= 0) {
			g->live[i]->id = b->orgs[g->live[i]->local].id;
			g->live[i]->local = -1;
		}
	kd_arena_release(&b->a);
	*b = (struct batch){ .a = KD_ARENA_INIT };
	if (g->progress)
		g->progress(g->cells_done, g->cells_total, g->ctx);
	return KD_OK;
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
			 .progress = progress, .ctx = ctx, .b = { .a = KD_ARENA_INIT } };
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
	struct oref none = { 0, -1 }, country, prov = none, dist = none, comm = none;
	long long cell_no = 0;
	country = org_add(&g, none, "upper", "VN", "Đảng Cộng sản Việt Nam", 1);
	g.live[0] = &country, g.live[1] = &prov, g.live[2] = &dist, g.live[3] = &comm;
	out->uppers++;
	for (long long pi = 0; rc == KD_OK && pi < p.n_prov; pi++) {
		bool city = pi < 5;
		snprintf(code, sizeof(code), "T%02lld", pi + 1);
		snprintf(name, sizeof(name), "Đảng bộ %s", provinces[pi]);
		prov = org_add(&g, country, "upper", code, name, pi + 1);
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
			dist = org_add(&g, prov, "upper", code, name, di + 1);
			out->uppers++;
			long long k0 = c0 + nc * di / nd, k1 = c0 + nc * (di + 1) / nd;
			for (long long ci = k0; rc == KD_OK && ci < k1; ci++) {
				const struct plan_committee *pc = &p.comm[ci];
				snprintf(code, sizeof(code), "T%02lld.H%02lld.C%03lld", pi + 1, di + 1, ci - k0 + 1);
				snprintf(name, sizeof(name), city ? "Đảng bộ phường %lld, quận %lld" : "Đảng bộ xã %lld, huyện %lld",
					 ci - k0 + 1, di + 1);
				comm = org_add(&g, dist, "committee", code, name, ci - k0 + 1);
				out->committees++;
				for (long long k = 0; rc == KD_OK && k < pc->n; k++) {
					char ccode[128], cname[160];
					snprintf(ccode, sizeof(ccode), "%.96s.B%02lld", code, k + 1);
					snprintf(cname, sizeof(cname), "%s %lld", PICK(&g.r, cell_kinds), k + 1);
					make_cell(&g, comm, ccode, cname, p.cell_size[pc->first + k], k + 1, provinces[pi]);
					out->cells++;
					g.cells_done = ++cell_no;
					if (g.b.members >= GEN_BATCH_MEMBERS)
						rc = batch_flush(&g);
				}
			}
		}
	}
	if (rc == KD_OK)
		rc = batch_flush(&g);
	kd_arena_release(&g.b.a);
	kd_arena_release(&a);
	return rc;
}
