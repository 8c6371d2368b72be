// SPDX-License-Identifier: GPL-2.0
/* Subject "info": what this kernel and this module build are. */
#include <linux/cpumask.h>
#include <linux/nodemask.h>
#include <linux/pageblock-flags.h>

#include "memscope.h"

#define MS_FEATURES (MEMSCOPE_FEATURE_INFO | MEMSCOPE_FEATURE_ZONES | \
		     MEMSCOPE_FEATURE_BUDDY | MEMSCOPE_FEATURE_PAGES | \
		     MEMSCOPE_FEATURE_TASK)

void ms_info_collect(struct ms_info *info)
{
	strscpy(info->kernel_release, utsname()->release,
		sizeof(info->kernel_release));
	info->page_size = PAGE_SIZE;
	info->nr_nodes = num_online_nodes();
	info->nr_cpus = num_online_cpus();
	info->max_order = MS_NR_ORDERS - 1;
	info->pb_order = pageblock_order;
	info->features = MS_FEATURES | (ms_tlb_counting() ? MEMSCOPE_FEATURE_TLB : 0);
}

/* Zone names are set on every node's zones at boot, populated or not. */
const char *ms_zone_type_name(int idx)
{
	return NODE_DATA(first_online_node)->node_zones[idx].name;
}

static int ms_info_put_zone_names(struct sk_buff *skb)
{
	const char *names[MAX_NR_ZONES];
	int i;

	for (i = 0; i < MAX_NR_ZONES; i++)
		names[i] = ms_zone_type_name(i);
	return ms_nl_put_names(skb, MEMSCOPE_INFO_A_ZONES, names, MAX_NR_ZONES);
}

static int ms_info_fill(struct sk_buff *skb, const struct ms_info *info)
{
	if (nla_put_string(skb, MEMSCOPE_INFO_A_MODULE_VERSION, MEMSCOPE_VERSION) ||
	    nla_put_u32(skb, MEMSCOPE_INFO_A_PROTOCOL_VERSION, MEMSCOPE_PROTOCOL_VERSION) ||
	    nla_put_string(skb, MEMSCOPE_INFO_A_KERNEL_RELEASE, info->kernel_release) ||
	    nla_put_u32(skb, MEMSCOPE_INFO_A_PAGE_SIZE, info->page_size) ||
	    nla_put_u32(skb, MEMSCOPE_INFO_A_NR_NODES, info->nr_nodes) ||
	    nla_put_u32(skb, MEMSCOPE_INFO_A_NR_CPUS, info->nr_cpus) ||
	    nla_put_u32(skb, MEMSCOPE_INFO_A_MAX_ORDER, info->max_order) ||
	    nla_put_u32(skb, MEMSCOPE_INFO_A_PAGEBLOCK_ORDER, info->pb_order) ||
	    nla_put_u32(skb, MEMSCOPE_INFO_A_FEATURES, info->features))
		return -EMSGSIZE;
	if (ms_nl_put_names(skb, MEMSCOPE_INFO_A_MIGRATETYPES,
			    ms_migratetype_names, MIGRATE_TYPES) ||
	    ms_nl_put_names(skb, MEMSCOPE_INFO_A_TLB_REASONS,
			    ms_tlb_reason_names, MS_TLB_NR_REASONS) ||
	    ms_nl_put_names(skb, MEMSCOPE_INFO_A_PAGE_CLASSES,
			    ms_page_class_names, MS_NR_PAGE_CLASSES) ||
	    nla_put_u32(skb, MEMSCOPE_INFO_A_PAGE_KINDS, MS_NR_PAGE_KINDS))
		return -EMSGSIZE;
	return ms_info_put_zone_names(skb);
}

int ms_info_nl_get(struct sk_buff *skb, struct genl_info *info)
{
	struct ms_impact im;
	struct ms_info rec;
	struct sk_buff *msg;
	void *hdr;
	int err;

	ms_impact_begin(&im);
	ms_info_collect(&rec);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ms_family, 0, MEMSCOPE_CMD_GET_INFO);
	if (!hdr) {
		err = -EMSGSIZE;
		goto out_free;
	}
	err = ms_info_fill(msg, &rec) ?:
	      ms_impact_put(msg, &im, MEMSCOPE_INFO_A_IRQOFF_MAX_NS,
			    MEMSCOPE_INFO_A_RESCHED_MAX_NS, MEMSCOPE_INFO_A_PAD);
	if (err)
		goto out_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

out_free:
	nlmsg_free(msg);
	return err;
}

static void ms_info_show_names(struct seq_file *m, const char *label,
			       const char * const *names, int n)
{
	int i;

	seq_printf(m, "%-16s", label);
	for (i = 0; i < n; i++)
		seq_printf(m, " %s", names[i]);
	seq_putc(m, '\n');
}

int ms_info_show(struct seq_file *m, void *v)
{
	const char *zones[MAX_NR_ZONES];
	struct ms_info rec;
	int i;

	ms_info_collect(&rec);
	for (i = 0; i < MAX_NR_ZONES; i++)
		zones[i] = ms_zone_type_name(i);

	seq_printf(m, "%-16s %s\n", "module_version", MEMSCOPE_VERSION);
	seq_printf(m, "%-16s %d\n", "protocol_version", MEMSCOPE_PROTOCOL_VERSION);
	seq_printf(m, "%-16s %s\n", "kernel_release", rec.kernel_release);
	seq_printf(m, "%-16s %u\n", "page_size", rec.page_size);
	seq_printf(m, "%-16s %u\n", "nr_nodes", rec.nr_nodes);
	seq_printf(m, "%-16s %u\n", "nr_cpus", rec.nr_cpus);
	seq_printf(m, "%-16s %u\n", "max_order", rec.max_order);
	seq_printf(m, "%-16s %u\n", "pageblock_order", rec.pb_order);
	ms_info_show_names(m, "migratetypes", ms_migratetype_names, MIGRATE_TYPES);
	ms_info_show_names(m, "zones", zones, MAX_NR_ZONES);
	ms_info_show_names(m, "tlb_reasons", ms_tlb_reason_names, MS_TLB_NR_REASONS);
	seq_printf(m, "%-16s 0x%x\n", "features", rec.features);
	return 0;
}
