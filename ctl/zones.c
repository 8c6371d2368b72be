// SPDX-License-Identifier: GPL-2.0
/* memscopectl zones: sizes, watermarks and headroom of every zone. */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "nl.h"
#include "output.h"
#include "subjects.h"
#include "watch.h"
#include "uapi/memscope.h"

static uint64_t ms_u64(struct nlattr *a)
{
	return a ? nla_get_u64(a) : 0;
}

static void ms_zone_parse_stats(struct ms_zone_rec *z, struct nlattr *nest)
{
	struct nlattr *item, *tb[MEMSCOPE_STAT_A_MAX + 1];
	int rem;

	nla_for_each_nested(item, nest, rem) {
		struct ms_stat *s;

		if (z->nr_stats >= MS_MAX_STATS ||
		    nla_parse_nested(tb, MEMSCOPE_STAT_A_MAX, item, NULL) ||
		    !tb[MEMSCOPE_STAT_A_NAME])
			continue;
		s = &z->stats[z->nr_stats++];
		snprintf(s->name, sizeof(s->name), "%s", nla_get_string(tb[MEMSCOPE_STAT_A_NAME]));
		s->value = ms_u64(tb[MEMSCOPE_STAT_A_VALUE]);
	}
}

static void ms_zone_parse_pcp(struct ms_zone_rec *z, struct nlattr *nest)
{
	struct nlattr *item, *tb[MEMSCOPE_PCP_A_MAX + 1];
	int rem, n = 0;

	nla_for_each_nested(item, nest, rem)
		n++;
	z->pcp = calloc(n ? n : 1, sizeof(*z->pcp));
	if (!z->pcp)
		abort();
	nla_for_each_nested(item, nest, rem) {
		struct ms_pcp *p;

		if (nla_parse_nested(tb, MEMSCOPE_PCP_A_MAX, item, NULL))
			continue;
		p = &z->pcp[z->nr_pcp++];
		p->cpu = tb[MEMSCOPE_PCP_A_CPU] ? nla_get_u32(tb[MEMSCOPE_PCP_A_CPU]) : 0;
		p->count = tb[MEMSCOPE_PCP_A_COUNT] ? nla_get_u32(tb[MEMSCOPE_PCP_A_COUNT]) : 0;
		p->high = tb[MEMSCOPE_PCP_A_HIGH] ? nla_get_u32(tb[MEMSCOPE_PCP_A_HIGH]) : 0;
		p->batch = tb[MEMSCOPE_PCP_A_BATCH] ? nla_get_u32(tb[MEMSCOPE_PCP_A_BATCH]) : 0;
	}
}

int ms_zone_parse(struct nlattr **tb, void *arg)
{
	struct ms_zone_list *l = arg;
	struct ms_zone_rec *z;

	z = ms_append(&l->zones, &l->n, sizeof(*z));
	z->node = tb[MEMSCOPE_ZONE_A_NODE] ? nla_get_u32(tb[MEMSCOPE_ZONE_A_NODE]) : 0;
	if (tb[MEMSCOPE_ZONE_A_NAME])
		snprintf(z->name, sizeof(z->name), "%s", nla_get_string(tb[MEMSCOPE_ZONE_A_NAME]));
	z->index = tb[MEMSCOPE_ZONE_A_INDEX] ? nla_get_u32(tb[MEMSCOPE_ZONE_A_INDEX]) : 0;
	z->has_start_pfn = tb[MEMSCOPE_ZONE_A_START_PFN] != NULL;
	z->start_pfn = ms_u64(tb[MEMSCOPE_ZONE_A_START_PFN]);
	z->spanned = ms_u64(tb[MEMSCOPE_ZONE_A_SPANNED]);
	z->present = ms_u64(tb[MEMSCOPE_ZONE_A_PRESENT]);
	z->managed = ms_u64(tb[MEMSCOPE_ZONE_A_MANAGED]);
	z->cma = ms_u64(tb[MEMSCOPE_ZONE_A_CMA]);
	z->free = ms_u64(tb[MEMSCOPE_ZONE_A_FREE]);
	z->wmark_min = ms_u64(tb[MEMSCOPE_ZONE_A_WMARK_MIN]);
	z->wmark_low = ms_u64(tb[MEMSCOPE_ZONE_A_WMARK_LOW]);
	z->wmark_high = ms_u64(tb[MEMSCOPE_ZONE_A_WMARK_HIGH]);
	z->wmark_promo = ms_u64(tb[MEMSCOPE_ZONE_A_WMARK_PROMO]);
	z->wmark_boost = ms_u64(tb[MEMSCOPE_ZONE_A_WMARK_BOOST]);
	z->kswapd_wake = tb[MEMSCOPE_ZONE_A_KSWAPD_WAKE] &&
			 nla_get_u8(tb[MEMSCOPE_ZONE_A_KSWAPD_WAKE]);
	if (tb[MEMSCOPE_ZONE_A_LOWMEM_RESERVE])
		z->nr_lowmem_reserve = ms_nla_u64_array(tb[MEMSCOPE_ZONE_A_LOWMEM_RESERVE],
							z->lowmem_reserve, MS_MAX_ZONES);
	if (tb[MEMSCOPE_ZONE_A_STATS])
		ms_zone_parse_stats(z, tb[MEMSCOPE_ZONE_A_STATS]);
	if (tb[MEMSCOPE_ZONE_A_PCP])
		ms_zone_parse_pcp(z, tb[MEMSCOPE_ZONE_A_PCP]);
	return MS_EXIT_OK;
}

void ms_zone_list_free(struct ms_zone_list *l)
{
	int i;

	for (i = 0; i < l->n; i++)
		free(l->zones[i].pcp);
	free(l->zones);
	l->zones = NULL;
	l->n = 0;
}

static const struct ms_zone_rec *ms_zone_find(const struct ms_zone_list *l,
					      const struct ms_zone_rec *z)
{
	int i;

	for (i = 0; l && i < l->n; i++)
		if (l->zones[i].node == z->node && l->zones[i].index == z->index)
			return &l->zones[i];
	return NULL;
}

static void ms_zones_print_node(const struct ms_ctx *ctx, const struct ms_zone_list *l,
				uint32_t node, const struct ms_zone_list *prev)
{
	static const char *const heads[] = {
		"ZONE", ">MANAGED", ">FREE", ">MIN", ">LOW", ">HIGH", ">HEADROOM", ">CHANGE", "STATE",
	};
	char c[8][32], paint[64];
	struct ms_table *t = ms_table_new(9, heads);
	int i;

	for (i = 0; i < l->n; i++) {
		const struct ms_zone_rec *z = &l->zones[i], *p = ms_zone_find(prev, z);
		int64_t headroom = (int64_t)z->free - (int64_t)z->wmark_low;
		const char *state = z->kswapd_wake ? "below low: kswapd wakes" :
				    z->free < z->wmark_high ? "below high" : "ok";

		if (z->node != node)
			continue;
		ms_fmt_pages(ctx, z->managed, c[0], 32);
		ms_fmt_pages(ctx, z->free, c[1], 32);
		ms_fmt_pages(ctx, z->wmark_min, c[2], 32);
		ms_fmt_pages(ctx, z->wmark_low, c[3], 32);
		ms_fmt_pages(ctx, z->wmark_high, c[4], 32);
		ms_fmt_delta(ctx, headroom, c[5], 32);
		if (p)
			ms_fmt_delta(ctx, (int64_t)z->free - (int64_t)p->free, c[6], 32);
		else
			snprintf(c[6], 32, "-");
		state = ms_paint(ctx, z->kswapd_wake ? MS_STYLE_BAD : z->free < z->wmark_high ?
				 MS_STYLE_WARN : MS_STYLE_GOOD, state, paint, sizeof(paint));
		ms_table_add(t, (const char *[]){ z->name, c[0], c[1], c[2], c[3], c[4], c[5],
				 c[6], state });
	}
	ms_para(ctx, "Node %u\n", node);
	ms_table_print(t, ctx->out);
	ms_table_free(t);
}

void ms_zones_print(const struct ms_ctx *ctx, const struct ms_zone_list *l,
		    const struct ms_zone_list *prev, double interval)
{
	uint32_t node = UINT32_MAX;
	int i;

	for (i = 0; i < l->n; i++) {
		if (l->zones[i].node == node)
			continue;
		if (node != UINT32_MAX)
			fputc('\n', ctx->out);
		node = l->zones[i].node;
		ms_zones_print_node(ctx, l, node, prev);
	}
	if (prev && interval > 0)
		ms_para(ctx, "\nCHANGE: free memory change over the last %.1f s\n", interval);
	ms_para(ctx,
		"\nHEADROOM is free memory above the low watermark. Below low, kswapd starts\n"
		"reclaiming in the background until free reaches high; below min, allocations\n"
		"stall and reclaim directly.\n");
}

void ms_zones_explain(const struct ms_ctx *ctx, const struct ms_zone_list *l,
		      const struct ms_zone_list *prev, double interval)
{
	char a[32], b[32], c[32], d[32];
	int i, j;

	if (!ctx->explain)	/* the notes cost formatting: only when asked for */
		return;

	for (i = 0; i < l->n; i++) {
		const struct ms_zone_rec *z = &l->zones[i], *p = ms_zone_find(prev, z);
		uint64_t reserved = 0;

		ms_fmt_pages(ctx, z->free, a, sizeof(a));
		ms_fmt_pages(ctx, z->wmark_low, b, sizeof(b));
		ms_fmt_pages(ctx, z->wmark_min, c, sizeof(c));
		ms_fmt_pages(ctx, z->wmark_high, d, sizeof(d));
		if (z->kswapd_wake || z->free < z->wmark_low)
			ms_note(ctx, "node %u %s: free %s is below the low watermark %s: kswapd is woken "
				"and reclaims in the background until free reaches high (%s); below min "
				"(%s) allocations must reclaim themselves and stall.",
				z->node, z->name, a, b, d, c);
		else if (z->free < z->wmark_high)
			ms_note(ctx, "node %u %s: free %s is between low %s and high %s: if kswapd is "
				"already running it keeps reclaiming until high; new allocations still "
				"succeed without waiting.", z->node, z->name, a, b, d);
		else
			ms_note(ctx, "node %u %s: free %s is above the high watermark %s: no reclaim "
				"is needed; kswapd would wake only if free fell below low (%s).",
				z->node, z->name, a, d, b);
		if (z->wmark_boost) {
			ms_fmt_pages(ctx, z->wmark_boost, a, sizeof(a));
			ms_note(ctx, "node %u %s: watermarks are boosted by %s: a recent allocation had "
				"to steal a pageblock of another mobility type, so kswapd reclaims a "
				"little extra to reduce fragmentation.", z->node, z->name, a);
		}
		for (j = 0; j < z->nr_lowmem_reserve; j++)
			if (z->lowmem_reserve[j] > reserved)
				reserved = z->lowmem_reserve[j];
		if (reserved) {
			ms_fmt_pages(ctx, reserved, a, sizeof(a));
			ms_note(ctx, "node %u %s: keeps up to %s (lowmem_reserve) away from allocations "
				"that could have used a higher zone, so that they cannot exhaust it.",
				z->node, z->name, a);
		}
		if (p && interval > 0) {
			int64_t d_free = (int64_t)z->free - (int64_t)p->free;
			int64_t head = (int64_t)z->free - (int64_t)z->wmark_low;

			ms_fmt_delta(ctx, d_free, a, sizeof(a));
			if (d_free < 0 && head > 0)
				ms_note(ctx, "node %u %s: free changed by %s in %.1f s; at that rate it "
					"reaches the low watermark in about %.0f s.", z->node, z->name, a,
					interval, (double)head * interval / (double)-d_free);
			else
				ms_note(ctx, "node %u %s: free changed by %s in %.1f s.", z->node,
					z->name, a, interval);
		}
	}
}

static void ms_zone_emit(struct ms_emit *e, const struct ms_zone_rec *z)
{
	int i;

	ms_emit_object(e, NULL);
	ms_emit_int(e, "node", z->node);
	ms_emit_str(e, "zone", z->name);
	ms_emit_int(e, "index", z->index);
	if (z->has_start_pfn)
		ms_emit_u64(e, "start_pfn", z->start_pfn);
	ms_emit_u64(e, "spanned", z->spanned);
	ms_emit_u64(e, "present", z->present);
	ms_emit_u64(e, "managed", z->managed);
	ms_emit_u64(e, "cma", z->cma);
	ms_emit_u64(e, "free", z->free);
	ms_emit_object(e, "watermark");
	ms_emit_u64(e, "min", z->wmark_min);
	ms_emit_u64(e, "low", z->wmark_low);
	ms_emit_u64(e, "high", z->wmark_high);
	ms_emit_u64(e, "promo", z->wmark_promo);
	ms_emit_u64(e, "boost", z->wmark_boost);
	ms_emit_end(e);
	ms_emit_bool(e, "kswapd_wake", z->kswapd_wake);
	ms_emit_u64_array(e, "lowmem_reserve", z->lowmem_reserve, z->nr_lowmem_reserve);
	ms_emit_object(e, "stats");
	for (i = 0; i < z->nr_stats; i++)
		ms_emit_u64(e, z->stats[i].name, z->stats[i].value);
	ms_emit_end(e);
	ms_emit_array(e, "pagesets");
	for (i = 0; i < z->nr_pcp; i++) {
		ms_emit_object(e, NULL);
		ms_emit_int(e, "cpu", z->pcp[i].cpu);
		ms_emit_int(e, "count", z->pcp[i].count);
		ms_emit_int(e, "high", z->pcp[i].high);
		ms_emit_int(e, "batch", z->pcp[i].batch);
		ms_emit_end(e);
	}
	ms_emit_end(e);
	ms_emit_end(e);
}

void ms_zones_emit(struct ms_emit *e, const void *zone_list)
{
	const struct ms_zone_list *l = zone_list;
	int i;

	ms_emit_array(e, "zones");
	for (i = 0; i < l->n; i++)
		ms_zone_emit(e, &l->zones[i]);
	ms_emit_end(e);
}

struct json_object *ms_zones_json(const struct ms_zone_list *l)
{
	return ms_emit_tree(ms_zones_emit, l);
}

int ms_zone_build(struct nl_msg *msg, void *arg)
{
	const struct ms_zone_args *a = arg;

	if (a->node >= 0 && nla_put_u32(msg, MEMSCOPE_ZONE_A_NODE, (uint32_t)a->node))
		return -1;
	if (a->zone && nla_put_string(msg, MEMSCOPE_ZONE_A_NAME, a->zone))
		return -1;
	return 0;
}

/* Shared by zones and buddy: --node N and --zone NAME. */
int ms_zone_filter_opt(struct ms_zone_args *a, int c, const char *arg)
{
	unsigned long n;

	if (c == 'n') {
		if (ms_parse_uint("--node", arg, 65535, &n))
			return MS_EXIT_USAGE;
		a->node = (long)n;
		return 0;
	}
	if (strlen(arg) >= 32)
		return ms_fail(MS_EXIT_USAGE, "--zone: '%s' is too long for a zone name", arg);
	a->zone = arg;
	return 0;
}

int ms_zones_fetch(struct ms_ctx *ctx, const struct ms_zone_args *a, struct ms_zone_list *l)
{
	struct ms_request req = {
		.cmd = MEMSCOPE_CMD_GET_ZONES,
		.dump = true,
		.maxattr = MEMSCOPE_ZONE_A_MAX,
		.what = "zones",
		.build = ms_zone_build,
		.build_arg = (void *)a,
		.parse = ms_zone_parse,
		.arg = l,
	};
	int err;

	err = ms_nl_run(ctx, &req);
	if (!err && !l->n)
		err = ms_fail(MS_EXIT_NOT_FOUND,
			      "zones: no populated zone matches (see 'memscopectl info' for zone names)");
	return err;
}

static int ms_zones_sample(struct ms_ctx *ctx, void *arg, void *cur)
{
	return ms_zones_fetch(ctx, arg, cur);
}

static int ms_zones_show(struct ms_ctx *ctx, void *arg, const void *cur, const void *prev)
{
	(void)arg;
	ms_zones_explain(ctx, cur, prev, ctx->watch.interval);
	if (ctx->format != MS_FMT_TABLE) {
		ms_emit_print(ctx, ms_zones_emit, cur);
	} else {
		ms_zones_print(ctx, cur, prev, ctx->watch.interval);
		ms_notes_print(ctx);
	}
	return MS_EXIT_OK;
}

static void ms_zones_release(void *rec)
{
	ms_zone_list_free(rec);
}

static const struct ms_sampler ms_zones_sampler = {
	.size = sizeof(struct ms_zone_list),
	.fetch = ms_zones_sample,
	.show = ms_zones_show,
	.release = ms_zones_release,
};

static int ms_zones_run(struct ms_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		MS_COMMON_OPTS, MS_WATCH_OPTS,
		{ "node", required_argument, NULL, 'n' },
		{ "zone", required_argument, NULL, 'z' },
		{ 0 }
	};
	struct ms_zone_args a = { .node = -1 };
	int c, err;

	while ((c = getopt_long(argc, argv, MS_COMMON_SHORTOPTS "n:z:w:c:", opts, NULL)) != -1) {
		if (c == 'n' || c == 'z')
			err = ms_zone_filter_opt(&a, c, optarg);
		else if (c == 'w' || c == 'c')
			err = ms_watch_opt(&ctx->watch, c, optarg);
		else
			err = ms_common_opt(ctx, &ms_cmd_zones, c, argv);
		if (err)
			return err < 0 ? MS_EXIT_OK : err;
	}
	if (optind < argc)
		return ms_fail(MS_EXIT_USAGE, "zones: unexpected argument '%s' (see memscopectl zones --help)",
			       argv[optind]);
	ms_output_setup(ctx);
	err = ms_nl_open(ctx);
	return err ? err : ms_watch_run(ctx, &ms_zones_sampler, &a);
}

const struct ms_cmd ms_cmd_zones = {
	.name = "zones",
	.summary = "zones: size, free memory, watermarks and headroom, per node",
	.usage = "[--node N] [--zone NAME] [--watch SECS [--count N]] [--explain] [-p|-b|-h] [--json|--raw]",
	.run = ms_zones_run,
};
