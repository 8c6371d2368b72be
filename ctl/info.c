// SPDX-License-Identifier: GPL-2.0
/* memscopectl info: what the kernel and the loaded module are. */
#include <getopt.h>
#include <string.h>

#include "nl.h"
#include "output.h"
#include "subjects.h"
#include "watch.h"
#include "uapi/memscope.h"

static const char *const ms_feature_names[] = {
	"info", "zones", "buddy", "pages", "task", "tlb",
};

static void ms_copy_str(char *dst, size_t len, const struct nlattr *a)
{
	if (a)
		snprintf(dst, len, "%.*s", nla_len(a), (const char *)nla_data(a));
}

static uint32_t ms_u32(struct nlattr *a)
{
	return a ? nla_get_u32(a) : 0;
}

int ms_info_parse(struct nlattr **tb, void *arg)
{
	struct ms_info_rec *r = arg;

	memset(r, 0, sizeof(*r));
	ms_copy_str(r->module_version, sizeof(r->module_version),
		    tb[MEMSCOPE_INFO_A_MODULE_VERSION]);
	ms_copy_str(r->kernel_release, sizeof(r->kernel_release),
		    tb[MEMSCOPE_INFO_A_KERNEL_RELEASE]);
	r->protocol_version = ms_u32(tb[MEMSCOPE_INFO_A_PROTOCOL_VERSION]);
	r->page_size = ms_u32(tb[MEMSCOPE_INFO_A_PAGE_SIZE]);
	r->nr_nodes = ms_u32(tb[MEMSCOPE_INFO_A_NR_NODES]);
	r->nr_cpus = ms_u32(tb[MEMSCOPE_INFO_A_NR_CPUS]);
	r->max_order = ms_u32(tb[MEMSCOPE_INFO_A_MAX_ORDER]);
	r->pageblock_order = ms_u32(tb[MEMSCOPE_INFO_A_PAGEBLOCK_ORDER]);
	r->features = ms_u32(tb[MEMSCOPE_INFO_A_FEATURES]);
	if (tb[MEMSCOPE_INFO_A_MIGRATETYPES])
		r->nr_migratetypes = ms_nla_names(tb[MEMSCOPE_INFO_A_MIGRATETYPES],
						  r->migratetypes, MS_MAX_NAMES);
	if (tb[MEMSCOPE_INFO_A_ZONES])
		r->nr_zones = ms_nla_names(tb[MEMSCOPE_INFO_A_ZONES], r->zones, MS_MAX_NAMES);
	if (tb[MEMSCOPE_INFO_A_PAGE_CLASSES])
		r->nr_page_classes = ms_nla_names(tb[MEMSCOPE_INFO_A_PAGE_CLASSES], r->page_classes,
						  MS_MAX_CLASSES);
	r->page_kinds = (int)ms_u32(tb[MEMSCOPE_INFO_A_PAGE_KINDS]);
	if (tb[MEMSCOPE_INFO_A_TLB_REASONS])
		r->nr_tlb_reasons = ms_nla_names(tb[MEMSCOPE_INFO_A_TLB_REASONS], r->tlb_reasons,
						 MS_MAX_NAMES);
	return MS_EXIT_OK;
}

int ms_info_fetch(struct ms_ctx *ctx, struct ms_info_rec *rec)
{
	struct ms_request req = {
		.cmd = MEMSCOPE_CMD_GET_INFO,
		.maxattr = MEMSCOPE_INFO_A_MAX,
		.what = "info",
		.parse = ms_info_parse,
		.arg = rec,
	};

	return ms_nl_run(ctx, &req);
}

static void ms_join(char *buf, size_t len, const char (*names)[32], int n)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s", i ? " " : "", names[i]);
}

static void ms_features_str(char *buf, size_t len, uint32_t features)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < sizeof(ms_feature_names) / sizeof(ms_feature_names[0]); i++)
		if (features & (1u << i) && used < len)
			used += snprintf(buf + used, len - used, "%s%s", used ? " " : "",
					 ms_feature_names[i]);
}

void ms_info_print(const struct ms_ctx *ctx, const struct ms_info_rec *r)
{
	static const char *const heads[] = { "", "", "" };
	char v[7][600], big[64], small[32];
	struct ms_table *t = ms_table_new(3, heads);

	snprintf(v[0], sizeof(v[0]), "%u bytes", r->page_size);
	ms_fmt_bytes_human((uint64_t)r->page_size << r->max_order, big, sizeof(big));
	ms_fmt_bytes_human(r->page_size, small, sizeof(small));
	snprintf(v[1], sizeof(v[1]), "0..%u (%s..%s)", r->max_order, small, big);
	ms_fmt_bytes_human((uint64_t)r->page_size << r->pageblock_order, big, sizeof(big));
	snprintf(v[2], sizeof(v[2]), "%u (%s)", r->pageblock_order, big);
	ms_join(v[3], sizeof(v[3]), r->migratetypes, r->nr_migratetypes);
	ms_join(v[4], sizeof(v[4]), r->zones, r->nr_zones);
	ms_features_str(v[5], sizeof(v[5]), r->features);
	snprintf(v[6], sizeof(v[6]), "%u NUMA node%s, %u CPU%s", r->nr_nodes,
		 r->nr_nodes == 1 ? "" : "s", r->nr_cpus, r->nr_cpus == 1 ? "" : "s");

	ms_para(ctx, "memscope %s (protocol %u) on Linux %s\n\n", r->module_version,
		r->protocol_version, r->kernel_release);
	ms_table_add(t, (const char *[]){ "page size", v[0],
		"the unit in which the kernel manages physical memory" });
	ms_table_add(t, (const char *[]){ "buddy orders", v[1],
		"free memory is kept in blocks of 2^order pages" });
	ms_table_add(t, (const char *[]){ "pageblock order", v[2],
		"mobility (migratetype) is tracked per pageblock" });
	ms_table_add(t, (const char *[]){ "migratetypes", v[3],
		"free lists per order, grouped by mobility" });
	ms_table_add(t, (const char *[]){ "zone types", v[4],
		"address ranges with their own free lists and watermarks" });
	ms_table_add(t, (const char *[]){ "topology", v[6], "" });
	ms_table_add(t, (const char *[]){ "subjects", v[5], "what this module build can show" });
	ms_table_print(t, ctx->out);
	ms_table_free(t);
}

struct json_object *ms_info_json(const struct ms_info_rec *r)
{
	struct json_object *o = json_object_new_object();
	struct json_object *features = json_object_new_array();
	unsigned int i;

	json_object_object_add(o, "module_version", json_object_new_string(r->module_version));
	json_object_object_add(o, "protocol_version", ms_json_int(r->protocol_version));
	json_object_object_add(o, "kernel_release", json_object_new_string(r->kernel_release));
	json_object_object_add(o, "page_size", ms_json_int(r->page_size));
	json_object_object_add(o, "max_order", ms_json_int(r->max_order));
	json_object_object_add(o, "pageblock_order", ms_json_int(r->pageblock_order));
	json_object_object_add(o, "nr_nodes", ms_json_int(r->nr_nodes));
	json_object_object_add(o, "nr_cpus", ms_json_int(r->nr_cpus));
	json_object_object_add(o, "migratetypes", ms_json_names(r->migratetypes, r->nr_migratetypes));
	json_object_object_add(o, "zones", ms_json_names(r->zones, r->nr_zones));
	json_object_object_add(o, "tlb_reasons", ms_json_names(r->tlb_reasons, r->nr_tlb_reasons));
	json_object_object_add(o, "page_classes", ms_json_names(r->page_classes, r->nr_page_classes));
	json_object_object_add(o, "page_kinds", ms_json_int(r->page_kinds));
	for (i = 0; i < sizeof(ms_feature_names) / sizeof(ms_feature_names[0]); i++)
		if (r->features & (1u << i))
			json_object_array_add(features, json_object_new_string(ms_feature_names[i]));
	json_object_object_add(o, "features", features);
	return o;
}

void ms_info_explain(const struct ms_ctx *ctx, const struct ms_info_rec *r)
{
	char a[32], b[32];

	if (!ctx->explain)
		return;

	ms_note(ctx, "page size %u: every address translation, free list and counter works in "
		"pages of this size; 'memscopectl ... -p' counts in pages.", r->page_size);
	ms_note(ctx, "buddy orders 0..%u: the allocator splits and merges blocks of 2^order pages; "
		"the largest block it keeps is %s. A request for more contiguous memory fails.",
		r->max_order, ms_fmt_bytes_human((uint64_t)r->page_size << r->max_order, a, sizeof(a)));
	ms_note(ctx, "pageblock order %u (%s): the kernel marks each pageblock with one migratetype and "
		"tries to keep unmovable allocations out of movable pageblocks, so that a huge page of "
		"this size can be compacted together later.", r->pageblock_order,
		ms_fmt_bytes_human((uint64_t)r->page_size << r->pageblock_order, b, sizeof(b)));
	ms_note(ctx, "%d migratetypes: Unmovable (kernel), Movable (process and page cache), "
		"Reclaimable (caches the kernel can drop); the others are reserves.", r->nr_migratetypes);
	ms_note(ctx, "%u NUMA node%s: memory near each CPU socket has its own zones; 'zones' and "
		"'buddy' show them per node.", r->nr_nodes, r->nr_nodes == 1 ? "" : "s");
}

static int ms_info_sample(struct ms_ctx *ctx, void *arg, void *cur)
{
	(void)arg;
	return ms_info_fetch(ctx, cur);
}

static int ms_info_show(struct ms_ctx *ctx, void *arg, const void *cur, const void *prev)
{
	(void)arg;
	(void)prev;
	ms_info_explain(ctx, cur);
	if (ctx->format != MS_FMT_TABLE) {
		ms_json_print(ctx, ms_info_json(cur));
	} else {
		ms_info_print(ctx, cur);
		ms_notes_print(ctx);
	}
	return MS_EXIT_OK;
}

static void ms_info_release(void *rec)
{
	(void)rec;	/* a fixed-size record */
}

static const struct ms_sampler ms_info_sampler = {
	.size = sizeof(struct ms_info_rec),
	.fetch = ms_info_sample,
	.show = ms_info_show,
	.release = ms_info_release,
};

static int ms_info_run(struct ms_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { MS_COMMON_OPTS, MS_WATCH_OPTS, { 0 } };
	int c, err;

	while ((c = getopt_long(argc, argv, MS_COMMON_SHORTOPTS "w:c:", opts, NULL)) != -1) {
		if (c == 'w' || c == 'c')
			err = ms_watch_opt(&ctx->watch, c, optarg);
		else
			err = ms_common_opt(ctx, &ms_cmd_info, c, argv);
		if (err)
			return err < 0 ? MS_EXIT_OK : err;
	}
	if (optind < argc)
		return ms_fail(MS_EXIT_USAGE, "info: unexpected argument '%s' (see memscopectl info --help)",
			       argv[optind]);
	ms_output_setup(ctx);
	err = ms_nl_open(ctx);
	return err ? err : ms_watch_run(ctx, &ms_info_sampler, NULL);
}

const struct ms_cmd ms_cmd_info = {
	.name = "info",
	.summary = "kernel and module facts: page size, orders, migratetypes, zones",
	.usage = "[--watch SECS [--count N]] [--explain] [--json|--raw]",
	.run = ms_info_run,
};
