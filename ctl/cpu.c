// SPDX-License-Identifier: GPL-2.0
/*
 * The CPU's TLB geometry from CPUID: AMD leaves 0x80000005/0x80000006, Intel
 * leaf 0x18 (deterministic address translation) and, failing that, the
 * common leaf 2 descriptors.  Read in userspace: CPUID is unprivileged and
 * the same on every CPU of the machines memscope supports.
 */
#include <cpuid.h>
#include <string.h>

#include "cpu.h"

static void ms_tlb_add(struct ms_tlb_geometry *g, const char *level, const char *kind,
		       unsigned int page_kb, unsigned int entries, unsigned int ways)
{
	struct ms_tlb_level *l;

	if (!entries || g->n >= MS_TLB_MAX_LEVELS)
		return;
	l = &g->levels[g->n++];
	snprintf(l->level, sizeof(l->level), "%s", level);
	snprintf(l->kind, sizeof(l->kind), "%s", kind);
	l->page_kb = page_kb;
	l->entries = entries;
	l->ways = ways;
}

/* AMD's 0x80000006 L2 associativity code to ways (0xf: fully associative). */
static unsigned int ms_amd_l2_ways(unsigned int code, unsigned int entries)
{
	static const unsigned int ways[16] = { 0, 1, 2, 3, 4, 6, 8, 0, 16, 0, 32, 48, 64, 96, 128, 0 };

	return code == 0xf ? entries : ways[code & 0xf];
}

void ms_tlb_geometry_from_amd(struct ms_tlb_geometry *g, const uint32_t l1[4], const uint32_t l2[4])
{
	unsigned int assoc;

	/* 0x80000005: EAX 2M/4M pages, EBX 4K pages; [31:24] D ways, [23:16] D entries, [15:8] I ways, [7:0] I entries */
	assoc = (l1[1] >> 24) & 0xff;
	ms_tlb_add(g, "L1", "data", 4, (l1[1] >> 16) & 0xff, assoc == 0xff ? (l1[1] >> 16) & 0xff : assoc);
	assoc = (l1[1] >> 8) & 0xff;
	ms_tlb_add(g, "L1", "instruction", 4, l1[1] & 0xff, assoc == 0xff ? l1[1] & 0xff : assoc);
	assoc = (l1[0] >> 24) & 0xff;
	ms_tlb_add(g, "L1", "data", 2048, (l1[0] >> 16) & 0xff, assoc == 0xff ? (l1[0] >> 16) & 0xff : assoc);
	assoc = (l1[0] >> 8) & 0xff;
	ms_tlb_add(g, "L1", "instruction", 2048, l1[0] & 0xff, assoc == 0xff ? l1[0] & 0xff : assoc);
	/* 0x80000006: EAX 2M/4M, EBX 4K; [31:28] D assoc, [27:16] D entries, [15:12] I assoc, [11:0] I entries */
	ms_tlb_add(g, "L2", "data", 4, (l2[1] >> 16) & 0xfff,
		   ms_amd_l2_ways(l2[1] >> 28, (l2[1] >> 16) & 0xfff));
	ms_tlb_add(g, "L2", "instruction", 4, l2[1] & 0xfff,
		   ms_amd_l2_ways((l2[1] >> 12) & 0xf, l2[1] & 0xfff));
	ms_tlb_add(g, "L2", "data", 2048, (l2[0] >> 16) & 0xfff,
		   ms_amd_l2_ways(l2[0] >> 28, (l2[0] >> 16) & 0xfff));
	ms_tlb_add(g, "L2", "instruction", 2048, l2[0] & 0xfff,
		   ms_amd_l2_ways((l2[0] >> 12) & 0xf, l2[0] & 0xfff));
	snprintf(g->source, sizeof(g->source), "CPUID 0x80000005/0x80000006 (AMD)");
}

static void ms_tlb_from_intel_18(struct ms_tlb_geometry *g)
{
	static const char *const kinds[] = { "", "data", "instruction", "unified", "load", "store" };
	unsigned int a, b, c, d, sub, max;

	if (__get_cpuid_max(0, NULL) < 0x18)
		return;
	__cpuid_count(0x18, 0, max, b, c, d);
	for (sub = 0; sub <= max && sub < 32; sub++) {
		unsigned int type, level, ways, sets, p;
		char lv[8];

		__cpuid_count(0x18, sub, a, b, c, d);
		type = d & 0x1f;
		if (!type || type > 5)
			continue;
		level = (d >> 5) & 7;
		ways = b >> 16;
		sets = c;
		snprintf(lv, sizeof(lv), "L%u", level);
		for (p = 0; p < 4; p++)	/* EBX[3:0]: 4K, 2M, 4M, 1G */
			if (b & (1u << p) && p != 2)
				ms_tlb_add(g, lv, kinds[type], p == 0 ? 4 : p == 1 ? 2048 : 1048576,
					   ways * sets, (d >> 8) & 1 ? ways * sets : ways);
	}
	if (g->n)
		snprintf(g->source, sizeof(g->source), "CPUID leaf 0x18 (Intel)");
}

void ms_tlb_geometry_read(struct ms_tlb_geometry *g)
{
	uint32_t l1[4], l2[4];
	unsigned int max;

	memset(g, 0, sizeof(*g));
	ms_tlb_from_intel_18(g);
	if (g->n)
		return;
	max = __get_cpuid_max(0x80000000, NULL);
	if (max >= 0x80000006) {
		__cpuid(0x80000005, l1[0], l1[1], l1[2], l1[3]);
		__cpuid(0x80000006, l2[0], l2[1], l2[2], l2[3]);
		ms_tlb_geometry_from_amd(g, l1, l2);
		if (g->n)
			return;
	}
	g->n = 0;
	snprintf(g->source, sizeof(g->source), "unknown: this CPU's CPUID describes no TLB");
}

/* Entries for @page_kb pages a data access can use: the largest data/unified level. */
unsigned int ms_tlb_entries(const struct ms_tlb_geometry *g, unsigned int page_kb)
{
	unsigned int best = 0;
	int i;

	for (i = 0; i < g->n; i++)
		if (g->levels[i].page_kb == page_kb && strcmp(g->levels[i].kind, "instruction") &&
		    g->levels[i].entries > best)
			best = g->levels[i].entries;
	return best;
}
