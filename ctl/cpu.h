/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MS_CPU_H
#define MS_CPU_H

#include <stdint.h>
#include <stdio.h>

#define MS_TLB_MAX_LEVELS 32

struct ms_tlb_level {
	char level[8];		/* L1, L2 */
	char kind[16];		/* data, instruction, unified, load, store */
	unsigned int page_kb;	/* 4, 2048, 1048576 */
	unsigned int entries;
	unsigned int ways;	/* == entries: fully associative; 0: not given */
};

struct ms_tlb_geometry {
	char source[64];
	int n;			/* 0: unknown */
	struct ms_tlb_level levels[MS_TLB_MAX_LEVELS];
};

/*
 * Raw CPUID values read from a `cpuid -r` dump (another machine's CPU, or a
 * test's), instead of executing CPUID: leaves not in the dump read as zero.
 */
#define MS_CPUID_MAX_LEAVES 512

struct ms_cpuid_dump {
	int n;
	struct { uint32_t leaf, sub, r[4]; } v[MS_CPUID_MAX_LEAVES];
};

int ms_cpuid_dump_load(const char *path, struct ms_cpuid_dump *d);

void ms_tlb_geometry_read(struct ms_tlb_geometry *g);
/* From @d, or from this CPU when @d is NULL. */
void ms_tlb_geometry_decode(struct ms_tlb_geometry *g, const struct ms_cpuid_dump *d);
void ms_tlb_geometry_from_amd(struct ms_tlb_geometry *g, const uint32_t l1[4], const uint32_t l2[4]);
void ms_tlb_geometry_from_leaf2(struct ms_tlb_geometry *g, const uint32_t r[4]);
unsigned int ms_tlb_entries(const struct ms_tlb_geometry *g, unsigned int page_kb);

#endif
