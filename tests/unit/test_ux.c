// SPDX-License-Identifier: GPL-2.0
/*
 * The output layer (raw, fitting, colour, notes), option parsing, --explain
 * on every subject, snapshots, diff and the Prometheus export, fed with
 * snapshots recorded in the test VM (tests/data/, see tests/data/README.md).
 */
#include <math.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "output.h"
#include "snapshot.h"
#include "tests.h"
#include "watch.h"

#ifndef DATA_DIR
#define DATA_DIR "data"
#endif
#define SNAP_A DATA_DIR "/snapshot-a.json"
#define SNAP_B DATA_DIR "/snapshot-b.json"

static struct ms_ctx ctx_for(FILE *f, enum ms_format fmt)
{
	struct ms_ctx c = { .format = fmt, .unit = MS_UNIT_PAGES, .page_size = 4096, .out = f };

	return c;
}

static void load(const char *path, struct ms_snapshot *s)
{
	assert_int_equal(ms_snapshot_read(path, s), 0);
}

static void test_raw_flatten(void **state)
{
	struct json_object *doc = json_tokener_parse(
		"{\"a\":{\"b\":1,\"c\":[2,3]},\"s\":\"x\\ty\",\"n\":null,\"t\":true,\"d\":0.125}");
	struct capture c;

	(void)state;
	capture_open(&c);
	ms_raw_print(c.f, doc);
	assert_string_equal(capture_text(&c), "a.b\t1\na.c.0\t2\na.c.1\t3\ns\tx y\nn\t-\nt\ttrue\nd\t0.125\n");
	capture_close(&c);
	json_object_put(doc);
}

static int max_line(const char *text)
{
	int m = 0, l = 0;

	for (; *text; text++) {
		if (*text == '\n') {
			if (l > m)
				m = l;
			l = 0;
		} else {
			l++;
		}
	}
	return l > m ? l : m;
}

static void test_table_wraps_text_column(void **state)
{
	static const char *const heads[] = { "CLASS", ">SIZE", "" };
	struct ms_table *t = ms_table_new(3, heads);
	struct capture c;

	(void)state;
	ms_table_add(t, (const char *[]){ "inactive_file", "1.2G",
			 "page cache, reclaimed first when memory runs short" });
	ms_table_add(t, (const char *[]){ "free", "300M", "on the free lists" });
	ms_output_config(40, false);
	capture_open(&c);
	ms_table_print(t, c.f);
	ms_output_config(0, false);
	assert_true(max_line(capture_text(&c)) <= 40);
	assert_string_equal(capture_text(&c),
			    "CLASS          SIZE\n"
			    "inactive_file  1.2G  page cache,\n"
			    "                     reclaimed first\n"
			    "                     when memory runs\n"
			    "                     short\n"
			    "free           300M  on the free lists\n");
	capture_close(&c);
	ms_table_free(t);
}

static void test_table_slices_wide_numbers(void **state)
{
	static const char *const heads[] = { "ORDER", ">0:4.0K", ">1:8.0K", ">2:16K", ">3:32K", ">FREE" };
	struct ms_table *t = ms_table_new(6, heads);
	struct capture c;
	const char *text;

	(void)state;
	ms_table_add(t, (const char *[]){ "Movable", "123456", "234567", "345678", "456789", "1.5G" });
	ms_output_config(30, false);
	capture_open(&c);
	ms_table_print(t, c.f);
	ms_output_config(0, false);
	text = capture_text(&c);
	assert_true(max_line(text) <= 30);
	/* Every slice repeats the key column. */
	assert_non_null(strstr(text, "Movable  123456  234567\n"));
	assert_non_null(strstr(text, "\n\nORDER     2:16K   3:32K  FREE\nMovable  345678  456789  1.5G\n"));
	capture_close(&c);
	ms_table_free(t);
}

static void test_color(void **state)
{
	static const char *const heads[] = { "ZONE", "STATE" };
	struct ms_table *t = ms_table_new(2, heads);
	struct ms_ctx ctx = { .color = true };
	struct capture c;
	char buf[64];

	(void)state;
	assert_string_equal(ms_paint(&ctx, MS_STYLE_BAD, "below low", buf, sizeof(buf)),
			    "\033[1;31mbelow low\033[0m");
	assert_int_equal(ms_visible_len(buf), 9);
	ctx.color = false;
	assert_string_equal(ms_paint(&ctx, MS_STYLE_BAD, "below low", buf, sizeof(buf)), "below low");
	/* Coloured cells align like plain ones; the header is bold. */
	ctx.color = true;
	ms_table_add(t, (const char *[]){ "Normal", ms_paint(&ctx, MS_STYLE_GOOD, "ok", buf, sizeof(buf)) });
	ms_table_add(t, (const char *[]){ "DMA", "x" });
	ms_output_config(0, true);
	capture_open(&c);
	ms_table_print(t, c.f);
	ms_output_config(0, false);
	assert_string_equal(capture_text(&c), "\033[1mZONE\033[0m    \033[1mSTATE\033[0m\n"
			    "Normal  \033[32mok\033[0m\nDMA     x\n");
	capture_close(&c);
	ms_table_free(t);
}

static void test_color_setup(void **state)
{
	struct capture c;
	struct ms_ctx ctx;

	(void)state;
	capture_open(&c);	/* not a terminal */
	ctx = ctx_for(c.f, MS_FMT_TABLE);
	unsetenv("NO_COLOR");
	ms_output_setup(&ctx);
	assert_false(ctx.color);
	ctx.color_mode = MS_COLOR_ALWAYS;
	ms_output_setup(&ctx);
	assert_true(ctx.color);
	ctx.format = MS_FMT_JSON;	/* JSON and raw are never coloured */
	ms_output_setup(&ctx);
	assert_false(ctx.color);
	ctx.format = MS_FMT_TABLE;
	ctx.color_mode = MS_COLOR_NEVER;
	ms_output_setup(&ctx);
	assert_false(ctx.color);
	setenv("COLUMNS", "72", 1);
	ms_output_setup(&ctx);
	assert_int_equal(ctx.width, 72);
	unsetenv("COLUMNS");
	ms_output_config(0, false);
	capture_close(&c);
}

static void test_common_options(void **state)
{
	struct ms_ctx ctx = { 0 };
	struct ms_watch w = { 0 };

	(void)state;
	assert_int_equal(ms_common_opt(&ctx, &ms_cmd_zones, MS_OPT_RAW, NULL), 0);
	assert_int_equal(ctx.format, MS_FMT_RAW);
	assert_int_equal(ms_common_opt(&ctx, &ms_cmd_zones, MS_OPT_EXPLAIN, NULL), 0);
	assert_true(ctx.explain);
	assert_int_equal(ms_color_opt(&ctx, "never"), 0);
	assert_int_equal(ctx.color_mode, MS_COLOR_NEVER);
	assert_int_equal(ms_color_opt(&ctx, NULL), 0);	/* bare --color */
	assert_int_equal(ctx.color_mode, MS_COLOR_ALWAYS);
	assert_int_equal(ms_color_opt(&ctx, "auto"), 0);
	assert_int_equal(ms_color_opt(&ctx, "purple"), MS_EXIT_USAGE);
	/* --count: 1 or more; alone it samples every second, like vmstat. */
	assert_int_equal(ms_watch_opt(&w, 'c', "0"), MS_EXIT_USAGE);
	assert_int_equal(ms_watch_opt(&w, 'c', "5"), 0);
	assert_true(w.interval == 1.0);
	assert_int_equal(ms_watch_opt(&w, 'w', "0.25"), 0);
	assert_true(w.interval == 0.25);
	assert_int_equal(ms_watch_opt(&w, 'w', "0"), MS_EXIT_USAGE);
	assert_int_equal(ms_watch_opt(&w, 'w', "0.05"), MS_EXIT_USAGE);
	assert_int_equal(ms_watch_opt(&w, 'w', "86401"), MS_EXIT_USAGE);
	assert_int_equal(ms_watch_opt(&w, 'w', "inf"), MS_EXIT_USAGE);
	assert_int_equal(ms_watch_opt(&w, 'w', ""), MS_EXIT_USAGE);
	assert_int_equal(ms_watch_opt(&w, 'c', "1e3"), MS_EXIT_USAGE);
}

static void test_notes(void **state)
{
	struct capture c;
	struct ms_ctx ctx;

	(void)state;
	capture_open(&c);
	ctx = ctx_for(c.f, MS_FMT_TABLE);
	ms_note(&ctx, "not collected without --explain");
	assert_int_equal(ms_notes_count(&ctx), 0);
	ctx.explain = true;
	ctx.width = 30;
	ms_note(&ctx, "free %d is below the low watermark: kswapd wakes", 12);
	assert_int_equal(ms_notes_count(&ctx), 1);
	ms_notes_print(&ctx);
	assert_string_equal(capture_text(&c), "\nExplained:\n- free 12 is below the low\n"
			    "  watermark: kswapd wakes\n");
	assert_int_equal(ms_notes_count(&ctx), 0);
	capture_close(&c);
	/* JSON: the notes become "explain". */
	capture_open(&c);
	ctx = ctx_for(c.f, MS_FMT_JSON);
	ctx.explain = true;
	ms_note(&ctx, "one");
	ms_json_print(&ctx, json_object_new_object());
	assert_string_equal(capture_text(&c), "{\"explain\":[\"one\"]}\n");
	capture_close(&c);
}

/*
 * Equal as JSON values, numbers by value: the recorded files went through jq,
 * which writes the kernel's 0.000 as 0.
 */
static bool same_json(struct json_object *a, struct json_object *b)
{
	enum json_type ta = json_object_get_type(a), tb = json_object_get_type(b);
	size_t i;

	if ((ta == json_type_int || ta == json_type_double) &&
	    (tb == json_type_int || tb == json_type_double))
		return ta == json_type_int && tb == json_type_int ?
		       json_object_get_uint64(a) == json_object_get_uint64(b) &&
		       json_object_get_int64(a) == json_object_get_int64(b) :
		       fabs(json_object_get_double(a) - json_object_get_double(b)) < 1e-9;
	if (ta != tb)
		return false;
	if (ta == json_type_object) {
		if (json_object_object_length(a) != json_object_object_length(b))
			return false;
		json_object_object_foreach(a, key, va) {
			struct json_object *vb;

			if (!json_object_object_get_ex(b, key, &vb) || !same_json(va, vb))
				return false;
		}
		return true;
	}
	if (ta == json_type_array) {
		if (json_object_array_length(a) != json_object_array_length(b))
			return false;
		for (i = 0; i < json_object_array_length(a); i++)
			if (!same_json(json_object_array_get_idx(a, i), json_object_array_get_idx(b, i)))
				return false;
		return true;
	}
	return json_object_equal(a, b);
}

/* Loading a snapshot and rendering its records again gives back its JSON. */
static void test_snapshot_roundtrip(void **state)
{
	struct ms_snapshot s;
	struct json_object *j;

	(void)state;
	load(SNAP_A, &s);
	assert_true(s.has_zones && s.has_buddy && s.has_pages && s.has_tlb);
	assert_true(s.info.page_size == 4096 && s.info.nr_page_classes > 0);
	j = ms_info_json(&s.info);
	assert_true(same_json(j, json_object_object_get(s.doc, "info")));
	json_object_put(j);
	j = ms_zones_json(&s.zones);
	assert_true(same_json(j, json_object_object_get(s.doc, "zones")));
	json_object_put(j);
	j = ms_buddy_json(&s.info, &s.buddy);
	assert_true(same_json(j, json_object_object_get(s.doc, "buddy")));
	json_object_put(j);
	j = ms_pages_json(&s.info, &s.pages);
	assert_true(same_json(j, json_object_object_get(s.doc, "pages")));
	json_object_put(j);
	j = ms_tlb_json(&s.info, &s.tlb, 0);
	assert_true(same_json(j, json_object_object_get(s.doc, "tlb")));
	json_object_put(j);
	if (s.has_map) {
		j = ms_map_json(&s.info, &s.map);
		assert_true(same_json(j, json_object_object_get(s.doc, "map")));
		json_object_put(j);
	}
	ms_snapshot_free(&s);
}

static void test_snapshot_rejects(void **state)
{
	struct ms_snapshot s;
	const char *why;

	(void)state;
	assert_int_equal(ms_snapshot_from_json(json_tokener_parse("{\"x\":1}"), &s, &why), -1);
	assert_non_null(strstr(why, "not a memscope snapshot"));
	ms_snapshot_free(&s);
	assert_int_equal(ms_snapshot_from_json(json_tokener_parse("{\"memscope_snapshot\":99}"),
					       &s, &why), -1);
	assert_non_null(strstr(why, "newer"));
	ms_snapshot_free(&s);
	assert_int_equal(ms_snapshot_read(DATA_DIR "/does-not-exist.json", &s), MS_EXIT_USAGE);
}

/* --explain has something to say on every subject, in table and JSON form. */
static void test_explain_every_subject(void **state)
{
	struct ms_snapshot a, b;
	struct ms_tlb_geometry g = { .n = 0 };
	struct ms_task t = { .pid = 1, .present = 1000, .pt = { 1, 0, 2, 3, 10 }, .levels = 4 };
	struct capture c;
	struct ms_ctx ctx;

	(void)state;
	load(SNAP_A, &a);
	load(SNAP_B, &b);
	capture_open(&c);
	ctx = ctx_for(c.f, MS_FMT_TABLE);
	ctx.explain = true;
#define SUBJECT(call, word) do { \
		call; \
		assert_true(ms_notes_count(&ctx) > 0); \
		ms_notes_print(&ctx); \
		assert_non_null(strstr(capture_text(&c), word)); \
	} while (0)
	SUBJECT(ms_info_explain(&ctx, &a.info), "buddy orders");
	SUBJECT(ms_zones_explain(&ctx, &b.zones, &a.zones, 2.0), "watermark");
	SUBJECT(ms_buddy_explain(&ctx, &a.info, &b.buddy, &a.buddy), "huge page");
	SUBJECT(ms_pages_explain(&ctx, &a.info, &b.pages, &a.pages), "dirty_background_ratio");
	SUBJECT(ms_tlb_explain_notes(&ctx, &a.info, &a.tlb, 0), "TLB caches");
	SUBJECT(ms_task_explain(&ctx, &t, &g, NULL, 0), "Page tables");
	if (a.has_map)
		SUBJECT(ms_map_explain(&ctx, &a.map, NULL), "pageblocks");
#undef SUBJECT
	capture_close(&c);
	ms_snapshot_free(&a);
	ms_snapshot_free(&b);
}

static int64_t doc_u64(struct json_object *doc, const char *const *path, int n)
{
	int i;

	for (i = 0; i < n; i++)
		doc = json_object_object_get(doc, path[i]);
	return (int64_t)json_object_get_uint64(doc);
}

static void test_diff(void **state)
{
	static const char *const anon[] = { "pages", "totals", "classes", "anon" };
	struct ms_snapshot a, b;
	struct json_object *d, *changes;
	struct capture c;
	struct ms_ctx ctx;
	int64_t want, got = 0;
	size_t i;

	(void)state;
	load(SNAP_A, &a);
	load(SNAP_B, &b);
	/* JSON: every changed number, with both values and the change. */
	d = ms_diff_json(&a, &b);
	changes = json_object_object_get(d, "changes");
	assert_true(json_object_array_length(changes) > 0);
	want = doc_u64(b.doc, anon, 4) - doc_u64(a.doc, anon, 4);
	for (i = 0; i < json_object_array_length(changes); i++) {
		struct json_object *ch = json_object_array_get_idx(changes, i);

		if (!strcmp(json_object_get_string(json_object_object_get(ch, "path")),
			    "pages.totals.classes.anon"))
			got = json_object_get_int64(json_object_object_get(ch, "change"));
	}
	assert_int_equal(got, want);
	assert_true(want > 0);	/* the VM touched 64 MiB between the two */
	json_object_put(d);
	/* Tables: each subject through its own renderer, with its change column. */
	capture_open(&c);
	ctx = ctx_for(c.f, MS_FMT_TABLE);
	ms_diff_print(&ctx, &a, &b);
	assert_non_null(strstr(capture_text(&c), "zones (CHANGE: free memory)"));
	assert_non_null(strstr(capture_text(&c), "CHANGE"));
	assert_non_null(strstr(capture_text(&c), "buddy (change: free blocks per order)"));
	assert_non_null(strstr(capture_text(&c), "pages (CHANGE per class)"));
	assert_non_null(strstr(capture_text(&c), "tlb"));
	capture_close(&c);
	/* A snapshot against itself: nothing changed. */
	d = ms_diff_json(&a, &a);
	assert_int_equal(json_object_array_length(json_object_object_get(d, "changes")), 0);
	json_object_put(d);
	ms_snapshot_free(&a);
	ms_snapshot_free(&b);
}

/*
 * A parser for the Prometheus text exposition format (version 0.0.4), written
 * from its specification: HELP and TYPE lines, then samples
 * name{label="value",...} value, label values escaped with \\ \" \n.
 */
struct prom_family {
	char name[96];
	char type[128];
	bool help;
	int samples;
};

static bool prom_name_ok(const char *s, size_t n, bool metric)
{
	size_t i;

	if (!n)
		return false;
	for (i = 0; i < n; i++) {
		char ch = s[i];
		bool alpha = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' ||
			     (metric && ch == ':');

		if (!alpha && !(i && ch >= '0' && ch <= '9'))
			return false;
	}
	return true;
}

/* Returns the number of samples, or fails the test naming the line. */
static int prom_check(const char *text, struct prom_family *fam, int max_fam)
{
	char line[1024];
	int nfam = 0, samples = 0, i;

	while (*text) {
		size_t len = strcspn(text, "\n"), nl;
		char *p, *end;

		assert_true(len < sizeof(line));
		memcpy(line, text, len);
		line[len] = '\0';
		text += len + (text[len] == '\n');
		if (!strncmp(line, "# HELP ", 7) || !strncmp(line, "# TYPE ", 7)) {
			char name[96], arg[128];

			assert_int_equal(sscanf(line + 7, "%95s %127[^\n]", name, arg), 2);
			for (i = 0; i < nfam && strcmp(fam[i].name, name); i++)
				;
			if (i == nfam) {
				assert_true(nfam < max_fam);
				memset(&fam[nfam], 0, sizeof(fam[0]));
				snprintf(fam[nfam++].name, sizeof(fam[0].name), "%s", name);
			}
			if (line[2] == 'H') {
				fam[i].help = true;
			} else {
				assert_int_equal(fam[i].samples, 0);	/* TYPE before samples */
				assert_true(!strcmp(arg, "gauge") || !strcmp(arg, "counter"));
				snprintf(fam[i].type, sizeof(fam[i].type), "%s", arg);
			}
			continue;
		}
		if (line[0] == '#' || !line[0])
			continue;
		nl = strcspn(line, "{ ");
		assert_true(prom_name_ok(line, nl, true));
		for (i = 0; i < nfam && (strlen(fam[i].name) != nl || strncmp(fam[i].name, line, nl)); i++)
			;
		if (i == nfam)
			fail_msg("sample before its TYPE: %s", line);
		fam[i].samples++;
		p = line + nl;
		if (*p == '{') {
			p++;
			while (*p != '}') {
				size_t ln = strcspn(p, "=");

				if (!prom_name_ok(p, ln, false))
					fail_msg("bad label name in: %s", line);
				p += ln;
				assert_true(p[0] == '=' && p[1] == '"');
				p += 2;
				while (*p && *p != '"') {
					if (*p == '\\') {
						p++;
						assert_true(*p == '\\' || *p == '"' || *p == 'n');
					}
					p++;
				}
				assert_true(*p == '"');
				p++;
				if (*p == ',')
					p++;
				else if (*p != '}')
					fail_msg("bad label list in: %s", line);
			}
			p++;
		}
		assert_true(*p == ' ');
		strtod(p + 1, &end);
		if (end == p + 1 || *end)
			fail_msg("bad value in: %s", line);
		samples++;
	}
	return samples;
}

static void test_prometheus(void **state)
{
	struct prom_family fam[64];
	struct ms_snapshot s;
	struct capture c;
	char want[256];
	const struct ms_zone_rec *z;
	int n, i;

	(void)state;
	load(SNAP_A, &s);
	capture_open(&c);
	assert_int_equal(ms_prometheus_write(c.f, &s), 0);
	memset(fam, 0, sizeof(fam));
	n = prom_check(capture_text(&c), fam, 64);
	assert_true(n > 100);
	for (i = 0; i < 64 && fam[i].name[0]; i++) {
		assert_true(fam[i].help && fam[i].type[0] && fam[i].samples > 0);
		assert_int_equal(strncmp(fam[i].name, "memscope_", 9), 0);
		if (!strcmp(fam[i].type, "counter"))
			assert_non_null(strstr(fam[i].name, "_total"));
	}
	/* Values: the recorded zone's managed pages in bytes, labels as documented. */
	z = &s.zones.zones[0];
	snprintf(want, sizeof(want), "memscope_zone_managed_bytes{node=\"%u\",zone=\"%s\"} %llu\n",
		 z->node, z->name, (unsigned long long)z->managed * 4096);
	assert_non_null(strstr(capture_text(&c), want));
	snprintf(want, sizeof(want), "memscope_tlb_flushes_total{cpu=\"0\",reason=\"%s\"} ",
		 s.info.tlb_reasons[0]);
	assert_non_null(strstr(capture_text(&c), want));
	assert_non_null(strstr(capture_text(&c), ",order=\"9\",migratetype=\"Movable\"} "));
	assert_non_null(strstr(capture_text(&c), ",class=\"dirty\"} "));
	capture_close(&c);
	/* Without buddy (not root), a comment says so and the rest still parses. */
	s.has_buddy = false;
	capture_open(&c);
	ms_prometheus_write(c.f, &s);
	assert_non_null(strstr(capture_text(&c), "# memscope: buddy skipped (needs root)"));
	assert_null(strstr(capture_text(&c), "memscope_buddy_free_blocks{"));
	prom_check(capture_text(&c), fam, 64);
	capture_close(&c);
	ms_snapshot_free(&s);
}

static void test_prom_label_escaping(void **state)
{
	struct prom_family fam[64];
	struct ms_snapshot s;
	struct capture c;

	(void)state;
	load(SNAP_A, &s);
	snprintf(s.info.kernel_release, sizeof(s.info.kernel_release), "6.1 \"odd\"\\x\nname");
	capture_open(&c);
	ms_prometheus_write(c.f, &s);
	assert_non_null(strstr(capture_text(&c), "kernel_release=\"6.1 \\\"odd\\\"\\\\x\\nname\""));
	prom_check(capture_text(&c), fam, 64);
	capture_close(&c);
	ms_snapshot_free(&s);
}

static void test_write_atomic(void **state)
{
	char dir[] = "/tmp/ms-atomic-XXXXXX", path[64], buf[16];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/m.prom", dir);
	assert_int_equal(ms_write_atomic(path, "a 1\n", 4), 0);
	assert_int_equal(ms_write_atomic(path, "b 2\n", 4), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "b 2\n");
	unlink(path);
	assert_int_equal(rmdir(dir), 0);	/* no temporary file left behind */
	assert_int_equal(ms_write_atomic("/nonexistent-dir/x.prom", "x", 1), -1);
}

int run_ux_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_raw_flatten),
		cmocka_unit_test(test_table_wraps_text_column),
		cmocka_unit_test(test_table_slices_wide_numbers),
		cmocka_unit_test(test_color),
		cmocka_unit_test(test_color_setup),
		cmocka_unit_test(test_common_options),
		cmocka_unit_test(test_notes),
		cmocka_unit_test(test_snapshot_roundtrip),
		cmocka_unit_test(test_snapshot_rejects),
		cmocka_unit_test(test_explain_every_subject),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_prometheus),
		cmocka_unit_test(test_prom_label_escaping),
		cmocka_unit_test(test_write_atomic),
	};

	return cmocka_run_group_tests_name("ux", tests, NULL, NULL);
}
