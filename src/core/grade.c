#include "core/grade.h"

static const char *const level_codes[KD_LEVEL_COUNT] = { "K", "TB", "T", "XS" };
static const char *const level_names[KD_LEVEL_COUNT] = {
	"Kém", "Trung bình", "Tốt", "Xuất sắc" };
static const char *const rating_codes[KD_RATING_COUNT] = {
	"KHTNV", "HTNV", "HTTNV", "HTXSNV" };
static const char *const rating_names[KD_RATING_COUNT] = {
	"Không hoàn thành nhiệm vụ", "Hoàn thành nhiệm vụ",
	"Hoàn thành tốt nhiệm vụ", "Hoàn thành xuất sắc nhiệm vụ" };

const char *kd_level_code(int l) { return l >= 0 && l < KD_LEVEL_COUNT ? level_codes[l] : NULL; }
const char *kd_level_name(int l) { return l >= 0 && l < KD_LEVEL_COUNT ? level_names[l] : NULL; }
const char *kd_rating_code(int r) { return r >= 0 && r < KD_RATING_COUNT ? rating_codes[r] : NULL; }
const char *kd_rating_name(int r) { return r >= 0 && r < KD_RATING_COUNT ? rating_names[r] : NULL; }
const char *kd_level_codes(void) { return "K, TB, T, XS"; }
const char *kd_rating_codes(void) { return "KHTNV, HTNV, HTTNV, HTXSNV"; }

static int find(const char *const *codes, int n, const char *s, size_t len)
{
	for (int i = 0; i < n; i++)
		if (strlen(codes[i]) == len && !memcmp(codes[i], s, len))
			return i;
	return KD_NONE;
}

int kd_level_parse(const char *s, size_t len) { return find(level_codes, KD_LEVEL_COUNT, s, len); }
int kd_rating_parse(const char *s, size_t len) { return find(rating_codes, KD_RATING_COUNT, s, len); }
