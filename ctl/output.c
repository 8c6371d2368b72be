// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"

const char *ms_fmt_bytes_human(uint64_t bytes, char *buf, size_t len)
{
	static const char suffix[] = "KMGTPE";
	double v = (double)bytes;
	int i = -1;

	if (bytes < 1024) {
		snprintf(buf, len, "%" PRIu64, bytes);
		return buf;
	}
	while (v >= 1024 && i < 5) {
		v /= 1024;
		i++;
	}
	if (v < 10)
		snprintf(buf, len, "%.1f%c", v, suffix[i]);
	else
		snprintf(buf, len, "%.0f%c", v, suffix[i]);
	return buf;
}

const char *ms_fmt_pages(const struct ms_ctx *ctx, uint64_t pages, char *buf, size_t len)
{
	switch (ctx->unit) {
	case MS_UNIT_PAGES:
		snprintf(buf, len, "%" PRIu64, pages);
		return buf;
	case MS_UNIT_BYTES:
		snprintf(buf, len, "%" PRIu64, pages * ctx->page_size);
		return buf;
	default:
		return ms_fmt_bytes_human(pages * ctx->page_size, buf, len);
	}
}

const char *ms_fmt_delta(const struct ms_ctx *ctx, int64_t pages, char *buf, size_t len)
{
	uint64_t mag = pages < 0 ? (uint64_t)-pages : (uint64_t)pages;
	char tmp[32];

	if (!pages)
		return snprintf(buf, len, "0"), buf;
	ms_fmt_pages(ctx, mag, tmp, sizeof(tmp));
	snprintf(buf, len, "%c%s", pages < 0 ? '-' : '+', tmp);
	return buf;
}

struct ms_table {
	int ncols;
	int nrows;
	int cap;
	const char *const *heads;
	char **cells;	/* nrows * ncols */
};

struct ms_table *ms_table_new(int ncols, const char *const *heads)
{
	struct ms_table *t = calloc(1, sizeof(*t));

	if (!t)
		abort();
	t->ncols = ncols;
	t->heads = heads;
	return t;
}

void ms_table_add(struct ms_table *t, const char *const *cells)
{
	int i;

	if (t->nrows == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		t->cells = realloc(t->cells, sizeof(char *) * t->cap * t->ncols);
		if (!t->cells)
			abort();
	}
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = strdup(cells[i] ? cells[i] : "");
	t->nrows++;
}

static const char *ms_head_text(const char *h)
{
	return h[0] == '>' ? h + 1 : h;
}

static void ms_table_line(const struct ms_table *t, FILE *f, const int *w,
			  const char *const *cells)
{
	int i, end = t->ncols;

	while (end > 1 && !cells[end - 1][0])	/* no trailing blanks */
		end--;
	for (i = 0; i < end; i++) {
		if (i)
			fputs("  ", f);
		if (t->heads[i][0] == '>')
			fprintf(f, "%*s", w[i], cells[i]);
		else if (i == end - 1)
			fputs(cells[i], f);
		else
			fprintf(f, "%-*s", w[i], cells[i]);
	}
	fputc('\n', f);
}

void ms_table_print(const struct ms_table *t, FILE *f)
{
	const char *heads[t->ncols];
	int w[t->ncols];
	int r, i;

	for (i = 0; i < t->ncols; i++) {
		heads[i] = ms_head_text(t->heads[i]);
		w[i] = (int)strlen(heads[i]);
	}
	for (r = 0; r < t->nrows; r++)
		for (i = 0; i < t->ncols; i++) {
			int l = (int)strlen(t->cells[r * t->ncols + i]);

			if (l > w[i])
				w[i] = l;
		}
	for (i = 0; i < t->ncols && !heads[i][0]; i++)
		;
	if (i < t->ncols)
		ms_table_line(t, f, w, heads);
	for (r = 0; r < t->nrows; r++)
		ms_table_line(t, f, w, (const char *const *)&t->cells[r * t->ncols]);
}

void ms_table_free(struct ms_table *t)
{
	int i;

	if (!t)
		return;
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}

/* Pretty for people at a terminal, compact for scripts and pipes (like ip -j). */
void ms_json_print(struct ms_ctx *ctx, struct json_object *doc)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;

	if (isatty(fileno(ctx->out)))
		flags |= JSON_C_TO_STRING_PRETTY;
	fputs(json_object_to_json_string_ext(doc, flags), ctx->out);
	fputc('\n', ctx->out);
	json_object_put(doc);
}

struct json_object *ms_json_u64(uint64_t v)
{
	return json_object_new_uint64(v);
}

struct json_object *ms_json_u64_array(const uint64_t *v, int n)
{
	struct json_object *a = json_object_new_array_ext(n);
	int i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_uint64(v[i]));
	return a;
}

struct json_object *ms_json_names(const char (*names)[32], int n)
{
	struct json_object *a = json_object_new_array_ext(n);
	int i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(names[i]));
	return a;
}

/* v/1000 as a JSON number written exactly as the kernel prints it: 0.125, -1.000. */
struct json_object *ms_json_milli(int32_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%s%d.%03d", v < 0 ? "-" : "", abs(v) / 1000, abs(v) % 1000);
	return json_object_new_double_s(v / 1000.0, buf);
}
