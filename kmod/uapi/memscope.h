/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * memscope generic-netlink protocol: the single definition shared by the
 * kernel module and memscopectl.  docs/protocol.md describes every command
 * and attribute; tests/unit/test_protocol_doc.c fails when the two drift.
 *
 * Rules: attributes are only ever appended; a change that alters the meaning
 * of an existing attribute bumps MEMSCOPE_PROTOCOL_VERSION.
 */
#ifndef _UAPI_LINUX_MEMSCOPE_H
#define _UAPI_LINUX_MEMSCOPE_H

#include <linux/types.h>

#define MEMSCOPE_GENL_NAME		"memscope"
#define MEMSCOPE_PROTOCOL_VERSION	1

enum memscope_cmd {
	MEMSCOPE_CMD_UNSPEC,
	MEMSCOPE_CMD_GET_INFO,		/* do: one reply of MEMSCOPE_INFO_A_* */
	MEMSCOPE_CMD_GET_ZONES,		/* dump: one message per populated zone */
	MEMSCOPE_CMD_GET_BUDDY,		/* dump: one message per populated zone */
	MEMSCOPE_CMD_GET_TLB,		/* dump: one message per online CPU */
	MEMSCOPE_CMD_GET_TLB_TOP,	/* do: processes causing most flushes */
	MEMSCOPE_CMD_TLB_RESET,		/* do, admin: counters and top restart */
	MEMSCOPE_CMD_GET_PAGES,		/* dump: page census, one message per zone */
	MEMSCOPE_CMD_GET_MAP,		/* dump, admin: physical map by pageblock */
	MEMSCOPE_CMD_GET_TASK,		/* dump: a process's page tables, then its VMAs */

	__MEMSCOPE_CMD_MAX,
	MEMSCOPE_CMD_MAX = __MEMSCOPE_CMD_MAX - 1
};

/* Bits of MEMSCOPE_INFO_A_FEATURES: the subjects this module build serves. */
enum memscope_feature {
	MEMSCOPE_FEATURE_INFO		= 1 << 0,
	MEMSCOPE_FEATURE_ZONES		= 1 << 1,
	MEMSCOPE_FEATURE_BUDDY		= 1 << 2,
	MEMSCOPE_FEATURE_PAGES		= 1 << 3,
	MEMSCOPE_FEATURE_TASK		= 1 << 4,
	MEMSCOPE_FEATURE_TLB		= 1 << 5,
};

/* A list of strings: one MEMSCOPE_NAME_A_NAME per entry, in index order. */
enum memscope_name_attr {
	MEMSCOPE_NAME_A_UNSPEC,
	MEMSCOPE_NAME_A_NAME,		/* string */

	__MEMSCOPE_NAME_A_MAX,
	MEMSCOPE_NAME_A_MAX = __MEMSCOPE_NAME_A_MAX - 1
};

/* MEMSCOPE_CMD_GET_INFO: the request takes no attributes. */
enum memscope_info_attr {
	MEMSCOPE_INFO_A_UNSPEC,
	MEMSCOPE_INFO_A_MODULE_VERSION,	/* string */
	MEMSCOPE_INFO_A_PROTOCOL_VERSION, /* u32 */
	MEMSCOPE_INFO_A_KERNEL_RELEASE,	/* string, as uname -r */
	MEMSCOPE_INFO_A_PAGE_SIZE,	/* u32, bytes */
	MEMSCOPE_INFO_A_NR_NODES,	/* u32, online NUMA nodes */
	MEMSCOPE_INFO_A_NR_CPUS,	/* u32, online CPUs */
	MEMSCOPE_INFO_A_MAX_ORDER,	/* u32, largest buddy order (inclusive) */
	MEMSCOPE_INFO_A_PAGEBLOCK_ORDER, /* u32 */
	MEMSCOPE_INFO_A_MIGRATETYPES,	/* nest of MEMSCOPE_NAME_A_NAME */
	MEMSCOPE_INFO_A_ZONES,		/* nest of MEMSCOPE_NAME_A_NAME */
	MEMSCOPE_INFO_A_FEATURES,	/* u32, enum memscope_feature bits */
	MEMSCOPE_INFO_A_TLB_REASONS,	/* nest of MEMSCOPE_NAME_A_NAME, by reason */
	MEMSCOPE_INFO_A_PAGE_CLASSES,	/* nest of MEMSCOPE_NAME_A_NAME, by class */
	MEMSCOPE_INFO_A_PAGE_KINDS,	/* u32: classes [0, N) partition the pages */
	MEMSCOPE_INFO_A_PAD,
	MEMSCOPE_INFO_A_IRQOFF_MAX_NS,	/* u64, longest interrupts-off stretch */
	MEMSCOPE_INFO_A_RESCHED_MAX_NS,	/* u64, longest stretch between reschedule points */

	__MEMSCOPE_INFO_A_MAX,
	MEMSCOPE_INFO_A_MAX = __MEMSCOPE_INFO_A_MAX - 1
};

/* A (name, value) pair inside MEMSCOPE_ZONE_A_STATS. */
enum memscope_stat_attr {
	MEMSCOPE_STAT_A_UNSPEC,
	MEMSCOPE_STAT_A_NAME,		/* string, as /proc/zoneinfo prints it */
	MEMSCOPE_STAT_A_VALUE,		/* u64 */
	MEMSCOPE_STAT_A_PAD,

	__MEMSCOPE_STAT_A_MAX,
	MEMSCOPE_STAT_A_MAX = __MEMSCOPE_STAT_A_MAX - 1
};

/* Per-CPU pageset of a zone, inside MEMSCOPE_ZONE_A_PCP. */
enum memscope_pcp_attr {
	MEMSCOPE_PCP_A_UNSPEC,
	MEMSCOPE_PCP_A_CPU,		/* u32 */
	MEMSCOPE_PCP_A_COUNT,		/* u32, pages on the pcp lists */
	MEMSCOPE_PCP_A_HIGH,		/* u32 */
	MEMSCOPE_PCP_A_BATCH,		/* u32 */

	__MEMSCOPE_PCP_A_MAX,
	MEMSCOPE_PCP_A_MAX = __MEMSCOPE_PCP_A_MAX - 1
};

/*
 * MEMSCOPE_CMD_GET_ZONES and MEMSCOPE_CMD_GET_BUDDY.  Requests may carry
 * MEMSCOPE_ZONE_A_NODE and/or MEMSCOPE_ZONE_A_NAME to select zones.  All
 * counts are in pages unless stated.
 */
enum memscope_zone_attr {
	MEMSCOPE_ZONE_A_UNSPEC,
	MEMSCOPE_ZONE_A_PAD,
	MEMSCOPE_ZONE_A_NODE,		/* u32 (request filter, reply) */
	MEMSCOPE_ZONE_A_NAME,		/* string (request filter, reply) */
	MEMSCOPE_ZONE_A_INDEX,		/* u32, zone index within its node */
	MEMSCOPE_ZONE_A_START_PFN,	/* u64, admin only */
	MEMSCOPE_ZONE_A_SPANNED,	/* u64 */
	MEMSCOPE_ZONE_A_PRESENT,	/* u64 */
	MEMSCOPE_ZONE_A_MANAGED,	/* u64 */
	MEMSCOPE_ZONE_A_CMA,		/* u64, only where CONFIG_CMA */
	MEMSCOPE_ZONE_A_FREE,		/* u64 */
	MEMSCOPE_ZONE_A_WMARK_MIN,	/* u64, boost included, as zoneinfo */
	MEMSCOPE_ZONE_A_WMARK_LOW,	/* u64, boost included */
	MEMSCOPE_ZONE_A_WMARK_HIGH,	/* u64, boost included */
	MEMSCOPE_ZONE_A_WMARK_PROMO,	/* u64, boost included */
	MEMSCOPE_ZONE_A_WMARK_BOOST,	/* u64 */
	MEMSCOPE_ZONE_A_LOWMEM_RESERVE,	/* nest of u64, by zone index */
	MEMSCOPE_ZONE_A_STATS,		/* nest of MEMSCOPE_STAT_A_* nests */
	MEMSCOPE_ZONE_A_PCP,		/* nest of MEMSCOPE_PCP_A_* nests */
	MEMSCOPE_ZONE_A_KSWAPD_WAKE,	/* u8, 1 when free < low watermark */
	/* GET_BUDDY */
	MEMSCOPE_ZONE_A_FREE_BLOCKS,	/* nest of u64, blocks by order */
	MEMSCOPE_ZONE_A_FREE_LISTS,	/* nest of MEMSCOPE_LIST_A_* nests */
	MEMSCOPE_ZONE_A_LOCK_HOLD_MAX_NS, /* u64, longest zone->lock hold */
	MEMSCOPE_ZONE_A_LOCK_HOLDS,	/* u32, zone->lock acquisitions */
	MEMSCOPE_ZONE_A_UNUSABLE_INDEX,	/* nest of u32 by order, x1000 */
	MEMSCOPE_ZONE_A_FRAG_INDEX,	/* nest of s32 by order, x1000 */
	MEMSCOPE_ZONE_A_RESTARTS,	/* u32, list walks restarted (lists changed) */
	MEMSCOPE_ZONE_A_IRQOFF_MAX_NS,	/* u64, longest interrupts-off stretch */
	MEMSCOPE_ZONE_A_RESCHED_MAX_NS,	/* u64, longest stretch between reschedule points */

	__MEMSCOPE_ZONE_A_MAX,
	MEMSCOPE_ZONE_A_MAX = __MEMSCOPE_ZONE_A_MAX - 1
};

/* One free list (a migratetype) inside MEMSCOPE_ZONE_A_FREE_LISTS. */
enum memscope_list_attr {
	MEMSCOPE_LIST_A_UNSPEC,
	MEMSCOPE_LIST_A_MIGRATETYPE,	/* u32, index into info's names */
	MEMSCOPE_LIST_A_BLOCKS,		/* nest of u64, blocks by order */

	__MEMSCOPE_LIST_A_MAX,
	MEMSCOPE_LIST_A_MAX = __MEMSCOPE_LIST_A_MAX - 1
};

/* Entries of the plain-array nests above: one ITEM per index, in order. */
enum memscope_array_attr {
	MEMSCOPE_ARRAY_A_UNSPEC,
	MEMSCOPE_ARRAY_A_ITEM,
	MEMSCOPE_ARRAY_A_PAD,
};

/*
 * MEMSCOPE_CMD_GET_TLB (one message per CPU, counts since load or the last
 * reset) and MEMSCOPE_CMD_GET_TLB_TOP (MEMSCOPE_TLB_A_PROCS: one
 * MEMSCOPE_ARRAY_A_ITEM nest per process, most flushes first).  Arrays
 * are indexed by reason (MEMSCOPE_INFO_A_TLB_REASONS).
 */
enum memscope_tlb_attr {
	MEMSCOPE_TLB_A_UNSPEC,
	MEMSCOPE_TLB_A_PAD,
	MEMSCOPE_TLB_A_CPU,		/* u32 */
	MEMSCOPE_TLB_A_FLUSHES,		/* nest of u64 by reason */
	MEMSCOPE_TLB_A_FULL,		/* nest of u64 by reason: whole-TLB flushes */
	MEMSCOPE_TLB_A_PAGES,		/* nest of u64 by reason: pages of ranged flushes */
	MEMSCOPE_TLB_A_IPIS,		/* u64, shootdown IPIs received */
	MEMSCOPE_TLB_A_TOP_N,		/* u32 request: how many processes (1..64) */
	MEMSCOPE_TLB_A_PROCS,		/* nest of MEMSCOPE_TLB_PROC_A_* nests */
	MEMSCOPE_TLB_A_IRQOFF_MAX_NS,	/* u64, longest interrupts-off stretch */
	MEMSCOPE_TLB_A_RESCHED_MAX_NS,	/* u64, longest stretch between reschedule points */

	__MEMSCOPE_TLB_A_MAX,
	MEMSCOPE_TLB_A_MAX = __MEMSCOPE_TLB_A_MAX - 1
};

enum memscope_tlb_proc_attr {
	MEMSCOPE_TLB_PROC_A_UNSPEC,
	MEMSCOPE_TLB_PROC_A_TGID,	/* u32 */
	MEMSCOPE_TLB_PROC_A_COMM,	/* string */
	MEMSCOPE_TLB_PROC_A_FLUSHES,	/* nest of u64 by reason */

	__MEMSCOPE_TLB_PROC_A_MAX,
	MEMSCOPE_TLB_PROC_A_MAX = __MEMSCOPE_TLB_PROC_A_MAX - 1
};

/*
 * MEMSCOPE_CMD_GET_PAGES: one message per populated zone (filters: NODE,
 * ZONE); MEMSCOPE_CMD_GET_MAP: messages of up to 128 pageblocks (filters:
 * START_PFN, END_PFN), admin only.
 */
enum memscope_pages_attr {
	MEMSCOPE_PAGES_A_UNSPEC,
	MEMSCOPE_PAGES_A_PAD,
	MEMSCOPE_PAGES_A_NODE,		/* u32 (request filter, reply) */
	MEMSCOPE_PAGES_A_ZONE,		/* string (request filter, reply) */
	MEMSCOPE_PAGES_A_PAGES,		/* u64, pages scanned (holes excluded) */
	MEMSCOPE_PAGES_A_CLASSES,	/* nest of u64 by class index */
	MEMSCOPE_PAGES_A_SCAN_NS,	/* u64, time the scan took */
	MEMSCOPE_PAGES_A_RESCHED_MAX_NS, /* u64, longest stretch without a resched point */
	MEMSCOPE_PAGES_A_FLOOR,		/* flag request, admin: only read each flags word */
	MEMSCOPE_PAGES_A_START_PFN,	/* u64 (map request filter, map reply) */
	MEMSCOPE_PAGES_A_END_PFN,	/* u64 (map request filter: exclusive) */
	MEMSCOPE_PAGES_A_PB_PAGES,	/* u32, pages per pageblock */
	MEMSCOPE_PAGES_A_BLOCKS,	/* binary: struct memscope_map_block[] */
	MEMSCOPE_PAGES_A_IRQOFF_MAX_NS,	/* u64, longest interrupts-off stretch */

	__MEMSCOPE_PAGES_A_MAX,
	MEMSCOPE_PAGES_A_MAX = __MEMSCOPE_PAGES_A_MAX - 1
};

/* Groups of page classes a map cell counts. */
enum memscope_map_group {
	MEMSCOPE_MAP_FREE,
	MEMSCOPE_MAP_ANON,		/* anonymous and shmem (swap-backed) LRU pages */
	MEMSCOPE_MAP_FILE,		/* page cache on the LRU */
	MEMSCOPE_MAP_SLAB,
	MEMSCOPE_MAP_PAGETABLE,
	MEMSCOPE_MAP_HUGETLB,
	MEMSCOPE_MAP_RESERVED,
	MEMSCOPE_MAP_OTHER,		/* other kernel pages, per-CPU lists, unevictable */
	MEMSCOPE_MAP_NR_GROUPS
};

/* One pageblock of the map, starting at START_PFN + i * PB_PAGES. */
struct memscope_map_block {
	__u8 migratetype;		/* index into MEMSCOPE_INFO_A_MIGRATETYPES */
	__u8 node;
	__u8 zone;			/* zone index; 255 = hole */
	__u8 pad;
	__u16 count[MEMSCOPE_MAP_NR_GROUPS];	/* pages; the rest are holes */
};

/*
 * MEMSCOPE_CMD_GET_TASK: the first message sums the whole address space (or
 * the requested range); with MEMSCOPE_TASK_A_VMAS one message per VMA
 * follows, each with a MEMSCOPE_TASK_A_VMA nest.  Entry counts are of
 * mappings: a 2 MiB huge PMD is one entry.
 */
enum memscope_task_attr {
	MEMSCOPE_TASK_A_UNSPEC,
	MEMSCOPE_TASK_A_PAD,
	MEMSCOPE_TASK_A_PID,		/* u32 (request, reply) */
	MEMSCOPE_TASK_A_START,		/* u64 request: first address (default 0) */
	MEMSCOPE_TASK_A_END,		/* u64 request: end address, exclusive */
	MEMSCOPE_TASK_A_VMAS,		/* flag request: one message per VMA too */
	MEMSCOPE_TASK_A_COMM,		/* string */
	MEMSCOPE_TASK_A_PT_PAGES,	/* nest of u64: page-table pages pgd, p4d, pud, pmd, pte */
	MEMSCOPE_TASK_A_PT_DEPOSITED,	/* u64, PTE tables kept aside for anon THPs */
	MEMSCOPE_TASK_A_LEVELS,		/* u32, paging levels (4 or 5) */
	MEMSCOPE_TASK_A_PRESENT,	/* u64, present 4 KiB PTEs */
	MEMSCOPE_TASK_A_SWAP,		/* u64, PTEs pointing to swap */
	MEMSCOPE_TASK_A_MIGRATION,	/* u64, migration entries */
	MEMSCOPE_TASK_A_NONE,		/* u64, empty PTEs in existing PTE tables */
	MEMSCOPE_TASK_A_HUGE_PMD,	/* u64, 2 MiB leaf mappings (THP and hugetlb) */
	MEMSCOPE_TASK_A_HUGE_PUD,	/* u64, 1 GiB leaf mappings */
	MEMSCOPE_TASK_A_YOUNG,		/* u64, present mappings with the accessed bit */
	MEMSCOPE_TASK_A_DIRTY,		/* u64, present mappings with the dirty bit */
	MEMSCOPE_TASK_A_WRITABLE,	/* u64, present writable mappings */
	MEMSCOPE_TASK_A_RES_ANON,	/* u64, resident pages in anonymous VMAs */
	MEMSCOPE_TASK_A_RES_FILE,	/* u64, resident pages in file VMAs */
	MEMSCOPE_TASK_A_RES_SHMEM,	/* u64, resident pages in shmem/tmpfs VMAs */
	MEMSCOPE_TASK_A_RES_HUGETLB,	/* u64, resident pages in hugetlb VMAs */
	MEMSCOPE_TASK_A_CONTIG,		/* u64, admin: 4 KiB pages in physical runs >= 2M */
	MEMSCOPE_TASK_A_NR_VMAS,	/* u32 */
	MEMSCOPE_TASK_A_WALK_NS,	/* u64 */
	MEMSCOPE_TASK_A_LOCK_HOLD_MAX_NS, /* u64, longest mmap_lock hold */
	MEMSCOPE_TASK_A_VMA,		/* nest of MEMSCOPE_VMA_A_* */
	MEMSCOPE_TASK_A_SHARE,		/* nest of MEMSCOPE_SHARE_A_*: resident by sharing */
	MEMSCOPE_TASK_A_IRQOFF_MAX_NS,	/* u64, longest interrupts-off stretch */
	MEMSCOPE_TASK_A_RESCHED_MAX_NS,	/* u64, longest stretch between reschedule points */
	MEMSCOPE_TASK_A_LOCK_HOLDS,	/* u32, mmap_lock acquisitions of the walk */

	__MEMSCOPE_TASK_A_MAX,
	MEMSCOPE_TASK_A_MAX = __MEMSCOPE_TASK_A_MAX - 1
};

/* MEMSCOPE_VMA_A_FLAGS bits */
#define MEMSCOPE_VMA_READ	0x1
#define MEMSCOPE_VMA_WRITE	0x2
#define MEMSCOPE_VMA_EXEC	0x4
#define MEMSCOPE_VMA_SHARED	0x8
#define MEMSCOPE_VMA_LOCKED	0x10
#define MEMSCOPE_VMA_HUGETLB	0x20

enum memscope_vma_attr {
	MEMSCOPE_VMA_A_UNSPEC,
	MEMSCOPE_VMA_A_PAD,
	MEMSCOPE_VMA_A_START,		/* u64 */
	MEMSCOPE_VMA_A_END,		/* u64 */
	MEMSCOPE_VMA_A_FLAGS,		/* u32, MEMSCOPE_VMA_* */
	MEMSCOPE_VMA_A_NAME,		/* string: path, [heap], [stack], [vdso]... */
	MEMSCOPE_VMA_A_PRESENT,		/* u64, present 4 KiB PTEs */
	MEMSCOPE_VMA_A_SWAP,		/* u64 */
	MEMSCOPE_VMA_A_HUGE_PMD,	/* u64 */
	MEMSCOPE_VMA_A_HUGE_PUD,	/* u64 */
	MEMSCOPE_VMA_A_PT_PTE_PAGES,	/* u64, PTE tables covering the VMA */
	MEMSCOPE_VMA_A_SHARE,		/* nest of MEMSCOPE_SHARE_A_* */

	__MEMSCOPE_VMA_A_MAX,
	MEMSCOPE_VMA_A_MAX = __MEMSCOPE_VMA_A_MAX - 1
};

/*
 * Resident memory by sharing, in bytes, counted as /proc/PID/smaps counts it
 * (hugetlb VMAs excepted): a page is shared when two or more mappings map it;
 * dirty when its PTE/PMD or its page says so.  Inside MEMSCOPE_TASK_A_SHARE
 * (whole walk or range) and MEMSCOPE_VMA_A_SHARE (that VMA's part of it).
 */
enum memscope_share_attr {
	MEMSCOPE_SHARE_A_UNSPEC,
	MEMSCOPE_SHARE_A_PAD,
	MEMSCOPE_SHARE_A_SHARED_CLEAN,	/* u64 */
	MEMSCOPE_SHARE_A_SHARED_DIRTY,	/* u64 */
	MEMSCOPE_SHARE_A_PRIVATE_CLEAN,	/* u64 */
	MEMSCOPE_SHARE_A_PRIVATE_DIRTY,	/* u64 */
	MEMSCOPE_SHARE_A_PSS,		/* u64, proportional set size */
	MEMSCOPE_SHARE_A_LOCKED,	/* u64, Pss of VM_LOCKED VMAs (smaps "Locked") */

	__MEMSCOPE_SHARE_A_MAX,
	MEMSCOPE_SHARE_A_MAX = __MEMSCOPE_SHARE_A_MAX - 1
};

#endif /* _UAPI_LINUX_MEMSCOPE_H */
