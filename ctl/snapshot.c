// SPDX-License-Identifier: GPL-2.0
/*
 * memscopectl snapshot -o FILE: every subject in one JSON document.
 * memscopectl diff A [B]: what changed between two snapshots (or A and now),
 * rendered per subject by the subjects' own renderers.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "nl.h"
#include "output.h"
#include "snapshot.h"
#include "watch.h"

/* Seconds written with milliseconds, not as the nearest binary double's 17 digits. */
static struct json_object *ms_json_seconds(double v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%.3f", v);
	return json_object_new_double_s(v, buf);
}

static struct json_object *ms_get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (!o || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static uint64_t ms_get_u64(struct json_object *o, const char *key)
{
	struct json_object *v = ms_get(o, key);

	return v ? json_object_get_uint64(v) : 0;
}

/* The kernel's index values are thousandths, written as decimals: 0.125 -> 125. */
static int32_t ms_get_milli(struct json_object *v)
{
	return (int32_t)lround(json_object_get_double(v) * 1000.0);
}

static void ms_get_str(struct json_object *o, const char *key, char *buf, size_t len)
{
	struct json_object *v = ms_get(o, key);

	snprintf(buf, len, "%s", v ? json_object_get_string(v) : "");
}

static int ms_get_u64_array(struct json_object *a, uint64_t *out, int max)
{
	int i, n;

	if (!a || !json_object_is_type(a, json_type_array))
		return 0;
	n = (int)json_object_array_length(a);
	for (i = 0; i < n && i < max; i++)
		out[i] = json_object_get_uint64(json_object_array_get_idx(a, i));
	return i;
}

static int ms_get_names(struct json_object *a, char (*out)[32], int max)
{
	int i, n;

	if (!a || !json_object_is_type(a, json_type_array))
		return 0;
	n = (int)json_object_array_length(a);
	for (i = 0; i < n && i < max; i++)
		snprintf(out[i], 32, "%s", json_object_get_string(json_object_array_get_idx(a, i)));
	return i;
}

static int ms_index_of(const char (*names)[32], int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

/* A keyed object ({"task_switch": 3, ...}) into @out by the index of each name. */
static void ms_get_keyed(struct json_object *o, const char (*names)[32], int n, uint64_t *out)
{
	if (!o || !json_object_is_type(o, json_type_object))
		return;
	json_object_object_foreach(o, key, val) {
		int i = ms_index_of(names, n, key);

		if (i >= 0)
			out[i] = json_object_get_uint64(val);
	}
}

static const char *const ms_feature_names[] = { "info", "zones", "buddy", "pages", "task", "tlb" };

int ms_info_from_json(struct json_object *o, struct ms_info_rec *r)
{
	struct json_object *f = ms_get(o, "features");
	size_t i, j;

	memset(r, 0, sizeof(*r));
	if (!o || !ms_get(o, "page_size"))
		return -1;
	ms_get_str(o, "module_version", r->module_version, sizeof(r->module_version));
	ms_get_str(o, "kernel_release", r->kernel_release, sizeof(r->kernel_release));
	r->protocol_version = (uint32_t)ms_get_u64(o, "protocol_version");
	r->page_size = (uint32_t)ms_get_u64(o, "page_size");
	r->max_order = (uint32_t)ms_get_u64(o, "max_order");
	r->pageblock_order = (uint32_t)ms_get_u64(o, "pageblock_order");
	r->nr_nodes = (uint32_t)ms_get_u64(o, "nr_nodes");
	r->nr_cpus = (uint32_t)ms_get_u64(o, "nr_cpus");
	r->nr_migratetypes = ms_get_names(ms_get(o, "migratetypes"), r->migratetypes, MS_MAX_NAMES);
	r->nr_zones = ms_get_names(ms_get(o, "zones"), r->zones, MS_MAX_NAMES);
	r->nr_tlb_reasons = ms_get_names(ms_get(o, "tlb_reasons"), r->tlb_reasons, MS_MAX_NAMES);
	r->nr_page_classes = ms_get_names(ms_get(o, "page_classes"), r->page_classes,
					  MS_MAX_CLASSES);
	r->page_kinds = ms_get(o, "page_kinds") ? (int)ms_get_u64(o, "page_kinds") :
			ms_index_of(r->page_classes, r->nr_page_classes, "mlocked");
	for (i = 0; f && json_object_is_type(f, json_type_array) &&
		    i < json_object_array_length(f); i++)
		for (j = 0; j < sizeof(ms_feature_names) / sizeof(ms_feature_names[0]); j++)
			if (!strcmp(json_object_get_string(json_object_array_get_idx(f, i)),
				    ms_feature_names[j]))
				r->features |= 1u << j;
	return 0;
}

int ms_zones_from_json(struct json_object *doc, struct ms_zone_list *l)
{
	struct json_object *zones = ms_get(doc, "zones");
	size_t i, n;

	memset(l, 0, sizeof(*l));
	if (!zones || !json_object_is_type(zones, json_type_array))
		return -1;
	n = json_object_array_length(zones);
	for (i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(zones, i), *v;
		struct ms_zone_rec *z = ms_append(&l->zones, &l->n, sizeof(*z));
		struct json_object *wm = ms_get(o, "watermark"), *pcp = ms_get(o, "pagesets");
		size_t k;

		z->node = (uint32_t)ms_get_u64(o, "node");
		ms_get_str(o, "zone", z->name, sizeof(z->name));
		z->index = (uint32_t)ms_get_u64(o, "index");
		z->has_start_pfn = ms_get(o, "start_pfn") != NULL;
		z->start_pfn = ms_get_u64(o, "start_pfn");
		z->spanned = ms_get_u64(o, "spanned");
		z->present = ms_get_u64(o, "present");
		z->managed = ms_get_u64(o, "managed");
		z->cma = ms_get_u64(o, "cma");
		z->free = ms_get_u64(o, "free");
		z->wmark_min = ms_get_u64(wm, "min");
		z->wmark_low = ms_get_u64(wm, "low");
		z->wmark_high = ms_get_u64(wm, "high");
		z->wmark_promo = ms_get_u64(wm, "promo");
		z->wmark_boost = ms_get_u64(wm, "boost");
		v = ms_get(o, "kswapd_wake");
		z->kswapd_wake = v && json_object_get_boolean(v);
		z->nr_lowmem_reserve = ms_get_u64_array(ms_get(o, "lowmem_reserve"),
							z->lowmem_reserve, MS_MAX_ZONES);
		v = ms_get(o, "stats");
		if (v && json_object_is_type(v, json_type_object)) {
			json_object_object_foreach(v, key, val) {
				if (z->nr_stats >= MS_MAX_STATS)
					break;
				snprintf(z->stats[z->nr_stats].name, 32, "%s", key);
				z->stats[z->nr_stats++].value = json_object_get_uint64(val);
			}
		}
		k = pcp && json_object_is_type(pcp, json_type_array) ? json_object_array_length(pcp) : 0;
		z->pcp = calloc(k ? k : 1, sizeof(*z->pcp));
		if (!z->pcp)
			abort();
		for (z->nr_pcp = 0; (size_t)z->nr_pcp < k; z->nr_pcp++) {
			struct json_object *p = json_object_array_get_idx(pcp, (size_t)z->nr_pcp);

			z->pcp[z->nr_pcp].cpu = (uint32_t)ms_get_u64(p, "cpu");
			z->pcp[z->nr_pcp].count = (uint32_t)ms_get_u64(p, "count");
			z->pcp[z->nr_pcp].high = (uint32_t)ms_get_u64(p, "high");
			z->pcp[z->nr_pcp].batch = (uint32_t)ms_get_u64(p, "batch");
		}
	}
	return 0;
}

int ms_buddy_from_json(const struct ms_info_rec *info, struct json_object *doc,
		       struct ms_buddy_list *l)
{
	struct json_object *zones = ms_get(doc, "zones");
	size_t i, n;

	memset(l, 0, sizeof(*l));
	if (!zones || !json_object_is_type(zones, json_type_array))
		return -1;
	n = json_object_array_length(zones);
	for (i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(zones, i), *v;
		struct ms_buddy_rec *b = ms_append(&l->zones, &l->n, sizeof(*b));
		int k;

		b->node = (uint32_t)ms_get_u64(o, "node");
		ms_get_str(o, "zone", b->name, sizeof(b->name));
		b->nr_orders = ms_get_u64_array(ms_get(o, "free_blocks"), b->free_blocks,
						MS_MAX_ORDERS);
		v = ms_get(o, "free_lists");
		if (v && json_object_is_type(v, json_type_object)) {
			json_object_object_foreach(v, key, val) {
				int mt = ms_index_of(info->migratetypes, info->nr_migratetypes, key);

				if (mt < 0 || mt >= MS_MAX_NAMES)
					continue;
				ms_get_u64_array(val, b->lists[mt], MS_MAX_ORDERS);
				if (mt + 1 > b->nr_types)
					b->nr_types = mt + 1;
			}
		}
		v = ms_get(o, "unusable_index");
		for (k = 0; v && k < (int)json_object_array_length(v) && k < MS_MAX_ORDERS; k++)
			b->unusable_index[k] = (uint32_t)ms_get_milli(json_object_array_get_idx(v, (size_t)k));
		v = ms_get(o, "fragmentation_index");
		for (k = 0; v && k < (int)json_object_array_length(v) && k < MS_MAX_ORDERS; k++)
			b->frag_index[k] = ms_get_milli(json_object_array_get_idx(v, (size_t)k));
		b->lock_hold_max_ns = ms_get_u64(o, "lock_hold_max_ns");
		b->lock_holds = (uint32_t)ms_get_u64(o, "lock_holds");
		b->restarts = (uint32_t)ms_get_u64(o, "restarts");
	}
	return 0;
}

int ms_pages_from_json(const struct ms_info_rec *info, struct json_object *doc,
		       struct ms_pages_list *l)
{
	struct json_object *zones = ms_get(doc, "zones");
	size_t i, n;

	memset(l, 0, sizeof(*l));
	if (!zones || !json_object_is_type(zones, json_type_array))
		return -1;
	n = json_object_array_length(zones);
	for (i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(zones, i);
		struct ms_pages_rec *z = ms_append(&l->zones, &l->n, sizeof(*z));

		z->node = (uint32_t)ms_get_u64(o, "node");
		ms_get_str(o, "zone", z->zone, sizeof(z->zone));
		z->pages = ms_get_u64(o, "pages");
		ms_get_keyed(ms_get(o, "classes"), info->page_classes, info->nr_page_classes,
			     z->classes);
		z->scan_ns = ms_get_u64(o, "scan_ns");
		z->resched_max_ns = ms_get_u64(o, "resched_max_ns");
	}
	return 0;
}

int ms_tlb_from_json(const struct ms_info_rec *info, struct json_object *doc,
		     struct ms_tlb_list *l)
{
	struct json_object *cpus = ms_get(doc, "cpus");
	size_t i, n;

	memset(l, 0, sizeof(*l));
	if (!cpus || !json_object_is_type(cpus, json_type_array) || ms_get(doc, "interval"))
		return -1;	/* rates (--watch) are not counters */
	n = json_object_array_length(cpus);
	for (i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(cpus, i);
		struct ms_tlb_cpu *c = ms_append(&l->cpus, &l->n, sizeof(*c));

		c->cpu = (uint32_t)ms_get_u64(o, "cpu");
		ms_get_keyed(ms_get(o, "flushes"), info->tlb_reasons, info->nr_tlb_reasons, c->flushes);
		ms_get_keyed(ms_get(o, "full_flushes"), info->tlb_reasons, info->nr_tlb_reasons,
			     c->full);
		ms_get_keyed(ms_get(o, "pages_flushed"), info->tlb_reasons, info->nr_tlb_reasons,
			     c->pages);
		c->ipis = ms_get_u64(o, "shootdown_ipis");
	}
	return 0;
}

void ms_snapshot_free(struct ms_snapshot *s)
{
	ms_zone_list_free(&s->zones);
	free(s->buddy.zones);
	free(s->pages.zones);
	free(s->tlb.cpus);
	free(s->map.blocks);
	if (s->doc)
		json_object_put(s->doc);
	memset(s, 0, sizeof(*s));
}

int ms_snapshot_from_json(struct json_object *doc, struct ms_snapshot *s, const char **why)
{
	struct json_object *v;

	memset(s, 0, sizeof(*s));
	s->doc = doc;
	*why = "not a memscope snapshot (no \"memscope_snapshot\" key)";
	if (!ms_get(doc, "memscope_snapshot"))
		return -1;
	*why = "written by a newer memscopectl (snapshot format above 1)";
	if (ms_get_u64(doc, "memscope_snapshot") > MS_SNAPSHOT_FORMAT)
		return -1;
	*why = "no \"info\" object";
	if (ms_info_from_json(ms_get(doc, "info"), &s->info))
		return -1;
	v = ms_get(doc, "time");
	s->time = v ? json_object_get_double(v) : 0;
	ms_get_str(doc, "hostname", s->hostname, sizeof(s->hostname));
	s->has_zones = !ms_zones_from_json(ms_get(doc, "zones"), &s->zones);
	s->has_buddy = !ms_buddy_from_json(&s->info, ms_get(doc, "buddy"), &s->buddy);
	s->has_pages = !ms_pages_from_json(&s->info, ms_get(doc, "pages"), &s->pages);
	s->has_tlb = !ms_tlb_from_json(&s->info, ms_get(doc, "tlb"), &s->tlb);
	s->has_map = ms_get(doc, "map") && !ms_map_from_json(&s->info, ms_get(doc, "map"), &s->map);
	return 0;
}

int ms_snapshot_read(const char *path, struct ms_snapshot *s)
{
	struct json_object *doc = json_object_from_file(path);
	const char *why;

	if (!doc) {
		if (access(path, R_OK))
			return ms_fail(MS_EXIT_USAGE, "cannot read '%s': %s", path, strerror(errno));
		return ms_fail(MS_EXIT_USAGE, "'%s' is not JSON: %s", path, json_util_get_last_err());
	}
	if (ms_snapshot_from_json(doc, s, &why)) {
		ms_snapshot_free(s);
		return ms_fail(MS_EXIT_USAGE, "'%s': %s: make one with 'memscopectl snapshot -o FILE'",
			       path, why);
	}
	return MS_EXIT_OK;
}

static void ms_skip(struct json_object *skipped, const char *subject, int err)
{
	json_object_object_add(skipped, subject, json_object_new_string(
		err == MS_EXIT_PERM ? "needs root (CAP_SYS_ADMIN)" :
		err == MS_EXIT_VERSION ? "the loaded module does not have it" : "request failed"));
}

int ms_snapshot_collect(struct ms_ctx *ctx, struct ms_snapshot *s)
{
	struct ms_zone_args all = { .node = -1 };
	struct json_object *doc = json_object_new_object(), *skipped = json_object_new_object();
	struct timespec now;
	int err;

	memset(s, 0, sizeof(*s));
	s->doc = doc;
	clock_gettime(CLOCK_REALTIME, &now);
	s->time = (double)now.tv_sec + (double)(now.tv_nsec / 1000000) / 1000.0;
	gethostname(s->hostname, sizeof(s->hostname) - 1);
	json_object_object_add(doc, "memscope_snapshot", ms_json_int(MS_SNAPSHOT_FORMAT));
	json_object_object_add(doc, "time", ms_json_seconds(s->time));
	json_object_object_add(doc, "hostname", json_object_new_string(s->hostname));
	err = ms_info_fetch(ctx, &s->info);
	if (err)
		return err;
	json_object_object_add(doc, "info", ms_info_json(&s->info));
	err = ms_zones_fetch(ctx, &all, &s->zones);
	if (err)
		return err;
	s->has_zones = true;
	json_object_object_add(doc, "zones", ms_zones_json(&s->zones));
	err = ms_buddy_fetch(ctx, &all, &s->buddy, true);
	if (!err) {
		s->has_buddy = true;
		json_object_object_add(doc, "buddy", ms_buddy_json(&s->info, &s->buddy));
	} else {
		ms_skip(skipped, "buddy", err);
	}
	err = ms_pages_fetch(ctx, &all, &s->pages);
	if (err)
		return err;
	s->has_pages = true;
	json_object_object_add(doc, "pages", ms_pages_json(&s->info, &s->pages));
	err = ms_tlb_fetch(ctx, &s->tlb);
	if (!err) {
		s->has_tlb = true;
		json_object_object_add(doc, "tlb", ms_tlb_json(&s->info, &s->tlb, 0));
	} else {
		ms_skip(skipped, "tlb", err);
	}
	err = ms_map_fetch(ctx, &s->map, true);
	if (!err) {
		s->has_map = true;
		json_object_object_add(doc, "map", ms_map_json(&s->info, &s->map));
	} else {
		ms_skip(skipped, "map", err);
	}
	json_object_object_add(skipped, "task", json_object_new_string(
		"per process: memscopectl task PID --json"));
	json_object_object_add(doc, "skipped", skipped);
	return MS_EXIT_OK;
}

/* Writes @text to @path through a temporary file in the same directory and a rename. */
int ms_write_atomic(const char *path, const char *text, size_t len)
{
	char *tmp;
	int fd, err = 0;

	if (asprintf(&tmp, "%s.tmp.XXXXXX", path) < 0)
		return -1;
	fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		return -1;
	}
	if (fchmod(fd, 0644) || write(fd, text, len) != (ssize_t)len || fsync(fd))
		err = -1;
	if (close(fd))
		err = -1;
	if (!err && rename(tmp, path))
		err = -1;
	if (err) {
		int saved = errno;

		unlink(tmp);
		errno = saved;
	}
	free(tmp);
	return err;
}

static int ms_snapshot_run(struct ms_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		MS_COMMON_OPTS,
		{ "output", required_argument, NULL, 'o' },
		{ 0 }
	};
	const char *out = NULL, *text;
	struct ms_snapshot s;
	struct json_object *skipped;
	int c, err;

	while ((c = getopt_long(argc, argv, MS_COMMON_SHORTOPTS "o:", opts, NULL)) != -1) {
		if (c == 'o')
			err = (out = optarg, 0);
		else
			err = ms_common_opt(ctx, &ms_cmd_snapshot, c, argv);
		if (err)
			return err < 0 ? MS_EXIT_OK : err;
	}
	if (optind < argc)
		return ms_fail(MS_EXIT_USAGE, "snapshot: unexpected argument '%s' (give the file with -o FILE)",
			       argv[optind]);
	ms_output_setup(ctx);
	memset(&s, 0, sizeof(s));
	err = ms_nl_open(ctx);
	if (!err)
		err = ms_snapshot_collect(ctx, &s);
	if (err) {
		ms_snapshot_free(&s);
		return err;
	}
	text = json_object_to_json_string_ext(s.doc, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!out || !strcmp(out, "-")) {
		fprintf(ctx->out, "%s\n", text);
	} else {
		char *line;

		if (asprintf(&line, "%s\n", text) < 0 || ms_write_atomic(out, line, strlen(line)))
			err = ms_fail(MS_EXIT_ERROR, "snapshot: cannot write '%s': %m", out);
		free(line);
		skipped = ms_get(s.doc, "skipped");
		if (!err && skipped) {
			json_object_object_foreach(skipped, key, val)
				if (strcmp(key, "task"))
					fprintf(stderr, "%s: snapshot: %s skipped: %s\n", ms_prog, key,
						json_object_get_string(val));
		}
		if (!err)
			fprintf(ctx->out, "wrote %s\n", out);
	}
	ms_snapshot_free(&s);
	return err;
}

const struct ms_cmd ms_cmd_snapshot = {
	.name = "snapshot",
	.summary = "save every subject at once as one JSON file, for diff (buddy and map need root)",
	.usage = "-o FILE",
	.run = ms_snapshot_run,
	.not_subject = true,
};

/* --- diff --------------------------------------------------------------- */

static void ms_diff_leaf(struct json_object *out, const char *path, struct json_object *a,
			 struct json_object *b)
{
	enum json_type ta = json_object_get_type(a), tb = json_object_get_type(b);

	if (ta == json_type_object && tb == json_type_object) {
		json_object_object_foreach(b, key, vb) {
			struct json_object *va = ms_get(a, key);
			char sub[512];

			if (!va)
				continue;
			snprintf(sub, sizeof(sub), "%s%s%s", path, path[0] ? "." : "", key);
			ms_diff_leaf(out, sub, va, vb);
		}
		return;
	}
	if (ta == json_type_array && tb == json_type_array) {
		size_t i, n = json_object_array_length(b);

		for (i = 0; i < n && i < json_object_array_length(a); i++) {
			char sub[512];

			snprintf(sub, sizeof(sub), "%s%s%zu", path, path[0] ? "." : "", i);
			ms_diff_leaf(out, sub, json_object_array_get_idx(a, i),
				     json_object_array_get_idx(b, i));
		}
		return;
	}
	if ((ta == json_type_int || ta == json_type_double) &&
	    (tb == json_type_int || tb == json_type_double)) {
		struct json_object *o;

		if (ta == json_type_int && tb == json_type_int) {
			int64_t d = (int64_t)(json_object_get_uint64(b) - json_object_get_uint64(a));

			if (!d)
				return;
			o = json_object_new_object();
			json_object_object_add(o, "path", json_object_new_string(path));
			json_object_object_add(o, "a", json_object_get(a));
			json_object_object_add(o, "b", json_object_get(b));
			json_object_object_add(o, "change", ms_json_int(d));
		} else {
			double d = json_object_get_double(b) - json_object_get_double(a);

			if (d == 0)
				return;
			o = json_object_new_object();
			json_object_object_add(o, "path", json_object_new_string(path));
			json_object_object_add(o, "a", json_object_get(a));
			json_object_object_add(o, "b", json_object_get(b));
			json_object_object_add(o, "change", json_object_new_double(d));
		}
		json_object_array_add(out, o);
	}
}

struct json_object *ms_diff_json(const struct ms_snapshot *a, const struct ms_snapshot *b)
{
	static const char *const subjects[] = { "info", "zones", "buddy", "pages", "tlb" };
	struct json_object *doc = json_object_new_object(), *changes = json_object_new_array();
	size_t i;

	json_object_object_add(doc, "a_time", ms_json_seconds(a->time));
	json_object_object_add(doc, "b_time", ms_json_seconds(b->time));
	json_object_object_add(doc, "seconds", ms_json_seconds(b->time - a->time));
	for (i = 0; i < sizeof(subjects) / sizeof(subjects[0]); i++) {
		struct json_object *va = ms_get(a->doc, subjects[i]), *vb = ms_get(b->doc, subjects[i]);

		if (va && vb)
			ms_diff_leaf(changes, subjects[i], va, vb);
	}
	json_object_object_add(doc, "changes", changes);
	return doc;
}

static void ms_diff_heading(const struct ms_ctx *ctx, const char *title)
{
	char buf[128];

	fprintf(ctx->out, "\n%s\n", ms_paint(ctx, MS_STYLE_BOLD, title, buf, sizeof(buf)));
}

static bool ms_tlb_went_back(const struct ms_tlb_list *a, const struct ms_tlb_list *b)
{
	int i, j, r;

	for (i = 0; i < b->n; i++)
		for (j = 0; j < a->n; j++)
			if (a->cpus[j].cpu == b->cpus[i].cpu)
				for (r = 0; r < MS_MAX_NAMES; r++)
					if (b->cpus[i].flushes[r] < a->cpus[j].flushes[r])
						return true;
	return false;
}

void ms_diff_print(const struct ms_ctx *ctx, const struct ms_snapshot *a,
		   const struct ms_snapshot *b)
{
	double secs = b->time - a->time;
	char ta[32], tb[32];
	time_t t;

	t = (time_t)a->time;
	strftime(ta, sizeof(ta), "%Y-%m-%d %H:%M:%S", localtime(&t));
	t = (time_t)b->time;
	strftime(tb, sizeof(tb), "%Y-%m-%d %H:%M:%S", localtime(&t));
	fprintf(ctx->out, "From %s (%s) to %s (%s): %.1f s\n", ta, a->hostname, tb, b->hostname,
		secs);
	if (strcmp(a->info.kernel_release, b->info.kernel_release) ||
	    strcmp(a->info.module_version, b->info.module_version) || strcmp(a->hostname, b->hostname))
		fprintf(ctx->out, "Note: different machines or kernels: %s memscope %s on Linux %s, then "
			"%s memscope %s on Linux %s\n", a->hostname, a->info.module_version,
			a->info.kernel_release, b->hostname, b->info.module_version,
			b->info.kernel_release);
	if (a->has_zones && b->has_zones) {
		ms_diff_heading(ctx, "zones (CHANGE: free memory)");
		ms_zones_explain(ctx, &b->zones, &a->zones, secs);
		ms_zones_print(ctx, &b->zones, &a->zones, secs);
		ms_notes_print(ctx);
	}
	if (a->has_buddy && b->has_buddy) {
		ms_diff_heading(ctx, "buddy (change: free blocks per order)");
		ms_buddy_explain(ctx, &b->info, &b->buddy, &a->buddy);
		ms_buddy_print(ctx, &b->info, &b->buddy, &a->buddy);
		ms_notes_print(ctx);
	} else {
		ms_diff_heading(ctx, "buddy: not in both snapshots (needs root)");
	}
	if (a->has_pages && b->has_pages) {
		ms_diff_heading(ctx, "pages (CHANGE per class)");
		ms_pages_explain(ctx, &b->info, &b->pages, &a->pages);
		ms_pages_print(ctx, &b->info, &b->pages, &a->pages);
		ms_notes_print(ctx);
	}
	if (a->has_tlb && b->has_tlb) {
		struct ms_tlb_list delta;
		bool reset = ms_tlb_went_back(&a->tlb, &b->tlb);

		ms_diff_heading(ctx, reset ? "tlb: counters were reset in between; the second snapshot's counts" :
				"tlb (flushes per second between the snapshots)");
		ms_tlb_delta(&b->tlb, reset ? NULL : &a->tlb, &delta);
		ms_tlb_explain_notes(ctx, &b->info, &delta, reset ? 0 : secs);
		ms_tlb_print(ctx, &b->info, &delta, reset || secs <= 0 ? 0 : secs);
		ms_notes_print(ctx);
		free(delta.cpus);
	}
	if (a->has_map && b->has_map) {
		ms_diff_heading(ctx, "map");
		ms_map_explain(ctx, &b->map, &a->map);
		if (!ctx->explain) {	/* the one line that compares */
			struct ms_ctx quiet = *ctx;

			quiet.explain = true;
			ms_map_explain(&quiet, &b->map, &a->map);
			fprintf(ctx->out, "%s\n", ms_notes_get(ctx, ms_notes_count(ctx) - 1));
			ms_notes_clear(ctx);
		}
		ms_notes_print(ctx);
	}
}

static int ms_diff_run(struct ms_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { MS_COMMON_OPTS, { 0 } };
	struct ms_snapshot a = { 0 }, b = { 0 };
	int c, err;

	while ((c = getopt_long(argc, argv, MS_COMMON_SHORTOPTS, opts, NULL)) != -1) {
		err = ms_common_opt(ctx, &ms_cmd_diff, c, argv);
		if (err)
			return err < 0 ? MS_EXIT_OK : err;
	}
	if (optind >= argc || argc - optind > 2)
		return ms_fail(MS_EXIT_USAGE, "diff: give one snapshot (compared with now) or two: memscopectl diff A [B]");
	ms_output_setup(ctx);
	err = ms_snapshot_read(argv[optind], &a);
	if (err)
		return err;
	if (argc - optind == 2) {
		err = ms_snapshot_read(argv[optind + 1], &b);
	} else {
		err = ms_nl_open(ctx);
		if (!err)
			err = ms_snapshot_collect(ctx, &b);
	}
	if (!err) {
		if (ctx->format != MS_FMT_TABLE)
			ms_json_print(ctx, ms_diff_json(&a, &b));
		else
			ms_diff_print(ctx, &a, &b);
	}
	ms_snapshot_free(&a);
	ms_snapshot_free(&b);
	return err;
}

const struct ms_cmd ms_cmd_diff = {
	.name = "diff",
	.summary = "what changed between two snapshots, or between a snapshot and now",
	.usage = "A.json [B.json] [--explain] [-p|-b|-h] [--color[=WHEN]] [--json|--raw]",
	.run = ms_diff_run,
	.not_subject = true,
};
