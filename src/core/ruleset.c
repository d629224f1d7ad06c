#include "core/ruleset.h"

const char *kd_subject_key(enum kd_subject s)
{
	static const char *const keys[KD_SUBJECT_COUNT] = { "member", "leader", "collective" };
	return keys[s];
}

int kd_ruleset_criterion(const struct kd_subject_rules *sr, const char *id)
{
	for (int i = 0; i < sr->n_criteria; i++)
		if (!strcmp(sr->criteria[i].id, id))
			return i;
	return -1;
}

int kd_ruleset_field(const struct kd_subject_rules *sr, const char *group, const char *key)
{
	for (int i = 0; i < sr->n_fields; i++) {
		const struct kd_field *f = &sr->fields[i];
		if (strcmp(f->key, key))
			continue;
		if ((!group && !f->group) || (group && f->group && !strcmp(group, f->group)))
			return i;
	}
	return -1;
}

int kd_field_option(const struct kd_field *f, const char *code, size_t len)
{
	for (int i = 0; i < f->n_options; i++)
		if (strlen(f->options[i]) == len && !memcmp(f->options[i], code, len))
			return i;
	return -1;
}
