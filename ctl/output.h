/* SPDX-License-Identifier: GPL-2.0 */
/* The output layer: units, aligned tables and JSON documents. */
#ifndef MS_OUTPUT_H
#define MS_OUTPUT_H

#include <json-c/json.h>

#include "memscopectl.h"

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

/* Prints one JSON document (pretty, newline-terminated) and releases it. */
void ms_json_print(struct ms_ctx *ctx, struct json_object *doc);
struct json_object *ms_json_u64(uint64_t v);
struct json_object *ms_json_u64_array(const uint64_t *v, int n);
struct json_object *ms_json_milli(int32_t v);
struct json_object *ms_json_names(const char (*names)[32], int n);

#endif
