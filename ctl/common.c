// SPDX-License-Identifier: GPL-2.0
/* What every subcommand shares: errors, common options, number parsing. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "memscopectl.h"

const char *ms_prog = "memscopectl";

int ms_fail(int code, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", ms_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

void ms_cmd_help(const struct ms_cmd *cmd, FILE *f)
{
	fprintf(f, "Usage: %s %s %s\n\n%s.\n", ms_prog, cmd->name, cmd->usage, cmd->summary);
	if (cmd->not_subject)
		return;
	fprintf(f, "\nCommon options: -j/--json, --raw, -h/--human, -p/--pages, -b/--bytes,\n"
		"--color[=auto|always|never], --explain, --watch SECS [--count N], --help.\n");
}

int ms_common_opt(struct ms_ctx *ctx, const struct ms_cmd *cmd, int c, char **argv)
{
	switch (c) {
	case 'j':
		ctx->format = MS_FMT_JSON;
		return 0;
	case 'p':
		ctx->unit = MS_UNIT_PAGES;
		return 0;
	case 'b':
		ctx->unit = MS_UNIT_BYTES;
		return 0;
	case 'h':
		ctx->unit = MS_UNIT_HUMAN;
		return 0;
	case MS_OPT_RAW:
		ctx->format = MS_FMT_RAW;
		return 0;
	case MS_OPT_EXPLAIN:
		ctx->explain = true;
		return 0;
	case MS_OPT_COLOR:
		return ms_color_opt(ctx, optarg);
	case MS_OPT_HELP:
		ms_cmd_help(cmd, stdout);
		return -1;
	default:	/* opterr is off: name the option here, on one line */
		return ms_fail(MS_EXIT_USAGE, "%s: unknown option or missing value: '%s' (see '%s %s --help')",
			       cmd->name, argv[optind - 1], ms_prog, cmd->name);
	}
}

int ms_color_opt(struct ms_ctx *ctx, const char *arg)
{
	if (!arg || !strcmp(arg, "always") || !strcmp(arg, "yes"))
		ctx->color_mode = MS_COLOR_ALWAYS;
	else if (!strcmp(arg, "auto"))
		ctx->color_mode = MS_COLOR_AUTO;
	else if (!strcmp(arg, "never") || !strcmp(arg, "no"))
		ctx->color_mode = MS_COLOR_NEVER;
	else
		return ms_fail(MS_EXIT_USAGE, "--color: '%s' is not auto, always or never", arg);
	return 0;
}

int ms_parse_uint(const char *what, const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!*s || *end || errno || s[0] == '-' || v > max)
		return ms_fail(MS_EXIT_USAGE, "%s: '%s' is not a number from 0 to %lu", what, s, max);
	*out = v;
	return 0;
}

/* Appends a zeroed element of @size to the array *@items of *@n; returns it. */
void *ms_append(void *items, int *n, size_t size)
{
	void **array = items;
	char *grown = realloc(*array, size * (size_t)(*n + 1));

	if (!grown)
		abort();
	*array = grown;
	memset(grown + size * (size_t)*n, 0, size);
	return grown + size * (size_t)(*n)++;
}
