// SPDX-License-Identifier: GPL-2.0
/*
 * memscopectl export --prometheus [-o FILE]: every subject as metrics in the
 * Prometheus text exposition format, for node_exporter's textfile collector.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "nl.h"
#include "output.h"
#include "snapshot.h"

/* Label values escape backslash, double quote and newline (exposition format). */
static void ms_prom_label(FILE *f, const char *name, const char *value, bool first)
{
	fprintf(f, "%s%s=\"", first ? "" : ",", name);
	for (; *value; value++) {
		if (*value == '\\' || *value == '"')
			fputc('\\', f);
		if (*value == '\n')
			fputs("\\n", f);
		else
			fputc(*value, f);
	}
	fputc('"', f);
}

static void ms_prom_head(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void ms_prom_zone(FILE *f, const char *metric, uint32_t node, const char *zone)
{
	char n[16];

	snprintf(n, sizeof(n), "%u", node);
	fprintf(f, "%s{", metric);
	ms_prom_label(f, "node", n, true);
	ms_prom_label(f, "zone", zone, false);
}

static void ms_prom_zone_u64(FILE *f, const char *metric, const struct ms_zone_rec *z, uint64_t v)
{
	ms_prom_zone(f, metric, z->node, z->name);
	fprintf(f, "} %" PRIu64 "\n", v);
}

static void ms_prom_zones(FILE *f, const struct ms_snapshot *s)
{
	static const struct {
		const char *name, *help;
		size_t off;
	} fields[] = {
		{ "memscope_zone_present_bytes", "Physical memory present in the zone.",
		  offsetof(struct ms_zone_rec, present) },
		{ "memscope_zone_managed_bytes", "Memory the buddy allocator manages in the zone.",
		  offsetof(struct ms_zone_rec, managed) },
		{ "memscope_zone_free_bytes", "Free memory in the zone.",
		  offsetof(struct ms_zone_rec, free) },
		{ "memscope_zone_watermark_min_bytes", "Min watermark: below it allocations reclaim directly.",
		  offsetof(struct ms_zone_rec, wmark_min) },
		{ "memscope_zone_watermark_low_bytes", "Low watermark: below it kswapd wakes.",
		  offsetof(struct ms_zone_rec, wmark_low) },
		{ "memscope_zone_watermark_high_bytes", "High watermark: kswapd reclaims up to it.",
		  offsetof(struct ms_zone_rec, wmark_high) },
		{ "memscope_zone_watermark_boost_bytes", "Temporary watermark boost after fragmentation events.",
		  offsetof(struct ms_zone_rec, wmark_boost) },
	};
	size_t k;
	int i;

	for (k = 0; k < sizeof(fields) / sizeof(fields[0]); k++) {
		ms_prom_head(f, fields[k].name, "gauge", fields[k].help);
		for (i = 0; i < s->zones.n; i++) {
			const struct ms_zone_rec *z = &s->zones.zones[i];
			uint64_t pages = *(const uint64_t *)((const char *)z + fields[k].off);

			ms_prom_zone_u64(f, fields[k].name, z, pages * s->info.page_size);
		}
	}
	ms_prom_head(f, "memscope_zone_below_low_watermark", "gauge",
		     "1 when free memory is below the low watermark (kswapd is woken).");
	for (i = 0; i < s->zones.n; i++)
		ms_prom_zone_u64(f, "memscope_zone_below_low_watermark", &s->zones.zones[i],
				 s->zones.zones[i].kswapd_wake);
}

static void ms_prom_buddy(FILE *f, const struct ms_snapshot *s)
{
	const struct ms_info_rec *info = &s->info;
	char order[8];
	int i, o, mt;

	ms_prom_head(f, "memscope_buddy_free_blocks", "gauge",
		     "Free blocks of 2^order pages on the buddy free lists, by migratetype.");
	for (i = 0; i < s->buddy.n; i++) {
		const struct ms_buddy_rec *b = &s->buddy.zones[i];

		for (mt = 0; mt < b->nr_types && mt < info->nr_migratetypes; mt++)
			for (o = 0; o < b->nr_orders; o++) {
				snprintf(order, sizeof(order), "%d", o);
				ms_prom_zone(f, "memscope_buddy_free_blocks", b->node, b->name);
				ms_prom_label(f, "order", order, false);
				ms_prom_label(f, "migratetype", info->migratetypes[mt], false);
				fprintf(f, "} %" PRIu64 "\n", b->lists[mt][o]);
			}
	}
	ms_prom_head(f, "memscope_buddy_unusable_index", "gauge",
		     "Share of free memory in blocks too small for an allocation of this order (0..1).");
	for (i = 0; i < s->buddy.n; i++) {
		const struct ms_buddy_rec *b = &s->buddy.zones[i];

		for (o = 0; o < b->nr_orders; o++) {
			snprintf(order, sizeof(order), "%d", o);
			ms_prom_zone(f, "memscope_buddy_unusable_index", b->node, b->name);
			ms_prom_label(f, "order", order, false);
			fprintf(f, "} %d.%03d\n", (int)b->unusable_index[o] / 1000,
				(int)b->unusable_index[o] % 1000);
		}
	}
	ms_prom_head(f, "memscope_buddy_fragmentation_index", "gauge",
		     "Fragmentation index per order: near 1 a failure is due to fragmentation, -1 the allocation would succeed.");
	for (i = 0; i < s->buddy.n; i++) {
		const struct ms_buddy_rec *b = &s->buddy.zones[i];

		for (o = 0; o < b->nr_orders; o++) {
			int32_t v = b->frag_index[o];

			snprintf(order, sizeof(order), "%d", o);
			ms_prom_zone(f, "memscope_buddy_fragmentation_index", b->node, b->name);
			ms_prom_label(f, "order", order, false);
			fprintf(f, "} %s%d.%03d\n", v < 0 ? "-" : "", abs(v) / 1000, abs(v) % 1000);
		}
	}
}

static void ms_prom_pages(FILE *f, const struct ms_snapshot *s)
{
	const struct ms_info_rec *info = &s->info;
	int i, c;

	ms_prom_head(f, "memscope_pages_bytes", "gauge",
		     "Physical memory by page class (kinds partition the zone; flags overlap them).");
	for (i = 0; i < s->pages.n; i++) {
		const struct ms_pages_rec *z = &s->pages.zones[i];

		for (c = 0; c < info->nr_page_classes; c++) {
			ms_prom_zone(f, "memscope_pages_bytes", z->node, z->zone);
			ms_prom_label(f, "class", info->page_classes[c], false);
			fprintf(f, "} %" PRIu64 "\n", z->classes[c] * info->page_size);
		}
	}
}

static void ms_prom_tlb_series(FILE *f, const struct ms_snapshot *s, const char *metric,
			       const char *help, size_t off)
{
	const struct ms_info_rec *info = &s->info;
	char cpu[16];
	int i, r;

	ms_prom_head(f, metric, "counter", help);
	for (i = 0; i < s->tlb.n; i++) {
		const struct ms_tlb_cpu *c = &s->tlb.cpus[i];
		const uint64_t *v = (const uint64_t *)((const char *)c + off);

		snprintf(cpu, sizeof(cpu), "%u", c->cpu);
		for (r = 0; r < info->nr_tlb_reasons && r < MS_MAX_NAMES; r++) {
			fprintf(f, "%s{", metric);
			ms_prom_label(f, "cpu", cpu, true);
			ms_prom_label(f, "reason", info->tlb_reasons[r], false);
			fprintf(f, "} %" PRIu64 "\n", v[r]);
		}
	}
}

static void ms_prom_tlb(FILE *f, const struct ms_snapshot *s)
{
	char cpu[16];
	int i;

	ms_prom_tlb_series(f, s, "memscope_tlb_flushes_total",
			   "TLB flushes by CPU and reason since the module was loaded or reset.",
			   offsetof(struct ms_tlb_cpu, flushes));
	ms_prom_tlb_series(f, s, "memscope_tlb_full_flushes_total",
			   "TLB flushes that dropped every translation, by CPU and reason.",
			   offsetof(struct ms_tlb_cpu, full));
	ms_prom_tlb_series(f, s, "memscope_tlb_pages_flushed_total",
			   "Pages whose translations were flushed one by one, by CPU and reason.",
			   offsetof(struct ms_tlb_cpu, pages));
	ms_prom_head(f, "memscope_tlb_shootdown_ipis_total", "counter",
		     "TLB shootdown IPIs a CPU received.");
	for (i = 0; i < s->tlb.n; i++) {
		snprintf(cpu, sizeof(cpu), "%u", s->tlb.cpus[i].cpu);
		fputs("memscope_tlb_shootdown_ipis_total{", f);
		ms_prom_label(f, "cpu", cpu, true);
		fprintf(f, "} %" PRIu64 "\n", s->tlb.cpus[i].ipis);
	}
}

int ms_prometheus_write(FILE *f, const struct ms_snapshot *s)
{
	ms_prom_head(f, "memscope_info", "gauge", "The memscope module and kernel (always 1).");
	fputs("memscope_info{", f);
	ms_prom_label(f, "module_version", s->info.module_version, true);
	ms_prom_label(f, "kernel_release", s->info.kernel_release, false);
	fputs("} 1\n", f);
	ms_prom_head(f, "memscope_page_size_bytes", "gauge", "Page size.");
	fprintf(f, "memscope_page_size_bytes %u\n", s->info.page_size);
	if (s->has_zones)
		ms_prom_zones(f, s);
	if (s->has_buddy)
		ms_prom_buddy(f, s);
	else
		fputs("# memscope: buddy skipped (needs root)\n", f);
	if (s->has_pages)
		ms_prom_pages(f, s);
	if (s->has_tlb)
		ms_prom_tlb(f, s);
	return ferror(f) ? -1 : 0;
}

static int ms_export_run(struct ms_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		MS_COMMON_OPTS,
		{ "prometheus", no_argument, NULL, 'P' },
		{ "output", required_argument, NULL, 'o' },
		{ "from", required_argument, NULL, 'f' },
		{ 0 }
	};
	const char *out = NULL, *from = NULL;
	struct ms_snapshot s = { 0 };
	bool prom = false;
	char *text = NULL;
	size_t len = 0;
	FILE *mem;
	int c, err;

	while ((c = getopt_long(argc, argv, MS_COMMON_SHORTOPTS "o:", opts, NULL)) != -1) {
		if (c == 'P')
			err = (prom = true, 0);
		else if (c == 'o')
			err = (out = optarg, 0);
		else if (c == 'f')
			err = (from = optarg, 0);
		else
			err = ms_common_opt(ctx, &ms_cmd_export, c, argv);
		if (err)
			return err < 0 ? MS_EXIT_OK : err;
	}
	if (optind < argc)
		return ms_fail(MS_EXIT_USAGE, "export: unexpected argument '%s' (see memscopectl export --help)",
			       argv[optind]);
	if (!prom)
		return ms_fail(MS_EXIT_USAGE, "export: name the format: memscopectl export --prometheus [-o FILE]");
	if (from) {
		err = ms_snapshot_read(from, &s);
	} else {
		err = ms_nl_open(ctx);
		if (!err)
			err = ms_snapshot_collect(ctx, &s);
	}
	if (err) {
		ms_snapshot_free(&s);
		return err;
	}
	mem = open_memstream(&text, &len);
	if (!mem || ms_prometheus_write(mem, &s) || fclose(mem)) {
		err = ms_fail(MS_EXIT_ERROR, "export: out of memory");
	} else if (!out || !strcmp(out, "-")) {
		fwrite(text, 1, len, ctx->out);
	} else if (ms_write_atomic(out, text, len)) {
		err = ms_fail(MS_EXIT_ERROR, "export: cannot write '%s': %m (the directory must be writable)",
			      out);
	}
	free(text);
	ms_snapshot_free(&s);
	return err;
}

const struct ms_cmd ms_cmd_export = {
	.name = "export",
	.summary = "metrics for Prometheus (node_exporter textfile collector), written atomically",
	.usage = "--prometheus [-o FILE] [--from SNAPSHOT.json]",
	.run = ms_export_run,
	.not_subject = true,
};
