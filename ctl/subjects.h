/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Typed records, one per object the module reports, with the parser that
 * fills them from a reply and the renderers that format them.  Kept apart
 * from the subcommands so unit tests can feed recorded replies.
 */
#ifndef MS_SUBJECTS_H
#define MS_SUBJECTS_H

#include <json-c/json.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "memscopectl.h"
#include "uapi/memscope.h"

struct ms_emit;

#define MS_MAX_NAMES	16
#define MS_MAX_ORDERS	16
#define MS_MAX_ZONES	8
#define MS_MAX_STATS	64
#define MS_MAX_CPUS	1024
#define MS_MAX_CLASSES	48

/* info */
struct ms_info_rec {
	char module_version[32];
	uint32_t protocol_version;
	char kernel_release[65];
	uint32_t page_size;
	uint32_t nr_nodes;
	uint32_t nr_cpus;
	uint32_t max_order;
	uint32_t pageblock_order;
	uint32_t features;
	int nr_migratetypes;
	char migratetypes[MS_MAX_NAMES][32];
	int nr_zones;
	char zones[MS_MAX_NAMES][32];
	int nr_tlb_reasons;
	char tlb_reasons[MS_MAX_NAMES][32];
	int nr_page_classes;
	char page_classes[MS_MAX_CLASSES][32];
	int page_kinds;		/* classes [0, page_kinds) partition the pages */
};

int ms_info_parse(struct nlattr **tb, void *rec);
int ms_info_fetch(struct ms_ctx *ctx, struct ms_info_rec *rec);
void ms_info_print(const struct ms_ctx *ctx, const struct ms_info_rec *rec);
struct json_object *ms_info_json(const struct ms_info_rec *rec);
void ms_info_explain(const struct ms_ctx *ctx, const struct ms_info_rec *rec);

/* zones (and buddy): which zones a request selects */
struct ms_zone_args {
	long node;		/* -1: all */
	const char *zone;	/* NULL: all */
	bool floor;		/* pages: measure the flags-only floor (bench) */
};

/* What a sample of a zone-filtered subject needs: the filters and the kernel's names. */
struct ms_zone_query {
	struct ms_zone_args a;
	struct ms_info_rec info;
};

int ms_zone_filter_opt(struct ms_zone_args *a, int c, const char *arg);
int ms_zone_build(struct nl_msg *msg, void *arg);

/* zones */
struct ms_stat {
	char name[32];
	uint64_t value;
};

struct ms_pcp {
	uint32_t cpu;
	uint32_t count;
	uint32_t high;
	uint32_t batch;
};

struct ms_zone_rec {
	uint32_t node;
	char name[32];
	uint32_t index;
	bool has_start_pfn;
	uint64_t start_pfn;
	uint64_t spanned;
	uint64_t present;
	uint64_t managed;
	uint64_t cma;
	uint64_t free;
	uint64_t wmark_min;
	uint64_t wmark_low;
	uint64_t wmark_high;
	uint64_t wmark_promo;
	uint64_t wmark_boost;
	bool kswapd_wake;
	int nr_lowmem_reserve;
	uint64_t lowmem_reserve[MS_MAX_ZONES];
	int nr_stats;
	struct ms_stat stats[MS_MAX_STATS];
	int nr_pcp;
	struct ms_pcp *pcp;
};

struct ms_zone_list {
	int n;
	struct ms_zone_rec *zones;
};

int ms_zone_parse(struct nlattr **tb, void *list);
void ms_zone_list_free(struct ms_zone_list *l);
void ms_zones_print(const struct ms_ctx *ctx, const struct ms_zone_list *l,
		    const struct ms_zone_list *prev, double interval);
/* The document of `zones --json` (emit.h): @zone_list is a struct ms_zone_list. */
void ms_zones_emit(struct ms_emit *e, const void *zone_list);
struct json_object *ms_zones_json(const struct ms_zone_list *l);
void ms_zones_explain(const struct ms_ctx *ctx, const struct ms_zone_list *l,
		      const struct ms_zone_list *prev, double interval);
int ms_zones_fetch(struct ms_ctx *ctx, const struct ms_zone_args *a, struct ms_zone_list *l);

/* buddy */
struct ms_buddy_rec {
	uint32_t node;
	char name[32];
	int nr_orders;
	uint64_t free_blocks[MS_MAX_ORDERS];
	int nr_types;
	uint64_t lists[MS_MAX_NAMES][MS_MAX_ORDERS];
	uint32_t unusable_index[MS_MAX_ORDERS];
	int32_t frag_index[MS_MAX_ORDERS];
	uint64_t lock_hold_max_ns;
	uint32_t lock_holds;
	uint32_t restarts;
};

struct ms_buddy_list {
	int n;
	struct ms_buddy_rec *zones;
};

int ms_buddy_parse(struct nlattr **tb, void *list);
void ms_buddy_print(const struct ms_ctx *ctx, const struct ms_info_rec *info,
		    const struct ms_buddy_list *l, const struct ms_buddy_list *prev);
void ms_buddy_explain(const struct ms_ctx *ctx, const struct ms_info_rec *info,
		      const struct ms_buddy_list *l, const struct ms_buddy_list *prev);
/* @quiet: no message, just the exit code (snapshot skips what it may not read). */
int ms_buddy_fetch(struct ms_ctx *ctx, const struct ms_zone_args *a, struct ms_buddy_list *l,
		   bool quiet);
/* The document of `buddy --json` (emit.h): @buddy_doc is a struct ms_buddy_doc. */
struct ms_buddy_doc {
	const struct ms_info_rec *info;
	const struct ms_buddy_list *list;
};

void ms_buddy_emit(struct ms_emit *e, const void *buddy_doc);
struct json_object *ms_buddy_json(const struct ms_info_rec *info, const struct ms_buddy_list *l);

/* tlb */
struct ms_tlb_cpu {
	uint32_t cpu;
	uint64_t flushes[MS_MAX_NAMES];
	uint64_t full[MS_MAX_NAMES];
	uint64_t pages[MS_MAX_NAMES];
	uint64_t ipis;
};

struct ms_tlb_list {
	int n;
	struct ms_tlb_cpu *cpus;
};

struct ms_tlb_proc {
	uint32_t tgid;
	char comm[32];
	uint64_t flushes[MS_MAX_NAMES];
	uint64_t total;
};

struct ms_tlb_top {
	int n;
	struct ms_tlb_proc procs[64];
};

int ms_tlb_parse(struct nlattr **tb, void *list);
int ms_tlb_top_parse(struct nlattr **tb, void *top);
/* @cur minus @prev (NULL: @cur as is), per CPU, into @out (freed by caller). */
void ms_tlb_delta(const struct ms_tlb_list *cur, const struct ms_tlb_list *prev,
		  struct ms_tlb_list *out);
void ms_tlb_print(const struct ms_ctx *ctx, const struct ms_info_rec *info,
		  const struct ms_tlb_list *l, double interval);
void ms_tlb_top_print(const struct ms_ctx *ctx, const struct ms_info_rec *info,
		      const struct ms_tlb_top *t);
struct json_object *ms_tlb_json(const struct ms_info_rec *info, const struct ms_tlb_list *l,
				double interval);
struct json_object *ms_tlb_top_json(const struct ms_info_rec *info, const struct ms_tlb_top *t);
void ms_tlb_explain_notes(const struct ms_ctx *ctx, const struct ms_info_rec *info,
			  const struct ms_tlb_list *l, double interval);
int ms_tlb_fetch(struct ms_ctx *ctx, struct ms_tlb_list *l);

/* pages */
struct ms_pages_rec {
	uint32_t node;
	char zone[32];
	uint64_t pages;
	uint64_t classes[MS_MAX_CLASSES];
	uint64_t scan_ns;
	uint64_t resched_max_ns;
};

struct ms_pages_list {
	int n;
	struct ms_pages_rec *zones;
};

int ms_pages_parse(struct nlattr **tb, void *list);
void ms_pages_print(const struct ms_ctx *ctx, const struct ms_info_rec *info,
		    const struct ms_pages_list *l, const struct ms_pages_list *prev);
struct json_object *ms_pages_json(const struct ms_info_rec *info, const struct ms_pages_list *l);
void ms_pages_explain(const struct ms_ctx *ctx, const struct ms_info_rec *info,
		      const struct ms_pages_list *l, const struct ms_pages_list *prev);
int ms_pages_fetch(struct ms_ctx *ctx, const struct ms_zone_args *a, struct ms_pages_list *l);

/* map */
struct ms_map {
	uint64_t start_pfn;	/* of the first block */
	uint32_t pb_pages;
	int n;
	struct memscope_map_block *blocks;
};

int ms_map_parse(struct nlattr **tb, void *map);
int ms_map_dominant(const struct memscope_map_block *b);	/* group, or -1 for a hole */
void ms_map_print(const struct ms_ctx *ctx, const struct ms_info_rec *info,
		  const struct ms_map *m, int width, bool color, bool by_type);
int ms_map_svg(const struct ms_info_rec *info, const struct ms_map *m, FILE *f);
struct json_object *ms_map_json(const struct ms_info_rec *info, const struct ms_map *m);
void ms_map_explain(const struct ms_ctx *ctx, const struct ms_map *m, const struct ms_map *prev);
int ms_map_from_json(const struct ms_info_rec *info, struct json_object *doc, struct ms_map *m);
int ms_map_fetch(struct ms_ctx *ctx, struct ms_map *m, bool quiet);

/* task */
struct ms_share {		/* bytes, as /proc/PID/smaps counts them */
	uint64_t shared_clean, shared_dirty, private_clean, private_dirty, pss, locked;
};

struct ms_vma {
	uint64_t start, end;
	uint32_t flags;
	char name[80];
	uint64_t present, swap, huge_pmd, huge_pud, pt_pte;
	struct ms_share share;
};

struct ms_task {
	uint32_t pid;
	char comm[32];
	uint64_t pt[5];		/* pgd, p4d, pud, pmd, pte */
	uint32_t levels;
	uint64_t deposited;
	uint64_t present, swap, migration, none, huge_pmd, huge_pud, young, dirty, writable;
	uint64_t res_anon, res_file, res_shmem, res_hugetlb;
	bool has_contig;
	uint64_t contig;
	uint32_t nr_vmas;
	uint64_t walk_ns, hold_max_ns;
	struct ms_share share;
	bool ranged;		/* only [range_start, range_end) was walked */
	uint64_t range_start, range_end;
	int nr_vmas_listed;
	struct ms_vma *vmas;
};

struct ms_reach {
	bool known;
	uint64_t resident, entries_needed, reach, reach_thp, capacity_4k, capacity_2m;
};

/* What `memscopectl task` asks for. */
struct ms_task_args {
	uint32_t pid;
	bool vmas;
	bool ranged;
	uint64_t start, end;
};

struct ms_tlb_geometry;
int ms_task_parse(struct nlattr **tb, void *task);
int ms_task_fetch(struct ms_ctx *ctx, const struct ms_task_args *a, struct ms_task *t);
void ms_task_reach(const struct ms_task *t, const struct ms_tlb_geometry *g, struct ms_reach *r);
void ms_task_print(const struct ms_ctx *ctx, const struct ms_task *t,
		   const struct ms_tlb_geometry *g);
struct json_object *ms_task_json(const struct ms_task *t, const struct ms_tlb_geometry *g);
int ms_task_parse_range(const char *s, uint64_t *start, uint64_t *end);
void ms_task_explain(const struct ms_ctx *ctx, const struct ms_task *t,
		     const struct ms_tlb_geometry *g, const struct ms_task *prev, double interval);

#endif
