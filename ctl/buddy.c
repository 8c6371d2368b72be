// SPDX-License-Identifier: GPL-2.0
/* memscopectl buddy: free blocks per order and migratetype, per zone. */
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

static void ms_buddy_parse_lists(struct ms_buddy_rec *b, struct nlattr *nest)
{
	struct nlattr *item, *tb[MEMSCOPE_LIST_A_MAX + 1];
	int rem;

	nla_for_each_nested(item, nest, rem) {
		uint32_t mt;

		if (nla_parse_nested(tb, MEMSCOPE_LIST_A_MAX, item, NULL) ||
		    !tb[MEMSCOPE_LIST_A_MIGRATETYPE] || !tb[MEMSCOPE_LIST_A_BLOCKS])
			continue;
		mt = nla_get_u32(tb[MEMSCOPE_LIST_A_MIGRATETYPE]);
		if (mt >= MS_MAX_NAMES)
			continue;
		ms_nla_u64_array(tb[MEMSCOPE_LIST_A_BLOCKS], b->lists[mt], MS_MAX_ORDERS);
		if ((int)mt + 1 > b->nr_types)
			b->nr_types = (int)mt + 1;
	}
}

int ms_buddy_parse(struct nlattr **tb, void *arg)
{
	struct ms_buddy_list *l = arg;
	struct ms_buddy_rec *b;

	b = ms_append(&l->zones, &l->n, sizeof(*b));
	b->node = tb[MEMSCOPE_ZONE_A_NODE] ? nla_get_u32(tb[MEMSCOPE_ZONE_A_NODE]) : 0;
	if (tb[MEMSCOPE_ZONE_A_NAME])
		snprintf(b->name, sizeof(b->name), "%s", nla_get_string(tb[MEMSCOPE_ZONE_A_NAME]));
	if (tb[MEMSCOPE_ZONE_A_FREE_BLOCKS])
		b->nr_orders = ms_nla_u64_array(tb[MEMSCOPE_ZONE_A_FREE_BLOCKS], b->free_blocks,
						MS_MAX_ORDERS);
	if (tb[MEMSCOPE_ZONE_A_FREE_LISTS])
		ms_buddy_parse_lists(b, tb[MEMSCOPE_ZONE_A_FREE_LISTS]);
	if (tb[MEMSCOPE_ZONE_A_UNUSABLE_INDEX])
		ms_nla_u32_array(tb[MEMSCOPE_ZONE_A_UNUSABLE_INDEX], b->unusable_index,
				 MS_MAX_ORDERS);
	if (tb[MEMSCOPE_ZONE_A_FRAG_INDEX])
		ms_nla_u32_array(tb[MEMSCOPE_ZONE_A_FRAG_INDEX], (uint32_t *)b->frag_index,
				 MS_MAX_ORDERS);
	if (tb[MEMSCOPE_ZONE_A_LOCK_HOLD_MAX_NS])
		b->lock_hold_max_ns = nla_get_u64(tb[MEMSCOPE_ZONE_A_LOCK_HOLD_MAX_NS]);
	if (tb[MEMSCOPE_ZONE_A_LOCK_HOLDS])
		b->lock_holds = nla_get_u32(tb[MEMSCOPE_ZONE_A_LOCK_HOLDS]);
	if (tb[MEMSCOPE_ZONE_A_RESTARTS])
		b->restarts = nla_get_u32(tb[MEMSCOPE_ZONE_A_RESTARTS]);
	return MS_EXIT_OK;
}

static const char *ms_index_str(int32_t v, char *buf, size_t len)
{
	snprintf(buf, len, "%s%d.%03d", v < 0 ? "-" : "", abs(v) / 1000, abs(v) % 1000);
	return buf;
}

static const struct ms_buddy_rec *ms_buddy_find(const struct ms_buddy_list *l,
						const struct ms_buddy_rec *b)
{
	int i;

	for (i = 0; l && i < l->n; i++)
		if (l->zones[i].node == b->node && !strcmp(l->zones[i].name, b->name))
			return &l->zones[i];
	return NULL;
}

static uint64_t ms_buddy_free_pages(const struct ms_buddy_rec *b)
{
	uint64_t pages = 0;
	int o;

	for (o = 0; o < b->nr_orders; o++)
		pages += b->free_blocks[o] << o;
	return pages;
}

static void ms_buddy_print_zone(const struct ms_ctx *ctx, const struct ms_info_rec *info,
				const struct ms_buddy_rec *b, const struct ms_buddy_rec *p)
{
	int ncols = b->nr_orders + 2, o, mt;
	const char *heads[ncols];
	char headbuf[MS_MAX_ORDERS][32], cells[MS_MAX_ORDERS + 2][24];
	const char *row[ncols];
	struct ms_table *t;
	uint64_t free_pages = 0;

	heads[0] = "ORDER";
	for (o = 0; o < b->nr_orders; o++) {
		char sz[16];

		ms_fmt_bytes_human((uint64_t)ctx->page_size << o, sz, sizeof(sz));
		snprintf(headbuf[o], sizeof(headbuf[o]), ">%d:%s", o, sz);
		heads[o + 1] = headbuf[o];
		free_pages += b->free_blocks[o] << o;
	}
	heads[ncols - 1] = ">FREE";
	t = ms_table_new(ncols, heads);
	for (mt = -1; mt < b->nr_types; mt++) {
		const uint64_t *v = mt < 0 ? b->free_blocks : b->lists[mt];
		uint64_t pages = 0;

		row[0] = mt < 0 ? "all types" :
			 mt < info->nr_migratetypes ? info->migratetypes[mt] : "?";
		for (o = 0; o < b->nr_orders; o++) {
			snprintf(cells[o], sizeof(cells[o]), "%" PRIu64, v[o]);
			row[o + 1] = cells[o];
			pages += v[o] << o;
		}
		row[ncols - 1] = ms_fmt_pages(ctx, pages, cells[MS_MAX_ORDERS], sizeof(cells[0]));
		ms_table_add(t, row);
	}
	if (p) {	/* --watch: how each order's free blocks moved since the last sample */
		row[0] = "change";
		for (o = 0; o < b->nr_orders; o++) {
			int64_t d = (int64_t)b->free_blocks[o] - (int64_t)p->free_blocks[o];

			snprintf(cells[o], sizeof(cells[o]), d ? "%+" PRId64 : "0", d);
			row[o + 1] = cells[o];
		}
		row[ncols - 1] = ms_fmt_delta(ctx, (int64_t)ms_buddy_free_pages(b) -
					      (int64_t)ms_buddy_free_pages(p),
					      cells[MS_MAX_ORDERS], sizeof(cells[0]));
		ms_table_add(t, row);
	}
	row[0] = "unusable";
	for (o = 0; o < b->nr_orders; o++)
		row[o + 1] = ms_index_str((int32_t)b->unusable_index[o], cells[o], sizeof(cells[o]));
	row[ncols - 1] = "";
	ms_table_add(t, row);
	row[0] = "fragindex";
	for (o = 0; o < b->nr_orders; o++)
		row[o + 1] = ms_index_str(b->frag_index[o], cells[o], sizeof(cells[o]));
	ms_table_add(t, row);

	ms_para(ctx, "Node %u, zone %s: %s free in free blocks (zone->lock held at most %.1f us, %u holds%s)\n",
		b->node, b->name, ms_fmt_pages(ctx, free_pages, cells[0], sizeof(cells[0])),
		(double)b->lock_hold_max_ns / 1000.0, b->lock_holds,
		b->restarts ? ", lists changed during the walk" : "");
	ms_table_print(t, ctx->out);
	ms_table_free(t);
}

void ms_buddy_print(const struct ms_ctx *ctx, const struct ms_info_rec *info,
		    const struct ms_buddy_list *l, const struct ms_buddy_list *prev)
{
	int i;

	for (i = 0; i < l->n; i++) {
		if (i)
			fputc('\n', ctx->out);
		ms_buddy_print_zone(ctx, info, &l->zones[i], ms_buddy_find(prev, &l->zones[i]));
	}
	ms_para(ctx,
		"\nEach cell counts free blocks of 2^order pages. A huge page (order %u) can be\n"
		"allocated at once only while a column at or right of it is non-zero; else the\n"
		"kernel must compact. unusable: share of free memory in blocks too small for that\n"
		"order. fragindex near 1.000: a failure would be due to fragmentation, near 0: to\n"
		"lack of memory; -1.000: the allocation would succeed now.\n",
		info->pageblock_order);
}

void ms_buddy_explain(const struct ms_ctx *ctx, const struct ms_info_rec *info,
		      const struct ms_buddy_list *l, const struct ms_buddy_list *prev)
{
	unsigned int hp = info->pageblock_order;
	char a[32], b[32];
	int i, o;

	if (!ctx->explain)
		return;

	for (i = 0; i < l->n; i++) {
		const struct ms_buddy_rec *z = &l->zones[i], *p = ms_buddy_find(prev, z);
		uint64_t huge = 0, free_pages = ms_buddy_free_pages(z);
		int top = -1;

		for (o = 0; o < z->nr_orders; o++) {
			if (z->free_blocks[o])
				top = o;
			if (o >= (int)hp)
				huge += z->free_blocks[o] << (o - hp);
		}
		ms_fmt_bytes_human((uint64_t)ctx->page_size << hp, b, sizeof(b));
		if (top < 0) {
			ms_note(ctx, "node %u %s: no free blocks at all.", z->node, z->name);
			continue;
		}
		ms_fmt_bytes_human((uint64_t)ctx->page_size << top, a, sizeof(a));
		if (huge)
			ms_note(ctx, "node %u %s: the largest free block is order %d (%s); %" PRIu64
				" huge pages of %s could be allocated right now without compaction.",
				z->node, z->name, top, a, huge, b);
		else
			ms_note(ctx, "node %u %s: the largest free block is order %d (%s), below order "
				"%u: a %s huge page needs compaction (moving pages together) or reclaim "
				"first, even if plenty of memory is free.", z->node, z->name, top, a, hp, b);
		if ((int)hp < z->nr_orders && free_pages)
			ms_note(ctx, "node %u %s: unusable index %d.%03d at order %u: that share of the "
				"free memory sits in blocks too small for a huge page; near 1 means "
				"fragmented, near 0 means the free memory is in large blocks.",
				z->node, z->name, (int)z->unusable_index[hp] / 1000,
				(int)z->unusable_index[hp] % 1000, hp);
		if (p) {
			int64_t d = (int64_t)z->free_blocks[hp < (unsigned int)z->nr_orders ? hp : 0] -
				    (int64_t)p->free_blocks[hp < (unsigned int)p->nr_orders ? hp : 0];

			ms_note(ctx, "node %u %s: order-%u free blocks changed by %+" PRId64 " since the "
				"last sample: a drop means huge pages or large buffers were allocated or "
				"blocks were split; a rise means merging after frees or compaction.",
				z->node, z->name, hp, d);
		}
	}
	ms_note(ctx, "Watch the order columns while memory is allocated and freed: blocks split into "
		"lower orders on allocation and merge with their buddy on free.");
}

int ms_buddy_fetch(struct ms_ctx *ctx, const struct ms_zone_args *a, struct ms_buddy_list *l,
		   bool quiet)
{
	struct ms_request req = {
		.cmd = MEMSCOPE_CMD_GET_BUDDY,
		.dump = true,
		.maxattr = MEMSCOPE_ZONE_A_MAX,
		.what = "buddy",
		.build = ms_zone_build,
		.build_arg = (void *)a,
		.parse = ms_buddy_parse,
		.arg = l,
		.quiet = quiet,
	};
	int err;

	memset(l, 0, sizeof(*l));
	err = ms_nl_run(ctx, &req);
	if (!err && !l->n && !quiet)
		err = ms_fail(MS_EXIT_NOT_FOUND,
			      "buddy: no populated zone matches (see 'memscopectl info' for zone names)");
	return err;
}

static void ms_buddy_zone_emit(struct ms_emit *e, const struct ms_info_rec *info,
			       const struct ms_buddy_rec *b)
{
	int mt, i;

	ms_emit_object(e, NULL);
	ms_emit_int(e, "node", b->node);
	ms_emit_str(e, "zone", b->name);
	ms_emit_u64_array(e, "free_blocks", b->free_blocks, b->nr_orders);
	ms_emit_object(e, "free_lists");
	for (mt = 0; mt < b->nr_types && mt < info->nr_migratetypes; mt++)
		ms_emit_u64_array(e, info->migratetypes[mt], b->lists[mt], b->nr_orders);
	ms_emit_end(e);
	ms_emit_array(e, "unusable_index");
	for (i = 0; i < b->nr_orders; i++)
		ms_emit_milli(e, NULL, (int32_t)b->unusable_index[i]);
	ms_emit_end(e);
	ms_emit_array(e, "fragmentation_index");
	for (i = 0; i < b->nr_orders; i++)
		ms_emit_milli(e, NULL, b->frag_index[i]);
	ms_emit_end(e);
	ms_emit_u64(e, "lock_hold_max_ns", b->lock_hold_max_ns);
	ms_emit_int(e, "lock_holds", b->lock_holds);
	ms_emit_int(e, "restarts", b->restarts);
	ms_emit_end(e);
}

void ms_buddy_emit(struct ms_emit *e, const void *buddy_doc)
{
	const struct ms_buddy_doc *d = buddy_doc;
	int i;

	ms_emit_array(e, "zones");
	for (i = 0; i < d->list->n; i++)
		ms_buddy_zone_emit(e, d->info, &d->list->zones[i]);
	ms_emit_end(e);
}

struct json_object *ms_buddy_json(const struct ms_info_rec *info, const struct ms_buddy_list *l)
{
	struct ms_buddy_doc d = { info, l };

	return ms_emit_tree(ms_buddy_emit, &d);
}

static int ms_buddy_sample(struct ms_ctx *ctx, void *arg, void *cur)
{
	struct ms_zone_query *q = arg;

	return ms_buddy_fetch(ctx, &q->a, cur, false);
}

static int ms_buddy_show(struct ms_ctx *ctx, void *arg, const void *cur, const void *prev)
{
	const struct ms_zone_query *q = arg;

	ms_buddy_explain(ctx, &q->info, cur, prev);
	if (ctx->format != MS_FMT_TABLE) {
		struct ms_buddy_doc d = { &q->info, cur };

		ms_emit_print(ctx, ms_buddy_emit, &d);
	} else {
		ms_buddy_print(ctx, &q->info, cur, prev);
		ms_notes_print(ctx);
	}
	return MS_EXIT_OK;
}

static void ms_buddy_release(void *rec)
{
	free(((struct ms_buddy_list *)rec)->zones);
}

static const struct ms_sampler ms_buddy_sampler = {
	.size = sizeof(struct ms_buddy_list),
	.fetch = ms_buddy_sample,
	.show = ms_buddy_show,
	.release = ms_buddy_release,
};

static int ms_buddy_run(struct ms_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		MS_COMMON_OPTS, MS_WATCH_OPTS,
		{ "node", required_argument, NULL, 'n' },
		{ "zone", required_argument, NULL, 'z' },
		{ 0 }
	};
	struct ms_zone_query q = { .a.node = -1 };
	int c, err;

	while ((c = getopt_long(argc, argv, MS_COMMON_SHORTOPTS "n:z:w:c:", opts, NULL)) != -1) {
		if (c == 'n' || c == 'z')
			err = ms_zone_filter_opt(&q.a, c, optarg);
		else if (c == 'w' || c == 'c')
			err = ms_watch_opt(&ctx->watch, c, optarg);
		else
			err = ms_common_opt(ctx, &ms_cmd_buddy, c, argv);
		if (err)
			return err < 0 ? MS_EXIT_OK : err;
	}
	if (optind < argc)
		return ms_fail(MS_EXIT_USAGE, "buddy: unexpected argument '%s' (see memscopectl buddy --help)",
			       argv[optind]);
	ms_output_setup(ctx);
	err = ms_nl_open(ctx);
	if (!err)
		err = ms_info_fetch(ctx, &q.info);
	return err ? err : ms_watch_run(ctx, &ms_buddy_sampler, &q);
}

const struct ms_cmd ms_cmd_buddy = {
	.name = "buddy",
	.summary = "buddy allocator: free blocks per order and migratetype (root)",
	.usage = "[--node N] [--zone NAME] [--watch SECS [--count N]] [--explain] [-p|-b|-h] [--json|--raw]",
	.run = ms_buddy_run,
};
