// SPDX-License-Identifier: GPL-2.0
/* memscopectl task: TLB geometry decoding, reach arithmetic, JSON keys. */
#include <string.h>

#include "cpu.h"
#include "output.h"
#include "subjects.h"
#include "tests.h"

/*
 * CPUID 0x80000005/0x80000006 as qemu's EPYC model reports them: L1 2M/4M
 * D/I 64 entries fully associative, L1 4K D/I 64 entries fully associative;
 * L2 4K D 2048 entries 8-way (code 6), I 512 4-way; L2 2M D 2048 4-way, I 512 2-way.
 */
static void test_amd_decoding(void **state)
{
	const uint32_t l1[4] = { 0xff40ff40, 0xff40ff40, 0, 0 };
	const uint32_t l2[4] = { 0x48002200, 0x68004200, 0, 0 };
	struct ms_tlb_geometry g = { 0 };

	(void)state;
	ms_tlb_geometry_from_amd(&g, l1, l2);
	assert_int_equal(g.n, 8);
	assert_string_equal(g.levels[0].level, "L1");
	assert_int_equal(g.levels[0].entries, 64);
	assert_int_equal(g.levels[0].ways, 64);
	assert_int_equal(g.levels[4].page_kb, 4);
	assert_int_equal(g.levels[4].entries, 2048);
	assert_int_equal(g.levels[4].ways, 8);
	assert_int_equal(g.levels[6].page_kb, 2048);
	assert_int_equal(g.levels[6].entries, 2048);
	assert_int_equal(g.levels[6].ways, 4);
	assert_int_equal(ms_tlb_entries(&g, 4), 2048);
	assert_int_equal(ms_tlb_entries(&g, 2048), 2048);
}

static void test_reach(void **state)
{
	struct ms_tlb_geometry g = { .n = 2 };
	struct ms_task t = { 0 };
	struct ms_reach r;

	(void)state;
	strcpy(g.levels[0].kind, "data");
	g.levels[0].page_kb = 4;
	g.levels[0].entries = 1536;
	strcpy(g.levels[1].kind, "data");
	g.levels[1].page_kb = 2048;
	g.levels[1].entries = 32;
	t.present = 262144;		/* 1 GiB in 4K pages */
	ms_task_reach(&t, &g, &r);
	assert_true(r.known);
	assert_int_equal(r.resident, 1ULL << 30);
	assert_int_equal(r.reach, 1536ULL << 12);	/* 6 MiB */
	assert_int_equal(r.reach_thp, 32ULL << 21);	/* 64 MiB */
	g.n = 0;
	ms_task_reach(&t, &g, &r);
	assert_false(r.known);
}

static void test_task_json(void **state)
{
	struct ms_vma v = { .start = 0x400000, .end = 0x401000, .flags = 0x5, .present = 1 };
	struct ms_task t = { .pid = 42, .comm = "touchmem", .levels = 4, .nr_vmas_listed = 1, .vmas = &v };
	struct ms_tlb_geometry g = { 0 };
	struct json_object *o, *x;

	(void)state;
	t.pt[4] = 3;
	o = ms_task_json(&t, &g);
	assert_int_equal(json_object_get_int(json_object_object_get(o, "pid")), 42);
	assert_true(json_object_object_get_ex(o, "pt_pages", &x));
	assert_int_equal(json_object_get_int(json_object_object_get(x, "pte")), 3);
	assert_true(json_object_object_get_ex(o, "entries", &x));
	assert_true(json_object_object_get_ex(x, "huge_pmd", NULL));
	assert_true(json_object_object_get_ex(o, "resident", &x));
	assert_true(json_object_object_get_ex(x, "2M", NULL));
	assert_true(json_object_object_get_ex(o, "tlb_reach", NULL));
	x = json_object_array_get_idx(json_object_object_get(o, "vmas"), 0);
	assert_string_equal(json_object_get_string(json_object_object_get(x, "start")), "0x400000");
	assert_string_equal(json_object_get_string(json_object_object_get(x, "perms")), "r-xp");
	json_object_put(o);
}

int run_task_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_amd_decoding),
		cmocka_unit_test(test_reach),
		cmocka_unit_test(test_task_json),
	};

	return cmocka_run_group_tests_name("task", tests, NULL, NULL);
}
