// SPDX-License-Identifier: GPL-2.0
/*
 * Subject "buddy": free blocks per order and per order x migratetype, exact
 * and without /proc/pagetypeinfo's 100000 cap, holding zone->lock (with
 * interrupts off) for at most MS_BUDDY_CHUNK list entries at a time.
 *
 * Why a resumed walk stays correct (docs/buddy-locking.md has the long
 * form): between chunks the cursor page may be allocated, merged into a
 * larger block, or moved to another free list (pageblock stealing).  On
 * resume the cursor must still be a free block of this order, and every
 * list node met must be either a page or this list's own head; meeting any
 * other free_area list head means the cursor changed lists.  A failed check
 * restarts that one list.  A quiet list is therefore counted exactly; a busy
 * one is counted as it was at some instant within the walk, like any reading.
 */
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/spinlock.h>

#include "memscope.h"

#define MS_BUDDY_CHUNK		1024	/* list entries per zone->lock hold */
#define MS_BUDDY_RESTARTS	8	/* per list, then take the last count */

struct ms_buddy_walk {
	struct zone *zone;
	unsigned long flags;
	u64 irqoff_since;	/* interrupts go off before the lock is taken */
	u64 held_since;
	unsigned int budget;
	struct ms_buddy_rec *rec;
	struct ms_impact *im;
};

static void ms_buddy_lock(struct ms_buddy_walk *w)
{
	w->irqoff_since = local_clock();
	spin_lock_irqsave(&w->zone->lock, w->flags);
	w->held_since = local_clock();
	w->budget = MS_BUDDY_CHUNK;
	w->rec->lock_holds++;
}

static void ms_buddy_unlock(struct ms_buddy_walk *w)
{
	u64 held = local_clock() - w->held_since;

	spin_unlock_irqrestore(&w->zone->lock, w->flags);
	ms_impact_irqoff(w->im, local_clock() - w->irqoff_since);
	if (held > w->rec->lock_hold_max_ns)
		w->rec->lock_hold_max_ns = held;
}

static void ms_buddy_yield(struct ms_buddy_walk *w)
{
	ms_buddy_unlock(w);
	ms_impact_resched(w->im);
	ms_buddy_lock(w);
}

static bool ms_is_free_list_head(struct zone *zone, struct list_head *pos)
{
	void *p = pos;

	return p >= (void *)zone->free_area &&
	       p < (void *)(zone->free_area + MS_NR_ORDERS);
}

/* Counts one free list; called and returns with zone->lock held. */
static u64 ms_buddy_count_list(struct ms_buddy_walk *w, int order, int mt)
{
	struct list_head *head = &w->zone->free_area[order].free_list[mt];
	unsigned long limit = w->zone->spanned_pages >> order;
	int attempt;
	u64 count = 0;

	for (attempt = 0; attempt < MS_BUDDY_RESTARTS; attempt++) {
		struct list_head *pos = head->next;
		bool valid = true;

		count = 0;
		while (pos != head) {
			struct page *page;

			if (ms_is_free_list_head(w->zone, pos) || count > limit) {
				valid = false;
				break;
			}
			count++;
			page = list_entry(pos, struct page, buddy_list);
			if (--w->budget == 0) {
				ms_buddy_yield(w);
				if (!PageBuddy(page) || ms_buddy_order(page) != order) {
					valid = false;
					break;
				}
			}
			pos = READ_ONCE(pos->next);
		}
		if (valid)
			return count;
		w->rec->restarts++;
	}
	return count;
}

/* Same definitions as the kernel's debugfs extfrag/ files (mm/vmstat.c). */
static void ms_buddy_indices(struct ms_buddy_rec *rec)
{
	u64 free_pages = 0, blocks_total = 0;
	int order, o;

	for (o = 0; o < MS_NR_ORDERS; o++) {
		blocks_total += rec->free_blocks[o];
		free_pages += rec->free_blocks[o] << o;
	}
	for (order = 0; order < MS_NR_ORDERS; order++) {
		u64 suitable = 0;

		for (o = order; o < MS_NR_ORDERS; o++)
			suitable += rec->free_blocks[o] << (o - order);

		rec->unusable_index[order] = free_pages ?
			div64_u64((free_pages - (suitable << order)) * 1000ULL,
				  free_pages) : 1000;

		if (!blocks_total)
			rec->frag_index[order] = 0;
		else if (suitable)
			rec->frag_index[order] = -1000;
		else
			rec->frag_index[order] = 1000 -
				div64_u64(1000 + div64_u64(free_pages * 1000ULL,
							   1UL << order),
					  blocks_total);
	}
}

void ms_buddy_collect(struct zone *zone, struct ms_buddy_rec *rec, struct ms_impact *im)
{
	struct ms_buddy_walk w = { .zone = zone, .rec = rec, .im = im };
	int order, mt;

	memset(rec, 0, sizeof(*rec));
	ms_buddy_lock(&w);
	for (order = 0; order < MS_NR_ORDERS; order++) {
		rec->free_blocks[order] = zone->free_area[order].nr_free;
		for (mt = 0; mt < MIGRATE_TYPES; mt++)
			rec->lists[mt][order] = ms_buddy_count_list(&w, order, mt);
	}
	ms_buddy_unlock(&w);
	ms_buddy_indices(rec);
}

static int ms_buddy_put_lists(struct sk_buff *skb, const struct ms_buddy_rec *rec)
{
	struct nlattr *nest, *item;
	int mt;

	nest = nla_nest_start(skb, MEMSCOPE_ZONE_A_FREE_LISTS);
	if (!nest)
		return -EMSGSIZE;
	for (mt = 0; mt < MIGRATE_TYPES; mt++) {
		item = nla_nest_start(skb, MEMSCOPE_ARRAY_A_ITEM);
		if (!item || nla_put_u32(skb, MEMSCOPE_LIST_A_MIGRATETYPE, mt) ||
		    ms_nl_put_u64_array(skb, MEMSCOPE_LIST_A_BLOCKS, rec->lists[mt],
					MS_NR_ORDERS)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
		nla_nest_end(skb, item);
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int ms_buddy_put_indices(struct sk_buff *skb, const struct ms_buddy_rec *rec)
{
	struct nlattr *unusable, *frag;
	int o;

	unusable = nla_nest_start(skb, MEMSCOPE_ZONE_A_UNUSABLE_INDEX);
	if (!unusable)
		return -EMSGSIZE;
	for (o = 0; o < MS_NR_ORDERS; o++)
		if (nla_put_u32(skb, MEMSCOPE_ARRAY_A_ITEM, rec->unusable_index[o]))
			goto cancel;
	nla_nest_end(skb, unusable);

	frag = nla_nest_start(skb, MEMSCOPE_ZONE_A_FRAG_INDEX);
	if (!frag)
		goto cancel;
	for (o = 0; o < MS_NR_ORDERS; o++)
		if (nla_put_s32(skb, MEMSCOPE_ARRAY_A_ITEM, rec->frag_index[o]))
			goto cancel;
	nla_nest_end(skb, frag);
	return 0;
cancel:
	nla_nest_cancel(skb, unusable);
	return -EMSGSIZE;
}

/* Collects @zone into the scratch record @arg and puts it. */
static int ms_buddy_fill(struct sk_buff *skb, struct zone *zone, void *arg,
			 struct ms_impact *im)
{
	struct ms_buddy_rec *rec = arg;

	ms_buddy_collect(zone, rec, im);
	if (nla_put_u32(skb, MEMSCOPE_ZONE_A_NODE, zone_to_nid(zone)) ||
	    nla_put_string(skb, MEMSCOPE_ZONE_A_NAME, zone->name) ||
	    nla_put_u32(skb, MEMSCOPE_ZONE_A_INDEX, zone_idx(zone)) ||
	    ms_nl_put_u64_array(skb, MEMSCOPE_ZONE_A_FREE_BLOCKS, rec->free_blocks,
				MS_NR_ORDERS) ||
	    ms_buddy_put_lists(skb, rec) || ms_buddy_put_indices(skb, rec) ||
	    nla_put_u64_64bit(skb, MEMSCOPE_ZONE_A_LOCK_HOLD_MAX_NS,
			      rec->lock_hold_max_ns, MEMSCOPE_ZONE_A_PAD) ||
	    nla_put_u32(skb, MEMSCOPE_ZONE_A_LOCK_HOLDS, rec->lock_holds) ||
	    nla_put_u32(skb, MEMSCOPE_ZONE_A_RESTARTS, rec->restarts))
		return -EMSGSIZE;
	return ms_zone_put_impact(skb, im);
}

/*
 * Walking the lists costs zone->lock time, like /proc/pagetypeinfo (0400):
 * admin only.
 */
int ms_buddy_nl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ms_zone_filter f;
	struct ms_buddy_rec *rec;
	int err;

	if (!ms_nl_admin(cb->skb)) {
		NL_SET_ERR_MSG(cb->extack, "walking free lists needs CAP_SYS_ADMIN");
		return -EPERM;
	}
	err = ms_zone_filter_parse(ms_dump_attrs(cb), &f, cb->extack);
	if (err)
		return err;
	rec = kmalloc(sizeof(*rec), GFP_KERNEL);
	if (!rec)
		return -ENOMEM;
	err = ms_zone_dump(skb, cb, MEMSCOPE_CMD_GET_BUDDY, &f, ms_buddy_fill, rec);
	kfree(rec);
	return err;
}

static void ms_buddy_show_row(struct seq_file *m, const char *label, const u64 *v)
{
	int o;

	seq_printf(m, "  %-12s", label);
	for (o = 0; o < MS_NR_ORDERS; o++)
		seq_printf(m, " %7llu", v[o]);
	seq_putc(m, '\n');
}

int ms_buddy_show(struct seq_file *m, void *v)
{
	struct ms_zone_filter all = { .node = -1 };
	struct ms_buddy_rec *rec;
	int nid = 0, idx = 0, mt, o;
	struct ms_impact im;
	struct zone *zone;

	rec = kmalloc(sizeof(*rec), GFP_KERNEL);
	if (!rec)
		return -ENOMEM;
	ms_impact_begin(&im);
	while ((zone = ms_zone_next(&all, &nid, &idx))) {
		ms_buddy_collect(zone, rec, &im);
		seq_printf(m, "Node %d, zone %s (lock_hold_max_ns %llu, holds %u, restarts %u)\n",
			   zone_to_nid(zone), zone->name, rec->lock_hold_max_ns,
			   rec->lock_holds, rec->restarts);
		seq_printf(m, "  %-12s", "order");
		for (o = 0; o < MS_NR_ORDERS; o++)
			seq_printf(m, " %7d", o);
		seq_putc(m, '\n');
		ms_buddy_show_row(m, "total", rec->free_blocks);
		for (mt = 0; mt < MIGRATE_TYPES; mt++)
			ms_buddy_show_row(m, ms_migratetype_names[mt], rec->lists[mt]);
		seq_printf(m, "  %-12s", "unusable");
		for (o = 0; o < MS_NR_ORDERS; o++)
			seq_printf(m, " %7u", rec->unusable_index[o]);
		seq_printf(m, "\n  %-12s", "fragindex");
		for (o = 0; o < MS_NR_ORDERS; o++)
			seq_printf(m, " %7d", rec->frag_index[o]);
		seq_putc(m, '\n');
		ms_impact_resched(&im);
	}
	kfree(rec);
	return 0;
}
