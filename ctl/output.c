// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <json-c/printbuf.h>
#include "output.h"

static int ms_out_width;	/* tables fit this many columns; 0: no limit */
static bool ms_out_color;

void ms_output_config(int width, bool color)
{
	ms_out_width = width;
	ms_out_color = color;
}

void ms_output_setup(struct ms_ctx *ctx)
{
	const char *cols = getenv("COLUMNS"), *term = getenv("TERM");
	bool tty = isatty(fileno(ctx->out));
	struct winsize ws;

	ctx->width = 0;
	if (tty && !ioctl(fileno(ctx->out), TIOCGWINSZ, &ws) && ws.ws_col)
		ctx->width = ws.ws_col;
	else if (cols && atoi(cols) > 0)
		ctx->width = atoi(cols);
	if (ctx->width && ctx->width < 40)
		ctx->width = 40;
	switch (ctx->color_mode) {
	case MS_COLOR_ALWAYS:
		ctx->color = true;
		break;
	case MS_COLOR_NEVER:
		ctx->color = false;
		break;
	default:	/* https://no-color.org: any non-empty NO_COLOR */
		ctx->color = tty && !(getenv("NO_COLOR") && getenv("NO_COLOR")[0]) &&
			     !(term && !strcmp(term, "dumb"));
	}
	if (ctx->format != MS_FMT_TABLE)
		ctx->color = false;
	ms_output_config(ctx->width, ctx->color);
}

static const char *const ms_style_sgr[] = {
	[MS_STYLE_BAD] = "1;31", [MS_STYLE_WARN] = "33", [MS_STYLE_GOOD] = "32", [MS_STYLE_BOLD] = "1",
};

const char *ms_paint(const struct ms_ctx *ctx, enum ms_style s, const char *text, char *buf,
		     size_t len)
{
	if (!ctx->color)
		return text;
	snprintf(buf, len, "\033[%sm%s\033[0m", ms_style_sgr[s], text);
	return buf;
}

int ms_visible_len(const char *s)
{
	int n = 0;

	while (*s) {
		if (s[0] == '\033' && s[1] == '[') {
			s += 2;
			while (*s && *s != 'm')
				s++;
			if (*s)
				s++;
			continue;
		}
		if ((*s & 0xc0) != 0x80)	/* count UTF-8 characters, not bytes */
			n++;
		s++;
	}
	return n;
}

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

static void ms_pad(FILE *f, int n)
{
	while (n-- > 0)
		fputc(' ', f);
}

/* Prints @text, at most @w columns of it, breaking at a blank; returns the rest. */
static const char *ms_wrap_piece(FILE *f, const char *text, int w)
{
	int len = (int)strlen(text), cut;

	if (len <= w || w <= 0) {
		fputs(text, f);
		return text + len;
	}
	for (cut = w; cut > 0 && text[cut] != ' '; cut--)
		;
	if (cut == 0)
		cut = w;
	fwrite(text, 1, (size_t)cut, f);
	text += cut;
	while (*text == ' ')
		text++;
	return text;
}

/* Where to cut @text to fit @w columns: at the last blank that fits, else at @w. */
static int ms_wrap_cut(const char *text, int w)
{
	int len = (int)strlen(text), cut;

	if (len <= w || w <= 0)
		return len;
	for (cut = w; cut > 0 && text[cut] != ' '; cut--)
		;
	return cut ? cut : w;
}

/* One row over columns @cols[0..@n): right-aligned numbers, padded text, no trailing blanks. */
static void ms_table_line(const struct ms_table *t, FILE *f, const int *w, const int *cols,
			  int n, const char *const *cells, bool head)
{
	int i, end = n;

	while (end > 1 && !cells[cols[end - 1]][0])	/* no trailing blanks */
		end--;
	for (i = 0; i < end; i++) {
		int c = cols[i], vis = ms_visible_len(cells[c]);

		bool bold = head && ms_out_color && cells[c][0];

		if (i)
			fputs("  ", f);
		if (t->heads[c][0] == '>')
			ms_pad(f, w[c] - vis);
		fprintf(f, bold ? "\033[1m%s\033[0m" : "%s", cells[c]);
		if (t->heads[c][0] != '>' && i < end - 1)
			ms_pad(f, w[c] - vis);
	}
	fputc('\n', f);
}

/*
 * A row with text cells wider than their column (columns shrunk to fit the
 * terminal) continues on further lines holding only the rest of those cells.
 */
static void ms_table_row(const struct ms_table *t, FILE *f, const int *w, const int *cols,
			 int n, const char *const *cells)
{
	const char *row[t->ncols], *rest[t->ncols];
	char piece[t->ncols][512];
	bool more = false;
	int i, c;

	for (i = 0; i < n; i++) {
		c = cols[i];
		rest[c] = cells[c];
		if ((int)strlen(cells[c]) > w[c] && ms_visible_len(cells[c]) == (int)strlen(cells[c]))
			more = true;
	}
	if (!more) {
		ms_table_line(t, f, w, cols, n, cells, false);
		return;
	}
	do {
		more = false;
		for (i = 0; i < n; i++) {
			int cut;

			c = cols[i];
			if (ms_visible_len(rest[c]) != (int)strlen(rest[c])) {	/* coloured: whole */
				row[c] = rest[c];
				rest[c] = "";
				continue;
			}
			cut = ms_wrap_cut(rest[c], w[c]);
			if (cut >= (int)sizeof(piece[c]))
				cut = (int)sizeof(piece[c]) - 1;
			memcpy(piece[c], rest[c], (size_t)cut);
			piece[c][cut] = '\0';
			row[c] = piece[c];
			rest[c] += cut;
			while (*rest[c] == ' ')
				rest[c]++;
			if (*rest[c])
				more = true;
		}
		ms_table_line(t, f, w, cols, n, row, false);
	} while (more);
}

static void ms_table_block(const struct ms_table *t, FILE *f, const int *w, const int *cols,
			   int n)
{
	const char *heads[t->ncols];
	int r, i;

	for (i = 0; i < t->ncols; i++)
		heads[i] = ms_head_text(t->heads[i]);
	for (i = 0; i < n && !heads[cols[i]][0]; i++)
		;
	if (i < n)
		ms_table_line(t, f, w, cols, n, heads, true);
	for (r = 0; r < t->nrows; r++)
		ms_table_row(t, f, w, cols, n, (const char *const *)&t->cells[r * t->ncols]);
}

#define MS_MIN_TEXT_WIDTH 12

/*
 * Fits the terminal: text columns, widest first, shrink (their cells wrap)
 * down to MS_MIN_TEXT_WIDTH; a table of numbers still too wide is printed in
 * slices of columns, each repeating the first (the key).
 */
void ms_table_print(const struct ms_table *t, FILE *f)
{
	int w[t->ncols], cols[t->ncols];
	int r, i, total = 0;

	for (i = 0; i < t->ncols; i++) {
		w[i] = ms_visible_len(ms_head_text(t->heads[i]));
		cols[i] = i;
	}
	for (r = 0; r < t->nrows; r++)
		for (i = 0; i < t->ncols; i++) {
			int l = ms_visible_len(t->cells[r * t->ncols + i]);

			if (l > w[i])
				w[i] = l;
		}
	for (i = 0; i < t->ncols; i++)
		total += w[i] + (i ? 2 : 0);
	while (ms_out_width && total > ms_out_width) {	/* narrow the widest, one column at a time */
		int widest = -1;

		for (i = 0; i < t->ncols; i++)
			if (t->heads[i][0] != '>' && w[i] > MS_MIN_TEXT_WIDTH &&
			    (widest < 0 || w[i] > w[widest]))
				widest = i;
		if (widest < 0)
			break;
		w[widest]--;
		total--;
	}
	if (!ms_out_width || total <= ms_out_width) {
		ms_table_block(t, f, w, cols, t->ncols);
		return;
	}
	for (i = 1; i < t->ncols;) {
		int n = 1, width = w[0];

		while (i < t->ncols && (n == 1 || width + 2 + w[i] <= ms_out_width)) {
			width += 2 + w[i];
			cols[n++] = i++;
		}
		if (cols[1] > 1)
			fputc('\n', f);
		ms_table_block(t, f, w, cols, n);
	}
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

void ms_raw_string(FILE *f, const char *path, const char *s)
{
	fprintf(f, "%s\t", path);
	/* One line per value: tabs and newlines inside a string become blanks. */
	for (; *s; s++)
		fputc(*s == '\t' || *s == '\n' ? ' ' : *s, f);
	fputc('\n', f);
}

static void ms_raw_value(FILE *f, const char *path, struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_object: {
		json_object_object_foreach(v, key, val) {
			char sub[512];

			snprintf(sub, sizeof(sub), "%s%s%s", path, path[0] ? "." : "", key);
			ms_raw_value(f, sub, val);
		}
		return;
	}
	case json_type_array: {
		size_t i, n = json_object_array_length(v);

		for (i = 0; i < n; i++) {
			char sub[512];

			snprintf(sub, sizeof(sub), "%s%s%zu", path, path[0] ? "." : "", i);
			ms_raw_value(f, sub, json_object_array_get_idx(v, i));
		}
		return;
	}
	case json_type_null:
		fprintf(f, "%s\t-\n", path);
		return;
	case json_type_string:
		ms_raw_string(f, path, json_object_get_string(v));
		return;
	default:
		fprintf(f, "%s\t%s\n", path, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	}
}

void ms_raw_print(FILE *f, struct json_object *doc)
{
	ms_raw_value(f, "", doc);
}

/* Pretty for people at a terminal, compact for scripts and pipes (like ip -j). */
void ms_json_print(struct ms_ctx *ctx, struct json_object *doc)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE, i, n = ms_notes_count(ctx);

	if (n && json_object_is_type(doc, json_type_object)) {
		struct json_object *a = json_object_new_array();

		for (i = 0; i < n; i++)
			json_object_array_add(a, json_object_new_string(ms_notes_get(ctx, i)));
		json_object_object_add(doc, "explain", a);
	}
	ms_notes_clear(ctx);
	if (ctx->format == MS_FMT_RAW) {
		ms_raw_print(ctx->out, doc);
		json_object_put(doc);
		return;
	}
	if (isatty(fileno(ctx->out)))
		flags |= JSON_C_TO_STRING_PRETTY;
	fputs(json_object_to_json_string_ext(doc, flags), ctx->out);
	fputc('\n', ctx->out);
	json_object_put(doc);
}

/*
 * Reflows @text to @width: a line that does not end a sentence (with '.' or
 * ':') continues on the next one, so hard-wrapped sentences rewrap as one.
 */
static void ms_reflow(FILE *f, char *text, int width)
{
	char *line = text, *nl;

	while (*line) {
		const char *rest;

		nl = strchr(line, '\n');
		while (nl && nl > line && nl[1] && nl[1] != '\n' && nl[-1] != '.' && nl[-1] != ':') {
			*nl = ' ';
			nl = strchr(nl, '\n');
		}
		if (nl)
			*nl = '\0';
		rest = ms_wrap_piece(f, line, width);
		while (*rest) {
			fputc('\n', f);
			rest = ms_wrap_piece(f, rest, width);
		}
		if (!nl)
			break;
		fputc('\n', f);
		line = nl + 1;
	}
}

void ms_para(const struct ms_ctx *ctx, const char *fmt, ...)
{
	char *text, *line;
	bool wide = false;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		abort();
	va_end(ap);
	for (line = text; ctx->width && *line; line += strcspn(line, "\n") + (line[strcspn(line, "\n")] ? 1 : 0))
		if ((int)strcspn(line, "\n") > ctx->width)
			wide = true;
	if (wide && ms_visible_len(text) == (int)strlen(text))
		ms_reflow(ctx->out, text, ctx->width);
	else
		fputs(text, ctx->out);
	free(text);
}

static char **ms_notes;
static int ms_nr_notes;

void ms_note(const struct ms_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	char *line;

	if (!ctx->explain)
		return;
	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) < 0)
		abort();
	va_end(ap);
	*(char **)ms_append(&ms_notes, &ms_nr_notes, sizeof(char *)) = line;
}

int ms_notes_count(const struct ms_ctx *ctx)
{
	(void)ctx;
	return ms_nr_notes;
}

const char *ms_notes_get(const struct ms_ctx *ctx, int i)
{
	(void)ctx;
	return i < ms_nr_notes ? ms_notes[i] : NULL;
}

void ms_notes_clear(const struct ms_ctx *ctx)
{
	int i;

	(void)ctx;
	for (i = 0; i < ms_nr_notes; i++)
		free(ms_notes[i]);
	free(ms_notes);
	ms_notes = NULL;
	ms_nr_notes = 0;
}

/* Wrapped to the terminal, each note a "- " item with its continuation indented. */
void ms_notes_print(const struct ms_ctx *ctx)
{
	int i, w = ctx->width ? ctx->width - 2 : 0;
	char buf[64];

	if (!ms_nr_notes)
		return;
	fprintf(ctx->out, "\n%s\n", ms_paint(ctx, MS_STYLE_BOLD, "Explained:", buf, sizeof(buf)));
	for (i = 0; i < ms_nr_notes; i++) {
		const char *rest = ms_notes[i];

		fputs("- ", ctx->out);
		rest = ms_wrap_piece(ctx->out, rest, w);
		while (*rest) {
			fputs("\n  ", ctx->out);
			rest = ms_wrap_piece(ctx->out, rest, w);
		}
		fputc('\n', ctx->out);
	}
	ms_notes_clear(ctx);
}

/*
 * json-c prints every number with snprintf(), and a task or pages document
 * holds hundreds of them.  These serializers (json-c's own extension point)
 * write the same digits directly; emit.c writes them for its text too.
 */
size_t ms_json_number(char *buf, uint64_t v, bool neg, bool milli)
{
	char tmp[MS_JSON_NUMBER_MAX], *p = tmp + sizeof(tmp);
	int n = 0;

	do {
		if (milli && n == 3)
			*--p = '.';
		*--p = (char)('0' + v % 10);
		v /= 10;
		n++;
	} while (v || (milli && n < 4));
	if (neg)
		*--p = '-';
	memcpy(buf, p, (size_t)(tmp + sizeof(tmp) - p));
	return (size_t)(tmp + sizeof(tmp) - p);
}

size_t ms_json_signed(char *buf, int64_t v, bool milli)
{
	return ms_json_number(buf, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, milli);
}

static int ms_json_put_signed(struct printbuf *pb, int64_t v, bool milli)
{
	char buf[MS_JSON_NUMBER_MAX];

	return printbuf_memappend(pb, buf, (int)ms_json_signed(buf, v, milli));
}

static int ms_json_u64_serialize(struct json_object *o, struct printbuf *pb, int level, int flags)
{
	char buf[MS_JSON_NUMBER_MAX];

	(void)level;
	(void)flags;
	return printbuf_memappend(pb, buf, (int)ms_json_number(buf, json_object_get_uint64(o),
								false, false));
}

struct json_object *ms_json_u64(uint64_t v)
{
	struct json_object *o = json_object_new_uint64(v);

	json_object_set_serializer(o, ms_json_u64_serialize, NULL, NULL);
	return o;
}

static int ms_json_int_serialize(struct json_object *o, struct printbuf *pb, int level, int flags)
{
	(void)level;
	(void)flags;
	return ms_json_put_signed(pb, json_object_get_int64(o), false);
}

struct json_object *ms_json_int(int64_t v)
{
	struct json_object *o = json_object_new_int64(v);

	json_object_set_serializer(o, ms_json_int_serialize, NULL, NULL);
	return o;
}

struct json_object *ms_json_names(const char (*names)[32], int n)
{
	struct json_object *a = json_object_new_array_ext(n);
	int i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(names[i]));
	return a;
}

static int ms_json_milli_serialize(struct json_object *o, struct printbuf *pb, int level,
				   int flags)
{
	(void)level;
	(void)flags;
	return ms_json_put_signed(pb, lround(json_object_get_double(o) * 1000), true);
}

/* v/1000 as a JSON number written exactly as the kernel prints it: 0.125, -1.000. */
struct json_object *ms_json_milli(int32_t v)
{
	struct json_object *o = json_object_new_double(v / 1000.0);

	json_object_set_serializer(o, ms_json_milli_serialize, NULL, NULL);
	return o;
}
