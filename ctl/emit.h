/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A JSON document written as it is produced: as JSON text, as --raw lines, or
 * into a json-c tree (snapshots put several documents into one).  A subject
 * that writes its document once through these calls gets all three.  zones
 * and buddy do: built as a json-c tree their documents cost an allocation per
 * number, most of what `--json` cost (issue 4 holds them to reading /proc).
 *
 * @key names a member inside an object and is NULL inside an array.
 */
#ifndef MS_EMIT_H
#define MS_EMIT_H

#include <json-c/json.h>

#include "memscopectl.h"

struct ms_emit;
typedef void ms_emit_fn(struct ms_emit *e, const void *arg);

void ms_emit_object(struct ms_emit *e, const char *key);
void ms_emit_array(struct ms_emit *e, const char *key);
void ms_emit_end(struct ms_emit *e);

void ms_emit_u64(struct ms_emit *e, const char *key, uint64_t v);
void ms_emit_int(struct ms_emit *e, const char *key, int64_t v);
/* v/1000, written as the kernel prints such values: 0.125, -1.000. */
void ms_emit_milli(struct ms_emit *e, const char *key, int32_t v);
void ms_emit_str(struct ms_emit *e, const char *key, const char *s);
void ms_emit_bool(struct ms_emit *e, const char *key, bool v);
void ms_emit_u64_array(struct ms_emit *e, const char *key, const uint64_t *v, int n);

/*
 * Prints the object @emit writes the members of, as ms_json_print() prints a
 * tree: JSON (pretty on a terminal, else one line) or --raw lines, with the
 * --explain notes collected for this sample as "explain".
 */
void ms_emit_print(struct ms_ctx *ctx, ms_emit_fn *emit, const void *arg);
/* The same object as a json-c tree, for the caller to release. */
struct json_object *ms_emit_tree(ms_emit_fn *emit, const void *arg);
/* The same object as JSON text in @f, without --explain's notes or a newline. */
void ms_emit_text(FILE *f, bool pretty, ms_emit_fn *emit, const void *arg);

#endif
