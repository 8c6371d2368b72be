/* SPDX-License-Identifier: GPL-2.0 */
/* memscopectl: shared context, exit codes and the subcommand table entry. */
#ifndef MEMSCOPECTL_H
#define MEMSCOPECTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Exit codes, documented in docs/memscopectl.md and the man page. */
enum ms_exit {
	MS_EXIT_OK = 0,
	MS_EXIT_ERROR = 1,		/* the kernel refused or failed a request */
	MS_EXIT_USAGE = 2,		/* bad command line */
	MS_EXIT_NO_MODULE = 3,		/* memscope family not registered */
	MS_EXIT_PERM = 4,		/* not permitted */
	MS_EXIT_VERSION = 5,		/* protocol version mismatch */
	MS_EXIT_NOT_FOUND = 6,		/* no such node, zone, pid... */
};

enum ms_format { MS_FMT_TABLE, MS_FMT_JSON, MS_FMT_RAW };
enum ms_unit { MS_UNIT_HUMAN, MS_UNIT_PAGES, MS_UNIT_BYTES };

enum ms_color { MS_COLOR_AUTO, MS_COLOR_ALWAYS, MS_COLOR_NEVER };

struct ms_nl;

/* --watch SECS [--count N] (watch.h has the loop). */
struct ms_watch {
	double interval;	/* seconds; 0 = one sample */
	unsigned long count;	/* samples; 0 = until interrupted */
	unsigned long baseline;	/* leading samples only measured from, not shown */
};

struct ms_ctx {
	enum ms_format format;
	enum ms_unit unit;
	enum ms_color color_mode;
	bool color;		/* resolved by ms_output_setup() */
	bool explain;
	int width;		/* columns tables must fit; 0 = no limit */
	unsigned int page_size;
	struct ms_nl *nl;
	FILE *out;
	struct ms_watch watch;	/* --watch/--count of the subject command */
	const char *cmd_name;
};

struct ms_cmd {
	const char *name;
	const char *summary;
	const char *usage;	/* options after the subcommand name */
	int (*run)(struct ms_ctx *ctx, int argc, char **argv);
	bool not_subject;	/* snapshot, diff, export: no --watch, --explain... */
};

extern const char *ms_prog;

/* Prints "memscopectl: <msg>" as one line on stderr and returns @code. */
int ms_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Options every subcommand accepts.  Subcommands include MS_COMMON_OPTS in
 * their getopt_long tables and hand unknown option codes to ms_common_opt().
 */
#define MS_OPT_HELP 1000
#define MS_OPT_RAW 1001
#define MS_OPT_COLOR 1002
#define MS_OPT_EXPLAIN 1003
#define MS_COMMON_OPTS \
	{ "json", no_argument, NULL, 'j' }, \
	{ "pages", no_argument, NULL, 'p' }, \
	{ "bytes", no_argument, NULL, 'b' }, \
	{ "human", no_argument, NULL, 'h' }, \
	{ "raw", no_argument, NULL, MS_OPT_RAW }, \
	{ "color", optional_argument, NULL, MS_OPT_COLOR }, \
	{ "colour", optional_argument, NULL, MS_OPT_COLOR }, \
	{ "explain", no_argument, NULL, MS_OPT_EXPLAIN }, \
	{ "help", no_argument, NULL, MS_OPT_HELP }
#define MS_COMMON_SHORTOPTS "jpbh"

/* Returns 0 when handled, -1 after printing help (exit 0), else a usage error code. */
int ms_common_opt(struct ms_ctx *ctx, const struct ms_cmd *cmd, int c, char **argv);
void *ms_append(void *items, int *n, size_t size);
int ms_color_opt(struct ms_ctx *ctx, const char *arg);
int ms_parse_uint(const char *what, const char *s, unsigned long max, unsigned long *out);
void ms_cmd_help(const struct ms_cmd *cmd, FILE *f);

/* The subcommands (one file each). */
extern const struct ms_cmd ms_cmd_info;
extern const struct ms_cmd ms_cmd_zones;
extern const struct ms_cmd ms_cmd_buddy;
extern const struct ms_cmd ms_cmd_tlb;
extern const struct ms_cmd ms_cmd_pages;
extern const struct ms_cmd ms_cmd_map;
extern const struct ms_cmd ms_cmd_task;
extern const struct ms_cmd ms_cmd_snapshot;
extern const struct ms_cmd ms_cmd_diff;
extern const struct ms_cmd ms_cmd_export;

#endif
