/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MS_CPU_H
#define MS_CPU_H

#include <stdint.h>
#include <stdio.h>

#define MS_TLB_MAX_LEVELS 16

struct ms_tlb_level {
	char level[8];		/* L1, L2 */
	char kind[16];		/* data, instruction, unified */
	unsigned int page_kb;	/* 4, 2048, 1048576 */
	unsigned int entries;
	unsigned int ways;	/* == entries: fully associative */
};

struct ms_tlb_geometry {
	char source[64];
	int n;			/* 0: unknown */
	struct ms_tlb_level levels[MS_TLB_MAX_LEVELS];
};

void ms_tlb_geometry_read(struct ms_tlb_geometry *g);
void ms_tlb_geometry_from_amd(struct ms_tlb_geometry *g, const uint32_t l1[4], const uint32_t l2[4]);
unsigned int ms_tlb_entries(const struct ms_tlb_geometry *g, unsigned int page_kb);

#endif
