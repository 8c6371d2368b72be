// SPDX-License-Identifier: GPL-2.0
/*
 * memscopectl task PID: the process's page-table tree, page-size mix, how
 * much of it the TLB can cover, and (--vmas) one row per VMA like pmap.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "nl.h"
#include "output.h"
#include "subjects.h"
#include "watch.h"

static const char *const ms_pt_names[] = { "pgd", "p4d", "pud", "pmd", "pte" };

static uint64_t ms_u64a(struct nlattr *a)
{
	return a ? nla_get_u64(a) : 0;
}

static void ms_share_parse(struct nlattr *nest, struct ms_share *s)
{
	struct nlattr *tb[MEMSCOPE_SHARE_A_MAX + 1];

	if (!nest || nla_parse_nested(tb, MEMSCOPE_SHARE_A_MAX, nest, NULL))
		return;
	s->shared_clean = ms_u64a(tb[MEMSCOPE_SHARE_A_SHARED_CLEAN]);
	s->shared_dirty = ms_u64a(tb[MEMSCOPE_SHARE_A_SHARED_DIRTY]);
	s->private_clean = ms_u64a(tb[MEMSCOPE_SHARE_A_PRIVATE_CLEAN]);
	s->private_dirty = ms_u64a(tb[MEMSCOPE_SHARE_A_PRIVATE_DIRTY]);
	s->pss = ms_u64a(tb[MEMSCOPE_SHARE_A_PSS]);
	s->locked = ms_u64a(tb[MEMSCOPE_SHARE_A_LOCKED]);
}

static void ms_vma_parse(struct ms_task *t, struct nlattr *nest)
{
	struct nlattr *tb[MEMSCOPE_VMA_A_MAX + 1];
	struct ms_vma *v;

	if (nla_parse_nested(tb, MEMSCOPE_VMA_A_MAX, nest, NULL))
		return;
	v = ms_append(&t->vmas, &t->nr_vmas_listed, sizeof(*v));
	v->start = ms_u64a(tb[MEMSCOPE_VMA_A_START]);
	v->end = ms_u64a(tb[MEMSCOPE_VMA_A_END]);
	v->flags = tb[MEMSCOPE_VMA_A_FLAGS] ? nla_get_u32(tb[MEMSCOPE_VMA_A_FLAGS]) : 0;
	if (tb[MEMSCOPE_VMA_A_NAME])
		snprintf(v->name, sizeof(v->name), "%s", nla_get_string(tb[MEMSCOPE_VMA_A_NAME]));
	v->present = ms_u64a(tb[MEMSCOPE_VMA_A_PRESENT]);
	v->swap = ms_u64a(tb[MEMSCOPE_VMA_A_SWAP]);
	v->huge_pmd = ms_u64a(tb[MEMSCOPE_VMA_A_HUGE_PMD]);
	v->huge_pud = ms_u64a(tb[MEMSCOPE_VMA_A_HUGE_PUD]);
	v->pt_pte = ms_u64a(tb[MEMSCOPE_VMA_A_PT_PTE_PAGES]);
	ms_share_parse(tb[MEMSCOPE_VMA_A_SHARE], &v->share);
}

int ms_task_parse(struct nlattr **tb, void *arg)
{
	struct ms_task *t = arg;

	if (tb[MEMSCOPE_TASK_A_VMA]) {
		ms_vma_parse(t, tb[MEMSCOPE_TASK_A_VMA]);
		return MS_EXIT_OK;
	}
	t->pid = tb[MEMSCOPE_TASK_A_PID] ? nla_get_u32(tb[MEMSCOPE_TASK_A_PID]) : 0;
	if (tb[MEMSCOPE_TASK_A_COMM])
		snprintf(t->comm, sizeof(t->comm), "%s", nla_get_string(tb[MEMSCOPE_TASK_A_COMM]));
	if (tb[MEMSCOPE_TASK_A_PT_PAGES])
		ms_nla_u64_array(tb[MEMSCOPE_TASK_A_PT_PAGES], t->pt, 5);
	t->levels = tb[MEMSCOPE_TASK_A_LEVELS] ? nla_get_u32(tb[MEMSCOPE_TASK_A_LEVELS]) : 4;
	t->deposited = ms_u64a(tb[MEMSCOPE_TASK_A_PT_DEPOSITED]);
	t->present = ms_u64a(tb[MEMSCOPE_TASK_A_PRESENT]);
	t->swap = ms_u64a(tb[MEMSCOPE_TASK_A_SWAP]);
	t->migration = ms_u64a(tb[MEMSCOPE_TASK_A_MIGRATION]);
	t->none = ms_u64a(tb[MEMSCOPE_TASK_A_NONE]);
	t->huge_pmd = ms_u64a(tb[MEMSCOPE_TASK_A_HUGE_PMD]);
	t->huge_pud = ms_u64a(tb[MEMSCOPE_TASK_A_HUGE_PUD]);
	t->young = ms_u64a(tb[MEMSCOPE_TASK_A_YOUNG]);
	t->dirty = ms_u64a(tb[MEMSCOPE_TASK_A_DIRTY]);
	t->writable = ms_u64a(tb[MEMSCOPE_TASK_A_WRITABLE]);
	t->res_anon = ms_u64a(tb[MEMSCOPE_TASK_A_RES_ANON]);
	t->res_file = ms_u64a(tb[MEMSCOPE_TASK_A_RES_FILE]);
	t->res_shmem = ms_u64a(tb[MEMSCOPE_TASK_A_RES_SHMEM]);
	t->res_hugetlb = ms_u64a(tb[MEMSCOPE_TASK_A_RES_HUGETLB]);
	t->has_contig = tb[MEMSCOPE_TASK_A_CONTIG] != NULL;
	t->contig = ms_u64a(tb[MEMSCOPE_TASK_A_CONTIG]);
	t->nr_vmas = tb[MEMSCOPE_TASK_A_NR_VMAS] ? nla_get_u32(tb[MEMSCOPE_TASK_A_NR_VMAS]) : 0;
	t->walk_ns = ms_u64a(tb[MEMSCOPE_TASK_A_WALK_NS]);
	t->hold_max_ns = ms_u64a(tb[MEMSCOPE_TASK_A_LOCK_HOLD_MAX_NS]);
	ms_share_parse(tb[MEMSCOPE_TASK_A_SHARE], &t->share);
	return MS_EXIT_OK;
}

/* Bytes the TLB can translate at this page-size mix, and with 2M pages everywhere. */
void ms_task_reach(const struct ms_task *t, const struct ms_tlb_geometry *g, struct ms_reach *r)
{
	uint64_t e4k = ms_tlb_entries(g, 4), e2m = ms_tlb_entries(g, 2048);
	uint64_t e1g = ms_tlb_entries(g, 1048576);
	uint64_t huge_all;

	memset(r, 0, sizeof(*r));
	r->resident = (t->present << 12) + (t->huge_pmd << 21) + (t->huge_pud << 30);
	r->entries_needed = t->present + t->huge_pmd + t->huge_pud;
	r->known = g->n > 0;
	if (!r->known)
		return;
	r->reach = (t->present < e4k ? t->present : e4k) << 12;
	r->reach += (t->huge_pmd < e2m ? t->huge_pmd : e2m) << 21;
	r->reach += (t->huge_pud < e1g ? t->huge_pud : e1g) << 30;
	huge_all = (r->resident + (2 << 20) - 1) >> 21;
	r->reach_thp = (huge_all < e2m ? huge_all : e2m) << 21;
	if (r->reach_thp > r->resident)
		r->reach_thp = r->resident;
	r->capacity_4k = e4k << 12;
	r->capacity_2m = e2m << 21;
}

static void ms_perms(uint32_t f, char *buf)
{
	buf[0] = f & MEMSCOPE_VMA_READ ? 'r' : '-';
	buf[1] = f & MEMSCOPE_VMA_WRITE ? 'w' : '-';
	buf[2] = f & MEMSCOPE_VMA_EXEC ? 'x' : '-';
	buf[3] = f & MEMSCOPE_VMA_SHARED ? 's' : 'p';
	buf[4] = '\0';
}

static void ms_task_print_vmas(const struct ms_ctx *ctx, const struct ms_task *t)
{
	static const char *const heads[] = { "START", "END", "PERMS", ">RSS", ">SWAP", ">HUGE", ">PT", "NAME" };
	struct ms_table *tab = ms_table_new(8, heads);
	char c[7][32];
	int i;

	for (i = 0; i < t->nr_vmas_listed; i++) {
		const struct ms_vma *v = &t->vmas[i];
		uint64_t rss = v->present + (v->huge_pmd << 9) + (v->huge_pud << 18);

		snprintf(c[0], 32, "%012" PRIx64, v->start);
		snprintf(c[1], 32, "%012" PRIx64, v->end);
		ms_perms(v->flags, c[2]);
		ms_fmt_bytes_human(rss << 12, c[3], 32);
		ms_fmt_bytes_human(v->swap << 12, c[4], 32);
		snprintf(c[5], 32, "%" PRIu64, v->huge_pmd + v->huge_pud);
		snprintf(c[6], 32, "%" PRIu64, v->pt_pte);
		ms_table_add(tab, (const char *[]){ c[0], c[1], c[2], c[3], c[4], c[5], c[6], v->name });
	}
	ms_table_print(tab, ctx->out);
	ms_table_free(tab);
	fprintf(ctx->out, "RSS: resident; HUGE: 2M/1G mappings; PT: PTE tables covering the VMA.\n\n");
}

void ms_task_print(const struct ms_ctx *ctx, const struct ms_task *t,
		   const struct ms_tlb_geometry *g)
{
	static const char *const heads[] = { "LEVEL", ">TABLES", ">SIZE" };
	struct ms_table *tab = ms_table_new(3, heads);
	char a[32], b[32], c[32], d[32], e[32];
	struct ms_reach r;
	int i;

	ms_task_reach(t, g, &r);
	if (t->nr_vmas_listed)
		ms_task_print_vmas(ctx, t);
	fprintf(ctx->out, "pid %u (%s): %s resident in %u VMAs; page tables walked in %.2f ms\n",
		t->pid, t->comm, ms_fmt_bytes_human(r.resident, a, sizeof(a)), t->nr_vmas,
		(double)t->walk_ns / 1e6);
	if (t->ranged)
		fprintf(ctx->out, "(addresses %#" PRIx64 "-%#" PRIx64 " only)\n", t->range_start,
			t->range_end);
	fputc('\n', ctx->out);
	for (i = 0; i < 5; i++) {
		if (i == 1 && t->levels < 5)
			continue;
		snprintf(a, sizeof(a), "%" PRIu64, t->pt[i]);
		ms_table_add(tab, (const char *[]){ ms_pt_names[i], a,
				 ms_fmt_bytes_human(t->pt[i] << 12, b, sizeof(b)) });
	}
	fprintf(ctx->out, "Page tables (%u levels):\n", t->levels);
	ms_table_print(tab, ctx->out);
	ms_table_free(tab);
	if (t->deposited)
		fprintf(ctx->out, "+ %" PRIu64 " PTE tables kept aside for anonymous huge pages (%s): "
			"/proc/PID/status VmPTE counts them too\n", t->deposited,
			ms_fmt_bytes_human(t->deposited << 12, a, sizeof(a)));
	fprintf(ctx->out, "\nMappings: 4K %" PRIu64 " (%s), 2M %" PRIu64 " (%s), 1G %" PRIu64 " (%s)\n",
		t->present, ms_fmt_bytes_human(t->present << 12, a, sizeof(a)), t->huge_pmd,
		ms_fmt_bytes_human(t->huge_pmd << 21, b, sizeof(b)), t->huge_pud,
		ms_fmt_bytes_human(t->huge_pud << 30, c, sizeof(c)));
	fprintf(ctx->out, "Entries: %" PRIu64 " present, %" PRIu64 " swapped, %" PRIu64 " migrating, %"
		PRIu64 " empty; %" PRIu64 " young, %" PRIu64 " dirty, %" PRIu64 " writable\n",
		t->present, t->swap, t->migration, t->none, t->young, t->dirty, t->writable);
	fprintf(ctx->out, "Resident by kind: anon %s, file %s, shmem %s, hugetlb %s\n",
		ms_fmt_bytes_human(t->res_anon << 12, a, sizeof(a)),
		ms_fmt_bytes_human(t->res_file << 12, b, sizeof(b)),
		ms_fmt_bytes_human(t->res_shmem << 12, c, sizeof(c)),
		ms_fmt_bytes_human(t->res_hugetlb << 12, d, sizeof(d)));
	fprintf(ctx->out, "Resident by sharing (as smaps counts it, hugetlb apart): shared %s clean, %s dirty; "
		"private %s clean, %s dirty; Pss %s",
		ms_fmt_bytes_human(t->share.shared_clean, a, sizeof(a)),
		ms_fmt_bytes_human(t->share.shared_dirty, b, sizeof(b)),
		ms_fmt_bytes_human(t->share.private_clean, c, sizeof(c)),
		ms_fmt_bytes_human(t->share.private_dirty, d, sizeof(d)),
		ms_fmt_bytes_human(t->share.pss, e, sizeof(e)));
	fprintf(ctx->out, ", locked %s\n", ms_fmt_bytes_human(t->share.locked, a, sizeof(a)));
	if (t->has_contig)
		fprintf(ctx->out, "Physically contiguous: %s of the 4K pages lie in runs of 2M or more "
			"(they could have been huge pages)\n",
			ms_fmt_bytes_human(t->contig << 12, a, sizeof(a)));
	if (!r.known) {
		fprintf(ctx->out, "\nTLB reach: %s.\n", g->source);
		return;
	}
	fprintf(ctx->out, "\nTLB reach: the TLB can hold translations for %s of the %s resident (%.0f%%);\n"
		"with 2M pages everywhere it could hold %s (%.0f%%).\n",
		ms_fmt_bytes_human(r.reach, a, sizeof(a)), ms_fmt_bytes_human(r.resident, b, sizeof(b)),
		r.resident ? 100.0 * (double)r.reach / (double)r.resident : 100.0,
		ms_fmt_bytes_human(r.reach_thp, c, sizeof(c)),
		r.resident ? 100.0 * (double)r.reach_thp / (double)r.resident : 100.0);
	fprintf(ctx->out,
		"Every access needs its page's translation; the TLB caches a few thousand of them.\n"
		"With 4K pages it covers only %s, so a process touching more memory than that walks\n"
		"the page tables on many accesses; one 2M entry covers 512 times as much (%s in all).\n",
		ms_fmt_bytes_human(r.capacity_4k, a, sizeof(a)),
		ms_fmt_bytes_human(r.capacity_2m, b, sizeof(b)));
}

static struct json_object *ms_share_json(const struct ms_share *s)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "shared_clean", ms_json_u64(s->shared_clean));
	json_object_object_add(o, "shared_dirty", ms_json_u64(s->shared_dirty));
	json_object_object_add(o, "private_clean", ms_json_u64(s->private_clean));
	json_object_object_add(o, "private_dirty", ms_json_u64(s->private_dirty));
	json_object_object_add(o, "pss", ms_json_u64(s->pss));
	json_object_object_add(o, "locked", ms_json_u64(s->locked));
	return o;
}

struct json_object *ms_task_json(const struct ms_task *t, const struct ms_tlb_geometry *g)
{
	struct json_object *o = json_object_new_object(), *pt = json_object_new_object();
	struct json_object *e = json_object_new_object(), *res = json_object_new_object();
	struct json_object *kind = json_object_new_object(), *reach = json_object_new_object();
	struct ms_reach r;
	char perms[8], buf[32];
	int i;

	ms_task_reach(t, g, &r);
	json_object_object_add(o, "pid", ms_json_int(t->pid));
	json_object_object_add(o, "comm", json_object_new_string(t->comm));
	for (i = 0; i < 5; i++)
		json_object_object_add(pt, ms_pt_names[i], ms_json_u64(t->pt[i]));
	json_object_object_add(o, "pt_pages", pt);
	json_object_object_add(o, "pt_deposited", ms_json_u64(t->deposited));
	json_object_object_add(o, "levels", ms_json_int(t->levels));
	json_object_object_add(e, "present", ms_json_u64(t->present));
	json_object_object_add(e, "swap", ms_json_u64(t->swap));
	json_object_object_add(e, "migration", ms_json_u64(t->migration));
	json_object_object_add(e, "none", ms_json_u64(t->none));
	json_object_object_add(e, "huge_pmd", ms_json_u64(t->huge_pmd));
	json_object_object_add(e, "huge_pud", ms_json_u64(t->huge_pud));
	json_object_object_add(e, "young", ms_json_u64(t->young));
	json_object_object_add(e, "dirty", ms_json_u64(t->dirty));
	json_object_object_add(e, "writable", ms_json_u64(t->writable));
	json_object_object_add(o, "entries", e);
	json_object_object_add(res, "4K", ms_json_u64(t->present));
	json_object_object_add(res, "2M", ms_json_u64(t->huge_pmd));
	json_object_object_add(res, "1G", ms_json_u64(t->huge_pud));
	json_object_object_add(o, "resident", res);
	json_object_object_add(kind, "anon", ms_json_u64(t->res_anon));
	json_object_object_add(kind, "file", ms_json_u64(t->res_file));
	json_object_object_add(kind, "shmem", ms_json_u64(t->res_shmem));
	json_object_object_add(kind, "hugetlb", ms_json_u64(t->res_hugetlb));
	json_object_object_add(o, "resident_pages_by_kind", kind);
	json_object_object_add(o, "share", ms_share_json(&t->share));
	if (t->ranged) {
		struct json_object *range = json_object_new_object();

		snprintf(buf, sizeof(buf), "0x%" PRIx64, t->range_start);
		json_object_object_add(range, "start", json_object_new_string(buf));
		snprintf(buf, sizeof(buf), "0x%" PRIx64, t->range_end);
		json_object_object_add(range, "end", json_object_new_string(buf));
		json_object_object_add(o, "range", range);
	}
	if (t->has_contig)
		json_object_object_add(o, "contig_2m_pages", ms_json_u64(t->contig));
	json_object_object_add(o, "nr_vmas", ms_json_int(t->nr_vmas));
	json_object_object_add(o, "walk_ns", ms_json_u64(t->walk_ns));
	json_object_object_add(o, "lock_hold_max_ns", ms_json_u64(t->hold_max_ns));
	json_object_object_add(reach, "known", json_object_new_boolean(r.known));
	json_object_object_add(reach, "resident_bytes", ms_json_u64(r.resident));
	json_object_object_add(reach, "entries_needed", ms_json_u64(r.entries_needed));
	if (r.known) {
		json_object_object_add(reach, "reach_bytes", ms_json_u64(r.reach));
		json_object_object_add(reach, "reach_bytes_all_2m", ms_json_u64(r.reach_thp));
	}
	json_object_object_add(o, "tlb_reach", reach);
	if (t->nr_vmas_listed) {
		struct json_object *vmas = json_object_new_array();

		for (i = 0; i < t->nr_vmas_listed; i++) {
			const struct ms_vma *v = &t->vmas[i];
			struct json_object *vo = json_object_new_object();

			snprintf(buf, sizeof(buf), "0x%" PRIx64, v->start);
			json_object_object_add(vo, "start", json_object_new_string(buf));
			snprintf(buf, sizeof(buf), "0x%" PRIx64, v->end);
			json_object_object_add(vo, "end", json_object_new_string(buf));
			ms_perms(v->flags, perms);
			json_object_object_add(vo, "perms", json_object_new_string(perms));
			json_object_object_add(vo, "name", json_object_new_string(v->name));
			json_object_object_add(vo, "present", ms_json_u64(v->present));
			json_object_object_add(vo, "swap", ms_json_u64(v->swap));
			json_object_object_add(vo, "huge_pmd", ms_json_u64(v->huge_pmd));
			json_object_object_add(vo, "huge_pud", ms_json_u64(v->huge_pud));
			json_object_object_add(vo, "pt_pte_pages", ms_json_u64(v->pt_pte));
			json_object_object_add(vo, "locked", json_object_new_boolean(v->flags & MEMSCOPE_VMA_LOCKED));
			json_object_object_add(vo, "hugetlb", json_object_new_boolean(v->flags & MEMSCOPE_VMA_HUGETLB));
			json_object_object_add(vo, "share", ms_share_json(&v->share));
			json_object_array_add(vmas, vo);
		}
		json_object_object_add(o, "vmas", vmas);
	}
	return o;
}

void ms_task_explain(const struct ms_ctx *ctx, const struct ms_task *t,
		     const struct ms_tlb_geometry *g, const struct ms_task *prev, double interval)
{
	uint64_t pt = t->pt[0] + t->pt[1] + t->pt[2] + t->pt[3] + t->pt[4] + t->deposited;
	char a[32], b[32];
	struct ms_reach r;

	if (!ctx->explain)
		return;

	ms_task_reach(t, g, &r);
	ms_note(ctx, "Page tables: %s for %s resident (%.2f%%). Each 4K PTE table maps 2M of address "
		"space; sparse mappings need more tables per resident byte.",
		ms_fmt_bytes_human(pt << 12, a, sizeof(a)), ms_fmt_bytes_human(r.resident, b, sizeof(b)),
		r.resident ? 100.0 * (double)(pt << 12) / (double)r.resident : 0.0);
	ms_note(ctx, "present entries map pages in RAM; swapped ones fault them back from swap; "
		"young ones were accessed since reclaim last looked; dirty ones were written and must "
		"be saved before the page can be reused.");
	if (t->huge_pmd || t->huge_pud)
		ms_note(ctx, "%" PRIu64 " 2M and %" PRIu64 " 1G mappings: each replaces 512 (or 262144) "
			"4K entries and a whole page-table level below it.", t->huge_pmd, t->huge_pud);
	else
		ms_note(ctx, "No huge mappings: with transparent huge pages (madvise(MADV_HUGEPAGE) or "
			"/sys/kernel/mm/transparent_hugepage/enabled = always) 2M-aligned anonymous "
			"memory can be mapped with 2M entries.");
	if (r.known && r.resident > r.reach)
		ms_note(ctx, "The TLB covers only %.0f%% of what this process keeps resident: random "
			"accesses over all of it mostly miss the TLB and walk the page tables.",
			100.0 * (double)r.reach / (double)r.resident);
	if (prev && interval > 0) {
		struct ms_reach pr;

		ms_task_reach(prev, g, &pr);
		ms_note(ctx, "In the last %.1f s resident memory changed by %+.1f MiB and the page "
			"tables by %+" PRId64 " pages: growth means the process touched new memory "
			"(page faults), shrinking means unmapping or reclaim.", interval,
			((double)r.resident - (double)pr.resident) / 1048576.0,
			(int64_t)(t->pt[4] + t->pt[3]) - (int64_t)(prev->pt[4] + prev->pt[3]));
	}
}

/* --watch: what moved since the last sample, on one line. */
static void ms_task_print_change(const struct ms_ctx *ctx, const struct ms_task *t,
				 const struct ms_task *p, double interval)
{
	int64_t pt = 0;
	int i;

	for (i = 0; i < 5; i++)
		pt += (int64_t)t->pt[i] - (int64_t)p->pt[i];
	fprintf(ctx->out, "\nChange over %.1f s: present %+" PRId64 ", 2M %+" PRId64 ", swapped %+"
		PRId64 ", dirty %+" PRId64 " entries; page tables %+" PRId64 " pages\n", interval,
		(int64_t)t->present - (int64_t)p->present, (int64_t)t->huge_pmd - (int64_t)p->huge_pmd,
		(int64_t)t->swap - (int64_t)p->swap, (int64_t)t->dirty - (int64_t)p->dirty, pt);
}

/* START-END in hex (0x optional), END exclusive, as /proc/PID/maps writes ranges. */
int ms_task_parse_range(const char *s, uint64_t *start, uint64_t *end)
{
	unsigned long long a, b;
	char *p, *q;

	errno = 0;
	a = strtoull(s, &p, 16);
	if (p == s || *p != '-' || errno)
		return -1;
	b = strtoull(p + 1, &q, 16);
	if (q == p + 1 || *q || errno || b <= a)
		return -1;
	*start = a;
	*end = b;
	return 0;
}

static int ms_task_build(struct nl_msg *msg, void *arg)
{
	const struct ms_task_args *a = arg;

	if (nla_put_u32(msg, MEMSCOPE_TASK_A_PID, a->pid))
		return -1;
	if (a->ranged && (nla_put_u64(msg, MEMSCOPE_TASK_A_START, a->start) ||
			  nla_put_u64(msg, MEMSCOPE_TASK_A_END, a->end)))
		return -1;
	return a->vmas ? nla_put_flag(msg, MEMSCOPE_TASK_A_VMAS) : 0;
}

/* What one task sample needs: the request's arguments and this CPU's TLB. */
struct ms_task_query {
	struct ms_task_args a;
	struct ms_tlb_geometry g;
};

int ms_task_fetch(struct ms_ctx *ctx, const struct ms_task_args *a, struct ms_task *t)
{
	struct ms_request req = {
		.cmd = MEMSCOPE_CMD_GET_TASK, .dump = true, .maxattr = MEMSCOPE_TASK_A_MAX,
		.what = "task", .build = ms_task_build, .build_arg = (void *)a,
		.parse = ms_task_parse, .arg = t,
	};

	t->ranged = a->ranged;
	t->range_start = a->start;
	t->range_end = a->end;
	return ms_nl_run(ctx, &req);
}

static int ms_task_sample(struct ms_ctx *ctx, void *arg, void *cur)
{
	const struct ms_task_query *q = arg;

	return ms_task_fetch(ctx, &q->a, cur);
}

static int ms_task_show(struct ms_ctx *ctx, void *arg, const void *cur, const void *prev)
{
	const struct ms_task_query *q = arg;

	ms_task_explain(ctx, cur, &q->g, prev, ctx->watch.interval);
	if (ctx->format != MS_FMT_TABLE) {
		ms_json_print(ctx, ms_task_json(cur, &q->g));
	} else {
		ms_task_print(ctx, cur, &q->g);
		if (prev)
			ms_task_print_change(ctx, cur, prev, ctx->watch.interval);
		ms_notes_print(ctx);
	}
	return MS_EXIT_OK;
}

static void ms_task_release(void *rec)
{
	free(((struct ms_task *)rec)->vmas);
}

static const struct ms_sampler ms_task_sampler = {
	.size = sizeof(struct ms_task),
	.fetch = ms_task_sample,
	.show = ms_task_show,
	.release = ms_task_release,
};

static int ms_task_run(struct ms_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		MS_COMMON_OPTS, MS_WATCH_OPTS,
		{ "vmas", no_argument, NULL, 'v' },
		{ "range", required_argument, NULL, 'r' },
		{ 0 }
	};
	struct ms_task_query q = { 0 };
	unsigned long pid;
	int c, err;

	while ((c = getopt_long(argc, argv, MS_COMMON_SHORTOPTS "w:c:", opts, NULL)) != -1) {
		if (c == 'v')
			err = (q.a.vmas = true, 0);
		else if (c == 'r' && ms_task_parse_range(optarg, &q.a.start, &q.a.end))
			err = ms_fail(MS_EXIT_USAGE, "task: --range wants START-END in hex, START < END "
				      "(as in /proc/PID/maps), not '%s'", optarg);
		else if (c == 'r')
			err = (q.a.ranged = true, 0);
		else if (c == 'w' || c == 'c')
			err = ms_watch_opt(&ctx->watch, c, optarg);
		else
			err = ms_common_opt(ctx, &ms_cmd_task, c, argv);
		if (err)
			return err < 0 ? MS_EXIT_OK : err;
	}
	if (optind != argc - 1)
		return ms_fail(MS_EXIT_USAGE, "task: give one process id: memscopectl task PID");
	if (ms_parse_uint("task", argv[optind], 0x3fffffff, &pid) || !pid)
		return ms_fail(MS_EXIT_USAGE, "task: '%s' is not a process id", argv[optind]);
	q.a.pid = (uint32_t)pid;
	ms_tlb_geometry_read(&q.g);
	ms_output_setup(ctx);
	err = ms_nl_open(ctx);
	return err ? err : ms_watch_run(ctx, &ms_task_sampler, &q);
}

const struct ms_cmd ms_cmd_task = {
	.name = "task",
	.summary = "a process's page tables, page-size mix and TLB reach (--vmas: per VMA)",
	.usage = "PID [--vmas] [--range START-END] [--watch SECS [--count N]] [--explain] [--json|--raw]",
	.run = ms_task_run,
};
