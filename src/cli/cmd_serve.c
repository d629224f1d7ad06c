/* cmd_serve.c: `kiemdiem serve` (being written). */
#include "cli/cli.h"

int cmd_serve(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "%s: chưa có\n", argv[0]);
	return 1;
}
