/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version difference memscope meets lives here, so that the
 * collectors read the same on 6.1 and 6.12.  Version tests are what this
 * file is for: `make checkpatch` tells checkpatch so for this file only.
 */
#ifndef MEMSCOPE_COMPAT_H
#define MEMSCOPE_COMPAT_H

#include <linux/version.h>
#include <linux/mm_types.h>
#include <linux/mmzone.h>
#include <linux/memcontrol.h>
#include <linux/mm_inline.h>
#include <linux/pageblock-flags.h>
#include <linux/vmstat.h>
#include <net/genetlink.h>

/* Number of buddy orders: MAX_ORDER was exclusive before 6.4, inclusive after, then renamed. */
#if defined(NR_PAGE_ORDERS)
#define MS_NR_ORDERS	NR_PAGE_ORDERS
#elif KERNEL_VERSION(6, 4, 0) <= LINUX_VERSION_CODE
#define MS_NR_ORDERS	(MAX_ORDER + 1)
#else
#define MS_NR_ORDERS	MAX_ORDER
#endif

/* Attributes of a dump request, parsed by the genl core against the op's policy. */
static inline struct nlattr **ms_dump_attrs(struct netlink_callback *cb)
{
#if KERNEL_VERSION(6, 2, 0) <= LINUX_VERSION_CODE
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/* mm/internal.h's buddy_order_unsafe(): a free block's order sits in page->private. */
#define ms_buddy_order(page)	READ_ONCE(page_private(page))

/* migratetype_names[] is not exported: mirror it, checked against MIGRATE_TYPES. */
static const char * const ms_migratetype_names[] = {
	"Unmovable",
	"Movable",
	"Reclaimable",
	"HighAtomic",
#ifdef CONFIG_CMA
	"CMA",
#endif
#ifdef CONFIG_MEMORY_ISOLATION
	"Isolate",
#endif
};

static_assert(ARRAY_SIZE(ms_migratetype_names) == MIGRATE_TYPES);

/* vmstat_text[] is not exported: the zone counters as /proc/zoneinfo names them. */
static const char * const ms_zone_stat_names[] = {
	"nr_free_pages",
	"nr_zone_inactive_anon",
	"nr_zone_active_anon",
	"nr_zone_inactive_file",
	"nr_zone_active_file",
	"nr_zone_unevictable",
	"nr_zone_write_pending",
	"nr_mlock",
	"nr_bounce",
#if IS_ENABLED(CONFIG_ZSMALLOC)
	"nr_zspages",
#endif
	"nr_free_cma",
#if KERNEL_VERSION(6, 5, 0) <= LINUX_VERSION_CODE && defined(CONFIG_UNACCEPTED_MEMORY)
	"nr_unaccepted",
#endif
};

static_assert(ARRAY_SIZE(ms_zone_stat_names) == NR_VM_ZONE_STAT_ITEMS);

#ifdef CONFIG_NUMA
static const char * const ms_numa_stat_names[] = {
	"numa_hit",
	"numa_miss",
	"numa_foreign",
	"numa_interleave",
	"numa_local",
	"numa_other",
};

static_assert(ARRAY_SIZE(ms_numa_stat_names) == NR_VM_NUMA_EVENT_ITEMS);
#endif

/*
 * Reasons the tlb_flush tracepoint reports (enum tlb_flush_reason); arrays are
 * sized from this list, since later kernels dropped NR_TLB_FLUSH_REASONS.
 */
static const char * const ms_tlb_reason_names[] = {
	"task_switch",
	"remote_shootdown",
	"local_shootdown",
	"local_mm_shootdown",
	"remote_send_ipi",
};

#define MS_TLB_NR_REASONS ARRAY_SIZE(ms_tlb_reason_names)
static_assert(TLB_FLUSH_ON_TASK_SWITCH == 0 && TLB_REMOTE_SHOOTDOWN == 1 &&
	      TLB_LOCAL_SHOOTDOWN == 2 && TLB_LOCAL_MM_SHOOTDOWN == 3 &&
	      TLB_REMOTE_SEND_IPI == 4);

/* get_pfnblock_flags_mask() is not exported: the same read of the section's bitmap. */
static inline int ms_pageblock_migratetype(unsigned long pfn)
{
	unsigned long *bitmap = section_to_usemap(__pfn_to_section(pfn));
	unsigned long bitidx = ((pfn & (PAGES_PER_SECTION - 1)) >> pageblock_order) *
			       NR_PAGEBLOCK_BITS;
	unsigned long word = READ_ONCE(bitmap[bitidx / BITS_PER_LONG]);

	return (word >> (bitidx & (BITS_PER_LONG - 1))) & MIGRATETYPE_MASK;
}

/* PG_slab was a page flag until 6.10, then a page type. */
static inline bool ms_page_slab(struct page *page, unsigned long flags)
{
#ifdef PG_slab
	return flags & (1UL << PG_slab);
#else
	return PageSlab(page);
#endif
}

static inline bool ms_flag(unsigned long flags, int bit)
{
	return flags & (1UL << bit);
}

#ifdef CONFIG_MEMCG
#if KERNEL_VERSION(6, 3, 0) <= LINUX_VERSION_CODE
#define ms_page_memcg(page)	folio_memcg_check(page_folio(page))
#else
#define ms_page_memcg(page)	page_memcg_check(page)
#endif
#endif

/*
 * Active or inactive, as /proc/zoneinfo's counters count it.  Under the
 * multi-gen LRU (on by default in Debian's 6.12) pages carry a generation
 * instead of PG_active; the two youngest generations of the page's lruvec
 * count as active (lru_gen_is_active()).  folio_lruvec() is not used: it
 * warns on a racing page with no memcg and references the unexported
 * root_mem_cgroup.  Call under rcu_read_lock().
 */
static inline bool ms_lru_active(struct page *head, unsigned long flags)
{
#ifdef CONFIG_LRU_GEN
	int gen = ((flags & LRU_GEN_MASK) >> LRU_GEN_PGOFF) - 1;

	if (gen >= 0 && gen < MAX_NR_GENS) {
		struct lruvec *lruvec = &NODE_DATA(page_to_nid(head))->__lruvec;
#ifdef CONFIG_MEMCG
		struct mem_cgroup *memcg = NULL;

		if (!mem_cgroup_disabled()) {
			memcg = ms_page_memcg(head);
			if (!memcg)
				return false;
			lruvec = &memcg->nodeinfo[page_to_nid(head)]->lruvec;
		}
#endif
		return lru_gen_is_active(lruvec, gen);
	}
#endif
	return ms_flag(flags, PG_active);
}

/*
 * How many mappings map this page of @folio, as /proc/PID/smaps reads it for
 * Shared/Private and Pss: page_mapcount() up to 6.11; 6.12 removed it and
 * smaps uses folio_precise_page_mapcount() from fs/proc/internal.h (not
 * reachable from a module), mirrored here: the page's own PTE mappings plus
 * the folio's whole (PMD) mappings.
 */
static inline int ms_page_mapcount(struct folio *folio, struct page *page)
{
#if KERNEL_VERSION(6, 12, 0) <= LINUX_VERSION_CODE
	int mapcount = atomic_read(&page->_mapcount) + 1;

	if (page_mapcount_is_type(mapcount))
		mapcount = 0;
	if (folio_test_large(folio))
		mapcount += atomic_read(&folio->_entire_mapcount) + 1;
	return mapcount;
#else
	return page_mapcount(page);
#endif
}

#endif /* MEMSCOPE_COMPAT_H */
