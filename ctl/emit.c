// SPDX-License-Identifier: GPL-2.0
/*
 * One writer, three outputs.  Text is appended to a growing buffer and goes
 * out in one write: the same bytes json-c prints for the same tree with
 * JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE (test_emit.c holds
 * them equal); pretty text indents like json-c's JSON_C_TO_STRING_PRETTY.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emit.h"
#include "output.h"

#define MS_EMIT_DEPTH 16

enum ms_emit_to { MS_EMIT_TEXT, MS_EMIT_RAW, MS_EMIT_TREE };

struct ms_emit_level {
	bool array;
	unsigned int members;
	size_t path_len;		/* raw: the path up to this container */
	struct json_object *tree;	/* tree: this container */
};

struct ms_emit {
	enum ms_emit_to to;
	bool pretty;
	int depth;			/* open containers */
	struct ms_emit_level level[MS_EMIT_DEPTH];
	char *buf;			/* text */
	size_t len, cap;
	FILE *out;			/* raw */
	char path[512];
	struct json_object *root;	/* tree */
};

static void ms_emit_grow(struct ms_emit *e, size_t n)
{
	size_t cap = e->cap ? e->cap : 16384;
	char *buf;

	while (cap < e->len + n)
		cap *= 2;
	buf = realloc(e->buf, cap);
	if (!buf) {
		fputs("memscopectl: out of memory\n", stderr);
		exit(MS_EXIT_ERROR);
	}
	e->buf = buf;
	e->cap = cap;
}

static inline void ms_emit_put(struct ms_emit *e, const char *s, size_t n)
{
	if (e->len + n > e->cap)
		ms_emit_grow(e, n);
	memcpy(e->buf + e->len, s, n);
	e->len += n;
}

#define ms_emit_lit(e, s) ms_emit_put(e, "" s, sizeof(s) - 1)

/* @s as a JSON string: quotes, backslashes and control characters escaped. */
static void ms_emit_escaped(struct ms_emit *e, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	ms_emit_lit(e, "\"");
	for (;;) {
		const char *run = s;
		unsigned char c;

		while ((c = (unsigned char)*s) >= ' ' && c != '"' && c != '\\')
			s++;
		ms_emit_put(e, run, (size_t)(s - run));
		if (!c)
			break;
		switch (c) {
		case '"': ms_emit_lit(e, "\\\""); break;
		case '\\': ms_emit_lit(e, "\\\\"); break;
		case '\b': ms_emit_lit(e, "\\b"); break;
		case '\f': ms_emit_lit(e, "\\f"); break;
		case '\n': ms_emit_lit(e, "\\n"); break;
		case '\r': ms_emit_lit(e, "\\r"); break;
		case '\t': ms_emit_lit(e, "\\t"); break;
		default: {
			char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

			ms_emit_put(e, esc, sizeof(esc));
		}
		}
		s++;
	}
	ms_emit_lit(e, "\"");
}

static void ms_emit_indent(struct ms_emit *e, int depth)
{
	static const char spaces[] = "                                ";
	size_t n = 2 * (size_t)depth;

	ms_emit_lit(e, "\n");
	while (n) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;

		ms_emit_put(e, spaces, k);
		n -= k;
	}
}

/* Text: the separator, indentation and key before a member. */
static void ms_emit_text_member(struct ms_emit *e, const char *key)
{
	struct ms_emit_level *l = &e->level[e->depth - 1];

	if (l->members)
		ms_emit_lit(e, ",");
	if (e->pretty)
		ms_emit_indent(e, e->depth);
	if (!l->array) {
		ms_emit_escaped(e, key);
		ms_emit_lit(e, ":");
	}
}

/* Raw: the member's path in e->path (the container's path, '.', key or index). */
static void ms_emit_raw_path(struct ms_emit *e, const char *key)
{
	struct ms_emit_level *l = &e->level[e->depth - 1];
	char index[16];

	if (l->array) {
		snprintf(index, sizeof(index), "%u", l->members);
		key = index;
	}
	snprintf(e->path + l->path_len, sizeof(e->path) - l->path_len, "%s%s",
		 l->path_len ? "." : "", key);
}

/* Counts a member written into the open container. */
static void ms_emit_written(struct ms_emit *e)
{
	if (e->depth)
		e->level[e->depth - 1].members++;
}

/* Tree: attaches @v to the open container (or makes it the root). */
static void ms_emit_attach(struct ms_emit *e, const char *key, struct json_object *v)
{
	struct ms_emit_level *l;

	if (!e->depth) {
		e->root = v;
		return;
	}
	l = &e->level[e->depth - 1];
	if (l->array)
		json_object_array_add(l->tree, v);
	else
		json_object_object_add(l->tree, key, v);
}

/* A scalar member: @text is its JSON text; @tree builds its json-c object. */
static void ms_emit_scalar(struct ms_emit *e, const char *key, const char *text, size_t n,
			   struct json_object *(*tree)(const void *), const void *arg)
{
	switch (e->to) {
	case MS_EMIT_TEXT:
		ms_emit_text_member(e, key);
		ms_emit_put(e, text, n);
		break;
	case MS_EMIT_RAW:
		ms_emit_raw_path(e, key);
		fprintf(e->out, "%s\t%.*s\n", e->path, (int)n, text);
		break;
	case MS_EMIT_TREE:
		ms_emit_attach(e, key, tree(arg));
		break;
	}
	ms_emit_written(e);
}

static void ms_emit_open(struct ms_emit *e, const char *key, bool array)
{
	struct ms_emit_level *l;

	if (e->depth == MS_EMIT_DEPTH) {
		fputs("memscopectl: JSON document nested too deep\n", stderr);
		exit(MS_EXIT_ERROR);
	}
	l = &e->level[e->depth];
	memset(l, 0, sizeof(*l));
	l->array = array;
	switch (e->to) {
	case MS_EMIT_TEXT:
		if (e->depth)
			ms_emit_text_member(e, key);
		ms_emit_put(e, array ? "[" : "{", 1);
		break;
	case MS_EMIT_RAW:
		if (e->depth) {
			ms_emit_raw_path(e, key);
			l->path_len = strlen(e->path);
		}
		break;
	case MS_EMIT_TREE:
		l->tree = array ? json_object_new_array() : json_object_new_object();
		ms_emit_attach(e, key, l->tree);
		break;
	}
	ms_emit_written(e);
	e->depth++;
}

void ms_emit_object(struct ms_emit *e, const char *key)
{
	ms_emit_open(e, key, false);
}

void ms_emit_array(struct ms_emit *e, const char *key)
{
	ms_emit_open(e, key, true);
}

void ms_emit_end(struct ms_emit *e)
{
	struct ms_emit_level *l = &e->level[--e->depth];

	if (e->to != MS_EMIT_TEXT)
		return;
	if (e->pretty && l->members)
		ms_emit_indent(e, e->depth);
	ms_emit_put(e, l->array ? "]" : "}", 1);
}

static struct json_object *ms_emit_tree_u64(const void *v)
{
	return ms_json_u64(*(const uint64_t *)v);
}

static struct json_object *ms_emit_tree_int(const void *v)
{
	return ms_json_int(*(const int64_t *)v);
}

static struct json_object *ms_emit_tree_milli(const void *v)
{
	return ms_json_milli(*(const int32_t *)v);
}

static struct json_object *ms_emit_tree_bool(const void *v)
{
	return json_object_new_boolean(*(const bool *)v);
}

void ms_emit_u64(struct ms_emit *e, const char *key, uint64_t v)
{
	char buf[MS_JSON_NUMBER_MAX];

	ms_emit_scalar(e, key, buf, ms_json_number(buf, v, false, false), ms_emit_tree_u64, &v);
}

void ms_emit_int(struct ms_emit *e, const char *key, int64_t v)
{
	char buf[MS_JSON_NUMBER_MAX];
	ms_emit_scalar(e, key, buf, ms_json_signed(buf, v, false), ms_emit_tree_int, &v);
}

void ms_emit_milli(struct ms_emit *e, const char *key, int32_t v)
{
	char buf[MS_JSON_NUMBER_MAX];
	ms_emit_scalar(e, key, buf, ms_json_signed(buf, v, true), ms_emit_tree_milli, &v);
}

void ms_emit_str(struct ms_emit *e, const char *key, const char *s)
{
	switch (e->to) {
	case MS_EMIT_TEXT:
		ms_emit_text_member(e, key);
		ms_emit_escaped(e, s);
		break;
	case MS_EMIT_RAW:
		ms_emit_raw_path(e, key);
		ms_raw_string(e->out, e->path, s);
		break;
	case MS_EMIT_TREE:
		ms_emit_attach(e, key, json_object_new_string(s));
		break;
	}
	ms_emit_written(e);
}

void ms_emit_bool(struct ms_emit *e, const char *key, bool v)
{
	ms_emit_scalar(e, key, v ? "true" : "false", v ? 4 : 5, ms_emit_tree_bool, &v);
}

void ms_emit_u64_array(struct ms_emit *e, const char *key, const uint64_t *v, int n)
{
	int i;

	ms_emit_array(e, key);
	for (i = 0; i < n; i++)
		ms_emit_u64(e, NULL, v[i]);
	ms_emit_end(e);
}

/* @emit's members inside the top-level object, then --explain's notes. */
static void ms_emit_doc(struct ms_emit *e, const struct ms_ctx *ctx, ms_emit_fn *emit,
			const void *arg)
{
	int i, n = ctx ? ms_notes_count(ctx) : 0;

	ms_emit_object(e, NULL);
	emit(e, arg);
	if (n) {
		ms_emit_array(e, "explain");
		for (i = 0; i < n; i++)
			ms_emit_str(e, NULL, ms_notes_get(ctx, i));
		ms_emit_end(e);
	}
	ms_emit_end(e);
	if (ctx)
		ms_notes_clear(ctx);
}

/* The text of the document, with @end after it, written to @f in one piece. */
static void ms_emit_write_text(FILE *f, bool pretty, const struct ms_ctx *ctx,
			       ms_emit_fn *emit, const void *arg, const char *end)
{
	struct ms_emit e = { .to = MS_EMIT_TEXT, .pretty = pretty };

	ms_emit_doc(&e, ctx, emit, arg);
	ms_emit_put(&e, end, strlen(end));
	fwrite(e.buf, 1, e.len, f);
	free(e.buf);
}

void ms_emit_print(struct ms_ctx *ctx, ms_emit_fn *emit, const void *arg)
{
	struct ms_emit raw = { .to = MS_EMIT_RAW, .out = ctx->out };

	if (ctx->format != MS_FMT_RAW) {
		ms_emit_write_text(ctx->out, isatty(fileno(ctx->out)), ctx, emit, arg, "\n");
		return;
	}
	ms_emit_doc(&raw, ctx, emit, arg);
}

struct json_object *ms_emit_tree(ms_emit_fn *emit, const void *arg)
{
	struct ms_emit e = { .to = MS_EMIT_TREE };

	ms_emit_doc(&e, NULL, emit, arg);
	return e.root;
}

void ms_emit_text(FILE *f, bool pretty, ms_emit_fn *emit, const void *arg)
{
	ms_emit_write_text(f, pretty, NULL, emit, arg, "");
}
