// SPDX-License-Identifier: GPL-2.0
/* memscopectl pages: every physical page counted by what it is, per zone. */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "nl.h"
#include "output.h"
#include "subjects.h"
#include "watch.h"

struct ms_class_help {
	const char *name;
	const char *help;
};

/* What each class means, for the table; docs/pages.md has the kernel predicates. */
static const struct ms_class_help ms_class_help[] = {
	{ "free", "on the buddy allocator's free lists" },
	{ "active_anon", "process memory and shmem, recently used" },
	{ "inactive_anon", "process memory and shmem, candidates for swap" },
	{ "active_file", "page cache, recently used" },
	{ "inactive_file", "page cache, reclaimed first" },
	{ "unevictable", "on the LRU but cannot be reclaimed (mlock, ramfs)" },
	{ "slab", "kernel objects (slab allocator)" },
	{ "pagetable", "page tables of processes" },
	{ "reserved", "reserved at boot (kernel image, firmware)" },
	{ "hugetlb", "hugetlbfs huge pages in use" },
	{ "hugetlb_free", "hugetlbfs huge pages reserved, unused" },
	{ "other_compound", "other multi-page kernel allocations" },
	{ "zero_ref", "unreferenced, not in the buddy: mostly per-CPU free lists" },
	{ "offline", "logically offline (balloon, hot-unplug)" },
	{ "poisoned", "hardware memory errors" },
	{ "unknown", "other kernel allocations (vmalloc, stacks, buffers)" },
	{ "mlocked", "locked in memory by mlock()" },
	{ "dirty", "modified, not yet written back" },
	{ "writeback", "being written back now" },
	{ "swapcache", "in the swap cache" },
	{ "swapbacked", "backed by swap: anonymous or shmem" },
	{ "shmem", "shared memory and tmpfs" },
	{ "anon", "anonymous process memory" },
	{ "thp", "in transparent huge pages" },
	{ "thp_anon", "in anonymous transparent huge pages" },
	{ "thp_file", "in page-cache huge pages" },
	{ "active_file_dirty", "active page cache, dirty" },
	{ "inactive_file_dirty", "inactive page cache, dirty" },
	{ "active_anon_dirty", "active anon/shmem, dirty" },
	{ "inactive_anon_dirty", "inactive anon/shmem, dirty" },
};

static const char *ms_class_explain(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(ms_class_help) / sizeof(ms_class_help[0]); i++)
		if (!strcmp(ms_class_help[i].name, name))
			return ms_class_help[i].help;
	return "";
}

int ms_pages_parse(struct nlattr **tb, void *arg)
{
	struct ms_pages_list *l = arg;
	struct ms_pages_rec *z;

	z = ms_append(&l->zones, &l->n, sizeof(*z));
	if (tb[MEMSCOPE_PAGES_A_NODE])
		z->node = nla_get_u32(tb[MEMSCOPE_PAGES_A_NODE]);
	if (tb[MEMSCOPE_PAGES_A_ZONE])
		snprintf(z->zone, sizeof(z->zone), "%s", nla_get_string(tb[MEMSCOPE_PAGES_A_ZONE]));
	if (tb[MEMSCOPE_PAGES_A_PAGES])
		z->pages = nla_get_u64(tb[MEMSCOPE_PAGES_A_PAGES]);
	if (tb[MEMSCOPE_PAGES_A_CLASSES])
		ms_nla_u64_array(tb[MEMSCOPE_PAGES_A_CLASSES], z->classes, MS_MAX_CLASSES);
	if (tb[MEMSCOPE_PAGES_A_SCAN_NS])
		z->scan_ns = nla_get_u64(tb[MEMSCOPE_PAGES_A_SCAN_NS]);
	if (tb[MEMSCOPE_PAGES_A_RESCHED_MAX_NS])
		z->resched_max_ns = nla_get_u64(tb[MEMSCOPE_PAGES_A_RESCHED_MAX_NS]);
	return MS_EXIT_OK;
}

static const struct ms_pages_rec *ms_pages_find(const struct ms_pages_list *l,
						const struct ms_pages_rec *z)
{
	int i;

	for (i = 0; l && i < l->n; i++)
		if (l->zones[i].node == z->node && !strcmp(l->zones[i].zone, z->zone))
			return &l->zones[i];
	return NULL;
}

static void ms_pages_print_zone(const struct ms_ctx *ctx, const struct ms_info_rec *info,
				const struct ms_pages_rec *z, const struct ms_pages_rec *p)
{
	static const char *const heads[] = { "CLASS", ">SIZE", ">SHARE", ">CHANGE", "" };
	struct ms_table *t = ms_table_new(p ? 5 : 4, p ? heads :
		(const char *const[]){ "CLASS", ">SIZE", ">SHARE", "" });
	char size[32], share[16], change[32], total[32];
	int i;

	for (i = 0; i < info->nr_page_classes; i++) {
		const char *name = info->page_classes[i];

		if (i == info->page_kinds)
			ms_table_add(t, p ? (const char *[]){ "(flags: these overlap the kinds above)", "", "", "", "" } :
				     (const char *[]){ "(flags: these overlap the kinds above)", "", "", "" });
		if (i >= info->page_kinds && !z->classes[i] && !(p && p->classes[i]))
			continue;
		ms_fmt_pages(ctx, z->classes[i], size, sizeof(size));
		snprintf(share, sizeof(share), "%.1f%%",
			 z->pages ? 100.0 * (double)z->classes[i] / (double)z->pages : 0.0);
		if (p) {
			ms_fmt_delta(ctx, (int64_t)z->classes[i] - (int64_t)p->classes[i], change,
				     sizeof(change));
			ms_table_add(t, (const char *[]){ name, size, share, change, ms_class_explain(name) });
		} else {
			ms_table_add(t, (const char *[]){ name, size, share, ms_class_explain(name) });
		}
	}
	ms_para(ctx, "Node %u, zone %s: %s in %" PRIu64 " pages, counted in %.1f ms\n",
		z->node, z->zone, ms_fmt_pages(ctx, z->pages, total, sizeof(total)), z->pages,
		(double)z->scan_ns / 1e6);
	ms_table_print(t, ctx->out);
	ms_table_free(t);
}

void ms_pages_print(const struct ms_ctx *ctx, const struct ms_info_rec *info,
		    const struct ms_pages_list *l, const struct ms_pages_list *prev)
{
	int i;

	for (i = 0; i < l->n; i++) {
		if (i)
			fputc('\n', ctx->out);
		ms_pages_print_zone(ctx, info, &l->zones[i], ms_pages_find(prev, &l->zones[i]));
	}
	ms_para(ctx,
		"\nEvery page is counted once in the kinds (free ... unknown), a huge page with\n"
		"its full size. LRU pages are active or inactive: reclaim takes inactive pages\n"
		"first; dirty page cache must be written back before it can be reclaimed.\n");
}

static int ms_pages_build(struct nl_msg *msg, void *arg);

static int ms_class_index(const struct ms_info_rec *info, const char *name)
{
	int i;

	for (i = 0; i < info->nr_page_classes; i++)
		if (!strcmp(info->page_classes[i], name))
			return i;
	return -1;
}

static uint64_t ms_class_sum(const struct ms_info_rec *info, const struct ms_pages_list *l,
			     const char *name)
{
	int c = ms_class_index(info, name), i;
	uint64_t v = 0;

	for (i = 0; c >= 0 && i < l->n; i++)
		v += l->zones[i].classes[c];
	return v;
}

static int ms_sysctl_int(const char *path, int dflt)
{
	FILE *f = fopen(path, "r");
	int v = dflt;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = dflt;
		fclose(f);
	}
	return v;
}

void ms_pages_explain(const struct ms_ctx *ctx, const struct ms_info_rec *info,
		      const struct ms_pages_list *l, const struct ms_pages_list *prev)
{
	uint64_t total = 0, free = ms_class_sum(info, l, "free");
	uint64_t af = ms_class_sum(info, l, "active_file"), inf = ms_class_sum(info, l, "inactive_file");
	uint64_t aa = ms_class_sum(info, l, "active_anon"), ia = ms_class_sum(info, l, "inactive_anon");
	uint64_t dirty = ms_class_sum(info, l, "dirty"), wb = ms_class_sum(info, l, "writeback");
	uint64_t slab = ms_class_sum(info, l, "slab"), dirtyable = free + af + inf;
	int bg = ms_sysctl_int("/proc/sys/vm/dirty_background_ratio", 10);
	int fg = ms_sysctl_int("/proc/sys/vm/dirty_ratio", 20);
	char a[32], b[32], c[32], d[32];
	int i;

	if (!ctx->explain)
		return;

	for (i = 0; i < l->n; i++)
		total += l->zones[i].pages;
	if (!total)
		return;
	ms_fmt_pages(ctx, free, a, sizeof(a));
	ms_note(ctx, "free %s (%.1f%%): pages on the buddy free lists; Linux keeps little memory "
		"free on purpose and uses the rest as page cache.", a, 100.0 * (double)free / (double)total);
	ms_fmt_pages(ctx, af + inf, a, sizeof(a));
	ms_fmt_pages(ctx, inf, b, sizeof(b));
	ms_note(ctx, "page cache %s, of which %s inactive: file pages reclaim drops first (clean "
		"ones cost nothing to drop, they are re-read from disk when needed).", a, b);
	ms_fmt_pages(ctx, aa + ia, a, sizeof(a));
	ms_fmt_pages(ctx, ia, b, sizeof(b));
	ms_note(ctx, "anonymous and shmem %s, of which %s inactive: these can only leave memory "
		"by being written to swap.", a, b);
	ms_fmt_pages(ctx, dirty, a, sizeof(a));
	ms_fmt_pages(ctx, wb, b, sizeof(b));
	ms_fmt_pages(ctx, dirtyable * (uint64_t)bg / 100, c, sizeof(c));
	ms_note(ctx, "dirty %s (%.1f%% of the about %s free and page-cache memory writeback is "
		"measured against), %s under writeback: above dirty_background_ratio (%d%%, about "
		"%s) the flusher threads start writing back; above dirty_ratio (%d%%) writers are "
		"throttled.", a, dirtyable ? 100.0 * (double)dirty / (double)dirtyable : 0.0,
		ms_fmt_pages(ctx, dirtyable, d, sizeof(d)), b, bg, c, fg);
	ms_fmt_pages(ctx, slab, a, sizeof(a));
	ms_note(ctx, "slab %s: kernel objects (inodes, dentries, network buffers); 'slabtop' "
		"breaks it down; reclaimable caches shrink under memory pressure.", a);
	if (prev) {
		int64_t d_free = (int64_t)free - (int64_t)ms_class_sum(info, prev, "free");
		int64_t d_cache = (int64_t)(af + inf) -
				  (int64_t)(ms_class_sum(info, prev, "active_file") +
					    ms_class_sum(info, prev, "inactive_file"));
		int64_t d_dirty = (int64_t)dirty - (int64_t)ms_class_sum(info, prev, "dirty");

		ms_fmt_delta(ctx, d_free, a, sizeof(a));
		ms_fmt_delta(ctx, d_cache, b, sizeof(b));
		ms_fmt_delta(ctx, d_dirty, c, sizeof(c));
		ms_note(ctx, "since the last sample: free %s, page cache %s, dirty %s. Page cache "
			"growing while free shrinks is reading or writing files; dirty falling while "
			"writeback is non-zero is the flusher at work.", a, b, c);
	}
}

int ms_pages_fetch(struct ms_ctx *ctx, const struct ms_zone_args *a, struct ms_pages_list *l)
{
	struct ms_request req = {
		.cmd = MEMSCOPE_CMD_GET_PAGES, .dump = true, .maxattr = MEMSCOPE_PAGES_A_MAX,
		.what = "pages", .build = ms_pages_build, .build_arg = (void *)a,
		.parse = ms_pages_parse, .arg = l,
	};
	int err;

	memset(l, 0, sizeof(*l));
	err = ms_nl_run(ctx, &req);
	if (!err && !l->n)
		err = ms_fail(MS_EXIT_NOT_FOUND,
			      "pages: no populated zone matches (see 'memscopectl info' for zone names)");
	return err;
}

static struct json_object *ms_pages_classes_json(const struct ms_info_rec *info,
						 const uint64_t *v)
{
	struct json_object *o = json_object_new_object();
	int i;

	for (i = 0; i < info->nr_page_classes; i++)
		json_object_object_add(o, info->page_classes[i], ms_json_u64(v[i]));
	return o;
}

struct json_object *ms_pages_json(const struct ms_info_rec *info, const struct ms_pages_list *l)
{
	struct json_object *doc = json_object_new_object();
	struct json_object *zones = json_object_new_array();
	struct json_object *totals = json_object_new_object();
	uint64_t sum[MS_MAX_CLASSES] = { 0 }, pages = 0, scan = 0;
	int i, c;

	for (i = 0; i < l->n; i++) {
		const struct ms_pages_rec *z = &l->zones[i];
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "node", ms_json_int(z->node));
		json_object_object_add(o, "zone", json_object_new_string(z->zone));
		json_object_object_add(o, "pages", ms_json_u64(z->pages));
		json_object_object_add(o, "classes", ms_pages_classes_json(info, z->classes));
		json_object_object_add(o, "scan_ns", ms_json_u64(z->scan_ns));
		json_object_object_add(o, "resched_max_ns", ms_json_u64(z->resched_max_ns));
		json_object_array_add(zones, o);
		for (c = 0; c < MS_MAX_CLASSES; c++)
			sum[c] += z->classes[c];
		pages += z->pages;
		scan += z->scan_ns;
	}
	json_object_object_add(totals, "pages", ms_json_u64(pages));
	json_object_object_add(totals, "classes", ms_pages_classes_json(info, sum));
	json_object_object_add(doc, "zones", zones);
	json_object_object_add(doc, "totals", totals);
	json_object_object_add(doc, "scan_ns", ms_json_u64(scan));
	return doc;
}

static int ms_pages_build(struct nl_msg *msg, void *arg)
{
	const struct ms_zone_args *a = arg;

	if (a->node >= 0 && nla_put_u32(msg, MEMSCOPE_PAGES_A_NODE, (uint32_t)a->node))
		return -1;
	if (a->zone && nla_put_string(msg, MEMSCOPE_PAGES_A_ZONE, a->zone))
		return -1;
	if (a->floor && nla_put_flag(msg, MEMSCOPE_PAGES_A_FLOOR))
		return -1;
	return 0;
}

static int ms_pages_sample(struct ms_ctx *ctx, void *arg, void *cur)
{
	struct ms_zone_query *q = arg;

	return ms_pages_fetch(ctx, &q->a, cur);
}

static int ms_pages_show(struct ms_ctx *ctx, void *arg, const void *cur, const void *prev)
{
	const struct ms_zone_query *q = arg;

	ms_pages_explain(ctx, &q->info, cur, prev);
	if (ctx->format != MS_FMT_TABLE) {
		ms_json_print(ctx, ms_pages_json(&q->info, cur));
	} else {
		ms_pages_print(ctx, &q->info, cur, prev);
		ms_notes_print(ctx);
	}
	return MS_EXIT_OK;
}

static void ms_pages_release(void *rec)
{
	free(((struct ms_pages_list *)rec)->zones);
}

static const struct ms_sampler ms_pages_sampler = {
	.size = sizeof(struct ms_pages_list),
	.fetch = ms_pages_sample,
	.show = ms_pages_show,
	.release = ms_pages_release,
};

static int ms_pages_run(struct ms_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		MS_COMMON_OPTS, MS_WATCH_OPTS,
		{ "node", required_argument, NULL, 'n' },
		{ "zone", required_argument, NULL, 'z' },
		{ "floor", no_argument, NULL, 'F' },
		{ 0 }
	};
	struct ms_zone_query q = { .a.node = -1 };
	int c, err;

	while ((c = getopt_long(argc, argv, MS_COMMON_SHORTOPTS "n:z:w:c:", opts, NULL)) != -1) {
		if (c == 'n' || c == 'z')
			err = ms_zone_filter_opt(&q.a, c, optarg);
		else if (c == 'w' || c == 'c')
			err = ms_watch_opt(&ctx->watch, c, optarg);
		else if (c == 'F')
			err = (q.a.floor = true, 0);
		else
			err = ms_common_opt(ctx, &ms_cmd_pages, c, argv);
		if (err)
			return err < 0 ? MS_EXIT_OK : err;
	}
	if (optind < argc)
		return ms_fail(MS_EXIT_USAGE, "pages: unexpected argument '%s' (see memscopectl pages --help)",
			       argv[optind]);
	ms_output_setup(ctx);
	err = ms_nl_open(ctx);
	if (!err)
		err = ms_info_fetch(ctx, &q.info);
	return err ? err : ms_watch_run(ctx, &ms_pages_sampler, &q);
}

const struct ms_cmd ms_cmd_pages = {
	.name = "pages",
	.summary = "every physical page counted by state: free, active/inactive anon/file, dirty, slab...",
	.usage = "[--node N] [--zone NAME] [--watch SECS [--count N]] [--explain] [-p|-b|-h] [--json|--raw]",
	.run = ms_pages_run,
};
