/* cmd_user.c: `kiemdiem user` (being written). */
#include "cli/cli.h"

int cmd_user(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "%s: chưa có\n", argv[0]);
	return 1;
}
