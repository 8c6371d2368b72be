// SPDX-License-Identifier: GPL-2.0
/*
 * memscopectl map: the physical memory map, one cell per pageblock (or group
 * of pageblocks, to fit the terminal), coloured by what fills it or by its
 * migratetype; --svg writes the whole map as a standalone SVG.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nl.h"
#include "output.h"
#include "subjects.h"
#include "watch.h"

struct ms_group_style {
	const char *name;
	char ch;
	const char *ansi;	/* 256-colour background */
	const char *rgb;
};

static const struct ms_group_style ms_groups[MEMSCOPE_MAP_NR_GROUPS] = {
	[MEMSCOPE_MAP_FREE] = { "free", '.', "48;5;250", "#d9d9d9" },
	[MEMSCOPE_MAP_ANON] = { "anon/shmem", 'a', "48;5;203", "#e8574f" },
	[MEMSCOPE_MAP_FILE] = { "page cache", 'f', "48;5;75", "#4f9fe8" },
	[MEMSCOPE_MAP_SLAB] = { "slab", 's', "48;5;214", "#f2a93b" },
	[MEMSCOPE_MAP_PAGETABLE] = { "page tables", 'p', "48;5;141", "#a98be8" },
	[MEMSCOPE_MAP_HUGETLB] = { "hugetlb", 'h', "48;5;35", "#2fa86b" },
	[MEMSCOPE_MAP_RESERVED] = { "reserved", 'r', "48;5;240", "#5a5a5a" },
	[MEMSCOPE_MAP_OTHER] = { "other kernel", 'o', "48;5;180", "#c9ae86" },
};

static const char *const ms_type_ansi[] = { "48;5;75", "48;5;35", "48;5;214", "48;5;203", "48;5;141", "48;5;240" };

int ms_map_parse(struct nlattr **tb, void *arg)
{
	struct ms_map *m = arg;
	const struct memscope_map_block *b;
	int n;

	if (!tb[MEMSCOPE_PAGES_A_BLOCKS] || !tb[MEMSCOPE_PAGES_A_START_PFN])
		return MS_EXIT_OK;
	n = nla_len(tb[MEMSCOPE_PAGES_A_BLOCKS]) / (int)sizeof(*b);
	b = nla_data(tb[MEMSCOPE_PAGES_A_BLOCKS]);
	if (!m->n) {
		m->start_pfn = nla_get_u64(tb[MEMSCOPE_PAGES_A_START_PFN]);
		m->pb_pages = tb[MEMSCOPE_PAGES_A_PB_PAGES] ?
			      nla_get_u32(tb[MEMSCOPE_PAGES_A_PB_PAGES]) : 512;
	}
	m->blocks = realloc(m->blocks, sizeof(*b) * (m->n + n));
	if (!m->blocks)
		abort();
	memcpy(&m->blocks[m->n], b, sizeof(*b) * n);
	m->n += n;
	return MS_EXIT_OK;
}

int ms_map_dominant(const struct memscope_map_block *b)
{
	int g, best = 0;

	if (b->zone == 255)
		return -1;
	for (g = 1; g < MEMSCOPE_MAP_NR_GROUPS; g++)
		if (b->count[g] > b->count[best])
			best = g;
	return b->count[best] ? best : -1;
}

/* The dominant group (or migratetype) over blocks [i, i + k). */
static int ms_cell(const struct ms_map *m, int i, int k, bool by_type)
{
	unsigned int sum[MEMSCOPE_MAP_NR_GROUPS] = { 0 }, types[8] = { 0 };
	int j, g, best = -1;

	for (j = i; j < i + k && j < m->n; j++) {
		const struct memscope_map_block *b = &m->blocks[j];

		if (ms_map_dominant(b) < 0)
			continue;
		for (g = 0; g < MEMSCOPE_MAP_NR_GROUPS; g++)
			sum[g] += b->count[g];
		types[b->migratetype & 7]++;
	}
	if (by_type) {
		for (g = 0; g < 8; g++)
			if (types[g] && (best < 0 || types[g] > types[best]))
				best = g;
		return best;
	}
	for (g = 0; g < MEMSCOPE_MAP_NR_GROUPS; g++)
		if (sum[g] && (best < 0 || sum[g] > sum[best]))
			best = g;
	return best;
}

/* The legend, wrapped to @width columns. */
static void ms_map_legend(const struct ms_ctx *ctx, const struct ms_info_rec *info, int width,
			  bool color, bool by_type)
{
	int n = by_type ? info->nr_migratetypes : MEMSCOPE_MAP_NR_GROUPS, g, col = 0;

	fputs("\n", ctx->out);
	for (g = 0; g <= n; g++) {
		const char *name = g == n ? "hole" : by_type ? info->migratetypes[g] : ms_groups[g].name;
		char ch = g == n ? ' ' : by_type ? (char)('0' + g) : ms_groups[g].ch;
		const char *ansi = g == n ? NULL : by_type ? ms_type_ansi[g % 6] : ms_groups[g].ansi;
		int len = (int)strlen(name) + 4;

		if (col && col + len > width) {
			fputc('\n', ctx->out);
			col = 0;
		}
		if (color && ansi)
			fprintf(ctx->out, "\033[%sm%c\033[0m %s  ", ansi, ch, name);
		else
			fprintf(ctx->out, "%c %s  ", ch, name);
		col += len;
	}
	fputc('\n', ctx->out);
}

void ms_map_print(const struct ms_ctx *ctx, const struct ms_info_rec *info,
		  const struct ms_map *m, int width, bool color, bool by_type)
{
	int cols = width - 12, per = 1, i, c;
	char sz[32];

	if (cols < 16)
		cols = 16;
	/* Group pageblocks per cell so the map fits in about 40 rows. */
	while ((m->n + per - 1) / per > cols * 40)
		per *= 2;
	fprintf(ctx->out, "Memory from pfn 0x%" PRIx64 ", a cell = %d pageblock%s (%s)%s\n",
		m->start_pfn, per, per > 1 ? "s" : "",
		ms_fmt_bytes_human((uint64_t)per * m->pb_pages * ctx->page_size, sz, sizeof(sz)),
		by_type ? ", by type" : "");
	for (i = 0; i < m->n; i += cols * per) {
		fprintf(ctx->out, "%10" PRIx64 " ", m->start_pfn + (uint64_t)i * m->pb_pages);
		for (c = 0; c < cols && i + c * per < m->n; c++) {
			int v = ms_cell(m, i + c * per, per, by_type);
			char ch = v < 0 ? ' ' : by_type ? (char)('0' + v) : ms_groups[v].ch;

			if (color && v >= 0)
				fprintf(ctx->out, "\033[%sm%c\033[0m",
					by_type ? ms_type_ansi[v % 6] : ms_groups[v].ansi, ch);
			else
				fputc(ch, ctx->out);
		}
		fputc('\n', ctx->out);
	}
	ms_map_legend(ctx, info, width, color, by_type);
	fprintf(ctx->out,
		"A pageblock (%s) is the unit the allocator groups by mobility:\n"
		"one that mixes unmovable kernel pages with free ones cannot be\n"
		"compacted into a huge page.\n",
		ms_fmt_bytes_human((uint64_t)m->pb_pages * ctx->page_size, sz, sizeof(sz)));
}

int ms_map_svg(const struct ms_info_rec *info, const struct ms_map *m, FILE *f)
{
	const int cell = 8, cols = 64, legend = 28;
	int rows = (m->n + cols - 1) / cols, i, g;
	int w = cols * cell + 90, h = rows * cell + 40 + legend * 2;

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"10\">\n"
		"<title>memscope physical memory map (%s)</title>\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
		"<text x=\"4\" y=\"14\" font-size=\"12\">Physical memory by pageblock (%u pages each), Linux %s</text>\n",
		w, h, w, h, info->kernel_release, m->pb_pages, info->kernel_release);
	for (i = 0; i < m->n; i++) {
		const struct memscope_map_block *b = &m->blocks[i];
		int d = ms_map_dominant(b), x = 86 + (i % cols) * cell, y = 24 + (i / cols) * cell;
		uint64_t pfn = m->start_pfn + (uint64_t)i * m->pb_pages;

		if (i % cols == 0)
			fprintf(f, "<text x=\"2\" y=\"%d\" font-size=\"7\">0x%" PRIx64 "</text>\n", y + 7, pfn);
		if (d < 0)
			continue;
		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\">"
			"<title>pfn 0x%" PRIx64 ": %s, %s;", x, y, cell - 1, cell - 1,
			ms_groups[d].rgb, pfn,
			b->migratetype < info->nr_migratetypes ? info->migratetypes[b->migratetype] : "?",
			b->zone < info->nr_zones ? info->zones[b->zone] : "?");
		for (g = 0; g < MEMSCOPE_MAP_NR_GROUPS; g++)
			if (b->count[g])
				fprintf(f, " %s %u", ms_groups[g].name, b->count[g]);
		fputs("</title></rect>\n", f);
	}
	for (g = 0; g < MEMSCOPE_MAP_NR_GROUPS; g++) {
		int x = 4 + (g % 4) * 130, y = rows * cell + 40 + (g / 4) * 16;

		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
			"<text x=\"%d\" y=\"%d\">%s</text>\n", x, y, ms_groups[g].rgb, x + 14, y + 9,
			ms_groups[g].name);
	}
	fputs("</svg>\n", f);
	return ferror(f) ? -1 : 0;
}

void ms_map_explain(const struct ms_ctx *ctx, const struct ms_map *m, const struct ms_map *prev)
{
	int i, free_blocks = 0, mixed = 0, holes = 0, changed = 0;
	char a[32];

	if (!ctx->explain)
		return;

	for (i = 0; i < m->n; i++) {
		const struct memscope_map_block *b = &m->blocks[i];
		unsigned int pinned = b->count[MEMSCOPE_MAP_SLAB] + b->count[MEMSCOPE_MAP_PAGETABLE] +
				      b->count[MEMSCOPE_MAP_RESERVED] + b->count[MEMSCOPE_MAP_OTHER];

		if (ms_map_dominant(b) < 0) {
			holes++;
			continue;
		}
		if (b->count[MEMSCOPE_MAP_FREE] >= m->pb_pages)
			free_blocks++;
		else if (pinned && b->count[MEMSCOPE_MAP_FREE])
			mixed++;
		if (prev && i < prev->n && ms_map_dominant(&prev->blocks[i]) != ms_map_dominant(b))
			changed++;
	}
	ms_fmt_bytes_human((uint64_t)m->pb_pages * ctx->page_size, a, sizeof(a));
	ms_note(ctx, "%d of %d pageblocks (%s each) are entirely free: each could become a huge "
		"page at once.", free_blocks, m->n - holes, a);
	ms_note(ctx, "%d pageblocks mix free pages with kernel pages that cannot move (slab, page "
		"tables, other kernel): compaction cannot empty them, so they are lost for huge pages "
		"until those kernel objects are freed.", mixed);
	ms_note(ctx, "Movable pages (anon/shmem, page cache) can be migrated by compaction; "
		"'--by-type' shows the migratetype the allocator assigned to each pageblock.");
	if (prev)
		ms_note(ctx, "%d pageblocks changed their main use since the last sample.", changed);
}

struct json_object *ms_map_json(const struct ms_info_rec *info, const struct ms_map *m)
{
	struct json_object *doc = json_object_new_object();
	struct json_object *blocks = json_object_new_array();
	int i, g;

	json_object_object_add(doc, "start_pfn", ms_json_u64(m->start_pfn));
	json_object_object_add(doc, "pageblock_pages", ms_json_int(m->pb_pages));
	for (i = 0; i < m->n; i++) {
		struct json_object *b = json_object_new_object();
		struct json_object *cnt = json_object_new_object();

		json_object_object_add(b, "migratetype", json_object_new_string(
			m->blocks[i].migratetype < info->nr_migratetypes ?
			info->migratetypes[m->blocks[i].migratetype] : "?"));
		json_object_object_add(b, "zone", m->blocks[i].zone < info->nr_zones ?
			json_object_new_string(info->zones[m->blocks[i].zone]) : NULL);
		for (g = 0; g < MEMSCOPE_MAP_NR_GROUPS; g++)
			json_object_object_add(cnt, ms_groups[g].name,
					       ms_json_int(m->blocks[i].count[g]));
		json_object_object_add(b, "pages", cnt);
		json_object_array_add(blocks, b);
	}
	json_object_object_add(doc, "blocks", blocks);
	return doc;
}

static int ms_name_index(const char (*names)[32], int n, const char *name)
{
	int i;

	for (i = 0; name && i < n; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

/* The inverse of ms_map_json(), for snapshots. */
int ms_map_from_json(const struct ms_info_rec *info, struct json_object *doc, struct ms_map *m)
{
	struct json_object *blocks, *v;
	size_t i, n;
	int g;

	memset(m, 0, sizeof(*m));
	if (!json_object_object_get_ex(doc, "blocks", &blocks) ||
	    !json_object_is_type(blocks, json_type_array))
		return -1;
	if (json_object_object_get_ex(doc, "start_pfn", &v))
		m->start_pfn = json_object_get_uint64(v);
	if (json_object_object_get_ex(doc, "pageblock_pages", &v))
		m->pb_pages = (uint32_t)json_object_get_int(v);
	n = json_object_array_length(blocks);
	m->blocks = calloc(n ? n : 1, sizeof(*m->blocks));
	if (!m->blocks)
		abort();
	for (i = 0; i < n; i++) {
		struct json_object *b = json_object_array_get_idx(blocks, i), *pages, *z, *mt;
		struct memscope_map_block *mb = &m->blocks[i];
		int idx;

		json_object_object_get_ex(b, "zone", &z);
		idx = z ? ms_name_index(info->zones, info->nr_zones, json_object_get_string(z)) : -1;
		mb->zone = idx < 0 ? 255 : (uint8_t)idx;
		json_object_object_get_ex(b, "migratetype", &mt);
		idx = mt ? ms_name_index(info->migratetypes, info->nr_migratetypes,
					 json_object_get_string(mt)) : -1;
		mb->migratetype = idx < 0 ? 255 : (uint8_t)idx;
		if (json_object_object_get_ex(b, "pages", &pages))
			for (g = 0; g < MEMSCOPE_MAP_NR_GROUPS; g++)
				if (json_object_object_get_ex(pages, ms_groups[g].name, &v))
					mb->count[g] = (uint16_t)json_object_get_int(v);
	}
	m->n = (int)n;
	return 0;
}

static int ms_map_build(struct nl_msg *msg, void *arg);

int ms_map_fetch(struct ms_ctx *ctx, struct ms_map *m, bool quiet)
{
	uint64_t range[2] = { UINT64_MAX, UINT64_MAX };
	struct ms_request req = {
		.cmd = MEMSCOPE_CMD_GET_MAP, .dump = true, .maxattr = MEMSCOPE_PAGES_A_MAX,
		.what = "map", .build = ms_map_build, .build_arg = range,
		.parse = ms_map_parse, .arg = m, .quiet = quiet,
	};

	memset(m, 0, sizeof(*m));
	return ms_nl_run(ctx, &req);
}

static int ms_map_build(struct nl_msg *msg, void *arg)
{
	const uint64_t *range = arg;

	if (range[0] != UINT64_MAX && nla_put_u64(msg, MEMSCOPE_PAGES_A_START_PFN, range[0]))
		return -1;
	if (range[1] != UINT64_MAX && nla_put_u64(msg, MEMSCOPE_PAGES_A_END_PFN, range[1]))
		return -1;
	return 0;
}

static int ms_parse_pfn(const char *what, const char *s, uint64_t *out)
{
	char *end;

	*out = strtoull(s, &end, 0);
	if (!*s || *end || s[0] == '-')
		return ms_fail(MS_EXIT_USAGE, "%s: '%s' is not a pfn (decimal or 0x hex)", what, s);
	return 0;
}

/* What one map sample needs: the range asked for, how to draw, the kernel's names. */
struct ms_map_query {
	uint64_t range[2];
	const char *svg;
	bool by_type;
	unsigned long width;
	struct ms_info_rec info;
};

static int ms_map_sample(struct ms_ctx *ctx, void *arg, void *cur)
{
	struct ms_map_query *q = arg;
	struct ms_request req = {
		.cmd = MEMSCOPE_CMD_GET_MAP, .dump = true, .maxattr = MEMSCOPE_PAGES_A_MAX,
		.what = "map", .build = ms_map_build, .build_arg = q->range,
		.parse = ms_map_parse, .arg = cur,
	};

	return ms_nl_run(ctx, &req);
}

static int ms_map_show(struct ms_ctx *ctx, void *arg, const void *cur, const void *prev)
{
	const struct ms_map_query *q = arg;
	const struct ms_map *m = cur;
	int err = MS_EXIT_OK;

	ms_map_explain(ctx, m, prev);
	if (q->svg) {
		FILE *f = fopen(q->svg, "w");

		if (!f || ms_map_svg(&q->info, m, f) || fclose(f))
			err = ms_fail(MS_EXIT_ERROR, "map: cannot write '%s': %m", q->svg);
		else
			fprintf(ctx->out, "wrote %s: %d pageblocks\n", q->svg, m->n);
		ms_notes_print(ctx);
	} else if (ctx->format != MS_FMT_TABLE) {
		ms_json_print(ctx, ms_map_json(&q->info, m));
	} else {
		ms_map_print(ctx, &q->info, m,
			     q->width ? (int)q->width : ctx->width ? ctx->width : 80,
			     ctx->color, q->by_type);
		ms_notes_print(ctx);
	}
	return err;
}

static void ms_map_release(void *rec)
{
	free(((struct ms_map *)rec)->blocks);
}

static const struct ms_sampler ms_map_sampler = {
	.size = sizeof(struct ms_map),
	.fetch = ms_map_sample,
	.show = ms_map_show,
	.release = ms_map_release,
};

static int ms_map_run(struct ms_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		MS_COMMON_OPTS, MS_WATCH_OPTS,
		{ "svg", required_argument, NULL, 's' },
		{ "no-color", no_argument, NULL, 'N' },
		{ "by-type", no_argument, NULL, 'T' },
		{ "width", required_argument, NULL, 'W' },
		{ "start", required_argument, NULL, 'S' },
		{ "end", required_argument, NULL, 'E' },
		{ 0 }
	};
	struct ms_map_query q = { .range = { UINT64_MAX, UINT64_MAX } };
	int c, err;

	while ((c = getopt_long(argc, argv, MS_COMMON_SHORTOPTS "w:c:", opts, NULL)) != -1) {
		err = 0;
		if (c == 's')
			q.svg = optarg;
		else if (c == 'w' || c == 'c')
			err = ms_watch_opt(&ctx->watch, c, optarg);
		else if (c == 'N')
			ctx->color_mode = MS_COLOR_NEVER;
		else if (c == 'T')
			q.by_type = true;
		else if (c == 'W')
			err = ms_parse_uint("--width", optarg, 1000, &q.width);
		else if (c == 'S')
			err = ms_parse_pfn("--start", optarg, &q.range[0]);
		else if (c == 'E')
			err = ms_parse_pfn("--end", optarg, &q.range[1]);
		else
			err = ms_common_opt(ctx, &ms_cmd_map, c, argv);
		if (err)
			return err < 0 ? MS_EXIT_OK : err;
	}
	if (optind < argc)
		return ms_fail(MS_EXIT_USAGE, "map: unexpected argument '%s' (see memscopectl map --help)",
			       argv[optind]);
	if (q.range[0] != UINT64_MAX && q.range[1] != UINT64_MAX && q.range[1] <= q.range[0])
		return ms_fail(MS_EXIT_USAGE, "map: --end must be above --start");
	if (q.svg && ctx->watch.interval)
		return ms_fail(MS_EXIT_USAGE, "map: --svg writes one file: leave out --watch");
	ms_output_setup(ctx);
	err = ms_nl_open(ctx);
	if (!err)
		err = ms_info_fetch(ctx, &q.info);
	return err ? err : ms_watch_run(ctx, &ms_map_sampler, &q);
}

const struct ms_cmd ms_cmd_map = {
	.name = "map",
	.summary = "physical memory map by pageblock, in the terminal or as SVG (root)",
	.usage = "[--by-type] [--width N] [--start PFN] [--end PFN] [--svg FILE] [--watch SECS [--count N]] [--explain] [--json|--raw]",
	.run = ms_map_run,
};
