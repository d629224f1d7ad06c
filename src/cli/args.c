#include "cli/args.h"
#include "core/grade.h"
#include "text/text.h"

#include <errno.h>

const char *cli_nfc(const char *s, const char *what, struct kd_arena *arena, struct kd_err *err)
{
	struct strbuf sb = STRBUF_INIT;
	if (kd_text_nfc(s, strlen(s), &sb) != KD_OK) {
		strbuf_release(&sb);
		kd_err_add(err, KD_EUSAGE, "%s: not valid UTF-8; expected UTF-8 text", what);
		return NULL;
	}
	const char *r = kd_arena_strndup(arena, sb.buf, sb.len);
	strbuf_release(&sb);
	return r;
}

static int set_value(const char *cmd, const struct cli_opt *o, const char *v, struct kd_arena *arena,
		     struct kd_err *err)
{
	switch (o->type) {
	case CLI_TEXT: {
		const char *t = cli_nfc(v, o->name, arena, err);
		if (!t)
			return KD_EUSAGE;
		*(const char **)o->out = t;
		return KD_OK;
	}
	case CLI_DATE:
		if (!kd_date_parse(v, strlen(v), o->out))
			return kd_err_add(err, KD_EUSAGE, "%s: %s: \"%s\" is not a date; expected %s", cmd,
					  o->name, v, o->expected ? o->expected : "a date YYYY-MM-DD");
		return KD_OK;
	case CLI_INT: {
		char *end;
		errno = 0;
		long long x = strtoll(v, &end, 10);
		if (errno || !*v || *end)
			return kd_err_add(err, KD_EUSAGE, "%s: %s: \"%s\" is not a whole number; expected %s", cmd,
					  o->name, v, o->expected ? o->expected : "a whole number");
		*(long long *)o->out = x;
		return KD_OK;
	}
	case CLI_RATING:
	case CLI_LEVEL: {
		int code = o->type == CLI_RATING ? kd_rating_parse(v, strlen(v)) : kd_level_parse(v, strlen(v));
		if (code == KD_NONE)
			return kd_err_add(err, KD_EUSAGE, "%s: %s: \"%s\" is not a %s; expected one of %s", cmd, o->name, v,
					  o->type == CLI_RATING ? "rating" : "level",
					  o->type == CLI_RATING ? kd_rating_codes() : kd_level_codes());
		*(int *)o->out = code;
		return KD_OK;
	}
	case CLI_FLAG:
		break;
	}
	KD_BUG("option %s: bad type", o->name);
}

int cli_parse(const char *cmd, int argc, char **argv, const struct cli_opt *opts, size_t n,
	      const char **pos, int max_pos, int *n_pos, bool *help,
	      struct kd_arena *arena, struct kd_err *err)
{
	int npos = 0;
	size_t before = err->count;
	*help = false;
	for (size_t k = 0; k < n; k++)
		if (opts[k].type == CLI_RATING || opts[k].type == CLI_LEVEL)
			*(int *)opts[k].out = KD_NONE;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			*help = true;
			continue;
		}
		if (a[0] != '-' || !a[1] || !strcmp(a, "--")) {
			if (!strcmp(a, "--") && i + 1 < argc)
				a = argv[++i];
			if (npos == max_pos) {
				kd_err_add(err, KD_EUSAGE, "%s: \"%s\": unexpected argument; expected at most %d", cmd, a, max_pos);
				continue;
			}
			const char *t = cli_nfc(a, cmd, arena, err);
			if (t)
				pos[npos++] = t;
			continue;
		}
		const char *eq = strchr(a, '=');
		size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
		const struct cli_opt *o = NULL;
		for (size_t k = 0; k < n && !o; k++)
			if (strlen(opts[k].name) == nlen && !strncmp(opts[k].name, a, nlen))
				o = &opts[k];
		if (!o) {
			struct strbuf names = STRBUF_INIT;
			for (size_t k = 0; k < n; k++)
				strbuf_addf(&names, "%s%s", k ? ", " : "", opts[k].name);
			kd_err_add(err, KD_EUSAGE, "%s: %.*s: unknown option; expected one of %s", cmd, (int)nlen, a,
				   n ? names.buf : "no options");
			strbuf_release(&names);
			continue;
		}
		if (o->set)
			*o->set = true;
		if (o->type == CLI_FLAG) {
			*(bool *)o->out = true;
			continue;
		}
		const char *v = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
		if (!v) {
			kd_err_add(err, KD_EUSAGE, "%s: %s: missing value; expected %s", cmd, o->name,
				   o->expected ? o->expected : "a value");
			continue;
		}
		(void)set_value(cmd, o, v, arena, err);
	}
	*n_pos = npos;
	return err->count > before ? KD_EUSAGE : KD_OK;
}
