// SPDX-License-Identifier: GPL-2.0
/*
 * memscopectl tlb: TLB flushes by CPU and reason, their rates, the processes
 * causing them, and the flushes one command causes (like perf stat).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cpu.h"
#include "nl.h"
#include "output.h"
#include "subjects.h"
#include "watch.h"
#include "uapi/memscope.h"

static const char *const ms_tlb_explain =
	"task_switch: flushes when a CPU switches to another address space.\n"
	"remote_shootdown: flushes a CPU did because another CPU asked it to (an IPI).\n"
	"local_shootdown / local_mm_shootdown: a range / a whole address space flushed\n"
	"on the CPU that changed the mapping (munmap, mprotect, ...).\n"
	"remote_send_ipi: flush requests a CPU sent to the others running the same mm.\n"
	"ipis_received: shootdown IPIs handled (/proc/interrupts' TLB line).\n";

int ms_tlb_parse(struct nlattr **tb, void *arg)
{
	struct ms_tlb_list *l = arg;
	struct ms_tlb_cpu *c;

	c = ms_append(&l->cpus, &l->n, sizeof(*c));
	if (tb[MEMSCOPE_TLB_A_CPU])
		c->cpu = nla_get_u32(tb[MEMSCOPE_TLB_A_CPU]);
	if (tb[MEMSCOPE_TLB_A_FLUSHES])
		ms_nla_u64_array(tb[MEMSCOPE_TLB_A_FLUSHES], c->flushes, MS_MAX_NAMES);
	if (tb[MEMSCOPE_TLB_A_FULL])
		ms_nla_u64_array(tb[MEMSCOPE_TLB_A_FULL], c->full, MS_MAX_NAMES);
	if (tb[MEMSCOPE_TLB_A_PAGES])
		ms_nla_u64_array(tb[MEMSCOPE_TLB_A_PAGES], c->pages, MS_MAX_NAMES);
	if (tb[MEMSCOPE_TLB_A_IPIS])
		c->ipis = nla_get_u64(tb[MEMSCOPE_TLB_A_IPIS]);
	return MS_EXIT_OK;
}

int ms_tlb_top_parse(struct nlattr **tb, void *arg)
{
	struct nlattr *a, *p[MEMSCOPE_TLB_PROC_A_MAX + 1];
	struct ms_tlb_top *t = arg;
	int rem, i;

	t->n = 0;
	if (!tb[MEMSCOPE_TLB_A_PROCS])
		return MS_EXIT_OK;
	nla_for_each_nested(a, tb[MEMSCOPE_TLB_A_PROCS], rem) {
		struct ms_tlb_proc *pr;

		if (t->n >= 64 || nla_parse_nested(p, MEMSCOPE_TLB_PROC_A_MAX, a, NULL))
			continue;
		pr = &t->procs[t->n++];
		memset(pr, 0, sizeof(*pr));
		if (p[MEMSCOPE_TLB_PROC_A_TGID])
			pr->tgid = nla_get_u32(p[MEMSCOPE_TLB_PROC_A_TGID]);
		if (p[MEMSCOPE_TLB_PROC_A_COMM])
			snprintf(pr->comm, sizeof(pr->comm), "%s",
				 nla_get_string(p[MEMSCOPE_TLB_PROC_A_COMM]));
		if (p[MEMSCOPE_TLB_PROC_A_FLUSHES])
			ms_nla_u64_array(p[MEMSCOPE_TLB_PROC_A_FLUSHES], pr->flushes, MS_MAX_NAMES);
		for (i = 0; i < MS_MAX_NAMES; i++)
			pr->total += pr->flushes[i];
	}
	return MS_EXIT_OK;
}

void ms_tlb_delta(const struct ms_tlb_list *cur, const struct ms_tlb_list *prev,
		  struct ms_tlb_list *out)
{
	int i, j, r;

	out->n = cur->n;
	out->cpus = calloc(cur->n ? cur->n : 1, sizeof(*out->cpus));
	if (!out->cpus)
		abort();
	for (i = 0; i < cur->n; i++) {
		const struct ms_tlb_cpu *c = &cur->cpus[i], *p = NULL;
		struct ms_tlb_cpu *d = &out->cpus[i];

		*d = *c;
		for (j = 0; prev && j < prev->n; j++)
			if (prev->cpus[j].cpu == c->cpu)
				p = &prev->cpus[j];
		if (!p)
			continue;
		for (r = 0; r < MS_MAX_NAMES; r++) {
			d->flushes[r] = c->flushes[r] - p->flushes[r];
			d->full[r] = c->full[r] - p->full[r];
			d->pages[r] = c->pages[r] - p->pages[r];
		}
		d->ipis = c->ipis - p->ipis;
	}
}

/* A count, or a rate per second when @interval > 0. */
static const char *ms_tlb_cell(uint64_t v, double interval, char *buf, size_t len)
{
	if (interval > 0)
		snprintf(buf, len, "%.0f/s", (double)v / interval);
	else
		snprintf(buf, len, "%" PRIu64, v);
	return buf;
}

void ms_tlb_print(const struct ms_ctx *ctx, const struct ms_info_rec *info,
		  const struct ms_tlb_list *l, double interval)
{
	int nr = info->nr_tlb_reasons, ncols = nr + 2, i, r;
	char heads_buf[MS_MAX_NAMES][40], cells[MS_MAX_NAMES + 2][32];
	const char *heads[ncols], *row[ncols];
	uint64_t total[MS_MAX_NAMES] = { 0 }, ipis = 0;
	struct ms_table *t;

	heads[0] = "CPU";
	for (r = 0; r < nr; r++) {
		snprintf(heads_buf[r], sizeof(heads_buf[r]), ">%s", info->tlb_reasons[r]);
		heads[r + 1] = heads_buf[r];
	}
	heads[ncols - 1] = ">ipis_received";
	t = ms_table_new(ncols, heads);
	for (i = 0; i <= l->n; i++) {
		const struct ms_tlb_cpu *c = i < l->n ? &l->cpus[i] : NULL;

		snprintf(cells[MS_MAX_NAMES], 32, "%u", c ? c->cpu : 0);
		row[0] = c ? cells[MS_MAX_NAMES] : "all";
		for (r = 0; r < nr; r++) {
			uint64_t v = c ? c->flushes[r] : total[r];

			if (c)
				total[r] += v;
			row[r + 1] = ms_tlb_cell(v, interval, cells[r], 32);
		}
		if (c)
			ipis += c->ipis;
		row[ncols - 1] = ms_tlb_cell(c ? c->ipis : ipis, interval, cells[MS_MAX_NAMES + 1], 32);
		ms_table_add(t, row);
	}
	if (interval > 0)
		ms_para(ctx, "TLB flushes per second over the last %.1f s\n", interval);
	else
		ms_para(ctx, "TLB flushes since memscope was loaded (or reset)\n");
	ms_table_print(t, ctx->out);
	ms_table_free(t);
	ms_para(ctx, "\n%s", ms_tlb_explain);
}

void ms_tlb_top_print(const struct ms_ctx *ctx, const struct ms_info_rec *info,
		      const struct ms_tlb_top *top)
{
	static const char *const heads[] = {
		">PID", "COMMAND", ">local_shootdown", ">local_mm_shootdown", ">remote_send_ipi", ">TOTAL",
	};
	static const char *const keys[] = { "local_shootdown", "local_mm_shootdown", "remote_send_ipi" };
	struct ms_table *t = ms_table_new(6, heads);
	char cells[5][32];
	int i, k, r;

	for (i = 0; i < top->n; i++) {
		const struct ms_tlb_proc *p = &top->procs[i];

		snprintf(cells[0], 32, "%u", p->tgid);
		for (k = 0; k < 3; k++) {
			uint64_t v = 0;

			for (r = 0; r < info->nr_tlb_reasons; r++)
				if (!strcmp(info->tlb_reasons[r], keys[k]))
					v = p->flushes[r];
			snprintf(cells[k + 1], 32, "%" PRIu64, v);
		}
		snprintf(cells[4], 32, "%" PRIu64, p->total);
		ms_table_add(t, (const char *[]){ cells[0], p->comm, cells[1], cells[2], cells[3],
				 cells[4] });
	}
	ms_para(ctx, "Processes causing the most TLB flushes (their own local flushes and the\n"
		"shootdown IPIs they sent) since memscope was loaded or reset:\n");
	ms_table_print(t, ctx->out);
}

static struct json_object *ms_tlb_reasons_json(const struct ms_info_rec *info, const uint64_t *v,
					       double interval)
{
	struct json_object *o = json_object_new_object();
	int r;

	for (r = 0; r < info->nr_tlb_reasons; r++)
		json_object_object_add(o, info->tlb_reasons[r], interval > 0 ?
				       json_object_new_double((double)v[r] / interval) :
				       ms_json_u64(v[r]));
	return o;
}

struct json_object *ms_tlb_json(const struct ms_info_rec *info, const struct ms_tlb_list *l,
				double interval)
{
	struct json_object *doc = json_object_new_object();
	struct json_object *cpus = json_object_new_array();
	uint64_t total[MS_MAX_NAMES] = { 0 }, ipis = 0;
	int i, r;

	for (i = 0; i < l->n; i++) {
		const struct ms_tlb_cpu *c = &l->cpus[i];
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "cpu", ms_json_int(c->cpu));
		json_object_object_add(o, "flushes", ms_tlb_reasons_json(info, c->flushes, interval));
		json_object_object_add(o, "full_flushes", ms_tlb_reasons_json(info, c->full, interval));
		json_object_object_add(o, "pages_flushed", ms_tlb_reasons_json(info, c->pages, interval));
		json_object_object_add(o, "shootdown_ipis", interval > 0 ?
				       json_object_new_double((double)c->ipis / interval) :
				       ms_json_u64(c->ipis));
		json_object_array_add(cpus, o);
		for (r = 0; r < MS_MAX_NAMES; r++)
			total[r] += c->flushes[r];
		ipis += c->ipis;
	}
	if (interval > 0)
		json_object_object_add(doc, "interval", json_object_new_double(interval));
	json_object_object_add(doc, "cpus", cpus);
	json_object_object_add(doc, "totals", ms_tlb_reasons_json(info, total, interval));
	json_object_object_add(doc, "shootdown_ipis", interval > 0 ?
			       json_object_new_double((double)ipis / interval) : ms_json_u64(ipis));
	return doc;
}

struct json_object *ms_tlb_top_json(const struct ms_info_rec *info, const struct ms_tlb_top *t)
{
	struct json_object *a = json_object_new_array();
	int i;

	for (i = 0; i < t->n; i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "pid", ms_json_int(t->procs[i].tgid));
		json_object_object_add(o, "comm", json_object_new_string(t->procs[i].comm));
		json_object_object_add(o, "flushes", ms_tlb_reasons_json(info, t->procs[i].flushes, 0));
		json_object_object_add(o, "total", ms_json_u64(t->procs[i].total));
		json_object_array_add(a, o);
	}
	return a;
}

void ms_tlb_explain_notes(const struct ms_ctx *ctx, const struct ms_info_rec *info,
			  const struct ms_tlb_list *l, double interval)
{
	uint64_t total[MS_MAX_NAMES] = { 0 }, all = 0, ipis = 0;
	int i, r, top = -1;

	if (!ctx->explain)
		return;

	for (i = 0; i < l->n; i++) {
		for (r = 0; r < info->nr_tlb_reasons && r < MS_MAX_NAMES; r++)
			total[r] += l->cpus[i].flushes[r];
		ipis += l->cpus[i].ipis;
	}
	for (r = 0; r < info->nr_tlb_reasons && r < MS_MAX_NAMES; r++) {
		all += total[r];
		if (top < 0 || total[r] > total[top])
			top = r;
	}
	ms_note(ctx, "The TLB caches virtual-to-physical translations; a flush throws some or all of "
		"them away, and the next accesses walk the page tables again.");
	if (!all || top < 0) {
		ms_note(ctx, "No flushes counted%s.", interval > 0 ? " in this interval" : " yet");
		return;
	}
	ms_note(ctx, "Most flushes are %s (%.0f%% of %" PRIu64 "%s).", info->tlb_reasons[top],
		100.0 * (double)total[top] / (double)all, all, interval > 0 ? " in this interval" : "");
	if (!strcmp(info->tlb_reasons[top], "task_switch"))
		ms_note(ctx, "task_switch dominating is normal: each switch to another process's "
			"address space drops its translations (PCID softens the cost).");
	else if (!strcmp(info->tlb_reasons[top], "remote_shootdown") ||
		 !strcmp(info->tlb_reasons[top], "remote_send_ipi"))
		ms_note(ctx, "shootdowns dominating means a multi-threaded process keeps changing its "
			"mappings (munmap, mprotect, page migration) while its threads run on other "
			"CPUs: each change interrupts them with an IPI. 'memscopectl tlb --top' names it.");
	else
		ms_note(ctx, "local flushes dominating means processes change their own mappings "
			"often (munmap, mprotect, madvise); batching such calls saves flushes.");
	if (ipis)
		ms_note(ctx, "%" PRIu64 " shootdown IPIs were received: each one stopped a CPU to flush "
			"for another (/proc/interrupts, line TLB).", ipis);
}

int ms_tlb_fetch(struct ms_ctx *ctx, struct ms_tlb_list *l)
{
	struct ms_request req = {
		.cmd = MEMSCOPE_CMD_GET_TLB, .dump = true, .maxattr = MEMSCOPE_TLB_A_MAX,
		.what = "tlb", .parse = ms_tlb_parse, .arg = l,
	};

	memset(l, 0, sizeof(*l));
	return ms_nl_run(ctx, &req);
}

static int ms_tlb_top_build(struct nl_msg *msg, void *arg)
{
	return nla_put_u32(msg, MEMSCOPE_TLB_A_TOP_N, *(unsigned int *)arg);
}

static int ms_tlb_top_fetch(struct ms_ctx *ctx, unsigned int n, struct ms_tlb_top *t)
{
	struct ms_request req = {
		.cmd = MEMSCOPE_CMD_GET_TLB_TOP, .maxattr = MEMSCOPE_TLB_A_MAX, .what = "tlb --top",
		.build = ms_tlb_top_build, .build_arg = &n, .parse = ms_tlb_top_parse, .arg = t,
	};

	return ms_nl_run(ctx, &req);
}

static double ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* memscopectl tlb -- CMD: the flushes system-wide while CMD ran, and CMD's own. */
static int ms_tlb_run_command(struct ms_ctx *ctx, const struct ms_info_rec *info, char **argv)
{
	struct ms_tlb_list before, after, delta;
	struct ms_tlb_top top = { 0 };
	const struct ms_tlb_proc *own = NULL;
	double t0, t1;
	int err, status, i;
	pid_t pid;

	err = ms_tlb_fetch(ctx, &before);
	if (err)
		return err;
	t0 = ms_now();
	pid = fork();
	if (pid < 0)
		return ms_fail(MS_EXIT_ERROR, "tlb: cannot start '%s': %s", argv[0], strerror(errno));
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "%s: tlb: cannot run '%s': %s\n", ms_prog, argv[0], strerror(errno));
		_exit(127);
	}
	signal(SIGINT, SIG_IGN);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	t1 = ms_now();
	err = ms_tlb_fetch(ctx, &after);
	if (!err)
		err = ms_tlb_top_fetch(ctx, 64, &top);
	if (err)
		goto out;
	for (i = 0; i < top.n; i++)
		if (top.procs[i].tgid == (uint32_t)pid)
			own = &top.procs[i];
	ms_tlb_delta(&after, &before, &delta);
	ms_tlb_explain_notes(ctx, info, &delta, 0);
	if (ctx->format != MS_FMT_TABLE) {
		struct json_object *doc = ms_tlb_json(info, &delta, 0);

		json_object_object_add(doc, "command", json_object_new_string(argv[0]));
		json_object_object_add(doc, "pid", ms_json_int(pid));
		json_object_object_add(doc, "elapsed_s", json_object_new_double(t1 - t0));
		json_object_object_add(doc, "exit_status", ms_json_int(
				WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)));
		if (own)
			json_object_object_add(doc, "process", ms_tlb_reasons_json(info, own->flushes, 0));
		ms_json_print(ctx, doc);
	} else {
		ms_para(ctx, "\n'%s' (pid %d) ran %.3f s.\n", argv[0], pid, t1 - t0);
		if (own)
			ms_para(ctx, "It caused %" PRIu64 " flushes itself (local flushes and IPIs sent).\n",
				own->total);
		ms_para(ctx, "All TLB flushes on this machine meanwhile:\n");
		ms_tlb_print(ctx, info, &delta, 0);
		ms_notes_print(ctx);
	}
	free(delta.cpus);
out:
	free(before.cpus);
	free(after.cpus);
	return err;
}

static int ms_tlb_reset_request(struct ms_ctx *ctx)
{
	struct ms_request req = {
		.cmd = MEMSCOPE_CMD_TLB_RESET, .maxattr = MEMSCOPE_TLB_A_MAX, .what = "tlb --reset",
		.parse = NULL,
	};

	return ms_nl_run(ctx, &req);
}

static int ms_tlb_geometry_show(struct ms_ctx *ctx, const char *cpuid_file)
{
	static const char *const heads[] = { "LEVEL", "KIND", ">PAGE", ">ENTRIES", ">WAYS", ">REACH" };
	struct ms_tlb_geometry g;
	struct ms_table *t;
	char c[4][32];
	int i;

	if (cpuid_file) {
		struct ms_cpuid_dump *d = calloc(1, sizeof(*d));

		if (!d || ms_cpuid_dump_load(cpuid_file, d)) {
			free(d);
			return ms_fail(MS_EXIT_USAGE, "tlb: --cpuid-file %s: no `cpuid -r` lines "
				       "(\"0x00000002 0x00: eax=0x... ebx=... ecx=... edx=...\")", cpuid_file);
		}
		ms_tlb_geometry_decode(&g, d);
		free(d);
	} else {
		ms_tlb_geometry_read(&g);
	}
	ms_note(ctx, "Each TLB entry translates one page: reach = entries x page size is the memory "
		"a level covers without walking page tables. A process whose working set exceeds "
		"the 4K reach misses often; huge pages multiply the reach by 512.");
	if (ctx->format != MS_FMT_TABLE) {
		struct json_object *doc = json_object_new_object(), *a = json_object_new_array();

		json_object_object_add(doc, "source", json_object_new_string(g.source));
		for (i = 0; i < g.n; i++) {
			struct json_object *o = json_object_new_object();

			json_object_object_add(o, "level", json_object_new_string(g.levels[i].level));
			json_object_object_add(o, "kind", json_object_new_string(g.levels[i].kind));
			json_object_object_add(o, "page_kb", ms_json_int(g.levels[i].page_kb));
			json_object_object_add(o, "entries", ms_json_int(g.levels[i].entries));
			json_object_object_add(o, "ways", ms_json_int(g.levels[i].ways));
			json_object_array_add(a, o);
		}
		json_object_object_add(doc, "tlbs", a);
		ms_json_print(ctx, doc);
		return MS_EXIT_OK;
	}
	ms_para(ctx, "TLB geometry from %s\n", g.source);
	if (!g.n) {
		ms_notes_print(ctx);
		return MS_EXIT_OK;
	}
	t = ms_table_new(6, heads);
	for (i = 0; i < g.n; i++) {
		const struct ms_tlb_level *l = &g.levels[i];

		ms_fmt_bytes_human((uint64_t)l->page_kb << 10, c[0], 32);
		snprintf(c[1], 32, "%u", l->entries);
		if (l->ways == l->entries)
			snprintf(c[2], 32, "full");
		else if (!l->ways)
			snprintf(c[2], 32, "-");
		else
			snprintf(c[2], 32, "%u", l->ways);
		ms_fmt_bytes_human((uint64_t)l->entries * l->page_kb << 10, c[3], 32);
		ms_table_add(t, (const char *[]){ l->level, l->kind, c[0], c[1], c[2], c[3] });
	}
	ms_table_print(t, ctx->out);
	ms_table_free(t);
	ms_para(ctx, "REACH: memory one full TLB level can translate without a page walk.\n");
	ms_notes_print(ctx);
	return MS_EXIT_OK;
}

static int ms_tlb_sample(struct ms_ctx *ctx, void *arg, void *cur)
{
	(void)arg;
	return ms_tlb_fetch(ctx, cur);
}

/* Watching shows rates over each interval: the first sample is only their base. */
static int ms_tlb_show(struct ms_ctx *ctx, void *arg, const void *cur, const void *prev)
{
	const struct ms_info_rec *info = arg;
	double interval = ctx->watch.interval;
	struct ms_tlb_list delta;

	if (interval && !prev) {
		if (ctx->format == MS_FMT_TABLE)
			ms_para(ctx, "measuring for %.1f s...\n", interval);
		return MS_EXIT_OK;
	}
	ms_tlb_delta(cur, interval ? prev : NULL, &delta);
	ms_tlb_explain_notes(ctx, info, &delta, interval);
	if (ctx->format != MS_FMT_TABLE) {
		ms_json_print(ctx, ms_tlb_json(info, &delta, interval));
	} else {
		ms_tlb_print(ctx, info, &delta, interval);
		ms_notes_print(ctx);
	}
	free(delta.cpus);
	return MS_EXIT_OK;
}

static void ms_tlb_release(void *rec)
{
	free(((struct ms_tlb_list *)rec)->cpus);
}

static const struct ms_sampler ms_tlb_sampler = {
	.size = sizeof(struct ms_tlb_list),
	.fetch = ms_tlb_sample,
	.show = ms_tlb_show,
	.release = ms_tlb_release,
};

static int ms_tlb_run(struct ms_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		MS_COMMON_OPTS, MS_WATCH_OPTS,
		{ "top", optional_argument, NULL, 't' },
		{ "reset", no_argument, NULL, 'r' },
		{ "geometry", no_argument, NULL, 'g' },
		{ "cpuid-file", required_argument, NULL, 'f' },
		{ 0 }
	};
	struct ms_info_rec info;
	unsigned long top = 0;
	bool reset = false, geometry = false;
	const char *cpuid_file = NULL;
	int c, err;

	while ((c = getopt_long(argc, argv, "+" MS_COMMON_SHORTOPTS "w:c:", opts, NULL)) != -1) {
		if (c == 'w' || c == 'c') {
			err = ms_watch_opt(&ctx->watch, c, optarg);
		} else if (c == 't') {
			top = 10;
			err = optarg ? ms_parse_uint("--top", optarg, 64, &top) : 0;
			if (!err && !top)
				err = ms_fail(MS_EXIT_USAGE, "--top: give 1 to 64 processes");
		} else if (c == 'r') {
			reset = true;
			err = 0;
		} else if (c == 'g') {
			geometry = true;
			err = 0;
		} else if (c == 'f') {
			cpuid_file = optarg;
			geometry = true;
			err = 0;
		} else {
			err = ms_common_opt(ctx, &ms_cmd_tlb, c, argv);
		}
		if (err)
			return err < 0 ? MS_EXIT_OK : err;
	}
	ms_output_setup(ctx);
	if (geometry)
		return ms_tlb_geometry_show(ctx, cpuid_file);
	err = ms_nl_open(ctx);
	if (!err)
		err = ms_info_fetch(ctx, &info);
	if (err)
		return err;
	if (reset)
		return ms_tlb_reset_request(ctx);
	if (optind < argc)
		return ms_tlb_run_command(ctx, &info, argv + optind);
	if (top) {
		struct ms_tlb_top t = { 0 };

		err = ms_tlb_top_fetch(ctx, (unsigned int)top, &t);
		ms_note(ctx, "A process appears here for flushes it caused: changing its own mappings "
			"(local) and asking other CPUs running its threads to flush (IPIs sent). "
			"Many threads plus frequent munmap/mprotect put a process at the top.");
		if (!err && ctx->format != MS_FMT_TABLE) {
			struct json_object *doc = json_object_new_object();

			json_object_object_add(doc, "top", ms_tlb_top_json(&info, &t));
			ms_json_print(ctx, doc);
		} else if (!err) {
			ms_tlb_top_print(ctx, &info, &t);
			ms_notes_print(ctx);
		}
		return err;
	}
	if (ctx->watch.interval) {	/* the first sample is the baseline of the first rate */
		ctx->watch.baseline = 1;
		if (ctx->watch.count)
			ctx->watch.count++;
	}
	return ms_watch_run(ctx, &ms_tlb_sampler, &info);
}

const struct ms_cmd ms_cmd_tlb = {
	.name = "tlb",
	.summary = "TLB flushes by CPU and reason, rates, top processes, or what a command causes",
	.usage = "[--watch SECS [--count N]] [--top[=N]] [--reset] [--geometry [--cpuid-file FILE]] [--explain] [--json|--raw] [-- CMD [ARGS...]]",
	.run = ms_tlb_run,
};
