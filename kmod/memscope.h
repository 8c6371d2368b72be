/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations shared by memscope's files: the subjects and the two views. */
#ifndef MEMSCOPE_H
#define MEMSCOPE_H

#include <linux/mmzone.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/utsname.h>
#include <net/genetlink.h>

#include "compat.h"
#include "version.h"
#include "uapi/memscope.h"

extern struct genl_family ms_family;

/* netlink.c */
int ms_netlink_init(void);
void ms_netlink_exit(void);
void *ms_nl_dump_put(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd);
int ms_nl_dump_end(struct sk_buff *skb, const void *unsent);
bool ms_nl_admin(const struct sk_buff *skb);
int ms_nl_put_u64_array(struct sk_buff *skb, int attr, const u64 *v, int n);
int ms_nl_put_names(struct sk_buff *skb, int attr, const char * const *names, int n);

/* impact.c: what a request costs the system (docs/impact.md). */
struct ms_impact {
	u64 irqoff_max_ns;	/* longest stretch with interrupts off */
	u64 resched_max_ns;	/* longest stretch between reschedule points */
	u64 since;		/* start of the current stretch */
};

void ms_impact_begin(struct ms_impact *im);
void ms_impact_resched(struct ms_impact *im);
void ms_impact_irqoff(struct ms_impact *im, u64 ns);
int ms_impact_put(struct sk_buff *skb, struct ms_impact *im, int irqoff_attr,
		  int resched_attr, int pad_attr);

/* debugfs.c */
void ms_debugfs_init(void);
void ms_debugfs_exit(void);

/* info.c: what this kernel and module are. */
struct ms_info {
	char kernel_release[__NEW_UTS_LEN + 1];
	u32 page_size;
	u32 nr_nodes;
	u32 nr_cpus;
	u32 max_order;
	u32 pb_order;
	u32 features;
};

void ms_info_collect(struct ms_info *info);
const char *ms_zone_type_name(int idx);
int ms_zone_type_index(const char *name);
int ms_info_nl_get(struct sk_buff *skb, struct genl_info *info);
int ms_info_show(struct seq_file *m, void *v);

/* zones.c: per-zone sizes, watermarks and counters. */
#ifdef CONFIG_NUMA
#define MS_NR_ZONE_STATS	(NR_VM_ZONE_STAT_ITEMS + NR_VM_NUMA_EVENT_ITEMS)
#else
#define MS_NR_ZONE_STATS	NR_VM_ZONE_STAT_ITEMS
#endif

struct ms_zone_rec {
	int nid;
	int idx;
	const char *name;
	u64 start_pfn;
	u64 spanned;
	u64 present;
	u64 managed;
	u64 cma;
	u64 free;
	u64 wmark[NR_WMARK];	/* as /proc/zoneinfo: boost included */
	u64 boost;
	u64 lowmem_reserve[MAX_NR_ZONES];
	u64 stats[MS_NR_ZONE_STATS];
	bool kswapd_wake;
};

struct ms_pcp_rec {
	int count;
	int high;
	int batch;
};

/* A selection of zones: node < 0 or name == NULL match all. */
struct ms_zone_filter {
	int node;
	const char *name;
};

struct zone *ms_zone_next(const struct ms_zone_filter *f, int *nid, int *idx);
int ms_zone_filter_parse(struct nlattr **attrs, struct ms_zone_filter *f,
			 struct netlink_ext_ack *extack);
const char *ms_zone_stat_name(int i);
void ms_zone_collect(struct zone *zone, struct ms_zone_rec *rec);
void ms_pcp_collect(struct zone *zone, int cpu, struct ms_pcp_rec *pcp);
int ms_zone_dump(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd,
		 const struct ms_zone_filter *f,
		 int (*fill)(struct sk_buff *skb, struct zone *zone, void *arg,
			     struct ms_impact *im),
		 void *arg);
int ms_zone_put_impact(struct sk_buff *skb, struct ms_impact *im);
int ms_zones_nl_start(struct netlink_callback *cb);
int ms_zones_nl_dump(struct sk_buff *skb, struct netlink_callback *cb);
int ms_zones_show(struct seq_file *m, void *v);

/* buddy.c: free lists per order and migratetype. */
struct ms_buddy_rec {
	u64 free_blocks[MS_NR_ORDERS];
	u64 lists[MIGRATE_TYPES][MS_NR_ORDERS];
	u32 unusable_index[MS_NR_ORDERS];	/* x1000 */
	s32 frag_index[MS_NR_ORDERS];		/* x1000, -1000: would succeed */
	u64 lock_hold_max_ns;
	u32 lock_holds;
	u32 restarts;
};

void ms_buddy_collect(struct zone *zone, struct ms_buddy_rec *rec, struct ms_impact *im);
int ms_buddy_nl_dump(struct sk_buff *skb, struct netlink_callback *cb);
int ms_buddy_show(struct seq_file *m, void *v);

/* tlb.c: TLB flushes by reason and CPU, and who causes them. */
struct ms_tlb_cpu_rec {
	int cpu;
	u64 flushes[MS_TLB_NR_REASONS];
	u64 full[MS_TLB_NR_REASONS];
	u64 pages[MS_TLB_NR_REASONS];
	u64 ipis;
};

struct ms_tlb_slot {
	pid_t tgid;
	char comm[TASK_COMM_LEN];
	u64 count[MS_TLB_NR_REASONS];
	u64 total;
};

#define MS_TLB_TOP_MAX	64

int ms_tlb_init(void);
void ms_tlb_exit(void);
bool ms_tlb_counting(void);
void ms_tlb_collect_cpu(int cpu, struct ms_tlb_cpu_rec *r);
int ms_tlb_collect_top(struct ms_tlb_slot *out, int max, struct ms_impact *im);
void ms_tlb_reset(void);
int ms_tlb_nl_dump(struct sk_buff *skb, struct netlink_callback *cb);
int ms_tlb_nl_top(struct sk_buff *skb, struct genl_info *info);
int ms_tlb_nl_reset(struct sk_buff *skb, struct genl_info *info);
int ms_tlb_show(struct seq_file *m, void *v);

/* pages.c: page census and physical map. */
enum ms_page_class {
	MS_PC_FREE,
	MS_PC_ACTIVE_ANON,
	MS_PC_INACTIVE_ANON,
	MS_PC_ACTIVE_FILE,
	MS_PC_INACTIVE_FILE,
	MS_PC_UNEVICTABLE,
	MS_PC_SLAB,
	MS_PC_PAGETABLE,
	MS_PC_RESERVED,
	MS_PC_HUGETLB,
	MS_PC_HUGETLB_FREE,
	MS_PC_OTHER_COMPOUND,
	MS_PC_ZERO_REF,
	MS_PC_OFFLINE,
	MS_PC_POISONED,
	MS_PC_UNKNOWN,
	MS_NR_PAGE_KINDS,
	MS_PC_MLOCKED = MS_NR_PAGE_KINDS,
	MS_PC_DIRTY,
	MS_PC_WRITEBACK,
	MS_PC_SWAPCACHE,
	MS_PC_SWAPBACKED,
	MS_PC_SHMEM,
	MS_PC_ANON,
	MS_PC_THP,
	MS_PC_THP_ANON,
	MS_PC_THP_FILE,
	MS_PC_ACTIVE_FILE_DIRTY,
	MS_PC_INACTIVE_FILE_DIRTY,
	MS_PC_ACTIVE_ANON_DIRTY,
	MS_PC_INACTIVE_ANON_DIRTY,
	MS_NR_PAGE_CLASSES
};

extern const char * const ms_page_class_names[];

struct ms_pages_rec {
	u64 pages;
	u64 classes[MS_NR_PAGE_CLASSES];
	u64 scan_ns;
	unsigned long floor_sum;
};

void ms_pages_collect(struct zone *zone, struct ms_pages_rec *rec, bool floor,
		      struct ms_impact *im);
int ms_pages_nl_dump(struct sk_buff *skb, struct netlink_callback *cb);
int ms_map_nl_dump(struct sk_buff *skb, struct netlink_callback *cb);
int ms_pages_show(struct seq_file *m, void *v);
int ms_map_show(struct seq_file *m, void *v);

/* task.c: a process's page tables and VMAs. */
int ms_task_nl_dump(struct sk_buff *skb, struct netlink_callback *cb);
int ms_task_nl_done(struct netlink_callback *cb);

#endif /* MEMSCOPE_H */
