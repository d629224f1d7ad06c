/* db.c: the --db option and opening the database, shared by commands. */
#include "cli/cli.h"
#include "store/db.h"

const char *cli_db_option(int *argc, char **argv)
{
	const char *target = getenv("KIEMDIEM_DB");
	if (!target || !*target)
		target = "kiemdiem.db";
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < *argc) {
			target = argv[++i];
		} else if (!strncmp(argv[i], "--db=", 5)) {
			target = argv[i] + 5;
		} else {
			argv[out++] = argv[i];
		}
	}
	argv[out] = NULL;
	*argc = out;
	return target;
}

struct kd_db *cli_open_db(const char *target, bool create, int *exit_code)
{
	struct kd_err err = KD_ERR_INIT;
	struct kd_db *db;
	if (kd_db_open(target, create, &db, &err) != KD_OK) {
		*exit_code = cli_fail(&err);
		return NULL;
	}
	return db;
}
