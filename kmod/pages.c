// SPDX-License-Identifier: GPL-2.0
/*
 * Subject "pages": every physical page of every populated zone counted once
 * by what it is (free, LRU active/inactive anon/file, slab, page table...),
 * plus flags that cross those kinds (dirty, writeback, mlocked, THP...), and
 * the physical map by pageblock.
 *
 * Like /proc/kpageflags and compaction's pfn walkers, the walk takes no page
 * references and no locks: each page's flags word is read once, a compound
 * page is counted at its head with its full size, a free buddy block with
 * its full size, and whatever changes under the walk is counted as it was
 * seen.  Orders read from racing pages are clamped so a torn value can only
 * skip or repeat pages, never leave the zone.  The walk leaves its RCU
 * read-side section and reaches a reschedule point at least every
 * MS_PAGES_CHUNK pfns (plus the last unit: at most a PUD-sized page).
 */
#include <linux/hugetlb.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>

#include "memscope.h"

#define MS_PAGES_CHUNK		4096	/* pfns between reschedule points */
#define MS_MAP_PER_MSG		128	/* pageblocks per map message */

const char * const ms_page_class_names[] = {
	/* kinds: every page is exactly one of these */
	[MS_PC_FREE] = "free",
	[MS_PC_ACTIVE_ANON] = "active_anon",
	[MS_PC_INACTIVE_ANON] = "inactive_anon",
	[MS_PC_ACTIVE_FILE] = "active_file",
	[MS_PC_INACTIVE_FILE] = "inactive_file",
	[MS_PC_UNEVICTABLE] = "unevictable",
	[MS_PC_SLAB] = "slab",
	[MS_PC_PAGETABLE] = "pagetable",
	[MS_PC_RESERVED] = "reserved",
	[MS_PC_HUGETLB] = "hugetlb",
	[MS_PC_HUGETLB_FREE] = "hugetlb_free",
	[MS_PC_OTHER_COMPOUND] = "other_compound",
	[MS_PC_ZERO_REF] = "zero_ref",
	[MS_PC_OFFLINE] = "offline",
	[MS_PC_POISONED] = "poisoned",
	[MS_PC_UNKNOWN] = "unknown",
	/* flags: cross the kinds */
	[MS_PC_MLOCKED] = "mlocked",
	[MS_PC_DIRTY] = "dirty",
	[MS_PC_WRITEBACK] = "writeback",
	[MS_PC_SWAPCACHE] = "swapcache",
	[MS_PC_SWAPBACKED] = "swapbacked",
	[MS_PC_SHMEM] = "shmem",
	[MS_PC_ANON] = "anon",
	[MS_PC_THP] = "thp",
	[MS_PC_THP_ANON] = "thp_anon",
	[MS_PC_THP_FILE] = "thp_file",
	[MS_PC_ACTIVE_FILE_DIRTY] = "active_file_dirty",
	[MS_PC_INACTIVE_FILE_DIRTY] = "inactive_file_dirty",
	[MS_PC_ACTIVE_ANON_DIRTY] = "active_anon_dirty",
	[MS_PC_INACTIVE_ANON_DIRTY] = "inactive_anon_dirty",
};

static_assert(ARRAY_SIZE(ms_page_class_names) == MS_NR_PAGE_CLASSES);

/* What one page (or compound page, or free block) is. */
struct ms_page_unit {
	unsigned long n;	/* pages it covers */
	int kind;
	u32 flags;		/* BIT(class - MS_NR_PAGE_KINDS) */
};

#define MS_F(c)	BIT((c) - MS_NR_PAGE_KINDS)

static int ms_lru_kind(struct page *head, unsigned long flags)
{
	bool file = !ms_flag(flags, PG_swapbacked);

	if (ms_flag(flags, PG_unevictable))
		return MS_PC_UNEVICTABLE;
	if (ms_lru_active(head, flags))
		return file ? MS_PC_ACTIVE_FILE : MS_PC_ACTIVE_ANON;
	return file ? MS_PC_INACTIVE_FILE : MS_PC_INACTIVE_ANON;
}

static u32 ms_page_flags(struct page *head, unsigned long flags, int kind, bool compound)
{
	bool anon = (unsigned long)READ_ONCE(head->mapping) & PAGE_MAPPING_ANON;
	bool lru = ms_flag(flags, PG_lru);
	bool dirty = ms_flag(flags, PG_dirty);
	u32 f = 0;

	if (ms_flag(flags, PG_mlocked))
		f |= MS_F(MS_PC_MLOCKED);
	if (dirty)
		f |= MS_F(MS_PC_DIRTY);
	if (ms_flag(flags, PG_writeback))
		f |= MS_F(MS_PC_WRITEBACK);
	if (ms_flag(flags, PG_swapbacked)) {
		f |= MS_F(MS_PC_SWAPBACKED);
		if (ms_flag(flags, PG_swapcache))
			f |= MS_F(MS_PC_SWAPCACHE);
		if (lru && !anon)
			f |= MS_F(MS_PC_SHMEM);
	}
	if (anon)
		f |= MS_F(MS_PC_ANON);
	if (compound && (lru || anon) && kind != MS_PC_HUGETLB && kind != MS_PC_HUGETLB_FREE)
		f |= MS_F(MS_PC_THP) | MS_F(anon ? MS_PC_THP_ANON : MS_PC_THP_FILE);
	if (dirty) {
		switch (kind) {
		case MS_PC_ACTIVE_FILE:
			f |= MS_F(MS_PC_ACTIVE_FILE_DIRTY);
			break;
		case MS_PC_INACTIVE_FILE:
			f |= MS_F(MS_PC_INACTIVE_FILE_DIRTY);
			break;
		case MS_PC_ACTIVE_ANON:
			f |= MS_F(MS_PC_ACTIVE_ANON_DIRTY);
			break;
		case MS_PC_INACTIVE_ANON:
			f |= MS_F(MS_PC_INACTIVE_ANON_DIRTY);
			break;
		}
	}
	return f;
}

/* Classifies the page at @pfn, at most @left pages long; under rcu_read_lock. */
static void ms_page_classify(struct page *page, unsigned long left, struct ms_page_unit *u)
{
	struct page *head = page;
	unsigned long flags;
	unsigned int order;

	u->n = 1;
	u->flags = 0;
	if (PageBuddy(page)) {
		order = ms_buddy_order(page);
		if (order < MS_NR_ORDERS)
			u->n = min(1UL << order, left);
		u->kind = MS_PC_FREE;
		return;
	}
	if (PageTail(page)) {	/* a compound page that began before us: count this page */
		head = compound_head(page);
	} else if (PageHead(page)) {
		order = compound_order(page);
		if (order >= 1 && order <= PUD_SHIFT - PAGE_SHIFT)
			u->n = min(1UL << order, left);
	}
	flags = READ_ONCE(head->flags);

	if (PageHuge(head))
		u->kind = page_ref_count(head) ? MS_PC_HUGETLB : MS_PC_HUGETLB_FREE;
	else if (ms_page_slab(head, flags))
		u->kind = MS_PC_SLAB;
	else if (PageTable(head))
		u->kind = MS_PC_PAGETABLE;
	else if (PageOffline(head))
		u->kind = MS_PC_OFFLINE;
#ifdef CONFIG_MEMORY_FAILURE
	else if (ms_flag(flags, PG_hwpoison))
		u->kind = MS_PC_POISONED;
#endif
	else if (ms_flag(flags, PG_reserved))
		u->kind = MS_PC_RESERVED;
	else if (ms_flag(flags, PG_lru))
		u->kind = ms_lru_kind(head, flags);
	else if (!page_ref_count(head))
		u->kind = MS_PC_ZERO_REF;
	else if (ms_flag(flags, PG_head))
		u->kind = MS_PC_OTHER_COMPOUND;
	else
		u->kind = MS_PC_UNKNOWN;
	u->flags = ms_page_flags(head, flags, u->kind, ms_flag(flags, PG_head));
}

struct ms_scan {
	struct ms_pages_rec *rec;	/* census */
	struct memscope_map_block *blocks;	/* map: one per pageblock from base */
	unsigned long base;
	struct ms_impact *im;
};

static const u8 ms_map_group_of[MS_NR_PAGE_KINDS] = {
	[MS_PC_FREE] = MEMSCOPE_MAP_FREE,
	[MS_PC_ACTIVE_ANON] = MEMSCOPE_MAP_ANON,
	[MS_PC_INACTIVE_ANON] = MEMSCOPE_MAP_ANON,
	[MS_PC_ACTIVE_FILE] = MEMSCOPE_MAP_FILE,
	[MS_PC_INACTIVE_FILE] = MEMSCOPE_MAP_FILE,
	[MS_PC_UNEVICTABLE] = MEMSCOPE_MAP_OTHER,
	[MS_PC_SLAB] = MEMSCOPE_MAP_SLAB,
	[MS_PC_PAGETABLE] = MEMSCOPE_MAP_PAGETABLE,
	[MS_PC_RESERVED] = MEMSCOPE_MAP_RESERVED,
	[MS_PC_HUGETLB] = MEMSCOPE_MAP_HUGETLB,
	[MS_PC_HUGETLB_FREE] = MEMSCOPE_MAP_HUGETLB,
	[MS_PC_OTHER_COMPOUND] = MEMSCOPE_MAP_OTHER,
	[MS_PC_ZERO_REF] = MEMSCOPE_MAP_OTHER,
	[MS_PC_OFFLINE] = MEMSCOPE_MAP_OTHER,
	[MS_PC_POISONED] = MEMSCOPE_MAP_OTHER,
	[MS_PC_UNKNOWN] = MEMSCOPE_MAP_OTHER,
};

static void ms_scan_account(struct ms_scan *s, unsigned long pfn, const struct ms_page_unit *u)
{
	unsigned long done, part;
	u32 f;

	if (s->rec) {
		s->rec->pages += u->n;
		s->rec->classes[u->kind] += u->n;
		for (f = u->flags; f; f &= f - 1)
			s->rec->classes[MS_NR_PAGE_KINDS + __ffs(f)] += u->n;
	}
	if (!s->blocks)
		return;
	/* A unit may span pageblocks (an order-10 free block spans two). */
	for (done = 0; done < u->n; done += part) {
		unsigned long p = pfn + done;
		struct memscope_map_block *b = &s->blocks[(p - s->base) >> pageblock_order];

		part = min(u->n - done, pageblock_nr_pages - (p & (pageblock_nr_pages - 1)));
		b->count[ms_map_group_of[u->kind]] += part;
	}
}

static void ms_scan_yield(struct ms_scan *s)
{
	rcu_read_unlock();
	ms_impact_resched(s->im);
	rcu_read_lock();
}

/* Walks [start, end) of @zone into @s. */
static void ms_scan_range(struct zone *zone, unsigned long start, unsigned long end,
			  struct ms_scan *s)
{
	unsigned long pfn = start, since = 0;
	struct ms_page_unit u;

	rcu_read_lock();
	while (pfn < end) {
		struct page *page = pfn_to_online_page(pfn);

		if (since >= MS_PAGES_CHUNK) {
			ms_scan_yield(s);
			since = 0;
		}
		if (!page || page_zone(page) != zone) {
			pfn++;
			since++;
			continue;
		}
		ms_page_classify(page, end - pfn, &u);
		ms_scan_account(s, pfn, &u);
		pfn += u.n;
		since += u.n;
	}
	rcu_read_unlock();
	ms_impact_resched(s->im);
}

/* The floor a census is measured against: only read each page's flags word. */
static unsigned long ms_scan_floor(struct zone *zone, struct ms_pages_rec *rec,
				   struct ms_impact *im)
{
	unsigned long pfn, sum = 0;

	for (pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone); pfn++) {
		struct page *page = pfn_to_online_page(pfn);

		if (!(pfn % MS_PAGES_CHUNK))
			ms_impact_resched(im);
		if (page) {
			sum += READ_ONCE(page->flags);
			rec->pages++;
		}
	}
	return sum;
}

void ms_pages_collect(struct zone *zone, struct ms_pages_rec *rec, bool floor,
		      struct ms_impact *im)
{
	struct ms_scan s = { .rec = rec, .im = im };
	u64 t0;

	memset(rec, 0, sizeof(*rec));
	t0 = local_clock();
	if (floor)
		rec->floor_sum = ms_scan_floor(zone, rec, im);
	else
		ms_scan_range(zone, zone->zone_start_pfn, zone_end_pfn(zone), &s);
	rec->scan_ns = local_clock() - t0;
}

static int ms_pages_put_impact(struct sk_buff *skb, struct ms_impact *im)
{
	return ms_impact_put(skb, im, MEMSCOPE_PAGES_A_IRQOFF_MAX_NS,
			     MEMSCOPE_PAGES_A_RESCHED_MAX_NS, MEMSCOPE_PAGES_A_PAD);
}

struct ms_pages_req {
	struct ms_pages_rec rec;
	bool floor;
};

/* Counts @zone into the request's scratch record and puts it. */
static int ms_pages_fill(struct sk_buff *skb, struct zone *zone, void *arg,
			 struct ms_impact *im)
{
	struct ms_pages_req *req = arg;
	const struct ms_pages_rec *r = &req->rec;

	ms_pages_collect(zone, &req->rec, req->floor, im);
	if (nla_put_u32(skb, MEMSCOPE_PAGES_A_NODE, zone_to_nid(zone)) ||
	    nla_put_string(skb, MEMSCOPE_PAGES_A_ZONE, zone->name) ||
	    nla_put_u64_64bit(skb, MEMSCOPE_PAGES_A_PAGES, r->pages, MEMSCOPE_PAGES_A_PAD) ||
	    ms_nl_put_u64_array(skb, MEMSCOPE_PAGES_A_CLASSES, r->classes, MS_NR_PAGE_CLASSES) ||
	    nla_put_u64_64bit(skb, MEMSCOPE_PAGES_A_SCAN_NS, r->scan_ns, MEMSCOPE_PAGES_A_PAD) ||
	    ms_pages_put_impact(skb, im))
		return -EMSGSIZE;
	return 0;
}

int ms_pages_nl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = ms_dump_attrs(cb);
	struct ms_zone_filter f = { .node = -1 };
	struct ms_pages_req *req;
	bool floor = attrs[MEMSCOPE_PAGES_A_FLOOR];
	int err;

	if (floor && !ms_nl_admin(cb->skb)) {
		NL_SET_ERR_MSG(cb->extack, "the floor measurement needs CAP_SYS_ADMIN");
		return -EPERM;
	}
	if (attrs[MEMSCOPE_PAGES_A_NODE]) {
		f.node = nla_get_u32(attrs[MEMSCOPE_PAGES_A_NODE]);
		if (!node_online(f.node)) {
			NL_SET_ERR_MSG_ATTR(cb->extack, attrs[MEMSCOPE_PAGES_A_NODE],
					    "no such NUMA node online");
			return -ENODEV;
		}
	}
	if (attrs[MEMSCOPE_PAGES_A_ZONE]) {
		f.name = nla_data(attrs[MEMSCOPE_PAGES_A_ZONE]);
		if (ms_zone_type_index(f.name) < 0) {
			NL_SET_ERR_MSG_ATTR(cb->extack, attrs[MEMSCOPE_PAGES_A_ZONE],
					    "no such zone type in this kernel");
			return -ENOENT;
		}
	}
	req = kmalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	req->floor = floor;
	err = ms_zone_dump(skb, cb, MEMSCOPE_CMD_GET_PAGES, &f, ms_pages_fill, req);
	kfree(req);
	return err;
}

/* Map of pageblocks [base, base + n * pageblock) into @blocks. */
static void ms_map_collect(unsigned long base, unsigned int n, struct memscope_map_block *blocks,
			   struct ms_impact *im)
{
	unsigned long end = base + ((unsigned long)n << pageblock_order), pfn, lo, hi;
	struct ms_scan s = { .blocks = blocks, .base = base, .im = im };
	unsigned int i;
	int nid, z;

	memset(blocks, 0, n * sizeof(*blocks));
	for (i = 0; i < n; i++) {
		pfn = base + ((unsigned long)i << pageblock_order);
		blocks[i].zone = 255;
		if (pfn_to_online_page(pfn)) {
			blocks[i].migratetype = ms_pageblock_migratetype(pfn);
			blocks[i].node = page_to_nid(pfn_to_page(pfn));
			blocks[i].zone = page_zonenum(pfn_to_page(pfn));
		}
	}
	for_each_online_node(nid) {
		for (z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &NODE_DATA(nid)->node_zones[z];

			if (!populated_zone(zone))
				continue;
			lo = max(base, zone->zone_start_pfn);
			hi = min(end, zone_end_pfn(zone));
			if (lo < hi)
				ms_scan_range(zone, lo, hi, &s);
		}
	}
}

static unsigned long ms_map_end_pfn(void)
{
	unsigned long end = 0;
	int nid;

	for_each_online_node(nid)
		end = max(end, pgdat_end_pfn(NODE_DATA(nid)));
	return end;
}

/* cb->args: [0] next pageblock's pfn + 1 (0: not started), [1] end pfn. */
int ms_map_nl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = ms_dump_attrs(cb);
	struct memscope_map_block *blocks;
	unsigned long start, end, limit;
	struct ms_impact im;
	unsigned int n;
	void *hdr;
	int err = 0;

	if (!ms_nl_admin(cb->skb)) {
		NL_SET_ERR_MSG(cb->extack, "the physical map shows pfns: it needs CAP_SYS_ADMIN");
		return -EPERM;
	}
	if (!cb->args[0]) {
		limit = ms_map_end_pfn();
		start = attrs[MEMSCOPE_PAGES_A_START_PFN] ?
			nla_get_u64(attrs[MEMSCOPE_PAGES_A_START_PFN]) : 0;
		end = attrs[MEMSCOPE_PAGES_A_END_PFN] ?
		      nla_get_u64(attrs[MEMSCOPE_PAGES_A_END_PFN]) : limit;
		if (start >= limit) {
			NL_SET_ERR_MSG(cb->extack,
				       "the pfn range starts beyond the last pfn of memory");
			return -ERANGE;
		}
		if (end <= start) {
			NL_SET_ERR_MSG(cb->extack, "the pfn range is empty or reversed");
			return -EINVAL;
		}
		cb->args[0] = ALIGN_DOWN(start, pageblock_nr_pages) + 1;
		cb->args[1] = min(end, limit);
	}
	start = cb->args[0] - 1;
	end = cb->args[1];
	if (start >= end)
		return 0;

	blocks = kcalloc(MS_MAP_PER_MSG, sizeof(*blocks), GFP_KERNEL);
	if (!blocks)
		return -ENOMEM;
	n = min_t(unsigned long, MS_MAP_PER_MSG,
		  DIV_ROUND_UP(end - start, pageblock_nr_pages));
	ms_impact_begin(&im);
	ms_map_collect(start, n, blocks, &im);
	hdr = ms_nl_dump_put(skb, cb, MEMSCOPE_CMD_GET_MAP);
	if (!hdr ||
	    nla_put_u64_64bit(skb, MEMSCOPE_PAGES_A_START_PFN, start, MEMSCOPE_PAGES_A_PAD) ||
	    nla_put_u32(skb, MEMSCOPE_PAGES_A_PB_PAGES, pageblock_nr_pages) ||
	    nla_put(skb, MEMSCOPE_PAGES_A_BLOCKS, n * sizeof(*blocks), blocks) ||
	    ms_pages_put_impact(skb, &im)) {
		if (hdr)
			genlmsg_cancel(skb, hdr);
		err = skb->len ? skb->len : -EMSGSIZE;
		goto out;
	}
	genlmsg_end(skb, hdr);
	cb->args[0] = start + ((unsigned long)n << pageblock_order) + 1;
	err = skb->len;
out:
	kfree(blocks);
	return err;
}

int ms_pages_show(struct seq_file *m, void *v)
{
	struct ms_zone_filter all = { .node = -1 };
	struct ms_pages_rec *rec;
	int nid = 0, idx = 0, i;
	struct ms_impact im;
	struct zone *zone;

	rec = kmalloc(sizeof(*rec), GFP_KERNEL);
	if (!rec)
		return -ENOMEM;
	ms_impact_begin(&im);
	while ((zone = ms_zone_next(&all, &nid, &idx))) {
		ms_pages_collect(zone, rec, false, &im);
		seq_printf(m, "Node %d, zone %s: %llu pages scanned in %llu us\n",
			   zone_to_nid(zone), zone->name, rec->pages, rec->scan_ns / 1000);
		for (i = 0; i < MS_NR_PAGE_CLASSES; i++)
			seq_printf(m, "  %-20s %llu\n", ms_page_class_names[i], rec->classes[i]);
	}
	kfree(rec);
	return 0;
}

static const char ms_map_char[MEMSCOPE_MAP_NR_GROUPS] = "-afsphro";

/* One line per 64 pageblocks: the group holding most of each pageblock. */
int ms_map_show(struct seq_file *m, void *v)
{
	unsigned long end = ms_map_end_pfn(), pfn;
	struct memscope_map_block *blocks;
	unsigned int n, i, g, best;
	struct ms_impact im;

	blocks = kcalloc(64, sizeof(*blocks), GFP_KERNEL);
	if (!blocks)
		return -ENOMEM;
	seq_puts(m, "# one char per pageblock: - free, a anon, f file, s slab, p page tables, h hugetlb, r reserved, o other, space hole\n");
	for (pfn = 0; pfn < end; pfn += 64UL << pageblock_order) {
		n = min_t(unsigned long, 64, DIV_ROUND_UP(end - pfn, pageblock_nr_pages));
		ms_impact_begin(&im);
		ms_map_collect(pfn, n, blocks, &im);
		seq_printf(m, "%010lx ", pfn);
		for (i = 0; i < n; i++) {
			for (g = 1, best = 0; g < MEMSCOPE_MAP_NR_GROUPS; g++)
				if (blocks[i].count[g] > blocks[i].count[best])
					best = g;
			seq_putc(m, blocks[i].zone == 255 || !blocks[i].count[best] ?
				 ' ' : ms_map_char[best]);
		}
		seq_putc(m, '\n');
	}
	kfree(blocks);
	return 0;
}
