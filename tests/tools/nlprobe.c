// SPDX-License-Identifier: GPL-2.0
/*
 * nlprobe: sends requests memscopectl never sends, through memscopectl's own
 * request path (ctl/nl.c), so tests see exactly the line a user would see.
 *
 *   nlprobe unknown-attr    GET_INFO with an attribute it does not take
 *   nlprobe wrong-type      GET_ZONES with a string where the node (u32) goes
 *   nlprobe out-of-range    GET_ZONES with node 1000000
 *   nlprobe unknown-cmd     command 200
 *   nlprobe loop N          N GET_INFO requests on one socket
 *   nlprobe walks PID N     N walks of PID on one socket through
 *                           memscopectl task's own fetch (ms_task_fetch)
 *   nlprobe bench N         in one process, N x (zones + buddy dumps, parsed
 *                           and rendered as JSON) against N x (read
 *                           /proc/zoneinfo + /proc/pagetypeinfo); prints
 *                           "memscope_ns anchor_ns" per iteration
 *   nlprobe impact SUBJECT [PID]
 *                           one request (info zones buddy tlb tlb-top pages
 *                           map task), one line per reply message carrying
 *                           its cost: "irqoff_ns resched_ns" (task: then
 *                           "lock_holds ptes_read")
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <string.h>

#include "emit.h"
#include "nl.h"
#include "subjects.h"
#include "uapi/memscope.h"

static int put_unknown(struct nl_msg *msg, void *arg)
{
	(void)arg;
	return nla_put_u32(msg, MEMSCOPE_INFO_A_PAGE_SIZE, 1);
}

static int put_wrong_type(struct nl_msg *msg, void *arg)
{
	(void)arg;
	return nla_put_string(msg, MEMSCOPE_ZONE_A_NODE, "zero");
}

static int put_big_node(struct nl_msg *msg, void *arg)
{
	(void)arg;
	return nla_put_u32(msg, MEMSCOPE_ZONE_A_NODE, 1000000);
}

static int ignore(struct nlattr **tb, void *arg)
{
	(void)tb;
	(void)arg;
	return 0;
}

struct impact {
	const char *name;
	uint8_t cmd;
	bool dump;
	int maxattr, irqoff, resched;
};

static const struct impact impacts[] = {
	{ "info", MEMSCOPE_CMD_GET_INFO, false, MEMSCOPE_INFO_A_MAX,
	  MEMSCOPE_INFO_A_IRQOFF_MAX_NS, MEMSCOPE_INFO_A_RESCHED_MAX_NS },
	{ "zones", MEMSCOPE_CMD_GET_ZONES, true, MEMSCOPE_ZONE_A_MAX,
	  MEMSCOPE_ZONE_A_IRQOFF_MAX_NS, MEMSCOPE_ZONE_A_RESCHED_MAX_NS },
	{ "buddy", MEMSCOPE_CMD_GET_BUDDY, true, MEMSCOPE_ZONE_A_MAX,
	  MEMSCOPE_ZONE_A_IRQOFF_MAX_NS, MEMSCOPE_ZONE_A_RESCHED_MAX_NS },
	{ "tlb", MEMSCOPE_CMD_GET_TLB, true, MEMSCOPE_TLB_A_MAX,
	  MEMSCOPE_TLB_A_IRQOFF_MAX_NS, MEMSCOPE_TLB_A_RESCHED_MAX_NS },
	{ "tlb-top", MEMSCOPE_CMD_GET_TLB_TOP, false, MEMSCOPE_TLB_A_MAX,
	  MEMSCOPE_TLB_A_IRQOFF_MAX_NS, MEMSCOPE_TLB_A_RESCHED_MAX_NS },
	{ "pages", MEMSCOPE_CMD_GET_PAGES, true, MEMSCOPE_PAGES_A_MAX,
	  MEMSCOPE_PAGES_A_IRQOFF_MAX_NS, MEMSCOPE_PAGES_A_RESCHED_MAX_NS },
	{ "map", MEMSCOPE_CMD_GET_MAP, true, MEMSCOPE_PAGES_A_MAX,
	  MEMSCOPE_PAGES_A_IRQOFF_MAX_NS, MEMSCOPE_PAGES_A_RESCHED_MAX_NS },
	{ "task", MEMSCOPE_CMD_GET_TASK, true, MEMSCOPE_TASK_A_MAX,
	  MEMSCOPE_TASK_A_IRQOFF_MAX_NS, MEMSCOPE_TASK_A_RESCHED_MAX_NS },
};

static uint64_t get_u64(struct nlattr **tb, int attr)
{
	return tb[attr] ? nla_get_u64(tb[attr]) : 0;
}

static int print_impact(struct nlattr **tb, void *arg)
{
	const struct impact *im = arg;

	if (!tb[im->irqoff] || !tb[im->resched])
		return 0;	/* a GET_TASK VMA message */
	printf("%llu %llu", (unsigned long long)get_u64(tb, im->irqoff),
	       (unsigned long long)get_u64(tb, im->resched));
	if (im->cmd == MEMSCOPE_CMD_GET_TASK)
		printf(" %u %llu", tb[MEMSCOPE_TASK_A_LOCK_HOLDS] ?
		       nla_get_u32(tb[MEMSCOPE_TASK_A_LOCK_HOLDS]) : 0,
		       (unsigned long long)(get_u64(tb, MEMSCOPE_TASK_A_PRESENT) +
					    get_u64(tb, MEMSCOPE_TASK_A_NONE) +
					    get_u64(tb, MEMSCOPE_TASK_A_SWAP) +
					    get_u64(tb, MEMSCOPE_TASK_A_MIGRATION)));
	printf("\n");
	return 0;
}

static int put_pid(struct nl_msg *msg, void *arg)
{
	return nla_put_u32(msg, MEMSCOPE_TASK_A_PID, *(uint32_t *)arg);
}

static int impact(struct ms_ctx *ctx, const char *name, uint32_t pid)
{
	struct ms_request req = { 0 };
	size_t i;

	for (i = 0; i < sizeof(impacts) / sizeof(impacts[0]); i++)
		if (!strcmp(impacts[i].name, name))
			break;
	if (i == sizeof(impacts) / sizeof(impacts[0]) ||
	    (impacts[i].cmd == MEMSCOPE_CMD_GET_TASK && !pid)) {
		fprintf(stderr, "nlprobe impact: info|zones|buddy|tlb|tlb-top|pages|map|task PID\n");
		return 2;
	}
	req.cmd = impacts[i].cmd;
	req.dump = impacts[i].dump;
	req.maxattr = impacts[i].maxattr;
	req.what = name;
	req.parse = print_impact;
	req.arg = (void *)&impacts[i];
	if (pid) {
		req.build = put_pid;
		req.build_arg = &pid;
	}
	return ms_nl_run(ctx, &req);
}

static int walks(struct ms_ctx *ctx, uint32_t pid, int n)
{
	const struct ms_task_args a = { .pid = pid };
	int i, err = 0;

	for (i = 0; i < n && !err; i++) {
		struct ms_task t = { 0 };

		err = ms_task_fetch(ctx, &a, &t);
		free(t.vmas);
	}
	printf("%d walks, last error %d\n", i, err);
	return err;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void slurp(const char *path)
{
	static char buf[1 << 16];
	int fd = open(path, O_RDONLY);

	while (fd >= 0 && read(fd, buf, sizeof(buf)) > 0)
		;
	if (fd >= 0)
		close(fd);
}

/* Adds the time since *mark to *sum and restarts the mark; only when timing parts. */
static void lap(bool parts, double *mark, double *sum)
{
	double now;

	if (!parts)
		return;
	now = now_ns();
	*sum += now - *mark;
	*mark = now;
}

/*
 * One iteration of each side; with @parts, t[1..6] get the parts' times.
 * The JSON is rendered as memscopectl renders it, into @json's stream.
 */
static int bench_once(struct ms_ctx *ctx, struct ms_ctx *json, const struct ms_info_rec *info,
		      bool parts, double *t)
{
	struct ms_zone_args all = { .node = -1 };
	struct ms_zone_list zl = { 0 };
	struct ms_buddy_list bl = { 0 };
	struct ms_request zr = {
		.cmd = MEMSCOPE_CMD_GET_ZONES, .dump = true, .maxattr = MEMSCOPE_ZONE_A_MAX,
		.what = "zones", .build = ms_zone_build, .build_arg = &all,
		.parse = ms_zone_parse, .arg = &zl,
	};
	struct ms_request br = zr;
	struct ms_buddy_doc doc = { info, &bl };
	double mark = parts ? now_ns() : 0;
	int err;

	br.cmd = MEMSCOPE_CMD_GET_BUDDY;
	br.parse = ms_buddy_parse;
	br.arg = &bl;
	err = ms_nl_run(ctx, &zr);
	lap(parts, &mark, &t[1]);
	err = err || ms_nl_run(ctx, &br);
	lap(parts, &mark, &t[2]);
	ms_emit_print(json, ms_zones_emit, &zl);
	lap(parts, &mark, &t[3]);
	ms_emit_print(json, ms_buddy_emit, &doc);
	lap(parts, &mark, &t[4]);
	ms_zone_list_free(&zl);
	free(bl.zones);
	return err;
}

static void proc_once(bool parts, double *t)
{
	double mark = parts ? now_ns() : 0;

	slurp("/proc/zoneinfo");
	lap(parts, &mark, &t[5]);
	slurp("/proc/pagetypeinfo");
	lap(parts, &mark, &t[6]);
}

/*
 * Prints: memscope ns, /proc ns, JSON ns (all per iteration), then the parts:
 * zones dump, buddy dump, zones JSON, buddy JSON, /proc/zoneinfo,
 * /proc/pagetypeinfo. The two totals come from loops that read no clock
 * inside (a clock read costs tens of microseconds under TCG, and the sides
 * have different numbers of parts); the parts from a second, timed pass.
 */
static int bench(struct ms_ctx *ctx, int n)
{
	struct ms_ctx json = { .format = MS_FMT_JSON, .out = fopen("/dev/null", "w") };
	struct ms_info_rec info;
	double t[7] = { 0 }, t0, t1, t2;
	int i, err;

	if (!json.out)
		return MS_EXIT_ERROR;
	err = ms_info_fetch(ctx, &info);
	t0 = now_ns();
	for (i = 0; i < n && !err; i++)
		err = bench_once(ctx, &json, &info, false, t);
	t1 = now_ns();
	for (i = 0; i < n; i++)
		proc_once(false, t);
	t2 = now_ns();
	for (i = 0; i < n && !err; i++) {
		err = bench_once(ctx, &json, &info, true, t);
		proc_once(true, t);
	}
	printf("%.0f %.0f %.0f", (t1 - t0) / n, (t2 - t1) / n, (t[3] + t[4]) / n);
	for (i = 1; i < 7; i++)
		printf(" %.0f", t[i] / n);
	printf("\n");
	fclose(json.out);
	return err;
}

int main(int argc, char **argv)
{
	struct ms_ctx ctx = { .out = stdout };
	struct ms_request req = { .maxattr = MEMSCOPE_ZONE_A_MAX, .parse = ignore };
	const char *mode = argc > 1 ? argv[1] : "";
	int err, i, n;

	err = ms_nl_open(&ctx);
	if (err)
		return err;
	if (!strcmp(mode, "unknown-attr")) {
		req.cmd = MEMSCOPE_CMD_GET_INFO;
		req.what = "info";
		req.build = put_unknown;
	} else if (!strcmp(mode, "wrong-type")) {
		req.cmd = MEMSCOPE_CMD_GET_ZONES;
		req.dump = true;
		req.what = "zones";
		req.build = put_wrong_type;
	} else if (!strcmp(mode, "out-of-range")) {
		req.cmd = MEMSCOPE_CMD_GET_ZONES;
		req.dump = true;
		req.what = "zones";
		req.build = put_big_node;
	} else if (!strcmp(mode, "unknown-cmd")) {
		req.cmd = 200;
		req.what = "command 200";
	} else if (!strcmp(mode, "loop") && argc > 2) {
		struct ms_info_rec rec;

		n = atoi(argv[2]);
		for (i = 0; i < n && !err; i++)
			err = ms_info_fetch(&ctx, &rec);
		printf("%d requests, last error %d\n", i, err);
		ms_nl_close(&ctx);
		return err;
	} else if (!strcmp(mode, "walks") && argc > 3) {
		err = walks(&ctx, (uint32_t)strtoul(argv[2], NULL, 10), atoi(argv[3]));
		ms_nl_close(&ctx);
		return err;
	} else if (!strcmp(mode, "impact") && argc > 2) {
		err = impact(&ctx, argv[2], argc > 3 ? strtoul(argv[3], NULL, 10) : 0);
		ms_nl_close(&ctx);
		return err;
	} else if (!strcmp(mode, "bench") && argc > 2) {
		err = bench(&ctx, atoi(argv[2]));
		ms_nl_close(&ctx);
		return err;
	} else {
		fprintf(stderr, "usage: nlprobe unknown-attr|wrong-type|out-of-range|unknown-cmd|loop N|walks PID N|bench N|impact SUBJECT [PID]\n");
		return 2;
	}
	err = ms_nl_run(&ctx, &req);
	ms_nl_close(&ctx);
	return err;
}
