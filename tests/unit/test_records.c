// SPDX-License-Identifier: GPL-2.0
/*
 * Parsers and renderers fed with replies built attribute by attribute as the
 * module builds them (kmod/info.c, zones.c, buddy.c), no kernel needed.
 */
#include <string.h>
#include <netlink/genl/genl.h>

#include "output.h"
#include "subjects.h"
#include "tests.h"
#include "uapi/memscope.h"

typedef int (*parse_fn)(struct nlattr **tb, void *arg);

/* Parses @msg's attributes as ms_nl_run would and hands them to @parse. */
static int feed(struct nl_msg *msg, int maxattr, parse_fn parse, void *arg)
{
	struct nlattr *tb[maxattr + 1];

	assert_int_equal(genlmsg_parse(nlmsg_hdr(msg), 0, tb, maxattr, NULL), 0);
	return parse(tb, arg);
}

static struct nl_msg *reply(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	assert_non_null(genlmsg_put(msg, 0, 0, 0x20, 0, 0, cmd, 1));
	return msg;
}

static void put_names(struct nl_msg *msg, int attr, const char *const *names, int n)
{
	struct nlattr *nest = nla_nest_start(msg, attr);
	int i;

	for (i = 0; i < n; i++)
		nla_put_string(msg, MEMSCOPE_NAME_A_NAME, names[i]);
	nla_nest_end(msg, nest);
}

static void put_u64s(struct nl_msg *msg, int attr, const uint64_t *v, int n)
{
	struct nlattr *nest = nla_nest_start(msg, attr);
	int i;

	for (i = 0; i < n; i++)
		nla_put_u64(msg, MEMSCOPE_ARRAY_A_ITEM, v[i]);
	nla_nest_end(msg, nest);
}

static const char *const mts[] = { "Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate" };
static const char *const zones[] = { "DMA", "DMA32", "Normal", "Movable", "Device" };

static void make_info(struct ms_info_rec *rec)
{
	struct nl_msg *msg = reply(MEMSCOPE_CMD_GET_INFO);

	nla_put_string(msg, MEMSCOPE_INFO_A_MODULE_VERSION, "0.1.0");
	nla_put_u32(msg, MEMSCOPE_INFO_A_PROTOCOL_VERSION, 1);
	nla_put_string(msg, MEMSCOPE_INFO_A_KERNEL_RELEASE, "6.1.0-56-amd64");
	nla_put_u32(msg, MEMSCOPE_INFO_A_PAGE_SIZE, 4096);
	nla_put_u32(msg, MEMSCOPE_INFO_A_NR_NODES, 1);
	nla_put_u32(msg, MEMSCOPE_INFO_A_NR_CPUS, 2);
	nla_put_u32(msg, MEMSCOPE_INFO_A_MAX_ORDER, 10);
	nla_put_u32(msg, MEMSCOPE_INFO_A_PAGEBLOCK_ORDER, 9);
	nla_put_u32(msg, MEMSCOPE_INFO_A_FEATURES, MEMSCOPE_FEATURE_INFO | MEMSCOPE_FEATURE_ZONES);
	put_names(msg, MEMSCOPE_INFO_A_MIGRATETYPES, mts, 5);
	put_names(msg, MEMSCOPE_INFO_A_ZONES, zones, 5);
	assert_int_equal(feed(msg, MEMSCOPE_INFO_A_MAX, ms_info_parse, rec), 0);
	nlmsg_free(msg);
}

static void test_info_parse(void **state)
{
	struct ms_info_rec rec;

	(void)state;
	make_info(&rec);
	assert_string_equal(rec.kernel_release, "6.1.0-56-amd64");
	assert_int_equal(rec.page_size, 4096);
	assert_int_equal(rec.max_order, 10);
	assert_int_equal(rec.nr_migratetypes, 5);
	assert_string_equal(rec.migratetypes[4], "Isolate");
	assert_int_equal(rec.nr_zones, 5);
	assert_string_equal(rec.zones[2], "Normal");
}

static void test_info_json_keys(void **state)
{
	static const char *const keys[] = {
		"module_version", "protocol_version", "kernel_release", "page_size", "max_order",
		"pageblock_order", "nr_nodes", "migratetypes", "zones", "features",
	};
	struct ms_info_rec rec;
	struct json_object *o, *v;
	unsigned int i;

	(void)state;
	make_info(&rec);
	o = ms_info_json(&rec);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		assert_true(json_object_object_get_ex(o, keys[i], NULL));
	json_object_object_get_ex(o, "migratetypes", &v);
	assert_int_equal(json_object_array_length(v), 5);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(v, 1)), "Movable");
	json_object_put(o);
}

static void test_info_table(void **state)
{
	struct ms_ctx ctx = { .page_size = 4096 };
	struct ms_info_rec rec;
	struct capture c;

	(void)state;
	make_info(&rec);
	capture_open(&c);
	ctx.out = c.f;
	ms_info_print(&ctx, &rec);
	assert_non_null(strstr(capture_text(&c), "on Linux 6.1.0-56-amd64"));
	assert_non_null(strstr(capture_text(&c), "0..10 (4.0K..4.0M)"));
	assert_non_null(strstr(capture_text(&c), "9 (2.0M)"));
	capture_close(&c);
}

static void add_zone(struct ms_zone_list *l, uint32_t node, const char *name, uint64_t free_pages,
		     uint64_t low)
{
	struct nl_msg *msg = reply(MEMSCOPE_CMD_GET_ZONES);
	uint64_t reserve[] = { 0, 1000, 2000, 2000, 2000 };
	struct nlattr *stats, *item;

	nla_put_u32(msg, MEMSCOPE_ZONE_A_NODE, node);
	nla_put_string(msg, MEMSCOPE_ZONE_A_NAME, name);
	nla_put_u32(msg, MEMSCOPE_ZONE_A_INDEX, 2);
	nla_put_u64(msg, MEMSCOPE_ZONE_A_MANAGED, 500000);
	nla_put_u64(msg, MEMSCOPE_ZONE_A_FREE, free_pages);
	nla_put_u64(msg, MEMSCOPE_ZONE_A_WMARK_MIN, low * 4 / 5);
	nla_put_u64(msg, MEMSCOPE_ZONE_A_WMARK_LOW, low);
	nla_put_u64(msg, MEMSCOPE_ZONE_A_WMARK_HIGH, low * 6 / 5);
	nla_put_u8(msg, MEMSCOPE_ZONE_A_KSWAPD_WAKE, free_pages < low);
	put_u64s(msg, MEMSCOPE_ZONE_A_LOWMEM_RESERVE, reserve, 5);
	stats = nla_nest_start(msg, MEMSCOPE_ZONE_A_STATS);
	item = nla_nest_start(msg, MEMSCOPE_ARRAY_A_ITEM);
	nla_put_string(msg, MEMSCOPE_STAT_A_NAME, "nr_free_pages");
	nla_put_u64(msg, MEMSCOPE_STAT_A_VALUE, free_pages);
	nla_nest_end(msg, item);
	nla_nest_end(msg, stats);
	assert_int_equal(feed(msg, MEMSCOPE_ZONE_A_MAX, ms_zone_parse, l), 0);
	nlmsg_free(msg);
}

static void test_zones_parse_json(void **state)
{
	struct ms_zone_list l = { 0 };
	struct json_object *doc, *zs, *z, *v;

	(void)state;
	add_zone(&l, 0, "Normal", 100000, 5000);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.zones[0].nr_lowmem_reserve, 5);
	assert_false(l.zones[0].has_start_pfn);
	doc = ms_zones_json(&l);
	assert_true(json_object_object_get_ex(doc, "zones", &zs));
	z = json_object_array_get_idx(zs, 0);
	assert_true(json_object_object_get_ex(z, "free", &v));
	assert_int_equal(json_object_get_int64(v), 100000);
	assert_true(json_object_object_get_ex(z, "watermark", &v));
	assert_true(json_object_object_get_ex(v, "low", NULL));
	assert_true(json_object_object_get_ex(z, "stats", &v));
	assert_true(json_object_object_get_ex(v, "nr_free_pages", NULL));
	assert_false(json_object_object_get_ex(z, "start_pfn", NULL));
	json_object_put(doc);
	ms_zone_list_free(&l);
}

static void test_zones_table_marks_low(void **state)
{
	struct ms_ctx ctx = { .page_size = 4096, .unit = MS_UNIT_PAGES };
	struct ms_zone_list l = { 0 };
	struct capture c;

	(void)state;
	add_zone(&l, 0, "Normal", 4000, 5000);
	add_zone(&l, 1, "Normal", 90000, 5000);
	capture_open(&c);
	ctx.out = c.f;
	ms_zones_print(&ctx, &l, NULL, 0);
	assert_non_null(strstr(capture_text(&c), "Node 0"));
	assert_non_null(strstr(capture_text(&c), "Node 1"));
	assert_non_null(strstr(capture_text(&c), "-1000"));
	assert_non_null(strstr(capture_text(&c), "below low: kswapd wakes"));
	capture_close(&c);
	ms_zone_list_free(&l);
}

static void test_buddy_parse_json(void **state)
{
	uint64_t blocks[11] = { 5, 4, 3, 2, 1, 0, 0, 0, 0, 1, 200000 };
	uint64_t movable[11] = { 3, 4, 3, 2, 1, 0, 0, 0, 0, 1, 200000 };
	struct nl_msg *msg = reply(MEMSCOPE_CMD_GET_BUDDY);
	struct ms_buddy_list l = { 0 };
	struct ms_info_rec info;
	struct nlattr *lists, *item;
	struct json_object *doc, *z, *v;

	(void)state;
	make_info(&info);
	nla_put_u32(msg, MEMSCOPE_ZONE_A_NODE, 0);
	nla_put_string(msg, MEMSCOPE_ZONE_A_NAME, "Normal");
	put_u64s(msg, MEMSCOPE_ZONE_A_FREE_BLOCKS, blocks, 11);
	lists = nla_nest_start(msg, MEMSCOPE_ZONE_A_FREE_LISTS);
	item = nla_nest_start(msg, MEMSCOPE_ARRAY_A_ITEM);
	nla_put_u32(msg, MEMSCOPE_LIST_A_MIGRATETYPE, 1);
	put_u64s(msg, MEMSCOPE_LIST_A_BLOCKS, movable, 11);
	nla_nest_end(msg, item);
	nla_nest_end(msg, lists);
	nla_put_u64(msg, MEMSCOPE_ZONE_A_LOCK_HOLD_MAX_NS, 12345);
	assert_int_equal(feed(msg, MEMSCOPE_ZONE_A_MAX, ms_buddy_parse, &l), 0);
	nlmsg_free(msg);

	assert_int_equal(l.zones[0].nr_orders, 11);
	assert_int_equal(l.zones[0].lists[1][10], 200000);
	doc = ms_buddy_json(&info, &l);
	json_object_object_get_ex(doc, "zones", &v);
	z = json_object_array_get_idx(v, 0);
	assert_true(json_object_object_get_ex(z, "free_lists", &v));
	assert_true(json_object_object_get_ex(v, "Movable", &v));
	assert_int_equal(json_object_get_int64(json_object_array_get_idx(v, 10)), 200000);
	assert_true(json_object_object_get_ex(z, "lock_hold_max_ns", NULL));
	assert_true(json_object_object_get_ex(z, "fragmentation_index", NULL));
	assert_true(json_object_object_get_ex(z, "unusable_index", NULL));
	json_object_put(doc);
	free(l.zones);
}

int run_record_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_info_parse),
		cmocka_unit_test(test_info_json_keys),
		cmocka_unit_test(test_info_table),
		cmocka_unit_test(test_zones_parse_json),
		cmocka_unit_test(test_zones_table_marks_low),
		cmocka_unit_test(test_buddy_parse_json),
	};

	return cmocka_run_group_tests_name("records", tests, NULL, NULL);
}
