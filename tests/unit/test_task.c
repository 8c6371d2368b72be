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

/* Haswell's leaf 2: 0x63 0x03 0x76 in EAX, 0xff 0xb5 0xf0 in EBX, 0xc1 in EDX. */
static void test_leaf2_decoding(void **state)
{
	const uint32_t r[4] = { 0x76036301, 0x00f0b5ff, 0, 0x00c10000 };
	const uint32_t invalid[4] = { 0x76036301, 0x80f0b5ff, 0, 0 };
	struct ms_tlb_geometry g = { 0 };

	(void)state;
	ms_tlb_geometry_from_leaf2(&g, r);
	assert_int_equal(g.n, 7);
	assert_int_equal(ms_tlb_entries(&g, 4), 1024);		/* 0xc1: L2 4K/2M 1024 */
	assert_int_equal(ms_tlb_entries(&g, 2048), 1024);
	assert_int_equal(ms_tlb_entries(&g, 1048576), 4);	/* 0x63: 1G 4 entries */
	memset(&g, 0, sizeof(g));
	ms_tlb_geometry_from_leaf2(&g, invalid);	/* bit 31: EBX ignored */
	assert_int_equal(g.n, 4);
}

static void test_range_option(void **state)
{
	uint64_t a, b;

	(void)state;
	assert_int_equal(ms_task_parse_range("7f0000000000-7f0000200000", &a, &b), 0);
	assert_true(a == 0x7f0000000000ULL && b == 0x7f0000200000ULL);
	assert_int_equal(ms_task_parse_range("0x1000-0x2000", &a, &b), 0);
	assert_true(a == 0x1000 && b == 0x2000);
	assert_int_equal(ms_task_parse_range("2000-1000", &a, &b), -1);
	assert_int_equal(ms_task_parse_range("1000", &a, &b), -1);
	assert_int_equal(ms_task_parse_range("1000-", &a, &b), -1);
	assert_int_equal(ms_task_parse_range("xyz-1000", &a, &b), -1);
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
	struct ms_vma v = { .start = 0x400000, .end = 0x401000, .flags = 0x5, .present = 1,
			    .share = { .private_clean = 4096, .pss = 4096 } };
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
	x = json_object_object_get(x, "share");
	assert_int_equal(json_object_get_int64(json_object_object_get(x, "private_clean")), 4096);
	assert_true(json_object_object_get_ex(x, "shared_dirty", NULL));
	assert_true(json_object_object_get_ex(x, "locked", NULL));
	assert_true(json_object_object_get_ex(o, "share", NULL));
	assert_false(json_object_object_get_ex(o, "range", NULL));
	json_object_put(o);
}

int run_task_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_amd_decoding),
		cmocka_unit_test(test_leaf2_decoding),
		cmocka_unit_test(test_range_option),
		cmocka_unit_test(test_reach),
		cmocka_unit_test(test_task_json),
	};

	return cmocka_run_group_tests_name("task", tests, NULL, NULL);
}
