// SPDX-License-Identifier: GPL-2.0
/* memscopectl pages and map: JSON keys, terminal widths, SVG validity. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "subjects.h"
#include "tests.h"

static void make_info(struct ms_info_rec *info)
{
	static const char *const classes[] = { "free", "active_anon", "inactive_anon", "active_file",
		"inactive_file", "mlocked", "dirty" };
	static const char *const mts[] = { "Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate" };
	static const char *const zones[] = { "DMA", "DMA32", "Normal", "Movable", "Device" };
	int i;

	memset(info, 0, sizeof(*info));
	snprintf(info->kernel_release, sizeof(info->kernel_release), "6.1.0-test");
	info->nr_page_classes = 7;
	info->page_kinds = 5;
	for (i = 0; i < 7; i++)
		snprintf(info->page_classes[i], 32, "%s", classes[i]);
	info->nr_migratetypes = 5;
	for (i = 0; i < 5; i++)
		snprintf(info->migratetypes[i], 32, "%s", mts[i]);
	info->nr_zones = 5;
	for (i = 0; i < 5; i++)
		snprintf(info->zones[i], 32, "%s", zones[i]);
}

static void make_map(struct ms_map *m, int n)
{
	int i;

	m->start_pfn = 0;
	m->pb_pages = 512;
	m->n = n;
	m->blocks = calloc(n, sizeof(*m->blocks));
	for (i = 0; i < n; i++) {
		m->blocks[i].zone = i % 97 == 3 ? 255 : 1;
		m->blocks[i].migratetype = i % 3;
		m->blocks[i].count[i % MEMSCOPE_MAP_NR_GROUPS] = 400;
		m->blocks[i].count[MEMSCOPE_MAP_FREE] += 112;
	}
}

static void test_pages_json(void **state)
{
	struct ms_pages_rec z = { .node = 0, .zone = "DMA32", .pages = 1000, .scan_ns = 5 };
	struct ms_pages_list l = { .n = 1, .zones = &z };
	struct ms_info_rec info;
	struct json_object *doc, *v;

	(void)state;
	make_info(&info);
	z.classes[0] = 600;
	z.classes[6] = 9;
	doc = ms_pages_json(&info, &l);
	assert_true(json_object_object_get_ex(doc, "scan_ns", NULL));
	v = json_object_array_get_idx(json_object_object_get(doc, "zones"), 0);
	assert_int_equal(json_object_get_int64(json_object_object_get(json_object_object_get(v, "classes"),
								     "dirty")), 9);
	assert_int_equal(json_object_get_int64(json_object_object_get(v, "pages")), 1000);
	json_object_put(doc);
}

static int longest_line(const char *s)
{
	int longest = 0, cur = 0;

	for (; *s; s++) {
		cur = *s == '\n' ? 0 : cur + 1;
		if (cur > longest)
			longest = cur;
	}
	return longest;
}

static void test_map_widths(void **state)
{
	struct ms_ctx ctx = { .page_size = 4096 };
	struct ms_info_rec info;
	struct ms_map m;
	struct capture c;
	int w;

	(void)state;
	make_info(&info);
	make_map(&m, 2048);
	for (w = 80; w <= 200; w += 120) {
		capture_open(&c);
		ctx.out = c.f;
		ms_map_print(&ctx, &info, &m, w, false, false);
		assert_true(longest_line(capture_text(&c)) <= w);
		assert_non_null(strstr(capture_text(&c), "page cache"));
		capture_close(&c);
	}
	free(m.blocks);
}

static void test_map_svg_parses(void **state)
{
	char path[] = "/tmp/ms-map-XXXXXX.svg", cmd[256];
	struct ms_info_rec info;
	struct ms_map m;
	FILE *f;
	int fd;

	(void)state;
	make_info(&info);
	make_map(&m, 1000);
	fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_int_equal(ms_map_svg(&info, &m, f), 0);
	fclose(f);
	/* An independent XML parser: Debian's python3 (not the pyenv one on PATH). */
	snprintf(cmd, sizeof(cmd),
		 "/usr/bin/python3 -c 'import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); "
		 "sys.exit(0 if r.tag.endswith(\"svg\") and len(r.findall(\"{http://www.w3.org/2000/svg}rect\")) > 900 else 1)' %s",
		 path);
	assert_int_equal(system(cmd), 0);
	unlink(path);
	free(m.blocks);
}

int run_pages_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages_json),
		cmocka_unit_test(test_map_widths),
		cmocka_unit_test(test_map_svg_parses),
	};

	return cmocka_run_group_tests_name("pages", tests, NULL, NULL);
}
