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

void cli_print_indented(const char *text, const char *indent)
{
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		printf("%s%.*s\n", indent, (int)len, text);
		text += len + (nl != NULL);
	}
}
