/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Snapshots: every subject's records at one moment, as one JSON document
 * (each subject under its name, with the keys of its --json) and back.
 * snapshot, diff and export all work from this.
 */
#ifndef MS_SNAPSHOT_H
#define MS_SNAPSHOT_H

#include "subjects.h"

#define MS_SNAPSHOT_FORMAT 1

struct ms_snapshot {
	struct json_object *doc;	/* owned */
	double time;			/* seconds since the epoch */
	char hostname[65];
	struct ms_info_rec info;
	bool has_zones, has_buddy, has_pages, has_tlb, has_map;
	struct ms_zone_list zones;
	struct ms_buddy_list buddy;
	struct ms_pages_list pages;
	struct ms_tlb_list tlb;
	struct ms_map map;
};

/* Reads every subject from the module; ones not permitted are noted in "skipped". */
int ms_snapshot_collect(struct ms_ctx *ctx, struct ms_snapshot *s);
/* Fills the records from a snapshot document (takes ownership of @doc). */
int ms_snapshot_from_json(struct json_object *doc, struct ms_snapshot *s, const char **why);
int ms_snapshot_read(const char *path, struct ms_snapshot *s);
void ms_snapshot_free(struct ms_snapshot *s);

/* JSON -> records, the inverse of each subject's ms_*_json(). */
int ms_info_from_json(struct json_object *o, struct ms_info_rec *r);
int ms_zones_from_json(struct json_object *doc, struct ms_zone_list *l);
int ms_buddy_from_json(const struct ms_info_rec *info, struct json_object *doc,
		       struct ms_buddy_list *l);
int ms_pages_from_json(const struct ms_info_rec *info, struct json_object *doc,
		       struct ms_pages_list *l);
int ms_tlb_from_json(const struct ms_info_rec *info, struct json_object *doc,
		     struct ms_tlb_list *l);

/* What changed from @a to @b: per subject through the subjects' renderers. */
void ms_diff_print(const struct ms_ctx *ctx, const struct ms_snapshot *a,
		   const struct ms_snapshot *b);
/* Every number that changed: [{path, a, b, change}], paths as in --raw. */
struct json_object *ms_diff_json(const struct ms_snapshot *a, const struct ms_snapshot *b);

/* Writes @path through a temporary file in its directory and a rename: readers never see half. */
int ms_write_atomic(const char *path, const char *text, size_t len);

/* node_exporter textfile format of a snapshot. */
int ms_prometheus_write(FILE *f, const struct ms_snapshot *s);

#endif
