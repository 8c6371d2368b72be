// SPDX-License-Identifier: GPL-2.0
/* Units, deltas, tables and option parsing. */
#include <string.h>

#include "output.h"
#include "tests.h"
#include "watch.h"

static struct ms_ctx ctx_unit(enum ms_unit u)
{
	struct ms_ctx c = { .unit = u, .page_size = 4096 };

	return c;
}

static void test_bytes_human(void **state)
{
	char b[32];

	(void)state;
	assert_string_equal(ms_fmt_bytes_human(0, b, sizeof(b)), "0");
	assert_string_equal(ms_fmt_bytes_human(1023, b, sizeof(b)), "1023");
	assert_string_equal(ms_fmt_bytes_human(4096, b, sizeof(b)), "4.0K");
	assert_string_equal(ms_fmt_bytes_human(1536ULL << 10, b, sizeof(b)), "1.5M");
	assert_string_equal(ms_fmt_bytes_human(12ULL << 30, b, sizeof(b)), "12G");
	assert_string_equal(ms_fmt_bytes_human(4ULL << 20, b, sizeof(b)), "4.0M");
}

static void test_pages_units(void **state)
{
	struct ms_ctx h = ctx_unit(MS_UNIT_HUMAN), p = ctx_unit(MS_UNIT_PAGES);
	struct ms_ctx by = ctx_unit(MS_UNIT_BYTES);
	char b[32];

	(void)state;
	assert_string_equal(ms_fmt_pages(&h, 262144, b, sizeof(b)), "1.0G");
	assert_string_equal(ms_fmt_pages(&p, 262144, b, sizeof(b)), "262144");
	assert_string_equal(ms_fmt_pages(&by, 3, b, sizeof(b)), "12288");
}

static void test_delta(void **state)
{
	struct ms_ctx p = ctx_unit(MS_UNIT_PAGES), h = ctx_unit(MS_UNIT_HUMAN);
	char b[32];

	(void)state;
	assert_string_equal(ms_fmt_delta(&p, 0, b, sizeof(b)), "0");
	assert_string_equal(ms_fmt_delta(&p, -12, b, sizeof(b)), "-12");
	assert_string_equal(ms_fmt_delta(&h, 256, b, sizeof(b)), "+1.0M");
}

static void test_table_alignment(void **state)
{
	static const char *const heads[] = { "ZONE", ">FREE", "STATE" };
	struct ms_table *t = ms_table_new(3, heads);
	struct capture c;

	(void)state;
	ms_table_add(t, (const char *[]){ "DMA", "15M", "ok" });
	ms_table_add(t, (const char *[]){ "Normal", "1.2G", "below low" });
	capture_open(&c);
	ms_table_print(t, c.f);
	assert_string_equal(capture_text(&c),
			    "ZONE    FREE  STATE\n"
			    "DMA      15M  ok\n"
			    "Normal  1.2G  below low\n");
	capture_close(&c);
	ms_table_free(t);
}

static void test_watch_option(void **state)
{
	struct ms_watch w = { 0 };

	(void)state;
	assert_int_equal(ms_watch_opt(&w, 'w', "2"), 0);
	assert_true(w.interval == 2.0);
	assert_int_equal(ms_watch_opt(&w, 'w', "0.5"), 0);
	assert_int_not_equal(ms_watch_opt(&w, 'w', "-1"), 0);
	assert_int_not_equal(ms_watch_opt(&w, 'w', "1e9"), 0);
	assert_int_not_equal(ms_watch_opt(&w, 'w', "abc"), 0);
	assert_int_not_equal(ms_watch_opt(&w, 'w', "nan"), 0);
	assert_int_equal(ms_watch_opt(&w, 'c', "3"), 0);
	assert_int_equal(w.count, 3);
	assert_int_not_equal(ms_watch_opt(&w, 'c', "-3"), 0);
}

static void test_parse_uint(void **state)
{
	unsigned long v;

	(void)state;
	assert_int_equal(ms_parse_uint("--node", "7", 100, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(ms_parse_uint("--node", "101", 100, &v), MS_EXIT_USAGE);
	assert_int_equal(ms_parse_uint("--node", "", 100, &v), MS_EXIT_USAGE);
	assert_int_equal(ms_parse_uint("--node", "-1", 100, &v), MS_EXIT_USAGE);
	assert_int_equal(ms_parse_uint("--node", "99999999999999999999999", ~0UL, &v),
			 MS_EXIT_USAGE);
}

int run_output_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bytes_human),
		cmocka_unit_test(test_pages_units),
		cmocka_unit_test(test_delta),
		cmocka_unit_test(test_table_alignment),
		cmocka_unit_test(test_watch_option),
		cmocka_unit_test(test_parse_uint),
	};

	return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
