/* term.c: lining up Vietnamese text in terminal columns. */
#include "cli/cli.h"

int cli_width(const char *s)
{
	int chars = 0;
	for (; *s; s++)
		chars += ((unsigned char)*s & 0xC0) != 0x80;
	return chars;
}

int cli_pad(const char *s, int w)
{
	return w + (int)strlen(s) - cli_width(s);
}

void cli_print_cell(const char *s, int w)
{
	printf("%-*s", cli_pad(s, w), s);
}
