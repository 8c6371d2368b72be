// SPDX-License-Identifier: GPL-2.0
/*
 * Subject "zones": sizes, watermarks, lowmem reserves, vm counters and
 * per-CPU pagesets of every populated zone, read as /proc/zoneinfo does
 * (lockless reads of counters that are only ever printed).
 */
#include <linux/cpumask.h>
#include <linux/nodemask.h>
#include <linux/percpu.h>

#include "memscope.h"

/*
 * Next populated zone matching @f at or after (*nid, *idx); advances the
 * cursor past it.  for_each_populated_zone() is not usable from a module.
 */
struct zone *ms_zone_next(const struct ms_zone_filter *f, int *nid, int *idx)
{
	for (; *nid < MAX_NUMNODES; (*nid)++, *idx = 0) {
		if (!node_online(*nid) || (f->node >= 0 && f->node != *nid))
			continue;
		for (; *idx < MAX_NR_ZONES; (*idx)++) {
			struct zone *zone = &NODE_DATA(*nid)->node_zones[*idx];

			if (!populated_zone(zone))
				continue;
			if (f->name && strcasecmp(f->name, zone->name))
				continue;
			(*idx)++;
			return zone;
		}
	}
	return NULL;
}

/* Index of the zone type called @name (any case), or -1. */
int ms_zone_type_index(const char *name)
{
	int i;

	for (i = 0; i < MAX_NR_ZONES; i++)
		if (!strcasecmp(name, ms_zone_type_name(i)))
			return i;
	return -1;
}

int ms_zone_filter_parse(struct nlattr **attrs, struct ms_zone_filter *f,
			 struct netlink_ext_ack *extack)
{
	f->node = -1;
	f->name = NULL;
	if (attrs && attrs[MEMSCOPE_ZONE_A_NODE]) {
		f->node = nla_get_u32(attrs[MEMSCOPE_ZONE_A_NODE]);
		if (!node_online(f->node)) {
			NL_SET_ERR_MSG_ATTR(extack, attrs[MEMSCOPE_ZONE_A_NODE],
					    "no such NUMA node online");
			return -ENODEV;
		}
	}
	if (attrs && attrs[MEMSCOPE_ZONE_A_NAME]) {
		f->name = nla_data(attrs[MEMSCOPE_ZONE_A_NAME]);
		if (ms_zone_type_index(f->name) < 0) {
			NL_SET_ERR_MSG_ATTR(extack, attrs[MEMSCOPE_ZONE_A_NAME],
					    "no such zone type in this kernel");
			return -ENOENT;
		}
	}
	return 0;
}

const char *ms_zone_stat_name(int i)
{
#ifdef CONFIG_NUMA
	if (i >= NR_VM_ZONE_STAT_ITEMS)
		return ms_numa_stat_names[i - NR_VM_ZONE_STAT_ITEMS];
#endif
	return ms_zone_stat_names[i];
}

#ifdef CONFIG_NUMA
/*
 * zoneinfo folds the per-CPU NUMA event diffs into the zone first; summing
 * them gives the same value without writing to the zone.
 */
static u64 ms_zone_numa_event(struct zone *zone, int item)
{
	u64 sum = zone_numa_event_state(zone, item);
	int cpu;

	for_each_online_cpu(cpu)
		sum += per_cpu_ptr(zone->per_cpu_zonestats, cpu)->vm_numa_event[item];
	return sum;
}
#endif

void ms_zone_collect(struct zone *zone, struct ms_zone_rec *rec)
{
	int i;

	rec->nid = zone_to_nid(zone);
	rec->idx = zone_idx(zone);
	rec->name = zone->name;
	rec->start_pfn = zone->zone_start_pfn;
	rec->spanned = zone->spanned_pages;
	rec->present = zone->present_pages;
	rec->managed = zone_managed_pages(zone);
	rec->cma = zone_cma_pages(zone);
	rec->free = zone_page_state(zone, NR_FREE_PAGES);
	for (i = 0; i < NR_WMARK; i++)
		rec->wmark[i] = wmark_pages(zone, i);
	rec->boost = zone->watermark_boost;
	for (i = 0; i < MAX_NR_ZONES; i++)
		rec->lowmem_reserve[i] = zone->lowmem_reserve[i];
	for (i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		rec->stats[i] = zone_page_state(zone, i);
#ifdef CONFIG_NUMA
	for (i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
		rec->stats[NR_VM_ZONE_STAT_ITEMS + i] = ms_zone_numa_event(zone, i);
#endif
	rec->kswapd_wake = rec->free < rec->wmark[WMARK_LOW];
}

void ms_pcp_collect(struct zone *zone, int cpu, struct ms_pcp_rec *pcp)
{
	struct per_cpu_pages *p = per_cpu_ptr(zone->per_cpu_pageset, cpu);

	pcp->count = READ_ONCE(p->count);
	pcp->high = READ_ONCE(p->high);
	pcp->batch = READ_ONCE(p->batch);
}

static int ms_zone_put_stats(struct sk_buff *skb, const struct ms_zone_rec *rec)
{
	struct nlattr *nest, *item;
	int i;

	nest = nla_nest_start(skb, MEMSCOPE_ZONE_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < MS_NR_ZONE_STATS; i++) {
		item = nla_nest_start(skb, MEMSCOPE_ARRAY_A_ITEM);
		if (!item ||
		    nla_put_string(skb, MEMSCOPE_STAT_A_NAME, ms_zone_stat_name(i)) ||
		    nla_put_u64_64bit(skb, MEMSCOPE_STAT_A_VALUE, rec->stats[i],
				      MEMSCOPE_STAT_A_PAD))
			goto cancel;
		nla_nest_end(skb, item);
	}
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int ms_zone_put_pcp(struct sk_buff *skb, struct zone *zone)
{
	struct nlattr *nest, *item;
	struct ms_pcp_rec pcp;
	int cpu;

	nest = nla_nest_start(skb, MEMSCOPE_ZONE_A_PCP);
	if (!nest)
		return -EMSGSIZE;
	for_each_online_cpu(cpu) {
		ms_pcp_collect(zone, cpu, &pcp);
		item = nla_nest_start(skb, MEMSCOPE_ARRAY_A_ITEM);
		if (!item ||
		    nla_put_u32(skb, MEMSCOPE_PCP_A_CPU, cpu) ||
		    nla_put_u32(skb, MEMSCOPE_PCP_A_COUNT, pcp.count) ||
		    nla_put_u32(skb, MEMSCOPE_PCP_A_HIGH, pcp.high) ||
		    nla_put_u32(skb, MEMSCOPE_PCP_A_BATCH, pcp.batch))
			goto cancel;
		nla_nest_end(skb, item);
	}
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int ms_zone_fill(struct sk_buff *skb, struct zone *zone, bool admin)
{
	struct ms_zone_rec rec;

	ms_zone_collect(zone, &rec);
	if (nla_put_u32(skb, MEMSCOPE_ZONE_A_NODE, rec.nid) ||
	    nla_put_string(skb, MEMSCOPE_ZONE_A_NAME, rec.name) ||
	    nla_put_u32(skb, MEMSCOPE_ZONE_A_INDEX, rec.idx) ||
	    (admin && nla_put_u64_64bit(skb, MEMSCOPE_ZONE_A_START_PFN, rec.start_pfn,
					MEMSCOPE_ZONE_A_PAD)) ||
	    nla_put_u64_64bit(skb, MEMSCOPE_ZONE_A_SPANNED, rec.spanned, MEMSCOPE_ZONE_A_PAD) ||
	    nla_put_u64_64bit(skb, MEMSCOPE_ZONE_A_PRESENT, rec.present, MEMSCOPE_ZONE_A_PAD) ||
	    nla_put_u64_64bit(skb, MEMSCOPE_ZONE_A_MANAGED, rec.managed, MEMSCOPE_ZONE_A_PAD) ||
	    nla_put_u64_64bit(skb, MEMSCOPE_ZONE_A_CMA, rec.cma, MEMSCOPE_ZONE_A_PAD) ||
	    nla_put_u64_64bit(skb, MEMSCOPE_ZONE_A_FREE, rec.free, MEMSCOPE_ZONE_A_PAD) ||
	    nla_put_u64_64bit(skb, MEMSCOPE_ZONE_A_WMARK_MIN, rec.wmark[WMARK_MIN],
			      MEMSCOPE_ZONE_A_PAD) ||
	    nla_put_u64_64bit(skb, MEMSCOPE_ZONE_A_WMARK_LOW, rec.wmark[WMARK_LOW],
			      MEMSCOPE_ZONE_A_PAD) ||
	    nla_put_u64_64bit(skb, MEMSCOPE_ZONE_A_WMARK_HIGH, rec.wmark[WMARK_HIGH],
			      MEMSCOPE_ZONE_A_PAD) ||
	    nla_put_u64_64bit(skb, MEMSCOPE_ZONE_A_WMARK_PROMO, rec.wmark[WMARK_PROMO],
			      MEMSCOPE_ZONE_A_PAD) ||
	    nla_put_u64_64bit(skb, MEMSCOPE_ZONE_A_WMARK_BOOST, rec.boost, MEMSCOPE_ZONE_A_PAD) ||
	    nla_put_u8(skb, MEMSCOPE_ZONE_A_KSWAPD_WAKE, rec.kswapd_wake))
		return -EMSGSIZE;
	if (ms_nl_put_u64_array(skb, MEMSCOPE_ZONE_A_LOWMEM_RESERVE,
				rec.lowmem_reserve, MAX_NR_ZONES) ||
	    ms_zone_put_stats(skb, &rec) || ms_zone_put_pcp(skb, zone))
		return -EMSGSIZE;
	return 0;
}

/*
 * One message per zone matching @f, made by @fill; resumes at the cursor in
 * cb->args ([0] node, [1] zone index), so nothing is held between calls.
 */
int ms_zone_dump(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd,
		 const struct ms_zone_filter *f,
		 int (*fill)(struct sk_buff *skb, struct zone *zone, void *arg,
			     struct ms_impact *im),
		 void *arg)
{
	int nid = cb->args[0], idx = cb->args[1];
	struct ms_impact im;
	struct zone *zone;
	void *hdr;

	ms_impact_begin(&im);
	while ((zone = ms_zone_next(f, &nid, &idx))) {
		hdr = ms_nl_dump_put(skb, cb, cmd);
		if (!hdr)
			break;
		if (fill(skb, zone, arg, &im)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = nid;
		cb->args[1] = idx;
		ms_impact_resched(&im);
	}
	return ms_nl_dump_end(skb, zone);
}

int ms_zone_put_impact(struct sk_buff *skb, struct ms_impact *im)
{
	return ms_impact_put(skb, im, MEMSCOPE_ZONE_A_IRQOFF_MAX_NS,
			     MEMSCOPE_ZONE_A_RESCHED_MAX_NS, MEMSCOPE_ZONE_A_PAD);
}

static int ms_zone_fill_msg(struct sk_buff *skb, struct zone *zone, void *admin,
			    struct ms_impact *im)
{
	return ms_zone_fill(skb, zone, *(bool *)admin) ?: ms_zone_put_impact(skb, im);
}

/* Bytes of one GET_ZONES message: it grows with the online CPUs (pagesets). */
static size_t ms_zone_msg_size(void)
{
	size_t stats = 0, pcp = nla_total_size(0) + 4 * nla_total_size(sizeof(u32));
	int i;

	for (i = 0; i < MS_NR_ZONE_STATS; i++)
		stats += nla_total_size(0) + nla_total_size(strlen(ms_zone_stat_name(i)) + 1) +
			 nla_total_size_64bit(sizeof(u64));
	return nlmsg_total_size(GENL_HDRLEN +
		3 * nla_total_size(sizeof(u32)) + nla_total_size(32) +	/* zone names are short */
		11 * nla_total_size_64bit(sizeof(u64)) + nla_total_size(sizeof(u8)) +
		nla_total_size(0) + MAX_NR_ZONES * nla_total_size_64bit(sizeof(u64)) +
		nla_total_size(0) + stats + nla_total_size(0) + num_online_cpus() * pcp);
}

/*
 * A dump's first skb holds NLMSG_GOODSIZE (about 3.7 KiB) unless the socket
 * already read with a larger buffer: with about 70 CPUs or more one zone's
 * message no longer fits and the dump would fail with EMSGSIZE.  Ask for room
 * for one whole message.
 */
int ms_zones_nl_start(struct netlink_callback *cb)
{
	cb->min_dump_alloc = ms_zone_msg_size();
	return 0;
}

int ms_zones_nl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	bool admin = ms_nl_admin(cb->skb);
	struct ms_zone_filter f;
	int err;

	err = ms_zone_filter_parse(ms_dump_attrs(cb), &f, cb->extack);
	if (err)
		return err;
	return ms_zone_dump(skb, cb, MEMSCOPE_CMD_GET_ZONES, &f, ms_zone_fill_msg, &admin);
}

static void ms_zone_show_one(struct seq_file *m, struct zone *zone)
{
	struct ms_zone_rec rec;
	struct ms_pcp_rec pcp;
	int i, cpu;

	ms_zone_collect(zone, &rec);
	seq_printf(m, "Node %d, zone %s\n", rec.nid, rec.name);
	seq_printf(m, "  start_pfn  %llu\n  spanned    %llu\n  present    %llu\n"
		   "  managed    %llu\n  cma        %llu\n  free       %llu\n",
		   rec.start_pfn, rec.spanned, rec.present, rec.managed, rec.cma,
		   rec.free);
	seq_printf(m, "  watermark  min %llu low %llu high %llu promo %llu boost %llu\n",
		   rec.wmark[WMARK_MIN], rec.wmark[WMARK_LOW], rec.wmark[WMARK_HIGH],
		   rec.wmark[WMARK_PROMO], rec.boost);
	seq_printf(m, "  kswapd_wake %d\n  lowmem_reserve", rec.kswapd_wake);
	for (i = 0; i < MAX_NR_ZONES; i++)
		seq_printf(m, " %llu", rec.lowmem_reserve[i]);
	seq_putc(m, '\n');
	for (i = 0; i < MS_NR_ZONE_STATS; i++)
		seq_printf(m, "  %-22s %llu\n", ms_zone_stat_name(i), rec.stats[i]);
	for_each_online_cpu(cpu) {
		ms_pcp_collect(zone, cpu, &pcp);
		seq_printf(m, "  pcp cpu %d count %d high %d batch %d\n",
			   cpu, pcp.count, pcp.high, pcp.batch);
	}
}

int ms_zones_show(struct seq_file *m, void *v)
{
	struct ms_zone_filter all = { .node = -1 };
	int nid = 0, idx = 0;
	struct zone *zone;

	while ((zone = ms_zone_next(&all, &nid, &idx)))
		ms_zone_show_one(m, zone);
	return 0;
}
