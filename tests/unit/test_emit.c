// SPDX-License-Identifier: GPL-2.0
/*
 * The emitter's three outputs against json-c: its text must be the bytes
 * json-c prints for its tree, and its --raw lines those ms_raw_print() makes
 * of that tree.
 */
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "output.h"
#include "subjects.h"
#include "tests.h"

static void every_kind(struct ms_emit *e, const void *arg)
{
	static const uint64_t orders[] = { 0, 1, 100000, UINT64_MAX };

	(void)arg;
	ms_emit_str(e, "plain", "Normal");
	ms_emit_str(e, "escaped", "q\"b\\s/n\nt\tc\x01r\rf\fb\be\x1f \xc3\xa9");
	ms_emit_str(e, "", "");
	ms_emit_u64(e, "u64", UINT64_MAX);
	ms_emit_int(e, "int", INT64_MIN + 1);
	ms_emit_int(e, "zero", 0);
	ms_emit_bool(e, "yes", true);
	ms_emit_bool(e, "no", false);
	ms_emit_object(e, "nested");
	ms_emit_array(e, "milli");
	ms_emit_milli(e, NULL, 125);
	ms_emit_milli(e, NULL, -1000);
	ms_emit_milli(e, NULL, 0);
	ms_emit_milli(e, NULL, 5);
	ms_emit_milli(e, NULL, 123456);
	ms_emit_end(e);
	ms_emit_u64_array(e, "orders", orders, 4);
	ms_emit_array(e, "objects");
	ms_emit_object(e, NULL);
	ms_emit_int(e, "cpu", 1);
	ms_emit_end(e);
	ms_emit_object(e, NULL);
	ms_emit_int(e, "cpu", -2);
	ms_emit_end(e);
	ms_emit_end(e);
	ms_emit_end(e);
}

static void empty_containers(struct ms_emit *e, const void *arg)
{
	(void)arg;
	ms_emit_array(e, "none");
	ms_emit_end(e);
	ms_emit_object(e, "nothing");
	ms_emit_end(e);
	ms_emit_u64_array(e, "no_orders", NULL, 0);
}

static void assert_text_is_json_c(ms_emit_fn *emit, const void *arg, bool pretty)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE |
		    (pretty ? JSON_C_TO_STRING_PRETTY : JSON_C_TO_STRING_PLAIN);
	struct json_object *tree = ms_emit_tree(emit, arg);
	struct capture c;

	capture_open(&c);
	ms_emit_text(c.f, pretty, emit, arg);
	assert_string_equal(capture_text(&c), json_object_to_json_string_ext(tree, flags));
	capture_close(&c);
	json_object_put(tree);
}

static void assert_raw_is_tree_raw(ms_emit_fn *emit, const void *arg)
{
	struct ms_ctx ctx = { .format = MS_FMT_RAW };
	struct json_object *tree = ms_emit_tree(emit, arg);
	struct capture want, got;

	capture_open(&want);
	ms_raw_print(want.f, tree);
	capture_open(&got);
	ctx.out = got.f;
	ms_emit_print(&ctx, emit, arg);
	assert_string_equal(capture_text(&got), capture_text(&want));
	capture_close(&want);
	capture_close(&got);
	json_object_put(tree);
}

static void test_emit_text_is_json_c(void **state)
{
	(void)state;
	assert_text_is_json_c(every_kind, NULL, false);
	assert_text_is_json_c(every_kind, NULL, true);
	assert_text_is_json_c(empty_containers, NULL, false);
}

/* json-c prints an empty array as "[\n  ]" when pretty; the emitter "[]". */
static void test_emit_pretty_empty(void **state)
{
	struct capture c;

	(void)state;
	capture_open(&c);
	ms_emit_text(c.f, true, empty_containers, NULL);
	assert_string_equal(capture_text(&c),
			    "{\n  \"none\":[],\n  \"nothing\":{},\n  \"no_orders\":[]\n}");
	capture_close(&c);
}

static void test_emit_raw_is_tree_raw(void **state)
{
	(void)state;
	assert_raw_is_tree_raw(every_kind, NULL);
	assert_raw_is_tree_raw(empty_containers, NULL);
}

static void test_emit_explain_last(void **state)
{
	struct ms_ctx ctx = { .format = MS_FMT_JSON, .explain = true };
	struct capture c;

	(void)state;
	capture_open(&c);
	ctx.out = c.f;
	ms_note(&ctx, "a \"note\"");
	ms_emit_print(&ctx, empty_containers, NULL);
	assert_string_equal(capture_text(&c),
			    "{\"none\":[],\"nothing\":{},\"no_orders\":[],"
			    "\"explain\":[\"a \\\"note\\\"\"]}\n");
	assert_int_equal(ms_notes_count(&ctx), 0);
	capture_close(&c);
}

/* The two documents the emitter writes for memscopectl, on records like the kernel's. */
static void test_emit_zones_buddy(void **state)
{
	struct ms_pcp pcp[2] = { { 0, 12, 6986, 63 }, { 1, 5201, 6986, 63 } };
	struct ms_zone_rec zr[2];
	struct ms_zone_list zl = { 2, zr };
	struct ms_buddy_rec br[2];
	struct ms_buddy_list bl = { 2, br };
	struct ms_info_rec info = { .nr_migratetypes = 3, .max_order = 10 };
	struct ms_buddy_doc doc = { &info, &bl };
	int z, o, t;

	(void)state;
	memset(zr, 0, sizeof(zr));
	memset(br, 0, sizeof(br));
	strcpy(info.migratetypes[0], "Unmovable");
	strcpy(info.migratetypes[1], "Movable");
	strcpy(info.migratetypes[2], "Reclaimable");
	for (z = 0; z < 2; z++) {
		strcpy(zr[z].name, z ? "Normal" : "DMA32");
		zr[z].node = (uint32_t)z;
		zr[z].has_start_pfn = z;
		zr[z].start_pfn = 1048576;
		zr[z].managed = 501453;
		zr[z].free = 448725;
		zr[z].wmark_low = 13972;
		zr[z].kswapd_wake = z;
		zr[z].nr_lowmem_reserve = 4;
		zr[z].lowmem_reserve[2] = 1941;
		zr[z].nr_stats = 2;
		strcpy(zr[z].stats[0].name, "nr_free_pages");
		zr[z].stats[0].value = 448725;
		strcpy(zr[z].stats[1].name, "numa_hit");
		zr[z].stats[1].value = 1ULL << 40;
		zr[z].nr_pcp = 2;
		zr[z].pcp = pcp;
		strcpy(br[z].name, zr[z].name);
		br[z].nr_orders = 11;
		br[z].nr_types = 3;
		for (o = 0; o < 11; o++) {
			br[z].free_blocks[o] = 150000U >> o;
			br[z].unusable_index[o] = (uint32_t)o * 97;
			br[z].frag_index[o] = o > 8 ? 1000 - o : -1000;
			for (t = 0; t < 3; t++)
				br[z].lists[t][o] = (uint64_t)t * o;
		}
		br[z].lock_hold_max_ns = 204333;
		br[z].lock_holds = 147;
	}
	assert_text_is_json_c(ms_zones_emit, &zl, false);
	assert_text_is_json_c(ms_zones_emit, &zl, true);
	assert_text_is_json_c(ms_buddy_emit, &doc, false);
	assert_raw_is_tree_raw(ms_zones_emit, &zl);
	assert_raw_is_tree_raw(ms_buddy_emit, &doc);
}

int run_emit_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_emit_text_is_json_c),
		cmocka_unit_test(test_emit_pretty_empty),
		cmocka_unit_test(test_emit_raw_is_tree_raw),
		cmocka_unit_test(test_emit_explain_last),
		cmocka_unit_test(test_emit_zones_buddy),
	};

	return cmocka_run_group_tests_name("emit", tests, NULL, NULL);
}
