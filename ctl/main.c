// SPDX-License-Identifier: GPL-2.0
/* memscopectl: the subcommand table and what every subcommand shares. */
#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "memscopectl.h"
#include "nl.h"
#include "version.h"
#include "uapi/memscope.h"

static const struct ms_cmd *const ms_cmds[] = {
	&ms_cmd_info,
	&ms_cmd_zones,
	&ms_cmd_buddy,
	&ms_cmd_pages,
	&ms_cmd_map,
	&ms_cmd_task,
	&ms_cmd_tlb,
	&ms_cmd_snapshot,
	&ms_cmd_diff,
	&ms_cmd_export,
};

#define MS_NR_CMDS (int)(sizeof(ms_cmds) / sizeof(ms_cmds[0]))

static void ms_usage(FILE *f)
{
	int i;

	fprintf(f, "Usage: %s SUBCOMMAND [OPTIONS]\n"
		"       %s help SUBCOMMAND | --help | --version\n\n"
		"Shows what the Linux kernel knows about memory, through the memscope module.\n\n"
		"Subcommands:\n", ms_prog, ms_prog);
	for (i = 0; i < MS_NR_CMDS; i++)
		fprintf(f, "  %-8s %s\n", ms_cmds[i]->name, ms_cmds[i]->summary);
	fprintf(f, "\nOptions every subcommand takes:\n"
		"  -j, --json          one JSON document (keys in docs/json.md)\n"
		"      --raw           PATH<TAB>VALUE lines for scripts (same keys as --json)\n"
		"  -h, --human         sizes with binary suffixes (the default)\n"
		"  -p, --pages         sizes in pages\n"
		"  -b, --bytes         sizes in bytes\n"
		"      --color[=WHEN]  auto (a terminal, no NO_COLOR), always or never\n"
		"      --explain       what the numbers mean and what a change in them tells\n"
		"  -w, --watch SECS    sample every SECS, with changes since the last sample\n"
		"  -c, --count N       stop after N samples\n"
		"      --help          help for the subcommand\n\n"
		"Exit status: 0 ok, 1 request failed, 2 usage, 3 module not loaded,\n"
		"4 not permitted, 5 module/tool version mismatch, 6 no such object.\n");
}

static int ms_distance(const char *a, const char *b)
{
	int la = (int)strlen(a), lb = (int)strlen(b), i, j;
	int d[la + 1][lb + 1];

	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			int sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			int del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;

			d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
	return d[la][lb];
}

static const struct ms_cmd *ms_find_cmd(const char *name)
{
	int i;

	for (i = 0; i < MS_NR_CMDS; i++)
		if (!strcmp(ms_cmds[i]->name, name))
			return ms_cmds[i];
	return NULL;
}

static int ms_unknown_cmd(const char *name)
{
	int i, best = -1, best_d = 3;

	for (i = 0; i < MS_NR_CMDS; i++) {
		int d = ms_distance(name, ms_cmds[i]->name);

		if (d < best_d) {
			best_d = d;
			best = i;
		}
	}
	if (best >= 0)
		return ms_fail(MS_EXIT_USAGE, "unknown subcommand '%s': did you mean '%s'?", name,
			       ms_cmds[best]->name);
	return ms_fail(MS_EXIT_USAGE, "unknown subcommand '%s': see '%s --help'", name, ms_prog);
}

int main(int argc, char **argv)
{
	struct ms_ctx ctx = { .format = MS_FMT_TABLE, .unit = MS_UNIT_HUMAN, .out = stdout };
	const struct ms_cmd *cmd;
	int err;

	ctx.page_size = (unsigned int)sysconf(_SC_PAGESIZE);
	if (argc < 2) {
		ms_usage(stderr);
		return MS_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-?")) {
		ms_usage(stdout);
		return MS_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("%s %s (protocol %d)\n", ms_prog, MEMSCOPE_VERSION, MEMSCOPE_PROTOCOL_VERSION);
		return MS_EXIT_OK;
	}
	if (!strcmp(argv[1], "help")) {
		if (argc < 3) {
			ms_usage(stdout);
			return MS_EXIT_OK;
		}
		cmd = ms_find_cmd(argv[2]);
		if (!cmd)
			return ms_unknown_cmd(argv[2]);
		ms_cmd_help(cmd, stdout);
		return MS_EXIT_OK;
	}
	if (argv[1][0] == '-')
		return ms_fail(MS_EXIT_USAGE, "options go after the subcommand: %s SUBCOMMAND %s",
			       ms_prog, argv[1]);
	cmd = ms_find_cmd(argv[1]);
	if (!cmd)
		return ms_unknown_cmd(argv[1]);
	opterr = 0;
	ctx.cmd_name = cmd->name;
	err = cmd->run(&ctx, argc - 1, argv + 1);
	ms_nl_close(&ctx);
	if (fflush(stdout) && !err)
		err = ms_fail(MS_EXIT_ERROR, "writing the output failed");
	return err;
}
