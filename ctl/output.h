/* SPDX-License-Identifier: GPL-2.0 */
/* The output layer: units, aligned tables and JSON documents. */
#ifndef MS_OUTPUT_H
#define MS_OUTPUT_H

#include <json-c/json.h>

#include "memscopectl.h"

/*
 * Resolves --color (auto: a terminal, NO_COLOR unset, TERM not dumb) and the
 * width tables must fit (the terminal's, else $COLUMNS, else no limit).
 */
void ms_output_setup(struct ms_ctx *ctx);
/* What ms_output_setup() does to tables, set directly (tests). */
void ms_output_config(int width, bool color);

enum ms_style { MS_STYLE_BAD, MS_STYLE_WARN, MS_STYLE_GOOD, MS_STYLE_BOLD };
/* @text wrapped in the style's colour when the context colours, else @text. */
const char *ms_paint(const struct ms_ctx *ctx, enum ms_style s, const char *text, char *buf,
		     size_t len);
/* Columns @s takes on a terminal: ANSI colour sequences take none. */
int ms_visible_len(const char *s);

/* Prose: printed as is, except that a line wider than the terminal wraps at a blank. */
void ms_para(const struct ms_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Formats @pages in the context's unit: human (4.0G), pages or bytes. */
const char *ms_fmt_pages(const struct ms_ctx *ctx, uint64_t pages, char *buf, size_t len);
/* Human size of @bytes with binary suffixes: 0, 512, 4.0K, 1.5M, 12G. */
const char *ms_fmt_bytes_human(uint64_t bytes, char *buf, size_t len);
/* Signed delta in the context's unit: +4.0M, -12, 0. */
const char *ms_fmt_delta(const struct ms_ctx *ctx, int64_t pages, char *buf, size_t len);

/*
 * A table of strings printed with aligned columns.  A heading that starts
 * with '>' is right-aligned (numbers); the '>' is not printed.
 */
struct ms_table;

struct ms_table *ms_table_new(int ncols, const char *const *heads);
void ms_table_add(struct ms_table *t, const char *const *cells);
void ms_table_print(const struct ms_table *t, FILE *f);
void ms_table_free(struct ms_table *t);

/*
 * Prints one JSON document (pretty on a terminal, else one line) and releases
 * it; --raw prints it flattened instead: one "PATH<TAB>VALUE" line per value,
 * PATH the keys and list indices joined by '.'.  --explain lines collected
 * for this sample go in as "explain".
 */
void ms_json_print(struct ms_ctx *ctx, struct json_object *doc);
void ms_raw_print(FILE *f, struct json_object *doc);
/* One --raw line for a string value. */
void ms_raw_string(FILE *f, const char *path, const char *s);

/* --explain: annotations collected while rendering one sample. */
void ms_note(const struct ms_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Table mode: prints the collected lines under "Explained:", then forgets them. */
void ms_notes_print(const struct ms_ctx *ctx);
void ms_notes_clear(const struct ms_ctx *ctx);
int ms_notes_count(const struct ms_ctx *ctx);
const char *ms_notes_get(const struct ms_ctx *ctx, int i);
/*
 * The digits of @v (of @v/1000 with three decimals if @milli), after a '-' if
 * @neg, in @buf; returns their length.  What the number serializers write.
 */
#define MS_JSON_NUMBER_MAX 32
size_t ms_json_number(char *buf, uint64_t v, bool neg, bool milli);
/* The same for a signed @v. */
size_t ms_json_signed(char *buf, int64_t v, bool milli);
struct json_object *ms_json_u64(uint64_t v);
struct json_object *ms_json_int(int64_t v);
struct json_object *ms_json_milli(int32_t v);
struct json_object *ms_json_names(const char (*names)[32], int n);

#endif
