// SPDX-License-Identifier: GPL-2.0
/* memscopectl tlb: parsing per-CPU and top replies, deltas, rates, JSON keys. */
#include <string.h>
#include <netlink/genl/genl.h>

#include "output.h"
#include "subjects.h"
#include "tests.h"
#include "uapi/memscope.h"

static const char *const reasons[] = {
	"task_switch", "remote_shootdown", "local_shootdown", "local_mm_shootdown", "remote_send_ipi",
};

static void info_with_reasons(struct ms_info_rec *info)
{
	int i;

	memset(info, 0, sizeof(*info));
	info->nr_tlb_reasons = 5;
	for (i = 0; i < 5; i++)
		snprintf(info->tlb_reasons[i], 32, "%s", reasons[i]);
}

static void put_u64s(struct nl_msg *msg, int attr, const uint64_t *v, int n)
{
	struct nlattr *nest = nla_nest_start(msg, attr);
	int i;

	for (i = 0; i < n; i++)
		nla_put_u64(msg, MEMSCOPE_ARRAY_A_ITEM, v[i]);
	nla_nest_end(msg, nest);
}

static void add_cpu(struct ms_tlb_list *l, uint32_t cpu, uint64_t base)
{
	uint64_t f[5] = { base, base + 1, base + 2, base + 3, base + 4 };
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *tb[MEMSCOPE_TLB_A_MAX + 1];

	genlmsg_put(msg, 0, 0, 0x20, 0, 0, MEMSCOPE_CMD_GET_TLB, 1);
	nla_put_u32(msg, MEMSCOPE_TLB_A_CPU, cpu);
	put_u64s(msg, MEMSCOPE_TLB_A_FLUSHES, f, 5);
	put_u64s(msg, MEMSCOPE_TLB_A_FULL, f, 5);
	put_u64s(msg, MEMSCOPE_TLB_A_PAGES, f, 5);
	nla_put_u64(msg, MEMSCOPE_TLB_A_IPIS, base * 10);
	assert_int_equal(genlmsg_parse(nlmsg_hdr(msg), 0, tb, MEMSCOPE_TLB_A_MAX, NULL), 0);
	assert_int_equal(ms_tlb_parse(tb, l), 0);
	nlmsg_free(msg);
}

static void test_tlb_parse_delta_json(void **state)
{
	struct ms_tlb_list a = { 0 }, b = { 0 }, d;
	struct ms_info_rec info;
	struct json_object *doc, *v, *c;

	(void)state;
	info_with_reasons(&info);
	add_cpu(&a, 0, 10);
	add_cpu(&a, 1, 20);
	add_cpu(&b, 0, 110);
	add_cpu(&b, 1, 120);
	ms_tlb_delta(&b, &a, &d);
	assert_int_equal(d.cpus[1].flushes[4], 100);
	assert_int_equal(d.cpus[0].ipis, 1000);
	doc = ms_tlb_json(&info, &d, 0);
	assert_true(json_object_object_get_ex(doc, "totals", &v));
	assert_int_equal(json_object_get_int64(json_object_object_get(v, "remote_send_ipi")), 200);
	assert_int_equal(json_object_get_int64(json_object_object_get(doc, "shootdown_ipis")), 2000);
	assert_true(json_object_object_get_ex(doc, "cpus", &v));
	c = json_object_array_get_idx(v, 1);
	assert_int_equal(json_object_get_int(json_object_object_get(c, "cpu")), 1);
	assert_true(json_object_object_get_ex(c, "flushes", &v));
	assert_true(json_object_object_get_ex(v, "local_mm_shootdown", NULL));
	json_object_put(doc);
	free(a.cpus);
	free(b.cpus);
	free(d.cpus);
}

static void test_tlb_rates_table(void **state)
{
	struct ms_ctx ctx = { .page_size = 4096 };
	struct ms_tlb_list a = { 0 };
	struct ms_info_rec info;
	struct capture cap;

	(void)state;
	info_with_reasons(&info);
	add_cpu(&a, 0, 100);
	capture_open(&cap);
	ctx.out = cap.f;
	ms_tlb_print(&ctx, &info, &a, 2.0);
	assert_non_null(strstr(capture_text(&cap), "per second over the last 2.0 s"));
	assert_non_null(strstr(capture_text(&cap), "52/s"));	/* 104 over 2 s */
	assert_non_null(strstr(capture_text(&cap), "remote_shootdown: flushes a CPU did"));
	capture_close(&cap);
	free(a.cpus);
}

static void test_tlb_top_parse(void **state)
{
	uint64_t f[5] = { 0, 0, 7, 3, 5 };
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *tb[MEMSCOPE_TLB_A_MAX + 1], *procs, *p;
	struct ms_tlb_top top;
	struct ms_info_rec info;
	struct json_object *a;
	int i;

	(void)state;
	info_with_reasons(&info);
	genlmsg_put(msg, 0, 0, 0x20, 0, 0, MEMSCOPE_CMD_GET_TLB_TOP, 1);
	procs = nla_nest_start(msg, MEMSCOPE_TLB_A_PROCS);
	for (i = 0; i < 3; i++) {
		p = nla_nest_start(msg, MEMSCOPE_ARRAY_A_ITEM);
		nla_put_u32(msg, MEMSCOPE_TLB_PROC_A_TGID, 100 + i);
		nla_put_string(msg, MEMSCOPE_TLB_PROC_A_COMM, "tlbstress");
		put_u64s(msg, MEMSCOPE_TLB_PROC_A_FLUSHES, f, 5);
		nla_nest_end(msg, p);
	}
	nla_nest_end(msg, procs);
	assert_int_equal(genlmsg_parse(nlmsg_hdr(msg), 0, tb, MEMSCOPE_TLB_A_MAX, NULL), 0);
	assert_int_equal(ms_tlb_top_parse(tb, &top), 0);
	nlmsg_free(msg);
	assert_int_equal(top.n, 3);
	assert_int_equal(top.procs[2].tgid, 102);
	assert_int_equal(top.procs[0].total, 15);
	a = ms_tlb_top_json(&info, &top);
	assert_string_equal(json_object_get_string(json_object_object_get(
		json_object_array_get_idx(a, 1), "comm")), "tlbstress");
	json_object_put(a);
}

int run_tlb_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tlb_parse_delta_json),
		cmocka_unit_test(test_tlb_rates_table),
		cmocka_unit_test(test_tlb_top_parse),
	};

	return cmocka_run_group_tests_name("tlb", tests, NULL, NULL);
}
