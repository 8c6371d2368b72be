// SPDX-License-Identifier: GPL-2.0
/*
 * The CPU's TLB geometry from CPUID: Intel leaf 0x18 (deterministic address
 * translation) or, failing that, the leaf 2 descriptors; AMD leaves
 * 0x80000005/0x80000006.  Read in userspace: CPUID is unprivileged and the
 * same on every CPU of the machines memscope supports.  The values can also
 * come from a `cpuid -r` dump (memscopectl tlb --geometry --cpuid-file).
 */
#include <cpuid.h>
#include <errno.h>
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
	snprintf(g->source, sizeof(g->source), "CPUID 0x80000005/0x80000006 (AMD's layout)");
}

static void ms_cpuid(const struct ms_cpuid_dump *d, uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	int i;

	memset(r, 0, 4 * sizeof(*r));
	if (!d) {
		if (leaf >= 0x80000000 ? __get_cpuid_max(0x80000000, NULL) >= leaf :
					 __get_cpuid_max(0, NULL) >= leaf)
			__cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
		return;
	}
	for (i = 0; i < d->n; i++)
		if (d->v[i].leaf == leaf && d->v[i].sub == sub) {
			memcpy(r, d->v[i].r, 4 * sizeof(*r));
			return;
		}
}

/* The first CPU's lines of `cpuid -r`: "   0x00000002 0x00: eax=0x... ebx=0x... ecx=0x... edx=0x..." */
int ms_cpuid_dump_load(const char *path, struct ms_cpuid_dump *d)
{
	unsigned int leaf, sub, r[4];
	int cpus = 0;
	char line[256];
	FILE *f = fopen(path, "r");

	if (!f)
		return -errno;
	d->n = 0;
	while (fgets(line, sizeof(line), f) && d->n < MS_CPUID_MAX_LEAVES) {
		if (!strncmp(line, "CPU", 3) && ++cpus > 1)
			break;
		if (sscanf(line, " 0x%x 0x%x: eax=0x%x ebx=0x%x ecx=0x%x edx=0x%x", &leaf, &sub,
			   &r[0], &r[1], &r[2], &r[3]) != 6)
			continue;
		d->v[d->n].leaf = leaf;
		d->v[d->n].sub = sub;
		memcpy(d->v[d->n].r, r, sizeof(r));
		d->n++;
	}
	fclose(f);
	return d->n ? 0 : -EINVAL;
}

static void ms_tlb_from_intel_18(struct ms_tlb_geometry *g, const struct ms_cpuid_dump *d)
{
	static const char *const kinds[] = { "", "data", "instruction", "unified", "load", "store" };
	uint32_t r[4], sub, max;

	ms_cpuid(d, 0, 0, r);
	if (r[0] < 0x18)
		return;
	ms_cpuid(d, 0x18, 0, r);
	max = r[0];
	for (sub = 0; sub <= max && sub < 32; sub++) {
		unsigned int type, level, ways, sets, p;
		char lv[8];

		ms_cpuid(d, 0x18, sub, r);
		type = r[3] & 0x1f;
		if (!type || type > 5)
			continue;
		level = (r[3] >> 5) & 7;	/* "starts at 1" (SDM) */
		ways = r[1] >> 16;
		sets = r[2];
		snprintf(lv, sizeof(lv), "L%u", level);
		for (p = 0; p < 4; p++)	/* EBX[3:0]: 4K, 2M, 4M, 1G */
			if (r[1] & (1u << p) && p != 2)
				ms_tlb_add(g, lv, kinds[type], p == 0 ? 4 : p == 1 ? 2048 : 1048576,
					   ways * sets, (r[3] >> 8) & 1 ? ways * sets : ways);
	}
	if (g->n)
		snprintf(g->source, sizeof(g->source), "CPUID leaf 0x18 (Intel)");
}

/*
 * CPUID leaf 2 TLB descriptors, from the Intel SDM (vol. 2A, CPUID, table
 * "Encoding of CPUID Leaf 2 Descriptors"). Only the page sizes 64-bit mode
 * uses: 4M-only TLBs are left out, "2M/4M" counts as 2M.  ways 0: the SDM
 * gives none; MS_FULL: fully associative (ways = entries).
 */
struct ms_leaf2_desc {
	uint8_t desc;
	const char *level, *kind;
	unsigned int page_kb, entries, ways;
};

#define MS_FULL 0xffffffffu
static const struct ms_leaf2_desc ms_leaf2_table[] = {
	{ 0x01, "L1", "instruction", 4, 32, 4 },
	{ 0x03, "L1", "data", 4, 64, 4 },
	{ 0x4f, "L1", "instruction", 4, 32, 0 },
	{ 0x50, "L1", "instruction", 4, 64, 0 },
	{ 0x50, "L1", "instruction", 2048, 64, 0 },
	{ 0x51, "L1", "instruction", 4, 128, 0 },
	{ 0x51, "L1", "instruction", 2048, 128, 0 },
	{ 0x52, "L1", "instruction", 4, 256, 0 },
	{ 0x52, "L1", "instruction", 2048, 256, 0 },
	{ 0x55, "L1", "instruction", 2048, 7, MS_FULL },
	{ 0x57, "L1", "data", 4, 16, 4 },
	{ 0x59, "L1", "data", 4, 16, MS_FULL },
	{ 0x5a, "L1", "data", 2048, 32, 4 },
	{ 0x5b, "L1", "data", 4, 64, 0 },
	{ 0x5c, "L1", "data", 4, 128, 0 },
	{ 0x5d, "L1", "data", 4, 256, 0 },
	{ 0x61, "L1", "instruction", 4, 48, MS_FULL },
	{ 0x63, "L1", "data", 2048, 32, 4 },
	{ 0x63, "L1", "data", 1048576, 4, 4 },
	{ 0x64, "L1", "data", 4, 512, 4 },
	{ 0x6a, "L1", "data", 4, 64, 8 },
	{ 0x6b, "L1", "data", 4, 256, 8 },
	{ 0x6c, "L1", "data", 2048, 128, 8 },
	{ 0x6d, "L1", "data", 1048576, 16, MS_FULL },
	{ 0x76, "L1", "instruction", 2048, 8, MS_FULL },
	{ 0xa0, "L1", "data", 4, 32, MS_FULL },
	{ 0xb0, "L1", "instruction", 4, 128, 4 },
	{ 0xb1, "L1", "instruction", 2048, 8, 4 },
	{ 0xb2, "L1", "instruction", 4, 64, 4 },
	{ 0xb3, "L1", "data", 4, 128, 4 },
	{ 0xb4, "L1", "data", 4, 256, 4 },
	{ 0xb5, "L1", "instruction", 4, 64, 8 },
	{ 0xb6, "L1", "instruction", 4, 128, 8 },
	{ 0xba, "L1", "data", 4, 64, 4 },
	{ 0xc0, "L1", "data", 4, 8, 4 },
	{ 0xc1, "L2", "unified", 4, 1024, 8 },
	{ 0xc1, "L2", "unified", 2048, 1024, 8 },
	{ 0xc2, "L1", "data", 4, 16, 4 },
	{ 0xc2, "L1", "data", 2048, 16, 4 },
	{ 0xc3, "L2", "unified", 4, 1536, 6 },
	{ 0xc3, "L2", "unified", 2048, 1536, 6 },
	{ 0xc3, "L2", "unified", 1048576, 16, 4 },
	{ 0xc4, "L1", "data", 2048, 32, 4 },
	{ 0xca, "L2", "unified", 4, 512, 4 },
};

/* One call of leaf 2 (EAX[7:0] is the call count; every CPU that has the leaf says 1). */
void ms_tlb_geometry_from_leaf2(struct ms_tlb_geometry *g, const uint32_t r[4])
{
	unsigned int i, b;
	size_t k;

	for (i = 0; i < 4; i++) {
		if (r[i] & 0x80000000u)	/* bit 31: the register holds no descriptors */
			continue;
		for (b = i ? 0 : 1; b < 4; b++) {
			uint8_t desc = (r[i] >> (8 * b)) & 0xff;

			for (k = 0; k < sizeof(ms_leaf2_table) / sizeof(ms_leaf2_table[0]); k++) {
				const struct ms_leaf2_desc *e = &ms_leaf2_table[k];

				if (e->desc == desc)
					ms_tlb_add(g, e->level, e->kind, e->page_kb, e->entries,
						   e->ways == MS_FULL ? e->entries : e->ways);
			}
		}
	}
	if (g->n)
		snprintf(g->source, sizeof(g->source), "CPUID leaf 2 descriptors (Intel)");
}

void ms_tlb_geometry_decode(struct ms_tlb_geometry *g, const struct ms_cpuid_dump *d)
{
	uint32_t r[4], l1[4], l2[4];
	char vendor[13];

	memset(g, 0, sizeof(*g));
	ms_cpuid(d, 0, 0, r);
	memcpy(vendor, &r[1], 4);
	memcpy(vendor + 4, &r[3], 4);
	memcpy(vendor + 8, &r[2], 4);
	vendor[12] = '\0';
	ms_tlb_from_intel_18(g, d);
	if (g->n)
		return;
	if (!strcmp(vendor, "GenuineIntel") && r[0] >= 2) {
		ms_cpuid(d, 2, 0, r);
		ms_tlb_geometry_from_leaf2(g, r);
		if (g->n)
			return;
	}
	ms_cpuid(d, 0x80000000, 0, r);
	if (r[0] >= 0x80000006 && r[0] < 0x8000ffff) {
		ms_cpuid(d, 0x80000005, 0, l1);
		ms_cpuid(d, 0x80000006, 0, l2);
		ms_tlb_geometry_from_amd(g, l1, l2);
		if (g->n)
			return;
	}
	g->n = 0;
	snprintf(g->source, sizeof(g->source), "unknown: this CPU's CPUID describes no TLB");
}

void ms_tlb_geometry_read(struct ms_tlb_geometry *g)
{
	ms_tlb_geometry_decode(g, NULL);
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
